//! The review's selection, kept here because every refresh of the readiness report moves it
//! to follow the finding it was on.

use super::nav::Screen;
use crate::assessment::Slot;
use crate::assessment::readiness::{Code, Finding, Report};

/// The review's state: the selected finding, and the screen `r` opened it from (Esc goes back
/// there).
#[derive(Debug, Default)]
pub struct ReviewView {
    pub sel: usize,
    pub from: Option<Screen>,
}

impl ReviewView {
    /// Keeps the selection on the same finding when the report is made anew (each idle tick):
    /// the finding about the same thing (kind, control, slot, value, file) in the same words;
    /// else the same row while it is about the same thing (a size in the words changed); else
    /// the same occurrence of one about that thing (several scoping questions are unanswered);
    /// else the same row, within the list.
    pub fn follow(&mut self, before: Option<&Report>, after: Option<&Report>) {
        type Key = (
            Code,
            Option<String>,
            Option<Slot>,
            Option<String>,
            Option<String>,
        );
        let key = |f: &Finding| -> Key {
            (
                f.code,
                f.control.clone(),
                f.slot,
                f.value.clone(),
                f.file.clone(),
            )
        };
        let Some(after) = after else {
            return;
        };
        let last = after.findings.len().saturating_sub(1);
        let Some(old) = before.and_then(|r| r.findings.get(self.sel)) else {
            self.sel = self.sel.min(last);
            return;
        };
        let k = key(old);
        if let Some(i) = after
            .findings
            .iter()
            .position(|f| key(f) == k && f.message == old.message)
        {
            self.sel = i;
            return;
        }
        if after.findings.get(self.sel).is_some_and(|f| key(f) == k) {
            return;
        }
        let nth = before.map_or(0, |r| {
            r.findings[..self.sel]
                .iter()
                .filter(|f| key(f) == k)
                .count()
        });
        self.sel = after
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| key(f) == k)
            .nth(nth)
            .map_or(self.sel.min(last), |(i, _)| i);
    }
}
