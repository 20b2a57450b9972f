//! Mann–Whitney U test (exact and normal approximation), mirroring scipy.stats.mannwhitneyu.

mod exact;

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use crate::stats::dist::norm_cdf;
use crate::stats::{check, rank, Alternative};
use crate::{Error, Result};

/// How the p-value of [`mann_whitney_u`] is computed; spelled as in scipy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MwuMethod {
    /// scipy's rule: `Exact` when either sample has at most 8 values and there are no ties,
    /// else `Asymptotic`.
    #[default]
    Auto,
    /// The exact null distribution of U (which assumes no ties; with ties U is truncated to an
    /// integer first, exactly as scipy does).
    Exact,
    /// Normal approximation with tie correction and optional continuity correction.
    Asymptotic,
}

impl MwuMethod {
    /// The spelling accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            MwuMethod::Auto => "auto",
            MwuMethod::Exact => "exact",
            MwuMethod::Asymptotic => "asymptotic",
        }
    }
}

impl fmt::Display for MwuMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MwuMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(MwuMethod::Auto),
            "exact" => Ok(MwuMethod::Exact),
            "asymptotic" => Ok(MwuMethod::Asymptotic),
            _ => Err(Error::UnknownName {
                kind: "method",
                value: s.to_string(),
                expected: "auto, exact, asymptotic",
            }),
        }
    }
}

/// Options of [`mann_whitney_u`]; the default is scipy's (two-sided, auto, continuity on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MwuOptions {
    /// Alternative hypothesis about `x` relative to `y`.
    pub alternative: Alternative,
    /// How to compute the p-value.
    pub method: MwuMethod,
    /// Subtract 1/2 from |U − mean| in the normal approximation (ignored by `Exact`).
    pub use_continuity: bool,
}

impl Default for MwuOptions {
    fn default() -> Self {
        MwuOptions {
            alternative: Alternative::TwoSided,
            method: MwuMethod::Auto,
            use_continuity: true,
        }
    }
}

/// Sizes of the two samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SampleSizes {
    /// Number of values in `x` (baseline).
    pub n_x: usize,
    /// Number of values in `y` (candidate).
    pub n_y: usize,
}

/// Result of [`mann_whitney_u`].
#[derive(Debug, Clone, Serialize)]
pub struct MannWhitneyU {
    /// U of `x`: the number of pairs `(x_i, y_j)` with `x_i > y_j`, ties counting 1/2
    /// (scipy's `statistic`).
    pub statistic: f64,
    /// p-value for the requested alternative.
    pub p_value: f64,
    /// The method actually used (`exact` or `asymptotic`, never `auto`).
    pub method_used: MwuMethod,
    /// Sample sizes.
    pub n: SampleSizes,
    /// Common-language effect size `U / (n_x n_y)`: the probability that a random value of `x`
    /// exceeds a random value of `y` (ties counting 1/2). 0.5 means no shift.
    pub effect: f64,
}

/// Mann–Whitney U (Wilcoxon rank-sum) test of `x` against `y`, mirroring
/// `scipy.stats.mannwhitneyu` (scipy 1.17).
///
/// ```text
/// R_x  = Σ midranks of x in the pooled sample        (one O(n) radix sort, see stats::rank)
/// U_x  = R_x − n_x (n_x + 1) / 2,     U_y = n_x n_y − U_x
/// U    = U_x (greater), U_y (less), max(U_x, U_y) (two-sided, p doubled and clipped to 1)
/// exact:      p = P(U' ≥ ⌊U⌋) under the no-ties null distribution (Gaussian binomial)
/// asymptotic: σ = sqrt(n_x n_y / 12 · ((N + 1) − Σ(t³ − t) / (N (N − 1))))
///             z = (U − n_x n_y / 2 − 0.5·continuity) / σ,   p = Φ(−z)
/// ```
///
/// Assumptions: independent observations within and between samples (scraped metrics are
/// autocorrelated: see `stats::compare` for the calibrated default comparison). The exact
/// method assumes no ties; with ties its p-value is only approximate, but scipy allows it
/// (truncating U to an integer), so we do the same.
/// The `auto` rule is scipy's: exact when `min(n_x, n_y) ≤ 8` and there are no ties.
///
/// Departures from scipy: identical values everywhere is an error (scipy returns p = 1 or NaN
/// depending on `use_continuity`); the exact distribution is tabulated in
/// `O(min(n_x, n_y) · n_x n_y / 2)` instead of `O((n_x n_y)²)`, and when it would still be too
/// large (e.g. 8 vs 10⁷ values) `auto` uses the normal approximation (scipy would run for
/// hours) while an explicit `exact` is an error.
///
/// Reference: Mann & Whitney (1947), Ann. Math. Statist. 18, 50–60; scipy.stats.mannwhitneyu.
///
/// # Examples
/// ```
/// use shiftwatch::stats::mann_whitney::{mann_whitney_u, MwuMethod, MwuOptions};
/// // The scipy.stats.mannwhitneyu docstring example (ages at diagnosis).
/// let males = [19.0, 22.0, 16.0, 29.0, 24.0];
/// let females = [20.0, 11.0, 17.0, 12.0];
/// let r = mann_whitney_u(&males, &females, &MwuOptions::default())?;
/// assert_eq!(r.statistic, 17.0);
/// assert_eq!(r.method_used, MwuMethod::Exact);
/// assert!((r.p_value - 0.1111111111111111).abs() < 1e-15);
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] if `x` or `y` is empty; [`Error::NonFinite`] naming the sample and
/// index of the first NaN or ±∞; [`Error::Constant`] if every value in both samples is the
/// same; [`Error::InvalidArgument`] if `exact` is requested for samples whose exact
/// distribution is too large to tabulate.
pub fn mann_whitney_u(x: &[f64], y: &[f64], options: &MwuOptions) -> Result<MannWhitneyU> {
    check::sample("x", x, 1)?;
    check::sample("y", y, 1)?;
    let first = x[0];
    if x.iter().chain(y).all(|&v| v == first) {
        return Err(Error::Constant {
            what: "x and y",
            value: first,
            why: "the ranks carry no information",
        });
    }
    let ranks = rank::pooled(x, y)?;
    let (n1, n2) = (x.len(), y.len());
    let (f1, f2) = (n1 as f64, n2 as f64);
    let u1 = ranks.rank_sum_x - f1 * (f1 + 1.0) / 2.0;
    let u2 = f1 * f2 - u1;
    let (u, factor) = match options.alternative {
        Alternative::Greater => (u1, 1.0),
        Alternative::Less => (u2, 1.0),
        Alternative::TwoSided => (u1.max(u2), 2.0),
    };
    let method = match options.method {
        MwuMethod::Auto if (n1 > 8 && n2 > 8) || ranks.has_ties => MwuMethod::Asymptotic,
        MwuMethod::Auto if !exact::feasible(n1, n2) => MwuMethod::Asymptotic,
        MwuMethod::Auto => MwuMethod::Exact,
        m => m,
    };
    let p = match method {
        // `np.asarray(U, np.int64)` in scipy: truncation of a half-integer U under ties.
        MwuMethod::Exact => exact::sf(u as u64, n1, n2)?,
        _ => {
            let z = z_score(u, n1, n2, ranks.tie_term, options.use_continuity);
            norm_cdf(-z)
        }
    };
    Ok(MannWhitneyU {
        statistic: u1,
        p_value: (p * factor).clamp(0.0, 1.0),
        method_used: method,
        n: SampleSizes { n_x: n1, n_y: n2 },
        effect: u1 / (f1 * f2),
    })
}

/// Standardised U with tie correction, in scipy's order of operations (`_get_mwu_z`).
fn z_score(u: f64, n1: usize, n2: usize, tie_term: f64, continuity: bool) -> f64 {
    let (f1, f2) = (n1 as f64, n2 as f64);
    let mu = f1 * f2 / 2.0;
    let n = (n1 + n2) as f64;
    let s = (f1 * f2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
    let mut numerator = u - mu;
    if continuity {
        numerator -= 0.5;
    }
    numerator / s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn opts(alternative: &str, method: &str) -> MwuOptions {
        MwuOptions {
            alternative: alternative.parse().unwrap(),
            method: method.parse().unwrap(),
            use_continuity: true,
        }
    }

    #[test]
    fn scipy_docstring_examples() {
        // Values from the scipy.stats.mannwhitneyu docstring (scipy 1.17).
        let males = [19.0, 22.0, 16.0, 29.0, 24.0];
        let females = [20.0, 11.0, 17.0, 12.0];
        let r = mann_whitney_u(&males, &females, &opts("two-sided", "exact")).unwrap();
        assert_eq!(r.statistic, 17.0);
        assert!((r.p_value - 0.111_111_111_111_111_1).abs() < 1e-15);
        let r = mann_whitney_u(&males, &females, &opts("two-sided", "asymptotic")).unwrap();
        assert!((r.p_value - 0.111_346_886_533_140_41).abs() < 1e-15);
        let mut o = opts("two-sided", "asymptotic");
        o.use_continuity = false;
        let r = mann_whitney_u(&males, &females, &o).unwrap();
        assert!((r.p_value - 0.086_410_732_973_7).abs() < 1e-12);
        let r = mann_whitney_u(&females, &males, &opts("less", "exact")).unwrap();
        assert_eq!(r.statistic, 3.0);
        assert!((r.p_value - 0.055_555_555_555_555_55).abs() < 1e-15);
        assert_eq!(r.method_used, MwuMethod::Exact);
        assert!((r.effect - 3.0 / 20.0).abs() < 1e-15);
    }

    #[test]
    fn auto_rule() {
        let o = MwuOptions::default();
        let small = mann_whitney_u(&[1.0, 2.0], &[3.0, 4.0, 5.0], &o).unwrap();
        assert_eq!(small.method_used, MwuMethod::Exact);
        let tied = mann_whitney_u(&[1.0, 3.0], &[3.0, 4.0, 5.0], &o).unwrap();
        assert_eq!(tied.method_used, MwuMethod::Asymptotic);
        let x: Vec<f64> = (0..9).map(f64::from).collect();
        let y: Vec<f64> = (0..9).map(|i| f64::from(i) + 0.5).collect();
        let big = mann_whitney_u(&x, &y, &o).unwrap();
        assert_eq!(big.method_used, MwuMethod::Asymptotic);
    }

    #[test]
    fn bad_input() {
        let o = MwuOptions::default();
        assert!(matches!(
            mann_whitney_u(&[], &[1.0], &o),
            Err(Error::TooFewPoints { what: "x", .. })
        ));
        assert!(matches!(
            mann_whitney_u(&[1.0], &[], &o),
            Err(Error::TooFewPoints { what: "y", .. })
        ));
        let err = mann_whitney_u(&[1.0, 2.0], &[1.0, f64::NAN], &o).unwrap_err();
        assert!(matches!(
            err,
            Error::NonFinite {
                what: "y",
                index: 1,
                ..
            }
        ));
        assert!(matches!(
            mann_whitney_u(&[2.0, 2.0], &[2.0], &o),
            Err(Error::Constant { .. })
        ));
        assert!("permutation".parse::<MwuMethod>().is_err());
        let exact = opts("two-sided", "exact");
        let big = vec![0.5; 100_000];
        let other: Vec<f64> = (0..100_000).map(f64::from).collect();
        assert!(matches!(
            mann_whitney_u(&big, &other, &exact),
            Err(Error::InvalidArgument { .. })
        ));
    }

    #[test]
    fn single_values() {
        // scipy.stats.mannwhitneyu([1.0], [2.0]) → statistic 0.0, pvalue 1.0 (exact).
        let r = mann_whitney_u(&[1.0], &[2.0], &MwuOptions::default()).unwrap();
        assert_eq!(r.statistic, 0.0);
        assert_eq!(r.p_value, 1.0);
    }

    #[test]
    fn swapping_samples_mirrors_the_statistic() {
        let x = [1.5, 2.0, 7.0, 3.0, 3.0, 9.0, 11.0, 0.5, 4.0, 6.0];
        let y = [2.5, 3.0, 8.0, 10.0, 12.0, 13.0, 5.0, 14.0, 15.0];
        for alt in ["two-sided", "less", "greater"] {
            let a = mann_whitney_u(&x, &y, &opts(alt, "asymptotic")).unwrap();
            let flipped = match alt {
                "less" => "greater",
                "greater" => "less",
                s => s,
            };
            let b = mann_whitney_u(&y, &x, &opts(flipped, "asymptotic")).unwrap();
            assert_eq!(a.statistic + b.statistic, 90.0);
            assert!((a.p_value - b.p_value).abs() < 1e-15);
            assert!((a.effect + b.effect - 1.0).abs() < 1e-15);
        }
    }
}
