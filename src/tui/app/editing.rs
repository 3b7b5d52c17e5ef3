//! The field editor's keys, and how its text becomes a change to the project (always through
//! `State::commit`): a text, a count, a date, a value checked against its kind, a path to
//! attach (fingerprinted first), AWS's workbook to fill, the text kept for a conflict.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

use super::App;
use crate::assessment::edit::{self, AnswerChange};
use crate::assessment::setting::Setting;
use crate::assessment::{Evidence, PrereqAnswer, Slot};
use crate::dates::Date;
use crate::store::catalog;
use crate::tui::screens::resolve;
use crate::tui::state::edit::{AttachTo, Edit};
use crate::tui::state::editor::{Editor, ExternalEdit, Target};
use crate::tui::state::nav::{Field, Level, Pane, ProfileRow, Screen};
use crate::tui::state::popup::Popup;

impl App {
    /// Saves the open editor's text if it is a plain text field that changed, keeping the
    /// editor open: a crash or a closed terminal then loses at most the last second of typing.
    pub fn save_draft(&mut self) {
        let Some(editor) = self.st.editor.as_ref() else {
            return;
        };
        // The text kept for a conflict settles it: that waits until the editor is left.
        if matches!(editor.target, Target::Conflict { .. }) {
            return;
        }
        let text = editor.text();
        if self.current_text(&editor.target) == text {
            return;
        }
        // A value that cannot be taken yet (half a date) simply waits for more typing.
        if let Ok(Some(edit)) = self.edit_for(&editor.target, text) {
            self.st.commit(edit);
        }
    }

    pub fn start_editing(&mut self, target: Target) {
        let text = self.current_text(&target);
        let multiline = matches!(&target, Target::Answer { field, .. } if field.multiline());
        self.st.editor = Some(Editor::new(target, &text, multiline));
    }

    fn current_text(&self, target: &Target) -> String {
        let Some(p) = self.st.proj() else {
            return String::new();
        };
        let answer = |control: &str| {
            self.st
                .checklist()
                .and_then(|c| p.answer(&c.id, control))
                .cloned()
                .unwrap_or_default()
        };
        match target {
            Target::Profile(row) => match row {
                ProfileRow::Company => p.profile.company.clone(),
                ProfileRow::Product => p.profile.product.clone(),
                ProfileRow::ContactName => p.profile.contact_name.clone(),
                ProfileRow::ContactEmail => p.profile.contact_email.clone(),
                ProfileRow::Submitted => p
                    .submission
                    .submitted
                    .map_or_else(String::new, |d| d.to_string()),
                ProfileRow::Reviewed => p
                    .submission
                    .reviewed
                    .map_or_else(String::new, |d| d.to_string()),
                _ => String::new(),
            },
            Target::PrereqCount(id) => match p.prerequisites.get(id) {
                Some(PrereqAnswer::Count(n)) => n.to_string(),
                _ => String::new(),
            },
            Target::Answer { control, field } => {
                let a = answer(control);
                match field {
                    Field::Response => a.response,
                    Field::Reason => a.reason,
                    Field::PlanWhat => a.remediation.what,
                    Field::PlanOwner => a.remediation.owner,
                    Field::PlanDue => a.remediation.due.map(|d| d.to_string()).unwrap_or_default(),
                    Field::Notes => a.notes,
                    Field::Value(i) => match self.st.value_spec(control, *i) {
                        Some(spec) => self
                            .interview
                            .value_drafts
                            .get(&(control.clone(), spec.key.clone()))
                            .or_else(|| a.values.get(&spec.key))
                            .cloned()
                            .unwrap_or_default(),
                        None => String::new(),
                    },
                    Field::Status | Field::Evidence | Field::Row(_) => String::new(),
                }
            }
            Target::NewEvidence { .. } | Target::InstallChecklist => String::new(),
            Target::Template => p.profile.template.clone(),
            Target::Conflict { at } => p
                .conflicts
                .iter()
                .find(|c| c.at == *at)
                .and_then(|c| c.ours.as_ref())
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
            Target::EvidenceLabel { to, path } => {
                self.file(to, path).map(|e| e.label).unwrap_or_default()
            }
            Target::EvidenceDate { to, path } => self
                .file(to, path)
                .and_then(|e| e.produced)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    /// The file attached at `path` to a control or a slot.
    fn file(&self, to: &AttachTo, path: &str) -> Option<Evidence> {
        let p = self.st.proj()?;
        let files = match to {
            AttachTo::Control(control) => {
                &p.answer(&self.st.checklist()?.id, control)?.evidence[..]
            }
            AttachTo::Slot(slot) => slot.files(&p.profile),
        };
        files.iter().find(|e| e.path == path).cloned()
    }

    pub(super) fn key_editor(&mut self, key: KeyEvent) {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let Some(editor) = self.st.editor.as_mut() else {
            return;
        };
        let is_path = editor.target.is_path();
        match key.code {
            // A path not attached yet is nothing to save: Esc cancels it, as in the pickers.
            KeyCode::Esc if is_path => {
                let said = match editor.target {
                    Target::Template => "The workbook is as it was.",
                    Target::InstallChecklist => "Nothing installed.",
                    _ => "Nothing attached.",
                };
                self.st.editor = None;
                self.st.info(said);
            }
            KeyCode::Esc => self.leave_editor(),
            KeyCode::Char('c') if ctrl => {
                self.leave_editor();
                self.request_quit();
            }
            KeyCode::Tab if is_path => {
                let typed = editor.text();
                let done = crate::tui::widgets::complete::complete(&typed, &self.st.cwd);
                editor.area = TextArea::new(vec![done.text]);
                editor.area.move_cursor(CursorMove::End);
                (editor.candidates, editor.beyond) = if done.candidates.len() > 1 {
                    (done.candidates, done.beyond)
                } else {
                    (Vec::new(), 0)
                };
            }
            // Saves, moves to the next (or previous) field and goes on editing there when it
            // is a text field too: the letters typed next land in it, never run as commands.
            KeyCode::Tab | KeyCode::BackTab => {
                self.save_and_move(if key.code == KeyCode::Tab { 1 } else { -1 });
            }
            // Enter in a one-line field of the answer or the profile saves it and goes on to
            // the next field as Tab does, so the Tab, Enter or words that come next land in a
            // field, never on the panes or the list.
            KeyCode::Enter
                if !editor.multiline
                    && !ctrl
                    && matches!(
                        (&editor.target, self.st.screen),
                        (Target::Answer { .. }, Screen::Interview)
                            | (Target::Profile(_), Screen::Profile)
                    ) =>
            {
                self.save_and_move(1);
            }
            KeyCode::Enter if !editor.multiline || ctrl => self.finish_editing(),
            // As in a shell: Ctrl-U deletes from the cursor to the start of the line.
            KeyCode::Char('u') if ctrl => {
                editor.error = None;
                editor.candidates.clear();
                editor.beyond = 0;
                editor.area.delete_line_by_head();
            }
            KeyCode::Char('e') if ctrl => {
                if let Target::Answer {
                    control,
                    field: Field::Response,
                } = &editor.target
                {
                    // What was typed here is saved before the other editor opens.
                    let control = control.clone();
                    let text = editor.text();
                    self.finish_editing();
                    self.st.external = Some(ExternalEdit { control, text });
                }
            }
            _ => {
                editor.error = None;
                // What Tab listed no longer matches what is typed now.
                editor.candidates.clear();
                editor.beyond = 0;
                editor.area.input(key);
            }
        }
    }

    /// Saves the field being edited and moves `delta` fields on (the profile: rows), going
    /// on editing there when it is a text field too: the letters typed next land in it,
    /// never run as commands. A value refused keeps the editor where it was.
    fn save_and_move(&mut self, delta: i32) {
        self.finish_editing();
        if self.st.editor.is_some() {
            return;
        }
        match self.st.screen {
            Screen::Interview => {
                self.interview.move_field(&mut self.st, delta);
                let field = self.field();
                if !matches!(field, Field::Status | Field::Evidence)
                    && let Some(control) = self.st.selected_control().map(|c| c.id.clone())
                {
                    self.start_editing(Target::Answer { control, field });
                }
            }
            Screen::Profile => {
                if let Some(target) = self.profile.tab(&self.st, delta) {
                    self.start_editing(target);
                }
            }
            _ => {}
        }
    }

    /// Saves the field and closes the editor; a value that cannot be taken is dropped, and
    /// the message says so (Esc and Ctrl-C always get the user out).
    fn leave_editor(&mut self) {
        self.finish_editing();
        if let Some(editor) = self.st.editor.take() {
            let why = editor.error.clone().unwrap_or_default();
            if let Some(at) = self.value_target(&editor.target) {
                // A refused value is kept on screen, never lost: the row shows it and the
                // next edit starts from it.
                self.interview.value_drafts.insert(at, editor.text());
                self.st.error(format!(
                    "Not saved, kept in the field to fix (e edits it): {}",
                    why.trim_end_matches('.')
                ));
                return;
            }
            self.st
                .error(format!("Not saved: {}", why.trim_end_matches('.')));
        }
    }

    pub(super) fn paste(&mut self, text: &str) {
        if matches!(self.st.popups.top(), Some(Popup::Typed { .. })) {
            self.hold(text.to_string());
            return;
        }
        // Pasting onto a text field of the answer opens it, with the text in it.
        if self.st.editor.is_none()
            && self.st.popups.is_empty()
            && self.st.screen == Screen::Interview
            && self.st.focus == Pane::Answer
            && !matches!(self.field(), Field::Status | Field::Evidence)
            && let Some(control) = self.st.selected_control().map(|c| c.id.clone())
        {
            let field = self.field();
            self.start_editing(Target::Answer { control, field });
        }
        if let Some(editor) = self.st.editor.as_mut() {
            // What Tab listed no longer matches the path once more is pasted in.
            editor.candidates.clear();
            editor.beyond = 0;
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            if editor.multiline {
                editor.area.insert_str(&text);
            } else {
                editor.area.insert_str(text.replace('\n', " "));
            }
        } else if self.st.popups.is_empty() && !text.trim().is_empty() {
            // No field takes it here: held, as typing is, never run as keys.
            self.hold(text.to_string());
        }
    }

    /// The change that the text typed for `target` makes; `Err` says why the text cannot be
    /// taken, `Ok(None)` that there is nothing to record. A path to attach is not an edit of
    /// the project until the file is fingerprinted, so it is handled by `finish_editing`.
    fn edit_for(&self, target: &Target, text: String) -> Result<Option<Edit>, String> {
        Ok(Some(match target {
            Target::Profile(row @ (ProfileRow::Submitted | ProfileRow::Reviewed)) => {
                let text = text.trim().to_string();
                if !text.is_empty() && Date::parse(&text).is_none() {
                    return Err(
                        "Type the day as YYYY-MM-DD, e.g. 2026-12-04 (empty clears it).".into(),
                    );
                }
                Edit::Set {
                    key: row.setting(),
                    value: if text.is_empty() {
                        "unset".into()
                    } else {
                        text
                    },
                }
            }
            Target::Profile(row) => Edit::Set {
                key: row.setting(),
                value: text,
            },
            Target::PrereqCount(id) => {
                if !text.is_empty() && text.parse::<u32>().is_err() {
                    return Err("Type a whole number, e.g. 12 (empty clears it).".into());
                }
                Edit::Set {
                    key: Setting::Prereq(id.clone()),
                    value: if text.is_empty() {
                        "unset".into()
                    } else {
                        text
                    },
                }
            }
            Target::Answer { control, field } => {
                let mut change = AnswerChange::default();
                match field {
                    Field::Response => change.response = Some(text),
                    Field::Reason => change.reason = Some(text),
                    Field::PlanWhat => change.plan_what = Some(text),
                    Field::PlanOwner => change.plan_owner = Some(text),
                    Field::Notes => change.notes = Some(text),
                    Field::PlanDue => change.plan_due = Some(parse_optional_date(&text)?),
                    Field::Value(i) => {
                        let Some(spec) = self.st.value_spec(control, *i) else {
                            return Ok(None);
                        };
                        if !text.is_empty()
                            && let Err(why) = spec.kind.parse(&text)
                        {
                            return Err(format!("`{text}` is not a {}; {why}.", spec.kind));
                        }
                        change.values = vec![(spec.key.clone(), text)];
                    }
                    Field::Status | Field::Evidence | Field::Row(_) => return Ok(None),
                }
                Edit::Answer {
                    control: control.clone(),
                    change: Box::new(change),
                }
            }
            Target::NewEvidence { .. } | Target::Template | Target::InstallChecklist => {
                return Ok(None);
            }
            Target::Conflict { at } => return resolve::conflict_edit(&self.st, at, text),
            Target::EvidenceLabel { to, path } => Edit::EvidenceMeta {
                to: to.clone(),
                path: path.clone(),
                label: Some(text),
                produced: None,
            },
            Target::EvidenceDate { to, path } => Edit::EvidenceMeta {
                to: to.clone(),
                path: path.clone(),
                label: None,
                produced: Some(parse_optional_date(&text)?),
            },
        }))
    }

    /// The control and key of a value being typed, if the editor holds one.
    fn value_target(&self, target: &Target) -> Option<(String, String)> {
        match target {
            Target::Answer {
                control,
                field: Field::Value(i),
            } => self
                .st
                .value_spec(control, *i)
                .map(|spec| (control.clone(), spec.key.clone())),
            _ => None,
        }
    }

    /// Commits the editor's text. A value that cannot be taken (a bad date or count, a path
    /// that is not a file) keeps the editor open with the reason shown.
    /// Remembers `typed` as AWS's workbook to fill, after checking it is one of the project's
    /// checklist (an empty path forgets it). The error says why it was refused.
    fn choose_template(&mut self, typed: &str) -> Result<(), String> {
        let typed = typed.trim().trim_matches(['\'', '"']);
        let path = (!typed.is_empty()).then(|| {
            let path = expand_home(typed);
            if path.is_absolute() {
                path
            } else {
                self.st.cwd.join(path)
            }
        });
        self.remember_template(path.as_deref())
    }

    /// AWS's workbook chosen in the file browser, checked and remembered as a typed path is;
    /// the message says why one is refused.
    pub(super) fn template_chosen(&mut self, path: &Path) {
        if let Err(why) = self.remember_template(Some(path)) {
            self.st.error(format!(
                "Not chosen as AWS's workbook: {} (b browses again)",
                crate::safe::terminal(&why)
            ));
        }
    }

    /// Remembers the workbook at `path` (absolute) as the one to fill, after checking it is
    /// one of the project's checklist; `None` forgets it. The error says why it was refused.
    fn remember_template(&mut self, path: Option<&Path>) -> Result<(), String> {
        let stored = if let Some(path) = path {
            let template =
                crate::export::template::Template::open(path).map_err(|e| e.headline())?;
            if let Some(c) = self.st.checklist() {
                template.check_checklist(c).map_err(|e| e.headline())?;
            }
            let dir = self
                .st
                .project
                .as_ref()
                .map(|l| l.dir())
                .unwrap_or_default();
            let abs = |p: &std::path::Path| {
                crate::assessment::evidence::absolute(p).map_err(|e| e.headline())
            };
            crate::assessment::evidence::stored_path(&abs(path)?, &abs(&dir)?)
        } else {
            String::new()
        };
        if self.st.commit(Edit::Template {
            stored: stored.clone(),
        }) {
            self.st.info(if stored.is_empty() {
                "The export writes ftr's own sheet.".to_string()
            } else {
                format!(
                    "The export fills AWS's workbook {}.",
                    crate::safe::terminal(&stored)
                )
            });
        }
        Ok(())
    }

    /// Installs the checklist file at `typed` (as `ftr checklists add` does), adds it to the
    /// loaded library and, when it is a newer release of the project's checklist, asks about
    /// moving to it. The error says why it was refused.
    fn install_checklist(&mut self, typed: &str) -> Result<(), String> {
        let typed = typed.trim().trim_matches(['\'', '"']);
        if typed.is_empty() {
            return Err("Give the path of the checklist file (Esc: nothing installed).".into());
        }
        let path = expand_home(typed);
        let path = if path.is_absolute() {
            path
        } else {
            self.st.cwd.join(path)
        };
        let dir = match &self.st.data_dir {
            Some(d) => catalog::folder_in(d),
            None => catalog::folder_or_error().map_err(|e| e.headline())?,
        };
        let added = catalog::add(&dir, &path, &self.st.library, false).map_err(|e| e.headline())?;
        let today = self.st.today;
        self.st
            .library
            .add_versions(added.checklists, Vec::new(), today);
        self.st.refresh();
        self.st.info(
            added
                .lines
                .iter()
                .map(|l| crate::safe::terminal(l).into_owned())
                .collect::<Vec<_>>()
                .join("; "),
        );
        self.st.offer_newer();
        Ok(())
    }

    pub fn finish_editing(&mut self) {
        let Some(editor) = self.st.editor.take() else {
            return;
        };
        if matches!(editor.target, Target::Conflict { .. }) {
            resolve::finish_edit(&mut self.st, editor);
            return;
        }
        let text = editor.text();
        if editor.target == Target::Template {
            if let Err(why) = self.choose_template(&text) {
                self.reopen(editor, &why);
            }
            return;
        }
        if editor.target == Target::InstallChecklist {
            if let Err(why) = self.install_checklist(&text) {
                self.reopen(editor, &why);
            }
            return;
        }
        if let Target::NewEvidence { to } = &editor.target {
            if text.is_empty() {
                return;
            }
            let to = to.clone();
            if to == AttachTo::Slot(Slot::DeploymentGuide) && edit::is_address(&text) {
                self.give_guide_address(&text);
                return;
            }
            let path = expand_home(text.trim().trim_matches(['\'', '"']));
            let path = if path.is_absolute() {
                path
            } else {
                self.st.cwd.join(path)
            };
            if !path.is_file() {
                let why = if path.exists() {
                    "That is not a regular file; Tab completes names."
                } else {
                    "No such file; Tab completes names, b opens a picker."
                };
                self.reopen(editor, why);
                return;
            }
            self.attach(&to, &path);
            return;
        }
        let value = self.value_target(&editor.target);
        match self.edit_for(&editor.target, text) {
            Ok(Some(edit)) => {
                if self.st.commit(edit)
                    && let Some(at) = value
                {
                    self.interview.value_drafts.remove(&at);
                    // What was wrong with an earlier try no longer is.
                    if self
                        .st
                        .message
                        .as_ref()
                        .is_some_and(|m| m.level == Level::Error)
                    {
                        self.st.message = None;
                    }
                }
            }
            Ok(None) => {}
            Err(why) => {
                if value.is_some() {
                    // The message line says it too, as the field row will once the editor
                    // is left.
                    self.st.error(why.clone());
                }
                self.reopen(editor, &why)
            }
        }
    }

    fn reopen(&mut self, mut editor: Editor, why: &str) {
        editor.error = Some(why.to_string());
        self.st.editor = Some(editor);
        // An earlier "Saved" must not stand beside a value just refused.
        if self
            .st
            .message
            .as_ref()
            .is_some_and(|m| m.level == Level::Info)
        {
            self.st.message = None;
        }
    }

    /// The run loop calls this with what $EDITOR left (`text`, when the file could be read
    /// back) and what went wrong, if anything. Text that changed is kept even when the editor
    /// reported a failure.
    pub fn finish_external(
        &mut self,
        control: &str,
        text: Option<String>,
        problem: Option<String>,
    ) {
        if let Some(text) = text {
            self.st.commit(Edit::Answer {
                control: control.to_string(),
                change: Box::new(AnswerChange {
                    response: Some(text.trim_end().to_string()),
                    ..AnswerChange::default()
                }),
            });
        }
        if let Some(why) = problem {
            self.st.error(why);
        }
    }

    /// Gives the deployment guide as the address it is published at (refused, with why, when
    /// it is no https:// address).
    pub fn give_guide_address(&mut self, typed: &str) {
        let value = typed.trim().to_string();
        if self.st.commit(Edit::Set {
            key: Setting::Slot(Slot::DeploymentGuide),
            value: value.clone(),
        }) {
            self.st.info(format!(
                "The deployment guide is {}, its address.",
                crate::safe::terminal(&value)
            ));
        }
    }

    /// Fingerprints `path` and attaches it to a control, or to a slot of the upload form.
    pub fn attach(&mut self, to: &AttachTo, path: &Path) {
        let Some(dir) = self.st.project.as_ref().map(|l| l.dir()) else {
            return;
        };

        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.st.cwd.join(path)
        };
        let ev = match Evidence::attach(&path, &dir, String::new(), None, self.st.clock.now()) {
            Ok(ev) => ev,
            Err(e) => {
                self.st.error(e.headline());
                return;
            }
        };
        let mut ev = ev;
        // A file the terminal shows only escaped.
        let shown = crate::safe::terminal(&ev.path).into_owned();
        let stored = ev.path.clone();
        // It keeps the label and date it carries elsewhere, and is recorded anew there.
        let here = match to {
            AttachTo::Control(control) => self.st.checklist().map(|c| edit::Citer::Control {
                checklist: c.id.clone(),
                id: control.to_string(),
            }),
            AttachTo::Slot(slot) => Some(edit::Citer::Slot(*slot)),
        };
        let current = self.st.checklist().map(|c| c.id.clone());
        let others = match (self.st.proj(), here) {
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
                let saved = self.st.commit(Edit::Answer {
                    control: control.to_string(),
                    change: Box::new(AnswerChange {
                        add_evidence: vec![ev],
                        ..AnswerChange::default()
                    }),
                });
                if let Some(i) = self
                    .st
                    .proj()
                    .zip(self.st.checklist())
                    .and_then(|(p, c)| p.answer(&c.id, control))
                    .and_then(|a| a.evidence.iter().position(|e| e.path == stored))
                {
                    // The new file's row is selected, so L, D and d act on it next (the
                    // focus stays where it was: from the list, j still moves on).
                    self.interview.evidence = i;
                    if self.st.screen == Screen::Interview
                        && let Some(k) = self.fields().iter().position(|f| *f == Field::Evidence)
                    {
                        self.interview.field = k;
                    }
                }
                if saved {
                    self.st
                        .info(format!("Attached {shown} to {control}{also}."));
                }
            }
            AttachTo::Slot(slot) => {
                let format = ev.format(&dir).ok();
                self.attach_to_slot(*slot, ev, format, &shown, &also);
            }
        }
    }

    /// Attaches `ev` to `slot` of the upload form and selects its row on the profile.
    fn attach_to_slot(
        &mut self,
        slot: Slot,
        ev: Evidence,
        format: Option<crate::assessment::evidence::Format>,
        shown: &str,
        also: &str,
    ) {
        let stored = ev.path.clone();
        let saved = self.st.commit(Edit::Attach {
            slot,
            evidence: Box::new(ev),
        });
        let row = self.st.proj().and_then(|p| {
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
        if let Some(i) = row.and_then(|r| self.profile_rows().iter().position(|x| *x == r)) {
            self.profile.sel = i;
        }
        if !saved {
            return;
        }
        match format {
            Some(f) if slot == Slot::Diagram && !f.is_png_or_jpeg() => self.st.error(format!(
                "Attached {shown} as the diagram{also}, but it is not a PNG or JPEG image (its first bytes are {}); the form takes .png or .jpeg.",
                f.describe()
            )),
            _ => self.st.info(format!("Attached {shown} as the {}{also}.", slot.name())),
        }
    }
}

fn parse_optional_date(text: &str) -> Result<Option<Date>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(text)
        .map(Some)
        .ok_or_else(|| "Write the date as YYYY-MM-DD, e.g. 2027-01-31 (empty clears it).".into())
}

fn expand_home(text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(text)
}
