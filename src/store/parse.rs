//! Project text into a [`Project`], validated against the library, and the three-way merge of
//! project versions. The two are one piece: text that git left with conflict markers is read by
//! parsing both of its versions and merging them, and a merge is parsed back into a project.
//!
//! Layer: `store` (moved from `store` and `team`). May import: `assessment`, `content`, `dates`,
//! `error`, `fsio`, `merge`, `safe`, `util`.

use std::path::Path;

use crate::assessment::{Project, SCHEMA_VERSION};
use crate::content::Library;
use crate::error::{Error, Located, toml_error};
use crate::fsio::decode;
use crate::merge::{self, Conflict};

/// A project file's bytes as a project: what `load` does after reading. For tests and fuzzing.
pub fn parse_bytes(file: &str, bytes: &[u8], library: &Library) -> Result<Project, Error> {
    let text = decode(Path::new(file), bytes.to_vec())?;
    parse(file, &text, library)
}

/// Parses project text; `file` is the name shown in messages.
pub fn parse(file: &str, text: &str, library: &Library) -> Result<Project, Error> {
    readable_text(file, text)?;
    // A merge that stopped: say which controls conflict and how to go on, not a syntax error.
    if merge::has_markers(text) {
        return Err(markers_error(file, text, library));
    }
    not_newer(file, text)?;
    let mut project = deserialize(file, text)?;
    let at = |key: &str| crate::error::value_position(text, key);
    if project.schema_version == 0 {
        return Err(Error::invalid(Located {
            file: file.to_string(),
            line: at("schema_version"),
            field: Some("schema_version".into()),
            message: "schema_version must be 1 or more".into(),
            hint: format!("set schema_version = {SCHEMA_VERSION}"),
        }));
    }
    known_checklist(file, text, &mut project, library)?;
    // An unanswered control's table holds nothing: it marks the control's place in the file,
    // which the layout gives it again on saving.
    for answers in project.answers.values_mut() {
        answers.retain(|_, a| !a.is_empty());
    }
    project.answers.retain(|_, a| !a.is_empty());
    // An older layout is read as it is and written in this one on the next save; a project from
    // before the workbook rows records that move then too.
    let read = project.schema_version;
    let today = crate::dates::Clock::from_env()
        .unwrap_or_else(|_| crate::dates::Clock::system())
        .today();
    let checklist = library.checklist(&project.delivery.checklist);
    project.record_rows_schema(checklist, read, today);
    project.schema_version = SCHEMA_VERSION;
    Ok(project)
}

/// Text TOML can read at all: no NUL byte, no carriage return without a line feed.
fn readable_text(file: &str, text: &str) -> Result<(), Error> {
    if let Some(at) = text.find('\0') {
        let (line, column) = crate::error::line_col(text, at);
        return Err(Error::parse(Located {
            file: file.to_string(),
            line: Some((line, column)),
            field: None,
            message: "the file holds a NUL byte, so it is not a text project file".into(),
            hint: "restore it from git or a backup; nothing was changed".into(),
        }));
    }
    if let Some(at) = bare_carriage_return(text) {
        let (line, column) = crate::error::line_col(text, at);
        let message = if text.contains('\n') {
            "the line ends in a carriage return without a line feed (a classic Mac OS line end); TOML lines end in LF or CR LF"
        } else {
            "every line ends in a carriage return alone (classic Mac OS line ends); TOML lines end in LF or CR LF"
        };
        return Err(Error::parse(Located {
            file: file.to_string(),
            line: Some((line, column)),
            field: None,
            message: message.into(),
            hint: "save the file with LF (or CR LF) line ends: most editors have a line-ending setting; nothing was changed".into(),
        }));
    }
    Ok(())
}

/// The schema version first, so a newer file gets a clear word rather than a field error.
fn not_newer(file: &str, text: &str) -> Result<(), Error> {
    if let Ok(table) = text.parse::<toml::Table>()
        && let Some(v) = table
            .get("schema_version")
            .and_then(toml::Value::as_integer)
        && v > i64::from(SCHEMA_VERSION)
    {
        return Err(Error::invalid(Located {
            file: file.to_string(),
            line: crate::error::value_position(text, "schema_version"),
            field: Some("schema_version".into()),
            message: format!(
                "the file is schema version {v}; this ftr reads up to version {SCHEMA_VERSION}"
            ),
            hint: "update ftr to open it; nothing was changed".into(),
        }));
    }
    Ok(())
}

/// The project as TOML reads it, with a hint for the mistakes people make.
fn deserialize(file: &str, text: &str) -> Result<Project, Error> {
    toml::from_str(text).map_err(|e| {
        let mut err = toml_error(file, text, &e);
        if let Error::Parse(at) = &mut err {
            if at.message.contains("missing field `schema_version`") {
                at.line = None;
                at.hint = format!(
                    "a project file starts with schema_version = {SCHEMA_VERSION}; create one with `ftr new`"
                );
            } else if at.message.contains(crate::assessment::NOT_A_TABLE) {
                at.hint = "write it as a table, as the message shows, each value under its own name on its own line; values in an array are not read by position; nothing was changed".into();
            } else if at.message.contains(crate::assessment::evidence::NOT_A_SHA256) {
                at.hint = "restore the value from git or a backup, or attach the file again to record its fingerprint: ftr answer ID --evidence FILE; nothing was changed".into();
            }
        }
        err
    })
}

/// The checklist the file names, if any, is loaded and is for the file's model; the project
/// takes its layout.
fn known_checklist(
    file: &str,
    text: &str,
    project: &mut Project,
    library: &Library,
) -> Result<(), Error> {
    let at = |key: &str| crate::error::value_position(text, key);
    let d = &project.delivery;
    if d.checklist.is_empty() {
        return Ok(());
    }
    match library.checklist(&d.checklist) {
        None => {
            let known: Vec<&str> = library.checklists.iter().map(|c| c.id.as_str()).collect();
            Err(Error::invalid(Located {
                file: file.to_string(),
                line: at("delivery.checklist"),
                field: Some("delivery.checklist".into()),
                message: format!("unknown checklist `{}`", d.checklist),
                hint: format!(
                    "use one of {}, or load the content that has it with --content DIR; nothing was changed",
                    known.join(", ")
                ),
            }))
        }
        Some(c) if Some(c.model) != d.model => Err(Error::invalid(Located {
            file: file.to_string(),
            line: at("delivery.model").or_else(|| at("delivery.checklist")),
            field: Some("delivery.model".into()),
            message: format!(
                "checklist `{}` is for the {} model, but the file says {}",
                c.id,
                c.model,
                d.model.map_or("none".to_string(), |m| m.to_string())
            ),
            hint: format!("set model = \"{}\" or fix the checklist id", c.model),
        })),
        Some(c) => {
            project.layout = crate::assessment::Layout::of(c);
            Ok(())
        }
    }
}

/// Where `text` holds a carriage return that no line feed follows. TOML allows one nowhere (not
/// even in a string or a comment), so a file with one cannot load; saying so names the line.
fn bare_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|(i, _)| i)
}

/// The outcome of a three-way merge of projects.
#[derive(Debug, Clone)]
pub struct Merged {
    pub project: Project,
    /// Fields this merge found changed two ways (also in `project.conflicts`).
    pub fresh: Vec<Conflict>,
    /// Controls whose answer differs from the local version: what came from the other side.
    pub changed: Vec<String>,
}

/// The project as a TOML table, as it is written (minus the layout).
pub fn table_of(project: &Project) -> Result<toml::Table, Error> {
    // Through the text, so dates and times are TOML dates and times, as in the file.
    let text = toml::to_string(project).map_err(|e| internal(format!("{e}")))?;
    toml::from_str(&text).map_err(|e| internal(format!("{e}")))
}

/// The error for a project that could not be turned into a table and back while merging.
pub(crate) fn internal(message: String) -> Error {
    Error::invalid(Located {
        file: "project".into(),
        line: None,
        field: None,
        message: format!("could not merge the project: {message}"),
        hint: "nothing was changed".into(),
    })
}

/// Merges `ours` and `theirs`, both changed from `base` (unknown when `None`): changes to
/// different fields combine; a field changed two ways keeps our value and is listed in
/// `conflicts` with both. `file` names the result in messages.
pub fn merge_projects(
    file: &str,
    base: Option<&Project>,
    ours: &Project,
    theirs: &Project,
    library: &Library,
) -> Result<Merged, Error> {
    let base = base.map(table_of).transpose()?;
    let (table, fresh) = merge::merge_tables(base.as_ref(), &table_of(ours)?, &table_of(theirs)?);
    let text = toml::to_string(&table).map_err(|e| internal(format!("{e}")))?;
    let mut project = parse(file, &text, library)?;
    // A field found changed two ways again replaces what an earlier merge kept of it.
    project
        .conflicts
        .retain(|c| !fresh.iter().any(|f| f.at == c.at));
    project.conflicts.extend(fresh.iter().cloned());
    let changed = changed_controls(ours, &project);
    Ok(Merged {
        project,
        fresh,
        changed,
    })
}

/// The controls (as `ID`, or `CHECKLIST/ID` for another checklist) whose answers differ.
fn changed_controls(a: &Project, b: &Project) -> Vec<String> {
    let mut out = Vec::new();
    let lists: std::collections::BTreeSet<&String> =
        a.answers.keys().chain(b.answers.keys()).collect();
    for list in lists {
        let ids: std::collections::BTreeSet<&String> = a
            .answers
            .get(list)
            .into_iter()
            .chain(b.answers.get(list))
            .flat_map(|m| m.keys())
            .collect();
        for id in ids {
            let (x, y) = (a.answer(list, id), b.answer(list, id));
            if x != y {
                let name = if *list == a.delivery.checklist {
                    id.clone()
                } else {
                    format!("{list}/{id}")
                };
                let empty = crate::assessment::Answer::default();
                let fields = answer_fields(x.unwrap_or(&empty), y.unwrap_or(&empty));
                out.push(if fields.is_empty() {
                    name
                } else {
                    format!("{name} ({})", fields.join(", "))
                });
            }
        }
    }
    out
}

/// The fields of an answer that differ between `a` and `b`, in words: "status", "response",
/// "value rto", "rows", "evidence", "plan".
fn answer_fields(a: &crate::assessment::Answer, b: &crate::assessment::Answer) -> Vec<String> {
    let mut out: Vec<String> = [
        ("status", a.status != b.status),
        ("rows", a.rows != b.rows),
        ("response", a.response != b.response),
        ("reason", a.reason != b.reason),
        ("plan", a.remediation != b.remediation),
        ("notes", a.notes != b.notes),
        ("evidence", a.evidence != b.evidence),
        ("review mark", a.review != b.review),
    ]
    .into_iter()
    .filter(|(_, differs)| *differs)
    .map(|(word, _)| word.to_string())
    .collect();
    let keys: std::collections::BTreeSet<&String> =
        a.values.keys().chain(b.values.keys()).collect();
    out.extend(
        keys.into_iter()
            .filter(|k| a.values.get(*k) != b.values.get(*k))
            .map(|k| format!("value {k}")),
    );
    out
}

/// What differs between two versions of a project, in words: the controls whose answers
/// differ, then the parts of the file (profile, delivery, scoping, ...).
pub fn what_changed(before: &Project, after: &Project) -> Vec<String> {
    let mut out = changed_controls(before, after);
    let (Ok(b), Ok(a)) = (table_of(before), table_of(after)) else {
        return out;
    };
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        if key != "answers" && b.get(key) != a.get(key) {
            let word = match key.as_str() {
                "prerequisites" => "prerequisites".to_string(),
                "conflicts" => "merge conflicts".to_string(),
                "migrations" => "checklist version".to_string(),
                k => k.replace('_', " "),
            };
            if !out.contains(&word) {
                out.push(word);
            }
        }
    }
    out
}

/// The file that git left with conflict markers, merged again per field: both versions read
/// back from the markers, then merged as the merge driver does.
pub fn from_markers(file: &str, text: &str, library: &Library) -> Result<Merged, Error> {
    let Some(sides) = merge::split_markers(text) else {
        let line = text
            .lines()
            .position(|l| l.starts_with("<<<<<<<"))
            .map(|n| (n + 1, 1));
        return Err(Error::parse(Located {
            file: file.to_string(),
            line,
            field: None,
            message: "the file holds a git conflict marker (<<<<<<<) whose region does not close with ======= and >>>>>>>".into(),
            hint: "fix the markers in an editor, or take one side whole: git checkout --ours FILE (or --theirs); nothing was changed".into(),
        }));
    };
    let side = |name: &str, text: &str| {
        parse(&format!("{file} ({name})"), text, library).map_err(|e| {
            Error::parse(Located {
                file: file.to_string(),
                line: sides.regions.first().map(|r| (r.0, 1)),
                field: None,
                message: format!(
                    "the file holds git conflict markers, and its {name} version does not read as a project: {}",
                    e.headline()
                ),
                hint: "fix that version in an editor, or take one side whole: git checkout --ours FILE (or --theirs); nothing was changed".into(),
            })
        })
    };
    let ours = side(&label("ours", &sides.ours_label), &sides.ours)?;
    let theirs = side(&label("theirs", &sides.theirs_label), &sides.theirs)?;
    let base = sides.base.as_deref().map(|b| side("base", b)).transpose()?;
    merge_projects(file, base.as_ref(), &ours, &theirs, library)
}

fn label(side: &str, marker: &str) -> String {
    let marker = marker.trim();
    if marker.is_empty() {
        side.to_string()
    } else {
        format!("{side}, {marker}")
    }
}

/// The error for a file with conflict markers: which controls conflict, and how to resolve.
pub fn markers_error(file: &str, text: &str, library: &Library) -> Error {
    let regions = merge::split_markers(text)
        .map(|s| s.regions)
        .unwrap_or_default();
    let lines = regions
        .iter()
        .map(|(a, b)| format!("{a}-{b}"))
        .collect::<Vec<_>>()
        .join(", ");
    let merged = match from_markers(file, text, library) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let what = if merged.project.conflicts.is_empty() {
        "the two versions change different fields, so ftr can merge them".to_string()
    } else {
        format!(
            "both versions change {}",
            merge::conflict_names(&merged.project.conflicts)
        )
    };
    Error::invalid(Located {
        file: file.to_string(),
        line: regions.first().map(|r| (r.0, 1)),
        field: None,
        message: format!(
            "the file holds git conflict markers (lines {lines}) from a merge that stopped: {what}"
        ),
        hint: "run `ftr resolve` to merge it and pick a side for each field changed both ways, or open it in the wizard (`ftr`), which shows both; `ftr init-git` has git merge project files this way from now on; nothing was changed".into(),
    })
}
