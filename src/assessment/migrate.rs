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
    // Lookups in sets, not scans of lists: a plan is linear in the number of controls.
    let carried: Vec<String> = d
        .unchanged(to, from)
        .into_iter()
        .filter(|id| answered(id))
        .map(str::to_string)
        .collect();
    Plan {
        from: from.spec(),
        to: to.spec(),
        carried,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::diff::tests::big;

    /// 100,000 controls, all answered: a plan that scanned the lists for every control would
    /// make some 10^10 comparisons (minutes); with lookups by id it takes a second or so.
    #[test]
    fn a_plan_is_linear_in_the_controls() {
        let n = 100_000;
        let from = big(n, 0, "");
        let mut to = big(n, 5, "");
        to.version = "next".into();
        to.controls[0].question.push_str(" reworded");
        to.controls[0].fingerprint =
            crate::content::requirement_fingerprint(&to.controls[0].question);
        let mut project = Project::new();
        for c in &from.controls {
            project.answer_mut(&from.id, &c.id).response = "done".into();
        }
        let p = plan(&project, &from, &to);
        assert_eq!(p.carried.len(), n - 6);
        assert_eq!(p.carried[0], "C-6");
        assert_eq!(p.review, ["C-5"]);
        assert_eq!(p.kept_out.len(), 5);
        assert_eq!(p.new.len(), 5);
        apply(&mut project, &p, &to, Date::new(2026, 9, 1).unwrap());
        assert_eq!(project.delivery.version, "next");
        assert_eq!(project.answer(&to.id, "C-5").unwrap().review, to.spec());
    }
}
