//! Location estimates (mean or median) with a dependence-aware variance.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::har::{har, har_ewc_and_like, har_like, Estimator, Har};
use crate::stats::dist::norm_pdf;
use crate::{Error, Result};

/// Which location the comparison is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Statistic {
    /// Arithmetic mean (default).
    #[default]
    Mean,
    /// Median, with a variance from the long-run variance of `1{x_t ≤ m̂} − ½` and a kernel
    /// density estimate at the median (robust to spikes, somewhat less powerful).
    Median,
}

impl Statistic {
    /// The spelling accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            Statistic::Mean => "mean",
            Statistic::Median => "median",
        }
    }
}

impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Statistic {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "mean" => Ok(Statistic::Mean),
            "median" => Ok(Statistic::Median),
            _ => Err(Error::UnknownName {
                kind: "statistic",
                value: s.to_string(),
                expected: "mean, median",
            }),
        }
    }
}

/// A location estimate and the variance of that estimate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Location {
    /// The mean or median.
    pub value: f64,
    /// Estimated variance of `value` (not of the data).
    pub var: f64,
    /// Degrees of freedom of `var`'s scaled-χ² law.
    pub df: f64,
    /// Dependence summary of the series itself.
    pub har: Har,
}

pub(crate) fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Linear-interpolation quantile of sorted data (numpy's default, type 7).
#[cfg(test)]
fn quantile_sorted(s: &[f64], q: f64) -> f64 {
    let h = (s.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(s.len() - 1);
    s[lo] + (h - lo as f64) * (s[hi] - s[lo])
}

/// The type-7 quantiles at ¼, ½ and ¾ of `s` (non-empty; reordered) by selection, O(n): the
/// numbers of [`quantile_sorted`] on the sorted values. Each quantile interpolates between the
/// order statistics `k` and `k + 1`; they are selected in increasing order, each in the part
/// of `s` above the previous one.
fn quartiles(s: &mut [f64]) -> [f64; 3] {
    let len = s.len();
    let last = len - 1;
    let at = |q: f64| {
        let h = last as f64 * q;
        let lo = h.floor() as usize;
        (h, lo, (lo + 1).min(last))
    };
    let spots = [at(0.25), at(0.5), at(0.75)];
    // Order statistics needed, increasing, each selected once.
    let mut ranks: Vec<usize> = spots.iter().flat_map(|&(_, lo, hi)| [lo, hi]).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let mut values = Vec::with_capacity(ranks.len());
    let mut start = 0;
    for &k in &ranks {
        let (_, v, _) = s[start..].select_nth_unstable_by(k - start, f64::total_cmp);
        values.push(*v);
        start = k + 1;
    }
    let value = |k: usize| values[ranks.iter().position(|&r| r == k).unwrap_or(0)];
    spots.map(|(h, lo, hi)| value(lo) + (h - lo as f64) * (value(hi) - value(lo)))
}

/// Median of `x` (non-empty) by selection, O(n): the type-7 quantile at ½.
pub(crate) fn median(x: &[f64]) -> f64 {
    let mut s = x.to_vec();
    let k = (s.len() - 1) / 2;
    let (_, lo, upper) = s.select_nth_unstable_by(k, f64::total_cmp);
    let lo = *lo;
    if x.len() % 2 == 1 {
        lo
    } else {
        let hi = upper.iter().copied().fold(f64::INFINITY, f64::min);
        lo + 0.5 * (hi - lo)
    }
}

/// Location of `x` (n ≥ 3, finite) with its variance.
///
/// ```text
/// mean:   var = ω̂(x) / n
/// median: var = ω̂(ψ) / (n f̂(m̂)²),  ψ_t = 1{x_t ≤ m̂} − ½,
///         f̂(m̂) = (1/(n h)) Σ φ((x_t − m̂)/h),  h = 0.9 · min(s, IQR/1.34) · n^(−1/5)
///         (Silverman; s alone when the IQR is 0); ω̂(ψ) uses the basis size and AR(1)
///         correction chosen for x itself (the indicator's lag-1 understates persistence)
/// ```
pub(crate) fn location(x: &[f64], statistic: Statistic, estimator: Estimator) -> Result<Location> {
    location_with(x, statistic, estimator, har(x, estimator)?)
}

/// [`location`] with the long-run variance `hx = har(x, estimator)` already estimated.
pub(crate) fn location_with(
    x: &[f64],
    statistic: Statistic,
    estimator: Estimator,
    hx: Har,
) -> Result<Location> {
    let n = x.len() as f64;
    match statistic {
        Statistic::Mean => Ok(Location {
            value: mean(x),
            var: hx.omega / n,
            df: hx.df,
            har: hx,
        }),
        Statistic::Median => {
            let mut s = x.to_vec();
            let quartiles = quartiles(&mut s);
            if hx.variance == 0.0 {
                return Ok(constant_median(quartiles[1], hx));
            }
            let psi = indicator(x, quartiles[1]);
            let omega = har_like(&psi, &hx, estimator)?;
            Ok(median_location(x, quartiles, hx, omega))
        }
    }
}

/// The mean and the median locations of `x` (n ≥ 3, finite) with the EWC estimator: the
/// numbers of [`location`] for each, with the long-run variances of `x` and of the median's
/// indicator in one pass over the cosines ([`har_ewc_and_like`]).
pub(crate) fn mean_and_median_ewc(x: &[f64]) -> Result<(Location, Location)> {
    let n = x.len() as f64;
    let mut s = x.to_vec();
    let quartiles = quartiles(&mut s);
    let psi = indicator(x, quartiles[1]);
    let (hx, omega_psi) = har_ewc_and_like(x, &psi);
    let at_mean = Location {
        value: mean(x),
        var: hx.omega / n,
        df: hx.df,
        har: hx,
    };
    let at_median = if hx.variance == 0.0 {
        constant_median(quartiles[1], hx)
    } else {
        let omega = match omega_psi {
            Some(omega) => omega,
            None => har_like(&psi, &hx, Estimator::Ewc)?,
        };
        median_location(x, quartiles, hx, omega)
    };
    Ok((at_mean, at_median))
}

/// `ψ_t = 1{x_t ≤ m} − ½`.
fn indicator(x: &[f64], m: f64) -> Vec<f64> {
    x.iter().map(|&v| if v <= m { 0.5 } else { -0.5 }).collect()
}

/// The median `m` of a constant series: no variance.
fn constant_median(m: f64, hx: Har) -> Location {
    Location {
        value: m,
        var: 0.0,
        df: f64::INFINITY,
        har: hx,
    }
}

/// The median location from the quartiles `[q1, m, q3]` of `x` and the long-run variance
/// `omega` of its indicator ([`location`]).
fn median_location(x: &[f64], [q1, m, q3]: [f64; 3], hx: Har, omega: f64) -> Location {
    let n = x.len() as f64;
    let sd = hx.variance.sqrt();
    let iqr = q3 - q1;
    let spread = if iqr > 0.0 { sd.min(iqr / 1.34) } else { sd };
    let h = 0.9 * spread * n.powf(-0.2);
    let f = x.iter().map(|&v| norm_pdf((v - m) / h)).sum::<f64>() / (n * h);
    Location {
        value: m,
        var: omega / (n * f * f),
        df: hx.df,
        har: hx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_by_selection_matches_sorting() {
        for x in [
            vec![3.0, 1.0, 2.0],
            vec![4.0, 1.0, 3.0, 2.0],
            vec![1.0, 1.0, 5.0, 5.0],
            vec![-1.0, 7.5],
        ] {
            let mut s = x.clone();
            s.sort_by(f64::total_cmp);
            assert_eq!(median(&x), quantile_sorted(&s, 0.5), "{x:?}");
        }
    }

    /// Selection gives the very quartiles of the sorted values (ties, every small length).
    #[test]
    fn quartiles_by_selection_match_sorting() {
        let mut rng = crate::stats::rng::Rng::new(8);
        for len in 1..40 {
            for rounding in [1.0, 4.0] {
                let x: Vec<f64> = (0..len)
                    .map(|_| (rng.normal() * rounding).round())
                    .collect();
                let mut s = x.clone();
                s.sort_by(f64::total_cmp);
                let want = [0.25, 0.5, 0.75].map(|q| quantile_sorted(&s, q));
                let mut work = x.clone();
                let got = quartiles(&mut work);
                assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{x:?}");
            }
        }
    }
}
