//! Making user text safe where it is opened: a terminal (control and bidi characters shown as
//! escapes, so text cannot move the cursor, hide lines, set the clipboard or reverse what
//! follows), a shell (commands people paste are quoted), and a spreadsheet (no cell starts a
//! formula).
//!
//! Layer: leaf (`safe`). May import: nothing in the crate.

use std::borrow::Cow;
use std::fmt::Write;

/// Characters that change how the text around them is laid out or read without being seen:
/// bidirectional embeddings, overrides, isolates and marks, and the Unicode line separators.
fn is_invisible_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// True for a character a terminal would act on rather than show: C0 and C1 controls, DEL,
/// and the invisible layout controls above.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_control(c)
}

/// The visible form of an unsafe character: `\n`, `\t`, `\r`, `\e` for ESC, else `\u{…}`.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\u{1b}' => out.push_str("\\e"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// One line of user text for a terminal: every control and bidi character, line breaks
/// included, shown as a visible escape.
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// Lines for a terminal, each shown as [`terminal`] shows one line (a line break inside it
/// too), joined by line breaks: for a message kept raw as its lines, like an error's.
pub fn terminal_lines<S: AsRef<str>>(lines: &[S]) -> String {
    lines
        .iter()
        .map(|line| terminal(line.as_ref()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text of several lines for a terminal: line breaks and tabs stay, every other control or
/// bidi character is shown as an escape. For messages whose user parts were escaped already;
/// this is the last guard before the bytes reach the terminal.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| is_unsafe(c) && !matches!(c, '\n' | '\t'))
}

/// [`lines`] for output that may be JSON: only control characters (which JSON never holds
/// raw) are escaped, so a JSON document passes unchanged.
pub fn controls(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c.is_control() && !matches!(c, '\n' | '\t'))
}

/// A JSON document whose strings hold no character a terminal acts on: DEL, the C1 controls
/// and the invisible and bidi controls, which JSON allows raw, are written as `\uXXXX`
/// escapes, so the document stays valid JSON and reads the same to a parser.
pub fn json(text: &str) -> Cow<'_, str> {
    let escape = |c: char| is_unsafe(c) && !matches!(c, '\n');
    if !text.chars().any(escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escape(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{:04x}", u);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a file that spreadsheets and Markdown viewers open: line breaks and tabs stay,
/// every other control or bidi character becomes a visible escape.
pub fn document(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r'))
}

/// One argument of a command a person may paste into a POSIX shell: left bare when it holds
/// only characters no shell treats specially, else single-quoted; text with control or bidi
/// characters is written as `$'…'` with escapes, so the shell gets the exact bytes and the
/// terminal shows nothing raw.
pub fn shell_word(arg: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./=:,+@%".contains(c);
    // A leading `=` is expanded by zsh, so it is quoted too.
    if !arg.is_empty() && arg.chars().all(plain) && !arg.starts_with('=') {
        return Cow::Borrowed(arg);
    }
    if arg.chars().any(is_unsafe) {
        let mut out = String::from("$'");
        for c in arg.chars() {
            match c {
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c if is_unsafe(c) => {
                    let _ = match c {
                        '\n' => write!(out, "\\n"),
                        '\t' => write!(out, "\\t"),
                        '\r' => write!(out, "\\r"),
                        c if u32::from(c) < 0x80 => write!(out, "\\x{:02x}", u32::from(c)),
                        c => write!(out, "\\u{:04x}", u32::from(c)),
                    };
                }
                c => out.push(c),
            }
        }
        out.push('\'');
        return Cow::Owned(out);
    }
    Cow::Owned(format!("'{}'", arg.replace('\'', r"'\''")))
}

/// A file path as one argument of a printed command: quoted for a POSIX shell, and a relative
/// path that starts with `-` written from `./`, so the command cannot read it as an option.
pub fn path_word(path: &str) -> String {
    if path.starts_with('-') {
        shell_word(&format!("./{path}")).into_owned()
    } else {
        shell_word(path).into_owned()
    }
}

/// Whether a spreadsheet would take `text` for a formula: it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return, or their full-width forms.
pub fn formula_like(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
        )
    )
}

/// A spreadsheet cell that cannot run as a formula: text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return (or their full-width forms) gets a leading `'`, as OWASP advises
/// for CSV injection. Control and bidi characters other than line breaks and tabs are shown
/// as escapes.
pub fn cell(text: &str) -> Cow<'_, str> {
    let text = document(text);
    if formula_like(&text) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_shows_controls_and_bidi_as_escapes() {
        assert_eq!(terminal("Acme Ltd"), "Acme Ltd");
        assert_eq!(
            terminal("a\u{1b}]52;c;ZXZpbA==\u{7}b"),
            "a\\e]52;c;ZXZpbA==\\u{7}b"
        );
        assert_eq!(terminal("x\ny\u{202e}z\u{8}"), "x\\ny\\u{202e}z\\u{8}");
        assert_eq!(terminal("\u{9b}31m"), "\\u{9b}31m");
        assert!(!terminal("\u{2066}\u{7f}\u{85}").chars().any(is_unsafe));
    }

    #[test]
    fn output_guards_keep_lines_and_json() {
        assert_eq!(lines("a\nb\u{1b}[8m\u{202e}"), "a\nb\\e[8m\\u{202e}");
        let json = "{\n  \"company\": \"A\u{202e}\\u001b\"\n}";
        assert_eq!(controls(json), json);
        assert_eq!(controls("x\u{7}y"), "x\\u{7}y");
    }

    /// Every `--json` output goes through `json`: every control, C1, invisible and bidi
    /// character in the data comes out as valid JSON that reads back as it was, none raw.
    #[test]
    fn json_of_every_control_character_parses_back_unchanged() {
        let every: String = (0u32..=0x9f)
            .chain(0x2000..=0x206f)
            .chain([0xfeff, 0xfff9, 0xfffa, 0xfffb])
            .filter_map(char::from_u32)
            .collect();
        let value = serde_json::json!({ "company": every, "list": [every.clone()] });
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json(&text);
        assert!(
            !safe.chars().any(|c| c != '\n' && is_unsafe(c)),
            "a raw control is left: {safe:?}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn documents_keep_line_breaks_and_lose_escapes() {
        assert_eq!(document("one\ntwo\tthree"), "one\ntwo\tthree");
        assert_eq!(
            document("bell\u{7}esc\u{1b}[2Jbs\u{8}"),
            "bell\\u{7}esc\\e[2Jbs\\u{8}"
        );
    }

    #[test]
    fn shell_words_survive_a_paste() {
        assert_eq!(shell_word("evidence/mfa.png"), "evidence/mfa.png");
        assert_eq!(
            shell_word("ev; touch PWNED #.txt"),
            "'ev; touch PWNED #.txt'"
        );
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("=ls"), "'=ls'");
        assert_eq!(shell_word("$(id)"), "'$(id)'");
        assert_eq!(shell_word("a\nb\u{1b}c'd"), r"$'a\nb\x1bc\'d'");
        assert_eq!(shell_word("x\u{202e}y"), r"$'x\u202ey'");
        assert_eq!(path_word("-e.txt"), "./-e.txt");
        assert_eq!(path_word("-rf; ls"), "'./-rf; ls'");
        assert_eq!(path_word("/abs/-x"), "/abs/-x");
    }

    #[test]
    fn cells_never_start_a_formula() {
        for risky in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\u{FF1D}1"] {
            assert!(cell(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("We use MFA."), "We use MFA.");
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell("ok\u{1b}[31m"), "ok\\e[31m");
    }
}
