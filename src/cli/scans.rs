//! The imported scans and their hints per control, as `ftr status` and `ftr check` give them:
//! typed for `--json`, and the text printed from the same structs.
//!
//! Imports `output` only.

use serde::Serialize;

use super::output::{ById, plural};
use crate::assessment::Project;
use crate::assessment::scan::{Hint, Scan, Source};
use crate::content::Checklist;
use crate::dates::Date;
use crate::safe::terminal;

/// One imported scan.
#[derive(Serialize)]
pub(super) struct ScanReport<'a> {
    accounts: &'a [String],
    checklist: &'a str,
    /// How many controls it has results for.
    controls: usize,
    duplicates: u64,
    file: &'a str,
    imported: String,
    more_accounts: u64,
    more_regions: u64,
    not_in_checklist: &'a [String],
    regions: &'a [String],
    scanned: String,
    sha256: &'a str,
    size: u64,
    source: Source,
    tool: &'static str,
    unmapped: u64,
    /// The day it was scanned, as the text shows it.
    #[serde(skip)]
    day: Date,
    /// "account 123456789012, eu-west-1", as the text shows it.
    #[serde(skip)]
    coverage: String,
}

impl ScanReport<'_> {
    fn of(s: &Scan) -> ScanReport<'_> {
        ScanReport {
            accounts: &s.accounts,
            checklist: &s.checklist,
            controls: s.controls.len(),
            duplicates: s.duplicates,
            file: &s.file,
            imported: s.imported.to_string(),
            more_accounts: s.more_accounts,
            more_regions: s.more_regions,
            not_in_checklist: &s.not_in_checklist,
            regions: &s.regions,
            scanned: s.scanned.to_string(),
            sha256: &s.sha256,
            size: s.size,
            source: s.source,
            tool: s.source.tool(),
            unmapped: s.unmapped,
            day: s.scanned.date(),
            coverage: s.coverage(),
        }
    }
}

/// What one scan says of one control.
#[derive(Serialize)]
pub(super) struct HintReport<'a> {
    accounts: &'a [String],
    failed: u64,
    failing: &'a [String],
    file: &'a str,
    manual: u64,
    more_failing: u64,
    muted: u64,
    passed: u64,
    regions: &'a [String],
    scanned: String,
    sha256: &'a str,
    source: Source,
    /// "Prowler, 3 Aug: 12 passed, 1 failed: …"
    text: String,
    tool: &'static str,
}

impl HintReport<'_> {
    fn of<'a>(h: &Hint<'a>, today: Date) -> HintReport<'a> {
        let r = h.result;
        HintReport {
            accounts: &h.scan.accounts,
            failed: r.failed,
            failing: &r.failing,
            file: &h.scan.file,
            manual: r.manual,
            more_failing: r.more_failing,
            muted: r.muted,
            passed: r.passed,
            regions: &h.scan.regions,
            scanned: h.scan.scanned.to_string(),
            sha256: &h.scan.sha256,
            source: h.scan.source,
            text: h.line(today),
            tool: h.scan.source.tool(),
        }
    }
}

/// Every imported scan of `project`, in the project's order.
pub(super) fn scan_reports(project: &Project) -> Vec<ScanReport<'_>> {
    project.scans.iter().map(ScanReport::of).collect()
}

/// The hints of the scans for each control of `checklist` that has any, in checklist order,
/// each control's newest scan first.
pub(super) fn hint_reports<'a>(
    project: &'a Project,
    checklist: &Checklist,
    today: Date,
) -> ById<Vec<HintReport<'a>>> {
    ById(
        checklist
            .controls
            .iter()
            .filter_map(|c| {
                let hints = project.hints(&checklist.id, &c.id);
                (!hints.is_empty()).then(|| {
                    let list = hints.iter().map(|h| HintReport::of(h, today)).collect();
                    (c.id.clone(), list)
                })
            })
            .collect(),
    )
}

/// The scans and the hints that fail a control, as `ftr status` and `ftr check` print them;
/// nothing when no scan was imported.
pub(super) fn text(scans: &[ScanReport], hints: &ById<Vec<HintReport>>) -> String {
    if scans.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nScans imported (hints, never answers):\n");
    for s in scans {
        out.push_str(&format!(
            "  {} {} ({}{}{}), {} control{}\n",
            s.tool,
            s.day,
            terminal(s.file),
            if s.coverage.is_empty() { "" } else { "; " },
            terminal(&s.coverage),
            s.controls,
            plural(s.controls)
        ));
    }
    let failing: Vec<(&str, &str)> = hints
        .iter()
        .flat_map(|(id, hints)| {
            hints
                .iter()
                .filter(|h| h.failed > 0)
                .map(move |h| (id.as_str(), h.text.as_str()))
        })
        .collect();
    if !failing.is_empty() {
        out.push_str("Controls a scan fails:\n");
        for (id, line) in failing {
            out.push_str(&format!("  {:<12} {}\n", terminal(id), terminal(line)));
        }
    }
    out
}
