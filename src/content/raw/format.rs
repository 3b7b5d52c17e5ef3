//! The checklist file format as written on disk: what `toml` reads, before it is validated.
//! Identifiers keep their spans so that a validation error can name the line it is about.

use serde::Deserialize;
use toml::Spanned;

use crate::content::{CadenceBasis, Domain, Model, PrerequisiteKind, ValueKind};
use crate::dates::Date;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    pub(super) checklist: Header,
    #[serde(default)]
    pub(super) scoping: Vec<RawScoping>,
    #[serde(default)]
    pub(super) control: Vec<RawControl>,
    /// `[[sheet_row]]` tables: the workbook's rows that belong to no control.
    #[serde(default)]
    pub(super) sheet_row: Vec<RawRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Header {
    pub(super) id: Spanned<String>,
    pub(super) name: String,
    pub(super) model: Model,
    pub(super) version: Spanned<String>,
    pub(super) released: Option<Spanned<Date>>,
    pub(super) released_approximate: Option<Spanned<bool>>,
    /// The old name of `released`, still read.
    pub(super) valid_from: Option<Spanned<Date>>,
    pub(super) usable_until: Option<Spanned<Date>>,
    pub(super) usable_until_approximate: Option<Spanned<bool>>,
    /// The old name of `usable_until`, still read.
    pub(super) valid_until: Option<Spanned<Date>>,
    pub(super) supersedes: Option<Spanned<String>>,
    pub(super) previous_accepted_until: Option<Spanned<Date>>,
    pub(super) previous_accepted_until_approximate: Option<Spanned<bool>>,
    pub(super) last_verified: Option<Spanned<Date>>,
    #[serde(default)]
    pub(super) own_ids: bool,
    #[serde(default)]
    pub(super) summary: String,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    pub(super) scan_freshness_days: Option<Spanned<u32>>,
    /// What AWS said about how FTR requests are made, and the day it said it.
    pub(super) notice: Option<Spanned<String>>,
    pub(super) notice_date: Option<Spanned<Date>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScoping {
    pub(super) id: Spanned<String>,
    pub(super) question: Spanned<String>,
    #[serde(default)]
    pub(super) help: String,
    #[serde(default)]
    pub(super) off_when_no: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) off_when_yes: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawControl {
    pub(super) id: Spanned<String>,
    pub(super) title: Spanned<String>,
    pub(super) section: String,
    pub(super) domain: Domain,
    pub(super) also: Option<Domain>,
    pub(super) question: Spanned<String>,
    pub(super) guidance: Spanned<String>,
    pub(super) evidence: bool,
    pub(super) cadence_days: Option<Spanned<u32>>,
    pub(super) cadence: Option<String>,
    pub(super) cadence_basis: Option<Spanned<CadenceBasis>>,
    #[serde(default)]
    pub(super) provisional: bool,
    #[serde(default)]
    pub(super) automated: Vec<String>,
    /// `[[control.value]]` tables: the values the response must give.
    #[serde(default)]
    pub(super) value: Vec<RawValue>,
    /// How AWS's workbook grades the control from its rows.
    pub(super) pass: Option<Spanned<Vec<String>>>,
    /// `[[control.row]]` tables: the control's answer rows in AWS's workbook.
    #[serde(default)]
    pub(super) row: Vec<RawRow>,
}

/// A row of AWS's workbook, of a control or of the checklist.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRow {
    pub(super) id: Spanned<String>,
    pub(super) sheet_id: Option<Spanned<String>>,
    pub(super) question: Spanned<String>,
    pub(super) choices: Spanned<Vec<String>>,
    pub(super) scoping: Option<Spanned<String>>,
    pub(super) scoped_out: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawValue {
    pub(super) key: Spanned<String>,
    pub(super) label: Spanned<String>,
    pub(super) kind: ValueKind,
    pub(super) hint: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PrereqFile {
    pub(super) prerequisite: Vec<RawPrerequisite>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrerequisite {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
    pub(super) question: String,
    pub(super) kind: PrerequisiteKind,
    pub(super) minimum: Option<u32>,
    #[serde(default = "yes")]
    pub(super) confirmed: bool,
    pub(super) guidance: Spanned<String>,
}

pub(super) fn yes() -> bool {
    true
}
