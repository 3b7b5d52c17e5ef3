//! Typing is never taken for commands: keys that arrive together as typing (a sentence typed
//! or pasted in one go) while no text field is open are held, not run one by one. The wizard
//! shows what it holds and offers to put it into the field the user most likely meant (the
//! response of the selected control, or the profile's text row), or to drop it; nothing
//! changes until the user chooses. Within any batch of keys, nothing that leaves the wizard
//! (`E`, the external editor) starts.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::App;
use crate::safe::terminal;
use crate::tui::state::editor::Target;
use crate::tui::state::nav::{Field, Pane, ProfileRow, Screen};
use crate::tui::state::popup::Popup;

/// The fewest printable keys in one batch that read as typing rather than commands.
pub const TYPING_KEYS: usize = 4;

/// The text of `events` when they read as typing: every one a printable key (no Ctrl or Alt),
/// at least [`TYPING_KEYS`] of them, and not one key repeated (a held `j` is a command).
pub fn typed_text(events: &[Event]) -> Option<String> {
    let mut text = String::new();
    for ev in events {
        match ev {
            Event::Key(KeyEvent {
                code: KeyCode::Char(c),
                modifiers,
                kind,
                ..
            }) if !modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                if *kind != KeyEventKind::Release {
                    text.push(*c);
                }
            }
            Event::Key(KeyEvent {
                kind: KeyEventKind::Release,
                ..
            }) => {}
            _ => return None,
        }
    }
    let mut chars = text.chars();
    let first = chars.next()?;
    let varied = chars.any(|c| c != first);
    (text.chars().count() >= TYPING_KEYS && varied).then_some(text)
}

/// Where held text would go: the field, and how the offer names it.
pub struct Destination {
    pub target: Target,
    pub name: String,
}

impl App {
    /// Handles the events read together; a batch that reads as typing, with no field or
    /// popup open, is held instead.
    pub fn handle_events(&mut self, events: Vec<Event>) {
        let free = self.st.editor.is_none() && self.st.popups.is_empty() && !self.too_small;
        if free && let Some(text) = typed_text(&events) {
            self.hold(text);
            return;
        }
        let batch = events.len() > 1;
        for ev in events {
            self.handle_event(ev);
        }
        if batch && self.st.external.take().is_some() {
            self.st.error(
                "E came among other keys, so $EDITOR was not opened: press E on its own to open it.",
            );
        }
    }

    /// Holds `text`, typed or pasted while no field was open, and asks where it goes.
    pub(super) fn hold(&mut self, text: String) {
        match self.st.popups.top_mut() {
            Some(Popup::Typed { text: held }) => held.push_str(&text),
            _ => self.st.popups.open(Popup::Typed { text }),
        }
    }

    /// The field held text would go into: the selected control's response in the interview,
    /// the selected text row of the profile; none elsewhere.
    pub fn destination(&self) -> Option<Destination> {
        match self.st.screen {
            Screen::Interview => {
                let control = self.st.selected_control()?.id.clone();
                Some(Destination {
                    name: format!("the response of {control}"),
                    target: Target::Answer {
                        control,
                        field: Field::Response,
                    },
                })
            }
            Screen::Profile => {
                let row = self.profile_row();
                matches!(
                    row,
                    ProfileRow::Company
                        | ProfileRow::Product
                        | ProfileRow::ContactName
                        | ProfileRow::ContactEmail
                )
                .then(|| Destination {
                    name: format!("the {} field", row.label()),
                    target: Target::Profile(row),
                })
            }
            _ => None,
        }
    }

    /// Keys while text is held: letters add to it (typing goes on), Backspace takes the last
    /// one back, Enter puts it where [`App::destination`] says, Esc drops it.
    pub(super) fn key_typed(&mut self, key: KeyEvent, mut text: String) {
        let ctrl = key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if !ctrl => text.push(c),
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Enter => return self.put_held(&text),
            KeyCode::Esc => {
                self.st.info("Dropped what was typed; nothing changed.");
                return;
            }
            _ => {}
        }
        self.st.popups.open(Popup::Typed { text });
    }

    /// Opens the field held text goes into, with the text added at its end: saved as any
    /// edit is, when the field is left.
    fn put_held(&mut self, text: &str) {
        let Some(dest) = self.destination() else {
            self.st
                .info("Nothing here takes text, so it was dropped; nothing changed.");
            return;
        };
        if let Target::Answer { .. } = dest.target {
            self.st.focus = Pane::Answer;
            if let Some(i) = self.fields().iter().position(|f| *f == Field::Response) {
                self.interview.field = i;
            }
        }
        self.start_editing(dest.target);
        if let Some(editor) = self.st.editor.as_mut() {
            let before = editor.text();
            let joined = if before.is_empty() || before.ends_with(char::is_whitespace) {
                text.to_string()
            } else {
                format!(" {text}")
            };
            editor
                .area
                .move_cursor(ratatui_textarea::CursorMove::Bottom);
            editor.area.move_cursor(ratatui_textarea::CursorMove::End);
            editor.area.insert_str(joined);
        }
        self.st.info(format!(
            "Put into {}: Esc saves it, as any field.",
            terminal(&dest.name)
        ));
    }
}
