//! The checklist file format as written on disk (`format.rs`), and its validation into
//! [`crate::content::Checklist`]: the header (`header.rs`), the controls (`controls.rs`), the
//! scoping questions (`scoping.rs`) and the workbook rows (`rows.rs`), each with its validators,
//! in that order; the first problem found is the error.

mod checker;
mod controls;
mod format;
mod header;
mod rows;
mod scoping;

use std::collections::HashSet;

use crate::content::{Checklist, Prerequisite, PrerequisiteKind};
use crate::error::{Error, toml_error};
use checker::{Checker, id_is_well_formed};
use format::{File, PrereqFile};
use rows::RowSpans;

/// Reads and validates one checklist file; `file` names it in messages.
pub(crate) fn parse_checklist(file: &str, text: &str) -> Result<Checklist, Error> {
    let raw: File = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let ck = Checker { file, text };
    let header = raw.checklist;
    header::names(&ck, &header)?;
    let mut spans = RowSpans::default();
    let controls = controls::read_all(&ck, raw.control, &mut spans)?;
    let scoping = scoping::read_all(&ck, raw.scoping, &controls)?;
    let sheet_rows = rows::read_sheet_rows(&ck, raw.sheet_row, &mut spans)?;
    rows::check_rows(&ck, &controls, &sheet_rows, &scoping, &spans)?;
    let life = header::life(&ck, &header)?;
    let notice = header::notice(&ck, &header)?;
    let scan_freshness_days = header::scan_freshness_days(&ck, &header)?;
    Ok(Checklist {
        id: header.id.into_inner(),
        name: header.name,
        model: header.model,
        version: header.version.into_inner(),
        released: life.released,
        usable_until: life.usable_until,
        supersedes: life.supersedes,
        previous_accepted_until: life.previous_accepted_until,
        last_verified: life.last_verified,
        own_ids: header.own_ids,
        summary: header.summary,
        sources: header.sources,
        scan_freshness_days,
        scoping,
        controls,
        sheet_rows,
        notice,
        origin: file.to_string(),
    })
}

/// Reads and validates the prerequisites file; `file` names it in messages.
pub(super) fn parse_prerequisites(file: &str, text: &str) -> Result<Vec<Prerequisite>, Error> {
    let raw: PrereqFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let ck = Checker { file, text };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raw.prerequisite.len());
    for p in raw.prerequisite {
        let id = p.id.get_ref().clone();
        if !id_is_well_formed(&id) || id.contains('.') {
            return ck.fail(
                p.id.span(),
                "prerequisite.id",
                format!("`{id}` is not a usable prerequisite id"),
                "use snake_case, e.g. ace_terms",
            );
        }
        if !seen.insert(id.clone()) {
            return ck.fail(
                p.id.span(),
                "prerequisite.id",
                format!("prerequisite `{id}` appears twice"),
                "each prerequisite id may appear once",
            );
        }
        ck.not_blank(&p.guidance, "guidance", &format!("prerequisite {id}"))?;
        if p.kind == PrerequisiteKind::Count && p.minimum.is_none() {
            return ck.fail(
                p.id.span(),
                "minimum",
                format!("prerequisite {id} is a count but has no `minimum`"),
                "add minimum = N, the count that passes",
            );
        }
        out.push(Prerequisite {
            id,
            title: p.title,
            question: p.question,
            kind: p.kind,
            minimum: p.minimum,
            confirmed: p.confirmed,
            guidance: p.guidance.into_inner(),
        });
    }
    Ok(out)
}
