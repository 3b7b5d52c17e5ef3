//! The project file changed on disk meanwhile (a teammate's `ftr answer`, a `git pull`, a
//! merge that left conflict markers): taking it in, merged per field with what changed here,
//! and the answers to the save conflict (merge, reload, overwrite).
//!
//! Besides [`State::commit`], this is the one place that replaces the project in memory: with
//! what the file on disk holds.

use std::path::Path;

use super::State;
use super::conflicts::{Origin, marker_origin};
use super::edit::apply;
use super::nav::Screen;
use super::popup::Popup;
use crate::error::Error;
use crate::store;

impl State {
    /// Records where the conflicts of a merge came from: those it found changed two ways
    /// from `found`, any other not in `known` from `other` (a version of the file had it).
    pub fn note_merged(
        &mut self,
        m: &crate::team::Merged,
        known: &[Vec<String>],
        found: &Origin,
        other: &Origin,
    ) {
        let fresh: Vec<Vec<String>> = m.fresh.iter().map(|c| c.at.clone()).collect();
        let earlier: Vec<Vec<String>> = m
            .project
            .conflicts
            .iter()
            .map(|c| c.at.clone())
            .filter(|at| !fresh.contains(at) && !known.contains(at))
            .collect();
        self.resolve.note(earlier, other);
        self.resolve.note(fresh, found);
    }

    /// The file just read had git conflict markers: writes the merged project over it now,
    /// so the file is valid again (nothing is lost: both values are in `[[conflicts]]`).
    pub fn save_merged_markers(&mut self, path: &Path) {
        let shown = self.shown_path(path);
        let name = crate::safe::terminal(&shown).into_owned();
        if !self.save_pending() {
            return;
        }
        let n = self.conflicts().len();
        if n == 0 {
            self.info(format!(
                "{name} had git conflict markers: merged it per field and saved it; nothing conflicts, so git add {} and commit to finish the merge.",
                crate::safe::path_word(&shown)
            ));
        } else {
            self.info(format!(
                "{name} had git conflict markers: merged it per field and saved it, keeping both values of the {n} field(s) changed two ways until you pick one."
            ));
        }
    }

    /// Takes in what changed in the file on disk (a teammate's `ftr answer`, a `git pull`,
    /// one that left conflict markers), merged per field with what changed here, and saves the
    /// result when it differs from the file. The message line says what came in; fields
    /// changed both ways open the resolve screen with both values. Returns whether what is in
    /// memory is on disk now; `Err` when the file on disk cannot be read or merged, and then
    /// nothing here changed.
    pub fn take_in_disk(&mut self) -> Result<bool, Error> {
        let Some(mut taken) = self.merge_and_save()? else {
            return Ok(false);
        };
        taken
            .new_conflicts
            .retain(|at| self.conflicts().iter().any(|c| c.at == *at));
        if let Some(first) = taken.new_conflicts.first() {
            // The text being typed is in what was merged (as ours), so the editor may go.
            self.editor = None;
            self.open_resolve(Some(first));
        }
        if self.screen == Screen::Resolve && self.conflicts().is_empty() {
            // Settled on disk meanwhile (a teammate's `ftr resolve`).
            self.leave_resolve();
        }
        if taken.saved && taken.merged_any {
            let text = self.taken_in_words(&taken);
            self.info(text);
        }
        self.refresh();
        Ok(taken.saved)
    }

    /// Merges the file on disk into what is here and saves the result, again when the file
    /// changes between the merge and the save (three tries). `None` without a project.
    fn merge_and_save(&mut self) -> Result<Option<TakenIn>, Error> {
        let mut taken = TakenIn::default();
        for attempt in 0..3 {
            let Some(loaded) = self.project.as_mut() else {
                return Ok(None);
            };
            let markers = marker_origin(store::read_text(&loaded.path).ok().as_deref());
            let known: Vec<Vec<String>> = loaded
                .project
                .conflicts
                .iter()
                .map(|c| c.at.clone())
                .collect();
            let merged = loaded.merge_from_disk(&self.library)?;
            let differs = loaded.differs_from_disk();
            if let Some(m) = &merged {
                taken.note(m, &known, markers.is_some());
                let git = markers.clone().unwrap_or(Origin::Recorded);
                self.note_merged(m, &known, &Origin::Disk, &git);
            }
            if !differs && markers.is_none() {
                // What is here is what the file holds.
                self.unsaved = false;
                self.pending.clear();
                taken.saved = true;
                break;
            }
            let Some(loaded) = self.project.as_mut() else {
                return Ok(None);
            };
            match loaded.save() {
                Ok(()) => {
                    self.unsaved = false;
                    self.pending.clear();
                    taken.saved = true;
                    break;
                }
                Err(Error::Conflict { .. }) if attempt < 2 => continue,
                Err(e) => {
                    self.save_failed(e);
                    break;
                }
            }
        }
        Ok(Some(taken))
    }

    /// What the message line says came in from the file on disk.
    fn taken_in_words(&self, taken: &TakenIn) -> String {
        let mut text = if taken.had_markers {
            "The file on disk had git conflict markers; merged them per field and saved it"
                .to_string()
        } else if taken.came.is_empty() {
            "Merged changes from the file on disk".to_string()
        } else {
            format!(
                "Merged changes from the file on disk: {}",
                crate::safe::terminal(&taken.came.join(", "))
            )
        };
        if taken.new_conflicts.is_empty() {
            text.push('.');
        } else {
            let open: Vec<crate::merge::Conflict> = self
                .conflicts()
                .iter()
                .filter(|c| taken.new_conflicts.contains(&c.at))
                .cloned()
                .collect();
            text.push_str(&format!(
                ". Changed two ways: {}; pick the value to keep.",
                crate::team::conflict_names(&open)
            ));
        }
        text
    }

    /// Reads the file again, dropping what is in memory. A file git left with conflict markers
    /// is merged per field and saved at once (both values of a field changed two ways are
    /// kept in it).
    pub fn reread(&mut self) -> Result<(), Error> {
        let Some(loaded) = self.project.as_mut() else {
            return Ok(());
        };
        let path = loaded.path.clone();
        let markers = marker_origin(store::read_text(&path).ok().as_deref());
        let (fresh, merged) = store::load_resolving(&path, &self.library)?;
        *loaded = fresh;
        if let Some(m) = merged {
            let git = markers.unwrap_or(Origin::Git {
                ours: String::new(),
                theirs: String::new(),
            });
            self.note_merged(&m, &[], &git, &Origin::Recorded);
            if let Some(loaded) = self.project.as_mut()
                && let Err(e) = loaded.save()
            {
                self.save_failed(e);
            }
        }
        Ok(())
    }

    /// Conflict answer: reload the file and apply every change not yet saved on top of it.
    pub fn merge(&mut self) {
        if self.project.is_none() {
            return;
        }
        if let Err(e) = self.reread() {
            self.error(format!(
                "The file on disk cannot be read now: {}",
                e.headline()
            ));
            self.popups.open(Popup::Conflict);
            return;
        }
        let Some(loaded) = self.project.as_mut() else {
            return;
        };
        let dir = loaded.dir();
        let mut refused = 0;
        for edit in &self.pending {
            if apply(&mut loaded.project, &self.library, edit, &dir).is_err() {
                refused += 1;
            }
        }
        if self.save_pending() {
            if refused == 0 {
                self.info("Merged your changes into the file as it is on disk now.");
            } else {
                self.error(format!(
                    "Merged; {refused} change(s) no longer fit the file on disk and were left out."
                ));
            }
        }
        self.refresh();
    }

    /// Conflict answer: keep what is on disk, drop the changes not yet saved.
    pub fn discard(&mut self) {
        if self.project.is_some() {
            match self.reread() {
                Ok(()) => {
                    let n = self.pending.len();
                    self.pending.clear();
                    self.unsaved = false;
                    if self.screen == Screen::Resolve && self.conflicts().is_empty() {
                        self.leave_resolve();
                    }
                    self.info(format!(
                        "Reloaded the file from disk; dropped {n} change(s) of yours."
                    ));
                }
                Err(e) => {
                    self.unsaved = true;
                    self.error(e.headline());
                }
            }
        }
        self.refresh();
    }

    /// Conflict answer: write what is on screen over the file on disk.
    pub fn overwrite(&mut self) {
        if let Some(loaded) = self.project.as_mut() {
            match loaded.overwrite() {
                Ok(()) => {
                    self.unsaved = false;
                    self.pending.clear();
                    self.info("Saved over the version on disk.");
                }
                Err(e) => self.save_failed(e),
            }
        }
        self.refresh();
    }
}

/// What taking in the file on disk found, over its tries: the fields that came in, whether
/// the file had conflict markers, whether anything was merged, the fields newly changed two
/// ways, and whether what is in memory is on disk now.
#[derive(Default)]
struct TakenIn {
    came: Vec<String>,
    had_markers: bool,
    merged_any: bool,
    new_conflicts: Vec<Vec<String>>,
    saved: bool,
}

impl TakenIn {
    /// Counts in one merge: `known` held the conflicts before it.
    fn note(&mut self, m: &crate::team::Merged, known: &[Vec<String>], markers: bool) {
        self.merged_any = true;
        for c in &m.changed {
            if !self.came.contains(c) {
                self.came.push(c.clone());
            }
        }
        self.had_markers |= markers;
        for c in &m.project.conflicts {
            if !known.contains(&c.at) && !self.new_conflicts.contains(&c.at) {
                self.new_conflicts.push(c.at.clone());
            }
        }
    }
}
