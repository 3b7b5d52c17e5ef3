//! `ftr new`: create an assessment file, with the checklist of a delivery model if one is given.
//!
//! Imports `args` and `output`.

use std::path::PathBuf;

use super::args::NewArgs;
use super::output::{Outcome, shown};
use crate::assessment::Project;
use crate::assessment::edit;
use crate::assessment::window::Window;
use crate::content::Library;
use crate::dates::Date;
use crate::error::Error;
use crate::safe::terminal;
use crate::store::{self, DEFAULT_FILE, Loaded};

/// `ftr new [PATH]`: the file (or ftr-assessment.toml in the folder) given, else --project,
/// else ./ftr-assessment.toml; never over an existing file.
pub(super) fn run(
    args: NewArgs,
    global_project: Option<PathBuf>,
    library: &Library,
    today: Date,
) -> Result<Outcome, Error> {
    let path = match args.path.or(global_project) {
        Some(p) if p.is_dir() => p.join(DEFAULT_FILE),
        Some(p) => p,
        None => PathBuf::from(DEFAULT_FILE),
    };
    if path.exists() {
        return Err(Error::blocked(
            format!("{} already exists; nothing was changed", path.display()),
            "open it with `ftr status --project PATH`, or choose another path",
        ));
    }
    let dir = store::project_dir(&path);
    if !dir.is_dir() {
        return Err(Error::input(
            format!("folder {} does not exist", dir.display()),
            "create the folder first, or choose another path",
        ));
    }
    let mut project = Project::new();
    project.profile.company = args.company.unwrap_or_default();
    project.profile.product = args.product.unwrap_or_default();
    let mut lines = vec![format!("Created {}", shown(&path))];
    if let Some(model) = args.model {
        let checklist = edit::checklist_for(library, model)?;
        project.choose_model(checklist, true);
        lines.push(format!(
            "Checklist: {} {} ({} controls)",
            terminal(&checklist.name),
            terminal(&checklist.version),
            checklist.controls.len()
        ));
        if let Some(note) = Window::when_chosen(checklist, library, today) {
            lines.push(format!("note: {}", terminal(&note)));
        }
    } else {
        lines.push(
            "Next: choose the delivery model: ftr set model partner-hosted|customer-deployed|alternative"
                .into(),
        );
    }
    let mut loaded = Loaded::create(&path, project);
    loaded.save()?;
    let _ = store::recent::touch(&path);
    Ok(Outcome::ok(lines.join("\n") + "\n"))
}
