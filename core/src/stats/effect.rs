//! Effect sizes: Hodges–Lehmann shift with CI, Cliff's delta, differences and ratios of means, medians and quantiles.
//!
//! Conventions: `baseline` is `x`, `candidate` is `y`; every effect is "candidate minus (or
//! over) baseline", so a positive effect means the candidate's values are larger.

mod cliff;
mod hodges_lehmann;
mod select;

pub use cliff::{cliffs_delta, CliffsDelta};
pub use hodges_lehmann::{hodges_lehmann, HlMethod, HodgesLehmann};
pub use select::kth_pairwise_difference;

use serde::Serialize;

use crate::stats::{check, quantile};
use crate::{Error, Result};

/// A difference and ratio of one statistic between baseline and candidate.
#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    /// The statistic on the baseline.
    pub baseline: f64,
    /// The statistic on the candidate.
    pub candidate: f64,
    /// `candidate - baseline`.
    pub absolute: f64,
    /// `candidate / baseline - 1` (e.g. `0.03` = 3 % higher).
    pub relative: f64,
}

impl Effect {
    /// Builds the effect from the two statistics.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the baseline statistic is 0 (relative change undefined)
    /// or either statistic is not finite.
    pub fn from_pair(baseline: f64, candidate: f64) -> Result<Self> {
        if !(baseline.is_finite() && candidate.is_finite()) {
            return Err(Error::invalid(
                "statistic",
                format!("not finite (baseline {baseline}, candidate {candidate})"),
            ));
        }
        if baseline == 0.0 {
            return Err(Error::invalid(
                "baseline",
                "the baseline statistic is 0, so the relative change is undefined",
            ));
        }
        Ok(Effect {
            baseline,
            candidate,
            absolute: candidate - baseline,
            relative: candidate / baseline - 1.0,
        })
    }
}

/// Difference and ratio of means.
///
/// ```text
/// absolute = ȳ - x̄,   relative = ȳ / x̄ - 1
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] (empty sample), [`Error::NonFinite`], [`Error::InvalidArgument`]
/// (baseline mean 0).
pub fn mean_effect(baseline: &[f64], candidate: &[f64]) -> Result<Effect> {
    check::sample("baseline", baseline, 1)?;
    check::sample("candidate", candidate, 1)?;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    Effect::from_pair(mean(baseline), mean(candidate))
}

/// Difference and ratio of medians (numpy's median).
///
/// ```text
/// absolute = med(y) - med(x),   relative = med(y) / med(x) - 1
/// ```
///
/// # Errors
/// As [`mean_effect`] (baseline median 0).
pub fn median_effect(baseline: &[f64], candidate: &[f64]) -> Result<Effect> {
    check::sample("baseline", baseline, 1)?;
    check::sample("candidate", candidate, 1)?;
    Effect::from_pair(quantile::median(baseline)?, quantile::median(candidate)?)
}

/// Difference and ratio of `q`-quantiles (numpy's default linear definition).
///
/// ```text
/// absolute = Q_y(q) - Q_x(q),   relative = Q_y(q) / Q_x(q) - 1
/// ```
///
/// # Errors
/// As [`mean_effect`], plus [`Error::InvalidArgument`] for `q` outside `[0, 1]`.
pub fn quantile_effect(baseline: &[f64], candidate: &[f64], q: f64) -> Result<Effect> {
    check::sample("baseline", baseline, 1)?;
    check::sample("candidate", candidate, 1)?;
    Effect::from_pair(
        quantile::quantile(baseline, q)?,
        quantile::quantile(candidate, q)?,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn plain_effects() {
        let e = mean_effect(&[1.0, 3.0], &[3.0, 3.0]).unwrap();
        assert_eq!((e.absolute, e.relative), (1.0, 0.5));
        let e = median_effect(&[1.0, 2.0, 10.0], &[4.0, 4.0, 0.0]).unwrap();
        assert_eq!((e.absolute, e.relative), (2.0, 1.0));
        let e = quantile_effect(&[0.0, 10.0], &[0.0, 20.0], 0.5).unwrap();
        assert_eq!((e.baseline, e.candidate, e.relative), (5.0, 10.0, 1.0));
    }

    #[test]
    fn bad_input() {
        assert!(matches!(
            mean_effect(&[-1.0, 1.0], &[1.0]),
            Err(Error::InvalidArgument {
                name: "baseline",
                ..
            })
        ));
        assert!(matches!(
            median_effect(&[], &[1.0]),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            quantile_effect(&[1.0], &[f64::NAN], 0.5),
            Err(Error::NonFinite { .. })
        ));
        assert!(quantile_effect(&[1.0], &[1.0], 2.0).is_err());
    }
}
