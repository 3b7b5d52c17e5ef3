//! The start screen: recent projects and "new assessment here".

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use crate::assessment::edit;
use crate::store::{self, recent};
use crate::tui::app::{App, first_line, project_title};
use crate::tui::keymap::Cmd;
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

impl App {
    pub(crate) fn key_start(&mut self, cmd: Cmd) -> bool {
        let n = self.start.entries.len();
        match cmd {
            Cmd::Down => self.start.sel = (self.start.sel + 1).min(n.saturating_sub(1)),
            Cmd::Up => self.start.sel = self.start.sel.saturating_sub(1),
            Cmd::Home => self.start.sel = 0,
            Cmd::End => self.start.sel = n.saturating_sub(1),
            Cmd::Open => {
                let Some(entry) = self.start.entries.get(self.start.sel).cloned() else {
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

    /// Fills the start screen from the recent list (reading each project for its progress).
    pub fn load_start(&mut self) {
        let mut entries = Vec::new();
        let here = self.cwd.join(store::DEFAULT_FILE);
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
        let recent = self
            .data_dir
            .as_deref()
            .map(recent::list_in)
            .unwrap_or_default();
        for r in recent {
            entries.push(self.start_entry(&r.path));
        }
        self.start.entries = entries;
        self.start.sel = self
            .start
            .sel
            .min(self.start.entries.len().saturating_sub(1));
    }

    fn start_entry(&self, path: &Path) -> StartEntry {
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
        match store::load(path, &self.library) {
            Ok(l) => {
                let c = edit::current_checklist(&l.project, &self.library);
                let progress = c.map(|c| {
                    let p = crate::assessment::progress::progress(&l.project, c);
                    (p.overall.answered(), p.overall.applicable())
                });
                StartEntry {
                    path: path.to_path_buf(),
                    title: project_title(&l.project, path),
                    checklist: c
                        .map_or("no model yet".into(), |c| format!("{} {}", c.id, c.version)),
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
                problem: Some(first_line(&e.to_string())),
                create: false,
            },
        }
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
    let mut state = ListState::default().with_selected(Some(app.start.sel));
    frame.render_stateful_widget(widget, list, &mut state);
}
