//! Progress per domain and overall: counts of controls by status.

use serde::Serialize;

use super::{Project, Status};
use crate::content::{Checklist, Domain};

/// Counts for one domain (or the whole checklist).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Every control of the checklist in this domain.
    pub total: usize,
    pub met: usize,
    pub not_met: usize,
    /// Marked not applicable by the user.
    pub not_applicable: usize,
    pub unanswered: usize,
    /// Switched off by a scoping answer: counted apart, never as answered.
    pub scoped_out: usize,
}

impl Counts {
    /// Counts one control: its status, or switched off by scoping.
    pub fn add(&mut self, status: Status, scoped_out: bool) {
        self.total += 1;
        if scoped_out {
            self.scoped_out += 1;
            return;
        }
        match status {
            Status::Met => self.met += 1,
            Status::NotMet => self.not_met += 1,
            Status::NotApplicable => self.not_applicable += 1,
            Status::Unanswered => self.unanswered += 1,
        }
    }

    /// Controls the user answered (met, not met or not applicable).
    pub fn answered(&self) -> usize {
        self.met + self.not_met + self.not_applicable
    }

    /// Controls that apply: all but those switched off by scoping.
    pub fn applicable(&self) -> usize {
        self.total - self.scoped_out
    }

    /// Share of the controls that apply answered, 0.0 to 1.0 (1.0 when none applies).
    pub fn ratio(&self) -> f64 {
        if self.applicable() == 0 {
            1.0
        } else {
            self.answered() as f64 / self.applicable() as f64
        }
    }

    pub fn percent(&self) -> u32 {
        (self.ratio() * 100.0).floor() as u32
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainProgress {
    pub domain: Domain,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub overall: Counts,
    pub domains: Vec<DomainProgress>,
}

/// Progress of `project` against `checklist`, by the control's primary domain.
pub fn progress(project: &Project, checklist: &Checklist) -> Progress {
    let mut overall = Counts::default();
    let mut domains: Vec<DomainProgress> = Domain::ALL
        .iter()
        .map(|&domain| DomainProgress {
            domain,
            counts: Counts::default(),
        })
        .collect();
    for control in &checklist.controls {
        let status = project.effective_status(checklist, control);
        let scoped = matches!(
            project.applicability(checklist, control),
            super::Applicability::ScopedOut { .. }
        );
        overall.add(status, scoped);
        if let Some(d) = domains.iter_mut().find(|d| d.domain == control.domain) {
            d.counts.add(status, scoped);
        }
    }
    domains.retain(|d| d.counts.total > 0);
    Progress { overall, domains }
}
