//! Moving a project from one version of its checklist to another: answers to unchanged
//! controls carry over, answers to reworded ones are flagged for review, answers to removed
//! ones stay in the file but leave the submission, and new controls are asked.

use serde::{Deserialize, Serialize};

use super::Project;
use crate::content::Checklist;
use crate::content::diff::{self, Diff};
use crate::dates::Date;

/// One move, as recorded in the project (`[[migrations]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    /// The checklist moved, or [`PROJECT_FILE`] for a change of the file's own format.
    pub checklist: String,
    pub from: String,
    pub to: String,
    pub on: Date,
    /// What the move meant, where its versions do not say it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The `checklist` of a migration that changed the project file's format, not its checklist.
pub const PROJECT_FILE: &str = "project file";

/// What a move would do, for the preview.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub from: String,
    pub to: String,
    /// Answered controls whose requirement is unchanged.
    pub carried: Vec<String>,
    /// Answered controls that were reworded: flagged "to review".
    pub review: Vec<String>,
    /// Answered controls the new version lacks: kept in the file, not submitted.
    pub kept_out: Vec<String>,
    /// Controls the new version adds: to answer.
    pub new: Vec<String>,
    pub diff: Diff,
}

pub fn plan(project: &Project, from: &Checklist, to: &Checklist) -> Plan {
    let d = diff::diff(from, to);
    let answered = |id: &str| project.answer(&from.id, id).is_some_and(|a| !a.is_empty());
    let reworded = |id: &str| d.reworded.iter().any(|r| r.id == id);
    Plan {
        from: from.spec(),
        to: to.spec(),
        carried: to
            .controls
            .iter()
            .filter(|c| from.control(&c.id).is_some() && answered(&c.id) && !reworded(&c.id))
            .map(|c| c.id.clone())
            .collect(),
        review: d
            .reworded
            .iter()
            .filter(|r| answered(&r.id))
            .map(|r| r.id.clone())
            .collect(),
        kept_out: d
            .removed
            .iter()
            .filter(|r| answered(&r.id))
            .map(|r| r.id.clone())
            .collect(),
        new: d.added.iter().map(|c| c.id.clone()).collect(),
        diff: d,
    }
}

/// Moves `project` onto `to` as `plan` says, on `today`.
pub fn apply(project: &mut Project, plan: &Plan, to: &Checklist, today: Date) {
    for id in &plan.review {
        project.answer_mut(&to.id, id).review = to.spec();
    }
    // A scoping question that changed is asked again: the old answer may switch off a control
    // the new wording keeps, or the other way round.
    for q in plan.diff.scoping.iter().filter(|q| q.kind == "changed") {
        project.scoping.remove(&q.id);
    }
    project.migrations.push(Migration {
        checklist: to.id.clone(),
        from: project.delivery.version.clone(),
        to: to.version.clone(),
        on: today,
        note: String::new(),
    });
    project.delivery.version = to.version.clone();
    project.delivery.checklist = to.id.clone();
    project.layout = super::Layout::of(to);
}

/// The preview, as `ftr migrate` prints it.
pub fn text(plan: &Plan) -> String {
    use crate::safe::terminal;
    let ids = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter()
                .map(|s| terminal(s).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut out = format!(
        "Moving the project from {} to {}:\n",
        terminal(&plan.from),
        terminal(&plan.to)
    );
    for (what, list) in [
        ("carried as they are", &plan.carried),
        ("reworded, marked to review", &plan.review),
        (
            "removed, kept in the file but not submitted",
            &plan.kept_out,
        ),
        ("new, to answer", &plan.new),
    ] {
        out.push_str(&format!("  {what} ({}): {}\n", list.len(), ids(list)));
    }
    if !plan.diff.scoping.is_empty() {
        out.push_str(&format!(
            "  scoping questions changed, answers asked again where given ({}): {}\n",
            plan.diff.scoping.len(),
            plan.diff
                .scoping
                .iter()
                .map(|s| format!("{} {}", s.kind, terminal(&s.id)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}
