//! Grafana "Download CSV" exports (and any `time,value…` CSV such as the NAB CloudWatch files).
//!
//! Forms, told apart by the header (names case-insensitive):
//!
//! - **wide** ("series joined by time", and per-series frames with one value column):
//!   `"Time","<series>","<series>"…`. A series header in Prometheus notation
//!   (`go_goroutines{experiment="e", target="kubo27-1"}`) gives metric and labels; the target is
//!   the label named by `target_label`. A plain header (`kubo27-1`) is the target; the metric is
//!   `--metric` or the file stem.
//! - **series as rows** (older Grafana): `"Series","Time","Value"`; the series column is parsed
//!   like a wide header.
//! - **table / long**: `Time`, label columns, and `Value` or `Value #A`, `Value #B`… columns.
//!   Label columns become labels (`__name__` is the metric); a `Value #A` column adds
//!   `query="A"`.
//!
//! Time column: `Time`, `timestamp`, `date`, `datetime` or `_time`, holding epoch ms (or any
//! epoch by magnitude) or RFC 3339. Empty cells are missing points; a trailing blank line is
//! ignored. A file without a time column is an error, unless
//! [`super::ReadOptions::number_rows`] is set: then every column (a `value` column too) is a
//! wide-form series and the rows are numbered 0, 1, 2… in place of timestamps (noted, and flagged in
//! [`crate::series::ReadReport::row_numbers`]).
//!
//! **"Formatted data" exports** (local times without offset, values like `1.25 GiB`, `61.2%`)
//! are rejected with an error that says how to export raw data: unit strings are lossy (rounded,
//! scaled by auto-chosen prefixes) and local times are ambiguous around DST changes. Naive times
//! are accepted only with an explicit fixed `timezone` (needed for NAB CSVs, which are UTC).

use std::collections::BTreeMap;
use std::io::BufRead;

use super::csv::{located, CsvReader, Header, Record};
use super::labels;
use super::value::parse_value;
use super::Ctx;
use crate::series::time::parse_timestamp;
use crate::series::{Kind, SeriesKey};
use crate::Result;

const TIME_NAMES: [&str; 5] = ["time", "timestamp", "date", "datetime", "_time"];

/// Buffers reused across rows.
#[derive(Default)]
struct Scratch {
    raw: Vec<u8>,
    vals: Vec<Option<f64>>,
}

enum Form {
    /// Column → series index.
    Wide(Vec<(usize, usize)>),
    /// Series column, value column.
    Rows { series: usize, value: usize },
    /// Value columns (index, query suffix), label columns (index, name).
    Long {
        values: Vec<(usize, Option<String>)>,
        labels: Vec<(usize, String)>,
    },
}

/// Key from a series header: Prometheus notation, else the whole text is the target.
fn key_from_name(name: &str, ctx: &Ctx<'_>) -> SeriesKey {
    let trimmed = name.trim();
    if let Ok(p) = labels::parse(trimmed) {
        if p.end == trimmed.len() && trimmed.contains('{') {
            let mut l = p.labels;
            let target = l.remove(&ctx.opts.target_label).unwrap_or_default();
            l.remove("__name__");
            let metric = if p.name.is_empty() {
                ctx.default_metric.to_string()
            } else {
                p.name
            };
            return SeriesKey {
                metric,
                target,
                labels: l,
            };
        }
    }
    SeriesKey {
        metric: ctx.default_metric.to_string(),
        target: trimmed.to_string(),
        labels: BTreeMap::new(),
    }
}

pub(crate) fn read_with_header<R: BufRead>(
    mut reader: CsvReader<R>,
    header: &Header,
    ctx: &mut Ctx<'_>,
) -> Result<()> {
    let names: Vec<String> = header
        .fields
        .iter()
        .map(|f| f.trim().to_ascii_lowercase())
        .collect();
    let time_col = names.iter().position(|n| TIME_NAMES.contains(&n.as_str()));
    if time_col.is_none() {
        if !ctx.opts.number_rows {
            return Err(located(
                ctx.file,
                header.line,
                1,
                format!(
                    "no time column in header '{}': expected a Grafana CSV with a 'Time' column, \
                     or a tidy CSV (timestamp, metric, value, …)",
                    crate::series::time::shorten(&header.fields.join(","))
                ),
            ));
        }
        ctx.report.row_numbers = true;
        ctx.report.note(format!(
            "{}: no time column; rows are numbered 0, 1, 2… in place of times",
            ctx.file
        ));
    }
    let is_value = |n: &str| n == "value" || n.starts_with("value #");
    // Without a time column (numbered rows) every column is a series, `value` included: a
    // plain CSV, never a Grafana table whose label columns need a time column.
    let wide_only = time_col.is_none();
    let form = if wide_only {
        Form::Wide(wide_columns(header, time_col, ctx))
    } else if let (Some(series), Some(value), 3) = (
        names.iter().position(|n| n == "series"),
        names.iter().position(|n| n == "value"),
        names.len(),
    ) {
        Form::Rows { series, value }
    } else if names.iter().any(|n| is_value(n)) {
        let mut values = Vec::new();
        let mut label_cols = Vec::new();
        for (i, n) in names.iter().enumerate() {
            if Some(i) == time_col {
                continue;
            }
            if is_value(n) {
                let q = header.fields[i]
                    .trim()
                    .get(7..)
                    .map(|q| q.trim().to_string());
                values.push((i, q.filter(|q| !q.is_empty())));
            } else {
                label_cols.push((i, header.fields[i].trim().to_string()));
            }
        }
        Form::Long {
            values,
            labels: label_cols,
        }
    } else {
        Form::Wide(wide_columns(header, time_col, ctx))
    };
    let n = header.fields.len();
    let mut scratch = Scratch::default();
    // Row number of the next data row (the time of a file without a time column).
    let mut row_no: i64 = 0;
    while let Some(rec) = reader.next_record()? {
        if rec.is_blank() {
            ctx.report.blank_lines += 1;
            continue;
        }
        ctx.report.rows += 1;
        let time = match time_col {
            Some(c) => Time::Column(c),
            None => Time::Row(row_no),
        };
        row_no += 1;
        if let Err(e) = row(&rec, n, time, &form, header, &mut scratch, ctx) {
            ctx.skip_or_fail(e)?;
        }
    }
    Ok(())
}

/// Wide form: every column but the time column is a series; (column, series index) pairs.
fn wide_columns(
    header: &Header,
    time_col: Option<usize>,
    ctx: &mut Ctx<'_>,
) -> Vec<(usize, usize)> {
    let mut cols = Vec::new();
    for (i, f) in header.fields.iter().enumerate() {
        if Some(i) == time_col {
            continue;
        }
        let key = key_from_name(f, ctx);
        cols.push((i, ctx.set.index_of(key, Kind::Unknown)));
    }
    cols
}

/// Where a row's time comes from.
#[derive(Clone, Copy)]
enum Time {
    /// A time column.
    Column(usize),
    /// No time column: the 0-based row number ([`super::ReadOptions::number_rows`]).
    Row(i64),
}

fn row(
    rec: &Record<'_>,
    n: usize,
    time: Time,
    form: &Form,
    header: &Header,
    scratch: &mut Scratch,
    ctx: &mut Ctx<'_>,
) -> Result<()> {
    let Scratch { raw, vals } = scratch;
    let file = ctx.file;
    let at = |i: usize, msg: String| located(file, rec.field_line(i), rec.column(i), msg);
    if rec.len() != n {
        return Err(at(
            rec.len().min(n),
            format!(
                "expected {n} fields like the header ({}), found {}",
                crate::series::time::shorten(&header.fields.join(",")),
                rec.len()
            ),
        ));
    }
    let t = match time {
        Time::Column(c) => parse_timestamp(rec.get(c), ctx.opts.timezone)
            .map_err(|e| at(c, e.message(rec.get(c))))?,
        Time::Row(r) => r,
    };
    match form {
        Form::Wide(cols) => {
            // Validate the whole row first so a bad cell never leaves half a row behind.
            vals.clear();
            for &(i, _) in cols {
                vals.push(parse_value(rec.get(i)).map_err(|m| at(i, m))?);
            }
            for (&(_, idx), &v) in cols.iter().zip(vals.iter()) {
                match v {
                    Some(v) => ctx.set.push(idx, t, v),
                    None => ctx.set.missing(idx),
                }
            }
        }
        Form::Rows { series, value } => {
            let v = parse_value(rec.get(*value)).map_err(|m| at(*value, m))?;
            let name = rec.get(*series);
            let idx = match ctx.set.lookup_raw(name.as_bytes()) {
                Some(i) => i,
                None => {
                    let key = key_from_name(name, ctx);
                    ctx.set.insert(name.as_bytes(), key, Kind::Unknown)
                }
            };
            match v {
                Some(v) => ctx.set.push(idx, t, v),
                None => ctx.set.missing(idx),
            }
        }
        Form::Long { values, labels } => {
            let mut parsed = Vec::with_capacity(values.len());
            for (i, _) in values {
                parsed.push(parse_value(rec.get(*i)).map_err(|m| at(*i, m))?);
            }
            for ((vi, query), v) in values.iter().zip(parsed) {
                // Length-prefixed so no cell content can make two identities collide.
                raw.clear();
                raw.extend_from_slice(&(*vi as u64).to_le_bytes());
                for (li, _) in labels {
                    let cell = rec.get(*li);
                    raw.extend_from_slice(&(cell.len() as u64).to_le_bytes());
                    raw.extend_from_slice(cell.as_bytes());
                }
                let idx = match ctx.set.lookup_raw(raw) {
                    Some(i) => i,
                    None => {
                        let mut key = SeriesKey {
                            metric: ctx.default_metric.to_string(),
                            ..SeriesKey::default()
                        };
                        for (li, name) in labels {
                            let value = rec.get(*li).to_string();
                            if name == "__name__" {
                                if !value.is_empty() {
                                    key.metric = value;
                                }
                            } else if *name == ctx.opts.target_label {
                                key.target = value;
                            } else {
                                key.labels.insert(name.clone(), value);
                            }
                        }
                        if let Some(q) = query {
                            key.labels.insert("query".to_string(), q.clone());
                        }
                        ctx.set.insert(raw, key, Kind::Unknown)
                    }
                };
                match v {
                    Some(v) => ctx.set.push(idx, t, v),
                    None => ctx.set.missing(idx),
                }
            }
        }
    }
    Ok(())
}
