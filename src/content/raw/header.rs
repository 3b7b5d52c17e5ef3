//! The `[checklist]` table: its id and version, the dates of its life checked against each
//! other, the notice, and how long scan results stay fresh.

use toml::Spanned;

use crate::content::Day;
use crate::dates::Date;
use crate::error::Error;

use super::checker::{Checker, id_is_well_formed};
use super::format::Header;

/// The id and the version: both name files (installed checklists, backups) and are shown
/// everywhere.
pub(super) fn names(ck: &Checker, header: &Header) -> Result<(), Error> {
    if !id_is_well_formed(header.id.get_ref()) {
        return ck.fail(
            header.id.span(),
            "checklist.id",
            format!("`{}` is not a usable checklist id", header.id.get_ref()),
            "use letters, digits and dashes, e.g. partner-hosted",
        );
    }
    if header.version.get_ref().trim().is_empty() {
        return ck.fail(
            header.version.span(),
            "checklist.version",
            "the checklist has no version".into(),
            "name the AWS release, e.g. 2026-02",
        );
    }
    if !id_is_well_formed(header.version.get_ref()) || header.version.get_ref().starts_with('.') {
        return ck.fail(
            header.version.span(),
            "checklist.version",
            format!("`{}` is not a usable version", header.version.get_ref()),
            "use letters, digits, `-`, `_` and `.` (not first), e.g. 2026-08",
        );
    }
    Ok(())
}

/// The notice, with the day AWS said it: both or neither.
pub(super) fn notice(ck: &Checker, header: &Header) -> Result<Option<(String, Date)>, Error> {
    match (header.notice.clone(), header.notice_date.clone()) {
        (None, None) => Ok(None),
        (Some(text), Some(day)) if !text.get_ref().trim().is_empty() => Ok(Some((
            text.into_inner().trim().to_string(),
            day.into_inner(),
        ))),
        (Some(text), _) => ck.fail(
            text.span(),
            "checklist.notice",
            "the notice needs its text and the day AWS said it (notice_date)".into(),
            "give both, e.g. notice_date = 2025-12-01, or remove notice",
        ),
        (None, Some(day)) => ck.fail(
            day.span(),
            "checklist.notice_date",
            "notice_date is given without a notice".into(),
            "add notice = \"...\", or remove notice_date",
        ),
    }
}

/// How many days scan results stay fresh: above 0 when given.
pub(super) fn scan_freshness_days(ck: &Checker, header: &Header) -> Result<Option<u32>, Error> {
    match &header.scan_freshness_days {
        Some(days) if *days.get_ref() == 0 => ck.fail(
            days.span(),
            "checklist.scan_freshness_days",
            "scan_freshness_days is 0, so every security tool report would be out of date".into(),
            "give the number of days a scan result stays fresh, e.g. 30, or remove the line",
        ),
        other => Ok(other.as_ref().map(|d| *d.get_ref())),
    }
}

/// The dates of a checklist's life, checked against each other.
pub(super) struct Life {
    pub(super) released: Option<Day>,
    pub(super) usable_until: Option<Day>,
    pub(super) supersedes: Option<String>,
    pub(super) previous_accepted_until: Option<Day>,
    pub(super) last_verified: Option<Date>,
}

/// A header date as written: the field name used (for messages), the date and where it is.
struct Written {
    field: &'static str,
    date: Spanned<Date>,
}

/// A date given under its name or its old one (never both).
fn either(
    ck: &Checker,
    name: &'static str,
    new: &Option<Spanned<Date>>,
    old_name: &'static str,
    old: &Option<Spanned<Date>>,
) -> Result<Option<Written>, Error> {
    match (new, old) {
        (Some(_), Some(o)) => ck.fail(
            o.span(),
            &format!("checklist.{old_name}"),
            format!("`{old_name}` is the old name of `{name}`, and both are given"),
            &format!("keep `{name}` and remove `{old_name}`"),
        ),
        (Some(d), None) => Ok(Some(Written {
            field: name,
            date: d.clone(),
        })),
        (None, Some(d)) => Ok(Some(Written {
            field: old_name,
            date: d.clone(),
        })),
        (None, None) => Ok(None),
    }
}

/// The day of `date`, approximate if its `_approximate` flag says so; the flag without the
/// date is refused.
fn day(
    ck: &Checker,
    date: &Option<Written>,
    flag: &Option<Spanned<bool>>,
    flag_name: &str,
    date_name: &str,
) -> Result<Option<Day>, Error> {
    match (date, flag) {
        (None, Some(f)) => ck.fail(
            f.span(),
            &format!("checklist.{flag_name}"),
            format!("`{flag_name}` is given without `{date_name}`"),
            &format!("add {date_name} = YYYY-MM-DD, or remove {flag_name}"),
        ),
        (None, None) => Ok(None),
        (Some(w), f) => Ok(Some(Day {
            date: *w.date.get_ref(),
            approximate: f.as_ref().is_some_and(|f| *f.get_ref()),
        })),
    }
}

/// The release, the last usable day, the previous version's last day and the last
/// verification, each in order with the others; what the checklist supersedes.
pub(super) fn life(ck: &Checker, h: &Header) -> Result<Life, Error> {
    let released = either(ck, "released", &h.released, "valid_from", &h.valid_from)?;
    let until = either(
        ck,
        "usable_until",
        &h.usable_until,
        "valid_until",
        &h.valid_until,
    )?;
    let previous = h.previous_accepted_until.clone().map(|d| Written {
        field: "previous_accepted_until",
        date: d,
    });
    let verified = h.last_verified.clone().map(|d| Written {
        field: "last_verified",
        date: d,
    });
    in_order(ck, &released, &until, &previous, &verified)?;
    let supersedes = supersedes(ck, h)?;
    if let (Some(p), None) = (&h.previous_accepted_until, &supersedes) {
        return ck.fail(
            p.span(),
            "checklist.previous_accepted_until",
            "`previous_accepted_until` is given, but `supersedes` does not say which version it is about".into(),
            "add supersedes = \"VERSION\", the version this one replaces",
        );
    }
    Ok(Life {
        released: day(
            ck,
            &released,
            &h.released_approximate,
            "released_approximate",
            "released",
        )?,
        usable_until: day(
            ck,
            &until,
            &h.usable_until_approximate,
            "usable_until_approximate",
            "usable_until",
        )?,
        previous_accepted_until: day(
            ck,
            &previous,
            &h.previous_accepted_until_approximate,
            "previous_accepted_until_approximate",
            "previous_accepted_until",
        )?,
        supersedes,
        last_verified: verified.map(|w| *w.date.get_ref()),
    })
}

/// Each pair of dates in order: released before the last usable day, the previous version's
/// last day and the last verification; the previous version's last day before this one's.
fn in_order(
    ck: &Checker,
    released: &Option<Written>,
    until: &Option<Written>,
    previous: &Option<Written>,
    verified: &Option<Written>,
) -> Result<(), Error> {
    // (earlier, later, what the order means)
    let order: [(&Option<Written>, &Option<Written>, &str); 4] = [
        (
            released,
            until,
            "a version cannot stop being accepted before it is released",
        ),
        (
            released,
            previous,
            "the version it supersedes stays accepted for a while after this one is released",
        ),
        (
            previous,
            until,
            "the previous version cannot outlive this one",
        ),
        (
            released,
            verified,
            "a version cannot be verified as current before it is released",
        ),
    ];
    for (earlier, later, why) in order {
        if let (Some(a), Some(b)) = (earlier, later)
            && b.date.get_ref() < a.date.get_ref()
        {
            return ck.fail(
                b.date.span(),
                &format!("checklist.{}", b.field),
                format!(
                    "{} ({}) is before {} ({})",
                    b.field,
                    b.date.get_ref(),
                    a.field,
                    a.date.get_ref()
                ),
                &format!("{why}; fix the dates"),
            );
        }
    }
    Ok(())
}

/// The version this one supersedes: not empty, and not its own.
fn supersedes(ck: &Checker, h: &Header) -> Result<Option<String>, Error> {
    match &h.supersedes {
        Some(s) if s.get_ref().trim().is_empty() => ck.fail(
            s.span(),
            "checklist.supersedes",
            "`supersedes` is empty".into(),
            "name the version this one replaces, e.g. 2025-08, or remove the line",
        ),
        Some(s) if s.get_ref().trim() == h.version.get_ref().trim() => ck.fail(
            s.span(),
            "checklist.supersedes",
            format!("the checklist supersedes its own version {}", s.get_ref()),
            "name the version this one replaces, e.g. 2025-08",
        ),
        Some(s) => Ok(Some(s.get_ref().trim().to_string())),
        None => Ok(None),
    }
}
