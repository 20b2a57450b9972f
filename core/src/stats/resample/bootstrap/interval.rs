//! Percentile and BCa intervals from a bootstrap distribution (scipy.stats.bootstrap's
//! formulas, transcribed).

use serde::Serialize;

use crate::stats::dist::{norm_cdf as ndtr, norm_ppf as ndtri};
use crate::stats::{check, Alternative, ConfidenceInterval};
use crate::{Error, Result};

/// The BCa interval with the quantities that produced it.
#[derive(Debug, Clone, Serialize)]
pub struct BcaInterval {
    /// The interval.
    pub ci: ConfidenceInterval,
    /// Bias correction `z0 = Φ⁻¹(percentile of θ̂ in the bootstrap distribution)`.
    pub z0: f64,
    /// Acceleration `a` from the jackknife.
    pub acceleration: f64,
    /// Probability level of the lower end in the bootstrap distribution.
    pub alpha_lo: f64,
    /// Probability level of the upper end in the bootstrap distribution.
    pub alpha_hi: f64,
}

/// Tail probability per side: `(1 - level) / 2` two-sided, `1 - level` one-sided (scipy).
pub(crate) fn tail_alpha(level: f64, alternative: Alternative) -> f64 {
    match alternative {
        Alternative::TwoSided => (1.0 - level) / 2.0,
        _ => 1.0 - level,
    }
}

/// `scipy.stats.quantile(y, p, method="linear")` of a sorted, non-empty `y`, with scipy's
/// arithmetic: `jg = p n + (1 - p)`, `j = floor(jg) - 1`, `g = jg mod 1`,
/// `(1 - g) y[j] + g y[j + 1]` (indices clipped to `[0, n - 1]`).
pub(crate) fn scipy_quantile_sorted(y: &[f64], p: f64) -> f64 {
    let n = y.len();
    if n == 0 || p.is_nan() {
        return f64::NAN;
    }
    let jg = p * n as f64 + (1.0 - p);
    let jp1 = jg.floor();
    let j = jp1 - 1.0;
    let g = if j < 0.0 { 0.0 } else { jg - jp1 };
    let last = (n - 1) as f64;
    let j = j.clamp(0.0, last) as usize;
    let jp1 = jp1.clamp(0.0, last) as usize;
    (1.0 - g) * y[j] + g * y[jp1]
}

/// Applies the alternative: one-sided intervals are open on one end (scipy).
fn interval(lo: f64, hi: f64, level: f64, alternative: Alternative) -> ConfidenceInterval {
    match alternative {
        Alternative::TwoSided => ConfidenceInterval { lo, hi, level },
        Alternative::Less => ConfidenceInterval {
            lo: f64::NEG_INFINITY,
            hi,
            level,
        },
        Alternative::Greater => ConfidenceInterval {
            lo,
            hi: f64::INFINITY,
            level,
        },
    }
}

/// Percentile interval `[Q(α), Q(1 - α)]` of a **sorted** bootstrap distribution.
pub(crate) fn percentile_sorted(
    boot_sorted: &[f64],
    level: f64,
    alternative: Alternative,
) -> ConfidenceInterval {
    let alpha = tail_alpha(level, alternative);
    let lo = scipy_quantile_sorted(boot_sorted, alpha);
    let hi = scipy_quantile_sorted(boot_sorted, 1.0 - alpha);
    interval(lo, hi, level, alternative)
}

/// Bias-corrected and accelerated (BCa) bootstrap interval (Efron & Tibshirani 1993, §14.3,
/// eq. 15.36), transcribing `scipy.stats._resampling._bca_interval` for several samples.
///
/// ```text
/// z0 = Φ⁻¹( (#{θ*_b < θ̂} + #{θ*_b ≤ θ̂}) / (2B) )
/// for each sample j with jackknife values θ_(j,i), i = 1..n_j (leave x_(j,i) out):
///     U_ji = (n_j - 1) (mean_i θ_(j,i) - θ_(j,i))
/// a  = (1/6) Σ_j Σ_i U_ji³ / n_j³  /  (Σ_j Σ_i U_ji² / n_j²)^(3/2)
/// α1 = Φ(z0 + (z0 + z_α) / (1 - a (z0 + z_α))),   α2 = same with z_(1-α)
/// CI = [Q(α1), Q(α2)]   (Q: scipy.stats.quantile, linear, of the bootstrap distribution)
/// ```
///
/// `boot` is the bootstrap distribution (any order), `jackknife[j]` the leave-one-out values of
/// the statistic for sample `j` (the other samples kept whole). `α = (1 - level)/2` two-sided,
/// `1 - level` one-sided, the open end being ±∞ (as scipy). Departure: where scipy returns NaN
/// with a `DegenerateDataWarning`, this returns an error.
///
/// # Errors
/// [`Error::TooFewPoints`] (empty `boot` or jackknife), [`Error::NonFinite`],
/// [`Error::InvalidArgument`] (`level` outside (0, 1), or the interval is undefined: θ̂ lies
/// outside the bootstrap distribution so `z0 = ±∞`, or the jackknife has no spread).
pub fn bca_interval(
    theta_hat: f64,
    boot: &[f64],
    jackknife: &[&[f64]],
    level: f64,
    alternative: Alternative,
) -> Result<BcaInterval> {
    check::probability("level", level)?;
    check::sample("bootstrap distribution", boot, 1)?;
    if jackknife.is_empty() {
        return Err(Error::TooFewPoints {
            what: "jackknife",
            needed: 1,
            got: 0,
        });
    }
    for jk in jackknife {
        check::sample("jackknife", jk, 1)?;
    }
    if !theta_hat.is_finite() {
        return Err(Error::NonFinite {
            what: "theta_hat",
            index: 0,
            value: theta_hat,
        });
    }
    let mut sorted = boot.to_vec();
    sorted.sort_by(f64::total_cmp);
    bca_sorted(theta_hat, &sorted, jackknife, level, alternative)
}

/// [`bca_interval`] on an already sorted bootstrap distribution (inputs already checked).
pub(crate) fn bca_sorted(
    theta_hat: f64,
    sorted: &[f64],
    jackknife: &[&[f64]],
    level: f64,
    alternative: Alternative,
) -> Result<BcaInterval> {
    let b = sorted.len();
    let below = sorted.partition_point(|&v| v < theta_hat);
    let at_or_below = sorted.partition_point(|&v| v <= theta_hat);
    let percentile = (below + at_or_below) as f64 / (2 * b) as f64;
    let z0 = ndtri(percentile);
    if !z0.is_finite() {
        return Err(Error::invalid(
            "statistic",
            format!(
                "the estimate {theta_hat} lies outside the bootstrap distribution, so the BCa \
                 interval is undefined (degenerate data?); use the percentile method"
            ),
        ));
    }
    let (mut num, mut den) = (0.0, 0.0);
    for jk in jackknife {
        let n = jk.len() as f64;
        let mean = jk.iter().sum::<f64>() / n;
        let (mut s3, mut s2) = (0.0, 0.0);
        for &t in jk.iter() {
            let u = (n - 1.0) * (mean - t);
            s3 += u * u * u;
            s2 += u * u;
        }
        num += s3 / (n * n * n);
        den += s2 / (n * n);
    }
    let a = 1.0 / 6.0 * num / libm::pow(den, 1.5);
    if !a.is_finite() {
        return Err(Error::invalid(
            "statistic",
            "the jackknife values have no spread, so the BCa acceleration is undefined; \
             use the percentile method",
        ));
    }
    let alpha = tail_alpha(level, alternative);
    let z_alpha = ndtri(alpha);
    let num1 = z0 + z_alpha;
    let alpha_lo = ndtr(z0 + num1 / (1.0 - a * num1));
    let num2 = z0 - z_alpha;
    let alpha_hi = ndtr(z0 + num2 / (1.0 - a * num2));
    let lo = scipy_quantile_sorted(sorted, alpha_lo);
    let hi = scipy_quantile_sorted(sorted, alpha_hi);
    Ok(BcaInterval {
        ci: interval(lo, hi, level, alternative),
        z0,
        acceleration: a,
        alpha_lo,
        alpha_hi,
    })
}
