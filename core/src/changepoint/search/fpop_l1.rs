//! Functional pruning (FPOP) for the L1 cost: pieces over the segment median θ.

mod cand;
mod short;

use super::{backtrack, check_penalty, prepare, Segmentation};
use crate::changepoint::cost::{Cost, L1};
use crate::Result;
use cand::Cand;
use short::Shorts;

/// The thresholds trading scans of the samples against descents of the rank index (which miss
/// the cache at large n): any values reach the same (exact) optimum; the tests vary them.
#[derive(Debug, Clone, Copy)]
struct Tune {
    /// Segments up to this length are handled from the samples themselves (sorted or selected
    /// in a small buffer).
    short: usize,
    /// Probes of the rank order (sequential) before a median update gives up and keeps a bound.
    probes: usize,
    /// Candidates further than `slack · (β + 1)` from the best value of a step keep a bound
    /// instead of the exact cost.
    slack: f64,
}

const TUNE: Tune = Tune {
    short: 256,
    probes: 48,
    slack: 0.5,
};

/// A piece `[lo, hi]` of the θ line owned by candidate `t`, with `g_t(θ) = Σ_{t<=i<u} |x_i - θ|`
/// at both ends for the current newcomer `u` (updated by one term per step).
#[derive(Debug, Clone, Copy)]
struct Piece {
    lo: f64,
    hi: f64,
    t: usize,
    g_lo: f64,
    g_hi: f64,
}

/// Appends a piece, merging it with the previous one when the owner is the same.
#[inline]
fn push_piece(out: &mut Vec<Piece>, p: Piece) {
    if let Some(last) = out.last_mut() {
        if last.t == p.t {
            last.hi = p.hi;
            last.g_hi = p.g_hi;
            return;
        }
    }
    out.push(p);
}

/// The part of `[lo, hi]` where `g(θ) = Σ_{t<=i<u} |x_i - θ| <= base` for a long segment, by
/// descents of the rank index of [`L1`], given g at the ends (`g_lo`, `g_hi`, not both within
/// the bound). g is linear between the values of consecutive global ranks (no value of the
/// segment lies strictly between), so a crossing is one descent over the ranks (binary lifting
/// on a predicate true up to the crossing) and a linear interpolation. With one end within the
/// bound, that end tells on which side of the median the other crossing lies (no median
/// needed); with neither, the median tells whether the piece holds any of the set.
#[allow(clippy::too_many_arguments)]
fn keep_long(
    cost: &L1,
    t: usize,
    u: usize,
    base: f64,
    g_lo: f64,
    g_hi: f64,
    lo: f64,
    hi: f64,
) -> Option<(f64, f64)> {
    let mf = (u - t) as f64;
    // The crossing on the decreasing side, given `left(v)`: v is left of it or of the median.
    let left_cross = |left: &dyn Fn(f64) -> bool| -> f64 {
        match cost.last_rank(t, u, |r, g| left(cost.value(r)) && g > base) {
            // g <= base already at the smallest value: slope -m below it.
            None => {
                let (v, g) = cost.abs_dev_at_rank(t, u, 0);
                v - (base - g) / mf
            }
            Some((r, g0, g1)) => {
                let (v0, v1) = (cost.value(r), cost.value(r + 1));
                let g1 = g1.unwrap_or(g0);
                v0 + (g0 - base) * (v1 - v0) / (g0 - g1)
            }
        }
    };
    // The crossing on the increasing side, given `left(v)`: v is left of it.
    let right_cross = |left: &dyn Fn(f64) -> bool| -> Option<f64> {
        let (r, g0, g1) = cost.last_rank(t, u, |r, g| left(cost.value(r)) || g <= base)?;
        let v0 = cost.value(r);
        Some(match g1 {
            // Beyond the largest value: slope +m.
            None => v0 + (base - g0) / mf,
            Some(g1) => {
                let v1 = cost.value(r + 1);
                v0 + (base - g0) * (v1 - v0) / (g1 - g0)
            }
        })
    };
    if g_lo <= base {
        // g <= base at lo, above at hi: g increases through the crossing, and is within the
        // bound from lo to it.
        if let Some(b) = right_cross(&|v| v <= lo) {
            return Some((lo, b.min(hi)));
        }
    } else if g_hi <= base {
        let a = left_cross(&|v| v < hi);
        return Some((a.max(lo), hi));
    }
    // Neither end within the bound: the set (an interval around the median) is inside the
    // piece or misses it.
    let k = (u - t - 1) / 2;
    let (c, med) = cost.abs_dev_at_order(t, u, k);
    if base < c || lo >= med || hi <= med {
        return None;
    }
    let a = left_cross(&|v| v < med);
    let b = right_cross(&|v| v <= med)?;
    Some((a.max(lo), b.min(hi)))
}

/// FPOP for the [`L1`] cost: the exact optimal-partitioning solution (same optimum as
/// [`super::optimal_partitioning`] and [`super::pelt`] with the L1 cost), near-linear when
/// segments are long. The recursion of [`super::fpop`], over the segment location θ.
///
/// For an older candidate τ and a newcomer τ' the difference of their functional costs is
///
/// ```text
/// f_τ(θ) - f_τ'(θ) = F(τ) - F(τ') + g(θ),    g(θ) = Σ_{τ<=i<τ'} |x_i - θ|
/// ```
/// convex and piecewise linear in θ (kinks at the data), minimal (= C(τ, τ')) between the two
/// middle order statistics, so τ keeps the interval `{θ : g(θ) <= F(τ') - F(τ)}` of its pieces.
///
/// Three things keep a step cheap without giving up exactness (the driver of [`super::fpop`]
/// has no per-piece state, so the recursion is written out here):
/// - each piece carries g of its owner at both ends, updated by one term `|x - θ|` per step;
///   by convexity a piece with both ends within the bound is kept whole in O(1) (most pieces);
/// - the other pieces are cut at the crossings of the bound, after the O(1) bound
///   `g(θ) >= |S - m θ|`: for segments of at most 256 samples by binary searches in their
///   sorted samples (kept for the owners cut at the last steps and extended sample by sample),
///   otherwise by one descent of the rank index of [`L1`] per crossing (binary lifting over the
///   global ranks, g linear between consecutive ranks; the median only when neither end of the
///   piece is within the bound);
/// - `F(s) = min_τ F(τ) + C(τ, s) + β` over the candidates owning a piece uses the exact update
///   `C(τ, s+1) = C(τ, s) + dist(x_s, median interval)` while the new median is found among the
///   next few global ranks, and otherwise (or when the candidate is more than `(β + 1)/2` above
///   the best) a lower bound of the same form (a cone of slope 1 below g); a candidate is
///   evaluated exactly (a selection in its samples, or one or two descents) only when its
///   bound does not exceed the best value of the step.
///
/// A relative margin of 1e-10 widens the kept intervals against round-off, as in
/// [`super::fpop`]. Reference: Maidstone et al. (2017) for FPOP; the gfpop / robseg line of
/// work (Hocking et al. 2020, Fearnhead & Rigaill 2019) for piecewise-linear and bounded losses.
/// The L1 intervals and bounds are derived here.
///
/// # Errors
/// As [`super::pelt`], and [`crate::Error::NonFinite`] for NaN/±∞ in `x`.
pub fn fpop_l1(x: &[f64], penalty: f64, min_size: usize) -> Result<Segmentation> {
    solve(x, penalty, min_size, TUNE)
}

fn solve(x: &[f64], penalty: f64, min_size: usize, tune: Tune) -> Result<Segmentation> {
    let cost = L1::new(x)?;
    check_penalty(penalty)?;
    let m = prepare(&cost, min_size)?;
    let n = cost.len();
    let mut f = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    f[0] = 0.0;
    let mut pieces: Vec<Piece> = Vec::new();
    let mut next: Vec<Piece> = Vec::new();
    let mut alive: Vec<Cand> = Vec::new();
    let mut seen = vec![usize::MAX; n + 1];
    let mut shorts = Shorts::default();
    let mut buf: Vec<u32> = Vec::new();
    let ranks = cost.ranks();
    let mut lead = usize::MAX;
    for s in m..=n {
        let t_new = s - m;
        if t_new > 0 {
            // g of every piece's owner now runs up to the newcomer t_new.
            let v = x[t_new - 1];
            for p in &mut pieces {
                p.g_lo += (v - p.lo).abs();
                p.g_hi += (v - p.hi).abs();
            }
        }
        if f[t_new].is_finite() {
            next.clear();
            let fresh = |lo: f64, hi: f64| Piece {
                lo,
                hi,
                t: t_new,
                g_lo: if lo.is_finite() { 0.0 } else { f64::INFINITY },
                g_hi: if hi.is_finite() { 0.0 } else { f64::INFINITY },
            };
            if pieces.is_empty() {
                next.push(fresh(f64::NEG_INFINITY, f64::INFINITY));
            }
            let margin = 1e-10 * (f[t_new].abs() + penalty) + f64::MIN_POSITIVE;
            let mut changed = pieces.is_empty();
            for &p in &pieces {
                let base = f[t_new] - f[p.t] + margin;
                if p.g_lo <= base && p.g_hi <= base {
                    // g is convex: within the bound at both ends, within it on the piece.
                    push_piece(&mut next, p);
                    continue;
                }
                let len = t_new - p.t;
                // O(1) outer bound: g(θ) >= |S - m θ|, so the set lies within mean ± base / m.
                let mean = cost.sum(p.t, t_new) / len as f64;
                let reach = base / len as f64;
                let kept = if base < 0.0 || p.hi < mean - reach || p.lo > mean + reach {
                    None
                } else if len <= tune.short {
                    shorts
                        .get(x, p.t, t_new)
                        .keep(base, p.g_lo, p.g_hi, p.lo, p.hi)
                } else {
                    keep_long(&cost, p.t, t_new, base, p.g_lo, p.g_hi, p.lo, p.hi)
                };
                match kept.filter(|&(a, b)| a <= b) {
                    None => {
                        changed = true;
                        push_piece(&mut next, fresh(p.lo, p.hi));
                    }
                    Some((a, b)) => {
                        if p.lo < a {
                            changed = true;
                            push_piece(&mut next, fresh(p.lo, a));
                        }
                        push_piece(
                            &mut next,
                            Piece {
                                lo: a,
                                hi: b,
                                t: p.t,
                                g_lo: if a == p.lo { p.g_lo } else { base },
                                g_hi: if b == p.hi { p.g_hi } else { base },
                            },
                        );
                        if b < p.hi {
                            changed = true;
                            push_piece(&mut next, fresh(b, p.hi));
                        }
                    }
                }
            }
            if changed {
                std::mem::swap(&mut pieces, &mut next);
                for p in &pieces {
                    seen[p.t] = s;
                }
                alive.retain(|c| seen[c.t] == s);
                if seen[t_new] == s {
                    alive.push(Cand::new(t_new));
                }
            }
        }
        // F(s): exact values where known, bounds elsewhere, the leader of the last step first.
        let (v, q) = (x[s - 1], ranks[s - 1]);
        for c in &mut alive {
            c.push(&cost, s, v, q, tune.probes);
        }
        let mut best = f64::INFINITY;
        let mut arg = usize::MAX;
        let consider = |c: &Cand, best: &mut f64, arg: &mut usize| {
            let total = f[c.t] + (c.val + penalty);
            if total < *best || (total == *best && c.t < *arg) {
                *best = total;
                *arg = c.t;
            }
        };
        for c in &mut alive {
            if c.t == lead || c.exact {
                if !c.exact {
                    c.evaluate(&cost, x, s, tune.short, &mut buf);
                }
                consider(c, &mut best, &mut arg);
            }
        }
        for c in &mut alive {
            if !c.exact && (!c.known || f[c.t] + (c.val + penalty) <= best) {
                c.evaluate(&cost, x, s, tune.short, &mut buf);
                consider(c, &mut best, &mut arg);
            }
        }
        // Far from the best, a bound is enough (and cheaper to carry than the exact median).
        for c in &mut alive {
            if c.exact && f[c.t] + (c.val + penalty) > best + tune.slack * (penalty + 1.0) {
                c.exact = false;
            }
        }
        f[s] = best;
        last[s] = arg;
        lead = arg;
    }
    let breakpoints = backtrack(&last, n);
    Ok(Segmentation {
        cost: cost.sum_of_costs(&breakpoints),
        breakpoints,
        n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changepoint::search::optimal_partitioning;
    use proptest::prelude::*;

    /// Long runs of a few levels with noise, or runs of small integers (exact ties).
    fn signal() -> impl Strategy<Value = Vec<f64>> {
        prop_oneof![
            (
                prop::collection::vec((1usize..90, -5.0f64..5.0, 0.1f64..2.0), 1..5),
                any::<u64>()
            )
                .prop_map(|(regimes, seed)| {
                    let mut rng = crate::stats::rng::Rng::new(seed);
                    let mut x = Vec::new();
                    for (len, level, sd) in regimes {
                        for _ in 0..len {
                            x.push(level + sd * rng.normal());
                        }
                    }
                    x
                }),
            prop::collection::vec((0u8..4, 1usize..30), 1..8).prop_map(|runs| runs
                .into_iter()
                .flat_map(|(v, len)| std::iter::repeat_n(f64::from(v), len))
                .collect()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

        /// Every path (samples only, descents only, median updates that give up at once or
        /// never) reaches the optimum of optimal partitioning.
        #[test]
        fn every_path_reaches_the_optimum(
            x in signal(),
            penalty in 0.0f64..40.0,
            min_size in 1usize..6,
        ) {
            let cost = L1::new(&x).unwrap_or_else(|e| panic!("{e}"));
            prop_assume!(x.len() >= min_size.max(2));
            let oracle = optimal_partitioning(&cost, penalty, min_size)
                .unwrap_or_else(|e| panic!("{e}"));
            let pen = |s: &Segmentation| s.cost + penalty * s.breakpoints.len() as f64;
            for (short, probes, slack) in [
                (0, 0, 0.0),
                (0, 1, 0.5),
                (0, 1000, f64::INFINITY),
                (3, 2, 0.1),
                (256, 48, 0.5),
                (1000, 1000, f64::INFINITY),
            ] {
                let seg = solve(&x, penalty, min_size, Tune { short, probes, slack })
                    .unwrap_or_else(|e| panic!("{e}"));
                prop_assert!(
                    (pen(&seg) - pen(&oracle)).abs() <= 1e-9 * (1.0 + pen(&oracle).abs()),
                    "short {} probes {} slack {}: {} vs oracle {}", short, probes, slack, pen(&seg), pen(&oracle)
                );
            }
        }
    }
}
