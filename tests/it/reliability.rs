//! Nothing is lost: saves killed at random moments, two writers at once, and evidence on the
//! edge (odd names, empty, changed, deleted, links, fifos, devices, huge files).

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ftr_wizard::content::{Library, Model};
use predicates::prelude::*;
use serde_json::Value;

use crate::common::Scratch;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("ftr")
}

/// A small xorshift generator: the seed is printed, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    /// A fixed seed, so every run makes the same choices; `FTR_TEST_SEED` picks another
    /// (odd: xorshift never leaves zero).
    fn from_env() -> Rng {
        let seed = std::env::var("FTR_TEST_SEED")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0x9E37_79B9_7F4A_7C15)
            | 1;
        eprintln!("seed: FTR_TEST_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn company(project: &Path) -> u64 {
    let lib = Library::embedded().unwrap();
    let loaded = ftr_wizard::store::load(project, &lib)
        .unwrap_or_else(|e| panic!("the project no longer loads after a kill: {e}"));
    let c = loaded.project.profile.company;
    c.strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected company {c:?}"))
}

/// The numbers the save loop logged as saved, in order.
fn returned(log: &Path) -> Vec<u64> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// The names of the save's temporary files in `dir`.
fn temporaries(dir: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .filter(|n| {
            let n = n.to_string_lossy();
            n.starts_with(".ftr-save-") && n.ends_with(".tmp")
        })
        .collect()
}

/// Waits until `ready` holds, looking again every fraction of a millisecond; fails at once if
/// the save loop stopped, so there is no time limit to tune for a busy machine.
fn wait_for(child: &mut std::process::Child, round: u32, mut ready: impl FnMut() -> bool) {
    while !ready() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("round {round}: the save loop stopped ({status})");
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Hundreds of `ftr set` saves in a loop, killed with SIGKILL at random moments, 200 times.
/// After every kill the file loads and holds the last save that returned, or the one that was
/// in flight: never a partial write, never an older state.
#[test]
fn two_hundred_kills_mid_save_never_leave_a_partial_or_older_file() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--company", "v0", "--model", "partner-hosted"])
        .assert()
        .success();
    // Make the file large enough that a write takes a while.
    let long = "x".repeat(20_000);
    s.ftr()
        .args([
            "answer",
            "IAM-001",
            "--status",
            "met",
            "--response-file",
            "-",
        ])
        .write_stdin(long)
        .assert()
        .success();
    let mut rng = Rng::from_env();
    let log = s.file("done.log");
    let mut current = 0u64;
    let mut saves = 0u64;
    // Saves each round must see return before the kill, added up: the least that must land.
    let mut promised = 0u64;
    let mut mid_save_kills = 0u32;
    let mut landed = 0u32;
    for round in 0..200 {
        std::fs::write(&log, "").unwrap();
        // Temporary files a killed save left behind: a save in flight shows as a new one.
        let stale = temporaries(s.path());
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(
                "i=$START; while :; do i=$((i+1)); \"$FTR\" set company \"v$i\" >/dev/null || exit 3; \
                 echo $i >> done.log; done",
            )
            .env("FTR", bin())
            .env("START", current.to_string())
            // On the real clock: under tests/run.sh's faked one, a process killed while it
            // holds libfaketime's shared lock would leave every later one waiting on it. No
            // date is read here.
            .env_remove("LD_PRELOAD")
            .env_remove("FAKETIME")
            .env("FTR_DATA_DIR", s.file(".data"))
            .current_dir(s.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        // Kill on progress, never after a delay: once 0 to 2 saves have returned, and on every
        // other round only once the next save is in flight (its temporary file exists).
        let ahead = rng.below(3);
        promised += ahead;
        wait_for(&mut child, round, || returned(&log).len() as u64 >= ahead);
        if round % 2 == 0 {
            wait_for(&mut child, round, || {
                temporaries(s.path()).iter().any(|t| !stale.contains(t))
            });
            mid_save_kills += 1;
        }
        let pgid = child.id();
        let killed = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{pgid}")])
            .status()
            .unwrap();
        assert!(killed.success(), "kill failed");
        child.wait().unwrap();
        if temporaries(s.path()).iter().any(|t| !stale.contains(t)) {
            landed += 1;
        }
        let done = returned(&log);
        let returned = done.last().copied().unwrap_or(current);
        let now = company(&s.project());
        assert!(
            now == returned || now == returned + 1,
            "round {round}: the file holds v{now}, the last save that returned was v{returned}"
        );
        assert!(
            now >= current,
            "round {round}: went back from v{current} to v{now}"
        );
        assert!(
            now - current >= ahead,
            "round {round}: {ahead} saves returned before the kill, but the file moved {}",
            now - current
        );
        saves += now - current;
        current = now;
    }
    assert!(
        saves >= promised,
        "{saves} saves landed, {promised} returned"
    );
    eprintln!(
        "{saves} saves completed across 200 kills; {mid_save_kills} kills came after a save was \
         seen in flight, {landed} of them left its temporary file (killed before the rename)"
    );
    // The next save clears what killed saves left behind.
    s.ftr().args(["set", "product", "after"]).assert().success();
    let leftovers: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Two processes answering different controls at once, 110 answers each, interleaved.
#[test]
fn two_writers_at_once_lose_no_answer() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let lib = Library::embedded().unwrap();
    let ids: Vec<String> = lib
        .for_model(Model::PartnerHosted)
        .unwrap()
        .controls
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let writer = |name: &'static str, mine: Vec<String>| {
        let dir = s.path().to_path_buf();
        let bin = bin();
        std::thread::spawn(move || {
            let mut count = 0;
            for round in 1..=5 {
                for id in &mine {
                    let out = Command::new(&bin)
                        .current_dir(&dir)
                        .env("FTR_DATA_DIR", dir.join(".data"))
                        .args(["answer", id, "--status", "met", "--response"])
                        .arg(format!("{name} round {round} {id}"))
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    count += 1;
                }
            }
            count
        })
    };
    let a = writer("A", ids.iter().step_by(2).cloned().collect());
    let b = writer("B", ids.iter().skip(1).step_by(2).cloned().collect());
    let (na, nb) = (a.join().unwrap(), b.join().unwrap());
    assert!(na >= 100 && nb >= 100, "{na} and {nb} answers");
    let project = ftr_wizard::store::load(&s.project(), &lib).unwrap().project;
    for (i, id) in ids.iter().enumerate() {
        let who = if i % 2 == 0 { "A" } else { "B" };
        assert_eq!(
            project.answers["partner-hosted"][id].response,
            format!("{who} round 5 {id}"),
            "{id}"
        );
    }
    eprintln!("{} concurrent answers, none lost", na + nb);
}

fn check_json(s: &Scratch) -> Value {
    let out = s.ftr().args(["check", "--json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn finding<'a>(v: &'a Value, code: &str, needle: &str) -> Option<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code && f["message"].as_str().unwrap().contains(needle))
}

fn zip_names(path: &Path) -> Vec<String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

/// The manifest lists exactly the zip's other entries, with matching sizes and hashes.
fn assert_bundle_matches_manifest(path: &Path) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut manifest = String::new();
    z.by_name("manifest.json")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    let m: Value = serde_json::from_str(&manifest).unwrap();
    let listed: Vec<&Value> = m["entries"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len() + 1, z.len());
    for e in listed {
        let mut data = Vec::new();
        z.by_name(e["name"].as_str().unwrap())
            .unwrap()
            .read_to_end(&mut data)
            .unwrap();
        assert_eq!(data.len() as u64, e["size"].as_u64().unwrap());
        use sha2::Digest;
        assert_eq!(
            ftr_wizard::assessment::evidence::hex(&sha2::Sha256::digest(&data)),
            e["sha256"].as_str().unwrap()
        );
    }
}

#[test]
fn odd_names_empty_files_links_and_duplicates_end_in_clear_findings() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let long = format!("{}.txt", "very-long-name-".repeat(14));
    s.write(&format!("evidence/{long}"), "long name");
    s.write("evidence/with spaces & ünïcödé.txt", "unicode");
    s.write("evidence/empty.txt", "");
    s.write("real/target.txt", "the real file");
    std::os::unix::fs::symlink("../real/target.txt", s.file("evidence/link.txt")).unwrap();
    for (id, file) in [
        ("IAM-001", format!("evidence/{long}")),
        ("IAM-002", "evidence/with spaces & ünïcödé.txt".to_string()),
        ("IAM-003", "evidence/empty.txt".to_string()),
        ("IAM-004", "evidence/link.txt".to_string()),
    ] {
        s.ftr()
            .args(["answer", id, "--status", "met", "--evidence", &file])
            .assert()
            .success();
    }
    // The same file twice to one control is recorded once.
    s.ftr()
        .args(["answer", "IAM-004", "--evidence", "evidence/link.txt"])
        .args(["--evidence", "./evidence/../evidence/link.txt"])
        .assert()
        .success()
        .stdout(
            "IAM-004: met, 1 evidence file\n  \
             IAM-004.1 unanswered\n  \
             AWS's sheet: fail: IAM-004.1 is unanswered (Yes passes)\n",
        );
    let v = check_json(&s);
    assert!(
        finding(&v, "evidence-empty", "evidence/empty.txt is empty").is_some(),
        "{v:#}"
    );
    assert!(
        finding(
            &v,
            "evidence-link",
            "evidence/link.txt is a symbolic link to ../real/target.txt"
        )
        .is_some(),
        "{v:#}"
    );
    assert!(!v.to_string().contains("evidence-missing"));
    s.ftr()
        .args(["export", "--allow-incomplete", "--out", "b.zip"])
        .assert()
        .success();
    let names = zip_names(&s.file("b.zip"));
    assert!(
        names
            .iter()
            .any(|n| n == "evidence/IAM-002/with_spaces_n_c_d_.txt"),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n == "evidence/IAM-004/link.txt"),
        "{names:?}"
    );
    assert!(names.iter().all(|n| n.len() <= 130), "{names:?}");
    assert_bundle_matches_manifest(&s.file("b.zip"));
}

#[test]
fn changed_deleted_and_special_files_are_findings_and_never_read() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.write("evidence/a.txt", "first");
    s.write("evidence/b.txt", "doomed");
    s.write("evidence/fifo-placeholder", "x");
    for (id, f) in [
        ("IAM-001", "evidence/a.txt"),
        ("IAM-002", "evidence/b.txt"),
        ("IAM-003", "evidence/fifo-placeholder"),
    ] {
        s.ftr()
            .args(["answer", id, "--status", "met", "--evidence", f])
            .assert()
            .success();
    }
    std::fs::write(s.file("evidence/a.txt"), "other").unwrap(); // same size, new content
    std::fs::remove_file(s.file("evidence/b.txt")).unwrap();
    // A fifo where a file was: reading it would hang for ever.
    std::fs::remove_file(s.file("evidence/fifo-placeholder")).unwrap();
    let ok = Command::new("mkfifo")
        .arg(s.file("evidence/fifo-placeholder"))
        .status()
        .unwrap();
    assert!(ok.success());
    // And a device, attached by editing the file (a colleague's project, say).
    let text = s.read_project().replace(
        "[answers.partner-hosted.IAM-005]\n",
        &format!(
            "[answers.partner-hosted.IAM-005]\nstatus = \"met\"\n\n[[answers.partner-hosted.IAM-005.evidence]]\n\
             path = \"/dev/zero\"\nsha256 = \"{}\"\nsize = 1\nattached = 2026-11-01T00:00:00Z\n",
            "0".repeat(64)
        ),
    );
    s.write("ftr-assessment.toml", &text);
    let start = Instant::now();
    let v = check_json(&s);
    assert!(
        finding(&v, "evidence-changed", "evidence/a.txt").is_some(),
        "{v:#}"
    );
    assert!(
        finding(&v, "evidence-missing", "evidence/b.txt").is_some(),
        "{v:#}"
    );
    assert!(
        finding(&v, "evidence-not-a-file", "fifo-placeholder").is_some(),
        "{v:#}"
    );
    assert!(
        finding(&v, "evidence-not-a-file", "/dev/zero").is_some(),
        "{v:#}"
    );
    assert!(
        finding(&v, "evidence-outside", "/dev/zero").is_some(),
        "{v:#}"
    );
    s.ftr()
        .arg("export")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "fifo-placeholder is not a regular file",
        ));
    s.ftr()
        .args(["export", "--allow-incomplete", "--out", "d.zip"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "IAM-003: evidence/fifo-placeholder (not a regular file)",
        ))
        .stdout(predicate::str::contains(
            "IAM-005: /dev/zero (not a regular file)",
        ));
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "something read the fifo or /dev/zero"
    );
    let names = zip_names(&s.file("d.zip"));
    assert!(
        !names
            .iter()
            .any(|n| n.contains("fifo") || n.contains("zero")),
        "{names:?}"
    );
    assert_bundle_matches_manifest(&s.file("d.zip"));
    // Attaching such things is refused outright.
    s.ftr()
        .args(["answer", "IAM-006", "--evidence", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/dev/zero is not a regular file"));
    s.ftr()
        .args([
            "answer",
            "IAM-006",
            "--evidence",
            "evidence/fifo-placeholder",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a regular file"));
}

#[test]
fn a_file_name_that_is_not_utf8_is_refused_with_a_way_out() {
    use std::os::unix::ffi::OsStrExt;
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let name = std::ffi::OsStr::from_bytes(b"report-\xff\xfe.pdf");
    let path = s.path().join(name);
    if std::fs::write(&path, "pdf").is_err() {
        eprintln!("this file system refuses non-UTF-8 names; nothing to test");
        return;
    }
    let before = s.read_project();
    s.ftr()
        .arg("answer")
        .arg("IAM-001")
        .arg("--evidence")
        .arg(name)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not valid UTF-8"))
        .stderr(predicate::str::contains("rename the file"));
    assert_eq!(s.read_project(), before);
}

#[cfg(unix)]
#[test]
fn unreadable_evidence_is_reported_when_the_system_enforces_it() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    s.write("evidence/secret.pdf", "pdf");
    s.ftr()
        .args([
            "answer",
            "IAM-001",
            "--status",
            "met",
            "--evidence",
            "evidence/secret.pdf",
        ])
        .assert()
        .success();
    let f = s.file("evidence/secret.pdf");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = std::fs::File::open(&f).is_err(); // root reads anything
    let v = check_json(&s);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(
        finding(&v, "evidence-unreadable", "secret.pdf").is_some(),
        enforced,
        "{v:#}"
    );
}

/// A file over 4 GiB goes into the bundle with zip64 records. A sparse file keeps it cheap on
/// disk, but hashing and zipping 4 GiB still takes a while: run it with
/// `cargo test --release --test it reliability:: -- --ignored`.
#[test]
#[ignore]
fn evidence_over_four_gib_uses_zip64() {
    let s = Scratch::new();
    s.ftr()
        .args(["new", "--model", "partner-hosted"])
        .assert()
        .success();
    let big = s.file("evidence/huge.log");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    let f = std::fs::File::create(&big).unwrap();
    let size = (4u64 << 30) + 12_345;
    f.set_len(size).unwrap();
    drop(f);
    s.ftr()
        .args([
            "answer",
            "IAM-001",
            "--status",
            "met",
            "--evidence",
            "evidence/huge.log",
        ])
        .assert()
        .success();
    s.ftr()
        .args(["export", "--allow-incomplete", "--out", "big.zip"])
        .assert()
        .success();
    let mut z = zip::ZipArchive::new(std::fs::File::open(s.file("big.zip")).unwrap()).unwrap();
    let entry = z.by_name("evidence/IAM-001/huge.log").unwrap();
    assert_eq!(entry.size(), size);
    drop(entry);
    let out = Command::new("unzip")
        .arg("-tq")
        .arg(s.file("big.zip"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
