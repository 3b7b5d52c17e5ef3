//! The field editor drawn over the part of a screen it edits (the screen decides where):
//! its title names the field, a path being typed lists its Tab completions below it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::state::State;
use crate::tui::state::edit::AttachTo;
use crate::tui::state::editor::{Editor, Target};
use crate::tui::state::nav::Field;
use crate::tui::widgets::complete::listing;

/// Draws the active text editor over `area` (the screen decides where it goes).
pub fn render_editor_over(st: &State, frame: &mut Frame, area: Rect) {
    let Some(e) = &st.editor else {
        return;
    };
    let t = &st.theme;
    let title = match &e.target {
        Target::Profile(row) => format!(" {} ", row.label()),
        Target::PrereqCount(id) => format!(
            " {}: a number ",
            st.library
                .prerequisite(id)
                .map_or(id.as_str(), |p| p.title.as_str())
        ),
        Target::Answer {
            control,
            field: Field::Value(i),
        } => match st.value_spec(control, *i) {
            Some(spec) => format!(
                " {} · {control} · {}, {} ",
                spec.label, spec.kind, spec.hint
            ),
            None => format!(" Value · {control} "),
        },
        Target::Answer { control, field } => format!(" {} · {control} ", field.label()),
        Target::NewEvidence {
            to: AttachTo::Slot(slot),
        } => {
            format!(" Attach the {}: path (Tab completes) ", slot.name())
        }
        Target::NewEvidence {
            to: AttachTo::Control(control),
        } => {
            format!(" Attach a file to {control}: path (Tab completes) ")
        }
        Target::Template => {
            " AWS's workbook to fill: path (Tab completes; empty: ftr's own sheet) ".to_string()
        }
        Target::InstallChecklist => {
            " The checklist file to install: path (Tab completes) ".to_string()
        }
        Target::EvidenceLabel { path, .. } => format!(" Label for {path} "),
        Target::EvidenceDate { path, .. } => format!(" When {path} was produced (YYYY-MM-DD) "),
        Target::Conflict { at } => format!(
            " {}: the text to keep ",
            crate::safe::terminal(&crate::team::short_name(at))
        ),
    };
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(title)
        .border_style(t.focus_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if e.target.is_path() {
        render_path_editor(st, e, frame, inner);
        return;
    }
    // Completions belong to the path prompt alone; here only a refusal goes below the text.
    let extra = usize::from(e.error.is_some());
    let [text_area, below] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(extra as u16)]).areas(inner);
    frame.render_widget(&e.area, text_area);
    let mut lines = Vec::new();
    if let Some(err) = &e.error {
        lines.push(Line::from(Span::styled(
            crate::safe::terminal(err).into_owned(),
            t.error(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), below);
}

/// Most rows the completions of a typed path take under it.
const CANDIDATE_ROWS: usize = 5;

/// A path being typed: one line, the Tab completions listed right under it (a few rows,
/// "… N more" when they do not all fit), then why the path was refused.
fn render_path_editor(st: &State, e: &Editor, frame: &mut Frame, inner: Rect) {
    let t = &st.theme;
    let [text_area, below] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(&e.area, text_area);
    let width = below.width as usize;
    let error: Vec<Line> = e
        .error
        .iter()
        .map(|err| {
            Line::from(Span::styled(
                crate::safe::terminal(err).into_owned(),
                t.error(),
            ))
        })
        .collect();
    let rows = (below.height as usize)
        .saturating_sub(error.len())
        .min(CANDIDATE_ROWS);
    let mut lines: Vec<Line> = listing(&e.candidates, e.beyond, width, rows)
        .into_iter()
        .map(|row| Line::from(Span::styled(row, t.dim())))
        .collect();
    lines.extend(error);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), below);
}
