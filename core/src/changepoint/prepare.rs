//! What `detect` does to a series before the search: gaps out, and (for the level costs with a
//! criterion penalty) normal scores in place of the raw values.

use std::borrow::Cow;

use serde::Serialize;

use crate::stats::dist::norm_ppf;
use crate::stats::rank::midranks;
use crate::{Error, Result};

/// The series with missing values (NaN) removed, and where each kept value came from.
#[derive(Debug, Clone)]
pub(crate) struct Complete<'a> {
    /// The finite values, in order (borrowed when nothing was missing).
    pub values: Cow<'a, [f64]>,
    /// Original row of each kept value (empty when nothing was missing: the identity).
    rows: Vec<usize>,
}

impl Complete<'_> {
    /// Number of rows skipped as missing.
    pub fn missing(&self, n_rows: usize) -> usize {
        n_rows - self.values.len()
    }

    /// Original row of the kept value at `i`; `i == len` maps to the number of rows.
    pub fn row(&self, i: usize, n_rows: usize) -> usize {
        if self.rows.is_empty() {
            i
        } else {
            self.rows.get(i).copied().unwrap_or(n_rows)
        }
    }
}

/// Drops NaN (a missing value: empty cell, absent scrape) and keeps the rows of the rest.
///
/// # Errors
/// [`Error::NonFinite`] for ±∞ (an overflow is not a gap), with its original row.
pub(crate) fn skip_missing(x: &[f64]) -> Result<Complete<'_>> {
    if let Some(index) = x.iter().position(|v| v.is_infinite()) {
        return Err(Error::NonFinite {
            what: "values",
            index,
            value: x[index],
        });
    }
    if !x.iter().any(|v| v.is_nan()) {
        return Ok(Complete {
            values: Cow::Borrowed(x),
            rows: Vec::new(),
        });
    }
    let rows: Vec<usize> = (0..x.len()).filter(|&i| !x[i].is_nan()).collect();
    Ok(Complete {
        values: Cow::Owned(rows.iter().map(|&i| x[i]).collect()),
        rows,
    })
}

/// The scale the search and the validation work on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// The values as given.
    Raw,
    /// Normal scores of the values (see [`normal_scores`]).
    NormalScores,
    /// The values divided by their robust noise scale (the noise looks Gaussian:
    /// [`super::scale`]).
    Standardised,
}

/// Normal scores (van der Waerden): `z_i = Φ⁻¹((r_i - ½) / n)` with `r_i` the mid-rank of
/// `x_i` among all n values.
///
/// The map is monotone, so a change of level stays a change of level (in the same direction),
/// but whatever the marginal distribution of iid noise (Student t, lognormal, ...), the scores
/// are standard normal, so a penalty and tests calibrated for Gaussian noise keep their false
/// alarm rate: heavy tails and skew are taken out before the search. The efficiency of the
/// normal-scores test relative to the t-test for a location shift is ≥ 1 for every continuous
/// distribution and = 1 for the normal (Chernoff & Savage 1958, "Asymptotic normality and
/// efficiency of certain nonparametric test statistics", Ann. Math. Statist. 29:972–994).
/// Ties share a mid-rank, hence a score. O(n) radix sort plus n quantiles, computed in place
/// of the ranks, on two threads from [`PARALLEL_SCORES`] values (the same numbers either way).
///
/// # Errors
/// [`Error::NonFinite`] for NaN/±∞.
pub fn normal_scores(x: &[f64]) -> Result<Vec<f64>> {
    let mut scores = midranks(x)?.ranks;
    let n = x.len() as f64;
    let score = |r: &mut f64| *r = norm_ppf((*r - 0.5) / n);
    if scores.len() >= PARALLEL_SCORES {
        let (a, b) = scores.split_at_mut(x.len() / 2);
        std::thread::scope(|s| {
            s.spawn(|| a.iter_mut().for_each(score));
            b.iter_mut().for_each(score);
        });
    } else {
        scores.iter_mut().for_each(score);
    }
    Ok(scores)
}

/// Number of values from which [`normal_scores`] computes the quantiles on two threads (each
/// costs ≈ 0.1 µs: a rational start and a Halley step with `erfc`).
const PARALLEL_SCORES: usize = 1 << 16;

/// Moves each change point `bkps[j]` to the split of the window
/// `x[max(bkps[j-1], τ - W)..min(bkps[j+1], τ + W)]`, `W = 20 · min_size`, into two segments of
/// at least `min_size` values with the smallest total absolute deviation from the two medians
/// (the L1 cost), in order, each with the already-moved left neighbour.
///
/// A search on normal scores finds the changes, but the scores compress a shift between
/// values that are close in rank, so next to an outlier the location can slip onto it (the
/// outlier ranks with the lower regime); the L1 cost of the raw values measures shifts in their
/// own units and ignores a lone outlier. The window keeps it local (a correction of the
/// location, not a new search) and O(W log W) per change point (running medians, two heaps).
pub(crate) fn refine_l1(x: &[f64], bkps: &mut [usize], min_size: usize) {
    let n = x.len();
    let w = 20 * min_size;
    for j in 0..bkps.len() {
        let a = if j == 0 { 0 } else { bkps[j - 1] };
        let b = bkps.get(j + 1).copied().unwrap_or(n);
        let (a, b) = (a.max(bkps[j].saturating_sub(w)), b.min(bkps[j] + w));
        if b - a < 2 * min_size {
            continue;
        }
        let span = &x[a..b];
        // Both sides with the same median (quantised values, a shift smaller than a quantum):
        // the L1 cost cannot see the change, only short runs next to the window's ends that
        // move a median, so the search's location stands (rounded N(0, 1) with a step of 0.5:
        // 25 of 30 found within ±50 with 5 elsewhere, 17 and 13 without this). Series where
        // one value is the majority skip the move altogether (`detect`).
        let mut scratch = x[a..bkps[j]].to_vec();
        let left = super::penalty::median_in_place(&mut scratch);
        scratch.clear();
        scratch.extend_from_slice(&x[bkps[j]..b]);
        if left == super::penalty::median_in_place(&mut scratch) {
            continue;
        }
        let fwd = prefix_l1(span.iter().copied());
        let bwd = prefix_l1(span.iter().rev().copied());
        let m = span.len();
        let mut best = (f64::INFINITY, bkps[j]);
        for s in min_size..=m - min_size {
            let c = fwd[s] + bwd[m - s];
            // Ties keep the search's location.
            let tie = (c - best.0).abs() <= 1e-12 * best.0.abs() && a + s == bkps[j];
            if c < best.0 || tie {
                best = (c, a + s);
            }
        }
        bkps[j] = best.1;
    }
}

/// `out[k]` = L1 cost of the first k values of `it` (`out[0] = 0`), by running medians.
fn prefix_l1(it: impl Iterator<Item = f64>) -> Vec<f64> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    #[derive(PartialEq, PartialOrd, Clone, Copy)]
    struct Key(f64);
    impl Eq for Key {}
    #[allow(clippy::derive_ord_xor_partial_ord)]
    impl Ord for Key {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0.total_cmp(&other.0)
        }
    }
    // Lower half (max-heap, holds the median, one more when odd) and upper half, with sums.
    let mut lower: BinaryHeap<Key> = BinaryHeap::new();
    let mut upper: BinaryHeap<Reverse<Key>> = BinaryHeap::new();
    let (mut sum_lo, mut sum_hi) = (0.0, 0.0);
    let mut out = vec![0.0];
    for v in it {
        if lower.peek().map_or(true, |k| v <= k.0) {
            lower.push(Key(v));
            sum_lo += v;
        } else {
            upper.push(Reverse(Key(v)));
            sum_hi += v;
        }
        if lower.len() > upper.len() + 1 {
            if let Some(Key(t)) = lower.pop() {
                sum_lo -= t;
                sum_hi += t;
                upper.push(Reverse(Key(t)));
            }
        } else if upper.len() > lower.len() {
            if let Some(Reverse(Key(t))) = upper.pop() {
                sum_hi -= t;
                sum_lo += t;
                lower.push(Key(t));
            }
        }
        let med = lower.peek().map_or(0.0, |k| k.0);
        let c = sum_hi - sum_lo + med * (lower.len() as f64 - upper.len() as f64);
        out.push(c.max(0.0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_are_skipped_with_their_rows() {
        let x = [1.0, f64::NAN, 2.0, f64::NAN, f64::NAN, 3.0];
        let c = skip_missing(&x).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&*c.values, &[1.0, 2.0, 3.0]);
        assert_eq!(c.missing(6), 3);
        assert_eq!(
            (c.row(0, 6), c.row(1, 6), c.row(2, 6), c.row(3, 6)),
            (0, 2, 5, 6)
        );
        let full = skip_missing(&[1.0, 2.0]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(full.values, Cow::Borrowed(_)));
        assert_eq!(full.row(1, 2), 1);
        assert!(matches!(
            skip_missing(&[1.0, f64::INFINITY]),
            Err(Error::NonFinite { index: 1, .. })
        ));
    }

    #[test]
    fn l1_prefix_costs_and_refinement_match_brute_force() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0];
        let got = prefix_l1(x.iter().copied());
        for k in 1..=x.len() {
            let mut s = x[..k].to_vec();
            s.sort_by(f64::total_cmp);
            let med = s[(k - 1) / 2];
            let want: f64 = s.iter().map(|v| (v - med).abs()).sum();
            assert!((got[k] - want).abs() < 1e-12, "k={k}");
        }
        // A drop at 15 with an outlier at 10 (as in the TigerBeetle series).
        let mut y: Vec<f64> = (0..40)
            .map(|i| if i < 15 { 10.0 } else { 7.0 } + 0.01 * f64::from(i % 3))
            .collect();
        y[10] = 0.0;
        let mut bkps = [10];
        refine_l1(&y, &mut bkps, 5);
        assert_eq!(bkps, [15]);
    }

    #[test]
    fn normal_scores_match_scipy() {
        // scipy.stats.norm.ppf((scipy.stats.rankdata(x) - 0.5) / 5)
        let z = normal_scores(&[10.0, -3.0, 7.0, 7.0, 100.0]).unwrap_or_else(|e| panic!("{e}"));
        let want = [
            0.524_400_512_708_041,
            -1.281_551_565_544_600_5,
            -0.253_347_103_135_799_7,
            -0.253_347_103_135_799_7,
            1.281_551_565_544_600_5,
        ];
        for (g, w) in z.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{z:?}");
        }
    }

    /// Two threads give the very numbers of the one-thread map (ties included).
    #[test]
    fn threaded_scores_equal_the_serial_map() {
        let mut rng = crate::stats::rng::Rng::new(3);
        let n = PARALLEL_SCORES + 7;
        let x: Vec<f64> = (0..n).map(|_| (rng.normal() * 50.0).round()).collect();
        let z = normal_scores(&x).unwrap_or_else(|e| panic!("{e}"));
        let ranks = midranks(&x).unwrap_or_else(|e| panic!("{e}")).ranks;
        for (g, r) in z.iter().zip(ranks) {
            assert_eq!(g.to_bits(), norm_ppf((r - 0.5) / n as f64).to_bits());
        }
    }
}
