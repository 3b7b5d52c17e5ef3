//! An attached file as one row: its fingerprint mark, its path, then its size, label and date,
//! or what is wrong with it. Shared by the interview's evidence and the profile's upload files.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::assessment::Evidence;
use crate::assessment::evidence::{FileState, human_size};
use crate::tui::theme::Theme;

/// The spans of one file row, fitted to `width` cells; `state` is `None` until looked at.
pub fn file_spans(
    t: &Theme,
    ev: &Evidence,
    state: Option<&FileState>,
    selected: bool,
    width: usize,
) -> Vec<Span<'static>> {
    let (mark, note, style) = match state {
        Some(FileState::Matches) => ("✓", "", t.ok()),
        Some(FileState::Missing) => ("✗", " missing", t.error()),
        Some(FileState::Changed { .. }) => ("✗", " changed since attached", t.error()),
        Some(FileState::NotAFile) => ("✗", " not a file", t.error()),
        Some(FileState::Unreadable(_)) => ("✗", " unreadable", t.error()),
        None => ("·", "", t.dim()),
    };
    // The size on disk now: a changed file says what it was when attached.
    let mut extra = vec![match state {
        Some(FileState::Changed { size }) => {
            format!("{} (was {})", human_size(*size), human_size(ev.size))
        }
        _ => human_size(ev.size),
    }];
    if !ev.label.is_empty() {
        extra.push(crate::safe::terminal(&ev.label).into_owned());
    }
    if let Some(d) = ev.produced {
        extra.push(d.to_string());
    }
    let row_style = if selected {
        t.selected()
    } else {
        Style::default()
    };
    let path = crate::tui::widgets::fit::clip_end(
        &crate::safe::terminal(&ev.path),
        width.saturating_sub(12).max(10),
    );
    let room = width.saturating_sub(path.chars().count() + 4);
    let tail = crate::tui::widgets::fit::clip_end(&format!("{}{note}", extra.join(" · ")), room);
    let tail_style = if note.is_empty() { t.dim() } else { style };
    vec![
        Span::styled(format!("{mark} "), style),
        Span::styled(path, row_style),
        Span::styled(format!("  {tail}"), tail_style),
    ]
}

/// [`file_spans`] after `prefix`, as a line.
pub fn file_line(
    t: &Theme,
    prefix: Span<'static>,
    ev: &Evidence,
    state: Option<&FileState>,
    selected: bool,
    width: usize,
) -> Line<'static> {
    let room = width.saturating_sub(prefix.width());
    let mut spans = vec![prefix];
    spans.extend(file_spans(t, ev, state, selected, room));
    Line::from(spans)
}
