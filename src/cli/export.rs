//! `ftr export`: write the submission bundle and the upload folder, and say what went in.
//!
//! Imports `output`.

use std::path::{Path, PathBuf};

use super::output::{Outcome, plural, shown};
use crate::assessment::readiness;
use crate::content::Library;
use crate::dates::Clock;
use crate::error::Error;
use crate::safe::terminal;
use crate::store;

/// The options of `ftr export`.
pub(super) struct ExportArgs {
    pub(super) out: Option<PathBuf>,
    pub(super) allow_incomplete: bool,
    pub(super) allow_secrets: bool,
    pub(super) full_paths: bool,
    pub(super) template: Option<PathBuf>,
    pub(super) upload_dir: String,
}

/// `ftr export` of the project at `project_path`.
pub(super) fn run(
    args: ExportArgs,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    let loaded = store::load(project_path, library)?;
    let out = args
        .out
        .unwrap_or_else(|| loaded.dir().join(crate::export::DEFAULT_NAME));
    let mut opts = crate::export::Options::new(out);
    opts.allow_incomplete = args.allow_incomplete;
    opts.allow_secrets = args.allow_secrets;
    opts.full_paths = args.full_paths;
    opts.template = args.template;
    opts.upload_dir = args.upload_dir;
    opts.source_date_epoch = clock.source_date_epoch;
    // The day `ftr check` judges on, so both count the same findings.
    opts.today = Some(clock.today());
    let done = crate::export::export(&loaded, library, clock.now(), &opts, &mut |_| true)?;
    Ok(Outcome::ok(text(&done)))
}

/// What was written, sent and left out, and the warnings kept in SUMMARY.md.
fn text(done: &crate::export::Done) -> String {
    let mut out = format!(
        "Wrote {} ({}, {} entries, {} evidence file{}){}\n",
        shown(&done.path),
        crate::assessment::evidence::human_size(done.bytes),
        done.entries,
        done.evidence_files,
        plural(done.evidence_files),
        if done.draft {
            ", marked as a DRAFT"
        } else {
            ""
        }
    );
    if let Some(line) = done.replaced_line(&|p| p.display().to_string()) {
        out.push_str(&line);
        out.push('\n');
    }
    if !done.outside.is_empty() {
        out.push_str("Sent from outside the project folder:\n");
        for p in &done.outside {
            out.push_str(&format!("  {}\n", terminal(p)));
        }
    }
    if !done.left_out.is_empty() {
        out.push_str("Left out of the draft:\n");
        for p in &done.left_out {
            out.push_str(&format!("  {}\n", terminal(p)));
        }
    }
    if !done.unscanned.is_empty() {
        out.push_str("Not scanned for secrets (check these yourself):\n");
        for p in &done.unscanned {
            out.push_str(&format!("  {}\n", terminal(p)));
        }
    }
    let warnings: Vec<_> = done
        .report
        .findings
        .iter()
        .filter(|f| f.severity == readiness::Severity::Warning)
        .collect();
    if !warnings.is_empty() {
        out.push_str(&format!(
            "{} warning{} (kept in SUMMARY.md):\n",
            warnings.len(),
            plural(warnings.len())
        ));
        for f in warnings {
            out.push_str(&format!("  {}\n", terminal(&f.message)));
        }
    }
    if let Some(t) = &done.template {
        for line in t.lines() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    for line in done.slot_lines() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
