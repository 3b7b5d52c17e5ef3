//! The secret scan of everything the bundle would hold: the evidence and attached files on
//! as many threads as the export deflates with, the spreadsheet, the text typed into the
//! project field by field, and the generated texts whole. A hit refuses the export.
//!
//! Imports `built`, `plan`, `secrets`, `upload` and `view`.

use std::path::{Path, PathBuf};

use super::built::Built;
use super::plan::Plan;
use super::view::Submission;
use super::{secrets, upload};
use crate::assessment::Slot;
use crate::error::{Error, Refusal};
use crate::safe::terminal;

/// Scans the evidence, the spreadsheet and the generated texts of `built` for secrets,
/// refusing the export on a hit; returns what could not be scanned.
pub(super) fn scan_for_secrets(
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
    Err(Error::refused(
        Refusal::Secrets,
        format!(
            "evidence looks like it holds secrets that must never be sent to AWS, so no \
             bundle was written:\n{}",
            found.join("\n")
        ),
        "remove or redact them and attach the files again; if you have checked and they are \
         not secrets, pass --allow-secrets",
    ))
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
