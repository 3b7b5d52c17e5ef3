//! The interview: a domain's controls on the left, the selected control's question and
//! guidance top right, its answer (status, response, reason or plan, notes, evidence) below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use crate::assessment::edit::AnswerChange;
use crate::assessment::{Answer, Status};
use crate::content::{Control, Domain};
use crate::safe::terminal;
use crate::tui::app::{
    App, AttachTo, Confirm, Edit, ExternalEdit, Pane, Popup, ReuseFile, Screen, Target,
    domain_index,
};
use crate::tui::keymap::Cmd;
use crate::tui::theme::status_mark;
use crate::tui::widgets::files::file_line;
use crate::tui::widgets::fit::width_of;
use crate::tui::widgets::picker::Picker;

/// The fields of a control's answer, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Status,
    Response,
    Reason,
    PlanWhat,
    PlanOwner,
    PlanDue,
    Notes,
    Evidence,
    /// The control's required value at this index (an RPO, the date of the last test).
    Value(usize),
    /// The control's row of AWS's workbook at this index, answered from its list.
    Row(usize),
}

impl Field {
    /// The fields shown for a status: the control's `rows` workbook rows and `values`
    /// required values below the status, a reason only when not applicable, a plan only for a
    /// gap.
    pub fn for_status(status: Status, rows: usize, values: usize) -> Vec<Field> {
        let mut f = vec![Field::Status];
        f.extend((0..rows).map(Field::Row));
        f.extend((0..values).map(Field::Value));
        f.push(Field::Response);
        match status {
            Status::NotApplicable => f.push(Field::Reason),
            Status::NotMet => f.extend([Field::PlanWhat, Field::PlanOwner, Field::PlanDue]),
            _ => {}
        }
        f.extend([Field::Notes, Field::Evidence]);
        f
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Status => "Status",
            Field::Response => "Response",
            Field::Reason => "Why n/a",
            Field::PlanWhat => "Plan",
            Field::PlanOwner => "Owner",
            Field::PlanDue => "Due",
            Field::Notes => "Notes",
            Field::Evidence => "Evidence",
            Field::Value(_) => "Value",
            Field::Row(_) => "Row",
        }
    }

    pub(crate) fn multiline(self) -> bool {
        matches!(
            self,
            Field::Response | Field::Reason | Field::PlanWhat | Field::Notes
        )
    }
}

#[derive(Debug, Default)]
pub struct InterviewView {
    pub domain: Option<Domain>,
    /// Selected control index within each domain's list.
    pub selected: [usize; 3],
    pub guidance_scroll: u16,
    pub field: usize,
    pub evidence: usize,
    /// Values typed but refused (they do not read as their kind), by control and key, kept
    /// so that leaving the field never loses the text: the row shows it and editing starts
    /// from it.
    pub value_drafts: std::collections::BTreeMap<(String, String), String>,
}

impl App {
    pub(crate) fn key_interview(&mut self, cmd: Cmd) -> bool {
        let Some(control) = self.selected_control().cloned() else {
            return false;
        };
        match cmd {
            // Esc goes back: from the answer or the guidance to the list.
            Cmd::Back if self.focus != Pane::List => self.focus = Pane::List,
            Cmd::NextPane => self.focus = next_pane(self.focus, 1),
            Cmd::PrevPane => self.focus = next_pane(self.focus, -1),
            Cmd::Met => self.set_status(&control, Status::Met),
            Cmd::NotMet => self.set_status(&control, Status::NotMet),
            Cmd::NotApplicable => self.set_status(&control, Status::NotApplicable),
            Cmd::Unanswered => self.set_status(&control, Status::Unanswered),
            Cmd::AddPath => self.start_editing(Target::NewEvidence {
                to: AttachTo::Control(control.id.clone()),
            }),
            Cmd::Browse => self.browse(AttachTo::Control(control.id.clone())),
            Cmd::Reuse => self.open_reuse(&control),
            Cmd::Reviewed => self.confirm_reviewed(&control),
            Cmd::ExternalEditor => {
                let text = self.answer_of(&control.id).response;
                self.external = Some(ExternalEdit {
                    control: control.id.clone(),
                    text,
                });
            }
            _ => return self.key_interview_pane(cmd, &control),
        }
        true
    }

    fn key_interview_pane(&mut self, cmd: Cmd, control: &Control) -> bool {
        match self.focus {
            Pane::List => {
                let d = domain_index(self.domain());
                let n = self.domain_controls(self.domain()).len();
                let i = &mut self.interview.selected[d];
                let before = *i;
                match cmd {
                    Cmd::Down => *i = (*i + 1).min(n.saturating_sub(1)),
                    Cmd::Up => *i = i.saturating_sub(1),
                    Cmd::PageDown => *i = (*i + 10).min(n.saturating_sub(1)),
                    Cmd::PageUp => *i = i.saturating_sub(10),
                    Cmd::Home => *i = 0,
                    Cmd::End => *i = n.saturating_sub(1),
                    Cmd::Open | Cmd::Right => self.focus = Pane::Answer,
                    _ => return false,
                }
                if self.interview.selected[d] != before {
                    self.interview.guidance_scroll = 0;
                    self.interview.field = 0;
                    self.interview.evidence = 0;
                    self.refresh_evidence();
                }
            }
            Pane::Guidance => match cmd {
                Cmd::Down => self.scroll_guidance(1),
                Cmd::Up => self.scroll_guidance(-1),
                Cmd::PageDown => self.scroll_guidance(8),
                Cmd::PageUp => self.scroll_guidance(-8),
                Cmd::Home => self.interview.guidance_scroll = 0,
                _ => return false,
            },
            Pane::Answer => return self.key_answer(cmd, control),
        }
        true
    }

    fn key_answer(&mut self, cmd: Cmd, control: &Control) -> bool {
        let fields = self.fields();
        let field = self.field();
        let evidence = self.answer_of(&control.id).evidence;
        match cmd {
            Cmd::Down => {
                if field == Field::Evidence && self.interview.evidence + 1 < evidence.len() {
                    self.interview.evidence += 1;
                } else {
                    self.move_field(1);
                }
            }
            Cmd::Up => {
                if field == Field::Evidence && self.interview.evidence > 0 {
                    self.interview.evidence -= 1;
                } else {
                    self.move_field(-1);
                }
            }
            Cmd::Left | Cmd::Right if field == Field::Status => {
                let order = [
                    Status::Unanswered,
                    Status::Met,
                    Status::NotMet,
                    Status::NotApplicable,
                ];
                let now = self.answer_of(&control.id).status;
                let i = order.iter().position(|s| *s == now).unwrap_or(0) as i32;
                let d = if cmd == Cmd::Right { 1 } else { -1 };
                let next = order[(i + d).rem_euclid(order.len() as i32) as usize];
                self.commit_status(control, next);
            }
            Cmd::Left | Cmd::Right if matches!(field, Field::Row(_)) => {
                let Field::Row(i) = field else { return true };
                if let Some(row) = control.rows.get(i) {
                    self.cycle_row(control, row, if cmd == Cmd::Right { 1 } else { -1 });
                }
            }
            Cmd::Left => self.focus = Pane::List,
            Cmd::Open | Cmd::Edit if matches!(field, Field::Row(_)) => {
                self.info("A row takes one of its choices: press its key (y, n, a, …) or ← →.");
            }
            Cmd::Open | Cmd::Edit => match field {
                // The status is not typed: say how it is set, and edit the response, so the
                // words typed next land in a text field rather than run as commands.
                Field::Status => {
                    self.interview.field = fields
                        .iter()
                        .position(|f| *f == Field::Response)
                        .unwrap_or(0);
                    self.start_editing(Target::Answer {
                        control: control.id.clone(),
                        field: Field::Response,
                    });
                    self.info(
                        "The status is set with m, x, a or u (or ← →); e edits the response.",
                    );
                }
                Field::Evidence => {
                    if evidence.is_empty() {
                        self.start_editing(Target::NewEvidence {
                            to: AttachTo::Control(control.id.clone()),
                        });
                    }
                }
                f => self.start_editing(Target::Answer {
                    control: control.id.clone(),
                    field: f,
                }),
            },
            Cmd::Remove | Cmd::Label | Cmd::Produced if field == Field::Evidence => {
                let Some(ev) = evidence.get(self.interview.evidence) else {
                    return true;
                };
                let (control, path) = (control.id.clone(), ev.path.clone());
                match cmd {
                    Cmd::Remove => {
                        self.popup = Some(Popup::Confirm {
                            question: format!(
                                "Detach {path} from {control}? The file itself stays on disk."
                            ),
                            action: Confirm::RemoveEvidence { control, path },
                        })
                    }
                    Cmd::Label => self.start_editing(Target::EvidenceLabel {
                        to: AttachTo::Control(control),
                        path,
                    }),
                    _ => self.start_editing(Target::EvidenceDate {
                        to: AttachTo::Control(control),
                        path,
                    }),
                }
            }
            Cmd::Home => self.interview.field = 0,
            Cmd::End => self.interview.field = fields.len() - 1,
            _ => return false,
        }
        true
    }

    /// A key pressed on a workbook row of the answer pane: the row's choice with that key
    /// answers it, and the next row is selected. False when the key names no choice (it then
    /// acts as anywhere else).
    pub(crate) fn key_row_choice(&mut self, key: char) -> bool {
        if self.screen != Screen::Interview || self.focus != Pane::Answer {
            return false;
        }
        let Field::Row(i) = self.field() else {
            return false;
        };
        let Some(control) = self.selected_control().cloned() else {
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
        if self.commit_row(&control, row, choice)
            && matches!(
                self.fields().get(self.interview.field + 1),
                Some(Field::Row(_))
            )
        {
            self.move_field(1);
        }
        true
    }

    /// Answers `row` with the choice `delta` places from the one it holds (the first from
    /// none).
    fn cycle_row(&mut self, control: &Control, row: &crate::content::SheetRow, delta: i32) {
        let held = self
            .proj()
            .zip(self.checklist())
            .and_then(|(p, ck)| crate::assessment::grade::row_value(p, ck, row));
        let n = row.choices.len() as i32;
        let next = match held.and_then(|h| row.choices.iter().position(|c| *c == h)) {
            Some(i) => (i as i32 + delta).rem_euclid(n),
            None if delta > 0 => 0,
            None => n - 1,
        };
        let choice = row.choices[next as usize].clone();
        self.commit_row(control, row, choice);
    }

    /// Answers `row` of `control` with `choice` and says what the control now stands at;
    /// false when nothing was saved.
    fn commit_row(
        &mut self,
        control: &Control,
        row: &crate::content::SheetRow,
        choice: String,
    ) -> bool {
        let saved = self.commit(Edit::Row {
            row: row.id.clone(),
            choice: choice.clone(),
        });
        if saved {
            let status = self.answer_of(&control.id).status;
            self.info(format!(
                "{}: {choice} · {} {}",
                row.id,
                control.id,
                status.label()
            ));
        }
        saved
    }

    /// Opens the file picker in the project folder, to attach what is chosen to `to`.
    pub(crate) fn browse(&mut self, to: AttachTo) {
        let dir = self.project.as_ref().map_or(self.cwd.clone(), |l| {
            crate::assessment::evidence::absolute(&l.dir()).unwrap_or(self.cwd.clone())
        });
        self.popup = Some(Popup::Picker {
            picker: Box::new(Picker::new(&dir)),
            to,
        });
    }

    pub(crate) fn move_field(&mut self, delta: i32) {
        let n = self.fields().len() as i32;
        let i = (self.interview.field as i32 + delta).clamp(0, n - 1);
        self.interview.field = i as usize;
        self.interview.evidence = 0;
        self.focus = Pane::Answer;
    }

    pub(crate) fn scroll_guidance(&mut self, delta: i32) {
        let s = self.interview.guidance_scroll as i32 + delta;
        self.interview.guidance_scroll = s.clamp(0, 500) as u16;
    }

    fn answer_of(&self, control: &str) -> Answer {
        self.proj()
            .zip(self.checklist())
            .and_then(|(p, c)| p.answer(&c.id, control))
            .cloned()
            .unwrap_or_default()
    }

    /// Writes `status`, clearing what the new status no longer shows (a reason outside not
    /// applicable, a plan outside not met), so nothing hidden stays in the file or the bundle;
    /// the message says what went, and `z` brings it back. A control switched off by scoping
    /// gets no status: the wizard says so and offers its scoping question.
    fn commit_status(&mut self, control: &Control, status: Status) {
        if let (Some(p), Some(c)) = (self.proj(), self.checklist())
            && status != Status::Unanswered
            && let crate::assessment::Applicability::ScopedOut { question, reason } =
                p.applicability(c, control)
        {
            self.popup = Some(Popup::Confirm {
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
        let a = self.answer_of(&control.id);
        let mut cleared = Vec::new();
        if status != Status::NotApplicable && !a.reason.is_empty() {
            cleared.push("the reason");
        }
        if status != Status::NotMet && !a.remediation.is_empty() {
            cleared.push("the plan");
        }
        let saved = self.commit(Edit::Answer {
            control: control.id.clone(),
            change: Box::new(AnswerChange {
                status: Some(status),
                ..AnswerChange::default()
            }),
        });
        if saved && !cleared.is_empty() {
            self.info(format!(
                "{}: {}; cleared {}, which it no longer uses. z undoes.",
                control.id,
                status.label(),
                cleared.join(" and ")
            ));
        }
    }

    /// Sets the status and opens the field the status asks for, if it is still empty.
    fn set_status(&mut self, control: &Control, status: Status) {
        self.commit_status(control, status);
        if self.popup.is_some() {
            return;
        }
        let a = self.answer_of(&control.id);
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
            Status::NotApplicable if a.reason.trim().is_empty() => Some(Field::Reason),
            Status::NotMet if a.remediation.what.trim().is_empty() => Some(Field::PlanWhat),
            _ => None,
        };
        if let Some(field) = follow {
            // From the answer pane the field opens for typing; from the list it is only
            // selected, so keys meant for the list never land in a text field.
            let typing = self.focus == Pane::Answer;
            self.focus = Pane::Answer;
            self.interview.field = self.fields().iter().position(|f| *f == field).unwrap_or(0);
            if typing {
                self.start_editing(Target::Answer {
                    control: control.id.clone(),
                    field,
                });
            }
        }
    }

    /// The checklist version `control` was reworded in, when its answer waits for a second
    /// look after a move (empty otherwise).
    pub(crate) fn to_review(&self, control: &str) -> String {
        self.answer_of(control).review
    }

    /// The answer to a reworded control was read again and still holds.
    fn confirm_reviewed(&mut self, control: &Control) {
        if self.to_review(&control.id).is_empty() {
            self.info(format!(
                "{} has nothing to review: v confirms answers to controls reworded by a move.",
                control.id
            ));
            return;
        }
        let saved = self.commit(Edit::Answer {
            control: control.id.clone(),
            change: Box::new(AnswerChange {
                reviewed: true,
                ..AnswerChange::default()
            }),
        });
        if saved {
            self.info(format!(
                "{}: answer confirmed for the new wording.",
                control.id
            ));
        }
    }

    fn open_reuse(&mut self, control: &Control) {
        let (Some(p), Some(c)) = (self.proj(), self.checklist()) else {
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
            self.info("No file attached anywhere yet: f types a path, b browses.");
            return;
        }
        self.popup = Some(Popup::Reuse {
            control: control.id.clone(),
            files,
            selected: 0,
        });
    }

    /// The controls of `domain`, in checklist order.
    pub fn domain_controls(&self, domain: Domain) -> Vec<&Control> {
        self.checklist()
            .map(|c| c.controls.iter().filter(|x| x.domain == domain).collect())
            .unwrap_or_default()
    }

    pub fn selected_control(&self) -> Option<&Control> {
        let d = self.domain();
        let list = self.domain_controls(d);
        let i = self.interview.selected[domain_index(d)].min(list.len().saturating_sub(1));
        list.get(i).copied()
    }

    /// The answer fields shown for the selected control.
    pub fn fields(&self) -> Vec<Field> {
        let control = self.selected_control();
        let status = control
            .and_then(|c| {
                let p = self.proj()?;
                let ck = self.checklist()?;
                p.answer(&ck.id, &c.id).map(|a| a.status)
            })
            .unwrap_or_default();
        Field::for_status(
            status,
            control.map_or(0, |c| c.rows.len()),
            control.map_or(0, |c| c.values.len()),
        )
    }

    /// The required value a `Field::Value` of `control` stands for.
    pub fn value_spec(
        &self,
        control: &str,
        index: usize,
    ) -> Option<&crate::content::RequiredValue> {
        self.checklist()?.control(control)?.values.get(index)
    }

    pub fn field(&self) -> Field {
        let fields = self.fields();
        fields[self.interview.field.min(fields.len() - 1)]
    }

    /// Moves to `id` in the interview; false if the checklist has no such control.
    pub fn select_control(&mut self, id: &str) -> bool {
        let Some(c) = self.checklist().and_then(|c| c.control(id)).cloned() else {
            return false;
        };
        let list = self.domain_controls(c.domain);
        let Some(i) = list.iter().position(|x| x.id == c.id) else {
            return false;
        };
        self.interview.domain = Some(c.domain);
        self.interview.selected[domain_index(c.domain)] = i;
        self.interview.guidance_scroll = 0;
        self.interview.field = 0;
        self.interview.evidence = 0;
        self.screen = Screen::Interview;
        self.refresh_evidence();
        true
    }

    /// "answered/applicable" for a domain: the controls the user answered out of those that
    /// apply there, as the header counts the whole checklist.
    pub fn domain_done(&self, domain: crate::content::Domain) -> Option<(usize, usize)> {
        let (p, c) = (self.proj()?, self.checklist()?);
        let progress = crate::assessment::progress::progress(p, c);
        let d = progress.domains.iter().find(|d| d.domain == domain)?;
        Some((d.counts.answered(), d.counts.applicable()))
    }
}

fn next_pane(p: Pane, d: i32) -> Pane {
    let order = [Pane::List, Pane::Guidance, Pane::Answer];
    let i = order.iter().position(|x| *x == p).unwrap_or(0) as i32;
    order[(i + d).rem_euclid(3) as usize]
}

/// True when the readiness check finds an evidence file of control `id` missing, unreadable,
/// not a file or changed since it was attached.
pub(crate) fn evidence_broken(app: &App, id: &str) -> bool {
    app.report.as_ref().is_some_and(|r| {
        r.findings
            .iter()
            .any(|f| f.control.as_deref() == Some(id) && f.code.is_file_error())
    })
}

/// The short section name shown as a group header ("… > Identity and Access Management").
fn section_tail(section: &str) -> &str {
    section.rsplit('>').next().unwrap_or(section).trim()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let list_w = (area.width * 2 / 5).clamp(30, 90);
    let [left, right] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(30)]).areas(area);
    let guide_h = (right.height / 2).max(6);
    let [guide, answer] =
        Layout::vertical([Constraint::Length(guide_h), Constraint::Min(6)]).areas(right);
    app.areas.list.set(left);
    app.areas.guidance.set(guide);
    app.areas.answer.set(answer);
    render_list(app, frame, left);
    let Some(control) = app.selected_control() else {
        return;
    };
    render_guidance(app, frame, guide, control);
    let editing_answer = matches!(
        app.editor.as_ref().map(|e| &e.target),
        Some(
            Target::Answer { .. }
                | Target::NewEvidence {
                    to: AttachTo::Control(_)
                }
                | Target::EvidenceLabel {
                    to: AttachTo::Control(_),
                    ..
                }
                | Target::EvidenceDate {
                    to: AttachTo::Control(_),
                    ..
                }
        )
    );
    if editing_answer {
        crate::tui::ui::render_editor_over(app, frame, answer);
    } else {
        render_answer(app, frame, answer, control);
    }
}

/// A pane's frame; the focused one is marked in its title as well as by colour, so it shows
/// without colour too (NO_COLOR).
fn pane_block<'a>(app: &App, pane: Pane, title: String) -> Block<'a> {
    let t = &app.theme;
    if app.focus == pane && app.editor.is_none() {
        let title = format!("▸{}", title.strip_prefix(' ').unwrap_or(&title));
        Block::bordered()
            .title(title)
            .border_style(t.focus_border())
    } else {
        Block::bordered().title(title).border_style(t.border())
    }
}

fn render_list(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let d = app.domain();
    let controls = app.domain_controls(d);
    let sel = app.interview.selected[domain_index(d)].min(controls.len().saturating_sub(1));
    let width = area.width.saturating_sub(4) as usize;
    let mut items = Vec::new();
    let mut selected_row = 0;
    let mut last_section = "";
    let (done, of) = app.domain_done(d).unwrap_or((0, controls.len()));
    for (i, c) in controls.iter().enumerate() {
        let section = section_tail(&c.section);
        if section != last_section {
            items.push(ListItem::new(Line::from(Span::styled(
                crate::tui::ui::clip(section, width),
                t.dim(),
            ))));
            last_section = section;
        }
        if i == sel {
            selected_row = items.len();
        }
        let status = app.status_of(c);
        // `✗`: an evidence file is missing, unreadable or changed since attached, an error as
        // Review says; a met control then never shows `✓`.
        let broken = evidence_broken(app, &c.id);
        // `!`: a scan fails the control (it outranks `°`, which the guidance pane repeats).
        let fails = app
            .proj()
            .zip(app.checklist())
            .is_some_and(|(p, ck)| p.hints(&ck.id, &c.id).iter().any(|h| h.result.failed > 0));
        // `?`: reworded by a move, the answer waits for a second look (it outranks both).
        let review = !app.to_review(&c.id).is_empty();
        let (flag, flag_style) = match (review, fails, c.provisional) {
            _ if broken => ("✗", t.error()),
            (true, _, _) => ("?", t.error()),
            (false, true, _) => ("!", t.warning()),
            (false, false, true) => ("°", t.text()),
            (false, false, false) => (" ", t.text()),
        };
        let id = format!("{:<10}", c.id);
        let title_w = width.saturating_sub(2 + width_of(&id) + 1);
        // Met, but a file no longer backs it: never `✓`, and not `✗` (not met) either.
        let (mark, mark_style) = if broken && status == Status::Met {
            ("!", t.error())
        } else {
            (status_mark(status), t.status(status))
        };
        items.push(ListItem::new(Line::from(vec![
            Span::styled(format!("{mark} "), mark_style),
            Span::raw(id),
            Span::styled(flag, flag_style),
            Span::raw(crate::tui::ui::clip(&c.title, title_w)),
        ])));
    }
    let list = List::new(items)
        .block(pane_block(
            app,
            Pane::List,
            format!(" {} {done}/{of} ", d.name()),
        ))
        .highlight_style(t.selected());
    let mut state = ListState::default().with_selected(Some(selected_row));
    frame.render_stateful_widget(list, area, &mut state);
}

fn render_guidance(app: &App, frame: &mut Frame, area: Rect, c: &Control) {
    let t = &app.theme;
    let mut lines = vec![Line::from(Span::styled(c.title.clone(), t.title()))];
    let mut meta = vec![section_tail(&c.section).to_string()];
    meta.push(if c.evidence {
        "evidence expected".into()
    } else {
        "the response is the evidence".into()
    });
    if let Some(cad) = &c.cadence {
        meta.push(format!("fresh: {}", cad.describe()));
    }
    if let Some(also) = c.also {
        meta.push(format!("also {also}"));
    }
    lines.push(Line::from(Span::styled(meta.join(" · "), t.dim())));
    if c.provisional {
        lines.push(Line::from(Span::styled(
            "° Provisional: in AWS's 2025 self-assessment map, not on the Feb 2026 page.",
            t.warning(),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(c.question.clone(), t.accent())));
    lines.push(Line::from(""));
    if let Some((spec, before)) = earlier_wording(app, c) {
        lines.push(Line::from(vec![
            Span::styled(format!("Before {}: ", terminal(&spec)), t.dim()),
            Span::styled(terminal(&before).into_owned(), t.dim()),
        ]));
        lines.push(Line::from(""));
    }
    let hints = scan_hints(app, c);
    if !hints.is_empty() {
        lines.extend(hints);
        lines.push(Line::from(""));
    }
    lines.extend(crate::tui::widgets::markdown::to_text(&c.guidance, &t.markdown()).lines);
    if !c.automated.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("Checked by the account scan: {}", c.automated.join(", ")),
            t.dim(),
        )));
    }
    let para = Paragraph::new(Text::from(lines))
        .wrap(Wrap { trim: false })
        .scroll((app.interview.guidance_scroll, 0))
        .block(pane_block(app, Pane::Guidance, format!(" {} ", c.id)));
    frame.render_widget(para, area);
}

/// The version before the move that reworded `c`, and its question there, while `c`'s answer
/// waits for a second look.
fn earlier_wording(app: &App, c: &Control) -> Option<(String, String)> {
    let p = app.proj()?;
    let review = app.to_review(&c.id);
    if review.is_empty() {
        return None;
    }
    let m = p
        .migrations
        .iter()
        .rev()
        .find(|m| format!("{}@{}", m.checklist, m.to) == review)?;
    let before = app.library.version(&m.checklist, &m.from)?;
    Some((before.spec(), before.control(&c.id)?.question.clone()))
}

/// What the imported scans found for `c`, one line each, newest first, and a plain word when
/// the control is marked met while a scan fails it and the response does not say why. Hints,
/// never answers: nothing here changes the status.
fn scan_hints(app: &App, c: &Control) -> Vec<Line<'static>> {
    let t = &app.theme;
    let (Some(p), Some(ck)) = (app.proj(), app.checklist()) else {
        return Vec::new();
    };
    let hints = p.hints(&ck.id, &c.id);
    if hints.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::from(Span::styled("Scan results", t.dim()))];
    for h in &hints {
        let r = h.result;
        let (mark, style) = if r.failed > 0 {
            ("!", t.warning())
        } else if r.passed > 0 {
            ("✓", t.ok())
        } else {
            ("·", t.dim())
        };
        // File text (resource ARNs) reaches the terminal only escaped.
        let text = crate::safe::terminal(&h.line(app.today)).into_owned();
        lines.push(Line::from(Span::styled(format!("{mark} {text}"), style)));
    }
    if app.status_of(c) == Status::Met {
        let response = app.answer_of(&c.id).response;
        let failing = hints
            .iter()
            .filter(|h| {
                h.result.failed > 0
                    && !crate::assessment::scan::explains_exception(&response, h.result)
            })
            .count();
        if failing > 0 {
            let which = if failing == 1 {
                "this scan fails".to_string()
            } else {
                format!("{failing} scans fail")
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "Marked met, but {which} it: explain the exception in the response or fix it."
                ),
                t.error(),
            )));
        }
    }
    lines
}

fn render_answer(app: &App, frame: &mut Frame, area: Rect, c: &Control) {
    let t = &app.theme;
    let a = app.answer_of(&c.id);
    let status = app.status_of(c);
    let fields = Field::for_status(a.status, c.rows.len(), c.values.len());
    let focused = app.focus == Pane::Answer;
    let current = app.field();
    let inner_w = area.width.saturating_sub(2) as usize;
    let value_w = inner_w.saturating_sub(11).max(10);
    let mut lines: Vec<Line> = Vec::new();
    let mut field_line = 0;
    let label = |f: Field| {
        let style = if focused && f == current {
            t.selected()
        } else {
            t.dim()
        };
        Span::styled(format!("{:<9}", f.label()), style)
    };
    for f in &fields {
        if *f == current {
            field_line = lines.len();
        }
        match f {
            Field::Status => {
                let mut spans = vec![
                    label(*f),
                    Span::raw(" "),
                    Span::styled(
                        format!("{} {}", status_mark(status), status.label()),
                        t.status(status),
                    ),
                ];
                if status != a.status {
                    spans.push(Span::styled(" (switched off by scoping)", t.dim()));
                }
                lines.push(Line::from(spans));
                if !a.review.is_empty() {
                    lines.push(Line::from(Span::styled(
                        format!(
                            "? Reworded in {}: review and confirm (v)",
                            terminal(&a.review)
                        ),
                        t.error(),
                    )));
                }
            }
            Field::Value(i) => {
                if let Some(spec) = c.values.get(*i) {
                    lines.push(value_row(app, c, spec, &a, *f == current && focused));
                }
            }
            Field::Row(i) => {
                if let Some(row) = c.rows.get(*i) {
                    lines.extend(row_lines(app, c, row, *f == current && focused, value_w));
                    if *i + 1 == c.rows.len() {
                        lines.push(sheet_line(app, c));
                    }
                }
            }
            Field::Evidence => {
                lines.push(Line::from(vec![
                    label(*f),
                    Span::styled(
                        format!(
                            " {} file{}",
                            a.evidence.len(),
                            if a.evidence.len() == 1 { "" } else { "s" }
                        ),
                        t.text(),
                    ),
                ]));
                for (i, ev) in a.evidence.iter().enumerate() {
                    let selected =
                        focused && current == Field::Evidence && i == app.interview.evidence;
                    if selected {
                        field_line = lines.len();
                    }
                    lines.push(file_line(
                        t,
                        Span::raw("  "),
                        ev,
                        app.evidence_states.get(i),
                        selected,
                        inner_w,
                    ));
                }
            }
            other => lines.extend(text_field_lines(app, &a, *other, label(*other), value_w)),
        }
    }
    lines.extend(finding_lines(app, c));
    let inner_h = area.height.saturating_sub(2) as usize;
    // The pane wraps long lines: the selected field's row counts the rows the lines above it
    // take, so the field is always in view.
    let field_row: usize = lines[..field_line.min(lines.len())]
        .iter()
        .map(|l| l.width().div_ceil(inner_w.max(1)).max(1))
        .sum();
    let scroll = field_row.saturating_sub(inner_h.saturating_sub(2)) as u16;
    let para = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .block(pane_block(app, Pane::Answer, " Answer ".into()));
    frame.render_widget(para, area);
}

/// A text field of the answer: its label and its text wrapped (a response four lines at most,
/// the others two, cut with …), or what it is for while empty.
fn text_field_lines<'a>(
    app: &App,
    a: &Answer,
    other: Field,
    label: Span<'a>,
    value_w: usize,
) -> Vec<Line<'a>> {
    let t = &app.theme;
    let mut lines: Vec<Line<'a>> = Vec::new();
    let text = match other {
        Field::Response => a.response.clone(),
        Field::Reason => a.reason.clone(),
        Field::PlanWhat => a.remediation.what.clone(),
        Field::PlanOwner => a.remediation.owner.clone(),
        Field::PlanDue => a.remediation.due.map(|d| d.to_string()).unwrap_or_default(),
        Field::Notes => a.notes.clone(),
        _ => String::new(),
    };
    let max_lines = if other == Field::Response { 4 } else { 2 };
    let wrapped = wrap_plain(&text, value_w);
    if wrapped.is_empty() {
        let hint = match other {
            Field::Response => "— what the reviewer reads (e writes)",
            Field::Notes => "— for your team, not submitted",
            _ => "—",
        };
        lines.push(Line::from(vec![
            label.clone(),
            Span::raw(" "),
            Span::styled(hint, t.dim()),
        ]));
    } else {
        for (k, l) in wrapped.iter().take(max_lines).enumerate() {
            let head = if k == 0 {
                label.clone()
            } else {
                Span::raw(" ".repeat(9))
            };
            let more = if k + 1 == max_lines && wrapped.len() > max_lines {
                " …"
            } else {
                ""
            };
            lines.push(Line::from(vec![
                head,
                Span::raw(" "),
                Span::raw(format!("{l}{more}")),
            ]));
        }
    }
    lines
}

/// What the readiness check says about `c`, below its answer (a scan's failure is said beside
/// the scan, a rewording below the status).
fn finding_lines<'a>(app: &App, c: &Control) -> Vec<Line<'a>> {
    let t = &app.theme;
    let mut lines: Vec<Line<'a>> = Vec::new();
    if let Some(r) = &app.report {
        let own: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.control.as_deref() == Some(c.id.as_str()))
            // A scan's failure is said beside the scan, a rewording below the status.
            .filter(|f| {
                !matches!(
                    f.code,
                    crate::assessment::readiness::Code::ScanFails
                        | crate::assessment::readiness::Code::AnswerToReview
                )
            })
            .collect();
        if !own.is_empty() {
            lines.push(Line::from(""));
            for f in own {
                lines.push(Line::from(Span::styled(
                    format!(
                        "{} {}",
                        if f.severity == crate::assessment::readiness::Severity::Error {
                            "✗"
                        } else {
                            "!"
                        },
                        f.message
                    ),
                    t.severity(f.severity),
                )));
            }
        }
    }
    lines
}

/// One workbook row: its number, its choices with the one given marked, the keys, then its
/// question. A row that follows a scoping question says so.
fn row_lines<'a>(
    app: &App,
    c: &Control,
    row: &crate::content::SheetRow,
    selected: bool,
    width: usize,
) -> Vec<Line<'a>> {
    let t = &app.theme;
    let value = app
        .proj()
        .zip(app.checklist())
        .and_then(|(p, ck)| crate::assessment::grade::row_value(p, ck, row));
    let short = row.id.strip_prefix(c.id.as_str()).unwrap_or(&row.id);
    let mut spans = vec![Span::styled(
        format!("{:<9}", format!("Row {short}")),
        if selected { t.selected() } else { t.dim() },
    )];
    for choice in &row.choices {
        spans.push(Span::raw(" "));
        if value.as_deref() == Some(choice.as_str()) {
            spans.push(Span::styled(format!("[{choice}]"), t.selected()));
        } else {
            spans.push(Span::styled(choice.clone(), t.text()));
        }
    }
    let keys = match &row.scoping {
        Some(_) => "  (the scoping answer)".to_string(),
        None => format!(
            "  {}",
            row.choices
                .iter()
                .filter_map(|c| crate::content::sheet::choice_key(c))
                .map(String::from)
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    spans.push(Span::styled(keys, t.dim()));
    let mut out = vec![Line::from(spans)];
    // The question in full where it is selected, else in three lines at most, cut with "…".
    let wrapped = wrap_plain(&row.question, width);
    let keep = if selected { wrapped.len() } else { 3 };
    for (i, l) in wrapped.iter().take(keep).enumerate() {
        let more = if i + 1 == keep && wrapped.len() > keep {
            " …"
        } else {
            ""
        };
        out.push(Line::from(vec![
            Span::raw(" ".repeat(10)),
            Span::styled(format!("{}{more}", terminal(l)), t.dim()),
        ]));
    }
    out
}

/// What AWS's sheet will grade the control, and why it fails.
fn sheet_line<'a>(app: &App, c: &Control) -> Line<'a> {
    let t = &app.theme;
    let Some((p, ck)) = app.proj().zip(app.checklist()) else {
        return Line::from("");
    };
    match crate::assessment::grade::verdict(p, ck, c) {
        Some(crate::assessment::grade::Verdict::Pass) => Line::from(vec![
            Span::styled(format!("{:<9}", "AWS"), t.dim()),
            Span::styled(" ✓ the sheet grades it pass", t.status(Status::Met)),
        ]),
        Some(crate::assessment::grade::Verdict::Fail) => Line::from(vec![
            Span::styled(format!("{:<9}", "AWS"), t.dim()),
            Span::styled(
                format!(
                    " ✗ the sheet grades it fail: {}",
                    terminal(&crate::assessment::grade::why_fail(p, ck, c))
                ),
                t.error(),
            ),
        ]),
        None => Line::from(""),
    }
}

/// One required value's row: its label, what is given (and how it reads), or what to type.
fn value_row<'a>(
    app: &App,
    c: &Control,
    spec: &crate::content::RequiredValue,
    a: &Answer,
    selected: bool,
) -> Line<'a> {
    use crate::assessment::values::{State, state};
    let t = &app.theme;
    let label_style = if selected { t.selected() } else { t.dim() };
    let mut spans = vec![
        Span::styled(spec.label.clone(), label_style),
        Span::raw(" "),
    ];
    let draft = app
        .interview
        .value_drafts
        .get(&(c.id.clone(), spec.key.clone()));
    let saved = state(spec, Some(a));
    if let Some(text) = draft {
        spans.push(Span::styled(text.clone(), t.error()));
        spans.push(Span::styled(
            format!(" ✗ not saved: not a {}", spec.kind),
            t.error(),
        ));
        if let State::Given { parsed, .. } = saved {
            spans.push(Span::styled(
                format!(" (still saved: {})", parsed.canonical),
                t.dim(),
            ));
        }
        return Line::from(spans);
    }
    match saved {
        State::Missing => spans.push(Span::styled(
            format!("— {}, {}", spec.kind, spec.hint),
            t.dim(),
        )),
        State::Malformed { typed, .. } => {
            spans.push(Span::styled(typed.to_string(), t.error()));
            spans.push(Span::styled(
                format!(" ✗ not a {} ({})", spec.kind, spec.hint),
                t.error(),
            ));
        }
        State::Given { typed, parsed } => {
            spans.push(Span::styled(typed.trim().to_string(), t.text()));
            if parsed.canonical != typed.trim() {
                spans.push(Span::styled(format!(" = {}", parsed.canonical), t.dim()));
            }
        }
    }
    Line::from(spans)
}

/// Word-wraps plain text to `width` columns (for previews; the editor wraps on its own).
fn wrap_plain(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let need = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
            if need > width && !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}
