//! How to export ([`Options`]), the bundle's default name, and the progress an export reports.
//!
//! Imports `upload` (the upload folder's default name) only.

use std::path::PathBuf;

use super::upload;
use crate::dates::Date;

/// The bundle's file name when none is given.
pub const DEFAULT_NAME: &str = "ftr-submission.zip";

/// How to export.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    /// Build even when the readiness check has errors; the summary is marked as a draft.
    pub allow_incomplete: bool,
    /// Build even when evidence looks like it holds secrets (after the user checked).
    pub allow_secrets: bool,
    /// Seconds since 1970 to stamp on every entry and date the summary with
    /// (`SOURCE_DATE_EPOCH`); `None` uses the current time.
    pub source_date_epoch: Option<i64>,
    /// Deflate threads; 0 uses every core.
    pub workers: usize,
    /// Show evidence paths under the home folder in full in the summary, not as `~/…`.
    pub full_paths: bool,
    /// AWS's self-assessment spreadsheet to fill; `None` writes ftr's own sheet.
    pub template: Option<PathBuf>,
    /// The upload folder's name, beside the bundle.
    pub upload_dir: String,
    /// The day freshness and expiry are judged on, the day `ftr check` and the wizard's
    /// review go by; `None` takes the day of the `now` given to [`export`](super::export()).
    pub today: Option<Date>,
}

impl Options {
    /// Defaults for writing to `out`, dated now.
    pub fn new(out: PathBuf) -> Options {
        Options {
            out,
            allow_incomplete: false,
            allow_secrets: false,
            source_date_epoch: None,
            workers: 0,
            full_paths: false,
            template: None,
            upload_dir: upload::DEFAULT_DIR.to_string(),
            today: None,
        }
    }
}

/// Bytes written so far, of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}
