//! What changed between two versions of a checklist, by control id: added, removed,
//! reworded (the requirement's fingerprint differs), renamed, moved between sections or
//! domains, and changed scoping questions, cadences and required values.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{Checklist, Control, Scoping};

/// Each item of `items` by its id, the first of any that share one (as a scan from the
/// front would find it): lookups in constant time, so a diff is linear in the controls.
fn by_id<'a, T>(items: &'a [T], id: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, &'a T> {
    let mut map = HashMap::with_capacity(items.len());
    for item in items {
        map.entry(id(item)).or_insert(item);
    }
    map
}

/// The ids of `checklist`'s controls in ASCII upper case, the way [`Checklist::control`]
/// matches them.
fn ids_any_case(checklist: &Checklist) -> HashSet<String> {
    checklist
        .controls
        .iter()
        .map(|c| c.id.to_ascii_uppercase())
        .collect()
}

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
        let before = ids_any_case(from);
        let reworded = self.reworded_ids();
        to.controls
            .iter()
            .filter(|c| before.contains(&c.id.to_ascii_uppercase()))
            .filter(|c| !reworded.contains(c.id.as_str()))
            .map(|c| c.id.as_str())
            .collect()
    }

    /// The ids of the reworded controls, for lookups in constant time.
    pub fn reworded_ids(&self) -> HashSet<&str> {
        self.reworded.iter().map(|r| r.id.as_str()).collect()
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

fn scoping_text(q: &Scoping) -> String {
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
    controls(&mut d, a, b);
    scoping(&mut d, a, b);
    d
}

/// The controls' part of the diff: one pass over each version, lookups by id.
fn controls(d: &mut Diff, a: &Checklist, b: &Checklist) {
    let before = by_id(&a.controls, |c| c.id.as_str());
    let after = by_id(&b.controls, |c| c.id.as_str());
    for new in &b.controls {
        let Some(&old) = before.get(new.id.as_str()) else {
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
        if !after.contains_key(old.id.as_str()) {
            d.removed.push(ControlRef {
                id: old.id.clone(),
                title: old.title.clone(),
            });
        }
    }
}

/// The scoping questions' part of the diff.
fn scoping(d: &mut Diff, a: &Checklist, b: &Checklist) {
    let before = by_id(&a.scoping, |q| q.id.as_str());
    let after = by_id(&b.scoping, |q| q.id.as_str());
    for q in &b.scoping {
        match before.get(q.id.as_str()).copied() {
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
        if !after.contains_key(o.id.as_str()) {
            d.scoping.push(ScopingChange {
                id: o.id.clone(),
                kind: "removed",
                before: scoping_text(o),
                after: String::new(),
            });
        }
    }
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::Library;

    /// A checklist of `n` small controls cut from a built-in one, ids `C-0` .. `C-{n-1}`
    /// starting at `from`, each question ending in `tag`.
    pub(crate) fn big(n: usize, from: usize, tag: &str) -> Checklist {
        let mut c = Library::embedded().unwrap().checklists.remove(0);
        let mut model = c.controls[0].clone();
        model.guidance = "g".into();
        model.rows.clear();
        model.pass = None;
        c.scoping.clear();
        c.controls = (from..from + n)
            .map(|i| {
                let mut k = model.clone();
                k.id = format!("C-{i}");
                k.title = format!("Control {i}");
                k.question = format!("Question {i} {tag}");
                k.fingerprint = crate::content::requirement_fingerprint(&k.question);
                k
            })
            .collect();
        c
    }

    /// 100,000 controls a side: a diff that scanned a list for every control would make
    /// some 10^10 string comparisons (minutes); keyed by id it is a second or so.
    #[test]
    fn a_diff_is_linear_in_the_controls() {
        let n = 100_000;
        let a = big(n, 0, "");
        let mut b = big(n, 10, "");
        b.version = "next".into();
        b.controls[0].question.push_str(" reworded");
        b.controls[0].fingerprint =
            crate::content::requirement_fingerprint(&b.controls[0].question);
        let d = diff(&a, &b);
        assert_eq!(d.added.len(), 10);
        assert_eq!(d.added[0].id, "C-100000");
        assert_eq!(d.removed.len(), 10);
        assert_eq!(d.removed[9].id, "C-9");
        assert_eq!(d.reworded.len(), 1);
        assert_eq!(d.reworded[0].id, "C-10");
        let unchanged = d.unchanged(&b, &a);
        assert_eq!(unchanged.len(), n - 11);
        assert_eq!(unchanged[0], "C-11");
    }

    #[test]
    fn ids_match_exactly_in_the_diff_and_in_any_case_for_what_is_carried() {
        let a = big(3, 0, "");
        let mut b = big(3, 0, "");
        b.controls[1].id = "c-1".into();
        let d = diff(&a, &b);
        assert_eq!(d.added.iter().map(|c| &c.id).collect::<Vec<_>>(), ["c-1"]);
        assert_eq!(d.removed.iter().map(|c| &c.id).collect::<Vec<_>>(), ["C-1"]);
        assert_eq!(d.unchanged(&b, &a), ["C-0", "c-1", "C-2"]);
    }
}
