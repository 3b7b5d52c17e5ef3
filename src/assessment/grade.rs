//! AWS's verdict, predicted: what the formulas of AWS's self-assessment workbook will compute
//! for each control from the project's answers to the workbook rows, as the export writes them.
//!
//! A row's answer is the value its cell gets: a row that follows a scoping question takes that
//! answer, the others what the project holds for them (only a value of the row's list; anything
//! else is written as unanswered). The response cell holds [`response_cell`], the same text the
//! export writes, so the prediction and the file agree.

use serde::Serialize;

use super::{Applicability, Project, Remediation, Status, values};
use crate::content::sheet::{Term, Truth};
use crate::content::{Checklist, Control, SheetRow};

/// What the workbook's grading column says of a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
}

/// The answer row `row`'s cell gets: its scoping question's answer, else the value the
/// project holds for it, as its list spells it. `None`: unanswered, or a value not on the list.
pub fn row_value(project: &Project, checklist: &Checklist, row: &SheetRow) -> Option<String> {
    let held = held_value(project, checklist, row)?;
    row.choices
        .iter()
        .find(|c| c.eq_ignore_ascii_case(held.trim()))
        .cloned()
}

/// What the project holds for `row`, as written (a scoping answer as `Yes` or `No`).
pub fn held_value(project: &Project, checklist: &Checklist, row: &SheetRow) -> Option<String> {
    if let Some(q) = &row.scoping {
        return project
            .scoping
            .get(q)
            .map(|yes| if *yes { "Yes" } else { "No" }.to_string());
    }
    match checklist.row_owner(&row.id) {
        Some(control) => project
            .answer(&checklist.id, &control.id)?
            .rows
            .get(&row.id)
            .cloned(),
        None => project.workbook.get(&row.id).cloned(),
    }
}

/// The value of any row of the checklist by id, for a rule.
fn value_of(project: &Project, checklist: &Checklist, id: &str) -> Option<String> {
    checklist
        .row(id)
        .and_then(|row| row_value(project, checklist, row))
}

/// The text the control's own response cell gets: for a control that does not apply, "Not
/// applicable: " and the reason first; for a gap, the plan, owner and due date after the
/// response, each on its own line; else the response (opening with its required values).
pub fn response_cell(project: &Project, checklist: &Checklist, control: &Control) -> String {
    let answer = project
        .answer(&checklist.id, &control.id)
        .cloned()
        .unwrap_or_default();
    let status = project.effective_status(checklist, control);
    let scoped_out = matches!(
        project.applicability(checklist, control),
        Applicability::ScopedOut { .. }
    );
    let response = if scoped_out {
        String::new()
    } else {
        values::submitted_response(control, &answer)
    };
    let reason = if status == Status::NotApplicable {
        project.not_applicable_reason(checklist, control)
    } else {
        String::new()
    };
    partner_response(status, &reason, &response, &answer.remediation)
}

/// The response a reviewer reads, from its parts (see [`response_cell`]).
pub fn partner_response(
    status: Status,
    reason: &str,
    response: &str,
    plan: &Remediation,
) -> String {
    let response = response.trim();
    match status {
        Status::NotApplicable => {
            let reason = reason.trim();
            let mut out = if reason.is_empty() {
                "Not applicable.".to_string()
            } else {
                format!("Not applicable: {reason}")
            };
            if !response.is_empty() {
                out.push_str("\n\n");
                out.push_str(response);
            }
            out
        }
        Status::NotMet => {
            let mut lines: Vec<String> = Vec::new();
            if !response.is_empty() {
                lines.push(response.to_string());
                lines.push(String::new());
            }
            let or_none = |t: &str| {
                if t.trim().is_empty() {
                    "none".to_string()
                } else {
                    t.trim().to_string()
                }
            };
            lines.push(match plan.what.trim() {
                "" => "Remediation plan: none recorded".to_string(),
                what => format!("Remediation plan: {what}"),
            });
            lines.push(format!("Owner: {}", or_none(&plan.owner)));
            lines.push(format!(
                "Due: {}",
                plan.due
                    .map_or_else(|| "none".to_string(), |d| d.to_string())
            ));
            lines.join("\n")
        }
        Status::Met | Status::Unanswered => response.to_string(),
    }
}

/// What the workbook's formulas will grade `control`, from the answers as they stand; `None`
/// for a control without workbook rows.
pub fn verdict(project: &Project, checklist: &Checklist, control: &Control) -> Option<Verdict> {
    let rule = control.pass.as_ref()?;
    let response = !response_cell(project, checklist, control).trim().is_empty();
    // An unanswered cell holds `<select>`, which no term accepts.
    let value = |id: &str| Some(value_of(project, checklist, id).unwrap_or_default());
    Some(match rule.eval(&value, Some(response)) {
        Truth::Yes => Verdict::Pass,
        Truth::No | Truth::Open => Verdict::Fail,
    })
}

/// The status the control's rows give it, the response taken as written: met when the rule
/// holds, not met when it cannot, unanswered while it depends on rows not answered yet.
/// `None` for a control without workbook rows.
pub fn rows_status(project: &Project, checklist: &Checklist, control: &Control) -> Option<Status> {
    let rule = control.pass.as_ref()?;
    let value = |id: &str| value_of(project, checklist, id);
    Some(match rule.eval(&value, Some(true)) {
        Truth::Yes => Status::Met,
        Truth::No => Status::NotMet,
        Truth::Open => Status::Unanswered,
    })
}

/// The rows of `control` that a person answers (not those that follow a scoping question) and
/// that are still unanswered, in sheet order.
pub fn open_rows<'a>(
    project: &Project,
    checklist: &Checklist,
    control: &'a Control,
) -> Vec<&'a SheetRow> {
    control
        .rows
        .iter()
        .filter(|r| r.scoping.is_none() && row_value(project, checklist, r).is_none())
        .collect()
}

/// Why the sheet fails `control`, naming the row and the answer that would pass: "IAM-003.1
/// is No; Yes passes", "RES-001.1 is Yes, which passes only with a response". Empty when it
/// passes or has no rows.
pub fn why_fail(project: &Project, checklist: &Checklist, control: &Control) -> String {
    let Some(rule) = &control.pass else {
        return String::new();
    };
    if verdict(project, checklist, control) != Some(Verdict::Fail) {
        return String::new();
    }
    let response = !response_cell(project, checklist, control).trim().is_empty();
    // The alternative closest to passing: fewest terms failing, and among those the first
    // that a row answered here would pass (a row that follows scoping is answered there).
    let follows_scoping = |t: &Term| match t {
        Term::Is { row, .. } => checklist.row(row).is_some_and(|r| r.scoping.is_some()),
        Term::Response => false,
    };
    let failing = |alt: &crate::content::sheet::Alternative| -> (usize, usize, Vec<String>) {
        let terms: Vec<&Term> = alt
            .terms
            .iter()
            .filter(|t| term_failure(project, checklist, t, response).is_some())
            .collect();
        let scoped = terms.iter().filter(|t| follows_scoping(t)).count();
        let words = terms
            .iter()
            .filter_map(|t| term_failure(project, checklist, t, response))
            .collect();
        (terms.len(), scoped, words)
    };
    rule.alternatives
        .iter()
        .map(failing)
        .filter(|(n, ..)| *n > 0)
        .min_by_key(|(n, scoped, _)| (*n, *scoped))
        .map(|(.., words)| words.join(", "))
        .unwrap_or_default()
}

/// What keeps `term` from holding, in words; `None` when it holds.
fn term_failure(
    project: &Project,
    checklist: &Checklist,
    term: &Term,
    response: bool,
) -> Option<String> {
    match term {
        Term::Response if response => None,
        Term::Response => Some("the response is empty (this answer passes only with one)".into()),
        Term::Is { row, values } => {
            let held = value_of(project, checklist, row);
            if held
                .as_deref()
                .is_some_and(|h| values.iter().any(|v| v.eq_ignore_ascii_case(h)))
            {
                return None;
            }
            let wanted = values.join(" or ");
            Some(match held {
                None => format!("{row} is unanswered ({wanted} passes)"),
                Some(h) => format!("{row} is {h} ({wanted} passes)"),
            })
        }
    }
}

/// AWS's verdict on the whole checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prediction {
    pub pass: usize,
    pub fail: usize,
    /// Every control of the checklist with its verdict, in checklist order.
    pub controls: Vec<(String, Verdict)>,
    /// A security tool report (the CIS results) is attached.
    pub cis_report: bool,
    /// The architecture diagram is attached.
    pub diagram: bool,
}

/// The verdict on every control of `checklist`; `None` when its workbook is not known.
pub fn predict(project: &Project, checklist: &Checklist) -> Option<Prediction> {
    if !checklist.has_rows() {
        return None;
    }
    let controls: Vec<(String, Verdict)> = checklist
        .controls
        .iter()
        .filter_map(|c| Some((c.id.clone(), verdict(project, checklist, c)?)))
        .collect();
    let pass = controls.iter().filter(|(_, v)| *v == Verdict::Pass).count();
    Some(Prediction {
        pass,
        fail: controls.len() - pass,
        controls,
        cis_report: !project.profile.security_reports.is_empty(),
        diagram: project.profile.diagram.is_some(),
    })
}

impl Prediction {
    /// The controls the sheet fails, in checklist order.
    pub fn failing(&self) -> Vec<&str> {
        self.controls
            .iter()
            .filter(|(_, v)| *v == Verdict::Fail)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// Whether AWS approves on its own: every control passes and the CIS report and the
    /// diagram are attached.
    pub fn automatic(&self) -> bool {
        self.fail == 0 && self.cis_report && self.diagram
    }

    /// The verdict in words: "AWS's sheet will grade 41 pass, 3 fail (ARC-004, IAM-003,
    /// IAM-005): a solutions architect reviews it", "… 44 pass, CIS report and diagram
    /// attached: automatic approval expected". At most `shown` failing ids are named.
    pub fn words(&self, shown: usize) -> String {
        let mut out = format!("AWS's sheet will grade {} pass", self.pass);
        if self.fail > 0 {
            let failing = self.failing();
            let mut ids = failing
                .iter()
                .take(shown)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if failing.len() > shown {
                ids.push_str(&format!(", {} more", failing.len() - shown));
            }
            out.push_str(&format!(", {} fail ({ids})", self.fail));
        }
        let missing: Vec<&str> = [
            (!self.cis_report).then_some("CIS report"),
            (!self.diagram).then_some("diagram"),
        ]
        .into_iter()
        .flatten()
        .collect();
        match (self.fail, missing.is_empty()) {
            (0, true) => {
                out.push_str(", CIS report and diagram attached: automatic approval expected")
            }
            (0, false) => out.push_str(&format!(
                ", but no {} attached: a solutions architect reviews it",
                missing.join(" and no ")
            )),
            _ => out.push_str(": a solutions architect reviews it"),
        }
        out
    }
}
