//! Fields changed two ways: where each conflict came from (which says what "ours" and
//! "theirs" are), and the resolve screen's state, kept here because a save that merges in a
//! teammate's changes opens that screen by itself.

use crate::merge::Conflict;
use crate::safe::terminal;
use crate::team::{self, Side};

use super::nav::Screen;

/// Where a conflict came from, which says what "ours" and "theirs" are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A git merge that stopped with conflict markers: ours is the branch merged into, theirs
    /// the branch merged in, each named by its marker's label (`HEAD`, `cto`) when it has one.
    Git { ours: String, theirs: String },
    /// The wizard merged what changed in the file on disk with what changed in this window.
    Disk,
    /// In the file when it was opened: recorded by an earlier merge, most likely git's.
    Recorded,
}

impl Origin {
    /// The heading above our value.
    pub fn ours_heading(&self) -> String {
        match self {
            Origin::Git { ours, .. } => side_heading("Ours", ours, "the branch merged into"),
            Origin::Disk => "Yours (this window)".into(),
            Origin::Recorded => {
                "Ours: the value the file holds now (in a git merge, the branch merged into)".into()
            }
        }
    }

    /// The heading above their value.
    pub fn theirs_heading(&self) -> String {
        match self {
            Origin::Git { theirs, .. } => side_heading("Theirs", theirs, "the branch merged in"),
            Origin::Disk => "On disk (changed meanwhile)".into(),
            Origin::Recorded => {
                "Theirs: the other version (in a git merge, the branch merged in)".into()
            }
        }
    }

    /// How a side is named in messages and hints: "ours", "yours", "the version on disk".
    pub fn word(&self, side: Side) -> &'static str {
        match (self, side) {
            (Origin::Disk, Side::Ours) => "yours",
            (Origin::Disk, Side::Theirs) => "the version on disk",
            (_, Side::Ours) => "ours",
            (_, Side::Theirs) => "theirs",
        }
    }

    /// The same, short enough for the footer.
    pub fn hint(&self, side: Side) -> &'static str {
        match (self, side) {
            (Origin::Disk, Side::Theirs) => "disk's",
            (o, side) => o.word(side),
        }
    }
}

fn side_heading(side: &str, label: &str, what: &str) -> String {
    let label = label.trim();
    if label.is_empty() {
        format!("{side}: {what}")
    } else {
        format!("{side}: {}, {what}", terminal(label))
    }
}

/// The resolve screen's state.
#[derive(Debug, Clone)]
pub struct ResolveView {
    /// The selected conflict, an index into `project.conflicts`.
    pub selected: usize,
    /// How far the values pane is scrolled.
    pub scroll: u16,
    /// The screen the user came from: Esc and the last resolution go back there.
    pub back: Screen,
    /// Where each conflict came from, by its path; one not listed was in the file when it
    /// was opened.
    origins: Vec<(Vec<String>, Origin)>,
}

impl Default for ResolveView {
    fn default() -> Self {
        ResolveView {
            selected: 0,
            scroll: 0,
            back: Screen::Interview,
            origins: Vec::new(),
        }
    }
}

impl ResolveView {
    pub fn origin(&self, at: &[String]) -> Origin {
        self.origins
            .iter()
            .rev()
            .find(|(a, _)| a == at)
            .map_or(Origin::Recorded, |(_, o)| o.clone())
    }

    /// Records where the conflicts at these paths came from.
    pub fn note(&mut self, ats: impl IntoIterator<Item = Vec<String>>, origin: &Origin) {
        for at in ats {
            self.origins.retain(|(a, _)| *a != at);
            self.origins.push((at, origin.clone()));
        }
    }
}

/// The sides of the file's git conflict markers, named by their labels, if it has any.
pub fn marker_origin(text: Option<&str>) -> Option<Origin> {
    let text = text.filter(|t| team::has_markers(t))?;
    let sides = crate::merge::split_markers(text)?;
    Some(Origin::Git {
        ours: sides.ours_label,
        theirs: sides.theirs_label,
    })
}

/// Fields people write in their own words (a required value too, which is checked when
/// kept); a status, a date or a path is kept from one side.
fn is_text_field(at: &[String]) -> bool {
    let last = at.last().map_or("", String::as_str);
    let texts = [
        "response", "reason", "notes", "what", "owner", "company", "product", "name", "email",
        "label",
    ];
    texts.contains(&last) || (at.len() >= 2 && at[at.len() - 2] == "values")
}

/// The text `e` starts from: ours, when the conflict is over a text (`None` otherwise).
pub fn editable(c: &Conflict) -> Option<String> {
    use toml::Value::String as S;
    if !is_text_field(&c.at) {
        return None;
    }
    match (&c.ours, &c.theirs) {
        (Some(S(ours)), Some(S(_)) | None) => Some(ours.clone()),
        (None, Some(S(_))) => Some(String::new()),
        _ => None,
    }
}

/// Whether the text at `at` is one that takes several lines.
pub fn multiline(at: &[String], text: &str) -> bool {
    text.contains('\n')
        || at
            .last()
            .is_some_and(|k| matches!(k.as_str(), "response" | "reason" | "notes" | "what"))
}
