//! The rules about each control that applies: its status and what the status needs (evidence
//! and a response when met, a reason when not applicable, a plan when not met), its required
//! values, the scans that fail it, a second look after a rewording, and its evidence files.

use crate::assessment::finding::{Code, Severity};
use crate::assessment::fix::{Arg, Command, Fix, Give};
use crate::assessment::{Applicability, Status, grade_check, scan};
use crate::content::Checklist;

use super::collect::{Collector, Cx, Item, join_words};
use super::{files, values};

/// Fewer words than this in a met control's response reads as a one-liner to a reviewer.
pub const THIN_RESPONSE_WORDS: usize = 8;

/// A rule about one control.
type ControlRule = fn(&mut Cx, &Checklist, &Item, &mut Collector);

/// The rules about a control, in the order their findings are listed for it.
const CONTROL_RULES: [ControlRule; 10] = [
    unanswered,
    met_without_evidence,
    met_response,
    not_applicable_without_reason,
    not_met_plan,
    values::given,
    values::unknown,
    scan_fails,
    answer_to_review,
    files::control_evidence,
];

/// Runs the rules about a control on each control of the checklist that is not scoped out.
pub(super) fn each_control(cx: &mut Cx, checklist: &Checklist, out: &mut Collector) {
    let project = cx.project;
    for control in &checklist.controls {
        if let Applicability::ScopedOut { .. } = project.applicability(checklist, control) {
            continue;
        }
        let id = control.id.as_str();
        let answer = project.answer(&checklist.id, id);
        let item = Item {
            control,
            id,
            answer,
            status: answer.map_or(Status::Unanswered, |a| a.status),
        };
        for rule in CONTROL_RULES {
            rule(cx, checklist, &item, out);
        }
    }
}

/// A control not answered: answered in its workbook rows when it has them, else by status.
fn unanswered(cx: &mut Cx, checklist: &Checklist, item: &Item, out: &mut Collector) {
    if item.status != Status::Unanswered {
        return;
    }
    let id = item.id;
    let fix = match grade_check::first_open_row(cx.project, checklist, item.control) {
        Some(row) => Fix::run(
            "Answer its rows in AWS's workbook",
            Command::answer(&row.id, Give::Choice(grade_check::choices(row))),
        ),
        None => Fix::run("Answer it", Command::answer(id, Give::Status)),
    };
    out.push(
        Severity::Error,
        Code::Unanswered,
        Some(id),
        format!("{id} ({}) is not answered.", item.control.title),
        fix,
    );
}

/// A met control that asks for evidence and has none attached.
fn met_without_evidence(_: &mut Cx, _: &Checklist, item: &Item, out: &mut Collector) {
    let Some(a) = item.answer.filter(|_| item.status == Status::Met) else {
        return;
    };
    if item.control.evidence && a.evidence.is_empty() {
        let id = item.id;
        out.push(
            Severity::Error,
            Code::MetWithoutEvidence,
            Some(id),
            format!("{id} is marked met but has no evidence attached."),
            Fix::run(
                "Attach what proves it",
                Command::answer(
                    id,
                    Give::Evidence {
                        file: Arg::Blank("FILE"),
                        produced: false,
                    },
                ),
            ),
        );
    }
}

/// A met control's response: empty, only its values, or too thin to read as an answer.
fn met_response(_: &mut Cx, _: &Checklist, item: &Item, out: &mut Collector) {
    let Some(a) = item.answer.filter(|_| item.status == Status::Met) else {
        return;
    };
    let (id, control) = (item.id, item.control);
    let words = a.response.split_whitespace().count();
    // The required values open the response, so a met control that gives them has
    // something for the reviewer to read even before a word is typed.
    let gives_values = !crate::assessment::values::lines(control, Some(a)).is_empty();
    if words == 0 && gives_values {
        if control.evidence {
            out.push(
                Severity::Warning,
                Code::ResponseThin,
                Some(id),
                format!(
                    "{id}'s response gives only its values; a reviewer wants to read how you meet it."
                ),
                Fix::run(
                    "Say what was done and what the evidence shows",
                    Command::answer(id, Give::Response),
                ),
            );
        }
    } else if words == 0 {
        out.push(
            Severity::Warning,
            Code::ResponseEmpty,
            Some(id),
            format!("{id} is marked met with no response for the reviewer to read."),
            Fix::run("Say how you meet it", Command::answer(id, Give::Response)),
        );
    } else if control.evidence && words < THIN_RESPONSE_WORDS {
        out.push(
            Severity::Warning,
            Code::ResponseThin,
            Some(id),
            format!(
                "{id}'s response has {words} word{}; a reviewer wants to read how you meet it.",
                if words == 1 { "" } else { "s" }
            ),
            Fix::run(
                "Write at least a couple of sentences on what you do, where, and what the evidence shows",
                Command::answer(id, Give::Response),
            ),
        );
    }
}

/// A control marked not applicable without a reason.
fn not_applicable_without_reason(_: &mut Cx, _: &Checklist, item: &Item, out: &mut Collector) {
    if item.status != Status::NotApplicable
        || !item.answer.is_none_or(|a| a.reason.trim().is_empty())
    {
        return;
    }
    let id = item.id;
    out.push(
        Severity::Error,
        Code::NotApplicableWithoutReason,
        Some(id),
        format!("{id} is marked not applicable without a reason."),
        Fix::run("Say why it cannot apply", Command::answer(id, Give::Reason)),
    );
}

/// A control not met: an error while its plan lacks what, who or when; a warning for the open
/// gap once it has them.
fn not_met_plan(_: &mut Cx, _: &Checklist, item: &Item, out: &mut Collector) {
    if item.status != Status::NotMet {
        return;
    }
    let id = item.id;
    let plan = item.answer.map(|a| &a.remediation);
    let mut lacking = Vec::new();
    if plan.is_none_or(|p| p.what.trim().is_empty()) {
        lacking.push("what will be done");
    }
    if plan.is_none_or(|p| p.owner.trim().is_empty()) {
        lacking.push("an owner");
    }
    let due = plan.and_then(|p| p.due);
    if due.is_none() {
        lacking.push("a due date");
    }
    match due {
        Some(due) if lacking.is_empty() => out.push(
            Severity::Warning,
            Code::GapOpen,
            Some(id),
            format!("{id} is a known gap, planned to close by {due}."),
            Fix::say("Close it before you submit if you can; reviewers send back open gaps."),
        ),
        _ => out.push(
            Severity::Error,
            Code::NotMetWithoutPlan,
            Some(id),
            format!(
                "{id} is not met and its remediation plan lacks {}.",
                join_words(&lacking)
            ),
            Fix::run("Plan the fix", Command::answer(id, Give::Plan)),
        ),
    }
}

/// A control marked met while a scan fails it: a reviewer who runs the same scan sends it
/// back, unless the response explains the exception.
fn scan_fails(cx: &mut Cx, checklist: &Checklist, item: &Item, out: &mut Collector) {
    if item.status != Status::Met {
        return;
    }
    let id = item.id;
    let response = item.answer.map_or("", |a| a.response.as_str());
    for hint in cx.project.hints(&checklist.id, id) {
        if hint.result.failed == 0 || scan::explains_exception(response, hint.result) {
            continue;
        }
        out.push(
            Severity::Error,
            Code::ScanFails,
            Some(id),
            format!(
                "{id} is marked met, but the latest {} scan fails it ({}); a reviewer who runs the same scan sends it back.",
                hint.scan.source.tool(),
                hint.line(cx.today)
            ),
            Fix::run(
                "Fix the failing resources and scan again, or say in the response why each one is an exception (name it)",
                Command::answer(id, Give::Response),
            ),
        );
    }
}

/// An answer given before a migration brought a new wording or new workbook rows.
fn answer_to_review(_: &mut Cx, _: &Checklist, item: &Item, out: &mut Collector) {
    let Some(a) = item.answer.filter(|a| !a.review.is_empty()) else {
        return;
    };
    let id = item.id;
    out.push(
        Severity::Error,
        Code::AnswerToReview,
        Some(id),
        format!(
            "{id} changed in {} (its wording, or its rows in AWS's workbook); its answer was given before and needs a second look.",
            a.review
        ),
        Fix::run(
            "Read the control again, change the answer if it no longer fits, then confirm it",
            Command::answer(id, Give::Reviewed),
        ),
    );
}
