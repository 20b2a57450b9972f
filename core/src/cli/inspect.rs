//! `shiftwatch inspect FILES…`: what was found in unfamiliar exports — series, kinds, points,
//! interval, gaps, counter resets, time range, and what was skipped or repaired.

use std::io::Write;
use std::path::PathBuf;

use crate::io::inspect::{inspect, Inspection};
use crate::io::{Format, Inputs, ReadOptions};
use crate::report::inspect::InspectReport;
use crate::series::time::{format_rfc3339, FixedOffset};
use crate::series::Kind;

/// Arguments of `shiftwatch inspect`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    shiftwatch inspect grafana-export.csv\n  \
    shiftwatch inspect --input-format openmetrics --target-label instance dump.txt\n  \
    shiftwatch inspect --timezone UTC --metric cpu nab.csv --format json\n  \
    shiftwatch inspect --prometheus http://localhost:9090 --query up --start now-1h --step 15s")]
pub struct InspectArgs {
    /// Files to read (tidy CSV, Grafana CSV, Prometheus JSON, OpenMetrics text).
    #[arg(required_unless_present = "prometheus", conflicts_with = "prometheus")]
    pub files: Vec<PathBuf>,
    /// Live source instead of files.
    #[command(flatten)]
    pub live: super::input::LiveArgs,
    /// With --prometheus: the query resolution [default: 15s].
    #[arg(long, requires = "prometheus", help_heading = "Live source")]
    pub step: Option<String>,
    /// Input format: auto, tidy, grafana, prometheus, openmetrics.
    #[arg(long, default_value = "auto", value_parser = parse_format)]
    pub input_format: Format,
    /// Offset for timestamps without one (UTC, +02:00); otherwise they are an error.
    #[arg(long, value_parser = parse_offset)]
    pub timezone: Option<FixedOffset>,
    /// Metric name when the data has none (default: the file stem).
    #[arg(long)]
    pub metric: Option<String>,
    /// Label that names the target.
    #[arg(long, default_value = "target")]
    pub target_label: String,
    /// Skip malformed rows (listed in the output) instead of failing.
    #[arg(long)]
    pub lenient: bool,
    /// Declare a metric's kind when the file does not: METRIC=KIND (repeatable), e.g.
    /// --kind http_requests=counter --kind rpc_duration_seconds=histogram.
    #[arg(long = "kind", value_name = "METRIC=KIND", value_parser = parse_kind)]
    pub kinds: Vec<(String, Kind)>,
    /// Output: table or json.
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|e: crate::Error| e.to_string())
}

fn parse_kind(s: &str) -> Result<(String, Kind), String> {
    let (m, k) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}': expected METRIC=KIND"))?;
    let kind = k.parse::<Kind>().map_err(|e| e.to_string())?;
    Ok((m.trim().to_string(), kind))
}

fn parse_offset(s: &str) -> Result<FixedOffset, String> {
    s.parse().map_err(|e: crate::Error| e.to_string())
}

fn duration(ms: i64) -> String {
    match ms {
        m if m % 3_600_000 == 0 && m > 0 => format!("{}h", m / 3_600_000),
        m if m % 60_000 == 0 && m > 0 => format!("{}m", m / 60_000),
        m if m % 1000 == 0 => format!("{}s", m / 1000),
        m => format!("{m}ms"),
    }
}

/// Runs `inspect`: exit code 0, or an error (exit 2) naming file:line:column.
///
/// # Errors
/// Read and parse errors of the input files; write errors on stdout.
pub fn run(args: InspectArgs) -> anyhow::Result<u8> {
    let opts = ReadOptions {
        format: args.input_format,
        timezone: args.timezone,
        metric: args.metric,
        target_label: args.target_label,
        lenient: args.lenient,
        kinds: args.kinds.into_iter().collect(),
        number_rows: false,
    };
    let data = match args.live.read(args.step.as_deref(), &[], &opts)? {
        Some(d) => Inspection::from(d),
        None => inspect(Inputs::Paths(&args.files), &opts)?,
    };
    let rep = InspectReport(&data);
    // Buffered: stdout's line buffering would make a write per line of a large report.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if args.format == "json" {
        serde_json::to_writer_pretty(&mut out, &rep)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &rep)?;
    }
    out.flush()?;
    Ok(super::EXIT_OK)
}

fn write_table(out: &mut impl Write, rep: &InspectReport) -> std::io::Result<()> {
    let data = rep.0;
    let read = &data.report;
    let (mut points, mut first, mut last) = (0, None::<i64>, None::<i64>);
    for s in data.summaries() {
        points += s.data.points;
        first = first.into_iter().chain(s.first_ms).min();
        last = last.into_iter().chain(s.last_ms).max();
    }
    match &read.prometheus {
        Some(p) => {
            let queries: Vec<&str> = p.queries.iter().map(|q| q.expr.as_str()).collect();
            writeln!(out, "source: {} query {}", p.url, queries.join(", "))?;
            writeln!(out, "range:  {} .. {} step {}", p.start, p.end, p.step)?;
        }
        None => writeln!(out, "files:  {}", read.files.join(", "))?,
    }
    writeln!(out, "series: {}   points: {points}", data.len())?;
    if let (Some(a), Some(b)) = (first, last) {
        writeln!(
            out,
            "time:   {} .. {}",
            format_rfc3339(a),
            format_rfc3339(b)
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<9} {:>7} {:>8} {:>5} {:>6} {:>7}  SERIES",
        "KIND", "POINTS", "INTERVAL", "GAPS", "RESETS", "MISSING"
    )?;
    for s in data.summaries() {
        writeln!(
            out,
            "{:<9} {:>7} {:>8} {:>5} {:>6} {:>7}  {}",
            s.kind.as_str(),
            s.data.points,
            s.interval_ms.map_or("-".to_string(), duration),
            s.gaps,
            s.resets.map_or("-".to_string(), |r| r.to_string()),
            s.data.missing,
            s.key,
        )?;
        let mut extra = Vec::new();
        for (n, what) in [
            (s.data.nan, "NaN"),
            (s.data.infinite, "±Inf"),
            (s.data.duplicates, "duplicate"),
            (s.data.unsorted, "out-of-order"),
        ] {
            if n > 0 {
                extra.push(format!("{n} {what}"));
            }
        }
        // The time range only when it differs from the overall one.
        if let (Some(a), Some(b)) = (&s.first, &s.last) {
            if s.first_ms != first || s.last_ms != last {
                extra.push(format!("{a} .. {b}"));
            }
        }
        if !extra.is_empty() {
            writeln!(out, "    {}", extra.join(", "))?;
        }
    }
    if read.rows_skipped > 0 || read.blank_lines > 0 || !read.notes.is_empty() {
        writeln!(out)?;
    }
    if read.blank_lines > 0 {
        writeln!(out, "blank lines ignored: {}", read.blank_lines)?;
    }
    if read.rows_skipped > 0 {
        writeln!(out, "rows skipped: {}", read.rows_skipped)?;
        for s in &read.skipped {
            writeln!(out, "  {}: {}", s.location, s.reason)?;
        }
    }
    for n in &read.notes {
        writeln!(out, "note: {n}")?;
    }
    Ok(())
}
