//! Resolving fields changed two ways: the conflicts on the left, both values of the selected
//! one in full on the right; `o` keeps ours, `t` theirs, `e` edits our text into the one kept.
//!
//! Every resolution is a change like any other, saved at once through `State::commit`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use crate::merge::Conflict;
use crate::safe::terminal;
use crate::team::{self, Side};

use super::Reply;
use crate::tui::keymap::Cmd;
use crate::tui::state::State;
use crate::tui::state::conflicts::{Origin, editable, multiline};
use crate::tui::state::edit::Edit;
use crate::tui::state::editor::{Editor, Target};
use crate::tui::state::nav::Screen;

pub fn key(st: &mut State, cmd: Cmd) -> Reply {
    let n = st.conflicts().len();
    let v = &mut st.resolve;
    let before = v.selected;
    match cmd {
        Cmd::Down => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
        Cmd::Up => v.selected = v.selected.saturating_sub(1),
        Cmd::Home => v.selected = 0,
        Cmd::End => v.selected = n.saturating_sub(1),
        Cmd::PageDown => v.scroll = v.scroll.saturating_add(5),
        Cmd::PageUp => v.scroll = v.scroll.saturating_sub(5),
        Cmd::Reuse => keep(st, Side::Ours),
        Cmd::KeepTheirs => keep(st, Side::Theirs),
        Cmd::Edit | Cmd::Open => edit_conflict(st),
        Cmd::Back => st.leave_resolve(),
        _ => return Reply::Ignored,
    }
    if st.resolve.selected != before {
        st.resolve.scroll = 0;
    }
    Reply::Handled
}

/// Settles the selected conflict with one side's value.
fn keep(st: &mut State, side: Side) {
    let Some(c) = st.selected_conflict().cloned() else {
        return;
    };
    let origin = st.resolve.origin(&c.at);
    // Ours is what the file holds now, also when changed since the merge.
    let value = match side {
        Side::Ours => st
            .proj()
            .and_then(|p| team::table_of(p).ok())
            .and_then(|t| crate::merge::get_at(&t, &c.at).cloned()),
        Side::Theirs => side.value(&c),
    };
    let saved = st.commit(Edit::Resolve {
        at: c.at.clone(),
        value: value.clone(),
    });
    if saved {
        st.info(format!(
            "Kept {} for {}: {}",
            origin.word(side),
            terminal(&team::short_name(&c.at)),
            terminal(&team::value_brief(value.as_ref(), 60))
        ));
        resolved(st, &origin);
    }
}

/// `e`: the text editor on our text; what is saved there is the value kept.
fn edit_conflict(st: &mut State) {
    let Some(c) = st.selected_conflict().cloned() else {
        return;
    };
    let Some(text) = editable(&c) else {
        st.error(format!(
            "Only texts can be edited here, and {} is not one: keep a side with o (ours) or t (theirs).",
            terminal(&team::short_name(&c.at))
        ));
        return;
    };
    let lines = multiline(&c.at, &text);
    st.editor = Some(Editor::new(Target::Conflict { at: c.at }, &text, lines));
}

/// The change the text typed for the conflict at `at` makes: none when it is our text
/// unchanged (leaving the editor then resolves nothing); `Err` when the file would not
/// take it.
pub fn conflict_edit(st: &State, at: &[String], text: String) -> Result<Option<Edit>, String> {
    let (Some(l), Some(c)) = (
        st.project.as_ref(),
        st.conflicts().iter().find(|c| c.at == at),
    ) else {
        return Ok(None);
    };
    let start = editable(c).unwrap_or_default();
    if text == start.trim_end() || text == start.trim() {
        return Ok(None);
    }
    let value = Some(toml::Value::String(text));
    let file = l.path.display().to_string();
    team::take(&file, &l.project, at, value.clone(), &st.library).map_err(|e| e.headline())?;
    Ok(Some(Edit::Resolve {
        at: at.to_vec(),
        value,
    }))
}

/// The editor on a conflict was left: its text, if changed, is the value kept.
pub fn finish_edit(st: &mut State, editor: Editor) {
    let Target::Conflict { at } = &editor.target else {
        return;
    };
    let at = at.clone();
    let text = editor.text();
    match conflict_edit(st, &at, text) {
        Ok(Some(edit)) => {
            let origin = st.resolve.origin(&at);
            if st.commit(edit) {
                st.info(format!(
                    "Kept the text you edited for {}.",
                    terminal(&team::short_name(&at))
                ));
                resolved(st, &origin);
            }
        }
        Ok(None) => st.info(format!(
            "{} stays changed two ways: the text was not edited. o keeps ours, t theirs.",
            terminal(&team::short_name(&at))
        )),
        Err(why) => {
            let mut editor = editor;
            editor.error = Some(why);
            st.editor = Some(editor);
        }
    }
}

/// After a conflict was settled: the next one, or back where the user was once none is
/// left.
fn resolved(st: &mut State, origin: &Origin) {
    let n = st.conflicts().len();
    if n > 0 {
        st.resolve.selected = st.resolve.selected.min(n - 1);
        st.resolve.scroll = 0;
        return;
    }
    let file = st
        .project
        .as_ref()
        .map(|l| crate::safe::path_word(&st.shown_path(&l.path)))
        .unwrap_or_default();
    if st.screen == Screen::Resolve {
        st.leave_resolve();
    }
    if *origin == Origin::Disk {
        st.info("All conflicts resolved; the file on disk holds the values you kept.");
    } else {
        st.info(format!(
            "All conflicts resolved; git add {file} and commit to finish the merge"
        ));
    }
}

/// The footer's keys on this screen, in the words of the selected conflict's sides.
pub fn hints(st: &State) -> Vec<(String, String)> {
    let selected = st.selected_conflict();
    let origin = selected.map_or(Origin::Recorded, |c| st.resolve.origin(&c.at));
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

pub fn render(st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let list_w = (area.width * 2 / 5).clamp(26, 44);
    let [left, right] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(30)]).areas(area);
    render_list(st, frame, left);
    let Some(c) = st.selected_conflict() else {
        frame.render_widget(
            Paragraph::new("Nothing to resolve.").block(Block::bordered().border_style(t.border())),
            right,
        );
        return;
    };
    if matches!(
        st.editor.as_ref().map(|e| &e.target),
        Some(Target::Conflict { .. })
    ) {
        super::editing::render_editor_over(st, frame, right);
        return;
    }
    render_sides(st, frame, right, c);
}

/// The fields changed two ways, by their short names, the selected one marked.
fn render_list(st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let conflicts = st.conflicts();
    let width = area.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = conflicts
        .iter()
        .map(|c| {
            ListItem::new(Line::from(crate::tui::widgets::fit::clip_end(
                &terminal(&team::short_name(&c.at)),
                width,
            )))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::bordered()
                .title(format!(" Changed two ways: {} ", conflicts.len()))
                .border_style(if st.editor.is_some() {
                    t.border()
                } else {
                    t.focus_border()
                }),
        )
        .highlight_style(t.selected())
        .highlight_symbol("› ");
    let selected = (!conflicts.is_empty()).then(|| st.resolve.selected.min(conflicts.len() - 1));
    let mut state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, area, &mut state);
}

/// The selected field: where it is, our value, theirs and the base in full, and which side
/// the file holds until one is chosen.
fn render_sides(st: &State, frame: &mut Frame, area: Rect, c: &Conflict) {
    let t = &st.theme;
    let origin = st.resolve.origin(&c.at);
    let mut lines = field_heading(st, c);
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
    let room = area.width.saturating_sub(4).max(10) as usize;
    lines.push(Line::from(""));
    lines.push(heading(origin.ours_heading(), "o keeps it"));
    lines.extend(value_lines(c, c.ours.as_ref(), room));
    lines.push(Line::from(""));
    lines.push(heading(origin.theirs_heading(), "t keeps it"));
    lines.extend(value_lines(c, c.theirs.as_ref(), room));
    if c.base.is_some() {
        lines.push(Line::from(""));
        lines.push(heading("Base: before either change".into(), ""));
        lines.extend(value_lines(c, c.base.as_ref(), room));
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
            .scroll((st.resolve.scroll, 0))
            .block(Block::bordered().title(title).border_style(t.border())),
        area,
    );
}

/// Where the field is: a control's id and title and the field within it, or the field's path.
fn field_heading(st: &State, c: &Conflict) -> Vec<Line<'static>> {
    let t = &st.theme;
    let Some((list, id)) = crate::merge::control_of(&c.at) else {
        return vec![Line::from(Span::styled(
            terminal(&crate::merge::display_path(&c.at)).into_owned(),
            t.title(),
        ))];
    };
    let title = st
        .checklist()
        .filter(|ck| ck.id == list)
        .or_else(|| st.library.checklist(list))
        .and_then(|ck| ck.control(id))
        .map(|x| x.title.clone());
    let mut head = terminal(id).into_owned();
    if let Some(title) = title {
        head.push_str(&format!(" · {}", terminal(&title)));
    }
    let mut lines = vec![Line::from(Span::styled(head, t.title()))];
    let field = &c.at[3.min(c.at.len())..];
    if !field.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("field: {}", terminal(&crate::merge::display_path(field))),
            t.dim(),
        )));
    }
    lines
}

/// One side's value in full, each line escaped and wrapped to `room` cells.
fn value_lines(c: &Conflict, v: Option<&toml::Value>, room: usize) -> Vec<Line<'static>> {
    let text = match v {
        None if c.base.is_some() => "(removed)".to_string(),
        v => team::value_line(v),
    };
    let mut lines = Vec::new();
    for l in text.split('\n') {
        for w in crate::tui::widgets::fit::wrap_words(&terminal(l), room) {
            lines.push(Line::from(format!("  {w}")));
        }
    }
    lines
}
