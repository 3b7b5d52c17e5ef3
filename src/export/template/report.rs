//! What filling a template did, and what the user should check: [`TemplateReport`], with the
//! filled bytes in [`Filled`].
//!
//! A leaf: imports nothing of `export`.

use crate::safe::terminal;

/// A filled template: the bytes of the new file and what was done.
#[derive(Debug, Clone)]
pub struct Filled {
    pub bytes: Vec<u8>,
    pub report: TemplateReport,
}

/// What filling a template did, and what the user should check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateReport {
    /// The template, as named.
    pub file: String,
    /// The sheet filled.
    pub sheet: String,
    /// The header's row, counted from 1.
    pub header_row: u32,
    /// Column letters of `ID`, `Met?` and `Partner Response`.
    pub columns: [String; 3],
    /// Controls whose own row was filled, in template order.
    pub filled: Vec<String>,
    /// Answer rows given their answer, in template order.
    pub answered: Vec<String>,
    /// Answer rows left unanswered (`<select>`), in template order.
    pub unanswered: Vec<String>,
    /// Hidden rows naming an id, left as they were: id and row.
    pub hidden: Vec<(String, u32)>,
    /// Sub-question rows (`HOST-001.1`) given their parent's status: id and row.
    pub sub_rows: Vec<(String, u32)>,
    /// Rows naming an id the checklist lacks: id and row.
    pub unknown: Vec<(String, u32)>,
    /// Controls of the checklist no row of the template names, in checklist order.
    pub missing: Vec<String>,
    /// Cells left as they were, with why (a formula, inside merged cells).
    pub skipped: Vec<String>,
    /// Set (to the checklist id) when the checklist's control ids are this tool's own, so no
    /// row of AWS's template can name them.
    pub own_ids: Option<String>,
}

impl TemplateReport {
    /// What filling the template did, and what to check, as lines for a terminal.
    pub fn lines(&self) -> Vec<String> {
        let list = |items: &[(String, u32)]| {
            items
                .iter()
                .map(|(id, row)| format!("{} (row {row})", terminal(id)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = vec![format!(
            "Filled the template {}: sheet \"{}\", header on row {} (ID in column {}, Met? in \
             {}, Partner Response in {}); {} control row{} filled.",
            terminal(&self.file),
            terminal(&self.sheet),
            self.header_row,
            self.columns[0],
            self.columns[1],
            self.columns[2],
            self.filled.len(),
            if self.filled.len() == 1 { "" } else { "s" }
        )];
        if !self.sub_rows.is_empty() {
            out.push(format!(
                "Sub-question rows given their control's status; check each one: {}",
                list(&self.sub_rows)
            ));
        }
        if !self.unknown.is_empty() {
            out.push(format!(
                "Rows naming ids this checklist does not have (left as they were; the template \
                 may be for another checklist version): {}",
                list(&self.unknown)
            ));
        }
        let joined = |items: &[String], sep: &str| {
            items
                .iter()
                .map(|s| terminal(s).into_owned())
                .collect::<Vec<_>>()
                .join(sep)
        };
        if let Some(checklist) = &self.own_ids {
            out.push(format!(
                "The control ids of checklist {} are this tool's own, not the checklist's, so \
                 the template's rows do not name them: fill those rows by hand from SUMMARY.md.",
                terminal(checklist)
            ));
        }
        if !self.missing.is_empty() {
            out.push(format!(
                "Controls the template has no row for (add them by hand, or use the template \
                 of the same checklist version): {}",
                joined(&self.missing, ", ")
            ));
        }
        if !self.skipped.is_empty() {
            out.push(format!(
                "Cells left as they were: {}",
                joined(&self.skipped, "; ")
            ));
        }
        out
    }
}
