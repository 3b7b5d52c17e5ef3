//! A user's assessment: the answers kept in the project file, and what follows from them
//! (which controls apply, progress per domain, readiness findings).
//!
//! Pure data and logic: no terminal, no git, and no disk access but reading evidence files to
//! check their fingerprints, which `evidence` does through `fsio`.
//!
//! Layer: `assessment` (the domain). May import: `content`, `dates`, `error`, `fsio` (evidence
//! files only), `merge`, `safe`, `util`.

mod attach;
pub mod deadlines;
pub mod edit;
pub mod evidence;
pub mod finding;
pub mod fix;
pub mod grade;
mod grade_check;
pub mod migrate;
pub mod progress;
pub mod readiness;
mod rows;
pub mod scan;
pub mod setting;
pub mod values;
pub mod window;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::content::{Checklist, Control, Library, Model};
use crate::dates::Date;
use crate::error::Error;
pub use evidence::Evidence;

/// The project file format version this build writes.
pub const SCHEMA_VERSION: u32 = 3;

/// The first schema version that answers controls in AWS's workbook rows. A project of an
/// earlier version keeps its statuses; its rows start unanswered, and the move is recorded in
/// `[[migrations]]` when the file is next written.
pub const ROWS_SINCE: u32 = 3;

/// The first schema version that gives every control of the checklist a fixed place in the
/// file. Files of version 1 (answers only, in id order) load, and are written in this layout on
/// their next save.
pub const FIXED_LAYOUT_SINCE: u32 = 2;

/// Everything in a project file, in the order it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub schema_version: u32,
    #[serde(default)]
    pub profile: Profile,
    #[serde(default)]
    pub delivery: Delivery,
    /// When the FTR was submitted and how its review came out (`[submission]`).
    #[serde(default, skip_serializing_if = "deadlines::Submission::is_empty")]
    pub submission: deadlines::Submission,
    /// Scoping answers by question id: `true` is yes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scoping: BTreeMap<String, bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prerequisites: BTreeMap<String, PrereqAnswer>,
    /// Answers to the workbook's own rows (`cis-report = "Yes"`), by row id, as the row's list
    /// spells them; the gates are scoping answers and are not kept here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub workbook: BTreeMap<String, String>,
    /// Answers by checklist id, then control id. Answers to every checklist are kept, so
    /// switching the delivery model back and forth loses nothing.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, BTreeMap<String, Answer>>,
    /// Imported scanner results (`[[scans]]`): hints per control, never answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scans: Vec<scan::Scan>,
    /// Moves from one checklist version to another (`[[migrations]]`), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub migrations: Vec<migrate::Migration>,
    /// Fields a merge found changed two ways (`[[conflicts]]`): the file holds the local
    /// value, these both, until `ftr resolve` or the wizard settles each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<crate::merge::Conflict>,
    /// The controls of the project's checklist in checklist order: where each answer is
    /// written. Known once the checklist is; not part of the file.
    #[serde(skip)]
    pub layout: Layout,
}

/// The order the project file gives the controls of its checklist, every one with its own
/// table whether answered or not: edits to different controls are then always separated by
/// lines neither side changed, and git merges them. It says nothing about the answers, so two
/// projects compare equal whatever their layouts.
#[derive(Debug, Clone, Default)]
pub struct Layout(pub Vec<String>);

impl Layout {
    pub fn of(checklist: &Checklist) -> Layout {
        Layout(checklist.controls.iter().map(|c| c.id.clone()).collect())
    }
}

impl PartialEq for Layout {
    fn eq(&self, _: &Layout) -> bool {
        true
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Profile {
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub product: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact_email: String,
    /// The architecture diagram for the upload form's diagram slot (`[profile.diagram]`).
    #[serde(
        default,
        deserialize_with = "diagram_table",
        skip_serializing_if = "Option::is_none"
    )]
    pub diagram: Option<Evidence>,
    /// The security tool reports (CIS results, one per production account and Region) for the
    /// form's report slot (`[[profile.security_reports]]`).
    #[serde(
        default,
        deserialize_with = "report_tables",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub security_reports: Vec<Evidence>,
    /// The customer deployment guide for the form's slot of that name (customer-deployed
    /// products): a file (`[profile.deployment_guide]`) ...
    #[serde(
        default,
        deserialize_with = "guide_table",
        skip_serializing_if = "Option::is_none"
    )]
    pub deployment_guide: Option<Evidence>,
    /// ... or the public address it is published at.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deployment_guide_url: String,
    /// The report of the alternative path (a SOC 2 Type II report) for the form's
    /// Alternative Artifacts/Reports slot (`[profile.alternative_report]`).
    #[serde(
        default,
        deserialize_with = "alternative_table",
        skip_serializing_if = "Option::is_none"
    )]
    pub alternative_report: Option<Evidence>,
    /// AWS's self-assessment spreadsheet, downloaded by the user, that the export fills:
    /// relative to the project file's folder when under it, else absolute.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub template: String,
}

/// A project-level upload slot of Partner Central's form, besides the checklist itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Slot {
    /// One architecture diagram, PNG or JPEG.
    Diagram,
    /// Security tool reports: the CIS results, one per production account and Region.
    SecurityReport,
    /// The customer deployment guide (customer-deployed products), a file or an address.
    DeploymentGuide,
    /// The alternative path's report (a SOC 2 Type II report).
    AlternativeReport,
}

impl Slot {
    pub const ALL: [Slot; 4] = [
        Slot::Diagram,
        Slot::SecurityReport,
        Slot::DeploymentGuide,
        Slot::AlternativeReport,
    ];

    /// The key of `ftr set`.
    pub fn key(self) -> &'static str {
        match self {
            Slot::Diagram => "diagram",
            Slot::SecurityReport => "security-report",
            Slot::DeploymentGuide => "deployment-guide",
            Slot::AlternativeReport => "alternative-report",
        }
    }

    /// The slot named by a key of `ftr set` (a plural or `_` is taken too).
    pub fn from_key(key: &str) -> Option<Slot> {
        match key.trim().replace('_', "-").as_str() {
            "diagram" | "architecture-diagram" => Some(Slot::Diagram),
            "security-report" | "security-reports" => Some(Slot::SecurityReport),
            "deployment-guide" | "customer-deployment-guide" => Some(Slot::DeploymentGuide),
            "alternative-report" | "alternative-artifacts" | "soc2-report" => {
                Some(Slot::AlternativeReport)
            }
            _ => None,
        }
    }

    /// What one file of the slot is, in words.
    pub fn name(self) -> &'static str {
        match self {
            Slot::Diagram => "architecture diagram",
            Slot::SecurityReport => "security tool report",
            Slot::DeploymentGuide => "customer deployment guide",
            Slot::AlternativeReport => "alternative report (SOC 2 Type II)",
        }
    }

    /// The slot holds one file, replaced by the next; a security tool report is one of many.
    pub fn single(self) -> bool {
        self != Slot::SecurityReport
    }

    /// The one file of a slot that holds one.
    fn one_mut(self, profile: &mut Profile) -> Option<&mut Option<Evidence>> {
        match self {
            Slot::Diagram => Some(&mut profile.diagram),
            Slot::DeploymentGuide => Some(&mut profile.deployment_guide),
            Slot::AlternativeReport => Some(&mut profile.alternative_report),
            Slot::SecurityReport => None,
        }
    }

    /// The slot's files, to change.
    pub fn files_mut(self, profile: &mut Profile) -> Vec<&mut Evidence> {
        if self.single() {
            self.one_mut(profile)
                .map_or_else(Vec::new, |one| one.iter_mut().collect())
        } else {
            profile.security_reports.iter_mut().collect()
        }
    }

    /// Keeps the slot's files for which `keep` holds.
    pub fn retain(self, profile: &mut Profile, keep: impl Fn(&Evidence) -> bool) {
        match self.one_mut(profile) {
            Some(one) => {
                if one.as_ref().is_some_and(|e| !keep(e)) {
                    *one = None;
                }
            }
            None => profile.security_reports.retain(keep),
        }
    }

    /// Adds `new` to the slot: the one file replaced, a report added; the same path again
    /// gets `refresh`.
    pub fn put(
        self,
        profile: &mut Profile,
        new: Evidence,
        refresh: impl FnOnce(&mut Evidence, Evidence),
    ) {
        match self.one_mut(profile) {
            Some(one) => match one {
                Some(old) if old.path == new.path => refresh(old, new),
                one => *one = Some(new),
            },
            None => {
                let reports = &mut profile.security_reports;
                match reports.iter_mut().find(|e| e.path == new.path) {
                    Some(old) => refresh(old, new),
                    None => reports.push(new),
                }
            }
        }
    }

    /// The files attached to the slot.
    pub fn files(self, profile: &Profile) -> &[Evidence] {
        match self {
            Slot::Diagram => profile.diagram.as_slice(),
            Slot::SecurityReport => &profile.security_reports,
            Slot::DeploymentGuide => profile.deployment_guide.as_slice(),
            Slot::AlternativeReport => profile.alternative_report.as_slice(),
        }
    }
}

/// A profile attachment, read only from a table; the message shows the table it belongs in.
struct DiagramTable(Evidence);
struct GuideTable(Evidence);
struct AlternativeTable(Evidence);

impl FromTable for GuideTable {
    const LOOKS_LIKE: &'static str =
        "[profile.deployment_guide] with path = \"...\" on its own line";
    fn from_table<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Evidence::deserialize(d).map(GuideTable)
    }
}

impl FromTable for AlternativeTable {
    const LOOKS_LIKE: &'static str =
        "[profile.alternative_report] with path = \"...\" on its own line";
    fn from_table<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Evidence::deserialize(d).map(AlternativeTable)
    }
}

fn guide_table<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Evidence>, D::Error> {
    table_only::<D, GuideTable>(d).map(|t| Some(t.0))
}

fn alternative_table<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Evidence>, D::Error> {
    table_only::<D, AlternativeTable>(d).map(|t| Some(t.0))
}
struct ReportTable(Evidence);

impl FromTable for DiagramTable {
    const LOOKS_LIKE: &'static str = "[profile.diagram] with path = \"...\" on its own line";
    fn from_table<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Evidence::deserialize(d).map(DiagramTable)
    }
}

impl FromTable for ReportTable {
    const LOOKS_LIKE: &'static str =
        "[[profile.security_reports]] with path = \"...\" on its own line";
    fn from_table<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Evidence::deserialize(d).map(ReportTable)
    }
}

impl<'de> Deserialize<'de> for ReportTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        table_only(d)
    }
}

fn diagram_table<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Evidence>, D::Error> {
    table_only::<D, DiagramTable>(d).map(|t| Some(t.0))
}

fn report_tables<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Evidence>, D::Error> {
    Vec::<ReportTable>::deserialize(d).map(|v| v.into_iter().map(|t| t.0).collect())
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Delivery {
    pub model: Option<Model>,
    /// The user chose the model on purpose (the wrong checklist is the most avoidable rejection).
    #[serde(default)]
    pub confirmed: bool,
    /// Whether the company holds a current SOC 2 Type II report or a recent WAFR, which opens
    /// the alternative path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holds_soc2_or_wafr: Option<bool>,
    /// The checklist id and version the answers were given against.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub checklist: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// The checklist version the user chose to go on using after its last usable day
    /// (`ftr set accept-past-window yes`); while it names the loaded version, using that
    /// version past its window is a warning instead of an error.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub accept_past_window: String,
}

/// The start of the message when an array (or a plain value) stands where a table belongs.
pub const NOT_A_TABLE: &str = "a table such as";

/// A struct that the project file holds as a table of named values. serde's derived code would
/// also take an array and fill the fields in order (`profile = ["Acme", "W"]` read as a company
/// and a product); these types refuse anything but a table, and the error names the field.
pub(crate) trait FromTable: Sized {
    /// How the table looks, for the error message.
    const LOOKS_LIKE: &'static str;
    /// The derived deserializer, given a table.
    fn from_table<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

pub(crate) fn table_only<'de, D: Deserializer<'de>, T: FromTable>(d: D) -> Result<T, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: FromTable> de::Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{NOT_A_TABLE} {}", T::LOOKS_LIKE)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_table(de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(V(std::marker::PhantomData))
}

/// Serialize and Deserialize for a struct derived with `#[serde(remote = "Self")]`: written as
/// derived, read only from a table.
macro_rules! table_impls {
    ($t:ty, $looks_like:expr) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$t>::serialize(self, s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                $crate::assessment::table_only(d)
            }
        }
        impl $crate::assessment::FromTable for $t {
            const LOOKS_LIKE: &'static str = $looks_like;
            fn from_table<'de, D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                <$t>::deserialize(d)
            }
        }
    };
}
pub(crate) use table_impls;

table_impls!(Profile, "[profile] with company = \"...\" on its own line");
table_impls!(Delivery, "[delivery] with model = \"...\" on its own line");
table_impls!(
    Answer,
    "[answers.CHECKLIST.CONTROL] with status = \"...\" on its own line"
);
table_impls!(
    Remediation,
    "[answers.CHECKLIST.CONTROL.remediation] with what = \"...\" on its own line"
);

/// A prerequisite answer: yes/no, or a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrereqAnswer {
    Yes(bool),
    Count(u32),
}

impl Serialize for PrereqAnswer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            PrereqAnswer::Yes(b) => s.serialize_bool(b),
            PrereqAnswer::Count(n) => s.serialize_u32(n),
        }
    }
}

impl<'de> Deserialize<'de> for PrereqAnswer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PrereqAnswer, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = PrereqAnswer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true or false, or a whole number such as 12")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<PrereqAnswer, E> {
                Ok(PrereqAnswer::Yes(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PrereqAnswer, E> {
                u32::try_from(v)
                    .map(PrereqAnswer::Count)
                    .map_err(|_| E::custom(format!("{v} is not a count from 0 to 4294967295")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PrereqAnswer, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }
        }
        d.deserialize_any(V)
    }
}

/// Where a control stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Unanswered,
    Met,
    NotMet,
    NotApplicable,
}

impl Status {
    pub fn is_unanswered(&self) -> bool {
        *self == Status::Unanswered
    }

    pub const ALL: [Status; 4] = [
        Status::Unanswered,
        Status::Met,
        Status::NotMet,
        Status::NotApplicable,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::Unanswered => "unanswered",
            Status::Met => "met",
            Status::NotMet => "not-met",
            Status::NotApplicable => "not-applicable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Unanswered => "unanswered",
            Status::Met => "met",
            Status::NotMet => "not met",
            Status::NotApplicable => "not applicable",
        }
    }

    /// Accepts the words people type: `met`, `not-met`, `na`, `n/a`, `not-applicable`, …
    pub fn parse(text: &str) -> Option<Status> {
        let t = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        match t.as_str() {
            "unanswered" | "none" | "clear" => Some(Status::Unanswered),
            "met" | "yes" | "pass" => Some(Status::Met),
            "not-met" | "notmet" | "no" | "gap" | "fail" => Some(Status::NotMet),
            "na" | "n/a" | "not-applicable" => Some(Status::NotApplicable),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Reads yes/no words: yes, no, y, n, true, false.
pub fn parse_yes_no(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "on" => Some(true),
        "no" | "n" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// The words that clear an answer: `unset`, `unanswered`, or nothing.
fn is_unset(value: &str) -> bool {
    matches!(value.trim(), "unset" | "unanswered" | "")
}

/// What needs doing to close a gap.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Remediation {
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub owner: String,
    pub due: Option<Date>,
}

impl Remediation {
    /// Nothing at all was written: a plan of only spaces is still kept, so a
    /// project loads back exactly as it was saved.
    pub fn is_empty(&self) -> bool {
        self.what.is_empty() && self.owner.is_empty() && self.due.is_none()
    }
}

/// The user's answer to one control.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Answer {
    /// Left out while unanswered, so a control not yet answered is a one-line table.
    #[serde(default, skip_serializing_if = "Status::is_unanswered")]
    pub status: Status,
    /// The answers to the control's rows in AWS's workbook, by row id (`HOST-001.1 = "Yes"`),
    /// as the row's list spells them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rows: BTreeMap<String, String>,
    /// The text a reviewer reads.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub response: String,
    /// Notes for the team; not part of the submission text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Why the control does not apply.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The control's required values by key, as typed (`rpo = "4h"`); checked when given,
    /// and written into the response in their canonical form (`4 hours`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Remediation::is_empty")]
    pub remediation: Remediation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Set by a migration when the control was reworded (`ID@VERSION` it was reworded in):
    /// the answer needs a second look before it is submitted again.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub review: String,
}

impl Answer {
    pub fn is_empty(&self) -> bool {
        *self == Answer::default()
    }
}

/// A text of an answer that people write in their own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerField {
    Response,
    Notes,
    Reason,
    /// What the remediation plan will do.
    PlanWhat,
    /// Who owns the remediation plan.
    PlanOwner,
}

impl AnswerField {
    /// In the order the project file writes them.
    pub const ALL: [AnswerField; 5] = [
        AnswerField::Response,
        AnswerField::Notes,
        AnswerField::Reason,
        AnswerField::PlanWhat,
        AnswerField::PlanOwner,
    ];

    /// Its name under the control's table in the project file: `response`, `remediation.what`.
    pub fn key(self) -> &'static str {
        match self {
            AnswerField::Response => "response",
            AnswerField::Notes => "notes",
            AnswerField::Reason => "reason",
            AnswerField::PlanWhat => "remediation.what",
            AnswerField::PlanOwner => "remediation.owner",
        }
    }

    /// Its text in `answer`.
    pub fn text(self, answer: &Answer) -> &str {
        match self {
            AnswerField::Response => &answer.response,
            AnswerField::Notes => &answer.notes,
            AnswerField::Reason => &answer.reason,
            AnswerField::PlanWhat => &answer.remediation.what,
            AnswerField::PlanOwner => &answer.remediation.owner,
        }
    }

    /// Its text in `answer`, to change.
    pub fn text_mut(self, answer: &mut Answer) -> &mut String {
        match self {
            AnswerField::Response => &mut answer.response,
            AnswerField::Notes => &mut answer.notes,
            AnswerField::Reason => &mut answer.reason,
            AnswerField::PlanWhat => &mut answer.remediation.what,
            AnswerField::PlanOwner => &mut answer.remediation.owner,
        }
    }
}

/// How a control stands once scoping is taken into account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applicability {
    Applies,
    /// Switched off by a scoping answer; the text says which and why.
    ScopedOut {
        question: String,
        reason: String,
    },
}

/// The checklist the project answers, if its model is chosen and loaded: the version the
/// project names where it is installed, else the one in use for the model.
pub fn current_checklist<'a>(project: &Project, library: &'a Library) -> Option<&'a Checklist> {
    let model = project.delivery.model?;
    let d = &project.delivery;
    library
        .checklist(&d.checklist)
        .filter(|c| c.version == d.version)
        .or_else(|| library.version(&d.checklist, &d.version))
        .or_else(|| library.checklist(&d.checklist))
        .filter(|c| c.model == model)
        .or_else(|| library.for_model(model))
}

/// The version the project's answers were given against, when it is not installed (another
/// version of its checklist is loaded in its place): the readiness check reports it as an
/// error and checks nothing against the other version, and every command warns of it.
pub fn missing_version<'a>(project: &'a Project, library: &Library) -> Option<&'a str> {
    let d = &project.delivery;
    let loaded = current_checklist(project, library)?;
    (!d.version.is_empty() && loaded.version != d.version).then_some(d.version.as_str())
}

/// The warning every command gives for a project whose version is not installed.
pub fn missing_version_warning(project: &Project, library: &Library) -> Option<String> {
    let version = missing_version(project, library)?;
    let d = &project.delivery;
    Some(format!(
        "the project answers {} {version}, which is not installed, so its answers are not checked; install it (ftr checklists add FILE, a teammate who has it can share the file)",
        d.checklist
    ))
}

/// The checklist for a delivery model, or an error that says how to get one.
pub fn checklist_for(library: &Library, model: Model) -> Result<&Checklist, Error> {
    library.for_model(model).ok_or_else(|| {
        Error::blocked(
            format!("no checklist is loaded for the {model} model"),
            "load content that has one with --content DIR",
        )
    })
}

impl Project {
    pub fn new() -> Project {
        Project {
            schema_version: SCHEMA_VERSION,
            profile: Profile::default(),
            delivery: Delivery::default(),
            submission: deadlines::Submission::default(),
            scoping: BTreeMap::new(),
            prerequisites: BTreeMap::new(),
            workbook: BTreeMap::new(),
            answers: BTreeMap::new(),
            scans: Vec::new(),
            migrations: Vec::new(),
            conflicts: Vec::new(),
            layout: Layout::default(),
        }
    }

    /// What the imported scans matched to `checklist` found for `control`, the newest first.
    pub fn hints(&self, checklist: &str, control: &str) -> Vec<scan::Hint<'_>> {
        let mut hints: Vec<scan::Hint<'_>> = self
            .scans
            .iter()
            .filter(|s| s.checklist.is_empty() || s.checklist == checklist)
            .filter_map(|s| {
                Some(scan::Hint {
                    scan: s,
                    result: s.controls.get(control)?,
                })
            })
            .collect();
        hints.sort_by_key(|h| std::cmp::Reverse(h.scan.scanned));
        hints
    }

    /// "Company: Product" (or either alone), else the file's name: how screens name a project.
    pub fn title(&self, path: &std::path::Path) -> String {
        match (self.profile.company.trim(), self.profile.product.trim()) {
            ("", "") => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            (c, "") => c.to_string(),
            ("", p) => p.to_string(),
            (c, p) => format!("{c}: {p}"),
        }
    }

    /// Picks the delivery model and the checklist that goes with it. Answers given to other
    /// checklists stay in the file.
    pub fn choose_model(&mut self, checklist: &Checklist, confirmed: bool) {
        self.delivery.model = Some(checklist.model);
        self.delivery.confirmed = confirmed;
        self.delivery.checklist = checklist.id.clone();
        self.delivery.version = checklist.version.clone();
        self.layout = Layout::of(checklist);
    }

    pub fn answer(&self, checklist: &str, control: &str) -> Option<&Answer> {
        self.answers.get(checklist)?.get(control)
    }

    pub fn answer_mut(&mut self, checklist: &str, control: &str) -> &mut Answer {
        self.answers
            .entry(checklist.to_string())
            .or_default()
            .entry(control.to_string())
            .or_default()
    }

    /// Drops an answer that holds nothing, so the file keeps no empty tables.
    pub fn tidy(&mut self, checklist: &str, control: &str) {
        if let Some(map) = self.answers.get_mut(checklist) {
            if map.get(control).is_some_and(Answer::is_empty) {
                map.remove(control);
            }
            if map.is_empty() {
                self.answers.remove(checklist);
            }
        }
    }

    /// Records, on `today`, that a project read from schema version `read` now answers its
    /// controls in AWS's workbook rows: its statuses stand and its rows start unanswered. Only a
    /// project with answers to a checklist whose workbook is known needs the record.
    pub fn record_rows_schema(&mut self, checklist: Option<&Checklist>, read: u32, today: Date) {
        let answered = checklist.is_some_and(|c| {
            c.has_rows() && self.answers.get(&c.id).is_some_and(|a| !a.is_empty())
        });
        if read >= ROWS_SINCE || !answered {
            return;
        }
        self.migrations.push(migrate::Migration {
            checklist: migrate::PROJECT_FILE.into(),
            from: format!("schema {read}"),
            to: format!("schema {}", SCHEMA_VERSION),
            on: today,
            note:
                "controls are answered in the rows of AWS's workbook: statuses kept, rows to answer"
                    .into(),
        });
    }

    /// Whether scoping switches `control` off, and by which answer.
    pub fn applicability(&self, checklist: &Checklist, control: &Control) -> Applicability {
        for q in &checklist.scoping {
            let Some(&answer) = self.scoping.get(&q.id) else {
                continue;
            };
            if q.switched_off(answer).contains(&control.id) {
                let word = if answer { "yes" } else { "no" };
                return Applicability::ScopedOut {
                    question: q.id.clone(),
                    reason: format!("Scoping: \"{}\" answered {word}.", q.question),
                };
            }
        }
        Applicability::Applies
    }

    /// The status a reader sees: a control switched off by scoping counts as not applicable.
    pub fn effective_status(&self, checklist: &Checklist, control: &Control) -> Status {
        match self.applicability(checklist, control) {
            Applicability::ScopedOut { .. } => Status::NotApplicable,
            Applicability::Applies => self
                .answer(&checklist.id, &control.id)
                .map_or(Status::Unanswered, |a| a.status),
        }
    }

    /// The reason a control does not apply: the scoping answer, else the user's own reason.
    pub fn not_applicable_reason(&self, checklist: &Checklist, control: &Control) -> String {
        match self.applicability(checklist, control) {
            Applicability::ScopedOut { reason, .. } => reason,
            Applicability::Applies => self
                .answer(&checklist.id, &control.id)
                .map(|a| a.reason.clone())
                .unwrap_or_default(),
        }
    }

    /// The answers that are submitted: those of `checklist` to controls that apply, in
    /// checklist order. Answers to controls switched off by scoping, to other checklists and
    /// to unknown ids are kept in the file but never leave it.
    pub fn submitted_answers<'a>(
        &'a self,
        checklist: &'a Checklist,
    ) -> impl Iterator<Item = (&'a Control, &'a Answer)> + 'a {
        checklist.controls.iter().filter_map(move |control| {
            if let Applicability::ScopedOut { .. } = self.applicability(checklist, control) {
                return None;
            }
            Some((control, self.answer(&checklist.id, &control.id)?))
        })
    }

    /// Answers to control ids that `checklist` does not have (kept, and reported).
    pub fn orphan_answers<'a>(&'a self, checklist: &'a Checklist) -> Vec<&'a str> {
        self.answers
            .get(&checklist.id)
            .into_iter()
            .flat_map(|m| m.keys())
            .filter(|id| !checklist.controls.iter().any(|c| c.id == **id))
            .map(String::as_str)
            .collect()
    }
}

impl Default for Project {
    fn default() -> Project {
        Project::new()
    }
}
