//! The rules about the checklist: a model chosen and confirmed, a checklist loaded for it, the
//! version the answers were given against, its window of use, and a newer release.

use crate::assessment::finding::{Code, Severity};
use crate::assessment::fix::{Arg, Command, Fix};
use crate::assessment::setting::Setting;
use crate::assessment::window::{Ended, WHERE_AWS_PUBLISHES, Window};
use crate::content::{Checklist, Day, Model};
use crate::dates::Date;

use super::collect::{Collector, Cx};

/// How long a checklist with no known end counts as verified after its `last_verified` date:
/// about one release cycle (AWS releases every six months).
pub const VERIFIED_FOR_DAYS: i64 = 183;

/// No delivery model is chosen.
pub(super) fn model_missing(out: &mut Collector) {
    out.push(
        Severity::Error,
        Code::ModelMissing,
        None,
        "No delivery model is chosen, so no checklist applies yet.".into(),
        Fix::run(
            "Choose one",
            Command::set(
                Setting::Model,
                Arg::OneOf(Model::ALL.iter().map(|m| m.key().to_string()).collect()),
            ),
        ),
    );
}

/// `ftr set model MODEL`.
fn set_model(model: Model) -> Command {
    Command::set(Setting::Model, Arg::word(model.key()))
}

/// No checklist is loaded for the chosen model.
pub(super) fn checklist_missing(model: Model, out: &mut Collector) {
    out.push(
        Severity::Error,
        Code::ChecklistMissing,
        None,
        format!("No checklist is loaded for the {model} delivery model."),
        Fix::say("Load content that has one (--content DIR), or choose another model."),
    );
}

/// The model was chosen but never confirmed.
pub(super) fn model_unconfirmed(cx: &mut Cx, checklist: &Checklist, out: &mut Collector) {
    if cx.project.delivery.confirmed {
        return;
    }
    // The chosen model: the checklist is the one loaded for it.
    let model = checklist.model;
    out.push(
        Severity::Error,
        Code::ModelUnconfirmed,
        None,
        format!(
            "The delivery model ({model}) was never confirmed; the wrong checklist is the most \
             avoidable reason a submission is sent back."
        ),
        Fix::run("Confirm it", set_model(model)),
    );
}

/// The answers were given against a version that is not installed: an error, as nothing can
/// be checked against it; else the window of the loaded one.
pub(super) fn version(cx: &mut Cx, checklist: &Checklist, out: &mut Collector) {
    let project = cx.project;
    let Some(answered) = crate::assessment::missing_version(project, cx.library) else {
        window(cx, checklist, out);
        return;
    };
    // What AWS says of the version the answers were given against, when this one
    // supersedes it.
    let still = match (&checklist.supersedes, checklist.previous_accepted_until) {
        (Some(prev), Some(until)) if prev == answered => {
            if cx.today <= until.date {
                format!(" AWS still accepts {prev} until {until}.")
            } else {
                format!(" AWS accepted {prev} until {until}.")
            }
        }
        _ => String::new(),
    };
    out.push(
        Severity::Error,
        Code::ChecklistVersion,
        None,
        format!(
            "The answers were given against {} {answered}, which is not installed; the loaded checklist is {}, and the answers are not checked against another version.{still}",
            checklist.id, checklist.version
        ),
        Fix::say(format!("Install {}@{answered} (", checklist.id))
            .naming(Command::ChecklistsAdd)
            .and(format!(
                "; a teammate who has it can share the file), or review the answers against {} and then record it",
                checklist.version
            ))
            .then(set_model(checklist.model)),
    );
}

/// A checklist used past its last usable day is an error when AWS no longer accepts it, a
/// warning when that is not known (the day is a guess from the month and nothing newer is
/// installed) or the project records the choice to go on with it; the last 30 days draw a
/// warning. A checklist with no known end draws a warning once its last verification is a
/// release cycle old.
fn window(cx: &Cx, checklist: &Checklist, out: &mut Collector) {
    let accepted = &cx.project.delivery.accept_past_window;
    match Window::of(checklist, cx.library, accepted, cx.today) {
        Window::Unknown => unverified(checklist, cx.today, out),
        Window::Open { .. } => {}
        Window::Ending { until, left } => expiring(checklist, until, left, out),
        Window::Ended { until, why, .. } => expired(cx, checklist, until, why, out),
    }
}

/// "Checklist partner-hosted 2026-02"
fn name(checklist: &Checklist) -> String {
    format!("Checklist {} {}", checklist.id, checklist.version)
}

/// What a last usable day known only by its month says so.
fn month_only(until: Day) -> &'static str {
    if until.approximate {
        " (AWS names only the month)"
    } else {
        ""
    }
}

/// A checklist with no known end, last verified a release cycle ago (or never).
fn unverified(checklist: &Checklist, today: Date, out: &mut Collector) {
    let age = checklist.last_verified.map(|v| v.days_until(today));
    if age.is_some_and(|a| a <= VERIFIED_FOR_DAYS) {
        return;
    }
    let released = checklist
        .released
        .map_or(String::new(), |r| format!(" (released {r})"));
    let verified = match (checklist.last_verified, age) {
        (Some(v), Some(a)) => {
            format!("it was last verified as AWS's current version on {v}, {a} days ago")
        }
        _ => "it was never verified as AWS's current version".to_string(),
    };
    out.push(
        Severity::Warning,
        Code::ChecklistUnverified,
        None,
        format!(
            "{}{released} has no known end date, and {verified}; AWS releases checklists about every six months.",
            name(checklist)
        ),
        Fix::say(
            "Check Partner Central for a newer release of this checklist; if there is one, install it (",
        )
        .naming(Command::ChecklistsScaffold)
        .and(", then ")
        .naming(Command::ChecklistsAdd)
        .and(") and move to it with ")
        .naming(Command::Migrate { to: None })
        .and("."),
    );
}

/// A checklist past its last usable day, by what that means for a submission.
fn expired(cx: &Cx, checklist: &Checklist, until: Day, why: Ended, out: &mut Collector) {
    let name = name(checklist);
    let month_only = month_only(until);
    let go_on = |yes: &str| Command::set(Setting::AcceptPastWindow, Arg::word(yes));
    let (severity, message, fix) = match why {
        Ended::GoingOn => (
            Severity::Warning,
            format!(
                "{name} was usable until {until}{month_only}; the project records the choice to use it past that, and AWS may still send the submission back."
            ),
            Fix::say("Move to the newer release as soon as it is installed (")
                .naming(Command::ChecklistsAdd)
                .and(", then ")
                .naming(Command::migrate_to_any())
                .and("), then drop the choice")
                .then(go_on("no")),
        ),
        Ended::Uncertain => (
            Severity::Warning,
            format!(
                "{name} was usable until {until}: AWS's page named only the month, and no newer release of it is installed. {WHERE_AWS_PUBLISHES}; your PSA or PDM can confirm which version AWS accepts now."
            ),
            Fix::say(
                "Go on with this version (in the wizard: Enter on this finding), or install a newer release if AWS has one (",
            )
            .naming(Command::ChecklistsAdd)
            .and("); on the command line")
            .then(go_on("yes")),
        ),
        Ended::StillAccepted(day) => {
            let newer = cx
                .library
                .newer(checklist, cx.today)
                .map_or_else(String::new, Checklist::spec);
            (
                Severity::Warning,
                format!(
                    "{name} was usable until {until}{month_only}; {newer} is installed and says AWS still accepts {} until {day}.",
                    checklist.version
                ),
                Fix::run(
                    "Move the answers to it before then",
                    Command::Migrate {
                        to: Some(Arg::Word(newer)),
                    },
                ),
            )
        }
        Ended::Closed => (
            Severity::Error,
            format!(
                "{name} was usable until {until}{month_only}; AWS no longer accepts submissions on it."
            ),
            Fix::say("Install the current release (")
                .naming(Command::ChecklistsAdd)
                .and(") and move the answers to it (")
                .naming(Command::migrate_to_any())
                .and("); if AWS told you this version is still accepted, record that choice")
                .then(go_on("yes")),
        ),
    };
    out.push(severity, Code::ChecklistExpired, None, message, fix);
}

/// A checklist within its last 30 days.
fn expiring(checklist: &Checklist, until: Day, left: i64, out: &mut Collector) {
    let when = match left {
        0 => "today is its last day".to_string(),
        1 => "1 day left".to_string(),
        n => format!("{n} days left"),
    };
    out.push(
        Severity::Warning,
        Code::ChecklistExpiring,
        None,
        format!(
            "{} is usable until {until}{}, {when}; a submission on it after that is sent back.",
            name(checklist),
            month_only(until)
        ),
        Fix::say("Submit before then, or install the newer release (")
            .naming(Command::ChecklistsAdd)
            .and(") and move the answers to it with ")
            .naming(Command::Migrate { to: None })
            .and("."),
    );
}

/// A newer release of the checklist is installed and released.
pub(super) fn newer(cx: &mut Cx, checklist: &Checklist, out: &mut Collector) {
    let Some(newer) = cx.library.newer(checklist, cx.today) else {
        return;
    };
    out.push(
        Severity::Warning,
        Code::ChecklistNewer,
        None,
        format!(
            "{} is installed and released; this project answers {}.",
            newer.spec(),
            checklist.spec()
        ),
        Fix::say("See what changed (")
            .naming(Command::ChecklistsDiff {
                from: checklist.spec(),
                to: newer.spec(),
            })
            .and("), then move the answers")
            .then(Command::Migrate {
                to: Some(Arg::Word(newer.spec())),
            }),
    );
}
