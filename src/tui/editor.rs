//! The text editor of a field: what it edits ([`Target`]), the keys it takes, and how its
//! text becomes a change to the project (always through [`App::commit`]).

use std::path::PathBuf;

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::app::{App, AttachTo, Edit, Field, Level, Pane, ProfileRow, Screen, first_line};
use crate::assessment::edit::AnswerChange;
use crate::assessment::{Evidence, PrereqAnswer};
use crate::dates::Date;

/// What a text editor is editing; its text is committed when the user leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Profile(ProfileRow),
    PrereqCount(String),
    Answer {
        control: String,
        field: Field,
    },
    /// A path typed to attach; Tab completes.
    /// AWS's workbook the export fills (`ftr set template`).
    Template,
    NewEvidence {
        to: AttachTo,
    },
    EvidenceLabel {
        to: AttachTo,
        path: String,
    },
    EvidenceDate {
        to: AttachTo,
        path: String,
    },
    /// The text to keep for a field changed two ways (at its path in the project file).
    Conflict {
        at: Vec<String>,
    },
}

pub struct Editor {
    pub target: Target,
    pub area: TextArea<'static>,
    pub multiline: bool,
    /// Completion candidates shown under a path being typed.
    pub candidates: Vec<String>,
    /// How many more names match than `candidates` holds.
    pub beyond: usize,
    /// Set when the typed value was refused; shown under the field.
    pub error: Option<String>,
}

impl Editor {
    pub(crate) fn new(target: Target, text: &str, multiline: bool) -> Editor {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.split('\n').map(str::to_string).collect()
        };
        let mut area = TextArea::new(lines);
        area.set_wrap_mode(if multiline {
            WrapMode::WordOrGlyph
        } else {
            WrapMode::None
        });
        area.set_cursor_line_style(ratatui::style::Style::default());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Editor {
            target,
            area,
            multiline,
            candidates: Vec::new(),
            beyond: 0,
            error: None,
        }
    }

    pub fn text(&self) -> String {
        let text = self.area.lines().join("\n");
        if self.multiline {
            text.trim_end().to_string()
        } else {
            text.trim().to_string()
        }
    }
}

/// A request the run loop carries out outside the terminal ($EDITOR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalEdit {
    pub control: String,
    pub text: String,
}

impl App {
    /// Saves the open editor's text if it is a plain text field that changed, keeping the
    /// editor open: a crash or a closed terminal then loses at most the last second of typing.
    pub fn save_draft(&mut self) {
        let Some(editor) = self.editor.as_ref() else {
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
            self.commit(edit);
        }
    }

    pub fn start_editing(&mut self, target: Target) {
        let text = self.current_text(&target);
        let multiline = matches!(&target, Target::Answer { field, .. } if field.multiline());
        self.editor = Some(Editor::new(target, &text, multiline));
    }

    fn current_text(&self, target: &Target) -> String {
        let Some(p) = self.proj() else {
            return String::new();
        };
        let answer = |control: &str| {
            self.checklist()
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
                    Field::Value(i) => match self.value_spec(control, *i) {
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
            Target::NewEvidence { .. } => String::new(),
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
        let p = self.proj()?;
        let files = match to {
            AttachTo::Control(control) => &p.answer(&self.checklist()?.id, control)?.evidence[..],
            AttachTo::Slot(slot) => slot.files(&p.profile),
        };
        files.iter().find(|e| e.path == path).cloned()
    }

    pub(super) fn key_editor(&mut self, key: KeyEvent) {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let Some(editor) = self.editor.as_mut() else {
            return;
        };
        let is_path = matches!(editor.target, Target::NewEvidence { .. } | Target::Template);
        match key.code {
            // A path not attached yet is nothing to save: Esc cancels it, as in the pickers.
            KeyCode::Esc if is_path => {
                let template = editor.target == Target::Template;
                self.editor = None;
                self.info(if template {
                    "The workbook is as it was."
                } else {
                    "Nothing attached."
                });
            }
            KeyCode::Esc => self.leave_editor(),
            KeyCode::Char('c') if ctrl => {
                self.leave_editor();
                self.request_quit();
            }
            KeyCode::Tab if is_path => {
                let typed = editor.text();
                let done = super::widgets::complete::complete(&typed, &self.cwd);
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
                let delta = if key.code == KeyCode::Tab { 1 } else { -1 };
                self.finish_editing();
                if self.editor.is_some() {
                    return;
                }
                match self.screen {
                    Screen::Interview => {
                        self.move_field(delta);
                        let field = self.field();
                        if !matches!(field, Field::Status | Field::Evidence)
                            && let Some(control) = self.selected_control().map(|c| c.id.clone())
                        {
                            self.start_editing(Target::Answer { control, field });
                        }
                    }
                    Screen::Profile => self.profile_tab(delta),
                    _ => {}
                }
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
                    self.external = Some(ExternalEdit { control, text });
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

    /// Saves the field and closes the editor; a value that cannot be taken is dropped, and
    /// the message says so (Esc and Ctrl-C always get the user out).
    fn leave_editor(&mut self) {
        self.finish_editing();
        if let Some(editor) = self.editor.take() {
            let why = editor.error.clone().unwrap_or_default();
            if let Some(at) = self.value_target(&editor.target) {
                // A refused value is kept on screen, never lost: the row shows it and the
                // next edit starts from it.
                self.interview.value_drafts.insert(at, editor.text());
                self.error(format!(
                    "Not saved, kept in the field to fix (e edits it): {}",
                    why.trim_end_matches('.')
                ));
                return;
            }
            self.error(format!("Not saved: {}", why.trim_end_matches('.')));
        }
    }

    pub(super) fn paste(&mut self, text: &str) {
        // Pasting onto a text field of the answer opens it, with the text in it.
        if self.editor.is_none()
            && self.popup.is_none()
            && self.screen == Screen::Interview
            && self.focus == Pane::Answer
            && !matches!(self.field(), Field::Status | Field::Evidence)
            && let Some(control) = self.selected_control().map(|c| c.id.clone())
        {
            let field = self.field();
            self.start_editing(Target::Answer { control, field });
        }
        if let Some(editor) = self.editor.as_mut() {
            // What Tab listed no longer matches the path once more is pasted in.
            editor.candidates.clear();
            editor.beyond = 0;
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            if editor.multiline {
                editor.area.insert_str(&text);
            } else {
                editor.area.insert_str(text.replace('\n', " "));
            }
        }
    }

    /// The change that the text typed for `target` makes; `Err` says why the text cannot be
    /// taken, `Ok(None)` that there is nothing to record. A path to attach is not an edit of
    /// the project until the file is fingerprinted, so it is handled by `finish_editing`.
    fn edit_for(&self, target: &Target, text: String) -> Result<Option<Edit>, String> {
        Ok(Some(match target {
            Target::Profile(row) => Edit::Set {
                key: row.key().into(),
                value: text,
            },
            Target::PrereqCount(id) => {
                if !text.is_empty() && text.parse::<u32>().is_err() {
                    return Err("Type a whole number, e.g. 12 (empty clears it).".into());
                }
                Edit::Set {
                    key: format!("prereq.{id}"),
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
                        let Some(spec) = self.value_spec(control, *i) else {
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
            Target::NewEvidence { .. } | Target::Template => return Ok(None),
            Target::Conflict { at } => return self.conflict_edit(at, text),
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
        let stored = if typed.is_empty() {
            String::new()
        } else {
            let path = expand_home(typed);
            let path = if path.is_absolute() {
                path
            } else {
                self.cwd.join(path)
            };
            let template = crate::export::template::Template::open(&path)
                .map_err(|e| first_line(&e.to_string()))?;
            if let Some(c) = self.checklist() {
                template
                    .check_checklist(c)
                    .map_err(|e| first_line(&e.to_string()))?;
            }
            let dir = self.project.as_ref().map(|l| l.dir()).unwrap_or_default();
            let abs = |p: &std::path::Path| {
                crate::assessment::evidence::absolute(p).map_err(|e| first_line(&e.to_string()))
            };
            crate::assessment::evidence::stored_path(&abs(&path)?, &abs(&dir)?)
        };
        if self.commit(Edit::Template {
            stored: stored.clone(),
        }) {
            self.info(if stored.is_empty() {
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

    pub fn finish_editing(&mut self) {
        let Some(editor) = self.editor.take() else {
            return;
        };
        if matches!(editor.target, Target::Conflict { .. }) {
            self.finish_conflict_edit(editor);
            return;
        }
        let text = editor.text();
        if editor.target == Target::Template {
            if let Err(why) = self.choose_template(&text) {
                self.reopen(editor, &why);
            }
            return;
        }
        if let Target::NewEvidence { to } = &editor.target {
            if text.is_empty() {
                return;
            }
            let to = to.clone();
            if to == AttachTo::Slot(crate::assessment::Slot::DeploymentGuide)
                && crate::assessment::edit::is_address(&text)
            {
                self.give_guide_address(&text);
                return;
            }
            let path = expand_home(text.trim().trim_matches(['\'', '"']));
            let path = if path.is_absolute() {
                path
            } else {
                self.cwd.join(path)
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
                if self.commit(edit)
                    && let Some(at) = value
                {
                    self.interview.value_drafts.remove(&at);
                    // What was wrong with an earlier try no longer is.
                    if self
                        .message
                        .as_ref()
                        .is_some_and(|m| m.level == Level::Error)
                    {
                        self.message = None;
                    }
                }
            }
            Ok(None) => {}
            Err(why) => {
                if value.is_some() {
                    // The message line says it too, as the field row will once the editor
                    // is left.
                    self.error(why.clone());
                }
                self.reopen(editor, &why)
            }
        }
    }

    fn reopen(&mut self, mut editor: Editor, why: &str) {
        editor.error = Some(why.to_string());
        self.editor = Some(editor);
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
            self.commit(Edit::Answer {
                control: control.to_string(),
                change: Box::new(AnswerChange {
                    response: Some(text.trim_end().to_string()),
                    ..AnswerChange::default()
                }),
            });
        }
        if let Some(why) = problem {
            self.error(why);
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
