//! Warm-up trimming: drop the first `duration` after a start time (default: the first sample),
//! so a cold cache or JIT never shows up as the effect.

use serde::Serialize;

use crate::{Error, Result};

/// What [`trim_warmup`] removed. Use `&values[first_kept..]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WarmupTrim {
    /// Index of the first point kept.
    pub first_kept: usize,
    /// Number of points trimmed (= `first_kept`).
    pub trimmed: usize,
    /// Points before this time (epoch ms) were trimmed.
    pub until_ms: i64,
}

/// Trims points with `t < start + duration_ms`, where `start` is `start_ms` or the first
/// timestamp.
///
/// # Errors
/// [`Error::InvalidArgument`] if `duration_ms < 0` or the timestamps are not sorted.
pub fn trim_warmup(
    timestamps_ms: &[i64],
    start_ms: Option<i64>,
    duration_ms: i64,
) -> Result<WarmupTrim> {
    if duration_ms < 0 {
        return Err(Error::invalid(
            "warmup",
            format!("{duration_ms} ms must be ≥ 0"),
        ));
    }
    if timestamps_ms.windows(2).any(|w| w[1] < w[0]) {
        return Err(Error::invalid("timestamps", "must be sorted"));
    }
    let start = match (start_ms, timestamps_ms.first()) {
        (Some(s), _) => s,
        (None, Some(&t)) => t,
        (None, None) => {
            return Ok(WarmupTrim {
                first_kept: 0,
                trimmed: 0,
                until_ms: 0,
            })
        }
    };
    let until_ms = start.saturating_add(duration_ms);
    let first_kept = timestamps_ms.partition_point(|&t| t < until_ms);
    Ok(WarmupTrim {
        first_kept,
        trimmed: first_kept,
        until_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_fixed_duration() {
        let t = [1_000, 16_000, 31_000, 46_000, 61_000];
        // 30 s from the first sample: drop t < 31 s → 2 points.
        let w = trim_warmup(&t, None, 30_000).expect("valid");
        assert_eq!((w.first_kept, w.trimmed, w.until_ms), (2, 2, 31_000));
        // From an explicit start (deploy time 40 s) + 10 s: drop t < 50 s → 4 points.
        assert_eq!(
            trim_warmup(&t, Some(40_000), 10_000)
                .expect("valid")
                .trimmed,
            4
        );
        assert_eq!(trim_warmup(&t, None, 0).expect("valid").trimmed, 0);
        assert_eq!(trim_warmup(&t, None, 1_000_000).expect("valid").trimmed, 5);
        assert_eq!(trim_warmup(&[], None, 10).expect("valid").trimmed, 0);
        assert!(trim_warmup(&t, None, -1).is_err());
    }
}
