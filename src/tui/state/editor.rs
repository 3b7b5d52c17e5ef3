//! The text editor of a field: what it edits ([`Target`]) and the text typed. Its keys, and
//! how its text becomes a change, are the app's (`app::editing`).

use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::edit::AttachTo;
use super::nav::{Field, ProfileRow};

/// What a text editor is editing; its text is committed when the user leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Profile(ProfileRow),
    PrereqCount(String),
    Answer {
        control: String,
        field: Field,
    },
    /// AWS's workbook the export fills (`ftr set template`): a path; Tab completes.
    Template,
    /// A checklist file to install (`ftr checklists add FILE`): a path; Tab completes.
    InstallChecklist,
    /// A path typed to attach; Tab completes.
    NewEvidence {
        to: AttachTo,
    },
    EvidenceLabel {
        to: AttachTo,
        path: String,
    },
    EvidenceDate {
        to: AttachTo,
        path: String,
    },
    /// The text to keep for a field changed two ways (at its path in the project file).
    Conflict {
        at: Vec<String>,
    },
}

impl Target {
    /// The editor takes a path (Tab completes; Esc cancels rather than saves).
    pub fn is_path(&self) -> bool {
        matches!(
            self,
            Target::NewEvidence { .. } | Target::Template | Target::InstallChecklist
        )
    }
}

pub struct Editor {
    pub target: Target,
    pub area: TextArea<'static>,
    pub multiline: bool,
    /// Completion candidates shown under a path being typed.
    pub candidates: Vec<String>,
    /// How many more names match than `candidates` holds.
    pub beyond: usize,
    /// Set when the typed value was refused; shown under the field.
    pub error: Option<String>,
}

impl Editor {
    pub fn new(target: Target, text: &str, multiline: bool) -> Editor {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.split('\n').map(str::to_string).collect()
        };
        let mut area = TextArea::new(lines);
        area.set_wrap_mode(if multiline {
            WrapMode::WordOrGlyph
        } else {
            WrapMode::None
        });
        area.set_cursor_line_style(ratatui::style::Style::default());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Editor {
            target,
            area,
            multiline,
            candidates: Vec::new(),
            beyond: 0,
            error: None,
        }
    }

    pub fn text(&self) -> String {
        let text = self.area.lines().join("\n");
        if self.multiline {
            text.trim_end().to_string()
        } else {
            text.trim().to_string()
        }
    }
}

/// A request the run loop carries out outside the terminal ($EDITOR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalEdit {
    pub control: String,
    pub text: String,
}
