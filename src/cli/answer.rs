//! `ftr answer`: record the answer to one control (or a row of AWS's workbook) and print where
//! the control stands.
//!
//! Imports `args` and `output`.

use std::io::Read;
use std::path::Path;

use super::args::AnswerArgs;
use super::output::{Outcome, renewed_note};
use crate::assessment::edit::{self, AnswerChange};
use crate::assessment::{Applicability, Evidence, Project};
use crate::content::{Checklist, Control, Library};
use crate::dates::Clock;
use crate::error::Error;
use crate::safe::terminal;
use crate::store::{self, Loaded};

/// `ftr answer ID …` on the project at `project_path`.
pub(super) fn run(
    args: AnswerArgs,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    if args.label.len() > args.evidence.len() || args.produced.len() > args.evidence.len() {
        return Err(Error::usage(
            "more --label or --produced options than --evidence files",
            "each --label and --produced belongs to the --evidence given in the same position",
        ));
    }
    let response = read_response(&args)?;
    let dir = store::project_dir(project_path);
    // Fingerprint files before taking the lock: hashing large evidence can take a while.
    let mut evidence = Vec::with_capacity(args.evidence.len());
    for (i, file) in args.evidence.iter().enumerate() {
        let label = args.label.get(i).cloned().unwrap_or_default();
        let produced = args.produced.get(i).copied();
        evidence.push(Evidence::attach(file, &dir, label, produced, clock.now())?);
    }
    let change = AnswerChange {
        status: args.status,
        response,
        reason: args.reason,
        notes: args.notes,
        plan_what: args.plan,
        plan_owner: args.owner,
        plan_due: args.due.map(|d| d.0),
        add_evidence: evidence,
        remove_evidence: args.remove_evidence,
        values: args.values,
        reviewed: args.reviewed,
    };
    let target = Target {
        id: &args.id,
        choice: args.choice.as_deref(),
    };
    let summary = Loaded::update(project_path, library, |loaded| {
        target.record(loaded, library, change)
    })?;
    Ok(Outcome::ok(summary))
}

/// The response given: from --response, or read from --response-file (`-` for standard input).
fn read_response(args: &AnswerArgs) -> Result<Option<String>, Error> {
    Ok(match &args.response_file {
        Some(p) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Error::Io {
                    path: p.clone(),
                    action: "read the response from standard input",
                    source: e,
                })?;
            Some(s.trim_end().to_string())
        }
        Some(p) => Some(
            store::read_text_as(p, store::TextKind::Response)?
                .trim_end()
                .to_string(),
        ),
        None => args.response.clone(),
    })
}

/// What is answered: a control, or a row of the workbook with --choice.
struct Target<'t> {
    id: &'t str,
    choice: Option<&'t str>,
}

impl Target<'_> {
    /// Applies `change` (and the row's choice) to the loaded project; returns what to print.
    fn record(
        &self,
        loaded: &mut Loaded,
        library: &Library,
        mut change: AnswerChange,
    ) -> Result<String, Error> {
        let checklist = edit::current_checklist(&loaded.project, library).ok_or_else(|| {
            Error::blocked(
                "the project has no delivery model yet, so no checklist to answer",
                "choose one first: ftr set model partner-hosted|customer-deployed|alternative",
            )
        })?;
        let row = match (self.choice, checklist.row(self.id)) {
            (Some(_), _) => Some(edit::row_for_choice(checklist, self.id)?),
            (None, row) => row,
        };
        let control = match row {
            Some(r) => checklist.row_owner(&r.id).ok_or_else(|| {
                Error::input(
                    format!("{} is a row of the workbook itself, not of a control", r.id),
                    format!("answer it with: ftr set {} {}", r.id, r.choices.join("|")),
                )
            })?,
            None => edit::find_control(checklist, self.id)?,
        };
        let id = control.id.clone();
        let mut out = String::new();
        if let (Some(row), Some(choice)) = (row, self.choice) {
            let line = edit::answer_row(&mut loaded.project, checklist, row, choice)?;
            // The first line; the control's status follows with its rows below.
            if let Some(first) = line.lines().next() {
                out = format!("{}\n", terminal(first));
            }
        }
        let dir = loaded.dir();
        let also = prepare_evidence(&loaded.project, checklist, &id, &mut change);
        edit::apply_answer(&mut loaded.project, checklist, &id, change, &dir)?;
        out.push_str(&describe_answer(&loaded.project, checklist, &id));
        out.push_str(&also);
        out.push_str(&scoped_out_note(&loaded.project, checklist, control));
        Ok(out)
    }
}

/// Readies the evidence to attach to control `id`; returns a note for each file that other
/// places cite too (they are recorded anew as well).
fn prepare_evidence(
    project: &Project,
    checklist: &Checklist,
    id: &str,
    change: &mut AnswerChange,
) -> String {
    let mut also = String::new();
    let here = edit::Citer::Control {
        checklist: checklist.id.clone(),
        id: id.to_string(),
    };
    let mut noted: Vec<String> = Vec::new();
    for ev in change.add_evidence.iter_mut() {
        let others = edit::prepare_attachment(project, &here, Some(&checklist.id), ev);
        if !noted.contains(&ev.path) {
            also.push_str(&renewed_note(ev, &others));
            noted.push(ev.path.clone());
        }
    }
    also
}

/// A note when scoping switches the control off: the answer is kept but not submitted.
fn scoped_out_note(project: &Project, checklist: &Checklist, control: &Control) -> String {
    let Applicability::ScopedOut { reason, .. } = project.applicability(checklist, control) else {
        return String::new();
    };
    let id = &control.id;
    if control.rows.is_empty() {
        format!(
            "note: {id} is switched off by scoping ({}); the answer is kept but not submitted.\n",
            terminal(&reason)
        )
    } else {
        format!(
            "note: {id} is switched off by scoping ({}); its rows still go into AWS's sheet, the rest of the answer is kept but not submitted.\n",
            terminal(&reason)
        )
    }
}

/// "IAM-001: met, 2 evidence files", then the control's values and workbook rows.
fn describe_answer(project: &Project, checklist: &Checklist, id: &str) -> String {
    let a = project
        .answer(&checklist.id, id)
        .cloned()
        .unwrap_or_default();
    let mut out = format!("{id}: {}", a.status);
    if !a.evidence.is_empty() {
        out.push_str(&format!(
            ", {} evidence file{}",
            a.evidence.len(),
            super::output::plural(a.evidence.len())
        ));
    }
    out.push('\n');
    if let Some(control) = checklist.control(id) {
        for line in crate::assessment::values::lines(control, Some(&a)) {
            out.push_str(&format!("  {}\n", terminal(&line.text())));
        }
        out.push_str(&sheet_lines(project, checklist, control));
    }
    out
}

/// A control's workbook rows with their answers, and AWS's predicted verdict: "  HOST-001.1
/// Yes", "  AWS's sheet: fail (HOST-001.2 is No; Yes passes)". Nothing for a control without
/// rows.
fn sheet_lines(project: &Project, checklist: &Checklist, control: &Control) -> String {
    use crate::assessment::grade;
    let Some(verdict) = grade::verdict(project, checklist, control) else {
        return String::new();
    };
    let mut out = String::new();
    for row in &control.rows {
        let value =
            grade::row_value(project, checklist, row).unwrap_or_else(|| "unanswered".into());
        let from = row
            .scoping
            .as_ref()
            .map_or(String::new(), |q| format!(" (scoping {q})"));
        out.push_str(&format!("  {} {}{from}\n", row.id, terminal(&value)));
    }
    let why = grade::why_fail(project, checklist, control);
    out.push_str(&match verdict {
        grade::Verdict::Pass => "  AWS's sheet: pass\n".to_string(),
        grade::Verdict::Fail => format!("  AWS's sheet: fail: {}\n", terminal(&why)),
    });
    out
}
