//! The start screen: recent projects and "new assessment here".

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::{Action, Reply};
use crate::assessment::edit;
use crate::store::{self, recent};
use crate::tui::keymap::Cmd;
use crate::tui::state::{State, project_title};
use crate::tui::widgets::fit::clip_start as shorten;

/// The start screen's state: the assessments offered and the selected one.
#[derive(Debug, Default)]
pub struct StartView {
    pub entries: Vec<StartEntry>,
    pub sel: usize,
}

/// One row of the start screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartEntry {
    pub path: PathBuf,
    pub title: String,
    pub checklist: String,
    pub progress: Option<(usize, usize)>,
    pub edited: String,
    /// The file is gone or unreadable; the text says why.
    pub problem: Option<String>,
    /// "New assessment here".
    pub create: bool,
}

impl StartView {
    /// The keys the footer shows here, and help lists first.
    pub fn commands(&self) -> Vec<Cmd> {
        vec![Cmd::Down, Cmd::Open, Cmd::Help, Cmd::Quit]
    }

    pub fn key(&mut self, cmd: Cmd) -> Reply {
        let n = self.entries.len();
        match cmd {
            Cmd::Down => self.sel = (self.sel + 1).min(n.saturating_sub(1)),
            Cmd::Up => self.sel = self.sel.saturating_sub(1),
            Cmd::Home => self.sel = 0,
            Cmd::End => self.sel = n.saturating_sub(1),
            Cmd::Open => {
                let Some(entry) = self.entries.get(self.sel) else {
                    return Reply::Handled;
                };
                return Reply::Do(Action::Open {
                    path: entry.path.clone(),
                    create: entry.create,
                });
            }
            _ => return Reply::Ignored,
        }
        Reply::Handled
    }

    /// Fills the start screen from the recent list (reading each project for its progress).
    pub fn load(&mut self, st: &State) {
        let mut entries = Vec::new();
        let here = st.cwd.join(store::DEFAULT_FILE);
        if !here.exists() {
            entries.push(StartEntry {
                path: here,
                title: "New assessment here".into(),
                checklist: String::new(),
                progress: None,
                edited: String::new(),
                problem: None,
                create: true,
            });
        }
        let recent = st
            .data_dir
            .as_deref()
            .map(recent::list_in)
            .unwrap_or_default();
        for r in recent {
            entries.push(start_entry(st, &r.path));
        }
        self.entries = entries;
        self.sel = self.sel.min(self.entries.len().saturating_sub(1));
    }
}

/// The row of the project at `path`.
fn start_entry(st: &State, path: &Path) -> StartEntry {
    let edited = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            let t: time::OffsetDateTime = t.into();
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default();
    match store::load(path, &st.library) {
        Ok(l) => {
            let c = edit::current_checklist(&l.project, &st.library);
            let progress = c.map(|c| {
                let p = crate::assessment::progress::progress(&l.project, c);
                (p.overall.answered(), p.overall.applicable())
            });
            StartEntry {
                path: path.to_path_buf(),
                title: project_title(&l.project, path),
                checklist: c.map_or("no model yet".into(), |c| format!("{} {}", c.id, c.version)),
                progress,
                edited,
                problem: None,
                create: false,
            }
        }
        Err(e) => StartEntry {
            path: path.to_path_buf(),
            title: path.display().to_string(),
            checklist: String::new(),
            progress: None,
            edited,
            problem: Some(e.headline()),
            create: false,
        },
    }
}

pub fn render(v: &StartView, st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
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
    let items: Vec<ListItem> = v
        .entries
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
                (Some(p), _) => Span::styled(
                    format!("  {}", shorten(&crate::safe::terminal(p), width)),
                    t.error(),
                ),
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
    let mut state = ListState::default().with_selected(Some(v.sel));
    frame.render_stateful_widget(widget, list, &mut state);
}
