//! The error corpus: project files and checklist files that must be refused with a located,
//! helpful message and exit code 2, and project files that must load.
//!
//! Every file under `tests/corpus/` carries its expectation in its first lines:
//!
//! - bad files: `# expect: <text the message must contain>`, then `# line: N` when the message
//!   names a line (the header says so exactly: no `# line:` means the message names none);
//! - good project files: one or more `# expect-check: <text>` lines (`-` for nothing specific)
//!   that `ftr check` must print, and optionally `# expect-status: <text>` for `ftr status`;
//! - good checklist files: `# expect-checklists: <text>` for `ftr checklists`.
//!
//! Each file is copied into a scratch folder before the binary sees it, so the tests leave
//! nothing behind, and a refused file must come out byte for byte unchanged with nothing
//! created beside it. Two cases are too big to commit and are generated at test time instead:
//! a project whose response is 10 MB (over the 8 MiB limit) and files nested 100,000 levels
//! deep (`generated_cases_are_refused_unchanged`).

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use crate::common::Scratch;

/// Fewer files than this means one was deleted by mistake; raise them when adding files.
const MIN_BAD_PROJECT: usize = 87;
const MIN_GOOD_PROJECT: usize = 16;
const MIN_BAD_CONTENT: usize = 51;
// Whatever the numbers above become, never fewer than 30 bad project and 8 bad checklist files.
const _: () = assert!(MIN_BAD_PROJECT >= 30 && MIN_BAD_CONTENT >= 8);

/// Long enough for a debug build on a busy machine; a hang on deep nesting must not block CI.
const TIMEOUT: Duration = Duration::from_secs(60);

fn corpus(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(sub)
}

/// One file of the corpus and what its header says.
struct Case {
    name: String,
    bytes: Vec<u8>,
    /// The `# ...: value` lines at the top, as (key, value).
    header: Vec<(String, String)>,
}

impl Case {
    fn new(name: &str, bytes: Vec<u8>) -> Case {
        let header = header_of(&bytes);
        Case {
            name: name.to_string(),
            bytes,
            header,
        }
    }

    fn values(&self, key: &str) -> Vec<&str> {
        self.header
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The `# expect:` text of a bad file.
    fn expect(&self) -> &str {
        match self.header.first() {
            Some((k, v)) if k == "expect" && !v.is_empty() => v,
            _ => panic!("{}: the first line must be `# expect: <text>`", self.name),
        }
    }

    /// The `# line:` of a bad file: it must be the second line when there is one.
    fn line(&self) -> Option<usize> {
        let lines = self.values("line");
        if lines.is_empty() {
            return None;
        }
        assert!(
            self.header.get(1).is_some_and(|(k, _)| k == "line") && lines.len() == 1,
            "{}: `# line: N` must be the second line, once",
            self.name
        );
        Some(
            lines[0]
                .parse()
                .unwrap_or_else(|_| panic!("{}: `# line:` needs a number", self.name)),
        )
    }
}

/// The leading `# key: value` comment lines, read as text even when the rest of the file is
/// not UTF-8 (after a byte-order mark, with either line end).
fn header_of(bytes: &[u8]) -> Vec<(String, String)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches('\r');
        let Some(comment) = line.strip_prefix("# ") else {
            break;
        };
        match comment.split_once(": ") {
            Some((key, value))
                if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '-') =>
            {
                out.push((key.to_string(), value.trim().to_string()));
            }
            _ => {}
        }
    }
    out
}

/// The `*.toml` files of a corpus folder, sorted by name.
fn cases(sub: &str) -> Vec<Case> {
    let dir = corpus(sub);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            Case::new(
                &p.file_name().unwrap().to_string_lossy(),
                std::fs::read(p).unwrap(),
            )
        })
        .collect()
}

/// Runs `ftr` with `args` in `scratch` and returns its output; a hang is a failure.
fn run(scratch: &Scratch, args: &[&std::ffi::OsStr]) -> Output {
    scratch
        .ftr()
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .unwrap_or_else(|e| panic!("ftr {args:?}: {e}"))
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What is wrong with a refusal, if anything: exit code 2 (not a panic's 101 or a signal),
/// a message on stderr that names the file, holds the expectation and the line, and says what
/// to do.
fn refusal_problems(case: &Case, what: &str, out: &Output) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    match out.status.code() {
        Some(2) => {}
        Some(101) => problems.push("exit 101: ftr panicked".to_string()),
        Some(code) => problems.push(format!("exit {code}, expected 2")),
        None => problems.push(format!("killed by a signal ({:?})", out.status)),
    }
    if !stderr.starts_with("ftr: error: ") {
        problems.push("stderr does not start with `ftr: error: `".into());
    }
    if !stderr.contains(&case.name) {
        problems.push(format!("the message does not name the file {}", case.name));
    }
    if !stderr.contains(case.expect()) {
        problems.push(format!("the message lacks `{}`", case.expect()));
    }
    match case.line() {
        Some(n) => {
            if !stderr.contains(&format!(", line {n}, column ")) {
                problems.push(format!("the message does not name line {n}"));
            }
        }
        None => {
            if stderr.contains(", line ") {
                problems
                    .push("the message names a line, but the file has no `# line:` header".into());
            }
        }
    }
    if !stderr.contains("\n  help: ") {
        problems.push("the message has no `help:` line".into());
    }
    problems
        .into_iter()
        .map(|p| {
            format!(
                "{} ({what}): {p}\n    stderr: {}",
                case.name,
                stderr.trim_end()
            )
        })
        .collect()
}

/// Copies a bad project file into a scratch folder, runs a reading and a writing command on it,
/// and returns what went wrong.
fn check_bad_project(case: &Case) -> Vec<String> {
    let scratch = Scratch::new();
    let dir = scratch.file("project");
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join(&case.name);
    std::fs::write(&path, &case.bytes).unwrap();
    let commands: [(&str, Vec<&str>); 2] = [
        ("status", vec!["status"]),
        ("set company", vec!["set", "company", "X"]),
    ];
    let mut problems = Vec::new();
    for (what, args) in commands {
        let mut argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        argv.push("--project".as_ref());
        argv.push(path.as_os_str());
        let out = run(&scratch, &argv);
        problems.extend(refusal_problems(case, what, &out));
        if std::fs::read(&path).unwrap() != case.bytes {
            problems.push(format!("{} ({what}): the file was changed", case.name));
        }
        let names = listing(&dir);
        if names != [case.name.clone()] {
            problems.push(format!(
                "{} ({what}): files appeared beside it: {names:?}",
                case.name
            ));
        }
    }
    problems
}

fn report(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn bad_project_files_are_refused_unchanged() {
    let cases = cases("project/bad");
    let problems: Vec<String> = cases.iter().flat_map(check_bad_project).collect();
    report(&problems);
}

/// A valid project whose response is `size` bytes of text.
fn project_with_response(size: usize) -> Vec<u8> {
    let mut text = String::from(
        "# expect: a project file is at most 8388608\n\
         schema_version = 1\n\n\
         [answers.partner-hosted.IAM-001]\n\
         status = \"met\"\n\
         response = \"",
    );
    text.push_str(&"pasted log line ".repeat(size / 16 + 1));
    text.push_str("\"\n");
    text.into_bytes()
}

/// A project with `x` nested `depth` levels deep, as `open`…`inner`…`close`.
fn nested(
    expect: &str,
    line: usize,
    open: &str,
    inner: &str,
    close: &str,
    depth: usize,
) -> Vec<u8> {
    let mut text = format!("# expect: {expect}\n# line: {line}\nschema_version = 1\nx = ");
    text.push_str(&open.repeat(depth));
    text.push_str(inner);
    text.push_str(&close.repeat(depth));
    text.push('\n');
    text.into_bytes()
}

/// Too big to commit, so generated here: a 10 MB response (the limit is 8 MiB) and files
/// nested 100,000 levels deep (arrays, inline tables, a dotted key), which must be refused
/// without a stack overflow.
#[test]
fn generated_cases_are_refused_unchanged() {
    const DEPTH: usize = 100_000;
    let huge = project_with_response(10_000_000);
    assert!(huge.len() > 10_000_000);
    let mut dotted = String::from("# expect: recursion limit\nschema_version = 1\n");
    dotted.push_str(&vec!["a"; DEPTH].join("."));
    dotted.push_str(" = 1\n");
    let cases = [
        Case::new("huge-response.toml", huge),
        Case::new(
            "nested-arrays.toml",
            nested("cannot recurse further", 4, "[", "", "]", DEPTH),
        ),
        Case::new(
            "nested-inline-tables.toml",
            nested("cannot recurse further", 4, "{a=", "1", "}", DEPTH),
        ),
        Case::new("nested-dotted-key.toml", dotted.into_bytes()),
    ];
    let problems: Vec<String> = cases.iter().flat_map(check_bad_project).collect();
    report(&problems);
}

#[test]
fn good_project_files_load_and_check() {
    let mut problems = Vec::new();
    for case in cases("project/good") {
        let checks = case.values("expect-check");
        if case.header.first().is_none_or(|(k, _)| k != "expect-check") {
            problems.push(format!(
                "{}: the first line must be `# expect-check: <text>`",
                case.name
            ));
            continue;
        }
        let scratch = Scratch::new();
        let dir = scratch.file("project");
        std::fs::create_dir(&dir).unwrap();
        let path = dir.join(&case.name);
        std::fs::write(&path, &case.bytes).unwrap();
        let project = ["--project".as_ref(), path.as_os_str()];

        let status = run(&scratch, &[&["status".as_ref()], &project[..]].concat());
        let stdout = String::from_utf8_lossy(&status.stdout);
        let stderr = String::from_utf8_lossy(&status.stderr);
        if status.status.code() != Some(0) {
            problems.push(format!(
                "{}: ftr status exited {:?}\n    stderr: {}",
                case.name,
                status.status.code(),
                stderr.trim_end()
            ));
            continue;
        }
        for want in case.values("expect-status") {
            if !stdout.contains(want) {
                problems.push(format!(
                    "{}: ftr status does not print `{want}`\n    stdout: {}",
                    case.name,
                    stdout.trim_end()
                ));
            }
        }

        // `ftr check` says ready (0) or not ready (1); 2 would mean it could not read the file.
        let check = run(&scratch, &[&["check".as_ref()], &project[..]].concat());
        let stdout = String::from_utf8_lossy(&check.stdout);
        if !matches!(check.status.code(), Some(0 | 1)) {
            problems.push(format!(
                "{}: ftr check exited {:?}\n    stderr: {}",
                case.name,
                check.status.code(),
                String::from_utf8_lossy(&check.stderr).trim_end()
            ));
        }
        for want in checks.into_iter().filter(|w| *w != "-") {
            if !stdout.contains(want) {
                problems.push(format!(
                    "{}: ftr check does not print `{want}`\n    stdout: {}",
                    case.name,
                    stdout.trim_end()
                ));
            }
        }

        if std::fs::read(&path).unwrap() != case.bytes {
            problems.push(format!("{}: reading it changed the file", case.name));
        }
        if listing(&dir) != [case.name.clone()] {
            problems.push(format!("{}: files appeared beside it", case.name));
        }
    }
    report(&problems);
}

/// The good files test what their names say only while git keeps their bytes: a checkout that
/// normalised line ends or dropped the byte-order mark would make them pass for nothing.
#[test]
fn good_project_files_keep_their_encoding() {
    for case in cases("project/good") {
        let bom = case.bytes.starts_with(b"\xEF\xBB\xBF");
        assert_eq!(
            bom,
            case.name.contains("bom"),
            "{}: byte-order mark",
            case.name
        );
        let crlf = case.bytes.windows(2).any(|w| w == b"\r\n");
        assert_eq!(crlf, case.name.contains("crlf"), "{}: CR LF", case.name);
        if crlf {
            let lone_lf = case
                .bytes
                .iter()
                .enumerate()
                .any(|(i, &b)| b == b'\n' && (i == 0 || case.bytes[i - 1] != b'\r'));
            assert!(!lone_lf, "{}: a line ends in LF alone", case.name);
        }
    }
}

/// Puts one checklist file alone in a content folder (the embedded prerequisites are used)
/// and runs `ftr checklists --content` on it.
fn run_content(case: &Case) -> (Output, Vec<String>) {
    let scratch = Scratch::new();
    let dir = scratch.file("content");
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join(&case.name);
    std::fs::write(&path, &case.bytes).unwrap();
    let out = run(
        &scratch,
        &["checklists".as_ref(), "--content".as_ref(), dir.as_os_str()],
    );
    let mut problems = Vec::new();
    if std::fs::read(&path).unwrap() != case.bytes {
        problems.push(format!("{}: the file was changed", case.name));
    }
    if listing(&dir) != [case.name.clone()] {
        problems.push(format!("{}: files appeared beside it", case.name));
    }
    (out, problems)
}

#[test]
fn bad_checklist_files_are_refused() {
    let mut problems = Vec::new();
    for case in cases("content/bad") {
        let (out, mut found) = run_content(&case);
        found.extend(refusal_problems(&case, "checklists", &out));
        problems.extend(found);
    }
    report(&problems);
}

/// The checklist the bad ones are broken from loads, so each bad file fails for its one defect.
#[test]
fn good_checklist_files_load() {
    let mut problems = Vec::new();
    for case in cases("content/good") {
        let (out, mut found) = run_content(&case);
        let stdout = String::from_utf8_lossy(&out.stdout);
        if out.status.code() != Some(0) {
            found.push(format!(
                "{}: exit {:?}\n    stderr: {}",
                case.name,
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim_end()
            ));
        }
        for want in case.values("expect-checklists") {
            if !stdout.contains(want) {
                found.push(format!(
                    "{}: ftr checklists does not print `{want}`",
                    case.name
                ));
            }
        }
        problems.extend(found);
    }
    report(&problems);
}

#[test]
fn corpus_is_complete() {
    for (sub, min) in [
        ("project/bad", MIN_BAD_PROJECT),
        ("project/good", MIN_GOOD_PROJECT),
        ("content/bad", MIN_BAD_CONTENT),
        ("content/good", 1),
    ] {
        let all = cases(sub);
        assert!(
            all.len() >= min,
            "{sub} holds {} files, at least {min} expected: was one deleted?",
            all.len()
        );
        // Every bad file states its expectation (this panics with the file name if not).
        if sub.ends_with("bad") {
            for case in &all {
                let _ = (case.expect(), case.line());
            }
        }
    }
}

/// The line of a schema-version, unknown-checklist or model mismatch error is that of the
/// key's assignment, not of an earlier mention in a comment; dotted keys count too.
#[test]

fn position_is_that_of_the_key_not_of_an_earlier_mention() {
    let cases = [
        (
            "schema-zero-after-comment.toml",
            "# expect: must be 1 or more\n# line: 4\n# schema_version will be bumped\nschema_version = 0\n",
        ),
        (
            "unknown-checklist-after-comment.toml",
            "# expect: unknown checklist `ph-2030`\n# line: 6\n# we moved off \"ph-2030\"\nschema_version = 1\n[delivery]\nchecklist = \"ph-2030\"\n",
        ),
        (
            "mismatch-dotted-delivery.toml",
            "# expect: is for the partner-hosted model\n# line: 4\nschema_version = 1\ndelivery.model = \"customer-deployed\"\ndelivery.checklist = \"partner-hosted\"\n",
        ),
    ];
    let problems: Vec<String> = cases
        .iter()
        .flat_map(|(name, text)| check_bad_project(&Case::new(name, text.as_bytes().to_vec())))
        .collect();
    report(&problems);
}
