//! PELT: optimal partitioning with inequality pruning.

use super::{backtrack, check_penalty, prepare, Segmentation};
use crate::changepoint::cost::Cost;
use crate::Result;

/// PELT (Killick, Fearnhead & Eckley 2012): the same exact solution as
/// [`super::optimal_partitioning`], pruning candidates that can never be optimal again.
///
/// ```text
/// F(s) = min_{t ∈ R_s} F(t) + C(t, s) + β
/// prune t at s when F(t) + C(t, s) > F(s)      (valid because C is superadditive)
/// ```
/// Departure from the textbook (and from ruptures' `Pelt`): with a minimum segment length `m`
/// the inequality only proves that `s` beats `t` for ends `s' >= s + m`, so a pruned candidate is
/// dropped `m` steps later. Without that delay the search is not exact when `m > 1` (ruptures can
/// return a worse segmentation). A relative margin of 1e-10 guards the inequality against
/// round-off. Linear time when changes are frequent; quadratic for few long segments (use
/// functional pruning then).
///
/// # Errors
/// [`crate::Error::TooFewPoints`] when `n < min_size`; [`crate::Error::InvalidArgument`] for a
/// negative or non-finite penalty.
pub fn pelt<C: Cost + ?Sized>(cost: &C, penalty: f64, min_size: usize) -> Result<Segmentation> {
    check_penalty(penalty)?;
    let m = prepare(cost, min_size)?;
    let n = cost.len();
    let mut f = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    f[0] = 0.0;
    // Candidates (t, step from which t is dropped), increasing t.
    let mut cands: Vec<(usize, usize)> = Vec::new();
    let mut vals: Vec<f64> = Vec::new();
    for s in m..=n {
        let t_new = s - m;
        if f[t_new].is_finite() {
            cands.push((t_new, usize::MAX));
        }
        cands.retain(|&(_, drop_at)| drop_at > s);
        vals.clear();
        let mut best = f64::INFINITY;
        let mut arg = 0;
        for &(t, _) in &cands {
            let c = cost.cost(t, s);
            vals.push(f[t] + c);
            let total = f[t] + (c + penalty);
            if total < best {
                best = total;
                arg = t;
            }
        }
        f[s] = best;
        last[s] = arg;
        if best.is_finite() {
            let margin = 1e-10 * (best.abs() + penalty);
            for (c, &v) in cands.iter_mut().zip(&vals) {
                if c.1 == usize::MAX && v > best + margin {
                    c.1 = s + m;
                }
            }
        }
    }
    let breakpoints = backtrack(&last, n);
    Ok(Segmentation {
        cost: cost.sum_of_costs(&breakpoints),
        breakpoints,
        n,
    })
}
