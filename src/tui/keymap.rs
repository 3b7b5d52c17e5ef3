//! Every key binding, named once. The same table drives the handlers, the footer hints and
//! the `?` help overlay, so they cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for. Screens decide what each means where they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmd {
    Quit,
    Help,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    NextPane,
    PrevPane,
    NextStep,
    PrevStep,
    Open,
    Back,
    Yes,
    No,
    Unset,
    Met,
    NotMet,
    NotApplicable,
    Unanswered,
    Edit,
    ExternalEditor,
    AddPath,
    Browse,
    Reuse,
    Remove,
    Label,
    Produced,
    Review,
    Changes,
    Reviewed,
    KeepTheirs,
    Resolve,
    Undo,
    Redo,
    Search,
    AllowIncomplete,
    AllowSecrets,
    /// Shows the last message whole, when the footer had to cut it.
    Message,
}

/// One binding: the keys, the command, and the words shown for it.
pub struct Binding {
    pub keys: &'static [Key],
    pub cmd: Cmd,
    /// Short label for the footer, e.g. "quit".
    pub hint: &'static str,
    /// How the keys are written, e.g. "q".
    pub shown: &'static str,
    /// Where it works, for the help overlay.
    pub context: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    Shift(KeyCode),
}

impl Key {
    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        if alt {
            return false;
        }
        match self {
            Key::Char(c) => !ctrl && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::Code(code) => {
                !ctrl && ev.code == code && !ev.modifiers.contains(KeyModifiers::SHIFT)
            }
            Key::Shift(code) => ev.code == code && ev.modifiers.contains(KeyModifiers::SHIFT),
        }
    }
}

use Key::{Char, Code, Ctrl, Shift};

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[Char('q'), Ctrl('c')],
        cmd: Cmd::Quit,
        hint: "quit",
        shown: "q Ctrl-C",
        context: "anywhere (saves first)",
    },
    Binding {
        keys: &[Char('?'), Code(KeyCode::F(1))],
        cmd: Cmd::Help,
        hint: "help",
        shown: "?",
        context: "anywhere",
    },
    Binding {
        keys: &[Code(KeyCode::Up), Char('k')],
        cmd: Cmd::Up,
        hint: "up",
        shown: "↑ k",
        context: "lists and fields",
    },
    Binding {
        keys: &[Code(KeyCode::Down), Char('j')],
        cmd: Cmd::Down,
        hint: "down",
        shown: "↓ j",
        context: "lists and fields",
    },
    Binding {
        keys: &[Code(KeyCode::Left), Char('h')],
        cmd: Cmd::Left,
        hint: "left",
        shown: "← h",
        context: "choices",
    },
    Binding {
        keys: &[Code(KeyCode::Right), Char('l')],
        cmd: Cmd::Right,
        hint: "right",
        shown: "→ l",
        context: "choices",
    },
    Binding {
        keys: &[Code(KeyCode::PageUp), Ctrl('u')],
        cmd: Cmd::PageUp,
        hint: "page up",
        shown: "PgUp Ctrl-U",
        context: "lists and guidance",
    },
    Binding {
        keys: &[Code(KeyCode::PageDown), Ctrl('d')],
        cmd: Cmd::PageDown,
        hint: "page down",
        shown: "PgDn Ctrl-D",
        context: "lists and guidance",
    },
    Binding {
        keys: &[Code(KeyCode::Home), Char('g')],
        cmd: Cmd::Home,
        hint: "first",
        shown: "Home g",
        context: "lists",
    },
    Binding {
        keys: &[Code(KeyCode::End), Char('G')],
        cmd: Cmd::End,
        hint: "last",
        shown: "End G",
        context: "lists",
    },
    Binding {
        keys: &[Code(KeyCode::Tab)],
        cmd: Cmd::NextPane,
        hint: "next pane",
        shown: "Tab",
        context: "between panes",
    },
    Binding {
        keys: &[
            Code(KeyCode::BackTab),
            Shift(KeyCode::Tab),
            Shift(KeyCode::BackTab),
        ],
        cmd: Cmd::PrevPane,
        hint: "previous pane",
        shown: "Shift-Tab",
        context: "between panes",
    },
    Binding {
        keys: &[Char(']')],
        cmd: Cmd::NextStep,
        hint: "next step",
        shown: "]",
        context: "anywhere",
    },
    Binding {
        keys: &[Char('[')],
        cmd: Cmd::PrevStep,
        hint: "previous step",
        shown: "[",
        context: "anywhere",
    },
    Binding {
        keys: &[Code(KeyCode::Enter)],
        cmd: Cmd::Open,
        hint: "open",
        shown: "Enter",
        context: "select, edit, jump; export: build the bundle",
    },
    Binding {
        keys: &[Code(KeyCode::Esc)],
        cmd: Cmd::Back,
        hint: "back",
        shown: "Esc",
        context: "leave a field or popup; from the answer pane to the list; from the review to where r was pressed",
    },
    Binding {
        keys: &[Char('y')],
        cmd: Cmd::Yes,
        hint: "yes",
        shown: "y",
        context: "scoping, prerequisites, confirmations",
    },
    Binding {
        keys: &[Char('n')],
        cmd: Cmd::No,
        hint: "no",
        shown: "n",
        context: "scoping, prerequisites, confirmations; elsewhere: the next unanswered control",
    },
    Binding {
        keys: &[Char('-'), Code(KeyCode::Backspace)],
        cmd: Cmd::Unset,
        hint: "clear",
        shown: "- Bksp",
        context: "scoping, prerequisites",
    },
    Binding {
        keys: &[Char('m')],
        cmd: Cmd::Met,
        hint: "met",
        shown: "m",
        context: "interview: mark met",
    },
    Binding {
        keys: &[Char('x')],
        cmd: Cmd::NotMet,
        hint: "not met",
        shown: "x",
        context: "interview: mark not met (a gap)",
    },
    Binding {
        keys: &[Char('a')],
        cmd: Cmd::NotApplicable,
        hint: "n/a",
        shown: "a",
        context: "interview: mark not applicable",
    },
    Binding {
        keys: &[Char('u')],
        cmd: Cmd::Unanswered,
        hint: "unanswered",
        shown: "u",
        context: "interview: clear the status",
    },
    Binding {
        keys: &[Char('e')],
        cmd: Cmd::Edit,
        hint: "edit",
        shown: "e Enter",
        context: "edit the selected field (on Status: the response); resolve: edit our text",
    },
    Binding {
        keys: &[Char('E'), Ctrl('e')],
        cmd: Cmd::ExternalEditor,
        hint: "$EDITOR",
        shown: "E Ctrl-E",
        context: "write the response in $EDITOR",
    },
    Binding {
        keys: &[Char('f')],
        cmd: Cmd::AddPath,
        hint: "add file",
        shown: "f",
        context: "interview, profile: attach a file by path (Tab completes); export: the path of AWS's workbook to fill",
    },
    Binding {
        keys: &[Char('b')],
        cmd: Cmd::Browse,
        hint: "browse",
        shown: "b",
        context: "interview, profile: attach a file from a browser that filters as you type; export: choose AWS's workbook to fill",
    },
    Binding {
        keys: &[Char('o')],
        cmd: Cmd::Reuse,
        hint: "reuse file",
        shown: "o",
        context: "interview: attach a file attached elsewhere (another control, the diagram, a report), or record one of this control's anew; resolve: keep ours",
    },
    Binding {
        keys: &[Char('d'), Code(KeyCode::Delete)],
        cmd: Cmd::Remove,
        hint: "remove",
        shown: "d Del",
        context: "interview, profile: detach the selected file",
    },
    Binding {
        keys: &[Char('L')],
        cmd: Cmd::Label,
        hint: "label",
        shown: "L",
        context: "interview, profile: label the selected file",
    },
    Binding {
        keys: &[Char('D')],
        cmd: Cmd::Produced,
        hint: "date",
        shown: "D",
        context: "interview, profile: when the selected file was produced",
    },
    Binding {
        keys: &[Char('r')],
        cmd: Cmd::Review,
        hint: "review",
        shown: "r",
        context: "anywhere: the readiness review",
    },
    Binding {
        keys: &[Char('c')],
        cmd: Cmd::Changes,
        hint: "changes",
        shown: "c",
        context: "a newer checklist version: what changed, and moving to it",
    },
    Binding {
        keys: &[Char('v')],
        cmd: Cmd::Reviewed,
        hint: "reviewed",
        shown: "v",
        context: "interview: confirm an answer to a reworded control (marked ?)",
    },
    Binding {
        keys: &[Char('t')],
        cmd: Cmd::KeepTheirs,
        hint: "keep theirs",
        shown: "t",
        context: "resolve: keep the other side's value",
    },
    Binding {
        keys: &[Char('M')],
        cmd: Cmd::Message,
        hint: "whole message",
        shown: "M",
        context: "anywhere a message is too long for the footer's three lines: all of it",
    },
    Binding {
        keys: &[Char('R')],
        cmd: Cmd::Resolve,
        hint: "resolve",
        shown: "R",
        context: "anywhere while fields conflict: both values, to pick one",
    },
    Binding {
        keys: &[Char('/')],
        cmd: Cmd::Search,
        hint: "find",
        shown: "/",
        context: "anywhere: find a control by id or words, across domains",
    },
    Binding {
        keys: &[Char('z')],
        cmd: Cmd::Undo,
        hint: "undo",
        shown: "z",
        context: "anywhere outside a text field: undoes the last change (a burst of keys is one)",
    },
    Binding {
        keys: &[Char('Z'), Ctrl('r')],
        cmd: Cmd::Redo,
        hint: "redo",
        shown: "Z Ctrl-R",
        context: "anywhere outside a text field: makes the undone change again",
    },
    Binding {
        keys: &[Char('i')],
        cmd: Cmd::AllowIncomplete,
        hint: "allow draft",
        shown: "i",
        context: "export: build a draft although the review has errors (under its own names; off again after a build)",
    },
    Binding {
        keys: &[Char('s')],
        cmd: Cmd::AllowSecrets,
        hint: "allow secrets",
        shown: "s",
        context: "export: keep files flagged as secrets (after checking them; off again after a build)",
    },
];

/// The command a key press asks for, if any.
pub fn lookup(ev: &KeyEvent) -> Option<Cmd> {
    BINDINGS
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.cmd)
}

pub fn binding(cmd: Cmd) -> &'static Binding {
    BINDINGS
        .iter()
        .find(|b| b.cmd == cmd)
        .expect("every command has a binding")
}

/// Footer hints for these commands, as (keys, label) pairs.
pub fn hints(cmds: &[Cmd]) -> Vec<(&'static str, &'static str)> {
    cmds.iter()
        .map(|&c| {
            let b = binding(c);
            (b.shown.split(' ').next().unwrap_or(b.shown), b.hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen: Vec<Key> = Vec::new();
        for b in BINDINGS {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} bound twice");
                seen.push(*k);
            }
        }
    }

    #[test]
    fn keys_map_to_commands() {
        let k = |code, m| KeyEvent::new(code, m);
        assert_eq!(
            lookup(&k(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Cmd::Quit)
        );
        assert_eq!(
            lookup(&k(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Cmd::Quit)
        );
        assert_eq!(
            lookup(&k(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Cmd::Down)
        );
        assert_eq!(
            lookup(&k(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Cmd::PrevPane)
        );
        assert_eq!(
            lookup(&k(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Cmd::End)
        );
        assert_eq!(
            lookup(&k(KeyCode::Char('z'), KeyModifiers::NONE)),
            Some(Cmd::Undo)
        );
        assert_eq!(
            lookup(&k(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Cmd::Redo)
        );
        assert_eq!(lookup(&k(KeyCode::Char('w'), KeyModifiers::NONE)), None);
    }
}
