//! The wizard's state and its one `update` path: events become commands, commands change view
//! state, and every change to the assessment goes through [`App::commit`], which saves at once.
//!
//! Nothing here draws; nothing in the screens writes to disk.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::keymap::{self, Cmd};
use super::screens::resolve::{Origin, ResolveView, marker_origin};
use super::theme::Theme;
use super::widgets::picker::Picker;
use crate::assessment::edit::{self, AnswerChange};
use crate::assessment::evidence::{FileState, FingerprintCache};
use crate::assessment::migrate::{self, Plan};
use crate::assessment::readiness::{self, Report};
use crate::assessment::{Evidence, PrereqAnswer, Project, Slot, Status};
use crate::content::diff::Diff;
use crate::content::{Checklist, Control, Domain, Library, Model};
use crate::dates::{Clock, Date};
use crate::error::Error;
use crate::store::{self, Loaded, recent};

pub use super::screens::export::{ExportMsg, ExportState};
pub use super::screens::interview::{Field, InterviewView};
pub use super::screens::profile::ProfileRow;
pub use super::screens::start::StartEntry;

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

/// What a text editor is editing; its text is committed when the user leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Profile(ProfileRow),
    PrereqCount(String),
    Answer {
        control: String,
        field: Field,
    },
    /// A path typed to attach; Tab completes.
    NewEvidence {
        to: AttachTo,
    },
    EvidenceLabel {
        to: AttachTo,
        path: String,
    },
    EvidenceDate {
        to: AttachTo,
        path: String,
    },
    /// The text to keep for a field changed two ways (at its path in the project file).
    Conflict {
        at: Vec<String>,
    },
}

/// Where an attached file goes: a control's evidence, or a slot of the upload form (the
/// architecture diagram, the security tool reports) on the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachTo {
    Control(String),
    Slot(Slot),
}

impl AttachTo {
    /// How titles and messages name it: "IAM-001", "the architecture diagram".
    pub fn describe(&self) -> String {
        match self {
            AttachTo::Control(id) => id.clone(),
            AttachTo::Slot(slot) => format!("the {}", slot.name()),
        }
    }
}

pub struct Editor {
    pub target: Target,
    pub area: TextArea<'static>,
    pub multiline: bool,
    /// Completion candidates shown under a path being typed.
    pub candidates: Vec<String>,
    /// Set when the typed value was refused; shown under the field.
    pub error: Option<String>,
}

impl Editor {
    pub(crate) fn new(target: Target, text: &str, multiline: bool) -> Editor {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.split('\n').map(str::to_string).collect()
        };
        let mut area = TextArea::new(lines);
        area.set_wrap_mode(if multiline {
            WrapMode::WordOrGlyph
        } else {
            WrapMode::None
        });
        area.set_cursor_line_style(ratatui::style::Style::default());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Editor {
            target,
            area,
            multiline,
            candidates: Vec::new(),
            error: None,
        }
    }

    pub fn text(&self) -> String {
        let text = self.area.lines().join("\n");
        if self.multiline {
            text.trim_end().to_string()
        } else {
            text.trim().to_string()
        }
    }
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

/// One step of the undo history: the project before and after a burst of changes (the keys
/// pressed without a pause), and what they changed, in words.
#[derive(Debug, Clone)]
pub struct UndoStep {
    pub before: Project,
    pub after: Project,
    pub what: Vec<String>,
}

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
    Search(super::screens::search::Search),
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
    /// The file changed on disk before the changes in `App::pending` could be saved.
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

/// Screen areas from the last frame, for the mouse.
#[derive(Debug, Default)]
pub struct Areas {
    pub list: Cell<Rect>,
    pub guidance: Cell<Rect>,
    pub answer: Cell<Rect>,
}

/// A request the run loop carries out outside the terminal ($EDITOR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalEdit {
    pub control: String,
    pub text: String,
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
    pub start: Vec<StartEntry>,
    pub start_sel: usize,
    pub profile_sel: usize,
    pub scoping_sel: usize,
    pub prereq_sel: usize,
    pub interview: InterviewView,
    pub review_sel: usize,
    /// The screen `r` opened the review from: Esc goes back there.
    pub review_from: Option<Screen>,
    pub resolve: ResolveView,
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
    pub export: ExportState,
    /// Export options chosen on the export screen.
    pub allow_incomplete: bool,
    pub allow_secrets: bool,
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
            start: Vec::new(),
            start_sel: 0,
            profile_sel: 0,
            scoping_sel: 0,
            prereq_sel: 0,
            interview: InterviewView::default(),
            review_from: None,
            review_sel: 0,
            resolve: ResolveView::default(),
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
            export: ExportState::Idle,
            allow_incomplete: false,
            allow_secrets: false,
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

    /// Records where the conflicts of a merge came from: those it found changed two ways
    /// from `found`, any other not in `known` from `other` (a version of the file had it).
    fn note_merged(
        &mut self,
        m: &crate::team::Merged,
        known: &[Vec<String>],
        found: &Origin,
        other: &Origin,
    ) {
        let fresh: Vec<Vec<String>> = m.fresh.iter().map(|c| c.at.clone()).collect();
        let earlier: Vec<Vec<String>> = m
            .project
            .conflicts
            .iter()
            .map(|c| c.at.clone())
            .filter(|at| !fresh.contains(at) && !known.contains(at))
            .collect();
        self.resolve.note(earlier, other);
        self.resolve.note(fresh, found);
    }

    /// The file just read had git conflict markers: writes the merged project over it now,
    /// so the file is valid again (nothing is lost: both values are in `[[conflicts]]`).
    fn save_merged_markers(&mut self, path: &Path) {
        let shown = self.shown_path(path);
        let name = crate::safe::terminal(&shown).into_owned();
        if !self.save_pending() {
            return;
        }
        let n = self.conflicts().len();
        if n == 0 {
            self.info(format!(
                "{name} had git conflict markers: merged it per field and saved it; nothing conflicts, so git add {} and commit to finish the merge.",
                crate::safe::path_word(&shown)
            ));
        } else {
            self.info(format!(
                "{name} had git conflict markers: merged it per field and saved it, keeping both values of the {n} field(s) changed two ways until you pick one."
            ));
        }
    }

    /// Creates an empty project at `path` and opens it on the profile screen.
    pub fn create(&mut self, path: &Path) -> Result<(), Error> {
        let mut loaded = Loaded::create(path, Project::new());
        loaded.save()?;
        self.project = Some(loaded);
        self.screen = Screen::Profile;
        self.profile_sel = 0;
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
            self.scoping_sel = i;
            return;
        }
        if let Some(i) = self
            .library
            .prerequisites
            .iter()
            .position(|q| !p.prerequisites.contains_key(&q.id))
        {
            self.screen = Screen::Prerequisites;
            self.prereq_sel = i;
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
        self.report = Some(report);
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
    fn commit_recorded(&mut self, edit: Edit, record: bool) -> bool {
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
    fn save_pending(&mut self) -> bool {
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
    fn save_failed(&mut self, e: Error) {
        self.unsaved = true;
        match e {
            Error::TooLarge(t) => self.error(too_large_text(&t)),
            e => self.error(format!(
                "Could not save: {}. Your changes stay on screen and are saved with the next one.",
                first_line(&e.to_string())
            )),
        }
    }

    /// Takes in what changed in the file on disk (a teammate's `ftr answer`, a `git pull`,
    /// one that left conflict markers), merged per field with what changed here, and saves the
    /// result when it differs from the file. The message line says what came in; fields
    /// changed both ways open the resolve screen with both values. Returns whether what is in
    /// memory is on disk now; `Err` when the file on disk cannot be read or merged, and then
    /// nothing here changed.
    pub fn take_in_disk(&mut self) -> Result<bool, Error> {
        let mut came: Vec<String> = Vec::new();
        let mut had_markers = false;
        let mut merged_any = false;
        let mut new_conflicts: Vec<Vec<String>> = Vec::new();
        let mut saved = false;
        // A file that changes again between the merge and the save is merged again.
        for attempt in 0..3 {
            let Some(loaded) = self.project.as_mut() else {
                return Ok(false);
            };
            let markers = marker_origin(store::read_text(&loaded.path).ok().as_deref());
            let known: Vec<Vec<String>> = loaded
                .project
                .conflicts
                .iter()
                .map(|c| c.at.clone())
                .collect();
            let merged = loaded.merge_from_disk(&self.library)?;
            let differs = loaded.differs_from_disk();
            if let Some(m) = &merged {
                merged_any = true;
                for c in &m.changed {
                    if !came.contains(c) {
                        came.push(c.clone());
                    }
                }
                had_markers |= markers.is_some();
                let git = markers.clone().unwrap_or(Origin::Recorded);
                self.note_merged(m, &known, &Origin::Disk, &git);
                for c in &m.project.conflicts {
                    if !known.contains(&c.at) && !new_conflicts.contains(&c.at) {
                        new_conflicts.push(c.at.clone());
                    }
                }
            }
            if !differs && markers.is_none() {
                // What is here is what the file holds.
                self.unsaved = false;
                self.pending.clear();
                saved = true;
                break;
            }
            let Some(loaded) = self.project.as_mut() else {
                return Ok(false);
            };
            match loaded.save() {
                Ok(()) => {
                    self.unsaved = false;
                    self.pending.clear();
                    saved = true;
                    break;
                }
                Err(Error::Conflict { .. }) if attempt < 2 => continue,
                Err(e) => {
                    self.save_failed(e);
                    break;
                }
            }
        }
        new_conflicts.retain(|at| self.conflicts().iter().any(|c| c.at == *at));
        if !new_conflicts.is_empty() {
            // The text being typed is in what was merged (as ours), so the editor may go.
            self.editor = None;
            self.open_resolve(Some(&new_conflicts[0]));
        }
        if self.screen == Screen::Resolve && self.conflicts().is_empty() {
            // Settled on disk meanwhile (a teammate's `ftr resolve`).
            self.leave_resolve();
        }
        if saved && merged_any {
            let mut text = if had_markers {
                "The file on disk had git conflict markers; merged them per field and saved it"
                    .to_string()
            } else if came.is_empty() {
                "Merged changes from the file on disk".to_string()
            } else {
                format!(
                    "Merged changes from the file on disk: {}",
                    crate::safe::terminal(&came.join(", "))
                )
            };
            if new_conflicts.is_empty() {
                text.push('.');
            } else {
                let open: Vec<crate::merge::Conflict> = self
                    .conflicts()
                    .iter()
                    .filter(|c| new_conflicts.contains(&c.at))
                    .cloned()
                    .collect();
                text.push_str(&format!(
                    ". Changed two ways: {}; pick the value to keep.",
                    crate::team::conflict_names(&open)
                ));
            }
            self.info(text);
        }
        self.refresh();
        Ok(saved)
    }

    /// Reads the file again, dropping what is in memory. A file git left with conflict markers
    /// is merged per field and saved at once (both values of a field changed two ways are
    /// kept in it).
    pub(crate) fn reread(&mut self) -> Result<(), Error> {
        let Some(loaded) = self.project.as_mut() else {
            return Ok(());
        };
        let path = loaded.path.clone();
        let markers = marker_origin(store::read_text(&path).ok().as_deref());
        let (fresh, merged) = store::load_resolving(&path, &self.library)?;
        *loaded = fresh;
        if let Some(m) = merged {
            let git = markers.unwrap_or(Origin::Git {
                ours: String::new(),
                theirs: String::new(),
            });
            self.note_merged(&m, &[], &git, &Origin::Recorded);
            if let Some(loaded) = self.project.as_mut()
                && let Err(e) = loaded.save()
            {
                self.save_failed(e);
            }
        }
        Ok(())
    }

    /// Conflict answer: reload the file and apply every change not yet saved on top of it.
    pub fn merge(&mut self) {
        if self.project.is_none() {
            return;
        }
        if let Err(e) = self.reread() {
            self.error(format!(
                "The file on disk cannot be read now: {}",
                first_line(&e.to_string())
            ));
            self.popup = Some(Popup::Conflict);
            return;
        }
        let Some(loaded) = self.project.as_mut() else {
            return;
        };
        let dir = loaded.dir();
        let mut refused = 0;
        for edit in &self.pending {
            if apply(&mut loaded.project, &self.library, edit, &dir).is_err() {
                refused += 1;
            }
        }
        if self.save_pending() {
            if refused == 0 {
                self.info("Merged your changes into the file as it is on disk now.");
            } else {
                self.error(format!(
                    "Merged; {refused} change(s) no longer fit the file on disk and were left out."
                ));
            }
        }
        self.refresh();
    }

    /// Conflict answer: keep what is on disk, drop the changes not yet saved.
    pub fn discard(&mut self) {
        if self.project.is_some() {
            match self.reread() {
                Ok(()) => {
                    let n = self.pending.len();
                    self.pending.clear();
                    self.unsaved = false;
                    if self.screen == Screen::Resolve && self.conflicts().is_empty() {
                        self.leave_resolve();
                    }
                    self.info(format!(
                        "Reloaded the file from disk; dropped {n} change(s) of yours."
                    ));
                }
                Err(e) => {
                    self.unsaved = true;
                    self.error(first_line(&e.to_string()));
                }
            }
        }
        self.refresh();
    }

    /// Conflict answer: write what is on screen over the file on disk.
    pub fn overwrite(&mut self) {
        if let Some(loaded) = self.project.as_mut() {
            match loaded.overwrite() {
                Ok(()) => {
                    self.unsaved = false;
                    self.pending.clear();
                    self.info("Saved over the version on disk.");
                }
                Err(e) => self.save_failed(e),
            }
        }
        self.refresh();
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
            self.refresh_evidence();
        }
    }

    /// Saves the open editor's text if it is a plain text field that changed, keeping the
    /// editor open: a crash or a closed terminal then loses at most the last second of typing.
    pub fn save_draft(&mut self) {
        let Some(editor) = self.editor.as_ref() else {
            return;
        };
        // The text kept for a conflict settles it: that waits until the editor is left.
        if matches!(editor.target, Target::Conflict { .. }) {
            return;
        }
        let text = editor.text();
        if self.current_text(&editor.target) == text {
            return;
        }
        // A value that cannot be taken yet (half a date) simply waits for more typing.
        if let Ok(Some(edit)) = self.edit_for(&editor.target, text) {
            self.commit(edit);
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
        let Some(cmd) = keymap::lookup(&key) else {
            return;
        };
        let consumed = match self.screen {
            Screen::Start => self.key_start(cmd),
            Screen::Profile => self.key_profile(cmd),
            Screen::Scoping => self.key_scoping(cmd),
            Screen::Prerequisites => self.key_prereq(cmd),
            Screen::Interview => self.key_interview(cmd),
            Screen::Review => self.key_review(cmd),
            Screen::Export => self.key_export(cmd),
            Screen::Resolve => self.key_resolve(cmd),
        };
        if !consumed {
            self.key_global(cmd);
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
                    self.review_from = Some(self.screen);
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

    /// `z`: takes back the last step, on top of whatever changed since (a teammate's answers
    /// merged in stay): each field the step changed returns to what it was, unless it changed
    /// again since.
    pub fn undo(&mut self) {
        self.walk(false);
    }

    /// `Z`: makes the last undone step again.
    pub fn redo(&mut self) {
        self.walk(true);
    }

    /// One step back through the history (`forward`: one undone step again): the step moves
    /// from one list to the other once the project has moved.
    fn walk(&mut self, forward: bool) {
        let (taken, word, hint) = if forward {
            (self.redo.pop(), "redo", "z undoes")
        } else {
            (self.undo.pop(), "undo", "Z redoes")
        };
        let Some(step) = taken else {
            self.info(format!("Nothing to {word}."));
            return;
        };
        self.burst = false;
        let (from, to) = if forward {
            (&step.before, &step.after)
        } else {
            (&step.after, &step.before)
        };
        let Some((moved, kept)) = self.travel(from, to) else {
            // Could not compute it (the message says why): the step stays where it was.
            if forward {
                self.redo.push(step);
            } else {
                self.undo.push(step);
            }
            return;
        };
        let kept_note = match kept {
            0 => String::new(),
            n => format!(" {n} field(s) changed again since were left as they are."),
        };
        if !moved {
            // Everything it changed was changed again since: nothing to take back.
            self.error(format!(
                "Nothing to {word} for {}:{kept_note}",
                crate::safe::terminal(&step.what.join(", "))
            ));
            return;
        }
        self.info(format!(
            "{}: {}. {hint}.{kept_note}",
            if forward { "Redone" } else { "Undone" },
            crate::safe::terminal(&step.what.join(", "))
        ));
        if forward {
            self.undo.push(step);
        } else {
            self.redo.push(step);
        }
    }

    /// Moves the project from `from` to `to` where it still holds `from`, and saves. Returns
    /// whether anything moved, and how many fields changed again since were left alone.
    fn travel(&mut self, from: &Project, to: &Project) -> Option<(bool, usize)> {
        let loaded = self.project.as_ref()?;
        let current = loaded.project.clone();
        let (moved, kept) = match travelled(&current, from, to, &self.library) {
            Ok(t) => t,
            Err(e) => {
                self.error(format!("Could not undo: {}", first_line(&e.to_string())));
                return None;
            }
        };
        if moved == current {
            return Some((false, kept));
        }
        self.commit_recorded(
            Edit::Travel {
                from: Box::new(from.clone()),
                to: Box::new(to.clone()),
            },
            false,
        );
        Some((true, kept))
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
            self.review_sel = 0;
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

    fn key_popup(&mut self, key: KeyEvent) {
        let Some(popup) = self.popup.take() else {
            return;
        };
        let cmd = keymap::lookup(&key);
        let ctrl_c = key.code == ratatui::crossterm::event::KeyCode::Char('c')
            && key
                .modifiers
                .contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
        if ctrl_c {
            if matches!(popup, Popup::Conflict) {
                // Quitting now would leave the changes unsaved: the question comes first.
                self.popup = Some(popup);
                self.error("Answer first: Enter merges your changes into the file on disk.");
            } else {
                self.request_quit();
            }
            return;
        }
        match popup {
            Popup::Search(s) => self.key_search(s, key),
            Popup::Help { scroll } => match cmd {
                Some(Cmd::Down) => self.popup = Some(Popup::Help { scroll: scroll + 1 }),
                Some(Cmd::Up) => {
                    self.popup = Some(Popup::Help {
                        scroll: scroll.saturating_sub(1),
                    })
                }
                Some(Cmd::Quit) if key.code != ratatui::crossterm::event::KeyCode::Char('q') => {
                    self.request_quit()
                }
                _ => {}
            },
            Popup::Confirm { question, action } => match cmd {
                Some(Cmd::Yes) => self.confirmed(action),
                Some(Cmd::No) | Some(Cmd::Back) | Some(Cmd::Quit) => {}
                _ => self.popup = Some(Popup::Confirm { question, action }),
            },
            Popup::Conflict => {
                // Only keys that do not occur in typed text act here, so words typed on
                // after the question appeared cannot choose for the user.
                use ratatui::crossterm::event::{KeyCode, KeyModifiers};
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Enter => self.merge(),
                    KeyCode::Char('r') if ctrl => self.discard(),
                    KeyCode::Char('o') if ctrl => self.overwrite(),
                    _ => self.popup = Some(Popup::Conflict),
                }
            }
            Popup::Newer { plan } => self.key_newer(key, plan),
            Popup::Changes {
                diff,
                scroll,
                can_move,
            } => self.key_changes(key, diff, scroll, can_move),
            Popup::Migrate {
                plan,
                backup,
                scroll,
            } => self.key_migrate(key, plan, backup, scroll),
            Popup::Picker { mut picker, to } => match picker.handle_key(key) {
                super::widgets::picker::Outcome::Continue => {
                    self.popup = Some(Popup::Picker { picker, to })
                }
                super::widgets::picker::Outcome::Cancelled => {}
                super::widgets::picker::Outcome::Chosen(path) => {
                    self.attach(&to, &path);
                }
            },
            Popup::Reuse {
                control,
                files,
                selected,
            } => match cmd {
                Some(Cmd::Down) => {
                    self.popup = Some(Popup::Reuse {
                        selected: (selected + 1).min(files.len().saturating_sub(1)),
                        control,
                        files,
                    })
                }
                Some(Cmd::Up) => {
                    self.popup = Some(Popup::Reuse {
                        selected: selected.saturating_sub(1),
                        control,
                        files,
                    })
                }
                Some(Cmd::Open) => {
                    if let Some(f) = files.get(selected) {
                        let path = self
                            .project
                            .as_ref()
                            .map(|l| l.dir().join(&f.path))
                            .unwrap_or_else(|| PathBuf::from(&f.path));
                        self.attach(&AttachTo::Control(control), &path);
                    }
                }
                Some(Cmd::Back) | Some(Cmd::Quit) => {}
                _ => {
                    self.popup = Some(Popup::Reuse {
                        control,
                        files,
                        selected,
                    })
                }
            },
        }
    }

    fn confirmed(&mut self, action: Confirm) {
        match action {
            Confirm::RemoveEvidence { control, path } => {
                self.commit(Edit::Answer {
                    control,
                    change: Box::new(AnswerChange {
                        remove_evidence: vec![path],
                        ..AnswerChange::default()
                    }),
                });
                let n = self.evidence_states.len();
                self.interview.evidence = self.interview.evidence.min(n.saturating_sub(1));
            }
            Confirm::DetachFile { slot, path } => {
                if self.commit(Edit::Detach {
                    slot,
                    path: Some(path.clone()),
                }) {
                    self.info(format!("Detached {path}; the file itself stays on disk."));
                }
                let n = self.profile_rows().len();
                self.profile_sel = self.profile_sel.min(n - 1);
            }
            Confirm::SwitchModel(model) => self.choose_model(model),
            Confirm::OpenScoping(id) => {
                self.goto(Screen::Scoping);
                if let Some(i) = self
                    .checklist()
                    .and_then(|c| c.scoping.iter().position(|q| q.id == id))
                {
                    self.scoping_sel = i;
                }
            }
            Confirm::QuitUnsaved => {
                self.remember();
                self.quit = true;
            }
        }
    }

    /// Fingerprints `path` and attaches it to a control, or to a slot of the upload form.
    pub fn attach(&mut self, to: &AttachTo, path: &Path) {
        let Some(dir) = self.project.as_ref().map(|l| l.dir()) else {
            return;
        };
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        };
        let ev = match Evidence::attach(&path, &dir, String::new(), None, self.clock.now()) {
            Ok(ev) => ev,
            Err(e) => {
                self.error(first_line(&e.to_string()));
                return;
            }
        };
        let shown = ev.path.clone();
        match to {
            AttachTo::Control(control) => {
                let saved = self.commit(Edit::Answer {
                    control: control.to_string(),
                    change: Box::new(AnswerChange {
                        add_evidence: vec![ev],
                        ..AnswerChange::default()
                    }),
                });
                if let Some(i) = self
                    .proj()
                    .zip(self.checklist())
                    .and_then(|(p, c)| p.answer(&c.id, control))
                    .and_then(|a| a.evidence.iter().position(|e| e.path == shown))
                {
                    self.interview.evidence = i;
                }
                if saved {
                    self.info(format!("Attached {shown} to {control}."));
                }
            }
            AttachTo::Slot(slot) => {
                let slot = *slot;
                let format = ev.format(&dir).ok();
                let saved = self.commit(Edit::Attach {
                    slot,
                    evidence: Box::new(ev),
                });
                let row = self.proj().and_then(|p| {
                    let i = slot
                        .files(&p.profile)
                        .iter()
                        .position(|e| e.path == shown)?;
                    Some(match slot {
                        Slot::Diagram => ProfileRow::Diagram,
                        Slot::SecurityReport => ProfileRow::Report(i),
                    })
                });
                if let Some(i) = row.and_then(|r| self.profile_rows().iter().position(|x| *x == r))
                {
                    self.profile_sel = i;
                }
                if !saved {
                    return;
                }
                match format {
                    Some(f) if slot == Slot::Diagram && !f.is_png_or_jpeg() => self.error(format!(
                        "Attached {shown} as the diagram, but it is not a PNG or JPEG image (its first bytes are {}); the form takes .png or .jpeg.",
                        f.describe()
                    )),
                    _ => self.info(format!("Attached {shown} as the {}.", slot.name())),
                }
            }
        }
    }

    // ---- text editing ----

    pub fn start_editing(&mut self, target: Target) {
        let text = self.current_text(&target);
        let multiline = matches!(&target, Target::Answer { field, .. } if field.multiline());
        self.editor = Some(Editor::new(target, &text, multiline));
    }

    fn current_text(&self, target: &Target) -> String {
        let Some(p) = self.proj() else {
            return String::new();
        };
        let answer = |control: &str| {
            self.checklist()
                .and_then(|c| p.answer(&c.id, control))
                .cloned()
                .unwrap_or_default()
        };
        match target {
            Target::Profile(row) => match row {
                ProfileRow::Company => p.profile.company.clone(),
                ProfileRow::Product => p.profile.product.clone(),
                ProfileRow::ContactName => p.profile.contact_name.clone(),
                ProfileRow::ContactEmail => p.profile.contact_email.clone(),
                _ => String::new(),
            },
            Target::PrereqCount(id) => match p.prerequisites.get(id) {
                Some(PrereqAnswer::Count(n)) => n.to_string(),
                _ => String::new(),
            },
            Target::Answer { control, field } => {
                let a = answer(control);
                match field {
                    Field::Response => a.response,
                    Field::Reason => a.reason,
                    Field::PlanWhat => a.remediation.what,
                    Field::PlanOwner => a.remediation.owner,
                    Field::PlanDue => a.remediation.due.map(|d| d.to_string()).unwrap_or_default(),
                    Field::Notes => a.notes,
                    Field::Value(i) => match self.value_spec(control, *i) {
                        Some(spec) => self
                            .interview
                            .value_drafts
                            .get(&(control.clone(), spec.key.clone()))
                            .or_else(|| a.values.get(&spec.key))
                            .cloned()
                            .unwrap_or_default(),
                        None => String::new(),
                    },
                    Field::Status | Field::Evidence => String::new(),
                }
            }
            Target::NewEvidence { .. } => String::new(),
            Target::Conflict { at } => p
                .conflicts
                .iter()
                .find(|c| c.at == *at)
                .and_then(|c| c.ours.as_ref())
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
            Target::EvidenceLabel { to, path } => {
                self.file(to, path).map(|e| e.label).unwrap_or_default()
            }
            Target::EvidenceDate { to, path } => self
                .file(to, path)
                .and_then(|e| e.produced)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    /// The file attached at `path` to a control or a slot.
    fn file(&self, to: &AttachTo, path: &str) -> Option<Evidence> {
        let p = self.proj()?;
        let files = match to {
            AttachTo::Control(control) => &p.answer(&self.checklist()?.id, control)?.evidence[..],
            AttachTo::Slot(slot) => slot.files(&p.profile),
        };
        files.iter().find(|e| e.path == path).cloned()
    }

    fn key_editor(&mut self, key: KeyEvent) {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let Some(editor) = self.editor.as_mut() else {
            return;
        };
        let is_path = matches!(editor.target, Target::NewEvidence { .. });
        match key.code {
            // A path not attached yet is nothing to save: Esc cancels it, as in the pickers.
            KeyCode::Esc if is_path => {
                self.editor = None;
                self.info("Nothing attached.");
            }
            KeyCode::Esc => self.leave_editor(),
            KeyCode::Char('c') if ctrl => {
                self.leave_editor();
                self.request_quit();
            }
            KeyCode::Tab if is_path => {
                let typed = editor.text();
                let done = super::widgets::complete::complete(&typed, &self.cwd);
                editor.area = TextArea::new(vec![done.text]);
                editor.area.move_cursor(CursorMove::End);
                editor.candidates = if done.candidates.len() > 1 {
                    done.candidates
                } else {
                    Vec::new()
                };
            }
            // Saves, moves to the next (or previous) field and goes on editing there when it
            // is a text field too: the letters typed next land in it, never run as commands.
            KeyCode::Tab | KeyCode::BackTab => {
                let delta = if key.code == KeyCode::Tab { 1 } else { -1 };
                self.finish_editing();
                if self.editor.is_some() {
                    return;
                }
                match self.screen {
                    Screen::Interview => {
                        self.move_field(delta);
                        let field = self.field();
                        if !matches!(field, Field::Status | Field::Evidence)
                            && let Some(control) = self.selected_control().map(|c| c.id.clone())
                        {
                            self.start_editing(Target::Answer { control, field });
                        }
                    }
                    Screen::Profile => self.profile_tab(delta),
                    _ => {}
                }
            }
            KeyCode::Enter if !editor.multiline || ctrl => self.finish_editing(),
            // As in a shell: Ctrl-U deletes from the cursor to the start of the line.
            KeyCode::Char('u') if ctrl => {
                editor.error = None;
                editor.area.delete_line_by_head();
            }
            KeyCode::Char('e') if ctrl => {
                if let Target::Answer {
                    control,
                    field: Field::Response,
                } = &editor.target
                {
                    // What was typed here is saved before the other editor opens.
                    let control = control.clone();
                    let text = editor.text();
                    self.finish_editing();
                    self.external = Some(ExternalEdit { control, text });
                }
            }
            _ => {
                editor.error = None;
                editor.area.input(key);
            }
        }
    }

    /// Saves the field and closes the editor; a value that cannot be taken is dropped, and
    /// the message says so (Esc and Ctrl-C always get the user out).
    fn leave_editor(&mut self) {
        self.finish_editing();
        if let Some(editor) = self.editor.take() {
            let why = editor.error.clone().unwrap_or_default();
            if let Some(at) = self.value_target(&editor.target) {
                // A refused value is kept on screen, never lost: the row shows it and the
                // next edit starts from it.
                self.interview.value_drafts.insert(at, editor.text());
                self.error(format!(
                    "Not saved, kept in the field to fix (e edits it): {}",
                    why.trim_end_matches('.')
                ));
                return;
            }
            self.error(format!("Not saved: {}", why.trim_end_matches('.')));
        }
    }

    fn paste(&mut self, text: &str) {
        // Pasting onto a text field of the answer opens it, with the text in it.
        if self.editor.is_none()
            && self.popup.is_none()
            && self.screen == Screen::Interview
            && self.focus == Pane::Answer
            && !matches!(self.field(), Field::Status | Field::Evidence)
            && let Some(control) = self.selected_control().map(|c| c.id.clone())
        {
            let field = self.field();
            self.start_editing(Target::Answer { control, field });
        }
        if let Some(editor) = self.editor.as_mut() {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            if editor.multiline {
                editor.area.insert_str(&text);
            } else {
                editor.area.insert_str(text.replace('\n', " "));
            }
        }
    }

    /// The change that the text typed for `target` makes; `Err` says why the text cannot be
    /// taken, `Ok(None)` that there is nothing to record. A path to attach is not an edit of
    /// the project until the file is fingerprinted, so it is handled by `finish_editing`.
    fn edit_for(&self, target: &Target, text: String) -> Result<Option<Edit>, String> {
        Ok(Some(match target {
            Target::Profile(row) => Edit::Set {
                key: row.key().into(),
                value: text,
            },
            Target::PrereqCount(id) => {
                if !text.is_empty() && text.parse::<u32>().is_err() {
                    return Err("Type a whole number, e.g. 12 (empty clears it).".into());
                }
                Edit::Set {
                    key: format!("prereq.{id}"),
                    value: if text.is_empty() {
                        "unset".into()
                    } else {
                        text
                    },
                }
            }
            Target::Answer { control, field } => {
                let mut change = AnswerChange::default();
                match field {
                    Field::Response => change.response = Some(text),
                    Field::Reason => change.reason = Some(text),
                    Field::PlanWhat => change.plan_what = Some(text),
                    Field::PlanOwner => change.plan_owner = Some(text),
                    Field::Notes => change.notes = Some(text),
                    Field::PlanDue => change.plan_due = Some(parse_optional_date(&text)?),
                    Field::Value(i) => {
                        let Some(spec) = self.value_spec(control, *i) else {
                            return Ok(None);
                        };
                        if !text.is_empty()
                            && let Err(why) = spec.kind.parse(&text)
                        {
                            return Err(format!("`{text}` is not a {}; {why}.", spec.kind));
                        }
                        change.values = vec![(spec.key.clone(), text)];
                    }
                    Field::Status | Field::Evidence => return Ok(None),
                }
                Edit::Answer {
                    control: control.clone(),
                    change: Box::new(change),
                }
            }
            Target::NewEvidence { .. } => return Ok(None),
            Target::Conflict { at } => return self.conflict_edit(at, text),
            Target::EvidenceLabel { to, path } => Edit::EvidenceMeta {
                to: to.clone(),
                path: path.clone(),
                label: Some(text),
                produced: None,
            },
            Target::EvidenceDate { to, path } => Edit::EvidenceMeta {
                to: to.clone(),
                path: path.clone(),
                label: None,
                produced: Some(parse_optional_date(&text)?),
            },
        }))
    }

    /// The control and key of a value being typed, if the editor holds one.
    fn value_target(&self, target: &Target) -> Option<(String, String)> {
        match target {
            Target::Answer {
                control,
                field: Field::Value(i),
            } => self
                .value_spec(control, *i)
                .map(|spec| (control.clone(), spec.key.clone())),
            _ => None,
        }
    }

    /// Commits the editor's text. A value that cannot be taken (a bad date or count, a path
    /// that is not a file) keeps the editor open with the reason shown.
    pub fn finish_editing(&mut self) {
        let Some(editor) = self.editor.take() else {
            return;
        };
        if matches!(editor.target, Target::Conflict { .. }) {
            self.finish_conflict_edit(editor);
            return;
        }
        let text = editor.text();
        if let Target::NewEvidence { to } = &editor.target {
            if text.is_empty() {
                return;
            }
            let to = to.clone();
            let path = expand_home(text.trim().trim_matches(['\'', '"']));
            let path = if path.is_absolute() {
                path
            } else {
                self.cwd.join(path)
            };
            if !path.is_file() {
                let why = if path.exists() {
                    "That is not a regular file; Tab completes names."
                } else {
                    "No such file; Tab completes names, b opens a picker."
                };
                self.reopen(editor, why);
                return;
            }
            self.attach(&to, &path);
            return;
        }
        let value = self.value_target(&editor.target);
        match self.edit_for(&editor.target, text) {
            Ok(Some(edit)) => {
                if self.commit(edit)
                    && let Some(at) = value
                {
                    self.interview.value_drafts.remove(&at);
                    // What was wrong with an earlier try no longer is.
                    if self
                        .message
                        .as_ref()
                        .is_some_and(|m| m.level == Level::Error)
                    {
                        self.message = None;
                    }
                }
            }
            Ok(None) => {}
            Err(why) => {
                if value.is_some() {
                    // The message line says it too, as the field row will once the editor
                    // is left.
                    self.error(why.clone());
                }
                self.reopen(editor, &why)
            }
        }
    }

    fn reopen(&mut self, mut editor: Editor, why: &str) {
        editor.error = Some(why.to_string());
        self.editor = Some(editor);
    }

    /// The run loop calls this with what $EDITOR left (`text`, when the file could be read
    /// back) and what went wrong, if anything. Text that changed is kept even when the editor
    /// reported a failure.
    pub fn finish_external(
        &mut self,
        control: &str,
        text: Option<String>,
        problem: Option<String>,
    ) {
        if let Some(text) = text {
            self.commit(Edit::Answer {
                control: control.to_string(),
                change: Box::new(AnswerChange {
                    response: Some(text.trim_end().to_string()),
                    ..AnswerChange::default()
                }),
            });
        }
        if let Some(why) = problem {
            self.error(why);
        }
    }

    // ---- mouse ----

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
        let _ = match self.screen {
            Screen::Start => self.key_start(cmd),
            Screen::Profile => self.key_profile(cmd),
            Screen::Scoping => self.key_scoping(cmd),
            Screen::Prerequisites => self.key_prereq(cmd),
            Screen::Review => self.key_review(cmd),
            Screen::Resolve => self.key_resolve(cmd),
            _ => false,
        };
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

/// True when applying `new` alone gives what applying `old` then `new` gives: both set the
/// same one text field (of the profile, or of the same control's answer) and nothing else.
/// `project` with each field that differs between `from` and `to` set as in `to`, unless it
/// changed since `from` (then it keeps its value: counted in the second part).
fn travelled(
    project: &Project,
    from: &Project,
    to: &Project,
    library: &Library,
) -> Result<(Project, usize), Error> {
    let m = crate::team::merge_projects("the project file", Some(from), project, to, library)?;
    let mut out = m.project;
    out.conflicts
        .retain(|c| !m.fresh.iter().any(|f| f.at == c.at));
    Ok((out, m.fresh.len()))
}

fn supersedes(new: &Edit, old: &Edit) -> bool {
    /// The one text field a change sets, by name (`value.rpo` for a required value).
    fn only_text(c: &AnswerChange) -> Option<String> {
        if c.status.is_some()
            || c.plan_due.is_some()
            || !c.add_evidence.is_empty()
            || !c.remove_evidence.is_empty()
        {
            return None;
        }
        let mut set: Vec<String> = [
            ("response", c.response.is_some()),
            ("reason", c.reason.is_some()),
            ("notes", c.notes.is_some()),
            ("plan_what", c.plan_what.is_some()),
            ("plan_owner", c.plan_owner.is_some()),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name.to_string())
        .collect();
        set.extend(c.values.iter().map(|(key, _)| format!("value.{key}")));
        match set.len() {
            1 => set.pop(),
            _ => None,
        }
    }
    match (new, old) {
        (
            Edit::Answer {
                control: a,
                change: x,
            },
            Edit::Answer {
                control: b,
                change: y,
            },
        ) => a == b && only_text(x).is_some() && only_text(x) == only_text(y),
        (Edit::Set { key: a, .. }, Edit::Set { key: b, .. }) => {
            a == b
                && matches!(
                    a.as_str(),
                    "company" | "product" | "contact.name" | "contact.email"
                )
        }
        _ => false,
    }
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

fn parse_optional_date(text: &str) -> Result<Option<Date>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(text)
        .map(Some)
        .ok_or_else(|| "Write the date as YYYY-MM-DD, e.g. 2027-01-31 (empty clears it).".into())
}

fn expand_home(text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(text)
}
