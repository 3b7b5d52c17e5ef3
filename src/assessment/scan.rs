//! Scanner results kept in the project: what Prowler, Security Hub or Service Screener found
//! per control. They are hints beside a control and evidence a reviewer can check, never an
//! answer: a person still decides met or not met.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dates::{Date, Timestamp};

/// Failing resources kept per control; the rest are counted.
pub const FAILING_KEPT: usize = 10;
/// Accounts or Regions kept per scan; the rest are counted.
pub const PLACES_KEPT: usize = 50;
/// Results per control, check, account and Region kept per scan ([`Part`]); a scan with more
/// keeps none, and is replaced as a whole.
pub const PARTS_KEPT: usize = 2000;

/// The tool and file format a scan came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Prowler's compliance CSV for the FTR framework.
    ProwlerCsv,
    /// Prowler's OCSF JSON.
    ProwlerOcsf,
    /// `aws securityhub get-findings` output.
    SecurityHub,
    /// Service Screener's `api-full.json`.
    ServiceScreenerJson,
    /// Service Screener's `FTR.html` page.
    ServiceScreenerHtml,
}

impl Source {
    /// The tool, as a person names it.
    pub fn tool(self) -> &'static str {
        match self {
            Source::ProwlerCsv | Source::ProwlerOcsf => "Prowler",
            Source::SecurityHub => "Security Hub",
            Source::ServiceScreenerJson | Source::ServiceScreenerHtml => "Service Screener",
        }
    }

    /// The tool and the format, e.g. "Prowler FTR compliance CSV".
    pub fn describe(self) -> &'static str {
        match self {
            Source::ProwlerCsv => "Prowler FTR compliance CSV",
            Source::ProwlerOcsf => "Prowler OCSF JSON",
            Source::SecurityHub => "Security Hub findings JSON",
            Source::ServiceScreenerJson => "Service Screener api-full.json",
            Source::ServiceScreenerHtml => "Service Screener FTR.html",
        }
    }

    /// Two formats of one tool replace each other's results.
    fn family(self) -> &'static str {
        self.tool()
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One imported scan file (`[[scans]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scan {
    pub source: Source,
    /// The checklist whose controls the scan was matched to; its hints show only there.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub checklist: String,
    /// Relative to the project file's folder when the file lives under it, else absolute.
    pub file: String,
    /// Lower-case hex SHA-256 of the file when imported.
    #[serde(deserialize_with = "super::evidence::sha256_hex")]
    pub sha256: String,
    pub size: u64,
    /// When the scan ran (the latest time the file records, else the file's modification
    /// time), never after `imported`.
    pub scanned: Timestamp,
    pub imported: Timestamp,
    /// The file records no scan time (or none that could be read): `scanned` is the file's
    /// modification time, or the import's time where that was later.
    #[serde(default, skip_serializing_if = "is_false")]
    pub dated_by_file_time: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    /// Accounts beyond those kept in `accounts`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_accounts: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_regions: u64,
    /// Requirement ids the scan reports that the checklist does not have (a retired ARC-003).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_in_checklist: Vec<String>,
    /// Findings that name no FTR control (Security Hub controls the checklist does not map).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unmapped: u64,
    /// Findings that repeated an earlier one and were counted once.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub duplicates: u64,
    /// Results per control id of the checklist.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub controls: BTreeMap<String, ControlResult>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What one scan found for one control (`[scans.controls.IAM-001]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlResult {
    #[serde(default)]
    pub passed: u64,
    #[serde(default)]
    pub failed: u64,
    /// Checks the tool cannot make: a person has to look.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub manual: u64,
    /// Muted (Prowler) or suppressed (Security Hub) findings, whatever their status.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub muted: u64,
    /// The first failing resources, ARNs as the tool gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<String>,
    /// Failing resources beyond those in `failing`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_failing: u64,
    /// The same results per check, account and Region: what a later scan of the same check in
    /// the same place replaces. Empty in a scan an older `ftr` imported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

/// What one check of a scan found for one control in one account and Region
/// (`[[scans.controls.IAM-001.parts]]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// The tool's check: Prowler's check id, a Security Hub control, a Service Screener
    /// sub-item.
    #[serde(default)]
    pub check: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub passed: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failed: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub manual: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub muted: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_failing: u64,
}

/// A check in an account and Region: what a later scan replaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    pub check: String,
    pub account: String,
    pub region: String,
}

impl Part {
    /// Adds `other`'s counts and failing resources to this part's.
    pub fn absorb(&mut self, other: Part) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.manual += other.manual;
        self.muted += other.muted;
        self.more_failing += other.more_failing;
        for arn in other.failing {
            if self.failing.contains(&arn) {
                continue;
            }
            if self.failing.len() < FAILING_KEPT {
                self.failing.push(arn);
            } else {
                self.more_failing += 1;
            }
        }
    }

    pub fn cell(&self) -> Cell {
        Cell {
            check: self.check.clone(),
            account: self.account.clone(),
            region: self.region.clone(),
        }
    }
}

impl ControlResult {
    /// Counts the totals again from the parts left: the failing resources they list, each
    /// once, up to [`FAILING_KEPT`]; the rest counted.
    fn recount(&mut self) {
        let parts = std::mem::take(&mut self.parts);
        let mut r = ControlResult::default();
        let mut seen = BTreeSet::new();
        for p in &parts {
            r.passed += p.passed;
            r.failed += p.failed;
            r.manual += p.manual;
            r.muted += p.muted;
            r.more_failing += p.more_failing;
            for arn in p.failing.iter().filter(|a| seen.insert(a.as_str())) {
                if r.failing.len() < FAILING_KEPT {
                    r.failing.push(arn.clone());
                } else {
                    r.more_failing += 1;
                }
            }
        }
        r.parts = parts;
        *self = r;
    }
}

/// What [`Scan::drop_cells`] took out of a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dropped {
    /// The checks, accounts and Regions whose results were dropped.
    pub cells: BTreeSet<Cell>,
    /// The controls whose results changed.
    pub controls: Vec<String>,
    /// Those of them left with no result at all.
    pub emptied: Vec<String>,
}

impl Scan {
    /// Same tool, same accounts: a newer scan of this kind replaces an older one that has no
    /// results per check (see [`Scan::by_check`]).
    pub fn same_kind(&self, other: &Scan) -> bool {
        self.same_tool(other)
            && self.accounts == other.accounts
            && self.more_accounts == other.more_accounts
    }

    /// Both are from one tool, in any of its formats.
    pub fn same_tool(&self, other: &Scan) -> bool {
        self.source.family() == other.source.family()
    }

    /// Whether every result of the scan is kept per check, account and Region, so that a later
    /// scan can replace it check by check. Not so for a scan an older `ftr` imported, nor one
    /// with more than [`PARTS_KEPT`] parts: such a scan is replaced as a whole.
    pub fn by_check(&self) -> bool {
        !self.controls.is_empty() && self.controls.values().all(|r| !r.parts.is_empty())
    }

    /// The checks, accounts and Regions the scan has results for.
    pub fn cells(&self) -> BTreeSet<Cell> {
        self.controls
            .values()
            .flat_map(|r| r.parts.iter().map(Part::cell))
            .collect()
    }

    /// Drops the results of the checks, accounts and Regions in `cells`, counting each
    /// control's totals again from the rest; a control left with none is removed.
    pub fn drop_cells(&mut self, cells: &BTreeSet<Cell>) -> Dropped {
        let mut dropped = Dropped::default();
        for (id, r) in &mut self.controls {
            let before = r.parts.len();
            r.parts.retain(|p| {
                let cell = p.cell();
                let hit = cells.contains(&cell);
                if hit {
                    dropped.cells.insert(cell);
                }
                !hit
            });
            if r.parts.len() == before {
                continue;
            }
            dropped.controls.push(id.clone());
            if r.parts.is_empty() {
                dropped.emptied.push(id.clone());
            }
            r.recount();
        }
        self.controls.retain(|_, r| !r.parts.is_empty());
        dropped
    }

    /// Whether this scan is the later of the two: it ran after `other`, and its time is as good
    /// as `other`'s (a scan dated by a file's time is never later than one with a recorded
    /// time).
    pub fn newer_than(&self, other: &Scan) -> bool {
        self.scanned > other.scanned && (self.has_recorded_time() || !other.has_recorded_time())
    }

    /// Whether `scanned` is a time the scan file records. A scan dated by its file's time is
    /// not, nor one stored (by an older `ftr`) as scanned after the day it was imported.
    pub fn has_recorded_time(&self) -> bool {
        !self.dated_by_file_time && self.scanned.date() <= self.imported.date()
    }

    /// The accounts and Regions, in words: "123456789012, 2 Regions".
    pub fn coverage(&self) -> String {
        let mut parts = Vec::new();
        let accounts = self.accounts.len() as u64 + self.more_accounts;
        match (accounts, self.accounts.first()) {
            (0, _) => {}
            (1, Some(a)) => parts.push(format!("account {a}")),
            (n, _) => parts.push(format!("{n} account{}", if n == 1 { "" } else { "s" })),
        }
        let regions = self.regions.len() as u64 + self.more_regions;
        match (regions, self.regions.first()) {
            (0, _) => {}
            (1, Some(r)) => parts.push(r.clone()),
            (n, _) => parts.push(format!("{n} Region{}", if n == 1 { "" } else { "s" })),
        }
        parts.join(", ")
    }

    /// Days from the scan to `today`.
    pub fn age_days(&self, today: Date) -> i64 {
        self.scanned.date().days_until(today)
    }
}

/// One scan's result for a control, as shown beside it.
#[derive(Debug, Clone, Copy)]
pub struct Hint<'a> {
    pub scan: &'a Scan,
    pub result: &'a ControlResult,
}

impl Hint<'_> {
    /// "Prowler, 3 Aug: 12 passed, 1 failed: arn:…:user/alice". The year is shown when it is
    /// not `today`'s.
    pub fn line(&self, today: Date) -> String {
        let r = self.result;
        let mut counts = vec![
            format!("{} passed", r.passed),
            format!("{} failed", r.failed),
        ];
        if r.manual > 0 {
            counts.push(format!("{} manual", r.manual));
        }
        if r.muted > 0 {
            counts.push(format!("{} muted", r.muted));
        }
        let mut line = format!(
            "{}, {}: {}",
            self.scan.source.tool(),
            short_date(self.scan.scanned.date(), today),
            counts.join(", ")
        );
        if !r.failing.is_empty() {
            let shown: Vec<String> = r.failing.iter().take(3).map(|a| short_arn(a)).collect();
            line.push_str(": ");
            line.push_str(&shown.join(", "));
            let rest = (r.failing.len() - shown.len()) as u64 + r.more_failing;
            if rest > 0 {
                line.push_str(&format!(" and {rest} more"));
            }
        }
        line
    }
}

/// "3 Aug", or "3 Aug 2025" when not in `today`'s year.
pub fn short_date(date: Date, today: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d) = date.ymd();
    let month = MONTHS[usize::from(m.clamp(1, 12)) - 1];
    if y == today.ymd().0 {
        format!("{d} {month}")
    } else {
        format!("{d} {month} {y}")
    }
}

/// An ARN with its partition, service, Region and account folded: `arn:…:user/alice`.
/// Anything else is returned as it is.
pub fn short_arn(arn: &str) -> String {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() == 6 && parts[0] == "arn" {
        format!("arn:…:{}", parts[5])
    } else {
        arn.to_string()
    }
}

/// A requirement id as a checklist spells it: upper case, a sub-item (`IAM-002.1`) folded into
/// its control and Prowler's four-digit tens (`IAM-0012`) to three digits. `None` when the
/// text is not shaped like an id.
pub fn normalize_id(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (prefix, rest) = raw.split_once('-')?;
    // Letters, then letters or digits: IAM, NETSEC, S3.
    if !prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        || prefix.len() > 8
        || !prefix.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let digits = rest.split_once('.').map_or(rest, |(n, sub)| {
        if !sub.is_empty() && sub.bytes().all(|b| b.is_ascii_digit()) {
            n
        } else {
            // Not a sub-item: keep the whole, which then fails the digit test.
            rest
        }
    });
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    Some(format!("{}-{n:03}", prefix.to_ascii_uppercase()))
}

/// Words that say a response explains why a scan's failing result is accepted.
const EXCEPTION_WORDS: [&str; 10] = [
    "exception",
    "except",
    "exempt",
    "excluded",
    "false positive",
    "compensating",
    "accepted risk",
    "risk accepted",
    "suppressed",
    "muted",
];

/// Whether `response` explains a failing scan result: it says why the finding does not
/// count (an exception word not negated: "exception", but not "no exceptions"), or it names
/// every failing resource kept (its ARN, or the part after the last `/` or `:`).
pub fn explains_exception(response: &str, result: &ControlResult) -> bool {
    let lower = response.to_lowercase();
    let worded = EXCEPTION_WORDS
        .iter()
        .any(|w| lower.match_indices(w).any(|(at, _)| !negated(&lower[..at])));
    if worded {
        return true;
    }
    !result.failing.is_empty()
        && result.failing.iter().all(|arn| {
            let name = arn.rsplit(['/', ':']).next().unwrap_or(arn);
            lower.contains(&arn.to_lowercase())
                || (name.len() >= 3 && contains_word(&lower, &name.to_lowercase()))
        })
}

/// Whether the words just before end in a negation: "no", "without", "never" ...
fn negated(before: &str) -> bool {
    let last: Vec<&str> = before.split_whitespace().rev().take(2).collect();
    let last = last.first().copied().unwrap_or_default();
    ["no", "without", "zero", "never", "any", "none", "not"]
        .iter()
        .any(|n| last.trim_matches(|c: char| !c.is_alphanumeric()) == *n)
}

/// `needle` in `hay` not inside a longer word.
fn contains_word(hay: &str, needle: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_normalised() {
        assert_eq!(normalize_id("IAM-0012").as_deref(), Some("IAM-012"));
        assert_eq!(normalize_id("iam-001").as_deref(), Some("IAM-001"));
        assert_eq!(normalize_id("IAM-002.1").as_deref(), Some("IAM-002"));
        assert_eq!(normalize_id(" ARC-003 ").as_deref(), Some("ARC-003"));
        assert_eq!(normalize_id("S3-001").as_deref(), Some("S3-001"));
        assert_eq!(normalize_id("3S-001"), None);
        assert_eq!(normalize_id("IAM.5"), None);
        assert_eq!(normalize_id("IAM-"), None);
        assert_eq!(normalize_id("-001"), None);
        assert_eq!(normalize_id("IAM-1.x"), None);
    }

    fn part(check: &str, region: &str, passed: u64, failing: &[&str]) -> Part {
        Part {
            check: check.into(),
            account: "123456789012".into(),
            region: region.into(),
            passed,
            failed: failing.len() as u64,
            failing: failing.iter().map(|a| (*a).to_string()).collect(),
            ..Part::default()
        }
    }

    #[test]
    fn dropping_cells_counts_each_control_again_from_its_other_parts() {
        let mut r = ControlResult {
            parts: vec![
                part(
                    "s3_public",
                    "eu-west-1",
                    1,
                    &["arn:aws:s3:::a", "arn:aws:s3:::b"],
                ),
                part("s3_public", "us-east-1", 2, &[]),
                part(
                    "rds_encrypted",
                    "eu-west-1",
                    0,
                    &["arn:aws:s3:::b", "arn:rds"],
                ),
            ],
            ..ControlResult::default()
        };
        r.recount();
        assert_eq!((r.passed, r.failed, r.failing.len()), (3, 4, 3));
        let only = ControlResult {
            parts: vec![part("iam_mfa", "us-east-1", 2, &["arn:alice"])],
            ..r.clone()
        };
        let mut scan = Scan {
            source: Source::ProwlerCsv,
            checklist: String::new(),
            file: "full.csv".into(),
            sha256: String::new(),
            size: 0,
            scanned: Timestamp::from_unix(0).unwrap(),
            imported: Timestamp::from_unix(0).unwrap(),
            dated_by_file_time: false,
            accounts: vec!["123456789012".into()],
            more_accounts: 0,
            regions: Vec::new(),
            more_regions: 0,
            not_in_checklist: Vec::new(),
            unmapped: 0,
            duplicates: 0,
            controls: BTreeMap::from([("S3-001".into(), r), ("IAM-001".into(), only.clone())]),
        };
        assert!(scan.by_check());
        let gone = BTreeSet::from([part("s3_public", "eu-west-1", 0, &[]).cell()]);
        let dropped = scan.drop_cells(&gone);
        assert_eq!(dropped.controls, ["S3-001"]);
        assert!(dropped.emptied.is_empty());
        let s3 = &scan.controls["S3-001"];
        assert_eq!((s3.passed, s3.failed), (2, 2));
        assert_eq!(s3.failing, ["arn:aws:s3:::b", "arn:rds"]);
        assert_eq!(
            scan.controls["IAM-001"], only,
            "another check is left alone"
        );
        let dropped = scan.drop_cells(&only.parts.iter().map(Part::cell).collect());
        assert_eq!(dropped.emptied, ["IAM-001"]);
        assert_eq!(scan.controls.keys().collect::<Vec<_>>(), ["S3-001"]);
    }

    #[test]
    fn arns_are_folded() {
        assert_eq!(
            short_arn("arn:aws:iam::123456789012:user/alice"),
            "arn:…:user/alice"
        );
        assert_eq!(short_arn("User::alice"), "User::alice");
    }

    #[test]
    fn a_response_explains_by_resource_name_or_word() {
        let r = ControlResult {
            failed: 1,
            failing: vec!["arn:aws:iam::123456789012:user/alice".into()],
            ..ControlResult::default()
        };
        assert!(explains_exception(
            "The user alice is a break-glass account.",
            &r
        ));
        assert!(explains_exception("One documented exception remains.", &r));
        assert!(!explains_exception("Everyone uses MFA through Okta.", &r));
        assert!(!explains_exception("malice is not a name", &r));
        assert!(!explains_exception(
            "MFA for every user, with no exceptions.",
            &r
        ));
        assert!(!explains_exception("Enforced without exception.", &r));
        let two = ControlResult {
            failing: vec![
                "arn:aws:iam::123456789012:user/alice".into(),
                "arn:aws:iam::123456789012:user/bob".into(),
            ],
            ..r.clone()
        };
        assert!(!explains_exception("alice is the break-glass user.", &two));
        assert!(explains_exception(
            "alice and bob are break-glass users.",
            &two
        ));
    }
}
