//! Counters → per-second rates with reset detection (Prometheus semantics).
//!
//! ```text
//! rate_i = (v_i − v_p) / ((t_i − t_p) / 1000)   if v_i ≥ v_p
//! rate_i =  v_i        / ((t_i − t_p) / 1000)   if v_i < v_p   (a reset: the counter restarted
//!                                                               from 0 and counted v_i since)
//! ```
//!
//! where `p` is the previous usable (finite) point. This is exactly what Prometheus' `irate()`
//! returns at each sample (same reset rule as `rate()`/`increase()`: *any* decrease is a reset),
//! so a restart never shows up as a negative spike. Departures from `rate()`: no window and no
//! extrapolation to window boundaries — one rate per scrape interval, stamped at its end.
//! The first point has no rate; NaN/±∞ and negative values (impossible for a counter) are
//! skipped and counted.

use serde::Serialize;

use crate::{Error, Result};

/// A counter reset: the value decreased between two consecutive usable points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reset {
    /// Timestamp (epoch ms) of the first point after the reset.
    pub at_ms: i64,
    /// Value before the reset.
    pub before: f64,
    /// Value after the reset.
    pub after: f64,
}

/// Per-interval rates of a counter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rates {
    /// End of each interval (epoch ms).
    pub timestamps_ms: Vec<i64>,
    /// Per-second rate over each interval.
    pub values: Vec<f64>,
    /// Resets detected, in time order.
    pub resets: Vec<Reset>,
    /// Points skipped because their value was NaN, ±∞ or negative.
    pub invalid_skipped: usize,
}

/// Per-second rates of a counter sampled at `timestamps_ms` (formula in the module docs).
///
/// # Errors
/// [`Error::LengthMismatch`] if the slices differ in length; [`Error::InvalidArgument`] if the
/// timestamps are not strictly increasing.
pub fn rates(timestamps_ms: &[i64], values: &[f64]) -> Result<Rates> {
    if timestamps_ms.len() != values.len() {
        return Err(Error::LengthMismatch {
            what: "counter timestamps and values",
            left: timestamps_ms.len(),
            right: values.len(),
        });
    }
    if let Some(i) = timestamps_ms.windows(2).position(|w| w[1] <= w[0]) {
        return Err(Error::invalid(
            "timestamps",
            format!("must be strictly increasing (index {})", i + 1),
        ));
    }
    let mut out = Rates {
        timestamps_ms: Vec::with_capacity(values.len().saturating_sub(1)),
        values: Vec::with_capacity(values.len().saturating_sub(1)),
        resets: Vec::new(),
        invalid_skipped: 0,
    };
    let mut prev: Option<(i64, f64)> = None;
    for (&t, &v) in timestamps_ms.iter().zip(values) {
        if !v.is_finite() || v < 0.0 {
            out.invalid_skipped += 1;
            continue;
        }
        if let Some((tp, vp)) = prev {
            let dt = t.abs_diff(tp) as f64 / 1000.0;
            let increase = if v < vp {
                out.resets.push(Reset {
                    at_ms: t,
                    before: vp,
                    after: v,
                });
                v
            } else {
                v - vp
            };
            out.timestamps_ms.push(t);
            out.values.push(increase / dt);
        }
        prev = Some((t, v));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_rates_with_reset() {
        // Scrapes every 15 s: 100, 130, 190, (restart) 12, 42, NaN, 72.
        let t = [0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000];
        let v = [100.0, 130.0, 190.0, 12.0, 42.0, f64::NAN, 72.0];
        let r = rates(&t, &v).expect("valid");
        // 30/15 = 2; 60/15 = 4; reset: 12/15 = 0.8; 30/15 = 2; NaN skipped: (72-42)/30 = 1.
        assert_eq!(r.values, vec![2.0, 4.0, 0.8, 2.0, 1.0]);
        assert_eq!(
            r.timestamps_ms,
            vec![15_000, 30_000, 45_000, 60_000, 90_000]
        );
        assert_eq!(
            r.resets,
            vec![Reset {
                at_ms: 45_000,
                before: 190.0,
                after: 12.0
            }]
        );
        assert_eq!(r.invalid_skipped, 1);
        assert!(r.values.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn edge_cases() {
        assert!(rates(&[], &[]).expect("empty ok").values.is_empty());
        assert!(rates(&[5], &[1.0]).expect("one ok").values.is_empty());
        assert!(matches!(
            rates(&[0, 1], &[1.0]),
            Err(Error::LengthMismatch { .. })
        ));
        assert!(matches!(
            rates(&[0, 0], &[1.0, 2.0]),
            Err(Error::InvalidArgument { .. })
        ));
        // Negative values are not counter values: skipped and counted.
        let r = rates(&[0, 1000, 2000], &[1.0, -5.0, 3.0]).expect("valid");
        assert_eq!((r.values.clone(), r.invalid_skipped), (vec![1.0], 1));
        // Any decrease is a reset, even a tiny one (Prometheus semantics).
        let r = rates(&[0, 1000], &[10.0, 9.5]).expect("valid");
        assert_eq!(r.values, vec![9.5]);
        assert_eq!(r.resets.len(), 1);
    }
}
