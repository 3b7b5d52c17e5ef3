//! The one gate for changes: [`State::commit`] applies an [`Edit`], records it for undo,
//! saves at once (merging with the file on disk when it changed meanwhile) and refreshes what
//! is derived. Undo and redo walk the history through the same gate; each list keeps the
//! latest [`HISTORY_LIMIT`](super::edit::HISTORY_LIMIT) steps, dropping the oldest.

use super::State;
use super::edit::{Edit, UndoStep, apply, supersedes, travelled};
use super::popup::Popup;
use crate::assessment::Project;
use crate::error::Error;

impl State {
    /// Applies `edit` and saves at once. A file changed on disk meanwhile is never
    /// overwritten: the user is asked. Returns true when the change is on disk.
    pub fn commit(&mut self, edit: Edit) -> bool {
        self.commit_recorded(edit, true)
    }

    /// [`State::commit`]; with `record` the change joins the undo history (undo and redo
    /// themselves do not).
    pub fn commit_recorded(&mut self, edit: Edit, record: bool) -> bool {
        let Some(loaded) = self.project.as_mut() else {
            return false;
        };
        let before = loaded.project.clone();
        let dir = loaded.dir();
        if let Err(e) = apply(&mut loaded.project, &self.library, &edit, &dir) {
            loaded.project = before;
            self.error(e.to_string());
            return false;
        }
        if loaded.project == before {
            return !self.unsaved;
        }
        let applied = loaded.project.clone();
        if record {
            let after = loaded.project.clone();
            let what = crate::team::what_changed(&before, &after);
            match self.undo.last_mut() {
                Some(step) if self.burst => {
                    // The burst's words are what it changed from its start.
                    step.what = crate::team::what_changed(&step.before, &after);
                    step.after = after;
                }
                _ => self.undo.push(UndoStep {
                    before,
                    after,
                    what,
                }),
            }
            self.burst = true;
            self.redo.clear();
            // Not while typing: a draft saved while idle is no news.
            if let Some(step) = self.undo.last().filter(|_| self.editor.is_none()) {
                self.info(format!(
                    "Saved: {}. z undoes.",
                    crate::safe::terminal(&step.what.join(", "))
                ));
            }
        }
        // Typing into a field that cannot be saved yet (a draft every second) keeps one
        // pending edit for it, not a copy of the text per save.
        if self
            .pending
            .last()
            .is_some_and(|last| supersedes(&edit, last))
        {
            self.pending.pop();
        }
        self.pending.push(edit);
        let saved = self.save_pending();
        // A save that took in changes from disk ends the burst: the next change must not fold
        // a teammate's answers into this step, or undoing it would take them away.
        if self.project.as_ref().is_some_and(|l| l.project != applied) {
            self.burst = false;
        }
        self.refresh();
        saved
    }

    /// Writes what is in memory; on success the pending edits are on disk. A file changed on
    /// disk meanwhile is merged with them per field first (see [`State::take_in_disk`]); only a
    /// file that cannot be read or merged asks the user.
    pub fn save_pending(&mut self) -> bool {
        let Some(loaded) = self.project.as_mut() else {
            return false;
        };
        match loaded.save() {
            Ok(()) => {
                self.unsaved = false;
                self.pending.clear();
                true
            }
            Err(Error::Conflict { .. }) => match self.take_in_disk() {
                Ok(saved) => saved,
                Err(e) => {
                    self.unsaved = true;
                    self.popups.open(Popup::Conflict);
                    self.error(format!(
                        "The file changed on disk and cannot be merged: {}",
                        e.headline()
                    ));
                    false
                }
            },
            Err(e) => {
                self.save_failed(e);
                false
            }
        }
    }

    /// Says why a save failed; what is on screen stays, and is saved with the next change.
    pub fn save_failed(&mut self, e: Error) {
        self.unsaved = true;
        match e {
            Error::TooLarge(t) => self.error(too_large_text(&t)),
            e => self.error(format!(
                "Could not save: {}. Your changes stay on screen and are saved with the next one.",
                e.headline()
            )),
        }
    }
}

impl State {
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
                self.error(format!("Could not undo: {}", e.headline()));
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

/// The footer's word on a save refused for its size: what is too big, and the way out.
fn too_large_text(t: &crate::error::TooLarge) -> String {
    let size = crate::assessment::evidence::human_size;
    let what = match &t.part {
        Some(p) => format!("{} takes {} of it", p.describe(), size(p.bytes)),
        None => "no one text is most of it".into(),
    };
    format!(
        "Not saved: the file would be over the {} a project file may hold; {what}. Shorten it, or attach long text as a file (f); it stays on screen meanwhile.",
        size(t.limit)
    )
}
