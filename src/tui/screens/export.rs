//! The export step: shows its choices (the bundle's names, AWS's workbook to fill or ftr's own
//! sheet, a draft, keeping flagged files) and builds the submission bundle and the upload
//! folder in the background with a progress bar by bytes; Esc cancels and leaves nothing
//! behind. A draft goes to names of its own, so it never replaces the final bundle, and the
//! choices are off again after a build. When done, it says which file goes into which slot of
//! the upload form; a refusal says which keys get past it.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph, Wrap};

use super::{Action, Reply};
use crate::assessment::evidence::human_size;
use crate::error::{Error, Refusal};
use crate::export::{self, Options, Progress};
use crate::safe::terminal;
use crate::tui::keymap::Cmd;
use crate::tui::state::State;
use crate::tui::state::editor::Target;
use crate::tui::state::popup::Pick;

/// The export step's state: the build (idle, running, done or failed) and the options chosen
/// for the next build (both off again once a build is done).
#[derive(Default)]
pub struct ExportView {
    pub state: ExportState,
    /// Build a draft although the review has errors.
    pub allow_incomplete: bool,
    /// Keep files flagged as possible secrets (after checking them).
    pub allow_secrets: bool,
}

/// How far the reasons of a failed export (the errors of a refusal, the files that look like
/// secrets) are scrolled, and how much of them the last frame drew.
#[derive(Debug, Default)]
pub struct Reasons {
    /// The first row shown below the heading.
    pub top: usize,
    /// The rows below the heading and how many fit, as last drawn.
    fit: Cell<(usize, usize)>,
}

impl Reasons {
    /// Moves by `cmd` (up, down, a page, to either end); false for any other command.
    fn scroll(&mut self, cmd: Cmd) -> bool {
        let (total, fit) = self.fit.get();
        let last = total.saturating_sub(fit);
        let page = fit.saturating_sub(2).max(1);
        self.top = match cmd {
            Cmd::Down => self.top + 1,
            Cmd::Up => self.top.saturating_sub(1),
            Cmd::PageDown => self.top + page,
            Cmd::PageUp => self.top.saturating_sub(page),
            Cmd::Home => 0,
            Cmd::End => last,
            _ => return false,
        }
        .min(last);
        true
    }
}

/// The export step: idle, building in the background, or finished.
#[derive(Default)]
pub enum ExportState {
    #[default]
    Idle,
    Running {
        progress: crate::export::Progress,
        cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
        rx: std::sync::mpsc::Receiver<ExportMsg>,
    },
    Done(Box<crate::export::Done>),
    Failed {
        /// The error's lines, raw (see `Error::lines`; a refusal's without the command line's
        /// help, which the screen says in keys).
        lines: Vec<String>,
        /// Why the export refused (not an error of the machine): a key may get it through.
        refused: Option<Refusal>,
        /// How far the reasons are scrolled.
        reasons: Reasons,
    },
}

pub enum ExportMsg {
    Progress(crate::export::Progress),
    Finished(Result<Box<crate::export::Done>, Error>),
}

impl ExportView {
    /// The keys the footer shows here, and help lists first.
    pub fn commands(&self) -> Vec<Cmd> {
        if self.exporting() {
            return vec![Cmd::Back];
        }
        vec![
            Cmd::Open,
            Cmd::AllowIncomplete,
            Cmd::AllowSecrets,
            Cmd::Browse,
            Cmd::AddPath,
            Cmd::PrevStep,
            Cmd::Help,
            Cmd::Quit,
        ]
    }

    /// The footer's word for `cmd` here, where its binding's word would mislead: Enter
    /// builds the bundle and `f` types the workbook's path.
    pub fn label(cmd: Cmd) -> Option<&'static str> {
        match cmd {
            Cmd::Open => Some("build"),
            Cmd::AddPath => Some("workbook path"),
            _ => None,
        }
    }

    pub fn key(&mut self, st: &mut State, cmd: Cmd) -> Reply {
        let running = matches!(self.state, ExportState::Running { .. });
        match cmd {
            Cmd::Back if running => {
                if let ExportState::Running { cancel, .. } = &self.state {
                    cancel.store(true, Ordering::Relaxed);
                }
            }
            Cmd::Quit | Cmd::Help => return Reply::Ignored,
            _ if running => {}
            Cmd::Open => self.start(st),
            Cmd::AllowIncomplete => self.allow_incomplete = !self.allow_incomplete,
            Cmd::AllowSecrets => self.allow_secrets = !self.allow_secrets,
            // AWS's workbook to fill, as `ftr set template` remembers it: its path typed, or
            // chosen in the file browser.
            Cmd::AddPath => return Reply::Do(Action::Edit(Target::Template)),
            Cmd::Browse => st.browse_for(Pick::Template),
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Home | Cmd::End => {
                match &mut self.state {
                    ExportState::Failed { reasons, .. } => reasons.scroll(cmd),
                    _ => false,
                };
            }
            _ => return Reply::Ignored,
        }
        Reply::Handled
    }

    /// Where the bundle goes: beside the project file.
    pub fn path(st: &State) -> Option<std::path::PathBuf> {
        st.project
            .as_ref()
            .map(|l| l.dir().join(export::DEFAULT_NAME))
    }

    /// Whether Enter builds a draft: allowed, and the review has errors.
    pub fn builds_draft(&self, st: &State) -> bool {
        self.allow_incomplete && st.report.as_ref().is_some_and(|r| !r.ready)
    }

    /// Starts building the bundle on a worker thread.
    pub fn start(&mut self, st: &mut State) {
        if st.unsaved {
            st.error(
                "Some changes are not saved yet; save them (make any change) before exporting.",
            );
            return;
        }
        let (Some(loaded), Some(out)) = (st.project.clone(), ExportView::path(st)) else {
            return;
        };
        let library = st.library.clone();
        let now = st.clock.now();
        let mut opts = Options::new(out);
        opts.source_date_epoch = st.clock.source_date_epoch;
        opts.allow_incomplete = self.allow_incomplete;
        opts.allow_secrets = self.allow_secrets;
        // A draft never replaces the final bundle, nor the final bundle a draft.
        opts.draft_apart = true;
        // The day the review judges on, so the export counts what the review counts.
        opts.today = Some(st.today);
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&cancel);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let progress_tx = tx.clone();
            let result = export::export(&loaded, &library, now, &opts, &mut |p| {
                let _ = progress_tx.send(ExportMsg::Progress(p));
                !stop.load(Ordering::Relaxed)
            });
            let _ = tx.send(ExportMsg::Finished(result.map(Box::new)));
        });
        self.state = ExportState::Running {
            progress: Progress { done: 0, total: 0 },
            cancel,
            rx,
        };
    }

    /// Takes in what the export thread reported; called on every pass of the event loop.
    pub fn pump(&mut self) {
        let ExportState::Running { progress, rx, .. } = &mut self.state else {
            return;
        };
        let mut finished = None;
        loop {
            match rx.try_recv() {
                Ok(ExportMsg::Progress(p)) => *progress = p,
                Ok(ExportMsg::Finished(r)) => finished = Some(r),
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    if finished.is_none() {
                        finished = Some(Err(Error::Unavailable(
                            "the export stopped unexpectedly; nothing was written".into(),
                        )));
                    }
                    break;
                }
            }
        }
        if let Some(result) = finished {
            self.state = match result {
                Ok(done) => {
                    // Each build is chosen afresh: a draft allowed once is not allowed again
                    // without saying so.
                    self.allow_incomplete = false;
                    self.allow_secrets = false;
                    ExportState::Done(done)
                }
                Err(Error::Cancelled) => ExportState::Failed {
                    lines: vec!["Cancelled; nothing was written.".into()],
                    refused: None,
                    reasons: Reasons::default(),
                },
                Err(e) => match e.refusal() {
                    Some((why, lines)) => ExportState::Failed {
                        lines,
                        refused: Some(why),
                        reasons: Reasons::default(),
                    },
                    None => ExportState::Failed {
                        lines: e.lines(),
                        refused: None,
                        reasons: Reasons::default(),
                    },
                },
            };
        }
    }

    /// True while the export thread works.
    pub fn exporting(&self) -> bool {
        matches!(self.state, ExportState::Running { .. })
    }

    /// Cancels a running export and waits for it to clean up (it checks after every MiB).
    pub fn stop(&mut self) {
        if let ExportState::Running { cancel, .. } = &self.state {
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        while let ExportState::Running { rx, .. } = &self.state {
            match rx.recv_timeout(std::time::Duration::from_secs(10)) {
                Ok(ExportMsg::Finished(_)) | Err(_) => self.state = ExportState::Idle,
                Ok(ExportMsg::Progress(_)) => {}
            }
        }
    }
}

pub fn render(v: &ExportView, st: &State, frame: &mut Frame, area: Rect) {
    let t = &st.theme;
    let block = Block::bordered()
        .title(" Export: the submission bundle ")
        .border_style(t.focus_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [head, gauge, body] = Layout::vertical([
        Constraint::Length(10),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(head_lines(v, st)).wrap(Wrap { trim: true }),
        head,
    );
    match &v.state {
        ExportState::Idle => {}
        ExportState::Running { progress, .. } => {
            render_running(st, frame, gauge, body, progress);
        }
        ExportState::Done(d) => render_done(st, frame, gauge, body, d),
        ExportState::Failed {
            lines,
            refused,
            reasons,
        } => {
            // The gauge's row is free: the reasons get it too.
            let area = Rect {
                y: gauge.y,
                height: gauge.height + body.height,
                ..body
            };
            render_failed(st, frame, area, lines, *refused, reasons);
        }
    }
}

/// The names a draft is written under: the bundle's and the upload folder's.
fn draft_names() -> (String, String) {
    let (zip, dir) = Options::new(export::DEFAULT_NAME.into()).draft_names();
    (zip.display().to_string(), dir)
}

/// What the export will write, with which workbook, whether the review lets it, the options
/// (each plainly on or off), and what Enter does.
fn head_lines(v: &ExportView, st: &State) -> Vec<Line<'static>> {
    let t = &st.theme;
    // A draft is for the team's own reading: nothing here tells them to submit it.
    let draft = v.builds_draft(st);
    let (draft_zip, draft_dir) = draft_names();
    let upload = export::upload::DEFAULT_DIR;
    let (bundle, what_enter_does) = if draft {
        (
            format!(
                "a draft, {draft_zip} and {draft_dir}/, for your own review; the final {} \
                 stays as it is",
                export::DEFAULT_NAME
            ),
            "Enter builds the draft beside the project file.",
        )
    } else {
        (
            format!(
                "{}, and {upload}/ with the files to upload",
                export::DEFAULT_NAME
            ),
            "Enter builds them beside the project file.",
        )
    };
    let option = |on: bool, name: &str, key: &str, what: &str| {
        let (mark, state, style) = if on {
            ("[x]", "ON", t.warning())
        } else {
            ("[ ]", "OFF", t.dim())
        };
        Line::from(vec![
            Span::styled(format!("{mark} {:<12}", format!("{name} {state}")), style),
            Span::styled(format!("{key}  "), t.accent()),
            Span::raw(what.to_string()),
        ])
    };
    vec![
        Line::from(vec![Span::styled("Bundle: ", t.dim()), Span::raw(bundle)]),
        template_line(st),
        Line::from(readiness(st)),
        Line::from(""),
        option(
            v.allow_incomplete,
            "draft",
            "i",
            "build a draft even with errors (the summary says DRAFT)",
        ),
        option(
            v.allow_secrets,
            "secrets",
            "s",
            "keep files flagged as possible secrets (after checking)",
        ),
        Line::from(""),
        Line::from(Span::styled(what_enter_does, t.dim())),
    ]
}

/// The workbook the FTR Checklist slot gets: AWS's, filled from the file chosen, or none (ftr
/// writes its own sheet), with the keys that choose it.
fn template_line(st: &State) -> Line<'static> {
    let t = &st.theme;
    let template = st
        .proj()
        .map(|p| p.profile.template.clone())
        .unwrap_or_default();
    let (chosen, keys) = if template.is_empty() {
        (
            "none, ftr's own sheet".to_string(),
            " · b browses for AWS's workbook, f types a path",
        )
    } else {
        (
            format!("AWS's workbook {}", terminal(&template)),
            " · b or f chooses another (f, empty: none)",
        )
    };
    Line::from(vec![
        Span::styled("Template: ", t.dim()),
        Span::styled(chosen, t.accent()),
        Span::styled(keys, t.dim()),
    ])
}

/// The review's report, in the review's words: the export counts the same findings.
fn readiness(st: &State) -> Span<'static> {
    let t = &st.theme;
    match &st.report {
        Some(r) if r.ready => Span::styled(
            format!(
                "Ready to export · {} warning(s), as in the review; they go into the summary.",
                r.warnings
            ),
            t.ok(),
        ),
        Some(r) => Span::styled(
            format!(
                "Not ready: {} error(s), {} warning(s), as in the review; the export refuses \
                 unless you allow a draft.",
                r.errors, r.warnings
            ),
            t.error(),
        ),
        None => Span::raw(""),
    }
}

/// A build under way: how much is written, and how to cancel.
fn render_running(st: &State, frame: &mut Frame, gauge: Rect, body: Rect, progress: &Progress) {
    let t = &st.theme;
    let ratio = if progress.total == 0 {
        0.0
    } else {
        (progress.done as f64 / progress.total as f64).clamp(0.0, 1.0)
    };
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(format!(
                "{} of {}",
                human_size(progress.done),
                human_size(progress.total)
            ))
            .gauge_style(t.ok())
            .use_unicode(true),
        gauge,
    );
    frame.render_widget(
        Paragraph::new("Building… Esc cancels, and nothing is left behind.").style(t.dim()),
        body,
    );
}

/// A finished build: what was written, what came from outside or was left out or not scanned,
/// and which file goes into which slot of the upload form.
fn render_done(st: &State, frame: &mut Frame, gauge: Rect, body: Rect, d: &export::Done) {
    let t = &st.theme;
    frame.render_widget(
        Gauge::default()
            .ratio(1.0)
            .label("done")
            .gauge_style(t.ok()),
        gauge,
    );
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "Wrote {} ({}, {} entries, {} evidence file{}){}",
            terminal(&st.shown_path(&d.path)),
            human_size(d.bytes),
            d.entries,
            d.evidence_files,
            if d.evidence_files == 1 { "" } else { "s" },
            if d.draft { ", marked as a DRAFT" } else { "" }
        ),
        if d.draft { t.warning() } else { t.ok() },
    ))];
    if let Some(line) = d.replaced_line(&|p| st.shown_path(p)) {
        lines.push(Line::from(Span::styled(line, t.warning())));
    }
    if !d.outside.is_empty() {
        lines.push(Line::from(format!(
            "Sent from outside the project folder: {}",
            terminal(&d.outside.join(", "))
        )));
    }
    if !d.left_out.is_empty() {
        lines.push(Line::from(format!(
            "Left out of the draft: {}",
            terminal(&d.left_out.join(", "))
        )));
    }
    if !d.unscanned.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "Not scanned for secrets (check these yourself): {}",
                terminal(&d.unscanned.join("; "))
            ),
            t.warning(),
        )));
    }
    for (i, line) in d
        .slot_lines_with(&|p| st.shown_path(p))
        .into_iter()
        .enumerate()
    {
        lines.push(if i == 0 {
            Line::from(Span::styled(line, t.dim()))
        } else {
            Line::from(line)
        });
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), body);
}

/// A failed export: the message's first line stays at the top; the reasons below it (one per
/// `- ` line), and what to do, scroll, ending with "… N more" when they do not fit.
fn render_failed(
    st: &State,
    frame: &mut Frame,
    area: Rect,
    lines: &[String],
    refused: Option<Refusal>,
    reasons: &Reasons,
) {
    let t = &st.theme;
    let width = area.width as usize;
    // The error's lines are raw: each is escaped here, as one line.
    let mut lines = lines.iter().map(|l| terminal(l));
    // The keys that get past it, then what happened: both in sight above the reasons.
    let mut heading: Vec<Line> = refused
        .map(|why| wrap(&past(why), width, 0))
        .unwrap_or_default()
        .into_iter()
        .map(|row| Line::from(Span::styled(row, t.accent())))
        .collect();
    heading.extend(
        wrap(lines.next().unwrap_or_default().trim(), width, 0)
            .into_iter()
            .map(|h| Line::from(Span::styled(h, t.error()))),
    );
    // Each row with the reason it belongs to, if it belongs to one.
    let mut rows: Vec<(Line, Option<usize>)> = Vec::new();
    let mut count = 0;
    for line in lines {
        let line = line.trim();
        let (reason, hang) = if line.starts_with("- ") {
            count += 1;
            (Some(count - 1), 2)
        } else {
            (None, 0)
        };
        for row in wrap(line, width, hang) {
            rows.push((Line::from(Span::styled(row, t.error())), reason));
        }
    }
    let fit = (area.height as usize).saturating_sub(heading.len());
    reasons.fit.set((rows.len(), fit));
    let top = reasons.top.min(rows.len().saturating_sub(fit));
    let mut shown = heading;
    if rows.len() - top <= fit {
        shown.extend(rows.into_iter().skip(top).map(|(l, _)| l));
    } else {
        let end = top + fit.saturating_sub(1);
        // The reasons not shown in full: from the one cut at the last row on.
        let mut more = 0;
        let mut prev = None;
        for (_, reason) in &rows[end..] {
            if reason.is_some() && *reason != prev {
                more += 1;
            }
            prev = *reason;
        }
        shown.extend(rows.drain(top..end).map(|(l, _)| l));
        if fit > 0 {
            let what = if more > 0 {
                format!("… {more} more (↓ to scroll)")
            } else {
                "… more below (↓ to scroll)".to_string()
            };
            shown.push(Line::from(Span::styled(what, t.accent())));
        }
    }
    frame.render_widget(Paragraph::new(shown), area);
}

/// What gets past a refusal, in this screen's keys (the refusal itself says nothing was
/// written).
fn past(why: Refusal) -> String {
    let (draft_zip, _) = draft_names();
    match why {
        Refusal::NotReady => format!(
            "Press i to build a draft anyway ({draft_zip}, marked DRAFT), then Enter; or fix \
             them (r lists them in the review)."
        ),
        Refusal::Secrets => "If you have checked and they are not secrets, press s to keep \
             them, then Enter; otherwise remove or redact them and attach the files again."
            .to_string(),
        Refusal::Mismatch => format!(
            "Press i to build a draft without it ({draft_zip}), then Enter; or check the file \
             and attach it again on its control."
        ),
        Refusal::NoChecklist => {
            "Choose a delivery model on the Profile step ([ goes back).".to_string()
        }
    }
}

/// `text` broken into rows of at most `width` cells at spaces (a word longer than a row is cut
/// where the row ends), the rows after the first indented by `hang` cells.
fn wrap(text: &str, width: usize, hang: usize) -> Vec<String> {
    let width = width.max(hang + 1);
    let how = crate::util::Wrap {
        first: width,
        rest: width - hang,
        cut_long: true,
        keep_spaces: false,
    };
    let indent = " ".repeat(hang);
    crate::util::wrap(text, how)
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            if i == 0 {
                row
            } else {
                format!("{indent}{row}")
            }
        })
        .collect()
}
