//! The `ftr` binary driven as a user (or a script) would: create, answer fully, check,
//! inspect, and every way of getting it wrong.

use ftr_wizard::content::{Library, Model};
use predicates::prelude::*;
use serde_json::Value;

use crate::common::{self, Scratch};

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("valid JSON")
}

#[test]
fn checklists_lists_the_three_checklists_with_their_counts() {
    let s = Scratch::new();
    let out = s.ftr().arg("checklists").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let line = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(
        line("partner-hosted").contains("44 controls (4 provisional)"),
        "{text}"
    );
    assert!(line("customer-deployed").contains("37 controls"), "{text}");
    assert!(line("alternative").contains("11 controls"), "{text}");
    assert!(line("partner-hosted").contains("2026-02"), "{text}");
    // The dates, approximate ones marked, on the line under each checklist.
    for want in [
        "released 2026-02-26, usable until about 2026-11-27; supersedes 2025-08 (accepted until 2026-05-27)",
        "released about 2022-03-01, no end date known, last verified 2026-04-23",
        "released 2025-08-29, usable until about 2026-05-27; supersedes 2025-02 (accepted until 2025-11-27)",
        "control ids are this tool's own, not the checklist's",
    ] {
        assert!(text.contains(want), "`{want}` missing from:\n{text}");
    }

    let out = s.ftr().args(["checklists", "--json"]).assert().success();
    let v = json(&out.get_output().stdout);
    let counts: Vec<(String, u64, u64)> = v["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["controls"].as_u64().unwrap(),
                c["provisional"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("partner-hosted".into(), 44, 4),
            ("customer-deployed".into(), 37, 0),
            ("alternative".into(), 11, 0)
        ]
    );
    assert_eq!(v["source"], "built-in");
    let ph = &v["checklists"][0];
    assert_eq!(ph["released"], "2026-02-26");
    assert_eq!(ph["released_approximate"], false);
    assert_eq!(ph["usable_until"], "2026-11-27");
    assert_eq!(ph["usable_until_approximate"], true);
    assert_eq!(ph["supersedes"], "2025-08");
    assert_eq!(ph["previous_accepted_until"], "2026-05-27");
    assert_eq!(ph["own_ids"], false);
    let cd = &v["checklists"][1];
    assert_eq!(cd["usable_until"], Value::Null);
    assert_eq!(cd["last_verified"], "2026-04-23");
    assert_eq!(v["checklists"][2]["own_ids"], true);
}

/// The built-in partner-hosted checklist a week after its window's approximate end: a warning
/// that says what is known, and every command says the window ended; once a newer release is
/// installed the same day, an error until the choice to go on is recorded.
#[test]
fn a_checklist_past_its_window_warns_until_a_newer_release_is_installed() {
    let s = Scratch::new();
    let on_4_dec = |s: &Scratch| {
        let mut cmd = s.ftr();
        cmd.env("FTR_TODAY", "2026-12-04")
            .env("FTR_NOW", "2026-12-04T09:00:00Z");
        cmd
    };
    on_4_dec(&s)
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: partner-hosted 2026-02: window ended about 2026-11-27 (7 days ago)",
        ));
    let expired = |s: &Scratch| {
        let out = on_4_dec(s).args(["check", "--json"]).assert().code(1);
        let v = json(&out.get_output().stdout);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "checklist-expired")
            .cloned()
            .expect("a checklist-expired finding")
    };
    // Setting the model again says the same, on a line of its own: real line breaks.
    let out = on_4_dec(&s)
        .args(["set", "model", "partner-hosted"])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "model: partner-hosted (checklist partner-hosted 2026-02), confirmed",
            "note: partner-hosted 2026-02: window ended about 2026-11-27 (7 days ago); \
             the readiness check says what is known and what to do",
        ],
        "{stdout:?}"
    );
    assert!(
        stdout.ends_with('\n') && !stdout.contains('\\'),
        "{stdout:?}"
    );
    let f = expired(&s);
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["command"], "ftr set accept-past-window yes");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("about 2026-11-27"), "{f}");
    assert!(message.contains("PSA or PDM"), "{f}");
    on_4_dec(&s)
        .args(["status"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "window ended about 2026-11-27 (7 days ago)",
        ));
    on_4_dec(&s)
        .args(["checklists"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[in use, window ended]"));
    // A newer release installed: the project stays on 2026-02, whose window is now closed.
    let next = s.write("next.toml", common::release::text());
    on_4_dec(&s)
        .args(["checklists", "add", next.to_str().unwrap()])
        .assert()
        .success();
    let f = expired(&s);
    assert_eq!(f["severity"], "error");
    assert!(
        f["message"].as_str().unwrap().contains("no longer accepts"),
        "{f}"
    );
    on_4_dec(&s)
        .args(["set", "accept-past-window", "yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "accept-past-window: yes, for partner-hosted 2026-02",
        ));
    assert!(
        s.read_project()
            .contains("accept_past_window = \"2026-02\"")
    );
    let f = expired(&s);
    assert_eq!(f["severity"], "warning");
    on_4_dec(&s)
        .args(["set", "model", "partner-hosted"])
        .assert()
        .success()
        .stdout(predicate::str::contains("window ended about 2026-11-27"));
    on_4_dec(&s)
        .args(["status"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "the project records the choice to go on with it",
        ));
    on_4_dec(&s)
        .args(["set", "accept-past-window", "--clear"])
        .assert()
        .success();
    assert!(!s.read_project().contains("accept_past_window"));
    assert_eq!(expired(&s)["severity"], "error");
    // Choosing the alternative path says who it is for and what is not confirmed.
    s.ftr()
        .args(["set", "model", "alternative"])
        .assert()
        .success()
        .stdout(predicate::str::contains("partner-hosted products only"))
        .stdout(predicate::str::contains("HOST-001"));
}

/// For each row of AWS's partner-hosted sheet that no scoping question answers, the choice
/// that passes it (`No` passes ARC-001.1, ARC-004.1 and IAM-009.1; `Temporary` IAM-005.2).
/// IAM-002.1 = Yes passes IAM-002 alone, so IAM-002.2 to .4 are left out. RES-001, RES-002
/// and RES-004 pass only with a response as well, which the test gives.
const PASSING_ROWS: &[(&str, &str)] = &[
    ("HOST-001.1", "yes"),
    ("HOST-001.2", "yes"),
    ("HOST-001.3", "yes"),
    ("SUP-001.1", "yes"),
    ("WAFR-001.1", "yes"),
    ("WAFR-001.2", "yes"),
    ("WAFR-002.1", "yes"),
    ("ARC-001.1", "no"),
    ("ARC-004.1", "no"),
    ("ARC-005.1", "yes"),
    ("ACOM-001.1", "yes"),
    ("ACOM-002.1", "yes"),
    ("IAM-001.1", "yes"),
    ("IAM-002.1", "yes"),
    ("IAM-003.1", "yes"),
    ("IAM-004.1", "yes"),
    ("IAM-005.2", "temporary"),
    ("IAM-006.1", "yes"),
    ("IAM-007.1", "yes"),
    ("IAM-008.1", "yes"),
    ("IAM-009.1", "no"),
    ("IAM-010.1", "yes"),
    ("IAM-011.1", "yes"),
    ("IAM-012.1", "yes"),
    ("IAM-012.2", "yes"),
    ("SECOPS-001.1", "yes"),
    ("NETSEC-001.1", "yes"),
    ("NETSEC-001.2", "yes"),
    ("NETSEC-002.1", "yes"),
    ("BAR-001.1", "yes"),
    ("BAR-002.1", "yes"),
    ("BAR-002.2", "yes"),
    ("RES-001.1", "yes"),
    ("RES-002.1", "yes"),
    ("RES-004.1", "yes"),
    ("RES-005.1", "yes"),
    ("RES-006.2", "yes"),
    ("RES-007.1", "yes"),
    ("S3-001.1", "yes"),
    ("CAA-001.1", "yes"),
    ("CAA-007.1", "yes"),
    ("CAA-002.1", "yes"),
    ("CAA-004.1", "yes"),
    ("CAA-005.1", "yes"),
    ("CAA-006.1", "yes"),
    ("CAA-003.1", "yes"),
    ("SDAT-001.1", "yes"),
    ("SDAT-002.1", "yes"),
    ("SDAT-003.1", "yes"),
    ("RCVP-001.2", "yes"),
];

/// Answers every row of [`PASSING_ROWS`] with `ftr answer ROW --choice C`.
fn answer_rows_to_pass(s: &Scratch) {
    for (row, choice) in PASSING_ROWS {
        s.ok(&["answer", row, "--choice", choice]);
    }
}

/// The whole story through the binary: new, profile, scoping, prerequisites, every control
/// answered with evidence, then status and check agree that it is ready.
#[test]
fn a_project_is_created_answered_fully_and_checked_ready_from_the_command_line() {
    let s = Scratch::new();
    s.ftr()
        .args([
            "new",
            "--company",
            "Acme Ltd",
            "--product",
            "Widget Cloud",
            "--model",
        ])
        .arg("partner-hosted")
        .assert()
        .success()
        .stdout(predicate::str::contains("Created ftr-assessment.toml"));
    s.ftr()
        .args(["set", "contact.email", "cto@acme.example"])
        .assert()
        .success();

    // Scoping: no customer-account access and no SLA; everything else applies.
    let lib = Library::embedded().unwrap();
    let checklist = lib.for_model(Model::PartnerHosted).unwrap();
    for q in &checklist.scoping {
        let value = match q.id.as_str() {
            "accesses_customer_accounts" | "accepts_customer_keys" | "publishes_sla" => "no",
            _ => "yes",
        };
        s.ftr()
            .args(["set", &format!("scoping.{}", q.id), value])
            .assert()
            .success()
            .stdout(predicate::str::contains(value));
    }
    for (key, value) in [
        ("prereq.software_path", "yes"),
        ("prereq.solution_created", "yes"),
        ("prereq.ace_terms", "yes"),
        ("prereq.ace_opportunities", "12"),
    ] {
        s.ftr().args(["set", key, value]).assert().success();
    }

    s.write("evidence/policy.pdf", "%PDF-1.7 policy");
    s.write(
        "evidence/iam/credential report.csv",
        "user,arn\nroot,arn:aws:iam::1:root\n",
    );
    let switched_off = [
        "CAA-001", "CAA-002", "CAA-003", "CAA-004", "CAA-005", "CAA-006", "CAA-007", "RES-006",
    ];
    for c in &checklist.controls {
        if switched_off.contains(&c.id.as_str()) {
            continue;
        }
        let response = format!(
            "We meet {} in production; the attached document shows the setting and who reviews it.",
            c.id
        );
        let mut cmd = s.ftr();
        cmd.args([
            "answer",
            &c.id.to_lowercase(),
            "--status",
            "met",
            "--response",
            &response,
        ]);
        if c.evidence {
            cmd.args([
                "--evidence",
                "evidence/policy.pdf",
                "--label",
                "Security policy",
            ]);
        }
        if c.id == "IAM-008" {
            cmd.args([
                "--evidence",
                "evidence/iam/credential report.csv",
                "--label",
                "Credential report",
                "--produced",
                "2026-11-01",
            ]);
        }
        // The values the checklist asks for, in the forms people type.
        for v in &c.values {
            let typed = match v.key.as_str() {
                "rpo" => "1h",
                "rto" => "4 hours",
                "last_test" => "2026-09-14",
                other => panic!("no value for {other} in this test"),
            };
            cmd.args(["--value", &format!("{}={typed}", v.key)]);
        }
        cmd.assert()
            .success()
            .stdout(predicate::str::starts_with(format!("{}: met", c.id)));
    }

    let out = s.ftr().args(["status", "--json"]).assert().success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["overall"]["total"], 44);
    assert_eq!(v["overall"]["unanswered"], 0);
    // Not applicable: marked so, or switched off by scoping (counted apart).
    assert_eq!(
        v["overall"]["not_applicable"].as_u64().unwrap()
            + v["overall"]["scoped_out"].as_u64().unwrap(),
        8
    );
    assert_eq!(v["overall"]["met"], 36);
    assert_eq!(v["model_confirmed"], true);
    assert_eq!(v["unanswered"].as_array().unwrap().len(), 0);

    s.ftr()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("Acme Ltd: Widget Cloud"))
        .stdout(predicate::str::contains(
            "Every applicable control is answered",
        ));

    // Marked met, but AWS's sheet grades each control by its workbook rows: not ready until
    // they are answered.
    let v = s.json(&["check", "--json"]);
    assert_eq!(v["ready"], false, "{v:#}");
    let unanswered = common::codes(&v, "rows-unanswered");
    assert_eq!(unanswered.len(), 36, "{unanswered:?}");
    assert!(unanswered.contains(&"HOST-001".to_string()));
    assert_eq!(
        common::finding(&v, "rows-unanswered")["command"],
        "ftr answer HOST-001.1 --choice yes"
    );
    answer_rows_to_pass(&s);
    let v = s.json(&["status", "--json"]);
    assert_eq!(v["overall"]["met"], 36);
    assert_eq!(v["sheet"]["pass"], 44, "{:#}", v["sheet"]);

    let out = s.ftr().args(["check", "--json"]).assert().code(0);
    let v = json(&out.get_output().stdout);
    assert_eq!(v["ready"], true, "{v:#}");
    assert_eq!(v["errors"], 0);

    s.ftr()
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Ready: no blocking findings"));

    // The file records what was said, relative to the project folder.
    let text = s.read_project();
    assert!(
        text.contains("path = \"evidence/iam/credential report.csv\""),
        "{text}"
    );
    assert!(text.contains("produced = 2026-11-01"), "{text}");
    assert!(text.contains("label = \"Credential report\""), "{text}");
    assert!(
        text.contains("contact_email = \"cto@acme.example\""),
        "{text}"
    );

    // Evidence changed after it was attached makes the project not ready again.
    s.write("evidence/policy.pdf", "%PDF-1.7 policy, edited");
    s.ftr()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "evidence/policy.pdf changed since it was attached",
        ))
        .stdout(predicate::str::contains("Not ready"));
}

#[test]
fn check_names_each_problem_and_exits_one() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "customer-deployed"])
        .assert()
        .success();
    s.ftr()
        .args(["answer", "INT-001", "--status", "met", "--response", "Yes."])
        .assert()
        .success();
    s.ftr()
        .args(["answer", "INT-002", "--status", "na"])
        .assert()
        .success();
    s.ftr()
        .args([
            "answer",
            "INT-003",
            "--status",
            "not-met",
            "--plan",
            "Document multi-AZ",
        ])
        .assert()
        .success();
    let out = s.ftr().args(["check", "--json"]).assert().code(1);
    let v = json(&out.get_output().stdout);
    let find = |code: &str, control: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code && f["control"] == control)
            .cloned()
            .unwrap_or_else(|| panic!("no {code} for {control} in {v:#}"))
    };
    assert_eq!(find("met-without-evidence", "INT-001")["severity"], "error");
    assert_eq!(find("response-thin", "INT-001")["severity"], "warning");
    assert_eq!(
        find("not-applicable-without-reason", "INT-002")["severity"],
        "error"
    );
    let plan = find("not-met-without-plan", "INT-003");
    assert!(
        plan["message"]
            .as_str()
            .unwrap()
            .contains("an owner and a due date")
    );
    assert!(plan["command"].as_str().unwrap().contains("--owner"));
    assert_eq!(plan["fix"], "Plan the fix.");
    assert_eq!(find("unanswered", "INT-004")["severity"], "error");
    assert_eq!(v["ready"], false);

    s.ftr()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "INT-002 is marked not applicable without a reason.",
        ))
        .stdout(predicate::str::contains(
            "fix: Say why it cannot apply.\n             ftr answer INT-002 --reason TEXT",
        ));
}

#[test]
fn a_project_without_a_model_is_not_ready_and_says_how_to_choose() {
    let s = Scratch::new();
    s.ftr()
        .arg("new")
        .assert()
        .success()
        .stdout(predicate::str::contains("ftr set model"));
    s.ftr()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("No delivery model is chosen"));
    s.ftr()
        .args(["answer", "IAM-001", "--status", "met"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no delivery model"));
    s.ftr()
        .args(["set", "model", "alternative"])
        .assert()
        .success()
        .stdout(predicate::str::contains("checklist alternative 2025-08"));
    s.ftr()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains("SOC-001"));
}

#[test]
fn switching_model_keeps_the_other_checklists_answers() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.ftr()
        .args([
            "answer",
            "BAR-001",
            "--status",
            "met",
            "--response",
            "AWS Backup daily plans",
        ])
        .assert()
        .success();
    s.ftr()
        .args(["set", "model", "customer-deployed"])
        .assert()
        .success();
    // BAR-001 exists in both checklists with different meanings: not carried over.
    let out = s.ftr().args(["status", "--json"]).assert().success();
    assert_eq!(json(&out.get_output().stdout)["overall"]["met"], 0);
    s.ftr()
        .args(["set", "model", "partner-hosted"])
        .assert()
        .success();
    let out = s.ftr().args(["status", "--json"]).assert().success();
    assert_eq!(json(&out.get_output().stdout)["overall"]["met"], 1);
    assert!(s.read_project().contains("AWS Backup daily plans"));
}

#[test]
fn scoping_switches_controls_off_with_the_answer_as_reason() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.ftr()
        .args(["set", "scoping.stores_sensitive_data", "no"])
        .assert()
        .success();
    let out = s.ftr().args(["status", "--json"]).assert().success();
    let v = json(&out.get_output().stdout);
    // No sensitive data switches off the two encryption controls; identifying the data
    // (SDAT-001) is asked either way.
    assert_eq!(v["overall"]["scoped_out"], 2);
    let left: Vec<&str> = v["unanswered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!left.contains(&"SDAT-002"));
    assert!(left.contains(&"SDAT-001"));
    // Answering a switched-off control is kept, with a note.
    s.ftr()
        .args(["answer", "SDAT-002", "--status", "met"])
        .assert()
        .success()
        .stdout(predicate::str::contains("switched off by scoping"));
    s.ftr()
        .args(["set", "scoping.stores_sensitive_data", "unset"])
        .assert()
        .success();
    let out = s.ftr().args(["status", "--json"]).assert().success();
    assert_eq!(json(&out.get_output().stdout)["overall"]["met"], 1);
}

#[test]
fn answer_records_notes_plan_labels_dates_and_removal() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.write("a.png", "png-a");
    s.write("b.pdf", "pdf-b");
    s.ftr()
        .args([
            "answer",
            "BAR-002",
            "--status",
            "not-met",
            "--notes",
            "Ask ops",
            "--plan",
            "Quarterly restore drill",
            "--owner",
            "Sam",
            "--due",
            "2027-01-31",
            "--evidence",
            "a.png",
            "--label",
            "Restore log",
            "--produced",
            "2026-10-01",
            "--evidence",
            "b.pdf",
        ])
        .assert()
        .success()
        .stdout(
            "BAR-002: not met, 2 evidence files\n  \
             BAR-002.1 unanswered\n  \
             BAR-002.2 unanswered\n  \
             AWS's sheet: fail: BAR-002.1 is unanswered (Yes passes), \
             BAR-002.2 is unanswered (Yes passes)\n",
        );
    let text = s.read_project();
    for needle in [
        "status = \"not-met\"",
        "notes = \"Ask ops\"",
        "what = \"Quarterly restore drill\"",
        "owner = \"Sam\"",
        "due = 2027-01-31",
        "path = \"a.png\"",
        "label = \"Restore log\"",
        "produced = 2026-10-01",
        "path = \"b.pdf\"",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
    s.ftr()
        .args(["answer", "BAR-002", "--remove-evidence", "a.png"])
        .assert()
        .success()
        .stdout(
            "BAR-002: not met, 1 evidence file\n  \
             BAR-002.1 unanswered\n  \
             BAR-002.2 unanswered\n  \
             AWS's sheet: fail: BAR-002.1 is unanswered (Yes passes), \
             BAR-002.2 is unanswered (Yes passes)\n",
        );
    s.ftr()
        .args(["answer", "BAR-002", "--remove-evidence", "nope.png"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "BAR-002 has no evidence `nope.png`",
        ))
        .stderr(predicate::str::contains("attached: b.pdf"));
    s.ftr()
        .args(["answer", "BAR-002", "--label", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more --label"));
}

#[test]
fn a_long_response_can_come_from_standard_input() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.ftr()
        .args([
            "answer",
            "ARC-005",
            "--status",
            "met",
            "--response-file",
            "-",
        ])
        .write_stdin("Our incident plan:\n\n1. Detect\n2. Contain\n")
        .assert()
        .success();
    let text = s.read_project();
    assert!(
        text.contains("Our incident plan:\n\n1. Detect\n2. Contain"),
        "{text}"
    );
    let loaded = ftr_wizard::store::load(&s.project(), &Library::embedded().unwrap()).unwrap();
    assert_eq!(
        loaded.project.answers["partner-hosted"]["ARC-005"].response,
        "Our incident plan:\n\n1. Detect\n2. Contain"
    );
}

#[test]
fn bad_input_exits_two_and_changes_nothing() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let before = s.read_project();
    let cases: &[(&[&str], &str)] = &[
        (
            &["answer", "IAM-999", "--status", "met"],
            "has no control `IAM-999`",
        ),
        (
            &["answer", "IAM-001", "--status", "maybe"],
            "use met, not-met, na or unanswered",
        ),
        (
            &["answer", "IAM-001", "--evidence", "missing.png"],
            "missing.png",
        ),
        (&["answer", "IAM-001", "--due", "2027-13-01"], "YYYY-MM-DD"),
        (
            &["answer", "IAM-001", "--evidence", "."],
            "is not a regular file",
        ),
        (&["set", "colour", "blue"], "unknown key `colour`"),
        (&["set", "model", "on-prem"], "is not a delivery model"),
        (
            &["set", "scoping.has_any_s3_bucket", "perhaps"],
            "answer yes or no",
        ),
        (
            &["set", "accept-past-window", "perhaps"],
            "is not an answer for accept-past-window",
        ),
        (
            &["set", "prereq.ace_opportunities", "many"],
            "give a whole number",
        ),
        (&["new"], "already exists"),
    ];
    for (args, needle) in cases {
        s.ftr()
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*needle));
        assert_eq!(s.read_project(), before, "{args:?} changed the file");
    }
    // Unknown keys list the valid ones.
    s.ftr()
        .args(["set", "colour", "blue"])
        .assert()
        .stderr(predicate::str::contains("scoping.has_any_s3_bucket"))
        .stderr(predicate::str::contains("prereq.ace_terms"));
}

#[test]
fn a_malformed_project_file_is_reported_and_left_alone() {
    let s = Scratch::new();
    let bad = "schema_version = 1\n\n[profile]\ncompany = \"Acme\"\nproduct = Widget\n";
    s.write("ftr-assessment.toml", bad);
    for args in [
        vec!["status"],
        vec!["check"],
        vec!["set", "company", "X"],
        vec!["answer", "IAM-001", "--status", "met"],
    ] {
        s.ftr()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "ftr-assessment.toml, line 5, column 11",
            ))
            .stderr(predicate::str::contains("profile.product"));
        assert_eq!(s.read_project(), bad);
    }
    for (text, needle) in [
        (
            "schema_version = 9\n",
            "schema version 9; this ftr reads up to version 3",
        ),
        (
            "schema_version = 1\n[delivery]\nmodel = \"partner-hosted\"\nchecklist = \"saas-v9\"\n",
            "line 4, column 13, field `delivery.checklist`: unknown checklist `saas-v9`",
        ),
    ] {
        s.write("other.toml", text);
        s.ftr()
            .args(["check", "--project", "other.toml"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
        assert_eq!(std::fs::read_to_string(s.file("other.toml")).unwrap(), text);
    }
    s.ftr()
        .args(["status", "--project", "elsewhere.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no project file at elsewhere.toml",
        ))
        .stderr(predicate::str::contains("ftr new"));
}

#[test]
fn a_project_path_can_be_named_anywhere() {
    let s = Scratch::new();
    std::fs::create_dir(s.file("acme")).unwrap();
    s.ftr()
        .args(["new", "acme", "--model", "alternative"])
        .assert()
        .success()
        .stdout(predicate::str::contains("acme/ftr-assessment.toml"));
    s.ftr()
        .args([
            "--project",
            "acme/ftr-assessment.toml",
            "set",
            "scoping.submits_soc2",
            "yes",
        ])
        .assert()
        .success();
    let out = s
        .ftr()
        .args(["status", "--json", "--project", "acme/ftr-assessment.toml"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(
        v["overall"]["scoped_out"], 6,
        "the WAFR track is switched off"
    );
    // The recent list remembers it.
    let recent = std::fs::read_to_string(s.file(".data/recent.toml")).unwrap();
    assert!(recent.contains("acme/ftr-assessment.toml"), "{recent}");
}

#[test]
fn a_content_folder_replaces_the_checklists_and_bad_ones_are_named() {
    let s = Scratch::new();
    let text = common::content_file("alternative.toml")
        .replace("version = \"2025-08\"", "version = \"2026-08\"");
    s.write("next/alternative.toml", &text);
    s.ftr()
        .args(["checklists", "--content", "next"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-08"))
        .stdout(predicate::str::contains("partner-hosted").not());
    // The environment variable does the same.
    s.ftr()
        .arg("checklists")
        .env("FTR_CONTENT_DIR", "next")
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-08"));
    let broken = text.replacen("evidence = true", "evidence = \"yes\"", 1);
    let line = broken.lines().position(|l| l.contains("\"yes\"")).unwrap() + 1;
    s.write("next/alternative.toml", &broken);
    s.ftr()
        .args(["checklists", "--content", "next"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "alternative.toml, line {line}"
        )))
        .stderr(predicate::str::contains("field `control.evidence`"));
}

#[test]
fn an_answer_to_a_control_the_checklist_dropped_is_kept_and_reported() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let mut text = s.read_project();
    text.push_str("\n[answers.partner-hosted.ARC-003]\nstatus = \"met\"\nresponse = \"Root MFA everywhere.\"\n");
    s.write("ftr-assessment.toml", &text);
    s.ftr()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "ARC-003, which checklist partner-hosted 2026-02 does not have",
        ));
    s.ftr()
        .args(["answer", "IAM-001", "--status", "met"])
        .assert()
        .success();
    assert!(s.read_project().contains("Root MFA everywhere."));
}

#[test]
fn every_subcommand_has_help_and_the_binary_a_version() {
    let s = Scratch::new();
    s.ftr()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "ftr {}",
            env!("CARGO_PKG_VERSION")
        )));
    s.ftr()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes"));
    // tests/it/cli_extras.rs keeps the list of subcommands true to the command line.
    for sub in [
        "new",
        "open",
        "answer",
        "set",
        "status",
        "check",
        "export",
        "checklists",
        "completions",
        "man",
    ] {
        s.ftr()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: ftr"));
    }
}

#[test]
fn the_wizard_without_a_terminal_points_to_the_commands() {
    let s = Scratch::new();
    s.ftr()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the wizard needs a terminal"))
        .stderr(predicate::str::contains("ftr answer"));
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let before = s.read_project();
    s.ftr()
        .args(["open", "ftr-assessment.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a terminal"));
    assert_eq!(s.read_project(), before);
}

#[test]
fn the_soc2_or_wafr_answer_can_be_set_from_the_command_line() {
    let s = Scratch::new();
    s.ftr().arg("new").assert().success();
    s.ftr().args(["set", "waiver", "yes"]).assert().success();
    assert!(s.read_project().contains("holds_soc2_or_wafr = true"));
    s.ftr()
        .args(["set", "waiver", "perhaps"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("answer yes or no"));
    s.ftr().args(["set", "waiver", "unset"]).assert().success();
    assert!(!s.read_project().contains("holds_soc2_or_wafr"));
}

/// The first bytes of a PNG file, then a little more.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";

/// The findings of `ftr check --json` about the upload files, as (code, severity, slot).
fn slot_findings(s: &Scratch) -> (i32, Vec<(String, String, String)>, Value) {
    let out = s.ftr().args(["check", "--json"]).output().unwrap();
    let v = json(&out.stdout);
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("slot").is_some())
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["slot"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap(), found, v)
}

fn finding(code: &str, severity: &str, slot: &str) -> (String, String, String) {
    (code.into(), severity.into(), slot.into())
}

#[test]
fn the_diagram_and_security_reports_are_set_shown_and_cleared() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let before = s.read_project();
    s.write("docs/architecture.png", PNG);
    s.write(
        "reports/cis eu-west-1.csv",
        "Control,Status\nIAM.1,PASSED\n",
    );
    s.write("reports/cis-us-east-1.csv", "Control,Status\n");

    s.ftr()
        .args(["set", "diagram", "docs/architecture.png"])
        .args(["--label", "Services and network"])
        .assert()
        .success()
        .stdout("diagram: docs/architecture.png (20 B)\n");
    s.ftr()
        .args(["set", "security-report", "reports/cis eu-west-1.csv"])
        .args(["--produced", "2026-11-20"])
        .assert()
        .success()
        .stdout(
            "security-report: reports/cis eu-west-1.csv (28 B, produced 2026-11-20); 1 report attached\n",
        );
    s.ftr()
        .args(["set", "security-report", "reports/cis-us-east-1.csv"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("; 2 reports attached\n"));
    let text = s.read_project();
    for needle in [
        "[profile.diagram]\npath = \"docs/architecture.png\"\nsha256 = \"",
        "label = \"Services and network\"",
        "[[profile.security_reports]]\npath = \"reports/cis eu-west-1.csv\"",
        "attached = 2026-11-26T09:00:00Z\nproduced = 2026-11-20",
        "[[profile.security_reports]]\npath = \"reports/cis-us-east-1.csv\"",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }

    // The same path again refreshes its fingerprint, keeping its date: still two reports.
    s.write(
        "reports/cis eu-west-1.csv",
        "Control,Status\nIAM.1,FAILED\n",
    );
    s.ftr()
        .args(["set", "security-report", "./reports/cis eu-west-1.csv"])
        .assert()
        .success()
        .stdout(
            "security-report: reports/cis eu-west-1.csv (28 B, produced 2026-11-20); 2 reports attached\n",
        );
    assert_eq!(
        s.read_project()
            .matches("[[profile.security_reports]]")
            .count(),
        2
    );

    // status, as text and as JSON.
    s.ftr()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Architecture diagram: docs/architecture.png (20 B, Services and network)\n\
             Security tool reports (2): reports/cis eu-west-1.csv (28 B, produced 2026-11-20), \
             reports/cis-us-east-1.csv (15 B)\n",
        ));
    let out = s.ftr().args(["status", "--json"]).assert().success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["diagram"]["path"], "docs/architecture.png");
    assert_eq!(v["diagram"]["size"], 20);
    assert_eq!(v["diagram"]["label"], "Services and network");
    assert_eq!(v["diagram"]["attached"], "2026-11-26T09:00:00Z");
    assert_eq!(v["diagram"]["sha256"].as_str().unwrap().len(), 64);
    let reports = v["security_reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["produced"], "2026-11-20");
    assert_eq!(reports[1]["produced"], Value::Null);

    // A ready-made diagram replaces the first; its old file stays on disk.
    s.write("docs/v2.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF");
    s.ftr()
        .args(["set", "diagram", "docs/v2.jpg"])
        .assert()
        .success();
    let text = s.read_project();
    assert!(text.contains("path = \"docs/v2.jpg\""), "{text}");
    assert!(!text.contains("docs/architecture.png"), "{text}");
    assert!(s.file("docs/architecture.png").exists());

    // --clear FILE detaches one report, --clear (or unset) every one, unset the diagram.
    s.ftr()
        .args([
            "set",
            "security-report",
            "--clear",
            "reports/cis-us-east-1.csv",
        ])
        .assert()
        .success()
        .stdout("security-report: detached reports/cis-us-east-1.csv; 1 report left\n");
    s.ftr()
        .args(["set", "security-report", "--clear"])
        .assert()
        .success()
        .stdout("security-report: none (1 report detached)\n");
    s.ftr()
        .args(["set", "diagram", "unset"])
        .assert()
        .success()
        .stdout("diagram: none\n");
    assert_eq!(
        s.read_project(),
        before,
        "a file without attachments reads as before"
    );
    assert!(s.file("reports/cis-us-east-1.csv").exists());
    s.ftr()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Architecture diagram: none (ftr set diagram FILE)\n\
             Security tool reports: none (ftr set security-report FILE)\n",
        ));
}

#[test]
fn bad_diagram_and_report_input_exits_2_and_changes_nothing() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.write("r.csv", "Control,Status\n");
    s.ftr()
        .args(["set", "security-report", "r.csv"])
        .assert()
        .success();
    s.write("folder/x", "");
    let before = s.read_project();
    let cases: [(&[&str], &str); 7] = [
        (
            &["set", "diagram", "nope.png"],
            "diagram: there is no file nope.png",
        ),
        (
            &["set", "diagram", "folder"],
            "folder is not a regular file",
        ),
        (
            &["set", "security-report", "--clear", "other.csv"],
            "no security tool report `other.csv` is attached",
        ),
        (
            &[
                "set",
                "security-report",
                "r.csv",
                "--produced",
                "2026-02-30",
            ],
            "YYYY-MM-DD",
        ),
        (
            &["set", "company", "Acme", "--produced", "2026-11-20"],
            "--produced and --label go with a file, not with `company`",
        ),
        (
            &["set", "security-report", "unset", "--label", "x"],
            "--produced and --label go with a file to attach to security-report",
        ),
        (
            &["set", "company", "Acme", "--clear"],
            "--clear takes no value",
        ),
    ];
    for (args, message) in cases {
        s.ftr()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert_eq!(s.read_project(), before, "{args:?} changed the file");
    }
    // --clear on any other key clears it.
    s.ftr()
        .args(["set", "product", "Widget"])
        .assert()
        .success();
    s.ftr()
        .args(["set", "product", "--clear"])
        .assert()
        .success();
    assert_eq!(s.read_project(), before);
}

#[test]
fn check_warns_while_the_diagram_or_the_security_report_is_missing() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let (_, found, v) = slot_findings(&s);
    assert_eq!(
        found,
        vec![
            finding("diagram-missing", "warning", "diagram"),
            finding("security-report-missing", "warning", "security-report"),
        ]
    );
    let commands: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("slot").is_some())
        .map(|f| f["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        ["ftr set diagram FILE", "ftr set security-report FILE"]
    );
    s.ftr()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "warning No architecture diagram is attached",
        ));
    s.write("d.png", PNG);
    s.write("r.csv", "Control,Status\n");
    s.ftr().args(["set", "diagram", "d.png"]).assert().success();
    s.ftr()
        .args(["set", "security-report", "r.csv"])
        .assert()
        .success();
    assert_eq!(slot_findings(&s).1, vec![]);
}

#[test]
fn check_warns_for_a_diagram_that_is_not_png_or_jpeg_by_its_bytes() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.write("diagram.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00");
    s.ftr()
        .args(["set", "diagram", "diagram.gif"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: diagram.gif is not a PNG or JPEG image (its first bytes are a GIF image)",
        ));
    let (_, found, v) = slot_findings(&s);
    assert!(
        found.contains(&finding("diagram-format", "warning", "diagram")),
        "{found:?}"
    );
    let message = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "diagram-format")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("a GIF image"), "{message}");

    // A text file named .png is no PNG either.
    s.write("architecture.png", "TODO: draw the architecture\n");
    s.ftr()
        .args(["set", "diagram", "architecture.png"])
        .assert()
        .success()
        .stdout(predicate::str::contains("is not a PNG or JPEG image"));
    let (_, found, _) = slot_findings(&s);
    assert!(
        found.contains(&finding("diagram-format", "warning", "diagram")),
        "{found:?}"
    );
    s.ftr()
        .arg("check")
        .assert()
        .stdout(predicate::str::contains(
            "The architecture diagram architecture.png is not a PNG or JPEG image: its first \
             bytes are neither a PNG nor a JPEG image.",
        ));

    // The real thing, under any name, passes.
    s.write("architecture.png", PNG);
    s.ftr()
        .args(["set", "diagram", "architecture.png"])
        .assert()
        .success()
        .stdout("diagram: architecture.png (20 B)\n");
    let (_, found, _) = slot_findings(&s);
    assert!(!found.iter().any(|f| f.0 == "diagram-format"), "{found:?}");
}

#[test]
fn check_warns_for_a_security_report_older_than_the_checklists_rule() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.write("cis.csv", "Control,Status\n");
    // 40 days before FTR_TODAY (2026-11-26); the checklist allows 30.
    s.ftr()
        .args([
            "set",
            "security-report",
            "cis.csv",
            "--produced",
            "2026-10-17",
        ])
        .assert()
        .success();
    let (code, found, v) = slot_findings(&s);
    assert_eq!(code, 1, "unanswered controls keep it not ready");
    assert!(
        found.contains(&finding(
            "security-report-stale",
            "warning",
            "security-report"
        )),
        "{found:?}"
    );
    let stale = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "security-report-stale")
        .unwrap();
    assert!(
        stale["message"].as_str().unwrap().contains(
            "dates from 2026-10-17 (40 days ago); scan results count as fresh for 30 days"
        ),
        "{stale}"
    );
    assert_eq!(
        stale["command"],
        "ftr set security-report cis.csv --produced YYYY-MM-DD"
    );
    // Recording a fresh download clears it.
    s.ftr()
        .args([
            "set",
            "security-report",
            "cis.csv",
            "--produced",
            "2026-11-25",
        ])
        .assert()
        .success();
    let (_, found, _) = slot_findings(&s);
    assert_eq!(
        found,
        vec![finding("diagram-missing", "warning", "diagram")]
    );
}

#[test]
fn check_errors_when_a_security_report_changed_since_attached() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "customer-deployed"])
        .assert()
        .success();
    s.write("d.png", PNG);
    s.write("reports/cis prod.csv", "Control,Status\nIAM.1,PASSED\n");
    s.ftr().args(["set", "diagram", "d.png"]).assert().success();
    s.ftr()
        .args(["set", "security-report", "reports/cis prod.csv"])
        .assert()
        .success();
    s.ok(&["set", "deployment-guide", "https://docs.example.com/deploy"]);
    assert_eq!(slot_findings(&s).1, vec![]);
    // Same size, other bytes: caught by the fingerprint.
    s.write("reports/cis prod.csv", "Control,Status\nIAM.1,FAILED\n");
    std::fs::remove_file(s.file("d.png")).unwrap();
    let (code, found, v) = slot_findings(&s);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![
            finding("evidence-missing", "error", "diagram"),
            finding("evidence-changed", "error", "security-report"),
        ]
    );
    let commands: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("slot").is_some())
        .map(|f| f["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        [
            "ftr set diagram --clear d.png",
            "ftr set security-report 'reports/cis prod.csv'",
        ]
    );
    // The commands the check prints do what they say.
    s.ftr()
        .args(["set", "diagram", "--clear", "d.png"])
        .assert()
        .success();
    s.ftr()
        .args(["set", "security-report", "reports/cis prod.csv"])
        .assert()
        .success();
    let (_, found, _) = slot_findings(&s);
    assert_eq!(
        found,
        vec![finding("diagram-missing", "warning", "diagram")]
    );
}

/// One file cited by two controls has one fingerprint: attaching it again to either records
/// it anew for both (and says so), and a control given it without a label takes the label it
/// already carries.
#[test]
fn attaching_a_shared_file_again_records_it_anew_for_every_control() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    s.write("policy.pdf", "first");
    s.ok(&[
        "answer",
        "IAM-001",
        "--evidence",
        "policy.pdf",
        "--label",
        "Access policy",
    ]);
    s.ftr()
        .args(["answer", "IAM-002", "--evidence", "policy.pdf"])
        .assert()
        .success()
        .stdout(
            "IAM-002: unanswered, 1 evidence file\n  \
             IAM-002.1 unanswered\n  \
             IAM-002.2 unanswered\n  \
             IAM-002.3 unanswered\n  \
             IAM-002.4 unanswered\n  \
             AWS's sheet: fail: IAM-002.1 is unanswered (Yes passes)\n",
        );
    s.write("policy.pdf", "second edition");
    s.ftr()
        .args(["check", "--json"])
        .assert()
        .stdout(predicate::str::contains("evidence-changed"));
    s.ftr()
        .args(["answer", "IAM-002", "--evidence", "policy.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: policy.pdf is cited by IAM-001 too; recorded anew there as well.",
        ));
    let out = s.json(&["check", "--json"]).to_string();
    assert!(!out.contains("evidence-changed"), "{out}");
    let project: toml::Value = toml::from_str(&s.read_project()).unwrap();
    let answers = &project["answers"]["partner-hosted"];
    for id in ["IAM-001", "IAM-002"] {
        let ev = &answers[id]["evidence"][0];
        assert_eq!(ev["size"].as_integer(), Some(14), "{id}");
        assert_eq!(ev["label"].as_str(), Some("Access policy"), "{id}");
    }
}

/// A finding about an attached file names it in `file` in `ftr check --json`.
#[test]
fn check_json_names_the_file_a_finding_is_about() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    s.write("evidence/policy.pdf", "first");
    s.ok(&["answer", "IAM-001", "--evidence", "evidence/policy.pdf"]);
    s.write("evidence/policy.pdf", "second edition");
    let report = s.json(&["check", "--json"]);
    let changed: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "evidence-changed")
        .collect();
    assert_eq!(changed.len(), 1, "{report}");
    assert_eq!(changed[0]["file"], "evidence/policy.pdf");
    assert_eq!(changed[0]["control"], "IAM-001");
    let unanswered = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "unanswered")
        .unwrap();
    assert!(unanswered.get("file").is_none(), "{unanswered}");
}

/// Attaching a file again leaves alone the other attachments that still match it, their
/// attachment date too (their freshness counts from it); one that no longer matches, a control's
/// or the diagram's, records it anew, and the note names it.
#[test]
fn reattaching_refreshes_only_what_changed_and_the_upload_slots_too() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    s.write("f.pdf", "report");
    s.ftr()
        .env("FTR_TODAY", "2026-06-01")
        .env("FTR_NOW", "2026-06-01T09:00:00Z")
        .args(["answer", "IAM-002", "--evidence", "f.pdf"])
        .assert()
        .success();
    // Unchanged, attached again elsewhere: IAM-002 keeps its date, and nothing is said.
    s.ftr()
        .args(["answer", "IAM-001", "--evidence", "f.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::contains("note:").not());
    let project: toml::Value = toml::from_str(&s.read_project()).unwrap();
    let attached = |p: &toml::Value, id: &str| {
        p["answers"]["partner-hosted"][id]["evidence"][0]["attached"].to_string()
    };
    assert!(
        attached(&project, "IAM-002").contains("2026-06-01"),
        "{project}"
    );
    assert!(
        attached(&project, "IAM-001").contains("2026-11-26"),
        "{project}"
    );

    // The same file as the diagram: changed, then attached again to a control.
    s.write("d.png", "\u{89}PNG\r\n\u{1a}\n first");
    s.ok(&["set", "diagram", "d.png"]);
    s.ok(&["answer", "IAM-003", "--evidence", "d.png"]);
    s.write("d.png", "\u{89}PNG\r\n\u{1a}\n second edition");
    s.ftr()
        .args(["answer", "IAM-003", "--evidence", "d.png"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: d.png is cited by the architecture diagram too; recorded anew there as well.",
        ));
    let out = s.json(&["check", "--json"]).to_string();
    assert!(!out.contains("evidence-changed"), "{out}");
    // And the other way: the diagram attached again renews the control's copy.
    s.write("d.png", "\u{89}PNG\r\n\u{1a}\n third edition, longer");
    s.ftr()
        .args(["set", "diagram", "d.png"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: d.png is cited by IAM-003 too; recorded anew there as well.",
        ));
    let out = s.json(&["check", "--json"]).to_string();
    assert!(!out.contains("evidence-changed"), "{out}");
}

/// A date given with the new content is the date of every copy renewed; a copy among another
/// checklist's answers is named with its checklist, never as the control being answered.
#[test]
fn renewed_copies_take_the_new_date_and_other_checklists_are_named() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    s.write("p.pdf", "first");
    s.ok(&[
        "answer",
        "IAM-002",
        "--evidence",
        "p.pdf",
        "--produced",
        "2025-01-01",
    ]);
    s.ok(&["answer", "BAR-001", "--evidence", "p.pdf"]);
    s.write("p.pdf", "second edition");
    s.ok(&[
        "answer",
        "IAM-003",
        "--evidence",
        "p.pdf",
        "--produced",
        "2026-11-20",
    ]);
    let project: toml::Value = toml::from_str(&s.read_project()).unwrap();
    let ev = &project["answers"]["partner-hosted"]["IAM-002"]["evidence"][0];
    assert_eq!(ev["size"].as_integer(), Some(14));
    assert_eq!(ev["produced"].to_string(), "2026-11-20", "{project}");

    // The same file among the partner-hosted answers, answered now on customer-deployed.
    s.ok(&["set", "model", "customer-deployed"]);
    s.write("p.pdf", "third edition, longer");
    s.ftr()
        .args(["answer", "BAR-001", "--evidence", "p.pdf"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: p.pdf is cited by BAR-001 (partner-hosted answers), IAM-002 (partner-hosted answers) and IAM-003 (partner-hosted answers) too",
        ));
}

/// A project whose checklist version is not installed (a teammate installed it, or the file
/// was removed): every command warns, `ftr check` fails naming the version and how to install
/// it, and `ftr export` refuses rather than exporting against another version.
#[test]
fn a_project_on_a_version_that_is_not_installed_is_an_error_everywhere() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let text = s
        .read_project()
        .replace("version = \"2026-02\"", "version = \"2025-08\"");
    assert!(text.contains("version = \"2025-08\""), "{text}");
    s.write("ftr-assessment.toml", &text);
    let out = s.ftr().args(["check", "--json"]).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("partner-hosted 2025-08, which is not installed"),
        "{stderr}"
    );
    assert!(stderr.contains("ftr checklists add FILE"), "{stderr}");
    let v = json(&out.get_output().stdout);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "checklist-version")
        .cloned()
        .expect("a checklist-version finding");
    assert_eq!(f["severity"], "error");
    assert!(f["message"].as_str().unwrap().contains("2025-08"), "{f}");
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("ftr checklists add FILE"),
        "{f}"
    );
    // Nothing is checked against 2026-02 meanwhile.
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "unanswered"),
        "{v}"
    );
    s.ftr()
        .args(["status"])
        .assert()
        .stderr(predicate::str::contains("2025-08, which is not installed"));
    s.ftr()
        .args(["export", "--out", "bundle.zip"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2025-08"));
    assert!(!s.file("bundle.zip").exists());
}
