//! Counting a scan's findings per control as they stream past: memory is bounded however
//! large the file is (the fingerprints that spot duplicates are capped; beyond the cap a
//! repeated finding is counted again).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::assessment::scan::{
    ControlResult, FAILING_KEPT, PARTS_KEPT, PLACES_KEPT, Part, normalize_id,
};
use crate::dates::Timestamp;

/// Different requirement ids one scan may report; more is not an FTR scan.
pub const MAX_IDS: usize = 2000;
/// Fingerprints kept to spot duplicates and count failing resources once: about 9 bytes each
/// in the set, so at most some 10 MB (twice that while the set grows).
const MAX_SEEN: usize = 1_000_000;
/// Malformed requirement ids kept to report.
const BAD_IDS_KEPT: usize = 10;

/// What a tool says of one check on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Pass,
    Fail,
    /// The tool cannot decide: a person has to look.
    Manual,
}

/// One finding, as the readers hand it over.
pub struct Row<'a> {
    pub outcome: Outcome,
    /// Muted (Prowler) or suppressed (Security Hub).
    pub muted: bool,
    pub check: &'a str,
    pub resources: &'a [&'a str],
    pub account: &'a str,
    pub region: &'a str,
    pub time: Option<Timestamp>,
}

#[derive(Default)]
pub struct Tally {
    pub controls: BTreeMap<String, ControlResult>,
    /// The same results per control, check, account and Region, up to [`PARTS_KEPT`]; past
    /// it none are kept (`too_many_parts`).
    pub parts: BTreeMap<(String, String, String, String), Part>,
    pub too_many_parts: bool,
    pub accounts: BTreeSet<String>,
    pub more_accounts: u64,
    pub regions: BTreeSet<String>,
    pub more_regions: u64,
    pub scanned: Option<Timestamp>,
    /// Findings read, duplicates included.
    pub findings: u64,
    pub duplicates: u64,
    /// Findings that name no FTR control.
    pub unmapped: u64,
    /// Findings the tool itself retired (Security Hub's ARCHIVED): not counted.
    pub archived: u64,
    /// Requirement ids not shaped like a control id, as written.
    pub bad_ids: BTreeSet<String>,
    pub more_bad_ids: u64,
    /// Times after this are no scan time but a wrong clock: kept apart in `future`.
    pub latest_ok: Option<Timestamp>,
    pub future: Option<Timestamp>,
    /// Records whose time was written but could not be read, and the first of them (the
    /// field's name and its text) for the message.
    pub bad_times: u64,
    pub bad_time: Option<String>,
    seen: HashSet<u64>,
}

fn fingerprint(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

impl Tally {
    /// True the first time `key` is seen (and always once the memory budget is spent).
    fn first(&mut self, key: u64) -> bool {
        if self.seen.len() >= MAX_SEEN {
            return !self.seen.contains(&key);
        }
        self.seen.insert(key)
    }

    /// Counts a record whose time `text`, in `field`, is written but cannot be read.
    pub fn unreadable_time(&mut self, field: &str, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.bad_times += 1;
        if self.bad_time.is_none() {
            let shown: String = crate::safe::terminal(text).chars().take(40).collect();
            self.bad_time = Some(format!("{field} `{shown}`"));
        }
    }

    /// Notes the time, account and Region of a finding that counts toward no control.
    pub fn note(&mut self, account: &str, region: &str, time: Option<Timestamp>) {
        if let Some(t) = time {
            if self.latest_ok.is_some_and(|limit| t > limit) {
                self.future = Some(self.future.map_or(t, |f| f.max(t)));
            } else {
                self.scanned = Some(self.scanned.map_or(t, |s| s.max(t)));
            }
        }
        if valid_place(account) && !self.accounts.contains(account) {
            if self.accounts.len() < PLACES_KEPT {
                self.accounts.insert(account.to_string());
            } else if self.first(fingerprint(("account", account))) {
                self.more_accounts += 1;
            }
        }
        if valid_place(region) && !self.regions.contains(region) {
            if self.regions.len() < PLACES_KEPT {
                self.regions.insert(region.to_string());
            } else if self.first(fingerprint(("region", region))) {
                self.more_regions += 1;
            }
        }
    }

    /// Counts `row` under each requirement id in `ids` (as the tool spells them). Returns an
    /// error message when the file reports more ids than an FTR checklist could have.
    pub fn add<'i>(
        &mut self,
        ids: impl IntoIterator<Item = &'i str>,
        row: &Row,
    ) -> Result<(), String> {
        self.note(row.account, row.region, row.time);
        for raw in ids {
            let Some(id) = normalize_id(raw) else {
                let raw = raw.trim();
                // Each distinct id once, however it is spelt in the message.
                if !raw.is_empty() && self.first(fingerprint(("bad id", raw))) {
                    if self.bad_ids.len() < BAD_IDS_KEPT {
                        self.bad_ids
                            .insert(crate::safe::terminal(raw).chars().take(40).collect());
                    } else {
                        self.more_bad_ids += 1;
                    }
                }
                continue;
            };
            let key = fingerprint((
                &id,
                row.check,
                row.resources,
                row.account,
                row.region,
                row.outcome,
                row.muted,
            ));
            if !self.first(key) {
                self.duplicates += 1;
                continue;
            }
            if !self.controls.contains_key(&id) && self.controls.len() >= MAX_IDS {
                return Err(format!(
                    "it reports more than {MAX_IDS} different requirement ids, which no FTR checklist has"
                ));
            }
            let failing: Vec<&str> = if row.outcome == Outcome::Fail && !row.muted {
                row.resources
                    .iter()
                    .copied()
                    .filter(|r| !r.trim().is_empty())
                    .filter(|r| self.first(fingerprint(("failing", &id, *r))))
                    .collect()
            } else {
                Vec::new()
            };
            self.add_part(&id, row);
            let result = self.controls.entry(id).or_default();
            if row.muted {
                result.muted += 1;
            } else {
                match row.outcome {
                    Outcome::Pass => result.passed += 1,
                    Outcome::Fail => result.failed += 1,
                    Outcome::Manual => result.manual += 1,
                }
            }
            for r in failing {
                if result.failing.len() < FAILING_KEPT {
                    result.failing.push(r.chars().take(400).collect());
                } else {
                    result.more_failing += 1;
                }
            }
        }
        Ok(())
    }

    /// Counts `row`, already known to be no duplicate, in its part of control `id`: its check,
    /// account and Region.
    fn add_part(&mut self, id: &str, row: &Row) {
        if self.too_many_parts {
            return;
        }
        let place = |t: &str| {
            if valid_place(t) {
                t.trim().to_string()
            } else {
                String::new()
            }
        };
        let check: String = row.check.trim().chars().take(200).collect();
        let check = if check.chars().any(char::is_control) {
            String::new()
        } else {
            check
        };
        let key = (id.to_string(), check, place(row.account), place(row.region));
        if !self.parts.contains_key(&key) && self.parts.len() >= PARTS_KEPT {
            self.too_many_parts = true;
            self.parts.clear();
            return;
        }
        let failing: Vec<&str> = if row.outcome == Outcome::Fail && !row.muted {
            row.resources
                .iter()
                .copied()
                .filter(|r| !r.trim().is_empty())
                .filter(|r| self.first(fingerprint(("failing part", &key, *r))))
                .collect()
        } else {
            Vec::new()
        };
        let part = self
            .parts
            .entry(key)
            .or_insert_with_key(|(_, c, a, r)| Part {
                check: c.clone(),
                account: a.clone(),
                region: r.clone(),
                ..Part::default()
            });
        if row.muted {
            part.muted += 1;
        } else {
            match row.outcome {
                Outcome::Pass => part.passed += 1,
                Outcome::Fail => part.failed += 1,
                Outcome::Manual => part.manual += 1,
            }
        }
        for r in failing {
            if part.failing.len() < FAILING_KEPT {
                part.failing.push(r.chars().take(400).collect());
            } else {
                part.more_failing += 1;
            }
        }
    }

    /// Hands each control its parts (none when there were more than [`PARTS_KEPT`]); a part
    /// with no account takes the scan's, when it covered one: Service Screener names it only
    /// in its folder, and Prowler writes none on its manual rows.
    pub fn place_parts(&mut self) {
        let account = match (self.accounts.len(), self.more_accounts) {
            (1, 0) => self.accounts.first().cloned(),
            _ => None,
        };
        let mut placed: BTreeMap<(String, crate::assessment::scan::Cell), Part> = BTreeMap::new();
        for ((id, ..), mut part) in std::mem::take(&mut self.parts) {
            if part.account.is_empty()
                && let Some(a) = &account
            {
                part.account.clone_from(a);
            }
            match placed.entry((id, part.cell())) {
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(part);
                }
                std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().absorb(part),
            }
        }
        for ((id, _), part) in placed {
            if let Some(result) = self.controls.get_mut(&id) {
                result.parts.push(part);
            }
        }
    }
}

/// An account id or Region worth recording: present, short and printable.
fn valid_place(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.len() <= 64 && !t.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(outcome: Outcome, resources: &'a [&'a str]) -> Row<'a> {
        Row {
            outcome,
            muted: false,
            check: "iam_user_mfa_enabled_console_access",
            resources,
            account: "123456789012",
            region: "us-east-1",
            time: None,
        }
    }

    #[test]
    fn duplicates_count_once_and_failing_resources_are_capped() {
        let mut t = Tally::default();
        let alice = ["arn:aws:iam::123456789012:user/alice"];
        t.add(["IAM-001"], &row(Outcome::Fail, &alice)).unwrap();
        t.add(["IAM-001"], &row(Outcome::Fail, &alice)).unwrap();
        assert_eq!(t.duplicates, 1);
        for i in 0..15 {
            let arn = format!("arn:aws:iam::123456789012:user/u{i}");
            t.add(["IAM-0001"], &row(Outcome::Fail, &[arn.as_str()]))
                .unwrap();
        }
        let r = &t.controls["IAM-001"];
        assert_eq!(r.failed, 16);
        assert_eq!(r.failing.len(), FAILING_KEPT);
        assert_eq!(r.more_failing, 16 - FAILING_KEPT as u64);
        assert_eq!(t.accounts.len(), 1);
    }

    #[test]
    fn too_many_ids_is_refused() {
        let mut t = Tally::default();
        let mut err = None;
        for i in 0..=MAX_IDS {
            if let Err(e) = t.add([format!("X-{i}").as_str()], &row(Outcome::Pass, &[])) {
                err = Some(e);
            }
        }
        assert!(err.is_some());
    }
}
