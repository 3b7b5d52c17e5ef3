//! The self-assessment spreadsheet the Partner Central form takes in its "FTR Checklist" slot,
//! written from the one [`Submission`] in the shape of AWS's own workbook: sheet
//! `FTR Requirements`, a title on row 1, the header on row 2 (`ID`, `Requirement Description`,
//! `Met? (Yes/No/NA)`, `Partner Response`, then `Evidence`); the workbook's own questions, then
//! each control's row (with its response) followed by its answer rows, each with its list.
//!
//! No cell runs as a formula: text that starts like one is stored as text with Excel's quote
//! prefix. The workbook is dated from the export date, so the same submission gives the same
//! bytes, and its properties name ftr as the application that wrote it.

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, XlsxError,
};

use super::view::{ControlView, Submission};
use crate::assessment::Status;
use crate::content::SheetRow;
use crate::error::Error;

/// The sheet's name in AWS's template.
pub const SHEET_NAME: &str = "FTR Requirements";
/// The header row, on row 2.
pub const HEADERS: [&str; 5] = [
    "ID",
    "Requirement Description",
    "Met? (Yes/No/NA)",
    "Partner Response",
    "Evidence",
];
/// What the `Met?` column may hold.
pub const MET_VALUES: [&str; 3] = ["Yes", "No", "N/A"];
/// Column widths, in characters.
const WIDTHS: [f64; 5] = [14.0, 56.0, 16.0, 80.0, 44.0];
/// What an unanswered row's Met? shows, as in AWS's workbook.
pub const UNANSWERED: &str = "<select>";
/// The most a cell holds, in UTF-16 code units.
const CELL_LIMIT: usize = 32_767;

/// The `Met?` value of a status; empty for an unanswered control.
pub fn met_value(status: Status) -> &'static str {
    match status {
        Status::Met => MET_VALUES[0],
        Status::NotMet => MET_VALUES[1],
        Status::NotApplicable => MET_VALUES[2],
        Status::Unanswered => "",
    }
}

/// The `Partner Response` of a control, as [`crate::assessment::grade::partner_response`]
/// words it.
pub fn partner_response(v: &ControlView) -> String {
    crate::assessment::grade::partner_response(v.status, &v.reason, &v.response, &v.remediation)
}

/// The `Evidence` of a control: its entries, named as files of the evidence bundle (the
/// reviewer of the sheet has no other way to them); empty when it cites none.
pub fn evidence(v: &ControlView) -> String {
    let entries = v.entries();
    if entries.is_empty() {
        return String::new();
    }
    format!("In the evidence bundle:\n{}", entries.join("\n"))
}

/// Text as a cell holds it: never the start of a formula ([`crate::safe::cell`]), line breaks
/// as `\n`, and cut to the 32,767 characters a cell can hold, saying where the rest is.
pub fn cell_text(text: &str) -> String {
    let safe = crate::safe::cell(text);
    cut_to_cell(safe.replace("\r\n", "\n").replace('\r', "\n"))
}

/// `text` cut to the 32,767 UTF-16 units a cell holds, saying where the rest is.
fn cut_to_cell(text: String) -> String {
    if text.encode_utf16().count() <= CELL_LIMIT {
        return text;
    }
    const CUT: &str = "… (cut here: the full text is in SUMMARY.md)";
    let room = CELL_LIMIT - CUT.encode_utf16().count();
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push_str(CUT);
    out
}

/// The title on row 1.
pub fn title(s: &Submission) -> String {
    let profile = &s.project.profile;
    let who = [profile.company.trim(), profile.product.trim()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let mut t = "AWS Foundational Technical Review self-assessment".to_string();
    if !who.is_empty() {
        t.push_str(": ");
        t.push_str(&who);
    }
    t.push_str(&format!(
        " ({} {}, exported {})",
        s.checklist.name, s.checklist.version, s.exported
    ));
    if s.checklist.own_ids {
        t.push_str(". The IDs are this tool's own, not the checklist's");
    }
    if s.draft {
        t.push_str(". DRAFT: the readiness check still reports errors; do not submit it as it is");
    }
    t
}

/// The spreadsheet, as the bytes of an `.xlsx` file.
pub fn self_assessment(s: &Submission) -> Result<Vec<u8>, Error> {
    build(s).map_err(|e| {
        Error::Unavailable(format!(
            "could not write the self-assessment spreadsheet: {e}"
        ))
    })
}

fn build(s: &Submission) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let (y, m, d) = s.exported.ymd();
    let created = ExcelDateTime::from_ymd(u16::try_from(y).unwrap_or(1980), m, d)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(cell_text(&title(s)))
            .set_subject("AWS Foundational Technical Review self-assessment")
            .set_author("ftr")
            .set_comment("Written by ftr export from the project's answers.")
            .set_creation_datetime(&created),
    );
    let f = Formats::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    let mut w = Writer { sheet, f, row: 0 };
    w.text_row(&[&title(s)], &w.f.title.clone(), None)?;
    for (col, width) in WIDTHS.iter().enumerate() {
        w.sheet.set_column_width(col as u16, *width)?;
    }
    let header: Vec<&str> = HEADERS.to_vec();
    w.text_row(&header, &w.f.header.clone(), None)?;
    let gates: Vec<&SheetRow> = s
        .checklist
        .sheet_rows
        .iter()
        .filter(|r| r.scoping.is_some())
        .collect();
    for r in s
        .checklist
        .sheet_rows
        .iter()
        .filter(|r| r.scoping.is_none())
    {
        w.answer_row(s, r)?;
    }
    let mut placed: Vec<&str> = Vec::new();
    for v in &s.controls {
        // A gate goes before the first control whose rule reads it.
        for g in &gates {
            let read = v
                .control
                .pass
                .as_ref()
                .is_some_and(|p| p.rows().contains(&g.id.as_str()));
            if read && !placed.contains(&g.id.as_str()) {
                placed.push(&g.id);
                w.answer_row(s, g)?;
            }
        }
        w.control_row(s, v)?;
        for r in &v.control.rows {
            w.answer_row(s, r)?;
        }
    }
    let last = w.row.saturating_sub(1).max(2);
    w.sheet.set_freeze_panes(2, 0)?;
    w.sheet.autofilter(1, 0, last, (HEADERS.len() - 1) as u16)?;
    let bytes = workbook.save_to_buffer()?;
    Ok(name_the_application(bytes))
}

/// The workbook's properties say it was written by ftr, not by the application the library
/// names.
fn name_the_application(bytes: Vec<u8>) -> Vec<u8> {
    const APP: &str = "docProps/app.xml";
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())) else {
        return bytes;
    };
    let Some(app) = zip.by_name(APP).ok().and_then(|mut e| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut e, &mut text).ok()?;
        Some(text)
    }) else {
        return bytes;
    };
    drop(zip);
    let named = app.replace(
        "<Application>Microsoft Excel</Application>",
        "<Application>ftr</Application>",
    );
    super::xlsx::replace_parts(&bytes, &[(APP, named.as_bytes())], "the spreadsheet")
        .unwrap_or(bytes)
}

/// The cell formats of the sheet.
struct Formats {
    title: Format,
    header: Format,
    body: Format,
    /// `body` with Excel's quote prefix: text that starts like a formula stays text.
    quoted: Format,
    /// An answer row: its ID and question set in from the control's.
    row: Format,
}

impl Formats {
    fn new() -> Formats {
        let body = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border(FormatBorder::Thin),
            quoted: body.clone().set_quote_prefix(),
            row: body.clone().set_indent(1),
            body,
        }
    }
}

/// Writes the sheet row by row.
struct Writer<'w> {
    sheet: &'w mut rust_xlsxwriter::Worksheet,
    f: Formats,
    row: u32,
}

impl Writer<'_> {
    /// One row of text cells from column A on, with `list` as the Met? cell's choices; its
    /// height fits the wrapped text.
    fn text_row(
        &mut self,
        cells: &[&str],
        format: &Format,
        list: Option<&[String]>,
    ) -> Result<(), XlsxError> {
        let mut lines = 1usize;
        for (col, text) in cells.iter().enumerate() {
            let text = cell_text_plain(text);
            let quoted = crate::safe::formula_like(&text);
            let fmt = if quoted { &self.f.quoted } else { format };
            if !text.is_empty() {
                self.sheet
                    .write_string_with_format(self.row, col as u16, &text, fmt)?;
            } else if self.row > 1 {
                self.sheet.write_blank(self.row, col as u16, fmt)?;
            }
            if self.row > 0 {
                lines = lines.max(wrapped_lines(
                    &text,
                    WIDTHS.get(col).copied().unwrap_or(10.0),
                ));
            }
        }
        if let Some(items) = list {
            let validation = DataValidation::new()
                .allow_list_strings(items)?
                .set_error_title("Met?")?
                .set_error_message("Choose one of the row's answers.")?;
            self.sheet
                .add_data_validation(self.row, 2, self.row, 2, &validation)?;
        }
        if self.row > 0 {
            self.sheet
                .set_row_height(self.row, (lines.min(27) as f64) * 15.0)?;
        }
        self.row += 1;
        Ok(())
    }

    /// A control's own row: its ID, title, what the sheet grades it (or its status, without
    /// rows), its response and its evidence.
    fn control_row(&mut self, s: &Submission, v: &ControlView) -> Result<(), XlsxError> {
        let met = if v.control.rows.is_empty() {
            met_value(v.status).to_string()
        } else {
            sheet_met(s, v)
        };
        let id = s.checklist.shown_id(&v.control.id);
        let list = v
            .control
            .rows
            .is_empty()
            .then(|| MET_VALUES.map(String::from).to_vec());
        let body = self.f.body.clone();
        self.text_row(
            &[
                &id,
                &v.control.title,
                &met,
                &partner_response(v),
                &evidence(v),
            ],
            &body,
            list.as_deref(),
        )
    }

    /// An answer row: its ID, its question, and its answer (`<select>` while unanswered), with
    /// its list.
    fn answer_row(&mut self, s: &Submission, r: &SheetRow) -> Result<(), XlsxError> {
        let value = crate::assessment::grade::row_value(s.project, s.checklist, r)
            .unwrap_or_else(|| UNANSWERED.to_string());
        let mut list = vec![UNANSWERED.to_string()];
        list.extend(r.choices.iter().cloned());
        let row = self.f.row.clone();
        self.text_row(
            &[&r.sheet_id, &r.question, &value, "", ""],
            &row,
            Some(&list),
        )
    }
}

/// A control's Met? as AWS's workbook shows it: `Yes` when its formulas grade it Pass, `No`
/// when Fail, empty while its first row is unanswered.
fn sheet_met(s: &Submission, v: &ControlView) -> String {
    use crate::assessment::grade;
    let first_open = v
        .control
        .rows
        .first()
        .is_none_or(|r| grade::row_value(s.project, s.checklist, r).is_none());
    match grade::verdict(s.project, s.checklist, v.control) {
        _ if first_open => String::new(),
        Some(grade::Verdict::Pass) => "Yes".into(),
        _ => "No".into(),
    }
}

/// Text as the sheet holds it: controls escaped, line breaks as `\n`, cut to what a cell holds;
/// no apostrophe before a formula-like start (the quote prefix format keeps it text).
fn cell_text_plain(text: &str) -> String {
    let text = crate::safe::document(text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    cut_to_cell(text)
}

/// How many lines `text` wraps to in a column `width` characters wide.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width * 1.1).max(4.0) as usize;
    text.split('\n')
        .map(|l| l.chars().count().div_ceil(per_line).max(1))
        .sum::<usize>()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_never_starts_a_formula_and_fits_a_cell() {
        assert_eq!(cell_text("=1+1"), "'=1+1");
        assert_eq!(cell_text("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(cell_text("\r=1"), "'\n=1");
        let long = "\u{1F600}".repeat(20_000);
        let cut = cell_text(&long);
        assert!(cut.encode_utf16().count() <= CELL_LIMIT);
        assert!(cut.encode_utf16().count() > CELL_LIMIT - 60);
        assert!(cut.ends_with("(cut here: the full text is in SUMMARY.md)"));
        assert!(cut.starts_with('\u{1F600}'));
        let exact = "x".repeat(CELL_LIMIT);
        assert_eq!(cell_text(&exact), exact);
    }

    #[test]
    fn met_values_are_the_list() {
        assert_eq!(met_value(Status::Met), "Yes");
        assert_eq!(met_value(Status::NotMet), "No");
        assert_eq!(met_value(Status::NotApplicable), "N/A");
        assert_eq!(met_value(Status::Unanswered), "");
    }
}
