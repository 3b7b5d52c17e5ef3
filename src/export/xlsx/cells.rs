//! Writing cells into a worksheet's text: text escaped for a cell, a new inline-string cell,
//! a cell given new text with its attributes kept, a formula without its cached value, and a
//! row's `spans` widened to inserted cells.
//!
//! Imports `xml`.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::xml::attr;

/// Text for an XML element's content: escaped, `_xHHHH_` sequences kept as written, and the
/// two characters XML cannot hold replaced.
pub fn xml_text(text: &str) -> String {
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
pub fn without_cached_value(cell: &str, prefix: &str) -> Option<String> {
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
pub fn new_cell(prefix: &str, at: &str, style: Option<&str>, text: &str) -> String {
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
pub fn replaced_cell(original: &str, prefix: &str, text: &str) -> String {
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
pub fn widened_row_tag(tag: &str, inserted: &[u32]) -> Option<String> {
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
