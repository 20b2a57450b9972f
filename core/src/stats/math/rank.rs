//! Sort-once ranking with ties (average ranks, tie-group sizes), radix sort on f64 bit patterns.
//!
//! Every rank test in the crate (Mann–Whitney U, Wilcoxon signed-rank, …) needs the same three
//! things from one sort of the pooled data: the sum of the (average, "mid") ranks of each
//! sample, the tie-correction term `Σ (t³ − t)` over groups of tied values, and the group sizes.
//! This module computes them with a single O(n) radix sort:
//!
//! ```text
//! key(v)   = bits(v) XOR (sign(v) ? 0xFFFF_FFFF_FFFF_FFFF : 0x8000_0000_0000_0000)
//!            (order-preserving: a < b  ⇔  key(a) < key(b) for non-NaN a, b; −0.0 is
//!             mapped to +0.0 first so that they tie, as `==` says)
//! midrank  = (first + last) / 2 for a tie group occupying 1-based positions first..=last
//! R_g      = Σ_{i in sample g} midrank(i)          (kept exactly as the integer 2·R_g)
//! tie_term = Σ_groups (t³ − t)
//! ```
//!
//! The keys are sorted by an LSD radix sort (11-bit digits, constant-digit passes skipped)
//! carrying a one-byte sample tag, so the pooled sample of two inputs is sorted once and never
//! materialised as ranks. Small inputs fall back to a comparison sort. Ranks match
//! `scipy.stats.rankdata(method="average")`; rank sums are exact (integer arithmetic).

mod radix;

use serde::Serialize;

use crate::stats::check;
use crate::Result;

/// Order-preserving map of an `f64` to a `u64`: `a < b ⇔ key(a) < key(b)` for non-NaN values,
/// and `key(-0.0) == key(0.0)` (they compare equal, so they tie).
///
/// NaNs map above +∞ (positive sign bit clear) or below −∞ (sign bit set), as in
/// [`f64::total_cmp`]; the rank functions reject NaN before ranking.
#[inline]
pub fn key(v: f64) -> u64 {
    total_key(v + 0.0) // −0.0 + 0.0 == +0.0 under round-to-nearest
}

/// The [`f64::total_cmp`] order as a `u64` (−0.0 < +0.0).
#[inline]
fn total_key(v: f64) -> u64 {
    let bits = v.to_bits();
    let mask = (((bits as i64) >> 63) as u64) | (1 << 63);
    bits ^ mask
}

/// Inverse of [`total_key`].
#[inline]
fn from_total_key(k: u64) -> f64 {
    let mask = if k >> 63 == 1 { 1 << 63 } else { u64::MAX };
    f64::from_bits(k ^ mask)
}

/// Length from which [`sort_f64`] and the pooled rankers use two threads.
pub(crate) const PARALLEL_SORT: usize = radix::PARALLEL;

/// Sorts `x` ascending in the order of [`f64::total_cmp`] (−0.0 before +0.0, NaNs at the ends
/// by sign), in O(n) by radix sort of the bit patterns; comparison sort for small inputs.
pub fn sort_f64(x: &mut [f64]) {
    sort_f64_threads(x, x.len() >= radix::PARALLEL);
}

/// [`sort_f64`], on two threads if `threads` (callers that already run two sorts at once pass
/// `false`). The result does not depend on `threads`.
pub(crate) fn sort_f64_threads(x: &mut [f64], threads: bool) {
    if x.len() < radix::SMALL {
        x.sort_unstable_by(f64::total_cmp);
        return;
    }
    let mut keys: Vec<u64> = x.iter().map(|&v| total_key(v)).collect();
    radix::sort(&mut keys, threads);
    for (v, k) in x.iter_mut().zip(keys) {
        *v = from_total_key(k);
    }
}

/// Average ("mid") ranks of one sample, in input order, with tie information.
#[derive(Debug, Clone, Serialize)]
pub struct Ranks {
    /// 1-based average rank of each value, in the order of the input.
    pub ranks: Vec<f64>,
    /// `Σ (t³ − t)` over groups of `t` tied values (0 without ties).
    pub tie_term: f64,
    /// Whether any two values tie.
    pub has_ties: bool,
}

/// Average ranks of `x` (as `scipy.stats.rankdata(x, method="average")`), with the tie term.
///
/// # Errors
/// [`crate::Error::NonFinite`] naming the first NaN or ±∞ (infinities would rank fine, but no
/// statistic built on these ranks accepts them).
pub fn midranks(x: &[f64]) -> Result<Ranks> {
    check::finite("x", x)?;
    let n = x.len();
    let mut keys: Vec<u64> = x.iter().map(|&v| key(v)).collect();
    let mut index: Vec<usize> = (0..n).collect();
    radix::sort_with_payload(&mut keys, &mut index);
    let mut ranks = vec![0.0; n];
    let mut tie_term: u128 = 0;
    let mut i = 0;
    while i < n {
        let j = group_end(&keys, i);
        let t = j - i;
        let mid = (2 * i + t + 1) as f64 / 2.0;
        for &orig in &index[i..j] {
            ranks[orig] = mid;
        }
        let t = t as u128;
        tie_term += t * t * t - t;
        i = j;
    }
    Ok(Ranks {
        ranks,
        tie_term: tie_term as f64,
        has_ties: tie_term > 0,
    })
}

/// What the two-sample rank tests need from the pooled ranking of `x` and `y`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PooledRanks {
    /// Size of `x`.
    pub n_x: usize,
    /// Size of `y`.
    pub n_y: usize,
    /// Sum of the average ranks of `x`'s values within the pooled sample (exact: an integer or
    /// half-integer).
    pub rank_sum_x: f64,
    /// `Σ (t³ − t)` over groups of `t` tied values in the pooled sample.
    pub tie_term: f64,
    /// Whether any two pooled values tie.
    pub has_ties: bool,
}

/// Ranks `x` and `y` together with one O(n) sort and returns the rank sum of `x`, the tie term
/// and the sizes, without materialising the ranks.
///
/// # Errors
/// [`crate::Error::NonFinite`] naming the sample (`"x"` or `"y"`) and index of the first NaN
/// or ±∞.
pub fn pooled(x: &[f64], y: &[f64]) -> Result<PooledRanks> {
    let (n_x, n_y) = (x.len(), y.len());
    let mut keys = Vec::with_capacity(n_x + n_y);
    // The finiteness check rides on the key pass; the checks name the culprit only on failure.
    let mut non_finite = false;
    let mut key_of = |&v: &f64| {
        non_finite |= !v.is_finite();
        key(v)
    };
    keys.extend(x.iter().map(&mut key_of));
    keys.extend(y.iter().map(&mut key_of));
    if non_finite {
        check::finite("x", x)?;
        check::finite("y", y)?;
    }
    let mut tags = vec![0u8; n_x];
    tags.resize(n_x + n_y, 1);
    let sums = tagged_rank_sums(&mut keys, &mut tags);
    Ok(PooledRanks {
        n_x,
        n_y,
        rank_sum_x: sums.doubled[0] as f64 / 2.0,
        tie_term: sums.tie_term as f64,
        has_ties: sums.tie_term > 0,
    })
}

/// Exact result of ranking tagged keys: twice the rank sum of each tag (0, 1, 2) and the tie
/// term, as integers.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TaggedSums {
    /// `2 · Σ midrank` over the values with tag `g`.
    pub doubled: [u128; 3],
    /// `Σ (t³ − t)` over tie groups.
    pub tie_term: u128,
}

/// Sorts `keys` (carrying `tags` ∈ {0, 1, 2}) and sums the midranks per tag.
///
/// From [`radix::PARALLEL`] keys on, the sort and the summing pass each run on two threads;
/// the sums are exact integers, so the result does not depend on how the work is split.
pub(crate) fn tagged_rank_sums(keys: &mut [u64], tags: &mut [u8]) -> TaggedSums {
    radix::sort_with_payload(keys, tags);
    let n = keys.len().min(tags.len());
    let (keys, tags) = (&keys[..n], &tags[..n]);
    if n < radix::PARALLEL {
        return range_sums(keys, tags, 0);
    }
    // Cut at a tie-group boundary near the middle.
    let mut cut = n / 2;
    while cut < n && keys[cut] == keys[cut - 1] {
        cut += 1;
    }
    let (lo, hi) = std::thread::scope(|s| {
        let hi = s.spawn(|| range_sums(&keys[cut..], &tags[cut..], cut));
        let lo = range_sums(&keys[..cut], &tags[..cut], 0);
        (lo, hi.join())
    });
    match hi {
        Ok(hi) => TaggedSums {
            doubled: [0, 1, 2].map(|g| lo.doubled[g] + hi.doubled[g]),
            tie_term: lo.tie_term + hi.tie_term,
        },
        // Unreachable (the summing loop does not panic); recompute on this thread.
        Err(_) => range_sums(keys, tags, 0),
    }
}

/// Midrank sums per tag and tie term of sorted `keys` that start with a whole tie group and
/// sit at 0-based position `offset` of the full sorted sample.
fn range_sums(keys: &[u64], tags: &[u8], offset: usize) -> TaggedSums {
    let n = keys.len().min(tags.len());
    let mut out = TaggedSums::default();
    let mut i = 0;
    while i < n {
        let j = group_end(keys, i);
        let t = (j - i) as u128;
        let doubled = 2 * (offset + i) as u128 + t + 1;
        if t == 1 {
            out.doubled[usize::from(tags[i]) % 3] += doubled;
        } else {
            let mut count = [0u128; 3];
            for &g in &tags[i..j] {
                count[usize::from(g) % 3] += 1;
            }
            for (s, c) in out.doubled.iter_mut().zip(count) {
                *s += c * doubled;
            }
            out.tie_term += t * t * t - t;
        }
        i = j;
    }
    out
}

/// One group of tied values in a sorted, tagged sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TieGroup {
    /// Twice the midrank of the group (an integer).
    pub doubled_rank: u64,
    /// How many values of each tag the group holds.
    pub count: [usize; 3],
}

/// The tie groups of keys already sorted by [`tagged_rank_sums`], in rank order.
pub(crate) fn tie_groups(sorted_keys: &[u64], tags: &[u8]) -> Vec<TieGroup> {
    let n = sorted_keys.len().min(tags.len());
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let j = group_end(&sorted_keys[..n], i);
        let mut count = [0usize; 3];
        for &g in &tags[i..j] {
            count[usize::from(g) % 3] += 1;
        }
        out.push(TieGroup {
            doubled_rank: (i + j + 1) as u64,
            count,
        });
        i = j;
    }
    out
}

/// End (exclusive) of the run of keys equal to `keys[start]`.
#[inline]
fn group_end(keys: &[u64], start: usize) -> usize {
    let k = keys[start];
    let mut j = start + 1;
    while j < keys.len() && keys[j] == k {
        j += 1;
    }
    j
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Naive O(n²) average ranks: 1 + #{less} + (#{equal} − 1) / 2.
    fn naive_ranks(x: &[f64]) -> (Vec<f64>, f64) {
        let ranks = x
            .iter()
            .map(|&v| {
                let less = x.iter().filter(|&&w| w < v).count() as f64;
                let equal = x.iter().filter(|&&w| w == v).count() as f64;
                1.0 + less + (equal - 1.0) / 2.0
            })
            .collect();
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mut tie = 0.0;
        let mut i = 0;
        while i < sorted.len() {
            let mut j = i + 1;
            while j < sorted.len() && sorted[j] == sorted[i] {
                j += 1;
            }
            let t = (j - i) as f64;
            tie += t * t * t - t;
            i = j;
        }
        (ranks, tie)
    }

    /// Values with many ties, both signs, both zeros, and large magnitudes.
    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            (-5i32..5).prop_map(f64::from),
            Just(-0.0),
            Just(0.0),
            -1e300..1e300f64,
            -1.0..1.0f64,
            Just(f64::MIN_POSITIVE),
            Just(-f64::MIN_POSITIVE),
            Just(5e-324),
        ]
    }

    proptest! {
        #[test]
        fn sort_matches_total_cmp(mut x in proptest::collection::vec(any::<f64>(), 0..2000)) {
            let mut expected = x.clone();
            expected.sort_by(f64::total_cmp);
            sort_f64(&mut x);
            let bits: Vec<u64> = x.iter().map(|v| v.to_bits()).collect();
            let expected: Vec<u64> = expected.iter().map(|v| v.to_bits()).collect();
            prop_assert_eq!(bits, expected);
        }

        #[test]
        fn midranks_match_naive(x in proptest::collection::vec(value(), 0..1500)) {
            let r = midranks(&x).unwrap();
            let (expected, tie) = naive_ranks(&x);
            prop_assert_eq!(&r.ranks, &expected);
            prop_assert_eq!(r.tie_term, tie);
            prop_assert_eq!(r.has_ties, tie > 0.0);
        }

        #[test]
        fn pooled_matches_naive(
            x in proptest::collection::vec(value(), 0..900),
            y in proptest::collection::vec(value(), 0..900),
        ) {
            let p = pooled(&x, &y).unwrap();
            let all: Vec<f64> = x.iter().chain(y.iter()).copied().collect();
            let (ranks, tie) = naive_ranks(&all);
            let sum_x: f64 = ranks[..x.len()].iter().sum();
            prop_assert_eq!(p.rank_sum_x, sum_x);
            prop_assert_eq!(p.tie_term, tie);
            prop_assert_eq!((p.n_x, p.n_y), (x.len(), y.len()));
        }
    }

    #[test]
    fn key_orders_and_ties_zeros() {
        let v = [
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -5e-324,
            0.0,
            5e-324,
            1.0,
            1e300,
            f64::INFINITY,
        ];
        for w in v.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{w:?}");
        }
        assert_eq!(key(-0.0), key(0.0));
        for &x in &v {
            assert_eq!(from_total_key(total_key(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn rankdata_example() {
        // scipy.stats.rankdata([3, 2, 1, 2, 2, 2, 1]) == [7, 4.5, 1.5, 4.5, 4.5, 4.5, 1.5]
        let r = midranks(&[3.0, 2.0, 1.0, 2.0, 2.0, 2.0, 1.0]).unwrap();
        assert_eq!(r.ranks, vec![7.0, 4.5, 1.5, 4.5, 4.5, 4.5, 1.5]);
        assert_eq!(r.tie_term, 6.0 + 60.0);
    }

    #[test]
    fn rejects_nan_with_index() {
        let err = pooled(&[1.0, 2.0], &[0.0, 3.0, f64::NAN]).unwrap_err();
        assert!(matches!(
            err,
            crate::Error::NonFinite {
                what: "y",
                index: 2,
                ..
            }
        ));
        assert!(midranks(&[f64::NAN]).is_err());
    }

    #[test]
    fn threads_do_not_change_results() {
        let mut rng = crate::stats::rng::Rng::new(9);
        for n in [radix::PARALLEL, 3 * radix::PARALLEL + 7] {
            let x: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
            let ties: Vec<f64> = x.iter().map(|v| (v * 3.0).round()).collect();
            for data in [&x, &ties] {
                let (mut a, mut b) = (data.clone(), data.clone());
                sort_f64_threads(&mut a, true);
                sort_f64_threads(&mut b, false);
                let bits = |v: &[f64]| v.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&a), bits(&b));
                let mut keys: Vec<u64> = data.iter().map(|&v| key(v)).collect();
                let mut tags: Vec<u8> = (0..n).map(|i| (i % 3) as u8).collect();
                let par = tagged_rank_sums(&mut keys, &mut tags);
                let serial = range_sums(&keys, &tags, 0);
                assert_eq!(par.doubled, serial.doubled);
                assert_eq!(par.tie_term, serial.tie_term);
            }
        }
    }

    #[test]
    fn empty_is_fine() {
        let p = pooled(&[], &[]).unwrap();
        assert_eq!(p.rank_sum_x, 0.0);
        assert!(midranks(&[]).unwrap().ranks.is_empty());
    }
}
