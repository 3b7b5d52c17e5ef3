//! How to export ([`Options`]), the bundle's default name, and the progress an export reports.
//!
//! Imports `upload` (the upload folder's default name) only.

use std::path::PathBuf;

use super::upload;
use crate::dates::Date;

/// The bundle's file name when none is given.
pub const DEFAULT_NAME: &str = "ftr-submission.zip";

/// What a draft's names get, when drafts go apart ([`Options::draft_apart`]): the bundle's
/// before its extension (`ftr-submission-draft.zip`), the upload folder's at its end
/// (`ftr-upload-draft`).
pub const DRAFT_SUFFIX: &str = "-draft";

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
    /// A draft is written under names of its own ([`DRAFT_SUFFIX`] added), so that a draft
    /// and the final bundle never replace each other (the wizard's way; the command line
    /// writes both to `out`, and says when one replaced the other).
    pub draft_apart: bool,
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
            draft_apart: false,
            today: None,
        }
    }

    /// Where a draft goes when drafts go apart: the bundle with [`DRAFT_SUFFIX`] before its
    /// extension, and the upload folder's name with it at its end.
    pub fn draft_names(&self) -> (PathBuf, String) {
        let stem = self
            .out
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let name = match self.out.extension() {
            Some(ext) => format!("{stem}{DRAFT_SUFFIX}.{}", ext.to_string_lossy()),
            None => format!("{stem}{DRAFT_SUFFIX}"),
        };
        (
            self.out.with_file_name(name),
            format!("{}{DRAFT_SUFFIX}", self.upload_dir),
        )
    }

    /// These options with a draft's own names ([`Options::draft_names`]), for a draft when
    /// drafts go apart.
    pub fn for_draft(&self) -> Options {
        let (out, upload_dir) = self.draft_names();
        Options {
            out,
            upload_dir,
            ..self.clone()
        }
    }
}

/// Bytes written so far, of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_gets_names_of_its_own() {
        let opts = Options::new(PathBuf::from("/p/ftr-submission.zip"));
        assert_eq!(
            opts.draft_names(),
            (
                PathBuf::from("/p/ftr-submission-draft.zip"),
                "ftr-upload-draft".to_string()
            )
        );
        let draft = opts.for_draft();
        assert_eq!(draft.out, PathBuf::from("/p/ftr-submission-draft.zip"));
        assert_eq!(draft.upload_dir, "ftr-upload-draft");
        let bare = Options::new(PathBuf::from("bundle"));
        assert_eq!(bare.draft_names().0, PathBuf::from("bundle-draft"));
    }
}
