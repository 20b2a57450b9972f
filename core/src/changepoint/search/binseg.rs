//! Binary segmentation.

use super::{check_penalty, prepare, Segmentation, Stop};
use crate::changepoint::cost::{Cost, Kept, KeptCosts, Linear};
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
    binseg_with(cost, stop, min_size, |start, end, m, _| {
        cost.best_split(start, end, m)
    })
}

/// [`binseg`] with the linear cost, each scan reading the side of its splits that its parent's
/// scan computed ([`Linear::best_split_kept`]): the same segmentation, about half the work.
///
/// # Errors
/// As [`binseg`].
pub(crate) fn binseg_linear(cost: &Linear, stop: Stop, min_size: usize) -> Result<Segmentation> {
    let mut kept = KeptCosts::default();
    binseg_with(cost, stop, min_size, |start, end, m, side| {
        cost.best_split_kept(start, end, m, &mut kept, side)
    })
}

/// [`binseg`] with `split(start, end, m, kept)` giving the best split of `[start, end)`; `kept`
/// says which side's costs the scan of the segment it came from computed.
fn binseg_with<C: Cost + ?Sized>(
    cost: &C,
    stop: Stop,
    min_size: usize,
    mut split: impl FnMut(usize, usize, usize, Kept) -> Option<(f64, usize)>,
) -> Result<Segmentation> {
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
    let mut segs: Vec<Piece> = vec![(0, n, split(0, n, m, Kept::Nothing))];
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
        segs[i] = (start, b, split(start, b, m, Kept::Left));
        segs.insert(i + 1, (b, end, split(b, end, m, Kept::Right)));
    }
    let breakpoints: Vec<usize> = segs.iter().skip(1).map(|s| s.0).collect();
    Ok(Segmentation {
        cost: cost.sum_of_costs(&breakpoints),
        breakpoints,
        n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    use crate::changepoint::cost::linear::tests::Plain;

    #[test]
    fn kept_costs_give_the_default_segmentation() {
        let mut rng = Rng::new(12);
        let n = 3000;
        // Kinks, steps, integers (tied gains) and pure noise.
        let kinks: Vec<f64> = (0..n)
            .map(|i| f64::from((i % 700).min(350)) * 0.02 + rng.normal())
            .collect();
        let steps: Vec<f64> = (0..n)
            .map(|i| f64::from(i / 400 % 2) * 3.0 + rng.normal())
            .collect();
        let ints: Vec<f64> = (0..n)
            .map(|i| rng.poisson(2.0 + f64::from(i / 1000)))
            .collect();
        let noise: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mut changes = 0;
        for x in [&kinks, &steps, &ints, &noise] {
            let cost = Linear::new(x).unwrap_or_else(|e| panic!("{e}"));
            for stop in [
                Stop::Penalty(1.0),
                Stop::Penalty(20.0),
                Stop::NumChanges(25),
            ] {
                for min_size in [2, 5, 40] {
                    let fast = binseg_linear(&cost, stop, min_size);
                    let slow = binseg(&Plain(&cost), stop, min_size);
                    let (fast, slow) = (
                        fast.unwrap_or_else(|e| panic!("{e}")),
                        slow.unwrap_or_else(|e| panic!("{e}")),
                    );
                    assert_eq!(fast.breakpoints, slow.breakpoints, "{stop:?} {min_size}");
                    assert_eq!(fast.cost.to_bits(), slow.cost.to_bits());
                    changes += fast.breakpoints.len();
                }
            }
        }
        assert!(changes > 200, "{changes}");
    }
}
