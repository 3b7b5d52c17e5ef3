//! The readiness findings about AWS's workbook: rows still to answer, a control marked met that
//! the sheet will fail, a control switched off by scoping that the sheet has no way to let off,
//! a value not on a row's list, and the workbook's own questions.

use super::finding::{Code, Finding, Severity};
use super::fix::{Arg, Command, Fix, Give};
use super::grade::{self, Verdict};
use super::setting::Setting;
use super::{Applicability, Project, Status};
use crate::content::{Checklist, Control, SheetRow};

/// The row of `control` a person answers next: the first unanswered one that is not answered
/// by a scoping question.
pub fn first_open_row<'a>(
    project: &Project,
    checklist: &Checklist,
    control: &'a Control,
) -> Option<&'a SheetRow> {
    grade::open_rows(project, checklist, control)
        .into_iter()
        .next()
}

/// The choices of a row as a command line takes them: `yes|no`, `static|temporary|n/a`.
pub fn choices(row: &SheetRow) -> Arg {
    Arg::OneOf(
        row.choices
            .iter()
            .map(|c| c.to_ascii_lowercase().replace("cis ", ""))
            .collect(),
    )
}

/// `ftr answer ROW --choice CHOICE`.
fn choose(row: &str, choice: Arg) -> Command {
    Command::answer(row, Give::Choice(choice))
}

/// The answer to `row` that its control's rule passes on, where one term names it alone.
fn passing_choice(control: &Control, row: &SheetRow) -> Option<String> {
    use crate::content::sheet::Term;
    control.pass.as_ref()?.alternatives.iter().find_map(|alt| {
        alt.terms.iter().find_map(|t| match t {
            Term::Is { row: r, values } if r == &row.id => values.first().cloned(),
            _ => None,
        })
    })
}

/// Every finding about the workbook of `checklist`, given to `push` in checklist order.
pub fn workbook(project: &Project, checklist: &Checklist, push: &mut dyn FnMut(Finding)) {
    for row in checklist.sheet_rows.iter().filter(|r| r.scoping.is_none()) {
        sheet_question(project, checklist, row, push);
    }
    for control in checklist.controls.iter().filter(|c| c.pass.is_some()) {
        invalid_values(project, checklist, control, push);
        let scoped_out = matches!(
            project.applicability(checklist, control),
            Applicability::ScopedOut { .. }
        );
        if scoped_out {
            no_not_applicable(project, checklist, control, push);
        } else {
            rows_against_status(project, checklist, control, push);
        }
    }
}

/// A workbook question of the checklist's own, unanswered (or not on its list).
fn sheet_question(
    project: &Project,
    checklist: &Checklist,
    row: &SheetRow,
    push: &mut dyn FnMut(Finding),
) {
    if grade::row_value(project, checklist, row).is_some() {
        return;
    }
    let held = grade::held_value(project, checklist, row);
    let state = match held {
        Some(v) => format!(
            "holds `{}`, which is not on its list ({})",
            crate::safe::terminal(&v),
            row.choices.join(", ")
        ),
        None => "is unanswered".to_string(),
    };
    push(Finding::about(
        Severity::Warning,
        Code::WorkbookQuestion,
        None,
        format!(
            "AWS's workbook asks \"{}\" ({}); it {state}.",
            row.question, row.id
        ),
        Fix::run(
            "Answer it",
            Command::set(Setting::Row(row.id.clone()), choices(row)),
        ),
    ));
}

/// Rows holding a value their list lacks: the export writes them as unanswered.
fn invalid_values(
    project: &Project,
    checklist: &Checklist,
    control: &Control,
    push: &mut dyn FnMut(Finding),
) {
    for row in control.rows.iter().filter(|r| r.scoping.is_none()) {
        let Some(held) = grade::held_value(project, checklist, row) else {
            continue;
        };
        if grade::row_value(project, checklist, row).is_none() {
            push(Finding::about(
                Severity::Error,
                Code::RowValueInvalid,
                Some(&control.id),
                format!(
                    "{} holds `{}`, which is not on its list ({}); the sheet would get no answer there.",
                    row.id,
                    crate::safe::terminal(&held),
                    row.choices.join(", ")
                ),
                Fix::run("Choose from the list", choose(&row.id, choices(row))),
            ));
        }
    }
}

/// A control that applies: answered with a status while its rows are open, or marked met while
/// the sheet fails it.
fn rows_against_status(
    project: &Project,
    checklist: &Checklist,
    control: &Control,
    push: &mut dyn FnMut(Finding),
) {
    let id = control.id.as_str();
    let status = project
        .answer(&checklist.id, id)
        .map_or(Status::Unanswered, |a| a.status);
    if status == Status::Unanswered
        || grade::verdict(project, checklist, control) != Some(Verdict::Fail)
    {
        return;
    }
    if let Some(row) = first_open_row(project, checklist, control) {
        let open: Vec<&str> = grade::open_rows(project, checklist, control)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        let suggested = if status == Status::Met {
            passing_choice(control, row).map_or_else(
                || choices(row),
                |c| Arg::OneOf(vec![c.to_ascii_lowercase()]),
            )
        } else {
            choices(row)
        };
        push(Finding::about(
            Severity::Error,
            Code::RowsUnanswered,
            Some(id),
            format!(
                "{id} is {status}, but its rows in AWS's workbook are unanswered ({}), so AWS's sheet grades it fail.",
                open.join(", ")
            ),
            Fix::run("Answer its rows", choose(&row.id, suggested)),
        ));
        return;
    }
    if status == Status::Met {
        let why = grade::why_fail(project, checklist, control);
        let fix = if why.starts_with("the response is empty") {
            Fix::run(
                "Write the response the sheet needs",
                Command::answer(id, Give::Response),
            )
        } else {
            Fix::run(
                "Answer the rows as things stand, and the status follows them",
                choose(&format!("{id}.1"), Arg::Blank("...")),
            )
        };
        push(Finding::about(
            Severity::Error,
            Code::SheetFails,
            Some(id),
            format!("{id} is marked met, but AWS's sheet will grade it fail: {why}."),
            fix,
        ));
    }
}

/// A control switched off by scoping that the sheet fails all the same: it has no answer for
/// "does not apply", so the row is answered as things stand and the response says why.
fn no_not_applicable(
    project: &Project,
    checklist: &Checklist,
    control: &Control,
    push: &mut dyn FnMut(Finding),
) {
    if grade::verdict(project, checklist, control) != Some(Verdict::Fail) {
        return;
    }
    let id = control.id.as_str();
    let proposal = control
        .rows
        .iter()
        .find_map(|r| Some((r, r.scoped_out.clone()?)));
    let (message, fix) = match proposal {
        Some((row, answer)) => (
            format!(
                "{id} is switched off by scoping, but AWS's sheet has no answer for \"does not apply\" and grades it fail until {} is answered {answer}; the response it gets says why ({}).",
                row.id,
                grade::response_cell(project, checklist, control)
            ),
            Fix::run(
                format!("Answer {} {answer}", row.id),
                choose(&row.id, Arg::OneOf(vec![answer.to_ascii_lowercase()])),
            ),
        ),
        None => (
            format!(
                "{id} is switched off by scoping, but AWS's sheet will grade it fail: {}.",
                grade::why_fail(project, checklist, control)
            ),
            Fix::run(
                "Answer its rows as things stand",
                choose(&format!("{id}.1"), Arg::Blank("...")),
            ),
        ),
    };
    push(Finding::about(
        Severity::Error,
        Code::SheetNoNotApplicable,
        Some(id),
        message,
        fix,
    ));
}
