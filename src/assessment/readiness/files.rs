//! The rules about files: the evidence of a control and the files of the upload form's slots
//! (their state on disk, their dates, size, links and place), and the slots a model asks for.

use crate::assessment::evidence::FileState;
use crate::assessment::finding::{Code, Severity};
use crate::assessment::fix::{Arg, Command, Fix, Give, SetTo};
use crate::assessment::setting::Setting;
use crate::assessment::{Evidence, Slot};
use crate::content::{Checklist, Model};
use crate::dates::Date;

use super::collect::{Collector, Cx, Fresh, Holder, Item, shown};

/// The evidence files of a control's answer.
pub(super) fn control_evidence(cx: &mut Cx, _: &Checklist, item: &Item, out: &mut Collector) {
    let Some(a) = item.answer else {
        return;
    };
    let id = item.id;
    for ev in &a.evidence {
        let file = || Arg::Path(ev.path.clone());
        let holder = Holder {
            control: Some(id),
            slot: None,
            what: format!("{id}: evidence"),
            detach: Command::answer(id, Give::RemoveEvidence(file())),
            attach: Command::answer(
                id,
                Give::Evidence {
                    file: file(),
                    produced: false,
                },
            ),
            redate: Command::Answer {
                control: Arg::Blank("ID"),
                give: Give::Evidence {
                    file: Arg::Blank("FILE"),
                    produced: true,
                },
            },
            file: ev.path.clone(),
        };
        let fresh = item.control.cadence.as_ref().map(|c| Fresh {
            days: c.days,
            code: Code::EvidenceStale,
            rule: c.rule(),
            fix: Fix::say(
                "Redo it and attach the new evidence with its date (--evidence FILE --produced YYYY-MM-DD).",
            ),
        });
        let state = (cx.look)(ev);
        evidence(&holder, ev, &state, cx.today, fresh, out);
    }
}

/// What a file's state, date, size, link and place say, for control evidence and for the
/// files of the upload slots alike.
fn evidence(
    h: &Holder,
    ev: &Evidence,
    state: &FileState,
    today: Date,
    fresh: Option<Fresh>,
    out: &mut Collector,
) {
    file_state(h, ev, state, out);
    file_dates(h, ev, today, fresh, out);
    file_kind(h, ev, state, out);
}

/// A file missing, not a file, unreadable or changed since it was attached.
fn file_state(h: &Holder, ev: &Evidence, state: &FileState, out: &mut Collector) {
    use Severity::Error;
    let what = &h.what;
    let shown = shown(ev);
    match state {
        FileState::Matches => {}
        FileState::Missing => h.push(
            out,
            Error,
            Code::EvidenceMissing,
            format!("{what} file {shown} is missing."),
            Fix::run("Put it back, or detach it", h.detach.clone()),
        ),
        FileState::NotAFile => h.push(
            out,
            Error,
            Code::EvidenceNotAFile,
            format!("{what} {shown} is not a regular file."),
            Fix::run("Attach the file itself", h.detach.clone()),
        ),
        FileState::Unreadable(why) => h.push(
            out,
            Error,
            Code::EvidenceUnreadable,
            format!("{what} file {shown} cannot be read ({why})."),
            Fix::say("Fix its permissions so the export can read it."),
        ),
        FileState::Changed { size } => h.push(
            out,
            Error,
            Code::EvidenceChanged,
            format!(
                "{what} file {shown} changed since it was attached ({} bytes then, {size} now).",
                ev.size
            ),
            Fix::run(
                "Check the new content, then attach it again to record it",
                h.attach.clone(),
            ),
        ),
    }
}

/// A file dated after today, or older than `fresh` allows.
fn file_dates(h: &Holder, ev: &Evidence, today: Date, fresh: Option<Fresh>, out: &mut Collector) {
    let what = &h.what;
    let shown = shown(ev);
    if ev.dated() > today {
        h.push(
            out,
            Severity::Warning,
            Code::EvidenceFuture,
            format!("{what} {shown} is dated {}, after today.", ev.dated()),
            Fix::run("Check the date the evidence was produced", h.redate.clone()),
        );
    }
    if let Some(f) = fresh {
        let age = ev.dated().days_until(today);
        if age > i64::from(f.days) {
            h.push(
                out,
                Severity::Warning,
                f.code,
                format!(
                    "{what} {shown} dates from {} ({age} days ago); {}.",
                    ev.dated(),
                    f.rule
                ),
                f.fix,
            );
        }
    }
}

/// A file that is empty, a symbolic link, or outside the project folder.
fn file_kind(h: &Holder, ev: &Evidence, state: &FileState, out: &mut Collector) {
    use Severity::Warning;
    let what = &h.what;
    let shown = shown(ev);
    if ev.size == 0 && *state == FileState::Matches {
        h.push(
            out,
            Warning,
            Code::EvidenceEmpty,
            format!("{what} file {shown} is empty."),
            Fix::say("Attach the file with the content a reviewer should see."),
        );
    }
    if let Some(target) = &ev.link_to {
        h.push(
            out,
            Warning,
            Code::EvidenceLink,
            format!(
                "{what} {shown} is a symbolic link to {target}; the bundle holds the content it points to."
            ),
            Fix::say("Make sure the link points at the file you mean to send."),
        );
    }
    if ev.is_outside() {
        h.push(
            out,
            Warning,
            Code::EvidenceOutside,
            format!("{what} {shown} lies outside the project folder and would be sent as well."),
            Fix::say(
                "Make sure you mean to send this file; copy it under the project folder to keep it with the project.",
            ),
        );
    }
}

/// How findings about a file of `slot` name it and its fixes.
fn slot_holder(slot: Slot, ev: &Evidence) -> Holder<'static> {
    let set = |to| Command::Set {
        key: Setting::Slot(slot),
        to,
    };
    let file = || Arg::Path(ev.path.clone());
    Holder {
        control: None,
        slot: Some(slot),
        what: format!("The {}", slot.name()),
        detach: set(SetTo::Clear(file())),
        attach: set(SetTo::Value(file())),
        redate: set(SetTo::Produced(file())),
        file: ev.path.clone(),
    }
}

/// `ftr set SLOT FILE`, the file left for the person to name.
fn attach_blank(slot: Slot, blank: &'static str) -> Command {
    Command::set(Setting::Slot(slot), Arg::Blank(blank))
}

/// The files of the upload form's slots: an architecture diagram (PNG or JPEG by its bytes),
/// the security tool reports (no older than the checklist's freshness rule, when one is
/// loaded), the deployment guide and the alternative report; then the slots the model asks for.
pub(super) fn slot_files(cx: &mut Cx, checklist: Option<&Checklist>, out: &mut Collector) {
    diagram(cx, out);
    security_reports(cx, checklist, out);
    for slot in [Slot::DeploymentGuide, Slot::AlternativeReport] {
        for ev in slot.files(&cx.project.profile) {
            let state = (cx.look)(ev);
            evidence(&slot_holder(slot, ev), ev, &state, cx.today, None, out);
        }
    }
    other_slots_missing(cx, out);
}

/// The architecture diagram: missing, or a file whose first bytes are no PNG or JPEG.
fn diagram(cx: &mut Cx, out: &mut Collector) {
    let Some(ev) = &cx.project.profile.diagram else {
        out.push_slot(
            Severity::Warning,
            Code::DiagramMissing,
            Slot::Diagram,
            "No architecture diagram is attached; Partner Central's form has a slot for one \
             (PNG or JPEG)."
                .into(),
            Fix::run(
                "Attach a diagram of every AWS service the product runs on and how they connect",
                attach_blank(Slot::Diagram, "FILE"),
            ),
        );
        return;
    };
    let h = slot_holder(Slot::Diagram, ev);
    let state = (cx.look)(ev);
    evidence(&h, ev, &state, cx.today, None, out);
    if state == FileState::Matches
        && let Ok(format) = ev.format(cx.project_dir)
        && !format.is_png_or_jpeg()
    {
        h.push(
            out,
            Severity::Warning,
            Code::DiagramFormat,
            format!(
                "The architecture diagram {} is not a PNG or JPEG image: its first bytes are {}. The form takes .png or .jpeg.",
                shown(ev),
                format.describe()
            ),
            Fix::run(
                "Export the diagram as PNG or JPEG and attach that",
                attach_blank(Slot::Diagram, "FILE"),
            ),
        );
    }
}

/// The security tool reports: none attached, or each one's file, fresh as the checklist asks.
fn security_reports(cx: &mut Cx, checklist: Option<&Checklist>, out: &mut Collector) {
    if cx.project.profile.security_reports.is_empty() {
        out.push_slot(
            Severity::Warning,
            Code::SecurityReportMissing,
            Slot::SecurityReport,
            "No security tool report is attached; the form asks for the CIS AWS Foundations \
             Benchmark results from Security Hub, one per production account and Region."
                .into(),
            Fix::run(
                "Download them as CSV (Security Hub console, Security standards, CIS, View results, Download) and attach each",
                attach_blank(Slot::SecurityReport, "FILE"),
            ),
        );
    }
    let fresh_days = checklist.and_then(|c| c.scan_freshness_days);
    for ev in &cx.project.profile.security_reports {
        let h = slot_holder(Slot::SecurityReport, ev);
        let fresh = fresh_days.map(|days| Fresh {
            days,
            code: Code::SecurityReportStale,
            rule: format!("scan results count as fresh for {days} days"),
            fix: Fix::run(
                "Run the scan again, download the results over this file and record their date",
                Command::Set {
                    key: Setting::Slot(Slot::SecurityReport),
                    to: SetTo::Produced(Arg::Path(ev.path.clone())),
                },
            ),
        });
        let state = (cx.look)(ev);
        evidence(&h, ev, &state, cx.today, fresh, out);
    }
}

/// The form's slots a delivery model asks for: the deployment guide of a customer-deployed
/// product, the report of the alternative path.
fn other_slots_missing(cx: &Cx, out: &mut Collector) {
    let p = &cx.project.profile;
    match cx.project.delivery.model {
        Some(Model::CustomerDeployed)
            if p.deployment_guide.is_none() && p.deployment_guide_url.trim().is_empty() =>
        {
            out.push_slot(
                Severity::Warning,
                Code::DeploymentGuideMissing,
                Slot::DeploymentGuide,
                "No customer deployment guide is given; Partner Central's form has a slot for it \
                 (a file, or the public address it is published at)."
                    .into(),
                Fix::run(
                    "Attach it or give its address",
                    attach_blank(Slot::DeploymentGuide, "FILE|URL"),
                ),
            );
        }
        Some(Model::Alternative) if p.alternative_report.is_none() => out.push_slot(
            Severity::Warning,
            Code::AlternativeReportMissing,
            Slot::AlternativeReport,
            "No SOC 2 Type II report is attached; the form's Alternative Artifacts/Reports slot \
             takes the report the alternative path rests on."
                .into(),
            Fix::run("Attach it", attach_blank(Slot::AlternativeReport, "FILE")),
        ),
        _ => {}
    }
}
