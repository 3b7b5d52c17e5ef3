//! What every command shares: the exit codes, what a command produced, the one JSON writer,
//! and the small pieces of text and JSON more than one command prints.
//!
//! A leaf of `cli`: it imports nothing from the command modules.
//!
//! The `--json` outputs have always listed the keys of every object in alphabetical order (they
//! were built as `serde_json` values, whose maps are sorted). The report structs keep that: their
//! fields are declared in alphabetical order, and a value of a type from a lower layer, whose
//! fields are declared in another order, is written through [`sorted`].

use std::path::Path;

use serde::{Serialize, Serializer};

use crate::assessment::Evidence;
use crate::assessment::edit;
use crate::assessment::grade::{Prediction, Verdict};
use crate::error::Error;
use crate::safe::terminal;

/// Exit codes, as documented in docs/cli.md.
pub mod exit {
    /// Done; for `ftr check`, the assessment is ready.
    pub const OK: u8 = 0;
    /// `ftr check` ran and found what a reviewer would send back.
    pub const NOT_READY: u8 = 1;
    /// Bad input, an unreadable or invalid file, or a failed write: nothing was changed.
    pub const ERROR: u8 = 2;
}

/// What a command produced: text for stdout and the exit code.
pub struct Outcome {
    pub stdout: String,
    pub code: u8,
}

impl Outcome {
    pub(super) fn ok(stdout: String) -> Outcome {
        Outcome {
            stdout,
            code: exit::OK,
        }
    }
}

/// The one JSON writer of the command line: pretty, escaped for the terminal by
/// [`crate::safe::json`], with a final newline.
pub(super) fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string_pretty(value)
        .map(|s| crate::safe::json(&s).into_owned() + "\n")
        .map_err(|e| Error::Unavailable(format!("could not write JSON: {e}")))
}

/// For `#[serde(serialize_with = "sorted")]`: writes a value of a type from a lower layer with
/// the keys of its objects in alphabetical order, as the `--json` outputs always gave them.
pub(super) fn sorted<T: Serialize, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde_json::to_value(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(serializer)
}

/// Entries kept in the order the text lists them (the checklist's), written to JSON as an
/// object keyed by id, in id order.
pub(super) struct ById<T>(pub Vec<(String, T)>);

impl<T> ById<T> {
    pub(super) fn iter(&self) -> impl Iterator<Item = &(String, T)> {
        self.0.iter()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Serialize> Serialize for ById<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let by_id: std::collections::BTreeMap<&str, &T> =
            self.0.iter().map(|(id, v)| (id.as_str(), v)).collect();
        by_id.serialize(serializer)
    }
}

/// A path as the terminal should show it: control and bidi characters escaped.
pub(super) fn shown(path: &Path) -> String {
    terminal(&path.display().to_string()).into_owned()
}

/// "s" unless there is one.
pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "note: policy.pdf is cited by IAM-002 and the architecture diagram too; recorded anew there
/// as well." for an attachment that refreshes others; nothing when it refreshes none.
pub(super) fn renewed_note(ev: &Evidence, others: &[String]) -> String {
    if others.is_empty() {
        return String::new();
    }
    format!(
        "note: {} is cited by {} too; recorded anew there as well.\n",
        terminal(&ev.path),
        edit::and_list(others)
    )
}

/// AWS's predicted grading of the whole sheet, as `ftr status --json` and `ftr check --json`
/// give it: `{"pass": N, "fail": M, "controls": {"HOST-001": "pass"}, …}`.
#[derive(Serialize)]
pub(super) struct SheetReport {
    automatic_approval: bool,
    cis_report: bool,
    controls: ById<Verdict>,
    diagram: bool,
    fail: usize,
    pass: usize,
    text: String,
    /// The line the text output prints, naming at most eight failing controls.
    #[serde(skip)]
    brief: String,
}

impl SheetReport {
    pub(super) fn of(p: &Prediction) -> SheetReport {
        SheetReport {
            automatic_approval: p.automatic(),
            cis_report: p.cis_report,
            controls: ById(p.controls.clone()),
            diagram: p.diagram,
            fail: p.fail,
            pass: p.pass,
            text: p.words(usize::MAX),
            brief: p.words(8),
        }
    }

    /// "AWS's sheet will grade 41 pass, 3 fail (…): a solutions architect reviews it.\n"
    pub(super) fn line(&self) -> String {
        format!("{}.\n", terminal(&self.brief))
    }
}
