//! The `ftr` commands readiness fixes print, read back by `ftr`'s own clap definition: a
//! command a fix suggests that the command line no longer takes fails the test that met it.

use clap::{CommandFactory, Parser};
use ftr_wizard::assessment::readiness::Report;
use ftr_wizard::cli::Cli;

/// `line` split into words as a POSIX shell does for the quoting `ftr` prints: bare words,
/// `'…'`, and `$'…'` with backslash escapes.
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref().take_while(|q| *q != '\'') {
                    w.push(q);
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                let w = word.get_or_insert_with(String::new);
                while let Some(q) = chars.next() {
                    match q {
                        '\'' => break,
                        '\\' => w.push(ansi_c_escape(&mut chars)),
                        q => w.push(q),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// The character a backslash escape inside `$'…'` stands for.
fn ansi_c_escape(chars: &mut std::iter::Peekable<std::str::Chars>) -> char {
    let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, n: usize| {
        let digits: String = (0..n).filter_map(|_| chars.next()).collect();
        char::from_u32(u32::from_str_radix(&digits, 16).unwrap()).unwrap()
    };
    match chars.next().unwrap() {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'e' => '\u{1b}',
        'x' => hex(chars, 2),
        'u' => hex(chars, 4),
        c => c,
    }
}

/// A value for a placeholder a fix prints, as a person would type it.
fn filled(placeholder: &str) -> Option<&'static str> {
    Some(match placeholder {
        "FILE" => "evidence/policy.pdf",
        "NEW_FILE" => "prowler-output.csv",
        "URL" => "https://docs.example.com/deploy",
        "TEXT" => "Every person signs in through the identity provider with MFA.",
        "NAME" => "Dana",
        "YYYY-MM-DD" => "2026-11-20",
        "N" | "NUMBER" => "12",
        "DURATION" => "4h",
        _ => return None,
    })
}

/// The words of `line` after `ftr`, its placeholders filled in: `FILE` a path, `TEXT` a
/// sentence, `yes|no` the first choice, `...` after an option a value and elsewhere nothing,
/// `rpo=DURATION` a duration.
pub fn fill(line: &str) -> Vec<String> {
    let words = shell_words(line);
    assert_eq!(words.first().map(String::as_str), Some("ftr"), "{line}");
    let mut out: Vec<String> = Vec::new();
    for word in &words[1..] {
        let after_option = out.last().is_some_and(|w| w.starts_with("--"));
        let word = word.split('|').next().unwrap_or(word);
        let word = match (word, filled(word)) {
            ("...", _) if after_option => "yes".to_string(),
            ("...", _) => continue,
            (_, Some(value)) => value.to_string(),
            (w, None) => match w.split_once('=') {
                Some((key, value)) if !w.starts_with('-') => {
                    format!("{key}={}", filled(value).unwrap_or(value))
                }
                _ => w.to_string(),
            },
        };
        out.push(word);
    }
    out
}

/// `line` reads as a whole `ftr` command line once its placeholders are filled in.
pub fn assert_reads(line: &str) {
    let words = fill(line);
    let argv = std::iter::once("ftr".to_string()).chain(words.iter().cloned());
    match Cli::try_parse_from(argv) {
        Ok(cli) => assert!(cli.command.is_some(), "`{line}` names no command"),
        Err(e) => {
            panic!("`{line}` (filled in: {words:?}) does not read as ftr's command line:\n{e}")
        }
    }
}

/// `line` names `ftr` subcommands that exist (a command named in passing, such as
/// `ftr migrate`, leaves its options to the person).
pub fn assert_names_commands(line: &str) {
    let words = shell_words(line);
    let mut cmd = Cli::command();
    for name in &words[1..] {
        cmd = cmd
            .find_subcommand(name)
            .unwrap_or_else(|| panic!("`{line}`: ftr has no command `{name}`"))
            .clone();
    }
}

/// Every command the fixes of `report` name reads as an `ftr` command line.
pub fn assert_fixes_read(report: &Report) {
    for f in &report.findings {
        for command in f.fix.commands() {
            let line = command.to_string();
            if command.is_complete() {
                assert_reads(&line);
            } else {
                assert_names_commands(&line);
            }
        }
    }
}

/// Every `command` of the findings of `ftr check --json` output reads as an `ftr` command line.
pub fn assert_json_commands_read(check: &serde_json::Value) {
    let Some(findings) = check["findings"].as_array() else {
        return;
    };
    for line in findings.iter().filter_map(|f| f["command"].as_str()) {
        assert_reads(line);
    }
}
