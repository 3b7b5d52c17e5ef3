//! When AWS reissues a checklist: scaffold the next version, install it, see what changed and
//! move a project onto it, through the real binary.

use serde_json::Value;
use toml::Table;

use crate::common::release::{ADDED, CADENCE, MOVED, NEXT, REMOVED, REWORDED, SCOPING};
use crate::common::{self, Scratch};

/// `ftr checklists scaffold` of the built-in partner-hosted as 2026-08, then one change of
/// each kind, as AWS's next release might bring (tests/it/common/release.rs).
fn next_release(s: &Scratch) -> std::path::PathBuf {
    s.ok(&[
        "checklists",
        "scaffold",
        "--from",
        "partner-hosted",
        "--version",
        "2026-08",
    ]);
    let path = s.file(&format!("{NEXT}.toml"));
    let t: Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(t["checklist"]["version"].as_str(), Some("2026-08"));
    assert_eq!(t["checklist"]["supersedes"].as_str(), Some("2026-02"));
    std::fs::write(&path, common::release::text()).unwrap();
    path
}

fn json(s: &Scratch, args: &[&str]) -> Value {
    s.json(args)
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn diff_reports_exactly_what_changed() {
    let s = Scratch::new();
    let file = next_release(&s);
    let out = s.ok(&["checklists", "add", file.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .contains("installed partner-hosted@2026-08")
    );
    let d = json(
        &s,
        &[
            "checklists",
            "diff",
            "partner-hosted@2026-02",
            NEXT,
            "--json",
        ],
    );
    assert_eq!(ids(&d["added"]), [ADDED]);
    assert_eq!(ids(&d["removed"]), [REMOVED]);
    assert_eq!(ids(&d["reworded"]), [REWORDED]);
    assert!(
        d["reworded"][0]["after"]
            .as_str()
            .unwrap()
            .contains("rotate it")
    );
    assert_eq!(ids(&d["moved"]), [MOVED]);
    assert_eq!(ids(&d["cadences"]), [CADENCE]);
    assert_eq!(ids(&d["scoping"]), [SCOPING]);
    assert_eq!(d["scoping"][0]["kind"], "changed");
    assert_eq!(d["renamed"], serde_json::json!([]));
    assert_eq!(d["values"], serde_json::json!([]));
    for nothing in ["rows", "also", "evidence", "value_labels"] {
        assert_eq!(d[nothing], serde_json::json!([]), "{nothing}");
    }
    // The text names each, with both texts of the reworded one.
    let text = String::from_utf8(
        s.ok(&["checklists", "diff", "partner-hosted@2026-02", NEXT])
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    for needle in [
        ADDED, REMOVED, REWORDED, MOVED, CADENCE, SCOPING, "before:", "after:",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    // The installed version is listed, and in use from now on; the built-in one still listed.
    let list = json(&s, &["checklists", "--json"]);
    let next = list["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["spec"] == NEXT)
        .unwrap();
    assert_eq!(next["in_use"], true);
    assert_eq!(next["installed"], true);
    let old = list["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["spec"] == "partner-hosted@2026-02")
        .unwrap();
    assert_eq!(old["in_use"], false);
    // The same version again: nothing to install.
    let again = s.ok(&["checklists", "add", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&again.get_output().stdout).contains("installed already"));
}

fn answered_project(s: &Scratch) {
    s.ok(&["new", "--model", "partner-hosted", "--company", "Acme"]);
    s.ok(&["set", "model", "partner-hosted"]);
    for id in ["IAM-001", REWORDED, REMOVED] {
        s.ok(&[
            "answer",
            id,
            "--status",
            "met",
            "--response",
            "A written answer long enough for a reviewer to read it with care.",
        ]);
    }
}

#[test]
fn migrate_previews_then_carries_flags_and_records() {
    let s = Scratch::new();
    answered_project(&s);
    let file = next_release(&s);
    s.ok(&["checklists", "add", file.to_str().unwrap()]);
    let before = s.read_project();
    // A newer version is released: the check says so.
    let check = json(&s, &["check", "--json"]);
    assert!(
        check["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "checklist-newer"),
        "{check}"
    );
    // Without --yes and without a terminal: a preview, nothing changed.
    let out = s.ok(&["migrate", "--to", NEXT]);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("Nothing changed"), "{text}");
    assert!(
        text.contains(&format!(
            "reworded or a workbook row changed, marked to review (1): {REWORDED}"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "kept in the file but not submitted (1): {REMOVED}"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("new, to answer (1): {ADDED}")),
        "{text}"
    );
    assert_eq!(s.read_project(), before);

    let out = s.ok(&["migrate", "--to", NEXT, "--yes"]);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("Moved to partner-hosted@2026-08"), "{text}");
    let backup = s.file("ftr-assessment.toml.2026-02.bak");
    assert_eq!(
        std::fs::read_to_string(&backup).unwrap(),
        before,
        "the old file is kept"
    );

    let project: Table = toml::from_str(&s.read_project()).unwrap();
    assert_eq!(project["delivery"]["version"].as_str(), Some("2026-08"));
    let answers = project["answers"]["partner-hosted"].as_table().unwrap();
    assert_eq!(answers[REWORDED]["review"].as_str(), Some(NEXT));
    assert!(
        answers["IAM-001"].get("review").is_none(),
        "unchanged: carried as it is"
    );
    assert!(answers.contains_key(REMOVED), "kept in the file");
    let m = &project["migrations"].as_array().unwrap()[0];
    assert_eq!(m["from"].as_str(), Some("2026-02"));
    assert_eq!(m["to"].as_str(), Some("2026-08"));
    assert_eq!(m["on"].to_string(), common::TODAY);

    let check = json(&s, &["check", "--json"]);
    let codes = |code: &str| common::codes(&check, code);
    assert_eq!(codes("answer-to-review"), [REWORDED]);
    assert!(codes("orphan-answer").contains(&REMOVED.to_string()));
    assert!(codes("unanswered").contains(&ADDED.to_string()));
    assert!(codes("checklist-newer").is_empty());
    assert!(codes("checklist-version").is_empty());

    // Confirming the answer clears the flag.
    s.ok(&["answer", REWORDED, "--reviewed"]);
    let check = json(&s, &["check", "--json"]);
    assert!(
        !check["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "answer-to-review"),
        "{check}"
    );
    // The result exports, and the bundle's project loads.
    s.ok(&["export", "--allow-incomplete", "--out", "bundle.zip"]);
    s.ok(&["status"]);
    // Moving again says so.
    let out = s.ok(&["migrate", "--to", NEXT, "--yes"]);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("already answers"));
}

/// Installs `text` as partner-hosted@2026-08 and returns `ftr checklists diff` from 2026-02,
/// as JSON and as text.
fn install_and_diff(s: &Scratch, text: &str) -> (Value, String) {
    let file = s.write(&format!("{NEXT}.toml"), text);
    s.ok(&["checklists", "add", file.to_str().unwrap()]);
    let args = ["checklists", "diff", "partner-hosted@2026-02", NEXT];
    let json = s.json(&[&args[..], &["--json"]].concat());
    let text = String::from_utf8(s.ok(&args).get_output().stdout.clone()).unwrap();
    (json, text)
}

/// The lists of a diff's JSON that hold nothing, of `all`.
fn empty_lists<'a>(d: &Value, all: &[&'a str]) -> Vec<&'a str> {
    all.iter()
        .copied()
        .filter(|k| d[*k] == serde_json::json!([]))
        .collect()
}

const LISTS: [&str; 12] = [
    "added",
    "removed",
    "reworded",
    "renamed",
    "moved",
    "scoping",
    "cadences",
    "values",
    "rows",
    "also",
    "evidence",
    "value_labels",
];

/// The title is AWS's own words: a new one is a rewording, shown with both titles, and the
/// move marks the answer to review as a new question does.
#[test]
fn a_new_title_is_a_rewording_and_the_move_marks_its_answer_to_review() {
    use crate::common::release::{NEW_TITLE, OLD_TITLE, RETITLED};
    let s = Scratch::new();
    answered_project(&s);
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    let question = lib
        .checklist("partner-hosted")
        .unwrap()
        .control(RETITLED)
        .unwrap()
        .question
        .clone();
    let (d, text) = install_and_diff(&s, &common::release::retitled());
    assert_eq!(
        d["reworded"],
        serde_json::json!([{
            "id": RETITLED,
            "title": NEW_TITLE,
            "before": question,
            "after": question,
            "title_before": OLD_TITLE,
            "changed": ["title"],
        }])
    );
    // Still under `renamed` too, for scripts that read it there.
    assert_eq!(
        d["renamed"],
        serde_json::json!([{"id": RETITLED, "before": OLD_TITLE, "after": NEW_TITLE}])
    );
    let mut others = LISTS.to_vec();
    others.retain(|k| !["reworded", "renamed"].contains(k));
    assert_eq!(empty_lists(&d, &others), others);
    assert_eq!(
        text,
        format!(
            "partner-hosted@2026-02 -> {NEXT}\n\nReworded (1): answers need a second look\n  {RETITLED:<11} {NEW_TITLE}\n    title:  {OLD_TITLE} -> {NEW_TITLE}\n"
        )
    );
    let out = s.ok(&["migrate", "--to", NEXT, "--yes"]);
    let preview = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        preview.contains(&format!(
            "reworded or a workbook row changed, marked to review (1): {RETITLED}\n"
        )),
        "{preview}"
    );
    let project: Table = toml::from_str(&s.read_project()).unwrap();
    let answers = project["answers"]["partner-hosted"].as_table().unwrap();
    assert_eq!(answers[RETITLED]["review"].as_str(), Some(NEXT));
    for carried in [REWORDED, REMOVED] {
        assert!(answers[carried].get("review").is_none(), "{carried}");
    }
    let check = json(&s, &["check", "--json"]);
    assert_eq!(common::codes(&check, "answer-to-review"), [RETITLED]);
}

/// A second domain, an evidence expectation, a value's label and the workbook rows are each
/// listed by the diff; of them only the rows (one changed, one added) mark the answer to
/// review.
#[test]
fn also_evidence_a_value_label_and_workbook_rows_are_each_listed() {
    use crate::common::release::{
        ADDED_ROW, DETAILED, DETAILED_ROW, NEW_LABEL, NEW_ROW, NEW_ROW_ADDED, OLD_LABEL, OLD_ROW,
    };
    let s = Scratch::new();
    answered_project(&s);
    s.ok(&[
        "answer",
        DETAILED,
        "--status",
        "met",
        "--value",
        "rpo=1h",
        "--response",
        "Hourly snapshots of every data store, restored in a test each quarter.",
    ]);
    let (d, text) = install_and_diff(&s, &common::release::details());
    assert_eq!(
        d["rows"],
        serde_json::json!([
            {"id": DETAILED, "row": DETAILED_ROW, "kind": "changed", "before": OLD_ROW, "after": NEW_ROW},
            {"id": DETAILED, "row": ADDED_ROW, "kind": "added", "before": "", "after": NEW_ROW_ADDED},
        ])
    );
    assert_eq!(
        d["also"],
        serde_json::json!([{"id": DETAILED, "before": "none", "after": "Operational Excellence"}])
    );
    assert_eq!(
        d["evidence"],
        serde_json::json!([{"id": DETAILED, "before": "the response is the evidence", "after": "evidence expected"}])
    );
    assert_eq!(
        d["value_labels"],
        serde_json::json!([{"id": DETAILED, "key": "rpo", "before": OLD_LABEL, "after": NEW_LABEL}])
    );
    let mut others = LISTS.to_vec();
    others.retain(|k| !["rows", "also", "evidence", "value_labels"].contains(k));
    assert_eq!(empty_lists(&d, &others), others);
    let id = format!("  {DETAILED:<11} ");
    assert_eq!(
        text,
        [
            format!("partner-hosted@2026-02 -> {NEXT}\n"),
            "\nWorkbook rows (2): answers need a second look where a row was added or changed\n"
                .into(),
            format!("{id}changed {DETAILED_ROW}\n    before: {OLD_ROW}\n    after:  {NEW_ROW}\n"),
            format!("{id}added {ADDED_ROW}\n    after:  {NEW_ROW_ADDED}\n"),
            format!("\nSecond domain changed (1):\n{id}none -> Operational Excellence\n"),
            format!(
                "\nEvidence changed (1):\n{id}the response is the evidence -> evidence expected\n"
            ),
            format!("\nValue labels changed (1):\n{id}rpo: {OLD_LABEL} -> {NEW_LABEL}\n"),
        ]
        .concat()
    );
    // The rows changed: the answer's choices may no longer fit, so it is marked to review.
    s.ok(&["migrate", "--to", NEXT, "--yes"]);
    let project: Table = toml::from_str(&s.read_project()).unwrap();
    let answers = project["answers"]["partner-hosted"].as_table().unwrap();
    assert_eq!(answers[DETAILED]["review"].as_str(), Some(NEXT));
    assert!(answers["IAM-001"].get("review").is_none());
    let check = json(&s, &["check", "--json"]);
    assert_eq!(common::codes(&check, "answer-to-review"), [DETAILED]);
    // Its title did not change, so the finding does not say it was reworded.
    let finding = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "answer-to-review")
        .unwrap();
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "{DETAILED} changed in {NEXT} (its wording, or its rows in AWS's workbook)"
        )),
        "{message}"
    );
}

#[test]
fn a_broken_checklist_is_refused_naming_file_line_and_field() {
    let s = Scratch::new();
    let file = next_release(&s);
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replacen("domain = \"security\"", "domain = \"securty\"", 1);
    let dir = s.file("release");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("partner-hosted.toml"), &broken).unwrap();
    let out = s
        .ftr()
        .args(["checklists", "add", "release"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("partner-hosted.toml, line "), "{err}");
    assert!(
        err.contains("field `control.domain`") || err.contains("securty"),
        "{err}"
    );
    assert!(!s.file(".data/checklists").exists(), "nothing installed");
    // The built-in version cannot be shadowed.
    let out = s
        .ftr()
        .args([
            "checklists",
            "add",
            concat!(env!("CARGO_MANIFEST_DIR"), "/content/partner-hosted.toml"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("built in"));
}

#[test]
fn a_project_on_a_version_that_is_not_installed_gets_a_clear_message() {
    let s = Scratch::new();
    answered_project(&s);
    let text = s
        .read_project()
        .replace("version = \"2026-02\"", "version = \"2025-08\"");
    std::fs::write(s.project(), text).unwrap();
    let check = json(&s, &["check", "--json"]);
    let f = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "checklist-version")
        .unwrap_or_else(|| panic!("{check}"));
    assert!(f["message"].as_str().unwrap().contains("not installed"));
    let out = s
        .ftr()
        .args(["migrate", "--to", "partner-hosted"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("partner-hosted@2025-08, which is not installed"),
        "{err}"
    );
    assert!(err.contains("ftr checklists add"), "{err}");
}

fn finding<'a>(check: &'a Value, code: &str) -> Option<&'a Value> {
    check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
}

#[test]
fn deadlines_after_a_review_are_warned_a_month_ahead_and_errors_once_past() {
    let s = Scratch::new();
    answered_project(&s);
    s.ok(&["set", "submitted", "2026-05-20"]);
    s.ok(&["set", "outcome", "findings"]);
    // Reviewed 1 June: the findings are due six months later, 1 December, 5 days from today.
    s.ok(&["set", "reviewed", "2026-06-01"]);
    let check = json(&s, &["check", "--json"]);
    let due = finding(&check, "remediation-due").unwrap_or_else(|| panic!("{check}"));
    assert_eq!(due["severity"], "warning");
    assert!(
        due["message"]
            .as_str()
            .unwrap()
            .contains("2026-12-01 (in 5 days)")
    );
    let status = String::from_utf8(s.ok(&["status"]).get_output().stdout.clone()).unwrap();
    assert!(
        status.contains("remediation due 2026-12-01 (in 5 days)"),
        "{status}"
    );
    assert!(status.contains("review findings on 2026-06-01"), "{status}");
    // Reviewed in mid-July: due in January, more than a month ahead, nothing to say yet in the check.
    s.ok(&["set", "reviewed", "2026-07-15"]);
    assert!(finding(&json(&s, &["check", "--json"]), "remediation-due").is_none());
    // Reviewed in May: past due, an error.
    s.ok(&["set", "reviewed", "2026-05-01"]);
    let check = json(&s, &["check", "--json"]);
    assert_eq!(
        finding(&check, "remediation-due").unwrap()["severity"],
        "error"
    );
    // Approved three years ago, less a fortnight: the renewal is near, and said unconfirmed.
    s.ok(&["set", "outcome", "approved"]);
    s.ok(&["set", "reviewed", "2023-12-10"]);
    let check = json(&s, &["check", "--json"]);
    let renewal = finding(&check, "renewal-due").unwrap_or_else(|| panic!("{check}"));
    assert_eq!(renewal["severity"], "warning");
    assert!(
        renewal["message"]
            .as_str()
            .unwrap()
            .contains("not confirmed")
    );
    let status = json(&s, &["status", "--json"]);
    assert_eq!(status["deadlines"][0]["kind"], "renewal");
    assert_eq!(status["deadlines"][0]["due"], "2026-12-10");
    assert_eq!(status["deadlines"][0]["confirmed"], false);
    assert_eq!(status["submission"]["outcome"], "approved");
    // Bad input is named.
    let out = s.ftr().args(["set", "outcome", "maybe"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pending, approved or findings"));
}

#[test]
fn a_version_that_is_no_file_name_is_refused() {
    let s = Scratch::new();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/partner-hosted.toml"
    ))
    .unwrap()
    .replacen("version = \"2026-02\"", "version = \"../../escape\"", 1);
    s.write("bad.toml", text);
    let out = s
        .ftr()
        .args(["checklists", "add", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("checklist.version") && err.contains("not a usable version"),
        "{err}"
    );
    assert!(!s.file("escape.toml").exists() && !s.file(".data/checklists").exists());
    let out = s
        .ftr()
        .args([
            "checklists",
            "scaffold",
            "--from",
            "partner-hosted",
            "--version",
            "../x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn confirming_the_model_keeps_the_version_a_damaged_or_undated_install_changes_nothing() {
    let s = Scratch::new();
    answered_project(&s);
    let file = next_release(&s);
    s.ok(&["checklists", "add", file.to_str().unwrap()]);
    // Confirming the same model keeps 2026-02: moving is ftr migrate's, which flags rewordings.
    s.ok(&["set", "model", "partner-hosted"]);
    let project: Table = toml::from_str(&s.read_project()).unwrap();
    assert_eq!(project["delivery"]["version"].as_str(), Some("2026-02"));
    // An installed file damaged by hand is left out with a warning; commands still run.
    let installed = s.file(".data/checklists/partner-hosted@2026-08.toml");
    let mut text = std::fs::read_to_string(&installed).unwrap();
    text.push_str("\ngarbage = [\n");
    std::fs::write(&installed, &text).unwrap();
    let out = s.ftr().args(["status"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: left out the installed checklist") && err.contains("--replace"),
        "{err}"
    );
    s.ok(&["checklists", "add", file.to_str().unwrap(), "--replace"]);
    assert!(s.ftr().args(["status"]).output().unwrap().stderr.is_empty());
    // A version with no release date can be named, but is never the one in use.
    let undated = common::release::text()
        .replace("released = 2026-08-20", "")
        .replace("version = \"2026-08\"", "version = \"2026-10\"");
    let undated_file = s.write("undated.toml", undated);
    let out = s.ok(&["checklists", "add", undated_file.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .contains("installed partner-hosted@2026-10")
    );
    let list = s.json(&["checklists", "--json"]);
    let in_use: Vec<&str> = list["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["in_use"] == true && c["id"] == "partner-hosted")
        .map(|c| c["version"].as_str().unwrap())
        .collect();
    assert_eq!(in_use, ["2026-08"]);
    s.ok(&[
        "checklists",
        "diff",
        "partner-hosted@2026-08",
        "partner-hosted@2026-10",
    ]);
}

#[test]
fn versions_order_by_their_numbers() {
    use ftr_wizard::content::version_order;
    use std::cmp::Ordering::*;
    assert_eq!(version_order("2026-10", "2026-9"), Greater);
    assert_eq!(version_order("2026-02", "2026-08"), Less);
    assert_eq!(version_order("2026-08", "2026-08"), Equal);
}

/// `checklists scaffold` changes the header's version and dates, never a line of a
/// multi-line text that happens to read like them.
#[test]
fn scaffold_leaves_lines_inside_multi_line_text_alone() {
    let s = Scratch::new();
    let guidance_lines =
        "[checklist]\nversion = \"2020-01\"\nreleased = 2020-01-01\nsupersedes = \"x\"";
    let text = common::content_file("partner-hosted.toml").replacen(
        "**What it asks.** A scope check",
        &format!("{guidance_lines}\n\n**What it asks.** A scope check"),
        1,
    );
    assert!(text.contains(guidance_lines));
    s.write("mine/partner-hosted.toml", &text);
    s.write(
        "mine/customer-deployed.toml",
        common::content_file("customer-deployed.toml"),
    );
    s.ftr()
        .args(["--content", "mine", "checklists", "scaffold"])
        .args([
            "--from",
            "partner-hosted",
            "--version",
            "2026-08",
            "--out",
            "next.toml",
        ])
        .assert()
        .success();
    let out = std::fs::read_to_string(s.file("next.toml")).unwrap();
    assert!(out.contains(guidance_lines), "the guidance changed:\n{out}");
    assert!(
        out.contains("\nversion = \"2026-08\"\nsupersedes = \"2026-02\"\n"),
        "{out}"
    );
}

/// `checklists add` names what it was given: a device is neither a file nor a folder, and a
/// file too big to be a checklist is called a checklist file, not a project file.
#[cfg(unix)]
#[test]
fn checklists_add_says_what_a_device_or_a_huge_file_is() {
    let s = Scratch::new();
    s.ftr()
        .args(["checklists", "add", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "/dev/zero is neither a file nor a folder",
        ));
    let big = s.file("big.toml");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(9_000_000).unwrap();
    s.ftr()
        .args(["checklists", "add", "big.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("a checklist file is at most"))
        .stderr(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains("project file"),
        ));
}

/// Issue 19, item 14: an installed file with the id and version of a built-in checklist (one
/// installed before ftr shipped that version, or copied in by hand) is never read: the
/// built-in one is used. Every command says so, naming the file; nothing else changes.
#[test]
fn an_installed_file_that_shadows_a_built_in_checklist_is_reported() {
    let s = Scratch::new();
    let built_in = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/partner-hosted.toml"),
    )
    .unwrap();
    let mine = built_in.replacen(
        "name = \"Partner-Hosted (SaaS)\"",
        "name = \"Mine, not the built-in one\"",
        1,
    );
    assert_ne!(mine, built_in);
    let installed = s.write(".data/checklists/my-partner-hosted.toml", &mine);
    let out = s.ftr().args(["checklists"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let warning = format!(
        "ftr: warning: the installed checklist {} is partner-hosted@2026-02, the id and version of the checklist built into ftr (content/partner-hosted.toml); that one is used",
        installed.display()
    );
    assert!(err.contains(&warning), "{err}");
    assert!(err.contains("delete it"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // The built-in one is the one listed and used.
    let list = s.json(&["checklists", "--json"]);
    let listed: Vec<&Value> = list["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["spec"] == "partner-hosted@2026-02")
        .collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["origin"], "content/partner-hosted.toml");
    assert_eq!(listed[0]["installed"], false);
    // Gone once the file is deleted, as the warning says.
    std::fs::remove_file(&installed).unwrap();
    let out = s.ftr().args(["checklists"]).output().unwrap();
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
}
