//! The keys of the popups over the screens (help, a question waiting for y/n, the file
//! picker, files to reuse, the save conflict, the checklist versions, the search box), and
//! what a yes does.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::App;
use crate::assessment::edit::AnswerChange;
use crate::assessment::migrate::Plan;
use crate::assessment::setting::Setting;
use crate::content::Checklist;
use crate::content::diff::Diff;
use crate::safe::terminal;
use crate::store;
use crate::tui::keymap::{self, Cmd};
use crate::tui::screens::changes::scrolled;
use crate::tui::screens::search;
use crate::tui::state::edit::{AttachTo, Edit};
use crate::tui::state::editor::Target;
use crate::tui::state::nav::Screen;
use crate::tui::state::popup::{Confirm, Pick, Popup, Reuse, Search};
use crate::tui::widgets::filter;
use crate::tui::widgets::picker::Outcome;

impl App {
    pub(super) fn key_popup(&mut self, key: KeyEvent) {
        let Some(popup) = self.st.popups.take() else {
            return;
        };
        let cmd = keymap::lookup(&key);
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            if matches!(popup, Popup::Conflict) {
                // Quitting now would leave the changes unsaved: the question comes first.
                self.st.popups.open(popup);
                self.st
                    .error("Answer first: Enter merges your changes into the file on disk.");
            } else {
                self.request_quit();
            }
            return;
        }
        if cmd == Some(Cmd::Help) && popup.takes_help() {
            // Help opens over the popup, and Esc comes back to it.
            self.st.popups.open(popup);
            self.st.popups.open(Popup::Help { scroll: 0 });
            return;
        }
        match popup {
            Popup::Search(s) => self.key_search(s, key),
            Popup::Help { scroll } => self.key_help(key, cmd, scroll),
            Popup::Confirm { question, action } => match cmd {
                Some(Cmd::Yes) => self.confirmed(action),
                Some(Cmd::No) | Some(Cmd::Back) | Some(Cmd::Quit) => {}
                _ => self.st.popups.open(Popup::Confirm { question, action }),
            },
            Popup::Conflict => {
                // Only keys that do not occur in typed text act here, so words typed on
                // after the question appeared cannot choose for the user.
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Enter => self.st.merge(),
                    KeyCode::Char('r') if ctrl => self.st.discard(),
                    KeyCode::Char('o') if ctrl => self.st.overwrite(),
                    _ => self.st.popups.open(Popup::Conflict),
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
            Popup::Window => self.key_window(key),
            Popup::Typed { text } => self.key_typed(key, text),
            Popup::Message { text, scroll } => match cmd {
                Some(Cmd::Back | Cmd::Quit | Cmd::Message | Cmd::Open) => {}
                Some(c) => self.st.popups.open(Popup::Message {
                    text,
                    scroll: scrolled(scroll, c),
                }),
                None => self.st.popups.open(Popup::Message { text, scroll }),
            },
            Popup::Picker { mut picker, to } => match picker.handle_key(key) {
                Outcome::Continue => self.st.popups.open(Popup::Picker { picker, to }),
                Outcome::Cancelled => {}
                Outcome::Chosen(path) => match to {
                    Pick::Attach(to) => self.attach(&to, &path),
                    Pick::Template => self.template_chosen(&path),
                },
            },
            Popup::Reuse(reuse) => self.key_reuse(key, reuse),
        }
    }

    /// The window's choices: g goes on with the version (or stops), i asks for a checklist
    /// file to install, w writes a copy to edit; Esc closes.
    fn key_window(&mut self, key: KeyEvent) {
        match (key.code, keymap::lookup(&key)) {
            (KeyCode::Char('g'), _) => self.go_on_past_window(),
            (KeyCode::Char('i'), _) => {
                self.start_editing(Target::InstallChecklist);
            }
            (KeyCode::Char('w'), _) => self.write_checklist_copy(),
            (_, Some(Cmd::Back | Cmd::Quit)) => {}
            _ => self.st.popups.open(Popup::Window),
        }
    }

    /// Records (or drops) the choice to go on with the project's version past its window.
    fn go_on_past_window(&mut self) {
        let Some(c) = self.st.checklist() else {
            return;
        };
        let version = c.version.clone();
        let going_on = self
            .st
            .proj()
            .is_some_and(|p| p.delivery.accept_past_window == version);
        let value = if going_on { "no" } else { "yes" };
        if self.st.commit(Edit::Set {
            key: Setting::AcceptPastWindow,
            value: value.into(),
        }) {
            self.st.info(if going_on {
                format!(
                    "The choice to go on with {} is dropped; the check reports the window again.",
                    terminal(&version)
                )
            } else {
                format!(
                    "Going on with {}: recorded in the project file; the check warns of it and the export says so.",
                    terminal(&version)
                )
            });
        }
    }

    /// Writes a copy of the project's checklist as the next release, beside the project file.
    fn write_checklist_copy(&mut self) {
        let Some(c) = self.st.checklist() else {
            return;
        };
        let next = crate::content::next_version(&c.version);
        let dir = self
            .st
            .project
            .as_ref()
            .map_or_else(|| self.st.cwd.clone(), |l| l.dir());
        let out = dir.join(format!("{}@{next}.toml", c.id));
        let text = match store::catalog::write_scaffold(c, &next, &out) {
            Ok(()) => format!(
                "Wrote {} (a copy of {} as {next}): edit what AWS changed, then install it here with i (or: ftr checklists add FILE).",
                terminal(&out.display().to_string()),
                terminal(&c.spec())
            ),
            Err(e) => format!("Not written: {}", e.headline()),
        };
        self.st.popups.open(Popup::Window);
        self.st.info(text);
    }

    fn key_help(&mut self, key: KeyEvent, cmd: Option<Cmd>, scroll: u16) {
        match cmd {
            Some(Cmd::Down) => self.st.popups.open(Popup::Help { scroll: scroll + 1 }),
            Some(Cmd::Up) => self.st.popups.open(Popup::Help {
                scroll: scroll.saturating_sub(1),
            }),
            Some(Cmd::Quit) if key.code != KeyCode::Char('q') => self.request_quit(),
            _ => {}
        }
    }

    /// Keys in the search box: letters type, ↑ ↓ choose, Enter goes, Esc closes.
    fn key_search(&mut self, s: Search, key: KeyEvent) {
        match search::key(&self.st, s, key) {
            search::Outcome::Open(s) => self.st.popups.open(Popup::Search(s)),
            search::Outcome::Closed => {}
            search::Outcome::Go(c) => {
                let moved = self.go_to_control(&c.id);
                self.st
                    .info(format!("{}: {}{moved}", c.id, terminal(&c.title)));
            }
        }
    }

    /// Keys in the list of files to reuse: keys typed filter it by path (Backspace erases,
    /// Esc clears the filter and then closes), ↑ ↓ PgUp PgDn Home End choose, Enter attaches.
    fn key_reuse(&mut self, key: KeyEvent, mut reuse: Reuse) {
        if let Some(filter) = filter::edited(&reuse.filter, &key) {
            reuse.set_filter(filter);
            self.st.popups.open(Popup::Reuse(reuse));
            return;
        }
        match key.code {
            KeyCode::Esc => return,
            KeyCode::Down => reuse.move_by(1),
            KeyCode::Up => reuse.move_by(-1),
            KeyCode::PageDown => reuse.move_by(10),
            KeyCode::PageUp => reuse.move_by(-10),
            KeyCode::Home => reuse.selected = 0,
            KeyCode::End => reuse.move_by(isize::MAX),
            KeyCode::Enter => {
                let Some(f) = reuse.chosen() else {
                    // Nothing matches: the list stays open to type something else.
                    self.st.popups.open(Popup::Reuse(reuse));
                    return;
                };
                let path = self
                    .st
                    .project
                    .as_ref()
                    .map(|l| l.dir().join(&f.path))
                    .unwrap_or_else(|| PathBuf::from(&f.path));
                self.attach(&AttachTo::Control(reuse.control.clone()), &path);
                return;
            }
            _ => {}
        }
        self.st.popups.open(Popup::Reuse(reuse));
    }

    fn confirmed(&mut self, action: Confirm) {
        match action {
            Confirm::RemoveEvidence { control, path } => {
                self.st.commit(Edit::Answer {
                    control,
                    change: Box::new(AnswerChange {
                        remove_evidence: vec![path],
                        ..AnswerChange::default()
                    }),
                });
                let n = self.st.evidence_states.len();
                self.interview.evidence = self.interview.evidence.min(n.saturating_sub(1));
            }
            Confirm::DetachFile { slot, path } => {
                if self.st.commit(Edit::Detach {
                    slot,
                    path: Some(path.clone()),
                }) {
                    self.st.info(format!(
                        "Detached {}; the file itself stays on disk.",
                        crate::safe::terminal(&path)
                    ));
                }
                let n = self.profile_rows().len();
                self.profile.sel = self.profile.sel.min(n - 1);
            }
            Confirm::SwitchModel(model) => self.choose_model(model),
            Confirm::OpenScoping(id) => {
                self.st.goto(Screen::Scoping);
                if let Some(i) = self
                    .st
                    .checklist()
                    .and_then(|c| c.scoping.iter().position(|q| q.id == id))
                {
                    self.scoping.sel = i;
                }
            }
            Confirm::QuitUnsaved => {
                self.st.remember();
                self.quit = true;
            }
        }
    }

    /// Moves the project as `plan` says, after keeping the file as it is beside it (as
    /// `ftr migrate` does), and saves it the way every change is saved.
    fn move_now(&mut self, plan: &Plan) {
        if self.st.unsaved {
            self.st.error(
                "Not moved: a change is not saved yet (NOT SAVED above). Once it is, c and m move.",
            );
            return;
        }
        let Some(loaded) = self.st.project.as_mut() else {
            return;
        };
        // The backup must be the file the preview was made from.
        match loaded.changed_on_disk() {
            Ok(false) => {}
            Ok(true) => {
                if let Err(e) = self.st.reread() {
                    self.st.error(format!(
                        "Not moved: the file changed on disk and cannot be read: {}",
                        e.headline()
                    ));
                    return;
                }
                self.st.refresh();
                self.st.preview_move();
                self.st
                    .info("The file changed on disk; reloaded it. Here is the preview again.");
                return;
            }
            Err(e) => {
                self.st.error(format!("Not moved: {}", e.headline()));
                return;
            }
        }
        let from = loaded.project.delivery.version.clone();
        let backup = match store::write_backup(&loaded.path, &from) {
            Ok(b) => b,
            Err(e) => {
                self.st.error(format!(
                    "Not moved: the backup could not be written: {}",
                    e.headline()
                ));
                return;
            }
        };
        let keep = match self.st.screen {
            Screen::Interview => self.st.selected_control().map(|c| c.id.clone()),
            _ => None,
        };
        let saved = self.st.commit(Edit::Migrate {
            to: plan.to.clone(),
            on: self.st.today,
        });
        if self.st.pinned_checklist().map(Checklist::spec).as_ref() != Some(&plan.to) {
            // Refused before anything changed (the message says why): no backup is needed.
            let _ = std::fs::remove_file(&backup);
            return;
        }
        self.interview.guidance_scroll = 0;
        self.interview.field = 0;
        self.interview.evidence = 0;
        if let Some(id) = keep {
            self.select_control(&id);
        }
        self.st.refresh();
        if !saved {
            // The save's own message (or the conflict question) says what to do; the move
            // stays on screen and is saved with the next change, as any other.
            return;
        }
        let name = backup
            .file_name()
            .map_or_else(|| backup.display().to_string(), |n| n.display().to_string());
        let mut text = format!(
            "Moved to {}; backup: {}.",
            terminal(&plan.to),
            terminal(&name)
        );
        if !plan.review.is_empty() {
            text.push_str(&format!(
                " To review (marked ?, v confirms): {}.",
                plan.review
                    .iter()
                    .map(|id| terminal(id).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        self.st.info(text);
    }

    fn key_newer(&mut self, key: KeyEvent, plan: Box<Plan>) {
        match (key.code, keymap::lookup(&key)) {
            (KeyCode::Enter | KeyCode::Char('c'), _) => self.st.popups.open(Popup::Changes {
                diff: Box::new(plan.diff),
                scroll: 0,
                can_move: true,
            }),
            (KeyCode::Char('m'), _) => self.st.preview_move(),
            (_, Some(Cmd::Back | Cmd::No | Cmd::Quit)) => {
                let text = format!(
                    "Staying on {} for now; c shows what changed and moves when you are ready.",
                    terminal(&plan.from)
                );
                self.st.info(text);
            }
            _ => self.st.popups.open(Popup::Newer { plan }),
        }
    }

    fn key_changes(&mut self, key: KeyEvent, diff: Box<Diff>, scroll: u16, can_move: bool) {
        if can_move && key.code == KeyCode::Char('m') {
            self.st.preview_move();
            return;
        }
        let scroll = match keymap::lookup(&key) {
            Some(Cmd::Back | Cmd::Quit | Cmd::Changes) => return,
            Some(cmd) => scrolled(scroll, cmd),
            None => scroll,
        };
        self.st.popups.open(Popup::Changes {
            diff,
            scroll,
            can_move,
        });
    }

    fn key_migrate(&mut self, key: KeyEvent, plan: Box<Plan>, backup: String, scroll: u16) {
        match keymap::lookup(&key) {
            Some(Cmd::Yes | Cmd::Open) => self.move_now(&plan),
            Some(Cmd::Back | Cmd::No | Cmd::Quit) => {
                let text = format!("Nothing changed: still on {}.", terminal(&plan.from));
                self.st.info(text);
            }
            cmd => {
                let scroll = cmd.map_or(scroll, |c| scrolled(scroll, c));
                self.st.popups.open(Popup::Migrate {
                    plan,
                    backup,
                    scroll,
                });
            }
        }
    }
}
