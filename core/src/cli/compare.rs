//! `shiftwatch compare FILE --baseline SERIES --candidate SERIES`: compare two series of a file
//! (columns of a plain CSV, or series of any format [`crate::io`] reads) with the calibrated
//! default of [`crate::stats::compare::compare`]; exit 1 on a significant change in the bad
//! `--direction`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::input::Input;
use crate::policy::Direction;
use crate::report::compare::{CompareInput, CompareReport};
use crate::series::select::pair;
use crate::stats::compare::{
    compare, CompareMethod, CompareOptions, Comparison, Pairing, Statistic,
};
use crate::stats::Alternative;

/// Output format of `shiftwatch compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table (fits 80 columns).
    Table,
    /// The comparison report (`significant`, `direction`, `regression`, `input`), as JSON.
    Json,
}

/// Arguments of `shiftwatch compare`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    shiftwatch compare datasets/examples/gateway_ttfb.csv --baseline baseline --candidate candidate\n  \
    shiftwatch compare run.csv --baseline old --candidate new --paired log-ratio --format json\n\n\
    Empty cells, NaN and ±Inf count as missing: they are reported, never silently dropped.\n\
    Unpaired, each series keeps its own values; paired, values are paired by time (by row in a\n\
    CSV without a time column) and rows missing either value are dropped and counted.\n\
    With --direction, exit 1 on a significant change in the bad direction (0 otherwise).")]
pub struct Args {
    /// A CSV file with a header row (a time column is optional), or a tidy CSV, Grafana CSV,
    /// Prometheus JSON or OpenMetrics file (`-` reads standard input).
    pub file: PathBuf,
    /// The baseline series: a column header, metric name, target, series key or number.
    #[arg(long)]
    pub baseline: String,
    /// The candidate series, named like --baseline.
    #[arg(long)]
    pub candidate: String,
    /// Pair values by timestamp (by row without a time column): test per-pair differences or
    /// log-ratios.
    #[arg(long, value_name = "difference|log-ratio")]
    pub paired: Option<Pairing>,
    /// Significance level (confidence level is 1 − alpha).
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Alternative hypothesis, baseline first as in scipy (`less`: baseline < candidate).
    #[arg(long, default_value = "two-sided")]
    pub alternative: Alternative,
    /// Location compared: mean or median.
    #[arg(long, default_value = "mean")]
    pub statistic: Statistic,
    /// Variance estimator: auto (calibrated default), ewc, newey-west, iid.
    #[arg(long, default_value = "auto")]
    pub method: CompareMethod,
    /// Which direction of change is a regression: higher_is_worse, lower_is_worse, either.
    /// A significant change that way exits with 1.
    #[arg(long)]
    pub direction: Option<Direction>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `shiftwatch compare`; returns the exit code (1 for a regression under `--direction`).
///
/// # Errors
/// File, parse, selection and statistics errors (the caller prints them and exits with 2).
pub fn run(args: &Args) -> anyhow::Result<u8> {
    let input = Input::read(
        &args.file,
        &[
            (Some(&args.baseline), "--baseline"),
            (Some(&args.candidate), "--candidate"),
        ],
    )?;
    let file = input.label.clone();
    let b = input.series(Some(&args.baseline), "--baseline")?;
    let c = input.series(Some(&args.candidate), "--candidate")?;
    let samples = pair(
        (&b.timestamps_ms, &b.values),
        (&c.timestamps_ms, &c.values),
        args.paired.is_some(),
    );
    let options = CompareOptions {
        alpha: args.alpha,
        alternative: args.alternative,
        paired: args.paired,
        statistic: args.statistic,
        method: args.method,
    };
    let result = compare(&samples.baseline, &samples.candidate, &options)
        .with_context(|| format!("{file}: cannot compare"))?;
    let read = CompareInput {
        file,
        baseline_column: b.name.clone(),
        candidate_column: c.name.clone(),
        rows: input.data.report.rows,
        missing_baseline: b.missing(),
        missing_candidate: c.missing(),
        rows_dropped: samples.rows_dropped,
        baseline_data: b.data.clone(),
        candidate_data: c.data.clone(),
    };
    let report = CompareReport::new(result, args.direction, Some(read));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Table => write_table(&mut out, &report)?,
    }
    out.flush()?;
    Ok(if report.regression {
        super::EXIT_FINDING
    } else {
        super::EXIT_OK
    })
}

/// A number with about 4 significant digits, without scientific notation for ordinary sizes.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "n/a".into()
        } else {
            format!("{v}")
        };
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e7).contains(&a) {
        return format!("{v:.3e}");
    }
    let digits = if a == 0.0 {
        0
    } else {
        (3 - a.log10().floor() as i32).clamp(0, 6) as usize
    };
    format!("{v:.digits$}")
}

fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", num(v))
    } else {
        num(v)
    }
}

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{:+.2}%", 100.0 * v)
    } else {
        num(v)
    }
}

fn p_text(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.1e}")
    } else {
        format!("{p:.4}")
    }
}

fn write_table(out: &mut impl Write, report: &CompareReport) -> std::io::Result<()> {
    let r: &Comparison = &report.comparison;
    let Some(input) = &report.input else {
        return Ok(());
    };
    let level = format!("{}% CI", (1e4 * r.ci_absolute.level).round() / 100.0);
    writeln!(out, "shiftwatch compare: {}", input.file)?;
    writeln!(out)?;
    writeln!(out, "{:<22}{:>18}{:>18}", "", "baseline", "candidate")?;
    let row = |out: &mut dyn Write, name: &str, b: String, c: String| {
        writeln!(out, "{name:<22}{b:>18}{c:>18}")
    };
    row(
        out,
        "column",
        input.baseline_column.clone(),
        input.candidate_column.clone(),
    )?;
    row(
        out,
        "n used",
        r.baseline.n.to_string(),
        r.candidate.n.to_string(),
    )?;
    row(
        out,
        "missing cells",
        input.missing_baseline.to_string(),
        input.missing_candidate.to_string(),
    )?;
    row(out, "mean", num(r.baseline.mean), num(r.candidate.mean))?;
    row(
        out,
        "median",
        num(r.baseline.median),
        num(r.candidate.median),
    )?;
    row(out, "sd", num(r.baseline.sd), num(r.candidate.sd))?;
    row(
        out,
        "lag-1 autocorrelation",
        format!("{:.3}", r.baseline.lag1),
        format!("{:.3}", r.candidate.lag1),
    )?;
    row(
        out,
        "effective n",
        format!("{:.1}", r.baseline.n_effective),
        format!("{:.1}", r.candidate.n_effective),
    )?;
    if input.rows_dropped > 0 {
        writeln!(
            out,
            "rows dropped (a value missing): {}",
            input.rows_dropped
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "effect on the {} (candidate - baseline)",
        r.statistic_name
    )?;
    writeln!(
        out,
        "  absolute  {:>12}   {level} [{}, {}]",
        signed(r.absolute),
        signed(r.ci_absolute.lo),
        signed(r.ci_absolute.hi)
    )?;
    writeln!(
        out,
        "  relative  {:>12}   {level} [{}, {}]",
        pct(r.relative),
        pct(r.ci_relative.lo),
        pct(r.ci_relative.hi)
    )?;
    let df = if r.df.is_finite() {
        format!("{:.1}", r.df)
    } else {
        "inf".into()
    };
    writeln!(
        out,
        "p-value     {:>12}   {}, {}",
        p_text(r.p_value),
        r.alternative,
        r.method
    )?;
    writeln!(out, "            t = {:.3}, df = {df}", r.statistic)?;
    let verdict = if report.significant {
        "significant"
    } else {
        "not significant"
    };
    writeln!(out, "at alpha = {}: {verdict}", r.alpha)?;
    if let Some(d) = report.direction {
        let finding = if report.regression {
            "regression (exit 1)"
        } else {
            "no regression"
        };
        writeln!(out, "direction {d}: {finding}")?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(123.456), "123.5");
        assert_eq!(num(0.012345), "0.01235");
        assert_eq!(pct(0.0601), "+6.01%");
    }
}
