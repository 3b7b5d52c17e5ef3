//! What follows a submission: the review's outcome, the six months AWS gives to fix its
//! findings, and the renewal after the FTR's validity.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dates::Date;

/// Months AWS gives to fix the findings of a review (Feb 2026 checklist page).
pub const REMEDIATION_MONTHS: u32 = 6;
/// Years an approved FTR is commonly said to stay valid; no AWS text confirms it.
pub const RENEWAL_YEARS: u32 = 3;
/// Days ahead a deadline is warned of.
pub const WARN_DAYS: i64 = 30;

/// The review's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Submitted, not yet reviewed.
    Pending,
    Approved,
    /// Reviewed with findings to fix.
    Findings,
}

impl Outcome {
    pub fn parse(text: &str) -> Option<Outcome> {
        match text.trim().to_ascii_lowercase().as_str() {
            "pending" => Some(Outcome::Pending),
            "approved" | "passed" | "pass" => Some(Outcome::Approved),
            "findings" | "action-required" | "action required" => Some(Outcome::Findings),
            _ => None,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Pending => "pending",
            Outcome::Approved => "approved",
            Outcome::Findings => "findings",
        })
    }
}

/// The `[submission]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The day the FTR was submitted in Partner Central.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The day the review's outcome came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Date>,
}

impl Submission {
    pub fn is_empty(&self) -> bool {
        *self == Submission::default()
    }
}

/// A date that follows from the submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// `remediation` or `renewal`.
    pub kind: &'static str,
    pub due: Date,
    /// Whether AWS text states the rule (the renewal period is not confirmed).
    pub confirmed: bool,
    /// What it is, in words.
    pub what: String,
}

/// The deadlines of `s`: fix the findings by six months after the review; renew three years
/// after an approval (unconfirmed by AWS text).
pub fn deadlines(s: &Submission) -> Vec<Deadline> {
    let Some(reviewed) = s.reviewed else {
        return Vec::new();
    };
    match s.outcome {
        Some(Outcome::Findings) => vec![Deadline {
            kind: "remediation",
            due: reviewed.add_months(REMEDIATION_MONTHS),
            confirmed: true,
            what: format!(
                "fix the review's findings within {REMEDIATION_MONTHS} months of the review ({reviewed}), else a new FTR may be needed"
            ),
        }],
        Some(Outcome::Approved) => vec![Deadline {
            kind: "renewal",
            due: reviewed.add_months(RENEWAL_YEARS * 12),
            confirmed: false,
            what: format!(
                "renew the FTR on the newest checklist, {RENEWAL_YEARS} years after the approval ({reviewed}; the period is commonly said, not confirmed by AWS text); a lapsed FTR takes the offering off the Partner Solution Finder"
            ),
        }],
        _ => Vec::new(),
    }
}
