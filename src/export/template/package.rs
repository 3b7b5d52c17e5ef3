//! Reading a template's package: refusing files that are no `.xlsx` (an old or encrypted
//! workbook, macros, a binary or Strict workbook), reading its parts within one budget, and
//! choosing the one visible sheet to fill.
//!
//! Imports `ids` and `xlsx`.

use std::io::Cursor;

use zip::ZipArchive;

use super::ids::{count_inputs, find_header};
use crate::error::Error;
use crate::export::xlsx::{
    DOWNLOAD_HINT, LIMIT, Rel, Scan, bad, read_part, relationships, scan, sheets,
};

/// All the parts read from one template may unpack to no more than this.
const BUDGET: u64 = 4 * LIMIT;

/// A sheet with the three columns in its header.
pub(super) struct Candidate {
    pub(super) name: String,
    pub(super) entry: String,
    pub(super) xml: String,
    pub(super) scan: Scan,
    pub(super) header_row: u32,
    pub(super) cols: [u32; 3],
    /// Rows with an ID whose Met? cell is no formula: cells a person fills.
    pub(super) inputs: usize,
}

/// The template's zip, read within [`BUDGET`] in all.
pub(super) struct Package<'b> {
    pub(super) file: &'b str,
    pub(super) zip: ZipArchive<Cursor<&'b [u8]>>,
    /// What the parts read so far unpacked to.
    pub(super) spent: u64,
}

impl Package<'_> {
    /// The text of the part `name`, `None` when there is none; past the budget, an error.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<String>, Error> {
        let text = read_part(&mut self.zip, name, self.file)?;
        self.spent += text.as_ref().map_or(0, |t| t.len() as u64);
        if self.spent > BUDGET {
            return Err(bad(
                self.file,
                format!("the template's parts unpack to more than {BUDGET} bytes in all"),
                DOWNLOAD_HINT,
            ));
        }
        Ok(text)
    }

    /// The workbook part's name and text, checked to be one ftr can fill.
    pub(super) fn workbook(&mut self) -> Result<(String, String), Error> {
        let file = self.file;
        let not_xlsx = |what: &str| {
            bad(
                file,
                format!("the template is a zip archive but not an Excel workbook ({what})"),
                DOWNLOAD_HINT,
            )
        };
        let root_rels = self
            .read("_rels/.rels")?
            .ok_or_else(|| not_xlsx("it has no _rels/.rels"))?;
        let entry = relationships(&root_rels, "", file)?
            .into_iter()
            .find(|r| r.kind.ends_with("/officeDocument"))
            .map(|r| r.target)
            .ok_or_else(|| not_xlsx("no workbook in _rels/.rels"))?;
        if entry.ends_with(".bin") {
            return Err(bad(
                file,
                "the template is an Excel Binary Workbook (.xlsb)",
                "open it in Excel and save it as an Excel Workbook (.xlsx), then pass that file",
            ));
        }
        let xml = self
            .read(&entry)?
            .ok_or_else(|| not_xlsx(&format!("{entry} is missing")))?;
        if xml.contains("http://purl.oclc.org/ooxml/spreadsheetml/main") {
            return Err(bad(
                file,
                "the template is saved as Strict Open XML, which ftr does not fill",
                "open it in Excel and save it as an Excel Workbook (.xlsx), not Strict Open XML \
                 Spreadsheet, then pass that file",
            ));
        }
        Ok((entry, xml))
    }

    /// The one visible sheet with the three columns and cells to fill under them.
    pub(super) fn requirements_sheet(
        &mut self,
        workbook_xml: &str,
        rels: &[Rel],
        strings: &[String],
    ) -> Result<Candidate, Error> {
        let file = self.file;
        let (mut candidates, mut hidden, mut summaries) = (Vec::new(), Vec::new(), Vec::new());
        let mut parts_seen = std::collections::HashSet::new();
        for sheet in sheets(workbook_xml, file)? {
            let Some(rel) = rels
                .iter()
                .find(|r| r.id == sheet.id && r.kind.ends_with("/worksheet"))
            else {
                continue;
            };
            if !parts_seen.insert(rel.target.clone()) {
                return Err(bad(
                    file,
                    format!(
                        "two sheets of the template point at one part ({}); Excel never writes that",
                        rel.target
                    ),
                    DOWNLOAD_HINT,
                ));
            }
            let Some(xml) = self.read(&rel.target)? else {
                continue;
            };
            let scan = scan(&xml, strings, file, &rel.target)?;
            let Some((header_row, cols)) = find_header(&scan) else {
                continue;
            };
            let inputs = count_inputs(&scan, header_row, cols);
            if sheet.hidden {
                hidden.push(sheet.name);
            } else if inputs == 0 {
                summaries.push(sheet.name);
            } else {
                candidates.push(Candidate {
                    name: sheet.name,
                    entry: rel.target.clone(),
                    xml,
                    scan,
                    header_row,
                    cols,
                    inputs,
                });
            }
        }
        choose(file, candidates, &hidden, &summaries)
    }
}

/// Files that are no `.xlsx`: a password-protected or old binary workbook, or no zip at all.
pub(super) fn refuse_other_formats(file: &str, bytes: &[u8]) -> Result<(), Error> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(bad(
            file,
            "the template is password-protected, or an old Excel 97-2003 (.xls) file",
            "open it in Excel, remove the password (File > Info > Protect Workbook) and save \
             it as an Excel Workbook (.xlsx), then pass that file",
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(bad(
            file,
            "the template is not an Excel workbook (.xlsx files are zip archives; this is not one)",
            DOWNLOAD_HINT,
        ));
    }
    Ok(())
}

/// A workbook with macros (`.xlsm`, a VBA project): the form takes an `.xlsx`, and a filled
/// copy would keep the macros under a name Excel refuses.
pub(super) fn refuse_macros(file: &str, zip: &mut ZipArchive<Cursor<&[u8]>>) -> Result<(), Error> {
    let vba = zip
        .file_names()
        .any(|n| n.is_ok_and(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin")));
    let types = read_part(zip, "[Content_Types].xml", file)?.unwrap_or_default();
    if vba || types.contains("macroEnabled") {
        return Err(bad(
            file,
            "the template is a macro-enabled workbook (.xlsm); Partner Central's form takes an .xlsx",
            "open it in Excel and save it as an Excel Workbook (.xlsx), which drops the macros, then pass that file",
        ));
    }
    Ok(())
}

/// The one visible sheet with the columns and cells to fill, or why there is none.
fn choose(
    file: &str,
    mut candidates: Vec<Candidate>,
    hidden: &[String],
    summaries: &[String],
) -> Result<Candidate, Error> {
    let quoted = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match candidates.len() {
        1 => Ok(candidates.remove(0)),
        0 => {
            let mut message = "no visible sheet of the template has the columns ID, Met? and \
                 Partner Response in its first ten rows with cells to fill under them (looked \
                 for without case or spacing; Met? and Partner Response may go on, as in \"Met? \
                 (Yes/No/NA)\")"
                .to_string();
            if !summaries.is_empty() {
                message.push_str(&format!(
                    "; {} {} the columns, but every Met? under them is a formula (a summary)",
                    quoted(summaries),
                    if summaries.len() == 1 { "has" } else { "have" }
                ));
            }
            if !hidden.is_empty() {
                message.push_str(&format!(
                    "; {} {} them but {} hidden, and a hidden sheet is never filled",
                    quoted(hidden),
                    if hidden.len() == 1 { "has" } else { "have" },
                    if hidden.len() == 1 { "is" } else { "are" }
                ));
            }
            Err(bad(file, message, DOWNLOAD_HINT))
        }
        _ => {
            let names: Vec<String> = candidates
                .iter()
                .map(|c| format!("\"{}\" ({} rows to fill)", c.name, c.inputs))
                .collect();
            Err(bad(
                file,
                format!(
                    "{} sheets of the template look like the one to fill: {}",
                    names.len(),
                    names.join(", ")
                ),
                "keep only AWS's requirements sheet with its header, or hide the others, then pass the file again",
            ))
        }
    }
}
