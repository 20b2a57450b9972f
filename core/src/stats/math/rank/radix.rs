//! Radix sort of `u64` keys carrying a payload: most-significant-digit first, adaptive digits.
//!
//! Only `b = bits(max − min)` bits of the keys vary, and `n` distinct keys are told apart by
//! about `log₂ n` of them, so an MSD sort that stops splitting once a bucket is small touches
//! the data ~3 times where an LSD sort of 64-bit keys needs 6 passes over memory:
//!
//! ```text
//! digit(k) = ((k − min) >> shift) & (2^w − 1),   w = clamp(log₂(bucket size) − 2, 4, 11)
//! ```
//!
//! The digit is taken from the top of each bucket's own range (`min`, `max` recomputed per
//! bucket), so low-entropy bits (sign, exponent of same-binade data, shared high bits of
//! integer data) never cost a pass. Each level scatters a bucket between the input and one
//! scratch buffer (ping-pong, stable); buckets of at most 48 keys finish with insertion sort.
//! After the first level the buckets fit in cache. A level's counters are reused by its
//! siblings; beyond 7 levels (keys spaced so that each level splits off few bits) a bucket
//! falls back to a stable comparison sort.
//!
//! Inputs of at least [`PARALLEL`] keys split the first level's buckets into two halves of
//! about equal size and finish them on two threads (`std::thread::scope`). The sort is stable,
//! so its output is uniquely determined and identical to the single-threaded result.

/// Below this length a comparison sort of (key, payload) pairs is used directly.
pub(crate) const SMALL: usize = 256;
/// From this length on, the buckets of the first level are finished on two threads.
pub(crate) const PARALLEL: usize = 50_000;
/// Buckets up to this size finish with insertion sort.
const INSERTION: usize = 48;
/// Widest digit.
const MAX_WIDTH: u32 = 11;
/// Counters per recursion level.
const LEVEL: usize = 1 << MAX_WIDTH;
/// Radix levels with their own counters (112 KiB, below glibc's mmap threshold); deeper
/// buckets fall back to a comparison sort. Typical data need 2–3 levels.
const MAX_DEPTH: usize = 7;

/// Sorts `keys` ascending and applies the same permutation to `payload` (stable).
///
/// `payload` must have the same length as `keys` (callers in this crate guarantee it; only the
/// common prefix is sorted otherwise).
pub(crate) fn sort_with_payload<T: Copy + Default + Send>(keys: &mut [u64], payload: &mut [T]) {
    let threads = keys.len() >= PARALLEL;
    sort_with_payload_threads(keys, payload, threads);
}

/// [`sort_with_payload`], on two threads if `threads` (and the input is not small).
pub(crate) fn sort_with_payload_threads<T: Copy + Default + Send>(
    keys: &mut [u64],
    payload: &mut [T],
    threads: bool,
) {
    let n = keys.len().min(payload.len());
    let (keys, payload) = (&mut keys[..n], &mut payload[..n]);
    if n < SMALL {
        sort_pairs(keys, payload);
        return;
    }
    let mut tmp_keys = vec![0u64; n];
    let mut tmp_payload = vec![T::default(); n];
    let mut counts = vec![0usize; LEVEL * MAX_DEPTH];
    if threads && n > INSERTION {
        in_place_parallel(keys, payload, &mut tmp_keys, &mut tmp_payload, &mut counts);
    } else {
        in_place(keys, payload, &mut tmp_keys, &mut tmp_payload, &mut counts);
    }
}

/// Stable comparison sort of (key, payload) pairs: small inputs, and buckets deeper than the
/// counter stack (which needs pathological key spacing, each level splitting off few bits).
fn sort_pairs<T: Copy>(keys: &mut [u64], payload: &mut [T]) {
    let mut pairs: Vec<(u64, T)> = keys.iter().copied().zip(payload.iter().copied()).collect();
    pairs.sort_by_key(|p| p.0);
    for ((k, p), (key, pay)) in keys.iter_mut().zip(payload.iter_mut()).zip(pairs) {
        *k = key;
        *p = pay;
    }
}

/// Sorts `keys` ascending (no payload), on two threads if `threads`.
pub(crate) fn sort(keys: &mut [u64], threads: bool) {
    let mut unit = vec![(); keys.len()];
    sort_with_payload_threads(keys, &mut unit, threads);
}

#[inline]
fn width(n: usize) -> u32 {
    (usize::BITS - n.leading_zeros())
        .saturating_sub(2)
        .clamp(4, MAX_WIDTH)
}

/// Smallest and largest key.
fn min_max(keys: &[u64]) -> (u64, u64) {
    keys.iter()
        .fold((u64::MAX, 0), |(lo, hi), &k| (lo.min(k), hi.max(k)))
}

/// The digit to split `keys` on: `(min, shift, width)` covering the top bits of the bucket's
/// own range `max − min`, or `None` when all keys are equal.
fn plan(keys: &[u64]) -> Option<(u64, u32, u32)> {
    let (min, max) = min_max(keys);
    let bits = u64::BITS - (max - min).leading_zeros();
    if bits == 0 {
        return None;
    }
    let w = width(keys.len()).min(bits);
    Some((min, bits - w, w))
}

/// Sorts `a` using `b` as scratch; the result ends in `a`.
fn in_place<T: Copy>(
    ak: &mut [u64],
    ap: &mut [T],
    bk: &mut [u64],
    bp: &mut [T],
    counts: &mut [usize],
) {
    if ak.len() <= INSERTION {
        insertion(ak, ap);
        return;
    }
    if counts.len() < LEVEL {
        sort_pairs(ak, ap);
        return;
    }
    let Some((min, shift, w)) = plan(ak) else {
        return;
    };
    let (mine, rest) = counts.split_at_mut(LEVEL.min(counts.len()));
    let mine = &mut mine[..1 << w];
    histogram(ak, min, shift, mine);
    scatter(ak, ap, bk, bp, min, shift, mine);
    finish_buckets(bk, bp, ak, ap, mine, 0, rest);
}

/// [`in_place`] whose first-level buckets are finished on two threads: the buckets are cut
/// where the running total first reaches half the keys, and the second thread gets its own
/// counter stack (as deep as the first thread's, so both take the same fallbacks).
fn in_place_parallel<T: Copy + Send>(
    ak: &mut [u64],
    ap: &mut [T],
    bk: &mut [u64],
    bp: &mut [T],
    counts: &mut [usize],
) {
    let Some((min, shift, w)) = plan(ak) else {
        return;
    };
    let (mine, rest) = counts.split_at_mut(LEVEL.min(counts.len()));
    let mine = &mut mine[..1 << w];
    histogram(ak, min, shift, mine);
    scatter(ak, ap, bk, bp, min, shift, mine);
    let n = ak.len();
    let split = mine
        .iter()
        .position(|&end| 2 * end >= n)
        .map_or(0, |i| i + 1);
    let (ends_lo, ends_hi) = mine.split_at(split);
    let cut = ends_lo.last().copied().unwrap_or(0);
    let (ak_lo, ak_hi) = ak.split_at_mut(cut);
    let (ap_lo, ap_hi) = ap.split_at_mut(cut);
    let (bk_lo, bk_hi) = bk.split_at_mut(cut);
    let (bp_lo, bp_hi) = bp.split_at_mut(cut);
    let mut counts_hi = vec![0usize; rest.len()];
    std::thread::scope(|s| {
        s.spawn(|| finish_buckets(bk_hi, bp_hi, ak_hi, ap_hi, ends_hi, cut, &mut counts_hi));
        finish_buckets(bk_lo, bp_lo, ak_lo, ap_lo, ends_lo, 0, rest);
    });
}

/// Sorts each bucket of `s` into `d`; `ends` are the buckets' ends, offset by `base`.
fn finish_buckets<T: Copy>(
    sk: &mut [u64],
    sp: &mut [T],
    dk: &mut [u64],
    dp: &mut [T],
    ends: &[usize],
    base: usize,
    counts: &mut [usize],
) {
    let mut lo = 0;
    for &end in ends {
        let hi = end - base;
        if hi > lo {
            sort_into(
                &mut sk[lo..hi],
                &mut sp[lo..hi],
                &mut dk[lo..hi],
                &mut dp[lo..hi],
                counts,
            );
        }
        lo = hi;
    }
}

/// Sorts `s` into `d` (`s` is clobbered).
fn sort_into<T: Copy>(
    sk: &mut [u64],
    sp: &mut [T],
    dk: &mut [u64],
    dp: &mut [T],
    counts: &mut [usize],
) {
    if sk.len() <= INSERTION {
        insertion_into(sk, sp, dk, dp);
        return;
    }
    if counts.len() < LEVEL {
        dk.copy_from_slice(sk);
        dp.copy_from_slice(sp);
        sort_pairs(dk, dp);
        return;
    }
    let Some((min, shift, w)) = plan(sk) else {
        dk.copy_from_slice(sk);
        dp.copy_from_slice(sp);
        return;
    };
    let (mine, rest) = counts.split_at_mut(LEVEL.min(counts.len()));
    let mine = &mut mine[..1 << w];
    histogram(sk, min, shift, mine);
    scatter(sk, sp, dk, dp, min, shift, mine);
    let mut lo = 0;
    for &hi in mine.iter() {
        if hi > lo + 1 {
            in_place(
                &mut dk[lo..hi],
                &mut dp[lo..hi],
                &mut sk[lo..hi],
                &mut sp[lo..hi],
                rest,
            );
        }
        lo = hi;
    }
}

#[inline]
fn digit(k: u64, min: u64, shift: u32, buckets: usize) -> usize {
    (((k - min) >> shift) as usize) & (buckets - 1)
}

fn histogram(keys: &[u64], min: u64, shift: u32, counts: &mut [usize]) {
    counts.fill(0);
    let b = counts.len();
    for &k in keys {
        counts[digit(k, min, shift, b)] += 1;
    }
}

/// Stable scatter of `s` into `d` by digit; on return `counts[i]` is the end of bucket `i`.
fn scatter<T: Copy>(
    sk: &[u64],
    sp: &[T],
    dk: &mut [u64],
    dp: &mut [T],
    min: u64,
    shift: u32,
    counts: &mut [usize],
) {
    let mut sum = 0;
    for c in counts.iter_mut() {
        let start = sum;
        sum += *c;
        *c = start;
    }
    let b = counts.len();
    for (&k, &p) in sk.iter().zip(sp.iter()) {
        let d = digit(k, min, shift, b);
        let o = counts[d];
        dk[o] = k;
        dp[o] = p;
        counts[d] = o + 1;
    }
}

/// Insertion sort of `s` written into `d` (no separate copy pass).
fn insertion_into<T: Copy>(sk: &[u64], sp: &[T], dk: &mut [u64], dp: &mut [T]) {
    let n = sk.len().min(sp.len()).min(dk.len()).min(dp.len());
    for i in 0..n {
        let (key, pay) = (sk[i], sp[i]);
        let mut j = i;
        while j > 0 && dk[j - 1] > key {
            dk[j] = dk[j - 1];
            dp[j] = dp[j - 1];
            j -= 1;
        }
        dk[j] = key;
        dp[j] = pay;
    }
}

fn insertion<T: Copy>(k: &mut [u64], p: &mut [T]) {
    for i in 1..k.len().min(p.len()) {
        let (key, pay) = (k[i], p[i]);
        let mut j = i;
        while j > 0 && k[j - 1] > key {
            k[j] = k[j - 1];
            p[j] = p[j - 1];
            j -= 1;
        }
        k[j] = key;
        p[j] = pay;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    #[test]
    fn deep_buckets_fall_back_to_comparison_sort() {
        // 60 copies of each power of two: every level splits off only its top bits, so the
        // bucket of small keys goes deeper than the counter stack.
        let mut rng = Rng::new(5);
        let mut keys: Vec<u64> = (0..64).flat_map(|i| vec![1u64 << i; 60]).collect();
        rng.shuffle(&mut keys);
        let mut idx: Vec<usize> = (0..keys.len()).collect();
        let orig = keys.clone();
        sort_with_payload(&mut keys, &mut idx);
        let mut expected = orig.clone();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        for (k, &i) in keys.iter().zip(&idx) {
            assert_eq!(*k, orig[i]);
        }
    }

    #[test]
    fn sorts_with_payload_across_sizes_and_ranges() {
        let mut rng = Rng::new(11);
        for &n in &[0usize, 1, 47, 48, 49, 255, 256, 257, 1000, 5000, 70_000] {
            for range_bits in [1u32, 3, 12, 40, 64] {
                let mask = if range_bits == 64 {
                    u64::MAX
                } else {
                    (1 << range_bits) - 1
                };
                let mut keys: Vec<u64> = (0..n).map(|_| rng.next_u64() & mask).collect();
                let mut idx: Vec<usize> = (0..n).collect();
                let orig = keys.clone();
                sort_with_payload(&mut keys, &mut idx);
                assert!(
                    keys.windows(2).all(|w| w[0] <= w[1]),
                    "n={n} bits={range_bits}"
                );
                for (k, &i) in keys.iter().zip(&idx) {
                    assert_eq!(*k, orig[i]);
                }
                // Stable: equal keys keep input order.
                for w in keys.windows(2).zip(idx.windows(2)) {
                    if w.0[0] == w.0[1] {
                        assert!(w.1[0] < w.1[1]);
                    }
                }
            }
        }
    }
}
