//! Filling a copy of a [`Template`]: which row of its sheet stands for which control or
//! answer row, the text each of their cells gets, and the workbook written with only the
//! worksheet and the workbook part changed.
//!
//! Imports `calc`, `edits`, `ids`, `read`, `report`, and from the rest of `export`: `sheet`,
//! `view` and `xlsx`.

use std::path::Path;

use super::calc::recalculate_on_open;
use super::edits::{Edit, Edits, check_well_formed};
use super::ids::{looks_like_id, parent_of};
use super::read::Template;
use super::report::{Filled, TemplateReport};
use crate::content::SheetRow;
use crate::error::Error;
use crate::export::sheet::{cell_text, met_value, partner_response};
use crate::export::view::{ControlView, Submission};
use crate::export::xlsx::{
    RowAt, column_letters, new_cell, replace_parts, replaced_cell, without_cached_value,
};

/// Fills a copy of `template` from `s`.
pub fn fill_template(template: &Path, s: &Submission) -> Result<Filled, Error> {
    Template::open(template)?.fill(s)
}

impl Template {
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
