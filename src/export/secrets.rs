//! Looks through text-like evidence for secrets a partner should never send AWS: access key
//! IDs and secret keys, private key blocks, `.env`-style credentials, bearer tokens.
//!
//! Files are read in blocks of whole lines, so memory stays flat and no secret is cut in two.
//! A fast search for literal anchors (`AKIA`, `PRIVATE KEY`, `password`, …) picks the few
//! lines worth a closer look; only those are matched against the exact patterns.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::bytes::Regex;

const BLOCK: usize = 1 << 20;
/// Longest stretch of a line looked at around an anchor, and the overlap kept when a line is
/// longer than a block.
const WINDOW: usize = 4096;

/// One suspected secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub line: u64,
    pub kind: &'static str,
}

/// Literal anchors (any letter case): a line is only examined if it holds one. Searching for
/// them is fast whatever the file, and keeps the exact patterns to short stretches of text.
const ANCHORS: [&str; 18] = [
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "A3T",
    "SECRET",
    "PRIVATE KEY",
    "BEARER",
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "ACCESSKEY",
    "PRIVATE_KEY",
    "PRIVATEKEY",
    "://",
];

const KINDS: [(&str, &str); 6] = [
    (
        "an AWS access key ID",
        r"(?-u)(?:^|[^A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?:[^A-Za-z0-9]|$)",
    ),
    (
        "an AWS secret access key",
        r#"(?i-u)(?:aws_?)?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}(?:[^A-Za-z0-9/+=]|$)"#,
    ),
    (
        "a private key block",
        r"(?-u)-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
    ),
    (
        "a bearer token",
        r"(?i-u)\bbearer\s+[A-Za-z0-9\-._~+/]{20,}",
    ),
    (
        "a credential in .env style",
        r"(?-u)^[ \t]*(?:export[ \t]+)?[A-Za-z0-9_]*(?i:secret|password|passwd|token|api_?key|private_?key|access_?key)[A-Za-z0-9_]*[ \t]*=[ \t]*['\x22]?([^\s#'\x22]{6,})",
    ),
    (
        "a password in a connection string",
        r"(?i-u)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s:/@]{6,}@",
    ),
];

struct Matcher {
    anchors: AhoCorasick,
    kinds: Vec<Regex>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher {
        anchors: AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(ANCHORS)
            .expect("valid anchors"),
        kinds: KINDS
            .iter()
            .map(|(_, p)| Regex::new(p).expect("valid secret pattern"))
            .collect(),
    })
}

/// True when the start of the file looks like text (no NUL byte in the first 8 KiB).
pub fn looks_like_text(path: &Path) -> io::Result<bool> {
    let mut f = File::open(path)?;
    let mut buf = [0u8; 8192];
    let mut n = 0;
    while n < buf.len() {
        let k = f.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(!buf[..n].contains(&0))
}

/// Every suspected secret in `path`, by line. Call only for text-like files.
pub fn scan(path: &Path) -> io::Result<Vec<Hit>> {
    let mut f = File::open(path)?;
    scan_reader(&mut f)
}

/// Scans whole lines block by block; a line longer than a block is cut with an overlap.
pub fn scan_reader(r: &mut dyn Read) -> io::Result<Vec<Hit>> {
    let m = matcher();
    let mut hits: Vec<Hit> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + WINDOW);
    // The line number of `buf[0]`.
    let mut line = 1u64;
    let mut eof = false;
    while !eof {
        let start = buf.len();
        buf.resize(start + BLOCK, 0);
        let mut n = 0;
        while n < BLOCK {
            let k = r.read(&mut buf[start + n..])?;
            if k == 0 {
                eof = true;
                break;
            }
            n += k;
        }
        buf.truncate(start + n);
        // Look at complete lines only; keep the unfinished one for the next block.
        let upto = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => i + 1,
                None => buf.len().saturating_sub(WINDOW),
            }
        };
        scan_lines(m, &buf[..upto], line, &mut hits);
        line += memchr::memchr_iter(b'\n', &buf[..upto]).count() as u64;
        buf.drain(..upto);
        if hits.len() > 100 {
            break;
        }
    }
    hits.sort_by_key(|h| h.line);
    Ok(hits)
}

/// Finds anchors in `text` (complete lines starting at line `first`) and checks each line
/// that holds one against the exact patterns.
fn scan_lines(m: &Matcher, text: &[u8], first: u64, hits: &mut Vec<Hit>) {
    let mut counted_to = 0usize;
    let mut line = first;
    for found in m.anchors.find_iter(text) {
        let at = found.start();
        let line_start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
        if line_start >= counted_to {
            line += memchr::memchr_iter(b'\n', &text[counted_to..line_start]).count() as u64;
            counted_to = line_start;
        }
        if hits.iter().any(|h| h.line == line) {
            continue;
        }
        let line_end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
        // Very long lines: only the stretch around this anchor (every anchor gets a look).
        let from = if at - line_start > WINDOW {
            at - WINDOW
        } else {
            line_start
        };
        let to = line_end.min(at + WINDOW);
        let slice = &text[from..to];
        let kind = m.kinds.iter().enumerate().position(|(i, re)| {
            if i == ENV {
                re.captures_iter(slice)
                    .any(|c| c.get(1).is_some_and(|v| looks_like_a_value(v.as_bytes())))
            } else {
                re.is_match(slice)
            }
        });
        if let Some(i) = kind {
            hits.push(Hit {
                line,
                kind: KINDS[i].0,
            });
        }
    }
}

/// The `.env` pattern's index in `KINDS`.
const ENV: usize = 4;

/// A value worth flagging: not a number (`TOKEN_TTL=3600`) or a placeholder
/// (`${DB_PASSWORD}`, `<your-key>`, `{{ secret }}`).
fn looks_like_a_value(v: &[u8]) -> bool {
    let placeholder = [&b"${"[..], b"$(", b"<", b"{{", b"%"]
        .iter()
        .any(|p| v.starts_with(p));
    !placeholder && !v.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(u64, &'static str)> {
        scan_reader(&mut text.as_bytes())
            .unwrap()
            .into_iter()
            .map(|h| (h.line, h.kind))
            .collect()
    }

    #[test]
    fn finds_each_kind_with_its_line() {
        let text = "ok line\nkey AKIAIOSFODNN7EXAMPLE here\n\
                    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
                    -----BEGIN RSA PRIVATE KEY-----\nMIIE\n\
                    Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc\n\
                    DB_PASSWORD=hunter22secret\n\
                    postgres://app:s3cretpass@db.internal:5432/app\n";
        let found = kinds(text);
        let lines: Vec<u64> = found.iter().map(|h| h.0).collect();
        assert_eq!(lines, vec![2, 3, 4, 6, 7, 8], "{found:?}");
    }

    #[test]
    fn ordinary_text_is_clean() {
        let text = "The password policy requires 14 characters.\n\
                    TOKEN_TTL_SECONDS=3600000\nDB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=<your-api-key>\n\
                    We rotate access keys every 90 days; see runbook.\n\
                    PASSWORD_MIN_LENGTH=14\n\
                    {\"token_count\": 12, \"user\": \"AKIA-not-a-key\"}\n";
        // PASSWORD_MIN_LENGTH=14 is too short a value to be a credential.
        assert_eq!(kinds(text), vec![]);
    }

    #[test]
    fn a_secret_across_a_block_boundary_is_found_once() {
        let mut text = "x".repeat(BLOCK - 10);
        text.push_str("\nAKIAIOSFODNN7EXAMPLE\n");
        text.push_str(&"y\n".repeat(10));
        text.push_str("AKIAIOSFODNN7EXAMPLF\n");
        let found = kinds(&text);
        assert_eq!(found, vec![(2, KINDS[0].0), (13, KINDS[0].0)]);
    }
}

#[cfg(test)]
mod long_lines {
    use super::*;

    #[test]
    fn a_line_longer_than_a_block_is_still_scanned() {
        let mut text = "{\"k\":\"".to_string() + &"x".repeat(BLOCK + 100);
        text.push_str(" AKIAIOSFODNN7EXAMPLE ");
        text.push_str(&"y".repeat(BLOCK));
        text.push_str("\"}\nnext line\n");
        let hits = scan_reader(&mut text.as_bytes()).unwrap();
        assert_eq!(
            hits,
            vec![Hit {
                line: 1,
                kind: KINDS[0].0
            }]
        );
    }
}

#[cfg(test)]
mod more_forms {
    use super::*;

    #[test]
    fn quoted_json_and_late_secrets_are_found() {
        let long_prefix = format!(
            "{{\"u\":\"https://a.example\",\"pad\":\"{}\"",
            "x".repeat(6000)
        );
        let text = format!(
            "DB_PASSWORD=\"hunter22secret\"\nexport API_TOKEN='abcdefghij'\n\
             PRIVATE_KEY=abcdef123456\n{{\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}}\n\
             {long_prefix},\"k\":\"AKIAIOSFODNN7EXAMPLE\"}}\n"
        );
        let lines: Vec<u64> = scan_reader(&mut text.as_bytes())
            .unwrap()
            .iter()
            .map(|h| h.line)
            .collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5]);
    }
}
