//! The FTR checklists as data: loading, validation and look-up.
//!
//! Checklists are TOML files (format in `content/README.md`). The files under `content/` are
//! embedded into the binary; a folder given with `--content` replaces them. Nothing here knows
//! about a user's project or the terminal.
//! Reading a content folder and the installed checklists from disk is `store::catalog`'s.
//!
//! Layer: `content` (checklists as data, no disk). May import: `dates`, `error`, `safe`, `util`.

pub mod diff;
mod raw;
pub mod sheet;
pub mod values;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::error::{Error, Located};
pub(crate) use raw::parse_checklist;
pub use sheet::{Rule, SheetRow};
pub use values::{RequiredValue, ValueKind};

/// The three Well-Architected pillars the FTR covers, in the order the wizard asks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    Security,
    Reliability,
    OperationalExcellence,
}

impl Domain {
    pub const ALL: [Domain; 3] = [
        Domain::Security,
        Domain::Reliability,
        Domain::OperationalExcellence,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Domain::Security => "Security",
            Domain::Reliability => "Reliability",
            Domain::OperationalExcellence => "Operational Excellence",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Domain::Security => "security",
            Domain::Reliability => "reliability",
            Domain::OperationalExcellence => "operational-excellence",
        }
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How the software reaches the customer; it decides which checklist applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    PartnerHosted,
    CustomerDeployed,
    Alternative,
}

impl Model {
    pub const ALL: [Model; 3] = [
        Model::PartnerHosted,
        Model::CustomerDeployed,
        Model::Alternative,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Model::PartnerHosted => "partner-hosted",
            Model::CustomerDeployed => "customer-deployed",
            Model::Alternative => "alternative",
        }
    }

    pub fn parse(text: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.key() == text)
    }

    /// One line that helps a founder pick the right model.
    pub fn explain(self) -> &'static str {
        match self {
            Model::PartnerHosted => {
                "You run the software for customers in AWS accounts you own (SaaS, also single-tenant)."
            }
            Model::CustomerDeployed => {
                "Customers deploy the software into their own AWS accounts from your deployment guide."
            }
            Model::Alternative => {
                "Partner-hosted products only: you hold a current SOC 2 Type II report or a recent Well-Architected Framework Review."
            }
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One FTR control (or, on the alternative path, one check of the report).
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub section: String,
    pub domain: Domain,
    pub also: Option<Domain>,
    pub question: String,
    /// A fingerprint of the requirement as this checklist words it (`question`): the same
    /// id with another fingerprint in another version is a reworded control.
    pub fingerprint: String,
    pub guidance: String,
    pub evidence: bool,
    pub cadence: Option<Cadence>,
    pub provisional: bool,
    pub automated: Vec<String>,
    /// Concrete values the response must give (an RPO, the date of the last test), in the
    /// order they are asked and written.
    pub values: Vec<RequiredValue>,
    /// The control's answer rows in AWS's self-assessment workbook, in sheet order; empty
    /// where the checklist's workbook is not known, and then the control has a status alone.
    pub rows: Vec<SheetRow>,
    /// How the workbook's formulas grade the control from its rows; `Some` exactly when it has
    /// rows.
    pub pass: Option<Rule>,
}

impl Control {
    /// The required value `key` (any letter case).
    pub fn value(&self, key: &str) -> Option<&RequiredValue> {
        self.values.iter().find(|v| v.key.eq_ignore_ascii_case(key))
    }
}

/// How fresh a control's evidence must be.
#[derive(Debug, Clone, PartialEq)]
pub struct Cadence {
    pub days: u32,
    /// What is done how often, to follow "the control expects", "AWS recommends" or "this
    /// wizard's default is": "an identity audit every quarter".
    pub label: String,
    /// Who sets the interval.
    pub basis: CadenceBasis,
}

/// Who sets a control's cadence: every message about it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CadenceBasis {
    /// The AWS text names the interval.
    #[default]
    AwsRule,
    /// The AWS text recommends the interval without requiring it.
    AwsRecommended,
    /// The AWS text asks for something regular without an interval; this one is the wizard's.
    WizardDefault,
}

impl Cadence {
    /// The end of a message about stale evidence: "the control expects an identity audit
    /// every quarter", "this wizard's default is … (AWS sets no interval)".
    pub fn rule(&self) -> String {
        match self.basis {
            CadenceBasis::AwsRule => format!("the control expects {}", self.label),
            CadenceBasis::AwsRecommended => format!("AWS recommends {}", self.label),
            CadenceBasis::WizardDefault => format!(
                "this wizard's default is {} (AWS sets no interval)",
                self.label
            ),
        }
    }

    /// The label with who sets it, for a line of meta data: "an identity audit every
    /// quarter", "… (the wizard's default, not an AWS rule)".
    pub fn describe(&self) -> String {
        match self.basis {
            CadenceBasis::AwsRule => self.label.clone(),
            CadenceBasis::AwsRecommended => format!("{} (recommended by AWS)", self.label),
            CadenceBasis::WizardDefault => {
                format!("{} (the wizard's default, not an AWS rule)", self.label)
            }
        }
    }
}

/// A yes/no question that switches controls off when they cannot apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoping {
    pub id: String,
    pub question: String,
    pub help: String,
    pub off_when_no: Vec<String>,
    pub off_when_yes: Vec<String>,
}

impl Scoping {
    /// The controls this question switches off for the given answer.
    pub fn switched_off(&self, answer: bool) -> &[String] {
        if answer {
            &self.off_when_yes
        } else {
            &self.off_when_no
        }
    }

    /// Every control this question can switch off, whichever the answer.
    pub fn affects(&self) -> impl Iterator<Item = &String> {
        self.off_when_no.iter().chain(self.off_when_yes.iter())
    }
}

/// A date in a checklist's life. `approximate` when the source names only the month and the
/// day was worked out (AWS ends acceptance on the 27th of the month it names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: Date,
    pub approximate: bool,
}

impl fmt::Display for Day {
    /// `2026-11-27`, or `about 2026-11-27` when approximate.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.approximate {
            write!(f, "about {}", self.date)
        } else {
            write!(f, "{}", self.date)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Checklist {
    pub id: String,
    pub name: String,
    pub model: Model,
    pub version: String,
    /// The day AWS released this version.
    pub released: Option<Day>,
    /// The last day AWS accepts submissions on this version (the overlap with the next
    /// release included); `None` when no end is known.
    pub usable_until: Option<Day>,
    /// The version this one replaces.
    pub supersedes: Option<String>,
    /// The last day the version this one supersedes stays accepted.
    pub previous_accepted_until: Option<Day>,
    /// The day someone last confirmed this is still AWS's current version (for a checklist
    /// with no known end).
    pub last_verified: Option<Date>,
    /// The control ids are this tool's own, not the ids of AWS's checklist; every export
    /// marks them so.
    pub own_ids: bool,
    pub summary: String,
    pub sources: Vec<String>,
    /// What AWS said about how FTR requests are made, and the day it said it: shown where the
    /// export says where each file goes.
    pub notice: Option<(String, Date)>,
    /// How many days a security tool report (a scan's results) counts as fresh; `None`: its
    /// age is not checked.
    pub scan_freshness_days: Option<u32>,
    pub scoping: Vec<Scoping>,
    pub controls: Vec<Control>,
    /// The workbook's rows that belong to no control: the CIS report, general availability,
    /// and the gates a whole group of controls passes on.
    pub sheet_rows: Vec<SheetRow>,
    /// Where the checklist was read from (`content/…` for embedded files).
    pub origin: String,
}

/// The release AWS would publish after `version`: `2026-02` → `2026-08`, `2026-08` →
/// `2027-02` (releases come about every February and August); any other version gets `-next`.
pub fn next_version(version: &str) -> String {
    let parsed = version.split_once('-').and_then(|(y, m)| {
        let year: u32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        (y.len() == 4 && m.len() == 2 && (1..=12).contains(&month)).then_some((year, month))
    });
    match parsed {
        Some((year, month)) if month < 8 => format!("{year}-08"),
        Some((year, _)) => format!("{}-02", year + 1),
        None => format!("{version}-next"),
    }
}

/// Versions compared by their numbers (`2026-10` after `2026-9`), then as text.
pub fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    let numbers = |v: &str| -> Vec<u64> {
        v.split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().unwrap_or(u64::MAX))
            .collect()
    };
    numbers(a).cmp(&numbers(b)).then_with(|| a.cmp(b))
}

/// The first 16 hex digits of the SHA-256 of `text` with its white space folded: a change of
/// layout is no rewording, a changed word is.
pub fn requirement_fingerprint(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let folded: Vec<&str> = text.split_whitespace().collect();
    let digest = Sha256::digest(folded.join(" ").as_bytes());
    crate::util::hex(&digest[..8])
}

impl Checklist {
    /// `ID@VERSION`, as the command line names it.
    pub fn spec(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// Whether this version comes after `other`'s: by release date where both have one,
    /// else by version text (`2026-08` after `2026-02`).
    pub fn is_newer_than(&self, other: &Checklist) -> bool {
        match (
            self.released.map(|d| d.date),
            other.released.map(|d| d.date),
        ) {
            (Some(a), Some(b)) if a != b => a > b,
            _ => version_order(&self.version, &other.version) == std::cmp::Ordering::Greater,
        }
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// Whether the checklist's workbook is known, so its controls are answered in rows.
    pub fn has_rows(&self) -> bool {
        self.controls.iter().any(|c| !c.rows.is_empty())
    }

    /// The workbook row `id` (any letter case): a control's, or one of the checklist's own.
    pub fn row(&self, id: &str) -> Option<&SheetRow> {
        self.controls
            .iter()
            .flat_map(|c| &c.rows)
            .chain(&self.sheet_rows)
            .find(|r| r.id.eq_ignore_ascii_case(id.trim()))
    }

    /// The control a workbook row belongs to.
    pub fn row_owner(&self, row: &str) -> Option<&Control> {
        self.controls
            .iter()
            .find(|c| c.rows.iter().any(|r| r.id.eq_ignore_ascii_case(row.trim())))
    }

    pub fn scoping_question(&self, id: &str) -> Option<&Scoping> {
        self.scoping.iter().find(|s| s.id == id)
    }

    pub fn provisional_count(&self) -> usize {
        self.controls.iter().filter(|c| c.provisional).count()
    }

    pub fn count_in(&self, domain: Domain) -> usize {
        self.controls.iter().filter(|c| c.domain == domain).count()
    }

    /// The window in words: "released 2026-02-26, usable until about 2026-11-27".
    pub fn window(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = self.released {
            parts.push(format!("released {r}"));
        }
        match self.usable_until {
            Some(u) => parts.push(format!("usable until {u}")),
            None if self.released.is_some() => parts.push("no end date known".into()),
            None => {}
        }
        if let Some(v) = self.last_verified {
            parts.push(format!("last verified {v}"));
        }
        parts.join(", ")
    }

    /// A control id as an export shows it: marked when the ids are this tool's own.
    pub fn shown_id(&self, id: &str) -> String {
        if self.own_ids {
            format!("{id} {OWN_ID_MARK}")
        } else {
            id.to_string()
        }
    }
}

/// What follows a control id of a checklist whose ids are this tool's own.
pub const OWN_ID_MARK: &str = "(not a checklist ID)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrerequisiteKind {
    YesNo,
    Count,
}

/// A programme prerequisite: a readiness item that is not an FTR control.
#[derive(Debug, Clone, PartialEq)]
pub struct Prerequisite {
    pub id: String,
    pub title: String,
    pub question: String,
    pub kind: PrerequisiteKind,
    pub minimum: Option<u32>,
    pub confirmed: bool,
    pub guidance: String,
}

/// Every checklist and prerequisite the program knows.
#[derive(Debug, Clone)]
pub struct Library {
    /// The checklist in use for each delivery model: the current one on today's date, unless
    /// a project names another installed version (see [`Library::version`]).
    pub checklists: Vec<Checklist>,
    /// Every version known, built in (or from `--content`) and installed with
    /// `ftr checklists add`, the ones in `checklists` included.
    pub catalog: Vec<Checklist>,
    pub prerequisites: Vec<Prerequisite>,
    /// `None` for the embedded content, else the folder it came from.
    pub folder: Option<PathBuf>,
    /// Installed checklists left out, each with why and what to do: shown as warnings.
    pub problems: Vec<String>,
}

/// The file of a content folder that holds the prerequisites rather than a checklist.
pub const PREREQUISITES_FILE: &str = "prerequisites.toml";

/// The files under `content/`, compiled into the binary.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "partner-hosted.toml",
        include_str!("../../content/partner-hosted.toml"),
    ),
    (
        "customer-deployed.toml",
        include_str!("../../content/customer-deployed.toml"),
    ),
    (
        "alternative.toml",
        include_str!("../../content/alternative.toml"),
    ),
];
const EMBEDDED_PREREQUISITES: &str = include_str!("../../content/prerequisites.toml");

/// The text of the built-in checklist file a checklist's `origin` names (`content/NAME`).
pub fn embedded_text(origin: &str) -> Option<&'static str> {
    let name = origin.strip_prefix("content/")?;
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

impl Library {
    /// The checklists compiled into the binary.
    pub fn embedded() -> Result<Library, Error> {
        let mut checklists = Vec::new();
        for (name, text) in EMBEDDED {
            checklists.push(raw::parse_checklist(&format!("content/{name}"), text)?);
        }
        let prerequisites = raw::parse_prerequisites(
            &format!("content/{PREREQUISITES_FILE}"),
            EMBEDDED_PREREQUISITES,
        )?;
        Library::assemble(checklists, prerequisites, None)
    }

    /// Checklists from the files of a content folder, each read with `read`, in the order
    /// given: every `*.toml` but `prerequisites.toml` is a checklist. Listing and reading the
    /// folder is `store`'s: see `Library::from_dir` in `store::catalog`.
    pub fn from_files(
        dir: &Path,
        files: Vec<PathBuf>,
        mut read: impl FnMut(&Path) -> Result<String, Error>,
    ) -> Result<Library, Error> {
        let mut checklists = Vec::new();
        let mut prerequisites = None;
        for path in files {
            let text = read(&path)?;
            let shown = path.display().to_string();
            if path.file_name().is_some_and(|n| n == PREREQUISITES_FILE) {
                prerequisites = Some(raw::parse_prerequisites(&shown, &text)?);
            } else {
                checklists.push(raw::parse_checklist(&shown, &text)?);
            }
        }
        if checklists.is_empty() {
            return Err(Error::invalid(Located {
                file: dir.display().to_string(),
                line: None,
                field: None,
                message: "the content folder holds no checklist (*.toml) file".into(),
                hint: "point --content (or FTR_CONTENT_DIR) at a folder of checklist files; \
                       the format is described in content/README.md"
                    .into(),
            }));
        }
        let prerequisites = match prerequisites {
            Some(p) => p,
            None => raw::parse_prerequisites(
                &format!("content/{PREREQUISITES_FILE}"),
                EMBEDDED_PREREQUISITES,
            )?,
        };
        Library::assemble(checklists, prerequisites, Some(dir.to_path_buf()))
    }

    fn assemble(
        checklists: Vec<Checklist>,
        prerequisites: Vec<Prerequisite>,
        folder: Option<PathBuf>,
    ) -> Result<Library, Error> {
        for (i, a) in checklists.iter().enumerate() {
            for b in &checklists[..i] {
                let clash = if a.id == b.id {
                    Some(format!("checklist id `{}`", a.id))
                } else if a.model == b.model {
                    Some(format!("delivery model `{}`", a.model))
                } else {
                    None
                };
                if let Some(what) = clash {
                    return Err(Error::invalid(Located {
                        file: a.origin.clone(),
                        line: None,
                        field: Some("checklist".into()),
                        message: format!("{what} is also used by {}", b.origin),
                        hint: "keep one checklist file per delivery model in the folder".into(),
                    }));
                }
            }
        }
        Ok(Library {
            problems: Vec::new(),
            catalog: checklists.clone(),
            checklists,
            prerequisites,
            folder,
        })
    }

    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.id == id)
    }

    /// The version `version` of checklist `id`, if known.
    pub fn version(&self, id: &str, version: &str) -> Option<&Checklist> {
        self.catalog
            .iter()
            .find(|c| c.id == id && c.version == version)
    }

    /// A checklist named `ID@VERSION`, or `ID` for the one in use.
    pub fn find(&self, spec: &str) -> Result<&Checklist, Error> {
        let spec = spec.trim();
        let (id, version) = match spec.split_once('@') {
            Some((id, v)) => (id.trim(), Some(v.trim())),
            None => (spec, None),
        };
        let known = || {
            self.catalog
                .iter()
                .map(Checklist::spec)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let found = match version {
            Some(v) => self.version(id, v),
            None => self.checklist(id),
        };
        found.ok_or_else(|| {
            Error::input(
                format!("no checklist `{spec}` is installed"),
                format!(
                    "name one as ID@VERSION or ID: {}; `ftr checklists add DIR` installs another",
                    known()
                ),
            )
        })
    }

    /// The newest version of `checklist`'s id released by `today` (a version with no
    /// `released` date is never current), when it is newer.
    pub fn newer(&self, checklist: &Checklist, today: Date) -> Option<&Checklist> {
        self.catalog
            .iter()
            .filter(|c| c.id == checklist.id && c.model == checklist.model)
            .filter(|c| c.released.is_some_and(|d| d.date <= today))
            .filter(|c| c.is_newer_than(checklist))
            .reduce(|a, b| if b.is_newer_than(a) { b } else { a })
    }

    /// Adds `found` (the checklists installed in the user's data folder, read by
    /// `Library::add_installed` in `store::catalog`) to the catalog, with the `problems` met
    /// reading them, and makes the newest version released by `today` the one in use for its
    /// model. One that gives a known id another model is left out and named in `problems`.
    pub fn add_versions(&mut self, found: Vec<Checklist>, problems: Vec<String>, today: Date) {
        self.problems.extend(problems);
        for c in found {
            if let Some(kept) = self.version(&c.id, &c.version) {
                let whose = if embedded_text(&kept.origin).is_some() {
                    format!("the checklist built into ftr ({})", kept.origin)
                } else {
                    format!("the checklist loaded from {}", kept.origin)
                };
                self.problems.push(format!(
                    "the installed checklist {} is {}, the id and version of {whose}; that one is used and this file is ignored: delete it, or if it is another release give it its own version and install it with `ftr checklists add FILE`",
                    c.origin,
                    c.spec()
                ));
                continue;
            }
            if let Some(model) = self
                .catalog
                .iter()
                .find(|k| k.id == c.id && k.model != c.model)
                .map(|k| k.model)
            {
                self.problems.push(format!(
                    "left out the installed checklist {}: `{}` is the {model} checklist, the file says {}; delete it",
                    c.origin, c.id, c.model
                ));
                continue;
            }
            self.catalog.push(c);
        }
        for i in 0..self.checklists.len() {
            if let Some(newer) = self.newer(&self.checklists[i], today).cloned() {
                self.checklists[i] = newer;
            }
        }
    }

    pub fn for_model(&self, model: Model) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.model == model)
    }

    pub fn prerequisite(&self, id: &str) -> Option<&Prerequisite> {
        self.prerequisites.iter().find(|p| p.id == id)
    }
}
