//! SUMMARY.md (what a reviewer reads top to bottom) and checklist.csv (the columns of the AWS
//! self-assessment sheet). The Markdown keeps to markdownlint's default rules.

use std::collections::BTreeMap;

use super::text::{csv_field, md_escape_inline, md_paragraphs, wrap};
use crate::assessment::progress::progress;
use crate::assessment::readiness::{Report, Severity};
use crate::assessment::{Answer, PrereqAnswer, Project, Status};
use crate::content::{Checklist, Control, Domain, Library, PrerequisiteKind};
use crate::dates::Date;

/// A file in the bundle as the summary links it.
#[derive(Debug, Clone)]
pub struct Linked {
    pub entry: String,
    pub label: String,
    pub size: u64,
    pub produced: Option<Date>,
    /// Set when the file is cited but not in the bundle (only in a draft).
    pub left_out: Option<String>,
}

pub struct Inputs<'a> {
    pub project: &'a Project,
    pub checklist: &'a Checklist,
    pub library: &'a Library,
    pub report: &'a Report,
    /// Evidence per control id, in the order attached.
    pub evidence: &'a BTreeMap<String, Vec<Linked>>,
    pub exported: Date,
    pub draft: bool,
    /// Paths outside the project folder that were sent.
    pub outside: &'a [String],
    /// The home folder, written as `~` in paths; `None` shows paths in full.
    pub home: Option<String>,
}

impl Inputs<'_> {
    /// `text` with paths under the home folder written from `~/`.
    fn tilde(&self, text: &str) -> String {
        match &self.home {
            Some(home) => text.replace(&format!("{}/", home.trim_end_matches('/')), "~/"),
            None => text.to_string(),
        }
    }
}

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
pub fn summary(i: &Inputs) -> String {
    let p = i.project;
    let c = i.checklist;
    let mut o: Vec<String> = Vec::new();
    let name = match (p.profile.company.trim(), p.profile.product.trim()) {
        ("", "") => "FTR submission".to_string(),
        (co, "") => format!("FTR submission: {co}"),
        ("", pr) => format!("FTR submission: {pr}"),
        (co, pr) => format!("FTR submission: {co}, {pr}"),
    };
    // No trailing punctuation or `#` in a heading (markdownlint MD026, MD003).
    let name = name.trim_end_matches(['.', ',', ';', ':', '!', '?', '#', ' ']);
    o.push(format!("# {}", md_escape_inline(&clip(name, 64))));
    o.push(String::new());
    if i.draft {
        push_wrapped(
            &mut o,
            &format!(
                "Draft: built with --allow-incomplete while the readiness check still reports {} \
                 error(s). Do not submit it as it is.",
                i.report.errors
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
    o.push(row("Company", &p.profile.company));
    o.push(row("Product", &p.profile.product));
    let contact = match (
        p.profile.contact_name.trim(),
        p.profile.contact_email.trim(),
    ) {
        ("", e) => e.to_string(),
        (n, "") => n.to_string(),
        (n, e) => format!("{n}, {e}"),
    };
    o.push(row(
        "Contact",
        if contact.is_empty() {
            "not given"
        } else {
            &contact
        },
    ));
    o.push(row("Delivery model", c.model.key()));
    o.push(row("Checklist", &format!("{} {}", c.name, c.version)));
    o.push(row("Exported", &i.exported.to_string()));
    let verdict = if i.report.ready {
        format!("ready ({} warning(s))", i.report.warnings)
    } else {
        format!(
            "not ready ({} error(s), {} warning(s))",
            i.report.errors, i.report.warnings
        )
    };
    o.push(row("Readiness", &verdict));
    o.push(String::new());

    o.push("## Progress".into());
    o.push(String::new());
    o.push("| Domain | Controls | Met | Not met | N/A | Unanswered |".into());
    o.push("| --- | ---: | ---: | ---: | ---: | ---: |".into());
    let prog = progress(p, c);
    for d in &prog.domains {
        let n = d.counts;
        o.push(format!(
            "| {} | {} | {} | {} | {} | {} |",
            d.domain.name(),
            n.total,
            n.met,
            n.not_met,
            n.not_applicable,
            n.unanswered
        ));
    }
    let n = prog.overall;
    o.push(format!(
        "| All | {} | {} | {} | {} | {} |",
        n.total, n.met, n.not_met, n.not_applicable, n.unanswered
    ));
    o.push(String::new());

    o.push("## Open findings".into());
    o.push(String::new());
    if i.report.findings.is_empty() {
        o.push("None: every readiness check passes.".into());
    } else {
        for f in &i.report.findings {
            let sev = match f.severity {
                Severity::Error => "Error",
                Severity::Warning => "Warning",
            };
            push_wrapped(
                &mut o,
                &md_escape_inline(&i.tilde(&format!("{sev}: {} {}", f.message, f.fix))),
                80,
                "- ",
                "  ",
            );
        }
    }
    o.push(String::new());
    if !i.outside.is_empty() {
        push_wrapped(
            &mut o,
            "These evidence files came from outside the project folder:",
            80,
            "",
            "",
        );
        o.push(String::new());
        for path in i.outside {
            push_wrapped(&mut o, &md_escape_inline(&i.tilde(path)), 80, "- ", "  ");
        }
        o.push(String::new());
    }

    o.push("## Controls".into());
    for domain in Domain::ALL {
        let controls: Vec<&Control> = c
            .controls
            .iter()
            .filter(|x| x.domain == domain && p.effective_status(c, x) != Status::NotApplicable)
            .collect();
        if controls.is_empty() {
            continue;
        }
        o.push(String::new());
        o.push(format!("### {}", domain.name()));
        for control in controls {
            control_section(&mut o, i, control);
        }
    }
    o.push(String::new());

    o.push("## Applicability".into());
    o.push(String::new());
    let na: Vec<&Control> = c
        .controls
        .iter()
        .filter(|x| p.effective_status(c, x) == Status::NotApplicable)
        .collect();
    if na.is_empty() {
        o.push("Every control applies.".into());
    } else {
        push_wrapped(
            &mut o,
            "Controls that do not apply, each with the reason given.",
            80,
            "",
            "",
        );
        o.push(String::new());
        for x in na {
            let reason = p.not_applicable_reason(c, x);
            let reason = if reason.trim().is_empty() {
                "No reason given.".to_string()
            } else {
                reason
            };
            push_wrapped(
                &mut o,
                &md_escape_inline(&format!("{} ({}): {}", x.id, x.title, reason)),
                80,
                "- ",
                "  ",
            );
        }
    }
    o.push(String::new());

    o.push("## Remediation plan".into());
    o.push(String::new());
    let gaps: Vec<(&Control, Answer)> = c
        .controls
        .iter()
        .filter(|x| p.effective_status(c, x) == Status::NotMet)
        .map(|x| (x, p.answer(&c.id, &x.id).cloned().unwrap_or_default()))
        .collect();
    if gaps.is_empty() {
        o.push("No known gaps.".into());
    } else {
        for (x, a) in gaps {
            let r = &a.remediation;
            let text = format!(
                "{} ({}): {} Owner: {}. Due: {}.",
                x.id,
                x.title,
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
            push_wrapped(&mut o, &md_escape_inline(&text), 80, "- ", "  ");
        }
    }
    o.push(String::new());

    o.push("## Prerequisites".into());
    o.push(String::new());
    for pre in &i.library.prerequisites {
        let value = match (pre.kind, p.prerequisites.get(&pre.id)) {
            (_, None) => "not answered".to_string(),
            (PrerequisiteKind::YesNo, Some(PrereqAnswer::Yes(true))) => "yes".into(),
            (_, Some(PrereqAnswer::Yes(b))) => if *b { "yes" } else { "no" }.into(),
            (_, Some(PrereqAnswer::Count(n))) => match pre.minimum {
                Some(m) => format!("{n} (at least {m} expected)"),
                None => n.to_string(),
            },
        };
        let note = if pre.confirmed {
            ""
        } else {
            " The threshold is reported by partners, not confirmed in AWS text."
        };
        push_wrapped(
            &mut o,
            &md_escape_inline(&format!("{}: {value}.{note}", pre.title)),
            80,
            "- ",
            "  ",
        );
    }
    o.push(String::new());
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

fn control_section(o: &mut Vec<String>, i: &Inputs, x: &Control) {
    let p = i.project;
    let c = i.checklist;
    let a = p.answer(&c.id, &x.id).cloned().unwrap_or_default();
    let status = p.effective_status(c, x);
    o.push(String::new());
    let title = md_escape_inline(x.title.trim_end_matches('.'));
    let heading = format!("#### {}: {title}", x.id);
    let title_in_heading = heading.chars().count() <= 80;
    o.push(if title_in_heading {
        heading
    } else {
        format!("#### {}", x.id)
    });
    o.push(String::new());
    let provisional = if x.provisional {
        " Provisional: not on the newest AWS checklist page."
    } else {
        ""
    };
    let lead = if title_in_heading {
        format!("Status: {}.{provisional}", status_word(status))
    } else {
        format!("{title}. Status: {}.{provisional}", status_word(status))
    };
    push_wrapped(o, &lead, 80, "", "");
    o.push(String::new());
    if a.response.trim().is_empty() {
        o.push("No response written.".into());
    } else {
        o.extend(md_paragraphs(&a.response, ""));
    }
    let files = i.evidence.get(&x.id).map(Vec::as_slice).unwrap_or(&[]);
    if !files.is_empty() {
        o.push(String::new());
        o.push("Evidence:".into());
        o.push(String::new());
        for f in files {
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
pub fn csv(i: &Inputs) -> String {
    let p = i.project;
    let c = i.checklist;
    let mut out = String::from("\u{feff}");
    out.push_str("ID,Requirement,Met,Partner Response,Status,Evidence,Notes\r\n");
    for x in &c.controls {
        let a = p.answer(&c.id, &x.id).cloned().unwrap_or_default();
        let status = p.effective_status(c, x);
        let met = match status {
            Status::Met => "Yes",
            Status::NotMet => "No",
            Status::NotApplicable => "N/A",
            Status::Unanswered => "",
        };
        let evidence: Vec<String> = i
            .evidence
            .get(&x.id)
            .map(|v| {
                v.iter()
                    .filter(|f| f.left_out.is_none())
                    .map(|f| f.entry.clone())
                    .collect()
            })
            .unwrap_or_default();
        let notes = match status {
            Status::NotApplicable => p.not_applicable_reason(c, x),
            Status::NotMet => {
                let r = &a.remediation;
                format!(
                    "Plan: {}; owner: {}; due: {}",
                    r.what.trim(),
                    r.owner.trim(),
                    r.due.map(|d| d.to_string()).unwrap_or_default()
                )
            }
            _ => String::new(),
        };
        // The answer to a control switched off by scoping is kept, not submitted.
        let response = match p.applicability(c, x) {
            crate::assessment::Applicability::ScopedOut { .. } => String::new(),
            crate::assessment::Applicability::Applies => a.response.clone(),
        };
        let fields = [
            x.id.clone(),
            x.title.clone(),
            met.to_string(),
            response,
            status.key().to_string(),
            evidence.join("; "),
            notes,
        ];
        // No cell may start a formula, or carry raw control characters.
        let row: Vec<String> = fields
            .iter()
            .map(|f| csv_field(&crate::safe::cell(f)))
            .collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
