//! The mouse: the wheel scrolls what is under it; a click in the interview gives the keyboard
//! to the pane clicked.

use std::cell::Cell;

use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::app::{App, Pane, Screen};
use super::keymap::Cmd;
use super::popup::Popup;

/// Screen areas from the last frame, for the mouse.
#[derive(Debug, Default)]
pub struct Areas {
    pub list: Cell<Rect>,
    pub guidance: Cell<Rect>,
    pub answer: Cell<Rect>,
}

impl App {
    pub(super) fn mouse(&mut self, m: MouseEvent) {
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
        if let Some(Popup::Picker { picker, .. }) = self.popup.as_mut() {
            picker.scroll(delta);
            return;
        }
        if let Some(
            Popup::Help { scroll } | Popup::Changes { scroll, .. } | Popup::Migrate { scroll, .. },
        ) = self.popup.as_mut()
        {
            *scroll = scroll.saturating_add_signed(delta as i16);
            return;
        }
        if self.popup.is_some() || self.editor.is_some() {
            return;
        }
        let cmd = if delta > 0 { Cmd::Down } else { Cmd::Up };
        if self.screen == Screen::Interview {
            if self.areas.guidance.get().contains(at) {
                self.scroll_guidance(delta);
            } else if self.areas.list.get().contains(at) {
                let keep = self.focus;
                self.focus = Pane::List;
                self.key_interview(cmd);
                self.focus = keep;
            } else if self.areas.answer.get().contains(at) {
                let keep = self.focus;
                self.focus = Pane::Answer;
                self.key_interview(cmd);
                self.focus = keep;
            }
            return;
        }
        // Elsewhere the wheel moves as the arrow keys do (on the export step: the reasons).
        self.key_screen(cmd);
    }

    fn click(&mut self, at: Position) {
        if self.popup.is_some() || self.screen != Screen::Interview {
            return;
        }
        if self.editor.is_some() {
            if self.areas.answer.get().contains(at) {
                return;
            }
            self.finish_editing();
        }
        for (area, pane) in [
            (&self.areas.list, Pane::List),
            (&self.areas.guidance, Pane::Guidance),
            (&self.areas.answer, Pane::Answer),
        ] {
            if area.get().contains(at) {
                self.focus = pane;
            }
        }
    }
}
