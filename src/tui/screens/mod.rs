//! One file per screen: each owns its view state, draws itself from it and the shared
//! [`State`](crate::tui::state::State), and turns commands into changes (through
//! `State::commit`) or into an [`Action`] for the app when the step reaches beyond the screen
//! (opening a field editor, opening a project, jumping to where a finding is fixed).
//!
//! Screens import only the modules below them (`state`, `widgets`, `theme`, `keymap`), never
//! each other's files nor the app; `changes`, `search` and `window` draw popups, `editing` the field
//! editor over a screen.

pub mod changes;
pub mod editing;
pub mod export;
pub mod interview;
pub mod prereqs;
pub mod profile;
pub mod resolve;
pub mod review;
pub mod scoping;
pub mod search;
pub mod start;
pub mod window;

use std::path::PathBuf;

use crate::assessment::readiness::Finding;
use crate::content::Model;
use crate::tui::state::editor::Target;

/// What a screen made of a command.
#[derive(Debug)]
pub enum Reply {
    /// Not a command of this screen: the global keys may take it.
    Ignored,
    /// Done here.
    Handled,
    /// Done here, and the app is asked for more.
    Do(Action),
}

impl From<bool> for Reply {
    fn from(handled: bool) -> Reply {
        if handled {
            Reply::Handled
        } else {
            Reply::Ignored
        }
    }
}

/// What a screen asks the app to do: steps that reach beyond the screen.
#[derive(Debug)]
pub enum Action {
    /// Opens the text editor on a field, holding its current text.
    Edit(Target),
    /// Opens the project at `path` (`create`: a new one there first).
    Open { path: PathBuf, create: bool },
    /// Chooses the delivery model (the interview starts over on its checklist).
    ChooseModel(Model),
    /// Goes to where a finding is fixed.
    JumpTo(Box<Finding>),
}
