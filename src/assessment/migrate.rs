//! Moving a project from one version of its checklist to another: answers to unchanged
//! controls carry over, answers to reworded ones are flagged for review, answers to removed
//! ones stay in the file but leave the submission, and new controls are asked.
//!
//! What flags an answer for review is what changes the words it was given to: the control's
//! title (AWS's own words), its question, or one of its workbook rows added or changed (its
//! question or its choices: the answer's choices may no longer fit). A row removed, a second
//! domain, an evidence expectation, a cadence, a required value or its label changed, or a move
//! to another section, is listed in the diff only: none changes what the answer says, and the
//! readiness check already asks for what they require (an evidence file, a value, a fresh date).

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
    /// Answered controls with nothing to review: title, question and workbook rows unchanged.
    pub carried: Vec<String>,
    /// Answered controls that were reworded (title or question), or had a workbook row added
    /// or changed: flagged "to review".
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
            .to_review(to)
            .into_iter()
            .filter(|id| answered(id))
            .map(str::to_string)
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
    for q in plan.diff.scoping.iter().filter(|q| q.kind == diff::CHANGED) {
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
        (
            "reworded or a workbook row changed, marked to review",
            &plan.review,
        ),
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

    /// A new title marks the answer to review as a new question does, and so does a workbook
    /// row changed or added; a row removed, a second domain, evidence or a value's label only
    /// show in the diff.
    #[test]
    fn a_new_title_or_a_changed_row_marks_the_answer_to_review() {
        use crate::content::Domain;
        use crate::content::diff::tests::row;
        let mut from = big(6, 0, "");
        for c in &mut from.controls {
            c.rows = vec![
                row(&c.id, 1, "Set?", &["Yes", "No"]),
                row(&c.id, 2, "Tested?", &["Yes", "No"]),
            ];
        }
        let mut to = from.clone();
        to.version = "next".into();
        to.controls[0].title = "Control zero, in AWS's new words".into();
        to.controls[1].rows[1].choices = vec!["Yes".into(), "Partly".into(), "No".into()];
        to.controls[2]
            .rows
            .push(row("C-2", 3, "Written?", &["Yes", "No"]));
        to.controls[3].rows.pop();
        to.controls[4].also = Some(Domain::OperationalExcellence);
        to.controls[4].evidence = !to.controls[4].evidence;
        let mut project = Project::new();
        for c in &from.controls {
            project.answer_mut(&from.id, &c.id).response = "done".into();
        }
        let p = plan(&project, &from, &to);
        assert_eq!(p.review, ["C-0", "C-1", "C-2"]);
        assert_eq!(p.carried, ["C-3", "C-4", "C-5"]);
        apply(&mut project, &p, &to, Date::new(2026, 9, 1).unwrap());
        let review = |id: &str| project.answer(&to.id, id).unwrap().review.clone();
        assert_eq!(review("C-0"), to.spec());
        assert_eq!(review("C-1"), to.spec());
        assert_eq!(review("C-4"), "");
        assert!(
            text(&p).contains(
                "reworded or a workbook row changed, marked to review (3): C-0, C-1, C-2"
            )
        );
    }
}
