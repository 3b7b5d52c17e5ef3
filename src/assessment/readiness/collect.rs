//! What the readiness rules share: what they look at ([`Cx`]), where their findings go
//! ([`Collector`]), and how a finding about a file names it and its fixes ([`Holder`]).

use std::path::Path;

use crate::assessment::evidence::FileState;
use crate::assessment::finding::{Code, Finding, Severity};
use crate::assessment::fix::{Command, Fix};
use crate::assessment::{Answer, Evidence, Project, Slot, Status};
use crate::content::{Control, Library};
use crate::dates::Date;

/// What every rule looks at: the project, the library, the project's folder (evidence paths are
/// relative to it), today, and the way evidence files are looked at.
pub(super) struct Cx<'a> {
    pub(super) project: &'a Project,
    pub(super) library: &'a Library,
    pub(super) project_dir: &'a Path,
    pub(super) today: Date,
    pub(super) look: &'a mut dyn FnMut(&Evidence) -> FileState,
}

/// The findings, in the order the rules found them.
#[derive(Default)]
pub(super) struct Collector(Vec<Finding>);

impl Collector {
    pub(super) fn push(
        &mut self,
        severity: Severity,
        code: Code,
        control: Option<&str>,
        message: String,
        fix: Fix,
    ) {
        self.0
            .push(Finding::about(severity, code, control, message, fix));
    }

    /// A finding made elsewhere (the workbook's grading), as it is.
    pub(super) fn push_finding(&mut self, finding: Finding) {
        self.0.push(finding);
    }

    /// [`Collector::push`] for a finding about a file of an upload slot.
    pub(super) fn push_slot(
        &mut self,
        severity: Severity,
        code: Code,
        slot: Slot,
        message: String,
        fix: Fix,
    ) {
        self.push(severity, code, None, message, fix);
        if let Some(f) = self.0.last_mut() {
            f.slot = Some(slot);
        }
    }

    /// [`Collector::push`] for a finding about one required value of `control`.
    pub(super) fn push_value(
        &mut self,
        severity: Severity,
        code: Code,
        control: &str,
        key: &str,
        message: String,
        fix: Fix,
    ) {
        self.push(severity, code, Some(control), message, fix);
        if let Some(last) = self.0.last_mut() {
            last.value = Some(key.to_string());
        }
    }

    /// The findings, in the order they were found.
    pub(super) fn into_findings(self) -> Vec<Finding> {
        self.0
    }

    /// The last finding, to add to.
    fn last_mut(&mut self) -> Option<&mut Finding> {
        self.0.last_mut()
    }
}

/// Whose file a finding is about, and the commands that fix it.
pub(super) struct Holder<'a> {
    pub(super) control: Option<&'a str>,
    pub(super) slot: Option<Slot>,
    /// How messages name the file: "IAM-001: evidence", "The architecture diagram".
    pub(super) what: String,
    /// The command that detaches the file.
    pub(super) detach: Command,
    /// The command that attaches it again (a new fingerprint).
    pub(super) attach: Command,
    /// The command that records when it was produced.
    pub(super) redate: Command,
    /// The file, as the project file records its path: every finding about it names it.
    pub(super) file: String,
}

impl Holder<'_> {
    pub(super) fn push(
        &self,
        out: &mut Collector,
        severity: Severity,
        code: Code,
        message: String,
        fix: Fix,
    ) {
        match self.slot {
            Some(slot) => out.push_slot(severity, code, slot, message, fix),
            None => out.push(severity, code, self.control, message, fix),
        }
        if let Some(f) = out.last_mut() {
            f.file = Some(self.file.clone());
        }
    }
}

/// How old a file may be, and what to say when it is older.
pub(super) struct Fresh {
    pub(super) days: u32,
    pub(super) code: Code,
    /// The end of the message: "the control expects a yearly review".
    pub(super) rule: String,
    pub(super) fix: Fix,
}

/// The path as messages show it.
pub(super) fn shown(ev: &Evidence) -> &str {
    if ev.path.trim().is_empty() {
        "(empty path)"
    } else {
        ev.path.as_str()
    }
}

/// "what will be done, an owner and a due date"
pub(super) fn join_words(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One control of the checklist and its answer, as the rules about a control see them.
pub(super) struct Item<'a> {
    pub(super) control: &'a Control,
    pub(super) id: &'a str,
    pub(super) answer: Option<&'a Answer>,
    /// The answer's status (unanswered without one).
    pub(super) status: Status,
}
