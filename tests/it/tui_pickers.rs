//! The file browser and the list of files to reuse, as key presses: typing filters both, the
//! browser's title names the slot it fills, and the reuse list keeps its order (by path)
//! however often a file is used.

use ftr_wizard::tui::app::{Popup, ProfileRow, Screen};

use crate::common::tui::Tester;
use crate::tui_story::{load, set_up};

/// The names the file browser lists now.
fn listed(t: &Tester) -> Vec<String> {
    match t.app.st.popups.top() {
        Some(Popup::Picker { picker, .. }) => {
            picker.entries().iter().map(|e| e.name.clone()).collect()
        }
        _ => panic!("the file browser is not open"),
    }
}

/// The paths the reuse list shows now, in its order.
fn offered(t: &Tester) -> Vec<String> {
    match t.app.st.popups.top() {
        Some(Popup::Reuse(reuse)) => reuse.shown().iter().map(|f| f.path.clone()).collect(),
        _ => panic!("the reuse list is not open"),
    }
}

fn evidence_of(t: &Tester, id: &str) -> Vec<String> {
    load(t).answers["partner-hosted"]
        .get(id)
        .map(|a| a.evidence.iter().map(|e| e.path.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn typing_in_the_file_browser_filters_it_and_esc_clears_before_closing() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.scratch.write("evidence/okta-mfa.png", "PNG");
    t.scratch.write("evidence/Password-Policy.pdf", "%PDF");
    t.scratch.write("evidence/runbook.md", "# Runbook");
    t.scratch.write("notes.txt", "notes");
    assert!(t.app.select_control("IAM-002"));
    t.press("b");
    let screen = t.screen(100, 30);
    assert!(screen.contains("Choose evidence for IAM-002: "), "{screen}");
    assert!(screen.contains("type to filter"), "{screen}");
    // Letters that were commands before (j, k, l, h, q) are typed into the filter.
    t.type_str("evid");
    assert_eq!(listed(&t), ["evidence"]);
    let screen = t.screen(100, 30);
    assert!(screen.contains("Filter: evid▏ · 1 of "), "{screen}");
    t.press("<Enter>");
    assert_eq!(
        listed(&t).len(),
        4,
        "a folder opens unfiltered: {:?}",
        listed(&t)
    );
    // Case does not matter; Backspace erases one character.
    t.type_str("POLX");
    assert!(listed(&t).is_empty());
    assert!(t.screen(100, 30).contains("nothing here matches"));
    t.press("<Bksp>");
    assert_eq!(listed(&t), ["Password-Policy.pdf"]);
    // Esc clears the filter first; the browser stays open.
    t.press("<Esc>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Picker { .. })));
    assert_eq!(listed(&t).len(), 4);
    t.type_str("pol").press("<Enter>");
    assert!(t.app.st.popups.top().is_none());
    assert_eq!(evidence_of(&t, "IAM-002"), ["evidence/Password-Policy.pdf"]);
    // With nothing typed, Esc closes it and attaches nothing.
    t.press("b");
    t.type_str("run").press("<Esc> <Esc>");
    assert!(t.app.st.popups.top().is_none());
    assert_eq!(evidence_of(&t, "IAM-002"), ["evidence/Password-Policy.pdf"]);
}

#[test]
fn the_file_browser_title_names_the_slot_it_fills() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.scratch
        .write("docs/arch.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    t.scratch.write("reports/cis.csv", "x");
    t.app.st.goto(Screen::Profile);
    let rows = t.app.profile_rows();
    let at = |row: ProfileRow| rows.iter().position(|r| *r == row).unwrap();

    t.app.profile.sel = at(ProfileRow::Diagram);
    t.press("b");
    let screen = t.screen(100, 30);
    assert!(
        screen.contains("Choose the architecture diagram: "),
        "{screen}"
    );
    assert!(!screen.contains("Choose evidence"), "{screen}");
    t.type_str("docs")
        .press("<Enter>")
        .type_str("arch")
        .press("<Enter>");
    assert_eq!(
        load(&t).profile.diagram.as_ref().map(|e| e.path.clone()),
        Some("docs/arch.png".to_string())
    );

    t.app.profile.sel = at(ProfileRow::Report(0));
    t.press("b");
    let screen = t.screen(100, 30);
    assert!(
        screen.contains("Choose a security tool report: "),
        "{screen}"
    );
    t.press("<Esc>");
    assert!(t.app.st.popups.top().is_none());
}

#[test]
fn typing_in_the_reuse_list_filters_it_by_path() {
    let mut t = Tester::new();
    set_up(&mut t);
    for name in ["evidence/okta-mfa.png", "evidence/policy.pdf", "runbook.md"] {
        t.scratch.write(name, name);
    }
    assert!(t.app.select_control("IAM-002"));
    t.press("f")
        .type_str("evidence/okta-mfa.png")
        .press("<Enter>");
    assert!(t.app.select_control("IAM-003"));
    t.press("f")
        .type_str("evidence/policy.pdf")
        .press("<Enter>");
    t.press("f").type_str("runbook.md").press("<Enter>");
    assert!(t.app.select_control("IAM-005"));
    t.press("o");
    assert_eq!(
        offered(&t),
        ["evidence/okta-mfa.png", "evidence/policy.pdf", "runbook.md"]
    );
    let screen = t.screen(100, 30);
    assert!(
        screen.contains("Reuse a file as evidence for IAM-005"),
        "{screen}"
    );
    assert!(screen.contains("type to filter by path"), "{screen}");
    // j and k are typed too, not moves; case does not matter.
    t.type_str("EVID");
    assert_eq!(
        offered(&t),
        ["evidence/okta-mfa.png", "evidence/policy.pdf"]
    );
    t.type_str("ence/p");
    assert_eq!(offered(&t), ["evidence/policy.pdf"]);
    let screen = t.screen(100, 30);
    assert!(screen.contains("Filter: EVIDence/p▏ · 1 of 3"), "{screen}");
    t.type_str("zz");
    assert!(offered(&t).is_empty());
    // Enter with nothing shown attaches nothing and keeps the list open.
    t.press("<Enter>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Reuse(_))));
    assert!(evidence_of(&t, "IAM-005").is_empty());
    t.press("<Bksp> <Bksp> <Enter>");
    assert_eq!(evidence_of(&t, "IAM-005"), ["evidence/policy.pdf"]);
    // Esc clears what was typed before it closes the list.
    assert!(t.app.select_control("IAM-006"));
    t.press("o");
    t.type_str("run");
    assert_eq!(offered(&t), ["runbook.md"]);
    t.press("<Esc>");
    assert_eq!(offered(&t).len(), 3);
    t.press("<Esc>");
    assert!(t.app.st.popups.top().is_none());
    assert!(evidence_of(&t, "IAM-006").is_empty());
}

/// The list is in the order of the paths: attaching a file to a control that sorts before the
/// others (which used to bring it to the top) moves nothing, so the row a file was seen at is
/// the row it is chosen at.
#[test]
fn the_reuse_list_keeps_its_order_after_a_file_is_used() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.scratch.write("b-policy.pdf", "%PDF");
    t.scratch.write("a-runbook.md", "# Runbook");
    assert!(t.app.select_control("IAM-002"));
    t.press("f").type_str("b-policy.pdf").press("<Enter>");
    assert!(t.app.select_control("IAM-003"));
    t.press("f").type_str("a-runbook.md").press("<Enter>");

    assert!(t.app.select_control("IAM-005"));
    t.press("o");
    let before = offered(&t);
    assert_eq!(before, ["a-runbook.md", "b-policy.pdf"]);
    t.press("<Esc>");
    // a-runbook.md attached to IAM-001, which comes first among the controls.
    assert!(t.app.select_control("IAM-001"));
    t.press("o <Enter>");
    assert_eq!(evidence_of(&t, "IAM-001"), ["a-runbook.md"]);
    // And b-policy.pdf, second in the list, to IAM-004.
    assert!(t.app.select_control("IAM-004"));
    t.press("o <Down> <Enter>");
    assert_eq!(evidence_of(&t, "IAM-004"), ["b-policy.pdf"]);

    assert!(t.app.select_control("IAM-005"));
    t.press("o");
    assert_eq!(offered(&t), before, "the same rows in the same order");
    t.press("<Down> <Enter>");
    assert_eq!(evidence_of(&t, "IAM-005"), ["b-policy.pdf"]);
}
