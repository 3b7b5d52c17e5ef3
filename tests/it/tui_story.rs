//! Whole stories through the wizard's state machine, as key presses, without a terminal.

use ftr_wizard::assessment::Slot;
use ftr_wizard::assessment::Status;
use ftr_wizard::assessment::readiness::Code;
use ftr_wizard::content::{Library, Model};
use ftr_wizard::store;
use ftr_wizard::tui::app::{Field, Pane, Popup, ProfileRow, Screen};

use crate::common::tui::Tester;
use crate::common::{self, release};

/// Selects `field` in the answer pane by keys, as a user does: `j` from the selected field
/// until it is reached (past the control's rows in AWS's workbook and its required values,
/// however many it has). Fails when the control shows no such field below the selection.
fn down_to(t: &mut Tester, field: Field) {
    assert_eq!(t.app.st.focus, Pane::Answer);
    for _ in 0..t.app.fields().len() {
        if t.app.field() == field {
            return;
        }
        t.press("j");
    }
    assert_eq!(t.app.field(), field, "fields: {:?}", t.app.fields());
}

pub(crate) fn load(t: &Tester) -> ftr_wizard::assessment::Project {
    store::load(&t.project_path(), &Library::embedded().unwrap())
        .unwrap()
        .project
}

/// From the start screen to a partner-hosted project with profile, model, scoping and
/// prerequisites answered; ends on the Security step.
pub(crate) fn set_up(t: &mut Tester) {
    assert_eq!(t.app.st.screen, Screen::Start);
    t.press("<Enter>");
    assert_eq!(t.app.st.screen, Screen::Profile);
    assert!(t.project_path().exists(), "the project is created at once");
    // Enter saves the company and goes on to the product, editing it; Esc saves that.
    t.press("<Enter>").type_str("Acme Ltd").press("<Enter>");
    t.type_str("Widget Cloud").press("<Esc>");
    t.press("j j j n"); // no SOC 2 or WAFR
    t.press("j <Enter>"); // partner-hosted
    t.press("]");
    assert_eq!(t.app.st.screen, Screen::Scoping);
    // accesses_customer_accounts no, accepts_customer_keys no, then yes to the rest.
    t.press("n n y y y y y y y");
    t.press("]");
    assert_eq!(t.app.st.screen, Screen::Prerequisites);
    t.press("y y y <Enter>").type_str("12").press("<Enter>");
    t.press("]");
    assert_eq!(t.app.st.screen, Screen::Interview);
    // A pause, as a person makes: the set-up is one undo step, what follows others.
    t.app.tick();
}

#[test]
fn create_choose_scope_answer_quit_and_resume_in_the_same_place() {
    let mut t = Tester::new();
    set_up(&mut t);
    let p = load(&t);
    assert_eq!(p.profile.company, "Acme Ltd");
    assert_eq!(p.profile.product, "Widget Cloud");
    assert_eq!(p.delivery.checklist, "partner-hosted");
    assert!(p.delivery.confirmed);
    assert_eq!(p.delivery.holds_soc2_or_wafr, Some(false));
    assert_eq!(p.scoping.get("accesses_customer_accounts"), Some(&false));
    assert_eq!(p.scoping.len(), 9);
    assert_eq!(p.prerequisites.len(), 4);

    // Security opens on its first control; go to IAM-001 and answer it.
    while t.app.st.selected_control().unwrap().id != "IAM-001" {
        t.press("j");
    }
    t.press("m");
    assert!(
        t.app.st.editor.is_none(),
        "from the list, marking only selects the response"
    );
    assert_eq!(
        (t.app.st.focus, t.app.field()),
        (Pane::Answer, Field::Response)
    );
    t.press("e");
    t.type_str("Every person signs in through Okta with MFA enforced.")
        .press("<Esc>");
    t.scratch.write("evidence/okta mfa.png", "PNG-bytes");
    t.press("f").type_str("evidence/okta").press("<Tab>");
    assert_eq!(
        t.app.st.editor.as_ref().unwrap().text(),
        "evidence/okta mfa.png",
        "Tab completes the path"
    );
    t.press("<Enter>");
    assert!(t.app.st.editor.is_none());

    let a = load(&t).answers["partner-hosted"]["IAM-001"].clone();
    assert_eq!(a.status, Status::Met);
    assert_eq!(
        a.response,
        "Every person signs in through Okta with MFA enforced."
    );
    assert_eq!(a.evidence.len(), 1);
    assert_eq!(a.evidence[0].path, "evidence/okta mfa.png");
    assert_eq!(a.evidence[0].size, 9);

    t.press("q");
    assert!(t.app.quit);

    // Start again: the same project opens where the user left.
    t.restart();
    assert_eq!(t.app.st.screen, Screen::Start);
    assert!(
        t.app
            .start
            .entries
            .iter()
            .any(|e| e.title == "Acme Ltd: Widget Cloud"),
        "the recent list shows the project"
    );
    t.app.open(&t.project_path()).unwrap();
    assert_eq!(t.app.st.screen, Screen::Interview);
    assert_eq!(t.app.st.selected_control().unwrap().id, "IAM-001");
    let screen = t.screen(100, 30);
    assert!(
        screen.contains("Every person signs in through Okta"),
        "{screen}"
    );
    assert!(screen.contains("✓ evidence/okta mfa.png"), "{screen}");
}

#[test]
fn not_applicable_asks_for_a_reason_and_not_met_for_a_plan() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("a");
    let id = t.app.st.selected_control().unwrap().id.clone();
    assert_eq!(t.app.field(), Field::Reason);
    t.press("e")
        .type_str("We run no such component.")
        .press("<Esc>");
    t.press("<Tab>"); // from the answer pane back to the list
    assert_eq!(t.app.st.focus, Pane::List);
    t.press("j x");
    let gap = t.app.st.selected_control().unwrap().id.clone();
    assert_eq!(t.app.field(), Field::PlanWhat);
    t.press("e").type_str("Write the runbook").press("<Tab>");
    assert_eq!(
        (t.app.st.editor.is_some(), t.app.field()),
        (true, Field::PlanOwner),
        "Tab goes on editing the owner"
    );
    // Enter in a one-line field goes on to the next one, as Tab does.
    t.type_str("Dana").press("<Enter>");
    assert_eq!(
        (t.app.st.editor.is_some(), t.app.field()),
        (true, Field::PlanDue),
        "Enter goes on editing the due date"
    );
    t.type_str("2027-02-30").press("<Enter>");
    assert!(
        t.app.st.editor.as_ref().unwrap().error.is_some(),
        "an impossible date is refused in place"
    );
    assert_eq!(t.app.field(), Field::PlanDue);
    t.press("<Bksp> <Bksp>").type_str("28").press("<Enter>");
    assert_ne!(
        t.app.field(),
        Field::PlanDue,
        "saved, and on to the next field"
    );
    t.press("<Esc>");
    assert!(t.app.st.editor.is_none());
    let p = load(&t);
    let na = &p.answers["partner-hosted"][&id];
    assert_eq!(na.status, Status::NotApplicable);
    assert_eq!(na.reason, "We run no such component.");
    let plan = &p.answers["partner-hosted"][&gap].remediation;
    assert_eq!(plan.what, "Write the runbook");
    assert_eq!(plan.owner, "Dana");
    assert_eq!(plan.due.unwrap().to_string(), "2027-02-28");
}

#[test]
fn pasted_text_arrives_in_one_piece_and_leaving_a_field_saves_it() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("<Tab> <Tab>"); // the answer pane
    down_to(&mut t, Field::Response);
    t.press("<Enter>");
    t.paste("Line one\r\nLine two\nLine three");
    // Clicking away or Tab saves; here Tab.
    t.press("<Tab>");
    let id = t.app.st.selected_control().unwrap().id.clone();
    assert_eq!(
        load(&t).answers["partner-hosted"][&id].response,
        "Line one\nLine two\nLine three"
    );
    // Ctrl-C while typing saves the text, then quits.
    assert_eq!(
        t.app.field(),
        Field::Notes,
        "Tab moved on to the next field"
    );
    assert!(t.app.st.editor.is_some(), "and goes on editing it");
    t.press("<Esc> k <Enter>")
        .type_str(" and four")
        .press("<C-c>");
    assert!(t.app.quit);
    assert!(
        load(&t).answers["partner-hosted"][&id]
            .response
            .ends_with("Line three and four")
    );
}

#[test]
fn evidence_is_reused_across_controls_and_removed_after_confirmation() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.scratch.write("policy.pdf", "%PDF policy");
    let first = t.app.st.selected_control().unwrap().id.clone();
    t.press("f").type_str("policy.pdf").press("<Enter>");
    t.press("j");
    let second = t.app.st.selected_control().unwrap().id.clone();
    t.press("o");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Reuse { .. })));
    t.press("<Enter>");
    let p = load(&t);
    assert_eq!(
        p.answers["partner-hosted"][&first].evidence[0].path,
        "policy.pdf"
    );
    assert_eq!(
        p.answers["partner-hosted"][&second].evidence[0].path,
        "policy.pdf"
    );
    // Remove it from the second control: the answer pane, evidence field, d, y.
    t.press("<Tab> <Tab> G d");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Confirm { .. })));
    t.press("n");
    assert_eq!(
        load(&t).answers["partner-hosted"][&second].evidence.len(),
        1
    );
    t.press("d y");
    let p = load(&t);
    assert!(!p.answers["partner-hosted"].contains_key(&second));
    assert_eq!(p.answers["partner-hosted"][&first].evidence.len(), 1);
    assert!(
        t.scratch.file("policy.pdf").exists(),
        "the file itself stays"
    );
}

#[test]
fn a_changed_file_on_disk_is_merged_never_overwritten() {
    let mut t = Tester::new();
    set_up(&mut t);
    // Another process answers a control while the wizard is open.
    answer_elsewhere(&t, "RCVP-001", "From the command line.");
    // The wizard changes another control before it noticed: the two are merged, no question.
    let id = t.app.st.selected_control().unwrap().id.clone();
    t.press("m");
    assert!(
        t.app.st.popups.is_empty(),
        "nothing to ask: different controls"
    );
    let message = t.app.st.message.as_ref().unwrap().text.clone();
    assert_eq!(
        message,
        "Merged changes from the file on disk: RCVP-001 (status, response)."
    );
    let p = load(&t);
    assert_eq!(
        p.answers["partner-hosted"]["RCVP-001"].response,
        "From the command line."
    );
    assert_eq!(p.answers["partner-hosted"][&id].status, Status::Met);
    assert!(p.conflicts.is_empty());
    assert!(t.app.st.pending.is_empty() && !t.app.st.unsaved);

    // When idle, a change on disk is taken in.
    let lib = Library::embedded().unwrap();
    store::Loaded::update(&t.project_path(), &lib, |l| {
        l.project.profile.product = "Renamed elsewhere".into();
        Ok(())
    })
    .unwrap();
    t.app.tick();
    assert_eq!(
        t.app.st.proj().unwrap().profile.product,
        "Renamed elsewhere"
    );
    assert_eq!(
        t.app.st.message.as_ref().unwrap().text,
        "Merged changes from the file on disk."
    );
}

#[test]
fn switching_model_asks_and_keeps_the_answers() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("m e").type_str("Answered.").press("<Esc>");
    t.app.st.goto(Screen::Profile);
    // Down to customer-deployed (the alternative is not offered: no SOC 2 / WAFR).
    t.press("g j j j j j j");
    assert_eq!(
        t.app.profile_row(),
        ftr_wizard::tui::app::ProfileRow::Model(ftr_wizard::content::Model::CustomerDeployed)
    );
    t.press("<Enter>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Confirm { .. })));
    t.press("y");
    let p = load(&t);
    assert_eq!(p.delivery.checklist, "customer-deployed");
    assert!(
        p.answers.contains_key("partner-hosted"),
        "the other answers stay"
    );
    // The alternative path is for partner-hosted products only: saying yes to SOC 2 / WAFR
    // for a confirmed customer-deployed product does not offer it, and says why.
    let alternative =
        ftr_wizard::tui::app::ProfileRow::Model(ftr_wizard::content::Model::Alternative);
    t.press("g j j j j y");
    assert_eq!(load(&t).delivery.holds_soc2_or_wafr, Some(true));
    assert!(!t.app.profile_rows().contains(&alternative));
    let message = t.app.st.message.as_ref().expect("a message").text.clone();
    assert!(
        message.contains("partner-hosted products only"),
        "{message}"
    );
    // Back on partner-hosted, the same answer offers it.
    t.press("j");
    assert_eq!(
        t.app.profile_row(),
        ftr_wizard::tui::app::ProfileRow::Model(ftr_wizard::content::Model::PartnerHosted)
    );
    t.press("<Enter>");
    if matches!(t.app.st.popups.top(), Some(Popup::Confirm { .. })) {
        t.press("y");
    }
    assert_eq!(load(&t).delivery.checklist, "partner-hosted");
    assert!(t.app.profile_rows().contains(&alternative));
}

#[test]
fn review_lists_findings_and_enter_jumps_to_the_control() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("r");
    assert_eq!(t.app.st.screen, Screen::Review);
    let report = t.app.st.report.clone().unwrap();
    assert!(!report.ready);
    let first = report.findings[0].clone();
    assert_eq!(
        first.severity,
        ftr_wizard::assessment::readiness::Severity::Error
    );
    t.press("<Enter>");
    assert_eq!(t.app.st.screen, Screen::Interview);
    assert_eq!(
        t.app.st.selected_control().unwrap().id,
        first.control.clone().unwrap()
    );
    let screen = t.screen(80, 24);
    assert!(screen.contains(&first.control.unwrap()), "{screen}");
}

#[test]
fn help_lists_every_binding_and_a_small_terminal_is_told_plainly() {
    let mut t = Tester::new();
    t.press("?");
    let screen = t.screen(100, 90);
    for b in ftr_wizard::tui::keymap::BINDINGS {
        assert!(screen.contains(b.hint), "help lacks {}", b.hint);
    }
    t.press("<Esc>");
    assert!(t.app.st.popups.is_empty());
    let small = t.screen(70, 20);
    assert!(small.contains("The terminal is 70x20"), "{small}");
    assert!(small.contains("80x24"), "{small}");
}

#[test]
fn the_manual_lists_every_key_binding() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/wizard.md")).unwrap();
    let keys = page
        .split("\n## Keys\n")
        .nth(1)
        .expect("docs/wizard.md has a Keys section")
        .split("\n## ")
        .next()
        .unwrap();
    for b in ftr_wizard::tui::keymap::BINDINGS {
        let row = format!("| `{}` | {} |", b.shown, b.hint);
        assert!(
            keys.contains(&row),
            "docs/wizard.md's Keys lack the row {row}"
        );
    }
}

/// Answers `control` from outside the wizard, as another `ftr` would.
fn answer_elsewhere(t: &Tester, control: &str, text: &str) {
    change_elsewhere(
        t,
        control,
        ftr_wizard::assessment::edit::AnswerChange {
            status: Some(Status::Met),
            response: Some(text.into()),
            ..Default::default()
        },
    );
}

/// Changes the answer to `control` in the project file, as another window or `ftr answer`
/// does while the wizard is open.
fn change_elsewhere(t: &Tester, control: &str, change: ftr_wizard::assessment::edit::AnswerChange) {
    let lib = Library::embedded().unwrap();
    store::Loaded::update(&t.project_path(), &lib, |l| {
        let c = lib.checklist("partner-hosted").unwrap();
        let dir = l.dir();
        ftr_wizard::assessment::edit::apply_answer(&mut l.project, c, control, change, &dir)
    })
    .unwrap();
}

/// Makes the project file unreadable as a project, as a half-written or hand-broken file is;
/// returns what it held.
fn break_file(t: &Tester) -> String {
    let good = std::fs::read_to_string(t.project_path()).unwrap();
    std::fs::write(t.project_path(), "schema_version = [ half written").unwrap();
    good
}

/// Only a file on disk that cannot be read or merged asks the old question: merge my changes
/// in once it reads, drop them, or write over it.
#[test]
fn the_conflict_question_keeps_every_unsaved_change_and_takes_only_deliberate_keys() {
    let mut t = Tester::new();
    set_up(&mut t);
    let good = break_file(&t);
    let first = t.app.st.selected_control().unwrap().id.clone();
    t.press("m");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Conflict)));
    assert!(t.app.st.unsaved);
    assert_eq!(t.app.st.pending.len(), 1);
    assert!(
        t.app
            .st
            .message
            .as_ref()
            .unwrap()
            .text
            .starts_with("The file changed on disk and cannot be merged:")
    );
    // Letters typed on choose nothing; Ctrl-C does not leave the question unanswered.
    t.type_str("all logins use MFA, overwrite or reload");
    t.press("<C-c>");
    assert!(!t.app.quit);
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Conflict)));
    // Enter while the file still does not read: said, and asked again.
    t.press("<Enter>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Conflict)));
    assert!(
        t.app
            .st
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("cannot be read now")
    );
    // Once it reads (with another answer in it), Enter merges the unsaved change in.
    std::fs::write(t.project_path(), &good).unwrap();
    answer_elsewhere(&t, "RCVP-001", "Elsewhere.");
    t.press("<Enter>");
    assert!(t.app.st.popups.is_empty());
    assert!(t.app.st.pending.is_empty());
    let p = load(&t);
    assert_eq!(
        p.answers["partner-hosted"]["RCVP-001"].response,
        "Elsewhere."
    );
    assert_eq!(p.answers["partner-hosted"][&first].status, Status::Met);

    // Ctrl-R drops mine (and reads the file as it is by then).
    let good = break_file(&t);
    t.press("<Tab> <Tab> <Tab> j x"); // list: next control, mark not met
    let second = t.app.st.selected_control().unwrap().id.clone();
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Conflict)));
    std::fs::write(t.project_path(), &good).unwrap();
    t.press("<C-r>");
    assert!(t.app.st.popups.is_empty() && !t.app.st.unsaved);
    let p = load(&t);
    assert!(
        !p.answers["partner-hosted"].contains_key(&second),
        "mine dropped"
    );
    // Ctrl-O keeps mine over whatever is there.
    break_file(&t);
    t.press("<Tab> <Tab> <Tab> x");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Conflict)));
    t.press("<C-o>");
    let p = load(&t);
    assert_eq!(p.answers["partner-hosted"][&second].status, Status::NotMet);
    assert_eq!(
        p.answers["partner-hosted"]["RCVP-001"].response,
        "Elsewhere."
    );
}

#[test]
fn esc_and_ctrl_c_always_leave_a_field_even_with_a_bad_value() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("f").type_str("no-such-file.pdf").press("<Enter>");
    assert!(t.app.st.editor.is_some(), "Enter keeps a wrong path to fix");
    t.press("<Esc>");
    assert!(t.app.st.editor.is_none());
    // A path is nothing to save: Esc cancels it.
    assert_eq!(t.app.st.message.as_ref().unwrap().text, "Nothing attached.");
    // A path pasted with quotes (as terminals do for dropped files) is understood.
    t.scratch.write("My Docs/x.pdf", "pdf");
    let quoted = format!("'{}' ", t.scratch.file("My Docs/x.pdf").display());
    t.press("f").paste(&quoted).press("<Enter>");
    let id = t.app.st.selected_control().unwrap().id.clone();
    assert_eq!(
        load(&t).answers["partner-hosted"][&id].evidence[0].path,
        "My Docs/x.pdf"
    );
    // Ctrl-C in the picker quits.
    t.press("b");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Picker { .. })));
    t.press("<C-c>");
    assert!(t.app.quit);
}

#[test]
fn typing_is_saved_while_idle_and_kept_when_the_external_editor_fails() {
    let mut t = Tester::new();
    set_up(&mut t);
    let id = t.app.st.selected_control().unwrap().id.clone();
    t.press("<Tab> <Tab>");
    down_to(&mut t, Field::Response);
    t.press("e").type_str("Half a sentence");
    t.app.tick();
    assert!(t.app.st.editor.is_some(), "the editor stays open");
    assert_eq!(
        load(&t).answers["partner-hosted"][&id].response,
        "Half a sentence"
    );
    // Ctrl-E saves what was typed before $EDITOR runs; a failing editor that saved changes
    // keeps them, one that saved nothing leaves the response alone.
    t.type_str(" more").press("<C-e>");
    let req = t.app.st.external.take().unwrap();
    assert_eq!(req.text, "Half a sentence more");
    assert_eq!(
        load(&t).answers["partner-hosted"][&id].response,
        "Half a sentence more"
    );
    t.app.finish_external(
        &id,
        Some("Edited outside.".into()),
        Some("vim exited with 1".into()),
    );
    assert_eq!(
        load(&t).answers["partner-hosted"][&id].response,
        "Edited outside."
    );
    assert!(t.app.st.message.as_ref().unwrap().text.contains("exited"));
    t.app
        .finish_external(&id, None, Some("could not start nano".into()));
    assert_eq!(
        load(&t).answers["partner-hosted"][&id].response,
        "Edited outside."
    );
}

#[test]
fn pasting_onto_a_selected_field_opens_it() {
    let mut t = Tester::new();
    set_up(&mut t);
    let id = t.app.st.selected_control().unwrap().id.clone();
    t.press("<Tab> <Tab>");
    down_to(&mut t, Field::Response);
    assert!(t.app.st.editor.is_none(), "only selected, not opened");
    t.paste("Pasted without opening the field first.");
    assert!(t.app.st.editor.is_some());
    t.press("<Esc>");
    assert_eq!(
        load(&t).answers["partner-hosted"][&id].response,
        "Pasted without opening the field first."
    );
}

#[test]
fn the_alternative_model_stays_in_view_at_80x24() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.app.st.goto(Screen::Profile);
    t.press("g j j j j y");
    // On the last upload row (below it come only the submission's rows), the alternative
    // model is still in view.
    t.app.profile.sel = t
        .app
        .profile_rows()
        .iter()
        .position(|r| *r == ProfileRow::Report(0))
        .unwrap();
    let screen = t.screen(80, 24);
    assert!(screen.contains("( ) alternative"), "{screen}");
    // On the alternative's row, the help says who it is for and what may still be asked,
    // to its last word.
    t.press("g j j j j j j j");
    assert_eq!(
        t.app.profile_row(),
        ftr_wizard::tui::app::ProfileRow::Model(ftr_wizard::content::Model::Alternative)
    );
    let screen = t.screen(80, 24);
    for want in ["Partner-hosted only", "HOST-001", "the diagram."] {
        assert!(screen.contains(want), "`{want}` missing:\n{screen}");
    }
    t.press("g j j j j");
    let screen = t.screen(80, 24);
    for want in ["Partner-hosted products only", "replace most controls."] {
        assert!(screen.contains(want), "`{want}` missing:\n{screen}");
    }
}

#[test]
fn a_checklist_without_scoping_questions_does_not_crash_the_scoping_screen() {
    let mut t = Tester::new();
    set_up(&mut t);
    let mut lib = Library::embedded().unwrap();
    // The project answers the version it was made with: the catalog's.
    for c in lib.checklists.iter_mut().chain(lib.catalog.iter_mut()) {
        c.scoping.clear();
    }
    t.app.st.library = lib;
    t.app.st.goto(Screen::Scoping);
    t.press("<Enter> y n j k");
    let screen = t.screen(80, 24);
    assert!(screen.contains("Scoping: 0/0"), "{screen}");
}

/// The answer that passes AWS's sheet for a row of the partner-hosted checklist's workbook:
/// yes, except where the sheet asks the question the other way round or lists kinds of
/// credentials.
fn passing_choice(row: &str) -> &'static str {
    match row {
        "ARC-001.1" | "ARC-004.1" | "IAM-009.1" => "No",
        "IAM-005.2" => "Temporary",
        _ => "Yes",
    }
}

/// Answers every applicable control of the set-up project with a file, and its rows in AWS's
/// workbook as the sheet passes them (a row that answers a scoping question keeps the set-up's
/// answer), so it is ready.
pub(crate) fn make_ready(t: &mut Tester, evidence: &std::path::Path) {
    let lib = Library::embedded().unwrap();
    let dir = t.scratch.path().to_path_buf();
    let ev = ftr_wizard::assessment::Evidence::attach(
        evidence,
        &dir,
        String::new(),
        None,
        common::now(),
    )
    .unwrap();
    store::Loaded::update(&t.project_path(), &lib, |l| {
        let c = lib.checklist("partner-hosted").unwrap();
        for control in &c.controls {
            let ev = ev.clone();
            ftr_wizard::assessment::edit::apply_answer(
                &mut l.project,
                c,
                &control.id,
                ftr_wizard::assessment::edit::AnswerChange {
                    status: Some(Status::Met),
                    response: Some(
                        "Described in full in the attached document, section by section.".into(),
                    ),
                    add_evidence: vec![ev],
                    values: control
                        .values
                        .iter()
                        .map(|v| (v.key.clone(), v.kind.example().to_string()))
                        .collect(),
                    ..Default::default()
                },
                &dir,
            )?;
            for row in control.rows.iter().filter(|r| r.scoping.is_none()) {
                ftr_wizard::assessment::edit::answer_row(
                    &mut l.project,
                    c,
                    row,
                    passing_choice(&row.id),
                )?;
            }
        }
        Ok(())
    })
    .unwrap();
    t.app.tick();
    let report = t.app.st.report.as_ref().unwrap();
    assert!(report.ready, "made ready: {:?}", report.findings);
}

#[test]
fn a_required_value_is_its_own_field_saved_when_it_reads_and_kept_when_it_does_not() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("]");
    assert!(t.app.select_control("RES-001"));
    t.app.st.focus = Pane::List;
    // Marking met selects the RPO, which the response must open with, before the response.
    t.press("m");
    assert_eq!(
        (t.app.st.focus, t.app.field()),
        (Pane::Answer, Field::Value(0))
    );
    // Below the status: RES-001's one row in AWS's workbook, then the value, the response.
    assert_eq!(
        t.app.fields()[..4],
        [
            Field::Status,
            Field::Row(0),
            Field::Value(0),
            Field::Response
        ]
    );
    let screen = t.screen(140, 40);
    assert!(
        screen.contains("Recovery point objective (RPO) — duration, e.g. 1h, 15m, 1d"),
        "{screen}"
    );

    // Typed and saved with Enter, which goes on to the next field (the response), editing
    // it; the row shows what the reviewer will read.
    t.press("e").type_str("90m").press("<Enter>");
    assert_eq!(
        (t.app.st.editor.is_some(), t.app.field()),
        (true, Field::Response)
    );
    t.press("<Esc> k");
    assert_eq!(t.app.field(), Field::Value(0));
    let a = load(&t).answers["partner-hosted"]["RES-001"].clone();
    assert_eq!(a.values.get("rpo").map(String::as_str), Some("90m"));
    let screen = t.screen(140, 40);
    assert!(
        screen.contains("Recovery point objective (RPO) 90m = 1 hour 30 minutes"),
        "{screen}"
    );

    // A value that does not read: refused with the reason, the typed text kept.
    t.press("<Enter> <Bksp> <Bksp> <Bksp>")
        .type_str("4 hourz")
        .press("<Enter>");
    let editor = t
        .app
        .st
        .editor
        .as_ref()
        .expect("Enter keeps a value that does not read");
    assert_eq!(editor.text(), "4 hourz");
    assert!(
        editor
            .error
            .as_deref()
            .unwrap()
            .contains("`hourz` is not a unit of time"),
        "{:?}",
        editor.error
    );
    let message = t.app.st.message.as_ref().unwrap().text.clone();
    assert!(
        message.contains("`4 hourz` is not a duration"),
        "the message line says what is wrong: {message}"
    );
    let screen = t.screen(140, 40);
    assert!(screen.contains("`4 hourz` is not a duration"), "{screen}");
    assert_eq!(
        load(&t).answers["partner-hosted"]["RES-001"].values["rpo"],
        "90m",
        "the saved value stays"
    );
    // Idle saves do not take it either.
    t.app.tick();
    assert_eq!(
        load(&t).answers["partner-hosted"]["RES-001"].values["rpo"],
        "90m"
    );
    // Fixed while the editor is open, it is saved and the complaint goes.
    t.press("<Bksp>").type_str("s").press("<Enter>");
    assert_eq!(
        t.app.field(),
        Field::Response,
        "saved, and on to the response"
    );
    let said = &t.app.st.message.as_ref().unwrap().text;
    assert!(said.starts_with("Saved: RES-001"), "{said}");
    assert_eq!(
        load(&t).answers["partner-hosted"]["RES-001"].values["rpo"],
        "4 hours"
    );
    // Wrong again, then left with Esc.
    t.press("<Esc> k <Enter> <Bksp>")
        .type_str("z")
        .press("<Enter>");
    assert_eq!(t.app.st.editor.as_ref().unwrap().text(), "4 hourz");

    // Esc leaves the field, and the text stays on screen to fix.
    t.press("<Esc>");
    assert!(t.app.st.editor.is_none());
    assert!(
        t.app
            .st
            .message
            .as_ref()
            .unwrap()
            .text
            .starts_with("Not saved"),
        "{:?}",
        t.app.st.message
    );
    let screen = t.screen(200, 40);
    assert!(
        screen.contains("4 hourz ✗ not saved: not a duration (still saved: 4 hours)"),
        "{screen}"
    );
    // Quitting now would lose it: the wizard asks.
    t.press("q");
    assert!(!t.app.quit);
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Confirm { .. })));
    t.press("n");
    // Editing starts from the kept text; fixed, it is saved and the draft is gone.
    t.press("e");
    assert_eq!(t.app.st.editor.as_ref().unwrap().text(), "4 hourz");
    t.press("<Bksp>").type_str("s").press("<Enter>");
    assert_eq!(
        t.app.field(),
        Field::Response,
        "saved, and on to the response"
    );
    t.press("<Esc> k");
    assert!(t.app.st.editor.is_none());
    assert_eq!(
        load(&t).answers["partner-hosted"]["RES-001"].values["rpo"],
        "4 hours"
    );
    assert!(t.app.interview.value_drafts.is_empty());
    let screen = t.screen(140, 40);
    assert!(
        screen.contains("Recovery point objective (RPO) 4 hours"),
        "{screen}"
    );
    assert!(!screen.contains("not saved"), "{screen}");

    // Emptied, the value is cleared, and the review says it is missing and jumps to it.
    t.press("e");
    for _ in 0.."4 hours".len() {
        t.press("<Bksp>");
    }
    // Enter saves it and goes on editing the response; Esc leaves that.
    t.press("<Enter> <Esc>");
    assert!(
        !load(&t).answers["partner-hosted"]["RES-001"]
            .values
            .contains_key("rpo")
    );
    t.press("r");
    assert_eq!(t.app.st.screen, Screen::Review);
    let i = t
        .app
        .st
        .report
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .position(|f| f.value.as_deref() == Some("rpo"))
        .expect("a finding for the missing RPO");
    t.app.st.review.sel = i;
    t.press("<Enter>");
    assert_eq!(t.app.st.screen, Screen::Interview);
    assert_eq!(t.app.st.selected_control().unwrap().id, "RES-001");
    assert_eq!(
        (t.app.st.focus, t.app.field()),
        (Pane::Answer, Field::Value(0))
    );
    t.press("q");
    assert!(t.app.quit, "nothing unsaved: q quits at once");
}

fn wait_export(t: &mut Tester) {
    t.wait_export();
}

#[test]
fn the_export_screen_builds_the_bundle_and_refuses_until_allowed() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.app.st.goto(Screen::Export);
    t.press("<Enter>");
    wait_export(&mut t);
    let screen = t.screen(100, 30);
    assert!(screen.contains("found"), "{screen}");
    assert!(!t.scratch.file("ftr-submission.zip").exists());
    // A draft is allowed with i, written under names of its own.
    t.press("i <Enter>");
    wait_export(&mut t);
    let screen = t.screen(100, 30);
    assert!(screen.contains("marked as a DRAFT"), "{screen}");
    // A draft never ends telling the user to submit it.
    assert!(screen.contains("not for the FTR request"), "{screen}");
    assert!(!screen.contains("Pick these"), "{screen}");
    assert!(t.scratch.file("ftr-submission-draft.zip").exists());
    assert!(!t.scratch.file("ftr-submission.zip").exists());
    // Ready: a clean bundle.
    let file = t.scratch.write("evidence/policy.pdf", "%PDF policy");
    make_ready(&mut t, &file);
    t.press("<Enter>");
    wait_export(&mut t);
    let screen = t.screen(120, 30);
    assert!(screen.contains("Wrote"), "{screen}");
    assert!(!screen.contains("marked as a DRAFT"), "{screen}");
    assert!(screen.contains("1 evidence file)"), "{screen}");
    // And which file goes into which slot of the upload form.
    assert!(
        screen.contains("FTR Checklist: ") && screen.contains("ftr-upload/self-assessment.xlsx"),
        "{screen}"
    );
    assert!(t.scratch.file("ftr-upload/self-assessment.xlsx").is_file());
}

#[test]
fn cancelling_an_export_leaves_nothing_behind() {
    let mut t = Tester::new();
    set_up(&mut t);
    // A large file keeps the export busy long enough to cancel it.
    let big = t.scratch.file("evidence/big.log");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    let line = "2026-11-26T10:00:00Z GET /v1/items 200 12ms\n".repeat(1 << 12);
    let mut f = std::fs::File::create(&big).unwrap();
    for _ in 0..400 {
        std::io::Write::write_all(&mut f, line.as_bytes()).unwrap();
    }
    drop(f);
    make_ready(&mut t, &big);
    let before: Vec<_> = std::fs::read_dir(t.scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    t.app.st.goto(Screen::Export);
    t.press("s <Enter> <Esc>");
    wait_export(&mut t);
    let screen = t.screen(100, 30);
    assert!(
        screen.contains("Cancelled; nothing was written."),
        "{screen}"
    );
    let after: Vec<_> = std::fs::read_dir(t.scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before.len(), after.len(), "{after:?}");
    // Quitting during an export cancels it and cleans up too.
    t.press("<Enter>");
    t.press("q");
    assert!(t.app.quit);
    let after: Vec<_> = std::fs::read_dir(t.scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before.len(), after.len(), "{after:?}");
}

#[test]
fn the_mouse_wheel_scrolls_the_pane_under_the_pointer_and_shift_tab_goes_back() {
    use ratatui::crossterm::event::{Event, KeyModifiers, MouseEvent, MouseEventKind};
    let mut t = Tester::new();
    set_up(&mut t);
    t.screen(100, 30); // lays out the panes the mouse is checked against
    let wheel = |t: &mut Tester, kind, area: ratatui::layout::Rect| {
        t.app.handle_event(Event::Mouse(MouseEvent {
            kind,
            column: area.x + 2,
            row: area.y + 2,
            modifiers: KeyModifiers::NONE,
        }));
    };
    let first = t.app.st.selected_control().unwrap().id.clone();
    let list = t.app.st.areas.list.get();
    wheel(&mut t, MouseEventKind::ScrollDown, list);
    wheel(&mut t, MouseEventKind::ScrollDown, list);
    assert_ne!(
        t.app.st.selected_control().unwrap().id,
        first,
        "the list scrolled"
    );
    wheel(&mut t, MouseEventKind::ScrollUp, list);
    wheel(&mut t, MouseEventKind::ScrollUp, list);
    assert_eq!(t.app.st.selected_control().unwrap().id, first);
    let guidance = t.app.st.areas.guidance.get();
    wheel(&mut t, MouseEventKind::ScrollDown, guidance);
    wheel(&mut t, MouseEventKind::ScrollDown, guidance);
    assert_eq!(t.app.interview.guidance_scroll, 2);
    assert_eq!(
        t.app.st.selected_control().unwrap().id,
        first,
        "the list stayed"
    );
    assert_eq!(
        t.app.st.focus,
        Pane::List,
        "scrolling does not move the focus"
    );
    t.press("<S-Tab>");
    assert_eq!(t.app.st.focus, Pane::Answer);
    t.press("<S-Tab>");
    assert_eq!(t.app.st.focus, Pane::Guidance);
}

/// A paste too big to save (the file would be over the size a load accepts) is refused with the
/// way out, the file stays as it was, and the text stays in the wizard until it fits.
#[test]
fn a_paste_too_big_to_save_stays_on_screen_and_the_file_is_kept() {
    let mut t = Tester::new();
    set_up(&mut t);
    while t.app.st.selected_control().unwrap().id != "IAM-001" {
        t.press("j");
    }
    t.press("m e");
    assert!(t.app.st.editor.is_some());
    let before = std::fs::read(t.project_path()).unwrap();
    let limit = usize::try_from(store::MAX_PROJECT_BYTES).unwrap();
    let big = "pasted log line ".repeat(limit / 16 + 1);
    t.paste(&big);
    // The draft saved after a second of idleness is refused.
    t.app.tick();
    let message = t.app.st.message.as_ref().expect("a message").text.clone();
    assert!(
        message.starts_with(
            "Not saved: the file would be over the 8.0 MB a project file may hold; \
             the response of IAM-001 takes 8.0 MB of it."
        ),
        "{message}"
    );
    assert!(
        message.contains("Shorten it, or attach long text as a file (f)"),
        "{message}"
    );
    assert!(t.app.st.unsaved);
    assert_eq!(std::fs::read(t.project_path()).unwrap(), before);
    // Typing on saves a draft again each second: one pending change, not a copy per draft.
    t.type_str("!");
    t.app.tick();
    assert_eq!(t.app.st.pending.len(), 1);
    t.press("<Esc>");
    assert!(t.app.st.editor.is_none());
    let typed = format!("{big}!");
    let in_memory = |t: &Tester| {
        t.app.st.project.as_ref().unwrap().project.answers["partner-hosted"]["IAM-001"]
            .response
            .clone()
    };
    assert_eq!(in_memory(&t), typed, "the text is kept");
    assert_eq!(std::fs::read(t.project_path()).unwrap(), before);
    // Quitting asks first, as for any change not on disk.
    t.press("q");
    assert!(!t.app.quit);
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Confirm { .. })));
    t.press("n");
    assert!(t.app.st.popups.is_empty());
    // The editor opens on the kept text; emptying the line and typing a short answer saves.
    t.press("e");
    assert_eq!(t.app.st.editor.as_ref().unwrap().text(), typed);
    t.press("<C-j>").type_str("Okta with MFA.").press("<Esc>");
    assert!(!t.app.st.unsaved);
    assert!(t.app.st.pending.is_empty());
    assert_eq!(
        load(&t).answers["partner-hosted"]["IAM-001"].response,
        "Okta with MFA."
    );
}

#[test]
fn the_diagram_and_security_reports_are_attached_on_the_profile() {
    let mut t = Tester::new();
    set_up(&mut t);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR diagram";
    t.scratch.write("docs/architecture diagram.png", png);
    t.scratch
        .write("reports/cis-eu.csv", "Control,Status\nIAM.1,PASSED\n");
    t.scratch
        .write("reports/cis-us.csv", "Control,Status\nIAM.1,FAILED\n");

    // The review sends a missing diagram to its row on the profile.
    t.app.st.goto(Screen::Review);
    let at = t
        .app
        .st
        .report
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .position(|f| f.code == Code::DiagramMissing)
        .expect("a missing diagram is reported");
    t.app.st.review.sel = at;
    t.press("<Enter>");
    assert_eq!(t.app.st.screen, Screen::Profile);
    assert_eq!(t.app.profile_row(), ProfileRow::Diagram);
    let screen = t.screen(100, 40);
    assert!(
        screen.contains("No architecture diagram is attached"),
        "{screen}"
    );

    // Enter types a path; Tab completes it, as for evidence.
    t.press("<Enter>").type_str("docs/arch").press("<Tab>");
    assert_eq!(
        t.app.st.editor.as_ref().unwrap().text(),
        "docs/architecture diagram.png"
    );
    t.press("<Enter>");
    assert!(t.app.st.editor.is_none());
    let d = load(&t).profile.diagram.expect("the diagram is attached");
    assert_eq!(d.path, "docs/architecture diagram.png");
    assert_eq!(d.size, png.len() as u64);
    assert_eq!(d.attached, common::now());
    let screen = t.screen(100, 40);
    assert!(
        screen.contains(&format!(
            "Diagram   ✓ docs/architecture diagram.png  {} B",
            png.len()
        )),
        "{screen}"
    );
    assert!(!screen.contains("No architecture diagram"), "{screen}");

    // f adds reports, one after the other; D dates the selected one.
    t.press("j f")
        .type_str("reports/cis-eu.csv")
        .press("<Enter>");
    t.press("f").type_str("reports/cis-us.csv").press("<Enter>");
    assert_eq!(t.app.profile_row(), ProfileRow::Report(1));
    t.press("D").type_str("2026-10-01").press("<Enter>");
    let p = load(&t);
    let reports: Vec<_> = p
        .profile
        .security_reports
        .iter()
        .map(|e| (e.path.as_str(), e.produced.map(|d| d.to_string())))
        .collect();
    assert_eq!(
        reports,
        vec![
            ("reports/cis-eu.csv", None),
            ("reports/cis-us.csv", Some("2026-10-01".to_string())),
        ]
    );
    let screen = t.screen(100, 40);
    assert!(screen.contains("✓ reports/cis-us.csv"), "{screen}");
    assert!(
        screen.contains("reports/cis-us.csv dates from 2026-10-01 (56 days ago)"),
        "{screen}"
    );

    // d detaches the selected report, after a yes; the file stays on disk.
    t.press("d");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Confirm { .. })));
    t.press("n");
    assert_eq!(load(&t).profile.security_reports.len(), 2);
    t.press("d y");
    let p = load(&t);
    assert_eq!(p.profile.security_reports.len(), 1);
    assert_eq!(p.profile.security_reports[0].path, "reports/cis-eu.csv");
    assert!(t.scratch.file("reports/cis-us.csv").exists());
    // And the diagram the same way.
    t.press("g");
    while t.app.profile_row() != ProfileRow::Diagram {
        t.press("j");
    }
    t.press("d y");
    assert_eq!(load(&t).profile.diagram, None);
    assert!(
        t.app
            .st
            .report
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .any(|f| f.code == Code::DiagramMissing && f.slot == Some(Slot::Diagram))
    );
}

/// The header's count of what AWS's sheet will grade: (pass, fail).
fn sheet_counts(t: &mut Tester) -> (usize, usize) {
    let screen = t.screen(200, 60);
    let header = screen.lines().next().unwrap().to_string();
    let at = header
        .find("AWS sheet ")
        .unwrap_or_else(|| panic!("no sheet count in the header: {header}"));
    let words: Vec<&str> = header[at + "AWS sheet ".len()..]
        .split_whitespace()
        .collect();
    assert_eq!(
        (words[1], words[3].trim_end_matches(['│', ','])),
        ("pass,", "fail"),
        "{header}"
    );
    (words[0].parse().unwrap(), words[2].parse().unwrap())
}

/// A control's rows in AWS's workbook are answered with their choices' keys in the answer
/// pane: IAM-005.1 follows the scoping answer (third parties have access), `s` answers
/// IAM-005.2 Static and the control is not met, with the pane saying which answer would pass;
/// `t` makes it Temporary, met, and the sheet passes it. On the status (not a row) the same
/// letters answer no row.
#[test]
fn workbook_rows_are_answered_with_their_keys_and_the_status_and_grade_follow() {
    let mut t = Tester::new();
    set_up(&mut t);
    assert_eq!(load(&t).scoping.get("third_party_access"), Some(&true));
    assert!(t.app.select_control("IAM-005"));
    t.app.st.focus = Pane::Answer;
    assert_eq!(
        t.app.fields()[..4],
        [Field::Status, Field::Row(0), Field::Row(1), Field::Response]
    );
    let screen = t.screen(140, 40);
    assert!(
        screen.contains("Row .1    [Yes] No  (the scoping answer)"),
        "IAM-005.1 shows the scoping answer: {screen}"
    );
    assert!(
        screen.contains("Row .2    Static Temporary N/A  s t a"),
        "{screen}"
    );
    assert!(
        screen.contains(
            "AWS       ✗ the sheet grades it fail: IAM-005.2 is unanswered (Temporary passes)"
        ),
        "{screen}"
    );

    // On the status, the rows' letters answer nothing.
    assert_eq!(t.app.field(), Field::Status);
    let before = load(&t);
    t.press("y s t");
    let after = load(&t);
    assert_eq!(
        after.answers, before.answers,
        "no row answered from the status"
    );
    assert_eq!(after.scoping, before.scoping);
    assert_eq!(after.workbook, before.workbook);
    assert_eq!(t.app.field(), Field::Status);

    // `s` on IAM-005.2: Static, and the control is not met.
    down_to(&mut t, Field::Row(1));
    let (pass, fail) = sheet_counts(&mut t);
    t.press("s");
    let a = load(&t).answers["partner-hosted"]["IAM-005"].clone();
    assert_eq!(a.rows.get("IAM-005.2").map(String::as_str), Some("Static"));
    assert_eq!(a.status, Status::NotMet, "the status follows the rows");
    assert_eq!(
        t.app.field(),
        Field::Row(1),
        "the last row stays selected: no row follows it"
    );
    let said = &t.app.st.message.as_ref().unwrap().text;
    assert!(said.contains("IAM-005.2: Static"), "{said}");
    let screen = t.screen(140, 40);
    assert!(
        screen.contains("Row .2    [Static] Temporary N/A"),
        "{screen}"
    );
    assert!(
        screen.contains(
            "AWS       ✗ the sheet grades it fail: IAM-005.2 is Static (Temporary passes)"
        ),
        "{screen}"
    );
    assert_eq!(sheet_counts(&mut t), (pass, fail), "still failing");

    // `t`: Temporary, met, and the sheet grades it pass.
    t.press("t");
    let a = load(&t).answers["partner-hosted"]["IAM-005"].clone();
    assert_eq!(
        a.rows.get("IAM-005.2").map(String::as_str),
        Some("Temporary")
    );
    assert_eq!(a.status, Status::Met);
    let screen = t.screen(140, 40);
    assert!(
        screen.contains("Row .2    Static [Temporary] N/A"),
        "{screen}"
    );
    assert!(
        screen.contains("AWS       ✓ the sheet grades it pass"),
        "{screen}"
    );
    assert!(!screen.contains("IAM-005.2 is Static"), "{screen}");
    assert_eq!(sheet_counts(&mut t), (pass + 1, fail - 1));
    // IAM-005.1 kept the scoping answer throughout.
    assert_eq!(load(&t).scoping.get("third_party_access"), Some(&true));
}

/// Ctrl-U in a text field deletes to the start of the line, as in a shell, not one character.
#[test]
fn ctrl_u_deletes_to_the_start_of_the_line() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("<Tab> <Tab>"); // the answer pane
    down_to(&mut t, Field::Response);
    t.press("<Enter>");
    t.paste("First line stays\nsecond line goes");
    t.press("<C-u>");
    assert_eq!(
        t.app.st.editor.as_ref().unwrap().text().trim_end(),
        "First line stays",
        "Ctrl-U removes what is before the cursor on its line only"
    );
    t.type_str("kept").press("<Tab>");
    let id = t.app.st.selected_control().unwrap().id.clone();
    assert_eq!(
        load(&t).answers["partner-hosted"][&id].response,
        "First line stays\nkept"
    );
}

/// Enter on a scoping or prerequisite finding lands on that question, not the first one.
#[test]
fn enter_on_a_scoping_or_prerequisite_finding_lands_on_its_question() {
    let mut t = Tester::new();
    set_up(&mut t);
    let lib = Library::embedded().unwrap();
    let checklist = lib.checklist("partner-hosted").unwrap();
    let last_question = checklist.scoping.last().unwrap().id.clone();
    let last_prereq = lib.prerequisites.last().unwrap().id.clone();
    // Everything answered but the last question of each list.
    store::Loaded::update(&t.project_path(), &lib, |l| {
        for q in &checklist.scoping {
            l.project.scoping.insert(q.id.clone(), true);
        }
        l.project.scoping.remove(&last_question);
        for p in &lib.prerequisites {
            l.project.prerequisites.insert(
                p.id.clone(),
                ftr_wizard::assessment::PrereqAnswer::Count(99),
            );
        }
        l.project.prerequisites.remove(&last_prereq);
        Ok(())
    })
    .unwrap();
    t.app.tick();
    for (code, screen, want) in [
        (
            Code::ScopingUnanswered,
            Screen::Scoping,
            checklist.scoping.len() - 1,
        ),
        (
            Code::PrerequisiteUnanswered,
            Screen::Prerequisites,
            lib.prerequisites.len() - 1,
        ),
    ] {
        t.press("r");
        let i = t
            .app
            .st
            .report
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .position(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code:?} finding"));
        t.app.st.review.sel = i;
        t.press("<Enter>");
        assert_eq!(t.app.st.screen, screen);
        let sel = match screen {
            Screen::Scoping => t.app.scoping.sel,
            _ => t.app.prereqs.sel,
        };
        assert_eq!(sel, want, "{code:?} landed on item {sel}, not {want}");
    }
}

// ---- a newer version of the checklist ----

/// A partner-hosted project on 2026-02 with IAM-001, IAM-002 (reworded in 2026-08) and
/// RES-007 (removed in 2026-08) answered, opened with 2026-08 installed.
fn on_2026_02_with_2026_08_installed() -> Tester {
    on_2026_02_with(
        release::checklist(),
        &["IAM-001", release::REWORDED, release::REMOVED],
    )
}

/// A partner-hosted project on 2026-02 with `answered` met, opened with `next` (a 2026-08)
/// installed.
fn on_2026_02_with(next: ftr_wizard::content::Checklist, answered: &[&str]) -> Tester {
    use ftr_wizard::assessment::Project;
    use ftr_wizard::assessment::edit::{self, AnswerChange};
    let mut t = Tester::new();
    let lib = Library::embedded().unwrap();
    let c = lib.checklist("partner-hosted").unwrap();
    let mut p = Project::new();
    p.profile.company = "Acme".into();
    p.choose_model(c, true);
    for &id in answered {
        let change = AnswerChange {
            status: Some(Status::Met),
            response: Some("A written answer long enough for a reviewer to read.".into()),
            ..Default::default()
        };
        edit::apply_answer(&mut p, c, id, change, t.scratch.path()).unwrap();
    }
    store::Loaded::create(&t.project_path(), p).save().unwrap();
    release::install_this(&mut t.app.st.library, next);
    let path = t.project_path();
    t.app.open(&path).unwrap();
    t
}

/// After a move to a release that retitled one control and changed another's workbook rows,
/// both answers are marked to review, and the guidance pane shows what each said before: the
/// earlier title (not the question, which is the same), and the rows changed and added.
#[test]
fn after_a_move_a_retitled_control_or_changed_rows_show_what_they_said_before() {
    use release::{DETAILED, NEW_ROW_ADDED, NEW_TITLE, OLD_ROW, OLD_TITLE, RETITLED};
    let mut next = release::parse(&release::details());
    let c = next.controls.iter_mut().find(|c| c.id == RETITLED).unwrap();
    c.title = NEW_TITLE.into();
    let mut t = on_2026_02_with(next, &[RETITLED, DETAILED, "IAM-003"]);
    t.press("m y");
    assert!(t.app.st.popups.is_empty());
    let answers = &t.app.st.proj().unwrap().answers["partner-hosted"];
    assert_eq!(answers[RETITLED].review, release::NEXT);
    assert_eq!(answers[DETAILED].review, release::NEXT);
    assert!(answers["IAM-003"].review.is_empty(), "carried as it is");
    assert!(t.app.select_control(RETITLED));
    let screen = t.screen(200, 60);
    assert!(
        screen.contains(&format!("Title before partner-hosted@2026-02: {OLD_TITLE}")),
        "{screen}"
    );
    assert!(
        !screen.contains("Before partner-hosted@2026-02"),
        "{screen}"
    );
    assert!(t.app.select_control(DETAILED));
    let screen = t.screen(200, 60);
    for line in [
        format!("RES-001.1 before partner-hosted@2026-02: {OLD_ROW}"),
        format!("RES-001.2 is new since partner-hosted@2026-02: {NEW_ROW_ADDED}"),
    ] {
        assert!(screen.contains(&line), "{line}\n{screen}");
    }
    assert!(
        !screen.contains("Before partner-hosted@2026-02"),
        "{screen}"
    );
}

/// The project as on disk, read with 2026-08 installed.
fn load_installed(t: &Tester) -> ftr_wizard::assessment::Project {
    store::load(&t.project_path(), &release::library())
        .unwrap()
        .project
}

/// The backups beside the project file.
fn backups(t: &Tester) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(t.scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".bak"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_newer_checklist_is_asked_about_once_per_opening_and_esc_changes_nothing() {
    let mut t = on_2026_02_with_2026_08_installed();
    let before = std::fs::read(t.project_path()).unwrap();
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Newer { .. })));
    let screen = t.screen(80, 24);
    assert!(
        screen.contains("A newer checklist is installed"),
        "{screen}"
    );
    // Later: the header keeps a reminder, and the question is not asked again meanwhile.
    t.press("<Esc>");
    assert!(t.app.st.popups.is_empty());
    assert!(
        t.app
            .st
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("Staying on")
    );
    t.press("] [ j k");
    assert!(t.app.st.popups.is_empty());
    let screen = t.screen(80, 24);
    assert!(screen.contains("2026-08 available"), "{screen}");
    // What changed, then the preview, then Esc, n or q: nothing changes.
    for cancel in ["<Esc>", "n", "q"] {
        t.press("c");
        assert!(matches!(
            t.app.st.popups.top(),
            Some(Popup::Changes { can_move: true, .. })
        ));
        let screen = t.screen(100, 40);
        assert!(screen.contains(release::REWORDED), "{screen}");
        assert!(screen.contains("rotate it and watch"), "{screen}");
        t.press("m");
        assert!(matches!(t.app.st.popups.top(), Some(Popup::Migrate { .. })));
        t.press(cancel);
        assert!(t.app.st.popups.is_empty());
        assert!(!t.app.quit);
        assert!(
            t.app
                .st
                .message
                .as_ref()
                .unwrap()
                .text
                .contains("Nothing changed")
        );
    }
    assert_eq!(std::fs::read(t.project_path()).unwrap(), before);
    assert!(backups(&t).is_empty());
    assert_eq!(t.app.st.checklist().unwrap().version, "2026-02");
    // The review lists the newer version; Enter on it shows what changed.
    t.press("r");
    let i = t
        .app
        .st
        .report
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .position(|f| f.code == Code::ChecklistNewer)
        .expect("a checklist-newer finding");
    t.app.st.review.sel = i;
    t.press("<Enter>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Changes { .. })));
    t.press("<Esc>");
    // Opening the project again asks again.
    let path = t.project_path();
    t.app.open(&path).unwrap();
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Newer { .. })));
}

#[test]
fn confirming_the_move_keeps_a_backup_and_marks_the_reworded_answer_until_v() {
    let mut t = on_2026_02_with_2026_08_installed();
    let before = std::fs::read_to_string(t.project_path()).unwrap();
    // From the question straight to the preview, and y.
    t.press("m");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Migrate { .. })));
    t.press("y");
    assert!(t.app.st.popups.is_empty());
    assert!(!t.app.st.unsaved);
    let msg = t.app.st.message.clone().unwrap().text;
    assert!(msg.contains("ftr-assessment.toml.2026-02.bak"), "{msg}");
    assert!(msg.contains(release::REWORDED), "{msg}");
    assert_eq!(backups(&t), ["ftr-assessment.toml.2026-02.bak"]);
    assert_eq!(
        std::fs::read_to_string(t.scratch.file("ftr-assessment.toml.2026-02.bak")).unwrap(),
        before,
        "the file as it was is kept beside it"
    );
    let p = load_installed(&t);
    assert_eq!(p.delivery.version, "2026-08");
    let answers = &p.answers["partner-hosted"];
    assert_eq!(answers[release::REWORDED].review, release::NEXT);
    assert!(answers["IAM-001"].review.is_empty(), "carried as it is");
    assert!(answers.contains_key(release::REMOVED), "kept in the file");
    assert_eq!(p.migrations.len(), 1);
    assert_eq!(p.migrations[0].from, "2026-02");
    assert_eq!(p.migrations[0].to, "2026-08");
    assert_eq!(p.migrations[0].on.to_string(), common::TODAY);
    assert_eq!(t.app.st.proj().unwrap(), &p, "what is on screen is on disk");
    assert!(!t.screen(80, 24).contains("available"));
    let to_review = |t: &Tester| {
        t.app
            .st
            .report
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .filter(|f| f.code == Code::AnswerToReview)
            .filter_map(|f| f.control.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(to_review(&t), [release::REWORDED]);

    // In the interview the answer is marked in the list and said in the answer pane, with
    // the earlier wording beside the new one.
    assert!(t.app.select_control(release::REWORDED));
    t.app.st.focus = Pane::List;
    t.app.st.message = None;
    let screen = t.screen(140, 40);
    assert!(
        screen.contains(&format!("{}   ?Monitor", release::REWORDED)),
        "{screen}"
    );
    assert!(
        screen.contains("Reworded in partner-hosted@2026-08: review and confirm"),
        "{screen}"
    );
    assert!(
        screen.contains("Before partner-hosted@2026-02: Are all long-lived"),
        "{screen}"
    );
    assert!(screen.contains("v reviewed"), "the footer names the key");
    // v confirms it.
    t.press("v");
    assert!(
        load_installed(&t).answers["partner-hosted"][release::REWORDED]
            .review
            .is_empty()
    );
    assert!(to_review(&t).is_empty());
    assert!(!t.screen(140, 40).contains("Reworded in"));
    // Not asked again; c now shows what the last move changed, without moving.
    let path = t.project_path();
    t.app.open(&path).unwrap();
    assert!(t.app.st.popups.is_empty());
    t.press("c");
    assert!(matches!(
        t.app.st.popups.top(),
        Some(Popup::Changes {
            can_move: false,
            ..
        })
    ));
    t.press("m");
    assert!(
        matches!(t.app.st.popups.top(), Some(Popup::Changes { .. })),
        "no move from here"
    );
}

#[test]
fn changing_the_status_of_a_reworded_answer_confirms_it_too() {
    let mut t = on_2026_02_with_2026_08_installed();
    t.press("m y");
    assert!(t.app.select_control(release::REWORDED));
    t.app.st.focus = Pane::List;
    t.press("x");
    let a = &load_installed(&t).answers["partner-hosted"][release::REWORDED];
    assert_eq!(a.status, Status::NotMet);
    assert!(a.review.is_empty());
}

#[test]
fn a_file_changed_on_disk_before_the_move_is_read_again_and_previewed_again() {
    let mut t = on_2026_02_with_2026_08_installed();
    t.press("m");
    answer_elsewhere(&t, "IAM-003", "Answered elsewhere.");
    t.press("y");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Migrate { .. })));
    assert!(
        t.app
            .st
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("changed on disk")
    );
    assert!(backups(&t).is_empty());
    assert_eq!(load_installed(&t).delivery.version, "2026-02");
    let before = std::fs::read_to_string(t.project_path()).unwrap();
    assert!(before.contains("Answered elsewhere."));
    t.press("y");
    let p = load_installed(&t);
    assert_eq!(p.delivery.version, "2026-08");
    assert_eq!(
        p.answers["partner-hosted"]["IAM-003"].response,
        "Answered elsewhere."
    );
    assert_eq!(
        std::fs::read_to_string(t.scratch.file("ftr-assessment.toml.2026-02.bak")).unwrap(),
        before
    );
}

/// Behind the "terminal too small" notice no key but quit and help acts: a sentence typed then
/// changes no answer the screen does not show.
#[test]
fn keys_behind_the_too_small_notice_change_nothing() {
    let mut t = Tester::new();
    set_up(&mut t);
    while t.app.st.selected_control().unwrap().id != "IAM-001" {
        t.press("j");
    }
    let before = std::fs::read_to_string(t.project_path()).unwrap();
    let screen = t.screen(60, 20);
    assert!(screen.contains("q (quit) and ? (help) act"), "{screen}");
    t.type_str("a mix of x and m keys");
    assert_eq!(std::fs::read_to_string(t.project_path()).unwrap(), before);
    assert!(t.app.st.editor.is_none() && t.app.st.popups.is_empty());
    // Larger again, the same key acts.
    t.screen(100, 30);
    t.press("x");
    assert_ne!(std::fs::read_to_string(t.project_path()).unwrap(), before);
}

// ---- fields changed two ways ----

const HEAD_TEXT: &str = "Okta enforces MFA for all staff.";
const CTO_TEXT: &str =
    "Okta enforces MFA for staff and contractors; break-glass users use hardware keys.";

/// A partner-hosted project file as `git merge` leaves it when both branches changed IAM-001's
/// response: HEAD's text and cto's between conflict markers, the rest a valid project. With
/// `count`, the ACE opportunities count (a number, not a text) conflicts too.
fn write_marker_file(t: &Tester, count: bool) {
    let lib = Library::embedded().unwrap();
    let c = lib.checklist("partner-hosted").unwrap();
    let mut p = ftr_wizard::assessment::Project::new();
    p.profile.company = "Acme Ltd".into();
    p.profile.product = "Widget Cloud".into();
    p.choose_model(c, true);
    p.prerequisites.insert(
        "ace_opportunities".into(),
        ftr_wizard::assessment::PrereqAnswer::Count(4),
    );
    let dir = t.scratch.path().to_path_buf();
    ftr_wizard::assessment::edit::apply_answer(
        &mut p,
        c,
        "IAM-001",
        ftr_wizard::assessment::edit::AnswerChange {
            status: Some(Status::Met),
            response: Some("RESPONSE".into()),
            ..Default::default()
        },
        &dir,
    )
    .unwrap();
    store::Loaded::create(&t.project_path(), p).save().unwrap();
    let mut text = std::fs::read_to_string(t.project_path()).unwrap();
    let line = "response = \"RESPONSE\"\n";
    assert!(text.contains(line), "{text}");
    text = text.replace(
        line,
        &format!(
            "<<<<<<< HEAD\nresponse = \"{HEAD_TEXT}\"\n=======\nresponse = \"{CTO_TEXT}\"\n>>>>>>> cto\n"
        ),
    );
    if count {
        let line = "ace_opportunities = 4\n";
        assert!(text.contains(line), "{text}");
        text = text.replace(
            line,
            "<<<<<<< HEAD\nace_opportunities = 4\n=======\nace_opportunities = 6\n>>>>>>> cto\n",
        );
    }
    std::fs::write(t.project_path(), text).unwrap();
}

fn response_of(p: &ftr_wizard::assessment::Project, id: &str) -> String {
    p.answers["partner-hosted"][id].response.clone()
}

pub(crate) fn message(t: &Tester) -> String {
    t.app
        .st
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_file_with_conflict_markers_opens_on_the_resolve_screen_and_t_keeps_theirs() {
    let mut t = Tester::new();
    write_marker_file(&t, false);
    assert!(
        store::load(&t.project_path(), &Library::embedded().unwrap()).is_err(),
        "a plain load refuses the markers"
    );
    let path = t.project_path();
    t.app.open(&path).unwrap();
    assert_eq!(t.app.st.screen, Screen::Resolve);
    // Saved at once: valid TOML that every command reads, both values in [[conflicts]].
    let disk = std::fs::read_to_string(t.project_path()).unwrap();
    assert!(
        !disk.contains("<<<<<<<") && disk.contains("[[conflicts]]"),
        "{disk}"
    );
    let p = load(&t);
    assert_eq!(p.conflicts.len(), 1);
    assert_eq!(
        p.conflicts[0].at,
        ["answers", "partner-hosted", "IAM-001", "response"]
    );
    assert_eq!(response_of(&p, "IAM-001"), HEAD_TEXT, "the file holds ours");
    assert!(
        message(&t).contains("had git conflict markers"),
        "{}",
        message(&t)
    );

    // The header says so in full where there is room, shorter (for the progress) on 80x24.
    let wide = t.screen(120, 30);
    assert!(wide.contains("1 conflict: R to resolve"), "{wide}");
    let screen = t.screen(80, 24);
    assert!(screen.contains("1 conflict (R)"), "{screen}");
    assert!(screen.contains("IAM-001 (response)"), "{screen}");
    assert!(
        screen.contains("Ours: HEAD, the branch merged into"),
        "{screen}"
    );
    assert!(
        screen.contains("Theirs: cto, the branch merged in"),
        "{screen}"
    );
    assert!(screen.contains(HEAD_TEXT), "{screen}");
    // The longer text is wrapped, in full.
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("break-glass users use hardware"), "{screen}");

    t.press("t");
    let p = load(&t);
    assert_eq!(response_of(&p, "IAM-001"), CTO_TEXT);
    assert!(p.conflicts.is_empty());
    assert!(
        !std::fs::read_to_string(t.project_path())
            .unwrap()
            .contains("[[conflicts]]")
    );
    assert_eq!(
        message(&t),
        "All conflicts resolved; git add ftr-assessment.toml and commit to finish the merge"
    );
    // Back where the wizard would have opened: its first unfinished step (no scoping yet).
    assert_eq!(t.app.st.screen, Screen::Scoping);
    let header = t.screen(80, 24).lines().next().unwrap().to_string();
    assert!(!header.contains("conflict"), "{header}");
}

#[test]
fn e_edits_our_text_into_the_one_kept_and_other_values_are_kept_by_side() {
    let mut t = Tester::new();
    write_marker_file(&t, true);
    let path = t.project_path();
    t.app.open(&path).unwrap();
    assert_eq!(t.app.st.screen, Screen::Resolve);
    assert_eq!(t.app.st.conflicts().len(), 2);
    assert!(t.screen(120, 30).contains("2 conflicts: R to resolve"));
    // The count is not a text: e says so, and nothing changes.
    let count = t
        .app
        .st
        .conflicts()
        .iter()
        .position(|c| c.at.last().unwrap() == "ace_opportunities")
        .unwrap();
    let response = 1 - count;
    t.press(if count == 0 { "g" } else { "G" });
    t.press("e");
    assert!(t.app.st.editor.is_none());
    assert!(
        message(&t).contains("Only texts can be edited"),
        "{}",
        message(&t)
    );
    // The response: the editor starts from ours; leaving it unchanged resolves nothing.
    t.press(if response == 0 { "g" } else { "G" });
    t.press("e");
    assert_eq!(t.app.st.editor.as_ref().unwrap().text(), HEAD_TEXT);
    t.press("<Esc>");
    assert_eq!(load(&t).conflicts.len(), 2);
    // Typed and saved: that text is kept, and the count is left.
    t.press("e <C-u>")
        .type_str("Okta MFA for everyone, contractors included.");
    t.app.tick(); // idle while typing: a conflict's text is not saved half-typed
    assert_eq!(load(&t).conflicts.len(), 2);
    t.press("<Esc>");
    let p = load(&t);
    assert_eq!(
        response_of(&p, "IAM-001"),
        "Okta MFA for everyone, contractors included."
    );
    assert_eq!(p.conflicts.len(), 1);
    assert_eq!(t.app.st.screen, Screen::Resolve, "one is left");
    assert!(
        message(&t).contains("Kept the text you edited"),
        "{}",
        message(&t)
    );
    // o keeps ours.
    t.press("o");
    let p = load(&t);
    assert!(p.conflicts.is_empty());
    assert_eq!(
        p.prerequisites["ace_opportunities"],
        ftr_wizard::assessment::PrereqAnswer::Count(4)
    );
}

#[test]
fn esc_leaves_the_conflict_for_later_and_the_review_and_r_lead_back() {
    let mut t = Tester::new();
    write_marker_file(&t, false);
    let path = t.project_path();
    t.app.open(&path).unwrap();
    let back = t.app.st.resolve.back;
    t.press("<Esc>");
    assert_eq!(t.app.st.screen, back);
    let p = load(&t);
    assert_eq!(p.conflicts.len(), 1, "the conflict stays");
    // The review lists it; Enter on it opens the resolve screen.
    t.press("r");
    let report = t.app.st.report.clone().unwrap();
    let at = report
        .findings
        .iter()
        .position(|f| f.code == Code::MergeConflict)
        .expect("a merge-conflict finding");
    assert_eq!(report.findings[at].control.as_deref(), Some("IAM-001"));
    t.app.st.review.sel = at;
    t.press("<Enter>");
    assert_eq!(t.app.st.screen, Screen::Resolve);
    t.press("<Esc>");
    assert_eq!(t.app.st.screen, Screen::Review);
    // R, from anywhere.
    t.press("]");
    assert_eq!(t.app.st.screen, Screen::Export);
    t.press("R");
    assert_eq!(t.app.st.screen, Screen::Resolve);
    t.press("?");
    let help = t.screen(100, 80);
    assert!(help.contains("o keeps ours, t keeps theirs"), "{help}");
    t.press("<Esc> t");
    assert_eq!(t.app.st.screen, Screen::Export, "back where R was pressed");
    t.press("R");
    assert_eq!(t.app.st.screen, Screen::Export);
    assert!(
        message(&t).starts_with("Nothing to resolve"),
        "{}",
        message(&t)
    );
}

#[test]
fn a_change_on_disk_to_another_control_is_merged_in_one_tick_keeping_what_is_typed() {
    let mut t = Tester::new();
    set_up(&mut t);
    let id = t.app.st.selected_control().unwrap().id.clone();
    // Met, then a response typed (not saved yet) when a teammate answers another control.
    t.press("m e").type_str("Typed in this window.");
    answer_elsewhere(&t, "RCVP-001", "Answered by a teammate.");
    t.app.tick();
    assert!(t.app.st.popups.is_empty());
    assert_eq!(
        message(&t),
        "Merged changes from the file on disk: RCVP-001 (status, response)."
    );
    assert!(t.app.st.editor.is_some(), "still typing");
    let p = load(&t);
    assert_eq!(response_of(&p, "RCVP-001"), "Answered by a teammate.");
    assert_eq!(response_of(&p, &id), "Typed in this window.");
    assert_eq!(p.answers["partner-hosted"][&id].status, Status::Met);
    assert!(p.conflicts.is_empty());
    t.type_str(" More.").press("<Esc>");
    assert_eq!(response_of(&load(&t), &id), "Typed in this window. More.");
    assert_eq!(
        response_of(&load(&t), "RCVP-001"),
        "Answered by a teammate."
    );
}

#[test]
fn a_change_on_disk_to_the_field_being_typed_opens_the_resolve_screen_with_both() {
    let mut t = Tester::new();
    set_up(&mut t);
    let id = t.app.st.selected_control().unwrap().id.clone();
    t.press("<Tab> <Tab>");
    down_to(&mut t, Field::Response);
    t.press("e").type_str("Mine: typed in this window.");
    answer_elsewhere(&t, &id, "Theirs: written on disk meanwhile.");
    t.app.tick();
    assert!(t.app.st.popups.is_empty());
    assert_eq!(t.app.st.screen, Screen::Resolve);
    assert!(t.app.st.editor.is_none());
    let said = message(&t);
    assert!(said.contains("Changed two ways"), "{said}");
    // Both are kept in the file meanwhile: ours in the field, theirs beside it.
    let p = load(&t);
    assert_eq!(response_of(&p, &id), "Mine: typed in this window.");
    assert_eq!(p.conflicts.len(), 1);
    assert_eq!(
        p.answers["partner-hosted"][&id].status,
        Status::Met,
        "theirs alone"
    );
    let screen = t.screen(80, 24);
    assert!(screen.contains("Yours (this window)"), "{screen}");
    assert!(screen.contains("On disk"), "{screen}");
    assert!(screen.contains("Mine: typed in this window."), "{screen}");
    assert!(
        screen.contains("Theirs: written on disk meanwhile."),
        "{screen}"
    );
    // Once the message is read, the footer names the sides as the pane does.
    t.press("j");
    let screen = t.screen(80, 24);
    assert!(screen.contains("o keep yours · t keep disk's"), "{screen}");
    t.press("o");
    let p = load(&t);
    assert_eq!(response_of(&p, &id), "Mine: typed in this window.");
    assert!(p.conflicts.is_empty());
    assert_eq!(t.app.st.screen, Screen::Interview);
    assert_eq!(
        message(&t),
        "All conflicts resolved; the file on disk holds the values you kept."
    );
}

// ---- undo and redo ----

/// Goes to `id` on the interview list.
fn select(t: &mut Tester, id: &str) {
    while t.app.st.selected_control().unwrap().id != id {
        t.press("j");
    }
}

/// A sentence typed with the focus on the list (not in a text field) runs letters as commands;
/// one `z` after it puts every answer back, and `Z` makes it again.
#[test]
fn a_sentence_typed_outside_a_text_field_is_undone_by_one_key() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("m e")
        .type_str("Okta with MFA for everyone.")
        .press("<Esc>");
    t.app.tick(); // a pause: what follows is a burst of its own
    let before = load(&t);
    t.press("<Esc>"); // back to the list
    t.type_str("a mix of x and m keys");
    t.press("<Esc>");
    let typed = load(&t);
    assert_ne!(
        typed.answers, before.answers,
        "the sentence changed answers"
    );
    let shown = t.screen(100, 30);
    assert!(shown.contains("z undoes"), "{shown}");
    t.press("z");
    assert_eq!(load(&t).answers, before.answers);
    assert_eq!(
        load(&t)
            .answer("partner-hosted", "IAM-001")
            .unwrap()
            .response,
        "Okta with MFA for everyone."
    );
    let shown = t.screen(100, 30);
    assert!(shown.contains("Undone:"), "{shown}");
    // Redo makes the burst again; undo takes it back again.
    t.press("Z");
    assert_eq!(load(&t).answers, typed.answers);
    t.press("z");
    assert_eq!(load(&t).answers, before.answers);
}

/// Each pause ends a step; undo walks back through steps across screens, and is saved.
#[test]
fn undo_and_redo_walk_through_steps_across_screens() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("x");
    t.app.tick();
    let after_first = load(&t);
    // A change on another screen: the company name on the profile.
    t.press("[ [ [");
    assert_eq!(t.app.st.screen, ftr_wizard::tui::app::Screen::Profile);
    t.press("g <Enter>").type_str(" Group").press("<Esc>");
    t.app.tick();
    assert_eq!(load(&t).profile.company, "Acme Ltd Group");
    // Back on the interview, two undos: the company, then the status.
    t.press("] ] ]");
    t.press("z");
    assert_eq!(load(&t).profile.company, "Acme Ltd");
    assert_eq!(load(&t).answers, after_first.answers);
    t.press("z");
    assert!(load(&t).answer("partner-hosted", "IAM-001").is_none());
    // Undo is saved: a restarted wizard reads the undone file.
    t.restart();
    assert!(load(&t).answer("partner-hosted", "IAM-001").is_none());
}

/// An answer a teammate saved meanwhile stays when the user undoes their own change.
#[test]
fn undo_keeps_what_changed_on_disk_meanwhile() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("x");
    t.app.tick();
    // A teammate answers IAM-002 from the command line.
    answer_elsewhere(&t, "IAM-002", "Keys rotate.");
    t.app.tick();
    t.press("z");
    let p = load(&t);
    assert!(p.answer("partner-hosted", "IAM-001").is_none(), "undone");
    teammates_answer_stays(&p);
}

/// The answer `answer_elsewhere` gave IAM-002 in the undo tests is still there.
fn teammates_answer_stays(p: &ftr_wizard::assessment::Project) {
    assert_eq!(
        p.answer("partner-hosted", "IAM-002").unwrap().response,
        "Keys rotate.",
        "the teammate's answer stays"
    );
}

/// Tab in a text field saves it and goes on editing the next field: what is typed next lands
/// there, never runs as commands. In the profile it moves down the rows the same way.
#[test]
fn tab_in_a_text_field_keeps_editing_in_the_next_field() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("a"); // not applicable: status, response, reason, notes
    t.app.tick();
    assert_eq!(t.app.st.focus, Pane::Answer);
    let fields = t.app.fields();
    assert!(fields.contains(&Field::Reason), "{fields:?}");
    // Edit the response, then Tab: the reason is edited next.
    let at = |t: &Tester| t.app.fields().iter().position(|f| *f == t.app.field());
    let response = fields.iter().position(|f| *f == Field::Response).unwrap();
    while at(&t).unwrap() > response {
        t.press("<Up>");
    }
    while at(&t).unwrap() < response {
        t.press("<Down>");
    }
    assert_eq!(t.app.field(), Field::Response);
    t.press("e").type_str("Not used.").press("<Tab>");
    assert!(t.app.st.editor.is_some(), "still editing after Tab");
    assert_eq!(t.app.field(), Field::Reason);
    t.type_str("We hold no customer accounts, so no cross-account roles.")
        .press("<Esc>");
    let a = load(&t).answers["partner-hosted"]["IAM-001"].clone();
    assert_eq!(a.response, "Not used.");
    assert_eq!(
        a.reason,
        "We hold no customer accounts, so no cross-account roles."
    );
    assert_eq!(
        a.status,
        Status::NotApplicable,
        "no letter ran as a command"
    );
    // The profile: Tab from the company goes on to the product.
    t.press("[ [ [");
    t.press("g <Enter>");
    t.press("<Tab>").type_str(" 2").press("<Enter>");
    let p = load(&t);
    assert_eq!(p.profile.company, "Acme Ltd");
    assert_eq!(p.profile.product, "Widget Cloud 2");
    // Enter saved the product and went on to the contact, as Tab does: what is typed next
    // lands there, never run as keys or held as typing.
    assert!(t.app.st.editor.is_some(), "still editing after Enter");
    t.type_str("Jane Doe").press("<Enter>");
    t.type_str("jane@example.com").press("<Enter>");
    assert!(t.app.st.popups.is_empty(), "nothing held as typing");
    let p = load(&t);
    assert_eq!(p.profile.contact_name, "Jane Doe");
    assert_eq!(p.profile.contact_email, "jane@example.com");
    // After the last text row Enter leaves the editor on the next row, a question.
    assert!(t.app.st.editor.is_none());
}

/// Esc in the path prompt of `f` cancels, as in the pickers: nothing is attached.
#[test]
fn esc_in_the_path_prompt_attaches_nothing() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.scratch.write("evidence/okta.png", "PNG");
    let before = std::fs::read_to_string(t.project_path()).unwrap();
    t.press("f").type_str("evidence/okta.png");
    // The footer says what Esc does here.
    let footer = t.screen(100, 30).lines().last().unwrap().to_string();
    assert!(
        footer.contains("Esc cancel") && footer.contains("Enter attach"),
        "{footer}"
    );
    t.press("<Esc>");
    assert!(t.app.st.editor.is_none());
    assert_eq!(std::fs::read_to_string(t.project_path()).unwrap(), before);
    let shown = t.screen(100, 30);
    assert!(shown.contains("Nothing attached."), "{shown}");
}

/// `e` on the Status row edits the response and says how a status is set: the words typed
/// next land in the response, none runs as a command.
#[test]
fn e_on_the_status_row_edits_the_response_and_says_how_to_set_a_status() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("<Enter>"); // the answer pane, on the Status row
    assert_eq!(t.app.field(), Field::Status);
    t.press("e");
    assert!(t.app.st.editor.is_some());
    assert_eq!(t.app.field(), Field::Response);
    let said = t.app.st.message.as_ref().unwrap().text.clone();
    assert!(said.contains("m, x, a or u"), "{said}");
    t.type_str("a mix of x and m").press("<Esc>");
    let a = load(&t).answers["partner-hosted"]["IAM-001"].clone();
    assert_eq!(a.response, "a mix of x and m");
    assert_eq!(a.status, Status::Unanswered);
}

/// A control switched off by scoping takes no status from x, m or a: the wizard says so and
/// offers the scoping question instead of writing a status the screen would not show.
#[test]
fn a_status_key_on_a_scoped_out_control_offers_its_scoping_question() {
    let mut t = Tester::new();
    set_up(&mut t); // accesses_customer_accounts: no, which switches CAA-001 off
    t.press("] ]"); // Reliability, then Operational Excellence...
    while !t
        .app
        .st
        .selected_control()
        .is_some_and(|c| c.id.starts_with("CAA-"))
    {
        if t.app.st.screen != Screen::Interview {
            panic!("no CAA control on the interview steps");
        }
        let before = t.app.st.selected_control().map(|c| c.id.clone());
        t.press("j");
        if t.app.st.selected_control().map(|c| c.id.clone()) == before {
            t.press("[");
        }
    }
    let id = t.app.st.selected_control().unwrap().id.clone();
    let before = std::fs::read_to_string(t.project_path()).unwrap();
    t.press("x");
    let Some(Popup::Confirm { question, .. }) = t.app.st.popups.top() else {
        panic!("no question: {:?}", t.app.st.message);
    };
    assert!(
        question.contains(&format!("{id} is switched off by scoping")),
        "{question}"
    );
    assert_eq!(std::fs::read_to_string(t.project_path()).unwrap(), before);
    t.press("y");
    assert_eq!(t.app.st.screen, Screen::Scoping);
    let c = Library::embedded().unwrap();
    let q = &c.checklist("partner-hosted").unwrap().scoping[t.app.scoping.sel];
    assert_eq!(q.id, "accesses_customer_accounts");
}

/// A status that no longer uses a field clears it (a reason after n/a becomes not met), says
/// so, and one undo brings it back.
#[test]
fn a_new_status_clears_the_fields_it_no_longer_uses_and_undo_brings_them_back() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("<Enter> a")
        .type_str("No such component.")
        .press("<Esc>");
    t.app.tick();
    let na = load(&t).answers["partner-hosted"]["IAM-001"].clone();
    assert_eq!(na.reason, "No such component.");
    t.press("<Esc> x");
    let gap = load(&t).answers["partner-hosted"]["IAM-001"].clone();
    assert_eq!(gap.status, Status::NotMet);
    assert_eq!(gap.reason, "", "no hidden reason stays in the file");
    let said = t.app.st.message.as_ref().unwrap().text.clone();
    assert!(said.contains("cleared the reason"), "{said}");
    t.press("<Esc>");
    t.app.tick();
    t.press("z");
    assert_eq!(load(&t).answers["partner-hosted"]["IAM-001"], na);
}

/// A wizard opening, for the first time, a project `ftr new` made (Acme, partner-hosted).
pub(crate) fn made_on_the_command_line() -> Tester {
    let mut t = Tester::new();
    t.scratch
        .ftr()
        .args(["new", "--company", "Acme", "--model", "partner-hosted"])
        .assert()
        .success();
    t.restart();
    t.app.open(&t.project_path()).unwrap();
    t
}

/// A project made on the command line, opened for the first time, lands on its first step not
/// finished (scoping here), not on a domain; with scoping and prerequisites answered, on the
/// first unanswered control.
#[test]
fn a_new_project_opens_on_its_first_unfinished_step() {
    let mut t = made_on_the_command_line();
    assert_eq!(t.app.st.screen, Screen::Scoping);
    assert_eq!(t.app.scoping.sel, 0);
    // Progress counts only what the user answered; scoping shows apart.
    t.press("n");
    let header = t.screen(200, 60);
    assert!(
        header.contains("0/37 answered (0%), 7 off by scoping"),
        "{header}"
    );
}

/// `/` finds a control by id or words across domains and goes to it; `n` goes to the next
/// unanswered control from anywhere but the screens where it means "no".
#[test]
fn slash_finds_a_control_and_n_goes_to_the_next_unanswered() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("r"); // the review, far from any control
    t.press("/").type_str("recovery time");
    let shown = t.screen(120, 40);
    assert!(shown.contains("Find a control · 2 found"), "{shown}");
    assert!(
        shown.contains("RES-001") && shown.contains("RES-002"),
        "{shown}"
    );
    t.press("<Down> <Enter>");
    assert_eq!(t.app.st.screen, Screen::Interview);
    assert_eq!(t.app.st.selected_control().unwrap().id, "RES-002");
    // An id typed in full is first; Esc leaves the selection alone.
    t.press("/").type_str("iam-003").press("<Enter>");
    assert_eq!(t.app.st.selected_control().unwrap().id, "IAM-003");
    t.press("/").type_str("zzz nothing").press("<Esc>");
    assert!(t.app.st.popups.is_empty());
    assert_eq!(t.app.st.selected_control().unwrap().id, "IAM-003");
    // n: the next unanswered control after IAM-003, skipping answered ones.
    t.press("x <Esc>");
    t.press("n");
    let next = t.app.st.selected_control().unwrap().id.clone();
    assert_eq!(next, "IAM-004");
    t.press("r n");
    assert_eq!(
        t.app.st.screen,
        Screen::Interview,
        "n works from the review too"
    );
}

/// A teammate's answer merged in by a save in the middle of a burst is never folded into the
/// burst's undo step: undoing takes back only the user's own changes.
#[test]
fn undo_never_takes_back_a_teammates_answer_merged_in_mid_burst() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("x <Esc> <Left>");
    answer_elsewhere(&t, "IAM-002", "Keys rotate.");
    // Same burst (no pause): this save takes the teammate's answer in.
    select(&mut t, "IAM-003");
    t.press("x <Esc> <Left>");
    select(&mut t, "IAM-004");
    t.press("m <Esc> <Left>");
    t.press("z z");
    let p = load(&t);
    for id in ["IAM-001", "IAM-003", "IAM-004"] {
        assert!(p.answer("partner-hosted", id).is_none(), "{id} undone");
    }
    teammates_answer_stays(&p);
}

/// An undo whose every field was changed again since takes nothing back, and says so.
#[test]
fn an_undo_with_nothing_left_to_take_back_says_so() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("x <Esc> <Left>");
    t.app.tick();
    answer_elsewhere(&t, "IAM-001", "");
    t.app.tick();
    t.press("z");
    assert_eq!(
        load(&t).answers["partner-hosted"]["IAM-001"].status,
        Status::Met
    );
    let said = t.app.st.message.as_ref().unwrap().text.clone();
    assert!(said.starts_with("Nothing to undo for IAM-001"), "{said}");
    assert!(said.contains("changed again since"), "{said}");
}

/// `n` on a prerequisite that is a number means no more than `y` does: it never leaves the
/// screen; a status change from the command line clears what the status no longer uses, as
/// the wizard does.
#[test]
fn n_on_a_count_prerequisite_stays_and_the_command_line_clears_unused_fields_too() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("[");
    assert_eq!(t.app.st.screen, Screen::Prerequisites);
    let lib = Library::embedded().unwrap();
    let count = lib
        .prerequisites
        .iter()
        .position(|p| p.minimum.is_some())
        .unwrap();
    t.app.prereqs.sel = count;
    t.press("n");
    assert_eq!(t.app.st.screen, Screen::Prerequisites);
    t.scratch
        .ftr()
        .args([
            "answer",
            "RCVP-001",
            "--status",
            "na",
            "--reason",
            "No claims.",
        ])
        .assert()
        .success();
    t.scratch
        .ftr()
        .args(["answer", "RCVP-001", "--status", "met"])
        .assert()
        .success();
    assert_eq!(load(&t).answers["partner-hosted"]["RCVP-001"].reason, "");
}

/// Esc goes back, as in lazygit and k9s: from the answer pane to the list, and from the review
/// to where `r` was pressed. Help lists the keys of the screen behind it first, and a long
/// description wraps inside its own column.
#[test]
fn esc_goes_back_and_help_starts_with_this_screens_keys() {
    let mut t = Tester::new();
    set_up(&mut t);
    select(&mut t, "IAM-001");
    t.press("<Enter>");
    assert_eq!(t.app.st.focus, Pane::Answer);
    t.press("<Esc>");
    assert_eq!(t.app.st.focus, Pane::List);
    t.press("r");
    assert_eq!(t.app.st.screen, Screen::Review);
    t.press("<Esc>");
    assert_eq!(t.app.st.screen, Screen::Interview);
    assert_eq!(t.app.st.selected_control().unwrap().id, "IAM-001");
    t.press("?");
    let help = t.screen(100, 90);
    let here = help
        .find("On this screen")
        .expect("a section for this screen");
    let everywhere = help.find("Everywhere").expect("then the rest");
    let met = help.find("interview: mark met").unwrap();
    let export = help.find("export: build a draft").unwrap();
    assert!(
        here < met && met < everywhere && everywhere < export,
        "{help}"
    );
    // The description of n goes on below its own column, not under the keys.
    let line = help
        .lines()
        .find(|l| l.contains("the next unanswered control"))
        .unwrap();
    let col = line.find("the next unanswered").unwrap();
    let start = help
        .lines()
        .find(|l| l.contains("scoping, prerequisites, confirmations"))
        .unwrap();
    assert!(
        col >= start.find("scoping, prerequisites").unwrap(),
        "{help}"
    );
}

/// The list row of control `id` on `screen`: its status mark, the ID and the flag.
fn list_row(screen: &str, id: &str) -> String {
    screen
        .lines()
        .find_map(|l| {
            let row = l.strip_prefix('│')?;
            let mark = row.chars().next()?;
            let rest = row[mark.len_utf8()..].strip_prefix(&format!(" {id}"))?;
            let flag: String = rest.chars().take(3).collect();
            Some(format!("{mark} {id}{flag}"))
        })
        .unwrap_or_else(|| panic!("no row for {id} in:\n{screen}"))
}

/// An evidence file changed outside the wizard shows within one idle tick, in the list, the
/// header and the answer pane, as the error Review calls it; attaching it again clears it.
#[test]
fn an_evidence_file_changed_elsewhere_shows_as_an_error_within_one_tick() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.scratch.write("policy.pdf", "%PDF policy");
    let id = t.app.st.selected_control().unwrap().id.clone();
    t.press("f")
        .type_str("policy.pdf")
        .press("<Enter>")
        .press("m");
    t.app.tick();
    let screen = t.screen(140, 40);
    assert!(list_row(&screen, &id).contains('✓'), "{screen}");
    assert!(!screen.contains("file changed"), "{screen}");

    t.scratch
        .write("policy.pdf", "%PDF policy, rewritten with more words");
    t.app.tick();
    let screen = t.screen(140, 40);
    let row = list_row(&screen, &id);
    assert!(
        !row.contains('✓'),
        "a met control with a changed file is never ✓: {row}"
    );
    // `!` in the status column (met, not backed), `✗` after the ID (the file's error).
    assert!(
        row.starts_with(&format!("! {id}")) && row.contains('✗'),
        "{row}"
    );
    assert!(
        screen.contains("1 file changed"),
        "the header says it: {screen}"
    );
    // At 80 columns, beside a change not saved, both still show, in fewer words.
    t.app.st.unsaved = true;
    let header = t.screen(80, 24).lines().next().unwrap().to_string();
    assert!(header.ends_with("│ NOT SAVED │ ✗ 1 file"), "{header}");
    t.app.st.unsaved = false;
    assert!(
        screen.contains("✗ policy.pdf") && screen.contains("38 B (was 11 B)"),
        "the pane shows the error mark and the size now: {screen}"
    );
    // Review names the same error.
    let report = t.app.st.report.as_ref().unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == Code::EvidenceChanged && f.control.as_deref() == Some(&*id))
    );

    t.press("f").type_str("policy.pdf").press("<Enter>");
    t.app.tick();
    let screen = t.screen(140, 40);
    assert!(list_row(&screen, &id).contains('✓'), "{screen}");
    assert!(!screen.contains("file changed"), "{screen}");
}

/// Attaching again a file that several controls cite records its new fingerprint for all of
/// them and says so; `o` offers the control's own files to record anew, and a file reused
/// from another control keeps its label.
#[test]
fn reattaching_a_shared_file_refreshes_every_control_citing_it() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.scratch.write("policy.pdf", "%PDF policy");
    let first = t.app.st.selected_control().unwrap().id.clone();
    t.press("f").type_str("policy.pdf").press("<Enter>");
    // A label given elsewhere (as ftr answer --label does).
    let lib = Library::embedded().unwrap();
    store::Loaded::update(&t.project_path(), &lib, |l| {
        let ev = &mut l.project.answer_mut("partner-hosted", &first).evidence[0];
        ev.label = "Security policy".into();
        Ok(())
    })
    .unwrap();
    t.app.tick();
    t.press("j");
    let second = t.app.st.selected_control().unwrap().id.clone();
    t.press("o <Enter>");
    let p = load(&t);
    assert_eq!(
        p.answers["partner-hosted"][&second].evidence[0].label, "Security policy",
        "a reused file keeps its label"
    );

    t.scratch.write("policy.pdf", "%PDF policy, second edition");
    t.app.tick();
    let screen = t.screen(140, 40);
    assert!(
        screen.contains("✗ 1 file changed"),
        "one file, however many controls cite it: {screen}"
    );
    // On the second control, o lists its own file too: Enter records it anew.
    t.press("o");
    let screen = t.screen(140, 40);
    assert!(
        screen.contains(&format!("{second} (records anew)")),
        "{screen}"
    );
    t.press("<Enter>");
    let said = message(&t);
    assert!(
        said.contains(&format!("also recorded anew for {first}")),
        "{said}"
    );
    let p = load(&t);
    let a = &p.answers["partner-hosted"][&first].evidence[0];
    let b = &p.answers["partner-hosted"][&second].evidence[0];
    assert_eq!(a.size, 27);
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(a.label, "Security policy", "each keeps its own label");
    assert_eq!(p.answers["partner-hosted"][&second].evidence.len(), 1);
    let report = t.app.st.report.as_ref().unwrap();
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.code == Code::EvidenceChanged),
        "no control keeps the old fingerprint"
    );
    // One undo puts both old fingerprints back.
    t.app.tick();
    t.press("z");
    let p = load(&t);
    assert_eq!(p.answers["partner-hosted"][&first].evidence[0].size, 11);
    assert_eq!(p.answers["partner-hosted"][&second].evidence[0].size, 11);
}

/// The review's verdict, "N error(s), M warning(s)", as its screen words it.
fn review_counts(t: &mut Tester) -> String {
    t.app.st.goto(Screen::Review);
    let screen = t.screen(100, 30);
    let start = screen.find("Not ready: ").expect("the review is not ready") + "Not ready: ".len();
    let end = screen[start..].find(" · ").unwrap() + start;
    screen[start..end].to_string()
}

#[test]
fn the_export_screen_counts_what_the_review_counts() {
    let mut t = Tester::new();
    set_up(&mut t);
    let file = t.scratch.write("evidence/policy.pdf", "%PDF policy v1");
    make_ready(&mut t, &file);
    // Errors and warnings: a gap without a plan, and the evidence edited without changing
    // its size, which only its fingerprint tells.
    t.app.st.goto(Screen::Interview);
    assert!(t.app.select_control("IAM-001"));
    t.app.st.focus = Pane::List;
    t.press("n");
    t.scratch.write("evidence/policy.pdf", "%PDF policy v2");
    t.app.st.refresh();
    let report = t.app.st.report.clone().unwrap();
    assert!(report.errors > 1 && report.warnings > 0, "{report:?}");
    let counts = review_counts(&mut t);
    assert_eq!(
        counts,
        format!("{} error(s), {} warning(s)", report.errors, report.warnings)
    );
    // The export screen says the review's numbers before and after it refuses.
    t.app.st.goto(Screen::Export);
    let screen = t.screen(200, 40);
    assert!(
        screen.contains(&format!("Not ready: {counts}, as in the review")),
        "{screen}"
    );
    t.press("<Enter>");
    wait_export(&mut t);
    let screen = t.screen(200, 60);
    assert!(
        screen.contains(&format!(
            "the readiness check found {} error(s) and {} warning(s)",
            report.errors, report.warnings
        )),
        "{screen}"
    );
    assert!(screen.contains("changed since it was attached"), "{screen}");
    assert!(!t.scratch.file("ftr-submission.zip").exists());
    // And so does the review afterwards.
    assert_eq!(review_counts(&mut t), counts);
}

#[test]
fn the_refusal_scrolls_and_says_how_many_more() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.app.st.goto(Screen::Export);
    t.press("<Enter>");
    wait_export(&mut t);
    let errors = t.app.st.report.as_ref().unwrap().errors;
    let screen = t.screen(80, 24);
    // The keys that get past it come first, in the wizard's keys, never the command line's
    // options, before the reasons.
    assert!(
        screen.contains("Press i to build a draft anyway"),
        "{screen}"
    );
    assert!(!screen.contains("--allow-incomplete"), "{screen}");
    // At 80x24 one reason fits whole under the template line, the options and the heading
    // (with its fix, "answer its rows in AWS's workbook", each takes two or three rows), and
    // the first row of a second, then the line that counts the rest (the one cut too), above
    // the frame's edge.
    assert!(screen.contains("- HOST-001"), "{screen}");
    let shown = screen.lines().filter(|l| l.starts_with("│- ")).count();
    assert_eq!(shown, 2, "{screen}");
    let more = format!("│… {} more (↓ to scroll)", errors - 1);
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[rows.len() - 3].starts_with(&more), "{screen}");
    assert!(rows[rows.len() - 2].starts_with("└"), "{screen}");
    assert!(!screen.contains("RCVP-001"), "{screen}");
    // Down scrolls a row at a time; the heading stays.
    t.press("j j");
    let screen = t.screen(80, 24);
    assert!(!screen.contains("- HOST-001"), "{screen}");
    assert!(screen.contains("the readiness check found"), "{screen}");
    // The end shows the last reason, with nothing more to count; the keys stay in sight.
    t.press("G");
    let screen = t.screen(80, 24);
    assert!(screen.contains("- RCVP-001"), "{screen}");
    assert!(
        screen.contains("Press i to build a draft anyway"),
        "{screen}"
    );
    assert!(!screen.contains("more (↓ to scroll)"), "{screen}");
    // Page down past the end stays there; Home goes back to the top.
    t.press("<PgDn> <PgDn>");
    assert_eq!(t.screen(80, 24), screen);
    t.press("g");
    let screen = t.screen(80, 24);
    assert!(screen.contains("- HOST-001"), "{screen}");
    assert!(screen.contains(&more), "{screen}");
    // The mouse wheel scrolls them too.
    use ratatui::crossterm::event::{Event, KeyModifiers, MouseEvent, MouseEventKind};
    for _ in 0..2 {
        t.app.handle_event(Event::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 10,
            row: 12,
            modifiers: KeyModifiers::NONE,
        }));
    }
    let screen = t.screen(80, 24);
    assert!(!screen.contains("- HOST-001"), "{screen}");
}

#[test]
fn tab_lists_several_matches_right_under_the_path() {
    let mut t = Tester::new();
    set_up(&mut t);
    for name in [
        "scan-a.csv",
        "scan-b.csv",
        "scan-c.csv",
        "scan-d.csv",
        "scan-e.csv",
        "scan-f.csv",
    ] {
        t.scratch.write(&format!("reports/{name}"), "id,result\n");
    }
    t.press("f").type_str("reports/sc").press("<Tab>");
    assert_eq!(t.app.st.editor.as_ref().unwrap().text(), "reports/scan-");
    for (w, h) in [(80, 24), (200, 60)] {
        let screen = t.screen(w, h);
        let rows: Vec<&str> = screen.lines().collect();
        let input = rows
            .iter()
            .position(|r| r.contains("│reports/scan-"))
            .unwrap_or_else(|| panic!("{screen}"));
        assert!(
            rows[input + 1].contains("scan-a.csv  scan-b.csv"),
            "{w}x{h}: the candidates are not right under the input:\n{screen}"
        );
        let listed: String = rows[input + 1..input + 3].join("\n");
        assert!(listed.contains("scan-f.csv"), "{w}x{h}:\n{screen}");
    }
    // Where only a row or two fit, the list ends with how many more there are.
    t.press("<Esc>");
    for i in 0..40 {
        t.scratch.write(&format!("reports/scan-{i:02}.csv"), "id\n");
    }
    t.app.st.goto(Screen::Profile);
    let rows = t.app.profile_rows();
    t.app.profile.sel = rows
        .iter()
        .position(|r| r.slot() == Some(Slot::SecurityReport))
        .unwrap();
    t.press("f").type_str("reports/sc").press("<Tab>");
    let screen = t.screen(80, 24);
    let rows: Vec<&str> = screen.lines().collect();
    let input = rows
        .iter()
        .position(|r| r.contains("│reports/scan-"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(rows[input + 1].contains("scan-00.csv"), "{screen}");
    let shown = screen.matches(".csv").count();
    let more = format!("… {} more", 46 - shown);
    assert!(screen.contains(&more), "{more}:\n{screen}");
    // Typing on: the list no longer matches, so it goes; a paste too.
    t.type_str("x");
    let screen = t.screen(80, 24);
    assert!(!screen.contains("scan-00.csv"), "{screen}");
    assert!(!screen.contains("more"), "{screen}");
    t.press("<Bksp> <Tab>");
    assert!(t.screen(80, 24).contains("scan-00.csv"));
    t.paste("1");
    let screen = t.screen(80, 24);
    assert!(!screen.contains("scan-00.csv"), "{screen}");
}

/// The review is made anew on each idle tick; the selection stays on the finding it was on,
/// however the list above it changed.
#[test]
fn the_review_keeps_its_selection_when_findings_change_meanwhile() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.press("r j j j");
    let findings = &t.app.st.report.as_ref().unwrap().findings;
    let chosen = findings[3].clone();
    let first = findings[0].control.clone().expect("a control's finding");
    assert_ne!(chosen.control.as_deref(), Some(first.as_str()));
    // Answered in another window: not applicable, with its reason, so its finding goes.
    change_elsewhere(
        &t,
        &first,
        ftr_wizard::assessment::edit::AnswerChange {
            status: Some(Status::NotApplicable),
            reason: Some("We run no workloads this control covers.".into()),
            ..Default::default()
        },
    );
    t.app.tick();
    let findings = &t.app.st.report.as_ref().unwrap().findings;
    assert!(
        !findings
            .iter()
            .any(|f| f.code == Code::Unanswered && f.control.as_deref() == Some(first.as_str())),
        "the teammate's answer came in"
    );
    let now = &findings[t.app.st.review.sel];
    assert_eq!(
        (now.code, &now.control),
        (chosen.code, &chosen.control),
        "{findings:#?}"
    );
}

/// Several findings alike (one per unanswered scoping question): the review's selection stays
/// on the one chosen across idle refreshes, also when one above it goes.
#[test]
fn the_review_selection_holds_among_findings_alike() {
    let mut t = made_on_the_command_line();
    t.app.st.goto(Screen::Review);
    let findings = t.app.st.report.as_ref().unwrap().findings.clone();
    let first = findings
        .iter()
        .position(|f| f.code == Code::ScopingUnanswered)
        .unwrap();
    assert_eq!(findings[first + 2].code, Code::ScopingUnanswered);
    t.app.st.review.sel = first + 2;
    let chosen = findings[first + 2].message.clone();
    t.app.tick();
    let selected = |t: &Tester| {
        t.app.st.report.as_ref().unwrap().findings[t.app.st.review.sel]
            .message
            .clone()
    };
    assert_eq!(selected(&t), chosen);
    // The first scoping question answered elsewhere: its finding goes, the choice stays.
    let lib = Library::embedded().unwrap();
    let key = lib
        .checklist("partner-hosted")
        .unwrap()
        .scoping
        .first()
        .unwrap()
        .id
        .clone();
    t.scratch
        .ftr()
        .args(["set", &format!("scoping.{key}"), "no"])
        .assert()
        .success();
    t.app.tick();
    assert_eq!(selected(&t), chosen);
}

/// A customer-deployed product's profile lists the deployment guide's slot: a typed https://
/// address is kept as its address, shown on the row, and `d` forgets it; a file typed there
/// is attached and fingerprinted like the diagram.
#[test]
fn the_deployment_guide_is_given_on_the_profile_as_an_address_or_a_file() {
    let mut t = Tester::new();
    assert_eq!(t.app.st.screen, Screen::Start);
    t.press("<Enter>");
    assert_eq!(t.app.st.screen, Screen::Profile);
    t.press("j j j j j j <Enter>"); // customer-deployed
    assert_eq!(load(&t).delivery.model, Some(Model::CustomerDeployed));
    let rows = t.app.profile_rows();
    let guide = rows
        .iter()
        .position(|r| *r == ProfileRow::Guide)
        .expect("a customer-deployed profile lists the guide");
    assert!(!rows.contains(&ProfileRow::AlternativeReport));
    t.app.profile.sel = guide;
    let screen = t.screen(120, 40);
    assert!(
        screen.contains("a file, or its https:// address"),
        "{screen}"
    );
    t.press("<Enter>")
        .type_str("https://docs.example.com/deploy")
        .press("<Enter>");
    assert_eq!(
        load(&t).profile.deployment_guide_url,
        "https://docs.example.com/deploy"
    );
    let screen = t.screen(120, 40);
    assert!(
        screen.contains("https://docs.example.com/deploy  its address"),
        "{screen}"
    );
    t.press("d");
    assert_eq!(load(&t).profile.deployment_guide_url, "");
    // A file instead: attached, with its fingerprint.
    std::fs::write(
        t.project_path().with_file_name("deploy.pdf"),
        "%PDF-1.7 guide",
    )
    .unwrap();
    t.app.profile.sel = guide;
    t.press("<Enter>").type_str("deploy.pdf").press("<Enter>");
    let p = load(&t);
    let file = p.profile.deployment_guide.expect("the guide is attached");
    assert_eq!(file.path, "deploy.pdf");
    assert_eq!(file.size, 14);
}

/// The export step shows which workbook it writes, and `f` types the path of AWS's downloaded
/// one (`b` browses for it, see `tui_export`): a file
/// that is no workbook of the checklist is refused in place, a good one is remembered as
/// `ftr set template` does, and an empty path goes back to ftr's own sheet.
#[test]
fn the_export_step_chooses_aws_workbook_to_fill() {
    let mut t = made_on_the_command_line();
    let dir = t.project_path().parent().unwrap().to_path_buf();
    std::fs::write(dir.join("notes.txt"), "just text\n").unwrap();
    // A workbook with AWS's header and rows of this checklist.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, head) in [
        "ID",
        "Requirement Description",
        "Met? (Yes/No/NA)",
        "Partner Response",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(4, col as u16, *head).unwrap();
    }
    for (row, id) in ["IAM-001", "IAM-001.1"].iter().enumerate() {
        sheet.write_string(5 + row as u32, 0, *id).unwrap();
        sheet.write_string(5 + row as u32, 2, "<select>").unwrap();
    }
    book.save(dir.join("aws.xlsx")).unwrap();
    t.app.st.goto(Screen::Export);
    let screen = t.screen(120, 40);
    assert!(
        screen.contains("Template: none, ftr's own sheet · b browses for AWS's workbook"),
        "{screen}"
    );
    t.press("f").type_str("notes.txt").press("<Enter>");
    let refused = t.app.st.editor.as_ref().expect("the prompt stays open");
    assert!(
        refused
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("not an Excel workbook"),
        "{:?}",
        refused.error
    );
    assert_eq!(load(&t).profile.template, "");
    t.press("<C-u>").type_str("aws.xlsx").press("<Enter>");
    assert!(t.app.st.editor.is_none());
    assert_eq!(load(&t).profile.template, "aws.xlsx");
    let screen = t.screen(120, 40);
    assert!(
        screen.contains("Template: AWS's workbook aws.xlsx · b or f chooses another"),
        "{screen}"
    );
    t.press("f <C-u> <Enter>");
    assert_eq!(load(&t).profile.template, "");
}

#[test]
fn help_opens_over_a_popup_and_esc_comes_back_to_it() {
    let mut t = on_2026_02_with_2026_08_installed();
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Newer { .. })));
    t.press("?");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Help { .. })));
    assert_eq!(t.app.st.popups.len(), 2);
    let screen = t.screen(100, 40);
    assert!(screen.contains("On this screen"), "{screen}");
    t.press("<Esc>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Newer { .. })));
    assert_eq!(t.app.st.popups.len(), 1);
    // Where ? is typed text, it stays text.
    t.press("<Esc> /");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Search(_))));
    t.press("?");
    let Some(Popup::Search(s)) = t.app.st.popups.top() else {
        panic!("the search box stays open");
    };
    assert_eq!(s.query, "?");
    assert_eq!(t.app.st.popups.len(), 1);
}

/// A week after the built-in checklist's approximate last day, with nothing newer installed:
/// the review's finding is a warning, Enter on it opens its choices with their command lines,
/// `g` goes on with the version (recorded in the file), `w` writes a copy to edit beside the
/// project and `i` installs a checklist file from a path typed in the prompt.
#[test]
fn enter_on_the_window_finding_opens_its_choices_and_one_key_goes_on() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.app.st.today = ftr_wizard::dates::Date::parse("2026-12-04").unwrap();
    t.app.st.refresh();
    t.app.st.goto(Screen::Review);
    let expired = |t: &Tester| {
        t.app
            .st
            .report
            .as_ref()
            .unwrap()
            .findings
            .iter()
            .position(|f| f.code == Code::ChecklistExpired)
            .expect("a checklist-expired finding")
    };
    let i = expired(&t);
    assert_eq!(
        t.app.st.report.as_ref().unwrap().findings[i].severity,
        ftr_wizard::assessment::readiness::Severity::Warning
    );
    t.app.st.review.sel = i;
    t.press("<Enter>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Window)));
    let screen = t.screen(100, 40);
    for words in [
        "What AWS's page says",
        "usable until about 2026-11-27",
        "PSA or PDM can confirm",
        "ftr set accept-past-window yes",
        "ftr checklists add FILE",
        "ftr checklists scaffold --from partner-hosted --version 2026-08",
    ] {
        assert!(screen.contains(words), "{words}:\n{screen}");
    }
    t.press("g");
    assert!(t.app.st.popups.is_empty());
    assert_eq!(load(&t).delivery.accept_past_window, "2026-02");
    let f = &t.app.st.report.as_ref().unwrap().findings[expired(&t)];
    assert!(f.message.contains("records the choice"), "{}", f.message);
    // Again: g now drops the choice, w writes a copy beside the project file.
    t.app.st.review.sel = expired(&t);
    t.press("<Enter> w");
    let copy = t
        .project_path()
        .with_file_name("partner-hosted@2026-08.toml");
    assert!(copy.is_file(), "{:?}", t.app.st.message);
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Window)));
    // i installs it from the path typed; the prompt is on screen while it is typed.
    t.press("i").type_str("partner-hosted@2026-08.toml");
    let screen = t.screen(100, 40);
    assert!(screen.contains("The checklist file to install"), "{screen}");
    t.press("<Enter>");
    assert!(
        t.app.st.editor.is_none(),
        "{:?}",
        t.app.st.editor.as_ref().map(|e| &e.error)
    );
    let said = &t.app.st.message.as_ref().unwrap().text;
    assert!(said.contains("partner-hosted@2026-08"), "{said}");
    assert!(
        t.app
            .st
            .library
            .catalog
            .iter()
            .any(|c| c.spec() == "partner-hosted@2026-08")
    );
    assert!(t.scratch.file(".data/checklists").is_dir());
}

/// The submission is recorded from the profile as `ftr set submitted|outcome|reviewed` do: the
/// day typed (a day that is none is refused in place), Enter stepping through the outcomes,
/// and the six months to fix findings then counted in the review.
#[test]
fn the_submission_and_its_outcome_are_recorded_from_the_profile() {
    let mut t = Tester::new();
    set_up(&mut t);
    t.app.st.goto(Screen::Profile);
    let at = |t: &Tester, row: ProfileRow| {
        t.app
            .profile_rows()
            .iter()
            .position(|r| *r == row)
            .expect("the row is shown")
    };
    t.app.profile.sel = at(&t, ProfileRow::Submitted);
    t.press("<Enter>").type_str("4 Dec").press("<Enter>");
    let refused = t.app.st.editor.as_ref().expect("the prompt stays open");
    assert!(
        refused
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("YYYY-MM-DD"),
        "{:?}",
        refused.error
    );
    assert_eq!(load(&t).submission.submitted, None);
    t.press("<C-u>").type_str("2026-06-01").press("<Enter>");
    assert!(t.app.st.editor.is_none());
    assert_eq!(
        load(&t)
            .submission
            .submitted
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-06-01")
    );
    t.app.profile.sel = at(&t, ProfileRow::Outcome);
    let outcome = |t: &Tester| load(t).submission.outcome.map(|o| o.to_string());
    t.press("<Enter>");
    assert_eq!(outcome(&t).as_deref(), Some("pending"));
    t.press("<Enter> <Enter>");
    assert_eq!(outcome(&t).as_deref(), Some("findings"));
    t.app.profile.sel = at(&t, ProfileRow::Reviewed);
    t.press("<Enter>").type_str("2026-06-10").press("<Enter>");
    let screen = t.screen(100, 60);
    assert!(screen.contains("Sent      2026-06-01"), "{screen}");
    assert!(screen.contains("Outcome   findings"), "{screen}");
    // Findings to fix: the review counts the six months from the review day.
    let report = t.app.st.report.as_ref().unwrap();
    let due = report
        .findings
        .iter()
        .find(|f| f.code == Code::RemediationDue)
        .expect("a remediation finding");
    assert!(due.message.contains("2026-12-10"), "{}", due.message);
    // - clears the outcome.
    t.app.profile.sel = at(&t, ProfileRow::Outcome);
    t.press("-");
    assert_eq!(outcome(&t), None);
}

/// Keys that arrive together as typing, with no field open, run no command: they are held,
/// more typing adds to them, Enter puts them into the selected control's response and Esc
/// drops them. Single keys still act, and `E` among other keys never opens the editor.
#[test]
fn typing_on_the_control_list_is_held_not_run() {
    let mut t = Tester::new();
    set_up(&mut t);
    assert_eq!(t.app.st.focus, Pane::List);
    let before = std::fs::read(t.project_path()).unwrap();
    let control = t.app.st.selected_control().unwrap().id.clone();
    t.burst("it cleared RES-002 and ");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Typed { .. })));
    // Typing goes on: those keys join what is held.
    t.type_str("ECS").press("<Bksp>").type_str("S ran");
    let Some(Popup::Typed { text }) = t.app.st.popups.top() else {
        panic!("the text is held");
    };
    assert_eq!(text, "it cleared RES-002 and ECS ran");
    let screen = t.screen(100, 40);
    assert!(screen.contains("Typed, not run"), "{screen}");
    assert!(
        screen.contains(&format!("put it into the response of {control}")),
        "{screen}"
    );
    assert_eq!(std::fs::read(t.project_path()).unwrap(), before);
    assert!(t.app.st.external.is_none());
    // Enter: into the response, saved when the field is left.
    t.press("<Enter>");
    assert!(t.app.st.editor.is_some());
    t.press("<Esc>");
    let a = load(&t).answers["partner-hosted"][&control].clone();
    assert!(
        a.response.ends_with("it cleared RES-002 and ECS ran"),
        "{}",
        a.response
    );
    // Esc drops held text; nothing changes.
    let before = std::fs::read(t.project_path()).unwrap();
    t.app.st.focus = Pane::List;
    t.burst("more words");
    t.press("<Esc>");
    assert!(t.app.st.popups.is_empty());
    assert_eq!(std::fs::read(t.project_path()).unwrap(), before);
    // A key pressed on its own is a command, as ever; E among other keys opens no editor.
    t.press("x");
    assert_eq!(
        load(&t).answers["partner-hosted"][&control].status,
        Status::NotMet
    );
    let e = |c| {
        ratatui::crossterm::event::Event::Key(ratatui::crossterm::event::KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char(c),
            ratatui::crossterm::event::KeyModifiers::NONE,
        ))
    };
    t.app.handle_events(vec![e('j'), e('E')]);
    assert!(t.app.st.external.is_none());
    assert!(
        t.app
            .st
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("press E on its own")
    );
    // A held j (one key repeated) stays a command.
    t.app.st.focus = Pane::List;
    let at = t.app.st.selected_control().unwrap().id.clone();
    t.app.handle_events(vec![e('j'), e('j'), e('j'), e('j')]);
    assert!(t.app.st.popups.is_empty());
    assert_ne!(t.app.st.selected_control().unwrap().id, at);
}

/// `n` into another domain says so, in the message line and in the step bar, until the next
/// key; `/` to a control of another domain too.
#[test]
fn a_move_into_another_domain_names_it() {
    use ftr_wizard::tui::app::Step;
    let mut t = Tester::new();
    set_up(&mut t);
    let c = t.app.st.checklist().unwrap().clone();
    // A control whose next one in checklist order is in another domain.
    let i = (0..c.controls.len() - 1)
        .find(|&i| c.controls[i].domain != c.controls[i + 1].domain)
        .unwrap();
    let start = c.controls[i].clone();
    assert!(t.app.select_control(&start.id));
    t.app.st.focus = Pane::List;
    t.press("n");
    let now = t.app.st.selected_control().unwrap().clone();
    assert_ne!(now.domain, start.domain);
    let said = t.app.st.message.as_ref().unwrap().text.clone();
    assert!(
        said.contains(&format!("now in {}", now.domain.name())),
        "{said}"
    );
    let mark = format!("→ {}", Step::Domain(now.domain).label());
    let screen = t.screen(120, 40);
    assert!(screen.contains(&mark), "{screen}");
    // The next key clears the mark.
    t.press("j");
    assert!(!t.screen(120, 40).contains(&mark));
    // `/` back to the first control names its domain.
    t.press("/").type_str(&start.id).press("<Enter>");
    let said = t.app.st.message.as_ref().unwrap().text.clone();
    assert!(
        said.contains(&format!("now in {}", start.domain.name())),
        "{said}"
    );
    let mark = format!("→ {}", Step::Domain(start.domain).label());
    let screen = t.screen(120, 40);
    assert!(screen.contains(&mark), "{screen}");
}

/// After a file is attached, its row is selected: the label, date and detach keys act on it.
/// After `m` on a control whose response is written but whose evidence is missing, the
/// evidence field is selected.
#[test]
fn the_selection_follows_the_file_just_attached() {
    let mut t = Tester::new();
    set_up(&mut t);
    let dir = t.project_path().parent().unwrap().to_path_buf();
    std::fs::write(dir.join("a.txt"), "first\n").unwrap();
    std::fs::write(dir.join("b.txt"), "second\n").unwrap();
    let control = t.app.st.selected_control().unwrap().id.clone();
    t.app.st.focus = Pane::Answer;
    t.press("f").type_str("a.txt").press("<Enter>");
    assert_eq!(t.app.field(), Field::Evidence);
    t.app.interview.field = 0;
    t.press("f").type_str("b.txt").press("<Enter>");
    assert_eq!(t.app.field(), Field::Evidence);
    assert_eq!(t.app.interview.evidence, 1);
    t.press("L");
    let editor = t.app.st.editor.as_ref().expect("the label editor");
    assert!(
        matches!(&editor.target, ftr_wizard::tui::app::Target::EvidenceLabel { path, .. } if path == "b.txt"),
        "{:?}",
        editor.target
    );
    t.press("<Esc>");
    // A control with a response and no evidence: m selects the evidence field.
    let other = t
        .app
        .st
        .checklist()
        .unwrap()
        .controls
        .iter()
        .find(|c| c.evidence && c.id != control && c.values.is_empty())
        .unwrap()
        .id
        .clone();
    assert!(t.app.select_control(&other));
    t.app.st.focus = Pane::Answer;
    down_to(&mut t, Field::Response);
    t.press("e")
        .type_str("We do this every day.")
        .press("<Esc>");
    t.app.interview.field = 0;
    t.app.st.focus = Pane::List;
    t.press("m");
    assert_eq!(t.app.st.focus, Pane::Answer);
    assert_eq!(t.app.field(), Field::Evidence);
}

/// Messages in full: one longer than a line wraps in the footer (up to three lines); a longer
/// one ends with `M`, which shows it whole. An undo names the control and the fields it
/// restored; a value refused in its field is never left beside a "Saved".
#[test]
fn messages_wrap_name_what_was_undone_and_never_say_saved_for_a_refusal() {
    let mut t = Tester::new();
    set_up(&mut t);
    let words = "every word of this message must reach the founder who reads it";
    t.app.st.info(format!("{words} {words}"));
    let screen = t.screen(80, 24);
    assert!(screen.contains("reads it every word"), "{screen}");
    assert!(screen.contains("founder who reads it"), "{screen}");
    let long: String = (0..12).map(|_| words).collect::<Vec<_>>().join(" ");
    t.app.st.info(long.clone());
    let screen = t.screen(80, 24);
    assert!(screen.contains("M shows all"), "{screen}");
    t.press("M");
    let Some(Popup::Message { text, .. }) = t.app.st.popups.top() else {
        panic!("M shows the message");
    };
    assert_eq!(text, &long);
    t.press("<Esc>");
    assert!(t.app.st.popups.is_empty());
    // An undo names the control and the fields.
    let control = t.app.st.selected_control().unwrap().id.clone();
    t.app.st.focus = Pane::Answer;
    down_to(&mut t, Field::Response);
    t.press("e")
        .type_str("Written, then taken back.")
        .press("<Esc>");
    t.app.tick();
    t.press("z");
    let said = t.app.st.message.as_ref().unwrap().text.clone();
    assert!(
        said.contains(&format!("Undone: {control} (response)")),
        "{said}"
    );
    // x opens the plan; a due date that is none is refused, and no "Saved" stands beside it.
    t.app.st.focus = Pane::List;
    t.press("x");
    assert!(t.app.st.message.as_ref().unwrap().text.contains("Saved"));
    t.app.st.focus = Pane::Answer;
    down_to(&mut t, Field::PlanDue);
    t.press("e").type_str("next friday").press("<Enter>");
    assert!(
        t.app
            .st
            .editor
            .as_ref()
            .and_then(|e| e.error.as_ref())
            .is_some()
    );
    let said = t
        .app
        .st
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(!said.contains("Saved"), "{said}");
    assert!(!t.screen(100, 40).contains("Saved:"));
}
