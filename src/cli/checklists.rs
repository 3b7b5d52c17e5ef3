//! `ftr checklists`: list the checklists (built in and installed), add one, scaffold one, or
//! diff two versions.
//!
//! Imports `args` and `output`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::args::ChecklistsAction;
use super::output::{Outcome, shown, sorted, to_json};
use crate::assessment::window::Window;
use crate::content::sheet::SheetRow;
use crate::content::{Checklist, Domain, Library, Model, diff};
use crate::dates::Date;
use crate::error::Error;
use crate::safe::terminal;
use crate::store::catalog;

/// `ftr checklists [--json]`: every checklist the library knows, with its dates and counts.
pub(super) fn list(library: &Library, json: bool, today: Date) -> Result<Outcome, Error> {
    let report = ListReport::of(library, today);
    Ok(Outcome::ok(if json {
        to_json(&report)?
    } else {
        report.text()
    }))
}

/// `ftr checklists add|scaffold|diff`.
pub(super) fn action(action: ChecklistsAction, library: &Library) -> Result<Outcome, Error> {
    match action {
        ChecklistsAction::Add { path, replace } => {
            let dir = catalog::folder_or_error()?;
            let lines = catalog::add(&dir, &path, library, replace)?.lines;
            Ok(Outcome::ok(
                lines
                    .iter()
                    .map(|l| terminal(l).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n",
            ))
        }
        ChecklistsAction::Scaffold { from, version, out } => {
            scaffold(&from, &version, out, library)
        }
        ChecklistsAction::Diff { from, to, json } => {
            let a = library.find(&from)?;
            let b = library.find(&to)?;
            if a.id != b.id {
                return Err(Error::input(
                    format!("{} and {} are different checklists", a.spec(), b.spec()),
                    "compare two versions of one checklist, e.g. partner-hosted@2026-02 partner-hosted@2026-08",
                ));
            }
            let d = diff::diff(a, b);
            Ok(Outcome::ok(if json {
                to_json(&d)?
            } else {
                diff::text(&d)
            }))
        }
    }
}

/// `ftr checklists scaffold`: a copy of a checklist as a new version, never over a file.
fn scaffold(
    from: &str,
    version: &str,
    out: Option<PathBuf>,
    library: &Library,
) -> Result<Outcome, Error> {
    let from = library.find(from)?;
    let out = out.unwrap_or_else(|| PathBuf::from(format!("{}@{}.toml", from.id, version.trim())));
    catalog::write_scaffold(from, version, &out)?;
    Ok(Outcome::ok(format!(
        "wrote {} (a copy of {} as version {}): edit what AWS changed, then\n  ftr checklists add {}\n",
        shown(&out),
        from.spec(),
        terminal(version.trim()),
        crate::safe::path_word(&out.display().to_string())
    )))
}

/// `ftr checklists --json`.
#[derive(Serialize)]
struct ListReport<'a> {
    /// Built-in order, each checklist's versions together, oldest first.
    checklists: Vec<ChecklistReport<'a>>,
    prerequisites: Vec<&'a str>,
    /// The content folder, or `built-in`.
    source: String,
    today: String,
    /// Whether the checklists come from a content folder rather than the built-in ones.
    #[serde(skip)]
    from_folder: bool,
    /// Where installed checklists live.
    #[serde(skip)]
    installed_dir: Option<PathBuf>,
}

impl<'a> ListReport<'a> {
    fn of(library: &'a Library, today: Date) -> ListReport<'a> {
        let installed_dir = catalog::folder();
        let mut all: Vec<&Checklist> = library.catalog.iter().collect();
        // Built-in order, each checklist's versions together, oldest first.
        let first = |c: &Checklist| library.catalog.iter().position(|k| k.id == c.id);
        all.sort_by(|a, b| {
            first(a)
                .cmp(&first(b))
                .then_with(|| crate::content::version_order(&a.version, &b.version))
        });
        ListReport {
            checklists: all
                .into_iter()
                .map(|c| ChecklistReport::of(c, library, installed_dir.as_deref(), today))
                .collect(),
            prerequisites: library
                .prerequisites
                .iter()
                .map(|p| p.id.as_str())
                .collect(),
            source: library
                .folder
                .as_ref()
                .map_or("built-in".to_string(), |f| f.display().to_string()),
            today: today.to_string(),
            from_folder: library.folder.is_some(),
            installed_dir,
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.checklists {
            out.push_str(&c.text());
        }
        out.push_str(&format!(
            "\nIn use on {}: the newest version released by then, for each model.\nPrerequisites: {}\nSource: {}\n",
            self.today,
            self.prerequisites
                .iter()
                .map(|p| terminal(p))
                .collect::<Vec<_>>()
                .join(", "),
            if self.from_folder {
                terminal(&self.source).into_owned()
            } else {
                "built-in content".to_string()
            }
        ));
        if let Some(dir) = &self.installed_dir {
            out.push_str(&format!("Installed checklists: {}\n", shown(dir)));
        }
        out
    }
}

/// One checklist of `ftr checklists --json`.
#[derive(Serialize)]
struct ChecklistReport<'a> {
    control_ids: Vec<&'a str>,
    controls: usize,
    domains: BTreeMap<&'static str, usize>,
    fingerprints: BTreeMap<&'a str, &'a str>,
    id: &'a str,
    in_use: bool,
    installed: bool,
    last_verified: Option<String>,
    model: Model,
    name: &'a str,
    origin: &'a str,
    own_ids: bool,
    previous_accepted_until: Option<String>,
    previous_accepted_until_approximate: bool,
    provisional: usize,
    released: Option<String>,
    released_approximate: bool,
    scoping_questions: usize,
    sources: &'a [String],
    spec: String,
    supersedes: Option<&'a str>,
    usable_until: Option<String>,
    usable_until_approximate: bool,
    version: &'a str,
    /// Its window of use has ended by today.
    window_ended: bool,
    workbook: Option<WorkbookReport<'a>>,
    /// "released 2026-02-26, usable until about 2026-11-27", as the text shows it.
    #[serde(skip)]
    window: String,
    /// The previous version's end of acceptance, as the text shows it.
    #[serde(skip)]
    accepted: Option<String>,
}

impl<'a> ChecklistReport<'a> {
    fn of(
        c: &'a Checklist,
        library: &Library,
        installed_dir: Option<&Path>,
        today: Date,
    ) -> ChecklistReport<'a> {
        ChecklistReport {
            control_ids: c.controls.iter().map(|x| x.id.as_str()).collect(),
            controls: c.controls.len(),
            domains: Domain::ALL
                .iter()
                .map(|d| (d.key(), c.count_in(*d)))
                .collect(),
            fingerprints: c
                .controls
                .iter()
                .map(|x| (x.id.as_str(), x.fingerprint.as_str()))
                .collect(),
            id: &c.id,
            in_use: library
                .checklists
                .iter()
                .any(|a| a.id == c.id && a.version == c.version),
            installed: installed_dir.is_some_and(|d| Path::new(&c.origin).starts_with(d)),
            last_verified: c.last_verified.map(|d| d.to_string()),
            model: c.model,
            name: &c.name,
            origin: &c.origin,
            own_ids: c.own_ids,
            previous_accepted_until: c.previous_accepted_until.map(|d| d.date.to_string()),
            previous_accepted_until_approximate: c
                .previous_accepted_until
                .is_some_and(|d| d.approximate),
            provisional: c.provisional_count(),
            released: c.released.map(|d| d.date.to_string()),
            released_approximate: c.released.is_some_and(|d| d.approximate),
            scoping_questions: c.scoping.len(),
            sources: &c.sources,
            spec: c.spec(),
            supersedes: c.supersedes.as_deref(),
            usable_until: c.usable_until.map(|d| d.date.to_string()),
            usable_until_approximate: c.usable_until.is_some_and(|d| d.approximate),
            version: &c.version,
            window_ended: Window::of(c, library, "", today).ended(),
            workbook: WorkbookReport::of(c),
            window: c.window(),
            accepted: c.previous_accepted_until.map(|d| d.to_string()),
        }
    }

    /// A line with the name, version and counts, then its dates and a note on its ids.
    fn text(&self) -> String {
        let provisional = match self.provisional {
            0 => String::new(),
            n => format!(" ({n} provisional)"),
        };
        let mut marks = Vec::new();
        if self.in_use {
            marks.push("in use");
        }
        if self.window_ended {
            marks.push("window ended");
        }
        if self.installed {
            marks.push("installed");
        }
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!("  [{}]", marks.join(", "))
        };
        let mut out = format!(
            "{:<18} {:<42} {:<8} {:>3} controls{}{}\n",
            terminal(self.id),
            terminal(self.name),
            terminal(self.version),
            self.controls,
            provisional,
            marks
        );
        let mut dates = self.window.clone();
        if let Some(prev) = self.supersedes {
            let accepted = self
                .accepted
                .as_ref()
                .map_or(String::new(), |d| format!(" (accepted until {d})"));
            dates.push_str(&format!(
                "{}supersedes {}{accepted}",
                if dates.is_empty() { "" } else { "; " },
                terminal(prev)
            ));
        }
        if !dates.is_empty() {
            out.push_str(&format!("{:<18} {dates}\n", ""));
        }
        if self.own_ids {
            out.push_str(&format!(
                "{:<18} control ids are this tool's own, not the checklist's\n",
                ""
            ));
        }
        out
    }
}

/// A checklist's workbook: each control's rows with their choices and its pass rule, and the
/// workbook's own rows; `null` when its workbook is not known.
#[derive(Serialize)]
struct WorkbookReport<'a> {
    controls: Vec<WorkbookControl<'a>>,
    #[serde(serialize_with = "sorted")]
    sheet_rows: &'a [SheetRow],
}

/// A control's rows of the workbook.
#[derive(Serialize)]
struct WorkbookControl<'a> {
    id: &'a str,
    /// The alternatives that pass it, in words.
    pass: Option<Vec<&'a str>>,
    #[serde(serialize_with = "sorted")]
    rows: &'a [SheetRow],
}

impl WorkbookReport<'_> {
    fn of(c: &Checklist) -> Option<WorkbookReport<'_>> {
        if !c.has_rows() {
            return None;
        }
        Some(WorkbookReport {
            controls: c
                .controls
                .iter()
                .filter(|x| !x.rows.is_empty())
                .map(|x| WorkbookControl {
                    id: &x.id,
                    pass: x
                        .pass
                        .as_ref()
                        .map(|p| p.alternatives.iter().map(|a| a.text.as_str()).collect()),
                    rows: &x.rows,
                })
                .collect(),
            sheet_rows: &c.sheet_rows,
        })
    }
}
