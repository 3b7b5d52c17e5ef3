//! The popups of a newer version of the project's checklist, drawn: the question asked when
//! the project opens, what changed (`ftr checklists diff`), and the move's preview (`ftr
//! migrate`). Text from checklist files reaches the terminal escaped. What they hold and do is
//! in `state::changes`; their keys are the app's.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::assessment::migrate::{self, Plan};
use crate::content::diff::{
    self, Change, ControlRef, Diff, Reworded, RowChange, ScopingChange, ValueLabel,
};
use crate::safe::terminal;
use crate::tui::keymap::Cmd;
use crate::tui::theme::Theme;
use crate::tui::widgets::fit::wrapped;

/// A popup's scroll after `cmd` (clamped to the text when drawn).
pub fn scrolled(scroll: u16, cmd: Cmd) -> u16 {
    match cmd {
        Cmd::Down => scroll.saturating_add(1),
        Cmd::Up => scroll.saturating_sub(1),
        Cmd::PageDown => scroll.saturating_add(10),
        Cmd::PageUp => scroll.saturating_sub(10),
        Cmd::Home => 0,
        Cmd::End => u16::MAX,
        _ => scroll,
    }
}

/// `n thing` or `n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The diff's size in one line: "1 added, 1 removed, 1 reworded, …".
fn summary(d: &Diff) -> String {
    let parts: Vec<String> = [
        (d.added.len(), "added", "added"),
        (d.removed.len(), "removed", "removed"),
        (d.reworded.len(), "reworded", "reworded"),
        (d.rows.len(), "workbook row", "workbook rows"),
        (d.moved.len(), "moved", "moved"),
        (d.also.len(), "second domain", "second domains"),
        (d.cadences.len(), "cadence", "cadences"),
        (
            d.evidence.len(),
            "evidence expectation",
            "evidence expectations",
        ),
        (d.values.len(), "required value", "required values"),
        (d.value_labels.len(), "value label", "value labels"),
        (d.scoping.len(), "scoping question", "scoping questions"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| count(n, one, many))
    .collect();
    if parts.is_empty() {
        "no control, scoping question, cadence or required value".into()
    } else {
        parts.join(", ")
    }
}

/// What changed, as `ftr checklists diff` says it, styled and wrapped to `width`.
pub fn diff_lines(d: &Diff, t: &Theme, width: usize) -> Vec<Line<'static>> {
    if d.is_empty() {
        return vec![Line::from(Span::styled(
            "No control, scoping question, cadence or required value changed.",
            t.dim(),
        ))];
    }
    let mut out = DiffLines {
        t,
        width,
        out: Vec::new(),
    };
    out.refs("Added", "new controls to answer", &d.added);
    out.refs(
        "Removed",
        "answers stay in the file, not submitted",
        &d.removed,
    );
    out.reworded(&d.reworded);
    out.rows(&d.rows);
    out.changes("Moved", &d.moved);
    out.changes("Second domain changed", &d.also);
    out.changes("Cadence changed", &d.cadences);
    out.changes("Evidence changed", &d.evidence);
    out.changes("Required values changed", &d.values);
    out.labels(&d.value_labels);
    out.scoping(&d.scoping);
    out.out
}

/// The lines of a diff as they are written, a section at a time, wrapped to `width`.
struct DiffLines<'t> {
    t: &'t Theme,
    width: usize,
    out: Vec<Line<'static>>,
}

impl DiffLines<'_> {
    /// A control's (or question's) id, in its column.
    fn id(&self, id: &str) -> Span<'static> {
        Span::styled(format!("  {:<11} ", terminal(id)), self.t.accent())
    }

    /// A section's heading, after a blank line unless it is the first, with its note.
    fn head(&mut self, text: String, note: &str) {
        if !self.out.is_empty() {
            self.out.push(Line::from(""));
        }
        let mut spans = vec![Span::styled(text, self.t.title())];
        if !note.is_empty() {
            spans.push(Span::styled(format!(": {note}"), self.t.dim()));
        }
        self.out.push(Line::from(spans));
    }

    /// An id and the text beside it, wrapped under the text's column.
    fn row(&mut self, id: &str, text: &str) {
        let lines = wrapped(vec![self.id(id)], text, self.t.text(), 14, self.width);
        self.out.extend(lines);
    }

    /// Controls added or removed: their ids and titles.
    fn refs(&mut self, title: &str, note: &str, items: &[ControlRef]) {
        if items.is_empty() {
            return;
        }
        self.head(format!("{title} ({})", items.len()), note);
        for c in items {
            self.row(&c.id, &terminal(&c.title));
        }
    }

    /// Controls reworded: their ids and titles, the title before → after where it changed,
    /// and the question before and after where it changed.
    fn reworded(&mut self, items: &[Reworded]) {
        if items.is_empty() {
            return;
        }
        self.head(format!("Reworded ({})", items.len()), diff::REWORDED_NOTE);
        for r in items {
            self.row(&r.id, &terminal(&r.title));
            if r.title_changed() {
                let text = format!("{} → {}", terminal(&r.title_before), terminal(&r.title));
                let head = vec![Span::styled("    title:  ", self.t.dim())];
                let lines = wrapped(head, &text, self.t.text(), 12, self.width);
                self.out.extend(lines);
            }
            if r.question_changed() {
                self.before_after(&r.before, &r.after);
            }
        }
    }

    /// Workbook rows added, removed or changed: the control, the kind and the row, then the
    /// row's question and choices before and after.
    fn rows(&mut self, items: &[RowChange]) {
        if items.is_empty() {
            return;
        }
        self.head(format!("Workbook rows ({})", items.len()), diff::ROWS_NOTE);
        for r in items {
            self.out.push(Line::from(vec![
                self.id(&r.id),
                Span::styled(format!("{} ", r.kind), self.t.dim()),
                Span::styled(terminal(&r.row).into_owned(), self.t.text()),
            ]));
            self.before_after(&r.before, &r.after);
        }
    }

    /// Labels of required values: the control, then `key: before → after`.
    fn labels(&mut self, items: &[ValueLabel]) {
        if items.is_empty() {
            return;
        }
        self.head(format!("Value labels changed ({})", items.len()), "");
        for v in items {
            let text = format!(
                "{}: {} → {}",
                terminal(&v.key),
                terminal(&v.before),
                terminal(&v.after)
            );
            self.row(&v.id, &text);
        }
    }

    /// Moves, second domains, cadences, evidence and required values: the id, then before →
    /// after.
    fn changes(&mut self, title: &str, items: &[Change]) {
        if items.is_empty() {
            return;
        }
        self.head(format!("{title} ({})", items.len()), "");
        for c in items {
            let text = format!("{} → {}", terminal(&c.before), terminal(&c.after));
            self.row(&c.id, &text);
        }
    }

    /// Scoping questions added, removed or changed: the kind and id, before and after.
    fn scoping(&mut self, items: &[ScopingChange]) {
        if items.is_empty() {
            return;
        }
        self.head(format!("Scoping questions ({})", items.len()), "");
        for s in items {
            self.out.push(Line::from(vec![
                Span::styled(format!("  {} ", s.kind), self.t.dim()),
                Span::styled(terminal(&s.id).into_owned(), self.t.accent()),
            ]));
            self.before_after(&s.before, &s.after);
        }
    }

    /// A text before and after a change, each left out when empty.
    fn before_after(&mut self, before: &str, after: &str) {
        let t = self.t;
        if !before.is_empty() {
            self.out.extend(wrapped(
                vec![Span::styled("    before: ", t.dim())],
                &terminal(before),
                t.dim(),
                12,
                self.width,
            ));
        }
        if !after.is_empty() {
            self.out.extend(wrapped(
                vec![Span::styled("    after:  ", t.accent())],
                &terminal(after),
                t.text(),
                12,
                self.width,
            ));
        }
    }
}

/// Draws `lines` in a bordered box over `area`, scrolled (the scroll is clamped to the text
/// and written back).
fn scrolled_box(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: &mut u16,
    block: Block<'static>,
) {
    let inner_h = area.height.saturating_sub(2) as usize;
    let most = lines.len().saturating_sub(inner_h);
    *scroll = (*scroll).min(most.min(u16::MAX as usize) as u16);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).scroll((*scroll, 0)).block(block),
        area,
    );
}

/// Where a popup of at most `width` x `height` goes: centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The question asked when the project opens on an older version than one installed.
pub fn render_newer(t: &Theme, frame: &mut Frame, area: Rect, plan: &Plan) {
    let width = area.width.saturating_sub(8).min(76);
    let inner = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    lines.extend(wrapped(
        vec![
            Span::styled(terminal(&plan.to).into_owned(), t.accent()),
            Span::raw(" "),
        ],
        &format!(
            "is installed and released; this project answers {}.",
            terminal(&plan.from)
        ),
        t.text(),
        0,
        inner,
    ));
    lines.push(Line::from(""));
    lines.extend(wrapped(
        vec![Span::styled("What changed: ", t.dim())],
        &format!("{}.", summary(&plan.diff)),
        t.text(),
        0,
        inner,
    ));
    let mut answers = format!("{} carried as they are", plan.carried.len());
    if !plan.review.is_empty() {
        answers.push_str(&format!(", {} to review", plan.review.len()));
    }
    if !plan.kept_out.is_empty() {
        answers.push_str(&format!(
            ", {} kept in the file but not submitted (control removed)",
            plan.kept_out.len()
        ));
    }
    if !plan.new.is_empty() {
        answers.push_str(&format!(
            "; {} to answer",
            count(plan.new.len(), "new control", "new controls")
        ));
    }
    answers.push('.');
    lines.extend(wrapped(
        vec![Span::styled("Your answers: ", t.dim())],
        &answers,
        t.text(),
        0,
        inner,
    ));
    lines.push(Line::from(""));
    for (key, text) in [
        ("Enter", "see what changed"),
        (
            "m",
            "move now: a preview first, nothing changes until you confirm",
        ),
        (
            "Esc",
            "later: the header keeps a reminder, c shows what changed",
        ),
    ] {
        lines.extend(wrapped(
            vec![Span::styled(format!("{key:<7}"), t.key())],
            text,
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
                .title(" A newer checklist is installed ")
                .border_style(t.focus_border()),
        ),
        r,
    );
}

/// What changed between two versions, scrollable.
pub fn render_changes(
    t: &Theme,
    frame: &mut Frame,
    area: Rect,
    d: &Diff,
    scroll: &mut u16,
    can_move: bool,
) {
    // Over the screen's body: the header (with its reminder) and the footer stay in view.
    let body = Rect::new(
        area.x,
        area.y + 2,
        area.width,
        area.height.saturating_sub(3),
    );
    let r = centered(body, body.width.min(120), body.height);
    let lines = diff_lines(d, t, r.width.saturating_sub(2) as usize);
    let keys = if can_move {
        " ↑↓ scroll · m move now · Esc close "
    } else {
        " ↑↓ scroll · Esc close "
    };
    let block = Block::bordered()
        .title(format!(
            " What changed: {} → {} ",
            terminal(&d.from),
            terminal(&d.to)
        ))
        .title_bottom(Line::from(Span::styled(keys, t.dim())))
        .border_style(t.focus_border());
    scrolled_box(frame, r, lines, scroll, block);
}

/// The move's preview (`ftr migrate`'s words) and the question.
pub fn render_migrate(
    t: &Theme,
    frame: &mut Frame,
    area: Rect,
    plan: &Plan,
    backup: &str,
    scroll: &mut u16,
) {
    let width = area.width.saturating_sub(4).min(100);
    let inner = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (i, l) in migrate::text(plan).lines().enumerate() {
        let l = terminal(l).into_owned();
        if i == 0 {
            lines.extend(wrapped(Vec::new(), &l, t.title(), 0, inner));
            continue;
        }
        // "  carried as they are (2): A, B": the label dim, the ids plain.
        let (label, ids) = l.split_once(": ").unwrap_or((&l, ""));
        lines.extend(wrapped(
            vec![Span::styled(format!("{label}: "), t.dim())],
            ids,
            t.text(),
            4,
            inner,
        ));
    }
    lines.push(Line::from(""));
    lines.extend(wrapped(
        vec![Span::styled(
            "The file as it is now is kept beside it as ",
            t.dim(),
        )],
        &terminal(backup),
        t.accent(),
        0,
        inner,
    ));
    lines.extend(wrapped(
        Vec::new(),
        "Answers to review are marked ? in the lists; v confirms one once you have read it again.",
        t.dim(),
        0,
        inner,
    ));
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("y", t.key()),
        Span::raw(" move   "),
        Span::styled("Esc", t.key()),
        Span::raw(" cancel: nothing changes"),
    ]));
    let r = centered(area, width, lines.len() as u16 + 2);
    let block = Block::bordered()
        .title(format!(" Move to {}? ", terminal(&plan.to)))
        .border_style(t.focus_border());
    scrolled_box(frame, r, lines, scroll, block);
}
