//! manifest.json: what the bundle holds, with the size and SHA-256 of every other entry.
//!
//! Imports `view`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::view::Submission;
use crate::dates::Date;

#[derive(Serialize)]
pub(super) struct Manifest<'a> {
    format: &'static str,
    company: &'a str,
    product: &'a str,
    checklist: &'a str,
    version: &'a str,
    /// The checklist's control ids (the keys of `controls`) are this tool's own, not the
    /// checklist's; only written when they are.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    own_ids: bool,
    exported: String,
    ready: bool,
    draft: bool,
    /// Every other entry of the bundle (the manifest cannot list its own hash).
    pub(super) entries: Vec<ManifestEntry>,
    /// For each applicable control, the evidence entries it cites.
    controls: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize, Clone)]
pub(super) struct ManifestEntry {
    pub(super) name: String,
    pub(super) size: u64,
    pub(super) sha256: String,
}

impl<'a> Manifest<'a> {
    /// The manifest of `view`, its entries added as the bundle is written.
    pub(super) fn of(view: &'a Submission, exported: Date) -> Manifest<'a> {
        Manifest {
            format: "ftr-bundle/1",
            company: &view.project.profile.company,
            product: &view.project.profile.product,
            checklist: &view.checklist.id,
            version: &view.checklist.version,
            own_ids: view.checklist.own_ids,
            exported: exported.to_string(),
            ready: view.report.ready,
            draft: view.draft,
            entries: Vec::new(),
            controls: view.cites(),
        }
    }
}
