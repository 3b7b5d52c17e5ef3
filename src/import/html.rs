//! Service Screener's FTR results: the rows of `api-full.json`'s `framework_FTR.details` and of
//! the `screener-framework` table in `FTR.html`. Each row is a sub-item (`IAM-002.1`) that is
//! compliant, not compliant or left to a person, with the affected resources in its HTML.

use super::Failure;
use super::tally::{Outcome, Row, Tally};

/// The id of the results table in `FTR.html`.
pub const TABLE_ID: &str = "screener-framework";

/// Counts one sub-item: `comp` is 1 (compliant), -1 (not compliant) or 0 (manual).
pub fn screener_row(tally: &mut Tally, id: &str, comp: i64, checks: &str) -> Result<(), String> {
    let outcome = match comp {
        1 => Outcome::Pass,
        -1 => Outcome::Fail,
        0 => Outcome::Manual,
        other => {
            return Err(format!(
                "sub-item {} has compliance {other}; Service Screener writes 1, 0 or -1",
                crate::safe::terminal(id)
            ));
        }
    };
    let (regions, resources) = affected(checks);
    let resources: Vec<&str> = resources.iter().map(String::as_str).collect();
    for region in regions.iter().filter(|r| !r.eq_ignore_ascii_case("global")) {
        tally.note("", region, None);
    }
    let row = Row {
        outcome,
        muted: false,
        check: id,
        resources: if outcome == Outcome::Fail {
            &resources
        } else {
            &[]
        },
        account: "",
        region: "",
        time: None,
    };
    tally.add([id], &row)
}

/// The Regions and resources listed as `<li><b>[eu-west-1]</b>User::alice, User::bob</li>`, in
/// one pass over `checks`.
fn affected(checks: &str) -> (Vec<String>, Vec<String>) {
    let mut regions = Vec::new();
    let mut resources = Vec::new();
    let mut rest = checks;
    while let Some(start) = find_ci(rest, "<li") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let body = &after[open_end + 1..];
        let end = find_ci(body, "</li>").unwrap_or(body.len());
        let text = decode(&strip_tags(&body[..end]));
        let text = text.trim();
        let (region, list) = match text.strip_prefix('[').and_then(|t| t.split_once(']')) {
            Some((r, l)) => (Some(r.trim().to_string()), l),
            None => (None, text),
        };
        // Repeats are kept: the tally counts each Region once, in constant time, where a
        // search of this list would make a cell of many Regions quadratic.
        if let Some(r) = region.filter(|r| !r.is_empty()) {
            regions.push(r);
        }
        resources.extend(
            list.split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
        );
        rest = &body[end.min(body.len())..];
    }
    (regions, resources)
}

/// Reads `FTR.html`: the rows of the `screener-framework` table.
pub fn read_page(page: &str, tally: &mut Tally) -> Result<(), Failure> {
    let Some(table_at) = find_ci(page, TABLE_ID) else {
        return Err(Failure::plain(
            format!("is an HTML page without Service Screener's `{TABLE_ID}` table"),
            "import the FTR.html page of a Service Screener run made with --frameworks FTR, or its api-full.json",
        ));
    };
    let table = &page[table_at..];
    let table = &table[..find_ci(table, "</table").unwrap_or(table.len())];
    let body = find_ci(table, "<tbody").map_or(table, |at| &table[at..]);
    let mut rows = 0;
    for (n, tr) in split_ci(body, "<tr").skip(1).enumerate() {
        let cells: Vec<String> = split_ci(tr, "<td")
            .skip(1)
            .map(|cell| {
                let inner = cell.find('>').map_or("", |i| &cell[i + 1..]);
                let inner = &inner[..find_ci(inner, "</td").unwrap_or(inner.len())];
                inner.to_string()
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        if cells.len() < 3 {
            return Err(Failure::plain(
                format!(
                    "row {} of the `{TABLE_ID}` table has {} cells; Service Screener writes 5",
                    n + 1,
                    cells.len()
                ),
                "the page looks cut short or edited: run Service Screener again",
            ));
        }
        let id = decode(&strip_tags(&cells[1]));
        let status = decode(&strip_tags(&cells[2]));
        let comp = match status.trim().to_ascii_lowercase().as_str() {
            "compliant" => 1,
            "need attention" => -1,
            "not available" => 0,
            other => {
                return Err(Failure::plain(
                    format!(
                        "row {} ({}) has status `{}`; Service Screener writes Compliant, Need Attention or Not available",
                        n + 1,
                        crate::safe::terminal(id.trim()),
                        crate::safe::terminal(other)
                    ),
                    "the page looks edited: run Service Screener again",
                ));
            }
        };
        let checks = cells.get(3).map_or("", String::as_str);
        tally.findings += 1;
        screener_row(tally, id.trim(), comp, checks)
            .map_err(|m| Failure::plain(m, "the page looks edited: run Service Screener again"))?;
        rows += 1;
    }
    if rows == 0 {
        return Err(Failure::plain(
            format!("has a `{TABLE_ID}` table with no rows"),
            "the page looks cut short: run Service Screener again",
        ));
    }
    Ok(())
}

/// The byte offset of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let bytes = hay.as_bytes();
    let at = |i: &usize| {
        bytes
            .get(*i..*i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    match needle.chars().next() {
        None => Some(0),
        // A tag's `<` has one case: the places to try are found by the standard library's
        // fast search for one character.
        Some(first) if !first.is_ascii_alphabetic() => {
            hay.match_indices(first).map(|(i, _)| i).find(at)
        }
        Some(_) => (0..bytes.len()).find(at),
    }
}

/// `hay` cut before each `needle` (ASCII, any case); the first piece is what comes before the
/// first one.
fn split_ci<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let mut rest = Some(hay);
    let mut first = true;
    std::iter::from_fn(move || {
        let r = rest?;
        let from = if first { 0 } else { needle.len().min(r.len()) };
        first = false;
        match find_ci(&r[from..], needle) {
            Some(at) => {
                let (piece, next) = r.split_at(from + at);
                rest = Some(next);
                Some(piece)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Text with the tags taken out.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The few entities an HTML writer uses for text.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_come_from_the_list_items() {
        let (regions, resources) = affected(
            "<dl><dt class='text-danger'>[mfaActive] - Enable MFA</dt><ul><li><b>[GLOBAL]</b>User::alice, User::bob</li><li><b>[eu-west-1]</b>Instance::i-1</li></ul></dd></dl>",
        );
        assert_eq!(regions, ["GLOBAL", "eu-west-1"]);
        assert_eq!(resources, ["User::alice", "User::bob", "Instance::i-1"]);
    }

    #[test]
    fn find_ignores_case() {
        assert_eq!(find_ci("ab<TD x", "<td"), Some(2));
        assert_eq!(find_ci("ab<T", "<td"), None);
        assert_eq!(find_ci("x SCREENER-framework", TABLE_ID), Some(2));
        assert_eq!(find_ci("é<li", "<li"), Some(2));
    }

    #[test]
    fn split_keeps_the_needle_with_its_piece() {
        let parts: Vec<&str> = split_ci("a<tr>b<TR>c", "<tr").collect();
        assert_eq!(parts, ["a", "<tr>b", "<TR>c"]);
    }
}
