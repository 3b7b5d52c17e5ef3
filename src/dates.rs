//! Calendar dates and timestamps, written as native TOML dates (`2026-12-31`) and
//! date-times (`2026-11-26T09:30:00Z`) so the project file reads naturally.
//!
//! Layer: leaf (`dates`). May import: `error`, `safe`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error as _};
use time::{Month, OffsetDateTime, UtcOffset};

use crate::error::Error;

/// A day in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

/// A moment, kept to the second, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

/// The date and time as the program sees them: the system clock, unless fixed through the
/// environment for reproducible runs and tests.
///
/// - `FTR_TODAY=YYYY-MM-DD` fixes the day used for freshness, validity and the dates
///   recorded on attachments (at the current time of day);
/// - `FTR_NOW=YYYY-MM-DDTHH:MM:SSZ` fixes the moment itself (and so the day);
/// - `SOURCE_DATE_EPOCH=SECONDS` fixes the export's timestamps and date.
///
/// A value that does not parse is an error, never silently the real clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    today: Option<Date>,
    now: Option<Timestamp>,
    /// Seconds since 1970 that the export stamps on its entries and dates its summary with.
    pub source_date_epoch: Option<i64>,
}

impl Clock {
    /// The system clock, nothing fixed.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock stopped at `now`.
    pub fn fixed(now: Timestamp) -> Clock {
        Clock {
            today: Some(now.date()),
            now: Some(now),
            source_date_epoch: None,
        }
    }

    /// The clock the environment asks for; a malformed variable is an error naming it.
    pub fn from_env() -> Result<Clock, Error> {
        Clock::from_vars(|name| std::env::var_os(name))
    }

    /// [`Clock::from_env`] with the variables looked up by `var`.
    pub fn from_vars(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<Clock, Error> {
        let read = |name: &str, want: &str| -> Result<Option<String>, Error> {
            match var(name) {
                None => Ok(None),
                Some(v) => match v.into_string() {
                    Ok(s) if s.is_empty() => Ok(None),
                    Ok(s) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
                    Ok(s) => Err(bad(name, &s, want)),
                    Err(v) => Err(bad(name, &v.to_string_lossy(), want)),
                },
            }
        };
        fn bad(name: &str, value: &str, want: &str) -> Error {
            Error::input(
                format!(
                    "the environment variable {name} is set to \"{value}\", which is not {want}"
                ),
                format!("fix it or unset it (unset {name}); nothing was changed"),
            )
        }
        let mut clock = Clock::system();
        const DAY: &str = "a date written as YYYY-MM-DD";
        const MOMENT: &str = "a UTC time written as YYYY-MM-DDTHH:MM:SSZ";
        const EPOCH: &str = "a whole number of seconds since 1970";
        if let Some(t) = read("FTR_TODAY", DAY)? {
            clock.today = Some(Date::parse(&t).ok_or_else(|| bad("FTR_TODAY", &t, DAY))?);
        }
        if let Some(t) = read("FTR_NOW", MOMENT)? {
            let now = Timestamp::parse(&t).ok_or_else(|| bad("FTR_NOW", &t, MOMENT))?;
            clock.now = Some(now);
            clock.today.get_or_insert(now.date());
        }
        if let Some(t) = read("SOURCE_DATE_EPOCH", EPOCH)? {
            let secs: i64 = t
                .parse()
                .ok()
                // Zip entry times run from 1980 to the end of 2107.
                .filter(|s| (315_532_800..=4_354_819_199).contains(s))
                .ok_or_else(|| {
                    bad(
                        "SOURCE_DATE_EPOCH",
                        &t,
                        &format!("{EPOCH}, from 1980 to the end of 2107"),
                    )
                })?;
            clock.source_date_epoch = Some(secs);
            // A reproducible run is dated from it, unless the day or the moment is fixed too.
            if clock.now.is_none() && clock.today.is_none() {
                clock.now = Timestamp::from_unix(secs);
                clock.today = clock.now.map(Timestamp::date);
            }
        }
        Ok(clock)
    }

    /// Today, in UTC.
    pub fn today(&self) -> Date {
        self.today
            .unwrap_or_else(|| Date(OffsetDateTime::now_utc().date()))
    }

    /// Now, to the second. With only the day fixed, the current time of day on that day.
    pub fn now(&self) -> Timestamp {
        if let Some(now) = self.now {
            return now;
        }
        let real = Timestamp::system_now();
        match self.today {
            Some(day) => Timestamp(real.0.replace_date(day.0)),
            None => real,
        }
    }
}

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

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).whole_days()
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + time::Duration::days(days))
    }

    /// Year, month (1 to 12) and day of the month.
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.0.year(), u8::from(self.0.month()), self.0.day())
    }

    /// The same day `months` calendar months later, or the month's last day where it is
    /// shorter (31 August plus six months is 28 or 29 February).
    pub fn add_months(self, months: u32) -> Date {
        let (y, m, d) = self.ymd();
        let index = i64::from(y) * 12 + i64::from(m) - 1 + i64::from(months);
        let (year, month) = ((index / 12) as i32, (index % 12 + 1) as u8);
        (1..=d)
            .rev()
            .find_map(|day| Date::new(year, month, day))
            .unwrap_or(self)
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
    /// The real time now, truncated to the second. Code that dates what the user does takes
    /// the time from a [`Clock`] instead, so tests and reproducible runs can fix it.
    pub fn system_now() -> Timestamp {
        let now = OffsetDateTime::now_utc();
        Timestamp(now.replace_nanosecond(0).unwrap_or(now))
    }

    /// Seconds since 1970-01-01T00:00:00Z of this moment.
    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The moment `seconds` after 1970-01-01T00:00:00Z.
    pub fn from_unix(seconds: i64) -> Option<Timestamp> {
        OffsetDateTime::from_unix_timestamp(seconds)
            .ok()
            .filter(|t| (1..=9999).contains(&t.year()))
            .map(Timestamp)
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
        // In UTC the moment must still be a year a file can hold (1 to 9999).
        time::PrimitiveDateTime::new(date, time)
            .assume_offset(offset)
            .checked_to_offset(UtcOffset::UTC)
            .filter(|t| (1..=9999).contains(&t.year()))
            .map(Timestamp)
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
    fn months_are_added_by_the_calendar() {
        let d = |t: &str| Date::parse(t).unwrap();
        assert_eq!(d("2027-01-10").add_months(6), d("2027-07-10"));
        assert_eq!(d("2026-08-31").add_months(6), d("2027-02-28"));
        assert_eq!(d("2027-08-31").add_months(6), d("2028-02-29"));
        assert_eq!(d("2026-12-01").add_months(36), d("2029-12-01"));
    }

    #[test]
    fn moments_outside_the_years_a_file_holds_are_refused() {
        assert!(Timestamp::parse("9999-12-31T23:59:59-05:00").is_none());
        assert!(Timestamp::parse("0001-01-01T00:00:00+05:00").is_none());
        assert!(Timestamp::parse("0000-06-01T00:00:00Z").is_none());
        assert!(Timestamp::parse("9999-12-31T18:59:59-05:00").is_some());
    }

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

    fn vars<'a>(
        pairs: &'a [(&'a str, &'a str)],
    ) -> impl Fn(&str) -> Option<std::ffi::OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| std::ffi::OsString::from(*v))
        }
    }

    #[test]
    fn the_clock_takes_fixed_values_and_refuses_malformed_ones() {
        let c = Clock::from_vars(vars(&[("FTR_TODAY", "2026-11-26")])).unwrap();
        assert_eq!(c.today().to_string(), "2026-11-26");
        assert_eq!(c.now().date().to_string(), "2026-11-26");
        let c = Clock::from_vars(vars(&[("FTR_NOW", "2030-01-02T03:04:05Z")])).unwrap();
        assert_eq!(c.now().to_string(), "2030-01-02T03:04:05Z");
        assert_eq!(c.today().to_string(), "2030-01-02");
        let c = Clock::from_vars(vars(&[("SOURCE_DATE_EPOCH", "1700000000")])).unwrap();
        assert_eq!(c.source_date_epoch, Some(1_700_000_000));
        assert_eq!(
            Clock::from_vars(vars(&[("FTR_TODAY", "")])).unwrap(),
            Clock::system()
        );
        for (name, value) in [
            ("FTR_TODAY", "26/11/2026"),
            ("FTR_TODAY", "2026-02-30"),
            ("FTR_NOW", "2026-11-26"),
            ("SOURCE_DATE_EPOCH", "yesterday"),
            ("SOURCE_DATE_EPOCH", "-5"),
            ("SOURCE_DATE_EPOCH", "99999999999999"),
            ("SOURCE_DATE_EPOCH", "5000000000"),
            ("FTR_TODAY", "   "),
        ] {
            let e = Clock::from_vars(vars(&[(name, value)]))
                .unwrap_err()
                .to_string();
            assert!(e.contains(name) && e.contains(value), "{e}");
        }
    }

    #[test]
    fn timestamps_normalise_to_utc() {
        let t = Timestamp::parse("2026-11-26T10:30:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-26T09:30:00Z");
        assert_eq!(Timestamp::parse("2026-11-26"), None);
    }
}
