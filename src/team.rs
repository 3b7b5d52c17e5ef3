//! Working as a team on one project file through git: git's merge driver, `ftr init-git`
//! and `ftr resolve`'s settling of conflicts.
//!
//! A field changed two ways is kept in the file as the local value, with both values in a
//! `[[conflicts]]` table, so the file stays valid TOML that every command reads; the readiness
//! check reports each until it is resolved.
//! The three-way merge of projects lives in `store::parse` and the conflict wording in `merge`
//! (below, since `store` reads files git left with markers); both are re-exported here.
//!
//! Layer: `team` (git). May import: `assessment`, `content`, `error`, `fsio`, `merge`, `safe`,
//! `store`, `util`.

use std::path::Path;

use crate::assessment::Project;
use crate::content::Library;
use crate::error::Error;
use crate::fsio;
use crate::merge::{self, Conflict};
pub use crate::merge::{conflict_names, has_markers, short_name, value_brief, value_line};
use crate::safe::terminal;
use crate::store;
use crate::store::parse::internal;
pub use crate::store::parse::{Merged, merge_projects, table_of, what_changed};

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
            "ftr: {}\nftr: merged {} line by line instead{}; check it with `ftr check`, then git add it",
            terminal(why),
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
            return Err(Error::input(
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
        Err(e) => return fall_back(&e.headline(), name, ours, base, theirs),
    };
    // Whatever goes wrong from here, the other side's changes must not be lost: git's own
    // merge, with markers where needed, is the safe answer.
    let merged = match merge_projects(name, base_p.as_ref(), &ours_p, &theirs_p, library)
        .and_then(|m| store::to_text(&m.project).map(|t| (m, t)))
    {
        Ok(m) => m,
        Err(e) => return fall_back(&e.headline(), name, ours, base, theirs),
    };
    let (merged, text) = merged;
    fsio::write_atomic(ours, text.as_bytes())?;
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
