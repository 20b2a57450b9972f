//! Functional pruning (FPOP) for the L1 cost: pieces over the segment median θ.

use super::fpop::fpop_driver;
use super::Segmentation;
use crate::changepoint::cost::{Cost, L1};
use crate::Result;

/// FPOP for the [`L1`] cost: the exact optimal-partitioning solution (same breakpoints as
/// [`super::optimal_partitioning`] and [`super::pelt`] with the L1 cost), near-linear when
/// segments are long. The same recursion as [`super::fpop`], over the segment location θ.
///
/// For an older candidate τ and a newcomer τ' the difference of their functional costs is
///
/// ```text
/// f_τ(θ) - f_τ'(θ) = F(τ) - F(τ') + g(θ),    g(θ) = Σ_{τ<=i<τ'} |x_i - θ|
/// ```
/// convex and piecewise linear in θ (kinks at the data), minimal (= C(τ, τ')) between the two
/// middle order statistics, so τ keeps the interval `{θ : g(θ) <= F(τ') - F(τ)}`. Its ends lie
/// between two values of consecutive global ranks where g crosses the bound (g is linear
/// there: no value of `x[τ..τ')` lies strictly between); one descent of the rank index of
/// [`L1`] (binary lifting over the ranks, g at each probe from the counts and sums it carries)
/// finds them in O(log n), then a linear interpolation. Two O(1)
/// bounds settle most comparisons first: `g(θ) >= |S - m θ|` (the set lies within
/// `x̄ ± (F(τ') - F(τ))/m`) and `|g'| <= m` (it contains the median interval widened by
/// `slack/m`); a root is only searched for when g at the piece's ends shows it lies inside. Reference:
/// Maidstone et al. (2017) for FPOP; the gfpop / robseg line of work (Hocking et al. 2020,
/// Fearnhead & Rigaill 2019) for piecewise-linear and bounded losses. The L1 intervals are
/// derived here.
///
/// # Errors
/// As [`super::pelt`], and [`crate::Error::NonFinite`] for NaN/±∞ in `x`.
pub fn fpop_l1(x: &[f64], penalty: f64, min_size: usize) -> Result<Segmentation> {
    let cost = L1::new(x)?;
    fpop_driver(&cost, penalty, min_size, |t, t_new, base, lo, hi| {
        let m = t_new - t;
        // O(1) outer bound first: g(θ) >= |S - m θ|, so the set lies within mean ± base / m.
        let mean = cost.sum(t, t_new) / m as f64;
        let reach = base / m as f64;
        if base < 0.0 || hi < mean - reach || lo > mean + reach {
            return None;
        }
        let (k_lo, k_hi) = ((m - 1) / 2, m / 2);
        // g at the lower median is the segment cost C(t, t_new).
        let (c, med_lo) = cost.abs_dev_at_order(t, t_new, k_lo);
        let slack = base - c;
        if slack < 0.0 {
            return None;
        }
        let med_hi = if k_hi == k_lo {
            med_lo
        } else {
            cost.abs_dev_at_order(t, t_new, k_hi).1
        };
        // Inner bound: |g'| <= m, so g <= base within slack / m of the median interval.
        let inner = slack / m as f64;
        if lo >= med_lo - inner && hi <= med_hi + inner {
            return Some((lo, hi));
        }
        // g is linear between values of consecutive global ranks (no value of the segment lies
        // strictly between), so each end is found by one descent over the ranks and a linear
        // interpolation.
        let mf = m as f64;
        let g_lo = cost.abs_dev(t, t_new, lo);
        let a = if g_lo <= base {
            lo
        } else if lo >= med_lo {
            return None;
        } else {
            let r_med = cost.order_rank(t, t_new, k_lo).0;
            // Last rank left of the median with g above the bound.
            match cost.last_rank(t, t_new, |r, g| r < r_med && g > base) {
                // g <= base already at the smallest value: slope -m below it.
                None => {
                    let (v, g) = cost.abs_dev_at_rank(t, t_new, 0);
                    v - (base - g) / mf
                }
                Some(r) => {
                    let (v0, g0) = cost.abs_dev_at_rank(t, t_new, r);
                    let (v1, g1) = cost.abs_dev_at_rank(t, t_new, r + 1);
                    v0 + (g0 - base) * (v1 - v0) / (g0 - g1)
                }
            }
        };
        let g_hi = cost.abs_dev(t, t_new, hi);
        let b = if g_hi <= base {
            hi
        } else if hi <= med_hi {
            return None;
        } else {
            let r_med = cost.order_rank(t, t_new, k_hi).0;
            // Last rank right of the median with g within the bound (true up to it).
            let r = cost
                .last_rank(t, t_new, |r, g| r <= r_med || g <= base)
                .unwrap_or(r_med);
            let (v0, g0) = cost.abs_dev_at_rank(t, t_new, r);
            if r + 1 >= cost.len() {
                // Beyond the largest value: slope +m.
                v0 + (base - g0) / mf
            } else {
                let (v1, g1) = cost.abs_dev_at_rank(t, t_new, r + 1);
                v0 + (base - g0) * (v1 - v0) / (g1 - g0)
            }
        };
        Some((a.max(lo), b.min(hi)))
    })
}
