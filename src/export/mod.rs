//! The submission bundle: one zip kept as the record of what was submitted, holding
//! SUMMARY.md, checklist.csv, every evidence file once under a folder per control,
//! the project file, the files of the upload form under `upload/`, and manifest.json with the
//! size and SHA-256 of every entry. Beside it, the upload folder holds the files to pick in
//! the Partner Central form, one per slot (see [`upload`]).
//!
//! The export runs the readiness check first and refuses a bundle a reviewer would send back
//! (unless asked for a draft), scans the evidence for secrets, and writes to a temporary
//! file beside the target that is renamed only when complete: a failed or cancelled export
//! leaves nothing behind. With `SOURCE_DATE_EPOCH` set, the same inputs give the same bytes.
//!
//! This file holds [`export`] and what it returns; the steps are modules that only look down,
//! and none imports this file:
//!
//! - `options`: [`Options`], [`Progress`], [`DEFAULT_NAME`] (imports `upload`);
//! - `plan`: which evidence file goes where, and what is left out (imports `text`, `view`);
//! - `manifest`: manifest.json (imports `view`);
//! - `built`: the generated files and the upload folder's files of one attempt (imports
//!   `plan`, `sheet`, `summary`, `template`, `upload`, `view`);
//! - `scan`: the secret scan of everything the bundle holds, refusing on a hit (imports
//!   `built`, `plan`, `secrets`, `upload`, `view`);
//! - `bundle`: writing the zip to a locked temporary file (imports `built`, `manifest`,
//!   `options`, `plan`, `upload`, `zipw`);
//! - the writers and readers below them: `view` (the one [`view::Submission`]), `text`,
//!   `summary`, `sheet`, `template`, `xlsx`, `upload`, `secrets` and `zipw`.

mod built;
mod bundle;
mod manifest;
mod options;
mod plan;
mod scan;
pub mod secrets;
pub mod sheet;
pub mod summary;
pub mod template;
pub mod text;
pub mod upload;
pub mod view;
mod xlsx;
pub mod zipw;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::assessment::Evidence;
use crate::assessment::Slot;
use crate::assessment::edit::current_checklist;
use crate::assessment::evidence::FileState;
use crate::assessment::readiness::{self, Report, Severity};
use crate::assessment::window::Window;
use crate::content::Library;
use crate::dates::Date;
use crate::error::{Error, Refusal};
use crate::safe::terminal;
use crate::store::Loaded;
use built::Built;
use bundle::{Written, write_bundle};
use manifest::Manifest;
use plan::{Plan, mismatch, plan, quick_state};
use scan::scan_for_secrets;
use view::{Context, Submission};

pub use options::{DEFAULT_NAME, Options, Progress};

/// What an export produced.
#[derive(Debug, Clone)]
pub struct Done {
    pub path: PathBuf,
    pub bytes: u64,
    pub entries: usize,
    pub evidence_files: usize,
    pub draft: bool,
    pub report: Report,
    /// Evidence sent from outside the project folder.
    pub outside: Vec<String>,
    /// Evidence left out of a draft, with the reason.
    pub left_out: Vec<String>,
    /// Evidence, or places inside it, that the secret scan could not read, with the reason:
    /// `file (entry): why`. Listed for the user to check; they do not stop the export.
    pub unscanned: Vec<String>,
    /// The upload folder beside the bundle.
    pub upload_dir: PathBuf,
    /// Which file of the upload folder goes into which slot of the form.
    pub slots: Vec<upload::Slot>,
    /// What filling the template did, when one was given.
    pub template: Option<template::TemplateReport>,
    /// The deployment guide's public address, when it is given as one (no file to pick).
    pub guide_url: Option<String>,
    /// What AWS said about where FTR requests go, with the day it was said, when the
    /// checklist carries such a note.
    pub notice: Option<String>,
    /// The checklist's window had ended and the project records the choice to go on with it:
    /// the closing lines say so.
    pub past_window: Option<String>,
    /// The bundle written replaced an earlier one of the other kind at its path (a draft
    /// over a final bundle, or the other way round).
    pub replaced: Option<Replaced>,
}

/// An earlier bundle of the other kind an export replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    /// The one replaced was a draft (and a final bundle took its place); else a draft took
    /// the place of a final bundle.
    pub was_draft: bool,
}

impl Done {
    /// Which file of the upload folder goes into which slot of the form, as lines for a
    /// terminal.
    pub fn slot_lines(&self) -> Vec<String> {
        self.slot_lines_with(&|p: &Path| p.display().to_string())
    }

    /// "This draft replaced the final bundle that was at ./ftr-submission.zip.", when the
    /// export replaced a bundle of the other kind; paths as `show` words them (escaped for a
    /// terminal after).
    pub fn replaced_line(&self, show: &dyn Fn(&Path) -> String) -> Option<String> {
        let replaced = self.replaced?;
        let (this, that) = if replaced.was_draft {
            ("This bundle", "the draft")
        } else {
            ("This draft", "the final bundle")
        };
        Some(format!(
            "{this} replaced {that} that was at {}.",
            terminal(&show(&self.path))
        ))
    }

    /// [`Done::slot_lines`] with paths as `show` words them (escaped for a terminal after).
    pub fn slot_lines_with(&self, show: &dyn Fn(&Path) -> String) -> Vec<String> {
        let shown = |p: &Path| terminal(&show(p)).into_owned();
        // A draft is for the team's own reading: nothing tells them to submit it.
        let mut out = vec![if self.draft {
            format!(
                "A draft is for your own review, not for the FTR request; {} holds:",
                shown(&self.upload_dir)
            )
        } else {
            format!(
                "Pick these in the FTR request's upload form (Partner Central), from {}:",
                shown(&self.upload_dir)
            )
        }];
        for s in &self.slots {
            out.push(format!("  {}: {}", s.slot, shown(&s.path)));
        }
        if let Some(url) = &self.guide_url {
            out.push(format!(
                "  {}: {} (its address, typed in the form)",
                upload::slot::DEPLOYMENT_GUIDE,
                terminal(url)
            ));
        }
        if let Some(notice) = &self.notice {
            out.push(terminal(notice).into_owned());
        }
        if let Some(note) = &self.past_window {
            out.push(terminal(note).into_owned());
        }
        out
    }
}

/// The bundle may replace an earlier bundle, never the project file, an evidence file, the
/// diagram, a report, the template, or any other file (a zip without the bundle's manifest
/// included). A folder, fifo or device is refused from its metadata alone, so naming one can
/// never block the export.
fn refuse_to_overwrite(
    out: &Path,
    loaded: &Loaded,
    dir: &Path,
    template: Option<&Path>,
) -> Result<(), Error> {
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let refuse = |what: String| {
        Err(Error::blocked(
            format!(
                "--out {} would overwrite {what}; nothing was written",
                out.display()
            ),
            "name a new .zip file, or leave --out away for ftr-submission.zip beside the project",
        ))
    };
    let folder = crate::store::project_dir(out);
    if !folder.is_dir() {
        return Err(Error::input(
            format!(
                "--out {}: the folder {} does not exist; nothing was written",
                out.display(),
                folder.display()
            ),
            "create the folder first, or name a file in an existing one",
        ));
    }
    let meta = match std::fs::metadata(out) {
        Ok(m) => m,
        Err(_) => return Ok(()),
    };
    if meta.is_dir() {
        return refuse("a folder".into());
    }
    if !meta.is_file() {
        return refuse("something that is not a regular file (a fifo, socket or device)".into());
    }
    if same(out, &loaded.path) {
        return refuse("the project file".into());
    }
    if template.is_some_and(|t| same(out, t)) {
        return refuse("the self-assessment template".into());
    }
    let profile = &loaded.project.profile;
    for ev in Slot::ALL.iter().flat_map(|s| s.files(profile)) {
        if same(out, &ev.resolve(dir)) {
            return refuse(format!("the attached file {}", ev.path));
        }
    }
    for answers in loaded.project.answers.values() {
        for a in answers.values() {
            for ev in &a.evidence {
                if same(out, &ev.resolve(dir)) {
                    return refuse(format!("the evidence file {}", ev.path));
                }
            }
        }
    }
    // Only an earlier bundle: a zip whose manifest says so.
    if earlier_kind(out).is_none() {
        return refuse("a file that is not an earlier ftr bundle".into());
    }
    Ok(())
}

/// Whether the file at `out` is an earlier ftr bundle, and if so whether it was a draft
/// (`Some(true)`): its manifest says both near its start.
fn earlier_kind(out: &Path) -> Option<bool> {
    let file = std::fs::File::open(out).ok()?;
    let mut zip = zip::ZipArchive::new(file).ok()?;
    let mut manifest = zip.by_name("manifest.json").ok()?;
    let mut bytes = Vec::new();
    // The fields before the list of entries: the company's and product's names may be long.
    let mut start = std::io::Read::take(&mut manifest, 1 << 16);
    std::io::Read::read_to_end(&mut start, &mut bytes).ok()?;
    // Cut anywhere, even inside a character.
    let head = String::from_utf8_lossy(&bytes);
    // Written pretty: top-level fields alone start a line indented by two spaces (a line
    // break inside a value is escaped).
    head.contains("\"format\": \"ftr-bundle/")
        .then(|| head.contains("\n  \"draft\": true"))
}

/// The refusal of a bundle a reviewer would send back: the count of `report` (errors and
/// warnings) and every error with its fix. `report` is the readiness check as `ftr check` and
/// the wizard's review run it, every evidence file's fingerprint read in full, so the numbers
/// are theirs: the export's own first look at the files reads only their metadata (the hashes
/// are checked while zipping) and would miss a file edited without changing its size.
fn not_ready(report: &Report) -> Error {
    let list = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("  - {} {}", terminal(&f.message), terminal(&f.fix.words())))
        .collect::<Vec<_>>()
        .join("\n");
    Error::refused(
        Refusal::NotReady,
        format!(
            "the readiness check found {} error(s) and {} warning(s); a reviewer would send \
             this back, so no bundle was written:\n{list}",
            report.errors, report.warnings,
        ),
        "fix them (ftr check lists them too), or pass --allow-incomplete to build a draft",
    )
}

/// Builds the bundle for `loaded` at `opts.out`, and the upload folder beside it. `progress`
/// is told the bytes written and returns false to cancel.
pub fn export(
    loaded: &Loaded,
    library: &Library,
    now: crate::dates::Timestamp,
    opts: &Options,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Done, Error> {
    let project = &loaded.project;
    let dir = crate::assessment::evidence::absolute(&loaded.dir())?;
    let checklist = current_checklist(project, library).ok_or_else(no_checklist)?;
    let when = Stamp::new(opts, now);
    let template_path = template_path(opts, project, &dir);
    refuse_to_overwrite(&opts.out, loaded, &dir, template_path.as_deref())?;
    let upload_dir = upload_folder(opts)?;
    let template = template_path
        .as_deref()
        .map(template::Template::open)
        .transpose()?;
    let workers = workers(opts);
    // Files found changed while zipping although their size was the same: the readiness
    // check counts them as changed, as `ftr check` does, and a draft leaves them out.
    let mut changed = changed_slot_files(project, &dir);
    let mut unscanned: Option<Vec<String>> = None;
    loop {
        let mut look = |ev: &Evidence| match changed.get(&ev.resolve(&dir)) {
            Some(&size) => FileState::Changed { size },
            None => quick_state(ev, &dir),
        };
        let report = readiness::check_with(project, library, &dir, when.today, &mut look);
        if !report.ready && !opts.allow_incomplete {
            // Counted and listed as `ftr check` does, fingerprints and all.
            return Err(not_ready(&readiness::check(
                project, library, &dir, when.today,
            )));
        }
        let plan = plan(project, checklist, &dir, &mut look);
        let cx = Context {
            library,
            report: &report,
            files: &plan.linked,
            exported: when.exported,
            draft: !report.ready,
            outside: &plan.outside,
            home: if opts.full_paths { None } else { home_dir() },
        };
        let view = Submission::build(project, checklist, cx);
        let mut built = Built::new(&view, &plan, template.as_ref(), &dir, &changed)?;
        // Later attempts only ever leave files out, so one scan covers them all.
        match &unscanned {
            Some(places) => built.note_unscanned(places),
            None if !opts.allow_secrets => {
                unscanned = Some(scan_for_secrets(&view, &plan, &mut built, workers)?);
            }
            None => {}
        }
        let manifest = Manifest::of(&view, when.exported);
        let draft = view.draft;
        let stamp = (when.secs, workers);
        // A draft may go to names of its own, checked as the bundle's were.
        let (this, upload_dir) = if draft && opts.draft_apart {
            let this = opts.for_draft();
            refuse_to_overwrite(&this.out, loaded, &dir, template_path.as_deref())?;
            let upload_dir = upload_folder(&this)?;
            (this, upload_dir)
        } else {
            (opts.clone(), upload_dir.clone())
        };
        match write_bundle(&this, stamp, &plan, &built, manifest, progress)? {
            Written::Done {
                tmp,
                bytes,
                entries,
            } => {
                let replaced = earlier_kind(&this.out).filter(|&was_draft| was_draft != draft);
                put_in_place(tmp, &this.out, &upload_dir, &built.uploads)?;
                let window = Window::of(
                    checklist,
                    library,
                    &project.delivery.accept_past_window,
                    when.today,
                );
                let attempt = Attempt {
                    report,
                    plan,
                    built,
                    draft,
                    past_window: window.going_on_note(checklist),
                };
                let size = (bytes, entries);
                let mut done = attempt.done(&this, project, checklist, upload_dir, size);
                done.unscanned = unscanned.unwrap_or_default();
                done.replaced = replaced.map(|was_draft| Replaced { was_draft });
                return Ok(done);
            }
            Written::Mismatch(source) if opts.allow_incomplete => {
                let size = std::fs::metadata(&source).map_or(0, |m| m.len());
                changed.insert(source, size);
            }
            Written::Mismatch(source) => {
                // Every file edited without changing its size, counted as `ftr check` does.
                let full = readiness::check(project, library, &dir, when.today);
                return Err(if full.ready {
                    mismatch(&plan, &source)
                } else {
                    not_ready(&full)
                });
            }
        }
    }
}

/// Puts the bundle written to `tmp` at `out`, and the upload folder's files in `upload_dir`:
/// everything is written before anything is put in place.
fn put_in_place(
    tmp: tempfile::NamedTempFile,
    out: &Path,
    upload_dir: &Path,
    uploads: &[upload::UploadFile],
) -> Result<(), Error> {
    let staged = upload::stage(upload_dir, uploads)?;
    tmp.persist(out).map_err(|e| Error::Io {
        path: out.to_path_buf(),
        action: "write",
        source: e.error,
    })?;
    staged.commit()
}

fn no_checklist() -> Error {
    Error::refused(
        Refusal::NoChecklist,
        "the project has no delivery model, so there is no checklist to export",
        "choose one: ftr set model partner-hosted|customer-deployed|alternative",
    )
}

/// The diagram and report files changed since they were attached, with their sizes. They are
/// small: their fingerprints are checked in full up front, so the readiness check counts a
/// changed one as `ftr check` does.
fn changed_slot_files(project: &crate::assessment::Project, dir: &Path) -> BTreeMap<PathBuf, u64> {
    let mut changed = BTreeMap::new();
    for ev in Slot::ALL.iter().flat_map(|s| s.files(&project.profile)) {
        if let FileState::Changed { size } = ev.check(dir) {
            changed.insert(ev.resolve(dir), size);
        }
    }
    changed
}

/// The attempt at the bundle that was written: what the readiness check said, the plan and
/// what was built.
struct Attempt {
    report: readiness::Report,
    plan: Plan,
    built: Built,
    draft: bool,
    /// The note that the export went on past the checklist's window, when it did.
    past_window: Option<String>,
}

impl Attempt {
    /// What the export did, once the bundle and the upload folder are in place.
    fn done(
        self,
        opts: &Options,
        project: &crate::assessment::Project,
        checklist: &crate::content::Checklist,
        upload_dir: PathBuf,
        (bytes, entries): (u64, usize),
    ) -> Done {
        let Attempt {
            report,
            plan,
            built,
            draft,
            past_window,
        } = self;
        Done {
            path: opts.out.clone(),
            bytes,
            entries,
            evidence_files: plan.planned.len(),
            draft,
            report,
            outside: plan.outside,
            left_out: plan
                .left_out
                .into_iter()
                .chain(built.left_out.clone())
                .collect(),
            unscanned: Vec::new(),
            slots: built.slots(&upload_dir),
            upload_dir,
            template: built.template_report,
            guide_url: Some(project.profile.deployment_guide_url.clone())
                .filter(|u| !u.trim().is_empty()),
            notice: checklist.notice.as_ref().map(|(text, on)| {
                let (y, m, _) = on.ymd();
                format!("Note from AWS ({y}-{m:02}): {text}")
            }),
            past_window,
            replaced: None,
        }
    }
}

/// The times an export goes by: the entries' stamp, the day freshness is judged on (the day
/// `ftr check` and the wizard's review go by, [`Options::today`]), and the export date.
/// `SOURCE_DATE_EPOCH` gives the stamp and the export date.
struct Stamp {
    secs: i64,
    today: Date,
    exported: Date,
}

impl Stamp {
    fn new(opts: &Options, now: crate::dates::Timestamp) -> Stamp {
        let secs = opts.source_date_epoch.unwrap_or(now.unix());
        Stamp {
            secs,
            today: opts.today.unwrap_or_else(|| now.date()),
            exported: crate::dates::Timestamp::from_unix(secs).map_or(now.date(), |t| t.date()),
        }
    }
}

/// The upload folder beside the bundle, refused before anything is written when it is not
/// the export's to replace.
fn upload_folder(opts: &Options) -> Result<PathBuf, Error> {
    let upload_dir = upload::folder_beside(&opts.out, &opts.upload_dir)?;
    if opts.out.file_name() == upload_dir.file_name() {
        return Err(Error::usage(
            format!(
                "--upload-dir {} is the bundle's own name; nothing was written",
                opts.upload_dir
            ),
            "give the upload folder another name",
        ));
    }
    upload::check_replaceable(&upload_dir, &[upload::SELF_ASSESSMENT])?;
    Ok(upload_dir)
}

/// The self-assessment template to fill: `--template`, else the one remembered in the
/// project.
fn template_path(
    opts: &Options,
    project: &crate::assessment::Project,
    dir: &Path,
) -> Option<PathBuf> {
    let remembered =
        (!project.profile.template.is_empty()).then(|| dir.join(&project.profile.template));
    opts.template.clone().or(remembered)
}

/// Deflate and scan threads: every core, up to four. Beyond that the disk is the limit, and
/// each worker's queue slots cost memory (the bound that keeps a big export under 64 MiB).
fn workers(opts: &Options) -> usize {
    if opts.workers == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get().min(4))
    } else {
        opts.workers
    }
}

/// The user's home folder, which the summary writes as `~`.
fn home_dir() -> Option<String> {
    directories::BaseDirs::new()
        .map(|d| d.home_dir().to_string_lossy().into_owned())
        .filter(|h| h.len() > 1)
}
