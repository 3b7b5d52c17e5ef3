//! The changes to a worksheet's text, made in one pass, and the check that the result is
//! still well-formed XML.
//!
//! Imports `xlsx`.

use crate::error::Error;
use crate::export::xlsx::{RowAt, line_of, widened_row_tag, xml_problem};

/// One change to the worksheet's text: `start..end` becomes `text`.
pub(super) struct Edit {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) col: u32,
    pub(super) text: String,
}

/// The changes to the worksheet, and the columns inserted per row (whose `spans` may need
/// widening).
#[derive(Default)]
pub(super) struct Edits {
    pub(super) list: Vec<Edit>,
    pub(super) inserted: Vec<(u32, u32)>,
}

impl Edits {
    pub(super) fn push(&mut self, e: Edit) {
        self.list.push(e);
    }

    pub(super) fn inserted(&mut self, row: u32, col: u32) {
        self.inserted.push((row, col));
    }

    /// Widens the `spans` of `row`'s start tag to the columns inserted in it.
    pub(super) fn widen(&mut self, xml: &str, row: &RowAt) {
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
    pub(super) fn apply(mut self, xml: &str) -> String {
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
pub(super) fn check_well_formed(xml: &str, file: &str) -> Result<(), Error> {
    match xml_problem(xml) {
        None => Ok(()),
        Some((e, at)) => Err(Error::Unavailable(format!(
            "filling the template {file} gave a worksheet that is not well-formed ({e}, line {}); \
             nothing was written",
            line_of(xml, at)
        ))),
    }
}
