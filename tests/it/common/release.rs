//! The next release of the partner-hosted checklist, 2026-08, with one change of each kind
//! (as tests/it/lifecycle.rs makes it through the command line): for the wizard's newer-version
//! question, its view of what changed and the move.
#![allow(dead_code)]

use ftr_wizard::content::{Checklist, Library};
use ftr_wizard::store::catalog;
use toml::Table;

pub const NEXT: &str = "partner-hosted@2026-08";
pub const REMOVED: &str = "RES-007";
pub const ADDED: &str = "OBS-001";
pub const REWORDED: &str = "IAM-002";
pub const MOVED: &str = "S3-001";
pub const CADENCE: &str = "ARC-005";
pub const SCOPING: &str = "publishes_sla";
/// Words only the new wording of [`REWORDED`] has.
pub const NEW_WORDS: &str = "rotate it and watch its use";

fn controls(t: &mut Table) -> &mut Vec<toml::Value> {
    t.get_mut("control").unwrap().as_array_mut().unwrap()
}

fn control<'a>(t: &'a mut Table, id: &str) -> &'a mut Table {
    controls(t)
        .iter_mut()
        .find(|c| c["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no {id}"))
        .as_table_mut()
        .unwrap()
}

/// The checklist file of partner-hosted@2026-08: scaffolded from the built-in 2026-02, then
/// a control removed, one added, one reworded, one moved, a cadence and a scoping question
/// changed.
pub fn text() -> String {
    let lib = Library::embedded().unwrap();
    let from = lib.checklist("partner-hosted").unwrap();
    let mut t: Table = toml::from_str(&catalog::scaffold(from, "2026-08").unwrap()).unwrap();
    // Released in August: in use from then on (an undated version never is).
    t["checklist"].as_table_mut().unwrap().insert(
        "released".into(),
        toml::Value::Datetime("2026-08-20".parse().unwrap()),
    );
    controls(&mut t).retain(|c| c["id"].as_str() != Some(REMOVED));
    for q in t["scoping"].as_array_mut().unwrap() {
        for key in ["off_when_no", "off_when_yes"] {
            if let Some(list) = q.get_mut(key).and_then(|l| l.as_array_mut()) {
                list.retain(|id| id.as_str() != Some(REMOVED));
            }
        }
    }
    let mut new = control(&mut t, "IAM-001").clone();
    new.insert("id".into(), ADDED.into());
    new.insert(
        "title".into(),
        "Monitor the product's health with alarms".into(),
    );
    new.insert(
        "question".into(),
        "Do alarms tell an on-call person when the product stops working?".into(),
    );
    new.remove("automated");
    // Its own control: no workbook rows of IAM-001's, and no rule reading them.
    new.remove("row");
    new.remove("pass");
    controls(&mut t).push(toml::Value::Table(new));
    control(&mut t, REWORDED).insert(
        "question".into(),
        format!("Do you avoid long-lived IAM user keys, and where one remains, {NEW_WORDS}?")
            .into(),
    );
    let moved = control(&mut t, MOVED);
    moved.insert("section".into(), "Data protection > Amazon S3".into());
    moved.insert("domain".into(), "reliability".into());
    let c = control(&mut t, CADENCE);
    c.insert("cadence_days".into(), 180.into());
    c.insert(
        "cadence".into(),
        "incident plan reviewed every six months".into(),
    );
    for q in t["scoping"].as_array_mut().unwrap() {
        if q["id"].as_str() == Some(SCOPING) {
            q.as_table_mut().unwrap().insert(
                "question".into(),
                "Do you promise customers an availability target, in public or in a contract?"
                    .into(),
            );
        }
    }
    toml::to_string(&t).unwrap()
}

pub fn checklist() -> Checklist {
    Library::parse_checklist_bytes("partner-hosted@2026-08.toml", text().as_bytes()).unwrap()
}

/// Adds 2026-08 to `lib` as `ftr checklists add` and the next start would: in the catalog,
/// and in use for new projects.
pub fn install(lib: &mut Library) {
    let next = checklist();
    lib.catalog.push(next.clone());
    for c in lib.checklists.iter_mut().filter(|c| c.id == next.id) {
        *c = next.clone();
    }
}

/// The embedded library with 2026-08 installed.
pub fn library() -> Library {
    let mut lib = Library::embedded().unwrap();
    install(&mut lib);
    lib
}
