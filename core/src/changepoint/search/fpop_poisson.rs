//! Functional pruning (FPOP) for the Poisson cost: pieces over the rate λ ≥ 0.

use super::fpop::{fpop_driver, Anchored};
use super::Segmentation;
use crate::changepoint::cost::Cost;
use crate::changepoint::cost::Poisson;
use crate::Result;

/// FPOP for the [`Poisson`] cost: the exact optimal-partitioning solution (same breakpoints as
/// [`super::optimal_partitioning`] and [`super::pelt`] with the Poisson cost), near-linear when
/// segments are long. The same recursion as [`super::fpop`], over the rate λ ≥ 0 instead of a
/// mean.
///
/// Per candidate τ (last change), after the data up to s, the functional cost is
///
/// ```text
/// f_τ(λ) = F(τ) + 2 (m λ - S ln λ),    m = s - τ,  S = Σ_{τ<=i<s} x_i
/// ```
/// whose minimum over λ (at λ̂ = S/m; λ → 0 when S = 0) is exactly `F(τ) + C(τ, s)`. For an older
/// candidate τ and a newcomer τ' (ΔS, Δm over `[τ, τ')`) the difference
/// `f_τ - f_τ' = F(τ) - F(τ') + 2 (Δm λ - ΔS ln λ)` is convex in λ and fixed as data arrive, so
/// the set where τ is at least as good is an interval. With `k = slack / (2 ΔS)`,
/// `slack = F(τ') - F(τ) - C(τ, τ') ≥ 0` and `λ* = ΔS / Δm`, its ends are `λ* e^v` for the two
/// roots of
///
/// ```text
/// e^v - 1 - v = k        (v_lo < 0 < v_hi)
/// ΔS = 0:   λ ∈ [0, slack / (2 Δm)]    (closed form)
/// ```
/// found by Newton's method on the convex function of v, started from the series reversion of
/// each branch (exact to round-off for small k, where no step is needed); after one step the
/// iterates approach the root monotonically, so they cannot jump branches. The pieces live on
/// θ = ln λ, and a root is only computed when the signs at a piece's ends show it lies inside
/// the piece. The same relative margin of 1e-10 as the L2 FPOP widens the intervals against
/// round-off. Limitation: the margin is relative to |F|, which for the Poisson cost includes the
/// large `S ln λ` terms (|F| ≈ 10¹² for counts near 10⁹); when the penalty is not large against
/// `1e-10 |F|`, a newcomer better by less than the margin can be pruned, and the result can be
/// worse than the optimum by about that margin. Reference: Maidstone et al. (2017),
/// whose FPOP covers "any cost from the exponential family"; the Poisson intervals are derived
/// here, not transcribed.
///
/// # Errors
/// As [`super::pelt`]: [`crate::Error::TooFewPoints`] when `n < min_size`,
/// [`crate::Error::InvalidArgument`] for a negative/non-finite penalty or a negative count, and
/// [`crate::Error::NonFinite`] for NaN/±∞ in `x`.
pub fn fpop_poisson(x: &[f64], penalty: f64, min_size: usize) -> Result<Segmentation> {
    let cost = Poisson::new(x)?;
    // Pieces live on θ = ln λ ∈ [-∞, ∞): one logarithm per comparison instead of one per end.
    fpop_driver(&cost, penalty, min_size, |t, t_new, base, lo, hi| {
        let dm = (t_new - t) as f64;
        let ds = cost.sum(t, t_new);
        if ds <= 0.0 {
            // C(t, t_new) = 0.
            if base < 0.0 {
                return None;
            }
            let b = (base / (2.0 * dm)).ln();
            return Some((lo, hi.min(b)));
        }
        // C(t, t_new) = 2 (ΔS - ΔS ln λ*), sharing ln λ* with the interval's centre.
        let centre = (ds / dm).ln();
        let slack = base - 2.0 * (ds - ds * centre);
        if slack < 0.0 {
            return None;
        }
        keep_interval(slack / (2.0 * ds), centre, lo, hi)
    })
}

impl Anchored for Poisson {
    #[inline]
    fn anchored(&self, f: f64, tau: usize, theta: f64) -> f64 {
        // F(τ) - Σ_{i<τ} 2 (e^θ - x_i θ).
        f - 2.0 * (tau as f64 * theta.exp() - self.sum(0, tau) * theta)
    }

    fn round_off(&self, f_max: f64, theta_max: f64) -> f64 {
        // Terms up to F, 2 n e^θ and 2 S(n) |θ|; e^θ is within an ulp or two.
        let n = self.len();
        let scale = f_max + 2.0 * n as f64 * theta_max.exp() + 2.0 * self.sum(0, n) * theta_max;
        32.0 * f64::EPSILON * scale
    }
}

/// The part of the piece `[lo, hi]` (in θ = ln λ) where `e^v - 1 - v <= k`, `v = θ - centre`.
/// Ends inside the piece are found by Newton's method only when the sign of the convex function
/// at the piece's ends says a root lies inside.
fn keep_interval(k: f64, centre: f64, lo: f64, hi: f64) -> Option<(f64, f64)> {
    let (vlo, vhi) = (lo - centre, hi - centre);
    let inside = |v: f64| excess(v) <= k;
    if vhi <= 0.0 {
        // Decreasing on the piece.
        if !inside(vhi) {
            return None;
        }
        let a = if inside(vlo) {
            lo
        } else {
            centre + lower_root(k)
        };
        return Some((a.max(lo), hi));
    }
    if vlo >= 0.0 {
        // Increasing on the piece.
        if !inside(vlo) {
            return None;
        }
        let b = if inside(vhi) {
            hi
        } else {
            centre + upper_root(k)
        };
        return Some((lo, b.min(hi)));
    }
    let a = if inside(vlo) {
        lo
    } else {
        centre + lower_root(k)
    };
    let b = if inside(vhi) {
        hi
    } else {
        centre + upper_root(k)
    };
    Some((a.max(lo), b.min(hi)))
}

/// `e^v - 1 - v`, accurate near 0 (a series where the subtraction would cancel); `+∞` at `±∞`.
#[inline]
fn excess(v: f64) -> f64 {
    if v.abs() < 1e-3 {
        let v2 = v * v;
        v2 * (0.5 + v * (1.0 / 6.0 + v * (1.0 / 24.0 + v / 120.0)))
    } else if v.is_infinite() {
        f64::INFINITY
    } else {
        v.exp_m1() - v
    }
}

/// Newton's method on the convex `g(v) = e^v - 1 - v - k` from `v`, which must lie on the branch
/// (same sign as the root): after at most one step the iterates are on the far side of the root
/// and move monotonically towards it, so they cannot jump to the other branch. The relative error
/// squares (halved) at each step, so a step below 1e-7 |v| leaves an error below ~1e-14.
#[inline]
fn newton(k: f64, mut v: f64) -> f64 {
    for _ in 0..60 {
        let e = v.exp_m1();
        let g = if v.abs() < 1e-3 { excess(v) } else { e - v } - k;
        if g == 0.0 || e == 0.0 || !e.is_finite() {
            break;
        }
        let step = g / e;
        v -= step;
        if step.abs() <= 1e-7 * v.abs() {
            break;
        }
    }
    v
}

/// Reversion of `e^v - 1 - v = p²/2` near 0: `v = p - p²/6 + p³/36 - p⁴/270 + p⁵/4320 +
/// p⁶/17010 + O(p⁷)` (the upper root for `p = √(2k)`, the lower one for `p = -√(2k)`); relative
/// error below 3e-13 for k ≤ 1e-3, 2e-4 at k = 1.
#[inline]
fn series(p: f64) -> f64 {
    p * (1.0
        + p * (-1.0 / 6.0
            + p * (1.0 / 36.0 + p * (-1.0 / 270.0 + p * (1.0 / 4320.0 + p / 17010.0)))))
}

/// Below this k the series is the root to round-off; no Newton step is needed.
const SERIES_ONLY: f64 = 1e-3;

/// The root `v > 0` of `e^v - 1 - v = k` (k > 0): the series for k ≤ 2, else Newton from
/// `ln(1 + k + ln(1 + k))`.
fn upper_root(k: f64) -> f64 {
    if k <= 0.0 {
        return 0.0;
    }
    if !k.is_finite() {
        return f64::INFINITY;
    }
    if k <= 2.0 {
        let start = series((2.0 * k).sqrt());
        if k <= SERIES_ONLY {
            return start;
        }
        return newton(k, start);
    }
    newton(k, (1.0 + k + k.ln_1p()).ln())
}

/// The root `v < 0` of `e^v - 1 - v = k` (k > 0): the series for k ≤ 2, else Newton from
/// `-(1 + k)`.
fn lower_root(k: f64) -> f64 {
    if k <= 0.0 {
        return 0.0;
    }
    if !k.is_finite() {
        return f64::NEG_INFINITY;
    }
    if k <= 2.0 {
        let start = series(-(2.0 * k).sqrt());
        if k <= SERIES_ONLY {
            return start;
        }
        return newton(k, start);
    }
    newton(k, -(1.0 + k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_solve_the_equation() {
        for &k in &[
            1e-14, 1e-9, 1e-4, 9e-4, 1.1e-3, 0.01, 0.5, 1.0, 1.9, 2.1, 3.0, 40.0, 1e3, 1e8,
        ] {
            let (lo, hi) = (lower_root(k), upper_root(k));
            assert!(lo < 0.0 && hi > 0.0, "k={k}: {lo} {hi}");
            for v in [lo, hi] {
                let g = excess(v);
                assert!((g - k).abs() <= 1e-9 * k, "k={k}, v={v}: {g}");
            }
        }
        assert_eq!((lower_root(0.0), upper_root(0.0)), (0.0, 0.0));
        // A piece straddling the minimum keeps [centre + lower, centre + upper].
        let (a, b) = keep_interval(0.5, 1.0, f64::NEG_INFINITY, f64::INFINITY).unwrap_or_default();
        assert!(
            (a - 1.0 - lower_root(0.5)).abs() < 1e-15 && (b - 1.0 - upper_root(0.5)).abs() < 1e-15
        );
        assert!(keep_interval(0.5, 1.0, 5.0, 6.0).is_none());
        assert_eq!(keep_interval(0.5, 1.0, 0.9, 1.1), Some((0.9, 1.1)));
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(fpop_poisson(&[], 1.0, 1).is_err());
        assert!(fpop_poisson(&[1.0, -1.0], 1.0, 1).is_err());
        assert!(fpop_poisson(&[1.0, f64::NAN], 1.0, 1).is_err());
        assert!(fpop_poisson(&[1.0, 2.0], -1.0, 1).is_err());
        assert!(fpop_poisson(&[1.0, 2.0], 1.0, 3).is_err());
    }

    /// `detect` with the Poisson cost runs this search (PELT and FPOP give the same candidates).
    #[test]
    fn detect_uses_it_for_poisson() {
        use crate::changepoint::search::{pelt, Method};
        use crate::changepoint::{detect, CostKind, DetectOptions};
        let mut rng = crate::stats::rng::Rng::new(4);
        let x: Vec<f64> = (0..3000)
            .map(|i| {
                let rate = if (1000..2200).contains(&i) { 9.0 } else { 6.0 };
                (0..40).filter(|_| rng.uniform() < rate / 40.0).count() as f64
            })
            .collect();
        for method in [Method::Pelt, Method::Fpop] {
            let o = DetectOptions {
                cost: CostKind::Poisson,
                method,
                ..DetectOptions::default()
            };
            let d = detect(&x, &o).unwrap_or_else(|e| panic!("{e}"));
            let cost = Poisson::new(&x).unwrap_or_else(|e| panic!("{e}"));
            let exact = pelt(&cost, d.penalty_value, o.min_size).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(d.candidates, exact.breakpoints);
            let idx: Vec<usize> = d.change_points.iter().map(|c| c.index).collect();
            assert_eq!(idx.len(), 2, "{idx:?}");
            assert!(
                idx[0].abs_diff(1000) <= 10 && idx[1].abs_diff(2200) <= 10,
                "{idx:?}"
            );
        }
    }

    #[test]
    fn finds_a_rate_change() {
        let x: Vec<f64> = (0..200)
            .map(|i| {
                if i < 120 {
                    (i % 3) as f64
                } else {
                    8.0 + (i % 5) as f64
                }
            })
            .collect();
        let seg = fpop_poisson(&x, 10.0, 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(seg.breakpoints, vec![120]);
    }
}
