//! The recent-projects list shown on the start screen, kept in the user's data folder
//! (`FTR_DATA_DIR` overrides it), with where the wizard was in each project so that opening
//! it resumes there. It is per user, not part of the project file, so colleagues sharing a
//! project in git do not fight over it. Losing or failing to write this list never stops a
//! command.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dates::Timestamp;
/// The folder holding the list, if one can be found.
pub use crate::fsio::data_dir;

const FILE: &str = "recent.toml";
const KEEP: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: PathBuf,
    pub opened: Timestamp,
    /// The wizard screen the user was on (`profile`, `scoping`, `interview`, …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub screen: String,
    /// The control the user last worked on.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub control: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct List {
    #[serde(default)]
    project: Vec<Entry>,
}

/// Recent projects kept in `dir`, newest first. An unreadable list reads as empty.
pub fn list_in(dir: &Path) -> Vec<Entry> {
    std::fs::read_to_string(dir.join(FILE))
        .ok()
        .and_then(|t| toml::from_str::<List>(&t).ok())
        .map(|l| l.project)
        .unwrap_or_default()
}

/// The entry for `path`, if the list has one.
pub fn find_in(dir: &Path, path: &Path) -> Option<Entry> {
    let path = canonical(path);
    list_in(dir).into_iter().find(|e| e.path == path)
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Puts `path` at the top of the list in `dir`, with where the user is in it.
pub fn touch_in(dir: &Path, path: &Path, screen: &str, control: &str) -> std::io::Result<()> {
    let path = canonical(path);
    let mut entries = list_in(dir);
    let old = entries
        .iter()
        .position(|e| e.path == path)
        .map(|i| entries.remove(i));
    let keep = |new: &str, old: Option<&str>| {
        if new.is_empty() {
            old.unwrap_or_default().to_string()
        } else {
            new.to_string()
        }
    };
    entries.insert(
        0,
        Entry {
            screen: keep(screen, old.as_ref().map(|e| e.screen.as_str())),
            control: keep(control, old.as_ref().map(|e| e.control.as_str())),
            path,
            opened: Timestamp::system_now(),
        },
    );
    entries.truncate(KEEP);
    std::fs::create_dir_all(dir)?;
    let text = toml::to_string(&List { project: entries })
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    crate::fsio::write_atomic_with(&dir.join(FILE), text.as_bytes(), ".ftr-recent-")
        .map_err(std::io::Error::other)
}

/// Records `path` in the user's list (see [`data_dir`]).
pub fn touch(path: &Path) -> std::io::Result<()> {
    match data_dir() {
        Some(dir) => touch_in(&dir, path, "", ""),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_with_resume_point_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        let b = dir.path().join("b.toml");
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        touch_in(dir.path(), &a, "interview", "IAM-004").unwrap();
        touch_in(dir.path(), &b, "", "").unwrap();
        touch_in(dir.path(), &a, "", "").unwrap();
        let list = list_in(dir.path());
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].path, canonical(&a));
        assert_eq!(
            list[0].control, "IAM-004",
            "an empty update keeps the resume point"
        );
        assert_eq!(find_in(dir.path(), &b).unwrap().screen, "");
    }
}
