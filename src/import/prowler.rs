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
        // Rows end in CRLF; splitting at LF alone keeps the line numbers in messages right (the
        // CR stays on the last column, which is not read).
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
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
        let outcome = match record[status].trim().to_ascii_uppercase().as_str() {
            "PASS" => Outcome::Pass,
            "FAIL" => Outcome::Fail,
            "MANUAL" | "INFO" => Outcome::Manual,
            _ => {
                return Err(at(
                    format!(
                        "STATUS is `{}`; Prowler writes PASS, FAIL or MANUAL",
                        crate::safe::terminal(record[status].trim())
                    ),
                    "the file looks edited or damaged: export it again from Prowler",
                ));
            }
        };
        let is_muted = match record[muted].trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" | "" => false,
            _ => {
                return Err(at(
                    format!(
                        "MUTED is `{}`; Prowler writes True or False",
                        crate::safe::terminal(record[muted].trim())
                    ),
                    "the file looks edited or damaged: export it again from Prowler",
                ));
            }
        };
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
        tally.findings += 1;
        tally
            .add([&record[id]], &row)
            .map_err(|m| at(m, "this is not an FTR scan"))?;
    }
    Ok(())
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
