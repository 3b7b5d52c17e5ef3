//! The upload folder beside the bundle: exactly the files to pick in the Partner Central form,
//! one per upload slot, as plain files a browser's upload dialog can open. The zip keeps the
//! same files under `upload/` as the archival copy.
//!
//! The folder is written like the bundle: into a temporary folder beside it, renamed into
//! place when complete. It replaces an earlier upload folder only when that one is ours: it
//! holds the marker file and nothing but names an export writes. Anything else is refused
//! before a byte is written, so nothing of the user's is ever deleted.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The folder's name beside the bundle when none is given.
pub const DEFAULT_DIR: &str = "ftr-upload";
/// The file that marks a folder as written by `ftr export` (hidden, so upload dialogs skip it).
pub const MARKER: &str = ".ftr-upload";
/// The self-assessment spreadsheet's name in the folder.
pub const SELF_ASSESSMENT: &str = "self-assessment.xlsx";
/// The architecture diagram's name in the folder, before its extension.
pub const DIAGRAM_STEM: &str = "architecture-diagram";
/// The security tool reports' names in the folder, before a number and the extension.
pub const REPORT_STEM: &str = "security-tool-report";
/// The customer deployment guide's name in the folder, before its extension.
pub const GUIDE_STEM: &str = "deployment-guide";
/// The alternative path's report's name in the folder, before its extension.
pub const ALTERNATIVE_STEM: &str = "alternative-report";

/// Whether `name` is one an export writes into the folder (besides the marker): the
/// spreadsheet, `architecture-diagram.EXT`, `security-tool-report[-N].EXT`,
/// `deployment-guide.EXT`, `alternative-report.EXT`.
pub fn is_known(name: &str) -> bool {
    let stem_ext = |stem: &str| {
        name.strip_prefix(stem).is_some_and(|rest| {
            let rest = rest
                .strip_prefix('-')
                .map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()))
                .unwrap_or(rest);
            rest.starts_with('.') && rest.len() > 1 && !rest[1..].contains(['/', '.'])
        })
    };
    name == SELF_ASSESSMENT
        || [DIAGRAM_STEM, REPORT_STEM, GUIDE_STEM, ALTERNATIVE_STEM]
            .iter()
            .any(|s| stem_ext(s))
}

/// The extension a project file goes into the folder with: the diagram's from its bytes
/// (`png`, `jpg`), anything else from its name (`csv` when it has none).
pub fn extension(source: &Path, image: bool) -> String {
    if image {
        let mut head = [0u8; 8];
        let n = File::open(source)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .unwrap_or(0);
        if head[..n].starts_with(b"\x89PNG\r\n\x1a\n") {
            return "png".into();
        }
        if head[..n].starts_with(&[0xFF, 0xD8, 0xFF]) {
            return "jpg".into();
        }
    }
    source
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| if image { "img" } else { "csv" }.into())
}
/// The folder in the zip that holds the same files.
pub const ZIP_FOLDER: &str = "upload";

/// The upload slots of the Partner Central form (Request Validation).
pub mod slot {
    pub const CHECKLIST: &str = "FTR Checklist";
    pub const SECURITY_REPORT: &str = "Security Tool Report";
    pub const DIAGRAM: &str = "Architecture Diagram";
    pub const DEPLOYMENT_GUIDE: &str = "Customer Deployment Guide";
    pub const ALTERNATIVE: &str = "Alternative Artifacts/Reports";
}

const MARKER_TEXT: &str = "Written by `ftr export`: the files to pick in the upload slots of \
the FTR request in AWS Partner Central. The next export replaces this folder; keep nothing \
else in it.\n";

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    Bytes(Vec<u8>),
    File(PathBuf),
}

/// One file of the upload folder.
#[derive(Debug, Clone)]
pub struct UploadFile {
    /// The form's slot it goes into.
    pub slot: &'static str,
    /// Its name in the folder (and under `upload/` in the zip).
    pub name: String,
    pub source: Source,
}

impl UploadFile {
    /// Its size in bytes.
    pub fn size(&self) -> u64 {
        match &self.source {
            Source::Bytes(b) => b.len() as u64,
            Source::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
        }
    }

    /// Its entry in the zip.
    pub fn entry(&self) -> String {
        format!("{ZIP_FOLDER}/{}", self.name)
    }
}

/// A slot and the file to pick for it, as the export reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub slot: String,
    pub path: PathBuf,
}

/// The upload folder for a bundle at `bundle`: `name` beside it. `name` must be a plain folder
/// name.
pub fn folder_beside(bundle: &Path, name: &str) -> Result<PathBuf, Error> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.starts_with(".ftr-");
    if !plain {
        return Err(Error::input(
            format!(
                "--upload-dir {name}: give a folder name, not a path; the folder goes beside the \
                 bundle; nothing was written"
            ),
            format!("e.g. --upload-dir {DEFAULT_DIR}"),
        ));
    }
    Ok(crate::store::project_dir(bundle).join(name))
}

fn io(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io {
        path,
        action,
        source,
    }
}

/// Names in `dir` that an export did not write, or `None` when `dir` is not ours at all (no
/// marker).
fn foreign_names(dir: &Path, names: &[&str]) -> Result<Option<Vec<String>>, Error> {
    let mut marked = false;
    let mut foreign = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io(dir, "read the upload folder"))? {
        let e = e.map_err(io(dir, "read the upload folder"))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let is_file = e.file_type().is_ok_and(|t| t.is_file());
        if name == MARKER && is_file {
            marked = true;
        } else if !(is_file && (is_known(&name) || names.contains(&name.as_str()))) {
            foreign.push(name);
        }
    }
    foreign.sort();
    Ok(marked.then_some(foreign))
}

/// Refuses, before anything is written, an upload folder the export may not replace: a file,
/// a link, or a folder it did not write or that holds anything else.
pub fn check_replaceable(dir: &Path, names: &[&str]) -> Result<(), Error> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(dir, "look at the upload folder")(e)),
    };
    let shown = dir.display();
    let refuse = |why: String| {
        Err(Error::blocked(
            format!(
                "the upload folder {shown} {why}, so the export will not replace it; nothing was written"
            ),
            "move it away, or name another folder with --upload-dir NAME",
        ))
    };
    if !meta.is_dir() {
        return refuse("exists and is not a folder (a file or a link)".into());
    }
    match foreign_names(dir, names)? {
        None => refuse("was not written by ftr export (it has no .ftr-upload marker)".into()),
        Some(foreign) if !foreign.is_empty() => refuse(format!(
            "holds files ftr export did not write: {}",
            foreign.join(", ")
        )),
        Some(_) => Ok(()),
    }
}

/// The upload folder written in full under a temporary name beside its place.
pub struct Staged {
    tmp: tempfile::TempDir,
    /// Held until the folder is in place: tells a later export this one is still at work.
    _lock: File,
    dir: PathBuf,
    names: Vec<String>,
}

/// Writes every file into a temporary folder beside `dir`.
pub fn stage(dir: &Path, files: &[UploadFile]) -> Result<Staged, Error> {
    let parent = crate::store::project_dir(dir);
    remove_abandoned(&parent);
    let tmp = tempfile::Builder::new()
        .prefix(".ftr-upload-")
        .suffix(".tmp")
        .tempdir_in(&parent)
        .map_err(io(dir, "create a temporary folder beside"))?;
    let marker_path = tmp.path().join(MARKER);
    let mut marker = File::create(&marker_path).map_err(io(&marker_path, "write"))?;
    marker
        .try_lock()
        .map_err(|e| io(&marker_path, "lock")(std::io::Error::other(e.to_string())))?;
    marker
        .write_all(MARKER_TEXT.as_bytes())
        .map_err(io(&marker_path, "write"))?;
    for f in files {
        let path = tmp.path().join(&f.name);
        match &f.source {
            Source::Bytes(bytes) => {
                let mut out = File::create(&path).map_err(io(&path, "write"))?;
                out.write_all(bytes).map_err(io(&path, "write"))?;
                out.sync_all().map_err(io(&path, "write"))?;
            }
            Source::File(source) => {
                std::fs::copy(source, &path).map_err(io(source, "copy into the upload folder"))?;
                File::open(&path)
                    .and_then(|f| f.sync_all())
                    .map_err(io(&path, "write"))?;
            }
        }
    }
    marker.sync_all().map_err(io(&marker_path, "write"))?;
    Ok(Staged {
        tmp,
        _lock: marker,
        dir: dir.to_path_buf(),
        names: files.iter().map(|f| f.name.clone()).collect(),
    })
}

impl Staged {
    /// Puts the folder in place, replacing an earlier one of ours.
    pub fn commit(self) -> Result<(), Error> {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        check_replaceable(&self.dir, &names)?;
        let staged = self.tmp.path().to_path_buf();
        let rename_err = io(&self.dir, "put in place the upload folder");
        if std::fs::symlink_metadata(&self.dir).is_err() {
            std::fs::rename(&staged, &self.dir).map_err(rename_err)?;
            let _ = self.tmp.keep();
            return Ok(());
        }
        // A folder cannot be renamed over one that is not empty: the old one steps aside
        // first, under a temporary name, and is removed once the new one is in place.
        let aside = PathBuf::from(format!(
            "{}-old.tmp",
            staged.display().to_string().trim_end_matches(".tmp")
        ));
        std::fs::rename(&self.dir, &aside)
            .map_err(io(&self.dir, "move aside the old upload folder"))?;
        if let Err(e) = std::fs::rename(&staged, &self.dir) {
            let _ = std::fs::rename(&aside, &self.dir);
            return Err(rename_err(e));
        }
        let _ = self.tmp.keep();
        remove_ours(&aside);
        Ok(())
    }
}

/// Removes a folder an export wrote, unless it holds anything else.
fn remove_ours(dir: &Path) {
    if let Ok(Some(foreign)) = foreign_names(dir, &[])
        && foreign.is_empty()
    {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Removes temporary upload folders left by exports that were killed. A running export holds
/// a lock on the marker in its folder, so a folder whose marker can be locked belongs to no
/// one.
pub fn remove_abandoned(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(".ftr-upload-") && name.ends_with(".tmp")) {
            continue;
        }
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = e.path();
        if let Ok(marker) = File::open(path.join(MARKER))
            && marker.try_lock().is_ok()
        {
            drop(marker);
            remove_ours(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_the_ones_an_export_writes() {
        for ok in [
            "self-assessment.xlsx",
            "architecture-diagram.png",
            "architecture-diagram.jpg",
            "security-tool-report.csv",
            "security-tool-report-12.csv",
        ] {
            assert!(is_known(ok), "{ok}");
        }
        for other in [
            "notes.txt",
            "architecture-diagram",
            "architecture-diagram.",
            "security-tool-report-x.csv",
            "security-tool-report.csv.bak",
            "self-assessment.xlsx~",
        ] {
            assert!(!is_known(other), "{other}");
        }
    }
}
