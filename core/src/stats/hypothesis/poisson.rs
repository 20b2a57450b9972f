//! Exact conditional test for the ratio of two Poisson rates (e.g. error counts per request or
//! per hour, baseline vs candidate).
//!
//! ```text
//! K₁ ~ Poisson(λ₁ e₁), K₂ ~ Poisson(λ₂ e₂), r = λ₁/λ₂.   Given K₁ + K₂ = n:
//!     K₁ ~ Binomial(n, π(r)),   π(r) = e₁ r / (e₁ r + e₂)
//! H₀: r = 1  ⇔  π = π₀ = e₁ / (e₁ + e₂)
//! p-value = scipy.stats.binomtest(k₁, n, π₀, alternative).pvalue
//!   less:      P[K₁ ≤ k₁]         greater:  P[K₁ ≥ k₁]
//!   two-sided: Σ P[K₁ = j] over j with P[K₁ = j] ≤ P[K₁ = k₁] (1 + 1e-7)   (scipy's rule)
//! r̂ = (k₁/e₁) / (k₂/e₂);  CI: Clopper–Pearson [π_lo, π_hi] for π, mapped by r = π/(1-π) · e₂/e₁:
//!   π_lo = Beta⁻¹(α; k₁, n-k₁+1),  π_hi = Beta⁻¹(1-α; k₁+1, n-k₁)   (α = (1-level)/2, or 1-level one-sided)
//! ```
//!
//! Reference: the conditional test of Przyborowski & Wilenski (1940); the interval as in
//! `binomtest(...).proportion_ci(method='exact')` (Clopper & Pearson 1934). `alternative =
//! "greater"` means the first rate is larger (`r > 1`).
//!
//! Departure from scipy: scipy finds the Clopper–Pearson bounds with `brentq`
//! (absolute tolerance 2e-12 in π); here they come from the inverse incomplete beta to full
//! precision, and `1 - π` is computed directly so the ratio keeps its digits when π ≈ 1.

use serde::Serialize;

use crate::stats::common::{Alternative, ConfidenceInterval};
use crate::stats::dist::{binom_cdf, binom_pmf, binom_sf};
use crate::stats::{check, special};
use crate::{Error, Result};

/// Two values of the same kind, for the first (baseline/x) and second (candidate/y) sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pair<T> {
    /// The first sample's value.
    pub first: T,
    /// The second sample's value.
    pub second: T,
}

/// Result of [`poisson_rate_ratio`].
#[derive(Debug, Clone, Serialize)]
pub struct PoissonRateRatio {
    /// Estimated rate ratio `(k₁/e₁)/(k₂/e₂)` (∞ when `k₂ = 0`, 0 when `k₁ = 0`).
    pub ratio: f64,
    /// The exact conditional p-value for `alternative` (H₀: ratio = 1).
    pub p_value: f64,
    /// Exact (Clopper–Pearson based) confidence interval for the ratio.
    pub ci: ConfidenceInterval,
    /// The counts `k₁`, `k₂`.
    pub k: Pair<u64>,
    /// The exposures `e₁`, `e₂`.
    pub exposure: Pair<f64>,
    /// The alternative tested.
    pub alternative: Alternative,
}

/// scipy's `_binary_search_for_binom_tst`: over integers in `[lo, hi]` where `a` is monotone
/// non-decreasing, the largest `i` with `a(i) ≤ d` (or `lo - 1`).
fn binary_search(a: impl Fn(u64) -> f64, d: f64, mut lo: i64, mut hi: i64) -> i64 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let v = a(mid as u64);
        if v < d {
            lo = mid + 1;
        } else if v > d {
            hi = mid - 1;
        } else {
            return mid;
        }
    }
    if lo >= 0 && a(lo as u64) <= d {
        lo
    } else {
        lo - 1
    }
}

/// `scipy.stats.binomtest(k, n, p, alternative).pvalue`, for `n ≥ 1`, `0 < p < 1`.
pub(crate) fn binom_test_p(k: u64, n: u64, p: f64, alternative: Alternative) -> f64 {
    match alternative {
        Alternative::Less => binom_cdf(k, n, p),
        Alternative::Greater => {
            if k == 0 {
                1.0
            } else {
                binom_sf(k - 1, n, p)
            }
        }
        Alternative::TwoSided => {
            let d = binom_pmf(k, n, p);
            let rerr = 1.0 + 1e-7;
            let pn = p * n as f64;
            let (kf, nn) = (k as f64, n as i64);
            let pval = if kf == pn {
                1.0
            } else if kf < pn {
                let ix = binary_search(|x| -binom_pmf(x, n, p), -d * rerr, pn.ceil() as i64, nn);
                let eq = ix >= 0 && d * rerr == binom_pmf(ix as u64, n, p);
                let y = nn - ix + i64::from(eq);
                let upper = if n as i64 - y < 0 {
                    1.0
                } else {
                    binom_sf((nn - y) as u64, n, p)
                };
                binom_cdf(k, n, p) + upper
            } else {
                let ix = binary_search(|x| binom_pmf(x, n, p), d * rerr, 0, pn.floor() as i64);
                let y = ix + 1;
                let lower = if y >= 1 {
                    binom_cdf((y - 1) as u64, n, p)
                } else {
                    0.0
                };
                lower + binom_sf(k - 1, n, p)
            };
            pval.min(1.0)
        }
    }
}

/// Exact Clopper–Pearson bounds as `(π, 1 - π)` pairs, each computed directly.
fn clopper_pearson(k: u64, n: u64, level: f64, alternative: Alternative) -> [(f64, f64); 2] {
    let (kf, nf) = (k as f64, n as f64);
    let alpha = match alternative {
        Alternative::TwoSided => (1.0 - level) / 2.0,
        _ => 1.0 - level,
    };
    let want_lo = alternative != Alternative::Less;
    let want_hi = alternative != Alternative::Greater;
    let lo = if k == 0 || !want_lo {
        (0.0, 1.0)
    } else {
        (
            special::inc_beta_inv(alpha, kf, nf - kf + 1.0),
            special::inc_beta_inv(1.0 - alpha, nf - kf + 1.0, kf),
        )
    };
    let hi = if k == n || !want_hi {
        (1.0, 0.0)
    } else {
        (
            special::inc_beta_inv(1.0 - alpha, kf + 1.0, nf - kf),
            special::inc_beta_inv(alpha, nf - kf, kf + 1.0),
        )
    };
    [lo, hi]
}

/// Exact conditional test of `λ₁ = λ₂` for two Poisson counts with exposures, with the rate
/// ratio and its exact confidence interval (see the module docs).
///
/// # Errors
/// - [`Error::TooFewPoints`]: `k1 + k2 = 0` (no events, nothing to compare).
/// - [`Error::InvalidArgument`]: an exposure not finite and positive, or `confidence_level`
///   outside (0, 1).
pub fn poisson_rate_ratio(
    k1: u64,
    e1: f64,
    k2: u64,
    e2: f64,
    alternative: Alternative,
    confidence_level: f64,
) -> Result<PoissonRateRatio> {
    for (name, e) in [("e1", e1), ("e2", e2)] {
        if !(e.is_finite() && e > 0.0) {
            return Err(Error::invalid(
                name,
                format!("exposure must be finite and positive, got {e}"),
            ));
        }
    }
    check::probability("confidence_level", confidence_level)?;
    let n = k1
        .checked_add(k2)
        .ok_or_else(|| Error::invalid("k1 + k2", "the total count overflows a 64-bit integer"))?;
    if n == 0 {
        return Err(Error::TooFewPoints {
            what: "events (k1 + k2)",
            needed: 1,
            got: 0,
        });
    }
    let p0 = e1 / (e1 + e2);
    let p_value = binom_test_p(k1, n, p0, alternative);
    let scale = e2 / e1;
    let [(lo_p, lo_q), (hi_p, hi_q)] = clopper_pearson(k1, n, confidence_level, alternative);
    let to_ratio = |p: f64, q: f64| {
        if q == 0.0 {
            f64::INFINITY
        } else {
            p / q * scale
        }
    };
    let ratio = if k2 == 0 {
        f64::INFINITY
    } else {
        (k1 as f64 / e1) / (k2 as f64 / e2)
    };
    Ok(PoissonRateRatio {
        ratio,
        p_value,
        ci: ConfidenceInterval {
            lo: to_ratio(lo_p, lo_q),
            hi: to_ratio(hi_p, hi_q),
            level: confidence_level,
        },
        k: Pair {
            first: k1,
            second: k2,
        },
        exposure: Pair {
            first: e1,
            second: e2,
        },
        alternative,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_is_an_error() {
        let a = Alternative::TwoSided;
        assert!(matches!(
            poisson_rate_ratio(0, 1.0, 0, 1.0, a, 0.95),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            poisson_rate_ratio(1, 0.0, 3, 1.0, a, 0.95),
            Err(Error::InvalidArgument { .. })
        ));
        assert!(matches!(
            poisson_rate_ratio(1, 1.0, 3, f64::NAN, a, 0.95),
            Err(Error::InvalidArgument { .. })
        ));
        assert!(matches!(
            poisson_rate_ratio(1, 1.0, 3, 1.0, a, 1.5),
            Err(Error::InvalidArgument { .. })
        ));
    }

    #[test]
    fn edges() {
        let r = poisson_rate_ratio(5, 1.0, 0, 1.0, Alternative::TwoSided, 0.95);
        assert!(r.is_ok_and(|r| r.ratio.is_infinite() && r.ci.hi.is_infinite() && r.ci.lo > 0.0));
        let r = poisson_rate_ratio(0, 1.0, 5, 1.0, Alternative::TwoSided, 0.95);
        assert!(r.is_ok_and(|r| r.ratio == 0.0 && r.ci.lo == 0.0 && r.ci.hi.is_finite()));
        let r = poisson_rate_ratio(5, 2.0, 10, 4.0, Alternative::TwoSided, 0.95);
        assert!(r.is_ok_and(|r| r.ratio == 1.0 && r.p_value == 1.0));
    }
}
