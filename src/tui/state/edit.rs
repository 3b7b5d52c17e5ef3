//! A change to the project as data ([`Edit`]), how one is applied, and the undo history's
//! step. Every change goes through `State::commit` (see `super::gate`), which applies it with
//! [`apply`].

use std::collections::VecDeque;
use std::path::Path;

use crate::assessment::edit::{self, AnswerChange};
use crate::assessment::migrate;
use crate::assessment::setting::Setting;
use crate::assessment::{AnswerField, Evidence, Project, Slot};
use crate::content::{Checklist, Library};
use crate::dates::Date;
use crate::error::Error;

/// A change to the project, kept as data so that it can be applied again on top of a file
/// that changed on disk.
#[derive(Debug, Clone)]
pub enum Edit {
    /// What `ftr set` sets (profile, model, scoping, prerequisites), and the value.
    Set { key: Setting, value: String },
    Answer {
        control: String,
        change: Box<AnswerChange>,
    },
    /// A row of AWS's workbook answered from its list (`ftr answer HOST-001.1 --choice yes`).
    Row { row: String, choice: String },
    /// AWS's workbook the export fills, as stored (`ftr set template FILE`); empty: none.
    Template { stored: String },
    EvidenceMeta {
        to: AttachTo,
        path: String,
        label: Option<String>,
        produced: Option<Option<Date>>,
    },
    /// A fingerprinted file for a slot of the upload form (`ftr set diagram FILE`).
    Attach { slot: Slot, evidence: Box<Evidence> },
    /// Detaches a slot's file, or all of them (`ftr set security-report --clear [FILE]`).
    Detach { slot: Slot, path: Option<String> },
    /// Moves the project to another version of its checklist (`ftr migrate --to ID@VERSION`),
    /// recorded as made on `on`.
    Migrate { to: String, on: Date },
    /// Settles the field changed two ways at `at` with `value` (`None` removes it), as
    /// `ftr resolve` does.
    Resolve {
        at: Vec<String>,
        value: Option<toml::Value>,
    },
    /// An undo or a redo: every field that differs between `from` and `to` goes to its value
    /// in `to`, unless it changed since (a three-way merge, so replaying it on a file changed
    /// meanwhile keeps what others wrote).
    Travel {
        from: Box<Project>,
        to: Box<Project>,
    },
}

/// Where an attached file goes: a control's evidence, or a slot of the upload form (the
/// architecture diagram, the security tool reports) on the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachTo {
    Control(String),
    Slot(Slot),
}

impl AttachTo {
    /// How titles and messages name it: "IAM-001", "the architecture diagram".
    pub fn describe(&self) -> String {
        match self {
            AttachTo::Control(id) => id.clone(),
            AttachTo::Slot(slot) => format!("the {}", slot.name()),
        }
    }
}

/// One step of the undo history: the project before and after a burst of changes (the keys
/// pressed without a pause), and what they changed, in words.
#[derive(Debug, Clone)]
pub struct UndoStep {
    pub before: Project,
    pub after: Project,
    pub what: Vec<String>,
}

/// How many steps the undo history keeps, and as many the redo list: past it the oldest go.
pub const HISTORY_LIMIT: usize = 1_000;

/// The undo history (or the steps undone, to redo), the latest last. It keeps at most
/// [`HISTORY_LIMIT`] steps: a step pushed beyond that drops the oldest, so a long session's
/// memory stays bounded.
#[derive(Debug, Default)]
pub struct History {
    steps: VecDeque<UndoStep>,
}

impl History {
    /// Adds `step` as the latest, dropping the oldest when the history is full.
    pub fn push(&mut self, step: UndoStep) {
        if self.steps.len() >= HISTORY_LIMIT {
            self.steps.pop_front();
        }
        self.steps.push_back(step);
    }

    /// Takes the latest step.
    pub fn pop(&mut self) -> Option<UndoStep> {
        self.steps.pop_back()
    }

    pub fn last(&self) -> Option<&UndoStep> {
        self.steps.back()
    }

    pub fn last_mut(&mut self) -> Option<&mut UndoStep> {
        self.steps.back_mut()
    }

    pub fn clear(&mut self) {
        self.steps.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }
}

/// Applies one edit to a project.
pub fn apply(
    project: &mut Project,
    library: &Library,
    edit: &Edit,
    dir: &Path,
) -> Result<(), Error> {
    match edit {
        Edit::Set { key, value } => key.apply(project, library, value).map(|_| ()),
        Edit::Answer { control, change } => {
            let checklist = answered(project, library)?.clone();
            edit::apply_answer(project, &checklist, control, (**change).clone(), dir)
        }
        Edit::Template { stored } => {
            project.profile.template.clone_from(stored);
            Ok(())
        }
        Edit::Row { row, choice } => {
            let checklist = answered(project, library)?.clone();
            let row = edit::find_row(&checklist, row)?.clone();
            edit::answer_row(project, &checklist, &row, choice).map(|_| ())
        }
        Edit::Attach { slot, evidence } => {
            edit::attach_file(project, *slot, (**evidence).clone());
            Ok(())
        }
        Edit::Detach { slot, path: None } => {
            edit::detach_all(project, *slot);
            Ok(())
        }
        Edit::Detach {
            slot,
            path: Some(path),
        } => edit::detach_file(project, *slot, path, dir).map(|_| ()),
        Edit::Travel { from, to } => {
            *project = travelled(project, from, to, library)?.0;
            Ok(())
        }
        Edit::Resolve { at, value } => {
            *project = crate::team::take("the project file", project, at, value.clone(), library)?;
            Ok(())
        }
        Edit::Migrate { to, on } => migrate_to(project, library, to, *on),
        Edit::EvidenceMeta {
            to: AttachTo::Slot(slot),
            path,
            label,
            produced,
        } => edit::set_file_meta(project, *slot, path, label.clone(), *produced),
        Edit::EvidenceMeta {
            to: AttachTo::Control(control),
            path,
            label,
            produced,
        } => evidence_meta(project, library, control, path, label.as_deref(), *produced),
    }
}

/// The checklist the project answers; an error while no delivery model is chosen.
fn answered<'a>(project: &Project, library: &'a Library) -> Result<&'a Checklist, Error> {
    edit::current_checklist(project, library)
        .ok_or_else(|| Error::blocked("no delivery model is chosen", "choose one first"))
}

/// Moves the project to the installed checklist `to` (nothing to do when it answers it
/// already), recorded as made on `on`.
fn migrate_to(project: &mut Project, library: &Library, to: &str, on: Date) -> Result<(), Error> {
    let target = library.find(to)?;
    let (id, version) = (
        project.delivery.checklist.clone(),
        project.delivery.version.clone(),
    );
    if id == target.id && version == target.version {
        return Ok(());
    }
    let from = library
        .version(&id, &version)
        .filter(|c| c.id == target.id)
        .ok_or_else(|| {
            Error::blocked(
                format!(
                    "the project answers {id}@{version}, which is not an installed version of {}",
                    target.id
                ),
                "install it (ftr checklists add FILE), then move again",
            )
        })?;
    let plan = migrate::plan(project, from, target);
    migrate::apply(project, &plan, target, on);
    Ok(())
}

/// Sets the label and (`Some`) the date produced of the evidence file `path` of `control`.
fn evidence_meta(
    project: &mut Project,
    library: &Library,
    control: &str,
    path: &str,
    label: Option<&str>,
    produced: Option<Option<Date>>,
) -> Result<(), Error> {
    let checklist = answered(project, library)?.id.clone();
    let ev = project
        .answers
        .get_mut(&checklist)
        .and_then(|m| m.get_mut(control))
        .and_then(|a| a.evidence.iter_mut().find(|e| e.path == path))
        .ok_or_else(|| Error::input(format!("{control} has no evidence {path}"), ""))?;
    if let Some(l) = label {
        ev.label = l.to_string();
    }
    if let Some(d) = produced {
        ev.produced = d;
    }
    Ok(())
}

/// `project` with each field that differs between `from` and `to` set as in `to`, unless it
/// changed since `from` (then it keeps its value: counted in the second part).
pub fn travelled(
    project: &Project,
    from: &Project,
    to: &Project,
    library: &Library,
) -> Result<(Project, usize), Error> {
    let m = crate::team::merge_projects("the project file", Some(from), project, to, library)?;
    let mut out = m.project;
    out.conflicts
        .retain(|c| !m.fresh.iter().any(|f| f.at == c.at));
    Ok((out, m.fresh.len()))
}

/// True when applying `new` alone gives what applying `old` then `new` gives: both set the
/// same one text field (of the profile, or of the same control's answer) and nothing else.
pub fn supersedes(new: &Edit, old: &Edit) -> bool {
    /// The one text field a change sets, by name (`value.rpo` for a required value).
    fn only_text(c: &AnswerChange) -> Option<String> {
        if c.status.is_some()
            || c.plan_due.is_some()
            || !c.add_evidence.is_empty()
            || !c.remove_evidence.is_empty()
        {
            return None;
        }
        let mut set: Vec<String> = AnswerField::ALL
            .into_iter()
            .filter(|f| c.text(*f).is_some())
            .map(|f| f.key().to_string())
            .collect();
        set.extend(c.values.iter().map(|(key, _)| format!("value.{key}")));
        match set.len() {
            1 => set.pop(),
            _ => None,
        }
    }
    match (new, old) {
        (
            Edit::Answer {
                control: a,
                change: x,
            },
            Edit::Answer {
                control: b,
                change: y,
            },
        ) => a == b && only_text(x).is_some() && only_text(x) == only_text(y),
        (Edit::Set { key: a, .. }, Edit::Set { key: b, .. }) => {
            a == b
                && matches!(
                    a,
                    Setting::Company
                        | Setting::Product
                        | Setting::ContactName { .. }
                        | Setting::ContactEmail { .. }
                )
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(n: usize) -> UndoStep {
        UndoStep {
            before: Project::new(),
            after: Project::new(),
            what: vec![format!("step {n}")],
        }
    }

    fn what(step: Option<&UndoStep>) -> Option<&str> {
        step.and_then(|s| s.what.first()).map(String::as_str)
    }

    #[test]
    fn the_history_keeps_the_latest_steps_and_drops_the_oldest() {
        let mut h = History::default();
        for n in 0..HISTORY_LIMIT + 5 {
            h.push(step(n));
        }
        assert_eq!(h.len(), HISTORY_LIMIT);
        let last = format!("step {}", HISTORY_LIMIT + 4);
        assert_eq!(what(h.last()), Some(last.as_str()));
        // Walking back all the way ends at step 5: steps 0 to 4 were dropped.
        let mut oldest = None;
        while let Some(s) = h.pop() {
            oldest = s.what.first().cloned();
        }
        assert_eq!(oldest.as_deref(), Some("step 5"));
        assert!(h.is_empty());
    }

    #[test]
    fn below_the_limit_nothing_is_dropped_and_clear_empties_it() {
        let mut h = History::default();
        for n in 0..3 {
            h.push(step(n));
        }
        assert_eq!(h.len(), 3);
        if let Some(s) = h.last_mut() {
            s.what.push("more".into());
        }
        assert_eq!(
            h.pop().map(|s| s.what),
            Some(vec!["step 2".into(), "more".into()])
        );
        assert_eq!(what(h.last()), Some("step 1"));
        h.clear();
        assert!(h.is_empty());
        assert_eq!(h.pop().map(|s| s.what), None);
    }
}
