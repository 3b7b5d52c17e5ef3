//! SUMMARY.md (what a reviewer reads top to bottom) and checklist.csv (the columns of the AWS
//! self-assessment sheet), both written from the one [`Submission`]. The Markdown keeps to
//! markdownlint's default rules.

use super::text::{md_escape_inline, md_paragraphs, wrap};
use super::view::{ControlView, Submission};
use crate::assessment::readiness::Severity;
use crate::assessment::{PrereqAnswer, Status};
use crate::content::{Domain, PrerequisiteKind};

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::NotMet => "not met",
        Status::NotApplicable => "not applicable",
        Status::Unanswered => "unanswered",
    }
}

/// Wraps text to `width` after the prefixes, escaping any block marker (`#`, `-`, `1.`) that
/// wrapping brings to the start of a line.
fn push_wrapped(out: &mut Vec<String>, text: &str, width: usize, first: &str, rest: &str) {
    for (i, line) in wrap(text, width, first, rest).into_iter().enumerate() {
        let prefix = if i == 0 { first } else { rest };
        let body = line.strip_prefix(prefix).unwrap_or(&line);
        out.push(format!("{prefix}{}", super::text::escape_line_start(body)));
    }
}

/// The Markdown summary.
pub fn summary(s: &Submission) -> String {
    let mut o: Vec<String> = Vec::new();
    head(&mut o, s);
    progress_table(&mut o, s);
    findings(&mut o, s);
    controls(&mut o, s);
    applicability(&mut o, s);
    remediation(&mut o, s);
    prerequisites(&mut o, s);
    push_wrapped(
        &mut o,
        "Evidence links are relative to this file and open from the unzipped folder; \
         manifest.json lists every file with its SHA-256.",
        80,
        "",
        "",
    );
    let mut text = o.join("\n");
    text.push('\n');
    text
}

/// The section that lists what the secret scan could not read, so a reviewer's reader checks
/// it by eye; nothing when everything was read.
pub fn not_scanned(places: &[String]) -> String {
    if places.is_empty() {
        return String::new();
    }
    let mut o = vec![
        String::new(),
        "## Not scanned for secrets".to_string(),
        String::new(),
    ];
    push_wrapped(
        &mut o,
        "The secret scan could not read inside these; check them by eye before they are sent:",
        80,
        "",
        "",
    );
    o.push(String::new());
    for p in places {
        push_wrapped(&mut o, &md_escape_inline(p), 80, "- ", "  ");
    }
    let mut text = o.join("\n");
    text.push('\n');
    text
}

/// The title, the draft warning and the table of facts.
fn head(o: &mut Vec<String>, s: &Submission) {
    let profile = &s.project.profile;
    let c = s.checklist;
    let name = match (profile.company.trim(), profile.product.trim()) {
        ("", "") => "FTR submission".to_string(),
        (co, "") => format!("FTR submission: {co}"),
        ("", pr) => format!("FTR submission: {pr}"),
        (co, pr) => format!("FTR submission: {co}, {pr}"),
    };
    // No trailing punctuation or `#` in a heading (markdownlint MD026, MD003).
    let name = name.trim_end_matches(['.', ',', ';', ':', '!', '?', '#', ' ']);
    o.push(format!("# {}", md_escape_inline(&clip(name, 64))));
    o.push(String::new());
    if s.draft {
        push_wrapped(
            o,
            &format!(
                "Draft: built anyway while the readiness check still reports {} error(s). Do \
                 not submit it as it is.",
                s.report.errors
            ),
            80,
            "> ",
            "> ",
        );
        o.push(String::new());
    }
    o.push("| Field | Value |".into());
    o.push("| --- | --- |".into());
    let row = |k: &str, v: &str| {
        let room = 80 - k.len() - 7;
        // Clip the text before escaping it: cutting escaped text could split an escape.
        let mut keep = room;
        let mut cell = md_escape_inline(v);
        while cell.chars().count() > room && keep > 1 {
            keep -= 1;
            cell = md_escape_inline(&clip(v, keep));
        }
        format!("| {k} | {cell} |")
    };
    o.push(row("Company", &profile.company));
    o.push(row("Product", &profile.product));
    let contact = match (profile.contact_name.trim(), profile.contact_email.trim()) {
        ("", "") => "not given".to_string(),
        ("", e) => e.to_string(),
        (n, "") => n.to_string(),
        (n, e) => format!("{n}, {e}"),
    };
    o.push(row("Contact", &contact));
    o.push(row("Delivery model", c.model.key()));
    o.push(row("Checklist", &format!("{} {}", c.name, c.version)));
    if c.own_ids {
        o.push(row(
            "Control IDs",
            "this tool's own, not the checklist's; each is marked",
        ));
    }
    let window = s.window();
    o.push(row("Acceptance", &window.words()));
    if let Some(note) = window.going_on_note(c) {
        o.push(row("Past the window", &note));
    }
    o.push(row("Exported", &s.exported.to_string()));
    let verdict = if s.report.ready {
        format!("ready ({} warning(s))", s.report.warnings)
    } else {
        format!(
            "not ready ({} error(s), {} warning(s))",
            s.report.errors, s.report.warnings
        )
    };
    o.push(row("Readiness", &verdict));
    o.push(String::new());
    if let Some(prediction) = crate::assessment::grade::predict(s.project, s.checklist) {
        push_wrapped(
            o,
            &md_escape_inline(&format!("{}.", prediction.words(usize::MAX))),
            80,
            "",
            "",
        );
        o.push(String::new());
    }
}

fn progress_table(o: &mut Vec<String>, s: &Submission) {
    o.push("## Progress".into());
    o.push(String::new());
    o.push("| Domain | Controls | Met | Not met | N/A | Scoped out | Unanswered |".into());
    o.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: |".into());
    let rows = s
        .progress
        .domains
        .iter()
        .map(|d| (d.domain.name(), d.counts))
        .chain(std::iter::once(("All", s.progress.overall)));
    for (name, n) in rows {
        o.push(format!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            n.total, n.met, n.not_met, n.not_applicable, n.scoped_out, n.unanswered
        ));
    }
    o.push(String::new());
}

fn findings(o: &mut Vec<String>, s: &Submission) {
    o.push("## Open findings".into());
    o.push(String::new());
    if s.report.findings.is_empty() {
        o.push("None: every readiness check passes.".into());
    }
    for f in &s.report.findings {
        let sev = match f.severity {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
        };
        let text = s.tilde(&format!("{sev}: {} {}", f.message, f.fix));
        push_wrapped(o, &md_escape_inline(&text), 80, "- ", "  ");
    }
    o.push(String::new());
    if !s.outside.is_empty() {
        push_wrapped(
            o,
            "These evidence files came from outside the project folder:",
            80,
            "",
            "",
        );
        o.push(String::new());
        for path in s.outside {
            push_wrapped(o, &md_escape_inline(&s.tilde(path)), 80, "- ", "  ");
        }
        o.push(String::new());
    }
}

/// Every applicable control, by domain.
fn controls(o: &mut Vec<String>, s: &Submission) {
    o.push("## Controls".into());
    for domain in Domain::ALL {
        let in_domain: Vec<&ControlView> = s
            .controls
            .iter()
            .filter(|v| v.control.domain == domain && v.status != Status::NotApplicable)
            .collect();
        if in_domain.is_empty() {
            continue;
        }
        o.push(String::new());
        o.push(format!("### {}", domain.name()));
        for v in in_domain {
            control_section(o, s, v);
        }
    }
    o.push(String::new());
}

fn applicability(o: &mut Vec<String>, s: &Submission) {
    o.push("## Applicability".into());
    o.push(String::new());
    let na: Vec<&ControlView> = s
        .controls
        .iter()
        .filter(|v| v.status == Status::NotApplicable)
        .collect();
    if na.is_empty() {
        o.push("Every control applies.".into());
    } else {
        push_wrapped(
            o,
            "Controls that do not apply, each with the reason given.",
            80,
            "",
            "",
        );
        o.push(String::new());
    }
    for v in na {
        let reason = if v.reason.trim().is_empty() {
            "No reason given."
        } else {
            &v.reason
        };
        let text = format!("{} ({}): {reason}", v.control.id, v.control.title);
        push_wrapped(o, &md_escape_inline(&text), 80, "- ", "  ");
    }
    o.push(String::new());
}

fn remediation(o: &mut Vec<String>, s: &Submission) {
    o.push("## Remediation plan".into());
    o.push(String::new());
    let gaps: Vec<&ControlView> = s
        .controls
        .iter()
        .filter(|v| v.status == Status::NotMet)
        .collect();
    if gaps.is_empty() {
        o.push("No known gaps.".into());
    }
    for v in gaps {
        let r = &v.remediation;
        let text = format!(
            "{} ({}): {} Owner: {}. Due: {}.",
            v.control.id,
            v.control.title,
            if r.what.trim().is_empty() {
                "No plan recorded.".to_string()
            } else {
                format!("{}.", r.what.trim().trim_end_matches('.'))
            },
            if r.owner.trim().is_empty() {
                "none"
            } else {
                r.owner.trim()
            },
            r.due.map_or("none".to_string(), |d| d.to_string())
        );
        push_wrapped(o, &md_escape_inline(&text), 80, "- ", "  ");
    }
    o.push(String::new());
}

fn prerequisites(o: &mut Vec<String>, s: &Submission) {
    o.push("## Prerequisites".into());
    o.push(String::new());
    for pre in &s.library.prerequisites {
        let value = match (pre.kind, s.project.prerequisites.get(&pre.id)) {
            (_, None) => "not answered".to_string(),
            (PrerequisiteKind::YesNo, Some(PrereqAnswer::Yes(true))) => "yes".into(),
            (_, Some(PrereqAnswer::Yes(b))) => if *b { "yes" } else { "no" }.into(),
            (_, Some(PrereqAnswer::Count(n))) => match pre.minimum {
                Some(m) => format!("{n} (at least {m} expected)"),
                None => n.to_string(),
            },
        };
        let note = match (pre.confirmed, pre.kind) {
            (true, _) => "",
            (false, PrerequisiteKind::Count) => {
                " The threshold is reported by partners, not confirmed in AWS text."
            }
            (false, PrerequisiteKind::YesNo) => {
                " Reported by partners as a prerequisite, not confirmed in AWS text."
            }
        };
        let text = format!("{}: {value}.{note}", pre.title);
        push_wrapped(o, &md_escape_inline(&text), 80, "- ", "  ");
    }
    o.push(String::new());
}

fn control_section(o: &mut Vec<String>, s: &Submission, v: &ControlView) {
    let x = v.control;
    o.push(String::new());
    let title = md_escape_inline(x.title.trim_end_matches('.'));
    let id = s.checklist.shown_id(&x.id);
    let heading = format!("#### {id}: {title}");
    let title_in_heading = heading.chars().count() <= 80;
    o.push(if title_in_heading {
        heading
    } else {
        format!("#### {id}")
    });
    o.push(String::new());
    let provisional = if x.provisional {
        " Provisional: not on the newest AWS checklist page."
    } else {
        ""
    };
    let lead = if title_in_heading {
        format!("Status: {}.{provisional}", status_word(v.status))
    } else {
        format!("{title}. Status: {}.{provisional}", status_word(v.status))
    };
    push_wrapped(o, &lead, 80, "", "");
    o.push(String::new());
    if v.response.trim().is_empty() {
        o.push("No response written.".into());
    } else {
        o.extend(md_paragraphs(&v.response, ""));
    }
    if v.files.is_empty() {
        return;
    }
    o.push(String::new());
    o.push("Evidence:".into());
    o.push(String::new());
    for f in &v.files {
        let file_name = f.entry.rsplit('/').next().unwrap_or(&f.entry);
        let mut tail = vec![crate::assessment::evidence::human_size(f.size)];
        if let Some(d) = f.produced {
            tail.push(format!("produced {d}"));
        }
        let label = if f.label.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", md_escape_inline(f.label.trim()))
        };
        let line = match &f.left_out {
            Some(why) => format!(
                "{}{label} (not in this bundle: {})",
                md_escape_inline(file_name),
                md_escape_inline(why)
            ),
            None => format!(
                "[{}]({}){label} ({})",
                md_escape_inline(file_name),
                f.entry,
                tail.join(", ")
            ),
        };
        // A link is one unbreakable word for the wrapper only if it has no spaces; entry
        // names never do.
        push_wrapped(o, &line, 80, "- ", "  ");
    }
}

/// Cuts `text` to `width` characters with "…".
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// The AWS self-assessment columns, then status, evidence and notes: one row per control.
pub fn csv(s: &Submission) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}"));
    // Writing to memory cannot fail.
    let _ = w.write_record(CSV_HEADER);
    for v in &s.controls {
        let fields = csv_row(s, v);
        // No cell may start a formula, or carry raw control characters.
        let _ = w.write_record(fields.iter().map(|f| crate::safe::cell(f).into_owned()));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

const CSV_HEADER: [&str; 7] = [
    "ID",
    "Requirement Description",
    "Met?",
    "Partner Response",
    "Status",
    "Evidence",
    "Notes",
];

/// One control's cells of checklist.csv, as typed.
fn csv_row(s: &Submission, v: &ControlView) -> [String; 7] {
    let met = match v.status {
        Status::Met => "Yes",
        Status::NotMet => "No",
        Status::NotApplicable => "N/A",
        Status::Unanswered => "",
    };
    let notes = match v.status {
        Status::NotApplicable => v.reason.clone(),
        Status::NotMet => {
            let r = &v.remediation;
            format!(
                "Plan: {}; owner: {}; due: {}",
                r.what.trim(),
                r.owner.trim(),
                r.due.map(|d| d.to_string()).unwrap_or_default()
            )
        }
        _ => String::new(),
    };
    [
        s.checklist.shown_id(&v.control.id),
        v.control.title.clone(),
        met.to_string(),
        v.response.clone(),
        v.status.key().to_string(),
        v.entries().join("; "),
        notes,
    ]
}
