//! Scoping: yes/no questions that switch off controls that cannot apply.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::Reply;
use crate::assessment::setting::Setting;
use crate::tui::keymap::Cmd;
use crate::tui::state::State;
use crate::tui::state::edit::Edit;
use crate::tui::widgets::fit::clip_end as clip;

/// The scoping screen's state: the selected question.
#[derive(Debug, Default)]
pub struct ScopingView {
    pub sel: usize,
}

impl ScopingView {
    /// The keys the footer shows here, and help lists first.
    pub fn commands(&self) -> Vec<Cmd> {
        vec![
            Cmd::Down,
            Cmd::Yes,
            Cmd::No,
            Cmd::Unset,
            Cmd::NextStep,
            Cmd::PrevStep,
            Cmd::Help,
            Cmd::Quit,
        ]
    }

    pub fn key(&mut self, st: &mut State, cmd: Cmd) -> Reply {
        Reply::from(self.key_inner(st, cmd))
    }

    fn key_inner(&mut self, st: &mut State, cmd: Cmd) -> bool {
        let Some(questions) = st.checklist().map(|c| c.scoping.clone()) else {
            return false;
        };
        let n = questions.len();
        let value = match cmd {
            Cmd::Down => {
                self.sel = (self.sel + 1).min(n.saturating_sub(1));
                return true;
            }
            Cmd::Up => {
                self.sel = self.sel.saturating_sub(1);
                return true;
            }
            Cmd::Home => {
                self.sel = 0;
                return true;
            }
            Cmd::End => {
                self.sel = n.saturating_sub(1);
                return true;
            }
            Cmd::Yes => "yes",
            Cmd::No => "no",
            Cmd::Unset => "unset",
            Cmd::Open | Cmd::Edit => {
                let Some(q) = questions.get(self.sel) else {
                    return true;
                };
                match st.proj().and_then(|p| p.scoping.get(&q.id)) {
                    Some(true) => "no",
                    _ => "yes",
                }
            }
            _ => return false,
        };
        let Some(q) = questions.get(self.sel) else {
            return true;
        };
        st.commit(Edit::Set {
            key: Setting::Scoping(q.id.clone()),
            value: value.into(),
        });
        if value != "unset" && self.sel + 1 < n {
            self.sel += 1;
        }
        true
    }
}

pub fn render(v: &ScopingView, st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let (Some(p), Some(c)) = (st.proj(), st.checklist()) else {
        let msg = Paragraph::new("Choose the delivery model first (Profile step): the scoping questions depend on the checklist.")
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(" Scoping "));
        frame.render_widget(msg, area);
        return;
    };
    let sel = v.sel.min(c.scoping.len().saturating_sub(1));
    let [list_area, detail] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(8)]).areas(area);
    let width = list_area.width.saturating_sub(12) as usize;
    let items: Vec<ListItem> = c
        .scoping
        .iter()
        .map(|q| {
            let (word, style) = match p.scoping.get(&q.id) {
                Some(true) => ("yes", t.ok()),
                Some(false) => ("no ", t.status(crate::assessment::Status::NotApplicable)),
                None => ("?  ", t.status(crate::assessment::Status::Unanswered)),
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("[{word}] "), style),
                Span::raw(clip(&q.question, width)),
            ]))
        })
        .collect();
    let answered = c
        .scoping
        .iter()
        .filter(|q| p.scoping.contains_key(&q.id))
        .count();
    let list = List::new(items)
        .block(
            Block::bordered()
                .title(format!(
                    " Scoping: {answered}/{} answered · y yes · n no (then the next question) · - clear ",
                    c.scoping.len()
                ))
                .border_style(t.focus_border()),
        )
        .highlight_style(t.selected());
    let mut state = ListState::default().with_selected(Some(sel));
    frame.render_stateful_widget(list, list_area, &mut state);
    if let Some(q) = c.scoping.get(sel) {
        let mut lines = vec![
            Line::from(Span::styled(q.question.clone(), t.title())),
            Line::from(q.help.clone()),
        ];
        if !q.off_when_no.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("No switches off: ", t.dim()),
                Span::raw(q.off_when_no.join(", ")),
            ]));
        }
        if !q.off_when_yes.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("Yes switches off: ", t.dim()),
                Span::raw(q.off_when_yes.join(", ")),
            ]));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(Block::bordered().border_style(t.border())),
            detail,
        );
    }
}
