//! LSD radix sort of `u64` keys carrying a payload, 11-bit digits.
//!
//! Six passes over 11-bit digits cover the 64-bit key; a pass whose digit is the same for every
//! key (common: sign and exponent bits of same-magnitude data, zero low bits of integer-valued
//! data) is skipped. All six histograms are built in one read of the keys. The scatter is
//! stable, so equal keys keep their input order (which the ranking does not need, but the
//! payload order is then deterministic).

/// Bits per digit.
const BITS: u32 = 11;
/// Buckets per pass.
const BUCKETS: usize = 1 << BITS;
/// Passes needed for 64-bit keys (6 × 11 = 66 ≥ 64).
const PASSES: usize = 6;
/// Below this length a comparison sort of (key, payload) pairs is faster than six passes.
pub(crate) const SMALL: usize = 512;

#[inline]
fn digit(key: u64, pass: usize) -> usize {
    ((key >> (pass as u32 * BITS)) & (BUCKETS as u64 - 1)) as usize
}

/// Sorts `keys` ascending and applies the same permutation to `payload`.
///
/// `payload` must have the same length as `keys` (callers in this crate guarantee it; a
/// shorter payload is a programming error and the extra keys are sorted without payload).
pub(crate) fn sort_with_payload<T: Copy + Default>(keys: &mut [u64], payload: &mut [T]) {
    let n = keys.len().min(payload.len());
    let (keys, payload) = (&mut keys[..n], &mut payload[..n]);
    if n < SMALL {
        let mut pairs: Vec<(u64, T)> = keys.iter().copied().zip(payload.iter().copied()).collect();
        pairs.sort_unstable_by_key(|p| p.0);
        for (i, (k, p)) in pairs.into_iter().enumerate() {
            keys[i] = k;
            payload[i] = p;
        }
        return;
    }

    let mut hist = vec![[0usize; BUCKETS]; PASSES];
    for &k in keys.iter() {
        for (pass, h) in hist.iter_mut().enumerate() {
            h[digit(k, pass)] += 1;
        }
    }

    let mut tmp_keys = vec![0u64; n];
    let mut tmp_payload = vec![T::default(); n];
    let mut in_tmp = false;
    let first = keys[0];
    for (pass, h) in hist.iter().enumerate() {
        if h[digit(first, pass)] == n {
            continue; // every key has this digit: the pass would be the identity
        }
        let mut offsets = [0usize; BUCKETS];
        let mut sum = 0;
        for (o, &c) in offsets.iter_mut().zip(h.iter()) {
            *o = sum;
            sum += c;
        }
        if in_tmp {
            scatter(&tmp_keys, &tmp_payload, keys, payload, pass, &mut offsets);
        } else {
            scatter(
                keys,
                payload,
                &mut tmp_keys,
                &mut tmp_payload,
                pass,
                &mut offsets,
            );
        }
        in_tmp = !in_tmp;
    }
    if in_tmp {
        keys.copy_from_slice(&tmp_keys);
        payload.copy_from_slice(&tmp_payload);
    }
}

/// Sorts `keys` ascending (no payload).
pub(crate) fn sort(keys: &mut [u64]) {
    let n = keys.len();
    if n < SMALL {
        keys.sort_unstable();
        return;
    }
    let mut hist = vec![[0usize; BUCKETS]; PASSES];
    for &k in keys.iter() {
        for (pass, h) in hist.iter_mut().enumerate() {
            h[digit(k, pass)] += 1;
        }
    }
    let mut tmp = vec![0u64; n];
    let mut in_tmp = false;
    let first = keys[0];
    for (pass, h) in hist.iter().enumerate() {
        if h[digit(first, pass)] == n {
            continue;
        }
        let mut offsets = [0usize; BUCKETS];
        let mut sum = 0;
        for (o, &c) in offsets.iter_mut().zip(h.iter()) {
            *o = sum;
            sum += c;
        }
        let (src, dst): (&[u64], &mut [u64]) = if in_tmp {
            (&tmp, keys)
        } else {
            (keys, &mut tmp)
        };
        for &k in src {
            let d = digit(k, pass);
            dst[offsets[d]] = k;
            offsets[d] += 1;
        }
        in_tmp = !in_tmp;
    }
    if in_tmp {
        keys.copy_from_slice(&tmp);
    }
}

#[inline]
fn scatter<T: Copy>(
    src_keys: &[u64],
    src_payload: &[T],
    dst_keys: &mut [u64],
    dst_payload: &mut [T],
    pass: usize,
    offsets: &mut [usize; BUCKETS],
) {
    for (&k, &p) in src_keys.iter().zip(src_payload.iter()) {
        let d = digit(k, pass);
        let o = offsets[d];
        dst_keys[o] = k;
        dst_payload[o] = p;
        offsets[d] = o + 1;
    }
}
