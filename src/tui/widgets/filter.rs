//! Text typed to narrow a list (the file browser, the files to reuse): the keys that edit it,
//! how it matches, and how it reads on screen. One behaviour for every list that filters.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The filter after `key`, when the key edits it: a character typed adds to it, Backspace
/// takes the last one back, Ctrl-U and Esc clear it. `None` for any other key, and for
/// Backspace and Esc with nothing typed, which the list gives a meaning of its own (the parent
/// folder, closing).
pub fn edited(filter: &str, key: &KeyEvent) -> Option<String> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Esc if !filter.is_empty() => Some(String::new()),
        KeyCode::Char('u') if ctrl && !alt => Some(String::new()),
        KeyCode::Char(c) if !ctrl && !alt && !c.is_control() => Some(format!("{filter}{c}")),
        KeyCode::Backspace if !filter.is_empty() => {
            let mut shorter = filter.to_string();
            shorter.pop();
            Some(shorter)
        }
        _ => None,
    }
}

/// Whether `text` holds `filter`, whatever the letter case.
pub fn matches(filter: &str, text: &str) -> bool {
    text.to_lowercase().contains(&filter.to_lowercase())
}

/// "Filter: rep▏ · 2 of 14": what was typed, escaped for the terminal, and how many of the
/// rows it looks at it lets through.
pub fn shown(filter: &str, matching: usize, of: usize) -> String {
    format!(
        "Filter: {}▏ · {matching} of {of}",
        crate::safe::terminal(filter)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn keys_edit_the_filter_and_leave_the_rest_to_the_list() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            edited("re", &key(KeyCode::Char('p'), none)),
            Some("rep".into())
        );
        assert_eq!(
            edited("", &key(KeyCode::Char('J'), KeyModifiers::SHIFT)),
            Some("J".into())
        );
        assert_eq!(
            edited("rep", &key(KeyCode::Backspace, none)),
            Some("re".into())
        );
        assert_eq!(edited("rep", &key(KeyCode::Esc, none)), Some(String::new()));
        let ctrl_u = key(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(edited("rep", &ctrl_u), Some(String::new()));
        // With nothing typed, Backspace and Esc are the list's; arrows always are.
        assert_eq!(edited("", &key(KeyCode::Backspace, none)), None);
        assert_eq!(edited("", &key(KeyCode::Esc, none)), None);
        assert_eq!(edited("rep", &key(KeyCode::Down, none)), None);
        assert_eq!(
            edited("rep", &key(KeyCode::Char('x'), KeyModifiers::ALT)),
            None
        );
    }

    #[test]
    fn matching_ignores_case_and_the_label_escapes() {
        assert!(matches("EVID", "docs/Evidence.pdf"));
        assert!(matches("", "anything"));
        assert!(!matches("evid", "docs/report.pdf"));
        assert_eq!(shown("a\u{1b}b", 2, 14), "Filter: a\\eb▏ · 2 of 14");
    }
}
