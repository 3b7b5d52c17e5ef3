//! A checklist's window of use against a day: open, near its end, or ended, and when ended,
//! whether that blocks a submission. The readiness check, the wizard's header, `ftr status` and
//! `ftr checklists` all read it from here, so they say the same.

use super::scan::short_date;
use crate::content::{Checklist, Day, Library};
use crate::dates::Date;

/// How many days before a checklist's last usable day the readiness check starts warning.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// Where AWS publishes the FTR checklists.
pub const WHERE_AWS_PUBLISHES: &str =
    "AWS publishes FTR checklists on apn-checklists.s3.amazonaws.com, linked from Partner Central";

/// The window of a checklist on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// No end of acceptance is known.
    Unknown,
    /// More than [`EXPIRY_NOTICE_DAYS`] left.
    Open { until: Day, left: i64 },
    /// In its last [`EXPIRY_NOTICE_DAYS`]; `left` is 0 on the last day.
    Ending { until: Day, left: i64 },
    /// Past its last day by `ago` days.
    Ended { until: Day, ago: i64, why: Ended },
}

/// What an ended window means for a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The project records the choice to go on with this version.
    GoingOn,
    /// AWS's page named only the month and no newer release is installed: the day is a
    /// guess, and nothing newer is known to replace it.
    Uncertain,
    /// A newer release is installed and says this one stays accepted until that day.
    StillAccepted(Day),
    /// The day is exact, or a newer release is installed and its acceptance of this one
    /// has passed: AWS no longer accepts it.
    Closed,
}

impl Window {
    /// The window of `checklist` on `today`; `accepted` is the version the project records
    /// the choice to go on with past the window (empty for none).
    pub fn of(checklist: &Checklist, library: &Library, accepted: &str, today: Date) -> Window {
        let Some(until) = checklist.usable_until else {
            return Window::Unknown;
        };
        let left = today.days_until(until.date);
        if left > EXPIRY_NOTICE_DAYS {
            return Window::Open { until, left };
        }
        if left >= 0 {
            return Window::Ending { until, left };
        }
        let why = if !accepted.is_empty() && accepted == checklist.version {
            Ended::GoingOn
        } else {
            match library.newer(checklist, today) {
                None if until.approximate => Ended::Uncertain,
                None => Ended::Closed,
                Some(newer) => match newer.previous_accepted_until {
                    Some(day)
                        if newer.supersedes.as_deref() == Some(checklist.version.as_str())
                            && today <= day.date =>
                    {
                        Ended::StillAccepted(day)
                    }
                    _ => Ended::Closed,
                },
            }
        };
        Window::Ended {
            until,
            ago: -left,
            why,
        }
    }

    /// The window has ended.
    pub fn ended(self) -> bool {
        matches!(self, Window::Ended { .. })
    }

    /// The window has ended and AWS no longer accepts the version: an error, not a warning.
    pub fn closed(self) -> bool {
        matches!(
            self,
            Window::Ended {
                why: Ended::Closed,
                ..
            }
        )
    }

    /// When the window has ended and the project goes on with the version: the note the
    /// export's closing lines and its summary give.
    pub fn going_on_note(self, checklist: &Checklist) -> Option<String> {
        let Window::Ended {
            until,
            why: Ended::GoingOn,
            ..
        } = self
        else {
            return None;
        };
        Some(format!(
            "Past the window: {} {} was usable until {until}, and the project records the choice to go on with it. AWS may still send the submission back; tell your PSA or PDM which version it answers.",
            checklist.id, checklist.version
        ))
    }

    /// The window in a few words, for a header or a list: "window ended ~27 Nov", with the
    /// year when it is not `today`'s; empty while the end is far or unknown.
    pub fn short(self, today: Date) -> String {
        let day = |until: Day| {
            let about = if until.approximate { "~" } else { "" };
            format!("{about}{}", short_date(until.date, today))
        };
        match self {
            Window::Ended { until, .. } => format!("window ended {}", day(until)),
            Window::Ending { until, .. } => format!("window ends {}", day(until)),
            Window::Open { .. } | Window::Unknown => String::new(),
        }
    }

    /// What choosing a model on `checklist` says of its window, when it is near its end or
    /// past it: "window ended about 2026-11-27 (7 days ago)".
    pub fn when_chosen(checklist: &Checklist, library: &Library, today: Date) -> Option<String> {
        let window = Window::of(checklist, library, "", today);
        matches!(window, Window::Ending { .. } | Window::Ended { .. }).then(|| {
            format!(
                "{} {}: {}; the readiness check says what is known and what to do",
                checklist.id,
                checklist.version,
                window.words()
            )
        })
    }

    /// The window in a sentence's words: "window ended about 2026-11-27 (7 days ago)".
    pub fn words(self) -> String {
        match self {
            Window::Unknown => "no end of acceptance known".into(),
            Window::Open { until, left } | Window::Ending { until, left } => {
                let days = if left == 1 { "day" } else { "days" };
                format!("accepted until {until} ({left} {days} left)")
            }
            Window::Ended { until, ago, .. } => {
                let days = if ago == 1 { "day" } else { "days" };
                format!("window ended {until} ({ago} {days} ago)")
            }
        }
    }
}
