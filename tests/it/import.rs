//! `ftr import`: scanner results become hints per control, through the real binary. The
//! fixtures under tests/scans/ are written from the documented formats.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{self, Scratch, codes};

pub(crate) const PROWLER_CSV: &str =
    "prowler-output-123456789012-20260803124247_aws_foundational_technical_review_aws.csv";
const OCSF: &str = "prowler-output-210987654321-20260912081530.ocsf.json";
const HUB: &str = "securityhub-findings.json";
const SCREENER_JSON: &str = "screener/aws/123456789012/api-full.json";
const SCREENER_HTML: &str = "screener/aws/123456789012/FTR.html";

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scans")
        .join(name)
}

/// A partner-hosted project with IAM-001 answered met, and `names` copied in from tests/scans.
pub(crate) fn project(names: &[&str]) -> Scratch {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted", "--company", "Acme"]);
    s.ok(&["set", "model", "partner-hosted"]);
    s.ok(&[
        "answer",
        "IAM-001",
        "--status",
        "met",
        "--response",
        "Every person signs in through the company IdP with MFA enforced.",
    ]);
    for name in names {
        let to = s.file(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture(name), &to).unwrap();
        // Service Screener records no scan time: its file time is used, so it is pinned.
        let pinned = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_793_000_000);
        std::fs::File::options()
            .write(true)
            .open(&to)
            .unwrap()
            .set_modified(pinned)
            .unwrap();
    }
    s
}

fn json(s: &Scratch, args: &[&str]) -> Value {
    s.json(args)
}

pub(crate) fn hints(s: &Scratch) -> Value {
    json(s, &["status", "--json"])["hints"].clone()
}

/// The one hint of `tool` for `control`.
pub(crate) fn hint<'a>(hints: &'a Value, control: &str, tool: &str) -> &'a Value {
    hints[control]
        .as_array()
        .unwrap_or_else(|| panic!("no hints for {control}: {hints}"))
        .iter()
        .find(|h| h["tool"] == tool)
        .unwrap_or_else(|| panic!("no {tool} hint for {control}: {hints}"))
}

pub(crate) fn counts(h: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| h[k].as_u64().unwrap();
    (n("passed"), n("failed"), n("manual"), n("muted"))
}

fn answers_part(s: &Scratch) -> String {
    let text = s.read_project();
    let end = text.find("[[scans]]").unwrap_or(text.len());
    text[..end].trim_end().to_string()
}

#[test]
fn prowler_csv_gives_hints_and_changes_no_answer() {
    let s = project(&[PROWLER_CSV]);
    let before = answers_part(&s);
    let out = s.ok(&["import", PROWLER_CSV]).get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("Prowler FTR compliance CSV"), "{out}");
    assert!(out.contains("ARC-003"), "the retired id is reported: {out}");
    assert!(out.contains("1 duplicate finding counted once"), "{out}");
    assert!(out.contains("No status or response was changed"), "{out}");
    assert_eq!(answers_part(&s), before, "answers are untouched");

    let h = hints(&s);
    let iam1 = hint(&h, "IAM-001", "Prowler");
    // Two passing users, alice failing once (her duplicate row counted once), bob muted.
    assert_eq!(counts(iam1), (2, 1, 0, 1));
    assert_eq!(
        iam1["failing"],
        serde_json::json!(["arn:aws:iam::123456789012:user/alice"])
    );
    assert_eq!(
        iam1["text"],
        "Prowler, 3 Aug: 2 passed, 1 failed, 1 muted: arn:…:user/alice"
    );
    // IAM-0012 is Prowler's spelling of IAM-012.
    assert_eq!(counts(hint(&h, "IAM-012", "Prowler")), (0, 1, 0, 0));
    assert_eq!(counts(hint(&h, "ACOM-002", "Prowler")), (0, 0, 1, 0));
    assert!(h.get("IAM-0012").is_none() && h.get("ARC-003").is_none());

    let status = json(&s, &["status", "--json"]);
    let scan = &status["scans"][0];
    assert_eq!(scan["source"], "prowler-csv");
    assert_eq!(scan["scanned"], "2026-08-03T12:42:47Z");
    assert_eq!(scan["accounts"], serde_json::json!(["123456789012"]));
    assert_eq!(
        scan["regions"],
        serde_json::json!(["eu-west-1", "us-east-1"])
    );
    assert_eq!(scan["not_in_checklist"], serde_json::json!(["ARC-003"]));
    assert_eq!(scan["duplicates"], 1);
    // The status of IAM-001 is still what the person said.
    let text = String::from_utf8(s.ok(&["status"]).get_output().stdout.clone()).unwrap();
    assert!(text.contains("Scans imported"), "{text}");
    assert!(text.contains("IAM-012"), "{text}");
}

#[test]
fn a_met_control_the_scan_fails_is_an_error_unless_the_response_explains() {
    let s = project(&[PROWLER_CSV]);
    s.ok(&["import", PROWLER_CSV]);
    let check = json(&s, &["check", "--json"]);
    assert_eq!(codes(&check, "scan-fails"), ["IAM-001"], "{check}");
    let finding = common::finding(&check, "scan-fails");
    assert_eq!(finding["severity"], "error");
    assert!(
        check["hints"]["IAM-001"].is_array(),
        "check carries the hints"
    );
    // IAM-012 fails too, but it is not marked met: the scan is a hint, not an answer.
    s.ok(&[
        "answer",
        "IAM-001",
        "--response",
        "Every person signs in through the IdP with MFA; the IAM user alice is the break-glass account, kept in a safe.",
    ]);
    let check = json(&s, &["check", "--json"]);
    assert!(codes(&check, "scan-fails").is_empty(), "{check}");
    let text = String::from_utf8(s.ftr().arg("check").output().unwrap().stdout).unwrap();
    assert!(text.contains("Controls a scan fails"), "{text}");
}

#[test]
fn a_scan_older_than_the_freshness_rule_is_a_warning() {
    let s = project(&[PROWLER_CSV]);
    s.ok(&["import", PROWLER_CSV]);
    let check = json(&s, &["check", "--json"]);
    let stale: Vec<&Value> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "scan-stale")
        .collect();
    assert_eq!(stale.len(), 1, "{check}");
    assert_eq!(stale[0]["severity"], "warning");
    assert!(stale[0]["message"].as_str().unwrap().contains("115 days"));
    // Three weeks after the scan it is fresh.
    let out = s
        .ftr()
        .env("FTR_TODAY", "2026-08-24")
        .env("FTR_NOW", "2026-08-24T09:00:00Z")
        .args(["check", "--json"])
        .output()
        .unwrap();
    let check: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(codes(&check, "scan-stale").is_empty(), "{check}");
}

#[test]
fn prowler_ocsf_reads_compliance_ids_muted_and_duplicates() {
    let s = project(&[OCSF]);
    let before = answers_part(&s);
    s.ok(&["import", OCSF]);
    assert_eq!(answers_part(&s), before);
    let h = hints(&s);
    let iam1 = hint(&h, "IAM-001", "Prowler");
    assert_eq!(
        counts(iam1),
        (1, 1, 0, 1),
        "frank fails, grace is suppressed"
    );
    assert_eq!(
        iam1["failing"],
        serde_json::json!(["arn:aws:iam::210987654321:user/frank"])
    );
    assert_eq!(counts(hint(&h, "IAM-011", "Prowler")), (0, 1, 0, 0));
    assert_eq!(counts(hint(&h, "IAM-012", "Prowler")), (0, 1, 0, 0));
    assert_eq!(counts(hint(&h, "ARC-004", "Prowler")), (1, 0, 0, 0));
    assert_eq!(counts(hint(&h, "ACOM-002", "Prowler")), (0, 0, 1, 0));
    let scan = &json(&s, &["status", "--json"])["scans"][0];
    assert_eq!(scan["source"], "prowler-ocsf");
    assert_eq!(scan["scanned"], "2026-09-12T08:16:02Z");
    assert_eq!(scan["accounts"], serde_json::json!(["210987654321"]));
    assert_eq!(scan["not_in_checklist"], serde_json::json!(["ARC-003"]));
    assert_eq!(scan["duplicates"], 1);
    assert_eq!(
        scan["unmapped"], 1,
        "the S3 finding maps to no FTR requirement"
    );
}

#[test]
fn security_hub_findings_map_through_the_checklist_content() {
    let s = project(&[HUB]);
    let out = String::from_utf8(s.ok(&["import", HUB]).get_output().stdout.clone()).unwrap();
    assert!(out.contains("1 archived finding left out"), "{out}");
    let h = hints(&s);
    // IAM.5 -> IAM-001: heidi passes, ivan fails (twice in the file), judy is suppressed.
    let iam1 = hint(&h, "IAM-001", "Security Hub");
    assert_eq!(counts(iam1), (1, 1, 0, 1));
    assert_eq!(
        iam1["failing"],
        serde_json::json!(["arn:aws:iam::123456789012:user/ivan"])
    );
    assert_eq!(counts(hint(&h, "NETSEC-001", "Security Hub")), (0, 1, 0, 0));
    assert_eq!(counts(hint(&h, "ARC-004", "Security Hub")), (1, 0, 0, 0));
    // WARNING is not a pass or a fail: a person has to look.
    assert_eq!(counts(hint(&h, "ACOM-001", "Security Hub")), (0, 0, 1, 0));
    let scan = &json(&s, &["status", "--json"])["scans"][0];
    assert_eq!(scan["source"], "security-hub");
    assert_eq!(scan["unmapped"], 1, "S3.8 names no FTR control");
    assert_eq!(scan["duplicates"], 1);
    assert_eq!(scan["scanned"], "2026-10-01T06:30:00Z");
}

#[test]
fn service_screener_json_and_html_give_the_same_hints() {
    for (file, source) in [
        (SCREENER_JSON, "service-screener-json"),
        (SCREENER_HTML, "service-screener-html"),
    ] {
        let s = project(&[file]);
        let out = String::from_utf8(s.ok(&["import", file]).get_output().stdout.clone()).unwrap();
        assert!(out.contains("records no scan time"), "{out}");
        let h = hints(&s);
        let iam1 = hint(&h, "IAM-001", "Service Screener");
        // IAM-001.1 fails with two users, IAM-001.2 passes: sub-items fold into IAM-001.
        assert_eq!(counts(iam1), (1, 1, 0, 0), "{file}");
        assert_eq!(
            iam1["failing"],
            serde_json::json!(["User::mallory", "User::oscar"])
        );
        assert_eq!(
            counts(hint(&h, "IAM-002", "Service Screener")),
            (0, 1, 0, 0)
        );
        assert_eq!(
            counts(hint(&h, "ARC-001", "Service Screener")),
            (1, 0, 0, 0)
        );
        let scan = &json(&s, &["status", "--json"])["scans"][0];
        assert_eq!(scan["source"], source);
        assert_eq!(
            scan["accounts"],
            serde_json::json!(["123456789012"]),
            "from the folder"
        );
        assert_eq!(
            scan["scanned"], "2026-10-26T07:33:20Z",
            "the pinned file time"
        );
        assert_eq!(scan["not_in_checklist"], serde_json::json!(["ARC-003"]));
    }
}

/// The Prowler CSV with its dates moved to `date` and alice's row passing.
fn rescanned(s: &Scratch, name: &str, date: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture(PROWLER_CSV)).unwrap();
    let text = text
        .replace("2026-08-03", date)
        .replace("FAIL;User alice", "PASS;User alice");
    s.write(name, text)
}

#[test]
fn a_newer_scan_replaces_an_older_one_and_the_same_file_changes_nothing() {
    let s = project(&[PROWLER_CSV]);
    s.ok(&["import", PROWLER_CSV]);
    let once = s.read_project();
    let out =
        String::from_utf8(s.ok(&["import", PROWLER_CSV]).get_output().stdout.clone()).unwrap();
    assert!(out.contains("already imported"), "{out}");
    assert_eq!(
        s.read_project(),
        once,
        "importing the same file again changes nothing"
    );

    rescanned(&s, "later.csv", "2026-11-20");
    let out =
        String::from_utf8(s.ok(&["import", "later.csv"]).get_output().stdout.clone()).unwrap();
    assert!(out.contains("replaces the Prowler scan of 3 Aug"), "{out}");
    let status = json(&s, &["status", "--json"]);
    assert_eq!(status["scans"].as_array().unwrap().len(), 1);
    assert_eq!(status["scans"][0]["file"], "later.csv");
    assert_eq!(
        counts(hint(&status["hints"], "IAM-001", "Prowler")),
        (3, 0, 0, 1)
    );

    // The older file imported after the newer one is kept out.
    let kept = s.read_project();
    let out =
        String::from_utf8(s.ok(&["import", PROWLER_CSV]).get_output().stdout.clone()).unwrap();
    assert!(out.contains("not imported"), "{out}");
    assert_eq!(s.read_project(), kept);

    // Another tool's scan of the same account sits beside it.
    std::fs::copy(fixture(HUB), s.file(HUB)).unwrap();
    s.ok(&["import", HUB]);
    let status = json(&s, &["status", "--json"]);
    assert_eq!(status["scans"].as_array().unwrap().len(), 2);
    assert_eq!(status["hints"]["IAM-001"].as_array().unwrap().len(), 2);
}

#[test]
fn attach_adds_the_scan_once_to_each_control_it_covers() {
    let s = project(&[PROWLER_CSV]);
    s.ok(&["import", PROWLER_CSV, "--attach"]);
    s.ok(&["import", PROWLER_CSV, "--attach"]);
    let status = json(&s, &["status", "--json"]);
    let project: toml::Table = toml::from_str(&s.read_project()).unwrap();
    let answers = project["answers"]["partner-hosted"].as_table().unwrap();
    // ACOM-002 is only listed as manual: the scan proves nothing there.
    assert!(
        answers["ACOM-002"].as_table().unwrap().is_empty(),
        "{answers:?}"
    );
    for id in ["IAM-001", "IAM-002", "IAM-012"] {
        let ev = answers[id]["evidence"].as_array().unwrap();
        assert_eq!(ev.len(), 1, "{id}: {ev:?}");
        assert_eq!(ev[0]["path"].as_str(), Some(PROWLER_CSV));
        assert_eq!(
            ev[0]["label"].as_str(),
            Some("Prowler FTR compliance CSV scan")
        );
        assert_eq!(ev[0]["produced"].to_string(), "2026-08-03");
    }
    // Only IAM-001 had an answer, and its status is still met; the others have none.
    assert_eq!(answers["IAM-001"]["status"].as_str(), Some("met"));
    for id in ["IAM-002", "IAM-012"] {
        assert!(
            answers[id]
                .get("status")
                .is_none_or(|v| v.as_str() == Some("unanswered"))
        );
    }
    assert!(status["hints"]["IAM-001"].is_array());

    // The bundle carries it and the manifest hashes it.
    s.ok(&["export", "--allow-incomplete", "--out", "bundle.zip"]);
    let zip = std::fs::File::open(s.file("bundle.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(zip).unwrap();
    let mut manifest = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("manifest.json").unwrap(), &mut manifest)
        .unwrap();
    let sha = status["scans"][0]["sha256"].as_str().unwrap();
    assert!(manifest.contains(sha), "{manifest}");
    // The hints stay home: the bundle's project file leaves them out.
    let mut bundled = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("ftr-assessment.toml").unwrap(),
        &mut bundled,
    )
    .unwrap();
    assert!(
        bundled.contains("IAM-001") && !bundled.contains("[[scans]]"),
        "{bundled}"
    );
}

#[test]
fn a_security_hub_cis_csv_is_attached_as_the_security_tool_report() {
    let s = project(&[HUB]);
    s.write(
        "cis-prod-eu-west-1.csv",
        "Control ID,Title,Compliance status\nCIS.1.10,Ensure MFA is enabled,FAILED\n",
    );
    s.ok(&["import", HUB, "--security-report", "cis-prod-eu-west-1.csv"]);
    let status = json(&s, &["status", "--json"]);
    assert_eq!(
        status["security_reports"][0]["path"],
        "cis-prod-eu-west-1.csv"
    );
    assert_eq!(status["scans"].as_array().unwrap().len(), 1);
}

/// Runs `ftr import ARGS`, asserts exit 2 with every part of `expect` in the message and the
/// project file unchanged; returns the message.
pub(crate) fn refused(s: &Scratch, args: &[&str], expect: &[&str]) -> String {
    let before = std::fs::read(s.project()).unwrap();
    let out = s.ftr().arg("import").args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    for e in expect {
        assert!(err.contains(e), "{args:?}: `{e}` not in: {err}");
    }
    assert!(err.contains("help:"), "says what to do: {err}");
    assert_eq!(
        std::fs::read(s.project()).unwrap(),
        before,
        "{args:?} changed the project"
    );
    err
}

#[test]
fn files_of_other_formats_are_refused_naming_the_known_ones() {
    let s = project(&[PROWLER_CSV, OCSF]);
    s.write("other.csv", "Name,Value\nalpha,1\n");
    refused(
        &s,
        &["other.csv"],
        &[
            "other.csv",
            "not a scan format",
            "Prowler",
            "Security Hub",
            "Service Screener",
        ],
    );
    // Prowler's ASFF output: refused with the reason.
    s.write(
        "prowler.asff.json",
        r#"[{"SchemaVersion":"2018-10-08","ProductArn":"arn:aws:securityhub:eu-west-1::product/prowler/prowler","Compliance":{"Status":"FAILED","RelatedRequirements":["AWS-Foundational-Technical-Review: IAM-001, IAM-0"]}}]"#,
    );
    refused(
        &s,
        &["prowler.asff.json"],
        &["ASFF", "63 characters", "OCSF"],
    );
    // A good file beside a bad one: nothing is imported.
    refused(&s, &[PROWLER_CSV, "other.csv"], &["other.csv"]);
    s.write("empty.json", "  \n");
    refused(&s, &["empty.json"], &["empty"]);
    s.write(
        "no-ftr.json",
        r#"{"iam": {}, "framework_SSB": {"details": []}}"#,
    );
    refused(
        &s,
        &["no-ftr.json"],
        &["without FTR results", "--frameworks FTR"],
    );
    s.write(
        "page.html",
        "<html><body><table id='other'></table></body></html>",
    );
    refused(&s, &["page.html"], &["screener-framework"]);
}

#[test]
fn damaged_files_are_refused_with_the_place() {
    let s = project(&[PROWLER_CSV, OCSF]);
    let csv = std::fs::read_to_string(s.file(PROWLER_CSV)).unwrap();
    s.write("cut.csv", &csv[..csv.len() - 200]);
    refused(
        &s,
        &["cut.csv"],
        &[
            "cut.csv, line 10",
            "fields where the header has 21",
            "cut short",
        ],
    );
    s.write("commas.csv", csv.replace(';', ","));
    refused(&s, &["commas.csv"], &["line 1", "separated by commas"]);
    s.write("muted.csv", csv.replacen(";False;", ";Maybe;", 1));
    refused(&s, &["muted.csv"], &["line 2", "MUTED is `Maybe`"]);
    s.write(
        "cis.csv",
        csv.replace(";AWS-Foundational-Technical-Review;", ";CIS-2.0;"),
    );
    refused(&s, &["cis.csv"], &["line 2", "framework `CIS-2.0`"]);
    let ocsf = std::fs::read_to_string(s.file(OCSF)).unwrap();
    s.write("cut.json", &ocsf[..ocsf.len() / 2]);
    refused(&s, &["cut.json"], &["cut.json, line", "cut short"]);
    s.write(
        "bad.json",
        ocsf.replacen("\"status_code\"", "status_code", 1),
    );
    refused(&s, &["bad.json"], &["not valid JSON"]);
    // A file that starts like a scan and then holds 2 GB of nothing: refused at once, not read
    // into memory.
    let big = s.write("huge.ocsf.json", "[{\"status_code\": \"PASS\"");
    std::fs::File::options()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    refused(&s, &["huge.ocsf.json"], &["huge.ocsf.json", "binary data"]);
    std::fs::remove_file(&big).unwrap();
}

#[test]
fn a_scan_for_another_checklist_is_refused() {
    let s = project(&[PROWLER_CSV]);
    s.ok(&["set", "model", "customer-deployed"]);
    refused(
        &s,
        &[PROWLER_CSV],
        &[
            "none of the 5 requirement ids",
            "customer-deployed",
            "another checklist",
        ],
    );
    let none = Scratch::new();
    none.ok(&["new"]);
    std::fs::copy(fixture(PROWLER_CSV), none.file("scan.csv")).unwrap();
    let out = none.ftr().args(["import", "scan.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ftr set model"));
}

#[test]
fn two_hundred_thousand_findings_are_counted_exactly() {
    let s = project(&[]);
    let mut text = String::with_capacity(40 << 20);
    text.push('[');
    let (mut pass, mut fail, mut muted) = (0u64, 0u64, 0u64);
    for i in 0..200_000u64 {
        if i > 0 {
            text.push(',');
        }
        let (code, status) = match i % 10 {
            0..=6 => ("PASS", "New"),
            7 | 8 => ("FAIL", "New"),
            _ => ("FAIL", "Suppressed"),
        };
        match (code, status) {
            (_, "Suppressed") => muted += 1,
            ("PASS", _) => pass += 1,
            _ => fail += 1,
        }
        text.push_str(&format!(
            r#"{{"status_code":"{code}","status":"{status}","metadata":{{"event_code":"iam_check"}},"time_dt":"2026-11-20T10:00:00","resources":[{{"uid":"arn:aws:iam::123456789012:user/u{i}","region":"eu-west-1"}}],"cloud":{{"account":{{"uid":"123456789012"}}}},"unmapped":{{"compliance":{{"AWS-Foundational-Technical-Review":["IAM-001"]}}}}}}"#
        ));
    }
    text.push(']');
    s.write("big.ocsf.json", text);
    s.ok(&["import", "big.ocsf.json"]);
    let iam1 = hints(&s)["IAM-001"][0].clone();
    assert_eq!(counts(&iam1), (pass, fail, 0, muted));
    assert_eq!(iam1["failing"].as_array().unwrap().len(), 10, "capped");
    assert_eq!(iam1["more_failing"].as_u64().unwrap(), fail - 10);
    assert!(s.read_project().len() < 8_000, "the project stays small");
}

#[test]
fn other_frameworks_in_ocsf_are_skipped_whatever_their_shape() {
    let s = project(&[]);
    s.write(
        "odd.ocsf.json",
        r#"[{"status_code": "FAIL", "status": "New", "time": 1789200930.5,
             "resources": [{"uid": "arn:aws:iam::123456789012:user/zed", "region": "eu-west-1"}],
             "unmapped": {"compliance": {"CIS-2.0": null, "Other": {"x": [1, 2]},
                                         "AWS-Foundational-Technical-Review": ["iam-001"]}}}]"#,
    );
    s.ok(&["import", "odd.ocsf.json"]);
    let h = hints(&s);
    let iam1 = hint(&h, "IAM-001", "Prowler");
    assert_eq!(counts(iam1), (0, 1, 0, 0));
    let scan = &json(&s, &["status", "--json"])["scans"][0];
    assert_eq!(
        scan["scanned"], "2026-09-12T08:15:30Z",
        "from the epoch seconds"
    );
}

#[test]
fn s3_controls_are_imported() {
    let s = project(&[]);
    s.write(
        "s3.ocsf.json",
        r#"[{"status_code": "FAIL", "status": "New", "time_dt": "2026-11-20T10:00:00Z",
             "resources": [{"uid": "arn:aws:s3:::acme-public", "region": "eu-west-1"}],
             "unmapped": {"compliance": {"AWS-Foundational-Technical-Review": ["S3-001"]}}}]"#,
    );
    let out = String::from_utf8(
        s.ok(&["import", "s3.ocsf.json"])
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(!out.contains("left out"), "{out}");
    assert_eq!(counts(hint(&hints(&s), "S3-001", "Prowler")), (0, 1, 0, 0));
}

#[test]
fn a_scan_dated_after_today_is_refused() {
    let s = project(&[]);
    let text = std::fs::read_to_string(fixture(PROWLER_CSV)).unwrap();
    s.write("future.csv", text.replace("2026-08-03", "2099-01-01"));
    refused(
        &s,
        &["future.csv"],
        &["future.csv", "2099-01-01", "after today"],
    );
    s.write(
        "far.csv",
        text.replace("2026-08-03 12:42:47.512311", "9999-12-31T23:59:59-05:00"),
    );
    // A time no file can hold is no time at all: the other rows date the scan.
    s.ok(&["import", "far.csv"]);
}

#[test]
fn the_same_file_name_rewritten_by_a_newer_export_replaces_its_evidence() {
    let s = project(&[HUB]);
    s.ok(&["import", HUB, "--attach"]);
    let text = std::fs::read_to_string(s.file(HUB)).unwrap();
    // The next export, to the same file: later, and EC2.53 (NETSEC-001) no longer reported.
    let next: Value =
        serde_json::from_str(&text.replace("2026-10-01T06", "2026-11-20T06")).unwrap();
    let mut next = next;
    next["Findings"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["Compliance"]["SecurityControlId"] != "EC2.53");
    s.write(HUB, serde_json::to_string(&next).unwrap());
    let out = String::from_utf8(
        s.ok(&["import", HUB, "--attach"])
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(
        out.contains("replaces the Security Hub scan of 1 Oct"),
        "{out}"
    );
    let project: toml::Table = toml::from_str(&s.read_project()).unwrap();
    let answers = project["answers"]["partner-hosted"].as_table().unwrap();
    assert!(
        answers["NETSEC-001"].as_table().unwrap().is_empty(),
        "the old scan's evidence is gone: {answers:?}"
    );
    let sha = &json(&s, &["status", "--json"])["scans"][0]["sha256"];
    assert_eq!(
        answers["IAM-001"]["evidence"][0]["sha256"].as_str(),
        sha.as_str()
    );
    let check = json(&s, &["check", "--json"]);
    assert!(codes(&check, "evidence-changed").is_empty(), "{check}");
}

#[test]
fn files_given_together_follow_the_newer_scan_rule() {
    let s = project(&[PROWLER_CSV]);
    rescanned(&s, "later.csv", "2026-11-20");
    let out = String::from_utf8(
        s.ok(&["import", "later.csv", PROWLER_CSV])
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(out.contains("not imported"), "{out}");
    let status = json(&s, &["status", "--json"]);
    assert_eq!(status["scans"].as_array().unwrap().len(), 1);
    assert_eq!(status["scans"][0]["file"], "later.csv");
    assert_eq!(status["hints"]["IAM-001"].as_array().unwrap().len(), 1);
    assert_eq!(
        status["hints"]["IAM-001"][0]["accounts"],
        serde_json::json!(["123456789012"])
    );
}

#[test]
fn a_hand_edited_scan_without_its_account_list_does_not_crash() {
    let s = project(&[PROWLER_CSV]);
    s.ok(&["import", PROWLER_CSV]);
    let text = s
        .read_project()
        .replace("accounts = [\"123456789012\"]", "more_accounts = 1");
    std::fs::write(s.project(), text).unwrap();
    let out = String::from_utf8(s.ok(&["status"]).get_output().stdout.clone()).unwrap();
    assert!(out.contains("1 account"), "{out}");
}

#[test]
fn an_unknown_json_object_and_an_oversized_record_are_refused() {
    let s = project(&[]);
    s.write("other.json", r#"{"name": "x", "version": "1.0"}"#);
    refused(
        &s,
        &["other.json"],
        &["does not know", "Prowler", "Service Screener"],
    );
    // A quote that never closes: refused once the row passes 64 MB, not read into memory.
    let header = std::fs::read_to_string(fixture(PROWLER_CSV)).unwrap();
    let header = header.lines().next().unwrap();
    let mut big = format!("{header}\r\naws;\"");
    big.push_str(&"x".repeat(65 << 20));
    s.write("open-quote.csv", big);
    refused(&s, &["open-quote.csv"], &["open-quote.csv", "64 MB"]);
}

/// A Prowler CSV whose header line is quoted as one field (as some spreadsheets save it) is
/// refused with the line and what to do, never a panic, and the project stays as it was.
#[test]
fn a_prowler_header_quoted_as_one_field_is_refused_not_a_panic() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let header = "PROVIDER;DESCRIPTION;ACCOUNTID;REGION;ASSESSMENTDATE;REQUIREMENTS_ID;\
        REQUIREMENTS_DESCRIPTION;REQUIREMENTS_ATTRIBUTES_SECTION;REQUIREMENTS_ATTRIBUTES_SUBSECTION;\
        REQUIREMENTS_ATTRIBUTES_SUBGROUP;REQUIREMENTS_ATTRIBUTES_SERVICE;REQUIREMENTS_ATTRIBUTES_TYPE;\
        STATUS;STATUSEXTENDED;RESOURCEID;CHECKID;MUTED;RESOURCENAME;FRAMEWORK;NAME;\
        REQUIREMENTS_ATTRIBUTES_COMMENT";
    let row = "aws;d;123456789012;eu-west-1;2026-11-01 10:00:00;IAM-001;x;s;;;iam;;PASS;ok;r;\
               iam_check;False;n;AWS-Foundational-Technical-Review;n;";
    s.write("quoted.csv", format!("\"{header}\"\r\n\"{row}\"\r\n"));
    let before = s.read_project();
    s.ftr()
        .args(["import", "quoted.csv"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "quoted.csv, line 1, column 1: the header has 1 field where Prowler writes 21",
        ));
    assert_eq!(s.read_project(), before);
}

/// `<li>` entries with `n` different Regions, each with its own failing resource.
fn many_regions(n: usize) -> String {
    let mut cell = String::with_capacity(n * 40);
    cell.push_str("<dl><dt class='text-danger'>[mfaActive] - Enable MFA</dt><ul>");
    for i in 0..n {
        cell.push_str(&format!("<li><b>[r-{i}]</b>User::u{i}</li>"));
    }
    cell.push_str("</ul></dl>");
    cell
}

/// Issue 19, item 4: a Service Screener cell listing many Regions is read in time linear in
/// its size. 100,000 Regions in one cell, as JSON and as HTML: compared pairwise that is 5e9
/// string comparisons (10 s in a release build, minutes in a test build), read once it is a
/// fraction of a second. Every Region is counted once, and every failing resource.
#[test]
fn a_screener_cell_with_100k_regions_is_read_in_one_pass() {
    const N: usize = 100_000;
    let cell = many_regions(N);
    let s = project(&[]);
    let json = serde_json::json!({
        "framework_FTR": {"details": [["Main", "IAM-001.1", -1, cell, ""]]}
    });
    s.write("aws/123456789012/api-full.json", json.to_string());
    let html = format!(
        "<html><body><table id='screener-framework'><tbody><tr><td>Main</td><td>IAM-001.1</td>\
         <td>Need Attention</td><td>{cell}</td><td></td></tr></tbody></table></body></html>"
    );
    s.write("aws/210987654321/FTR.html", html);
    for file in [
        "aws/123456789012/api-full.json",
        "aws/210987654321/FTR.html",
    ] {
        s.ok(&["import", file]);
    }
    let status = json_of(&s);
    let scans = status["scans"].as_array().unwrap();
    assert_eq!(scans.len(), 2, "{status}");
    for scan in scans {
        let regions = scan["regions"].as_array().unwrap().len() as u64;
        assert_eq!(regions + scan["more_regions"].as_u64().unwrap(), N as u64);
    }
    for h in status["hints"]["IAM-001"].as_array().unwrap() {
        let failing = h["failing"].as_array().unwrap().len() as u64;
        assert_eq!(failing + h["more_failing"].as_u64().unwrap(), N as u64);
    }
}

pub(crate) fn json_of(s: &Scratch) -> Value {
    json(s, &["status", "--json"])
}

/// Sets the modification time of `path` to `secs` since 1970.
fn set_file_time(path: &Path, secs: u64) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .unwrap();
}

/// 2099-01-01T00:00:00Z.
const YEAR_2099: u64 = 4_070_908_800;

/// The stored `[[scans]]` tables of the project.
pub(crate) fn stored_scans(s: &Scratch) -> Vec<toml::Value> {
    let project: toml::Table = toml::from_str(&s.read_project()).unwrap();
    project
        .get("scans")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default()
}

/// Issue 19, item 7: a file with no scan time and a file time in 2099 is dated the import's
/// day, marked as dated by its file time, and a later real scan of the same tool and account
/// still replaces it.
#[test]
fn a_future_file_time_is_taken_as_the_import_day_and_blocks_no_dated_scan() {
    let s = project(&[PROWLER_CSV, SCREENER_JSON]);
    let text = std::fs::read_to_string(fixture(PROWLER_CSV)).unwrap();
    let undated = s.write("undated.csv", text.replace("2026-08-03", "03/08/2026"));
    set_file_time(&undated, YEAR_2099);
    s.ok(&["import", "undated.csv"]);
    let scans = stored_scans(&s);
    assert_eq!(scans.len(), 1);
    assert_eq!(
        scans[0]["scanned"].to_string(),
        "2026-11-26T09:00:00Z",
        "never after the import's day: {scans:?}"
    );
    assert_eq!(scans[0]["dated_by_file_time"].as_bool(), Some(true));

    // The real scan, of 3 Aug, is taken: it records its time.
    let out =
        String::from_utf8(s.ok(&["import", PROWLER_CSV]).get_output().stdout.clone()).unwrap();
    assert!(!out.contains("not imported"), "{out}");
    assert!(out.contains("replaces the Prowler scan"), "{out}");
    let scans = stored_scans(&s);
    assert_eq!(scans.len(), 1, "{scans:?}");
    assert_eq!(scans[0]["file"].as_str(), Some(PROWLER_CSV));
    assert_eq!(scans[0]["scanned"].to_string(), "2026-08-03T12:42:47Z");
    assert!(scans[0].get("dated_by_file_time").is_none(), "{scans:?}");

    // Service Screener never records a time: its file time, clamped the same way.
    set_file_time(&s.file(SCREENER_JSON), YEAR_2099);
    s.ok(&["import", SCREENER_JSON]);
    let screener = stored_scans(&s)
        .into_iter()
        .find(|t| t["source"].as_str() == Some("service-screener-json"))
        .unwrap();
    assert_eq!(screener["scanned"].to_string(), "2026-11-26T09:00:00Z");
    assert_eq!(screener["dated_by_file_time"].as_bool(), Some(true));

    // A project file an older ftr wrote, holding a scan dated 2099 without the mark: its time
    // is after the day it was imported, so it keeps no dated scan out either.
    let text = s.read_project();
    assert!(text.contains("scanned = 2026-08-03T12:42:47Z"), "{text}");
    std::fs::write(
        s.project(),
        text.replace(
            "scanned = 2026-08-03T12:42:47Z",
            "scanned = 2099-01-01T00:00:00Z",
        ),
    )
    .unwrap();
    rescanned(&s, "later.csv", "2026-11-20");
    let out =
        String::from_utf8(s.ok(&["import", "later.csv"]).get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("replaces the Prowler scan of 1 Jan 2099"),
        "{out}"
    );
}

/// Issue 19, item 14: a Prowler CSV with old Mac line ends (a lone carriage return) is read
/// as the rows it holds, with the right line numbers in messages.
#[test]
fn a_prowler_csv_with_bare_carriage_returns_is_read() {
    let s = project(&[]);
    let text = std::fs::read_to_string(fixture(PROWLER_CSV)).unwrap();
    let mac = text.replace("\r\n", "\n").replace('\n', "\r");
    assert!(!mac.contains('\n'));
    s.write("mac.csv", &mac);
    s.ok(&["import", "mac.csv"]);
    let h = hints(&s);
    assert_eq!(counts(hint(&h, "IAM-001", "Prowler")), (2, 1, 0, 1));
    let scan = &json_of(&s)["scans"][0];
    assert_eq!(scan["scanned"], "2026-08-03T12:42:47Z");
    assert_eq!(scan["duplicates"], 1);
    s.write("mac-muted.csv", mac.replacen(";False;", ";Maybe;", 1));
    refused(&s, &["mac-muted.csv"], &["mac-muted.csv, line 2", "MUTED"]);
}

/// Issue 19, item 14: an HTML page over the size limit is refused naming the file and the
/// limit, not as an oversized record.
#[test]
fn an_html_page_over_the_size_limit_is_refused_as_such() {
    let s = project(&[]);
    let page = s.write("FTR.html", format!("<html><body>{}", " ".repeat(1 << 17)));
    // Sparse past the first block read: the rest reads as NUL characters, which are UTF-8.
    std::fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_len((64 << 20) + 4096)
        .unwrap();
    let err = refused(
        &s,
        &["FTR.html"],
        &["FTR.html", "over the 64 MB size limit"],
    );
    assert!(!err.contains("one record"), "{err}");
}

/// Issue 19, item 14: dates the CSV holds that cannot be read are reported in one line, and
/// the file's time dates the scan.
#[test]
fn unreadable_csv_dates_are_reported() {
    let s = project(&[]);
    let text = std::fs::read_to_string(fixture(PROWLER_CSV)).unwrap();
    let rows = text.lines().count() - 1;
    let file = s.write("undated.csv", text.replace("2026-08-03", "03/08/2026"));
    set_file_time(&file, 1_793_000_000);
    let out =
        String::from_utf8(s.ok(&["import", "undated.csv"]).get_output().stdout.clone()).unwrap();
    let line = format!(
        "note: {rows} rows had a date that could not be read (ASSESSMENTDATE `03/08/2026 12:40:02.100000`); dated by the file's time"
    );
    assert!(out.contains(&line), "`{line}` not in: {out}");
    assert_eq!(out.matches("could not be read").count(), 1, "{out}");
    assert!(
        !out.contains("records no scan time"),
        "one line says it: {out}"
    );
    assert_eq!(json_of(&s)["scans"][0]["scanned"], "2026-10-26T07:33:20Z");
}

/// The Prowler fixture's header and rows, as fields.
fn prowler_fields() -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(fixture(PROWLER_CSV))
        .unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// `header` and `rows` as a `;`-separated CSV with CRLF line ends, quoted where needed as
/// Prowler writes it, or as a spreadsheet saves it back when `spreadsheet`: a byte-order mark
/// first and every field quoted.
fn prowler_csv(header: &[String], rows: &[Vec<String>], spreadsheet: bool) -> Vec<u8> {
    let quotes = if spreadsheet {
        csv::QuoteStyle::Always
    } else {
        csv::QuoteStyle::Necessary
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .quote_style(quotes)
        .from_writer(Vec::new());
    w.write_record(header).unwrap();
    for row in rows {
        w.write_record(row).unwrap();
    }
    let mut bytes = if spreadsheet {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(w.into_inner().unwrap());
    bytes
}

/// The fixture with only the columns `keep` chooses, in the order it gives them.
fn prowler_columns(keep: impl Fn(&[String]) -> Vec<usize>) -> Vec<u8> {
    let (header, rows) = prowler_fields();
    let order = keep(&header);
    let pick =
        |fields: &[String]| -> Vec<String> { order.iter().map(|&i| fields[i].clone()).collect() };
    let rows: Vec<Vec<String>> = rows.iter().map(|r| pick(r)).collect();
    prowler_csv(&pick(&header), &rows, false)
}

/// What a project keeps of the file `content` imported alone as `name`: its stored scan and
/// its hints, without what names the file (its path, fingerprint and size).
fn imported(name: &str, content: &[u8]) -> (toml::Value, Value) {
    let s = project(&[]);
    s.write(name, content);
    s.ok(&["import", name]);
    let mut scans = stored_scans(&s);
    assert_eq!(scans.len(), 1, "{scans:?}");
    let mut scan = scans.remove(0);
    for key in ["file", "sha256", "size"] {
        assert!(scan.as_table_mut().unwrap().remove(key).is_some(), "{key}");
    }
    let mut h = hints(&s);
    for list in h.as_object_mut().unwrap().values_mut() {
        for hint in list.as_array_mut().unwrap() {
            let hint = hint.as_object_mut().unwrap();
            hint.remove("file");
            hint.remove("sha256");
        }
    }
    (scan, h)
}

#[test]
fn a_prowler_csv_is_read_by_its_column_names_in_any_order() {
    let original = imported(
        "original.csv",
        &std::fs::read(fixture(PROWLER_CSV)).unwrap(),
    );
    assert_eq!(
        counts(hint(&original.1, "IAM-001", "Prowler")),
        (2, 1, 0, 1)
    );
    assert!(original.0.get("controls").is_some(), "{:?}", original.0);

    // The columns reversed, and one Prowler does not write put first.
    let (header, rows) = prowler_fields();
    let moved = |fields: &[String], extra: &str| -> Vec<String> {
        std::iter::once(extra.to_string())
            .chain(fields.iter().rev().cloned())
            .collect()
    };
    let rows_moved: Vec<Vec<String>> = rows.iter().map(|r| moved(r, "checked by Dana")).collect();
    let text = prowler_csv(&moved(&header, "NOTES"), &rows_moved, false);
    assert!(text.starts_with(b"NOTES;REQUIREMENTS_ATTRIBUTES_COMMENT;NAME;"));
    assert_eq!(imported("moved.csv", &text), original);

    // Saved back from a spreadsheet: a byte-order mark, every field quoted, CRLF.
    let saved = prowler_csv(&header, &rows, true);
    assert!(saved.starts_with(b"\xEF\xBB\xBF\"PROVIDER\";\"DESCRIPTION\";"));
    assert!(String::from_utf8_lossy(&saved).contains("\";\"\"\r\n\"aws\";"));
    assert_eq!(imported("saved.csv", &saved), original);
}

#[test]
fn a_prowler_csv_without_a_column_the_import_needs_names_it() {
    let s = project(&[]);
    let without = |names: &'static [&'static str]| {
        prowler_columns(move |header| {
            (0..header.len())
                .filter(|&i| !names.contains(&header[i].as_str()))
                .collect()
        })
    };
    s.write("no-id.csv", without(&["REQUIREMENTS_ID"]));
    let err = refused(
        &s,
        &["no-id.csv"],
        &[
            "no-id.csv, line 1",
            "the header has no REQUIREMENTS_ID column, which ftr needs",
            "export the FTR compliance CSV again from Prowler",
        ],
    );
    assert!(!err.contains("another framework"), "{err}");
    s.write("no-place.csv", without(&["REGION", "CHECKID"]));
    refused(
        &s,
        &["no-place.csv"],
        &[
            "no-place.csv, line 1",
            "lacks the columns REGION and CHECKID",
        ],
    );

    // Another Prowler version's columns: no MUTED, RESOURCENAME, FRAMEWORK or NAME. Read, and
    // bob's muted row counts as the failure it is.
    s.write(
        "older.csv",
        without(&["MUTED", "RESOURCENAME", "FRAMEWORK", "NAME"]),
    );
    s.ok(&["import", "older.csv"]);
    let h = hints(&s);
    let iam1 = hint(&h, "IAM-001", "Prowler");
    assert_eq!(counts(iam1), (2, 2, 0, 0));
    assert_eq!(
        iam1["failing"],
        serde_json::json!([
            "arn:aws:iam::123456789012:user/alice",
            "arn:aws:iam::123456789012:user/bob"
        ])
    );

    // Columns of another framework's file are no reason to refuse it; rows that name another
    // framework are.
    let (mut header, rows) = prowler_fields();
    header.push("REQUIREMENTS_ATTRIBUTES_PROFILE".into());
    let framework = header.iter().position(|h| h == "FRAMEWORK").unwrap();
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            r[framework] = "CIS-2.0".into();
            r.push("Level 1".into());
            r
        })
        .collect();
    s.write("cis.csv", prowler_csv(&header, &rows, false));
    refused(
        &s,
        &["cis.csv"],
        &[
            "cis.csv, line 2",
            "the row is for framework `CIS-2.0`, not the FTR",
        ],
    );
}
