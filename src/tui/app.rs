//! The wizard's state and its one `update` path: events become commands, commands change view
//! state, and every change to the assessment goes through [`App::commit`], which saves at once.
//!
//! Nothing here draws. The project file is written only through [`App::commit`] (and
//! [`super::disk`]); the screens write other files of their own (the export step its bundle,
//! the checklist move its backup).
//!
//! The rules every screen goes through live here:
//!
//! - what may change now: [`App::handle_key`] sends a key to the "terminal too small" guard,
//!   else to the open popup ([`super::popup`]), else to the open field editor
//!   ([`super::editor`]), else to the screen, and what the screen leaves to the global keys;
//! - what a change does: [`App::commit`] (with `commit_recorded`) applies an [`Edit`],
//!   records it for undo ([`super::undo`]), saves at once and refreshes what is derived;
//! - where the user is: the focus, [`App::goto`], [`App::goto_step`], and the idle tick
//!   ([`App::tick`]).
//!
//! Each screen in `screens/` owns its state and its keys, and changes the project only through
//! [`App::commit`]. The one other writer is [`super::disk`], which takes in what the file on
//! disk holds when it changed elsewhere (the checklist move in `screens/changes.rs` reads the
//! file again through it first, so that its backup is the file the preview was made from).

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keymap::{self, Cmd};
use super::screens::resolve::{Origin, ResolveView, marker_origin};
use super::theme::Theme;
use super::undo::{supersedes, travelled};
use crate::assessment::edit::{self, AnswerChange};
use crate::assessment::evidence::{FileState, FingerprintCache};
use crate::assessment::migrate;
use crate::assessment::readiness::{self, Report};
use crate::assessment::{Evidence, Project, Slot, Status};
use crate::content::{Checklist, Control, Domain, Library};
use crate::dates::{Clock, Date};
use crate::error::Error;
use crate::store::{self, Loaded, recent};

pub use super::attach::AttachTo;
pub use super::editor::{Editor, ExternalEdit, Target};
pub use super::mouse::Areas;
pub use super::popup::{Confirm, Popup, ReuseFile};
pub use super::screens::export::ExportView;
pub use super::screens::interview::{Field, InterviewView};
pub use super::screens::prereqs::PrereqView;
pub use super::screens::profile::{ProfileRow, ProfileView};
pub use super::screens::review::ReviewView;
pub use super::screens::scoping::ScopingView;
pub use super::screens::start::{StartEntry, StartView};
pub use super::undo::UndoStep;

/// The wizard's screens, in the order of the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Start,
    Profile,
    Scoping,
    Prerequisites,
    Interview,
    Review,
    Export,
    /// Fields changed two ways, both values shown, to keep one (see `screens::resolve`).
    Resolve,
}

impl Screen {
    pub fn key(self) -> &'static str {
        match self {
            Screen::Start => "start",
            Screen::Profile => "profile",
            Screen::Scoping => "scoping",
            Screen::Prerequisites => "prerequisites",
            Screen::Interview => "interview",
            Screen::Review => "review",
            Screen::Export => "export",
            Screen::Resolve => "resolve",
        }
    }

    fn parse(text: &str) -> Option<Screen> {
        [
            Screen::Profile,
            Screen::Scoping,
            Screen::Prerequisites,
            Screen::Interview,
            Screen::Review,
            Screen::Export,
        ]
        .into_iter()
        .find(|s| s.key() == text)
    }
}

/// One step of the wizard as shown in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Profile,
    Scoping,
    Prerequisites,
    Domain(Domain),
    Review,
    Export,
}

impl Step {
    /// For terminals narrower than about 110 columns.
    pub fn short(self) -> &'static str {
        match self {
            Step::Profile => "Profile",
            Step::Scoping => "Scope",
            Step::Prerequisites => "Prereq",
            Step::Domain(Domain::Security) => "Sec",
            Step::Domain(Domain::Reliability) => "Rel",
            Step::Domain(Domain::OperationalExcellence) => "OpEx",
            Step::Review => "Review",
            Step::Export => "Export",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Profile => "Profile",
            Step::Scoping => "Scoping",
            Step::Prerequisites => "Prereqs",
            Step::Domain(Domain::Security) => "Security",
            Step::Domain(Domain::Reliability) => "Reliability",
            Step::Domain(Domain::OperationalExcellence) => "Op. Excellence",
            Step::Review => "Review",
            Step::Export => "Export",
        }
    }
}

/// Which pane of the interview has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Guidance,
    Answer,
}

/// A change to the project, kept as data so that it can be applied again on top of a file
/// that changed on disk.
#[derive(Debug, Clone)]
pub enum Edit {
    /// A key of `ftr set` (profile, model, scoping, prerequisites).
    Set { key: String, value: String },
    Answer {
        control: String,
        change: Box<AnswerChange>,
    },
    /// A row of AWS's workbook answered from its list (`ftr answer HOST-001.1 --choice yes`).
    Row { row: String, choice: String },
    /// AWS's workbook the export fills, as stored (`ftr set template FILE`); empty: none.
    Template { stored: String },
    EvidenceMeta {
        to: AttachTo,
        path: String,
        label: Option<String>,
        produced: Option<Option<Date>>,
    },
    /// A fingerprinted file for a slot of the upload form (`ftr set diagram FILE`).
    Attach { slot: Slot, evidence: Box<Evidence> },
    /// Detaches a slot's file, or all of them (`ftr set security-report --clear [FILE]`).
    Detach { slot: Slot, path: Option<String> },
    /// Moves the project to another version of its checklist (`ftr migrate --to ID@VERSION`),
    /// recorded as made on `on`.
    Migrate { to: String, on: Date },
    /// Settles the field changed two ways at `at` with `value` (`None` removes it), as
    /// `ftr resolve` does.
    Resolve {
        at: Vec<String>,
        value: Option<toml::Value>,
    },
    /// An undo or a redo: every field that differs between `from` and `to` goes to its value
    /// in `to`, unless it changed since (a three-way merge, so replaying it on a file changed
    /// meanwhile keeps what others wrote).
    Travel {
        from: Box<Project>,
        to: Box<Project>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub text: String,
    pub level: Level,
}

pub struct App {
    pub library: Library,
    pub theme: Theme,
    /// The day freshness and validity are judged on, from `clock`.
    pub today: Date,
    /// Dates attachments and the export (fixed in tests and reproducible runs).
    pub clock: Clock,
    /// Where the recent-projects list lives (`None`: not kept).
    pub data_dir: Option<PathBuf>,
    /// The folder `ftr` started in: new projects, path completion and the picker start here.
    pub cwd: PathBuf,
    pub project: Option<Loaded>,
    pub screen: Screen,
    pub focus: Pane,
    // Each screen's own state, defined with the screen.
    pub start: StartView,
    pub profile: ProfileView,
    pub scoping: ScopingView,
    pub prereqs: PrereqView,
    pub interview: InterviewView,
    pub review: ReviewView,
    pub resolve: ResolveView,
    pub export: ExportView,
    pub report: Option<Report>,
    /// Fingerprint state of each evidence file of the selected control.
    pub evidence_states: Vec<FileState>,
    /// Fingerprint state of the diagram and of each security tool report, for the profile.
    pub diagram_state: Option<FileState>,
    pub report_states: Vec<FileState>,
    pub editor: Option<Editor>,
    pub popup: Option<Popup>,
    pub message: Option<Message>,
    /// The last save failed: what is on screen is not on disk.
    pub unsaved: bool,
    /// The last frame was the "terminal too small" notice: only quit and help act then, so
    /// keys cannot change answers the screen does not show.
    pub too_small: bool,
    /// Changes made since the last successful save, replayed on a merge.
    pub pending: Vec<Edit>,
    /// Changes to undo, the latest last, and undone ones to make again.
    pub undo: Vec<UndoStep>,
    pub redo: Vec<UndoStep>,
    /// The last step takes in further changes until the user pauses (the idle tick).
    pub burst: bool,
    /// The resume point last written to the recent list.
    remembered: Option<(String, String)>,
    pub quit: bool,
    pub external: Option<ExternalEdit>,
    pub areas: Areas,
    fingerprints: FingerprintCache,
}

impl App {
    pub fn new(library: Library, cwd: PathBuf, data_dir: Option<PathBuf>, clock: Clock) -> App {
        let mut app = App {
            library,
            theme: Theme::from_env(),
            today: clock.today(),
            clock,
            data_dir,
            cwd,
            project: None,
            screen: Screen::Start,
            focus: Pane::List,
            start: StartView::default(),
            profile: ProfileView::default(),
            scoping: ScopingView::default(),
            prereqs: PrereqView::default(),
            interview: InterviewView::default(),
            review: ReviewView::default(),
            resolve: ResolveView::default(),
            export: ExportView::default(),
            report: None,
            evidence_states: Vec::new(),
            diagram_state: None,
            report_states: Vec::new(),
            editor: None,
            popup: None,
            message: None,
            unsaved: false,
            too_small: false,
            pending: Vec::new(),
            undo: Vec::new(),
            redo: Vec::new(),
            burst: false,
            remembered: None,
            quit: false,
            external: None,
            areas: Areas::default(),
            fingerprints: FingerprintCache::default(),
        };
        app.load_start();
        app
    }

    // ---- reading state ----

    pub fn checklist(&self) -> Option<&Checklist> {
        let loaded = self.project.as_ref()?;
        edit::current_checklist(&loaded.project, &self.library)
    }

    pub fn proj(&self) -> Option<&Project> {
        self.project.as_ref().map(|l| &l.project)
    }

    /// The steps of the wizard for the current checklist.
    pub fn steps(&self) -> Vec<Step> {
        let mut steps = vec![Step::Profile, Step::Scoping, Step::Prerequisites];
        match self.checklist() {
            Some(c) => steps.extend(
                Domain::ALL
                    .iter()
                    .filter(|d| c.count_in(**d) > 0)
                    .map(|d| Step::Domain(*d)),
            ),
            None => steps.extend(Domain::ALL.iter().map(|d| Step::Domain(*d))),
        }
        steps.extend([Step::Review, Step::Export]);
        steps
    }

    pub fn current_step(&self) -> Option<Step> {
        Some(match self.screen {
            Screen::Start => return None,
            Screen::Profile => Step::Profile,
            Screen::Scoping => Step::Scoping,
            Screen::Prerequisites => Step::Prerequisites,
            Screen::Interview => Step::Domain(self.domain()),
            Screen::Review => Step::Review,
            Screen::Export => Step::Export,
            Screen::Resolve => return None,
        })
    }

    pub fn domain(&self) -> Domain {
        self.interview.domain.unwrap_or(Domain::Security)
    }

    pub fn status_of(&self, control: &Control) -> Status {
        match (self.proj(), self.checklist()) {
            (Some(p), Some(c)) => p.effective_status(c, control),
            _ => Status::Unanswered,
        }
    }

    // ---- opening ----

    /// Opens a project and resumes where the user last was in it. A file that git left with
    /// conflict markers is merged per field and saved at once (both values of a field changed
    /// two ways are kept); while fields conflict, it opens on the resolve screen.
    pub fn open(&mut self, path: &Path) -> Result<(), Error> {
        let markers = marker_origin(store::read_text(path).ok().as_deref());
        let (loaded, merged) = store::load_resolving(path, &self.library)?;
        self.project = Some(loaded);
        self.resolve = ResolveView::default();
        self.unsaved = false;
        self.pending.clear();
        self.interview = InterviewView::default();
        self.focus = Pane::List;
        if let Some(m) = &merged {
            let git = markers.unwrap_or(Origin::Git {
                ours: String::new(),
                theirs: String::new(),
            });
            self.note_merged(m, &[], &git, &Origin::Recorded);
            self.save_merged_markers(path);
        }
        let resume = self
            .data_dir
            .as_deref()
            .and_then(|d| recent::find_in(d, path));
        self.refresh();
        let (screen, control) = match &resume {
            Some(r) => (Screen::parse(&r.screen), r.control.clone()),
            None => (None, String::new()),
        };
        if !control.is_empty() && self.select_control(&control) {
            self.screen = screen.unwrap_or(Screen::Interview);
        } else if let Some(s) = screen {
            self.screen = s;
        } else if self.checklist().is_none() {
            self.screen = Screen::Profile;
        } else {
            self.goto_first_unanswered();
        }
        if self.screen == Screen::Interview && self.checklist().is_none() {
            self.screen = Screen::Profile;
        }
        self.remember();
        if self.conflicts().is_empty() {
            self.offer_newer();
        } else {
            // The fields changed two ways come first; a newer checklist is asked about on
            // the next opening.
            self.open_resolve(None);
        }
        Ok(())
    }

    /// Creates an empty project at `path` and opens it on the profile screen.
    pub fn create(&mut self, path: &Path) -> Result<(), Error> {
        let mut loaded = Loaded::create(path, Project::new());
        loaded.save()?;
        self.project = Some(loaded);
        self.screen = Screen::Profile;
        self.profile.sel = 0;
        self.refresh();
        self.remember();
        Ok(())
    }

    /// A path as the user would type it here: relative to the folder `ftr` started in when it
    /// is inside it.
    pub fn shown_path(&self, path: &Path) -> String {
        path.strip_prefix(&self.cwd)
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Records the project and the resume point in the recent list (failures are harmless).
    pub fn remember(&mut self) {
        let here = self.resume_point();
        let (Some(dir), Some(l)) = (&self.data_dir, &self.project) else {
            return;
        };
        if recent::touch_in(dir, &l.path, &here.0, &here.1).is_ok() {
            self.remembered = Some(here);
        }
    }

    /// The screen and (in the interview) the control the user is on.
    fn resume_point(&self) -> (String, String) {
        if self.screen == Screen::Resolve {
            // Conflicts open their screen by themselves; the next opening resumes behind it.
            return (self.resolve.back.key().to_string(), String::new());
        }
        let control = if self.screen == Screen::Interview {
            self.selected_control()
                .map(|c| c.id.clone())
                .unwrap_or_default()
        } else {
            String::new()
        };
        (self.screen.key().to_string(), control)
    }

    /// Opens on the first step not finished: the profile while the model is unconfirmed,
    /// then an unanswered scoping question or prerequisite, then the first unanswered control.
    fn goto_first_unanswered(&mut self) {
        let (Some(p), Some(c)) = (self.proj(), self.checklist()) else {
            self.screen = Screen::Profile;
            return;
        };
        if !p.delivery.confirmed {
            self.screen = Screen::Profile;
            return;
        }
        if let Some(i) = c
            .scoping
            .iter()
            .position(|q| !p.scoping.contains_key(&q.id))
        {
            self.screen = Screen::Scoping;
            self.scoping.sel = i;
            return;
        }
        if let Some(i) = self
            .library
            .prerequisites
            .iter()
            .position(|q| !p.prerequisites.contains_key(&q.id))
        {
            self.screen = Screen::Prerequisites;
            self.prereqs.sel = i;
            return;
        }
        let first = self.checklist().and_then(|c| {
            let p = self.proj()?;
            c.controls
                .iter()
                .find(|x| p.effective_status(c, x) == Status::Unanswered)
                .map(|x| x.id.clone())
        });
        match first {
            Some(id) => {
                self.select_control(&id);
                self.screen = Screen::Interview;
            }
            None => self.screen = Screen::Review,
        }
    }

    // ---- keeping derived state current ----

    /// Recomputes the readiness report and the selected control's evidence states.
    pub fn refresh(&mut self) {
        let (Some(l), Some(_)) = (&self.project, self.checklist()) else {
            self.report = self
                .project
                .as_ref()
                .map(|l| readiness::check(&l.project, &self.library, &l.dir(), self.today));
            self.evidence_states.clear();
            self.refresh_files();
            return;
        };
        let dir = l.dir();
        let cache = &mut self.fingerprints;
        let report =
            readiness::check_with(&l.project, &self.library, &dir, self.today, &mut |ev| {
                cache.check(ev, &dir)
            });
        let before = self.report.replace(report);
        self.review.follow(before.as_ref(), self.report.as_ref());
        self.refresh_evidence();
    }

    pub(crate) fn refresh_evidence(&mut self) {
        let states = match (
            self.selected_control(),
            self.project.as_ref(),
            self.checklist(),
        ) {
            (Some(c), Some(l), Some(ck)) => {
                let dir = l.dir();
                let evidence = l
                    .project
                    .answer(&ck.id, &c.id)
                    .map(|a| a.evidence.clone())
                    .unwrap_or_default();
                evidence
                    .iter()
                    .map(|e| self.fingerprints.check(e, &dir))
                    .collect()
            }
            _ => Vec::new(),
        };
        self.evidence_states = states;
        self.refresh_files();
    }

    /// Looks at the diagram and the security tool reports again.
    fn refresh_files(&mut self) {
        let Some(l) = self.project.as_ref() else {
            self.diagram_state = None;
            self.report_states.clear();
            return;
        };
        let dir = l.dir();
        let profile = &l.project.profile;
        let cache = &mut self.fingerprints;
        self.diagram_state = profile.diagram.as_ref().map(|e| cache.check(e, &dir));
        self.report_states = profile
            .security_reports
            .iter()
            .map(|e| cache.check(e, &dir))
            .collect();
    }

    // ---- changing the project ----

    /// Applies `edit` and saves at once. A file changed on disk meanwhile is never
    /// overwritten: the user is asked. Returns true when the change is on disk.
    pub fn commit(&mut self, edit: Edit) -> bool {
        self.commit_recorded(edit, true)
    }

    /// [`App::commit`]; with `record` the change joins the undo history (undo and redo
    /// themselves do not).
    pub(super) fn commit_recorded(&mut self, edit: Edit, record: bool) -> bool {
        let Some(loaded) = self.project.as_mut() else {
            return false;
        };
        let before = loaded.project.clone();
        let dir = loaded.dir();
        if let Err(e) = apply(&mut loaded.project, &self.library, &edit, &dir) {
            loaded.project = before;
            self.error(e.to_string());
            return false;
        }
        if loaded.project == before {
            return !self.unsaved;
        }
        let applied = loaded.project.clone();
        if record {
            let after = loaded.project.clone();
            let what = crate::team::what_changed(&before, &after);
            match self.undo.last_mut() {
                Some(step) if self.burst => {
                    step.after = after;
                    for w in what {
                        if !step.what.contains(&w) {
                            step.what.push(w);
                        }
                    }
                }
                _ => self.undo.push(UndoStep {
                    before,
                    after,
                    what,
                }),
            }
            self.burst = true;
            self.redo.clear();
            // Not while typing: a draft saved while idle is no news.
            if let Some(step) = self.undo.last().filter(|_| self.editor.is_none()) {
                self.info(format!(
                    "Saved: {}. z undoes.",
                    crate::safe::terminal(&step.what.join(", "))
                ));
            }
        }
        // Typing into a field that cannot be saved yet (a draft every second) keeps one
        // pending edit for it, not a copy of the text per save.
        if self
            .pending
            .last()
            .is_some_and(|last| supersedes(&edit, last))
        {
            self.pending.pop();
        }
        self.pending.push(edit);
        let saved = self.save_pending();
        // A save that took in changes from disk ends the burst: the next change must not fold
        // a teammate's answers into this step, or undoing it would take them away.
        if self.project.as_ref().is_some_and(|l| l.project != applied) {
            self.burst = false;
        }
        self.refresh();
        saved
    }

    /// Writes what is in memory; on success the pending edits are on disk. A file changed on
    /// disk meanwhile is merged with them per field first (see [`App::take_in_disk`]); only a
    /// file that cannot be read or merged asks the user.
    pub(super) fn save_pending(&mut self) -> bool {
        let Some(loaded) = self.project.as_mut() else {
            return false;
        };
        match loaded.save() {
            Ok(()) => {
                self.unsaved = false;
                self.pending.clear();
                true
            }
            Err(Error::Conflict { .. }) => match self.take_in_disk() {
                Ok(saved) => saved,
                Err(e) => {
                    self.unsaved = true;
                    self.popup = Some(Popup::Conflict);
                    self.error(format!(
                        "The file changed on disk and cannot be merged: {}",
                        first_line(&e.to_string())
                    ));
                    false
                }
            },
            Err(e) => {
                self.save_failed(e);
                false
            }
        }
    }

    /// Says why a save failed; what is on screen stays, and is saved with the next change.
    pub(super) fn save_failed(&mut self, e: Error) {
        self.unsaved = true;
        match e {
            Error::TooLarge(t) => self.error(too_large_text(&t)),
            e => self.error(format!(
                "Could not save: {}. Your changes stay on screen and are saved with the next one.",
                first_line(&e.to_string())
            )),
        }
    }

    /// Called when the user has been idle for a moment: saves the text being typed (without
    /// closing the editor), records where the user is, takes in changes made to the file
    /// elsewhere (merged with any here), and looks at the selected control's evidence again.
    pub fn tick(&mut self) {
        self.idle();
        // A pause ends the burst (after a draft saved now joined it): the next change is a
        // step of its own.
        self.burst = false;
    }

    fn idle(&mut self) {
        if self.popup.is_some() {
            return;
        }
        if self.editor.is_some() {
            self.save_draft();
            return;
        }
        let here = self.resume_point();
        if self.remembered.as_ref() != Some(&here) {
            self.remember();
        }
        let Some(loaded) = self.project.as_ref() else {
            return;
        };
        if loaded.changed_on_disk().unwrap_or(false) {
            if let Err(e) = self.take_in_disk() {
                self.error(format!(
                    "The file changed on disk and cannot be read: {}",
                    first_line(&e.to_string())
                ));
            }
        } else {
            // The whole check again, not only the selected control: an evidence file changed
            // elsewhere shows in the list, the header and the pane at once, as Review says it.
            self.refresh();
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            level: Level::Info,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            level: Level::Error,
        });
    }

    // ---- events ----

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
            if self.popup.is_none() && self.editor.is_none() {
                match keymap::lookup(&key) {
                    Some(Cmd::Quit) => self.request_quit(),
                    Some(Cmd::Help) => self.popup = Some(Popup::Help { scroll: 0 }),
                    _ => {}
                }
            }
            return;
        }
        if self.popup.is_none() && self.editor.is_none() {
            self.message = None;
        }
        if self.popup.is_some() {
            self.key_popup(key);
            return;
        }
        if self.editor.is_some() {
            self.key_editor(key);
            return;
        }
        if let KeyCode::Char(c) = key.code
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            && self.key_row_choice(c)
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
        match self.screen {
            Screen::Start => self.key_start(cmd),
            Screen::Profile => self.key_profile(cmd),
            Screen::Scoping => self.key_scoping(cmd),
            Screen::Prerequisites => self.key_prereq(cmd),
            Screen::Interview => self.key_interview(cmd),
            Screen::Review => self.key_review(cmd),
            Screen::Export => self.key_export(cmd),
            Screen::Resolve => self.key_resolve(cmd),
        }
    }

    fn key_global(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Undo => self.undo(),
            Cmd::Redo => self.redo(),
            Cmd::Search if self.project.is_some() => self.open_search(),
            Cmd::No if self.project.is_some() => self.next_unanswered(),
            Cmd::Quit => self.request_quit(),
            Cmd::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Cmd::NextStep => self.step(1),
            Cmd::PrevStep => self.step(-1),
            Cmd::Review if self.project.is_some() => {
                if self.screen != Screen::Review {
                    self.review.from = Some(self.screen);
                }
                self.goto(Screen::Review);
            }
            Cmd::Changes if self.project.is_some() => self.show_changes(),
            Cmd::Resolve if self.project.is_some() => self.open_resolve(None),
            _ => {}
        }
    }

    /// The interview on control `id`, from any screen (the resolve screen is left as Esc
    /// leaves it).
    pub fn go_to_control(&mut self, id: &str) {
        if self.screen == Screen::Resolve {
            self.leave_resolve();
        }
        self.goto(Screen::Interview);
        if self.screen == Screen::Interview {
            self.select_control(id);
            self.refresh_evidence();
            self.remember();
        }
    }

    /// `n` (where it does not mean "no"): the next unanswered control after the one selected,
    /// across domains, wrapping round.
    pub fn next_unanswered(&mut self) {
        let (Some(p), Some(c)) = (self.proj(), self.checklist()) else {
            return;
        };
        let here = match self.screen {
            Screen::Interview => self
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
                self.go_to_control(&id);
                self.info(format!(
                    "Next unanswered: {id} {}",
                    crate::safe::terminal(&title)
                ));
            }
            None => self.info("Every control that applies is answered."),
        }
    }

    pub fn request_quit(&mut self) {
        self.stop_export();
        if let Some((control, key)) = self.interview.value_drafts.keys().next() {
            self.popup = Some(Popup::Confirm {
                question: format!(
                    "The {key} you typed for {control} was not saved, as it does not read. Quit anyway and lose it?"
                ),
                action: Confirm::QuitUnsaved,
            });
            return;
        }
        if self.unsaved {
            self.popup = Some(Popup::Confirm {
                question: "The last change could not be saved. Quit anyway and lose it?".into(),
                action: Confirm::QuitUnsaved,
            });
            return;
        }
        self.remember();
        self.quit = true;
    }

    /// Moves to another screen, refreshing what it shows.
    pub fn goto(&mut self, screen: Screen) {
        if self.project.is_none() && screen != Screen::Start {
            return;
        }
        if screen == Screen::Interview && self.checklist().is_none() {
            self.screen = Screen::Profile;
            self.error("Choose the delivery model first: it decides which checklist is asked.");
            return;
        }
        self.screen = screen;
        self.focus = Pane::List;
        if screen == Screen::Review {
            self.refresh();
            self.review.sel = 0;
        }
        if screen == Screen::Interview {
            self.refresh_evidence();
        }
        self.remember();
    }

    fn step(&mut self, delta: i32) {
        if self.project.is_none() {
            return;
        }
        let steps = self.steps();
        let Some(now) = self.current_step() else {
            return;
        };
        let i = steps.iter().position(|s| *s == now).unwrap_or(0) as i32;
        let j = (i + delta).clamp(0, steps.len() as i32 - 1) as usize;
        self.goto_step(steps[j]);
    }

    pub fn goto_step(&mut self, step: Step) {
        match step {
            Step::Profile => self.goto(Screen::Profile),
            Step::Scoping => self.goto(Screen::Scoping),
            Step::Prerequisites => self.goto(Screen::Prerequisites),
            Step::Domain(d) => {
                self.interview.domain = Some(d);
                self.interview.field = 0;
                self.interview.guidance_scroll = 0;
                self.goto(Screen::Interview);
            }
            Step::Review => self.goto(Screen::Review),
            Step::Export => self.goto(Screen::Export),
        }
    }
}

/// Applies one edit to a project.
pub fn apply(
    project: &mut Project,
    library: &Library,
    edit: &Edit,
    dir: &Path,
) -> Result<(), Error> {
    match edit {
        Edit::Set { key, value } => edit::set(project, library, key, value).map(|_| ()),
        Edit::Answer { control, change } => {
            let checklist = edit::current_checklist(project, library)
                .ok_or_else(|| Error::usage("no delivery model is chosen", "choose one first"))?
                .clone();
            edit::apply_answer(project, &checklist, control, (**change).clone(), dir)
        }
        Edit::Template { stored } => {
            project.profile.template.clone_from(stored);
            Ok(())
        }
        Edit::Row { row, choice } => {
            let checklist = edit::current_checklist(project, library)
                .ok_or_else(|| Error::usage("no delivery model is chosen", "choose one first"))?
                .clone();
            let row = edit::find_row(&checklist, row)?.clone();
            edit::answer_row(project, &checklist, &row, choice).map(|_| ())
        }
        Edit::Attach { slot, evidence } => {
            edit::attach_file(project, *slot, (**evidence).clone());
            Ok(())
        }
        Edit::Detach { slot, path: None } => {
            edit::detach_all(project, *slot);
            Ok(())
        }
        Edit::Detach {
            slot,
            path: Some(path),
        } => edit::detach_file(project, *slot, path, dir).map(|_| ()),
        Edit::Travel { from, to } => {
            *project = travelled(project, from, to, library)?.0;
            Ok(())
        }
        Edit::Resolve { at, value } => {
            *project = crate::team::take("the project file", project, at, value.clone(), library)?;
            Ok(())
        }
        Edit::Migrate { to, on } => {
            let target = library.find(to)?;
            let (id, version) = (
                project.delivery.checklist.clone(),
                project.delivery.version.clone(),
            );
            if id == target.id && version == target.version {
                return Ok(());
            }
            let from = library
                .version(&id, &version)
                .filter(|c| c.id == target.id)
                .ok_or_else(|| {
                    Error::usage(
                        format!(
                            "the project answers {}@{}, which is not an installed version of {}",
                            crate::safe::terminal(&id),
                            crate::safe::terminal(&version),
                            crate::safe::terminal(&target.id)
                        ),
                        "install it (ftr checklists add FILE), then move again",
                    )
                })?;
            let plan = migrate::plan(project, from, target);
            migrate::apply(project, &plan, target, *on);
            Ok(())
        }
        Edit::EvidenceMeta {
            to: AttachTo::Slot(slot),
            path,
            label,
            produced,
        } => edit::set_file_meta(project, *slot, path, label.clone(), *produced),
        Edit::EvidenceMeta {
            to: AttachTo::Control(control),
            path,
            label,
            produced,
        } => {
            let checklist = edit::current_checklist(project, library)
                .ok_or_else(|| Error::usage("no delivery model is chosen", "choose one first"))?
                .id
                .clone();
            let ev = project
                .answers
                .get_mut(&checklist)
                .and_then(|m| m.get_mut(control))
                .and_then(|a| a.evidence.iter_mut().find(|e| e.path == *path))
                .ok_or_else(|| Error::usage(format!("{control} has no evidence {path}"), ""))?;
            if let Some(l) = label {
                ev.label = l.clone();
            }
            if let Some(d) = produced {
                ev.produced = *d;
            }
            Ok(())
        }
    }
}

pub fn domain_index(d: Domain) -> usize {
    match d {
        Domain::Security => 0,
        Domain::Reliability => 1,
        Domain::OperationalExcellence => 2,
    }
}

pub fn project_title(p: &Project, path: &Path) -> String {
    p.title(path)
}

/// The footer's word on a save refused for its size: what is too big, and the way out.
fn too_large_text(t: &crate::error::TooLarge) -> String {
    let size = crate::assessment::evidence::human_size;
    let what = match &t.part {
        Some(p) => format!("{} takes {} of it", p.describe(), size(p.bytes)),
        None => "no one text is most of it".into(),
    };
    format!(
        "Not saved: the file would be over the {} a project file may hold; {what}. Shorten it, or attach long text as a file (f); it stays on screen meanwhile.",
        size(t.limit)
    )
}

pub(crate) fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}
