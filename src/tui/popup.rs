//! Popups over the screens (help, a question waiting for y/n, the file picker, files to
//! reuse, the save conflict, the checklist versions) and the keys each takes.

use std::path::PathBuf;

use ratatui::crossterm::event::KeyEvent;

use super::app::{App, AttachTo, Edit, Screen};
use super::keymap::{self, Cmd};
use super::widgets::picker::Picker;
use crate::assessment::Slot;
use crate::assessment::edit::AnswerChange;
use crate::assessment::migrate::Plan;
use crate::content::Model;
use crate::content::diff::Diff;

/// A question that waits for y/n.
#[derive(Debug, Clone)]
pub enum Confirm {
    RemoveEvidence {
        control: String,
        path: String,
    },
    DetachFile {
        slot: Slot,
        path: String,
    },
    SwitchModel(Model),
    QuitUnsaved,
    /// Opens the scoping question with this id (a control it switched off was given a status).
    OpenScoping(String),
}

pub enum Popup {
    Help {
        scroll: u16,
    },
    /// `/`: finding a control.
    Search(super::screens::search::Search),
    Confirm {
        question: String,
        action: Confirm,
    },
    Picker {
        picker: Box<Picker>,
        to: AttachTo,
    },
    Reuse {
        control: String,
        files: Vec<ReuseFile>,
        selected: usize,
    },
    /// The file changed on disk before the changes in `App::pending` could be saved.
    Conflict,
    /// A newer version of the project's checklist is installed (asked once per opening): see
    /// what changed, move now, or later. The plan is what a move would do now.
    Newer {
        plan: Box<Plan>,
    },
    /// What changed from one version of a checklist to another; `can_move` when the project
    /// may move to the later one from here.
    Changes {
        diff: Box<Diff>,
        scroll: u16,
        can_move: bool,
    },
    /// The move previewed, waiting for y; `backup` names the copy of the file to be kept.
    Migrate {
        plan: Box<Plan>,
        backup: String,
        scroll: u16,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReuseFile {
    pub path: String,
    pub used_by: Vec<String>,
}

impl App {
    pub(super) fn key_popup(&mut self, key: KeyEvent) {
        let Some(popup) = self.popup.take() else {
            return;
        };
        let cmd = keymap::lookup(&key);
        let ctrl_c = key.code == ratatui::crossterm::event::KeyCode::Char('c')
            && key
                .modifiers
                .contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
        if ctrl_c {
            if matches!(popup, Popup::Conflict) {
                // Quitting now would leave the changes unsaved: the question comes first.
                self.popup = Some(popup);
                self.error("Answer first: Enter merges your changes into the file on disk.");
            } else {
                self.request_quit();
            }
            return;
        }
        match popup {
            Popup::Search(s) => self.key_search(s, key),
            Popup::Help { scroll } => match cmd {
                Some(Cmd::Down) => self.popup = Some(Popup::Help { scroll: scroll + 1 }),
                Some(Cmd::Up) => {
                    self.popup = Some(Popup::Help {
                        scroll: scroll.saturating_sub(1),
                    })
                }
                Some(Cmd::Quit) if key.code != ratatui::crossterm::event::KeyCode::Char('q') => {
                    self.request_quit()
                }
                _ => {}
            },
            Popup::Confirm { question, action } => match cmd {
                Some(Cmd::Yes) => self.confirmed(action),
                Some(Cmd::No) | Some(Cmd::Back) | Some(Cmd::Quit) => {}
                _ => self.popup = Some(Popup::Confirm { question, action }),
            },
            Popup::Conflict => {
                // Only keys that do not occur in typed text act here, so words typed on
                // after the question appeared cannot choose for the user.
                use ratatui::crossterm::event::{KeyCode, KeyModifiers};
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Enter => self.merge(),
                    KeyCode::Char('r') if ctrl => self.discard(),
                    KeyCode::Char('o') if ctrl => self.overwrite(),
                    _ => self.popup = Some(Popup::Conflict),
                }
            }
            Popup::Newer { plan } => self.key_newer(key, plan),
            Popup::Changes {
                diff,
                scroll,
                can_move,
            } => self.key_changes(key, diff, scroll, can_move),
            Popup::Migrate {
                plan,
                backup,
                scroll,
            } => self.key_migrate(key, plan, backup, scroll),
            Popup::Picker { mut picker, to } => match picker.handle_key(key) {
                super::widgets::picker::Outcome::Continue => {
                    self.popup = Some(Popup::Picker { picker, to })
                }
                super::widgets::picker::Outcome::Cancelled => {}
                super::widgets::picker::Outcome::Chosen(path) => {
                    self.attach(&to, &path);
                }
            },
            Popup::Reuse {
                control,
                files,
                selected,
            } => match cmd {
                Some(Cmd::Down) => {
                    self.popup = Some(Popup::Reuse {
                        selected: (selected + 1).min(files.len().saturating_sub(1)),
                        control,
                        files,
                    })
                }
                Some(Cmd::Up) => {
                    self.popup = Some(Popup::Reuse {
                        selected: selected.saturating_sub(1),
                        control,
                        files,
                    })
                }
                Some(Cmd::Open) => {
                    if let Some(f) = files.get(selected) {
                        let path = self
                            .project
                            .as_ref()
                            .map(|l| l.dir().join(&f.path))
                            .unwrap_or_else(|| PathBuf::from(&f.path));
                        self.attach(&AttachTo::Control(control), &path);
                    }
                }
                Some(Cmd::Back) | Some(Cmd::Quit) => {}
                _ => {
                    self.popup = Some(Popup::Reuse {
                        control,
                        files,
                        selected,
                    })
                }
            },
        }
    }

    fn confirmed(&mut self, action: Confirm) {
        match action {
            Confirm::RemoveEvidence { control, path } => {
                self.commit(Edit::Answer {
                    control,
                    change: Box::new(AnswerChange {
                        remove_evidence: vec![path],
                        ..AnswerChange::default()
                    }),
                });
                let n = self.evidence_states.len();
                self.interview.evidence = self.interview.evidence.min(n.saturating_sub(1));
            }
            Confirm::DetachFile { slot, path } => {
                if self.commit(Edit::Detach {
                    slot,
                    path: Some(path.clone()),
                }) {
                    self.info(format!(
                        "Detached {}; the file itself stays on disk.",
                        crate::safe::terminal(&path)
                    ));
                }
                let n = self.profile_rows().len();
                self.profile.sel = self.profile.sel.min(n - 1);
            }
            Confirm::SwitchModel(model) => self.choose_model(model),
            Confirm::OpenScoping(id) => {
                self.goto(Screen::Scoping);
                if let Some(i) = self
                    .checklist()
                    .and_then(|c| c.scoping.iter().position(|q| q.id == id))
                {
                    self.scoping.sel = i;
                }
            }
            Confirm::QuitUnsaved => {
                self.remember();
                self.quit = true;
            }
        }
    }
}
