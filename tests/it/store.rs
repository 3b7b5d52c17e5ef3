//! The project file: round trip of every field, stable output, atomic and conflict-checked
//! saves, and the files it must refuse without changing them.

use ftr_wizard::assessment::{
    Answer, Delivery, Evidence, PrereqAnswer, Profile, Project, Remediation, Status,
};
use ftr_wizard::content::{Library, Model};
use ftr_wizard::dates::{Date, Timestamp};
use ftr_wizard::error::Error;
use ftr_wizard::store::{self, Loaded};

use crate::common::Scratch;

fn lib() -> Library {
    Library::embedded().unwrap()
}

/// A project with every field of the format set to something other than its default.
fn full_project() -> Project {
    let mut p = Project::new();
    let file = |path: &str, produced: Option<Date>, link_to: Option<&str>| Evidence {
        path: path.into(),
        sha256: "cd".repeat(32),
        size: 4321,
        attached: Timestamp::parse("2026-11-21T08:15:00Z").unwrap(),
        label: format!("{path} label"),
        produced,
        link_to: link_to.map(str::to_string),
    };
    p.profile = Profile {
        company: "Acme Ltd".into(),
        product: "Widget Cloud".into(),
        contact_name: "Dana Åkesson".into(),
        contact_email: "dana@acme.example".into(),
        diagram: Some(file("docs/architecture.png", None, Some("../shared/a.png"))),
        security_reports: vec![
            file("reports/cis eu-west-1.csv", Date::parse("2026-11-20"), None),
            file("reports/cis-us-east-1.csv", None, None),
        ],
        deployment_guide: Some(file("docs/deploy.pdf", None, None)),
        deployment_guide_url: String::new(),
        alternative_report: Some(file(
            "reports/soc2-type2.pdf",
            Date::parse("2026-10-01"),
            None,
        )),
        template: "aws/Partner Hosted Self-Assessment.xlsx".into(),
    };
    p.delivery = Delivery {
        model: Some(Model::PartnerHosted),
        confirmed: true,
        holds_soc2_or_wafr: Some(false),
        checklist: "partner-hosted".into(),
        version: "2026-02".into(),
        accept_past_window: "2026-02".into(),
    };
    p.scoping.insert("has_any_s3_bucket".into(), true);
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
        rows: [("IAM-001.1".to_string(), "Yes".to_string())].into(),
        response:
            "Every person signs in through Okta.\nMFA is enforced \"always\" \\ no exceptions."
                .into(),
        notes: "Ask IT for the new screenshot in Q1.".into(),
        reason: String::new(),
        values: Default::default(),
        remediation: Remediation::default(),
        evidence: vec![ev.clone()],
        review: String::new(),
    };
    let gap = Answer {
        status: Status::NotMet,
        rows: Default::default(),
        response: "Restore tests are not yet scheduled.".into(),
        notes: String::new(),
        reason: String::new(),
        values: Default::default(),
        remediation: Remediation {
            what: "Quarterly restore drill with a written log".into(),
            owner: "Sam".into(),
            due: Date::parse("2027-01-31"),
        },
        evidence: vec![],
        review: String::new(),
    };
    let na = Answer {
        status: Status::NotApplicable,
        reason: "No third party has access to our accounts.".into(),
        ..Answer::default()
    };
    let mut rpo = Answer {
        status: Status::Met,
        response: "Hourly snapshots.".into(),
        evidence: vec![ev.clone()],
        ..Answer::default()
    };
    rpo.values.insert("rpo".into(), "1h".into());
    let ph = p.answers.entry("partner-hosted".into()).or_default();
    ph.insert("RES-001".into(), rpo);
    ph.insert("IAM-001".into(), met.clone());
    ph.insert("BAR-002".into(), gap);
    ph.insert("IAM-005".into(), na);
    // The same file cited by two controls; and an answer for another checklist.
    let mut shared = met.clone();
    shared.evidence = vec![ev];
    ph.insert("IAM-004".into(), shared);
    // (The customer-deployed checklist has no workbook rows.)
    let int = Answer {
        rows: Default::default(),
        ..met
    };
    p.answers
        .entry("customer-deployed".into())
        .or_default()
        .insert("INT-001".into(), int);
    // As loading lays it out: every control of its checklist in checklist order.
    p.layout = ftr_wizard::assessment::Layout::of(lib().checklist("partner-hosted").unwrap());
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
    assert!(pos("schema_version = 3") < pos("[profile]"));
    assert!(pos("[profile]") < pos("contact_email = "));
    assert!(pos("contact_email = ") < pos("[profile.diagram]"));
    assert!(pos("[profile.diagram]") < pos("[[profile.security_reports]]"));
    assert!(pos("[[profile.security_reports]]") < pos("[delivery]"));
    assert_eq!(
        text.matches("[[profile.security_reports]]").count(),
        2,
        "{text}"
    );
    assert!(pos("[delivery]") < pos("[scoping]"));
    assert!(pos("[scoping]") < pos("[prerequisites]"));
    // Every control of the checklist has its own table in checklist order, answered or
    // not, so edits to different controls are separated by lines nobody changed.
    assert!(pos("[prerequisites]") < pos("[answers.partner-hosted.HOST-001]\n\n"));
    assert!(pos("[answers.partner-hosted.IAM-001]") < pos("[answers.partner-hosted.IAM-004]"));
    assert!(pos("[answers.partner-hosted.IAM-004]") < pos("[answers.partner-hosted.IAM-005]"));
    assert!(pos("[answers.partner-hosted.IAM-005]") < pos("[answers.partner-hosted.BAR-002]"));
    assert!(pos("[answers.partner-hosted.BAR-002]") < pos("[answers.partner-hosted.RES-001]"));
    // Answers to another checklist follow, only those given.
    assert!(pos("[answers.partner-hosted.RCVP-001]") < pos("[answers.customer-deployed.INT-001]"));
    assert_eq!(
        text.matches("[answers.customer-deployed.").count(),
        2,
        "{text}"
    );
    // Values as a table of their own, after the answer's text and before its evidence.
    assert!(
        pos("[answers.partner-hosted.RES-001]") < pos("[answers.partner-hosted.RES-001.values]")
    );
    assert!(
        text.contains("[answers.partner-hosted.RES-001.values]\nrpo = \"1h\"\n"),
        "{text}"
    );
    assert!(
        pos("[answers.partner-hosted.RES-001.values]")
            < pos("[[answers.partner-hosted.RES-001.evidence]]")
    );
    // A control's workbook rows as a table of their own, after the answer's text and before
    // its evidence.
    assert!(
        text.contains("[answers.partner-hosted.IAM-001.rows]\n\"IAM-001.1\" = \"Yes\"\n"),
        "{text}"
    );
    assert!(
        pos("notes = \"Ask IT for the new screenshot in Q1.\"")
            < pos("[answers.partner-hosted.IAM-001.rows]")
    );
    assert!(
        pos("[answers.partner-hosted.IAM-001.rows]")
            < pos("[[answers.partner-hosted.IAM-001.evidence]]")
    );
    // Native TOML dates, and multi-line text kept readable.
    assert!(text.contains("due = 2027-01-31"), "{text}");
    assert!(text.contains("attached = 2026-11-20T08:15:00Z"), "{text}");
    assert!(
        text.contains("response = '''\nEvery person signs in through Okta.\n"),
        "{text}"
    );
    // Each control is its own table, so edits to different controls merge cleanly.
    let answer_tables = text
        .lines()
        .filter(|l| l.starts_with("[answers.partner-hosted.") && l.matches('.').count() == 2)
        .count();
    assert_eq!(
        answer_tables,
        lib().checklist("partner-hosted").unwrap().controls.len(),
        "{text}"
    );
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

/// A partner-hosted project, written by `ftr new`, in `s`.
fn new_partner_hosted(s: &Scratch) {
    s.ftr()
        .args(["new", "--company", "Acme", "--model", "partner-hosted"])
        .assert()
        .success();
}

/// The names in the scratch folder, hidden ones (the data folder) left out.
fn visible_names(s: &Scratch) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".data")
        .collect();
    names.sort();
    names
}

#[test]
fn a_response_that_would_make_the_file_too_big_to_load_is_refused_before_saving() {
    let s = Scratch::new();
    new_partner_hosted(&s);
    let before = std::fs::read(s.project()).unwrap();
    // Under the limit as a file of its own (so `--response-file` reads it), over it once the
    // rest of the project is written around it.
    let limit = usize::try_from(store::MAX_PROJECT_BYTES).unwrap();
    let long = "pasted log line\n".repeat(limit / 16 - 4);
    assert!(long.len() < limit && long.len() + before.len() > limit);
    s.write("long.txt", &long);
    let out = s
        .ftr()
        .args(["answer", "IAM-001", "--status", "met", "--response-file"])
        .arg("long.txt")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for want in [
        "ftr-assessment.toml, field `answers.partner-hosted.IAM-001.response`: saving would make the file",
        "a project file may hold, so ftr could not open it again; nothing was written",
        "the response of IAM-001 takes 8.0 MB of it once written",
        "help: shorten it, or put the long text in a file and attach that as evidence: ftr answer IAM-001 --evidence FILE",
    ] {
        assert!(stderr.contains(want), "lacks `{want}`:\n{stderr}");
    }
    assert_eq!(
        std::fs::read(s.project()).unwrap(),
        before,
        "the file changed"
    );
    assert_eq!(visible_names(&s), ["ftr-assessment.toml", "long.txt"]);
    // And every command still works on it.
    s.ftr().arg("status").assert().success();
    s.ftr()
        .args([
            "answer",
            "IAM-001",
            "--status",
            "met",
            "--response",
            "Okta with MFA.",
        ])
        .assert()
        .success();
    assert!(s.read_project().contains("Okta with MFA."));
}

#[test]
fn control_characters_count_as_the_escapes_they_are_written_as() {
    let s = Scratch::new();
    new_partner_hosted(&s);
    let before = std::fs::read(s.project()).unwrap();
    // 1.5 MB in memory, written as `\u0001` six times that: 9 MB.
    let binary = "\u{1}".repeat(1_500_000);
    let file = s.write("binary.txt", &binary);
    assert!(std::fs::metadata(&file).unwrap().len() < store::MAX_PROJECT_BYTES / 4);
    let out = s
        .ftr()
        .args(["answer", "IAM-001", "--response-file", "binary.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("field `answers.partner-hosted.IAM-001.response`"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("mostly control characters, which are written as six-character \\u escapes"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(s.project()).unwrap(),
        before,
        "the file changed"
    );

    // The same check holds for every writer, the library's `save` included.
    let mut l = store::load(&s.project(), &lib()).unwrap();
    l.project
        .answer_mut("partner-hosted", "IAM-001")
        .notes
        .push_str(&binary);
    match l.save() {
        Err(Error::TooLarge(t)) => {
            assert!(t.bytes > store::MAX_PROJECT_BYTES, "{t}");
            let part = t.part.as_ref().expect("the notes are named");
            assert_eq!(part.field, "answers.partner-hosted.IAM-001.notes");
            assert_eq!(part.control.as_deref(), Some("IAM-001"));
            assert!(part.escapes);
        }
        other => panic!("saved or failed otherwise: {other:?}"),
    }
    assert_eq!(
        std::fs::read(s.project()).unwrap(),
        before,
        "the file changed"
    );
}

#[test]
fn the_size_limit_is_the_same_for_saving_and_loading() {
    let s = Scratch::new();
    // A file exactly at the limit is one a load accepts, so the limit itself saves. An empty
    // project already writes `company = ""`: each letter of the name adds one byte.
    let empty = store::to_text(&Project::new()).unwrap();
    assert!(empty.contains("company = \"\"\n"), "{empty}");
    let mut p = Project::new();
    p.profile.company =
        "x".repeat(usize::try_from(store::MAX_PROJECT_BYTES).unwrap() - empty.len());
    let mut l = Loaded::create(&s.file("at-limit.toml"), p);
    l.save().unwrap();
    assert_eq!(
        std::fs::metadata(s.file("at-limit.toml")).unwrap().len(),
        store::MAX_PROJECT_BYTES
    );
    store::load(&s.file("at-limit.toml"), &lib()).unwrap();
    l.project.profile.company.push('x');
    assert!(matches!(l.save(), Err(Error::TooLarge(_))));
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The project lives in `shared/`, and `proj/ftr-assessment.toml` is a relative link to it:
/// `ftr`, run from the scratch folder, must read the link from `proj/`, not from where it runs.
#[cfg(unix)]
#[test]
fn saving_through_a_symbolic_link_updates_the_file_it_points_to_and_keeps_its_mode() {
    let s = Scratch::new();
    let real = s.file("shared/acme.toml");
    std::fs::create_dir_all(s.file("shared")).unwrap();
    std::fs::create_dir_all(s.file("proj")).unwrap();
    Loaded::create(&real, full_project()).save().unwrap();
    set_mode(&real, 0o640);
    let link = s.file("proj/ftr-assessment.toml");
    std::os::unix::fs::symlink("../shared/acme.toml", &link).unwrap();

    s.ftr()
        .args([
            "set",
            "company",
            "X",
            "--project",
            "proj/ftr-assessment.toml",
        ])
        .assert()
        .success();
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        std::path::Path::new("../shared/acme.toml")
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("company = \"X\""), "{text}");
    assert_eq!(mode(&real), 0o640, "the target's mode changed");
    // No temporary file left in either folder.
    for dir in ["shared", "proj"] {
        let names: Vec<_> = std::fs::read_dir(s.file(dir)).unwrap().collect();
        assert_eq!(names.len(), 1, "{dir}: {names:?}");
    }

    // A chain of links ends at the same file; the library's save follows it too.
    std::os::unix::fs::symlink("proj/ftr-assessment.toml", s.project()).unwrap();
    let mut l = store::load(&s.project(), &lib()).unwrap();
    l.project.profile.product = "Through two links".into();
    l.save().unwrap();
    assert!(
        std::fs::symlink_metadata(s.project())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("Through two links")
    );
    assert_eq!(mode(&real), 0o640);

    // A change made through the real path meanwhile is still a conflict for the link's reader.
    Loaded::update(&real, &lib(), |l| {
        l.project.profile.product = "Theirs".into();
        Ok(())
    })
    .unwrap();
    l.project.profile.product = "Mine".into();
    assert!(matches!(l.save(), Err(Error::Conflict { .. })));
    assert!(std::fs::read_to_string(&real).unwrap().contains("Theirs"));
}

#[cfg(unix)]
#[test]
fn a_saved_file_keeps_its_mode_and_a_new_one_is_private() {
    let s = Scratch::new();
    Loaded::create(&s.project(), full_project()).save().unwrap();
    assert_eq!(mode(&s.project()), 0o600);
    set_mode(&s.project(), 0o644);
    s.ftr().args(["set", "product", "Kept"]).assert().success();
    assert_eq!(mode(&s.project()), 0o644);
    assert!(s.read_project().contains("product = \"Kept\""));
}

#[cfg(unix)]
#[test]
fn a_loop_of_links_is_refused_and_nothing_is_written() {
    let s = Scratch::new();
    std::os::unix::fs::symlink("b.toml", s.file("a.toml")).unwrap();
    std::os::unix::fs::symlink("a.toml", s.file("b.toml")).unwrap();
    let err = Loaded::create(&s.file("a.toml"), Project::new())
        .save()
        .unwrap_err();
    assert!(
        err.to_string().contains("a loop of symbolic links"),
        "{err}"
    );
    let mut names: Vec<_> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.toml", "b.toml"]);
}

/// A project whose one evidence entry, at `path`, says it is a link to `../shared/x.png`.
fn with_link_to(path: &str) -> String {
    format!(
        "schema_version = 1\n\n[answers.partner-hosted.IAM-001]\nstatus = \"met\"\n\n\
         [[answers.partner-hosted.IAM-001.evidence]]\npath = \"{path}\"\nsha256 = \"{}\"\n\
         size = 3\nattached = 2026-11-20T08:15:00Z\nlink_to = \"../shared/x.png\"\n",
        "ab".repeat(32)
    )
}

#[test]
fn link_to_loads_only_on_a_link_or_a_file_not_there() {
    let s = Scratch::new();
    s.write("ftr-assessment.toml", with_link_to("evidence/x.png"));
    // Not on this machine: loads, and the check reports the missing file.
    store::load(&s.project(), &lib()).unwrap();
    // A regular file there: refused, naming the line and the way out.
    s.write("evidence/x.png", "abc");
    let msg = store::load(&s.project(), &lib())
        .expect_err("must not load")
        .to_string();
    assert_eq!(s.read_project(), with_link_to("evidence/x.png"));
    assert!(msg.contains("line 11"), "{msg}");
    assert!(
        msg.contains("field `answers.partner-hosted.IAM-001.evidence.link_to`"),
        "{msg}"
    );
    assert!(
        msg.contains("is a regular file, not a symbolic link"),
        "{msg}"
    );
    assert!(
        msg.contains("remove that link_to line, or attach the file again"),
        "{msg}"
    );
    #[cfg(unix)]
    {
        // A link: loads.
        let s = Scratch::new();
        s.write("ftr-assessment.toml", with_link_to("evidence/x.png"));
        std::fs::create_dir(s.file("evidence")).unwrap();
        std::os::unix::fs::symlink("../shared/x.png", s.file("evidence/x.png")).unwrap();
        store::load(&s.project(), &lib()).unwrap();
    }
}

#[test]
fn classic_mac_line_ends_are_refused_naming_the_line() {
    let msg = refused(b"schema_version = 1\r\r[profile]\rcompany = \"Acme\"\r");
    assert!(msg.contains("line 1, column 19"), "{msg}");
    assert!(
        msg.contains("every line ends in a carriage return alone (classic Mac OS line ends)"),
        "{msg}"
    );
    assert!(
        msg.contains("save the file with LF (or CR LF) line ends"),
        "{msg}"
    );
    // One stray carriage return among LF line ends: its line.
    let msg = refused(b"schema_version = 1\n[profile]\ncompany = \"Acme\"\rproduct = \"W\"\n");
    assert!(msg.contains("line 3, column 17"), "{msg}");
    assert!(
        msg.contains("the line ends in a carriage return without a line feed"),
        "{msg}"
    );
}

#[test]
fn arrays_where_tables_belong_are_refused_not_read_in_order() {
    let msg = refused(b"schema_version = 1\nprofile = [\"Acme\", \"W\"]\n");
    assert!(msg.contains("line 2"), "{msg}");
    assert!(msg.contains("field `profile`"), "{msg}");
    assert!(msg.contains("expected a table such as [profile]"), "{msg}");
    assert!(
        msg.contains("values in an array are not read by position"),
        "{msg}"
    );
    let msg = refused(format!("schema_version = 1\n[answers.partner-hosted.IAM-001]\nevidence = [[\"a.png\", \"{}\", 3, 2026-11-20T08:15:00Z]]\n", "ab".repeat(32)).as_bytes());
    assert!(msg.contains("line 3"), "{msg}");
    assert!(
        msg.contains("field `answers.partner-hosted.IAM-001.evidence`"),
        "{msg}"
    );
}

#[test]
fn a_malformed_sha256_is_a_format_error() {
    for bad in [
        "",
        "abc",
        &"AB".repeat(32),
        &"ab".repeat(33),
        &format!("{} ", "ab".repeat(31)),
    ] {
        let text = format!(
            "schema_version = 1\n[[answers.partner-hosted.IAM-001.evidence]]\npath = \"a.png\"\n\
             sha256 = \"{bad}\"\nsize = 3\nattached = 2026-11-20T08:15:00Z\n"
        );
        let msg = refused(text.as_bytes());
        assert!(msg.contains("line 4"), "{msg}");
        assert!(
            msg.contains("field `answers.partner-hosted.IAM-001.evidence.sha256`"),
            "{msg}"
        );
        assert!(msg.contains("is not a SHA-256 fingerprint"), "{msg}");
        assert!(msg.contains("attach the file again"), "{msg}");
    }
}

#[test]
fn a_project_without_attachments_is_written_as_before() {
    let mut p = Project::new();
    p.profile.company = "Acme Ltd".into();
    p.profile.product = "Widget Cloud".into();
    assert_eq!(
        store::to_text(&p).unwrap(),
        "# FTR assessment, written by ftr (ftr-wizard). Plain TOML: edit, diff and merge freely.\n\
         schema_version = 3\n\n[profile]\ncompany = \"Acme Ltd\"\nproduct = \"Widget Cloud\"\n\n\
         [delivery]\nconfirmed = false\n"
    );
}

#[test]
fn a_diagram_label_that_would_make_the_file_too_big_is_named() {
    let s = Scratch::new();
    let mut p = Project::new();
    let limit = usize::try_from(store::MAX_PROJECT_BYTES).unwrap();
    p.profile.diagram = Some(Evidence {
        path: "d.png".into(),
        sha256: "ab".repeat(32),
        size: 1,
        attached: Timestamp::parse("2026-11-20T08:15:00Z").unwrap(),
        label: "x".repeat(limit),
        produced: None,
        link_to: None,
    });
    match Loaded::create(&s.project(), p).save() {
        Err(Error::TooLarge(t)) => {
            let part = t.part.expect("the label is named");
            assert_eq!(part.field, "profile.diagram.label");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(!s.project().exists());
}

#[test]
fn link_to_on_a_diagram_that_is_a_regular_file_is_refused() {
    let s = Scratch::new();
    let text = format!(
        "schema_version = 1\n\n[profile]\ncompany = \"Acme\"\n\n[profile.diagram]\n\
         path = \"d.png\"\nsha256 = \"{}\"\nsize = 3\nattached = 2026-11-20T08:15:00Z\n\
         link_to = \"../shared/d.png\"\n",
        "ab".repeat(32)
    );
    s.write("ftr-assessment.toml", &text);
    store::load(&s.project(), &lib()).unwrap();
    s.write("d.png", "abc");
    let msg = store::load(&s.project(), &lib())
        .expect_err("must not load")
        .to_string();
    assert!(msg.contains("line 11"), "{msg}");
    assert!(msg.contains("field `profile.diagram.link_to`"), "{msg}");
    assert!(msg.contains("ftr set diagram d.png"), "{msg}");
    assert_eq!(s.read_project(), text);
}

/// No file ftr creates is written through a symbolic link, not even one that points nowhere:
/// a backup takes the next free name, `checklists scaffold` and `init-git` refuse, and the
/// place the link points at is never created or changed.
#[cfg(unix)]
#[test]
fn new_files_are_never_written_through_a_link() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("authorized_keys");
    // A backup: the name a link holds is taken; the next one is used.
    let first = store::backup_path(&s.project(), "2026-02");
    symlink(&target, &first).unwrap();
    let backup = store::write_backup(&s.project(), "2026-02").unwrap();
    assert_ne!(backup, first);
    assert!(
        backup.to_string_lossy().ends_with(".2026-02.1.bak"),
        "{}",
        backup.display()
    );
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), s.read_project());
    assert!(!target.exists(), "the link's target was created");
    // A scaffold's default name held by a dangling link: refused, nothing written.
    symlink(&target, s.file("partner-hosted@2026-08.toml")).unwrap();
    s.ftr()
        .args([
            "checklists",
            "scaffold",
            "--from",
            "partner-hosted",
            "--version",
            "2026-08",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is a symbolic link"));
    assert!(!target.exists(), "scaffold wrote through the link");
    // .gitattributes as a link to a file elsewhere: refused, that file unchanged.
    std::fs::write(&target, "ssh-ed25519 AAAA… me\n").unwrap();
    symlink(&target, s.file(".gitattributes")).unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(s.path())
        .status()
        .unwrap();
    assert!(git.success());
    s.ftr()
        .args(["init-git"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is a symbolic link"));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "ssh-ed25519 AAAA… me\n"
    );
}
