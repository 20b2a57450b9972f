//! Functional pruning for the bounded (biweight) loss: R-FPOP of Fearnhead & Rigaill (2019).

use super::{backtrack, check_penalty, Segmentation};
use crate::changepoint::cost::Biweight;
use crate::{Error, Result};

/// A piece `[lo, hi]` of the level line where the functional cost is `a (μ - m)² + v`
/// (`a` points inside the threshold, their mean `m`; `v` the minimum value, outliers and the
/// past included), owned by the candidate `t` (start of the last segment).
#[derive(Debug, Clone, Copy)]
struct Piece {
    lo: f64,
    hi: f64,
    a: f64,
    m: f64,
    v: f64,
    t: usize,
}

/// Appends a piece, merging it with the previous one when both carry the same function.
#[inline(always)]
fn push(out: &mut Vec<Piece>, p: Piece) {
    if let Some(last) = out.last_mut() {
        if last.t == p.t && last.a == p.a && last.v == p.v && (last.a == 0.0 || last.m == p.m) {
            last.hi = p.hi;
            return;
        }
    }
    out.push(p);
}

/// R-FPOP (Fearnhead & Rigaill 2019, "Changepoint detection in the presence of outliers", JASA
/// 114:169–183): the exact minimiser of `Σ_segments min_μ Σ γ(x_i; μ) + β · (#changes)` with
/// segments of at least `min_size` points, `γ(y; μ) = min((y - μ)², c²)` (the cost
/// [`Biweight`]; `c = threshold`), in O(n · pieces) time.
///
/// With `P_t(μ) = min_{τ <= t} [F(τ) + β + Σ_{τ<=i<t} γ(x_i; μ)]` (best cost of `x[..t]` plus
/// an open last segment of level μ starting at an admissible τ), the recursion is
/// ```text
/// P_0 = F(0) + β,   P_{t+1}(μ) = min(P_t(μ) + γ(x_t; μ), F(t+1) + β)
/// F(s) = min_μ [P_{s-m}(μ) + Σ_{s-m<=i<s} γ(x_i; μ)]          (m = min_size)
/// ```
/// (`F(t) = ∞` for `0 < t < m`, which then never enters). `P_t` is piecewise quadratic: a sorted
/// list of pieces, each `a (μ - m)² + v` with its owner τ. Adding γ splits the pieces at
/// `x_t ± c` and adds `(x_t - μ)²` inside (a Welford update of `a, m, v`) and `c²` outside; the
/// minimum with the constant `F(t+1) + β` keeps of each piece the interval
/// `|μ - m| <= √((F + β - v) / a)` and gives the rest to the newcomer. A candidate owning no
/// piece is pruned for good (future functions differ from the newcomer's by the same terms).
/// The `m`-point window sum has at most `2m` breakpoints; `F(s)` walks it against the pieces.
/// Ties go to the older candidate (as [`super::optimal_partitioning`], up to a relative margin
/// of 1e-12 against round-off). The values are centred and scaled by `c` inside (threshold 1),
/// so the arithmetic does not depend on the level or units. `cost` is `F(n)` less the penalties,
/// in the units of `x`.
///
/// # Errors
/// [`Error::TooFewPoints`] when `n < min_size`, [`Error::NonFinite`], and
/// [`Error::InvalidArgument`] for a bad penalty or threshold.
pub fn fpop_biweight(
    x: &[f64],
    threshold: f64,
    penalty: f64,
    min_size: usize,
) -> Result<Segmentation> {
    let cost = Biweight::with_threshold(x, threshold)?;
    fpop_biweight_cost(&cost, penalty, min_size)
}

/// [`fpop_biweight`] on a prepared [`Biweight`] cost.
///
/// # Errors
/// As [`fpop_biweight`].
pub fn fpop_biweight_cost(cost: &Biweight, penalty: f64, min_size: usize) -> Result<Segmentation> {
    check_penalty(penalty)?;
    let x = cost.values();
    let n = x.len();
    let m = min_size.max(1);
    if n < m {
        return Err(Error::TooFewPoints {
            what: "signal",
            needed: m,
            got: n,
        });
    }
    let c = cost.threshold();
    let centre = {
        let mut s = x.to_vec();
        crate::changepoint::penalty::median_in_place(&mut s)
    };
    let z: Vec<f64> = x.iter().map(|v| (v - centre) / c).collect();
    let beta = penalty / (c * c);
    let mut f = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    f[0] = 0.0;
    let mut pieces = vec![Piece {
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
        a: 0.0,
        m: 0.0,
        v: beta,
        t: 0,
    }];
    let mut next: Vec<Piece> = Vec::new();
    // The window's breakpoints and its quadratic on each interval between them.
    let mut cuts: Vec<f64> = Vec::with_capacity(2 * m);
    let mut window: Vec<Piece> = Vec::with_capacity(2 * m + 1);
    for s in m..=n {
        // F(s) = min_μ P_{s-m}(μ) + W_s(μ).
        let w = &z[s - m..s];
        window_pieces(w, &mut cuts, &mut window);
        let wmin = window.iter().map(|q| q.v).fold(f64::INFINITY, f64::min);
        let (mut best, mut arg) = (f64::INFINITY, 0usize);
        let mut k = 0;
        for p in &pieces {
            // Window intervals overlapping [p.lo, p.hi].
            while window[k].hi < p.lo {
                k += 1;
            }
            // The window sum is at least its smallest vertex value.
            if p.v + wmin >= best {
                continue;
            }
            let mut kk = k;
            loop {
                let q = &window[kk];
                let (lo, hi) = (p.lo.max(q.lo), p.hi.min(q.hi));
                let value = sum_min(p, q, lo, hi);
                if value < best {
                    best = value;
                    arg = p.t;
                }
                if q.hi >= p.hi || kk + 1 == window.len() {
                    break;
                }
                kk += 1;
            }
        }
        f[s] = best;
        last[s] = arg;
        // P_{s-m+1} = min(P_{s-m} + γ(z_{s-m}), F(s-m+1) + β).
        if s == n {
            break;
        }
        let t_new = s - m + 1;
        let level = f[t_new].is_finite().then(|| (f[t_new] + beta, t_new));
        add_point(&pieces, z[s - m], level, &mut next);
        std::mem::swap(&mut pieces, &mut next);
    }
    let breakpoints = backtrack(&last, n);
    // F(n) holds the cost plus one penalty per segment (scaled units).
    let segments = (breakpoints.len() + 1) as f64;
    Ok(Segmentation {
        cost: ((f[n] - beta * segments) * c * c).max(0.0),
        breakpoints,
        n,
    })
}

/// Minimum over `[lo, hi]` of the sum of two pieces' quadratics.
#[inline]
fn sum_min(p: &Piece, q: &Piece, lo: f64, hi: f64) -> f64 {
    let a = p.a + q.a;
    if a == 0.0 {
        return p.v + q.v;
    }
    let mean = (p.a * p.m + q.a * q.m) / a;
    let dm = p.m - q.m;
    let v = p.v + q.v + p.a * q.a / a * dm * dm;
    let d = mean.clamp(lo, hi) - mean;
    a * d * d + v
}

/// The sum of `γ(w_i; μ)` (threshold 1) as pieces between the sorted breakpoints `w_i ± 1`.
fn window_pieces(w: &[f64], cuts: &mut Vec<f64>, out: &mut Vec<Piece>) {
    cuts.clear();
    for &y in w {
        cuts.push(y - 1.0);
        cuts.push(y + 1.0);
    }
    cuts.sort_unstable_by(f64::total_cmp);
    out.clear();
    let mut lo = f64::NEG_INFINITY;
    for i in 0..=cuts.len() {
        let hi = cuts.get(i).copied().unwrap_or(f64::INFINITY);
        // Points inside on (lo, hi): |y - μ| < 1 at the midpoint (any point of the open
        // interval; the ends are ±∞ only where no point is inside).
        let mid = if lo.is_finite() && hi.is_finite() {
            0.5 * (lo + hi)
        } else if hi.is_finite() {
            hi - 1.0
        } else {
            lo + 1.0
        };
        let (mut a, mut mean, mut v) = (0.0f64, 0.0f64, 0.0f64);
        for &y in w {
            if (y - mid).abs() < 1.0 {
                let d = y - mean;
                a += 1.0;
                mean += d / a;
                v += d * (y - mean);
            } else {
                v += 1.0;
            }
        }
        out.push(Piece {
            lo,
            hi,
            a,
            m: mean,
            v,
            t: 0,
        });
        lo = hi;
    }
}

/// `out = min(pieces + γ(y; ·), level)` (threshold 1): split at `y ± 1`, add `(y - μ)²`
/// inside and 1 outside, then (with a level) keep of each part where it is at most the
/// newcomer's constant and give the rest to the newcomer; old candidates keep ties.
fn add_point(pieces: &[Piece], y: f64, level: Option<(f64, usize)>, out: &mut Vec<Piece>) {
    out.clear();
    let (l, r) = (y - 1.0, y + 1.0);
    let emit = |q: Piece, out: &mut Vec<Piece>| match level {
        Some((level, t)) => min_with(q, level, t, out),
        None => push(out, q),
    };
    for p in pieces {
        if p.hi <= l || p.lo >= r {
            // Wholly outside: one more outlier.
            emit(Piece { v: p.v + 1.0, ..*p }, out);
            continue;
        }
        // Up to three parts: [lo, l], [l, r], [r, hi] (computed in registers: an array of
        // them on the stack stalls on store forwarding).
        for part in 0..3 {
            let (lo, hi) = match part {
                0 => (p.lo, p.hi.min(l)),
                1 => (p.lo.max(l), p.hi.min(r)),
                _ => (p.lo.max(r), p.hi),
            };
            let inside = part == 1;
            if lo > hi || (lo == hi && p.lo < p.hi) {
                continue;
            }
            let mut q = Piece { lo, hi, ..*p };
            if inside {
                let a = q.a + 1.0;
                let d = y - q.m;
                q.v += q.a / a * d * d;
                q.m = if q.a == 0.0 { y } else { q.m + d / a };
                q.a = a;
            } else {
                q.v += 1.0;
            }
            emit(q, out);
        }
    }
}

/// Pushes `min(p, level)`, the constant owned by `t`; the old candidate keeps ties (up to a
/// relative margin of 1e-12). Most pieces lie wholly below or wholly above the level (a
/// quadratic's largest value on an interval is at an end), which needs no square root.
#[inline(always)]
fn min_with(p: Piece, level: f64, t: usize, out: &mut Vec<Piece>) {
    let bound = level + 1e-12 * level.abs();
    let flat = |lo: f64, hi: f64| Piece {
        lo,
        hi,
        a: 0.0,
        m: 0.0,
        v: level,
        t,
    };
    if p.a == 0.0 {
        push(out, if p.v > bound { flat(p.lo, p.hi) } else { p });
        return;
    }
    let (dl, dh) = (p.lo - p.m, p.hi - p.m);
    let far = dl.abs().max(dh.abs());
    if p.a * far * far + p.v <= bound {
        push(out, p);
        return;
    }
    let near = if dl > 0.0 {
        dl
    } else if dh < 0.0 {
        dh
    } else {
        0.0
    };
    if p.a * near * near + p.v > bound {
        push(out, flat(p.lo, p.hi));
        return;
    }
    let r = ((bound - p.v) / p.a).max(0.0).sqrt();
    let (a, b) = ((p.m - r).max(p.lo), (p.m + r).min(p.hi));
    if p.lo < a {
        push(out, flat(p.lo, a));
    }
    push(out, Piece { lo: a, hi: b, ..p });
    if b < p.hi {
        push(out, flat(b, p.hi));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changepoint::search::optimal_partitioning;

    #[test]
    fn equals_optimal_partitioning() {
        let mut rng = crate::stats::rng::Rng::new(11);
        let mut ties = 0;
        for case in 0..300 {
            let n = 2 + case % 40;
            let jump = (case % 5) as f64;
            let x: Vec<f64> = (0..n)
                .map(|i| {
                    let level = if i >= n / 2 { jump } else { 0.0 };
                    let spike = if rng.uniform() < 0.1 { 8.0 } else { 0.0 };
                    level + spike + rng.normal()
                })
                .collect();
            let c = 0.5 + 2.5 * rng.uniform();
            let beta = 0.5 + 6.0 * rng.uniform();
            let min_size = 1 + case % 4;
            let cost = Biweight::with_threshold(&x, c).unwrap_or_else(|e| panic!("{e}"));
            let (fast, slow) = match (
                fpop_biweight(&x, c, beta, min_size),
                optimal_partitioning(&cost, beta, min_size),
            ) {
                (Ok(a), Ok(b)) => (a, b),
                (a, b) => {
                    assert!(a.is_err() && b.is_err(), "case {case}");
                    continue;
                }
            };
            let total = |s: &Segmentation| s.cost + beta * s.breakpoints.len() as f64;
            assert!(
                (total(&fast) - total(&slow)).abs() <= 1e-9 * (1.0 + total(&slow)),
                "case {case}: {fast:?} vs {slow:?}"
            );
            // Breakpoints can differ between exactly tied optima: a point outside both
            // neighbouring levels costs c² on either side of a split next to it.
            if fast.breakpoints != slow.breakpoints {
                ties += 1;
            }
        }
        assert!(ties <= 15, "{ties} tied optima of 300");
    }

    #[test]
    fn spikes_are_not_changes() {
        let mut rng = crate::stats::rng::Rng::new(3);
        let mut x: Vec<f64> = (0..400)
            .map(|i| if i >= 200 { 3.0 } else { 0.0 } + rng.normal())
            .collect();
        for &i in &[50usize, 51, 120, 300, 301, 302] {
            x[i] += 25.0;
        }
        let seg =
            fpop_biweight(&x, 3.0, 2.0 * 2.0 * (400f64).ln(), 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(seg.breakpoints.len(), 1, "{:?}", seg.breakpoints);
        assert!(seg.breakpoints[0].abs_diff(200) <= 3);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(fpop_biweight(&[], 1.0, 1.0, 1).is_err());
        assert!(fpop_biweight(&[1.0, f64::NAN], 1.0, 1.0, 1).is_err());
        assert!(fpop_biweight(&[1.0, 2.0], 1.0, -1.0, 1).is_err());
        assert!(fpop_biweight(&[1.0, 2.0], 0.0, 1.0, 1).is_err());
        assert!(fpop_biweight(&[1.0, 2.0], 1.0, 1.0, 3).is_err());
    }
}
