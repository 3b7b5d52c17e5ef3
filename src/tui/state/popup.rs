//! Popups over the screens (help, a question waiting for y/n, the file picker, files to
//! reuse, the save conflict, the checklist versions, the search box): what each holds, and
//! the stack they open on. Their keys are the app's (`app::popups`); they are drawn by `ui`,
//! from the bottom of the stack up.

use super::edit::AttachTo;
use crate::assessment::Slot;
use crate::assessment::migrate::Plan;
use crate::content::Model;
use crate::content::diff::Diff;
use crate::tui::widgets::picker::Picker;

/// A question that waits for y/n.
#[derive(Debug, Clone)]
pub enum Confirm {
    RemoveEvidence {
        control: String,
        path: String,
    },
    DetachFile {
        slot: Slot,
        path: String,
    },
    SwitchModel(Model),
    QuitUnsaved,
    /// Opens the scoping question with this id (a control it switched off was given a status).
    OpenScoping(String),
}

pub enum Popup {
    Help {
        scroll: u16,
    },
    /// `/`: finding a control.
    Search(Search),
    Confirm {
        question: String,
        action: Confirm,
    },
    Picker {
        picker: Box<Picker>,
        to: AttachTo,
    },
    Reuse {
        control: String,
        files: Vec<ReuseFile>,
        selected: usize,
    },
    /// The file changed on disk before the changes in `State::pending` could be saved.
    Conflict,
    /// A newer version of the project's checklist is installed (asked once per opening): see
    /// what changed, move now, or later. The plan is what a move would do now.
    Newer {
        plan: Box<Plan>,
    },
    /// What changed from one version of a checklist to another; `can_move` when the project
    /// may move to the later one from here.
    Changes {
        diff: Box<Diff>,
        scroll: u16,
        can_move: bool,
    },
    /// The checklist's window of use (Enter on its finding): what is known, and the choices.
    Window,
    /// The last message, whole (`M`), scrolled by `scroll` lines.
    Message {
        text: String,
        scroll: u16,
    },
    /// Text typed (or pasted) while no field was open, held until the user says where it
    /// goes: nothing ran as a command.
    Typed {
        text: String,
    },
    /// The move previewed, waiting for y; `backup` names the copy of the file to be kept.
    Migrate {
        plan: Box<Plan>,
        backup: String,
        scroll: u16,
    },
}

/// The open popups, the top one last: keys go to the top one, and closing it shows the one
/// under it again (help opened over a question returns to the question).
#[derive(Default)]
pub struct Popups(Vec<Popup>);

impl Popups {
    /// Opens `popup` over the others.
    pub fn open(&mut self, popup: Popup) {
        self.0.push(popup);
    }

    /// The popup on top: the one keys go to.
    pub fn top(&self) -> Option<&Popup> {
        self.0.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Popup> {
        self.0.last_mut()
    }

    /// Takes the top popup off: its key handler opens it again to keep it.
    pub fn take(&mut self) -> Option<Popup> {
        self.0.pop()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Closes every popup.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// How many are open.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The popup `i` from the bottom (0): they are drawn in that order.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Popup> {
        self.0.get_mut(i)
    }
}

impl Popup {
    /// `?` opens help over it: not where `?` is typed text (the search box, the picker's
    /// path), nor over the save conflict, which only keys never typed in text answer.
    pub fn takes_help(&self) -> bool {
        !matches!(
            self,
            Popup::Help { .. }
                | Popup::Search(_)
                | Popup::Picker { .. }
                | Popup::Conflict
                | Popup::Typed { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReuseFile {
    pub path: String,
    pub used_by: Vec<String>,
}

/// The search box: what is typed, and which match is selected.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub selected: usize,
}
