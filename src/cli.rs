//! The command line: subcommands, their options, and what each prints.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::assessment::edit::{self, AnswerChange};
use crate::assessment::progress::progress;
use crate::assessment::readiness::{self, Report};
use crate::assessment::{Evidence, Project, Slot, Status};
use crate::content::{Library, Model};
use crate::dates::{Clock, Date};
use crate::error::Error;
use crate::safe::terminal;
use crate::store::{self, DEFAULT_FILE, Loaded};

/// Exit codes, as documented in the README.
pub mod exit {
    /// Done; for `ftr check`, the assessment is ready.
    pub const OK: u8 = 0;
    /// `ftr check` ran and found what a reviewer would send back.
    pub const NOT_READY: u8 = 1;
    /// Bad input, an unreadable or invalid file, or a failed write: nothing was changed.
    pub const ERROR: u8 = 2;
}

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
Answers to unchanged controls are carried; answers to reworded controls are marked to review
(a readiness error until confirmed with `ftr answer ID --reviewed` or changed); answers to
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
    /// What changed between two versions: controls added, removed, reworded, renamed, moved,
    /// scoping questions, cadences and required values
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

/// What a command produced: text for stdout and the exit code.
pub struct Outcome {
    pub stdout: String,
    pub code: u8,
}

impl Outcome {
    fn ok(stdout: String) -> Outcome {
        Outcome {
            stdout,
            code: exit::OK,
        }
    }
}

/// Runs one command line.
pub fn run(cli: Cli) -> Result<Outcome, Error> {
    // These describe the command line itself: no checklists or project needed.
    match cli.command {
        Some(Command::Completions { shell }) => return Ok(Outcome::ok(completions(shell)?)),
        Some(Command::Man { out: None }) => return Ok(Outcome::ok(man_page()?)),
        Some(Command::Man { out: Some(dir) }) => return man_pages(&dir),
        _ => {}
    }
    let clock = Clock::from_env()?;
    let mut library = Library::load(cli.global.content.as_deref())?;
    library.add_installed(clock.today())?;
    for problem in &library.problems {
        eprintln!("ftr: warning: {}", crate::safe::lines(problem));
    }
    let project_path = cli
        .global
        .project
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FILE));
    match cli.command {
        None => {
            crate::tui::require_terminal()?;
            let here = cli.global.project.clone().or_else(|| {
                let p = PathBuf::from(DEFAULT_FILE);
                p.exists().then_some(p)
            });
            crate::tui::run(library, here.as_deref(), clock)?;
            Ok(Outcome::ok(String::new()))
        }
        Some(Command::Open { path }) => {
            crate::tui::require_terminal()?;
            // A file git left with conflict markers opens too: the wizard merges it.
            store::load_resolving(&path, &library)?;
            crate::tui::run(library, Some(&path), clock)?;
            Ok(Outcome::ok(String::new()))
        }
        Some(Command::New(args)) => new(args, cli.global.project, &library),
        Some(Command::Answer(args)) => answer(*args, &project_path, &library, &clock),
        Some(Command::Set(args)) => set(args, &project_path, &library, &clock),
        Some(Command::Import {
            files,
            attach,
            security_report,
        }) => {
            let request = crate::import::Request {
                files,
                attach,
                security_reports: security_report,
            };
            Ok(Outcome::ok(crate::import::run(
                &request,
                &project_path,
                &library,
                &clock,
            )?))
        }
        Some(Command::Status { json }) => {
            let loaded = store::load(&project_path, &library)?;
            status(&loaded, &library, json, clock.today())
        }
        Some(Command::Check { json }) => {
            let loaded = store::load(&project_path, &library)?;
            let report = readiness::check(&loaded.project, &library, &loaded.dir(), clock.today());
            let checklist = edit::current_checklist(&loaded.project, &library);
            let stdout = if json {
                let mut value = serde_json::to_value(&report)
                    .map_err(|e| Error::Unavailable(format!("could not write JSON: {e}")))?;
                if let (Some(map), Some(c)) = (value.as_object_mut(), checklist) {
                    map.insert(
                        "scans".into(),
                        loaded.project.scans.iter().map(scan_json).collect(),
                    );
                    map.insert(
                        "hints".into(),
                        hints_json(&loaded.project, c, clock.today()),
                    );
                    map.insert(
                        "sheet".into(),
                        crate::assessment::grade::predict(&loaded.project, c)
                            .map_or(serde_json::Value::Null, |p| p.json()),
                    );
                }
                to_json(&value)?
            } else {
                let mut text = check_text(&report);
                if let Some(c) = checklist {
                    text.push_str(&hints_text(&loaded.project, c, clock.today()));
                    if let Some(p) = crate::assessment::grade::predict(&loaded.project, c) {
                        text.push_str(&format!("{}.\n", terminal(&p.words(8))));
                    }
                }
                text
            };
            Ok(Outcome {
                stdout,
                code: if report.ready {
                    exit::OK
                } else {
                    exit::NOT_READY
                },
            })
        }
        Some(Command::Export {
            out,
            allow_incomplete,
            allow_secrets,
            full_paths,
            template,
            upload_dir,
        }) => {
            let loaded = store::load(&project_path, &library)?;
            let out = out.unwrap_or_else(|| loaded.dir().join(crate::export::DEFAULT_NAME));
            let mut opts = crate::export::Options::new(out);
            opts.allow_incomplete = allow_incomplete;
            opts.allow_secrets = allow_secrets;
            opts.full_paths = full_paths;
            opts.template = template;
            opts.upload_dir = upload_dir;
            opts.source_date_epoch = clock.source_date_epoch;
            // The day `ftr check` judges on, so both count the same findings.
            opts.today = Some(clock.today());
            let done = crate::export::export(&loaded, &library, clock.now(), &opts, &mut |_| true)?;
            Ok(Outcome::ok(export_text(&done)))
        }
        Some(Command::Checklists { action: None, json }) => {
            checklists(&library, json, clock.today())
        }
        Some(Command::Checklists {
            action: Some(action),
            ..
        }) => checklists_action(action, &library),
        Some(Command::Migrate { to, yes, json }) => {
            migrate(&to, yes, json, &project_path, &library, &clock)
        }
        Some(Command::Resolve { fields, take, all }) => {
            resolve(&project_path, &fields, take, all, &library)
        }
        Some(Command::InitGit) => init_git(&project_path),
        Some(Command::MergeDriver {
            base,
            ours,
            theirs,
            name,
        }) => {
            let report =
                crate::team::merge_driver(&base, &ours, &theirs, name.as_deref(), &library)?;
            eprintln!("{}", report.message);
            Ok(Outcome {
                stdout: String::new(),
                code: report.code,
            })
        }
        Some(Command::Completions { .. } | Command::Man { .. }) => {
            unreachable!("handled before the checklists are loaded")
        }
    }
}

/// The command line as clap sees it, named as the binary is.
fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command().name("ftr").bin_name("ftr")
}

fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| Error::Unavailable(format!("could not write {what}: {e}")))
}

fn completions(shell: clap_complete::Shell) -> Result<String, Error> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command(), "ftr", &mut out);
    utf8(out, "the completion script")
}

/// The top-level page; `ftr help` is left out, as `ftr COMMAND --help` says the same.
fn man_command() -> clap::Command {
    let mut cmd = command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The footer of every page: `ftr 0.1.0`, also on the pages of subcommands.
fn man_source() -> String {
    format!("ftr {}", env!("CARGO_PKG_VERSION"))
}

fn man_page() -> Result<String, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(man_command())
        .source(man_source())
        .render(&mut out)
        .map_err(|e| Error::Unavailable(format!("could not write the manual page: {e}")))?;
    utf8(out, "the manual page")
}

/// Writes `ftr.1` and `ftr-COMMAND.1` for every visible subcommand into `dir`.
fn man_pages(dir: &Path) -> Result<Outcome, Error> {
    let io = |path: &Path, action| {
        let path = path.to_path_buf();
        move |source| Error::Io {
            path,
            action,
            source,
        }
    };
    std::fs::create_dir_all(dir).map_err(io(dir, "create the folder"))?;
    let cmd = man_command();
    let pages = std::iter::once(cmd.clone())
        .chain(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    let source = man_source();
    let mut out = String::new();
    for page in pages {
        let man = clap_mangen::Man::new(page).source(source.clone());
        let path = dir.join(man.get_filename());
        man.generate_to(dir).map_err(io(&path, "write"))?;
        out.push_str(&format!("Wrote {}\n", shown(&path)));
    }
    Ok(Outcome::ok(out))
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

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string_pretty(value)
        .map(|s| crate::safe::json(&s).into_owned() + "\n")
        .map_err(|e| Error::Unavailable(format!("could not write JSON: {e}")))
}

fn new(
    args: NewArgs,
    global_project: Option<PathBuf>,
    library: &Library,
) -> Result<Outcome, Error> {
    let path = match args.path.or(global_project) {
        Some(p) if p.is_dir() => p.join(DEFAULT_FILE),
        Some(p) => p,
        None => PathBuf::from(DEFAULT_FILE),
    };
    if path.exists() {
        return Err(Error::usage(
            format!("{} already exists; nothing was changed", shown(&path)),
            "open it with `ftr status --project PATH`, or choose another path",
        ));
    }
    let dir = store::project_dir(&path);
    if !dir.is_dir() {
        return Err(Error::usage(
            format!("folder {} does not exist", shown(&dir)),
            "create the folder first, or choose another path",
        ));
    }
    let mut project = Project::new();
    project.profile.company = args.company.unwrap_or_default();
    project.profile.product = args.product.unwrap_or_default();
    let mut lines = vec![format!("Created {}", shown(&path))];
    if let Some(model) = args.model {
        let checklist = edit::checklist_for(library, model)?;
        project.choose_model(checklist, true);
        lines.push(format!(
            "Checklist: {} {} ({} controls)",
            terminal(&checklist.name),
            terminal(&checklist.version),
            checklist.controls.len()
        ));
    } else {
        lines.push(
            "Next: choose the delivery model: ftr set model partner-hosted|customer-deployed|alternative"
                .into(),
        );
    }
    let mut loaded = Loaded::create(&path, project);
    loaded.save()?;
    let _ = store::recent::touch(&path);
    Ok(Outcome::ok(lines.join("\n") + "\n"))
}

fn answer(
    args: AnswerArgs,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    if args.label.len() > args.evidence.len() || args.produced.len() > args.evidence.len() {
        return Err(Error::usage(
            "more --label or --produced options than --evidence files",
            "each --label and --produced belongs to the --evidence given in the same position",
        ));
    }
    let response = match &args.response_file {
        Some(p) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Error::Io {
                    path: p.clone(),
                    action: "read the response from standard input",
                    source: e,
                })?;
            Some(s.trim_end().to_string())
        }
        Some(p) => Some(
            store::read_text_as(p, store::TextKind::Response)?
                .trim_end()
                .to_string(),
        ),
        None => args.response.clone(),
    };
    let dir = store::project_dir(project_path);
    // Fingerprint files before taking the lock: hashing large evidence can take a while.
    let mut evidence = Vec::with_capacity(args.evidence.len());
    for (i, file) in args.evidence.iter().enumerate() {
        let label = args.label.get(i).cloned().unwrap_or_default();
        let produced = args.produced.get(i).copied();
        evidence.push(Evidence::attach(file, &dir, label, produced, clock.now())?);
    }
    let change = AnswerChange {
        status: args.status,
        response,
        reason: args.reason,
        notes: args.notes,
        plan_what: args.plan,
        plan_owner: args.owner,
        plan_due: args.due.map(|d| d.0),
        add_evidence: evidence,
        remove_evidence: args.remove_evidence,
        values: args.values,
        reviewed: args.reviewed,
    };
    let summary = Loaded::update(project_path, library, |loaded| {
        let checklist = edit::current_checklist(&loaded.project, library).ok_or_else(|| {
            Error::usage(
                "the project has no delivery model yet, so no checklist to answer",
                "choose one first: ftr set model partner-hosted|customer-deployed|alternative",
            )
        })?;
        let row = match (&args.choice, checklist.row(&args.id)) {
            (Some(_), _) => Some(edit::row_for_choice(checklist, &args.id)?),
            (None, row) => row,
        };
        let control = match row {
            Some(r) => checklist.row_owner(&r.id).ok_or_else(|| {
                Error::usage(
                    format!("{} is a row of the workbook itself, not of a control", r.id),
                    format!("answer it with: ftr set {} {}", r.id, r.choices.join("|")),
                )
            })?,
            None => edit::find_control(checklist, &args.id)?,
        };
        let id = control.id.clone();
        let mut rows_out = String::new();
        if let (Some(row), Some(choice)) = (row, &args.choice) {
            let line = edit::answer_row(&mut loaded.project, checklist, row, choice)?;
            // The first line; the control's status follows with its rows below.
            if let Some(first) = line.lines().next() {
                rows_out = format!("{}\n", terminal(first));
            }
        }
        let dir = loaded.dir();
        let mut change = change;
        let mut also = String::new();
        let here = edit::Citer::Control {
            checklist: checklist.id.clone(),
            id: id.clone(),
        };
        let mut noted: Vec<String> = Vec::new();
        for ev in change.add_evidence.iter_mut() {
            let others = edit::prepare_attachment(&loaded.project, &here, Some(&checklist.id), ev);
            if !noted.contains(&ev.path) {
                also.push_str(&renewed_note(ev, &others));
                noted.push(ev.path.clone());
            }
        }
        edit::apply_answer(&mut loaded.project, checklist, &id, change, &dir)?;
        let mut out = rows_out;
        out.push_str(&describe_answer(&loaded.project, checklist, &id));
        out.push_str(&also);
        if let crate::assessment::Applicability::ScopedOut { reason, .. } =
            loaded.project.applicability(checklist, control)
        {
            out.push_str(&if control.rows.is_empty() {
                format!(
                    "note: {id} is switched off by scoping ({}); the answer is kept but not submitted.\n",
                    terminal(&reason)
                )
            } else {
                format!(
                    "note: {id} is switched off by scoping ({}); its rows still go into AWS's sheet, the rest of the answer is kept but not submitted.\n",
                    terminal(&reason)
                )
            });
        }
        Ok(out)
    })?;
    Ok(Outcome::ok(summary))
}

/// "note: policy.pdf is cited by IAM-002 and the architecture diagram too; recorded anew there
/// as well." for an attachment that refreshes others; nothing when it refreshes none.
fn renewed_note(ev: &Evidence, others: &[String]) -> String {
    if others.is_empty() {
        return String::new();
    }
    format!(
        "note: {} is cited by {} too; recorded anew there as well.\n",
        terminal(&ev.path),
        edit::and_list(others)
    )
}

/// Remembers (or forgets) the self-assessment template the export fills, after checking it
/// is a workbook it can fill.
fn set_template(args: SetArgs, project_path: &Path, library: &Library) -> Result<Outcome, Error> {
    let dir = store::project_dir(project_path);
    let value = args.value.unwrap_or_default();
    let stored = if args.clear || matches!(value.trim(), "" | "unset") {
        String::new()
    } else {
        let file = PathBuf::from(&value);
        let template = crate::export::template::Template::open(&file)?;
        let project = store::load(project_path, library)?.project;
        if let Some(checklist) = edit::current_checklist(&project, library) {
            template.check_checklist(checklist)?;
        }
        crate::assessment::evidence::stored_path(
            &crate::assessment::evidence::absolute(&file)?,
            &crate::assessment::evidence::absolute(&dir)?,
        )
    };
    Loaded::update(project_path, library, |l| {
        l.project.profile.template = stored.clone();
        Ok(())
    })?;
    Ok(Outcome::ok(if stored.is_empty() {
        "template: none (the export writes ftr's own sheet)\n".into()
    } else {
        format!("template: {}\n", terminal(&stored))
    }))
}

fn set(
    args: SetArgs,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    let with_file = args.produced.is_some() || args.label.is_some();
    let unset = |v: &str| matches!(v.trim(), "unset" | "");
    let Some(slot) = Slot::from_key(&args.key) else {
        if with_file {
            return Err(Error::usage(
                format!(
                    "--produced and --label go with a file, not with `{}`",
                    args.key
                ),
                "use them with ftr set diagram FILE or ftr set security-report FILE",
            ));
        }
        if args.key == "template" {
            return set_template(args, project_path, library);
        }
        let value = match (args.clear, args.value) {
            (true, None) if args.key == "model" => {
                return Err(Error::usage(
                    "the delivery model cannot be cleared: it decides the checklist",
                    "choose another: ftr set model partner-hosted|customer-deployed|alternative",
                ));
            }
            (false, Some(v)) => v,
            (true, None) => String::new(),
            (true, Some(v)) => {
                return Err(Error::usage(
                    format!(
                        "--clear takes no value for `{}`, yet `{v}` was given",
                        args.key
                    ),
                    format!("run ftr set {} --clear alone", args.key),
                ));
            }
            (false, None) => unreachable!("clap asks for a value unless --clear is given"),
        };
        let line = Loaded::update(project_path, library, |l| {
            edit::set(&mut l.project, library, &args.key, &value)
        })?;
        return Ok(Outcome::ok(format!("{}\n", terminal(&line))));
    };
    let key = slot.key();
    if slot == Slot::DeploymentGuide
        && let Some(url) = args.value.as_deref().filter(|v| edit::is_address(v))
    {
        return set_guide_url(url, with_file, project_path, library);
    }
    let dir = store::project_dir(project_path);
    let file = args.value.filter(|v| !unset(v) || args.clear);
    if args.clear || file.is_none() {
        if with_file {
            return Err(Error::usage(
                format!("--produced and --label go with a file to attach to {key}"),
                format!("give the file: ftr set {key} FILE --produced YYYY-MM-DD"),
            ));
        }
        let line = Loaded::update(project_path, library, |l| match &file {
            Some(f) => edit::detach_file(&mut l.project, slot, f, &dir),
            None => Ok(edit::detach_all(&mut l.project, slot)),
        })?;
        return Ok(Outcome::ok(format!("{}\n", terminal(&line))));
    }
    let file = PathBuf::from(file.expect("checked above"));
    if let Err(e) = std::fs::symlink_metadata(&file)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return Err(Error::usage(
            format!("{key}: there is no file {}", shown(&file)),
            "check the path (relative to the current folder, Tab completes it in most shells); nothing was changed",
        ));
    }
    // Fingerprint the file before taking the lock, as `ftr answer` does.
    let ev = Evidence::attach(
        &file,
        &dir,
        args.label.unwrap_or_default(),
        args.produced,
        clock.now(),
    )?;
    let note = match slot {
        Slot::Diagram => match ev.format(&dir) {
            Ok(f) if !f.is_png_or_jpeg() => Some(format!(
                "note: {} is not a PNG or JPEG image (its first bytes are {}); the form takes .png or .jpeg\n",
                terminal(&ev.path),
                f.describe()
            )),
            _ => None,
        },
        Slot::SecurityReport | Slot::DeploymentGuide | Slot::AlternativeReport => None,
    };
    let mut ev = ev;
    let line = Loaded::update(project_path, library, |l| {
        let current = edit::current_checklist(&l.project, library).map(|c| c.id.clone());
        let others = edit::prepare_attachment(
            &l.project,
            &edit::Citer::Slot(slot),
            current.as_deref(),
            &mut ev,
        );
        let renewed = renewed_note(&ev, &others);
        Ok(format!(
            "{}\n{renewed}",
            terminal(&edit::attach_file(&mut l.project, slot, ev.clone()))
        ))
    })?;
    Ok(Outcome::ok(format!("{line}{}", note.unwrap_or_default())))
}

/// `ftr set deployment-guide URL`: the guide published at a public address, checked to be
/// one; it replaces a guide file.
fn set_guide_url(
    url: &str,
    with_file: bool,
    project_path: &Path,
    library: &Library,
) -> Result<Outcome, Error> {
    if with_file {
        return Err(Error::usage(
            "--produced and --label go with a file, not with an address",
            "give the guide's address alone: ftr set deployment-guide https://…",
        ));
    }
    let line = Loaded::update(project_path, library, |l| {
        edit::set_guide_url(&mut l.project, url)
    })?;
    Ok(Outcome::ok(format!("{}\n", terminal(&line))))
}

fn describe_answer(project: &Project, checklist: &crate::content::Checklist, id: &str) -> String {
    let a = project
        .answer(&checklist.id, id)
        .cloned()
        .unwrap_or_default();
    let mut out = format!("{id}: {}", a.status);
    if !a.evidence.is_empty() {
        out.push_str(&format!(
            ", {} evidence file{}",
            a.evidence.len(),
            if a.evidence.len() == 1 { "" } else { "s" }
        ));
    }
    out.push('\n');
    if let Some(control) = checklist.control(id) {
        for line in crate::assessment::values::lines(control, Some(&a)) {
            out.push_str(&format!("  {}\n", terminal(&line.text())));
        }
        out.push_str(&sheet_lines(project, checklist, control));
    }
    out
}

/// A control's workbook rows with their answers, and AWS's predicted verdict: "  HOST-001.1
/// Yes", "  AWS's sheet: fail (HOST-001.2 is No; Yes passes)". Nothing for a control without
/// rows.
fn sheet_lines(
    project: &Project,
    checklist: &crate::content::Checklist,
    control: &crate::content::Control,
) -> String {
    use crate::assessment::grade;
    let Some(verdict) = grade::verdict(project, checklist, control) else {
        return String::new();
    };
    let mut out = String::new();
    for row in &control.rows {
        let value =
            grade::row_value(project, checklist, row).unwrap_or_else(|| "unanswered".into());
        let from = row
            .scoping
            .as_ref()
            .map_or(String::new(), |q| format!(" (scoping {q})"));
        out.push_str(&format!("  {} {}{from}\n", row.id, terminal(&value)));
    }
    let why = grade::why_fail(project, checklist, control);
    out.push_str(&match verdict {
        grade::Verdict::Pass => "  AWS's sheet: pass\n".to_string(),
        grade::Verdict::Fail => format!("  AWS's sheet: fail: {}\n", terminal(&why)),
    });
    out
}

fn status(loaded: &Loaded, library: &Library, json: bool, today: Date) -> Result<Outcome, Error> {
    let project = &loaded.project;
    let Some(checklist) = edit::current_checklist(project, library) else {
        let text = format!(
            "{}\n{}No delivery model chosen yet.\nNext: ftr set model partner-hosted|customer-deployed|alternative\n",
            shown(&loaded.path),
            files_text(project)
        );
        if json {
            return Ok(Outcome::ok(to_json(&serde_json::json!({
                "project": loaded.path.display().to_string(),
                "model": null,
                "diagram": project.profile.diagram.as_ref().map(file_json),
                "security_reports": project.profile.security_reports.iter().map(file_json).collect::<Vec<_>>(),
            }))?));
        }
        return Ok(Outcome::ok(text));
    };
    let p = progress(project, checklist);
    let left: Vec<_> = checklist
        .controls
        .iter()
        .filter(|c| project.effective_status(checklist, c) == Status::Unanswered)
        .collect();
    let scoping_left: Vec<_> = checklist
        .scoping
        .iter()
        .filter(|q| !project.scoping.contains_key(&q.id))
        .collect();
    let prereq_left: Vec<_> = library
        .prerequisites
        .iter()
        .filter(|q| !project.prerequisites.contains_key(&q.id))
        .collect();
    // The values each applicable control asks for, and where each stands.
    let values: Vec<(&crate::content::Control, Vec<ValueStatus>)> = checklist
        .controls
        .iter()
        .filter(|c| !c.values.is_empty())
        .filter(|c| {
            !matches!(
                project.applicability(checklist, c),
                crate::assessment::Applicability::ScopedOut { .. }
            )
        })
        .map(|c| {
            let answer = project.answer(&checklist.id, &c.id);
            let states = c
                .values
                .iter()
                .map(|spec| ValueStatus::of(spec, answer))
                .collect();
            (c, states)
        })
        .collect();
    if json {
        let value = serde_json::json!({
            "project": loaded.path.display().to_string(),
            "company": project.profile.company,
            "product": project.profile.product,
            "model": checklist.model,
            "model_confirmed": project.delivery.confirmed,
            "checklist": checklist.id,
            "version": checklist.version,
            "overall": p.overall,
            "domains": p.domains,
            "unanswered": left.iter().map(|c| serde_json::json!({
                "id": c.id, "title": c.title, "domain": c.domain,
            })).collect::<Vec<_>>(),
            "values": values.iter().map(|(c, states)| (c.id.clone(), serde_json::json!(states)))
                .collect::<serde_json::Map<_, _>>(),
            "scoping_unanswered": scoping_left.iter().map(|q| &q.id).collect::<Vec<_>>(),
            "prerequisites_unanswered": prereq_left.iter().map(|q| &q.id).collect::<Vec<_>>(),
            "diagram": project.profile.diagram.as_ref().map(file_json),
            "security_reports": project.profile.security_reports.iter().map(file_json).collect::<Vec<_>>(),
            "deployment_guide": project.profile.deployment_guide.as_ref().map(file_json),
            "deployment_guide_url": (!project.profile.deployment_guide_url.is_empty()).then_some(&project.profile.deployment_guide_url),
            "alternative_report": project.profile.alternative_report.as_ref().map(file_json),
            "acceptance": {
                "usable_until": checklist.usable_until.map(|d| d.date.to_string()),
                "approximate": checklist.usable_until.is_some_and(|d| d.approximate),
                "days_left": checklist.usable_until.map(|d| today.days_until(d.date)),
                "text": checklist.acceptance(today),
            },
            "submission": project.submission,
            "deadlines": crate::assessment::deadlines::deadlines(&project.submission)
                .iter()
                .map(|d| serde_json::json!({
                    "kind": d.kind,
                    "due": d.due.to_string(),
                    "days_left": today.days_until(d.due),
                    "confirmed": d.confirmed,
                    "what": d.what,
                }))
                .collect::<Vec<_>>(),
            "scans": project.scans.iter().map(scan_json).collect::<Vec<_>>(),
            "hints": hints_json(project, checklist, today),
            "workbook": project.workbook,
            "sheet": crate::assessment::grade::predict(project, checklist).map(|p| p.json()),
        });
        return Ok(Outcome::ok(to_json(&value)?));
    }
    let mut out = String::new();
    let name = project.title(&loaded.path);
    out.push_str(&format!("{}\n", terminal(&name)));
    out.push_str(&format!(
        "Checklist: {} {}{}; {}\n",
        terminal(&checklist.name),
        terminal(&checklist.version),
        if project.delivery.confirmed {
            ""
        } else {
            " (model not confirmed)"
        },
        checklist.acceptance(today)
    ));
    out.push_str(&submission_text(project, today));
    out.push('\n');
    out.push_str(&format!(
        "{:<24} {:>8} {:>5} {:>8} {:>5} {:>11} {:>10}\n",
        "Domain", "answered", "met", "not met", "n/a", "unanswered", "scoped out"
    ));
    let row = |name: &str, c: &crate::assessment::progress::Counts| {
        format!(
            "{:<24} {:>4}/{:<3} {:>5} {:>8} {:>5} {:>11} {:>10}\n",
            name,
            c.answered(),
            c.applicable(),
            c.met,
            c.not_met,
            c.not_applicable,
            c.unanswered,
            c.scoped_out
        )
    };
    for d in &p.domains {
        out.push_str(&row(d.domain.name(), &d.counts));
    }
    out.push_str(&row("All", &p.overall));
    if let Some(prediction) = crate::assessment::grade::predict(project, checklist) {
        out.push_str(&format!("\n{}.\n", terminal(&prediction.words(8))));
    }
    out.push('\n');
    out.push_str(&files_text(project));
    if !values.is_empty() {
        out.push_str("\nValues the responses give:\n");
        for (c, states) in &values {
            for v in states {
                let shown = match v.state {
                    "given" => v.value.clone().unwrap_or_default(),
                    "malformed" => format!(
                        "`{}` does not read as a {}",
                        v.typed.as_deref().unwrap_or_default(),
                        v.kind
                    ),
                    _ => "not given".to_string(),
                };
                out.push_str(&format!(
                    "  {:<12} {:<14} {}\n",
                    terminal(&c.id),
                    terminal(&v.key),
                    terminal(&shown)
                ));
            }
        }
    }
    if !scoping_left.is_empty() {
        out.push_str(&format!(
            "\nScoping questions to answer ({}): {}\n",
            scoping_left.len(),
            scoping_left
                .iter()
                .map(|q| q.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !prereq_left.is_empty() {
        out.push_str(&format!(
            "Prerequisites to answer ({}): {}\n",
            prereq_left.len(),
            prereq_left
                .iter()
                .map(|q| q.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str(&hints_text(project, checklist, today));
    if left.is_empty() {
        out.push_str("\nEvery applicable control is answered. Next: ftr check\n");
    } else {
        out.push_str(&format!("\nLeft to answer ({}):\n", left.len()));
        for c in &left {
            out.push_str(&format!(
                "  {:<12} {}\n",
                terminal(&c.id),
                terminal(&c.title)
            ));
        }
    }
    Ok(Outcome::ok(out))
}

/// The diagram and the security tool reports, a line each, as `ftr status` shows them.
fn files_text(project: &Project) -> String {
    let words = |e: &Evidence| {
        let mut w = format!(
            "{} ({}",
            terminal(&e.path),
            crate::assessment::evidence::human_size(e.size)
        );
        if let Some(d) = e.produced {
            w.push_str(&format!(", produced {d}"));
        }
        if !e.label.is_empty() {
            w.push_str(&format!(", {}", terminal(&e.label)));
        }
        w.push(')');
        w
    };
    let diagram = match &project.profile.diagram {
        Some(e) => words(e),
        None => "none (ftr set diagram FILE)".into(),
    };
    let reports = &project.profile.security_reports;
    let reports = if reports.is_empty() {
        ": none (ftr set security-report FILE)".to_string()
    } else {
        format!(
            " ({}): {}",
            reports.len(),
            reports.iter().map(words).collect::<Vec<_>>().join(", ")
        )
    };
    let mut out = format!("Architecture diagram: {diagram}\nSecurity tool reports{reports}\n");
    let p = &project.profile;
    let guide = match (&p.deployment_guide, p.deployment_guide_url.as_str()) {
        (Some(e), _) => Some(words(e)),
        (None, "") => None,
        (None, url) => Some(terminal(url).into_owned()),
    };
    let model = project.delivery.model;
    if guide.is_some() || model == Some(crate::content::Model::CustomerDeployed) {
        out.push_str(&format!(
            "Customer deployment guide: {}\n",
            guide.unwrap_or_else(|| "none (ftr set deployment-guide FILE|URL)".into())
        ));
    }
    if p.alternative_report.is_some() || model == Some(crate::content::Model::Alternative) {
        out.push_str(&format!(
            "Alternative report (SOC 2 Type II): {}\n",
            p.alternative_report
                .as_ref()
                .map_or_else(|| "none (ftr set alternative-report FILE)".into(), words)
        ));
    }
    out
}

/// An attached file in `--json` output.
/// The submission and its deadlines, a line each, as `ftr status` shows them.
fn submission_text(project: &Project, today: Date) -> String {
    let s = &project.submission;
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::from("Submission:");
    if let Some(d) = s.submitted {
        out.push_str(&format!(" submitted {d};"));
    }
    match (s.outcome, s.reviewed) {
        (Some(o), Some(d)) => out.push_str(&format!(" review {o} on {d}")),
        (Some(o), None) => out.push_str(&format!(
            " review {o} (ftr set reviewed YYYY-MM-DD dates it)"
        )),
        (None, Some(d)) => out.push_str(&format!(" reviewed {d}")),
        (None, None) => out.push_str(" review pending"),
    }
    out.push('\n');
    for d in crate::assessment::deadlines::deadlines(s) {
        let left = today.days_until(d.due);
        let when = if left < 0 {
            format!("{} days ago", -left)
        } else {
            format!("in {left} days")
        };
        out.push_str(&format!(
            "  {} due {} ({when}): {}\n",
            d.kind, d.due, d.what
        ));
    }
    out
}

/// One imported scan, as `ftr status --json` and `ftr check --json` show it.
fn scan_json(s: &crate::assessment::scan::Scan) -> serde_json::Value {
    serde_json::json!({
        "tool": s.source.tool(),
        "source": s.source,
        "checklist": s.checklist,
        "file": s.file,
        "sha256": s.sha256,
        "size": s.size,
        "scanned": s.scanned.to_string(),
        "imported": s.imported.to_string(),
        "accounts": s.accounts,
        "more_accounts": s.more_accounts,
        "regions": s.regions,
        "more_regions": s.more_regions,
        "not_in_checklist": s.not_in_checklist,
        "unmapped": s.unmapped,
        "duplicates": s.duplicates,
        "controls": s.controls.len(),
    })
}

/// The scan hints per control of `checklist`, newest scan first.
fn hints_json(
    project: &Project,
    checklist: &crate::content::Checklist,
    today: Date,
) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for c in &checklist.controls {
        let hints = project.hints(&checklist.id, &c.id);
        if hints.is_empty() {
            continue;
        }
        let list: Vec<serde_json::Value> = hints
            .iter()
            .map(|h| {
                let r = h.result;
                serde_json::json!({
                    "tool": h.scan.source.tool(),
                    "source": h.scan.source,
                    "file": h.scan.file,
                    "sha256": h.scan.sha256,
                    "accounts": h.scan.accounts,
                    "regions": h.scan.regions,
                    "scanned": h.scan.scanned.to_string(),
                    "passed": r.passed,
                    "failed": r.failed,
                    "manual": r.manual,
                    "muted": r.muted,
                    "failing": r.failing,
                    "more_failing": r.more_failing,
                    "text": h.line(today),
                })
            })
            .collect();
        map.insert(c.id.clone(), serde_json::Value::Array(list));
    }
    serde_json::Value::Object(map)
}

/// The scans and the hints that fail a control, as `ftr status` and `ftr check` print them.
fn hints_text(project: &Project, checklist: &crate::content::Checklist, today: Date) -> String {
    if project.scans.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nScans imported (hints, never answers):\n");
    for s in &project.scans {
        let coverage = s.coverage();
        out.push_str(&format!(
            "  {} {} ({}{}{}), {} control{}\n",
            s.source.tool(),
            s.scanned.date(),
            terminal(&s.file),
            if coverage.is_empty() { "" } else { "; " },
            terminal(&coverage),
            s.controls.len(),
            if s.controls.len() == 1 { "" } else { "s" }
        ));
    }
    let failing: Vec<(String, String)> = checklist
        .controls
        .iter()
        .flat_map(|c| {
            project
                .hints(&checklist.id, &c.id)
                .into_iter()
                .filter(|h| h.result.failed > 0)
                .map(|h| (c.id.clone(), h.line(today)))
                .collect::<Vec<_>>()
        })
        .collect();
    if !failing.is_empty() {
        out.push_str("Controls a scan fails:\n");
        for (id, line) in failing {
            out.push_str(&format!("  {:<12} {}\n", terminal(&id), terminal(&line)));
        }
    }
    out
}

fn file_json(e: &Evidence) -> serde_json::Value {
    serde_json::json!({
        "path": e.path,
        "size": e.size,
        "sha256": e.sha256,
        "attached": e.attached.to_string(),
        "produced": e.produced.map(|d| d.to_string()),
        "label": e.label,
    })
}

/// One required value of a control, as `ftr status` shows it.
#[derive(serde::Serialize)]
struct ValueStatus {
    key: String,
    label: String,
    kind: crate::content::ValueKind,
    /// `given`, `missing` or `malformed`.
    state: &'static str,
    /// As typed, when anything is.
    typed: Option<String>,
    /// The canonical form written into the response, when it reads.
    value: Option<String>,
}

impl ValueStatus {
    fn of(
        spec: &crate::content::RequiredValue,
        answer: Option<&crate::assessment::Answer>,
    ) -> ValueStatus {
        use crate::assessment::values::{State, state};
        let (state, typed, value) = match state(spec, answer) {
            State::Missing => ("missing", None, None),
            State::Malformed { typed, .. } => ("malformed", Some(typed.to_string()), None),
            State::Given { typed, parsed } => {
                ("given", Some(typed.to_string()), Some(parsed.canonical))
            }
        };
        ValueStatus {
            key: spec.key.clone(),
            label: spec.label.clone(),
            kind: spec.kind,
            state,
            typed,
            value,
        }
    }
}

fn check_text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{:<7} {}\n",
            f.severity.label(),
            terminal(&f.message)
        ));
        out.push_str(&format!("        fix: {}\n", terminal(&f.fix)));
        if let Some(cmd) = &f.command {
            out.push_str(&format!("             {}\n", terminal(cmd)));
        }
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    if report.ready {
        out.push_str(&format!(
            "Ready: no blocking findings ({} warning{}).\n",
            report.warnings,
            if report.warnings == 1 { "" } else { "s" }
        ));
    } else {
        out.push_str(&format!(
            "Not ready: {} error{} and {} warning{}.\n",
            report.errors,
            if report.errors == 1 { "" } else { "s" },
            report.warnings,
            if report.warnings == 1 { "" } else { "s" }
        ));
    }
    out
}

fn export_text(done: &crate::export::Done) -> String {
    let mut out = format!(
        "Wrote {} ({}, {} entries, {} evidence file{}){}\n",
        shown(&done.path),
        crate::assessment::evidence::human_size(done.bytes),
        done.entries,
        done.evidence_files,
        if done.evidence_files == 1 { "" } else { "s" },
        if done.draft {
            ", marked as a DRAFT"
        } else {
            ""
        }
    );
    if !done.outside.is_empty() {
        out.push_str("Sent from outside the project folder:\n");
        for p in &done.outside {
            out.push_str(&format!("  {}\n", terminal(p)));
        }
    }
    if !done.left_out.is_empty() {
        out.push_str("Left out of the draft:\n");
        for p in &done.left_out {
            out.push_str(&format!("  {}\n", terminal(p)));
        }
    }
    if !done.unscanned.is_empty() {
        out.push_str("Not scanned for secrets (check these yourself):\n");
        for p in &done.unscanned {
            out.push_str(&format!("  {}\n", terminal(p)));
        }
    }
    let warnings: Vec<_> = done
        .report
        .findings
        .iter()
        .filter(|f| f.severity == readiness::Severity::Warning)
        .collect();
    if !warnings.is_empty() {
        out.push_str(&format!(
            "{} warning{} (kept in SUMMARY.md):\n",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ));
        for f in warnings {
            out.push_str(&format!("  {}\n", terminal(&f.message)));
        }
    }
    if let Some(t) = &done.template {
        for line in t.lines() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    for line in done.slot_lines() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn checklists(library: &Library, json: bool, today: Date) -> Result<Outcome, Error> {
    let installed_dir = crate::store::catalog::folder();
    let installed = |c: &crate::content::Checklist| {
        installed_dir
            .as_ref()
            .is_some_and(|d| Path::new(&c.origin).starts_with(d))
    };
    let in_use = |c: &crate::content::Checklist| {
        library
            .checklists
            .iter()
            .any(|a| a.id == c.id && a.version == c.version)
    };
    let mut all: Vec<&crate::content::Checklist> = library.catalog.iter().collect();
    // Built-in order, each checklist's versions together, oldest first.
    let first = |c: &crate::content::Checklist| library.catalog.iter().position(|k| k.id == c.id);
    all.sort_by(|a, b| {
        first(a)
            .cmp(&first(b))
            .then_with(|| crate::content::version_order(&a.version, &b.version))
    });
    if json {
        let value = serde_json::json!({
            "source": library.folder.as_ref().map_or("built-in".to_string(), |f| f.display().to_string()),
            "today": today.to_string(),
            "checklists": all.iter().map(|c| serde_json::json!({
                "id": c.id,
                "spec": c.spec(),
                "name": c.name,
                "model": c.model,
                "version": c.version,
                "in_use": in_use(c),
                "installed": installed(c),
                "origin": c.origin,
                "released": c.released.map(|d| d.date.to_string()),
                "released_approximate": c.released.is_some_and(|d| d.approximate),
                "usable_until": c.usable_until.map(|d| d.date.to_string()),
                "usable_until_approximate": c.usable_until.is_some_and(|d| d.approximate),
                "supersedes": c.supersedes,
                "previous_accepted_until": c.previous_accepted_until.map(|d| d.date.to_string()),
                "previous_accepted_until_approximate": c.previous_accepted_until.is_some_and(|d| d.approximate),
                "last_verified": c.last_verified.map(|d| d.to_string()),
                "own_ids": c.own_ids,
                "controls": c.controls.len(),
                "provisional": c.provisional_count(),
                "scoping_questions": c.scoping.len(),
                "domains": crate::content::Domain::ALL.iter()
                    .map(|d| (d.key(), c.count_in(*d)))
                    .collect::<std::collections::BTreeMap<_, _>>(),
                "control_ids": c.controls.iter().map(|x| &x.id).collect::<Vec<_>>(),
                "fingerprints": c.controls.iter().map(|x| (x.id.clone(), x.fingerprint.clone()))
                    .collect::<std::collections::BTreeMap<_, _>>(),
                "workbook": workbook_json(c),
                "sources": c.sources,
            })).collect::<Vec<_>>(),
            "prerequisites": library.prerequisites.iter().map(|p| &p.id).collect::<Vec<_>>(),
        });
        return Ok(Outcome::ok(to_json(&value)?));
    }
    let mut out = String::new();
    for c in all {
        let provisional = match c.provisional_count() {
            0 => String::new(),
            n => format!(" ({n} provisional)"),
        };
        let mut marks = Vec::new();
        if in_use(c) {
            marks.push("in use");
        }
        if installed(c) {
            marks.push("installed");
        }
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!("  [{}]", marks.join(", "))
        };
        out.push_str(&format!(
            "{:<18} {:<42} {:<8} {:>3} controls{}{}\n",
            terminal(&c.id),
            terminal(&c.name),
            terminal(&c.version),
            c.controls.len(),
            provisional,
            marks
        ));
        let mut dates = c.window();
        if let Some(prev) = &c.supersedes {
            let accepted = c
                .previous_accepted_until
                .map_or(String::new(), |d| format!(" (accepted until {d})"));
            dates.push_str(&format!(
                "{}supersedes {}{accepted}",
                if dates.is_empty() { "" } else { "; " },
                terminal(prev)
            ));
        }
        if !dates.is_empty() {
            out.push_str(&format!("{:<18} {dates}\n", ""));
        }
        if c.own_ids {
            out.push_str(&format!(
                "{:<18} control ids are this tool's own, not the checklist's\n",
                ""
            ));
        }
    }
    out.push_str(&format!(
        "\nIn use on {today}: the newest version released by then, for each model.\nPrerequisites: {}\nSource: {}\n",
        library
            .prerequisites
            .iter()
            .map(|p| terminal(&p.id))
            .collect::<Vec<_>>()
            .join(", "),
        library
            .folder
            .as_ref()
            .map_or("built-in content".to_string(), |f| shown(f))
    ));
    if let Some(dir) = installed_dir {
        out.push_str(&format!("Installed checklists: {}\n", shown(&dir)));
    }
    Ok(Outcome::ok(out))
}

/// A checklist's workbook rows for `ftr checklists --json`: each control's rows with their
/// choices and its pass rule, and the workbook's own rows; `null` when its workbook is not known.
fn workbook_json(c: &crate::content::Checklist) -> serde_json::Value {
    if !c.has_rows() {
        return serde_json::Value::Null;
    }
    serde_json::json!({
        "controls": c.controls.iter().filter(|x| !x.rows.is_empty()).map(|x| serde_json::json!({
            "id": x.id,
            "rows": x.rows,
            "pass": x.pass.as_ref().map(|p| p.alternatives.iter().map(|a| &a.text).collect::<Vec<_>>()),
        })).collect::<Vec<_>>(),
        "sheet_rows": c.sheet_rows,
    })
}

fn checklists_action(action: ChecklistsAction, library: &Library) -> Result<Outcome, Error> {
    use crate::content::diff;
    use crate::store::catalog;
    match action {
        ChecklistsAction::Add { path, replace } => {
            let lines = catalog::add(&path, library, replace)?;
            Ok(Outcome::ok(
                lines
                    .iter()
                    .map(|l| terminal(l).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n",
            ))
        }
        ChecklistsAction::Scaffold { from, version, out } => {
            let from = library.find(&from)?;
            let text = catalog::scaffold(from, &version)?;
            let out = out
                .unwrap_or_else(|| PathBuf::from(format!("{}@{}.toml", from.id, version.trim())));
            if std::fs::symlink_metadata(&out).is_ok_and(|m| !m.file_type().is_symlink()) {
                return Err(Error::usage(
                    format!("{} exists already; nothing was written", out.display()),
                    "give another file with --out, or move that one away",
                ));
            }
            store::write_no_link(&out, text.as_bytes(), false)?;
            Ok(Outcome::ok(format!(
                "wrote {} (a copy of {} as version {}): edit what AWS changed, then\n  ftr checklists add {}\n",
                shown(&out),
                from.spec(),
                terminal(version.trim()),
                crate::safe::path_word(&out.display().to_string())
            )))
        }
        ChecklistsAction::Diff { from, to, json } => {
            let a = library.find(&from)?;
            let b = library.find(&to)?;
            if a.id != b.id {
                return Err(Error::usage(
                    format!("{} and {} are different checklists", a.spec(), b.spec()),
                    "compare two versions of one checklist, e.g. partner-hosted@2026-02 partner-hosted@2026-08",
                ));
            }
            let d = diff::diff(a, b);
            Ok(Outcome::ok(if json {
                to_json(&d)?
            } else {
                diff::text(&d)
            }))
        }
    }
}

fn migrate(
    to: &str,
    yes: bool,
    json: bool,
    project_path: &Path,
    library: &Library,
    clock: &Clock,
) -> Result<Outcome, Error> {
    use crate::assessment::migrate;
    let loaded = store::load(project_path, library)?;
    let project = &loaded.project;
    let Some(model) = project.delivery.model else {
        return Err(Error::usage(
            "the project has no delivery model yet, so no checklist to move from",
            "choose one: ftr set model partner-hosted|customer-deployed|alternative",
        ));
    };
    let d = &project.delivery;
    if d.version.is_empty() {
        return Err(Error::usage(
            "the project records no checklist version, so what changed cannot be worked out",
            "record the version it was answered against in [delivery] (version = \"2026-02\"), or confirm the current one with ftr set model",
        ));
    }
    let Some(from) = library.version(&d.checklist, &d.version) else {
        return Err(Error::usage(
            format!(
                "the project answers {}@{}, which is not installed, so what changed cannot be worked out",
                terminal(&d.checklist),
                terminal(&d.version)
            ),
            "install that version first (ftr checklists add FILE), then run ftr migrate again",
        ));
    };
    let target = library.find(to)?;
    if target.id != from.id || target.model != model {
        return Err(Error::usage(
            format!(
                "{} is another checklist than the project's {}",
                target.spec(),
                from.spec()
            ),
            "migrate moves between versions of one checklist; to change the delivery model use ftr set model",
        ));
    }
    if target.version == from.version {
        return Ok(Outcome::ok(format!(
            "The project already answers {}.\n",
            from.spec()
        )));
    }
    let plan = migrate::plan(project, from, target);
    let preview = migrate::text(&plan);
    let confirmed = yes || (!json && confirm(&preview)?);
    if !confirmed {
        return Ok(Outcome::ok(if json {
            to_json(&serde_json::json!({"applied": false, "plan": plan}))?
        } else {
            format!("{preview}Nothing changed: run again with --yes to move the project.\n")
        }));
    }
    let backup = Loaded::update(project_path, library, |l| {
        // The file may have changed while the preview waited: the move must be the one shown.
        let now = migrate::plan(&l.project, from, target);
        if l.project.delivery.version != from.version
            || (now.carried, now.review, now.kept_out)
                != (
                    plan.carried.clone(),
                    plan.review.clone(),
                    plan.kept_out.clone(),
                )
        {
            return Err(Error::Conflict {
                path: project_path.to_path_buf(),
            });
        }
        let backup = store::write_backup(&l.path, &from.version)?;
        migrate::apply(&mut l.project, &plan, target, clock.today());
        Ok(backup)
    })?;
    Ok(Outcome::ok(if json {
        to_json(
            &serde_json::json!({"applied": true, "backup": backup.display().to_string(), "plan": plan}),
        )?
    } else {
        format!(
            "{preview}Moved to {}. The file as it was is kept as {}.\nNext: ftr check (reworded controls are listed to review)\n",
            target.spec(),
            shown(&backup)
        )
    }))
}

/// Shows `preview` and asks on the terminal; false when standard input is not one.
fn confirm(preview: &str) -> Result<bool, Error> {
    use std::io::{IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "{}Move the project? [y/N] ",
        crate::safe::controls(preview)
    );
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::Io {
            path: PathBuf::from("standard input"),
            action: "read the answer from",
            source: e,
        })?;
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// A path as the terminal should show it: control and bidi characters escaped.
fn shown(path: &Path) -> String {
    terminal(&path.display().to_string()).into_owned()
}

/// `ftr resolve`: merges a file git left with markers, keeps the side asked for, and lists
/// what is left (exit 1 while any conflict is).
fn resolve(
    path: &Path,
    fields: &[String],
    take: Option<crate::team::Side>,
    all: bool,
    library: &Library,
) -> Result<Outcome, Error> {
    use crate::team;
    let target = store::save_target(path)?;
    let _lock = store::DirLock::acquire(&store::project_dir(&target))?;
    let (mut loaded, merged) = store::load_resolving(path, library)?;
    let file = path.display().to_string();
    let mut out = String::new();
    let mut changed = false;
    if let Some(m) = &merged {
        changed = true;
        out.push_str(&format!(
            "Merged the two versions in {} per field",
            terminal(&file)
        ));
        if !m.changed.is_empty() {
            out.push_str(&format!(
                "; from the other side: {}",
                terminal(&m.changed.join(", "))
            ));
        }
        out.push_str(".\n");
    }
    if let Some(side) = take {
        if fields.is_empty() && !all {
            return Err(Error::usage(
                "--take needs the fields to take it for",
                "name controls or fields (ftr resolve IAM-001 --take theirs), or give --all",
            ));
        }
        for f in fields {
            if !loaded
                .project
                .conflicts
                .iter()
                .any(|c| team::selects(f, &c.at))
            {
                return Err(Error::usage(
                    format!("no conflict matches `{}`", terminal(f)),
                    "run `ftr resolve` to list them; nothing was changed",
                ));
            }
        }
        let chosen: Vec<crate::merge::Conflict> = loaded
            .project
            .conflicts
            .iter()
            .filter(|c| all || fields.iter().any(|f| team::selects(f, &c.at)))
            .cloned()
            .collect();
        for c in &chosen {
            loaded.project = team::settle(&file, &loaded.project, c, side, library)?;
            let (word, kept) = match side {
                // Ours is what the file holds now, also when changed since the merge.
                team::Side::Ours => (
                    "ours",
                    crate::merge::get_at(&team::table_of(&loaded.project)?, &c.at).cloned(),
                ),
                team::Side::Theirs => ("theirs", c.theirs.clone()),
            };
            out.push_str(&format!(
                "{}: kept {word}: {}\n",
                terminal(&team::short_name(&c.at)),
                terminal(&team::value_brief(kept.as_ref(), 100))
            ));
            changed = true;
        }
    } else if !fields.is_empty() {
        return Err(Error::usage(
            "name the side to keep with --take ours or --take theirs",
            "ftr resolve IAM-001 --take theirs",
        ));
    }
    if changed {
        loaded.save_unlocked_target(&target)?;
    }
    let open = &loaded.project.conflicts;
    if open.is_empty() {
        out.push_str(&format!(
            "No conflicts left. Finish the merge in git: git add {} && git commit\n",
            crate::safe::shell_word(&file)
        ));
        return Ok(Outcome::ok(out));
    }
    out.push_str(&format!(
        "{} field(s) changed two ways; each keeps ours until you choose:\n",
        open.len()
    ));
    for c in open {
        out.push_str(&format!(
            "\n{}\n  ours:   {}\n  theirs: {}\n",
            terminal(&team::short_name(&c.at)),
            terminal(&team::value_brief(c.ours.as_ref(), 100)),
            terminal(&team::value_brief(c.theirs.as_ref(), 100)),
        ));
    }
    let first = open[0]
        .at
        .get(2)
        .filter(|_| crate::merge::control_of(&open[0].at).is_some())
        .cloned()
        .unwrap_or_else(|| crate::merge::display_path(&open[0].at));
    out.push_str(&format!(
        "\nKeep one side: ftr resolve {} --take ours|theirs (or --all), or open the wizard to see both in full.\n",
        crate::safe::shell_word(&first)
    ));
    Ok(Outcome {
        stdout: out,
        code: exit::NOT_READY,
    })
}

/// `ftr init-git`: `.gitattributes` beside the project file names it for the `ftr` driver, and
/// this clone's git config says how to run it.
fn init_git(path: &Path) -> Result<Outcome, Error> {
    let dir = store::project_dir(path);
    let git = |args: &[&str]| -> Result<std::process::Output, Error> {
        std::process::Command::new("git")
            .current_dir(&dir)
            .args(args)
            .output()
            .map_err(|e| {
                Error::usage(
                    format!("git could not be run: {e}"),
                    "install git, then run ftr init-git again",
                )
            })
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(Error::usage(
            format!("{} is not in a git repository", dir.display()),
            "run `git init` (or clone the repository) first, then ftr init-git",
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| DEFAULT_FILE.into());
    let pattern = attribute_pattern(&name);
    let line = format!("{pattern} merge=ftr");
    let attributes = dir.join(".gitattributes");
    if std::fs::symlink_metadata(&attributes).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::usage(
            format!("{} is a symbolic link", attributes.display()),
            "ftr writes no file through a link; replace the link with the file itself; nothing was written",
        ));
    }
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(Error::Io {
                path: attributes,
                action: "read",
                source: e,
            });
        }
    };
    let mut out = String::new();
    if existing.lines().any(|l| l.trim() == line) {
        out.push_str(&format!(
            "{} already names {} for the ftr merge driver.\n",
            terminal(&attributes.display().to_string()),
            terminal(&name)
        ));
    } else {
        let mut text = existing.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&line);
        text.push('\n');
        store::write_no_link(&attributes, text.as_bytes(), true)?;
        out.push_str(&format!(
            "Wrote `{}` to {}: commit it, so the whole team merges this way.\n",
            terminal(&line),
            terminal(&attributes.display().to_string())
        ));
    }
    let program = driver_program();
    let driver = format!("{program} merge-driver %O %A %B %P");
    for (key, value) in [
        ("merge.ftr.name", "ftr project file merge"),
        ("merge.ftr.driver", driver.as_str()),
    ] {
        let set = git(&["config", key, value])?;
        if !set.status.success() {
            return Err(Error::usage(
                format!(
                    "git config {key} failed: {}",
                    String::from_utf8_lossy(&set.stderr).trim()
                ),
                "check that the repository's .git/config is writable",
            ));
        }
    }
    out.push_str(&format!(
        "Set merge.ftr.driver = {} in this clone's git config (each teammate runs ftr init-git once; git does not share its config).\n",
        terminal(&driver)
    ));
    Ok(Outcome::ok(out))
}

/// A `.gitattributes` pattern that matches the file `name` and nothing else: glob characters
/// escaped, and the whole in C-style quotes when it holds a space, a quote, a backslash or a
/// character that would start a comment or negation.
fn attribute_pattern(name: &str) -> String {
    // As a glob: its special characters and a backslash taken literally, and a leading `!`
    // (a negation, which git ignores in attributes) or `#` (a comment) escaped.
    let mut escaped = String::new();
    for (i, c) in name.chars().enumerate() {
        if "*?[]\\".contains(c) || (i == 0 && (c == '!' || c == '#')) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let needs_quotes = name
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '\\' || c.is_control());
    if !needs_quotes {
        return escaped;
    }
    let mut out = String::from("\"");
    for c in escaped.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How git should start this program: `ftr` when that name on PATH is this very program, else
/// its full path.
fn driver_program() -> String {
    let Ok(me) = std::env::current_exe().and_then(|p| p.canonicalize()) else {
        return "ftr".into();
    };
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("ftr"))
            .find(|p| p.is_file())
    });
    if on_path.and_then(|p| p.canonicalize().ok()).as_ref() == Some(&me) {
        return "ftr".into();
    }
    crate::safe::shell_word(&me.to_string_lossy()).into_owned()
}
