//! The readiness check: everything a reviewer would send back, each finding naming its control
//! and what to do. Shared by `ftr check`, the wizard's review screen and the export.
//!
//! Each rule is one function; [`check_with`] runs them in the order of [`RULES`], and the rules
//! about a control run for each control in turn (`controls.rs`). Within a severity the findings
//! keep that order. The rules share what they look at and where findings go (`collect.rs`).

mod checklist;
mod collect;
mod controls;
mod files;
mod project;
mod values;

use std::path::Path;

use serde::Serialize;

use super::evidence::FileState;
use super::{Evidence, Project, current_checklist};
use crate::content::{Checklist, Library};
use crate::dates::Date;
use collect::{Collector, Cx};

pub use super::finding::{Code, Finding, Severity};
pub use super::window::EXPIRY_NOTICE_DAYS;
pub use checklist::VERIFIED_FOR_DAYS;
pub use controls::THIN_RESPONSE_WORDS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub ready: bool,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    fn new(mut findings: Vec<Finding>) -> Report {
        // Stable: within a severity, findings keep checklist order.
        findings.sort_by_key(|f| f.severity);
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Report {
            ready: errors == 0,
            errors,
            warnings: findings.len() - errors,
            findings,
        }
    }
}

/// A rule about a project whose checklist is loaded.
type Rule = fn(&mut Cx, &Checklist, &mut Collector);

/// The rules about a project whose checklist is loaded, in the order their findings are
/// listed (after the fields a merge left changed two ways).
const RULES: [Rule; 12] = [
    checklist::model_unconfirmed,
    checklist::version,
    project::review_deadlines,
    checklist::newer,
    project::scans_stale,
    |cx, checklist, out| files::slot_files(cx, Some(checklist), out),
    project::scoping_unanswered,
    controls::each_control,
    project::workbook,
    project::orphan_answers,
    project::unknown_keys,
    |cx, _, out| project::prerequisites(cx, out),
];

/// Runs every readiness check. `project_dir` is the folder of the project file (evidence
/// paths are relative to it); `today` decides staleness and expiry.
pub fn check(project: &Project, library: &Library, project_dir: &Path, today: Date) -> Report {
    check_with(project, library, project_dir, today, &mut |ev| {
        ev.check(project_dir)
    })
}

/// [`check`] with the evidence files looked at by `look` (the wizard passes one that caches
/// fingerprints by size and modification time, so a check after each keystroke stays cheap).
/// `project_dir` is where the diagram's first bytes are read, once `look` found it intact.
pub fn check_with(
    project: &Project,
    library: &Library,
    project_dir: &Path,
    today: Date,
    look: &mut dyn FnMut(&Evidence) -> FileState,
) -> Report {
    let mut out = Collector::default();
    let mut cx = Cx {
        project,
        library,
        project_dir,
        today,
        look,
    };
    project::merge_conflicts(&cx, &mut out);
    // Without a model, or without a checklist for it, only the files and (with no model) the
    // prerequisites can be checked.
    let Some(model) = project.delivery.model else {
        checklist::model_missing(&mut out);
        files::slot_files(&mut cx, None, &mut out);
        project::prerequisites(&cx, &mut out);
        return Report::new(out.into_findings());
    };
    let Some(checklist) = current_checklist(project, library) else {
        checklist::checklist_missing(model, &mut out);
        files::slot_files(&mut cx, None, &mut out);
        return Report::new(out.into_findings());
    };
    if super::missing_version(project, library).is_some() {
        // Answers checked against another version would mislead: only what holds whatever
        // the version.
        checklist::version(&mut cx, checklist, &mut out);
        files::slot_files(&mut cx, None, &mut out);
        project::prerequisites(&cx, &mut out);
        return Report::new(out.into_findings());
    }
    for rule in RULES {
        rule(&mut cx, checklist, &mut out);
    }
    Report::new(out.into_findings())
}
