//! The submission bundle: one zip a partner attaches in AWS Partner Central, holding
//! SUMMARY.md, checklist.csv, every evidence file once under a folder per control,
//! the project file, and manifest.json with the size and SHA-256 of every entry.
//!
//! The export runs the readiness check first and refuses a bundle a reviewer would send back
//! (unless asked for a draft), scans the evidence for secrets, and writes to a temporary
//! file beside the target that is renamed only when complete: a failed or cancelled export
//! leaves nothing behind. With `SOURCE_DATE_EPOCH` set, the same inputs give the same bytes.

pub mod secrets;
pub mod summary;
pub mod text;
pub mod zipw;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::assessment::edit::current_checklist;
use crate::assessment::evidence::FileState;
use crate::assessment::readiness::{self, Report, Severity};
use crate::assessment::{Applicability, Evidence};
use crate::content::Library;
use crate::dates::Date;
use crate::error::Error;
use crate::store::Loaded;
use summary::{Inputs, Linked};
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
}

impl Options {
    /// Defaults for writing to `out`, with `SOURCE_DATE_EPOCH` taken from the environment.
    pub fn new(out: PathBuf) -> Options {
        Options {
            out,
            allow_incomplete: false,
            allow_secrets: false,
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|v| v.trim().parse().ok()),
            workers: 0,
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

/// The bundle may replace an earlier bundle, never the project file, an evidence file, or
/// anything else that is not a zip.
fn refuse_to_overwrite(out: &Path, loaded: &Loaded, dir: &Path) -> Result<(), Error> {
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
    if !out.exists() {
        return Ok(());
    }
    if same(out, &loaded.path) {
        return refuse("the project file".into());
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
    let mut head = [0u8; 4];
    let is_zip = std::fs::File::open(out)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == *b"PK\x03\x04";
    if !is_zip {
        return refuse("a file that is not a zip".into());
    }
    Ok(())
}

fn list_errors(report: &Report) -> String {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("  - {} {}", f.message, f.fix))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Builds the bundle for `loaded` at `opts.out`. `progress` is told the bytes written and
/// returns false to cancel.
pub fn export(
    loaded: &Loaded,
    library: &Library,
    today: Date,
    opts: &Options,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Done, Error> {
    let project = &loaded.project;
    let dir = crate::assessment::evidence::absolute(&loaded.dir())?;
    let checklist = current_checklist(project, library).ok_or_else(|| {
        Error::Refused(
            "the project has no delivery model, so there is no checklist to export\n  help: \
             choose one: ftr set model partner-hosted|customer-deployed|alternative"
                .into(),
        )
    })?;
    let when = opts
        .source_date_epoch
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp());
    // Reproducible builds date everything, staleness included, from SOURCE_DATE_EPOCH.
    let today = match opts.source_date_epoch {
        Some(s) => time::OffsetDateTime::from_unix_timestamp(s)
            .ok()
            .and_then(|t| Date::new(t.year(), u8::from(t.month()), t.day()))
            .unwrap_or(today),
        None => today,
    };

    refuse_to_overwrite(&opts.out, loaded, &dir)?;
    let report = readiness::check_with(project, library, today, &mut |ev| quick_state(ev, &dir));
    if !report.ready && !opts.allow_incomplete {
        return Err(Error::Refused(format!(
            "the readiness check found {} error(s); a reviewer would send this back, so no \
             bundle was written:\n{}\n  help: fix them (ftr check lists them too), or pass \
             --allow-incomplete to build a draft",
            report.errors,
            list_errors(&report)
        )));
    }

    // Each file once, under the folder of the first control (in checklist order) citing it.
    let mut planned: Vec<Planned> = Vec::new();
    let mut by_source: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut linked: BTreeMap<String, Vec<Linked>> = BTreeMap::new();
    let mut cites: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut outside: Vec<String> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    let mut used_names: std::collections::HashSet<String> = Default::default();
    for control in &checklist.controls {
        if matches!(
            project.applicability(checklist, control),
            Applicability::ScopedOut { .. }
        ) {
            continue;
        }
        let Some(answer) = project.answer(&checklist.id, &control.id) else {
            continue;
        };
        for ev in &answer.evidence {
            let mut link = Linked {
                entry: String::new(),
                label: ev.label.clone(),
                size: ev.size,
                produced: ev.produced,
                left_out: None,
            };
            let state = quick_state(ev, &dir);
            if state != FileState::Matches {
                let why = match state {
                    FileState::Missing => "missing".to_string(),
                    FileState::NotAFile => "not a regular file".to_string(),
                    FileState::Unreadable(e) => format!("unreadable: {e}"),
                    FileState::Changed { .. } => "changed since attached".to_string(),
                    FileState::Matches => unreachable!("filtered above"),
                };
                left_out.push(format!("{}: {} ({why})", control.id, ev.path));
                link.entry = ev.path.clone();
                link.left_out = Some(why);
                linked.entry(control.id.clone()).or_default().push(link);
                continue;
            }
            let source = ev.resolve(&dir);
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
                        outside.push(ev.path.clone());
                    }
                    planned.push(Planned {
                        source: source.clone(),
                        entry,
                        size: ev.size,
                        expected_sha: ev.sha256.clone(),
                        shown: ev.path.clone(),
                    });
                    by_source.insert(key, planned.len() - 1);
                    planned.len() - 1
                }
            };
            let entry = planned[index].entry.clone();
            link.entry = entry.clone();
            linked.entry(control.id.clone()).or_default().push(link);
            let list = cites.entry(control.id.clone()).or_default();
            if !list.contains(&entry) {
                list.push(entry);
            }
        }
    }

    // Every core, up to four: beyond that the disk is the limit, and each worker's queue
    // slots cost memory (the bound that keeps a big export under 64 MiB).
    let workers = if opts.workers == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get().min(4))
    } else {
        opts.workers
    };
    let mut unscanned: Vec<String> = Vec::new();
    if !opts.allow_secrets {
        let sources: Vec<&Path> = planned.iter().map(|p| p.source.as_path()).collect();
        let results = scan_all(&sources, workers);
        let mut found = Vec::new();
        for (p, result) in planned.iter().zip(results) {
            let scan = result.map_err(|e| Error::Io {
                path: p.source.clone(),
                action: "read the evidence file",
                source: e,
            })?;
            for h in scan.hits {
                found.push(format!(
                    "  - {}, line {}: {}",
                    at_place(&p.shown, &h.place),
                    h.line,
                    h.kind
                ));
            }
            for u in scan.unscanned {
                unscanned.push(format!("{}: {}", at_place(&p.shown, &u.place), u.why));
            }
        }
        found.extend(secrets_in_answers(project, checklist));
        if !found.is_empty() {
            return Err(Error::Refused(format!(
                "evidence looks like it holds secrets that must never be sent to AWS, so no \
                 bundle was written:\n{}\n  help: remove or redact them and attach the files \
                 again; if you have checked and they are not secrets, pass --allow-secrets",
                found.join("\n")
            )));
        }
    }

    let draft = !report.ready;
    let exported = time::OffsetDateTime::from_unix_timestamp(when)
        .ok()
        .and_then(|t| Date::new(t.year(), u8::from(t.month()), t.day()))
        .unwrap_or(today);
    let inputs = Inputs {
        project,
        checklist,
        library,
        report: &report,
        evidence: &linked,
        exported,
        draft,
        outside: &outside,
    };
    let summary_md = summary::summary(&inputs);
    let csv = summary::csv(&inputs);
    // The project file goes in so the bundle can be reopened, without the internal notes.
    let mut shared = project.clone();
    for answers in shared.answers.values_mut() {
        for a in answers.values_mut() {
            a.notes.clear();
        }
    }
    let project_bytes = crate::store::to_text(&shared)?.into_bytes();

    // Write beside the target, rename at the end.
    let out_dir = crate::store::project_dir(&opts.out);
    remove_abandoned_exports(&out_dir);
    let tmp = tempfile::Builder::new()
        .prefix(".ftr-export-")
        .suffix(".zip.tmp")
        .tempfile_in(&out_dir)
        .map_err(|e| Error::Io {
            path: opts.out.clone(),
            action: "create a temporary file beside",
            source: e,
        })?;
    let io_err = |e: std::io::Error| Error::Io {
        path: opts.out.clone(),
        action: "write",
        source: e,
    };
    // Held until the bundle is renamed: it tells a later export this file is still in use.
    tmp.as_file()
        .try_lock()
        .map_err(|e| io_err(std::io::Error::other(e.to_string())))?;
    let file = tmp.reopen().map_err(io_err)?;
    let mut zip = ZipOut::new(
        BufWriter::with_capacity(1 << 20, file),
        DosTime::from_unix(when),
        workers,
    );
    let total: u64 = planned.iter().map(|p| p.size).sum::<u64>()
        + (summary_md.len() + csv.len() + project_bytes.len()) as u64;
    let mut done = 0u64;
    let mut entries: Vec<ManifestEntry> = Vec::new();
    let zip_err = |e: ZipError, what: &Path| match e {
        ZipError::Cancelled => Error::Cancelled,
        ZipError::Io(e) => Error::Io {
            path: what.to_path_buf(),
            action: "add to the bundle",
            source: e,
        },
    };
    for (name, bytes) in [
        ("SUMMARY.md", summary_md.as_bytes()),
        ("checklist.csv", csv.as_bytes()),
        ("ftr-assessment.toml", &project_bytes[..]),
    ] {
        let w = zip
            .add_bytes(name, bytes)
            .map_err(|e| zip_err(e, Path::new(name)))?;
        entries.push(ManifestEntry {
            name: name.to_string(),
            size: w.size,
            sha256: w.sha256,
        });
        done += w.size;
        if !progress(Progress { done, total }) {
            return Err(Error::Cancelled);
        }
    }
    for p in &planned {
        let mut f = File::open(&p.source).map_err(|e| Error::Io {
            path: p.source.clone(),
            action: "read the evidence file",
            source: e,
        })?;
        let method = if zipw::worth_deflating(&mut f, p.size).map_err(|e| Error::Io {
            path: p.source.clone(),
            action: "read the evidence file",
            source: e,
        })? {
            Method::Deflated
        } else {
            Method::Stored
        };
        let base = done;
        let w = zip
            .add(&p.entry, &mut f, p.size, method, &mut |n| {
                progress(Progress {
                    done: base + n,
                    total,
                })
            })
            .map_err(|e| zip_err(e, &p.source))?;
        if w.sha256 != p.expected_sha && !draft {
            return Err(Error::Refused(format!(
                "evidence file {} no longer matches the fingerprint taken when it was attached, \
                 so no bundle was written\n  help: check its content, then attach it again \
                 (ftr answer ID --evidence {})",
                p.shown, p.shown
            )));
        }
        done = base + w.size;
        entries.push(ManifestEntry {
            name: p.entry.clone(),
            size: w.size,
            sha256: w.sha256,
        });
    }
    let manifest = Manifest {
        format: "ftr-bundle/1",
        company: &project.profile.company,
        product: &project.profile.product,
        checklist: &checklist.id,
        version: &checklist.version,
        exported: exported.to_string(),
        ready: report.ready,
        draft,
        entries,
        controls: cites,
    };
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| Error::Unavailable(format!("could not write the manifest: {e}")))?
        + "\n";
    zip.add_bytes("manifest.json", json.as_bytes())
        .map_err(|e| zip_err(e, Path::new("manifest.json")))?;
    let count = manifest.entries.len() + 1;
    let mut writer = zip.finish().map_err(io_err)?;
    writer.flush().map_err(io_err)?;
    let file = writer.into_inner().map_err(|e| io_err(e.into_error()))?;
    file.sync_all().map_err(io_err)?;
    drop(file);
    let bytes = tmp.as_file().metadata().map_err(io_err)?.len();
    tmp.persist(&opts.out).map_err(|e| io_err(e.error))?;
    Ok(Done {
        path: opts.out.clone(),
        bytes,
        entries: count,
        evidence_files: planned.len(),
        draft,
        report,
        outside,
        left_out,
        unscanned,
    })
}

/// Secrets typed into the text that goes to AWS: responses, reasons, plans, labels, profile.
fn secrets_in_answers(
    project: &crate::assessment::Project,
    checklist: &crate::content::Checklist,
) -> Vec<String> {
    let mut texts: Vec<(String, &str)> = vec![
        ("company".into(), project.profile.company.as_str()),
        ("product".into(), project.profile.product.as_str()),
        ("contact".into(), project.profile.contact_name.as_str()),
    ];
    for c in &checklist.controls {
        if let Some(a) = project.answer(&checklist.id, &c.id) {
            texts.push((format!("{} response", c.id), a.response.as_str()));
            texts.push((format!("{} reason", c.id), a.reason.as_str()));
            texts.push((format!("{} plan", c.id), a.remediation.what.as_str()));
            for ev in &a.evidence {
                texts.push((format!("{} evidence label", c.id), ev.label.as_str()));
            }
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
