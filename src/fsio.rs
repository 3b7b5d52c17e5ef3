//! The disk, generically: reading text files with a size limit, atomic writing, refusing to
//! write through links, following links to the file a save replaces, the user's data folder,
//! and file fingerprints.
//!
//! Layer: leaf (`fsio`). May import: `error`, `util`.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Located};

/// Largest text file read (a project, a checklist, a response): far beyond any real one, small
/// enough to refuse junk.
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// The prefix of the temporary file [`write_atomic`] writes beside its target.
pub const SAVE_PREFIX: &str = ".ftr-save-";

/// The folder of a file (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
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

/// Reads a text file of the kind `kind`: UTF-8, with a byte-order mark allowed and dropped;
/// messages name the kind.
pub fn read_text_as(path: &Path, kind: TextKind) -> Result<String, Error> {
    let bytes = read_limited(path, kind)?;
    decode(path, bytes)
}

/// The bytes of a text file of the kind `kind`: refused when it is not a regular file or is
/// over [`MAX_TEXT_BYTES`].
pub fn read_limited(path: &Path, kind: TextKind) -> Result<Vec<u8>, Error> {
    let io = |e| Error::Io {
        path: path.to_path_buf(),
        action: "read",
        source: e,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Error::input(
            format!("{} is not a regular file", path.display()),
            kind.hint(false),
        ));
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(Error::invalid(Located {
            file: path.display().to_string(),
            line: None,
            field: None,
            message: format!(
                "the file is {} bytes; {} is at most {MAX_TEXT_BYTES}",
                meta.len(),
                kind.noun()
            ),
            hint: kind.hint(true).into(),
        }));
    }
    std::fs::read(path).map_err(io)
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
            parent_dir(&at).join(to)
        };
    }
    Err(Error::input(
        format!(
            "{} is a loop of symbolic links (or a chain of more than {MAX_LINKS}); nothing was written",
            path.display()
        ),
        "point the link at the project file itself, or name the file with --project PATH",
    ))
}

/// Writes `bytes` to `path` as a file of its own, never through a symbolic link: a link there
/// (one that points nowhere too) is refused and nothing is written. With `replace` a regular
/// file there is replaced; without, anything there is refused. The file is written beside its
/// place and renamed into it, so it is never seen half-written.
pub fn write_no_link(path: &Path, bytes: &[u8], replace: bool) -> Result<(), Error> {
    let refuse = |message: String| {
        Err(Error::blocked(
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
    write_atomic_with(path, bytes, SAVE_PREFIX)
}

/// [`write_atomic`] with another prefix for the temporary file: the recent list uses its own,
/// so clearing a project folder's leftovers can never touch it.
pub fn write_atomic_with(path: &Path, bytes: &[u8], prefix: &str) -> Result<(), Error> {
    let target = save_target(path)?;
    let dir = parent_dir(&target);
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

/// The user's data folder (`FTR_DATA_DIR` overrides it), if one can be found: the recent
/// projects list and installed checklists live there.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FTR_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "ftr-wizard").map(|d| d.data_dir().to_path_buf())
}

/// SHA-256 (lower-case hex) and size of a file, read in blocks.
pub fn fingerprint(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((crate::util::hex(&hasher.finalize()), size))
}

/// The metadata of the file at `path`, its links followed.
pub fn metadata(path: &Path) -> std::io::Result<std::fs::Metadata> {
    std::fs::metadata(path)
}

/// Where the symbolic link at `path` points, if it is one that can be read.
pub fn link_target(path: &Path) -> Option<String> {
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_symlink())
        .and_then(|_| std::fs::read_link(path).ok())
        .map(|t| t.to_string_lossy().into_owned())
}

/// At most the first `limit` bytes of the file at `path`.
pub fn read_head(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(limit);
    File::open(path).and_then(|f| f.take(limit as u64).read_to_end(&mut head))?;
    Ok(head)
}

/// `path` made absolute against the current folder, with `.` and `..` folded away.
pub fn absolute(path: &Path) -> Result<PathBuf, Error> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::Io {
                path: PathBuf::from("."),
                action: "find the current folder",
                source: e,
            })?
            .join(path)
    };
    Ok(crate::util::normalize(&joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_text() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("abc.txt");
        std::fs::write(&f, b"abc").unwrap();
        let (sha, size) = fingerprint(&f).unwrap();
        assert_eq!(
            sha,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(size, 3);
    }
}
