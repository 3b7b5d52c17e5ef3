//! Reading and writing the parts of an Excel workbook (.xlsx) that filling a template needs:
//! the package's relationships, the workbook's sheets, shared strings, and a worksheet's rows,
//! cells, merged ranges, column styles and data validations, each with where it stands in the
//! text so a cell can be replaced without touching a byte around it.

use std::io::{Cursor, Read};

use super::zipw::{DosTime, Method, ZipError, ZipOut};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use crate::error::{Error, Located};

/// The workbook `bytes` with the parts named in `parts` replaced, every other entry copied as
/// it is stored (compressed bytes, times and all); `what` names the file in an error.
pub(super) fn replace_parts(
    bytes: &[u8],
    parts: &[(&str, &[u8])],
    what: &str,
) -> Result<Vec<u8>, Error> {
    let fail =
        |e: &dyn std::fmt::Display| Error::Unavailable(format!("could not write {what}: {e}"));
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let out = Cursor::new(Vec::with_capacity(bytes.len()));
    let mut out = ZipOut::new(out, DosTime::from_unix(0), 1);
    for i in 0..zip.len() {
        let mut entry = zip.by_index_raw(i).map_err(|e| fail(&e))?;
        let name = entry.name().map_err(|e| fail(&e))?.to_string();
        if let Some(t) = entry.last_modified() {
            out.set_time(DosTime {
                date: t.datepart(),
                time: t.timepart(),
            });
        }
        let replaced = parts.iter().find(|(n, _)| *n == name).map(|(_, d)| *d);
        let method = match entry.compression() {
            zip::CompressionMethod::Stored => Some(Method::Stored),
            zip::CompressionMethod::Deflated => Some(Method::Deflated),
            _ => None,
        };
        match (replaced, method) {
            (Some(data), _) => {
                drop(entry);
                out.add_bytes(&name, data)
                    .map_err(|e| fail(&zip_error(e)))?;
            }
            (None, Some(method)) => {
                let (crc, size) = (entry.crc32(), entry.size());
                let mut raw = Vec::new();
                entry.read_to_end(&mut raw).map_err(|e| fail(&e))?;
                out.add_raw(&name, method, (crc, size), &raw)
                    .map_err(|e| fail(&e))?;
            }
            (None, None) => {
                // Another compression method: taken out and deflated again.
                drop(entry);
                let mut data = Vec::new();
                let mut plain = zip.by_index(i).map_err(|e| fail(&e))?;
                plain.read_to_end(&mut data).map_err(|e| fail(&e))?;
                out.add_bytes(&name, &data)
                    .map_err(|e| fail(&zip_error(e)))?;
            }
        }
    }
    out.set_comment(zip.comment());
    Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
}

fn zip_error(e: ZipError) -> String {
    match e {
        ZipError::Io(e) => e.to_string(),
        ZipError::Cancelled => "cancelled".into(),
    }
}

/// The most a template file, or one part of it once unpacked, may take.
pub const LIMIT: u64 = 64 << 20;

pub(super) fn bad(file: &str, message: impl Into<String>, hint: impl Into<String>) -> Error {
    Error::invalid(Located {
        file: file.to_string(),
        line: None,
        field: None,
        message: message.into(),
        hint: hint.into(),
    })
}

pub(super) const DOWNLOAD_HINT: &str = "use the self-assessment spreadsheet (.xlsx) downloaded from AWS \
     Partner Central, or export without --template to get ftr's own sheet";

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
pub(super) fn parse_ref(r: &str) -> Option<(u32, u32)> {
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

/// A relationship of a package part.
pub(super) struct Rel {
    pub(super) id: String,
    pub(super) kind: String,
    /// The target's entry name in the zip.
    pub(super) target: String,
}

pub(super) fn xml_error(file: &str, part: &str, e: impl std::fmt::Display) -> Error {
    bad(
        file,
        format!("the template's {part} is not well-formed XML ({e})"),
        DOWNLOAD_HINT,
    )
}

/// Whether `c` may appear in an XML 1.0 document (the production `Char`).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// What is wrong with the reference `&name;` (`name` without `&` and `;`), if anything: a
/// character reference must name a character XML allows, an entity one of the five XML
/// predefines (a workbook declares no others).
fn bad_reference(name: &str) -> Option<String> {
    let shown = || {
        let cut: String = name.chars().take(24).collect();
        crate::safe::terminal(&cut).into_owned()
    };
    let Some(number) = name.strip_prefix('#') else {
        return (!matches!(name, "lt" | "gt" | "amp" | "apos" | "quot"))
            .then(|| format!("the entity reference &{}; is not defined", shown()));
    };
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    let code = (!digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)))
        .then(|| u32::from_str_radix(digits, radix).ok())
        .flatten();
    match code.and_then(char::from_u32) {
        Some(c) if xml_char(c) => None,
        _ => Some(format!(
            "the character reference &{}; names no character XML allows",
            shown()
        )),
    }
}

/// What is wrong with an attribute's value as written, if anything.
fn bad_attribute_value(raw: &str) -> Option<String> {
    if raw.contains('<') {
        return Some("an attribute value holds a `<`".into());
    }
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        let tail = &rest[i + 1..];
        let Some(end) = tail.find(';') else {
            return Some("an attribute value holds an `&` that starts no reference".into());
        };
        if let Some(why) = bad_reference(&tail[..end]) {
            return Some(why);
        }
        rest = &tail[end + 1..];
    }
    None
}

/// Where the parse of one part stands.
#[derive(Default)]
struct Shape {
    /// Elements open now.
    depth: usize,
    /// The root element's name, once it started.
    root: Option<String>,
    /// The root element has closed: only comments, instructions and spaces may follow.
    closed: bool,
}

impl Shape {
    /// What is wrong with `event` where it stands, if anything.
    fn step(&mut self, event: &Event) -> Option<String> {
        let outside = self.depth == 0;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                if outside && self.closed {
                    return Some(format!(
                        "there is an element <{}> after the root element <{}> closed",
                        crate::safe::terminal(&local(e)),
                        self.root.as_deref().unwrap_or_default()
                    ));
                }
                if outside {
                    self.root = Some(crate::safe::terminal(&local(e)).into_owned());
                }
                for a in e.attributes() {
                    let a = match a {
                        Ok(a) => a,
                        Err(err) => return Some(format!("an attribute is malformed ({err})")),
                    };
                    if let Some(why) = bad_attribute_value(&a.value) {
                        return Some(why);
                    }
                }
                if matches!(event, Event::Start(_)) {
                    self.depth += 1;
                } else if outside {
                    self.closed = true;
                }
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                self.closed |= self.depth == 0;
            }
            Event::Text(t)
                if outside && !t.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) =>
            {
                return Some(if self.closed {
                    "there is text after the root element closed".into()
                } else {
                    "there is text before the root element".into()
                });
            }
            Event::CData(_) | Event::GeneralRef(_) if outside => {
                return Some("there is text outside the root element".into());
            }
            Event::GeneralRef(r) => return bad_reference(r),
            Event::Decl(_) | Event::DocType(_) if self.root.is_some() => {
                return Some("there is a declaration after the root element".into());
            }
            _ => {}
        }
        None
    }
}

/// What makes `xml` not well-formed as every reader of a workbook needs it (Excel,
/// openpyxl), and the byte it was found at: characters XML allows, references that name
/// one, one root element, closed, with nothing but comments and spaces after it.
pub(super) fn xml_problem(xml: &str) -> Option<(String, usize)> {
    if let Some(at) = xml.find(|c: char| !xml_char(c)) {
        let c = xml[at..].chars().next().map_or(0, u32::from);
        return Some((
            format!("it holds the character U+{c:04X}, which XML does not allow"),
            at,
        ));
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_comments = true;
    let mut shape = Shape::default();
    loop {
        let at = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(e) => e,
            Err(e) => return Some((e.to_string(), reader.error_position() as usize)),
        };
        if let Some(why) = shape.step(&event) {
            return Some((why, at));
        }
    }
    match (&shape.root, shape.depth) {
        (None, _) => Some(("it holds no element".into(), xml.len())),
        (Some(root), 1..) => Some((
            format!(
                "it ends before the root element <{root}> is closed (its closing tag is missing)"
            ),
            xml.len(),
        )),
        _ => None,
    }
}

/// The line of `xml` byte `at` is on, from 1.
pub(super) fn line_of(xml: &str, at: usize) -> usize {
    xml.as_bytes()
        .iter()
        .take(at)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Checks that the part `part` of the template `file` is well-formed (see [`xml_problem`]).
pub(super) fn well_formed(xml: &str, file: &str, part: &str) -> Result<(), Error> {
    let Some((what, at)) = xml_problem(xml) else {
        return Ok(());
    };
    let part = crate::safe::terminal(part);
    Err(bad(
        file,
        format!(
            "the template's part {part} is not well-formed XML: {what} (line {})",
            line_of(xml, at)
        ),
        format!(
            "open the template in Excel and save it again, so {part} is written whole; \
             {DOWNLOAD_HINT}"
        ),
    ))
}

/// The text of a part of the package, `None` if it is not there.
pub(super) fn read_part(
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
    let text = String::from_utf8(bytes).map_err(|_| {
        bad(
            file,
            format!("the template's {name} is not UTF-8 text"),
            DOWNLOAD_HINT,
        )
    })?;
    // Every part read is parsed, and then copied into the filled workbook: it must be whole.
    well_formed(&text, file, name)?;
    Ok(Some(text))
}

/// The value of attribute `name` (its local name: `r:id` matches `id` when `prefixed`).
pub(super) fn attr(e: &BytesStart, name: &str, prefixed: bool) -> Option<String> {
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

pub(super) fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

/// The relationships in a `.rels` part, targets resolved against `dir`.
pub(super) fn relationships(xml: &str, dir: &str, file: &str) -> Result<Vec<Rel>, Error> {
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
pub(super) fn resolve(dir: &str, target: &str) -> String {
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
/// One sheet of the workbook, as `workbook.xml` lists it.
pub(super) struct SheetEntry {
    pub(super) name: String,
    /// Its relationship id.
    pub(super) id: String,
    /// `hidden` or `veryHidden`: not shown to the person filling it.
    pub(super) hidden: bool,
}

/// The worksheets of the workbook in order.
pub(super) fn sheets(xml: &str, file: &str) -> Result<Vec<SheetEntry>, Error> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) if local(&e) == "sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, "name", false), attr(&e, "id", true)) {
                    let hidden = attr(&e, "state", false)
                        .is_some_and(|s| s == "hidden" || s == "veryHidden");
                    out.push(SheetEntry { name, id, hidden });
                }
            }
            Ok(_) => {}
            Err(e) => return Err(xml_error(file, "workbook", e)),
        }
    }
    Ok(out)
}

/// A data validation of a worksheet: the cells it covers and, for a list written out in the
/// validation itself (`"<select>,Yes, No"`), its items as written, leading spaces and all.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Validation {
    /// (first col, first row, last col, last row) of each range.
    pub(super) ranges: Vec<(u32, u32, u32, u32)>,
    /// `None` for a validation that is not a literal list (a range, a name, a number rule).
    pub(super) items: Option<Vec<String>>,
}

impl Validation {
    pub(super) fn covers(&self, col: u32, row: u32) -> bool {
        self.ranges
            .iter()
            .any(|&(c1, r1, c2, r2)| (c1..=c2).contains(&col) && (r1..=r2).contains(&row))
    }
}

/// Every data validation of a worksheet, as written in `<dataValidations>` or in the
/// `x14` extension Excel uses for lists on other sheets.
pub(super) fn validations(xml: &str, file: &str, part: &str) -> Result<Vec<Validation>, Error> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    // The validation being read: its kind, ranges, formula text, and which child we are in.
    let mut open: Option<(String, String, String)> = None;
    let mut child = String::new();
    loop {
        let event = reader.read_event().map_err(|e| xml_error(file, part, e))?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if local(e) == "dataValidation" => {
                let v = (
                    attr(e, "type", false).unwrap_or_default(),
                    attr(e, "sqref", false).unwrap_or_default(),
                    String::new(),
                );
                if matches!(event, Event::Empty(_)) {
                    out.push(validation(&v.0, &v.1, &v.2));
                } else {
                    open = Some(v);
                }
            }
            Event::Start(e) => child = local(e),
            Event::End(e) => {
                let name = e.local_name().as_ref().to_string();
                if name == "dataValidation" {
                    if let Some((kind, sqref, formula)) = open.take() {
                        out.push(validation(&kind, &sqref, &formula));
                    }
                } else if name == "formula1" || name == "sqref" || name == "f" {
                    child.clear();
                }
            }
            _ => {
                if let Some((_, sqref, formula)) = &mut open {
                    match child.as_str() {
                        "sqref" => push_text(sqref, &event),
                        "formula1" | "f" => push_text(formula, &event),
                        _ => {}
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A validation from its type, its ranges (`C14 C15:C20`) and its first formula.
fn validation(kind: &str, sqref: &str, formula: &str) -> Validation {
    let ranges = sqref
        .split_whitespace()
        .filter_map(|r| {
            let (a, b) = r.split_once(':').unwrap_or((r, r));
            let ((c1, r1), (c2, r2)) = (parse_ref(a)?, parse_ref(b)?);
            Some((c1.min(c2), r1.min(r2), c1.max(c2), r2.max(r1)))
        })
        .collect();
    let f = formula.trim();
    let items = (kind == "list" && f.len() >= 2 && f.starts_with('"') && f.ends_with('"'))
        .then(|| f[1..f.len() - 1].split(',').map(str::to_string).collect());
    Validation { ranges, items }
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
pub(super) fn decode_ooxml(text: &str) -> String {
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
pub(super) fn shared_strings(xml: &str, file: &str) -> Result<Vec<String>, Error> {
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
pub(super) struct CellAt {
    pub(super) col: u32,
    /// Byte range of the whole `<c>` element.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) formula: bool,
    pub(super) text: Option<String>,
}

/// One row of the worksheet as found.
#[derive(Debug)]
pub(super) struct RowAt {
    pub(super) num: u32,
    /// Byte range of the `<row ...>` start tag.
    pub(super) tag: (usize, usize),
    /// Where `</row>` starts; `None` for an empty `<row/>`.
    pub(super) close: Option<usize>,
    /// The row's style, when it has one of its own (`customFormat`).
    pub(super) style: Option<String>,
    /// Hidden from view (`hidden="1"`).
    pub(super) hidden: bool,
    pub(super) cells: Vec<CellAt>,
}

impl RowAt {
    pub(super) fn cell(&self, col: u32) -> Option<&CellAt> {
        self.cells.iter().find(|c| c.col == col)
    }
}

/// What the worksheet holds, as far as filling needs it.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub(super) rows: Vec<RowAt>,
    /// Merged ranges: (first col, first row, last col, last row, as written).
    pub(super) merged: Vec<(u32, u32, u32, u32, String)>,
    /// Column styles: (min, max, style).
    pub(super) col_styles: Vec<(u32, u32, String)>,
    /// The namespace prefix of the sheet's elements, with its colon (`x:`), or empty.
    pub(super) prefix: String,
}

impl Scan {
    /// The merged range covering the cell, unless the cell is its top-left one.
    pub(super) fn merged_into(&self, col: u32, row: u32) -> Option<&str> {
        self.merged
            .iter()
            .find(|(c1, r1, c2, r2, _)| {
                (*c1..=*c2).contains(&col) && (*r1..=*r2).contains(&row) && (col, row) != (*c1, *r1)
            })
            .map(|m| m.4.as_str())
    }

    /// The style a new cell takes, as Excel gives one typed into an empty cell: the row's
    /// own style, else the column's.
    pub(super) fn style_for(&self, col: u32, row: &RowAt) -> Option<String> {
        row.style.clone().or_else(|| {
            self.col_styles
                .iter()
                .find(|(min, max, _)| (*min..=*max).contains(&col))
                .map(|c| c.2.clone())
        })
    }
}

/// Reads a worksheet: every row's position and cells, merged ranges and column styles.
pub(super) fn scan(xml: &str, strings: &[String], file: &str, part: &str) -> Result<Scan, Error> {
    let mut reader = Reader::from_str(xml);
    let mut sheet = SheetReader {
        strings,
        out: Scan::default(),
        in_data: false,
        row: None,
        last_row: 0,
        cell: None,
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(file, part, e))?;
        let at = (before, reader.buffer_position() as usize);
        match &event {
            Event::Eof => break,
            Event::Start(e) => sheet.start(e, false, at),
            Event::Empty(e) => sheet.start(e, true, at),
            Event::End(e) => sheet.end(e.local_name().as_ref(), at),
            _ => sheet.text(&event),
        }
    }
    Ok(sheet.out)
}

/// The cell being read: its start, column, type, and what it holds so far.
struct OpenCell {
    start: usize,
    col: u32,
    kind: String,
    formula: bool,
    value: String,
    in_v: bool,
    inline: TextGather,
}

/// What [`scan`] knows at a point of a worksheet.
struct SheetReader<'a> {
    strings: &'a [String],
    out: Scan,
    in_data: bool,
    row: Option<RowAt>,
    last_row: u32,
    cell: Option<OpenCell>,
}

impl SheetReader<'_> {
    /// An element opens (or, `empty`, opens and closes) at `at`, its tag's span.
    fn start(&mut self, e: &BytesStart, empty: bool, at: (usize, usize)) {
        let name = local(e);
        match name.as_str() {
            "sheetData" => self.in_data = !empty,
            "row" if self.in_data => self.open_row(e, empty, at),
            "c" if self.row.is_some() => self.open_cell(e, empty, at),
            "f" => {
                if let Some(c) = &mut self.cell {
                    c.formula = true;
                }
            }
            "v" => {
                if let Some(c) = &mut self.cell {
                    c.in_v = !empty;
                }
            }
            "mergeCell" => {
                if let Some(range) = attr(e, "ref", false) {
                    let (a, b) = range.split_once(':').unwrap_or((&range, &range));
                    if let (Some((c1, r1)), Some((c2, r2))) = (parse_ref(a), parse_ref(b)) {
                        self.out.merged.push((c1, r1, c2, r2, range.clone()));
                    }
                }
            }
            "col" => {
                if let (Some(min), Some(max), Some(style)) = (
                    attr(e, "min", false).and_then(|v| v.parse().ok()),
                    attr(e, "max", false).and_then(|v| v.parse().ok()),
                    attr(e, "style", false),
                ) {
                    self.out.col_styles.push((min, max, style));
                }
            }
            other => {
                if let Some(c) = &mut self.cell
                    && !empty
                {
                    c.inline.start(other);
                }
            }
        }
    }

    fn open_row(&mut self, e: &BytesStart, empty: bool, at: (usize, usize)) {
        let num = attr(e, "r", false)
            .and_then(|r| r.parse().ok())
            .unwrap_or(self.last_row + 1);
        self.last_row = num;
        if self.out.prefix.is_empty() {
            let q = e.name().as_ref().to_string();
            if let Some((p, _)) = q.split_once(':') {
                self.out.prefix = format!("{p}:");
            }
        }
        let yes = |v: String| v == "1" || v == "true";
        let style = attr(e, "customFormat", false)
            .is_some_and(yes)
            .then(|| attr(e, "s", false))
            .flatten();
        let r = RowAt {
            num,
            tag: at,
            close: None,
            style,
            hidden: attr(e, "hidden", false).is_some_and(yes),
            cells: Vec::new(),
        };
        if empty {
            self.out.rows.push(r);
        } else {
            self.row = Some(r);
        }
    }

    fn open_cell(&mut self, e: &BytesStart, empty: bool, at: (usize, usize)) {
        let Some(row) = &mut self.row else {
            return;
        };
        let current = row.cells.last().map_or(0, |c| c.col);
        let col = attr(e, "r", false)
            .and_then(|r| parse_ref(&r))
            .map_or(current + 1, |(c, _)| c);
        if empty {
            row.cells.push(CellAt {
                col,
                start: at.0,
                end: at.1,
                formula: false,
                text: None,
            });
        } else {
            self.cell = Some(OpenCell {
                start: at.0,
                col,
                kind: attr(e, "t", false).unwrap_or_default(),
                formula: false,
                value: String::new(),
                in_v: false,
                inline: TextGather::default(),
            });
        }
    }

    /// An element named `name` closes at `at`, its tag's span.
    fn end(&mut self, name: &str, at: (usize, usize)) {
        match name {
            "sheetData" => self.in_data = false,
            "row" => {
                if let Some(mut r) = self.row.take() {
                    r.close = Some(at.0);
                    self.out.rows.push(r);
                }
            }
            "c" => self.close_cell(at.1),
            "v" => {
                if let Some(c) = &mut self.cell {
                    c.in_v = false;
                }
            }
            other => {
                if let Some(c) = &mut self.cell {
                    c.inline.end(other);
                }
            }
        }
    }

    fn close_cell(&mut self, end: usize) {
        let (Some(c), Some(r)) = (self.cell.take(), &mut self.row) else {
            return;
        };
        let text = match c.kind.as_str() {
            "s" => c
                .value
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| self.strings.get(i).cloned()),
            "inlineStr" => Some(decode_ooxml(&c.inline.text)),
            _ => (!c.value.is_empty()).then(|| decode_ooxml(&c.value)),
        };
        r.cells.push(CellAt {
            col: c.col,
            start: c.start,
            end,
            formula: c.formula,
            text,
        });
    }

    /// Text, references and the like inside the open cell.
    fn text(&mut self, event: &Event) {
        if let Some(c) = &mut self.cell {
            if c.in_v {
                push_text(&mut c.value, event);
            } else if c.inline.collecting() {
                push_text(&mut c.inline.text, event);
            }
        }
    }
}

/// Text for an XML element's content: escaped, `_xHHHH_` sequences kept as written, and the
/// two characters XML cannot hold replaced.
pub(super) fn xml_text(text: &str) -> String {
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

/// The cell `cell` (a whole `<c>` element holding a formula) without its cached value, so a
/// spreadsheet computes it when the file opens; `None` when it has none.
pub(super) fn without_cached_value(cell: &str, prefix: &str) -> Option<String> {
    let open = format!("<{prefix}v");
    let mut from = 0;
    let start = loop {
        let i = from + cell[from..].find(&open)?;
        match cell[i + open.len()..].chars().next() {
            Some('>' | '/' | ' ' | '\t' | '\n' | '\r') => break i,
            _ => from = i + open.len(),
        }
    };
    let tag_end = start + cell[start..].find('>')? + 1;
    let end = if cell[..tag_end].ends_with("/>") {
        tag_end
    } else {
        let close = format!("</{prefix}v>");
        tag_end + cell[tag_end..].find(&close)? + close.len()
    };
    Some(format!("{}{}", &cell[..start], &cell[end..]))
}

/// An inline-string cell.
pub(super) fn new_cell(prefix: &str, at: &str, style: Option<&str>, text: &str) -> String {
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
pub(super) fn replaced_cell(original: &str, prefix: &str, text: &str) -> String {
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
pub(super) fn widened_row_tag(tag: &str, inserted: &[u32]) -> Option<String> {
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
    fn a_part_that_is_not_well_formed_xml_is_named_with_what_is_wrong() {
        let good = "<?xml version=\"1.0\"?>\n<!-- c --><w a=\"&amp;&#x41;\"><t>&lt;&#65;&#x1F600;\t</t><e/></w>\n<?pi x?>\n";
        assert_eq!(xml_problem(good), None);
        for (xml, says, line) in [
            (
                "<w>\n<t>a</t>\n",
                "<w> is closed (its closing tag is missing)",
                3,
            ),
            ("<w></w>junk", "text after the root element closed", 1),
            (
                "<w></w>\n<x/>",
                "an element <x> after the root element <w> closed",
                2,
            ),
            (
                "<w/><?xml version=\"1.0\"?>",
                "a declaration after the root",
                1,
            ),
            (
                "<w><t>&#0;</t></w>",
                "&#0; names no character XML allows",
                1,
            ),
            ("<w><t>&#xD800;</t></w>", "&#xD800; names no character", 1),
            (
                "<w><t>&#99999999;</t></w>",
                "&#99999999; names no character",
                1,
            ),
            ("<w><t>&#x1;</t></w>", "&#x1; names no character", 1),
            ("<w><t>&#+65;</t></w>", "&#+65; names no character", 1),
            ("<w><t>&nbsp;</t></w>", "&nbsp; is not defined", 1),
            ("<w a=\"&#0;\"/>", "&#0; names no character", 1),
            ("<w a=\"x & y\"/>", "an `&` that starts no reference", 1),
            ("<w a=\"1\" a=\"2\"/>", "an attribute is malformed", 1),
            ("<w>\u{1}</w>", "the character U+0001", 1),
            ("<w>\u{FFFE}</w>", "the character U+FFFE", 1),
            ("<w><t></w>", "", 1),
            ("text<w/>", "text before the root element", 1),
            ("", "holds no element", 1),
            ("<w><!-- a -- b --></w>", "", 1),
        ] {
            let Some((what, at)) = xml_problem(xml) else {
                panic!("{xml:?} passed");
            };
            assert!(what.contains(says), "{xml:?}: {what}");
            assert_eq!(line_of(xml, at), line, "{xml:?}: {what}");
        }
        let e = well_formed("<w>", "t.xlsx", "xl/worksheets/sheet1.xml").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("t.xlsx"), "{text}");
        assert!(
            text.contains("the template's part xl/worksheets/sheet1.xml is not well-formed XML"),
            "{text}"
        );
    }

    #[test]
    fn ids_and_references_are_read_as_excel_writes_them() {
        assert_eq!(parse_ref("F12"), Some((6, 12)));
        assert_eq!(parse_ref("$AB$3"), Some((28, 3)));
        assert_eq!(parse_ref("12"), None);
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(28), "AB");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(decode_ooxml("a_x000D_b_x12"), "a\rb_x12");
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl", "/xl/sheet.xml"), "xl/sheet.xml");
        assert_eq!(resolve("xl/sub", "../s.xml"), "xl/s.xml");
    }

    #[test]
    fn a_formula_cell_loses_its_cached_value_and_nothing_else() {
        assert_eq!(
            without_cached_value(
                "<c r=\"D13\" s=\"4\" t=\"str\"><f>IF(C14=\"Yes\",\"Pass\",\"Fail\")</f><v>Fail</v></c>",
                ""
            ),
            Some(
                "<c r=\"D13\" s=\"4\" t=\"str\"><f>IF(C14=\"Yes\",\"Pass\",\"Fail\")</f></c>"
                    .into()
            )
        );
        assert_eq!(
            without_cached_value(
                "<x:c r=\"B4\"><x:f>COUNTIF(D:D,\"Pass\")</x:f><x:v/></x:c>",
                "x:"
            ),
            Some("<x:c r=\"B4\"><x:f>COUNTIF(D:D,\"Pass\")</x:f></x:c>".into())
        );
        assert_eq!(without_cached_value("<c r=\"B4\"><f>B1</f></c>", ""), None);
        assert_eq!(
            without_cached_value("<c r=\"B4\"><f>valid(1)</f><v>2</v></c>", ""),
            Some("<c r=\"B4\"><f>valid(1)</f></c>".into()),
            "a <v inside a formula's text is not the value"
        );
    }

    #[test]
    fn validations_are_read_in_both_forms_with_their_spaces() {
        let xml = "<worksheet><dataValidations count=\"2\">\
            <dataValidation type=\"list\" sqref=\"C14 C20:C22\"><formula1>&quot;&lt;select&gt;,Yes, No&quot;</formula1></dataValidation>\
            <dataValidation sqref=\"C13\" showInputMessage=\"1\"/></dataValidations>\
            <extLst><ext><x14:dataValidations><x14:dataValidation type=\"list\"><x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1>\
            <xm:sqref>D5</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>";
        let v = validations(xml, "t.xlsx", "sheet").unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(
            v[0].items.as_deref(),
            Some(&["<select>".to_string(), "Yes".into(), " No".into()][..])
        );
        assert!(v[0].covers(3, 14) && v[0].covers(3, 21) && !v[0].covers(3, 15));
        assert_eq!(v[1].items, None);
        assert!(v[1].covers(3, 13));
        assert_eq!(
            v[2].items, None,
            "a list on another sheet is no literal list"
        );
        assert!(v[2].covers(4, 5));
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
