//! What changed between two versions of a checklist, by control id: added, removed,
//! reworded (the requirement's fingerprint differs), renamed, moved between sections or
//! domains, and changed scoping questions, cadences and required values.

use serde::Serialize;

use super::{Checklist, Control};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reworded {
    pub id: String,
    pub title: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub id: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopingChange {
    pub id: String,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// The question and the controls it switches off, before and after, as text.
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub from: String,
    pub to: String,
    pub added: Vec<ControlRef>,
    pub removed: Vec<ControlRef>,
    pub reworded: Vec<Reworded>,
    pub renamed: Vec<Change>,
    pub moved: Vec<Change>,
    pub scoping: Vec<ScopingChange>,
    pub cadences: Vec<Change>,
    pub values: Vec<Change>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.reworded.is_empty()
            && self.renamed.is_empty()
            && self.moved.is_empty()
            && self.scoping.is_empty()
            && self.cadences.is_empty()
            && self.values.is_empty()
    }

    /// Ids whose answers a migration carries as they are: in both, not reworded.
    pub fn unchanged<'a>(&self, to: &'a Checklist, from: &Checklist) -> Vec<&'a str> {
        to.controls
            .iter()
            .filter(|c| from.control(&c.id).is_some())
            .filter(|c| !self.reworded.iter().any(|r| r.id == c.id))
            .map(|c| c.id.as_str())
            .collect()
    }
}

fn place(c: &Control) -> String {
    format!("{} / {}", c.domain, c.section)
}

fn cadence(c: &Control) -> String {
    c.cadence
        .as_ref()
        .map_or("none".into(), |k| format!("{} ({} days)", k.label, k.days))
}

fn values(c: &Control) -> String {
    if c.values.is_empty() {
        return "none".into();
    }
    c.values
        .iter()
        .map(|v| format!("{} ({})", v.key, v.kind))
        .collect::<Vec<_>>()
        .join(", ")
}

fn scoping_text(q: &super::Scoping) -> String {
    let mut s = q.question.clone();
    if !q.off_when_no.is_empty() {
        s.push_str(&format!(" [no switches off {}]", q.off_when_no.join(", ")));
    }
    if !q.off_when_yes.is_empty() {
        s.push_str(&format!(
            " [yes switches off {}]",
            q.off_when_yes.join(", ")
        ));
    }
    s
}

/// The changes from `a` to `b`, in `b`'s order (removed ones in `a`'s).
pub fn diff(a: &Checklist, b: &Checklist) -> Diff {
    let mut d = Diff {
        from: a.spec(),
        to: b.spec(),
        added: Vec::new(),
        removed: Vec::new(),
        reworded: Vec::new(),
        renamed: Vec::new(),
        moved: Vec::new(),
        scoping: Vec::new(),
        cadences: Vec::new(),
        values: Vec::new(),
    };
    for new in &b.controls {
        let Some(old) = a.controls.iter().find(|c| c.id == new.id) else {
            d.added.push(ControlRef {
                id: new.id.clone(),
                title: new.title.clone(),
            });
            continue;
        };
        let change = |before: String, after: String| Change {
            id: new.id.clone(),
            before,
            after,
        };
        if old.fingerprint != new.fingerprint {
            d.reworded.push(Reworded {
                id: new.id.clone(),
                title: new.title.clone(),
                before: old.question.clone(),
                after: new.question.clone(),
            });
        }
        if old.title != new.title {
            d.renamed.push(change(old.title.clone(), new.title.clone()));
        }
        if place(old) != place(new) {
            d.moved.push(change(place(old), place(new)));
        }
        if cadence(old) != cadence(new) {
            d.cadences.push(change(cadence(old), cadence(new)));
        }
        if values(old) != values(new) {
            d.values.push(change(values(old), values(new)));
        }
    }
    for old in &a.controls {
        if !b.controls.iter().any(|c| c.id == old.id) {
            d.removed.push(ControlRef {
                id: old.id.clone(),
                title: old.title.clone(),
            });
        }
    }
    for q in &b.scoping {
        match a.scoping.iter().find(|o| o.id == q.id) {
            None => d.scoping.push(ScopingChange {
                id: q.id.clone(),
                kind: "added",
                before: String::new(),
                after: scoping_text(q),
            }),
            Some(o) if scoping_text(o) != scoping_text(q) => d.scoping.push(ScopingChange {
                id: q.id.clone(),
                kind: "changed",
                before: scoping_text(o),
                after: scoping_text(q),
            }),
            Some(_) => {}
        }
    }
    for o in &a.scoping {
        if !b.scoping.iter().any(|q| q.id == o.id) {
            d.scoping.push(ScopingChange {
                id: o.id.clone(),
                kind: "removed",
                before: scoping_text(o),
                after: String::new(),
            });
        }
    }
    d
}

/// The diff as `ftr checklists diff` prints it.
pub fn text(d: &Diff) -> String {
    use crate::safe::terminal;
    let mut out = format!("{} -> {}\n", d.from, d.to);
    if d.is_empty() {
        out.push_str("No control, scoping question, cadence or required value changed.\n");
        return out;
    }
    let list = |out: &mut String, head: &str, items: &[ControlRef]| {
        if items.is_empty() {
            return;
        }
        out.push_str(&format!("\n{head} ({}):\n", items.len()));
        for c in items {
            out.push_str(&format!(
                "  {:<11} {}\n",
                terminal(&c.id),
                terminal(&c.title)
            ));
        }
    };
    list(&mut out, "Added", &d.added);
    list(&mut out, "Removed", &d.removed);
    if !d.reworded.is_empty() {
        out.push_str(&format!(
            "\nReworded ({}): answers need a second look\n",
            d.reworded.len()
        ));
        for r in &d.reworded {
            out.push_str(&format!(
                "  {:<11} {}\n",
                terminal(&r.id),
                terminal(&r.title)
            ));
            out.push_str(&format!("    before: {}\n", terminal(&r.before)));
            out.push_str(&format!("    after:  {}\n", terminal(&r.after)));
        }
    }
    let changes = |out: &mut String, head: &str, items: &[Change]| {
        if items.is_empty() {
            return;
        }
        out.push_str(&format!("\n{head} ({}):\n", items.len()));
        for c in items {
            out.push_str(&format!(
                "  {:<11} {} -> {}\n",
                terminal(&c.id),
                terminal(&c.before),
                terminal(&c.after)
            ));
        }
    };
    changes(&mut out, "Renamed", &d.renamed);
    changes(&mut out, "Moved", &d.moved);
    changes(&mut out, "Cadence changed", &d.cadences);
    changes(&mut out, "Required values changed", &d.values);
    if !d.scoping.is_empty() {
        out.push_str(&format!("\nScoping questions ({}):\n", d.scoping.len()));
        for s in &d.scoping {
            out.push_str(&format!("  {} {}\n", s.kind, terminal(&s.id)));
            if !s.before.is_empty() {
                out.push_str(&format!("    before: {}\n", terminal(&s.before)));
            }
            if !s.after.is_empty() {
                out.push_str(&format!("    after:  {}\n", terminal(&s.after)));
            }
        }
    }
    out
}
