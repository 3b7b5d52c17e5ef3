//! The `ftr` binary: parse the command line, run it, turn errors into exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use ftr_wizard::cli::{self, Cli, exit};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
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
            let _ = out.write_all(outcome.stdout.as_bytes());
            let _ = out.flush();
            ExitCode::from(outcome.code)
        }
        Err(e) => {
            eprintln!("ftr: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
