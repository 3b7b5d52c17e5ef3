//! A workbook with some parts replaced, every other entry copied as it is stored
//! (compressed bytes, times and all).
//!
//! Imports `zipw` (the one zip writer) only.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::error::Error;
use crate::export::zipw::{DosTime, Method, ZipError, ZipOut};

/// The workbook `bytes` with the parts named in `parts` replaced, every other entry copied as
/// it is stored (compressed bytes, times and all); `what` names the file in an error.
pub fn replace_parts(bytes: &[u8], parts: &[(&str, &[u8])], what: &str) -> Result<Vec<u8>, Error> {
    let fail =
        |e: &dyn std::fmt::Display| Error::Unavailable(format!("could not write {what}: {e}"));
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let out = Cursor::new(Vec::with_capacity(bytes.len()));
    let mut out = ZipOut::new(out, DosTime::from_unix(0), 1);
    for i in 0..zip.len() {
        let mut entry = zip.by_index_raw(i).map_err(|e| fail(&e))?;
        let name = entry.name().map_err(|e| fail(&e))?.to_string();
        if let Some(t) = entry.last_modified() {
            out.set_time(DosTime {
                date: t.datepart(),
                time: t.timepart(),
            });
        }
        let replaced = parts.iter().find(|(n, _)| *n == name).map(|(_, d)| *d);
        let method = match entry.compression() {
            zip::CompressionMethod::Stored => Some(Method::Stored),
            zip::CompressionMethod::Deflated => Some(Method::Deflated),
            _ => None,
        };
        match (replaced, method) {
            (Some(data), _) => {
                drop(entry);
                out.add_bytes(&name, data)
                    .map_err(|e| fail(&zip_error(e)))?;
            }
            (None, Some(method)) => {
                let (crc, size) = (entry.crc32(), entry.size());
                let mut raw = Vec::new();
                entry.read_to_end(&mut raw).map_err(|e| fail(&e))?;
                out.add_raw(&name, method, (crc, size), &raw)
                    .map_err(|e| fail(&e))?;
            }
            (None, None) => {
                // Another compression method: taken out and deflated again.
                drop(entry);
                let mut data = Vec::new();
                let mut plain = zip.by_index(i).map_err(|e| fail(&e))?;
                plain.read_to_end(&mut data).map_err(|e| fail(&e))?;
                out.add_bytes(&name, &data)
                    .map_err(|e| fail(&zip_error(e)))?;
            }
        }
    }
    out.set_comment(zip.comment());
    Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
}

fn zip_error(e: ZipError) -> String {
    match e {
        ZipError::Io(e) => e.to_string(),
        ZipError::Cancelled => "cancelled".into(),
    }
}
