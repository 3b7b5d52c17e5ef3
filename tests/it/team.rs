//! Two people, one assessment: the project file in git, merged by plain git and by ftr's merge
//! driver, conflicts resolved, and old files upgraded. Real `git` in scratch repositories.

use std::process::{Command, Output};

use crate::common::{self, Scratch};

/// Runs git in the scratch folder with no user or system configuration, a fixed identity and
/// fixed dates, and the environment `ftr` gets in the tests (a merge driver inherits it).
fn git_cmd(s: &Scratch, args: &[&str]) -> Command {
    let mut cmd = common::git_command(s.path());
    cmd.args(args)
        .env("FTR_DATA_DIR", s.file(".data"))
        .env("FTR_TODAY", common::TODAY)
        .env("FTR_NOW", common::NOW)
        .env_remove("FTR_CONTENT_DIR");
    cmd
}

fn git_out(s: &Scratch, args: &[&str]) -> Output {
    git_cmd(s, args)
        .output()
        .unwrap_or_else(|e| panic!("git {args:?} could not run (is git installed?): {e}"))
}

/// Runs git and asserts it succeeds.
fn git(s: &Scratch, args: &[&str]) -> String {
    let out = git_out(s, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A repository on `main` with a new partner-hosted project committed, plus a branch `cto`
/// from there, checked out on `main`.
fn repo() -> Scratch {
    let s = Scratch::new();
    git(&s, &["init", "-q", "-b", "main"]);
    s.write(".gitignore", ".data/\n");
    s.ok(&[
        "new",
        "--company",
        "Acme",
        "--product",
        "Widget",
        "--model",
        "partner-hosted",
    ]);
    git(&s, &["add", "."]);
    git(&s, &["commit", "-q", "-m", "base"]);
    git(&s, &["branch", "cto"]);
    s
}

fn commit_all(s: &Scratch, message: &str) {
    git(s, &["add", "-A"]);
    git(s, &["commit", "-q", "-m", message]);
}

fn answer(s: &Scratch, id: &str, status: &str, response: &str) {
    s.ok(&["answer", id, "--status", status, "--response", response]);
}

fn responses(s: &Scratch) -> serde_json::Value {
    s.json(&["status", "--json"])
}

/// The response and status of a control, read back through `ftr`.
fn answer_of(s: &Scratch, id: &str) -> (String, String) {
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    let p = ftr_wizard::store::load(&s.project(), &lib).unwrap().project;
    let a = p.answer("partner-hosted", id).cloned().unwrap_or_default();
    (a.status.key().to_string(), a.response)
}

#[test]
fn answers_to_different_controls_merge_under_plain_git() {
    let s = repo();
    // The founder answers IAM-001 and IAM-003 on main, the CTO IAM-002 and BAR-001 on a
    // branch: the walk-through that used to stop with a conflict.
    answer(
        &s,
        "IAM-001",
        "met",
        "Everyone signs in through Okta with MFA.",
    );
    answer(&s, "IAM-003", "met", "Root has MFA and no access keys.");
    s.write("evidence/okta.png", "png");
    s.ok(&["answer", "IAM-001", "--evidence", "evidence/okta.png"]);
    switch_to_cto(&s);
    answer(&s, "IAM-002", "not-met", "Keys are rotated by hand.");
    answer(&s, "BAR-001", "met", "Nightly snapshots, kept 35 days.");
    s.ok(&["answer", "IAM-002", "--plan", "Rotate with Secrets Manager"]);
    // No merge driver configured: git's own line merge.
    let out = merge_cto(&s);
    assert!(
        out.status.success(),
        "plain git merge conflicted: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        s.read_project()
    );
    assert!(!s.read_project().contains("<<<<<<<"));
    for (id, status, response) in [
        ("IAM-001", "met", "Everyone signs in through Okta with MFA."),
        ("IAM-003", "met", "Root has MFA and no access keys."),
        ("IAM-002", "not-met", "Keys are rotated by hand."),
        ("BAR-001", "met", "Nightly snapshots, kept 35 days."),
    ] {
        assert_eq!(
            answer_of(&s, id),
            (status.to_string(), response.to_string()),
            "{id}"
        );
    }
    let status = responses(&s);
    assert!(status.is_object(), "{status}");
    // Every command reads the merged file.
    s.ftr().args(["check", "--json"]).assert().code(1);
}

#[test]
fn two_people_adding_different_files_to_the_same_control_merge_under_plain_git() {
    let s = repo();
    answer(&s, "IAM-001", "met", "SSO everywhere.");
    s.write("evidence/a.png", "a");
    s.ok(&["answer", "IAM-001", "--evidence", "evidence/a.png"]);
    common_start(&s);
    // The founder changes the response; the CTO adds a second file.
    s.ok(&[
        "answer",
        "IAM-001",
        "--response",
        "SSO everywhere, MFA enforced.",
    ]);
    switch_to_cto(&s);
    s.write("evidence/b.png", "b");
    s.ok(&["answer", "IAM-001", "--evidence", "evidence/b.png"]);
    let out = merge_cto(&s);
    assert!(out.status.success(), "{}", s.read_project());
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    let p = ftr_wizard::store::load(&s.project(), &lib).unwrap().project;
    let a = p.answer("partner-hosted", "IAM-001").unwrap();
    assert_eq!(a.response, "SSO everywhere, MFA enforced.");
    let paths: Vec<&str> = a.evidence.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["evidence/a.png", "evidence/b.png"]);
}

#[test]
fn a_file_of_the_old_layout_loads_and_is_upgraded_on_its_next_save() {
    let s = Scratch::new();
    // Schema 1, as the previous release wrote it: answers only, in id order.
    let old = "# FTR assessment, written by ftr (ftr-wizard). Plain TOML: edit, diff and merge freely.\n\
schema_version = 1\n\n[profile]\ncompany = \"Acme\"\nproduct = \"Widget\"\n\n[delivery]\n\
model = \"partner-hosted\"\nconfirmed = true\nchecklist = \"partner-hosted\"\nversion = \"2026-02\"\n\n\
[answers.partner-hosted.BAR-001]\nstatus = \"met\"\nresponse = \"Nightly snapshots.\"\n\n\
[answers.partner-hosted.IAM-001]\nstatus = \"met\"\nresponse = \"\"\"\nOkta.\nMFA on.\"\"\"\n";
    s.write("ftr-assessment.toml", old);
    // Reading it changes nothing on disk.
    s.ok(&["status"]);
    s.ftr().args(["check", "--json"]).assert().code(1);
    assert_eq!(s.read_project(), old);
    assert_eq!(answer_of(&s, "IAM-001").1, "Okta.\nMFA on.");
    // The next change writes the new layout and says so in the schema version.
    answer(&s, "IAM-002", "not-met", "By hand.");
    let new = s.read_project();
    assert!(new.contains("\nschema_version = 3\n"), "{new}");
    // Its answers to partner-hosted are now answered in AWS's workbook rows: the move is
    // recorded, the statuses stand, and the rows are left to answer.
    assert!(
        new.contains(
            "[[migrations]]\nchecklist = \"project file\"\nfrom = \"schema 1\"\n\
             to = \"schema 3\"\non = 2026-11-26\nnote = \"controls are answered in the rows of \
             AWS's workbook: statuses kept, rows to answer\"\n"
        ),
        "{new}"
    );
    assert_eq!(new.matches("[[migrations]]").count(), 1, "{new}");
    // A file of schema 3 is not moved again.
    answer(&s, "IAM-003", "not-met", "Soon.");
    assert_eq!(s.read_project().matches("[[migrations]]").count(), 1);
    let check = s.json(&["check", "--json"]);
    let unanswered = common::codes(&check, "rows-unanswered");
    assert!(
        unanswered.contains(&"IAM-001".to_string()) && unanswered.contains(&"BAR-001".to_string()),
        "{check:#}"
    );
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    let order: Vec<String> = lib
        .checklist("partner-hosted")
        .unwrap()
        .controls
        .iter()
        .map(|c| format!("[answers.partner-hosted.{}]\n", c.id))
        .collect();
    let mut at = 0;
    for header in &order {
        let found = new[at..]
            .find(header.as_str())
            .unwrap_or_else(|| panic!("{header} missing or out of order in\n{new}"));
        at += found + header.len();
    }
    for (id, status, response) in [
        ("BAR-001", "met", "Nightly snapshots."),
        ("IAM-001", "met", "Okta.\nMFA on."),
        ("IAM-002", "not-met", "By hand."),
    ] {
        assert_eq!(
            answer_of(&s, id),
            (status.to_string(), response.to_string())
        );
    }
}

/// `repo()` with `ftr init-git` run and its `.gitattributes` committed, so git merges the
/// project file with `ftr merge-driver`.
fn repo_with_driver() -> Scratch {
    let s = repo();
    let out = s.ok(&["init-git"]).get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("ftr-assessment.toml merge=ftr"), "{out}");
    assert_eq!(
        std::fs::read_to_string(s.file(".gitattributes")).unwrap(),
        "ftr-assessment.toml merge=ftr\n"
    );
    let driver = git(&s, &["config", "--get", "merge.ftr.driver"]);
    assert!(
        driver.trim_end().ends_with(" merge-driver %O %A %B %P"),
        "{driver}"
    );
    // Running it again changes nothing.
    s.ok(&["init-git"]);
    assert_eq!(
        std::fs::read_to_string(s.file(".gitattributes")).unwrap(),
        "ftr-assessment.toml merge=ftr\n"
    );
    common_start(&s);
    s
}

/// The project as loaded by the library.
fn load(s: &Scratch) -> ftr_wizard::assessment::Project {
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    ftr_wizard::store::load(&s.project(), &lib).unwrap().project
}

#[test]
fn the_driver_merges_different_fields_of_one_control() {
    let s = repo_with_driver();
    answer(&s, "IAM-001", "met", "SSO everywhere.");
    common_start(&s);
    // The founder rewrites the response; the CTO adds notes, a file and a new status on the
    // same control, and the company name. Adjacent lines: plain git would conflict.
    s.ok(&[
        "answer",
        "IAM-001",
        "--response",
        "SSO everywhere, MFA enforced.",
    ]);
    switch_to_cto(&s);
    s.write("evidence/okta.png", "png");
    s.ok(&[
        "answer",
        "IAM-001",
        "--notes",
        "Screenshot from Okta admin.",
        "--evidence",
        "evidence/okta.png",
    ]);
    s.ok(&["set", "company", "Acme Ltd"]);
    let out = merge_cto(&s);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let p = load(&s);
    let a = p.answer("partner-hosted", "IAM-001").unwrap();
    assert_eq!(a.response, "SSO everywhere, MFA enforced.");
    assert_eq!(a.notes, "Screenshot from Okta admin.");
    assert_eq!(a.evidence.len(), 1);
    assert_eq!(p.profile.company, "Acme Ltd");
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
}

#[test]
fn the_same_field_changed_two_ways_leaves_a_loadable_file_with_both_values_and_exit_1() {
    let s = repo_with_driver();
    answer(&s, "IAM-001", "met", "SSO everywhere.");
    common_start(&s);
    s.ok(&["answer", "IAM-001", "--response", "Okta SSO with MFA."]);
    answer(&s, "IAM-003", "met", "Root locked away.");
    switch_to_cto(&s);
    s.ok(&["answer", "IAM-001", "--response", "Google Workspace SSO."]);
    answer(&s, "BAR-001", "met", "Snapshots.");
    let out = merge_cto(&s);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    // Git reports the conflict (the driver exited 1)...
    assert!(!out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("CONFLICT"), "{stdout}");
    assert!(stderr.contains("IAM-001 (response)"), "{stderr}");
    let status = git(&s, &["status", "--porcelain"]);
    assert!(status.contains("UU ftr-assessment.toml"), "{status}");
    // ... but the file is valid TOML with no markers, and every command reads it.
    let text = s.read_project();
    assert!(!text.contains("<<<<<<<"), "{text}");
    let p = load(&s);
    assert_eq!(
        p.answer("partner-hosted", "IAM-001").unwrap().response,
        "Okta SSO with MFA."
    );
    assert_eq!(
        p.answer("partner-hosted", "IAM-003").unwrap().response,
        "Root locked away."
    );
    assert_eq!(
        p.answer("partner-hosted", "BAR-001").unwrap().response,
        "Snapshots."
    );
    assert_eq!(p.conflicts.len(), 1, "{:?}", p.conflicts);
    let c = &p.conflicts[0];
    assert_eq!(c.at, ["answers", "partner-hosted", "IAM-001", "response"]);
    assert_eq!(
        c.ours.as_ref().unwrap().as_str(),
        Some("Okta SSO with MFA.")
    );
    assert_eq!(
        c.theirs.as_ref().unwrap().as_str(),
        Some("Google Workspace SSO.")
    );
    assert_eq!(c.base.as_ref().unwrap().as_str(), Some("SSO everywhere."));
    // The readiness check names it, with the command that settles it.
    let check = s.json(&["check", "--json"]);
    assert_eq!(common::codes(&check, "merge-conflict"), ["IAM-001"]);
    let finding = common::finding(&check, "merge-conflict");
    assert_eq!(
        finding["command"].as_str(),
        Some("ftr resolve IAM-001 --take ours|theirs")
    );
    // `ftr resolve` lists it and exits 1; keeping theirs settles it and exits 0.
    let out = s.ftr().arg("resolve").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(listing.contains("ours:   Okta SSO with MFA."), "{listing}");
    assert!(
        listing.contains("theirs: Google Workspace SSO."),
        "{listing}"
    );
    let out = s.ok(&["resolve", "IAM-001", "--take", "theirs"]);
    let said = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(said.contains("No conflicts left"), "{said}");
    let p = load(&s);
    assert!(p.conflicts.is_empty());
    assert_eq!(
        p.answer("partner-hosted", "IAM-001").unwrap().response,
        "Google Workspace SSO."
    );
    assert!(common::codes(&s.json(&["check", "--json"]), "merge-conflict").is_empty());
    // And git takes the result.
    git(&s, &["add", "ftr-assessment.toml"]);
    git(&s, &["commit", "-q", "--no-edit"]);
}

#[test]
fn a_file_with_conflict_markers_gets_a_message_naming_the_controls_and_the_command() {
    let s = repo();
    answer(&s, "IAM-001", "met", "SSO everywhere.");
    common_start(&s);
    s.ok(&["answer", "IAM-001", "--response", "Okta SSO with MFA."]);
    switch_to_cto(&s);
    s.ok(&["answer", "IAM-001", "--response", "Google Workspace SSO."]);
    // No driver: git leaves its markers.
    let out = merge_cto(&s);
    assert!(!out.status.success());
    let marked = s.read_project();
    assert!(marked.contains("<<<<<<< HEAD"), "{marked}");
    for args in [
        &["status"][..],
        &["check"],
        &["answer", "IAM-002", "--status", "met"],
    ] {
        let out = s.ftr().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("git conflict markers"), "{err}");
        assert!(err.contains("IAM-001 (response"), "{err}");
        assert!(err.contains("ftr resolve"), "{err}");
        assert!(!err.contains("TOML"), "not a syntax error: {err}");
        assert_eq!(s.read_project(), marked, "{args:?} changed the file");
    }
    // `ftr resolve` turns it into a valid file that keeps both values, then settles it.
    let out = s.ftr().arg("resolve").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(listing.contains("Merged the two versions"), "{listing}");
    assert!(listing.contains("ours:   Okta SSO with MFA."), "{listing}");
    assert!(
        listing.contains("theirs: Google Workspace SSO."),
        "{listing}"
    );
    assert!(!s.read_project().contains("<<<<<<<"));
    s.ok(&["status"]);
    s.ok(&["resolve", "--all", "--take", "ours"]);
    let p = load(&s);
    assert!(p.conflicts.is_empty());
    assert_eq!(
        p.answer("partner-hosted", "IAM-001").unwrap().response,
        "Okta SSO with MFA."
    );
}

#[test]
fn resolve_refuses_what_it_cannot_do_and_changes_nothing() {
    let s = repo();
    answer(&s, "IAM-001", "met", "SSO.");
    let before = s.read_project();
    for (args, needle) in [
        (&["resolve", "--take", "ours"][..], "--all"),
        (&["resolve", "IAM-001"], "--take"),
        (
            &["resolve", "IAM-009", "--take", "ours"],
            "no conflict matches `IAM-009`",
        ),
    ] {
        let out = s.ftr().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(s.read_project(), before);
    }
    // Nothing to resolve: exit 0 and says so.
    let out = s.ok(&["resolve"]);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("No conflicts left"));
    assert_eq!(s.read_project(), before);
}

#[test]
fn init_git_outside_a_repository_says_what_to_do() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let out = s
        .ftr()
        .arg("init-git")
        .env("GIT_CEILING_DIRECTORIES", s.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not in a git repository"), "{err}");
    assert!(err.contains("git init"), "{err}");
    assert!(!s.file(".gitattributes").exists());
}

mod merging {
    use ftr_wizard::assessment::{Evidence, Project, Status};
    use ftr_wizard::content::Library;
    use ftr_wizard::team::merge_projects;
    use proptest::prelude::*;

    const CONTROLS: [&str; 6] = [
        "IAM-001", "IAM-002", "IAM-003", "BAR-001", "RES-001", "SDAT-001",
    ];

    /// One change a person makes to one control.
    #[derive(Debug, Clone)]
    enum Edit {
        Status(usize, Status),
        Response(usize, String),
        Notes(usize, String),
        AddFile(usize, String),
    }

    impl Edit {
        fn control(&self) -> usize {
            match self {
                Edit::Status(c, _)
                | Edit::Response(c, _)
                | Edit::Notes(c, _)
                | Edit::AddFile(c, _) => *c,
            }
        }
    }

    fn status() -> impl Strategy<Value = Status> {
        prop_oneof![
            Just(Status::Met),
            Just(Status::NotMet),
            Just(Status::NotApplicable)
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Za-z ]{1,20}",
            "[a-z]{1,8}\n[a-z]{1,8}",
            Just("Same words".to_string())
        ]
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let c = 0..CONTROLS.len();
        prop_oneof![
            (c.clone(), status()).prop_map(|(c, s)| Edit::Status(c, s)),
            (c.clone(), text()).prop_map(|(c, t)| Edit::Response(c, t)),
            (c.clone(), text()).prop_map(|(c, t)| Edit::Notes(c, t)),
            (c, "[a-z]{1,6}").prop_map(|(c, f)| Edit::AddFile(c, format!("evidence/{f}.pdf"))),
        ]
    }

    fn file(path: &str) -> Evidence {
        Evidence {
            path: path.into(),
            sha256: "ab".repeat(32),
            size: 3,
            attached: crate::common::now(),
            label: String::new(),
            produced: None,
            link_to: None,
        }
    }

    fn apply(p: &mut Project, e: &Edit) {
        let a = p.answer_mut("partner-hosted", CONTROLS[e.control()]);
        match e {
            Edit::Status(_, s) => a.status = *s,
            Edit::Response(_, t) => a.response = t.clone(),
            Edit::Notes(_, t) => a.notes = t.clone(),
            Edit::AddFile(_, f) => {
                if !a.evidence.iter().any(|x| x.path == *f) {
                    a.evidence.push(file(f))
                }
            }
        }
    }

    /// The field of a control as the merge compares it.
    fn field(p: &Project, control: usize, name: &str) -> String {
        let a = p
            .answer("partner-hosted", CONTROLS[control])
            .cloned()
            .unwrap_or_default();
        match name {
            "status" => a.status.key().to_string(),
            "response" => a.response,
            "notes" => a.notes,
            _ => unreachable!(),
        }
    }

    fn files(p: &Project, control: usize) -> Vec<String> {
        p.answer("partner-hosted", CONTROLS[control])
            .map(|a| a.evidence.iter().map(|e| e.path.clone()).collect())
            .unwrap_or_default()
    }

    proptest! {
        #![proptest_config(crate::common::proptest_config(128))]

        /// Two people edit a common base; the merge loses no answer: what one side changed is
        /// in the result, what both changed alike is, what both changed differently is a
        /// conflict holding both values, and every file either side added is attached.
        #[test]
        fn merging_two_sets_of_edits_loses_no_answer(
            base_edits in proptest::collection::vec(edit(), 0..8),
            ours_edits in proptest::collection::vec(edit(), 0..8),
            theirs_edits in proptest::collection::vec(edit(), 0..8),
        ) {
            let lib = Library::embedded().unwrap();
            let mut base = Project::new();
            base.choose_model(lib.checklist("partner-hosted").unwrap(), true);
            for e in &base_edits {
                apply(&mut base, e);
            }
            let (mut ours, mut theirs) = (base.clone(), base.clone());
            for e in &ours_edits {
                apply(&mut ours, e);
            }
            for e in &theirs_edits {
                apply(&mut theirs, e);
            }
            let merged = merge_projects("merged.toml", Some(&base), &ours, &theirs, &lib)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let m = &merged.project;
            for (c, id) in CONTROLS.iter().enumerate() {
                for name in ["status", "response", "notes"] {
                    let (b, o, t) = (field(&base, c, name), field(&ours, c, name), field(&theirs, c, name));
                    let got = field(m, c, name);
                    let at: Vec<String> = ["answers", "partner-hosted", id, name]
                        .iter().map(|s| s.to_string()).collect();
                    let conflict = m.conflicts.iter().find(|x| x.at == at);
                    if o == t || t == b {
                        prop_assert_eq!(&got, &o, "{} {}", id, name);
                        prop_assert!(conflict.is_none());
                    } else if o == b {
                        prop_assert_eq!(&got, &t, "{} {}", id, name);
                        prop_assert!(conflict.is_none());
                    } else {
                        // Changed two ways: ours in place, both values kept.
                        prop_assert_eq!(&got, &o);
                        let conflict = conflict.ok_or_else(|| TestCaseError::fail(format!("no conflict at {at:?}")))?;
                        let value = |v: &Option<toml::Value>| v.as_ref().and_then(|v| v.as_str()).unwrap_or("").to_string();
                        let shown = |s: &str| if name == "status" && s == "unanswered" { String::new() } else { s.to_string() };
                        prop_assert_eq!(value(&conflict.ours), shown(&o));
                        prop_assert_eq!(value(&conflict.theirs), shown(&t));
                    }
                }
                let have = files(m, c);
                for f in files(&ours, c).iter().chain(&files(&theirs, c)) {
                    prop_assert!(have.contains(f), "{} lost {}", id, f);
                }
            }
            // The merged project, conflicts and all, is written and read back unchanged.
            let text = ftr_wizard::store::to_text(m).unwrap();
            let back = ftr_wizard::store::parse("merged.toml", &text, &lib)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(&back, m);
        }
    }
}

#[test]
fn the_driver_falls_back_to_a_line_merge_for_a_version_that_is_not_a_project() {
    let s = repo_with_driver();
    answer(&s, "IAM-001", "met", "SSO.");
    switch_to_cto(&s);
    // Someone committed a broken file on the branch.
    let broken = s.read_project().replace("[delivery]", "[delivery");
    s.write("ftr-assessment.toml", &broken);
    let out = merge_cto(&s);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(theirs)"), "{stderr}");
    assert!(stderr.contains("line by line"), "{stderr}");
    // Git's own merge took over: the broken line came in, and the answer stayed.
    let text = s.read_project();
    assert!(text.contains("[delivery\n"), "{text}");
    assert!(text.contains("response = \"SSO.\""), "{text}");
}

/// Commits what is in the folder as the start both people work from: `cto` moves there.
fn common_start(s: &Scratch) {
    commit_all(s, "common start");
    git(s, &["branch", "-f", "cto"]);
}

/// Commits what the founder did on main and switches to the `cto` branch.
fn switch_to_cto(s: &Scratch) {
    commit_all(s, "founder");
    git(s, &["checkout", "-q", "cto"]);
}

/// Commits what the CTO did and merges the `cto` branch into main; returns git's output.
fn merge_cto(s: &Scratch) -> Output {
    commit_all(s, "cto");
    git(s, &["checkout", "-q", "main"]);
    git_out(s, &["merge", "--no-edit", "cto"])
}

/// What the founder does on main, then what the CTO does on `cto`, merged into main.
fn two_sides(s: &Scratch, founder: impl FnOnce(&Scratch), cto: impl FnOnce(&Scratch)) -> Output {
    founder(s);
    switch_to_cto(s);
    cto(s);
    merge_cto(s)
}

fn merged_cleanly(s: &Scratch, out: &Output) {
    assert!(
        out.status.success(),
        "{}{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        s.read_project()
    );
}

#[test]
fn an_answer_to_the_last_control_and_a_first_scan_merge_under_plain_git() {
    let s = repo();
    let scan =
        "prowler-output-123456789012-20260803124247_aws_foundational_technical_review_aws.csv";
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scans")
        .join(scan);
    s.write(scan, std::fs::read(fixture).unwrap());
    common_start(&s);
    let out = two_sides(
        &s,
        |s| answer(s, "RCVP-001", "na", "We make no compliance claims."),
        |s| {
            s.ok(&["import", scan]);
        },
    );
    merged_cleanly(&s, &out);
    let p = load(&s);
    assert_eq!(p.scans.len(), 1);
    assert_eq!(answer_of(&s, "RCVP-001").0, "not-applicable");
}

#[test]
fn a_response_with_lines_like_conflict_markers_is_kept_as_written_and_never_read_as_a_conflict() {
    let s = repo();
    let text = "Paste from the runbook:\n<<<<<<< HEAD\nold \"step\" \\ one\n=======\nnew step\n>>>>>>> b\n|||||||\nend";
    s.ok(&["answer", "IAM-001", "--status", "met", "--response", text]);
    let file = s.read_project();
    assert!(
        !file.lines().any(|l| l.starts_with("<<<<<<<")
            || l.starts_with("=======")
            || l.starts_with(">>>>>>>")
            || l.starts_with("|||||||")),
        "{file}"
    );
    assert_eq!(answer_of(&s, "IAM-001").1, text);
    s.ok(&["status"]);
    // Nothing to resolve, and the text is untouched.
    s.ok(&["resolve"]);
    assert_eq!(answer_of(&s, "IAM-001").1, text);
    // A later change keeps it as it is.
    s.ok(&["answer", "IAM-002", "--status", "met"]);
    assert_eq!(answer_of(&s, "IAM-001").1, text);
}

#[test]
fn the_driver_merges_edits_to_different_paragraphs_of_one_response() {
    let s = repo_with_driver();
    let base = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.";
    answer(&s, "IAM-001", "met", base);
    common_start(&s);
    let out = two_sides(
        &s,
        |s| {
            s.ok(&[
                "answer",
                "IAM-001",
                "--response",
                &base.replace("First", "Opening"),
            ]);
        },
        |s| {
            s.ok(&[
                "answer",
                "IAM-001",
                "--response",
                &base.replace("Third", "Closing"),
            ]);
        },
    );
    merged_cleanly(&s, &out);
    assert_eq!(
        answer_of(&s, "IAM-001").1,
        "Opening paragraph.\n\nSecond paragraph.\n\nClosing paragraph."
    );
    assert!(load(&s).conflicts.is_empty());
}

#[test]
fn a_file_attached_again_on_both_sides_keeps_the_later_attachment() {
    let s = repo_with_driver();
    s.write("evidence/policy.pdf", "v1");
    s.ok(&[
        "answer",
        "IAM-001",
        "--status",
        "met",
        "--evidence",
        "evidence/policy.pdf",
    ]);
    common_start(&s);
    let attach = |s: &Scratch, content: &str, at: &str| {
        s.write("evidence/policy.pdf", content);
        s.ftr()
            .env("FTR_NOW", at)
            .args(["answer", "IAM-001", "--evidence", "evidence/policy.pdf"])
            .assert()
            .success();
    };
    let out = two_sides(
        &s,
        |s| attach(s, "founder's v2", "2026-11-26T10:00:00Z"),
        |s| attach(s, "cto's v3", "2026-11-26T11:00:00Z"),
    );
    // The file itself conflicts in git; the project file does not.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Merge conflict in evidence/policy.pdf"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Merge conflict in ftr-assessment.toml"),
        "{stdout}"
    );
    let p = load(&s);
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    let ev = &p.answer("partner-hosted", "IAM-001").unwrap().evidence;
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].attached.to_string(), "2026-11-26T11:00:00Z");
    assert_eq!(ev[0].size, "cto's v3".len() as u64);
}

#[test]
fn keeping_ours_keeps_an_edit_made_after_the_merge_and_theirs_restores_a_removed_file() {
    let s = repo_with_driver();
    s.write("a.txt", "a");
    s.ok(&[
        "answer",
        "IAM-001",
        "--status",
        "met",
        "--response",
        "SSO.",
        "--evidence",
        "a.txt",
    ]);
    common_start(&s);
    let out = two_sides(
        &s,
        |s| {
            s.ok(&[
                "answer",
                "IAM-001",
                "--response",
                "Okta.",
                "--remove-evidence",
                "a.txt",
            ]);
        },
        |s| {
            s.ok(&[
                "answer",
                "IAM-001",
                "--response",
                "Google.",
                "--evidence",
                "a.txt",
                "--label",
                "Login policy",
            ]);
        },
    );
    assert!(!out.status.success());
    let p = load(&s);
    assert_eq!(p.conflicts.len(), 2, "{:?}", p.conflicts);
    // The founder settles the response by writing a new one, then keeps "ours".
    s.ok(&["answer", "IAM-001", "--response", "Okta, final."]);
    // One conflict is left after this one: exit 1.
    s.ftr()
        .args(["resolve", "IAM-001.response", "--take", "ours"])
        .assert()
        .code(1);
    assert_eq!(answer_of(&s, "IAM-001").1, "Okta, final.");
    // Theirs brings back the file ours removed, with its label; the printed command works.
    let listing =
        String::from_utf8_lossy(&s.ftr().arg("resolve").output().unwrap().stdout).into_owned();
    assert!(
        listing.contains("IAM-001 (evidence[\"a.txt\"])"),
        "{listing}"
    );
    s.ok(&["resolve", "IAM-001.evidence[\"a.txt\"]", "--take", "theirs"]);
    let p = load(&s);
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    let a = p.answer("partner-hosted", "IAM-001").unwrap();
    assert_eq!(a.evidence.len(), 1);
    assert_eq!(a.evidence[0].label, "Login policy");
}

#[test]
fn init_git_matches_a_project_file_whose_name_has_spaces() {
    let s = repo();
    s.ok(&[
        "--project",
        "my project.toml",
        "new",
        "--model",
        "partner-hosted",
    ]);
    s.ok(&["--project", "my project.toml", "init-git"]);
    let attr = git(&s, &["check-attr", "merge", "--", "my project.toml"]);
    assert_eq!(attr.trim(), "my project.toml: merge: ftr");
    let other = git(&s, &["check-attr", "merge", "--", "my-project.toml"]);
    assert_eq!(other.trim(), "my-project.toml: merge: unspecified");
}

/// When one side does not read as a project, the driver merges line by line as git would, and
/// always reports a conflict: git never commits a file ftr cannot load.
#[test]
fn a_side_that_is_no_project_is_merged_by_line_and_left_as_a_conflict() {
    let s = Scratch::new();
    s.ok(&["new", "--company", "Acme", "--model", "partner-hosted"]);
    let base = s.read_project();
    let ours = base.replace("company = \"Acme\"", "company = \"Acme Ltd\"");
    assert_ne!(ours, base);
    // Theirs adds a line that is no TOML at the end, far from our change: git merges cleanly.
    let theirs = format!("{base}this is not toml\n");
    s.write("base.toml", &base);
    s.write("ours.toml", &ours);
    s.write("theirs.toml", &theirs);
    let out = s
        .ftr()
        .args([
            "merge-driver",
            "base.toml",
            "ours.toml",
            "theirs.toml",
            "ftr-assessment.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("line by line instead"), "{said}");
    assert!(said.contains("ftr check"), "{said}");
    // The line merge holds both sides.
    let merged = std::fs::read_to_string(s.file("ours.toml")).unwrap();
    assert!(merged.contains("company = \"Acme Ltd\""), "{merged}");
    assert!(merged.contains("this is not toml"), "{merged}");
}

/// `ftr init-git` writes a pattern git matches to the project file's name and nothing else,
/// whatever the name holds: a leading `!` or `#`, a backslash, glob characters, a space.
#[test]
fn init_git_patterns_match_odd_names_and_only_them() {
    let s = repo();
    for name in ["!x.toml", "a\\b.toml", "#x.toml", "sp ace.toml", "[x].toml"] {
        s.ok(&["new", name, "--model", "partner-hosted"]);
        s.ok(&["--project", name, "init-git"]);
        let said = git(&s, &["check-attr", "merge", "--", name]);
        assert!(said.trim_end().ends_with(": merge: ftr"), "{name}: {said}");
    }
    for other in ["x.toml", "ab.toml", "a\\\\b.toml", "y.toml"] {
        let said = git(&s, &["check-attr", "merge", "--", other]);
        assert!(
            said.trim_end().ends_with(": merge: unspecified"),
            "{other}: {said}"
        );
    }
}

/// Issue 19, item 4: a fifo handed to the merge driver in place of a file is refused at once,
/// naming it, with a non-zero exit; nothing waits on it. Should the driver ever open the fifo
/// again, the watchdog kills it after 60 s (and opens the fifo, which frees a reader blocked
/// on it, such as a `git merge-file` the driver started) and the test fails.
#[test]
fn a_fifo_given_to_the_merge_driver_is_refused_and_never_waited_on() {
    use std::io::Read;
    use std::process::Stdio;
    use std::sync::mpsc;
    use std::time::Duration;

    let s = Scratch::new();
    s.ok(&["new", "--company", "Acme", "--model", "partner-hosted"]);
    let text = s.read_project();
    s.write("base.toml", &text);
    s.write("ours.toml", &text);
    let made = Command::new("mkfifo")
        .arg(s.file("theirs.toml"))
        .status()
        .expect("mkfifo is needed for this test");
    assert!(made.success());
    // The binary as `s.ftr()` runs it, through std's Command to be spawned and watched.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ftr"))
        .current_dir(s.path())
        .env("FTR_DATA_DIR", s.file(".data"))
        .env("FTR_TODAY", common::TODAY)
        .env("FTR_NOW", common::NOW)
        .env_remove("FTR_CONTENT_DIR")
        .args(["merge-driver", "base.toml", "ours.toml", "theirs.toml"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stderr = child.stderr.take().unwrap();
    let (done, finished) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let mut said = String::new();
        let _ = stderr.read_to_string(&mut said);
        let status = child.wait();
        let _ = done.send(());
        (status, said)
    });
    let hung = finished.recv_timeout(Duration::from_secs(60)).is_err();
    if hung {
        // The driver we started, by its id; then whatever still waits to read the fifo.
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
        let _ = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(s.file("theirs.toml"));
    }
    let (status, said) = waiter.join().unwrap();
    assert!(
        !hung,
        "ftr merge-driver was still waiting on the fifo after 60 s"
    );
    let status = status.unwrap();
    assert!(!status.success(), "{status:?}: {said}");
    assert_eq!(status.code(), Some(2), "{said}");
    assert!(
        said.contains("theirs.toml (the theirs version) is a fifo"),
        "{said}"
    );
    assert!(said.contains("not a regular file"), "{said}");
    // Ours, where the merge would be written, is as it was.
    assert_eq!(std::fs::read_to_string(s.file("ours.toml")).unwrap(), text);
}
