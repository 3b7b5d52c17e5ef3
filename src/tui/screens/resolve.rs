//! Resolving fields changed two ways: the conflicts on the left, both values of the selected
//! one in full on the right; `o` keeps ours, `t` theirs, `e` edits our text into the one kept.
//!
//! Every resolution is a change like any other, saved at once through [`App::commit`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use crate::merge::Conflict;
use crate::safe::terminal;
use crate::team::{self, Side};
use crate::tui::app::{App, Edit, Editor, Screen, Target};
use crate::tui::keymap::Cmd;

/// Where a conflict came from, which says what "ours" and "theirs" are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A git merge that stopped with conflict markers: ours is the branch merged into, theirs
    /// the branch merged in, each named by its marker's label (`HEAD`, `cto`) when it has one.
    Git { ours: String, theirs: String },
    /// The wizard merged what changed in the file on disk with what changed in this window.
    Disk,
    /// In the file when it was opened: recorded by an earlier merge, most likely git's.
    Recorded,
}

impl Origin {
    /// The heading above our value.
    pub fn ours_heading(&self) -> String {
        match self {
            Origin::Git { ours, .. } => side_heading("Ours", ours, "the branch merged into"),
            Origin::Disk => "Yours (this window)".into(),
            Origin::Recorded => {
                "Ours: the value the file holds now (in a git merge, the branch merged into)".into()
            }
        }
    }

    /// The heading above their value.
    pub fn theirs_heading(&self) -> String {
        match self {
            Origin::Git { theirs, .. } => side_heading("Theirs", theirs, "the branch merged in"),
            Origin::Disk => "On disk (changed meanwhile)".into(),
            Origin::Recorded => {
                "Theirs: the other version (in a git merge, the branch merged in)".into()
            }
        }
    }

    /// How a side is named in messages and hints: "ours", "yours", "the version on disk".
    pub fn word(&self, side: Side) -> &'static str {
        match (self, side) {
            (Origin::Disk, Side::Ours) => "yours",
            (Origin::Disk, Side::Theirs) => "the version on disk",
            (_, Side::Ours) => "ours",
            (_, Side::Theirs) => "theirs",
        }
    }

    /// The same, short enough for the footer.
    fn hint(&self, side: Side) -> &'static str {
        match (self, side) {
            (Origin::Disk, Side::Theirs) => "disk's",
            (o, side) => o.word(side),
        }
    }
}

fn side_heading(side: &str, label: &str, what: &str) -> String {
    let label = label.trim();
    if label.is_empty() {
        format!("{side}: {what}")
    } else {
        format!("{side}: {}, {what}", terminal(label))
    }
}

/// The resolve screen's state.
#[derive(Debug, Clone)]
pub struct ResolveView {
    /// The selected conflict, an index into `project.conflicts`.
    pub selected: usize,
    /// How far the values pane is scrolled.
    pub scroll: u16,
    /// The screen the user came from: Esc and the last resolution go back there.
    pub back: Screen,
    /// Where each conflict came from, by its path; one not listed was in the file when it
    /// was opened.
    origins: Vec<(Vec<String>, Origin)>,
}

impl Default for ResolveView {
    fn default() -> Self {
        ResolveView {
            selected: 0,
            scroll: 0,
            back: Screen::Interview,
            origins: Vec::new(),
        }
    }
}

impl ResolveView {
    pub fn origin(&self, at: &[String]) -> Origin {
        self.origins
            .iter()
            .rev()
            .find(|(a, _)| a == at)
            .map_or(Origin::Recorded, |(_, o)| o.clone())
    }

    /// Records where the conflicts at these paths came from.
    pub fn note(&mut self, ats: impl IntoIterator<Item = Vec<String>>, origin: &Origin) {
        for at in ats {
            self.origins.retain(|(a, _)| *a != at);
            self.origins.push((at, origin.clone()));
        }
    }
}

/// The sides of the file's git conflict markers, named by their labels, if it has any.
pub fn marker_origin(text: Option<&str>) -> Option<Origin> {
    let text = text.filter(|t| team::has_markers(t))?;
    let sides = crate::merge::split_markers(text)?;
    Some(Origin::Git {
        ours: sides.ours_label,
        theirs: sides.theirs_label,
    })
}

/// Fields people write in their own words (a required value too, which is checked when
/// kept); a status, a date or a path is kept from one side.
fn is_text_field(at: &[String]) -> bool {
    let last = at.last().map_or("", String::as_str);
    let texts = [
        "response", "reason", "notes", "what", "owner", "company", "product", "name", "email",
        "label",
    ];
    texts.contains(&last) || (at.len() >= 2 && at[at.len() - 2] == "values")
}

/// The text `e` starts from: ours, when the conflict is over a text (`None` otherwise).
fn editable(c: &Conflict) -> Option<String> {
    use toml::Value::String as S;
    if !is_text_field(&c.at) {
        return None;
    }
    match (&c.ours, &c.theirs) {
        (Some(S(ours)), Some(S(_)) | None) => Some(ours.clone()),
        (None, Some(S(_))) => Some(String::new()),
        _ => None,
    }
}

/// Whether the text at `at` is one that takes several lines.
fn multiline(at: &[String], text: &str) -> bool {
    text.contains('\n')
        || at
            .last()
            .is_some_and(|k| matches!(k.as_str(), "response" | "reason" | "notes" | "what"))
}

impl App {
    pub fn conflicts(&self) -> &[Conflict] {
        self.proj().map_or(&[][..], |p| &p.conflicts[..])
    }

    pub fn selected_conflict(&self) -> Option<&Conflict> {
        let all = self.conflicts();
        all.get(self.resolve.selected.min(all.len().saturating_sub(1)))
    }

    /// Opens the resolve screen, on the conflict at `at` when given. Esc comes back here.
    pub fn open_resolve(&mut self, at: Option<&[String]>) {
        if self.conflicts().is_empty() {
            self.info("Nothing to resolve: no field was changed two ways.");
            return;
        }
        if self.screen != Screen::Resolve {
            self.resolve.back = match self.screen {
                Screen::Start => Screen::Profile,
                s => s,
            };
        }
        if let Some(i) = at.and_then(|at| self.conflicts().iter().position(|c| c.at == at)) {
            self.resolve.selected = i;
        }
        let n = self.conflicts().len();
        self.resolve.selected = self.resolve.selected.min(n - 1);
        self.resolve.scroll = 0;
        self.screen = Screen::Resolve;
        self.remember();
    }

    /// Back to where the user was; the conflicts that are left stay in the file.
    pub fn leave_resolve(&mut self) {
        let back = self.resolve.back;
        if back == Screen::Interview && self.checklist().is_none() {
            self.screen = Screen::Profile;
        } else {
            self.screen = back;
        }
        let n = self.report.as_ref().map_or(0, |r| r.findings.len());
        self.review.sel = self.review.sel.min(n.saturating_sub(1));
        self.refresh();
        self.remember();
    }

    pub(crate) fn key_resolve(&mut self, cmd: Cmd) -> bool {
        let n = self.conflicts().len();
        let v = &mut self.resolve;
        let before = v.selected;
        match cmd {
            Cmd::Down => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
            Cmd::Up => v.selected = v.selected.saturating_sub(1),
            Cmd::Home => v.selected = 0,
            Cmd::End => v.selected = n.saturating_sub(1),
            Cmd::PageDown => v.scroll = v.scroll.saturating_add(5),
            Cmd::PageUp => v.scroll = v.scroll.saturating_sub(5),
            Cmd::Reuse => self.keep(Side::Ours),
            Cmd::KeepTheirs => self.keep(Side::Theirs),
            Cmd::Edit | Cmd::Open => self.edit_conflict(),
            Cmd::Back => self.leave_resolve(),
            _ => return false,
        }
        if self.resolve.selected != before {
            self.resolve.scroll = 0;
        }
        true
    }

    /// Settles the selected conflict with one side's value.
    fn keep(&mut self, side: Side) {
        let Some(c) = self.selected_conflict().cloned() else {
            return;
        };
        let origin = self.resolve.origin(&c.at);
        // Ours is what the file holds now, also when changed since the merge.
        let value = match side {
            Side::Ours => self
                .proj()
                .and_then(|p| team::table_of(p).ok())
                .and_then(|t| crate::merge::get_at(&t, &c.at).cloned()),
            Side::Theirs => side.value(&c),
        };
        let saved = self.commit(Edit::Resolve {
            at: c.at.clone(),
            value: value.clone(),
        });
        if saved {
            self.info(format!(
                "Kept {} for {}: {}",
                origin.word(side),
                terminal(&team::short_name(&c.at)),
                terminal(&team::value_brief(value.as_ref(), 60))
            ));
            self.resolved(&origin);
        }
    }

    /// `e`: the text editor on our text; what is saved there is the value kept.
    fn edit_conflict(&mut self) {
        let Some(c) = self.selected_conflict().cloned() else {
            return;
        };
        let Some(text) = editable(&c) else {
            self.error(format!(
                "Only texts can be edited here, and {} is not one: keep a side with o (ours) or t (theirs).",
                terminal(&team::short_name(&c.at))
            ));
            return;
        };
        let lines = multiline(&c.at, &text);
        self.editor = Some(Editor::new(Target::Conflict { at: c.at }, &text, lines));
    }

    /// The change the text typed for the conflict at `at` makes: none when it is our text
    /// unchanged (leaving the editor then resolves nothing); `Err` when the file would not
    /// take it.
    pub(crate) fn conflict_edit(
        &self,
        at: &[String],
        text: String,
    ) -> Result<Option<Edit>, String> {
        let (Some(l), Some(c)) = (
            self.project.as_ref(),
            self.conflicts().iter().find(|c| c.at == at),
        ) else {
            return Ok(None);
        };
        let start = editable(c).unwrap_or_default();
        if text == start.trim_end() || text == start.trim() {
            return Ok(None);
        }
        let value = Some(toml::Value::String(text));
        let file = l.path.display().to_string();
        team::take(&file, &l.project, at, value.clone(), &self.library).map_err(|e| {
            let text = e.to_string();
            terminal(text.lines().next().unwrap_or_default()).into_owned()
        })?;
        Ok(Some(Edit::Resolve {
            at: at.to_vec(),
            value,
        }))
    }

    /// The editor on a conflict was left: its text, if changed, is the value kept.
    pub(crate) fn finish_conflict_edit(&mut self, editor: Editor) {
        let Target::Conflict { at } = &editor.target else {
            return;
        };
        let at = at.clone();
        let text = editor.text();
        match self.conflict_edit(&at, text) {
            Ok(Some(edit)) => {
                let origin = self.resolve.origin(&at);
                if self.commit(edit) {
                    self.info(format!(
                        "Kept the text you edited for {}.",
                        terminal(&team::short_name(&at))
                    ));
                    self.resolved(&origin);
                }
            }
            Ok(None) => self.info(format!(
                "{} stays changed two ways: the text was not edited. o keeps ours, t theirs.",
                terminal(&team::short_name(&at))
            )),
            Err(why) => {
                let mut editor = editor;
                editor.error = Some(why);
                self.editor = Some(editor);
            }
        }
    }

    /// After a conflict was settled: the next one, or back where the user was once none is
    /// left.
    fn resolved(&mut self, origin: &Origin) {
        let n = self.conflicts().len();
        if n > 0 {
            self.resolve.selected = self.resolve.selected.min(n - 1);
            self.resolve.scroll = 0;
            return;
        }
        let file = self
            .project
            .as_ref()
            .map(|l| crate::safe::path_word(&self.shown_path(&l.path)))
            .unwrap_or_default();
        if self.screen == Screen::Resolve {
            self.leave_resolve();
        }
        if *origin == Origin::Disk {
            self.info("All conflicts resolved; the file on disk holds the values you kept.");
        } else {
            self.info(format!(
                "All conflicts resolved; git add {file} and commit to finish the merge"
            ));
        }
    }
}

/// The footer's keys on this screen, in the words of the selected conflict's sides.
pub fn hints(app: &App) -> Vec<(String, String)> {
    let selected = app.selected_conflict();
    let origin = selected.map_or(Origin::Recorded, |c| app.resolve.origin(&c.at));
    let mut v: Vec<(String, String)> = vec![
        ("↓".into(), "next".into()),
        ("o".into(), format!("keep {}", origin.hint(Side::Ours))),
        ("t".into(), format!("keep {}", origin.hint(Side::Theirs))),
    ];
    if selected.and_then(editable).is_some() {
        v.push(("e".into(), "edit".into()));
    }
    v.extend([
        ("Esc".into(), "back".into()),
        ("?".into(), "help".into()),
        ("q".into(), "quit".into()),
    ]);
    v
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let list_w = (area.width * 2 / 5).clamp(26, 44);
    let [left, right] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(30)]).areas(area);
    let conflicts = app.conflicts();
    let width = left.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = conflicts
        .iter()
        .map(|c| {
            ListItem::new(Line::from(crate::tui::ui::clip(
                &terminal(&team::short_name(&c.at)),
                width,
            )))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::bordered()
                .title(format!(" Changed two ways: {} ", conflicts.len()))
                .border_style(if app.editor.is_some() {
                    t.border()
                } else {
                    t.focus_border()
                }),
        )
        .highlight_style(t.selected())
        .highlight_symbol("› ");
    let selected = (!conflicts.is_empty()).then(|| app.resolve.selected.min(conflicts.len() - 1));
    let mut state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, left, &mut state);

    let Some(c) = app.selected_conflict() else {
        frame.render_widget(
            Paragraph::new("Nothing to resolve.").block(Block::bordered().border_style(t.border())),
            right,
        );
        return;
    };
    if matches!(
        app.editor.as_ref().map(|e| &e.target),
        Some(Target::Conflict { .. })
    ) {
        crate::tui::ui::render_editor_over(app, frame, right);
        return;
    }
    let origin = app.resolve.origin(&c.at);
    let mut lines: Vec<Line> = Vec::new();
    match crate::merge::control_of(&c.at) {
        Some((list, id)) => {
            let title = app
                .checklist()
                .filter(|ck| ck.id == list)
                .or_else(|| app.library.checklist(list))
                .and_then(|ck| ck.control(id))
                .map(|x| x.title.clone());
            let mut head = terminal(id).into_owned();
            if let Some(title) = title {
                head.push_str(&format!(" · {}", terminal(&title)));
            }
            lines.push(Line::from(Span::styled(head, t.title())));
            let field = &c.at[3.min(c.at.len())..];
            if !field.is_empty() {
                lines.push(Line::from(Span::styled(
                    format!("field: {}", terminal(&crate::merge::display_path(field))),
                    t.dim(),
                )));
            }
        }
        None => lines.push(Line::from(Span::styled(
            terminal(&crate::merge::display_path(&c.at)).into_owned(),
            t.title(),
        ))),
    }
    let heading = |text: String, key: &str| {
        let mut spans = vec![Span::styled(
            text,
            t.accent()
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )];
        if !key.is_empty() {
            spans.push(Span::styled(format!("  {key}"), t.dim()));
        }
        Line::from(spans)
    };
    // Values in full, each line escaped and wrapped under its heading.
    let room = right.width.saturating_sub(4).max(10) as usize;
    let value = |v: Option<&toml::Value>, lines: &mut Vec<Line>| {
        let text = match v {
            None if c.base.is_some() => "(removed)".to_string(),
            v => team::value_line(v),
        };
        for l in text.split('\n') {
            for w in crate::tui::widgets::fit::wrap_words(&terminal(l), room) {
                lines.push(Line::from(format!("  {w}")));
            }
        }
    };
    lines.push(Line::from(""));
    lines.push(heading(origin.ours_heading(), "o keeps it"));
    value(c.ours.as_ref(), &mut lines);
    lines.push(Line::from(""));
    lines.push(heading(origin.theirs_heading(), "t keeps it"));
    value(c.theirs.as_ref(), &mut lines);
    if c.base.is_some() {
        lines.push(Line::from(""));
        lines.push(heading("Base: before either change".into(), ""));
        value(c.base.as_ref(), &mut lines);
    }
    lines.push(Line::from(""));
    let mut note = format!(
        "The file holds {} until you choose.",
        origin.word(Side::Ours)
    );
    if editable(c).is_some() {
        note.push_str(" e edits that text into the one to keep.");
    }
    lines.push(Line::from(Span::styled(note, t.dim())));
    let title = format!(" {} ", terminal(&team::short_name(&c.at)));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.resolve.scroll, 0))
            .block(Block::bordered().title(title).border_style(t.border())),
        right,
    );
}
