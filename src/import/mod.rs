//! `ftr import`: reads what a scanner found (Prowler, Security Hub, Service Screener) and
//! keeps it in the project as hints per control. It never sets a status or a response.
//!
//! The format is recognised from the file's content, never its name. Every file is read as a
//! stream, a finding at a time, so memory is bounded whatever the file's size; all files are read before the project
//! changes, so a bad one leaves the project as it was.

mod html;
mod json;
mod merge;
mod prowler;
mod tally;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::assessment::evidence::{self, Evidence};
use crate::assessment::scan::{PARTS_KEPT, PLACES_KEPT, Scan, Source, short_date};
use crate::assessment::{Project, Slot, edit};
use crate::content::{Checklist, Library};
use crate::dates::{Clock, Timestamp};
use crate::error::{Error, Located};
use crate::safe::terminal;
use crate::store::{self, Loaded};

pub use json::HubMap;
use merge::{Fate, merge};
use tally::Tally;

/// The formats `ftr import` knows, for messages that refuse a file.
pub const KNOWN: &str = "ftr imports Prowler's FTR compliance CSV (…_aws_foundational_technical_review_aws.csv), \
Prowler's OCSF JSON (…ocsf.json), Security Hub findings JSON (aws securityhub get-findings) and \
Service Screener's api-full.json or FTR.html; a Security Hub CIS CSV is attached with --security-report";

/// The most of an HTML page read (Service Screener's FTR page is far smaller).
const MAX_HTML: u64 = 64 << 20;

/// The most one record (a CSV row, a JSON finding) may take; past it the file is refused, so
/// a damaged or hostile file cannot fill the memory.
const RECORD_LIMIT: u64 = 64 << 20;
/// The message of the read error past [`RECORD_LIMIT`].
const OVERSIZED: &str = "one record of the file is over 64 MB";

/// What has been read of a scan file: its SHA-256 and size, taken in the same pass as the
/// parse, and the bytes since the last record began.
#[derive(Default)]
pub struct Meter {
    since_record: std::cell::Cell<u64>,
    total: std::cell::Cell<u64>,
    hasher: std::cell::RefCell<sha2::Sha256>,
}

impl Meter {
    /// A new record begins.
    pub fn reset(&self) {
        self.since_record.set(0);
    }

    /// Whether an I/O error is the one [`Metered`] raises for an oversized record.
    pub fn is_oversized(e: &dyn std::fmt::Display) -> bool {
        e.to_string().contains(OVERSIZED)
    }
}

/// A reader that feeds [`Meter`].
struct Metered<R> {
    inner: R,
    meter: std::rc::Rc<Meter>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.read(buf)?;
        self.meter.hasher.borrow_mut().update(&buf[..n]);
        self.meter.total.set(self.meter.total.get() + n as u64);
        let since = self.meter.since_record.get() + n as u64;
        self.meter.since_record.set(since);
        if since > RECORD_LIMIT {
            return Err(std::io::Error::other(OVERSIZED));
        }
        Ok(n)
    }
}

/// A problem with a scan file, before the file's name is known to the message.
#[derive(Debug)]
pub struct Failure {
    /// Line and column, from 1.
    pub at: Option<(usize, usize)>,
    pub message: String,
    pub hint: String,
}

impl Failure {
    pub fn plain(message: String, hint: &str) -> Failure {
        Failure {
            at: None,
            message,
            hint: hint.to_string(),
        }
    }

    pub fn at_line(line: usize, message: String, hint: &str) -> Failure {
        Failure {
            at: (line > 0).then_some((line, 1)),
            message,
            hint: hint.to_string(),
        }
    }

    fn located(self, file: &Path) -> Error {
        Error::invalid(Located {
            file: file.display().to_string(),
            line: self.at,
            field: None,
            message: self.message,
            hint: self.hint,
        })
    }
}

/// A time as scanners write it: RFC 3339, or without an offset (read as UTC), with a space or a
/// `T`, with or without fractions of a second.
pub fn lenient_time(text: &str) -> Option<Timestamp> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    Timestamp::parse(t).or_else(|| Timestamp::parse(&format!("{t}Z")))
}

/// The Security Hub controls each FTR control of `checklist` names in its content
/// (`automated = ["Security Hub IAM.5"]`).
pub fn hub_map(checklist: &Checklist) -> HubMap {
    let mut map = HubMap::new();
    for c in &checklist.controls {
        for a in &c.automated {
            if let Some(id) = a.strip_prefix("Security Hub ") {
                map.entry(id.trim().to_string())
                    .or_default()
                    .push(c.id.clone());
            }
        }
    }
    map
}

/// One file read and matched against the checklist, not yet in the project.
pub struct Imported {
    pub scan: Scan,
    /// Lines for the user: what was odd about the file.
    pub notes: Vec<String>,
    pub findings: u64,
}

/// The error for an I/O failure reading the scan file at `path`.
fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        action: "read the scan file",
        source: e,
    }
}

/// Reads one scan file and matches its requirement ids to `checklist`.
pub fn read(
    path: &Path,
    checklist: &Checklist,
    now: Timestamp,
    project_dir: &Path,
) -> Result<Imported, Error> {
    let io = |e| io_error(path, e);
    let meta = std::fs::metadata(path).map_err(io)?;
    check_name(path, &meta)?;
    let meter = std::rc::Rc::new(Meter::default());
    let input = BufReader::with_capacity(
        1 << 16,
        Metered {
            inner: File::open(path).map_err(io)?,
            meter: meter.clone(),
        },
    );
    let mut tally = Tally::default();
    // A day of slack for clocks and time zones; later is a wrong clock, not a scan time.
    tally.latest_ok = Timestamp::from_unix(now.unix() + 86_400);
    let mut notes = Vec::new();
    let hub = hub_map(checklist);
    let source = read_format(input, path, &mut tally, &hub, &meter, &mut notes)?;
    if let Some(t) = tally.future {
        return Err(Failure::plain(
            format!(
                "records a scan time of {t}, after today: the clock where it ran, or the file, is wrong"
            ),
            "check the date on the machine that ran the scan, scan again and import the new file",
        )
        .located(path));
    }
    // Every byte went through the meter: the fingerprint is of what was counted.
    let size = meter.total.get();
    if size != meta.len() || std::fs::metadata(path).map_err(io)?.len() != size {
        return Err(Error::changed(
            format!(
                "{} changed while it was read; nothing was imported",
                path.display()
            ),
            "wait until the tool has finished writing it, then import it again",
        ));
    }
    let sha256 = {
        use sha2::Digest;
        evidence::hex(&meter.hasher.take().finalize())
    };
    if matches!(
        source,
        Source::ServiceScreenerJson | Source::ServiceScreenerHtml
    ) && tally.accounts.is_empty()
    {
        // Service Screener writes each account's results in a folder named by its id.
        let account = evidence::absolute(path)?
            .parent()
            .and_then(|p| p.file_name()?.to_str().map(str::to_string))
            .filter(|n| n.len() == 12 && n.bytes().all(|b| b.is_ascii_digit()));
        if let Some(account) = account {
            tally.note(&account, "", None);
        }
    }
    let file_time = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| Timestamp::from_unix(i64::try_from(d.as_secs()).ok()?));
    let scanned = scan_time(&tally, source, file_time, now, &mut notes);
    let findings = tally.findings;
    let scan = into_scan(
        tally,
        source,
        scanned,
        path,
        (sha256, size),
        checklist,
        now,
        project_dir,
        &mut notes,
    )?;
    Ok(Imported {
        scan,
        notes,
        findings,
    })
}

/// Refuses what is not a file, or has a name the project file cannot record.
fn check_name(path: &Path, meta: &std::fs::Metadata) -> Result<(), Error> {
    if !meta.is_file() {
        return Err(Error::input(
            format!("{} is not a file", path.display()),
            "give the scan file itself, e.g. output/compliance/prowler-output-…_aws_foundational_technical_review_aws.csv",
        ));
    }
    if path.to_str().is_none() {
        return Err(Error::input(
            format!(
                "the file name {} is not valid UTF-8, so the project file cannot record it",
                path.display()
            ),
            "rename the file (or copy it) to a UTF-8 name and import that",
        ));
    }
    Ok(())
}

/// Recognises the format from the file's first bytes and reads the file into `tally`.
fn read_format(
    mut input: BufReader<Metered<File>>,
    path: &Path,
    tally: &mut Tally,
    hub: &HubMap,
    meter: &Meter,
    notes: &mut Vec<String>,
) -> Result<Source, Error> {
    let head = input.fill_buf().map_err(|e| io_error(path, e))?;
    let mut skip = 0;
    if head.starts_with(b"\xEF\xBB\xBF") {
        skip = 3;
    } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(Failure::plain(
            "is UTF-16 text; scanners write UTF-8".into(),
            "export it again from the tool, or save it as UTF-8",
        )
        .located(path));
    }
    let head_text = &head[skip..];
    if head_text.contains(&0) {
        return Err(Failure::plain(
            "holds binary data, not a scanner's text or JSON output".into(),
            KNOWN,
        )
        .located(path));
    }
    let first = head_text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| head_text[i]);
    // A line ends at LF, CRLF or (old Mac files) a lone CR.
    let line_end = head_text
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(head_text.len());
    let kind = prowler::first_line(&String::from_utf8_lossy(&head_text[..line_end]));
    input.consume(skip);
    match first {
        None => Err(Failure::plain("is empty".into(), KNOWN).located(path)),
        Some(b'[' | b'{') => {
            let got = json::read(input, tally, hub, meter).map_err(|f| f.located(path))?;
            if got.more_pages {
                notes.push(
                    "the file is one page of several (NextToken is set), and another page would replace its results for the controls, accounts and Regions both hold: export every page into one file by running get-findings without --max-items".to_string(),
                );
            }
            Ok(got.source)
        }
        Some(b'<') => read_html(input, path, tally),
        Some(_) => read_text(kind, input, path, tally, meter),
    }
}

/// Reads Service Screener's FTR.html, refusing a page over [`MAX_HTML`].
fn read_html(input: impl Read, path: &Path, tally: &mut Tally) -> Result<Source, Error> {
    let too_big = || {
        Failure::plain(
            format!(
                "is an HTML page over the {} MB size limit for HTML pages; Service Screener's FTR.html is far smaller",
                MAX_HTML >> 20
            ),
            "check it is the FTR.html of a Service Screener run, or import that run's api-full.json instead",
        )
        .located(path)
    };
    let mut bytes = Vec::new();
    input
        .take(MAX_HTML + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            // The page is one record: past the record limit it is past the page limit too.
            if Meter::is_oversized(&e) {
                too_big()
            } else {
                io_error(path, e)
            }
        })?;
    if bytes.len() as u64 > MAX_HTML {
        return Err(too_big());
    }
    let page = String::from_utf8(bytes)
        .map_err(|_| Failure::plain("is not UTF-8 text".into(), KNOWN).located(path))?;
    html::read_page(&page, tally).map_err(|f| f.located(path))?;
    Ok(Source::ServiceScreenerHtml)
}

/// Reads a text file whose first line is `kind`: Prowler's FTR CSV, or a refusal saying what
/// the file is.
fn read_text(
    kind: prowler::FirstLine,
    input: impl Read,
    path: &Path,
    tally: &mut Tally,
    meter: &Meter,
) -> Result<Source, Error> {
    match kind {
        prowler::FirstLine::Prowler => {
            prowler::read_csv(input, tally, meter).map_err(|f| f.located(path))?;
            Ok(Source::ProwlerCsv)
        }
        prowler::FirstLine::WrongDelimiter(sep) => {
            let named = match sep {
                ',' => "commas",
                '\t' => "tabs",
                _ => "`|`",
            };
            Err(Failure {
                at: Some((1, 1)),
                message: format!(
                    "has Prowler's FTR columns separated by {named}; Prowler separates them with `;`"
                ),
                hint: "the file was probably re-saved by a spreadsheet: import the CSV as Prowler wrote it, or save it again with `;` between fields".into(),
            }
            .located(path))
        }
        prowler::FirstLine::Unknown => {
            Err(Failure::plain("is not a scan format ftr knows".into(), KNOWN).located(path))
        }
    }
}

/// When the scan ran, and whether the file's time dates it (the file records no time that
/// could be read). Never after `now`, the import's time: a clock that is wrong, or a file
/// time set ahead, must not date a scan in the future, where it would keep the results of
/// every real scan of the same checks out. Notes say how the scan was dated when the file did not say.
fn scan_time(
    tally: &Tally,
    source: Source,
    file_time: Option<Timestamp>,
    now: Timestamp,
    notes: &mut Vec<String>,
) -> (Timestamp, bool) {
    let unreadable = (tally.bad_times > 0).then(|| {
        let (unit, what) = match source {
            Source::ProwlerCsv => ("row", "date"),
            _ => ("finding", "time"),
        };
        format!(
            "{n} {unit}{s} had a {what} that could not be read ({example})",
            n = tally.bad_times,
            s = plural(tally.bad_times),
            example = tally.bad_time.as_deref().unwrap_or_default()
        )
    });
    if let Some(t) = tally.scanned {
        if let Some(why) = unreadable {
            notes.push(format!("{why}; the scan is dated by the others"));
        }
        if t > now {
            notes.push(format!(
                "the latest time the file records, {t}, is after the import's; the import's time dates the scan"
            ));
        }
        return (t.min(now), false);
    }
    let why = unreadable.unwrap_or_else(|| "the file records no scan time".into());
    match file_time {
        Some(t) if t <= now => {
            notes.push(format!("{why}; dated by the file's time"));
            (t, true)
        }
        Some(t) => {
            notes.push(format!(
                "{why}, and the file's time, {}, is in the future; the import's time dates the scan",
                t.date()
            ));
            (now, true)
        }
        None => {
            notes.push(format!(
                "{why}, nor does the system give the file's time; the import's time dates the scan"
            ));
            (now, true)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn into_scan(
    mut tally: Tally,
    source: Source,
    (scanned, dated_by_file_time): (Timestamp, bool),
    path: &Path,
    (sha256, size): (String, u64),
    checklist: &Checklist,
    now: Timestamp,
    project_dir: &Path,
    notes: &mut Vec<String>,
) -> Result<Scan, Error> {
    tally_notes(&tally, notes);
    tally.place_parts();
    let reported = tally.controls.len();
    let (known, unknown): (Vec<_>, Vec<_>) = std::mem::take(&mut tally.controls)
        .into_iter()
        .partition(|(id, _)| checklist.controls.iter().any(|c| c.id == *id));
    let not_in_checklist: Vec<String> = unknown.into_iter().map(|(id, _)| id).collect();
    let version = format!("{} {}", checklist.id, checklist.version);
    if known.is_empty() {
        let message = if reported == 0 && source == Source::SecurityHub {
            format!(
                "none of its {} findings is from a Security Hub control that checklist {version} maps to an FTR control ({})",
                tally.findings,
                hub_controls(checklist)
            )
        } else if reported == 0 {
            format!(
                "none of its {} findings names an FTR requirement",
                tally.findings
            )
        } else {
            format!(
                "none of the {reported} requirement ids it reports ({}) is a control of checklist {version}: it was made for another checklist or version",
                shorten(&not_in_checklist)
            )
        };
        let hint = match source {
            Source::SecurityHub => {
                "enable the CIS and AWS Foundational Security Best Practices standards with consolidated control findings, then export again"
            }
            _ => {
                "check the delivery model (ftr status), or scan again with the tool's current FTR mapping"
            }
        };
        return Err(Failure::plain(message, hint).located(path));
    }
    if !not_in_checklist.is_empty() {
        notes.push(format!(
            "not in checklist {version}, so kept out of the hints: {} (retired or from another version)",
            shorten(&not_in_checklist)
        ));
    }
    if tally.too_many_parts {
        notes.push(format!(
            "its results come in more than {PARTS_KEPT} parts (one per control, check, account and Region), too many to keep one by one: a later scan of the same accounts replaces it as a whole, not check by check"
        ));
    }
    if tally.unmapped > 0 {
        notes.push(format!(
            "{} finding{} named no FTR control and only counted",
            tally.unmapped,
            plural(tally.unmapped)
        ));
    }
    let absolute = evidence::absolute(path)?;
    debug_assert!(tally.accounts.len() <= PLACES_KEPT);
    Ok(Scan {
        source,
        checklist: checklist.id.clone(),
        file: evidence::stored_path(&absolute, &evidence::absolute(project_dir)?),
        sha256,
        size,
        scanned,
        imported: now,
        dated_by_file_time,
        accounts: tally.accounts.into_iter().collect(),
        more_accounts: tally.more_accounts,
        regions: tally.regions.into_iter().collect(),
        more_regions: tally.more_regions,
        not_in_checklist,
        unmapped: tally.unmapped,
        duplicates: tally.duplicates,
        controls: known.into_iter().collect(),
    })
}

/// The notes on what the tally left out or counted once: malformed ids, duplicates,
/// archived findings.
fn tally_notes(tally: &Tally, notes: &mut Vec<String>) {
    if !tally.bad_ids.is_empty() {
        let more = if tally.more_bad_ids > 0 {
            format!(" and {} more", tally.more_bad_ids)
        } else {
            String::new()
        };
        notes.push(format!(
            "requirement ids that are not control ids were left out: {}{more}",
            tally.bad_ids.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if tally.duplicates > 0 {
        notes.push(format!(
            "{} duplicate finding{} counted once",
            tally.duplicates,
            plural(tally.duplicates)
        ));
    }
    if tally.archived > 0 {
        notes.push(format!(
            "{} archived finding{} left out (Security Hub no longer reports them)",
            tally.archived,
            plural(tally.archived)
        ));
    }
}

fn hub_controls(checklist: &Checklist) -> String {
    let ids: BTreeSet<String> = hub_map(checklist).into_keys().collect();
    if ids.is_empty() {
        "it names none".into()
    } else {
        ids.into_iter().collect::<Vec<_>>().join(", ")
    }
}

fn shorten(ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(8).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if ids.len() > shown.len() {
        s.push_str(&format!(" and {} more", ids.len() - shown.len()));
    }
    s
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What `ftr import` was asked to do.
pub struct Request {
    pub files: Vec<PathBuf>,
    /// Attach each scan file as evidence to the controls it covers.
    pub attach: bool,
    /// Files to attach as the project's security tool reports (a Security Hub CIS CSV).
    pub security_reports: Vec<PathBuf>,
}

/// Runs `ftr import` on the project at `project_path`; returns the text to print.
pub fn run(
    request: &Request,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<String, Error> {
    let before = store::load(project_path, library)?;
    let Some(checklist) = edit::current_checklist(&before.project, library) else {
        return Err(Error::blocked(
            "no delivery model is chosen, so there is no checklist to match the scan to",
            "choose one first: ftr set model partner-hosted|customer-deployed|alternative",
        ));
    };
    let dir = before.dir();
    let now = clock.now();
    let mut reads = Vec::with_capacity(request.files.len());
    for file in &request.files {
        reads.push((file.clone(), read(file, checklist, now, &dir)?));
    }
    let mut reports = Vec::new();
    for file in &request.security_reports {
        reports.push(Evidence::attach(file, &dir, String::new(), None, now)?);
    }
    let checklist_id = checklist.id.clone();
    let today = clock.today();
    Loaded::update(project_path, library, |l: &mut Loaded| {
        if l.project.delivery.checklist != before.project.delivery.checklist {
            return Err(Error::Conflict {
                path: project_path.to_path_buf(),
            });
        }
        let mut out = String::new();
        for (file, read) in &reads {
            let fate = merge(&mut l.project, read.scan.clone());
            out.push_str(&describe(file, read, &fate, today));
            let kept = match &fate {
                Fate::Added(added) => Some(&added.scan),
                Fate::Same(kept) => Some(kept.as_ref()),
                Fate::Older { .. } => None,
            };
            if request.attach
                && let Some(scan) = kept
            {
                let n = attach(&mut l.project, &checklist_id, scan, &dir, now, &fate)?;
                out.push_str(&format!(
                    "  attached as evidence to {n} control{}\n",
                    plural(n as u64)
                ));
            }
        }
        for ev in &reports {
            out.push_str(&edit::attach_file(
                &mut l.project,
                Slot::SecurityReport,
                ev.clone(),
            ));
            out.push('\n');
        }
        out.push_str(
            "No status or response was changed. `ftr status` lists the hints; `ftr check` compares them with your answers.\n",
        );
        Ok(out)
    })
}

/// The label a scan file carries as evidence.
pub fn evidence_label(scan: &Scan) -> String {
    format!("{} scan", scan.source.describe())
}

/// Attaches the scan file once to each control it has a result for (not those it only lists
/// as manual); a scan it replaced is detached first where the import had attached it, from
/// every control, or from those it has no result for left when it was replaced in part.
/// Returns how many controls hold it.
fn attach(
    project: &mut Project,
    checklist: &str,
    scan: &Scan,
    dir: &Path,
    now: Timestamp,
    fate: &Fate,
) -> Result<usize, Error> {
    let ev = Evidence::attach(
        &resolve(&scan.file, dir),
        dir,
        evidence_label(scan),
        Some(scan.scanned.date()),
        now,
    )?;
    if ev.sha256 != scan.sha256 {
        return Err(Error::changed(
            format!(
                "{} changed while it was imported; nothing was changed",
                scan.file
            ),
            "wait until the tool has finished writing it, then import it again",
        ));
    }
    if let Fate::Added(added) = fate {
        let all: Vec<String> = project
            .answers
            .get(checklist)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let detach = added
            .replaced
            .iter()
            .map(|old| (old, &all))
            .chain(added.trimmed.iter().map(|t| (&t.scan, &t.dropped.emptied)));
        for (old, ids) in detach {
            let label = evidence_label(old);
            for id in ids {
                let Some(answer) = project
                    .answers
                    .get_mut(checklist)
                    .and_then(|m| m.get_mut(id))
                else {
                    continue;
                };
                answer
                    .evidence
                    .retain(|e| !(e.path == old.file && e.label == label));
                project.tidy(checklist, id);
            }
        }
    }
    let mut n = 0;
    for (id, r) in &scan.controls {
        if r.passed + r.failed + r.muted == 0 {
            continue;
        }
        let answer = project.answer_mut(checklist, id);
        match answer.evidence.iter_mut().find(|e| e.path == ev.path) {
            // The same file again: left as it was attached.
            Some(old) if old.sha256 == ev.sha256 && old.label == ev.label => {}
            Some(old) => *old = ev.clone(),
            None => answer.evidence.push(ev.clone()),
        }
        n += 1;
    }
    // One file, one fingerprint: any other copy of the scan file (a security report, another
    // control's) records it anew too.
    if n > 0 {
        edit::refresh_elsewhere(
            project,
            &edit::Citer::Control {
                checklist: checklist.to_string(),
                id: String::new(),
            },
            &ev,
        );
    }
    Ok(n)
}

fn resolve(stored: &str, dir: &Path) -> PathBuf {
    let p = Path::new(stored);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}

/// The lines `ftr import` prints for one file.
fn describe(file: &Path, read: &Imported, fate: &Fate, today: crate::dates::Date) -> String {
    let name = terminal(&file.display().to_string()).into_owned();
    let scan = match fate {
        Fate::Added(added) => &added.scan,
        Fate::Same(_) | Fate::Older { .. } => &read.scan,
    };
    let when = format!(
        "{} {}",
        short_date(scan.scanned.date(), today),
        scan.scanned.to_string().get(11..16).unwrap_or_default()
    );
    let coverage = scan.coverage();
    let mut out = format!(
        "{name}: {}, scanned {when} UTC{}{}\n",
        scan.source.describe(),
        if coverage.is_empty() { "" } else { ", " },
        terminal(&coverage)
    );
    out.push_str(&merge::changes(fate, scan.source.tool(), today));
    if !matches!(fate, Fate::Added(_)) {
        return out;
    }
    let failing = scan.controls.values().filter(|r| r.failed > 0).count();
    let passing = scan
        .controls
        .values()
        .filter(|r| r.failed == 0 && r.passed > 0)
        .count();
    let manual = scan
        .controls
        .values()
        .filter(|r| r.failed == 0 && r.passed == 0 && r.manual > 0)
        .count();
    let muted: u64 = scan.controls.values().map(|r| r.muted).sum();
    out.push_str(&format!(
        "  {} finding{} read; hints for {} control{}: {failing} failing, {passing} passing, {manual} manual only{}\n",
        read.findings,
        plural(read.findings),
        scan.controls.len(),
        plural(scan.controls.len() as u64),
        if muted > 0 {
            format!("; {muted} muted or suppressed counted apart")
        } else {
            String::new()
        }
    ));
    for id in scan
        .controls
        .iter()
        .filter(|(_, r)| r.failed > 0)
        .map(|(id, _)| id)
    {
        let hint = crate::assessment::scan::Hint {
            scan,
            result: &scan.controls[id],
        };
        out.push_str(&format!("    {id:<10} {}\n", terminal(&hint.line(today))));
    }
    for note in &read.notes {
        out.push_str(&format!("  note: {}\n", terminal(note)));
    }
    out
}
