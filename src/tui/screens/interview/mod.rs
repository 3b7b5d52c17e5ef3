//! The interview: a domain's controls on the left, the selected control's question and
//! guidance top right, its answer (status, response, reason or plan, notes, evidence) below.
//! This file holds the view's state and its keys; `draw` draws it.

pub mod draw;

use super::{Action, Reply};
use crate::assessment::edit::AnswerChange;
use crate::assessment::{Evidence, Status};
use crate::content::Control;
use crate::tui::keymap::Cmd;
use crate::tui::state::State;
use crate::tui::state::edit::{AttachTo, Edit};
use crate::tui::state::editor::{ExternalEdit, Target};
pub use crate::tui::state::nav::Field;
use crate::tui::state::nav::{Pane, Screen, domain_index};
use crate::tui::state::popup::{Confirm, Popup, Reuse, ReuseFile};

#[derive(Debug, Default)]
pub struct InterviewView {
    pub guidance_scroll: u16,
    pub field: usize,
    pub evidence: usize,
    /// Values typed but refused (they do not read as their kind), by control and key, kept
    /// so that leaving the field never loses the text: the row shows it and editing starts
    /// from it.
    pub value_drafts: std::collections::BTreeMap<(String, String), String>,
}

impl InterviewView {
    /// The keys the footer shows here, and help lists first: by the pane (and field) in
    /// focus; `v` when the selected control's answer waits for review.
    pub fn commands(&self, st: &State) -> Vec<Cmd> {
        let mut cmds = match st.focus {
            Pane::List => vec![
                Cmd::Down,
                Cmd::Open,
                Cmd::Met,
                Cmd::NotMet,
                Cmd::NotApplicable,
                Cmd::NextPane,
                Cmd::NextStep,
                Cmd::Review,
                Cmd::Help,
                Cmd::Quit,
            ],
            Pane::Guidance => vec![
                Cmd::Down,
                Cmd::PageDown,
                Cmd::NextPane,
                Cmd::Met,
                Cmd::NextStep,
                Cmd::Help,
                Cmd::Quit,
            ],
            Pane::Answer if self.field(st) == Field::Evidence => vec![
                Cmd::Down,
                Cmd::AddPath,
                Cmd::Browse,
                Cmd::Reuse,
                Cmd::Remove,
                Cmd::Label,
                Cmd::NextPane,
                Cmd::Help,
            ],
            Pane::Answer => vec![
                Cmd::Down,
                Cmd::Edit,
                Cmd::ExternalEditor,
                Cmd::Met,
                Cmd::NotMet,
                Cmd::NotApplicable,
                Cmd::AddPath,
                Cmd::NextPane,
                Cmd::Help,
            ],
        };
        if st
            .selected_control()
            .is_some_and(|c| !st.to_review(&c.id).is_empty())
        {
            cmds.insert(1, Cmd::Reviewed);
        }
        cmds
    }

    pub fn key(&mut self, st: &mut State, cmd: Cmd) -> Reply {
        let Some(control) = st.selected_control().cloned() else {
            return Reply::Ignored;
        };
        match cmd {
            // Esc goes back: from the answer or the guidance to the list.
            Cmd::Back if st.focus != Pane::List => st.focus = Pane::List,
            Cmd::NextPane => st.focus = next_pane(st.focus, 1),
            Cmd::PrevPane => st.focus = next_pane(st.focus, -1),
            Cmd::Met => return self.set_status(st, &control, Status::Met),
            Cmd::NotMet => return self.set_status(st, &control, Status::NotMet),
            Cmd::NotApplicable => return self.set_status(st, &control, Status::NotApplicable),
            Cmd::Unanswered => return self.set_status(st, &control, Status::Unanswered),
            Cmd::AddPath => {
                return Reply::Do(Action::Edit(Target::NewEvidence {
                    to: AttachTo::Control(control.id.clone()),
                }));
            }
            Cmd::Browse => st.browse(AttachTo::Control(control.id.clone())),
            Cmd::Reuse => open_reuse(st, &control),
            Cmd::Reviewed => confirm_reviewed(st, &control),
            Cmd::ExternalEditor => {
                let text = st.answer_of(&control.id).response;
                st.external = Some(ExternalEdit {
                    control: control.id.clone(),
                    text,
                });
            }
            _ => return self.key_pane(st, cmd, &control),
        }
        Reply::Handled
    }

    fn key_pane(&mut self, st: &mut State, cmd: Cmd, control: &Control) -> Reply {
        match st.focus {
            Pane::List => {
                let d = domain_index(st.domain());
                let n = st.domain_controls(st.domain()).len();
                let i = &mut st.place.selected[d];
                let before = *i;
                match cmd {
                    Cmd::Down => *i = (*i + 1).min(n.saturating_sub(1)),
                    Cmd::Up => *i = i.saturating_sub(1),
                    Cmd::PageDown => *i = (*i + 10).min(n.saturating_sub(1)),
                    Cmd::PageUp => *i = i.saturating_sub(10),
                    Cmd::Home => *i = 0,
                    Cmd::End => *i = n.saturating_sub(1),
                    Cmd::Open | Cmd::Right => st.focus = Pane::Answer,
                    _ => return Reply::Ignored,
                }
                if st.place.selected[d] != before {
                    self.guidance_scroll = 0;
                    self.field = 0;
                    self.evidence = 0;
                    st.refresh_evidence();
                }
            }
            Pane::Guidance => match cmd {
                Cmd::Down => self.scroll_guidance(1),
                Cmd::Up => self.scroll_guidance(-1),
                Cmd::PageDown => self.scroll_guidance(8),
                Cmd::PageUp => self.scroll_guidance(-8),
                Cmd::Home => self.guidance_scroll = 0,
                _ => return Reply::Ignored,
            },
            Pane::Answer => return self.key_answer(st, cmd, control),
        }
        Reply::Handled
    }

    fn key_answer(&mut self, st: &mut State, cmd: Cmd, control: &Control) -> Reply {
        let fields = self.fields(st);
        let field = self.field(st);
        let evidence = st.answer_of(&control.id).evidence;
        match cmd {
            Cmd::Down => {
                if field == Field::Evidence && self.evidence + 1 < evidence.len() {
                    self.evidence += 1;
                } else {
                    self.move_field(st, 1);
                }
            }
            Cmd::Up => {
                if field == Field::Evidence && self.evidence > 0 {
                    self.evidence -= 1;
                } else {
                    self.move_field(st, -1);
                }
            }
            Cmd::Left | Cmd::Right if field == Field::Status => {
                let order = [
                    Status::Unanswered,
                    Status::Met,
                    Status::NotMet,
                    Status::NotApplicable,
                ];
                let now = st.answer_of(&control.id).status;
                let i = order.iter().position(|s| *s == now).unwrap_or(0) as i32;
                let d = if cmd == Cmd::Right { 1 } else { -1 };
                let next = order[(i + d).rem_euclid(order.len() as i32) as usize];
                commit_status(st, control, next);
            }
            Cmd::Left | Cmd::Right if matches!(field, Field::Row(_)) => {
                let Field::Row(i) = field else {
                    return Reply::Handled;
                };
                if let Some(row) = control.rows.get(i) {
                    cycle_row(st, control, row, if cmd == Cmd::Right { 1 } else { -1 });
                }
            }
            Cmd::Left => st.focus = Pane::List,
            Cmd::Open | Cmd::Edit if matches!(field, Field::Row(_)) => {
                st.info("A row takes one of its choices: press its key (y, n, a, …) or ← →.");
            }
            Cmd::Open | Cmd::Edit => {
                return self.open_field(st, control, field, evidence.is_empty());
            }
            Cmd::Remove | Cmd::Label | Cmd::Produced if field == Field::Evidence => {
                return self.key_evidence(st, cmd, control, &evidence);
            }
            Cmd::Home => self.field = 0,
            Cmd::End => self.field = fields.len() - 1,
            _ => return Reply::Ignored,
        }
        Reply::Handled
    }

    /// Enter or e on a field of the answer: its editor (for the status, the response's).
    fn open_field(
        &mut self,
        st: &mut State,
        control: &Control,
        field: Field,
        no_files: bool,
    ) -> Reply {
        let control = control.id.clone();
        match field {
            // The status is not typed: say how it is set, and edit the response, so the
            // words typed next land in a text field rather than run as commands.
            Field::Status => {
                self.field = self
                    .fields(st)
                    .iter()
                    .position(|f| *f == Field::Response)
                    .unwrap_or(0);
                st.info("The status is set with m, x, a or u (or ← →); e edits the response.");
                Reply::Do(Action::Edit(Target::Answer {
                    control,
                    field: Field::Response,
                }))
            }
            Field::Evidence if no_files => Reply::Do(Action::Edit(Target::NewEvidence {
                to: AttachTo::Control(control),
            })),
            Field::Evidence => Reply::Handled,
            field => Reply::Do(Action::Edit(Target::Answer { control, field })),
        }
    }

    /// d, l or p on the selected evidence file: detach it (after a yes), label it, date it.
    fn key_evidence(
        &self,
        st: &mut State,
        cmd: Cmd,
        control: &Control,
        evidence: &[Evidence],
    ) -> Reply {
        let Some(ev) = evidence.get(self.evidence) else {
            return Reply::Handled;
        };
        let (control, path) = (control.id.clone(), ev.path.clone());
        let to = AttachTo::Control(control.clone());
        match cmd {
            Cmd::Remove => {
                st.popups.open(Popup::Confirm {
                    question: format!(
                        "Detach {path} from {control}? The file itself stays on disk."
                    ),
                    action: Confirm::RemoveEvidence { control, path },
                });
                Reply::Handled
            }
            Cmd::Label => Reply::Do(Action::Edit(Target::EvidenceLabel { to, path })),
            _ => Reply::Do(Action::Edit(Target::EvidenceDate { to, path })),
        }
    }

    /// A key pressed on a workbook row of the answer pane: the row's choice with that key
    /// answers it, and the next row is selected. False when the key names no choice (it then
    /// acts as anywhere else).
    pub fn key_row_choice(&mut self, st: &mut State, key: char) -> bool {
        if st.screen != Screen::Interview || st.focus != Pane::Answer {
            return false;
        }
        let Field::Row(i) = self.field(st) else {
            return false;
        };
        let Some(control) = st.selected_control().cloned() else {
            return false;
        };
        let Some(row) = control.rows.get(i) else {
            return false;
        };
        let Some(choice) = row
            .choices
            .iter()
            .find(|c| crate::content::sheet::choice_key(c) == Some(key))
            .cloned()
        else {
            return false;
        };
        if commit_row(st, &control, row, choice)
            && matches!(self.fields(st).get(self.field + 1), Some(Field::Row(_)))
        {
            self.move_field(st, 1);
        }
        true
    }

    pub fn move_field(&mut self, st: &mut State, delta: i32) {
        let n = self.fields(st).len() as i32;
        let i = (self.field as i32 + delta).clamp(0, n - 1);
        self.field = i as usize;
        self.evidence = 0;
        st.focus = Pane::Answer;
    }

    pub fn scroll_guidance(&mut self, delta: i32) {
        let s = self.guidance_scroll as i32 + delta;
        self.guidance_scroll = s.clamp(0, 500) as u16;
    }

    /// Sets the status and opens the field the status asks for, if it is still empty.
    fn set_status(&mut self, st: &mut State, control: &Control, status: Status) -> Reply {
        commit_status(st, control, status);
        if !st.popups.is_empty() {
            return Reply::Handled;
        }
        let a = st.answer_of(&control.id);
        // A met control's first value not yet given comes before its response.
        let value_left = control.values.iter().position(|spec| {
            !matches!(
                crate::assessment::values::state(spec, Some(&a)),
                crate::assessment::values::State::Given { .. }
            )
        });
        let follow = match status {
            Status::Met if value_left.is_some() => value_left.map(Field::Value),
            Status::Met if a.response.trim().is_empty() => Some(Field::Response),
            Status::Met if control.evidence && a.evidence.is_empty() => Some(Field::Evidence),
            Status::NotApplicable if a.reason.trim().is_empty() => Some(Field::Reason),
            Status::NotMet if a.remediation.what.trim().is_empty() => Some(Field::PlanWhat),
            _ => None,
        };
        if let Some(field) = follow {
            // From the answer pane the field opens for typing; from the list it is only
            // selected, so keys meant for the list never land in a text field.
            let typing = st.focus == Pane::Answer;
            st.focus = Pane::Answer;
            self.field = self
                .fields(st)
                .iter()
                .position(|f| *f == field)
                .unwrap_or(0);
            if typing && field != Field::Evidence {
                return Reply::Do(Action::Edit(Target::Answer {
                    control: control.id.clone(),
                    field,
                }));
            }
        }
        Reply::Handled
    }

    /// The answer fields shown for the selected control.
    pub fn fields(&self, st: &State) -> Vec<Field> {
        let control = st.selected_control();
        let status = control
            .and_then(|c| {
                let p = st.proj()?;
                let ck = st.checklist()?;
                p.answer(&ck.id, &c.id).map(|a| a.status)
            })
            .unwrap_or_default();
        Field::for_status(
            status,
            control.map_or(0, |c| c.rows.len()),
            control.map_or(0, |c| c.values.len()),
        )
    }

    pub fn field(&self, st: &State) -> Field {
        let fields = self.fields(st);
        fields[self.field.min(fields.len() - 1)]
    }

    /// Back to the top of a control's answer, as when another control is selected.
    pub fn reset(&mut self) {
        self.guidance_scroll = 0;
        self.field = 0;
        self.evidence = 0;
    }
}

/// Answers `row` with the choice `delta` places from the one it holds (the first from
/// none).
fn cycle_row(st: &mut State, control: &Control, row: &crate::content::SheetRow, delta: i32) {
    let held = st
        .proj()
        .zip(st.checklist())
        .and_then(|(p, ck)| crate::assessment::grade::row_value(p, ck, row));
    let n = row.choices.len() as i32;
    let next = match held.and_then(|h| row.choices.iter().position(|c| *c == h)) {
        Some(i) => (i as i32 + delta).rem_euclid(n),
        None if delta > 0 => 0,
        None => n - 1,
    };
    let choice = row.choices[next as usize].clone();
    commit_row(st, control, row, choice);
}

/// Answers `row` of `control` with `choice` and says what the control now stands at;
/// false when nothing was saved.
fn commit_row(
    st: &mut State,
    control: &Control,
    row: &crate::content::SheetRow,
    choice: String,
) -> bool {
    let saved = st.commit(Edit::Row {
        row: row.id.clone(),
        choice: choice.clone(),
    });
    if saved {
        let status = st.answer_of(&control.id).status;
        st.info(format!(
            "{}: {choice} · {} {}",
            row.id,
            control.id,
            status.label()
        ));
    }
    saved
}

/// Writes `status`, clearing what the new status no longer shows (a reason outside not
/// applicable, a plan outside not met), so nothing hidden stays in the file or the bundle;
/// the message says what went, and `z` brings it back. A control switched off by scoping
/// gets no status: the wizard says so and offers its scoping question.
fn commit_status(st: &mut State, control: &Control, status: Status) {
    if let (Some(p), Some(c)) = (st.proj(), st.checklist())
        && status != Status::Unanswered
        && let crate::assessment::Applicability::ScopedOut { question, reason } =
            p.applicability(c, control)
    {
        st.popups.open(Popup::Confirm {
            question: format!(
                "{} is switched off by scoping ({}), so it takes no status. Open that scoping question?",
                control.id,
                reason.trim_end_matches('.')
            ),
            action: Confirm::OpenScoping(question),
        });
        return;
    }
    // What the new status clears (edit::apply_answer does, as for `ftr answer`).
    let a = st.answer_of(&control.id);
    let mut cleared = Vec::new();
    if status != Status::NotApplicable && !a.reason.is_empty() {
        cleared.push("the reason");
    }
    if status != Status::NotMet && !a.remediation.is_empty() {
        cleared.push("the plan");
    }
    let saved = st.commit(Edit::Answer {
        control: control.id.clone(),
        change: Box::new(AnswerChange {
            status: Some(status),
            ..AnswerChange::default()
        }),
    });
    if saved && !cleared.is_empty() {
        st.info(format!(
            "{}: {}; cleared {}, which it no longer uses. z undoes.",
            control.id,
            status.label(),
            cleared.join(" and ")
        ));
    }
}

/// The answer to a reworded control was read again and still holds.
fn confirm_reviewed(st: &mut State, control: &Control) {
    if st.to_review(&control.id).is_empty() {
        st.info(format!(
            "{} has nothing to review: v confirms answers to controls reworded by a move.",
            control.id
        ));
        return;
    }
    let saved = st.commit(Edit::Answer {
        control: control.id.clone(),
        change: Box::new(AnswerChange {
            reviewed: true,
            ..AnswerChange::default()
        }),
    });
    if saved {
        st.info(format!(
            "{}: answer confirmed for the new wording.",
            control.id
        ));
    }
}

fn open_reuse(st: &mut State, control: &Control) {
    let (Some(p), Some(c)) = (st.proj(), st.checklist()) else {
        return;
    };
    let mut files: Vec<ReuseFile> = Vec::new();
    // A file of this control's own is listed too (choosing it records it anew), and the
    // files of the upload form.
    use crate::assessment::edit::{Citer, attachments};
    for (at, ev) in attachments(p) {
        if matches!(&at, Citer::Control { checklist, .. } if *checklist != c.id) {
            continue;
        }
        let words = at.words(Some(&c.id));
        match files.iter_mut().find(|f| f.path == ev.path) {
            Some(f) if f.used_by.contains(&words) => {}
            Some(f) => f.used_by.push(words),
            None => files.push(ReuseFile {
                path: ev.path.clone(),
                used_by: vec![words],
            }),
        }
    }
    if files.is_empty() {
        st.info("No file attached anywhere yet: f types a path, b browses.");
        return;
    }
    // By path, never by use: a file keeps its place however often it is attached.
    st.popups
        .open(Popup::Reuse(Reuse::new(control.id.clone(), files)));
}

fn next_pane(p: Pane, d: i32) -> Pane {
    let order = [Pane::List, Pane::Guidance, Pane::Answer];
    let i = order.iter().position(|x| *x == p).unwrap_or(0) as i32;
    order[(i + d).rem_euclid(3) as usize]
}
