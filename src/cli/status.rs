//! `ftr status`: progress per domain and what is left. One report struct per case (a delivery
//! model chosen or not), written as `--json` or printed as text.
//!
//! Imports `output` and `scans`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::output::{ById, Outcome, SheetReport, sorted, to_json};
use super::scans::{self, HintReport, ScanReport};
use crate::assessment::deadlines::{self, Submission};
use crate::assessment::edit;
use crate::assessment::progress::{Counts, DomainProgress, progress};
use crate::assessment::values::{State, state};
use crate::assessment::window::Window;
use crate::assessment::{Answer, Applicability, Evidence, Project, Status};
use crate::content::{Checklist, Domain, Library, Model, RequiredValue, ValueKind};
use crate::dates::Date;
use crate::error::Error;
use crate::safe::terminal;
use crate::store::{self, Loaded};

/// `ftr status [--json]` on the project at `path`.
pub(super) fn run(
    path: &Path,
    library: &Library,
    json: bool,
    today: Date,
) -> Result<Outcome, Error> {
    let loaded = store::load(path, library)?;
    let Some(checklist) = edit::current_checklist(&loaded.project, library) else {
        let report = NoModelReport::of(&loaded);
        return Ok(Outcome::ok(if json {
            to_json(&report)?
        } else {
            report.text()
        }));
    };
    let report = StatusReport::of(&loaded, checklist, library, today);
    Ok(Outcome::ok(if json {
        to_json(&report)?
    } else {
        report.text()
    }))
}

/// An attached file (the diagram, a security tool report, the deployment guide, the
/// alternative report).
#[derive(Serialize)]
struct FileReport<'a> {
    attached: String,
    label: &'a str,
    path: &'a str,
    produced: Option<String>,
    sha256: &'a str,
    size: u64,
}

impl FileReport<'_> {
    fn of(e: &Evidence) -> FileReport<'_> {
        FileReport {
            attached: e.attached.to_string(),
            label: &e.label,
            path: &e.path,
            produced: e.produced.map(|d| d.to_string()),
            sha256: &e.sha256,
            size: e.size,
        }
    }

    /// "docs/arch.png (12 KB, produced 2026-11-01, Architecture)"
    fn words(&self) -> String {
        let mut w = format!(
            "{} ({}",
            terminal(self.path),
            crate::util::human_size(self.size)
        );
        if let Some(d) = &self.produced {
            w.push_str(&format!(", produced {d}"));
        }
        if !self.label.is_empty() {
            w.push_str(&format!(", {}", terminal(self.label)));
        }
        w.push(')');
        w
    }
}

/// The files of the upload form's other slots, as both reports hold them.
struct Files<'r, 'a> {
    diagram: Option<&'r FileReport<'a>>,
    security_reports: &'r [FileReport<'a>],
    deployment_guide: Option<&'r FileReport<'a>>,
    deployment_guide_url: Option<&'a str>,
    alternative_report: Option<&'r FileReport<'a>>,
    /// The project's delivery model: the guide and the alternative report are listed, also
    /// when missing, for the model that needs them.
    model: Option<Model>,
}

impl Files<'_, '_> {
    /// The diagram and the security tool reports, a line each (the deployment guide and the
    /// alternative report too, where they apply).
    fn text(&self) -> String {
        let diagram = match self.diagram {
            Some(e) => e.words(),
            None => "none (ftr set diagram FILE)".into(),
        };
        let reports = if self.security_reports.is_empty() {
            ": none (ftr set security-report FILE)".to_string()
        } else {
            format!(
                " ({}): {}",
                self.security_reports.len(),
                self.security_reports
                    .iter()
                    .map(FileReport::words)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut out = format!("Architecture diagram: {diagram}\nSecurity tool reports{reports}\n");
        let guide = match (self.deployment_guide, self.deployment_guide_url) {
            (Some(e), _) => Some(e.words()),
            (None, None) => None,
            (None, Some(url)) => Some(terminal(url).into_owned()),
        };
        if guide.is_some() || self.model == Some(Model::CustomerDeployed) {
            out.push_str(&format!(
                "Customer deployment guide: {}\n",
                guide.unwrap_or_else(|| "none (ftr set deployment-guide FILE|URL)".into())
            ));
        }
        if self.alternative_report.is_some() || self.model == Some(Model::Alternative) {
            out.push_str(&format!(
                "Alternative report (SOC 2 Type II): {}\n",
                self.alternative_report.map_or_else(
                    || "none (ftr set alternative-report FILE)".into(),
                    FileReport::words
                )
            ));
        }
        out
    }
}

/// The deployment guide's public address, when one is given instead of a file.
fn guide_url(project: &Project) -> Option<&str> {
    let url = project.profile.deployment_guide_url.as_str();
    (!url.is_empty()).then_some(url)
}

/// `ftr status` before a checklist applies: no delivery model chosen (or none of the loaded
/// checklists is for it).
#[derive(Serialize)]
struct NoModelReport<'a> {
    diagram: Option<FileReport<'a>>,
    /// Always null: there is no checklist to take it from.
    model: Option<Model>,
    project: String,
    security_reports: Vec<FileReport<'a>>,
    #[serde(skip)]
    deployment_guide: Option<FileReport<'a>>,
    #[serde(skip)]
    deployment_guide_url: Option<&'a str>,
    #[serde(skip)]
    alternative_report: Option<FileReport<'a>>,
    /// The model the project names, if any.
    #[serde(skip)]
    chosen: Option<Model>,
}

impl NoModelReport<'_> {
    fn of(loaded: &Loaded) -> NoModelReport<'_> {
        let p = &loaded.project.profile;
        NoModelReport {
            diagram: p.diagram.as_ref().map(FileReport::of),
            model: None,
            project: loaded.path.display().to_string(),
            security_reports: p.security_reports.iter().map(FileReport::of).collect(),
            deployment_guide: p.deployment_guide.as_ref().map(FileReport::of),
            deployment_guide_url: guide_url(&loaded.project),
            alternative_report: p.alternative_report.as_ref().map(FileReport::of),
            chosen: loaded.project.delivery.model,
        }
    }

    fn text(&self) -> String {
        let files = Files {
            diagram: self.diagram.as_ref(),
            security_reports: &self.security_reports,
            deployment_guide: self.deployment_guide.as_ref(),
            deployment_guide_url: self.deployment_guide_url,
            alternative_report: self.alternative_report.as_ref(),
            model: self.chosen,
        };
        format!(
            "{}\n{}No delivery model chosen yet.\nNext: ftr set model partner-hosted|customer-deployed|alternative\n",
            terminal(&self.project),
            files.text()
        )
    }
}

/// Until when AWS accepts the checklist.
#[derive(Serialize)]
struct Acceptance {
    approximate: bool,
    days_left: Option<i64>,
    /// The window has ended.
    ended: bool,
    /// It has ended and AWS no longer accepts the version (an error in `ftr check`).
    closed: bool,
    /// "accepted until about 2026-11-27 (1 days left)", "window ended about 2026-11-27 (7
    /// days ago)"
    text: String,
    usable_until: Option<String>,
}

impl Acceptance {
    fn of(checklist: &Checklist, library: &Library, project: &Project, today: Date) -> Acceptance {
        let window = Window::of(
            checklist,
            library,
            &project.delivery.accept_past_window,
            today,
        );
        let mut text = window.words();
        if window.going_on_note(checklist).is_some() {
            text.push_str("; the project records the choice to go on with it");
        }
        Acceptance {
            approximate: checklist.usable_until.is_some_and(|d| d.approximate),
            days_left: checklist.usable_until.map(|d| today.days_until(d.date)),
            ended: window.ended(),
            closed: window.closed(),
            text,
            usable_until: checklist.usable_until.map(|d| d.date.to_string()),
        }
    }
}

/// A date that follows from the submission.
#[derive(Serialize)]
struct DeadlineReport {
    confirmed: bool,
    days_left: i64,
    due: String,
    /// `remediation` or `renewal`.
    kind: &'static str,
    what: String,
}

/// A control left to answer.
#[derive(Serialize)]
struct Unanswered<'a> {
    domain: Domain,
    id: &'a str,
    title: &'a str,
}

/// Where one required value of a control stands.
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum ValueState {
    Given,
    Missing,
    Malformed,
}

/// One required value of a control.
#[derive(Serialize)]
struct ValueStatus {
    key: String,
    kind: ValueKind,
    label: String,
    state: ValueState,
    /// As typed, when anything is.
    typed: Option<String>,
    /// The canonical form written into the response, when it reads.
    value: Option<String>,
}

impl ValueStatus {
    fn of(spec: &RequiredValue, answer: Option<&Answer>) -> ValueStatus {
        let (state, typed, value) = match state(spec, answer) {
            State::Missing => (ValueState::Missing, None, None),
            State::Malformed { typed, .. } => {
                (ValueState::Malformed, Some(typed.to_string()), None)
            }
            State::Given { typed, parsed } => (
                ValueState::Given,
                Some(typed.to_string()),
                Some(parsed.canonical),
            ),
        };
        ValueStatus {
            key: spec.key.clone(),
            kind: spec.kind,
            label: spec.label.clone(),
            state,
            typed,
            value,
        }
    }

    /// The value, why it does not read, or "not given".
    fn shown(&self) -> String {
        match self.state {
            ValueState::Given => self.value.clone().unwrap_or_default(),
            ValueState::Malformed => format!(
                "`{}` does not read as a {}",
                self.typed.as_deref().unwrap_or_default(),
                self.kind
            ),
            ValueState::Missing => "not given".to_string(),
        }
    }
}

/// `ftr status` of a project with a checklist.
#[derive(Serialize)]
struct StatusReport<'a> {
    acceptance: Acceptance,
    alternative_report: Option<FileReport<'a>>,
    checklist: &'a str,
    company: &'a str,
    deadlines: Vec<DeadlineReport>,
    deployment_guide: Option<FileReport<'a>>,
    deployment_guide_url: Option<&'a str>,
    diagram: Option<FileReport<'a>>,
    #[serde(serialize_with = "sorted")]
    domains: Vec<DomainProgress>,
    hints: ById<Vec<HintReport<'a>>>,
    model: Model,
    model_confirmed: bool,
    #[serde(serialize_with = "sorted")]
    overall: Counts,
    prerequisites_unanswered: Vec<&'a str>,
    product: &'a str,
    project: String,
    scans: Vec<ScanReport<'a>>,
    scoping_unanswered: Vec<&'a str>,
    security_reports: Vec<FileReport<'a>>,
    sheet: Option<SheetReport>,
    #[serde(serialize_with = "sorted")]
    submission: &'a Submission,
    unanswered: Vec<Unanswered<'a>>,
    /// The values each applicable control asks for, and where each stands.
    values: ById<Vec<ValueStatus>>,
    version: &'a str,
    workbook: &'a BTreeMap<String, String>,
    /// The company and product, or the file's name.
    #[serde(skip)]
    title: String,
    /// The checklist's name.
    #[serde(skip)]
    name: &'a str,
}

impl<'a> StatusReport<'a> {
    fn of(
        loaded: &'a Loaded,
        checklist: &'a Checklist,
        library: &'a Library,
        today: Date,
    ) -> StatusReport<'a> {
        let project = &loaded.project;
        let profile = &project.profile;
        let p = progress(project, checklist);
        StatusReport {
            acceptance: Acceptance::of(checklist, library, project, today),
            alternative_report: profile.alternative_report.as_ref().map(FileReport::of),
            checklist: &checklist.id,
            company: &profile.company,
            deadlines: deadlines_of(&project.submission, today),
            deployment_guide: profile.deployment_guide.as_ref().map(FileReport::of),
            deployment_guide_url: guide_url(project),
            diagram: profile.diagram.as_ref().map(FileReport::of),
            domains: p.domains,
            hints: scans::hint_reports(project, checklist, today),
            model: checklist.model,
            model_confirmed: project.delivery.confirmed,
            overall: p.overall,
            prerequisites_unanswered: library
                .prerequisites
                .iter()
                .filter(|q| !project.prerequisites.contains_key(&q.id))
                .map(|q| q.id.as_str())
                .collect(),
            product: &profile.product,
            project: loaded.path.display().to_string(),
            scans: scans::scan_reports(project),
            scoping_unanswered: checklist
                .scoping
                .iter()
                .filter(|q| !project.scoping.contains_key(&q.id))
                .map(|q| q.id.as_str())
                .collect(),
            security_reports: profile
                .security_reports
                .iter()
                .map(FileReport::of)
                .collect(),
            sheet: crate::assessment::grade::predict(project, checklist)
                .map(|p| SheetReport::of(&p)),
            submission: &project.submission,
            unanswered: unanswered(project, checklist),
            values: values(project, checklist),
            version: &checklist.version,
            workbook: &project.workbook,
            title: project.title(&loaded.path),
            name: &checklist.name,
        }
    }

    fn text(&self) -> String {
        let mut out = format!("{}\n", terminal(&self.title));
        out.push_str(&format!(
            "Checklist: {} {}{}; {}\n",
            terminal(self.name),
            terminal(self.version),
            if self.model_confirmed {
                ""
            } else {
                " (model not confirmed)"
            },
            self.acceptance.text
        ));
        out.push_str(&submission_text(self.submission, &self.deadlines));
        out.push('\n');
        out.push_str(&self.table());
        if let Some(sheet) = &self.sheet {
            out.push('\n');
            out.push_str(&sheet.line());
        }
        out.push('\n');
        out.push_str(&self.files().text());
        out.push_str(&self.values_text());
        out.push_str(&self.questions_text());
        out.push_str(&scans::text(&self.scans, &self.hints));
        out.push_str(&self.left_text());
        out
    }

    fn files(&self) -> Files<'_, 'a> {
        Files {
            diagram: self.diagram.as_ref(),
            security_reports: &self.security_reports,
            deployment_guide: self.deployment_guide.as_ref(),
            deployment_guide_url: self.deployment_guide_url,
            alternative_report: self.alternative_report.as_ref(),
            model: Some(self.model),
        }
    }

    /// The progress per domain and overall.
    fn table(&self) -> String {
        let mut out = format!(
            "{:<24} {:>8} {:>5} {:>8} {:>5} {:>11} {:>10}\n",
            "Domain", "answered", "met", "not met", "n/a", "unanswered", "scoped out"
        );
        let row = |name: &str, c: &Counts| {
            format!(
                "{:<24} {:>4}/{:<3} {:>5} {:>8} {:>5} {:>11} {:>10}\n",
                name,
                c.answered(),
                c.applicable(),
                c.met,
                c.not_met,
                c.not_applicable,
                c.unanswered,
                c.scoped_out
            )
        };
        for d in &self.domains {
            out.push_str(&row(d.domain.name(), &d.counts));
        }
        out.push_str(&row("All", &self.overall));
        out
    }

    fn values_text(&self) -> String {
        if self.values.is_empty() {
            return String::new();
        }
        let mut out = String::from("\nValues the responses give:\n");
        for (id, states) in self.values.iter() {
            for v in states {
                out.push_str(&format!(
                    "  {:<12} {:<14} {}\n",
                    terminal(id),
                    terminal(&v.key),
                    terminal(&v.shown())
                ));
            }
        }
        out
    }

    /// The scoping questions and prerequisites left to answer.
    fn questions_text(&self) -> String {
        let mut out = String::new();
        if !self.scoping_unanswered.is_empty() {
            out.push_str(&format!(
                "\nScoping questions to answer ({}): {}\n",
                self.scoping_unanswered.len(),
                self.scoping_unanswered.join(", ")
            ));
        }
        if !self.prerequisites_unanswered.is_empty() {
            out.push_str(&format!(
                "Prerequisites to answer ({}): {}\n",
                self.prerequisites_unanswered.len(),
                self.prerequisites_unanswered.join(", ")
            ));
        }
        out
    }

    fn left_text(&self) -> String {
        if self.unanswered.is_empty() {
            return "\nEvery applicable control is answered. Next: ftr check\n".into();
        }
        let mut out = format!("\nLeft to answer ({}):\n", self.unanswered.len());
        for c in &self.unanswered {
            out.push_str(&format!("  {:<12} {}\n", terminal(c.id), terminal(c.title)));
        }
        out
    }
}

/// The applicable controls left unanswered, in checklist order.
fn unanswered<'a>(project: &Project, checklist: &'a Checklist) -> Vec<Unanswered<'a>> {
    checklist
        .controls
        .iter()
        .filter(|c| project.effective_status(checklist, c) == Status::Unanswered)
        .map(|c| Unanswered {
            domain: c.domain,
            id: &c.id,
            title: &c.title,
        })
        .collect()
}

/// The values each applicable control asks for, and where each stands, in checklist order.
fn values(project: &Project, checklist: &Checklist) -> ById<Vec<ValueStatus>> {
    ById(
        checklist
            .controls
            .iter()
            .filter(|c| !c.values.is_empty())
            .filter(|c| {
                !matches!(
                    project.applicability(checklist, c),
                    Applicability::ScopedOut { .. }
                )
            })
            .map(|c| {
                let answer = project.answer(&checklist.id, &c.id);
                let states = c
                    .values
                    .iter()
                    .map(|spec| ValueStatus::of(spec, answer))
                    .collect();
                (c.id.clone(), states)
            })
            .collect(),
    )
}

fn deadlines_of(submission: &Submission, today: Date) -> Vec<DeadlineReport> {
    deadlines::deadlines(submission)
        .into_iter()
        .map(|d| DeadlineReport {
            confirmed: d.confirmed,
            days_left: today.days_until(d.due),
            due: d.due.to_string(),
            kind: d.kind,
            what: d.what,
        })
        .collect()
}

/// The submission and its deadlines, a line each; nothing before a submission is recorded.
fn submission_text(s: &Submission, deadlines: &[DeadlineReport]) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::from("Submission:");
    if let Some(d) = s.submitted {
        out.push_str(&format!(" submitted {d};"));
    }
    match (s.outcome, s.reviewed) {
        (Some(o), Some(d)) => out.push_str(&format!(" review {o} on {d}")),
        (Some(o), None) => out.push_str(&format!(
            " review {o} (ftr set reviewed YYYY-MM-DD dates it)"
        )),
        (None, Some(d)) => out.push_str(&format!(" reviewed {d}")),
        (None, None) => out.push_str(" review pending"),
    }
    out.push('\n');
    for d in deadlines {
        let when = if d.days_left < 0 {
            format!("{} days ago", -d.days_left)
        } else {
            format!("in {} days", d.days_left)
        };
        out.push_str(&format!(
            "  {} due {} ({when}): {}\n",
            d.kind, d.due, d.what
        ));
    }
    out
}
