//! The `ftr` binary: parse the command line, run it, turn errors into exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use ftr_wizard::cli::{self, Cli, exit};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let args: Vec<String> = std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            let e = cli::explain_parse_error(e, &args);
            if e.use_stderr() {
                // The message quotes what was typed: plain text, control characters escaped.
                eprint!("{}", ftr_wizard::safe::lines(&e.render().to_string()));
            } else {
                let _ = e.print();
            }
            return ExitCode::from(if e.use_stderr() {
                exit::ERROR
            } else {
                exit::OK
            });
        }
    };
    match cli::run(cli) {
        Ok(outcome) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`ftr status | head`) is not an error worth a message.
            let _ = out.write_all(ftr_wizard::safe::controls(&outcome.stdout).as_bytes());
            let _ = out.flush();
            ExitCode::from(outcome.code)
        }
        Err(e) => {
            // The error's text is raw: escaped here, each of its lines as one line.
            eprintln!(
                "ftr: error: {}",
                ftr_wizard::safe::terminal_lines(&e.lines())
            );
            ExitCode::from(e.exit_code())
        }
    }
}
