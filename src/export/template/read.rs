//! A template read and understood: [`Template::open`] and [`Template::from_bytes`] find the
//! sheet, its header and the three columns, and [`Template::check_checklist`] refuses the
//! workbook of another checklist. Filling it is in `fill`.
//!
//! Imports `ids`, `package` and `xlsx`.

use std::io::Cursor;
use std::path::Path;

use zip::ZipArchive;

use super::ids::{looks_like_id, parent_of};
use super::package::{Package, refuse_macros, refuse_other_formats};
use crate::error::Error;
use crate::export::xlsx::{
    DOWNLOAD_HINT, LIMIT, Scan, Validation, bad, relationships, shared_strings, validations,
};

/// A template read and understood: the file, and the sheet to fill.
pub struct Template {
    pub(super) file: String,
    pub(super) bytes: Vec<u8>,
    /// The worksheet's entry in the zip, and its text.
    pub(super) sheet_entry: String,
    pub(super) sheet_name: String,
    pub(super) xml: String,
    pub(super) scan: Scan,
    pub(super) validations: Vec<Validation>,
    pub(super) header_row: u32,
    /// Columns (from 1) of ID, Met? and Partner Response.
    pub(super) cols: [u32; 3],
    /// The workbook part's entry in the zip, and its text (where Excel is asked to
    /// recalculate on opening).
    pub(super) workbook_entry: String,
    pub(super) workbook_xml: String,
}

impl Template {
    /// Reads `path` and finds the sheet, the header and the three columns.
    pub fn open(path: &Path) -> Result<Template, Error> {
        let file = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            action: "read the template",
            source: e,
        })?;
        if !meta.is_file() {
            return Err(bad(
                &file,
                "the template is not a regular file",
                DOWNLOAD_HINT,
            ));
        }
        if meta.len() > LIMIT {
            return Err(bad(
                &file,
                format!(
                    "the template is {} bytes, more than the {LIMIT} a self-assessment sheet needs",
                    meta.len()
                ),
                DOWNLOAD_HINT,
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            action: "read the template",
            source: e,
        })?;
        Template::from_bytes(&file, bytes)
    }

    /// Understands a template held in memory; `file` names it in messages.
    pub fn from_bytes(file: &str, bytes: Vec<u8>) -> Result<Template, Error> {
        refuse_other_formats(file, &bytes)?;
        let zip = ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(|e| {
            bad(
                file,
                format!("the template is not a readable .xlsx file: {e}"),
                DOWNLOAD_HINT,
            )
        })?;
        let mut pkg = Package {
            file,
            zip,
            spent: 0,
        };
        refuse_macros(file, &mut pkg.zip)?;
        let (workbook_entry, workbook_xml) = pkg.workbook()?;
        let (dir, base) = match workbook_entry.rsplit_once('/') {
            Some((d, b)) => (d.to_string(), b.to_string()),
            None => (String::new(), workbook_entry.clone()),
        };
        let rels_path = if dir.is_empty() {
            format!("_rels/{base}.rels")
        } else {
            format!("{dir}/_rels/{base}.rels")
        };
        let rels = match pkg.read(&rels_path)? {
            Some(text) => relationships(&text, &dir, file)?,
            None => Vec::new(),
        };
        let strings = match rels.iter().find(|r| r.kind.ends_with("/sharedStrings")) {
            Some(r) => match pkg.read(&r.target)? {
                Some(text) => shared_strings(&text, file)?,
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        let chosen = pkg.requirements_sheet(&workbook_xml, &rels, &strings)?;
        drop(pkg);
        let validations = validations(&chosen.xml, file, &chosen.entry)?;
        Ok(Template {
            file: file.to_string(),
            bytes,
            sheet_entry: chosen.entry,
            sheet_name: chosen.name,
            xml: chosen.xml,
            scan: chosen.scan,
            validations,
            header_row: chosen.header_row,
            cols: chosen.cols,
            workbook_entry,
            workbook_xml,
        })
    }

    /// Refuses the template when no row of its sheet names a control of `checklist`: it is
    /// the workbook of another checklist.
    pub fn check_checklist(&self, checklist: &crate::content::Checklist) -> Result<(), Error> {
        if checklist.own_ids {
            return Ok(());
        }
        let ids: Vec<String> = self
            .scan
            .rows
            .iter()
            .filter(|r| r.num > self.header_row && !r.hidden)
            .filter_map(|r| r.cell(self.cols[0])?.text.as_deref())
            .map(|t| t.trim().to_ascii_uppercase())
            .filter(|t| !t.is_empty())
            .collect();
        let names = |id: &String| {
            let base = parent_of(id).unwrap_or(id);
            checklist.control(base).is_some()
        };
        if ids.iter().any(names) {
            return Ok(());
        }
        let named: Vec<&str> = ids
            .iter()
            .filter(|id| looks_like_id(id))
            .take(5)
            .map(String::as_str)
            .collect();
        Err(bad(
            &self.file,
            format!(
                "the sheet \"{}\" names none of the controls of checklist {} (it names {}): it is the workbook of another checklist",
                self.sheet_name,
                checklist.spec(),
                if named.is_empty() {
                    "no control ids".to_string()
                } else {
                    named.join(", ")
                }
            ),
            format!(
                "use the self-assessment workbook AWS publishes with the {} checklist, or export without --template to get ftr's own sheet",
                checklist.name
            ),
        ))
    }
}
