//! The review: progress gauges per domain, then every readiness finding, errors first;
//! Enter on a finding jumps to where it can be fixed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, List, ListItem, ListState, Paragraph};

use crate::assessment::Slot;
use crate::assessment::progress::progress;
use crate::assessment::readiness::{Code, Finding, Report, Severity};
use crate::tui::app::{App, Screen};
use crate::tui::keymap::Cmd;

/// The review's state: the selected finding, and the screen `r` opened it from (Esc goes back
/// there).
#[derive(Debug, Default)]
pub struct ReviewView {
    pub sel: usize,
    pub from: Option<crate::tui::app::Screen>,
}

impl ReviewView {
    /// Keeps the selection on the same finding when the report is made anew (each idle tick):
    /// the finding about the same thing (kind, control, slot, value, file) in the same words;
    /// else the same row while it is about the same thing (a size in the words changed); else
    /// the same occurrence of one about that thing (several scoping questions are unanswered);
    /// else the same row, within the list.
    pub fn follow(&mut self, before: Option<&Report>, after: Option<&Report>) {
        type Key = (
            Code,
            Option<String>,
            Option<Slot>,
            Option<String>,
            Option<String>,
        );
        let key = |f: &Finding| -> Key {
            (
                f.code,
                f.control.clone(),
                f.slot,
                f.value.clone(),
                f.file.clone(),
            )
        };
        let Some(after) = after else {
            return;
        };
        let last = after.findings.len().saturating_sub(1);
        let Some(old) = before.and_then(|r| r.findings.get(self.sel)) else {
            self.sel = self.sel.min(last);
            return;
        };
        let k = key(old);
        if let Some(i) = after
            .findings
            .iter()
            .position(|f| key(f) == k && f.message == old.message)
        {
            self.sel = i;
            return;
        }
        if after.findings.get(self.sel).is_some_and(|f| key(f) == k) {
            return;
        }
        let nth = before.map_or(0, |r| {
            r.findings[..self.sel]
                .iter()
                .filter(|f| key(f) == k)
                .count()
        });
        self.sel = after
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| key(f) == k)
            .nth(nth)
            .map_or(self.sel.min(last), |(i, _)| i);
    }
}

impl App {
    pub(crate) fn key_review(&mut self, cmd: Cmd) -> bool {
        let n = self.report.as_ref().map_or(0, |r| r.findings.len());
        match cmd {
            Cmd::Down => self.review.sel = (self.review.sel + 1).min(n.saturating_sub(1)),
            Cmd::Up => self.review.sel = self.review.sel.saturating_sub(1),
            Cmd::PageDown => self.review.sel = (self.review.sel + 10).min(n.saturating_sub(1)),
            Cmd::PageUp => self.review.sel = self.review.sel.saturating_sub(10),
            Cmd::Home => self.review.sel = 0,
            Cmd::End => self.review.sel = n.saturating_sub(1),
            Cmd::Open => {
                let Some(f) = self
                    .report
                    .as_ref()
                    .and_then(|r| r.findings.get(self.review.sel))
                    .cloned()
                else {
                    return true;
                };
                self.jump_to(&f);
            }
            // Esc goes back to where `r` was pressed, as in lazygit and k9s.
            Cmd::Back => match self.review.from.take() {
                Some(screen) => self.goto(screen),
                None => return false,
            },
            _ => return false,
        }
        true
    }

    /// Goes to the place where a finding is fixed.
    pub fn jump_to(&mut self, f: &Finding) {
        if f.code == Code::ChecklistNewer {
            self.show_changes();
            return;
        }
        if f.code == Code::MergeConflict {
            // The finding names the field as its message begins; else the control's first.
            let at = self
                .conflicts()
                .iter()
                .find(|c| {
                    f.message
                        .starts_with(&format!("{} was changed", crate::team::short_name(&c.at)))
                })
                .or_else(|| {
                    self.conflicts().iter().find(|c| {
                        crate::merge::control_of(&c.at).map(|(_, id)| id) == f.control.as_deref()
                    })
                })
                .map(|c| c.at.clone());
            self.open_resolve(at.as_deref());
            return;
        }
        if let Some(id) = &f.control
            && self.select_control(id)
        {
            self.focus = crate::tui::app::Pane::Answer;
            // A finding about a required value selects its field.
            let at = f.value.as_ref().and_then(|key| {
                self.selected_control()?
                    .values
                    .iter()
                    .position(|v| v.key == *key)
            });
            if let Some(i) = at {
                let fields = self.fields();
                if let Some(k) = fields
                    .iter()
                    .position(|x| *x == crate::tui::app::Field::Value(i))
                {
                    self.interview.field = k;
                }
            }
            self.remember();
            return;
        }
        let screen = match f.code {
            Code::ScopingUnanswered => Screen::Scoping,
            Code::PrerequisiteUnanswered | Code::PrerequisiteUnmet => Screen::Prerequisites,
            _ => Screen::Profile,
        };
        self.goto(screen);
        // A scoping or prerequisite finding selects its own question, named in its command
        // (`ftr set scoping.ID …`, `ftr set prereq.ID …`).
        let named = |prefix: &str| {
            let cmd = f.command.as_deref()?;
            let rest = &cmd[cmd.find(prefix)? + prefix.len()..];
            Some(rest.split_whitespace().next()?.to_string())
        };
        if let Some(id) = named("scoping.")
            && let Some(i) = self
                .checklist()
                .and_then(|c| c.scoping.iter().position(|q| q.id == id))
        {
            self.scoping.sel = i;
        }
        if let Some(id) = named("prereq.")
            && let Some(i) = self.library.prerequisites.iter().position(|q| q.id == id)
        {
            self.prereqs.sel = i;
        }
        // A finding about an upload file selects its row (the first, for a report).
        if let Some(slot) = f.slot {
            let rows = self.profile_rows();
            // Messages name the file as " PATH " (followed by a space, never cut).
            let named =
                |e: &crate::assessment::Evidence| f.message.contains(&format!(" {} ", e.path));
            let at = rows
                .iter()
                .position(|r| r.slot() == Some(slot) && self.profile_file(*r).is_some_and(named))
                .or_else(|| rows.iter().position(|r| r.slot() == Some(slot)));
            if let Some(i) = at {
                self.profile.sel = i;
            }
        }
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let (Some(p), Some(c)) = (app.proj(), app.checklist()) else {
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
        .border_style(t.border());
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let rows =
        Layout::vertical(vec![Constraint::Length(1); (gauges + extra) as usize]).split(inner);
    if let Some(prediction) = &prediction {
        // What AWS's sheet will grade, in words, below the gauges.
        let style = if prediction.automatic() {
            t.ok()
        } else if prediction.fail > 0 {
            t.error()
        } else {
            t.warning()
        };
        for (i, line) in said.iter().take(extra as usize).enumerate() {
            frame.render_widget(
                Paragraph::new(line.as_str()).style(style),
                rows[gauges as usize + i],
            );
        }
    }
    let mut all = vec![("Overall".to_string(), prog.overall)];
    all.extend(
        prog.domains
            .iter()
            .map(|d| (d.domain.name().to_string(), d.counts)),
    );
    for (i, (name, counts)) in all.iter().enumerate() {
        let [l, g, r] = Layout::horizontal([
            Constraint::Length(23),
            Constraint::Percentage(30),
            Constraint::Min(10),
        ])
        .spacing(1)
        .areas(rows[i]);
        frame.render_widget(
            Paragraph::new(name.as_str()).style(if i == 0 { t.title() } else { t.text() }),
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
    let Some(report) = &app.report else {
        return;
    };
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
    let width = list_area.width.saturating_sub(6) as usize;
    let mut items = Vec::new();
    let mut row_of = Vec::new();
    let mut last: Option<Severity> = None;
    for f in &report.findings {
        if last != Some(f.severity) {
            let n = report
                .findings
                .iter()
                .filter(|x| x.severity == f.severity)
                .count();
            let head = match f.severity {
                Severity::Error => format!("Errors ({n}): a reviewer would send these back"),
                Severity::Warning => format!("Warnings ({n}): likely questions"),
            };
            items.push(ListItem::new(Line::from(Span::styled(
                head,
                t.severity(f.severity),
            ))));
            last = Some(f.severity);
        }
        row_of.push(items.len());
        let mark = if f.severity == Severity::Error {
            "✗"
        } else {
            "!"
        };
        items.push(ListItem::new(vec![
            Line::from(vec![
                Span::styled(format!("{mark} "), t.severity(f.severity)),
                Span::raw(crate::tui::ui::clip(&f.message, width)),
            ]),
            Line::from(Span::styled(
                format!("  {}", crate::tui::ui::clip(&fix_words(f), width)),
                t.dim(),
            )),
        ]));
    }
    if items.is_empty() {
        items.push(ListItem::new("Nothing to fix: every check passes."));
    }
    let sel = row_of.get(app.review.sel).copied();
    let list = List::new(items)
        .block(
            Block::bordered()
                .title(Line::from(verdict))
                .border_style(t.focus_border()),
        )
        .highlight_style(t.selected());
    let mut state = ListState::default().with_selected(sel);
    frame.render_stateful_widget(list, list_area, &mut state);
}

/// The fix in words; in the wizard, a finding about a control is fixed where Enter goes.
fn fix_words(f: &Finding) -> String {
    if f.code == Code::ChecklistNewer {
        "Enter (or c, anywhere) shows what changed; m there moves the answers after a preview."
            .into()
    } else if f.code == Code::MergeConflict {
        "Enter (or R, anywhere) shows both values in full: o keeps ours, t theirs.".into()
    } else if f.control.is_some() {
        format!("{} Enter goes there.", f.fix)
    } else {
        f.fix.clone()
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
