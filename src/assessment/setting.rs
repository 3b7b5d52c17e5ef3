//! What `ftr set KEY VALUE` sets, as a type: the key is read once, where it comes in, into a
//! [`Setting`], and the change is made by matching on it. The wizard names its settings by the
//! same keys, through [`super::edit::set`].

use super::attach::{detach_all, is_address, set_guide_url};
use super::deadlines::Outcome;
use super::rows::answer_row;
use super::{
    PrereqAnswer, Project, Slot, checklist_for, current_checklist, is_unset, parse_yes_no,
};
use crate::content::{Checklist, Library, Model, PrerequisiteKind};
use crate::dates::Date;
use crate::error::Error;

/// What choosing the alternative path should know: who it is for, what the reviewer may still
/// ask (no AWS text confirms it), and whose its check ids are.
pub const ALTERNATIVE_NOTE: &str = "the alternative path is for partner-hosted products only. \
Not confirmed in AWS text: the reviewer may still ask for the hosting model (HOST-001), the \
support plan (SUP-001), the architecture review items (WAFR-001, WAFR-002), the cross-account \
controls (CAA-*), the CIS scan report and the architecture diagram. Its check ids (SOC-00x, \
WAFR-FTR-00x) are this tool's own, and every export marks them so.";

/// The keys of `ftr set` that name one field each, in the order help lists them.
const FIXED_KEYS: [&str; 13] = [
    "company",
    "product",
    "contact.name",
    "contact.email",
    "waiver",
    "model",
    "accept-past-window",
    "diagram",
    "template",
    "security-report",
    "submitted",
    "outcome",
    "reviewed",
];

/// One thing `ftr set` sets, with what names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// The company of the profile (`company`).
    Company,
    /// The product of the profile (`product`).
    Product,
    /// The contact's name (`contact.name`; `short` when it was named `contact`).
    ContactName { short: bool },
    /// The contact's email address (`contact.email`; `short` when it was named `email`).
    ContactEmail { short: bool },
    /// Whether the product may take the alternative path (`waiver`).
    Waiver,
    /// The delivery model, which picks the checklist (`model`).
    Model,
    /// Going on with the loaded checklist after its last usable day (`accept-past-window`).
    AcceptPastWindow,
    /// The day the submission went in (`submitted`).
    Submitted,
    /// The day the review came back (`reviewed`).
    Reviewed,
    /// What the review said (`outcome`).
    Outcome,
    /// A slot of the upload form (`diagram`, `security-report`, …): cleared, or the deployment
    /// guide's address; its files are attached by the command line.
    Slot(Slot),
    /// The answer to the scoping question with this id (`scoping.ID`).
    Scoping(String),
    /// The answer to the prerequisite with this id (`prereq.ID`).
    Prereq(String),
    /// The workbook row with this id of the project's checklist (`HOST-001.1`, any letter case).
    Row(String),
}

impl Setting {
    /// The setting a command-line `key` names. A workbook row of the project's checklist is
    /// looked for first, then an upload slot, a field, a scoping question or a prerequisite;
    /// an unknown key is an error that lists the keys there are.
    pub fn parse(key: &str, library: &Library, project: &Project) -> Result<Setting, Error> {
        if let Some(checklist) = current_checklist(project, library)
            && let Some(row) = checklist
                .sheet_rows
                .iter()
                .find(|r| r.id.eq_ignore_ascii_case(key))
        {
            return Ok(Setting::Row(row.id.clone()));
        }
        if let Some(slot) = Slot::from_key(key) {
            return Ok(Setting::Slot(slot));
        }
        let setting = match key {
            "company" => Setting::Company,
            "product" => Setting::Product,
            "contact.name" => Setting::ContactName { short: false },
            "contact" => Setting::ContactName { short: true },
            "contact.email" => Setting::ContactEmail { short: false },
            "email" => Setting::ContactEmail { short: true },
            "waiver" => Setting::Waiver,
            "submitted" => Setting::Submitted,
            "reviewed" => Setting::Reviewed,
            "outcome" => Setting::Outcome,
            "accept-past-window" | "accept_past_window" => Setting::AcceptPastWindow,
            "model" => Setting::Model,
            _ => {
                if let Some(id) = key.strip_prefix("scoping.") {
                    Setting::Scoping(id.to_string())
                } else if let Some(id) = key.strip_prefix("prereq.") {
                    Setting::Prereq(id.to_string())
                } else {
                    return Err(unknown(key, library, project));
                }
            }
        };
        Ok(setting)
    }

    /// The key that names the setting, as it was typed.
    pub fn key(&self) -> String {
        match self {
            Setting::Company => "company".into(),
            Setting::Product => "product".into(),
            Setting::ContactName { short: true } => "contact".into(),
            Setting::ContactName { short: false } => "contact.name".into(),
            Setting::ContactEmail { short: true } => "email".into(),
            Setting::ContactEmail { short: false } => "contact.email".into(),
            Setting::Waiver => "waiver".into(),
            Setting::Model => "model".into(),
            Setting::AcceptPastWindow => "accept-past-window".into(),
            Setting::Submitted => "submitted".into(),
            Setting::Reviewed => "reviewed".into(),
            Setting::Outcome => "outcome".into(),
            Setting::Slot(slot) => slot.key().into(),
            Setting::Scoping(id) => format!("scoping.{id}"),
            Setting::Prereq(id) => format!("prereq.{id}"),
            Setting::Row(id) => id.clone(),
        }
    }

    /// Sets it to `value` (`unset` clears what can be cleared). Returns a line saying what
    /// changed; a value that does not read changes nothing.
    pub fn apply(
        &self,
        project: &mut Project,
        library: &Library,
        value: &str,
    ) -> Result<String, Error> {
        match self {
            Setting::Company => Ok(self.put_text(&mut project.profile.company, value)),
            Setting::Product => Ok(self.put_text(&mut project.profile.product, value)),
            Setting::ContactName { .. } => {
                Ok(self.put_text(&mut project.profile.contact_name, value))
            }
            Setting::ContactEmail { .. } => {
                Ok(self.put_text(&mut project.profile.contact_email, value))
            }
            Setting::Waiver => set_waiver(project, value),
            Setting::Model => set_model(project, library, value),
            Setting::AcceptPastWindow => accept_past_window(project, library, value),
            Setting::Submitted => set_submitted(project, value),
            Setting::Reviewed => set_reviewed(project, value),
            Setting::Outcome => set_outcome(project, value),
            Setting::Slot(slot) => set_slot(project, *slot, value),
            Setting::Scoping(id) => set_scoping(project, library, id, value),
            Setting::Prereq(id) => set_prereq(project, library, id, value),
            Setting::Row(id) => set_row(project, library, id, value),
        }
    }

    /// Puts `value` (trimmed) into `field`, a text of the profile.
    fn put_text(&self, field: &mut String, value: &str) -> String {
        *field = value.trim().to_string();
        format!("{}: {}", self.key(), value.trim())
    }
}

/// Every key `ftr set` understands, for help and error messages.
pub fn settable_keys(library: &Library, project: &Project) -> Vec<String> {
    let mut keys: Vec<String> = FIXED_KEYS.iter().map(|s| s.to_string()).collect();
    let checklists: Vec<&Checklist> = match current_checklist(project, library) {
        Some(c) => vec![c],
        None => library.checklists.iter().collect(),
    };
    for c in checklists {
        keys.extend(c.scoping.iter().map(|q| format!("scoping.{}", q.id)));
        for r in c.sheet_rows.iter().filter(|r| r.scoping.is_none()) {
            if !keys.contains(&r.id) {
                keys.push(r.id.clone());
            }
        }
    }
    keys.extend(
        library
            .prerequisites
            .iter()
            .map(|p| format!("prereq.{}", p.id)),
    );
    keys
}

/// The error for a key `ftr set` does not know, with the keys it does.
fn unknown(key: &str, library: &Library, project: &Project) -> Error {
    Error::usage(
        format!("unknown key `{key}`"),
        format!(
            "the keys are: {}",
            settable_keys(library, project).join(", ")
        ),
    )
}

/// `waiver`: yes, no or unset.
fn set_waiver(project: &mut Project, value: &str) -> Result<String, Error> {
    project.delivery.holds_soc2_or_wafr = if is_unset(value) {
        None
    } else {
        Some(parse_yes_no(value).ok_or_else(|| {
            Error::input(
                format!("`{value}` is not an answer for waiver"),
                "answer yes or no (or unset): is the product partner-hosted, and do you hold a current SOC 2 Type II report or a WAFR from the last 12 months?",
            )
        })?)
    };
    Ok(format!("waiver: {}", value.trim()))
}

/// A day of the review cycle (`submitted`, `reviewed`), or none when unset.
fn review_day(key: &str, value: &str) -> Result<Option<Date>, Error> {
    if is_unset(value) {
        return Ok(None);
    }
    let day = Date::parse(value).ok_or_else(|| {
        Error::input(
            format!("`{value}` is not a date for {key}"),
            "write it as YYYY-MM-DD, e.g. 2026-12-01 (or unset)",
        )
    })?;
    Ok(Some(day))
}

/// "submitted: 2026-12-01", "reviewed: unset"
fn day_line(key: &str, day: Option<Date>) -> String {
    format!("{key}: {}", day.map_or("unset".into(), |d| d.to_string()))
}

/// `submitted`: a submission after the last review starts a new cycle, its outcome pending.
fn set_submitted(project: &mut Project, value: &str) -> Result<String, Error> {
    let day = review_day("submitted", value)?;
    let after_review = match (day, project.submission.reviewed) {
        (Some(d), Some(r)) => d > r,
        _ => false,
    };
    if after_review {
        project.submission.outcome = Some(Outcome::Pending);
        project.submission.reviewed = None;
    }
    project.submission.submitted = day;
    Ok(day_line("submitted", day))
}

/// `reviewed`: the day the review came back.
fn set_reviewed(project: &mut Project, value: &str) -> Result<String, Error> {
    let day = review_day("reviewed", value)?;
    project.submission.reviewed = day;
    Ok(day_line("reviewed", day))
}

/// `outcome`: pending, approved, findings or unset.
fn set_outcome(project: &mut Project, value: &str) -> Result<String, Error> {
    project.submission.outcome = if is_unset(value) {
        None
    } else {
        Some(Outcome::parse(value).ok_or_else(|| {
            Error::input(
                format!("`{value}` is not a review outcome"),
                "use pending, approved or findings (or unset), with the day it came: ftr set reviewed YYYY-MM-DD",
            )
        })?)
    };
    Ok(format!("outcome: {}", value.trim()))
}

/// `accept-past-window`: yes records the choice to go on with the loaded checklist's version
/// after its last usable day; no (or unset) drops it.
fn accept_past_window(
    project: &mut Project,
    library: &Library,
    value: &str,
) -> Result<String, Error> {
    let Some(checklist) = current_checklist(project, library) else {
        return Err(Error::blocked(
            "no checklist is chosen, so there is no window to accept",
            "choose the delivery model first: ftr set model partner-hosted|customer-deployed|alternative",
        ));
    };
    let yes = if is_unset(value) {
        false
    } else {
        parse_yes_no(value).ok_or_else(|| {
            Error::input(
                format!("`{value}` is not an answer for accept-past-window"),
                "answer yes (go on using the loaded checklist after its last usable day) or no",
            )
        })?
    };
    if !yes {
        project.delivery.accept_past_window.clear();
        return Ok("accept-past-window: no".into());
    }
    project.delivery.accept_past_window = checklist.version.clone();
    let until = checklist
        .usable_until
        .map_or("no end date is known".to_string(), |u| {
            format!("it is usable until {u}")
        });
    Ok(format!(
        "accept-past-window: yes, for {} {} ({until})",
        checklist.id, checklist.version
    ))
}

/// `model`: chooses (and confirms) the delivery model and its checklist.
fn set_model(project: &mut Project, library: &Library, value: &str) -> Result<String, Error> {
    let model = Model::parse(value.trim()).ok_or_else(|| {
        Error::input(
            format!("`{value}` is not a delivery model"),
            "use partner-hosted, customer-deployed or alternative",
        )
    })?;
    // The same model keeps the version the answers were given against while it is
    // installed: moving to a newer one is `ftr migrate`, which flags what changed.
    let pinned = (project.delivery.model == Some(model))
        .then(|| library.version(&project.delivery.checklist, &project.delivery.version))
        .flatten()
        .filter(|c| c.model == model);
    let checklist = match pinned {
        Some(c) => c,
        None => checklist_for(library, model)?,
    };
    project.choose_model(checklist, true);
    let mut line = format!(
        "model: {model} (checklist {} {}), confirmed",
        checklist.id, checklist.version
    );
    if model == Model::Alternative {
        line.push_str(&format!("\nnote: {ALTERNATIVE_NOTE}"));
    }
    Ok(line)
}

/// A slot of the upload form: `unset` detaches its files, an address gives the deployment
/// guide; a file is attached by the command line, which fingerprints it.
fn set_slot(project: &mut Project, slot: Slot, value: &str) -> Result<String, Error> {
    if is_unset(value) {
        return Ok(detach_all(project, slot));
    }
    if slot == Slot::DeploymentGuide && is_address(value) {
        return set_guide_url(project, value);
    }
    Err(Error::usage(
        format!(
            "{} takes a file, fingerprinted when it is attached",
            slot.key()
        ),
        format!("attach it with: ftr set {} FILE", slot.key()),
    ))
}

/// `scoping.ID`: yes, no or unset, for a question of the project's checklist (or of any
/// checklist while none is chosen).
fn set_scoping(
    project: &mut Project,
    library: &Library,
    id: &str,
    value: &str,
) -> Result<String, Error> {
    let key = format!("scoping.{id}");
    let known = match current_checklist(project, library) {
        Some(c) => c.scoping_question(id).is_some(),
        None => library
            .checklists
            .iter()
            .any(|c| c.scoping_question(id).is_some()),
    };
    if !known {
        return Err(unknown(&key, library, project));
    }
    if is_unset(value) {
        project.scoping.remove(id);
        return Ok(format!("{key}: unanswered"));
    }
    let yes = parse_yes_no(value).ok_or_else(|| {
        Error::input(
            format!("`{value}` is not an answer for {key}"),
            "answer yes or no (or unset)",
        )
    })?;
    project.scoping.insert(id.to_string(), yes);
    Ok(format!("{key}: {}", if yes { "yes" } else { "no" }))
}

/// `prereq.ID`: yes or no, or a count, as the prerequisite asks; or unset.
fn set_prereq(
    project: &mut Project,
    library: &Library,
    id: &str,
    value: &str,
) -> Result<String, Error> {
    let key = format!("prereq.{id}");
    let Some(p) = library.prerequisite(id) else {
        return Err(unknown(&key, library, project));
    };
    if is_unset(value) {
        project.prerequisites.remove(id);
        return Ok(format!("{key}: unanswered"));
    }
    let answer = match p.kind {
        PrerequisiteKind::YesNo => PrereqAnswer::Yes(parse_yes_no(value).ok_or_else(|| {
            Error::input(
                format!("`{value}` is not an answer for {key}"),
                "answer yes or no (or unset)",
            )
        })?),
        PrerequisiteKind::Count => PrereqAnswer::Count(value.trim().parse().map_err(|_| {
            Error::input(
                format!("`{value}` is not a count for {key}"),
                "give a whole number, e.g. 12 (or unset)",
            )
        })?),
    };
    project.prerequisites.insert(id.to_string(), answer);
    Ok(format!("{key}: {value}"))
}

/// A workbook row of the project's checklist, answered with one of its choices.
fn set_row(
    project: &mut Project,
    library: &Library,
    id: &str,
    value: &str,
) -> Result<String, Error> {
    let found = current_checklist(project, library).and_then(|checklist| {
        let row = checklist
            .sheet_rows
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))?;
        Some((checklist, row))
    });
    match found {
        Some((checklist, row)) => answer_row(project, checklist, row, value),
        None => Err(unknown(id, library, project)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_read_once_into_its_setting_and_named_as_typed() {
        let library = Library::embedded().expect("the built-in content loads");
        let project = Project::new();
        let cases = [
            ("company", Setting::Company),
            ("contact", Setting::ContactName { short: true }),
            ("contact.email", Setting::ContactEmail { short: false }),
            ("accept_past_window", Setting::AcceptPastWindow),
            ("security_reports", Setting::Slot(Slot::SecurityReport)),
            (
                "scoping.stores_secrets",
                Setting::Scoping("stores_secrets".into()),
            ),
            ("prereq.ace_terms", Setting::Prereq("ace_terms".into())),
        ];
        for (key, want) in cases {
            let got = Setting::parse(key, &library, &project).expect(key);
            assert_eq!(got, want, "{key}");
        }
        assert_eq!(
            Setting::ContactName { short: true }.key(),
            "contact",
            "the short key is said back as typed"
        );
        let err = Setting::parse("nonsense", &library, &project).expect_err("unknown");
        assert!(err.to_string().contains("unknown key `nonsense`"), "{err}");
    }

    #[test]
    fn a_setting_of_the_profile_changes_its_field() {
        let library = Library::embedded().expect("the built-in content loads");
        let mut project = Project::new();
        let line = Setting::ContactEmail { short: true }
            .apply(&mut project, &library, " dana@acme.example ")
            .expect("a text is taken as it is");
        assert_eq!(line, "email: dana@acme.example");
        assert_eq!(project.profile.contact_email, "dana@acme.example");
    }
}
