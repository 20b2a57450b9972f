//! Laplace / least absolute deviation around the segment median.

use super::{check_signal, prefix, Cost, Units};
use crate::Result;

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
    /// Per level (most significant bit first): prefix counts of zero bits, length n + 1.
    zeros: Vec<Vec<u32>>,
    /// Per level: prefix sums of the values whose bit is zero, length n + 1.
    zero_sums: Vec<Vec<f64>>,
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
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
        let sorted: Vec<f64> = order.iter().map(|&i| x[i]).collect();
        let mut rank = vec![0usize; n];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        let rank32: Vec<u32> = rank.iter().map(|&r| r as u32).collect();
        let order32: Vec<u32> = order.iter().map(|&i| i as u32).collect();
        let bits = (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1) as usize;
        let mut zeros = Vec::with_capacity(bits);
        let mut zero_sums = Vec::with_capacity(bits);
        let mut n_zeros = Vec::with_capacity(bits);
        let mut cur = rank;
        let mut next = Vec::with_capacity(n);
        for level in (0..bits).rev() {
            let mut z = Vec::with_capacity(n + 1);
            let mut zs = Vec::with_capacity(n + 1);
            let (mut count, mut sum) = (0u32, 0.0);
            z.push(0);
            zs.push(0.0);
            for &r in &cur {
                if (r >> level) & 1 == 0 {
                    count += 1;
                    sum += sorted[r];
                }
                z.push(count);
                zs.push(sum);
            }
            next.clear();
            next.extend(cur.iter().filter(|&&r| (r >> level) & 1 == 0));
            next.extend(cur.iter().filter(|&&r| (r >> level) & 1 == 1));
            std::mem::swap(&mut cur, &mut next);
            zeros.push(z);
            zero_sums.push(zs);
            n_zeros.push(count as usize);
        }
        Ok(L1 {
            total: prefix(x, |_, v| v),
            sorted,
            rank: rank32,
            order: order32,
            zeros,
            zero_sums,
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
        let bits = self.zeros.len();
        for (level, (z, zs)) in self.zeros.iter().zip(&self.zero_sums).enumerate() {
            let (zl, zr) = (z[start] as usize, z[end] as usize);
            let here = zr - zl;
            if k < here {
                start = zl;
                end = zr;
            } else {
                acc += zs[end] - zs[start];
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
        let bits = self.zeros.len();
        let (mut count, mut sum) = (0usize, 0.0);
        for (level, (z, zs)) in self.zeros.iter().zip(&self.zero_sums).enumerate() {
            let (zl, zr) = (z[start] as usize, z[end] as usize);
            if (r >> (bits - 1 - level)) & 1 == 1 {
                count += zr - zl;
                sum += zs[end] - zs[start];
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
    /// wavelet matrix, one pass for the whole search instead of one per probe.
    pub(crate) fn last_rank(
        &self,
        mut start: usize,
        mut end: usize,
        keep: impl Fn(usize, f64) -> bool,
    ) -> Option<usize> {
        let (a, e) = (start, end);
        let n = self.sorted.len();
        if !keep(0, self.g_from(a, e, 0, 0, 0.0)) {
            return None;
        }
        let bits = self.zeros.len();
        let (mut r, mut count, mut sum) = (0usize, 0usize, 0.0);
        for (level, (z, zs)) in self.zeros.iter().zip(&self.zero_sums).enumerate() {
            let (zl, zr) = (z[start] as usize, z[end] as usize);
            let probe = r | (1 << (bits - 1 - level));
            let (c, s) = (count + (zr - zl), sum + (zs[end] - zs[start]));
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
        Some(r)
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
                        assert_eq!(cost.last_rank(a, b, keep), scan, "bound {bound}");
                    }
                }
            }
        }
    }
}
