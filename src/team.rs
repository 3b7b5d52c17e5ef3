//! Working as a team on one project file: three versions merged per control and per field,
//! git's conflict markers read back into both versions, git's merge driver, `ftr init-git`
//! and `ftr resolve`.
//!
//! A field changed two ways is kept in the file as the local value, with both values in a
//! `[[conflicts]]` table, so the file stays valid TOML that every command reads; the readiness
//! check reports each until it is resolved.

use std::path::Path;

use crate::assessment::Project;
use crate::content::Library;
use crate::error::{Error, Located};
use crate::merge::{self, Conflict};
use crate::safe::terminal;
use crate::store;

/// The outcome of a three-way merge of projects.
#[derive(Debug, Clone)]
pub struct Merged {
    pub project: Project,
    /// Fields this merge found changed two ways (also in `project.conflicts`).
    pub fresh: Vec<Conflict>,
    /// Controls whose answer differs from the local version: what came from the other side.
    pub changed: Vec<String>,
}

/// The project as a TOML table, as it is written (minus the layout).
pub fn table_of(project: &Project) -> Result<toml::Table, Error> {
    // Through the text, so dates and times are TOML dates and times, as in the file.
    let text = toml::to_string(project).map_err(|e| internal(format!("{e}")))?;
    toml::from_str(&text).map_err(|e| internal(format!("{e}")))
}

fn internal(message: String) -> Error {
    Error::invalid(Located {
        file: "project".into(),
        line: None,
        field: None,
        message: format!("could not merge the project: {message}"),
        hint: "nothing was changed".into(),
    })
}

/// Merges `ours` and `theirs`, both changed from `base` (unknown when `None`): changes to
/// different fields combine; a field changed two ways keeps our value and is listed in
/// `conflicts` with both. `file` names the result in messages.
pub fn merge_projects(
    file: &str,
    base: Option<&Project>,
    ours: &Project,
    theirs: &Project,
    library: &Library,
) -> Result<Merged, Error> {
    let base = base.map(table_of).transpose()?;
    let (table, fresh) = merge::merge_tables(base.as_ref(), &table_of(ours)?, &table_of(theirs)?);
    let text = toml::to_string(&table).map_err(|e| internal(format!("{e}")))?;
    let mut project = store::parse(file, &text, library)?;
    // A field found changed two ways again replaces what an earlier merge kept of it.
    project
        .conflicts
        .retain(|c| !fresh.iter().any(|f| f.at == c.at));
    project.conflicts.extend(fresh.iter().cloned());
    let changed = changed_controls(ours, &project);
    Ok(Merged {
        project,
        fresh,
        changed,
    })
}

/// The controls (as `ID`, or `CHECKLIST/ID` for another checklist) whose answers differ.
fn changed_controls(a: &Project, b: &Project) -> Vec<String> {
    let mut out = Vec::new();
    let lists: std::collections::BTreeSet<&String> =
        a.answers.keys().chain(b.answers.keys()).collect();
    for list in lists {
        let ids: std::collections::BTreeSet<&String> = a
            .answers
            .get(list)
            .into_iter()
            .chain(b.answers.get(list))
            .flat_map(|m| m.keys())
            .collect();
        for id in ids {
            if a.answer(list, id) != b.answer(list, id) {
                out.push(if *list == a.delivery.checklist {
                    id.clone()
                } else {
                    format!("{list}/{id}")
                });
            }
        }
    }
    out
}

/// What differs between two versions of a project, in words: the controls whose answers
/// differ, then the parts of the file (profile, delivery, scoping, ...).
pub fn what_changed(before: &Project, after: &Project) -> Vec<String> {
    let mut out = changed_controls(before, after);
    let (Ok(b), Ok(a)) = (table_of(before), table_of(after)) else {
        return out;
    };
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        if key != "answers" && b.get(key) != a.get(key) {
            let word = match key.as_str() {
                "prerequisites" => "prerequisites".to_string(),
                "conflicts" => "merge conflicts".to_string(),
                "migrations" => "checklist version".to_string(),
                k => k.replace('_', " "),
            };
            if !out.contains(&word) {
                out.push(word);
            }
        }
    }
    out
}

/// Whether `text` holds a line that opens a git conflict region.
pub fn has_markers(text: &str) -> bool {
    text.lines().any(|l| {
        l.starts_with("<<<<<<<")
            && l.trim_start_matches('<')
                .chars()
                .next()
                .is_none_or(|c| c == ' ')
    })
}

/// The file that git left with conflict markers, merged again per field: both versions read
/// back from the markers, then merged as the merge driver does.
pub fn from_markers(file: &str, text: &str, library: &Library) -> Result<Merged, Error> {
    let Some(sides) = merge::split_markers(text) else {
        let line = text
            .lines()
            .position(|l| l.starts_with("<<<<<<<"))
            .map(|n| (n + 1, 1));
        return Err(Error::parse(Located {
            file: file.to_string(),
            line,
            field: None,
            message: "the file holds a git conflict marker (<<<<<<<) whose region does not close with ======= and >>>>>>>".into(),
            hint: "fix the markers in an editor, or take one side whole: git checkout --ours FILE (or --theirs); nothing was changed".into(),
        }));
    };
    let side = |name: &str, text: &str| {
        store::parse(&format!("{file} ({name})"), text, library).map_err(|e| {
            Error::parse(Located {
                file: file.to_string(),
                line: sides.regions.first().map(|r| (r.0, 1)),
                field: None,
                message: format!(
                    "the file holds git conflict markers, and its {name} version does not read as a project: {}",
                    first_line(&e.to_string())
                ),
                hint: "fix that version in an editor, or take one side whole: git checkout --ours FILE (or --theirs); nothing was changed".into(),
            })
        })
    };
    let ours = side(&label("ours", &sides.ours_label), &sides.ours)?;
    let theirs = side(&label("theirs", &sides.theirs_label), &sides.theirs)?;
    let base = sides.base.as_deref().map(|b| side("base", b)).transpose()?;
    merge_projects(file, base.as_ref(), &ours, &theirs, library)
}

fn label(side: &str, marker: &str) -> String {
    let marker = marker.trim();
    if marker.is_empty() {
        side.to_string()
    } else {
        format!("{side}, {marker}")
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// The error for a file with conflict markers: which controls conflict, and how to resolve.
pub fn markers_error(file: &str, text: &str, library: &Library) -> Error {
    let regions = merge::split_markers(text)
        .map(|s| s.regions)
        .unwrap_or_default();
    let lines = regions
        .iter()
        .map(|(a, b)| format!("{a}-{b}"))
        .collect::<Vec<_>>()
        .join(", ");
    let merged = match from_markers(file, text, library) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let what = if merged.project.conflicts.is_empty() {
        "the two versions change different fields, so ftr can merge them".to_string()
    } else {
        format!(
            "both versions change {}",
            conflict_names(&merged.project.conflicts)
        )
    };
    Error::invalid(Located {
        file: file.to_string(),
        line: regions.first().map(|r| (r.0, 1)),
        field: None,
        message: format!(
            "the file holds git conflict markers (lines {lines}) from a merge that stopped: {what}"
        ),
        hint: "run `ftr resolve` to merge it and pick a side for each field changed both ways, or open it in the wizard (`ftr`), which shows both; `ftr init-git` has git merge project files this way from now on; nothing was changed".into(),
    })
}

/// "IAM-001 (response, status), profile.company": the conflicting fields by control.
pub fn conflict_names(conflicts: &[Conflict]) -> String {
    let mut names: Vec<(String, Vec<String>)> = Vec::new();
    for c in conflicts {
        let (head, field) = match merge::control_of(&c.at) {
            Some((_, control)) if c.at.len() > 3 => {
                (control.to_string(), Some(merge::display_path(&c.at[3..])))
            }
            Some((_, control)) => (control.to_string(), None),
            None => (merge::display_path(&c.at), None),
        };
        match names.iter_mut().find(|(h, _)| *h == head) {
            Some((_, fields)) => fields.extend(field),
            None => names.push((head, field.into_iter().collect())),
        }
    }
    names
        .iter()
        .map(|(head, fields)| {
            let text = if fields.is_empty() {
                head.clone()
            } else {
                format!("{head} ({})", fields.join(", "))
            };
            terminal(&text).into_owned()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A conflict's field as people name it: `IAM-001 (response)`, `profile.company`.
pub fn short_name(at: &[String]) -> String {
    let full = merge::display_path(at);
    match merge::control_of(at) {
        Some((_, control)) if at.len() > 3 => {
            // The path below the control, as the whole path writes it.
            let head = merge::display_path(&at[..3]);
            let rest = full[head.len()..].trim_start_matches('.');
            format!("{control} ({rest})")
        }
        Some((_, control)) => control.to_string(),
        None => full,
    }
}

/// A value of a conflict in one line of words: a text's first line, `(removed)`, or TOML.
pub fn value_line(value: Option<&toml::Value>) -> String {
    match value {
        None => "(not set)".into(),
        Some(toml::Value::String(s)) if s.is_empty() => "(empty)".into(),
        Some(toml::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// [`value_line`] cut to its first line of at most `max` characters, "…" when more follows.
pub fn value_brief(value: Option<&toml::Value>, max: usize) -> String {
    let text = value_line(value);
    let line = text.lines().next().unwrap_or("");
    let cut: String = line.chars().take(max).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// The project with the conflict at `at` settled to `value` (`None` removes the field). A
/// field that is no longer there (its evidence entry removed since) just leaves the list.
pub fn take(
    file: &str,
    project: &Project,
    at: &[String],
    value: Option<toml::Value>,
    library: &Library,
) -> Result<Project, Error> {
    let mut table = table_of(project)?;
    if !merge::set_at(&mut table, at, value) {
        let mut out = project.clone();
        out.conflicts.retain(|c| c.at != at);
        return Ok(out);
    }
    let text = toml::to_string(&table).map_err(|e| internal(format!("{e}")))?;
    let mut out = store::parse(file, &text, library)?;
    out.conflicts.retain(|c| c.at != at);
    Ok(out)
}

/// The project with `conflict` settled to one side. Ours is what the file holds (or what was
/// written there since the merge), so keeping it only closes the conflict; theirs replaces it.
pub fn settle(
    file: &str,
    project: &Project,
    conflict: &Conflict,
    side: Side,
    library: &Library,
) -> Result<Project, Error> {
    match side {
        Side::Ours => {
            let mut out = project.clone();
            out.conflicts.retain(|c| c.at != conflict.at);
            Ok(out)
        }
        Side::Theirs => take(
            file,
            project,
            &conflict.at,
            conflict.theirs.clone(),
            library,
        ),
    }
}

/// Which side of a conflict to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Side {
    /// The version of the branch merged into (git's "ours")
    Ours,
    /// The version of the branch merged in (git's "theirs")
    Theirs,
}

impl Side {
    pub fn value(self, c: &Conflict) -> Option<toml::Value> {
        match self {
            Side::Ours => c.ours.clone(),
            Side::Theirs => c.theirs.clone(),
        }
    }
}

/// Whether `selector` (a control id, a field such as `IAM-001.response`, a section such as
/// `profile`, or a path as messages print it, `profile.security_reports["cis.csv"]`) names the
/// conflict at `at`: its parts appear in `at` in a row.
pub fn selects(selector: &str, at: &[String]) -> bool {
    let Some(parts) = parse_path(selector.trim()) else {
        return false;
    };
    if parts.is_empty() {
        return false;
    }
    at.windows(parts.len())
        .any(|w| w.iter().zip(&parts).all(|(a, p)| a.eq_ignore_ascii_case(p)))
}

/// The parts of a path written as [`merge::display_path`] writes it: bare keys between dots,
/// quoted keys, and element keys in brackets. `None` when it is not such a path.
fn parse_path(text: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    let quoted = |chars: &mut std::iter::Peekable<std::str::Chars>| -> Option<String> {
        let mut out = String::new();
        loop {
            match chars.next()? {
                '"' => return Some(out),
                '\\' => out.push(chars.next()?),
                c => out.push(c),
            }
        }
    };
    loop {
        match chars.peek()? {
            '"' => {
                chars.next();
                parts.push(quoted(&mut chars)?);
            }
            _ => {
                let mut bare = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    bare.push(c);
                    chars.next();
                }
                if bare.is_empty() {
                    return None;
                }
                parts.push(bare);
            }
        }
        // Element keys in brackets follow a part.
        while chars.peek() == Some(&'[') {
            chars.next();
            if chars.next()? != '"' {
                return None;
            }
            parts.push(quoted(&mut chars)?);
            if chars.next()? != ']' {
                return None;
            }
        }
        match chars.next() {
            None => return Some(parts),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}

/// Where a merge driver writes when the two versions cannot be read as projects: git's own
/// line merge, so the user gets the usual markers. Returns git's exit status.
fn line_merge(ours: &Path, base: &Path, theirs: &Path) -> Result<u8, Error> {
    let status = std::process::Command::new("git")
        .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
        .arg(ours)
        .arg(base)
        .arg(theirs)
        .status()
        .map_err(|e| Error::Io {
            path: ours.to_path_buf(),
            action: "merge line by line (git merge-file)",
            source: e,
        })?;
    // git merge-file exits with the number of conflicts (at most 127), negative on an error.
    match status.code() {
        Some(0) => Ok(0),
        Some(1..=127) => Ok(1),
        _ => Err(Error::Unavailable(format!(
            "git merge-file could not merge {} ({status})",
            ours.display()
        ))),
    }
}

/// The driver's answer when ftr cannot merge the versions itself: git's line merge, and why.
fn fall_back(
    why: &str,
    name: &str,
    ours: &Path,
    base: &Path,
    theirs: &Path,
) -> Result<DriverReport, Error> {
    let code = line_merge(ours, base, theirs)?;
    // Never reported as merged: git would commit a file ftr could not read as a project. Git
    // stops with a conflict, for a person to check the file loads.
    Ok(DriverReport {
        message: format!(
            "ftr: {why}\nftr: merged {} line by line instead{}; check it with `ftr check`, then git add it",
            terminal(name),
            if code == 0 {
                ""
            } else {
                ", and it has conflict markers to fix"
            }
        ),
        code: 1,
    })
}

/// What the merge driver did, for git's terminal.
pub struct DriverReport {
    pub message: String,
    /// 0 merged cleanly, 1 fields changed two ways are left to resolve.
    pub code: u8,
}

/// What a file system entry is, for a message: `a fifo`, `a folder`, ...
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a fifo (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Refuses any of `files` (each a path and which version it holds: `base`, `ours`, `theirs`)
/// that is not a regular file: a fifo, a device, a socket, a folder or a symbolic link. Each
/// is looked at without following a link and without opening it, since opening a fifo waits
/// for a writer that may never come. Git hands a merge driver regular files only.
pub fn regular_files(files: &[(&Path, &str)]) -> Result<(), Error> {
    for (path, side) in files {
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            action: "read",
            source: e,
        })?;
        if !meta.file_type().is_file() {
            return Err(Error::usage(
                format!(
                    "{} (the {side} version) is {}, not a regular file; the merge driver reads and writes regular files only",
                    path.display(),
                    kind_of(&meta)
                ),
                "let git run the driver (ftr init-git sets it up: ftr merge-driver %O %A %B %P), or give it three regular files",
            ));
        }
    }
    Ok(())
}

/// `ftr merge-driver BASE OURS THEIRS [NAME]`: merges the three versions git hands over and
/// writes the result over OURS.
pub fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    name: Option<&str>,
    library: &Library,
) -> Result<DriverReport, Error> {
    regular_files(&[(base, "base"), (ours, "ours"), (theirs, "theirs")])?;
    let name = name.unwrap_or(store::DEFAULT_FILE);
    let read = |path: &Path, side: &str| -> Result<Option<Project>, Error> {
        let text = store::read_text(path)?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        store::parse(&format!("{name} ({side})"), &text, library).map(Some)
    };
    let parsed = (|| -> Result<_, Error> {
        Ok((
            read(base, "base")?,
            read(ours, "ours")?,
            read(theirs, "theirs")?,
        ))
    })();
    let (base_p, ours_p, theirs_p) = match parsed {
        Ok((b, Some(o), Some(t))) => (b, o, t),
        Ok(_) => return fall_back("one version is empty", name, ours, base, theirs),
        Err(e) => return fall_back(first_line(&e.to_string()), name, ours, base, theirs),
    };
    // Whatever goes wrong from here, the other side's changes must not be lost: git's own
    // merge, with markers where needed, is the safe answer.
    let merged = match merge_projects(name, base_p.as_ref(), &ours_p, &theirs_p, library)
        .and_then(|m| store::to_text(&m.project).map(|t| (m, t)))
    {
        Ok(m) => m,
        Err(e) => return fall_back(first_line(&e.to_string()), name, ours, base, theirs),
    };
    let (merged, text) = merged;
    store::write_atomic(ours, text.as_bytes())?;
    let open = &merged.project.conflicts;
    if open.is_empty() {
        let message = if merged.changed.is_empty() {
            format!("ftr: merged {}", terminal(name))
        } else {
            format!(
                "ftr: merged {}: {} from the other side",
                terminal(name),
                merged
                    .changed
                    .iter()
                    .map(|c| terminal(c).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Ok(DriverReport { message, code: 0 });
    }
    Ok(DriverReport {
        message: format!(
            "ftr: {}: changed two ways: {}. Both values are kept in the file; pick one with `ftr resolve` (or in the wizard), then git add {} and commit",
            terminal(name),
            conflict_names(open),
            crate::safe::shell_word(name)
        ),
        code: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_merged_and_a_fifo_is_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ours.toml");
        std::fs::write(&file, "x = 1\n").unwrap();
        assert!(regular_files(&[(&file, "ours")]).is_ok());
        let fifo = dir.path().join("theirs.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let link = dir.path().join("base.toml");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        for (path, side, says) in [
            (
                &fifo,
                "theirs",
                "is a fifo (named pipe), not a regular file",
            ),
            (&link, "base", "is a symbolic link, not a regular file"),
            (
                &dir.path().to_path_buf(),
                "ours",
                "is a folder, not a regular file",
            ),
        ] {
            let e = regular_files(&[(&file, "ours"), (path, side)]).unwrap_err();
            let text = e.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(
                text.contains(&format!("(the {side} version) {says}")),
                "{text}"
            );
        }
        let gone = dir.path().join("gone.toml");
        let e = regular_files(&[(&gone, "base")]).unwrap_err();
        assert!(e.to_string().contains("gone.toml"), "{e}");
    }
}
