//! Attaching a file: fingerprinted, then added to a control's evidence or to a slot of the
//! upload form on the profile, through [`App::commit`].

use std::path::Path;

use super::app::{App, Edit, ProfileRow, first_line};
use crate::assessment::edit::{self, AnswerChange};
use crate::assessment::{Evidence, Slot};

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

impl App {
    /// Gives the deployment guide as the address it is published at (refused, with why, when
    /// it is no https:// address).
    pub fn give_guide_address(&mut self, typed: &str) {
        let value = typed.trim().to_string();
        if self.commit(Edit::Set {
            key: Slot::DeploymentGuide.key().into(),
            value: value.clone(),
        }) {
            self.info(format!(
                "The deployment guide is {}, its address.",
                crate::safe::terminal(&value)
            ));
        }
    }

    /// Fingerprints `path` and attaches it to a control, or to a slot of the upload form.
    pub fn attach(&mut self, to: &AttachTo, path: &Path) {
        let Some(dir) = self.project.as_ref().map(|l| l.dir()) else {
            return;
        };

        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        };
        let ev = match Evidence::attach(&path, &dir, String::new(), None, self.clock.now()) {
            Ok(ev) => ev,
            Err(e) => {
                self.error(first_line(&e.to_string()));
                return;
            }
        };
        let mut ev = ev;
        // A file the terminal shows only escaped.
        let shown = crate::safe::terminal(&ev.path).into_owned();
        let stored = ev.path.clone();
        // It keeps the label and date it carries elsewhere, and is recorded anew there.
        let here = match to {
            AttachTo::Control(control) => self.checklist().map(|c| edit::Citer::Control {
                checklist: c.id.clone(),
                id: control.to_string(),
            }),
            AttachTo::Slot(slot) => Some(edit::Citer::Slot(*slot)),
        };
        let current = self.checklist().map(|c| c.id.clone());
        let others = match (self.proj(), here) {
            (Some(p), Some(here)) => {
                edit::prepare_attachment(p, &here, current.as_deref(), &mut ev)
            }
            _ => Vec::new(),
        };
        let also = match others.len() {
            0 => String::new(),
            1 => format!(
                "; also recorded anew for {}, which cites the same file",
                others[0]
            ),
            _ => format!(
                "; also recorded anew for {}, which cite the same file",
                edit::and_list(&others)
            ),
        };
        match to {
            AttachTo::Control(control) => {
                let saved = self.commit(Edit::Answer {
                    control: control.to_string(),
                    change: Box::new(AnswerChange {
                        add_evidence: vec![ev],
                        ..AnswerChange::default()
                    }),
                });
                if let Some(i) = self
                    .proj()
                    .zip(self.checklist())
                    .and_then(|(p, c)| p.answer(&c.id, control))
                    .and_then(|a| a.evidence.iter().position(|e| e.path == stored))
                {
                    self.interview.evidence = i;
                }
                if saved {
                    self.info(format!("Attached {shown} to {control}{also}."));
                }
            }
            AttachTo::Slot(slot) => {
                let slot = *slot;
                let format = ev.format(&dir).ok();
                let saved = self.commit(Edit::Attach {
                    slot,
                    evidence: Box::new(ev),
                });
                let row = self.proj().and_then(|p| {
                    let i = slot
                        .files(&p.profile)
                        .iter()
                        .position(|e| e.path == stored)?;
                    match slot {
                        Slot::Diagram => Some(ProfileRow::Diagram),
                        Slot::SecurityReport => Some(ProfileRow::Report(i)),
                        Slot::DeploymentGuide => Some(ProfileRow::Guide),
                        Slot::AlternativeReport => Some(ProfileRow::AlternativeReport),
                    }
                });
                if let Some(i) = row.and_then(|r| self.profile_rows().iter().position(|x| *x == r))
                {
                    self.profile.sel = i;
                }
                if !saved {
                    return;
                }
                match format {
                    Some(f) if slot == Slot::Diagram && !f.is_png_or_jpeg() => self.error(format!(
                        "Attached {shown} as the diagram{also}, but it is not a PNG or JPEG image (its first bytes are {}); the form takes .png or .jpeg.",
                        f.describe()
                    )),
                    _ => self.info(format!("Attached {shown} as the {}{also}.", slot.name())),
                }
            }
        }
    }
}
