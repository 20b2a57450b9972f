//! The time range of a live query: parsing `--start`/`--end` (`now`, `now-2h`, RFC 3339,
//! epoch) and splitting it into chunks the server accepts.
//!
//! Prometheus refuses a `query_range` whose `(end − start) / step` exceeds 11,000 ("exceeded
//! maximum resolution of 11,000 points per timeseries"). The range is split into chunks of at
//! most `max_points` evaluation times on the one grid `start + k·step`:
//!
//! ```text
//! chunk i = [start + i·max_points·step,  min(start + ((i+1)·max_points − 1)·step, end)]
//! ```
//!
//! so chunk `i + 1` starts one step after chunk `i` ends: stitched, the chunks hold exactly the
//! points of one unsplit query, none twice.

use crate::analyze::duration::parse_duration_ms;
use crate::series::time::parse_timestamp;
use crate::{Error, Result};

/// The server's points-per-series limit (Prometheus `query_range`).
pub const MAX_POINTS: i64 = 11_000;

/// Parses a range end: `now`, `now-DURATION` (`now-2h`), RFC 3339 or epoch (s/ms/µs/ns by
/// magnitude); `now_ms` is the current time.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `what` for anything else.
pub fn parse_time(what: &'static str, text: &str, now_ms: i64) -> Result<i64> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("now") {
        let rest = rest.trim();
        if rest.is_empty() {
            return Ok(now_ms);
        }
        let ago = rest
            .strip_prefix('-')
            .ok_or_else(|| Error::invalid(what, format!("'{t}': expected now or now-DURATION")))?;
        return Ok(now_ms - parse_duration_ms(what, ago)?);
    }
    parse_timestamp(t, None).map_err(|e| Error::invalid(what, e.message(t)))
}

/// Splits the inclusive range `[start_ms, end_ms]` on the grid `start + k·step` into chunks of
/// at most `max_points` points (see the module docs).
///
/// # Errors
/// [`Error::InvalidArgument`] for a non-positive step or `max_points`, or `end < start`.
pub fn chunks(
    start_ms: i64,
    end_ms: i64,
    step_ms: i64,
    max_points: i64,
) -> Result<Vec<(i64, i64)>> {
    if step_ms <= 0 {
        return Err(Error::invalid("step", "must be positive"));
    }
    if max_points <= 0 {
        return Err(Error::invalid("max_points", "must be positive"));
    }
    if end_ms < start_ms {
        return Err(Error::invalid(
            "end",
            "the range ends before it starts: --end must not be before --start",
        ));
    }
    let span = step_ms.saturating_mul(max_points);
    let mut out = Vec::new();
    let mut s = start_ms;
    while s <= end_ms {
        let e = s.saturating_add(span - step_ms).min(end_ms);
        out.push((s, e));
        match s.checked_add(span) {
            Some(next) => s = next,
            None => break,
        }
    }
    Ok(out)
}

/// Milliseconds as the API's float seconds (`1714564800.500`).
pub fn seconds(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let a = ms.unsigned_abs();
    format!("{sign}{}.{:03}", a / 1000, a % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_tile_the_grid_without_overlap() {
        // 25 points on a 10 ms grid, at most 10 per chunk: 10 + 10 + 5.
        let c = chunks(0, 240, 10, 10).unwrap_or_default();
        assert_eq!(c, vec![(0, 90), (100, 190), (200, 240)]);
        let points: i64 = c.iter().map(|(s, e)| (e - s) / 10 + 1).sum();
        assert_eq!(points, 25);
        // An end off the grid: the last point is the last grid time before it.
        assert_eq!(
            chunks(0, 95, 10, 5).unwrap_or_default(),
            vec![(0, 40), (50, 90)]
        );
        // One point.
        assert_eq!(chunks(7, 7, 10, 5).unwrap_or_default(), vec![(7, 7)]);
        // The server limit: 11,000 steps in one chunk at most.
        let c = chunks(0, 30_000_000, 1000, MAX_POINTS).unwrap_or_default();
        assert!(c.iter().all(|(s, e)| (e - s) / 1000 < MAX_POINTS));
        assert_eq!(c.len(), 3);
        assert!(chunks(10, 0, 1, 5).is_err() && chunks(0, 1, 0, 5).is_err());
    }

    #[test]
    fn times() {
        let now = 1_700_000_000_000;
        assert_eq!(parse_time("start", "now", now).ok(), Some(now));
        assert_eq!(
            parse_time("start", "now-1h30m", now).ok(),
            Some(now - 5_400_000)
        );
        assert_eq!(
            parse_time("start", "2023-11-14T22:13:20Z", now).ok(),
            Some(now)
        );
        assert_eq!(parse_time("start", "1700000000", now).ok(), Some(now));
        let e = parse_time("start", "now+1h", now)
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|m| m.contains("start") && m.contains("now-DURATION")));
        assert_eq!(seconds(1_714_564_800_500), "1714564800.500");
        assert_eq!(seconds(-1500), "-1.500");
    }
}
