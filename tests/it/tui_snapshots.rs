//! Every screen at 80x24 and at a wide size, as text snapshots, plus the colours that carry
//! meaning (and their monochrome stand-ins).

use std::path::PathBuf;

use ftr_wizard::assessment::edit::{self, AnswerChange};
use ftr_wizard::assessment::{Evidence, PrereqAnswer, Project, Slot, Status};
use ftr_wizard::content::{Library, Model};
use ftr_wizard::dates::{Date, Timestamp};
use ftr_wizard::store::Loaded;
use ftr_wizard::tui::app::{Pane, Popup, Screen, StartEntry};
use ftr_wizard::tui::screens::interview::Field;
use ftr_wizard::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use crate::common;
use crate::common::tui::{STYLES, Tester, buffer_text, styled_text};

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

/// A partly answered partner-hosted project: one control of each status, with evidence.
fn fixture() -> Tester {
    let mut t = Tester::new();
    let lib = Library::embedded().unwrap();
    let checklist = lib.for_model(Model::PartnerHosted).unwrap();
    let mut p = Project::new();
    p.profile.company = "Acme Ltd".into();
    p.profile.product = "Widget Cloud".into();
    p.choose_model(checklist, true);
    p.scoping.insert("accesses_customer_accounts".into(), false);
    p.scoping.insert("accepts_customer_keys".into(), false);
    p.scoping.insert("stores_sensitive_data".into(), true);
    p.prerequisites
        .insert("software_path".into(), PrereqAnswer::Yes(true));
    p.prerequisites
        .insert("ace_opportunities".into(), PrereqAnswer::Count(4));
    let dir = t.scratch.path().to_path_buf();
    let file = t.scratch.write("evidence/okta-mfa.png", vec![7u8; 2048]);
    let mut ev = Evidence::attach(
        &file,
        &dir,
        "Okta MFA policy".into(),
        Date::parse("2026-11-20"),
        Timestamp::parse("2026-11-21T10:00:00Z").unwrap(),
    )
    .unwrap();
    ev.attached = Timestamp::parse("2026-11-21T10:00:00Z").unwrap();
    let answers: [(&str, AnswerChange); 3] = [
        (
            "IAM-001",
            AnswerChange {
                status: Some(Status::Met),
                response: Some(
                    "Every person signs in through Okta; MFA is enforced by policy for all staff \
                     and contractors, and no IAM user has a console password."
                        .into(),
                ),
                add_evidence: vec![ev],
                ..Default::default()
            },
        ),
        (
            "IAM-002",
            AnswerChange {
                status: Some(Status::NotMet),
                plan_what: Some("Replace the two CI access keys with OIDC roles".into()),
                plan_owner: Some("Dana".into()),
                plan_due: Some(Date::parse("2027-01-31")),
                ..Default::default()
            },
        ),
        (
            "IAM-003",
            AnswerChange {
                status: Some(Status::NotApplicable),
                reason: Some("No IAM user has a password; sign-in is federated.".into()),
                ..Default::default()
            },
        ),
    ];
    for (id, change) in answers {
        edit::apply_answer(&mut p, checklist, id, change, &dir).unwrap();
    }
    Loaded::create(&t.project_path(), p).save().unwrap();
    t.app.open(&t.project_path()).unwrap();
    t
}

/// Selects `field` in the answer pane of the selected control by keys, as a user does: `g` to
/// the status, then `j` until it is selected (past the control's rows in AWS's workbook and
/// its required values, however many it has). Fails when the control shows no such field.
fn goto_field(t: &mut Tester, field: Field) {
    assert_eq!(t.app.st.focus, Pane::Answer);
    t.press("g");
    for _ in 0..t.app.fields().len() {
        if t.app.field() == field {
            return;
        }
        t.press("j");
    }
    assert_eq!(t.app.field(), field, "fields: {:?}", t.app.fields());
}

/// The screen at 80x24 and 200x60, in colour and as NO_COLOR draws it (where no cell carries a
/// colour, and the meaning stays in symbols and the focus marker).
fn snap(t: &mut Tester, name: &str) {
    let theme = t.app.st.theme;
    for (w, h) in SIZES {
        t.app.st.theme = Theme::COLOR;
        let buf = t.buffer(w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), styled_text(&buf));
        t.app.st.theme = Theme::MONO;
        let buf = t.buffer(w, h);
        assert_colourless(&buf);
        insta::assert_snapshot!(format!("{name}_no_colour_{w}x{h}"), styled_text(&buf));
    }
    t.app.st.theme = theme;
}

fn assert_colourless(buf: &Buffer) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            assert!(
                matches!(c.fg, Color::Reset) && matches!(c.bg, Color::Reset),
                "colour at {x},{y} with NO_COLOR:\n{}",
                buffer_text(buf)
            );
        }
    }
}

#[test]
fn start_screen() {
    let mut t = Tester::new();
    t.app.start.entries = vec![
        StartEntry {
            path: PathBuf::from("/home/dana/acme/ftr-assessment.toml"),
            title: "New assessment here".into(),
            checklist: String::new(),
            progress: None,
            edited: String::new(),
            problem: None,
            create: true,
        },
        StartEntry {
            path: PathBuf::from("/home/dana/widget/ftr-assessment.toml"),
            title: "Acme Ltd: Widget Cloud".into(),
            checklist: "partner-hosted 2026-02".into(),
            progress: Some((12, 44)),
            edited: "2026-11-20 17:42".into(),
            problem: None,
            create: false,
        },
        StartEntry {
            path: PathBuf::from("/home/dana/old/ftr-assessment.toml"),
            title: "/home/dana/old/ftr-assessment.toml".into(),
            checklist: String::new(),
            progress: None,
            edited: String::new(),
            problem: Some("no project file at /home/dana/old/ftr-assessment.toml".into()),
            create: false,
        },
    ];
    snap(&mut t, "start");
}

#[test]
fn profile_screen() {
    let mut t = fixture();
    t.app.st.goto(Screen::Profile);
    snap(&mut t, "profile");
    t.press("<Enter>");
    snap(&mut t, "profile_editing");
}

/// The upload files on the profile: a diagram, a report that matches and one changed since
/// it was attached, the last one selected.
#[test]
fn profile_files_screen() {
    let mut t = fixture();
    let lib = Library::embedded().unwrap();
    t.scratch
        .write("docs/architecture.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    t.scratch
        .write("reports/cis-eu-west-1.csv", vec![b'x'; 3000]);
    t.scratch
        .write("reports/cis-us-east-1.csv", vec![b'y'; 1000]);
    let at = Timestamp::parse("2026-11-21T10:00:00Z").unwrap();
    Loaded::update(&t.project_path(), &lib, |l| {
        let dir = l.dir();
        let file = |name: &str, produced: Option<Date>| {
            Evidence::attach(&dir.join(name), &dir, String::new(), produced, at).unwrap()
        };
        let p = &mut l.project;
        edit::attach_file(p, Slot::Diagram, file("docs/architecture.png", None));
        edit::attach_file(
            p,
            Slot::SecurityReport,
            file("reports/cis-eu-west-1.csv", Date::parse("2026-11-20")),
        );
        edit::attach_file(
            p,
            Slot::SecurityReport,
            file("reports/cis-us-east-1.csv", None),
        );
        Ok(())
    })
    .unwrap();
    t.scratch
        .write("reports/cis-us-east-1.csv", vec![b'z'; 1200]);
    t.app.open(&t.project_path()).unwrap();
    t.app.st.goto(Screen::Profile);
    // The last upload file's row: the submission's rows come after it.
    t.press("G k k k");
    assert_eq!(
        t.app.profile_row(),
        ftr_wizard::tui::app::ProfileRow::Report(1)
    );
    snap(&mut t, "profile_files");
}

#[test]
fn scoping_and_prerequisite_screens() {
    let mut t = fixture();
    t.app.st.goto(Screen::Scoping);
    snap(&mut t, "scoping");
    t.app.st.goto(Screen::Prerequisites);
    snap(&mut t, "prerequisites");
}

#[test]
fn interview_screens() {
    let mut t = fixture();
    assert!(t.app.select_control("IAM-001"));
    snap(&mut t, "interview_list");
    t.app.st.focus = Pane::Answer;
    t.press("G");
    snap(&mut t, "interview_evidence");
    goto_field(&mut t, Field::Response);
    t.press("<Enter>");
    assert!(t.app.st.editor.is_some());
    snap(&mut t, "interview_editing");
    t.press("<Esc>");
    assert!(t.app.select_control("IAM-002"));
    t.app.st.focus = Pane::Answer;
    snap(&mut t, "interview_gap");
}

/// IAM-001, marked met, with a Prowler scan imported that fails it: `!` beside it in the list,
/// and below the question the scan's line and a plain word that met needs an explanation.
#[test]
fn interview_scan_hints() {
    let mut t = fixture();
    let name =
        "prowler-output-123456789012-20260803124247_aws_foundational_technical_review_aws.csv";
    let fixture_csv = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/scans")
            .join(name),
    )
    .unwrap();
    let csv = t.scratch.write(name, fixture_csv);
    ftr_wizard::import::run(
        &ftr_wizard::import::Request {
            files: vec![csv],
            attach: false,
            security_reports: vec![],
        },
        &t.project_path(),
        &Library::embedded().unwrap(),
        &ftr_wizard::dates::Clock::fixed(common::now()),
    )
    .unwrap();
    t.app.open(&t.project_path()).unwrap();
    assert!(t.app.select_control("IAM-001"));
    snap(&mut t, "interview_scan_hints");
    // At 80x24 the question fills the guidance pane: the hints are a few lines down.
    t.press("<Tab> j j j j j j j");
    let text = t.screen(80, 24);
    insta::assert_snapshot!("interview_scan_hints_scrolled_80x24", text);
    // A failing scan reads as a warning, met-while-failing as an error, and `!` in the list.
    let buf = t.buffer(140, 40);
    let text = buffer_text(&buf);
    let (x, y) = find(&text, "! Prowler, 3 Aug");
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
    let (x, y) = find(&text, "Marked met, but this scan fails it");
    assert_eq!(buf[(x, y)].fg, Color::Red);
    let (x, y) = find(&text, "!Use temporary");
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
}

/// Resource names in a scan come from a file: they reach the screen with their control
/// characters shown, not acted on.
#[test]
fn scan_hints_are_escaped() {
    let mut t = fixture();
    let lib = Library::embedded().unwrap();
    Loaded::update(&t.project_path(), &lib, |l| {
        let scan: ftr_wizard::assessment::scan::Scan = toml::from_str(
            r#"
            source = "prowler-csv"
            file = "scan.csv"
            sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
            size = 1
            scanned = "2026-11-20T10:00:00Z"
            imported = "2026-11-21T10:00:00Z"
            [controls.IAM-001]
            failed = 1
            failing = ["arn:aws:iam::123456789012:user/eve\u001b[2J\u202e"]
            "#,
        )
        .unwrap();
        l.project.scans.push(scan);
        Ok(())
    })
    .unwrap();
    t.app.open(&t.project_path()).unwrap();
    assert!(t.app.select_control("IAM-001"));
    let text = t.screen(140, 40);
    assert!(
        text.contains("! Prowler, 20 Nov: 0 passed, 1 failed: arn:…:user/eve\\e[2J\\u{202e}"),
        "{text}"
    );
}

#[test]
fn interview_required_values() {
    let mut t = fixture();
    let lib = Library::embedded().unwrap();
    let dir = t.scratch.path().to_path_buf();
    Loaded::update(&t.project_path(), &lib, |l| {
        let c = lib.checklist("partner-hosted").unwrap();
        edit::apply_answer(
            &mut l.project,
            c,
            "RES-001",
            AnswerChange {
                status: Some(Status::Met),
                response: Some("Aurora backs up continuously; S3 objects are versioned.".into()),
                values: vec![("rpo".into(), "90m".into())],
                ..Default::default()
            },
            &dir,
        )?;
        edit::apply_answer(
            &mut l.project,
            c,
            "RES-004",
            AnswerChange {
                status: Some(Status::Met),
                ..Default::default()
            },
            &dir,
        )
    })
    .unwrap();
    t.app.open(&t.project_path()).unwrap();
    assert!(t.app.select_control("RES-001"));
    t.app.st.focus = Pane::Answer;
    goto_field(&mut t, Field::Value(0));
    snap(&mut t, "interview_value");
    t.press("<Enter>");
    snap(&mut t, "interview_value_editing");
    t.press("<Bksp> <Bksp> <Bksp>")
        .type_str("4 hourz")
        .press("<Enter>");
    snap(&mut t, "interview_value_refused");
    t.press("<Esc>");
    snap(&mut t, "interview_value_kept");
    assert!(t.app.select_control("RES-004"));
    t.app.st.focus = Pane::Answer;
    t.app.st.message = None;
    snap(&mut t, "interview_value_missing");
}

#[test]
fn review_and_export_screens() {
    let mut t = fixture();
    t.app.st.goto(Screen::Review);
    snap(&mut t, "review");
    t.app.st.goto(Screen::Export);
    snap(&mut t, "export");
    // The draft switched on: plainly on, and the names a draft goes to.
    t.press("i");
    snap(&mut t, "export_draft_on");
    // A draft built: what was written, and that it is not for the FTR request; the choice
    // is off again for the next build.
    t.press("<Enter>");
    t.wait_export();
    snap(&mut t, "export_draft");
}

#[test]
fn help_overlay_and_small_terminal() {
    let mut t = fixture();
    t.press("?");
    snap(&mut t, "help");
    t.press("<Esc>");
    let text = t.screen(79, 24);
    insta::assert_snapshot!("too_small_79x24", text);
}

// ---- a newer version of the checklist ----

/// The fixture with partner-hosted@2026-08 installed, opened again: the question is asked.
fn newer_fixture() -> Tester {
    let mut t = fixture();
    common::release::install(&mut t.app.st.library);
    let path = t.project_path();
    t.app.open(&path).unwrap();
    t
}

#[test]
fn newer_checklist_prompt_diff_and_preview() {
    let mut t = newer_fixture();
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Newer { .. })));
    snap(&mut t, "newer_prompt");
    t.press("<Enter>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Changes { .. })));
    snap(&mut t, "newer_diff");
    t.press("<PgDn>");
    snap(&mut t, "newer_diff_scrolled");
    t.press("m");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Migrate { .. })));
    snap(&mut t, "newer_preview");
    // Cancelled: nothing changed, and the header keeps the reminder.
    t.press("<Esc>");
    snap(&mut t, "newer_cancelled");
}

#[test]
fn after_a_move_the_reworded_answer_is_marked_to_review() {
    let mut t = newer_fixture();
    t.press("m y");
    assert!(t.app.st.popups.is_empty());
    assert_eq!(t.app.st.checklist().unwrap().version, "2026-08");
    snap(&mut t, "moved");
    assert!(t.app.select_control(common::release::REWORDED));
    t.app.st.focus = Pane::Answer;
    snap(&mut t, "interview_to_review");
}

#[test]
fn the_diff_view_escapes_checklist_text() {
    let mut t = fixture();
    let mut next = common::release::checklist();
    next.controls.last_mut().unwrap().title = "Alarms \u{1b}[2J\u{202e}reversed".into();
    t.app.st.library.catalog.push(next);
    let path = t.project_path();
    t.app.open(&path).unwrap();
    t.press("<Enter>");
    let screen = t.screen(140, 40);
    assert!(
        screen.contains("Alarms \\e[2J\\u{202e}reversed"),
        "{screen}"
    );
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'));
}

/// A release that retitles one control and changes another's second domain, evidence, value
/// label and workbook rows: the question counts each kind, and the popup lists each entry,
/// the new title under reworded with both titles.
#[test]
fn the_diff_view_lists_a_new_title_and_what_changed_beside_it() {
    use common::release::{
        DETAILED, NEW_LABEL, NEW_ROW, NEW_ROW_ADDED, NEW_TITLE, OLD_LABEL, OLD_ROW, OLD_TITLE,
        RETITLED,
    };
    let mut t = fixture();
    let mut next = common::release::parse(&common::release::details());
    let c = next.controls.iter_mut().find(|c| c.id == RETITLED).unwrap();
    c.title = NEW_TITLE.into();
    common::release::install_this(&mut t.app.st.library, next);
    let path = t.project_path();
    t.app.open(&path).unwrap();
    let screen = t.screen(200, 60);
    for part in [
        "What changed: 1 reworded, 2 workbook rows, 1 second domain, 1 evidence    │",
        "│expectation, 1 value label. ",
        "Your answers: 2 carried as they are, 1 to review.",
    ] {
        assert!(screen.contains(part), "{part}\n{screen}");
    }
    t.press("<Enter>");
    assert!(matches!(t.app.st.popups.top(), Some(Popup::Changes { .. })));
    snap(&mut t, "newer_diff_details");
    let screen = t.screen(200, 60);
    let id = |id: &str| format!("  {id:<11} ");
    for line in [
        "│Reworded (1): answers need a second look ".to_string(),
        format!("│{}{NEW_TITLE} ", id(RETITLED)),
        format!("│    title:  {OLD_TITLE} → {NEW_TITLE}"),
        "│Workbook rows (2): answers need a second look where a row was added or changed ".into(),
        format!("│{}changed RES-001.1 ", id(DETAILED)),
        format!("│    before: {OLD_ROW} "),
        format!("│    after:  {NEW_ROW} "),
        format!("│{}added RES-001.2 ", id(DETAILED)),
        format!("│    after:  {NEW_ROW_ADDED} "),
        "│Second domain changed (1) ".into(),
        format!("│{}none → Operational Excellence ", id(DETAILED)),
        "│Evidence changed (1) ".into(),
        format!(
            "│{}the response is the evidence → evidence expected ",
            id(DETAILED)
        ),
        "│Value labels changed (1) ".into(),
        format!("│{}rpo: {OLD_LABEL} → {NEW_LABEL} ", id(DETAILED)),
    ] {
        assert!(screen.contains(&line), "{line}\n{screen}");
    }
    assert!(!screen.contains("Renamed"), "{screen}");
}

// ---- colours that carry meaning ----

/// The cell of the status mark in the interview list for `id`.
fn mark_cell(buf: &Buffer, id: &str) -> ratatui::buffer::Cell {
    let text = buffer_text(buf);
    let (y, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(&format!(" {id} ")) && l.starts_with('│'))
        .unwrap_or_else(|| panic!("{id} not on screen:\n{text}"));
    let x = line.chars().position(|c| "✓✗–·".contains(c)).unwrap();
    buf[(x as u16, y as u16)].clone()
}

#[test]
fn status_colours_carry_meaning() {
    let mut t = fixture();
    assert!(t.app.select_control("IAM-004"));
    let buf = t.buffer(100, 30);
    let met = mark_cell(&buf, "IAM-001");
    let gap = mark_cell(&buf, "IAM-002");
    let na = mark_cell(&buf, "IAM-003");
    let open = mark_cell(&buf, "IAM-005");
    assert_eq!((met.symbol(), met.fg), ("✓", Color::Green));
    assert_eq!((gap.symbol(), gap.fg), ("✗", Color::Red));
    assert_eq!((na.symbol(), na.fg), ("–", Color::Blue));
    assert_eq!((open.symbol(), open.fg), ("·", Color::Yellow));
    // The four are distinct colours.
    let mut colours = vec![met.fg, gap.fg, na.fg, open.fg];
    colours.dedup();
    assert_eq!(colours.len(), 4);
}

#[test]
fn without_colour_the_meaning_survives_in_symbols_and_modifiers() {
    let mut t = fixture();
    t.app.st.theme = Theme::MONO;
    assert!(t.app.select_control("IAM-004"));
    let buf = t.buffer(100, 30);
    assert_colourless(&buf);
    let gap = mark_cell(&buf, "IAM-002");
    let open = mark_cell(&buf, "IAM-005");
    let met = mark_cell(&buf, "IAM-001");
    assert!(gap.modifier.contains(Modifier::BOLD));
    assert!(open.modifier.contains(Modifier::ITALIC));
    assert_eq!(met.symbol(), "✓");
    // The selected row is still visible: reversed.
    let text = buffer_text(&buf);
    let (_, y) = find(&text, "· IAM-004");
    let row_reversed = (0..40).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let mods: Vec<_> = (0..40).map(|x| buf[(x, y)].modifier).collect();
    assert!(
        row_reversed,
        "selection must show without colour: {mods:?}\n{text}"
    );
}

#[test]
fn findings_are_coloured_by_severity_on_the_review() {
    let mut t = fixture();
    t.app.st.goto(Screen::Review);
    let buf = t.buffer(120, 40);
    let text = buffer_text(&buf);
    let (x, y) = find(&text, "Errors (");
    assert_eq!(buf[(x, y)].fg, Color::Red);
    let (x, y) = find(&text, "✗ SUP-001");
    assert_eq!(buf[(x, y)].fg, Color::Red);
    // The first warning selected (one step past the last error): its heading shows above it.
    let errors = t.app.st.report.as_ref().unwrap().errors;
    assert!(errors > 0);
    t.press(&"j ".repeat(errors));
    let buf = t.buffer(120, 40);
    let text = buffer_text(&buf);
    let (x, y) = find(&text, "Warnings (");
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
}

/// Column and row of the first place `needle` appears on screen.
fn find(text: &str, needle: &str) -> (u16, u16) {
    for (y, line) in text.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            return (line[..at].chars().count() as u16, y as u16);
        }
    }
    panic!("{needle} not on screen:\n{text}");
}

/// The header shows the acceptance window near its end, and past it in words: a warning
/// while the day is a guess from the month and nothing newer is installed, an error once the
/// day is exact; the year when it is not this year's.
#[test]
fn the_header_shows_the_acceptance_window_near_and_past_its_end() {
    let mut t = fixture();
    let text = buffer_text(&t.buffer(100, 30));
    assert!(
        text.contains("partner-hosted 2026-02 · until ~27 Nov"),
        "{text}"
    );
    t.app.st.today = ftr_wizard::dates::Date::parse("2026-12-05").unwrap();
    let buf = t.buffer(100, 30);
    let text = buffer_text(&buf);
    let (x, y) = find(&text, "2026-02 · window ended ~27 Nov ");
    assert_eq!(buf[(x + 10, y)].fg, Color::Yellow);
    // A new year: the year is named.
    t.app.st.today = ftr_wizard::dates::Date::parse("2027-01-10").unwrap();
    let text = buffer_text(&t.buffer(100, 30));
    assert!(text.contains("window ended ~27 Nov 2026"), "{text}");
    // An exact day: AWS no longer accepts it, in the error colour.
    for c in t.app.st.library.checklists.iter_mut() {
        if let Some(until) = c.usable_until.as_mut() {
            until.approximate = false;
        }
    }
    t.app.st.today = ftr_wizard::dates::Date::parse("2026-12-05").unwrap();
    let buf = t.buffer(100, 30);
    let text = buffer_text(&buf);
    let (x, y) = find(&text, "window ended 27 Nov ");
    assert_eq!(buf[(x, y)].fg, Color::Red);
    // Two months before the end: nothing to say.
    t.app.st.today = ftr_wizard::dates::Date::parse("2026-09-01").unwrap();
    let text = buffer_text(&t.buffer(100, 30));
    assert!(!text.contains("27 Nov"), "{text}");
}

// ---- fields changed two ways ----

/// The fixture as a `git merge` in diff3 style leaves it when main and the branch `cto` both
/// changed IAM-001's response and IAM-002's status: ours, the base, theirs between markers.
fn resolve_fixture() -> Tester {
    let mut t = fixture();
    let path = t.project_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let response = text
        .lines()
        .find(|l| l.starts_with("response = \"Every person"))
        .unwrap()
        .to_string();
    let text = text.replacen(
        &format!("{response}\n"),
        &format!(
            "<<<<<<< HEAD\n{response}\n||||||| base\nresponse = \"Okta for everyone.\"\n=======\n\
             response = \"Staff and contractors sign in through Okta with MFA enforced by policy; \
             the two break-glass users have hardware keys kept in the office safe, and their use \
             pages the on-call engineer.\"\n>>>>>>> cto\n"
        ),
        1,
    );
    let text = text.replacen(
        "status = \"not-met\"\n",
        "<<<<<<< HEAD\nstatus = \"not-met\"\n||||||| base\n=======\nstatus = \"met\"\n>>>>>>> cto\n",
        1,
    );
    assert_eq!(text.matches("<<<<<<<").count(), 2, "{text}");
    std::fs::write(&path, text).unwrap();
    t.app.open(&path).unwrap();
    assert_eq!(t.app.st.screen, Screen::Resolve);
    assert_eq!(t.app.st.conflicts().len(), 2);
    t
}

#[test]
fn resolve_screen_after_a_git_merge() {
    let mut t = resolve_fixture();
    snap(&mut t, "resolve_git");
    // The message read, the footer shows the keys; the second conflict selected.
    t.press("j");
    snap(&mut t, "resolve_git_second");
    t.press("k e");
    snap(&mut t, "resolve_editing");
}

#[test]
fn resolve_screen_after_a_change_on_disk_to_the_same_field() {
    let mut t = fixture();
    assert!(t.app.select_control("IAM-003"));
    t.app.st.focus = Pane::Answer;
    goto_field(&mut t, Field::Reason);
    t.press("e <C-u>")
        .type_str("Sign-in is federated through Okta; no IAM user has a password.");
    let lib = Library::embedded().unwrap();
    Loaded::update(&t.project_path(), &lib, |l| {
        let c = lib.checklist("partner-hosted").unwrap();
        let dir = l.dir();
        edit::apply_answer(
            &mut l.project,
            c,
            "IAM-003",
            AnswerChange {
                reason: Some("Only roles; the CTO removed the last IAM user today.".into()),
                ..Default::default()
            },
            &dir,
        )
    })
    .unwrap();
    t.app.tick();
    assert_eq!(t.app.st.screen, Screen::Resolve);
    t.press("j");
    snap(&mut t, "resolve_disk");
}

#[test]
fn the_resolve_screen_escapes_file_text_and_reads_without_colour() {
    let mut t = resolve_fixture();
    let lib = Library::embedded().unwrap();
    let mut l = ftr_wizard::store::load(&t.project_path(), &lib).unwrap();
    l.project.conflicts[0].theirs = Some(toml::Value::String(
        "Okta \u{1b}[2J\u{202e}reversed\nsecond line".into(),
    ));
    l.save().unwrap();
    let path = t.project_path();
    t.app.open(&path).unwrap();
    t.app.st.theme = Theme::MONO;
    t.press("j k");
    let buf = t.buffer(100, 30);
    let text = buffer_text(&buf);
    assert!(text.contains("Okta \\e[2J\\u{202e}reversed"), "{text}");
    assert!(text.contains("  second line"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    assert_colourless(&buf);
    // The side headings stand out without colour; the selected conflict is reversed.
    let (x, y) = find(&text, "Ours: the value the file holds now");
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find(&text, "› IAM-001 (response)");
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
}

/// Without colour (NO_COLOR) the review's progress reads as a bar of `#` and `-` with the share
/// beside it, and the focused pane of the interview carries a marker in its title; at 80x24 and
/// 200x60.
#[test]
fn without_colour_progress_bars_and_the_focused_pane_read_plainly() {
    let mut t = fixture();
    t.app.st.theme = Theme::MONO;
    t.app.st.goto(Screen::Review);
    for (w, h) in SIZES {
        let text = t.screen(w, h);
        assert!(text.contains("[#"), "{text}");
        assert!(!text.contains('█') && !text.contains('▋'), "{text}");
    }
    assert!(t.app.select_control("IAM-004"));
    for (w, h) in SIZES {
        let text = t.screen(w, h);
        assert_eq!(text.matches('▸').count(), 1, "one pane is marked: {text}");
    }
}

/// The screen captures under `assets/` (and those the README and the manual under `docs/` show)
/// are the screens as the wizard draws them now: each equals its snapshot above, checked
/// against the real rendering.
#[test]
fn the_readme_the_manual_and_assets_show_the_screens_as_they_are() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let snapshot = |name: &str| {
        let text = std::fs::read_to_string(
            root.join("tests/it/snapshots")
                .join(format!("it__tui_snapshots__{name}.snap")),
        )
        .unwrap();
        // After the header (`---`, three lines, `---`), up to the styles.
        let body = text.splitn(3, "---\n").nth(2).unwrap();
        body.split(STYLES).next().unwrap().to_string()
    };
    // Each capture with the pages that show it.
    let shown: [(&str, &str, &[&str]); 5] = [
        ("start-80x24.txt", "start_80x24", &[]),
        ("export-80x24.txt", "export_80x24", &[]),
        (
            "export-upload-80x24.txt",
            "export_draft_80x24",
            &["docs/bundle.md"],
        ),
        (
            "interview_list-80x24.txt",
            "interview_list_80x24",
            &["README.md", "docs/wizard.md"],
        ),
        ("review-80x24.txt", "review_80x24", &["docs/wizard.md"]),
    ];
    for (asset, name, pages) in shown {
        let drawn = snapshot(name);
        let kept = std::fs::read_to_string(root.join("assets").join(asset)).unwrap();
        assert_eq!(
            kept.trim_end(),
            drawn.trim_end(),
            "assets/{asset} differs from the screen drawn now (tests/it/snapshots/it__tui_snapshots__{name}.snap): copy it over"
        );
        for page in pages {
            let text = std::fs::read_to_string(root.join(page)).unwrap();
            assert!(
                text.contains(&format!("```text\n{}\n```", drawn.trim_end())),
                "{page}'s copy of assets/{asset} differs from the screen drawn now"
            );
        }
    }
}
