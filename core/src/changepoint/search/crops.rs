//! CROPS: every optimal segmentation over a range of penalties.

use serde::Serialize;

use super::{check_penalty, Segmentation};
use crate::{Error, Result};

/// One segmentation on the CROPS path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CropsEntry {
    /// Smallest penalty (within the range searched) at which this segmentation is optimal.
    pub penalty_min: f64,
    /// Largest penalty (within the range searched) at which it is optimal.
    pub penalty_max: f64,
    /// The segmentation (its `cost` is without penalty).
    pub segmentation: Segmentation,
}

/// The result of [`crops`]: segmentations by decreasing number of changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crops {
    /// Distinct optimal segmentations, from the most to the fewest change points.
    pub path: Vec<CropsEntry>,
    /// Number of exact searches run.
    pub searches: usize,
}

/// CROPS (Haynes, Eckley & Fearnhead 2017, "Computationally efficient changepoint detection
/// for a range of penalties", JCGS 26:134–143): all segmentations that are optimal for some
/// penalty in `[min_penalty, max_penalty]`, with at most `2 · (#segmentations) + 2` runs of an
/// exact penalised search `solve` (e.g. `|b| pelt(&cost, b, min_size)` or `fpop`).
///
/// ```text
/// Q(k) = cost of the optimal segmentation with k changes (convex in k on the path)
/// for an interval (β₀, β₁) with k₀ > k₁ + 1:
///     β* = (Q(k₁) - Q(k₀)) / (k₀ - k₁);   solve at β*;
///     if k(β*) ∉ {k₀, k₁}: recurse on (β₀, β*) and (β*, β₁)
/// ```
/// Segmentation `i` is optimal on `[penalty_min, penalty_max]`, where the boundaries are the
/// intersection penalties `(Q(k_{i+1}) - Q(k_i)) / (k_i - k_{i+1})`.
///
/// # Errors
/// [`Error::InvalidArgument`] unless `0 <= min_penalty <= max_penalty < ∞`; errors of `solve`.
pub fn crops<F>(min_penalty: f64, max_penalty: f64, mut solve: F) -> Result<Crops>
where
    F: FnMut(f64) -> Result<Segmentation>,
{
    check_penalty(min_penalty)?;
    check_penalty(max_penalty)?;
    if min_penalty > max_penalty {
        return Err(Error::invalid(
            "penalty range",
            format!("min {min_penalty} > max {max_penalty}"),
        ));
    }
    let mut found: Vec<Segmentation> = Vec::new();
    let mut searches = 0;
    let mut run = |beta: f64, found: &mut Vec<Segmentation>| -> Result<(usize, f64)> {
        let s = solve(beta)?;
        searches += 1;
        let key = (s.breakpoints.len(), s.cost);
        if !found.iter().any(|f| f.breakpoints.len() == key.0) {
            found.push(s);
        }
        Ok(key)
    };
    let lo = run(min_penalty, &mut found)?;
    let hi = run(max_penalty, &mut found)?;
    let mut stack = vec![(lo, hi)];
    while let Some(((k0, q0), (k1, q1))) = stack.pop() {
        if k0 <= k1 + 1 {
            continue;
        }
        let beta = ((q1 - q0) / (k0 - k1) as f64).clamp(min_penalty, max_penalty);
        let mid = run(beta, &mut found)?;
        // Recurse only strictly inside (k₁, k₀): exact ties or round-off can make the number
        // of changes non-monotone in the penalty, which must not loop (the range of k
        // strictly shrinks, so this terminates).
        if mid.0 < k0 && mid.0 > k1 {
            stack.push(((k0, q0), mid));
            stack.push((mid, (k1, q1)));
        }
    }
    found.sort_by_key(|s| std::cmp::Reverse(s.breakpoints.len()));
    let mut path: Vec<CropsEntry> = Vec::with_capacity(found.len());
    for (i, seg) in found.iter().enumerate() {
        let k = seg.breakpoints.len() as f64;
        let lower = match i.checked_sub(1).and_then(|j| found.get(j)) {
            Some(prev) => (seg.cost - prev.cost) / (prev.breakpoints.len() as f64 - k),
            None => min_penalty,
        };
        let upper = match found.get(i + 1) {
            Some(next) => (next.cost - seg.cost) / (k - next.breakpoints.len() as f64),
            None => max_penalty,
        };
        path.push(CropsEntry {
            penalty_min: lower.clamp(min_penalty, max_penalty),
            penalty_max: upper.clamp(min_penalty, max_penalty),
            segmentation: seg.clone(),
        });
    }
    Ok(Crops { path, searches })
}
