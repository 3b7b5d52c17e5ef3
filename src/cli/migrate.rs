//! `ftr migrate`: move a project to another version of its checklist, after a preview (and a
//! question on a terminal, unless --yes).
//!
//! Imports `output`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::output::{Outcome, sorted, to_json};
use crate::assessment::Project;
use crate::assessment::migrate::{self, Plan};
use crate::content::{Checklist, Library, Model};
use crate::dates::Clock;
use crate::error::Error;
use crate::safe::terminal;
use crate::store::{self, Loaded};

/// What `ftr migrate` was asked.
pub(super) struct MigrateArgs {
    /// The version to move to, as ID@VERSION (or ID).
    pub(super) to: String,
    pub(super) yes: bool,
    pub(super) json: bool,
}

/// `ftr migrate --to ID@VERSION [--yes] [--json]` on the project at `project_path`.
pub(super) fn run(
    args: &MigrateArgs,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    let loaded = store::load(project_path, library)?;
    let (from, model) = current_version(&loaded.project, library)?;
    let target = library.find(&args.to)?;
    if target.id != from.id || target.model != model {
        return Err(Error::input(
            format!(
                "{} is another checklist than the project's {}",
                target.spec(),
                from.spec()
            ),
            "migrate moves between versions of one checklist; to change the delivery model use ftr set model",
        ));
    }
    if target.version == from.version {
        return Ok(Outcome::ok(format!(
            "The project already answers {}.\n",
            from.spec()
        )));
    }
    let plan = migrate::plan(&loaded.project, from, target);
    let mut report = MigrateReport {
        applied: false,
        backup: None,
        plan: &plan,
        target: target.spec(),
    };
    let confirmed = args.yes || (!args.json && confirm(&report.preview())?);
    if confirmed {
        let backup = apply(&plan, from, target, project_path, library, clock)?;
        report.backup = Some(backup.display().to_string());
        report.applied = true;
    }
    Ok(Outcome::ok(if args.json {
        to_json(&report)?
    } else {
        report.text()
    }))
}

/// The installed checklist version the project answers and its delivery model, or why there
/// is none to move from.
fn current_version<'l>(
    project: &Project,
    library: &'l Library,
) -> Result<(&'l Checklist, Model), Error> {
    let Some(model) = project.delivery.model else {
        return Err(Error::blocked(
            "the project has no delivery model yet, so no checklist to move from",
            "choose one: ftr set model partner-hosted|customer-deployed|alternative",
        ));
    };
    let d = &project.delivery;
    if d.version.is_empty() {
        return Err(Error::blocked(
            "the project records no checklist version, so what changed cannot be worked out",
            "record the version it was answered against in [delivery] (version = \"2026-02\"), or confirm the current one with ftr set model",
        ));
    }
    let Some(from) = library.version(&d.checklist, &d.version) else {
        return Err(Error::blocked(
            format!(
                "the project answers {}@{}, which is not installed, so what changed cannot be worked out",
                d.checklist, d.version
            ),
            "install that version first (ftr checklists add FILE), then run ftr migrate again",
        ));
    };
    Ok((from, model))
}

/// The preview, and what was done: `--json` gives `applied`, `backup` (once moved) and `plan`.
#[derive(Serialize)]
struct MigrateReport<'a> {
    applied: bool,
    /// The file as it was, kept beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    backup: Option<String>,
    #[serde(serialize_with = "sorted")]
    plan: &'a Plan,
    /// The version moved to, ID@VERSION.
    #[serde(skip)]
    target: String,
}

impl MigrateReport<'_> {
    /// What the move carries, flags and leaves out.
    fn preview(&self) -> String {
        migrate::text(self.plan)
    }

    fn text(&self) -> String {
        let preview = self.preview();
        match &self.backup {
            Some(backup) if self.applied => format!(
                "{preview}Moved to {}. The file as it was is kept as {}.\nNext: ftr check (reworded controls are listed to review)\n",
                self.target,
                terminal(backup)
            ),
            _ => format!("{preview}Nothing changed: run again with --yes to move the project.\n"),
        }
    }
}

/// Moves the project as `plan` says, unless the file changed since the preview; returns the
/// backup of the file as it was.
fn apply(
    plan: &Plan,
    from: &Checklist,
    target: &Checklist,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<PathBuf, Error> {
    Loaded::update(project_path, library, |l| {
        // The file may have changed while the preview waited: the move must be the one shown.
        let now = migrate::plan(&l.project, from, target);
        if l.project.delivery.version != from.version
            || (now.carried, now.review, now.kept_out)
                != (
                    plan.carried.clone(),
                    plan.review.clone(),
                    plan.kept_out.clone(),
                )
        {
            return Err(Error::Conflict {
                path: project_path.to_path_buf(),
            });
        }
        let backup = store::write_backup(&l.path, &from.version)?;
        migrate::apply(&mut l.project, plan, target, clock.today());
        Ok(backup)
    })
}

/// Shows `preview` and asks on the terminal; false when standard input is not one.
fn confirm(preview: &str) -> Result<bool, Error> {
    use std::io::{IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "{}Move the project? [y/N] ",
        crate::safe::controls(preview)
    );
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::Io {
            path: PathBuf::from("standard input"),
            action: "read the answer from",
            source: e,
        })?;
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
