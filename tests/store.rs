//! The project file: round trip of every field, stable output, atomic and conflict-checked
//! saves, and the files it must refuse without changing them.

mod common;

use common::Scratch;
use ftr_wizard::assessment::{
    Answer, Delivery, Evidence, PrereqAnswer, Profile, Project, Remediation, Status,
};
use ftr_wizard::content::{Library, Model};
use ftr_wizard::dates::{Date, Timestamp};
use ftr_wizard::error::Error;
use ftr_wizard::store::{self, Loaded};

fn lib() -> Library {
    Library::embedded().unwrap()
}

/// A project with every field of the format set to something other than its default.
fn full_project() -> Project {
    let mut p = Project::new();
    p.profile = Profile {
        company: "Acme Ltd".into(),
        product: "Widget Cloud".into(),
        contact_name: "Dana Åkesson".into(),
        contact_email: "dana@acme.example".into(),
    };
    p.delivery = Delivery {
        model: Some(Model::PartnerHosted),
        confirmed: true,
        holds_soc2_or_wafr: Some(false),
        checklist: "partner-hosted".into(),
        version: "2026-02".into(),
    };
    p.scoping.insert("uses_s3".into(), true);
    p.scoping.insert("publishes_sla".into(), false);
    p.prerequisites
        .insert("software_path".into(), PrereqAnswer::Yes(true));
    p.prerequisites
        .insert("ace_opportunities".into(), PrereqAnswer::Count(12));
    let ev = Evidence {
        path: "evidence/okta mfa.png".into(),
        sha256: "ab".repeat(32),
        size: 1234,
        attached: Timestamp::parse("2026-11-20T08:15:00Z").unwrap(),
        label: "Okta MFA policy".into(),
        produced: Date::parse("2026-11-19"),
        link_to: Some("../shared/okta-mfa.png".into()),
    };
    let met = Answer {
        status: Status::Met,
        response:
            "Every person signs in through Okta.\nMFA is enforced \"always\" \\ no exceptions."
                .into(),
        notes: "Ask IT for the new screenshot in Q1.".into(),
        reason: String::new(),
        remediation: Remediation::default(),
        evidence: vec![ev.clone()],
    };
    let gap = Answer {
        status: Status::NotMet,
        response: "Restore tests are not yet scheduled.".into(),
        notes: String::new(),
        reason: String::new(),
        remediation: Remediation {
            what: "Quarterly restore drill with a written log".into(),
            owner: "Sam".into(),
            due: Date::parse("2027-01-31"),
        },
        evidence: vec![],
    };
    let na = Answer {
        status: Status::NotApplicable,
        reason: "No third party has access to our accounts.".into(),
        ..Answer::default()
    };
    let ph = p.answers.entry("partner-hosted".into()).or_default();
    ph.insert("IAM-001".into(), met.clone());
    ph.insert("BAR-002".into(), gap);
    ph.insert("IAM-005".into(), na);
    // The same file cited by two controls; and an answer for another checklist.
    let mut shared = met.clone();
    shared.evidence = vec![ev];
    ph.insert("IAM-004".into(), shared);
    p.answers
        .entry("customer-deployed".into())
        .or_default()
        .insert("INT-001".into(), met);
    p
}

#[test]
fn every_field_survives_a_save_and_load() {
    let s = Scratch::new();
    let p = full_project();
    let mut l = Loaded::create(&s.project(), p.clone());
    l.save().unwrap();
    let back = store::load(&s.project(), &lib()).unwrap();
    assert_eq!(back.project, p);
    // And saving what was loaded writes the same bytes.
    let first = s.read_project();
    let mut back = back;
    back.project.profile.company = "Acme Ltd".into();
    back.save().unwrap();
    assert_eq!(s.read_project(), first);
}

#[test]
fn the_file_is_written_in_a_stable_readable_order() {
    let text = store::to_text(&full_project()).unwrap();
    let pos = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing in\n{text}"))
    };
    assert!(pos("schema_version = 1") < pos("[profile]"));
    assert!(pos("[profile]") < pos("[delivery]"));
    assert!(pos("[delivery]") < pos("[scoping]"));
    assert!(pos("[scoping]") < pos("[prerequisites]"));
    assert!(pos("[prerequisites]") < pos("[answers.customer-deployed.INT-001]"));
    // Controls sorted by id within a checklist, checklists sorted by id.
    assert!(pos("[answers.customer-deployed.INT-001]") < pos("[answers.partner-hosted.BAR-002]"));
    assert!(pos("[answers.partner-hosted.BAR-002]") < pos("[answers.partner-hosted.IAM-001]"));
    assert!(pos("[answers.partner-hosted.IAM-004]") < pos("[answers.partner-hosted.IAM-005]"));
    // Native TOML dates, and multi-line text kept readable.
    assert!(text.contains("due = 2027-01-31"), "{text}");
    assert!(text.contains("attached = 2026-11-20T08:15:00Z"), "{text}");
    assert!(
        text.contains("response = '''\nEvery person signs in through Okta.\n"),
        "{text}"
    );
    // Each answer is its own table, so edits to different controls merge cleanly.
    let answer_tables = text
        .lines()
        .filter(|l| l.starts_with("[answers.partner-hosted.") && l.matches('.').count() == 2)
        .count();
    assert_eq!(answer_tables, 4, "{text}");
    // Same input, same bytes.
    assert_eq!(text, store::to_text(&full_project()).unwrap());
}

#[test]
fn saving_is_atomic_private_and_leaves_no_temporary_files() {
    let s = Scratch::new();
    let mut l = Loaded::create(&s.project(), full_project());
    l.save().unwrap();
    l.project.profile.product = "Widget 2".into();
    l.save().unwrap();
    let names: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["ftr-assessment.toml".to_string()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.project()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(s.read_project().contains("product = \"Widget 2\""));
}

#[test]
fn a_save_over_a_file_changed_on_disk_is_refused() {
    let s = Scratch::new();
    Loaded::create(&s.project(), full_project()).save().unwrap();
    let mut mine = store::load(&s.project(), &lib()).unwrap();
    // Someone else saves in between.
    let mut theirs = store::load(&s.project(), &lib()).unwrap();
    theirs.project.profile.company = "Theirs".into();
    theirs.save().unwrap();
    let on_disk = s.read_project();
    assert!(mine.changed_on_disk().unwrap());
    mine.project.profile.company = "Mine".into();
    let err = mine.save().unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(s.read_project(), on_disk, "their answer must survive");
}

#[test]
fn creating_over_an_existing_file_is_refused() {
    let s = Scratch::new();
    s.write("ftr-assessment.toml", "not even toml [");
    let err = Loaded::create(&s.project(), Project::new())
        .save()
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }));
    assert_eq!(s.read_project(), "not even toml [");
}

#[test]
fn update_never_replaces_a_file_it_cannot_parse() {
    let s = Scratch::new();
    let bad = "schema_version = 1\n[profile]\ncompany = \"Acme\"\ncompany = \"Again\"\n";
    s.write("ftr-assessment.toml", bad);
    let err = Loaded::update(&s.project(), &lib(), |l| {
        l.project.profile.product = "x".into();
        Ok(())
    })
    .unwrap_err();
    assert!(matches!(err, Error::Parse(_)), "{err}");
    assert_eq!(s.read_project(), bad);
}

#[test]
fn byte_order_mark_and_crlf_line_ends_load() {
    let s = Scratch::new();
    let text = store::to_text(&full_project())
        .unwrap()
        .replace('\n', "\r\n");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    s.write("ftr-assessment.toml", &bytes);
    let l = store::load(&s.project(), &lib()).unwrap();
    assert_eq!(l.project.profile.company, "Acme Ltd");
    // Multi-line text reads back with its line breaks, whatever the file's line ends.
    assert!(
        l.project.answers["partner-hosted"]["IAM-001"]
            .response
            .contains("Okta.")
    );
}

/// Loads `text` as a project file and returns the error message; the file must not change.
fn refused(text: &[u8]) -> String {
    let s = Scratch::new();
    s.write("ftr-assessment.toml", text);
    let err = store::load(&s.project(), &lib()).expect_err("must not load");
    assert_eq!(std::fs::read(s.project()).unwrap(), text);
    err.to_string()
}

#[test]
fn malformed_files_are_refused_with_line_and_column() {
    let msg = refused(b"schema_version = 1\n[profile\ncompany = \"x\"\n");
    assert!(msg.contains("line 2, column"), "{msg}");

    let msg = refused(
        b"schema_version = 1\n[delivery]\nmodel = \"partner-hosted\"\nconfirmed = true\n\
          checklist = \"partner-hosted\"\n\n[answers.partner-hosted.IAM-001]\nstatus = \"mett\"\n",
    );
    assert!(msg.contains("line 8, column 10"), "{msg}");
    assert!(
        msg.contains("answers.partner-hosted.IAM-001.status"),
        "{msg}"
    );
    assert!(msg.contains("mett"), "{msg}");

    let msg = refused(b"schema_version = 1\n[profile]\ncompany = 42\n");
    assert!(msg.contains("line 3"), "{msg}");
    assert!(msg.contains("profile.company"), "{msg}");

    let msg = refused(
        b"schema_version = 1\n[answers.partner-hosted.BAR-002.remediation]\ndue = 2027-02-30\n",
    );
    assert!(msg.contains("line 3"), "{msg}");
    assert!(msg.contains("remediation.due"), "{msg}");
    assert!(msg.contains("invalid date"), "{msg}");

    let msg = refused(b"schema_version = 1\n[profile]\ncompnay = \"x\"\n");
    assert!(msg.contains("unknown field `compnay`"), "{msg}");
}

#[test]
fn a_newer_schema_is_refused_by_name() {
    let msg = refused(b"# from the future\nschema_version = 7\nfuture_table = 1\n");
    assert!(msg.contains("schema version 7"), "{msg}");
    assert!(msg.contains("line 2"), "{msg}");
    assert!(msg.contains("update ftr"), "{msg}");
}

#[test]
fn an_unknown_checklist_is_refused_with_its_line() {
    let msg = refused(
        b"schema_version = 1\n\n[delivery]\nmodel = \"partner-hosted\"\nchecklist = \"marketplace-ami\"\n",
    );
    assert!(msg.contains("unknown checklist `marketplace-ami`"), "{msg}");
    assert!(msg.contains("line 5"), "{msg}");
    assert!(
        msg.contains("partner-hosted, customer-deployed, alternative"),
        "{msg}"
    );
}

#[test]
fn invalid_utf8_and_nul_bytes_are_refused() {
    let msg = refused(b"schema_version = 1\n[profile]\ncompany = \"\xff\xfe\"\n");
    assert!(msg.contains("not valid UTF-8"), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");
    let msg = refused(b"schema_version = 1\n\0\n");
    assert!(msg.contains("NUL"), "{msg}");
}

#[test]
fn answers_to_controls_a_checklist_lacks_are_kept_on_save() {
    let s = Scratch::new();
    let mut p = full_project();
    p.answers.get_mut("partner-hosted").unwrap().insert(
        "ARC-003".into(),
        Answer {
            status: Status::Met,
            response: "Root MFA on every account.".into(),
            ..Answer::default()
        },
    );
    Loaded::create(&s.project(), p).save().unwrap();
    Loaded::update(&s.project(), &lib(), |l| {
        l.project.profile.product = "Changed".into();
        Ok(())
    })
    .unwrap();
    let text = s.read_project();
    assert!(text.contains("[answers.partner-hosted.ARC-003]"), "{text}");
    assert!(text.contains("Root MFA on every account."));
}
