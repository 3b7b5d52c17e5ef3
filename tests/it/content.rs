//! The embedded checklists against the reference, and the validation of content folders.

use ftr_wizard::assessment::edit::ALTERNATIVE_NOTE;
use ftr_wizard::assessment::{Applicability, Project};
use ftr_wizard::content::{CadenceBasis, Domain, Library, Model, PrerequisiteKind, ValueKind};
use ftr_wizard::dates::Date;
use ftr_wizard::error::Error;

use crate::common::{Scratch, content_file};

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
    assert_eq!(lib.checklist("partner-hosted").unwrap().version, "2026-02");
    assert_eq!(
        lib.checklist("customer-deployed").unwrap().version,
        "2022-03"
    );
    assert_eq!(lib.checklist("alternative").unwrap().version, "2025-08");
    for c in &lib.checklists {
        assert!(c.released.is_some(), "{} has no release date", c.id);
        assert!(
            c.usable_until.is_some() || c.last_verified.is_some(),
            "{} has neither an end date nor a date it was last verified",
            c.id
        );
        assert!(c.supersedes.is_some(), "{} names no predecessor", c.id);
        assert!(!c.sources.is_empty(), "{} names no sources", c.id);
        assert!(!c.summary.trim().is_empty(), "{} has no summary", c.id);
    }
}

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// (date, approximate) of a checklist day, for comparing.
fn when(d: Option<ftr_wizard::content::Day>) -> Option<(String, bool)> {
    d.map(|d| (d.date.to_string(), d.approximate))
}

#[test]
fn dates_follow_the_pages_and_aws_precedents() {
    let lib = Library::embedded().unwrap();
    // Partner-hosted Feb 2026: released 26 Feb; usable until November 2026 (the page names
    // the month only, AWS ends acceptance on the 27th); the Aug 2025 release accepted until
    // 27 May 2026 (a day the page names).
    let ph = lib.checklist("partner-hosted").unwrap();
    assert_eq!(when(ph.released), Some(("2026-02-26".into(), false)));
    assert_eq!(when(ph.usable_until), Some(("2026-11-27".into(), true)));
    assert_eq!(ph.supersedes.as_deref(), Some("2025-08"));
    assert_eq!(
        when(ph.previous_accepted_until),
        Some(("2026-05-27".into(), false))
    );
    assert_eq!(ph.usable_until.unwrap().to_string(), "about 2026-11-27");
    // Alternative Aug 2025: released 29 Aug; usable until May 2026; Feb 2025 accepted until
    // 27 Nov 2025.
    let alt = lib.checklist("alternative").unwrap();
    assert_eq!(when(alt.released), Some(("2025-08-29".into(), false)));
    assert_eq!(when(alt.usable_until), Some(("2026-05-27".into(), true)));
    assert_eq!(alt.supersedes.as_deref(), Some("2025-02"));
    assert_eq!(
        when(alt.previous_accepted_until),
        Some(("2025-11-27".into(), false))
    );
    // Customer-deployed 2022: only the month is known, no end date, and a date it was last
    // seen to be current.
    let cd = lib.checklist("customer-deployed").unwrap();
    assert_eq!(when(cd.released), Some(("2022-03-01".into(), true)));
    assert_eq!(cd.usable_until, None);
    assert_eq!(cd.last_verified, Some(day("2026-04-23")));
    assert!(
        cd.window().contains("released about 2022-03-01"),
        "{}",
        cd.window()
    );
    assert!(
        cd.window().contains("last verified 2026-04-23"),
        "{}",
        cd.window()
    );
    // An approximate end is always the 27th, as in AWS's precedents; each release stays
    // usable about nine months and its predecessor about three months after it.
    for c in &lib.checklists {
        if let Some(u) = c.usable_until.filter(|u| u.approximate) {
            assert_eq!(u.date.ymd().2, 27, "{}: {u}", c.id);
        }
        if let (Some(r), Some(u)) = (c.released, c.usable_until) {
            let days = r.date.days_until(u.date);
            assert!((250..=300).contains(&days), "{}: usable {days} days", c.id);
        }
        if let (Some(r), Some(p)) = (c.released, c.previous_accepted_until) {
            let days = r.date.days_until(p.date);
            assert!((60..=120).contains(&days), "{}: overlap {days} days", c.id);
        }
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
fn cadences_aws_does_not_set_are_labelled_as_the_wizards_defaults() {
    let lib = Library::embedded().unwrap();
    let ph = lib.checklist("partner-hosted").unwrap();
    let cadence = |id: &str| ph.control(id).unwrap().cadence.clone().unwrap();
    // AWS asks for a regularly revised incident plan and periodic restore tests, without an
    // interval: the yearly and six-monthly rules are this wizard's.
    for id in ["ARC-005", "BAR-002"] {
        let c = cadence(id);
        assert_eq!(c.basis, CadenceBasis::WizardDefault, "{id}");
        assert!(
            c.rule().contains("this wizard's default"),
            "{id}: {}",
            c.rule()
        );
        assert!(
            c.rule().contains("AWS sets no interval"),
            "{id}: {}",
            c.rule()
        );
        assert!(c.describe().contains("not an AWS rule"), "{id}");
        assert!(!c.rule().contains("the control expects"), "{id}");
        // Neither the question nor the guidance presents the interval as AWS's.
        let control = ph.control(id).unwrap();
        assert!(
            !control.question.contains("within the last year"),
            "{id}: {}",
            control.question
        );
    }
    assert_eq!(cadence("ARC-005").days, 365);
    assert_eq!(cadence("BAR-002").days, 180);
    // IAM-002's 90 days is a recommendation.
    let c = cadence("IAM-002");
    assert_eq!(c.basis, CadenceBasis::AwsRecommended);
    assert!(c.rule().starts_with("AWS recommends"), "{}", c.rule());
    assert!(c.describe().contains("recommended"), "{}", c.describe());
    assert!(
        ph.control("IAM-002")
            .unwrap()
            .question
            .contains("AWS recommends")
    );
    // The intervals AWS does name stay AWS's.
    for id in ["WAFR-001", "RES-004", "IAM-008"] {
        assert_eq!(cadence(id).basis, CadenceBasis::AwsRule, "{id}");
    }
    // Every other cadence in every checklist is one AWS (or its sample evaluator) names.
    for c in &lib.checklists {
        for x in &c.controls {
            if let Some(cad) = &x.cadence
                && !["ARC-005", "BAR-002", "IAM-002"].contains(&x.id.as_str())
            {
                assert_eq!(cad.basis, CadenceBasis::AwsRule, "{} {}", c.id, x.id);
            }
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
        "CAA-001", "CAA-002", "CAA-003", "CAA-004", "CAA-005", "CAA-006", "CAA-007", "SDAT-002",
        "SDAT-003", "RCVP-001", "RES-006", "IAM-011", "IAM-005", "IAM-002", "S3-001",
    ] {
        assert!(
            covered("partner-hosted", id),
            "no scoping question switches off {id}"
        );
    }
    for id in ["DSEC-007", "INT-003", "DSEC-004", "DSEC-011", "RM-003"] {
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

/// Controls AWS checks whatever the product looks like: the account scan reads every VPC's
/// default security group (unused Regions too) and the account password policy, the cost model
/// applies to unlicensed products, and identifying the data is how a product shows it holds
/// nothing sensitive.
const ALWAYS_ASKED: [&str; 4] = ["NETSEC-001", "IAM-003", "CST-002", "SDAT-001"];

#[test]
fn no_scoping_answer_switches_off_what_aws_always_checks() {
    let lib = Library::embedded().unwrap();
    for c in &lib.checklists {
        for q in &c.scoping {
            for id in q.off_when_no.iter().chain(&q.off_when_yes) {
                assert!(
                    !ALWAYS_ASKED.contains(&id.as_str()),
                    "{}: scoping question {} switches off {id}",
                    c.id,
                    q.id
                );
            }
        }
    }
    // Through a project too: with every scoping question answered no, and then yes, each of
    // them still applies wherever the checklist has it.
    for answer in [false, true] {
        for c in &lib.checklists {
            let mut p = Project::new();
            p.choose_model(c, true);
            for q in &c.scoping {
                p.scoping.insert(q.id.clone(), answer);
            }
            for id in ALWAYS_ASKED {
                if let Some(control) = c.control(id) {
                    assert_eq!(
                        p.applicability(c, control),
                        Applicability::Applies,
                        "{} {id} with every answer {answer}",
                        c.id
                    );
                }
            }
        }
    }
    let ph = lib.checklist("partner-hosted").unwrap();
    let cd = lib.checklist("customer-deployed").unwrap();
    for (c, id) in [
        (ph, "NETSEC-001"),
        (ph, "IAM-003"),
        (ph, "SDAT-001"),
        (cd, "CST-002"),
    ] {
        assert!(c.control(id).is_some(), "{} lost {id}", c.id);
    }
}

#[test]
fn only_the_encryption_controls_depend_on_the_sensitive_data_answer() {
    let lib = Library::embedded().unwrap();
    let ph = lib.checklist("partner-hosted").unwrap();
    let q = ph.scoping_question("stores_sensitive_data").unwrap();
    assert_eq!(q.off_when_no, ["SDAT-002", "SDAT-003"]);
    assert!(q.off_when_yes.is_empty());
    // No other question touches the SDAT controls.
    for other in ph.scoping.iter().filter(|o| o.id != q.id) {
        assert!(
            other.affects().all(|id| !id.starts_with("SDAT-")),
            "{} touches an SDAT control",
            other.id
        );
    }
    // SDAT-001's question works for a product that holds nothing sensitive.
    let sdat = ph.control("SDAT-001").unwrap();
    assert!(sdat.question.contains("classified"), "{}", sdat.question);
}

#[test]
fn the_s3_and_ec2_questions_cover_every_bucket_and_any_instance() {
    let lib = Library::embedded().unwrap();
    let ph = lib.checklist("partner-hosted").unwrap();
    let s3: Vec<_> = ph
        .scoping
        .iter()
        .filter(|q| q.affects().any(|id| id == "S3-001"))
        .collect();
    assert_eq!(s3.len(), 1);
    let text = format!("{} {}", s3[0].question, s3[0].help).to_lowercase();
    for word in ["any", "log", "deployment", "every bucket"] {
        assert!(text.contains(word), "S3 scoping lacks `{word}`: {text}");
    }
    assert!(!s3[0].question.contains("keep data"), "{}", s3[0].question);
    let control = ph.control("S3-001").unwrap().question.to_lowercase();
    assert!(
        control.contains("every s3 bucket") && control.contains("log"),
        "{control}"
    );

    let cd = lib.checklist("customer-deployed").unwrap();
    let ec2: Vec<_> = cd
        .scoping
        .iter()
        .filter(|q| q.affects().any(|id| id == "DSEC-011"))
        .collect();
    assert_eq!(ec2.len(), 1);
    assert_eq!(ec2[0].id, "runs_on_ec2");
    assert!(ec2[0].question.contains("EC2"), "{}", ec2[0].question);
    assert!(
        !ec2[0].question.to_lowercase().contains("metadata"),
        "DSEC-011 applies to any product on EC2, not only ones that read metadata: {}",
        ec2[0].question
    );
    let q = &cd.control("DSEC-011").unwrap().question;
    assert!(!q.contains("reads instance metadata"), "{q}");
    // The licence question switches off licence management only.
    let licensed = cd.scoping_question("is_licensed").unwrap();
    assert_eq!(licensed.off_when_no, ["RM-003"]);
}

#[test]
fn retired_scoping_questions_are_gone() {
    let lib = Library::embedded().unwrap();
    for gone in [
        "iam_user_passwords",
        "uses_vpc_security_groups",
        "uses_s3",
        "uses_instance_metadata",
    ] {
        for c in &lib.checklists {
            assert!(c.scoping_question(gone).is_none(), "{} asks {gone}", c.id);
        }
    }
}

#[test]
fn control_wording_follows_the_audit() {
    let lib = Library::embedded().unwrap();
    let ph = lib.checklist("partner-hosted").unwrap();
    // ARC-004: no root key at all, shown by the account summary or IAM.4; the credential
    // report's "active" columns do not show it.
    let arc = ph.control("ARC-004").unwrap();
    assert!(arc.guidance.contains("AccountAccessKeysPresent"));
    assert!(arc.guidance.contains("IAM.4"));
    assert!(!arc.guidance.contains("access_key_1_active` and"));
    assert!(arc.question.contains("inactive"), "{}", arc.question);
    assert_eq!(ph.control("RES-004").unwrap().title, "Resilience Testing");
    // NETSEC-001 and IAM-003 say they apply whatever the product uses.
    assert!(
        ph.control("NETSEC-001")
            .unwrap()
            .question
            .contains("every Region")
    );
    assert!(
        ph.control("IAM-003")
            .unwrap()
            .question
            .contains("whether or not")
    );
    // SUP-003 leads with licence management.
    let cd = lib.checklist("customer-deployed").unwrap();
    let sup = cd.control("SUP-003").unwrap();
    assert!(sup.title.starts_with("Licence management"), "{}", sup.title);
    let q = sup.question.to_lowercase();
    assert!(
        q.find("licen").unwrap() < q.find("sla").unwrap(),
        "licences come first: {q}"
    );
    let cst = cd.control("CST-002").unwrap();
    assert!(cst.question.contains("even if it needs no licence"));
}

#[test]
fn the_alternative_path_is_for_partner_hosted_products_and_its_ids_are_marked() {
    let lib = Library::embedded().unwrap();
    let alt = lib.checklist("alternative").unwrap();
    assert!(
        alt.own_ids,
        "the SOC/WAFR-FTR ids are the sample evaluator's"
    );
    assert_eq!(alt.shown_id("SOC-001"), "SOC-001 (not a checklist ID)");
    for c in lib.checklists.iter().filter(|c| c.id != "alternative") {
        assert!(!c.own_ids, "{} uses AWS's ids", c.id);
        assert_eq!(c.shown_id("IAM-001"), "IAM-001");
    }
    assert!(
        Model::Alternative
            .explain()
            .contains("Partner-hosted products only")
    );
    // What the reviewer may still ask is named, as unconfirmed.
    for text in [alt.summary.as_str(), ALTERNATIVE_NOTE] {
        for word in [
            "partner-hosted",
            "HOST-001",
            "SUP-001",
            "WAFR-001",
            "WAFR-002",
            "cross-account",
            "CIS",
            "diagram",
            "Not confirmed",
        ] {
            assert!(text.contains(word), "`{word}` missing from: {text}");
        }
    }
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
    // Only Software Path enrolment (item 1.1) is in AWS's text.
    let confirmed: Vec<&str> = lib
        .prerequisites
        .iter()
        .filter(|p| p.confirmed)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(confirmed, ["software_path"]);
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
fn the_old_date_names_still_load_and_mean_the_same() {
    let text = content_file("alternative.toml")
        .replace("released = ", "valid_from = ")
        .replace("usable_until = ", "valid_until = ");
    assert!(text.contains("valid_until = 2026-05-27"));
    let s = folder_with("alternative.toml", &text);
    let lib = Library::from_dir(&s.file("content")).unwrap();
    let old = lib.checklist("alternative").unwrap();
    let embedded = Library::embedded().unwrap();
    let new = embedded.checklist("alternative").unwrap();
    assert_eq!(old.released, new.released);
    assert_eq!(old.usable_until, new.usable_until);
    assert!(old.usable_until.unwrap().approximate);
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
