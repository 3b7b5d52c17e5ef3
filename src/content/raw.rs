//! The checklist file format as written on disk, and its validation into [`super::Checklist`].
//!
//! Identifiers keep their spans so that a validation error can name the line it is about.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::sheet::{Rule, SheetRow};
use super::{
    Cadence, CadenceBasis, Checklist, Control, Day, Domain, Model, Prerequisite, PrerequisiteKind,
    RequiredValue, Scoping, ValueKind,
};
use crate::dates::Date;
use crate::error::{Error, Located, toml_error};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    checklist: Header,
    #[serde(default)]
    scoping: Vec<RawScoping>,
    #[serde(default)]
    control: Vec<RawControl>,
    /// `[[sheet_row]]` tables: the workbook's rows that belong to no control.
    #[serde(default)]
    sheet_row: Vec<RawRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: Spanned<String>,
    name: String,
    model: Model,
    version: Spanned<String>,
    released: Option<Spanned<Date>>,
    released_approximate: Option<Spanned<bool>>,
    /// The old name of `released`, still read.
    valid_from: Option<Spanned<Date>>,
    usable_until: Option<Spanned<Date>>,
    usable_until_approximate: Option<Spanned<bool>>,
    /// The old name of `usable_until`, still read.
    valid_until: Option<Spanned<Date>>,
    supersedes: Option<Spanned<String>>,
    previous_accepted_until: Option<Spanned<Date>>,
    previous_accepted_until_approximate: Option<Spanned<bool>>,
    last_verified: Option<Spanned<Date>>,
    #[serde(default)]
    own_ids: bool,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    sources: Vec<String>,
    scan_freshness_days: Option<Spanned<u32>>,
    /// What AWS said about how FTR requests are made, and the day it said it.
    notice: Option<Spanned<String>>,
    notice_date: Option<Spanned<Date>>,
}

/// A header date as written: the field name used (for messages), the date and where it is.
struct Written {
    field: &'static str,
    date: Spanned<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScoping {
    id: Spanned<String>,
    question: Spanned<String>,
    #[serde(default)]
    help: String,
    #[serde(default)]
    off_when_no: Vec<Spanned<String>>,
    #[serde(default)]
    off_when_yes: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawControl {
    id: Spanned<String>,
    title: Spanned<String>,
    section: String,
    domain: Domain,
    also: Option<Domain>,
    question: Spanned<String>,
    guidance: Spanned<String>,
    evidence: bool,
    cadence_days: Option<Spanned<u32>>,
    cadence: Option<String>,
    cadence_basis: Option<Spanned<CadenceBasis>>,
    #[serde(default)]
    provisional: bool,
    #[serde(default)]
    automated: Vec<String>,
    /// `[[control.value]]` tables: the values the response must give.
    #[serde(default)]
    value: Vec<RawValue>,
    /// How AWS's workbook grades the control from its rows.
    pass: Option<Spanned<Vec<String>>>,
    /// `[[control.row]]` tables: the control's answer rows in AWS's workbook.
    #[serde(default)]
    row: Vec<RawRow>,
}

/// A row of AWS's workbook, of a control or of the checklist.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    id: Spanned<String>,
    sheet_id: Option<Spanned<String>>,
    question: Spanned<String>,
    choices: Spanned<Vec<String>>,
    scoping: Option<Spanned<String>>,
    scoped_out: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    key: Spanned<String>,
    label: Spanned<String>,
    kind: ValueKind,
    hint: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrereqFile {
    prerequisite: Vec<RawPrerequisite>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrerequisite {
    id: Spanned<String>,
    title: String,
    question: String,
    kind: PrerequisiteKind,
    minimum: Option<u32>,
    #[serde(default = "yes")]
    confirmed: bool,
    guidance: Spanned<String>,
}

fn yes() -> bool {
    true
}

/// Builds validation errors that point at a line of one file.
struct Checker<'a> {
    file: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn fail<T>(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: String,
        hint: &str,
    ) -> Result<T, Error> {
        let (line, column) = crate::error::line_col(self.text, span.start);
        Err(Error::invalid(Located {
            file: self.file.to_string(),
            line: Some((line, column)),
            field: Some(field.to_string()),
            message,
            hint: hint.to_string(),
        }))
    }

    fn not_blank(&self, value: &Spanned<String>, field: &str, owner: &str) -> Result<(), Error> {
        if value.get_ref().trim().is_empty() {
            return self.fail(
                value.span(),
                field,
                format!("{owner} has an empty `{field}`"),
                "write the text; every control needs a question, a title and guidance",
            );
        }
        Ok(())
    }
}

/// A required value's key: a lower-case letter, then lower-case letters, digits and `_`.
fn key_is_snake_case(key: &str) -> bool {
    key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !key.ends_with('_')
        && !key.contains("__")
}

fn id_is_well_formed(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
}

pub(crate) fn parse_checklist(file: &str, text: &str) -> Result<Checklist, Error> {
    let raw: File = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let ck = Checker { file, text };
    let header = raw.checklist;
    if !id_is_well_formed(header.id.get_ref()) {
        return ck.fail(
            header.id.span(),
            "checklist.id",
            format!("`{}` is not a usable checklist id", header.id.get_ref()),
            "use letters, digits and dashes, e.g. partner-hosted",
        );
    }
    if header.version.get_ref().trim().is_empty() {
        return ck.fail(
            header.version.span(),
            "checklist.version",
            "the checklist has no version".into(),
            "name the AWS release, e.g. 2026-02",
        );
    }
    // The version names files (installed checklists, backups) and is shown everywhere.
    if !id_is_well_formed(header.version.get_ref()) || header.version.get_ref().starts_with('.') {
        return ck.fail(
            header.version.span(),
            "checklist.version",
            format!(
                "`{}` is not a usable version",
                crate::safe::terminal(header.version.get_ref())
            ),
            "use letters, digits, `-`, `_` and `.` (not first), e.g. 2026-08",
        );
    }
    if raw.control.is_empty() {
        return Err(Error::invalid(Located {
            file: file.to_string(),
            line: None,
            field: Some("control".into()),
            message: "the checklist has no [[control]] table".into(),
            hint: "a checklist needs at least one control".into(),
        }));
    }

    let mut seen = HashSet::new();
    let mut spans = RowSpans::default();
    let mut controls = Vec::with_capacity(raw.control.len());
    for c in raw.control {
        let id = c.id.get_ref().clone();
        if !id_is_well_formed(&id) {
            return ck.fail(
                c.id.span(),
                "control.id",
                format!("`{id}` is not a usable control id"),
                "use the AWS id, e.g. IAM-001",
            );
        }
        if !seen.insert(id.to_ascii_uppercase()) {
            return ck.fail(
                c.id.span(),
                "control.id",
                format!("control id `{id}` appears twice"),
                "each control id may appear once per checklist",
            );
        }
        let owner = format!("control {id}");
        ck.not_blank(&c.title, "title", &owner)?;
        ck.not_blank(&c.question, "question", &owner)?;
        ck.not_blank(&c.guidance, "guidance", &owner)?;
        if let (Some(basis), None) = (&c.cadence_basis, &c.cadence_days) {
            return ck.fail(
                basis.span(),
                "cadence_basis",
                format!("control {id} has `cadence_basis` but no `cadence_days`"),
                "add cadence_days = N and cadence = \"...\", or remove cadence_basis",
            );
        }
        let basis = c.cadence_basis.map(Spanned::into_inner).unwrap_or_default();
        let cadence = match (c.cadence_days, c.cadence) {
            (None, None) => None,
            (Some(days), Some(label)) if *days.get_ref() > 0 && !label.trim().is_empty() => {
                Some(Cadence {
                    days: *days.get_ref(),
                    label,
                    basis,
                })
            }
            (Some(days), _) => {
                return ck.fail(
                    days.span(),
                    "cadence_days",
                    format!("control {id} needs both `cadence_days` (above 0) and `cadence`"),
                    "give the number of days and a short label, e.g. cadence = \"identity audit every quarter\"",
                );
            }
            (None, Some(_)) => {
                return ck.fail(
                    c.id.span(),
                    "cadence",
                    format!("control {id} has `cadence` but no `cadence_days`"),
                    "add cadence_days = N, or remove cadence",
                );
            }
        };
        if c.also == Some(c.domain) {
            return ck.fail(
                c.id.span(),
                "also",
                format!("control {id} names the same domain in `domain` and `also`"),
                "remove `also`, or name a second, different domain",
            );
        }
        let mut values: Vec<RequiredValue> = Vec::with_capacity(c.value.len());
        for v in c.value {
            let key = v.key.get_ref().clone();
            if !key_is_snake_case(&key) {
                return ck.fail(
                    v.key.span(),
                    "control.value.key",
                    format!("control {id} has a value key `{key}` that is not snake_case"),
                    "use lower-case letters, digits and single underscores, starting with a letter, e.g. last_test",
                );
            }
            if values.iter().any(|x| x.key == key) {
                return ck.fail(
                    v.key.span(),
                    "control.value.key",
                    format!("control {id} declares the value `{key}` twice"),
                    "each value key may appear once per control",
                );
            }
            if v.label.get_ref().trim().is_empty() {
                return ck.fail(
                    v.label.span(),
                    "control.value.label",
                    format!("control {id}, value {key}, has an empty `label`"),
                    "write how the value is introduced in the response, e.g. \"Recovery point objective (RPO)\"",
                );
            }
            let hint = match v.hint {
                Some(h) if h.get_ref().trim().is_empty() => {
                    return ck.fail(
                        h.span(),
                        "control.value.hint",
                        format!("control {id}, value {key}, has an empty `hint`"),
                        "write what to type, as in hint = \"e.g. 4h, 15m, 1d\", or remove hint to show the kind's own",
                    );
                }
                Some(h) => h.into_inner().trim().to_string(),
                None => v.kind.default_hint().to_string(),
            };
            values.push(RequiredValue {
                key,
                label: v.label.into_inner().trim().to_string(),
                kind: v.kind,
                hint,
            });
        }
        let (rows, pass) = read_control_rows(&ck, &id, c.row, c.pass, &mut spans)?;
        let question = c.question.into_inner();
        controls.push(Control {
            id,
            title: c.title.into_inner(),
            section: c.section,
            domain: c.domain,
            also: c.also,
            fingerprint: super::requirement_fingerprint(&question),
            question,
            guidance: c.guidance.into_inner(),
            evidence: c.evidence,
            cadence,
            provisional: c.provisional,
            automated: c.automated,
            values,
            rows,
            pass,
        });
    }

    let mut scoping = Vec::with_capacity(raw.scoping.len());
    let mut scoping_ids = HashSet::new();
    for s in raw.scoping {
        let id = s.id.get_ref().clone();
        if !id_is_well_formed(&id) || id.contains('.') {
            return ck.fail(
                s.id.span(),
                "scoping.id",
                format!("`{id}` is not a usable scoping id"),
                "use snake_case, e.g. stores_secrets",
            );
        }
        if !scoping_ids.insert(id.clone()) {
            return ck.fail(
                s.id.span(),
                "scoping.id",
                format!("scoping question `{id}` appears twice"),
                "each scoping id may appear once per checklist",
            );
        }
        ck.not_blank(&s.question, "question", &format!("scoping question {id}"))?;
        let resolve = |list: Vec<Spanned<String>>, field: &str| -> Result<Vec<String>, Error> {
            let mut out = Vec::with_capacity(list.len());
            for r in list {
                match controls
                    .iter()
                    .find(|c| c.id.eq_ignore_ascii_case(r.get_ref()))
                {
                    Some(c) => out.push(c.id.clone()),
                    None => {
                        return ck.fail(
                            r.span(),
                            field,
                            format!(
                                "scoping question {id} names control `{}`, which this checklist does not have",
                                r.get_ref()
                            ),
                            "fix the id, or add the control",
                        );
                    }
                }
            }
            Ok(out)
        };
        let off_when_no = resolve(s.off_when_no, "off_when_no")?;
        let off_when_yes = resolve(s.off_when_yes, "off_when_yes")?;
        if off_when_no.is_empty() && off_when_yes.is_empty() {
            return ck.fail(
                s.id.span(),
                "scoping",
                format!("scoping question {id} switches no control off"),
                "list the controls in off_when_no or off_when_yes",
            );
        }
        scoping.push(Scoping {
            id,
            question: s.question.into_inner(),
            help: s.help,
            off_when_no,
            off_when_yes,
        });
    }

    let mut sheet_rows = Vec::with_capacity(raw.sheet_row.len());
    for r in raw.sheet_row {
        sheet_rows.push(read_row(&ck, "sheet_row", None, r, &mut spans)?);
    }
    check_rows(&ck, &controls, &sheet_rows, &scoping, &spans)?;

    let life = life(&ck, &header)?;
    let notice = match (header.notice.clone(), header.notice_date.clone()) {
        (None, None) => None,
        (Some(text), Some(day)) if !text.get_ref().trim().is_empty() => {
            Some((text.into_inner().trim().to_string(), day.into_inner()))
        }
        (Some(text), _) => {
            return ck.fail(
                text.span(),
                "checklist.notice",
                "the notice needs its text and the day AWS said it (notice_date)".into(),
                "give both, e.g. notice_date = 2025-12-01, or remove notice",
            );
        }
        (None, Some(day)) => {
            return ck.fail(
                day.span(),
                "checklist.notice_date",
                "notice_date is given without a notice".into(),
                "add notice = \"...\", or remove notice_date",
            );
        }
    };

    let scan_freshness_days = match header.scan_freshness_days {
        Some(days) if *days.get_ref() == 0 => {
            return ck.fail(
                days.span(),
                "checklist.scan_freshness_days",
                "scan_freshness_days is 0, so every security tool report would be out of date"
                    .into(),
                "give the number of days a scan result stays fresh, e.g. 30, or remove the line",
            );
        }
        other => other.map(|d| *d.get_ref()),
    };

    Ok(Checklist {
        id: header.id.into_inner(),
        name: header.name,
        model: header.model,
        version: header.version.into_inner(),
        released: life.released,
        usable_until: life.usable_until,
        supersedes: life.supersedes,
        previous_accepted_until: life.previous_accepted_until,
        last_verified: life.last_verified,
        own_ids: header.own_ids,
        summary: header.summary,
        sources: header.sources,
        scan_freshness_days,
        scoping,
        controls,
        sheet_rows,
        notice,
        origin: file.to_string(),
    })
}

/// Where the workbook rows' fields stand in the file, for checks that need the whole checklist.
#[derive(Default)]
struct RowSpans {
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
fn read_control_rows(
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

/// One workbook row, checked on its own: `field` is its table (`control.row`, `sheet_row`),
/// `control` the control it belongs to.
fn read_row(
    ck: &Checker,
    field: &str,
    control: Option<&str>,
    r: RawRow,
    spans: &mut RowSpans,
) -> Result<SheetRow, Error> {
    let id = r.id.get_ref().trim().to_string();
    if !id_is_well_formed(&id) {
        return ck.fail(
            r.id.span(),
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
            r.id.span(),
            "control.row.id",
            format!("row `{id}` of control {c} does not start with `{c}.`"),
            &format!("number the control's rows {c}.1, {c}.2, …"),
        );
    }
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
            Some(c) => row.scoped_out = Some(c.clone()),
            None => {
                return ck.fail(
                    v.span(),
                    "control.row.scoped_out",
                    format!(
                        "row {}: `{}` is not one of its choices ({})",
                        row.id,
                        v.get_ref(),
                        row.choices.join(", ")
                    ),
                    "name one of the row's choices",
                );
            }
        }
    }
    spans
        .rows
        .push((row.id.clone(), r.id.span(), r.scoping.map(|s| s.span())));
    Ok(row)
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
        let key = crate::content::sheet::choice_key(c);
        if let Some(other) = choices[..i]
            .iter()
            .find(|o| crate::content::sheet::choice_key(o) == key)
        {
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
fn check_rows(
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
            let crate::content::sheet::Term::Is { row, values } = term else {
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

/// The dates of a checklist's life, checked against each other.
struct Life {
    released: Option<Day>,
    usable_until: Option<Day>,
    supersedes: Option<String>,
    previous_accepted_until: Option<Day>,
    last_verified: Option<Date>,
}

/// A date given under its name or its old one (never both).
fn either(
    ck: &Checker,
    name: &'static str,
    new: &Option<Spanned<Date>>,
    old_name: &'static str,
    old: &Option<Spanned<Date>>,
) -> Result<Option<Written>, Error> {
    match (new, old) {
        (Some(_), Some(o)) => ck.fail(
            o.span(),
            &format!("checklist.{old_name}"),
            format!("`{old_name}` is the old name of `{name}`, and both are given"),
            &format!("keep `{name}` and remove `{old_name}`"),
        ),
        (Some(d), None) => Ok(Some(Written {
            field: name,
            date: d.clone(),
        })),
        (None, Some(d)) => Ok(Some(Written {
            field: old_name,
            date: d.clone(),
        })),
        (None, None) => Ok(None),
    }
}

/// The day of `date`, approximate if its `_approximate` flag says so; the flag without the
/// date is refused.
fn day(
    ck: &Checker,
    date: &Option<Written>,
    flag: &Option<Spanned<bool>>,
    flag_name: &str,
    date_name: &str,
) -> Result<Option<Day>, Error> {
    match (date, flag) {
        (None, Some(f)) => ck.fail(
            f.span(),
            &format!("checklist.{flag_name}"),
            format!("`{flag_name}` is given without `{date_name}`"),
            &format!("add {date_name} = YYYY-MM-DD, or remove {flag_name}"),
        ),
        (None, None) => Ok(None),
        (Some(w), f) => Ok(Some(Day {
            date: *w.date.get_ref(),
            approximate: f.as_ref().is_some_and(|f| *f.get_ref()),
        })),
    }
}

fn life(ck: &Checker, h: &Header) -> Result<Life, Error> {
    let released = either(ck, "released", &h.released, "valid_from", &h.valid_from)?;
    let until = either(
        ck,
        "usable_until",
        &h.usable_until,
        "valid_until",
        &h.valid_until,
    )?;
    let previous = h.previous_accepted_until.clone().map(|d| Written {
        field: "previous_accepted_until",
        date: d,
    });
    let verified = h.last_verified.clone().map(|d| Written {
        field: "last_verified",
        date: d,
    });
    // Each pair must be in order: (earlier, later, what the order means).
    let order: [(&Option<Written>, &Option<Written>, &str); 4] = [
        (
            &released,
            &until,
            "a version cannot stop being accepted before it is released",
        ),
        (
            &released,
            &previous,
            "the version it supersedes stays accepted for a while after this one is released",
        ),
        (
            &previous,
            &until,
            "the previous version cannot outlive this one",
        ),
        (
            &released,
            &verified,
            "a version cannot be verified as current before it is released",
        ),
    ];
    for (earlier, later, why) in order {
        if let (Some(a), Some(b)) = (earlier, later)
            && b.date.get_ref() < a.date.get_ref()
        {
            return ck.fail(
                b.date.span(),
                &format!("checklist.{}", b.field),
                format!(
                    "{} ({}) is before {} ({})",
                    b.field,
                    b.date.get_ref(),
                    a.field,
                    a.date.get_ref()
                ),
                &format!("{why}; fix the dates"),
            );
        }
    }
    let supersedes = match &h.supersedes {
        Some(s) if s.get_ref().trim().is_empty() => {
            return ck.fail(
                s.span(),
                "checklist.supersedes",
                "`supersedes` is empty".into(),
                "name the version this one replaces, e.g. 2025-08, or remove the line",
            );
        }
        Some(s) if s.get_ref().trim() == h.version.get_ref().trim() => {
            return ck.fail(
                s.span(),
                "checklist.supersedes",
                format!("the checklist supersedes its own version {}", s.get_ref()),
                "name the version this one replaces, e.g. 2025-08",
            );
        }
        Some(s) => Some(s.get_ref().trim().to_string()),
        None => None,
    };
    if let (Some(p), None) = (&h.previous_accepted_until, &supersedes) {
        return ck.fail(
            p.span(),
            "checklist.previous_accepted_until",
            "`previous_accepted_until` is given, but `supersedes` does not say which version it is about".into(),
            "add supersedes = \"VERSION\", the version this one replaces",
        );
    }
    Ok(Life {
        released: day(
            ck,
            &released,
            &h.released_approximate,
            "released_approximate",
            "released",
        )?,
        usable_until: day(
            ck,
            &until,
            &h.usable_until_approximate,
            "usable_until_approximate",
            "usable_until",
        )?,
        previous_accepted_until: day(
            ck,
            &previous,
            &h.previous_accepted_until_approximate,
            "previous_accepted_until_approximate",
            "previous_accepted_until",
        )?,
        supersedes,
        last_verified: verified.map(|w| *w.date.get_ref()),
    })
}

pub(super) fn parse_prerequisites(file: &str, text: &str) -> Result<Vec<Prerequisite>, Error> {
    let raw: PrereqFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let ck = Checker { file, text };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raw.prerequisite.len());
    for p in raw.prerequisite {
        let id = p.id.get_ref().clone();
        if !id_is_well_formed(&id) || id.contains('.') {
            return ck.fail(
                p.id.span(),
                "prerequisite.id",
                format!("`{id}` is not a usable prerequisite id"),
                "use snake_case, e.g. ace_terms",
            );
        }
        if !seen.insert(id.clone()) {
            return ck.fail(
                p.id.span(),
                "prerequisite.id",
                format!("prerequisite `{id}` appears twice"),
                "each prerequisite id may appear once",
            );
        }
        ck.not_blank(&p.guidance, "guidance", &format!("prerequisite {id}"))?;
        if p.kind == PrerequisiteKind::Count && p.minimum.is_none() {
            return ck.fail(
                p.id.span(),
                "minimum",
                format!("prerequisite {id} is a count but has no `minimum`"),
                "add minimum = N, the count that passes",
            );
        }
        out.push(Prerequisite {
            id,
            title: p.title,
            question: p.question,
            kind: p.kind,
            minimum: p.minimum,
            confirmed: p.confirmed,
            guidance: p.guidance.into_inner(),
        });
    }
    Ok(out)
}
