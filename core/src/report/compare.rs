//! The JSON of `shiftwatch compare` (and `shiftwatch.compare(...).to_dict()`): the engine's
//! [`Comparison`] plus the decisions taken on it — significance, and whether the change goes
//! the bad way for the metric's [`Direction`] — and, from the CLI, what was read.

use serde::Serialize;

use crate::policy::Direction;
use crate::series::prepare::PrepareReport;
use crate::stats::compare::Comparison;

/// What `compare` read from its file (absent for arrays given to Python).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareInput {
    /// The file as given.
    pub file: String,
    /// Name of the baseline series.
    pub baseline_column: String,
    /// Name of the candidate series.
    pub candidate_column: String,
    /// Data rows in the file.
    pub rows: usize,
    /// Missing baseline points (empty cells, NaN, ±∞).
    pub missing_baseline: usize,
    /// Missing candidate points.
    pub missing_candidate: usize,
    /// Rows not used (paired: a value missing on either side).
    pub rows_dropped: usize,
    /// The baseline series' read counts, resets and points skipped.
    pub baseline_data: PrepareReport,
    /// The candidate series' read counts, resets and points skipped.
    pub candidate_data: PrepareReport,
}

/// `shiftwatch compare --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    /// The comparison's fields, at the top level.
    #[serde(flatten)]
    pub comparison: Comparison,
    /// `p_value < alpha` ([`significant`]).
    pub significant: bool,
    /// Which direction is bad, when given.
    pub direction: Option<Direction>,
    /// A significant change in the bad direction (never without a direction): the failing
    /// finding that makes the CLI exit with 1.
    pub regression: bool,
    /// What was read (CLI only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<CompareInput>,
}

/// The significance rule of every comparison: `p < α` (the p-value of the test the comparison
/// ran, against the level its intervals were built for).
pub fn significant(c: &Comparison) -> bool {
    c.p_value < c.alpha
}

impl CompareReport {
    /// The report of `comparison` under `direction`.
    pub fn new(
        comparison: Comparison,
        direction: Option<Direction>,
        input: Option<CompareInput>,
    ) -> Self {
        let significant = significant(&comparison);
        let regression = significant && direction.is_some_and(|d| d.is_worse(comparison.absolute));
        CompareReport {
            comparison,
            significant,
            direction,
            regression,
            input,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::compare::{compare, CompareOptions};

    #[test]
    fn regression_needs_significance_and_the_bad_direction() {
        let b: Vec<f64> = (0..60)
            .map(|i| 10.0 + 0.1 * ((i * 7 % 11) as f64))
            .collect();
        let c: Vec<f64> = b.iter().map(|v| v + 1.0).collect();
        let cmp = compare(&b, &c, &CompareOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(significant(&cmp));
        let up = CompareReport::new(cmp.clone(), Some(Direction::HigherIsWorse), None);
        assert!(up.regression);
        let down = CompareReport::new(cmp.clone(), Some(Direction::LowerIsWorse), None);
        assert!(down.significant && !down.regression);
        let none = CompareReport::new(cmp, None, None);
        assert!(!none.regression);
        let v = serde_json::to_value(&up).unwrap_or_default();
        assert_eq!(v["direction"], "higher_is_worse");
        assert!(v.get("input").is_none() && v.get("p_value").is_some());
    }
}
