//! Drawing the interview: the list of a domain's controls, the guidance, and the answer pane
//! with its fields, workbook rows, required values, evidence and what the review finds.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::InterviewView;
use crate::assessment::{Answer, Status};
use crate::content::{Control, diff};
use crate::safe::terminal;
use crate::tui::state::State;
use crate::tui::state::edit::AttachTo;
use crate::tui::state::editor::Target;
use crate::tui::state::nav::{Field, Pane, domain_index};
use crate::tui::theme::status_mark;
use crate::tui::widgets::files::file_line;
use crate::tui::widgets::fit::width_of;

/// True when the readiness check finds an evidence file of control `id` missing, unreadable,
/// not a file or changed since it was attached.
pub fn evidence_broken(st: &State, id: &str) -> bool {
    st.report.as_ref().is_some_and(|r| {
        r.findings
            .iter()
            .any(|f| f.control.as_deref() == Some(id) && f.code.is_file_error())
    })
}

/// The short section name shown as a group header ("… > Identity and Access Management").
fn section_tail(section: &str) -> &str {
    section.rsplit('>').next().unwrap_or(section).trim()
}

pub fn render(v: &InterviewView, st: &State, frame: &mut Frame, area: Rect) {
    let list_w = (area.width * 2 / 5).clamp(30, 90);
    let [left, right] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(30)]).areas(area);
    let guide_h = (right.height / 2).max(6);
    let [guide, answer] =
        Layout::vertical([Constraint::Length(guide_h), Constraint::Min(6)]).areas(right);
    st.areas.list.set(left);
    st.areas.guidance.set(guide);
    st.areas.answer.set(answer);
    render_list(st, frame, left);
    let Some(control) = st.selected_control() else {
        return;
    };
    render_guidance(v, st, frame, guide, control);
    let editing_answer = matches!(
        st.editor.as_ref().map(|e| &e.target),
        Some(
            Target::Answer { .. }
                | Target::NewEvidence {
                    to: AttachTo::Control(_)
                }
                | Target::EvidenceLabel {
                    to: AttachTo::Control(_),
                    ..
                }
                | Target::EvidenceDate {
                    to: AttachTo::Control(_),
                    ..
                }
        )
    );
    if editing_answer {
        crate::tui::screens::editing::render_editor_over(st, frame, answer);
    } else {
        render_answer(v, st, frame, answer, control);
    }
}

/// A pane's frame; the focused one is marked in its title as well as by colour, so it shows
/// without colour too (NO_COLOR).
fn pane_block<'a>(st: &State, pane: Pane, title: String) -> Block<'a> {
    let t = &st.theme;
    if st.focus == pane && st.editor.is_none() {
        let title = format!("▸{}", title.strip_prefix(' ').unwrap_or(&title));
        Block::bordered()
            .title(title)
            .border_style(t.focus_border())
    } else {
        Block::bordered().title(title).border_style(t.border())
    }
}

fn render_list(st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let d = st.domain();
    let controls = st.domain_controls(d);
    let sel = st.place.selected[domain_index(d)].min(controls.len().saturating_sub(1));
    let width = area.width.saturating_sub(4) as usize;
    let mut items = Vec::new();
    let mut selected_row = 0;
    let mut last_section = "";
    let (done, of) = st.domain_done(d).unwrap_or((0, controls.len()));
    for (i, c) in controls.iter().enumerate() {
        let section = section_tail(&c.section);
        if section != last_section {
            items.push(ListItem::new(Line::from(Span::styled(
                crate::tui::widgets::fit::clip_end(section, width),
                t.dim(),
            ))));
            last_section = section;
        }
        if i == sel {
            selected_row = items.len();
        }
        let status = st.status_of(c);
        // `✗`: an evidence file is missing, unreadable or changed since attached, an error as
        // Review says; a met control then never shows `✓`.
        let broken = evidence_broken(st, &c.id);
        // `!`: a scan fails the control (it outranks `°`, which the guidance pane repeats).
        let fails = st
            .proj()
            .zip(st.checklist())
            .is_some_and(|(p, ck)| p.hints(&ck.id, &c.id).iter().any(|h| h.result.failed > 0));
        // `?`: reworded by a move, the answer waits for a second look (it outranks both).
        let review = !st.to_review(&c.id).is_empty();
        let (flag, flag_style) = match (review, fails, c.provisional) {
            _ if broken => ("✗", t.error()),
            (true, _, _) => ("?", t.error()),
            (false, true, _) => ("!", t.warning()),
            (false, false, true) => ("°", t.text()),
            (false, false, false) => (" ", t.text()),
        };
        let id = format!("{:<10}", c.id);
        let title_w = width.saturating_sub(2 + width_of(&id) + 1);
        // Met, but a file no longer backs it: never `✓`, and not `✗` (not met) either.
        let (mark, mark_style) = if broken && status == Status::Met {
            ("!", t.error())
        } else {
            (status_mark(status), t.status(status))
        };
        items.push(ListItem::new(Line::from(vec![
            Span::styled(format!("{mark} "), mark_style),
            Span::raw(id),
            Span::styled(flag, flag_style),
            Span::raw(crate::tui::widgets::fit::clip_end(&c.title, title_w)),
        ])));
    }
    let list = List::new(items)
        .block(pane_block(
            st,
            Pane::List,
            format!(" {} {done}/{of} ", d.name()),
        ))
        .highlight_style(t.selected());
    let mut state = ListState::default().with_selected(Some(selected_row));
    frame.render_stateful_widget(list, area, &mut state);
}

fn render_guidance(v: &InterviewView, st: &State, frame: &mut Frame, area: Rect, c: &Control) {
    let t = &st.theme;
    let mut lines = vec![Line::from(Span::styled(c.title.clone(), t.title()))];
    let mut meta = vec![section_tail(&c.section).to_string()];
    meta.push(if c.evidence {
        "evidence expected".into()
    } else {
        "the response is the evidence".into()
    });
    if let Some(cad) = &c.cadence {
        meta.push(format!("fresh: {}", cad.describe()));
    }
    if let Some(also) = c.also {
        meta.push(format!("also {also}"));
    }
    lines.push(Line::from(Span::styled(meta.join(" · "), t.dim())));
    if c.provisional {
        lines.push(Line::from(Span::styled(
            "° Provisional: in AWS's 2025 self-assessment map, not on the Feb 2026 page.",
            t.warning(),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(c.question.clone(), t.accent())));
    lines.push(Line::from(""));
    let earlier = earlier_wording(st, c);
    for (label, before) in &earlier {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", terminal(label)), t.dim()),
            Span::styled(terminal(before).into_owned(), t.dim()),
        ]));
    }
    if !earlier.is_empty() {
        lines.push(Line::from(""));
    }
    let hints = scan_hints(st, c);
    if !hints.is_empty() {
        lines.extend(hints);
        lines.push(Line::from(""));
    }
    lines.extend(crate::tui::widgets::markdown::to_text(&c.guidance, &t.markdown()).lines);
    if !c.automated.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("Checked by the account scan: {}", c.automated.join(", ")),
            t.dim(),
        )));
    }
    let para = Paragraph::new(Text::from(lines))
        .wrap(Wrap { trim: false })
        .scroll((v.guidance_scroll, 0))
        .block(pane_block(st, Pane::Guidance, format!(" {} ", c.id)));
    frame.render_widget(para, area);
}

/// What `c` said in the version before the move that marked its answer to review, while the
/// answer waits for a second look: each of its title, question and workbook rows that changed,
/// labelled with that version (`Before partner-hosted@2026-02`), its earlier text beside it.
fn earlier_wording(st: &State, c: &Control) -> Vec<(String, String)> {
    let review = st.to_review(&c.id);
    let Some(p) = st.proj().filter(|_| !review.is_empty()) else {
        return Vec::new();
    };
    let Some(m) = p
        .migrations
        .iter()
        .rev()
        .find(|m| format!("{}@{}", m.checklist, m.to) == review)
    else {
        return Vec::new();
    };
    let Some(before) = st.library.version(&m.checklist, &m.from) else {
        return Vec::new();
    };
    let Some(old) = before.control(&c.id) else {
        return Vec::new();
    };
    let spec = before.spec();
    let mut out = Vec::new();
    if !diff::same_words(&old.title, &c.title) {
        out.push((format!("Title before {spec}"), old.title.clone()));
    }
    if old.fingerprint != c.fingerprint {
        out.push((format!("Before {spec}"), old.question.clone()));
    }
    for r in diff::row_changes(old, c) {
        out.push(match r.kind {
            diff::ADDED => (format!("{} is new since {spec}", r.row), r.after),
            _ => (format!("{} before {spec}", r.row), r.before),
        });
    }
    out
}

/// What the imported scans found for `c`, one line each, newest first, and a plain word when
/// the control is marked met while a scan fails it and the response does not say why. Hints,
/// never answers: nothing here changes the status.
fn scan_hints(st: &State, c: &Control) -> Vec<Line<'static>> {
    let t = &st.theme;
    let (Some(p), Some(ck)) = (st.proj(), st.checklist()) else {
        return Vec::new();
    };
    let hints = p.hints(&ck.id, &c.id);
    if hints.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::from(Span::styled("Scan results", t.dim()))];
    for h in &hints {
        let r = h.result;
        let (mark, style) = if r.failed > 0 {
            ("!", t.warning())
        } else if r.passed > 0 {
            ("✓", t.ok())
        } else {
            ("·", t.dim())
        };
        // File text (resource ARNs) reaches the terminal only escaped.
        let text = crate::safe::terminal(&h.line(st.today)).into_owned();
        lines.push(Line::from(Span::styled(format!("{mark} {text}"), style)));
    }
    if st.status_of(c) == Status::Met {
        let response = st.answer_of(&c.id).response;
        let failing = hints
            .iter()
            .filter(|h| {
                h.result.failed > 0
                    && !crate::assessment::scan::explains_exception(&response, h.result)
            })
            .count();
        if failing > 0 {
            let which = if failing == 1 {
                "this scan fails".to_string()
            } else {
                format!("{failing} scans fail")
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "Marked met, but {which} it: explain the exception in the response or fix it."
                ),
                t.error(),
            )));
        }
    }
    lines
}

fn render_answer(v: &InterviewView, st: &State, frame: &mut Frame, area: Rect, c: &Control) {
    let t = &st.theme;
    let a = st.answer_of(&c.id);
    let status = st.status_of(c);
    let fields = Field::for_status(a.status, c.rows.len(), c.values.len());
    let focused = st.focus == Pane::Answer;
    let current = v.field(st);
    let inner_w = area.width.saturating_sub(2) as usize;
    let value_w = inner_w.saturating_sub(11).max(10);
    let mut lines: Vec<Line> = Vec::new();
    let mut field_line = 0;
    let label = |f: Field| {
        let style = if focused && f == current {
            t.selected()
        } else {
            t.dim()
        };
        Span::styled(format!("{:<9}", f.label()), style)
    };
    for f in &fields {
        if *f == current {
            field_line = lines.len();
        }
        match f {
            Field::Status => lines.extend(status_lines(st, &a, status, label(*f))),
            Field::Value(i) => {
                if let Some(spec) = c.values.get(*i) {
                    lines.push(value_row(v, st, c, spec, &a, *f == current && focused));
                }
            }
            Field::Row(i) => {
                if let Some(row) = c.rows.get(*i) {
                    lines.extend(row_lines(st, c, row, *f == current && focused, value_w));
                    if *i + 1 == c.rows.len() {
                        lines.push(sheet_line(st, c));
                    }
                }
            }
            Field::Evidence => {
                let selected = (focused && current == Field::Evidence).then_some(v.evidence);
                let (files, at) = evidence_lines(st, &a, label(*f), selected, inner_w);
                if let Some(at) = at {
                    field_line = lines.len() + at;
                }
                lines.extend(files);
            }
            other => lines.extend(text_field_lines(st, &a, *other, label(*other), value_w)),
        }
    }
    lines.extend(finding_lines(st, c));
    let inner_h = area.height.saturating_sub(2) as usize;
    // The pane wraps long lines: the selected field's row counts the rows the lines above it
    // take, so the field is always in view.
    let field_row: usize = lines[..field_line.min(lines.len())]
        .iter()
        .map(|l| l.width().div_ceil(inner_w.max(1)).max(1))
        .sum();
    let scroll = field_row.saturating_sub(inner_h.saturating_sub(2)) as u16;
    let para = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .block(pane_block(st, Pane::Answer, " Answer ".into()));
    frame.render_widget(para, area);
}

/// The status, marked when scoping switched the control off, and a reworded control's call
/// for review.
fn status_lines(
    st: &State,
    a: &Answer,
    status: Status,
    label: Span<'static>,
) -> Vec<Line<'static>> {
    let t = &st.theme;
    let mut spans = vec![
        label,
        Span::raw(" "),
        Span::styled(
            format!("{} {}", status_mark(status), status.label()),
            t.status(status),
        ),
    ];
    if status != a.status {
        spans.push(Span::styled(" (switched off by scoping)", t.dim()));
    }
    let mut lines = vec![Line::from(spans)];
    if !a.review.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "? Reworded in {}: review and confirm (v)",
                terminal(&a.review)
            ),
            t.error(),
        )));
    }
    lines
}

/// The evidence: how many files, then one line each; the `selected` file's line is returned
/// too, to keep it in view.
fn evidence_lines(
    st: &State,
    a: &Answer,
    label: Span<'static>,
    selected: Option<usize>,
    width: usize,
) -> (Vec<Line<'static>>, Option<usize>) {
    let t = &st.theme;
    let mut lines = vec![Line::from(vec![
        label,
        Span::styled(
            format!(
                " {} file{}",
                a.evidence.len(),
                if a.evidence.len() == 1 { "" } else { "s" }
            ),
            t.text(),
        ),
    ])];
    let mut at = None;
    for (i, ev) in a.evidence.iter().enumerate() {
        let this = selected == Some(i);
        if this {
            at = Some(lines.len());
        }
        lines.push(file_line(
            t,
            Span::raw("  "),
            ev,
            st.evidence_states.get(i),
            this,
            width,
        ));
    }
    (lines, at)
}

/// A text field of the answer: its label and its text wrapped (a response four lines at most,
/// the others two, cut with …), or what it is for while empty.
fn text_field_lines<'a>(
    st: &State,
    a: &Answer,
    other: Field,
    label: Span<'a>,
    value_w: usize,
) -> Vec<Line<'a>> {
    let t = &st.theme;
    let mut lines: Vec<Line<'a>> = Vec::new();
    let text = match other {
        Field::Response => a.response.clone(),
        Field::Reason => a.reason.clone(),
        Field::PlanWhat => a.remediation.what.clone(),
        Field::PlanOwner => a.remediation.owner.clone(),
        Field::PlanDue => a.remediation.due.map(|d| d.to_string()).unwrap_or_default(),
        Field::Notes => a.notes.clone(),
        _ => String::new(),
    };
    let max_lines = if other == Field::Response { 4 } else { 2 };
    let wrapped = wrap_plain(&text, value_w);
    if wrapped.is_empty() {
        let hint = match other {
            Field::Response => "— what the reviewer reads (e writes)",
            Field::Notes => "— for your team, not submitted",
            _ => "—",
        };
        lines.push(Line::from(vec![
            label.clone(),
            Span::raw(" "),
            Span::styled(hint, t.dim()),
        ]));
    } else {
        for (k, l) in wrapped.iter().take(max_lines).enumerate() {
            let head = if k == 0 {
                label.clone()
            } else {
                Span::raw(" ".repeat(9))
            };
            let more = if k + 1 == max_lines && wrapped.len() > max_lines {
                " …"
            } else {
                ""
            };
            lines.push(Line::from(vec![
                head,
                Span::raw(" "),
                Span::raw(format!("{l}{more}")),
            ]));
        }
    }
    lines
}

/// What the readiness check says about `c`, below its answer (a scan's failure is said beside
/// the scan, a rewording below the status).
fn finding_lines<'a>(st: &State, c: &Control) -> Vec<Line<'a>> {
    let t = &st.theme;
    let mut lines: Vec<Line<'a>> = Vec::new();
    if let Some(r) = &st.report {
        let own: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.control.as_deref() == Some(c.id.as_str()))
            // A scan's failure is said beside the scan, a rewording below the status.
            .filter(|f| {
                !matches!(
                    f.code,
                    crate::assessment::readiness::Code::ScanFails
                        | crate::assessment::readiness::Code::AnswerToReview
                )
            })
            .collect();
        if !own.is_empty() {
            lines.push(Line::from(""));
            for f in own {
                lines.push(Line::from(Span::styled(
                    format!(
                        "{} {}",
                        if f.severity == crate::assessment::readiness::Severity::Error {
                            "✗"
                        } else {
                            "!"
                        },
                        f.message
                    ),
                    t.severity(f.severity),
                )));
            }
        }
    }
    lines
}

/// One workbook row: its number, its choices with the one given marked, the keys, then its
/// question. A row that follows a scoping question says so.
fn row_lines<'a>(
    st: &State,
    c: &Control,
    row: &crate::content::SheetRow,
    selected: bool,
    width: usize,
) -> Vec<Line<'a>> {
    let t = &st.theme;
    let value = st
        .proj()
        .zip(st.checklist())
        .and_then(|(p, ck)| crate::assessment::grade::row_value(p, ck, row));
    let short = row.id.strip_prefix(c.id.as_str()).unwrap_or(&row.id);
    let mut spans = vec![Span::styled(
        format!("{:<9}", format!("Row {short}")),
        if selected { t.selected() } else { t.dim() },
    )];
    for choice in &row.choices {
        spans.push(Span::raw(" "));
        if value.as_deref() == Some(choice.as_str()) {
            spans.push(Span::styled(format!("[{choice}]"), t.selected()));
        } else {
            spans.push(Span::styled(choice.clone(), t.text()));
        }
    }
    let keys = match &row.scoping {
        Some(_) => "  (the scoping answer)".to_string(),
        None => format!(
            "  {}",
            row.choices
                .iter()
                .filter_map(|c| crate::content::sheet::choice_key(c))
                .map(String::from)
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    spans.push(Span::styled(keys, t.dim()));
    let mut out = vec![Line::from(spans)];
    // The question in full where it is selected, else in three lines at most, cut with "…".
    let wrapped = wrap_plain(&row.question, width);
    let keep = if selected { wrapped.len() } else { 3 };
    for (i, l) in wrapped.iter().take(keep).enumerate() {
        let more = if i + 1 == keep && wrapped.len() > keep {
            " …"
        } else {
            ""
        };
        out.push(Line::from(vec![
            Span::raw(" ".repeat(10)),
            Span::styled(format!("{}{more}", terminal(l)), t.dim()),
        ]));
    }
    out
}

/// What AWS's sheet will grade the control, and why it fails.
fn sheet_line<'a>(st: &State, c: &Control) -> Line<'a> {
    let t = &st.theme;
    let Some((p, ck)) = st.proj().zip(st.checklist()) else {
        return Line::from("");
    };
    match crate::assessment::grade::verdict(p, ck, c) {
        Some(crate::assessment::grade::Verdict::Pass) => Line::from(vec![
            Span::styled(format!("{:<9}", "AWS"), t.dim()),
            Span::styled(" ✓ the sheet grades it pass", t.status(Status::Met)),
        ]),
        Some(crate::assessment::grade::Verdict::Fail) => Line::from(vec![
            Span::styled(format!("{:<9}", "AWS"), t.dim()),
            Span::styled(
                format!(
                    " ✗ the sheet grades it fail: {}",
                    terminal(&crate::assessment::grade::why_fail(p, ck, c))
                ),
                t.error(),
            ),
        ]),
        None => Line::from(""),
    }
}

/// One required value's row: its label, what is given (and how it reads), or what to type.
fn value_row<'a>(
    v: &InterviewView,
    st: &State,
    c: &Control,
    spec: &crate::content::RequiredValue,
    a: &Answer,
    selected: bool,
) -> Line<'a> {
    use crate::assessment::values::{State as Value, state};
    let t = &st.theme;
    let label_style = if selected { t.selected() } else { t.dim() };
    let mut spans = vec![
        Span::styled(spec.label.clone(), label_style),
        Span::raw(" "),
    ];
    let draft = v.value_drafts.get(&(c.id.clone(), spec.key.clone()));
    let saved = state(spec, Some(a));
    if let Some(text) = draft {
        spans.push(Span::styled(text.clone(), t.error()));
        spans.push(Span::styled(
            format!(" ✗ not saved: not a {}", spec.kind),
            t.error(),
        ));
        if let Value::Given { parsed, .. } = saved {
            spans.push(Span::styled(
                format!(" (still saved: {})", parsed.canonical),
                t.dim(),
            ));
        }
        return Line::from(spans);
    }
    match saved {
        Value::Missing => spans.push(Span::styled(
            format!("— {}, {}", spec.kind, spec.hint),
            t.dim(),
        )),
        Value::Malformed { typed, .. } => {
            spans.push(Span::styled(typed.to_string(), t.error()));
            spans.push(Span::styled(
                format!(" ✗ not a {} ({})", spec.kind, spec.hint),
                t.error(),
            ));
        }
        Value::Given { typed, parsed } => {
            spans.push(Span::styled(typed.trim().to_string(), t.text()));
            if parsed.canonical != typed.trim() {
                spans.push(Span::styled(format!(" = {}", parsed.canonical), t.dim()));
            }
        }
    }
    Line::from(spans)
}

/// Word-wraps plain text to `width` columns (for previews; the editor wraps on its own).
fn wrap_plain(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .flat_map(|para| crate::util::wrap(para, crate::util::Wrap::new(width)))
        .collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}
