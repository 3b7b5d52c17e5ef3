//! The file picker: owns the file-system browser popup (its folder listing, the filter typed
//! into it, keyboard and mouse navigation, and drawing) used to choose a file for the slot its
//! title names (evidence for a control, the architecture diagram, AWS's workbook…).

use std::fs;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear};
use ratatui::{Frame, layout::Rect, style::Style};

use super::filter;
use super::fit::{clip_end as truncate_end, clip_start as shorten_left, width_of};
use crate::assessment::evidence::human_size;

/// Rows moved by PageUp / PageDown.
const PAGE: usize = 10;

/// Narrowest name shown next to a file size; below this the size is dropped.
const MIN_NAME_WIDTH: usize = 8;

/// The bottom hint line while nothing is typed.
const HINT: &str = "type to filter (. for hidden) · Enter choose · ← parent · Esc cancel";

/// The bottom hint line while a filter is typed.
const FILTER_HINT: &str = "Enter open/choose · Bksp erases · Esc clears the filter";

/// One row of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// File or folder name; ".." for the parent row.
    pub name: String,
    /// Whether the entry is a folder (symbolic links are followed).
    pub is_dir: bool,
    /// Size in bytes (0 for folders).
    pub size: u64,
}

/// What a key press led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Still browsing.
    Continue,
    /// The user chose this file (absolute path).
    Chosen(PathBuf),
    /// The user closed the picker without choosing.
    Cancelled,
}

/// Styles for the picker; the caller builds it from its theme.
#[derive(Debug, Clone, Copy, Default)]
pub struct PickerStyles {
    /// The popup border.
    pub border: Style,
    /// The title in the top border.
    pub title: Style,
    /// Folder rows.
    pub dir: Style,
    /// File rows.
    pub file: Style,
    /// Patched onto the selected row.
    pub selected: Style,
    /// The bottom hint line.
    pub hint: Style,
    /// The error line.
    pub error: Style,
}

/// A file-system browser for choosing one file. Keys typed go into a filter that narrows the
/// listing to the names holding it (case-insensitive); hidden entries are listed while the
/// filter starts with '.'.
#[derive(Debug, Clone)]
pub struct Picker {
    /// What is being chosen, for the title ("Choose evidence for IAM-001"); raw.
    title: String,
    /// The folder shown (absolute, without "." or ".." components).
    dir: PathBuf,
    /// Everything in the folder, hidden entries too: ".." first unless at the root, then
    /// folders, then files, each sorted case-insensitively.
    all: Vec<Entry>,
    /// The rows shown: those of `all` the filter lets through, in the same order.
    entries: Vec<Entry>,
    selected: usize,
    /// What was typed to narrow the listing.
    filter: String,
    /// The last failure to read a folder, shown until the next successful move.
    error: Option<String>,
    /// Index of the first visible row.
    offset: usize,
}

impl Picker {
    /// Opens at `dir` (made absolute; falls back to the current folder if unreadable,
    /// recording the error), titled "{title}: {dir}".
    pub fn new(dir: &Path, title: impl Into<String>) -> Picker {
        let mut picker = Picker {
            title: title.into(),
            dir: absolute(dir),
            all: Vec::new(),
            entries: Vec::new(),
            selected: 0,
            filter: String::new(),
            error: None,
            offset: 0,
        };
        match read_entries(&picker.dir) {
            Ok(entries) => picker.all = entries,
            Err(err) => {
                picker.error = Some(format!("Cannot open {}: {err}", picker.dir.display()));
                picker.dir = absolute(Path::new("."));
                match read_entries(&picker.dir) {
                    Ok(entries) => picker.all = entries,
                    Err(_) => picker.all = parent_entry(&picker.dir),
                }
            }
        }
        picker.apply_filter(None);
        picker
    }

    /// What the picker is choosing, as its title says it (raw).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// What was typed to narrow the listing.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The folder being shown (absolute).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The rows of the listing, in display order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Index of the selected row in [`Picker::entries`].
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The last folder-reading error, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether hidden entries (starting with '.') are listed: while the filter starts with '.'.
    pub fn show_hidden(&self) -> bool {
        self.filter.starts_with('.')
    }

    /// Keys typed (letters, digits, punctuation) go into the filter, Backspace erases its last
    /// character (with nothing typed it goes to the parent folder), Ctrl-U erases it all, Esc
    /// clears it and, with nothing typed, cancels. Up/Down move, PageUp/PageDown move by 10,
    /// Home/End jump, Enter or Right on a folder enters it, Enter on a file chooses it, Left
    /// goes to the parent. Folders are read here, never in `render`.
    pub fn handle_key(&mut self, key: KeyEvent) -> Outcome {
        if key.kind == KeyEventKind::Release {
            return Outcome::Continue;
        }
        if let Some(filter) = filter::edited(&self.filter, &key) {
            self.set_filter(filter);
            return Outcome::Continue;
        }
        match key.code {
            KeyCode::Esc => return Outcome::Cancelled,
            KeyCode::Up => self.move_by(-1),
            KeyCode::Down => self.move_by(1),
            KeyCode::PageUp => self.move_by(-(PAGE as i64)),
            KeyCode::PageDown => self.move_by(PAGE as i64),
            KeyCode::Home => self.selected = 0,
            KeyCode::End => self.select_last(),
            KeyCode::Enter => return self.activate(true),
            KeyCode::Right => return self.activate(false),
            KeyCode::Left | KeyCode::Backspace => self.go_parent(),
            _ => {}
        }
        Outcome::Continue
    }

    /// Scrolls the selection by `delta` rows (mouse wheel).
    pub fn scroll(&mut self, delta: i32) {
        self.move_by(i64::from(delta));
    }

    /// Draws a bordered popup filling `area` (the caller centres it): the folder in the title
    /// (shortened from the left to fit), one row per entry with file sizes right-aligned, the
    /// selection highlighted and kept visible, an error line if any, and a hint line.
    pub fn render(&mut self, frame: &mut Frame, area: Rect, styles: &PickerStyles) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        frame.render_widget(Clear, area);

        // The title sits between the two top corners; the folder gives way to what is chosen.
        let room = usize::from(area.width.saturating_sub(2));
        let what = truncate_end(&crate::safe::terminal(&self.title), room.saturating_sub(4));
        let fixed = width_of(&what) + ":  ".chars().count() + 2;
        let dir = shorten_left(
            &crate::safe::terminal(&self.dir.display().to_string()),
            room.saturating_sub(fixed),
        );
        let title = Line::styled(format!(" {what}: {dir} "), styles.title);
        let block = Block::bordered().border_style(styles.border).title(title);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.is_empty() {
            return;
        }

        let height = inner.height;
        let hint_rows = u16::from(height >= 2);
        let filter_rows = u16::from(!self.filter.is_empty() && height >= 3);
        let error_rows = u16::from(self.error.is_some() && height >= 3 + filter_rows);
        let list_rows = height - hint_rows - filter_rows - error_rows;
        self.keep_visible(usize::from(list_rows));

        let width = usize::from(inner.width);
        if self.entries.is_empty() && list_rows > 0 {
            let row = Rect { height: 1, ..inner };
            let empty = if self.filter.is_empty() {
                "(empty folder)"
            } else {
                "(nothing here matches the filter)"
            };
            frame.render_widget(Line::styled(empty, styles.hint), row);
        }
        let visible = self.entries.iter().enumerate().skip(self.offset);
        for (row, (index, entry)) in (0..list_rows).zip(visible) {
            let mut style = if entry.is_dir {
                styles.dir
            } else {
                styles.file
            };
            if index == self.selected {
                style = style.patch(styles.selected);
            }
            let rect = Rect {
                y: inner.y + row,
                height: 1,
                ..inner
            };
            frame.render_widget(Line::styled(entry_row(entry, width), style), rect);
        }

        if let Some(error) = self.error.as_deref().filter(|_| error_rows > 0) {
            let rect = Rect {
                y: inner.y + list_rows,
                height: 1,
                ..inner
            };
            // The folder's name and the system's words, raw until here.
            let error = crate::safe::terminal(error);
            frame.render_widget(
                Line::styled(truncate_end(&error, width), styles.error),
                rect,
            );
        }
        if filter_rows > 0 {
            let rect = Rect {
                y: inner.y + height - hint_rows - 1,
                height: 1,
                ..inner
            };
            frame.render_widget(
                Line::styled(truncate_end(&self.filter_line(), width), styles.title),
                rect,
            );
        }
        if hint_rows > 0 {
            let rect = Rect {
                y: inner.y + height - 1,
                height: 1,
                ..inner
            };
            let hint = if self.filter.is_empty() {
                HINT
            } else {
                FILTER_HINT
            };
            frame.render_widget(Line::styled(truncate_end(hint, width), styles.hint), rect);
        }
    }

    /// "Filter: rep▏ · 2 of 14": what was typed (escaped), and how many rows it lets through
    /// of those it looks at.
    fn filter_line(&self) -> String {
        let looked_at = self
            .all
            .iter()
            .filter(|e| e.name != ".." && (self.show_hidden() || !e.name.starts_with('.')))
            .count();
        filter::shown(&self.filter, self.entries.len(), looked_at)
    }

    /// Narrows the listing to `filter`, keeping the selected entry selected while it is still
    /// listed (else the first row).
    fn set_filter(&mut self, filter: String) {
        let current = self.entries.get(self.selected).map(|e| e.name.clone());
        self.filter = filter;
        self.apply_filter(current.as_deref());
    }

    /// Lists the entries of `all` the filter lets through and selects the one named `select`,
    /// or the first row.
    fn apply_filter(&mut self, select: Option<&str>) {
        let hidden = self.show_hidden();
        self.entries = self
            .all
            .iter()
            .filter(|e| {
                if e.name == ".." {
                    return self.filter.is_empty();
                }
                (hidden || !e.name.starts_with('.')) && filter::matches(&self.filter, &e.name)
            })
            .cloned()
            .collect();
        self.offset = 0;
        self.selected = select
            .and_then(|name| self.entries.iter().position(|e| e.name == name))
            .unwrap_or(0);
    }

    fn move_by(&mut self, delta: i64) {
        let last = self.entries.len().saturating_sub(1);
        let current = i64::try_from(self.selected).unwrap_or(i64::MAX);
        let target = current.saturating_add(delta).max(0);
        self.selected = usize::try_from(target).unwrap_or(usize::MAX).min(last);
    }

    fn select_last(&mut self) {
        self.selected = self.entries.len().saturating_sub(1);
    }

    /// Enter / Right on the selected row: folders are entered, files chosen when `choose`.
    fn activate(&mut self, choose: bool) -> Outcome {
        let Some(entry) = self.entries.get(self.selected).cloned() else {
            return Outcome::Continue;
        };
        if entry.is_dir {
            if entry.name == ".." {
                self.go_parent();
            } else {
                let target = self.dir.join(&entry.name);
                self.open(target, None);
            }
            Outcome::Continue
        } else if choose {
            Outcome::Chosen(self.dir.join(&entry.name))
        } else {
            Outcome::Continue
        }
    }

    fn go_parent(&mut self) {
        let Some(parent) = self.dir.parent().map(Path::to_path_buf) else {
            return;
        };
        let came_from = self
            .dir
            .file_name()
            .and_then(|name| name.to_str())
            .map(str::to_string);
        self.open(parent, came_from.as_deref());
    }

    /// Shows `target` with the filter cleared, selecting the entry named `select` if given; on
    /// failure stays put.
    fn open(&mut self, target: PathBuf, select: Option<&str>) {
        match read_entries(&target) {
            Ok(entries) => {
                self.dir = target;
                self.all = entries;
                self.error = None;
                self.filter.clear();
                self.apply_filter(select);
            }
            Err(err) => self.error = Some(format!("Cannot open {}: {err}", target.display())),
        }
    }

    /// Adjusts the scroll offset so the selection is within `rows` visible rows.
    fn keep_visible(&mut self, rows: usize) {
        if rows == 0 {
            return;
        }
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(self.entries.len().saturating_sub(rows));
    }
}

/// `path` made absolute against the current folder, with "." and ".." resolved lexically.
fn absolute(path: &Path) -> PathBuf {
    crate::assessment::evidence::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The ".." row, unless `dir` is a root.
fn parent_entry(dir: &Path) -> Vec<Entry> {
    match dir.parent() {
        Some(_) => vec![Entry {
            name: "..".to_string(),
            is_dir: true,
            size: 0,
        }],
        None => Vec::new(),
    }
}

/// Lists `dir` in display order, hidden entries too. Names that are not UTF-8 are skipped.
fn read_entries(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)?.filter_map(Result::ok) {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        // Follow symbolic links; a broken link is listed as a file.
        let meta = fs::metadata(entry.path()).ok();
        let is_dir = meta.as_ref().is_some_and(fs::Metadata::is_dir);
        if is_dir {
            dirs.push(Entry {
                name,
                is_dir,
                size: 0,
            });
        } else {
            let size = meta.map_or(0, |meta| meta.len());
            files.push(Entry { name, is_dir, size });
        }
    }
    let by_name = |a: &Entry, b: &Entry| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.name.cmp(&b.name))
    };
    dirs.sort_by(by_name);
    files.sort_by(by_name);
    let mut entries = parent_entry(dir);
    entries.extend(dirs);
    entries.extend(files);
    Ok(entries)
}

/// One listing row exactly `width` cells wide (so the highlight spans the row): the name
/// ("name/" for folders) and, for files, the size right-aligned.
fn entry_row(entry: &Entry, width: usize) -> String {
    // A file name reaches the terminal only escaped.
    let shown = crate::safe::terminal(&entry.name);
    let entry = &Entry {
        name: shown.into_owned(),
        ..entry.clone()
    };
    if entry.is_dir {
        let name = truncate_end(&format!("{}/", entry.name), width);
        let pad = width.saturating_sub(width_of(&name));
        return format!("{name}{}", " ".repeat(pad));
    }
    let size = human_size(entry.size);
    let size_width = width_of(&size);
    let name_room = width.saturating_sub(size_width + 1);
    if name_room < width_of(&entry.name).min(MIN_NAME_WIDTH) {
        // Too narrow for both: the name matters more than the size.
        let name = truncate_end(&entry.name, width);
        let pad = width.saturating_sub(width_of(&name));
        return format!("{name}{}", " ".repeat(pad));
    }
    let name = truncate_end(&entry.name, name_room);
    let pad = width.saturating_sub(size_width + width_of(&name));
    format!("{name}{}{size}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyModifiers;
    use std::fs::File;
    use std::io::Write;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn names(picker: &Picker) -> Vec<&str> {
        picker.entries().iter().map(|e| e.name.as_str()).collect()
    }

    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir(root.join("beta")).expect("dir");
        fs::create_dir(root.join("Alpha")).expect("dir");
        fs::create_dir(root.join(".hidden-dir")).expect("dir");
        let mut big = File::create(root.join("zeta.pdf")).expect("file");
        big.write_all(&[0u8; 2048]).expect("write");
        File::create(root.join("Report.txt")).expect("file");
        File::create(root.join("notes.md")).expect("file");
        File::create(root.join(".env")).expect("file");
        File::create(root.join("beta").join("inner.txt")).expect("file");
        dir
    }

    fn select(picker: &mut Picker, name: &str) {
        let index = picker
            .entries()
            .iter()
            .position(|e| e.name == name)
            .expect("entry present");
        picker.handle_key(key(KeyCode::Home));
        for _ in 0..index {
            picker.handle_key(key(KeyCode::Down));
        }
        assert_eq!(picker.selected(), index);
    }

    fn draw(picker: &mut Picker, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|frame| picker.render(frame, frame.area(), &PickerStyles::default()))
            .expect("draw");
        let buffer = terminal.backend().buffer();
        buffer
            .content()
            .chunks(usize::from(width.max(1)))
            .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn entries_are_ordered_and_hidden_skipped() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        assert_eq!(
            names(&picker),
            ["..", "Alpha", "beta", "notes.md", "Report.txt", "zeta.pdf"]
        );
        assert!(picker.entries()[1].is_dir);
        assert!(!picker.entries()[3].is_dir);
        assert_eq!(picker.entries()[5].size, 2048);

        // A filter starting with '.' lists hidden entries too, among those holding it.
        assert_eq!(
            picker.handle_key(key(KeyCode::Char('.'))),
            Outcome::Continue
        );
        assert!(picker.show_hidden());
        assert_eq!(
            names(&picker),
            [".hidden-dir", ".env", "notes.md", "Report.txt", "zeta.pdf"]
        );
        picker.handle_key(key(KeyCode::Char('e')));
        assert_eq!(names(&picker), [".env"]);
        picker.handle_key(key(KeyCode::Esc));
        assert!(!names(&picker).contains(&".env"));
        assert_eq!(picker.filter(), "");
    }

    #[test]
    fn typing_filters_by_name_whatever_the_case() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        // Letters that once moved (j, k, g, G, h, l, q) are typed into the filter now.
        for c in "RE".chars() {
            assert_eq!(picker.handle_key(key(KeyCode::Char(c))), Outcome::Continue);
        }
        assert_eq!(picker.filter(), "RE");
        assert_eq!(names(&picker), ["Report.txt"]);
        assert_eq!(
            picker.handle_key(key(KeyCode::Enter)),
            Outcome::Chosen(dir.path().join("Report.txt"))
        );
        // Backspace erases a character; the listing widens again.
        picker.handle_key(key(KeyCode::Backspace));
        picker.handle_key(key(KeyCode::Backspace));
        assert_eq!(names(&picker).len(), 6);
        picker.handle_key(key(KeyCode::Char('e')));
        assert_eq!(
            names(&picker),
            ["beta", "notes.md", "Report.txt", "zeta.pdf"]
        );
        picker.handle_key(key(KeyCode::Char('q')));
        assert_eq!(names(&picker), Vec::<&str>::new());
        let screen = draw(&mut picker, 60, 12);
        assert!(screen.contains("Filter: eq▏ · 0 of 5"), "{screen}");
        assert!(screen.contains("nothing here matches"), "{screen}");
        assert!(screen.contains("Esc clears the filter"), "{screen}");
        // Esc clears the filter first, and only then cancels.
        assert_eq!(picker.handle_key(key(KeyCode::Esc)), Outcome::Continue);
        assert_eq!(names(&picker).len(), 6);
        assert_eq!(picker.handle_key(key(KeyCode::Esc)), Outcome::Cancelled);
    }

    #[test]
    fn entering_a_folder_clears_the_filter_and_the_selection_stays_while_it_matches() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        select(&mut picker, "notes.md");
        picker.handle_key(key(KeyCode::Char('t')));
        assert_eq!(
            names(&picker),
            ["beta", "notes.md", "Report.txt", "zeta.pdf"]
        );
        assert_eq!(picker.entries()[picker.selected()].name, "notes.md");
        picker.handle_key(key(KeyCode::Char('a')));
        assert_eq!(names(&picker), ["beta", "zeta.pdf"]);
        assert_eq!(picker.selected(), 0);
        picker.handle_key(key(KeyCode::Enter));
        assert_eq!(picker.dir(), dir.path().join("beta"));
        assert_eq!(picker.filter(), "");
        assert_eq!(names(&picker), ["..", "inner.txt"]);
        // Ctrl-U erases what was typed at once.
        picker.handle_key(key(KeyCode::Char('x')));
        picker.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(picker.filter(), "");
    }

    #[test]
    fn enter_folder_and_back_to_parent() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        select(&mut picker, "beta");
        assert_eq!(picker.handle_key(key(KeyCode::Enter)), Outcome::Continue);
        assert_eq!(picker.dir(), dir.path().join("beta"));
        assert_eq!(names(&picker), ["..", "inner.txt"]);

        picker.handle_key(key(KeyCode::Left));
        assert_eq!(picker.dir(), dir.path());
        assert_eq!(picker.entries()[picker.selected()].name, "beta");

        picker.handle_key(key(KeyCode::Right));
        assert_eq!(picker.dir(), dir.path().join("beta"));
        picker.handle_key(key(KeyCode::Home));
        picker.handle_key(key(KeyCode::Enter));
        assert_eq!(picker.dir(), dir.path(), "Enter on .. goes up");
        picker.handle_key(key(KeyCode::Backspace));
        assert_eq!(Some(picker.dir()), dir.path().parent());
    }

    #[test]
    fn choosing_a_file_returns_its_absolute_path() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        select(&mut picker, "notes.md");
        assert_eq!(picker.handle_key(key(KeyCode::Right)), Outcome::Continue);
        let outcome = picker.handle_key(key(KeyCode::Enter));
        assert_eq!(outcome, Outcome::Chosen(dir.path().join("notes.md")));
        if let Outcome::Chosen(path) = outcome {
            assert!(path.is_absolute());
        }
    }

    #[test]
    fn relative_start_is_made_absolute() {
        let picker = Picker::new(Path::new("."), "Choose evidence");
        assert!(picker.dir().is_absolute());
        assert!(picker.dir().components().all(|c| !matches!(
            c,
            std::path::Component::CurDir | std::path::Component::ParentDir
        )));
    }

    #[test]
    fn missing_folder_falls_back_with_error() {
        let dir = fixture();
        let picker = Picker::new(&dir.path().join("does-not-exist"), "Choose evidence");
        assert!(picker.error().is_some_and(|e| e.contains("does-not-exist")));
        assert!(picker.dir().is_absolute());
        assert_ne!(picker.dir(), dir.path().join("does-not-exist"));
    }

    #[test]
    fn esc_cancels_and_q_is_typed() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        assert_eq!(picker.handle_key(key(KeyCode::Esc)), Outcome::Cancelled);
        assert_eq!(
            picker.handle_key(key(KeyCode::Char('q'))),
            Outcome::Continue
        );
        assert_eq!(picker.filter(), "q");
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(picker.handle_key(ctrl_q), Outcome::Continue);
        assert_eq!(picker.filter(), "q");
    }

    #[test]
    fn movement_is_clamped() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        picker.handle_key(key(KeyCode::Up));
        assert_eq!(picker.selected(), 0);
        picker.handle_key(key(KeyCode::PageDown));
        assert_eq!(picker.selected(), 5);
        picker.handle_key(key(KeyCode::Up));
        assert_eq!(picker.selected(), 4);
        picker.handle_key(key(KeyCode::Home));
        assert_eq!(picker.selected(), 0);
        picker.handle_key(key(KeyCode::End));
        assert_eq!(picker.selected(), 5);
        picker.scroll(-3);
        assert_eq!(picker.selected(), 2);
        picker.scroll(i32::MIN);
        assert_eq!(picker.selected(), 0);
        picker.scroll(i32::MAX);
        assert_eq!(picker.selected(), 5);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KB");
        assert_eq!(human_size(12_697), "12.4 KB");
        assert_eq!(human_size(3_355_443), "3.2 MB");
        assert_eq!(human_size(1_610_612_736), "1.5 GB");
        assert_eq!(human_size(1024 * 1024 - 1), "1.0 MB");
        assert_eq!(human_size(u64::MAX), "16.0 EB");
    }

    #[test]
    fn renders_listing_title_and_hint() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        let screen = draw(&mut picker, 72, 15);
        assert!(screen.contains("notes.md"), "{screen}");
        assert!(screen.contains("beta/"), "{screen}");
        assert!(screen.contains("2.0 KB"), "{screen}");
        assert!(screen.contains("Choose evidence for IAM-001: "), "{screen}");
        assert!(screen.contains("type to filter"), "{screen}");
        assert!(screen.contains("Esc cancel"), "{screen}");
        // The size is right-aligned against the inner right edge.
        let zeta = screen
            .lines()
            .find(|line| line.contains("zeta.pdf"))
            .expect("zeta row");
        assert!(zeta.ends_with("2.0 KB│"), "{zeta}");
    }

    #[test]
    fn selection_is_kept_visible() {
        let dir = tempfile::tempdir().expect("tempdir");
        for i in 0..30 {
            File::create(dir.path().join(format!("file{i:02}.txt"))).expect("file");
        }
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        picker.handle_key(key(KeyCode::End));
        let screen = draw(&mut picker, 40, 10);
        assert!(screen.contains("file29.txt"), "{screen}");
        assert!(!screen.contains("file00.txt"), "{screen}");
        picker.handle_key(key(KeyCode::Home));
        let screen = draw(&mut picker, 40, 10);
        assert!(screen.contains("file00.txt"), "{screen}");
    }

    #[test]
    fn renders_tiny_areas_without_panic() {
        let dir = fixture();
        let mut picker = Picker::new(dir.path(), "Choose evidence for IAM-001");
        select(&mut picker, "notes.md");
        let screen = draw(&mut picker, 10, 3);
        assert!(screen.contains("notes.md"), "{screen}");
        for (w, h) in [(0, 0), (1, 1), (2, 2), (3, 5), (5, 1), (200, 2)] {
            let _ = draw(&mut picker, w, h);
        }
        let mut terminal = Terminal::new(TestBackend::new(20, 10)).expect("terminal");
        terminal
            .draw(|frame| {
                let outside = Rect::new(15, 8, 30, 30);
                picker.render(frame, outside, &PickerStyles::default());
            })
            .expect("draw");
    }

    #[test]
    fn shortening_helpers() {
        assert_eq!(shorten_left("/home/user/project", 8), "…project");
        assert_eq!(shorten_left("/short", 8), "/short");
        assert_eq!(truncate_end("abcdef", 4), "abc…");
        assert_eq!(truncate_end("abcdef", 0), "");
        let row = entry_row(
            &Entry {
                name: "a.txt".into(),
                is_dir: false,
                size: 10,
            },
            12,
        );
        assert_eq!(row, "a.txt   10 B");
    }
}
