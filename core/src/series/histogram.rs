//! Classic histogram buckets → quantiles by Prometheus' `histogram_quantile` rules, and
//! `_sum`/`_count` → per-interval means. Both are *coarse*: bucket quantiles can only be as
//! precise as the bucket layout.
//!
//! `bucket_quantile` mirrors `bucketQuantile` in Prometheus `promql/quantile.go`:
//!
//! ```text
//! q < 0 → −∞;  q > 1 → +∞;  q NaN → NaN
//! sort buckets by le; highest le must be +Inf, else NaN
//! merge buckets with equal le (sum); force monotone cumulative counts (running max)
//! fewer than 2 buckets, or total N = count(+Inf) = 0 → NaN
//! rank = q · N;  b = first bucket with count ≥ rank
//! b is the +Inf bucket        → le of the second-highest bucket  (+Inf saturation)
//! b = 0 and le_0 ≤ 0          → le_0
//! otherwise                   → lo + (le_b − lo) · (rank − c_{b−1}) / (c_b − c_{b−1}),
//!                               lo = le_{b−1} (0 when b = 0), c_{−1} = 0
//! ```
//!
//! Per interval (`quantiles_over_time`), each bucket's *increase* between consecutive common
//! timestamps is used (a decrease is a counter reset: increase = current value), buckets with the
//! same `le` from several series are summed (pooling, like `sum by (le) (rate(...))`), then the
//! rule above is applied — the same as
//! `histogram_quantile(q, sum by (le) (increase(x_bucket[interval])))`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::RawSeries;
use crate::{Error, Result};

/// One cumulative bucket: observations `≤ le`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bucket {
    /// Upper bound (`+Inf` for the last bucket).
    pub le: f64,
    /// Cumulative count.
    pub count: f64,
}

/// The `q`-quantile of cumulative `buckets` by Prometheus' rules (module docs). Returns NaN when
/// undefined, like Prometheus.
pub fn bucket_quantile(q: f64, buckets: &[Bucket]) -> f64 {
    bucket_quantile_fixed(q, buckets).0
}

/// [`bucket_quantile`] and whether the counts had to be forced monotone.
pub fn bucket_quantile_fixed(q: f64, buckets: &[Bucket]) -> (f64, bool) {
    let mut fixed = false;
    let v = quantile_inner(q, buckets, &mut fixed);
    (v, fixed)
}

fn quantile_inner(q: f64, buckets: &[Bucket], fixed: &mut bool) -> f64 {
    if q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    let mut b: Vec<Bucket> = buckets.iter().copied().filter(|b| !b.le.is_nan()).collect();
    b.sort_by(|x, y| x.le.total_cmp(&y.le));
    match b.last() {
        Some(last) if last.le == f64::INFINITY => {}
        _ => return f64::NAN,
    }
    // Coalesce equal upper bounds.
    let mut merged: Vec<Bucket> = Vec::with_capacity(b.len());
    for x in b {
        match merged.last_mut() {
            Some(m) if m.le == x.le => m.count += x.count,
            _ => merged.push(x),
        }
    }
    // Force monotonicity (Prometheus' ensureMonotonic / forced monotonicity).
    let mut max = f64::NEG_INFINITY;
    for m in &mut merged {
        if m.count < max {
            m.count = max;
            *fixed = true;
        }
        max = m.count;
    }
    let n = merged.len();
    if n < 2 {
        return f64::NAN;
    }
    let total = merged[n - 1].count;
    if total == 0.0 || total.is_nan() {
        return f64::NAN;
    }
    let mut rank = q * total;
    let b = merged.iter().position(|x| x.count >= rank).unwrap_or(n - 1);
    if b == n - 1 {
        return merged[n - 2].le;
    }
    if b == 0 && merged[0].le <= 0.0 {
        return merged[0].le;
    }
    let mut start = 0.0;
    let end = merged[b].le;
    let mut count = merged[b].count;
    if b > 0 {
        start = merged[b - 1].le;
        count -= merged[b - 1].count;
        rank -= merged[b - 1].count;
    }
    start + (end - start) * (rank / count)
}

/// One bucket series: its `le` and its cumulative counts over time.
#[derive(Debug, Clone, Copy)]
pub struct BucketSeries<'a> {
    /// Upper bound of the bucket.
    pub le: f64,
    /// Epoch ms, strictly increasing.
    pub timestamps_ms: &'a [i64],
    /// Cumulative counts (a counter).
    pub values: &'a [f64],
}

/// Per-interval quantiles of a histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuantileSeries {
    /// The quantile computed (0..=1).
    pub q: f64,
    /// End of each interval (epoch ms).
    pub timestamps_ms: Vec<i64>,
    /// Quantile estimate per interval (NaN when no observation fell in the interval).
    pub values: Vec<f64>,
    /// Always `true`: the estimate is bounded by the bucket layout.
    pub coarse: bool,
    /// Timestamps dropped because not every bucket series had a sample there.
    pub dropped: usize,
    /// Bucket resets (decreases) seen, summed over bucket series.
    pub resets: usize,
    /// Intervals whose counts were forced monotone in `le` (see [`bucket_quantile`]).
    pub monotonicity_fixed: usize,
}

/// Reads the `le` label (`"0.5"`, `"+Inf"`) of a bucket series.
///
/// # Errors
/// [`Error::InvalidArgument`] when the label is missing or not a number.
pub fn le_of(series: &RawSeries) -> Result<f64> {
    let raw =
        series.key.labels.get("le").ok_or_else(|| {
            Error::invalid("histogram", format!("{} has no 'le' label", series.key))
        })?;
    parse_le(raw).ok_or_else(|| {
        Error::invalid(
            "histogram",
            format!("{}: le='{raw}' is not a number", series.key),
        )
    })
}

fn parse_le(s: &str) -> Option<f64> {
    match s.trim() {
        "+Inf" | "Inf" | "inf" | "+inf" => Some(f64::INFINITY),
        t => t.parse::<f64>().ok().filter(|x| !x.is_nan()),
    }
}

/// Per-interval `q`-quantiles from bucket series (possibly of several targets, pooled per `le`).
/// Only timestamps present in every bucket series are used; the others are counted as dropped.
///
/// # Errors
/// [`Error::InvalidArgument`] if `q` is outside `[0, 1]`, there are no buckets, or no `+Inf`
/// bucket; [`Error::LengthMismatch`] if a bucket's slices differ in length.
pub fn quantiles_over_time(q: f64, buckets: &[BucketSeries<'_>]) -> Result<QuantileSeries> {
    if !(0.0..=1.0).contains(&q) {
        return Err(Error::invalid("q", format!("{q} is not in [0, 1]")));
    }
    if buckets.is_empty() {
        return Err(Error::invalid("histogram", "no bucket series"));
    }
    if !buckets.iter().any(|b| b.le == f64::INFINITY) {
        return Err(Error::invalid("histogram", "no le=\"+Inf\" bucket"));
    }
    for b in buckets {
        if b.timestamps_ms.len() != b.values.len() {
            return Err(Error::LengthMismatch {
                what: "bucket timestamps and values",
                left: b.timestamps_ms.len(),
                right: b.values.len(),
            });
        }
    }
    // Common timestamps.
    let mut common: Vec<i64> = buckets[0].timestamps_ms.to_vec();
    for b in &buckets[1..] {
        common.retain(|t| b.timestamps_ms.binary_search(t).is_ok());
    }
    let all: std::collections::BTreeSet<i64> = buckets
        .iter()
        .flat_map(|b| b.timestamps_ms.iter().copied())
        .collect();
    let dropped = all.len() - common.len();
    let m = common.len().saturating_sub(1);
    // Per-le pooled increases per interval.
    let mut pooled: BTreeMap<u64, (f64, Vec<f64>)> = BTreeMap::new();
    let mut resets = 0;
    for b in buckets {
        let vals: Vec<f64> = common
            .iter()
            .map(|t| match b.timestamps_ms.binary_search(t) {
                Ok(i) => b.values[i],
                Err(_) => f64::NAN,
            })
            .collect();
        let entry = pooled
            .entry(b.le.to_bits())
            .or_insert_with(|| (b.le, vec![0.0; m]));
        for k in 0..m {
            let (prev, cur) = (vals[k], vals[k + 1]);
            let inc = if cur < prev {
                resets += 1;
                cur
            } else {
                cur - prev
            };
            entry.1[k] += inc;
        }
    }
    let mut values = Vec::with_capacity(m);
    let mut scratch: Vec<Bucket> = Vec::with_capacity(pooled.len());
    let mut monotonicity_fixed = 0;
    for k in 0..m {
        scratch.clear();
        scratch.extend(pooled.values().map(|(le, inc)| Bucket {
            le: *le,
            count: inc[k],
        }));
        let (v, fixed) = bucket_quantile_fixed(q, &scratch);
        monotonicity_fixed += usize::from(fixed);
        values.push(v);
    }
    Ok(QuantileSeries {
        q,
        timestamps_ms: common.get(1..).map(<[i64]>::to_vec).unwrap_or_default(),
        values,
        coarse: true,
        dropped,
        resets,
        monotonicity_fixed,
    })
}

/// Per-interval mean observation `Δsum / Δcount` from a histogram's (or summary's) `_sum` and
/// `_count` counters at their common timestamps; NaN where no observation fell in the interval.
/// Resets (a decrease of either) use the current value as the increase.
///
/// # Errors
/// [`Error::LengthMismatch`] if a series' slices differ in length.
pub fn mean_over_time(sum: &RawSeries, count: &RawSeries) -> Result<MeanSeries> {
    for s in [sum, count] {
        if s.timestamps_ms.len() != s.values.len() {
            return Err(Error::LengthMismatch {
                what: "timestamps and values",
                left: s.timestamps_ms.len(),
                right: s.values.len(),
            });
        }
    }
    let mut ts = Vec::new();
    let mut out = Vec::new();
    let mut prev: Option<(f64, f64)> = None;
    for (i, &t) in sum.timestamps_ms.iter().enumerate() {
        let Ok(j) = count.timestamps_ms.binary_search(&t) else {
            continue;
        };
        let (s, c) = (sum.values[i], count.values[j]);
        if let Some((ps, pc)) = prev {
            let ds = if s < ps { s } else { s - ps };
            let dc = if c < pc { c } else { c - pc };
            ts.push(t);
            out.push(if dc > 0.0 { ds / dc } else { f64::NAN });
        }
        prev = Some((s, c));
    }
    Ok(MeanSeries {
        timestamps_ms: ts,
        values: out,
    })
}

/// Per-interval means from `_sum`/`_count`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanSeries {
    /// End of each interval (epoch ms).
    pub timestamps_ms: Vec<i64>,
    /// Mean observation per interval (NaN when none).
    pub values: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(le: f64, count: f64) -> Bucket {
        Bucket { le, count }
    }

    #[test]
    fn hand_computed_quantiles() {
        let inf = f64::INFINITY;
        // 10 observations ≤ 0.1, 30 ≤ 0.5, 40 ≤ 1, 40 total.
        let h = [b(0.1, 10.0), b(0.5, 30.0), b(1.0, 40.0), b(inf, 40.0)];
        // median: rank 20 → bucket (0.1, 0.5]: 0.1 + 0.4 · (20 − 10)/20 = 0.3
        assert!((bucket_quantile(0.5, &h) - 0.3).abs() < 1e-15);
        // q=0.2: rank 8 → first bucket: 0 + 0.1 · 8/10 = 0.08
        assert!((bucket_quantile(0.2, &h) - 0.08).abs() < 1e-15);
        // q=1: rank 40 → bucket le=1 (count 40 ≥ 40), 0.5 + 0.5 · 10/10 = 1.0
        assert_eq!(bucket_quantile(1.0, &h), 1.0);
        // Saturation: observations above the last finite bound → that bound.
        let h2 = [b(0.1, 1.0), b(1.0, 2.0), b(inf, 10.0)];
        assert_eq!(bucket_quantile(0.99, &h2), 1.0);
        // Unordered input and duplicate le are handled like Prometheus.
        let h3 = [b(inf, 40.0), b(0.5, 30.0), b(0.1, 10.0), b(1.0, 40.0)];
        assert!((bucket_quantile(0.5, &h3) - 0.3).abs() < 1e-15);
        // Undefined cases.
        assert!(bucket_quantile(0.5, &[b(0.1, 1.0), b(1.0, 2.0)]).is_nan()); // no +Inf
        assert!(bucket_quantile(0.5, &[b(inf, 2.0)]).is_nan()); // < 2 buckets
        assert!(bucket_quantile(0.5, &[b(1.0, 0.0), b(inf, 0.0)]).is_nan()); // no observations
        assert_eq!(bucket_quantile(-0.1, &h), f64::NEG_INFINITY);
        assert_eq!(bucket_quantile(1.1, &h), f64::INFINITY);
        // Non-monotone counts are forced monotone: (0.5 → 5) becomes 10.
        let h4 = [b(0.1, 10.0), b(0.5, 5.0), b(1.0, 20.0), b(inf, 20.0)];
        // rank 10 → first bucket with count ≥ 10 is le=0.1 → 0.1 · 10/10 = 0.1
        assert!((bucket_quantile(0.5, &h4) - 0.1).abs() < 1e-15);
        // Negative first bound.
        assert_eq!(bucket_quantile(0.1, &[b(-1.0, 5.0), b(inf, 10.0)]), -1.0);
    }

    #[test]
    fn over_time_with_reset_and_pooling() {
        let t = [0, 10_000, 20_000];
        // Target A: le=0.1: 0, 10, 2 (reset: increase 2); le=+Inf: 0, 20, 4.
        const A01: [f64; 3] = [0.0, 10.0, 2.0];
        const AINF: [f64; 3] = [0.0, 20.0, 4.0];
        // Target B: le=0.1: 5, 5, 7; le=+Inf: 5, 15, 11 (decrease → reset: increase 11).
        const B01: [f64; 3] = [5.0, 5.0, 7.0];
        const BINF: [f64; 3] = [5.0, 15.0, 11.0];
        let mk = |le, v: &'static [f64; 3]| BucketSeries {
            le,
            timestamps_ms: &t,
            values: v,
        };
        let (a01, ainf, b01, binf) = (&A01, &AINF, &B01, &BINF);
        let inf = f64::INFINITY;
        let qs = quantiles_over_time(
            0.5,
            &[mk(0.1, a01), mk(inf, ainf), mk(0.1, b01), mk(inf, binf)],
        )
        .expect("valid");
        // Interval 1: le=0.1 → 10 + 0 = 10; +Inf → 20 + 10 = 30; rank 15 > 10 → +Inf bucket
        //   → saturates at 0.1.
        // Interval 2: le=0.1 → 2 + 2 = 4; +Inf → 4 + 11 = 15; rank 7.5 > 4 → 0.1.
        assert_eq!(qs.values, vec![0.1, 0.1]);
        assert_eq!(qs.resets, 3);
        // q = 0.25, interval 1: rank 7.5 ≤ 10 → 0.1 · 7.5/10 = 0.075
        let qs = quantiles_over_time(
            0.25,
            &[mk(0.1, a01), mk(inf, ainf), mk(0.1, b01), mk(inf, binf)],
        )
        .expect("valid");
        assert!((qs.values[0] - 0.075).abs() < 1e-15);
        assert_eq!(qs.timestamps_ms, vec![10_000, 20_000]);
        assert!(quantiles_over_time(0.5, &[mk(0.1, a01)]).is_err());
        assert!(quantiles_over_time(1.5, &[mk(inf, ainf)]).is_err());
    }
}
