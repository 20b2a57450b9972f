//! Exact null distribution of the two-sample KS statistic by lattice-path counting.
//!
//! A pair of samples of sizes `m`, `n` is a monotone lattice path from `(0, 0)` to `(m, n)`;
//! under H0 every one of the `C(m+n, n)` paths is equally likely, and `D ≥ h / lcm(m, n)` iff
//! the path touches a diagonal line `|n·x − m·y| = h·g` (two-sided) or one of them
//! (one-sided). Hodges (1958), "The significance probability of the Smirnov two-sample
//! test", Arkiv för Matematik 3(43), 469–486; Viehmann (2021), arXiv:2102.08037 for the
//! recursion on `1 − p`. The floating-point operations follow scipy 1.17
//! (`_attempt_exact_2kssamp` and the helpers it calls) in the same order, so results agree
//! to the last bits, including when scipy gives up and falls back to the asymptotic method.

use crate::stats::Alternative;

/// Outcome of an exact attempt: the statistic rounded to the lattice, and the p-value if the
/// computation succeeded (`None` means: fall back to the asymptotic method, as scipy does).
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    /// `h / lcm(n1, n2)` with `h = round(d · lcm)`.
    pub statistic: f64,
    /// `P(D ≥ statistic)` under H0, or `None` when it could not be computed reliably.
    pub p_value: Option<f64>,
}

/// Exact `P(D ≥ d)` for samples of sizes `n1`, `n2` with `g = gcd(n1, n2)` (scipy's
/// `_attempt_exact_2kssamp`).
pub fn attempt(n1: u64, n2: u64, g: u64, d: f64, alternative: Alternative) -> Attempt {
    let lcm = (n1 / g) * n2;
    let h = (d * lcm as f64).round_ties_even() as u64;
    let statistic = h as f64 / lcm as f64;
    if h == 0 {
        return Attempt {
            statistic,
            p_value: Some(1.0),
        };
    }
    let prob = match alternative {
        Alternative::TwoSided if n1 == n2 => Some(prob_outside_square(n1, h)),
        Alternative::TwoSided => Some(prob_outside_band(n1, n2, g, h)),
        _ if n1 == n2 => Some(prob_one_sided_equal(n1, h)),
        _ => prob_one_sided(n1, n2, g, h),
    };
    Attempt {
        statistic,
        p_value: prob.filter(|p| (0.0..=1.0).contains(p)),
    }
}

/// `P(D_{n,n} ≥ h/n)`, two-sided, equal sizes: the reflection series
/// `2 Σ_k (−1)^(k+1) C(2n, n − k·h) / C(2n, n)`, evaluated Horner-like on the ratios
/// `A_k = C(2n, n − k·h) / C(2n, n − (k−1)·h)` to avoid cancellation.
pub fn prob_outside_square(n: u64, h: u64) -> f64 {
    let (nf, hf) = (n as i64, h as i64);
    let mut p = 0.0f64;
    let mut k = nf / hf;
    while k >= 0 {
        let mut p1 = 1.0f64;
        for j in 0..hf {
            p1 = (nf - k * hf - j) as f64 * p1 / (nf + k * hf + j + 1) as f64;
        }
        p = p1 * (1.0 - p);
        k -= 1;
    }
    2.0 * p
}

/// `P(D+ ≥ h/n)` for equal sizes: `C(2n, n − h) / C(2n, n) = Π_{j<h} (n − j)/(n + j + 1)`.
pub fn prob_one_sided_equal(n: u64, h: u64) -> f64 {
    let nf = n as f64;
    (0..h)
        .map(|j| (nf - j as f64) / (nf + j as f64 + 1.0))
        .product()
}

/// Two-sided, unequal sizes: the proportion of paths that leave the open band
/// `|x/m − y/n| < h/lcm`, by the recursion on the probability of having left it
/// (each column is a weighted average of its neighbours; points outside count 1).
/// Only a sliding window of one column is kept: O(m · window) time, O(n) memory.
pub fn prob_outside_band(m: u64, n: u64, g: u64, h: u64) -> f64 {
    let (m, n) = if m < n { (n, m) } else { (m, n) };
    let (m, n, g, h) = (m as i64, n as i64, g as i64, h as i64);
    let (mg, ng) = (m / g, n / g);
    let ceil_div = |a: i64| (a as f64 / mg as f64).ceil() as i64;
    let floor_div = |a: i64| (a as f64 / mg as f64).floor() as i64;
    let mut minj = 0i64;
    let mut maxj = ceil_div(h).min(n + 1);
    let mut curlen = maxj - minj;
    let len = (2 * maxj + 2).min(n + 1) as usize;
    let mut a = vec![1.0f64; len];
    for v in a.iter_mut().take(maxj as usize) {
        *v = 0.0;
    }
    for i in 1..=m {
        let (lastminj, lastlen) = (minj, curlen);
        minj = (floor_div(ng * i - h) + 1).max(0).min(n);
        maxj = ceil_div(ng * i + h).min(n + 1);
        if maxj <= minj {
            return 1.0;
        }
        let fi = i as f64;
        let mut val = if minj == 0 { 0.0 } else { 1.0 };
        let shift = minj - lastminj;
        for jj in 0..(maxj - minj) {
            let j = (jj + minj) as f64;
            let prev = usize::try_from(jj + shift)
                .ok()
                .and_then(|k| a.get(k).copied())
                .unwrap_or(1.0);
            val = (prev * fi + val * j) / (fi + j);
            if let Some(slot) = a.get_mut(jj as usize) {
                *slot = val;
            }
        }
        curlen = maxj - minj;
        if lastlen > curlen {
            let start = (maxj - minj) as usize;
            let end = ((maxj - minj + lastlen - curlen) as usize).min(len);
            for v in a.iter_mut().take(end).skip(start) {
                *v = 1.0;
            }
        }
    }
    a.get((maxj - minj - 1) as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

/// `C(n, k)` for integers `0 ≤ k ≤ n` in floating point: the multiplicative formula on the
/// smaller of `k`, `n − k`, rescaled like cephes' `binom` (which it equals exactly for
/// `k < 20`; beyond, cephes switches to the beta function and we stay with the product,
/// which is more accurate). Overflows to `+∞`.
pub fn binom(n: u64, k: u64) -> f64 {
    let k = if k > n / 2 { n - k } else { k };
    let nf = n as f64;
    let kf = k as f64;
    let (mut num, mut den) = (1.0f64, 1.0f64);
    for i in 1..=k {
        num *= i as f64 + nf - kf;
        den *= i as f64;
        if num.abs() > 1e50 {
            num /= den;
            den = 1.0;
        }
    }
    num / den
}

/// One-sided, unequal sizes: the number of paths reaching `n·x − m·y ≥ h·g`, by
/// first-passage decomposition (Hodges' "outside" method), divided by `C(m+n, n)`.
/// `None` when an intermediate overflows or the count exceeds the total (scipy then
/// switches to the asymptotic method).
pub fn prob_one_sided(m: u64, n: u64, g: u64, h: u64) -> Option<f64> {
    let (m, n) = if m < n { (n, m) } else { (m, n) };
    let (mg, ng) = (m / g, n / g);
    let (mi, hi) = (mg as i64, h as i64);
    // Number of rows to check: n + floor((mg − h)/mg) (Python floor division).
    let lxj = n as i64 + (mi - hi).div_euclid(mi);
    let total = binom(m + n, n);
    if lxj <= 0 {
        return finite(total).map(|_| 1.0);
    }
    let lxj = lxj as u64;
    // x_j: the first x at which row j is reached on or beyond the line.
    let xj: Vec<u64> = (0..lxj).map(|j| (h + mg * j).div_ceil(ng)).collect();
    let mut b = vec![0.0f64; lxj as usize];
    b[0] = 1.0;
    for j in 1..lxj as usize {
        let mut bj = finite(binom(xj[j] + j as u64, j as u64))?;
        for i in 0..j {
            let c = binom(xj[j] - xj[i] + (j - i) as u64, (j - i) as u64);
            bj = finite(bj - finite(c * b[i])?)?;
        }
        b[j] = bj;
    }
    let mut paths = 0.0f64;
    for (j, &bj) in b.iter().enumerate() {
        let j = j as u64;
        let ext = binom((m - xj[j as usize]) + (n - j), n - j);
        paths = finite(paths + finite(bj * ext)?)?;
    }
    if paths > total || total.is_infinite() {
        return None;
    }
    Some(paths / total)
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn binomial_small_values() {
        assert_eq!(binom(5, 2), 10.0);
        assert_eq!(binom(10, 0), 1.0);
        assert_eq!(binom(52, 5), 2_598_960.0);
        assert!(binom(2000, 1000).is_infinite());
    }

    #[test]
    fn tiny_cases_by_enumeration() {
        // m = n = 2: 6 paths; D = 1 on 2 of them (both x below both y or above).
        assert!((prob_outside_square(2, 2) - 2.0 / 6.0).abs() < 1e-15);
        // One-sided: only 1 of 6 paths has D+ = 1.
        assert!((prob_one_sided_equal(2, 2) - 1.0 / 6.0).abs() < 1e-15);
        // m = 2, n = 1, lcm = 2: P(D ≥ 1) = 2/3 (y below or above both x).
        assert!((prob_outside_band(2, 1, 1, 2) - 2.0 / 3.0).abs() < 1e-15);
        let p = prob_one_sided(2, 1, 1, 2).unwrap();
        assert!((p - 1.0 / 3.0).abs() < 1e-15);
    }
}
