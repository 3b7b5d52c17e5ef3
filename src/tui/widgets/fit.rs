//! Fitting text into terminal cells: cutting at either end with "…", by display width (so
//! wide characters count as two). Shared by the screens and the widgets.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Display width of `text` in terminal cells.
pub fn width_of(text: &str) -> usize {
    crate::util::width(text)
}

/// Display width of `c` in terminal cells.
pub fn char_width(c: char) -> usize {
    crate::util::char_width(c)
}

/// `text` cut to at most `max` cells, ending with "…" when cut.
pub fn clip_end(text: &str, max: usize) -> String {
    if width_of(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` cut from the left to at most `max` cells, starting with "…" when cut.
pub fn clip_start(text: &str, max: usize) -> String {
    if width_of(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut kept = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        used += w;
        kept.push(c);
    }
    let mut out = String::from("…");
    out.extend(kept.into_iter().rev());
    out
}

/// `text` cut into lines of at most `width` cells at spaces (a longer word stands alone).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let how = crate::util::Wrap {
        keep_spaces: true,
        ..crate::util::Wrap::new(width)
    };
    crate::util::wrap(text, how)
}

/// A box of `width` x `height` cells centred in `area` (cut to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

/// `text` in `style` after `head`, word-wrapped to `width` cells; lines after the first start
/// with `indent` spaces. Words longer than a line are cut where the line ends.
pub fn wrapped(
    head: Vec<Span<'static>>,
    text: &str,
    style: Style,
    indent: usize,
    width: usize,
) -> Vec<Line<'static>> {
    let width = width.max(indent + 8);
    let used: usize = head.iter().map(Span::width).sum();
    let how = crate::util::Wrap {
        first: width.saturating_sub(used),
        rest: width - indent,
        cut_long: true,
        keep_spaces: false,
    };
    let mut head = Some(head);
    crate::util::wrap(text, how)
        .into_iter()
        .map(|line| {
            let mut spans = head
                .take()
                .unwrap_or_else(|| vec![Span::raw(" ".repeat(indent))]);
            spans.push(Span::styled(line, style));
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_cells_at_either_end() {
        assert_eq!(clip_start("/home/user/project", 8), "…project");
        assert_eq!(clip_end("abcdef", 4), "abc…");
        assert_eq!(clip_end("abcdef", 0), "");
        assert_eq!(clip_end("漢字漢字", 5), "漢字…");
        assert_eq!(width_of("漢字"), 4);
    }

    #[test]
    fn wraps_at_spaces_by_cells() {
        assert_eq!(wrap_words("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap_words("漢字 漢字", 5), ["漢字", "漢字"]);
        assert_eq!(wrap_words("unbreakable word", 4), ["unbreakable", "word"]);
    }
}
