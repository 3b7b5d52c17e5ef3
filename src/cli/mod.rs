//! The command line: subcommands, their options, and what each prints.
//!
//! This file only loads what the commands need and hands each command to its module. The
//! modules only look down, and none imports this file:
//!
//! - `args`: the clap definitions (a leaf);
//! - `output`: exit codes, [`Outcome`], the one JSON writer and shared text (a leaf);
//! - `scans`: the scans and hints that `status` and `check` both show (imports `output`);
//! - a module per command or group: `new`, `answer`, `set`, `status`, `check`, `import`,
//!   `export`, `checklists`, `migrate`, `team` (resolve, init-git, merge-driver), `docs`
//!   (completions, man) and `wizard` (no command, open); each imports `args`, `output` and
//!   `scans` only.

mod answer;
mod args;
mod check;
mod checklists;
mod docs;
mod export;
mod import;
mod migrate;
mod new;
mod output;
mod scans;
mod set;
mod status;
mod team;
mod wizard;

use std::path::PathBuf;

pub use args::{
    AnswerArgs, ChecklistsAction, Cli, Command, Due, Global, NewArgs, SetArgs, explain_parse_error,
};
pub use output::{Outcome, exit};

use crate::content::Library;
use crate::dates::Clock;
use crate::error::Error;
use crate::store::DEFAULT_FILE;

/// Runs one command line.
pub fn run(cli: Cli) -> Result<Outcome, Error> {
    // These describe the command line itself: no checklists or project needed.
    match cli.command {
        Some(Command::Completions { shell }) => return Ok(Outcome::ok(docs::completions(shell)?)),
        Some(Command::Man { out: None }) => return Ok(Outcome::ok(docs::man_page()?)),
        Some(Command::Man { out: Some(dir) }) => return docs::man_pages(&dir),
        _ => {}
    }
    let clock = Clock::from_env()?;
    let library = load_library(&cli.global, &clock)?;
    match cli.command {
        None => wizard::start(cli.global.project, library, clock),
        Some(command) => dispatch(command, cli.global.project, library, clock),
    }
}

/// The checklists (built in, or from --content, and those installed), with a warning for each
/// file that could not be read.
fn load_library(global: &Global, clock: &Clock) -> Result<Library, Error> {
    let mut library = Library::load(global.content.as_deref())?;
    library.add_installed(clock.today())?;
    for problem in &library.problems {
        // One line each, its file names and error raw: escaped here.
        eprintln!("ftr: warning: {}", crate::safe::terminal(problem));
    }
    Ok(library)
}

/// Says on standard error, before a command on the project runs, when the version its answers
/// were given against is not installed. A file that cannot be loaded is left to the command,
/// which says why.
fn warn_missing_version(path: &std::path::Path, library: &Library) {
    let Ok(loaded) = crate::store::load(path, library) else {
        return;
    };
    if let Some(w) = crate::assessment::missing_version_warning(&loaded.project, library) {
        eprintln!("ftr: warning: {}", crate::safe::lines(&w));
    }
}

/// Hands `command` to its module; `project` is --project, if given.
fn dispatch(
    command: Command,
    project: Option<PathBuf>,
    library: Library,
    clock: Clock,
) -> Result<Outcome, Error> {
    let project_path = project
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FILE));
    let (at, lib) = (project_path.as_path(), &library);
    if command.reads_project() {
        warn_missing_version(at, lib);
    }
    match command {
        Command::Open { path } => wizard::open(&path, library, clock),
        Command::New(args) => new::run(args, project, lib, clock.today()),
        Command::Answer(args) => answer::run(*args, at, lib, &clock),
        Command::Set(args) => set::run(args, at, lib, &clock),
        Command::Import {
            files,
            attach,
            security_report,
        } => {
            let args = import::ImportArgs {
                files,
                attach,
                security_report,
            };
            import::run(args, at, lib, &clock)
        }
        Command::Status { json } => status::run(at, lib, json, clock.today()),
        Command::Check { json } => check::run(at, lib, json, &clock),
        Command::Export {
            out,
            allow_incomplete,
            allow_secrets,
            full_paths,
            template,
            upload_dir,
        } => {
            let args = export::ExportArgs {
                out,
                allow_incomplete,
                allow_secrets,
                full_paths,
                template,
                upload_dir,
            };
            export::run(args, at, lib, &clock)
        }
        Command::Checklists { action: None, json } => checklists::list(lib, json, clock.today()),
        Command::Checklists {
            action: Some(action),
            ..
        } => checklists::action(action, lib),
        Command::Migrate { to, yes, json } => {
            migrate::run(&migrate::MigrateArgs { to, yes, json }, at, lib, &clock)
        }
        Command::Resolve { fields, take, all } => team::resolve(at, &fields, take, all, lib),
        Command::InitGit => team::init_git(at),
        Command::MergeDriver {
            base,
            ours,
            theirs,
            name,
        } => team::merge_driver(&base, &ours, &theirs, name.as_deref(), lib),
        Command::Completions { .. } | Command::Man { .. } => {
            unreachable!("handled before the checklists are loaded")
        }
    }
}
