//! Changes to a project, named once and used by both the command line and the wizard: the
//! answer to a control here, the settings of `ftr set` in [`super::setting`], the workbook rows
//! in `rows`, the attached files in `attach` (all re-exported here).

use std::path::Path;

use super::attach::{refresh, stored_form};
use super::rows::set_status;
use super::{AnswerField, Evidence, Project, Status};
use crate::content::{Checklist, Library};
use crate::dates::Date;
use crate::error::Error;

pub use super::attach::{
    Citer, and_list, attach_file, attachments, cited_elsewhere, detach_all, detach_file,
    is_address, known_label, prepare_attachment, refresh_elsewhere, set_file_meta, set_guide_url,
};
pub use super::rows::{answer_row, find_row, row_for_choice};
pub use super::setting::{ALTERNATIVE_NOTE, Setting, settable_keys};
pub use super::{checklist_for, current_checklist, parse_yes_no};

/// Sets one profile, delivery, scoping or prerequisite field named by its command-line `key`
/// (see [`Setting::parse`]). Returns a line saying what changed.
pub fn set(
    project: &mut Project,
    library: &Library,
    key: &str,
    value: &str,
) -> Result<String, Error> {
    Setting::parse(key, library, project)?.apply(project, library, value)
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

impl AnswerChange {
    /// The new text this change gives `field`, if it sets one.
    pub fn text(&self, field: AnswerField) -> Option<&String> {
        match field {
            AnswerField::Response => self.response.as_ref(),
            AnswerField::Notes => self.notes.as_ref(),
            AnswerField::Reason => self.reason.as_ref(),
            AnswerField::PlanWhat => self.plan_what.as_ref(),
            AnswerField::PlanOwner => self.plan_owner.as_ref(),
        }
    }
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
        Error::input(
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
    for field in AnswerField::ALL {
        if let Some(t) = change.text(field) {
            field.text_mut(answer).clone_from(t);
        }
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
            return Err(Error::input(
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
