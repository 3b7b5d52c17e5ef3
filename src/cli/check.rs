//! `ftr check`: what a reviewer would send back, as text or `--json`; exit 1 when not ready.
//!
//! Imports `output` and `scans`.

use std::path::Path;

use serde::Serialize;

use super::output::{ById, Outcome, SheetReport, exit, plural, sorted, to_json};
use super::scans::{self, HintReport, ScanReport};
use crate::assessment::edit;
use crate::assessment::readiness::{self, Finding};
use crate::content::Library;
use crate::dates::Clock;
use crate::error::Error;
use crate::safe::terminal;
use crate::store;

/// `ftr check [--json]` on the project at `path`.
pub(super) fn run(
    path: &Path,
    library: &Library,
    json: bool,
    clock: &Clock,
) -> Result<Outcome, Error> {
    let loaded = store::load(path, library)?;
    let today = clock.today();
    let report = readiness::check(&loaded.project, library, &loaded.dir(), today);
    let checklist = edit::current_checklist(&loaded.project, library);
    let check = CheckReport {
        errors: report.errors,
        findings: &report.findings,
        hints: checklist.map(|c| scans::hint_reports(&loaded.project, c, today)),
        ready: report.ready,
        scans: checklist.map(|_| scans::scan_reports(&loaded.project)),
        sheet: checklist.map(|c| {
            crate::assessment::grade::predict(&loaded.project, c).map(|p| SheetReport::of(&p))
        }),
        warnings: report.warnings,
    };
    Ok(Outcome {
        stdout: if json { to_json(&check)? } else { check.text() },
        code: if check.ready {
            exit::OK
        } else {
            exit::NOT_READY
        },
    })
}

/// The readiness report, with the scans' hints and AWS's predicted sheet when the project has
/// a checklist (the three keys are left out when it has none).
#[derive(Serialize)]
struct CheckReport<'a> {
    errors: usize,
    #[serde(serialize_with = "sorted")]
    findings: &'a [Finding],
    #[serde(skip_serializing_if = "Option::is_none")]
    hints: Option<ById<Vec<HintReport<'a>>>>,
    ready: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    scans: Option<Vec<ScanReport<'a>>>,
    /// Outer: whether there is a checklist; inner: whether its workbook is known (null if not).
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<Option<SheetReport>>,
    warnings: usize,
}

impl CheckReport<'_> {
    fn text(&self) -> String {
        let mut out = self.findings_text();
        if let (Some(scans), Some(hints)) = (&self.scans, &self.hints) {
            out.push_str(&scans::text(scans, hints));
        }
        if let Some(Some(sheet)) = &self.sheet {
            out.push_str(&sheet.line());
        }
        out
    }

    /// Each finding with its fix, then the verdict.
    fn findings_text(&self) -> String {
        let mut out = String::new();
        for f in self.findings {
            out.push_str(&format!(
                "{:<7} {}\n",
                f.severity.label(),
                terminal(&f.message)
            ));
            out.push_str(&format!("        fix: {}\n", terminal(&f.fix.words())));
            if let Some(cmd) = f.fix.command_line() {
                out.push_str(&format!("             {}\n", terminal(&cmd)));
            }
        }
        if !self.findings.is_empty() {
            out.push('\n');
        }
        if self.ready {
            out.push_str(&format!(
                "Ready: no blocking findings ({} warning{}).\n",
                self.warnings,
                plural(self.warnings)
            ));
        } else {
            out.push_str(&format!(
                "Not ready: {} error{} and {} warning{}.\n",
                self.errors,
                plural(self.errors),
                self.warnings,
                plural(self.warnings)
            ));
        }
        out
    }
}
