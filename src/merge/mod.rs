//! Three-way merge of project files at the TOML value level, and splitting a file that holds
//! git conflict markers into its sides.
//!
//! Tables merge key by key; arrays of tables merge as sets keyed by each element's `path` (or
//! `sha256`, or the whole element); anything else is an atomic value. A field changed two
//! different ways becomes a [`Conflict`] and the merged table holds our value there. Conflicts
//! are named in words here too, for every layer above.
//!
//! Layer: `merge` (pure, knows no project type). May import: `dates`, `safe`.

use toml::{Table, Value};

use crate::safe::terminal;

/// One field changed two different ways. The merged table holds `ours` at `at`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// Path of the field: table keys, and for an element of a keyed array of tables its key value
    /// (its `path` or `sha256`).
    pub at: Vec<String>,
    /// The common ancestor's value; `None` when absent there or when no ancestor is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<toml::Value>,
    /// Our value; `None` when we deleted the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours: Option<toml::Value>,
    /// Their value; `None` when they deleted the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<toml::Value>,
}

/// Merges `ours` and `theirs`, both descended from `base`. Without a base (git's default
/// conflict style keeps none), a field either side has alone is taken and only fields the two
/// sides hold with different values conflict. Returns the merged table and its conflicts, in
/// the merged table's order; the merged table holds our value at each conflict.
pub fn merge_tables(
    base: Option<&toml::Table>,
    ours: &toml::Table,
    theirs: &toml::Table,
) -> (toml::Table, Vec<Conflict>) {
    let mut m = Merger {
        has_base: base.is_some(),
        at: Vec::new(),
        conflicts: Vec::new(),
    };
    let merged = m.table(base, ours, theirs);
    (merged, m.conflicts)
}

/// The value at `at`: table keys, and for an element of an array of tables the element whose
/// `path` (else `sha256`) is the segment.
pub fn get_at<'a>(table: &'a toml::Table, at: &[String]) -> Option<&'a toml::Value> {
    let (first, rest) = at.split_first()?;
    let mut value = table.get(first)?;
    for seg in rest {
        value = match value {
            Value::Table(t) => t.get(seg)?,
            Value::Array(items) => &items[find_element(items, seg)?],
            _ => return None,
        };
    }
    Some(value)
}

/// Sets the value at `at` (`None` removes it), creating missing tables on the way. In an array
/// of tables the element with that key is replaced, or the value appended when none has it.
/// Returns false if the path cannot be reached: an empty path, a segment below a value that is
/// neither a table nor an array, or below an array element that does not exist.
pub fn set_at(table: &mut toml::Table, at: &[String], value: Option<toml::Value>) -> bool {
    let Some((key, rest)) = at.split_first() else {
        return false;
    };
    if rest.is_empty() {
        match value {
            Some(v) => table.insert(key.clone(), v),
            None => table.remove(key),
        };
        return true;
    }
    if !table.contains_key(key) {
        if value.is_none() {
            return true;
        }
        // A list the file leaves out while empty comes back as a list.
        let empty = if KEYED_ARRAYS.contains(&key.as_str()) {
            Value::Array(Vec::new())
        } else {
            Value::Table(Table::new())
        };
        table.insert(key.clone(), empty);
    }
    set_in(table.get_mut(key).expect("present"), rest, value)
}

/// [`set_at`] below a value: a table, or an array of tables reached by element key.
fn set_in(node: &mut Value, at: &[String], value: Option<Value>) -> bool {
    let items = match node {
        Value::Table(t) => return set_at(t, at, value),
        Value::Array(items) => items,
        _ => return false,
    };
    let Some((key, rest)) = at.split_first() else {
        return false;
    };
    match (find_element(items, key), rest.is_empty(), value) {
        (Some(i), false, v) => return set_in(&mut items[i], rest, v),
        (Some(i), true, Some(v)) => items[i] = v,
        (Some(i), true, None) => drop(items.remove(i)),
        (None, true, Some(v)) => items.push(v),
        (None, false, Some(_)) => return false,
        (None, _, None) => {}
    }
    true
}

/// A path as people read it: `answers.partner-hosted.IAM-001.response`, keys that are not bare
/// in quotes, and the key of an evidence, security report or scan element in brackets:
/// `answers.partner-hosted.IAM-001.evidence["a.txt"].label`.
pub fn display_path(at: &[String]) -> String {
    let mut out = String::new();
    for (i, seg) in at.iter().enumerate() {
        if is_element_key(at, i) {
            out.push_str(&format!("[{seg:?}]"));
            continue;
        }
        if i > 0 {
            out.push('.');
        }
        let bare = !seg.is_empty()
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if bare {
            out.push_str(seg);
        } else {
            out.push_str(&format!("{seg:?}"));
        }
    }
    out
}

/// The checklist and control a path belongs to, for paths under `answers.CHECKLIST.CONTROL`.
pub fn control_of(at: &[String]) -> Option<(&str, &str)> {
    match at {
        [answers, checklist, control, ..] if answers == "answers" => {
            Some((checklist.as_str(), control.as_str()))
        }
        _ => None,
    }
}

/// "IAM-001 (response, status), profile.company": the conflicting fields by control.
pub fn conflict_names(conflicts: &[Conflict]) -> String {
    let mut names: Vec<(String, Vec<String>)> = Vec::new();
    for c in conflicts {
        let (head, field) = match control_of(&c.at) {
            Some((_, control)) if c.at.len() > 3 => {
                (control.to_string(), Some(display_path(&c.at[3..])))
            }
            Some((_, control)) => (control.to_string(), None),
            None => (display_path(&c.at), None),
        };
        match names.iter_mut().find(|(h, _)| *h == head) {
            Some((_, fields)) => fields.extend(field),
            None => names.push((head, field.into_iter().collect())),
        }
    }
    names
        .iter()
        .map(|(head, fields)| {
            let text = if fields.is_empty() {
                head.clone()
            } else {
                format!("{head} ({})", fields.join(", "))
            };
            terminal(&text).into_owned()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A conflict's field as people name it: `IAM-001 (response)`, `profile.company`.
pub fn short_name(at: &[String]) -> String {
    let full = display_path(at);
    match control_of(at) {
        Some((_, control)) if at.len() > 3 => {
            // The path below the control, as the whole path writes it.
            let head = display_path(&at[..3]);
            let rest = full[head.len()..].trim_start_matches('.');
            format!("{control} ({rest})")
        }
        Some((_, control)) => control.to_string(),
        None => full,
    }
}

/// A value of a conflict in one line of words: a text's first line, `(removed)`, or TOML.
pub fn value_line(value: Option<&toml::Value>) -> String {
    match value {
        None => "(not set)".into(),
        Some(toml::Value::String(s)) if s.is_empty() => "(empty)".into(),
        Some(toml::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// [`value_line`] cut to its first line of at most `max` characters, "…" when more follows.
pub fn value_brief(value: Option<&toml::Value>, max: usize) -> String {
    let text = value_line(value);
    let line = text.lines().next().unwrap_or("");
    let cut: String = line.chars().take(max).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// Whether `text` holds a line that opens a git conflict region.
pub fn has_markers(text: &str) -> bool {
    text.lines().any(|l| {
        l.starts_with("<<<<<<<")
            && l.trim_start_matches('<')
                .chars()
                .next()
                .is_none_or(|c| c == ' ')
    })
}

/// The three versions of a file that holds git conflict markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sides {
    /// The text with each region's first section (ours, above the `=======` line).
    pub ours: String,
    /// The text with each region's base section; `None` when a region has none.
    pub base: Option<String>,
    /// The text with each region's last section (theirs, below the `=======` line).
    pub theirs: String,
    /// The label after the first region's opening marker, e.g. `HEAD`.
    pub ours_label: String,
    /// The label after the first region's closing marker, e.g. a branch name.
    pub theirs_label: String,
    /// 1-based first and last line of each marker region.
    pub regions: Vec<(usize, usize)>,
}

/// Splits text with git conflict markers into its sides. A region opens with a line of 7 or
/// more `<` followed by a space or the end of the line, may have a base section opened by the
/// same number of `|`, continues after the same number of `=` and closes with the same number
/// of `>`. Line endings are kept. `None` if there is no complete region, or if a region is
/// unterminated or its markers are out of order.
pub fn split_markers(text: &str) -> Option<Sides> {
    #[derive(PartialEq)]
    enum State {
        Outside,
        Ours,
        Base,
        Theirs,
    }
    let mut sides = Sides {
        ours: String::new(),
        base: Some(String::new()),
        theirs: String::new(),
        ours_label: String::new(),
        theirs_label: String::new(),
        regions: Vec::new(),
    };
    let mut state = State::Outside;
    let (mut size, mut opened, mut had_base) = (0, 0, false);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line
            .strip_suffix('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or(line);
        let marker = marker(bare);
        match (&state, marker) {
            (State::Outside, Some(('<', n, label))) => {
                if sides.regions.is_empty() {
                    sides.ours_label = label.to_string();
                }
                (state, size, opened, had_base) = (State::Ours, n, i + 1, false);
            }
            (State::Outside, Some(_)) => return None,
            (State::Outside, None) => {
                sides.ours.push_str(line);
                sides.theirs.push_str(line);
                if let Some(b) = &mut sides.base {
                    b.push_str(line);
                }
            }
            (_, Some((c, n, label))) if n == size => match (&state, c) {
                (State::Ours, '|') => (state, had_base) = (State::Base, true),
                (State::Ours | State::Base, '=') => state = State::Theirs,
                (State::Theirs, '>') => {
                    if sides.regions.is_empty() {
                        sides.theirs_label = label.to_string();
                    }
                    if !had_base {
                        sides.base = None;
                    }
                    sides.regions.push((opened, i + 1));
                    state = State::Outside;
                }
                _ => return None,
            },
            (State::Ours, _) => sides.ours.push_str(line),
            (State::Base, _) => {
                if let Some(b) = &mut sides.base {
                    b.push_str(line);
                }
            }
            (State::Theirs, _) => sides.theirs.push_str(line),
        }
    }
    (state == State::Outside && !sides.regions.is_empty()).then_some(sides)
}

/// A marker line: its character, how many, and the label after the space.
fn marker(line: &str) -> Option<(char, usize, &str)> {
    let c = line.chars().next().filter(|c| "<|=>".contains(*c))?;
    let n = line.len() - line.trim_start_matches(c).len();
    if n < 7 {
        return None;
    }
    match &line[n..] {
        "" => Some((c, n, "")),
        rest => rest.strip_prefix(' ').map(|label| (c, n, label)),
    }
}

/// The names of the project file's arrays of tables whose elements a path reaches by key.
const KEYED_ARRAYS: [&str; 3] = ["evidence", "security_reports", "scans"];

/// True when `at[i]` is the key of an element of one of the project file's keyed arrays.
fn is_element_key(at: &[String], i: usize) -> bool {
    let s: Vec<&str> = at.iter().map(String::as_str).collect();
    matches!(
        (i, s.as_slice()),
        (1, ["scans", ..])
            | (2, ["profile", "security_reports", ..])
            | (4, ["answers", _, _, "evidence", ..])
    )
}

/// The index of the element of an array of tables whose `path` is `key`, else whose `sha256` is.
fn find_element(items: &[Value], key: &str) -> Option<usize> {
    let by = |field: &str| {
        items
            .iter()
            .position(|v| v.get(field).and_then(Value::as_str) == Some(key))
    };
    by("path").or_else(|| by("sha256"))
}

/// How elements of an array of tables are matched across the three versions.
#[derive(Debug, PartialEq)]
enum Key<'a> {
    /// The value of the key field (`path` or `sha256`).
    Named(&'a str),
    /// The whole element and which occurrence of an equal element it is.
    Whole(&'a Value, usize),
}

/// The keys of the elements of each version: by `path` if every element has one, else by
/// `sha256`, else (or when a key repeats within a version) by the whole element.
fn keys<'a>(versions: [&'a [Value]; 3]) -> ([Vec<(Key<'a>, &'a Value)>; 3], bool) {
    for field in ["path", "sha256"] {
        let named = versions.map(|items| {
            let keys: Option<Vec<_>> = items
                .iter()
                .map(|v| {
                    v.get(field)
                        .and_then(Value::as_str)
                        .map(|k| (Key::Named(k), v))
                })
                .collect();
            keys.filter(|ks| (1..ks.len()).all(|i| !ks[..i].iter().any(|k| k.0 == ks[i].0)))
        });
        if let [Some(b), Some(o), Some(t)] = named {
            return ([b, o, t], field == "path");
        }
    }
    let whole = versions.map(|items| {
        let mut out: Vec<(Key, &Value)> = Vec::new();
        for v in items {
            let n = out.iter().filter(|(_, seen)| *seen == v).count();
            out.push((Key::Whole(v, n), v));
        }
        out
    });
    (whole, false)
}

fn lookup<'a>(list: &[(Key<'a>, &'a Value)], key: &Key) -> Option<&'a Value> {
    list.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

/// The value as a table, an absent value as an empty one; `None` for anything else.
fn table_or_empty(v: Option<&Value>) -> Option<Table> {
    match v {
        None => Some(Table::new()),
        Some(Value::Table(t)) => Some(t.clone()),
        Some(_) => None,
    }
}

/// The value as an array of tables, an absent value as an empty one; `None` for anything else.
fn tables_or_empty(v: Option<&Value>) -> Option<&[Value]> {
    match v {
        None => Some(&[]),
        Some(Value::Array(items)) if items.iter().all(Value::is_table) => Some(items),
        Some(_) => None,
    }
}

/// Absent, an empty string or an empty table: what a side without a base can safely fill in.
fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Table(t)) => t.is_empty(),
        Some(_) => false,
    }
}

/// The `attached` time of an element in seconds since 1970, when it has one.
fn attached(v: &Value) -> Option<i64> {
    match v.get("attached")? {
        Value::Datetime(dt) => crate::dates::Timestamp::parse(&dt.to_string()).map(|t| t.unix()),
        _ => None,
    }
}

struct Merger {
    has_base: bool,
    at: Vec<String>,
    conflicts: Vec<Conflict>,
}

impl Merger {
    fn table(&mut self, base: Option<&Table>, ours: &Table, theirs: &Table) -> Table {
        let mut out = Table::new();
        let keys = ours
            .keys()
            .chain(theirs.keys().filter(|k| !ours.contains_key(*k)));
        for key in keys {
            self.at.push(key.clone());
            let b = base.and_then(|b| b.get(key));
            if let Some(v) = self.merge(b, ours.get(key), theirs.get(key), true) {
                out.insert(key.clone(), v);
            }
            self.at.pop();
        }
        out
    }

    /// Merges one value. With `absent_empty` a table or array of tables on one side meets an
    /// absent value on the other as an empty one; without (array elements), an element
    /// removed on one side and changed on the other conflicts.
    fn merge(
        &mut self,
        b: Option<&Value>,
        o: Option<&Value>,
        t: Option<&Value>,
        absent_empty: bool,
    ) -> Option<Value> {
        if o == t {
            return o.cloned();
        }
        if self.has_base {
            if o == b {
                return t.cloned();
            }
            if t == b {
                return o.cloned();
            }
        } else if is_blank(o) {
            return t.cloned();
        } else if is_blank(t) {
            return o.cloned();
        }
        if !absent_empty && (o.is_none() || t.is_none()) {
            return self.conflict(b, o, t);
        }
        // Absent meets a table or an array of tables as an empty one (never both absent).
        if let (Some(ot), Some(tt)) = (table_or_empty(o), table_or_empty(t)) {
            let bt = table_or_empty(b).unwrap_or_default();
            return Some(Value::Table(self.table(Some(&bt), &ot, &tt)));
        }
        if let (Some(oa), Some(ta)) = (tables_or_empty(o), tables_or_empty(t)) {
            let before = self.conflicts.len();
            let merged = self.array(tables_or_empty(b).unwrap_or(&[]), oa, ta);
            // An array our side does not write (an empty list is left out) stays out.
            if merged.is_empty() && o.is_none() && self.conflicts.len() == before {
                return None;
            }
            return Some(Value::Array(merged));
        }
        // Two edits of one text of several lines: merged line by line where they do not touch
        // the same lines, as git merges a file.
        if let (Some(Value::String(bs)), Some(Value::String(os)), Some(Value::String(ts))) =
            (b, o, t)
            && self.has_base
            && [bs, os, ts].iter().any(|s| s.contains('\n'))
            && let Ok(text) = diffy::merge(bs, os, ts)
        {
            return Some(Value::String(text));
        }
        self.conflict(b, o, t)
    }

    /// Records a conflict at the current path and keeps our value.
    fn conflict(
        &mut self,
        b: Option<&Value>,
        o: Option<&Value>,
        t: Option<&Value>,
    ) -> Option<Value> {
        self.conflicts.push(Conflict {
            at: self.at.clone(),
            base: b.cloned(),
            ours: o.cloned(),
            theirs: t.cloned(),
        });
        o.cloned()
    }

    /// Arrays of tables as keyed sets: our elements in our order, then their additions.
    fn array(&mut self, base: &[Value], ours: &[Value], theirs: &[Value]) -> Vec<Value> {
        let ([b, o, t], by_path) = keys([base, ours, theirs]);
        let mut out = Vec::new();
        let in_ours = o.iter().map(|(k, _)| k);
        let only_theirs = t.iter().map(|(k, _)| k).filter(|k| lookup(&o, k).is_none());
        for key in in_ours.chain(only_theirs) {
            let (bv, ov, tv) = (lookup(&b, key), lookup(&o, key), lookup(&t, key));
            self.at.push(match key {
                Key::Named(k) => k.to_string(),
                Key::Whole(v, _) => v.to_string(),
            });
            let merged = match (ov, tv) {
                (Some(ov), Some(tv)) if by_path && self.both_changed(bv, ov, tv) => {
                    match (attached(ov), attached(tv)) {
                        (Some(x), Some(y)) if x != y => Some(if x > y { ov } else { tv }.clone()),
                        _ => self.merge(bv, Some(ov), Some(tv), false),
                    }
                }
                _ => self.merge(bv, ov, tv, false),
            };
            out.extend(merged);
            self.at.pop();
        }
        out
    }

    /// Both sides changed an element, each in its own way (without a base: they differ).
    fn both_changed(&self, b: Option<&Value>, o: &Value, t: &Value) -> bool {
        o != t && (!self.has_base || (b != Some(o) && b != Some(t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Table {
        text.parse().unwrap()
    }
    fn p(dotted: &str) -> Vec<String> {
        dotted.split('/').map(String::from).collect()
    }
    fn s(text: &str) -> Option<Value> {
        Some(Value::String(text.into()))
    }
    /// The control of [`BASE`] with evidence: path, sha256 and attached time in January 2026.
    fn with(evidence: &[(&str, &str, &str)]) -> Table {
        let mut text = BASE.to_string();
        for (path, sha, day) in evidence {
            let e = format!("path = '{path}'\nsha256 = '{sha}'\nattached = 2026-01-{day}");
            text += &format!("[[answers.ph.C1.evidence]]\n{e}\n");
        }
        t(&text)
    }

    const BASE: &str = "[answers.ph.C1]\nstatus = 'unmet'\nresponse = 'r'\nnotes = 'n'\n";

    #[test]
    fn different_fields_combine() {
        let base = t(BASE);
        let ours = t(&BASE.replace("'r'", "'r2'"));
        let theirs = t(&BASE.replace("'unmet'", "'met'"));
        let (m, c) = merge_tables(Some(&base), &ours, &theirs);
        assert!(c.is_empty());
        let want = BASE.replace("'unmet'", "'met'").replace("'r'", "'r2'");
        assert_eq!(m, t(&want));
        // Sub-tables too, inline or not.
        let base = t("v = { rpo = '4h' }");
        let (m, c) = merge_tables(
            Some(&base),
            &t("v = { rpo = '2h' }"),
            &t("v = { rpo = '4h', rto = '1h' }"),
        );
        assert!(c.is_empty());
        assert_eq!(m, t("v = { rpo = '2h', rto = '1h' }"));
    }

    #[test]
    fn same_field_two_ways_conflicts_and_keeps_ours() {
        let base = t(BASE);
        let ours = t(&BASE.replace("'r'", "'mine'"));
        let theirs = t(&BASE.replace("'r'", "'yours'"));
        let (m, c) = merge_tables(Some(&base), &ours, &theirs);
        let at = p("answers/ph/C1/response");
        let sides = (c[0].base.clone(), c[0].ours.clone(), c[0].theirs.clone());
        assert_eq!((c.len(), &c[0].at), (1, &at));
        assert_eq!(sides, (s("r"), s("mine"), s("yours")));
        assert_eq!(get_at(&m, &at), s("mine").as_ref());
        // The same change on both sides is no conflict.
        let (m, c) = merge_tables(Some(&base), &ours, &ours);
        assert!(c.is_empty());
        assert_eq!(m, ours);
    }

    #[test]
    fn deletion_applies_unless_the_other_side_modified() {
        let base = t(BASE);
        let deleted = t("[answers.ph.C1]\nstatus = 'unmet'\nresponse = 'r'\n");
        let (m, c) = merge_tables(Some(&base), &deleted, &base);
        assert!(c.is_empty());
        assert_eq!(m, deleted);
        let modified = t(&BASE.replace("'n'", "'n2'"));
        let (m, c) = merge_tables(Some(&base), &deleted, &modified);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].ours.clone(), c[0].theirs.clone()), (None, s("n2")));
        assert_eq!(get_at(&m, &p("answers/ph/C1/notes")), None);
        let (_, c) = merge_tables(Some(&base), &modified, &deleted);
        assert_eq!((c[0].ours.clone(), c[0].theirs.clone()), (s("n2"), None));
    }

    #[test]
    fn an_absent_control_merges_with_an_empty_one_field_by_field() {
        let base = t("[answers.ph]\n");
        let ours = t("[answers.ph.C2]\n");
        let theirs = t("[answers.ph.C2]\nstatus = 'met'\n[answers.ph.C3]\n");
        let (m, c) = merge_tables(Some(&base), &ours, &theirs);
        assert!(c.is_empty());
        assert_eq!(m, theirs);
        let (m, c) = merge_tables(Some(&ours), &base, &theirs);
        assert!(c.is_empty());
        assert_eq!(m, theirs);
        // Empty tables stay.
        let (m, _) = merge_tables(Some(&base), &ours, &base);
        assert_eq!(m, ours);
    }

    const A: (&str, &str, &str) = ("a.txt", "aa", "01T00:00:00Z");
    const B: (&str, &str, &str) = ("b.txt", "bb", "02T00:00:00Z");

    #[test]
    fn evidence_added_on_both_sides_is_all_kept() {
        let (ours, theirs) = (with(&[A]), with(&[B]));
        for base in [Some(t(BASE)), None] {
            let (m, c) = merge_tables(base.as_ref(), &ours, &theirs);
            assert!(c.is_empty());
            assert_eq!(m, with(&[A, B]));
        }
    }

    #[test]
    fn evidence_removed_on_one_side_is_removed() {
        let c3 = ("c.txt", "cc", "03T00:00:00Z");
        let base = with(&[A, B]);
        let (m, c) = merge_tables(Some(&base), &with(&[B]), &with(&[A, B, c3]));
        assert!(c.is_empty());
        assert_eq!(m, with(&[B, c3]));
        // Removing the last one removes the list, as the project file writes it.
        let (m, c) = merge_tables(Some(&base), &t(BASE), &base);
        assert!(c.is_empty());
        assert_eq!(m, t(BASE));
    }

    #[test]
    fn removed_on_one_side_and_changed_on_the_other_conflicts() {
        let base = with(&[A]);
        let mut theirs = base.clone();
        let label = p("answers/ph/C1/evidence/a.txt/label");
        assert!(set_at(&mut theirs, &label, s("L")));
        let (m, c) = merge_tables(Some(&base), &t(BASE), &theirs);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].at, p("answers/ph/C1/evidence/a.txt"));
        assert_eq!(c[0].ours, None);
        assert_eq!(get_at(&m, &c[0].at), None);
        // Taking theirs puts the element back.
        let mut m = m;
        assert!(set_at(&mut m, &c[0].at, c[0].theirs.clone()));
        assert_eq!(m, theirs);
    }

    #[test]
    fn reattached_on_both_sides_takes_the_later() {
        let base = with(&[A]);
        let ours = with(&[("a.txt", "bb", "03T00:00:00Z")]);
        // 2026-01-02T23:00:00Z: earlier, though its text sorts later.
        let theirs = with(&[("a.txt", "cc", "03T04:00:00+05:00")]);
        let (m, c) = merge_tables(Some(&base), &ours, &theirs);
        assert!(c.is_empty());
        assert_eq!(m, ours);
        let (m, c) = merge_tables(Some(&base), &theirs, &ours);
        assert!(c.is_empty());
        assert_eq!(m, ours);
        // Other fields changed both ways on one element conflict there.
        let mut o = base.clone();
        let mut th = base.clone();
        let label = p("answers/ph/C1/evidence/a.txt/label");
        set_at(&mut o, &label, s("x"));
        set_at(&mut th, &label, s("y"));
        let (m, c) = merge_tables(Some(&base), &o, &th);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].at, label);
        assert_eq!(get_at(&m, &label), s("x").as_ref());
    }

    #[test]
    fn without_a_base_one_sided_fields_are_taken() {
        let ours = t("[answers.ph.C1]\nstatus = 'met'\nresponse = ''\nnotes = 'same'\n");
        let theirs =
            t("[answers.ph.C1]\nresponse = 'r'\nnotes = 'same'\nwhy = 'w'\n[answers.ph.C2]\n");
        let (m, c) = merge_tables(None, &ours, &theirs);
        assert!(c.is_empty());
        let want = "[answers.ph.C1]\nstatus = 'met'\nresponse = 'r'\nnotes = 'same'\nwhy = 'w'\n[answers.ph.C2]\n";
        assert_eq!(m, t(want));
        let (_, c) = merge_tables(None, &t("a = 1"), &t("a = 2"));
        let sides = (c[0].base.clone(), c[0].ours.clone(), c[0].theirs.clone());
        assert_eq!(
            (c.len(), sides),
            (1, (None, Some(1.into()), Some(2.into())))
        );
    }

    #[test]
    fn scalar_arrays_are_atomic_and_whole_element_arrays_never_conflict() {
        let base = t("accounts = ['1']\n[[migrations]]\nfrom = '1'\n");
        let ours =
            t("accounts = ['1', '2']\n[[migrations]]\nfrom = '1'\n[[migrations]]\nfrom = '2'\n");
        let theirs = t("accounts = ['1', '3']\n[[migrations]]\nfrom = '3'\n");
        let (m, c) = merge_tables(Some(&base), &ours, &theirs);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].at, p("accounts"));
        assert_eq!(
            m,
            t("accounts = ['1', '2']\n[[migrations]]\nfrom = '2'\n[[migrations]]\nfrom = '3'\n")
        );
    }

    #[test]
    fn scans_are_keyed_by_fingerprint() {
        let base = t("[[scans]]\nsha256 = 's1'\nfile = 'a'\n");
        let ours = t("[[scans]]\nsha256 = 's1'\nfile = 'b'\n");
        let theirs = t("[[scans]]\nsha256 = 's1'\nfile = 'c'\n[[scans]]\nsha256 = 's2'\n");
        let (m, c) = merge_tables(Some(&base), &ours, &theirs);
        assert_eq!(c.len(), 1);
        assert_eq!(display_path(&c[0].at), "scans[\"s1\"].file");
        assert_eq!(m["scans"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn paths_reach_through_keyed_arrays() {
        let mut tab = with(&[A]);
        let sha = p("answers/ph/C1/evidence/a.txt/sha256");
        assert_eq!(get_at(&tab, &sha), s("aa").as_ref());
        let by_sha = p("answers/ph/C1/evidence/aa/path");
        assert_eq!(get_at(&tab, &by_sha), s("a.txt").as_ref());
        assert!(set_at(&mut tab, &sha, s("zz")));
        assert_eq!(get_at(&tab, &sha), s("zz").as_ref());
        assert!(set_at(&mut tab, &sha, None));
        assert_eq!(get_at(&tab, &sha), None);
        let missing = p("answers/ph/C1/evidence/nope.txt/label");
        assert!(!set_at(&mut tab, &missing, s("x")));
        assert!(!set_at(&mut tab, &p("answers/ph/C1/status/x"), s("x")));
        assert!(!set_at(&mut tab, &[], s("x")));
        assert!(set_at(&mut tab, &p("answers/ph/C9/status"), s("met")));
        assert_eq!(get_at(&tab, &p("answers/ph/C9/status")), s("met").as_ref());
        assert!(set_at(&mut tab, &p("answers/other/C1/status"), None));
        assert_eq!(get_at(&tab, &p("answers/other")), None);
    }

    #[test]
    fn paths_display_as_people_read_them() {
        let evidence = "answers/partner-hosted/IAM-001/evidence/a.txt/label";
        let shown = "answers.partner-hosted.IAM-001.evidence[\"a.txt\"].label";
        assert_eq!(display_path(&p(evidence)), shown);
        for (at, shown) in [
            ("answers/ph/C-1/response", "answers.ph.C-1.response"),
            (
                "profile/security_reports/r.csv",
                "profile.security_reports[\"r.csv\"]",
            ),
            (
                "answers/x/C.1/values/a b",
                "answers.x.\"C.1\".values.\"a b\"",
            ),
        ] {
            assert_eq!(display_path(&p(at)), shown);
        }
        assert_eq!(
            control_of(&p(evidence)),
            Some(("partner-hosted", "IAM-001"))
        );
        assert_eq!(control_of(&p("answers/partner-hosted")), None);
        assert_eq!(control_of(&p("profile/company/x")), None);
    }

    #[test]
    fn markers_with_a_base_split_three_ways() {
        let text = "a = 1\n<<<<<<< HEAD\nb = 2\n||||||| base\nb = 1\n=======\nb = 3\n>>>>>>> feature\nc = 4\n";
        let s = split_markers(text).unwrap();
        assert_eq!(s.ours, "a = 1\nb = 2\nc = 4\n");
        assert_eq!(s.base.as_deref(), Some("a = 1\nb = 1\nc = 4\n"));
        assert_eq!(s.theirs, "a = 1\nb = 3\nc = 4\n");
        assert_eq!((&*s.ours_label, &*s.theirs_label), ("HEAD", "feature"));
        assert_eq!(s.regions, [(2, 8)]);
    }

    #[test]
    fn markers_without_a_base_crlf_and_size_nine() {
        let text = "x\r\n<<<<<<<<< ours\r\no\r\n=========\r\n=======\r\n>>>>>>>>> theirs\r\ny\r\n<<<<<<<<<\r\n=========\r\nt\r\n>>>>>>>>>\r\n";
        let s = split_markers(text).unwrap();
        assert_eq!(s.ours, "x\r\no\r\ny\r\n");
        assert_eq!(s.theirs, "x\r\n=======\r\ny\r\nt\r\n");
        assert_eq!(s.base, None);
        assert_eq!(s.regions, [(2, 6), (8, 11)]);
        assert_eq!(s.theirs_label, "theirs");
    }

    #[test]
    fn broken_markers_split_nothing() {
        assert_eq!(split_markers("a = 1\n"), None);
        assert_eq!(split_markers("<<<<<<< HEAD\nb = 2\n=======\nb = 3\n"), None);
        assert_eq!(
            split_markers("=======\n<<<<<<< HEAD\n=======\n>>>>>>> x\n"),
            None
        );
        assert_eq!(split_markers("<<<<<<< HEAD\n>>>>>>> x\n=======\n"), None);
        assert_eq!(
            split_markers("<<<<<<< HEAD\n=======\n||||||| b\n>>>>>>> x\n"),
            None
        );
        // Fewer than seven, or no space after, is not a marker.
        assert!(split_markers("<<<<<< a\n<<<<<<<x\n").is_none());
        assert!(split_markers("<<<<<<<\n=======\n>>>>>>>").is_some());
    }

    mod prop {
        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};

        const FIELDS: [&str; 3] = ["status", "response", "notes"];
        const VALUES: [&str; 3] = ["a", "b", "c"];

        /// Per control: base fields (0 absent, else a value), base evidence count, each side's
        /// field edits (0-1 keep, 2 delete, else a value) and evidence additions.
        type Spec = ([u8; 3], usize, [u8; 3], [u8; 3], usize, usize);

        fn spec() -> impl Strategy<Value = Spec> {
            let f = |n: u8| [0..n, 0..n, 0..n];
            (f(4), 0..3usize, f(6), f(6), 0..3usize, 0..3usize)
        }

        fn evidence(path: String) -> Value {
            let e =
                format!("path = '{path}'\nsha256 = '{path}-sha'\nattached = 2026-01-01T00:00:00Z");
            Value::Table(t(&e))
        }

        fn build(specs: &[Spec]) -> (Table, Table, Table) {
            let (mut b, mut o, mut th) = (Table::new(), Table::new(), Table::new());
            for (c, (fields, n, oe, te, oa, ta)) in specs.iter().enumerate() {
                let control = p(&format!("answers/ph/C{c}"));
                let at = |f: &str| [control.clone(), vec![f.to_string()]].concat();
                for tab in [&mut b, &mut o, &mut th] {
                    set_at(tab, &control, Some(Value::Table(Table::new())));
                }
                for (i, f) in FIELDS.iter().enumerate() {
                    let v = (fields[i] > 0)
                        .then(|| s(VALUES[fields[i] as usize - 1]))
                        .flatten();
                    for tab in [&mut b, &mut o, &mut th] {
                        set_at(tab, &at(f), v.clone());
                    }
                    for (tab, e) in [(&mut o, oe[i]), (&mut th, te[i])] {
                        let edit = match e {
                            0 | 1 => continue,
                            2 => None,
                            k => s(VALUES[k as usize - 3]),
                        };
                        set_at(tab, &at(f), edit);
                    }
                }
                let list = |side: &str, k: usize| -> Vec<Value> {
                    (0..k).map(|i| evidence(format!("{side}{i}.txt"))).collect()
                };
                let base_list = list("base", *n);
                let sides = [
                    (&mut b, vec![]),
                    (&mut o, list("ours", *oa)),
                    (&mut th, list("theirs", *ta)),
                ];
                for (tab, added) in sides {
                    let l = [base_list.clone(), added].concat();
                    if !l.is_empty() {
                        set_at(tab, &at("evidence"), Some(Value::Array(l)));
                    }
                }
            }
            (b, o, th)
        }

        #[test]
        fn merged_fields_follow_the_rules() {
            let config = Config {
                cases: 256,
                failure_persistence: None,
                rng_algorithm: RngAlgorithm::ChaCha,
                rng_seed: RngSeed::Fixed(7),
                ..Default::default()
            };
            let mut runner = TestRunner::new(config);
            let strategy = proptest::collection::vec(spec(), 1..4);
            runner
                .run(&strategy, |specs| {
                    let (b, o, th) = build(&specs);
                    let (m, conflicts) = merge_tables(Some(&b), &o, &th);
                    let mut expected_conflicts = 0;
                    for c in 0..specs.len() {
                        for f in FIELDS {
                            let at = p(&format!("answers/ph/C{c}/{f}"));
                            let (bv, ov, tv) = (get_at(&b, &at), get_at(&o, &at), get_at(&th, &at));
                            let found: Vec<&Conflict> =
                                conflicts.iter().filter(|x| x.at == at).collect();
                            let want = if ov == tv || tv == bv {
                                ov
                            } else if ov == bv {
                                tv
                            } else {
                                expected_conflicts += 1;
                                prop_assert_eq!(found.len(), 1);
                                prop_assert_eq!(found[0].ours.as_ref(), ov);
                                prop_assert_eq!(found[0].theirs.as_ref(), tv);
                                prop_assert_eq!(found[0].base.as_ref(), bv);
                                ov
                            };
                            prop_assert_eq!(get_at(&m, &at), want);
                        }
                        let control = p(&format!("answers/ph/C{c}"));
                        prop_assert!(get_at(&m, &control).is_some());
                        let paths = |tab: &Table| -> Vec<String> {
                            get_at(tab, &p(&format!("answers/ph/C{c}/evidence")))
                                .and_then(Value::as_array)
                                .map(|l| l.iter().map(|e| e["path"].to_string()).collect())
                                .unwrap_or_default()
                        };
                        let mut want = paths(&o);
                        want.extend(paths(&th).into_iter().filter(|x| x.contains("theirs")));
                        prop_assert_eq!(paths(&m), want);
                    }
                    prop_assert_eq!(conflicts.len(), expected_conflicts);
                    Ok(())
                })
                .unwrap();
        }
    }
}
