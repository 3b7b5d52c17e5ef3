//! How a project is laid out as text, so that git merges the edits of two people.
//!
//! Every control of the project's checklist has its own table in checklist order, answered or
//! not (an unanswered one is its header line alone), so answers to different controls are
//! always separated by lines neither side touched. Long texts are multi-line strings, one line
//! of text to a line of file, and each evidence file is a table of its own. Answers to
//! controls the checklist does not have, and to other checklists, follow in id order.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::assessment::{Answer, Project};
use crate::error::{Error, Located};

/// The first line of every project file.
pub const HEADER: &str =
    "# FTR assessment, written by ftr (ftr-wizard). Plain TOML: edit, diff and merge freely.\n";

/// The line between the controls and the tables after them (scans, migrations, conflicts):
/// an answer to the last control and a first scan are then apart too.
pub const TAIL_MARK: &str = "# Scans, checklist moves and merge conflicts, if any, follow.\n";

/// The project as TOML text in the merge-friendly layout. No line of it looks like a git
/// conflict marker: a text with such a line is written on one line, its line breaks escaped.
pub fn to_text(project: &Project) -> Result<String, Error> {
    let text = write(project)?;
    if !text.lines().any(marker_like) {
        return Ok(text);
    }
    let invalid = |e: String| write_error(&e);
    // Our own text, read back: every string with such a line is swapped for a token, the
    // project written again, and each token replaced by the string written on one line.
    let mut table: toml::Value = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    let mut swaps = Vec::new();
    hide_marker_lines(&mut table, &mut swaps);
    let mut hidden: Project = table.try_into().map_err(|e| invalid(e.to_string()))?;
    hidden.layout = project.layout.clone();
    let mut text = write(&hidden)?;
    for (token, encoded) in swaps {
        text = text.replacen(&format!("\"{token}\""), &encoded, 1);
    }
    Ok(text)
}

/// Whether a line would read as a git conflict marker: seven or more of `<`, `=`, `>` or `|`.
pub fn marker_like(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    matches!(first, '<' | '=' | '>' | '|') && line.chars().take_while(|&c| c == first).count() >= 7
}

/// Replaces every string of `value` holding a marker-like line with a token, recording the
/// token and the string as a one-line TOML basic string.
fn hide_marker_lines(value: &mut toml::Value, swaps: &mut Vec<(String, String)>) {
    match value {
        toml::Value::String(s) if s.lines().any(marker_like) => {
            use sha2::Digest;
            let hash = sha2::Sha256::digest(s.as_bytes());
            let hex: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
            let token = format!("ftr-one-line-{}-{hex}", swaps.len());
            swaps.push((token.clone(), one_line(s)));
            *s = token;
        }
        toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| hide_marker_lines(v, swaps)),
        toml::Value::Array(a) => a.iter_mut().for_each(|v| hide_marker_lines(v, swaps)),
        _ => {}
    }
}

/// `text` as a TOML basic string on one line: quotes, backslashes and control characters
/// escaped.
fn one_line(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn write(project: &Project) -> Result<String, Error> {
    let mut head = project.clone();
    let answers = std::mem::take(&mut head.answers);
    let scans = std::mem::take(&mut head.scans);
    let migrations = std::mem::take(&mut head.migrations);
    let conflicts = std::mem::take(&mut head.conflicts);
    let mut out = String::from(HEADER);
    out.push_str(&pretty(&head)?);

    let checklist = project.delivery.checklist.as_str();
    let mine = answers.get(checklist);
    let empty = Answer::default();
    for id in &project.layout.0 {
        let answer = mine.and_then(|m| m.get(id)).unwrap_or(&empty);
        push_table(&mut out, &answer_block(checklist, id, answer)?);
    }
    let placed_ids: std::collections::HashSet<&String> = project.layout.0.iter().collect();
    for (list, controls) in &answers {
        for (id, answer) in controls {
            let placed = list == checklist && placed_ids.contains(id);
            if !placed && !answer.is_empty() {
                push_table(&mut out, &answer_block(list, id, answer)?);
            }
        }
    }

    #[derive(Serialize)]
    struct Tail<'a> {
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        scans: &'a [crate::assessment::scan::Scan],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        migrations: &'a [crate::assessment::migrate::Migration],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        conflicts: &'a [crate::merge::Conflict],
    }
    let tail = pretty(&Tail {
        scans: &scans,
        migrations: &migrations,
        conflicts: &conflicts,
    })?;
    if !project.layout.0.is_empty() {
        push_table(&mut out, TAIL_MARK);
    }
    push_table(&mut out, &tail);
    Ok(out)
}

/// One control's table (and its sub-tables): `[answers.CHECKLIST.ID]` then its fields.
fn answer_block(checklist: &str, id: &str, answer: &Answer) -> Result<String, Error> {
    let one = BTreeMap::from([(
        "answers",
        BTreeMap::from([(checklist, BTreeMap::from([(id, answer)]))]),
    )]);
    let text = pretty(&one)?;
    let name = |s: &str| {
        if !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            s.to_string()
        } else {
            toml::Value::String(s.to_string()).to_string()
        }
    };
    // The control's own header always marks its place, also when all it holds is sub-tables
    // (evidence alone), which would otherwise be written without it.
    let header = format!("[answers.{}.{}]\n", name(checklist), name(id));
    if text.starts_with(&header) {
        Ok(text)
    } else if text.trim().is_empty() {
        Ok(header)
    } else {
        Ok(format!("{header}\n{}", text.trim_start_matches('\n')))
    }
}

/// Appends a block of tables, a blank line before it when the text so far has content.
fn push_table(out: &mut String, block: &str) {
    let block = block.trim_start_matches('\n');
    if block.trim().is_empty() {
        return;
    }
    if !out.ends_with("\n\n") && !out.ends_with(HEADER) {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(block);
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

fn pretty<T: Serialize>(value: &T) -> Result<String, Error> {
    toml::to_string_pretty(value).map_err(|e| write_error(&e))
}

fn write_error(e: &dyn std::fmt::Display) -> Error {
    Error::invalid(Located {
        file: "project".into(),
        line: None,
        field: None,
        message: format!("could not write the project as TOML: {e}"),
        hint: String::new(),
    })
}
