//! The rules about a control's required values. A met control must give each one; a value
//! given under any status must read as its kind, and a date must not lie ahead (it is the day
//! something was done) or, with the control's cadence, further back than it allows. A value
//! the control does not ask for is not submitted.

use crate::assessment::Status;
use crate::assessment::finding::{Code, Severity};
use crate::assessment::fix::{Arg, Command, Fix, Give};
use crate::assessment::values::{self, State};
use crate::content::{Checklist, Control, RequiredValue};
use crate::dates::Date;

use super::collect::{Collector, Cx, Item};

/// `ftr answer ID --value WORD`.
fn value_command(id: &str, word: String) -> Command {
    Command::answer(id, Give::Value(Arg::Word(word)))
}

/// Each value the control asks for: missing while met, malformed, or a date out of range.
pub(super) fn given(cx: &mut Cx, _: &Checklist, item: &Item, out: &mut Collector) {
    for spec in &item.control.values {
        match values::state(spec, item.answer) {
            State::Missing if item.status == Status::Met => missing(item.id, spec, out),
            State::Missing => {}
            State::Malformed { typed, why } => malformed(item.id, spec, typed, &why, out),
            State::Given { parsed, .. } => {
                if let Some(day) = parsed.date {
                    date(item.control, spec, day, cx.today, out);
                }
            }
        }
    }
}

/// A met control that does not give the value.
fn missing(id: &str, spec: &RequiredValue, out: &mut Collector) {
    out.push_value(
        Severity::Error,
        Code::ValueMissing,
        id,
        &spec.key,
        format!(
            "{id} is marked met but gives no {}; a reviewer sends back a response without it.",
            spec.label
        ),
        Fix::run(
            format!("Give it, e.g. {}", spec.kind.example()),
            value_command(id, spec.placeholder_arg()),
        ),
    );
}

/// A value that does not read as its kind.
fn malformed(id: &str, spec: &RequiredValue, typed: &str, why: &str, out: &mut Collector) {
    out.push_value(
        Severity::Error,
        Code::ValueMalformed,
        id,
        &spec.key,
        format!(
            "{id}, {}: `{}` is not a {}; {why}.",
            spec.label,
            typed.trim(),
            spec.kind
        ),
        Fix::run(
            format!("Write {}", spec.kind.how_to_write()),
            value_command(id, spec.placeholder_arg()),
        ),
    );
}

/// A date after today, or further back than the control's cadence allows.
fn date(control: &Control, spec: &RequiredValue, day: Date, today: Date, out: &mut Collector) {
    let id = control.id.as_str();
    if day > today {
        out.push_value(
            Severity::Error,
            Code::ValueFuture,
            id,
            &spec.key,
            format!("{id}, {}: {day} is after today ({today}).", spec.label),
            Fix::run(
                "Give the day it was done",
                value_command(id, spec.placeholder_arg()),
            ),
        );
        return;
    }
    let Some(c) = &control.cadence else {
        return;
    };
    let age = day.days_until(today);
    if age > i64::from(c.days) {
        out.push_value(
            Severity::Warning,
            Code::ValueStale,
            id,
            &spec.key,
            format!(
                "{id}, {}: {day} is {age} days ago; {}.",
                spec.label,
                c.rule()
            ),
            Fix::run(
                "Do it again and record the new date",
                value_command(id, spec.placeholder_arg()),
            ),
        );
    }
}

/// Values held under keys the control does not ask for.
pub(super) fn unknown(_: &mut Cx, _: &Checklist, item: &Item, out: &mut Collector) {
    let Some(a) = item.answer else {
        return;
    };
    for key in values::unknown_keys(item.control, a) {
        unknown_key(item.control, key, out);
    }
}

/// One value `key` the control does not ask for.
fn unknown_key(control: &Control, key: &str, out: &mut Collector) {
    let id = control.id.as_str();
    let asks = if control.values.is_empty() {
        format!("{id} asks for no values")
    } else {
        format!(
            "{id} asks for {}",
            control
                .values
                .iter()
                .map(|v| v.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    out.push_value(
        Severity::Warning,
        Code::UnknownKey,
        id,
        key,
        format!("{id} holds a value `{key}` that it does not ask for, so it is not submitted."),
        Fix::run(
            format!("Fix the key ({asks}) or remove it"),
            value_command(id, format!("{key}=")),
        ),
    );
}
