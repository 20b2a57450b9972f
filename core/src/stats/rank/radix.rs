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
//! Each level scatters a bucket between the input and one scratch buffer (ping-pong, stable);
//! a level where every key shares the digit is skipped without moving data (ties, integer
//! data); buckets of at most 48 keys finish with insertion sort. After the first level the
//! buckets fit in cache. Recursion depth is at most 64 / 4 = 16.

/// Below this length a comparison sort of (key, payload) pairs is used directly.
pub(crate) const SMALL: usize = 256;
/// Buckets up to this size finish with insertion sort.
const INSERTION: usize = 48;
/// Widest digit.
const MAX_WIDTH: u32 = 11;
/// Counters per recursion level.
const LEVEL: usize = 1 << MAX_WIDTH;
/// Deepest recursion (each level consumes at least 4 of the 64 bits).
const MAX_DEPTH: usize = 17;

/// Sorts `keys` ascending and applies the same permutation to `payload` (stable).
///
/// `payload` must have the same length as `keys` (callers in this crate guarantee it; only the
/// common prefix is sorted otherwise).
pub(crate) fn sort_with_payload<T: Copy + Default>(keys: &mut [u64], payload: &mut [T]) {
    let n = keys.len().min(payload.len());
    let (keys, payload) = (&mut keys[..n], &mut payload[..n]);
    if n < SMALL {
        let mut pairs: Vec<(u64, T)> = keys.iter().copied().zip(payload.iter().copied()).collect();
        pairs.sort_by_key(|p| p.0);
        for (i, (k, p)) in pairs.into_iter().enumerate() {
            keys[i] = k;
            payload[i] = p;
        }
        return;
    }
    let (mut min, mut max) = (u64::MAX, 0);
    for &k in keys.iter() {
        min = min.min(k);
        max = max.max(k);
    }
    let bits = u64::BITS - (max - min).leading_zeros();
    if bits == 0 {
        return;
    }
    let mut tmp_keys = vec![0u64; n];
    let mut tmp_payload = vec![T::default(); n];
    let mut counts = vec![0usize; LEVEL * MAX_DEPTH];
    let mut s = Sorter {
        min,
        counts: &mut counts,
    };
    s.in_place(keys, payload, &mut tmp_keys, &mut tmp_payload, bits);
}

/// Sorts `keys` ascending (no payload).
pub(crate) fn sort(keys: &mut [u64]) {
    let mut unit = vec![(); keys.len()];
    sort_with_payload(keys, &mut unit);
}

struct Sorter<'a> {
    min: u64,
    counts: &'a mut [usize],
}

#[inline]
fn width(n: usize) -> u32 {
    (usize::BITS - n.leading_zeros())
        .saturating_sub(2)
        .clamp(4, MAX_WIDTH)
}

impl Sorter<'_> {
    /// Sorts `a` using `b` as scratch; the result ends in `a`. `bits` low bits of `k − min`
    /// remain to be sorted on.
    fn in_place<T: Copy>(
        &mut self,
        ak: &mut [u64],
        ap: &mut [T],
        bk: &mut [u64],
        bp: &mut [T],
        bits: u32,
    ) {
        let n = ak.len();
        if n <= INSERTION {
            insertion(ak, ap);
            return;
        }
        let mut bits = bits;
        loop {
            if bits == 0 {
                return;
            }
            let w = width(n).min(bits);
            let shift = bits - w;
            let (counts, rest) = self.counts.split_at_mut(LEVEL);
            let counts = &mut counts[..1 << w];
            let min = self.min;
            histogram(ak, min, shift, counts);
            if counts[digit(ak[0], min, shift, counts.len())] == n {
                bits = shift; // every key shares this digit: go one digit deeper in place
                continue;
            }
            scatter(ak, ap, bk, bp, min, shift, counts);
            // `counts` now holds bucket ends.
            let ends: Vec<usize> = counts.to_vec();
            let mut child = Sorter { min, counts: rest };
            let mut lo = 0;
            for hi in ends {
                if hi > lo {
                    child.sort_into(
                        &mut bk[lo..hi],
                        &mut bp[lo..hi],
                        &mut ak[lo..hi],
                        &mut ap[lo..hi],
                        shift,
                    );
                }
                lo = hi;
            }
            return;
        }
    }

    /// Sorts `s` into `d` (`s` is clobbered).
    fn sort_into<T: Copy>(
        &mut self,
        sk: &mut [u64],
        sp: &mut [T],
        dk: &mut [u64],
        dp: &mut [T],
        bits: u32,
    ) {
        let n = sk.len();
        if n <= INSERTION || bits == 0 {
            dk.copy_from_slice(sk);
            dp.copy_from_slice(sp);
            if bits > 0 {
                insertion(dk, dp);
            }
            return;
        }
        let w = width(n).min(bits);
        let shift = bits - w;
        let (counts, rest) = self.counts.split_at_mut(LEVEL);
        let counts = &mut counts[..1 << w];
        let min = self.min;
        histogram(sk, min, shift, counts);
        scatter(sk, sp, dk, dp, min, shift, counts);
        let ends: Vec<usize> = counts.to_vec();
        let mut child = Sorter { min, counts: rest };
        let mut lo = 0;
        for hi in ends {
            if hi > lo + 1 {
                child.in_place(
                    &mut dk[lo..hi],
                    &mut dp[lo..hi],
                    &mut sk[lo..hi],
                    &mut sp[lo..hi],
                    shift,
                );
            }
            lo = hi;
        }
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
