//! Profile and delivery model: who is submitting, and which checklist applies.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::content::Model;
use crate::tui::app::{App, Confirm, Edit, Popup, ProfileRow, Target};
use crate::tui::keymap::Cmd;

impl App {
    pub(crate) fn key_profile(&mut self, cmd: Cmd) -> bool {
        let rows = self.profile_rows();
        let row = rows[self.profile_sel.min(rows.len() - 1)];
        match cmd {
            Cmd::Down => self.profile_sel = (self.profile_sel + 1).min(rows.len() - 1),
            Cmd::Up => self.profile_sel = self.profile_sel.saturating_sub(1),
            Cmd::Home => self.profile_sel = 0,
            Cmd::End => self.profile_sel = rows.len() - 1,
            Cmd::Open | Cmd::Edit | Cmd::Yes | Cmd::No | Cmd::Unset => match row {
                ProfileRow::Waiver => {
                    let now = self.proj().and_then(|p| p.delivery.holds_soc2_or_wafr);
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
                    let saved = self.commit(Edit::Set {
                        key: row.key().into(),
                        value: word.into(),
                    });
                    if saved && value == Some(true) {
                        self.info(
                            "The alternative path is now offered below: choose it if the report \
                             or review meets every condition.",
                        );
                    }
                }
                ProfileRow::Model(model) if matches!(cmd, Cmd::Open | Cmd::Edit | Cmd::Yes) => {
                    self.pick_model(model)
                }
                ProfileRow::Model(_) => {}
                text_row if matches!(cmd, Cmd::Open | Cmd::Edit) => {
                    self.start_editing(Target::Profile(text_row))
                }
                _ => {}
            },
            _ => return false,
        }
        true
    }

    /// Chooses `model`, asking first when it replaces a model that has answers.
    fn pick_model(&mut self, model: Model) {
        let Some(p) = self.proj() else {
            return;
        };
        let current = p.delivery.model;
        if current == Some(model) {
            if !p.delivery.confirmed {
                self.choose_model(model);
            }
            return;
        }
        let answered = self
            .checklist()
            .and_then(|c| p.answers.get(&c.id))
            .map_or(0, |m| m.len());
        match current {
            Some(old) if answered > 0 => {
                self.popup = Some(Popup::Confirm {
                    question: format!(
                        "Switch from {old} to {model}? Your {answered} {old} answer{} stay in the \
                         file and come back if you switch again.",
                        if answered == 1 { "" } else { "s" }
                    ),
                    action: Confirm::SwitchModel(model),
                });
            }
            _ => self.choose_model(model),
        }
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let Some(p) = app.proj() else {
        return;
    };
    let rows = app.profile_rows();
    let sel = app.profile_sel.min(rows.len() - 1);
    let [form, help] = Layout::vertical([Constraint::Min(12), Constraint::Length(5)]).areas(area);
    let mut lines = Vec::new();
    let mut sel_line = 0;
    let text_width = form.width.saturating_sub(2) as usize;
    for (i, row) in rows.iter().enumerate() {
        if *row == ProfileRow::Waiver {
            lines.push(Line::from(""));
        }
        if *row == ProfileRow::Model(Model::PartnerHosted) {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "Delivery model: decides the checklist (Enter chooses)",
                t.title(),
            )));
        }
        let editing = matches!(&app.editor, Some(e) if e.target == Target::Profile(*row));
        let value = match row {
            ProfileRow::Company => p.profile.company.clone(),
            ProfileRow::Product => p.profile.product.clone(),
            ProfileRow::ContactName => p.profile.contact_name.clone(),
            ProfileRow::ContactEmail => p.profile.contact_email.clone(),
            ProfileRow::Waiver => match p.delivery.holds_soc2_or_wafr {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => "—".into(),
            },
            ProfileRow::Model(m) => {
                let chosen = p.delivery.model == Some(*m);
                let mark = match (chosen, p.delivery.confirmed) {
                    (true, true) => "(•)",
                    (true, false) => "(?)",
                    _ => "( )",
                };
                format!("{mark} {}", m.key())
            }
        };
        let label = match row {
            ProfileRow::Waiver => {
                "Hold a current SOC 2 Type II or a WAFR from the last 12 months?".to_string()
            }
            ProfileRow::Model(_) => String::new(),
            other => format!("{:<8}", other.label()),
        };
        let style = if i == sel { t.selected() } else { t.text() };
        if i == sel {
            sel_line = lines.len();
        }
        if editing {
            lines.push(Line::from(vec![
                Span::styled(format!("  {label} "), t.text()),
                Span::styled("(editing below)", t.dim()),
            ]));
        } else if let ProfileRow::Model(m) = row {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(format!(" {value} "), style),
            ]));
            for l in crate::export::text::wrap(m.explain(), text_width, "       ", "       ") {
                lines.push(Line::from(Span::styled(l, t.dim())));
            }
        } else {
            let shown = if value.is_empty() {
                "—".to_string()
            } else {
                value
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {label} "), t.text()),
                Span::styled(format!(" {shown} "), style),
            ]));
        }
    }
    // Keep the selected row (and the line under it) in view on short terminals.
    let inner_h = form.height.saturating_sub(2) as usize;
    let scroll = (sel_line + 2).saturating_sub(inner_h) as u16;
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(
            Block::bordered()
                .title(" Profile and delivery model ")
                .border_style(t.focus_border()),
        ),
        form,
    );
    let row = rows[sel];
    let text = match row {
        ProfileRow::Company | ProfileRow::Product => {
            "As it appears in AWS Partner Central; the product name should match the solution there."
        }
        ProfileRow::ContactName | ProfileRow::ContactEmail => {
            "Who the reviewer writes to about this submission."
        }
        ProfileRow::Waiver => {
            "A current SOC 2 Type II report (unqualified, AWS and the product in scope, Security \
             and Availability covered) or a Well-Architected Framework Review from the last 12 \
             months with no open high-risk issues can replace most controls. y/n answers."
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
            "Answer the SOC 2 or WAFR checks instead of the full checklist. Which other controls \
             AWS still asks on this path is not confirmed; check with your AWS contact."
        }
    };
    let help_text = if let Some(p) = app.proj().filter(|p| p.delivery.model.is_some()) {
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
    crate::tui::ui::render_editor_over(app, frame, help);
}
