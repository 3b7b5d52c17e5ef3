//! The required values of an answer (an RPO, an RTO, the date of the last test): what each
//! holds, how a typed one is checked, and the response text a reviewer reads with them.

use super::Answer;
use crate::content::values::Parsed;
use crate::content::{Control, RequiredValue};
use crate::error::Error;

/// Where one required value of an answer stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State<'a> {
    /// Nothing given (or only spaces).
    Missing,
    /// Given, but not readable as its kind; `why` says what is wrong.
    Malformed { typed: &'a str, why: String },
    /// Given and read.
    Given { typed: &'a str, parsed: Parsed },
}

/// The state of `spec` in `answer` (the file's key must match the checklist's exactly).
pub fn state<'a>(spec: &RequiredValue, answer: Option<&'a Answer>) -> State<'a> {
    let Some(typed) = answer.and_then(|a| a.values.get(&spec.key)) else {
        return State::Missing;
    };
    if typed.trim().is_empty() {
        return State::Missing;
    }
    match spec.kind.parse(typed) {
        Ok(parsed) => State::Given { typed, parsed },
        Err(why) => State::Malformed { typed, why },
    }
}

/// One value as the response carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueLine {
    pub key: String,
    /// The checklist's label, e.g. `Recovery point objective (RPO)`.
    pub label: String,
    /// The canonical form, e.g. `4 hours`.
    pub value: String,
}

impl ValueLine {
    /// `Recovery point objective (RPO): 4 hours`.
    pub fn text(&self) -> String {
        format!("{}: {}", self.label, self.value)
    }
}

/// The values of `answer` that read, in the order the control asks them. A value missing or
/// malformed is left out (the readiness check reports it).
pub fn lines(control: &Control, answer: Option<&Answer>) -> Vec<ValueLine> {
    control
        .values
        .iter()
        .filter_map(|spec| match state(spec, answer) {
            State::Given { parsed, .. } => Some(ValueLine {
                key: spec.key.clone(),
                label: spec.label.clone(),
                value: parsed.canonical,
            }),
            _ => None,
        })
        .collect()
}

/// The response a reviewer reads for `control`: one line per required value
/// (`Recovery point objective (RPO): 4 hours`), then a blank line and the typed response.
pub fn submitted_response(control: &Control, answer: &Answer) -> String {
    let lines: Vec<String> = lines(control, Some(answer))
        .iter()
        .map(ValueLine::text)
        .collect();
    let typed = answer.response.trim_end();
    match (lines.is_empty(), typed.trim().is_empty()) {
        (true, _) => answer.response.clone(),
        (false, true) => lines.join("\n"),
        (false, false) => format!("{}\n\n{typed}", lines.join("\n")),
    }
}

/// Keys held in `answer` that `control` does not ask for: kept, but never submitted.
pub fn unknown_keys<'a>(control: &Control, answer: &'a Answer) -> Vec<&'a str> {
    answer
        .values
        .keys()
        .filter(|k| !control.values.iter().any(|v| v.key == **k))
        .map(String::as_str)
        .collect()
}

/// Why `typed` cannot be taken for `spec` of `control_id`, in words that name the control, the
/// key, the kind and an example; `None` when it reads.
pub fn refusal(control_id: &str, spec: &RequiredValue, typed: &str) -> Option<(String, String)> {
    let why = spec.kind.parse(typed).err()?;
    Some((
        format!(
            "{control_id} {}: `{}` is not a {}; {why}",
            spec.key,
            typed.trim(),
            spec.kind
        ),
        format!(
            "write {}, as in --value {}={}; `--value {}=` clears it",
            spec.kind.how_to_write(),
            spec.key,
            spec.kind.example(),
            spec.key
        ),
    ))
}

/// Checks one `KEY=VALUE` given for `control` and says what it does to the stored values:
/// `Some(text)` stores the typed text under the checklist's key, `None` removes the key. An
/// empty value clears, also a key the control does not ask for (a typo kept in the file).
pub fn check_change(
    control: &Control,
    answer: Option<&Answer>,
    key: &str,
    typed: &str,
) -> Result<(String, Option<String>), Error> {
    let typed = typed.trim();
    let Some(spec) = control.value(key) else {
        let held = answer.is_some_and(|a| a.values.contains_key(key));
        if typed.is_empty() && held {
            return Ok((key.to_string(), None));
        }
        let hint = if control.values.is_empty() {
            format!(
                "{} asks for no values; `ftr status --json` lists the values each control asks for",
                control.id
            )
        } else {
            format!(
                "{} asks for: {}",
                control.id,
                control
                    .values
                    .iter()
                    .map(|v| format!(
                        "{} ({}, e.g. {}={})",
                        v.key,
                        v.kind,
                        v.key,
                        v.kind.example()
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(Error::input(
            format!("{} has no value `{key}`", control.id),
            hint,
        ));
    };
    if typed.is_empty() {
        return Ok((spec.key.clone(), None));
    }
    if let Some((message, hint)) = refusal(&control.id, spec, typed) {
        return Err(Error::input(message, hint));
    }
    Ok((spec.key.clone(), Some(typed.to_string())))
}
