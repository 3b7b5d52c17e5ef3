//! Evidence files: where they are, their SHA-256 fingerprint, and whether they still match.
//!
//! The only module of `assessment` that looks at files: it does so through `fsio`
//! (fingerprints, links, metadata, the first bytes), opening no file itself.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dates::{Date, Timestamp};
use crate::error::Error;
use crate::fsio;
pub use crate::fsio::{absolute, fingerprint};
use crate::util::normalize;
pub use crate::util::{hex, human_size};

/// One attached file, as recorded in the project file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Evidence {
    /// Relative to the project file's folder when the file lives under it, else absolute.
    pub path: String,
    /// Lower-case hex SHA-256 of the content when attached.
    #[serde(deserialize_with = "sha256_hex")]
    pub sha256: String,
    pub size: u64,
    pub attached: Timestamp,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// When the evidence itself was produced (a report's date, a screenshot's day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub produced: Option<Date>,
    /// Set when `path` is a symbolic link: where it pointed when attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_to: Option<String>,
}

super::table_impls!(
    Evidence,
    "[[answers.CHECKLIST.CONTROL.evidence]] with path = \"...\" on its own line"
);

/// The start of the message for a `sha256` that is not one.
pub const NOT_A_SHA256: &str = "is not a SHA-256 fingerprint";

/// A `sha256` value: exactly 64 lower-case hex digits, as [`fingerprint`] writes them. Anything
/// else is a damaged file, not a changed evidence file.
pub(crate) fn sha256_hex<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    if text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Ok(text);
    }
    let shown: String = text.chars().take(70).collect();
    let more = if shown.len() < text.len() { "..." } else { "" };
    Err(serde::de::Error::custom(format!(
        "\"{}{more}\" {NOT_A_SHA256}: it must be 64 lower-case hex characters (0-9, a-f), found {} characters",
        shown.escape_debug(),
        text.chars().count()
    )))
}

/// What a fresh look at an evidence file finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Matches,
    Missing,
    NotAFile,
    Unreadable(String),
    Changed { size: u64 },
}

impl Evidence {
    /// Fingerprints `file` and records it relative to `project_dir` where it lies beneath it,
    /// as attached at `attached`.
    pub fn attach(
        file: &Path,
        project_dir: &Path,
        label: String,
        produced: Option<Date>,
        attached: Timestamp,
    ) -> Result<Evidence, Error> {
        let absolute = absolute(file)?;
        if absolute.to_str().is_none() {
            return Err(Error::input(
                format!(
                    "the file name {} is not valid UTF-8, so the project file cannot record it",
                    file.display()
                ),
                "rename the file (or copy it) to a UTF-8 name and attach that",
            ));
        }
        let link_to = fsio::link_target(&absolute);
        let meta = fsio::metadata(&absolute).map_err(|e| Error::Io {
            path: file.to_path_buf(),
            action: "read the evidence file",
            source: e,
        })?;
        if !meta.is_file() {
            return Err(Error::input(
                format!("{} is not a regular file", file.display()),
                "attach files one by one; a folder can be zipped first",
            ));
        }
        let (sha256, size) = fingerprint(&absolute).map_err(|e| Error::Io {
            path: file.to_path_buf(),
            action: "read the evidence file",
            source: e,
        })?;
        Ok(Evidence {
            path: stored_path(&absolute, &self::absolute(project_dir)?),
            sha256,
            size,
            attached,
            label,
            produced,
            link_to,
        })
    }

    /// The file on disk, for a project whose file lives in `project_dir`.
    pub fn resolve(&self, project_dir: &Path) -> PathBuf {
        let p = Path::new(&self.path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            project_dir.join(p)
        }
    }

    /// True when the stored path leaves the project folder (absolute, or climbing with `..`).
    pub fn is_outside(&self) -> bool {
        let p = Path::new(&self.path);
        p.is_absolute() || p.components().any(|c| matches!(c, Component::ParentDir))
    }

    /// Checks the file against the recorded size and fingerprint.
    pub fn check(&self, project_dir: &Path) -> FileState {
        FingerprintCache::default().check(self, project_dir)
    }

    /// What the file's metadata alone tells (never opening it, so a fifo cannot block): the
    /// metadata of a regular file of the recorded size, or the state that rules it out.
    pub fn stat(&self, path: &Path) -> Result<std::fs::Metadata, FileState> {
        let meta = match fsio::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(FileState::Missing),
            Err(e) => return Err(FileState::Unreadable(e.to_string())),
        };
        if !meta.is_file() {
            return Err(FileState::NotAFile);
        }
        if meta.len() != self.size {
            return Err(FileState::Changed { size: meta.len() });
        }
        Ok(meta)
    }

    /// Where the link at `path` points now, if it is one.
    pub fn current_link(&self, project_dir: &Path) -> Option<String> {
        fsio::link_target(&self.resolve(project_dir))
    }

    /// The day the evidence counts from: when it was produced, else when it was attached.
    pub fn dated(&self) -> Date {
        self.produced.unwrap_or_else(|| self.attached.date())
    }

    /// What the first bytes of the file say it is. The metadata is looked at first, so only a
    /// regular file of the recorded size is ever opened (a fifo cannot block), and no more than
    /// [`HEAD_BYTES`] are read.
    pub fn format(&self, project_dir: &Path) -> Result<Format, FileState> {
        let path = self.resolve(project_dir);
        self.stat(&path)?;
        let head =
            fsio::read_head(&path, HEAD_BYTES).map_err(|e| FileState::Unreadable(e.to_string()))?;
        Ok(Format::sniff(&head))
    }
}

/// How many bytes [`Evidence::format`] reads.
pub const HEAD_BYTES: usize = 16;

/// A file's kind as its first bytes tell it, for the kinds a diagram is likely saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    Webp,
    Bmp,
    Tiff,
    Pdf,
    /// SVG or other XML text.
    Xml,
    Empty,
    Unknown,
}

impl Format {
    pub fn sniff(head: &[u8]) -> Format {
        let text = head
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(head)
            .trim_ascii_start();
        match head {
            [] => Format::Empty,
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Format::Png,
            [0xFF, 0xD8, 0xFF, ..] => Format::Jpeg,
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Format::Gif,
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Format::Webp,
            [b'B', b'M', ..] => Format::Bmp,
            [b'I', b'I', 0x2A, 0x00, ..] | [b'M', b'M', 0x00, 0x2A, ..] => Format::Tiff,
            [b'%', b'P', b'D', b'F', b'-', ..] => Format::Pdf,
            _ if text.starts_with(b"<?xml") || text.starts_with(b"<svg") => Format::Xml,
            _ => Format::Unknown,
        }
    }

    /// True for the image kinds the upload form's diagram slot takes.
    pub fn is_png_or_jpeg(self) -> bool {
        matches!(self, Format::Png | Format::Jpeg)
    }

    /// What the bytes are, in words: "a GIF image", "SVG or other XML text", ...
    pub fn describe(self) -> &'static str {
        match self {
            Format::Png => "a PNG image",
            Format::Jpeg => "a JPEG image",
            Format::Gif => "a GIF image",
            Format::Webp => "a WebP image",
            Format::Bmp => "a BMP image",
            Format::Tiff => "a TIFF image",
            Format::Pdf => "a PDF document",
            Format::Xml => "SVG or other XML text",
            Format::Empty => "nothing (the file is empty)",
            Format::Unknown => "neither a PNG nor a JPEG image",
        }
    }
}

/// Remembers fingerprints by path, size and modification time, so checking the same unchanged
/// files again (after every edit in the wizard) reads nothing but their metadata.
#[derive(Debug, Default)]
pub struct FingerprintCache {
    seen: std::collections::HashMap<PathBuf, (u64, Option<std::time::SystemTime>, String)>,
}

impl FingerprintCache {
    /// Like [`Evidence::check`], hashing only files not seen before or changed since.
    pub fn check(&mut self, ev: &Evidence, project_dir: &Path) -> FileState {
        let path = ev.resolve(project_dir);
        let meta = match ev.stat(&path) {
            Ok(m) => m,
            Err(state) => return state,
        };
        let modified = meta.modified().ok();
        let sha = match self.seen.get(&path) {
            Some((size, m, sha)) if *size == meta.len() && *m == modified && m.is_some() => {
                sha.clone()
            }
            _ => match fingerprint(&path) {
                Ok((sha, size)) => {
                    self.seen.insert(path, (size, modified, sha.clone()));
                    sha
                }
                Err(e) => return FileState::Unreadable(e.to_string()),
            },
        };
        if sha == ev.sha256 {
            FileState::Matches
        } else {
            FileState::Changed { size: meta.len() }
        }
    }
}

/// The path to store for an evidence file: relative (with `/`) when under `project_dir`.
pub fn stored_path(absolute_file: &Path, project_dir: &Path) -> String {
    let dir = normalize(project_dir);
    match absolute_file.strip_prefix(&dir) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        _ => absolute_file.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_relative_paths_under_the_project() {
        let dir = Path::new("/work/acme");
        assert_eq!(
            stored_path(Path::new("/work/acme/evidence/mfa.png"), dir),
            "evidence/mfa.png"
        );
        assert_eq!(
            stored_path(Path::new("/work/other/x.pdf"), dir),
            "/work/other/x.pdf"
        );
        assert_eq!(
            normalize(Path::new("/work/acme/../acme/./a.txt")),
            PathBuf::from("/work/acme/a.txt")
        );
    }

    #[test]
    fn outside_paths_are_recognised() {
        let mut e = Evidence {
            path: "evidence/a.png".into(),
            sha256: String::new(),
            size: 0,
            attached: Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
            label: String::new(),
            produced: None,
            link_to: None,
        };
        assert!(!e.is_outside());
        e.path = "../shared/a.png".into();
        assert!(e.is_outside());
        e.path = "/etc/passwd".into();
        assert!(e.is_outside());
    }

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        assert_eq!(Format::sniff(&png), Format::Png);
        assert_eq!(Format::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Format::Jpeg);
        assert_eq!(Format::sniff(b"GIF89a\x01\x00"), Format::Gif);
        assert_eq!(Format::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Format::Webp);
        assert_eq!(Format::sniff(b"%PDF-1.7"), Format::Pdf);
        assert_eq!(Format::sniff(b"\xEF\xBB\xBF  <svg xmlns"), Format::Xml);
        assert_eq!(Format::sniff(b""), Format::Empty);
        // A PNG cut short, or text that names PNG, is not one.
        assert_eq!(Format::sniff(&png[..7]), Format::Unknown);
        assert_eq!(Format::sniff(b"PNG image data"), Format::Unknown);
        assert!(Format::Png.is_png_or_jpeg() && Format::Jpeg.is_png_or_jpeg());
        assert!(!Format::Gif.is_png_or_jpeg() && !Format::Unknown.is_png_or_jpeg());
    }

    #[test]
    fn format_reads_a_regular_file_and_never_opens_anything_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("d.png"), b"\xFF\xD8\xFF\xE0 jpeg body").unwrap();
        let mut e = Evidence {
            path: "d.png".into(),
            sha256: String::new(),
            size: 14,
            attached: Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
            label: String::new(),
            produced: None,
            link_to: None,
        };
        assert_eq!(e.format(dir.path()), Ok(Format::Jpeg));
        e.size = 3;
        assert!(matches!(
            e.format(dir.path()),
            Err(FileState::Changed { size: 14 })
        ));
        e.path = "gone.png".into();
        assert_eq!(e.format(dir.path()), Err(FileState::Missing));
        e.path = ".".into();
        assert_eq!(e.format(dir.path()), Err(FileState::NotAFile));
    }
}
