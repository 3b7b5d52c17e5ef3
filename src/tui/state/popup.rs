//! Popups over the screens (help, a question waiting for y/n, the file picker, files to
//! reuse, the save conflict, the checklist versions, the search box): what each holds, and
//! the stack they open on. Their keys are the app's (`app::popups`); they are drawn by `ui`,
//! from the bottom of the stack up.

use super::edit::AttachTo;
use crate::assessment::Slot;
use crate::assessment::migrate::Plan;
use crate::content::Model;
use crate::content::diff::Diff;
use crate::tui::widgets::filter;
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
    /// The file browser, choosing a file for `to` (its title names it).
    Picker {
        picker: Box<Picker>,
        to: Pick,
    },
    /// `o`: files attached elsewhere, to attach to a control too.
    Reuse(Reuse),
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
    /// `?` opens help over it: not where `?` is typed text (the search box, the filters of
    /// the file browser and of the files to reuse), nor over the save conflict, which only
    /// keys never typed in text answer.
    pub fn takes_help(&self) -> bool {
        !matches!(
            self,
            Popup::Help { .. }
                | Popup::Search(_)
                | Popup::Picker { .. }
                | Popup::Reuse(_)
                | Popup::Conflict
                | Popup::Typed { .. }
        )
    }
}

/// What a file chosen in the browser is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// Attached to a control's evidence or to a slot of the upload form.
    Attach(AttachTo),
    /// AWS's workbook, for the export to fill (as `ftr set template` remembers it).
    Template,
}

impl Pick {
    /// The browser's title, naming what is chosen: "Choose evidence for IAM-001", "Choose the
    /// architecture diagram", "Choose a security tool report", "Choose AWS's workbook to
    /// fill". Raw: a control id comes from the project file.
    pub fn title(&self) -> String {
        match self {
            Pick::Attach(AttachTo::Control(id)) => format!("Choose evidence for {id}"),
            Pick::Attach(AttachTo::Slot(Slot::SecurityReport)) => {
                "Choose a security tool report".into()
            }
            Pick::Attach(AttachTo::Slot(slot)) => format!("Choose the {}", slot.name()),
            Pick::Template => "Choose AWS's workbook to fill".into(),
        }
    }
}

/// A file attached somewhere in the project, with where, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReuseFile {
    pub path: String,
    pub used_by: Vec<String>,
}

/// The files to reuse for `control`: all of them in a stable order (by path, never by use),
/// the rows the filter lets through, and which of those is selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reuse {
    pub control: String,
    files: Vec<ReuseFile>,
    /// What was typed to narrow the list (matched against the paths, ignoring case).
    pub filter: String,
    /// Index into [`Reuse::shown`].
    pub selected: usize,
}

impl Reuse {
    /// The list for `control`, sorted by path (case-insensitively, then exactly), nothing typed.
    pub fn new(control: String, mut files: Vec<ReuseFile>) -> Reuse {
        files.sort_by(|a, b| {
            a.path
                .to_lowercase()
                .cmp(&b.path.to_lowercase())
                .then_with(|| a.path.cmp(&b.path))
        });
        Reuse {
            control,
            files,
            filter: String::new(),
            selected: 0,
        }
    }

    /// Every file, in the list's order.
    pub fn files(&self) -> &[ReuseFile] {
        &self.files
    }

    /// The files the filter lets through, in the list's order.
    pub fn shown(&self) -> Vec<&ReuseFile> {
        self.files
            .iter()
            .filter(|f| filter::matches(&self.filter, &f.path))
            .collect()
    }

    /// The selected file, if any is shown.
    pub fn chosen(&self) -> Option<&ReuseFile> {
        self.shown().get(self.selected).copied()
    }

    /// Narrows the list to `filter`, keeping the selected file selected while it is shown.
    pub fn set_filter(&mut self, filter: String) {
        let current = self.chosen().map(|f| f.path.clone());
        self.filter = filter;
        self.selected = current
            .and_then(|p| self.shown().iter().position(|f| f.path == p))
            .unwrap_or(0);
    }

    /// Moves the selection by `delta` rows, within the shown files.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown().len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }
}

/// The search box: what is typed, and which match is selected.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub selected: usize,
}
