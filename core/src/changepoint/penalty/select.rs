//! Order statistics of long slices: a radix histogram of the values' order-preserving bit
//! keys, then a selection among the few values of the buckets that hold the ranks asked for.
//!
//! The values are exactly those of `select_nth_unstable_by(k, f64::total_cmp)` on the whole
//! slice (the same total order), in two streaming passes (count, gather) instead of the
//! repeated partitions of a selection over all values; short slices are selected in place.

/// Slices shorter than this are selected in place (the histogram's 256 KiB would dominate).
const RADIX_MIN: usize = 1 << 14;

/// Bits of the key that index the histogram (sign, exponent and 4 mantissa bits: 16 buckets
/// per binade).
const BITS: u32 = 16;

/// A `u64` whose unsigned order is `f64::total_cmp`'s.
fn key(v: f64) -> u64 {
    let b = v.to_bits();
    // Negative values: all bits flipped; others: the sign bit set (without a branch).
    b ^ (((b as i64 >> 63) as u64) | (1 << 63))
}

/// The order statistics at `ranks` (0-based, ascending, each below `d.len()`) of `d` under
/// `f64::total_cmp`, in the order of `ranks`. `d` may be reordered.
pub(crate) fn order_statistics(d: &mut [f64], ranks: &[usize]) -> Vec<f64> {
    debug_assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
    debug_assert!(ranks.last().map_or(true, |&r| r < d.len()));
    let mut out = vec![0.0; ranks.len()];
    if d.len() < RADIX_MIN {
        select_into(d, 0, ranks, &mut out);
        return out;
    }
    let bucket = |v: f64| (key(v) >> (64 - BITS)) as usize;
    // A fixed-size table: the bucket index needs no bounds check.
    let mut table = vec![0u32; 1 << BITS];
    let Ok(counts) = <&mut [u32; 1 << BITS]>::try_from(table.as_mut_slice()) else {
        select_into(d, 0, ranks, &mut out);
        return out;
    };
    for &v in d.iter() {
        counts[bucket(v)] += 1;
    }
    // The bucket of each rank and the rank of the bucket's first value.
    let mut targets: Vec<(usize, usize)> = Vec::with_capacity(ranks.len());
    let (mut below, mut r) = (0usize, 0usize);
    for (b, &c) in counts.iter().enumerate() {
        let upto = below + c as usize;
        while r < ranks.len() && ranks[r] < upto {
            targets.push((b, below));
            r += 1;
        }
        if r == ranks.len() {
            break;
        }
        below = upto;
    }
    let mut buckets = targets.clone();
    buckets.dedup();
    // Mark the buckets held (counts < 2³¹: slices shorter than that).
    const HELD: u32 = 1 << 31;
    for &(b, _) in &buckets {
        counts[b] |= HELD;
    }
    let mut members: Vec<Vec<f64>> = buckets
        .iter()
        .map(|&(b, _)| Vec::with_capacity((counts[b] & !HELD) as usize))
        .collect();
    if let [(only, _)] = buckets[..] {
        let held = &mut members[0];
        for &v in d.iter() {
            if bucket(v) == only {
                held.push(v);
            }
        }
    } else {
        for &v in d.iter() {
            let b = bucket(v);
            if counts[b] & HELD != 0 {
                if let Some(i) = buckets.iter().position(|&(h, _)| h == b) {
                    members[i].push(v);
                }
            }
        }
    }
    // Each bucket's ranks, selected among its values.
    let mut start = 0;
    for (i, &(b, below)) in buckets.iter().enumerate() {
        let end = start + targets[start..].iter().take_while(|t| t.0 == b).count();
        let local: Vec<usize> = ranks[start..end].iter().map(|&k| k - below).collect();
        select_into(&mut members[i], 0, &local, &mut out[start..end]);
        start = end;
    }
    out
}

/// Selects `ranks` (ascending, relative to `offset`, the rank of `d[0]`) by divide and
/// conquer: the middle rank over all of `d`, the lower ranks in the part below it, the upper
/// in the part above.
fn select_into(d: &mut [f64], offset: usize, ranks: &[usize], out: &mut [f64]) {
    if ranks.is_empty() {
        return;
    }
    let mid = ranks.len() / 2;
    let k = ranks[mid] - offset;
    let (lower, v, upper) = d.select_nth_unstable_by(k, f64::total_cmp);
    let v = *v;
    let (out_lower, out_upper) = out.split_at_mut(mid);
    out_upper[0] = v;
    // Repeated ranks take the same value.
    let same_below = ranks[..mid]
        .iter()
        .rev()
        .take_while(|&&r| r == ranks[mid])
        .count();
    let same_above = ranks[mid + 1..]
        .iter()
        .take_while(|&&r| r == ranks[mid])
        .count();
    let lower_end = mid - same_below;
    out_lower[lower_end..].fill(v);
    out_upper[1..=same_above].fill(v);
    select_into(
        lower,
        offset,
        &ranks[..lower_end],
        &mut out_lower[..lower_end],
    );
    select_into(
        upper,
        offset + k + 1,
        &ranks[mid + 1 + same_above..],
        &mut out_upper[1 + same_above..],
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    /// The values of a full sort under `total_cmp`, for short and long slices, ties, signed
    /// zeros, infinities and values piled in one bucket.
    #[test]
    fn order_statistics_match_sorting() {
        let mut rng = Rng::new(9);
        let cases: Vec<Vec<f64>> = vec![
            (0..7).map(|_| rng.normal()).collect(),
            (0..40_001).map(|_| rng.normal()).collect(),
            (0..50_000).map(|_| (rng.normal() * 3.0).round()).collect(),
            (0..30_000)
                .map(|i| match i % 5 {
                    0 => 0.0,
                    1 => -0.0,
                    2 => f64::INFINITY,
                    3 => f64::NEG_INFINITY,
                    _ => rng.normal(),
                })
                .collect(),
            (0..20_000).map(|_| 1.0 + 1e-9 * rng.uniform()).collect(),
        ];
        for x in cases {
            let mut sorted = x.clone();
            sorted.sort_by(f64::total_cmp);
            let n = x.len();
            let ranks = [0, 0, 1, n / 4, n / 2 - 1, n / 2, n / 2, n - 2, n - 1];
            let ranks: Vec<usize> = ranks.iter().map(|&r| r.min(n - 1)).collect();
            let mut ranks = ranks;
            ranks.sort_unstable();
            let got = order_statistics(&mut x.clone(), &ranks);
            for (&r, g) in ranks.iter().zip(&got) {
                assert_eq!(g.to_bits(), sorted[r].to_bits(), "n {n} rank {r}");
            }
        }
    }
}
