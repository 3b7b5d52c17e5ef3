//! `ftr` with no command, and `ftr open`: the wizard on a terminal.
//!
//! Imports `output`.

use std::path::{Path, PathBuf};

use super::output::Outcome;
use crate::content::Library;
use crate::dates::Clock;
use crate::error::Error;
use crate::store::{self, DEFAULT_FILE};

/// `ftr`: the wizard on the project named with --project, else on ./ftr-assessment.toml when
/// there is one, else on its start screen.
pub(super) fn start(
    project: Option<PathBuf>,
    library: Library,
    clock: Clock,
) -> Result<Outcome, Error> {
    crate::tui::require_terminal()?;
    let here = project.or_else(|| {
        let p = PathBuf::from(DEFAULT_FILE);
        p.exists().then_some(p)
    });
    crate::tui::run(library, here.as_deref(), clock)?;
    Ok(Outcome::ok(String::new()))
}

/// `ftr open PATH`: the wizard on that project.
pub(super) fn open(path: &Path, library: Library, clock: Clock) -> Result<Outcome, Error> {
    crate::tui::require_terminal()?;
    // A file git left with conflict markers opens too: the wizard merges it.
    store::load_resolving(path, &library)?;
    crate::tui::run(library, Some(path), clock)?;
    Ok(Outcome::ok(String::new()))
}
