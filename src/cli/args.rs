//! The command line as clap reads it: the subcommands, their options and help texts, the
//! parsers of typed values, and the tip for an option's value that starts with '-'.
//!
//! A leaf of `cli`: it imports nothing from the other command modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::assessment::Status;
use crate::content::Model;
use crate::dates::Date;

const AFTER_HELP: &str = "\
Exit codes: 0 done (check: ready), 1 check found blocking problems, 2 error (nothing changed).
Project: ./ftr-assessment.toml unless --project PATH is given.";

#[derive(Debug, Parser)]
#[command(
    name = "ftr",
    version,
    about = "Prepare an AWS Foundational Technical Review (FTR) submission",
    long_about = "Prepare an AWS Foundational Technical Review (FTR) submission: pick the checklist \
                  for your delivery model, answer every control with a response and evidence, \
                  and check what a reviewer would send back.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The project file (default: ./ftr-assessment.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub project: Option<PathBuf>,
    /// Load checklists from this folder instead of the built-in ones
    #[arg(long, global = true, value_name = "DIR", env = "FTR_CONTENT_DIR")]
    pub content: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new assessment file
    New(NewArgs),
    /// Open the wizard on a project
    Open {
        /// The project file
        path: PathBuf,
    },
    /// Record the answer to one control
    Answer(Box<AnswerArgs>),
    /// Set a profile, delivery model, scoping or prerequisite field, or attach the
    /// architecture diagram and the security tool reports
    Set(SetArgs),
    /// Show progress per domain and what is left
    Status {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Bring in what a scanner found (Prowler, Security Hub, Service Screener) as hints per
    /// control; never changes a status or a response
    #[command(after_help = "\
The format is recognised from the content: Prowler's FTR compliance CSV, Prowler's OCSF JSON,
Security Hub findings JSON (aws securityhub get-findings) and Service Screener's api-full.json
or FTR.html. Sub-items (IAM-002.1) count toward their control; ids the checklist lacks are
reported. A newer scan from the same tool and accounts replaces an older one.

Examples:
  ftr import output/compliance/prowler-output-123456789012-20261120101500_aws_foundational_technical_review_aws.csv
  ftr import output/prowler-output-123456789012-20261120101500.ocsf.json --attach
  aws securityhub get-findings --output json > findings.json && ftr import findings.json
  ftr import findings.json --security-report cis-prod-eu-west-1.csv
  ftr import aws/123456789012/api-full.json")]
    Import {
        /// Scan files to read
        #[arg(value_name = "FILE", required_unless_present = "security_report")]
        files: Vec<PathBuf>,
        /// Also attach each scan file as evidence to every control it covers
        #[arg(long)]
        attach: bool,
        /// Attach a file (a Security Hub CIS CSV) as a security tool report (repeatable)
        #[arg(long, value_name = "FILE")]
        security_report: Vec<PathBuf>,
    },
    /// List what a reviewer would send back; exit 0 ready, 1 not ready, 2 error
    Check {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Write the submission bundle and the upload folder; exit 1 if it refuses
    #[command(after_help = "\
The bundle holds SUMMARY.md, checklist.csv, every evidence file once under evidence/<control>/,
the project file, the upload files under upload/ and manifest.json (size and SHA-256 of every
entry). Beside it, the upload folder (ftr-upload/) holds the files to pick in the Partner
Central form: self-assessment.xlsx for the FTR Checklist slot. Both are written under
temporary names and renamed at the end, so a failed export leaves nothing behind.
With SOURCE_DATE_EPOCH set, the same project and evidence give a byte-identical zip.")]
    Export {
        /// The zip to write (default: ftr-submission.zip beside the project file)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Build even though the readiness check has errors; the summary says it is a draft
        #[arg(long)]
        allow_incomplete: bool,
        /// Build even though evidence looks like it holds secrets (after you checked)
        #[arg(long)]
        allow_secrets: bool,
        /// Show evidence paths under your home folder in full in SUMMARY.md (default: ~/…)
        #[arg(long)]
        full_paths: bool,
        /// Fill a copy of the self-assessment spreadsheet downloaded from AWS (.xlsx) instead
        /// of writing ftr's own
        #[arg(long, value_name = "PATH")]
        template: Option<PathBuf>,
        /// The upload folder's name, beside the bundle
        #[arg(long, value_name = "NAME", default_value = crate::export::upload::DEFAULT_DIR)]
        upload_dir: String,
    },
    /// List the checklists (built in and installed), add one, scaffold one, or diff two
    #[command(after_help = "\
A checklist is named ID@VERSION (partner-hosted@2026-08); the bare ID is the one in use.

When AWS releases a new version:
  ftr checklists scaffold --from partner-hosted --version 2026-08   # writes partner-hosted@2026-08.toml
  (edit what AWS changed: controls, scoping, dates)
  ftr checklists add partner-hosted@2026-08.toml                   # validates and installs it
  ftr checklists diff partner-hosted@2026-02 partner-hosted@2026-08
  ftr migrate --to partner-hosted@2026-08                          # moves a project's answers")]
    Checklists {
        #[command(subcommand)]
        action: Option<ChecklistsAction>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Move a project to another version of its checklist (previews first)
    #[command(after_help = "\
Answers to unchanged controls are carried; answers to reworded controls (a new title or
question, or a workbook row added or changed) are marked to review (a readiness error until
confirmed with `ftr answer ID --reviewed` or changed); answers to
removed controls stay in the file but leave the submission; new controls are left to answer.
The move is recorded in the project, and the file as it was is kept beside it
(ftr-assessment.toml.2026-02.bak). Without --yes it asks on a terminal, else only previews.")]
    Migrate {
        /// The version to move to, as ID@VERSION (or ID for the newest in use)
        #[arg(long, value_name = "ID@VERSION")]
        to: String,
        /// Move without asking
        #[arg(long)]
        yes: bool,
        /// Print the preview as JSON (with --yes, after moving)
        #[arg(long)]
        json: bool,
    },
    /// List the fields a merge changed two ways, and keep one side of each
    #[command(after_help = "\
A merge by `ftr merge-driver` keeps both values of a field changed two ways in the file; a
merge by plain git leaves conflict markers, which `ftr resolve` first merges per field (the
markers file is replaced by a valid project). Without --take it lists what is left.

Examples:
  ftr resolve                                 # list the conflicts; exit 1 while any is left
  ftr resolve IAM-001 --take theirs           # every conflict of IAM-001
  ftr resolve IAM-001.response --take ours    # one field
  ftr resolve --all --take ours
Then finish the merge in git: git add ftr-assessment.toml && git commit")]
    Resolve {
        /// Controls (IAM-001), fields (IAM-001.response, profile.company) or sections (scoping)
        #[arg(value_name = "FIELD")]
        fields: Vec<String>,
        /// The side to keep: ours (the branch merged into) or theirs (the branch merged in)
        #[arg(long, value_enum)]
        take: Option<crate::team::Side>,
        /// Every conflict (with --take)
        #[arg(long, requires = "take", conflicts_with = "fields")]
        all: bool,
    },
    /// Have git merge this project file per control and field (writes .gitattributes and
    /// the git config of this clone)
    #[command(
        name = "init-git",
        after_help = "\
Writes `<file> merge=ftr` into .gitattributes beside the project file (commit it), and sets
merge.ftr.name and merge.ftr.driver in this clone's .git/config. Git does not share its config:
each person runs `ftr init-git` once in their own clone."
    )]
    InitGit,
    /// Merge three versions of a project file, as the merge driver of git; exit 1 when a field was
    /// changed two ways (both values are kept in the file)
    #[command(
        name = "merge-driver",
        after_help = "\
Git runs it once `ftr init-git` has set it up:
  [merge \"ftr\"]
      name = ftr project file merge
      driver = ftr merge-driver %O %A %B %P
The result is written over OURS. Files that do not read as projects are merged line by line
(git merge-file) instead."
    )]
    MergeDriver {
        /// The common ancestor (git's %O)
        base: PathBuf,
        /// This branch's version, where the result is written (git's %A)
        ours: PathBuf,
        /// The other branch's version (git's %B)
        theirs: PathBuf,
        /// The file's name in the repository, for messages (git's %P)
        name: Option<String>,
    },
    /// Print the completion script for a shell
    #[command(after_help = "\
Install it where the shell looks, e.g.:
  bash:  ftr completions bash > ~/.local/share/bash-completion/completions/ftr
  zsh:   ftr completions zsh > ~/.zfunc/_ftr   (and fpath+=(~/.zfunc) before compinit)
  fish:  ftr completions fish > ~/.config/fish/completions/ftr.fish
  PowerShell, in $PROFILE:  ftr completions powershell | Out-String | Invoke-Expression
  elvish, in rc.elv:        eval (ftr completions elvish | slurp)")]
    Completions {
        /// bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command with --out
    #[command(after_help = "\
Examples:
  ftr man | man -l -
  ftr man > ~/.local/share/man/man1/ftr.1
  ftr man --out ~/.local/share/man/man1     # ftr.1, ftr-new.1, ftr-answer.1, ...")]
    Man {
        /// Write ftr.1 and ftr-COMMAND.1 for every command into this folder (created if missing)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

impl Command {
    /// The command reads or changes the project file.
    pub fn reads_project(&self) -> bool {
        matches!(
            self,
            Command::Answer(_)
                | Command::Set(_)
                | Command::Status { .. }
                | Command::Import { .. }
                | Command::Check { .. }
                | Command::Export { .. }
                | Command::Migrate { .. }
                | Command::Resolve { .. }
        )
    }
}

#[derive(Debug, Subcommand)]
pub enum ChecklistsAction {
    /// Validate a checklist file (or a folder of them) and install it for this user
    Add {
        /// A checklist file, or a folder of checklist files
        path: PathBuf,
        /// Replace an installed file of the same ID@VERSION
        #[arg(long)]
        replace: bool,
    },
    /// Write a copy of a checklist as a new version, to edit into AWS's next release
    Scaffold {
        /// The checklist to copy, ID or ID@VERSION
        #[arg(long, value_name = "ID[@VERSION]")]
        from: String,
        /// The new version, e.g. 2026-08
        #[arg(long, value_name = "VERSION")]
        version: String,
        /// Where to write it (default: ./ID@VERSION.toml); never overwrites
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// What changed between two versions: controls added, removed, reworded (title or
    /// question), moved; workbook rows, second domains, cadences, evidence, required values and
    /// their labels; scoping questions
    Diff {
        /// The earlier version, ID@VERSION
        from: String,
        /// The later version, ID@VERSION (or ID for the one in use)
        to: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Where to create it: a file, or a folder to hold ftr-assessment.toml
    pub path: Option<PathBuf>,
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long)]
    pub product: Option<String>,
    /// partner-hosted, customer-deployed or alternative
    #[arg(long, value_parser = parse_model)]
    pub model: Option<Model>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Keys: company, product, contact.name, contact.email, waiver, model, accept-past-window,
scoping.<id>, prereq.<id>, diagram, security-report, deployment-guide, alternative-report,
template, submitted, outcome, reviewed; and AWS's workbook's own questions: cis-report yes|no,
cis-version v5.0|v3.0, general-availability yes|no.
`ftr status` lists the scoping and prerequisite ids; a value of `unset` (or --clear) clears an answer.

`waiver yes` says the product is partner-hosted and you hold a current SOC 2 Type II report or a
WAFR from the last 12 months: the alternative path is for partner-hosted products only.
`accept-past-window yes` records that you go on using the loaded checklist after its last usable
day (for this version only; `ftr check` then warns instead of failing); `no` drops the choice.

Files for the upload form's other slots, fingerprinted like evidence:
  ftr set diagram docs/architecture.png        # the architecture diagram (PNG or JPEG); replaces
  ftr set security-report reports/cis-prod-eu-west-1.csv --produced 2026-11-20
                                               # adds a report; the same path again refreshes it
  ftr set security-report --clear reports/cis-prod-eu-west-1.csv   # detaches that one
  ftr set security-report --clear              # detaches every report (also: unset)
  ftr set diagram unset                        # detaches the diagram (also: --clear)
  ftr set deployment-guide docs/deploy.pdf     # customer-deployed: the guide, a file ...
  ftr set deployment-guide https://docs.example.com/deploy   # ... or its public address
  ftr set alternative-report reports/soc2-type2.pdf           # the alternative path's report
A file literally named `unset` is attached as ./unset.")]
pub struct SetArgs {
    /// e.g. model, company, scoping.stores_sensitive_data, prereq.ace_opportunities, diagram,
    /// security-report
    pub key: String,
    /// e.g. partner-hosted, "Acme Ltd", yes, 12; a FILE for diagram and security-report
    #[arg(required_unless_present = "clear")]
    pub value: Option<String>,
    /// Clear the key; for security-report every report, or only the FILE given
    #[arg(long)]
    pub clear: bool,
    /// diagram, security-report: when the file was produced, YYYY-MM-DD (a report's age counts
    /// from it, else from the day it is attached)
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with = "clear")]
    pub produced: Option<Date>,
    /// diagram, security-report: a label for the file
    #[arg(long, value_name = "TEXT", conflicts_with = "clear")]
    pub label: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  ftr answer IAM-001 --status met --response \"All staff sign in through Okta with MFA enforced.\" \\
      --evidence evidence/okta-mfa-policy.png --label \"Okta MFA policy\" --produced 2026-11-20
  ftr answer RCVP-001 --status na --reason \"We make no compliance claims.\"
  ftr answer BAR-002 --status not-met --plan \"Quarterly restore drill\" --owner Dana --due 2027-01-31
  ftr answer IAM-008 --remove-evidence evidence/old-audit.pdf
  ftr answer IAM-005 --status met --response=\"- Roles only; no long-lived keys.\"
  ftr answer RES-001 --status met --value rpo=1h --response \"Hourly snapshots of every database.\"
  ftr answer RES-004 --value last_test=2026-09-14

--label and --produced pair with the --evidence options in the order given.
--value gives a value the control asks for (`ftr status` lists them; built in: RES-001 rpo,
RES-002 rto, RES-004 last_test): a duration such as 15m, 4h, 1d or \"2 hours\", a date as
YYYY-MM-DD, a number, or an https:// address. It opens the response a reviewer reads, e.g.
\"Recovery point objective (RPO): 1 hour\". KEY= clears it.
A response (or any value) that starts with '-' is joined to its option with '=', as in
--response=-text, or read from a file with --response-file FILE; `-- -text` does not work
for an option's value.")]
pub struct AnswerArgs {
    /// The control id, e.g. IAM-001, or a row of AWS's workbook, e.g. HOST-001.1 (any letter
    /// case)
    pub id: String,
    /// The answer to a row of AWS's workbook, from the row's list: yes, no, n/a (also na),
    /// static, temporary, v5.0, v3.0 (any letter case); unset clears it
    #[arg(long, value_name = "CHOICE")]
    pub choice: Option<String>,
    /// met, not-met, na (not applicable) or unanswered
    #[arg(long, value_parser = parse_status)]
    pub status: Option<Status>,
    /// The response a reviewer reads
    #[arg(long, conflicts_with = "response_file")]
    pub response: Option<String>,
    /// Read the response from a file (- for standard input)
    #[arg(long, value_name = "FILE")]
    pub response_file: Option<PathBuf>,
    /// Why the control does not apply (with --status na)
    #[arg(long)]
    pub reason: Option<String>,
    /// Internal notes (kept out of the submission bundle)
    #[arg(long)]
    pub notes: Option<String>,
    /// Remediation plan: what will be done (with --status not-met)
    #[arg(long, value_name = "TEXT")]
    pub plan: Option<String>,
    /// Remediation plan: who owns it
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Remediation plan: due date, YYYY-MM-DD (or `none`)
    #[arg(long, value_name = "DATE", value_parser = parse_due)]
    pub due: Option<Due>,
    /// Attach an evidence file (repeatable); attaching it again refreshes its fingerprint
    #[arg(long, value_name = "FILE")]
    pub evidence: Vec<PathBuf>,
    /// A label for the matching --evidence (repeatable, in order)
    #[arg(long, value_name = "TEXT")]
    pub label: Vec<String>,
    /// When the matching --evidence was produced, YYYY-MM-DD (repeatable, in order)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub produced: Vec<Date>,
    /// Detach an evidence file (repeatable)
    #[arg(long, value_name = "FILE")]
    pub remove_evidence: Vec<String>,
    /// A value the control asks for, e.g. rpo=4h (repeatable; KEY= clears it)
    #[arg(long = "value", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub values: Vec<(String, String)>,
    /// Confirm the answer still holds after its control was reworded (a migration marks
    /// such answers to review; changing the status or response confirms too)
    #[arg(long)]
    pub reviewed: bool,
}

fn parse_model(s: &str) -> Result<Model, String> {
    Model::parse(s).ok_or_else(|| "use partner-hosted, customer-deployed or alternative".into())
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| "use met, not-met, na or unanswered".into())
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| "write the date as YYYY-MM-DD, e.g. 2026-12-31".into())
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err("write KEY=VALUE, e.g. rpo=4h (KEY= clears it)".into()),
    }
}

/// A due date, or `none` to clear it.
#[derive(Debug, Clone, Copy)]
pub struct Due(pub Option<Date>);

fn parse_due(s: &str) -> Result<Due, String> {
    if s.trim().eq_ignore_ascii_case("none") {
        Ok(Due(None))
    } else {
        parse_date(s).map(|d| Due(Some(d)))
    }
}

/// The command line as clap sees it, named as the binary is.
pub(super) fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command().name("ftr").bin_name("ftr")
}

/// clap answers `--response -x` with "to pass '-x' as a value, use '-- -x'", which does not work
/// for an option's value. Where the argument it rejects starts the value of an option that takes
/// one, the tip says to join them with `=` instead.
pub fn explain_parse_error(mut err: clap::Error, args: &[String]) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::UnknownArgument {
        return err;
    }
    let Some(ContextValue::String(invalid)) = err.get(ContextKind::InvalidArg) else {
        return err;
    };
    let mut cmd = command();
    cmd.build();
    let found = args.windows(2).find_map(|pair| {
        let name = pair[0].strip_prefix("--")?;
        let value = &pair[1];
        (value.starts_with('-') && value.starts_with(invalid.as_str()) && takes_value(&cmd, name))
            .then(|| (name.to_string(), value.clone()))
    });
    let Some((name, value)) = found else {
        return err;
    };
    let mut tips = vec![format!(
        "to give --{name} a value that starts with '-', join them with '=': {}",
        crate::safe::shell_word(&format!("--{name}={value}"))
    )];
    if name == "response" {
        tips.push("a response can also come from a file: --response-file FILE".into());
    }
    err.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(tips.into_iter().map(Into::into).collect()),
    );
    err
}

/// Whether `--name` is an option that takes a value, on `ftr` or any of its commands.
fn takes_value(cmd: &clap::Command, name: &str) -> bool {
    std::iter::once(cmd)
        .chain(cmd.get_subcommands())
        .flat_map(|c| c.get_arguments())
        .any(|a| a.get_long() == Some(name) && a.get_action().takes_values())
}
