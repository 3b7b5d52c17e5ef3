//! The package of a workbook: its parts read within bounds, the relationships between them,
//! the workbook's list of sheets and its shared strings.
//!
//! Imports `xml` and `wellformed`.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;
use zip::ZipArchive;

use super::wellformed::well_formed;
use super::xml::{DOWNLOAD_HINT, TextGather, attr, bad, decode_ooxml, local, push_text, xml_error};
use crate::error::Error;

/// The most a template file, or one part of it once unpacked, may take.
pub const LIMIT: u64 = 64 << 20;

/// The text of a part of the package, `None` if it is not there.
pub fn read_part(
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

/// A relationship of a package part.
pub struct Rel {
    pub id: String,
    pub kind: String,
    /// The target's entry name in the zip.
    pub target: String,
}

/// The relationships in a `.rels` part, targets resolved against `dir`.
pub fn relationships(xml: &str, dir: &str, file: &str) -> Result<Vec<Rel>, Error> {
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
pub fn resolve(dir: &str, target: &str) -> String {
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
pub struct SheetEntry {
    pub name: String,
    /// Its relationship id.
    pub id: String,
    /// `hidden` or `veryHidden`: not shown to the person filling it.
    pub hidden: bool,
}

/// The worksheets of the workbook in order.
pub fn sheets(xml: &str, file: &str) -> Result<Vec<SheetEntry>, Error> {
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

/// The shared strings, in order.
pub fn shared_strings(xml: &str, file: &str) -> Result<Vec<String>, Error> {
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
