//! How an imported scan joins those the project holds. A later scan replaces an earlier one's
//! results per check, account and Region: a rescan of S3 alone leaves the earlier scan's IAM
//! results in place, with their own date. A scan kept without results per check (one an older
//! `ftr` imported, or one with more than `PARTS_KEPT` of them), and a file the tool wrote again
//! over the same name for the same accounts, is replaced as a whole by a scan of the same tool
//! and accounts, as before.

use std::collections::BTreeSet;

use crate::assessment::Project;
use crate::assessment::scan::{Cell, Dropped, Scan, short_date};
use crate::dates::{Date, Timestamp};
use crate::safe::terminal;

/// What happened to one file.
pub enum Fate {
    Added(Box<Added>),
    /// The same file was imported before: the scan kept of it (without what a later scan
    /// replaced).
    Same(Box<Scan>),
    /// Every result of the file is older than one the project holds. `by_check` when that was
    /// decided check by check, not scan by scan.
    Older {
        kept: Timestamp,
        by_check: bool,
    },
}

/// A scan taken into the project, and what it did to the scans already there.
pub struct Added {
    /// The scan as kept: without the results a newer scan keeps out.
    pub scan: Scan,
    /// Earlier scans it replaces whole.
    pub replaced: Vec<Scan>,
    /// Earlier scans it replaces in part, as they are now, and what they lost.
    pub trimmed: Vec<Touched>,
    /// Newer scans that keep some of its results out, and what it lost to them.
    pub kept_out: Vec<Touched>,
    /// Scans of the same tool it leaves as they were.
    pub untouched: Vec<Scan>,
}

/// A scan, and the results one of the two scans lost to the other.
pub struct Touched {
    pub scan: Scan,
    pub dropped: Dropped,
}

/// Whether `incoming` and the kept scan `s` replace each other as a whole: same tool and
/// accounts, and one of them holds no results per check or both come from the same file.
fn whole(s: &Scan, incoming: &Scan) -> bool {
    s.same_kind(incoming) && (!s.by_check() || !incoming.by_check() || s.file == incoming.file)
}

/// Whether `incoming` and the kept scan `s` replace each other check by check.
fn by_cell(s: &Scan, incoming: &Scan) -> bool {
    s.same_tool(incoming) && s.by_check() && incoming.by_check() && !whole(s, incoming)
}

/// Puts `scan` into the project. The same file again changes nothing. Of two scans of the same
/// tool, the later one's results replace the earlier one's for every check, account and Region
/// both have (see [`Scan::newer_than`] for which is later): an earlier scan left with no result
/// is dropped, and a file all of whose results are older than those kept is not taken. Files
/// given together are taken one after the other, under the same rules.
pub fn merge(project: &mut Project, mut scan: Scan) -> Fate {
    if let Some(kept) = project
        .scans
        .iter()
        .find(|s| s.sha256 == scan.sha256 && s.source == scan.source && s.file == scan.file)
    {
        return Fate::Same(Box::new(kept.clone()));
    }
    if let Some(newer) = project
        .scans
        .iter()
        .filter(|s| whole(s, &scan) && s.newer_than(&scan))
        .map(|s| s.scanned)
        .max()
    {
        return Fate::Older {
            kept: newer,
            by_check: false,
        };
    }
    let mut kept_out = Vec::new();
    let newer: Vec<&Scan> = project
        .scans
        .iter()
        .filter(|s| by_cell(s, &scan) && s.newer_than(&scan))
        .collect();
    for s in newer {
        let common: BTreeSet<Cell> = s.cells().intersection(&scan.cells()).cloned().collect();
        if !common.is_empty() {
            let dropped = scan.drop_cells(&common);
            kept_out.push(Touched {
                scan: s.clone(),
                dropped,
            });
        }
    }
    if scan.controls.is_empty() {
        let kept = kept_out.iter().map(|t| t.scan.scanned).max();
        return Fate::Older {
            kept: kept.unwrap_or(scan.scanned),
            by_check: true,
        };
    }
    let mut added = Added {
        scan,
        replaced: Vec::new(),
        trimmed: Vec::new(),
        kept_out,
        untouched: Vec::new(),
    };
    let scan = &added.scan;
    let cells = scan.cells();
    let mut kept = Vec::with_capacity(project.scans.len() + 1);
    for mut s in std::mem::take(&mut project.scans) {
        if !s.same_tool(scan) {
            kept.push(s);
        } else if whole(&s, scan) {
            added.replaced.push(s);
        } else if !by_cell(&s, scan) || s.newer_than(scan) {
            let keeps_some_out = added.kept_out.iter().any(|t| t.scan == s);
            if !keeps_some_out {
                added.untouched.push(s.clone());
            }
            kept.push(s);
        } else {
            let before = s.clone();
            let dropped = s.drop_cells(&cells);
            if dropped.cells.is_empty() {
                added.untouched.push(s.clone());
                kept.push(s);
            } else if s.controls.is_empty() {
                added.replaced.push(before);
            } else {
                added.trimmed.push(Touched {
                    scan: s.clone(),
                    dropped,
                });
                kept.push(s);
            }
        }
    }
    kept.push(added.scan.clone());
    kept.sort_by(|a, b| (a.scanned, &a.file).cmp(&(b.scanned, &b.file)));
    project.scans = kept;
    Fate::Added(Box::new(added))
}

/// The lines `ftr import` prints for what a file did to the scans kept: which it replaced, in
/// whole or in part, and which it kept.
pub fn changes(fate: &Fate, tool: &str, today: Date) -> String {
    let mut out = String::new();
    let scan_of = |s: &Scan| {
        format!(
            "the {} scan of {} ({})",
            s.source.tool(),
            short_date(s.scanned.date(), today),
            terminal(&s.file)
        )
    };
    match fate {
        Fate::Same(_) => out.push_str("  already imported; nothing changed\n"),
        Fate::Older { kept, by_check } => {
            let of = if *by_check {
                "the same checks, accounts and Regions"
            } else {
                "the same accounts"
            };
            out.push_str(&format!(
                "  not imported: the {tool} scan of {of} from {} is newer and is kept\n",
                short_date(kept.date(), today)
            ));
        }
        Fate::Added(added) => {
            for old in &added.replaced {
                out.push_str(&format!("  replaces {}\n", scan_of(old)));
            }
            for t in &added.trimmed {
                out.push_str(&format!(
                    "  replaces {} for {} run again{} ({})\n",
                    scan_of(&t.scan),
                    checks(&t.dropped.cells),
                    places(&t.dropped.cells),
                    super::shorten(&t.dropped.controls)
                ));
                let rest: Vec<String> = t.scan.controls.keys().cloned().collect();
                out.push_str(&format!(
                    "  keeps the rest of that scan, dated {}: {}\n",
                    short_date(t.scan.scanned.date(), today),
                    super::shorten(&rest)
                ));
            }
            for t in &added.kept_out {
                out.push_str(&format!(
                    "  keeps {}, newer for {}{}: this file's results there are left out ({})\n",
                    scan_of(&t.scan),
                    checks(&t.dropped.cells),
                    places(&t.dropped.cells),
                    super::shorten(&t.dropped.controls)
                ));
            }
            for s in &added.untouched {
                out.push_str(&format!(
                    "  keeps {}: this file has none of its checks in its accounts and Regions\n",
                    scan_of(s)
                ));
            }
        }
    }
    out
}

/// "2 checks", counting each check once whatever its places.
fn checks(cells: &BTreeSet<Cell>) -> String {
    let n = cells
        .iter()
        .map(|c| c.check.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    format!("{n} check{}", super::plural(n as u64))
}

/// " in account 123456789012, eu-west-1", " in 2 accounts, 3 Regions", or nothing when the
/// cells name no place.
fn places(cells: &BTreeSet<Cell>) -> String {
    let accounts: BTreeSet<&str> = cells
        .iter()
        .map(|c| c.account.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    let regions: BTreeSet<&str> = cells
        .iter()
        .map(|c| c.region.as_str())
        .filter(|r| !r.is_empty())
        .collect();
    let mut parts = Vec::new();
    match accounts.len() {
        0 => {}
        1 => parts.extend(accounts.iter().map(|a| format!("account {a}"))),
        n => parts.push(format!("{n} accounts")),
    }
    match regions.len() {
        0 => {}
        1 => parts.extend(regions.iter().map(|r| (*r).to_string())),
        n => parts.push(format!("{n} Regions")),
    }
    if parts.is_empty() {
        String::new()
    } else {
        terminal(&format!(" in {}", parts.join(", "))).into_owned()
    }
}
