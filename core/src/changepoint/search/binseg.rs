//! Binary segmentation.

use super::{check_penalty, prepare, Segmentation, Stop};
use crate::changepoint::cost::Cost;
use crate::{Error, Result};

/// A segment `[start, end)` with its cached best split (gain, breakpoint).
type Piece = (usize, usize, Option<(f64, usize)>);

/// Binary segmentation (Scott & Knott 1974): repeatedly split the segment whose best single split
/// ([`Cost::best_split`]) lowers the total cost most, until `k` changes are found
/// ([`Stop::NumChanges`]) or the best gain is ≤ the penalty ([`Stop::Penalty`]). Greedy, so not
/// optimal; mirrors ruptures' `Binseg` with `jump = 1` (the first segment wins ties between
/// segments, the largest breakpoint ties within one). Each segment is scanned once, when it is
/// created: O(n log n) split evaluations for balanced splits.
///
/// # Errors
/// [`Error::TooFewPoints`] when `n < min_size`, or when `k` changes cannot fit;
/// [`Error::InvalidArgument`] for a bad penalty.
pub fn binseg<C: Cost + ?Sized>(cost: &C, stop: Stop, min_size: usize) -> Result<Segmentation> {
    let m = prepare(cost, min_size)?;
    let n = cost.len();
    if let Stop::Penalty(p) = stop {
        check_penalty(p)?;
    }
    if let Stop::NumChanges(k) = stop {
        let needed = (k + 1).saturating_mul(m);
        if n < needed {
            return Err(Error::TooFewPoints {
                what: "signal",
                needed,
                got: n,
            });
        }
    }
    // Segments in order with their cached best split.
    let mut segs: Vec<Piece> = vec![(0, n, cost.best_split(0, n, m))];
    loop {
        let mut pick: Option<(usize, f64, usize)> = None;
        for (i, &(_, _, split)) in segs.iter().enumerate() {
            if let Some((g, b)) = split {
                if pick.map_or(true, |(_, pg, _)| g > pg) {
                    pick = Some((i, g, b));
                }
            }
        }
        let Some((i, gain, b)) = pick else { break };
        let go_on = match stop {
            Stop::NumChanges(k) => segs.len() - 1 < k,
            Stop::Penalty(p) => gain > p,
        };
        if !go_on {
            break;
        }
        let (start, end, _) = segs[i];
        segs[i] = (start, b, cost.best_split(start, b, m));
        segs.insert(i + 1, (b, end, cost.best_split(b, end, m)));
    }
    let breakpoints: Vec<usize> = segs.iter().skip(1).map(|s| s.0).collect();
    Ok(Segmentation {
        cost: cost.sum_of_costs(&breakpoints),
        breakpoints,
        n,
    })
}
