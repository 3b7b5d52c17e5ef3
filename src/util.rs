//! Small pure helpers: sizes in words, hex, paths folded without the disk, first lines, and
//! the one word wrap (by display cells, so wide characters count as two).
//!
//! Layer: leaf (`util`). May import: nothing in the crate.

use std::path::{Component, Path, PathBuf};

use unicode_width::UnicodeWidthStr;

/// "0 B", "999 B", "1.0 KB", "12.4 KB", "3.2 MB", "1.5 GB" (1024-based).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KB", "MB", "GB", "TB", "PB", "EB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    // Move up while the value would print as 1024.0 or more.
    while value >= 1023.95 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Folds `.` and `..` without touching the disk (links are kept as they are named).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The first line of `text` (empty when there is none).
pub fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Display width of `text` in terminal cells (wide characters count as two).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Display width of one character in terminal cells.
pub fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// How [`wrap`] lays text out: the cells for the text of the first line and of each following
/// line (a caller with prefixes or a hanging indent subtracts their width), and what to do with
/// a word longer than a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wrap {
    /// Cells for the first line's text.
    pub first: usize,
    /// Cells for the text of each line after the first.
    pub rest: usize,
    /// Cut a word longer than a line where the line ends (else it stands alone, overlong).
    pub cut_long: bool,
    /// Split words at single spaces and keep runs of spaces as they are; else words are split
    /// at any whitespace (line breaks and tabs included) and joined by one space.
    pub keep_spaces: bool,
}

impl Wrap {
    /// Every line `width` cells wide, long words left whole, whitespace collapsed.
    pub fn new(width: usize) -> Self {
        Self {
            first: width,
            rest: width,
            cut_long: false,
            keep_spaces: false,
        }
    }
}

/// `text` word-wrapped by display cells, as the lines' text without any prefix: at least one
/// line (empty when `text` has no words). A word starts a new line when it does not fit after
/// the line's words; a word that does not fit on an empty first line starts on the second when
/// the following lines are wider.
pub fn wrap(text: &str, how: Wrap) -> Vec<String> {
    let words: Box<dyn Iterator<Item = &str>> = if how.keep_spaces {
        Box::new(text.split(' '))
    } else {
        Box::new(text.split_whitespace())
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Cells used on `line`, and whether a word (perhaps an empty one) was put on it.
    let (mut used, mut placed) = (0, false);
    let room = |lines: &Vec<String>| {
        if lines.is_empty() {
            how.first
        } else {
            how.rest
        }
    };
    for word in words {
        let gap = usize::from(!line.is_empty());
        let wider_next = lines.is_empty() && how.first < how.rest;
        if used + gap + width(word) > room(&lines) && (gap == 1 || wider_next) {
            lines.push(std::mem::take(&mut line));
            used = 0;
        } else if gap == 1 {
            line.push(' ');
            used += 1;
        }
        placed = true;
        if !how.cut_long {
            line.push_str(word);
            used += width(word);
            continue;
        }
        for c in word.chars() {
            let cells = char_width(c);
            if !line.is_empty() && used + cells > room(&lines) {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cells;
        }
    }
    if placed || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(first: usize, rest: usize) -> Wrap {
        Wrap {
            first,
            rest,
            cut_long: true,
            keep_spaces: false,
        }
    }

    #[test]
    fn wraps_ascii_at_spaces() {
        assert_eq!(wrap("one two three", Wrap::new(7)), ["one two", "three"]);
        assert_eq!(
            wrap("one  two\tthree\nfour", Wrap::new(9)),
            ["one two", "three", "four"]
        );
        assert_eq!(wrap("", Wrap::new(5)), [""]);
        assert_eq!(wrap("   ", Wrap::new(5)), [""]);
        assert_eq!(wrap("exactly", Wrap::new(7)), ["exactly"]);
    }

    #[test]
    fn counts_wide_characters_as_two_cells() {
        assert_eq!(width("漢字"), 4);
        assert_eq!(char_width('漢'), 2);
        assert_eq!(wrap("漢字 漢字", Wrap::new(5)), ["漢字", "漢字"]);
        assert_eq!(wrap("漢字 漢字", Wrap::new(9)), ["漢字 漢字"]);
        assert_eq!(wrap("漢字漢字", cut(5, 5)), ["漢字", "漢字"]);
        // A wide character never splits, even where a line has one cell.
        assert_eq!(wrap("漢字", cut(1, 1)), ["漢", "字"]);
    }

    #[test]
    fn a_word_longer_than_a_line_stands_alone_or_is_cut() {
        assert_eq!(
            wrap("unbreakable word", Wrap::new(4)),
            ["unbreakable", "word"]
        );
        assert_eq!(
            wrap("a unbreakable", cut(4, 4)),
            ["a", "unbr", "eaka", "ble"]
        );
        assert_eq!(wrap("unbreakable", cut(4, 4)), ["unbr", "eaka", "ble"]);
    }

    #[test]
    fn first_and_following_lines_have_their_own_room() {
        // Prefixes "- " then "  " on 10 cells leave 8 for each line's text.
        assert_eq!(
            wrap(
                "one two three four",
                Wrap {
                    first: 6,
                    ..Wrap::new(8)
                }
            ),
            ["one", "two", "three", "four"]
        );
        assert_eq!(
            wrap(
                "aa bb cc dd",
                Wrap {
                    first: 2,
                    ..Wrap::new(5)
                }
            ),
            ["aa", "bb cc", "dd"]
        );
        // A hanging indent: the following lines are narrower.
        assert_eq!(wrap("abcdefgh ij", cut(6, 4)), ["abcdef", "gh", "ij"]);
        // A word too long for the rest of a first line after a head moves to a wider line.
        assert_eq!(wrap("abcdef", cut(3, 8)), ["", "abcdef"]);
        assert_eq!(wrap("abc", cut(3, 8)), ["abc"]);
    }

    #[test]
    fn keeping_spaces_keeps_runs_between_words() {
        let keep = Wrap {
            keep_spaces: true,
            ..Wrap::new(6)
        };
        assert_eq!(wrap("a  b", keep), ["a  b"]);
        assert_eq!(wrap("  a", keep), ["a"]);
        assert_eq!(wrap("abcdef ", keep), ["abcdef", ""]);
        assert_eq!(wrap("abc   def", keep), ["abc  ", "def"]);
    }
}
