//! Popups over the screens (help, a question waiting for y/n, the file picker, files to
//! reuse, the save conflict, the checklist versions, the search box): what each holds. Their
//! keys are the app's (`app::popups`); they are drawn by `ui`.

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
    /// The move previewed, waiting for y; `backup` names the copy of the file to be kept.
    Migrate {
        plan: Box<Plan>,
        backup: String,
        scroll: u16,
    },
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
