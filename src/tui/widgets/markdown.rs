//! Markdown to styled text: owns the conversion of guidance Markdown (CommonMark) into
//! ratatui [`Text`], so every screen shows headings, emphasis, lists, code and links the
//! same way, coloured from the caller's theme through [`MdStyles`].

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};

/// Styles for each Markdown element; the caller builds it from its theme.
#[derive(Debug, Clone, Copy, Default)]
pub struct MdStyles {
    /// Ordinary body text; every other style is patched onto it.
    pub text: Style,
    /// Headings (`#`, `##`, `###`, ...).
    pub heading: Style,
    /// `**strong**` text.
    pub strong: Style,
    /// `*emphasised*` text.
    pub emphasis: Style,
    /// Inline code and code blocks.
    pub code: Style,
    /// List markers ("• ", "1. ").
    pub bullet: Style,
    /// Link text.
    pub link: Style,
    /// Horizontal rules and the block-quote bar.
    pub rule: Style,
}

/// Width of a horizontal rule, in cells.
const RULE_WIDTH: usize = 40;

/// Renders CommonMark into lines.
///
/// Paragraphs are separated by one blank line; headings sit on their own line in the
/// `heading` style; `**bold**` and `*em*` patch `strong` / `emphasis` onto the current style;
/// inline code keeps its text (no backticks) in the `code` style; code blocks are indented by
/// two spaces in the `code` style; bullet lists get a "• " prefix (nested lists indented two
/// spaces per level) and ordered lists "1. ", "2. " numbering from the list start; links show
/// their text in the `link` style followed by " (url)" unless the text is the url; soft breaks
/// become a space and hard breaks a new line; a horizontal rule is a line of "─"; block quotes
/// are prefixed by "│ ". There is no trailing blank line. Unknown and HTML elements keep their
/// text.
pub fn to_text(markdown: &str, styles: &MdStyles) -> Text<'static> {
    let mut renderer = Renderer::new(styles);
    for event in Parser::new_ext(markdown, Options::empty()) {
        renderer.event(event);
    }
    Text::from(renderer.finish())
}

/// One open list.
struct ListLevel {
    /// The next number for an ordered list; `None` for a bullet list.
    next: Option<u64>,
    /// Width (in characters) of the marker of the current item, for continuation lines.
    marker_width: usize,
}

/// An open link: where it points and the text seen so far.
struct OpenLink {
    url: String,
    text: String,
}

/// Event-driven builder of the output lines.
struct Renderer<'s> {
    styles: &'s MdStyles,
    lines: Vec<Line<'static>>,
    /// Spans of the line being built.
    current: Vec<Span<'static>>,
    /// Whether `current` has received its prefix (quote bars, list indentation).
    line_started: bool,
    /// Inline style stack; the top is the style for new text.
    style_stack: Vec<Style>,
    lists: Vec<ListLevel>,
    /// Marker of a list item whose first line has not been started yet.
    pending_marker: Option<String>,
    quote_depth: usize,
    /// A block ended, so the next block (outside lists) is preceded by a blank line.
    needs_separator: bool,
    /// Text of the code block being read, if inside one.
    code_block: Option<String>,
    /// Raw HTML of the HTML block being read, if inside one.
    html_block: Option<String>,
    links: Vec<OpenLink>,
}

impl<'s> Renderer<'s> {
    fn new(styles: &'s MdStyles) -> Self {
        Self {
            styles,
            lines: Vec::new(),
            current: Vec::new(),
            line_started: false,
            style_stack: vec![styles.text],
            lists: Vec::new(),
            pending_marker: None,
            quote_depth: 0,
            needs_separator: false,
            code_block: None,
            html_block: None,
            links: Vec::new(),
        }
    }

    fn finish(mut self) -> Vec<Line<'static>> {
        self.flush();
        while self.lines.last().is_some_and(|line| line.width() == 0) {
            self.lines.pop();
        }
        self.lines
    }

    fn style(&self) -> Style {
        self.style_stack.last().copied().unwrap_or(self.styles.text)
    }

    fn push_style(&mut self, patch: Style) {
        let style = self.style().patch(patch);
        self.style_stack.push(style);
    }

    fn pop_style(&mut self) {
        if self.style_stack.len() > 1 {
            self.style_stack.pop();
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(code) = self.code_block.as_mut() {
                    code.push_str(&text);
                } else {
                    self.inline_text(&text, self.style());
                }
            }
            Event::Code(text) => {
                let style = self.style().patch(self.styles.code);
                self.inline_text(&text, style);
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.inline_text(&text, self.style());
            }
            Event::Html(html) => {
                if let Some(block) = self.html_block.as_mut() {
                    block.push_str(&html);
                } else {
                    self.inline_text(&strip_tags(&html), self.style());
                }
            }
            Event::InlineHtml(html) => self.inline_text(&strip_tags(&html), self.style()),
            Event::FootnoteReference(label) => {
                self.inline_text(&format!("[{label}]"), self.style());
            }
            Event::SoftBreak => self.inline_text(" ", self.style()),
            Event::HardBreak => {
                self.ensure_line();
                self.flush();
            }
            Event::Rule => {
                self.block_start();
                self.ensure_line();
                let style = self.styles.text.patch(self.styles.rule);
                self.current
                    .push(Span::styled("─".repeat(RULE_WIDTH), style));
                self.flush();
                self.needs_separator = true;
            }
            Event::TaskListMarker(done) => {
                let mark = if done { "[x] " } else { "[ ] " };
                self.inline_text(mark, self.style());
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.block_start(),
            Tag::Heading { .. } => {
                self.block_start();
                self.push_style(self.styles.heading);
            }
            Tag::BlockQuote(_) => {
                self.block_start();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(_) => {
                // The fence's info string (language) is not content, so it is not shown.
                self.block_start();
                self.code_block = Some(String::new());
            }
            Tag::HtmlBlock => {
                self.block_start();
                self.html_block = Some(String::new());
            }
            Tag::List(start) => {
                self.block_start();
                self.lists.push(ListLevel {
                    next: start,
                    marker_width: 0,
                });
            }
            Tag::Item => {
                self.flush();
                if let Some(level) = self.lists.last_mut() {
                    let marker = match level.next.as_mut() {
                        Some(number) => {
                            let marker = format!("{number}. ");
                            *number = number.saturating_add(1);
                            marker
                        }
                        None => "• ".to_string(),
                    };
                    level.marker_width = marker.chars().count();
                    self.pending_marker = Some(marker);
                }
            }
            Tag::Emphasis => self.push_style(self.styles.emphasis),
            Tag::Strong => self.push_style(self.styles.strong),
            Tag::Link { dest_url, .. } => {
                self.push_style(self.styles.link);
                self.links.push(OpenLink {
                    url: dest_url.to_string(),
                    text: String::new(),
                });
            }
            // Tables, footnotes, images and other extensions: their text is kept as is.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.block_end(),
            TagEnd::Heading(_) => {
                self.pop_style();
                self.block_end();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
                self.needs_separator = true;
            }
            TagEnd::CodeBlock => {
                let code = self.code_block.take().unwrap_or_default();
                let code = code.strip_suffix('\n').unwrap_or(&code);
                let style = self.styles.text.patch(self.styles.code);
                for line in code.split('\n') {
                    let line = line.trim_end_matches('\r').replace('\t', "    ");
                    self.ensure_line();
                    self.current.push(Span::styled(format!("  {line}"), style));
                    self.flush();
                }
                self.needs_separator = true;
            }
            TagEnd::HtmlBlock => {
                let html = self.html_block.take().unwrap_or_default();
                let style = self.style();
                for line in strip_tags(&html).lines() {
                    let line = line.trim();
                    if !line.is_empty() {
                        self.inline_text(line, style);
                        self.flush();
                    }
                }
                self.needs_separator = true;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.pending_marker = None;
                self.needs_separator = true;
            }
            TagEnd::Item => {
                if self.pending_marker.is_some() {
                    // An empty item still shows its marker.
                    self.ensure_line();
                }
                self.flush();
            }
            TagEnd::Emphasis | TagEnd::Strong => self.pop_style(),
            TagEnd::Link => {
                self.pop_style();
                if let Some(link) = self.links.pop() {
                    let same = link.text == link.url
                        || link.url.strip_prefix("mailto:") == Some(link.text.as_str());
                    if !same && !link.url.is_empty() {
                        self.inline_text(&format!(" ({})", link.url), self.style());
                    }
                }
            }
            _ => {}
        }
    }

    /// Starts a block: ends the current line and, outside lists, adds the blank separator.
    fn block_start(&mut self) {
        self.flush();
        if self.needs_separator && self.lists.is_empty() && !self.lines.is_empty() {
            if self.quote_depth > 0 {
                let bar = "│ ".repeat(self.quote_depth);
                let style = self.styles.text.patch(self.styles.rule);
                self.lines
                    .push(Line::from(Span::styled(bar.trim_end().to_string(), style)));
            } else {
                self.lines.push(Line::default());
            }
        }
        self.needs_separator = false;
    }

    fn block_end(&mut self) {
        self.flush();
        self.needs_separator = true;
    }

    /// Adds inline text in `style`, starting the line (with its prefix) if needed.
    fn inline_text(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        if let Some(link) = self.links.last_mut() {
            link.text.push_str(text);
        }
        self.ensure_line();
        let text = text.replace(['\n', '\r'], " ");
        self.current.push(Span::styled(text, style));
    }

    /// Gives the current line its prefix: quote bars, then list indentation or marker.
    fn ensure_line(&mut self) {
        if self.line_started {
            return;
        }
        self.line_started = true;
        if self.quote_depth > 0 {
            let style = self.styles.text.patch(self.styles.rule);
            self.current
                .push(Span::styled("│ ".repeat(self.quote_depth), style));
        }
        if let Some(level) = self.lists.last() {
            let indent = "  ".repeat(self.lists.len() - 1);
            match self.pending_marker.take() {
                Some(marker) => {
                    if !indent.is_empty() {
                        self.current.push(Span::styled(indent, self.styles.text));
                    }
                    let style = self.styles.text.patch(self.styles.bullet);
                    self.current.push(Span::styled(marker, style));
                }
                None => {
                    let pad = format!("{indent}{}", " ".repeat(level.marker_width));
                    if !pad.is_empty() {
                        self.current.push(Span::styled(pad, self.styles.text));
                    }
                }
            }
        }
    }

    /// Ends the current line, if one was started.
    fn flush(&mut self) {
        if self.line_started {
            self.lines
                .push(Line::from(std::mem::take(&mut self.current)));
            self.line_started = false;
        }
    }
}

/// Removes HTML tags (`<...>`) and comments, keeping the text between them.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let close = if after.starts_with("<!--") {
            after.find("-->").map(|end| end + 3)
        } else {
            after.find('>').map(|end| end + 1)
        };
        match close {
            Some(end) => rest = &after[end..],
            None => {
                // Not a tag after all: keep the text.
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};

    fn styles() -> MdStyles {
        MdStyles {
            text: Style::new().fg(Color::White),
            heading: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            strong: Style::new().add_modifier(Modifier::BOLD),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            code: Style::new().fg(Color::Yellow),
            bullet: Style::new().fg(Color::Green),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            rule: Style::new().fg(Color::DarkGray),
        }
    }

    fn plain(text: &Text<'_>) -> Vec<String> {
        text.lines
            .iter()
            .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    fn render(markdown: &str) -> Vec<String> {
        plain(&to_text(markdown, &styles()))
    }

    #[test]
    fn paragraphs_are_separated_by_one_blank_line() {
        assert_eq!(
            render("First line\ncontinues.\n\n\n\nSecond."),
            ["First line continues.", "", "Second."]
        );
    }

    #[test]
    fn empty_input_gives_no_lines() {
        assert!(render("").is_empty());
        assert!(render("\n\n  \n").is_empty());
    }

    #[test]
    fn bold_and_emphasis_carry_their_styles() {
        let s = styles();
        let text = to_text("plain **bold** and *em* end", &s);
        assert_eq!(text.lines.len(), 1);
        let spans = &text.lines[0].spans;
        let find = |content: &str| {
            spans
                .iter()
                .find(|span| span.content == content)
                .map(|span| span.style)
        };
        assert_eq!(find("plain "), Some(s.text));
        assert_eq!(find("bold"), Some(s.text.patch(s.strong)));
        assert_eq!(find("em"), Some(s.text.patch(s.emphasis)));
        assert_eq!(find(" end"), Some(s.text));
    }

    #[test]
    fn bold_inside_heading_keeps_heading_colour() {
        let s = MdStyles {
            strong: Style::new().add_modifier(Modifier::UNDERLINED),
            ..styles()
        };
        let text = to_text("## Title **loud**\n\nBody", &s);
        assert_eq!(plain(&text), ["Title loud", "", "Body"]);
        let loud = &text.lines[0].spans[1];
        assert_eq!(loud.content, "loud");
        assert_eq!(loud.style.fg, Some(Color::Cyan));
        assert!(loud.style.add_modifier.contains(Modifier::BOLD));
        assert!(loud.style.add_modifier.contains(Modifier::UNDERLINED));
        assert_eq!(text.lines[0].spans[0].style, s.text.patch(s.heading));
    }

    #[test]
    fn inline_code_keeps_text_without_backticks() {
        let s = styles();
        let text = to_text("Run `aws sts get-caller-identity` now.", &s);
        assert_eq!(plain(&text), ["Run aws sts get-caller-identity now."]);
        let code = &text.lines[0].spans[1];
        assert_eq!(code.content, "aws sts get-caller-identity");
        assert_eq!(code.style, s.text.patch(s.code));
    }

    #[test]
    fn nested_list_is_indented() {
        assert_eq!(
            render("- One\n  - Inner a\n  - Inner b\n- Two"),
            ["• One", "  • Inner a", "  • Inner b", "• Two"]
        );
    }

    #[test]
    fn bullet_marker_uses_bullet_style() {
        let s = styles();
        let text = to_text("- item", &s);
        assert_eq!(text.lines[0].spans[0].content, "• ");
        assert_eq!(text.lines[0].spans[0].style, s.text.patch(s.bullet));
    }

    #[test]
    fn ordered_list_numbers_from_start() {
        assert_eq!(
            render("3. Three\n4. Four\n5. Five"),
            ["3. Three", "4. Four", "5. Five"]
        );
        assert_eq!(render("1. a\n1. b"), ["1. a", "2. b"]);
    }

    #[test]
    fn loose_list_has_no_blank_lines_inside() {
        assert_eq!(
            render("Intro\n\n- One\n\n- Two\n\nAfter"),
            ["Intro", "", "• One", "• Two", "", "After"]
        );
    }

    #[test]
    fn code_block_is_indented_in_code_style() {
        let s = styles();
        let text = to_text(
            "Before\n\n```sh\naws s3 ls\n  --recursive\n```\n\nAfter",
            &s,
        );
        assert_eq!(
            plain(&text),
            ["Before", "", "  aws s3 ls", "    --recursive", "", "After"]
        );
        assert_eq!(text.lines[2].spans[0].style, s.text.patch(s.code));
        assert_eq!(render("    indented code\n"), ["  indented code"]);
    }

    #[test]
    fn link_shows_text_and_url() {
        let s = styles();
        let text = to_text("See [the docs](https://example.com/x) please.", &s);
        assert_eq!(
            plain(&text),
            ["See the docs (https://example.com/x) please."]
        );
        let link = &text.lines[0].spans[1];
        assert_eq!(link.content, "the docs");
        assert_eq!(link.style, s.text.patch(s.link));
        assert_eq!(
            render("<https://example.com>"),
            ["https://example.com"],
            "autolink text equals url"
        );
    }

    #[test]
    fn breaks_rules_and_quotes() {
        assert_eq!(render("a  \nb"), ["a", "b"]);
        assert_eq!(render("a\n\n---\n\nb"), ["a", "", &"─".repeat(40), "", "b"]);
        assert_eq!(render("> quoted\n> text"), ["│ quoted text"]);
        assert_eq!(render("> one\n>\n> two"), ["│ one", "│", "│ two"]);
    }

    #[test]
    fn html_keeps_its_text() {
        assert_eq!(render("Hello <b>there</b> you"), ["Hello there you"]);
        assert_eq!(render("<div>\nInside\n</div>"), ["Inside"]);
    }

    #[test]
    fn four_part_guidance_shape() {
        let markdown = "**What it asks.** Text.\n\n**Typical evidence**\n\n- One\n- Two\n\n**Where it usually fails.** Text.";
        assert_eq!(
            render(markdown),
            [
                "What it asks. Text.",
                "",
                "Typical evidence",
                "",
                "• One",
                "• Two",
                "",
                "Where it usually fails. Text.",
            ]
        );
    }

    #[test]
    fn no_trailing_blank_line() {
        let lines = render("# Head\n\nPara\n\n- a\n\n");
        assert_eq!(lines, ["Head", "", "Para", "", "• a"]);
    }
}
