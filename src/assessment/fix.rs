//! What to do about a readiness finding, as a type: the words, the `ftr` commands they name in
//! passing, and the one command that does it, where one does.
//!
//! A command is a [`Command`], rendered to its command line in one place (its `Display`), with
//! each value quoted for a POSIX shell where it needs to be; the rules never write `ftr …`
//! themselves. The wizard reads the command to know what a fix is about.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::setting::Setting;
use crate::safe::{path_word, shell_word};

/// A value on a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A value to type as it is (`yes`, `partner-hosted`, `rpo=DURATION`), quoted for a shell
    /// where it needs to be.
    Word(String),
    /// A file, as the project file records its path: quoted for a shell, and written from `./`
    /// when it starts with `-`.
    Path(String),
    /// What the person fills in: `FILE`, `YYYY-MM-DD`, `N`, `ID`, `FILE|URL`, `...`.
    Blank(&'static str),
    /// The choices to pick one from, written as a list gives them: `yes|no` (a single choice is
    /// written alone).
    OneOf(Vec<String>),
}

impl Arg {
    /// `word` to type as it is.
    pub fn word(word: impl Into<String>) -> Arg {
        Arg::Word(word.into())
    }

    /// The value as the command line shows it.
    fn shown(&self) -> Cow<'_, str> {
        match self {
            Arg::Word(word) => shell_word(word),
            Arg::Path(path) => Cow::Owned(path_word(path)),
            Arg::Blank(blank) => Cow::Borrowed(blank),
            Arg::OneOf(choices) => Cow::Owned(choices.join("|")),
        }
    }
}

/// What `ftr answer` gives a control: one option, with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Give {
    /// `--status met|not-met|na ...`: a status, and what that status needs.
    Status,
    /// `--choice CHOICE`: the answer to a row of AWS's workbook.
    Choice(Arg),
    /// `--evidence FILE`, and `--produced YYYY-MM-DD` after it when `produced`.
    Evidence { file: Arg, produced: bool },
    /// `--remove-evidence FILE`.
    RemoveEvidence(Arg),
    /// `--response TEXT`.
    Response,
    /// `--reason TEXT`.
    Reason,
    /// `--plan TEXT --owner NAME --due YYYY-MM-DD`.
    Plan,
    /// `--reviewed`.
    Reviewed,
    /// `--value KEY=VALUE`.
    Value(Arg),
}

impl Give {
    /// The option and its values, as the command line shows them.
    fn shown(&self) -> Vec<Cow<'_, str>> {
        let fixed = |words: &[&'static str]| words.iter().map(|w| Cow::Borrowed(*w)).collect();
        match self {
            Give::Status => fixed(&["--status", "met|not-met|na", "..."]),
            Give::Choice(choice) => vec!["--choice".into(), choice.shown()],
            Give::Evidence { file, produced } => {
                let mut out = vec!["--evidence".into(), file.shown()];
                if *produced {
                    out.extend(["--produced".into(), "YYYY-MM-DD".into()]);
                }
                out
            }
            Give::RemoveEvidence(file) => vec!["--remove-evidence".into(), file.shown()],
            Give::Response => fixed(&["--response", "TEXT"]),
            Give::Reason => fixed(&["--reason", "TEXT"]),
            Give::Plan => fixed(&["--plan", "TEXT", "--owner", "NAME", "--due", "YYYY-MM-DD"]),
            Give::Reviewed => fixed(&["--reviewed"]),
            Give::Value(value) => vec!["--value".into(), value.shown()],
        }
    }
}

/// What `ftr set KEY` is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetTo {
    /// `KEY VALUE`.
    Value(Arg),
    /// `KEY FILE --produced YYYY-MM-DD`: a file, and the day it was produced.
    Produced(Arg),
    /// `KEY --clear FILE`: the file detached.
    Clear(Arg),
}

/// An `ftr` command a fix suggests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `ftr answer CONTROL …`: a control (or a row of AWS's workbook) and what it is given.
    Answer { control: Arg, give: Give },
    /// `ftr set KEY …`.
    Set { key: Setting, to: SetTo },
    /// `ftr resolve FIELD --take ours|theirs`.
    Resolve { field: String },
    /// `ftr import NEW_FILE`.
    Import,
    /// `ftr status`.
    Status,
    /// `ftr checklists`.
    Checklists,
    /// `ftr checklists add FILE`.
    ChecklistsAdd,
    /// `ftr checklists scaffold`, named in passing: its options are the person's to choose.
    ChecklistsScaffold,
    /// `ftr checklists diff FROM TO`.
    ChecklistsDiff { from: String, to: String },
    /// `ftr migrate --to ID@VERSION`; without `to`, the command named in passing.
    Migrate { to: Option<Arg> },
}

impl Command {
    /// `ftr answer CONTROL …`, for the control (or workbook row) `control`.
    pub fn answer(control: impl Into<String>, give: Give) -> Command {
        Command::Answer {
            control: Arg::Word(control.into()),
            give,
        }
    }

    /// `ftr set KEY VALUE`.
    pub fn set(key: Setting, value: Arg) -> Command {
        Command::Set {
            key,
            to: SetTo::Value(value),
        }
    }

    /// `ftr migrate --to ID`, the version left for the person to name.
    pub fn migrate_to_any() -> Command {
        Command::Migrate {
            to: Some(Arg::Blank("ID")),
        }
    }

    /// Whether the command line holds every value the command needs (placeholders count): a
    /// command named in passing (`ftr migrate`, `ftr checklists scaffold`) does not.
    pub fn is_complete(&self) -> bool {
        !matches!(
            self,
            Command::ChecklistsScaffold | Command::Migrate { to: None }
        )
    }

    /// The words after `ftr`, as the command line shows them.
    fn shown(&self) -> Vec<Cow<'_, str>> {
        let fixed = |words: &[&'static str]| words.iter().map(|w| Cow::Borrowed(*w)).collect();
        match self {
            Command::Answer { control, give } => {
                let mut out = vec!["answer".into(), control.shown()];
                out.extend(give.shown());
                out
            }
            Command::Set { key, to } => {
                let mut out = vec![
                    "set".into(),
                    Cow::Owned(shell_word(&key.key()).into_owned()),
                ];
                match to {
                    SetTo::Value(value) => out.push(value.shown()),
                    SetTo::Produced(file) => {
                        out.extend([file.shown(), "--produced".into(), "YYYY-MM-DD".into()]);
                    }
                    SetTo::Clear(file) => out.extend(["--clear".into(), file.shown()]),
                }
                out
            }
            Command::Resolve { field } => vec![
                "resolve".into(),
                shell_word(field),
                "--take".into(),
                "ours|theirs".into(),
            ],
            Command::Import => fixed(&["import", "NEW_FILE"]),
            Command::Status => fixed(&["status"]),
            Command::Checklists => fixed(&["checklists"]),
            Command::ChecklistsAdd => fixed(&["checklists", "add", "FILE"]),
            Command::ChecklistsScaffold => fixed(&["checklists", "scaffold"]),
            Command::ChecklistsDiff { from, to } => vec![
                "checklists".into(),
                "diff".into(),
                shell_word(from),
                shell_word(to),
            ],
            Command::Migrate { to } => {
                let mut out = vec!["migrate".into()];
                if let Some(to) = to {
                    out.extend(["--to".into(), to.shown()]);
                }
                out
            }
        }
    }
}

/// The command line: `ftr answer IAM-001 --response TEXT`.
impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ftr")?;
        for word in self.shown() {
            write!(f, " {word}")?;
        }
        Ok(())
    }
}

/// A piece of a fix's words: text, or a command named in passing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Command(Command),
}

/// What to do about a finding: words (which may name commands in passing), and the command
/// that does it, where one does. The words are printed as a sentence of their own, ending with
/// a full stop before the command, which is printed on its own line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    words: Vec<Piece>,
    command: Option<Command>,
}

impl Fix {
    /// A fix in words alone.
    pub fn say(words: impl Into<String>) -> Fix {
        Fix {
            words: vec![Piece::Text(words.into())],
            command: None,
        }
    }

    /// What to do in `words`, and the `command` that does it.
    pub fn run(words: impl Into<String>, command: Command) -> Fix {
        Fix::say(words).then(command)
    }

    /// The words followed by `words`.
    #[must_use]
    pub fn and(mut self, words: impl Into<String>) -> Fix {
        self.words.push(Piece::Text(words.into()));
        self
    }

    /// The words followed by `command`, named in passing.
    #[must_use]
    pub fn naming(mut self, command: Command) -> Fix {
        self.words.push(Piece::Command(command));
        self
    }

    /// The fix with `command` as the one that does it.
    #[must_use]
    pub fn then(mut self, command: Command) -> Fix {
        self.command = Some(command);
        self
    }

    /// The words, with the commands they name in passing.
    pub fn pieces(&self) -> &[Piece] {
        &self.words
    }

    /// The command that does it, if one does.
    pub fn command(&self) -> Option<&Command> {
        self.command.as_ref()
    }

    /// Every command the fix names: those in its words, then the one that does it.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.words
            .iter()
            .filter_map(|p| match p {
                Piece::Command(c) => Some(c),
                Piece::Text(_) => None,
            })
            .chain(self.command.as_ref())
    }

    /// The words as printed; a full stop ends them when a command follows.
    pub fn words(&self) -> String {
        let mut out = String::new();
        for piece in &self.words {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Command(command) => out.push_str(&command.to_string()),
            }
        }
        if self.command.is_some() {
            out.push('.');
        }
        out
    }

    /// The command line of the command that does it, if one does.
    pub fn command_line(&self) -> Option<String> {
        self.command.as_ref().map(Command::to_string)
    }
}

/// The words, as [`Fix::words`] gives them.
impl fmt::Display for Fix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words())
    }
}

/// Two fields, flattened into a finding's JSON: `fix`, the words, and `command`, the command
/// line, when there is one.
impl Serialize for Fix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let command = self.command_line();
        let mut out = serializer.serialize_struct("Fix", 1 + usize::from(command.is_some()))?;
        out.serialize_field("fix", &self.words())?;
        match &command {
            Some(line) => out.serialize_field("command", line)?,
            None => out.skip_field("command")?,
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::Slot;

    fn line(command: Command) -> String {
        command.to_string()
    }

    #[test]
    fn each_answer_option_renders_its_command_line() {
        let answer = |give| line(Command::answer("IAM-001", give));
        assert_eq!(
            answer(Give::Status),
            "ftr answer IAM-001 --status met|not-met|na ..."
        );
        assert_eq!(
            answer(Give::Choice(Arg::OneOf(vec!["yes".into(), "no".into()]))),
            "ftr answer IAM-001 --choice yes|no"
        );
        assert_eq!(
            answer(Give::Choice(Arg::OneOf(vec!["yes".into()]))),
            "ftr answer IAM-001 --choice yes"
        );
        assert_eq!(
            answer(Give::Choice(Arg::Blank("..."))),
            "ftr answer IAM-001 --choice ..."
        );
        assert_eq!(
            answer(Give::Evidence {
                file: Arg::Blank("FILE"),
                produced: false
            }),
            "ftr answer IAM-001 --evidence FILE"
        );
        assert_eq!(
            answer(Give::Evidence {
                file: Arg::Path("docs/audit v2.pdf".into()),
                produced: true
            }),
            "ftr answer IAM-001 --evidence 'docs/audit v2.pdf' --produced YYYY-MM-DD"
        );
        assert_eq!(
            answer(Give::RemoveEvidence(Arg::Path("-old.pdf".into()))),
            "ftr answer IAM-001 --remove-evidence ./-old.pdf"
        );
        assert_eq!(answer(Give::Response), "ftr answer IAM-001 --response TEXT");
        assert_eq!(answer(Give::Reason), "ftr answer IAM-001 --reason TEXT");
        assert_eq!(
            answer(Give::Plan),
            "ftr answer IAM-001 --plan TEXT --owner NAME --due YYYY-MM-DD"
        );
        assert_eq!(answer(Give::Reviewed), "ftr answer IAM-001 --reviewed");
        assert_eq!(
            answer(Give::Value(Arg::word("rpo=DURATION"))),
            "ftr answer IAM-001 --value rpo=DURATION"
        );
        assert_eq!(
            answer(Give::Value(Arg::word("odd key="))),
            "ftr answer IAM-001 --value 'odd key='"
        );
        assert_eq!(
            line(Command::Answer {
                control: Arg::Blank("ID"),
                give: Give::Evidence {
                    file: Arg::Blank("FILE"),
                    produced: true
                }
            }),
            "ftr answer ID --evidence FILE --produced YYYY-MM-DD"
        );
    }

    #[test]
    fn each_setting_renders_its_command_line() {
        let models = Arg::OneOf(
            crate::content::Model::ALL
                .iter()
                .map(|m| m.key().to_string())
                .collect(),
        );
        assert_eq!(
            line(Command::set(Setting::Model, models)),
            "ftr set model partner-hosted|customer-deployed|alternative"
        );
        assert_eq!(
            line(Command::set(Setting::AcceptPastWindow, Arg::word("no"))),
            "ftr set accept-past-window no"
        );
        assert_eq!(
            line(Command::set(Setting::Submitted, Arg::Blank("YYYY-MM-DD"))),
            "ftr set submitted YYYY-MM-DD"
        );
        assert_eq!(
            line(Command::set(
                Setting::Scoping("has_any_s3_bucket".into()),
                Arg::OneOf(vec!["yes".into(), "no".into()])
            )),
            "ftr set scoping.has_any_s3_bucket yes|no"
        );
        assert_eq!(
            line(Command::set(
                Setting::Prereq("ace_opportunities".into()),
                Arg::Blank("N")
            )),
            "ftr set prereq.ace_opportunities N"
        );
        assert_eq!(
            line(Command::set(
                Setting::Row("cis-version".into()),
                Arg::OneOf(vec!["v5.0".into(), "v3.0".into()])
            )),
            "ftr set cis-version v5.0|v3.0"
        );
        let slot = |to| Command::Set {
            key: Setting::Slot(Slot::SecurityReport),
            to,
        };
        let report = || Arg::Path("reports/cis prod.csv".into());
        assert_eq!(
            line(slot(SetTo::Value(report()))),
            "ftr set security-report 'reports/cis prod.csv'"
        );
        assert_eq!(
            line(slot(SetTo::Produced(report()))),
            "ftr set security-report 'reports/cis prod.csv' --produced YYYY-MM-DD"
        );
        assert_eq!(
            line(slot(SetTo::Clear(report()))),
            "ftr set security-report --clear 'reports/cis prod.csv'"
        );
        assert_eq!(
            line(Command::set(
                Setting::Slot(Slot::DeploymentGuide),
                Arg::Blank("FILE|URL")
            )),
            "ftr set deployment-guide FILE|URL"
        );
    }

    #[test]
    fn each_other_command_renders_its_command_line() {
        assert_eq!(
            line(Command::Resolve {
                field: "IAM-001".into()
            }),
            "ftr resolve IAM-001 --take ours|theirs"
        );
        assert_eq!(
            line(Command::Resolve {
                field: "profile.\"odd key\"".into()
            }),
            "ftr resolve 'profile.\"odd key\"' --take ours|theirs"
        );
        assert_eq!(line(Command::Import), "ftr import NEW_FILE");
        assert_eq!(line(Command::Status), "ftr status");
        assert_eq!(line(Command::Checklists), "ftr checklists");
        assert_eq!(line(Command::ChecklistsAdd), "ftr checklists add FILE");
        assert_eq!(line(Command::ChecklistsScaffold), "ftr checklists scaffold");
        assert_eq!(
            line(Command::ChecklistsDiff {
                from: "partner-hosted@2026-02".into(),
                to: "partner-hosted@2026-08".into()
            }),
            "ftr checklists diff partner-hosted@2026-02 partner-hosted@2026-08"
        );
        assert_eq!(line(Command::Migrate { to: None }), "ftr migrate");
        assert_eq!(line(Command::migrate_to_any()), "ftr migrate --to ID");
        assert_eq!(
            line(Command::Migrate {
                to: Some(Arg::word("partner-hosted@2026-08"))
            }),
            "ftr migrate --to partner-hosted@2026-08"
        );
        assert!(!Command::ChecklistsScaffold.is_complete());
        assert!(!Command::Migrate { to: None }.is_complete());
        assert!(Command::migrate_to_any().is_complete());
    }

    #[test]
    fn a_fix_prints_its_words_then_its_command() {
        let fix = Fix::run(
            "Say how you meet it",
            Command::answer("IAM-001", Give::Response),
        );
        assert_eq!(fix.words(), "Say how you meet it.");
        assert_eq!(fix.to_string(), "Say how you meet it.");
        assert_eq!(
            fix.command_line().as_deref(),
            Some("ftr answer IAM-001 --response TEXT")
        );
        let words = Fix::say("Fix its permissions so the export can read it.");
        assert_eq!(
            words.words(),
            "Fix its permissions so the export can read it."
        );
        assert_eq!(words.command_line(), None);
        assert_eq!(words.commands().count(), 0);
        // Commands named in passing are part of the words; the one that does it is not.
        let fix = Fix::say("Install it (")
            .naming(Command::ChecklistsAdd)
            .and(") and move to it (")
            .naming(Command::migrate_to_any())
            .and(")")
            .then(Command::set(Setting::AcceptPastWindow, Arg::word("no")));
        assert_eq!(
            fix.words(),
            "Install it (ftr checklists add FILE) and move to it (ftr migrate --to ID)."
        );
        assert_eq!(
            fix.command_line().as_deref(),
            Some("ftr set accept-past-window no")
        );
        assert_eq!(fix.commands().count(), 3);
    }

    #[test]
    fn a_fix_is_two_fields_of_json() {
        #[derive(serde::Serialize)]
        struct Holder {
            #[serde(flatten)]
            fix: Fix,
        }
        let with = Holder {
            fix: Fix::run(
                "Confirm it",
                Command::set(Setting::Model, Arg::word("alternative")),
            ),
        };
        assert_eq!(
            serde_json::to_string(&with).ok().as_deref(),
            Some(r#"{"fix":"Confirm it.","command":"ftr set model alternative"}"#)
        );
        let without = Holder {
            fix: Fix::say("Leave them be."),
        };
        assert_eq!(
            serde_json::to_string(&without).ok().as_deref(),
            Some(r#"{"fix":"Leave them be."}"#)
        );
    }
}
