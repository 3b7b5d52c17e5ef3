//! What the screens share, below them: the project and the library, the clock, where the user
//! is, the derived readiness report, the message line, the open editor and popup, and the one
//! gate every change to the project goes through ([`State::commit`], in `gate.rs`, where undo
//! lives). The app above owns a `State` and hands it to the screens as `&mut`.
//!
//! Nothing here draws, and nothing here knows the screens: the files of this folder import
//! only each other (the types first, then `State`) and the modules below `tui`.
//!
//! - `nav`, `edit`, `editor`, `popup`, `conflicts`, `review`: plain types (the screens and
//!   steps, a change as data, the field editor, the popups, where conflicts came from, the
//!   review's selection);
//! - this file: the `State` itself, reading it, moving between screens, refreshing what is
//!   derived, the message line;
//! - `gate`: [`State::commit`], the save and undo; `disk`: taking in what changed on disk;
//!   `changes`: a newer version of the checklist.

pub mod conflicts;
pub mod edit;
pub mod editor;
pub mod nav;
pub mod popup;
pub mod review;

mod changes;
mod disk;
mod gate;

use std::path::{Path, PathBuf};

use crate::assessment::evidence::{FileState, FingerprintCache};
use crate::assessment::readiness::{self, Report};
use crate::assessment::{Answer, Project, Status};
use crate::content::{Checklist, Control, Domain, Library, RequiredValue};
use crate::dates::{Clock, Date};
use crate::store::{Loaded, recent};
use crate::tui::theme::Theme;
use crate::tui::widgets::picker::Picker;

use self::conflicts::ResolveView;
use self::edit::{AttachTo, Edit, History};
use self::editor::{Editor, ExternalEdit};
use self::nav::{Areas, Level, Message, Pane, Place, Screen, Step, domain_index};
use self::popup::{Pick, Popup, Popups};
use self::review::ReviewView;

pub struct State {
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
    /// Which pane of the interview has the keyboard.
    pub focus: Pane,
    /// The interview's domain and selected control.
    pub place: Place,
    /// The review's selection (it follows its finding when the report is made anew).
    pub review: ReviewView,
    /// The resolve screen's state (a save that merges in conflicts opens it).
    pub resolve: ResolveView,
    pub report: Option<Report>,
    /// Fingerprint state of each evidence file of the selected control.
    pub evidence_states: Vec<FileState>,
    /// Fingerprint state of the diagram and of each security tool report, for the profile.
    pub diagram_state: Option<FileState>,
    pub report_states: Vec<FileState>,
    pub editor: Option<Editor>,
    /// The open popups (help over a question, the conflict over anything): keys go to the
    /// top one.
    pub popups: Popups,
    pub message: Option<Message>,
    /// The domain the last move (`n`, `/`, Enter on a finding) went into from another one:
    /// the step bar marks it until the next key.
    pub moved_to: Option<Domain>,
    /// The last save failed: what is on screen is not on disk.
    pub unsaved: bool,
    /// Changes made since the last successful save, replayed on a merge.
    pub pending: Vec<Edit>,
    /// Changes to undo, the latest last, and undone ones to make again (each keeps the latest
    /// [`edit::HISTORY_LIMIT`] steps).
    pub undo: History,
    pub redo: History,
    /// The last step takes in further changes until the user pauses (the idle tick).
    pub burst: bool,
    /// The resume point last written to the recent list.
    remembered: Option<(String, String)>,
    /// A request for the run loop: the response in `$EDITOR`.
    pub external: Option<ExternalEdit>,
    pub areas: Areas,
    fingerprints: FingerprintCache,
}

impl State {
    pub fn new(library: Library, cwd: PathBuf, data_dir: Option<PathBuf>, clock: Clock) -> State {
        State {
            library,
            theme: Theme::from_env(),
            today: clock.today(),
            clock,
            data_dir,
            cwd,
            project: None,
            screen: Screen::Start,
            focus: Pane::List,
            place: Place::default(),
            review: ReviewView::default(),
            resolve: ResolveView::default(),
            report: None,
            evidence_states: Vec::new(),
            diagram_state: None,
            report_states: Vec::new(),
            editor: None,
            popups: Popups::default(),
            message: None,
            moved_to: None,
            unsaved: false,
            pending: Vec::new(),
            undo: History::default(),
            redo: History::default(),
            burst: false,
            remembered: None,
            external: None,
            areas: Areas::default(),
            fingerprints: FingerprintCache::default(),
        }
    }

    // ---- reading state ----

    pub fn checklist(&self) -> Option<&Checklist> {
        let loaded = self.project.as_ref()?;
        crate::assessment::edit::current_checklist(&loaded.project, &self.library)
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
        self.place.domain.unwrap_or(Domain::Security)
    }

    pub fn status_of(&self, control: &Control) -> Status {
        match (self.proj(), self.checklist()) {
            (Some(p), Some(c)) => p.effective_status(c, control),
            _ => Status::Unanswered,
        }
    }

    /// The controls of `domain`, in checklist order.
    pub fn domain_controls(&self, domain: Domain) -> Vec<&Control> {
        self.checklist()
            .map(|c| c.controls.iter().filter(|x| x.domain == domain).collect())
            .unwrap_or_default()
    }

    pub fn selected_control(&self) -> Option<&Control> {
        let d = self.domain();
        let list = self.domain_controls(d);
        let i = self.place.selected[domain_index(d)].min(list.len().saturating_sub(1));
        list.get(i).copied()
    }

    /// The required value a `Field::Value` of `control` stands for.
    pub fn value_spec(&self, control: &str, index: usize) -> Option<&RequiredValue> {
        self.checklist()?.control(control)?.values.get(index)
    }

    /// The answer to `control` in the current checklist (empty when none).
    pub fn answer_of(&self, control: &str) -> Answer {
        self.proj()
            .zip(self.checklist())
            .and_then(|(p, c)| p.answer(&c.id, control))
            .cloned()
            .unwrap_or_default()
    }

    /// The checklist version `control` was reworded in, when its answer waits for a second
    /// look after a move (empty otherwise).
    pub fn to_review(&self, control: &str) -> String {
        self.answer_of(control).review
    }

    /// "answered/applicable" for a domain: the controls the user answered out of those that
    /// apply there, as the header counts the whole checklist.
    pub fn domain_done(&self, domain: Domain) -> Option<(usize, usize)> {
        let (p, c) = (self.proj()?, self.checklist()?);
        let progress = crate::assessment::progress::progress(p, c);
        let d = progress.domains.iter().find(|d| d.domain == domain)?;
        Some((d.counts.answered(), d.counts.applicable()))
    }

    pub fn conflicts(&self) -> &[crate::merge::Conflict] {
        self.proj().map_or(&[][..], |p| &p.conflicts[..])
    }

    pub fn selected_conflict(&self) -> Option<&crate::merge::Conflict> {
        let all = self.conflicts();
        all.get(self.resolve.selected.min(all.len().saturating_sub(1)))
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

    // ---- where the user is ----

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

    /// Records the resume point unless it is the one recorded last.
    pub fn remember_if_moved(&mut self) {
        let here = self.resume_point();
        if self.remembered.as_ref() != Some(&here) {
            self.remember();
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

    /// Places the interview on `id` and shows it; false if the checklist has no such control.
    /// (The app resets the interview's own view around it.)
    pub fn place_on(&mut self, id: &str) -> bool {
        let Some(c) = self.checklist().and_then(|c| c.control(id)).cloned() else {
            return false;
        };
        let list = self.domain_controls(c.domain);
        let Some(i) = list.iter().position(|x| x.id == c.id) else {
            return false;
        };
        self.place.domain = Some(c.domain);
        self.place.selected[domain_index(c.domain)] = i;
        self.screen = Screen::Interview;
        self.refresh_evidence();
        true
    }

    /// Opens the resolve screen, on the conflict at `at` when given. Esc comes back here.
    pub fn open_resolve(&mut self, at: Option<&[String]>) {
        if self.conflicts().is_empty() {
            self.info("Nothing to resolve: no field was changed two ways.");
            return;
        }
        if self.screen != Screen::Resolve {
            self.resolve.back = match self.screen {
                Screen::Start => Screen::Profile,
                s => s,
            };
        }
        if let Some(i) = at.and_then(|at| self.conflicts().iter().position(|c| c.at == at)) {
            self.resolve.selected = i;
        }
        let n = self.conflicts().len();
        self.resolve.selected = self.resolve.selected.min(n - 1);
        self.resolve.scroll = 0;
        self.screen = Screen::Resolve;
        self.remember();
    }

    /// Back to where the user was; the conflicts that are left stay in the file.
    pub fn leave_resolve(&mut self) {
        let back = self.resolve.back;
        if back == Screen::Interview && self.checklist().is_none() {
            self.screen = Screen::Profile;
        } else {
            self.screen = back;
        }
        let n = self.report.as_ref().map_or(0, |r| r.findings.len());
        self.review.sel = self.review.sel.min(n.saturating_sub(1));
        self.refresh();
        self.remember();
    }

    /// Opens the file picker in the project folder, to attach what is chosen to `to`.
    pub fn browse(&mut self, to: AttachTo) {
        self.browse_for(Pick::Attach(to));
    }

    /// Opens the file picker in the project folder, titled with what it chooses.
    pub fn browse_for(&mut self, to: Pick) {
        let dir = self.project.as_ref().map_or(self.cwd.clone(), |l| {
            crate::assessment::evidence::absolute(&l.dir()).unwrap_or(self.cwd.clone())
        });
        self.popups.open(Popup::Picker {
            picker: Box::new(Picker::new(&dir, to.title())),
            to,
        });
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

    pub fn refresh_evidence(&mut self) {
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

    // ---- the message line ----

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
}

pub fn project_title(p: &Project, path: &Path) -> String {
    p.title(path)
}
