//! The project file on disk: reading, validating, atomic saving, locking, and the list of
//! recent projects.
//!
//! A save never replaces a file that was not read successfully, and never a file that changed
//! on disk after it was read: the bytes are compared under an advisory lock just before the
//! rename. Nor does it write a file that a load would refuse for its size. A project file that
//! is a symbolic link stays one: the save replaces the file the link points to.
//!
//! Layer: `store` (project files and installed checklists on disk). May import: `assessment`,
//! `content`, `dates`, `error`, `fsio`, `merge`, `safe`, `util`; never `team` or above.

pub mod catalog;
pub mod layout;
pub mod parse;
pub mod recent;

use std::fs::File;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::assessment::Project;
use crate::content::Library;
use crate::error::{Error, LargePart, Located, TooLarge};
use crate::fsio::{self, decode, read_limited, write_atomic};
pub use crate::fsio::{TextKind, read_text_as, save_target, write_no_link};
pub use parse::{Merged, parse, parse_bytes};

/// The file name used when none is given.
pub const DEFAULT_FILE: &str = "ftr-assessment.toml";

/// Largest project file read: far beyond any real assessment, small enough to refuse junk.
pub const MAX_PROJECT_BYTES: u64 = fsio::MAX_TEXT_BYTES;

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
    pub fn merge_from_disk(&mut self, library: &Library) -> Result<Option<Merged>, Error> {
        if !self.changed_on_disk()? {
            return Ok(None);
        }
        let (disk, _) = load_resolving(&self.path, library)?;
        let file = self.path.display().to_string();
        let merged = parse::merge_projects(
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
            for field in crate::assessment::AnswerField::ALL {
                let name = field.key();
                consider(format!("{at}.{name}"), c, name, field.text(a));
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
        if name.starts_with(fsio::SAVE_PREFIX) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The folder of a project file (`.` for a bare file name): where relative evidence paths
/// start, and the folder locked while saving.
pub fn project_dir(path: &Path) -> PathBuf {
    fsio::parent_dir(path)
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

/// Reads a project file's text: UTF-8, with a byte-order mark allowed and dropped.
pub fn read_text(path: &Path) -> Result<String, Error> {
    read_text_as(path, TextKind::Project)
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
            return Err(Error::blocked(
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
/// per field from the two versions in it (see [`parse::from_markers`]), and saving the
/// result replaces the marked file, unless it changed meanwhile. The merge is returned with it.
pub fn load_resolving(path: &Path, library: &Library) -> Result<(Loaded, Option<Merged>), Error> {
    let bytes = match read_limited(path, TextKind::Project) {
        Ok(b) => b,
        Err(_) => return load(path, library).map(|l| (l, None)),
    };
    let text = decode(path, bytes.clone())?;
    if !crate::merge::has_markers(&text) {
        return load(path, library).map(|l| (l, None));
    }
    let merged = parse::from_markers(&path.display().to_string(), &text, library)?;
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
