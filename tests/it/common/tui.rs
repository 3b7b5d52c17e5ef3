//! Drives the wizard's state machine without a terminal: key presses in, screens out.
#![allow(dead_code)]

use std::path::PathBuf;

use ftr_wizard::content::Library;
use ftr_wizard::dates::Clock;
use ftr_wizard::tui::app::App;
use ftr_wizard::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::Scratch;

pub struct Tester {
    pub app: App,
    pub scratch: Scratch,
}

impl Tester {
    /// A wizard started in a fresh scratch folder, on the start screen.
    pub fn new() -> Tester {
        let scratch = Scratch::new();
        let app = new_app(&scratch);
        Tester { app, scratch }
    }

    /// A second wizard on the same folder, as if `ftr` were started again.
    pub fn restart(&mut self) {
        self.app = new_app(&self.scratch);
    }

    pub fn project_path(&self) -> PathBuf {
        self.scratch.project()
    }

    /// Presses keys written like "j j <Enter> <Esc> <Tab> <S-Tab> <C-c> <Down> <Space>".
    pub fn press(&mut self, keys: &str) -> &mut Self {
        for token in keys.split_whitespace() {
            let ev = parse_key(token);
            self.app.handle_event(Event::Key(ev));
        }
        self
    }

    /// Types text into whatever has the keyboard, one key per character.
    pub fn type_str(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            let ev = if c == '\n' {
                KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
            } else {
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
            };
            self.app.handle_event(Event::Key(ev));
        }
        self
    }

    /// Types `text` as keys that arrive together, as one write to the terminal brings them.
    pub fn burst(&mut self, text: &str) -> &mut Self {
        let events = text
            .chars()
            .map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
            .collect();
        self.app.handle_events(events);
        self
    }

    pub fn paste(&mut self, text: &str) -> &mut Self {
        self.app.handle_event(Event::Paste(text.to_string()));
        self
    }

    /// Draws the app at `width` x `height` and returns the buffer.
    pub fn buffer(&mut self, width: u16, height: u16) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| ftr_wizard::tui::ui::render(&mut self.app, f))
            .unwrap();
        terminal.backend().buffer().clone()
    }

    /// Waits until the export running in the background has finished (a hang fails after
    /// five minutes rather than holding the run).
    pub fn wait_export(&mut self) {
        let start = std::time::Instant::now();
        while self.app.exporting() {
            assert!(start.elapsed().as_secs() < 300, "export did not finish");
            std::thread::sleep(std::time::Duration::from_millis(10));
            self.app.pump();
        }
    }

    /// The screen as text, one line per row, trailing spaces trimmed.
    pub fn screen(&mut self, width: u16, height: u16) -> String {
        let buf = self.buffer(width, height);
        buffer_text(&buf)
    }
}

fn new_app(scratch: &Scratch) -> App {
    let mut app = App::new(
        Library::embedded().unwrap(),
        scratch.path().to_path_buf(),
        Some(scratch.file(".data")),
        Clock::fixed(super::now()),
    );
    app.st.theme = Theme::COLOR;
    app
}

pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buf[(x, y)];
            line.push_str(cell.symbol());
            skip = unicode_width(cell.symbol()).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The line that ends a screen's text in a snapshot and starts its styles.
pub const STYLES: &str = "~~~ styles: row, columns, style";

/// The screen as text, then its styles: for each row, each run of cells with the same style
/// other than the terminal's default, as `row  from-to  fg=… bg=… BOLD | DIM`. The colour and
/// NO_COLOR snapshots so test different things: colours in one, the modifiers that carry the
/// meaning without colour in the other.
pub fn styled_text(buf: &Buffer) -> String {
    let mut out = buffer_text(buf);
    out.push_str(STYLES);
    out.push('\n');
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let style = style_of(&buf[(x, y)]);
            let start = x;
            while x < buf.area.width && style_of(&buf[(x, y)]) == style {
                x += 1;
            }
            if !style.is_empty() {
                out.push_str(&format!("{y:>3}  {start}-{}  {style}\n", x - 1));
            }
        }
    }
    out
}

/// A cell's style in words; empty for the terminal's default.
fn style_of(cell: &ratatui::buffer::Cell) -> String {
    use ratatui::style::{Color, Modifier};
    let mut parts = Vec::new();
    if cell.fg != Color::Reset {
        parts.push(format!("fg={:?}", cell.fg));
    }
    if cell.bg != Color::Reset {
        parts.push(format!("bg={:?}", cell.bg));
    }
    if cell.modifier != Modifier::empty() {
        parts.push(format!("{:?}", cell.modifier));
    }
    parts.join(" ")
}

fn unicode_width(s: &str) -> usize {
    // Every symbol the wizard draws is one column wide.
    usize::from(!s.is_empty())
}

fn parse_key(token: &str) -> KeyEvent {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    match token {
        "<Enter>" => plain(KeyCode::Enter),
        "<Esc>" => plain(KeyCode::Esc),
        "<Tab>" => plain(KeyCode::Tab),
        "<S-Tab>" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        "<Up>" => plain(KeyCode::Up),
        "<Down>" => plain(KeyCode::Down),
        "<Left>" => plain(KeyCode::Left),
        "<Right>" => plain(KeyCode::Right),
        "<PgDn>" => plain(KeyCode::PageDown),
        "<PgUp>" => plain(KeyCode::PageUp),
        "<Del>" => plain(KeyCode::Delete),
        "<Bksp>" => plain(KeyCode::Backspace),
        "<Space>" => plain(KeyCode::Char(' ')),
        t if t.starts_with("<C-") && t.ends_with('>') && t.len() == 5 => {
            let c = t.chars().nth(3).unwrap();
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
        }
        t if t.chars().count() == 1 => {
            let c = t.chars().next().unwrap();
            let m = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            KeyEvent::new(KeyCode::Char(c), m)
        }
        other => panic!("unknown key token {other}"),
    }
}
