//! Every command a readiness fix names reads as a command line of `ftr`: a readiness run over
//! projects that between them draw every kind of command, each command rendered, its
//! placeholders filled in, and read by `ftr`'s own clap definition.

use std::collections::BTreeSet;
use std::path::Path;

use ftr_wizard::assessment::deadlines::Outcome;
use ftr_wizard::assessment::edit::{self, AnswerChange};
use ftr_wizard::assessment::fix::{Arg, Command, Give, SetTo};
use ftr_wizard::assessment::readiness::{self, Report};
use ftr_wizard::assessment::scan::Scan;
use ftr_wizard::assessment::{Evidence, PrereqAnswer, Project, Slot, Status};
use ftr_wizard::content::{Checklist, Library, Model};
use ftr_wizard::dates::Date;
use ftr_wizard::merge::Conflict;

use crate::common::{self, Scratch, commands};

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn today() -> Date {
    day(common::TODAY)
}

/// `file` under `dir`, written with `bytes`, attached as evidence produced on `produced`.
fn attach(dir: &Path, file: &str, bytes: &[u8], produced: Option<&str>) -> Evidence {
    let path = dir.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    Evidence::attach(&path, dir, String::new(), produced.map(day), common::now()).unwrap()
}

fn change(p: &mut Project, checklist: &Checklist, dir: &Path, id: &str, c: AnswerChange) {
    edit::apply_answer(p, checklist, id, c, dir).unwrap();
}

fn choose(p: &mut Project, checklist: &Checklist, row: &str, choice: &str) {
    let row = edit::find_row(checklist, row).unwrap().clone();
    edit::answer_row(p, checklist, &row, choice).unwrap();
}

/// No model, no files, the prerequisites answered short.
fn bare(lib: &Library, dir: &Path) -> Report {
    let mut p = Project::new();
    p.prerequisites
        .insert("software_path".into(), PrereqAnswer::Yes(false));
    p.prerequisites
        .insert("ace_opportunities".into(), PrereqAnswer::Count(4));
    readiness::check(&p, lib, dir, today())
}

/// The control evidence of partner-hosted: missing (one named from `./`), changed, not a file,
/// dated ahead, stale, empty, outside the project folder, a symbolic link.
fn broken_evidence(p: &mut Project, checklist: &Checklist, dir: &Path) {
    let gone = attach(dir, "gone.pdf", b"soon deleted", None);
    let changed = attach(dir, "docs/audit -v2.pdf", b"v1", None);
    let ahead = attach(dir, "ahead.pdf", b"from the future", Some("2027-01-01"));
    let old = attach(dir, "old key rotation.pdf", b"old", Some("2026-01-01"));
    let dash = attach(dir, "-dash.pdf", b"dash", None);
    let folder = attach(dir, "folder", b"a file, then a folder", None);
    let empty = attach(dir, "empty.txt", b"", None);
    let beside = dir.parent().unwrap().join("outside.pdf");
    std::fs::write(&beside, b"outside").unwrap();
    let outside = Evidence::attach(&beside, dir, String::new(), None, common::now()).unwrap();
    let mut evidence = vec![
        ("IAM-001", gone),
        ("IAM-001", changed),
        ("ARC-005", ahead),
        ("IAM-008", old),
        ("ARC-004", dash),
        ("IAM-004", folder),
        ("IAM-005", empty),
        ("IAM-007", outside),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("ahead.pdf"), dir.join("link.pdf")).unwrap();
        let link = Evidence::attach(
            &dir.join("link.pdf"),
            dir,
            String::new(),
            None,
            common::now(),
        )
        .unwrap();
        evidence.push(("IAM-006", link));
    }
    for (id, ev) in evidence {
        change(
            p,
            checklist,
            dir,
            id,
            AnswerChange {
                add_evidence: vec![ev],
                ..Default::default()
            },
        );
    }
    std::fs::remove_file(dir.join("gone.pdf")).unwrap();
    std::fs::write(dir.join("docs/audit -v2.pdf"), b"v2 longer").unwrap();
    std::fs::remove_file(dir.join("-dash.pdf")).unwrap();
    std::fs::remove_file(dir.join("folder")).unwrap();
    std::fs::create_dir(dir.join("folder")).unwrap();
}

/// The upload slots of partner-hosted: a diagram that is no image, a report that changed, one
/// gone, one dated ahead and one past the checklist's freshness rule.
fn broken_slots(p: &mut Project, dir: &Path) {
    edit::attach_file(
        p,
        Slot::Diagram,
        attach(dir, "diagram.png", b"GIF89a", None),
    );
    for (file, produced) in [
        ("reports/cis prod.csv", None),
        ("reports/-gone.csv", None),
        ("reports/ahead.csv", Some("2027-01-01")),
        ("reports/old.csv", Some("2026-06-01")),
    ] {
        edit::attach_file(
            p,
            Slot::SecurityReport,
            attach(dir, file, b"Control,Status\n", produced),
        );
    }
    std::fs::write(dir.join("reports/cis prod.csv"), b"Control,Status\nIAM.1\n").unwrap();
    std::fs::remove_file(dir.join("reports/-gone.csv")).unwrap();
}

/// Answers that draw the rules about a control and its workbook rows.
fn answers(p: &mut Project, checklist: &Checklist, dir: &Path) {
    let status = |s| AnswerChange {
        status: Some(s),
        ..Default::default()
    };
    // Met without evidence or response; not applicable without a reason; not met unplanned.
    choose(p, checklist, "HOST-001.1", "yes");
    choose(p, checklist, "HOST-001.2", "yes");
    choose(p, checklist, "HOST-001.3", "yes");
    change(
        p,
        checklist,
        dir,
        "HOST-001",
        AnswerChange {
            status: Some(Status::Met),
            response: Some("It runs there.".into()),
            ..Default::default()
        },
    );
    change(p, checklist, dir, "WAFR-002", status(Status::NotApplicable));
    change(p, checklist, dir, "SUP-001", status(Status::NotMet));
    // A known gap, planned.
    change(
        p,
        checklist,
        dir,
        "BAR-001",
        AnswerChange {
            status: Some(Status::NotMet),
            plan_what: Some("Quarterly restore drill".into()),
            plan_owner: Some("Dana".into()),
            plan_due: Some(Some(day("2027-01-31"))),
            ..Default::default()
        },
    );
    // Rows that pass, but the response the sheet needs is empty.
    choose(p, checklist, "RES-001.1", "yes");
    // Met with a thin response, and reworded since.
    change(
        p,
        checklist,
        dir,
        "ACOM-002",
        AnswerChange {
            status: Some(Status::Met),
            response: Some("Yes.".into()),
            ..Default::default()
        },
    );
    let a = p
        .answers
        .get_mut(&checklist.id)
        .unwrap()
        .get_mut("ACOM-002")
        .unwrap();
    a.review = "2025-08".into();
    a.values.insert("bogus key".into(), "1".into());
    // A row holding a value its list lacks; a control met while its rows say it fails.
    choose(p, checklist, "ARC-001.1", "yes");
    let answers = p.answers.get_mut(&checklist.id).unwrap();
    let a = answers.get_mut("ARC-001").unwrap();
    a.status = Status::Met;
    let a = answers.entry("ACOM-001".into()).or_default();
    a.rows.insert("ACOM-001.1".into(), "Maybe".into());
    a.status = Status::Met;
    // Met with its rows open.
    let a = answers.entry("WAFR-001".into()).or_default();
    a.status = Status::Met;
    // Required values: missing while met, malformed, a date ahead.
    for (id, value) in [
        ("RES-001", None),
        ("RES-002", Some(("rto", "soon"))),
        ("RES-004", Some(("last_test", "2027-01-01"))),
    ] {
        let a = answers.entry(id.into()).or_default();
        a.status = Status::Met;
        if let Some((key, value)) = value {
            a.values.insert(key.into(), value.into());
        }
    }
}

/// A stale scan that fails a met control.
fn scan(checklist: &Checklist) -> Scan {
    let text = format!(
        r#"
source = "prowler-csv"
checklist = "{}"
file = "prowler.csv"
sha256 = "{}"
size = 10
scanned = "2026-09-01T00:00:00Z"
imported = "2026-09-01T00:00:00Z"

[controls.ACOM-002]
failed = 2
failing = ["arn:aws:iam::123456789012:root"]
"#,
        checklist.id,
        "0".repeat(64)
    );
    toml::from_str(&text).unwrap()
}

/// Partner-hosted, unconfirmed, with every kind of broken answer, file, key and merge.
fn partner_hosted(lib: &Library, dir: &Path) -> Report {
    let checklist = lib.for_model(Model::PartnerHosted).unwrap().clone();
    let mut p = Project::new();
    p.choose_model(&checklist, false);
    broken_evidence(&mut p, &checklist, dir);
    broken_slots(&mut p, dir);
    answers(&mut p, &checklist, dir);
    // A control switched off by scoping that the sheet fails all the same.
    p.scoping.insert("long_lived_iam_keys".into(), false);
    p.scans.push(scan(&checklist));
    // Keys that match nothing; an answer in the wrong case and one to a retired control.
    p.scoping.insert("retired_question".into(), true);
    p.prerequisites
        .insert("retired_prereq".into(), PrereqAnswer::Yes(true));
    p.answers
        .insert("retired-checklist".into(), Default::default());
    let answers = p.answers.get_mut(&checklist.id).unwrap();
    answers.entry("iam-003".into()).or_default().response = "lower case".into();
    answers.entry("XYZ-999".into()).or_default().response = "retired".into();
    // Two merge conflicts: a control's field, and a field with a space in its name.
    for at in [
        vec!["answers", "partner-hosted", "IAM-001", "response"],
        vec!["profile", "odd key"],
    ] {
        p.conflicts.push(Conflict {
            at: at.into_iter().map(String::from).collect(),
            base: None,
            ours: Some(toml::Value::String("ours".into())),
            theirs: Some(toml::Value::String("theirs".into())),
        });
    }
    // A review with findings whose six months run out.
    p.submission.submitted = Some(day("2026-05-20"));
    p.submission.outcome = Some(Outcome::Findings);
    p.submission.reviewed = Some(day("2026-06-01"));
    readiness::check(&p, lib, dir, today())
}

/// Partner-hosted past its window, with and without the choice to go on; approved three years
/// ago, so the renewal is due.
fn expired(lib: &Library, dir: &Path) -> Vec<Report> {
    let checklist = lib.for_model(Model::PartnerHosted).unwrap();
    let mut p = Project::new();
    p.choose_model(checklist, true);
    // A yearly test done two years ago.
    let a = p
        .answers
        .entry(checklist.id.clone())
        .or_default()
        .entry("RES-004".into())
        .or_default();
    a.status = Status::Met;
    a.values.insert("last_test".into(), "2024-12-01".into());
    p.submission.submitted = Some(day("2023-11-01"));
    p.submission.outcome = Some(Outcome::Approved);
    p.submission.reviewed = Some(day("2024-01-01"));
    let first = readiness::check(&p, lib, dir, day("2026-12-20"));
    p.delivery.accept_past_window = checklist.version.clone();
    vec![first, readiness::check(&p, lib, dir, day("2026-12-20"))]
}

/// Customer-deployed: answered against a version that is not installed; then with a newer
/// release installed.
fn customer_deployed(lib: &Library, dir: &Path) -> Vec<Report> {
    let checklist = lib.for_model(Model::CustomerDeployed).unwrap().clone();
    let mut p = Project::new();
    p.choose_model(&checklist, true);
    let mut older = p.clone();
    older.delivery.version = "2021-04".into();
    let text = ftr_wizard::content::embedded_text(&checklist.origin).unwrap();
    let newer = text
        .replacen("version = \"2022-03\"", "version = \"2026-08\"", 1)
        .replacen("supersedes = \"2021-04\"", "supersedes = \"2022-03\"", 1)
        .replacen("released = 2022-03-01", "released = 2026-08-01", 1)
        .replacen(
            "last_verified = 2026-04-23",
            "last_verified = 2026-08-01",
            1,
        );
    let newer = Library::parse_checklist_bytes("newer.toml", newer.as_bytes()).unwrap();
    let mut installed = lib.clone();
    installed.add_versions(vec![newer], Vec::new(), today());
    vec![
        readiness::check(&older, lib, dir, today()),
        readiness::check(&p, &installed, dir, today()),
    ]
}

/// A model with no checklist loaded for it; the alternative path without its report.
fn other_models(lib: &Library, dir: &Path) -> Vec<Report> {
    let mut none = Project::new();
    none.delivery.model = Some(Model::Alternative);
    let only = Library {
        checklists: lib
            .checklists
            .iter()
            .filter(|c| c.model != Model::Alternative)
            .cloned()
            .collect(),
        ..lib.clone()
    };
    let mut alternative = Project::new();
    alternative.choose_model(lib.for_model(Model::Alternative).unwrap(), true);
    vec![
        readiness::check(&none, &only, dir, today()),
        readiness::check(&alternative, lib, dir, today()),
    ]
}

/// Every report of the scenarios above.
fn reports(s: &Scratch) -> Vec<Report> {
    let lib = Library::embedded().unwrap();
    let dir = &s.file("project");
    std::fs::create_dir(dir).unwrap();
    let mut out = vec![bare(&lib, dir), partner_hosted(&lib, dir)];
    out.extend(expired(&lib, dir));
    out.extend(customer_deployed(&lib, dir));
    out.extend(other_models(&lib, dir));
    out
}

/// The kind of a command, down to what `ftr answer` gives and how `ftr set` sets: a kind
/// added to the fixes' commands is added here, and drawn by a scenario above.
fn kind(command: &Command) -> &'static str {
    match command {
        Command::Answer { give, .. } => match give {
            Give::Status => "answer --status",
            Give::Choice(_) => "answer --choice",
            Give::Evidence {
                produced: false, ..
            } => "answer --evidence",
            Give::Evidence { produced: true, .. } => "answer --evidence --produced",
            Give::RemoveEvidence(_) => "answer --remove-evidence",
            Give::Response => "answer --response",
            Give::Reason => "answer --reason",
            Give::Plan => "answer --plan",
            Give::Reviewed => "answer --reviewed",
            Give::Value(_) => "answer --value",
        },
        Command::Set { to, .. } => match to {
            SetTo::Value(_) => "set",
            SetTo::Produced(_) => "set --produced",
            SetTo::Clear(_) => "set --clear",
        },
        Command::Resolve { .. } => "resolve",
        Command::Import => "import",
        Command::Status => "status",
        Command::Checklists => "checklists",
        Command::ChecklistsAdd => "checklists add",
        Command::ChecklistsScaffold => "checklists scaffold",
        Command::ChecklistsDiff { .. } => "checklists diff",
        Command::Migrate { to: None } => "migrate",
        Command::Migrate { to: Some(_) } => "migrate --to",
    }
}

/// Every kind of [`kind`].
const KINDS: [&str; 22] = [
    "answer --status",
    "answer --choice",
    "answer --evidence",
    "answer --evidence --produced",
    "answer --remove-evidence",
    "answer --response",
    "answer --reason",
    "answer --plan",
    "answer --reviewed",
    "answer --value",
    "set",
    "set --produced",
    "set --clear",
    "resolve",
    "import",
    "status",
    "checklists",
    "checklists add",
    "checklists scaffold",
    "checklists diff",
    "migrate",
    "migrate --to",
];

/// The files a command names by their recorded paths.
fn paths(command: &Command) -> Vec<&str> {
    let file = match command {
        Command::Answer {
            give: Give::Evidence { file, .. } | Give::RemoveEvidence(file),
            ..
        } => Some(file),
        Command::Set {
            to: SetTo::Value(file) | SetTo::Produced(file) | SetTo::Clear(file),
            ..
        } => Some(file),
        _ => None,
    };
    match file {
        Some(Arg::Path(path)) => vec![path.as_str()],
        _ => Vec::new(),
    }
}

/// Every command the fixes of a run over every scenario name reads as an `ftr` command line
/// (placeholders filled in), each file it names comes through the shell's quoting whole, and
/// the scenarios draw every kind of command.
#[test]
fn every_command_a_fix_names_reads_as_an_ftr_command_line() {
    let s = Scratch::new();
    let mut seen = BTreeSet::new();
    for report in reports(&s) {
        commands::assert_fixes_read(&report);
        for command in report.findings.iter().flat_map(|f| f.fix.commands()) {
            seen.insert(kind(command));
            let line = command.to_string();
            let words = commands::shell_words(&line);
            for path in paths(command) {
                assert!(
                    words.iter().any(|w| w == path || *w == format!("./{path}")),
                    "`{line}` does not name {path} as one word: {words:?}"
                );
            }
        }
    }
    assert_eq!(seen, KINDS.into_iter().collect());
}

/// The check can fail: an option `ftr` does not take, a value an option refuses, a command it
/// does not have.
#[test]
fn a_command_line_ftr_does_not_take_is_caught() {
    for line in [
        "ftr answer IAM-001 --evidense FILE",
        "ftr answer IAM-001 --due tomorrow",
        "ftr set",
        "ftr checklists install FILE",
    ] {
        let caught = std::panic::catch_unwind(|| commands::assert_reads(line));
        assert!(caught.is_err(), "`{line}` was taken");
    }
    let caught = std::panic::catch_unwind(|| commands::assert_names_commands("ftr migrate now"));
    assert!(caught.is_err());
    commands::assert_reads("ftr set security-report 'reports/cis prod.csv' --produced YYYY-MM-DD");
    assert_eq!(
        commands::fill("ftr answer RES-001 --status met|not-met|na ... --value 'rpo=DURATION'"),
        ["answer", "RES-001", "--status", "met", "--value", "rpo=4h"]
    );
}
