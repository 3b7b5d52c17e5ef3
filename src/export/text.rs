//! Small text helpers for the bundle: safe zip entry names, Markdown escaping and wrapping
//! (the summary keeps to markdownlint's default rules, 80 columns included), and CSV fields.

/// A file or folder name that unzips the same on Windows, macOS and Linux: ASCII letters,
/// digits, `.`, `-` and `_` only, no reserved device names, at most 100 characters.
pub fn safe_component(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let keep = c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
        let c = if keep { c } else { '_' };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches(|c| c == '.' || c == '_' || c == ' ');
    let mut s = if trimmed.is_empty() {
        "file".to_string()
    } else {
        trimmed.to_string()
    };
    let stem = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        s.insert(0, '_');
    }
    if s.len() > 100 {
        let (stem, ext) = match s.rfind('.') {
            Some(i) if s.len() - i <= 10 => (s[..i].to_string(), s[i..].to_string()),
            _ => (s.clone(), String::new()),
        };
        s = format!("{}{ext}", &stem[..100 - ext.len()]);
        // Cutting may leave a trailing dot, which Windows drops from names.
        s = s.trim_end_matches(['.', '_', ' ']).to_string();
    }
    s
}

/// Escapes text so Markdown shows it as written: markup characters are escaped, and web
/// addresses and e-mail addresses become autolinks (`<…>`) rather than bare URLs, which
/// markdownlint refuses. Runs of white space become one space; control and bidi characters
/// are shown as visible escapes (`\e`, `\u{202e}`).
pub fn md_escape_inline(text: &str) -> String {
    let text = crate::safe::document(text);
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        // Punctuation around an address stays outside the link.
        let core = word.trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '"', '\'']);
        let tail = &word[core.len()..];
        let inner = core.trim_start_matches(['(', '"', '\'']);
        let head = &core[..core.len() - inner.len()];
        if is_link_like(inner) {
            words.push(format!(
                "{}<{inner}>{}",
                escape_chars(head),
                escape_chars(tail)
            ));
        } else {
            words.push(escape_chars(word));
        }
    }
    words.join(" ")
}

fn escape_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let markup = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
        );
        // What would make GitHub link an address inside a word: `://`, `www.` and `@`.
        let link = c == '@'
            || (c == ':' && chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/'))
            || (c == '.'
                && i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www"));
        if markup || link {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A web address or an e-mail address that Markdown would otherwise link by itself.
fn is_link_like(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let clean = !word.contains(['<', '>', '`', ' ', '\\', '|']) && word.len() > 3;
    let url = ["http://", "https://", "ftp://", "www."]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    let email = match word.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.ends_with('.')
                && !host.contains('@')
                && user
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
        }
        None => false,
    };
    clean && (url || email)
}

/// Escapes a block marker (`#`, `-`, `+`, `=`, `1.`) that starts a line of user text.
pub fn escape_line_start(line: &str) -> String {
    let first = line.chars().next();
    let ordered = {
        let digits: String = line.chars().take_while(|c| c.is_ascii_digit()).collect();
        !digits.is_empty() && matches!(line[digits.len()..].chars().next(), Some('.' | ')'))
    };
    if matches!(first, Some('#' | '+' | '-' | '=')) {
        format!("\\{line}")
    } else if ordered {
        let d: String = line.chars().take_while(|c| c.is_ascii_digit()).collect();
        format!("{d}\\{}", &line[d.len()..])
    } else {
        line.to_string()
    }
}

/// Word-wraps `text` to `width` columns, the first line after `first` and the rest after
/// `rest` (both prefixes count towards the width).
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let how = crate::util::Wrap {
        first: width.saturating_sub(crate::util::width(first)),
        rest: width.saturating_sub(crate::util::width(rest)),
        ..crate::util::Wrap::new(width)
    };
    crate::util::wrap(text, how)
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}", if i == 0 { first } else { rest }))
        .collect()
}

/// User text as Markdown paragraphs: escaped, wrapped to 80 columns, blank lines kept as
/// paragraph breaks and single line breaks kept as hard breaks (a trailing backslash).
pub fn md_paragraphs(text: &str, indent: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, para) in text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(String::new());
        }
        let src: Vec<&str> = para
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        for (k, line) in src.iter().enumerate() {
            let escaped = md_escape_inline(line);
            let mut wrapped = wrap(&escaped, 80, indent, indent);
            for w in wrapped.iter_mut() {
                let body = escape_line_start(&w[indent.len()..]);
                *w = format!("{indent}{body}");
            }
            if k + 1 < src.len()
                && let Some(last) = wrapped.last_mut()
            {
                last.push('\\');
            }
            out.extend(wrapped);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names() {
        assert_eq!(safe_component("okta mfa (1).png"), "okta_mfa_1_.png");
        assert_eq!(safe_component("../../etc/passwd"), "etc_passwd");
        assert_eq!(safe_component("Résumé.pdf"), "R_sum_.pdf");
        assert_eq!(safe_component("CON.txt"), "_CON.txt");
        assert_eq!(safe_component("com1"), "_com1");
        assert_eq!(safe_component("..."), "file");
        assert_eq!(safe_component("a:b*c?.log"), "a_b_c_.log");
        let long = format!("{}.pdf", "x".repeat(300));
        let s = safe_component(&long);
        assert_eq!(s.len(), 100);
        assert!(s.ends_with(".pdf"));
        let cut = safe_component(&format!("{}.backup-2026-01-01", "a".repeat(99)));
        assert!(!cut.ends_with('.') && cut.len() <= 100, "{cut}");
    }

    #[test]
    fn markdown_escaping_and_wrapping() {
        let lines = md_paragraphs("# not a heading\n- not a list\n1. not ordered *x*", "");
        assert_eq!(
            lines,
            vec![
                "\\# not a heading\\",
                "\\- not a list\\",
                "1\\. not ordered \\*x\\*"
            ]
        );
        let long = "word ".repeat(40);
        for l in md_paragraphs(&long, "  ") {
            assert!(l.chars().count() <= 80);
            assert!(l.starts_with("  "));
        }
        assert_eq!(md_paragraphs("a\n\n\nb", ""), vec!["a", "", "b"]);
        assert_eq!(
            md_escape_inline("Mail dana@acme.example or see (https://status.acme.io)."),
            "Mail <dana@acme.example> or see (<https://status.acme.io>)."
        );
        assert_eq!(md_escape_inline("a_b at c"), "a\\_b at c");
        assert_eq!(
            md_escape_inline("see:https://x.io a!b@acme.example www.acme.io"),
            "see:https\\://x.io a!b\\@acme.example <www.acme.io>"
        );
        assert_eq!(
            md_escape_inline("bell\u{7} esc\u{1b}[2J back\u{8} \u{202e}txt"),
            "bell\\\\u{7} esc\\\\e\\[2J back\\\\u{8} \\\\u{202e}txt"
        );
    }
}
