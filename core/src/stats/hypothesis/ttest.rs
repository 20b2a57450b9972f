//! Student and Welch t-tests: two independent samples, paired samples, one sample.
//!
//! Mirror `scipy.stats.ttest_ind`, `ttest_rel` and `ttest_1samp` (scipy 1.17): same statistic,
//! p-value, degrees of freedom, and `confidence_interval(confidence_level)`.
//!
//! ```text
//! Student:  t = (x̄ - ȳ) / √(s²_p (1/n₁ + 1/n₂)),  s²_p = ((n₁-1)s₁² + (n₂-1)s₂²) / (n₁+n₂-2),  df = n₁+n₂-2
//! Welch:    t = (x̄ - ȳ) / √(s₁²/n₁ + s₂²/n₂),
//!           df = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁-1) + (s₂²/n₂)²/(n₂-1))   (Welch–Satterthwaite)
//! one sample: t = (x̄ - μ₀) / (s/√n),  df = n - 1;   paired: one-sample test of dᵢ = xᵢ - yᵢ, μ₀ = 0
//! p: two-sided 2·T_df.sf(|t|), less T_df.cdf(t), greater T_df.sf(t)
//! CI: estimate + se · [T_df.ppf(α/2), T_df.ppf(1-α/2)]  (one-sided: (-∞, est + se·ppf(c)] or [est + se·ppf(1-c), ∞))
//! ```
//!
//! Assumptions: independent observations (normality or a large sample). Metrics scraped over time
//! are autocorrelated; these tests then over-reject — see `stats::compare` for the default.
//!
//! Departures from scipy: where scipy returns NaN/±∞ with a warning, this returns `Err`:
//! zero variance in both samples (or in the one-sample/paired differences) is
//! [`Error::Constant`]; too few points is [`Error::TooFewPoints`]. Means and variances are
//! computed with pairwise sums (as numpy) and the corrected two-pass variance.

use serde::Serialize;

use crate::stats::check;
use crate::stats::common::{Alternative, ConfidenceInterval};
use crate::stats::dist::{t_ppf, t_sf};
use crate::{Error, Result};

/// Options of [`ttest_ind`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TTestOptions {
    /// `true`: Student's pooled-variance test; `false`: Welch's test (scipy's default is `true`;
    /// ours, via [`Default`], is Welch, the safer choice for release comparisons).
    pub equal_var: bool,
    /// The alternative hypothesis (for `less`: mean of x is smaller than mean of y).
    pub alternative: Alternative,
    /// Confidence level of the interval, in (0, 1).
    pub confidence_level: f64,
}

impl Default for TTestOptions {
    fn default() -> Self {
        TTestOptions {
            equal_var: false,
            alternative: Alternative::TwoSided,
            confidence_level: 0.95,
        }
    }
}

/// Result of a t-test.
#[derive(Debug, Clone, Serialize)]
pub struct TTest {
    /// The t statistic.
    pub statistic: f64,
    /// The p-value for `alternative`.
    pub p_value: f64,
    /// Degrees of freedom (real-valued for Welch).
    pub df: f64,
    /// The estimate the interval is about: `mean(x) - mean(y)` (two samples), `mean(x - y)`
    /// (paired), `mean(x)` (one sample, as scipy).
    pub estimate: f64,
    /// Standard error of the estimate (the denominator of `t`).
    pub standard_error: f64,
    /// Confidence interval for the estimate (one-sided for `less`/`greater`).
    pub ci: ConfidenceInterval,
    /// The alternative tested.
    pub alternative: Alternative,
}

/// Pairwise sums of `f(xᵢ)` (both components): blocks of ≤ 128 values summed with 8
/// independent accumulators (vectorisable), blocks combined pairwise, so the rounding error grows
/// like `ε log n` (numpy's `np.sum` scheme).
fn pairwise2<F: Fn(f64) -> (f64, f64) + Copy>(x: &[f64], f: F) -> (f64, f64) {
    const BLOCK: usize = 128;
    if x.len() <= BLOCK {
        let (mut a, mut b) = ([0.0_f64; 8], [0.0_f64; 8]);
        let chunks = x.chunks_exact(8);
        let rem = chunks.remainder();
        for c in chunks {
            for k in 0..8 {
                let (u, v) = f(c[k]);
                a[k] += u;
                b[k] += v;
            }
        }
        let tree = |t: [f64; 8]| ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
        let (mut sa, mut sb) = (tree(a), tree(b));
        for &v in rem {
            let (u, w) = f(v);
            sa += u;
            sb += w;
        }
        (sa, sb)
    } else {
        let mid = x.len() / 2;
        let (a1, b1) = pairwise2(&x[..mid], f);
        let (a2, b2) = pairwise2(&x[mid..], f);
        (a1 + a2, b1 + b2)
    }
}

/// Mean and unbiased variance: pairwise sums, then the corrected two-pass formula
/// `s² = (Σ(x-m)² - (Σ(x-m))²/n) / (n-1)`; variance 0 for `n = 1` and for constant data.
fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m0 = pairwise2(x, |v| (v, 0.0)).0 / n;
    if x.len() < 2 {
        return (m0, 0.0);
    }
    let (dev, ss) = pairwise2(x, |v| {
        let d = v - m0;
        (d, d * d)
    });
    let m = m0 + dev / n;
    let ss = ss - dev * dev / n;
    // Constant data leave only rounding residue (≤ n ε² m² or so); confirm exactly.
    if ss <= 1e-24 * n * m0 * m0 && x.iter().all(|&v| v == x[0]) {
        return (x[0], 0.0);
    }
    (m, ss.max(0.0) / (n - 1.0))
}

/// p-value and CI from a t statistic (scipy's `_get_pvalue` and `_t_confidence_interval`).
fn finish(t: f64, df: f64, estimate: f64, se: f64, alternative: Alternative, level: f64) -> TTest {
    let p_value = match alternative {
        Alternative::TwoSided => 2.0 * t_sf(t.abs(), df),
        Alternative::Less => t_sf(-t, df),
        Alternative::Greater => t_sf(t, df),
    };
    let (lo, hi) = match alternative {
        Alternative::TwoSided => {
            let tail = (1.0 - level) / 2.0;
            (t_ppf(tail, df), t_ppf(1.0 - tail, df))
        }
        Alternative::Less => (f64::NEG_INFINITY, t_ppf(level, df)),
        Alternative::Greater => (t_ppf(1.0 - level, df), f64::INFINITY),
    };
    TTest {
        statistic: t,
        p_value,
        df,
        estimate,
        standard_error: se,
        ci: ConfidenceInterval {
            lo: lo * se + estimate,
            hi: hi * se + estimate,
            level,
        },
        alternative,
    }
}

/// Two-sample t-test for the difference of means (Student or Welch), as
/// `scipy.stats.ttest_ind(x, y, equal_var=..., alternative=...)` and its
/// `confidence_interval(confidence_level)`.
///
/// # Errors
/// - [`Error::TooFewPoints`]: Welch needs ≥ 2 values per sample; Student ≥ 1 per sample and
///   ≥ 3 in total (so that `df ≥ 1`).
/// - [`Error::NonFinite`]: NaN or ±∞ in a sample.
/// - [`Error::Constant`]: both samples have zero variance (the statistic is undefined or ±∞).
/// - [`Error::InvalidArgument`]: `confidence_level` outside (0, 1).
pub fn ttest_ind(x: &[f64], y: &[f64], options: &TTestOptions) -> Result<TTest> {
    let needed = if options.equal_var { 1 } else { 2 };
    check::sample("x", x, needed)?;
    check::sample("y", y, needed)?;
    if x.len() + y.len() < 3 {
        return Err(Error::TooFewPoints {
            what: "x and y together",
            needed: 3,
            got: x.len() + y.len(),
        });
    }
    check::probability("confidence_level", options.confidence_level)?;
    let (n1, n2) = (x.len() as f64, y.len() as f64);
    let (m1, v1) = mean_var(x);
    let (m2, v2) = mean_var(y);
    if v1 == 0.0 && v2 == 0.0 {
        return Err(Error::Constant {
            what: "x and y",
            value: x[0],
            why: "both samples have zero variance, so the t statistic is undefined",
        });
    }
    let (df, se) = if options.equal_var {
        let df = n1 + n2 - 2.0;
        let svar = ((n1 - 1.0) * v1 + (n2 - 1.0) * v2) / df;
        (df, (svar * (1.0 / n1 + 1.0 / n2)).sqrt())
    } else {
        let (vn1, vn2) = (v1 / n1, v2 / n2);
        let df = (vn1 + vn2).powi(2) / (vn1 * vn1 / (n1 - 1.0) + vn2 * vn2 / (n2 - 1.0));
        (df, (vn1 + vn2).sqrt())
    };
    let d = m1 - m2;
    Ok(finish(
        d / se,
        df,
        d,
        se,
        options.alternative,
        options.confidence_level,
    ))
}

/// One-sample t-test of `mean(x) = popmean`, as `scipy.stats.ttest_1samp(x, popmean)`; the
/// interval is for the population mean (scipy's `estimate` is `mean(x)`).
///
/// # Errors
/// [`Error::TooFewPoints`] (< 2 values), [`Error::NonFinite`], [`Error::Constant`] (zero
/// variance), [`Error::InvalidArgument`] (`popmean` not finite or `confidence_level` ∉ (0, 1)).
pub fn ttest_1samp(
    x: &[f64],
    popmean: f64,
    alternative: Alternative,
    confidence_level: f64,
) -> Result<TTest> {
    check::sample("x", x, 2)?;
    check::probability("confidence_level", confidence_level)?;
    if !popmean.is_finite() {
        return Err(Error::invalid(
            "popmean",
            format!("must be finite, got {popmean}"),
        ));
    }
    one_sample("x", x, popmean, alternative, confidence_level)
}

fn one_sample(
    what: &'static str,
    x: &[f64],
    popmean: f64,
    alternative: Alternative,
    level: f64,
) -> Result<TTest> {
    let n = x.len() as f64;
    let (m, v) = mean_var(x);
    if v == 0.0 {
        return Err(Error::Constant {
            what,
            value: x[0],
            why: "zero variance, so the t statistic is undefined",
        });
    }
    let se = (v / n).sqrt();
    Ok(finish(
        (m - popmean) / se,
        n - 1.0,
        m,
        se,
        alternative,
        level,
    ))
}

/// Paired t-test (`scipy.stats.ttest_rel(x, y)`): the one-sample test of `dᵢ = xᵢ - yᵢ`
/// against 0; the interval is for the mean difference.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::TooFewPoints`] (< 2 pairs), [`Error::NonFinite`],
/// [`Error::Constant`] (all differences equal), [`Error::InvalidArgument`]
/// (`confidence_level` ∉ (0, 1)).
pub fn ttest_rel(
    x: &[f64],
    y: &[f64],
    alternative: Alternative,
    confidence_level: f64,
) -> Result<TTest> {
    check::same_len("x and y", x, y)?;
    check::sample("x", x, 2)?;
    check::sample("y", y, 2)?;
    check::probability("confidence_level", confidence_level)?;
    let d: Vec<f64> = x.iter().zip(y).map(|(a, b)| a - b).collect();
    one_sample("differences x - y", &d, 0.0, alternative, confidence_level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_is_an_error() {
        let o = TTestOptions::default();
        assert!(matches!(
            ttest_ind(&[], &[1.0, 2.0], &o),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            ttest_ind(&[1.0], &[1.0, 2.0], &o),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            ttest_ind(&[1.0, f64::NAN], &[1.0, 2.0], &o),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            ttest_ind(&[1.0, 1.0], &[2.0, 2.0, 2.0], &o),
            Err(Error::Constant { .. })
        ));
        let bad_level = TTestOptions {
            confidence_level: 1.0,
            ..o
        };
        assert!(matches!(
            ttest_ind(&[1.0, 2.0], &[1.0, 3.0], &bad_level),
            Err(Error::InvalidArgument { .. })
        ));
        assert!(matches!(
            ttest_ind(&[0.1; 7], &[0.1; 5], &o),
            Err(Error::Constant { .. })
        ));
        assert!(matches!(
            ttest_1samp(&[3.0, 3.0, 3.0], 0.0, Alternative::TwoSided, 0.95),
            Err(Error::Constant { .. })
        ));
        assert!(matches!(
            ttest_1samp(&[3.0], 0.0, Alternative::TwoSided, 0.95),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            ttest_rel(&[1.0, 2.0], &[1.0], Alternative::TwoSided, 0.95),
            Err(Error::LengthMismatch { .. })
        ));
        assert!(matches!(
            ttest_rel(&[1.0, 2.0], &[0.0, 1.0], Alternative::TwoSided, 0.95),
            Err(Error::Constant { .. })
        ));
    }

    #[test]
    fn student_allows_one_point_in_one_sample() {
        let o = TTestOptions {
            equal_var: true,
            ..TTestOptions::default()
        };
        let r = ttest_ind(&[5.0], &[1.0, 2.0, 3.0], &o);
        assert!(r.is_ok_and(|r| r.df == 2.0 && r.statistic > 0.0));
    }
}
