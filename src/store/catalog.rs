//! Checklists on disk: a content folder (`--content`), and the checklists installed by the user
//! (`ftr checklists add`), kept in the user's data folder so a new AWS release needs no new
//! build, and scaffolds to write one from an existing version.
//!
//! The [`Library`] constructors that read the disk (`from_dir`, `load`, `add_installed`,
//! `parse_checklist_bytes`) are defined here; `content` parses what is read.
//!
//! Layer: `store` (moved from `content`). May import: `content`, `dates`, `error`, `fsio`, `safe`.

use std::path::{Path, PathBuf};

use crate::content::{self, Checklist, Library, parse_checklist};
use crate::dates::Date;
use crate::error::{Error, Located};
use crate::fsio::{self, TextKind, read_text_as};

impl Library {
    /// Checklists from a folder: every `*.toml` but `prerequisites.toml` is a checklist.
    pub fn from_dir(dir: &Path) -> Result<Library, Error> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::Io {
            path: dir.to_path_buf(),
            action: "read the content folder",
            source: e,
        })?;
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::Io {
                path: dir.to_path_buf(),
                action: "read the content folder",
                source: e,
            })?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        Library::from_files(dir, files, |path| read_text_as(path, TextKind::Checklist))
    }

    /// The embedded content, or the folder named on the command line.
    pub fn load(folder: Option<&Path>) -> Result<Library, Error> {
        match folder {
            Some(dir) => Library::from_dir(dir),
            None => Library::embedded(),
        }
    }

    /// Adds the checklists installed in the user's data folder to the catalog, and makes the
    /// newest version released by `today` the one in use for its model. A file that does not
    /// load, or that gives a known id another model, is left out and named in `problems`.
    pub fn add_installed(&mut self, today: Date) -> Result<(), Error> {
        let (found, problems) = installed();
        self.add_versions(found, problems, today);
        Ok(())
    }

    /// One checklist file's bytes, validated as when a content folder is loaded. For tests and
    /// fuzzing.
    pub fn parse_checklist_bytes(file: &str, bytes: &[u8]) -> Result<Checklist, Error> {
        let text = fsio::decode(Path::new(file), bytes.to_vec())?;
        parse_checklist(file, &text)
    }
}

/// The folder under the data folder that holds installed checklists, one file per version.
const FOLDER: &str = "checklists";

/// Where installed checklists live: `<data folder>/checklists` (`FTR_DATA_DIR` overrides the
/// data folder).
pub fn folder() -> Option<PathBuf> {
    fsio::data_dir().map(|d| d.join(FOLDER))
}

/// Text that can be part of a file name in the data folder, and nothing else.
fn safe_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && !text.starts_with('.')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The file an installed version is kept in.
fn file_for(dir: &Path, c: &Checklist) -> PathBuf {
    dir.join(format!("{}@{}.toml", c.id, c.version))
}

/// Every installed checklist, in file-name order, and a line for each file that could not be
/// read (left out, so one damaged file does not stop every command).
pub fn installed() -> (Vec<Checklist>, Vec<String>) {
    let Some(dir) = folder() else {
        return (Vec::new(), Vec::new());
    };
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
        Err(e) => {
            return (
                Vec::new(),
                vec![format!(
                    "the installed checklists in {} could not be read ({e}); only the built-in ones are used",
                    dir.display()
                )],
            );
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        let read = read_text_as(&path, TextKind::Checklist)
            .and_then(|text| parse_checklist(&path.display().to_string(), &text));
        match read {
            Ok(c) => out.push(c),
            Err(e) => problems.push(format!(
                "left out the installed checklist {}, which does not load ({}); install it again with `ftr checklists add FILE --replace`, or delete it",
                path.display(),
                e.headline()
            )),
        }
    }
    (out, problems)
}

/// The checklist files named by `path`: the file itself, or every `*.toml` in a folder but
/// `prerequisites.toml`.
fn files_in(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        action: "read",
        source: e,
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !meta.is_dir() {
        return Err(Error::input(
            format!(
                "{} is neither a file nor a folder (a device, a fifo or a socket)",
                path.display()
            ),
            "give a checklist .toml file, or a folder of them",
        ));
    }
    let entries = std::fs::read_dir(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        action: "read the folder",
        source: e,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .filter(|p| {
            p.file_name()
                .is_none_or(|n| n != content::PREREQUISITES_FILE)
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::invalid(Located {
            file: path.display().to_string(),
            line: None,
            field: None,
            message: "the folder holds no checklist (*.toml) file".into(),
            hint:
                "give a checklist file or a folder of them; content/README.md describes the format"
                    .into(),
        }));
    }
    Ok(files)
}

/// What installing checklists did: a line per checklist, and the checklists newly written
/// (with the installed file as their origin), to add to a library already loaded.
pub struct Added {
    pub lines: Vec<String>,
    pub checklists: Vec<Checklist>,
}

/// The folder of installed checklists, or an error that says how to give one.
pub fn folder_or_error() -> Result<PathBuf, Error> {
    folder().ok_or_else(|| {
        Error::blocked(
            "no data folder can be found for this user",
            "set FTR_DATA_DIR to a folder ftr may write to",
        )
    })
}

/// The folder of installed checklists in the data folder `data_dir`.
pub fn folder_in(data_dir: &Path) -> PathBuf {
    data_dir.join(FOLDER)
}

/// Validates the checklists at `path` and installs them into `dir` (the folder of installed
/// checklists); every file is checked before any is written. `replace` allows a different
/// file under an installed `ID@VERSION`.
pub fn add(dir: &Path, path: &Path, library: &Library, replace: bool) -> Result<Added, Error> {
    let dir = dir.to_path_buf();
    let found = read_new(path)?;
    let install = Install {
        // The built-in checklists count even when --content replaces them for this run.
        embedded: Library::embedded()?,
        library,
        dir: &dir,
        replace,
    };
    let mut lines = Vec::new();
    let mut writes = Vec::new();
    for (c, text, file) in found {
        let (line, target) = install.check(&c, &text, &file)?;
        lines.push(line);
        if let Some(target) = target {
            writes.push((target, text, c));
        }
    }
    if !writes.is_empty() {
        std::fs::create_dir_all(&dir).map_err(|e| Error::Io {
            path: dir.clone(),
            action: "create the folder for installed checklists",
            source: e,
        })?;
    }
    let mut checklists = Vec::new();
    for (target, text, mut c) in writes {
        fsio::write_atomic(&target, text.as_bytes())?;
        c.origin = target.display().to_string();
        checklists.push(c);
    }
    Ok(Added { lines, checklists })
}

/// Writes a copy of `from` as version `version` to `out` (see [`scaffold`]), never over a
/// file that is there.
pub fn write_scaffold(from: &Checklist, version: &str, out: &Path) -> Result<(), Error> {
    let text = scaffold(from, version)?;
    if std::fs::symlink_metadata(out).is_ok_and(|m| !m.file_type().is_symlink()) {
        return Err(Error::blocked(
            format!("{} exists already; nothing was written", out.display()),
            "give another file with --out, or move that one away",
        ));
    }
    fsio::write_no_link(out, text.as_bytes(), false)
}

/// The checklists at `path`, each with its text and file, validated; no two of them may share
/// a version, nor give one id two models.
fn read_new(path: &Path) -> Result<Vec<(Checklist, String, PathBuf)>, Error> {
    let mut found: Vec<(Checklist, String, PathBuf)> = Vec::new();
    for file in files_in(path)? {
        let text = read_text_as(&file, TextKind::Checklist)?;
        let c = parse_checklist(&file.display().to_string(), &text)?;
        if let Some((other, _, at)) = found.iter().find(|(o, _, _)| o.spec() == c.spec()) {
            return Err(at_file(
                &file,
                "checklist.version",
                format!("{} is also in {}", c.spec(), at.display()),
                format!(
                    "give each file its own version; {} is installed once",
                    other.spec()
                ),
            ));
        }
        if let Some((other, _, at)) = found
            .iter()
            .find(|(o, _, _)| o.id == c.id && o.model != c.model)
        {
            return Err(at_file(
                &file,
                "checklist.model",
                format!(
                    "checklist `{}` is for the {} model here and the {} model in {}",
                    c.id,
                    c.model,
                    other.model,
                    at.display()
                ),
                "a checklist id keeps its delivery model from version to version".into(),
            ));
        }
        found.push((c, text, file));
    }
    Ok(found)
}

/// A validation error about the checklist file `file`, at no line.
fn at_file(file: &Path, field: &str, message: String, hint: String) -> Error {
    Error::invalid(Located {
        file: file.display().to_string(),
        line: None,
        field: Some(field.into()),
        message,
        hint,
    })
}

/// What a checklist being installed is checked against.
struct Install<'a> {
    library: &'a Library,
    embedded: Library,
    /// The folder of installed checklists.
    dir: &'a Path,
    replace: bool,
}

impl Install<'_> {
    /// Whether `c` (read from `file`, whose text is `text`) may be installed: the line that
    /// says what happens, and the file to write (none when the same text is installed already).
    fn check(
        &self,
        c: &Checklist,
        text: &str,
        file: &Path,
    ) -> Result<(String, Option<PathBuf>), Error> {
        self.model_kept(c, file)?;
        for (field, value) in [("checklist.id", &c.id), ("checklist.version", &c.version)] {
            if !safe_name(value) {
                return Err(at_file(
                    file,
                    field,
                    format!("`{value}` cannot name an installed file"),
                    "use letters, digits, `-`, `_` and `.` (not first), e.g. version = \"2026-08\""
                        .into(),
                ));
            }
        }
        let target = file_for(self.dir, c);
        if self.version_taken(c, text, file, &target)? {
            let line = format!("{} is installed already ({})", c.spec(), target.display());
            return Ok((line, None));
        }
        let line = format!(
            "installed {} ({}, {} controls) as {}",
            c.spec(),
            c.name,
            c.controls.len(),
            target.display()
        );
        Ok((line, Some(target)))
    }

    /// A checklist id keeps its delivery model, among the loaded and the built-in checklists.
    fn model_kept(&self, c: &Checklist, file: &Path) -> Result<(), Error> {
        let Some(model) = self
            .library
            .catalog
            .iter()
            .chain(&self.embedded.catalog)
            .find(|k| k.id == c.id && k.model != c.model)
            .map(|k| k.model)
        else {
            return Ok(());
        };
        Err(at_file(
            file,
            "checklist.model",
            format!(
                "checklist `{}` is for the {model} model, this file says {}",
                c.id, c.model
            ),
            "a checklist id keeps its delivery model from version to version".into(),
        ))
    }

    /// Whether `c`'s version is installed already with the same text (at `target`). A version
    /// built in or loaded with --content is refused, and so is another file installed under it
    /// unless it is to be replaced.
    fn version_taken(
        &self,
        c: &Checklist,
        text: &str,
        file: &Path,
        target: &Path,
    ) -> Result<bool, Error> {
        match self.library.version(&c.id, &c.version) {
            Some(k) if !k.origin.starts_with(&self.dir.display().to_string()) => Err(at_file(
                file,
                "checklist.version",
                format!(
                    "{} is built in (or loaded with --content) already",
                    c.spec()
                ),
                "give the new release its own version, e.g. version = \"2026-08\"".into(),
            )),
            Some(_) => {
                let old = std::fs::read_to_string(target).unwrap_or_default();
                if old == *text {
                    return Ok(true);
                }
                if !self.replace {
                    return Err(at_file(
                        file,
                        "checklist.version",
                        format!("another file is installed as {}", c.spec()),
                        "add --replace to install this one in its place, or give it its own version".into(),
                    ));
                }
                Ok(false)
            }
            None => Ok(false),
        }
    }
}

/// The text of the file `checklist` was read from.
pub fn source_text(checklist: &Checklist) -> Result<String, Error> {
    if let Some(text) = content::embedded_text(&checklist.origin) {
        return Ok(text.to_string());
    }
    read_text_as(Path::new(&checklist.origin), TextKind::Checklist)
}

/// A copy of `from`'s file as version `version`, for editing into a new release: the version
/// and the header's dates changed, every control kept. Returns the text.
pub fn scaffold(from: &Checklist, version: &str) -> Result<String, Error> {
    let version = version.trim();
    if !safe_name(version) {
        return Err(Error::input(
            format!("`{version}` is not a version"),
            "write it as AWS names the release, e.g. 2026-08",
        ));
    }
    let text = source_text(from)?;
    let mut out = String::with_capacity(text.len() + 400);
    let mut in_header = false;
    // The delimiter of the multi-line string a line is inside: its text is copied as it is.
    let mut in_text: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(delim) = in_text {
            if line.matches(delim).count() % 2 == 1 {
                in_text = None;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        in_text = ["\"\"\"", "\'\'\'"]
            .into_iter()
            .find(|d| line.matches(d).count() % 2 == 1);
        if trimmed.starts_with('[') {
            in_header = trimmed.starts_with("[checklist]");
        }
        let key = trimmed.split('=').next().unwrap_or_default().trim();
        if in_header && trimmed.contains('=') && key == "version" {
            out.push_str(&format!(
                "# Copied from {} by `ftr checklists scaffold`: edit what AWS changed, then\n\
                 # `ftr checklists add FILE` and `ftr checklists diff {} {}@{version}`.\n",
                from.spec(),
                from.spec(),
                from.id
            ));
            out.push_str(&format!("version = \"{version}\"\n"));
            out.push_str(&format!("supersedes = \"{}\"\n", from.version));
            continue;
        }
        if in_header && trimmed.contains('=') && key == "supersedes" {
            continue;
        }
        // The dates are the old release's: kept as comments, to set from AWS's page.
        if in_header
            && trimmed.contains('=')
            && matches!(
                key,
                "released"
                    | "released_approximate"
                    | "usable_until"
                    | "usable_until_approximate"
                    | "previous_accepted_until"
                    | "previous_accepted_until_approximate"
                    | "last_verified"
                    | "valid_from"
                    | "valid_until"
            )
        {
            out.push_str(&format!(
                "# {trimmed}   (of {}: set this release's)\n",
                from.spec()
            ));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    // The copy must load as it is, so it can be installed before any edit.
    parse_checklist(&format!("{}@{version}", from.id), &out)?;
    Ok(out)
}
