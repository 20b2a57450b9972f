//! `shiftwatch compare FILE --baseline COL --candidate COL`: compare two numeric columns of a
//! plain CSV file with the calibrated default of [`crate::stats::compare::compare`].

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use crate::error::Location;
use crate::stats::compare::{
    compare, CompareMethod, CompareOptions, Comparison, Pairing, Statistic,
};
use crate::stats::Alternative;
use crate::Error;

/// Output format of `shiftwatch compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table (fits 80 columns).
    Table,
    /// The serde `Comparison` plus an `input` object, as JSON.
    Json,
}

/// Arguments of `shiftwatch compare`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    shiftwatch compare datasets/examples/gateway_ttfb.csv --baseline baseline --candidate candidate\n  \
    shiftwatch compare run.csv --baseline old --candidate new --paired log-ratio --format json\n\n\
    Empty and NaN cells count as missing: they are reported, never silently dropped. Unpaired,\n\
    each column keeps its own non-missing values; paired, rows missing either value are dropped.")]
pub struct Args {
    /// Plain CSV file with a header row.
    pub file: PathBuf,
    /// Name of the baseline column.
    #[arg(long)]
    pub baseline: String,
    /// Name of the candidate column.
    #[arg(long)]
    pub candidate: String,
    /// Treat rows as timestamp-aligned pairs: test per-row differences or log-ratios.
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// What was read from the file, reported with the result.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// The file as given.
    pub file: String,
    /// Baseline column name.
    pub baseline_column: String,
    /// Candidate column name.
    pub candidate_column: String,
    /// Data rows in the file.
    pub rows: usize,
    /// Missing (empty or NaN) baseline cells.
    pub missing_baseline: usize,
    /// Missing (empty or NaN) candidate cells.
    pub missing_candidate: usize,
    /// Rows not used (paired mode: rows with either value missing).
    pub rows_dropped: usize,
}

/// JSON output: the comparison's fields plus `input`.
#[derive(Debug, Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    comparison: &'a Comparison,
    input: &'a Input,
}

#[derive(Debug)]
struct Columns {
    baseline: Vec<Option<f64>>,
    candidate: Vec<Option<f64>>,
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

/// Splits one CSV line into (1-based column, trimmed cell) pairs. Double-quoted fields may
/// hold commas and `""` for a quote (RFC 4180); fields spanning lines are not supported.
fn cells(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    let mut col = 1;
    let mut field_col = 1;
    let mut cell = String::new();
    let mut in_quotes = false;
    while let Some(ch) = chars.next() {
        col += 1;
        if in_quotes {
            if ch == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    col += 1;
                    cell.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                cell.push(ch);
            }
        } else if ch == '"' && cell.trim().is_empty() {
            cell.clear();
            in_quotes = true;
        } else if ch == ',' {
            out.push((field_col, cell.trim().to_string()));
            cell.clear();
            field_col = col;
        } else {
            cell.push(ch);
        }
    }
    out.push((field_col, cell.trim().to_string()));
    out
}

/// Reads the two named columns of a plain CSV text.
fn read_columns(text: &str, file: &str, baseline: &str, candidate: &str) -> Result<Columns, Error> {
    let mut lines = text.lines().enumerate();
    let header = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((i, l)) => break (i + 1, l.trim_start_matches('\u{feff}')),
            None => return Err(parse_error(file, 1, 0, "empty file: no header row".into())),
        }
    };
    let names: Vec<String> = cells(header.1).into_iter().map(|c| c.1).collect();
    let find = |name: &str| {
        names.iter().position(|n| *n == name).ok_or_else(|| {
            parse_error(
                file,
                header.0,
                0,
                format!(
                    "no column named '{name}'; columns are: {}",
                    names.join(", ")
                ),
            )
        })
    };
    let (ib, ic) = (find(baseline)?, find(candidate)?);
    let mut cols = Columns {
        baseline: Vec::new(),
        candidate: Vec::new(),
    };
    for (i, line) in lines {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let row = cells(line);
        if row.len() != names.len() {
            return Err(parse_error(
                file,
                line_no,
                0,
                format!(
                    "expected {} fields as in the header, found {}",
                    names.len(),
                    row.len()
                ),
            ));
        }
        for (idx, target) in [(ib, &mut cols.baseline), (ic, &mut cols.candidate)] {
            let (col, cell) = &row[idx];
            target.push(parse_cell(cell).map_err(|msg| parse_error(file, line_no, *col, msg))?);
        }
    }
    Ok(cols)
}

fn parse_cell(cell: &str) -> Result<Option<f64>, String> {
    if cell.is_empty() || cell.eq_ignore_ascii_case("nan") {
        return Ok(None);
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(v) => Err(format!(
            "value {v} is not finite (only empty or NaN cells mean missing)"
        )),
        Err(_) => Err(format!("'{cell}' is not a number")),
    }
}

/// Runs `shiftwatch compare`; returns the exit code.
///
/// # Errors
/// File, parse and statistics errors (the caller prints them and exits with 2).
pub fn run(args: &Args) -> anyhow::Result<u8> {
    let file = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).map_err(|source| Error::Io {
        path: file.clone(),
        source,
    })?;
    let cols = read_columns(&text, &file, &args.baseline, &args.candidate)?;
    let rows = cols.baseline.len();
    let missing = |v: &[Option<f64>]| v.iter().filter(|x| x.is_none()).count();
    let (missing_baseline, missing_candidate) = (missing(&cols.baseline), missing(&cols.candidate));
    let (b, c, rows_dropped): (Vec<f64>, Vec<f64>, usize) = if args.paired.is_some() {
        let pairs: Vec<(f64, f64)> = cols
            .baseline
            .iter()
            .zip(&cols.candidate)
            .filter_map(|(b, c)| Some(((*b)?, (*c)?)))
            .collect();
        let dropped = rows - pairs.len();
        let (b, c) = pairs.into_iter().unzip();
        (b, c, dropped)
    } else {
        let keep = |v: &[Option<f64>]| v.iter().flatten().copied().collect::<Vec<f64>>();
        (keep(&cols.baseline), keep(&cols.candidate), 0)
    };
    let options = CompareOptions {
        alpha: args.alpha,
        alternative: args.alternative,
        paired: args.paired,
        statistic: args.statistic,
        method: args.method,
    };
    let result = compare(&b, &c, &options).with_context(|| format!("{file}: cannot compare"))?;
    let input = Input {
        file,
        baseline_column: args.baseline.clone(),
        candidate_column: args.candidate.clone(),
        rows,
        missing_baseline,
        missing_candidate,
        rows_dropped,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &Output {
                    comparison: &result,
                    input: &input,
                },
            )?;
            writeln!(out)?;
        }
        Format::Table => write_table(&mut out, &result, &input)?,
    }
    out.flush()?;
    Ok(super::EXIT_OK)
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

fn write_table(out: &mut impl Write, r: &Comparison, input: &Input) -> std::io::Result<()> {
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
    let verdict = if r.p_value < r.alpha {
        "significant"
    } else {
        "not significant"
    };
    writeln!(out, "at alpha = {}: {verdict}", r.alpha)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_columns_and_locates_bad_cells() {
        let text = "t,a,b\n1,1.5,2\n2,,3\n3,NaN,4\n";
        let cols = read_columns(text, "f.csv", "a", "b").unwrap();
        assert_eq!(cols.baseline, vec![Some(1.5), None, None]);
        let err = read_columns("t,a,b\n1,x,2\n", "f.csv", "a", "b").unwrap_err();
        assert_eq!(err.to_string(), "f.csv:2:3: 'x' is not a number");
        let err = read_columns("t,a\n1,2\n", "f.csv", "a", "b").unwrap_err();
        assert!(err.to_string().contains("no column named 'b'"));
        assert!(read_columns("t,a,b\n1,2\n", "f.csv", "a", "b").is_err());
        let cols = read_columns(
            "\"t, x\",\"a\",b\r\n\"1,5\",\"2.5\",3\r\n",
            "f.csv",
            "a",
            "b",
        )
        .unwrap();
        assert_eq!(cols.baseline, vec![Some(2.5)]);
        let err = read_columns("t,a,b\n\"x,y\",1,zz\n", "f.csv", "a", "b").unwrap_err();
        assert_eq!(err.to_string(), "f.csv:2:9: 'zz' is not a number");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(123.456), "123.5");
        assert_eq!(num(0.012345), "0.01235");
        assert_eq!(pct(0.0601), "+6.01%");
    }
}
