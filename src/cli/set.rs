//! `ftr set`: a profile, delivery model, scoping, prerequisite or workbook field, the template,
//! or a file of an upload slot (the diagram, the security tool reports, the deployment guide,
//! the alternative report).
//!
//! Imports `args` and `output`.

use std::path::{Path, PathBuf};

use super::args::SetArgs;
use super::output::{Outcome, renewed_note};
use crate::assessment::edit;
use crate::assessment::window::Window;
use crate::assessment::{Evidence, Slot};
use crate::content::Library;
use crate::dates::Clock;
use crate::dates::Date;
use crate::error::Error;
use crate::safe::{terminal, terminal_lines};
use crate::store::{self, Loaded};

/// `ftr set KEY [VALUE]` on the project at `project_path`.
pub(super) fn run(
    args: SetArgs,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    let with_file = args.produced.is_some() || args.label.is_some();
    let Some(slot) = Slot::from_key(&args.key) else {
        if with_file {
            return Err(Error::usage(
                format!(
                    "--produced and --label go with a file, not with `{}`",
                    args.key
                ),
                "use them with ftr set diagram FILE or ftr set security-report FILE",
            ));
        }
        if args.key == "template" {
            return set_template(args, project_path, library);
        }
        return set_field(args, project_path, library, clock.today());
    };
    if slot == Slot::DeploymentGuide
        && let Some(url) = args.value.as_deref().filter(|v| edit::is_address(v))
    {
        return set_guide_url(url, with_file, project_path, library);
    }
    let unset = |v: &str| matches!(v.trim(), "unset" | "");
    let file = args.value.clone().filter(|v| !unset(v) || args.clear);
    match file {
        Some(file) if !args.clear => attach(
            slot,
            PathBuf::from(file),
            args,
            project_path,
            library,
            clock,
        ),
        file => detach(slot, file, with_file, project_path, library),
    }
}

/// A field that is not a file: `ftr set company "Acme Ltd"`, `ftr set scoping.ID yes`, …
fn set_field(
    args: SetArgs,
    project_path: &Path,
    library: &Library,
    today: Date,
) -> Result<Outcome, Error> {
    let value = match (args.clear, args.value) {
        (true, None) if args.key == "model" => {
            return Err(Error::usage(
                "the delivery model cannot be cleared: it decides the checklist",
                "choose another: ftr set model partner-hosted|customer-deployed|alternative",
            ));
        }
        (false, Some(v)) => v,
        (true, None) => String::new(),
        (true, Some(v)) => {
            return Err(Error::usage(
                format!(
                    "--clear takes no value for `{}`, yet `{v}` was given",
                    args.key
                ),
                format!("run ftr set {} --clear alone", args.key),
            ));
        }
        (false, None) => unreachable!("clap asks for a value unless --clear is given"),
    };
    // What was set, then a note on the model's checklist window: each line escaped as one.
    let lines = Loaded::update(project_path, library, |l| {
        let mut lines = vec![edit::set(&mut l.project, library, &args.key, &value)?];
        if args.key == "model"
            && let Some(c) = edit::current_checklist(&l.project, library)
            && let Some(note) = Window::when_chosen(c, library, today)
        {
            lines.push(format!("note: {note}"));
        }
        Ok(lines)
    })?;
    Ok(Outcome::ok(format!("{}\n", terminal_lines(&lines))))
}

/// Detaches `file` from `slot`, or every file of it when none is named.
fn detach(
    slot: Slot,
    file: Option<String>,
    with_file: bool,
    project_path: &Path,
    library: &Library,
) -> Result<Outcome, Error> {
    let key = slot.key();
    if with_file {
        return Err(Error::usage(
            format!("--produced and --label go with a file to attach to {key}"),
            format!("give the file: ftr set {key} FILE --produced YYYY-MM-DD"),
        ));
    }
    let dir = store::project_dir(project_path);
    let line = Loaded::update(project_path, library, |l| match &file {
        Some(f) => edit::detach_file(&mut l.project, slot, f, &dir),
        None => Ok(edit::detach_all(&mut l.project, slot)),
    })?;
    Ok(Outcome::ok(format!("{}\n", terminal(&line))))
}

/// Attaches `file` to `slot`, fingerprinted like evidence.
fn attach(
    slot: Slot,
    file: PathBuf,
    args: SetArgs,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    let key = slot.key();
    if let Err(e) = std::fs::symlink_metadata(&file)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return Err(Error::input(
            format!("{key}: there is no file {}", file.display()),
            "check the path (relative to the current folder, Tab completes it in most shells); nothing was changed",
        ));
    }
    let dir = store::project_dir(project_path);
    // Fingerprint the file before taking the lock, as `ftr answer` does.
    let mut ev = Evidence::attach(
        &file,
        &dir,
        args.label.unwrap_or_default(),
        args.produced,
        clock.now(),
    )?;
    let note = match slot {
        Slot::Diagram => match ev.format(&dir) {
            Ok(f) if !f.is_png_or_jpeg() => Some(format!(
                "note: {} is not a PNG or JPEG image (its first bytes are {}); the form takes .png or .jpeg\n",
                terminal(&ev.path),
                f.describe()
            )),
            _ => None,
        },
        Slot::SecurityReport | Slot::DeploymentGuide | Slot::AlternativeReport => None,
    };
    let line = Loaded::update(project_path, library, |l| {
        let current = edit::current_checklist(&l.project, library).map(|c| c.id.clone());
        let others = edit::prepare_attachment(
            &l.project,
            &edit::Citer::Slot(slot),
            current.as_deref(),
            &mut ev,
        );
        let renewed = renewed_note(&ev, &others);
        Ok(format!(
            "{}\n{renewed}",
            terminal(&edit::attach_file(&mut l.project, slot, ev.clone()))
        ))
    })?;
    Ok(Outcome::ok(format!("{line}{}", note.unwrap_or_default())))
}

/// Remembers (or forgets) the self-assessment template the export fills, after checking it
/// is a workbook it can fill.
fn set_template(args: SetArgs, project_path: &Path, library: &Library) -> Result<Outcome, Error> {
    let dir = store::project_dir(project_path);
    let value = args.value.unwrap_or_default();
    let stored = if args.clear || matches!(value.trim(), "" | "unset") {
        String::new()
    } else {
        let file = PathBuf::from(&value);
        let template = crate::export::template::Template::open(&file)?;
        let project = store::load(project_path, library)?.project;
        if let Some(checklist) = edit::current_checklist(&project, library) {
            template.check_checklist(checklist)?;
        }
        crate::assessment::evidence::stored_path(
            &crate::assessment::evidence::absolute(&file)?,
            &crate::assessment::evidence::absolute(&dir)?,
        )
    };
    Loaded::update(project_path, library, |l| {
        l.project.profile.template = stored.clone();
        Ok(())
    })?;
    Ok(Outcome::ok(if stored.is_empty() {
        "template: none (the export writes ftr's own sheet)\n".into()
    } else {
        format!("template: {}\n", terminal(&stored))
    }))
}

/// `ftr set deployment-guide URL`: the guide published at a public address, checked to be
/// one; it replaces a guide file.
fn set_guide_url(
    url: &str,
    with_file: bool,
    project_path: &Path,
    library: &Library,
) -> Result<Outcome, Error> {
    if with_file {
        return Err(Error::usage(
            "--produced and --label go with a file, not with an address",
            "give the guide's address alone: ftr set deployment-guide https://…",
        ));
    }
    let line = Loaded::update(project_path, library, |l| {
        edit::set_guide_url(&mut l.project, url)
    })?;
    Ok(Outcome::ok(format!("{}\n", terminal(&line))))
}
