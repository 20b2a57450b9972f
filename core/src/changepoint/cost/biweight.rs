//! Bounded ("biweight") loss for a change in mean with outliers: Fearnhead & Rigaill 2019.

use super::{check_signal, Cost, Units};
use crate::changepoint::penalty::median_in_place;
use crate::{Error, Result};

/// Threshold of the loss in units of the noise scale σ (Fearnhead & Rigaill's default, K = 3).
pub const BIWEIGHT_K: f64 = 3.0;

/// Segment cost with the bounded loss of Fearnhead & Rigaill (2019, "Changepoint detection in
/// the presence of outliers", JASA 114:169–183):
///
/// ```text
/// γ(y; μ) = min((y - μ)², c²),     c = K σ̂,  K = 3
/// C(a, b) = min_μ Σ_{a<=i<b} γ(x_i; μ)
/// σ̂ = 1.4826 · MAD(x_{i+1} - x_i) / √2
/// ```
/// A point further than `c` from the segment's level costs `c²` whatever the level, so a spike
/// or a short stall window cannot pull a level (nor pay for a change of its own: a change is
/// worth it only when it saves more than the penalty). σ̂ is the paper's robust scale, from the
/// first differences (a few level shifts do not inflate it); when more than half the differences
/// are equal it is the standard deviation of the differences / √2.
///
/// `C(a, b)` is piecewise quadratic in μ with breakpoints `x_i ± c`: between two consecutive
/// breakpoints the points inside `(μ - c, μ + c)` are a fixed run of the sorted values, whose
/// quadratic is minimised at its mean clamped to the interval. A query sorts the segment:
/// O(m log m), not O(1) like the other costs,
/// so [`crate::changepoint::search::penalised`] runs
/// [`crate::changepoint::search::fpop_biweight`] (functional pruning); this type serves the
/// generic searches and the checks.
/// Units: sums of squares (penalties scale with σ²).
#[derive(Debug, Clone)]
pub struct Biweight {
    x: Vec<f64>,
    threshold: f64,
}

impl Biweight {
    /// The cost with `c = 3 σ̂` estimated from `x` (see the type).
    ///
    /// # Errors
    /// [`Error::TooFewPoints`] for an empty signal, [`Error::NonFinite`], and
    /// [`Error::InvalidArgument`] when every difference is 0 (σ̂ = 0: give a threshold with
    /// [`Biweight::with_threshold`]).
    pub fn new(x: &[f64]) -> Result<Self> {
        check_signal(x)?;
        Self::with_threshold(x, BIWEIGHT_K * robust_sigma(x))
    }

    /// The cost with the threshold `c` (in the units of `x`).
    ///
    /// # Errors
    /// As [`Biweight::new`], and [`Error::InvalidArgument`] unless `c` is finite and > 0.
    pub fn with_threshold(x: &[f64], threshold: f64) -> Result<Self> {
        check_signal(x)?;
        if !(threshold.is_finite() && threshold > 0.0) {
            return Err(Error::invalid(
                "threshold",
                format!(
                    "the biweight threshold must be finite and > 0, got {threshold} (a series \
                     whose differences are all 0 has no noise scale)"
                ),
            ));
        }
        Ok(Biweight {
            x: x.to_vec(),
            threshold,
        })
    }

    /// The threshold `c` beyond which a point costs `c²`.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The values the cost was built on.
    pub(crate) fn values(&self) -> &[f64] {
        &self.x
    }
}

/// σ̂ of [`Biweight`]: `1.4826 · MAD(Δx) / √2`, or `sd(Δx) / √2` when the MAD is 0; 0 for fewer
/// than 2 values.
pub fn robust_sigma(x: &[f64]) -> f64 {
    let mut d: Vec<f64> = x.windows(2).map(|w| w[1] - w[0]).collect();
    if d.is_empty() {
        return 0.0;
    }
    let med = median_in_place(&mut d);
    let mut dev: Vec<f64> = d.iter().map(|v| (v - med).abs()).collect();
    let mad = 1.4826 * median_in_place(&mut dev);
    if mad > 0.0 {
        return mad / std::f64::consts::SQRT_2;
    }
    let mu = d.iter().sum::<f64>() / d.len() as f64;
    let var = d.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / d.len() as f64;
    (var / 2.0).sqrt()
}

/// `min_μ Σ min((y - μ)², c²)` over `seg`, exactly (see [`Biweight`]), and the minimising μ.
/// O(m log m): the window of sorted values inside `(μ - c, μ + c)` slides as μ sweeps the
/// breakpoints, its count, mean and sum of squared deviations updated as values enter and
/// leave (Welford; the values inside lie within `2c` of each other, so the updates are well
/// conditioned whatever the outliers).
pub(crate) fn segment_cost(seg: &[f64], c: f64) -> (f64, f64) {
    let mut v = seg.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len();
    let cap = c * c;
    let mut best = (m as f64 * cap, v.first().copied().unwrap_or(0.0));
    // Window [i, j): count k, mean, sum of squared deviations ss.
    let (mut i, mut j) = (0usize, 0usize);
    let (mut k, mut mean, mut ss) = (0.0f64, 0.0f64, 0.0f64);
    let mut lo = f64::NEG_INFINITY;
    while i < m {
        // Next event: v_j enters at μ = v_j - c, v_i leaves at μ = v_i + c.
        let enter = if j < m { v[j] - c } else { f64::INFINITY };
        let leave = v[i] + c;
        let hi = enter.min(leave);
        if k > 0.0 {
            let mu = mean.clamp(lo, hi);
            let dm = mu - mean;
            let value = ss.max(0.0) + k * dm * dm + (m as f64 - k) * cap;
            if value < best.0 {
                best = (value, mu);
            }
        }
        if enter <= leave {
            let y = v[j];
            k += 1.0;
            let d = y - mean;
            mean += d / k;
            ss += d * (y - mean);
            j += 1;
        } else {
            let y = v[i];
            if k <= 1.0 {
                (k, mean, ss) = (0.0, 0.0, 0.0);
            } else {
                let d = y - mean;
                let rest = mean - d / (k - 1.0);
                ss -= d * (y - rest);
                mean = rest;
                k -= 1.0;
            }
            i += 1;
        }
        lo = hi;
    }
    best
}

/// `x` with each value clipped to `[μ_s - c, μ_s + c]`, `μ_s` the biweight level of its segment
/// (segments between `bkps`): the values as the bounded loss sees them (an outlier counts as a
/// point at distance `c`), for tests of the levels that spikes and stalls must not sway.
pub fn winsorise(x: &[f64], bkps: &[usize], c: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len());
    let mut start = 0;
    for &end in bkps.iter().chain(std::iter::once(&x.len())) {
        let seg = &x[start..end];
        let mu = segment_cost(seg, c).1;
        out.extend(seg.iter().map(|v| v.clamp(mu - c, mu + c)));
        start = end;
    }
    out
}

impl Cost for Biweight {
    fn len(&self) -> usize {
        self.x.len()
    }

    fn cost(&self, start: usize, end: usize) -> f64 {
        segment_cost(&self.x[start..end], self.threshold).0
    }

    fn units(&self) -> Units {
        Units::SumOfSquares
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact segment cost against a fine grid of μ (the grid can only be worse).
    #[test]
    fn segment_cost_is_the_minimum_over_mu() {
        let mut rng = crate::stats::rng::Rng::new(7);
        for case in 0..50 {
            let m = 1 + case % 12;
            let seg: Vec<f64> = (0..m)
                .map(|_| {
                    if rng.uniform() < 0.2 {
                        10.0 * rng.normal()
                    } else {
                        rng.normal()
                    }
                })
                .collect();
            let c = 0.5 + rng.uniform() * 2.0;
            let (cost, mu) = segment_cost(&seg, c);
            let at = |mu: f64| {
                seg.iter()
                    .map(|y| ((y - mu) * (y - mu)).min(c * c))
                    .sum::<f64>()
            };
            assert!((at(mu) - cost).abs() < 1e-9, "case {case}");
            for g in -4000..=4000 {
                let mu = g as f64 * 0.005;
                assert!(at(mu) >= cost - 1e-9, "case {case}: μ={mu}");
            }
        }
        assert_eq!(segment_cost(&[5.0], 1.0).0, 0.0);
        // Two clusters farther apart than 2c: the larger wins, the other pays c² each.
        let (cost, mu) = segment_cost(&[0.0, 0.0, 0.0, 10.0, 10.0], 1.0);
        assert_eq!((cost, mu), (2.0, 0.0));
    }

    #[test]
    fn scale_and_errors() {
        let x: Vec<f64> = (0..100)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        // 50 differences of -2 and 49 of +2: MAD 0 → sd of the differences / √2.
        let mu: f64 = -2.0 / 99.0;
        let var = (50.0 * (-2.0 - mu) * (-2.0 - mu) + 49.0 * (2.0 - mu) * (2.0 - mu)) / 99.0;
        assert!((robust_sigma(&x) - (var / 2.0).sqrt()).abs() < 1e-12);
        // Otherwise 1.4826 · MAD / √2: differences 0, 1, 2, 3, 4 → median 2, MAD 1.
        let y = [0.0, 0.0, 1.0, 3.0, 6.0, 10.0];
        assert!((robust_sigma(&y) - 1.4826 / std::f64::consts::SQRT_2).abs() < 1e-12);
        assert!(Biweight::new(&[1.0, 1.0, 1.0]).is_err());
        assert!(Biweight::new(&[]).is_err());
        assert!(Biweight::new(&[1.0, f64::NAN]).is_err());
        assert!(Biweight::with_threshold(&[1.0, 2.0], 0.0).is_err());
    }
}
