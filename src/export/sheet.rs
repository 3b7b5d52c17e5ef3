//! The self-assessment spreadsheet the Partner Central form takes in its "FTR Checklist" slot,
//! written from the one [`Submission`] in the layout of AWS's own sheet: sheet
//! `FTR Requirements`, a title on row 1, the header on row 2 (`ID`, `Requirement Description`,
//! `Met?`, `Partner Response`, then `Evidence`), one row per control in checklist order.
//!
//! Every cell goes through [`cell_text`], so no cell starts a formula. The workbook is dated
//! from the export date, so the same submission gives the same bytes.

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, XlsxError,
};

use super::view::{ControlView, Submission};
use crate::assessment::Status;
use crate::error::Error;

/// The sheet's name in AWS's template.
pub const SHEET_NAME: &str = "FTR Requirements";
/// The header row, on row 2.
pub const HEADERS: [&str; 5] = [
    "ID",
    "Requirement Description",
    "Met?",
    "Partner Response",
    "Evidence",
];
/// What the `Met?` column may hold.
pub const MET_VALUES: [&str; 3] = ["Met", "Not Met", "N/A"];
/// Column widths, in characters.
const WIDTHS: [f64; 5] = [12.0, 48.0, 10.0, 80.0, 44.0];
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

/// The `Evidence` of a control: its entries in the bundle, one per line.
pub fn evidence(v: &ControlView) -> String {
    v.entries().join("\n")
}

/// Text as a cell holds it: never the start of a formula ([`crate::safe::cell`]), line breaks
/// as `\n`, and cut to the 32,767 characters a cell can hold, saying where the rest is.
pub fn cell_text(text: &str) -> String {
    let safe = crate::safe::cell(text);
    let text = safe.replace("\r\n", "\n").replace('\r', "\n");
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
            .set_comment("Written by ftr export from the project's answers.")
            .set_creation_datetime(&created),
    );
    let title_format = Format::new().set_bold().set_font_size(14);
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    let body = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    sheet.write_string_with_format(0, 0, cell_text(&title(s)), &title_format)?;
    for (col, (name, width)) in HEADERS.iter().zip(WIDTHS).enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(1, col, *name, &header_format)?;
    }
    let mut row = 2u32;
    for v in &s.controls {
        let cells = [
            s.checklist.shown_id(&v.control.id),
            v.control.title.clone(),
            met_value(v.status).to_string(),
            partner_response(v),
            evidence(v),
        ];
        for (col, text) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, cell_text(text), &body)?;
        }
        row += 1;
    }
    let last = row.saturating_sub(1).max(2);
    let validation = DataValidation::new()
        .allow_list_strings(&MET_VALUES)?
        .set_input_title("Met?")?
        .set_input_message("Met, Not Met or N/A")?
        .set_error_title("Met?")?
        .set_error_message("Choose Met, Not Met or N/A.")?;
    sheet.add_data_validation(2, 2, last, 2, &validation)?;
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, last, (HEADERS.len() - 1) as u16)?;
    workbook.save_to_buffer()
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
        assert_eq!(met_value(Status::Met), "Met");
        assert_eq!(met_value(Status::NotMet), "Not Met");
        assert_eq!(met_value(Status::NotApplicable), "N/A");
        assert_eq!(met_value(Status::Unanswered), "");
    }
}
