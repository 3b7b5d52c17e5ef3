//! The release binary in a real terminal: tmux types, the screen is read back.
//!
//! Starts `ftr` in a tmux session of its own (a private server socket), creates an
//! assessment, answers a control with a file attached, quits, checks the shell works again,
//! restarts and finds the answer on screen. Needs tmux (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{self, NOW, Scratch, TODAY};

/// What libfaketime reads: set when the suite runs under faketime.
const FAKED_CLOCK: [&str; 3] = ["LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC"];

/// Assignments that give the command typed into the shell the clock this test runs on.
fn faked_clock() -> String {
    FAKED_CLOCK
        .iter()
        .filter_map(|var| std::env::var(var).ok().map(|v| format!("{var}='{v}' ")))
        .collect()
}

/// The release binary, built if needed (cargo's lock is free while tests run), with debug
/// assertions for this crate alone: they compile in the crash test's `FTR_PANIC_ON_KEY`, which
/// `cargo build --release` leaves out. Every test here builds it the same way, so they share
/// one binary and no build undoes another's.
fn release_binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // The build runs on the real clock even when the tests run under faketime
    // (tests/run.sh), which the compiler does not survive.
    let out = Command::new(cargo)
        .args(["build", "--release", "--bin", "ftr", "--quiet"])
        .args([
            "--config",
            "profile.release.package.ftr-wizard.debug-assertions=true",
        ])
        .env_remove("LD_PRELOAD")
        .env_remove("FAKETIME")
        .current_dir(root)
        .output()
        .expect("run cargo build --release");
    assert!(
        out.status.success(),
        "release build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("release").join("ftr")
}

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path, width: u16, height: u16) -> Tmux {
        // One server per session: tests run in parallel threads of one process.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("ftr-test-{}-{n}", std::process::id());
        let t = Tmux { socket };
        let ok = t
            .cmd()
            .args([
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                &width.to_string(),
                "-y",
            ])
            .arg(height.to_string())
            .arg("-c")
            .arg(dir)
            .arg("PS1='ftr-test$ ' exec sh")
            .status()
            .expect("tmux is needed for this test: apt-get install tmux");
        assert!(ok.success(), "tmux could not start");
        // Keys sent before the shell shows its prompt would be echoed out of order.
        t.wait_prompt();
        t
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        // tmux and the shell run on the real clock; a clock faked for the tests (tests/run.sh
        // runs them under faketime) is passed on to `ftr` alone, by `faked_clock()`.
        for var in FAKED_CLOCK {
            c.env_remove(var);
        }
        c
    }

    /// Sends keys as tmux names them ("Enter", "Escape", "j") or literal text.
    fn keys(&self, keys: &[&str]) {
        let ok = self
            .cmd()
            .args(["send-keys", "-t", "main"])
            .args(keys)
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Sends one key and waits until the screen shows its effect (it changed), so the next
    /// key never lands before this one was handled.
    fn key_and_redraw(&self, key: &str) {
        let before = self.screen();
        self.keys(&[key]);
        let start = Instant::now();
        while self.screen() == before {
            if start.elapsed() > Duration::from_secs(120) {
                panic!("the screen did not change after {key:?}:\n{before}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends keys meant as commands one at a time, each once the screen (its styles included)
    /// shows the one before was handled: sent in one write, several letters could be read
    /// together, and the wizard holds letters read together as typing. Each key must change
    /// the screen.
    fn commands(&self, keys: &[&str]) {
        for key in keys {
            let before = self.styled_screen();
            self.keys(&[key]);
            self.wait_until_styled(&format!("a change after {key:?}"), |s| s != before);
        }
    }

    fn text(&self, text: &str) {
        let ok = self
            .cmd()
            .args(["send-keys", "-t", "main", "-l", text])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    fn screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-t", "main", "-p"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen with its colours and attributes, as escape sequences.
    fn styled_screen(&self) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-t", "main", "-p", "-e"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the styled screen meets `done` (a guard of two minutes against a hang).
    fn wait_until_styled(&self, what: &str, done: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let screen = self.styled_screen();
            if done(&screen) {
                return;
            }
            if start.elapsed() > Duration::from_secs(120) {
                panic!("waited for {what}; the screen shows:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows `needle`, and returns it.
    fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?}"), |screen| screen.contains(needle))
    }

    /// Waits until the screen meets `done`, and returns it; fails with the screen if it never
    /// does (after two minutes, a guard against a hang rather than a time limit).
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(120) {
                panic!("waited for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// Waits for the shell prompt on the last line: the program has exited.
    fn wait_prompt(&self) {
        self.wait_until("the shell prompt", |screen| {
            screen.lines().rev().find(|l| !l.trim().is_empty()) == Some("ftr-test$")
        });
    }

    /// Waits until the screen holds the shell prompt alone: `clear` has run.
    fn wait_cleared(&self) {
        self.wait_until("a cleared screen", |screen| {
            screen.trim_end() == "ftr-test$"
        });
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

#[test]
fn answer_attach_quit_restart_and_see_the_answer() {
    let bin = release_binary();
    let s = Scratch::new();
    s.write(
        "evidence/shared-responsibility.pdf",
        "%PDF-1.7 review notes",
    );
    let tmux = Tmux::start(s.path(), 100, 30);
    let run = format!(
        "{}FTR_DATA_DIR='{}' FTR_TODAY={TODAY} FTR_NOW={NOW} '{}'",
        faked_clock(),
        s.file(".data").display(),
        bin.display()
    );
    tmux.text(&run);
    tmux.keys(&["Enter"]);
    tmux.wait_for("New assessment here");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Profile and delivery model");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Esc save and leave");
    tmux.text("Acme Ltd");
    // Enter saves it and goes on to the product, editing it; Esc leaves that.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Company   Acme Ltd");
    tmux.wait_for("Saved: profile");
    tmux.key_and_redraw("Escape");
    // Down to the partner-hosted model and choose it.
    tmux.commands(&["j", "j", "j", "n", "j", "Enter"]);
    tmux.wait_for("partner-hosted 2026-02");
    // Next steps: scoping, prerequisites, then the Security domain.
    tmux.keys(&["]", "]", "]"]);
    let screen = tmux.wait_for("WAFR-002");
    assert!(screen.contains("Security 0/31"), "{screen}");
    // Mark the first control met; the response editor opens.
    tmux.keys(&["m"]);
    tmux.wait_for("Status    ✓ met");
    tmux.keys(&["e"]);
    tmux.wait_for("Response · WAFR-002");
    tmux.text("We reviewed both shared responsibility models in our last architecture review.");
    tmux.wait_for("models in our last");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Status    ✓ met");
    tmux.keys(&["f"]);
    tmux.wait_for("Attach a file to WAFR-002");
    tmux.text("evidence/shared");
    tmux.keys(&["Tab"]);
    tmux.wait_for("evidence/shared-responsibility.pdf");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("✓ evidence/shared-responsibility.pdf");
    assert!(screen.contains("Security 1/31"), "{screen}");
    tmux.keys(&["q"]);
    // Back at the shell: echo and line editing work again.
    tmux.wait_prompt();
    tmux.text("echo back-$((40+2))");
    tmux.keys(&["Enter"]);
    tmux.wait_for("back-42");
    tmux.text(
        "stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon | tr '\\n' ' '; echo STTY-$((1+1))",
    );
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("STTY-2");
    assert!(
        screen.contains("icanon echo STTY-2"),
        "terminal not restored:\n{screen}"
    );

    // The project file has the answer.
    let text = std::fs::read_to_string(s.project()).unwrap();
    assert!(text.contains("[answers.partner-hosted.WAFR-002]"), "{text}");
    assert!(
        text.contains("path = \"evidence/shared-responsibility.pdf\""),
        "{text}"
    );

    // Start again: it resumes on the same control with the answer shown.
    tmux.keys(&["clear", "Enter"]);
    // Typed before `clear` has run, the command's echo would be cleared with the screen.
    tmux.wait_cleared();
    tmux.text(&format!("{run} open ftr-assessment.toml"));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("✓ evidence/shared-responsibility.pdf");
    assert!(
        screen.contains("We reviewed both shared responsibility"),
        "{screen}"
    );
    assert!(screen.contains("┌ WAFR-002"), "{screen}");
    assert!(screen.contains("✓ WAFR-002"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_prompt();
}

/// `ftr new` for a partner-hosted project of Acme, run by `bin` in the scratch folder.
fn new_project(bin: &Path, s: &Scratch) {
    let ok = Command::new(bin)
        .current_dir(s.path())
        .env("FTR_DATA_DIR", s.file(".data"))
        .args(["new", "--company", "Acme", "--model", "partner-hosted"])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{ok:?}");
    // Scoping answered so that nothing is switched off, and the prerequisites met: the
    // wizard then opens on the first control, where these tests start.
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    let c = lib.checklist("partner-hosted").unwrap();
    for q in &c.scoping {
        let word = if q.switched_off(true).is_empty() {
            "yes"
        } else {
            "no"
        };
        ftr_ok(bin, s, &["set", &format!("scoping.{}", q.id), word]);
    }
    for p in &lib.prerequisites {
        let value = match p.minimum {
            Some(n) => n.to_string(),
            None => "yes".into(),
        };
        ftr_ok(bin, s, &["set", &format!("prereq.{}", p.id), &value]);
    }
}

/// How many answer fields of partner-hosted `control` lie between its status and its response:
/// one per row of AWS's workbook, then one per required value.
fn fields_before_response(control: &str) -> usize {
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    let c = lib.checklist("partner-hosted").unwrap();
    let c = c
        .control(control)
        .unwrap_or_else(|| panic!("no control {control}"));
    c.rows.len() + c.values.len()
}

/// Whether `word` reads as a control id: `IAM-001`, `S3-001`.
fn is_control_id(word: &str) -> bool {
    word.split_once('-').is_some_and(|(a, b)| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && b.len() == 3
            && b.chars().all(|c| c.is_ascii_digit())
    })
}

/// `ftr check --json` on the scratch project, on the tests' day.
fn check_json(bin: &Path, s: &Scratch) -> serde_json::Value {
    let out = Command::new(bin)
        .current_dir(s.path())
        .env("FTR_DATA_DIR", s.file(".data"))
        .env("FTR_TODAY", TODAY)
        .env("FTR_NOW", NOW)
        .args(["check", "--json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The pid of the program running in the tmux pane (the shell's child).
fn program_pid(tmux: &Tmux) -> u32 {
    let out = tmux
        .cmd()
        .args(["list-panes", "-t", "main", "-F", "#{pane_pid}"])
        .output()
        .unwrap();
    let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let children =
        std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap_or_default();
    children
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no program runs in the pane (shell {shell})"))
}

#[test]
fn resize_keeps_the_text_a_kill_keeps_the_last_save_a_panic_restores_the_terminal() {
    let bin = release_binary();
    let s = Scratch::new();
    new_project(&bin, &s);
    let tmux = Tmux::start(s.path(), 100, 30);
    let run = format!(
        "{}FTR_DATA_DIR='{}' FTR_TODAY={TODAY} FTR_NOW={NOW} FTR_PANIC_ON_KEY=Z '{}'",
        faked_clock(),
        s.file(".data").display(),
        bin.display()
    );
    tmux.text(&run);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("┌ Answer");
    let control = screen
        .lines()
        .find_map(|l| l.split(['┌', '▸', ' ']).find(|w| is_control_id(w)))
        .unwrap_or_else(|| panic!("no control pane:\n{screen}"))
        .to_string();
    // To the response field, and type: from the status down past the control's rows in
    // AWS's workbook and its required values (HOST-001 has three rows and none).
    let mut keys = vec!["Tab", "Tab"];
    keys.extend(std::iter::repeat_n(
        "j",
        1 + fields_before_response(&control),
    ));
    keys.push("e");
    tmux.commands(&keys);
    tmux.wait_for(&format!("Response · {control}"));
    tmux.text("Draft that must survive");
    tmux.wait_for("Draft that must survive");
    // A smaller window while editing: the text and the cursor stay.
    let ok = tmux
        .cmd()
        .args(["resize-window", "-t", "main", "-x", "80", "-y", "24"])
        .status()
        .unwrap();
    assert!(ok.success());
    let screen = tmux.wait_for("Draft that must survive");
    assert!(
        screen.lines().all(|l| l.chars().count() <= 80),
        "not redrawn at 80 columns:\n{screen}"
    );
    // The editor's cursor stayed at the end: what is typed next follows the text.
    tmux.text(" plus more");
    tmux.wait_for("survive plus more");
    // Idle for a moment: the text is saved while the editor stays open.
    let project = s.project();
    let start = Instant::now();
    while !std::fs::read_to_string(&project)
        .unwrap()
        .contains("Draft that must survive plus more")
    {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "typing was not saved while idle"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // SIGKILL while editing: the file holds the last save and loads.
    let pid = program_pid(&tmux);
    assert!(
        Command::new("kill")
            .args(["-s", "KILL", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    tmux.wait_for("Killed");
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    let loaded = ftr_wizard::store::load(&project, &lib).unwrap();
    assert_eq!(
        loaded.project.answers["partner-hosted"][&control].response,
        "Draft that must survive plus more"
    );
    // A SIGKILL cannot restore the terminal (raw mode, alternate screen); a panic must.
    // Line feed rather than Enter: in raw mode Enter sends a bare carriage return.
    tmux.text("printf '\\033[?1049l\\033[?1000l\\033[?2004l'; stty sane; clear");
    tmux.keys(&["C-j"]);
    tmux.wait_prompt();
    tmux.text(&run);
    tmux.keys(&["Enter"]);
    tmux.wait_for("┌ Answer");
    tmux.keys(&["Z"]);
    tmux.wait_prompt();
    let screen = tmux.screen();
    assert!(screen.contains("deliberate panic"), "{screen}");
    tmux.text(
        "stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon | tr '\\n' ' '; echo STTY-$((2+2))",
    );
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("STTY-4");
    assert!(
        screen.contains("icanon echo STTY-4"),
        "terminal not restored after a panic:\n{screen}"
    );
    let again = ftr_wizard::store::load(&project, &lib).unwrap();
    assert_eq!(again.project, loaded.project, "the panic changed the file");
}

/// The RPO that RES-001 asks for, typed in the wizard in a real terminal: its own field, saved
/// in canonical form when it reads, refused with the reason (and the text kept) when it does
/// not; `ftr check` then asks only for the values still missing.
#[test]
fn a_required_value_is_asked_in_the_wizard_and_enforced_by_check() {
    let bin = release_binary();
    let s = Scratch::new();
    new_project(&bin, &s);
    let tmux = open_wizard(&bin, &s, 120, 36);
    // A new project opens on its first control, HOST-001 (Operational Excellence).
    tmux.wait_for("┌ Answer");
    // Step back to the Reliability domain, then down its list to RES-001.
    go_to(&tmux, "Reliability", "RES-001");
    // Met: the value field is selected first, as the response opens with it.
    tmux.keys(&["m"]);
    tmux.wait_for("Recovery point objective (RPO)");
    tmux.keys(&["e"]);
    tmux.text("90m");
    // Enter saves it and goes on editing the response; Esc leaves that, k is the value again.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Saved: RES-001 (status, value rpo)");
    tmux.key_and_redraw("Escape");
    tmux.wait_for("▸Answer");
    tmux.key_and_redraw("k");
    tmux.keys(&["Enter", "BSpace", "BSpace", "BSpace"]);
    tmux.text("4 hourz");
    tmux.keys(&["Enter"]);
    tmux.wait_for("is not a duration");
    tmux.keys(&["Escape"]);
    // The text that does not read stays on screen, marked, and quitting asks before losing it.
    tmux.wait_for("not saved: not a duration");
    tmux.keys(&["q"]);
    tmux.wait_for("Quit anyway and lose it?");
    tmux.keys(&["y"]);
    tmux.wait_prompt();

    let text = std::fs::read_to_string(s.project()).unwrap();
    assert!(text.contains("rpo = \"90m\""), "{text}");
    let v = check_json(&bin, &s);
    let value_findings: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("value-"))
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["control"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        value_findings.is_empty(),
        "RES-001 has its RPO and the others are unanswered: {value_findings:?}"
    );
    // Without the RPO the same answer is an error that names the value.
    let edited = text.replace("rpo = \"90m\"", "");
    std::fs::write(s.project(), edited).unwrap();
    let v = check_json(&bin, &s);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "value-missing"
                && f["control"] == "RES-001"
                && f["value"] == "rpo"),
        "{v}"
    );
}

/// A Prowler scan imported with `ftr import` shows beside its control in the wizard, with the
/// failing user; marked met, the control says plainly that the scan fails it.
#[test]
fn an_imported_scan_shows_beside_its_control() {
    let bin = release_binary();
    let s = Scratch::new();
    new_project(&bin, &s);
    let name =
        "prowler-output-123456789012-20260803124247_aws_foundational_technical_review_aws.csv";
    let csv = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/scans")
            .join(name),
    )
    .unwrap();
    s.write(name, csv);
    ftr_ok(&bin, &s, &["import", name]);
    let tmux = open_wizard(&bin, &s, 140, 40);
    tmux.wait_for("┌ Answer");
    // Step back to the Security domain, then down its list to IAM-001.
    go_to(&tmux, "Security", "IAM-001");
    let screen = tmux.wait_for("Prowler, 3 Aug: 2 passed, 1 failed");
    assert!(screen.contains("Scan results"), "{screen}");
    assert!(screen.contains("arn:…:user/alice"), "{screen}");
    assert!(screen.contains("!Enable MFA"), "{screen}");
    tmux.keys(&["m"]);
    tmux.wait_for("Marked met, but this scan fails it");
    tmux.keys(&["q"]);
    tmux.wait_prompt();
}

/// The wizard on the scratch project, in a `width` x `height` terminal, on the tests' day.
fn open_wizard(bin: &Path, s: &Scratch, width: u16, height: u16) -> Tmux {
    let tmux = Tmux::start(s.path(), width, height);
    tmux.text(&format!(
        "{}FTR_DATA_DIR='{}' FTR_TODAY={TODAY} FTR_NOW={NOW} '{}' open ftr-assessment.toml",
        faked_clock(),
        s.file(".data").display(),
        bin.display()
    ));
    tmux.keys(&["Enter"]);
    tmux
}

/// Goes to `control` of `domain` as a person would: `/`, its id, Enter.
fn go_to(tmux: &Tmux, domain: &str, control: &str) {
    tmux.key_and_redraw("/");
    tmux.text(control);
    tmux.wait_for(&format!("/ {control}"));
    tmux.key_and_redraw("Enter");
    let screen = tmux.wait_for(&format!("{control} ─"));
    assert!(screen.contains(domain), "{screen}");
}

/// `ftr ARGS` in the scratch folder on the tests' day; asserts it succeeds.
fn ftr_ok(bin: &Path, s: &Scratch, args: &[&str]) -> std::process::Output {
    let out = Command::new(bin)
        .current_dir(s.path())
        .env("FTR_DATA_DIR", s.file(".data"))
        .env("FTR_TODAY", TODAY)
        .env("FTR_NOW", NOW)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "ftr {args:?}: {out:?}");
    out
}

/// AWS releases partner-hosted 2026-08 and it is installed: opening a project on 2026-02, the
/// wizard asks, shows what changed (the reworded control by id), and after the preview and y
/// moves the project, keeping the old file beside it.
#[test]
fn a_newer_checklist_is_offered_shown_and_moved_to_in_the_wizard() {
    use crate::common::release;
    let bin = release_binary();
    let s = Scratch::new();
    new_project(&bin, &s);
    ftr_ok(
        &bin,
        &s,
        &[
            "answer",
            release::REWORDED,
            "--status",
            "met",
            "--response",
            "No IAM user has access keys; CI uses OIDC roles.",
        ],
    );
    let file = s.write("partner-hosted@2026-08.toml", release::text());
    ftr_ok(&bin, &s, &["checklists", "add", file.to_str().unwrap()]);
    let before = std::fs::read_to_string(s.project()).unwrap();

    let tmux = open_wizard(&bin, &s, 100, 30);
    let screen = tmux.wait_for("A newer checklist is installed");
    assert!(screen.contains("2026-08 available"), "{screen}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Reworded (1)");
    assert!(screen.contains(release::REWORDED), "{screen}");
    assert!(screen.contains("rotate it"), "{screen}");
    tmux.keys(&["m"]);
    tmux.wait_for("Move to partner-hosted@2026-08?");
    assert_eq!(
        std::fs::read_to_string(s.project()).unwrap(),
        before,
        "nothing changes before y"
    );
    tmux.keys(&["y"]);
    tmux.wait_for("backup: ftr-assessment.toml.2026-02.bak");
    tmux.keys(&["q"]);
    tmux.wait_prompt();

    let out = ftr_ok(&bin, &s, &["status", "--json"]);
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["version"], "2026-08", "{status}");
    assert_eq!(
        std::fs::read_to_string(s.file("ftr-assessment.toml.2026-02.bak")).unwrap(),
        before,
        "the file as it was is kept beside it"
    );
    let check = check_json(&bin, &s);
    let to_review: Vec<&str> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "answer-to-review")
        .filter_map(|f| f["control"].as_str())
        .collect();
    assert_eq!(to_review, [release::REWORDED], "{check}");
}

/// git in the scratch folder with no user or system configuration, a fixed identity and fixed
/// dates; asserts it succeeds unless `may_fail`, and returns its output.
fn git(s: &Scratch, args: &[&str], may_fail: bool) -> std::process::Output {
    let out = common::git_command(s.path())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("git {args:?} could not run (is git installed?): {e}"));
    assert!(
        may_fail || out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Two branches answer the same control two ways; plain `git merge` stops with conflict
/// markers in the project file. The wizard opens it on the resolve screen with both texts,
/// `t` keeps theirs, and the file is then a project with no conflict left.
#[test]
fn a_git_merge_that_stopped_is_resolved_in_the_wizard() {
    let bin = release_binary();
    let s = Scratch::new();
    git(&s, &["init", "-q", "-b", "main"], false);
    s.write(".gitignore", ".data/\n");
    new_project(&bin, &s);
    git(&s, &["add", "."], false);
    git(&s, &["commit", "-q", "-m", "base"], false);
    git(&s, &["branch", "cto"], false);
    let ours = "Everyone signs in through Okta with MFA.";
    let theirs = "Staff and contractors sign in through Okta; MFA is enforced by policy.";
    let answer = |text: &str| {
        ftr_ok(
            &bin,
            &s,
            &["answer", "IAM-001", "--status", "met", "--response", text],
        );
    };
    answer(ours);
    git(&s, &["commit", "-q", "-am", "founder"], false);
    git(&s, &["checkout", "-q", "cto"], false);
    answer(theirs);
    git(&s, &["commit", "-q", "-am", "cto"], false);
    git(&s, &["checkout", "-q", "main"], false);
    let merge = git(&s, &["merge", "-q", "--no-edit", "cto"], true);
    assert!(!merge.status.success(), "git merged without a conflict");
    let text = std::fs::read_to_string(s.project()).unwrap();
    assert!(
        text.contains("<<<<<<< HEAD") && text.contains(">>>>>>> cto"),
        "{text}"
    );

    let tmux = open_wizard(&bin, &s, 120, 30);
    let screen = tmux.wait_for("Changed two ways: 1");
    for needle in [
        "IAM-001 (response)",
        "Ours: HEAD, the branch merged into",
        ours,
        "Theirs: cto, the branch merged in",
        theirs,
        "had git conflict markers",
    ] {
        assert!(screen.contains(needle), "{needle} not shown:\n{screen}");
    }
    let saved = std::fs::read_to_string(s.project()).unwrap();
    assert!(
        !saved.contains("<<<<<<<") && saved.contains("[[conflicts]]"),
        "saved at once, both values kept:\n{saved}"
    );
    tmux.keys(&["t"]);
    let screen =
        tmux.wait_for("All conflicts resolved; git add ftr-assessment.toml and commit to finish");
    assert!(!screen.contains("Changed two ways"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_prompt();

    let out = ftr_ok(&bin, &s, &["status", "--json"]);
    assert!(out.status.success());
    let lib = ftr_wizard::content::Library::embedded().unwrap();
    let p = ftr_wizard::store::load(&s.project(), &lib).unwrap().project;
    assert_eq!(p.answers["partner-hosted"]["IAM-001"].response, theirs);
    assert!(p.conflicts.is_empty());
    let check = check_json(&bin, &s);
    assert!(
        common::codes(&check, "merge-conflict").is_empty(),
        "{check}"
    );
    // The merge can be committed as it is.
    git(&s, &["add", "ftr-assessment.toml"], false);
    git(&s, &["commit", "-q", "--no-edit"], false);
}

/// A sentence typed in one write with the focus on the control list, in a real terminal, runs
/// none of its letters (not even `E`, with `$EDITOR` a script that leaves a mark): the project
/// file is unchanged and the wizard offers to put the text in the response; Enter does.
#[test]
fn a_sentence_typed_on_the_list_is_held_and_put_in_the_response() {
    let bin = release_binary();
    let s = Scratch::new();
    new_project(&bin, &s);
    let mark = s.file("editor-ran");
    let script = s.write(
        "editor.sh",
        format!("#!/bin/sh\ntouch '{}'\n", mark.display()),
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let before = std::fs::read(s.project()).unwrap();
    let tmux = Tmux::start(s.path(), 120, 36);
    tmux.text(&format!(
        "{}EDITOR='{}' FTR_DATA_DIR='{}' FTR_TODAY={TODAY} FTR_NOW={NOW} '{}' open ftr-assessment.toml",
        faked_clock(),
        script.display(),
        s.file(".data").display(),
        bin.display()
    ));
    tmux.keys(&["Enter"]);
    tmux.wait_for("┌ Answer");
    let sentence = "we run ECS on Fargate and rotate keys";
    tmux.text(sentence);
    let screen = tmux.wait_for("Typed, not run");
    assert!(screen.contains("we run ECS on Fargate"), "{screen}");
    assert!(screen.contains("put it into the response of"), "{screen}");
    assert_eq!(std::fs::read(s.project()).unwrap(), before, "{screen}");
    assert!(!mark.exists(), "the editor ran:\n{screen}");
    // Enter puts it in the response; Esc saves the field.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Put into the response of");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Saved");
    let text = String::from_utf8(std::fs::read(s.project()).unwrap()).unwrap();
    assert!(text.contains(sentence), "{text}");
    assert!(!mark.exists(), "the editor ran");
    tmux.keys(&["q"]);
    tmux.wait_prompt();
}

/// An evidence file changed from another shell shows in the running wizard without a key:
/// the header, the list and the pane; attaching it again (`o`, Enter) clears it.
#[test]
fn an_evidence_file_changed_outside_shows_in_the_wizard_unprompted() {
    let bin = release_binary();
    let s = Scratch::new();
    new_project(&bin, &s);
    s.write("evidence/policy.pdf", "%PDF first");
    ftr_ok(
        &bin,
        &s,
        &[
            "answer",
            "IAM-001",
            "--status",
            "met",
            "--response",
            "Every person signs in through Okta with MFA enforced by policy.",
            "--evidence",
            "evidence/policy.pdf",
        ],
    );
    let tmux = open_wizard(&bin, &s, 120, 36);
    tmux.wait_for("┌ Answer");
    go_to(&tmux, "Security", "IAM-001");
    tmux.wait_for("✓ evidence/policy.pdf");
    s.write("evidence/policy.pdf", "%PDF second edition, longer");
    // No key pressed: the idle tick finds it.
    let screen = tmux.wait_for("✗ 1 file changed");
    let screen = if screen.contains("(was 10 B)") {
        screen
    } else {
        tmux.wait_for("(was 10 B)")
    };
    assert!(screen.contains("✗ evidence/policy.pdf"), "{screen}");
    assert!(screen.contains("! IAM-001"), "{screen}");
    assert!(!screen.contains("✓ IAM-001"), "{screen}");
    tmux.keys(&["o"]);
    tmux.wait_for("(records anew)");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Attached evidence/policy.pdf to IAM-001.");
    assert!(!screen.contains("file changed"), "{screen}");
    assert!(screen.contains("✓ evidence/policy.pdf"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_prompt();
}

/// HOST-001's three workbook rows answered with keys in the answer pane: each key marks its
/// choice, the status follows the rows, and the header's count of what AWS's sheet will grade
/// pass moves with them; the file holds the rows as `ftr` writes them.
#[test]
fn workbook_rows_are_answered_with_keys_and_the_grade_follows() {
    let bin = release_binary();
    let s = Scratch::new();
    new_project(&bin, &s);
    let tmux = open_wizard(&bin, &s, 140, 40);
    tmux.wait_for("┌ Answer");
    go_to(&tmux, "Operational Excellence", "HOST-001");
    let screen = tmux.wait_for("AWS sheet 0 pass, 44 fail");
    assert!(screen.contains("Row .1    Yes No  y n"), "{screen}");
    // Into the answer pane, down to the first row.
    tmux.key_and_redraw("Enter");
    // (Only the selection's colour moves; the key after it is handled after it.)
    tmux.keys(&["j"]);
    tmux.key_and_redraw("y");
    tmux.wait_for("HOST-001.1: Yes · HOST-001 unanswered");
    tmux.key_and_redraw("y");
    tmux.wait_for("HOST-001.2: Yes · HOST-001 unanswered");
    // A No on the last row: not met, and the pane says which answer would pass.
    tmux.key_and_redraw("n");
    let screen = tmux.wait_for("HOST-001.3: No · HOST-001 not met");
    assert!(
        screen.contains("the sheet grades it fail: HOST-001.3 is No (Yes passes)"),
        "{screen}"
    );
    assert!(screen.contains("AWS sheet 0 pass, 44 fail"), "{screen}");
    // → moves the row to its next choice (Yes): met, and one control passes.
    tmux.key_and_redraw("Right");
    let screen = tmux.wait_for("AWS sheet 1 pass, 43 fail");
    assert!(screen.contains("✓ met"), "{screen}");
    assert!(screen.contains("the sheet grades it pass"), "{screen}");
    assert!(!screen.contains("Row .3    Yes [No]"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_prompt();
    let text = std::fs::read_to_string(s.project()).unwrap();
    assert!(
        text.contains(
            "[answers.partner-hosted.HOST-001.rows]\n\"HOST-001.1\" = \"Yes\"\n\"HOST-001.2\" = \"Yes\"\n\"HOST-001.3\" = \"Yes\"\n"
        ),
        "{text}"
    );
    let status = ftr_ok(&bin, &s, &["status", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(v["sheet"]["controls"]["HOST-001"], "pass");
    assert_eq!(v["sheet"]["pass"], 1);
}

/// A week after the built-in checklist's approximate last day, without colour: the header says
/// in words that the window ended, so it reads on a terminal that shows no red.
#[test]
fn the_header_says_the_window_ended_without_colour() {
    let bin = release_binary();
    let s = Scratch::new();
    new_project(&bin, &s);
    let tmux = Tmux::start(s.path(), 120, 30);
    tmux.text(&format!(
        "{}NO_COLOR=1 FTR_DATA_DIR='{}' FTR_TODAY=2026-12-04 FTR_NOW=2026-12-04T09:00:00Z '{}' open ftr-assessment.toml",
        faked_clock(),
        s.file(".data").display(),
        bin.display()
    ));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("partner-hosted 2026-02 · window ended ~27 Nov");
    assert!(!screen.contains("accepted until"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_prompt();
}
