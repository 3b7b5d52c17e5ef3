//! Required values: the concrete figures some controls need in the Partner Response (an RPO,
//! an RTO, the date of the last test), their kinds, and how a typed value is read.
//!
//! A value is kept as the user typed it; [`ValueKind::parse`] reads it into its canonical
//! form (`4h` reads as `4 hours`), which is what a reviewer sees.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dates::Date;

/// Longest value accepted, in characters: a value is a figure, a date or an address, never prose.
pub const MAX_VALUE_CHARS: usize = 2000;

/// What a required value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueKind {
    /// A span of time: `15m`, `4h`, `1d`, `2 hours`, `1h30m`.
    Duration,
    /// A day, `YYYY-MM-DD`: the day something was done, so never after today.
    Date,
    /// A plain number: `12`, `99.95`.
    Number,
    /// A web address starting with `https://` or `http://`.
    Url,
}

impl ValueKind {
    pub const ALL: [ValueKind; 4] = [
        ValueKind::Duration,
        ValueKind::Date,
        ValueKind::Number,
        ValueKind::Url,
    ];

    /// The name used in checklist files and messages.
    pub fn key(self) -> &'static str {
        match self {
            ValueKind::Duration => "duration",
            ValueKind::Date => "date",
            ValueKind::Number => "number",
            ValueKind::Url => "url",
        }
    }

    /// The stand-in for the value in a command a person completes, e.g. `rpo=DURATION`.
    pub fn placeholder(self) -> &'static str {
        match self {
            ValueKind::Duration => "DURATION",
            ValueKind::Date => "YYYY-MM-DD",
            ValueKind::Number => "NUMBER",
            ValueKind::Url => "URL",
        }
    }

    /// One value that reads, for messages.
    pub fn example(self) -> &'static str {
        match self {
            ValueKind::Duration => "4h",
            ValueKind::Date => "2026-09-14",
            ValueKind::Number => "12",
            ValueKind::Url => "https://status.example.com",
        }
    }

    /// What a value of this kind looks like, for the wizard's field when the checklist gives no
    /// hint of its own.
    pub fn default_hint(self) -> &'static str {
        match self {
            ValueKind::Duration => "e.g. 4h, 15m, 1d, 2 hours",
            ValueKind::Date => "YYYY-MM-DD",
            ValueKind::Number => "e.g. 12 or 99.9",
            ValueKind::Url => "https://…",
        }
    }

    /// How to write it, as the end of a sentence that starts "write …".
    pub fn how_to_write(self) -> &'static str {
        match self {
            ValueKind::Duration => {
                "a duration: a number and a unit (m, h, d, w or the words), e.g. 15m, 4h, 1d, 2 hours, 1h30m"
            }
            ValueKind::Date => "a date as YYYY-MM-DD, e.g. 2026-09-14",
            ValueKind::Number => {
                "a number in digits, with a decimal point if needed, e.g. 12 or 99.9"
            }
            ValueKind::Url => {
                "a web address starting with https:// or http://, e.g. https://status.example.com"
            }
        }
    }

    /// Reads `text` as a value of this kind: its canonical form, or why it cannot be read.
    pub fn parse(self, text: &str) -> Result<Parsed, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("it is empty".into());
        }
        if text.chars().count() > MAX_VALUE_CHARS {
            return Err(format!("it is longer than {MAX_VALUE_CHARS} characters"));
        }
        match self {
            ValueKind::Duration => parse_duration(text).map(|seconds| Parsed {
                canonical: format_duration(seconds),
                date: None,
            }),
            ValueKind::Date => parse_date(text).map(|d| Parsed {
                canonical: d.to_string(),
                date: Some(d),
            }),
            ValueKind::Number => parse_number(text).map(|n| Parsed {
                canonical: n,
                date: None,
            }),
            ValueKind::Url => parse_url(text).map(|u| Parsed {
                canonical: u,
                date: None,
            }),
        }
    }
}

impl fmt::Display for ValueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A value a control needs in its response, as the checklist declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredValue {
    /// snake_case, unique within the control: `rpo`, `last_test`.
    pub key: String,
    /// How the value is introduced in the response: `Recovery point objective (RPO)`.
    pub label: String,
    pub kind: ValueKind,
    /// What to type, shown beside the field: `e.g. 4h, 15m, 1d`.
    pub hint: String,
}

impl RequiredValue {
    /// `rpo=DURATION`, for commands a person completes.
    pub fn placeholder_arg(&self) -> String {
        format!("{}={}", self.key, self.kind.placeholder())
    }
}

/// A value read by [`ValueKind::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// What a reviewer reads: `4 hours`, `2026-09-14`, `12`, `https://…`.
    pub canonical: String,
    /// The day, for a date.
    pub date: Option<Date>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    let shape = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err("write it as YYYY-MM-DD, e.g. 2026-09-14".into());
    }
    Date::parse(text).ok_or_else(|| "the calendar has no such day".into())
}

fn parse_number(text: &str) -> Result<String, String> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Err("write digits, with a decimal point if needed, e.g. 12 or 99.9".into());
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Ok(match frac {
        Some(f) => format!("{int}.{f}"),
        None => int.to_string(),
    })
}

fn parse_url(text: &str) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https://", &text[8..])
    } else if lower.starts_with("http://") {
        ("http://", &text[7..])
    } else {
        return Err("it must start with https:// or http://".into());
    };
    if let Some(c) = text
        .chars()
        .find(|c| c.is_whitespace() || crate::safe::is_unsafe(*c))
    {
        let what = if c == ' ' {
            "a space".to_string()
        } else {
            crate::safe::terminal(&c.to_string()).into_owned()
        };
        return Err(format!(
            "a web address holds no spaces or control characters, and this one has {what}"
        ));
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let host = host.rsplit('@').next().unwrap_or(host);
    if host.is_empty() || host.starts_with(':') {
        return Err(format!("no host follows {scheme}"));
    }
    Ok(format!("{scheme}{rest}"))
}

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// Seconds in one of the units a duration may use, by any of its written names.
fn unit_seconds(unit: &str) -> Option<u64> {
    Some(match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => MINUTE,
        "h" | "hr" | "hrs" | "hour" | "hours" => HOUR,
        "d" | "day" | "days" => DAY,
        "w" | "wk" | "wks" | "week" | "weeks" => 7 * DAY,
        _ => return None,
    })
}

/// `15m`, `4h`, `1d`, `2 hours`, `an hour`, `1h30m`, `1 hour and 30 minutes`, `1.5h`: whole
/// seconds.
fn parse_duration(text: &str) -> Result<u64, String> {
    let lower = text.to_lowercase();
    let mut rest = lower.as_str();
    let mut total: u64 = 0;
    let mut parts = 0;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if parts > 0
            && let Some(r) = rest.strip_prefix("and")
            && r.starts_with(char::is_whitespace)
        {
            rest = r.trim_start();
        }
        if rest.is_empty() {
            break;
        }
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let mut number = &rest[..num_len];
        rest = &rest[num_len..];
        if number.is_empty() {
            // "an hour", "a day"
            let article = ["an ", "a "].into_iter().find(|a| rest.starts_with(a));
            match article {
                Some(a) => {
                    number = "1";
                    rest = &rest[a.len()..];
                }
                None => return Err("it must start with a number, e.g. 4h".into()),
            }
        }
        rest = rest.trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        if unit.is_empty() {
            return Err(format!(
                "`{number}` has no unit (write {number}m, {number}h or {number}d)"
            ));
        }
        let per = unit_seconds(unit).ok_or_else(|| {
            format!(
                "`{unit}` is not a unit of time (use m, h, d or w, or minutes, hours, days, weeks)"
            )
        })?;
        let seconds = amount_seconds(number, per).ok_or_else(|| {
            format!("`{number}{unit}` is not a whole number of seconds, or too large")
        })?;
        total = total
            .checked_add(seconds)
            .ok_or_else(|| "it is too large".to_string())?;
        parts += 1;
    }
    if parts == 0 {
        return Err("it holds no number and unit, e.g. 4h".into());
    }
    // A century is the most any objective or interval in the checklists could mean.
    if total > 36_525 * DAY {
        return Err("it is longer than a century".into());
    }
    Ok(total)
}

/// `number` (digits, maybe one decimal point) times `per` seconds, if whole.
fn amount_seconds(number: &str, per: u64) -> Option<u64> {
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, f),
        None => (number, ""),
    };
    if int.is_empty() && frac.is_empty() || frac.contains('.') || int.len() + frac.len() > 12 {
        return None;
    }
    let int: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let scale = 10u128.pow(frac.len() as u32);
    let frac: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let scaled = (int * scale + frac) * u128::from(per);
    if !scaled.is_multiple_of(scale) {
        return None;
    }
    u64::try_from(scaled / scale).ok()
}

/// `1 day 12 hours`, `4 hours`, `1 hour 30 minutes`, `0 minutes`.
fn format_duration(seconds: u64) -> String {
    if seconds == 0 {
        return "0 minutes".into();
    }
    let mut out = Vec::new();
    let mut left = seconds;
    for (size, one, many) in [
        (DAY, "day", "days"),
        (HOUR, "hour", "hours"),
        (MINUTE, "minute", "minutes"),
        (1, "second", "seconds"),
    ] {
        let n = left / size;
        left %= size;
        if n > 0 {
            out.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Result<String, String> {
        ValueKind::Duration.parse(text).map(|p| p.canonical)
    }

    #[test]
    fn durations_read_the_usual_ways_and_come_out_canonical() {
        for (typed, canonical) in [
            ("4h", "4 hours"),
            ("15m", "15 minutes"),
            ("1d", "1 day"),
            ("2 hours", "2 hours"),
            ("2 Hours", "2 hours"),
            ("1h30m", "1 hour 30 minutes"),
            ("1 hour and 30 minutes", "1 hour 30 minutes"),
            ("1h, 30m", "1 hour 30 minutes"),
            ("90 min", "1 hour 30 minutes"),
            ("1.5h", "1 hour 30 minutes"),
            ("36h", "1 day 12 hours"),
            ("2w", "14 days"),
            ("45s", "45 seconds"),
            ("0m", "0 minutes"),
            ("an hour", "1 hour"),
            ("a day and 2 hours", "1 day 2 hours"),
            ("  24 hrs ", "1 day"),
        ] {
            assert_eq!(d(typed).as_deref(), Ok(canonical), "{typed}");
        }
    }

    #[test]
    fn a_duration_without_unit_or_with_a_wrong_one_says_what_is_wrong() {
        assert!(d("4").unwrap_err().contains("no unit"));
        assert!(d("4 parsecs").unwrap_err().contains("not a unit of time"));
        assert!(d("four hours").unwrap_err().contains("start with a number"));
        assert!(d("").unwrap_err().contains("empty"));
        assert!(d("1.2.3h").is_err());
        assert!(d("0.0001s").is_err());
        assert!(d("99999999999999h").is_err());
        assert!(d("200 years").is_err());
        assert!(d("40000d").unwrap_err().contains("century"));
        assert!(d("and").is_err());
        assert!(d("a").is_err());
        assert!(d("about 4h").unwrap_err().contains("start with a number"));
    }

    #[test]
    fn dates_numbers_and_addresses() {
        let p = ValueKind::Date.parse("2026-09-14").unwrap();
        assert_eq!(p.date, Date::parse("2026-09-14"));
        assert!(ValueKind::Date.parse("2026-02-30").is_err());
        assert!(ValueKind::Date.parse("14/09/2026").is_err());
        assert!(ValueKind::Date.parse("+202-09-14").is_err());
        let n = |t| ValueKind::Number.parse(t).map(|p| p.canonical);
        assert_eq!(n("12").as_deref(), Ok("12"));
        assert_eq!(n("007").as_deref(), Ok("7"));
        assert_eq!(n("99.95").as_deref(), Ok("99.95"));
        assert!(n("-1").is_err());
        assert!(n("1,000").is_err());
        assert!(n("1.").is_err());
        let u = |t| ValueKind::Url.parse(t).map(|p| p.canonical);
        assert_eq!(
            u("HTTPS://status.example.com/x").as_deref(),
            Ok("https://status.example.com/x")
        );
        assert!(u("ftp://example.com").is_err());
        assert!(u("https://").is_err());
        assert!(u("https:///path").is_err());
        assert!(u("https://exa mple.com").is_err());
        assert!(u("https://a.example\u{1b}[2J").is_err());
        for kind in ValueKind::ALL {
            assert!(kind.parse(kind.example()).is_ok(), "{kind}");
        }
    }
}
