//! The self-assessment spreadsheet and the upload folder, built by the real binary and read
//! back with Python's openpyxl (what opens in Excel): ftr's own sheet, a filled copy of a
//! template made with openpyxl, and the folder beside the bundle.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use ftr_wizard::content::{Library, Model};
use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::Scratch;

const EPOCH: &str = "1795680000"; // 2026-11-26 08:00:00 UTC

/// Runs a Python script with openpyxl and returns what it prints as JSON.
fn python(script: &str, args: &[&Path]) -> Value {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is needed for this test");
    assert!(
        out.status.success(),
        "the script failed (openpyxl is needed: tests/run.sh installs it, or \
         python3 -m pip install openpyxl==3.1.5):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn read_zip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.name().unwrap().to_string(), data)
        })
        .collect()
}

/// Every entry of a zip, as stored (compressed bytes and all): what a byte-for-byte copy keeps.
fn raw_entries(bytes: &[u8]) -> BTreeMap<String, (Vec<u8>, u32, zip::CompressionMethod)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index_raw(i).unwrap();
            let (crc, method) = (e.crc32(), e.compression());
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (e.name().unwrap().to_string(), (data, crc, method))
        })
        .collect()
}

fn export(s: &Scratch, extra: &[&str]) -> assert_cmd::assert::Assert {
    s.ftr()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["export", "--allow-incomplete"])
        .args(extra)
        .assert()
}

/// Everything in the project folder but the hidden data folder, recursively.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            if rel == ".data" {
                continue;
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
            out.push(rel);
        }
    }
    out.sort();
    out
}

/// A partner-hosted project answered through the command line: met (one response starting
/// with `=`), not met with a plan, not applicable by the user and by scoping, evidence.
fn answered_project() -> Scratch {
    let s = Scratch::new();
    s.ok(&[
        "new",
        "--model",
        "partner-hosted",
        "--company",
        "Acme Ltd",
        "--product",
        "Widget Cloud",
    ]);
    s.ok(&["set", "scoping.advertises_compliance", "no"]);
    s.write("evidence/mfa.txt", "MFA is enforced for every user.\n");
    s.write("evidence/keys.txt", "Two keys are left to rotate.\n");
    s.ftr()
        .args(["answer", "IAM-001", "--status", "met"])
        .arg("--response==HYPERLINK(\"http://evil.example\",\"MFA\") is enforced by the IdP.")
        .args(["--evidence", "evidence/mfa.txt"])
        .assert()
        .success();
    s.ftr()
        .args(["answer", "IAM-002", "--status", "not-met", "--response"])
        .arg("Two long-lived keys remain.")
        .args(["--plan", "Rotate them into roles", "--owner", "Dana"])
        .args(["--due", "2027-01-31", "--evidence", "evidence/keys.txt"])
        .args(["--evidence", "evidence/mfa.txt"])
        .assert()
        .success();
    s.ftr()
        .args(["answer", "IAM-003", "--status", "na", "--reason"])
        .arg("No IAM users: everyone signs in through SSO.")
        .assert()
        .success();
    s.ftr()
        .args(["answer", "IAM-005", "--status", "met", "--response"])
        .arg("Roles only.")
        .assert()
        .success();
    s.ftr()
        .args(["answer", "HOST-001", "--status", "met", "--response"])
        .arg("We host it in our own AWS accounts.\nSecond line.")
        .assert()
        .success();
    s
}

/// The same answers in a customer-deployed project, whose checklist has no workbook rows, so
/// a template gets each control's status: met (one response starting with `=`), not met with
/// a plan, not applicable by the user, and a response of two lines.
fn answered_customer_deployed() -> Scratch {
    let s = Scratch::new();
    s.ok(&[
        "new",
        "--model",
        "customer-deployed",
        "--company",
        "Acme Ltd",
        "--product",
        "Widget Cloud",
    ]);
    s.write(
        "evidence/guide.txt",
        "The guide opens with the use cases.\n",
    );
    s.write(
        "evidence/resources.txt",
        "Two resources are not listed yet.\n",
    );
    s.ftr()
        .args(["answer", "INT-001", "--status", "met"])
        .arg("--response==HYPERLINK(\"http://evil.example\",\"Guide\") opens with the use cases.")
        .args(["--evidence", "evidence/guide.txt"])
        .assert()
        .success();
    s.ftr()
        .args(["answer", "INT-002", "--status", "not-met", "--response"])
        .arg("Two resources are not listed.")
        .args(["--plan", "List them in the guide", "--owner", "Dana"])
        .args([
            "--due",
            "2027-01-31",
            "--evidence",
            "evidence/resources.txt",
        ])
        .args(["--evidence", "evidence/guide.txt"])
        .assert()
        .success();
    s.ftr()
        .args(["answer", "INT-004", "--status", "na", "--reason"])
        .arg("No upgrades: every release is a new deployment.")
        .assert()
        .success();
    s.ftr()
        .args(["answer", "INT-005", "--status", "met", "--response"])
        .arg("Section 5.")
        .assert()
        .success();
    s.ftr()
        .args(["answer", "PRQ-001", "--status", "met", "--response"])
        .arg("The guide lists the prerequisites.\nSecond line.")
        .assert()
        .success();
    s
}

const READ_OWN_SHEET: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["FTR Requirements"]
rows = [list(r) for r in ws.iter_rows(values_only=True)]
body = [ws.cell(row=r, column=c) for r in range(3, ws.max_row + 1) for c in range(1, 6)]
print(json.dumps({
    "sheets": wb.sheetnames,
    "rows": rows,
    "freeze": ws.freeze_panes,
    "validations": [[d.type, d.formula1, str(d.sqref)] for d in ws.data_validations.dataValidation],
    "body_wraps": all(c.alignment.wrap_text for c in body),
    "header_wraps": all(ws.cell(row=2, column=c).alignment.wrap_text for c in range(1, 6)),
    "header_bold": all(ws.cell(row=2, column=c).font.b for c in range(1, 6)),
    "widths": {k: ws.column_dimensions[k].width for k in "ABCDE"},
    "types": sorted({c.data_type for c in body if c.value is not None}),
    "quoted": [c.coordinate for c in body if c.quotePrefix],
    "heights": {str(r): ws.row_dimensions[r].height for r in range(3, ws.max_row + 1)},
}))
"#;

#[test]
fn the_spreadsheet_has_the_known_layout_one_row_per_control_and_the_statuses() {
    let s = answered_project();
    s.ok(&["answer", "IAM-002.1", "--choice", "no"]);
    s.ok(&["answer", "IAM-001.1", "--choice", "yes"]);
    // IAM-002's rows do not decide it yet: it stays a gap, with its plan.
    export(&s, &[]).success().stdout(predicate::str::contains(
        "FTR Checklist: ./ftr-upload/self-assessment.xlsx",
    ));
    // The same file in the zip (listed in the manifest with its hash) and in the folder.
    let entries = read_zip(&s.file("ftr-submission.zip"));
    let in_zip = &entries["upload/self-assessment.xlsx"];
    let in_folder = std::fs::read(s.file("ftr-upload/self-assessment.xlsx")).unwrap();
    assert!(in_zip == &in_folder, "the two copies differ");
    let manifest: Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    let listed = manifest["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "upload/self-assessment.xlsx")
        .expect("the spreadsheet is in the manifest");
    assert_eq!(
        listed["sha256"].as_str().unwrap(),
        ftr_wizard::assessment::evidence::hex(&Sha256::digest(&in_folder))
    );
    // The folder holds the spreadsheet and the hidden marker, nothing else.
    assert_eq!(
        listing(&s.file("ftr-upload")),
        [".ftr-upload", "self-assessment.xlsx"]
    );

    let v = python(
        READ_OWN_SHEET,
        &[&s.file("ftr-upload/self-assessment.xlsx")],
    );
    assert_eq!(v["sheets"], serde_json::json!(["FTR Requirements"]));
    let rows = v["rows"].as_array().unwrap();
    let title = rows[0][0].as_str().unwrap();
    assert!(
        title.starts_with(
            "AWS Foundational Technical Review self-assessment: Acme Ltd, Widget Cloud"
        ),
        "{title}"
    );
    assert!(title.contains("exported 2026-11-26"), "{title}");
    assert!(title.contains("DRAFT"), "{title}");
    assert_eq!(
        rows[1],
        serde_json::json!([
            "ID",
            "Requirement Description",
            "Met? (Yes/No/NA)",
            "Partner Response",
            "Evidence"
        ])
    );
    // AWS's shape: the workbook's own questions, then each control's row followed by its
    // answer rows, a gate before the first control that reads it.
    let lib = Library::embedded().unwrap();
    let checklist = lib.for_model(Model::PartnerHosted).unwrap();
    let mut expected: Vec<String> = checklist
        .sheet_rows
        .iter()
        .filter(|r| r.scoping.is_none())
        .map(|r| r.sheet_id.clone())
        .collect();
    for c in &checklist.controls {
        for gate in ["CAA-000", "SDAT-000"] {
            let reads = c.pass.as_ref().is_some_and(|p| p.rows().contains(&gate));
            if reads && !expected.iter().any(|e| e == gate) {
                expected.push(gate.into());
            }
        }
        expected.push(c.id.clone());
        expected.extend(c.rows.iter().map(|r| r.sheet_id.clone()));
    }
    let body = &rows[2..];
    let ids: Vec<String> = body
        .iter()
        .map(|r| r[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(ids.len(), 3 + 2 + 44 + 56);
    let row = |id: &str| {
        body.iter()
            .find(|r| r[0] == id)
            .unwrap_or_else(|| panic!("no row {id}"))
    };
    let at = |id: &str| 3 + body.iter().position(|r| r[0] == id).unwrap();
    // Answer rows hold their answer, or <select>; a control's Met? is what the sheet grades
    // it, empty while its first row is unanswered.
    assert_eq!(row("IAM-001.1")[2], "Yes");
    assert_eq!(row("IAM-001")[2], "Yes");
    assert_eq!(row("HOST-001.1")[2], "<select>");
    assert_eq!(row("HOST-001")[2], Value::Null);
    assert_eq!(row("CIS Benchmark Report")[2], "<select>");
    assert_eq!(row("IAM-002.1")[2], "No");
    assert_eq!(
        row("IAM-002")[2],
        "No",
        "IAM-002.1 No, the others unanswered: fail"
    );
    assert_eq!(
        row("IAM-001.1")[1],
        checklist.row("IAM-001.1").unwrap().question.as_str()
    );
    // A response that starts a formula is text by Excel's quote prefix, not an apostrophe.
    assert_eq!(
        row("IAM-001")[3],
        "=HYPERLINK(\"http://evil.example\",\"MFA\") is enforced by the IdP."
    );
    assert!(
        v["quoted"]
            .as_array()
            .unwrap()
            .contains(&Value::from(format!("D{}", at("IAM-001")))),
        "{}",
        v["quoted"]
    );
    assert_eq!(
        row("IAM-001")[4],
        "In the evidence bundle:\nevidence/IAM-001/mfa.txt"
    );
    assert_eq!(
        row("IAM-002")[3],
        "Two long-lived keys remain.\n\nRemediation plan: Rotate them into roles\nOwner: Dana\nDue: 2027-01-31"
    );
    assert_eq!(
        row("IAM-002")[4],
        "In the evidence bundle:\nevidence/IAM-002/keys.txt\nevidence/IAM-001/mfa.txt"
    );
    assert_eq!(
        row("IAM-002.1")[3],
        Value::Null,
        "answer rows carry no response"
    );
    assert_eq!(
        row("IAM-003")[3],
        "Not applicable: No IAM users: everyone signs in through SSO."
    );
    let scoped = row("RCVP-001")[3].as_str().unwrap();
    assert!(scoped.starts_with("Not applicable: "), "{scoped}");
    assert_eq!(
        row("HOST-001")[3],
        "We host it in our own AWS accounts.\nSecond line."
    );
    // Rows as tall as their wrapped text: five lines of plan are taller than one line.
    let height = |id: &str| v["heights"][at(id).to_string()].as_f64().unwrap_or(15.0);
    assert!(height("IAM-002") >= 75.0, "{}", v["heights"]);
    // Each answer row has its own list, <select> first; the control rows have none.
    let validations = v["validations"].as_array().unwrap();
    let list_of = |id: &str| {
        validations
            .iter()
            .find(|d| d[2] == format!("C{}", at(id)))
            .map(|d| d[1].clone())
    };
    assert_eq!(
        list_of("HOST-001.1"),
        Some(Value::from("\"<select>,Yes,No\""))
    );
    assert_eq!(
        list_of("IAM-012.1"),
        Some(Value::from("\"<select>,Yes,No,N/A\""))
    );
    assert_eq!(
        list_of("IAM-005.2"),
        Some(Value::from("\"<select>,Static,Temporary,N/A\""))
    );
    assert_eq!(list_of("HOST-001"), None);
    // The properties name ftr, not another application.
    let app = String::from_utf8(
        read_zip(&s.file("ftr-upload/self-assessment.xlsx"))["docProps/app.xml"].clone(),
    )
    .unwrap();
    assert!(app.contains("<Application>ftr</Application>"), "{app}");
    assert_eq!(v["freeze"], "A3");
    assert_eq!(v["body_wraps"], true);
    assert_eq!(v["header_wraps"], true);
    assert_eq!(v["header_bold"], true);
    for (col, least) in [
        ("A", 8.0),
        ("B", 30.0),
        ("C", 8.0),
        ("D", 60.0),
        ("E", 30.0),
    ] {
        assert!(
            v["widths"][col].as_f64().unwrap() >= least,
            "column {col}: {}",
            v["widths"]
        );
    }
    // Every cell is text: nothing a spreadsheet would compute.
    assert_eq!(v["types"], serde_json::json!(["s"]));
}

/// Makes a template as a partner might get it: a sheet of instructions with a formula and
/// merged cells first, then the requirements with a title, the header on row 5 in an unusual
/// order, formatting, a list validation, sub-question rows, an id the checklist lacks, a
/// formula and a merged range where answers would go. An optional second argument, JSON,
/// renames ids (`"ids"`) and gives the list (`"list"`).
const MAKE_TEMPLATE: &str = r#"
import json, sys, openpyxl
from openpyxl.styles import Font, PatternFill, Alignment
from openpyxl.worksheet.datavalidation import DataValidation
opts = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
rename = opts.get("ids", {})
wb = openpyxl.Workbook()
intro = wb.active
intro.title = "Read me"
intro["A1"] = "How to fill this sheet"
intro["A1"].font = Font(bold=True, size=16)
intro["B2"] = 21
intro["B3"] = "=B2*2"
intro.merge_cells("A5:D6")
intro["A5"] = "Merged note"
ws = wb.create_sheet("FTR Requirements")
ws["A1"] = "Partner Hosted Foundational Technical Review"
ws.merge_cells("A1:F1")
ws["A2"] = "Checklist version 2026-02"
header = ["Section", "  id ", "Requirement Description", "Notes", "Partner   Response", "MET?"]
for col, name in zip("ABCDEF", header):
    c = ws[f"{col}5"]
    c.value = name
    c.font = Font(bold=True)
    c.fill = PatternFill("solid", fgColor="FFFF00")
rows = [
    ("Identity", "IAM-001", "MFA"),
    (None, "IAM-001.1", "MFA for the console"),
    (None, "IAM-001.2", "MFA for the CLI"),
    (None, "IAM-002", "Static keys"),
    (None, "ARC-003", "A control of another version"),
    ("Operations", None, None),
    (None, "IAM-003", "Password policy"),
    (None, "iam-005", "Lower-case id"),
    (None, "HOST-001.1", "Hosting, first sub-question"),
    (None, "HOST-001.2", "Hosting, second sub-question"),
]
for i, (section, id_, text) in enumerate(rows, start=6):
    ws[f"A{i}"] = section
    ws[f"B{i}"] = rename.get(id_, id_)
    ws[f"C{i}"] = text
    ws[f"C{i}"].alignment = Alignment(wrap_text=True)
    ws[f"D{i}"] = "keep me"
    ws[f"E{i}"].fill = PatternFill("solid", fgColor="DDEEFF")
ws["F14"] = "=1+1"
ws.merge_cells("D13:E13")
dv = DataValidation(type="list", formula1=opts.get("list", '"Met,Not Met,N/A"'), allow_blank=True)
dv.add("F6:F40")
ws.add_data_validation(dv)
wb.save(sys.argv[1])
"#;

const READ_FILLED: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["FTR Requirements"]
intro = wb["Read me"]
cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
print(json.dumps({
    "sheets": wb.sheetnames,
    "cells": cells,
    "intro": {c.coordinate: c.value for row in intro.iter_rows() for c in row if c.value is not None},
    "intro_merged": sorted(str(r) for r in intro.merged_cells.ranges),
    "intro_bold": intro["A1"].font.b,
    "intro_size": intro["A1"].font.sz,
    "merged": sorted(str(r) for r in ws.merged_cells.ranges),
    "validations": [[d.type, d.formula1, str(d.sqref)] for d in ws.data_validations.dataValidation],
    "header_fill": [ws[f"{c}5"].fill.fgColor.rgb for c in "ABCDEF"],
    "header_bold": [ws[f"{c}5"].font.b for c in "ABCDEF"],
    "e_fill": [ws[f"E{r}"].fill.fgColor.rgb for r in range(6, 16)],
    "c_wrap": [ws[f"C{r}"].alignment.wrap_text for r in range(6, 16)],
}))
"#;

fn make_template(s: &Scratch, name: &str) -> std::path::PathBuf {
    make_template_with(s, name, &serde_json::json!({}))
}

/// [`MAKE_TEMPLATE`] with its ids renamed and its list replaced as `opts` says.
fn make_template_with(s: &Scratch, name: &str, opts: &Value) -> std::path::PathBuf {
    let path = s.file(name);
    let out = Command::new("python3")
        .arg("-c")
        .arg(MAKE_TEMPLATE)
        .arg(&path)
        .arg(opts.to_string())
        .output()
        .expect("python3 is needed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// [`MAKE_TEMPLATE`]'s rows renamed to ids of the customer-deployed checklist, in the same
/// roles: a control with two sub-question rows, a control, an id of another version
/// (ARCH-002), a control, one in lower case, and a control with only sub-question rows.
fn customer_deployed_ids() -> Value {
    serde_json::json!({"ids": {
        "IAM-001": "INT-001",
        "IAM-001.1": "INT-001.1",
        "IAM-001.2": "INT-001.2",
        "IAM-002": "INT-002",
        "ARC-003": "ARCH-002",
        "IAM-003": "INT-004",
        "iam-005": "int-005",
        "HOST-001.1": "PRQ-001.1",
        "HOST-001.2": "PRQ-001.2",
    }})
}

#[test]
fn a_filled_template_has_the_answers_in_place_and_everything_else_as_it_was() {
    // A checklist without workbook rows: each control's row gets its status and response,
    // sub-question rows their control's status.
    let s = answered_customer_deployed();
    let template = make_template_with(&s, "AWS self-assessment.xlsx", &customer_deployed_ids());
    let original = std::fs::read(&template).unwrap();
    let before = python(READ_FILLED, &[&template]);
    let out = export(&s, &["--template", "AWS self-assessment.xlsx"])
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The report: where it wrote, rows to check, ids it does not know, controls missing.
    assert!(
        stdout.contains(
            "sheet \"FTR Requirements\", header on row 5 (ID in column B, Met? in F, Partner \
             Response in E); 4 control rows filled."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "check each one: INT-001.1 (row 7), INT-001.2 (row 8), PRQ-001.1 (row 14), \
             PRQ-001.2 (row 15)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("another checklist version): ARCH-002 (row 10)"),
        "{stdout}"
    );
    let missing = stdout
        .lines()
        .find(|l| l.starts_with("Controls the template has no row for"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(missing.contains("INT-003, PRQ-002"), "{missing}");
    for filled in ["INT-001,", "INT-002,", "INT-004,", "INT-005,", "PRQ-001,"] {
        assert!(!missing.contains(filled), "{missing}");
    }
    assert!(
        stdout.contains("E13: inside the merged cells D13:E13; F14: holds a formula"),
        "{stdout}"
    );
    // The slots come last, then AWS's note on where requests go.
    let mut tail = stdout.trim_end().lines().rev();
    assert!(
        tail.next()
            .unwrap()
            .starts_with("Note from AWS (2025-12): "),
        "{stdout}"
    );
    assert_eq!(
        tail.next(),
        Some("  FTR Checklist: ./ftr-upload/self-assessment.xlsx"),
        "{stdout}"
    );

    let filled_path = s.file("ftr-upload/self-assessment.xlsx");
    let filled = std::fs::read(&filled_path).unwrap();
    assert!(
        read_zip(&s.file("ftr-submission.zip"))["upload/self-assessment.xlsx"] == filled,
        "the zip holds another file"
    );
    let after = python(READ_FILLED, &[&filled_path]);
    let cells = &after["cells"];
    // Answers in the Met? (F) and Partner Response (E) columns of the rows naming controls.
    assert_eq!(cells["F6"], "Met");
    assert_eq!(
        cells["E6"],
        "'=HYPERLINK(\"http://evil.example\",\"Guide\") opens with the use cases."
    );
    assert_eq!(
        cells["F7"], "Met",
        "a sub-question gets its parent's status"
    );
    assert_eq!(cells["F8"], "Met");
    assert!(
        cells.get("E7").is_none(),
        "the parent's row has the response"
    );
    assert_eq!(cells["F9"], "Not Met");
    assert_eq!(
        cells["E9"],
        "Two resources are not listed.\n\nRemediation plan: List them in the guide\nOwner: Dana\nDue: 2027-01-31"
    );
    assert_eq!(cells["F12"], "N/A");
    assert_eq!(
        cells["E12"],
        "Not applicable: No upgrades: every release is a new deployment."
    );
    // INT-005, named in lower case: its status, but its response cell is inside merged cells.
    assert_eq!(cells["F13"], "Met");
    assert!(cells.get("E13").is_none());
    // PRQ-001 has only sub-question rows: its status on each, its response on the first.
    assert_eq!(cells["F14"], "=1+1", "a formula is never overwritten");
    assert_eq!(cells["F15"], "Met");
    assert_eq!(
        cells["E14"],
        "The guide lists the prerequisites.\nSecond line."
    );
    assert!(cells.get("E15").is_none());
    // The row naming an unknown id, and everything outside the two columns, is unchanged.
    assert!(cells.get("F10").is_none() && cells.get("E10").is_none());
    let mut expected = before["cells"].as_object().unwrap().clone();
    for (k, v) in cells.as_object().unwrap() {
        if !(k.starts_with('E') || k.starts_with('F')) || k == "E5" || k == "F5" {
            assert_eq!(expected.remove(k).as_ref(), Some(v), "{k} changed");
        }
    }
    assert!(
        expected
            .keys()
            .all(|k| k.starts_with('E') || k.starts_with('F')),
        "cells went missing: {expected:?}"
    );
    for key in [
        "sheets",
        "intro",
        "intro_merged",
        "intro_bold",
        "intro_size",
        "merged",
        "validations",
        "header_fill",
        "header_bold",
        "e_fill",
        "c_wrap",
    ] {
        assert_eq!(after[key], before[key], "{key} changed");
    }
    assert_eq!(after["intro"]["B3"], "=B2*2");
    // Every part of the file but the filled worksheet is the template's, byte for byte.
    let (a, b) = (raw_entries(&original), raw_entries(&filled));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the parts differ"
    );
    let changed: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert_eq!(changed, ["xl/workbook.xml", "xl/worksheets/sheet2.xml"]);
    // The workbook part is written again to ask for a calculation on opening, which this
    // template (openpyxl's) already asks for: its text is the template's.
    let workbook = |bytes: &[u8]| {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        z.by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    assert!(workbook(&filled).contains("fullCalcOnLoad=\"1\""));
    assert_eq!(workbook(&filled), workbook(&original));
    // And the template itself is untouched.
    assert_eq!(std::fs::read(&template).unwrap(), original);
}

/// A checklist with workbook rows (partner-hosted): an answer row gets its own answer, spelt
/// as its cell's list spells it (without the leading space); an unanswered row and the Met?
/// cell of a control answered in rows are left as they were; the control's row gets its
/// response.
#[test]
fn a_filled_template_of_a_checklist_with_rows_gets_row_answers_and_responses() {
    let s = answered_project();
    s.ok(&["answer", "IAM-001.1", "--choice", "yes"]);
    s.ok(&["answer", "HOST-001.1", "--choice", "yes"]);
    let template = make_template_with(
        &s,
        "AWS self-assessment.xlsx",
        &serde_json::json!({"list": "\"<select>, YES, No, N/A\""}),
    );
    let before = python(READ_FILLED, &[&template]);
    let out = export(&s, &["--template", "AWS self-assessment.xlsx"])
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("another checklist version): IAM-001.2 (row 8), ARC-003 (row 10)"),
        "{stdout}"
    );
    assert!(!stdout.contains("Sub-question rows"), "{stdout}");
    let missing = stdout
        .lines()
        .find(|l| l.starts_with("Controls the template has no row for"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        missing.contains(": HOST-001, HOST-001.3, SUP-001"),
        "{missing}"
    );
    assert!(
        stdout.contains("E13: inside the merged cells D13:E13; F14: holds a formula"),
        "{stdout}"
    );
    let after = python(READ_FILLED, &[&s.file("ftr-upload/self-assessment.xlsx")]);
    let cells = &after["cells"];
    assert_eq!(cells["F7"], "YES", "IAM-001.1 as its list spells it");
    assert_eq!(
        cells["E6"],
        "'=HYPERLINK(\"http://evil.example\",\"MFA\") is enforced by the IdP."
    );
    assert_eq!(
        cells["E9"],
        "Two long-lived keys remain.\n\nRemediation plan: Rotate them into roles\nOwner: Dana\nDue: 2027-01-31"
    );
    assert_eq!(
        cells["E12"],
        "Not applicable: No IAM users: everyone signs in through SSO."
    );
    assert_eq!(cells["F14"], "=1+1", "a formula is never overwritten");
    // Controls' own Met? cells, an unanswered row (HOST-001.2), an id of another version,
    // and the response of a control whose own row is absent (HOST-001): left as they were.
    for cell in [
        "F6", "F8", "F9", "F10", "F12", "F13", "F15", "E7", "E14", "E15",
    ] {
        assert!(cells.get(cell).is_none(), "{cell}: {}", cells[cell]);
    }
    let mut expected = before["cells"].as_object().unwrap().clone();
    for (k, v) in cells.as_object().unwrap() {
        if !["E6", "E9", "E12", "F7"].contains(&k.as_str()) {
            assert_eq!(expected.remove(k).as_ref(), Some(v), "{k} changed");
        }
    }
    assert!(expected.is_empty(), "cells went missing: {expected:?}");
}

#[test]
fn the_same_project_gives_the_same_spreadsheet_bytes_under_source_date_epoch() {
    let s = answered_project();
    make_template(&s, "template.xlsx");
    for extra in [&[][..], &["--template", "template.xlsx"][..]] {
        export(&s, extra).success();
        let first = std::fs::read(s.file("ftr-upload/self-assessment.xlsx")).unwrap();
        export(&s, extra).success();
        let second = std::fs::read(s.file("ftr-upload/self-assessment.xlsx")).unwrap();
        assert!(first == second, "two exports differ ({extra:?})");
    }
    // The date comes from SOURCE_DATE_EPOCH: another date, other bytes.
    let a = std::fs::read(s.file("ftr-upload/self-assessment.xlsx")).unwrap();
    export(&s, &[]).success();
    let own = std::fs::read(s.file("ftr-upload/self-assessment.xlsx")).unwrap();
    s.ftr()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["export", "--allow-incomplete"])
        .assert()
        .success();
    let later = std::fs::read(s.file("ftr-upload/self-assessment.xlsx")).unwrap();
    assert!(own != later && own != a);
}

#[test]
fn a_broken_template_is_refused_with_its_name_and_nothing_is_written() {
    let s = answered_project();
    s.write("notes.xlsx", "just some text\n");
    s.write(
        "old.xlsx",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an OLE file",
    );
    // A zip that is no workbook, and a workbook without the three headers.
    let py = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile, openpyxl\n\
             with zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('a.txt', 'hello')\n\
             wb = openpyxl.Workbook(); wb.active['A1'] = 'ID'; wb.active['B1'] = 'Status'\n\
             wb.save(sys.argv[2])",
        )
        .arg(s.file("plain.xlsx"))
        .arg(s.file("other.xlsx"))
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let before = listing(s.path());
    for (name, says) in [
        ("notes.xlsx", "not an Excel workbook"),
        ("old.xlsx", "password-protected, or an old Excel 97-2003"),
        ("plain.xlsx", "a zip archive but not an Excel workbook"),
        (
            "other.xlsx",
            "no visible sheet of the template has the columns ID, Met? and Partner Response",
        ),
        ("missing.xlsx", "could not read the template"),
    ] {
        export(&s, &["--template", name])
            .code(2)
            .stderr(predicate::str::contains(name))
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains("help:").or(predicate::str::contains("No such file")));
        assert_eq!(listing(s.path()), before, "--template {name} left files");
    }
}

#[test]
fn the_upload_folder_replaces_only_its_own_kind() {
    let s = answered_project();
    // Someone else's folder by that name is never touched.
    s.write("ftr-upload/diagram.png", "mine");
    let before = listing(s.path());
    export(&s, &[])
        .code(2)
        .stderr(predicate::str::contains("was not written by ftr export"))
        .stderr(predicate::str::contains("--upload-dir"));
    assert_eq!(listing(s.path()), before);
    // Nor one of ours that holds a file the export did not write.
    s.write("ftr-upload/.ftr-upload", "marker");
    export(&s, &[]).code(2).stderr(predicate::str::contains(
        "holds files ftr export did not write: diagram.png",
    ));
    assert_eq!(
        std::fs::read(s.file("ftr-upload/diagram.png")).unwrap(),
        b"mine"
    );
    assert!(!s.file("ftr-submission.zip").exists());
    // Another name works, and is replaced by the next export.
    export(&s, &["--upload-dir", "for-aws"])
        .success()
        .stdout(predicate::str::contains(
            "FTR Checklist: ./for-aws/self-assessment.xlsx",
        ));
    export(&s, &["--upload-dir", "for-aws"]).success();
    assert_eq!(
        listing(&s.file("for-aws")),
        [".ftr-upload", "self-assessment.xlsx"]
    );
    export(&s, &["--out", "same", "--upload-dir", "same"])
        .code(2)
        .stderr(predicate::str::contains("the bundle's own name"));
    for bad in ["a/b", "..", ""] {
        export(&s, &["--upload-dir", bad])
            .code(2)
            .stderr(predicate::str::contains("give a folder name, not a path"));
    }
    // What a killed export left is cleared; what a running one holds is not.
    let abandoned = s.file(".ftr-upload-killed.tmp");
    s.write(".ftr-upload-killed.tmp/.ftr-upload", "marker");
    s.write(".ftr-upload-killed.tmp/self-assessment.xlsx", "half");
    s.write(".ftr-upload-running.tmp/.ftr-upload", "marker");
    let held = std::fs::File::open(s.file(".ftr-upload-running.tmp/.ftr-upload")).unwrap();
    held.lock().unwrap();
    export(&s, &["--upload-dir", "for-aws"]).success();
    assert!(!abandoned.exists(), "the abandoned folder is still there");
    assert!(s.file(".ftr-upload-running.tmp").exists());
    drop(held);
}

/// A template remembered in the project is filled by every export, and the wizard's too,
/// without naming it again; a file that is not a workbook is refused when it is set.
#[test]
fn a_template_set_in_the_project_is_filled_without_naming_it_again() {
    let s = answered_project();
    make_template(&s, "aws-sheet.xlsx");
    s.write("not-a-sheet.xlsx", "just text");
    let before = s.read_project();
    s.ftr()
        .args(["set", "template", "not-a-sheet.xlsx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not-a-sheet.xlsx"));
    assert_eq!(
        s.read_project(),
        before,
        "a refused template changed the file"
    );
    s.ftr()
        .args(["set", "template", "aws-sheet.xlsx"])
        .assert()
        .success()
        .stdout(predicate::str::contains("template: aws-sheet.xlsx"));
    let out = export(&s, &[]).success().get_output().clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("header on row 5"), "{stdout}");
    let filled = python(READ_FILLED, &[&s.file("ftr-upload/self-assessment.xlsx")]);
    // IAM-001 is answered in its workbook rows: its own row gets the response.
    assert_eq!(
        filled["cells"]["E6"],
        "'=HYPERLINK(\"http://evil.example\",\"MFA\") is enforced by the IdP."
    );
    // The bundled project file does not carry where the template lies on this machine.
    let bundled =
        String::from_utf8(read_zip(&s.file("ftr-submission.zip"))["ftr-assessment.toml"].clone())
            .unwrap();
    assert!(!bundled.contains("aws-sheet"), "{bundled}");
    s.ftr()
        .args(["set", "template", "--clear"])
        .assert()
        .success();
    let out = export(&s, &[]).success().get_output().clone();
    assert!(
        !String::from_utf8(out.stdout)
            .unwrap()
            .contains("header on row 5")
    );
}

#[test]
fn the_alternative_paths_own_ids_are_marked_in_every_export() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "alternative", "--company", "Acme Ltd"]);
    s.ok(&["set", "scoping.submits_soc2", "yes"]);
    s.write("evidence/soc2.pdf", "%PDF-1.7 SOC 2 Type II report");
    s.ftr()
        .args(["answer", "SOC-001", "--status", "met", "--response"])
        .arg("Type II report signed by the auditor on 2026-09-30, attached in full.")
        .args(["--evidence", "evidence/soc2.pdf"])
        .assert()
        .success();
    export(&s, &[]).success();
    let entries = read_zip(&s.file("ftr-submission.zip"));
    // checklist.csv: the ID column says whose ids they are.
    let csv = String::from_utf8(entries["checklist.csv"].clone()).unwrap();
    let first = csv.lines().nth(1).unwrap();
    assert!(
        first.starts_with("SOC-001 (not a checklist ID),"),
        "{first}"
    );
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| l.contains(" (not a checklist ID),")),
        "{csv}"
    );
    // SUMMARY.md: once in the table of facts, and on each control's heading.
    let summary = String::from_utf8(entries["SUMMARY.md"].clone()).unwrap();
    assert!(
        summary.contains("| Control IDs | this tool's own, not the checklist's"),
        "{summary}"
    );
    assert!(
        summary.contains("#### SOC-001 (not a checklist ID)"),
        "{summary}"
    );
    // manifest.json says so beside the ids it keys controls by.
    let manifest: Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    assert_eq!(manifest["own_ids"], true);
    assert!(manifest["controls"].get("SOC-001").is_some(), "{manifest}");
    // The spreadsheet: the title and every ID cell.
    let v = python(
        READ_OWN_SHEET,
        &[&s.file("ftr-upload/self-assessment.xlsx")],
    );
    let rows = v["rows"].as_array().unwrap();
    let title = rows[0][0].as_str().unwrap();
    assert!(title.contains("The IDs are this tool's own"), "{title}");
    assert_eq!(rows[2][0], "SOC-001 (not a checklist ID)");
    assert!(
        rows[2..]
            .iter()
            .all(|r| r[0].as_str().unwrap().ends_with(" (not a checklist ID)"))
    );
    // A filled AWS template: its rows cannot name these ids, and the report says why.
    make_template(&s, "aws-sheet.xlsx");
    let out = export(&s, &["--template", "aws-sheet.xlsx"])
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("The control ids of checklist alternative are this tool's own"),
        "{stdout}"
    );

    // A checklist with AWS's ids is not marked.
    let p = answered_project();
    export(&p, &[]).success();
    let entries = read_zip(&p.file("ftr-submission.zip"));
    let manifest: Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    assert!(manifest.get("own_ids").is_none(), "{manifest}");
    let csv = String::from_utf8(entries["checklist.csv"].clone()).unwrap();
    assert!(!csv.contains("not a checklist ID"));
    assert!(
        !String::from_utf8(entries["SUMMARY.md"].clone())
            .unwrap()
            .contains("Control IDs")
    );
}

// AWS's own workbook: a copy in its layout (tests/workbook/aws_layout.py, with the cached
// values AWS's file carries), filled by `ftr export --template`, computed by LibreOffice
// (tests/workbook/grade.py), and compared with what `ftr status --json` predicts.

/// Runs one of the scripts under tests/workbook/ and returns what it prints.
fn workbook_script(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workbook");
    // LibreOffice runs on the real clock: the formulas read no date, and it does not survive
    // the clock the suite may be run under (tests/run.sh's second run, with faketime).
    let out = Command::new("python3")
        .arg(dir.join(args[0]))
        .args(&args[1..])
        .env_remove("LD_PRELOAD")
        .env_remove("FAKETIME")
        .output()
        .expect("python3 is needed for this test");
    assert!(
        out.status.success(),
        "{:?} failed (LibreOffice and openpyxl are needed: tests/run.sh installs them):\n{}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A workbook in the layout of AWS's, as AWS ships it (cached values and all).
fn aws_workbook(s: &Scratch) -> std::path::PathBuf {
    let path = s.file("Partner Hosted FTR Self-Assessment.xlsx");
    workbook_script(&[
        "aws_layout.py".as_ref(),
        path.as_os_str(),
        "--baked".as_ref(),
    ]);
    path
}

/// LibreOffice's verdict on a filled workbook: forced to calculate everything, or (`plain`)
/// as a person opening the file in LibreOffice with its default settings sees it.
fn libreoffice_grades(path: &Path, plain: bool) -> Value {
    let mut args: Vec<&std::ffi::OsStr> = vec!["grade.py".as_ref(), path.as_os_str()];
    if plain {
        args.push("--no-force".as_ref());
    }
    let out = workbook_script(&args);
    serde_json::from_slice(&out).expect("grade.py prints JSON")
}

/// Answers each row with its choice.
fn choose(s: &Scratch, rows: &[(&str, &str)]) {
    for (row, choice) in rows {
        s.ok(&["answer", row, "--choice", choice]);
    }
}

/// A partner-hosted project whose every row passes AWS's sheet.
fn passing_project() -> Scratch {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted", "--company", "Acme Ltd"]);
    for (q, a) in [
        ("accesses_customer_accounts", "no"),
        ("stores_sensitive_data", "yes"),
        ("third_party_access", "no"),
        ("publishes_sla", "yes"),
        ("advertises_compliance", "no"),
    ] {
        s.ok(&["set", &format!("scoping.{q}"), a]);
    }
    let yes = [
        "HOST-001.1",
        "HOST-001.2",
        "HOST-001.3",
        "SUP-001.1",
        "WAFR-001.1",
        "WAFR-001.2",
        "WAFR-002.1",
        "ARC-005.1",
        "ACOM-001.1",
        "ACOM-002.1",
        "IAM-001.1",
        "IAM-002.1",
        "IAM-003.1",
        "IAM-004.1",
        "IAM-006.1",
        "IAM-007.1",
        "IAM-008.1",
        "IAM-010.1",
        "IAM-011.1",
        "IAM-012.1",
        "IAM-012.2",
        "SECOPS-001",
        "NETSEC-001.1",
        "NETSEC-001.2",
        "NETSEC-002.1",
        "BAR-001.1",
        "BAR-002.1",
        "BAR-002.2",
        "RES-001.1",
        "RES-002.1",
        "RES-004.1",
        "RES-005.1",
        "RES-006.2",
        "RES-007.1",
        "S3-001.1",
        "SDAT-001.1",
        "SDAT-002.1",
        "SDAT-003.1",
    ];
    choose(&s, &yes.map(|r| (r, "yes")));
    choose(
        &s,
        &[("ARC-001.1", "no"), ("ARC-004.1", "No"), ("IAM-009.1", "n")],
    );
    for id in ["RES-001", "RES-002", "RES-004"] {
        s.ok(&[
            "answer",
            id,
            "--response",
            "Written in the recovery runbook, tested in May.",
        ]);
    }
    s.ok(&["set", "cis-report", "yes"]);
    s.ok(&["set", "cis-version", "v5.0"]);
    s.ok(&["set", "general-availability", "yes"]);
    s
}

/// What `ftr status --json` predicts, as LibreOffice writes it: id → "Pass" or "Fail".
fn predicted(s: &Scratch) -> (BTreeMap<String, String>, u64) {
    let status = s.json(&["status", "--json"]);
    let sheet = &status["sheet"];
    let controls = sheet["controls"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, v)| {
            let v = v.as_str().unwrap();
            (
                id.clone(),
                if v == "pass" { "Pass" } else { "Fail" }.to_string(),
            )
        })
        .collect();
    (controls, sheet["pass"].as_u64().unwrap())
}

/// Fills `template` from the project, has LibreOffice compute the result both ways, and
/// checks every control's grade and the count of controls met against the prediction.
/// Returns the grades.
fn fill_and_compare(s: &Scratch, template: &Path) -> Value {
    export(s, &["--template", template.to_str().unwrap()]).success();
    let filled = s.file("ftr-upload/self-assessment.xlsx");
    let (want, passes) = predicted(s);
    assert_eq!(want.len(), 44);
    for plain in [false, true] {
        let got = libreoffice_grades(&filled, plain);
        let grades: BTreeMap<String, String> =
            serde_json::from_value(got["controls"].clone()).unwrap();
        assert_eq!(
            grades, want,
            "LibreOffice (plain: {plain}) and ftr disagree"
        );
        assert_eq!(got["controls_met"].as_u64(), Some(passes), "plain: {plain}");
        assert_eq!(got["controls_not_met"].as_u64(), Some(44 - passes));
        assert_eq!(got["warnings"], serde_json::json!([]));
    }
    libreoffice_grades(&filled, false)
}

/// The cells (sheet!coordinate) whose value or formula differ between two workbooks.
const CHANGED_CELLS: &str = r#"
import json, sys, openpyxl
a, b = (openpyxl.load_workbook(p) for p in sys.argv[1:3])
out = []
for ws in a.worksheets:
    other = b[ws.title]
    rows = max(ws.max_row, other.max_row)
    cols = max(ws.max_column, other.max_column)
    for r in range(1, rows + 1):
        for c in range(1, cols + 1):
            if ws.cell(r, c).value != other.cell(r, c).value:
                out.append(f"{ws.title}!{ws.cell(r, c).coordinate}")
print(json.dumps({"changed": out, "sheets": [a.sheetnames, b.sheetnames]}))
"#;

#[test]
fn aws_workbook_filled_grades_in_libreoffice_as_ftr_predicts() {
    let s = passing_project();
    let template = aws_workbook(&s);
    let original = std::fs::read(&template).unwrap();
    let stdout = String::from_utf8(
        export(&s, &["--template", template.to_str().unwrap()])
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(
        stdout.contains("sheet \"Partner Hosted FTR Requirements\", header on row 5"),
        "{stdout}"
    );
    let grades = fill_and_compare(&s, &template);
    assert_eq!(grades["controls_met"], 44);
    let status = s.json(&["status", "--json"]);
    let text = status["sheet"]["text"].as_str().unwrap();
    assert!(text.contains("44 pass"), "{text}");
    assert!(
        text.contains("no CIS report"),
        "nothing is attached yet: {text}"
    );

    // Only input cells changed: answer rows' Met?, the gates, the workbook's own rows and the
    // controls' responses; the other sheets' parts are the template's, byte for byte.
    let filled = s.file("ftr-upload/self-assessment.xlsx");
    let inputs: Vec<String> = grades["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| format!("Partner Hosted FTR Requirements!{k}"))
        .collect();
    let diff = python(CHANGED_CELLS, &[&template, &filled]);
    let changed: Vec<String> = serde_json::from_value(diff["changed"].clone()).unwrap();
    assert!(changed.len() > 60, "the answers were written: {changed:?}");
    for cell in &changed {
        assert!(
            inputs.contains(cell),
            "{cell} is no input cell, and changed"
        );
    }
    assert_eq!(
        grades["inputs"]["C14"], "Yes",
        "written without the list's space"
    );
    assert_eq!(grades["inputs"]["C35"], "No");
    assert_eq!(grades["inputs"]["C8"], "CIS v5.0");
    assert_eq!(
        grades["inputs"]["C127"], "No",
        "the gate is the scoping answer"
    );
    assert_eq!(
        grades["inputs"]["C64"], "No",
        "IAM-005.1 is the scoping answer"
    );
    assert_eq!(grades["inputs"]["C66"], "<select>", "left unanswered");
    let (a, b) = (
        raw_entries(&original),
        raw_entries(&std::fs::read(&filled).unwrap()),
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    let parts: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert_eq!(
        parts,
        ["xl/workbook.xml", "xl/worksheets/sheet2.xml"],
        "only the filled sheet, and the request to calculate on opening"
    );
    let workbook = String::from_utf8(read_zip(&filled)["xl/workbook.xml"].clone()).unwrap();
    assert!(workbook.contains("fullCalcOnLoad=\"1\""), "{workbook}");
}

#[test]
fn a_mixed_aws_workbook_grades_each_path_as_ftr_predicts() {
    let s = passing_project();
    // A gate answered no passes the CAA controls; SDAT-000 no passes the SDAT ones.
    s.ok(&["set", "scoping.stores_sensitive_data", "no"]);
    // A failing Static: third parties get static credentials.
    s.ok(&["set", "scoping.third_party_access", "yes"]);
    choose(&s, &[("IAM-005.2", "static")]);
    // N/A passes IAM-012's rows.
    choose(&s, &[("IAM-012.1", "n/a")]);
    // A row left unanswered fails HOST-001, and its cell keeps <select>.
    choose(&s, &[("HOST-001.3", "unset")]);
    // A No that passes only with a response (SUP-001), and a Yes that needs one (RES-002).
    choose(&s, &[("SUP-001.1", "no")]);
    s.ok(&[
        "answer",
        "SUP-001",
        "--response",
        "Escalation plan: the on-call lead opens a case.",
    ]);
    s.ok(&["answer", "RES-002", "--response="]);
    // A passing No, and a failing one.
    choose(&s, &[("ARC-004.1", "no"), ("IAM-001.1", "no")]);
    let template = aws_workbook(&s);
    let grades = fill_and_compare(&s, &template);
    let c = &grades["controls"];
    for (id, want) in [
        ("CAA-003", "Pass"),
        ("SDAT-002", "Pass"),
        ("IAM-005", "Fail"),
        ("IAM-012", "Pass"),
        ("HOST-001", "Fail"),
        ("SUP-001", "Pass"),
        ("RES-002", "Fail"),
        ("ARC-004", "Pass"),
        ("IAM-001", "Fail"),
    ] {
        assert_eq!(c[id], want, "{id}");
    }
    let inputs = &grades["inputs"];
    assert_eq!(inputs["C16"], "<select>", "HOST-001.3 was left unanswered");
    assert_eq!(inputs["C66"], "Static");
    assert_eq!(inputs["C80"], "N/A");
    assert_eq!(inputs["C145"], "No");
    assert_eq!(
        inputs["C147"], "Yes",
        "a row kept in the file is written even where the gate passes"
    );
    let check = s.json(&["check", "--json"]);
    let text = check["sheet"]["text"].as_str().unwrap();
    assert!(
        text.contains("4 fail (HOST-001, IAM-001, IAM-005, RES-002)"),
        "{text}"
    );
}

/// Makes the bad templates of `aws_bad_templates_are_refused_and_nothing_is_written` from a
/// workbook in AWS's layout (argv[1]) into the folder argv[2].
const MAKE_BAD_TEMPLATES: &str = r#"
import sys, os, re, zipfile, openpyxl
src, out = sys.argv[1], sys.argv[2]
def copy(name, change):
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED) as b:
        for item in a.infolist():
            data = change(item.filename, a.read(item.filename))
            if data is not None:
                b.writestr(item.filename, data)
        extra = change(None, None)
        if extra:
            b.writestr(*extra)
# A macro workbook: a VBA project and the macro content type.
def macro(name, data):
    if name is None:
        return ("xl/vbaProject.bin", b"\x00" * 64)
    if name == "[Content_Types].xml":
        return data.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    return data
copy("macro.xlsx", macro)
# The requirements sheet hidden: only the summary shows the columns. Its state="visible"
# goes (an attribute given twice is no XML, and would be refused as that).
def hidden(name, data):
    if name == "xl/workbook.xml":
        tag = re.search(rb'<sheet name="Partner Hosted FTR Requirements"[^>]*>', data).group(0)
        new = re.sub(rb' state="[^"]*"', b"", tag).replace(b"<sheet ", b'<sheet state="hidden" ', 1)
        return data.replace(tag, new)
    return data
copy("hidden.xlsx", hidden)
# A part that unpacks to far more than any workbook needs.
def bomb(name, data):
    if name == "xl/worksheets/sheet2.xml":
        return data + b" " * (80 << 20)
    return data
copy("bomb.xlsx", bomb)
# Another checklist's workbook: the header, but ids this checklist does not have.
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["ID", "Requirement Description", "Met? (Yes/No/NA)", "Partner Response"])
for i in range(1, 6):
    ws.append([f"CDEP-00{i}", "another requirement", "<select>", None])
wb.save(os.path.join(out, "other-checklist.xlsx"))
"#;

#[test]
fn aws_bad_templates_are_refused_and_nothing_is_written() {
    let s = passing_project();
    let good = s.file("good.xlsx");
    workbook_script(&["aws_layout.py".as_ref(), good.as_os_str()]);
    let made = Command::new("python3")
        .arg("-c")
        .arg(MAKE_BAD_TEMPLATES)
        .arg(&good)
        .arg(s.path())
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    std::fs::remove_file(&good).unwrap();
    let before = listing(s.path());
    let project = s.read_project();
    for (name, says) in [
        (
            "macro.xlsx",
            "macro-enabled workbook (.xlsm); Partner Central's form takes an .xlsx",
        ),
        ("hidden.xlsx", "hidden, and a hidden sheet is never filled"),
        (
            "hidden.xlsx",
            "every Met? under them is a formula (a summary)",
        ),
        ("bomb.xlsx", "unpacks to more than"),
        (
            "other-checklist.xlsx",
            "it is the workbook of another checklist",
        ),
        ("other-checklist.xlsx", "CDEP-001"),
    ] {
        export(&s, &["--template", name])
            .code(2)
            .stderr(predicate::str::contains(name))
            .stderr(predicate::str::contains(says));
        assert_eq!(listing(s.path()), before, "--template {name} left files");
        // Remembering it is refused the same way, and the project stays as it was.
        s.ftr()
            .args(["set", "template", name])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says).or(predicate::str::contains("CDEP")));
        assert_eq!(s.read_project(), project);
    }
}

/// A copy of the workbook `from` at `to`, each entry's text changed by `change` (entry name,
/// text), and the entries of `extra` added.
fn rewrite_workbook(
    from: &Path,
    to: &Path,
    change: &dyn Fn(&str, String) -> String,
    extra: &[(&str, &str)],
) {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in read_zip(from) {
        let text = String::from_utf8(data).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(change(&name, text).as_bytes()).unwrap();
    }
    for (name, text) in extra {
        out.start_file(*name, options).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
}

/// A change to a part of a template, as a bad template is made: its file name, the part,
/// the change and what the refusal says.
type PartChange = (
    &'static str,
    &'static str,
    fn(String) -> String,
    &'static str,
);

/// The shared strings part [`template_with_shared_strings`] adds.
const SST: &str = "xl/sharedStrings.xml";

/// Bad templates for `a_template_whose_parts_are_not_well_formed_xml_is_refused_naming_the_part`.
fn malformed_parts() -> [PartChange; 10] {
    [
        (
            "unclosed.xlsx",
            "xl/worksheets/sheet2.xml",
            |x| x.replace("</worksheet>", ""),
            "ends before the root element <worksheet> is closed (its closing tag is missing)",
        ),
        (
            "junk.xlsx",
            "xl/worksheets/sheet2.xml",
            |x| x + "<junk/>",
            "there is an element <junk> after the root element <worksheet> closed",
        ),
        // The instructions sheet is copied as it is, but read to find the requirements.
        (
            "junk-text.xlsx",
            "xl/worksheets/sheet1.xml",
            |x| x + "trailing junk",
            "there is text after the root element closed",
        ),
        (
            "nul.xlsx",
            "xl/worksheets/sheet2.xml",
            |x| x.replacen("<t>", "<t>&#0;", 1),
            "the character reference &#0; names no character XML allows",
        ),
        (
            "sst-nul.xlsx",
            SST,
            |x| x.replace("&#xE9;", "&#0;"),
            "the character reference &#0; names no character XML allows",
        ),
        (
            "sst-surrogate.xlsx",
            SST,
            |x| x.replace("&#xE9;", "&#xD800;"),
            "the character reference &#xD800; names no character XML allows",
        ),
        (
            "sst-huge.xlsx",
            SST,
            |x| x.replace("&#xE9;", "&#99999999;"),
            "the character reference &#99999999; names no character XML allows",
        ),
        (
            "sst-unclosed.xlsx",
            SST,
            |x| x.replace("</sst>", ""),
            "ends before the root element <sst> is closed",
        ),
        (
            "workbook.xlsx",
            "xl/workbook.xml",
            |x| x + "<workbook/>",
            "there is an element <workbook> after the root element <workbook> closed",
        ),
        (
            "types.xlsx",
            "[Content_Types].xml",
            |x| x + "junk",
            "there is text after the root element closed",
        ),
    ]
}

/// [`MAKE_TEMPLATE`] with a shared strings part added, as Excel writes one (openpyxl writes
/// inline strings), holding a reference of each kind.
fn template_with_shared_strings(s: &Scratch, name: &str) -> std::path::PathBuf {
    const RELS: &str = "xl/_rels/workbook.xml.rels";
    const REL: &str = "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
    const TYPE: &str = "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>";
    let made = make_template(s, "made.xlsx");
    let with_strings = |name: &str, text: String| match name {
        RELS => text.replace("</Relationships>", REL),
        "[Content_Types].xml" => text.replace("</Types>", TYPE),
        _ => text,
    };
    let sst = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>Fish &amp; chips &#xE9;</t></si></sst>";
    let path = s.file(name);
    rewrite_workbook(&made, &path, &with_strings, &[(SST, sst)]);
    std::fs::remove_file(&made).unwrap();
    path
}

/// Issue 19, item 10: a part the filler reads (and copies into the result) that is not
/// well-formed XML (its root left open, junk after it, a character reference to no character
/// XML allows) is refused by `set template` and by `export`, naming the template, the part and
/// what is wrong; nothing is written. The same template with the parts whole fills.
#[test]
fn a_template_whose_parts_are_not_well_formed_xml_is_refused_naming_the_part() {
    let s = answered_project();
    let good = template_with_shared_strings(&s, "good.xlsx");
    // What the bad copies are made from fills.
    export(&s, &["--template", "good.xlsx"])
        .success()
        .stdout(predicate::str::contains("Filled the template good.xlsx"));
    std::fs::remove_dir_all(s.file("ftr-upload")).unwrap();
    std::fs::remove_file(s.file("ftr-submission.zip")).unwrap();
    let before = listing(s.path());
    let project = s.read_project();
    for (name, part, change, says) in malformed_parts() {
        rewrite_workbook(
            &good,
            &s.file(name),
            &|entry, text| if entry == part { change(text) } else { text },
            &[],
        );
        let part_says = format!("the template's part {part} is not well-formed XML: ");
        let mut now = before.clone();
        now.push(name.to_string());
        now.sort();
        export(&s, &["--template", name])
            .code(2)
            .stderr(predicate::str::contains(name))
            .stderr(predicate::str::contains(part_says.as_str()))
            .stderr(predicate::str::contains(says))
            .stdout(predicate::str::contains("Filled").not());
        assert_eq!(listing(s.path()), now, "--template {name} left files");
        s.ftr()
            .args(["set", "template", name])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(name))
            .stderr(predicate::str::contains(part_says.as_str()))
            .stderr(predicate::str::contains(says));
        assert_eq!(
            s.read_project(),
            project,
            "set template {name} changed the project"
        );
        std::fs::remove_file(s.file(name)).unwrap();
    }
}
