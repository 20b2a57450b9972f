//! Seeded windows: a near-linear penalised search for the costs without functional pruning.

use super::{check_penalty, prepare, Segmentation};
use crate::changepoint::cost::Cost;
use crate::Result;

/// Above this many samples [`super::penalised`] runs [`seeded`] instead of [`super::pelt`] for the
/// costs without functional pruning (linear, normal, np); at or below it, PELT (exact) runs.
pub const SEEDED_MIN_N: usize = 10_000;

/// Shortest seeded interval (in samples, at least 16 minimum segments).
const SEED_MIN_LEN: usize = 128;

/// Half-width of the first window around a seed (at least 2 minimum segments).
const SEED_WINDOW: usize = 16;

/// Rounds of window growth before the search settles for the current windows.
const MAX_GROWTH: usize = 24;

/// A penalised search that stays near-linear when changes are few, for costs with O(1) queries
/// and no functional pruning (PELT is quadratic there: it cannot prune inside a long segment).
/// **Not exact in general**: it returns the exact optimum over the segmentations whose changes
/// lie inside windows around seeds, which equals [`super::pelt`] whenever every change of the
/// optimal segmentation lies in a window (checked against PELT in the tests on signals with
/// clear and marginal changes).
///
/// 1. **Seeds** (seeded binary segmentation, Kovács, Li, Bühlmann & Munk 2023, "Seeded binary
///    segmentation", Biometrika 110:249–256): intervals of lengths `n, n/2, n/4, …` down to
///    [`SEED_MIN_LEN`], consecutive ones overlapping by half; in each, the best single split
///    `C(a, e) - C(a, b) - C(b, e)`, scanned on a grid of step `⌊√len⌋` and then at every
///    position within one step of the grid's best. Every split gaining more than `β` is a
///    seed (step 3 looks again at `β/2`).
///    `O(n / √SEED_MIN_LEN)` cost queries.
/// 2. **Windows.** Each seed opens the window `[seed - w, seed + w]`, `w = max(16, 2m)`
///    (overlapping windows merge); optimal partitioning with PELT pruning then runs on the
///    change positions inside the windows only (`O((Σ width)²)` at worst).
/// 3. **Growth.** Where a change of that optimum, its neighbours held, has a better place
///    outside every window (a trend kink is poorly localised), and where a segment of that
///    optimum has a best split gaining more than `β/2` outside every window (e.g. both ends of
///    a short segment inside one seeded interval), a window opens (both scans visit every
///    position, O(n) per round, only for segments that are new). Step 2 then runs again (at
///    most [`MAX_GROWTH`] rounds). Every change returned is at its best place between its
///    neighbours, and no segment has a split worth half a penalty outside the windows.
///
/// # Errors
/// As [`super::pelt`].
pub fn seeded<C: Cost + ?Sized>(cost: &C, penalty: f64, min_size: usize) -> Result<Segmentation> {
    check_penalty(penalty)?;
    let m = prepare(cost, min_size)?;
    let n = cost.len();
    if n < 2 * m {
        return Ok(Segmentation {
            cost: cost.cost(0, n),
            breakpoints: Vec::new(),
            n,
        });
    }
    let mut seeds = seeds(cost, m, penalty);
    seeds.sort_unstable();
    seeds.dedup();
    let w = SEED_WINDOW.max(2 * m);
    // Windows [lo, hi] of admissible change positions (m ..= n - m), sorted and disjoint.
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for &s in &seeds {
        add_window(&mut windows, s.saturating_sub(w).max(m), (s + w).min(n - m));
    }
    let mut breakpoints = restricted_op(cost, penalty, m, &windows);
    // Best splits of the segments already scanned in full.
    let mut scanned: std::collections::HashMap<(usize, usize), Option<(f64, usize)>> =
        std::collections::HashMap::new();
    // Best place of one change between two neighbours already scanned.
    let mut moved: std::collections::HashMap<(usize, usize), (f64, usize)> =
        std::collections::HashMap::new();
    for _ in 0..MAX_GROWTH {
        let mut grown = false;
        let mut next = windows.clone();
        // Re-seed: the best split of each segment of the current optimum, when it gains more
        // than β/2 and lies outside every window (a change the seeded intervals paired with a
        // nearby one, e.g. both ends of a short segment).
        let mut start = 0;
        for &end in breakpoints.iter().chain(std::iter::once(&n)) {
            let split = *scanned
                .entry((start, end))
                .or_insert_with(|| full_split(cost, start, end, m));
            if let Some((gain, b)) = split {
                let inside = next.iter().any(|&(lo, hi)| lo <= b && b <= hi);
                if gain > penalty / 2.0 && !inside {
                    grown = true;
                    next.push((b.saturating_sub(w).max(m), (b + w).min(n - m)));
                }
            }
            start = end;
        }
        // Move check: the best place of each change between its neighbours, when it is
        // better than where the change is and lies outside every window (the optimum of a
        // trend change can be far from its seed: a kink is poorly localised).
        for (j, &b) in breakpoints.iter().enumerate() {
            let a = if j == 0 { 0 } else { breakpoints[j - 1] };
            let c = breakpoints.get(j + 1).copied().unwrap_or(n);
            let (best, at) = *moved
                .entry((a, c))
                .or_insert_with(|| best_place(cost, a, c, m));
            let here = cost.cost(a, b) + cost.cost(b, c);
            let inside = next.iter().any(|&(lo, hi)| lo <= at && at <= hi);
            if best < here - 1e-10 * (here.abs() + penalty) && !inside {
                grown = true;
                next.push((at.saturating_sub(w).max(m), (at + w).min(n - m)));
            }
        }
        if !grown {
            break;
        }
        next.sort_unstable();
        windows.clear();
        for &(lo, hi) in &next {
            add_window(&mut windows, lo, hi);
        }
        breakpoints = restricted_op(cost, penalty, m, &windows);
    }
    Ok(Segmentation {
        cost: cost.sum_of_costs(&breakpoints),
        breakpoints,
        n,
    })
}

/// Appends `[lo, hi]` to sorted windows (ascending `lo`), merging it with the last one when
/// they overlap or touch.
fn add_window(windows: &mut Vec<(usize, usize)>, lo: usize, hi: usize) {
    if lo > hi {
        return;
    }
    if let Some(last) = windows.last_mut() {
        if lo <= last.1 + 1 {
            last.1 = last.1.max(hi);
            return;
        }
    }
    windows.push((lo, hi));
}

/// Best splits of the seeded intervals gaining more than `threshold` (step 1 of [`seeded`]).
fn seeds<C: Cost + ?Sized>(cost: &C, m: usize, threshold: f64) -> Vec<usize> {
    let n = cost.len();
    let mut out = Vec::new();
    let mut len = n;
    loop {
        if len < 2 * m {
            break;
        }
        let shift = (len / 2).max(1);
        let mut start = 0;
        loop {
            let end = (start + len).min(n);
            if let Some((gain, b)) = coarse_split(cost, start, end, m) {
                if gain > threshold {
                    out.push(b);
                }
            }
            if end == n {
                break;
            }
            // The last interval ends at n.
            start = (start + shift).min(n - len);
        }
        if len <= SEED_MIN_LEN.max(16 * m) {
            break;
        }
        len /= 2;
    }
    out
}

/// Best single split of `[start, end)` (gain, breakpoint) from a grid of step `⌊√len⌋`, then
/// every position within one step of the grid's best.
fn coarse_split<C: Cost + ?Sized>(
    cost: &C,
    start: usize,
    end: usize,
    m: usize,
) -> Option<(f64, usize)> {
    if end - start < 2 * m {
        return None;
    }
    let (first, last) = (start + m, end - m);
    let whole = cost.cost(start, end);
    let gain = |b: usize| whole - cost.cost(start, b) - cost.cost(b, end);
    let step = ((end - start) as f64).sqrt() as usize;
    let step = step.max(1);
    let mut best: Option<(f64, usize)> = None;
    let consider = |b: usize, best: &mut Option<(f64, usize)>| {
        let g = gain(b);
        if best.map_or(true, |(bg, _)| g > bg) {
            *best = Some((g, b));
        }
    };
    let mut b = first;
    while b <= last {
        consider(b, &mut best);
        b += step;
    }
    if step > 1 {
        let centre = best.map_or(first, |(_, b)| b);
        let lo = centre.saturating_sub(step - 1).max(first);
        let hi = (centre + step - 1).min(last);
        for b in lo..=hi {
            consider(b, &mut best);
        }
    }
    best
}

/// Best single split of `[start, end)` (gain, breakpoint), every position scanned.
fn full_split<C: Cost + ?Sized>(
    cost: &C,
    start: usize,
    end: usize,
    m: usize,
) -> Option<(f64, usize)> {
    if end - start < 2 * m {
        return None;
    }
    let whole = cost.cost(start, end);
    let mut best: Option<(f64, usize)> = None;
    for b in start + m..=end - m {
        let g = whole - cost.cost(start, b) - cost.cost(b, end);
        if best.map_or(true, |(bg, _)| g > bg) {
            best = Some((g, b));
        }
    }
    best
}

/// `min_b C(a, b) + C(b, c)` over `a + m <= b <= c - m` and its argmin (the caller has
/// `c - a >= 2m`, as for two segments of the optimum).
fn best_place<C: Cost + ?Sized>(cost: &C, a: usize, c: usize, m: usize) -> (f64, usize) {
    let mut best = (f64::INFINITY, a + m);
    for b in a + m..=c - m {
        let v = cost.cost(a, b) + cost.cost(b, c);
        if v < best.0 {
            best = (v, b);
        }
    }
    best
}

/// Optimal partitioning with PELT pruning, changes restricted to the positions inside
/// `windows` (sorted, disjoint, within `m ..= n - m`); returns the breakpoints.
fn restricted_op<C: Cost + ?Sized>(
    cost: &C,
    penalty: f64,
    m: usize,
    windows: &[(usize, usize)],
) -> Vec<usize> {
    let n = cost.len();
    // Ends in order: every window position, then n. Index 0 stands for the start 0.
    let mut pos: Vec<usize> = vec![0];
    for &(lo, hi) in windows {
        pos.extend(lo..=hi);
    }
    pos.push(n);
    let mut f = vec![f64::INFINITY; pos.len()];
    let mut last = vec![0usize; pos.len()];
    f[0] = 0.0;
    // Candidates (index into pos, position from which it is dropped).
    let mut cands: Vec<(usize, usize)> = Vec::new();
    let mut vals: Vec<f64> = Vec::new();
    // Next start to admit: pos[next] becomes a candidate once pos[next] + m <= s.
    let mut next = 0usize;
    for j in 1..pos.len() {
        let s = pos[j];
        while next < j && pos[next] + m <= s {
            if f[next].is_finite() {
                cands.push((next, usize::MAX));
            }
            next += 1;
        }
        cands.retain(|&(_, drop_at)| drop_at > s);
        vals.clear();
        let mut best = f64::INFINITY;
        let mut arg = 0;
        for &(i, _) in &cands {
            let c = cost.cost(pos[i], s);
            vals.push(f[i] + c);
            let total = f[i] + (c + penalty);
            if total < best {
                best = total;
                arg = i;
            }
        }
        f[j] = best;
        last[j] = arg;
        if best.is_finite() {
            let margin = 1e-10 * (best.abs() + penalty);
            for (c, &v) in cands.iter_mut().zip(&vals) {
                if c.1 == usize::MAX && v > best + margin {
                    c.1 = s + m;
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut j = pos.len() - 1;
    while j > 0 {
        j = last[j];
        if j > 0 {
            out.push(pos[j]);
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changepoint::cost::{Linear, Normal, Np, L1, L2};
    use crate::changepoint::search::pelt;
    use crate::stats::rng::Rng;

    /// Piecewise signal: `changes` segments of random lengths, levels (or slopes, or spreads)
    /// of random size, some marginal, in unit Gaussian noise.
    fn signal(n: usize, changes: usize, kind: u8, seed: u64) -> Vec<f64> {
        let mut rng = Rng::new(seed);
        let mut cuts: Vec<usize> = (0..changes).map(|_| 20 + rng.below(n - 40)).collect();
        cuts.sort_unstable();
        let mut level = 0.0;
        let mut slope = 0.0;
        let mut spread = 1.0;
        let mut at = 0;
        let mut x = Vec::with_capacity(n);
        for i in 0..n {
            if at < cuts.len() && i == cuts[at] {
                at += 1;
                let size = 0.3 + 2.0 * rng.uniform();
                match kind {
                    0 => level += if rng.uniform() < 0.5 { size } else { -size },
                    1 => slope += (rng.uniform() - 0.5) * 0.02,
                    _ => {
                        level += size;
                        spread = 0.5 + 2.0 * rng.uniform();
                    }
                }
            }
            level += slope;
            x.push(level + spread * rng.normal());
        }
        x
    }

    /// Relative excess of seeded's penalised cost over PELT's (0 when equal up to round-off).
    fn excess(cost: &dyn Cost, penalty: f64, m: usize) -> f64 {
        let exact = pelt(cost, penalty, m).unwrap_or_else(|e| panic!("{e}"));
        let got = seeded(cost, penalty, m).unwrap_or_else(|e| panic!("{e}"));
        let total = |s: &Segmentation| s.cost + penalty * s.breakpoints.len() as f64;
        let (a, b) = (total(&exact), total(&got));
        assert!(b >= a - 1e-9 * a.abs().max(1.0), "better than the optimum?");
        if b - a <= 1e-9 * a.abs().max(1.0) {
            0.0
        } else {
            (b - a) / a.abs().max(1.0)
        }
    }

    /// The level, spread and np costs: the same optimum as PELT on every case (changes of
    /// 0.3σ to 2.3σ at random places, some close together). Trend kinks of random slope are
    /// harder to place: there, the optimum on at least 5 of 6 signals per setting, and never
    /// more than 0.5 % above it.
    #[test]
    fn equals_pelt_on_signals_with_few_changes() {
        let mut linear = Vec::new();
        for seed in 0..6u64 {
            for &(n, changes) in &[(3000usize, 0usize), (3000, 3), (4000, 8)] {
                let ln = (n as f64).ln();
                let x = signal(n, changes, 0, seed);
                let ctx = format!("seed {seed} n {n} changes {changes}");
                for m in [2usize, 5] {
                    let l2 = L2::new(&x).unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(excess(&l2, 3.0 * ln, m), 0.0, "l2 {ctx} m {m}");
                    let np = Np::new(&x).unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(excess(&np, 4.0 * ln, m), 0.0, "np {ctx} m {m}");
                    let l1 = L1::new(&x).unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(excess(&l1, 1.5 * ln, m), 0.0, "l1 {ctx} m {m}");
                }
                let x = signal(n, changes, 2, seed);
                let normal = Normal::new(&x).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(excess(&normal, 4.0 * ln, 5), 0.0, "normal {ctx}");
                let x = signal(n, changes, 1, seed);
                let lin = Linear::new(&x).unwrap_or_else(|e| panic!("{e}"));
                linear.push((changes, excess(&lin, 4.0 * ln, 5)));
            }
        }
        for changes in [0usize, 3, 8] {
            let e: Vec<f64> = linear
                .iter()
                .filter(|c| c.0 == changes)
                .map(|c| c.1)
                .collect();
            let missed = e.iter().filter(|&&v| v > 0.0).count();
            assert!(
                missed <= 1 && e.iter().all(|&v| v < 0.005),
                "linear, {changes} changes: {e:?}"
            );
        }
    }

    #[test]
    fn short_signals_and_bad_penalties() {
        let x = [1.0, 2.0, 3.0];
        let cost = L2::new(&x).unwrap_or_else(|e| panic!("{e}"));
        let s = seeded(&cost, 1.0, 2).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.breakpoints.is_empty());
        assert!(seeded(&cost, -1.0, 1).is_err());
        assert!(seeded(&cost, 1.0, 4).is_err());
    }
}
