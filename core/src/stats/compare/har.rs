//! The long-run variance behind [`super::compare`]: equal-weighted cosine (EWC) with a
//! data-driven number of basis functions and an AR(1) bias correction.

use crate::stats::dependence::{long_run_variance, Bandwidth, Kernel, LrvOptions};
use crate::Result;

/// Largest number of cosine basis functions (t degrees of freedom) per series. Beyond ~64 the
/// t reference is indistinguishable from the normal and the O(n·ν) cost only grows.
pub const NU_MAX: usize = 64;
/// Smallest number of basis functions (when `n` allows): t₂ is very wide but still valid.
pub const NU_MIN: usize = 2;
/// Tolerated relative drop of the AR(1) spectral density over the used frequencies.
pub const FLATNESS: f64 = 0.1;

/// How the long-run variance of a series was estimated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Har {
    /// Long-run variance (`n · Var(x̄)`), 0 for a constant series.
    pub omega: f64,
    /// Degrees of freedom of its scaled-χ² law (∞ for asymptotic methods).
    pub df: f64,
    /// Lag-1 autocorrelation (0 for a constant series).
    pub lag1: f64,
    /// Sample variance (divisor n − 1).
    pub variance: f64,
    /// Basis functions used (EWC) or 0.
    pub nu: usize,
}

/// Which estimator [`har`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Estimator {
    Ewc,
    NeweyWest,
    Iid,
}

fn nu_for(phi: f64, n: usize) -> usize {
    let cap = NU_MAX.min(n - 1);
    let floor = NU_MIN.min(cap);
    if phi <= 0.0 {
        return cap;
    }
    // Largest ω with s(ω)/s(0) = (1−φ)² / (1 − 2φ cos ω + φ²) ≥ 1 − FLATNESS.
    let c = (1.0 + phi * phi - (1.0 - phi).powi(2) / (1.0 - FLATNESS)) / (2.0 * phi);
    let omega = c.clamp(-1.0, 1.0).acos();
    let nu = (omega * n as f64 / std::f64::consts::PI).floor();
    (nu.max(0.0) as usize).clamp(floor, cap)
}

/// Mean over `j = 1..=nu` of the AR(1) spectral ratio `s(πj/n)/s(0)` (≤ 1 for φ ≥ 0).
fn spectral_ratio(phi: f64, nu: usize, n: usize) -> f64 {
    if phi <= 0.0 {
        return 1.0;
    }
    let total: f64 = (1..=nu)
        .map(|j| {
            let w = std::f64::consts::PI * j as f64 / n as f64;
            (1.0 - phi).powi(2) / (1.0 - 2.0 * phi * w.cos() + phi * phi)
        })
        .sum();
    total / nu as f64
}

/// Bias-corrected lag-1 autocorrelation `φ̃ = φ̂ + (1 + 3φ̂)/n` (Kendall 1954), clamped.
pub(crate) fn corrected_phi(phi: f64, n: usize) -> f64 {
    (phi + (1.0 + 3.0 * phi) / n as f64).clamp(-0.99, 0.995)
}

/// What [`har`] reports for a constant series.
const CONSTANT: Har = Har {
    omega: 0.0,
    df: f64::INFINITY,
    lag1: 0.0,
    variance: 0.0,
    nu: 0,
};

/// `x` minus its mean, and the sum of squares of that.
fn centred(x: &[f64]) -> (Vec<f64>, f64) {
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    let c: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let ss = c.iter().map(|v| v * v).sum();
    (c, ss)
}

/// Long-run variance of `x` (n ≥ 3, finite, checked by the caller). A constant series gives
/// `omega = 0`.
pub(crate) fn har(x: &[f64], estimator: Estimator) -> Result<Har> {
    let n = x.len();
    let (c, ss) = centred(x);
    let variance = ss / (n as f64 - 1.0);
    if ss == 0.0 {
        return Ok(CONSTANT);
    }
    let lag1 = crate::stats::dependence::autocov_sum(&c, 1) / ss;
    Ok(match estimator {
        Estimator::Ewc => {
            let phi = corrected_phi(lag1, n);
            let nu = nu_for(phi, n);
            let raw = crate::stats::dependence::ewc_centered(&c, nu);
            Har {
                omega: raw / spectral_ratio(phi, nu, n),
                df: nu as f64,
                lag1,
                variance,
                nu,
            }
        }
        Estimator::NeweyWest => {
            let options = LrvOptions {
                kernel: Kernel::Bartlett,
                bandwidth: Bandwidth::Auto,
                prewhiten: true,
            };
            Har {
                omega: long_run_variance(x, &options)?.value,
                df: f64::INFINITY,
                lag1,
                variance,
                nu: 0,
            }
        }
        Estimator::Iid => Har {
            omega: variance,
            df: n as f64 - 1.0,
            lag1,
            variance,
            nu: 0,
        },
    })
}

/// [`har`] of `x` (EWC) and [`har_like`] of `z` (same length) against it, the two cosine sums
/// in one pass ([`crate::stats::dependence::ewc_centered_pair`]): the numbers of the two
/// calls. `None` for `z`'s where `x` is constant (no basis to share).
pub(crate) fn har_ewc_and_like(x: &[f64], z: &[f64]) -> (Har, Option<f64>) {
    let n = x.len();
    let (c, ss) = centred(x);
    let variance = ss / (n as f64 - 1.0);
    if ss == 0.0 {
        return (CONSTANT, None);
    }
    let lag1 = crate::stats::dependence::autocov_sum(&c, 1) / ss;
    let phi = corrected_phi(lag1, n);
    let nu = nu_for(phi, n);
    let z_mean = z.iter().sum::<f64>() / n as f64;
    let zc: Vec<f64> = z.iter().map(|v| v - z_mean).collect();
    let (raw, raw_z) = crate::stats::dependence::ewc_centered_pair(&c, &zc, nu);
    let ratio = spectral_ratio(phi, nu, n);
    let har = Har {
        omega: raw / ratio,
        df: nu as f64,
        lag1,
        variance,
        nu,
    };
    (har, Some(raw_z / ratio))
}

/// Long-run variance of `z` by the same estimator; for EWC with the basis size and bias
/// correction chosen for another series (the linearised ratio shares the persistence of the
/// differences it comes from).
pub(crate) fn har_like(z: &[f64], like: &Har, estimator: Estimator) -> Result<f64> {
    if estimator != Estimator::Ewc || like.nu == 0 {
        return Ok(har(z, estimator)?.omega);
    }
    let n = z.len();
    let mean = z.iter().sum::<f64>() / n as f64;
    let c: Vec<f64> = z.iter().map(|v| v - mean).collect();
    let phi = corrected_phi(like.lag1, n);
    Ok(crate::stats::dependence::ewc_centered(&c, like.nu) / spectral_ratio(phi, like.nu, n))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn basis_size_shrinks_with_persistence() {
        assert_eq!(nu_for(0.0, 480), NU_MAX);
        assert_eq!(nu_for(-0.2, 5), 4);
        assert_eq!(nu_for(0.3, 5), NU_MIN);
        let (a, b, c) = (nu_for(0.5, 480), nu_for(0.8, 480), nu_for(0.95, 480));
        assert!(a > b && b > c && c >= NU_MIN, "{a} {b} {c}");
        assert!(spectral_ratio(0.9, 10, 480) < 1.0);
    }
}
