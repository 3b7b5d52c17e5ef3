//! Reading a worksheet: every row's position and cells, merged ranges and column styles,
//! each with where it stands in the text so a cell can be replaced without touching a byte
//! around it.
//!
//! Imports `xml`.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::xml::{TextGather, attr, decode_ooxml, local, parse_ref, push_text, xml_error};
use crate::error::Error;

/// One cell of the worksheet as found.
#[derive(Debug)]
pub struct CellAt {
    pub col: u32,
    /// Byte range of the whole `<c>` element.
    pub start: usize,
    pub end: usize,
    pub formula: bool,
    pub text: Option<String>,
}

/// One row of the worksheet as found.
#[derive(Debug)]
pub struct RowAt {
    pub num: u32,
    /// Byte range of the `<row ...>` start tag.
    pub tag: (usize, usize),
    /// Where `</row>` starts; `None` for an empty `<row/>`.
    pub close: Option<usize>,
    /// The row's style, when it has one of its own (`customFormat`).
    pub style: Option<String>,
    /// Hidden from view (`hidden="1"`).
    pub hidden: bool,
    pub cells: Vec<CellAt>,
}

impl RowAt {
    pub fn cell(&self, col: u32) -> Option<&CellAt> {
        self.cells.iter().find(|c| c.col == col)
    }
}

/// What the worksheet holds, as far as filling needs it.
#[derive(Debug, Default)]
pub struct Scan {
    pub rows: Vec<RowAt>,
    /// Merged ranges: (first col, first row, last col, last row, as written).
    pub merged: Vec<(u32, u32, u32, u32, String)>,
    /// Column styles: (min, max, style).
    pub col_styles: Vec<(u32, u32, String)>,
    /// The namespace prefix of the sheet's elements, with its colon (`x:`), or empty.
    pub prefix: String,
}

impl Scan {
    /// The merged range covering the cell, unless the cell is its top-left one.
    pub fn merged_into(&self, col: u32, row: u32) -> Option<&str> {
        self.merged
            .iter()
            .find(|(c1, r1, c2, r2, _)| {
                (*c1..=*c2).contains(&col) && (*r1..=*r2).contains(&row) && (col, row) != (*c1, *r1)
            })
            .map(|m| m.4.as_str())
    }

    /// The style a new cell takes, as Excel gives one typed into an empty cell: the row's
    /// own style, else the column's.
    pub fn style_for(&self, col: u32, row: &RowAt) -> Option<String> {
        row.style.clone().or_else(|| {
            self.col_styles
                .iter()
                .find(|(min, max, _)| (*min..=*max).contains(&col))
                .map(|c| c.2.clone())
        })
    }
}

/// Reads a worksheet: every row's position and cells, merged ranges and column styles.
pub fn scan(xml: &str, strings: &[String], file: &str, part: &str) -> Result<Scan, Error> {
    let mut reader = Reader::from_str(xml);
    let mut sheet = SheetReader {
        strings,
        out: Scan::default(),
        in_data: false,
        row: None,
        last_row: 0,
        cell: None,
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(file, part, e))?;
        let at = (before, reader.buffer_position() as usize);
        match &event {
            Event::Eof => break,
            Event::Start(e) => sheet.start(e, false, at),
            Event::Empty(e) => sheet.start(e, true, at),
            Event::End(e) => sheet.end(e.local_name().as_ref(), at),
            _ => sheet.text(&event),
        }
    }
    Ok(sheet.out)
}

/// The cell being read: its start, column, type, and what it holds so far.
struct OpenCell {
    start: usize,
    col: u32,
    kind: String,
    formula: bool,
    value: String,
    in_v: bool,
    inline: TextGather,
}

/// What [`scan`] knows at a point of a worksheet.
struct SheetReader<'a> {
    strings: &'a [String],
    out: Scan,
    in_data: bool,
    row: Option<RowAt>,
    last_row: u32,
    cell: Option<OpenCell>,
}

impl SheetReader<'_> {
    /// An element opens (or, `empty`, opens and closes) at `at`, its tag's span.
    fn start(&mut self, e: &BytesStart, empty: bool, at: (usize, usize)) {
        let name = local(e);
        match name.as_str() {
            "sheetData" => self.in_data = !empty,
            "row" if self.in_data => self.open_row(e, empty, at),
            "c" if self.row.is_some() => self.open_cell(e, empty, at),
            "f" => {
                if let Some(c) = &mut self.cell {
                    c.formula = true;
                }
            }
            "v" => {
                if let Some(c) = &mut self.cell {
                    c.in_v = !empty;
                }
            }
            "mergeCell" => {
                if let Some(range) = attr(e, "ref", false) {
                    let (a, b) = range.split_once(':').unwrap_or((&range, &range));
                    if let (Some((c1, r1)), Some((c2, r2))) = (parse_ref(a), parse_ref(b)) {
                        self.out.merged.push((c1, r1, c2, r2, range.clone()));
                    }
                }
            }
            "col" => {
                if let (Some(min), Some(max), Some(style)) = (
                    attr(e, "min", false).and_then(|v| v.parse().ok()),
                    attr(e, "max", false).and_then(|v| v.parse().ok()),
                    attr(e, "style", false),
                ) {
                    self.out.col_styles.push((min, max, style));
                }
            }
            other => {
                if let Some(c) = &mut self.cell
                    && !empty
                {
                    c.inline.start(other);
                }
            }
        }
    }

    fn open_row(&mut self, e: &BytesStart, empty: bool, at: (usize, usize)) {
        let num = attr(e, "r", false)
            .and_then(|r| r.parse().ok())
            .unwrap_or(self.last_row + 1);
        self.last_row = num;
        if self.out.prefix.is_empty() {
            let q = e.name().as_ref().to_string();
            if let Some((p, _)) = q.split_once(':') {
                self.out.prefix = format!("{p}:");
            }
        }
        let yes = |v: String| v == "1" || v == "true";
        let style = attr(e, "customFormat", false)
            .is_some_and(yes)
            .then(|| attr(e, "s", false))
            .flatten();
        let r = RowAt {
            num,
            tag: at,
            close: None,
            style,
            hidden: attr(e, "hidden", false).is_some_and(yes),
            cells: Vec::new(),
        };
        if empty {
            self.out.rows.push(r);
        } else {
            self.row = Some(r);
        }
    }

    fn open_cell(&mut self, e: &BytesStart, empty: bool, at: (usize, usize)) {
        let Some(row) = &mut self.row else {
            return;
        };
        let current = row.cells.last().map_or(0, |c| c.col);
        let col = attr(e, "r", false)
            .and_then(|r| parse_ref(&r))
            .map_or(current + 1, |(c, _)| c);
        if empty {
            row.cells.push(CellAt {
                col,
                start: at.0,
                end: at.1,
                formula: false,
                text: None,
            });
        } else {
            self.cell = Some(OpenCell {
                start: at.0,
                col,
                kind: attr(e, "t", false).unwrap_or_default(),
                formula: false,
                value: String::new(),
                in_v: false,
                inline: TextGather::default(),
            });
        }
    }

    /// An element named `name` closes at `at`, its tag's span.
    fn end(&mut self, name: &str, at: (usize, usize)) {
        match name {
            "sheetData" => self.in_data = false,
            "row" => {
                if let Some(mut r) = self.row.take() {
                    r.close = Some(at.0);
                    self.out.rows.push(r);
                }
            }
            "c" => self.close_cell(at.1),
            "v" => {
                if let Some(c) = &mut self.cell {
                    c.in_v = false;
                }
            }
            other => {
                if let Some(c) = &mut self.cell {
                    c.inline.end(other);
                }
            }
        }
    }

    fn close_cell(&mut self, end: usize) {
        let (Some(c), Some(r)) = (self.cell.take(), &mut self.row) else {
            return;
        };
        let text = match c.kind.as_str() {
            "s" => c
                .value
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| self.strings.get(i).cloned()),
            "inlineStr" => Some(decode_ooxml(&c.inline.text)),
            _ => (!c.value.is_empty()).then(|| decode_ooxml(&c.value)),
        };
        r.cells.push(CellAt {
            col: c.col,
            start: c.start,
            end,
            formula: c.formula,
            text,
        });
    }

    /// Text, references and the like inside the open cell.
    fn text(&mut self, event: &Event) {
        if let Some(c) = &mut self.cell {
            if c.in_v {
                push_text(&mut c.value, event);
            } else if c.inline.collecting() {
                push_text(&mut c.inline.text, event);
            }
        }
    }
}
