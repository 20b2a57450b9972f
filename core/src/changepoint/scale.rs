//! The values the default searches: the values themselves (divided by their robust noise scale)
//! when the noise looks Gaussian, their normal scores when it does not.
//!
//! Normal scores ([`normal_scores`]) take heavy tails and skew out of iid noise, so a penalty
//! and tests calibrated for Gaussian noise keep their false-alarm rate on Student t or lognormal
//! noise. They are a marginal transform, so they also reshape the signal: a steep ramp (ranks
//! uniform in time) becomes an S that a piecewise-linear fit follows with extra kinks, and
//! regimes far apart in level are squeezed together. They are used only when the noise needs
//! them. The noise is judged on the lag-1 differences, which cancel a level, a trend and all
//! but a few values of each step: it looks Gaussian when
//! 1. the tail ratio `(q₀.₉₇₅ − q₀.₀₂₅) / (q₀.₇₅ − q₀.₂₅)` of the differences is at most
//!    [`TAIL_RATIO_MAX`] (Gaussian: 2.906; Student t₃ ≈ 3.8 and lognormal σ = 1 ≈ 6.3 at 10⁴
//!    values; the 99th percentile over Gaussian series of 10³ values is 3.2), and
//! 2. no more differences lie beyond 4 σ (σ = IQR / 1.349) than Gaussian noise gives
//!    (`1 + λ + 3√λ`, `λ = 6.33·10⁻⁵ (n − 1)`), so 1 % of spikes, which moves only 2 % of the
//!    differences and leaves the ratio alone, still calls for scores.
//!
//! Series longer than 2¹⁷ values are judged on an evenly strided subset of their differences.
//! Short or noisy Gaussian series that fail the test get normal scores, the behaviour before
//! this choice existed (false alarms stay at their level either way).

use super::penalty::select::order_statistics;
use super::penalty::NoiseScale;
use super::prepare::{normal_scores, Scale};
use crate::Result;

/// Largest tail ratio of the lag-1 differences read as Gaussian noise (module documentation).
pub const TAIL_RATIO_MAX: f64 = 3.2;

/// P(|Z| > 4) for a standard normal Z.
const BEYOND_4_SIGMA: f64 = 6.334e-5;

/// Most lag-1 differences the test reads (a strided subset of longer series).
const MAX_DIFFERENCES: usize = 1 << 17;

/// Fewest values for the test (below, normal scores).
const MIN_VALUES: usize = 20;

/// Whether the noise of `x` looks Gaussian (module documentation). `x` is finite.
pub fn looks_gaussian(x: &[f64]) -> bool {
    if x.len() < MIN_VALUES {
        return false;
    }
    // At most MAX_DIFFERENCES differences, evenly strided (the quantiles to ≈ 1 %).
    let stride = (x.len() - 1).div_ceil(MAX_DIFFERENCES);
    let mut d: Vec<f64> = (1..x.len())
        .step_by(stride)
        .map(|t| x[t] - x[t - 1])
        .collect();
    // Linear interpolation between order statistics (numpy's default quantile); the ten order
    // statistics all at once (select::order_statistics).
    const P: [f64; 5] = [0.025, 0.25, 0.5, 0.75, 0.975];
    let last = d.len() - 1;
    let spots = P.map(|p| {
        let h = p * last as f64;
        (h, h.floor() as usize)
    });
    let mut ranks: Vec<usize> = spots
        .iter()
        .flat_map(|&(_, i)| [i, (i + 1).min(last)])
        .collect();
    ranks.sort_unstable();
    let values = order_statistics(&mut d, &ranks);
    let value = |k: usize| values[ranks.partition_point(|&r| r < k)];
    let [q025, q25, q50, q75, q975] = spots.map(|(h, i)| {
        let lo = value(i);
        // The next order statistic, if any and finite.
        let hi = if i < last {
            value(i + 1)
        } else {
            f64::INFINITY
        };
        if hi.is_finite() {
            lo + (h - i as f64) * (hi - lo)
        } else {
            lo
        }
    });
    let iqr = q75 - q25;
    if !(iqr > 0.0 && (q975 - q025) / iqr <= TAIL_RATIO_MAX) {
        return false;
    }
    let (median, sigma) = (q50, iqr / 1.348_979_500_392_163_5);
    let far = d
        .iter()
        .filter(|v| (*v - median).abs() > 4.0 * sigma)
        .count() as f64;
    let expected = BEYOND_4_SIGMA * d.len() as f64;
    far <= 1.0 + expected + 3.0 * expected.sqrt()
}

/// The values searched by the default (module documentation): `x / σ̂` ([`Scale::Standardised`],
/// σ̂ the robust noise scale of [`NoiseScale`]) when the noise looks Gaussian, else the normal
/// scores ([`Scale::NormalScores`]); with the noise scale of the values returned (for
/// standardised values, that of `x` divided by σ̂: the estimate is scale-equivariant, so it is
/// not estimated twice).
///
/// # Errors
/// [`crate::Error::NonFinite`] for NaN/±∞.
pub fn search_values(x: &[f64]) -> Result<(Scale, Vec<f64>, NoiseScale)> {
    if looks_gaussian(x) {
        let noise = NoiseScale::estimate(x)?;
        let sigma = noise.sigma;
        if sigma > 0.0 && sigma.is_finite() {
            let scaled = NoiseScale {
                sigma: 1.0,
                phi: noise.phi,
                long_run_sigma: noise.long_run_sigma / sigma,
            };
            return Ok((
                Scale::Standardised,
                x.iter().map(|v| v / sigma).collect(),
                scaled,
            ));
        }
    }
    let scores = normal_scores(x)?;
    let noise = NoiseScale::estimate(&scores)?;
    Ok((Scale::NormalScores, scores, noise))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    fn count(seed: u64, n: usize, mut draw: impl FnMut(&mut Rng) -> f64) -> usize {
        (0..50)
            .filter(|k| {
                let mut rng = Rng::new(seed + k);
                let x: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
                looks_gaussian(&x)
            })
            .count()
    }

    #[test]
    fn gaussian_noise_and_its_signals_are_read_as_gaussian() {
        // iid, a steep ramp and a step: the differences are Gaussian in each.
        assert!(count(1, 2000, |r| r.normal()) >= 48);
        let mut t = 0.0;
        let ramp = count(2, 2000, |r| {
            t += 0.02;
            t + r.normal()
        });
        assert!(ramp >= 48, "{ramp}");
    }

    #[test]
    fn heavy_tails_skew_and_spikes_get_scores() {
        // Student t₃ = N / sqrt(χ²₃ / 3).
        let t3 = |r: &mut Rng| {
            let chi: f64 = (0..3).map(|_| r.normal().powi(2)).sum();
            r.normal() / (chi / 3.0).sqrt()
        };
        assert_eq!(count(3, 2000, t3), 0);
        assert_eq!(count(4, 2000, |r| r.normal().exp()), 0);
        let spikes = |r: &mut Rng| r.normal() + if r.uniform() < 0.01 { 10.0 } else { 0.0 };
        assert_eq!(count(5, 2000, spikes), 0);
        // Too short to judge: scores.
        assert_eq!(count(6, 10, |r| r.normal()), 0);
    }

    #[test]
    fn search_values_standardise_or_score() {
        let mut rng = Rng::new(7);
        let x: Vec<f64> = (0..500).map(|_| 3.0 * rng.normal()).collect();
        let (scale, y, noise) = search_values(&x).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scale, Scale::Standardised);
        let sigma = NoiseScale::estimate(&x)
            .unwrap_or_else(|e| panic!("{e}"))
            .sigma;
        assert!(y.iter().zip(&x).all(|(a, b)| (a - b / sigma).abs() < 1e-15));
        // The noise scale handed on equals the estimate on the standardised values.
        let direct = NoiseScale::estimate(&y).unwrap_or_else(|e| panic!("{e}"));
        assert!((noise.sigma - direct.sigma).abs() < 1e-12);
        assert!((noise.phi - direct.phi).abs() < 1e-12);
        assert!((noise.long_run_sigma - direct.long_run_sigma).abs() < 1e-12);
        let z: Vec<f64> = x.iter().map(|v| v.exp()).collect();
        let (scale, y, noise) = search_values(&z).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scale, Scale::NormalScores);
        assert_eq!(
            noise,
            NoiseScale::estimate(&y).unwrap_or_else(|e| panic!("{e}"))
        );
        assert_eq!(y, normal_scores(&z).unwrap_or_else(|e| panic!("{e}")));
    }
}
