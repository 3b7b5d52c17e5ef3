//! Small pure helpers: sizes in words, hex, paths folded without the disk, first lines.
//!
//! Layer: leaf (`util`). May import: nothing in the crate.

use std::path::{Component, Path, PathBuf};

/// "0 B", "999 B", "1.0 KB", "12.4 KB", "3.2 MB", "1.5 GB" (1024-based).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KB", "MB", "GB", "TB", "PB", "EB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    // Move up while the value would print as 1024.0 or more.
    while value >= 1023.95 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Folds `.` and `..` without touching the disk (links are kept as they are named).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The first line of `text` (empty when there is none).
pub fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}
