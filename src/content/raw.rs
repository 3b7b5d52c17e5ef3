//! The checklist file format as written on disk, and its validation into [`super::Checklist`].
//!
//! Identifiers keep their spans so that a validation error can name the line it is about.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Cadence, Checklist, Control, Domain, Model, Prerequisite, PrerequisiteKind, RequiredValue,
    Scoping, ValueKind,
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: Spanned<String>,
    name: String,
    model: Model,
    version: Spanned<String>,
    valid_from: Option<Date>,
    valid_until: Option<Date>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    sources: Vec<String>,
    scan_freshness_days: Option<Spanned<u32>>,
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
    #[serde(default)]
    provisional: bool,
    #[serde(default)]
    automated: Vec<String>,
    /// `[[control.value]]` tables: the values the response must give.
    #[serde(default)]
    value: Vec<RawValue>,
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

pub(super) fn parse_checklist(file: &str, text: &str) -> Result<Checklist, Error> {
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
        let cadence = match (c.cadence_days, c.cadence) {
            (None, None) => None,
            (Some(days), Some(label)) if *days.get_ref() > 0 && !label.trim().is_empty() => {
                Some(Cadence {
                    days: *days.get_ref(),
                    label,
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

    if let (Some(from), Some(until)) = (header.valid_from, header.valid_until)
        && until < from
    {
        return ck.fail(
            header.version.span(),
            "checklist.valid_until",
            format!("valid_until ({until}) is before valid_from ({from})"),
            "swap the dates or fix the typo",
        );
    }

    Ok(Checklist {
        id: header.id.into_inner(),
        name: header.name,
        model: header.model,
        version: header.version.into_inner(),
        valid_from: header.valid_from,
        valid_until: header.valid_until,
        summary: header.summary,
        sources: header.sources,
        scan_freshness_days,
        scoping,
        controls,
        origin: file.to_string(),
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
