//! The embedded checklists against the reference, and the validation of content folders.

mod common;

use common::{Scratch, content_file};
use ftr_wizard::content::{Domain, Library, Model, PrerequisiteKind, ValueKind};
use ftr_wizard::error::Error;

const PARTNER_HOSTED: &[&str] = &[
    "HOST-001",
    "SUP-001",
    "WAFR-001",
    "WAFR-002",
    "ARC-001",
    "ARC-004",
    "ARC-005",
    "ACOM-001",
    "ACOM-002",
    "IAM-001",
    "IAM-002",
    "IAM-003",
    "IAM-004",
    "IAM-005",
    "IAM-006",
    "IAM-007",
    "IAM-008",
    "IAM-009",
    "IAM-010",
    "IAM-011",
    "IAM-012",
    "SECOPS-001",
    "NETSEC-001",
    "NETSEC-002",
    "BAR-001",
    "BAR-002",
    "RES-001",
    "RES-002",
    "RES-004",
    "RES-005",
    "RES-006",
    "RES-007",
    "S3-001",
    "CAA-001",
    "CAA-007",
    "CAA-002",
    "CAA-004",
    "CAA-005",
    "CAA-006",
    "CAA-003",
    "SDAT-001",
    "SDAT-002",
    "SDAT-003",
    "RCVP-001",
];

const CUSTOMER_DEPLOYED: &[&str] = &[
    "INT-001", "INT-002", "INT-003", "INT-004", "INT-005", "PRQ-001", "PRQ-002", "PRQ-003",
    "ARCH-001", "ARCH-004", "ARCH-005", "ARCH-006", "DSEC-002", "DSEC-003", "DSEC-004", "DSEC-006",
    "DSEC-007", "DSEC-008", "DSEC-009", "DSEC-010", "DSEC-011", "CST-001", "CST-002", "SIZ-001",
    "DAS-001", "DAS-004", "HLCH-001", "BAR-001", "RM-001", "RM-002", "RM-003", "RM-004",
    "EMER-001", "EMER-002", "SUP-001", "SUP-002", "SUP-003",
];

const ALTERNATIVE: &[&str] = &[
    "SOC-001",
    "SOC-002",
    "SOC-003",
    "SOC-004",
    "SOC-005",
    "WAFR-FTR-001",
    "WAFR-FTR-002",
    "WAFR-FTR-003",
    "WAFR-FTR-004",
    "WAFR-FTR-005",
    "WAFR-FTR-006",
];

fn ids(library: &Library, model: Model) -> Vec<String> {
    library
        .for_model(model)
        .unwrap()
        .controls
        .iter()
        .map(|c| c.id.clone())
        .collect()
}

#[test]
fn embedded_checklists_hold_exactly_the_reference_ids_in_order() {
    let lib = Library::embedded().unwrap();
    assert_eq!(lib.checklists.len(), 3);
    assert_eq!(ids(&lib, Model::PartnerHosted), PARTNER_HOSTED);
    assert_eq!(ids(&lib, Model::CustomerDeployed), CUSTOMER_DEPLOYED);
    assert_eq!(ids(&lib, Model::Alternative), ALTERNATIVE);
    assert_eq!(PARTNER_HOSTED.len(), 44);
    assert_eq!(CUSTOMER_DEPLOYED.len(), 37);
    assert_eq!(ALTERNATIVE.len(), 11);
}

#[test]
fn provisional_controls_are_exactly_the_four_missing_from_the_feb_2026_page() {
    let lib = Library::embedded().unwrap();
    let ph = lib.for_model(Model::PartnerHosted).unwrap();
    let provisional: Vec<&str> = ph
        .controls
        .iter()
        .filter(|c| c.provisional)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(provisional, ["HOST-001", "SUP-001", "WAFR-001", "WAFR-002"]);
    assert_eq!(ph.controls.len() - provisional.len(), 40);
    for model in [Model::CustomerDeployed, Model::Alternative] {
        assert_eq!(lib.for_model(model).unwrap().provisional_count(), 0);
    }
    // Retired and historical ids are never asked.
    for gone in [
        "ARC-003", "ARC-002", "CTL-001", "RES-003", "S3-002", "DR-001",
    ] {
        assert!(ph.control(gone).is_none(), "{gone} must not be asked");
    }
}

#[test]
fn every_checklist_names_version_window_and_sources() {
    let lib = Library::embedded().unwrap();
    let ph = lib.checklist("partner-hosted").unwrap();
    assert_eq!(ph.version, "2026-02");
    assert_eq!(ph.valid_from.unwrap().to_string(), "2026-02-26");
    assert_eq!(ph.valid_until.unwrap().to_string(), "2026-11-30");
    assert_eq!(
        lib.checklist("customer-deployed").unwrap().version,
        "2022-03"
    );
    assert_eq!(lib.checklist("alternative").unwrap().version, "2025-08");
    for c in &lib.checklists {
        assert!(c.valid_from.is_some(), "{} has no validity start", c.id);
        assert!(!c.sources.is_empty(), "{} names no sources", c.id);
        assert!(!c.summary.trim().is_empty(), "{} has no summary", c.id);
    }
}

#[test]
fn every_control_has_the_four_parts_of_guidance_and_a_question() {
    let lib = Library::embedded().unwrap();
    for checklist in &lib.checklists {
        for c in &checklist.controls {
            let g = &c.guidance;
            let parts = [
                "**What it asks.**",
                "**What a reviewer wants to see.**",
                "**Typical evidence**",
                "**Where it usually fails.**",
            ];
            let mut last = 0;
            for part in parts {
                let at = g
                    .find(part)
                    .unwrap_or_else(|| panic!("{} guidance lacks {part}", c.id));
                assert!(at >= last, "{}: {part} out of order", c.id);
                last = at;
            }
            assert!(
                g.contains("\n- "),
                "{}: typical evidence is not a list",
                c.id
            );
            assert!(c.question.trim().ends_with('?'), "{}: question", c.id);
            assert!(
                g.split_whitespace().count() >= 60,
                "{}: guidance too short",
                c.id
            );
        }
    }
}

#[test]
fn domains_and_sections_follow_the_reference() {
    let lib = Library::embedded().unwrap();
    let ph = lib.checklist("partner-hosted").unwrap();
    let domain = |id: &str| ph.control(id).unwrap().domain;
    assert_eq!(domain("IAM-001"), Domain::Security);
    assert_eq!(domain("BAR-002"), Domain::Reliability);
    assert_eq!(domain("RES-007"), Domain::OperationalExcellence);
    assert_eq!(domain("HOST-001"), Domain::OperationalExcellence);
    let cd = lib.checklist("customer-deployed").unwrap();
    assert_eq!(cd.control("SIZ-001").unwrap().domain, Domain::Reliability);
    assert_eq!(
        cd.control("CST-001").unwrap().domain,
        Domain::OperationalExcellence
    );
    assert!(
        cd.controls
            .iter()
            .all(|c| c.section.starts_with("Deployment guide > "))
    );
    // SUP-003's meaning is disputed: the question asks for both readings.
    let q = cd.control("SUP-003").unwrap().question.to_lowercase();
    assert!(
        q.contains("licen") && (q.contains("sla") || q.contains("response")),
        "{q}"
    );
    for c in &lib.checklists {
        for d in Domain::ALL {
            assert!(c.count_in(d) > 0, "{} has no {d} control", c.id);
        }
    }
}

#[test]
fn cadences_sit_on_the_controls_that_imply_them() {
    let lib = Library::embedded().unwrap();
    let ph = lib.checklist("partner-hosted").unwrap();
    let days = |id: &str| ph.control(id).unwrap().cadence.as_ref().map(|c| c.days);
    assert_eq!(days("WAFR-001"), Some(365));
    assert_eq!(days("RES-004"), Some(365));
    assert_eq!(days("IAM-008"), Some(92));
    assert_eq!(days("IAM-002"), Some(90));
    assert!(days("BAR-002").is_some());
    assert_eq!(days("IAM-001"), None);
    let alt = lib.checklist("alternative").unwrap();
    assert_eq!(
        alt.control("SOC-001")
            .unwrap()
            .cadence
            .as_ref()
            .map(|c| c.days),
        Some(365)
    );
}

#[test]
fn required_values_are_asked_exactly_where_the_reference_names_them() {
    // The self-assessment asks for the RPO, the RTO and the date of the last resilience test
    // in the Partner Response; the reference names no other value, nor any for the
    // customer-deployed or alternative checklists.
    let lib = Library::embedded().unwrap();
    let mut asked = Vec::new();
    for c in &lib.checklists {
        for x in &c.controls {
            for v in &x.values {
                assert!(!v.label.trim().is_empty() && !v.hint.trim().is_empty());
                asked.push((c.id.as_str(), x.id.as_str(), v.key.as_str(), v.kind));
            }
        }
    }
    assert_eq!(
        asked,
        [
            ("partner-hosted", "RES-001", "rpo", ValueKind::Duration),
            ("partner-hosted", "RES-002", "rto", ValueKind::Duration),
            ("partner-hosted", "RES-004", "last_test", ValueKind::Date),
        ]
    );
    let ph = lib.checklist("partner-hosted").unwrap();
    assert_eq!(
        ph.control("RES-001").unwrap().values[0].label,
        "Recovery point objective (RPO)"
    );
    // How old the test may be comes from RES-004's cadence, not from the value.
    assert_eq!(
        ph.control("RES-004")
            .unwrap()
            .cadence
            .as_ref()
            .map(|c| c.days),
        Some(365)
    );
}

#[test]
fn a_value_without_a_hint_shows_its_kinds_own() {
    let text = content_file("alternative.toml").replacen(
        "[[control]]\nid = \"SOC-002\"",
        "[[control.value]]\nkey = \"signed_on\"\nlabel = \"Date the auditor signed\"\nkind = \"date\"\n\n[[control]]\nid = \"SOC-002\"",
        1,
    );
    assert!(text.contains("signed_on"));
    let s = folder_with("alternative.toml", &text);
    let lib = Library::from_dir(&s.file("content")).unwrap();
    let v = &lib
        .checklist("alternative")
        .unwrap()
        .control("SOC-001")
        .unwrap()
        .values[0];
    assert_eq!((v.key.as_str(), v.kind), ("signed_on", ValueKind::Date));
    assert_eq!(v.hint, ValueKind::Date.default_hint());
}

#[test]
fn scoping_switches_off_the_controls_the_issue_names() {
    let lib = Library::embedded().unwrap();
    let covered = |checklist: &str, control: &str| {
        lib.checklist(checklist)
            .unwrap()
            .scoping
            .iter()
            .any(|q| q.off_when_no.iter().any(|c| c == control))
    };
    for id in [
        "CAA-001", "CAA-002", "CAA-003", "CAA-004", "CAA-005", "CAA-006", "CAA-007", "SDAT-001",
        "SDAT-002", "SDAT-003", "RCVP-001", "RES-006", "IAM-011", "IAM-005", "IAM-002",
    ] {
        assert!(
            covered("partner-hosted", id),
            "no scoping question switches off {id}"
        );
    }
    for id in [
        "DSEC-007", "INT-003", "DSEC-004", "DSEC-011", "CST-002", "RM-003",
    ] {
        assert!(
            covered("customer-deployed", id),
            "no scoping question switches off {id}"
        );
    }
    // The alternative path asks one track or the other.
    let alt = lib.checklist("alternative").unwrap();
    let q = alt.scoping_question("submits_soc2").unwrap();
    assert_eq!(q.off_when_yes.len(), 6);
    assert_eq!(q.off_when_no.len(), 5);
}

#[test]
fn prerequisites_are_the_four_programme_items() {
    let lib = Library::embedded().unwrap();
    let ids: Vec<&str> = lib.prerequisites.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "software_path",
            "solution_created",
            "ace_terms",
            "ace_opportunities"
        ]
    );
    let ace = lib.prerequisite("ace_opportunities").unwrap();
    assert_eq!(ace.kind, PrerequisiteKind::Count);
    assert_eq!(ace.minimum, Some(10));
    assert!(
        !ace.confirmed,
        "the ACE threshold is not confirmed in AWS text"
    );
}

// ---- content folders ----

/// A folder holding copies of the embedded files, with `name` replaced by `text`.
fn folder_with(name: &str, text: &str) -> Scratch {
    let s = Scratch::new();
    for f in [
        "partner-hosted.toml",
        "customer-deployed.toml",
        "alternative.toml",
    ] {
        s.write(&format!("content/{f}"), content_file(f));
    }
    s.write(&format!("content/{name}"), text);
    s
}

fn load_err(s: &Scratch) -> String {
    match Library::from_dir(&s.file("content")) {
        Ok(_) => panic!("the folder should not load"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_copy_of_the_content_loads_from_a_folder_with_embedded_prerequisites() {
    let s = folder_with("alternative.toml", &content_file("alternative.toml"));
    let lib = Library::from_dir(&s.file("content")).unwrap();
    assert_eq!(lib.checklists.len(), 3);
    assert_eq!(lib.prerequisites.len(), 4);
    assert_eq!(lib.folder.as_deref(), Some(s.file("content").as_path()));
}

#[test]
fn a_newer_release_in_a_folder_replaces_the_embedded_one() {
    let text = content_file("partner-hosted.toml")
        .replace("version = \"2026-02\"", "version = \"2026-08\"");
    let s = folder_with("partner-hosted.toml", &text);
    let lib = Library::from_dir(&s.file("content")).unwrap();
    assert_eq!(lib.checklist("partner-hosted").unwrap().version, "2026-08");
}

#[test]
fn duplicate_control_id_names_file_line_and_field() {
    let text = content_file("alternative.toml").replace("id = \"SOC-002\"", "id = \"SOC-001\"");
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "id = \"SOC-001\"")
        .nth(1)
        .unwrap()
        .0
        + 1;
    let s = folder_with("alternative.toml", &text);
    let msg = load_err(&s);
    assert!(msg.contains("alternative.toml"), "{msg}");
    assert!(msg.contains(&format!("line {line},")), "{msg}");
    assert!(msg.contains("field `control.id`"), "{msg}");
    assert!(msg.contains("appears twice"), "{msg}");
}

#[test]
fn unknown_domain_is_refused_with_its_line() {
    let text = content_file("alternative.toml").replacen(
        "domain = \"security\"",
        "domain = \"securty\"",
        1,
    );
    let line = text.lines().position(|l| l.contains("securty")).unwrap() + 1;
    let s = folder_with("alternative.toml", &text);
    let msg = load_err(&s);
    assert!(msg.contains(&format!("line {line},")), "{msg}");
    assert!(msg.contains("domain"), "{msg}");
    assert!(msg.contains("securty"), "{msg}");
}

#[test]
fn scoping_reference_to_a_missing_control_is_refused() {
    let text = content_file("alternative.toml").replace("\"SOC-005\"]", "\"SOC-009\"]");
    let s = folder_with("alternative.toml", &text);
    let msg = load_err(&s);
    assert!(msg.contains("SOC-009"), "{msg}");
    assert!(msg.contains("off_when_no"), "{msg}");
}

#[test]
fn empty_guidance_is_refused() {
    let text = content_file("customer-deployed.toml");
    let start = text.find("guidance = \"\"\"").unwrap();
    let end = start + text[start..].find("\n\"\"\"").unwrap() + 4;
    let text = format!("{}guidance = \"  \"{}", &text[..start], &text[end..]);
    let s = folder_with("customer-deployed.toml", &text);
    let msg = load_err(&s);
    assert!(msg.contains("empty `guidance`"), "{msg}");
    assert!(msg.contains("INT-001"), "{msg}");
}

#[test]
fn a_syntax_error_names_the_line() {
    let s = folder_with("extra.toml", "[checklist]\nid = \"x\"\nname = \n");
    let msg = load_err(&s);
    assert!(msg.contains("extra.toml, line 3"), "{msg}");
}

#[test]
fn two_checklists_for_one_model_are_refused() {
    let text = content_file("alternative.toml").replace("id = \"alternative\"", "id = \"alt-2\"");
    let s = folder_with("alt-copy.toml", &text);
    let msg = load_err(&s);
    assert!(msg.contains("delivery model `alternative`"), "{msg}");
}

#[test]
fn an_empty_folder_says_what_it_needs() {
    let s = Scratch::new();
    std::fs::create_dir(s.file("content")).unwrap();
    let err = Library::from_dir(&s.file("content")).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    assert!(err.to_string().contains("no checklist"), "{err}");
}
