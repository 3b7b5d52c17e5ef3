//! Filling a copy of the self-assessment spreadsheet the user downloaded from AWS.
//!
//! The sheet and its `ID`, `Met?` and `Partner Response` columns are found by their header
//! text (in any of the first ten rows, case and spacing ignored), never by position. Only the
//! cells of those two columns in rows naming a control change: every other entry of the file
//! is copied byte for byte (still compressed), and in the one worksheet that changes, every
//! byte outside those cells stays as it was. Text is written as inline strings, so the shared
//! strings stay untouched; a cell holding a formula is never overwritten, only reported.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;
use zip::write::SimpleFileOptions;

use super::sheet::{cell_text, met_value, partner_response};
use super::view::{ControlView, Submission};
use crate::error::{Error, Located};
use crate::safe::terminal;

/// The most a template file, or one part of it once unpacked, may take.
const LIMIT: u64 = 64 << 20;
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
    /// The worksheet's entry in the zip.
    sheet_entry: String,
    sheet_name: String,
    xml: String,
    scan: Scan,
    header_row: u32,
    /// Columns (from 1) of ID, Met? and Partner Response.
    cols: [u32; 3],
}

fn bad(file: &str, message: impl Into<String>, hint: impl Into<String>) -> Error {
    Error::invalid(Located {
        file: file.to_string(),
        line: None,
        field: None,
        message: message.into(),
        hint: hint.into(),
    })
}

const DOWNLOAD_HINT: &str = "use the self-assessment spreadsheet (.xlsx) downloaded from AWS \
     Partner Central, or export without --template to get ftr's own sheet";

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
        let mut zip = ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(|e| {
            bad(
                file,
                format!("the template is not a readable .xlsx file: {e}"),
                DOWNLOAD_HINT,
            )
        })?;
        let not_xlsx = |what: &str| {
            bad(
                file,
                format!("the template is a zip archive but not an Excel workbook ({what})"),
                DOWNLOAD_HINT,
            )
        };
        let root_rels = read_part(&mut zip, "_rels/.rels", file)?
            .ok_or_else(|| not_xlsx("it has no _rels/.rels"))?;
        let workbook_path = relationships(&root_rels, "", file)?
            .into_iter()
            .find(|r| r.kind.ends_with("/officeDocument"))
            .map(|r| r.target)
            .ok_or_else(|| not_xlsx("no workbook in _rels/.rels"))?;
        if workbook_path.ends_with(".bin") {
            return Err(bad(
                file,
                "the template is an Excel Binary Workbook (.xlsb)",
                "open it in Excel and save it as an Excel Workbook (.xlsx), then pass that file",
            ));
        }
        let workbook = read_part(&mut zip, &workbook_path, file)?
            .ok_or_else(|| not_xlsx(&format!("{workbook_path} is missing")))?;
        if workbook.contains("http://purl.oclc.org/ooxml/spreadsheetml/main") {
            return Err(bad(
                file,
                "the template is saved as Strict Open XML, which ftr does not fill",
                "open it in Excel and save it as an Excel Workbook (.xlsx), not Strict Open XML \
                 Spreadsheet, then pass that file",
            ));
        }
        let (dir, base) = match workbook_path.rsplit_once('/') {
            Some((d, b)) => (d.to_string(), b.to_string()),
            None => (String::new(), workbook_path.clone()),
        };
        let rels_path = if dir.is_empty() {
            format!("_rels/{base}.rels")
        } else {
            format!("{dir}/_rels/{base}.rels")
        };
        let rels = match read_part(&mut zip, &rels_path, file)? {
            Some(text) => relationships(&text, &dir, file)?,
            None => Vec::new(),
        };
        let strings = match rels.iter().find(|r| r.kind.ends_with("/sharedStrings")) {
            Some(r) => match read_part(&mut zip, &r.target, file)? {
                Some(text) => shared_strings(&text, file)?,
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        for (name, id) in sheets(&workbook, file)? {
            let Some(rel) = rels
                .iter()
                .find(|r| r.id == id && r.kind.ends_with("/worksheet"))
            else {
                continue;
            };
            let Some(xml) = read_part(&mut zip, &rel.target, file)? else {
                continue;
            };
            let scan = scan(&xml, &strings, file, &rel.target)?;
            if let Some((header_row, cols)) = find_header(&scan) {
                let entry = rel.target.clone();
                drop(zip);
                return Ok(Template {
                    file: file.to_string(),
                    bytes,
                    sheet_entry: entry,
                    sheet_name: name,
                    xml,
                    scan,
                    header_row,
                    cols,
                });
            }
        }
        Err(bad(
            file,
            "no sheet of the template has the columns ID, Met? and Partner Response in its \
             first ten rows",
            DOWNLOAD_HINT,
        ))
    }

    /// A copy of the template with every row naming a control of `s` filled.
    pub fn fill(&self, s: &Submission) -> Result<Filled, Error> {
        let by_id: HashMap<&str, &ControlView> = s
            .controls
            .iter()
            .map(|v| (v.control.id.as_str(), v))
            .collect();
        let [id_col, met_col, response_col] = self.cols;
        let mut report = TemplateReport {
            file: self.file.clone(),
            sheet: self.sheet_name.clone(),
            header_row: self.header_row,
            columns: self.cols.map(column_letters),
            own_ids: s.checklist.own_ids.then(|| s.checklist.id.clone()),
            ..TemplateReport::default()
        };
        // Which rows name which control, and which controls have a row of their own.
        let mut rows: Vec<(usize, &ControlView, bool)> = Vec::new();
        let mut own_row: std::collections::HashSet<&str> = Default::default();
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
            if let Some(v) = by_id.get(id.as_str()) {
                rows.push((i, v, false));
                own_row.insert(v.control.id.as_str());
                report.filled.push(v.control.id.clone());
            } else if let Some(v) = parent_of(&id).and_then(|p| by_id.get(p)) {
                rows.push((i, v, true));
                report.sub_rows.push((id, row.num));
            } else if looks_like_id(&id) {
                report.unknown.push((id, row.num));
            }
        }
        report.missing = s
            .controls
            .iter()
            .map(|v| v.control.id.as_str())
            .filter(|id| {
                !own_row.contains(id)
                    && !report
                        .sub_rows
                        .iter()
                        .any(|(sub, _)| parent_of(sub) == Some(id))
            })
            .map(String::from)
            .collect();
        // The response goes on the control's own row, or on its first sub-question row when
        // the template has none.
        let mut response_given: std::collections::HashSet<&str> = Default::default();
        let mut edits: Vec<Edit> = Vec::new();
        let prefix = self.scan.prefix.clone();
        for (i, v, sub) in rows {
            let row = &self.scan.rows[i];
            let id = v.control.id.as_str();
            let gets_response = if sub {
                !own_row.contains(id) && !response_given.contains(id)
            } else {
                true
            };
            let mut cells = vec![(met_col, met_value(v.status).to_string())];
            if gets_response {
                response_given.insert(id);
                cells.push((response_col, partner_response(v)));
            }
            let mut inserted = Vec::new();
            for (col, value) in cells {
                if value.trim().is_empty() {
                    continue;
                }
                let text = cell_text(&value);
                let at = format!("{}{}", column_letters(col), row.num);
                if let Some(range) = self.scan.merged_into(col, row.num) {
                    report
                        .skipped
                        .push(format!("{at}: inside the merged cells {range}"));
                    continue;
                }
                match row.cell(col) {
                    Some(c) if c.formula => {
                        report.skipped.push(format!("{at}: holds a formula"));
                    }
                    Some(c) => edits.push(Edit {
                        start: c.start,
                        end: c.end,
                        col,
                        text: replaced_cell(&self.xml[c.start..c.end], &prefix, &text),
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
                            text: new_cell(&prefix, &at, style.as_deref(), &text),
                        });
                        inserted.push(col);
                    }
                }
            }
            if !inserted.is_empty()
                && let Some(tag) = widened_row_tag(&self.xml[row.tag.0..row.tag.1], &inserted)
            {
                edits.push(Edit {
                    start: row.tag.0,
                    end: row.tag.1,
                    col: 0,
                    text: tag,
                });
            }
        }
        edits.sort_by_key(|e| (e.start, e.end, e.col));
        let mut xml = String::with_capacity(self.xml.len() + edits.len() * 128);
        let mut at = 0;
        for e in &edits {
            xml.push_str(&self.xml[at..e.start]);
            xml.push_str(&e.text);
            at = e.end;
        }
        xml.push_str(&self.xml[at..]);
        // The changed part must still be well-formed XML.
        let mut check = Reader::from_str(&xml);
        loop {
            match check.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => {
                    return Err(Error::Unavailable(format!(
                        "filling the template {} gave a worksheet that is not well-formed ({e}); \
                         nothing was written",
                        self.file
                    )));
                }
            }
        }
        let bytes = self.write(xml.as_bytes())?;
        Ok(Filled { bytes, report })
    }

    /// The template's zip with the worksheet's entry replaced by `sheet`, every other entry
    /// copied as it is stored.
    fn write(&self, sheet: &[u8]) -> Result<Vec<u8>, Error> {
        let fail = |e: zip::result::ZipError| {
            Error::Unavailable(format!(
                "could not write the filled copy of {}: {e}",
                self.file
            ))
        };
        let mut zip = ZipArchive::new(Cursor::new(self.bytes.as_slice())).map_err(fail)?;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(self.bytes.len())));
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(fail)?;
            if entry.name().map_err(fail)? == self.sheet_entry {
                let mut options = SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated);
                if let Some(t) = entry.last_modified() {
                    options = options.last_modified_time(t);
                }
                let name = self.sheet_entry.clone();
                drop(entry);
                out.start_file(name, options).map_err(fail)?;
                out.write_all(sheet)
                    .map_err(|e| fail(zip::result::ZipError::Io(e)))?;
            } else {
                out.raw_copy_file(entry).map_err(fail)?;
            }
        }
        if !zip.comment().is_empty() {
            out.set_raw_comment(zip.comment().into()).map_err(fail)?;
        }
        Ok(out.finish().map_err(fail)?.into_inner())
    }
}

/// One change to the worksheet's text: `start..end` becomes `text`.
struct Edit {
    start: usize,
    end: usize,
    col: u32,
    text: String,
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

/// `1` → `A`, `27` → `AA`.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let rem = (col - 1) % 26;
        out.push(b'A' + rem as u8);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `F12` → (6, 12); `F` alone → (6, 0).
fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let r = r.trim().replace('$', "");
    let split = r.find(|c: char| c.is_ascii_digit()).unwrap_or(r.len());
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    Some((col, row))
}

/// Header text as compared: lower case, no spacing.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header row and the columns of ID, Met? and Partner Response, if one of the first ten
/// rows has all three.
fn find_header(scan: &Scan) -> Option<(u32, [u32; 3])> {
    for row in scan.rows.iter().filter(|r| r.num <= HEADER_ROWS) {
        let mut cols = [0u32; 3];
        for c in &row.cells {
            let Some(text) = &c.text else { continue };
            let slot = match normalise(text).as_str() {
                "id" => 0,
                "met?" | "met" => 1,
                "partnerresponse" => 2,
                _ => continue,
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

/// A relationship of a package part.
struct Rel {
    id: String,
    kind: String,
    /// The target's entry name in the zip.
    target: String,
}

fn xml_error(file: &str, part: &str, e: impl std::fmt::Display) -> Error {
    bad(
        file,
        format!("the template's {part} is not well-formed XML ({e})"),
        DOWNLOAD_HINT,
    )
}

/// The text of a part of the package, `None` if it is not there.
fn read_part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    file: &str,
) -> Result<Option<String>, Error> {
    let mut entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(bad(
                file,
                format!("the template's {name} cannot be read: {e}"),
                DOWNLOAD_HINT,
            ));
        }
    };
    if entry.encrypted() {
        return Err(bad(
            file,
            format!("the template's {name} is encrypted"),
            "open it in Excel, remove the password and save it as an Excel Workbook (.xlsx)",
        ));
    }
    if entry.size() > LIMIT {
        return Err(bad(
            file,
            format!("the template's {name} unpacks to more than {LIMIT} bytes"),
            DOWNLOAD_HINT,
        ));
    }
    let mut bytes = Vec::new();
    (&mut entry)
        .take(LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            bad(
                file,
                format!("the template's {name} cannot be read: {e}"),
                DOWNLOAD_HINT,
            )
        })?;
    if bytes.len() as u64 > LIMIT {
        return Err(bad(
            file,
            format!("the template's {name} unpacks to more than {LIMIT} bytes"),
            DOWNLOAD_HINT,
        ));
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    String::from_utf8(bytes).map(Some).map_err(|_| {
        bad(
            file,
            format!("the template's {name} is not UTF-8 text"),
            DOWNLOAD_HINT,
        )
    })
}

/// The value of attribute `name` (its local name: `r:id` matches `id` when `prefixed`).
fn attr(e: &BytesStart, name: &str, prefixed: bool) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key: &str = a.key.as_ref();
        let hit = if prefixed {
            key.rsplit_once(':').is_some_and(|(_, local)| local == name)
        } else {
            key == name
        };
        if hit {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        } else {
            None
        }
    })
}

fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

/// The relationships in a `.rels` part, targets resolved against `dir`.
fn relationships(xml: &str, dir: &str, file: &str) -> Result<Vec<Rel>, Error> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) if local(&e) == "Relationship" => {
                if attr(&e, "TargetMode", false).as_deref() == Some("External") {
                    continue;
                }
                let (Some(id), Some(kind), Some(target)) = (
                    attr(&e, "Id", false),
                    attr(&e, "Type", false),
                    attr(&e, "Target", false),
                ) else {
                    continue;
                };
                out.push(Rel {
                    id,
                    kind,
                    target: resolve(dir, &target),
                });
            }
            Ok(_) => {}
            Err(e) => return Err(xml_error(file, "relationships", e)),
        }
    }
    Ok(out)
}

/// A relationship target as a zip entry name.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if dir.is_empty() => target.to_string(),
        None => format!("{dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The worksheets of the workbook in order: name and relationship id.
fn sheets(xml: &str, file: &str) -> Result<Vec<(String, String)>, Error> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) if local(&e) == "sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, "name", false), attr(&e, "id", true)) {
                    out.push((name, id));
                }
            }
            Ok(_) => {}
            Err(e) => return Err(xml_error(file, "workbook", e)),
        }
    }
    Ok(out)
}

/// Text collected from `<t>` elements, skipping phonetic runs (`<rPh>`).
#[derive(Default)]
struct TextGather {
    depth_t: u32,
    depth_rph: u32,
    text: String,
}

impl TextGather {
    fn start(&mut self, name: &str) {
        match name {
            "t" => self.depth_t += 1,
            "rPh" => self.depth_rph += 1,
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "t" => self.depth_t = self.depth_t.saturating_sub(1),
            "rPh" => self.depth_rph = self.depth_rph.saturating_sub(1),
            _ => {}
        }
    }

    fn collecting(&self) -> bool {
        self.depth_t > 0 && self.depth_rph == 0
    }
}

/// Appends the text of a text, CDATA or entity event.
fn push_text(out: &mut String, event: &Event) {
    match event {
        Event::Text(t) => out.push_str(&t.xml10_content()),
        Event::CData(c) => out.push_str(c),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                out.push(c);
            } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
                out.push_str(s);
            }
        }
        _ => {}
    }
}

/// Excel writes characters XML cannot hold as `_xHHHH_`.
fn decode_ooxml(text: &str) -> String {
    if !text.contains("_x") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()) && tail.get(6..7) == Some("_"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The shared strings, in order.
fn shared_strings(xml: &str, file: &str) -> Result<Vec<String>, Error> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<TextGather> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(file, "shared strings", e))?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = local(e);
                if name == "si" {
                    current = Some(TextGather::default());
                } else if let Some(g) = &mut current {
                    g.start(&name);
                }
            }
            Event::Empty(e) if local(e) == "si" => out.push(String::new()),
            Event::End(e) => {
                let name = e.local_name().as_ref().to_string();
                if name == "si" {
                    if let Some(g) = current.take() {
                        out.push(decode_ooxml(&g.text));
                    }
                } else if let Some(g) = &mut current {
                    g.end(&name);
                }
            }
            _ => {
                if let Some(g) = &mut current
                    && g.collecting()
                {
                    push_text(&mut g.text, &event);
                }
            }
        }
    }
    Ok(out)
}

/// One cell of the worksheet as found.
#[derive(Debug)]
struct CellAt {
    col: u32,
    /// Byte range of the whole `<c>` element.
    start: usize,
    end: usize,
    formula: bool,
    text: Option<String>,
}

/// One row of the worksheet as found.
#[derive(Debug)]
struct RowAt {
    num: u32,
    /// Byte range of the `<row ...>` start tag.
    tag: (usize, usize),
    /// Where `</row>` starts; `None` for an empty `<row/>`.
    close: Option<usize>,
    /// The row's style, when it has one of its own (`customFormat`).
    style: Option<String>,
    cells: Vec<CellAt>,
}

impl RowAt {
    fn cell(&self, col: u32) -> Option<&CellAt> {
        self.cells.iter().find(|c| c.col == col)
    }
}

/// What the worksheet holds, as far as filling needs it.
#[derive(Debug, Default)]
struct Scan {
    rows: Vec<RowAt>,
    /// Merged ranges: (first col, first row, last col, last row, as written).
    merged: Vec<(u32, u32, u32, u32, String)>,
    /// Column styles: (min, max, style).
    col_styles: Vec<(u32, u32, String)>,
    /// The namespace prefix of the sheet's elements, with its colon (`x:`), or empty.
    prefix: String,
}

impl Scan {
    /// The merged range covering the cell, unless the cell is its top-left one.
    fn merged_into(&self, col: u32, row: u32) -> Option<&str> {
        self.merged
            .iter()
            .find(|(c1, r1, c2, r2, _)| {
                (*c1..=*c2).contains(&col) && (*r1..=*r2).contains(&row) && (col, row) != (*c1, *r1)
            })
            .map(|m| m.4.as_str())
    }

    /// The style a new cell takes, as Excel gives one typed into an empty cell: the row's
    /// own style, else the column's.
    fn style_for(&self, col: u32, row: &RowAt) -> Option<String> {
        row.style.clone().or_else(|| {
            self.col_styles
                .iter()
                .find(|(min, max, _)| (*min..=*max).contains(&col))
                .map(|c| c.2.clone())
        })
    }
}

/// Reads a worksheet: every row's position and cells, merged ranges and column styles.
fn scan(xml: &str, strings: &[String], file: &str, part: &str) -> Result<Scan, Error> {
    let mut reader = Reader::from_str(xml);
    let mut out = Scan::default();
    let mut in_data = false;
    let mut row: Option<RowAt> = None;
    let mut last_row = 0u32;
    // The cell being read: its start, column, type, and what it holds so far.
    struct Open {
        start: usize,
        col: u32,
        kind: String,
        formula: bool,
        value: String,
        in_v: bool,
        inline: TextGather,
    }
    let mut cell: Option<Open> = None;
    let err = |e: quick_xml::Error| xml_error(file, part, e);
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(err)?;
        let after = reader.buffer_position() as usize;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local(e);
                match name.as_str() {
                    "sheetData" => in_data = !empty,
                    "row" if in_data => {
                        let num = attr(e, "r", false)
                            .and_then(|r| r.parse().ok())
                            .unwrap_or(last_row + 1);
                        last_row = num;
                        if out.prefix.is_empty() {
                            let q = e.name().as_ref().to_string();
                            if let Some((p, _)) = q.split_once(':') {
                                out.prefix = format!("{p}:");
                            }
                        }
                        let style = (attr(e, "customFormat", false)
                            .is_some_and(|v| v == "1" || v == "true"))
                        .then(|| attr(e, "s", false))
                        .flatten();
                        let r = RowAt {
                            num,
                            tag: (before, after),
                            close: None,
                            style,
                            cells: Vec::new(),
                        };
                        if empty {
                            out.rows.push(r);
                        } else {
                            row = Some(r);
                        }
                    }
                    "c" if row.is_some() => {
                        let current = row
                            .as_ref()
                            .map_or(0, |r| r.cells.last().map_or(0, |c| c.col));
                        let col = attr(e, "r", false)
                            .and_then(|r| parse_ref(&r))
                            .map_or(current + 1, |(c, _)| c);
                        let open = Open {
                            start: before,
                            col,
                            kind: attr(e, "t", false).unwrap_or_default(),
                            formula: false,
                            value: String::new(),
                            in_v: false,
                            inline: TextGather::default(),
                        };
                        if empty {
                            if let Some(r) = &mut row {
                                r.cells.push(CellAt {
                                    col,
                                    start: before,
                                    end: after,
                                    formula: false,
                                    text: None,
                                });
                            }
                        } else {
                            cell = Some(open);
                        }
                    }
                    "f" if cell.is_some() => {
                        if let Some(c) = &mut cell {
                            c.formula = true;
                        }
                    }
                    "v" if cell.is_some() => {
                        if let Some(c) = &mut cell {
                            c.in_v = !empty;
                        }
                    }
                    "mergeCell" => {
                        if let Some(range) = attr(e, "ref", false) {
                            let (a, b) = range.split_once(':').unwrap_or((&range, &range));
                            if let (Some((c1, r1)), Some((c2, r2))) = (parse_ref(a), parse_ref(b)) {
                                out.merged.push((c1, r1, c2, r2, range.clone()));
                            }
                        }
                    }
                    "col" => {
                        if let (Some(min), Some(max), Some(style)) = (
                            attr(e, "min", false).and_then(|v| v.parse().ok()),
                            attr(e, "max", false).and_then(|v| v.parse().ok()),
                            attr(e, "style", false),
                        ) {
                            out.col_styles.push((min, max, style));
                        }
                    }
                    other => {
                        if let Some(c) = &mut cell
                            && !empty
                        {
                            c.inline.start(other);
                        }
                    }
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_string();
                match name.as_str() {
                    "sheetData" => in_data = false,
                    "row" => {
                        if let Some(mut r) = row.take() {
                            r.close = Some(before);
                            out.rows.push(r);
                        }
                    }
                    "c" => {
                        if let (Some(c), Some(r)) = (cell.take(), &mut row) {
                            let text = match c.kind.as_str() {
                                "s" => c
                                    .value
                                    .trim()
                                    .parse::<usize>()
                                    .ok()
                                    .and_then(|i| strings.get(i).cloned()),
                                "inlineStr" => Some(decode_ooxml(&c.inline.text)),
                                _ => (!c.value.is_empty()).then(|| decode_ooxml(&c.value)),
                            };
                            r.cells.push(CellAt {
                                col: c.col,
                                start: c.start,
                                end: after,
                                formula: c.formula,
                                text,
                            });
                        }
                    }
                    "v" => {
                        if let Some(c) = &mut cell {
                            c.in_v = false;
                        }
                    }
                    other => {
                        if let Some(c) = &mut cell {
                            c.inline.end(other);
                        }
                    }
                }
            }
            _ => {
                if let Some(c) = &mut cell {
                    if c.in_v {
                        push_text(&mut c.value, &event);
                    } else if c.inline.collecting() {
                        push_text(&mut c.inline.text, &event);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Text for an XML element's content: escaped, `_xHHHH_` sequences kept as written, and the
/// two characters XML cannot hold replaced.
fn xml_text(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("_x") {
        plain.push_str(&rest[..i]);
        let tail = &rest[i..];
        let escape_like = tail
            .get(2..6)
            .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
            && tail.get(6..7) == Some("_");
        plain.push_str(if escape_like { "_x005F_x" } else { "_x" });
        rest = &tail[2..];
    }
    plain.push_str(rest);
    let plain: String = plain
        .chars()
        .map(|c| {
            if matches!(c, '\u{FFFE}' | '\u{FFFF}') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    quick_xml::escape::escape(plain.as_str()).into_owned()
}

/// An inline-string cell.
fn new_cell(prefix: &str, at: &str, style: Option<&str>, text: &str) -> String {
    let style = style.map_or(String::new(), |s| {
        format!(" s=\"{}\"", quick_xml::escape::escape(s))
    });
    format!(
        "<{prefix}c r=\"{at}\"{style} t=\"inlineStr\"><{prefix}is><{prefix}t xml:space=\"preserve\">{}</{prefix}t></{prefix}is></{prefix}c>",
        xml_text(text)
    )
}

/// The cell `original` (a whole `<c>` element) holding `text` instead: its attributes kept,
/// but for the type and value metadata that described the old value.
fn replaced_cell(original: &str, prefix: &str, text: &str) -> String {
    let mut reader = Reader::from_str(original);
    let mut attrs = String::new();
    if let Ok(Event::Start(e) | Event::Empty(e)) = reader.read_event() {
        for a in e.attributes().flatten() {
            let key = a.key.as_ref().to_string();
            if matches!(key.as_str(), "t" | "vm" | "cm") {
                continue;
            }
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default();
            attrs.push_str(&format!(
                " {key}=\"{}\"",
                quick_xml::escape::escape(value.as_str())
            ));
        }
    }
    format!(
        "<{prefix}c{attrs} t=\"inlineStr\"><{prefix}is><{prefix}t xml:space=\"preserve\">{}</{prefix}t></{prefix}is></{prefix}c>",
        xml_text(text)
    )
}

/// The row's start tag with its `spans` hint widened to the inserted columns, if it has one
/// that does not cover them.
fn widened_row_tag(tag: &str, inserted: &[u32]) -> Option<String> {
    let mut reader = Reader::from_str(tag);
    let Ok(Event::Start(e)) = reader.read_event() else {
        return None;
    };
    let spans = attr(&e, "spans", false)?;
    let (lo, hi) = spans.split_once(':')?;
    let (lo, hi): (u32, u32) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
    let new_lo = inserted.iter().copied().chain([lo]).min()?;
    let new_hi = inserted.iter().copied().chain([hi]).max()?;
    if (new_lo, new_hi) == (lo, hi) {
        return None;
    }
    let mut out = String::from("<");
    out.push_str(e.name().as_ref());
    for a in e.attributes().flatten() {
        let key = a.key.as_ref().to_string();
        let value = if key == "spans" {
            format!("{new_lo}:{new_hi}")
        } else {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        };
        out.push_str(&format!(
            " {key}=\"{}\"",
            quick_xml::escape::escape(value.as_str())
        ));
    }
    out.push('>');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_references_are_read_as_excel_writes_them() {
        assert_eq!(parent_of("HOST-001.1"), Some("HOST-001"));
        assert_eq!(parent_of("HOST-001.1.2"), Some("HOST-001"));
        assert_eq!(parent_of("HOST-001"), None);
        assert_eq!(parent_of("HOST-001.a"), None);
        assert!(looks_like_id("ARC-003"));
        assert!(looks_like_id("NETSEC-001.2"));
        assert!(!looks_like_id("IDENTITY AND ACCESS"));
        assert!(!looks_like_id("-001"));
        assert_eq!(parse_ref("F12"), Some((6, 12)));
        assert_eq!(parse_ref("$AB$3"), Some((28, 3)));
        assert_eq!(parse_ref("12"), None);
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(28), "AB");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(normalise(" Met ?"), "met?");
        assert_eq!(normalise("PARTNER\u{a0}Response"), "partnerresponse");
        assert_eq!(decode_ooxml("a_x000D_b_x12"), "a\rb_x12");
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl", "/xl/sheet.xml"), "xl/sheet.xml");
        assert_eq!(resolve("xl/sub", "../s.xml"), "xl/s.xml");
    }

    #[test]
    fn written_text_is_escaped_and_reads_back() {
        assert_eq!(xml_text("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(xml_text("keep _x0041_ as is"), "keep _x005F_x0041_ as is");
        assert_eq!(decode_ooxml("keep _x005F_x0041_"), "keep _x0041_");
        let cell = replaced_cell(
            "<c r=\"F5\" s=\"3\" t=\"s\" vm=\"1\"><v>12</v></c>",
            "",
            "Met",
        );
        assert_eq!(
            cell,
            "<c r=\"F5\" s=\"3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Met</t></is></c>"
        );
    }

    #[test]
    fn a_worksheet_scan_finds_rows_cells_merges_and_styles() {
        let xml = "<worksheet xmlns=\"x\"><cols><col min=\"2\" max=\"3\" style=\"7\"/></cols>\
            <sheetData><row r=\"2\" spans=\"1:3\"><c r=\"A2\" t=\"s\"><v>0</v></c>\
            <c r=\"B2\" t=\"inlineStr\"><is><r><t>Met</t></r><r><t>?</t></r><rPh><t>x</t></rPh></is></c>\
            <c t=\"str\"><f>A1</f><v>Partner Response</v></c></row><row r=\"3\" customFormat=\"1\" s=\"4\"/>\
            </sheetData><mergeCells><mergeCell ref=\"A5:C6\"/></mergeCells></worksheet>";
        let s = scan(xml, &["ID".to_string()], "t.xlsx", "sheet").unwrap();
        assert_eq!(s.rows.len(), 2);
        let texts: Vec<_> = s.rows[0].cells.iter().map(|c| c.text.clone()).collect();
        assert_eq!(
            texts,
            [
                Some("ID".into()),
                Some("Met?".into()),
                Some("Partner Response".into())
            ]
        );
        assert_eq!(s.rows[0].cells[2].col, 3);
        assert!(s.rows[0].cells[2].formula);
        assert_eq!(find_header(&s), Some((2, [1, 2, 3])));
        assert_eq!(s.merged_into(2, 5), Some("A5:C6"));
        assert_eq!(s.merged_into(1, 5), None);
        assert_eq!(s.style_for(2, &s.rows[0]).as_deref(), Some("7"));
        assert_eq!(s.style_for(2, &s.rows[1]).as_deref(), Some("4"));
        assert_eq!(
            &xml[s.rows[0].tag.0..s.rows[0].tag.1],
            "<row r=\"2\" spans=\"1:3\">"
        );
        let c = &s.rows[0].cells[0];
        assert_eq!(&xml[c.start..c.end], "<c r=\"A2\" t=\"s\"><v>0</v></c>");
    }
}
