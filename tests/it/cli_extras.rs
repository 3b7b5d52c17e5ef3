//! What people expect of a command-line tool: shell completions, a manual page, and values that
//! start with `-`.

use std::io::Write;
use std::process::{Command as Process, Stdio};

use clap::CommandFactory;
use ftr_wizard::cli::Cli;
use predicates::prelude::*;

use crate::common::{self, Scratch};

/// Every subcommand `ftr` has. Adding one means adding it here, and to the Commands table of
/// docs/cli.md.
const SUBCOMMANDS: [&str; 15] = [
    "new",
    "open",
    "answer",
    "set",
    "import",
    "status",
    "check",
    "export",
    "checklists",
    "migrate",
    "resolve",
    "init-git",
    "merge-driver",
    "completions",
    "man",
];

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

#[test]
fn the_subcommand_list_matches_the_command_line() {
    let cmd = Cli::command();
    let mut actual: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
    let mut expected = SUBCOMMANDS.to_vec();
    actual.sort_unstable();
    expected.sort_unstable();
    assert_eq!(actual, expected);
}

/// Every long option of every subcommand, without its dashes, e.g. `allow-incomplete`.
fn long_options() -> Vec<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut names: Vec<String> = std::iter::once(&cmd)
        .chain(cmd.get_subcommands())
        .flat_map(|c| c.get_arguments())
        .filter_map(|a| a.get_long())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn stdout_of(s: &Scratch, args: &[&str]) -> String {
    let out = s.ftr().args(args).assert().success().get_output().clone();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// How each shell's script offers a subcommand (with its one-line help) and a long option.
fn offers(shell: &str, sub: &str, about: &str) -> String {
    match shell {
        "bash" => format!("ftr,{sub})"),
        "zsh" => format!("'{sub}:{about}'"),
        "fish" => format!("-a \"{sub}\" -d '{about}'"),
        "powershell" => format!(
            "[CompletionResult]::new('{sub}', '{sub}', [CompletionResultType]::ParameterValue, '{about}')"
        ),
        "elvish" => format!("cand {sub} '{about}'"),
        _ => unreachable!(),
    }
}

/// The ways `shell`'s script may offer `--option` (zsh writes `--opt[` or `--opt=[`).
fn offers_option(shell: &str, option: &str) -> Vec<String> {
    match shell {
        "bash" => vec![format!(" --{option} ")],
        "zsh" => vec![format!("--{option}["), format!("--{option}=[")],
        "fish" => vec![format!(" -l {option}")],
        "powershell" => vec![format!("'--{option}', '--{option}'")],
        "elvish" => vec![format!("cand --{option} ")],
        _ => unreachable!(),
    }
}

#[test]
fn each_shells_completions_name_every_subcommand_and_long_option() {
    let s = Scratch::new();
    let cmd = Cli::command();
    let options = long_options();
    for must in [
        "allow-incomplete",
        "allow-secrets",
        "response-file",
        "project",
    ] {
        assert!(
            options.iter().any(|o| o == must),
            "no --{must} in {options:?}"
        );
    }
    for shell in SHELLS {
        let script = stdout_of(&s, &["completions", shell]);
        assert!(!script.trim().is_empty(), "{shell}: empty");
        for sub in SUBCOMMANDS {
            let about = cmd
                .find_subcommand(sub)
                .and_then(|c| c.get_about())
                .map(|a| a.to_string())
                .unwrap_or_default();
            let want = offers(shell, sub, &about);
            assert!(script.contains(&want), "{shell} completions lack `{want}`");
        }
        for option in &options {
            let want = offers_option(shell, option);
            assert!(
                want.iter().any(|w| script.contains(w.as_str())),
                "{shell} completions lack `{}`",
                want[0]
            );
        }
    }
    assert!(std::fs::read_dir(s.path()).unwrap().next().is_none());
}

/// Runs `script` in bash with `stdin` as its standard input; returns stdout, failing on stderr.
fn bash(script: &str, stdin: &str) -> String {
    let mut child = Process::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash is needed for this test");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "bash: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_bash_completions_parse_and_complete_commands_options_and_shells() {
    let s = Scratch::new();
    let script = stdout_of(&s, &["completions", "bash"]);
    bash("bash -n", &script);

    // Load the script and ask it what bash would offer, as it does on Tab.
    let complete = |words: &[&str]| -> Vec<String> {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let cword = words.len() - 1;
        let run = format!(
            "source /dev/stdin; COMP_WORDS=({}); COMP_CWORD={cword}; \
             _ftr ftr '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            quoted.join(" "),
            words[cword],
            words[cword - 1],
        );
        let out = bash(&run, &script);
        out.lines().map(str::to_string).collect()
    };
    let top = complete(&["ftr", ""]);
    for sub in SUBCOMMANDS {
        assert!(
            top.iter().any(|w| w == sub),
            "`ftr <Tab>` lacks {sub}: {top:?}"
        );
    }
    assert_eq!(complete(&["ftr", "ex"]), ["export"]);
    assert_eq!(
        complete(&["ftr", "export", "--allow-i"]),
        ["--allow-incomplete"]
    );
    let shells = complete(&["ftr", "completions", ""]);
    for shell in SHELLS {
        assert!(
            shells.iter().any(|w| w == shell),
            "{shell} not offered: {shells:?}"
        );
    }
}

#[test]
fn completions_need_no_project_or_checklists() {
    let s = Scratch::new();
    let missing = s.file("no-such-content");
    // A command that loads checklists fails with this folder...
    s.ftr()
        .env("FTR_CONTENT_DIR", &missing)
        .arg("checklists")
        .assert()
        .code(2);
    // ...but describing the command line does not load them.
    for args in [&["completions", "zsh"][..], &["man"][..]] {
        s.ftr()
            .env("FTR_CONTENT_DIR", &missing)
            .args(args)
            .assert()
            .success()
            .stdout(predicate::str::is_empty().not());
    }
}

#[test]
fn an_unknown_shell_exits_two_and_lists_the_five() {
    let s = Scratch::new();
    let out = s
        .ftr()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stdout("")
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tcsh"), "{stderr}");
    for shell in SHELLS {
        assert!(stderr.contains(shell), "{stderr}");
    }
    s.ftr().arg("completions").assert().code(2);
}

/// The names of the sections, in order.
fn sections(roff: &str) -> Vec<String> {
    roff.lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|h| h.trim_matches('"').to_string())
        .collect()
}

#[test]
fn the_man_page_has_a_header_name_and_every_subcommand() {
    let s = Scratch::new();
    let roff = stdout_of(&s, &["man"]);

    // The roff source.
    let th = roff
        .lines()
        .find(|l| l.starts_with(".TH "))
        .expect(".TH line");
    let th_words: Vec<&str> = th.split_whitespace().collect();
    assert_eq!(th_words[1..3], ["ftr", "1"], "{th}");
    assert!(th.contains(env!("CARGO_PKG_VERSION")), "{th}");
    let heads = sections(&roff);
    for want in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SUBCOMMANDS"] {
        assert!(heads.iter().any(|h| h == want), "no {want} in {heads:?}");
    }
    let name_line = roff
        .lines()
        .skip_while(|l| *l != ".SH NAME")
        .nth(1)
        .unwrap();
    assert!(
        name_line.starts_with("ftr \\- Prepare an AWS Foundational Technical Review"),
        "{name_line}"
    );
    for sub in SUBCOMMANDS {
        assert!(
            roff.contains(&format!("ftr\\-{}(1)", sub.replace('-', "\\-"))),
            "the page lacks {sub}"
        );
    }
    // Every request is one roff knows and a man page uses.
    let known = [
        ".TH", ".SH", ".TP", ".PP", ".IP", ".RS", ".RE", ".br", ".ie", ".el",
    ];
    for line in roff.lines().filter(|l| l.starts_with('.')) {
        let request = line.split_whitespace().next().unwrap();
        assert!(known.contains(&request), "unexpected request {line}");
    }

    // Rendered by man-db (tests/run.sh installs it), on the real clock: man's helpers do not
    // run under faketime.
    let mut child = Process::new("man")
        .args(["--warnings", "-l", "-"])
        .env("MANWIDTH", "100")
        .env("LC_ALL", "C")
        .env_remove("MANPAGER")
        .env_remove("PAGER")
        .env_remove("LD_PRELOAD")
        .env_remove("FAKETIME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("man is needed for this test (apt-get install man-db)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(roff.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "man: {stderr}");
    assert!(text.contains("NAME"), "{text}");
    assert!(
        text.contains("ftr - Prepare an AWS Foundational Technical Review"),
        "{text}"
    );
    for sub in SUBCOMMANDS {
        assert!(
            text.contains(&format!("ftr-{sub}(1)")),
            "rendered page lacks {sub}"
        );
    }
    assert!(text.contains("--project <PATH>"), "{text}");
}

#[test]
fn man_out_writes_one_page_per_command() {
    let s = Scratch::new();
    let printed = stdout_of(&s, &["man", "--out", "share/man/man1"]);
    let dir = s.file("share/man/man1");
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    let mut expected: Vec<String> = std::iter::once("ftr.1".to_string())
        .chain(SUBCOMMANDS.iter().map(|s| format!("ftr-{s}.1")))
        .collect();
    expected.sort();
    assert_eq!(written, expected);
    for name in &expected {
        assert!(printed.contains(name.as_str()), "{printed}");
    }

    assert_eq!(
        std::fs::read_to_string(dir.join("ftr.1")).unwrap(),
        stdout_of(&s, &["man"]),
        "ftr.1 is the page `ftr man` prints"
    );
    let answer = std::fs::read_to_string(dir.join("ftr-answer.1")).unwrap();
    assert!(answer.contains(".TH ftr-answer 1"), "{answer}");
    assert!(answer.contains("\\-\\-response\\-file"), "{answer}");
    assert!(answer.contains(&format!("ftr {}", env!("CARGO_PKG_VERSION"))));
    let export = std::fs::read_to_string(dir.join("ftr-export.1")).unwrap();
    assert!(export.contains("\\-\\-allow\\-incomplete"), "{export}");
}

fn new_project() -> Scratch {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s
}

fn response(s: &Scratch, id: &str) -> String {
    let library = ftr_wizard::content::Library::embedded().unwrap();
    let loaded = ftr_wizard::store::load(&s.project(), &library).unwrap();
    loaded.project.answers["partner-hosted"][id]
        .response
        .clone()
}

#[test]
fn a_response_starting_with_a_dash_is_written_with_an_equals_sign() {
    let s = new_project();
    s.ftr()
        .args([
            "answer",
            "IAM-001",
            "--status",
            "met",
            "--response=-starts-with-dash",
        ])
        .assert()
        .success()
        .stdout(
            "IAM-001: met\n  \
             IAM-001.1 unanswered\n  \
             AWS's sheet: fail: IAM-001.1 is unanswered (Yes passes)\n",
        );
    assert_eq!(response(&s, "IAM-001"), "-starts-with-dash");

    s.ftr()
        .args(["answer", "IAM-001", "--response=- a list item; and more"])
        .assert()
        .success();
    assert_eq!(response(&s, "IAM-001"), "- a list item; and more");
}

#[test]
fn answer_help_says_how_to_give_a_response_that_starts_with_a_dash() {
    let s = Scratch::new();
    let help = stdout_of(&s, &["answer", "--help"]);
    assert!(help.contains("--response=-text"), "{help}");
    assert!(help.contains("--response-file"), "{help}");
    assert!(help.contains("starts with '-'"), "{help}");
}

#[test]
fn a_dash_value_after_a_space_is_refused_with_the_equals_form_as_the_tip() {
    let s = new_project();
    let before = s.read_project();
    for (value, tip) in [
        ("-x", "--response=-x"),
        ("-starts with dash", "'--response=-starts with dash'"),
    ] {
        let out = s
            .ftr()
            .args(["answer", "IAM-001", "--status", "met", "--response", value])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(tip), "{stderr}");
        assert!(stderr.contains("--response-file"), "{stderr}");
        assert!(
            !stderr.contains("use '--"),
            "clap's `-- {value}` tip remains: {stderr}"
        );
        assert!(stderr.contains("Usage: ftr answer"), "{stderr}");
    }
    // Any option that takes a value gets the same tip; a stray flag keeps clap's message.
    s.ftr()
        .args(["answer", "IAM-001", "--notes", "-internal"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--notes=-internal"))
        .stderr(predicate::str::contains("--response-file").not());
    s.ftr()
        .args(["answer", "IAM-001", "--status", "met", "-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '-q'"))
        .stderr(predicate::str::contains("=-q").not());
    assert_eq!(s.read_project(), before, "nothing was written");
}

fn repo_file(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_readme_says_how_to_install_and_the_manual_lists_every_command() {
    let readme = repo_file("README.md");
    let install = readme
        .split("\n## Install\n")
        .nth(1)
        .expect("an Install section")
        .split("\n## ")
        .next()
        .unwrap();
    assert!(install.contains("cargo install --path ."), "{install}");
    for shell in SHELLS {
        assert!(
            install.contains(&format!("ftr completions {shell}")),
            "Install lacks {shell}"
        );
    }
    assert!(install.contains("ftr man > ~/.local/share/man/man1/ftr.1"));
    assert!(install.contains("ftr man --out"));
    assert!(
        readme.contains("](docs/cli.md)"),
        "the README links to the command line's page"
    );
    let cli = repo_file("docs/cli.md");
    let commands = cli
        .split("\n## Commands\n")
        .nth(1)
        .expect("a Commands section")
        .split("\n## ")
        .next()
        .unwrap();
    for sub in SUBCOMMANDS {
        assert!(
            commands.contains(&format!("| `ftr {sub}")),
            "the Commands table of docs/cli.md lacks ftr {sub}"
        );
    }
    assert!(commands.contains("--response=-text"));
}

#[test]
fn the_licence_files_match_the_manifest() {
    let manifest: toml::Table = repo_file("Cargo.toml").parse().unwrap();
    let package = manifest["package"].as_table().unwrap();
    assert_eq!(package["license"].as_str(), Some("MIT OR Apache-2.0"));
    let include: Vec<&str> = package["include"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(
            include.contains(&file),
            "{file} not in include: {include:?}"
        );
    }
    let mit = repo_file("LICENSE-MIT");
    assert!(mit.starts_with("MIT License\n"), "{mit}");
    assert!(mit.contains("Copyright (c) 2026 The ftr-wizard developers"));
    assert!(mit.contains("Permission is hereby granted, free of charge"));
    let apache = repo_file("LICENSE-APACHE");
    assert!(apache.contains("Apache License\n") && apache.contains("Version 2.0, January 2004"));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
    let readme = repo_file("README.md");
    assert!(readme.contains("(LICENSE-MIT)") && readme.contains("(LICENSE-APACHE)"));
    let keywords = package["keywords"].as_array().unwrap();
    assert!(
        !keywords.is_empty() && keywords.len() <= 5,
        "crates.io takes at most 5 keywords"
    );
    assert!(
        package["repository"]
            .as_str()
            .is_some_and(|r| r.starts_with("https://"))
    );
    assert!(!package["categories"].as_array().unwrap().is_empty());
}

/// A workbook row takes a choice of its own list, in any letter case and spelling of N/A;
/// anything else is refused with the choices, and the file is left byte for byte as it was.
#[test]
fn a_workbook_row_takes_only_a_choice_of_its_list() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    for (row, typed, stored) in [
        ("HOST-001.1", "YES", "Yes"),
        ("iam-012.1", "n/a", "N/A"),
        ("IAM-012.2", "na", "N/A"),
        ("IAM-005.2", "Temporary", "Temporary"),
        ("ARC-004.1", "n", "No"),
    ] {
        s.ok(&["answer", row, "--choice", typed]);
        let text = s.read_project();
        let line = format!("\"{}\" = \"{stored}\"", row.to_ascii_uppercase());
        assert!(text.contains(&line), "{line} in:\n{text}");
    }
    s.ok(&["set", "cis-version", "v3.0"]);
    assert!(s.read_project().contains("cis-version = \"CIS v3.0\""));
    let before = s.read_project();
    for (args, says) in [
        (
            &["answer", "HOST-001.2", "--choice", "maybe"][..],
            "choose Yes, No",
        ),
        (
            &["answer", "IAM-005.2", "--choice", "yes"][..],
            "choose Static, Temporary, N/A",
        ),
        (
            &["answer", "HOST-001.2", "--choice", "N/A"][..],
            "`N/A` is not a choice for HOST-001.2",
        ),
        (
            &["answer", "HOST-001.9", "--choice", "yes"][..],
            "HOST-001 is answered in the rows HOST-001.1, HOST-001.2, HOST-001.3",
        ),
        (
            &["answer", "HOST-001", "--choice", "yes"][..],
            "name the row",
        ),
        (
            &["set", "cis-version", "v4.0"][..],
            "choose CIS v5.0, CIS v3.0",
        ),
    ] {
        s.ftr()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
        assert_eq!(s.read_project(), before, "{args:?} changed the file");
    }
    // A control with one row takes the choice by the control's id.
    s.ok(&["answer", "IAM-001", "--choice", "yes"]);
    assert!(s.read_project().contains("\"IAM-001.1\" = \"Yes\""));
    let status = s.json(&["status", "--json"]);
    assert_eq!(status["sheet"]["controls"]["IAM-001"], "pass");
    assert_eq!(
        status["sheet"]["controls"]["ARC-004"], "pass",
        "its passing answer is No"
    );
    assert_eq!(status["sheet"]["controls"]["HOST-001"], "fail");
}

/// The form's two other slots: a customer-deployed product's deployment guide (a file, or an
/// https:// address instead) and the alternative path's report; the readiness check asks for
/// the one the model needs, and the export puts each file in the upload folder and says where
/// it goes, with AWS's note on where requests go for now.
#[test]
fn the_deployment_guide_and_the_alternative_report_fill_their_slots() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "customer-deployed"]);
    let check = s.json(&["check", "--json"]);
    assert_eq!(common::codes(&check, "deployment-guide-missing").len(), 1);
    assert!(common::codes(&check, "alternative-report-missing").is_empty());
    s.write("docs/deploy.pdf", "%PDF-1.7 the guide\n");
    s.ok(&[
        "set",
        "deployment-guide",
        "docs/deploy.pdf",
        "--label",
        "Install guide",
    ]);
    let check = s.json(&["check", "--json"]);
    assert!(common::codes(&check, "deployment-guide-missing").is_empty());
    let before = s.read_project();
    s.ftr()
        .args(["set", "deployment-guide", "http://docs.example.com/deploy"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not an https:// address"));
    assert_eq!(s.read_project(), before);
    let out = s
        .ok(&["export", "--allow-incomplete"])
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("  Customer Deployment Guide: ./ftr-upload/deployment-guide.pdf"),
        "{out}"
    );
    assert!(out.contains("Note from AWS (2025-12): For now FTR requests go through your AWS Partner Solutions Architect (PSA)"), "{out}");
    assert_eq!(
        std::fs::read(s.file("ftr-upload/deployment-guide.pdf")).unwrap(),
        b"%PDF-1.7 the guide\n"
    );
    // An address replaces the file; the export names it, and the folder holds no guide.
    s.ok(&["set", "deployment-guide", "https://docs.example.com/deploy"]);
    assert!(!s.read_project().contains("[profile.deployment_guide]"));
    let out = s
        .ok(&["export", "--allow-incomplete"])
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("  Customer Deployment Guide: https://docs.example.com/deploy (its address, typed in the form)"),
        "{out}"
    );
    assert!(!s.file("ftr-upload/deployment-guide.pdf").exists());
    // The alternative path asks for its report.
    s.ok(&["set", "model", "alternative"]);
    let check = s.json(&["check", "--json"]);
    assert_eq!(common::codes(&check, "alternative-report-missing").len(), 1);
    s.write("soc2.pdf", "%PDF-1.7 SOC 2 Type II\n");
    s.ok(&["set", "alternative-report", "soc2.pdf"]);
    let check = s.json(&["check", "--json"]);
    assert!(common::codes(&check, "alternative-report-missing").is_empty());
    let out = s
        .ok(&["export", "--allow-incomplete"])
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("  Alternative Artifacts/Reports: ./ftr-upload/alternative-report.pdf"),
        "{out}"
    );
    // A changed report is reported as any attached file is.
    s.write("soc2.pdf", "%PDF-1.7 another report\n");
    let check = s.json(&["check", "--json"]);
    let changed = common::finding(&check, "evidence-changed");
    assert_eq!(changed["file"], "soc2.pdf");
    s.ok(&["set", "alternative-report", "--clear"]);
    assert!(!s.read_project().contains("alternative_report"));
}

/// Every `--json` output is JSON a parser reads, whatever the data holds: DEL, the C1 controls
/// and the bidi controls in a company name come out as `\uXXXX` escapes (none raw on the
/// terminal), and read back as they were typed.
#[test]
fn json_outputs_stay_json_with_del_c1_and_bidi_in_the_data() {
    let s = Scratch::new();
    let company = "Acme\u{7f}\u{85}\u{9b}31m\u{202e}Ltd\u{1b}";
    s.ok(&["new", "--model", "partner-hosted", "--company", company]);
    s.ok(&["set", "product", "W\u{9f}\u{2066}x"]);
    for args in [
        &["status", "--json"][..],
        &["check", "--json"][..],
        &["checklists", "--json"][..],
    ] {
        let out = s.ftr().args(args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.chars().any(|c| c != '\n'
                && (c.is_control() || ('\u{2066}'..='\u{2069}').contains(&c) || c == '\u{202e}')),
            "{args:?} printed a raw control: {text:?}"
        );
        let v: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{args:?} is not JSON ({e}): {text}"));
        if args[0] == "status" {
            assert_eq!(v["company"], company);
            assert_eq!(v["product"], "W\u{9f}\u{2066}x");
        }
    }
}

/// A row value edited into the file that is not on its list is an error that shows the value
/// escaped for the terminal, and the sheet gets no answer there.
#[test]
fn a_row_value_off_its_list_is_named_escaped() {
    let s = Scratch::new();
    s.ok(&["new", "--model", "partner-hosted"]);
    let text = s.read_project().replacen(
        "[answers.partner-hosted.IAM-001]\n",
        "[answers.partner-hosted.IAM-001]\n\n[answers.partner-hosted.IAM-001.rows]\n\"IAM-001.1\" = \"ma\\u001b[31mybe\"\n",
        1,
    );
    s.write("ftr-assessment.toml", &text);
    let out = s.ftr().args(["check"]).output().unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        !said.contains('\u{1b}'),
        "a raw escape reached the terminal: {said:?}"
    );
    assert!(
        said.contains("IAM-001.1 holds `ma\\e[31mybe`, which is not on its list (Yes, No)"),
        "{said}"
    );
    // Escaped where it is worded, so every place that shows the finding (the wizard's pane
    // too) shows it escaped.
    let check = s.json(&["check", "--json"]);
    let message = common::finding(&check, "row-value-invalid")["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("`ma\\e[31mybe`"), "{message}");
    let status = s.json(&["status", "--json"]);
    assert_eq!(status["sheet"]["controls"]["IAM-001"], "fail");
}

/// Every line a command prints ends in a real line break, and no line break is printed as a
/// visible `\n` (escaping is for user text, one line at a time, never for the output's own
/// breaks), on standard output and standard error alike.
#[test]
fn every_command_prints_real_line_breaks() {
    let s = Scratch::new();
    s.write("evidence/mfa.txt", "MFA is enforced for every person.\n");
    let commands: &[&[&str]] = &[
        &["new", "--model", "partner-hosted"],
        &["set", "company", "Acme"],
        &["set", "model", "partner-hosted"],
        &["set", "scoping.cross_account", "no"],
        &["set", "diagram", "evidence/mfa.txt"],
        &["set", "diagram", "--clear"],
        &[
            "answer",
            "IAM-001",
            "--status",
            "met",
            "--response=MFA for all",
        ],
        &["answer", "IAM-001", "--evidence", "evidence/mfa.txt"],
        &["status"],
        &["check"],
        &["checklists"],
        &["scans"],
        &["export", "--allow-incomplete"],
        &["answer", "NOPE-001", "--status", "met"],
        &["set", "model", "nonsense"],
    ];
    for args in commands {
        let out = s.ftr().args(*args).output().unwrap();
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                text.is_empty() || text.ends_with('\n'),
                "ftr {args:?}: {stream} does not end in a line break: {text:?}"
            );
            assert!(
                !text.contains("\\n"),
                "ftr {args:?}: {stream} shows a line break as \\n: {text:?}"
            );
        }
    }
}
