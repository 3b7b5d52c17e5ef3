//! Attaching a file: fingerprinted, then added to a control's evidence or to a slot of the
//! upload form on the profile, through [`App::commit`].

use std::path::Path;

use super::app::{App, Edit, ProfileRow, first_line};
use crate::assessment::edit::AnswerChange;
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
        let shown = ev.path.clone();
        match to {
            AttachTo::Control(control) => {
                // A file other controls cite keeps its label and date, and is recorded anew
                // for them too.
                let mut others = Vec::new();
                if let (Some(p), Some(c)) = (self.proj(), self.checklist()) {
                    if let Some((label, produced)) =
                        crate::assessment::edit::known_label(p, c, control, &shown)
                    {
                        ev.label = label;
                        ev.produced = produced;
                    }
                    others = crate::assessment::edit::cited_elsewhere(p, c, control, &ev);
                }
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
                    .and_then(|a| a.evidence.iter().position(|e| e.path == shown))
                {
                    self.interview.evidence = i;
                }
                if saved && others.is_empty() {
                    self.info(format!("Attached {shown} to {control}."));
                } else if saved {
                    self.info(format!(
                        "Attached {shown} to {control}; also recorded anew for {}, which {} the same file.",
                        others.join(", "),
                        if others.len() == 1 { "cites" } else { "cite" }
                    ));
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
                        .position(|e| e.path == shown)?;
                    Some(match slot {
                        Slot::Diagram => ProfileRow::Diagram,
                        Slot::SecurityReport => ProfileRow::Report(i),
                    })
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
                        "Attached {shown} as the diagram, but it is not a PNG or JPEG image (its first bytes are {}); the form takes .png or .jpeg.",
                        f.describe()
                    )),
                    _ => self.info(format!("Attached {shown} as the {}.", slot.name())),
                }
            }
        }
    }
}
