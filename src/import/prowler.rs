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

/// The FRAMEWORK column of the FTR's rows.
pub const FRAMEWORK: &str = "AWS-Foundational-Technical-Review";

/// What the first line of a text file says about it.
pub enum FirstLine {
    /// The FTR compliance header, `;`-separated.
    Ftr,
    /// Prowler's columns split by another character.
    WrongDelimiter(char),
    /// A Prowler compliance CSV whose columns are another framework's.
    OtherFramework,
    Unknown,
}

pub fn first_line(line: &str) -> FirstLine {
    let line = line.trim_end_matches(['\r', '\n']);
    let names = |sep: char| -> Vec<String> {
        line.split(sep)
            .map(|f| f.trim().trim_matches('"').to_ascii_uppercase())
            .collect()
    };
    let ours = |cols: &[String]| {
        cols.len() == HEADER.len() && cols.iter().zip(HEADER).all(|(a, b)| a == b)
    };
    if ours(&names(';')) {
        return FirstLine::Ftr;
    }
    for sep in [',', '\t', '|'] {
        if ours(&names(sep)) {
            return FirstLine::WrongDelimiter(sep);
        }
    }
    let cols = names(';');
    if cols.first().is_some_and(|c| c == "PROVIDER")
        && cols.iter().any(|c| c == "REQUIREMENTS_ID")
        && cols.iter().any(|c| c == "STATUS")
    {
        return FirstLine::OtherFramework;
    }
    FirstLine::Unknown
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
    let col = |name: &str| {
        HEADER
            .iter()
            .position(|h| *h == name)
            .expect("known column")
    };
    let (account, region, date, id, status, resource, check, muted, framework) = (
        col("ACCOUNTID"),
        col("REGION"),
        col("ASSESSMENTDATE"),
        col("REQUIREMENTS_ID"),
        col("STATUS"),
        col("RESOURCEID"),
        col("CHECKID"),
        col("MUTED"),
        col("FRAMEWORK"),
    );
    // Every row has the header's fields (the reader is not flexible), so the header having all
    // of Prowler's makes every column read below one the row has.
    let fields = reader.headers().map_err(csv_failure)?.len();
    if fields != HEADER.len() {
        return Err(Failure::at_line(
            1,
            format!(
                "the header has {fields} field{} where Prowler writes {} (it may be quoted as one field)",
                if fields == 1 { "" } else { "s" },
                HEADER.len()
            ),
            "the file looks edited or saved back from a spreadsheet: export it again from Prowler",
        ));
    }
    let mut record = csv::StringRecord::new();
    loop {
        meter.reset();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_failure(e)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let at = |message: String, hint: &str| Failure::at_line(line, message, hint);
        if !record[framework].starts_with(FRAMEWORK) {
            return Err(at(
                format!(
                    "the row is for framework `{}`, not the FTR ({FRAMEWORK})",
                    crate::safe::terminal(&record[framework])
                ),
                "export the FTR compliance file: prowler aws --compliance aws_foundational_technical_review_aws",
            ));
        }
        let (outcome, is_muted) = outcome(&record[status], &record[muted]).map_err(|m| {
            at(
                m,
                "the file looks edited or damaged: export it again from Prowler",
            )
        })?;
        let manual = record[check].trim() == "manual";
        let res = record[resource].trim();
        let resources: &[&str] = if manual || res.is_empty() {
            &[]
        } else {
            &[res]
        };
        let row = Row {
            outcome,
            muted: is_muted,
            check: record[check].trim(),
            resources,
            account: record[account].trim(),
            region: record[region].trim(),
            time: lenient_time(&record[date]),
        };
        if row.time.is_none() {
            tally.unreadable_time("ASSESSMENTDATE", &record[date]);
        }
        tally.findings += 1;
        tally
            .add([&record[id]], &row)
            .map_err(|m| at(m, "this is not an FTR scan"))?;
    }
    Ok(())
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
