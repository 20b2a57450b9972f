//! Warm-up trimming: drop the first `duration` after a start time (default: the first sample),
//! or detect the warm-up from the data ([`auto_warmup`]), so a cold cache or JIT never shows up
//! as the effect.

use serde::Serialize;

use crate::{Error, Result};

/// What [`trim_warmup`] removed. Use `&values[first_kept..]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WarmupTrim {
    /// Index of the first point kept.
    pub first_kept: usize,
    /// Number of points trimmed (= `first_kept`).
    pub trimmed: usize,
    /// Points before this time (epoch ms) were trimmed.
    pub until_ms: i64,
}

/// Trims points with `t < start + duration_ms`, where `start` is `start_ms` or the first
/// timestamp.
///
/// # Errors
/// [`Error::InvalidArgument`] if `duration_ms < 0` or the timestamps are not sorted.
pub fn trim_warmup(
    timestamps_ms: &[i64],
    start_ms: Option<i64>,
    duration_ms: i64,
) -> Result<WarmupTrim> {
    if duration_ms < 0 {
        return Err(Error::invalid(
            "warmup",
            format!("{duration_ms} ms must be ≥ 0"),
        ));
    }
    if timestamps_ms.windows(2).any(|w| w[1] < w[0]) {
        return Err(Error::invalid("timestamps", "must be sorted"));
    }
    let start = match (start_ms, timestamps_ms.first()) {
        (Some(s), _) => s,
        (None, Some(&t)) => t,
        (None, None) => {
            return Ok(WarmupTrim {
                first_kept: 0,
                trimmed: 0,
                until_ms: 0,
            })
        }
    };
    let until_ms = start.saturating_add(duration_ms);
    let first_kept = timestamps_ms.partition_point(|&t| t < until_ms);
    Ok(WarmupTrim {
        first_kept,
        trimmed: first_kept,
        until_ms,
    })
}

/// Longest warm-up [`auto_warmup`] will cut by default: the first quarter of the series.
pub const AUTO_WARMUP_MAX_FRACTION: f64 = 0.25;

/// What [`auto_warmup`] found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AutoWarmup {
    /// Index of the first point kept (0 when no warm-up was found).
    pub first_kept: usize,
    /// p-value (Holm-adjusted within the series) of the change point that ends the warm-up.
    pub p_value: Option<f64>,
}

/// Finds a warm-up from the data: the last validated change point of the default
/// [`detect`](crate::changepoint::detect::detect) that lies in the first `max_fraction` of the
/// series ends the warm-up; with none there, nothing is trimmed.
///
/// ```text
/// first_kept = max { τ ∈ change points : τ ≤ max_fraction · n }   (0 if the set is empty)
/// ```
///
/// Assumes the settled part of the series is stationary: a release whose level keeps moving
/// (a leak) has no warm-up to cut, and its early change points beyond `max_fraction` are left
/// for the analysis. Inherits `detect`'s false-alarm control (dependence-inflated penalty and
/// validated change points), so a stationary AR(1) series keeps every point.
///
/// # Errors
/// [`Error::InvalidArgument`] when `max_fraction` is not in (0, 1); the errors of `detect`
/// (non-finite values, too few points).
pub fn auto_warmup(values: &[f64], max_fraction: f64) -> Result<AutoWarmup> {
    if !(max_fraction > 0.0 && max_fraction < 1.0) {
        return Err(Error::invalid(
            "max_fraction",
            format!("must lie in (0, 1), got {max_fraction}"),
        ));
    }
    let detection = crate::changepoint::detect::detect(values, &Default::default())?;
    let limit = max_fraction * values.len() as f64;
    let last_early = detection
        .change_points
        .iter()
        .rev()
        .find(|c| c.index as f64 <= limit);
    Ok(AutoWarmup {
        first_kept: last_early.map_or(0, |c| c.index),
        p_value: last_early.map(|c| c.p_adjusted),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_fixed_duration() {
        let t = [1_000, 16_000, 31_000, 46_000, 61_000];
        // 30 s from the first sample: drop t < 31 s → 2 points.
        let w = trim_warmup(&t, None, 30_000).expect("valid");
        assert_eq!((w.first_kept, w.trimmed, w.until_ms), (2, 2, 31_000));
        // From an explicit start (deploy time 40 s) + 10 s: drop t < 50 s → 4 points.
        assert_eq!(
            trim_warmup(&t, Some(40_000), 10_000)
                .expect("valid")
                .trimmed,
            4
        );
        assert_eq!(trim_warmup(&t, None, 0).expect("valid").trimmed, 0);
        assert_eq!(trim_warmup(&t, None, 1_000_000).expect("valid").trimmed, 5);
        assert_eq!(trim_warmup(&[], None, 10).expect("valid").trimmed, 0);
        assert!(trim_warmup(&t, None, -1).is_err());
    }

    /// AR(1) noise (φ = 0.5) around `level`, seeded.
    fn ar1(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = crate::stats::rng::Rng::new(seed);
        let mut x = 0.0;
        (0..n)
            .map(|_| {
                x = 0.5 * x + rng.normal();
                x
            })
            .collect()
    }

    #[test]
    fn auto_warmup_cuts_a_cold_start() {
        // 40 points of a slow, cold service (+8 noise SDs), then 360 settled points.
        let mut y = ar1(400, 11);
        for v in &mut y[..40] {
            *v += 8.0;
        }
        let w = auto_warmup(&y, AUTO_WARMUP_MAX_FRACTION).expect("valid");
        assert!((38..=42).contains(&w.first_kept), "{w:?}");
        // detect validates on normal scores, which understate a shift this far outside the
        // settled range (p ≈ 0.008 here; it was < 1e-6 on the raw values).
        assert!(w.p_value.is_some_and(|p| p < 0.01), "{w:?}");
    }

    #[test]
    fn auto_warmup_keeps_a_settled_series_and_late_changes() {
        let y = ar1(400, 12);
        assert_eq!(auto_warmup(&y, 0.25).expect("valid").first_kept, 0);
        // A step at 300 (75 %) is a change to analyse, not a warm-up.
        let mut late = ar1(400, 13);
        for v in &mut late[300..] {
            *v += 8.0;
        }
        assert_eq!(auto_warmup(&late, 0.25).expect("valid").first_kept, 0);
        assert!(auto_warmup(&late, 0.0).is_err());
        assert!(auto_warmup(&[1.0, f64::NAN, 2.0], 0.25).is_err());
    }
}
