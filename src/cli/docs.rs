//! `ftr completions` and `ftr man`: what describes the command line itself (no checklists or
//! project needed).
//!
//! Imports `args` and `output`.

use std::path::Path;

use super::args::command;
use super::output::{Outcome, shown};
use crate::error::Error;

fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| Error::Unavailable(format!("could not write {what}: {e}")))
}

pub(super) fn completions(shell: clap_complete::Shell) -> Result<String, Error> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command(), "ftr", &mut out);
    utf8(out, "the completion script")
}

/// The top-level page; `ftr help` is left out, as `ftr COMMAND --help` says the same.
fn man_command() -> clap::Command {
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The footer of every page: `ftr 0.1.0`, also on the pages of subcommands.
fn man_source() -> String {
    format!("ftr {}", env!("CARGO_PKG_VERSION"))
}

pub(super) fn man_page() -> Result<String, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(man_command())
        .source(man_source())
        .render(&mut out)
        .map_err(|e| Error::Unavailable(format!("could not write the manual page: {e}")))?;
    utf8(out, "the manual page")
}

/// Writes `ftr.1` and `ftr-COMMAND.1` for every visible subcommand into `dir`.
pub(super) fn man_pages(dir: &Path) -> Result<Outcome, Error> {
    let io = |path: &Path, action| {
        let path = path.to_path_buf();
        move |source| Error::Io {
            path,
            action,
            source,
        }
    };
    std::fs::create_dir_all(dir).map_err(io(dir, "create the folder"))?;
    let cmd = man_command();
    let pages = std::iter::once(cmd.clone())
        .chain(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    let source = man_source();
    let mut out = String::new();
    for page in pages {
        let man = clap_mangen::Man::new(page).source(source.clone());
        let path = dir.join(man.get_filename());
        man.generate_to(dir).map_err(io(&path, "write"))?;
        out.push_str(&format!("Wrote {}\n", shown(&path)));
    }
    Ok(Outcome::ok(out))
}
