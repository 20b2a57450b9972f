//! Laplace / least absolute deviation around the segment median.

use super::{check_signal, prefix, Cost, Units};
use crate::Result;

/// One entry of a level of the rank index: count and sum of the zero bits before a position
/// (12 bytes, packed).
#[derive(Debug, Clone, Copy)]
#[repr(C, packed)]
struct Prefix {
    count: u32,
    sum: f64,
}

/// Sum of absolute deviations from the segment median.
///
/// ```text
/// C(a, b) = Σ_{a<=i<b} |x_i - med(x_{a:b})|
///         = (sum of the ⌊m/2⌋ largest) - (sum of the ⌊m/2⌋ smallest),   m = b - a
/// ```
/// `-2 log L` of a Laplace distribution with free location and scale `b` equals `2 C / b` up to
/// a constant, so penalties are scaled by `b/2`. Mirrors ruptures' `CostL1` (any median of an
/// even-length segment gives the same sum). Queries take O(log n): a wavelet matrix over the
/// ranks of the values with per-level prefix sums returns the sum of the k smallest values of
/// any range. Memory is O(n log n) (≈ 12·log₂n + 16 bytes per sample), unlike the other costs.
/// Minimum segment length 2, as in ruptures.
#[derive(Debug, Clone)]
pub struct L1 {
    /// Sorted values; a rank `r` stands for `sorted[r]`.
    sorted: Vec<f64>,
    /// Global rank of each sample (ties broken by position).
    rank: Vec<u32>,
    /// Position of the sample of each rank (the inverse of `rank`).
    order: Vec<u32>,
    /// Prefix sums of the signal (for the total of a range).
    total: Vec<f64>,
    /// Per level (most significant bit first), length n + 1: prefix count of zero bits and
    /// prefix sum of the values whose bit is zero, side by side (one cache line per probe).
    levels: Vec<Vec<Prefix>>,
    /// Per level: number of zero bits in the whole level.
    n_zeros: Vec<usize>,
}

impl L1 {
    /// Builds the rank index of `x` (O(n log n)).
    ///
    /// # Errors
    /// [`crate::Error::TooFewPoints`] for an empty signal, [`crate::Error::NonFinite`].
    pub fn new(x: &[f64]) -> Result<Self> {
        check_signal(x)?;
        let n = x.len();
        // Sort (key, position) pairs, the key ordering as `f64::total_cmp`: sequential memory,
        // unlike a comparator that reads `x` at random.
        let key = |v: f64| {
            let b = v.to_bits();
            if b >> 63 == 1 {
                !b
            } else {
                b | (1 << 63)
            }
        };
        let mut keyed: Vec<(u64, u32)> = x
            .iter()
            .enumerate()
            .map(|(i, &v)| (key(v), i as u32))
            .collect();
        keyed.sort_unstable();
        let order: Vec<u32> = keyed.iter().map(|&(_, i)| i).collect();
        drop(keyed);
        let sorted: Vec<f64> = order.iter().map(|&i| x[i as usize]).collect();
        let mut rank = vec![0u32; n];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        let bits = (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1) as usize;
        let mut levels = Vec::with_capacity(bits);
        let mut n_zeros = Vec::with_capacity(bits);
        // (rank, value) in the order of the current level: sequential reads only.
        let mut cur: Vec<(u32, f64)> = rank.iter().zip(x).map(|(&r, &v)| (r, v)).collect();
        let mut next = vec![(0u32, 0.0); n];
        for level in (0..bits).rev() {
            let mut z = vec![Prefix { count: 0, sum: 0.0 }; n + 1];
            let (mut count, mut sum) = (0u32, 0.0);
            // One pass, no data-dependent branch (the bits are random): the prefix entries and
            // a stable partition, zero bits first.
            let n0 = cur.iter().filter(|&&(r, _)| (r >> level) & 1 == 0).count();
            let (mut lo, mut hi) = (0usize, n0);
            for (slot, &(r, v)) in z[1..].iter_mut().zip(&cur) {
                let one = ((r >> level) & 1) as usize;
                count += 1 - one as u32;
                sum += if one == 0 { v } else { 0.0 };
                *slot = Prefix { count, sum };
                next[if one == 0 { lo } else { hi }] = (r, v);
                lo += 1 - one;
                hi += one;
            }
            std::mem::swap(&mut cur, &mut next);
            levels.push(z);
            n_zeros.push(count as usize);
        }
        Ok(L1 {
            total: prefix(x, |_, v| v),
            sorted,
            rank,
            order,
            levels,
            n_zeros,
        })
    }

    /// The `k`-th smallest value (0-based) of `x[start..end]` and the sum of the `k` values
    /// before it in sorted order (`k < end - start`).
    pub(crate) fn order_stat(&self, start: usize, end: usize, k: usize) -> (f64, f64) {
        let (rank, before) = self.order_rank(start, end, k);
        (self.sorted.get(rank).copied().unwrap_or(f64::NAN), before)
    }

    /// The global rank of the `k`-th smallest value of `x[start..end]`, and the sum of the `k`
    /// values before it.
    pub(crate) fn order_rank(
        &self,
        mut start: usize,
        mut end: usize,
        mut k: usize,
    ) -> (usize, f64) {
        let mut acc = 0.0;
        let mut rank = 0usize;
        let bits = self.levels.len();
        for (level, z) in self.levels.iter().enumerate() {
            let (pl, pr) = (z[start], z[end]);
            let (zl, zr) = (pl.count as usize, pr.count as usize);
            let here = zr - zl;
            if k < here {
                start = zl;
                end = zr;
            } else {
                acc += pr.sum - pl.sum;
                k -= here;
                start = self.n_zeros[level] + (start - zl);
                end = self.n_zeros[level] + (end - zr);
                rank |= 1 << (bits - 1 - level);
            }
        }
        (rank, acc)
    }

    /// Count and sum of the values of `x[start..end]` whose global rank is below `r`.
    fn below_rank(&self, mut start: usize, mut end: usize, r: usize) -> (usize, f64) {
        if r >= self.sorted.len() {
            return (end - start, self.total[end] - self.total[start]);
        }
        let bits = self.levels.len();
        let (mut count, mut sum) = (0usize, 0.0);
        for (level, z) in self.levels.iter().enumerate() {
            let (pl, pr) = (z[start], z[end]);
            let (zl, zr) = (pl.count as usize, pr.count as usize);
            if (r >> (bits - 1 - level)) & 1 == 1 {
                count += zr - zl;
                sum += pr.sum - pl.sum;
                start = self.n_zeros[level] + (start - zl);
                end = self.n_zeros[level] + (end - zr);
            } else {
                start = zl;
                end = zr;
            }
        }
        (count, sum)
    }

    /// `g(θ_r)` at the value of global rank `r` (`θ_r = sorted[r]`, any rank, in the segment or
    /// not), from the count `c` and sum `s` of the segment's values of rank below `r`.
    #[inline]
    fn g_from(&self, start: usize, end: usize, r: usize, c: usize, s: f64) -> f64 {
        let theta = self.sorted[r];
        let (m, total) = ((end - start) as f64, self.total[end] - self.total[start]);
        let c = c as f64;
        ((c * theta - s) + (total - s - (m - c) * theta)).max(0.0)
    }

    /// `(θ_r, g(θ_r))` at global rank `r < n` (one pass).
    pub(crate) fn abs_dev_at_rank(&self, start: usize, end: usize, r: usize) -> (f64, f64) {
        let (c, s) = self.below_rank(start, end, r);
        (self.sorted[r], self.g_from(start, end, r, c, s))
    }

    /// The largest global rank `r < n` with `keep(r, g(θ_r))` true, for a `keep` that is true
    /// up to some rank and false after it (`None` when false at rank 0): binary lifting down the
    /// wavelet matrix, one pass for the whole search instead of one per probe. Also returns
    /// `g(θ_r)` and `g(θ_{r+1})` (`None` for `r = n - 1`), so that the crossing between the two
    /// needs no further descent.
    pub(crate) fn last_rank(
        &self,
        mut start: usize,
        mut end: usize,
        keep: impl Fn(usize, f64) -> bool,
    ) -> Option<(usize, f64, Option<f64>)> {
        let (a, e) = (start, end);
        let n = self.sorted.len();
        if !keep(0, self.g_from(a, e, 0, 0, 0.0)) {
            return None;
        }
        let bits = self.levels.len();
        let (mut r, mut count, mut sum) = (0usize, 0usize, 0.0);
        for (level, z) in self.levels.iter().enumerate() {
            let (pl, pr) = (z[start], z[end]);
            let (zl, zr) = (pl.count as usize, pr.count as usize);
            let probe = r | (1 << (bits - 1 - level));
            let (c, s) = (count + (zr - zl), sum + (pr.sum - pl.sum));
            if probe < n && keep(probe, self.g_from(a, e, probe, c, s)) {
                r = probe;
                count = c;
                sum = s;
                start = self.n_zeros[level] + (start - zl);
                end = self.n_zeros[level] + (end - zr);
            } else {
                start = zl;
                end = zr;
            }
        }
        let g = self.g_from(a, e, r, count, sum);
        let g_next = (r + 1 < n).then(|| {
            // The sample of rank r is below rank r + 1 when it lies in the segment.
            if (a..e).contains(&(self.order[r] as usize)) {
                self.g_from(a, e, r + 1, count + 1, sum + self.sorted[r])
            } else {
                self.g_from(a, e, r + 1, count, sum)
            }
        });
        Some((r, g, g_next))
    }

    /// Global rank of each sample (unique: ties broken by position).
    pub(crate) fn ranks(&self) -> &[u32] {
        &self.rank
    }

    /// Position of the sample of each global rank.
    pub(crate) fn positions(&self) -> &[u32] {
        &self.order
    }

    /// The value of global rank `r`.
    #[inline]
    pub(crate) fn value(&self, r: usize) -> f64 {
        self.sorted[r]
    }

    /// Sum of `x[start..end]`.
    pub(crate) fn sum(&self, start: usize, end: usize) -> f64 {
        self.total[end] - self.total[start]
    }

    /// `g` at the `k`-th smallest value `v_k` (0-based) of the segment, and `v_k`.
    pub(crate) fn abs_dev_at_order(&self, start: usize, end: usize, k: usize) -> (f64, f64) {
        let m = end - start;
        let total = self.total[end] - self.total[start];
        let (v, before) = self.order_stat(start, end, k);
        let g = (k as f64 * v - before) + (total - before - (m - k) as f64 * v);
        (g.max(0.0), v)
    }
}

impl Cost for L1 {
    fn len(&self) -> usize {
        self.total.len() - 1
    }

    /// `g` at the lower median `v_k`, `k = ⌊(m - 1)/2⌋`: one pass over the wavelet matrix
    /// (the order statistic and the sum below it together).
    fn cost(&self, start: usize, end: usize) -> f64 {
        self.abs_dev_at_order(start, end, (end - start - 1) / 2).0
    }

    fn min_size(&self) -> usize {
        2
    }

    fn units(&self) -> Units {
        Units::AbsoluteDeviation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    #[test]
    fn matches_brute_force_on_every_segment() {
        let mut rng = Rng::new(7);
        for n in [1usize, 2, 3, 5, 8, 17, 33] {
            // Small integers: many ties.
            let x: Vec<f64> = (0..n).map(|_| rng.below(5) as f64 - 2.0).collect();
            let cost = L1::new(&x).unwrap_or_else(|e| panic!("{e}"));
            for (i, &r) in cost.ranks().iter().enumerate() {
                assert_eq!(cost.value(r as usize), x[i]);
                assert_eq!(cost.positions()[r as usize] as usize, i);
            }
            for a in 0..n {
                for b in a + 1..=n {
                    let mut s = x[a..b].to_vec();
                    s.sort_by(f64::total_cmp);
                    let med = s[(b - a) / 2];
                    let want: f64 = s.iter().map(|v| (v - med).abs()).sum();
                    assert!((cost.cost(a, b) - want).abs() < 1e-9, "n={n} [{a},{b})");
                    for (k, &v) in s.iter().enumerate() {
                        let (g, at) = cost.abs_dev_at_order(a, b, k);
                        let direct: f64 = s.iter().map(|w| (w - v).abs()).sum();
                        assert!(
                            at == v && (g - direct).abs() < 1e-9,
                            "n={n} [{a},{b}) k={k}"
                        );
                    }
                    let mut all = x.clone();
                    all.sort_by(f64::total_cmp);
                    let direct = |theta: f64| -> f64 { s.iter().map(|w| (w - theta).abs()).sum() };
                    for (r, &v) in all.iter().enumerate() {
                        let (at, g) = cost.abs_dev_at_rank(a, b, r);
                        assert!(at == v && (g - direct(v)).abs() < 1e-9, "rank {r}");
                    }
                    // The descent against a scan, for bounds on g left of the segment's median
                    // (where g does not increase with the rank).
                    for bound in [0.5, 2.0, 5.0] {
                        let mid = cost.order_rank(a, b, (b - a - 1) / 2).0;
                        let keep = |r: usize, g: f64| r < mid && g > bound;
                        let scan = (0..n).take_while(|&r| keep(r, direct(all[r]))).last();
                        let found = cost.last_rank(a, b, keep);
                        assert_eq!(found.map(|f| f.0), scan, "bound {bound}");
                        if let Some((r, g, g_next)) = found {
                            assert!((g - direct(all[r])).abs() < 1e-9);
                            match g_next {
                                Some(g1) => assert!((g1 - direct(all[r + 1])).abs() < 1e-9),
                                None => assert_eq!(r + 1, n),
                            }
                        }
                    }
                }
            }
        }
    }
}
