//! The export step's choices, as key presses: AWS's workbook shown and chosen in the file
//! browser, a refusal that names the wizard's keys, the draft switch plainly on or off and off
//! again after a build, and a draft that never replaces the final bundle.

use std::io::Read;
use std::path::Path;

use ftr_wizard::tui::app::{Pane, Popup, Screen};

use crate::common::tui::Tester;
use crate::tui_story::{load, made_on_the_command_line, make_ready, message, set_up};

/// A workbook with AWS's header and two rows of the partner-hosted checklist.
fn aws_workbook(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let heads = [
        "ID",
        "Requirement Description",
        "Met? (Yes/No/NA)",
        "Partner Response",
    ];
    for (col, head) in heads.iter().enumerate() {
        sheet.write_string(4, col as u16, *head).unwrap();
    }
    for (row, id) in ["IAM-001", "IAM-001.1"].iter().enumerate() {
        sheet.write_string(5 + row as u32, 0, *id).unwrap();
        sheet.write_string(5 + row as u32, 2, "<select>").unwrap();
    }
    book.save(path).unwrap();
}

/// Whether the bundle at `path` says it is a draft, from its manifest.
fn is_draft(path: &Path) -> bool {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name("manifest.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    manifest["draft"].as_bool().unwrap()
}

/// An error in the review again: IAM-001 marked not met, with no plan.
fn break_readiness(t: &mut Tester) {
    t.app.st.goto(Screen::Interview);
    assert!(t.app.select_control("IAM-001"));
    t.app.st.focus = Pane::List;
    t.press("x");
    t.app.st.refresh();
    assert!(!t.app.st.report.as_ref().unwrap().ready);
    t.app.st.goto(Screen::Export);
}

#[test]
fn the_export_step_shows_the_template_and_b_chooses_it_in_the_file_browser() {
    let mut t = made_on_the_command_line();
    let dir = t.project_path().parent().unwrap().to_path_buf();
    std::fs::write(dir.join("notes.txt"), "just text\n").unwrap();
    aws_workbook(&dir.join("downloads-aws.xlsx"));
    t.app.st.goto(Screen::Export);
    let screen = t.screen(120, 40);
    assert!(
        screen.contains("Template: none, ftr's own sheet"),
        "{screen}"
    );
    assert!(screen.contains("b browse"), "the footer names b: {screen}");

    // A file that is no workbook is refused, and nothing is remembered.
    t.press("b");
    let screen = t.screen(120, 40);
    assert!(
        screen.contains("Choose AWS's workbook to fill: "),
        "{screen}"
    );
    t.type_str("notes").press("<Enter>");
    assert!(t.app.st.popups.top().is_none());
    assert!(
        message(&t).contains("Not chosen as AWS's workbook")
            && message(&t).contains("not an Excel workbook"),
        "{}",
        message(&t)
    );
    assert_eq!(load(&t).profile.template, "");

    // AWS's workbook, found by typing part of its name.
    t.press("b").type_str("AWS");
    match t.app.st.popups.top() {
        Some(Popup::Picker { picker, .. }) => {
            let names: Vec<_> = picker.entries().iter().map(|e| e.name.as_str()).collect();
            assert_eq!(names, ["downloads-aws.xlsx"]);
        }
        _ => panic!("the file browser is open"),
    }
    t.press("<Enter>");
    assert_eq!(load(&t).profile.template, "downloads-aws.xlsx");
    let screen = t.screen(120, 40);
    assert!(
        screen.contains("Template: AWS's workbook downloads-aws.xlsx"),
        "{screen}"
    );
    assert!(!screen.contains("Template: none"), "{screen}");
}

#[test]
fn a_refusal_names_the_keys_that_get_past_it() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.app.st.goto(Screen::Export);
    t.press("<Enter>");
    t.wait_export();
    let screen = t.screen(200, 60);
    assert!(screen.contains("the readiness check found"), "{screen}");
    assert!(
        screen.contains("Press i to build a draft anyway (ftr-submission-draft.zip"),
        "{screen}"
    );
    assert!(!screen.contains("--allow-incomplete"), "{screen}");

    // Evidence that looks like a secret: s keeps it, after checking.
    let token = format!("{}{}", "ghp_", "Zq7Lm2Xc9Vb4Nn1Aa8Ss3Dd6Ff0Gg5Hh2Jj7K");
    let file = t
        .scratch
        .write("evidence/ci.txt", format!("CI uses {token} to publish\n"));
    make_ready(&mut t, &file);
    t.app.st.goto(Screen::Export);
    t.press("<Enter>");
    t.wait_export();
    let screen = t.screen(200, 60);
    assert!(screen.contains("looks like it holds secrets"), "{screen}");
    assert!(screen.contains("press s to keep them"), "{screen}");
    assert!(!screen.contains("--allow-secrets"), "{screen}");
    assert!(!t.scratch.file("ftr-submission.zip").exists());
    t.press("s");
    assert!(t.screen(200, 60).contains("[x] secrets ON"));
    t.press("<Enter>");
    t.wait_export();
    assert!(t.scratch.file("ftr-submission.zip").is_file());
    assert!(!t.app.export.allow_secrets, "off again after the build");
    assert!(t.screen(200, 60).contains("[ ] secrets OFF"));
}

/// The founder's evening: a draft, then the final bundle, then an error again. The draft
/// switch is off after each build, so Enter refuses instead of building a draft over the final
/// bundle; with the draft switched on again it goes to its own names, and the final bundle and
/// its upload folder stay as they were.
#[test]
fn a_draft_after_a_final_bundle_leaves_the_final_bundle_in_place() {
    let mut t = Tester::new();
    set_up(&mut t);
    let final_zip = t.scratch.file("ftr-submission.zip");
    let draft_zip = t.scratch.file("ftr-submission-draft.zip");
    t.app.st.goto(Screen::Export);
    let screen = t.screen(100, 30);
    assert!(screen.contains("[ ] draft OFF"), "{screen}");
    t.press("i");
    let screen = t.screen(100, 30);
    assert!(screen.contains("[x] draft ON"), "{screen}");
    assert!(
        screen.contains("Bundle: a draft, ftr-submission-draft.zip and ftr-upload-draft/"),
        "{screen}"
    );
    t.press("<Enter>");
    t.wait_export();
    assert!(is_draft(&draft_zip));
    assert!(!final_zip.exists());
    assert!(
        t.scratch
            .file("ftr-upload-draft/self-assessment.xlsx")
            .is_file()
    );
    assert!(
        !t.app.export.allow_incomplete,
        "the switch is off after a build"
    );
    assert!(t.screen(100, 30).contains("[ ] draft OFF"));

    // Ready: the final bundle, beside the draft.
    let evidence = t.scratch.write("evidence/policy.pdf", "%PDF policy");
    make_ready(&mut t, &evidence);
    t.app.st.goto(Screen::Export);
    t.press("<Enter>");
    t.wait_export();
    assert!(!is_draft(&final_zip));
    assert!(is_draft(&draft_zip), "the draft is still there");
    let final_bytes = std::fs::read(&final_zip).unwrap();
    let final_sheet = std::fs::read(t.scratch.file("ftr-upload/self-assessment.xlsx")).unwrap();

    // An error again: Enter refuses, nothing is replaced.
    break_readiness(&mut t);
    t.press("<Enter>");
    t.wait_export();
    let screen = t.screen(200, 60);
    assert!(
        screen.contains("Press i to build a draft anyway"),
        "{screen}"
    );
    assert_eq!(std::fs::read(&final_zip).unwrap(), final_bytes);

    // The draft, asked for again, goes to its own names.
    t.press("i <Enter>");
    t.wait_export();
    let screen = t.screen(200, 60);
    assert!(
        screen.contains("Wrote ftr-submission-draft.zip") && screen.contains("marked as a DRAFT"),
        "{screen}"
    );
    assert!(!screen.contains("replaced"), "{screen}");
    assert!(is_draft(&draft_zip));
    assert_eq!(
        std::fs::read(&final_zip).unwrap(),
        final_bytes,
        "the final bundle is untouched"
    );
    assert_eq!(
        std::fs::read(t.scratch.file("ftr-upload/self-assessment.xlsx")).unwrap(),
        final_sheet,
        "and so is its upload folder"
    );
    assert!(!t.app.export.allow_incomplete);
}

/// The command line writes a draft where the bundle goes, as it always did, and says so when
/// that replaced the final bundle.
#[test]
fn the_command_line_says_when_a_draft_replaced_the_final_bundle() {
    let mut t = Tester::new();
    set_up(&mut t);
    let evidence = t.scratch.write("evidence/policy.pdf", "%PDF policy");
    make_ready(&mut t, &evidence);
    t.app.st.goto(Screen::Export);
    t.press("<Enter>");
    t.wait_export();
    let final_zip = t.scratch.file("ftr-submission.zip");
    assert!(!is_draft(&final_zip));
    break_readiness(&mut t);

    let draft_on_the_command_line = |t: &Tester| {
        let out = t
            .scratch
            .ftr()
            .args(["export", "--allow-incomplete"])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let stdout = draft_on_the_command_line(&t);
    assert!(
        stdout.contains("This draft replaced the final bundle that was at"),
        "{stdout}"
    );
    assert!(is_draft(&final_zip));
    // A draft over a draft replaces nothing of another kind: nothing to say.
    let stdout = draft_on_the_command_line(&t);
    assert!(!stdout.contains("replaced"), "{stdout}");
}
