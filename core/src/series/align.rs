//! Alignment of series scraped with different phases and intervals onto a common grid.
//!
//! ```text
//! grid:   g_k = start + k · step,  k = 0 … len−1
//! value at g_k = value of the last sample with t ≤ g_k, if g_k − t ≤ max_age; else missing
//! ```
//!
//! This is Prometheus' instant-vector selection with `max_age` as the lookback delta (5 min by
//! default in Prometheus). Counts: `exact` (sample exactly at g_k), `carried` (an earlier sample
//! within `max_age`), `missing` (none), `dropped` (input samples never used: superseded by a
//! later sample before the next grid time, or outside the grid).

use serde::Serialize;

use crate::{Error, Result};

/// A regular time grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Grid {
    /// First grid time (epoch ms).
    pub start_ms: i64,
    /// Spacing in ms (> 0).
    pub step_ms: i64,
    /// Number of grid points.
    pub len: usize,
}

impl Grid {
    /// Largest grid accepted (guards against a step far too small for the time range).
    pub const MAX_LEN: usize = 100_000_000;

    /// The grid `start, start + step, …` up to and including `end` when it falls on the grid.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `step_ms ≤ 0`, `end_ms < start_ms`, or the grid would have
    /// more than [`Grid::MAX_LEN`] points.
    pub fn new(start_ms: i64, end_ms: i64, step_ms: i64) -> Result<Grid> {
        if step_ms <= 0 {
            return Err(Error::invalid("step", format!("{step_ms} ms must be > 0")));
        }
        if end_ms < start_ms {
            return Err(Error::invalid(
                "grid",
                format!("end {end_ms} is before start {start_ms}"),
            ));
        }
        let steps = end_ms.abs_diff(start_ms) / step_ms.unsigned_abs();
        if steps >= Grid::MAX_LEN as u64 {
            return Err(Error::invalid(
                "grid",
                format!(
                    "{} points exceed the limit of {}; use a larger step",
                    u128::from(steps) + 1,
                    Grid::MAX_LEN
                ),
            ));
        }
        let len = steps as usize + 1;
        Ok(Grid {
            start_ms,
            step_ms,
            len,
        })
    }

    /// The grid over the time range every series covers (latest first sample to earliest last
    /// sample), starting at the first multiple of `step_ms` (since the epoch) in that range, so
    /// grids of different files line up.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `step_ms ≤ 0`, no series is given, a series is empty, or
    /// the series do not overlap in time.
    pub fn common(series: &[&[i64]], step_ms: i64) -> Result<Grid> {
        if step_ms <= 0 {
            return Err(Error::invalid("step", format!("{step_ms} ms must be > 0")));
        }
        let mut lo = i64::MIN;
        let mut hi = i64::MAX;
        if series.is_empty() {
            return Err(Error::invalid("grid", "no series to align"));
        }
        for ts in series {
            let (Some(&a), Some(&b)) = (ts.first(), ts.last()) else {
                return Err(Error::invalid("grid", "a series to align has no points"));
            };
            lo = lo.max(a);
            hi = hi.min(b);
        }
        let start = lo.div_euclid(step_ms) * step_ms;
        let start = if start < lo {
            start.saturating_add(step_ms)
        } else {
            start
        };
        if start > hi {
            return Err(Error::invalid(
                "grid",
                "the series do not overlap in time (no common grid point)",
            ));
        }
        Grid::new(start, hi, step_ms)
    }

    /// Grid time `k` (epoch ms).
    pub fn time(&self, k: usize) -> i64 {
        // i128: start + k·step ≤ end always fits i64, the intermediate product may not.
        (i128::from(self.start_ms) + k as i128 * i128::from(self.step_ms)) as i64
    }
}

/// A series on a grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aligned {
    /// One value per grid point; `None` where no sample was within `max_age`.
    pub values: Vec<Option<f64>>,
    /// Grid points filled by a sample exactly at the grid time.
    pub exact: usize,
    /// Grid points filled by an earlier sample (carried forward, age ≤ `max_age`).
    pub carried: usize,
    /// Grid points left empty.
    pub missing: usize,
    /// Input samples never used.
    pub dropped: usize,
}

/// Puts one series (sorted timestamps) onto `grid`, carrying values forward at most `max_age_ms`
/// (rule in the module docs).
///
/// # Errors
/// [`Error::LengthMismatch`] if the slices differ in length; [`Error::InvalidArgument`] if
/// `max_age_ms < 0` or the timestamps are not sorted.
pub fn align(
    timestamps_ms: &[i64],
    values: &[f64],
    grid: &Grid,
    max_age_ms: i64,
) -> Result<Aligned> {
    if timestamps_ms.len() != values.len() {
        return Err(Error::LengthMismatch {
            what: "timestamps and values",
            left: timestamps_ms.len(),
            right: values.len(),
        });
    }
    if max_age_ms < 0 {
        return Err(Error::invalid(
            "max_age",
            format!("{max_age_ms} ms must be ≥ 0"),
        ));
    }
    if timestamps_ms.windows(2).any(|w| w[1] < w[0]) {
        return Err(Error::invalid("timestamps", "must be sorted"));
    }
    let mut out = Aligned {
        values: Vec::with_capacity(grid.len),
        exact: 0,
        carried: 0,
        missing: 0,
        dropped: 0,
    };
    let mut used = vec![false; timestamps_ms.len()];
    let mut i = 0; // number of samples with t ≤ current grid time
    for k in 0..grid.len {
        let g = grid.time(k);
        while i < timestamps_ms.len() && timestamps_ms[i] <= g {
            i += 1;
        }
        // t ≤ g, so the age is g − t ≥ 0 (as u64: no overflow for any i64 pair).
        if i == 0 || g.abs_diff(timestamps_ms[i - 1]) > max_age_ms.unsigned_abs() {
            out.values.push(None);
            out.missing += 1;
            continue;
        }
        let j = i - 1;
        used[j] = true;
        if timestamps_ms[j] == g {
            out.exact += 1;
        } else {
            out.carried += 1;
        }
        out.values.push(Some(values[j]));
    }
    out.dropped = used.iter().filter(|u| !**u).count();
    Ok(out)
}

/// A borrowed time series (timestamps and values of equal length).
#[derive(Debug, Clone, Copy)]
pub struct SeriesRef<'a> {
    /// Epoch ms, sorted.
    pub timestamps_ms: &'a [i64],
    /// Values.
    pub values: &'a [f64],
}

/// Several series on one common grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignedSet {
    /// The grid ([`Grid::common`] of the inputs).
    pub grid: Grid,
    /// One aligned series per input, in input order.
    pub series: Vec<Aligned>,
}

/// Aligns every series onto their common grid with step `step_ms` (see [`Grid::common`]),
/// carrying values forward at most `max_age_ms`.
///
/// # Errors
/// As [`Grid::common`] and [`align`].
pub fn align_many(series: &[SeriesRef<'_>], step_ms: i64, max_age_ms: i64) -> Result<AlignedSet> {
    let stamps: Vec<&[i64]> = series.iter().map(|s| s.timestamps_ms).collect();
    let grid = Grid::common(&stamps, step_ms)?;
    let aligned = series
        .iter()
        .map(|s| align(s.timestamps_ms, s.values, &grid, max_age_ms))
        .collect::<Result<Vec<_>>>()?;
    Ok(AlignedSet {
        grid,
        series: aligned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_alignment() {
        // Grid every 30 s from 0 to 120 s; samples at 15-s phase-shifted times.
        let grid = Grid::new(0, 120_000, 30_000).expect("grid");
        assert_eq!(grid.len, 5);
        let t = [0, 10_000, 20_000, 55_000, 120_000];
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        let a = align(&t, &v, &grid, 40_000).expect("valid");
        // g=0 → t=0 exact (1); g=30 → t=20 (3), carried; g=60 → t=55 (4) carried;
        // g=90 → t=55 is 35 s old ≤ 40 → 4 carried; g=120 → exact 5.
        assert_eq!(
            a.values,
            vec![Some(1.0), Some(3.0), Some(4.0), Some(4.0), Some(5.0)]
        );
        assert_eq!((a.exact, a.carried, a.missing, a.dropped), (2, 3, 0, 1));
        let a = align(&t, &v, &grid, 30_000).expect("valid");
        // g=90: 35 s > 30 s → missing.
        assert_eq!(a.values[3], None);
        assert_eq!(a.missing, 1);
    }

    #[test]
    fn common_grid() {
        let a: &[i64] = &[5_000, 20_000, 65_000];
        let b: &[i64] = &[0, 30_000, 60_000, 90_000];
        let g = Grid::common(&[a, b], 15_000).expect("overlap");
        assert_eq!((g.start_ms, g.len), (15_000, 4)); // 15, 30, 45, 60 s
        assert!(Grid::common(&[&[0, 1], &[5, 6]], 1).is_err());
        assert!(Grid::common(&[], 1).is_err());
        assert!(Grid::new(0, 10, 0).is_err());
        assert!(Grid::new(i64::MIN, i64::MAX, 1).is_err());
        assert!(align(&[1, 0], &[1.0, 2.0], &g, 0).is_err());
    }

    #[test]
    fn many_with_different_phases_and_intervals() {
        // A every 15 s from 0; B every 30 s from 10 s; C every 60 s from 5 s. Step 30 s.
        let ta: Vec<i64> = (0..9).map(|i| i * 15_000).collect(); // 0..120 s
        let tb: Vec<i64> = (0..4).map(|i| 10_000 + i * 30_000).collect(); // 10..100 s
        let tc: Vec<i64> = vec![5_000, 65_000];
        let va: Vec<f64> = (0..9).map(f64::from).collect();
        let vb = vec![10.0, 11.0, 12.0, 13.0];
        let vc = vec![20.0, 21.0];
        let set = align_many(
            &[
                SeriesRef {
                    timestamps_ms: &ta,
                    values: &va,
                },
                SeriesRef {
                    timestamps_ms: &tb,
                    values: &vb,
                },
                SeriesRef {
                    timestamps_ms: &tc,
                    values: &vc,
                },
            ],
            30_000,
            60_000,
        )
        .expect("valid");
        // Overlap: latest start 10 s, earliest end 65 s → grid 30, 60 s.
        assert_eq!((set.grid.start_ms, set.grid.len), (30_000, 2));
        assert_eq!(set.series[0].values, vec![Some(2.0), Some(4.0)]);
        assert_eq!(set.series[1].values, vec![Some(10.0), Some(11.0)]); // 10 s, 40 s
        assert_eq!(set.series[2].values, vec![Some(20.0), Some(20.0)]); // 5 s carried
        assert_eq!(set.series[2].carried, 2);
    }
}
