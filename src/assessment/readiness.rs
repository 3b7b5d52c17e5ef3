//! The readiness check: everything a reviewer would send back, each finding naming its control
//! and what to do. Shared by `ftr check`, the wizard's review screen and the export.

use std::path::Path;

use serde::Serialize;

use super::evidence::FileState;
use super::{Applicability, Evidence, PrereqAnswer, Project, Slot, Status};
use crate::content::{Checklist, Library, PrerequisiteKind};
use crate::dates::Date;

/// Fewer words than this in a met control's response reads as a one-liner to a reviewer.
pub const THIN_RESPONSE_WORDS: usize = 8;

pub use super::finding::{Code, Finding, Severity};

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

struct Collector(Vec<Finding>);

impl Collector {
    fn push(
        &mut self,
        severity: Severity,
        code: Code,
        control: Option<&str>,
        message: String,
        fix: impl Into<String>,
    ) {
        self.0
            .push(Finding::about(severity, code, control, message, fix));
    }

    /// [`Collector::push`] for a finding about a file of an upload slot.
    fn push_slot(
        &mut self,
        severity: Severity,
        code: Code,
        slot: Slot,
        message: String,
        fix: impl Into<String>,
    ) {
        self.push(severity, code, None, message, fix);
        if let Some(f) = self.0.last_mut() {
            f.slot = Some(slot);
        }
    }

    /// [`Collector::push`] for a finding about one required value of `control`.
    fn push_value(
        &mut self,
        severity: Severity,
        code: Code,
        control: &str,
        key: &str,
        message: String,
        fix: impl Into<String>,
    ) {
        self.push(severity, code, Some(control), message, fix);
        if let Some(last) = self.0.last_mut() {
            last.value = Some(key.to_string());
        }
    }
}

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
    let mut out = Collector(Vec::new());
    use Severity::{Error, Warning};

    merge_conflicts(project, &mut out);
    let Some(model) = project.delivery.model else {
        out.push(
            Error,
            Code::ModelMissing,
            None,
            "No delivery model is chosen, so no checklist applies yet.".into(),
            "Choose one: ftr set model partner-hosted|customer-deployed|alternative",
        );
        attachments(project, None, project_dir, today, look, &mut out);
        prerequisites(project, library, &mut out);
        return Report::new(out.0);
    };
    let checklist = super::edit::current_checklist(project, library);
    let Some(checklist) = checklist else {
        out.push(
            Error,
            Code::ChecklistMissing,
            None,
            format!("No checklist is loaded for the {model} delivery model."),
            "Load content that has one (--content DIR), or choose another model.",
        );
        attachments(project, None, project_dir, today, look, &mut out);
        return Report::new(out.0);
    };
    if !project.delivery.confirmed {
        out.push(
            Error,
            Code::ModelUnconfirmed,
            None,
            format!(
                "The delivery model ({model}) was never confirmed; the wrong checklist is the most \
                 avoidable reason a submission is sent back."
            ),
            format!("Confirm it: ftr set model {model}"),
        );
    }
    checklist_version(project, checklist, today, &mut out);
    deadlines(project, today, &mut out);
    if let Some(newer) = library.newer(checklist, today) {
        out.push(
            Warning,
            Code::ChecklistNewer,
            None,
            format!(
                "{} is installed and released; this project answers {}.",
                newer.spec(),
                checklist.spec()
            ),
            format!(
                "See what changed (ftr checklists diff {} {}), then move the answers: ftr migrate --to {}",
                checklist.spec(),
                newer.spec(),
                newer.spec()
            ),
        );
    }
    scans_stale(project, checklist, today, &mut out);
    attachments(project, Some(checklist), project_dir, today, look, &mut out);

    for q in &checklist.scoping {
        if !project.scoping.contains_key(&q.id) {
            let n = q.affects().count();
            out.push(
                Warning,
                Code::ScopingUnanswered,
                None,
                format!(
                    "A scoping question is unanswered: \"{}\" (it can switch off {n} control{}).",
                    q.question,
                    if n == 1 { "" } else { "s" }
                ),
                format!("Answer it: ftr set scoping.{} yes|no", q.id),
            );
        }
    }

    for control in &checklist.controls {
        if let Applicability::ScopedOut { .. } = project.applicability(checklist, control) {
            continue;
        }
        let id = control.id.as_str();
        let answer = project.answer(&checklist.id, id);
        let status = answer.map_or(Status::Unanswered, |a| a.status);
        match status {
            Status::Unanswered => out.push(
                Error,
                Code::Unanswered,
                Some(id),
                format!("{id} ({}) is not answered.", control.title),
                match super::grade_check::first_open_row(project, checklist, control) {
                    Some(row) => format!(
                        "Answer its rows in AWS's workbook: ftr answer {} --choice {}",
                        row.id,
                        super::grade_check::choice_words(row)
                    ),
                    None => format!("Answer it: ftr answer {id} --status met|not-met|na ..."),
                },
            ),
            Status::Met => {
                let a = answer.expect("a met control has an answer");
                if control.evidence && a.evidence.is_empty() {
                    out.push(
                        Error,
                        Code::MetWithoutEvidence,
                        Some(id),
                        format!("{id} is marked met but has no evidence attached."),
                        format!("Attach what proves it: ftr answer {id} --evidence FILE"),
                    );
                }
                let words = a.response.split_whitespace().count();
                // The required values open the response, so a met control that gives them has
                // something for the reviewer to read even before a word is typed.
                let gives_values = !super::values::lines(control, Some(a)).is_empty();
                if words == 0 && gives_values {
                    if control.evidence {
                        out.push(
                            Warning,
                            Code::ResponseThin,
                            Some(id),
                            format!(
                                "{id}'s response gives only its values; a reviewer wants to read how you meet it."
                            ),
                            format!(
                                "Say what was done and what the evidence shows: ftr answer {id} --response TEXT"
                            ),
                        );
                    }
                } else if words == 0 {
                    out.push(
                        Warning,
                        Code::ResponseEmpty,
                        Some(id),
                        format!("{id} is marked met with no response for the reviewer to read."),
                        format!("Say how you meet it: ftr answer {id} --response TEXT"),
                    );
                } else if control.evidence && words < THIN_RESPONSE_WORDS {
                    out.push(
                        Warning,
                        Code::ResponseThin,
                        Some(id),
                        format!(
                            "{id}'s response has {words} word{}; a reviewer wants to read how you meet it.",
                            if words == 1 { "" } else { "s" }
                        ),
                        format!(
                            "Write at least a couple of sentences on what you do, where, and what the evidence shows: ftr answer {id} --response TEXT"
                        ),
                    );
                }
            }
            Status::NotApplicable => {
                if answer.is_none_or(|a| a.reason.trim().is_empty()) {
                    out.push(
                        Error,
                        Code::NotApplicableWithoutReason,
                        Some(id),
                        format!("{id} is marked not applicable without a reason."),
                        format!("Say why it cannot apply: ftr answer {id} --reason TEXT"),
                    );
                }
            }
            Status::NotMet => {
                let plan = answer.map(|a| &a.remediation);
                let mut lacking = Vec::new();
                if plan.is_none_or(|p| p.what.trim().is_empty()) {
                    lacking.push("what will be done");
                }
                if plan.is_none_or(|p| p.owner.trim().is_empty()) {
                    lacking.push("an owner");
                }
                if plan.is_none_or(|p| p.due.is_none()) {
                    lacking.push("a due date");
                }
                if lacking.is_empty() {
                    let due = plan.and_then(|p| p.due).expect("checked above");
                    out.push(
                        Warning,
                        Code::GapOpen,
                        Some(id),
                        format!("{id} is a known gap, planned to close by {due}."),
                        "Close it before you submit if you can; reviewers send back open gaps.",
                    );
                } else {
                    out.push(
                        Error,
                        Code::NotMetWithoutPlan,
                        Some(id),
                        format!(
                            "{id} is not met and its remediation plan lacks {}.",
                            join_words(&lacking)
                        ),
                        format!(
                            "Plan the fix: ftr answer {id} --plan TEXT --owner NAME --due YYYY-MM-DD"
                        ),
                    );
                }
            }
        }
        values(control, status, answer, today, &mut out);
        if status == Status::Met {
            scan_fails(project, &checklist.id, id, answer, today, &mut out);
        }
        if let Some(a) = answer.filter(|a| !a.review.is_empty()) {
            out.push(
                Error,
                Code::AnswerToReview,
                Some(id),
                format!(
                    "{id} was reworded in {}; its answer was given to the earlier wording and needs a second look.",
                    a.review
                ),
                format!(
                    "Read the control again, change the answer if it no longer fits, then confirm it: ftr answer {id} --reviewed"
                ),
            );
        }
        if let Some(a) = answer {
            for ev in &a.evidence {
                let arg = crate::safe::path_word(&ev.path);
                let holder = Holder {
                    control: Some(id),
                    slot: None,
                    what: format!("{id}: evidence"),
                    detach: format!("ftr answer {id} --remove-evidence {arg}"),
                    attach: format!("ftr answer {id} --evidence {arg}"),
                    redate: "ftr answer ID --evidence FILE --produced YYYY-MM-DD".into(),
                    file: ev.path.clone(),
                };
                let fresh = control.cadence.as_ref().map(|c| Fresh {
                    days: c.days,
                    code: Code::EvidenceStale,
                    rule: c.rule(),
                    fix: "Redo it and attach the new evidence with its date (--evidence FILE --produced YYYY-MM-DD).".into(),
                });
                let state = look(ev);
                evidence(&holder, ev, &state, today, fresh, &mut out);
            }
        }
    }

    super::grade_check::workbook(project, checklist, &mut |f| out.0.push(f));

    for id in project.orphan_answers(checklist) {
        let fix = match checklist.control(id) {
            Some(c) => format!(
                "Control ids are written exactly as AWS does: rename [answers.{}.{id}] to {} in the file (the answer under {} is the one used).",
                checklist.id, c.id, c.id
            ),
            None => "It is kept in the file but not submitted; move its text to the control that replaced it."
                .to_string(),
        };
        out.push(
            Warning,
            Code::OrphanAnswer,
            Some(id),
            format!(
                "The project holds an answer to {id}, which checklist {} {} does not have.",
                checklist.id, checklist.version
            ),
            fix,
        );
    }
    unknown_keys(project, library, &mut out);

    prerequisites(project, library, &mut out);
    Report::new(out.0)
}

/// The control's required values. A met control must give each one; a value given under any
/// status must read as its kind, and a date must not lie ahead (it is the day something was
/// done) or, with the control's cadence, further back than it allows.
fn values(
    control: &crate::content::Control,
    status: Status,
    answer: Option<&super::Answer>,
    today: Date,
    out: &mut Collector,
) {
    use super::values::State;
    use Severity::{Error, Warning};
    let id = control.id.as_str();
    let arg = |word: String| crate::safe::shell_word(&word).into_owned();
    let cmd = |word: String| format!("ftr answer {} --value {}", arg(id.to_string()), arg(word));
    for spec in &control.values {
        let key = spec.key.as_str();
        match super::values::state(spec, answer) {
            State::Missing if status == Status::Met => out.push_value(
                Error,
                Code::ValueMissing,
                id,
                key,
                format!(
                    "{id} is marked met but gives no {}; a reviewer sends back a response without it.",
                    spec.label
                ),
                format!(
                    "Give it, e.g. {}: {}",
                    spec.kind.example(),
                    cmd(spec.placeholder_arg())
                ),
            ),
            State::Missing => {}
            State::Malformed { typed, why } => out.push_value(
                Error,
                Code::ValueMalformed,
                id,
                key,
                format!(
                    "{id}, {}: `{}` is not a {}; {why}.",
                    spec.label,
                    typed.trim(),
                    spec.kind
                ),
                format!(
                    "Write {}: {}",
                    spec.kind.how_to_write(),
                    cmd(spec.placeholder_arg())
                ),
            ),
            State::Given { parsed, .. } => {
                let Some(day) = parsed.date else {
                    continue;
                };
                if day > today {
                    out.push_value(
                        Error,
                        Code::ValueFuture,
                        id,
                        key,
                        format!(
                            "{id}, {}: {day} is after today ({today}).",
                            spec.label
                        ),
                        format!(
                            "Give the day it was done: {}",
                            cmd(spec.placeholder_arg())
                        ),
                    );
                } else if let Some(c) = &control.cadence {
                    let age = day.days_until(today);
                    if age > i64::from(c.days) {
                        out.push_value(
                            Warning,
                            Code::ValueStale,
                            id,
                            key,
                            format!(
                                "{id}, {}: {day} is {age} days ago; {}.",
                                spec.label,
                                c.rule()
                            ),
                            format!(
                                "Do it again and record the new date: {}",
                                cmd(spec.placeholder_arg())
                            ),
                        );
                    }
                }
            }
        }
    }
    if let Some(a) = answer {
        for key in super::values::unknown_keys(control, a) {
            let asks = if control.values.is_empty() {
                format!("{id} asks for no values")
            } else {
                format!(
                    "{id} asks for {}",
                    control
                        .values
                        .iter()
                        .map(|v| v.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push_value(
                Warning,
                Code::UnknownKey,
                id,
                key,
                format!(
                    "{id} holds a value `{key}` that it does not ask for, so it is not submitted."
                ),
                format!(
                    "Fix the key ({asks}) or remove it: {}",
                    cmd(format!("{key}="))
                ),
            );
        }
    }
}

/// How many days before a checklist's last usable day the readiness check starts warning.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;
/// How long a checklist with no known end counts as verified after its `last_verified` date:
/// about one release cycle (AWS releases every six months).
pub const VERIFIED_FOR_DAYS: i64 = 183;

fn checklist_version(project: &Project, checklist: &Checklist, today: Date, out: &mut Collector) {
    if !project.delivery.version.is_empty() && project.delivery.version != checklist.version {
        let answered = &project.delivery.version;
        // What AWS says of the version the answers were given against, when this one
        // supersedes it.
        let still = match (&checklist.supersedes, checklist.previous_accepted_until) {
            (Some(prev), Some(until)) if prev == answered => {
                if today <= until.date {
                    format!(" AWS still accepts {prev} until {until}.")
                } else {
                    format!(" AWS accepted {prev} until {until}.")
                }
            }
            _ => String::new(),
        };
        out.push(
            Severity::Warning,
            Code::ChecklistVersion,
            None,
            format!(
                "The answers were given against {} {answered}, which is not installed; the loaded checklist is {}.{still}",
                checklist.id, checklist.version
            ),
            format!(
                "Install {}@{} (ftr checklists add FILE) to compare, or review the answers against {} and then record it: ftr set model {}",
                checklist.id, project.delivery.version, checklist.version, checklist.model
            ),
        );
    }
    checklist_window(project, checklist, today, out);
}

/// A checklist used past its last usable day is an error unless the project records the
/// choice to go on with it; the last 30 days draw a warning. A checklist with no known end
/// draws a warning once its last verification is a release cycle old.
fn checklist_window(project: &Project, checklist: &Checklist, today: Date, out: &mut Collector) {
    let name = format!("Checklist {} {}", checklist.id, checklist.version);
    let Some(until) = checklist.usable_until else {
        let age = checklist.last_verified.map(|v| v.days_until(today));
        if age.is_some_and(|a| a <= VERIFIED_FOR_DAYS) {
            return;
        }
        let released = checklist
            .released
            .map_or(String::new(), |r| format!(" (released {r})"));
        let verified = match (checklist.last_verified, age) {
            (Some(v), Some(a)) => {
                format!("it was last verified as AWS's current version on {v}, {a} days ago")
            }
            _ => "it was never verified as AWS's current version".to_string(),
        };
        out.push(
            Severity::Warning,
            Code::ChecklistUnverified,
            None,
            format!(
                "{name}{released} has no known end date, and {verified}; AWS releases checklists about every six months."
            ),
            "Check Partner Central for a newer release of this checklist; if there is one, install it (ftr checklists scaffold, then ftr checklists add FILE) and move to it with ftr migrate.",
        );
        return;
    };
    let month_only = if until.approximate {
        " (AWS names only the month)"
    } else {
        ""
    };
    let left = today.days_until(until.date);
    if left < 0 {
        if project.delivery.accept_past_window == checklist.version {
            out.push(
                Severity::Warning,
                Code::ChecklistExpired,
                None,
                format!(
                    "{name} was usable until {until}{month_only}; the project records the choice to use it past that, and AWS may still send the submission back."
                ),
                "Move to the newer release as soon as it is installed (ftr checklists add FILE, then ftr migrate --to ID), then drop the choice: ftr set accept-past-window no",
            );
        } else {
            out.push(
                Severity::Error,
                Code::ChecklistExpired,
                None,
                format!(
                    "{name} was usable until {until}{month_only}; AWS no longer accepts submissions on it."
                ),
                "Install the current release (ftr checklists add FILE) and move the answers to it (ftr migrate --to ID); if AWS told you this version is still accepted, record that choice: ftr set accept-past-window yes",
            );
        }
    } else if left <= EXPIRY_NOTICE_DAYS {
        let when = match left {
            0 => "today is its last day".to_string(),
            1 => "1 day left".to_string(),
            n => format!("{n} days left"),
        };
        out.push(
            Severity::Warning,
            Code::ChecklistExpiring,
            None,
            format!(
                "{name} is usable until {until}{month_only}, {when}; a submission on it after that is sent back."
            ),
            "Submit before then, or install the newer release (ftr checklists add FILE) and move the answers to it with ftr migrate.",
        );
    }
}

/// Whose file a finding is about, and the commands that fix it.
struct Holder<'a> {
    control: Option<&'a str>,
    slot: Option<Slot>,
    /// How messages name the file: "IAM-001: evidence", "The architecture diagram".
    what: String,
    /// The command that detaches the file.
    detach: String,
    /// The command that attaches it again (a new fingerprint).
    attach: String,
    /// The command that records when it was produced.
    redate: String,
    /// The file, as the project file records its path: every finding about it names it.
    file: String,
}

impl Holder<'_> {
    fn push(
        &self,
        out: &mut Collector,
        severity: Severity,
        code: Code,
        message: String,
        fix: impl Into<String>,
    ) {
        match self.slot {
            Some(slot) => out.push_slot(severity, code, slot, message, fix),
            None => out.push(severity, code, self.control, message, fix),
        }
        if let Some(f) = out.0.last_mut() {
            f.file = Some(self.file.clone());
        }
    }
}

/// How old a file may be, and what to say when it is older.
struct Fresh {
    days: u32,
    code: Code,
    /// The end of the message: "the control expects a yearly review".
    rule: String,
    fix: String,
}

/// The path as messages show it.
fn shown(ev: &Evidence) -> &str {
    if ev.path.trim().is_empty() {
        "(empty path)"
    } else {
        ev.path.as_str()
    }
}

/// What a file's state, date, size, link and place say, for control evidence and for the
/// files of the upload slots alike.
fn evidence(
    h: &Holder,
    ev: &Evidence,
    state: &FileState,
    today: Date,
    fresh: Option<Fresh>,
    out: &mut Collector,
) {
    use Severity::{Error, Warning};
    let what = &h.what;
    let shown = shown(ev);
    match state {
        FileState::Matches => {}
        FileState::Missing => h.push(
            out,
            Error,
            Code::EvidenceMissing,
            format!("{what} file {shown} is missing."),
            format!("Put it back, or detach it: {}", h.detach),
        ),
        FileState::NotAFile => h.push(
            out,
            Error,
            Code::EvidenceNotAFile,
            format!("{what} {shown} is not a regular file."),
            format!("Attach the file itself: {}", h.detach),
        ),
        FileState::Unreadable(why) => h.push(
            out,
            Error,
            Code::EvidenceUnreadable,
            format!("{what} file {shown} cannot be read ({why})."),
            "Fix its permissions so the export can read it.",
        ),
        FileState::Changed { size } => h.push(
            out,
            Error,
            Code::EvidenceChanged,
            format!(
                "{what} file {shown} changed since it was attached ({} bytes then, {size} now).",
                ev.size
            ),
            format!(
                "Check the new content, then attach it again to record it: {}",
                h.attach
            ),
        ),
    }
    if ev.dated() > today {
        h.push(
            out,
            Warning,
            Code::EvidenceFuture,
            format!("{what} {shown} is dated {}, after today.", ev.dated()),
            format!("Check the date the evidence was produced: {}", h.redate),
        );
    }
    if let Some(f) = fresh {
        let age = ev.dated().days_until(today);
        if age > i64::from(f.days) {
            h.push(
                out,
                Warning,
                f.code,
                format!(
                    "{what} {shown} dates from {} ({age} days ago); {}.",
                    ev.dated(),
                    f.rule
                ),
                f.fix,
            );
        }
    }
    if ev.size == 0 && *state == FileState::Matches {
        h.push(
            out,
            Warning,
            Code::EvidenceEmpty,
            format!("{what} file {shown} is empty."),
            "Attach the file with the content a reviewer should see.",
        );
    }
    if let Some(target) = &ev.link_to {
        h.push(
            out,
            Warning,
            Code::EvidenceLink,
            format!(
                "{what} {shown} is a symbolic link to {target}; the bundle holds the content it points to."
            ),
            "Make sure the link points at the file you mean to send.",
        );
    }
    if ev.is_outside() {
        h.push(
            out,
            Warning,
            Code::EvidenceOutside,
            format!("{what} {shown} lies outside the project folder and would be sent as well."),
            "Make sure you mean to send this file; copy it under the project folder to keep it with the project.",
        );
    }
}

use crate::safe::path_word as file_arg;

/// The files of the upload form's other two slots: an architecture diagram (PNG or JPEG by its
/// bytes) and the security tool reports, no older than the checklist's freshness rule.
fn attachments(
    project: &Project,
    checklist: Option<&Checklist>,
    project_dir: &Path,
    today: Date,
    look: &mut dyn FnMut(&Evidence) -> FileState,
    out: &mut Collector,
) {
    use Severity::Warning;
    let holder = |slot: Slot, ev: &Evidence| {
        let key = slot.key();
        let arg = file_arg(&ev.path);
        Holder {
            control: None,
            slot: Some(slot),
            what: format!("The {}", slot.name()),
            detach: format!("ftr set {key} --clear {arg}"),
            attach: format!("ftr set {key} {arg}"),
            redate: format!("ftr set {key} {arg} --produced YYYY-MM-DD"),
            file: ev.path.clone(),
        }
    };
    match &project.profile.diagram {
        None => out.push_slot(
            Warning,
            Code::DiagramMissing,
            Slot::Diagram,
            "No architecture diagram is attached; Partner Central's form has a slot for one \
             (PNG or JPEG)."
                .into(),
            "Attach a diagram of every AWS service the product runs on and how they connect: ftr set diagram FILE",
        ),
        Some(ev) => {
            let h = holder(Slot::Diagram, ev);
            let state = look(ev);
            evidence(&h, ev, &state, today, None, out);
            if state == FileState::Matches
                && let Ok(format) = ev.format(project_dir)
                && !format.is_png_or_jpeg()
            {
                h.push(
                    out,
                    Warning,
                    Code::DiagramFormat,
                    format!(
                        "The architecture diagram {} is not a PNG or JPEG image: its first bytes are {}. The form takes .png or .jpeg.",
                        shown(ev),
                        format.describe()
                    ),
                    "Export the diagram as PNG or JPEG and attach that: ftr set diagram FILE",
                );
            }
        }
    }
    if project.profile.security_reports.is_empty() {
        out.push_slot(
            Warning,
            Code::SecurityReportMissing,
            Slot::SecurityReport,
            "No security tool report is attached; the form asks for the CIS AWS Foundations \
             Benchmark results from Security Hub, one per production account and Region."
                .into(),
            "Download them as CSV (Security Hub console, Security standards, CIS, View results, Download) and attach each: ftr set security-report FILE",
        );
    }
    let fresh_days = checklist.and_then(|c| c.scan_freshness_days);
    for ev in &project.profile.security_reports {
        let h = holder(Slot::SecurityReport, ev);
        let fresh = fresh_days.map(|days| Fresh {
            days,
            code: Code::SecurityReportStale,
            rule: format!("scan results count as fresh for {days} days"),
            fix: format!(
                "Run the scan again, download the results over this file and record their date: ftr set security-report {} --produced YYYY-MM-DD",
                file_arg(&ev.path)
            ),
        });
        let state = look(ev);
        evidence(&h, ev, &state, today, fresh, out);
    }
    for slot in [Slot::DeploymentGuide, Slot::AlternativeReport] {
        for ev in slot.files(&project.profile) {
            let state = look(ev);
            evidence(&holder(slot, ev), ev, &state, today, None, out);
        }
    }
    other_slots_missing(project, out);
}

/// The form's slots a delivery model asks for: the deployment guide of a customer-deployed
/// product, the report of the alternative path.
fn other_slots_missing(project: &Project, out: &mut Collector) {
    use crate::content::Model;
    let p = &project.profile;
    match project.delivery.model {
        Some(Model::CustomerDeployed)
            if p.deployment_guide.is_none() && p.deployment_guide_url.trim().is_empty() =>
        {
            out.push_slot(
                Severity::Warning,
                Code::DeploymentGuideMissing,
                Slot::DeploymentGuide,
                "No customer deployment guide is given; Partner Central's form has a slot for it \
                 (a file, or the public address it is published at)."
                    .into(),
                "Attach it or give its address: ftr set deployment-guide FILE|URL",
            );
        }
        Some(Model::Alternative) if p.alternative_report.is_none() => out.push_slot(
            Severity::Warning,
            Code::AlternativeReportMissing,
            Slot::AlternativeReport,
            "No SOC 2 Type II report is attached; the form's Alternative Artifacts/Reports slot \
             takes the report the alternative path rests on."
                .into(),
            "Attach it: ftr set alternative-report FILE",
        ),
        _ => {}
    }
}

/// A control marked met while a scan fails it: a reviewer who runs the same scan sends it
/// back, unless the response explains the exception.
fn scan_fails(
    project: &Project,
    checklist: &str,
    id: &str,
    answer: Option<&super::Answer>,
    today: Date,
    out: &mut Collector,
) {
    let response = answer.map_or("", |a| a.response.as_str());
    for hint in project.hints(checklist, id) {
        if hint.result.failed == 0 || super::scan::explains_exception(response, hint.result) {
            continue;
        }
        out.push(
            Severity::Error,
            Code::ScanFails,
            Some(id),
            format!(
                "{id} is marked met, but the latest {} scan fails it ({}); a reviewer who runs the same scan sends it back.",
                hint.scan.source.tool(),
                hint.line(today)
            ),
            format!(
                "Fix the failing resources and scan again, or say in the response why each one is an exception (name it): ftr answer {id} --response TEXT"
            ),
        );
    }
}

/// The dates that follow a review, a month ahead and once past.
fn deadlines(project: &Project, today: Date, out: &mut Collector) {
    use super::deadlines::{WARN_DAYS, deadlines};
    for d in deadlines(&project.submission) {
        let left = today.days_until(d.due);
        if left > WARN_DAYS {
            continue;
        }
        let code = if d.kind == "remediation" {
            Code::RemediationDue
        } else {
            Code::RenewalDue
        };
        let (severity, when) = if left < 0 {
            (
                Severity::Error,
                format!("was due {} ({} days ago)", d.due, -left),
            )
        } else {
            (
                Severity::Warning,
                format!("is due {} (in {left} days)", d.due),
            )
        };
        let fix = if d.kind == "remediation" {
            "Fix the findings, attach the new evidence and resubmit; record the new submission (its outcome is then pending): ftr set submitted YYYY-MM-DD"
        } else {
            "Start the renewal on the newest checklist (ftr checklists; ftr migrate --to ID) and record the new submission: ftr set submitted YYYY-MM-DD"
        };
        out.push(
            severity,
            code,
            None,
            format!("The {} {when}: {}.", d.kind, d.what),
            fix,
        );
    }
}

/// Scans older than the checklist's freshness rule.
fn scans_stale(project: &Project, checklist: &Checklist, today: Date, out: &mut Collector) {
    let Some(days) = checklist.scan_freshness_days else {
        return;
    };
    for scan in &project.scans {
        let age = scan.age_days(today);
        if age <= i64::from(days) {
            continue;
        }
        out.push(
            Severity::Warning,
            Code::ScanStale,
            None,
            format!(
                "The {} scan {} is {age} days old (from {}); scan results count as fresh for {days} days, so its hints may no longer hold.",
                scan.source.tool(),
                scan.file,
                scan.scanned.date()
            ),
            "Run the scan again and import the new file: ftr import NEW_FILE".to_string(),
        );
    }
}

fn prerequisites(project: &Project, library: &Library, out: &mut Collector) {
    for p in &library.prerequisites {
        let answer = project.prerequisites.get(&p.id).copied();
        let unconfirmed = if p.confirmed {
            ""
        } else {
            " (reported by partners, not confirmed in AWS text)"
        };
        let (code, message) = match (p.kind, answer) {
            (_, None) => (
                Code::PrerequisiteUnanswered,
                format!("Prerequisite not answered: {}{unconfirmed}.", p.title),
            ),
            (PrerequisiteKind::YesNo, Some(PrereqAnswer::Yes(true))) => continue,
            (PrerequisiteKind::YesNo, Some(PrereqAnswer::Count(n))) => (
                Code::PrerequisiteUnmet,
                format!("{}: answered {n}, but yes or no is needed.", p.title),
            ),
            (PrerequisiteKind::YesNo, Some(_)) => (
                Code::PrerequisiteUnmet,
                format!("Prerequisite not met: {}{unconfirmed}.", p.title),
            ),
            (PrerequisiteKind::Count, Some(PrereqAnswer::Count(n))) => {
                let min = p.minimum.unwrap_or(0);
                if n >= min {
                    continue;
                }
                (
                    Code::PrerequisiteUnmet,
                    format!("{}: {n} of the {min} expected{unconfirmed}.", p.title),
                )
            }
            (PrerequisiteKind::Count, Some(_)) => (
                Code::PrerequisiteUnmet,
                format!("{}: answered yes/no, but a count is needed.", p.title),
            ),
        };
        let how = match p.kind {
            PrerequisiteKind::YesNo => format!("ftr set prereq.{} yes", p.id),
            PrerequisiteKind::Count => format!("ftr set prereq.{} N", p.id),
        };
        // What to do follows from what is recorded: a count short of the minimum needs more,
        // a "no" needs doing; only an unanswered one needs the question.
        let fix = match answer {
            Some(PrereqAnswer::Count(n)) if p.kind == PrerequisiteKind::Count => format!(
                "{n} recorded; {} more to reach {}. Record the new number when it grows: {how}",
                p.minimum.unwrap_or(0).saturating_sub(n),
                p.minimum.unwrap_or(0)
            ),
            Some(PrereqAnswer::Yes(false)) if p.kind == PrerequisiteKind::YesNo => {
                format!("Answered no. Once it is done, record it: {how}")
            }
            _ => format!("{} Record the answer: {how}", p.question),
        };
        out.push(Severity::Warning, code, None, message, fix);
    }
}

/// Keys in the file that match nothing this build knows: probably typos, and ignored.
fn unknown_keys(project: &Project, library: &Library, out: &mut Collector) {
    // The project's own version of its checklist, and the other models' checklists (a
    // switch of model keeps their answers).
    let own = super::edit::current_checklist(project, library);
    let asked = |key: &str| {
        own.is_some_and(|c| c.scoping_question(key).is_some())
            || library
                .checklists
                .iter()
                .filter(|c| own.is_none_or(|o| o.id != c.id))
                .any(|c| c.scoping_question(key).is_some())
    };
    for key in project.scoping.keys() {
        if !asked(key) {
            out.push(
                Severity::Warning,
                Code::UnknownKey,
                None,
                format!("Scoping answer `{key}` matches no scoping question, so it is ignored."),
                "Fix the name (ftr status lists the questions) or remove it from the file.",
            );
        }
    }
    for key in project.prerequisites.keys() {
        if library.prerequisite(key).is_none() {
            out.push(
                Severity::Warning,
                Code::UnknownKey,
                None,
                format!("Prerequisite answer `{key}` matches no prerequisite, so it is ignored."),
                "Fix the name (ftr status lists them) or remove it from the file.",
            );
        }
    }
    for id in project.answers.keys() {
        if library.checklist(id).is_none() {
            out.push(
                Severity::Warning,
                Code::UnknownKey,
                None,
                format!(
                    "The file holds answers for checklist `{id}`, which this ftr does not know; they are kept but not used."
                ),
                "Install the checklist that has it (ftr checklists add FILE), or leave them be.",
            );
        }
    }
}

fn join_words(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A field a merge found changed two ways: the file holds one value, the other waits.
fn merge_conflicts(project: &Project, out: &mut Collector) {
    for c in &project.conflicts {
        let name = crate::merge::short_name(&c.at);
        let control = crate::merge::control_of(&c.at).map(|(_, id)| id);
        let selector = control.map_or_else(|| crate::merge::display_path(&c.at), str::to_string);
        out.push(
            Severity::Error,
            Code::MergeConflict,
            control,
            format!(
                "{name} was changed two ways in a merge: ours \"{}\", theirs \"{}\"; the file holds ours until you choose.",
                crate::merge::value_brief(c.ours.as_ref(), 80),
                crate::merge::value_brief(c.theirs.as_ref(), 80)
            ),
            format!(
                "Keep one side (the wizard shows both in full): ftr resolve {} --take ours|theirs",
                crate::safe::shell_word(&selector)
            ),
        );
    }
}
