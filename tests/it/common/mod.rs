//! Helpers shared by the integration tests: a scratch folder and the real `ftr` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The day the tests pretend it is, so freshness and expiry findings do not drift.
pub const TODAY: &str = "2026-11-26";
/// The moment the tests pretend it is (on `TODAY`): attachments are recorded at it.
pub const NOW: &str = "2026-11-26T09:00:00Z";

/// [`NOW`] as a timestamp, for attaching evidence in-process.
pub fn now() -> ftr_wizard::dates::Timestamp {
    ftr_wizard::dates::Timestamp::parse(NOW).unwrap()
}

/// Property-test settings: a fixed seed, so the suite gives the same verdict
/// on every run (set PROPTEST_RNG_SEED to explore other inputs), and failures
/// printed, never written next to the tests.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    let mut config = proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x0f7a_2026);
    }
    config
}

/// The controls of the findings of `code` in `ftr check --json` output (empty text for a
/// finding about no control). Every command the findings print must read as `ftr`'s.
pub fn codes(check: &serde_json::Value, code: &str) -> Vec<String> {
    commands::assert_json_commands_read(check);
    check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| f["control"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The first finding of `code` in `ftr check --json` output; panics when there is none, or
/// when a command the findings print does not read as `ftr`'s.
pub fn finding<'a>(check: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    commands::assert_json_commands_read(check);
    check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} finding in {check}"))
}

/// `git` run in `dir` with no user or system configuration, a fixed identity and fixed dates,
/// so tests give the same repositories on any machine.
pub fn git_command(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Dana")
        .env("GIT_AUTHOR_EMAIL", "dana@acme.example")
        .env("GIT_COMMITTER_NAME", "Dana")
        .env("GIT_COMMITTER_EMAIL", "dana@acme.example")
        .env("GIT_AUTHOR_DATE", "2026-11-26T09:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-26T09:00:00Z");
    cmd
}

/// Runs markdownlint on `files` from `dir` (whose `.markdownlint.jsonc`, if any, applies) and
/// fails with its report unless they pass. The tool is required: tests/run.sh installs it, and
/// a machine without it fails here, never skips.
pub fn assert_markdownlint(dir: &Path, files: &[PathBuf]) {
    let out = std::process::Command::new("markdownlint")
        .args(files)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("markdownlint is needed for this test (tests/run.sh installs it): {e}")
        });
    assert!(
        out.status.success(),
        "markdownlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A scratch folder, removed when dropped, with its own data folder for the recent list.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn project(&self) -> PathBuf {
        self.file("ftr-assessment.toml")
    }

    /// Writes `content` to `name` (creating folders) and returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.file(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }

    /// `ftr` run in this folder, with a fixed date and a private data folder.
    pub fn ftr(&self) -> Command {
        let mut cmd = Command::cargo_bin("ftr").expect("binary");
        cmd.current_dir(self.path())
            .env("FTR_DATA_DIR", self.file(".data"))
            .env("FTR_TODAY", TODAY)
            .env("FTR_NOW", NOW)
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("FTR_CONTENT_DIR");
        cmd
    }

    /// Runs `ftr ARGS` in this folder and asserts it succeeds.
    pub fn ok(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.ftr().args(args).assert().success()
    }

    /// Runs `ftr ARGS` (any exit code) and reads its standard output as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.ftr().args(args).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: {e}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    pub fn read_project(&self) -> String {
        std::fs::read_to_string(self.project()).unwrap()
    }
}

/// The text of an embedded checklist file.
pub fn content_file(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .join(name),
    )
    .unwrap()
}
pub mod commands;
pub mod release;
pub mod tui;
