//! Files attached to a project: to a control's evidence or to a slot of the upload form, one
//! fingerprint per file wherever it is attached, and the lines that say what changed.

use std::path::Path;

use super::evidence::human_size;
use super::{Evidence, Project, Slot};
use crate::dates::Date;
use crate::error::Error;

/// Where a file is attached: a control's evidence (of a checklist), or a slot of the upload
/// form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Citer {
    Control { checklist: String, id: String },
    Slot(Slot),
}

impl Citer {
    /// "IAM-002", "BAR-001 (customer-deployed answers)" for a control of a checklist other
    /// than `current`, "the architecture diagram", "a security tool report".
    /// IDs and checklist names come from the project file: escaped for a terminal.
    pub fn words(&self, current: Option<&str>) -> String {
        use crate::safe::terminal;
        match self {
            Citer::Control { checklist, id } if Some(checklist.as_str()) != current => {
                format!("{} ({} answers)", terminal(id), terminal(checklist))
            }
            Citer::Control { id, .. } => terminal(id).into_owned(),
            Citer::Slot(Slot::SecurityReport) => "a security tool report".into(),
            Citer::Slot(slot) => format!("the {}", slot.name()),
        }
    }
}

/// Every attachment in the project, with where it is: each control's evidence of every
/// checklist, then the upload slots.
pub fn attachments(project: &Project) -> Vec<(Citer, &Evidence)> {
    let mut out: Vec<(Citer, &Evidence)> = Vec::new();
    for (checklist, answers) in &project.answers {
        for (id, a) in answers {
            for e in &a.evidence {
                let at = Citer::Control {
                    checklist: checklist.clone(),
                    id: id.clone(),
                };
                out.push((at, e));
            }
        }
    }
    for slot in Slot::ALL {
        for e in slot.files(&project.profile) {
            out.push((Citer::Slot(slot), e));
        }
    }
    out
}

/// One file, one fingerprint: every other attachment of `new`'s file (but the one at `here`)
/// whose fingerprint differs records it anew, keeping its own label and date. An attachment
/// that already matches is left as it is, its attachment date too (its freshness counts from
/// that).
pub fn refresh_elsewhere(project: &mut Project, here: &Citer, new: &Evidence) {
    let renew = |ev: &mut Evidence| {
        if ev.path == new.path && ev.sha256 != new.sha256 {
            ev.sha256.clone_from(&new.sha256);
            ev.size = new.size;
            ev.attached = new.attached;
            ev.link_to.clone_from(&new.link_to);
            // A date given for the new content is the date of every copy of it.
            if new.produced.is_some() {
                ev.produced = new.produced;
            }
        }
    };
    for (checklist, answers) in project.answers.iter_mut() {
        for (id, a) in answers.iter_mut() {
            if matches!(here, Citer::Control { checklist: c, id: i } if c == checklist && i == id) {
                continue;
            }
            a.evidence.iter_mut().for_each(renew);
        }
    }
    for slot in Slot::ALL {
        if *here != Citer::Slot(slot) {
            slot.files_mut(&mut project.profile)
                .into_iter()
                .for_each(renew);
        }
    }
}

/// The other attachments of the file `ev` records whose fingerprint differs, in words
/// ("IAM-002", "the architecture diagram"; a control of a checklist other than `current` names
/// it): attaching `ev` at `here` records it anew for them.
pub fn cited_elsewhere(
    project: &Project,
    here: &Citer,
    current: Option<&str>,
    ev: &Evidence,
) -> Vec<String> {
    let mut seen: Vec<Citer> = Vec::new();
    for (at, e) in attachments(project) {
        if at != *here && e.path == ev.path && e.sha256 != ev.sha256 && !seen.contains(&at) {
            seen.push(at);
        }
    }
    seen.iter().map(|at| at.words(current)).collect()
}

/// Readies `ev` to be attached at `here`: where it gives no label or date, it takes those the
/// file carries already (see [`known_label`]). Returns the other attachments of the file the
/// attachment records anew, in words.
pub fn prepare_attachment(
    project: &Project,
    here: &Citer,
    current: Option<&str>,
    ev: &mut Evidence,
) -> Vec<String> {
    let (label, produced) = known_label(project, here, ev);
    if ev.label.is_empty() {
        ev.label = label;
    }
    if ev.produced.is_none() {
        ev.produced = produced;
    }
    cited_elsewhere(project, here, current, ev)
}

/// "IAM-002 and the architecture diagram", for a message.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The label the file at `ev.path` carries already (at `here` first, else the first other
/// attachment with one), and the date it was produced where an attachment holds the same
/// content; for an attachment that gives neither.
pub fn known_label(project: &Project, here: &Citer, ev: &Evidence) -> (String, Option<Date>) {
    let all = attachments(project);
    let same: Vec<&(Citer, &Evidence)> = all.iter().filter(|(_, e)| e.path == ev.path).collect();
    let first = |keep: &dyn Fn(&Evidence) -> bool| {
        same.iter()
            .filter(|(at, e)| at == here && keep(e))
            .chain(same.iter().filter(|(at, e)| at != here && keep(e)))
            .map(|(_, e)| *e)
            .next()
    };
    let label = first(&|e| !e.label.is_empty())
        .map(|e| e.label.clone())
        .unwrap_or_default();
    let produced =
        first(&|e| e.produced.is_some() && e.sha256 == ev.sha256).and_then(|e| e.produced);
    (label, produced)
}

/// How a path typed by the user is stored: relative to `project_dir` (absolute) when under it.
pub(super) fn stored_form(typed: &str, project_dir: &Path) -> String {
    super::evidence::absolute(Path::new(typed))
        .map(|abs| super::evidence::stored_path(&abs, project_dir))
        .unwrap_or_default()
}

/// Records a new fingerprint of a file attached before, keeping its label and date unless the
/// new attachment gives them.
pub(super) fn refresh(old: &mut Evidence, new: Evidence) {
    let label = if new.label.is_empty() {
        std::mem::take(&mut old.label)
    } else {
        new.label.clone()
    };
    let produced = new.produced.or(old.produced);
    *old = Evidence {
        label,
        produced,
        ..new
    };
}

/// "reports/cis.csv (12.0 KB, produced 2026-11-20)"
fn file_words(ev: &Evidence) -> String {
    let mut out = format!("{} ({}", ev.path, human_size(ev.size));
    if let Some(d) = ev.produced {
        out.push_str(&format!(", produced {d}"));
    }
    out.push(')');
    out
}

/// "; 2 reports attached" after a change to the reports; nothing for the diagram.
fn slot_count(project: &Project, slot: Slot) -> String {
    if slot.single() {
        return String::new();
    }
    let n = project.profile.security_reports.len();
    format!("; {n} report{} attached", if n == 1 { "" } else { "s" })
}

/// Attaches a fingerprinted file to a slot of the upload form: the diagram is replaced, a
/// report is added. A file already attached there under the same path gets the new
/// fingerprint (its label and date kept unless given anew), never a second entry. Returns a
/// line saying what changed.
pub fn attach_file(project: &mut Project, slot: Slot, new: Evidence) -> String {
    let path = new.path.clone();
    refresh_elsewhere(project, &Citer::Slot(slot), &new);
    // A guide is a file or an address, not both.
    if slot == Slot::DeploymentGuide {
        project.profile.deployment_guide_url.clear();
    }
    slot.put(&mut project.profile, new, refresh);
    let words = slot
        .files(&project.profile)
        .iter()
        .find(|e| e.path == path)
        .map(file_words)
        .unwrap_or(path);
    format!("{}: {words}{}", slot.key(), slot_count(project, slot))
}

/// Gives the deployment guide as the public `https://` address it is published at, replacing
/// a guide file. Returns a line saying what changed; an address that is no `https://` one is
/// refused and changes nothing.
pub fn set_guide_url(project: &mut Project, typed: &str) -> Result<String, Error> {
    let url = crate::content::ValueKind::Url
        .parse(typed)
        .map_err(|why| {
            Error::input(
                format!("`{typed}` is not an address for the deployment guide: {why}"),
                "give the public https:// address the guide is published at, or a FILE",
            )
        })?
        .canonical;
    if !url.starts_with("https://") {
        return Err(Error::input(
            format!("`{url}` is not an https:// address"),
            "a public guide is published at an https:// address; give that, or a FILE",
        ));
    }
    project.profile.deployment_guide = None;
    project.profile.deployment_guide_url = url.clone();
    Ok(format!("deployment-guide: {url}"))
}

/// Whether `typed`, given for the deployment guide, is an address rather than a file.
pub fn is_address(typed: &str) -> bool {
    typed.trim().contains("://")
}

/// Detaches every file of a slot. Returns a line saying what changed.
pub fn detach_all(project: &mut Project, slot: Slot) -> String {
    let n = slot.files(&project.profile).len();
    slot.retain(&mut project.profile, |_| false);
    if slot == Slot::DeploymentGuide {
        project.profile.deployment_guide_url.clear();
    }
    if n == 0 || slot.single() {
        format!("{}: none", slot.key())
    } else {
        format!(
            "{}: none ({n} report{} detached)",
            slot.key(),
            if n == 1 { "" } else { "s" }
        )
    }
}

/// Detaches the file of a slot named by `typed` (a path as typed, or as stored); the file
/// itself stays on disk. An unknown path is an error that lists what is attached.
pub fn detach_file(
    project: &mut Project,
    slot: Slot,
    typed: &str,
    project_dir: &Path,
) -> Result<String, Error> {
    let as_stored = stored_form(typed, &super::evidence::absolute(project_dir)?);
    let keep = |e: &Evidence| e.path != typed && e.path != as_stored;
    let files = slot.files(&project.profile);
    if files.iter().all(keep) {
        let attached: Vec<&str> = files.iter().map(|e| e.path.as_str()).collect();
        let hint = if attached.is_empty() {
            format!("no {} is attached", slot.name())
        } else {
            format!("attached: {}", attached.join(", "))
        };
        return Err(Error::input(
            format!("no {} `{typed}` is attached", slot.name()),
            hint,
        ));
    }
    slot.retain(&mut project.profile, keep);
    let left = if slot.single() {
        String::new()
    } else {
        let n = project.profile.security_reports.len();
        format!("; {n} report{} left", if n == 1 { "" } else { "s" })
    };
    Ok(format!("{}: detached {typed}{left}", slot.key()))
}

/// Changes the label or the produced date of a file attached to a slot (`None` leaves it).
pub fn set_file_meta(
    project: &mut Project,
    slot: Slot,
    path: &str,
    label: Option<String>,
    produced: Option<Option<Date>>,
) -> Result<(), Error> {
    let ev = slot
        .files_mut(&mut project.profile)
        .into_iter()
        .find(|e| e.path == path)
        .ok_or_else(|| {
            Error::input(
                format!("no {} `{path}` is attached", slot.name()),
                format!("attach it first: ftr set {} FILE", slot.key()),
            )
        })?;
    if let Some(l) = label {
        ev.label = l;
    }
    if let Some(d) = produced {
        ev.produced = d;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names_from_the_file_reach_a_terminal_escaped() {
        let at = Citer::Control {
            checklist: "other\u{202e}".into(),
            id: "IAM\u{1b}[2J".into(),
        };
        let words = at.words(Some("partner-hosted"));
        assert!(
            !words.contains('\u{1b}') && !words.contains('\u{202e}'),
            "{words:?}"
        );
        assert!(
            words.starts_with("IAM") && words.ends_with(" answers)"),
            "{words}"
        );
        let plain = Citer::Control {
            checklist: "partner-hosted".into(),
            id: "IAM-001".into(),
        };
        assert_eq!(plain.words(Some("partner-hosted")), "IAM-001");
    }
}
