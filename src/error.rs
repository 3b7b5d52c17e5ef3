//! Errors that reach the user: each names the file, line or field at fault and what to do.
//!
//! Only `main` turns them into exit codes.
//!
//! Layer: leaf (`error`). May import: `safe`, `util`.

use std::fmt;
use std::path::PathBuf;

use crate::safe::terminal;

/// A problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: String,
    /// Line and column, both counted from 1.
    pub line: Option<(usize, usize)>,
    pub field: Option<String>,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every part may quote the file or the command line: shown with escapes.
        write!(f, "{}", terminal(&self.file))?;
        if let Some((line, column)) = self.line {
            write!(f, ", line {line}, column {column}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{}`", terminal(field))?;
        }
        write!(f, ": {}", terminal(&self.message))?;
        if !self.hint.is_empty() {
            write!(f, "\n  help: {}", terminal(&self.hint))?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file that is not valid TOML, or whose values have the wrong type.
    #[error("{0}")]
    Parse(Box<Located>),
    /// A file that parses but breaks a rule of its format.
    #[error("{0}")]
    Invalid(Box<Located>),
    #[error("could not {action} {}: {source}", shown(path))]
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    /// The command line asks for something that cannot be done.
    #[error("{}{}", terminal(message), hint_suffix(hint))]
    Usage { message: String, hint: String },
    /// Saving would write a project file bigger than a load accepts; nothing was written.
    #[error("{0}")]
    TooLarge(Box<TooLarge>),
    /// The project file changed on disk since it was read.
    #[error(
        "{} changed on disk since it was read; nothing was written\n  help: reload it and make the change again",
        shown(path)
    )]
    Conflict { path: PathBuf },
    /// A feature that this build does not have yet.
    #[error("{0}")]
    Unavailable(String),
    /// The export would produce a bundle a reviewer sends back (or one with secrets in it);
    /// the message lists why. Nothing was written.
    #[error("{0}")]
    Refused(String),
    /// The user stopped the work; nothing was written.
    #[error("cancelled; nothing was written")]
    Cancelled,
}

/// A save refused because the file it would write is over the size a load accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// The project file, as the user named it.
    pub file: String,
    /// Bytes the file would have once written.
    pub bytes: u64,
    /// The most a project file may hold.
    pub limit: u64,
    /// The text that takes most of that room, when one does.
    pub part: Option<LargePart>,
}

/// One text of the project, with the room it takes once written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LargePart {
    /// The dotted field, e.g. `answers.partner-hosted.IAM-001.response`.
    pub field: String,
    /// The control whose answer holds it, if it is part of an answer.
    pub control: Option<String>,
    /// The field's own name within the answer or table, e.g. `response`.
    pub name: String,
    /// Bytes it takes once written (escapes counted).
    pub bytes: u64,
    /// Control characters, written as six-byte `\uXXXX` escapes, make up much of it.
    pub escapes: bool,
}

impl LargePart {
    /// "the response of IAM-001", or the dotted field outside answers.
    pub fn describe(&self) -> String {
        match &self.control {
            Some(c) => format!("the {} of {c}", self.name),
            None => format!("`{}`", self.field),
        }
    }
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size = crate::util::human_size;
        write!(f, "{}", terminal(&self.file))?;
        if let Some(p) = &self.part {
            write!(f, ", field `{}`", terminal(&p.field))?;
        }
        write!(
            f,
            ": saving would make the file {} bytes ({}), over the {} bytes ({}) a project file may hold, so ftr could not open it again; nothing was written",
            self.bytes,
            size(self.bytes),
            self.limit,
            size(self.limit)
        )?;
        match &self.part {
            Some(p) => {
                write!(
                    f,
                    "\n  {} takes {} of it once written",
                    p.describe(),
                    size(p.bytes)
                )?;
                if p.escapes {
                    write!(
                        f,
                        ", mostly control characters, which are written as six-character \\u escapes"
                    )?;
                }
                write!(f, "\n  help: shorten it")?;
                match &p.control {
                    Some(c) => write!(
                        f,
                        ", or put the long text in a file and attach that as evidence: ftr answer {c} --evidence FILE"
                    ),
                    None => write!(f, " and save again"),
                }
            }
            None => write!(
                f,
                "\n  help: no single text is most of it: move long responses into files attached as evidence (ftr answer ID --evidence FILE)"
            ),
        }
    }
}

fn hint_suffix(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!("\n  help: {}", terminal(hint))
    }
}

fn shown(path: &std::path::Path) -> String {
    terminal(&path.display().to_string()).into_owned()
}

impl Error {
    /// The exit code for this error: 1 when the export refused, else 2.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Refused(_) => 1,
            _ => 2,
        }
    }

    pub fn parse(at: Located) -> Error {
        Error::Parse(Box::new(at))
    }

    pub fn invalid(at: Located) -> Error {
        Error::Invalid(Box::new(at))
    }

    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Line and column (from 1) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The dotted key of the value at `offset`, found from the table header above it and the key
/// on its line. Good enough to name the field in an error message.
pub fn field_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |p| p + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |p| offset + p);
    let line = &text[line_start..line_end];
    // An error on a table header is about that table.
    if line.trim_start().starts_with('[') {
        let header = line
            .trim()
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        return (!header.is_empty()).then_some(header);
    }
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let header = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|h| {
            h.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        });
    match (header, key) {
        (Some(h), Some(k)) if !h.is_empty() => Some(format!("{h}.{k}")),
        (_, Some(k)) => Some(k),
        (Some(h), None) if !h.is_empty() => Some(h),
        _ => None,
    }
}

/// Line and column of the value assigned to the key `dotted` (e.g. `delivery.checklist`),
/// under its table header or as a dotted key; never a mention in a comment or elsewhere.
pub fn value_position(text: &str, dotted: &str) -> Option<(usize, usize)> {
    value_position_nth(text, dotted, 0)
}

/// Like [`value_position`], for the `nth` assignment (from 0) of `dotted`: the same key in the
/// entries of an array of tables, in file order.
pub fn value_position_nth(text: &str, dotted: &str, nth: usize) -> Option<(usize, usize)> {
    let mut seen = 0;
    let mut table = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            table = line
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .replace([' ', '"'], "");
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().replace([' ', '"'], "");
        let full = if table.is_empty() {
            key
        } else {
            format!("{table}.{key}")
        };
        if full == dotted {
            seen += 1;
            if seen <= nth {
                continue;
            }
            let column = raw.chars().count() - value.trim_start().chars().count() + 1;
            return Some((i + 1, column));
        }
    }
    None
}

/// A TOML error as a located message.
pub fn toml_error(file: &str, text: &str, err: &toml::de::Error) -> Error {
    let (line, field) = match err.span() {
        Some(span) => (Some(line_col(text, span.start)), field_at(text, span.start)),
        None => (None, None),
    };
    Error::parse(Located {
        file: file.to_string(),
        line,
        field,
        message: err.message().trim().to_string(),
        hint: "fix the value at that place (the file is TOML) and run the command again".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // `=` after a two-byte character is the fourth character of line 2.
        assert_eq!(line_col(text, text.find("= 2").unwrap()), (2, 4));
    }

    #[test]
    fn field_names_table_and_key() {
        let text = "x = 1\n[answers.ph.\"IAM-001\"]\nstatus = \"mett\"\n";
        let at = text.find("\"mett\"").unwrap();
        assert_eq!(
            field_at(text, at).as_deref(),
            Some("answers.ph.\"IAM-001\".status")
        );
        assert_eq!(field_at(text, 2).as_deref(), Some("x"));
    }
}
