//! AWS's self-assessment workbook as checklist data: the rows a control is answered in, each
//! from a drop-down list, and the rule by which the workbook's own formulas grade the control.
//!
//! A rule is written in the checklist file as alternatives, any one of which passes the
//! control; an alternative is terms joined by ` and `, all of which must hold:
//!
//! ```text
//! pass = ["IAM-002.1 = Yes", "IAM-002.2 = Yes and IAM-002.3 = Yes and IAM-002.4 = Yes"]
//! pass = ["CAA-000 = No", "CAA-007.1 = Yes and response"]
//! pass = ["IAM-012.1 = Yes | N/A and IAM-012.2 = Yes | N/A"]
//! ```
//!
//! A term is `ROW = VALUE` (or `VALUE | VALUE`), or `response`: the control's own response cell
//! holds text. Values compare without regard to letter case, as Excel and LibreOffice compare
//! text. Nothing here reads a project or the disk.

use serde::Serialize;

/// One answer row of the workbook: a question answered from a list. A control's rows are
/// `HOST-001.1`, `HOST-001.2`, …; the workbook's own rows (the CIS report, general
/// availability, the gates `CAA-000` and `SDAT-000`) belong to the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetRow {
    /// The id the command line and the project file use (`HOST-001.1`, `cis-report`).
    pub id: String,
    /// What the sheet's ID column writes for the row (`SECOPS-001`, `CIS Benchmark Report`).
    /// Where several rows share it, the n-th row of the checklist with it is the n-th of the
    /// sheet.
    pub sheet_id: String,
    pub question: String,
    /// The drop-down list as the workbook spells it, without its `<select>` and without the
    /// leading spaces some lists put before an item.
    pub choices: Vec<String>,
    /// The scoping question whose answer is this row's (yes is `Yes`, no is `No`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoping: Option<String>,
    /// The answer to propose when scoping switches the control off but the workbook has no
    /// answer for "does not apply".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoped_out: Option<String>,
}

impl SheetRow {
    /// The list item `typed` names: the item itself in any letter case, its key (`y`, `n`,
    /// `a` for N/A, `s`, `t`, `5` for `CIS v5.0`), or its tail (`v5.0`); `na`, `n/a` and
    /// `not applicable` all name `N/A`.
    pub fn choice(&self, typed: &str) -> Option<&str> {
        let t = fold(typed);
        if t.is_empty() {
            return None;
        }
        let found = |f: &dyn Fn(&str) -> bool| {
            let hits: Vec<&String> = self.choices.iter().filter(|c| f(c)).collect();
            (hits.len() == 1).then(|| hits[0].as_str())
        };
        found(&|c| fold(c) == t)
            .or_else(|| found(&|c| t.chars().count() == 1 && choice_key(c) == t.chars().next()))
            .or_else(|| found(&|c| t == "notapplicable" && fold(c) == "na"))
            .or_else(|| found(&|c| t.len() >= 2 && fold(c).ends_with(&t)))
            .or_else(|| found(&|c| t.len() >= 2 && fold(c).starts_with(&t)))
    }

    /// The choices with their keys, as help shows them: `y Yes · n No · a N/A`.
    pub fn keyed_choices(&self) -> String {
        self.choices
            .iter()
            .map(|c| match choice_key(c) {
                Some(k) => format!("{k} {c}"),
                None => c.clone(),
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Whether the row's list has the two answers a scoping question gives.
    pub fn is_yes_no(&self) -> bool {
        self.choice("Yes") == Some("Yes") && self.choice("No") == Some("No")
    }
}

/// The single key that picks `choice` in the wizard: `a` for N/A, the first digit of a version
/// (`5` for `CIS v5.0`), else the first letter.
pub fn choice_key(choice: &str) -> Option<char> {
    let folded = fold(choice);
    if folded == "na" {
        return Some('a');
    }
    if let Some(d) = choice.split_whitespace().last().and_then(|w| {
        w.strip_prefix(['v', 'V'])
            .and_then(|v| v.chars().next())
            .filter(char::is_ascii_digit)
    }) {
        return Some(d);
    }
    folded.chars().next()
}

/// Text as choices compare: lower case, letters, digits and dots only.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// When the workbook grades a control `Pass`: any one alternative holding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub alternatives: Vec<Alternative>,
}

/// Terms that must all hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    pub terms: Vec<Term>,
    /// As written in the checklist.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Term {
    /// The row holds one of the values.
    Is { row: String, values: Vec<String> },
    /// The control's response cell holds text.
    Response,
}

impl Rule {
    /// Reads a rule's alternatives as the checklist file writes them. The error names the
    /// alternative (counted from 0) and what is wrong.
    pub fn parse(alternatives: &[String]) -> Result<Rule, (usize, String)> {
        if alternatives.is_empty() {
            return Err((0, "the rule has no alternative".into()));
        }
        let mut out = Vec::with_capacity(alternatives.len());
        for (i, text) in alternatives.iter().enumerate() {
            let terms = text
                .split(" and ")
                .map(parse_term)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| (i, e))?;
            out.push(Alternative {
                terms,
                text: text.trim().to_string(),
            });
        }
        Ok(Rule { alternatives: out })
    }

    /// Every row the rule reads, each once, in the order first named.
    pub fn rows(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in self.alternatives.iter().flat_map(|a| &a.terms) {
            if let Term::Is { row, .. } = t
                && !out.contains(&row.as_str())
            {
                out.push(row);
            }
        }
        out
    }
}

fn parse_term(text: &str) -> Result<Term, String> {
    let text = text.trim();
    if text == "response" {
        return Ok(Term::Response);
    }
    let Some((row, values)) = text.split_once('=') else {
        return Err(format!("`{text}` is neither `ROW = VALUE` nor `response`"));
    };
    let row = row.trim();
    let values: Vec<String> = values.split('|').map(|v| v.trim().to_string()).collect();
    if row.is_empty() || row.contains(char::is_whitespace) {
        return Err(format!("`{text}` does not start with a row id"));
    }
    if values.iter().any(String::is_empty) {
        return Err(format!("`{text}` has an empty value"));
    }
    Ok(Term::Is {
        row: row.to_string(),
        values,
    })
}

/// What a term or a rule comes to when some rows may be unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    Yes,
    No,
    /// It depends on rows not answered yet.
    Open,
}

impl Rule {
    /// The rule's value, given each row's answer (`None`: unanswered) and whether the response
    /// holds (`None`: not known). An unanswered row makes its terms [`Truth::Open`].
    pub fn eval(&self, value: &dyn Fn(&str) -> Option<String>, response: Option<bool>) -> Truth {
        let mut any_open = false;
        for alt in &self.alternatives {
            match alt.eval(value, response) {
                Truth::Yes => return Truth::Yes,
                Truth::Open => any_open = true,
                Truth::No => {}
            }
        }
        if any_open { Truth::Open } else { Truth::No }
    }
}

impl Alternative {
    pub fn eval(&self, value: &dyn Fn(&str) -> Option<String>, response: Option<bool>) -> Truth {
        let mut open = false;
        for term in &self.terms {
            match term.eval(value, response) {
                Truth::No => return Truth::No,
                Truth::Open => open = true,
                Truth::Yes => {}
            }
        }
        if open { Truth::Open } else { Truth::Yes }
    }
}

impl Term {
    pub fn eval(&self, value: &dyn Fn(&str) -> Option<String>, response: Option<bool>) -> Truth {
        match self {
            Term::Response => match response {
                Some(true) => Truth::Yes,
                Some(false) => Truth::No,
                None => Truth::Open,
            },
            Term::Is { row, values } => match value(row) {
                None => Truth::Open,
                Some(v) if values.iter().any(|x| x.eq_ignore_ascii_case(&v)) => Truth::Yes,
                Some(_) => Truth::No,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(choices: &[&str]) -> SheetRow {
        SheetRow {
            id: "X-001.1".into(),
            sheet_id: "X-001.1".into(),
            question: "q".into(),
            choices: choices.iter().map(|c| c.to_string()).collect(),
            scoping: None,
            scoped_out: None,
        }
    }

    #[test]
    fn choices_are_named_by_word_key_or_tail() {
        let yn = row(&["Yes", "No", "N/A"]);
        assert_eq!(yn.choice("YES"), Some("Yes"));
        assert_eq!(yn.choice("y"), Some("Yes"));
        assert_eq!(yn.choice("n"), Some("No"));
        for na in [
            "a",
            "na",
            "NA",
            "n/a",
            "N/A",
            "not applicable",
            "Not-Applicable",
        ] {
            assert_eq!(yn.choice(na), Some("N/A"), "{na}");
        }
        assert_eq!(yn.choice("maybe"), None);
        assert_eq!(yn.choice(""), None);
        let cred = row(&["Static", "Temporary", "N/A"]);
        assert_eq!(cred.choice("temporary"), Some("Temporary"));
        assert_eq!(cred.choice("s"), Some("Static"));
        assert_eq!(cred.choice("temp"), Some("Temporary"));
        assert_eq!(cred.choice("yes"), None);
        let cis = row(&["CIS v5.0", "CIS v3.0"]);
        assert_eq!(cis.choice("v5.0"), Some("CIS v5.0"));
        assert_eq!(cis.choice("cis v3.0"), Some("CIS v3.0"));
        assert_eq!(cis.choice("3"), Some("CIS v3.0"));
        assert_eq!(cis.choice("v4.0"), None);
        assert_eq!(cis.keyed_choices(), "5 CIS v5.0 · 3 CIS v3.0");
        assert_eq!(yn.keyed_choices(), "y Yes · n No · a N/A");
        assert!(yn.is_yes_no());
        assert!(!cred.is_yes_no());
    }

    #[test]
    fn rules_parse_and_evaluate_with_open_rows() {
        let rule = Rule::parse(&[
            "A.1 = Yes".to_string(),
            "A.2 = Yes and A.3 = Yes | N/A and response".to_string(),
        ])
        .unwrap();
        assert_eq!(rule.rows(), ["A.1", "A.2", "A.3"]);
        let answers = |pairs: &'static [(&'static str, &'static str)]| {
            move |id: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == id)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(rule.eval(&answers(&[("A.1", "yes")]), None), Truth::Yes);
        assert_eq!(rule.eval(&answers(&[("A.1", "No")]), None), Truth::Open);
        let all = answers(&[("A.1", "No"), ("A.2", "Yes"), ("A.3", "NA")]);
        assert_eq!(rule.eval(&all, Some(true)), Truth::No, "NA is not N/A");
        let all = answers(&[("A.1", "No"), ("A.2", "YES"), ("A.3", "n/a")]);
        assert_eq!(
            rule.eval(&all, Some(true)),
            Truth::Yes,
            "case does not count"
        );
        let all = answers(&[("A.1", "No"), ("A.2", "Yes"), ("A.3", "N/A")]);
        assert_eq!(rule.eval(&all, Some(true)), Truth::Yes);
        assert_eq!(rule.eval(&all, Some(false)), Truth::No);
        assert_eq!(rule.eval(&all, None), Truth::Open);
        // A value written with the list's leading space is not the value, as in the sheet.
        assert_eq!(rule.eval(&answers(&[("A.1", " Yes")]), None), Truth::Open);
        assert!(Rule::parse(&[]).is_err());
        assert_eq!(Rule::parse(&["A.1 Yes".into()]).unwrap_err().0, 0);
        assert!(Rule::parse(&["A.1 = Yes".into(), "A.2 = ".into()]).is_err());
        assert!(Rule::parse(&["= Yes".into()]).is_err());
    }
}
