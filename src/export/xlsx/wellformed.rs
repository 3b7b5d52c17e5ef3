//! Whether a part of a workbook is well-formed XML as every reader of a workbook needs it
//! (Excel, openpyxl), and where it is not.
//!
//! Imports `xml`.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::xml::{DOWNLOAD_HINT, bad, local};
use crate::error::Error;

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
pub fn xml_problem(xml: &str) -> Option<(String, usize)> {
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
pub fn line_of(xml: &str, at: usize) -> usize {
    xml.as_bytes()
        .iter()
        .take(at)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Checks that the part `part` of the template `file` is well-formed (see [`xml_problem`]).
pub fn well_formed(xml: &str, file: &str, part: &str) -> Result<(), Error> {
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
