//! Errors that reach the user: each says what happened (its [`Kind`]), names the file, line or
//! field at fault and what to do.
//!
//! Their text is raw, user text as it was given: whatever prints an error escapes it for where
//! it goes, a terminal line by line ([`Error::lines`] with `safe::terminal`), since a file name
//! or a typed value may hold control and bidi characters. Only `main` turns them into exit
//! codes.
//!
//! Layer: leaf (`error`). May import: `safe`, `util`.

use std::fmt;
use std::path::PathBuf;

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

impl Located {
    /// The message's lines, raw: the place and what is wrong there, then the help.
    pub fn lines(&self) -> Vec<String> {
        let mut head = self.file.clone();
        if let Some((line, column)) = self.line {
            head.push_str(&format!(", line {line}, column {column}"));
        }
        if let Some(field) = &self.field {
            head.push_str(&format!(", field `{field}`"));
        }
        head.push_str(": ");
        head.push_str(&self.message);
        said(head, &self.hint)
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// What happened, for callers and tests that act on it; each [`Error`] has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A file is not what its format says: not TOML, a value of the wrong type, a broken rule
    /// (`Parse`, `Invalid`).
    File,
    /// A value given is not valid (`Input`).
    Input,
    /// The command line is malformed or asks for the impossible (`Usage`).
    Usage,
    /// The project, or what is on disk, does not allow the action yet (`Blocked`).
    Blocked,
    /// A file changed underneath: since it was read (`Conflict`) or while (`Changed`).
    ChangedUnderneath,
    /// Reading or writing a file failed (`Io`).
    Io,
    /// Saving would write a project file too large to open again (`TooLarge`).
    TooLarge,
    /// This build cannot do it (`Unavailable`).
    Unavailable,
    /// The export would write a bundle a reviewer sends back (`Refused`).
    Refused,
    /// The user stopped the work (`Cancelled`).
    Cancelled,
}

#[derive(Debug)]
pub enum Error {
    /// A file that is not valid TOML, or whose values have the wrong type.
    Parse(Box<Located>),
    /// A file that parses but breaks a rule of its format.
    Invalid(Box<Located>),
    /// A file that could not be read or written.
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    /// A value given (on the command line, in the wizard, in the environment, or by git to the
    /// merge driver) that is not valid: a date, a choice, a number, a name the checklist does
    /// not have, a path that is not a file.
    Input { message: String, hint: String },
    /// The command line asks for something that cannot be done, or is malformed in shape: an
    /// unknown key, a missing argument, options that do not go together.
    Usage { message: String, hint: String },
    /// The project, or what is on disk, does not allow the action yet: no delivery model is
    /// chosen, a checklist is not installed, a file or a link is where the output goes, the
    /// folder is not a git repository.
    Blocked { message: String, hint: String },
    /// Saving would write a project file bigger than a load accepts; nothing was written.
    TooLarge(Box<TooLarge>),
    /// The project file changed on disk since it was read.
    Conflict { path: PathBuf },
    /// Another file (a scan being imported) changed while it was read.
    Changed { message: String, hint: String },
    /// A feature that this build does not have yet.
    Unavailable(String),
    /// The export would produce a bundle a reviewer sends back (or one with secrets in it);
    /// the message lists why, in lines (user parts escaped where they were put in), and the
    /// hint says how past it on the command line; `why` lets the wizard say it in its keys.
    /// Nothing was written.
    Refused {
        why: Refusal,
        message: String,
        hint: String,
    },
    /// The user stopped the work; nothing was written.
    Cancelled,
}

impl fmt::Display for Error {
    /// The raw text, its lines joined by line breaks: see [`Error::lines`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Why an export refused, for a caller that says in its own words what gets past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The readiness check has errors: a draft gets past it.
    NotReady,
    /// Evidence looks like it holds secrets: allowing them (after checking) gets past it.
    Secrets,
    /// A file no longer matches its fingerprint: attaching it again, or a draft without it.
    Mismatch,
    /// There is no checklist to export: a delivery model is to be chosen.
    NoChecklist,
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

impl TooLarge {
    /// The message's lines, raw: the file and sizes, the text that takes the room, the help.
    pub fn lines(&self) -> Vec<String> {
        let size = crate::util::human_size;
        let mut head = self.file.clone();
        if let Some(p) = &self.part {
            head.push_str(&format!(", field `{}`", p.field));
        }
        head.push_str(&format!(
            ": saving would make the file {} bytes ({}), over the {} bytes ({}) a project file may hold, so ftr could not open it again; nothing was written",
            self.bytes,
            size(self.bytes),
            self.limit,
            size(self.limit)
        ));
        let Some(p) = &self.part else {
            return vec![
                head,
                "  help: no single text is most of it: move long responses into files attached as evidence (ftr answer ID --evidence FILE)".into(),
            ];
        };
        let mut takes = format!(
            "  {} takes {} of it once written",
            p.describe(),
            size(p.bytes)
        );
        if p.escapes {
            takes.push_str(
                ", mostly control characters, which are written as six-character \\u escapes",
            );
        }
        let help = match &p.control {
            Some(c) => format!(
                "  help: shorten it, or put the long text in a file and attach that as evidence: ftr answer {c} --evidence FILE"
            ),
            None => "  help: shorten it and save again".into(),
        };
        vec![head, takes, help]
    }
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// A message and, when there is one, its help line.
fn said(message: String, hint: &str) -> Vec<String> {
    let mut lines = vec![message];
    if !hint.is_empty() {
        lines.push(format!("  help: {hint}"));
    }
    lines
}

impl Error {
    /// What happened.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Parse(_) | Error::Invalid(_) => Kind::File,
            Error::Io { .. } => Kind::Io,
            Error::Input { .. } => Kind::Input,
            Error::Usage { .. } => Kind::Usage,
            Error::Blocked { .. } => Kind::Blocked,
            Error::TooLarge(_) => Kind::TooLarge,
            Error::Conflict { .. } | Error::Changed { .. } => Kind::ChangedUnderneath,
            Error::Unavailable(_) => Kind::Unavailable,
            Error::Refused { .. } => Kind::Refused,
            Error::Cancelled => Kind::Cancelled,
        }
    }

    /// The exit code for this error: 1 when the export refused, else 2.
    pub fn exit_code(&self) -> u8 {
        match self.kind() {
            Kind::Refused => 1,
            _ => 2,
        }
    }

    /// The message's lines, raw: the first says what happened, the ones after it (indented)
    /// add to it and say what to do. User text never breaks a line here (a line break in a
    /// file name stays inside its line), so a terminal shows each line escaped as one.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Error::Parse(at) | Error::Invalid(at) => at.lines(),
            Error::Io {
                path,
                action,
                source,
            } => vec![format!("could not {action} {}: {source}", path.display())],
            Error::Input { message, hint }
            | Error::Usage { message, hint }
            | Error::Blocked { message, hint }
            | Error::Changed { message, hint } => said(message.clone(), hint),
            Error::TooLarge(t) => t.lines(),
            Error::Conflict { path } => said(
                format!(
                    "{} changed on disk since it was read; nothing was written",
                    path.display()
                ),
                "reload it and make the change again",
            ),
            // Worded as lines already, user parts escaped where they were put in.
            Error::Unavailable(text) => text.split('\n').map(str::to_string).collect(),
            Error::Refused { message, hint, .. } => {
                let mut lines: Vec<String> = message.split('\n').map(str::to_string).collect();
                if !hint.is_empty() {
                    lines.push(format!("  help: {hint}"));
                }
                lines
            }
            Error::Cancelled => vec!["cancelled; nothing was written".into()],
        }
    }

    /// An export's refusal: why, and its lines without the command line's help (for a caller
    /// that says what to do in its own words).
    pub fn refusal(&self) -> Option<(Refusal, Vec<String>)> {
        match self {
            Error::Refused { why, message, .. } => {
                Some((*why, message.split('\n').map(str::to_string).collect()))
            }
            _ => None,
        }
    }

    /// An export's refusal (see [`Error::Refused`]).
    pub fn refused(why: Refusal, message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Refused {
            why,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The first line: what happened, raw (for a message line that has room for one).
    pub fn headline(&self) -> String {
        self.lines().into_iter().next().unwrap_or_default()
    }

    pub fn parse(at: Located) -> Error {
        Error::Parse(Box::new(at))
    }

    pub fn invalid(at: Located) -> Error {
        Error::Invalid(Box::new(at))
    }

    /// A value given that is not valid; see [`Error::Input`].
    pub fn input(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Input {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A command line that cannot be done as asked; see [`Error::Usage`].
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// An action the project or the disk does not allow yet; see [`Error::Blocked`].
    pub fn blocked(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Blocked {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A file that changed while it was read; see [`Error::Changed`].
    pub fn changed(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Changed {
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

    /// User text with an escape sequence, a bidi override and a line break.
    const HOSTILE: &str = "a\u{1b}[2J\u{202e}b\nc";

    #[test]
    fn display_is_the_raw_text_and_lines_keep_user_text_whole() {
        let e = Error::input(format!("`{HOSTILE}` is not a date"), "write YYYY-MM-DD");
        assert_eq!(
            e.to_string(),
            format!("`{HOSTILE}` is not a date\n  help: write YYYY-MM-DD")
        );
        assert_eq!(e.lines().len(), 2);
        assert_eq!(e.headline(), format!("`{HOSTILE}` is not a date"));
        // Escaped where it is printed: each line as one, the break between them kept.
        assert_eq!(
            crate::safe::terminal_lines(&e.lines()),
            "`a\\e[2J\\u{202e}b\\nc` is not a date\n  help: write YYYY-MM-DD"
        );

        let at = Located {
            file: HOSTILE.into(),
            line: Some((3, 1)),
            field: Some(HOSTILE.into()),
            message: HOSTILE.into(),
            hint: HOSTILE.into(),
        };
        let raw =
            format!("{HOSTILE}, line 3, column 1, field `{HOSTILE}`: {HOSTILE}\n  help: {HOSTILE}");
        assert_eq!(at.to_string(), raw);
        assert_eq!(Error::invalid(at).to_string(), raw);

        let large = TooLarge {
            file: HOSTILE.into(),
            bytes: 2,
            limit: 1,
            part: Some(LargePart {
                field: HOSTILE.into(),
                control: None,
                name: "response".into(),
                bytes: 2,
                escapes: false,
            }),
        };
        assert!(
            large
                .to_string()
                .starts_with(&format!("{HOSTILE}, field `{HOSTILE}`: "))
        );
        assert_eq!(large.lines().len(), 3);
        let conflict = Error::Conflict {
            path: PathBuf::from(HOSTILE),
        };
        assert!(conflict.to_string().starts_with(HOSTILE), "{conflict}");
    }

    #[test]
    fn each_error_says_what_happened_and_keeps_its_exit_code() {
        let io = Error::Io {
            path: PathBuf::from("f"),
            action: "read",
            source: std::io::Error::other("gone"),
        };
        let cases = [
            (Error::input("m", "h"), Kind::Input, 2),
            (Error::usage("m", "h"), Kind::Usage, 2),
            (Error::blocked("m", "h"), Kind::Blocked, 2),
            (Error::changed("m", "h"), Kind::ChangedUnderneath, 2),
            (
                Error::Conflict {
                    path: PathBuf::from("f"),
                },
                Kind::ChangedUnderneath,
                2,
            ),
            (io, Kind::Io, 2),
            (Error::Unavailable("m".into()), Kind::Unavailable, 2),
            (
                Error::refused(Refusal::NotReady, "m", "h"),
                Kind::Refused,
                1,
            ),
            (Error::Cancelled, Kind::Cancelled, 2),
        ];
        for (e, kind, code) in cases {
            assert_eq!(e.kind(), kind, "{e}");
            assert_eq!(e.exit_code(), code, "{e}");
        }
        let text = "x = [";
        let err = toml::from_str::<toml::Table>(text).unwrap_err();
        assert_eq!(toml_error("f.toml", text, &err).kind(), Kind::File);
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
