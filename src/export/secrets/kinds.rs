//! The kinds of secret the scan knows: for each, the literal anchors that pick the places to
//! look at, an exact pattern, and a check of the value it captures, so placeholders
//! (`${DB_PASSWORD}`, `<your-token>`, `changeme`, `****`) and empty values are not flagged.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use base64::Engine as _;
use regex::bytes::{Captures, Regex};

/// How the captured value is judged once the pattern matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// The match alone is the finding (a key block header).
    Shape,
    /// A random-looking token: not a run of one repeated character or a handful of them
    /// (`ghp_xxxx…`, `AKIAXXXXXXXXXXXXXXXX`).
    Token,
    /// A value typed by someone: not empty, not a number, not a placeholder or a dummy.
    Value,
    /// Like `Value`, and also shaped like a password rather than a word of prose
    /// (`Password: required` in a runbook is not flagged, `password: hunter2` is).
    Password,
    /// Base64 of `user:password`, with a real password.
    UserPass,
}

/// Where a pattern is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// The pattern starts at the anchor (`^` is the anchor); the byte before the anchor must
    /// not be a letter or digit.
    Anchor,
    /// The anchor must start its line, or follow a markup tag (`<w:t>` in a `.docx`).
    LineStart,
    /// Anywhere in the stretch of text around the anchor (`^` is the start of that stretch).
    Around,
    /// Like `Around`, for a pattern that starts a line or the content of a markup tag
    /// (`(?:^|[A-Za-z0-9"'/]>)`).
    Line,
}

pub(super) struct Kind {
    pub name: &'static str,
    /// Lower-case literals; the text is searched in lower case.
    pub anchors: &'static [&'static str],
    pub scope: Scope,
    pub pattern: &'static str,
    pub check: Check,
}

/// In order of precedence: a line with several findings is reported as the first kind here
/// (a GitHub token in `GITHUB_TOKEN=…` is a GitHub token, not just a `.env` credential).
pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "an AWS access key ID",
        anchors: &["akia", "asia", "abia", "acca", "a3t"],
        scope: Scope::Anchor,
        pattern: r"^(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)([A-Z0-9]{16})(?:[^A-Za-z0-9]|$)",
        check: Check::Token,
    },
    Kind {
        name: "an AWS secret access key",
        anchors: &["secret"],
        scope: Scope::Around,
        pattern: r#"(?i)(?:aws_?)?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        check: Check::Token,
    },
    Kind {
        name: "a private key block",
        anchors: &["private key"],
        scope: Scope::Around,
        pattern: r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
        check: Check::Shape,
    },
    Kind {
        name: "a PuTTY private key",
        anchors: &["putty-user-key-file-"],
        scope: Scope::LineStart,
        pattern: r"^PuTTY-User-Key-File-[23]:[ \t]*[a-z0-9-]+",
        check: Check::Shape,
    },
    Kind {
        name: "a GitHub token",
        anchors: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        scope: Scope::Anchor,
        pattern: r"^(?:gh[pousr]_([A-Za-z0-9]{36,255})|github_pat_([A-Za-z0-9_]{82}))",
        check: Check::Token,
    },
    Kind {
        name: "a Slack token",
        anchors: &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-"],
        scope: Scope::Anchor,
        pattern: r"^(?:xox[bpars]-(?:[0-9]+-)+([0-9A-Za-z]{8,}[0-9A-Za-z-]*)|xapp-[0-9]-[A-Z0-9]+-[0-9]+-([A-Za-z0-9]{16,}))",
        check: Check::Token,
    },
    Kind {
        name: "a Stripe live secret key",
        anchors: &["sk_live_", "rk_live_"],
        scope: Scope::Anchor,
        pattern: r"^[sr]k_live_([0-9A-Za-z]{20,247})",
        check: Check::Token,
    },
    Kind {
        name: "an npm token",
        anchors: &["npm_"],
        scope: Scope::Anchor,
        pattern: r"^npm_([A-Za-z0-9]{36})(?:[^A-Za-z0-9_]|$)",
        check: Check::Token,
    },
    Kind {
        name: "a Docker registry credential",
        anchors: &["\"auth\""],
        scope: Scope::Anchor,
        pattern: r#"^"auth"\s*:\s*"([A-Za-z0-9+/]{4,}={0,2})""#,
        check: Check::UserPass,
    },
    Kind {
        name: "HTTP Basic credentials",
        anchors: &["authorization"],
        scope: Scope::Anchor,
        pattern: r#"^(?i:authorization)["']?\s*[:=]\s*["']?(?i:basic)[ \t]+([A-Za-z0-9+/]{4,}={0,2})(?:[^A-Za-z0-9+/=]|$)"#,
        check: Check::UserPass,
    },
    Kind {
        name: "a password in a JDBC URL",
        anchors: &["jdbc:"],
        scope: Scope::Anchor,
        pattern: concat!(
            r#"^jdbc:(?:[a-z0-9]+:[!-~&&[^"'<>]]*?[;?&:](?i:password|pwd)=([^;&\s"'<>]+)"#,
            r#"|oracle:thin:[A-Za-z0-9_$#.]+/([^@\s"'<>/]+)@)"#
        ),
        check: Check::Value,
    },
    Kind {
        name: "a password in a connection string",
        anchors: &["://"],
        scope: Scope::Around,
        pattern: r"(?i)\b[a-z][a-z0-9+.-]*://([!-~&&[^:/@]]*):([!-~&&[^:/@]]+)@",
        check: Check::Value,
    },
    Kind {
        name: "a password in a connection string",
        anchors: &["passw", "pwd="],
        scope: Scope::Around,
        pattern: r#"(?i)\b(?:user(?:[ _]?id|name)?|uid|login)[ \t]*=[ \t]*[!-~&&[^;=]]+[ \t]*;[ \t]*(?:password|pwd)[ \t]*=[ \t]*([^;"'\s<>]+)"#,
        check: Check::Value,
    },
    Kind {
        name: "a password in JSON",
        anchors: &["passw"],
        scope: Scope::Around,
        pattern: r#""[A-Za-z0-9_.-]*(?i:password|passwd)"\s*:\s*"([^"\\]{1,256})""#,
        check: Check::Value,
    },
    Kind {
        name: "a password in YAML",
        anchors: &["passw"],
        scope: Scope::Line,
        pattern: concat!(
            r#"(?:^|[A-Za-z0-9"'/]>)[ \t]*(?:-[ \t]+)?["']?[A-Za-z0-9_.-]*(?i:password|passwd)["']?[ \t]*:[ \t]+"#,
            r#"(?:"([!-~&&[^"<]]+)"|'([!-~&&[^'<]]+)'|([!-~&&[^"'#|>&*!<]][!-~&&[^<]]*))"#,
            r#"[ \t]*(?:#[^<]*)?(?:$|<)"#
        ),
        check: Check::Password,
    },
    Kind {
        name: "a bearer token",
        anchors: &["bearer"],
        scope: Scope::Around,
        pattern: r"(?i)\bbearer[ \t]+([A-Za-z0-9\-._~+/]{20,}=*)",
        check: Check::Value,
    },
    Kind {
        name: "a credential in .env style",
        anchors: &[
            "secret",
            "passw",
            "token",
            "api_key",
            "apikey",
            "access_key",
            "accesskey",
            "private_key",
            "privatekey",
        ],
        scope: Scope::Line,
        pattern: concat!(
            r"(?:^|[A-Za-z0-9\x22'/]>)[ \t]*(?:-[ \t]+)?(?:export[ \t]+)?[A-Za-z0-9_]*",
            r"(?i:secret|password|passwd|token|api_?key|private_?key|access_?key)",
            r#"[A-Za-z0-9_]*[ \t]*=[ \t]*['"]?([!-~&&[^#'"<]]{6,})"#
        ),
        check: Check::Value,
    },
];

pub(super) struct Matcher {
    /// Every kind's anchors, searched in lower-cased text.
    pub anchors: AhoCorasick,
    /// For each anchor (by pattern index), the kinds it can start, in precedence order.
    pub kinds_of: Vec<Vec<usize>>,
    /// Each kind's pattern, in `KINDS` order.
    pub patterns: Vec<Regex>,
}

pub(super) fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut anchors: Vec<&'static str> = Vec::new();
        let mut kinds_of: Vec<Vec<usize>> = Vec::new();
        for (k, kind) in KINDS.iter().enumerate() {
            for &a in kind.anchors {
                let i = match anchors.iter().position(|x| *x == a) {
                    Some(i) => i,
                    None => {
                        anchors.push(a);
                        kinds_of.push(Vec::new());
                        anchors.len() - 1
                    }
                };
                kinds_of[i].push(k);
            }
        }
        Matcher {
            // Case-sensitive over lower-cased text: this keeps the fast vectorised search,
            // which a case-insensitive automaton would give up.
            // Leftmost-first semantics let the search use its vectorised prefilter.
            anchors: AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(&anchors)
                .expect("valid anchors"),
            kinds_of,
            patterns: KINDS
                .iter()
                .map(|k| Regex::new(&format!("(?-u){}", k.pattern)).expect("valid pattern"))
                .collect(),
        }
    })
}

/// True when the match `c` of `kind` is worth reporting.
pub(super) fn accept(kind: &Kind, c: &Captures) -> bool {
    // The value is the last group that took part in the match.
    let value = (1..c.len())
        .rev()
        .find_map(|i| c.get(i))
        .map_or(&b""[..], |m| m.as_bytes());
    match kind.check {
        Check::Shape => true,
        Check::Token => random_looking(value),
        Check::Value => plausible_value(value),
        Check::Password => plausible_value(value) && password_shaped(value),
        Check::UserPass => user_and_password(value),
    }
}

/// Not a run of the same few characters, as documentation fills tokens with.
fn random_looking(v: &[u8]) -> bool {
    let mut seen = [false; 256];
    for &b in v {
        seen[b as usize] = true;
    }
    let distinct = seen.iter().filter(|s| **s).count();
    let longest_run = v
        .chunk_by(|a, b| a == b)
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    distinct >= 6.min(v.len()) && longest_run < 6
}

/// Values that stand in for a secret rather than being one, compared whole.
const DUMMIES: &[&str] = &[
    "changeme",
    "changeit",
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "hidden",
    "masked",
    "null",
    "none",
    "nil",
    "undefined",
    "true",
    "false",
    "empty",
    "test",
    "todo",
    "tbd",
    "required",
    "optional",
    "n/a",
    "default",
    "value",
    "string",
    "foobar",
];

/// Parts that mark a value as a stand-in wherever they appear.
const DUMMY_PARTS: &[&str] = &[
    "change_me",
    "change-me",
    "changeme",
    "replace_me",
    "replace-me",
    "replaceme",
    "placeholder",
    "redacted",
    "your_",
    "your-",
    "yourpass",
    "yoursecret",
    "yourtoken",
    "hidden_due_to_security",
    "example",
    "dummy",
    "xxxx",
    "****",
    "....",
    "${",
    "{{",
    "{%",
    "$(",
];

/// A value as typed by someone that could be a real secret: not empty, not a number, not a
/// reference to one kept elsewhere (`${DB_PASSWORD}`, `$DB_PASSWORD`, `%DB_PASSWORD%`,
/// `<your-key>`, `{{ secret }}`, `!Ref DbPassword`, `[REDACTED]`) and not a dummy.
pub(super) fn plausible_value(v: &[u8]) -> bool {
    if v.is_empty() || v.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let reference = match v[0] {
        b'$' => v
            .get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || b"_{(".contains(c)),
        b'%' => v.len() > 1 && (v.ends_with(b"%") || b"({".contains(&v[1])),
        b'<' | b'[' | b'!' | b'(' => true,
        _ => false,
    };
    if reference {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let lower = String::from_utf8_lossy(&lower);
    if DUMMIES.contains(&lower.as_ref()) || DUMMY_PARTS.iter().any(|p| lower.contains(p)) {
        return false;
    }
    let mut seen = [false; 256];
    for &b in v {
        seen[b as usize] = true;
    }
    seen.iter().filter(|s| **s).count() > 2
}

/// Shaped like a password: at least six characters, and either two kinds of character
/// (letters, digits, symbols) or a long passphrase.
fn password_shaped(v: &[u8]) -> bool {
    let letters = v.iter().any(u8::is_ascii_alphabetic);
    let digits = v.iter().any(u8::is_ascii_digit);
    let others = v.iter().any(|b| !b.is_ascii_alphanumeric());
    let classes = [letters, digits, others].iter().filter(|x| **x).count();
    v.len() >= 6 && (classes >= 2 || v.len() >= 16)
}

/// Base64 of `user:password` with a user and a plausible password, in printable text.
fn user_and_password(b64: &[u8]) -> bool {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let Ok(plain) = engine.decode(b64) else {
        return false;
    };
    if plain.iter().any(|b| b.is_ascii_control()) {
        return false;
    }
    match plain.iter().position(|&b| b == b':') {
        Some(i) if i > 0 => plausible_value(&plain[i + 1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_anchor_is_lower_case_and_there_are_few_enough_for_the_fast_search() {
        let m = matcher();
        let mut all: Vec<&str> = KINDS
            .iter()
            .flat_map(|k| k.anchors.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        for a in &all {
            assert_eq!(*a, a.to_ascii_lowercase(), "anchor {a}");
        }
        // The vectorised search handles up to 64 literals.
        assert!(all.len() <= 64, "{} anchors", all.len());
        assert_eq!(m.kinds_of.len(), all.len());
    }

    #[test]
    fn placeholders_and_dummies_are_not_values() {
        for v in [
            "",
            "12345678",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "$(cat /run/secrets/db)",
            "%DB_PASSWORD%",
            "<your-password>",
            "{{ db_password }}",
            "[REDACTED]",
            "!Ref DbPassword",
            "changeme",
            "CHANGE_ME_PLEASE",
            "****",
            "********",
            "xxxxxxxx",
            "null",
            "HIDDEN_DUE_TO_SECURITY_REASONS",
            "prefix-${VAR}",
            "aaaaaa",
            "ababab",
        ] {
            assert!(!plausible_value(v.as_bytes()), "{v:?} taken for a value");
        }
        for v in [
            "hunter22secret",
            "s3cr3t!",
            "correct-horse-battery",
            "Tr0ub4dor&3",
        ] {
            assert!(plausible_value(v.as_bytes()), "{v:?} not taken for a value");
        }
    }

    #[test]
    fn prose_words_are_not_password_shaped() {
        for v in ["required", "rotated", "Administrator"] {
            assert!(!password_shaped(v.as_bytes()), "{v}");
        }
        for v in ["hunter2", "s3cr3t-pass", "correcthorsebatterystaple"] {
            assert!(password_shaped(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn basic_credentials_must_decode_to_a_user_and_a_password() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert!(user_and_password(b64("ci-bot:s3cr3t-Registry").as_bytes()));
        assert!(!user_and_password(b64("no colon here").as_bytes()));
        assert!(!user_and_password(b64(":nouser1").as_bytes()));
        assert!(!user_and_password(b64("user:").as_bytes()));
        assert!(!user_and_password(b64("user:changeme").as_bytes()));
        assert!(!user_and_password(b"not*base64"));
        assert!(!user_and_password(b64("user:\x01\x02bin").as_bytes()));
    }

    #[test]
    fn filler_tokens_are_not_random() {
        assert!(!random_looking(b"XXXXXXXXXXXXXXXX"));
        assert!(!random_looking(b"abcabcabcabcabcabcabcabcabcabcabcabc"));
        assert!(!random_looking(b"a1b2c3000000000000000000000000000000"));
        assert!(random_looking(b"IOSFODNN7EXAMPLE"));
        assert!(random_looking(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    }
}
