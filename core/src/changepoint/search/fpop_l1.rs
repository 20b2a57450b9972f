//! Functional pruning (FPOP) for the L1 cost: pieces over the segment median θ.

use super::fpop::fpop_driver;
use super::Segmentation;
use crate::changepoint::cost::L1;
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
/// between consecutive order statistics `v_k` of `x[τ..τ')` where g crosses the bound; a binary
/// search over k (g at `v_k` from the rank index of [`L1`], O(log n) each) finds them, and g is
/// linear in between (slope `2k - m` left of the median, `2(k + 1) - m` right of it). Two O(1)
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
        let g_lo = cost.abs_dev(t, t_new, lo);
        let a = if g_lo <= base {
            lo
        } else if lo >= med_lo {
            return None;
        } else {
            // Smallest k <= k_lo with g(v_k) <= base (g(v_{k_lo}) = C <= base).
            let (mut l, mut r) = (0usize, k_lo);
            while l < r {
                let mid = (l + r) / 2;
                if cost.abs_dev_at_order(t, t_new, mid).0 <= base {
                    r = mid;
                } else {
                    l = mid + 1;
                }
            }
            let (g, v) = cost.abs_dev_at_order(t, t_new, l);
            v - (base - g) / (m - 2 * l) as f64
        };
        let g_hi = cost.abs_dev(t, t_new, hi);
        let b = if g_hi <= base {
            hi
        } else if hi <= med_hi {
            return None;
        } else {
            // Largest k >= k_hi with g(v_k) <= base.
            let (mut l, mut r) = (k_hi, m - 1);
            while l < r {
                let mid = (l + r).div_ceil(2);
                if cost.abs_dev_at_order(t, t_new, mid).0 <= base {
                    l = mid;
                } else {
                    r = mid - 1;
                }
            }
            let (g, v) = cost.abs_dev_at_order(t, t_new, l);
            v + (base - g) / (2 * (l + 1) - m) as f64
        };
        Some((a.max(lo), b.min(hi)))
    })
}
