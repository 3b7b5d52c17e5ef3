//! What every reader of a workbook's parts shares: errors that name the template, cell
//! references, attributes and names of elements, and the text of `<t>` elements.
//!
//! A leaf: imports nothing of `export`.

use quick_xml::events::{BytesStart, Event};

use crate::error::{Error, Located};

pub fn bad(file: &str, message: impl Into<String>, hint: impl Into<String>) -> Error {
    Error::invalid(Located {
        file: file.to_string(),
        line: None,
        field: None,
        message: message.into(),
        hint: hint.into(),
    })
}

pub const DOWNLOAD_HINT: &str = "use the self-assessment spreadsheet (.xlsx) downloaded from AWS \
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
pub fn parse_ref(r: &str) -> Option<(u32, u32)> {
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

pub fn xml_error(file: &str, part: &str, e: impl std::fmt::Display) -> Error {
    bad(
        file,
        format!("the template's {part} is not well-formed XML ({e})"),
        DOWNLOAD_HINT,
    )
}

/// The value of attribute `name` (its local name: `r:id` matches `id` when `prefixed`).
pub fn attr(e: &BytesStart, name: &str, prefixed: bool) -> Option<String> {
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

pub fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

/// Text collected from `<t>` elements, skipping phonetic runs (`<rPh>`).
#[derive(Default)]
pub struct TextGather {
    depth_t: u32,
    depth_rph: u32,
    pub text: String,
}

impl TextGather {
    pub fn start(&mut self, name: &str) {
        match name {
            "t" => self.depth_t += 1,
            "rPh" => self.depth_rph += 1,
            _ => {}
        }
    }

    pub fn end(&mut self, name: &str) {
        match name {
            "t" => self.depth_t = self.depth_t.saturating_sub(1),
            "rPh" => self.depth_rph = self.depth_rph.saturating_sub(1),
            _ => {}
        }
    }

    pub fn collecting(&self) -> bool {
        self.depth_t > 0 && self.depth_rph == 0
    }
}

/// Appends the text of a text, CDATA or entity event.
pub fn push_text(out: &mut String, event: &Event) {
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
pub fn decode_ooxml(text: &str) -> String {
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
