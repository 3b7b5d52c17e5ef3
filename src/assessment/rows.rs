//! Answers in AWS's workbook rows: finding the row a command names, and answering it, which
//! answers a scoping question or gives the row's control the status its rows come to.

use super::{Answer, Project, Status, is_unset};
use crate::content::{Checklist, Control, SheetRow};
use crate::error::Error;

/// Gives `answer` the status `s`. A status leaves behind no field it does not use: the reason
/// belongs to not applicable, the plan to not met; neither stays hidden in the file or the
/// bundle.
pub(super) fn set_status(answer: &mut Answer, s: Status) {
    if s != Status::NotApplicable {
        answer.reason.clear();
    }
    if s != Status::NotMet {
        answer.remediation = Default::default();
    }
    answer.status = s;
}

/// The workbook row `id` of `checklist`, or an error that lists the rows there are.
pub fn find_row<'a>(checklist: &'a Checklist, id: &str) -> Result<&'a SheetRow, Error> {
    if let Some(row) = checklist.row(id) {
        return Ok(row);
    }
    if !checklist.has_rows() {
        return Err(Error::input(
            format!(
                "checklist {} has no workbook rows, so no row `{id}`",
                checklist.id
            ),
            "its controls are answered with a status: ftr answer ID --status met|not-met|na",
        ));
    }
    let parent = id.rsplit_once('.').map_or(id, |(p, _)| p);
    let hint = match checklist.control(parent) {
        Some(c) => format!(
            "{} is answered in the rows {}",
            c.id,
            c.rows
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "a row is a control's id and its number, e.g. HOST-001.1; the workbook's own rows are {}",
            checklist
                .sheet_rows
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(Error::input(
        format!("checklist {} has no workbook row `{id}`", checklist.id),
        hint,
    ))
}

/// The row a `--choice` answers when the command names `id`: the row itself, or the one row of
/// a control a person answers.
pub fn row_for_choice<'a>(checklist: &'a Checklist, id: &str) -> Result<&'a SheetRow, Error> {
    if let Some(control) = checklist.control(id) {
        return match control.rows.as_slice() {
            [one] => Ok(one),
            [] if control.rows.is_empty() => Err(Error::input(
                format!("{} has no workbook rows to choose in", control.id),
                "answer it with a status: ftr answer ID --status met|not-met|na",
            )),
            _ => Err(Error::input(
                format!("{} is answered in several rows", control.id),
                format!(
                    "name the row: {}",
                    control
                        .rows
                        .iter()
                        .map(|r| r.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        };
    }
    find_row(checklist, id)
}

/// Answers the workbook row `row` of `checklist` with `typed` (a choice of its list in any
/// letter case, its key, or `unset`). A row that follows a scoping question answers that
/// question; a control's row gives the control the status its rows now come to. Returns lines
/// saying what changed; a choice the list lacks changes nothing.
pub fn answer_row(
    project: &mut Project,
    checklist: &Checklist,
    row: &SheetRow,
    typed: &str,
) -> Result<String, Error> {
    let choice = if is_unset(typed) {
        None
    } else {
        Some(row.choice(typed).map(str::to_string).ok_or_else(|| {
            Error::input(
                format!("`{}` is not a choice for {}", typed.trim(), row.id),
                format!(
                    "choose {} (keys: {})",
                    row.choices.join(", "),
                    row.keyed_choices()
                ),
            )
        })?)
    };
    let shown = choice.clone().unwrap_or_else(|| "unanswered".into());
    if let Some(q) = &row.scoping {
        match &choice {
            Some(c) => project.scoping.insert(q.clone(), c == "Yes"),
            None => project.scoping.remove(q),
        };
        return Ok(format!(
            "{}: {shown} (the answer to the scoping question {q})",
            row.id
        ));
    }
    let Some(control) = checklist.row_owner(&row.id) else {
        match &choice {
            Some(c) => project.workbook.insert(row.id.clone(), c.clone()),
            None => project.workbook.remove(&row.id),
        };
        return Ok(format!("{}: {shown}", row.id));
    };
    let answer = project.answer_mut(&checklist.id, &control.id);
    match &choice {
        Some(c) => answer.rows.insert(row.id.clone(), c.clone()),
        None => answer.rows.remove(&row.id),
    };
    answer.review.clear();
    let mut out = format!("{}: {shown}", row.id);
    out.push('\n');
    out.push_str(&follow_rows(project, checklist, control));
    project.tidy(&checklist.id, &control.id);
    Ok(out)
}

/// Gives `control` the status its rows come to, once they decide it, and says so. While they
/// do not, the status stands (with its reason or plan): it is said what is left to answer.
fn follow_rows(project: &mut Project, checklist: &Checklist, control: &Control) -> String {
    let Some(status) = super::grade::rows_status(project, checklist, control) else {
        return String::new();
    };
    if status != Status::Unanswered {
        set_status(project.answer_mut(&checklist.id, &control.id), status);
        return format!("{}: {status} (by its rows)", control.id);
    }
    let open: Vec<&str> = super::grade::open_rows(project, checklist, control)
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let held = project
        .answer(&checklist.id, &control.id)
        .map_or(Status::Unanswered, |a| a.status);
    match held {
        Status::Unanswered => format!(
            "{}: unanswered until its rows are ({} to answer)",
            control.id,
            open.join(", ")
        ),
        held => format!(
            "{}: still {held}; its rows decide once {} {} answered",
            control.id,
            open.join(", "),
            if open.len() == 1 { "is" } else { "are" }
        ),
    }
}
