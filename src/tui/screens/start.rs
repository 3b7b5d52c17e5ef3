//! The start screen: recent projects and "new assessment here".

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use crate::tui::app::App;
use crate::tui::keymap::Cmd;
use crate::tui::widgets::fit::clip_start as shorten;

impl App {
    pub(crate) fn key_start(&mut self, cmd: Cmd) -> bool {
        let n = self.start.len();
        match cmd {
            Cmd::Down => self.start_sel = (self.start_sel + 1).min(n.saturating_sub(1)),
            Cmd::Up => self.start_sel = self.start_sel.saturating_sub(1),
            Cmd::Home => self.start_sel = 0,
            Cmd::End => self.start_sel = n.saturating_sub(1),
            Cmd::Open => {
                let Some(entry) = self.start.get(self.start_sel).cloned() else {
                    return true;
                };
                let result = if entry.create {
                    self.create(&entry.path)
                } else {
                    self.open(&entry.path)
                };
                if let Err(e) = result {
                    self.error(e.to_string().lines().next().unwrap_or_default().to_string());
                    self.load_start();
                }
            }
            _ => return false,
        }
        true
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [intro, list] = Layout::vertical([Constraint::Length(4), Constraint::Min(3)]).areas(area);
    let text = vec![
        Line::from(Span::styled(
            "Prepare your AWS Foundational Technical Review",
            t.title(),
        )),
        Line::from(
            "Pick up a recent assessment, or start one in this folder. Every answer is saved \
             as you go to a plain TOML file you can keep in git.",
        ),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), intro);
    let width = list.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = app
        .start
        .iter()
        .map(|e| {
            if e.create {
                return ListItem::new(vec![
                    Line::from(Span::styled("+ New assessment here", t.accent())),
                    Line::from(Span::styled(
                        format!("  {}", shorten(&e.path.display().to_string(), width)),
                        t.dim(),
                    )),
                ]);
            }
            let second = match (&e.problem, e.progress) {
                (Some(p), _) => Span::styled(format!("  {}", shorten(p, width)), t.error()),
                (None, Some((done, total))) => Span::styled(
                    format!(
                        "  {} · {done}/{total} answered · edited {}",
                        e.checklist, e.edited
                    ),
                    t.dim(),
                ),
                (None, None) => {
                    Span::styled(format!("  {} · edited {}", e.checklist, e.edited), t.dim())
                }
            };
            let path = e.path.display().to_string();
            let mut first = vec![Span::styled(e.title.clone(), t.text())];
            if e.title != path {
                first.push(Span::styled(
                    format!("  {}", shorten(&path, width / 2)),
                    t.dim(),
                ));
            }
            ListItem::new(vec![Line::from(first), Line::from(second)])
        })
        .collect();
    let block = Block::bordered()
        .title(" Assessments ")
        .border_style(t.focus_border());
    let widget = List::new(items)
        .block(block)
        .highlight_style(t.selected())
        .highlight_symbol("› ");
    let mut state = ListState::default().with_selected(Some(app.start_sel));
    frame.render_stateful_widget(widget, list, &mut state);
}
