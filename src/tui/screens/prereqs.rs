//! Programme prerequisites: readiness items that are not FTR controls.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::{Action, Reply};
use crate::assessment::PrereqAnswer;
use crate::assessment::setting::Setting;
use crate::content::PrerequisiteKind;
use crate::tui::keymap::Cmd;
use crate::tui::state::State;
use crate::tui::state::edit::Edit;
use crate::tui::state::editor::Target;

/// The prerequisites screen's state: the selected prerequisite.
#[derive(Debug, Default)]
pub struct PrereqView {
    pub sel: usize,
}

impl PrereqView {
    /// The keys the footer shows here, and help lists first.
    pub fn commands(&self) -> Vec<Cmd> {
        vec![
            Cmd::Down,
            Cmd::Yes,
            Cmd::No,
            Cmd::Open,
            Cmd::NextStep,
            Cmd::Help,
            Cmd::Quit,
        ]
    }

    pub fn key(&mut self, st: &mut State, cmd: Cmd) -> Reply {
        let items = st.library.prerequisites.clone();
        let n = items.len();
        let Some(item) = items.get(self.sel.min(n.saturating_sub(1))) else {
            return Reply::Ignored;
        };
        let key = Setting::Prereq(item.id.clone());
        match (cmd, item.kind) {
            (Cmd::Down, _) => self.sel = (self.sel + 1).min(n - 1),
            (Cmd::Up, _) => self.sel = self.sel.saturating_sub(1),
            (Cmd::Home, _) => self.sel = 0,
            (Cmd::End, _) => self.sel = n - 1,
            (Cmd::Unset, _) => {
                st.commit(Edit::Set {
                    key,
                    value: "unset".into(),
                });
            }
            (Cmd::Yes | Cmd::No, PrerequisiteKind::YesNo) => {
                st.commit(Edit::Set {
                    key,
                    value: if cmd == Cmd::Yes { "yes" } else { "no" }.into(),
                });
                self.sel = (self.sel + 1).min(n - 1);
            }
            (Cmd::Open | Cmd::Edit, PrerequisiteKind::YesNo) => {
                let now = st
                    .proj()
                    .and_then(|p| p.prerequisites.get(&item.id))
                    .copied();
                let value = if now == Some(PrereqAnswer::Yes(true)) {
                    "no"
                } else {
                    "yes"
                };
                st.commit(Edit::Set {
                    key,
                    value: value.into(),
                });
            }
            (Cmd::Open | Cmd::Edit, PrerequisiteKind::Count) => {
                return Reply::Do(Action::Edit(Target::PrereqCount(item.id.clone())));
            }
            // y and n mean yes and no on this screen, never another command.
            (Cmd::Yes | Cmd::No, PrerequisiteKind::Count) => {
                st.info("This one is a number: Enter, then type it.")
            }
            _ => return Reply::Ignored,
        }
        Reply::Handled
    }
}

pub fn render(v: &PrereqView, st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let Some(p) = st.proj() else {
        return;
    };
    let items = &st.library.prerequisites;
    let sel = v.sel.min(items.len().saturating_sub(1));
    let [list_area, detail] = Layout::vertical([
        Constraint::Length(items.len() as u16 + 2),
        Constraint::Min(5),
    ])
    .areas(area);
    let rows: Vec<ListItem> = items
        .iter()
        .map(|item| {
            let answer = p.prerequisites.get(&item.id).copied();
            let (word, style) = match (item.kind, answer) {
                (_, None) => (
                    "?".to_string(),
                    t.status(crate::assessment::Status::Unanswered),
                ),
                (PrerequisiteKind::YesNo, Some(PrereqAnswer::Yes(true))) => ("yes".into(), t.ok()),
                (PrerequisiteKind::Count, Some(PrereqAnswer::Count(n)))
                    if n >= item.minimum.unwrap_or(0) =>
                {
                    (n.to_string(), t.ok())
                }
                (_, Some(PrereqAnswer::Count(n))) => (n.to_string(), t.warning()),
                (_, Some(PrereqAnswer::Yes(b))) => {
                    (if b { "yes" } else { "no" }.into(), t.warning())
                }
            };
            let need = match (item.minimum, item.confirmed) {
                (Some(m), true) => format!(" (at least {m})"),
                (Some(m), false) => format!(" (at least {m}, unconfirmed)"),
                (None, true) => String::new(),
                (None, false) => " (unconfirmed)".to_string(),
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("[{word:^4}] "), style),
                Span::raw(format!("{}{need}", item.title)),
            ]))
        })
        .collect();
    let list = List::new(rows)
        .block(
            Block::bordered()
                .title(" Programme prerequisites · y yes · n no · Enter edit a count ")
                .border_style(t.focus_border()),
        )
        .highlight_style(t.selected());
    let mut state = ListState::default().with_selected(Some(sel));
    frame.render_stateful_widget(list, list_area, &mut state);
    if let Some(item) = items.get(sel) {
        let mut text = vec![
            Line::from(Span::styled(item.question.clone(), t.title())),
            Line::from(""),
        ];
        text.extend(crate::tui::widgets::markdown::to_text(&item.guidance, &t.markdown()).lines);
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: false })
                .block(Block::bordered().border_style(t.border())),
            detail,
        );
        super::editing::render_editor_over(st, frame, detail);
    }
}
