//! Tidy CSV, shiftwatch's own format: one row per sample.
//!
//! ```text
//! timestamp,metric,target,role,release,value,labels[,kind][,unit]
//! 2024-05-01T12:00:00Z,http_latency_p99,kubo27-1,baseline,v0.27,0.183,method=GET;code=200
//! ```
//!
//! Columns are matched by name (case-insensitive, any order); `timestamp`, `metric` and `value`
//! are required, the others optional. `timestamp`: RFC 3339 with offset or epoch s/ms/µs/ns.
//! `value`: number, `NaN`, `+Inf`, `-Inf`, or empty (missing: counted, not stored). `labels`:
//! `k=v;k=v`. `role`: `baseline|candidate|other` or empty. `kind`: `gauge|counter|histogram|
//! summary|unknown` or empty. An empty `metric` falls back to `--metric`/the file stem; an empty
//! `target` to the target label in `labels`.
//!
//! Errors (or, with `lenient`, skipped rows): wrong field count, bad timestamp, bad value, bad
//! labels, bad role/kind. Blank lines are ignored and counted.

use std::collections::BTreeMap;
use std::io::BufRead;

use super::csv::{located, CsvReader, Header, Record};
use super::value::parse_value;
use super::Ctx;
use crate::series::time::parse_timestamp;
use crate::series::{keyblob, Kind, Role, SeriesKey};
use crate::Result;

const COLUMNS: [&str; 9] = [
    "timestamp",
    "metric",
    "target",
    "role",
    "release",
    "value",
    "labels",
    "kind",
    "unit",
];
const EXPECTED: &str = "timestamp, metric, target, role, release, value, labels, kind, unit";

/// `true` when a header names the tidy format's required columns.
pub(crate) fn is_tidy_header(fields: &[String]) -> bool {
    let has = |n: &str| fields.iter().any(|f| f.trim().eq_ignore_ascii_case(n));
    has("timestamp") && has("metric") && has("value")
}

pub(crate) fn read<R: BufRead>(mut reader: CsvReader<R>, ctx: &mut Ctx<'_>) -> Result<()> {
    let Some(header) = reader.next_record()? else {
        return Err(located(
            ctx.file,
            1,
            1,
            format!("empty file: expected a header ({EXPECTED})"),
        ));
    };
    let header = Header::from_record(&header);
    read_with_header(reader, &header, ctx)
}

/// Column positions of the header.
struct Cols {
    n: usize,
    idx: [Option<usize>; 9],
}

impl Cols {
    fn get(&self, name: usize) -> Option<usize> {
        self.idx[name]
    }
}

const TS: usize = 0;
const METRIC: usize = 1;
const TARGET: usize = 2;
const ROLE: usize = 3;
const RELEASE: usize = 4;
const VALUE: usize = 5;
const LABELS: usize = 6;
const KIND: usize = 7;
const UNIT: usize = 8;

fn header_cols(header: &Header, file: &str) -> Result<Cols> {
    header.check_unique(file)?;
    let mut idx = [None; 9];
    let line = header.line;
    for (i, f) in header.fields.iter().enumerate() {
        let col = header.column(i);
        let name = f.trim();
        let Some(c) = COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) else {
            return Err(located(
                file,
                line,
                col,
                format!("unknown column '{name}' in tidy CSV header; expected: {EXPECTED}"),
            ));
        };
        if idx[c].is_some() {
            return Err(located(
                file,
                line,
                col,
                format!("column '{name}' appears twice"),
            ));
        }
        idx[c] = Some(i);
    }
    for required in [TS, METRIC, VALUE] {
        if idx[required].is_none() {
            return Err(located(
                file,
                line,
                1,
                format!(
                    "tidy CSV header lacks the '{}' column; expected: {EXPECTED}",
                    COLUMNS[required]
                ),
            ));
        }
    }
    Ok(Cols {
        n: header.fields.len(),
        idx,
    })
}

pub(crate) fn read_with_header<R: BufRead>(
    mut reader: CsvReader<R>,
    header: &Header,
    ctx: &mut Ctx<'_>,
) -> Result<()> {
    let cols = header_cols(header, ctx.file)?;
    let fields = &header.fields;
    let mut raw = Vec::new();
    while let Some(rec) = reader.next_record()? {
        if rec.is_blank() {
            ctx.report.blank_lines += 1;
            continue;
        }
        ctx.report.rows += 1;
        if let Err(e) = row(&rec, &cols, fields, &mut raw, ctx) {
            ctx.skip_or_fail(e)?;
        }
    }
    Ok(())
}

fn row(
    rec: &Record<'_>,
    cols: &Cols,
    fields: &[String],
    raw: &mut Vec<u8>,
    ctx: &mut Ctx<'_>,
) -> Result<()> {
    let file = ctx.file;
    let at = |i: usize, msg: String| located(file, rec.field_line(i), rec.column(i), msg);
    if rec.len() != cols.n {
        let i = rec.len().min(cols.n);
        return Err(at(
            i,
            format!(
                "expected {} fields ({}), found {}",
                cols.n,
                fields.join(","),
                rec.len()
            ),
        ));
    }
    let field = |c: usize| cols.get(c).map_or("", |i| rec.get(i));
    let ti = cols.get(TS).unwrap_or(0);
    let t = parse_timestamp(rec.get(ti), ctx.opts.timezone)
        .map_err(|e| at(ti, e.message(rec.get(ti))))?;
    let vi = cols.get(VALUE).unwrap_or(0);
    let value = parse_value(rec.get(vi)).map_err(|m| at(vi, m))?;
    let metric = match field(METRIC) {
        "" => ctx.default_metric,
        m => m,
    };
    let target = field(TARGET);
    let labels_raw = field(LABELS);
    // Without labels the packed key itself identifies the series (no alias to keep); with
    // labels, a length-prefixed raw identity (no field content can make two collide) is an
    // alias of the key parsed from it.
    raw.clear();
    keyblob::put(raw, metric);
    keyblob::put(raw, target);
    let plain = labels_raw.is_empty();
    if !plain {
        raw.extend_from_slice(labels_raw.as_bytes());
    }
    let known = if plain {
        ctx.set.lookup_key(raw)
    } else {
        ctx.set.lookup_raw(raw)
    };
    let idx = match known {
        Some(i) => i,
        None => {
            let li = cols.get(LABELS).unwrap_or(0);
            let mut labels = parse_labels(labels_raw).map_err(|m| at(li, m))?;
            let mut target = target.to_string();
            if target.is_empty() {
                if let Some(t) = labels.remove(&ctx.opts.target_label) {
                    target = t;
                }
            }
            let kind = match cols.get(KIND) {
                Some(k) => rec
                    .get(k)
                    .parse::<Kind>()
                    .map_err(|e| at(k, e.to_string()))?,
                None => Kind::Unknown,
            };
            let key = SeriesKey {
                metric: metric.to_string(),
                target,
                labels,
            };
            let i = if plain {
                ctx.set.index_of(key, kind)
            } else {
                ctx.set.insert(raw, key, kind)
            };
            ctx.set.declare(i, kind, field(UNIT));
            i
        }
    };
    if cols.get(ROLE).is_some() || cols.get(RELEASE).is_some() {
        let role = match cols.get(ROLE) {
            Some(r) => parse_role(rec.get(r)).map_err(|e| at(r, e.to_string()))?,
            None => None,
        };
        if !ctx.set.set_role_release(idx, t, role, field(RELEASE)) {
            let r = cols.get(ROLE).unwrap_or(0);
            ctx.report.note(format!(
                "{}:{}:{}: series {} has more than one role; the first one is used",
                file,
                rec.field_line(r),
                rec.column(r),
                ctx.set.key(idx)
            ));
        }
    }
    match value {
        Some(v) => ctx.set.push(idx, t, v),
        None => ctx.set.missing(idx),
    }
    Ok(())
}

fn parse_role(s: &str) -> Result<Option<Role>> {
    let t = s.trim();
    // Allocation-free fast path for the per-row check.
    for (name, role) in [
        ("baseline", Role::Baseline),
        ("candidate", Role::Candidate),
        ("other", Role::Other),
    ] {
        if t.eq_ignore_ascii_case(name) {
            return Ok(Some(role));
        }
    }
    if t.is_empty() {
        Ok(None)
    } else {
        t.parse().map(Some)
    }
}

/// `k=v;k=v` → map (whitespace around keys and values trimmed).
pub(crate) fn parse_labels(s: &str) -> std::result::Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for part in s.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((k, v)) = part.split_once('=') else {
            return Err(format!(
                "cannot read labels '{s}': expected k=v;k=v (no '=' in '{part}')"
            ));
        };
        let k = k.trim();
        if k.is_empty() {
            return Err(format!("cannot read labels '{s}': empty label name"));
        }
        if out.insert(k.to_string(), v.trim().to_string()).is_some() {
            return Err(format!(
                "cannot read labels '{s}': label '{k}' appears twice"
            ));
        }
    }
    Ok(out)
}
