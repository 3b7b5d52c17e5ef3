//! `workbook.xml` asking Excel and LibreOffice to calculate every formula when the file
//! opens.
//!
//! A leaf: imports nothing of `export`.

/// `workbook.xml` asking Excel and LibreOffice to calculate every formula when the file
/// opens, so the grades read from the answers written, not from the values cached before.
pub fn recalculate_on_open(xml: &str) -> String {
    if let Some(start) = find_tag(xml, "calcPr") {
        let end = start + xml[start..].find('>').unwrap_or(0);
        let tag = &xml[start..end];
        let tag = tag.trim_end_matches('/');
        let mut new_tag = match tag.find("fullCalcOnLoad=") {
            Some(i) => {
                let rest = &tag[i + "fullCalcOnLoad=".len()..];
                let quote = rest.chars().next().unwrap_or('"');
                let close = rest[1..].find(quote).map_or(rest.len(), |j| j + 2);
                format!("{}fullCalcOnLoad=\"1\"{}", &tag[..i], &rest[close..])
            }
            None => format!("{} fullCalcOnLoad=\"1\"", tag.trim_end()),
        };
        if xml[..end].ends_with('/') {
            new_tag.push('/');
        }
        return format!("{}{}{}", &xml[..start], new_tag, &xml[end..]);
    }
    // No calcPr: one goes where the schema wants it, before the elements that follow it.
    let prefix = root_prefix(xml);
    let at = [
        "oleSize",
        "customWorkbookViews",
        "pivotCaches",
        "smartTagPr",
        "smartTagTypes",
        "webPublishing",
        "fileRecoveryPr",
        "webPublishObjects",
        "extLst",
    ]
    .iter()
    .filter_map(|t| find_tag(xml, t))
    .min()
    .or_else(|| xml.rfind(&format!("</{prefix}workbook")));
    match at {
        Some(i) => format!(
            "{}<{prefix}calcPr fullCalcOnLoad=\"1\"/>{}",
            &xml[..i],
            &xml[i..]
        ),
        None => xml.to_string(),
    }
}

/// Where the start tag `<name` (with any namespace prefix) begins.
fn find_tag(xml: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = xml[from..].find('<') {
        let at = from + i;
        let rest = &xml[at + 1..];
        let tag: &str = rest
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or("");
        if tag.rsplit(':').next() == Some(name) && !tag.is_empty() {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The namespace prefix of the root element, with its colon (`x:`), or empty.
fn root_prefix(xml: &str) -> String {
    find_tag(xml, "workbook")
        .and_then(|i| {
            let tag = xml[i + 1..]
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()?;
            tag.split_once(':').map(|(p, _)| format!("{p}:"))
        })
        .unwrap_or_default()
}
