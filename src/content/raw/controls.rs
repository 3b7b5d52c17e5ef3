//! The `[[control]]` tables: ids, texts, the review cadence, the domains, the required values
//! and the workbook rows, each control checked on its own.

use std::collections::HashSet;

use toml::Spanned;

use crate::content::{Cadence, CadenceBasis, Control, RequiredValue};
use crate::error::{Error, Located};

use super::checker::{Checker, id_is_well_formed, key_is_snake_case};
use super::format::{RawControl, RawValue};
use super::rows::{RowSpans, read_control_rows};

/// Every control of the file, in its order; a file needs at least one.
pub(super) fn read_all(
    ck: &Checker,
    raw: Vec<RawControl>,
    spans: &mut RowSpans,
) -> Result<Vec<Control>, Error> {
    if raw.is_empty() {
        return Err(Error::invalid(Located {
            file: ck.file.to_string(),
            line: None,
            field: Some("control".into()),
            message: "the checklist has no [[control]] table".into(),
            hint: "a checklist needs at least one control".into(),
        }));
    }
    let mut seen = HashSet::new();
    let mut controls = Vec::with_capacity(raw.len());
    for c in raw {
        controls.push(read_control(ck, c, &mut seen, spans)?);
    }
    Ok(controls)
}

/// One control; `seen` holds the ids (upper case) of the controls before it.
fn read_control(
    ck: &Checker,
    c: RawControl,
    seen: &mut HashSet<String>,
    spans: &mut RowSpans,
) -> Result<Control, Error> {
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
    let cadence = cadence(ck, &id, &c.id, c.cadence_days, c.cadence, c.cadence_basis)?;
    if c.also == Some(c.domain) {
        return ck.fail(
            c.id.span(),
            "also",
            format!("control {id} names the same domain in `domain` and `also`"),
            "remove `also`, or name a second, different domain",
        );
    }
    let values = read_values(ck, &id, c.value)?;
    let (rows, pass) = read_control_rows(ck, &id, c.row, c.pass, spans)?;
    let question = c.question.into_inner();
    Ok(Control {
        id,
        title: c.title.into_inner(),
        section: c.section,
        domain: c.domain,
        also: c.also,
        fingerprint: crate::content::requirement_fingerprint(&question),
        question,
        guidance: c.guidance.into_inner(),
        evidence: c.evidence,
        cadence,
        provisional: c.provisional,
        automated: c.automated,
        values,
        rows,
        pass,
    })
}

/// The review cadence of control `id` (whose id is `at`): days above 0 and a label, both or
/// neither; a basis only with them.
fn cadence(
    ck: &Checker,
    id: &str,
    at: &Spanned<String>,
    days: Option<Spanned<u32>>,
    label: Option<String>,
    basis: Option<Spanned<CadenceBasis>>,
) -> Result<Option<Cadence>, Error> {
    if let (Some(basis), None) = (&basis, &days) {
        return ck.fail(
            basis.span(),
            "cadence_basis",
            format!("control {id} has `cadence_basis` but no `cadence_days`"),
            "add cadence_days = N and cadence = \"...\", or remove cadence_basis",
        );
    }
    let basis = basis.map(Spanned::into_inner).unwrap_or_default();
    match (days, label) {
        (None, None) => Ok(None),
        (Some(days), Some(label)) if *days.get_ref() > 0 && !label.trim().is_empty() => {
            Ok(Some(Cadence {
                days: *days.get_ref(),
                label,
                basis,
            }))
        }
        (Some(days), _) => ck.fail(
            days.span(),
            "cadence_days",
            format!("control {id} needs both `cadence_days` (above 0) and `cadence`"),
            "give the number of days and a short label, e.g. cadence = \"identity audit every quarter\"",
        ),
        (None, Some(_)) => ck.fail(
            at.span(),
            "cadence",
            format!("control {id} has `cadence` but no `cadence_days`"),
            "add cadence_days = N, or remove cadence",
        ),
    }
}

/// The values control `id` asks for: snake_case keys, each once, with a label and a hint.
fn read_values(ck: &Checker, id: &str, raw: Vec<RawValue>) -> Result<Vec<RequiredValue>, Error> {
    let mut values: Vec<RequiredValue> = Vec::with_capacity(raw.len());
    for v in raw {
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
    Ok(values)
}
