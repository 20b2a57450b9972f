//! Functional pruning (FPOP) for the Gaussian-mean (L2) cost, and the driver shared with the
//! Poisson cost ([`super::fpop_poisson()`]).

use super::{backtrack, check_penalty, prepare, Segmentation};
use crate::changepoint::cost::{Cost, L2};
use crate::Result;

/// A piece `[lo, hi]` of the parameter line and the candidate that is best on it.
type Piece = (f64, f64, usize);

/// Appends a piece, merging it with the previous one when the owner is the same.
#[inline]
fn push_piece(out: &mut Vec<Piece>, lo: f64, hi: f64, t: usize) {
    if let Some(last) = out.last_mut() {
        if last.2 == t {
            last.1 = hi;
            return;
        }
    }
    out.push((lo, hi, t));
}

/// The exact FPOP recursion over any cost whose per-candidate functional costs differ by a
/// function convex in the segment parameter θ (so the set where the older candidate wins is an
/// interval).
///
/// The pieces cover the whole line of the parameter θ (a mean, or the log of a rate).
/// `keep(t, t_new, base, lo, hi)` returns the part of the piece `[lo, hi]` where the older
/// candidate `t` is at least as good as the newcomer `t_new`, given
/// `base = F(t_new) - F(t) + margin`; `None` when it is empty (always when
/// `slack = base - C(t, t_new) < 0`: the newcomer is better even at the older candidate's best θ).
/// As the set is an interval, the part is one sub-interval.
///
/// Work per step: one pass over the pieces (O(number of pieces)) and one over the candidates
/// still labelling a piece; the buffers are reused, so no allocation after the first steps.
pub(crate) fn fpop_driver<C, K>(
    cost: &C,
    penalty: f64,
    min_size: usize,
    keep: K,
) -> Result<Segmentation>
where
    C: Cost + ?Sized,
    K: Fn(usize, usize, f64, f64, f64) -> Option<(f64, f64)>,
{
    check_penalty(penalty)?;
    let m = prepare(cost, min_size)?;
    let n = cost.len();
    let mut f = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    f[0] = 0.0;
    // The functional cost min_τ f_τ(θ) as sorted pieces (lo, hi, τ) covering the domain.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut next: Vec<Piece> = Vec::new();
    // Candidates labelling at least one piece, increasing τ.
    let mut alive: Vec<usize> = Vec::new();
    let mut seen = vec![usize::MAX; n + 1];
    for s in m..=n {
        let t_new = s - m;
        if f[t_new].is_finite() {
            next.clear();
            if pieces.is_empty() {
                next.push((f64::NEG_INFINITY, f64::INFINITY, t_new));
            }
            let margin = 1e-10 * (f[t_new].abs() + penalty) + f64::MIN_POSITIVE;
            let mut changed = pieces.is_empty();
            for &(lo, hi, t) in &pieces {
                let base = f[t_new] - f[t] + margin;
                let kept = keep(t, t_new, base, lo, hi).filter(|&(a, b)| a <= b);
                match kept {
                    None => {
                        changed = true;
                        push_piece(&mut next, lo, hi, t_new);
                    }
                    Some((a, b)) => {
                        if lo < a {
                            changed = true;
                            push_piece(&mut next, lo, a, t_new);
                        }
                        push_piece(&mut next, a, b, t);
                        if b < hi {
                            changed = true;
                            push_piece(&mut next, b, hi, t_new);
                        }
                    }
                }
            }
            if changed {
                std::mem::swap(&mut pieces, &mut next);
                // Keep the candidates still owning a piece (increasing τ; the newcomer is last).
                for &(_, _, t) in &pieces {
                    seen[t] = s;
                }
                alive.retain(|&t| seen[t] == s);
                if seen[t_new] == s {
                    alive.push(t_new);
                }
            }
        }
        let mut best = f64::INFINITY;
        let mut arg = 0;
        for &t in &alive {
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

/// FPOP (Maidstone, Hocking, Rigaill & Fearnhead 2017, "On optimal multiple changepoint
/// algorithms for large data", Statistics and Computing 27:519–533) for the L2 cost: the exact
/// optimal-partitioning solution (same breakpoints as [`super::optimal_partitioning`] and
/// [`super::pelt`]) in near-linear time even when segments are long, where PELT degrades to
/// O(n²).
///
/// The functional cost `Q_s(μ) = min_τ f_τ(μ)` (best cost of the data so far if the last segment
/// has mean μ, last change at τ) is kept as sorted pieces of the line, each labelled with the
/// candidate τ that is best there; a candidate no longer labelling any piece can never be optimal
/// again and is dropped. The difference of two candidates' functional costs does not change as
/// data arrive, so a newcomer τ' only has to be compared once with each piece's owner τ:
///
/// ```text
/// f_τ(μ) - f_τ'(μ) = F(τ) - F(τ') + Σ_{τ<=i<τ'} (x_i - μ)²   <= 0
///   ⇔  |μ - x̄_{τ:τ'}| <= √((F(τ') - F(τ) - C(τ, τ')) / (τ' - τ))
/// ```
/// τ keeps that interval of its pieces, τ' takes the rest. With a minimum
/// segment length m a candidate joins the comparison only once it is admissible (at s = τ + m),
/// which keeps the pruning exact. A relative margin of 1e-10 widens the intervals against
/// round-off.
///
/// # Errors
/// As [`super::pelt`], and [`crate::Error::NonFinite`] for NaN/±∞ in `x`.
pub fn fpop(x: &[f64], penalty: f64, min_size: usize) -> Result<Segmentation> {
    let cost = L2::new(x)?;
    fpop_driver(&cost, penalty, min_size, |t, t_new, base, lo, hi| {
        let slack = base - cost.cost(t, t_new);
        if slack < 0.0 {
            return None;
        }
        // Most pieces lie wholly inside the kept interval (the newcomer only takes the tails):
        // |μ - x̄| <= r on [lo, hi] ⇔ max(S - m lo, m hi - S)² <= m · slack, no division or
        // square root (S = m x̄, the centred sum).
        let m = (t_new - t) as f64;
        let sum = cost.centred_sum(t, t_new);
        let d = (sum - m * lo).max(m * hi - sum);
        if d <= 0.0 || d * d <= m * slack {
            return Some((lo, hi));
        }
        let centre = sum / m;
        let r = (slack / m).sqrt();
        Some((lo.max(centre - r), hi.min(centre + r)))
    })
}
