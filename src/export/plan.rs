//! The plan of one attempt at the bundle: each evidence file the export can vouch for, once,
//! under the folder of the first control citing it, and every other one left out with why.
//!
//! Imports `text` and `view`.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::text;
use super::view::Linked;
use crate::assessment::Evidence;
use crate::assessment::evidence::FileState;
use crate::error::{Error, Refusal};
use crate::safe::terminal;

/// One evidence file to put in the bundle.
pub(super) struct Planned {
    pub(super) source: PathBuf,
    pub(super) entry: String,
    pub(super) size: u64,
    pub(super) expected_sha: String,
    /// The stored path, for messages.
    pub(super) shown: String,
}

/// What goes into one attempt at the bundle: the files, and how each control cites them.
pub(super) struct Plan {
    pub(super) planned: Vec<Planned>,
    pub(super) linked: BTreeMap<String, Vec<Linked>>,
    pub(super) outside: Vec<String>,
    pub(super) left_out: Vec<String>,
    /// For each submitted evidence path, its entry in the bundle.
    pub(super) entry_of: BTreeMap<String, String>,
}

/// Plans the bundle: each file the export can vouch for once, under the folder of the first
/// control (in checklist order) citing it; every other file listed as left out with why.
pub(super) fn plan(
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

/// The export's view of an evidence file: present, a regular file, the recorded size. The
/// content hash is checked while the file is zipped, so each file is read once.
pub(super) fn quick_state(ev: &Evidence, dir: &Path) -> FileState {
    let path = ev.resolve(dir);
    match ev.stat(&path) {
        Err(state) => state,
        Ok(_) => match File::open(&path) {
            Ok(_) => FileState::Matches,
            Err(e) => FileState::Unreadable(e.to_string()),
        },
    }
}

/// The refusal when a file no longer matches its fingerprint and no draft was asked for.
pub(super) fn mismatch(plan: &Plan, source: &Path) -> Error {
    let shown = plan
        .planned
        .iter()
        .find(|p| p.source == source)
        .map_or_else(|| source.display().to_string(), |p| p.shown.clone());
    Error::refused(
        Refusal::Mismatch,
        format!(
            "evidence file {} no longer matches the fingerprint taken when it was attached, so \
             no bundle was written",
            terminal(&shown)
        ),
        format!(
            "check its content, then attach it again (ftr answer ID --evidence {})",
            terminal(&crate::safe::path_word(&shown))
        ),
    )
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
