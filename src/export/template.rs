//! Filling a copy of the self-assessment spreadsheet the user downloaded from AWS.
//!
//! The sheet and its `ID`, `Met?` and `Partner Response` columns are found by their header
//! text (in any of the first ten rows, case and spacing ignored), never by position. Only the
//! cells of those two columns in rows naming a control change: every other entry of the file
//! is copied byte for byte (still compressed), and in the one worksheet that changes, every
//! byte outside those cells stays as it was. Text is written as inline strings, so the shared
//! strings stay untouched; a cell holding a formula is never overwritten, only reported.

use std::io::Cursor;
use std::path::Path;

use zip::ZipArchive;

use super::sheet::{cell_text, met_value, partner_response};
use super::view::{ControlView, Submission};
use super::xlsx::{
    DOWNLOAD_HINT, LIMIT, RowAt, Scan, Validation, bad, column_letters, line_of, new_cell,
    read_part, relationships, replace_parts, replaced_cell, scan, shared_strings, sheets,
    validations, widened_row_tag, without_cached_value, xml_problem,
};
use crate::content::SheetRow;
use crate::error::Error;
use crate::safe::terminal;

/// The header is looked for in this many rows from the top.
const HEADER_ROWS: u32 = 10;

/// A filled template: the bytes of the new file and what was done.
#[derive(Debug, Clone)]
pub struct Filled {
    pub bytes: Vec<u8>,
    pub report: TemplateReport,
}

/// What filling a template did, and what the user should check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateReport {
    /// The template, as named.
    pub file: String,
    /// The sheet filled.
    pub sheet: String,
    /// The header's row, counted from 1.
    pub header_row: u32,
    /// Column letters of `ID`, `Met?` and `Partner Response`.
    pub columns: [String; 3],
    /// Controls whose own row was filled, in template order.
    pub filled: Vec<String>,
    /// Answer rows given their answer, in template order.
    pub answered: Vec<String>,
    /// Answer rows left unanswered (`<select>`), in template order.
    pub unanswered: Vec<String>,
    /// Hidden rows naming an id, left as they were: id and row.
    pub hidden: Vec<(String, u32)>,
    /// Sub-question rows (`HOST-001.1`) given their parent's status: id and row.
    pub sub_rows: Vec<(String, u32)>,
    /// Rows naming an id the checklist lacks: id and row.
    pub unknown: Vec<(String, u32)>,
    /// Controls of the checklist no row of the template names, in checklist order.
    pub missing: Vec<String>,
    /// Cells left as they were, with why (a formula, inside merged cells).
    pub skipped: Vec<String>,
    /// Set (to the checklist id) when the checklist's control ids are this tool's own, so no
    /// row of AWS's template can name them.
    pub own_ids: Option<String>,
}

impl TemplateReport {
    /// What filling the template did, and what to check, as lines for a terminal.
    pub fn lines(&self) -> Vec<String> {
        let list = |items: &[(String, u32)]| {
            items
                .iter()
                .map(|(id, row)| format!("{} (row {row})", terminal(id)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = vec![format!(
            "Filled the template {}: sheet \"{}\", header on row {} (ID in column {}, Met? in \
             {}, Partner Response in {}); {} control row{} filled.",
            terminal(&self.file),
            terminal(&self.sheet),
            self.header_row,
            self.columns[0],
            self.columns[1],
            self.columns[2],
            self.filled.len(),
            if self.filled.len() == 1 { "" } else { "s" }
        )];
        if !self.sub_rows.is_empty() {
            out.push(format!(
                "Sub-question rows given their control's status; check each one: {}",
                list(&self.sub_rows)
            ));
        }
        if !self.unknown.is_empty() {
            out.push(format!(
                "Rows naming ids this checklist does not have (left as they were; the template \
                 may be for another checklist version): {}",
                list(&self.unknown)
            ));
        }
        let joined = |items: &[String], sep: &str| {
            items
                .iter()
                .map(|s| terminal(s).into_owned())
                .collect::<Vec<_>>()
                .join(sep)
        };
        if let Some(checklist) = &self.own_ids {
            out.push(format!(
                "The control ids of checklist {} are this tool's own, not the checklist's, so \
                 the template's rows do not name them: fill those rows by hand from SUMMARY.md.",
                terminal(checklist)
            ));
        }
        if !self.missing.is_empty() {
            out.push(format!(
                "Controls the template has no row for (add them by hand, or use the template \
                 of the same checklist version): {}",
                joined(&self.missing, ", ")
            ));
        }
        if !self.skipped.is_empty() {
            out.push(format!(
                "Cells left as they were: {}",
                joined(&self.skipped, "; ")
            ));
        }
        out
    }
}

/// Fills a copy of `template` from `s`.
pub fn fill_template(template: &Path, s: &Submission) -> Result<Filled, Error> {
    Template::open(template)?.fill(s)
}

/// A template read and understood: the file, and the sheet to fill.
pub struct Template {
    file: String,
    bytes: Vec<u8>,
    /// The worksheet's entry in the zip, and its text.
    sheet_entry: String,
    sheet_name: String,
    xml: String,
    scan: Scan,
    validations: Vec<Validation>,
    header_row: u32,
    /// Columns (from 1) of ID, Met? and Partner Response.
    cols: [u32; 3],
    /// The workbook part's entry in the zip, and its text (where Excel is asked to
    /// recalculate on opening).
    workbook_entry: String,
    workbook_xml: String,
}

/// All the parts read from one template may unpack to no more than this.
const BUDGET: u64 = 4 * LIMIT;

/// A sheet with the three columns in its header.
struct Candidate {
    name: String,
    entry: String,
    xml: String,
    scan: Scan,
    header_row: u32,
    cols: [u32; 3],
    /// Rows with an ID whose Met? cell is no formula: cells a person fills.
    inputs: usize,
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

    /// A copy of the template with AWS's questions answered from `s`: the Met? cell of each
    /// answer row (with its own list's spelling), the response in each control's own row.
    /// Formulas, unanswered rows (`<select>`) and everything else stay as they were.
    pub fn fill(&self, s: &Submission) -> Result<Filled, Error> {
        let placed = self.place(s)?;
        let mut report = TemplateReport {
            file: self.file.clone(),
            sheet: self.sheet_name.clone(),
            header_row: self.header_row,
            columns: self.cols.map(column_letters),
            own_ids: s.checklist.own_ids.then(|| s.checklist.id.clone()),
            unknown: placed.unknown.clone(),
            sub_rows: placed.sub_rows.clone(),
            hidden: placed.hidden.clone(),
            missing: placed.missing(s),
            ..TemplateReport::default()
        };
        let mut edits = Edits::default();
        // A control without a row of its own gets its response on its first sub-question row.
        let mut responded: std::collections::HashSet<&str> = placed
            .rows
            .iter()
            .filter_map(|(_, e)| match e {
                Entry::Control(v) => Some(v.control.id.as_str()),
                _ => None,
            })
            .collect();
        for (i, entry) in &placed.rows {
            let row = &self.scan.rows[*i];
            for (col, value) in self.cells_for(s, entry, &mut responded, &mut report) {
                self.edit_cell(row, col, &value, &mut edits, &mut report);
            }
            edits.widen(&self.xml, row);
        }
        self.drop_cached_values(&mut edits);
        let xml = edits.apply(&self.xml);
        check_well_formed(&xml, &self.file)?;
        let workbook = recalculate_on_open(&self.workbook_xml);
        let bytes = self.write(&[
            (self.sheet_entry.as_str(), xml.as_bytes()),
            (self.workbook_entry.as_str(), workbook.as_bytes()),
        ])?;
        Ok(Filled { bytes, report })
    }

    /// Which row of the sheet stands for what: the n-th row whose ID reads `X` is the n-th
    /// control or workbook row of the checklist the sheet writes as `X`. Hidden rows are left
    /// out (AWS's workbook keeps a hidden duplicate).
    fn place<'s>(&self, s: &'s Submission) -> Result<Placed<'s>, Error> {
        let mut expected: Vec<(String, Entry<'s>, bool)> = Vec::new();
        for v in &s.controls {
            expected.push((v.control.id.to_ascii_uppercase(), Entry::Control(v), false));
            for r in &v.control.rows {
                expected.push((r.sheet_id.to_ascii_uppercase(), Entry::Row(r), false));
            }
        }
        for r in &s.checklist.sheet_rows {
            expected.push((r.sheet_id.trim().to_ascii_uppercase(), Entry::Row(r), false));
        }
        let has_rows = s.checklist.has_rows();
        let mut placed = Placed::default();
        let id_col = self.cols[0];
        for (i, row) in self.scan.rows.iter().enumerate() {
            if row.num <= self.header_row {
                continue;
            }
            let Some(text) = row.cell(id_col).and_then(|c| c.text.as_deref()) else {
                continue;
            };
            let id = text.trim().to_ascii_uppercase();
            if id.is_empty() {
                continue;
            }
            if row.hidden {
                placed.hidden.push((id, row.num));
                continue;
            }
            if let Some(slot) = expected.iter_mut().find(|(t, _, used)| *t == id && !used) {
                slot.2 = true;
                placed.rows.push((i, slot.1.clone()));
            } else if let Some(v) = parent_of(&id).filter(|_| !has_rows).and_then(|p| {
                s.controls
                    .iter()
                    .find(|v| v.control.id.eq_ignore_ascii_case(p))
            }) {
                placed.rows.push((i, Entry::SubRow(v)));
                placed.sub_rows.push((id, row.num));
            } else if looks_like_id(&id) {
                placed.unknown.push((id, row.num));
            }
        }
        placed.absent = expected
            .iter()
            .filter(|(.., used)| !used)
            .map(|(_, e, _)| e.id().to_string())
            .collect();
        self.check_checklist(s.checklist)?;
        Ok(placed)
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

    /// The cells one placed row gets: (column, text). An unanswered row gets none, so its
    /// `<select>` stays.
    fn cells_for<'s>(
        &self,
        s: &Submission,
        entry: &Entry<'s>,
        responded: &mut std::collections::HashSet<&'s str>,
        report: &mut TemplateReport,
    ) -> Vec<(u32, String)> {
        let [_, met_col, response_col] = self.cols;
        match entry {
            Entry::Control(v) => {
                report.filled.push(v.control.id.clone());
                let mut cells = vec![(response_col, partner_response(v))];
                if v.control.rows.is_empty() {
                    cells.push((met_col, met_value(v.status).to_string()));
                }
                cells
            }
            Entry::SubRow(v) => {
                let mut cells = vec![(met_col, met_value(v.status).to_string())];
                if responded.insert(v.control.id.as_str()) {
                    cells.push((response_col, partner_response(v)));
                }
                cells
            }
            Entry::Row(r) => match crate::assessment::grade::row_value(s.project, s.checklist, r) {
                Some(value) => {
                    report.answered.push(r.id.clone());
                    vec![(met_col, value)]
                }
                None => {
                    report.unanswered.push(r.id.clone());
                    Vec::new()
                }
            },
        }
    }

    /// One cell's new text, spelt as the cell's own list spells it (without a leading space),
    /// unless the cell is a formula, inside a merged range, or its list lacks the value.
    fn edit_cell(
        &self,
        row: &RowAt,
        col: u32,
        value: &str,
        edits: &mut Edits,
        report: &mut TemplateReport,
    ) {
        if value.trim().is_empty() {
            return;
        }
        let at = format!("{}{}", column_letters(col), row.num);
        let text = match self.list_item(col, row.num, value) {
            Ok(Some(item)) => item,
            Ok(None) => cell_text(value),
            Err(items) => {
                report.skipped.push(format!(
                    "{at}: its list ({}) has no `{value}`",
                    items.join(",")
                ));
                return;
            }
        };
        if let Some(range) = self.scan.merged_into(col, row.num) {
            report
                .skipped
                .push(format!("{at}: inside the merged cells {range}"));
            return;
        }
        match row.cell(col) {
            Some(c) if c.formula => report.skipped.push(format!("{at}: holds a formula")),
            Some(c) => edits.push(Edit {
                start: c.start,
                end: c.end,
                col,
                text: replaced_cell(&self.xml[c.start..c.end], &self.scan.prefix, &text),
            }),
            None => {
                let style = self.scan.style_for(col, row);
                let at_pos = row
                    .cells
                    .iter()
                    .find(|c| c.col > col)
                    .map(|c| c.start)
                    .or(row.close)
                    .unwrap_or(row.tag.1);
                edits.push(Edit {
                    start: at_pos,
                    end: at_pos,
                    col,
                    text: new_cell(&self.scan.prefix, &at, style.as_deref(), &text),
                });
                edits.inserted(row.num, col);
            }
        }
    }

    /// Every formula of the sheet loses its cached value: LibreOffice computes a formula on
    /// opening only when it has none (Excel follows the workbook's request to calculate), so
    /// the grades show the answers written, not the values cached before. The formulas
    /// themselves stay as they were.
    fn drop_cached_values(&self, edits: &mut Edits) {
        for c in self.scan.rows.iter().flat_map(|r| &r.cells) {
            if !c.formula {
                continue;
            }
            if let Some(text) = without_cached_value(&self.xml[c.start..c.end], &self.scan.prefix) {
                edits.push(Edit {
                    start: c.start,
                    end: c.end,
                    col: c.col,
                    text,
                });
            }
        }
    }

    /// The item of the cell's list that `value` names, stripped of its leading space:
    /// `Ok(None)` when no list covers the cell, `Err(items)` when the list lacks the value.
    fn list_item(&self, col: u32, row: u32, value: &str) -> Result<Option<String>, Vec<String>> {
        let Some(items) = self
            .validations
            .iter()
            .filter(|v| v.covers(col, row))
            .find_map(|v| v.items.as_ref())
        else {
            return Ok(None);
        };
        // A status word, in the words of an older sheet's list where it has those.
        let also: &[&str] = match value.trim() {
            "Yes" => &["Met"],
            "No" => &["Not Met"],
            "N/A" => &["NA"],
            _ => &[],
        };
        std::iter::once(value.trim())
            .chain(also.iter().copied())
            .find_map(|want| {
                items
                    .iter()
                    .map(|i| i.trim())
                    .find(|i| i.eq_ignore_ascii_case(want))
            })
            .map(|i| Some(i.to_string()))
            .ok_or_else(|| items.clone())
    }

    /// The template's zip with the entries named in `parts` replaced, every other entry
    /// copied as it is stored.
    fn write(&self, parts: &[(&str, &[u8])]) -> Result<Vec<u8>, Error> {
        replace_parts(
            &self.bytes,
            parts,
            &format!("the filled copy of {}", self.file),
        )
    }
}

/// The template's zip, read within [`BUDGET`] in all.
struct Package<'b> {
    file: &'b str,
    zip: ZipArchive<Cursor<&'b [u8]>>,
    /// What the parts read so far unpacked to.
    spent: u64,
}

impl Package<'_> {
    /// The text of the part `name`, `None` when there is none; past the budget, an error.
    fn read(&mut self, name: &str) -> Result<Option<String>, Error> {
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
    fn workbook(&mut self) -> Result<(String, String), Error> {
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
    fn requirements_sheet(
        &mut self,
        workbook_xml: &str,
        rels: &[super::xlsx::Rel],
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

/// What a row of the sheet stands for.
#[derive(Clone)]
enum Entry<'s> {
    /// A control's own row: its response (and, without rows, its status).
    Control(&'s ControlView<'s>),
    /// One of AWS's answer rows, of a control or of the workbook itself.
    Row(&'s SheetRow),
    /// A sub-question row of a checklist whose rows are not known: the control's status.
    SubRow(&'s ControlView<'s>),
}

impl Entry<'_> {
    fn id(&self) -> &str {
        match self {
            Entry::Control(v) | Entry::SubRow(v) => &v.control.id,
            Entry::Row(r) => &r.id,
        }
    }
}

/// The rows of the sheet placed, and those that could not be.
#[derive(Default)]
struct Placed<'s> {
    /// Index into the scan's rows, and what the row stands for.
    rows: Vec<(usize, Entry<'s>)>,
    sub_rows: Vec<(String, u32)>,
    unknown: Vec<(String, u32)>,
    hidden: Vec<(String, u32)>,
    /// Ids of the checklist no row stands for, in checklist order.
    absent: Vec<String>,
}

impl Placed<'_> {
    /// The controls and rows of the checklist the sheet lacks (a control whose sub-question
    /// rows were found is not missing).
    fn missing(&self, s: &Submission) -> Vec<String> {
        self.absent
            .iter()
            .filter(|id| {
                !(s.checklist.control(id).is_some()
                    && self
                        .sub_rows
                        .iter()
                        .any(|(sub, _)| parent_of(sub) == Some(id.as_str())))
            })
            .cloned()
            .collect()
    }
}

/// One change to the worksheet's text: `start..end` becomes `text`.
struct Edit {
    start: usize,
    end: usize,
    col: u32,
    text: String,
}

/// The changes to the worksheet, and the columns inserted per row (whose `spans` may need
/// widening).
#[derive(Default)]
struct Edits {
    list: Vec<Edit>,
    inserted: Vec<(u32, u32)>,
}

impl Edits {
    fn push(&mut self, e: Edit) {
        self.list.push(e);
    }

    fn inserted(&mut self, row: u32, col: u32) {
        self.inserted.push((row, col));
    }

    /// Widens the `spans` of `row`'s start tag to the columns inserted in it.
    fn widen(&mut self, xml: &str, row: &RowAt) {
        let cols: Vec<u32> = self
            .inserted
            .iter()
            .filter(|(r, _)| *r == row.num)
            .map(|(_, c)| *c)
            .collect();
        if cols.is_empty() {
            return;
        }
        if let Some(tag) = widened_row_tag(&xml[row.tag.0..row.tag.1], &cols) {
            self.list.push(Edit {
                start: row.tag.0,
                end: row.tag.1,
                col: 0,
                text: tag,
            });
        }
    }

    /// `xml` with every change made.
    fn apply(mut self, xml: &str) -> String {
        self.list.sort_by_key(|e| (e.start, e.end, e.col));
        let mut out = String::with_capacity(xml.len() + self.list.len() * 128);
        let mut at = 0;
        for e in &self.list {
            out.push_str(&xml[at..e.start]);
            out.push_str(&e.text);
            at = e.end;
        }
        out.push_str(&xml[at..]);
        out
    }
}

/// The changed worksheet must still be well-formed XML, as the template's was.
fn check_well_formed(xml: &str, file: &str) -> Result<(), Error> {
    match xml_problem(xml) {
        None => Ok(()),
        Some((e, at)) => Err(Error::Unavailable(format!(
            "filling the template {file} gave a worksheet that is not well-formed ({e}, line {}); \
             nothing was written",
            line_of(xml, at)
        ))),
    }
}

/// Files that are no `.xlsx`: a password-protected or old binary workbook, or no zip at all.
fn refuse_other_formats(file: &str, bytes: &[u8]) -> Result<(), Error> {
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
fn refuse_macros(file: &str, zip: &mut ZipArchive<Cursor<&[u8]>>) -> Result<(), Error> {
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

/// The rows under the header whose ID cell holds text and whose Met? cell is not a formula.
fn count_inputs(scan: &Scan, header_row: u32, cols: [u32; 3]) -> usize {
    scan.rows
        .iter()
        .filter(|r| r.num > header_row && !r.hidden)
        .filter(|r| {
            r.cell(cols[0])
                .and_then(|c| c.text.as_deref())
                .is_some_and(|t| looks_like_id(&t.trim().to_ascii_uppercase()))
        })
        .filter(|r| r.cell(cols[1]).is_none_or(|c| !c.formula))
        .count()
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

/// `workbook.xml` asking Excel and LibreOffice to calculate every formula when the file
/// opens, so the grades read from the answers written, not from the values cached before.
pub fn recalculate_on_open(xml: &str) -> String {
    if let Some(start) = find_tag(xml, "calcPr") {
        let end = start + xml[start..].find('>').unwrap_or(0);
        let tag = &xml[start..end];
        let tag = tag.trim_end_matches('/');
        let mut new_tag = match tag.find("fullCalcOnLoad=") {
            Some(i) => {
                let rest = &tag[i + "fullCalcOnLoad=".len()..];
                let quote = rest.chars().next().unwrap_or('"');
                let close = rest[1..].find(quote).map_or(rest.len(), |j| j + 2);
                format!("{}fullCalcOnLoad=\"1\"{}", &tag[..i], &rest[close..])
            }
            None => format!("{} fullCalcOnLoad=\"1\"", tag.trim_end()),
        };
        if xml[..end].ends_with('/') {
            new_tag.push('/');
        }
        return format!("{}{}{}", &xml[..start], new_tag, &xml[end..]);
    }
    // No calcPr: one goes where the schema wants it, before the elements that follow it.
    let prefix = root_prefix(xml);
    let at = [
        "oleSize",
        "customWorkbookViews",
        "pivotCaches",
        "smartTagPr",
        "smartTagTypes",
        "webPublishing",
        "fileRecoveryPr",
        "webPublishObjects",
        "extLst",
    ]
    .iter()
    .filter_map(|t| find_tag(xml, t))
    .min()
    .or_else(|| xml.rfind(&format!("</{prefix}workbook")));
    match at {
        Some(i) => format!(
            "{}<{prefix}calcPr fullCalcOnLoad=\"1\"/>{}",
            &xml[..i],
            &xml[i..]
        ),
        None => xml.to_string(),
    }
}

/// Where the start tag `<name` (with any namespace prefix) begins.
fn find_tag(xml: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = xml[from..].find('<') {
        let at = from + i;
        let rest = &xml[at + 1..];
        let tag: &str = rest
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or("");
        if tag.rsplit(':').next() == Some(name) && !tag.is_empty() {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The namespace prefix of the root element, with its colon (`x:`), or empty.
fn root_prefix(xml: &str) -> String {
    find_tag(xml, "workbook")
        .and_then(|i| {
            let tag = xml[i + 1..]
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()?;
            tag.split_once(':').map(|(p, _)| format!("{p}:"))
        })
        .unwrap_or_default()
}

/// The parent control of a sub-question id (`HOST-001.1` → `HOST-001`).
fn parent_of(id: &str) -> Option<&str> {
    let (parent, rest) = id.split_once('.')?;
    (!rest.is_empty()
        && rest
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    .then_some(parent)
}

/// True for text shaped like a control id (`ARC-003`, `HOST-001.2`): letters, a dash, digits.
fn looks_like_id(id: &str) -> bool {
    let base = parent_of(id).unwrap_or(id);
    let Some((letters, digits)) = base.rsplit_once('-') else {
        return false;
    };
    !letters.is_empty()
        && letters.starts_with(|c: char| c.is_ascii_uppercase())
        && letters
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// Header text as compared: lower case, no spacing.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header row and the columns of ID, Met? and Partner Response, if one of the first ten
/// rows has all three. `Met? (Yes/No/NA)` and `Partner Response / Guidance` count.
fn find_header(scan: &Scan) -> Option<(u32, [u32; 3])> {
    for row in scan.rows.iter().filter(|r| r.num <= HEADER_ROWS) {
        let mut cols = [0u32; 3];
        for c in &row.cells {
            let Some(text) = &c.text else { continue };
            let t = normalise(text);
            let slot = if t == "id" {
                0
            } else if t == "met" || t.starts_with("met?") {
                1
            } else if t.starts_with("partnerresponse") {
                2
            } else {
                continue;
            };
            if cols[slot] == 0 {
                cols[slot] = c.col;
            }
        }
        if cols.iter().all(|&c| c > 0) {
            return Some((row.num, cols));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_headers_are_read_as_excel_writes_them() {
        assert_eq!(parent_of("HOST-001.1"), Some("HOST-001"));
        assert_eq!(parent_of("HOST-001.1.2"), Some("HOST-001"));
        assert_eq!(parent_of("HOST-001"), None);
        assert_eq!(parent_of("HOST-001.a"), None);
        assert!(looks_like_id("ARC-003"));
        assert!(looks_like_id("NETSEC-001.2"));
        assert!(!looks_like_id("IDENTITY AND ACCESS"));
        assert!(!looks_like_id("-001"));
        assert_eq!(normalise(" Met ?"), "met?");
        assert_eq!(normalise("PARTNER\u{a0}Response"), "partnerresponse");
    }

    #[test]
    fn the_workbook_asks_for_a_full_calculation_on_opening() {
        assert_eq!(
            recalculate_on_open("<workbook><calcPr calcId=\"191029\"/></workbook>"),
            "<workbook><calcPr calcId=\"191029\" fullCalcOnLoad=\"1\"/></workbook>"
        );
        assert_eq!(
            recalculate_on_open(
                "<workbook><calcPr fullCalcOnLoad='0' calcId=\"1\"></calcPr></workbook>"
            ),
            "<workbook><calcPr fullCalcOnLoad=\"1\" calcId=\"1\"></calcPr></workbook>"
        );
        assert_eq!(
            recalculate_on_open("<x:workbook><x:sheets/><x:extLst/></x:workbook>"),
            "<x:workbook><x:sheets/><x:calcPr fullCalcOnLoad=\"1\"/><x:extLst/></x:workbook>"
        );
        assert_eq!(
            recalculate_on_open("<workbook><sheets/></workbook>"),
            "<workbook><sheets/><calcPr fullCalcOnLoad=\"1\"/></workbook>"
        );
    }
}
