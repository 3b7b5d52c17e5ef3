//! The wizard at the top: [`App`] owns the shared [`State`] and each screen's own view, gives
//! every event to the one that takes it, and carries out what the screens ask for
//! ([`Action`]). Nothing below imports it.
//!
//! The rules every screen goes through live here and in [`State`]:
//!
//! - what may change now: [`App::handle_key`] (in `keys.rs`) sends a key to the "terminal too
//!   small" guard, else to the open popup (`popups.rs`), else to the open field editor
//!   (`editing.rs`), else to the screen, and what the screen leaves to the global keys;
//! - what a change does: `State::commit` applies an `Edit`, records it for undo, saves at once
//!   and refreshes what is derived; it is the one gate, for the screens and for this app;
//! - where the user is: the focus, `State::goto`, [`App::goto_step`], and the idle tick
//!   ([`App::tick`]).
//!
//! The project file is written only through `State::commit` (and `State::take_in_disk`, which
//! takes in what the file on disk holds when it changed elsewhere); the screens write other
//! files of their own (the export step its bundle, the checklist move its backup).
//!
//! [`App`] dereferences to its [`State`], so `app.project` or `app.popups` read as before.

mod editing;
mod keys;
mod popups;
mod typing;

use std::path::{Path, PathBuf};

use crate::assessment::fix::Command;
use crate::assessment::readiness::{Code, Finding};
use crate::assessment::setting::Setting;
use crate::assessment::window::Window;
use crate::assessment::{Evidence, Project, Status};
use crate::content::{Domain, Library, Model};
use crate::dates::Clock;
use crate::error::Error;
use crate::store::{self, Loaded, recent};
use crate::tui::keymap::Cmd;
use crate::tui::screens::export::ExportView;
use crate::tui::screens::interview::InterviewView;
use crate::tui::screens::prereqs::PrereqView;
use crate::tui::screens::profile::{self, ProfileView};
use crate::tui::screens::review;
use crate::tui::screens::scoping::ScopingView;
use crate::tui::screens::start::StartView;
use crate::tui::screens::{Action, Reply};
use crate::tui::state::State;
use crate::tui::state::conflicts::{Origin, ResolveView, marker_origin};
use crate::tui::state::edit::Edit;

pub use crate::tui::screens::start::StartEntry;
pub use crate::tui::state::edit::AttachTo;
pub use crate::tui::state::editor::{Editor, ExternalEdit, Target};
pub use crate::tui::state::nav::{Field, Level, Message, Pane, ProfileRow, Screen, Step};
pub use crate::tui::state::popup::{Confirm, Pick, Popup, Reuse, ReuseFile};

pub struct App {
    /// What the screens share, and the gate for changes.
    pub st: State,
    // Each screen's own view, defined with the screen.
    pub start: StartView,
    pub profile: ProfileView,
    pub scoping: ScopingView,
    pub prereqs: PrereqView,
    pub interview: InterviewView,
    pub export: ExportView,
    /// The last frame was the "terminal too small" notice: only quit and help act then, so
    /// keys cannot change answers the screen does not show.
    pub too_small: bool,
    pub quit: bool,
}

impl App {
    pub fn new(library: Library, cwd: PathBuf, data_dir: Option<PathBuf>, clock: Clock) -> App {
        let mut app = App {
            st: State::new(library, cwd, data_dir, clock),
            start: StartView::default(),
            profile: ProfileView::default(),
            scoping: ScopingView::default(),
            prereqs: PrereqView::default(),
            interview: InterviewView::default(),
            export: ExportView::default(),
            too_small: false,
            quit: false,
        };
        app.load_start();
        app
    }

    // ---- reading the screens' views ----

    /// Fills the start screen from the recent list.
    pub fn load_start(&mut self) {
        self.start.load(&self.st);
    }

    /// The answer fields shown for the selected control.
    pub fn fields(&self) -> Vec<Field> {
        self.interview.fields(&self.st)
    }

    pub fn field(&self) -> Field {
        self.interview.field(&self.st)
    }

    /// The profile row the cursor is on.
    pub fn profile_row(&self) -> ProfileRow {
        self.profile.row(&self.st)
    }

    pub fn profile_rows(&self) -> Vec<ProfileRow> {
        profile::rows(&self.st)
    }

    pub fn profile_file(&self, row: ProfileRow) -> Option<&Evidence> {
        profile::file(&self.st, row)
    }

    /// The commands of the screen (and pane) in view, most used first, as the screen lists
    /// them: the footer shows them and help lists them before the rest. Once a change is
    /// made, how to take it back stays in sight.
    pub fn commands(&self) -> Vec<Cmd> {
        let mut cmds = match self.st.screen {
            Screen::Start => self.start.commands(),
            Screen::Profile => self.profile.commands(&self.st),
            Screen::Scoping => self.scoping.commands(),
            Screen::Prerequisites => self.prereqs.commands(),
            Screen::Interview => self.interview.commands(&self.st),
            Screen::Review => review::commands(&self.st),
            Screen::Export => self.export.commands(),
            Screen::Resolve => Vec::new(),
        };
        if !self.st.undo.is_empty() && !matches!(self.st.screen, Screen::Start | Screen::Resolve) {
            cmds.insert(1.min(cmds.len()), Cmd::Undo);
        }
        cmds
    }

    /// The footer's (keys, word) pairs for the commands in view.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        let cmds = self.commands();
        let mut pairs = crate::tui::keymap::hints(&cmds);
        if self.st.screen == Screen::Export {
            for (pair, cmd) in pairs.iter_mut().zip(cmds) {
                pair.1 = ExportView::label(cmd).unwrap_or(pair.1);
            }
        }
        pairs
    }

    /// True while the export thread works.
    pub fn exporting(&self) -> bool {
        self.export.exporting()
    }

    /// Takes in what the export thread reported; called on every pass of the event loop.
    pub fn pump(&mut self) {
        self.export.pump();
    }

    // ---- opening ----

    /// Opens a project and resumes where the user last was in it. A file that git left with
    /// conflict markers is merged per field and saved at once (both values of a field changed
    /// two ways are kept); while fields conflict, it opens on the resolve screen.
    pub fn open(&mut self, path: &Path) -> Result<(), Error> {
        let markers = marker_origin(store::read_text(path).ok().as_deref());
        let (loaded, merged) = store::load_resolving(path, &self.st.library)?;
        self.st.project = Some(loaded);
        self.st.resolve = ResolveView::default();
        self.st.unsaved = false;
        self.st.pending.clear();
        self.st.popups.clear();
        self.interview = InterviewView::default();
        self.st.place = Default::default();
        self.st.focus = Pane::List;
        if let Some(m) = &merged {
            let git = markers.unwrap_or(Origin::Git {
                ours: String::new(),
                theirs: String::new(),
            });
            self.st.note_merged(m, &[], &git, &Origin::Recorded);
            self.st.save_merged_markers(path);
        }
        let resume = self
            .st
            .data_dir
            .as_deref()
            .and_then(|d| recent::find_in(d, path));
        self.st.refresh();
        let (screen, control) = match &resume {
            Some(r) => (Screen::parse(&r.screen), r.control.clone()),
            None => (None, String::new()),
        };
        if !control.is_empty() && self.select_control(&control) {
            self.st.screen = screen.unwrap_or(Screen::Interview);
        } else if let Some(s) = screen {
            self.st.screen = s;
        } else if self.st.checklist().is_none() {
            self.st.screen = Screen::Profile;
        } else {
            self.goto_first_unanswered();
        }
        if self.st.screen == Screen::Interview && self.st.checklist().is_none() {
            self.st.screen = Screen::Profile;
        }
        self.st.remember();
        if self.st.conflicts().is_empty() {
            self.st.offer_newer();
        } else {
            // The fields changed two ways come first; a newer checklist is asked about on
            // the next opening.
            self.st.open_resolve(None);
        }
        Ok(())
    }

    /// Creates an empty project at `path` and opens it on the profile screen.
    pub fn create(&mut self, path: &Path) -> Result<(), Error> {
        let mut loaded = Loaded::create(path, Project::new());
        loaded.save()?;
        self.st.project = Some(loaded);
        self.st.screen = Screen::Profile;
        self.profile.sel = 0;
        self.st.refresh();
        self.st.remember();
        Ok(())
    }

    /// Opens on the first step not finished: the profile while the model is unconfirmed,
    /// then an unanswered scoping question or prerequisite, then the first unanswered control.
    fn goto_first_unanswered(&mut self) {
        let st = &self.st;
        let (Some(p), Some(c)) = (st.proj(), st.checklist()) else {
            self.st.screen = Screen::Profile;
            return;
        };
        if !p.delivery.confirmed {
            self.st.screen = Screen::Profile;
            return;
        }
        if let Some(i) = c
            .scoping
            .iter()
            .position(|q| !p.scoping.contains_key(&q.id))
        {
            self.st.screen = Screen::Scoping;
            self.scoping.sel = i;
            return;
        }
        if let Some(i) = st
            .library
            .prerequisites
            .iter()
            .position(|q| !p.prerequisites.contains_key(&q.id))
        {
            self.st.screen = Screen::Prerequisites;
            self.prereqs.sel = i;
            return;
        }
        let first = c
            .controls
            .iter()
            .find(|x| p.effective_status(c, x) == Status::Unanswered)
            .map(|x| x.id.clone());
        match first {
            Some(id) => {
                self.select_control(&id);
                self.st.screen = Screen::Interview;
            }
            None => self.st.screen = Screen::Review,
        }
    }

    /// Moves to `id` in the interview; false if the checklist has no such control.
    pub fn select_control(&mut self, id: &str) -> bool {
        if !self.st.place_on(id) {
            return false;
        }
        self.interview.reset();
        true
    }

    /// Chooses the delivery model; the interview starts over on its checklist.
    pub fn choose_model(&mut self, model: Model) {
        let saved = self.st.commit(Edit::Set {
            key: Setting::Model,
            value: model.key().into(),
        });
        if saved && let Some(c) = self.st.checklist() {
            let msg = match Window::when_chosen(c, &self.st.library, self.st.today) {
                Some(note) => format!(
                    "Checklist: {} {} ({} controls). Note: {note} (the review has it).",
                    c.name,
                    c.version,
                    c.controls.len()
                ),
                None => format!(
                    "Checklist: {} {} ({} controls). Next: scoping questions ( ] ).",
                    c.name,
                    c.version,
                    c.controls.len()
                ),
            };
            self.st.info(msg);
        }
        self.interview = InterviewView::default();
        self.st.place = Default::default();
    }

    // ---- what the screens ask for ----

    /// Carries out what a screen made of a command; false when it left it to the global keys.
    fn reply(&mut self, reply: Reply) -> bool {
        match reply {
            Reply::Ignored => false,
            Reply::Handled => true,
            Reply::Do(action) => {
                self.act(action);
                true
            }
        }
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::Edit(target) => self.start_editing(target),
            Action::Open { path, create } => {
                let result = if create {
                    self.create(&path)
                } else {
                    self.open(&path)
                };
                if let Err(e) = result {
                    self.st.error(e.headline());
                    self.load_start();
                }
            }
            Action::ChooseModel(model) => self.choose_model(model),
            Action::JumpTo(f) => self.jump_to(&f),
        }
    }

    /// Goes to the place where a finding is fixed.
    pub fn jump_to(&mut self, f: &Finding) {
        if f.code == Code::ChecklistNewer {
            self.st.show_changes();
            return;
        }
        if matches!(f.code, Code::ChecklistExpired | Code::ChecklistExpiring) {
            self.st.popups.open(Popup::Window);
            return;
        }
        if f.code == Code::MergeConflict {
            // The finding names the field as its message begins; else the control's first.
            let at = self
                .st
                .conflicts()
                .iter()
                .find(|c| {
                    f.message
                        .starts_with(&format!("{} was changed", crate::team::short_name(&c.at)))
                })
                .or_else(|| {
                    self.st.conflicts().iter().find(|c| {
                        crate::merge::control_of(&c.at).map(|(_, id)| id) == f.control.as_deref()
                    })
                })
                .map(|c| c.at.clone());
            self.st.open_resolve(at.as_deref());
            return;
        }
        let from = self.here();
        if let Some(id) = &f.control
            && self.select_control(id)
        {
            let moved = self.moved_from(from);
            if !moved.is_empty() {
                self.st
                    .info(format!("{}{moved}", crate::safe::terminal(id)));
            }
            self.st.focus = Pane::Answer;
            // A finding about a required value selects its field.
            let at = f.value.as_ref().and_then(|key| {
                self.st
                    .selected_control()?
                    .values
                    .iter()
                    .position(|v| v.key == *key)
            });
            if let Some(i) = at
                && let Some(k) = self.fields().iter().position(|x| *x == Field::Value(i))
            {
                self.interview.field = k;
            }
            self.st.remember();
            return;
        }
        let screen = match f.code {
            Code::ScopingUnanswered => Screen::Scoping,
            Code::PrerequisiteUnanswered | Code::PrerequisiteUnmet => Screen::Prerequisites,
            _ => Screen::Profile,
        };
        self.st.goto(screen);
        self.select_named(f);
    }

    /// A scoping or prerequisite finding selects its own question, named in its command
    /// (`ftr set scoping.ID …`, `ftr set prereq.ID …`); one about an upload file its row.
    fn select_named(&mut self, f: &Finding) {
        let key = match f.fix.command() {
            Some(Command::Set { key, .. }) => Some(key),
            _ => None,
        };
        if let Some(Setting::Scoping(id)) = key
            && let Some(i) = self
                .st
                .checklist()
                .and_then(|c| c.scoping.iter().position(|q| &q.id == id))
        {
            self.scoping.sel = i;
        }
        if let Some(Setting::Prereq(id)) = key
            && let Some(i) = self
                .st
                .library
                .prerequisites
                .iter()
                .position(|q| &q.id == id)
        {
            self.prereqs.sel = i;
        }
        // A finding about an upload file selects its row (the first, for a report).
        if let Some(slot) = f.slot {
            let rows = self.profile_rows();
            // Messages name the file as " PATH " (followed by a space, never cut).
            let named = |e: &Evidence| f.message.contains(&format!(" {} ", e.path));
            let at = rows
                .iter()
                .position(|r| r.slot() == Some(slot) && self.profile_file(*r).is_some_and(named))
                .or_else(|| rows.iter().position(|r| r.slot() == Some(slot)));
            if let Some(i) = at {
                self.profile.sel = i;
            }
        }
    }

    // ---- time passing ----

    /// Called when the user has been idle for a moment: saves the text being typed (without
    /// closing the editor), records where the user is, takes in changes made to the file
    /// elsewhere (merged with any here), and looks at the selected control's evidence again.
    pub fn tick(&mut self) {
        self.idle();
        // A pause ends the burst (after a draft saved now joined it): the next change is a
        // step of its own.
        self.st.burst = false;
    }

    fn idle(&mut self) {
        if !self.st.popups.is_empty() {
            return;
        }
        if self.st.editor.is_some() {
            self.save_draft();
            return;
        }
        self.st.remember_if_moved();
        let Some(loaded) = self.st.project.as_ref() else {
            return;
        };
        if loaded.changed_on_disk().unwrap_or(false) {
            if let Err(e) = self.st.take_in_disk() {
                self.st.error(format!(
                    "The file changed on disk and cannot be read: {}",
                    e.headline()
                ));
            }
        } else {
            // The whole check again, not only the selected control: an evidence file changed
            // elsewhere shows in the list, the header and the pane at once, as Review says it.
            self.st.refresh();
        }
    }

    /// Goes to control `id` in the interview, from any screen (the resolve screen is left as
    /// Esc leaves it); returns the words that name its domain when the move changed domain
    /// (" · now in Operational Excellence"), which the step bar marks too.
    pub fn go_to_control(&mut self, id: &str) -> String {
        let from = self.here();
        if self.st.screen == Screen::Resolve {
            self.st.leave_resolve();
        }
        self.st.goto(Screen::Interview);
        if self.st.screen == Screen::Interview {
            self.select_control(id);
            self.st.refresh_evidence();
            self.st.remember();
        }
        self.moved_from(from)
    }

    /// The domain shown now: the interview's, else none.
    fn here(&self) -> Option<Domain> {
        (self.st.screen == Screen::Interview)
            .then_some(self.st.place.domain)
            .flatten()
    }

    /// After a move from the domain `from`: marks the domain now shown in the step bar, and
    /// names it, when it is another one.
    fn moved_from(&mut self, from: Option<Domain>) -> String {
        let now = self.here();
        if now.is_none() || now == from {
            return String::new();
        }
        self.st.moved_to = now;
        now.map_or_else(String::new, |d| format!(" · now in {}", d.name()))
    }

    pub fn goto_step(&mut self, step: Step) {
        match step {
            Step::Profile => self.st.goto(Screen::Profile),
            Step::Scoping => self.st.goto(Screen::Scoping),
            Step::Prerequisites => self.st.goto(Screen::Prerequisites),
            Step::Domain(d) => {
                self.st.place.domain = Some(d);
                self.interview.field = 0;
                self.interview.guidance_scroll = 0;
                self.st.goto(Screen::Interview);
            }
            Step::Review => self.st.goto(Screen::Review),
            Step::Export => self.st.goto(Screen::Export),
        }
    }

    fn step(&mut self, delta: i32) {
        if self.st.project.is_none() {
            return;
        }
        let steps = self.st.steps();
        let Some(now) = self.st.current_step() else {
            return;
        };
        let i = steps.iter().position(|s| *s == now).unwrap_or(0) as i32;
        let j = (i + delta).clamp(0, steps.len() as i32 - 1) as usize;
        self.goto_step(steps[j]);
    }
}
