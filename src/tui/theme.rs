//! The one place for styles. Colour carries meaning (met, gap, not applicable, unanswered),
//! and every such colour comes with a symbol and a text modifier, so the screen still reads
//! with `NO_COLOR` set or on a monochrome terminal.

use ratatui::style::{Color, Modifier, Style};

use super::widgets::markdown::MdStyles;
use super::widgets::picker::PickerStyles;
use crate::assessment::Status;
use crate::assessment::readiness::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub const COLOR: Theme = Theme { color: true };
    pub const MONO: Theme = Theme { color: false };

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn text(&self) -> Style {
        Style::new()
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray).add_modifier(if self.color {
            Modifier::empty()
        } else {
            Modifier::DIM
        })
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// The selected row of a list.
    pub fn selected(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The border of the pane that has the keyboard.
    pub fn focus_border(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    /// The colour of a control's status; met is plain, gaps bold, n/a dim, unanswered italic,
    /// so monochrome terminals keep the distinction.
    pub fn status(&self, status: Status) -> Style {
        match status {
            Status::Met => self.fg(Color::Green),
            Status::NotMet => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::NotApplicable => self.fg(Color::Blue).add_modifier(if self.color {
                Modifier::empty()
            } else {
                Modifier::DIM
            }),
            Status::Unanswered => self.fg(Color::Yellow).add_modifier(Modifier::ITALIC),
        }
    }

    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error(),
            Severity::Warning => self.warning(),
        }
    }

    pub fn markdown(&self) -> MdStyles {
        MdStyles {
            text: Style::new(),
            heading: self.title(),
            strong: Style::new().add_modifier(Modifier::BOLD),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            code: self.fg(Color::Magenta),
            bullet: self.accent(),
            link: self.accent().add_modifier(Modifier::UNDERLINED),
            rule: self.dim(),
        }
    }

    pub fn picker(&self) -> PickerStyles {
        PickerStyles {
            border: self.focus_border(),
            title: self.title(),
            dir: self.accent().add_modifier(Modifier::BOLD),
            file: Style::new(),
            selected: self.selected(),
            hint: self.dim(),
            error: self.error(),
        }
    }
}

/// The symbol shown beside a control: readable without colour.
pub fn status_mark(status: Status) -> &'static str {
    match status {
        Status::Met => "✓",
        Status::NotMet => "✗",
        Status::NotApplicable => "–",
        Status::Unanswered => "·",
    }
}
