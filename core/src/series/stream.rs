//! A series summarised point by point without keeping its points: what `inspect` needs
//! (count, first and last time, median interval, gaps, counter resets) in memory that grows
//! with the number of *distinct* intervals, not with the points.
//!
//! Exact while the points arrive in strictly increasing time order. The median interval and
//! the gap count ([`super::RawSeries::gaps`]: intervals over 1.5 × the median) are read off a
//! histogram of the intervals, which is exact. A point at or before the previous time
//! (unsorted or duplicate), or more than [`MAX_DISTINCT_INTERVALS`] distinct intervals, marks
//! the stream *inexact*: its reader then re-reads that series with its points
//! ([`crate::io::inspect_paths`]), so every summary is exact.

/// Distinct intervals a stream keeps before it gives up (the series is re-read instead).
pub const MAX_DISTINCT_INTERVALS: usize = 256;

/// Running summary of one series (after its first point).
#[derive(Debug, Clone)]
pub struct Stream {
    /// First time (ms).
    pub first_ms: i64,
    /// Last time (ms).
    pub last_ms: i64,
    /// Points seen.
    pub points: u64,
    /// Last finite, non-negative value (the counter reset rule of
    /// [`super::counter::rates`]); NaN when none yet.
    last_valid: f64,
    /// Decreases between consecutive valid values: counter resets.
    pub resets: u64,
    /// `(interval ms, count)`, unordered.
    intervals: Vec<(i64, u64)>,
    /// `false` once the stream cannot be summarised exactly.
    pub exact: bool,
}

fn valid(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

impl Stream {
    /// A stream whose first point is `(t, v)`.
    pub fn new(t: i64, v: f64) -> Self {
        Stream {
            first_ms: t,
            last_ms: t,
            points: 1,
            last_valid: if valid(v) { v } else { f64::NAN },
            resets: 0,
            intervals: Vec::new(),
            exact: true,
        }
    }

    /// Adds the next point.
    pub fn push(&mut self, t: i64, v: f64) {
        if !self.exact {
            return;
        }
        if t <= self.last_ms {
            self.exact = false;
            return;
        }
        let d = t - self.last_ms;
        if let Some((_, n)) = self.intervals.iter_mut().find(|(i, _)| *i == d) {
            *n += 1;
        } else if self.intervals.len() < MAX_DISTINCT_INTERVALS {
            self.intervals.push((d, 1));
        } else {
            self.exact = false;
            return;
        }
        self.last_ms = t;
        self.points += 1;
        if valid(v) {
            if v < self.last_valid {
                self.resets += 1;
            }
            self.last_valid = v;
        }
    }

    /// The median interval as [`super::RawSeries::median_interval_ms`] computes it (the upper
    /// median of an even count) and the number of gaps; `(None, 0)` for one point.
    pub fn interval_and_gaps(&self) -> (Option<i64>, usize) {
        let mut h = self.intervals.clone();
        h.sort_unstable();
        let n: u64 = h.iter().map(|&(_, c)| c).sum();
        if n == 0 {
            return (None, 0);
        }
        let mid = n / 2; // 0-based rank, as `select_nth_unstable(len / 2)`
        let mut seen = 0;
        let mut median = h[h.len() - 1].0;
        for &(d, c) in &h {
            seen += c;
            if seen > mid {
                median = d;
                break;
            }
        }
        let gaps = if median > 0 {
            h.iter()
                .filter(|&&(d, _)| d * 2 > median * 3)
                .map(|&(_, c)| c)
                .sum::<u64>()
        } else {
            0
        };
        (Some(median), gaps as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::counter::rates;
    use crate::series::{Kind, RawSeries, SeriesKey};

    fn raw(t: &[i64], v: &[f64]) -> RawSeries {
        let mut s = RawSeries::new(SeriesKey::default(), Kind::Counter);
        s.timestamps_ms = t.to_vec();
        s.values = v.to_vec();
        s
    }

    /// The stream agrees with the point-keeping computations on seeded irregular series.
    #[test]
    fn agrees_with_the_series_it_summarises() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..200 {
            let n = 1 + (next() % 60) as usize;
            let mut t = Vec::new();
            let mut v = Vec::new();
            let mut now = 1_000i64;
            let mut level = 0.0;
            for _ in 0..n {
                now += [15_000, 15_000, 15_001, 30_000, 90_000][(next() % 5) as usize];
                level = if next() % 9 == 0 {
                    0.0
                } else {
                    level + (next() % 7) as f64
                };
                t.push(now);
                v.push(if next() % 13 == 0 { f64::NAN } else { level });
            }
            let mut st = Stream::new(t[0], v[0]);
            for i in 1..n {
                st.push(t[i], v[i]);
            }
            let s = raw(&t, &v);
            assert!(st.exact, "case {case}");
            assert_eq!(
                st.interval_and_gaps(),
                (s.median_interval_ms(), s.gaps()),
                "case {case}"
            );
            assert_eq!(
                st.resets as usize,
                rates(&t, &v).expect("sorted").resets.len(),
                "case {case}"
            );
            assert_eq!(
                (st.first_ms, st.last_ms, st.points),
                (t[0], t[n - 1], n as u64)
            );
        }
    }

    #[test]
    fn disorder_and_too_many_intervals_make_it_inexact() {
        let mut st = Stream::new(10, 1.0);
        st.push(10, 2.0);
        assert!(!st.exact);
        let mut st = Stream::new(0, 1.0);
        let mut t = 0;
        for i in 0..=MAX_DISTINCT_INTERVALS as i64 {
            t += 1 + i;
            st.push(t, 1.0);
        }
        assert!(!st.exact);
    }
}
