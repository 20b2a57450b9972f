//! From raw series to series ready for comparison: counters → per-second rates (resets listed),
//! histogram buckets → quantiles (coarse), gauges/unknown/summary passed through, warm-up
//! trimmed. Alignment onto a grid is a separate step ([`super::align`]) because which series
//! share a grid depends on the comparison mode.
//!
//! Kind decides the transform, never the name: a series named `*_total` of kind `unknown` stays
//! as it is (documented fallback: unknown = gauge). Declare counters with `# TYPE`, the tidy
//! `kind` column, or by setting [`RawSeries::kind`] before calling [`prepare`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::counter::{rates, Reset};
use super::histogram::{le_of, mean_over_time, quantiles_over_time, BucketSeries};
use super::warmup::{auto_warmup, trim_warmup, AUTO_WARMUP_MAX_FRACTION};
use super::{Kind, RawSeries, SeriesKey, SeriesReport};
use crate::{Error, Result};

/// How to prepare series.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepareOptions {
    /// Warm-up to drop from the start of each series, in ms (measured from the series' first
    /// raw timestamp). Default 0.
    pub warmup_ms: i64,
    /// Quantiles computed from histograms. Default `[0.5, 0.9, 0.99]`.
    pub quantiles: Vec<f64>,
    /// After the fixed warm-up, also cut a warm-up found in the data
    /// ([`super::warmup::auto_warmup`], within the first quarter). Default off.
    pub auto_warmup: bool,
}

impl Default for PrepareOptions {
    fn default() -> Self {
        PrepareOptions {
            warmup_ms: 0,
            quantiles: vec![0.5, 0.9, 0.99],
            auto_warmup: false,
        }
    }
}

/// What a prepared series holds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Derived {
    /// The raw values (gauge, summary quantile, unknown).
    Raw,
    /// Per-second rate of a counter.
    Rate,
    /// Quantile `q` of a histogram, per scrape interval.
    Quantile {
        /// The quantile (0..=1).
        q: f64,
    },
    /// Mean observation per scrape interval, `Δ_sum / Δ_count` of a histogram.
    Mean,
}

/// What was done to one prepared series (joins the read counts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrepareReport {
    /// Counts from reading (for histograms: summed over the bucket series).
    pub read: SeriesReport,
    /// Counter resets (time, before, after); bucket resets are only counted.
    pub resets: Vec<Reset>,
    /// Bucket resets (histograms).
    pub bucket_resets: usize,
    /// Points skipped by the transform (NaN/±∞/negative counter values, bucket timestamps not
    /// shared by every bucket).
    pub skipped: usize,
    /// Points dropped as warm-up.
    pub warmup_trimmed: usize,
    /// `true` for estimates bounded by a bucket layout.
    pub coarse: bool,
    /// Intervals whose bucket counts decreased with `le` (impossible for a histogram: buckets
    /// scraped at slightly different moments) and were forced monotone by a running maximum,
    /// the fix-up Prometheus' `histogram_quantile` applies (and reports as an info note).
    pub monotonicity_fixed: usize,
}

/// A series ready for comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prepared {
    /// Identity (histograms: the family name without `_bucket`, plus `quantile="q"`).
    pub key: SeriesKey,
    /// Kind of the source.
    pub kind: Kind,
    /// Transform applied.
    pub derived: Derived,
    /// Epoch ms.
    pub timestamps_ms: Vec<i64>,
    /// Values.
    pub values: Vec<f64>,
    /// What was done.
    pub data: PrepareReport,
}

fn add(a: &mut SeriesReport, b: &SeriesReport) {
    a.points += b.points;
    a.missing += b.missing;
    a.nan += b.nan;
    a.infinite += b.infinite;
    a.duplicates += b.duplicates;
    a.unsorted += b.unsorted;
}

fn trimmed(mut p: Prepared, start: Option<i64>, opts: &PrepareOptions) -> Result<Prepared> {
    let w = trim_warmup(&p.timestamps_ms, start, opts.warmup_ms)?;
    let mut first_kept = w.first_kept;
    if opts.auto_warmup {
        let rest = &p.values[first_kept..];
        // Too short or non-finite to search: keep it; the analysis reports those points.
        if rest.len() >= 20 && rest.iter().all(|v| v.is_finite()) {
            first_kept += auto_warmup(rest, AUTO_WARMUP_MAX_FRACTION)?.first_kept;
        }
    }
    p.timestamps_ms.drain(..first_kept);
    p.values.drain(..first_kept);
    p.data.warmup_trimmed = first_kept;
    Ok(p)
}

/// Prepares every series (rules in the module docs). Output order: non-histogram series in input
/// order, then per histogram one series per quantile (key: family name, `quantile="q"`) and, when
/// its `_sum` and `_count` series are present, one mean series (`stat="mean"`).
///
/// # Errors
/// [`Error::InvalidArgument`] for a quantile outside `[0, 1]`, a negative warm-up, or a bucket
/// series without a numeric `le` label.
pub fn prepare(series: &[RawSeries], opts: &PrepareOptions) -> Result<Vec<Prepared>> {
    if let Some(q) = opts.quantiles.iter().find(|q| !(0.0..=1.0).contains(*q)) {
        return Err(Error::invalid("quantiles", format!("{q} is not in [0, 1]")));
    }
    if opts.warmup_ms < 0 {
        return Err(Error::invalid("warmup", "must be ≥ 0"));
    }
    let mut out = Vec::new();
    let mut histograms: BTreeMap<SeriesKey, Vec<&RawSeries>> = BTreeMap::new();
    for s in series {
        let start = s.timestamps_ms.first().copied();
        let mut data = PrepareReport {
            read: s.report.clone(),
            resets: Vec::new(),
            bucket_resets: 0,
            skipped: 0,
            warmup_trimmed: 0,
            coarse: false,
            monotonicity_fixed: 0,
        };
        let p = match s.kind {
            Kind::Counter => {
                let r = rates(&s.timestamps_ms, &s.values)?;
                data.resets = r.resets;
                data.skipped = r.invalid_skipped;
                Prepared {
                    key: s.key.clone(),
                    kind: s.kind,
                    derived: Derived::Rate,
                    timestamps_ms: r.timestamps_ms,
                    values: r.values,
                    data,
                }
            }
            Kind::Histogram if s.key.labels.contains_key("le") => {
                let mut family = s.key.clone();
                family.labels.remove("le");
                if let Some(base) = family.metric.strip_suffix("_bucket") {
                    family.metric = base.to_string();
                }
                histograms.entry(family).or_default().push(s);
                continue;
            }
            _ => Prepared {
                key: s.key.clone(),
                kind: s.kind,
                derived: Derived::Raw,
                timestamps_ms: s.timestamps_ms.clone(),
                values: s.values.clone(),
                data,
            },
        };
        out.push(trimmed(p, start, opts)?);
    }
    for (family, members) in histograms {
        let mut les = Vec::with_capacity(members.len());
        for m in &members {
            les.push(le_of(m)?);
        }
        let buckets: Vec<BucketSeries<'_>> = members
            .iter()
            .zip(&les)
            .map(|(m, &le)| BucketSeries {
                le,
                timestamps_ms: &m.timestamps_ms,
                values: &m.values,
            })
            .collect();
        let start = members
            .iter()
            .filter_map(|m| m.timestamps_ms.first())
            .min()
            .copied();
        let mut read = SeriesReport::default();
        for m in &members {
            add(&mut read, &m.report);
        }
        let find = |suffix: &str| {
            series.iter().find(|s| {
                s.key.target == family.target
                    && s.key.labels == family.labels
                    && s.key.metric.strip_suffix(suffix) == Some(family.metric.as_str())
            })
        };
        if let (Some(sum), Some(count)) = (find("_sum"), find("_count")) {
            let m = mean_over_time(sum, count)?;
            let mut key = family.clone();
            key.labels.insert("stat".to_string(), "mean".to_string());
            let mut read = sum.report.clone();
            add(&mut read, &count.report);
            let p = Prepared {
                key,
                kind: Kind::Histogram,
                derived: Derived::Mean,
                timestamps_ms: m.timestamps_ms,
                values: m.values,
                data: PrepareReport {
                    read,
                    resets: Vec::new(),
                    bucket_resets: 0,
                    skipped: 0,
                    warmup_trimmed: 0,
                    coarse: false,
                    monotonicity_fixed: 0,
                },
            };
            out.push(trimmed(p, start, opts)?);
        }
        for &q in &opts.quantiles {
            let qs = quantiles_over_time(q, &buckets).map_err(|e| match e {
                Error::InvalidArgument { name, msg } => Error::InvalidArgument {
                    name,
                    msg: format!("{msg} in histogram {family}_bucket"),
                },
                other => other,
            })?;
            let mut key = family.clone();
            key.labels.insert("quantile".to_string(), q.to_string());
            let p = Prepared {
                key,
                kind: Kind::Histogram,
                derived: Derived::Quantile { q },
                timestamps_ms: qs.timestamps_ms,
                values: qs.values,
                data: PrepareReport {
                    read: read.clone(),
                    resets: Vec::new(),
                    bucket_resets: qs.resets,
                    skipped: qs.dropped,
                    warmup_trimmed: 0,
                    coarse: true,
                    monotonicity_fixed: qs.monotonicity_fixed,
                },
            };
            out.push(trimmed(p, start, opts)?);
        }
    }
    Ok(out)
}
