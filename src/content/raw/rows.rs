//! AWS's workbook rows, of a control (`[[control.row]]`, with its `pass` rule) and of the
//! checklist (`[[sheet_row]]`): each row checked on its own, then the checks that need them all.

use std::collections::HashSet;

use toml::Spanned;

use crate::content::sheet::{Rule, SheetRow, Term, choice_key};
use crate::content::{Control, Scoping};
use crate::error::Error;

use super::checker::{Checker, id_is_well_formed};
use super::format::RawRow;

/// Where the workbook rows' fields stand in the file, for checks that need the whole checklist.
#[derive(Default)]
pub(super) struct RowSpans {
    /// Row id, where its id is, and where its `scoping` is (if it has one).
    rows: Vec<(
        String,
        std::ops::Range<usize>,
        Option<std::ops::Range<usize>>,
    )>,
    /// Control id and where its `pass` is.
    pass: Vec<(String, std::ops::Range<usize>)>,
}

/// A control's workbook rows and pass rule, each checked on its own.
pub(super) fn read_control_rows(
    ck: &Checker,
    control: &str,
    rows: Vec<RawRow>,
    pass: Option<Spanned<Vec<String>>>,
    spans: &mut RowSpans,
) -> Result<(Vec<SheetRow>, Option<Rule>), Error> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(read_row(ck, "control.row", Some(control), r, spans)?);
    }
    let Some(pass) = pass else {
        if let Some(first) = spans
            .rows
            .iter()
            .rev()
            .find(|(id, ..)| out.iter().any(|r| r.id == *id))
        {
            return ck.fail(
                first.1.clone(),
                "pass",
                format!("control {control} has workbook rows but no `pass` rule"),
                "say when the workbook grades it Pass, e.g. pass = [\"IAM-001.1 = Yes\"]",
            );
        }
        return Ok((out, None));
    };
    if out.is_empty() {
        return ck.fail(
            pass.span(),
            "pass",
            format!("control {control} has a `pass` rule but no [[control.row]]"),
            "add the rows the rule reads, or remove pass",
        );
    }
    let rule = match Rule::parse(pass.get_ref()) {
        Ok(rule) => rule,
        Err((i, message)) => {
            return ck.fail(
                pass.span(),
                "pass",
                format!(
                    "control {control}, alternative {} of `pass`: {message}",
                    i + 1
                ),
                "write each alternative as ROW = VALUE terms joined by ` and `, or `response`",
            );
        }
    };
    spans.pass.push((control.to_string(), pass.span()));
    Ok((out, Some(rule)))
}

/// The workbook's own rows (`[[sheet_row]]`), each checked on its own.
pub(super) fn read_sheet_rows(
    ck: &Checker,
    raw: Vec<RawRow>,
    spans: &mut RowSpans,
) -> Result<Vec<SheetRow>, Error> {
    let mut sheet_rows = Vec::with_capacity(raw.len());
    for r in raw {
        sheet_rows.push(read_row(ck, "sheet_row", None, r, spans)?);
    }
    Ok(sheet_rows)
}

/// One workbook row, checked on its own: `field` is its table (`control.row`, `sheet_row`),
/// `control` the control it belongs to.
fn read_row(
    ck: &Checker,
    field: &str,
    control: Option<&str>,
    r: RawRow,
    spans: &mut RowSpans,
) -> Result<SheetRow, Error> {
    let id = row_id(ck, field, control, &r.id)?;
    ck.not_blank(&r.question, "question", &format!("row {id}"))?;
    let choices: Vec<String> = r.choices.get_ref().clone();
    if let Some(problem) = choices_problem(&choices) {
        return ck.fail(
            r.choices.span(),
            &format!("{field}.choices"),
            format!("row {id}: {problem}"),
            "list the drop-down's items as the workbook spells them, without <select> and without leading spaces, e.g. [\"Yes\", \"No\", \"N/A\"]",
        );
    }
    let mut row = SheetRow {
        sheet_id: r
            .sheet_id
            .as_ref()
            .map_or(id.clone(), |s| s.get_ref().trim().to_string()),
        id,
        question: r.question.into_inner(),
        choices,
        scoping: r.scoping.as_ref().map(|s| s.get_ref().clone()),
        scoped_out: None,
    };
    if let Some(s) = &r.scoping
        && !row.is_yes_no()
    {
        return ck.fail(
            s.span(),
            &format!("{field}.scoping"),
            format!(
                "row {} follows a scoping question but its list lacks Yes or No",
                row.id
            ),
            "only a row answered Yes or No can follow a scoping question",
        );
    }
    if let Some(v) = r.scoped_out {
        row.scoped_out = Some(scoped_out(ck, control, &row, &v)?);
    }
    spans
        .rows
        .push((row.id.clone(), r.id.span(), r.scoping.map(|s| s.span())));
    Ok(row)
}

/// A row's id (trimmed): well formed, and under its control's id when it has one.
fn row_id(
    ck: &Checker,
    field: &str,
    control: Option<&str>,
    raw: &Spanned<String>,
) -> Result<String, Error> {
    let id = raw.get_ref().trim().to_string();
    if !id_is_well_formed(&id) {
        return ck.fail(
            raw.span(),
            &format!("{field}.id"),
            format!("`{id}` is not a usable row id"),
            "use letters, digits, `-` and `.`, e.g. HOST-001.1",
        );
    }
    if let Some(c) = control
        && !id
            .to_ascii_uppercase()
            .starts_with(&format!("{}.", c.to_ascii_uppercase()))
    {
        return ck.fail(
            raw.span(),
            "control.row.id",
            format!("row `{id}` of control {c} does not start with `{c}.`"),
            &format!("number the control's rows {c}.1, {c}.2, …"),
        );
    }
    Ok(id)
}

/// The choice (as the row's list spells it) that scopes out a control's row.
fn scoped_out(
    ck: &Checker,
    control: Option<&str>,
    row: &SheetRow,
    v: &Spanned<String>,
) -> Result<String, Error> {
    if control.is_none() {
        return ck.fail(
            v.span(),
            "sheet_row.scoped_out",
            "only a control's row can have `scoped_out`".into(),
            "remove it",
        );
    }
    match row
        .choices
        .iter()
        .find(|c| c.eq_ignore_ascii_case(v.get_ref()))
    {
        Some(c) => Ok(c.clone()),
        None => ck.fail(
            v.span(),
            "control.row.scoped_out",
            format!(
                "row {}: `{}` is not one of its choices ({})",
                row.id,
                v.get_ref(),
                row.choices.join(", ")
            ),
            "name one of the row's choices",
        ),
    }
}

/// What is wrong with a row's list, if anything.
fn choices_problem(choices: &[String]) -> Option<String> {
    if choices.is_empty() {
        return Some("the list of choices is empty".into());
    }
    for (i, c) in choices.iter().enumerate() {
        if c.trim().is_empty() || c.trim() != c {
            return Some(format!("the choice `{c}` is empty or has spaces around it"));
        }
        if c.eq_ignore_ascii_case("<select>") {
            return Some("`<select>` is what an unanswered cell holds, not a choice".into());
        }
        if let Some(other) = choices[..i].iter().find(|o| o.eq_ignore_ascii_case(c)) {
            return Some(format!("the choice `{other}` is listed twice"));
        }
        let key = choice_key(c);
        if let Some(other) = choices[..i].iter().find(|o| choice_key(o) == key) {
            return Some(format!(
                "`{other}` and `{c}` would share the key {}",
                key.unwrap_or(' ')
            ));
        }
    }
    None
}

/// Checks that need the whole checklist: row ids unique, scoping questions known, and every
/// rule reading rows of its own control or of the checklist, with values from their lists.
pub(super) fn check_rows(
    ck: &Checker,
    controls: &[Control],
    sheet_rows: &[SheetRow],
    scoping: &[Scoping],
    spans: &RowSpans,
) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for (id, span, scoping_span) in &spans.rows {
        if !seen.insert(id.to_ascii_uppercase()) {
            return ck.fail(
                span.clone(),
                "row.id",
                format!("row id `{id}` appears twice"),
                "each row id may appear once per checklist",
            );
        }
        let row = controls
            .iter()
            .flat_map(|c| &c.rows)
            .chain(sheet_rows)
            .find(|r| r.id == *id);
        if let (Some(q), Some(span)) = (row.and_then(|r| r.scoping.as_deref()), scoping_span)
            && !scoping.iter().any(|s| s.id == q)
        {
            return ck.fail(span.clone(), "row.scoping", format!("row {id} follows the scoping question `{q}`, which this checklist does not have"), "name a [[scoping]] id of this file");
        }
    }
    for (control_id, span) in &spans.pass {
        let Some(control) = controls.iter().find(|c| c.id == *control_id) else {
            continue;
        };
        let Some(rule) = &control.pass else { continue };
        for term in rule.alternatives.iter().flat_map(|a| &a.terms) {
            let Term::Is { row, values } = term else {
                continue;
            };
            let Some(found) = control
                .rows
                .iter()
                .chain(sheet_rows)
                .find(|r| r.id.eq_ignore_ascii_case(row))
            else {
                return ck.fail(span.clone(), "pass", format!("control {control_id}'s rule reads `{row}`, which is neither a row of {control_id} nor a [[sheet_row]]"), "fix the row id");
            };
            if let Some(v) = values
                .iter()
                .find(|v| !found.choices.iter().any(|c| c == *v))
            {
                return ck.fail(span.clone(), "pass", format!("control {control_id}'s rule asks for `{row} = {v}`, and `{v}` is not one of {row}'s choices ({})", found.choices.join(", ")), "spell the value as the row's choices do; leave out an alternative its list cannot give");
            }
        }
    }
    Ok(())
}
