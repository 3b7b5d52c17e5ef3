//! Events in: a key goes to the "terminal too small" guard, else to the open popup, else to the
//! open field editor, else to the screen shown, and what the screen leaves to the global keys;
//! the mouse wheel scrolls what is under it, and a click in the interview gives the keyboard
//! to the pane clicked.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};
use ratatui::layout::Position;

use super::App;
use crate::assessment::Status;
use crate::tui::keymap::{self, Cmd};
use crate::tui::screens::{resolve, review};
use crate::tui::state::nav::{Pane, Screen};
use crate::tui::state::popup::{Confirm, Popup, Search};

impl App {
    pub fn handle_event(&mut self, event: Event) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.handle_key(key),
            Event::Paste(text) => self.paste(&text),
            Event::Mouse(_) if self.too_small => {}
            Event::Mouse(m) => self.mouse(m),
            _ => {}
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if self.too_small {
            // Nothing of the wizard shows: only quit and help act, where no popup or field
            // is open behind the notice.
            if self.st.popups.is_empty() && self.st.editor.is_none() {
                match keymap::lookup(&key) {
                    Some(Cmd::Quit) => self.request_quit(),
                    Some(Cmd::Help) => self.st.popups.open(Popup::Help { scroll: 0 }),
                    _ => {}
                }
            }
            return;
        }
        if self.st.popups.is_empty() && self.st.editor.is_none() {
            if keymap::lookup(&key) == Some(Cmd::Message) {
                // The message shown until now, whole: the key does not clear it.
                if let Some(m) = &self.st.message {
                    let text = m.text.clone();
                    self.st.popups.open(Popup::Message { text, scroll: 0 });
                }
                return;
            }
            self.st.message = None;
            self.st.moved_to = None;
        }
        if !self.st.popups.is_empty() {
            self.key_popup(key);
            return;
        }
        if self.st.editor.is_some() {
            self.key_editor(key);
            return;
        }
        if let KeyCode::Char(c) = key.code
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            && self.interview.key_row_choice(&mut self.st, c)
        {
            return;
        }
        let Some(cmd) = keymap::lookup(&key) else {
            return;
        };
        if !self.key_screen(cmd) {
            self.key_global(cmd);
        }
    }

    /// Gives `cmd` to the screen shown; false when the screen leaves it to the global keys.
    pub(super) fn key_screen(&mut self, cmd: Cmd) -> bool {
        let st = &mut self.st;
        let reply = match st.screen {
            Screen::Start => self.start.key(cmd),
            Screen::Profile => self.profile.key(st, cmd),
            Screen::Scoping => self.scoping.key(st, cmd),
            Screen::Prerequisites => self.prereqs.key(st, cmd),
            Screen::Interview => self.interview.key(st, cmd),
            Screen::Review => review::key(st, cmd),
            Screen::Export => self.export.key(st, cmd),
            Screen::Resolve => resolve::key(st, cmd),
        };
        self.reply(reply)
    }

    fn key_global(&mut self, cmd: Cmd) {
        let open = self.st.project.is_some();
        match cmd {
            Cmd::Undo => self.st.undo(),
            Cmd::Redo => self.st.redo(),
            Cmd::Search if open => self.open_search(),
            Cmd::No if open => self.next_unanswered(),
            Cmd::Quit => self.request_quit(),
            Cmd::Help => self.st.popups.open(Popup::Help { scroll: 0 }),
            Cmd::NextStep => self.step(1),
            Cmd::PrevStep => self.step(-1),
            Cmd::Review if open => {
                if self.st.screen != Screen::Review {
                    self.st.review.from = Some(self.st.screen);
                }
                self.st.goto(Screen::Review);
            }
            Cmd::Changes if open => self.st.show_changes(),
            Cmd::Resolve if open => self.st.open_resolve(None),
            _ => {}
        }
    }

    /// `/`: opens the search box.
    fn open_search(&mut self) {
        if self.st.checklist().is_none() {
            self.st.info(
                "Choose the delivery model first: the checklist it picks is what / searches.",
            );
            return;
        }
        self.st.popups.open(Popup::Search(Search::default()));
    }

    /// `n` (where it does not mean "no"): the next unanswered control after the one selected,
    /// across domains, wrapping round.
    pub fn next_unanswered(&mut self) {
        let st = &self.st;
        let (Some(p), Some(c)) = (st.proj(), st.checklist()) else {
            return;
        };
        let here = match st.screen {
            Screen::Interview => st
                .selected_control()
                .and_then(|s| c.controls.iter().position(|x| x.id == s.id)),
            _ => None,
        };
        let n = c.controls.len();
        let start = here.map_or(0, |i| i + 1);
        let next = (0..n)
            .map(|k| &c.controls[(start + k) % n])
            .find(|x| p.effective_status(c, x) == Status::Unanswered)
            .map(|x| (x.id.clone(), x.title.clone()));
        match next {
            Some((id, title)) => {
                let moved = self.go_to_control(&id);
                self.st.info(format!(
                    "Next unanswered: {id} {}{moved}",
                    crate::safe::terminal(&title)
                ));
            }
            None => self.st.info("Every control that applies is answered."),
        }
    }

    pub fn request_quit(&mut self) {
        self.export.stop();
        if let Some((control, key)) = self.interview.value_drafts.keys().next() {
            self.st.popups.open(Popup::Confirm {
                question: format!(
                    "The {key} you typed for {control} was not saved, as it does not read. Quit anyway and lose it?"
                ),
                action: Confirm::QuitUnsaved,
            });
            return;
        }
        if self.st.unsaved {
            self.st.popups.open(Popup::Confirm {
                question: "The last change could not be saved. Quit anyway and lose it?".into(),
                action: Confirm::QuitUnsaved,
            });
            return;
        }
        self.st.remember();
        self.quit = true;
    }

    // ---- the mouse ----

    fn mouse(&mut self, m: MouseEvent) {
        let delta = match m.kind {
            MouseEventKind::ScrollDown => 1,
            MouseEventKind::ScrollUp => -1,
            MouseEventKind::Down(_) => {
                self.click(Position::new(m.column, m.row));
                return;
            }
            _ => return,
        };
        let at = Position::new(m.column, m.row);
        if let Some(Popup::Picker { picker, .. }) = self.st.popups.top_mut() {
            picker.scroll(delta);
            return;
        }
        if let Some(
            Popup::Help { scroll } | Popup::Changes { scroll, .. } | Popup::Migrate { scroll, .. },
        ) = self.st.popups.top_mut()
        {
            *scroll = scroll.saturating_add_signed(delta as i16);
            return;
        }
        if !self.st.popups.is_empty() || self.st.editor.is_some() {
            return;
        }
        let cmd = if delta > 0 { Cmd::Down } else { Cmd::Up };
        if self.st.screen == Screen::Interview {
            let areas = &self.st.areas;
            if areas.guidance.get().contains(at) {
                self.interview.scroll_guidance(delta);
            } else if areas.list.get().contains(at) {
                self.key_pane_as(Pane::List, cmd);
            } else if areas.answer.get().contains(at) {
                self.key_pane_as(Pane::Answer, cmd);
            }
            return;
        }
        // Elsewhere the wheel moves as the arrow keys do (on the export step: the reasons).
        self.key_screen(cmd);
    }

    /// `cmd` to the interview as if `pane` had the keyboard, which stays where it was.
    fn key_pane_as(&mut self, pane: Pane, cmd: Cmd) {
        let keep = self.st.focus;
        self.st.focus = pane;
        let reply = self.interview.key(&mut self.st, cmd);
        self.reply(reply);
        self.st.focus = keep;
    }

    fn click(&mut self, at: Position) {
        if !self.st.popups.is_empty() || self.st.screen != Screen::Interview {
            return;
        }
        if self.st.editor.is_some() {
            if self.st.areas.answer.get().contains(at) {
                return;
            }
            self.finish_editing();
        }
        for (area, pane) in [
            (&self.st.areas.list, Pane::List),
            (&self.st.areas.guidance, Pane::Guidance),
            (&self.st.areas.answer, Pane::Answer),
        ] {
            if area.get().contains(at) {
                self.st.focus = pane;
            }
        }
    }
}
