//! `/`: find a control by its id or by words of its title or question, across domains, and
//! go to it. The list narrows with every key, as k9s and lazygit filter.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::content::Control;
use crate::safe::terminal;
use crate::tui::state::State;
use crate::tui::state::popup::Search;
use crate::tui::widgets::fit::clip_end as clip;

/// Whether every word of `query` is in the control's id, title or question (any case).
fn matches(control: &Control, query: &str) -> bool {
    let hay = format!("{} {} {}", control.id, control.title, control.question).to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| hay.contains(word))
}

/// The controls of the checklist that `query` finds, in checklist order; an id typed in full
/// comes first.
pub fn results(st: &State, query: &str) -> Vec<Control> {
    let Some(c) = st.checklist() else {
        return Vec::new();
    };
    let mut found: Vec<Control> = c
        .controls
        .iter()
        .filter(|x| matches(x, query))
        .cloned()
        .collect();
    if let Some(i) = found
        .iter()
        .position(|x| x.id.eq_ignore_ascii_case(query.trim()))
    {
        let exact = found.remove(i);
        found.insert(0, exact);
    }
    found
}

/// What a key did to the search box.
pub enum Outcome {
    /// Still open, as it is now.
    Open(Search),
    Closed,
    /// Enter on a match: go to this control.
    Go(Box<Control>),
}

/// Keys in the search box: letters type, ↑ ↓ choose, Enter goes, Esc closes.
pub fn key(st: &State, mut s: Search, key: KeyEvent) -> Outcome {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let n = results(st, &s.query).len();
    match key.code {
        KeyCode::Esc => return Outcome::Closed,
        KeyCode::Enter => {
            if let Some(c) = results(st, &s.query).get(s.selected) {
                return Outcome::Go(Box::new(c.clone()));
            }
        }
        KeyCode::Down => s.selected = (s.selected + 1).min(n.saturating_sub(1)),
        KeyCode::Up => s.selected = s.selected.saturating_sub(1),
        KeyCode::Backspace => {
            s.query.pop();
            s.selected = 0;
        }
        KeyCode::Char('u') if ctrl => {
            s.query.clear();
            s.selected = 0;
        }
        KeyCode::Char(c) if !ctrl => {
            s.query.push(c);
            s.selected = 0;
        }
        _ => {}
    }
    Outcome::Open(s)
}

/// Draws the search box over `area`: the query, then the matches.
pub fn render(st: &State, s: &Search, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let width = area.width.saturating_sub(4).min(90);
    let height = area.height.saturating_sub(4).min(20);
    let r = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 2,
        width,
        height,
    };
    frame.render_widget(Clear, r);
    let found = results(st, &s.query);
    let mut lines = vec![
        Line::from(vec![
            Span::styled("/ ", t.key()),
            Span::raw(terminal(&s.query).into_owned()),
            Span::styled("▏", t.dim()),
        ]),
        Line::from(""),
    ];
    let room = height.saturating_sub(5) as usize;
    let first = s.selected.saturating_sub(room.saturating_sub(1));
    for (i, c) in found.iter().enumerate().skip(first).take(room) {
        let text = clip(
            &format!("{:<10} {} · {}", c.id, terminal(&c.title), c.domain.name()),
            width.saturating_sub(4) as usize,
        );
        let style = if i == s.selected {
            t.selected()
        } else {
            t.text()
        };
        let mark = if i == s.selected { "▸ " } else { "  " };
        lines.push(Line::from(Span::styled(format!("{mark}{text}"), style)));
    }
    if found.is_empty() {
        lines.push(Line::from(Span::styled(
            "No control matches; Backspace to widen.",
            t.dim(),
        )));
    } else if found.len() > room {
        lines.push(Line::from(Span::styled(
            format!(
                "{} more: type more words to narrow",
                found.len() - room.min(found.len())
            ),
            t.dim(),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(format!(
                    " Find a control · {} found · ↑↓ Enter Esc ",
                    found.len()
                ))
                .border_style(t.focus_border()),
        ),
        r,
    );
}
