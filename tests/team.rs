//! Two people, one assessment: the project file in git, merged by plain git and by ftr's merge
//! driver, conflicts resolved, and old files upgraded. Real `git` in scratch repositories.

mod common;

use std::process::{Command, Output};

use common::Scratch;

/// Runs git in the scratch folder with no user or system configuration, a fixed identity and
/// fixed dates, and the environment `ftr` gets in the tests (a merge driver inherits it).
fn git_cmd(s: &Scratch, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(s.path())
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Dana")
        .env("GIT_AUTHOR_EMAIL", "dana@acme.example")
        .env("GIT_COMMITTER_NAME", "Dana")
        .env("GIT_COMMITTER_EMAIL", "dana@acme.example")
        .env("GIT_AUTHOR_DATE", "2026-11-26T09:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-26T09:00:00Z")
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
    commit_all(&s, "founder");
    git(&s, &["checkout", "-q", "cto"]);
    answer(&s, "IAM-002", "not-met", "Keys are rotated by hand.");
    answer(&s, "BAR-001", "met", "Nightly snapshots, kept 35 days.");
    s.ok(&["answer", "IAM-002", "--plan", "Rotate with Secrets Manager"]);
    commit_all(&s, "cto");
    git(&s, &["checkout", "-q", "main"]);
    // No merge driver configured: git's own line merge.
    let out = git_out(&s, &["merge", "-q", "--no-edit", "cto"]);
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
    commit_all(&s, "one file");
    git(&s, &["branch", "-f", "cto"]);
    // The founder changes the response; the CTO adds a second file.
    s.ok(&[
        "answer",
        "IAM-001",
        "--response",
        "SSO everywhere, MFA enforced.",
    ]);
    commit_all(&s, "response");
    git(&s, &["checkout", "-q", "cto"]);
    s.write("evidence/b.png", "b");
    s.ok(&["answer", "IAM-001", "--evidence", "evidence/b.png"]);
    commit_all(&s, "second file");
    git(&s, &["checkout", "-q", "main"]);
    let out = git_out(&s, &["merge", "-q", "--no-edit", "cto"]);
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
    assert!(new.contains("\nschema_version = 2\n"), "{new}");
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
