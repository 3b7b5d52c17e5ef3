//! The `[[scoping]]` tables: questions whose answer switches controls off, each naming controls
//! of the same file.

use std::collections::HashSet;

use toml::Spanned;

use crate::content::{Control, Scoping};
use crate::error::Error;

use super::checker::{Checker, id_is_well_formed};
use super::format::RawScoping;

/// Every scoping question of the file, in its order.
pub(super) fn read_all(
    ck: &Checker,
    raw: Vec<RawScoping>,
    controls: &[Control],
) -> Result<Vec<Scoping>, Error> {
    let mut scoping = Vec::with_capacity(raw.len());
    let mut ids = HashSet::new();
    for s in raw {
        scoping.push(read_one(ck, s, controls, &mut ids)?);
    }
    Ok(scoping)
}

/// One question; `ids` holds the ids of the questions before it.
fn read_one(
    ck: &Checker,
    s: RawScoping,
    controls: &[Control],
    ids: &mut HashSet<String>,
) -> Result<Scoping, Error> {
    let id = s.id.get_ref().clone();
    if !id_is_well_formed(&id) || id.contains('.') {
        return ck.fail(
            s.id.span(),
            "scoping.id",
            format!("`{id}` is not a usable scoping id"),
            "use snake_case, e.g. stores_secrets",
        );
    }
    if !ids.insert(id.clone()) {
        return ck.fail(
            s.id.span(),
            "scoping.id",
            format!("scoping question `{id}` appears twice"),
            "each scoping id may appear once per checklist",
        );
    }
    ck.not_blank(&s.question, "question", &format!("scoping question {id}"))?;
    let off_when_no = resolve(ck, &id, controls, s.off_when_no, "off_when_no")?;
    let off_when_yes = resolve(ck, &id, controls, s.off_when_yes, "off_when_yes")?;
    if off_when_no.is_empty() && off_when_yes.is_empty() {
        return ck.fail(
            s.id.span(),
            "scoping",
            format!("scoping question {id} switches no control off"),
            "list the controls in off_when_no or off_when_yes",
        );
    }
    Ok(Scoping {
        id,
        question: s.question.into_inner(),
        help: s.help,
        off_when_no,
        off_when_yes,
    })
}

/// The controls a list of question `id` names (any letter case), as the checklist spells them.
fn resolve(
    ck: &Checker,
    id: &str,
    controls: &[Control],
    list: Vec<Spanned<String>>,
    field: &str,
) -> Result<Vec<String>, Error> {
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        match controls
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(r.get_ref()))
        {
            Some(c) => out.push(c.id.clone()),
            None => {
                return ck.fail(
                    r.span(),
                    field,
                    format!(
                        "scoping question {id} names control `{}`, which this checklist does not have",
                        r.get_ref()
                    ),
                    "fix the id, or add the control",
                );
            }
        }
    }
    Ok(out)
}
