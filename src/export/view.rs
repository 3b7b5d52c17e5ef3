//! The submission as every writer of the bundle sees it, built once per export: each control's
//! effective status, the reason it does not apply, the response (opening with the control's
//! required values) and plan that are submitted, and its files with their names in the bundle.
//! SUMMARY.md, checklist.csv and manifest.json read this one value; none of them works a
//! status or a response out on its own.

use std::collections::BTreeMap;

use crate::assessment::progress::{Progress, progress};
use crate::assessment::readiness::Report;
use crate::assessment::values::{self, ValueLine};
use crate::assessment::window::Window;
use crate::assessment::{Applicability, Project, Remediation, Status};
use crate::content::{Checklist, Control, Library};
use crate::dates::Date;

/// A file as the bundle cites it.
#[derive(Debug, Clone)]
pub struct Linked {
    /// Its name in the bundle (or, when left out, the path in the project).
    pub entry: String,
    pub label: String,
    pub size: u64,
    pub produced: Option<Date>,
    /// Set when the file is cited but not in the bundle (only in a draft), with why.
    pub left_out: Option<String>,
}

/// One control of the checklist, as submitted.
#[derive(Debug, Clone)]
pub struct ControlView<'a> {
    pub control: &'a Control,
    /// The status a reviewer sees: switched off by scoping reads as not applicable.
    pub status: Status,
    /// Switched off by a scoping answer (its answer is kept at home, not submitted).
    pub scoped_out: bool,
    /// Why the control does not apply: the scoping answer, else the user's reason.
    pub reason: String,
    /// The response a reviewer reads: the required values, one line each
    /// (`Recovery point objective (RPO): 4 hours`), then the typed response. Empty for a
    /// control switched off by scoping.
    pub response: String,
    /// The required values that `response` opens with, in the order the control asks them.
    pub values: Vec<ValueLine>,
    /// The plan for a gap (empty unless the control is not met).
    pub remediation: Remediation,
    /// Its files, in the order attached.
    pub files: Vec<Linked>,
}

impl ControlView<'_> {
    /// The bundle entries this control cites, each once, left-out files excepted.
    pub fn entries(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in self.files.iter().filter(|f| f.left_out.is_none()) {
            if !out.contains(&f.entry.as_str()) {
                out.push(&f.entry);
            }
        }
        out
    }
}

/// Everything the bundle's writers need.
pub struct Submission<'a> {
    pub project: &'a Project,
    pub checklist: &'a Checklist,
    pub library: &'a Library,
    pub report: &'a Report,
    pub exported: Date,
    pub draft: bool,
    /// Paths outside the project folder that were sent.
    pub outside: &'a [String],
    /// The home folder, written as `~` in paths; `None` shows paths in full.
    pub home: Option<String>,
    /// Every control of the checklist, in checklist order.
    pub controls: Vec<ControlView<'a>>,
    pub progress: Progress,
}

/// What the export knows besides the project: the report, the files planned, the date.
pub struct Context<'a> {
    pub library: &'a Library,
    pub report: &'a Report,
    pub files: &'a BTreeMap<String, Vec<Linked>>,
    pub exported: Date,
    pub draft: bool,
    pub outside: &'a [String],
    pub home: Option<String>,
}

impl<'a> Submission<'a> {
    /// The checklist's window on the export day.
    pub fn window(&self) -> Window {
        Window::of(
            self.checklist,
            self.library,
            &self.project.delivery.accept_past_window,
            self.exported,
        )
    }

    pub fn build(project: &'a Project, checklist: &'a Checklist, cx: Context<'a>) -> Self {
        let controls = checklist
            .controls
            .iter()
            .map(|control| {
                let answer = project
                    .answer(&checklist.id, &control.id)
                    .cloned()
                    .unwrap_or_default();
                let scoped_out = matches!(
                    project.applicability(checklist, control),
                    Applicability::ScopedOut { .. }
                );
                let status = project.effective_status(checklist, control);
                ControlView {
                    control,
                    status,
                    scoped_out,
                    reason: if status == Status::NotApplicable {
                        project.not_applicable_reason(checklist, control)
                    } else {
                        String::new()
                    },
                    response: if scoped_out {
                        String::new()
                    } else {
                        values::submitted_response(control, &answer)
                    },
                    values: if scoped_out {
                        Vec::new()
                    } else {
                        values::lines(control, Some(&answer))
                    },
                    remediation: if status == Status::NotMet {
                        answer.remediation
                    } else {
                        Remediation::default()
                    },
                    files: cx.files.get(&control.id).cloned().unwrap_or_default(),
                }
            })
            .collect();
        Submission {
            project,
            checklist,
            library: cx.library,
            report: cx.report,
            exported: cx.exported,
            draft: cx.draft,
            outside: cx.outside,
            home: cx.home,
            controls,
            progress: progress(project, checklist),
        }
    }

    /// `text` with paths under the home folder written from `~/`.
    pub fn tilde(&self, text: &str) -> String {
        match &self.home {
            Some(home) => text.replace(&format!("{}/", home.trim_end_matches('/')), "~/"),
            None => text.to_string(),
        }
    }

    /// For each control that cites files in the bundle, the entries it cites.
    pub fn cites(&self) -> BTreeMap<String, Vec<String>> {
        self.controls
            .iter()
            .map(|c| {
                let entries: Vec<String> = c.entries().into_iter().map(String::from).collect();
                (c.control.id.clone(), entries)
            })
            .filter(|(_, e)| !e.is_empty())
            .collect()
    }
}
