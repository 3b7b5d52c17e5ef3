//! Profile and delivery model: who is submitting, and which checklist applies.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{Action, Reply};
use crate::assessment::deadlines::Outcome;
use crate::assessment::readiness::Severity;
use crate::assessment::setting::Setting;
use crate::assessment::{Evidence, Project, Slot};
use crate::content::Model;
use crate::tui::keymap::Cmd;
use crate::tui::state::State;
use crate::tui::state::edit::{AttachTo, Edit};
use crate::tui::state::editor::Target;
use crate::tui::state::nav::ProfileRow;
use crate::tui::state::popup::{Confirm, Popup};
use crate::tui::theme::Theme;
use crate::tui::widgets::files::file_line;

/// The profile screen's state: the selected row.
#[derive(Debug, Default)]
pub struct ProfileView {
    pub sel: usize,
}

impl ProfileView {
    /// The keys the footer shows here, and help lists first: a file row's, or a question's.
    pub fn commands(&self, st: &State) -> Vec<Cmd> {
        let row = self.row(st);
        if matches!(
            row,
            ProfileRow::Submitted | ProfileRow::Outcome | ProfileRow::Reviewed
        ) {
            let mut cmds = vec![Cmd::Down, Cmd::Open, Cmd::NextStep, Cmd::Help, Cmd::Quit];
            if row == ProfileRow::Outcome {
                cmds.insert(2, Cmd::Unset);
            }
            return cmds;
        }
        if row.slot().is_some() {
            vec![
                Cmd::Down,
                Cmd::AddPath,
                Cmd::Browse,
                Cmd::Remove,
                Cmd::Produced,
                Cmd::NextStep,
                Cmd::Help,
                Cmd::Quit,
            ]
        } else {
            vec![
                Cmd::Down,
                Cmd::Open,
                Cmd::Yes,
                Cmd::No,
                Cmd::NextStep,
                Cmd::Help,
                Cmd::Quit,
            ]
        }
    }

    pub fn key(&mut self, st: &mut State, cmd: Cmd) -> Reply {
        let rows = rows(st);
        let row = rows[self.sel.min(rows.len() - 1)];
        match cmd {
            Cmd::Down => self.sel = (self.sel + 1).min(rows.len() - 1),
            Cmd::Up => self.sel = self.sel.saturating_sub(1),
            Cmd::Home => self.sel = 0,
            Cmd::End => self.sel = rows.len() - 1,
            Cmd::Open
            | Cmd::Edit
            | Cmd::AddPath
            | Cmd::Browse
            | Cmd::Remove
            | Cmd::Label
            | Cmd::Produced
                if row.slot().is_some() =>
            {
                return key_file(st, cmd, row);
            }
            Cmd::Open | Cmd::Edit | Cmd::Yes | Cmd::No | Cmd::Unset => match row {
                ProfileRow::Waiver => waiver(st, cmd, row),
                ProfileRow::Model(model) if matches!(cmd, Cmd::Open | Cmd::Edit | Cmd::Yes) => {
                    return pick_model(st, model).map_or(Reply::Handled, Reply::Do);
                }
                ProfileRow::Model(_) => {}
                ProfileRow::Outcome => outcome(st, cmd),
                text_row if matches!(cmd, Cmd::Open | Cmd::Edit) => {
                    return Reply::Do(Action::Edit(Target::Profile(text_row)));
                }
                _ => {}
            },
            _ => return Reply::Ignored,
        }
        Reply::Handled
    }

    /// The row the cursor is on.
    pub fn row(&self, st: &State) -> ProfileRow {
        let rows = rows(st);
        rows[self.sel.min(rows.len() - 1)]
    }

    /// Tab in a profile text field: the next (or previous) row, to be edited at once when it
    /// is a text row as well.
    pub fn tab(&mut self, st: &State, delta: i32) -> Option<Target> {
        let rows = rows(st);
        let i = (self.sel as i32 + delta).clamp(0, rows.len() as i32 - 1) as usize;
        self.sel = i;
        let row = rows[i];
        matches!(
            row,
            ProfileRow::Company
                | ProfileRow::Product
                | ProfileRow::ContactName
                | ProfileRow::ContactEmail
        )
        .then_some(Target::Profile(row))
    }
}

/// Enter on the review's outcome steps through pending, approved, findings and none; `-`
/// clears it.
fn outcome(st: &mut State, cmd: Cmd) {
    let now = st.proj().and_then(|p| p.submission.outcome);
    let next = match (cmd, now) {
        (Cmd::Unset, _) => "unset",
        (Cmd::Open | Cmd::Edit, None) => "pending",
        (Cmd::Open | Cmd::Edit, Some(Outcome::Pending)) => "approved",
        (Cmd::Open | Cmd::Edit, Some(Outcome::Approved)) => "findings",
        (Cmd::Open | Cmd::Edit, Some(Outcome::Findings)) => "unset",
        _ => return,
    };
    st.commit(Edit::Set {
        key: Setting::Outcome,
        value: next.into(),
    });
}

/// y, n, - or Enter on "holds a SOC 2 report or a WAFR".
fn waiver(st: &mut State, cmd: Cmd, row: ProfileRow) {
    let now = st.proj().and_then(|p| p.delivery.holds_soc2_or_wafr);
    let value = match cmd {
        Cmd::Yes => Some(true),
        Cmd::No => Some(false),
        Cmd::Unset => None,
        _ => Some(now != Some(true)),
    };
    let word = match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unset",
    };
    let saved = st.commit(Edit::Set {
        key: row.setting(),
        value: word.into(),
    });
    let customer_deployed = st
        .proj()
        .is_some_and(|p| p.delivery.model == Some(Model::CustomerDeployed) && p.delivery.confirmed);
    if saved && value == Some(true) && customer_deployed {
        st.info(
            "The alternative path is for partner-hosted products only; a \
             customer-deployed product answers its own checklist.",
        );
    } else if saved && value == Some(true) {
        st.info(
            "The alternative path is now offered below: choose it if the report \
             or review meets every condition.",
        );
    }
}

/// The file a row of the upload files shows, if one is attached there.
pub fn file(st: &State, row: ProfileRow) -> Option<&Evidence> {
    let profile = &st.proj()?.profile;
    match row {
        ProfileRow::Diagram => profile.diagram.as_ref(),
        ProfileRow::Report(i) => profile.security_reports.get(i),
        ProfileRow::Guide => profile.deployment_guide.as_ref(),
        ProfileRow::AlternativeReport => profile.alternative_report.as_ref(),
        _ => None,
    }
}

/// The keys of the diagram and report rows: attach (by path or from the picker),
/// detach after a yes, label, date; as on the interview's evidence.
fn key_file(st: &mut State, cmd: Cmd, row: ProfileRow) -> Reply {
    let Some(slot) = row.slot() else {
        return Reply::Handled;
    };
    let to = AttachTo::Slot(slot);
    match cmd {
        Cmd::Open | Cmd::Edit | Cmd::AddPath => {
            return Reply::Do(Action::Edit(Target::NewEvidence { to }));
        }
        Cmd::Browse => st.browse(to),
        Cmd::Remove if row == ProfileRow::Guide && file(st, row).is_none() => {
            // A guide given by its address: d forgets the address.
            if st.commit(Edit::Set {
                key: row.setting(),
                value: "unset".into(),
            }) {
                st.info("deployment-guide: none. z undoes.");
            }
        }
        _ => {
            let Some(path) = file(st, row).map(|e| e.path.clone()) else {
                st.info("Nothing is attached here yet: Enter or f types a path, b browses.");
                return Reply::Handled;
            };
            match cmd {
                Cmd::Remove => st.popups.open(Popup::Confirm {
                    question: format!(
                        "Detach {path} ({})? The file itself stays on disk.",
                        to.describe()
                    ),
                    action: Confirm::DetachFile { slot, path },
                }),
                Cmd::Label => return Reply::Do(Action::Edit(Target::EvidenceLabel { to, path })),
                _ => return Reply::Do(Action::Edit(Target::EvidenceDate { to, path })),
            }
        }
    }
    Reply::Handled
}

/// Chooses `model`, asking first when it replaces a model that has answers.
fn pick_model(st: &mut State, model: Model) -> Option<Action> {
    let p = st.proj()?;
    let current = p.delivery.model;
    if current == Some(model) {
        return (!p.delivery.confirmed).then_some(Action::ChooseModel(model));
    }
    let answered = st
        .checklist()
        .and_then(|c| p.answers.get(&c.id))
        .map_or(0, |m| m.len());
    match current {
        Some(old) if answered > 0 => {
            st.popups.open(Popup::Confirm {
                question: format!(
                    "Switch from {old} to {model}? Your {answered} {old} {} in the \
                     file and come back if you switch again.",
                    if answered == 1 {
                        "answer stays"
                    } else {
                        "answers stay"
                    }
                ),
                action: Confirm::SwitchModel(model),
            });
        }
        _ => return Some(Action::ChooseModel(model)),
    }
    None
}

/// The rows of the profile, as the project has them now.
pub fn rows(st: &State) -> Vec<ProfileRow> {
    let mut rows = vec![
        ProfileRow::Company,
        ProfileRow::Product,
        ProfileRow::ContactName,
        ProfileRow::ContactEmail,
        ProfileRow::Waiver,
        ProfileRow::Model(Model::PartnerHosted),
        ProfileRow::Model(Model::CustomerDeployed),
    ];
    let p = st.proj();
    let waiver = p.and_then(|p| p.delivery.holds_soc2_or_wafr) == Some(true);
    let model = p.and_then(|p| p.delivery.model);
    let chosen = model == Some(Model::Alternative);
    // The alternative path is for partner-hosted products only: a product confirmed as
    // customer-deployed is not offered it.
    let customer_deployed =
        model == Some(Model::CustomerDeployed) && p.is_some_and(|p| p.delivery.confirmed);
    if (waiver && !customer_deployed) || chosen {
        rows.push(ProfileRow::Model(Model::Alternative));
    }
    rows.push(ProfileRow::Diagram);
    let reports = p.map_or(0, |p| p.profile.security_reports.len());
    rows.extend((0..reports.max(1)).map(ProfileRow::Report));
    // The form's slots a model asks for, or that hold something already.
    let profile = p.map(|p| &p.profile);
    if model == Some(Model::CustomerDeployed)
        || profile
            .is_some_and(|f| f.deployment_guide.is_some() || !f.deployment_guide_url.is_empty())
    {
        rows.push(ProfileRow::Guide);
    }
    if chosen || profile.is_some_and(|f| f.alternative_report.is_some()) {
        rows.push(ProfileRow::AlternativeReport);
    }
    rows.extend([
        ProfileRow::Submitted,
        ProfileRow::Outcome,
        ProfileRow::Reviewed,
    ]);
    rows
}

pub fn render(v: &ProfileView, st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let Some(p) = st.proj() else {
        return;
    };
    let rows = rows(st);
    let sel = v.sel.min(rows.len() - 1);
    let [form, help] = Layout::vertical([Constraint::Min(12), Constraint::Length(5)]).areas(area);
    let mut lines = Vec::new();
    let mut sel_line = 0;
    let mut files_end = 0;
    let text_width = form.width.saturating_sub(2) as usize;
    for (i, row) in rows.iter().enumerate() {
        if *row == ProfileRow::Submitted {
            // What the upload files lack, under them.
            lines.extend(slot_findings(st, text_width));
            files_end = lines.len();
        }
        lines.extend(heading(t, *row));
        if i == sel {
            sel_line = lines.len();
        }
        match row.slot() {
            Some(slot) => lines.push(file_row(st, p, *row, slot, i == sel, text_width)),
            None => lines.extend(text_row(st, p, *row, i == sel, text_width)),
        }
    }
    // Keep the selected row (and the line under it) in view on short terminals; on the upload
    // files, the findings under them too, as far as the selected row stays in view.
    let inner_h = form.height.saturating_sub(2) as usize;
    let bottom = if rows[sel].slot().is_some() {
        files_end.max(sel_line + 2).min(sel_line + inner_h)
    } else {
        sel_line + 2
    };
    let scroll = bottom.saturating_sub(inner_h) as u16;
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(
            Block::bordered()
                .title(" Profile and delivery model ")
                .border_style(t.focus_border()),
        ),
        form,
    );
    let text = row_help(rows[sel]);
    let help_text = if let Some(p) = st.proj().filter(|p| p.delivery.model.is_some()) {
        if p.delivery.confirmed {
            text.to_string()
        } else {
            format!("The model was never confirmed: press Enter on it to confirm. {text}")
        }
    } else {
        text.to_string()
    };
    frame.render_widget(
        Paragraph::new(help_text)
            .wrap(Wrap { trim: true })
            .style(t.dim())
            .block(Block::bordered().border_style(t.border())),
        help,
    );
    super::editing::render_editor_over(st, frame, help);
}

/// The space, and the heading, that open a group of rows before its first row.
fn heading(t: &Theme, row: ProfileRow) -> Vec<Line<'static>> {
    match row {
        ProfileRow::Waiver => vec![Line::from("")],
        ProfileRow::Model(Model::PartnerHosted) => vec![
            Line::from(""),
            Line::from(Span::styled(
                "Delivery model: decides the checklist (Enter chooses)",
                t.title(),
            )),
        ],
        ProfileRow::Diagram => vec![
            Line::from(""),
            Line::from(Span::styled(
                "Files for the upload form (Enter or f attaches, d detaches)",
                t.title(),
            )),
        ],
        ProfileRow::Submitted => vec![
            Line::from(""),
            Line::from(Span::styled(
                "After you submit: the review and its deadlines (Enter edits)",
                t.title(),
            )),
        ],
        _ => Vec::new(),
    }
}

/// A row of the upload files: the file attached (with its state), the guide's address, or a
/// dash and what the slot takes.
fn file_row(
    st: &State,
    p: &Project,
    row: ProfileRow,
    slot: Slot,
    selected: bool,
    text_width: usize,
) -> Line<'static> {
    let t = &st.theme;
    let label = match row {
        ProfileRow::Report(n) if n > 0 => String::new(),
        other => other.label().to_string(),
    };
    let prefix = Span::styled(format!("  {label:<8}  "), t.text());
    let state = match row {
        ProfileRow::Report(n) => st.report_states.get(n),
        ProfileRow::Diagram => st.diagram_state.as_ref(),
        _ => None,
    };
    let address = (row == ProfileRow::Guide)
        .then_some(p.profile.deployment_guide_url.as_str())
        .filter(|u| !u.is_empty());
    let style = if selected { t.selected() } else { t.text() };
    match (file(st, row), address) {
        (Some(ev), _) => file_line(t, prefix, ev, state, selected, text_width),
        (None, Some(url)) => Line::from(vec![
            prefix,
            Span::styled(crate::safe::terminal(url).into_owned(), style),
            Span::styled("  its address", t.dim()),
        ]),
        (None, None) => Line::from(vec![
            prefix,
            Span::styled("—", style),
            Span::styled(
                match slot {
                    Slot::Diagram => "  PNG or JPEG",
                    Slot::SecurityReport => "  CIS results from Security Hub, as CSV",
                    Slot::DeploymentGuide => "  a file, or its https:// address",
                    Slot::AlternativeReport => "  the SOC 2 Type II report",
                },
                t.dim(),
            ),
        ]),
    }
}

/// A text, yes-or-no or model row: its label and value, or a model and what it means.
fn text_row(
    st: &State,
    p: &Project,
    row: ProfileRow,
    selected: bool,
    text_width: usize,
) -> Vec<Line<'static>> {
    let t = &st.theme;
    let editing = matches!(&st.editor, Some(e) if e.target == Target::Profile(row));
    let value = row_value(p, row);
    let label = match row {
        ProfileRow::Waiver => {
            "Hold a current SOC 2 Type II or a WAFR from the last 12 months?".to_string()
        }
        ProfileRow::Model(_) => String::new(),
        other => format!("{:<8}", other.label()),
    };
    let style = if selected { t.selected() } else { t.text() };
    if editing {
        return vec![Line::from(vec![
            Span::styled(format!("  {label} "), t.text()),
            Span::styled("(editing below)", t.dim()),
        ])];
    }
    if let ProfileRow::Model(m) = row {
        let mut lines = vec![Line::from(vec![
            Span::raw("  "),
            Span::styled(format!(" {value} "), style),
        ])];
        for l in crate::export::text::wrap(m.explain(), text_width, "       ", "       ") {
            lines.push(Line::from(Span::styled(l, t.dim())));
        }
        return lines;
    }
    let shown = if value.is_empty() {
        "—".to_string()
    } else {
        value
    };
    vec![Line::from(vec![
        Span::styled(format!("  {label} "), t.text()),
        Span::styled(format!(" {shown} "), style),
    ])]
}

/// A day as the profile shows it; empty when there is none.
fn day(d: Option<crate::dates::Date>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

/// What a text, yes-or-no or model row shows as its value.
fn row_value(p: &Project, row: ProfileRow) -> String {
    match row {
        ProfileRow::Company => p.profile.company.clone(),
        ProfileRow::Product => p.profile.product.clone(),
        ProfileRow::ContactName => p.profile.contact_name.clone(),
        ProfileRow::ContactEmail => p.profile.contact_email.clone(),
        ProfileRow::Waiver => match p.delivery.holds_soc2_or_wafr {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => "—".into(),
        },
        ProfileRow::Submitted => day(p.submission.submitted),
        ProfileRow::Reviewed => day(p.submission.reviewed),
        ProfileRow::Outcome => p
            .submission
            .outcome
            .map_or_else(String::new, |o| o.to_string()),
        ProfileRow::Diagram
        | ProfileRow::Report(_)
        | ProfileRow::Guide
        | ProfileRow::AlternativeReport => String::new(),
        ProfileRow::Model(m) => {
            let chosen = p.delivery.model == Some(m);
            let mark = match (chosen, p.delivery.confirmed) {
                (true, true) => "(•)",
                (true, false) => "(?)",
                _ => "( )",
            };
            format!("{mark} {}", m.key())
        }
    }
}

/// What the readiness check says about the upload files, under them.
fn slot_findings(st: &State, text_width: usize) -> Vec<Line<'static>> {
    let t = &st.theme;
    let mut lines = Vec::new();
    let Some(r) = &st.report else {
        return lines;
    };
    let own: Vec<_> = r.findings.iter().filter(|f| f.slot.is_some()).collect();
    if !own.is_empty() {
        lines.push(Line::from(""));
    }
    for f in own {
        let mark = if f.severity == Severity::Error {
            "  ✗ "
        } else {
            "  ! "
        };
        for l in crate::export::text::wrap(&f.message, text_width, mark, "    ") {
            lines.push(Line::from(Span::styled(l, t.severity(f.severity))));
        }
    }
    lines
}

/// The help under the form for the selected row.
fn row_help(row: ProfileRow) -> &'static str {
    match row {
        ProfileRow::Submitted => {
            "The day you sent the FTR request (YYYY-MM-DD; empty clears it). Submitting again \
             after a review sets the outcome back to pending. As ftr set submitted."
        }
        ProfileRow::Outcome => {
            "Enter steps through pending, approved and findings; - clears it. Findings must be \
             fixed within six months of the review day below. As ftr set outcome."
        }
        ProfileRow::Reviewed => {
            "The day the review's outcome came (YYYY-MM-DD): the six months to fix findings, \
             and the renewal, count from it. As ftr set reviewed."
        }
        ProfileRow::Company | ProfileRow::Product => {
            "As it appears in AWS Partner Central; the product name should match the solution there."
        }
        ProfileRow::ContactName | ProfileRow::ContactEmail => {
            "Who the reviewer writes to about this submission."
        }
        ProfileRow::Waiver => {
            "Partner-hosted products only: a current SOC 2 Type II report (unqualified, AWS and \
             the product in scope, Security and Availability covered) or a WAFR from the last 12 \
             months with no open high-risk issues can replace most controls."
        }
        ProfileRow::Model(Model::PartnerHosted) => {
            "You operate the software in your own AWS accounts. A product with a hosted part and a \
             part customers deploy needs both checklists: one assessment for each."
        }
        ProfileRow::Model(Model::CustomerDeployed) => {
            "Every requirement is about your deployment guide: what customers read to install and \
             run the product in their own accounts."
        }
        ProfileRow::Model(Model::Alternative) => {
            "Partner-hosted only: SOC 2 or WAFR checks (ids are this tool's own) replace most \
             controls. Unconfirmed: the reviewer may still ask for HOST-001, SUP-001, WAFR-001/002, \
             the CAA controls, the CIS report and the diagram."
        }
        ProfileRow::Diagram => {
            "One .png or .jpeg of every AWS service the product runs on and how they connect, for \
             the form's Architecture Diagram slot. Enter or f types a path (Tab completes), b \
             browses, d detaches."
        }
        ProfileRow::Report(_) => {
            "The CIS AWS Foundations Benchmark results, downloaded as CSV from the Security Hub \
             console, one per production account and Region. f adds one, d detaches the \
             selected one, D records when it was produced."
        }
        ProfileRow::Guide => {
            "The guide customers follow to deploy the product, for the form's Customer \
             Deployment Guide slot: Enter or f types a file's path, or the https:// address it \
             is published at; b browses, d detaches."
        }
        ProfileRow::AlternativeReport => {
            "The SOC 2 Type II report the alternative path rests on, for the form's Alternative \
             Artifacts/Reports slot. Enter or f types a path, b browses, d detaches."
        }
    }
}
