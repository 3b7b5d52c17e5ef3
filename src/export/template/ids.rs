//! The template's rows as AWS writes them: control ids (`ARC-003`, sub-questions
//! `HOST-001.2`), the header row with the `ID`, `Met?` and `Partner Response` columns, and the
//! rows under it a person fills.
//!
//! Imports `xlsx`.

use crate::export::xlsx::Scan;

/// The header is looked for in this many rows from the top.
const HEADER_ROWS: u32 = 10;

/// The parent control of a sub-question id (`HOST-001.1` → `HOST-001`).
pub(super) fn parent_of(id: &str) -> Option<&str> {
    let (parent, rest) = id.split_once('.')?;
    (!rest.is_empty()
        && rest
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    .then_some(parent)
}

/// True for text shaped like a control id (`ARC-003`, `HOST-001.2`): letters, a dash, digits.
pub(super) fn looks_like_id(id: &str) -> bool {
    let base = parent_of(id).unwrap_or(id);
    let Some((letters, digits)) = base.rsplit_once('-') else {
        return false;
    };
    !letters.is_empty()
        && letters.starts_with(|c: char| c.is_ascii_uppercase())
        && letters
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// Header text as compared: lower case, no spacing.
pub(super) fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header row and the columns of ID, Met? and Partner Response, if one of the first ten
/// rows has all three. `Met? (Yes/No/NA)` and `Partner Response / Guidance` count.
pub(super) fn find_header(scan: &Scan) -> Option<(u32, [u32; 3])> {
    for row in scan.rows.iter().filter(|r| r.num <= HEADER_ROWS) {
        let mut cols = [0u32; 3];
        for c in &row.cells {
            let Some(text) = &c.text else { continue };
            let t = normalise(text);
            let slot = if t == "id" {
                0
            } else if t == "met" || t.starts_with("met?") {
                1
            } else if t.starts_with("partnerresponse") {
                2
            } else {
                continue;
            };
            if cols[slot] == 0 {
                cols[slot] = c.col;
            }
        }
        if cols.iter().all(|&c| c > 0) {
            return Some((row.num, cols));
        }
    }
    None
}

/// The rows under the header whose ID cell holds text and whose Met? cell is not a formula.
pub(super) fn count_inputs(scan: &Scan, header_row: u32, cols: [u32; 3]) -> usize {
    scan.rows
        .iter()
        .filter(|r| r.num > header_row && !r.hidden)
        .filter(|r| {
            r.cell(cols[0])
                .and_then(|c| c.text.as_deref())
                .is_some_and(|t| looks_like_id(&t.trim().to_ascii_uppercase()))
        })
        .filter(|r| r.cell(cols[1]).is_none_or(|c| !c.formula))
        .count()
}
