//! Tests for a change of scale: Ansari–Bradley and Fligner–Killeen.
//!
//! A release that leaves the median alone but makes latency noisier (a 2× wider spread) is
//! invisible to location tests; these two rank tests look at dispersion only.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use crate::stats::dist::{chi2_sf, norm_cdf, norm_ppf, norm_sf};
use crate::stats::{check, Alternative};
use crate::{Error, Result};

/// Average ranks (1-based, ties get the mean of their positions) and whether any tie exists.
fn average_ranks(values: &[f64]) -> (Vec<f64>, bool) {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = false;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && values[idx[j + 1]] == values[idx[i]] {
            j += 1;
        }
        ties |= j > i;
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = r;
        }
        i = j + 1;
    }
    (ranks, ties)
}

/// Result of [`ansari`].
#[derive(Debug, Clone, Serialize)]
pub struct Ansari {
    /// The Ansari–Bradley statistic `AB` (sum of the x sample's scores).
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
    /// `true` when the exact null distribution was used, `false` for the normal approximation.
    pub exact: bool,
}

/// Exact null distribution of `AB` without ties: `counts[s]` = number of `n`-subsets of the
/// scores `min(i, N + 1 − i)`, `i = 1..N`, with sum `start + s`.
fn ansari_counts(n: usize, m: usize) -> (u64, Vec<u128>) {
    let big_n = n + m;
    let scores: Vec<usize> = (1..=big_n).map(|i| i.min(big_n + 1 - i)).collect();
    let max_sum: usize = {
        let mut s = scores.clone();
        s.sort_unstable_by(|a, b| b.cmp(a));
        s.iter().take(n).sum()
    };
    let min_sum: usize = {
        let mut s = scores.clone();
        s.sort_unstable();
        s.iter().take(n).sum()
    };
    // dp[k][s]: ways to pick k scores (so far) with sum s.
    let width = max_sum + 1;
    let mut dp = vec![0u128; (n + 1) * width];
    dp[0] = 1;
    for (seen, &a) in scores.iter().enumerate() {
        let top = n.min(seen + 1);
        for k in (1..=top).rev() {
            let (lo, hi) = dp.split_at_mut(k * width);
            let prev = &lo[(k - 1) * width..];
            let cur = &mut hi[..width];
            for s in (a..width).rev() {
                cur[s] += prev[s - a];
            }
        }
    }
    let counts = dp[n * width + min_sum..(n + 1) * width].to_vec();
    (min_sum as u64, counts)
}

/// Ansari–Bradley test of equal dispersion of `x` and `y` (scipy.stats.ansari).
///
/// ```text
/// pool x (n values) and y (m values), N = n + m, average ranks r_i
/// score a_i = min(r_i, N − r_i + 1),   AB = Σ_{i ∈ x} a_i
/// exact (n < 55, m < 55, no ties): the null distribution of AB by counting subsets;
///     two-sided 2·min(P(AB ≤ ab), P(AB ≥ ab)), greater P(AB ≤ ab), less P(AB ≥ ab)
/// otherwise z = (E[AB] − AB)/√Var[AB], normal p-value, with
///     E[AB] = n(N+2)/4 (N even),  n(N+1)²/(4N) (N odd)
///     Var without ties: mn(N+2)(N−2)/(48(N−1)) (even), mn(N+1)(3+N²)/(48N²) (odd)
///     Var with ties:    mn(16Σa²− N(N+2)²)/(16N(N−1)) (even), mn(16NΣa² − (N+1)⁴)/(16N²(N−1)) (odd)
/// ```
/// `alternative = greater` means the scale of `x` is larger than that of `y` (small AB).
/// Assumptions: independent samples with a common median (the test confounds location and
/// scale otherwise). Reference: Ansari & Bradley (1960), Ann. Math. Stat. 31, 1174–1189;
/// mirrors scipy 1.17. Departure: scipy stores the exact frequencies in float32 (AS 93's
/// `gscale`), which costs it about 7 significant digits once counts exceed 2^24; we count
/// exactly with 128-bit integers.
///
/// # Example
/// ```
/// use shiftwatch::stats::scale::ansari;
/// use shiftwatch::stats::Alternative;
///
/// let steady = [10.0, 10.2, 9.9, 10.1, 9.8, 10.05, 9.95, 10.15];
/// let noisy = [11.5, 8.4, 10.9, 9.1, 12.0, 8.0, 11.1, 8.8];
/// let r = ansari(&steady, &noisy, Alternative::TwoSided)?;
/// assert!(r.exact && r.p_value < 0.01);
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] for an empty sample, [`Error::NonFinite`] for NaN/±∞,
/// [`Error::Constant`] when all pooled values are equal (scipy's tie-corrected variance is
/// then not zero but meaningless, and it returns a p-value; we refuse).
pub fn ansari(x: &[f64], y: &[f64], alternative: Alternative) -> Result<Ansari> {
    check::sample("x", x, 1)?;
    check::sample("y", y, 1)?;
    let (n, m) = (x.len(), y.len());
    let big_n = n + m;
    let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
    if pooled.iter().all(|&v| v == pooled[0]) {
        return Err(Error::Constant {
            what: "x and y",
            value: pooled[0],
            why: "the Ansari-Bradley test needs at least two distinct values",
        });
    }
    let (ranks, ties) = average_ranks(&pooled);
    let nf_total = big_n as f64;
    let sym: Vec<f64> = ranks.iter().map(|&r| r.min(nf_total - r + 1.0)).collect();
    let ab: f64 = sym[..n].iter().sum();

    if n < 55 && m < 55 && !ties {
        let (start, counts) = ansari_counts(n, m);
        let total: u128 = counts.iter().sum();
        let at = (ab - start as f64).round().max(0.0) as usize;
        let lower: u128 = counts.iter().take(at + 1).sum();
        let upper: u128 = counts.iter().skip(at).sum();
        let cdf = lower as f64 / total as f64;
        let sf = upper as f64 / total as f64;
        let p = match alternative {
            Alternative::TwoSided => 2.0 * cdf.min(sf),
            Alternative::Greater => cdf,
            Alternative::Less => sf,
        };
        return Ok(Ansari {
            statistic: ab,
            p_value: p.min(1.0),
            exact: true,
        });
    }

    let (nf, mf) = (n as f64, m as f64);
    let big = big_n as u64;
    let mean = if big % 2 == 1 {
        nf * (nf_total + 1.0).powi(2) / 4.0 / nf_total
    } else {
        nf * (nf_total + 2.0) / 4.0
    };
    let var = if ties {
        let fac: f64 = sym.iter().map(|a| a * a).sum();
        if big % 2 == 1 {
            mf * nf * (16.0 * nf_total * fac - (nf_total + 1.0).powi(4))
                / (16.0 * nf_total * nf_total * (nf_total - 1.0))
        } else {
            mf * nf * (16.0 * fac - nf_total * (nf_total + 2.0).powi(2))
                / (16.0 * nf_total * (nf_total - 1.0))
        }
    } else if big % 2 == 1 {
        nf * mf * (nf_total + 1.0) * (3.0 + nf_total * nf_total) / (48.0 * nf_total * nf_total)
    } else {
        mf * nf * (nf_total + 2.0) * (nf_total - 2.0) / 48.0 / (nf_total - 1.0)
    };
    if var.is_nan() || var <= 0.0 {
        return Err(Error::Constant {
            what: "x and y",
            value: pooled[0],
            why: "the Ansari-Bradley statistic has zero variance",
        });
    }
    let z = (mean - ab) / var.sqrt();
    let p = match alternative {
        Alternative::Less => norm_cdf(z),
        Alternative::Greater => norm_sf(z),
        Alternative::TwoSided => 2.0 * norm_sf(z.abs()),
    };
    Ok(Ansari {
        statistic: ab,
        p_value: p,
        exact: false,
    })
}

/// Which center Fligner–Killeen subtracts from each sample (scipy's `center=`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Center {
    /// The sample median (scipy's default; the "Fligner–Killeen:med" test).
    #[default]
    Median,
    /// The sample mean.
    Mean,
    /// The mean after cutting `⌊proportion·n⌋` values from each end (scipy's `trim_mean`).
    Trimmed(f64),
}

impl fmt::Display for Center {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Center::Median => f.write_str("median"),
            Center::Mean => f.write_str("mean"),
            Center::Trimmed(p) => write!(f, "trimmed({p})"),
        }
    }
}

impl FromStr for Center {
    type Err = Error;
    /// `median`, `mean`, `trimmed` (proportion 0.05, scipy's default) or `trimmed:0.1`.
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "median" => return Ok(Center::Median),
            "mean" => return Ok(Center::Mean),
            "trimmed" => return Ok(Center::Trimmed(0.05)),
            _ => {}
        }
        if let Some(p) = lower.strip_prefix("trimmed:") {
            if let Ok(v) = p.parse::<f64>() {
                return Ok(Center::Trimmed(v));
            }
        }
        Err(Error::UnknownName {
            kind: "center",
            value: s.to_string(),
            expected: "median, mean, trimmed, trimmed:<proportion>",
        })
    }
}

/// Result of [`fligner`].
#[derive(Debug, Clone, Serialize)]
pub struct Fligner {
    /// The Fligner–Killeen statistic (asymptotically χ² with `df` degrees of freedom).
    pub statistic: f64,
    /// The p-value `P(χ²_df ≥ statistic)`.
    pub p_value: f64,
    /// Degrees of freedom, `k − 1`.
    pub df: usize,
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn center_of(x: &[f64], center: Center) -> Result<f64> {
    let mut s = x.to_vec();
    s.sort_unstable_by(f64::total_cmp);
    let n = s.len();
    match center {
        Center::Mean => Ok(mean(x)),
        Center::Median => Ok(if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        }),
        Center::Trimmed(p) => {
            if !(0.0..0.5).contains(&p) {
                return Err(Error::invalid(
                    "proportiontocut",
                    format!("must lie in [0, 0.5), got {p}"),
                ));
            }
            let cut = (p * n as f64) as usize;
            let upper = n - cut;
            if cut >= upper {
                return Err(Error::invalid("proportiontocut", "too big for the sample"));
            }
            Ok(mean(&s[cut..upper]))
        }
    }
}

/// Fligner–Killeen test that `k ≥ 2` samples have equal variances (scipy.stats.fligner).
///
/// ```text
/// d_ij = |x_ij − c_i|            c_i = median (default), mean or trimmed mean of sample i
/// r_ij = average rank of d_ij among all N values
/// a_ij = Φ⁻¹(1/2 + r_ij / (2(N + 1)))
/// FK = Σ_i n_i (ā_i − ā)² / s²_a      s²_a = sample variance (N − 1) of all a_ij
/// p = P(χ²_{k−1} ≥ FK)
/// ```
/// Assumptions: independent samples; distribution-free when the samples share a
/// distribution; robust to non-normality (Conover, Johnson & Johnson 1981, Technometrics
/// 23, 351–361, the "FK:med χ²" variant). Mirrors scipy 1.17 `fligner`.
///
/// # Example
/// ```
/// use shiftwatch::stats::scale::{fligner, Center};
///
/// let a = [10.0, 10.2, 9.9, 10.1, 9.8, 10.05, 9.95, 10.15, 10.0, 9.9];
/// let b = [11.5, 8.4, 10.9, 9.1, 12.0, 8.0, 11.1, 8.8, 12.2, 7.9];
/// let r = fligner(&[&a, &b], Center::Median)?;
/// assert_eq!(r.df, 1);
/// assert!(r.p_value < 0.01);
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for fewer than two samples or a bad trimming proportion,
/// [`Error::TooFewPoints`] for an empty sample, [`Error::NonFinite`] for NaN/±∞,
/// [`Error::Constant`] when every centred value is equal (zero variance of the scores).
pub fn fligner(samples: &[&[f64]], center: Center) -> Result<Fligner> {
    if samples.len() < 2 {
        return Err(Error::invalid(
            "samples",
            format!("need at least two samples, got {}", samples.len()),
        ));
    }
    let mut dev = Vec::new();
    for s in samples {
        check::sample("sample", s, 1)?;
        let c = center_of(s, center)?;
        dev.extend(s.iter().map(|v| (v - c).abs()));
    }
    // All centred values tie: the scores are all equal and the statistic is 0/0. Test the
    // ties exactly; the rounded score variance is ~1e-33, not 0.
    if dev.iter().all(|&d| d == dev[0]) {
        return Err(Error::Constant {
            what: "samples",
            value: dev[0],
            why: "all centred values tie, so the Fligner-Killeen statistic is undefined",
        });
    }
    let big_n = dev.len();
    let (ranks, _) = average_ranks(&dev);
    let denom = 2.0 * (big_n as f64 + 1.0);
    let a: Vec<f64> = ranks.iter().map(|r| norm_ppf(r / denom + 0.5)).collect();
    let abar = mean(&a);
    let v2 = a.iter().map(|v| (v - abar).powi(2)).sum::<f64>() / (big_n as f64 - 1.0);
    if v2.is_nan() || v2 <= 0.0 {
        return Err(Error::Constant {
            what: "samples",
            value: dev[0],
            why: "all centred values tie, so the Fligner-Killeen statistic is undefined",
        });
    }
    let mut stat = 0.0;
    let mut start = 0;
    for s in samples {
        let part = &a[start..start + s.len()];
        stat += s.len() as f64 * (mean(part) - abar).powi(2);
        start += s.len();
    }
    let statistic = stat / v2;
    let df = samples.len() - 1;
    Ok(Fligner {
        statistic,
        p_value: chi2_sf(statistic, df as f64),
        df,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    #[test]
    fn rejects_bad_input() {
        let t = Alternative::TwoSided;
        assert!(matches!(
            ansari(&[], &[1.0], t),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            ansari(&[1.0, f64::NAN], &[1.0], t),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            ansari(&[2.0; 60], &[2.0; 3], t),
            Err(Error::Constant { .. })
        ));
        assert!(fligner(&[&[1.0, 2.0]], Center::Median).is_err());
        assert!(matches!(
            fligner(&[&[1.0, 2.0], &[]], Center::Median),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            fligner(&[&[1.0, 1.0], &[1.0, 1.0]], Center::Median),
            Err(Error::Constant { .. })
        ));
        // Ten equal values: the normal scores' rounded variance is ~1e-33, not 0; still an error.
        assert!(matches!(
            fligner(&[&[2.0; 10], &[2.0; 10]], Center::Median),
            Err(Error::Constant { .. })
        ));
        assert!(fligner(&[&[1.0, 2.0], &[3.0, 5.0]], Center::Trimmed(0.7)).is_err());
        assert!("middle".parse::<Center>().is_err());
        assert_eq!(
            "trimmed:0.1".parse::<Center>().ok(),
            Some(Center::Trimmed(0.1))
        );
    }

    #[test]
    fn exact_counts_sum_to_binomial() {
        let (start, counts) = ansari_counts(4, 3);
        assert_eq!(counts.iter().sum::<u128>(), 35);
        // Smallest AB for n = 4 of N = 7 scores 1,2,3,4,3,2,1: 1 + 1 + 2 + 2.
        assert_eq!(start, 6);
    }

    #[test]
    fn both_detect_a_doubling_of_scale() {
        let mut rng = Rng::new(7);
        let x: Vec<f64> = (0..300).map(|_| rng.normal()).collect();
        let y: Vec<f64> = (0..300).map(|_| 2.0 * rng.normal()).collect();
        let ab = ansari(&x, &y, Alternative::TwoSided).unwrap();
        assert!(!ab.exact);
        assert!(ab.p_value < 1e-6, "ansari p = {}", ab.p_value);
        // y more dispersed: "less" (x's scale smaller) is supported, "greater" is not.
        assert!(ansari(&x, &y, Alternative::Less).unwrap().p_value < 1e-6);
        assert!(ansari(&x, &y, Alternative::Greater).unwrap().p_value > 0.5);
        let fk = fligner(&[&x, &y], Center::Median).unwrap();
        assert!(fk.p_value < 1e-6, "fligner p = {}", fk.p_value);
        // Same scale, different location: neither should fire at 1e-3 here.
        let z: Vec<f64> = (0..300).map(|_| rng.normal() + 5.0).collect();
        let fk = fligner(&[&x, &z], Center::Median).unwrap();
        assert!(fk.p_value > 1e-3, "fligner p = {}", fk.p_value);
    }
}
