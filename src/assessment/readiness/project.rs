//! The rules about the project as a whole: fields a merge left changed two ways, the dates
//! after a review, stale scans, scoping questions unanswered, the workbook's own rows, answers
//! and keys that match nothing, and the prerequisites.

use crate::assessment::deadlines::{WARN_DAYS, deadlines};
use crate::assessment::finding::{Code, Severity};
use crate::assessment::fix::{Arg, Command, Fix};
use crate::assessment::setting::Setting;
use crate::assessment::{PrereqAnswer, current_checklist, grade_check};
use crate::content::{Checklist, Prerequisite, PrerequisiteKind};

use super::collect::{Collector, Cx};

/// A field a merge found changed two ways: the file holds one value, the other waits.
pub(super) fn merge_conflicts(cx: &Cx, out: &mut Collector) {
    for c in &cx.project.conflicts {
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
            Fix::run(
                "Keep one side (the wizard shows both in full)",
                Command::Resolve { field: selector },
            ),
        );
    }
}

/// The dates that follow a review, a month ahead and once past.
pub(super) fn review_deadlines(cx: &mut Cx, _: &Checklist, out: &mut Collector) {
    for d in deadlines(&cx.project.submission) {
        let left = cx.today.days_until(d.due);
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
        let record = Command::set(Setting::Submitted, Arg::Blank("YYYY-MM-DD"));
        let fix = if d.kind == "remediation" {
            Fix::run(
                "Fix the findings, attach the new evidence and resubmit; record the new submission (its outcome is then pending)",
                record,
            )
        } else {
            Fix::say("Start the renewal on the newest checklist (")
                .naming(Command::Checklists)
                .and("; ")
                .naming(Command::migrate_to_any())
                .and(") and record the new submission")
                .then(record)
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
pub(super) fn scans_stale(cx: &mut Cx, checklist: &Checklist, out: &mut Collector) {
    let Some(days) = checklist.scan_freshness_days else {
        return;
    };
    for scan in &cx.project.scans {
        let age = scan.age_days(cx.today);
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
            Fix::run("Run the scan again and import the new file", Command::Import),
        );
    }
}

/// The checklist's scoping questions not yet answered.
pub(super) fn scoping_unanswered(cx: &mut Cx, checklist: &Checklist, out: &mut Collector) {
    for q in &checklist.scoping {
        if cx.project.scoping.contains_key(&q.id) {
            continue;
        }
        let n = q.affects().count();
        out.push(
            Severity::Warning,
            Code::ScopingUnanswered,
            None,
            format!(
                "A scoping question is unanswered: \"{}\" (it can switch off {n} control{}).",
                q.question,
                if n == 1 { "" } else { "s" }
            ),
            Fix::run(
                "Answer it",
                Command::set(
                    Setting::Scoping(q.id.clone()),
                    Arg::OneOf(vec!["yes".into(), "no".into()]),
                ),
            ),
        );
    }
}

/// What AWS's workbook would grade differently from the answers.
pub(super) fn workbook(cx: &mut Cx, checklist: &Checklist, out: &mut Collector) {
    grade_check::workbook(cx.project, checklist, &mut |f| out.push_finding(f));
}

/// Answers to controls the checklist does not have.
pub(super) fn orphan_answers(cx: &mut Cx, checklist: &Checklist, out: &mut Collector) {
    for id in cx.project.orphan_answers(checklist) {
        let fix = match checklist.control(id) {
            Some(c) => Fix::say(format!(
                "Control ids are written exactly as AWS does: rename [answers.{}.{id}] to {} in the file (the answer under {} is the one used).",
                checklist.id, c.id, c.id
            )),
            None => Fix::say(
                "It is kept in the file but not submitted; move its text to the control that replaced it.",
            ),
        };
        out.push(
            Severity::Warning,
            Code::OrphanAnswer,
            Some(id),
            format!(
                "The project holds an answer to {id}, which checklist {} {} does not have.",
                checklist.id, checklist.version
            ),
            fix,
        );
    }
}

/// Keys in the file that match nothing this build knows: probably typos, and ignored.
pub(super) fn unknown_keys(cx: &mut Cx, _: &Checklist, out: &mut Collector) {
    let (project, library) = (cx.project, cx.library);
    // The project's own version of its checklist, and the other models' checklists (a
    // switch of model keeps their answers).
    let own = current_checklist(project, library);
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
                Fix::say("Fix the name (")
                    .naming(Command::Status)
                    .and(" lists the questions) or remove it from the file."),
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
                Fix::say("Fix the name (")
                    .naming(Command::Status)
                    .and(" lists them) or remove it from the file."),
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
                Fix::say("Install the checklist that has it (")
                    .naming(Command::ChecklistsAdd)
                    .and("), or leave them be."),
            );
        }
    }
}

/// The prerequisites not answered, or answered short of what they need.
pub(super) fn prerequisites(cx: &Cx, out: &mut Collector) {
    for p in &cx.library.prerequisites {
        let answer = cx.project.prerequisites.get(&p.id).copied();
        let Some((code, message)) = prerequisite_unmet(p, answer) else {
            continue;
        };
        out.push(
            Severity::Warning,
            code,
            None,
            message,
            prerequisite_fix(p, answer),
        );
    }
}

/// What is wrong with the answer to `p`, if anything.
fn prerequisite_unmet(p: &Prerequisite, answer: Option<PrereqAnswer>) -> Option<(Code, String)> {
    let unconfirmed = if p.confirmed {
        ""
    } else {
        " (reported by partners, not confirmed in AWS text)"
    };
    let found = match (p.kind, answer) {
        (_, None) => (
            Code::PrerequisiteUnanswered,
            format!("Prerequisite not answered: {}{unconfirmed}.", p.title),
        ),
        (PrerequisiteKind::YesNo, Some(PrereqAnswer::Yes(true))) => return None,
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
                return None;
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
    Some(found)
}

/// What to do follows from what is recorded: a count short of the minimum needs more, a "no"
/// needs doing; only an unanswered one needs the question.
fn prerequisite_fix(p: &Prerequisite, answer: Option<PrereqAnswer>) -> Fix {
    let value = match p.kind {
        PrerequisiteKind::YesNo => Arg::word("yes"),
        PrerequisiteKind::Count => Arg::Blank("N"),
    };
    let how = Command::set(Setting::Prereq(p.id.clone()), value);
    match answer {
        Some(PrereqAnswer::Count(n)) if p.kind == PrerequisiteKind::Count => Fix::run(
            format!(
                "{n} recorded; {} more to reach {}. Record the new number when it grows",
                p.minimum.unwrap_or(0).saturating_sub(n),
                p.minimum.unwrap_or(0)
            ),
            how,
        ),
        Some(PrereqAnswer::Yes(false)) if p.kind == PrerequisiteKind::YesNo => {
            Fix::run("Answered no. Once it is done, record it", how)
        }
        _ => Fix::run(format!("{} Record the answer", p.question), how),
    }
}
