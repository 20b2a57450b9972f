//! Serial dependence: autocorrelation, effective sample size, Newey–West long-run variance, and a
//! Welch-type test on long-run variances.
//!
//! Scraped service metrics are strongly autocorrelated (lag-1 ρ̂ of 0.8–0.99 is common), so the
//! `n` points of a series carry far less information than `n` independent draws. The functions
//! here measure that ([`acf`], [`lag1`], [`effective_sample_size`]) and estimate the variance of
//! a sample mean that accounts for it ([`long_run_variance`], [`ewc_long_run_variance`]).

use serde::Serialize;

use super::check;
use crate::{Error, Result};

mod ewc;
mod fft;
mod lrv;

pub(crate) use ewc::{ewc_centered, ewc_centered_pair};
pub use ewc::{ewc_long_run_variance, Ewc};
pub use lrv::{
    long_run_variance, lrv_welch_test, Bandwidth, Kernel, LongRunVariance, LrvOptions, LrvWelch,
};

/// Sample autocorrelations `ρ̂_0 = 1, ρ̂_1, …, ρ̂_max_lag`.
#[derive(Debug, Clone, Serialize)]
pub struct Acf {
    /// `values[k]` is the autocorrelation at lag `k` (so `values[0] == 1`).
    pub values: Vec<f64>,
    /// Number of observations.
    pub n: usize,
}

/// Demeans `x` and returns `(centered, Σ (x_t − x̄)²)`, erroring on a constant series.
fn centered(what: &'static str, x: &[f64], why: &'static str) -> Result<(Vec<f64>, f64)> {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let c: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let ss = c.iter().map(|v| v * v).sum::<f64>();
    if ss == 0.0 {
        return Err(Error::Constant {
            what,
            value: x[0],
            why,
        });
    }
    if !ss.is_finite() {
        let top = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        return Err(Error::invalid(
            what,
            format!(
                "values up to {top:e} overflow the sum of squares ({why}); rescale the data \
                 (divide by a power of ten)"
            ),
        ));
    }
    Ok((c, ss))
}

/// `Σ_{t=k}^{n−1} c_t c_{t−k}` for a centered series.
#[inline]
pub(crate) fn autocov_sum(c: &[f64], k: usize) -> f64 {
    c[k..].iter().zip(c).map(|(a, b)| a * b).sum()
}

/// Sample autocorrelation function up to `max_lag`.
///
/// ```text
/// γ̂_k = (1/n) Σ_{t=k+1}^{n} (x_t − x̄)(x_{t−k} − x̄),   ρ̂_k = γ̂_k / γ̂_0
/// ```
///
/// The divisor is `n` at every lag (the "biased" estimator, which keeps the sequence positive
/// semi-definite). Mirrors `statsmodels.tsa.stattools.acf(x, nlags=max_lag, adjusted=False,
/// fft=False)`. Cost O(n · max_lag) below [`DIRECT_LAGS`] lags; from there the lags from
/// [`DIRECT_LAGS`] on come from all the autocovariances by FFT, O(n log n) (equal to the direct
/// sums to about `1e-15` of `γ̂_0`).
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 values, [`Error::NonFinite`],
/// [`Error::Constant`] when every value is equal, [`Error::InvalidArgument`] when
/// `max_lag >= n`.
pub fn acf(x: &[f64], max_lag: usize) -> Result<Acf> {
    check::sample("x", x, 2)?;
    if max_lag >= x.len() {
        return Err(Error::invalid(
            "max_lag",
            format!(
                "must be below the number of values ({}), got {max_lag}",
                x.len()
            ),
        ));
    }
    let (c, ss) = centered("x", x, "the autocorrelation is undefined")?;
    let direct = max_lag.min(DIRECT_LAGS - 1);
    let mut values: Vec<f64> = (0..=direct).map(|k| autocov_sum(&c, k) / ss).collect();
    if max_lag > direct {
        let sums = fft::autocov_sums_to(&c, max_lag);
        values.extend(sums[direct + 1..=max_lag].iter().map(|v| v / ss));
    }
    Ok(Acf { values, n: x.len() })
}

/// Lag-1 sample autocorrelation `ρ̂_1` (see [`acf`]).
///
/// # Errors
/// As [`acf`] with `max_lag = 1`.
pub fn lag1(x: &[f64]) -> Result<f64> {
    check::sample("x", x, 2)?;
    let (c, ss) = centered("x", x, "the autocorrelation is undefined")?;
    Ok(autocov_sum(&c, 1) / ss)
}

/// Lags summed directly in [`acf`] and [`effective_sample_size`] before switching to the FFT.
const DIRECT_LAGS: usize = 64;

/// Effective sample size of a stationary series (see [`effective_sample_size`]).
#[derive(Debug, Clone, Serialize)]
pub struct EffectiveSampleSize {
    /// Effective number of independent observations, `n / τ̂`, capped at `n`.
    pub ess: f64,
    /// Integrated autocorrelation time `τ̂ = 1 + 2 Σ_k ρ̂_k` (1 for independent data).
    pub tau: f64,
    /// Number of observations.
    pub n: usize,
    /// Highest lag that entered the sum.
    pub max_lag: usize,
}

/// Effective sample size by Geyer's initial monotone sequence estimator.
///
/// ```text
/// Γ_m  = ρ̂_{2m} + ρ̂_{2m+1}                  (m = 0, 1, …;  ρ̂ as in `acf`)
/// keep Γ_0 … Γ_M while Γ_m > 0, with Γ_m ← min(Γ_m, Γ_{m−1})  (monotone)
/// τ̂   = −1 + 2 Σ_{m=0}^{M} Γ_m  =  1 + 2 Σ_{k=1}^{2M+1} ρ̂_k
/// ESS = n / τ̂, capped at n
/// ```
///
/// Assumes a (weakly) stationary series with summable autocorrelations. Reference:
/// Geyer (1992), "Practical Markov chain Monte Carlo", Statistical Science 7(4), §3.3; the same
/// truncation is used by Stan and ArviZ (which however use the FFT, several chains and a
/// different cap). Departures: one series only; ESS is capped at `n` (negative
/// autocorrelation would otherwise claim more information than independent sampling), which
/// errs on the conservative side. Cost O(n · lags used) up to 64 lags, then O(n log n) (all
/// autocovariances by FFT).
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 values, [`Error::NonFinite`], [`Error::Constant`].
pub fn effective_sample_size(x: &[f64]) -> Result<EffectiveSampleSize> {
    check::sample("x", x, 2)?;
    let (c, ss) = centered("x", x, "the effective sample size is undefined")?;
    let n = x.len();
    // Direct sums for the first lags (cheap when the dependence is short); all lags by FFT
    // as soon as more are needed, so a strongly persistent series costs O(n log n), not O(n²).
    let mut all: Option<Vec<f64>> = None;
    let mut rho = |k: usize| -> f64 {
        if k < DIRECT_LAGS {
            return autocov_sum(&c, k) / ss;
        }
        let sums = all.get_or_insert_with(|| fft::autocov_sums(&c));
        sums[k] / ss
    };
    let mut sum = 0.0;
    let mut prev = f64::INFINITY;
    let mut max_lag = 0;
    let mut m = 0;
    while 2 * m + 1 < n {
        let pair = rho(2 * m) + rho(2 * m + 1);
        if pair <= 0.0 {
            break;
        }
        let pair = pair.min(prev);
        sum += pair;
        prev = pair;
        max_lag = 2 * m + 1;
        m += 1;
    }
    let tau = (2.0 * sum - 1.0).max(1.0 / n as f64);
    let ess = (n as f64 / tau).min(n as f64);
    Ok(EffectiveSampleSize {
        ess,
        tau,
        n,
        max_lag,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn acf_errors() {
        assert!(matches!(acf(&[], 0), Err(Error::TooFewPoints { .. })));
        assert!(matches!(acf(&[1.0], 0), Err(Error::TooFewPoints { .. })));
        assert!(matches!(
            acf(&[1.0, f64::NAN, 2.0], 1),
            Err(Error::NonFinite { index: 1, .. })
        ));
        assert!(matches!(acf(&[2.0; 5], 1), Err(Error::Constant { .. })));
        assert!(matches!(
            acf(&[1.0, 2.0, 3.0], 3),
            Err(Error::InvalidArgument { .. })
        ));
        assert!(matches!(lag1(&[3.0; 4]), Err(Error::Constant { .. })));
        assert!(matches!(
            effective_sample_size(&[1.0]),
            Err(Error::TooFewPoints { .. })
        ));
    }

    /// The lags from the FFT against the direct sums, relative to `γ̂_0`, on a series with a
    /// period (large autocorrelations at long lags) and a large mean (cancellation).
    #[test]
    fn acf_by_fft_matches_the_direct_sums() {
        let mut rng = crate::stats::rng::Rng::new(11);
        for n in [65usize, 200, 1000, 4099] {
            let x: Vec<f64> = (0..n)
                .map(|t| 1e3 + (t as f64 * 0.3).sin() + 0.5 * rng.normal())
                .collect();
            let max_lag = n - 1;
            let got = acf(&x, max_lag).unwrap().values;
            let (c, ss) = centered("x", &x, "").unwrap();
            for (k, g) in got.iter().enumerate() {
                let want = autocov_sum(&c, k) / ss;
                assert!((g - want).abs() <= 1e-12, "n={n} lag {k}: {g} vs {want}");
            }
            // Below DIRECT_LAGS the values are the direct sums exactly.
            for (k, g) in got.iter().enumerate().take(DIRECT_LAGS) {
                assert_eq!(*g, autocov_sum(&c, k) / ss, "n={n} lag {k}");
            }
        }
    }

    #[test]
    fn ess_of_alternating_series_is_capped_at_n() {
        let x: Vec<f64> = (0..50)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let e = effective_sample_size(&x).unwrap();
        assert_eq!(e.ess, 50.0);
    }
}
