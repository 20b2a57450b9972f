//! Wilcoxon signed-rank test for paired samples, mirroring scipy.stats.wilcoxon.

mod null;

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use crate::stats::dist::norm_cdf;
use crate::stats::{check, rank, Alternative};
use crate::{Error, Result};
use null::SignedSum;

/// How zero differences are treated; spelled as in scipy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ZeroMethod {
    /// Discard zero differences (Wilcoxon 1945); scipy's default.
    #[default]
    Wilcox,
    /// Rank zeros with the other |d| but drop their ranks from the statistic; the normal
    /// approximation is adjusted as in Cureton (1967) (Pratt 1959).
    Pratt,
    /// Rank zeros and split their ranks equally between the positive and negative sums.
    Zsplit,
}

impl FromStr for ZeroMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "wilcox" => Ok(ZeroMethod::Wilcox),
            "pratt" => Ok(ZeroMethod::Pratt),
            "zsplit" => Ok(ZeroMethod::Zsplit),
            _ => Err(Error::UnknownName {
                kind: "zero_method",
                value: s.to_string(),
                expected: "wilcox, pratt, zsplit",
            }),
        }
    }
}

/// How the p-value of [`wilcoxon`] is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WilcoxonMethod {
    /// scipy's rule: `Asymptotic` for more than 50 pairs; else `Exact` without ties or zeros;
    /// else `Permutation` for at most 13 pairs; else `Asymptotic`.
    #[default]
    Auto,
    /// The classical null distribution of the signed-rank sum (ranks 1..n). It assumes no ties
    /// or zeros; with them the statistic is rounded conservatively, as scipy does.
    Exact,
    /// Normal approximation with tie correction (and zero adjustment for `pratt`).
    Asymptotic,
    /// The exact conditional distribution over all 2ⁿ sign flips given the observed (tied)
    /// ranks: what scipy's `PermutationMethod()` computes for n ≤ 13, computed here exactly for
    /// any n by a recurrence on doubled midranks instead of enumeration or resampling.
    Permutation,
}

impl WilcoxonMethod {
    /// The spelling accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            WilcoxonMethod::Auto => "auto",
            WilcoxonMethod::Exact => "exact",
            WilcoxonMethod::Asymptotic => "asymptotic",
            WilcoxonMethod::Permutation => "permutation",
        }
    }
}

impl fmt::Display for WilcoxonMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WilcoxonMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(WilcoxonMethod::Auto),
            "exact" => Ok(WilcoxonMethod::Exact),
            "asymptotic" => Ok(WilcoxonMethod::Asymptotic),
            "permutation" => Ok(WilcoxonMethod::Permutation),
            _ => Err(Error::UnknownName {
                kind: "method",
                value: s.to_string(),
                expected: "auto, exact, asymptotic, permutation",
            }),
        }
    }
}

/// Options of [`wilcoxon`]; the default is scipy's (wilcox zeros, no continuity correction,
/// two-sided, auto).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct WilcoxonOptions {
    /// Treatment of zero differences.
    pub zero_method: ZeroMethod,
    /// Continuity correction of ½ towards the mean in the normal approximation.
    pub correction: bool,
    /// Alternative hypothesis about the differences `x − y` (`greater`: shifted above 0).
    pub alternative: Alternative,
    /// How to compute the p-value.
    pub method: WilcoxonMethod,
}

/// Result of [`wilcoxon`].
#[derive(Debug, Clone, Serialize)]
pub struct Wilcoxon {
    /// `min(R+, R−)` for the two-sided test, `R+` (sum of ranks of positive differences)
    /// otherwise: scipy's `statistic`.
    pub statistic: f64,
    /// p-value for the requested alternative.
    pub p_value: f64,
    /// The method actually used (never `auto`).
    pub method_used: WilcoxonMethod,
    /// Standardised statistic when the normal approximation was used (`−|z|` for two-sided,
    /// as scipy's `zstatistic`).
    pub z: Option<f64>,
    /// Number of pairs given.
    pub n: usize,
    /// Number of zero differences among them.
    pub n_zero: usize,
}

/// Wilcoxon signed-rank test of the paired differences `d = x − y` (or of `x` itself when `y`
/// is `None`), mirroring `scipy.stats.wilcoxon` (scipy 1.17).
///
/// ```text
/// r_i = midrank of |d_i| among the ranked differences (zeros dropped for `wilcox`)
/// R+  = Σ_{d_i > 0} r_i,   R− = Σ_{d_i < 0} r_i   (`zsplit`: each gets ½ Σ_{d_i = 0} r_i)
/// asymptotic: n = number ranked, n0 = zeros (`pratt` only, else 0)
///     μ  = n(n+1)/4 − n0(n0+1)/4
///     σ² = (n(n+1)(2n+1) − n0(n0+1)(2n0+1) − Σ(t³ − t)/2) / 24   (ties among zeros excluded)
///     z  = (R+ − μ − sign·½·correction) / σ,  sign = +1 greater, −1 less, sign(z) two-sided
///     p  = Φ(z) (less), Φ(−z) (greater), 2Φ(−|z|) (two-sided)
/// exact: P under the no-ties null of R+ (subsets of 1..n): less P(S ≤ ⌈R+⌉),
///     greater P(S ≥ ⌊R+⌋), two-sided min(1, 2 min(both))
/// permutation: the same tail probabilities under the exact distribution of R+ over all
///     sign flips of the observed midranks
/// ```
///
/// Assumptions: pairs independent of each other, differences symmetric about their median
/// under H0. Reference: Wilcoxon (1945), Biometrics Bull. 1, 80–83; Pratt (1959); Cureton
/// (1967); scipy.stats.wilcoxon.
///
/// Departures from scipy: an empty input or all-zero differences is an error (scipy returns
/// NaN, or p = 1 for `zsplit`); `z` is reported whenever the normal approximation was used
/// (scipy only when `asymptotic` was requested); the `permutation` method is exact for any n
/// (scipy resamples 9999 sign flips at random beyond n = 13); for exact p-values beyond 53
/// pairs we take upper tails by symmetry where scipy computes `1 − cdf` (which loses relative
/// accuracy in the far tail).
///
/// # Examples
/// ```
/// use shiftwatch::stats::wilcoxon::{wilcoxon, WilcoxonMethod, WilcoxonOptions};
/// // Differences with a tie (two 2.0s): scipy's auto rule takes the exact permutation
/// // distribution; scipy.stats.wilcoxon gives statistic 1.5, p-value 0.1875.
/// let d = [1.0, 2.0, 2.0, 3.0, -1.0];
/// let r = wilcoxon(&d, None, &WilcoxonOptions::default())?;
/// assert_eq!(r.method_used, WilcoxonMethod::Permutation);
/// assert_eq!((r.statistic, r.p_value), (1.5, 0.1875));
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] if `x` is empty; [`Error::LengthMismatch`] if `y` has another
/// length; [`Error::NonFinite`] naming the input and index of the first NaN or ±∞ (also for a
/// difference that overflows); [`Error::Constant`] if every difference is zero;
/// [`Error::InvalidArgument`] if an exact or permutation distribution is requested for a sample
/// too large to tabulate.
pub fn wilcoxon(x: &[f64], y: Option<&[f64]>, options: &WilcoxonOptions) -> Result<Wilcoxon> {
    check::sample("x", x, 1)?;
    let d: Vec<f64> = match y {
        Some(y) => {
            check::same_len("x and y", x, y)?;
            check::finite("y", y)?;
            let d: Vec<f64> = x.iter().zip(y).map(|(a, b)| a - b).collect();
            check::finite("x - y", &d)?;
            d
        }
        None => x.to_vec(),
    };
    let n = d.len();
    let n_zero = d.iter().filter(|&&v| v == 0.0).count();
    if n_zero == n {
        return Err(Error::Constant {
            what: if y.is_some() { "x - y" } else { "x" },
            value: 0.0,
            why: "every difference is zero, so there is nothing to rank",
        });
    }
    let zero_method = options.zero_method;

    // Tags: 0 positive, 1 negative, 2 zero (ranked unless `wilcox`).
    let mut keys = Vec::with_capacity(n);
    let mut tags = Vec::with_capacity(n);
    for &v in &d {
        if v == 0.0 && zero_method == ZeroMethod::Wilcox {
            continue;
        }
        keys.push(rank::key(v.abs()));
        tags.push(match v {
            v if v > 0.0 => 0u8,
            v if v < 0.0 => 1,
            _ => 2,
        });
    }
    let sums = rank::tagged_rank_sums(&mut keys, &mut tags);
    let count = keys.len();
    let mut r_plus = sums.doubled[0] as f64 / 2.0;
    let mut r_minus = sums.doubled[1] as f64 / 2.0;
    if zero_method == ZeroMethod::Zsplit {
        let r_zero_2 = sums.doubled[2] as f64 / 4.0;
        r_plus += r_zero_2;
        r_minus += r_zero_2;
    }
    let has_ties = sums.tie_term > 0;

    let method = match options.method {
        WilcoxonMethod::Auto if n > 50 => WilcoxonMethod::Asymptotic,
        WilcoxonMethod::Auto if !has_ties && n_zero == 0 => WilcoxonMethod::Exact,
        WilcoxonMethod::Auto if n <= 13 => WilcoxonMethod::Permutation,
        WilcoxonMethod::Auto => WilcoxonMethod::Asymptotic,
        m => m,
    };
    let alternative = options.alternative;
    let mut z = None;
    let p_value = match method {
        WilcoxonMethod::Exact => {
            let dist = SignedSum::ranks(count);
            let lower = || dist.cdf(r_plus.ceil() as i128);
            let upper = || dist.sf(r_plus.floor() as i128);
            tail_p(alternative, lower, upper)?
        }
        WilcoxonMethod::Permutation => {
            // Work with doubled ranks (integers); zeros never change sign, so they only shift
            // the statistic by a constant and are left out of both sides.
            let groups = rank::tie_groups(&keys, &tags);
            let mut weights = Vec::with_capacity(count);
            for g in &groups {
                let nonzero = g.count[0] + g.count[1];
                weights.extend(std::iter::repeat(g.doubled_rank).take(nonzero));
            }
            let dist = SignedSum::new(weights);
            let observed = sums.doubled[0] as i128;
            tail_p(alternative, || dist.cdf(observed), || dist.sf(observed))?
        }
        _ => {
            let tie_excluding_zeros = if zero_method == ZeroMethod::Pratt && n_zero > 0 {
                let t = n_zero as u128;
                sums.tie_term - (t * t * t - t)
            } else {
                sums.tie_term
            };
            let zs = z_score(
                r_plus,
                count,
                if zero_method == ZeroMethod::Pratt {
                    n_zero
                } else {
                    0
                },
                tie_excluding_zeros as f64,
                options.correction,
                alternative,
            );
            let p = match alternative {
                Alternative::Less => norm_cdf(zs),
                Alternative::Greater => norm_cdf(-zs),
                Alternative::TwoSided => 2.0 * norm_cdf(-zs.abs()),
            };
            z = Some(match alternative {
                Alternative::TwoSided => -zs.abs(),
                _ => zs,
            });
            p
        }
    };
    let statistic = match alternative {
        Alternative::TwoSided => r_plus.min(r_minus),
        _ => r_plus,
    };
    Ok(Wilcoxon {
        statistic,
        p_value,
        method_used: method,
        z,
        n,
        n_zero,
    })
}

/// One-sided tails or scipy's two-sided `min(1, 2·min(lower, upper))`.
fn tail_p(
    alternative: Alternative,
    lower: impl Fn() -> Result<f64>,
    upper: impl Fn() -> Result<f64>,
) -> Result<f64> {
    Ok(match alternative {
        Alternative::Less => lower()?,
        Alternative::Greater => upper()?,
        Alternative::TwoSided => (2.0 * lower()?.min(upper()?)).clamp(0.0, 1.0),
    })
}

/// z of the normal approximation, in scipy's order of operations (`_wilcoxon_statistic` and
/// the continuity correction of `_wilcoxon_nd`).
fn z_score(
    r_plus: f64,
    count: usize,
    n_zero: usize,
    tie_term: f64,
    correction: bool,
    alternative: Alternative,
) -> f64 {
    let c = count as f64;
    let mut mn = c * (c + 1.0) * 0.25;
    let mut se = c * (c + 1.0) * (2.0 * c + 1.0);
    if n_zero > 0 {
        let z0 = n_zero as f64;
        mn -= z0 * (z0 + 1.0) * 0.25;
        se -= z0 * (z0 + 1.0) * (2.0 * z0 + 1.0);
    }
    let se = ((se - tie_term / 2.0) / 24.0).sqrt();
    let mut z = (r_plus - mn) / se;
    if correction {
        let sign = match alternative {
            Alternative::Greater => 1.0,
            Alternative::Less => -1.0,
            Alternative::TwoSided if z > 0.0 => 1.0,
            Alternative::TwoSided if z < 0.0 => -1.0,
            Alternative::TwoSided => 0.0,
        };
        z -= sign * 0.5 / se;
    }
    z
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn opts(zero: &str, alt: &str, method: &str, correction: bool) -> WilcoxonOptions {
        WilcoxonOptions {
            zero_method: zero.parse().unwrap(),
            correction,
            alternative: alt.parse().unwrap(),
            method: method.parse().unwrap(),
        }
    }

    #[test]
    fn small_scipy_values() {
        // scipy.stats.wilcoxon([1.0, 2.0, 2.0, 3.0, -1.0]) → (1.5, 0.1875) (permutation, ties);
        // with method="asymptotic" → (1.5, 0.10247043485974937).
        let d = [1.0, 2.0, 2.0, 3.0, -1.0];
        let r = wilcoxon(&d, None, &WilcoxonOptions::default()).unwrap();
        assert_eq!(r.method_used, WilcoxonMethod::Permutation);
        assert_eq!(r.statistic, 1.5);
        assert_eq!(r.p_value, 0.1875);
        let r = wilcoxon(&d, None, &opts("wilcox", "two-sided", "asymptotic", false)).unwrap();
        assert!((r.p_value - 0.102_470_434_859_749_37).abs() < 1e-15);
        // scipy.stats.wilcoxon([0.0, 0.0, 1.0], zero_method="zsplit") → (1.5, 1.0).
        let r = wilcoxon(
            &[0.0, 0.0, 1.0],
            None,
            &opts("zsplit", "two-sided", "auto", false),
        );
        let r = r.unwrap();
        assert_eq!((r.statistic, r.p_value), (1.5, 1.0));
    }

    #[test]
    fn bad_input() {
        let o = WilcoxonOptions::default();
        assert!(matches!(
            wilcoxon(&[], None, &o),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            wilcoxon(&[1.0, 2.0], Some(&[1.0]), &o),
            Err(Error::LengthMismatch { .. })
        ));
        let err = wilcoxon(&[1.0, 2.0], Some(&[1.0, f64::NAN]), &o).unwrap_err();
        assert!(matches!(
            err,
            Error::NonFinite {
                what: "y",
                index: 1,
                ..
            }
        ));
        let err = wilcoxon(&[f64::INFINITY], None, &o).unwrap_err();
        assert!(matches!(
            err,
            Error::NonFinite {
                what: "x",
                index: 0,
                ..
            }
        ));
        let err = wilcoxon(&[1e308], Some(&[-1e308]), &o).unwrap_err();
        assert!(matches!(err, Error::NonFinite { what: "x - y", .. }));
        for zero in ["wilcox", "pratt", "zsplit"] {
            let o = opts(zero, "two-sided", "auto", false);
            assert!(matches!(
                wilcoxon(&[3.0, 4.0], Some(&[3.0, 4.0]), &o),
                Err(Error::Constant { .. })
            ));
        }
        assert!("nope".parse::<ZeroMethod>().is_err());
        assert!("nope".parse::<WilcoxonMethod>().is_err());
    }

    #[test]
    fn one_pair() {
        // scipy.stats.wilcoxon([1.0]) → (0.0, 1.0).
        let r = wilcoxon(&[1.0], None, &WilcoxonOptions::default()).unwrap();
        assert_eq!((r.statistic, r.p_value), (0.0, 1.0));
    }

    #[test]
    fn negating_swaps_alternatives() {
        let d = [
            0.3, -1.2, 2.5, 0.7, 1.1, -0.4, 3.3, 2.0, 0.0, 1.1, 4.0, -2.5,
        ];
        let neg: Vec<f64> = d.iter().map(|v| -v).collect();
        for method in ["exact", "asymptotic", "permutation"] {
            for zero in ["wilcox", "pratt", "zsplit"] {
                if (method, zero) == ("exact", "pratt") {
                    // Not symmetric in scipy either: the dropped zero ranks make
                    // R+ + R− < n(n+1)/2 while the null distribution is that of 1..n.
                    continue;
                }
                let a = wilcoxon(&d, None, &opts(zero, "less", method, true)).unwrap();
                let b = wilcoxon(&neg, None, &opts(zero, "greater", method, true)).unwrap();
                assert!((a.p_value - b.p_value).abs() < 1e-15, "{method} {zero}");
            }
        }
    }
}
