//! What changed between two versions of a checklist, by control id: added, removed,
//! reworded (the title, AWS's own words, or the requirement's fingerprint differs), moved
//! between sections or domains, workbook rows added, removed or changed, and changed second
//! domains, evidence expectations, scoping questions, cadences, required values and their
//! labels.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{Checklist, Control, Scoping, SheetRow};

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

/// Whether two texts have the same words, white space folded: a change of layout is no
/// rewording, as for [`super::requirement_fingerprint`].
pub fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// What a [`Reworded`] entry says changed.
pub const TITLE: &str = "title";
pub const QUESTION: &str = "question";

/// The kinds of a [`RowChange`] and a [`ScopingChange`].
pub const ADDED: &str = "added";
pub const REMOVED: &str = "removed";
pub const CHANGED: &str = "changed";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlRef {
    pub id: String,
    pub title: String,
}

/// A control whose words changed: its title (AWS's own words), its question (the
/// requirement's fingerprint), or both. Its answer needs a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reworded {
    pub id: String,
    /// The title in the later version.
    pub title: String,
    /// The question before and after: the same text when only the title changed.
    pub before: String,
    pub after: String,
    /// The title in the earlier version: the same as `title` when only the question changed.
    pub title_before: String,
    /// What was reworded: [`TITLE`], [`QUESTION`] or both, in that order.
    pub changed: Vec<&'static str>,
}

impl Reworded {
    pub fn title_changed(&self) -> bool {
        self.changed.contains(&TITLE)
    }

    pub fn question_changed(&self) -> bool {
        self.changed.contains(&QUESTION)
    }
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

/// A workbook row of a control in both versions, added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChange {
    /// The control the row belongs to.
    pub id: String,
    /// The row's id (`IAM-002.1`).
    pub row: String,
    /// [`ADDED`], [`REMOVED`] or [`CHANGED`] (its question or its choices).
    pub kind: &'static str,
    /// The row's question and its choices, before and after, as text; empty on the side
    /// the row is missing from.
    pub before: String,
    pub after: String,
}

impl RowChange {
    /// Whether the answer to the row's control needs a second look: a row added or changed
    /// asks what the answer's choices never answered; a row removed leaves the others as
    /// they were answered.
    pub fn needs_review(&self) -> bool {
        self.kind != REMOVED
    }
}

/// The label of a required value a control keeps (by key) in both versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueLabel {
    /// The control.
    pub id: String,
    /// The value's key.
    pub key: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub from: String,
    pub to: String,
    pub added: Vec<ControlRef>,
    pub removed: Vec<ControlRef>,
    /// Controls whose title or question changed.
    pub reworded: Vec<Reworded>,
    /// The title changes, each also in `reworded`: kept for the readers of `--json`, which
    /// listed them here before a new title counted as a rewording. The text and the wizard
    /// show them under reworded.
    pub renamed: Vec<Change>,
    pub moved: Vec<Change>,
    pub scoping: Vec<ScopingChange>,
    pub cadences: Vec<Change>,
    /// Required values added, removed or of another kind (by key and kind).
    pub values: Vec<Change>,
    /// The workbook rows of controls in both versions: added, removed or changed.
    pub rows: Vec<RowChange>,
    /// Second domains (`also`) changed.
    pub also: Vec<Change>,
    /// Whether a reviewer expects an evidence file, changed.
    pub evidence: Vec<Change>,
    /// The labels of required values kept by key, changed.
    pub value_labels: Vec<ValueLabel>,
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
            && self.rows.is_empty()
            && self.also.is_empty()
            && self.evidence.is_empty()
            && self.value_labels.is_empty()
    }

    /// Ids whose answers a migration carries as they are: in both, none to review.
    pub fn unchanged<'a>(&self, to: &'a Checklist, from: &Checklist) -> Vec<&'a str> {
        let before = ids_any_case(from);
        let review = self.review_ids();
        to.controls
            .iter()
            .filter(|c| before.contains(&c.id.to_ascii_uppercase()))
            .filter(|c| !review.contains(c.id.as_str()))
            .map(|c| c.id.as_str())
            .collect()
    }

    /// The ids of the controls whose answers a migration marks to review, in `to`'s order:
    /// reworded (title or question), or with a workbook row added or changed.
    pub fn to_review<'a>(&self, to: &'a Checklist) -> Vec<&'a str> {
        let review = self.review_ids();
        to.controls
            .iter()
            .map(|c| c.id.as_str())
            .filter(|id| review.contains(id))
            .collect()
    }

    /// The ids of [`Diff::to_review`], for lookups in constant time.
    pub fn review_ids(&self) -> HashSet<&str> {
        self.reworded
            .iter()
            .map(|r| r.id.as_str())
            .chain(
                self.rows
                    .iter()
                    .filter(|r| r.needs_review())
                    .map(|r| r.id.as_str()),
            )
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

fn also(c: &Control) -> String {
    c.also.map_or("none".into(), |d| d.name().to_string())
}

/// As the wizard's guidance pane says it.
fn evidence(c: &Control) -> String {
    if c.evidence {
        "evidence expected".into()
    } else {
        "the response is the evidence".into()
    }
}

/// A workbook row's question and its drop-down: `Have you set an RPO? [Yes / No]`.
fn row_text(r: &SheetRow) -> String {
    format!("{} [{}]", r.question, r.choices.join(" / "))
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
        rows: Vec::new(),
        also: Vec::new(),
        evidence: Vec::new(),
        value_labels: Vec::new(),
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
        control(d, old, new);
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

/// What changed in a control both versions have.
fn control(d: &mut Diff, old: &Control, new: &Control) {
    let change = |before: String, after: String| Change {
        id: new.id.clone(),
        before,
        after,
    };
    if let Some(r) = reworded(old, new) {
        if r.title_changed() {
            d.renamed
                .push(change(r.title_before.clone(), r.title.clone()));
        }
        d.reworded.push(r);
    }
    d.rows.extend(row_changes(old, new));
    for (list, of) in [
        (&mut d.moved, place as fn(&Control) -> String),
        (&mut d.also, also),
        (&mut d.cadences, cadence),
        (&mut d.evidence, evidence),
        (&mut d.values, values),
    ] {
        let (before, after) = (of(old), of(new));
        if before != after {
            list.push(change(before, after));
        }
    }
    for v in &new.values {
        if let Some(o) = old
            .value(&v.key)
            .filter(|o| !same_words(&o.label, &v.label))
        {
            d.value_labels.push(ValueLabel {
                id: new.id.clone(),
                key: v.key.clone(),
                before: o.label.clone(),
                after: v.label.clone(),
            });
        }
    }
}

/// The rewording of a control both versions have, if its title or question changed.
fn reworded(old: &Control, new: &Control) -> Option<Reworded> {
    let changed: Vec<&'static str> = [
        (!same_words(&old.title, &new.title), TITLE),
        (old.fingerprint != new.fingerprint, QUESTION),
    ]
    .into_iter()
    .filter(|(changed, _)| *changed)
    .map(|(_, what)| what)
    .collect();
    (!changed.is_empty()).then(|| Reworded {
        id: new.id.clone(),
        title: new.title.clone(),
        before: old.question.clone(),
        after: new.question.clone(),
        title_before: old.title.clone(),
        changed,
    })
}

/// The workbook rows of a control both versions have, added, changed (question or choices)
/// or removed: by row id, in `new`'s order, removed ones in `old`'s.
pub fn row_changes(old: &Control, new: &Control) -> Vec<RowChange> {
    let before = by_id(&old.rows, |r| r.id.as_str());
    let after = by_id(&new.rows, |r| r.id.as_str());
    let entry = |row: &SheetRow, kind: &'static str, before: String, after: String| RowChange {
        id: new.id.clone(),
        row: row.id.clone(),
        kind,
        before,
        after,
    };
    let mut out = Vec::new();
    for r in &new.rows {
        match before.get(r.id.as_str()).copied() {
            None => out.push(entry(r, ADDED, String::new(), row_text(r))),
            Some(o) if !same_words(&o.question, &r.question) || o.choices != r.choices => {
                out.push(entry(r, CHANGED, row_text(o), row_text(r)));
            }
            Some(_) => {}
        }
    }
    for o in &old.rows {
        if !after.contains_key(o.id.as_str()) {
            out.push(entry(o, REMOVED, row_text(o), String::new()));
        }
    }
    out
}

/// The scoping questions' part of the diff.
fn scoping(d: &mut Diff, a: &Checklist, b: &Checklist) {
    let before = by_id(&a.scoping, |q| q.id.as_str());
    let after = by_id(&b.scoping, |q| q.id.as_str());
    for q in &b.scoping {
        match before.get(q.id.as_str()).copied() {
            None => d.scoping.push(ScopingChange {
                id: q.id.clone(),
                kind: ADDED,
                before: String::new(),
                after: scoping_text(q),
            }),
            Some(o) if scoping_text(o) != scoping_text(q) => d.scoping.push(ScopingChange {
                id: q.id.clone(),
                kind: CHANGED,
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
                kind: REMOVED,
                before: scoping_text(o),
                after: String::new(),
            });
        }
    }
}

/// The heading of a section of the text, after a blank line, with its note.
fn head(out: &mut String, title: &str, n: usize, note: &str) {
    if note.is_empty() {
        out.push_str(&format!("\n{title} ({n}):\n"));
    } else {
        out.push_str(&format!("\n{title} ({n}): {note}\n"));
    }
}

/// The heading's note on the reworded controls.
pub const REWORDED_NOTE: &str = "answers need a second look";
/// The heading's note on the workbook rows.
pub const ROWS_NOTE: &str = "answers need a second look where a row was added or changed";

/// The diff as `ftr checklists diff` prints it.
pub fn text(d: &Diff) -> String {
    use crate::safe::terminal;
    let mut out = format!("{} -> {}\n", d.from, d.to);
    if d.is_empty() {
        out.push_str("No control, scoping question, cadence or required value changed.\n");
        return out;
    }
    let id = |id: &str| format!("  {:<11} ", terminal(id));
    let before_after = |out: &mut String, before: &str, after: &str| {
        if !before.is_empty() {
            out.push_str(&format!("    before: {}\n", terminal(before)));
        }
        if !after.is_empty() {
            out.push_str(&format!("    after:  {}\n", terminal(after)));
        }
    };
    let list = |out: &mut String, title: &str, items: &[ControlRef]| {
        if !items.is_empty() {
            head(out, title, items.len(), "");
        }
        for c in items {
            out.push_str(&format!("{}{}\n", id(&c.id), terminal(&c.title)));
        }
    };
    list(&mut out, "Added", &d.added);
    list(&mut out, "Removed", &d.removed);
    if !d.reworded.is_empty() {
        head(&mut out, "Reworded", d.reworded.len(), REWORDED_NOTE);
    }
    for r in &d.reworded {
        out.push_str(&format!("{}{}\n", id(&r.id), terminal(&r.title)));
        if r.title_changed() {
            out.push_str(&format!(
                "    title:  {} -> {}\n",
                terminal(&r.title_before),
                terminal(&r.title)
            ));
        }
        if r.question_changed() {
            before_after(&mut out, &r.before, &r.after);
        }
    }
    if !d.rows.is_empty() {
        head(&mut out, "Workbook rows", d.rows.len(), ROWS_NOTE);
    }
    for r in &d.rows {
        out.push_str(&format!("{}{} {}\n", id(&r.id), r.kind, terminal(&r.row)));
        before_after(&mut out, &r.before, &r.after);
    }
    let changes = |out: &mut String, title: &str, items: &[Change]| {
        if !items.is_empty() {
            head(out, title, items.len(), "");
        }
        for c in items {
            out.push_str(&format!(
                "{}{} -> {}\n",
                id(&c.id),
                terminal(&c.before),
                terminal(&c.after)
            ));
        }
    };
    changes(&mut out, "Moved", &d.moved);
    changes(&mut out, "Second domain changed", &d.also);
    changes(&mut out, "Cadence changed", &d.cadences);
    changes(&mut out, "Evidence changed", &d.evidence);
    changes(&mut out, "Required values changed", &d.values);
    if !d.value_labels.is_empty() {
        head(&mut out, "Value labels changed", d.value_labels.len(), "");
    }
    for v in &d.value_labels {
        out.push_str(&format!(
            "{}{}: {} -> {}\n",
            id(&v.id),
            terminal(&v.key),
            terminal(&v.before),
            terminal(&v.after)
        ));
    }
    if !d.scoping.is_empty() {
        head(&mut out, "Scoping questions", d.scoping.len(), "");
    }
    for s in &d.scoping {
        out.push_str(&format!("  {} {}\n", s.kind, terminal(&s.id)));
        before_after(&mut out, &s.before, &s.after);
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

    /// A workbook row of `control`, numbered `n`.
    pub(crate) fn row(control: &str, n: u32, question: &str, choices: &[&str]) -> SheetRow {
        SheetRow {
            id: format!("{control}.{n}"),
            sheet_id: control.into(),
            question: question.into(),
            choices: choices.iter().map(|c| c.to_string()).collect(),
            scoping: None,
            scoped_out: None,
        }
    }

    #[test]
    fn a_new_title_is_a_rewording_with_both_titles_and_no_question_lines() {
        let a = big(2, 0, "");
        let mut b = big(2, 0, "");
        b.version = "next".into();
        b.controls[1].title = "Control one, retitled".into();
        // White space alone is no rewording, in the title as in the question.
        b.controls[0].title = "  Control   0 ".into();
        let d = diff(&a, &b);
        assert_eq!(
            d.reworded,
            [Reworded {
                id: "C-1".into(),
                title: "Control one, retitled".into(),
                before: "Question 1 ".into(),
                after: "Question 1 ".into(),
                title_before: "Control 1".into(),
                changed: vec![TITLE],
            }]
        );
        assert_eq!(
            d.renamed,
            [Change {
                id: "C-1".into(),
                before: "Control 1".into(),
                after: "Control one, retitled".into(),
            }]
        );
        assert_eq!(d.to_review(&b), ["C-1"]);
        assert_eq!(d.unchanged(&b, &a), ["C-0"]);
        let text = text(&d);
        assert!(
            text.contains(
                "\nReworded (1): answers need a second look\n  C-1         Control one, retitled\n    title:  Control 1 -> Control one, retitled\n"
            ),
            "{text}"
        );
        assert!(
            !text.contains("Renamed") && !text.contains("before:"),
            "{text}"
        );
    }

    #[test]
    fn also_evidence_value_labels_and_rows_are_listed_and_only_rows_added_or_changed_review() {
        use super::super::{Domain, RequiredValue, ValueKind};
        let mut a = big(3, 0, "");
        let value = |label: &str| RequiredValue {
            key: "rpo".into(),
            label: label.into(),
            kind: ValueKind::Duration,
            hint: "e.g. 1h".into(),
        };
        for c in &mut a.controls {
            c.also = None;
            c.evidence = false;
            c.values = vec![value("RPO")];
            c.rows = vec![
                row(&c.id, 1, "Set?", &["Yes", "No"]),
                row(&c.id, 2, "Tested?", &["Yes", "No"]),
            ];
        }
        let mut b = a.clone();
        b.version = "next".into();
        // C-0: everything but its rows; C-1: a row removed; C-2: a row changed, one added.
        b.controls[0].also = Some(Domain::OperationalExcellence);
        b.controls[0].evidence = true;
        b.controls[0].values = vec![value("RPO of the database")];
        b.controls[0].rows[0].question = " Set?\n".into();
        b.controls[1].rows.pop();
        b.controls[2].rows[0].choices.push("N/A".into());
        b.controls[2].rows[1].question = "Tested  twice?".into();
        b.controls[2]
            .rows
            .push(row("C-2", 3, "Written?", &["Yes", "No"]));
        let d = diff(&a, &b);
        let change = |before: &str, after: &str| Change {
            id: "C-0".into(),
            before: before.into(),
            after: after.into(),
        };
        assert_eq!(d.also, [change("none", "Operational Excellence")]);
        assert_eq!(
            d.evidence,
            [change("the response is the evidence", "evidence expected")]
        );
        assert_eq!(
            d.value_labels,
            [ValueLabel {
                id: "C-0".into(),
                key: "rpo".into(),
                before: "RPO".into(),
                after: "RPO of the database".into(),
            }]
        );
        let rows: Vec<(&str, &str, &str, &str, &str)> = d
            .rows
            .iter()
            .map(|r| (&*r.id, &*r.row, r.kind, &*r.before, &*r.after))
            .collect();
        assert_eq!(
            rows,
            [
                ("C-1", "C-1.2", REMOVED, "Tested? [Yes / No]", ""),
                (
                    "C-2",
                    "C-2.1",
                    CHANGED,
                    "Set? [Yes / No]",
                    "Set? [Yes / No / N/A]"
                ),
                (
                    "C-2",
                    "C-2.2",
                    CHANGED,
                    "Tested? [Yes / No]",
                    "Tested  twice? [Yes / No]"
                ),
                ("C-2", "C-2.3", ADDED, "", "Written? [Yes / No]"),
            ]
        );
        assert!(d.reworded.is_empty() && d.values.is_empty() && d.moved.is_empty());
        assert_eq!(d.to_review(&b), ["C-2"]);
        assert_eq!(d.unchanged(&b, &a), ["C-0", "C-1"]);
        let text = text(&d);
        for line in [
            "\nWorkbook rows (4): answers need a second look where a row was added or changed\n",
            "  C-1         removed C-1.2\n    before: Tested? [Yes / No]\n",
            "  C-2         added C-2.3\n    after:  Written? [Yes / No]\n",
            "\nSecond domain changed (1):\n  C-0         none -> Operational Excellence\n",
            "\nEvidence changed (1):\n  C-0         the response is the evidence -> evidence expected\n",
            "\nValue labels changed (1):\n  C-0         rpo: RPO -> RPO of the database\n",
        ] {
            assert!(text.contains(line), "{line}\n{text}");
        }
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
