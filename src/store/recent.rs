//! The recent-projects list shown on the start screen, kept in the user's data folder
//! (`FTR_DATA_DIR` overrides it). Losing or failing to write this list never stops a command.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::dates::Timestamp;

const FILE: &str = "recent.toml";
const KEEP: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: PathBuf,
    pub opened: Timestamp,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct List {
    #[serde(default)]
    project: Vec<Entry>,
}

/// The folder holding the list, if one can be found.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FTR_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "ftr-wizard").map(|d| d.data_dir().to_path_buf())
}

/// Recent projects, newest first. An unreadable list reads as empty.
pub fn list() -> Vec<Entry> {
    let Some(dir) = data_dir() else {
        return Vec::new();
    };
    std::fs::read_to_string(dir.join(FILE))
        .ok()
        .and_then(|t| toml::from_str::<List>(&t).ok())
        .map(|l| l.project)
        .unwrap_or_default()
}

/// Puts `path` at the top of the list. Errors are returned for the caller to ignore or show.
pub fn touch(path: &Path) -> std::io::Result<()> {
    let Some(dir) = data_dir() else {
        return Ok(());
    };
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut entries = list();
    entries.retain(|e| e.path != path);
    entries.insert(
        0,
        Entry {
            path,
            opened: Timestamp::now(),
        },
    );
    entries.truncate(KEEP);
    std::fs::create_dir_all(&dir)?;
    let text = toml::to_string(&List { project: entries })
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    super::write_atomic(&dir.join(FILE), text.as_bytes()).map_err(std::io::Error::other)
}
