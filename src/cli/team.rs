//! Two people, one assessment: `ftr resolve` (keep one side of each field a merge changed two
//! ways), `ftr init-git` (have git merge the project file per field) and `ftr merge-driver`
//! (the merge git runs).
//!
//! Imports `output`.

use std::path::{Path, PathBuf};

use super::output::{Outcome, exit};
use crate::content::Library;
use crate::error::Error;
use crate::merge::Conflict;
use crate::safe::terminal;
use crate::store::{self, DEFAULT_FILE, Loaded, Merged};
use crate::team::{self, Side};

/// `ftr resolve`: merges a file git left with markers, keeps the side asked for, and lists
/// what is left (exit 1 while any conflict is).
pub(super) fn resolve(
    path: &Path,
    fields: &[String],
    take: Option<Side>,
    all: bool,
    library: &Library,
) -> Result<Outcome, Error> {
    let target = store::save_target(path)?;
    let _lock = store::DirLock::acquire(&store::project_dir(&target))?;
    let (mut loaded, merged) = store::load_resolving(path, library)?;
    let file = path.display().to_string();
    let mut out = String::new();
    let mut changed = false;
    if let Some(m) = &merged {
        changed = true;
        out.push_str(&merged_note(&file, m));
    }
    if let Some(side) = take {
        let chosen = chosen(&loaded, fields, all)?;
        for c in &chosen {
            out.push_str(&keep(&mut loaded, &file, c, side, library)?);
            changed = true;
        }
    } else if !fields.is_empty() {
        return Err(Error::usage(
            "name the side to keep with --take ours or --take theirs",
            "ftr resolve IAM-001 --take theirs",
        ));
    }
    if changed {
        loaded.save_unlocked_target(&target)?;
    }
    Ok(left(&loaded.project.conflicts, &file, out))
}

/// "Merged the two versions in FILE per field; from the other side: IAM-001."
fn merged_note(file: &str, m: &Merged) -> String {
    let mut out = format!("Merged the two versions in {} per field", terminal(file));
    if !m.changed.is_empty() {
        out.push_str(&format!(
            "; from the other side: {}",
            terminal(&m.changed.join(", "))
        ));
    }
    out.push_str(".\n");
    out
}

/// The conflicts `fields` (or `all`) select; an error when nothing is named or a field matches
/// no conflict.
fn chosen(loaded: &Loaded, fields: &[String], all: bool) -> Result<Vec<Conflict>, Error> {
    if fields.is_empty() && !all {
        return Err(Error::usage(
            "--take needs the fields to take it for",
            "name controls or fields (ftr resolve IAM-001 --take theirs), or give --all",
        ));
    }
    let conflicts = &loaded.project.conflicts;
    for f in fields {
        if !conflicts.iter().any(|c| team::selects(f, &c.at)) {
            return Err(Error::input(
                format!("no conflict matches `{f}`"),
                "run `ftr resolve` to list them; nothing was changed",
            ));
        }
    }
    Ok(conflicts
        .iter()
        .filter(|c| all || fields.iter().any(|f| team::selects(f, &c.at)))
        .cloned()
        .collect())
}

/// Settles `c` with `side`; returns the line that says what was kept.
fn keep(
    loaded: &mut Loaded,
    file: &str,
    c: &Conflict,
    side: Side,
    library: &Library,
) -> Result<String, Error> {
    loaded.project = team::settle(file, &loaded.project, c, side, library)?;
    let (word, kept) = match side {
        // Ours is what the file holds now, also when changed since the merge.
        Side::Ours => (
            "ours",
            crate::merge::get_at(&team::table_of(&loaded.project)?, &c.at).cloned(),
        ),
        Side::Theirs => ("theirs", c.theirs.clone()),
    };
    Ok(format!(
        "{}: kept {word}: {}\n",
        terminal(&team::short_name(&c.at)),
        terminal(&team::value_brief(kept.as_ref(), 100))
    ))
}

/// `out`, then the conflicts left with both values and how to keep one (exit 1), or how to
/// finish the merge when none is left.
fn left(open: &[Conflict], file: &str, mut out: String) -> Outcome {
    if open.is_empty() {
        out.push_str(&format!(
            "No conflicts left. Finish the merge in git: git add {} && git commit\n",
            crate::safe::shell_word(file)
        ));
        return Outcome::ok(out);
    }
    out.push_str(&format!(
        "{} field(s) changed two ways; each keeps ours until you choose:\n",
        open.len()
    ));
    for c in open {
        out.push_str(&format!(
            "\n{}\n  ours:   {}\n  theirs: {}\n",
            terminal(&team::short_name(&c.at)),
            terminal(&team::value_brief(c.ours.as_ref(), 100)),
            terminal(&team::value_brief(c.theirs.as_ref(), 100)),
        ));
    }
    let first = open[0]
        .at
        .get(2)
        .filter(|_| crate::merge::control_of(&open[0].at).is_some())
        .cloned()
        .unwrap_or_else(|| crate::merge::display_path(&open[0].at));
    out.push_str(&format!(
        "\nKeep one side: ftr resolve {} --take ours|theirs (or --all), or open the wizard to see both in full.\n",
        crate::safe::shell_word(&first)
    ));
    Outcome {
        stdout: out,
        code: exit::NOT_READY,
    }
}

/// `ftr merge-driver BASE OURS THEIRS [NAME]`: what git runs to merge the project file; the
/// message goes to standard error, exit 1 when a field was changed two ways.
pub(super) fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    name: Option<&str>,
    library: &Library,
) -> Result<Outcome, Error> {
    let report = team::merge_driver(base, ours, theirs, name, library)?;
    eprintln!("{}", report.message);
    Ok(Outcome {
        stdout: String::new(),
        code: report.code,
    })
}

/// `ftr init-git`: `.gitattributes` beside the project file names it for the `ftr` driver, and
/// this clone's git config says how to run it.
pub(super) fn init_git(path: &Path) -> Result<Outcome, Error> {
    let dir = store::project_dir(path);
    let top = git(&dir, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(Error::blocked(
            format!("{} is not in a git repository", dir.display()),
            "run `git init` (or clone the repository) first, then ftr init-git",
        ));
    }
    let mut out = write_attributes(path, &dir)?;
    let program = driver_program();
    let driver = format!("{program} merge-driver %O %A %B %P");
    for (key, value) in [
        ("merge.ftr.name", "ftr project file merge"),
        ("merge.ftr.driver", driver.as_str()),
    ] {
        let set = git(&dir, &["config", key, value])?;
        if !set.status.success() {
            return Err(Error::blocked(
                format!(
                    "git config {key} failed: {}",
                    String::from_utf8_lossy(&set.stderr).trim()
                ),
                "check that the repository's .git/config is writable",
            ));
        }
    }
    out.push_str(&format!(
        "Set merge.ftr.driver = {} in this clone's git config (each teammate runs ftr init-git once; git does not share its config).\n",
        terminal(&driver)
    ));
    Ok(Outcome::ok(out))
}

/// Runs git in `dir`.
fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, Error> {
    std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| {
            Error::blocked(
                format!("git could not be run: {e}"),
                "install git, then run ftr init-git again",
            )
        })
}

/// Adds `<file> merge=ftr` to the `.gitattributes` in `dir` unless it holds the line; returns
/// what it did.
fn write_attributes(path: &Path, dir: &Path) -> Result<String, Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| DEFAULT_FILE.into());
    let pattern = attribute_pattern(&name);
    let line = format!("{pattern} merge=ftr");
    let attributes: PathBuf = dir.join(".gitattributes");
    if std::fs::symlink_metadata(&attributes).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::blocked(
            format!("{} is a symbolic link", attributes.display()),
            "ftr writes no file through a link; replace the link with the file itself; nothing was written",
        ));
    }
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(Error::Io {
                path: attributes,
                action: "read",
                source: e,
            });
        }
    };
    if existing.lines().any(|l| l.trim() == line) {
        return Ok(format!(
            "{} already names {} for the ftr merge driver.\n",
            terminal(&attributes.display().to_string()),
            terminal(&name)
        ));
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&line);
    text.push('\n');
    store::write_no_link(&attributes, text.as_bytes(), true)?;
    Ok(format!(
        "Wrote `{}` to {}: commit it, so the whole team merges this way.\n",
        terminal(&line),
        terminal(&attributes.display().to_string())
    ))
}

/// A `.gitattributes` pattern that matches the file `name` and nothing else: glob characters
/// escaped, and the whole in C-style quotes when it holds a space, a quote, a backslash or a
/// character that would start a comment or negation.
fn attribute_pattern(name: &str) -> String {
    // As a glob: its special characters and a backslash taken literally, and a leading `!`
    // (a negation, which git ignores in attributes) or `#` (a comment) escaped.
    let mut escaped = String::new();
    for (i, c) in name.chars().enumerate() {
        if "*?[]\\".contains(c) || (i == 0 && (c == '!' || c == '#')) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let needs_quotes = name
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '\\' || c.is_control());
    if !needs_quotes {
        return escaped;
    }
    let mut out = String::from("\"");
    for c in escaped.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How git should start this program: `ftr` when that name on PATH is this very program, else
/// its full path.
fn driver_program() -> String {
    let Ok(me) = std::env::current_exe().and_then(|p| p.canonicalize()) else {
        return "ftr".into();
    };
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("ftr"))
            .find(|p| p.is_file())
    });
    if on_path.and_then(|p| p.canonicalize().ok()).as_ref() == Some(&me) {
        return "ftr".into();
    }
    crate::safe::shell_word(&me.to_string_lossy()).into_owned()
}
