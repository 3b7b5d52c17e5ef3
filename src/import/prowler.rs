//! Prowler's compliance CSV for the FTR framework.

use std::io::Read;

use super::tally::{Outcome, Row, Tally};
use super::{Failure, lenient_time};

/// The header Prowler writes for a generic compliance framework such as the FTR.
pub const HEADER: [&str; 21] = [
    "PROVIDER",
    "DESCRIPTION",
    "ACCOUNTID",
    "REGION",
    "ASSESSMENTDATE",
    "REQUIREMENTS_ID",
    "REQUIREMENTS_DESCRIPTION",
    "REQUIREMENTS_ATTRIBUTES_SECTION",
    "REQUIREMENTS_ATTRIBUTES_SUBSECTION",
    "REQUIREMENTS_ATTRIBUTES_SUBGROUP",
    "REQUIREMENTS_ATTRIBUTES_SERVICE",
    "REQUIREMENTS_ATTRIBUTES_TYPE",
    "STATUS",
    "STATUSEXTENDED",
    "RESOURCEID",
    "CHECKID",
    "MUTED",
    "RESOURCENAME",
    "FRAMEWORK",
    "NAME",
    "REQUIREMENTS_ATTRIBUTES_COMMENT",
];

/// The columns the importer needs, as Prowler names them; a file without one of them is refused
/// naming it. RESOURCEID (a failing resource), MUTED and FRAMEWORK (the framework a row is for)
/// are read when the file has them (Prowler's versions differ in which they write), and every
/// other column is left alone.
pub const NEEDED: [&str; 6] = [
    "ACCOUNTID",
    "REGION",
    "ASSESSMENTDATE",
    "REQUIREMENTS_ID",
    "STATUS",
    "CHECKID",
];

/// The FRAMEWORK column of the FTR's rows.
pub const FRAMEWORK: &str = "AWS-Foundational-Technical-Review";

/// What the first line of a text file says about it.
pub enum FirstLine {
    /// A Prowler compliance CSV's header, `;`-separated: it names at least three of the
    /// columns the importer needs, in any order.
    Prowler,
    /// Prowler's columns split by another character.
    WrongDelimiter(char),
    Unknown,
}

/// A header field as a column name: trimmed, unquoted, upper case.
fn column_name(field: &str) -> String {
    field.trim().trim_matches('"').trim().to_ascii_uppercase()
}

pub fn first_line(line: &str) -> FirstLine {
    let line = line.trim_end_matches(['\r', '\n']);
    let prowler = |sep: char| {
        let names: Vec<String> = line.split(sep).map(column_name).collect();
        NEEDED
            .iter()
            .filter(|n| names.iter().any(|c| c == *n))
            .count()
            >= 3
    };
    if prowler(';') {
        return FirstLine::Prowler;
    }
    for sep in [',', '\t', '|'] {
        if prowler(sep) {
            return FirstLine::WrongDelimiter(sep);
        }
    }
    FirstLine::Unknown
}

/// Where each column the importer reads is in the file's header.
struct Columns {
    account: usize,
    region: usize,
    date: usize,
    id: usize,
    status: usize,
    check: usize,
    resource: Option<usize>,
    muted: Option<usize>,
    framework: Option<usize>,
}

impl Columns {
    /// Finds the columns by name, in any order; the first of a name repeated counts. Refuses
    /// a header that lacks a column the importer needs, naming every one missing.
    fn find(header: &csv::StringRecord) -> Result<Columns, Failure> {
        let names: Vec<String> = header.iter().map(column_name).collect();
        let at = |name: &str| names.iter().position(|c| c == name);
        if names.len() == 1 && header.get(0).is_some_and(|h| h.contains(';')) {
            return Err(Failure::at_line(
                1,
                format!(
                    "the header has 1 field where Prowler writes {} (it may be quoted as one field)",
                    HEADER.len()
                ),
                "the file looks edited or saved back from a spreadsheet: export it again from Prowler, or save it with each column in a field of its own",
            ));
        }
        let missing: Vec<&str> = NEEDED.into_iter().filter(|n| at(n).is_none()).collect();
        if let [.., last] = missing[..] {
            let lacks = match &missing[..missing.len() - 1] {
                [] => format!("has no {last} column"),
                rest => format!("lacks the columns {} and {last}", rest.join(", ")),
            };
            return Err(Failure::at_line(
                1,
                format!(
                    "the header {lacks}, which ftr needs (it reads {} by name, in any order)",
                    NEEDED.join(", ")
                ),
                "export the FTR compliance CSV again from Prowler (prowler aws --compliance aws_foundational_technical_review_aws), or put the column back with its name as Prowler writes it",
            ));
        }
        let need = |name: &str| at(name).unwrap_or_default();
        Ok(Columns {
            account: need("ACCOUNTID"),
            region: need("REGION"),
            date: need("ASSESSMENTDATE"),
            id: need("REQUIREMENTS_ID"),
            status: need("STATUS"),
            check: need("CHECKID"),
            resource: at("RESOURCEID"),
            muted: at("MUTED"),
            framework: at("FRAMEWORK"),
        })
    }
}

/// Streams the rows into `tally`, a record at a time.
pub fn read_csv(input: impl Read, tally: &mut Tally, meter: &super::Meter) -> Result<(), Failure> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        // Every line end is LF by now, so splitting at LF keeps the line numbers in messages
        // right.
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(true)
        .flexible(false)
        .from_reader(LineEnds::new(input));
    let cols = Columns::find(reader.headers().map_err(csv_failure)?)?;
    let mut record = csv::StringRecord::new();
    loop {
        meter.reset();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_failure(e)),
        }
        // A row of empty fields, as a spreadsheet may leave at the end, holds no finding.
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        read_row(&record, &cols, tally)
            .map_err(|(message, hint)| Failure::at_line(line, message, hint))?;
    }
    Ok(())
}

/// Counts one row. Every row has the header's fields (the reader is not flexible), so each
/// column found in the header is one the row has.
fn read_row(
    record: &csv::StringRecord,
    cols: &Columns,
    tally: &mut Tally,
) -> Result<(), (String, &'static str)> {
    let field = |i: usize| record.get(i).unwrap_or_default();
    let optional = |i: Option<usize>| i.map_or("", field);
    let framework = optional(cols.framework).trim();
    if !framework.is_empty() && !framework.starts_with(FRAMEWORK) {
        return Err((
            format!(
                "the row is for framework `{}`, not the FTR ({FRAMEWORK})",
                crate::safe::terminal(framework)
            ),
            "export the FTR compliance file: prowler aws --compliance aws_foundational_technical_review_aws",
        ));
    }
    let (outcome, is_muted) = outcome(field(cols.status), optional(cols.muted)).map_err(|m| {
        (
            m,
            "the file looks edited or damaged: export it again from Prowler",
        )
    })?;
    let check = field(cols.check).trim();
    let manual = check == "manual";
    let res = optional(cols.resource).trim();
    let resources: &[&str] = if manual || res.is_empty() {
        &[]
    } else {
        &[res]
    };
    let date = field(cols.date);
    let row = Row {
        outcome,
        muted: is_muted,
        check,
        resources,
        account: field(cols.account).trim(),
        region: field(cols.region).trim(),
        time: lenient_time(date),
    };
    if row.time.is_none() {
        tally.unreadable_time("ASSESSMENTDATE", date);
    }
    tally.findings += 1;
    tally
        .add([field(cols.id)], &row)
        .map_err(|m| (m, "this is not an FTR scan"))
}

/// A row's outcome and whether it is muted, from its STATUS and MUTED columns.
fn outcome(status: &str, muted: &str) -> Result<(Outcome, bool), String> {
    let outcome = match status.trim().to_ascii_uppercase().as_str() {
        "PASS" => Outcome::Pass,
        "FAIL" => Outcome::Fail,
        "MANUAL" | "INFO" => Outcome::Manual,
        _ => {
            return Err(format!(
                "STATUS is `{}`; Prowler writes PASS, FAIL or MANUAL",
                crate::safe::terminal(status.trim())
            ));
        }
    };
    let muted = match muted.trim().to_ascii_lowercase().as_str() {
        "true" => true,
        "false" | "" => false,
        _ => {
            return Err(format!(
                "MUTED is `{}`; Prowler writes True or False",
                crate::safe::terminal(muted.trim())
            ));
        }
    };
    Ok((outcome, muted))
}

/// A reader that turns each line end, CRLF (Prowler's), LF or a lone CR (old Mac files),
/// into LF.
pub struct LineEnds<R> {
    inner: R,
    /// The last byte read was a CR, so an LF that follows belongs to it.
    after_cr: bool,
}

impl<R> LineEnds<R> {
    pub fn new(inner: R) -> LineEnds<R> {
        LineEnds {
            inner,
            after_cr: false,
        }
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            let mut kept = 0;
            for i in 0..n {
                let b = buf[i];
                let lf_of_crlf = self.after_cr && b == b'\n';
                self.after_cr = b == b'\r';
                if !lf_of_crlf {
                    buf[kept] = if b == b'\r' { b'\n' } else { b };
                    kept += 1;
                }
            }
            // Nothing kept of a read that was not the end (the LF of a CRLF split across two
            // reads): read on, as 0 would mean the end of the file.
            if kept > 0 || n == 0 {
                return Ok(kept);
            }
        }
    }
}

fn csv_failure(e: csv::Error) -> Failure {
    let line = e.position().map_or(0, |p| p.line() as usize);
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Failure::at_line(
            line,
            format!(
                "the row has {len} field{} where the header has {expected_len}",
                if *len == 1 { "" } else { "s" }
            ),
            "the file looks cut short or damaged: export it again from Prowler",
        ),
        csv::ErrorKind::Utf8 { .. } => Failure::at_line(
            line,
            "the row is not valid UTF-8 text".into(),
            "export the file again from Prowler; do not re-save it from a spreadsheet",
        ),
        csv::ErrorKind::Io(io) if super::Meter::is_oversized(io) => Failure::at_line(
            line,
            "a row runs past 64 MB: a quote that never closes, or not a Prowler file".into(),
            "export the file again from Prowler",
        ),
        csv::ErrorKind::Io(io) => Failure::plain(
            format!("could not be read: {io}"),
            "check the file is readable and try again",
        ),
        _ => Failure::at_line(
            line,
            format!("is not a readable CSV: {e}"),
            "export the file again from Prowler",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(input: &[u8], chunk: usize) -> Vec<u8> {
        /// Hands out `chunk` bytes at a time, to cut CRLFs in two.
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        LineEnds::new(Chunks(input, chunk))
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        assert!(matches!(
            first_line("\"STATUS\";\"Extra\";checkid;REQUIREMENTS_ID\r\n"),
            FirstLine::Prowler
        ));
        assert!(matches!(
            first_line("ACCOUNTID,REGION,STATUS"),
            FirstLine::WrongDelimiter(',')
        ));
        assert!(matches!(
            first_line("STATUS;NAME;DESCRIPTION"),
            FirstLine::Unknown
        ));
        let header = csv::StringRecord::from(vec![
            "Extra",
            "checkid",
            "STATUS",
            "REQUIREMENTS_ID",
            "ASSESSMENTDATE",
            "REGION",
            "ACCOUNTID",
            "MUTED",
        ]);
        let Ok(cols) = Columns::find(&header) else {
            panic!("all the needed columns are there");
        };
        assert_eq!((cols.check, cols.status, cols.account), (1, 2, 6));
        assert_eq!(
            (cols.muted, cols.resource, cols.framework),
            (Some(7), None, None)
        );
        let header = csv::StringRecord::from(vec!["STATUS", "CHECKID", "ASSESSMENTDATE"]);
        let Err(f) = Columns::find(&header) else {
            panic!("columns are missing");
        };
        assert!(
            f.message
                .contains("lacks the columns ACCOUNTID, REGION and REQUIREMENTS_ID"),
            "{}",
            f.message
        );
    }

    #[test]
    fn every_line_end_becomes_lf() {
        let input = b"a;b\r\nc\rd\ne\r\r\nf\r";
        for chunk in 1..=input.len() {
            assert_eq!(
                through(input, chunk),
                b"a;b\nc\nd\ne\n\nf\n",
                "chunk {chunk}"
            );
        }
    }
}
