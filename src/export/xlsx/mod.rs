//! Reading and writing the parts of an Excel workbook (.xlsx) that filling a template needs:
//! the package's relationships, the workbook's sheets, shared strings, and a worksheet's rows,
//! cells, merged ranges, column styles and data validations, each with where it stands in the
//! text so a cell can be replaced without touching a byte around it.
//!
//! This file only names what the rest of `export` uses; the modules only look down, and none
//! imports this file:
//!
//! - `xml`: errors naming the template, cell references, attributes, `<t>` text (a leaf);
//! - `wellformed`: whether a part is well-formed XML, and where not (imports `xml`);
//! - `package`: parts read within bounds, relationships, sheets, shared strings (imports `xml`,
//!   `wellformed`);
//! - `worksheet`: a worksheet's rows, cells, merges and column styles (imports `xml`);
//! - `validation`: a worksheet's data validations (imports `xml`);
//! - `cells`: cells written into a worksheet's text (imports `xml`);
//! - `replace`: a workbook with parts replaced, the rest copied as stored (imports `zipw`).

mod cells;
mod package;
mod replace;
mod validation;
mod wellformed;
mod worksheet;
mod xml;

pub(super) use cells::{new_cell, replaced_cell, widened_row_tag, without_cached_value};
pub(super) use package::{LIMIT, Rel, read_part, relationships, shared_strings, sheets};
pub(super) use replace::replace_parts;
pub(super) use validation::{Validation, validations};
pub(super) use wellformed::{line_of, xml_problem};
pub(super) use worksheet::{RowAt, Scan, scan};
pub(super) use xml::{DOWNLOAD_HINT, bad, column_letters};

#[cfg(test)]
mod tests {
    use super::cells::xml_text;
    use super::package::resolve;
    use super::wellformed::well_formed;
    use super::xml::{decode_ooxml, parse_ref};
    use super::*;

    #[test]
    fn a_part_that_is_not_well_formed_xml_is_named_with_what_is_wrong() {
        let good = "<?xml version=\"1.0\"?>\n<!-- c --><w a=\"&amp;&#x41;\"><t>&lt;&#65;&#x1F600;\t</t><e/></w>\n<?pi x?>\n";
        assert_eq!(xml_problem(good), None);
        for (xml, says, line) in [
            (
                "<w>\n<t>a</t>\n",
                "<w> is closed (its closing tag is missing)",
                3,
            ),
            ("<w></w>junk", "text after the root element closed", 1),
            (
                "<w></w>\n<x/>",
                "an element <x> after the root element <w> closed",
                2,
            ),
            (
                "<w/><?xml version=\"1.0\"?>",
                "a declaration after the root",
                1,
            ),
            (
                "<w><t>&#0;</t></w>",
                "&#0; names no character XML allows",
                1,
            ),
            ("<w><t>&#xD800;</t></w>", "&#xD800; names no character", 1),
            (
                "<w><t>&#99999999;</t></w>",
                "&#99999999; names no character",
                1,
            ),
            ("<w><t>&#x1;</t></w>", "&#x1; names no character", 1),
            ("<w><t>&#+65;</t></w>", "&#+65; names no character", 1),
            ("<w><t>&nbsp;</t></w>", "&nbsp; is not defined", 1),
            ("<w a=\"&#0;\"/>", "&#0; names no character", 1),
            ("<w a=\"x & y\"/>", "an `&` that starts no reference", 1),
            ("<w a=\"1\" a=\"2\"/>", "an attribute is malformed", 1),
            ("<w>\u{1}</w>", "the character U+0001", 1),
            ("<w>\u{FFFE}</w>", "the character U+FFFE", 1),
            ("<w><t></w>", "", 1),
            ("text<w/>", "text before the root element", 1),
            ("", "holds no element", 1),
            ("<w><!-- a -- b --></w>", "", 1),
        ] {
            let Some((what, at)) = xml_problem(xml) else {
                panic!("{xml:?} passed");
            };
            assert!(what.contains(says), "{xml:?}: {what}");
            assert_eq!(line_of(xml, at), line, "{xml:?}: {what}");
        }
        let e = well_formed("<w>", "t.xlsx", "xl/worksheets/sheet1.xml").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("t.xlsx"), "{text}");
        assert!(
            text.contains("the template's part xl/worksheets/sheet1.xml is not well-formed XML"),
            "{text}"
        );
    }

    #[test]
    fn ids_and_references_are_read_as_excel_writes_them() {
        assert_eq!(parse_ref("F12"), Some((6, 12)));
        assert_eq!(parse_ref("$AB$3"), Some((28, 3)));
        assert_eq!(parse_ref("12"), None);
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(28), "AB");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(decode_ooxml("a_x000D_b_x12"), "a\rb_x12");
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl", "/xl/sheet.xml"), "xl/sheet.xml");
        assert_eq!(resolve("xl/sub", "../s.xml"), "xl/s.xml");
    }

    #[test]
    fn a_formula_cell_loses_its_cached_value_and_nothing_else() {
        assert_eq!(
            without_cached_value(
                "<c r=\"D13\" s=\"4\" t=\"str\"><f>IF(C14=\"Yes\",\"Pass\",\"Fail\")</f><v>Fail</v></c>",
                ""
            ),
            Some(
                "<c r=\"D13\" s=\"4\" t=\"str\"><f>IF(C14=\"Yes\",\"Pass\",\"Fail\")</f></c>"
                    .into()
            )
        );
        assert_eq!(
            without_cached_value(
                "<x:c r=\"B4\"><x:f>COUNTIF(D:D,\"Pass\")</x:f><x:v/></x:c>",
                "x:"
            ),
            Some("<x:c r=\"B4\"><x:f>COUNTIF(D:D,\"Pass\")</x:f></x:c>".into())
        );
        assert_eq!(without_cached_value("<c r=\"B4\"><f>B1</f></c>", ""), None);
        assert_eq!(
            without_cached_value("<c r=\"B4\"><f>valid(1)</f><v>2</v></c>", ""),
            Some("<c r=\"B4\"><f>valid(1)</f></c>".into()),
            "a <v inside a formula's text is not the value"
        );
    }

    #[test]
    fn validations_are_read_in_both_forms_with_their_spaces() {
        let xml = "<worksheet><dataValidations count=\"2\">\
            <dataValidation type=\"list\" sqref=\"C14 C20:C22\"><formula1>&quot;&lt;select&gt;,Yes, No&quot;</formula1></dataValidation>\
            <dataValidation sqref=\"C13\" showInputMessage=\"1\"/></dataValidations>\
            <extLst><ext><x14:dataValidations><x14:dataValidation type=\"list\"><x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1>\
            <xm:sqref>D5</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>";
        let v = validations(xml, "t.xlsx", "sheet").unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(
            v[0].items.as_deref(),
            Some(&["<select>".to_string(), "Yes".into(), " No".into()][..])
        );
        assert!(v[0].covers(3, 14) && v[0].covers(3, 21) && !v[0].covers(3, 15));
        assert_eq!(v[1].items, None);
        assert!(v[1].covers(3, 13));
        assert_eq!(
            v[2].items, None,
            "a list on another sheet is no literal list"
        );
        assert!(v[2].covers(4, 5));
    }

    #[test]
    fn written_text_is_escaped_and_reads_back() {
        assert_eq!(xml_text("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(xml_text("keep _x0041_ as is"), "keep _x005F_x0041_ as is");
        assert_eq!(decode_ooxml("keep _x005F_x0041_"), "keep _x0041_");
        let cell = replaced_cell(
            "<c r=\"F5\" s=\"3\" t=\"s\" vm=\"1\"><v>12</v></c>",
            "",
            "Met",
        );
        assert_eq!(
            cell,
            "<c r=\"F5\" s=\"3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Met</t></is></c>"
        );
    }

    #[test]
    fn a_worksheet_scan_finds_rows_cells_merges_and_styles() {
        let xml = "<worksheet xmlns=\"x\"><cols><col min=\"2\" max=\"3\" style=\"7\"/></cols>\
            <sheetData><row r=\"2\" spans=\"1:3\"><c r=\"A2\" t=\"s\"><v>0</v></c>\
            <c r=\"B2\" t=\"inlineStr\"><is><r><t>Met</t></r><r><t>?</t></r><rPh><t>x</t></rPh></is></c>\
            <c t=\"str\"><f>A1</f><v>Partner Response</v></c></row><row r=\"3\" customFormat=\"1\" s=\"4\"/>\
            </sheetData><mergeCells><mergeCell ref=\"A5:C6\"/></mergeCells></worksheet>";
        let s = scan(xml, &["ID".to_string()], "t.xlsx", "sheet").unwrap();
        assert_eq!(s.rows.len(), 2);
        let texts: Vec<_> = s.rows[0].cells.iter().map(|c| c.text.clone()).collect();
        assert_eq!(
            texts,
            [
                Some("ID".into()),
                Some("Met?".into()),
                Some("Partner Response".into())
            ]
        );
        assert_eq!(s.rows[0].cells[2].col, 3);
        assert!(s.rows[0].cells[2].formula);
        assert_eq!(s.merged_into(2, 5), Some("A5:C6"));
        assert_eq!(s.merged_into(1, 5), None);
        assert_eq!(s.style_for(2, &s.rows[0]).as_deref(), Some("7"));
        assert_eq!(s.style_for(2, &s.rows[1]).as_deref(), Some("4"));
        assert_eq!(
            &xml[s.rows[0].tag.0..s.rows[0].tag.1],
            "<row r=\"2\" spans=\"1:3\">"
        );
        let c = &s.rows[0].cells[0];
        assert_eq!(&xml[c.start..c.end], "<c r=\"A2\" t=\"s\"><v>0</v></c>");
    }
}
