//! The project file on disk: reading, validating, atomic saving, locking, and the list of
//! recent projects.
//!
//! A save never replaces a file that was not read successfully, and never a file that changed
//! on disk after it was read: the bytes are compared under an advisory lock just before the
//! rename. Nor does it write a file that a load would refuse for its size. A project file that
//! is a symbolic link stays one: the save replaces the file the link points to.

pub mod layout;
pub mod recent;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::assessment::{Project, SCHEMA_VERSION};
use crate::content::Library;
use crate::error::{Error, LargePart, Located, TooLarge, toml_error};

/// The file name used when none is given.
pub const DEFAULT_FILE: &str = "ftr-assessment.toml";

/// Largest project file read: far beyond any real assessment, small enough to refuse junk.
pub const MAX_PROJECT_BYTES: u64 = 8 * 1024 * 1024;

/// A project file as loaded, with the fingerprint of the bytes it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub project: Project,
    /// SHA-256 of the file's bytes when read; `None` for a file not yet written.
    digest: Option<[u8; 32]>,
    /// The project as last read from or written to disk: the common ancestor when the file
    /// changes on disk while this copy changes in memory.
    base: Project,
}

impl Loaded {
    /// A new project that will be written to `path` (which must not exist yet).
    pub fn create(path: &Path, project: Project) -> Loaded {
        Loaded {
            path: path.to_path_buf(),
            base: project.clone(),
            project,
            digest: None,
        }
    }

    /// The folder that relative evidence paths start from.
    pub fn dir(&self) -> PathBuf {
        project_dir(&self.path)
    }

    /// Writes the project atomically, after checking under the lock that the file on disk is
    /// still the one that was read.
    pub fn save(&mut self) -> Result<(), Error> {
        let target = save_target(&self.path)?;
        let _lock = DirLock::acquire(&project_dir(&target))?;
        self.save_locked(&target)
    }

    /// The save itself, under the lock on `target`'s folder: `target` is the file `self.path`
    /// names, its symbolic links followed.
    fn save_locked(&mut self, target: &Path) -> Result<(), Error> {
        remove_stale_temporaries(&project_dir(target));
        let on_disk = read_digest(target)?;
        if on_disk != self.digest {
            return Err(Error::Conflict {
                path: self.path.clone(),
            });
        }
        let text = to_text(&self.project)?;
        check_size(&self.path, &self.project, &text)?;
        write_atomic(target, text.as_bytes())?;
        self.digest = Some(digest(text.as_bytes()));
        self.base = self.project.clone();
        Ok(())
    }

    /// Reads `path`, applies `change` and writes the result, all under the lock, so two
    /// processes that change different answers never lose each other's work.
    pub fn update<T>(
        path: &Path,
        library: &Library,
        change: impl FnOnce(&mut Loaded) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let target = save_target(path)?;
        let _lock = DirLock::acquire(&project_dir(&target))?;
        let mut loaded = load(path, library)?;
        let before = loaded.project.clone();
        let out = change(&mut loaded)?;
        if loaded.project != before {
            loaded.save_locked(&target)?;
        }
        Ok(out)
    }

    /// [`Loaded::save`] for a caller that holds the folder lock already; `target` is
    /// [`save_target`] of the path.
    pub fn save_unlocked_target(&mut self, target: &Path) -> Result<(), Error> {
        self.save_locked(target)
    }

    /// Takes in what changed on disk since the file was last read or written (a `git pull`,
    /// a teammate's `ftr answer`), merged with what changed here as `ftr merge-driver` merges:
    /// different fields combine; a field changed both ways keeps the value here, with both in
    /// `project.conflicts`. A file git left with conflict markers is merged from its two
    /// versions first. `None` when the file is unchanged; nothing is written (save to write
    /// the result: it then replaces the file as merged).
    pub fn merge_from_disk(
        &mut self,
        library: &Library,
    ) -> Result<Option<crate::team::Merged>, Error> {
        if !self.changed_on_disk()? {
            return Ok(None);
        }
        let (disk, _) = load_resolving(&self.path, library)?;
        let file = self.path.display().to_string();
        let merged = crate::team::merge_projects(
            &file,
            Some(&self.base),
            &self.project,
            &disk.project,
            library,
        )?;
        self.project = merged.project.clone();
        self.digest = disk.digest;
        self.base = disk.project;
        Ok(Some(merged))
    }

    /// Whether what is in memory differs from the file as last read or written.
    pub fn differs_from_disk(&self) -> bool {
        self.project != self.base
    }

    /// Reads the file again, dropping what is in memory.
    pub fn reload(&mut self, library: &Library) -> Result<(), Error> {
        *self = load(&self.path, library)?;
        Ok(())
    }

    /// Writes the project over whatever is on disk now, after the user chose to.
    pub fn overwrite(&mut self) -> Result<(), Error> {
        let target = save_target(&self.path)?;
        let _lock = DirLock::acquire(&project_dir(&target))?;
        self.digest = read_digest(&target)?;
        self.save_locked(&target)
    }

    /// True when the file on disk is no longer the one that was read (or last saved).
    pub fn changed_on_disk(&self) -> Result<bool, Error> {
        Ok(read_digest(&self.path)? != self.digest)
    }
}

/// Refuses text that a load would refuse for its size, naming the text that takes the room.
fn check_size(path: &Path, project: &Project, text: &str) -> Result<(), Error> {
    let bytes = text.len() as u64;
    if bytes <= MAX_PROJECT_BYTES {
        return Ok(());
    }
    // Name a text only when it is a good part of the file; else the answers together are.
    let part = largest_part(project).filter(|p| p.bytes >= bytes / 4);
    Err(Error::TooLarge(Box::new(TooLarge {
        file: path.display().to_string(),
        bytes,
        limit: MAX_PROJECT_BYTES,
        part,
    })))
}

/// Roughly the bytes `text` takes as a TOML string: control characters become six-byte
/// `\uXXXX` escapes (line breaks and tabs stay as they are), quotes and backslashes two bytes.
fn written_size(text: &str) -> (u64, bool) {
    let mut bytes = 2u64;
    let mut escaped = 0u64;
    for c in text.chars() {
        bytes += match c {
            '\n' | '\t' => 1,
            '"' | '\\' => 2,
            c if c.is_control() => {
                escaped += 6;
                6
            }
            c => c.len_utf8() as u64,
        };
    }
    (bytes, escaped * 2 >= bytes)
}

/// The text of the project that takes the most room once written.
fn largest_part(project: &Project) -> Option<LargePart> {
    let mut best: Option<LargePart> = None;
    let mut consider = |field: String, control: Option<&str>, name: &str, text: &str| {
        let (bytes, escapes) = written_size(text);
        if best.as_ref().is_none_or(|b| bytes > b.bytes) {
            best = Some(LargePart {
                field,
                control: control.map(str::to_string),
                name: name.to_string(),
                bytes,
                escapes,
            });
        }
    };
    let p = &project.profile;
    for (name, text) in [
        ("company", &p.company),
        ("product", &p.product),
        ("contact_name", &p.contact_name),
        ("contact_email", &p.contact_email),
    ] {
        consider(format!("profile.{name}"), None, name, text);
    }
    let files = p
        .diagram
        .iter()
        .map(|e| ("profile.diagram", "diagram", e))
        .chain(
            p.security_reports
                .iter()
                .map(|e| ("profile.security_reports", "security report", e)),
        );
    for (at, what, e) in files {
        consider(format!("{at}.path"), None, &format!("{what} path"), &e.path);
        consider(
            format!("{at}.label"),
            None,
            &format!("{what} label"),
            &e.label,
        );
        if let Some(l) = &e.link_to {
            consider(format!("{at}.link_to"), None, &format!("{what} link"), l);
        }
    }
    for (checklist, answers) in &project.answers {
        for (control, a) in answers {
            let at = format!("answers.{checklist}.{control}");
            let c = Some(control.as_str());
            for (name, text) in [
                ("response", &a.response),
                ("notes", &a.notes),
                ("reason", &a.reason),
                ("remediation.what", &a.remediation.what),
                ("remediation.owner", &a.remediation.owner),
            ] {
                consider(format!("{at}.{name}"), c, name, text);
            }
            for (key, text) in &a.values {
                consider(format!("{at}.values.{key}"), c, "value", text);
            }
            for e in &a.evidence {
                consider(format!("{at}.evidence.path"), c, "evidence path", &e.path);
                consider(
                    format!("{at}.evidence.label"),
                    c,
                    "evidence label",
                    &e.label,
                );
                if let Some(l) = &e.link_to {
                    consider(format!("{at}.evidence.link_to"), c, "evidence link", l);
                }
            }
        }
    }
    best
}

/// Removes temporary files left by a save that was killed midway. Only called under the
/// folder lock, which every writer holds while its temporary file exists, so any such file
/// found then belongs to a process that is gone.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".ftr-save-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The folder of a project file (`.` for a bare file name).
pub fn project_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn read_digest(path: &Path) -> Result<Option<[u8; 32]>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(digest(&bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Io {
            path: path.to_path_buf(),
            action: "read",
            source: e,
        }),
    }
}

/// What a text file read is, for messages that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Project,
    Checklist,
    /// A response read with `--response-file`.
    Response,
}

impl TextKind {
    fn noun(self) -> &'static str {
        match self {
            TextKind::Project => "a project file",
            TextKind::Checklist => "a checklist file",
            TextKind::Response => "a response file",
        }
    }

    /// What to do about a file that is not one, or too big to be one.
    fn hint(self, too_big: bool) -> &'static str {
        match (self, too_big) {
            (TextKind::Project, false) => "name the project's .toml file",
            (TextKind::Project, true) => {
                "this is not a project file, or a response holds pasted data; trim it in an editor"
            }
            (TextKind::Checklist, false) => {
                "give a checklist .toml file, or a folder of them (content/README.md describes the format)"
            }
            (TextKind::Checklist, true) => {
                "this is not a checklist file: a checklist is a TOML file of controls (content/README.md)"
            }
            (TextKind::Response, _) => "give a text file holding the response",
        }
    }
}

/// Reads a project file's text: UTF-8, with a byte-order mark allowed and dropped.
pub fn read_text(path: &Path) -> Result<String, Error> {
    read_text_as(path, TextKind::Project)
}

/// Reads a text file of the kind `kind`: UTF-8, with a byte-order mark allowed and dropped;
/// messages name the kind.
pub fn read_text_as(path: &Path, kind: TextKind) -> Result<String, Error> {
    let bytes = read_limited(path, kind)?;
    decode(path, bytes)
}

fn read_limited(path: &Path, kind: TextKind) -> Result<Vec<u8>, Error> {
    let io = |e| Error::Io {
        path: path.to_path_buf(),
        action: "read",
        source: e,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Error::usage(
            format!("{} is not a regular file", path.display()),
            kind.hint(false),
        ));
    }
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(Error::invalid(Located {
            file: path.display().to_string(),
            line: None,
            field: None,
            message: format!(
                "the file is {} bytes; {} is at most {MAX_PROJECT_BYTES}",
                meta.len(),
                kind.noun()
            ),
            hint: kind.hint(true).into(),
        }));
    }
    std::fs::read(path).map_err(io)
}

/// A project file's bytes as a project: what `load` does after reading. For tests and fuzzing.
pub fn parse_bytes(file: &str, bytes: &[u8], library: &Library) -> Result<Project, Error> {
    let text = decode(Path::new(file), bytes.to_vec())?;
    parse(file, &text, library)
}

/// Bytes as UTF-8 text, a byte-order mark dropped; the error names where the text breaks.
pub fn decode(path: &Path, mut bytes: Vec<u8>) -> Result<String, Error> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        let (line, column) = crate::error::line_col(&valid, offset);
        Error::parse(Located {
            file: path.display().to_string(),
            line: Some((line, column)),
            field: None,
            message: "the file is not valid UTF-8 text".into(),
            hint: "save it as UTF-8 in your editor; nothing was changed".into(),
        })
    })
}

/// Parses project text; `file` is the name shown in messages.
pub fn parse(file: &str, text: &str, library: &Library) -> Result<Project, Error> {
    if let Some(at) = text.find('\0') {
        let (line, column) = crate::error::line_col(text, at);
        return Err(Error::parse(Located {
            file: file.to_string(),
            line: Some((line, column)),
            field: None,
            message: "the file holds a NUL byte, so it is not a text project file".into(),
            hint: "restore it from git or a backup; nothing was changed".into(),
        }));
    }
    if let Some(at) = bare_carriage_return(text) {
        let (line, column) = crate::error::line_col(text, at);
        let message = if text.contains('\n') {
            "the line ends in a carriage return without a line feed (a classic Mac OS line end); TOML lines end in LF or CR LF"
        } else {
            "every line ends in a carriage return alone (classic Mac OS line ends); TOML lines end in LF or CR LF"
        };
        return Err(Error::parse(Located {
            file: file.to_string(),
            line: Some((line, column)),
            field: None,
            message: message.into(),
            hint: "save the file with LF (or CR LF) line ends: most editors have a line-ending setting; nothing was changed".into(),
        }));
    }
    // A merge that stopped: say which controls conflict and how to go on, not a syntax error.
    if crate::team::has_markers(text) {
        return Err(crate::team::markers_error(file, text, library));
    }
    // The schema version first, so a newer file gets a clear word rather than a field error.
    if let Ok(table) = text.parse::<toml::Table>()
        && let Some(v) = table
            .get("schema_version")
            .and_then(toml::Value::as_integer)
        && v > i64::from(SCHEMA_VERSION)
    {
        return Err(Error::invalid(Located {
            file: file.to_string(),
            line: crate::error::value_position(text, "schema_version"),
            field: Some("schema_version".into()),
            message: format!(
                "the file is schema version {v}; this ftr reads up to version {SCHEMA_VERSION}"
            ),
            hint: "update ftr to open it; nothing was changed".into(),
        }));
    }
    let mut project: Project = toml::from_str(text).map_err(|e| {
        let mut err = toml_error(file, text, &e);
        if let Error::Parse(at) = &mut err {
            if at.message.contains("missing field `schema_version`") {
                at.line = None;
                at.hint = format!(
                    "a project file starts with schema_version = {SCHEMA_VERSION}; create one with `ftr new`"
                );
            } else if at.message.contains(crate::assessment::NOT_A_TABLE) {
                at.hint = "write it as a table, as the message shows, each value under its own name on its own line; values in an array are not read by position; nothing was changed".into();
            } else if at.message.contains(crate::assessment::evidence::NOT_A_SHA256) {
                at.hint = "restore the value from git or a backup, or attach the file again to record its fingerprint: ftr answer ID --evidence FILE; nothing was changed".into();
            }
        }
        err
    })?;
    let at = |key: &str| crate::error::value_position(text, key);
    if project.schema_version == 0 {
        return Err(Error::invalid(Located {
            file: file.to_string(),
            line: at("schema_version"),
            field: Some("schema_version".into()),
            message: "schema_version must be 1 or more".into(),
            hint: format!("set schema_version = {SCHEMA_VERSION}"),
        }));
    }
    let d = &project.delivery;
    if !d.checklist.is_empty() {
        match library.checklist(&d.checklist) {
            None => {
                let known: Vec<&str> = library.checklists.iter().map(|c| c.id.as_str()).collect();
                return Err(Error::invalid(Located {
                    file: file.to_string(),
                    line: at("delivery.checklist"),
                    field: Some("delivery.checklist".into()),
                    message: format!("unknown checklist `{}`", d.checklist),
                    hint: format!(
                        "use one of {}, or load the content that has it with --content DIR; nothing was changed",
                        known.join(", ")
                    ),
                }));
            }
            Some(c) if Some(c.model) != d.model => {
                return Err(Error::invalid(Located {
                    file: file.to_string(),
                    line: at("delivery.model").or_else(|| at("delivery.checklist")),
                    field: Some("delivery.model".into()),
                    message: format!(
                        "checklist `{}` is for the {} model, but the file says {}",
                        c.id,
                        c.model,
                        d.model.map_or("none".to_string(), |m| m.to_string())
                    ),
                    hint: format!("set model = \"{}\" or fix the checklist id", c.model),
                }));
            }
            Some(c) => project.layout = crate::assessment::Layout::of(c),
        }
    }
    // An unanswered control's table holds nothing: it marks the control's place in the file,
    // which the layout gives it again on saving.
    for answers in project.answers.values_mut() {
        answers.retain(|_, a| !a.is_empty());
    }
    project.answers.retain(|_, a| !a.is_empty());
    // An older layout is read as it is and written in this one on the next save; a project from
    // before the workbook rows records that move then too.
    let read = project.schema_version;
    let today = crate::dates::Clock::from_env()
        .unwrap_or_else(|_| crate::dates::Clock::system())
        .today();
    let checklist = library.checklist(&project.delivery.checklist);
    project.record_rows_schema(checklist, read, today);
    project.schema_version = SCHEMA_VERSION;
    Ok(project)
}

/// Where `text` holds a carriage return that no line feed follows. TOML allows one nowhere (not
/// even in a string or a comment), so a file with one cannot load; saying so names the line.
fn bare_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|(i, _)| i)
}

/// Refuses a `link_to` on evidence whose path is there but is not a symbolic link: the file
/// would be reported as a link to somewhere it never pointed. A path that is missing (or cannot
/// be looked at) loads: the readiness check reports it, and a project whose evidence is not
/// on this machine yet still opens.
fn check_links(file: &str, text: &str, project: &Project, dir: &Path) -> Result<(), Error> {
    // Each list of files with the field its entries are written under and the command that
    // attaches a file of it again.
    let mut lists: Vec<(String, &[crate::assessment::Evidence], String)> = Vec::new();
    for slot in crate::assessment::Slot::ALL {
        let field = match slot {
            crate::assessment::Slot::Diagram => "profile.diagram",
            crate::assessment::Slot::SecurityReport => "profile.security_reports",
            crate::assessment::Slot::DeploymentGuide => "profile.deployment_guide",
            crate::assessment::Slot::AlternativeReport => "profile.alternative_report",
        };
        lists.push((
            field.into(),
            slot.files(&project.profile),
            format!("ftr set {}", slot.key()),
        ));
    }
    for (checklist, answers) in &project.answers {
        for (control, answer) in answers {
            lists.push((
                format!("answers.{checklist}.{control}.evidence"),
                &answer.evidence,
                format!("ftr answer {control} --evidence"),
            ));
        }
    }
    for (at, files, attach) in lists {
        let linked = files.iter().filter(|e| e.link_to.is_some());
        for (nth, ev) in linked.enumerate() {
            let Ok(meta) = std::fs::symlink_metadata(ev.resolve(dir)) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                continue;
            }
            let field = format!("{at}.link_to");
            let kind = if meta.is_dir() {
                "a folder"
            } else if meta.is_file() {
                "a regular file"
            } else {
                "not a symbolic link"
            };
            return Err(Error::invalid(Located {
                file: file.to_string(),
                line: crate::error::value_position_nth(text, &field, nth),
                field: Some(field),
                message: format!(
                    "evidence `{}` is {kind}, not a symbolic link, yet link_to says it points to `{}`",
                    ev.path,
                    ev.link_to.as_deref().unwrap_or_default()
                ),
                hint: if meta.is_file() {
                    format!(
                        "remove that link_to line, or attach the file again to record it as it is: {attach} {}; nothing was changed",
                        crate::safe::shell_word(&ev.path)
                    )
                } else {
                    "remove that evidence entry: only regular files can be evidence (a folder can be zipped and the zip attached); nothing was changed".into()
                },
            }));
        }
    }
    Ok(())
}

/// Loads and validates a project file. Nothing on disk changes, whatever is wrong with it.
pub fn load(path: &Path, library: &Library) -> Result<Loaded, Error> {
    let bytes = match read_limited(path, TextKind::Project) {
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::usage(
                format!("no project file at {}", path.display()),
                "create one with `ftr new`, or name it with --project PATH",
            ));
        }
        other => other?,
    };
    let digest = digest(&bytes);
    let text = decode(path, bytes)?;
    let file = path.display().to_string();
    let project = parse(&file, &text, library)?;
    check_links(&file, &text, &project, &project_dir(path))?;
    Ok(Loaded {
        path: path.to_path_buf(),
        base: project.clone(),
        project,
        digest: Some(digest),
    })
}

/// Loads a project file, or one that git left with conflict markers: that one is merged again
/// per field from the two versions in it (see [`crate::team::from_markers`]), and saving the
/// result replaces the marked file, unless it changed meanwhile. The merge is returned with it.
pub fn load_resolving(
    path: &Path,
    library: &Library,
) -> Result<(Loaded, Option<crate::team::Merged>), Error> {
    let bytes = match read_limited(path, TextKind::Project) {
        Ok(b) => b,
        Err(_) => return load(path, library).map(|l| (l, None)),
    };
    let text = decode(path, bytes.clone())?;
    if !crate::team::has_markers(&text) {
        return load(path, library).map(|l| (l, None));
    }
    let merged = crate::team::from_markers(&path.display().to_string(), &text, library)?;
    let loaded = Loaded {
        path: path.to_path_buf(),
        project: merged.project.clone(),
        digest: Some(digest(&bytes)),
        base: merged.project.clone(),
    };
    Ok((loaded, Some(merged)))
}

/// The project as TOML text, in the layout that merges: see [`layout`].
pub fn to_text(project: &Project) -> Result<String, Error> {
    layout::to_text(project)
}

/// The file a save replaces: `path` itself, or, when `path` is a symbolic link, the file at
/// the end of its links (a relative link read from the link's own folder). The target need not
/// exist yet.
pub fn save_target(path: &Path) -> Result<PathBuf, Error> {
    /// As many links as Linux follows before it gives up with "too many levels".
    const MAX_LINKS: usize = 40;
    let mut at = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(at),
            Err(e) => {
                return Err(Error::Io {
                    path: at,
                    action: "look at",
                    source: e,
                });
            }
        };
        if !meta.file_type().is_symlink() {
            return Ok(at);
        }
        let to = std::fs::read_link(&at).map_err(|e| Error::Io {
            path: at.clone(),
            action: "read the symbolic link",
            source: e,
        })?;
        at = if to.is_absolute() {
            to
        } else {
            project_dir(&at).join(to)
        };
    }
    Err(Error::usage(
        format!(
            "{} is a loop of symbolic links (or a chain of more than {MAX_LINKS}); nothing was written",
            path.display()
        ),
        "point the link at the project file itself, or name the file with --project PATH",
    ))
}

/// Where a migration keeps the project file as it was: beside it, named after the version it
/// answered (`ftr-assessment.toml.2026-02.bak`), numbered when that name is taken.
pub fn backup_path(file: &Path, version: &str) -> PathBuf {
    let name = file
        .file_name()
        .map_or_else(|| DEFAULT_FILE.into(), |n| n.to_string_lossy().into_owned());
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut candidate = dir.join(format!("{name}.{version}.bak"));
    let mut n = 1;
    // Taken by anything, a link that points nowhere included.
    while std::fs::symlink_metadata(&candidate).is_ok() {
        candidate = dir.join(format!("{name}.{version}.{n}.bak"));
        n += 1;
    }
    candidate
}

/// Copies the project file at `file` byte for byte to [`backup_path`] for `version`, before a
/// migration changes it. Returns where the copy is.
pub fn write_backup(file: &Path, version: &str) -> Result<PathBuf, Error> {
    let backup = backup_path(file, version);
    let bytes = std::fs::read(file).map_err(|e| Error::Io {
        path: file.to_path_buf(),
        action: "read",
        source: e,
    })?;
    write_no_link(&backup, &bytes, false)?;
    Ok(backup)
}

/// Writes `bytes` to `path` as a file of its own, never through a symbolic link: a link there
/// (one that points nowhere too) is refused and nothing is written. With `replace` a regular
/// file there is replaced; without, anything there is refused. The file is written beside its
/// place and renamed into it, so it is never seen half-written.
pub fn write_no_link(path: &Path, bytes: &[u8], replace: bool) -> Result<(), Error> {
    let refuse = |message: String| {
        Err(Error::usage(
            message,
            "ftr writes no file through a link; remove the link or name another file; nothing was written",
        ))
    };
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return refuse(format!("{} is a symbolic link", path.display()));
        }
        Ok(m) if !replace || !m.is_file() => {
            return refuse(format!("{} exists already", path.display()));
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |action: &'static str| {
        move |e: std::io::Error| Error::Io {
            path: path.to_path_buf(),
            action,
            source: e,
        }
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".ftr-new-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(io("create a temporary file beside"))?;
    tmp.write_all(bytes).map_err(io("write"))?;
    tmp.as_file().sync_all().map_err(io("sync"))?;
    // A rename replaces the name itself: a link put there meanwhile is replaced, not followed;
    // without `replace`, nothing there is replaced at all.
    let placed = if replace {
        tmp.persist(path).map(|_| ()).map_err(|e| e.error)
    } else {
        tmp.persist_noclobber(path).map(|_| ()).map_err(|e| e.error)
    };
    placed.map_err(io("write"))
}

/// Writes `bytes` to `path` through a temporary file in the same folder: written, synced, given
/// the permissions of the file it replaces (a new file is private to the user), then renamed
/// over the target. Readers see the old file or the new one, never a mix. When `path` is a
/// symbolic link, the file it points to is replaced and the link stays.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, bytes, ".ftr-save-")
}

/// [`write_atomic`] with another prefix for the temporary file: the recent list uses its own,
/// so clearing a project folder's leftovers can never touch it.
pub fn write_atomic_with(path: &Path, bytes: &[u8], prefix: &str) -> Result<(), Error> {
    let target = save_target(path)?;
    let dir = project_dir(&target);
    let io = |action: &'static str| {
        let target = target.clone();
        move |e: std::io::Error| Error::Io {
            path: target,
            action,
            source: e,
        }
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(io("create a temporary file beside"))?;
    tmp.write_all(bytes).map_err(io("write"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match std::fs::metadata(&target) {
            Ok(m) => m.permissions().mode() & 0o777,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0o600,
            Err(e) => return Err(io("read the permissions of")(e)),
        };
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io("set permissions on"))?;
    }
    tmp.as_file().sync_all().map_err(io("sync"))?;
    tmp.persist(&target).map_err(|e| Error::Io {
        path: target.clone(),
        action: "replace",
        source: e.error,
    })?;
    // Make the rename itself durable.
    #[cfg(unix)]
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// An advisory lock on the project's folder, held while reading-then-writing so that two
/// `ftr` processes take turns. Released on drop. Where the platform has no such lock it is a
/// no-op, and the content check before every write still prevents lost answers.
pub struct DirLock {
    _file: Option<File>,
}

impl DirLock {
    pub fn acquire(dir: &Path) -> Result<DirLock, Error> {
        #[cfg(unix)]
        {
            let file = File::open(dir).map_err(|e| Error::Io {
                path: dir.to_path_buf(),
                action: "open the project folder",
                source: e,
            })?;
            file.lock().map_err(|e| Error::Io {
                path: dir.to_path_buf(),
                action: "lock the project folder",
                source: e,
            })?;
            Ok(DirLock { _file: Some(file) })
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            Ok(DirLock { _file: None })
        }
    }
}
