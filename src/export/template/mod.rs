//! Filling a copy of the self-assessment spreadsheet the user downloaded from AWS.
//!
//! The sheet and its `ID`, `Met?` and `Partner Response` columns are found by their header
//! text (in any of the first ten rows, case and spacing ignored), never by position. Only the
//! cells of those two columns in rows naming a control change: every other entry of the file
//! is copied byte for byte (still compressed), and in the one worksheet that changes, every
//! byte outside those cells stays as it was. Text is written as inline strings, so the shared
//! strings stay untouched; a cell holding a formula is never overwritten, only reported.
//!
//! This file only names what the rest of the crate uses; the modules only look down, and none
//! imports this file:
//!
//! - `report`: [`TemplateReport`] and [`Filled`] (a leaf);
//! - `calc`: the workbook asking for a calculation on opening (a leaf);
//! - `ids`: control ids, the header and the rows to fill (imports `xlsx`);
//! - `edits`: changes to the worksheet's text (imports `xlsx`);
//! - `package`: the `.xlsx` refused or read within a budget, the sheet chosen (imports `ids`,
//!   `xlsx`);
//! - `read`: [`Template`] read and understood (imports `ids`, `package`, `xlsx`);
//! - `fill`: [`Template::fill`] (imports `calc`, `edits`, `ids`, `read`, `report`, and
//!   `sheet`, `view`, `xlsx`).

mod calc;
mod edits;
mod fill;
mod ids;
mod package;
mod read;
mod report;

pub use calc::recalculate_on_open;
pub use fill::fill_template;
pub use read::Template;
pub use report::{Filled, TemplateReport};

#[cfg(test)]
mod tests {
    use super::ids::{looks_like_id, normalise, parent_of};
    use super::*;

    #[test]
    fn ids_and_headers_are_read_as_excel_writes_them() {
        assert_eq!(parent_of("HOST-001.1"), Some("HOST-001"));
        assert_eq!(parent_of("HOST-001.1.2"), Some("HOST-001"));
        assert_eq!(parent_of("HOST-001"), None);
        assert_eq!(parent_of("HOST-001.a"), None);
        assert!(looks_like_id("ARC-003"));
        assert!(looks_like_id("NETSEC-001.2"));
        assert!(!looks_like_id("IDENTITY AND ACCESS"));
        assert!(!looks_like_id("-001"));
        assert_eq!(normalise(" Met ?"), "met?");
        assert_eq!(normalise("PARTNER\u{a0}Response"), "partnerresponse");
    }

    #[test]
    fn the_workbook_asks_for_a_full_calculation_on_opening() {
        assert_eq!(
            recalculate_on_open("<workbook><calcPr calcId=\"191029\"/></workbook>"),
            "<workbook><calcPr calcId=\"191029\" fullCalcOnLoad=\"1\"/></workbook>"
        );
        assert_eq!(
            recalculate_on_open(
                "<workbook><calcPr fullCalcOnLoad='0' calcId=\"1\"></calcPr></workbook>"
            ),
            "<workbook><calcPr fullCalcOnLoad=\"1\" calcId=\"1\"></calcPr></workbook>"
        );
        assert_eq!(
            recalculate_on_open("<x:workbook><x:sheets/><x:extLst/></x:workbook>"),
            "<x:workbook><x:sheets/><x:calcPr fullCalcOnLoad=\"1\"/><x:extLst/></x:workbook>"
        );
        assert_eq!(
            recalculate_on_open("<workbook><sheets/></workbook>"),
            "<workbook><sheets/><calcPr fullCalcOnLoad=\"1\"/></workbook>"
        );
    }
}
