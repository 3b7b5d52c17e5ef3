//! Writing one attempt at the bundle: the zip goes to a locked temporary file beside the
//! target, the generated files first, then the upload folder's files and the evidence, each
//! checked against its fingerprint as it is read, and the manifest last.
//!
//! Imports `built`, `manifest`, `options`, `plan`, `upload` and `zipw`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::built::Built;
use super::manifest::{Manifest, ManifestEntry};
use super::options::{Options, Progress};
use super::plan::Plan;
use super::upload;
use super::zipw::{self, DosTime, Method, ZipError, ZipOut};
use crate::error::Error;

/// How one attempt at writing the bundle ended.
pub(super) enum Written {
    /// The bundle, complete in a temporary file beside its place.
    Done {
        tmp: tempfile::NamedTempFile,
        bytes: u64,
        entries: usize,
    },
    /// A file no longer matched its fingerprint (a change that kept its size): the draft is
    /// planned again without it.
    Mismatch(PathBuf),
}

/// Writes one attempt at the bundle to a temporary file beside the target, complete but not
/// yet in place: it keeps the lock that tells later exports it is in use until renamed.
pub(super) fn write_bundle(
    opts: &Options,
    (when, workers): (i64, usize),
    plan: &Plan,
    built: &Built,
    manifest: Manifest,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Written, Error> {
    let io_err = |e: std::io::Error| Error::Io {
        path: opts.out.clone(),
        action: "write",
        source: e,
    };
    let tmp = locked_temporary(&opts.out)?;
    let file = tmp.reopen().map_err(io_err)?;
    let mut bundle = Bundle {
        zip: ZipOut::new(
            BufWriter::with_capacity(1 << 20, file),
            DosTime::from_unix(when),
            workers,
        ),
        manifest,
        done: 0,
        total: plan.planned.iter().map(|p| p.size).sum::<u64>() + built.size(),
        progress,
    };
    for (name, bytes) in built.generated() {
        let w = bundle
            .zip
            .add_bytes(name, bytes)
            .map_err(|e| zip_error(e, Path::new(name)))?;
        bundle.record(name.to_string(), w, true)?;
    }
    if let Some(source) = bundle.uploads(built)? {
        return Ok(Written::Mismatch(source));
    }
    if let Some(source) = bundle.evidence(plan)? {
        return Ok(Written::Mismatch(source));
    }
    let (file, entries) = bundle.close()?.map_err(io_err)?;
    file.sync_all().map_err(io_err)?;
    drop(file);
    let bytes = tmp.as_file().metadata().map_err(io_err)?.len();
    Ok(Written::Done {
        tmp,
        bytes,
        entries,
    })
}

/// A temporary file beside `out`, locked: the lock tells a later export it is still in use
/// until it is renamed. Bundles that killed exports left there are removed first.
fn locked_temporary(out: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let out_dir = crate::store::project_dir(out);
    remove_abandoned_exports(&out_dir);
    let io_err = |action, e| Error::Io {
        path: out.to_path_buf(),
        action,
        source: e,
    };
    let tmp = tempfile::Builder::new()
        .prefix(".ftr-export-")
        .suffix(".zip.tmp")
        .tempfile_in(&out_dir)
        .map_err(|e| io_err("create a temporary file beside", e))?;
    tmp.as_file()
        .try_lock()
        .map_err(|e| io_err("write", std::io::Error::other(e.to_string())))?;
    Ok(tmp)
}

/// The bundle being written: the zip, the manifest of what went in, and the progress.
struct Bundle<'m, 'p> {
    zip: ZipOut<BufWriter<std::fs::File>>,
    manifest: Manifest<'m>,
    done: u64,
    total: u64,
    progress: &'p mut dyn FnMut(Progress) -> bool,
}

impl Bundle<'_, '_> {
    /// Records an entry written in the manifest and, if `report`, tells the progress.
    fn record(&mut self, name: String, w: zipw::Written, report: bool) -> Result<(), Error> {
        self.done += w.size;
        self.manifest.entries.push(ManifestEntry {
            name,
            size: w.size,
            sha256: w.sha256,
        });
        let done = self.done;
        if report
            && !(self.progress)(Progress {
                done,
                total: self.total,
            })
        {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    /// Adds the upload folder's files; a diagram or report changed since it was attached
    /// stops the attempt and is returned.
    fn uploads(&mut self, built: &Built) -> Result<Option<PathBuf>, Error> {
        for u in &built.uploads {
            let entry = u.entry();
            let w = match &u.source {
                upload::Source::Bytes(bytes) => self
                    .zip
                    .add_bytes(&entry, bytes)
                    .map_err(|e| zip_error(e, Path::new(&entry)))?,
                upload::Source::File(source) => {
                    let w = add_file(&mut self.zip, &entry, source, u.size(), &mut |_| true)?;
                    let expected = built.attached.iter().find(|(_, a)| a.name == u.name);
                    if expected.is_some_and(|(ev, _)| ev.sha256 != w.sha256) {
                        return Ok(Some(source.clone()));
                    }
                    w
                }
            };
            self.record(entry, w, true)?;
        }
        Ok(None)
    }

    /// Adds the evidence files; one that no longer matches its fingerprint stops the attempt
    /// and is returned.
    fn evidence(&mut self, plan: &Plan) -> Result<Option<PathBuf>, Error> {
        for p in &plan.planned {
            let (base, total) = (self.done, self.total);
            let progress = &mut *self.progress;
            let w = add_file(&mut self.zip, &p.entry, &p.source, p.size, &mut |n| {
                progress(Progress {
                    done: base + n,
                    total,
                })
            })?;
            if w.sha256 != p.expected_sha {
                return Ok(Some(p.source.clone()));
            }
            self.record(p.entry.clone(), w, false)?;
        }
        Ok(None)
    }

    /// Adds the manifest and the central directory, and returns the file with the count of
    /// entries.
    fn close(mut self) -> Result<std::io::Result<(std::fs::File, usize)>, Error> {
        let json = serde_json::to_string_pretty(&self.manifest)
            .map_err(|e| Error::Unavailable(format!("could not write the manifest: {e}")))?
            + "\n";
        self.zip
            .add_bytes("manifest.json", json.as_bytes())
            .map_err(|e| zip_error(e, Path::new("manifest.json")))?;
        let count = self.manifest.entries.len() + 1;
        Ok((|| {
            let mut writer = self.zip.finish()?;
            writer.flush()?;
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            Ok((file, count))
        })())
    }
}

/// Adds the file at `source` (`size` bytes) as `entry`: deflated unless samples of it show it
/// would not shrink. `progress` is told the bytes read and returns false to cancel.
fn add_file<W: Write + std::io::Seek + Send>(
    zip: &mut ZipOut<W>,
    entry: &str,
    source: &Path,
    size: u64,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<zipw::Written, Error> {
    let read_err = |e: std::io::Error| Error::Io {
        path: source.to_path_buf(),
        action: "read",
        source: e,
    };
    let mut f = File::open(source).map_err(read_err)?;
    let method = if zipw::worth_deflating(&mut f, size).map_err(read_err)? {
        Method::Deflated
    } else {
        Method::Stored
    };
    zip.add(entry, &mut f, size, method, progress)
        .map_err(|e| zip_error(e, source))
}

/// A zip writer's error as the export reports it, naming what was being added.
fn zip_error(e: ZipError, what: &Path) -> Error {
    match e {
        ZipError::Cancelled => Error::Cancelled,
        ZipError::Io(e) => Error::Io {
            path: what.to_path_buf(),
            action: "add to the bundle",
            source: e,
        },
    }
}

/// Removes temporary bundles left by exports that were killed. A running export holds a lock
/// on its temporary file, so a file whose lock can be taken belongs to no one.
fn remove_abandoned_exports(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".ftr-export-") && name.ends_with(".zip.tmp")) {
            continue;
        }
        if let Ok(f) = File::open(e.path())
            && f.try_lock().is_ok()
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
