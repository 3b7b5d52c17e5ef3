//! Calendar dates and timestamps, written as native TOML dates (`2026-12-31`) and
//! date-times (`2026-11-26T09:30:00Z`) so the project file reads naturally.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};
use time::{Month, OffsetDateTime, UtcOffset};

/// A day in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

/// A moment, kept to the second, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let month = Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(Date)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Today in UTC. `FTR_TODAY=YYYY-MM-DD` fixes it, for reproducible checks and tests.
    pub fn today() -> Date {
        if let Some(date) = std::env::var("FTR_TODAY")
            .ok()
            .and_then(|t| Date::parse(&t))
        {
            return date;
        }
        Date(OffsetDateTime::now_utc().date())
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).whole_days()
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + time::Duration::days(days))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl Timestamp {
    /// Now, truncated to the second. `FTR_NOW` (an RFC 3339 UTC time) fixes it for tests.
    pub fn now() -> Timestamp {
        if let Some(t) = std::env::var("FTR_NOW")
            .ok()
            .and_then(|t| Timestamp::parse(&t))
        {
            return t;
        }
        let now = OffsetDateTime::now_utc();
        Timestamp(now.replace_nanosecond(0).unwrap_or(now))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (or `+HH:MM`).
    pub fn parse(text: &str) -> Option<Timestamp> {
        let dt: toml::value::Datetime = text.trim().parse().ok()?;
        Timestamp::from_toml(&dt)
    }

    pub fn date(self) -> Date {
        Date(self.0.date())
    }

    fn from_toml(dt: &toml::value::Datetime) -> Option<Timestamp> {
        let d = dt.date?;
        let t = dt.time?;
        let offset = match dt.offset? {
            toml::value::Offset::Z => UtcOffset::UTC,
            toml::value::Offset::Custom { minutes } => {
                UtcOffset::from_whole_seconds(i32::from(minutes) * 60).ok()?
            }
        };
        let date = Date::new(i32::from(d.year), d.month, d.day)?.0;
        let time = time::Time::from_hms(t.hour, t.minute, t.second).ok()?;
        Some(Timestamp(
            time::PrimitiveDateTime::new(date, time)
                .assume_offset(offset)
                .to_offset(UtcOffset::UTC),
        ))
    }

    fn to_toml(self) -> toml::value::Datetime {
        let d = self.0.date();
        let t = self.0.time();
        toml::value::Datetime {
            date: Some(toml::value::Date {
                year: d.year() as u16,
                month: u8::from(d.month()),
                day: d.day(),
            }),
            time: Some(toml::value::Time {
                hour: t.hour(),
                minute: t.minute(),
                second: t.second(),
                nanosecond: 0,
            }),
            offset: Some(toml::value::Offset::Z),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_toml())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        toml::value::Datetime {
            date: Some(toml::value::Date {
                year: d.year() as u16,
                month: u8::from(d.month()),
                day: d.day(),
            }),
            time: None,
            offset: None,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        const WANT: &str = "expected a date written as YYYY-MM-DD, e.g. 2026-12-31";
        match toml::Value::deserialize(d)? {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(x), None, None) => Date::new(i32::from(x.year), x.month, x.day)
                    .ok_or_else(|| D::Error::custom(format!("{dt} is not a calendar date"))),
                _ => Err(D::Error::custom(format!("{dt}: {WANT} (a day, no time)"))),
            },
            toml::Value::String(s) => {
                Date::parse(&s).ok_or_else(|| D::Error::custom(format!("\"{s}\": {WANT}")))
            }
            other => Err(D::Error::custom(format!(
                "found {}: {WANT}",
                other.type_str()
            ))),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_toml().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        const WANT: &str = "expected a date and time such as 2026-11-26T09:30:00Z";
        match toml::Value::deserialize(d)? {
            toml::Value::Datetime(dt) => Timestamp::from_toml(&dt)
                .ok_or_else(|| D::Error::custom(format!("{dt}: {WANT}, with a time zone"))),
            toml::Value::String(s) => {
                Timestamp::parse(&s).ok_or_else(|| D::Error::custom(format!("\"{s}\": {WANT}")))
            }
            other => Err(D::Error::custom(format!(
                "found {}: {WANT}",
                other.type_str()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_dates() {
        let d = Date::parse("2026-02-28").unwrap();
        assert_eq!(d.to_string(), "2026-02-28");
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("26-02-01"), None);
        assert_eq!(Date::parse("2026-2-1"), None);
        assert_eq!(d.days_until(Date::parse("2026-03-02").unwrap()), 2);
        assert_eq!(d.add_days(1).to_string(), "2026-03-01");
    }

    #[test]
    fn timestamps_normalise_to_utc() {
        let t = Timestamp::parse("2026-11-26T10:30:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-26T09:30:00Z");
        assert_eq!(Timestamp::parse("2026-11-26"), None);
    }
}
