//! `ftr import` of a scan over part of what an earlier one covered: the later scan replaces
//! the earlier one's results per check, account and Region, and the rest stays, with its own
//! date.

use serde_json::Value;

use crate::common::{Scratch, codes};
use crate::import::{PROWLER_CSV, counts, fixture, hint, json_of, project, stored_scans};

/// A row of Prowler's FTR CSV: S3-001's check on `bucket` in `region`, on `date`.
fn s3_row(date: &str, region: &str, bucket: &str, status: &str) -> String {
    format!(
        "aws;The AWS Foundational Technical Review checks a partner's solution against AWS best \
         practices.;123456789012;{region};{date} 10:00:00.000000;S3-001;Requirement text;Amazon S3;;;;\
         Automated;{status};Bucket {bucket} and its public access block.;arn:aws:s3:::{bucket};\
         s3_bucket_level_public_access_block;False;{bucket};AWS-Foundational-Technical-Review;\
         AWS Foundational Technical Review;\r\n"
    )
}

/// The fixture's lines (its header first), dated `date`.
fn fixture_lines(date: &str) -> Vec<String> {
    std::fs::read_to_string(fixture(PROWLER_CSV))
        .unwrap()
        .replace("2026-08-03", date)
        .split_inclusive("\r\n")
        .map(str::to_string)
        .collect()
}

/// A full run on `date`: the fixture's IAM and manual rows, and `s3`.
fn full_scan(date: &str, s3: &[String]) -> String {
    fixture_lines(date).concat() + &s3.concat()
}

/// A run over S3 alone on `date`: the header, the manual rows Prowler writes on every run when
/// `manual`, and `s3`.
fn s3_scan(date: &str, manual: bool, s3: &[String]) -> String {
    let lines = fixture_lines(date);
    let mut out = lines[0].clone();
    if manual {
        out.extend(lines.iter().filter(|l| l.contains(";MANUAL;")).cloned());
    }
    out + &s3.concat()
}

/// Runs `ftr import FILE` and returns what it printed.
fn import(s: &Scratch, file: &str) -> String {
    String::from_utf8(s.ok(&["import", file]).get_output().stdout.clone()).unwrap()
}

fn check(s: &Scratch) -> Value {
    s.json(&["check", "--json"])
}

/// The hints of `control`, newest first.
fn hints_of(status: &Value, control: &str) -> Vec<Value> {
    status["hints"][control]
        .as_array()
        .unwrap_or_else(|| panic!("no hints for {control}: {status}"))
        .clone()
}

#[test]
fn a_partial_rescan_keeps_what_it_did_not_scan() {
    let s = project(&[]);
    s.ok(&[
        "answer",
        "S3-001",
        "--status",
        "met",
        "--response",
        "Every bucket blocks public access.",
    ]);
    let bucket = |date: &str, status: &str| s3_row(date, "eu-west-1", "acme-public", status);
    s.write(
        "full.csv",
        full_scan("2026-11-19", &[bucket("2026-11-19", "FAIL")]),
    );
    import(&s, "full.csv");
    assert_eq!(
        codes(&check(&s), "scan-fails"),
        ["IAM-001", "S3-001"],
        "the full run fails both met controls"
    );

    // The next day Prowler runs over S3 alone, and the bucket passes.
    s.write(
        "s3.csv",
        s3_scan("2026-11-20", true, &[bucket("2026-11-20", "PASS")]),
    );
    let out = import(&s, "s3.csv");
    assert!(
        out.contains(
            "  replaces the Prowler scan of 19 Nov (full.csv) for 2 checks run again in account \
             123456789012, eu-west-1 (ACOM-002, S3-001)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("  keeps the rest of that scan, dated 19 Nov: IAM-001, IAM-002, IAM-012\n"),
        "{out}"
    );

    let status = json_of(&s);
    let files: Vec<&str> = status["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["full.csv", "s3.csv"]);
    // The IAM results of the full run stay, with its date.
    let iam1 = hints_of(&status, "IAM-001");
    assert_eq!(iam1.len(), 1, "{iam1:?}");
    assert_eq!(iam1[0]["file"], "full.csv");
    assert_eq!(iam1[0]["scanned"], "2026-11-19T12:42:47Z");
    assert_eq!(
        iam1[0]["text"],
        "Prowler, 19 Nov: 2 passed, 1 failed, 1 muted: arn:…:user/alice"
    );
    assert_eq!(
        counts(hint(&status["hints"], "IAM-012", "Prowler")),
        (0, 1, 0, 0)
    );
    assert_eq!(
        counts(hint(&status["hints"], "IAM-002", "Prowler")),
        (1, 0, 0, 0)
    );
    // The S3 results are the new scan's alone, with its date.
    let s3 = hints_of(&status, "S3-001");
    assert_eq!(s3.len(), 1, "{s3:?}");
    assert_eq!(s3[0]["file"], "s3.csv");
    assert_eq!(s3[0]["scanned"], "2026-11-20T12:42:40Z");
    assert_eq!(counts(&s3[0]), (1, 0, 0, 0));
    assert_eq!(s3[0]["text"], "Prowler, 20 Nov: 1 passed, 0 failed");
    let acom = hints_of(&status, "ACOM-002");
    assert_eq!((acom.len(), acom[0]["file"].as_str()), (1, Some("s3.csv")));

    // The met IAM-001 the full run fails is still an error; S3-001 passes now.
    let findings = check(&s);
    assert_eq!(codes(&findings, "scan-fails"), ["IAM-001"], "{findings}");
    assert!(
        crate::common::finding(&findings, "scan-fails")["message"]
            .as_str()
            .unwrap()
            .contains("Prowler, 19 Nov"),
        "{findings}"
    );
    // Each scan ages from its own date: 31 days after the full run it is stale, the S3 run
    // (30 days) not yet.
    let out = s
        .ftr()
        .env("FTR_TODAY", "2026-12-20")
        .env("FTR_NOW", "2026-12-20T09:00:00Z")
        .args(["check", "--json"])
        .output()
        .unwrap();
    let late: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stale: Vec<&str> = late["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "scan-stale")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(stale[0].contains("full.csv is 31 days old"), "{stale:?}");
    assert_eq!(codes(&late, "scan-fails"), ["IAM-001"], "{late}");

    // A rescan of the same checks in the same account and Region replaces them, whole.
    s.write(
        "s3-again.csv",
        s3_scan("2026-11-21", true, &[bucket("2026-11-21", "FAIL")]),
    );
    let out = import(&s, "s3-again.csv");
    assert!(
        out.contains("  replaces the Prowler scan of 20 Nov (s3.csv)\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "  keeps the Prowler scan of 19 Nov (full.csv): this file has none of its checks in \
             its accounts and Regions\n"
        ),
        "{out}"
    );
    let status = json_of(&s);
    let files: Vec<&str> = status["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["full.csv", "s3-again.csv"]);
    let s3 = hints_of(&status, "S3-001");
    assert_eq!(s3.len(), 1, "{s3:?}");
    assert_eq!(s3[0]["file"], "s3-again.csv");
    assert_eq!(counts(&s3[0]), (0, 1, 0, 0));
    assert_eq!(hints_of(&status, "IAM-001")[0]["file"], "full.csv");
    assert_eq!(codes(&check(&s), "scan-fails"), ["IAM-001", "S3-001"]);
}

#[test]
fn another_region_is_kept_and_an_older_scan_gives_way_check_by_check() {
    let s = project(&[]);
    s.write(
        "full.csv",
        full_scan(
            "2026-11-19",
            &[s3_row("2026-11-19", "eu-west-1", "acme-public", "FAIL")],
        ),
    );
    import(&s, "full.csv");

    // S3 in another Region: the full run's eu-west-1 result stays beside it.
    s.write(
        "s3-us.csv",
        s3_scan(
            "2026-11-20",
            false,
            &[s3_row("2026-11-20", "us-east-1", "acme-logs", "PASS")],
        ),
    );
    let out = import(&s, "s3-us.csv");
    assert!(
        out.contains(
            "  keeps the Prowler scan of 19 Nov (full.csv): this file has none of its checks in \
             its accounts and Regions\n"
        ),
        "{out}"
    );
    let status = json_of(&s);
    let s3: Vec<(String, (u64, u64, u64, u64))> = hints_of(&status, "S3-001")
        .iter()
        .map(|h| (h["file"].as_str().unwrap().to_string(), counts(h)))
        .collect();
    assert_eq!(
        s3,
        [
            ("s3-us.csv".to_string(), (1, 0, 0, 0)),
            ("full.csv".to_string(), (0, 1, 0, 0))
        ],
        "newest first"
    );

    // A scan from before the full run: its eu-west-1 result is older than the full run's and
    // left out; its ap-south-1 result is new and taken.
    s.write(
        "s3-old.csv",
        s3_scan(
            "2026-11-18",
            false,
            &[
                s3_row("2026-11-18", "eu-west-1", "acme-public", "PASS"),
                s3_row("2026-11-18", "ap-south-1", "acme-mumbai", "FAIL"),
            ],
        ),
    );
    let out = import(&s, "s3-old.csv");
    assert!(
        out.contains(
            "  keeps the Prowler scan of 19 Nov (full.csv), newer for 1 check in account \
             123456789012, eu-west-1: this file's results there are left out (S3-001)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("0 passed, 1 failed: arn:…:acme-mumbai"),
        "{out}"
    );
    let status = json_of(&s);
    let old = hints_of(&status, "S3-001")
        .into_iter()
        .find(|h| h["file"] == "s3-old.csv")
        .unwrap();
    assert_eq!(counts(&old), (0, 1, 0, 0));
    assert_eq!(
        old["failing"],
        serde_json::json!(["arn:aws:s3:::acme-mumbai"])
    );
    assert_eq!(stored_scans(&s).len(), 3);

    // Older still, and only where the full run looked: not imported at all.
    s.write(
        "s3-older.csv",
        s3_scan(
            "2026-11-17",
            false,
            &[s3_row("2026-11-17", "eu-west-1", "acme-public", "PASS")],
        ),
    );
    let before = s.read_project();
    let out = import(&s, "s3-older.csv");
    assert!(
        out.contains(
            "  not imported: the Prowler scan of the same checks, accounts and Regions from 19 \
             Nov is newer and is kept\n"
        ),
        "{out}"
    );
    assert_eq!(s.read_project(), before);
}

/// A project file an older `ftr` wrote keeps its scans as they were: it loads, is written
/// back without a change to them, and a later scan of the same tool and accounts replaces
/// such a scan as a whole, as it did.
#[test]
fn a_scan_an_older_ftr_stored_loads_and_is_replaced_whole() {
    let s = project(&[PROWLER_CSV]);
    import(&s, PROWLER_CSV);
    let text = s.read_project();
    let at = text.find("[[scans]]").unwrap();
    let old_scans: Vec<&str> = text[at..]
        .split("\n\n")
        .filter(|table| !table.starts_with("[[scans.controls."))
        .collect();
    let old = format!("{}{}\n", &text[..at], old_scans.join("\n\n").trim_end());
    assert!(!old.contains("parts"), "{old}");
    std::fs::write(s.project(), &old).unwrap();

    s.ok(&["status"]);
    s.ok(&[
        "answer",
        "IAM-002",
        "--status",
        "met",
        "--response",
        "No root keys.",
    ]);
    let now = s.read_project();
    assert_eq!(
        &now[now.find("[[scans]]").unwrap()..],
        &old[at..],
        "the stored scan is written back as it was"
    );
    assert_eq!(
        counts(hint(&json_of(&s)["hints"], "IAM-001", "Prowler")),
        (2, 1, 0, 1)
    );

    s.write(
        "s3.csv",
        s3_scan(
            "2026-11-20",
            false,
            &[s3_row("2026-11-20", "eu-west-1", "acme-public", "PASS")],
        ),
    );
    let out = import(&s, "s3.csv");
    assert!(
        out.contains(&format!(
            "  replaces the Prowler scan of 3 Aug ({PROWLER_CSV})\n"
        )),
        "{out}"
    );
    let scans = stored_scans(&s);
    assert_eq!(scans.len(), 1, "{scans:?}");
    assert_eq!(scans[0]["file"].as_str(), Some("s3.csv"));
}

/// The evidence controls of `answers` hold, as (control, file) pairs.
fn evidence(s: &Scratch) -> Vec<(String, String)> {
    let project: toml::Table = toml::from_str(&s.read_project()).unwrap();
    let mut out = Vec::new();
    for (id, answer) in project["answers"]["partner-hosted"].as_table().unwrap() {
        for ev in answer
            .get("evidence")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
        {
            out.push((id.clone(), ev["path"].as_str().unwrap().to_string()));
        }
    }
    out
}

#[test]
fn attached_scan_files_follow_the_results_a_partial_rescan_replaces() {
    let s = project(&[]);
    s.write(
        "full.csv",
        full_scan(
            "2026-11-19",
            &[s3_row("2026-11-19", "eu-west-1", "acme-public", "FAIL")],
        ),
    );
    s.ok(&["import", "full.csv", "--attach"]);
    let pair = |id: &str, file: &str| (id.to_string(), file.to_string());
    assert!(evidence(&s).contains(&pair("S3-001", "full.csv")));
    s.write(
        "s3.csv",
        s3_scan(
            "2026-11-20",
            false,
            &[s3_row("2026-11-20", "eu-west-1", "acme-public", "PASS")],
        ),
    );
    s.ok(&["import", "s3.csv", "--attach"]);
    assert_eq!(
        evidence(&s),
        [
            pair("IAM-001", "full.csv"),
            pair("IAM-002", "full.csv"),
            pair("IAM-012", "full.csv"),
            pair("S3-001", "s3.csv"),
        ]
    );
    // Attached again: the full run's file goes only where it still has results.
    s.ok(&["import", "full.csv", "--attach"]);
    assert!(!evidence(&s).contains(&pair("S3-001", "full.csv")));
}

/// A scan with more results per control, check, account and Region than are kept one by one
/// says so, and a later scan of the same tool and accounts replaces it whole.
#[test]
fn a_scan_too_broad_to_keep_check_by_check_is_replaced_whole() {
    let s = project(&[]);
    let finding = |check: usize, date: &str| {
        format!(
            r#"{{"status_code":"PASS","status":"New","metadata":{{"event_code":"check_{check}"}},"time_dt":"{date}T10:00:00","resources":[{{"uid":"arn:aws:iam::123456789012:user/u","region":"eu-west-1"}}],"cloud":{{"account":{{"uid":"123456789012"}}}},"unmapped":{{"compliance":{{"AWS-Foundational-Technical-Review":["IAM-001"]}}}}}}"#
        )
    };
    let many: Vec<String> = (0..2001).map(|i| finding(i, "2026-11-19")).collect();
    s.write("broad.ocsf.json", format!("[{}]", many.join(",")));
    let out = import(&s, "broad.ocsf.json");
    assert!(
        out.contains(
            "too many to keep one by one: a later scan of the same accounts replaces it as a whole"
        ),
        "{out}"
    );
    assert!(!s.read_project().contains("parts"));
    assert_eq!(
        counts(hint(&json_of(&s)["hints"], "IAM-001", "Prowler")),
        (2001, 0, 0, 0)
    );
    s.write("one.ocsf.json", format!("[{}]", finding(7, "2026-11-20")));
    let out = import(&s, "one.ocsf.json");
    assert!(
        out.contains("  replaces the Prowler scan of 19 Nov (broad.ocsf.json)\n"),
        "{out}"
    );
    assert_eq!(stored_scans(&s).len(), 1);
}
