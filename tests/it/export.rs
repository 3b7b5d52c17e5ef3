//! The submission bundle, built by the real binary and read back: with the zip crate, with
//! `unzip -t` and Python's zipfile, against the manifest, the summary's links and the CSV.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use ftr_wizard::content::{Library, Model};
use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{self, Scratch};

const EPOCH: &str = "1795680000"; // 2026-11-26 08:00:00 UTC

/// A ready customer-deployed project: every control met or scoped out, evidence of several
/// kinds, one file shared by many controls, one name with spaces and accents.
fn ready_project() -> Scratch {
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
        .arg("customer-deployed")
        .assert()
        .success();
    for (k, v) in [
        ("contact.name", "Dana"),
        ("contact.email", "dana@acme.example"),
        ("scoping.stores_secrets", "no"),
        ("scoping.multiple_deployment_options", "no"),
        ("scoping.creates_public_resources", "no"),
        ("scoping.runs_on_ec2", "yes"),
        ("scoping.is_licensed", "no"),
        ("scoping.multi_element_deployment", "yes"),
        ("prereq.software_path", "yes"),
        ("prereq.solution_created", "yes"),
        ("prereq.ace_terms", "yes"),
        ("prereq.ace_opportunities", "12"),
    ] {
        s.ftr().args(["set", k, v]).assert().success();
    }
    s.write("evidence/deployment guide.pdf", pdf_like());
    s.write("evidence/Diagrama de red – producción.png", noise(200_000));
    let logs: String = (0..4000)
        .map(|i| format!("{{\"t\":{i},\"event\":\"deploy step ok\",\"region\":\"eu-west-1\"}}\n"))
        .collect();
    s.write("evidence/health/check.json", logs);
    let lib = Library::embedded().unwrap();
    let checklist = lib.for_model(Model::CustomerDeployed).unwrap();
    for c in &checklist.controls {
        let mut cmd = s.ftr();
        cmd.args(["answer", &c.id, "--status", "met", "--response"])
            .arg(format!(
                "Section \"{}\" of the deployment guide covers this:\nsteps, *examples* and checks.",
                c.title
            ))
            .args(["--evidence", "evidence/deployment guide.pdf"]);
        match c.id.as_str() {
            "ARCH-001" | "ARCH-005" => {
                cmd.args(["--evidence", "evidence/Diagrama de red – producción.png"])
                    .args(["--label", "Guide", "--label", "Network diagram"]);
            }
            "HLCH-001" => {
                cmd.args(["--evidence", "evidence/health/check.json"]);
            }
            _ => {}
        }
        cmd.assert().success();
    }
    s.ftr().arg("check").assert().code(0);
    s
}

fn noise(n: usize) -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn pdf_like() -> Vec<u8> {
    let mut v = b"%PDF-1.7\n1 0 obj << /Length 9000 >> stream\n".to_vec();
    for i in 0..300 {
        v.extend_from_slice(
            format!("BT /F1 11 Tf 72 {i} Td (Deployment step {i}) Tj ET\n").as_bytes(),
        );
    }
    v.extend_from_slice(b"endstream endobj\n%%EOF\n");
    v
}

fn export(s: &Scratch, extra: &[&str]) -> assert_cmd::assert::Assert {
    s.ftr()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("export")
        .args(extra)
        .assert()
}

fn read_zip(path: &Path) -> BTreeMap<String, (Vec<u8>, zip::CompressionMethod)> {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.insert(e.name().unwrap().to_string(), (data, e.compression()));
    }
    out
}

fn sha(data: &[u8]) -> String {
    ftr_wizard::assessment::evidence::hex(&Sha256::digest(data))
}

fn bundle(s: &Scratch) -> PathBuf {
    s.file("ftr-submission.zip")
}

#[test]
fn the_bundle_holds_every_entry_with_correct_hashes_links_and_csv() {
    let s = ready_project();
    export(&s, &[])
        .success()
        .stdout(predicate::str::contains("Wrote"))
        .stdout(predicate::str::contains("3 evidence files"));
    let entries = read_zip(&bundle(&s));
    let names: Vec<&str> = entries.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        vec![
            "SUMMARY.md",
            "checklist.csv",
            "evidence/ARCH-001/Diagrama_de_red_producci_n.png",
            "evidence/HLCH-001/check.json",
            "evidence/INT-001/deployment_guide.pdf",
            "ftr-assessment.toml",
            "manifest.json",
            "upload/self-assessment.xlsx",
        ]
    );
    // Safe names only.
    for n in &names {
        assert!(!n.starts_with('/') && !n.contains(".."), "{n}");
        assert!(
            n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c)),
            "{n}"
        );
    }
    // Each evidence file is there once, byte for byte; noise stored, text deflated.
    assert_eq!(
        entries["evidence/INT-001/deployment_guide.pdf"].0,
        std::fs::read(s.file("evidence/deployment guide.pdf")).unwrap()
    );
    assert_eq!(
        entries["evidence/ARCH-001/Diagrama_de_red_producci_n.png"].1,
        zip::CompressionMethod::Stored
    );
    assert_eq!(
        entries["evidence/HLCH-001/check.json"].1,
        zip::CompressionMethod::Deflated
    );
    // A PDF whose content shrinks is deflated: the probe looks at the data, not the name.
    assert_eq!(
        entries["evidence/INT-001/deployment_guide.pdf"].1,
        zip::CompressionMethod::Deflated
    );
    // The project file comes along with the same answers, its evidence pointing at the
    // bundle's entries so that it reopens from the unzipped folder.
    let lib = Library::embedded().unwrap();
    let bundled =
        ftr_wizard::store::parse_bytes("bundle", &entries["ftr-assessment.toml"].0, &lib).unwrap();
    let original = ftr_wizard::store::load(&s.project(), &lib).unwrap().project;
    assert_eq!(bundled.profile, original.profile);
    assert_eq!(bundled.delivery, original.delivery);
    assert_eq!(bundled.scoping, original.scoping);
    let (mine, theirs) = (
        &original.answers["customer-deployed"],
        &bundled.answers["customer-deployed"],
    );
    // Answers to controls that scoping switches off stay at home.
    let checklist = lib.for_model(Model::CustomerDeployed).unwrap();
    let applies: Vec<&str> = checklist
        .controls
        .iter()
        .filter(|c| {
            original.applicability(checklist, c) == ftr_wizard::assessment::Applicability::Applies
        })
        .map(|c| c.id.as_str())
        .collect();
    assert!(applies.len() < mine.len());
    assert_eq!(
        theirs.keys().map(String::as_str).collect::<Vec<_>>().len(),
        applies.len()
    );
    assert!(theirs.keys().all(|id| applies.contains(&id.as_str())));
    for (id, a) in theirs {
        assert_eq!(a.status, mine[id].status, "{id}");
        assert_eq!(a.response, mine[id].response, "{id}");
        assert_eq!(a.evidence.len(), mine[id].evidence.len(), "{id}");
        for (ev, orig) in a.evidence.iter().zip(&mine[id].evidence) {
            assert!(entries.contains_key(&ev.path), "{id}: {}", ev.path);
            assert_eq!(ev.sha256, orig.sha256, "{id}");
            assert_eq!(sha(&entries[&ev.path].0), ev.sha256, "{id}");
        }
    }

    // The manifest: every other entry with its size and SHA-256, and what each control cites.
    let manifest: Value = serde_json::from_slice(&entries["manifest.json"].0).unwrap();
    let listed = manifest["entries"].as_array().unwrap();
    assert_eq!(listed.len(), entries.len() - 1);
    for e in listed {
        let name = e["name"].as_str().unwrap();
        let (data, _) = &entries[name];
        assert_eq!(e["size"].as_u64().unwrap(), data.len() as u64, "{name}");
        assert_eq!(e["sha256"].as_str().unwrap(), sha(data), "{name}");
    }
    let cites = &manifest["controls"];
    assert_eq!(
        cites["ARCH-005"],
        serde_json::json!([
            "evidence/INT-001/deployment_guide.pdf",
            "evidence/ARCH-001/Diagrama_de_red_producci_n.png"
        ]),
        "a shared file is stored once and cited from each control"
    );
    assert_eq!(manifest["ready"], true);
    assert_eq!(manifest["draft"], false);

    // Every link in the summary opens an entry of the bundle.
    let summary = String::from_utf8(entries["SUMMARY.md"].0.clone()).unwrap();
    let links: Vec<&str> = summary
        .split("](")
        .skip(1)
        .map(|rest| &rest[..rest.find(')').unwrap()])
        .collect();
    let lib = Library::embedded().unwrap();
    let project = ftr_wizard::store::load(&s.project(), &lib).unwrap().project;
    let checklist = lib.for_model(Model::CustomerDeployed).unwrap();
    let cited: usize = checklist
        .controls
        .iter()
        .filter(|c| {
            project.effective_status(checklist, c) != ftr_wizard::assessment::Status::NotApplicable
        })
        .map(|c| {
            project
                .answer("customer-deployed", &c.id)
                .unwrap()
                .evidence
                .len()
        })
        .sum();
    assert_eq!(links.len(), cited, "one link per cited file");
    for l in &links {
        assert!(entries.contains_key(*l), "SUMMARY.md links to missing {l}");
    }

    // The CSV reads back to the same answers.
    let csv_text = String::from_utf8(entries["checklist.csv"].0.clone()).unwrap();
    let csv_text = csv_text
        .strip_prefix('\u{feff}')
        .expect("UTF-8 byte-order mark");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "ID",
            "Requirement Description",
            "Met?",
            "Partner Response",
            "Status",
            "Evidence",
            "Notes"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), checklist.controls.len());
    for (row, c) in rows.iter().zip(&checklist.controls) {
        assert_eq!(&row[0], c.id);
        assert_eq!(&row[1], c.title);
        let status = project.effective_status(checklist, c);
        assert_eq!(&row[4], status.key(), "{}", c.id);
        let answer = project.answer("customer-deployed", &c.id).unwrap();
        match status {
            ftr_wizard::assessment::Status::Met => {
                assert_eq!(&row[2], "Yes");
                assert_eq!(&row[3], answer.response, "{}", c.id);
            }
            ftr_wizard::assessment::Status::NotApplicable => {
                assert_eq!(&row[2], "N/A");
                // Switched off by scoping: the answer is kept, not submitted.
                assert_eq!(&row[3], "", "{}", c.id);
                assert!(row[6].starts_with("Scoping:"), "{}", &row[6]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn other_zip_readers_accept_the_bundle() {
    let s = ready_project();
    export(&s, &[]).success();
    let out = Command::new("unzip").arg("-t").arg(bundle(&s)).output();
    match out {
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout)),
        Err(e) => panic!("unzip is needed for this test (apt-get install unzip): {e}"),
    }
    let py = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nbad = z.testzip()\n\
             assert bad is None, bad\nprint(len(z.namelist()))",
        )
        .arg(bundle(&s))
        .output()
        .expect("python3 is needed for this test");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&py.stdout).trim(), "8");
}

#[test]
fn the_same_project_gives_the_same_bytes_under_source_date_epoch() {
    let s = ready_project();
    export(&s, &["--out", "a.zip"]).success();
    export(&s, &["--out", "b.zip"]).success();
    let a = std::fs::read(s.file("a.zip")).unwrap();
    let b = std::fs::read(s.file("b.zip")).unwrap();
    assert!(a == b, "two exports differ");
    // And the date really is taken from SOURCE_DATE_EPOCH.
    s.ftr()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["export", "--out", "c.zip"])
        .assert()
        .success();
    let c = std::fs::read(s.file("c.zip")).unwrap();
    assert!(a != c);
    let summary = String::from_utf8(read_zip(&s.file("c.zip"))["SUMMARY.md"].0.clone()).unwrap();
    assert!(summary.contains("| Exported | 2023-11-14 |"), "{summary}");
}

/// No bundle, no temporary file: only what was there before.
fn assert_nothing_written(s: &Scratch, before: &[String]) {
    let now = listing(s.path());
    assert_eq!(now, before, "the failed export left files behind");
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Takes back INT-002's answer and marks INT-004 not met (without a plan): two errors.
fn two_errors(s: &Scratch) {
    s.ok(&["answer", "INT-002", "--status", "unanswered"]);
    s.ok(&["answer", "INT-004", "--status", "not-met"]);
}

#[test]
fn an_incomplete_project_is_refused_unless_a_draft_is_asked_for() {
    let s = ready_project();
    two_errors(&s);
    let before = listing(s.path());
    export(&s, &[])
        .code(1)
        .stderr(predicate::str::contains("found 2 error(s)"))
        .stderr(predicate::str::contains("INT-002"))
        .stderr(predicate::str::contains("INT-004 is not met"))
        .stderr(predicate::str::contains("--allow-incomplete"));
    assert_nothing_written(&s, &before);
    export(&s, &["--allow-incomplete"])
        .success()
        .stdout(predicate::str::contains("DRAFT"))
        .stdout(predicate::str::contains("not for the FTR request"))
        .stdout(predicate::str::contains("upload form").not());
    let entries = read_zip(&bundle(&s));
    let summary = String::from_utf8(entries["SUMMARY.md"].0.clone()).unwrap();
    assert!(
        summary.contains("> Draft: built anyway while the readiness check still reports"),
        "{summary}"
    );
    let manifest: Value = serde_json::from_slice(&entries["manifest.json"].0).unwrap();
    assert_eq!(manifest["draft"], true);
}

#[test]
fn a_refused_export_counts_the_findings_of_ftr_check() {
    let s = ready_project();
    two_errors(&s);
    // Edited without changing its size: only its fingerprint tells, which `ftr check` reads
    // and the export's first look at the files does not.
    let logs = s.file("evidence/health/check.json");
    let mut bytes = std::fs::read(&logs).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&logs, &bytes).unwrap();
    let check = s.json(&["check", "--json"]);
    let (errors, warnings) = (
        check["errors"].as_u64().unwrap(),
        check["warnings"].as_u64().unwrap(),
    );
    assert!(errors >= 3 && warnings >= 1, "{check}");
    let changed = common::codes(&check, "evidence-changed");
    assert_eq!(changed, ["HLCH-001"]);
    let out = s
        .ftr()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("export")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the readiness check found {errors} error(s) and {warnings} warning(s)"
        )),
        "{stderr}"
    );
    // The same errors, one line each.
    let listed = stderr.lines().filter(|l| l.starts_with("  - ")).count();
    assert_eq!(listed as u64, errors, "{stderr}");
    assert!(
        stderr.contains("HLCH-001: evidence file evidence/health/check.json changed"),
        "{stderr}"
    );
    // And the text of `ftr check` says the same numbers.
    s.ftr()
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "Not ready: {errors} errors and {warnings} warning"
        )));
}

#[test]
fn evidence_that_changed_went_missing_or_is_not_a_file_stops_the_export() {
    let s = ready_project();
    let before = listing(s.path());
    // Same size, other content: only the fingerprint tells.
    let guide = s.file("evidence/deployment guide.pdf");
    let mut bytes = std::fs::read(&guide).unwrap();
    bytes[20] ^= 1;
    std::fs::write(&guide, &bytes).unwrap();
    // Refused with the findings of `ftr check`: every control citing the file.
    export(&s, &[]).code(1).stderr(predicate::str::contains(
        "evidence file evidence/deployment guide.pdf changed since it was attached",
    ));
    assert_nothing_written(&s, &before);
    bytes[20] ^= 1;
    std::fs::write(&guide, &bytes).unwrap();

    std::fs::remove_file(s.file("evidence/health/check.json")).unwrap();
    export(&s, &[]).code(1).stderr(predicate::str::contains(
        "evidence/health/check.json is missing",
    ));
    assert_nothing_written(&s, &before);
    std::fs::create_dir(s.file("evidence/health/check.json")).unwrap();
    export(&s, &[])
        .code(1)
        .stderr(predicate::str::contains("check.json is not a regular file"));
    // A draft leaves such files out and says so.
    export(&s, &["--allow-incomplete"])
        .success()
        .stdout(predicate::str::contains("Left out of the draft"))
        .stdout(predicate::str::contains(
            "HLCH-001: evidence/health/check.json (not a regular file)",
        ));
    let summary = String::from_utf8(read_zip(&bundle(&s))["SUMMARY.md"].0.clone()).unwrap();
    assert!(
        summary.contains("check.json (not in this bundle: not a regular file)"),
        "{summary}"
    );
}

#[test]
fn secrets_in_text_evidence_stop_the_export_by_file_and_line() {
    let s = ready_project();
    s.write(
        "evidence/app.env",
        "APP_NAME=widget\nDB_PASSWORD=correct-horse-battery\n",
    );
    s.write(
        "evidence/deploy.log",
        "step 1 ok\nstep 2 ok\nusing key AKIAIOSFODNN7EXAMPLE\n",
    );
    s.ftr()
        .args([
            "answer",
            "RM-001",
            "--evidence",
            "evidence/app.env",
            "--evidence",
        ])
        .arg("evidence/deploy.log")
        .assert()
        .success();
    let before = listing(s.path());
    export(&s, &[])
        .code(1)
        .stderr(predicate::str::contains(
            "evidence/app.env, line 2: a credential in .env style",
        ))
        .stderr(predicate::str::contains(
            "evidence/deploy.log, line 3: an AWS access key ID",
        ))
        .stderr(predicate::str::contains("--allow-secrets"));
    assert_nothing_written(&s, &before);
    export(&s, &["--allow-secrets"]).success();
    assert!(bundle(&s).exists());
    // Secrets typed into a response are caught too; internal notes never leave.
    std::fs::remove_file(bundle(&s)).unwrap();
    s.ftr()
        .args([
            "answer",
            "RM-002",
            "--notes",
            "ask ops: DB_PASSWORD=hunter22secret",
        ])
        .args([
            "--response",
            "Patches follow the guide. Key in use: AKIAIOSFODNN7EXAMPLE",
        ])
        .assert()
        .success();
    export(&s, &["--allow-secrets"]).success();
    let entries = read_zip(&bundle(&s));
    let bundled = String::from_utf8(entries["ftr-assessment.toml"].0.clone()).unwrap();
    assert!(
        !bundled.contains("hunter22secret"),
        "internal notes were bundled"
    );
    assert!(
        bundled.contains("AKIAIOSFODNN7EXAMPLE"),
        "the response is kept"
    );
    std::fs::remove_file(bundle(&s)).unwrap();
    s.ftr()
        .args(["answer", "RM-001", "--remove-evidence", "evidence/app.env"])
        .args(["--remove-evidence", "evidence/deploy.log"])
        .assert()
        .success();
    export(&s, &[]).code(1).stderr(predicate::str::contains(
        "RM-002 response, line 1: an AWS access key ID",
    ));
}

#[test]
fn a_failed_export_keeps_an_earlier_bundle_intact() {
    let s = ready_project();
    export(&s, &[]).success();
    let first = std::fs::read(bundle(&s)).unwrap();
    s.ftr()
        .args(["answer", "INT-001", "--status", "unanswered"])
        .assert()
        .success();
    export(&s, &[]).code(1);
    assert_eq!(std::fs::read(bundle(&s)).unwrap(), first);
}

#[test]
fn evidence_from_outside_the_project_folder_is_listed() {
    let s = ready_project();
    let elsewhere = Scratch::new();
    let outside = elsewhere.write("shared/policy.txt", "Security policy v3\n");
    s.ftr()
        .args(["answer", "RM-002", "--evidence"])
        .arg(&outside)
        .assert()
        .success();
    export(&s, &[])
        .success()
        .stdout(predicate::str::contains(
            "Sent from outside the project folder:",
        ))
        .stdout(predicate::str::contains(outside.display().to_string()));
    let summary = String::from_utf8(read_zip(&bundle(&s))["SUMMARY.md"].0.clone()).unwrap();
    assert!(summary.contains("policy.txt"), "{summary}");
}

#[test]
fn the_summary_of_a_fixture_project() {
    let s = ready_project();
    export(&s, &[]).success();
    let summary = String::from_utf8(read_zip(&bundle(&s))["SUMMARY.md"].0.clone()).unwrap();
    insta::assert_snapshot!("summary_customer_deployed", summary);
}

/// The required values open the response in every place a reviewer reads it: SUMMARY.md
/// and checklist.csv (through the one view of the submission), in canonical form.
#[test]
fn required_values_open_the_response_in_the_summary_and_the_csv() {
    let s = Scratch::new();
    s.ok(&["new", "--company", "Acme Ltd", "--model", "partner-hosted"]);
    s.write("evidence/fis-report.pdf", pdf_like());
    s.ok(&[
        "answer",
        "RES-001",
        "--status",
        "met",
        "--value",
        "rpo=90m",
        "--response",
        "Aurora backs up continuously; S3 objects are versioned.",
    ]);
    s.ok(&[
        "answer",
        "RES-002",
        "--status",
        "met",
        "--value",
        "rto=4 hours",
    ]);
    s.ok(&[
        "answer",
        "RES-004",
        "--status",
        "met",
        "--value",
        "last_test=2026-09-14",
        "--response",
        "An AZ impairment drill with Fault Injection Service; recovery met the RTO.",
        "--evidence",
        "evidence/fis-report.pdf",
    ]);
    // A value that does not read (edited by hand) is never submitted.
    let text = s.read_project().replace(
        "[answers.partner-hosted.RES-005]\n",
        "[answers.partner-hosted.RES-005]\nstatus = \"not-met\"\n\n[answers.partner-hosted.RES-005.values]\nrpo = \"soon\"\n",
    );
    std::fs::write(s.project(), text).unwrap();
    export(&s, &["--allow-incomplete"]).success();
    let entries = read_zip(&bundle(&s));
    let summary = String::from_utf8(entries["SUMMARY.md"].0.clone()).unwrap();
    let start = summary.find("#### RES-001").unwrap();
    let end = summary.find("#### RES-006").unwrap();
    insta::assert_snapshot!("summary_required_values", &summary[start..end]);
    assert!(!summary.contains("soon"), "{summary}");

    let csv_text = String::from_utf8(entries["checklist.csv"].0.clone()).unwrap();
    let mut rows = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let responses: BTreeMap<String, String> = rows
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[0].to_string(), r[3].to_string()))
        .collect();
    assert_eq!(
        responses["RES-001"],
        "Recovery point objective (RPO): 1 hour 30 minutes\n\n\
         Aurora backs up continuously; S3 objects are versioned."
    );
    assert_eq!(
        responses["RES-002"],
        "Recovery time objective (RTO): 4 hours"
    );
    assert_eq!(
        responses["RES-004"],
        "Date of the last resilience test: 2026-09-14\n\n\
         An AZ impairment drill with Fault Injection Service; recovery met the RTO."
    );
    assert_eq!(responses["RES-005"], "");
    // The project file in the bundle keeps the values as typed.
    let project = String::from_utf8(entries["ftr-assessment.toml"].0.clone()).unwrap();
    assert!(project.contains("rpo = \"90m\""), "{project}");

    let file = s.write("SUMMARY.md", &summary);
    // Run where no project configuration applies: the summary keeps to the default rules.
    crate::common::assert_markdownlint(s.path(), &[file]);
}

#[test]
fn the_summary_passes_markdownlint() {
    let s = ready_project();
    // A draft with every kind of section: gaps, n/a, findings, escaped user text.
    s.ftr()
        .args(["answer", "INT-004", "--status", "not-met", "--plan"])
        .args([
            "Write the timing table",
            "--owner",
            "Dana",
            "--due",
            "2027-01-31",
        ])
        .assert()
        .success();
    s.ftr()
        .args(["answer", "INT-005", "--status", "na", "--reason"])
        .arg("# Not a heading | not a table <b>not html</b> [not a link](x) and a very long reason that needs wrapping to stay under eighty columns")
        .assert()
        .success();
    s.ftr()
        .args(["answer", "PRQ-001", "--response-file", "-"])
        .write_stdin(
            "- dash line\n1. numbered\n\n    indented code-like\n> quote\ntrailing spaces   \n",
        )
        .assert()
        .success();
    s.ftr()
        .args(["answer", "PRQ-002", "--status", "unanswered"])
        .assert()
        .success();
    // Text that wrapping, links and headings could turn into markup.
    s.ftr()
        .args([
            "set",
            "company",
            "C# Shop # see:https://acme.example/a|b and www.acme.example Inc.",
        ])
        .assert()
        .success();
    s.ftr().args(["set", "product", ""]).assert().success();
    let tricky = "alpha beta - gamma # delta 1. epsilon === zeta + eta ".repeat(6);
    s.ftr()
        .args([
            "answer",
            "INT-004",
            "--plan",
            &tricky,
            "--owner",
            "a!b@acme.example",
        ])
        .assert()
        .success();
    s.ftr()
        .args(["answer", "PRQ-003", "--response"])
        .arg(format!(
            "{tricky} url=https://x.example/y [https://z.example] mail dana@acme.example."
        ))
        .assert()
        .success();
    export(&s, &["--allow-incomplete"]).success();
    let summary = read_zip(&bundle(&s))["SUMMARY.md"].0.clone();
    let file = s.write("SUMMARY.md", &summary);
    // Run where no project configuration applies: the summary keeps to the default rules.
    crate::common::assert_markdownlint(s.path(), &[file]);
}

#[test]
fn the_bundle_never_overwrites_the_project_evidence_or_other_files() {
    let s = ready_project();
    let before = std::fs::read(s.project()).unwrap();
    for (out, what) in [
        ("ftr-assessment.toml", "the project file"),
        (
            "evidence/health/check.json",
            "the evidence file evidence/health/check.json",
        ),
    ] {
        export(&s, &["--out", out])
            .code(2)
            .stderr(predicate::str::contains(format!("would overwrite {what}")));
    }
    s.write("notes.txt", "mine");
    export(&s, &["--out", "notes.txt"])
        .code(2)
        .stderr(predicate::str::contains(
            "a file that is not an earlier ftr bundle",
        ));
    assert_eq!(std::fs::read(s.project()).unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(s.file("notes.txt")).unwrap(),
        "mine"
    );
    // An earlier bundle is replaced.
    export(&s, &[]).success();
    export(&s, &[]).success();
}

#[test]
fn an_export_clears_what_killed_exports_left_but_not_a_running_one() {
    let s = ready_project();
    let abandoned = s.write(".ftr-export-killed.zip.tmp", "half a zip");
    let running = s.write(".ftr-export-running.zip.tmp", "another export at work");
    let held = std::fs::File::open(&running).unwrap();
    held.lock().unwrap();
    export(&s, &[]).success();
    assert!(
        !abandoned.exists(),
        "the abandoned temporary bundle is still there"
    );
    assert!(running.exists(), "a locked one belongs to a running export");
    drop(held);
}

/// The diagram and the security tool reports go into the upload folder, one file per slot,
/// and into the zip under `upload/`; the bundled project file points at those copies, so
/// `ftr check` inside the unzipped folder finds them. A report that changed since it was
/// attached is left out (the readiness check reports it).
#[test]
fn the_diagram_and_reports_go_to_their_slots_and_the_bundle_reopens_with_them() {
    let s = ready_project();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    s.write("docs/architecture.diagram", png);
    s.write("cis-eu.csv", "Control,Status\nIAM.5,PASSED\n");
    s.write("cis-us.csv", "Control,Status\nIAM.5,FAILED\n");
    s.ftr()
        .args(["set", "diagram", "docs/architecture.diagram"])
        .assert()
        .success();
    for report in ["cis-eu.csv", "cis-us.csv"] {
        s.ftr()
            .args(["set", "security-report", report])
            .assert()
            .success();
    }
    let out = export(&s, &[]).success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for line in [
        "FTR Checklist: ",
        "Architecture Diagram: ",
        "Security Tool Report: ",
    ] {
        assert!(text.contains(line), "{line} missing:\n{text}");
    }
    let folder = s.file("ftr-upload");
    // Named by its bytes, not its name: a PNG goes in as .png.
    assert_eq!(
        std::fs::read(folder.join("architecture-diagram.png")).unwrap(),
        png
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("security-tool-report-1.csv")).unwrap(),
        "Control,Status\nIAM.5,PASSED\n"
    );
    assert!(folder.join("security-tool-report-2.csv").exists());
    let entries = read_zip(&bundle(&s));
    assert_eq!(entries["upload/architecture-diagram.png"].0, png);
    assert!(entries.contains_key("upload/security-tool-report-2.csv"));
    let lib = Library::embedded().unwrap();
    let bundled =
        ftr_wizard::store::parse_bytes("bundle", &entries["ftr-assessment.toml"].0, &lib).unwrap();
    assert_eq!(
        bundled.profile.diagram.as_ref().map(|d| d.path.as_str()),
        Some("upload/architecture-diagram.png")
    );
    assert_eq!(bundled.profile.security_reports.len(), 2);

    // Unzipped, the project finds every file it names.
    let out_dir = s.file("unzipped");
    for (name, (bytes, _)) in &entries {
        let path = out_dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let check = s
        .ftr()
        .args(["check", "--json", "--project"])
        .arg(out_dir.join("ftr-assessment.toml"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&check.stdout).unwrap();
    let about_files: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let code = f["code"].as_str().unwrap();
            code.starts_with("evidence")
                || code.starts_with("diagram")
                || code.starts_with("security-report-missing")
        })
        .collect();
    assert!(about_files.is_empty(), "{about_files:?}");

    // A report changed since attached stays out of the folder and the bundle.
    s.write("cis-us.csv", "Control,Status\nIAM.5,PASSED\n");
    export(&s, &["--allow-incomplete"]).success();
    let entries = read_zip(&bundle(&s));
    let reports: Vec<&String> = entries
        .keys()
        .filter(|k| k.starts_with("upload/security-tool-report"))
        .collect();
    assert_eq!(reports, ["upload/security-tool-report.csv"]);
    assert!(!s.file("ftr-upload/security-tool-report-2.csv").exists());
}

/// Going on with a checklist past its window (recorded with `ftr set accept-past-window yes`)
/// is said in the export's closing lines and in SUMMARY.md (a draft here: the project is new).
#[test]
fn going_on_past_the_window_is_said_in_the_closing_lines_and_the_summary() {
    let s = Scratch::new();
    let on_4_dec = || {
        let mut cmd = s.ftr();
        cmd.env("FTR_TODAY", "2026-12-04")
            .env("FTR_NOW", "2026-12-04T09:00:00Z");
        cmd
    };
    on_4_dec()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let draft = || {
        let out = on_4_dec()
            .args(["export", "--allow-incomplete"])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    // Without the choice: nothing is said of it.
    let said = draft();
    assert!(!said.contains("Past the window"), "{said}");
    on_4_dec()
        .args(["set", "accept-past-window", "yes"])
        .assert()
        .success();
    let said = draft();
    assert!(
        said.contains("Past the window: partner-hosted 2026-02 was usable until about 2026-11-27"),
        "{said}"
    );
    let summary = String::from_utf8(read_zip(&bundle(&s))["SUMMARY.md"].0.clone()).unwrap();
    assert!(
        summary.contains("window ended about 2026-11-27 (7 days ago)"),
        "{summary}"
    );
    assert!(summary.contains("Past the window"), "{summary}");
}
