//! Required values (RPO, RTO, the date of the last resilience test) through the real binary:
//! given and cleared with `ftr answer --value`, refused when they do not read, shown by
//! `ftr status` and enforced by `ftr check`.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::Scratch;

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

fn partner_hosted() -> Scratch {
    let s = Scratch::new();
    s.ok(&["new", "--company", "Acme Ltd", "--model", "partner-hosted"]);
    s
}

fn check_json(s: &Scratch) -> Value {
    let out = s.ftr().args(["check", "--json"]).assert().code(1);
    json(&out.get_output().stdout)
}

/// The value findings of `ftr check --json`, as (code, control, value, command).
fn value_findings(v: &Value) -> Vec<(String, String, String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("value").is_some())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("control"), s("value"), s("command"))
        })
        .collect()
}

#[test]
fn a_value_is_given_shown_canonical_and_cleared() {
    let s = partner_hosted();
    s.ok(&["answer", "res-001", "--status", "met", "--value", "rpo=4h"])
        .stdout(
            "RES-001: met\n  \
             Recovery point objective (RPO): 4 hours\n  \
             RES-001.1 unanswered\n  \
             AWS's sheet: fail: RES-001.1 is unanswered (Yes passes)\n",
        );
    assert!(
        s.read_project().contains("rpo = \"4h\""),
        "{}",
        s.read_project()
    );
    // Repeatable, in any letter case of the key, with the spaces people type.
    s.ok(&[
        "answer",
        "RES-002",
        "--value",
        "RTO=2 hours",
        "--value",
        "rto=90 min",
    ])
    .stdout(predicate::str::contains(
        "Recovery time objective (RTO): 1 hour 30 minutes",
    ));
    assert!(s.read_project().contains("rto = \"90 min\""));
    // KEY= clears; an answer left empty is not kept.
    s.ok(&["answer", "RES-002", "--value", "rto="]);
    let project: toml::Table = toml::from_str(&s.read_project()).unwrap();
    assert!(
        project["answers"]["partner-hosted"]["RES-002"]
            .as_table()
            .unwrap()
            .is_empty(),
        "{}",
        s.read_project()
    );
    s.ok(&["answer", "RES-001", "--value", "rpo="]);
    let text = s.read_project();
    assert!(text.contains("[answers.partner-hosted.RES-001]"), "{text}");
    assert!(!text.contains("values"), "{text}");
}

#[test]
fn a_value_that_does_not_read_is_refused_and_the_file_left_as_it_was() {
    let s = partner_hosted();
    s.ok(&["answer", "RES-001", "--status", "met", "--value", "rpo=1h"]);
    let before = std::fs::read(s.project()).unwrap();
    for (args, expect) in [
        (
            vec!["RES-001", "--status", "not-met", "--value", "rpo=4 hourz"],
            vec![
                "RES-001 rpo: `4 hourz` is not a duration",
                "`hourz` is not a unit of time",
                "as in --value rpo=4h",
            ],
        ),
        (
            vec!["RES-001", "--value", "rpo=4"],
            vec!["`4` has no unit (write 4m, 4h or 4d)"],
        ),
        (
            vec!["RES-004", "--value", "last_test=14/09/2026"],
            vec![
                "RES-004 last_test: `14/09/2026` is not a date",
                "as in --value last_test=2026-09-14",
            ],
        ),
        (
            vec!["RES-004", "--value", "last_test=2026-02-30"],
            vec!["the calendar has no such day"],
        ),
        (
            vec!["RES-001", "--value", "rpp=1h"],
            vec![
                "RES-001 has no value `rpp`",
                "RES-001 asks for: rpo (duration, e.g. rpo=4h)",
            ],
        ),
        (
            vec!["IAM-001", "--value", "rpo=1h"],
            vec!["IAM-001 has no value `rpo`", "IAM-001 asks for no values"],
        ),
        (
            vec!["RES-001", "--value", "rpo"],
            vec!["write KEY=VALUE, e.g. rpo=4h"],
        ),
        // Typed text reaches the terminal as data.
        (
            vec!["RES-001", "--value", "rpo=4h\u{1b}[2J"],
            vec!["is not a duration", "\\e[2J"],
        ),
    ] {
        let out = s.ftr().arg("answer").args(&args).assert().code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        for e in expect {
            assert!(stderr.contains(e), "{args:?}: want {e:?} in\n{stderr}");
        }
        assert!(!stderr.contains('\u{1b}'), "{stderr}");
        assert_eq!(
            std::fs::read(s.project()).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn check_enforces_the_values_of_met_controls_with_a_command_to_paste() {
    let s = partner_hosted();
    for id in ["RES-001", "RES-002", "RES-004"] {
        s.ok(&["answer", id, "--status", "met"]);
    }
    let v = check_json(&s);
    assert_eq!(
        value_findings(&v),
        [
            (
                "value-missing",
                "RES-001",
                "rpo",
                "ftr answer RES-001 --value rpo=DURATION"
            ),
            (
                "value-missing",
                "RES-002",
                "rto",
                "ftr answer RES-002 --value rto=DURATION"
            ),
            (
                "value-missing",
                "RES-004",
                "last_test",
                "ftr answer RES-004 --value last_test=YYYY-MM-DD"
            ),
        ]
        .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
    );
    s.ftr()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error   RES-001 is marked met but gives no Recovery point objective (RPO); a reviewer",
        ))
        .stdout(predicate::str::contains(
            "             ftr answer RES-001 --value rpo=DURATION\n",
        ));

    // Given: the errors go; a date ahead of today (2026-11-26) is an error of its own, one
    // older than the control's 12-month cadence a warning.
    s.ok(&["answer", "RES-001", "--value", "rpo=15m"]);
    s.ok(&["answer", "RES-002", "--value", "rto=1d"]);
    s.ok(&["answer", "RES-004", "--value", "last_test=2026-12-01"]);
    let v = check_json(&s);
    let f = value_findings(&v);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "value-future");
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "value-future")
        .unwrap();
    assert_eq!(finding["severity"], "error");
    s.ok(&["answer", "RES-004", "--value", "last_test=2025-06-01"]);
    let v = check_json(&s);
    let stale: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x.get("value").is_some())
        .collect();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0]["code"], "value-stale");
    assert_eq!(stale[0]["severity"], "warning");
    assert!(
        stale[0]["message"]
            .as_str()
            .unwrap()
            .contains("2025-06-01 is 543 days ago"),
        "{}",
        stale[0]["message"]
    );
    s.ok(&["answer", "RES-004", "--value", "last_test=2026-09-14"]);
    assert_eq!(value_findings(&check_json(&s)), []);
}

#[test]
fn a_value_edited_by_hand_loads_and_is_reported_not_lost() {
    let s = partner_hosted();
    s.ok(&["answer", "RES-001", "--status", "not-met"]);
    let text = s.read_project()
        + "\n[answers.partner-hosted.RES-001.values]\nrpo = \"a few hours\"\n\"x y\" = \"1h\"\n";
    std::fs::write(s.project(), &text).unwrap();
    let v = check_json(&s);
    assert_eq!(
        value_findings(&v),
        [
            (
                "value-malformed",
                "RES-001",
                "rpo",
                "ftr answer RES-001 --value rpo=DURATION"
            ),
            (
                "unknown-key",
                "RES-001",
                "x y",
                "ftr answer RES-001 --value 'x y='"
            ),
        ]
        .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
    );
    // Reading it changed nothing; the pasted command clears the stray key.
    assert_eq!(s.read_project(), text);
    s.ok(&["answer", "RES-001", "--value", "x y="]);
    assert!(!s.read_project().contains("x y"));
    assert!(s.read_project().contains("rpo = \"a few hours\""));
}

#[test]
fn status_shows_each_value_per_control() {
    let s = partner_hosted();
    s.ok(&[
        "answer", "RES-001", "--status", "met", "--value", "rpo=1.5h",
    ]);
    let text = s.read_project() + "\n[answers.partner-hosted.RES-002.values]\nrto = \"soon\"\n";
    std::fs::write(s.project(), text).unwrap();
    let out = s.ftr().args(["status", "--json"]).assert().success();
    let v = json(&out.get_output().stdout);
    let values = v["values"].as_object().unwrap();
    assert_eq!(
        values.keys().collect::<Vec<_>>(),
        ["RES-001", "RES-002", "RES-004"]
    );
    assert_eq!(
        v["values"]["RES-001"],
        serde_json::json!([{
            "key": "rpo",
            "label": "Recovery point objective (RPO)",
            "kind": "duration",
            "state": "given",
            "typed": "1.5h",
            "value": "1 hour 30 minutes",
        }])
    );
    assert_eq!(v["values"]["RES-002"][0]["state"], "malformed");
    assert_eq!(v["values"]["RES-002"][0]["typed"], "soon");
    assert_eq!(v["values"]["RES-004"][0]["state"], "missing");
    assert_eq!(v["values"]["RES-004"][0]["kind"], "date");
    s.ok(&["status"])
        .stdout(predicate::str::contains("Values the responses give:"))
        .stdout(predicate::str::contains(
            "  RES-001      rpo            1 hour 30 minutes\n",
        ))
        .stdout(predicate::str::contains(
            "  RES-002      rto            `soon` does not read as a duration\n",
        ))
        .stdout(predicate::str::contains(
            "  RES-004      last_test      not given\n",
        ));
}

#[test]
fn values_pass_the_secret_scan_before_they_leave() {
    let s = partner_hosted();
    s.ok(&["answer", "RES-001", "--status", "met", "--value", "rpo=1h"]);
    // A key pasted into the file by hand, under a key no control asks for: still scanned.
    let text = s.read_project().replace(
        "rpo = \"1h\"\n",
        "rpo = \"1h\"\nnote = \"AKIAIOSFODNN7EXAMPLE\"\n",
    );
    assert!(text.contains("note = "), "{text}");
    std::fs::write(s.project(), &text).unwrap();
    s.ftr()
        .args(["export", "--allow-incomplete"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "RES-001 value note, line 1: an AWS access key ID",
        ));
    assert!(!s.file("ftr-submission.zip").exists());
}
