//! The data validations of a worksheet: the cells each covers, and the items of a list
//! written out in the validation itself.
//!
//! Imports `xml`.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::xml::{attr, local, parse_ref, push_text, xml_error};
use crate::error::Error;

/// A data validation of a worksheet: the cells it covers and, for a list written out in the
/// validation itself (`"<select>,Yes, No"`), its items as written, leading spaces and all.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// (first col, first row, last col, last row) of each range.
    pub ranges: Vec<(u32, u32, u32, u32)>,
    /// `None` for a validation that is not a literal list (a range, a name, a number rule).
    pub items: Option<Vec<String>>,
}

impl Validation {
    pub fn covers(&self, col: u32, row: u32) -> bool {
        self.ranges
            .iter()
            .any(|&(c1, r1, c2, r2)| (c1..=c2).contains(&col) && (r1..=r2).contains(&row))
    }
}

/// Every data validation of a worksheet, as written in `<dataValidations>` or in the
/// `x14` extension Excel uses for lists on other sheets.
pub fn validations(xml: &str, file: &str, part: &str) -> Result<Vec<Validation>, Error> {
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
