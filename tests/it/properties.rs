//! Property tests: any project saves and loads back equal, and no bytes make a loader panic.

use std::collections::BTreeMap;

use ftr_wizard::assessment::{
    Answer, Delivery, Evidence, PrereqAnswer, Profile, Project, Remediation, Status,
};
use ftr_wizard::content::{Library, Model};
use ftr_wizard::dates::{Date, Timestamp};
use ftr_wizard::store;
use proptest::prelude::*;

use crate::common;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Anything at all, control characters and quotes included.
        any::<String>(),
        // Text that looks like TOML or Markdown, the likeliest to confuse a writer.
        "[a-zA-Z0-9 '\"\\\\\n\t#=\\[\\]{}.,é漢🙂-]{0,80}",
        Just(String::new()),
        Just("'''\n\"\"\"\n\\u0000".to_string()),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    (1990i32..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (date(), 0u32..86_400).prop_map(|(d, s)| {
        Timestamp::parse(&format!(
            "{d}T{:02}:{:02}:{:02}Z",
            s / 3600,
            s / 60 % 60,
            s % 60
        ))
        .unwrap()
    })
}

fn evidence() -> impl Strategy<Value = Evidence> {
    (
        text(),
        "[0-9a-f]{64}",
        0u64..(1u64 << 53),
        timestamp(),
        text(),
        proptest::option::of(date()),
        proptest::option::of(text()),
    )
        .prop_map(
            |(path, sha256, size, attached, label, produced, link_to)| Evidence {
                path,
                sha256,
                size,
                attached,
                label,
                produced,
                link_to,
            },
        )
}

fn answer() -> impl Strategy<Value = Answer> {
    (
        prop_oneof![
            Just(Status::Unanswered),
            Just(Status::Met),
            Just(Status::NotMet),
            Just(Status::NotApplicable)
        ],
        text(),
        text(),
        text(),
        (text(), text(), proptest::option::of(date())),
        proptest::collection::vec(evidence(), 0..3),
        // Keys as a file may hold them (also ones no control asks for), values any text.
        proptest::collection::btree_map("[a-z_]{1,12}|[A-Za-z .\"-]{1,12}", text(), 0..3),
        prop_oneof![Just(String::new()), text()],
        // Workbook rows as a file may hold them: ids with a dot, any text as the answer.
        proptest::collection::btree_map("[A-Z]{2,4}-00[0-9]\\.[1-4]", text(), 0..3),
    )
        .prop_map(
            |(
                status,
                response,
                notes,
                reason,
                (what, owner, due),
                evidence,
                values,
                review,
                rows,
            )| {
                Answer {
                    status,
                    rows,
                    response,
                    notes,
                    reason,
                    values,
                    remediation: Remediation { what, owner, due },
                    evidence,
                    review,
                }
            },
        )
}

fn project() -> impl Strategy<Value = Project> {
    let lib = Library::embedded().unwrap();
    let checklists: Vec<(Model, String, String)> = lib
        .checklists
        .iter()
        .map(|c| (c.model, c.id.clone(), c.version.clone()))
        .collect();
    (
        (
            text(),
            text(),
            text(),
            text(),
            proptest::option::of(evidence()),
            proptest::collection::vec(evidence(), 0..3),
        ),
        proptest::option::of(0..checklists.len()),
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        proptest::collection::btree_map("[a-z_]{1,20}", any::<bool>(), 0..5),
        proptest::collection::btree_map(
            "[a-z_]{1,20}",
            prop_oneof![
                any::<bool>().prop_map(PrereqAnswer::Yes),
                any::<u32>().prop_map(PrereqAnswer::Count)
            ],
            0..5,
        ),
        proptest::collection::btree_map(
            prop_oneof![
                Just("partner-hosted".to_string()),
                Just("customer-deployed".to_string()),
                "[a-z-]{1,12}"
            ],
            proptest::collection::btree_map("[A-Z]{2,6}-[0-9]{3}", answer(), 0..4),
            0..3,
        ),
    )
        .prop_map(
            move |(
                (company, product, contact_name, contact_email, diagram, security_reports),
                which,
                confirmed,
                holds,
                scoping,
                prerequisites,
                answers,
            )| {
                let mut p = Project::new();
                // Any text round-trips as the template path: take the product's, reversed.
                let template: String = product.chars().rev().collect();
                // The other slots take files and text drawn for the first ones.
                let (deployment_guide, alternative_report) =
                    (diagram.clone(), security_reports.first().cloned());
                let deployment_guide_url = contact_name.chars().rev().collect();
                p.profile = Profile {
                    company,
                    product,
                    contact_name,
                    contact_email,
                    diagram,
                    security_reports,
                    deployment_guide,
                    deployment_guide_url,
                    alternative_report,
                    template,
                };
                p.delivery = match which {
                    Some(i) => {
                        let (model, id, version) = checklists[i].clone();
                        Delivery {
                            model: Some(model),
                            confirmed,
                            holds_soc2_or_wafr: holds,
                            checklist: id,
                            // The choice to go on past the window, for this version or none.
                            accept_past_window: if confirmed {
                                version.clone()
                            } else {
                                String::new()
                            },
                            version,
                        }
                    }
                    None => Delivery {
                        holds_soc2_or_wafr: holds,
                        ..Delivery::default()
                    },
                };
                p.scoping = scoping;
                p.prerequisites = prerequisites;
                // Empty answers are not written (as the wizard and CLI never keep them).
                p.answers = answers
                    .into_iter()
                    .map(|(k, m)| {
                        let m: BTreeMap<String, Answer> =
                            m.into_iter().filter(|(_, a)| !a.is_empty()).collect();
                        (k, m)
                    })
                    .filter(|(_, m)| !m.is_empty())
                    .collect();
                p
            },
        )
}

/// Found by the generator: a plan of only spaces was dropped on save.
#[test]
fn a_plan_of_only_spaces_loads_back() {
    let lib = Library::embedded().unwrap();
    let mut p = Project::default();
    let answer = Answer {
        remediation: Remediation {
            what: " ".into(),
            ..Remediation::default()
        },
        ..Answer::default()
    };
    p.answers
        .entry("partner-hosted".into())
        .or_default()
        .insert("AA-000".into(), answer);
    let text = store::to_text(&p).unwrap();
    let back = store::parse("plan.toml", &text, &lib).unwrap();
    assert_eq!(back, p);
}

proptest! {
    #![proptest_config(common::proptest_config(256))]

    #[test]
    fn every_project_loads_back_equal_to_what_was_saved(p in project()) {
        let lib = Library::embedded().unwrap();
        let text = store::to_text(&p).unwrap();
        let back = store::parse("generated.toml", &text, &lib)
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        prop_assert_eq!(&back, &p);
        // Saving the loaded project (now laid out by its checklist) and loading that again
        // gives the same project and the same bytes: the format is stable.
        let laid_out = store::to_text(&back).unwrap();
        let again = store::parse("generated.toml", &laid_out, &lib)
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{laid_out}")))?;
        prop_assert_eq!(&again, &p);
        prop_assert_eq!(store::to_text(&again).unwrap(), laid_out);
    }

    #[test]
    fn no_bytes_make_the_project_loader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let lib = Library::embedded().unwrap();
        let _ = store::parse_bytes("fuzz.toml", &bytes, &lib);
    }

    #[test]
    fn no_text_makes_the_project_loader_panic(text in "(schema_version = [0-9]{1,3}\n)?(\\[[a-z.\"-]{0,30}\\]\n)?([a-z_]{1,12} = (\"[^\"]{0,20}\"|[0-9]{1,5}|true|\\[\\]|[0-9-]{10})\n){0,6}") {
        let lib = Library::embedded().unwrap();
        let _ = store::parse_bytes("fuzz.toml", text.as_bytes(), &lib);
    }

    #[test]
    fn no_bytes_make_the_checklist_loader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Library::parse_checklist_bytes("fuzz.toml", &bytes);
    }
}

/// Mutations of a real checklist file: closer to what a person editing one would produce.
#[test]
fn mangled_checklist_files_are_refused_or_loaded_never_panicking() {
    let original = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/alternative.toml"
    ))
    .unwrap();
    let mut x = 0x1234_5678_9abc_def1u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut refused = 0;
    for _ in 0..300 {
        let mut bytes = original.clone();
        for _ in 0..(1 + next() % 4) {
            let at = (next() % bytes.len() as u64) as usize;
            match next() % 3 {
                0 => bytes[at] = (next() % 128) as u8,
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.truncate(at),
            }
        }
        if Library::parse_checklist_bytes("mangled.toml", &bytes).is_err() {
            refused += 1;
        }
    }
    assert!(
        refused > 100,
        "only {refused} of 300 mangled files were refused"
    );
}

// ---------------------------------------------------------------------------------------
// Every parser a user's file reaches, fed damaged versions of a good file of its format.

/// Damages `bytes`: flips bytes, copies a stretch over another place, cuts the end, and puts
/// bytes in, all at positions chosen by the case.
fn damage(
    bytes: &mut Vec<u8>,
    flips: &[(usize, u8)],
    copy: (usize, usize, usize),
    cut: usize,
    put: &[u8],
) {
    if bytes.is_empty() {
        bytes.extend_from_slice(put);
        return;
    }
    for (at, b) in flips {
        let i = at % bytes.len();
        bytes[i] ^= b;
    }
    let (from, to, len) = copy;
    let from = from % bytes.len();
    let len = len % 64.min(bytes.len() - from).max(1);
    let stretch = bytes[from..from + len].to_vec();
    let to = to % bytes.len();
    bytes.splice(to..to, stretch);
    let at = put.len() % bytes.len();
    bytes.splice(at..at, put.iter().copied());
    let keep = bytes.len() - cut % (bytes.len() / 4 + 1);
    bytes.truncate(keep);
}

/// The scan files of the four formats (Prowler CSV and OCSF JSON, Security Hub, Service
/// Screener JSON and HTML), by the names their importer expects.
fn scan_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scans");
    [
        (
            "prowler-output-123456789012-20260803124247_aws_foundational_technical_review_aws.csv",
            "prowler-output-123456789012-20260803124247_aws_foundational_technical_review_aws.csv",
        ),
        (
            "prowler-output-210987654321-20260912081530.ocsf.json",
            "prowler-output-210987654321-20260912081530.ocsf.json",
        ),
        ("securityhub-findings.json", "securityhub-findings.json"),
        ("api-full.json", "screener/aws/123456789012/api-full.json"),
        ("FTR.html", "screener/aws/123456789012/FTR.html"),
    ]
    .into_iter()
    .map(|(name, rel)| (name, std::fs::read(root.join(rel)).unwrap()))
    .collect()
}

/// A workbook in AWS's layout, as `ftr export` writes it, and the checklist it is for.
fn template_seed() -> &'static [u8] {
    static SEED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let s = common::Scratch::new();
        s.ftr()
            .args([
                "new",
                "--company",
                "Acme",
                "--product",
                "Widget",
                "--model",
                "partner-hosted",
            ])
            .assert()
            .success();
        s.ftr()
            .env("SOURCE_DATE_EPOCH", "1795680000")
            .args(["export", "--allow-incomplete"])
            .assert()
            .success();
        let found = walk(&s.file(""))
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .expect("the export writes a workbook");
        std::fs::read(found).unwrap()
    })
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The workbook with one of its XML parts damaged, zipped again so the damage reaches the
/// reader rather than the zip's checksums.
fn damaged_workbook(
    part: usize,
    flips: &[(usize, u8)],
    copy: (usize, usize, usize),
    cut: usize,
    put: &[u8],
) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(template_seed())).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let xml_parts: Vec<usize> = (0..zin.len())
        .filter(|&i| zin.by_index(i).unwrap().name().unwrap().ends_with(".xml"))
        .collect();
    let target = xml_parts[part % xml_parts.len()];
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if i == target {
            damage(&mut bytes, flips, copy, cut, put);
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(common::proptest_config(48))]

    /// No damaged scan file of any format makes the import panic: it is read or refused.
    #[test]
    fn no_damaged_scan_file_makes_the_import_panic(
        which in 0usize..5,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        copy in (any::<usize>(), any::<usize>(), any::<usize>()),
        cut in any::<usize>(),
        put in proptest::collection::vec(any::<u8>(), 0..24),
    ) {
        let (name, mut bytes) = scan_seeds().swap_remove(which);
        damage(&mut bytes, &flips, copy, cut, &put);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let lib = Library::embedded().unwrap();
        let checklist = lib.checklist("partner-hosted").unwrap();
        let now = Timestamp::parse("2026-10-01T12:00:00Z").unwrap();
        // Read or refused with a message; either way no panic.
        let _ = ftr_wizard::import::read(&path, checklist, now, dir.path());
    }

    /// No damaged workbook makes the template reader panic: it is read or refused.
    #[test]
    fn no_damaged_workbook_makes_the_template_reader_panic(
        part in any::<usize>(),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        copy in (any::<usize>(), any::<usize>(), any::<usize>()),
        cut in any::<usize>(),
        put in proptest::collection::vec(any::<u8>(), 0..24),
    ) {
        let bytes = damaged_workbook(part, &flips, copy, cut, &put);
        if let Ok(t) = ftr_wizard::export::template::Template::from_bytes("template.xlsx", bytes) {
            let lib = Library::embedded().unwrap();
            let _ = t.check_checklist(lib.checklist("partner-hosted").unwrap());
        }
    }
}
