//! Functional pruning (FPOP) for the L1 cost: pieces over the segment median θ.

use super::{backtrack, check_penalty, prepare, Segmentation};
use crate::changepoint::cost::{Cost, L1};
use crate::Result;

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

/// An alive candidate `t` and what is known of `C(t, s)`: exactly (`exact`, the median ranks
/// `r_lo <= r_hi` known; never before the first evaluation), or a lower bound `val` with `g_{t,s}(θ) >= val + dist(θ, [j_lo, j_hi])`.
#[derive(Debug, Clone, Copy)]
struct Cand {
    t: usize,
    /// `C(t, s)` when `exact`, otherwise a lower bound of it.
    val: f64,
    j_lo: f64,
    j_hi: f64,
    r_lo: u32,
    r_hi: u32,
    exact: bool,
    /// False until the first evaluation (the newcomer).
    known: bool,
}

impl Cand {
    fn new(t: usize) -> Self {
        Cand {
            t,
            val: 0.0,
            j_lo: 0.0,
            j_hi: 0.0,
            r_lo: 0,
            r_hi: 0,
            exact: false,
            known: false,
        }
    }

    /// Adds the sample `x` of rank `q` (at position `s - 1`) to the segment `[t, s - 1)`.
    ///
    /// ```text
    /// C(t, s) = C(t, s-1) + dist(x, I)     I = the median interval of x[t..s-1)
    /// ```
    /// (g is flat on I and has slope magnitude at least 1 outside it). The new median interval
    /// needs the neighbour of the old median in the segment, looked up among the next few ranks;
    /// when it is further, the state becomes the bound `C + dist(θ, I')` with `I'` widened to
    /// `x` (every later sample keeps it a bound: a cone of slope 1 plus |x - θ| is again one).
    #[inline]
    fn push(&mut self, cost: &L1, s: usize, x: f64, q: u32, probes: usize) {
        if !self.known {
            return;
        }
        if !self.exact {
            if x < self.j_lo {
                self.val += self.j_lo - x;
                self.j_hi = self.j_lo;
                self.j_lo = x;
            } else if x > self.j_hi {
                self.val += x - self.j_hi;
                self.j_lo = self.j_hi;
                self.j_hi = x;
            } else {
                self.j_lo = x;
                self.j_hi = x;
            }
            return;
        }
        if self.r_lo != self.r_hi {
            // Even size: the new median is x clamped to I.
            self.val += (self.j_lo - x).max(x - self.j_hi).max(0.0);
            let r = q.clamp(self.r_lo, self.r_hi);
            self.r_lo = r;
            self.r_hi = r;
            self.j_lo = cost.value(r as usize);
            self.j_hi = self.j_lo;
            return;
        }
        // Odd size, median v of rank r: I' = [v, min(x, next)] or [max(x, previous), v].
        self.val += (x - self.j_lo).abs();
        let r = self.r_lo as usize;
        let (t, end) = (self.t as u32, (s - 1) as u32);
        let pos = cost.positions();
        let inside = |rr: usize| (t..end).contains(&pos[rr]);
        if (q as usize) > r {
            let stop = (q as usize).min(r + probes);
            match (r + 1..stop).find(|&rr| inside(rr)) {
                Some(rr) => self.r_hi = rr as u32,
                None if stop == q as usize => self.r_hi = q,
                None => {
                    self.exact = false;
                    self.j_hi = x;
                    return;
                }
            }
            self.j_hi = cost.value(self.r_hi as usize);
        } else {
            let stop = (q as usize).max(r.saturating_sub(probes));
            match (stop + 1..r).rev().find(|&rr| inside(rr)) {
                Some(rr) => self.r_lo = rr as u32,
                None if stop == q as usize => self.r_lo = q,
                None => {
                    self.exact = false;
                    self.j_lo = x;
                    return;
                }
            }
            self.j_lo = cost.value(self.r_lo as usize);
        }
    }

    /// Evaluates `C(t, s)` and the median ranks exactly (from the samples for a short segment,
    /// otherwise by descents of the rank index).
    fn evaluate(&mut self, cost: &L1, x: &[f64], s: usize, short: usize, buf: &mut Vec<u32>) {
        let (t, m) = (self.t, s - self.t);
        let (k_lo, k_hi) = ((m - 1) / 2, m / 2);
        if m <= short {
            buf.clear();
            buf.extend_from_slice(&cost.ranks()[t..s]);
            let (_, &mut r_lo, upper) = buf.select_nth_unstable(k_lo);
            self.r_lo = r_lo;
            self.r_hi = if k_hi == k_lo {
                r_lo
            } else {
                upper.iter().copied().min().unwrap_or(r_lo)
            };
            let v = cost.value(r_lo as usize);
            self.val = x[t..s].iter().map(|&w| (w - v).abs()).sum();
        } else {
            let (r_lo, below) = cost.order_rank(t, s, k_lo);
            let v = cost.value(r_lo);
            let total = cost.sum(t, s);
            self.val =
                ((k_lo as f64 * v - below) + (total - below - (m - k_lo) as f64 * v)).max(0.0);
            self.r_lo = r_lo as u32;
            self.r_hi = if k_hi == k_lo {
                self.r_lo
            } else {
                cost.order_rank(t, s, k_hi).0 as u32
            };
        }
        self.j_lo = cost.value(self.r_lo as usize);
        self.j_hi = cost.value(self.r_hi as usize);
        self.exact = true;
        self.known = true;
    }
}

/// The sorted samples `x[t..u)` of a short segment with prefix sums: `g` and its level
/// crossings by direct scans (no rank index).
#[derive(Default)]
struct Short {
    t: usize,
    u: usize,
    v: Vec<f64>,
    p: Vec<f64>,
}

/// A few [`Short`]s, extended sample by sample as their segments grow (the owners of the
/// pieces cut at one step are mostly cut again at the next).
#[derive(Default)]
struct Shorts {
    entries: Vec<Short>,
    next: usize,
}

impl Shorts {
    const SIZE: usize = 8;

    /// The sorted samples of `x[t..u)`.
    fn get(&mut self, x: &[f64], t: usize, u: usize) -> &Short {
        let found = self
            .entries
            .iter()
            .position(|e| e.t == t && e.u <= u && u - e.u <= 16);
        let i = match found {
            Some(i) => {
                let e = &mut self.entries[i];
                for &w in &x[e.u..u] {
                    e.insert(w);
                }
                e.u = u;
                i
            }
            None => {
                if self.entries.len() < Self::SIZE {
                    self.entries.push(Short::default());
                    self.entries.len() - 1
                } else {
                    self.next = (self.next + 1) % Self::SIZE;
                    self.next
                }
            }
        };
        if found.is_none() {
            let e = &mut self.entries[i];
            e.t = t;
            e.u = u;
            e.v.clear();
            e.v.extend_from_slice(&x[t..u]);
            e.v.sort_unstable_by(f64::total_cmp);
            e.prefix();
        }
        &self.entries[i]
    }
}

impl Short {
    /// Prefix sums of the sorted samples.
    fn prefix(&mut self) {
        self.p.clear();
        self.p.push(0.0);
        let mut acc = 0.0;
        for &w in &self.v {
            acc += w;
            self.p.push(acc);
        }
    }

    /// Inserts a sample: the prefix sums after it grow by `w` (independent additions).
    fn insert(&mut self, w: f64) {
        let at = self.v.partition_point(|&v| v.total_cmp(&w).is_le());
        self.v.insert(at, w);
        self.p.insert(at + 1, self.p[at] + w);
        for q in &mut self.p[at + 2..] {
            *q += w;
        }
    }

    /// `g` at the `j`-th smallest sample.
    #[inline]
    fn g_at(&self, j: usize) -> f64 {
        let m = self.v.len();
        let (v, p) = (self.v[j], &self.p);
        ((j as f64 * v - p[j]) + (p[m] - p[j + 1] - (m - j - 1) as f64 * v)).max(0.0)
    }

    /// The part of `[lo, hi]` where `g <= base` (g convex, minimal on the median interval).
    fn keep(&self, base: f64, g_lo: f64, g_hi: f64, lo: f64, hi: f64) -> Option<(f64, f64)> {
        let m = self.v.len();
        let mf = m as f64;
        let (k_lo, k_hi) = ((m - 1) / 2, m / 2);
        if self.g_at(k_lo) > base {
            return None;
        }
        let a = if g_lo <= base {
            lo
        } else if lo >= self.v[k_lo] {
            return None;
        } else {
            // g decreases up to the median: the first sample with g within the bound.
            let j = first(0, k_lo, |j| self.g_at(j) <= base);
            if j == 0 {
                self.v[0] - (base - self.g_at(0)) / mf
            } else {
                let (v0, g0, v1, g1) = (self.v[j - 1], self.g_at(j - 1), self.v[j], self.g_at(j));
                v0 + (g0 - base) * (v1 - v0) / (g0 - g1)
            }
        };
        let b = if g_hi <= base {
            hi
        } else if hi <= self.v[k_hi] {
            return None;
        } else {
            // g increases from the median: the last sample with g within the bound.
            let j = first(k_hi, m - 1, |j| self.g_at(j) > base) - 1;
            if j == m - 1 {
                self.v[m - 1] + (base - self.g_at(m - 1)) / mf
            } else {
                let (v0, g0, v1, g1) = (self.v[j], self.g_at(j), self.v[j + 1], self.g_at(j + 1));
                v0 + (base - g0) * (v1 - v0) / (g1 - g0)
            }
        };
        Some((a.max(lo), b.min(hi)))
    }
}

/// The smallest `j` in `[lo, hi]` with `done(j)` (false up to some index, true after), or
/// `hi + 1` when there is none: binary search.
fn first(mut lo: usize, hi: usize, done: impl Fn(usize) -> bool) -> usize {
    let mut end = hi + 1;
    while lo < end {
        let mid = lo + (end - lo) / 2;
        if done(mid) {
            end = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
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
