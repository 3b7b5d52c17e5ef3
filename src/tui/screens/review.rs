//! The review: progress gauges per domain, then every readiness finding, errors first;
//! Enter on a finding jumps to where it can be fixed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, List, ListItem, ListState, Paragraph};

use super::{Action, Reply};
use crate::assessment::grade::Prediction;
use crate::assessment::progress::{Counts, progress};
use crate::assessment::readiness::{Code, Finding, Report, Severity};
use crate::tui::keymap::Cmd;
use crate::tui::state::State;
use crate::tui::widgets::fit::wrapped;

/// The keys the footer shows here, and help lists first; `c` when a newer checklist waits.
pub fn commands(st: &State) -> Vec<Cmd> {
    let mut cmds = vec![
        Cmd::Down,
        Cmd::Open,
        Cmd::PrevStep,
        Cmd::NextStep,
        Cmd::Help,
        Cmd::Quit,
    ];
    if st.newer_checklist().is_some() {
        cmds.insert(2, Cmd::Changes);
    }
    cmds
}

/// The review's keys: its selection lives in the state, as every refresh moves it.
pub fn key(st: &mut State, cmd: Cmd) -> Reply {
    let n = st.report.as_ref().map_or(0, |r| r.findings.len());
    let v = &mut st.review;
    match cmd {
        Cmd::Down => v.sel = (v.sel + 1).min(n.saturating_sub(1)),
        Cmd::Up => v.sel = v.sel.saturating_sub(1),
        Cmd::PageDown => v.sel = (v.sel + 10).min(n.saturating_sub(1)),
        Cmd::PageUp => v.sel = v.sel.saturating_sub(10),
        Cmd::Home => v.sel = 0,
        Cmd::End => v.sel = n.saturating_sub(1),
        Cmd::Open => {
            let Some(f) = st
                .report
                .as_ref()
                .and_then(|r| r.findings.get(st.review.sel))
                .cloned()
            else {
                return Reply::Handled;
            };
            return Reply::Do(Action::JumpTo(Box::new(f)));
        }
        // Esc goes back to where `r` was pressed, as in lazygit and k9s.
        Cmd::Back => match v.from.take() {
            Some(screen) => st.goto(screen),
            None => return Reply::Ignored,
        },
        _ => return Reply::Ignored,
    }
    Reply::Handled
}

pub fn render(st: &State, frame: &mut Frame, area: Rect) {
    let (Some(p), Some(c)) = (st.proj(), st.checklist()) else {
        frame.render_widget(
            Paragraph::new("Choose the delivery model first (Profile step).")
                .block(Block::bordered().title(" Review ")),
            area,
        );
        return;
    };
    let prog = progress(p, c);
    let gauges = 1 + prog.domains.len() as u16;
    let prediction = crate::assessment::grade::predict(p, c);
    // The prediction in words, wrapped (at most three lines) under the gauges.
    let said: Vec<String> = prediction.as_ref().map_or_else(Vec::new, |g| {
        crate::tui::widgets::fit::wrap_words(
            &format!("{}.", g.words(6)),
            area.width.saturating_sub(2) as usize,
        )
    });
    let extra = said.len().min(3) as u16;
    let [top, list_area] =
        Layout::vertical([Constraint::Length(gauges + extra + 2), Constraint::Min(4)]).areas(area);
    let block = Block::bordered()
        .title(" Progress ")
        .border_style(st.theme.border());
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let rows =
        Layout::vertical(vec![Constraint::Length(1); (gauges + extra) as usize]).split(inner);
    if let Some(prediction) = &prediction {
        render_prediction(st, frame, prediction, &said, &rows[gauges as usize..]);
    }
    let mut all = vec![("Overall".to_string(), prog.overall)];
    all.extend(
        prog.domains
            .iter()
            .map(|d| (d.domain.name().to_string(), d.counts)),
    );
    for (i, (name, counts)) in all.iter().enumerate() {
        render_gauge(st, frame, rows[i], name, counts, i == 0);
    }
    if let Some(report) = &st.report {
        render_findings(st, frame, list_area, report);
    }
}

/// What AWS's sheet will grade, in words, below the gauges: as many lines as there are rows.
fn render_prediction(
    st: &State,
    frame: &mut Frame,
    prediction: &Prediction,
    said: &[String],
    rows: &[Rect],
) {
    let t = &st.theme;
    let style = if prediction.automatic() {
        t.ok()
    } else if prediction.fail > 0 {
        t.error()
    } else {
        t.warning()
    };
    for (line, row) in said.iter().zip(rows) {
        frame.render_widget(Paragraph::new(line.as_str()).style(style), *row);
    }
}

/// One row of the progress: the name (`first`: the overall one), a gauge and the counts.
fn render_gauge(
    st: &State,
    frame: &mut Frame,
    row: Rect,
    name: &str,
    counts: &Counts,
    first: bool,
) {
    let t = &st.theme;
    let [l, g, r] = Layout::horizontal([
        Constraint::Length(23),
        Constraint::Percentage(30),
        Constraint::Min(10),
    ])
    .spacing(1)
    .areas(row);
    frame.render_widget(
        Paragraph::new(name).style(if first { t.title() } else { t.text() }),
        l,
    );
    if t.color {
        frame.render_widget(
            Gauge::default()
                .ratio(counts.ratio().clamp(0.0, 1.0))
                .label(format!("{}%", counts.percent()))
                .gauge_style(t.ok())
                .use_unicode(true),
            g,
        );
    } else {
        // Without colour a gauge's label sinks into its blocks: a bar of # and - with
        // the share beside it reads plainly.
        frame.render_widget(Paragraph::new(text_bar(counts.ratio(), g.width)), g);
    }
    let mut label = format!(
        "{}/{} · {} met · {} gap · {} n/a",
        counts.answered(),
        counts.applicable(),
        counts.met,
        counts.not_met,
        counts.not_applicable
    );
    if counts.scoped_out > 0 {
        label.push_str(&format!(" · {} off by scoping", counts.scoped_out));
    }
    frame.render_widget(Paragraph::new(label).style(t.dim()), r);
}

/// The findings, errors first under a heading each, with the verdict as the list's title.
fn render_findings(st: &State, frame: &mut Frame, area: Rect, report: &Report) {
    let t = &st.theme;
    let verdict = if report.ready {
        Span::styled(
            format!(" Ready to export · {} warning(s) ", report.warnings),
            t.ok(),
        )
    } else {
        Span::styled(
            format!(
                " Not ready: {} error(s), {} warning(s) · Enter jumps to the fix ",
                report.errors, report.warnings
            ),
            t.error(),
        )
    };
    let width = area.width.saturating_sub(6) as usize;
    let mut items = Vec::new();
    let mut row_of = Vec::new();
    let mut last: Option<Severity> = None;
    for f in &report.findings {
        if last != Some(f.severity) {
            items.push(severity_heading(st, report, f.severity));
            last = Some(f.severity);
        }
        row_of.push(items.len());
        items.push(finding_item(st, f, width));
    }
    if items.is_empty() {
        items.push(ListItem::new("Nothing to fix: every check passes."));
    }
    let sel = row_of.get(st.review.sel).copied();
    let list = List::new(items)
        .block(
            Block::bordered()
                .title(Line::from(verdict))
                .border_style(t.focus_border()),
        )
        .highlight_style(t.selected());
    let mut state = ListState::default().with_selected(sel);
    frame.render_stateful_widget(list, area, &mut state);
}

/// The heading over the findings of one severity, with their count.
fn severity_heading(st: &State, report: &Report, severity: Severity) -> ListItem<'static> {
    let n = report
        .findings
        .iter()
        .filter(|x| x.severity == severity)
        .count();
    let head = match severity {
        Severity::Error => format!("Errors ({n}): a reviewer would send these back"),
        Severity::Warning => format!("Warnings ({n}): likely questions"),
    };
    ListItem::new(Line::from(Span::styled(head, st.theme.severity(severity))))
}

/// A finding: its mark and message, and under it the fix, each wrapped to `width`.
fn finding_item(st: &State, f: &Finding, width: usize) -> ListItem<'static> {
    let t = &st.theme;
    let mark = if f.severity == Severity::Error {
        "✗"
    } else {
        "!"
    };
    let mut lines = wrapped(
        vec![Span::styled(format!("{mark} "), t.severity(f.severity))],
        &f.message,
        t.text(),
        2,
        width + 2,
    );
    lines.extend(wrapped(
        vec![Span::raw("  ")],
        &fix_words(f),
        t.dim(),
        2,
        width + 2,
    ));
    ListItem::new(lines)
}

/// The fix in words; in the wizard, a finding about a control is fixed where Enter goes.
fn fix_words(f: &Finding) -> String {
    if f.code == Code::ChecklistNewer {
        "Enter (or c, anywhere) shows what changed; m there moves the answers after a preview."
            .into()
    } else if matches!(f.code, Code::ChecklistExpired | Code::ChecklistExpiring) {
        "Enter shows what is known and the choices: go on with this version, install a newer release, or write a copy to edit.".into()
    } else if f.code == Code::MergeConflict {
        "Enter (or R, anywhere) shows both values in full: o keeps ours, t theirs.".into()
    } else if f.control.is_some() {
        format!("{} Enter goes there.", f.fix)
    } else {
        f.fix.words()
    }
}

/// `[#####-----] 50%` filling `width` columns: a progress bar for a terminal without colour.
fn text_bar(ratio: f64, width: u16) -> String {
    let ratio = ratio.clamp(0.0, 1.0);
    let label = format!(" {:>3}%", (ratio * 100.0).floor() as u32);
    let inner = (width as usize).saturating_sub(2 + label.len());
    let full = ((inner as f64) * ratio).round() as usize;
    format!(
        "[{}{}]{label}",
        "#".repeat(full.min(inner)),
        "-".repeat(inner - full.min(inner))
    )
}
