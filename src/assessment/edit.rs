//! Changes to a project, named once and used by both the command line and the wizard.

use std::path::Path;

use super::evidence::human_size;
use super::{Evidence, PrereqAnswer, Project, Slot, Status};
use crate::content::{Checklist, Library, Model, PrerequisiteKind, SheetRow};
use crate::dates::Date;
use crate::error::Error;

/// What choosing the alternative path should know: who it is for, what the reviewer may still
/// ask (no AWS text confirms it), and whose its check ids are.
pub const ALTERNATIVE_NOTE: &str = "the alternative path is for partner-hosted products only. \
Not confirmed in AWS text: the reviewer may still ask for the hosting model (HOST-001), the \
support plan (SUP-001), the architecture review items (WAFR-001, WAFR-002), the cross-account \
controls (CAA-*), the CIS scan report and the architecture diagram. Its check ids (SOC-00x, \
WAFR-FTR-00x) are this tool's own, and every export marks them so.";

/// Every key `ftr set` understands, for help and error messages.
pub fn settable_keys(library: &Library, project: &Project) -> Vec<String> {
    let mut keys: Vec<String> = [
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
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
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

/// The checklist the project answers, if its model is chosen and loaded: the version the
/// project names where it is installed, else the one in use for the model.
pub fn current_checklist<'a>(project: &Project, library: &'a Library) -> Option<&'a Checklist> {
    let model = project.delivery.model?;
    let d = &project.delivery;
    library
        .checklist(&d.checklist)
        .filter(|c| c.version == d.version)
        .or_else(|| library.version(&d.checklist, &d.version))
        .or_else(|| library.checklist(&d.checklist))
        .filter(|c| c.model == model)
        .or_else(|| library.for_model(model))
}

/// The checklist for a delivery model, or an error that says how to get one.
pub fn checklist_for(library: &Library, model: Model) -> Result<&Checklist, Error> {
    library.for_model(model).ok_or_else(|| {
        Error::usage(
            format!("no checklist is loaded for the {model} model"),
            "load content that has one with --content DIR",
        )
    })
}

/// Reads yes/no words: yes, no, y, n, true, false.
pub fn parse_yes_no(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "on" => Some(true),
        "no" | "n" | "false" | "off" => Some(false),
        _ => None,
    }
}

fn is_unset(value: &str) -> bool {
    matches!(value.trim(), "unset" | "unanswered" | "")
}

/// Sets one profile, delivery, scoping or prerequisite field. Returns a line saying what
/// changed.
pub fn set(
    project: &mut Project,
    library: &Library,
    key: &str,
    value: &str,
) -> Result<String, Error> {
    let unknown = |project: &Project| {
        Error::usage(
            format!("unknown key `{key}`"),
            format!(
                "the keys are: {}",
                settable_keys(library, project).join(", ")
            ),
        )
    };
    let text = value.trim().to_string();
    if let Some(checklist) = current_checklist(project, library)
        && let Some(row) = checklist
            .sheet_rows
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(key))
    {
        return answer_row(project, checklist, row, value);
    }
    if let Some(slot) = Slot::from_key(key) {
        if is_unset(value) {
            return Ok(detach_all(project, slot));
        }
        if slot == Slot::DeploymentGuide && is_address(value) {
            return set_guide_url(project, value);
        }
        return Err(Error::usage(
            format!(
                "{} takes a file, fingerprinted when it is attached",
                slot.key()
            ),
            format!("attach it with: ftr set {} FILE", slot.key()),
        ));
    }
    match key {
        "company" => project.profile.company = text,
        "product" => project.profile.product = text,
        "contact.name" | "contact" => project.profile.contact_name = text,
        "contact.email" | "email" => project.profile.contact_email = text,
        "waiver" => {
            project.delivery.holds_soc2_or_wafr = if is_unset(value) {
                None
            } else {
                Some(parse_yes_no(value).ok_or_else(|| {
                    Error::usage(
                        format!("`{value}` is not an answer for waiver"),
                        "answer yes or no (or unset): is the product partner-hosted, and do you hold a current SOC 2 Type II report or a WAFR from the last 12 months?",
                    )
                })?)
            };
        }
        "submitted" | "reviewed" => {
            let day = if is_unset(value) {
                None
            } else {
                Some(Date::parse(value).ok_or_else(|| {
                    Error::usage(
                        format!("`{value}` is not a date for {key}"),
                        "write it as YYYY-MM-DD, e.g. 2026-12-01 (or unset)",
                    )
                })?)
            };
            if key == "submitted" {
                // A submission after the last review starts a new cycle: its outcome is pending.
                let after_review = match (day, project.submission.reviewed) {
                    (Some(d), Some(r)) => d > r,
                    _ => false,
                };
                if after_review {
                    project.submission.outcome = Some(super::deadlines::Outcome::Pending);
                    project.submission.reviewed = None;
                }
                project.submission.submitted = day;
            } else {
                project.submission.reviewed = day;
            }
            return Ok(format!(
                "{key}: {}",
                day.map_or("unset".into(), |d| d.to_string())
            ));
        }
        "outcome" => {
            project.submission.outcome = if is_unset(value) {
                None
            } else {
                Some(super::deadlines::Outcome::parse(value).ok_or_else(|| {
                    Error::usage(
                        format!("`{value}` is not a review outcome"),
                        "use pending, approved or findings (or unset), with the day it came: ftr set reviewed YYYY-MM-DD",
                    )
                })?)
            };
        }

        "accept-past-window" | "accept_past_window" => {
            let Some(checklist) = current_checklist(project, library) else {
                return Err(Error::usage(
                    "no checklist is chosen, so there is no window to accept",
                    "choose the delivery model first: ftr set model partner-hosted|customer-deployed|alternative",
                ));
            };
            let yes = if is_unset(value) {
                false
            } else {
                parse_yes_no(value).ok_or_else(|| {
                    Error::usage(
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
            return Ok(format!(
                "accept-past-window: yes, for {} {} ({until})",
                checklist.id, checklist.version
            ));
        }
        "model" => {
            let model = Model::parse(value.trim()).ok_or_else(|| {
                Error::usage(
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
            return Ok(line);
        }
        _ => {
            if let Some(id) = key.strip_prefix("scoping.") {
                let known = match current_checklist(project, library) {
                    Some(c) => c.scoping_question(id).is_some(),
                    None => library
                        .checklists
                        .iter()
                        .any(|c| c.scoping_question(id).is_some()),
                };
                if !known {
                    return Err(unknown(project));
                }
                if is_unset(value) {
                    project.scoping.remove(id);
                    return Ok(format!("{key}: unanswered"));
                }
                let yes = parse_yes_no(value).ok_or_else(|| {
                    Error::usage(
                        format!("`{value}` is not an answer for {key}"),
                        "answer yes or no (or unset)",
                    )
                })?;
                project.scoping.insert(id.to_string(), yes);
                return Ok(format!("{key}: {}", if yes { "yes" } else { "no" }));
            }
            if let Some(id) = key.strip_prefix("prereq.") {
                let p = library.prerequisite(id).ok_or_else(|| unknown(project))?;
                if is_unset(value) {
                    project.prerequisites.remove(id);
                    return Ok(format!("{key}: unanswered"));
                }
                let answer = match p.kind {
                    PrerequisiteKind::YesNo => {
                        PrereqAnswer::Yes(parse_yes_no(value).ok_or_else(|| {
                            Error::usage(
                                format!("`{value}` is not an answer for {key}"),
                                "answer yes or no (or unset)",
                            )
                        })?)
                    }
                    PrerequisiteKind::Count => {
                        PrereqAnswer::Count(value.trim().parse().map_err(|_| {
                            Error::usage(
                                format!("`{value}` is not a count for {key}"),
                                "give a whole number, e.g. 12 (or unset)",
                            )
                        })?)
                    }
                };
                project.prerequisites.insert(id.to_string(), answer);
                return Ok(format!("{key}: {value}"));
            }
            return Err(unknown(project));
        }
    }
    Ok(format!("{key}: {}", value.trim()))
}

/// What one `ftr answer` (or one wizard edit) changes; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct AnswerChange {
    pub status: Option<Status>,
    pub response: Option<String>,
    pub reason: Option<String>,
    pub notes: Option<String>,
    pub plan_what: Option<String>,
    pub plan_owner: Option<String>,
    pub plan_due: Option<Option<Date>>,
    pub add_evidence: Vec<Evidence>,
    /// Paths as typed or as stored.
    pub remove_evidence: Vec<String>,
    /// Required values as (key, value) typed; an empty value clears the key.
    pub values: Vec<(String, String)>,
    /// The answer was looked at again after its control was reworded.
    pub reviewed: bool,
}

/// Finds the control `id` (any letter case) of `checklist`, or says which ids exist.
pub fn find_control<'a>(
    checklist: &'a Checklist,
    id: &str,
) -> Result<&'a crate::content::Control, Error> {
    checklist.control(id).ok_or_else(|| {
        let prefix: String = id
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_uppercase();
        let near: Vec<&str> = checklist
            .controls
            .iter()
            .filter(|c| !prefix.is_empty() && c.id.starts_with(&prefix))
            .map(|c| c.id.as_str())
            .collect();
        let hint = if near.is_empty() {
            format!(
                "`ftr status` lists the {} controls of {}",
                checklist.controls.len(),
                checklist.id
            )
        } else {
            format!("did you mean one of: {}", near.join(", "))
        };
        Error::usage(
            format!("checklist {} has no control `{id}`", checklist.id),
            hint,
        )
    })
}

/// Applies `change` to the answer of `control_id`. Evidence already attached under the same
/// path is replaced (a fresh fingerprint), never listed twice.
pub fn apply_answer(
    project: &mut Project,
    checklist: &Checklist,
    control_id: &str,
    change: AnswerChange,
    project_dir: &Path,
) -> Result<(), Error> {
    // Values are checked before anything changes, so a refused one changes nothing.
    let mut values = Vec::with_capacity(change.values.len());
    if !change.values.is_empty() {
        let control = find_control(checklist, control_id)?;
        let held = project.answer(&checklist.id, &control.id);
        for (key, typed) in &change.values {
            values.push(super::values::check_change(control, held, key, typed)?);
        }
    }
    let answer = project.answer_mut(&checklist.id, control_id);
    for (key, value) in values {
        match value {
            Some(v) => answer.values.insert(key, v),
            None => answer.values.remove(&key),
        };
    }
    // A reworded control's answer is reviewed once it is confirmed or changed.
    if change.reviewed || change.status.is_some() || change.response.is_some() {
        answer.review.clear();
    }
    if let Some(s) = change.status {
        set_status(answer, s);
    }
    if let Some(t) = change.response {
        answer.response = t;
    }
    if let Some(t) = change.reason {
        answer.reason = t;
    }
    if let Some(t) = change.notes {
        answer.notes = t;
    }
    if let Some(t) = change.plan_what {
        answer.remediation.what = t;
    }
    if let Some(t) = change.plan_owner {
        answer.remediation.owner = t;
    }
    if let Some(d) = change.plan_due {
        answer.remediation.due = d;
    }
    let project_dir = super::evidence::absolute(project_dir)?;
    for typed in &change.remove_evidence {
        let before = answer.evidence.len();
        let as_stored = stored_form(typed, &project_dir);
        answer
            .evidence
            .retain(|e| e.path != *typed && e.path != as_stored);
        if answer.evidence.len() == before {
            let attached: Vec<&str> = answer.evidence.iter().map(|e| e.path.as_str()).collect();
            let hint = if attached.is_empty() {
                "it has no evidence".to_string()
            } else {
                format!("attached: {}", attached.join(", "))
            };
            project.tidy(&checklist.id, control_id);
            return Err(Error::usage(
                format!("{control_id} has no evidence `{typed}`"),
                hint,
            ));
        }
    }
    let added = change.add_evidence.clone();
    for new in change.add_evidence {
        match answer.evidence.iter_mut().find(|e| e.path == new.path) {
            Some(old) => refresh(old, new),
            None => answer.evidence.push(new),
        }
    }
    let here = Citer::Control {
        checklist: checklist.id.clone(),
        id: control_id.to_string(),
    };
    for new in &added {
        refresh_elsewhere(project, &here, new);
    }
    project.tidy(&checklist.id, control_id);
    Ok(())
}

/// Gives `answer` the status `s`. A status leaves behind no field it does not use: the reason
/// belongs to not applicable, the plan to not met; neither stays hidden in the file or the
/// bundle.
fn set_status(answer: &mut super::Answer, s: Status) {
    if s != Status::NotApplicable {
        answer.reason.clear();
    }
    if s != Status::NotMet {
        answer.remediation = Default::default();
    }
    answer.status = s;
}

/// The workbook row `id` of `checklist`, or an error that lists the rows there are.
pub fn find_row<'a>(checklist: &'a Checklist, id: &str) -> Result<&'a SheetRow, Error> {
    if let Some(row) = checklist.row(id) {
        return Ok(row);
    }
    if !checklist.has_rows() {
        return Err(Error::usage(
            format!(
                "checklist {} has no workbook rows, so no row `{id}`",
                checklist.id
            ),
            "its controls are answered with a status: ftr answer ID --status met|not-met|na",
        ));
    }
    let parent = id.rsplit_once('.').map_or(id, |(p, _)| p);
    let hint = match checklist.control(parent) {
        Some(c) => format!(
            "{} is answered in the rows {}",
            c.id,
            c.rows
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "a row is a control's id and its number, e.g. HOST-001.1; the workbook's own rows are {}",
            checklist
                .sheet_rows
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(Error::usage(
        format!("checklist {} has no workbook row `{id}`", checklist.id),
        hint,
    ))
}

/// The row a `--choice` answers when the command names `id`: the row itself, or the one row of
/// a control a person answers.
pub fn row_for_choice<'a>(checklist: &'a Checklist, id: &str) -> Result<&'a SheetRow, Error> {
    if let Some(control) = checklist.control(id) {
        return match control.rows.as_slice() {
            [one] => Ok(one),
            [] if control.rows.is_empty() => Err(Error::usage(
                format!("{} has no workbook rows to choose in", control.id),
                "answer it with a status: ftr answer ID --status met|not-met|na",
            )),
            _ => Err(Error::usage(
                format!("{} is answered in several rows", control.id),
                format!(
                    "name the row: {}",
                    control
                        .rows
                        .iter()
                        .map(|r| r.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        };
    }
    find_row(checklist, id)
}

/// Answers the workbook row `row` of `checklist` with `typed` (a choice of its list in any
/// letter case, its key, or `unset`). A row that follows a scoping question answers that
/// question; a control's row gives the control the status its rows now come to. Returns lines
/// saying what changed; a choice the list lacks changes nothing.
pub fn answer_row(
    project: &mut Project,
    checklist: &Checklist,
    row: &SheetRow,
    typed: &str,
) -> Result<String, Error> {
    let choice = if is_unset(typed) {
        None
    } else {
        Some(row.choice(typed).map(str::to_string).ok_or_else(|| {
            Error::usage(
                format!("`{}` is not a choice for {}", typed.trim(), row.id),
                format!(
                    "choose {} (keys: {})",
                    row.choices.join(", "),
                    row.keyed_choices()
                ),
            )
        })?)
    };
    let shown = choice.clone().unwrap_or_else(|| "unanswered".into());
    if let Some(q) = &row.scoping {
        match &choice {
            Some(c) => project.scoping.insert(q.clone(), c == "Yes"),
            None => project.scoping.remove(q),
        };
        return Ok(format!(
            "{}: {shown} (the answer to the scoping question {q})",
            row.id
        ));
    }
    let Some(control) = checklist.row_owner(&row.id) else {
        match &choice {
            Some(c) => project.workbook.insert(row.id.clone(), c.clone()),
            None => project.workbook.remove(&row.id),
        };
        return Ok(format!("{}: {shown}", row.id));
    };
    let answer = project.answer_mut(&checklist.id, &control.id);
    match &choice {
        Some(c) => answer.rows.insert(row.id.clone(), c.clone()),
        None => answer.rows.remove(&row.id),
    };
    answer.review.clear();
    let mut out = format!("{}: {shown}", row.id);
    out.push('\n');
    out.push_str(&follow_rows(project, checklist, control));
    project.tidy(&checklist.id, &control.id);
    Ok(out)
}

/// Gives `control` the status its rows come to, once they decide it, and says so. While they
/// do not, the status stands (with its reason or plan): it is said what is left to answer.
fn follow_rows(
    project: &mut Project,
    checklist: &Checklist,
    control: &crate::content::Control,
) -> String {
    let Some(status) = super::grade::rows_status(project, checklist, control) else {
        return String::new();
    };
    if status != Status::Unanswered {
        set_status(project.answer_mut(&checklist.id, &control.id), status);
        return format!("{}: {status} (by its rows)", control.id);
    }
    let open: Vec<&str> = super::grade::open_rows(project, checklist, control)
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let held = project
        .answer(&checklist.id, &control.id)
        .map_or(Status::Unanswered, |a| a.status);
    match held {
        Status::Unanswered => format!(
            "{}: unanswered until its rows are ({} to answer)",
            control.id,
            open.join(", ")
        ),
        held => format!(
            "{}: still {held}; its rows decide once {} {} answered",
            control.id,
            open.join(", "),
            if open.len() == 1 { "is" } else { "are" }
        ),
    }
}

/// Where a file is attached: a control's evidence (of a checklist), or a slot of the upload
/// form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Citer {
    Control { checklist: String, id: String },
    Slot(Slot),
}

impl Citer {
    /// "IAM-002", "BAR-001 (customer-deployed answers)" for a control of a checklist other
    /// than `current`, "the architecture diagram", "a security tool report".
    /// IDs and checklist names come from the project file: escaped for a terminal.
    pub fn words(&self, current: Option<&str>) -> String {
        use crate::safe::terminal;
        match self {
            Citer::Control { checklist, id } if Some(checklist.as_str()) != current => {
                format!("{} ({} answers)", terminal(id), terminal(checklist))
            }
            Citer::Control { id, .. } => terminal(id).into_owned(),
            Citer::Slot(Slot::SecurityReport) => "a security tool report".into(),
            Citer::Slot(slot) => format!("the {}", slot.name()),
        }
    }
}

/// Every attachment in the project, with where it is: each control's evidence of every
/// checklist, then the upload slots.
pub fn attachments(project: &Project) -> Vec<(Citer, &Evidence)> {
    let mut out: Vec<(Citer, &Evidence)> = Vec::new();
    for (checklist, answers) in &project.answers {
        for (id, a) in answers {
            for e in &a.evidence {
                let at = Citer::Control {
                    checklist: checklist.clone(),
                    id: id.clone(),
                };
                out.push((at, e));
            }
        }
    }
    for slot in Slot::ALL {
        for e in slot.files(&project.profile) {
            out.push((Citer::Slot(slot), e));
        }
    }
    out
}

/// One file, one fingerprint: every other attachment of `new`'s file (but the one at `here`)
/// whose fingerprint differs records it anew, keeping its own label and date. An attachment
/// that already matches is left as it is, its attachment date too (its freshness counts from
/// that).
pub fn refresh_elsewhere(project: &mut Project, here: &Citer, new: &Evidence) {
    let renew = |ev: &mut Evidence| {
        if ev.path == new.path && ev.sha256 != new.sha256 {
            ev.sha256.clone_from(&new.sha256);
            ev.size = new.size;
            ev.attached = new.attached;
            ev.link_to.clone_from(&new.link_to);
            // A date given for the new content is the date of every copy of it.
            if new.produced.is_some() {
                ev.produced = new.produced;
            }
        }
    };
    for (checklist, answers) in project.answers.iter_mut() {
        for (id, a) in answers.iter_mut() {
            if matches!(here, Citer::Control { checklist: c, id: i } if c == checklist && i == id) {
                continue;
            }
            a.evidence.iter_mut().for_each(renew);
        }
    }
    for slot in Slot::ALL {
        if *here != Citer::Slot(slot) {
            slot.files_mut(&mut project.profile)
                .into_iter()
                .for_each(renew);
        }
    }
}

/// The other attachments of the file `ev` records whose fingerprint differs, in words
/// ("IAM-002", "the architecture diagram"; a control of a checklist other than `current` names
/// it): attaching `ev` at `here` records it anew for them.
pub fn cited_elsewhere(
    project: &Project,
    here: &Citer,
    current: Option<&str>,
    ev: &Evidence,
) -> Vec<String> {
    let mut seen: Vec<Citer> = Vec::new();
    for (at, e) in attachments(project) {
        if at != *here && e.path == ev.path && e.sha256 != ev.sha256 && !seen.contains(&at) {
            seen.push(at);
        }
    }
    seen.iter().map(|at| at.words(current)).collect()
}

/// Readies `ev` to be attached at `here`: where it gives no label or date, it takes those the
/// file carries already (see [`known_label`]). Returns the other attachments of the file the
/// attachment records anew, in words.
pub fn prepare_attachment(
    project: &Project,
    here: &Citer,
    current: Option<&str>,
    ev: &mut Evidence,
) -> Vec<String> {
    let (label, produced) = known_label(project, here, ev);
    if ev.label.is_empty() {
        ev.label = label;
    }
    if ev.produced.is_none() {
        ev.produced = produced;
    }
    cited_elsewhere(project, here, current, ev)
}

/// "IAM-002 and the architecture diagram", for a message.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The label the file at `ev.path` carries already (at `here` first, else the first other
/// attachment with one), and the date it was produced where an attachment holds the same
/// content; for an attachment that gives neither.
pub fn known_label(project: &Project, here: &Citer, ev: &Evidence) -> (String, Option<Date>) {
    let all = attachments(project);
    let same: Vec<&(Citer, &Evidence)> = all.iter().filter(|(_, e)| e.path == ev.path).collect();
    let first = |keep: &dyn Fn(&Evidence) -> bool| {
        same.iter()
            .filter(|(at, e)| at == here && keep(e))
            .chain(same.iter().filter(|(at, e)| at != here && keep(e)))
            .map(|(_, e)| *e)
            .next()
    };
    let label = first(&|e| !e.label.is_empty())
        .map(|e| e.label.clone())
        .unwrap_or_default();
    let produced =
        first(&|e| e.produced.is_some() && e.sha256 == ev.sha256).and_then(|e| e.produced);
    (label, produced)
}

/// How a path typed by the user is stored: relative to `project_dir` (absolute) when under it.
fn stored_form(typed: &str, project_dir: &Path) -> String {
    super::evidence::absolute(Path::new(typed))
        .map(|abs| super::evidence::stored_path(&abs, project_dir))
        .unwrap_or_default()
}

/// Records a new fingerprint of a file attached before, keeping its label and date unless the
/// new attachment gives them.
fn refresh(old: &mut Evidence, new: Evidence) {
    let label = if new.label.is_empty() {
        std::mem::take(&mut old.label)
    } else {
        new.label.clone()
    };
    let produced = new.produced.or(old.produced);
    *old = Evidence {
        label,
        produced,
        ..new
    };
}

/// "reports/cis.csv (12.0 KB, produced 2026-11-20)"
fn file_words(ev: &Evidence) -> String {
    let mut out = format!("{} ({}", ev.path, human_size(ev.size));
    if let Some(d) = ev.produced {
        out.push_str(&format!(", produced {d}"));
    }
    out.push(')');
    out
}

/// "; 2 reports attached" after a change to the reports; nothing for the diagram.
fn slot_count(project: &Project, slot: Slot) -> String {
    if slot.single() {
        return String::new();
    }
    let n = project.profile.security_reports.len();
    format!("; {n} report{} attached", if n == 1 { "" } else { "s" })
}

/// Attaches a fingerprinted file to a slot of the upload form: the diagram is replaced, a
/// report is added. A file already attached there under the same path gets the new
/// fingerprint (its label and date kept unless given anew), never a second entry. Returns a
/// line saying what changed.
pub fn attach_file(project: &mut Project, slot: Slot, new: Evidence) -> String {
    let path = new.path.clone();
    refresh_elsewhere(project, &Citer::Slot(slot), &new);
    // A guide is a file or an address, not both.
    if slot == Slot::DeploymentGuide {
        project.profile.deployment_guide_url.clear();
    }
    slot.put(&mut project.profile, new, refresh);
    let words = slot
        .files(&project.profile)
        .iter()
        .find(|e| e.path == path)
        .map(file_words)
        .unwrap_or(path);
    format!("{}: {words}{}", slot.key(), slot_count(project, slot))
}

/// Gives the deployment guide as the public `https://` address it is published at, replacing
/// a guide file. Returns a line saying what changed; an address that is no `https://` one is
/// refused and changes nothing.
pub fn set_guide_url(project: &mut Project, typed: &str) -> Result<String, Error> {
    let url = crate::content::ValueKind::Url
        .parse(typed)
        .map_err(|why| {
            Error::usage(
                format!(
                    "`{}` is not an address for the deployment guide: {why}",
                    crate::safe::terminal(typed)
                ),
                "give the public https:// address the guide is published at, or a FILE",
            )
        })?
        .canonical;
    if !url.starts_with("https://") {
        return Err(Error::usage(
            format!(
                "`{}` is not an https:// address",
                crate::safe::terminal(&url)
            ),
            "a public guide is published at an https:// address; give that, or a FILE",
        ));
    }
    project.profile.deployment_guide = None;
    project.profile.deployment_guide_url = url.clone();
    Ok(format!("deployment-guide: {url}"))
}

/// Whether `typed`, given for the deployment guide, is an address rather than a file.
pub fn is_address(typed: &str) -> bool {
    typed.trim().contains("://")
}

/// Detaches every file of a slot. Returns a line saying what changed.
pub fn detach_all(project: &mut Project, slot: Slot) -> String {
    let n = slot.files(&project.profile).len();
    slot.retain(&mut project.profile, |_| false);
    if slot == Slot::DeploymentGuide {
        project.profile.deployment_guide_url.clear();
    }
    if n == 0 || slot.single() {
        format!("{}: none", slot.key())
    } else {
        format!(
            "{}: none ({n} report{} detached)",
            slot.key(),
            if n == 1 { "" } else { "s" }
        )
    }
}

/// Detaches the file of a slot named by `typed` (a path as typed, or as stored); the file
/// itself stays on disk. An unknown path is an error that lists what is attached.
pub fn detach_file(
    project: &mut Project,
    slot: Slot,
    typed: &str,
    project_dir: &Path,
) -> Result<String, Error> {
    let as_stored = stored_form(typed, &super::evidence::absolute(project_dir)?);
    let keep = |e: &Evidence| e.path != typed && e.path != as_stored;
    let files = slot.files(&project.profile);
    if files.iter().all(keep) {
        let attached: Vec<&str> = files.iter().map(|e| e.path.as_str()).collect();
        let hint = if attached.is_empty() {
            format!("no {} is attached", slot.name())
        } else {
            format!("attached: {}", attached.join(", "))
        };
        return Err(Error::usage(
            format!("no {} `{typed}` is attached", slot.name()),
            hint,
        ));
    }
    slot.retain(&mut project.profile, keep);
    let left = if slot.single() {
        String::new()
    } else {
        let n = project.profile.security_reports.len();
        format!("; {n} report{} left", if n == 1 { "" } else { "s" })
    };
    Ok(format!("{}: detached {typed}{left}", slot.key()))
}

/// Changes the label or the produced date of a file attached to a slot (`None` leaves it).
pub fn set_file_meta(
    project: &mut Project,
    slot: Slot,
    path: &str,
    label: Option<String>,
    produced: Option<Option<Date>>,
) -> Result<(), Error> {
    let ev = slot
        .files_mut(&mut project.profile)
        .into_iter()
        .find(|e| e.path == path)
        .ok_or_else(|| {
            Error::usage(
                format!("no {} `{path}` is attached", slot.name()),
                format!("attach it first: ftr set {} FILE", slot.key()),
            )
        })?;
    if let Some(l) = label {
        ev.label = l;
    }
    if let Some(d) = produced {
        ev.produced = d;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names_from_the_file_reach_a_terminal_escaped() {
        let at = Citer::Control {
            checklist: "other\u{202e}".into(),
            id: "IAM\u{1b}[2J".into(),
        };
        let words = at.words(Some("partner-hosted"));
        assert!(
            !words.contains('\u{1b}') && !words.contains('\u{202e}'),
            "{words:?}"
        );
        assert!(
            words.starts_with("IAM") && words.ends_with(" answers)"),
            "{words}"
        );
        let plain = Citer::Control {
            checklist: "partner-hosted".into(),
            id: "IAM-001".into(),
        };
        assert_eq!(plain.words(Some("partner-hosted")), "IAM-001");
    }
}
