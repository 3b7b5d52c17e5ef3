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

/// The built-in partner-hosted 2026-02 scaffolded as 2026-08, released 2026-08-20, with no
/// other change.
fn scaffolded() -> Table {
    let lib = Library::embedded().unwrap();
    let from = lib.checklist("partner-hosted").unwrap();
    let mut t: Table = toml::from_str(&catalog::scaffold(from, "2026-08").unwrap()).unwrap();
    // Released in August: in use from then on (an undated version never is).
    t["checklist"].as_table_mut().unwrap().insert(
        "released".into(),
        toml::Value::Datetime("2026-08-20".parse().unwrap()),
    );
    t
}

/// The control retitled in [`retitled`], its title before and after.
pub const RETITLED: &str = "IAM-001";
pub const OLD_TITLE: &str = "Enable MFA for all human identities with AWS access";
pub const NEW_TITLE: &str = "Require MFA for every human identity with AWS access";

/// partner-hosted@2026-08 whose one change is [`RETITLED`]'s title, now [`NEW_TITLE`]: AWS's
/// own words changed, the question as it was.
pub fn retitled() -> String {
    let mut t = scaffolded();
    let c = control(&mut t, RETITLED);
    assert_eq!(c["title"].as_str(), Some(OLD_TITLE));
    c.insert("title".into(), NEW_TITLE.into());
    toml::to_string(&t).unwrap()
}

/// The control changed in [`details`].
pub const DETAILED: &str = "RES-001";
pub const DETAILED_ROW: &str = "RES-001.1";
pub const ADDED_ROW: &str = "RES-001.2";
pub const OLD_LABEL: &str = "Recovery point objective (RPO)";
pub const NEW_LABEL: &str = "Recovery point objective (RPO) of the primary data store";
pub const OLD_ROW: &str = "Have you set a recovery point objective (RPO)? [Yes / No]";
pub const NEW_ROW: &str =
    "Have you set and tested a recovery point objective (RPO)? [Yes / No / N/A]";
pub const NEW_ROW_ADDED: &str = "Is the RPO written in the customer agreement? [Yes / No]";

/// partner-hosted@2026-08 whose only changes are to [`DETAILED`], in what the checklist says
/// beside its title and question: a second domain, evidence now expected, its value's label,
/// its row's question and choices, and a row added.
pub fn details() -> String {
    let mut t = scaffolded();
    let c = control(&mut t, DETAILED);
    assert_eq!(c["domain"].as_str(), Some("reliability"));
    assert!(c.get("also").is_none());
    assert_eq!(c["evidence"].as_bool(), Some(false));
    c.insert("also".into(), "operational-excellence".into());
    c.insert("evidence".into(), true.into());
    let value = c["value"].as_array_mut().unwrap()[0]
        .as_table_mut()
        .unwrap();
    assert_eq!(value["label"].as_str(), Some(OLD_LABEL));
    value.insert("label".into(), NEW_LABEL.into());
    let rows = c["row"].as_array_mut().unwrap();
    let row = rows[0].as_table_mut().unwrap();
    assert_eq!(row["id"].as_str(), Some(DETAILED_ROW));
    row.insert(
        "question".into(),
        "Have you set and tested a recovery point objective (RPO)?".into(),
    );
    row.insert(
        "choices".into(),
        toml::Value::Array(vec!["Yes".into(), "No".into(), "N/A".into()]),
    );
    let mut added = Table::new();
    added.insert("id".into(), ADDED_ROW.into());
    added.insert(
        "question".into(),
        "Is the RPO written in the customer agreement?".into(),
    );
    added.insert(
        "choices".into(),
        toml::Value::Array(vec!["Yes".into(), "No".into()]),
    );
    rows.push(toml::Value::Table(added));
    toml::to_string(&t).unwrap()
}

/// The checklist file of partner-hosted@2026-08: scaffolded from the built-in 2026-02, then
/// a control removed, one added, one reworded, one moved, a cadence and a scoping question
/// changed.
pub fn text() -> String {
    let mut t = scaffolded();
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
    parse(&text())
}

/// A checklist file of 2026-08 ([`text`], [`retitled`], [`details`]) as the library reads it.
pub fn parse(text: &str) -> Checklist {
    Library::parse_checklist_bytes("partner-hosted@2026-08.toml", text.as_bytes()).unwrap()
}

/// Adds 2026-08 to `lib` as `ftr checklists add` and the next start would: in the catalog,
/// and in use for new projects.
pub fn install(lib: &mut Library) {
    install_this(lib, checklist());
}

/// Adds `next` (a 2026-08) to `lib` as [`install`] does.
pub fn install_this(lib: &mut Library, next: Checklist) {
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
