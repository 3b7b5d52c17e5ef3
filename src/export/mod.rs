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
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::assessment::Evidence;
use crate::assessment::Slot;
use crate::assessment::edit::current_checklist;
use crate::assessment::evidence::FileState;
use crate::assessment::readiness::{self, Report, Severity};
use crate::content::Library;
use crate::dates::Date;
use crate::error::Error;
use crate::safe::terminal;
use crate::store::Loaded;
use view::{Context, Linked, Submission};
use zipw::{DosTime, Method, ZipError, ZipOut};

/// The bundle's file name when none is given.
pub const DEFAULT_NAME: &str = "ftr-submission.zip";

/// How to export.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    /// Build even when the readiness check has errors; the summary is marked as a draft.
    pub allow_incomplete: bool,
    /// Build even when evidence looks like it holds secrets (after the user checked).
    pub allow_secrets: bool,
    /// Seconds since 1970 to stamp on every entry and date the summary with
    /// (`SOURCE_DATE_EPOCH`); `None` uses the current time.
    pub source_date_epoch: Option<i64>,
    /// Deflate threads; 0 uses every core.
    pub workers: usize,
    /// Show evidence paths under the home folder in full in the summary, not as `~/…`.
    pub full_paths: bool,
    /// AWS's self-assessment spreadsheet to fill; `None` writes ftr's own sheet.
    pub template: Option<PathBuf>,
    /// The upload folder's name, beside the bundle.
    pub upload_dir: String,
    /// The day freshness and expiry are judged on, the day `ftr check` and the wizard's
    /// review go by; `None` takes the day of the `now` given to [`export`].
    pub today: Option<Date>,
}

impl Options {
    /// Defaults for writing to `out`, dated now.
    pub fn new(out: PathBuf) -> Options {
        Options {
            out,
            allow_incomplete: false,
            allow_secrets: false,
            source_date_epoch: None,
            workers: 0,
            full_paths: false,
            template: None,
            upload_dir: upload::DEFAULT_DIR.to_string(),
            today: None,
        }
    }
}

/// Bytes written so far, of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

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
}

impl Done {
    /// Which file of the upload folder goes into which slot of the form, as lines for a
    /// terminal.
    pub fn slot_lines(&self) -> Vec<String> {
        self.slot_lines_with(&|p: &Path| p.display().to_string())
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
        out
    }
}

/// One evidence file to put in the bundle.
struct Planned {
    source: PathBuf,
    entry: String,
    size: u64,
    expected_sha: String,
    /// The stored path, for messages.
    shown: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    company: &'a str,
    product: &'a str,
    checklist: &'a str,
    version: &'a str,
    /// The checklist's control ids (the keys of `controls`) are this tool's own, not the
    /// checklist's; only written when they are.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    own_ids: bool,
    exported: String,
    ready: bool,
    draft: bool,
    /// Every other entry of the bundle (the manifest cannot list its own hash).
    entries: Vec<ManifestEntry>,
    /// For each applicable control, the evidence entries it cites.
    controls: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize, Clone)]
struct ManifestEntry {
    name: String,
    size: u64,
    sha256: String,
}

/// The export's view of an evidence file: present, a regular file, the recorded size. The
/// content hash is checked while the file is zipped, so each file is read once.
fn quick_state(ev: &Evidence, dir: &Path) -> FileState {
    let path = ev.resolve(dir);
    match ev.stat(&path) {
        Err(state) => state,
        Ok(_) => match File::open(&path) {
            Ok(_) => FileState::Matches,
            Err(e) => FileState::Unreadable(e.to_string()),
        },
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
        Err(Error::usage(
            format!(
                "--out {} would overwrite {what}; nothing was written",
                out.display()
            ),
            "name a new .zip file, or leave --out away for ftr-submission.zip beside the project",
        ))
    };
    let folder = crate::store::project_dir(out);
    if !folder.is_dir() {
        return Err(Error::usage(
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
    let is_bundle = std::fs::File::open(out)
        .ok()
        .and_then(|f| zip::ZipArchive::new(f).ok())
        .and_then(|mut z| {
            let mut m = z.by_name("manifest.json").ok()?;
            let mut head = String::new();
            std::io::Read::read_to_string(&mut std::io::Read::take(&mut m, 4096), &mut head)
                .ok()?;
            Some(head.contains("\"format\": \"ftr-bundle/"))
        })
        .unwrap_or(false);
    if !is_bundle {
        return refuse("a file that is not an earlier ftr bundle".into());
    }
    Ok(())
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
        .map(|f| format!("  - {} {}", terminal(&f.message), terminal(&f.fix)))
        .collect::<Vec<_>>()
        .join("\n");
    Error::Refused(format!(
        "the readiness check found {} error(s) and {} warning(s); a reviewer would send this \
         back, so no bundle was written:\n{list}\n  help: fix them (ftr check lists them too), \
         or pass --allow-incomplete to build a draft",
        report.errors, report.warnings,
    ))
}

/// What goes into one attempt at the bundle: the files, and how each control cites them.
struct Plan {
    planned: Vec<Planned>,
    linked: BTreeMap<String, Vec<Linked>>,
    outside: Vec<String>,
    left_out: Vec<String>,
    /// For each submitted evidence path, its entry in the bundle.
    entry_of: BTreeMap<String, String>,
}

/// Plans the bundle: each file the export can vouch for once, under the folder of the first
/// control (in checklist order) citing it; every other file listed as left out with why.
fn plan(
    project: &crate::assessment::Project,
    checklist: &crate::content::Checklist,
    dir: &Path,
    look: &mut dyn FnMut(&Evidence) -> FileState,
) -> Plan {
    let mut p = Plan {
        planned: Vec::new(),
        linked: BTreeMap::new(),
        outside: Vec::new(),
        left_out: Vec::new(),
        entry_of: BTreeMap::new(),
    };
    let mut by_source: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut used_names: std::collections::HashSet<String> = Default::default();
    for (control, answer) in project.submitted_answers(checklist) {
        for ev in &answer.evidence {
            let mut link = Linked {
                entry: String::new(),
                label: ev.label.clone(),
                size: ev.size,
                produced: ev.produced,
                left_out: None,
            };
            let state = look(ev);
            if state != FileState::Matches {
                let why = match state {
                    FileState::Missing => "missing".to_string(),
                    FileState::NotAFile => "not a regular file".to_string(),
                    FileState::Unreadable(e) => format!("unreadable: {e}"),
                    FileState::Changed { .. } => "changed since attached".to_string(),
                    FileState::Matches => unreachable!("filtered above"),
                };
                p.left_out
                    .push(format!("{}: {} ({why})", control.id, ev.path));
                link.entry = ev.path.clone();
                link.left_out = Some(why);
                p.linked.entry(control.id.clone()).or_default().push(link);
                continue;
            }
            let source = ev.resolve(dir);
            let key = std::fs::canonicalize(&source).unwrap_or_else(|_| source.clone());
            let index = match by_source.get(&key) {
                Some(&i) => i,
                None => {
                    let base = text::safe_component(
                        &source
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    );
                    let folder = format!("evidence/{}", text::safe_component(&control.id));
                    let entry = unique_name(&folder, &base, &mut used_names);
                    if ev.is_outside() {
                        p.outside.push(ev.path.clone());
                    }
                    p.planned.push(Planned {
                        source: source.clone(),
                        entry,
                        size: ev.size,
                        expected_sha: ev.sha256.clone(),
                        shown: ev.path.clone(),
                    });
                    by_source.insert(key, p.planned.len() - 1);
                    p.planned.len() - 1
                }
            };
            let entry = p.planned[index].entry.clone();
            p.entry_of.insert(ev.path.clone(), entry.clone());
            link.entry = entry.clone();
            p.linked.entry(control.id.clone()).or_default().push(link);
        }
    }
    p
}

/// The project file as it goes into the bundle: only what is submitted. The answers of the
/// current checklist to controls that apply, without internal notes; evidence pointing at its
/// place in the bundle (so `ftr check` inside the unzipped folder finds every file), and
/// evidence the bundle does not hold dropped. Answers kept for other checklists, for unknown
/// ids or for controls switched off by scoping stay on the user's machine.
fn submitted_project(
    project: &crate::assessment::Project,
    checklist: &crate::content::Checklist,
    library: &Library,
    entry_of: &BTreeMap<String, String>,
    attached: &[(Evidence, upload::UploadFile)],
) -> crate::assessment::Project {
    let mut shared = project.clone();
    shared.answers.clear();
    // Where the template lies on this machine is not part of the submission.
    shared.profile.template.clear();
    // Scan hints are the team's working notes, with paths on this machine; a scan a reviewer
    // should see goes as evidence (`ftr import --attach`).
    shared.scans.clear();
    // The diagram and the reports point at their copies under `upload/`; one the bundle does
    // not hold is left out, as `ftr check` inside the unzipped folder would find it missing.
    let in_bundle = |ev: &Evidence| {
        attached
            .iter()
            .find(|(a, _)| a == ev)
            .map(|(a, u)| Evidence {
                path: u.entry(),
                link_to: None,
                ..a.clone()
            })
    };
    shared.profile.diagram = project.profile.diagram.as_ref().and_then(in_bundle);
    shared.profile.security_reports = project
        .profile
        .security_reports
        .iter()
        .filter_map(in_bundle)
        .collect();
    shared.profile.deployment_guide = project
        .profile
        .deployment_guide
        .as_ref()
        .and_then(in_bundle);
    shared.profile.alternative_report = project
        .profile
        .alternative_report
        .as_ref()
        .and_then(in_bundle);
    for (control, a) in project.submitted_answers(checklist) {
        let mut a = a.clone();
        a.notes.clear();
        // Only what the status submits: the reason of an n/a, the plan of a gap, the values
        // the control asks for.
        if a.status != crate::assessment::Status::NotApplicable {
            a.reason.clear();
        }
        if a.status != crate::assessment::Status::NotMet {
            a.remediation = Default::default();
        }
        a.values
            .retain(|key, _| control.values.iter().any(|v| &v.key == key));
        a.evidence = a
            .evidence
            .iter()
            .filter_map(|ev| {
                let entry = entry_of.get(&ev.path)?;
                let mut ev = ev.clone();
                ev.path = entry.clone();
                ev.link_to = None;
                Some(ev)
            })
            .collect();
        if !a.is_empty() {
            shared
                .answers
                .entry(checklist.id.clone())
                .or_default()
                .insert(control.id.clone(), a);
        }
    }
    // Scoping and prerequisite answers this build does not know are not submitted either.
    shared
        .scoping
        .retain(|id, _| checklist.scoping_question(id).is_some());
    shared
        .prerequisites
        .retain(|id, _| library.prerequisite(id).is_some());
    shared
}

/// The architecture diagram and the security tool reports that still match their
/// fingerprints, each with its file in the upload folder. One that changed or went missing is
/// left out (the readiness check reports it).
fn attachments(
    project: &crate::assessment::Project,
    dir: &Path,
    changed: &BTreeMap<PathBuf, u64>,
    left_out: &mut Vec<String>,
) -> Vec<(Evidence, upload::UploadFile)> {
    let mut out = Vec::new();
    let mut usable = |ev: &Evidence, slot: &str| {
        let state = if changed.contains_key(&ev.resolve(dir)) {
            FileState::Changed { size: 0 }
        } else {
            quick_state(ev, dir)
        };
        let why = match state {
            FileState::Matches => return true,
            FileState::Missing => "missing".to_string(),
            FileState::NotAFile => "not a regular file".to_string(),
            FileState::Unreadable(e) => format!("unreadable: {e}"),
            FileState::Changed { .. } => "changed since attached".to_string(),
        };
        left_out.push(format!("{slot}: {} ({why})", ev.path));
        false
    };
    if let Some(ev) = &project.profile.diagram
        && usable(ev, upload::slot::DIAGRAM)
    {
        let source = ev.resolve(dir);
        let name = format!(
            "{}.{}",
            upload::DIAGRAM_STEM,
            upload::extension(&source, true)
        );
        out.push((
            ev.clone(),
            upload::UploadFile {
                slot: upload::slot::DIAGRAM,
                name,
                source: upload::Source::File(source),
            },
        ));
    }
    let reports: Vec<&Evidence> = project
        .profile
        .security_reports
        .iter()
        .filter(|ev| usable(ev, upload::slot::SECURITY_REPORT))
        .collect();
    for (i, ev) in reports.iter().enumerate() {
        let source = ev.resolve(dir);
        let number = if reports.len() == 1 {
            String::new()
        } else {
            format!("-{}", i + 1)
        };
        let name = format!(
            "{}{number}.{}",
            upload::REPORT_STEM,
            upload::extension(&source, false)
        );
        out.push((
            (*ev).clone(),
            upload::UploadFile {
                slot: upload::slot::SECURITY_REPORT,
                name,
                source: upload::Source::File(source),
            },
        ));
    }
    for (slot, form, stem) in [
        (
            Slot::DeploymentGuide,
            upload::slot::DEPLOYMENT_GUIDE,
            upload::GUIDE_STEM,
        ),
        (
            Slot::AlternativeReport,
            upload::slot::ALTERNATIVE,
            upload::ALTERNATIVE_STEM,
        ),
    ] {
        for ev in slot
            .files(&project.profile)
            .iter()
            .filter(|ev| usable(ev, form))
        {
            let source = ev.resolve(dir);
            let name = format!("{stem}.{}", upload::extension(&source, false));
            out.push((
                ev.clone(),
                upload::UploadFile {
                    slot: form,
                    name,
                    source: upload::Source::File(source),
                },
            ));
        }
    }
    out
}

/// How one attempt at writing the bundle ended.
enum Written {
    /// The bundle, complete in a temporary file beside its place.
    Done {
        tmp: tempfile::NamedTempFile,
        bytes: u64,
        entries: usize,
    },
    /// A file no longer matched its fingerprint (a change that kept its size): the draft is
    /// planned again without it.
    Mismatch(PathBuf),
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
        match write_bundle(opts, stamp, &plan, &built, manifest, progress)? {
            Written::Done {
                tmp,
                bytes,
                entries,
            } => {
                put_in_place(tmp, &opts.out, &upload_dir, &built.uploads)?;
                let attempt = Attempt {
                    report,
                    plan,
                    built,
                    draft,
                };
                let unscanned = unscanned.unwrap_or_default();
                let size = (bytes, entries);
                return Ok(attempt.done(opts, project, checklist, upload_dir, size, unscanned));
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
    Error::Refused(
        "the project has no delivery model, so there is no checklist to export\n  help: \
         choose one: ftr set model partner-hosted|customer-deployed|alternative"
            .into(),
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

/// Scans the evidence, the spreadsheet and the generated texts of `built` for secrets,
/// refusing the export on a hit; returns what could not be scanned.
fn scan_for_secrets(
    view: &Submission,
    plan: &Plan,
    built: &mut Built,
    workers: usize,
) -> Result<Vec<String>, Error> {
    let sheet = built.sheet_for_scan()?;
    let mut files = built.files_to_scan(plan);
    files.push((
        sheet.path().to_path_buf(),
        format!("{}/{}", upload::ZIP_FOLDER, upload::SELF_ASSESSMENT),
    ));
    refuse_secrets(view.project, view.checklist, &files, built, workers)
}

/// The attempt at the bundle that was written: what the readiness check said, the plan and
/// what was built.
struct Attempt {
    report: readiness::Report,
    plan: Plan,
    built: Built,
    draft: bool,
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
        unscanned: Vec<String>,
    ) -> Done {
        let Attempt {
            report,
            plan,
            built,
            draft,
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
            unscanned,
            slots: built.slots(&upload_dir),
            upload_dir,
            template: built.template_report,
            guide_url: Some(project.profile.deployment_guide_url.clone())
                .filter(|u| !u.trim().is_empty()),
            notice: checklist.notice.as_ref().map(|(text, on)| {
                let (y, m, _) = on.ymd();
                format!("Note from AWS ({y}-{m:02}): {text}")
            }),
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

/// The refusal when a file no longer matches its fingerprint and no draft was asked for.
fn mismatch(plan: &Plan, source: &Path) -> Error {
    let shown = plan
        .planned
        .iter()
        .find(|p| p.source == source)
        .map_or_else(|| source.display().to_string(), |p| p.shown.clone());
    Error::Refused(format!(
        "evidence file {} no longer matches the fingerprint taken when it was attached, so no \
         bundle was written\n  help: check its content, then attach it again (ftr answer ID \
         --evidence {})",
        terminal(&shown),
        terminal(&crate::safe::path_word(&shown))
    ))
}

/// Everything one attempt writes besides the evidence, built from the one view.
struct Built {
    summary_md: String,
    csv: String,
    project: Vec<u8>,
    /// The upload folder's files: the spreadsheet, the diagram, the reports.
    uploads: Vec<upload::UploadFile>,
    /// The diagram and reports among them, with their records in the project.
    attached: Vec<(Evidence, upload::UploadFile)>,
    /// The diagram and reports left out, with why.
    left_out: Vec<String>,
    template_report: Option<template::TemplateReport>,
}

impl Built {
    fn new(
        view: &Submission,
        plan: &Plan,
        template: Option<&template::Template>,
        dir: &Path,
        changed: &BTreeMap<PathBuf, u64>,
    ) -> Result<Built, Error> {
        let (xlsx, template_report) = match template {
            Some(t) => {
                let filled = t.fill(view)?;
                (filled.bytes, Some(filled.report))
            }
            None => (sheet::self_assessment(view)?, None),
        };
        let mut left_out = Vec::new();
        let attached = attachments(view.project, dir, changed, &mut left_out);
        let mut uploads = vec![upload::UploadFile {
            slot: upload::slot::CHECKLIST,
            name: upload::SELF_ASSESSMENT.to_string(),
            source: upload::Source::Bytes(xlsx),
        }];
        uploads.extend(attached.iter().map(|(_, u)| u.clone()));
        let shared = submitted_project(
            view.project,
            view.checklist,
            view.library,
            &plan.entry_of,
            &attached,
        );
        Ok(Built {
            summary_md: summary::summary(view),
            csv: summary::csv(view),
            project: crate::store::to_text(&shared)?.into_bytes(),
            uploads,
            attached,
            left_out,
            template_report,
        })
    }

    /// The generated files of the bundle's top, by their names in it.
    fn generated(&self) -> [(&'static str, &[u8]); 3] {
        [
            ("SUMMARY.md", self.summary_md.as_bytes()),
            ("checklist.csv", self.csv.as_bytes()),
            ("ftr-assessment.toml", &self.project[..]),
        ]
    }

    /// The bytes of the generated files and the upload folder's files together.
    fn size(&self) -> u64 {
        let generated: usize = self.generated().iter().map(|(_, b)| b.len()).sum();
        generated as u64
            + self
                .uploads
                .iter()
                .map(upload::UploadFile::size)
                .sum::<u64>()
    }

    /// Lists in SUMMARY.md what the secret scan could not read.
    fn note_unscanned(&mut self, places: &[String]) {
        self.summary_md.push_str(&summary::not_scanned(places));
    }

    /// The generated texts, by their names in the bundle, for the secret scan.
    fn texts(&self) -> [(&str, &str); 3] {
        [
            ("SUMMARY.md", self.summary_md.as_str()),
            ("checklist.csv", self.csv.as_str()),
            (
                "ftr-assessment.toml",
                std::str::from_utf8(&self.project).unwrap_or_default(),
            ),
        ]
    }

    /// The spreadsheet as a file the scan can read like evidence (a filled template holds
    /// whatever else the user's workbook held).
    fn sheet_for_scan(&self) -> Result<tempfile::NamedTempFile, Error> {
        let io = |e| Error::Io {
            path: PathBuf::from(upload::SELF_ASSESSMENT),
            action: "write a copy to scan of",
            source: e,
        };
        let mut tmp = tempfile::NamedTempFile::new().map_err(io)?;
        for u in self
            .uploads
            .iter()
            .filter(|u| u.slot == upload::slot::CHECKLIST)
        {
            if let upload::Source::Bytes(bytes) = &u.source {
                tmp.write_all(bytes).map_err(io)?;
            }
        }
        Ok(tmp)
    }

    /// Every file the bundle takes from disk, with the path the user knows it by.
    fn files_to_scan(&self, plan: &Plan) -> Vec<(PathBuf, String)> {
        let attached = self.attached.iter().filter_map(|(ev, u)| match &u.source {
            upload::Source::File(path) => Some((path.clone(), ev.path.clone())),
            upload::Source::Bytes(_) => None,
        });
        plan.planned
            .iter()
            .map(|p| (p.source.clone(), p.shown.clone()))
            .chain(attached)
            .collect()
    }

    /// Which file of the upload folder goes into which slot.
    fn slots(&self, upload_dir: &Path) -> Vec<upload::Slot> {
        self.uploads
            .iter()
            .map(|u| upload::Slot {
                slot: u.slot.to_string(),
                path: upload_dir.join(&u.name),
            })
            .collect()
    }
}

impl<'a> Manifest<'a> {
    /// The manifest of `view`, its entries added as the bundle is written.
    fn of(view: &'a Submission, exported: Date) -> Manifest<'a> {
        Manifest {
            format: "ftr-bundle/1",
            company: &view.project.profile.company,
            product: &view.project.profile.product,
            checklist: &view.checklist.id,
            version: &view.checklist.version,
            own_ids: view.checklist.own_ids,
            exported: exported.to_string(),
            ready: view.report.ready,
            draft: view.draft,
            entries: Vec::new(),
            controls: view.cites(),
        }
    }
}

/// Refuses the export when evidence, typed text, or any generated text of the bundle looks
/// like it holds a secret. Typed text is scanned field by field to name where the secret is;
/// the generated texts are scanned whole, so no byte of user text leaves unscanned. Returns
/// what could not be scanned (an encrypted entry, a bound reached), to list after the export;
/// SUMMARY.md lists it too (before it is scanned, as it names files).
fn refuse_secrets(
    project: &crate::assessment::Project,
    checklist: &crate::content::Checklist,
    files: &[(PathBuf, String)],
    built: &mut Built,
    workers: usize,
) -> Result<Vec<String>, Error> {
    let sources: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    let results = scan_all(&sources, workers);
    let mut found = Vec::new();
    let mut unscanned = Vec::new();
    for ((source, shown), result) in files.iter().zip(results) {
        let scan = result.map_err(|e| Error::Io {
            path: source.clone(),
            action: "read the evidence file",
            source: e,
        })?;
        for h in scan.hits {
            found.push(format!(
                "  - {}, line {}: {}",
                terminal(&at_place(shown, &h.place)),
                h.line,
                h.kind
            ));
        }
        for u in scan.unscanned {
            unscanned.push(format!("{}: {}", at_place(shown, &u.place), u.why));
        }
    }
    built.note_unscanned(&unscanned);
    let typed = secrets_in_answers(project, checklist);
    let typed_found = !typed.is_empty();
    found.extend(typed);
    if !typed_found {
        // Whatever user text the per-field scan does not reach (an id, a key, a path).
        for (name, text) in built.texts() {
            for h in secrets::scan_text(text) {
                found.push(format!(
                    "  - {name} (generated), line {}: {}",
                    h.line, h.kind
                ));
            }
        }
    }
    if found.is_empty() {
        return Ok(unscanned);
    }
    Err(Error::Refused(format!(
        "evidence looks like it holds secrets that must never be sent to AWS, so no \
         bundle was written:\n{}\n  help: remove or redact them and attach the files \
         again; if you have checked and they are not secrets, pass --allow-secrets",
        found.join("\n")
    )))
}

/// Writes one attempt at the bundle to a temporary file beside the target, complete but not
/// yet in place: it keeps the lock that tells later exports it is in use until renamed.
fn write_bundle(
    opts: &Options,
    (when, workers): (i64, usize),
    plan: &Plan,
    built: &Built,
    manifest: Manifest,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Written, Error> {
    let io_err = |e: std::io::Error| Error::Io {
        path: opts.out.clone(),
        action: "write",
        source: e,
    };
    let tmp = locked_temporary(&opts.out)?;
    let file = tmp.reopen().map_err(io_err)?;
    let mut bundle = Bundle {
        zip: ZipOut::new(
            BufWriter::with_capacity(1 << 20, file),
            DosTime::from_unix(when),
            workers,
        ),
        manifest,
        done: 0,
        total: plan.planned.iter().map(|p| p.size).sum::<u64>() + built.size(),
        progress,
    };
    for (name, bytes) in built.generated() {
        let w = bundle
            .zip
            .add_bytes(name, bytes)
            .map_err(|e| zip_error(e, Path::new(name)))?;
        bundle.record(name.to_string(), w, true)?;
    }
    if let Some(source) = bundle.uploads(built)? {
        return Ok(Written::Mismatch(source));
    }
    if let Some(source) = bundle.evidence(plan)? {
        return Ok(Written::Mismatch(source));
    }
    let (file, entries) = bundle.close()?.map_err(io_err)?;
    file.sync_all().map_err(io_err)?;
    drop(file);
    let bytes = tmp.as_file().metadata().map_err(io_err)?.len();
    Ok(Written::Done {
        tmp,
        bytes,
        entries,
    })
}

/// A temporary file beside `out`, locked: the lock tells a later export it is still in use
/// until it is renamed. Bundles that killed exports left there are removed first.
fn locked_temporary(out: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let out_dir = crate::store::project_dir(out);
    remove_abandoned_exports(&out_dir);
    let io_err = |action, e| Error::Io {
        path: out.to_path_buf(),
        action,
        source: e,
    };
    let tmp = tempfile::Builder::new()
        .prefix(".ftr-export-")
        .suffix(".zip.tmp")
        .tempfile_in(&out_dir)
        .map_err(|e| io_err("create a temporary file beside", e))?;
    tmp.as_file()
        .try_lock()
        .map_err(|e| io_err("write", std::io::Error::other(e.to_string())))?;
    Ok(tmp)
}

/// The bundle being written: the zip, the manifest of what went in, and the progress.
struct Bundle<'m, 'p> {
    zip: ZipOut<BufWriter<std::fs::File>>,
    manifest: Manifest<'m>,
    done: u64,
    total: u64,
    progress: &'p mut dyn FnMut(Progress) -> bool,
}

impl Bundle<'_, '_> {
    /// Records an entry written in the manifest and, if `report`, tells the progress.
    fn record(&mut self, name: String, w: zipw::Written, report: bool) -> Result<(), Error> {
        self.done += w.size;
        self.manifest.entries.push(ManifestEntry {
            name,
            size: w.size,
            sha256: w.sha256,
        });
        let done = self.done;
        if report
            && !(self.progress)(Progress {
                done,
                total: self.total,
            })
        {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    /// Adds the upload folder's files; a diagram or report changed since it was attached
    /// stops the attempt and is returned.
    fn uploads(&mut self, built: &Built) -> Result<Option<PathBuf>, Error> {
        for u in &built.uploads {
            let entry = u.entry();
            let w = match &u.source {
                upload::Source::Bytes(bytes) => self
                    .zip
                    .add_bytes(&entry, bytes)
                    .map_err(|e| zip_error(e, Path::new(&entry)))?,
                upload::Source::File(source) => {
                    let w = add_file(&mut self.zip, &entry, source, u.size(), &mut |_| true)?;
                    let expected = built.attached.iter().find(|(_, a)| a.name == u.name);
                    if expected.is_some_and(|(ev, _)| ev.sha256 != w.sha256) {
                        return Ok(Some(source.clone()));
                    }
                    w
                }
            };
            self.record(entry, w, true)?;
        }
        Ok(None)
    }

    /// Adds the evidence files; one that no longer matches its fingerprint stops the attempt
    /// and is returned.
    fn evidence(&mut self, plan: &Plan) -> Result<Option<PathBuf>, Error> {
        for p in &plan.planned {
            let (base, total) = (self.done, self.total);
            let progress = &mut *self.progress;
            let w = add_file(&mut self.zip, &p.entry, &p.source, p.size, &mut |n| {
                progress(Progress {
                    done: base + n,
                    total,
                })
            })?;
            if w.sha256 != p.expected_sha {
                return Ok(Some(p.source.clone()));
            }
            self.record(p.entry.clone(), w, false)?;
        }
        Ok(None)
    }

    /// Adds the manifest and the central directory, and returns the file with the count of
    /// entries.
    fn close(mut self) -> Result<std::io::Result<(std::fs::File, usize)>, Error> {
        let json = serde_json::to_string_pretty(&self.manifest)
            .map_err(|e| Error::Unavailable(format!("could not write the manifest: {e}")))?
            + "\n";
        self.zip
            .add_bytes("manifest.json", json.as_bytes())
            .map_err(|e| zip_error(e, Path::new("manifest.json")))?;
        let count = self.manifest.entries.len() + 1;
        Ok((|| {
            let mut writer = self.zip.finish()?;
            writer.flush()?;
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            Ok((file, count))
        })())
    }
}

/// Adds the file at `source` (`size` bytes) as `entry`: deflated unless samples of it show it
/// would not shrink. `progress` is told the bytes read and returns false to cancel.
fn add_file<W: Write + std::io::Seek + Send>(
    zip: &mut ZipOut<W>,
    entry: &str,
    source: &Path,
    size: u64,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<zipw::Written, Error> {
    let read_err = |e: std::io::Error| Error::Io {
        path: source.to_path_buf(),
        action: "read",
        source: e,
    };
    let mut f = File::open(source).map_err(read_err)?;
    let method = if zipw::worth_deflating(&mut f, size).map_err(read_err)? {
        Method::Deflated
    } else {
        Method::Stored
    };
    zip.add(entry, &mut f, size, method, progress)
        .map_err(|e| zip_error(e, source))
}

/// A zip writer's error as the export reports it, naming what was being added.
fn zip_error(e: ZipError, what: &Path) -> Error {
    match e {
        ZipError::Cancelled => Error::Cancelled,
        ZipError::Io(e) => Error::Io {
            path: what.to_path_buf(),
            action: "add to the bundle",
            source: e,
        },
    }
}

/// The user's home folder, which the summary writes as `~`.
fn home_dir() -> Option<String> {
    directories::BaseDirs::new()
        .map(|d| d.home_dir().to_string_lossy().into_owned())
        .filter(|h| h.len() > 1)
}

/// Secrets typed into the text that goes to AWS: the profile, and for each submitted answer
/// its response, values, reason, plan, owner, and each evidence file's label and path.
fn secrets_in_answers(
    project: &crate::assessment::Project,
    checklist: &crate::content::Checklist,
) -> Vec<String> {
    let mut texts: Vec<(String, &str)> = vec![
        ("company".into(), project.profile.company.as_str()),
        ("product".into(), project.profile.product.as_str()),
        ("contact".into(), project.profile.contact_name.as_str()),
        (
            "contact e-mail".into(),
            project.profile.contact_email.as_str(),
        ),
    ];
    for ev in Slot::ALL.iter().flat_map(|s| s.files(&project.profile)) {
        texts.push(("attached file's label".into(), ev.label.as_str()));
        texts.push(("attached file's path".into(), ev.path.as_str()));
    }
    texts.push((
        "deployment guide address".into(),
        project.profile.deployment_guide_url.as_str(),
    ));
    for (c, a) in project.submitted_answers(checklist) {
        texts.push((format!("{} response", c.id), a.response.as_str()));
        for (key, value) in &a.values {
            texts.push((format!("{} value {key}", c.id), value.as_str()));
        }
        texts.push((format!("{} reason", c.id), a.reason.as_str()));
        texts.push((format!("{} plan", c.id), a.remediation.what.as_str()));
        texts.push((format!("{} plan owner", c.id), a.remediation.owner.as_str()));
        for ev in &a.evidence {
            texts.push((format!("{} evidence label", c.id), ev.label.as_str()));
            texts.push((format!("{} evidence path", c.id), ev.path.as_str()));
        }
    }
    let mut found = Vec::new();
    for (what, text) in texts {
        if text.is_empty() {
            continue;
        }
        for h in secrets::scan_text(text) {
            found.push(format!("  - {what}, line {}: {}", h.line, h.kind));
        }
    }
    found
}

/// `file`, or `file (place)` for a place inside it.
fn at_place(file: &str, place: &str) -> String {
    if place.is_empty() {
        file.to_string()
    } else {
        format!("{file} ({place})")
    }
}

/// Scans every evidence file for secrets on `workers` threads; results in input order.
fn scan_all(sources: &[&Path], workers: usize) -> Vec<std::io::Result<secrets::FileScan>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<std::io::Result<secrets::FileScan>>>> =
        std::sync::Mutex::new((0..sources.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = sources.get(i) else {
                        return;
                    };
                    let result = secrets::scan_file(path);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(std::io::Error::other("the scan did not finish"))))
        .collect()
}

/// Removes temporary bundles left by exports that were killed. A running export holds a lock
/// on its temporary file, so a file whose lock can be taken belongs to no one.
fn remove_abandoned_exports(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".ftr-export-") && name.ends_with(".zip.tmp")) {
            continue;
        }
        if let Ok(f) = File::open(e.path())
            && f.try_lock().is_ok()
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// `folder/base`, or `folder/stem-2.ext` and so on when that name is taken.
fn unique_name(folder: &str, base: &str, used: &mut std::collections::HashSet<String>) -> String {
    let (stem, ext) = match base.rfind('.') {
        Some(i) if i > 0 => (&base[..i], &base[i..]),
        _ => (base, ""),
    };
    let mut name = format!("{folder}/{base}");
    let mut n = 2;
    while !used.insert(name.to_ascii_lowercase()) {
        name = format!("{folder}/{stem}-{n}{ext}");
        n += 1;
    }
    name
}
