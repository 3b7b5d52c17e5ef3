//! Looks through text-like evidence for secrets a partner should never send AWS: access key
//! IDs and secret keys, private key blocks, `.env`-style credentials, bearer tokens.
//!
//! Files are read in blocks with an overlap, so memory stays flat and a secret that straddles
//! two blocks is still found; only the line number of a hit is worked out.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::OnceLock;

use regex::bytes::{Regex, RegexSet};

const BLOCK: usize = 1 << 20;
/// Longest secret a pattern can match; blocks overlap by this much.
const OVERLAP: usize = 4096;

/// One suspected secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub line: u64,
    pub kind: &'static str,
}

const KINDS: [(&str, &str); 6] = [
    (
        "an AWS access key ID",
        r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b",
    ),
    (
        "an AWS secret access key",
        r#"(?i)aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b"#,
    ),
    (
        "a private key block",
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
    ),
    (
        "a bearer token",
        r"(?i)\bbearer\s+[A-Za-z0-9\-._~+/]{20,}=*",
    ),
    (
        "a credential in .env style",
        r"(?m)^[ \t]*(?:export[ \t]+)?[A-Za-z0-9_]*(?i:secret|password|passwd|token|api_?key|private_?key|access_?key)[A-Za-z0-9_]*[ \t]*=[ \t]*[^\s#'\x22]{6,}",
    ),
    (
        "a password in a connection string",
        r"(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s:/@]{6,}@",
    ),
];

fn set() -> &'static (RegexSet, Vec<Regex>) {
    static SET: OnceLock<(RegexSet, Vec<Regex>)> = OnceLock::new();
    SET.get_or_init(|| {
        let patterns: Vec<&str> = KINDS.iter().map(|(_, p)| *p).collect();
        (
            RegexSet::new(&patterns).expect("valid secret patterns"),
            patterns
                .iter()
                .map(|p| Regex::new(p).expect("valid secret pattern"))
                .collect(),
        )
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

pub fn scan_reader(r: &mut dyn Read) -> io::Result<Vec<Hit>> {
    let (set, regexes) = set();
    let mut hits: Vec<Hit> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + OVERLAP);
    // Lines before `buf[0]`, and how many bytes of `buf` were already searched.
    let mut line_base = 1u64;
    let mut seen_upto = 0usize;
    loop {
        let start = buf.len();
        buf.resize(start + BLOCK, 0);
        let mut n = 0;
        while n < BLOCK {
            let k = r.read(&mut buf[start + n..])?;
            if k == 0 {
                break;
            }
            n += k;
        }
        buf.truncate(start + n);
        let at_end = n < BLOCK;
        if set.is_match(&buf) {
            for (i, re) in regexes.iter().enumerate() {
                for m in re.find_iter(&buf) {
                    // A match that lies wholly in the part searched last time was counted then.
                    if m.end() <= seen_upto {
                        continue;
                    }
                    let line = line_base + count_lines(&buf[..m.start()]);
                    let kind = KINDS[i].0;
                    if !hits.iter().any(|h| h.line == line) {
                        hits.push(Hit { line, kind });
                    }
                }
            }
        }
        if at_end {
            break;
        }
        // Keep the tail so a secret across the boundary is whole next time.
        let keep_from = buf.len().saturating_sub(OVERLAP);
        line_base += count_lines(&buf[..keep_from]);
        buf.drain(..keep_from);
        seen_upto = buf.len();
        if hits.len() > 100 {
            break;
        }
    }
    hits.sort_by_key(|h| h.line);
    Ok(hits)
}

fn count_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
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
