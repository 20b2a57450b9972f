//! Exact dynamic programming: optimal partitioning (penalty) and segment neighbourhood (k).

use super::{backtrack, check_penalty, prepare, Segmentation};
use crate::changepoint::cost::Cost;
use crate::{Error, Result};

/// Optimal partitioning (Jackson et al. 2005): the exact minimiser of
/// `Σ_segments C + β · (#segments)` over all segmentations with segments ≥ `min_size`, in O(n²)
/// cost queries. Kept simple on purpose: it is the oracle PELT is tested against.
///
/// ```text
/// F(0) = 0,  F(s) = min_{t <= s - m, F(t) < ∞} F(t) + (C(t, s) + β)
/// ```
/// Ties go to the smallest `t` (as ruptures' `Pelt` does).
///
/// # Errors
/// [`Error::TooFewPoints`] when `n < min_size`; [`Error::InvalidArgument`] for a bad penalty.
pub fn optimal_partitioning<C: Cost + ?Sized>(
    cost: &C,
    penalty: f64,
    min_size: usize,
) -> Result<Segmentation> {
    check_penalty(penalty)?;
    let m = prepare(cost, min_size)?;
    let n = cost.len();
    let mut f = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    f[0] = 0.0;
    for s in m..=n {
        let mut best = f64::INFINITY;
        let mut arg = 0;
        for (t, &ft) in f.iter().enumerate().take(s - m + 1) {
            if ft.is_finite() {
                let v = ft + (cost.cost(t, s) + penalty);
                if v < best {
                    best = v;
                    arg = t;
                }
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

/// Segment neighbourhood (Auger & Lawrence 1989): the exact best segmentation with exactly `k`
/// change points, O(k n²) queries and O(k n) memory; ruptures' `Dynp`.
///
/// ```text
/// F_0(s) = C(0, s),   F_j(s) = min_{t} F_{j-1}(t) + C(t, s)
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] when `n < (k + 1) · min_size`.
pub fn segment_neighbourhood<C: Cost + ?Sized>(
    cost: &C,
    k: usize,
    min_size: usize,
) -> Result<Segmentation> {
    let m = prepare(cost, min_size)?;
    let n = cost.len();
    let needed = (k + 1).saturating_mul(m);
    if n < needed {
        return Err(Error::TooFewPoints {
            what: "signal",
            needed,
            got: n,
        });
    }
    let mut prev: Vec<f64> = (0..=n)
        .map(|s| {
            if s >= m {
                cost.cost(0, s)
            } else {
                f64::INFINITY
            }
        })
        .collect();
    let mut args: Vec<Vec<usize>> = Vec::with_capacity(k);
    for j in 1..=k {
        let mut cur = vec![f64::INFINITY; n + 1];
        let mut arg = vec![0usize; n + 1];
        for s in (j + 1) * m..=n {
            let mut best = f64::INFINITY;
            for (t, &pt) in prev.iter().enumerate().take(s - m + 1).skip(j * m) {
                let v = pt + cost.cost(t, s);
                if v < best {
                    best = v;
                    arg[s] = t;
                }
            }
            cur[s] = best;
        }
        args.push(arg);
        prev = cur;
    }
    let mut breakpoints = Vec::with_capacity(k);
    let mut s = n;
    for arg in args.iter().rev() {
        s = arg[s];
        breakpoints.push(s);
    }
    breakpoints.reverse();
    Ok(Segmentation {
        cost: cost.sum_of_costs(&breakpoints),
        breakpoints,
        n,
    })
}
