//! What one series holds at a glance: kind, interval, gaps, resets, time range and the read
//! counts (`shiftwatch inspect`, `shiftwatch.read`'s summaries, `analyze`'s data section).

use serde::Serialize;

use super::counter::rates;
use super::time::format_rfc3339;
use super::{Kind, RawSeries, SeriesKey, SeriesReport, Summarised};

/// One series summarised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesSummary {
    /// Identity.
    pub key: SeriesKey,
    /// Declared kind.
    pub kind: Kind,
    /// Unit when declared.
    pub unit: Option<String>,
    /// Median interval between points (ms).
    pub interval_ms: Option<i64>,
    /// Intervals longer than 1.5 × the median ([`RawSeries::gaps`]).
    pub gaps: usize,
    /// Counter resets (counters only).
    pub resets: Option<usize>,
    /// First timestamp, epoch ms.
    pub first_ms: Option<i64>,
    /// Last timestamp, epoch ms.
    pub last_ms: Option<i64>,
    /// First timestamp, RFC 3339.
    pub first: Option<String>,
    /// Last timestamp, RFC 3339.
    pub last: Option<String>,
    /// Repairs and drops.
    pub data: SeriesReport,
}

/// Summarises one series.
pub fn summarize(s: &RawSeries) -> SeriesSummary {
    let resets = (s.kind == Kind::Counter)
        .then(|| {
            rates(&s.timestamps_ms, &s.values)
                .map(|r| r.resets.len())
                .ok()
        })
        .flatten();
    SeriesSummary {
        key: s.key.clone(),
        kind: s.kind,
        unit: s.unit.clone(),
        interval_ms: s.median_interval_ms(),
        gaps: s.gaps(),
        resets,
        first_ms: s.timestamps_ms.first().copied(),
        last_ms: s.timestamps_ms.last().copied(),
        first: s.timestamps_ms.first().map(|&t| format_rfc3339(t)),
        last: s.timestamps_ms.last().map(|&t| format_rfc3339(t)),
        data: s.report.clone(),
    }
}

/// The summary of a series read as a stream ([`crate::series::stream`]); `resets` is given
/// whatever the kind (the caller keeps it for counters).
pub fn from_stream(s: Summarised) -> SeriesSummary {
    let (first_ms, last_ms) = s.range_ms.unzip();
    SeriesSummary {
        key: s.key,
        kind: s.kind,
        unit: s.unit,
        interval_ms: s.interval_ms,
        gaps: s.gaps,
        resets: Some(s.resets),
        first_ms,
        last_ms,
        first: first_ms.map(format_rfc3339),
        last: last_ms.map(format_rfc3339),
        data: s.report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_resets_gaps_and_range() {
        let mut s = RawSeries::new(SeriesKey::default(), Kind::Counter);
        s.timestamps_ms = vec![0, 1000, 2000, 5000];
        s.values = vec![5.0, 7.0, 1.0, 2.0];
        let sum = summarize(&s);
        assert_eq!(sum.resets, Some(1));
        assert_eq!(sum.interval_ms, Some(1000));
        assert_eq!(sum.gaps, 1);
        assert_eq!(sum.first.as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(sum.last_ms, Some(5000));
    }
}
