//! `ftr import`: bring in what a scanner found as hints per control (the work is
//! `crate::import`'s).
//!
//! Imports `output`.

use std::path::{Path, PathBuf};

use super::output::Outcome;
use crate::content::Library;
use crate::dates::Clock;
use crate::error::Error;

/// What `ftr import` was asked to read and attach.
pub(super) struct ImportArgs {
    pub(super) files: Vec<PathBuf>,
    pub(super) attach: bool,
    pub(super) security_report: Vec<PathBuf>,
}

/// `ftr import FILE… [--attach] [--security-report FILE]…` on the project at `project_path`.
pub(super) fn run(
    args: ImportArgs,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    let request = crate::import::Request {
        files: args.files,
        attach: args.attach,
        security_reports: args.security_report,
    };
    Ok(Outcome::ok(crate::import::run(
        &request,
        project_path,
        library,
        clock,
    )?))
}
