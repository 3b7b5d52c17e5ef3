//! A newer version of the project's checklist: the question asked when the project opens,
//! what changed (`ftr checklists diff` in a popup) and the preview of the move (`ftr
//! migrate`). The move itself is the app's (it resets the interview's view).

use super::State;
use super::popup::Popup;
use crate::assessment::migrate::{self, Plan};
use crate::content::Checklist;
use crate::content::diff;
use crate::safe::terminal;
use crate::store;

impl State {
    /// The version of its checklist the project answers, exactly, when it is installed.
    pub fn pinned_checklist(&self) -> Option<&Checklist> {
        let p = self.proj()?;
        let model = p.delivery.model?;
        self.library
            .version(&p.delivery.checklist, &p.delivery.version)
            .filter(|c| c.model == model)
    }

    /// The newest installed version of the project's checklist, released by today, when it is
    /// newer than the one the project answers.
    pub fn newer_checklist(&self) -> Option<&Checklist> {
        self.library.newer(self.pinned_checklist()?, self.today)
    }

    /// What moving to the newer version would do now.
    pub fn move_plan(&self) -> Option<Plan> {
        let (from, to) = (self.pinned_checklist()?, self.newer_checklist()?);
        Some(migrate::plan(self.proj()?, from, to))
    }

    /// Asks, once per opening, what to do about a newer version of the checklist.
    pub fn offer_newer(&mut self) {
        if let Some(plan) = self.move_plan() {
            self.popups.open(Popup::Newer {
                plan: Box::new(plan),
            });
        }
    }

    /// What changed: from the project's version to the newer one (which it may then move
    /// to), else what the last move changed.
    pub fn show_changes(&mut self) {
        if let Some(plan) = self.move_plan() {
            self.popups.open(Popup::Changes {
                diff: Box::new(plan.diff),
                scroll: 0,
                can_move: true,
            });
            return;
        }
        let Some(now) = self.pinned_checklist().or_else(|| self.checklist()) else {
            self.info("Choose the delivery model first: then c compares checklist versions.");
            return;
        };
        let before = self.proj().and_then(|p| {
            let m = p
                .migrations
                .iter()
                .rev()
                .find(|m| m.checklist == now.id && m.to == now.version)?;
            self.library.version(&now.id, &m.from)
        });
        match before {
            Some(before) => self.popups.open(Popup::Changes {
                diff: Box::new(diff::diff(before, now)),
                scroll: 0,
                can_move: false,
            }),
            None => {
                let text = format!(
                    "{} is the newest installed version of its checklist: nothing to compare. ftr checklists add installs a new release.",
                    terminal(&now.spec())
                );
                self.info(text);
            }
        }
    }

    /// Shows what the move would do and waits for y.
    pub fn preview_move(&mut self) {
        let Some(plan) = self.move_plan() else {
            self.info("No newer version of the checklist is installed: nothing to move to.");
            return;
        };
        let Some(loaded) = self.project.as_ref() else {
            return;
        };
        let backup = store::backup_path(&loaded.path, &loaded.project.delivery.version);
        let backup = backup
            .file_name()
            .map_or_else(|| backup.display().to_string(), |n| n.display().to_string());
        self.popups.open(Popup::Migrate {
            plan: Box::new(plan),
            backup,
            scroll: 0,
        });
    }
}
