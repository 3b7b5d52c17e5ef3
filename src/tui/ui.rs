//! Drawing the frame: header (project, checklist, progress, steps), the current screen,
//! the footer with the keys that work right now, and any popup on top.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::app::App;
use super::keymap::{BINDINGS, Cmd};
use super::screens::{changes, export, interview, prereqs, profile, resolve, review, scoping};
use super::screens::{search, start, window};
use super::state::editor::{Editor, Target};
use super::state::nav::{Field, Level, Screen, Step};
use super::state::popup::{Popup, Reuse};
use super::state::project_title;
use super::theme::Theme;
use super::widgets::filter;
use super::widgets::fit::centered;
use crate::assessment::Status;
use crate::assessment::window::Window;
use crate::content::Checklist;
use crate::store::Loaded;

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(app: &mut App, frame: &mut Frame) {
    let area = frame.area();
    app.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
    if app.too_small {
        let msg = format!(
            "The terminal is {}x{}; ftr needs at least {MIN_WIDTH}x{MIN_HEIGHT}.\nMake the window larger. Your work is saved; until then only q (quit) and ? (help) act.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .style(app.st.theme.warning()),
            area,
        );
        return;
    }
    let footer_lines = message_lines(app, area.width).len().max(1) as u16;
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(10),
        Constraint::Length(footer_lines),
    ])
    .areas(area);
    render_header(app, frame, header);
    match app.st.screen {
        Screen::Start => start::render(&app.start, &app.st, frame, body),
        Screen::Profile => profile::render(&app.profile, &app.st, frame, body),
        Screen::Scoping => scoping::render(&app.scoping, &app.st, frame, body),
        Screen::Prerequisites => prereqs::render(&app.prereqs, &app.st, frame, body),
        Screen::Interview => interview::draw::render(&app.interview, &app.st, frame, body),
        Screen::Review => review::render(&app.st, frame, body),
        Screen::Export => export::render(&app.export, &app.st, frame, body),
        Screen::Resolve => resolve::render(&app.st, frame, body),
    }
    if matches!(
        app.st.screen,
        Screen::Review | Screen::Export | Screen::Start
    ) {
        // These screens place no field of their own: a path prompt (AWS's workbook, a
        // checklist to install) goes at the foot of the screen.
        let [_, prompt] = Layout::vertical([Constraint::Min(0), Constraint::Length(6)]).areas(body);
        super::screens::editing::render_editor_over(&app.st, frame, prompt);
    }
    render_footer(app, frame, footer);
    render_popups(app, frame, area);
}

/// The header: the project line, and under it the steps of the wizard.
fn render_header(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.st.theme;
    let [top, steps] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let mut spans = vec![Span::styled(" ftr ", t.title())];
    let Some(l) = &app.st.project else {
        spans.push(Span::styled("│ AWS Foundational Technical Review", t.dim()));
        frame.render_widget(Paragraph::new(Line::from(spans)), top);
        return;
    };
    spans.push(Span::styled("│ ", t.border()));
    spans.extend(project_line(app, l, area.width as usize));
    frame.render_widget(Paragraph::new(Line::from(spans)), top);
    frame.render_widget(Paragraph::new(steps_line(app, area.width < 110)), steps);
}

/// The header's project line after " ftr │ ": the title, the checklist, the progress, the
/// conflicts and what is wrong, each giving way in turn when the line is too long for `room`.
fn project_line(app: &App, l: &Loaded, room: usize) -> Vec<Span<'static>> {
    let t = &app.st.theme;
    let title = project_title(&l.project, &l.path);
    // What follows the title; the progress has a short form, and the title gives way
    // when the line is too long for the terminal.
    let (rest, progress) = match app.st.checklist() {
        Some(c) => checklist_part(app, l, c),
        None => (
            vec![
                Span::styled(" │ ", t.border()),
                Span::styled("no delivery model yet", t.warning()),
            ],
            None,
        ),
    };
    let (long_mark, short_mark) = conflict_marks(l.project.conflicts.len());
    let files = broken_files(app);
    let tail_of = |short| alarms(t, app.st.unsaved, files.as_ref(), short);
    let (long_tail, short_tail) = (tail_of(false), tail_of(true));
    let used = |tail: &[Span], progress: &str, mark: &str| {
        // " ftr │ " takes 7 cells before the title.
        7 + rest.iter().map(Span::width).sum::<usize>()
            + tail.iter().map(Span::width).sum::<usize>()
            + mark.chars().count()
            + if progress.is_empty() {
                0
            } else {
                3 + progress.chars().count()
            }
    };
    let (long, short) = progress.unwrap_or_default();
    let title_w = super::widgets::fit::width_of(&title);
    // From the fullest line to the barest: the title gives way first (to 8 cells), then
    // the progress's words, the files' words, the conflicts' words, the progress itself.
    let choices = [
        (&long_tail, &long, &long_mark, title_w),
        (&long_tail, &short, &long_mark, 8),
        (&short_tail, &short, &long_mark, 8),
        (&short_tail, &short, &short_mark, 8),
    ];
    let (tail, progress, mark) = choices
        .iter()
        .find(|(tail, progress, mark, title)| used(tail, progress, mark) + title <= room)
        .map(|(tail, progress, mark, _)| ((*tail).clone(), (*progress).clone(), (*mark).clone()))
        .unwrap_or_else(|| (short_tail.clone(), String::new(), short_mark.clone()));
    let mut tail = tail;
    let title_room = room.saturating_sub(used(&tail, &progress, &mark)).max(8);
    if !mark.is_empty() {
        tail.insert(0, Span::styled(mark, t.error()));
    }
    let mut spans = vec![Span::raw(clip(&title, title_room))];
    spans.extend(rest);
    if !progress.is_empty() {
        spans.push(Span::styled(" │ ", t.border()));
        spans.push(Span::raw(progress));
    }
    spans.extend(tail);
    spans
}

/// What the header says of the checklist (its version, unconfirmed, the acceptance window, a
/// newer version), and the progress in words and in short.
fn checklist_part(
    app: &App,
    l: &Loaded,
    c: &Checklist,
) -> (Vec<Span<'static>>, Option<(String, String)>) {
    let t = &app.st.theme;
    let mut rest = vec![
        Span::styled(" │ ", t.border()),
        Span::styled(format!("{} {}", c.id, c.version), t.accent()),
    ];
    if !l.project.delivery.confirmed {
        rest.push(Span::styled(" (unconfirmed)", t.warning()));
    }
    // The acceptance window, once it is near its end or past it, in words that read
    // without colour (a newer version installed says more, and the line has room for one
    // of them).
    if app.st.newer_checklist().is_none() {
        let accepted = &l.project.delivery.accept_past_window;
        let window = Window::of(c, &app.st.library, accepted, app.st.today);
        let style = if window.closed() {
            t.error()
        } else {
            t.warning()
        };
        match window {
            Window::Ended { .. } => {
                rest.push(Span::styled(
                    format!(" · {}", window.short(app.st.today)),
                    style,
                ));
            }
            Window::Ending { until, .. } => {
                let day = crate::assessment::scan::short_date(until.date, app.st.today);
                let about = if until.approximate { "~" } else { "" };
                rest.push(Span::styled(format!(" · until {about}{day}"), style));
            }
            Window::Open { .. } | Window::Unknown => {}
        }
    }
    if let Some(newer) = app.st.newer_checklist() {
        rest.push(Span::styled(
            format!(" · {} available", crate::safe::terminal(&newer.version)),
            t.warning(),
        ));
    }
    (rest, Some(progress_words(l, c)))
}

/// The progress in words (with AWS's sheet's verdict where the line has room) and in short.
fn progress_words(l: &Loaded, c: &Checklist) -> (String, String) {
    let p = crate::assessment::progress::progress(&l.project, c);
    let (done, total, pct) = (
        p.overall.answered(),
        p.overall.applicable(),
        p.overall.percent(),
    );
    let off = match p.overall.scoped_out {
        0 => String::new(),
        n => format!(", {n} off by scoping"),
    };
    // AWS's sheet's verdict where the line has room for the progress in words.
    let sheet = crate::assessment::grade::predict(&l.project, c).map_or(String::new(), |g| {
        format!(" · AWS sheet {} pass, {} fail", g.pass, g.fail)
    });
    (
        format!("{done}/{total} answered ({pct}%){off}{sheet}"),
        format!("{done}/{total} ({pct}%)"),
    )
}

/// Fields changed two ways: said in full where there is room, else shorter; the progress
/// gives way to it on a narrow terminal.
fn conflict_marks(conflicts: usize) -> (String, String) {
    if conflicts == 0 {
        return (String::new(), String::new());
    }
    let plural = if conflicts == 1 { "" } else { "s" };
    (
        format!(" │ {conflicts} conflict{plural}: R to resolve"),
        format!(" │ {conflicts} conflict{plural} (R)"),
    )
}

/// What must always show: an unsaved change first, then the files that no longer match (in
/// words, or only counted where room is `short`).
fn alarms(
    t: &Theme,
    unsaved: bool,
    files: Option<&(String, String)>,
    short: bool,
) -> Vec<Span<'static>> {
    let mut v: Vec<Span> = Vec::new();
    if unsaved {
        v.push(Span::styled(" │ NOT SAVED", t.error()));
    }
    if let Some((long, brief)) = files {
        let words = if short { brief } else { long };
        v.push(Span::styled(format!(" │ ✗ {words}"), t.error()));
    }
    v
}

/// The steps of the wizard, the current one marked, with each domain's answered count.
fn steps_line(app: &App, compact: bool) -> Line<'static> {
    let t = &app.st.theme;
    let now = app.st.current_step();
    let mut s = vec![Span::raw(" ")];
    for (i, step) in app.st.steps().iter().enumerate() {
        if i > 0 {
            s.push(Span::styled(" · ", t.border()));
        }
        let mut label = if compact { step.short() } else { step.label() }.to_string();
        if let Step::Domain(d) = step
            && let Some((done, of)) = app.st.domain_done(*d)
        {
            label = format!("{label} {done}/{of}");
        }
        if let Step::Domain(d) = step
            && app.st.moved_to == Some(*d)
        {
            // The domain a move just went into, marked until the next key.
            label = format!("→ {label}");
        }
        let style = if Some(*step) == now {
            t.selected()
        } else {
            t.dim()
        };
        s.push(Span::styled(label, style));
    }
    Line::from(s)
}

fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.st.theme;
    if let Some(m) = &app.st.message {
        let style = match m.level {
            Level::Info => t.accent(),
            Level::Error => t.error(),
        };
        let lines: Vec<Line> = message_lines(app, area.width)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, style)))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let pairs: Vec<(String, String)> = if let Some(e) = &app.st.editor {
        editor_hints(e)
    } else if let Some(p) = app.st.popups.top() {
        popup_hints(p)
    } else if app.st.screen == Screen::Resolve {
        resolve::hints(&app.st)
    } else {
        app.hints()
            .into_iter()
            .map(|(k, h)| (k.to_string(), h.to_string()))
            .collect()
    };
    // Keep what fits; help and quit stay last whatever the width.
    let (tail, head): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| k == "?" || k == "q");
    let width = |p: &(String, String)| p.0.chars().count() + p.1.chars().count() + 4;
    let mut room = (area.width as usize).saturating_sub(1 + tail.iter().map(width).sum::<usize>());
    let mut shown: Vec<(String, String)> = Vec::new();
    for p in head {
        if width(&p) > room {
            break;
        }
        room -= width(&p);
        shown.push(p);
    }
    shown.extend(tail);
    let mut spans = vec![Span::raw(" ")];
    for (i, (k, h)) in shown.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.border()));
        }
        spans.push(Span::styled(k.clone(), t.key()));
        spans.push(Span::styled(format!(" {h}"), t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The most lines the footer gives a message; a longer one ends with the key that shows it.
const MESSAGE_LINES: usize = 3;

/// The message line, wrapped to `width` in at most [`MESSAGE_LINES`] lines (empty when there
/// is no message); a longer message ends with "… M shows all".
fn message_lines(app: &App, width: u16) -> Vec<String> {
    let Some(m) = &app.st.message else {
        return Vec::new();
    };
    // Escaped here, where it is printed: an error's text reaches the message raw.
    let text = crate::safe::terminal(&m.text);
    let room = (width as usize).saturating_sub(2).max(10);
    let mut lines = crate::util::wrap(
        &text,
        crate::util::Wrap {
            first: room,
            rest: room,
            cut_long: true,
            keep_spaces: false,
        },
    );
    if lines.len() > MESSAGE_LINES {
        lines.truncate(MESSAGE_LINES);
        let more = " … M shows all";
        let keep = room.saturating_sub(crate::util::width(more));
        let last = &mut lines[MESSAGE_LINES - 1];
        let cut = crate::tui::widgets::fit::clip_end(last, keep);
        *last = format!("{}{more}", cut.trim_end_matches('…'));
    }
    lines.into_iter().map(|l| format!(" {l}")).collect()
}

/// Pairs of a key and what it does, for the footer.
fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, h)| ((*k).to_string(), (*h).to_string()))
        .collect()
}

/// The footer's keys while a field editor is open.
fn editor_hints(e: &Editor) -> Vec<(String, String)> {
    match e.target {
        Target::Conflict { .. } => {
            let mut v = pairs(&[("Esc", "keep this text")]);
            if e.multiline {
                v.extend(pairs(&[("Enter", "new line")]));
            }
            v
        }
        Target::NewEvidence { .. } | Target::Template | Target::InstallChecklist => {
            let enter = match e.target {
                Target::Template => "choose",
                Target::InstallChecklist => "install",
                _ => "attach",
            };
            pairs(&[("Esc", "cancel"), ("Enter", enter), ("Tab", "complete")])
        }
        _ => {
            let mut v = pairs(&[("Esc", "save and leave")]);
            // Tab saves and goes on typing in the next field, where there is one; so does
            // Enter in a one-line field of an answer or the profile.
            let next = matches!(e.target, Target::Answer { .. } | Target::Profile(_));
            v.extend(pairs(match (e.multiline, next) {
                (true, true) => &[("Enter", "new line"), ("Tab", "save, next field")],
                (true, false) => &[("Enter", "new line")],
                (false, true) => &[("Enter/Tab", "save, next field")],
                (false, false) => &[("Enter", "save")],
            }));
            if matches!(
                e.target,
                Target::Answer {
                    field: Field::Response,
                    ..
                }
            ) {
                v.extend(pairs(&[("Ctrl-E", "$EDITOR")]));
            }
            v
        }
    }
}

/// The footer's keys while a popup is open.
fn popup_hints(popup: &Popup) -> Vec<(String, String)> {
    match popup {
        Popup::Conflict => pairs(&[
            ("Enter", "merge"),
            ("Ctrl-R", "drop mine"),
            ("Ctrl-O", "overwrite"),
        ]),
        Popup::Newer { .. } => pairs(&[
            ("Enter", "what changed"),
            ("m", "move now"),
            ("Esc", "later"),
        ]),
        Popup::Changes { can_move, .. } => {
            let mut v = pairs(&[("↓", "scroll")]);
            if *can_move {
                v.extend(pairs(&[("m", "move now")]));
            }
            v.extend(pairs(&[("Esc", "close")]));
            v
        }
        Popup::Migrate { .. } => pairs(&[("y", "move"), ("Esc", "cancel: nothing changes")]),
        Popup::Typed { .. } => pairs(&[("Enter", "put it in the field"), ("Esc", "drop it")]),
        Popup::Window => pairs(&[
            ("g", "go on"),
            ("i", "install"),
            ("w", "write a copy"),
            ("Esc", "close"),
        ]),
        _ => pairs(&[("Esc", "close")]),
    }
}

/// The open popups, from the bottom of the stack up, so the top one is drawn last.
fn render_popups(app: &mut App, frame: &mut Frame, area: Rect) {
    // What the help lists first: the keys of the screen behind it.
    let here = app.commands();
    for i in 0..app.st.popups.len() {
        render_popup(app, i, &here, frame, area);
    }
}

fn render_popup(app: &mut App, i: usize, here: &[Cmd], frame: &mut Frame, area: Rect) {
    let theme = app.st.theme;
    let t = &theme;
    let destination = app.destination().map(|d| d.name);
    let Some(popup) = app.st.popups.get_mut(i) else {
        return;
    };
    match popup {
        Popup::Search(s) => {
            let s = s.clone();
            search::render(&app.st, &s, frame, area);
        }
        Popup::Help { scroll } => render_help(t, frame, area, here, *scroll),
        Popup::Confirm { question, .. } => render_confirm(t, frame, area, question),
        Popup::Conflict => render_conflict(t, frame, area),
        Popup::Newer { plan } => changes::render_newer(t, frame, area, plan),
        Popup::Changes {
            diff,
            scroll,
            can_move,
        } => changes::render_changes(t, frame, area, diff, scroll, *can_move),
        Popup::Migrate {
            plan,
            backup,
            scroll,
        } => changes::render_migrate(t, frame, area, plan, backup, scroll),
        Popup::Window => window::render(&app.st, frame, area),
        Popup::Typed { text } => render_typed(t, frame, area, text, destination.as_deref()),
        Popup::Message { text, scroll } => render_message(t, frame, area, text, *scroll),
        Popup::Picker { picker, .. } => {
            let r = centered(area, 72, area.height.saturating_sub(4));
            picker.render(frame, r, &t.picker());
        }
        Popup::Reuse(reuse) => render_reuse(t, frame, area, reuse),
    }
}

/// The keys: those of the screen behind (`here`) first, then the others, then notes on text
/// fields, conflicts and the status marks.
fn render_help(t: &Theme, frame: &mut Frame, area: Rect, here: &[Cmd], scroll: u16) {
    let r = centered(area, 76, area.height.saturating_sub(4));
    frame.render_widget(Clear, r);
    let mut lines = vec![Line::from(Span::styled(
        "Every answer is saved as soon as you make it; leaving a text field saves it too.",
        t.dim(),
    ))];
    lines.push(Line::from(""));
    // The keys of the screen behind the help first, then the others; a long context
    // wraps inside its own column.
    let column = (r.width as usize).saturating_sub(2 + 27).max(10);
    let (first, rest): (Vec<_>, Vec<_>) = BINDINGS.iter().partition(|b| here.contains(&b.cmd));
    for (title, group) in [("On this screen", first), ("Everywhere", rest)] {
        if group.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(title, t.title())));
        for b in group {
            let wrapped = super::widgets::fit::wrap_words(b.context, column);
            for (i, part) in wrapped.into_iter().enumerate() {
                let (keys, hint) = if i == 0 { (b.shown, b.hint) } else { ("", "") };
                lines.push(Line::from(vec![
                    Span::styled(format!("{keys:<13}"), t.key()),
                    Span::styled(format!("{hint:<14}"), t.text()),
                    Span::styled(part, t.dim()),
                ]));
            }
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(""));
    lines.extend(help_notes(t));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::bordered()
                    .title(" Keys · ↑↓ scroll · Esc closes ")
                    .border_style(t.focus_border()),
            ),
        r,
    );
}

/// The help's closing notes: text fields, fields changed two ways, the status marks.
fn help_notes(t: &Theme) -> [Line<'static>; 3] {
    [
        Line::from(Span::styled(
            "In a text field: Esc saves and leaves, Tab saves and moves on; the mouse wheel scrolls.",
            t.dim(),
        )),
        Line::from(Span::styled(
            "Fields changed two ways (R, or Enter on the review's finding): ↑↓ choose one, o keeps ours, t keeps theirs, e edits our text into the one kept (texts only), PgUp/PgDn scroll the values, Esc goes back and leaves the rest for later. Each choice is saved at once.",
            t.dim(),
        )),
        Line::from(Span::styled(
            format!(
                "Status marks: {} met  {} not met  {} not applicable  {} unanswered  ! met, but an evidence file no longer backs it. After the ID: ✗ an evidence file changed, missing or unreadable  ? reworded, to review  ! a scan fails it  ° provisional",
                super::theme::status_mark(Status::Met),
                super::theme::status_mark(Status::NotMet),
                super::theme::status_mark(Status::NotApplicable),
                super::theme::status_mark(Status::Unanswered)
            ),
            t.dim(),
        )),
    ]
}

/// A yes-or-no question.
/// The last message, whole, scrollable.
fn render_message(t: &Theme, frame: &mut Frame, area: Rect, text: &str, scroll: u16) {
    let width = area.width.saturating_sub(8).min(90);
    let inner = width.saturating_sub(2) as usize;
    let lines = crate::tui::widgets::fit::wrapped(
        Vec::new(),
        &crate::safe::terminal(text),
        t.text(),
        0,
        inner,
    );
    let r = centered(area, width, (lines.len() as u16 + 2).min(area.height));
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(
            Block::bordered()
                .title(" Message · ↑↓ scroll · Esc closes ")
                .border_style(t.focus_border()),
        ),
        r,
    );
}

/// What was typed while no field was open, held: where Enter puts it, and that nothing ran.
fn render_typed(t: &Theme, frame: &mut Frame, area: Rect, text: &str, to: Option<&str>) {
    let width = area.width.saturating_sub(8).min(72);
    let inner = width.saturating_sub(2) as usize;
    let mut lines = crate::tui::widgets::fit::wrapped(
        vec![Span::raw("")],
        "These keys came as typing while no field was open, so none of them ran as a command and nothing changed:",
        t.text(),
        0,
        inner,
    );
    lines.push(Line::from(""));
    lines.extend(crate::tui::widgets::fit::wrapped(
        vec![Span::styled("  ", t.dim())],
        &crate::safe::terminal(text),
        t.accent(),
        2,
        inner,
    ));
    lines.push(Line::from(""));
    let enter = match to {
        Some(name) => format!(
            "put it into {} (typing goes on here first)",
            crate::safe::terminal(name)
        ),
        None => "drop it: nothing on this screen takes text".to_string(),
    };
    for (key, what) in [("Enter", enter.as_str()), ("Esc", "drop it")] {
        lines.extend(crate::tui::widgets::fit::wrapped(
            vec![Span::styled(format!("{key:<7}"), t.key())],
            what,
            t.text(),
            7,
            inner,
        ));
    }
    let r = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Typed, not run ")
                .border_style(t.focus_border()),
        ),
        r,
    );
}

fn render_confirm(t: &Theme, frame: &mut Frame, area: Rect, question: &str) {
    let r = centered(area, 64, 7);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(vec![
            // It may name a file: escaped, as all file text on the terminal.
            Line::from(crate::safe::terminal(question).into_owned()),
            Line::from(""),
            Line::from(vec![
                Span::styled("y", t.key()),
                Span::raw(" yes   "),
                Span::styled("n", t.key()),
                Span::raw(" no"),
            ]),
        ])
        .wrap(Wrap { trim: true })
        .block(
            Block::bordered()
                .title(" Confirm ")
                .border_style(t.focus_border()),
        ),
        r,
    );
}

/// The project file changed on disk and cannot be read: merge, reload or overwrite.
fn render_conflict(t: &Theme, frame: &mut Frame, area: Rect) {
    let r = centered(area, 70, 11);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from("The project file changed on disk since ftr read it, and it cannot be read as a project now, so it cannot be merged (the line below says why). Nothing was overwritten."),
            Line::from(""),
            Line::from(vec![Span::styled("Enter ", t.key()), Span::raw("  merge: read it again and apply my unsaved changes on top")]),
            Line::from(vec![Span::styled("Ctrl-R", t.key()), Span::raw("  reload it and drop my unsaved changes")]),
            Line::from(vec![Span::styled("Ctrl-O", t.key()), Span::raw("  overwrite it with what is on my screen")]),
        ])
        .wrap(Wrap { trim: true })
        .block(Block::bordered().title(" File changed on disk ").border_style(t.error())),
        r,
    );
}

/// Files already attached elsewhere, to attach to a control too: by path, narrowed by what
/// was typed (shown in the bottom border with how many match).
fn render_reuse(t: &Theme, frame: &mut Frame, area: Rect, reuse: &Reuse) {
    let total = reuse.files().len();
    let r = centered(
        area,
        72,
        (total as u16)
            .saturating_add(4)
            .min(area.height.saturating_sub(4)),
    );
    frame.render_widget(Clear, r);
    let control = crate::safe::terminal(&reuse.control);
    let shown = reuse.shown();
    let mut items: Vec<ListItem> = shown
        .iter()
        .map(|f| {
            let users: Vec<String> = f
                .used_by
                .iter()
                .map(|id| {
                    if *id == reuse.control {
                        format!("{id} (records anew)")
                    } else {
                        id.clone()
                    }
                })
                .collect();
            ListItem::new(Line::from(vec![
                Span::raw(clip(&crate::safe::terminal(&f.path), 44)),
                Span::styled(format!("  used by {}", users.join(", ")), t.dim()),
            ]))
        })
        .collect();
    if shown.is_empty() {
        items.push(ListItem::new(Span::styled(
            "(no path holds what was typed)",
            t.dim(),
        )));
    }
    let bottom = if reuse.filter.is_empty() {
        Line::styled(" type to filter by path ", t.dim())
    } else {
        Line::styled(
            format!(
                " {} · Bksp erases · Esc clears ",
                filter::shown(&reuse.filter, shown.len(), total)
            ),
            t.accent(),
        )
    };
    let list = List::new(items)
        .block(
            Block::bordered()
                .title(format!(
                    " Reuse a file as evidence for {control} · Enter attach · Esc cancel "
                ))
                .title_bottom(bottom)
                .border_style(t.focus_border()),
        )
        .highlight_style(t.selected());
    let selected = (!shown.is_empty()).then_some(reuse.selected);
    let mut state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, r, &mut state);
}

/// Cuts text to `width` cells, ending with "…" when cut.
pub use super::widgets::fit::clip_end as clip;

/// "2 files changed", "1 file missing", "3 file problems" and, where room is short, "2 files":
/// the evidence and upload files (each once, however many controls cite it) the readiness
/// check finds changed since attached, missing or unreadable, for the header.
fn broken_files(app: &App) -> Option<(String, String)> {
    use crate::assessment::readiness::Code;
    let report = app.st.report.as_ref()?;
    let mut files: Vec<(&str, Code)> = report
        .findings
        .iter()
        .filter(|f| f.code.is_file_error())
        .map(|f| (f.file.as_deref().unwrap_or_default(), f.code))
        .collect();
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    let n = files.len();
    if n == 0 {
        return None;
    }
    let plural = if n == 1 { "" } else { "s" };
    let short = format!("{n} file{plural}");
    let long = if files.iter().all(|(_, c)| *c == Code::EvidenceChanged) {
        format!("{short} changed")
    } else if files.iter().all(|(_, c)| *c == Code::EvidenceMissing) {
        format!("{short} missing")
    } else {
        format!("{n} file problem{plural}")
    };
    Some((long, short))
}
