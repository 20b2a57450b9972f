//! Functional pruning (FPOP) for the Gaussian-mean (L2) cost.

use super::{backtrack, check_penalty, prepare, Segmentation};
use crate::changepoint::cost::{Cost, L2};
use crate::Result;

/// FPOP (Maidstone, Hocking, Rigaill & Fearnhead 2017, "On optimal multiple changepoint
/// algorithms for large data", Statistics and Computing 27:519–533) for the L2 cost: the exact
/// optimal-partitioning solution (same breakpoints as [`super::optimal_partitioning`] and
/// [`super::pelt`]) in near-linear time even when segments are long, where PELT degrades to
/// O(n²).
///
/// Each candidate last change τ keeps the interval of means μ on which it can still beat every
/// newer candidate. Against a newer τ' the difference of their functional costs does not change
/// as data arrive:
///
/// ```text
/// f_τ(μ) - f_τ'(μ) = F(τ) - F(τ') + Σ_{τ<=i<τ'} (x_i - μ)²   <= 0
///   ⇔  |μ - x̄_{τ:τ'}| <= √((F(τ') - F(τ) - C(τ, τ')) / (τ' - τ))
/// ```
/// so the interval only shrinks, and τ is dropped for good when it is empty. With a minimum
/// segment length m a candidate joins the comparison only once it is admissible (at s = τ + m),
/// which keeps the pruning exact. A relative margin of 1e-10 widens the intervals against
/// round-off.
///
/// # Errors
/// As [`super::pelt`], and [`crate::Error::NonFinite`] for NaN/±∞ in `x`.
pub fn fpop(x: &[f64], penalty: f64, min_size: usize) -> Result<Segmentation> {
    check_penalty(penalty)?;
    let cost = L2::new(x)?;
    let m = prepare(&cost, min_size)?;
    let n = x.len();
    let mut f = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    f[0] = 0.0;
    // Alive candidates, increasing τ: (τ, lo, hi) interval of μ (centred units).
    let mut cands: Vec<(usize, f64, f64)> = Vec::new();
    for s in m..=n {
        let t_new = s - m;
        if f[t_new].is_finite() {
            let fn_new = f[t_new];
            cands.retain_mut(|c| {
                let (t, lo, hi) = *c;
                let len = (t_new - t) as f64;
                let slack = fn_new - f[t] - cost.cost(t, t_new);
                let margin = 1e-10 * (fn_new.abs() + penalty) + f64::MIN_POSITIVE;
                if slack + margin < 0.0 {
                    return false;
                }
                let centre = cost.centred_mean(t, t_new);
                let r = ((slack + margin).max(0.0) / len).sqrt();
                let (lo, hi) = (lo.max(centre - r), hi.min(centre + r));
                *c = (t, lo, hi);
                lo <= hi
            });
            cands.push((t_new, f64::NEG_INFINITY, f64::INFINITY));
        }
        let mut best = f64::INFINITY;
        let mut arg = 0;
        for &(t, _, _) in &cands {
            let total = f[t] + (cost.cost(t, s) + penalty);
            if total < best {
                best = total;
                arg = t;
            }
        }
        f[s] = best;
        last[s] = arg;
    }
    let breakpoints = backtrack(&last, n);
    Ok(Segmentation {
        cost: cost.sum_of_costs(&breakpoints),
        breakpoints,
        n,
    })
}
