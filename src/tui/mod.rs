//! The interactive wizard: terminal set-up and the event loop around [`app::App`].
//!
//! The terminal is restored on every exit, normal, by error or by panic. Work is saved as it
//! is made, so nothing here needs to save on the way out.

pub mod app;
pub mod keymap;
pub mod screens;
pub mod state;
pub mod theme;
pub mod ui;
pub mod widgets;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::{DefaultTerminal, Terminal, backend::CrosstermBackend};

use crate::content::Library;
use crate::dates::Clock;
use crate::error::Error;
use app::App;

/// Says why the wizard cannot start without a terminal.
pub fn require_terminal() -> Result<(), Error> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(Error::usage(
        "the wizard needs a terminal, and standard input or output is not one",
        "run ftr in a terminal, or use the commands that need none: ftr new, ftr set, \
         ftr answer, ftr status, ftr check (see ftr --help)",
    ))
}

/// Runs the wizard on `project`, or on the start screen when `None`.
pub fn run(library: Library, project: Option<&Path>, clock: Clock) -> Result<(), Error> {
    require_terminal()?;
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut app = App::new(library, cwd, store_dir(), clock);
    if let Some(path) = project {
        app.open(path)?;
    }
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        hook(info);
    }));
    let mut terminal = enter()?;
    let result = event_loop(&mut terminal, &mut app);
    // Whatever ended the loop, keep what was being typed and where the user was.
    app.finish_editing();
    app.st.remember();
    leave();
    let _ = std::panic::take_hook();
    result
}

fn store_dir() -> Option<PathBuf> {
    crate::store::recent::data_dir()
}

fn io_err(action: &'static str) -> impl Fn(std::io::Error) -> Error {
    move |e| Error::Io {
        path: PathBuf::from("terminal"),
        action,
        source: e,
    }
}

/// Raw mode, alternate screen, mouse and bracketed paste (`run` has set a panic hook that
/// undoes them before the panic message is printed).
fn enter() -> Result<DefaultTerminal, Error> {
    enable_raw_mode().map_err(io_err("set up"))?;
    let mut out = std::io::stdout();
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        leave();
        return Err(io_err("set up")(e));
    }
    Terminal::new(CrosstermBackend::new(std::io::stdout())).map_err(io_err("set up"))
}

/// Puts the terminal back as it was. Safe to call more than once.
fn leave() {
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// The most events handled as one batch (the rest come in the next).
const MAX_BATCH: usize = 4096;

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> Result<(), Error> {
    let mut idle = 0u32;
    let panic_key = crash_test::panic_key();
    while !app.quit {
        app.pump();
        terminal
            .draw(|f| ui::render(app, f))
            .map_err(io_err("draw on"))?;
        if event::poll(Duration::from_millis(250)).map_err(io_err("read"))? {
            // Everything that arrived together is handled together: a sentence typed in one
            // go is held as typing, never run key by key.
            let mut batch = vec![event::read().map_err(io_err("read"))?];
            while batch.len() < MAX_BATCH && event::poll(Duration::ZERO).map_err(io_err("read"))? {
                batch.push(event::read().map_err(io_err("read"))?);
            }
            for ev in &batch {
                crash_test::check(panic_key, ev);
            }
            app.handle_events(batch);
            idle = 0;
        } else {
            idle += 1;
            if idle.is_multiple_of(4) {
                app.tick();
            }
        }
        if let Some(req) = app.st.external.take() {
            leave();
            let (text, problem) = external_editor(&req.text);
            // Keep what the editor produced before anything else can fail.
            app.finish_external(&req.control, text, problem);
            *terminal = enter()?;
            terminal.clear().map_err(io_err("draw on"))?;
        }
    }
    Ok(())
}

/// Opens `$VISUAL` or `$EDITOR` (else `vi`) on a temporary file holding `text`, as git does
/// for commit messages. Returns the text if the user changed it (even when the editor then
/// exited with an error), and what went wrong, if anything.
pub fn external_editor(text: &str) -> (Option<String>, Option<String>) {
    match run_editor(text) {
        Ok((saved, None)) => ((saved != text).then_some(saved), None),
        Ok((saved, Some(why))) => {
            if saved != text {
                (Some(saved), Some(format!("{why}; kept what it saved")))
            } else {
                (None, Some(format!("{why}; the response was not changed")))
            }
        }
        Err(why) => (None, Some(why)),
    }
}

fn run_editor(text: &str) -> Result<(String, Option<String>), String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .or_else(|| std::env::var("EDITOR").ok())
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    let file = tempfile::Builder::new()
        .prefix("ftr-response-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| format!("could not create a temporary file: {e}"))?;
    std::fs::write(file.path(), text).map_err(|e| format!("could not write the draft: {e}"))?;
    // The editor may carry arguments (`code --wait`); let the shell split them.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("ftr")
        .arg(file.path())
        .status()
        .map_err(|e| format!("could not start {editor}: {e}"))?;
    let saved = std::fs::read_to_string(file.path())
        .map_err(|e| format!("could not read the draft back: {e}"))?;
    let problem = (!status.success()).then(|| format!("{editor} exited with {status}"));
    Ok((saved, problem))
}

/// For the crash test (`tests/it/tmux.rs`): a key that makes the wizard panic, to prove the
/// terminal is restored and the last save kept. Only builds with debug assertions have it (the
/// tests build the release binary with them for this crate alone); `cargo build --release`
/// leaves it out, and there `FTR_PANIC_ON_KEY` means nothing.
#[cfg(debug_assertions)]
mod crash_test {
    use ratatui::crossterm::event::{Event, KeyCode};

    /// The key `FTR_PANIC_ON_KEY` names, if it is set.
    pub fn panic_key() -> Option<char> {
        std::env::var("FTR_PANIC_ON_KEY")
            .ok()
            .and_then(|k| k.chars().next())
    }

    /// Panics when `ev` is the key press `FTR_PANIC_ON_KEY` names.
    pub fn check(panic_key: Option<char>, ev: &Event) {
        if let (Some(k), Event::Key(key)) = (panic_key, ev)
            && key.code == KeyCode::Char(k)
        {
            panic!("deliberate panic on key {k:?} (FTR_PANIC_ON_KEY)");
        }
    }
}

/// Without debug assertions (a release build) there is no crash-test key.
#[cfg(not(debug_assertions))]
mod crash_test {
    use ratatui::crossterm::event::Event;

    pub fn panic_key() -> Option<char> {
        None
    }

    pub fn check(_: Option<char>, _: &Event) {}
}
