//! Every readiness finding, each produced by the smallest project that shows it, and a project
//! that is ready.

use std::path::Path;

use ftr_wizard::assessment::edit::{self, AnswerChange};
use ftr_wizard::assessment::readiness::{self, Code, Report, Severity};
use ftr_wizard::assessment::{Evidence, PrereqAnswer, Project, Slot, Status};
use ftr_wizard::content::{Library, Model};
use ftr_wizard::dates::Date;

use crate::common::{self, Scratch};

fn today() -> Date {
    Date::parse(common::TODAY).unwrap()
}

fn lib() -> Library {
    Library::embedded().unwrap()
}

/// A customer-deployed project (the checklist has no end date, so no window closes on it) with
/// every control met with evidence, every scoping question and prerequisite answered: ready,
/// with one warning, [`aged`].
fn ready_project(lib: &Library, dir: &Path) -> Project {
    let mut p = Project::new();
    let checklist = lib.for_model(Model::CustomerDeployed).unwrap();
    p.choose_model(checklist, true);
    for q in &checklist.scoping {
        p.scoping.insert(q.id.clone(), true);
    }
    for pre in &lib.prerequisites {
        let value = match pre.minimum {
            Some(n) => PrereqAnswer::Count(n + 2),
            None => PrereqAnswer::Yes(true),
        };
        p.prerequisites.insert(pre.id.clone(), value);
    }
    std::fs::write(dir.join("guide.pdf"), b"%PDF-1.7 deployment guide").unwrap();
    attach_slot_files(&mut p, dir);
    // The form's slot for a customer-deployed product's guide.
    let guide = Evidence::attach(
        &dir.join("guide.pdf"),
        dir,
        String::new(),
        None,
        common::now(),
    );
    edit::attach_file(&mut p, Slot::DeploymentGuide, guide.unwrap());
    for c in &checklist.controls {
        let ev = Evidence::attach(
            &dir.join("guide.pdf"),
            dir,
            "Deployment guide".into(),
            None,
            common::now(),
        )
        .unwrap();
        edit::apply_answer(
            &mut p,
            checklist,
            &c.id,
            AnswerChange {
                status: Some(Status::Met),
                response: Some(format!(
                    "Section {} of our deployment guide covers this in full, step by step.",
                    c.id
                )),
                add_evidence: vec![ev],
                ..Default::default()
            },
            dir,
        )
        .unwrap();
    }
    p
}

/// The first bytes of a PNG file.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// A PNG diagram and one security tool report produced today.
fn attach_slot_files(p: &mut Project, dir: &Path) {
    std::fs::write(dir.join("architecture.png"), PNG).unwrap();
    std::fs::write(dir.join("cis.csv"), "Control,Status\nIAM.1,PASSED\n").unwrap();
    let file = |name: &str| {
        Evidence::attach(&dir.join(name), dir, String::new(), None, common::now()).unwrap()
    };
    edit::attach_file(p, Slot::Diagram, file("architecture.png"));
    edit::attach_file(p, Slot::SecurityReport, file("cis.csv"));
}

/// The readiness check on the tests' today; every command its fixes name must read as `ftr`'s.
fn run(p: &Project, lib: &Library, dir: &Path) -> Report {
    let report = readiness::check(p, lib, dir, today());
    common::commands::assert_fixes_read(&report);
    report
}

fn codes(r: &Report) -> Vec<(Code, Option<String>)> {
    r.findings
        .iter()
        .map(|f| (f.code, f.control.clone()))
        .collect()
}

/// The one finding of the ready project: the customer-deployed checklist (2022) was last
/// verified as AWS's current one more than a release cycle before the tests' today.
fn aged() -> (Code, Option<String>) {
    (Code::ChecklistUnverified, None)
}

fn has(r: &Report, code: Code, control: Option<&str>) -> bool {
    r.findings
        .iter()
        .any(|f| f.code == code && f.control.as_deref() == control)
}

fn severity_of(r: &Report, code: Code) -> Severity {
    r.findings.iter().find(|f| f.code == code).unwrap().severity
}

fn answer(p: &mut Project, lib: &Library, dir: &Path, id: &str, change: AnswerChange) {
    let checklist = edit::current_checklist(p, lib).unwrap().clone();
    edit::apply_answer(p, &checklist, id, change, dir).unwrap();
}

/// Answers the workbook row `row` with `choice`, as `ftr answer ROW --choice CHOICE` does.
fn choose(p: &mut Project, lib: &Library, row: &str, choice: &str) {
    let checklist = edit::current_checklist(p, lib).unwrap().clone();
    let row = edit::find_row(&checklist, row).unwrap().clone();
    edit::answer_row(p, &checklist, &row, choice).unwrap();
}

#[test]
fn a_complete_project_is_ready_with_only_the_checklist_age_warning() {
    let s = Scratch::new();
    let lib = lib();
    let p = ready_project(&lib, s.path());
    let r = run(&p, &lib, s.path());
    assert!(r.ready, "{:?}", codes(&r));
    assert_eq!(codes(&r), vec![aged()]);
    assert_eq!(r.findings[0].severity, Severity::Warning);
}

#[test]
fn no_model_and_unconfirmed_model_are_errors() {
    let s = Scratch::new();
    let lib = lib();
    let r = run(&Project::new(), &lib, s.path());
    assert!(!r.ready);
    assert!(has(&r, Code::ModelMissing, None));

    let mut p = ready_project(&lib, s.path());
    p.delivery.confirmed = false;
    let r = run(&p, &lib, s.path());
    assert!(!r.ready);
    assert_eq!(codes(&r), vec![(Code::ModelUnconfirmed, None), aged()]);
}

#[test]
fn unanswered_controls_are_errors_and_scoped_out_ones_are_not() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    p.answers
        .get_mut("customer-deployed")
        .unwrap()
        .remove("DSEC-007");
    p.answers
        .get_mut("customer-deployed")
        .unwrap()
        .remove("INT-001");
    p.scoping.insert("stores_secrets".into(), false);
    let r = run(&p, &lib, s.path());
    assert_eq!(
        codes(&r),
        vec![(Code::Unanswered, Some("INT-001".into())), aged()]
    );
    assert_eq!(severity_of(&r, Code::Unanswered), Severity::Error);
}

#[test]
fn met_without_evidence_is_an_error_and_thin_responses_are_warnings() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    let a = p.answers.get_mut("customer-deployed").unwrap();
    a.get_mut("INT-001").unwrap().evidence.clear();
    a.get_mut("INT-002").unwrap().response = "Yes, done.".into();
    a.get_mut("INT-004").unwrap().response = "   ".into();
    let r = run(&p, &lib, s.path());
    assert!(!r.ready);
    assert!(has(&r, Code::MetWithoutEvidence, Some("INT-001")));
    assert!(has(&r, Code::ResponseThin, Some("INT-002")));
    assert!(has(&r, Code::ResponseEmpty, Some("INT-004")));
    assert_eq!(severity_of(&r, Code::ResponseThin), Severity::Warning);
    assert_eq!(r.findings.len(), 4, "{:?}", codes(&r));
    assert!(codes(&r).contains(&aged()));
}

#[test]
fn controls_without_expected_evidence_accept_a_short_value() {
    // RES-001 (RPO) is answered by its value; a few words beside it are enough.
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::PartnerHosted).unwrap(), true);
    answer(
        &mut p,
        &lib,
        s.path(),
        "RES-001",
        AnswerChange {
            status: Some(Status::Met),
            response: Some("Hourly snapshots.".into()),
            values: vec![("rpo".into(), "1h".into())],
            ..Default::default()
        },
    );
    // Met with its workbook row unanswered, AWS's sheet still grades it fail.
    let r = run(&p, &lib, s.path());
    assert!(
        has(&r, Code::RowsUnanswered, Some("RES-001")),
        "{:?}",
        codes(&r)
    );
    choose(&mut p, &lib, "RES-001.1", "yes");
    let r = run(&p, &lib, s.path());
    assert!(
        !r.findings
            .iter()
            .any(|f| f.control.as_deref() == Some("RES-001")),
        "{:?}",
        codes(&r)
    );
}

#[test]
fn not_applicable_needs_a_reason() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    let a = p.answers.get_mut("customer-deployed").unwrap();
    a.get_mut("INT-005").unwrap().status = Status::NotApplicable;
    let r = run(&p, &lib, s.path());
    assert_eq!(
        codes(&r),
        vec![
            (Code::NotApplicableWithoutReason, Some("INT-005".into())),
            aged()
        ]
    );
    a_reason_clears_it(&mut p, &lib, s.path());
}

fn a_reason_clears_it(p: &mut Project, lib: &Library, dir: &Path) {
    answer(
        p,
        lib,
        dir,
        "INT-005",
        AnswerChange {
            reason: Some("We only support one Region, us-east-1, stated in the intro.".into()),
            ..Default::default()
        },
    );
    assert!(run(p, lib, dir).ready);
}

#[test]
fn not_met_needs_a_full_plan_and_stays_a_warning_once_planned() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    answer(
        &mut p,
        &lib,
        s.path(),
        "RM-004",
        AnswerChange {
            status: Some(Status::NotMet),
            plan_what: Some("Write the service-quota section".into()),
            ..Default::default()
        },
    );
    let r = run(&p, &lib, s.path());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::NotMetWithoutPlan)
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("an owner and a due date"),
        "{}",
        f.message
    );
    answer(
        &mut p,
        &lib,
        s.path(),
        "RM-004",
        AnswerChange {
            plan_owner: Some("Dana".into()),
            plan_due: Some(Date::parse("2027-01-31")),
            ..Default::default()
        },
    );
    let r = run(&p, &lib, s.path());
    assert!(r.ready);
    assert_eq!(
        codes(&r),
        vec![aged(), (Code::GapOpen, Some("RM-004".into()))]
    );
}

#[test]
fn evidence_missing_changed_or_not_a_file_are_errors() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    let extra = s.write("extra.txt", "v1");
    let folder = s.file("folder");
    std::fs::create_dir(&folder).unwrap();
    let gone = s.write("gone.txt", "soon deleted");
    let add = |p: &mut Project, id: &str, file: &Path| {
        let ev = Evidence::attach(file, s.path(), String::new(), None, common::now()).unwrap();
        answer(
            p,
            &lib,
            s.path(),
            id,
            AnswerChange {
                add_evidence: vec![ev],
                ..Default::default()
            },
        );
    };
    add(&mut p, "INT-001", &extra);
    add(&mut p, "INT-002", &gone);
    std::fs::write(&extra, "v2").unwrap();
    std::fs::remove_file(&gone).unwrap();
    // A directory put where a file was attached.
    p.answers
        .get_mut("customer-deployed")
        .unwrap()
        .get_mut("INT-003")
        .unwrap()
        .evidence[0]
        .path = "folder".into();
    let r = run(&p, &lib, s.path());
    assert!(
        has(&r, Code::EvidenceChanged, Some("INT-001")),
        "{:?}",
        codes(&r)
    );
    assert!(has(&r, Code::EvidenceMissing, Some("INT-002")));
    assert!(has(&r, Code::EvidenceNotAFile, Some("INT-003")));
    assert_eq!(r.errors, 3);
    // Attaching the changed file again records its new fingerprint.
    add(&mut p, "INT-001", &extra);
    let r = run(&p, &lib, s.path());
    assert!(!has(&r, Code::EvidenceChanged, Some("INT-001")));
    let stored = &p.answers["customer-deployed"]["INT-001"].evidence;
    assert_eq!(stored.iter().filter(|e| e.path == "extra.txt").count(), 1);
}

#[cfg(unix)]
#[test]
fn unreadable_evidence_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    let secret = s.write("locked.txt", "x");
    let ev = Evidence::attach(&secret, s.path(), String::new(), None, common::now()).unwrap();
    answer(
        &mut p,
        &lib,
        s.path(),
        "INT-004",
        AnswerChange {
            add_evidence: vec![ev],
            ..Default::default()
        },
    );
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read(&secret).is_ok(); // root reads it regardless
    let r = run(&p, &lib, s.path());
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    if !readable_anyway {
        assert!(has(&r, Code::EvidenceUnreadable, Some("INT-004")));
    } else {
        assert!(!has(&r, Code::EvidenceUnreadable, Some("INT-004")));
    }
}

#[test]
fn stale_evidence_follows_the_control_cadence() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::PartnerHosted).unwrap(), true);
    let audit = s.write("audit.pdf", "identity audit");
    let old = Evidence::attach(
        &audit,
        s.path(),
        String::new(),
        Date::parse("2026-06-01"),
        common::now(),
    )
    .unwrap();
    answer(
        &mut p,
        &lib,
        s.path(),
        "IAM-008",
        AnswerChange {
            status: Some(Status::Met),
            add_evidence: vec![old],
            ..Default::default()
        },
    );
    let r = run(&p, &lib, s.path());
    let stale = r
        .findings
        .iter()
        .find(|f| f.code == Code::EvidenceStale)
        .expect("stale finding");
    assert_eq!(stale.control.as_deref(), Some("IAM-008"));
    assert!(stale.message.contains("2026-06-01"), "{}", stale.message);
    assert!(stale.message.contains("quarter"), "{}", stale.message);
    // The same date is fresh for a yearly control.
    let yearly = Evidence::attach(
        &audit,
        s.path(),
        String::new(),
        Date::parse("2026-06-01"),
        common::now(),
    )
    .unwrap();
    answer(
        &mut p,
        &lib,
        s.path(),
        "WAFR-001",
        AnswerChange {
            status: Some(Status::Met),
            add_evidence: vec![yearly],
            ..Default::default()
        },
    );
    let r = run(&p, &lib, s.path());
    assert!(!has(&r, Code::EvidenceStale, Some("WAFR-001")));
}

#[test]
fn evidence_outside_the_project_folder_is_listed() {
    let s = Scratch::new();
    let outside = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    let f = outside.write("elsewhere.png", "png");
    let ev = Evidence::attach(&f, s.path(), String::new(), None, common::now()).unwrap();
    assert!(ev.path.starts_with('/'), "{}", ev.path);
    answer(
        &mut p,
        &lib,
        s.path(),
        "ARCH-001",
        AnswerChange {
            add_evidence: vec![ev],
            ..Default::default()
        },
    );
    let r = run(&p, &lib, s.path());
    assert!(r.ready);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::EvidenceOutside)
        .unwrap();
    assert!(f.message.contains("elsewhere.png"));
}

#[test]
fn unanswered_scoping_and_prerequisites_are_warnings() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    p.scoping.remove("is_licensed");
    p.prerequisites.remove("ace_terms");
    p.prerequisites
        .insert("ace_opportunities".into(), PrereqAnswer::Count(4));
    p.prerequisites
        .insert("software_path".into(), PrereqAnswer::Yes(false));
    let r = run(&p, &lib, s.path());
    assert!(r.ready, "prerequisites warn, they do not block");
    assert!(has(&r, Code::ScopingUnanswered, None));
    assert!(has(&r, Code::PrerequisiteUnanswered, None));
    let unmet: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.code == Code::PrerequisiteUnmet)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(unmet.len(), 2, "{unmet:?}");
    assert!(unmet.iter().any(|m| m.contains("4 of the 10")), "{unmet:?}");
    assert!(
        unmet.iter().any(|m| m.contains("not confirmed")),
        "{unmet:?}"
    );
}

#[test]
fn answers_on_a_version_that_is_not_installed_are_an_error_and_not_checked_against_another() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::Alternative).unwrap(), true);
    p.delivery.version = "2025-02".into();
    p.answers
        .entry("alternative".into())
        .or_default()
        .insert("ALT-009".into(), Default::default());
    let r = run(&p, &lib, s.path());
    let f = finding(&r, Code::ChecklistVersion);
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("alternative 2025-02"), "{}", f.message);
    assert!(
        f.fix.words().contains("ftr checklists add FILE"),
        "{}",
        f.fix
    );
    // Nothing is checked against the loaded 2025-08: no unanswered control, no orphan.
    assert!(!has(&r, Code::Unanswered, None), "{:?}", codes(&r));
    assert!(!has(&r, Code::OrphanAnswer, Some("ALT-009")));
    assert!(!has(&r, Code::ChecklistExpired, None));
    // On the loaded version: the answers are checked, and its window is reported.
    p.delivery.version = "2025-08".into();
    let r = run(&p, &lib, s.path());
    assert!(!has(&r, Code::ChecklistVersion, None));
    assert!(has(&r, Code::OrphanAnswer, Some("ALT-009")));
    assert!(
        has(&r, Code::ChecklistExpired, None),
        "usable until about 2026-05-27"
    );
    // On the last day the window is still open.
    let r = on(&p, &lib, s.path(), "2026-05-27");
    assert!(!has(&r, Code::ChecklistExpired, None));
}

/// `lib` with every checklist's last usable day exact, as if AWS's page named the day.
fn exact_days(mut lib: Library) -> Library {
    for c in lib.checklists.iter_mut().chain(lib.catalog.iter_mut()) {
        if let Some(until) = c.usable_until.as_mut() {
            until.approximate = false;
        }
    }
    lib
}

fn finding(r: &Report, code: Code) -> &readiness::Finding {
    r.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code:?} in {:?}", codes(r)))
}

/// [`run`] on `day`.
fn on(p: &Project, lib: &Library, dir: &Path, day: &str) -> Report {
    let report = readiness::check(p, lib, dir, Date::parse(day).unwrap());
    common::commands::assert_fixes_read(&report);
    report
}

#[test]
fn a_checklist_past_its_exact_window_is_an_error_until_the_choice_is_recorded() {
    let s = Scratch::new();
    let lib = exact_days(lib());
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::Alternative).unwrap(), true);
    // The alternative checklist (Aug 2025) is usable until 2026-05-27, here an exact day.
    let r = run(&p, &lib, s.path());
    let f = finding(&r, Code::ChecklistExpired);
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("until 2026-05-27"), "{}", f.message);
    assert!(f.message.contains("no longer accepts"), "{}", f.message);
    assert_eq!(
        f.fix.command_line().as_deref(),
        Some("ftr set accept-past-window yes")
    );
    // The override is recorded for the loaded version, and turns the error into a warning.
    let line = edit::set(&mut p, &lib, "accept-past-window", "yes").unwrap();
    assert!(line.contains("alternative 2025-08"), "{line}");
    assert!(line.contains("2026-05-27"), "{line}");
    assert_eq!(p.delivery.accept_past_window, "2025-08");
    let r = run(&p, &lib, s.path());
    let f = finding(&r, Code::ChecklistExpired);
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("records the choice"), "{}", f.message);
    assert_eq!(
        f.fix.command_line().as_deref(),
        Some("ftr set accept-past-window no")
    );
    // It survives a save and a load.
    let text = toml::to_string(&p).unwrap();
    assert!(text.contains("accept_past_window = \"2025-08\""), "{text}");
    let back: Project = toml::from_str(&text).unwrap();
    assert_eq!(back.delivery.accept_past_window, "2025-08");
    // A choice made for another version does not carry over.
    p.delivery.accept_past_window = "2025-02".into();
    let r = run(&p, &lib, s.path());
    assert_eq!(
        finding(&r, Code::ChecklistExpired).severity,
        Severity::Error
    );
    // `no` drops it.
    edit::set(&mut p, &lib, "accept-past-window", "yes").unwrap();
    edit::set(&mut p, &lib, "accept-past-window", "no").unwrap();
    assert_eq!(p.delivery.accept_past_window, "");
    assert!(!toml::to_string(&p).unwrap().contains("accept_past_window"));
    assert!(edit::set(&mut p, &lib, "accept-past-window", "maybe").is_err());
    // Without a model there is no window to accept.
    assert!(edit::set(&mut Project::new(), &lib, "accept-past-window", "yes").is_err());
}

#[test]
fn the_last_30_days_of_a_window_draw_a_warning_and_then_an_error() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::PartnerHosted).unwrap(), true);
    // Partner-hosted Feb 2026 is usable until about 2026-11-27; the tests' today is the day
    // before.
    let r = run(&p, &lib, s.path());
    let f = finding(&r, Code::ChecklistExpiring);
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message.contains("usable until about 2026-11-27"),
        "{}",
        f.message
    );
    assert!(f.message.contains("1 day left"), "{}", f.message);
    assert!(!has(&r, Code::ChecklistExpired, None));
    // 31 days before: nothing; 30 days before: the warning.
    assert!(!has(
        &on(&p, &lib, s.path(), "2026-10-27"),
        Code::ChecklistExpiring,
        None
    ));
    let r = on(&p, &lib, s.path(), "2026-10-28");
    assert!(
        finding(&r, Code::ChecklistExpiring)
            .message
            .contains("30 days left")
    );
    let r = on(&p, &lib, s.path(), "2026-11-27");
    assert!(
        finding(&r, Code::ChecklistExpiring)
            .message
            .contains("today is its last day")
    );
    // The day after: the day is a guess from the month and nothing newer is installed, so a
    // warning that says what is known and what to do.
    let r = on(&p, &lib, s.path(), "2026-11-28");
    assert!(!has(&r, Code::ChecklistExpiring, None));
    let f = finding(&r, Code::ChecklistExpired);
    assert_eq!(f.severity, Severity::Warning);
    for words in [
        "named only the month",
        "no newer release of it is installed",
        "apn-checklists.s3.amazonaws.com",
        "PSA or PDM",
    ] {
        assert!(f.message.contains(words), "{words}: {}", f.message);
    }
    assert_eq!(
        f.fix.command_line().as_deref(),
        Some("ftr set accept-past-window yes")
    );
    // With the day exact, an error.
    let exact = exact_days(lib.clone());
    let r = on(&p, &exact, s.path(), "2026-11-28");
    assert_eq!(
        finding(&r, Code::ChecklistExpired).severity,
        Severity::Error
    );
    // With a newer release installed (which names no longer acceptance of 2026-02), the same
    // day is an error too.
    let mut newer = lib.clone();
    common::release::install(&mut newer);
    let r = on(&p, &newer, s.path(), "2026-12-04");
    let f = finding(&r, Code::ChecklistExpired);
    assert_eq!(f.severity, Severity::Error, "{}", f.message);
}

#[test]
fn a_checklist_with_no_end_warns_once_its_verification_is_a_release_cycle_old() {
    let s = Scratch::new();
    let mut lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::CustomerDeployed).unwrap(), true);
    // Last verified 2026-04-23: 183 days later it still counts, a day more and it warns.
    assert!(!has(
        &on(&p, &lib, s.path(), "2026-10-23"),
        Code::ChecklistUnverified,
        None
    ));
    let r = on(&p, &lib, s.path(), "2026-10-24");
    let f = finding(&r, Code::ChecklistUnverified);
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("2026-04-23"), "{}", f.message);
    assert!(f.message.contains("184 days ago"), "{}", f.message);
    assert!(
        f.message.contains("released about 2022-03-01"),
        "{}",
        f.message
    );
    assert!(!has(&r, Code::ChecklistExpired, None));
    // A checklist with no end and no verification date warns whatever the day.
    let cd = lib
        .checklists
        .iter_mut()
        .find(|c| c.id == "customer-deployed")
        .unwrap();
    cd.last_verified = None;
    let r = on(&p, &lib, s.path(), "2022-04-01");
    assert!(
        finding(&r, Code::ChecklistUnverified)
            .message
            .contains("never verified"),
    );
}

#[test]
fn answers_on_the_superseded_version_say_how_long_it_stays_accepted() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::PartnerHosted).unwrap(), true);
    p.delivery.version = "2025-08".into();
    let r = on(&p, &lib, s.path(), "2026-03-01");
    let f = finding(&r, Code::ChecklistVersion);
    assert!(
        f.message
            .contains("AWS still accepts 2025-08 until 2026-05-27"),
        "{}",
        f.message
    );
    let r = run(&p, &lib, s.path());
    assert!(
        finding(&r, Code::ChecklistVersion)
            .message
            .contains("AWS accepted 2025-08 until 2026-05-27")
    );
    // Any other old version: no claim about it.
    p.delivery.version = "2025-02".into();
    let r = run(&p, &lib, s.path());
    assert!(!finding(&r, Code::ChecklistVersion).message.contains("AWS"));
}

#[test]
fn cadence_messages_say_who_sets_the_interval() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::PartnerHosted).unwrap(), true);
    let old = s.write("old.pdf", "a year and more ago");
    for id in ["ARC-005", "BAR-002", "IAM-002", "IAM-008"] {
        let ev = Evidence::attach(
            &old,
            s.path(),
            String::new(),
            Date::parse("2025-01-01"),
            common::now(),
        )
        .unwrap();
        answer(
            &mut p,
            &lib,
            s.path(),
            id,
            AnswerChange {
                status: Some(Status::Met),
                add_evidence: vec![ev],
                ..Default::default()
            },
        );
    }
    let r = run(&p, &lib, s.path());
    let stale = |id: &str| {
        r.findings
            .iter()
            .find(|f| f.code == Code::EvidenceStale && f.control.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id} is not stale"))
            .message
            .clone()
    };
    for id in ["ARC-005", "BAR-002"] {
        let m = stale(id);
        assert!(m.contains("this wizard's default"), "{m}");
        assert!(m.contains("AWS sets no interval"), "{m}");
        assert!(!m.contains("the control expects"), "{m}");
    }
    let m = stale("IAM-002");
    assert!(m.contains("AWS recommends rotating access keys"), "{m}");
    assert!(stale("IAM-008").contains("the control expects"));
}

#[test]
fn answers_to_retired_scoping_questions_are_unknown_keys_and_switch_nothing_off() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    let ph = lib.for_model(Model::PartnerHosted).unwrap();
    p.choose_model(ph, true);
    // A project from before the audit: these questions switched off NETSEC-001, IAM-003,
    // S3-001 and (customer-deployed) DSEC-011.
    for old in [
        "uses_vpc_security_groups",
        "iam_user_passwords",
        "uses_s3",
        "uses_instance_metadata",
    ] {
        p.scoping.insert(old.into(), false);
    }
    let r = run(&p, &lib, s.path());
    let unknown: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.code == Code::UnknownKey)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(unknown.len(), 4, "{unknown:?}");
    assert!(
        r.findings
            .iter()
            .filter(|f| f.code == Code::UnknownKey)
            .all(|f| f.severity == Severity::Warning)
    );
    assert!(unknown.iter().any(|m| m.contains("`iam_user_passwords`")));
    // The controls they switched off are asked again.
    for id in ["NETSEC-001", "IAM-003", "S3-001"] {
        assert!(has(&r, Code::Unanswered, Some(id)), "{id}: {:?}", codes(&r));
    }
    // And the new S3 question is unanswered.
    assert!(r.findings.iter().any(|f| f.code == Code::ScopingUnanswered
        && f.fix.command_line().as_deref() == Some("ftr set scoping.has_any_s3_bucket yes|no")));
}

#[test]
fn errors_come_before_warnings() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::PartnerHosted).unwrap(), false);
    let r = run(&p, &lib, s.path());
    let first_warning = r
        .findings
        .iter()
        .position(|f| f.severity == Severity::Warning)
        .unwrap();
    assert!(
        r.findings[..first_warning]
            .iter()
            .all(|f| f.severity == Severity::Error)
    );
    assert!(
        r.findings[first_warning..]
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
    assert_eq!(r.errors, first_warning);
    assert!(r.findings.iter().all(|f| !f.fix.words().is_empty()));
}

#[test]
fn typos_in_keys_wrong_case_ids_and_future_dates_are_reported() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    p.scoping.insert("stores_secretz".into(), true);
    p.prerequisites
        .insert("ace_oportunities".into(), PrereqAnswer::Count(12));
    p.prerequisites
        .insert("software_path".into(), PrereqAnswer::Count(7));
    p.answers
        .entry("retired-checklist".into())
        .or_default()
        .insert("X-1".into(), Default::default());
    // A lower-case id is not the control's answer: it is reported, with the right spelling.
    let lower = p.answers["customer-deployed"]["INT-001"].clone();
    p.answers
        .get_mut("customer-deployed")
        .unwrap()
        .insert("int-001".into(), lower);
    p.answers
        .get_mut("customer-deployed")
        .unwrap()
        .get_mut("INT-002")
        .unwrap()
        .evidence[0]
        .produced = Date::parse("2027-06-01");
    let r = run(&p, &lib, s.path());
    let msgs: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
    let has_msg = |needle: &str| msgs.iter().any(|m| m.contains(needle));
    assert!(
        has_msg("`stores_secretz` matches no scoping question"),
        "{msgs:#?}"
    );
    assert!(
        has_msg("`ace_oportunities` matches no prerequisite"),
        "{msgs:#?}"
    );
    assert!(has_msg("checklist `retired-checklist`"), "{msgs:#?}");
    assert!(has_msg("answered 7, but yes or no is needed"), "{msgs:#?}");
    assert!(has_msg("dated 2027-06-01, after today"), "{msgs:#?}");
    let orphan = r
        .findings
        .iter()
        .find(|f| f.code == Code::OrphanAnswer)
        .expect("the lower-case id is reported");
    assert_eq!(orphan.control.as_deref(), Some("int-001"));
    assert!(orphan.fix.words().contains("INT-001"), "{}", orphan.fix);
    assert!(r.ready, "these are warnings: {msgs:#?}");
}

fn slot_findings(r: &Report) -> Vec<(Code, Severity, Slot)> {
    r.findings
        .iter()
        .filter_map(|f| f.slot.map(|s| (f.code, f.severity, s)))
        .collect()
}

#[test]
fn a_missing_diagram_or_security_report_is_a_warning_even_without_a_model() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    p.profile.diagram = None;
    p.profile.security_reports.clear();
    let r = run(&p, &lib, s.path());
    assert!(r.ready, "{:?}", codes(&r));
    assert_eq!(
        slot_findings(&r),
        vec![
            (Code::DiagramMissing, Severity::Warning, Slot::Diagram),
            (
                Code::SecurityReportMissing,
                Severity::Warning,
                Slot::SecurityReport
            ),
        ]
    );
    let fixes: Vec<_> = r
        .findings
        .iter()
        .filter_map(|f| f.fix.command_line())
        .collect();
    assert!(
        fixes.contains(&"ftr set diagram FILE".to_string()),
        "{fixes:?}"
    );
    assert!(
        fixes.contains(&"ftr set security-report FILE".to_string()),
        "{fixes:?}"
    );
    let r = run(&Project::new(), &lib, s.path());
    assert!(has(&r, Code::DiagramMissing, None), "{:?}", codes(&r));
    assert!(has(&r, Code::SecurityReportMissing, None));
}

#[test]
fn a_diagram_is_told_by_its_bytes_not_its_name() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    let attach_as_diagram = |p: &mut Project, name: &str, bytes: &[u8]| {
        s.write(name, bytes);
        let ev =
            Evidence::attach(&s.file(name), s.path(), String::new(), None, common::now()).unwrap();
        edit::attach_file(p, Slot::Diagram, ev);
        run(p, &lib, s.path())
    };
    let r = attach_as_diagram(&mut p, "diagram.png", b"GIF89a\x01\x00\x01\x00");
    assert_eq!(
        slot_findings(&r),
        vec![(Code::DiagramFormat, Severity::Warning, Slot::Diagram)]
    );
    let f = r.findings.iter().find(|f| f.slot.is_some()).unwrap();
    assert!(f.message.contains("diagram.png"), "{}", f.message);
    assert!(f.message.contains("a GIF image"), "{}", f.message);
    let r = attach_as_diagram(&mut p, "notes.png", b"a text file named like a PNG\n");
    assert!(has(&r, Code::DiagramFormat, None), "{:?}", codes(&r));
    let r = attach_as_diagram(&mut p, "diagram.jpeg", b"\xFF\xD8\xFF\xE0\0\x10JFIF");
    assert_eq!(slot_findings(&r), vec![]);
    // A JPEG under a .png name is still a JPEG: the bytes decide.
    let r = attach_as_diagram(&mut p, "photo.png", b"\xFF\xD8\xFF\xDB\0\x43");
    assert_eq!(slot_findings(&r), vec![]);
    assert_eq!(p.profile.diagram.as_ref().unwrap().path, "photo.png");
}

#[test]
fn a_diagram_that_is_a_fifo_is_reported_without_being_opened() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    let d = p.profile.diagram.as_mut().unwrap();
    d.path = "pipe.png".into();
    let status = std::process::Command::new("mkfifo")
        .arg(s.file("pipe.png"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    // Were the fifo opened, this would block for ever (nothing writes to it).
    let r = run(&p, &lib, s.path());
    assert_eq!(
        slot_findings(&r),
        vec![(Code::EvidenceNotAFile, Severity::Error, Slot::Diagram)]
    );
}

#[test]
fn a_security_report_older_than_the_checklists_rule_is_stale() {
    let s = Scratch::new();
    let lib = lib();
    assert_eq!(
        lib.for_model(Model::CustomerDeployed)
            .unwrap()
            .scan_freshness_days,
        Some(30)
    );
    let mut p = ready_project(&lib, s.path());
    let report = &mut p.profile.security_reports[0];
    report.produced = Date::parse("2026-10-27"); // 30 days before 2026-11-26: still fresh
    assert_eq!(slot_findings(&run(&p, &lib, s.path())), vec![]);
    p.profile.security_reports[0].produced = Date::parse("2026-10-26");
    let r = run(&p, &lib, s.path());
    assert!(r.ready);
    assert_eq!(
        slot_findings(&r),
        vec![(
            Code::SecurityReportStale,
            Severity::Warning,
            Slot::SecurityReport
        )]
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::SecurityReportStale)
        .unwrap();
    assert!(f.message.contains("31 days ago"), "{}", f.message);
    assert_eq!(
        f.fix.command_line().as_deref(),
        Some("ftr set security-report cis.csv --produced YYYY-MM-DD")
    );
    // Without a date of its own, a report counts from the day it was attached.
    p.profile.security_reports[0].produced = None;
    let r = on(&p, &lib, s.path(), "2026-12-27");
    assert!(has(&r, Code::SecurityReportStale, None), "{:?}", codes(&r));
    let r = on(&p, &lib, s.path(), "2026-12-26");
    assert!(!has(&r, Code::SecurityReportStale, None), "{:?}", codes(&r));
}

#[test]
fn slot_files_missing_changed_or_not_a_file_are_errors_with_set_commands() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = ready_project(&lib, s.path());
    s.write("cis.csv", "Control,Status\nIAM.1,FAILED\n");
    std::fs::remove_file(s.file("architecture.png")).unwrap();
    let r = run(&p, &lib, s.path());
    assert!(!r.ready);
    assert_eq!(
        slot_findings(&r),
        vec![
            (Code::EvidenceMissing, Severity::Error, Slot::Diagram),
            (Code::EvidenceChanged, Severity::Error, Slot::SecurityReport),
        ]
    );
    let commands: Vec<_> = r
        .findings
        .iter()
        .filter_map(|f| f.fix.command_line())
        .collect();
    assert_eq!(
        commands,
        vec![
            "ftr set diagram --clear architecture.png".to_string(),
            "ftr set security-report cis.csv".to_string(),
        ]
    );
    assert!(r.findings.iter().all(|f| f.control.is_none()));
    // A folder where the report was, and a name that needs quoting.
    std::fs::remove_file(s.file("cis.csv")).unwrap();
    std::fs::create_dir(s.file("cis.csv")).unwrap();
    p.profile.diagram = None;
    s.write("it's here.png", PNG);
    let ev = Evidence::attach(
        &s.file("it's here.png"),
        s.path(),
        String::new(),
        None,
        common::now(),
    )
    .unwrap();
    edit::attach_file(&mut p, Slot::Diagram, ev);
    std::fs::remove_file(s.file("it's here.png")).unwrap();
    let r = run(&p, &lib, s.path());
    let f = |code| r.findings.iter().find(|f| f.code == code).unwrap();
    assert_eq!(f(Code::EvidenceNotAFile).slot, Some(Slot::SecurityReport));
    assert_eq!(
        f(Code::EvidenceMissing).fix.command_line().as_deref(),
        Some("ftr set diagram --clear 'it'\\''s here.png'")
    );
}

// ---- required values ----

/// A partner-hosted project with RES-001, RES-002 and RES-004 answered as `status`.
fn resilience(status: Status, dir: &Path) -> (Library, Project) {
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::PartnerHosted).unwrap(), true);
    for id in ["RES-001", "RES-002", "RES-004"] {
        answer(
            &mut p,
            &lib,
            dir,
            id,
            AnswerChange {
                status: Some(status),
                response: Some("Described in the runbook.".into()),
                ..Default::default()
            },
        );
    }
    (lib, p)
}

fn value_findings(r: &Report) -> Vec<(Code, String, String, Option<String>)> {
    r.findings
        .iter()
        .filter(|f| f.value.is_some())
        .map(|f| {
            (
                f.code,
                f.control.clone().unwrap(),
                f.value.clone().unwrap(),
                f.fix.command_line(),
            )
        })
        .collect()
}

#[test]
fn a_met_control_without_its_required_value_is_an_error_with_the_command() {
    let s = Scratch::new();
    let (lib, p) = resilience(Status::Met, s.path());
    let r = run(&p, &lib, s.path());
    assert_eq!(
        value_findings(&r),
        vec![
            (
                Code::ValueMissing,
                "RES-001".into(),
                "rpo".into(),
                Some("ftr answer RES-001 --value rpo=DURATION".into())
            ),
            (
                Code::ValueMissing,
                "RES-002".into(),
                "rto".into(),
                Some("ftr answer RES-002 --value rto=DURATION".into())
            ),
            (
                Code::ValueMissing,
                "RES-004".into(),
                "last_test".into(),
                Some("ftr answer RES-004 --value last_test=YYYY-MM-DD".into())
            ),
        ]
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::ValueMissing)
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("Recovery point objective (RPO)"),
        "{}",
        f.message
    );
}

#[test]
fn a_value_matters_when_met_but_a_malformed_one_is_an_error_under_any_status() {
    let s = Scratch::new();
    let (lib, mut p) = resilience(Status::NotMet, s.path());
    let r = run(&p, &lib, s.path());
    assert_eq!(value_findings(&r), vec![], "a gap need not give its values");
    // A value edited by hand into something that does not read.
    let a = p.answer_mut("partner-hosted", "RES-002");
    a.values.insert("rto".into(), "4 hourz".into());
    let r = run(&p, &lib, s.path());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::ValueMalformed)
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.control.as_deref(), Some("RES-002"));
    assert!(
        f.message.contains("`4 hourz` is not a duration"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("`hourz` is not a unit of time"),
        "{}",
        f.message
    );
    assert_eq!(
        f.fix.command_line().as_deref(),
        Some("ftr answer RES-002 --value rto=DURATION")
    );
}

#[test]
fn a_test_date_ahead_is_an_error_and_one_older_than_the_cadence_a_warning() {
    let s = Scratch::new();
    let (lib, mut p) = resilience(Status::Met, s.path());
    for (key, id) in [("rpo", "RES-001"), ("rto", "RES-002")] {
        p.answer_mut("partner-hosted", id)
            .values
            .insert(key.into(), "1h".into());
    }
    let mut date = |d: &str| {
        p.answer_mut("partner-hosted", "RES-004")
            .values
            .insert("last_test".into(), d.into());
        let r = run(&p, &lib, s.path());
        value_findings(&r)
            .into_iter()
            .map(|(code, ..)| code)
            .collect::<Vec<_>>()
    };
    // Today is 2026-11-26; the cadence is 365 days.
    assert_eq!(date("2026-11-27"), vec![Code::ValueFuture]);
    assert_eq!(date("2026-11-26"), vec![]);
    assert_eq!(
        date("2025-11-26"),
        vec![],
        "exactly 365 days is still fresh"
    );
    assert_eq!(date("2025-11-25"), vec![Code::ValueStale]);
    let r = run(&p, &lib, s.path());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == Code::ValueStale)
        .unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("366 days ago"), "{}", f.message);
    assert!(
        f.message.contains("within the last 12 months"),
        "{}",
        f.message
    );
    assert!(
        !r.findings
            .iter()
            .any(|f| f.value.is_some() && f.severity == Severity::Error),
        "a stale date warns, it does not block"
    );
}

#[test]
fn a_value_the_control_does_not_ask_for_is_reported_and_its_command_quoted() {
    let s = Scratch::new();
    let (lib, mut p) = resilience(Status::NotMet, s.path());
    let a = p.answer_mut("partner-hosted", "RES-001");
    a.values.insert("rpp".into(), "1h".into());
    a.values.insert("x; rm -rf ~".into(), "1h".into());
    let r = run(&p, &lib, s.path());
    let unknown: Vec<_> = value_findings(&r)
        .into_iter()
        .filter(|f| f.0 == Code::UnknownKey)
        .collect();
    assert_eq!(
        unknown,
        vec![
            (
                Code::UnknownKey,
                "RES-001".into(),
                "rpp".into(),
                Some("ftr answer RES-001 --value rpp=".into())
            ),
            (
                Code::UnknownKey,
                "RES-001".into(),
                "x; rm -rf ~".into(),
                Some("ftr answer RES-001 --value 'x; rm -rf ~='".into())
            ),
        ]
    );
}

#[test]
fn values_are_checked_when_given_and_a_refused_one_changes_nothing() {
    let s = Scratch::new();
    let (lib, mut p) = resilience(Status::Met, s.path());
    let checklist = lib.checklist("partner-hosted").unwrap();
    let before = p.clone();
    let give = |p: &mut Project, id: &str, key: &str, value: &str| {
        edit::apply_answer(
            p,
            checklist,
            id,
            AnswerChange {
                status: Some(Status::NotMet),
                values: vec![(key.into(), value.into())],
                ..Default::default()
            },
            s.path(),
        )
        .map_err(|e| e.to_string())
    };
    for (id, key, value, expect) in [
        (
            "RES-001",
            "rpo",
            "4 hourz",
            "RES-001 rpo: `4 hourz` is not a duration",
        ),
        ("RES-001", "rpo", "4", "has no unit"),
        ("RES-001", "rpp", "4h", "RES-001 has no value `rpp`"),
        ("RES-004", "last_test", "14/09/2026", "is not a date"),
        ("RES-005", "rpo", "4h", "RES-005 asks for no values"),
    ] {
        let err = give(&mut p, id, key, value).unwrap_err();
        assert!(err.contains(expect), "{err}");
        assert_eq!(
            p, before,
            "a refused value changes nothing, the status neither"
        );
    }
    let err = give(&mut p, "RES-001", "rpo", "4 hourz").unwrap_err();
    assert!(err.contains("as in --value rpo=4h"), "{err}");
    // Stored as typed (trimmed), under the checklist's key whatever the case typed.
    give(&mut p, "RES-001", "RPO", " 1.5h ").unwrap();
    let a = p.answer("partner-hosted", "RES-001").unwrap();
    assert_eq!(a.values.get("rpo").map(String::as_str), Some("1.5h"));
    // An empty value clears, also a key the control does not ask for.
    p.answer_mut("partner-hosted", "RES-001")
        .values
        .insert("rpp".into(), "x".into());
    give(&mut p, "RES-001", "rpo", "").unwrap();
    give(&mut p, "RES-001", "rpp", "").unwrap();
    assert!(
        p.answer("partner-hosted", "RES-001")
            .unwrap()
            .values
            .is_empty()
    );
}

#[test]
fn the_submitted_response_opens_with_the_values_in_canonical_form() {
    use ftr_wizard::assessment::values;
    let s = Scratch::new();
    let (lib, mut p) = resilience(Status::Met, s.path());
    let checklist = lib.checklist("partner-hosted").unwrap();
    let control = checklist.control("RES-001").unwrap();
    let a = p.answer("partner-hosted", "RES-001").unwrap().clone();
    assert_eq!(
        values::submitted_response(control, &a),
        "Described in the runbook.",
        "no value, the response as typed"
    );
    p.answer_mut("partner-hosted", "RES-001")
        .values
        .insert("rpo".into(), "90m".into());
    let a = p.answer("partner-hosted", "RES-001").unwrap().clone();
    assert_eq!(
        values::submitted_response(control, &a),
        "Recovery point objective (RPO): 1 hour 30 minutes\n\nDescribed in the runbook."
    );
    let mut bare = a.clone();
    bare.response.clear();
    assert_eq!(
        values::submitted_response(control, &bare),
        "Recovery point objective (RPO): 1 hour 30 minutes"
    );
    // A value that does not read is left out of what is submitted (the check reports it).
    let mut bad = a;
    bad.values.insert("rpo".into(), "soon".into());
    assert_eq!(
        values::submitted_response(control, &bad),
        "Described in the runbook."
    );
}

#[test]
fn the_values_count_as_something_to_read_but_not_as_the_whole_story_of_a_test() {
    let s = Scratch::new();
    let lib = lib();
    let mut p = Project::new();
    p.choose_model(lib.for_model(Model::PartnerHosted).unwrap(), true);
    std::fs::write(s.path().join("fis.pdf"), b"%PDF report").unwrap();
    let ev = Evidence::attach(
        &s.path().join("fis.pdf"),
        s.path(),
        String::new(),
        None,
        common::now(),
    )
    .unwrap();
    for (id, key, value, evidence) in [
        ("RES-001", "rpo", "1h", vec![]),
        ("RES-004", "last_test", "2026-09-14", vec![ev]),
    ] {
        answer(
            &mut p,
            &lib,
            s.path(),
            id,
            AnswerChange {
                status: Some(Status::Met),
                values: vec![(key.into(), value.into())],
                add_evidence: evidence,
                ..Default::default()
            },
        );
        choose(&mut p, &lib, &format!("{id}.1"), "yes");
    }
    let r = run(&p, &lib, s.path());
    let own = |id: &str| -> Vec<Code> {
        r.findings
            .iter()
            .filter(|f| f.control.as_deref() == Some(id))
            .map(|f| f.code)
            .collect()
    };
    assert_eq!(own("RES-001"), vec![], "the RPO is the response");
    assert_eq!(own("RES-004"), vec![Code::ResponseThin]);
    let thin = r
        .findings
        .iter()
        .find(|f| f.code == Code::ResponseThin)
        .unwrap();
    assert!(
        thin.message.contains("gives only its values"),
        "{}",
        thin.message
    );
}

#[test]
fn prerequisite_and_scoping_findings_speak_of_what_is_recorded_not_of_internal_keys() {
    let lib = lib();
    let s = Scratch::new();
    let mut p = ready_project(&lib, s.path());
    p.prerequisites
        .insert("ace_opportunities".into(), PrereqAnswer::Count(4));
    p.scoping.clear();
    let r = run(&p, &lib, s.path());
    let ace = r
        .findings
        .iter()
        .find(|f| f.code == Code::PrerequisiteUnmet)
        .expect("the ACE count is short");
    assert!(
        ace.message.contains("4 of the 10 expected"),
        "{}",
        ace.message
    );
    assert!(
        ace.fix
            .words()
            .starts_with("4 recorded; 6 more to reach 10."),
        "{}",
        ace.fix
    );
    assert_eq!(
        ace.fix.command_line().as_deref(),
        Some("ftr set prereq.ace_opportunities N")
    );
    let scoping: Vec<&String> = r
        .findings
        .iter()
        .filter(|f| f.code == Code::ScopingUnanswered)
        .map(|f| &f.message)
        .collect();
    assert!(!scoping.is_empty());
    for m in scoping {
        assert!(m.starts_with("A scoping question is unanswered: \""), "{m}");
        assert!(
            !m.contains('`') && !m.contains('_'),
            "an internal key shows: {m}"
        );
    }
}
