//! The `shiftwatch` command line. One function, [`run`], serves the binary and the Python
//! console script.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod analyze;
pub mod compare;
pub mod detect;
mod edivisive;
mod fmt;
mod input;
pub mod inspect;

const EXAMPLES: &str = "Examples:
  shiftwatch analyze datasets/examples/experiment/*.csv --baseline 'kubo-base-*' --candidate 'kubo-cand-*' --preset kubo
  shiftwatch compare ttfb.csv --baseline baseline --candidate candidate
  shiftwatch compare ttfb.csv --baseline old --candidate new --paired log-ratio
  shiftwatch detect cpu.csv --column load --penalty mbic
  shiftwatch inspect grafana_export.csv prometheus_range.json

Exit codes: 0 nothing failing, 1 a failing finding, 2 usage or input error.";

/// Did the new release regress? Compare service metrics between releases with statistics.
#[derive(Debug, Parser)]
#[command(name = "shiftwatch", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The release verdict over every metric: effects, intervals, p-values, change points, rules.
    Analyze(analyze::AnalyzeArgs),
    /// Compare two numeric columns of a CSV file (baseline vs candidate).
    Compare(compare::Args),
    /// Show what an export holds: series, kinds, points, gaps, resets.
    Inspect(inspect::InspectArgs),
    /// Print the change points of one series (a column of a CSV file).
    Detect(detect::DetectArgs),
}

/// Exit code: nothing failing.
pub const EXIT_OK: u8 = 0;
/// Exit code: a failing finding (regression, fired rule) under `--fail-on`.
pub const EXIT_FINDING: u8 = 1;
/// Exit code: usage or input error.
pub const EXIT_ERROR: u8 = 2;

/// Parses `args` (including the program name) and runs the command.
///
/// Results go to stdout, errors to stderr; returns 0 (ok), 1 (failing finding) or 2 (usage or
/// input error).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let outcome: anyhow::Result<u8> = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Compare(args) => compare::run(&args),
        Command::Inspect(args) => inspect::run(args),
        Command::Detect(args) => detect::run(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(EXIT_OK);
            }
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
