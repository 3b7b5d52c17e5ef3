//! Everything one attempt at the bundle writes besides the evidence: SUMMARY.md,
//! checklist.csv, the project file as submitted, and the upload folder's files (the
//! spreadsheet, the diagram, the reports), all built from the one view.
//!
//! Imports `plan`, `sheet`, `summary`, `template`, `upload` and `view`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::plan::{Plan, quick_state};
use super::view::Submission;
use super::{sheet, summary, template, upload};
use crate::assessment::Evidence;
use crate::assessment::Slot;
use crate::assessment::evidence::FileState;
use crate::content::Library;
use crate::error::Error;

/// Everything one attempt writes besides the evidence, built from the one view.
pub(super) struct Built {
    pub(super) summary_md: String,
    pub(super) csv: String,
    pub(super) project: Vec<u8>,
    /// The upload folder's files: the spreadsheet, the diagram, the reports.
    pub(super) uploads: Vec<upload::UploadFile>,
    /// The diagram and reports among them, with their records in the project.
    pub(super) attached: Vec<(Evidence, upload::UploadFile)>,
    /// The diagram and reports left out, with why.
    pub(super) left_out: Vec<String>,
    pub(super) template_report: Option<template::TemplateReport>,
}

impl Built {
    pub(super) fn new(
        view: &Submission,
        plan: &Plan,
        template: Option<&template::Template>,
        dir: &Path,
        changed: &BTreeMap<PathBuf, u64>,
    ) -> Result<Built, Error> {
        let (xlsx, template_report) = match template {
            Some(t) => {
                let filled = t.fill(view)?;
                (filled.bytes, Some(filled.report))
            }
            None => (sheet::self_assessment(view)?, None),
        };
        let mut left_out = Vec::new();
        let attached = attachments(view.project, dir, changed, &mut left_out);
        let mut uploads = vec![upload::UploadFile {
            slot: upload::slot::CHECKLIST,
            name: upload::SELF_ASSESSMENT.to_string(),
            source: upload::Source::Bytes(xlsx),
        }];
        uploads.extend(attached.iter().map(|(_, u)| u.clone()));
        let shared = submitted_project(
            view.project,
            view.checklist,
            view.library,
            &plan.entry_of,
            &attached,
        );
        Ok(Built {
            summary_md: summary::summary(view),
            csv: summary::csv(view),
            project: crate::store::to_text(&shared)?.into_bytes(),
            uploads,
            attached,
            left_out,
            template_report,
        })
    }

    /// The generated files of the bundle's top, by their names in it.
    pub(super) fn generated(&self) -> [(&'static str, &[u8]); 3] {
        [
            ("SUMMARY.md", self.summary_md.as_bytes()),
            ("checklist.csv", self.csv.as_bytes()),
            ("ftr-assessment.toml", &self.project[..]),
        ]
    }

    /// The bytes of the generated files and the upload folder's files together.
    pub(super) fn size(&self) -> u64 {
        let generated: usize = self.generated().iter().map(|(_, b)| b.len()).sum();
        generated as u64
            + self
                .uploads
                .iter()
                .map(upload::UploadFile::size)
                .sum::<u64>()
    }

    /// Lists in SUMMARY.md what the secret scan could not read.
    pub(super) fn note_unscanned(&mut self, places: &[String]) {
        self.summary_md.push_str(&summary::not_scanned(places));
    }

    /// The generated texts, by their names in the bundle, for the secret scan.
    pub(super) fn texts(&self) -> [(&str, &str); 3] {
        [
            ("SUMMARY.md", self.summary_md.as_str()),
            ("checklist.csv", self.csv.as_str()),
            (
                "ftr-assessment.toml",
                std::str::from_utf8(&self.project).unwrap_or_default(),
            ),
        ]
    }

    /// The spreadsheet as a file the scan can read like evidence (a filled template holds
    /// whatever else the user's workbook held).
    pub(super) fn sheet_for_scan(&self) -> Result<tempfile::NamedTempFile, Error> {
        let io = |e| Error::Io {
            path: PathBuf::from(upload::SELF_ASSESSMENT),
            action: "write a copy to scan of",
            source: e,
        };
        let mut tmp = tempfile::NamedTempFile::new().map_err(io)?;
        for u in self
            .uploads
            .iter()
            .filter(|u| u.slot == upload::slot::CHECKLIST)
        {
            if let upload::Source::Bytes(bytes) = &u.source {
                tmp.write_all(bytes).map_err(io)?;
            }
        }
        Ok(tmp)
    }

    /// Every file the bundle takes from disk, with the path the user knows it by.
    pub(super) fn files_to_scan(&self, plan: &Plan) -> Vec<(PathBuf, String)> {
        let attached = self.attached.iter().filter_map(|(ev, u)| match &u.source {
            upload::Source::File(path) => Some((path.clone(), ev.path.clone())),
            upload::Source::Bytes(_) => None,
        });
        plan.planned
            .iter()
            .map(|p| (p.source.clone(), p.shown.clone()))
            .chain(attached)
            .collect()
    }

    /// Which file of the upload folder goes into which slot.
    pub(super) fn slots(&self, upload_dir: &Path) -> Vec<upload::Slot> {
        self.uploads
            .iter()
            .map(|u| upload::Slot {
                slot: u.slot.to_string(),
                path: upload_dir.join(&u.name),
            })
            .collect()
    }
}

/// The project file as it goes into the bundle: only what is submitted. The answers of the
/// current checklist to controls that apply, without internal notes; evidence pointing at its
/// place in the bundle (so `ftr check` inside the unzipped folder finds every file), and
/// evidence the bundle does not hold dropped. Answers kept for other checklists, for unknown
/// ids or for controls switched off by scoping stay on the user's machine.
fn submitted_project(
    project: &crate::assessment::Project,
    checklist: &crate::content::Checklist,
    library: &Library,
    entry_of: &BTreeMap<String, String>,
    attached: &[(Evidence, upload::UploadFile)],
) -> crate::assessment::Project {
    let mut shared = project.clone();
    shared.answers.clear();
    // Where the template lies on this machine is not part of the submission.
    shared.profile.template.clear();
    // Scan hints are the team's working notes, with paths on this machine; a scan a reviewer
    // should see goes as evidence (`ftr import --attach`).
    shared.scans.clear();
    // The diagram and the reports point at their copies under `upload/`; one the bundle does
    // not hold is left out, as `ftr check` inside the unzipped folder would find it missing.
    let in_bundle = |ev: &Evidence| {
        attached
            .iter()
            .find(|(a, _)| a == ev)
            .map(|(a, u)| Evidence {
                path: u.entry(),
                link_to: None,
                ..a.clone()
            })
    };
    shared.profile.diagram = project.profile.diagram.as_ref().and_then(in_bundle);
    shared.profile.security_reports = project
        .profile
        .security_reports
        .iter()
        .filter_map(in_bundle)
        .collect();
    shared.profile.deployment_guide = project
        .profile
        .deployment_guide
        .as_ref()
        .and_then(in_bundle);
    shared.profile.alternative_report = project
        .profile
        .alternative_report
        .as_ref()
        .and_then(in_bundle);
    for (control, a) in project.submitted_answers(checklist) {
        let mut a = a.clone();
        a.notes.clear();
        // Only what the status submits: the reason of an n/a, the plan of a gap, the values
        // the control asks for.
        if a.status != crate::assessment::Status::NotApplicable {
            a.reason.clear();
        }
        if a.status != crate::assessment::Status::NotMet {
            a.remediation = Default::default();
        }
        a.values
            .retain(|key, _| control.values.iter().any(|v| &v.key == key));
        a.evidence = a
            .evidence
            .iter()
            .filter_map(|ev| {
                let entry = entry_of.get(&ev.path)?;
                let mut ev = ev.clone();
                ev.path = entry.clone();
                ev.link_to = None;
                Some(ev)
            })
            .collect();
        if !a.is_empty() {
            shared
                .answers
                .entry(checklist.id.clone())
                .or_default()
                .insert(control.id.clone(), a);
        }
    }
    // Scoping and prerequisite answers this build does not know are not submitted either.
    shared
        .scoping
        .retain(|id, _| checklist.scoping_question(id).is_some());
    shared
        .prerequisites
        .retain(|id, _| library.prerequisite(id).is_some());
    shared
}

/// The architecture diagram and the security tool reports that still match their
/// fingerprints, each with its file in the upload folder. One that changed or went missing is
/// left out (the readiness check reports it).
fn attachments(
    project: &crate::assessment::Project,
    dir: &Path,
    changed: &BTreeMap<PathBuf, u64>,
    left_out: &mut Vec<String>,
) -> Vec<(Evidence, upload::UploadFile)> {
    let mut out = Vec::new();
    let mut usable = |ev: &Evidence, slot: &str| {
        let state = if changed.contains_key(&ev.resolve(dir)) {
            FileState::Changed { size: 0 }
        } else {
            quick_state(ev, dir)
        };
        let why = match state {
            FileState::Matches => return true,
            FileState::Missing => "missing".to_string(),
            FileState::NotAFile => "not a regular file".to_string(),
            FileState::Unreadable(e) => format!("unreadable: {e}"),
            FileState::Changed { .. } => "changed since attached".to_string(),
        };
        left_out.push(format!("{slot}: {} ({why})", ev.path));
        false
    };
    if let Some(ev) = &project.profile.diagram
        && usable(ev, upload::slot::DIAGRAM)
    {
        let source = ev.resolve(dir);
        let name = format!(
            "{}.{}",
            upload::DIAGRAM_STEM,
            upload::extension(&source, true)
        );
        out.push((
            ev.clone(),
            upload::UploadFile {
                slot: upload::slot::DIAGRAM,
                name,
                source: upload::Source::File(source),
            },
        ));
    }
    let reports: Vec<&Evidence> = project
        .profile
        .security_reports
        .iter()
        .filter(|ev| usable(ev, upload::slot::SECURITY_REPORT))
        .collect();
    for (i, ev) in reports.iter().enumerate() {
        let source = ev.resolve(dir);
        let number = if reports.len() == 1 {
            String::new()
        } else {
            format!("-{}", i + 1)
        };
        let name = format!(
            "{}{number}.{}",
            upload::REPORT_STEM,
            upload::extension(&source, false)
        );
        out.push((
            (*ev).clone(),
            upload::UploadFile {
                slot: upload::slot::SECURITY_REPORT,
                name,
                source: upload::Source::File(source),
            },
        ));
    }
    for (slot, form, stem) in [
        (
            Slot::DeploymentGuide,
            upload::slot::DEPLOYMENT_GUIDE,
            upload::GUIDE_STEM,
        ),
        (
            Slot::AlternativeReport,
            upload::slot::ALTERNATIVE,
            upload::ALTERNATIVE_STEM,
        ),
    ] {
        for ev in slot
            .files(&project.profile)
            .iter()
            .filter(|ev| usable(ev, form))
        {
            let source = ev.resolve(dir);
            let name = format!("{stem}.{}", upload::extension(&source, false));
            out.push((
                ev.clone(),
                upload::UploadFile {
                    slot: form,
                    name,
                    source: upload::Source::File(source),
                },
            ));
        }
    }
    out
}
