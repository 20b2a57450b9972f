//! `shiftwatch detect FILE`: change points of one series (a CSV column, or one series of a
//! tidy CSV, Prometheus JSON or OpenMetrics file), or of several aligned columns at once
//! (`--column a --column b`, or `--column a,b`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::fmt;
use super::input::{Input, LiveArgs};
use crate::changepoint::edivisive::PValueRule;
use crate::changepoint::{
    detect, detect_multivariate, ChangeKind, CostKind, DetectOptions, EDivisiveOptions, Method,
    Model, Penalty,
};
use crate::report::detect::{DetectReport, MultiDetectReport};
use crate::series::select::{align, Usable};

/// Arguments of `shiftwatch detect`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  shiftwatch detect latency.csv
  shiftwatch detect bench.csv --column ops_per_sec --penalty bic --format json
  shiftwatch detect counts.csv --cost poisson --min-size 10
  shiftwatch detect prometheus_range.json --column 'process_resident_memory_bytes'
  shiftwatch detect service.csv --column latency,cpu,errors --format json
  cat values.csv | shiftwatch detect -
  shiftwatch detect --prometheus http://prometheus:9090 --query 'process_resident_memory_bytes{instance=\"a:9100\"}' --start now-6h --step 30s

Indices are 0-based and name the first value used of each new segment (empty cells, NaN and
±Inf are skipped and counted on stderr). When the file has a time column (Time, timestamp,
date), the time of each change point is printed too; without one, rows are numbered.
With several columns, change points are searched jointly on the times every column has
(multivariate l2 cost, each column standardised by its own noise scale) and each is reported
with every column's levels.")]
pub struct DetectArgs {
    /// A CSV file with a header line, or a tidy CSV, Prometheus JSON or OpenMetrics file (`-`
    /// reads standard input).
    #[arg(required_unless_present = "prometheus", conflicts_with = "prometheus")]
    pub file: Option<PathBuf>,
    /// Live source instead of a file.
    #[command(flatten)]
    pub live: LiveArgs,
    /// With --prometheus: the query resolution [default: 15s].
    #[arg(long, requires = "prometheus", help_heading = "Live source")]
    pub step: Option<String>,
    /// Series to analyse: a column header, a metric name, a target, a series key or a
    /// 1-based series number (needed when the file holds several series). Repeat it, or
    /// separate names by commas, to analyse several series jointly on their common times.
    #[arg(long, short = 'c')]
    pub column: Vec<String>,
    /// Search: pelt (exact), fpop (exact, l2 and poisson), dp (exact, slow oracle), binseg
    /// (greedy), edivisive (energy statistic with a permutation test per change; ignores --cost
    /// and --penalty, uses --min-size, --alpha as its level, --permutations, --seed).
    #[arg(long, default_value = "pelt")]
    pub method: String,
    /// Segment model: auto (step, drift or trend chosen per series; reported), l2 (mean),
    /// normal (mean+variance), poisson (counts), linear (trend), l1 (robust), np
    /// (distribution), biweight (mean with a bounded loss: spikes and stalls are not changes),
    /// decafs (steps on a random-walk drift with AR(1) noise).
    #[arg(long, default_value = "auto")]
    pub cost: String,
    /// Penalty per change: bic, mbic, aic, hq, or a number in cost units.
    #[arg(long, default_value = "mbic")]
    pub penalty: String,
    /// Minimum segment length.
    #[arg(long, default_value_t = 5)]
    pub min_size: usize,
    /// Level for the Holm-adjusted validation p-values (1 keeps every change point found).
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Output format: table or json.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
    /// E-divisive: permutations per test.
    #[arg(long, default_value_t = 99)]
    pub permutations: usize,
    /// E-divisive: seed of the permutations.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// E-divisive: permutation p-value, add-one ((1+b)/(1+P)) or spa (b/(1+P), as
    /// signal-processing-algorithms).
    #[arg(long, default_value = "add-one")]
    pub p_value_rule: String,
}

/// Runs `shiftwatch detect`.
///
/// # Errors
/// Unreadable file, malformed input (with file:line:column), no or several matching series,
/// bad option values, or too few values.
pub fn run(mut args: DetectArgs) -> anyhow::Result<u8> {
    let json = args.format == "json";
    args.column = split_names(&args.column);
    if args.method.trim().eq_ignore_ascii_case("edivisive") {
        let options = EDivisiveOptions {
            exponent: 1.0,
            min_size: args.min_size,
            permutations: args.permutations,
            p_value: args.alpha,
            seed: args.seed,
            p_value_rule: args.p_value_rule.parse::<PValueRule>()?,
        };
        if args.column.len() > 1 {
            anyhow::bail!(
                "--method edivisive analyses one column; got {}",
                args.column.join(", ")
            );
        }
        let want = args.column.first().map(String::as_str);
        let input = Input::open(
            args.file.as_deref(),
            &args.live,
            args.step.as_deref(),
            &[(want, "--column")],
        )?;
        let series = input.series(want, "--column")?;
        return super::edivisive::run(&input, &series, &options, json);
    }
    let options = DetectOptions {
        cost: args.cost.parse::<CostKind>()?,
        method: args.method.parse::<Method>()?,
        penalty: args.penalty.parse::<Penalty>()?,
        min_size: args.min_size,
        alpha: args.alpha,
    };
    let wanted: Vec<_> = if args.column.is_empty() {
        vec![(None, "--column")]
    } else {
        args.column
            .iter()
            .map(|c| (Some(c.as_str()), "--column"))
            .collect()
    };
    let input = Input::open(
        args.file.as_deref(),
        &args.live,
        args.step.as_deref(),
        &wanted,
    )?;
    let label = &input.label;
    if args.column.len() > 1 {
        let series = args
            .column
            .iter()
            .map(|c| input.series(Some(c), "--column"))
            .collect::<Result<Vec<_>, _>>()?;
        let refs: Vec<&Usable> = series.iter().collect();
        let parts: Vec<(&[i64], &[f64])> = series
            .iter()
            .map(|s| (s.timestamps_ms.as_slice(), s.values.as_slice()))
            .collect();
        let aligned = align(&parts);
        let mut notes: Vec<String> = series
            .iter()
            .flat_map(|s| {
                s.notes()
                    .into_iter()
                    .map(move |n| format!("{}: {n}", s.name))
            })
            .collect();
        if aligned.rows_dropped > 0 {
            notes.push(format!(
                "{} row{} not shared by every column dropped",
                aligned.rows_dropped,
                if aligned.rows_dropped == 1 { "" } else { "s" }
            ));
        }
        for note in &notes {
            let _ = writeln!(std::io::stderr(), "{label}: {note}");
        }
        let views: Vec<&[f64]> = aligned.columns.iter().map(Vec::as_slice).collect();
        let names: Vec<&str> = series.iter().map(|c| c.name.as_str()).collect();
        let detection = detect_multivariate(&views, &options)
            .with_context(|| format!("{label}: columns '{}'", names.join("', '")))?;
        let source = input.source(&refs, &aligned.timestamps_ms, notes);
        let report = MultiDetectReport::new(&detection, &source);
        let mut out = std::io::stdout().lock();
        if json {
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        } else {
            write_multi_table(&mut out, label, &report, &options)?;
        }
        out.flush()?;
        return Ok(crate::cli::EXIT_OK);
    }
    let series = input.series(args.column.first().map(String::as_str), "--column")?;
    let notes = series.notes();
    for note in &notes {
        let _ = writeln!(std::io::stderr(), "{label}: {note}");
    }
    let detection = detect(&series.values, &options)
        .with_context(|| format!("{label}: column '{}'", series.name))?;
    let source = input.source(&[&series], &series.timestamps_ms, notes);
    let report = DetectReport::new(&detection, &source);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write_table(&mut out, label, &report, &options)?;
    }
    out.flush()?;
    Ok(crate::cli::EXIT_OK)
}

/// Splits each `--column` value on commas outside `{…}` and quotes, so a series key such as
/// `m{target="a", le="0.5"}` stays whole while `a,b` names two columns.
fn split_names(values: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        let (mut depth, mut quoted, mut start) = (0usize, false, 0);
        for (i, ch) in v.char_indices() {
            match ch {
                '"' => quoted = !quoted,
                '{' if !quoted => depth += 1,
                '}' if !quoted => depth = depth.saturating_sub(1),
                ',' if !quoted && depth == 0 => {
                    out.push(v[start..i].trim().to_string());
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.push(v[start..].trim().to_string());
    }
    out
}

fn write_table(
    out: &mut impl Write,
    label: &str,
    r: &DetectReport,
    options: &DetectOptions,
) -> std::io::Result<()> {
    let k = r.change_points.len();
    let what = format!(
        "column '{}', {} values",
        r.column.as_deref().unwrap_or(""),
        r.n
    );
    summary_line(out, label, &what, k, options)?;
    if let Some(m) = &r.model {
        let model = match m.model {
            Model::Step => "step",
            Model::Trend => "trend",
            Model::Drift => "drift",
            Model::Season => "season",
        };
        // Wrapped to 80 columns like the table.
        let mut line = format!("  model {model}:");
        for word in m.reason.split(' ') {
            if line.chars().count() + 1 + word.chars().count() > 80 {
                writeln!(out, "{line}")?;
                line = "   ".to_string();
            }
            line.push(' ');
            line.push_str(word);
        }
        writeln!(out, "{line}")?;
    }
    if k == 0 {
        return Ok(());
    }
    let has_time = r.change_points.iter().any(|c| c.time.is_some());
    fmt::lead(out, &"index", has_time.then_some("time"))?;
    writeln!(
        out,
        " {:>11} {:>11} {:>9} {:>9}",
        "before", "after", "p_adj", "kind"
    )?;
    for c in &r.change_points {
        fmt::lead(
            out,
            &c.index,
            has_time.then(|| c.time.as_deref().unwrap_or("")),
        )?;
        let kind = match c.kind {
            ChangeKind::Step => "step",
            ChangeKind::Trend => "trend",
            ChangeKind::Variance => "variance",
        };
        writeln!(
            out,
            " {:>11} {:>11} {:>9} {:>9}",
            fmt::num(c.before),
            fmt::num(c.after),
            fmt::p(c.p_adjusted),
            kind
        )?;
    }
    Ok(())
}

/// The change points of several columns: one line per column and change point.
fn write_multi_table(
    out: &mut impl Write,
    label: &str,
    r: &MultiDetectReport,
    options: &DetectOptions,
) -> std::io::Result<()> {
    let k = r.change_points.len();
    let what = format!("columns '{}', {} rows", r.columns.join("', '"), r.n);
    summary_line(out, label, &what, k, options)?;
    if k == 0 {
        return Ok(());
    }
    let width = r
        .columns
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(6);
    let width = width.clamp(6, 14);
    let has_time = r.change_points.iter().any(|c| c.time.is_some());
    fmt::lead(out, &"index", has_time.then_some("time"))?;
    writeln!(
        out,
        " {:>9}  {:<width$} {:>11} {:>11}",
        "p_adj", "column", "before", "after"
    )?;
    for c in &r.change_points {
        for (j, d) in c.dims.iter().enumerate() {
            let short: String = d.column.chars().take(width).collect();
            if j == 0 {
                let t = has_time.then(|| c.time.as_deref().unwrap_or(""));
                fmt::lead(out, &c.index, t)?;
                write!(out, " {:>9}", fmt::p(c.p_adjusted))?;
            } else {
                let pad = if has_time { 8 + 2 + 20 } else { 8 };
                write!(out, "{:pad$} {:>9}", "", "")?;
            }
            writeln!(
                out,
                "  {:<width$} {:>11} {:>11}",
                short,
                fmt::num(d.before),
                fmt::num(d.after)
            )?;
        }
    }
    Ok(())
}

/// `LABEL: WHAT, k change points (method cost, penalty p, min size m)`.
fn summary_line(
    out: &mut impl Write,
    label: &str,
    what: &str,
    k: usize,
    options: &DetectOptions,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{label}: {what}, {k} change point{} ({} {}, penalty {}, min size {})",
        if k == 1 { "" } else { "s" },
        options.method,
        options.cost,
        options.penalty,
        options.min_size,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_lists_split_outside_keys() {
        let got = split_names(&["a, b".into(), "m{target=\"x\", le=\"0.5\"},c".into()]);
        assert_eq!(got, vec!["a", "b", "m{target=\"x\", le=\"0.5\"}", "c"]);
    }
}
