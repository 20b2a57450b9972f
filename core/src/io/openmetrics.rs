//! OpenMetrics / Prometheus text exposition with timestamps (e.g. from `promtool tsdb dump`,
//! federation, or scrapes saved by a load harness).
//!
//! ```text
//! # TYPE http_requests counter
//! # UNIT http_request_duration_seconds seconds
//! http_requests_total{target="kubo27-1",code="200"} 1027 1714564800.000
//! # EOF
//! ```
//!
//! Kinds come from `# TYPE` only (a `_total` suffix alone does not make a counter): for a family
//! `x` of type counter, `x_total` is a counter; of type histogram, `x_bucket` is a histogram
//! bucket series and `x_sum`/`x_count` are counters; of type summary, `x` (with `quantile`) is a
//! summary series and `x_sum`/`x_count` are counters. `_created` samples are skipped and noted.
//! Prometheus 0.0.4 style `# TYPE x_total counter` works too.
//!
//! Timestamps: Prometheus text 0.0.4 uses integer milliseconds, OpenMetrics float seconds. A
//! timestamp with a `.` or exponent is seconds; an integer is read by magnitude like every epoch
//! (`< 1e11` → seconds, else milliseconds…), which is unambiguous for any time after 1973.
//! A sample without a timestamp is an error (or skipped with `lenient`): a series needs times.
//! Anything after `# EOF` is an error. Exemplars (`# {…} v t` after the sample) are ignored.

use std::collections::HashMap;
use std::io::BufRead;

use super::csv::located;
use super::labels;
use super::Ctx;
use crate::series::time::{parse_epoch, shorten};
use crate::series::{Kind, SeriesKey};
use crate::{Error, Result};

struct Families {
    types: HashMap<String, Kind>,
    units: HashMap<String, String>,
}

impl Families {
    /// Kind of a sample name, and whether it is a `_created` sample.
    fn kind_of(&self, name: &str) -> (Kind, bool) {
        family_kind(name, |n| self.types.get(n).copied())
    }

    fn unit_of(&self, name: &str) -> Option<&String> {
        self.units.get(name).or_else(|| {
            ["_total", "_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| name.strip_suffix(s).and_then(|f| self.units.get(f)))
        })
    }
}

/// Kind of sample `name` given declared family kinds (`types`): the exact name first, then the
/// family of a `_total` (counter), `_bucket` (histogram), `_sum`/`_count` (counter of a histogram
/// or summary) or `_created` sample. The flag is `true` for `_created` samples.
pub(crate) fn family_kind(name: &str, types: impl Fn(&str) -> Option<Kind>) -> (Kind, bool) {
    if let Some(k) = types(name) {
        return (k, false);
    }
    for (suffix, when) in [
        ("_total", &[Kind::Counter][..]),
        ("_bucket", &[Kind::Histogram][..]),
        ("_sum", &[Kind::Histogram, Kind::Summary][..]),
        ("_count", &[Kind::Histogram, Kind::Summary][..]),
        (
            "_created",
            &[Kind::Counter, Kind::Histogram, Kind::Summary][..],
        ),
    ] {
        if let Some(family) = name.strip_suffix(suffix) {
            if let Some(k) = types(family) {
                if when.contains(&k) {
                    return match suffix {
                        "_created" => (Kind::Unknown, true),
                        "_sum" | "_count" => (Kind::Counter, false),
                        _ => (k, false),
                    };
                }
            }
        }
    }
    (Kind::Unknown, false)
}

pub(crate) fn read<R: BufRead>(mut reader: R, ctx: &mut Ctx<'_>) -> Result<()> {
    let mut fam = Families {
        types: HashMap::new(),
        units: HashMap::new(),
    };
    let mut line = String::new();
    let mut line_no = 0;
    let mut eof_at: Option<usize> = None;
    // Identical repeated `# TYPE` lines (concatenated scrapes): counted in a note.
    let mut repeated_types = 0usize;
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                located(
                    ctx.file,
                    line_no + 1,
                    1,
                    "invalid UTF-8 (expected UTF-8 text)",
                )
            } else {
                Error::Io {
                    path: ctx.file.to_string(),
                    source: e,
                }
            }
        })?;
        if n == 0 {
            if repeated_types > 0 {
                ctx.report.note(format!(
                    "{}: {repeated_types} repeated identical '# TYPE' line(s) (concatenated \
                     scrapes?) were accepted",
                    ctx.file
                ));
            }
            break;
        }
        line_no += 1;
        let text = line.trim_end_matches(['\n', '\r']);
        if let Some(eof) = eof_at {
            if !text.trim().is_empty() {
                return Err(located(
                    ctx.file,
                    line_no,
                    1,
                    format!("content after '# EOF' (line {eof}): expected end of file"),
                ));
            }
            continue;
        }
        if text.trim().is_empty() {
            ctx.report.blank_lines += 1;
            continue;
        }
        if let Some(comment) = text.strip_prefix('#') {
            let mut parts = comment.trim_start().splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("EOF"), None, None) => eof_at = Some(line_no),
                (Some("TYPE"), Some(name), Some(kind)) => {
                    let k = kind.parse::<Kind>().map_err(|_| {
                        located(
                            ctx.file,
                            line_no,
                            text.len() - kind.len() + 1,
                            format!(
                                "unknown type '{}' for {name}: expected counter, gauge, \
                                 histogram, gaugehistogram, summary, info, stateset or unknown",
                                shorten(kind)
                            ),
                        )
                    });
                    let k = match (k, kind.trim()) {
                        (Ok(k), _) => k,
                        (Err(_), "info" | "stateset") => Kind::Gauge,
                        (Err(e), _) => return Err(e),
                    };
                    match fam.types.get(name) {
                        Some(&prev) if prev != k => {
                            return Err(located(
                                ctx.file,
                                line_no,
                                text.len() - kind.len() + 1,
                                format!(
                                    "conflicting '# TYPE' for {}: {} here, {} earlier; a \
                                     family has one type",
                                    shorten(name),
                                    k.as_str(),
                                    prev.as_str()
                                ),
                            ));
                        }
                        Some(_) => repeated_types += 1,
                        None => {
                            fam.types.insert(name.to_string(), k);
                        }
                    }
                }
                (Some("UNIT"), Some(name), Some(unit)) => {
                    fam.units.insert(name.to_string(), unit.trim().to_string());
                }
                _ => {} // HELP and other comments
            }
            continue;
        }
        ctx.report.rows += 1;
        if let Err(e) = sample(text, line_no, &fam, ctx) {
            ctx.skip_or_fail(e)?;
        }
    }
    Ok(())
}

fn sample(text: &str, line_no: usize, fam: &Families, ctx: &mut Ctx<'_>) -> Result<()> {
    let file = ctx.file;
    let at = |col: usize, msg: String| located(file, line_no, col + 1, msg);
    let p = labels::parse(text).map_err(|e| at(e.offset, e.msg))?;
    if p.name.is_empty() {
        return Err(at(0, "expected a metric name before '{'".into()));
    }
    let rest = &text[p.end..];
    if !rest.starts_with([' ', '\t']) {
        return Err(at(
            p.end,
            "expected a space and a value after the series".into(),
        ));
    }
    let mut tokens = Vec::with_capacity(3);
    let mut pos = p.end;
    for tok in rest.split([' ', '\t']) {
        if !tok.is_empty() {
            tokens.push((pos, tok));
        }
        pos += tok.len() + 1;
    }
    let Some(&(vcol, vtext)) = tokens.first() else {
        return Err(at(p.end, "expected a value after the series".into()));
    };
    let value: f64 = vtext.parse().map_err(|_| {
        at(
            vcol,
            format!(
                "cannot read value '{}': expected a number, NaN, +Inf or -Inf",
                shorten(vtext)
            ),
        )
    })?;
    let ts = match tokens.get(1) {
        Some(&(_, "#")) | None => {
            return Err(at(
                text.len(),
                "sample has no timestamp: shiftwatch needs samples over time (export with \
                 timestamps, e.g. promtool tsdb dump or the query_range API)"
                    .into(),
            ))
        }
        Some(&(tcol, ttext)) => {
            let ms = if ttext.contains(['.', 'e', 'E']) {
                ttext.parse::<f64>().ok().and_then(epoch_f64_to_ms_seconds)
            } else {
                parse_epoch(ttext)
            };
            ms.ok_or_else(|| {
                at(
                    tcol,
                    format!(
                        "cannot read timestamp '{}': expected seconds (OpenMetrics) or \
                         milliseconds (Prometheus text)",
                        shorten(ttext)
                    ),
                )
            })?
        }
    };
    if let Some(&(col, tok)) = tokens.get(2) {
        if tok != "#" {
            return Err(at(
                col,
                format!("unexpected '{}' after the timestamp", shorten(tok)),
            ));
        }
    }
    let (kind, created) = fam.kind_of(&p.name);
    if created {
        ctx.report
            .note("OpenMetrics _created samples (creation times) were skipped");
        return Ok(());
    }
    let raw = &text[..p.end];
    let idx = match ctx.set.lookup_raw(raw.as_bytes()) {
        Some(i) => i,
        None => {
            let mut labels = p.labels;
            let target = labels.remove(&ctx.opts.target_label).unwrap_or_default();
            let key = SeriesKey {
                metric: p.name.clone(),
                target,
                labels,
            };
            let i = ctx.set.insert(raw.as_bytes(), key, kind);
            if let Some(u) = fam.unit_of(&p.name) {
                ctx.set.declare(i, kind, u);
            }
            i
        }
    };
    ctx.set.push(idx, ts, value);
    Ok(())
}

/// Float seconds → ms (OpenMetrics), `None` when out of range.
fn epoch_f64_to_ms_seconds(s: f64) -> Option<i64> {
    let ms = s * 1000.0;
    if ms.is_finite() && ms.abs() < 9.0e15 {
        Some(ms.round() as i64)
    } else {
        None
    }
}
