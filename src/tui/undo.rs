//! Undo and redo: the history of steps, each the project before and after a burst of changes,
//! walked as a three-way move so that what a teammate wrote meanwhile stays. The steps are
//! recorded by [`App::commit`].

use super::app::{App, Edit, first_line};
use crate::assessment::Project;
use crate::assessment::edit::AnswerChange;
use crate::content::Library;
use crate::error::Error;

/// One step of the undo history: the project before and after a burst of changes (the keys
/// pressed without a pause), and what they changed, in words.
#[derive(Debug, Clone)]
pub struct UndoStep {
    pub before: Project,
    pub after: Project,
    pub what: Vec<String>,
}

impl App {
    /// `z`: takes back the last step, on top of whatever changed since (a teammate's answers
    /// merged in stay): each field the step changed returns to what it was, unless it changed
    /// again since.
    pub fn undo(&mut self) {
        self.walk(false);
    }

    /// `Z`: makes the last undone step again.
    pub fn redo(&mut self) {
        self.walk(true);
    }

    /// One step back through the history (`forward`: one undone step again): the step moves
    /// from one list to the other once the project has moved.
    fn walk(&mut self, forward: bool) {
        let (taken, word, hint) = if forward {
            (self.redo.pop(), "redo", "z undoes")
        } else {
            (self.undo.pop(), "undo", "Z redoes")
        };
        let Some(step) = taken else {
            self.info(format!("Nothing to {word}."));
            return;
        };
        self.burst = false;
        let (from, to) = if forward {
            (&step.before, &step.after)
        } else {
            (&step.after, &step.before)
        };
        let Some((moved, kept)) = self.travel(from, to) else {
            // Could not compute it (the message says why): the step stays where it was.
            if forward {
                self.redo.push(step);
            } else {
                self.undo.push(step);
            }
            return;
        };
        let kept_note = match kept {
            0 => String::new(),
            n => format!(" {n} field(s) changed again since were left as they are."),
        };
        if !moved {
            // Everything it changed was changed again since: nothing to take back.
            self.error(format!(
                "Nothing to {word} for {}:{kept_note}",
                crate::safe::terminal(&step.what.join(", "))
            ));
            return;
        }
        self.info(format!(
            "{}: {}. {hint}.{kept_note}",
            if forward { "Redone" } else { "Undone" },
            crate::safe::terminal(&step.what.join(", "))
        ));
        if forward {
            self.undo.push(step);
        } else {
            self.redo.push(step);
        }
    }

    /// Moves the project from `from` to `to` where it still holds `from`, and saves. Returns
    /// whether anything moved, and how many fields changed again since were left alone.
    fn travel(&mut self, from: &Project, to: &Project) -> Option<(bool, usize)> {
        let loaded = self.project.as_ref()?;
        let current = loaded.project.clone();
        let (moved, kept) = match travelled(&current, from, to, &self.library) {
            Ok(t) => t,
            Err(e) => {
                self.error(format!("Could not undo: {}", first_line(&e.to_string())));
                return None;
            }
        };
        if moved == current {
            return Some((false, kept));
        }
        self.commit_recorded(
            Edit::Travel {
                from: Box::new(from.clone()),
                to: Box::new(to.clone()),
            },
            false,
        );
        Some((true, kept))
    }
}

/// `project` with each field that differs between `from` and `to` set as in `to`, unless it
/// changed since `from` (then it keeps its value: counted in the second part).
pub(super) fn travelled(
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
pub(super) fn supersedes(new: &Edit, old: &Edit) -> bool {
    /// The one text field a change sets, by name (`value.rpo` for a required value).
    fn only_text(c: &AnswerChange) -> Option<String> {
        if c.status.is_some()
            || c.plan_due.is_some()
            || !c.add_evidence.is_empty()
            || !c.remove_evidence.is_empty()
        {
            return None;
        }
        let mut set: Vec<String> = [
            ("response", c.response.is_some()),
            ("reason", c.reason.is_some()),
            ("notes", c.notes.is_some()),
            ("plan_what", c.plan_what.is_some()),
            ("plan_owner", c.plan_owner.is_some()),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name.to_string())
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
                    a.as_str(),
                    "company" | "product" | "contact.name" | "contact.email"
                )
        }
        _ => false,
    }
}
