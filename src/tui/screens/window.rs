//! The popup of a checklist's window of use, opened by Enter on its finding: what AWS's page
//! says, what is known now, and the choices (go on with this version, install a newer release
//! from a file, write a copy to edit), each with its command line. Its keys are the app's.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::assessment::readiness::Code;
use crate::assessment::window::Window;
use crate::content::{Checklist, next_version};
use crate::safe::terminal;
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::widgets::fit::{centered, wrapped};

/// A choice of the popup: its key, what it does, and the command line that does the same.
pub struct Choice {
    pub key: &'static str,
    pub does: String,
    pub command: String,
}

/// The choices for `checklist`, whose window the project goes on past when `going_on`.
pub fn choices(checklist: &Checklist, going_on: bool) -> Vec<Choice> {
    let go_on = if going_on {
        Choice {
            key: "g",
            does: format!(
                "stop going on with {}: the check reports the window again",
                checklist.version
            ),
            command: "ftr set accept-past-window no".into(),
        }
    } else {
        Choice {
            key: "g",
            does: format!(
                "go on with {}, recorded for this version (the check then warns, not stops)",
                checklist.version
            ),
            command: "ftr set accept-past-window yes".into(),
        }
    };
    let next = next_version(&checklist.version);
    vec![
        go_on,
        Choice {
            key: "i",
            does: "install a newer release from a file AWS or a teammate gave you".into(),
            command: "ftr checklists add FILE".into(),
        },
        Choice {
            key: "w",
            does: format!(
                "write a copy of {} as {next} to edit, beside the project file",
                checklist.version
            ),
            command: format!(
                "ftr checklists scaffold --from {} --version {next}",
                checklist.id
            ),
        },
    ]
}

/// The lines of the popup, wrapped to `width` cells.
fn lines(st: &State, c: &Checklist, t: &Theme, width: usize) -> Vec<Line<'static>> {
    let accepted = st
        .proj()
        .map_or("", |p| p.delivery.accept_past_window.as_str());
    let window = Window::of(c, &st.library, accepted, st.today);
    let mut out = Vec::new();
    let section = |out: &mut Vec<Line<'static>>, title: &str, text: &str| {
        out.push(Line::from(Span::styled(title.to_string(), t.title())));
        out.extend(wrapped(vec![Span::raw("  ")], text, t.text(), 2, width));
        out.push(Line::from(""));
    };
    let mut page = terminal(&c.window()).into_owned();
    if c.usable_until.is_some_and(|d| d.approximate) {
        page.push_str(" (the page names only the month; the day is ftr's reading of it)");
    }
    if let Some((note, _)) = &c.notice {
        page.push_str(&format!(". {}", terminal(note)));
    }
    section(&mut out, "What AWS's page says", &page);
    let known = st
        .report
        .as_ref()
        .and_then(|r| {
            r.findings
                .iter()
                .find(|f| matches!(f.code, Code::ChecklistExpired | Code::ChecklistExpiring))
        })
        .map_or_else(|| window.words(), |f| terminal(&f.message).into_owned());
    section(&mut out, "What is known", &known);
    out.push(Line::from(Span::styled("Choices".to_string(), t.title())));
    for choice in choices(c, window.going_on_note(c).is_some()) {
        out.extend(wrapped(
            vec![Span::styled(format!("  {:<5}", choice.key), t.key())],
            &choice.does,
            t.text(),
            7,
            width,
        ));
        out.extend(wrapped(
            vec![Span::raw(" ".repeat(7))],
            &choice.command,
            t.dim(),
            7,
            width,
        ));
    }
    out.extend(wrapped(
        vec![Span::styled(format!("  {:<5}", "Esc"), t.key())],
        "close: nothing changes",
        t.text(),
        7,
        width,
    ));
    out
}

/// Draws the popup over `area`.
pub fn render(st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let Some(c) = st.checklist() else {
        return;
    };
    let width = area.width.saturating_sub(8).min(80);
    let lines = lines(st, c, t, width.saturating_sub(2) as usize);
    let r = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let title = format!(
        " The window of {} {} ",
        terminal(&c.id),
        terminal(&c.version)
    );
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(title)
                .border_style(t.focus_border()),
        ),
        r,
    );
}
