//! Downsampling for figures: min and max per bucket, so a one-point spike survives, with gaps
//! kept as breaks in the line.
//!
//! ```text
//! n + breaks ≤ max:  every point (bucket size 1)
//! otherwise:  B = ⌊max/3⌋ buckets of equal point count, [⌊kn/B⌋, ⌊(k+1)n/B⌋);
//!             each emits its min and its max in time order (≤ 2 points)
//! break:      a non-finite value, or a time step > 3 × the median step, starts a break;
//!             a bucket holding one emits a `None` at its place (≤ 1 more)
//! ```
//!
//! So a line has at most `max` entries, every extreme of a bucket is drawn (the min–max or "M4"
//! family of reductions: Jugel et al., *M4: A Visualization-Oriented Time Series Data
//! Aggregation*, VLDB 2014, keeps first/last as well; at a few hundred buckets over a plot a few
//! hundred pixels wide min/max alone is indistinguishable), and missing data is never bridged
//! by a straight line.

/// A downsampled line: times (as given) and values (`None` breaks the line).
#[derive(Debug, Clone, PartialEq)]
pub struct Downsampled {
    /// Times of the entries.
    pub t: Vec<i64>,
    /// Values; `None` is a break (gap or non-finite value).
    pub v: Vec<Option<f64>>,
}

/// Median step of `t` (sorted), if it has two points.
fn median_step(t: &[i64]) -> Option<i64> {
    let mut d: Vec<i64> = t.windows(2).map(|w| w[1] - w[0]).collect();
    if d.is_empty() {
        return None;
    }
    let mid = d.len() / 2;
    Some(*d.select_nth_unstable(mid).1)
}

/// Reduces `(t, v)` (sorted by time) to at most `max` entries (`max ≥ 3`; smaller is taken as 3)
/// by min/max per bucket, breaks kept (see the module docs).
pub fn min_max(t: &[i64], v: &[f64], max: usize) -> Downsampled {
    let n = t.len().min(v.len());
    let max = max.max(3);
    let gap = median_step(&t[..n]).map(|s| s.saturating_mul(3).max(1));
    let breaks_at = |i: usize| -> bool {
        !v[i].is_finite() || (i > 0 && gap.is_some_and(|g| t[i] - t[i - 1] > g))
    };
    let breaks = (0..n).filter(|&i| breaks_at(i)).count();
    let buckets = if n + breaks <= max { n } else { max / 3 };
    let mut out = Downsampled {
        t: Vec::with_capacity(max),
        v: Vec::with_capacity(max),
    };
    for k in 0..buckets {
        let (a, b) = (k * n / buckets, (k + 1) * n / buckets);
        let brk = (a..b).find(|&i| breaks_at(i));
        let mut lo: Option<usize> = None;
        let mut hi: Option<usize> = None;
        for i in (a..b).filter(|&i| v[i].is_finite()) {
            if lo.map_or(true, |j| v[i] < v[j]) {
                lo = Some(i);
            }
            if hi.map_or(true, |j| v[i] > v[j]) {
                hi = Some(i);
            }
        }
        // Events in index order; a break sorts before a point at the same index (a time gap
        // at i lies before point i).
        let mut events: Vec<(usize, bool)> = lo.into_iter().chain(hi).map(|i| (i, true)).collect();
        events.extend(brk.map(|j| (j, false)));
        events.sort_unstable();
        events.dedup();
        for (i, is_point) in events {
            if is_point {
                out.t.push(t[i]);
                out.v.push(Some(v[i]));
            } else if out.v.last().is_some_and(|x| x.is_some()) {
                out.t.push(t[i]);
                out.v.push(None);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: usize) -> (Vec<i64>, Vec<f64>) {
        let t = (0..n as i64).map(|i| i * 15_000).collect();
        let v = (0..n).map(|i| (i as f64 * 0.1).sin()).collect();
        (t, v)
    }

    #[test]
    fn short_lines_are_kept_whole() {
        let (t, v) = line(50);
        let d = min_max(&t, &v, 400);
        assert_eq!(d.t, t);
        assert_eq!(d.v, v.iter().map(|x| Some(*x)).collect::<Vec<_>>());
    }

    #[test]
    fn long_lines_fit_the_budget_in_time_order_and_keep_a_spike() {
        let (t, mut v) = line(100_000);
        v[54_321] = 50.0;
        v[7_777] = -50.0;
        let d = min_max(&t, &v, 400);
        assert!(d.t.len() <= 400 && d.t.len() > 200, "{}", d.t.len());
        assert!(d.t.windows(2).all(|w| w[0] < w[1]));
        assert!(d.v.contains(&Some(50.0)) && d.v.contains(&Some(-50.0)));
        // Every entry is an input point.
        for (ti, vi) in d.t.iter().zip(&d.v) {
            let i = (*ti / 15_000) as usize;
            assert_eq!(*vi, Some(v[i]));
        }
    }

    #[test]
    fn gaps_and_non_finite_values_break_the_line() {
        let (mut t, mut v) = line(40);
        for x in &mut t[20..] {
            *x += 3_600_000; // an hour without scrapes
        }
        v[5] = f64::NAN;
        let d = min_max(&t, &v, 400);
        let breaks: Vec<usize> = (0..d.v.len()).filter(|&i| d.v[i].is_none()).collect();
        assert_eq!(breaks.len(), 2, "{:?}", d.v);
        // The NaN's break sits where the NaN was; the gap's break just before the first point
        // after the gap.
        assert_eq!(d.t[breaks[0]], t[5]);
        assert_eq!(d.t[breaks[1] + 1], t[20]);
        assert!(d.t[breaks[1]] <= t[20]);
        // Downsampled, a gap still breaks the line.
        let (mut t, v) = line(10_000);
        for x in &mut t[6_000..] {
            *x += 86_400_000;
        }
        let d = min_max(&t, &v, 300);
        assert!(d.t.len() <= 300);
        assert_eq!(d.v.iter().filter(|x| x.is_none()).count(), 1);
    }

    #[test]
    fn empty_and_tiny_budgets() {
        assert!(min_max(&[], &[], 400).t.is_empty());
        let (t, v) = line(1000);
        assert!(min_max(&t, &v, 0).t.len() <= 3);
    }
}
