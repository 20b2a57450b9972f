//! Two-sample Kolmogorov–Smirnov test (exact and asymptotic), mirroring scipy.stats.ks_2samp.
//!
//! The statistic is one merge walk over the two sorted samples (O(n) after the sorts). The
//! p-value follows scipy 1.17 branch for branch: the exact lattice-path computations of
//! [`exact`], the one-sample Kolmogorov distribution of [`kolmogorov`] for the two-sided
//! asymptotic p-value, and Hodges' approximation for the one-sided one.

pub mod exact;
pub mod kolmogorov;
pub mod smirnov;

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use crate::stats::check;
use crate::stats::Alternative;
use crate::{Error, Result};

/// How the p-value of [`ks_2samp`] is computed (scipy's `method=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KsMethod {
    /// Exact when both samples have at most 10 000 values, else asymptotic (scipy's rule).
    #[default]
    Auto,
    /// The exact null distribution (lattice paths); falls back to asymptotic as scipy does
    /// when the computation is impossible or numerically unsuccessful.
    Exact,
    /// Large-sample approximations.
    #[serde(rename = "asymp")]
    Asymptotic,
}

impl KsMethod {
    /// The spelling accepted by [`FromStr`] (scipy's).
    pub fn as_str(self) -> &'static str {
        match self {
            KsMethod::Auto => "auto",
            KsMethod::Exact => "exact",
            KsMethod::Asymptotic => "asymp",
        }
    }
}

impl fmt::Display for KsMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KsMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(KsMethod::Auto),
            "exact" => Ok(KsMethod::Exact),
            "asymp" | "asymptotic" => Ok(KsMethod::Asymptotic),
            _ => Err(Error::UnknownName {
                kind: "method",
                value: s.to_string(),
                expected: "auto, exact, asymp",
            }),
        }
    }
}

/// Options of [`ks_2samp`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KsOptions {
    /// Alternative hypothesis about the CDFs (see [`ks_2samp`]).
    pub alternative: Alternative,
    /// How to compute the p-value.
    pub method: KsMethod,
}

/// Result of [`ks_2samp`].
#[derive(Debug, Clone, Serialize)]
pub struct Ks2Samp {
    /// The KS statistic `D`, `D+` or `D-` (for the exact method, rounded to the lattice
    /// `h / lcm(n1, n2)` as scipy does).
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
    /// The method actually used: [`KsMethod::Exact`] or [`KsMethod::Asymptotic`] (after the
    /// `auto` rule and any fallback).
    pub method_used: KsMethod,
    /// The data value at which the ECDF difference attains the statistic.
    pub statistic_location: f64,
    /// `+1` when the statistic is `max(F1 - F2)`, `-1` when it is `max(F2 - F1)`.
    pub statistic_sign: i8,
}

/// Largest sample size for which [`KsMethod::Auto`] tries the exact p-value (scipy's
/// `MAX_AUTO_N`).
pub const MAX_AUTO_N: usize = 10_000;

/// Extremes of the ECDF difference `F1(v) - F2(v)` over the pooled values.
#[derive(Debug, Clone, Copy)]
struct Extremes {
    max: f64,
    max_at: f64,
    min: f64,
    min_at: f64,
}

/// Running maximum and minimum of the ECDF difference with the first (smallest) value
/// attaining each.
///
/// The difference at a point with `i` x-values and `j` y-values at or below it is
/// `i/n1 − j/n2 = k/(n1·n2)` with the exact integer `k = i·n2 − j·n1`. Positions with a
/// smaller `k` cannot have a larger floating-point difference (the gap `1/(n1·n2)` is far
/// above rounding), so we track `k` with integer adds and only evaluate scipy's
/// `i/n1 − j/n2` (bit for bit, to break ties of equal `k` the way its `argmax` does) when
/// `k` reaches the running extreme.
#[derive(Debug, Clone, Copy)]
struct Tracker {
    kmax: i64,
    max: f64,
    max_at: f64,
    kmin: i64,
    min: f64,
    min_at: f64,
}

impl Tracker {
    fn new() -> Self {
        Tracker {
            kmax: i64::MIN,
            max: f64::NEG_INFINITY,
            max_at: f64::NAN,
            kmin: i64::MAX,
            min: f64::INFINITY,
            min_at: f64::NAN,
        }
    }

    #[inline]
    fn see(&mut self, k: i64, diff: impl Fn() -> f64, at: f64) {
        if k >= self.kmax {
            let d = diff();
            if k > self.kmax || d > self.max {
                self.kmax = k;
                self.max = d;
                self.max_at = at;
            }
        }
        if k <= self.kmin {
            let d = diff();
            if k < self.kmin || d < self.min {
                self.kmin = k;
                self.min = d;
                self.min_at = at;
            }
        }
    }
}

/// Merge walk over sorted `x` and `y`: the max and min of `F1 - F2` and where they occur.
///
/// scipy evaluates the difference at every element of `concat(sort(x), sort(y))` and takes
/// the first arg-max, so a value present in `x` wins over a value only in `y`, and among
/// those the smallest wins. We track the two groups separately to reproduce that.
fn extremes(x: &[f64], y: &[f64]) -> Extremes {
    let (n1, n2) = (x.len(), y.len());
    let (f1, f2) = (n1 as f64, n2 as f64);
    let (step_x, step_y) = (n2 as i64, n1 as i64);
    let mut in_x = Tracker::new();
    let mut in_y = Tracker::new();
    let (mut i, mut j) = (0usize, 0usize);
    let mut k: i64 = 0;
    // Both samples non-exhausted: which side the next value comes from is data, not a
    // branch (the interleaving is random, so a branch would mispredict half the time).
    while i < n1 && j < n2 {
        let (a, b) = (x[i], y[j]);
        let from_x = a <= b;
        let from_y = b <= a;
        let v = a.min(b);
        i += usize::from(from_x);
        j += usize::from(from_y);
        k += step_x * i64::from(from_x) - step_y * i64::from(from_y);
        // Further ties of v (rare, so these loops are predicted not taken).
        while i < n1 && x[i] == v {
            i += 1;
            k += step_x;
        }
        while j < n2 && y[j] == v {
            j += 1;
            k -= step_y;
        }
        let diff = || i as f64 / f1 - j as f64 / f2;
        // One rarely-true condition per side instead of a coin-flip branch on the side.
        if from_x & ((k >= in_x.kmax) | (k <= in_x.kmin)) {
            in_x.see(k, diff, v);
        }
        if from_y & ((k >= in_y.kmax) | (k <= in_y.kmin)) {
            in_y.see(k, diff, v);
        }
    }
    // One sample exhausted: the rest of the other, group by group.
    while i < n1 || j < n2 {
        let v = if j >= n2 { x[i] } else { y[j] };
        let i0 = i;
        let j0 = j;
        while i < n1 && x[i] <= v {
            i += 1;
            k += step_x;
        }
        while j < n2 && y[j] <= v {
            j += 1;
            k -= step_y;
        }
        let diff = || i as f64 / f1 - j as f64 / f2;
        if i > i0 {
            in_x.see(k, diff, v);
        }
        if j > j0 {
            in_y.see(k, diff, v);
        }
    }
    let (max, max_at) = if in_x.max >= in_y.max {
        (in_x.max, in_x.max_at)
    } else {
        (in_y.max, in_y.max_at)
    };
    let (min, min_at) = if in_x.min <= in_y.min {
        (in_x.min, in_x.min_at)
    } else {
        (in_y.min, in_y.min_at)
    };
    Extremes {
        max,
        max_at,
        min,
        min_at,
    }
}

/// A sorted copy of `x`; the sort may use two threads if `threads` and `x` is large.
fn sorted(x: &[f64], threads: bool) -> Vec<f64> {
    let mut v = x.to_vec();
    crate::stats::rank::sort_f64_threads(
        &mut v,
        threads && x.len() >= crate::stats::rank::PARALLEL_SORT,
    );
    v
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Two-sample Kolmogorov–Smirnov test of `H0: F1 = F2` (scipy.stats.ks_2samp).
///
/// ```text
/// F1, F2 = empirical CDFs of x (n1 values) and y (n2 values), ties handled by counting ≤ v
/// D+ = max_v (F1(v) − F2(v))    alternative = greater  (H1: F1 > F2 somewhere, x tends smaller)
/// D− = max_v (F2(v) − F1(v))    alternative = less     (H1: F1 < F2 somewhere, x tends larger)
/// D  = max(D+, D−)              alternative = two-sided
///
/// exact      P(D ≥ h/lcm) by lattice-path counting (Hodges 1958):
///            n1 = n2: two-sided by the reflection series, one-sided by a product;
///            n1 ≠ n2: two-sided by the "inside" recursion on 1 − p (Viehmann 2021),
///                     one-sided by counting paths outside (may overflow → asymptotic)
/// asymptotic two-sided  p = kstwo.sf(D, round(m·n/(m+n)))  (one-sample Kolmogorov law)
///            one-sided  p = exp(−2z² − 2z(m + 2n)/√(mn(m+n))/3),  z = D·√(mn/(m+n)), m ≥ n
/// auto       exact if max(n1, n2) ≤ 10 000, else asymptotic
/// ```
///
/// Assumptions: independent samples from continuous distributions (with ties the exact
/// p-value is conservative, as in scipy). Mirrors scipy 1.17, including: the exact statistic
/// is rounded to the lattice `h/lcm(n1, n2)`; `method = exact` switches to asymptotic when
/// `lcm` would overflow a 32-bit integer, or when the exact computation overflows or leaves
/// [0, 1]; `method_used` says which one ran (scipy only warns).
///
/// Departures from scipy: NaN or infinite values are an error (scipy propagates NaN);
/// forced `asymp` with `n1 = n2 = 1` is an error (scipy returns NaN because
/// `round(0.5) = 0`); the one-sided exact count for unequal sizes uses an accurate
/// binomial coefficient instead of cephes' `binom`, so it can differ from scipy in the
/// 12th digit where scipy's value is itself that inaccurate.
///
/// # Example
/// ```
/// use shiftwatch::stats::ks::{ks_2samp, KsMethod, KsOptions};
/// use shiftwatch::stats::Alternative;
///
/// let baseline = [12.1, 11.8, 12.4, 12.0, 11.9, 12.2, 12.3, 11.7];
/// let candidate = [13.0, 12.9, 13.4, 12.8, 13.1, 13.3, 12.7, 13.2];
/// let r = ks_2samp(&baseline, &candidate, &KsOptions::default())?;
/// assert_eq!(r.statistic, 1.0);
/// assert_eq!(r.method_used, KsMethod::Exact);
/// assert!(r.p_value < 1e-3);
/// // The candidate is larger, so its ECDF lies below the baseline's: "greater" fires.
/// let g = KsOptions { alternative: Alternative::Greater, ..KsOptions::default() };
/// assert!(ks_2samp(&baseline, &candidate, &g)?.p_value < 1e-3);
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] if a sample is empty (or, for the two-sided asymptotic method,
/// both have one value), [`Error::NonFinite`] for NaN or ±∞.
pub fn ks_2samp(x: &[f64], y: &[f64], options: &KsOptions) -> Result<Ks2Samp> {
    check::sample("x", x, 1)?;
    check::sample("y", y, 1)?;
    let (xs, ys) = if x.len().min(y.len()) >= crate::stats::rank::PARALLEL_SORT {
        // One sample per core; the sorts' results do not depend on the threads.
        std::thread::scope(|s| {
            let ys = s.spawn(|| sorted(y, false));
            let xs = sorted(x, false);
            (xs, ys.join())
        })
    } else {
        (sorted(x, true), Ok(sorted(y, true)))
    };
    // Unreachable `Err` (sorting does not panic): sort on this thread instead.
    let ys = ys.unwrap_or_else(|_| sorted(y, true));
    // Sorted here and checked finite above: skip `ks_2samp_sorted`'s checks.
    from_sorted(&xs, &ys, options)
}

/// [`ks_2samp`] for samples that are already sorted ascending (no copy, no sort).
///
/// # Errors
/// As [`ks_2samp`], plus [`Error::InvalidArgument`] if a sample is not sorted.
pub fn ks_2samp_sorted(x: &[f64], y: &[f64], options: &KsOptions) -> Result<Ks2Samp> {
    check::sample("x", x, 1)?;
    check::sample("y", y, 1)?;
    if x.windows(2).any(|w| w[0] > w[1]) {
        return Err(Error::invalid("x", "must be sorted ascending"));
    }
    if y.windows(2).any(|w| w[0] > w[1]) {
        return Err(Error::invalid("y", "must be sorted ascending"));
    }
    from_sorted(x, y, options)
}

/// [`ks_2samp_sorted`] after its checks (samples non-empty, finite, sorted).
fn from_sorted(x: &[f64], y: &[f64], options: &KsOptions) -> Result<Ks2Samp> {
    let (n1, n2) = (x.len(), y.len());
    let ext = extremes(x, y);
    let min_s = (-ext.min).clamp(0.0, 1.0);
    let max_s = ext.max;
    let alternative = options.alternative;
    let (mut d, location, sign) = if alternative == Alternative::Less
        || (alternative == Alternative::TwoSided && min_s > max_s)
    {
        (min_s, ext.min_at, -1i8)
    } else {
        (max_s, ext.max_at, 1i8)
    };

    let (a, b) = (n1 as u64, n2 as u64);
    let g = gcd(a, b);
    let (n1g, n2g) = (a / g, b / g);
    let mut method = match options.method {
        KsMethod::Auto if n1.max(n2) <= MAX_AUTO_N => KsMethod::Exact,
        KsMethod::Auto => KsMethod::Asymptotic,
        KsMethod::Exact if n1g as f64 >= i32::MAX as f64 / n2g as f64 => KsMethod::Asymptotic,
        m => m,
    };
    let mut p = f64::NEG_INFINITY;
    if method == KsMethod::Exact {
        let attempt = exact::attempt(a, b, g, d, alternative);
        d = attempt.statistic;
        match attempt.p_value {
            Some(prob) => p = prob,
            None => method = KsMethod::Asymptotic,
        }
    }
    if method == KsMethod::Asymptotic {
        p = asymptotic(n1, n2, d, alternative)?;
    }
    Ok(Ks2Samp {
        statistic: d,
        p_value: p.clamp(0.0, 1.0),
        method_used: method,
        statistic_location: location,
        statistic_sign: sign,
    })
}

/// scipy's asymptotic branch (Smirnov / Hodges).
fn asymptotic(n1: usize, n2: usize, d: f64, alternative: Alternative) -> Result<f64> {
    let (m, n) = if n1 >= n2 {
        (n1 as f64, n2 as f64)
    } else {
        (n2 as f64, n1 as f64)
    };
    let en = m * n / (m + n);
    if alternative == Alternative::TwoSided {
        let k = en.round_ties_even();
        if k < 1.0 {
            return Err(Error::TooFewPoints {
                what: "x and y (two-sided asymptotic KS)",
                needed: 2,
                got: 1,
            });
        }
        Ok(kolmogorov::kstwo_sf(k as u64, d))
    } else {
        let z = en.sqrt() * d;
        // Hodges (1958) eqn 5.3; m is the larger sample.
        let expt = -2.0 * z * z - 2.0 * z * (m + 2.0 * n) / (m * n * (m + n)).sqrt() / 3.0;
        Ok(expt.exp())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn opts(alternative: Alternative, method: KsMethod) -> KsOptions {
        KsOptions {
            alternative,
            method,
        }
    }

    /// scipy's definition, literally: ECDF difference at every element of
    /// `concat(sort(x), sort(y))`, first arg-max / arg-min.
    fn naive(x: &[f64], y: &[f64]) -> (f64, f64, f64, f64) {
        let (xs, ys) = (sorted(x, true), sorted(y, true));
        let all: Vec<f64> = xs.iter().chain(&ys).copied().collect();
        let cdf = |s: &[f64], v: f64| s.iter().filter(|&&t| t <= v).count() as f64 / s.len() as f64;
        let diffs: Vec<f64> = all.iter().map(|&v| cdf(&xs, v) - cdf(&ys, v)).collect();
        let (mut imax, mut imin) = (0, 0);
        for (t, &d) in diffs.iter().enumerate() {
            if d > diffs[imax] {
                imax = t;
            }
            if d < diffs[imin] {
                imin = t;
            }
        }
        (diffs[imax], all[imax], diffs[imin], all[imin])
    }

    proptest::proptest! {
        #[test]
        fn merge_walk_equals_scipy_definition(
            x in proptest::collection::vec(0i32..12, 1..40),
            y in proptest::collection::vec(0i32..12, 1..40),
        ) {
            let x: Vec<f64> = x.into_iter().map(f64::from).collect();
            let y: Vec<f64> = y.into_iter().map(|v| f64::from(v) * 0.5).collect();
            let e = extremes(&sorted(&x, true), &sorted(&y, true));
            let (max, max_at, min, min_at) = naive(&x, &y);
            proptest::prop_assert_eq!(e.max.to_bits(), max.to_bits());
            proptest::prop_assert_eq!(e.max_at, max_at);
            proptest::prop_assert_eq!(e.min.to_bits(), min.to_bits());
            proptest::prop_assert_eq!(e.min_at, min_at);
        }
    }

    #[test]
    fn rejects_bad_input() {
        let o = KsOptions::default();
        assert!(matches!(
            ks_2samp(&[], &[1.0], &o),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            ks_2samp(&[1.0, f64::NAN], &[1.0], &o),
            Err(Error::NonFinite { index: 1, .. })
        ));
        assert!(matches!(
            ks_2samp(
                &[1.0],
                &[2.0],
                &opts(Alternative::TwoSided, KsMethod::Asymptotic)
            ),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(ks_2samp_sorted(&[2.0, 1.0], &[1.0], &o).is_err());
        assert!("exactly".parse::<KsMethod>().is_err());
        assert_eq!("asymp".parse::<KsMethod>().ok(), Some(KsMethod::Asymptotic));
    }

    #[test]
    fn one_value_each_and_constant_samples() {
        let r = ks_2samp(&[1.0], &[2.0], &KsOptions::default()).unwrap();
        assert_eq!(r.statistic, 1.0);
        assert_eq!(r.p_value, 1.0);
        assert_eq!(r.statistic_location, 1.0);
        let r = ks_2samp(&[3.0; 5], &[3.0; 7], &KsOptions::default()).unwrap();
        assert_eq!(r.statistic, 0.0);
        assert_eq!(r.p_value, 1.0);
    }

    #[test]
    fn detects_a_shift_and_its_direction() {
        let x: Vec<f64> = (0..50).map(f64::from).collect();
        let y: Vec<f64> = (0..50).map(|i| f64::from(i) + 30.0).collect();
        let two = ks_2samp(&x, &y, &KsOptions::default()).unwrap();
        assert!(two.p_value < 1e-6);
        assert_eq!(two.statistic_sign, 1);
        // x is smaller, so F1 > F2: "greater" rejects, "less" does not.
        let g = ks_2samp(&x, &y, &opts(Alternative::Greater, KsMethod::Auto)).unwrap();
        let l = ks_2samp(&x, &y, &opts(Alternative::Less, KsMethod::Auto)).unwrap();
        assert!(g.p_value < 1e-6);
        assert_eq!(l.p_value, 1.0);
    }
}
