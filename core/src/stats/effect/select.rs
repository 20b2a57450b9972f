//! Selection of the k-th smallest pairwise difference `y_j - x_i` without listing all m·n.

use crate::stats::rng::Rng;
use crate::{Error, Result};

/// Below this many differences, list them and select directly.
const BRUTE_FORCE: usize = 4096;

/// The `k`-th smallest (0-based) of the `m·n` differences `y_j - x_i`, for `x` and `y`
/// **sorted ascending** and finite.
///
/// Randomised selection in X + Y (Johnson & Mizoguchi 1978; Monahan 1984): the differences
/// form an m×n matrix sorted along rows and columns; each round draws a pivot uniformly among
/// the candidates still in play, counts the differences below it along the monotone staircase
/// in O(m + n), and discards the side that cannot hold rank `k`. O((m + n) log(m n)) expected
/// time, O(m + n) memory. The pivot draws use a fixed seed, so the result is deterministic
/// (and the value does not depend on the draws at all).
///
/// # Errors
/// [`Error::TooFewPoints`] when a sample is empty; [`Error::InvalidArgument`] when
/// `k ≥ m·n`.
pub fn kth_pairwise_difference(x: &[f64], y: &[f64], k: usize) -> Result<f64> {
    let (m, n) = (x.len(), y.len());
    if m == 0 || n == 0 {
        return Err(Error::TooFewPoints {
            what: if m == 0 { "x" } else { "y" },
            needed: 1,
            got: 0,
        });
    }
    let total = m.saturating_mul(n);
    if k >= total {
        return Err(Error::invalid(
            "k",
            format!("must be below m·n = {total}, got {k}"),
        ));
    }
    // Row j holds y_j - x_(m-1-c) for c = 0..m: ascending along c and along j.
    let v = |j: usize, c: usize| y[j] - x[m - 1 - c];
    if total <= BRUTE_FORCE {
        let mut all: Vec<f64> = (0..n).flat_map(|j| (0..m).map(move |c| v(j, c))).collect();
        let (_, kth, _) = all.select_nth_unstable_by(k, f64::total_cmp);
        return Ok(*kth);
    }
    let mut lo = vec![0usize; n];
    let mut hi = vec![m; n];
    let mut lt = vec![0usize; n];
    let mut le = vec![0usize; n];
    let mut rng = Rng::new(0x005E_ED4C);
    let mut buf = Vec::new();
    loop {
        let active: usize = lo.iter().zip(&hi).map(|(l, h)| h - l).sum();
        let below: usize = lo.iter().sum();
        if active <= (m + n).max(BRUTE_FORCE) {
            buf.clear();
            for j in 0..n {
                buf.extend((lo[j]..hi[j]).map(|c| v(j, c)));
            }
            let (_, kth, _) = buf.select_nth_unstable_by(k - below, f64::total_cmp);
            return Ok(*kth);
        }
        // Pivot: a uniformly drawn active element.
        let mut r = rng.below(active);
        let mut pivot = f64::NAN;
        for j in 0..n {
            let w = hi[j] - lo[j];
            if r < w {
                pivot = v(j, lo[j] + r);
                break;
            }
            r -= w;
        }
        // Staircase counts: lt[j] = #{c: v(j,c) < pivot}, le[j] = #{c: v(j,c) <= pivot};
        // both are non-increasing in j.
        let (mut p_lt, mut p_le) = (m, m);
        let (mut n_lt, mut n_le) = (0usize, 0usize);
        for j in 0..n {
            while p_lt > 0 && v(j, p_lt - 1) >= pivot {
                p_lt -= 1;
            }
            while p_le > 0 && v(j, p_le - 1) > pivot {
                p_le -= 1;
            }
            lt[j] = p_lt;
            le[j] = p_le;
            n_lt += p_lt;
            n_le += p_le;
        }
        if k < n_lt {
            for j in 0..n {
                hi[j] = hi[j].min(lt[j]);
            }
        } else if k >= n_le {
            for j in 0..n {
                lo[j] = lo[j].max(le[j]);
            }
        } else {
            return Ok(pivot);
        }
    }
}

/// The median of the `m·n` differences `y_j - x_i` (`x`, `y` sorted ascending, non-empty,
/// finite): one selection of rank `⌊(mn - 1)/2⌋`, then for even `m·n` the next rank by one
/// staircase pass (the smallest difference above the first, unless it is tied).
pub(crate) fn median_pairwise_difference(x: &[f64], y: &[f64]) -> Result<f64> {
    let (m, n) = (x.len(), y.len());
    let total = m.saturating_mul(n);
    if total % 2 == 1 {
        return kth_pairwise_difference(x, y, total / 2);
    }
    let k = total / 2;
    let a = kth_pairwise_difference(x, y, k - 1)?;
    // Count differences ≤ a and find the smallest one above a, along the staircase.
    let v = |j: usize, c: usize| y[j] - x[m - 1 - c];
    let mut p = m;
    let mut le = 0usize;
    let mut above = f64::INFINITY;
    for j in 0..n {
        while p > 0 && v(j, p - 1) > a {
            p -= 1;
        }
        le += p;
        if p < m {
            above = above.min(v(j, p));
        }
    }
    let b = if le > k { a } else { above };
    Ok((a + b) / 2.0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(x: &[f64], y: &[f64], k: usize) -> f64 {
        let mut d: Vec<f64> = y
            .iter()
            .flat_map(|b| x.iter().map(move |a| b - a))
            .collect();
        d.sort_by(f64::total_cmp);
        d[k]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn matches_brute_force(
            mut x in prop::collection::vec(-50i32..50, 1..200),
            mut y in prop::collection::vec(-50i32..50, 1..200),
            frac in 0.0f64..1.0,
            scale in prop::sample::select(vec![1.0, 0.37, 1e-3]),
        ) {
            x.sort();
            y.sort();
            let x: Vec<f64> = x.iter().map(|&v| v as f64 * scale).collect();
            let y: Vec<f64> = y.iter().map(|&v| v as f64 * scale).collect();
            let k = ((x.len() * y.len()) as f64 * frac) as usize;
            prop_assert_eq!(kth_pairwise_difference(&x, &y, k).unwrap(), brute(&x, &y, k));
            let t = x.len() * y.len();
            let med = if t % 2 == 1 {
                brute(&x, &y, t / 2)
            } else {
                (brute(&x, &y, t / 2 - 1) + brute(&x, &y, t / 2)) / 2.0
            };
            prop_assert_eq!(median_pairwise_difference(&x, &y).unwrap(), med);
        }
    }

    #[test]
    fn large_continuous_case_matches_brute_force() {
        let mut r = crate::stats::rng::Rng::new(4);
        let mut x: Vec<f64> = (0..300).map(|_| r.normal()).collect();
        let mut y: Vec<f64> = (0..250).map(|_| r.normal().exp()).collect();
        x.sort_by(f64::total_cmp);
        y.sort_by(f64::total_cmp);
        for k in [0, 1, 37_499, 37_500, 74_999] {
            assert_eq!(
                kth_pairwise_difference(&x, &y, k).unwrap(),
                brute(&x, &y, k)
            );
        }
        assert!(kth_pairwise_difference(&x, &y, 75_000).is_err());
        assert!(kth_pairwise_difference(&[], &y, 0).is_err());
    }
}
