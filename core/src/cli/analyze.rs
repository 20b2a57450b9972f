//! `shiftwatch analyze FILES…`: the release verdict over every metric of the inputs.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::input::LiveArgs;
use crate::analyze::{analyze_with, read_options, Spec};
use crate::progress::StderrBar;
use crate::report::{html, render, Attribution, Report, Verdict};

/// Output format of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table that fits 80 columns, worst first.
    Table,
    /// The report as JSON (`schema: shiftwatch.report/v1`).
    Json,
    /// A pull-request comment.
    Markdown,
    /// JUnit XML, one test case per metric and per rule.
    Junit,
    /// One self-contained HTML page (inline CSS and SVG, loads nothing): use with --output.
    Html,
}

/// What makes `analyze` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A metric regression or a rule fired for the candidate only.
    Regression,
    /// A rule fired for the candidate only.
    Rule,
    /// A regression or any rule that fired (also environmental).
    Any,
    /// Never (report only).
    Never,
}

/// Arguments of `shiftwatch analyze`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  shiftwatch analyze datasets/examples/experiment/*.csv --baseline 'kubo-base-*' --candidate 'kubo-cand-*' --preset kubo
  shiftwatch analyze run.csv                          (roles from the tidy CSV's role column)
  shiftwatch analyze canary.json --mode deploy --deploy-at 2026-11-21T10:00:00Z
  shiftwatch analyze bench.csv --mode history --format markdown
  shiftwatch analyze *.csv --config shiftwatch.toml --format junit --output report.xml
  shiftwatch analyze --prometheus http://prometheus:9090 --query 'http_requests_total{job=\"api\"}' \\
      --start 2026-11-21T10:00:00Z --end 2026-11-21T12:00:00Z --step 15s --baseline 'api-v1-*' --candidate 'api-v2-*'
  shiftwatch analyze *.csv --baseline 'old-*' --candidate 'new-*' --format html --output report.html

Exit codes: 0 nothing failing, 1 a failing finding (see --fail-on), 2 usage or input error.")]
pub struct AnalyzeArgs {
    /// Exports to read (tidy CSV, Grafana CSV, Prometheus JSON, OpenMetrics; formats may mix).
    #[arg(required_unless_present = "prometheus", conflicts_with = "prometheus")]
    pub files: Vec<PathBuf>,
    /// Live source instead of files.
    #[command(flatten)]
    pub live: LiveArgs,
    /// paired, deploy or history (default: paired when baseline and candidate are both
    /// present, else deploy).
    #[arg(long)]
    pub mode: Option<String>,
    /// Glob over target names selecting the baseline (e.g. 'kubo-base-*').
    #[arg(long)]
    pub baseline: Option<String>,
    /// Glob over target names selecting the candidate.
    #[arg(long)]
    pub candidate: Option<String>,
    /// Deploy time (RFC 3339 or epoch), deploy mode.
    #[arg(long)]
    pub deploy_at: Option<String>,
    /// Configuration file (TOML: [[metrics]] policy, [[rules]] launch blockers).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Built-in policy and rules: kubo.
    #[arg(long)]
    pub preset: Option<String>,
    /// Significance level.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Multiplicity correction across the report: bh, by, holm, bonferroni, none.
    #[arg(long, default_value = "bh")]
    pub correction: String,
    /// Warm-up trimmed from the start of every series (and after a deploy), e.g. 5m; 0 keeps all.
    #[arg(long, default_value = "5m")]
    pub warmup: String,
    /// Grid step (default: per metric, the coarsest scrape interval), e.g. 30s. With
    /// --prometheus also the query resolution [default there: 15s].
    #[arg(long)]
    pub step: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// What exits 1.
    #[arg(long, value_enum, default_value_t = FailOn::Regression)]
    pub fail_on: FailOn,
    /// Seed of randomised steps (recorded in the report).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Add each metric's series, downsampled for figures, to the JSON (`series`); always on
    /// for --format html.
    #[arg(long)]
    pub series: bool,
}

impl AnalyzeArgs {
    /// The options as text, parsed once by the core ([`Spec::options`]).
    pub fn spec(&self) -> Spec {
        Spec {
            mode: self.mode.clone(),
            baseline: self.baseline.clone(),
            candidate: self.candidate.clone(),
            deploy_at: self.deploy_at.clone(),
            config: self.config.clone(),
            preset: self.preset.clone(),
            alpha: Some(self.alpha),
            correction: Some(self.correction.clone()),
            warmup: Some(self.warmup.clone()),
            step: self.step.clone(),
            seed: self.seed,
            series: self.series || self.format == OutputFormat::Html,
        }
    }
}

/// The exit code a report gives under `fail_on`.
pub fn exit_code(report: &Report, fail_on: FailOn) -> u8 {
    let regression = report
        .metrics
        .iter()
        .any(|m| m.verdict == Verdict::Regression);
    let candidate_rule = report
        .rules
        .iter()
        .any(|r| r.attribution == Some(Attribution::Candidate));
    let any_rule = report.rules.iter().any(|r| r.fired_at.is_some());
    let failing = match fail_on {
        FailOn::Regression => regression || candidate_rule,
        FailOn::Rule => candidate_rule,
        FailOn::Any => regression || any_rule,
        FailOn::Never => false,
    };
    if failing {
        super::EXIT_FINDING
    } else {
        super::EXIT_OK
    }
}

/// Renders `report` in `format` (`colour` for the table only).
///
/// # Errors
/// JSON serialisation failures.
pub fn render_report(
    report: &Report,
    format: OutputFormat,
    colour: bool,
) -> anyhow::Result<String> {
    Ok(match format {
        OutputFormat::Table => render::table(report, colour),
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(report)?;
            s.push('\n');
            s
        }
        OutputFormat::Markdown => render::markdown(report),
        OutputFormat::Junit => render::junit(report),
        OutputFormat::Html => html::page(report),
    })
}

/// Runs `analyze`.
///
/// # Errors
/// Input, config and usage errors (exit 2).
pub fn run(args: AnalyzeArgs) -> anyhow::Result<u8> {
    let opts = args.spec().options()?;
    let data = args.live.read_or_files(
        &args.files,
        args.step.as_deref(),
        &opts.config.queries,
        &read_options(&opts),
    )?;
    // A bar on stderr when it is a terminal (silent otherwise).
    let bar = StderrBar::new("analyze metrics");
    let report = analyze_with(&data, &opts, &bar)?;
    drop(bar);
    let to_tty = args.output.is_none() && std::io::stdout().is_terminal();
    let colour = to_tty && std::env::var_os("NO_COLOR").map_or(true, |v| v.is_empty());
    let text = render_report(&report, args.format, colour)?;
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(exit_code(&report, args.fail_on))
}
