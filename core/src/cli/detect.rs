//! `shiftwatch detect FILE`: change points of one series (a CSV column, or one series of a
//! tidy CSV, Prometheus JSON or OpenMetrics file), or of several aligned columns at once
//! (`--column a --column b`, or `--column a,b`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::changepoint::{
    detect, detect_multivariate, CostKind, DetectOptions, Method, MultiDetection, Penalty,
};
use crate::error::Location;
use crate::Error;

/// Arguments of `shiftwatch detect`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  shiftwatch detect latency.csv
  shiftwatch detect bench.csv --column ops_per_sec --penalty bic --format json
  shiftwatch detect counts.csv --cost poisson --min-size 10
  shiftwatch detect prometheus_range.json --column 'process_resident_memory_bytes'
  shiftwatch detect service.csv --column latency,cpu,errors --format json
  cat values.csv | shiftwatch detect -

Indices are 0-based and name the first sample of each new segment. When the file has a
column named time, timestamp or date, its value at each change point is printed too.
With several columns, change points are searched jointly (multivariate l2 cost, each column
standardised by its own noise scale) and each is reported with every column's levels.")]
pub struct DetectArgs {
    /// A CSV file with a header line, or a tidy CSV, Prometheus JSON or OpenMetrics file (`-`
    /// reads standard input).
    pub file: PathBuf,
    /// Column to analyse: a header name or a 1-based number (default: the first numeric
    /// column that is not a time column); for tidy, Prometheus and OpenMetrics input, a metric
    /// name, a target or a series key (needed when the file holds several series). Repeat it, or separate
    /// names by commas, to analyse several aligned columns jointly.
    #[arg(long, short = 'c', value_delimiter = ',')]
    pub column: Vec<String>,
    /// Search: pelt (exact), fpop (exact, l2 and poisson), dp (exact, slow oracle), binseg
    /// (greedy), edivisive (energy statistic with a permutation test per change; ignores --cost
    /// and --penalty, uses --min-size, --alpha as its level, --permutations, --seed).
    #[arg(long, default_value = "pelt")]
    pub method: String,
    /// Segment cost: l2 (mean), normal (mean+variance), poisson (counts), linear (trend),
    /// l1 (robust), np (distribution).
    #[arg(long, default_value = "l2")]
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

/// One numeric column read from a CSV file, with the time column if any.
pub(super) struct Column {
    pub(super) name: String,
    pub(super) values: Vec<f64>,
    pub(super) times: Option<Vec<String>>,
}

const TIME_NAMES: [&str; 4] = ["time", "timestamp", "date", "datetime"];

/// Splits one CSV line on commas, honouring double quotes; returns (1-based column, field).
fn split_line(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut start = 1;
    let mut quoted = false;
    for (i, ch) in line.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push((start, std::mem::take(&mut field)));
                start = line[..=i].chars().count() + 1;
            }
            _ => field.push(ch),
        }
    }
    out.push((start, field));
    out
}

fn parse_error(file: &str, line: usize, column: usize, msg: String) -> Error {
    Error::Parse {
        location: Location {
            file: file.to_string(),
            line,
            column,
            json_path: None,
        },
        msg,
    }
}

/// Reads the column `want` (name or 1-based number) of a CSV text.
pub(super) fn read_column(file: &str, text: &str, want: Option<&str>) -> Result<Column, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate();
    let header = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((i, l)) => break (i + 1, split_line(l.trim_end_matches('\r'))),
            None => {
                return Err(parse_error(
                    file,
                    1,
                    1,
                    "empty file: expected a header line".into(),
                ))
            }
        }
    };
    let names: Vec<String> = header.1.iter().map(|(_, f)| f.trim().to_string()).collect();
    let time_idx = names
        .iter()
        .position(|n| TIME_NAMES.contains(&n.to_ascii_lowercase().as_str()));
    let rows: Vec<(usize, Vec<(usize, String)>)> = lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, split_line(l.trim_end_matches('\r'))))
        .collect();
    let idx = match want {
        Some(w) => match names.iter().position(|n| n == w) {
            Some(i) => i,
            None => match w.parse::<usize>() {
                Ok(k) if k >= 1 && k <= names.len() => k - 1,
                _ => {
                    return Err(parse_error(
                        file,
                        header.0,
                        1,
                        format!("no column '{w}'; the header has: {}", names.join(", ")),
                    ))
                }
            },
        },
        None => {
            let first = rows.first().map(|r| &r.1);
            (0..names.len())
                .find(|&i| {
                    Some(i) != time_idx
                        && first
                            .and_then(|r| r.get(i))
                            .is_some_and(|(_, f)| f.trim().parse::<f64>().is_ok())
                })
                .ok_or_else(|| {
                    parse_error(
                        file,
                        header.0,
                        1,
                        "no numeric column found; choose one with --column".into(),
                    )
                })?
        }
    };
    let mut values = Vec::with_capacity(rows.len());
    let mut times = time_idx.map(|_| Vec::with_capacity(rows.len()));
    for (line, fields) in &rows {
        let Some((col, raw)) = fields.get(idx) else {
            let col = fields.last().map_or(1, |(c, f)| c + f.chars().count());
            return Err(parse_error(
                file,
                *line,
                col,
                format!("expected {} fields, found {}", names.len(), fields.len()),
            ));
        };
        let v: f64 = raw.trim().parse().map_err(|_| {
            parse_error(
                file,
                *line,
                *col,
                format!(
                    "column '{}': expected a number, found '{}'",
                    names[idx],
                    raw.trim()
                ),
            )
        })?;
        if !v.is_finite() {
            return Err(parse_error(
                file,
                *line,
                *col,
                format!("column '{}': value is not finite ({v})", names[idx]),
            ));
        }
        values.push(v);
        if let (Some(t), Some(ti)) = (times.as_mut(), time_idx) {
            t.push(
                fields
                    .get(ti)
                    .map(|(_, f)| f.trim().to_string())
                    .unwrap_or_default(),
            );
        }
    }
    Ok(Column {
        name: names[idx].clone(),
        values,
        times,
    })
}

/// Runs `shiftwatch detect`.
///
/// # Errors
/// Unreadable file, malformed CSV (with file:line:column), bad option values, or too few values.
pub fn run(args: DetectArgs) -> anyhow::Result<u8> {
    if args.method.trim().eq_ignore_ascii_case("edivisive") {
        return super::edivisive::run(args);
    }
    let options = DetectOptions {
        cost: args.cost.parse::<CostKind>()?,
        method: args.method.parse::<Method>()?,
        penalty: args.penalty.parse::<Penalty>()?,
        min_size: args.min_size,
        alpha: args.alpha,
    };
    let json = args.format == "json";
    let (label, text) = super::detect_input::read_text(&args.file)?;
    if args.column.len() > 1 {
        let columns = args
            .column
            .iter()
            .map(|c| super::detect_input::read_series(&label, &text, Some(c)))
            .collect::<Result<Vec<_>, _>>()?;
        let views: Vec<&[f64]> = columns.iter().map(|c| c.values.as_slice()).collect();
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let detection = detect_multivariate(&views, &options)
            .with_context(|| format!("{label}: columns '{}'", names.join("', '")))?;
        let times = columns.first().and_then(|c| c.times.as_deref());
        print_multi(&label, &names, times, &detection, &options, json)?;
        return Ok(crate::cli::EXIT_OK);
    }
    let column =
        super::detect_input::read_series(&label, &text, args.column.first().map(String::as_str))?;
    for note in &column.notes {
        eprintln!("{label}: {note}");
    }
    let detection = detect(&column.values, &options)
        .with_context(|| format!("{label}: column '{}'", column.name))?;
    let time_at = |i: usize| column.times.as_ref().and_then(|t| t.get(i).cloned());
    let mut out = std::io::stdout().lock();
    if json {
        let cps: Vec<serde_json::Value> = detection
            .change_points
            .iter()
            .map(|c| {
                serde_json::json!({
                    "index": c.index,
                    "time": time_at(c.index),
                    "before": c.before,
                    "after": c.after,
                    "magnitude": c.magnitude,
                    "p_value": c.p_value,
                    "p_adjusted": c.p_adjusted,
                    "kind": c.kind,
                })
            })
            .collect();
        let mut doc = serde_json::json!({
            "file": label,
            "column": column.name,
            "n": detection.n,
            "method": options.method,
            "cost": options.cost,
            "penalty": options.penalty.to_string(),
            "penalty_value": detection.penalty_value,
            "min_size": options.min_size,
            "alpha": options.alpha,
            "noise": detection.noise,
            "change_points": cps,
        });
        if !column.notes.is_empty() {
            // What reading did to the series (rates, skipped points): only when there is some.
            doc["notes"] = serde_json::json!(column.notes);
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        writeln!(
            out,
            "{label}: column '{}', {} values, {} change point{} ({} {}, penalty {}, min size {})",
            column.name,
            detection.n,
            detection.change_points.len(),
            if detection.change_points.len() == 1 {
                ""
            } else {
                "s"
            },
            options.method,
            options.cost,
            options.penalty,
            options.min_size,
        )?;
        if !detection.change_points.is_empty() {
            let has_time = column.times.is_some();
            write_lead(&mut out, &"index", has_time.then_some("time"))?;
            writeln!(
                out,
                " {:>11} {:>11} {:>9} {:>9}",
                "before", "after", "p_adj", "kind"
            )?;
            for c in &detection.change_points {
                let t = time_at(c.index);
                write_lead(
                    &mut out,
                    &c.index,
                    has_time.then(|| t.as_deref().unwrap_or("")),
                )?;
                let kind = match c.kind {
                    crate::changepoint::ChangeKind::Step => "step",
                    crate::changepoint::ChangeKind::Trend => "trend",
                    crate::changepoint::ChangeKind::Variance => "variance",
                };
                writeln!(
                    out,
                    " {:>11} {:>11} {:>9} {:>9}",
                    fmt_num(c.before),
                    fmt_num(c.after),
                    fmt_p(c.p_adjusted),
                    kind
                )?;
            }
        }
    }
    out.flush()?;
    Ok(crate::cli::EXIT_OK)
}

/// Prints the change points of several columns: a table (one line per column and change
/// point) or a JSON object with per-column levels.
fn print_multi(
    label: &str,
    names: &[&str],
    times: Option<&[String]>,
    detection: &MultiDetection,
    options: &DetectOptions,
    json: bool,
) -> anyhow::Result<()> {
    let time_at = |i: usize| times.and_then(|t| t.get(i).cloned());
    let mut out = std::io::stdout().lock();
    if json {
        let cps: Vec<serde_json::Value> = detection
            .change_points
            .iter()
            .map(|c| {
                let dims: Vec<serde_json::Value> = c
                    .dims
                    .iter()
                    .zip(names)
                    .map(|(d, name)| {
                        serde_json::json!({
                            "column": name,
                            "before": d.before,
                            "after": d.after,
                            "magnitude": d.magnitude,
                            "z": d.z,
                            "p_value": d.p_value,
                        })
                    })
                    .collect();
                serde_json::json!({
                    "index": c.index,
                    "time": time_at(c.index),
                    "p_value": c.p_value,
                    "p_adjusted": c.p_adjusted,
                    "dims": dims,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "file": label,
            "columns": names,
            "n": detection.n,
            "d": detection.d,
            "method": options.method,
            "cost": options.cost,
            "penalty": options.penalty.to_string(),
            "penalty_value": detection.penalty_value,
            "min_size": options.min_size,
            "alpha": options.alpha,
            "noise": detection.noise,
            "scale": detection.scale,
            "change_points": cps,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        let k = detection.change_points.len();
        writeln!(
            out,
            "{label}: columns '{}', {} rows, {k} change point{} ({} {}, penalty {}, min size {})",
            names.join("', '"),
            detection.n,
            if k == 1 { "" } else { "s" },
            options.method,
            options.cost,
            options.penalty,
            options.min_size,
        )?;
        if k > 0 {
            let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(6);
            let width = width.clamp(6, 14);
            let has_time = times.is_some();
            write_lead(&mut out, &"index", has_time.then_some("time"))?;
            writeln!(
                out,
                " {:>9}  {:<width$} {:>11} {:>11}",
                "p_adj", "column", "before", "after"
            )?;
            for c in &detection.change_points {
                for (j, (d, name)) in c.dims.iter().zip(names).enumerate() {
                    let short: String = name.chars().take(width).collect();
                    if j == 0 {
                        let t = time_at(c.index);
                        let t = has_time.then(|| t.as_deref().unwrap_or(""));
                        write_lead(&mut out, &c.index, t)?;
                        write!(out, " {:>9}", fmt_p(c.p_adjusted))?;
                    } else {
                        let pad = if has_time { 8 + 2 + 20 } else { 8 };
                        write!(out, "{:pad$} {:>9}", "", "")?;
                    }
                    writeln!(
                        out,
                        "  {:<width$} {:>11} {:>11}",
                        short,
                        fmt_num(d.before),
                        fmt_num(d.after)
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Writes the leading cells of a table row: the index, and the time when the input has times.
fn write_lead(
    out: &mut impl Write,
    index: &dyn std::fmt::Display,
    time: Option<&str>,
) -> std::io::Result<()> {
    match time {
        Some(t) => write!(out, "{index:>8}  {t:<20}"),
        None => write!(out, "{index:>8}"),
    }
}

pub(super) fn fmt_num(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e6 || v.abs() < 1e-3) {
        format!("{v:.4e}")
    } else {
        format!("{v:.4}")
    }
}

pub(super) fn fmt_p(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.1e}")
    } else {
        format!("{p:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_named_and_default_columns_with_locations() {
        let text = "time,\"a b\",value\n1,x,1.5\n2,y,2.5\n";
        let c = read_column("f.csv", text, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.name, "value");
        assert_eq!(c.values, vec![1.5, 2.5]);
        assert_eq!(c.times, Some(vec!["1".to_string(), "2".to_string()]));
        let err = read_column("f.csv", "v\n1\nabc\n", Some("v")).err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.starts_with("f.csv:3:1:"), "{msg}");
        let err = read_column("f.csv", "a,b\n1,2\n3,zz\n", Some("b")).err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.starts_with("f.csv:3:3:"), "{msg}");
        assert!(read_column("f.csv", "a\n1\n", Some("nope")).is_err());
        assert!(read_column("f.csv", "", None).is_err());
    }
}
