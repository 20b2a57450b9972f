//! The JSON of `shiftwatch detect` (and `shiftwatch.detect(...).to_dict()`): change points of
//! one series ([`DetectReport`]), of several aligned series ([`MultiDetectReport`]) or found
//! by E-divisive ([`EDivisiveReport`]).
//!
//! `file`, `column` and each change point's `time` are present when the input had them (a file
//! read by the CLI), absent for arrays given to Python; `notes` (what reading did to the series)
//! only when there is one.

use serde::Serialize;

use crate::changepoint::edivisive::{EDivisiveChange, PValueRule};
use crate::changepoint::{
    ChangeKind, CostKind, Detection, EDivisive, Method, ModelChoice, MultiDetection, NoiseScale,
};

/// Where the analysed values came from (the CLI's input); `Default` for arrays.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The file as given (`<stdin>` for standard input).
    pub file: Option<String>,
    /// Name of each analysed series (one for `detect`, several for the multivariate case).
    pub columns: Vec<String>,
    /// Time of each value (RFC 3339), when the input has times.
    pub times: Option<Vec<String>>,
    /// What reading did to the series (rates, points skipped).
    pub notes: Vec<String>,
    /// Row of each value in the file (0-based data rows), when the file has no time column: a
    /// change point's `index` is then its row, counting the rows whose value was skipped.
    pub rows: Option<Vec<usize>>,
    /// Points of the series the reader skipped before the analysis (empty cells, absent
    /// samples, non-finite values), counted in the report's `n` and `missing`.
    pub skipped: usize,
}

impl Source {
    fn time_at(&self, i: usize) -> Option<String> {
        self.times.as_ref().and_then(|t| t.get(i).cloned())
    }

    /// The reported index of value `i`: its row when known, else `i`.
    fn index_at(&self, i: usize) -> usize {
        self.rows
            .as_ref()
            .and_then(|r| r.get(i).copied())
            .unwrap_or(i)
    }
}

/// One validated change point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectChange {
    /// 0-based index of the first value of the new segment.
    pub index: usize,
    /// Time of that value (RFC 3339), when the input has times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Mean of the segment before.
    pub before: f64,
    /// Mean of the segment after.
    pub after: f64,
    /// `after − before`.
    pub magnitude: f64,
    /// p-value of the validation test.
    pub p_value: f64,
    /// Holm-adjusted p-value.
    pub p_adjusted: f64,
    /// What changed.
    pub kind: ChangeKind,
}

/// `shiftwatch detect` on one series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectReport {
    /// Input file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Name of the series ([`crate::series::select::display_name`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Number of values (rows), missing ones included.
    pub n: usize,
    /// Number of missing values (NaN) skipped; every index still counts them as rows.
    pub missing: usize,
    /// Search used.
    pub method: Method,
    /// Segment cost.
    pub cost: CostKind,
    /// Penalty name, or the number given in cost units.
    pub penalty: String,
    /// Penalty per change in cost units (NaN, JSON null, for a constant series).
    pub penalty_value: f64,
    /// Minimum segment length.
    pub min_size: usize,
    /// Level of the Holm-adjusted validation.
    pub alpha: f64,
    /// Noise scale the penalty and the tests use.
    pub noise: NoiseScale,
    /// The model `auto` chose and why (absent for a fixed segment cost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelChoice>,
    /// Validated change points, in order.
    pub change_points: Vec<DetectChange>,
    /// What reading did to the series.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl DetectReport {
    /// The report of `d` on the values described by `source`.
    pub fn new(d: &Detection, source: &Source) -> Self {
        DetectReport {
            file: source.file.clone(),
            column: source.columns.first().cloned(),
            n: d.n + source.skipped,
            missing: d.missing + source.skipped,
            method: d.options.method,
            cost: d.options.cost,
            penalty: d.options.penalty.to_string(),
            penalty_value: d.penalty_value,
            min_size: d.options.min_size,
            alpha: d.options.alpha,
            noise: d.noise,
            model: d.model.clone(),
            change_points: d
                .change_points
                .iter()
                .map(|c| DetectChange {
                    index: source.index_at(c.index),
                    time: source.time_at(c.index),
                    before: c.before,
                    after: c.after,
                    magnitude: c.magnitude,
                    p_value: c.p_value,
                    p_adjusted: c.p_adjusted,
                    kind: c.kind,
                })
                .collect(),
            notes: source.notes.clone(),
        }
    }
}

/// How one series changed at a multivariate change point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnChange {
    /// The series' name.
    pub column: String,
    /// Mean over the segment before.
    pub before: f64,
    /// Mean over the segment after.
    pub after: f64,
    /// `after − before`.
    pub magnitude: f64,
    /// z statistic of the series' test of the adjacent means.
    pub z: f64,
    /// Two-sided p-value of that test (not adjusted).
    pub p_value: f64,
}

/// A change point shared by several series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultiChange {
    /// 0-based index of the first row of the new segment.
    pub index: usize,
    /// Time of that row (RFC 3339), when the input has times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Bonferroni over the series of the smallest per-series p-value.
    pub p_value: f64,
    /// Holm-adjusted `p_value`.
    pub p_adjusted: f64,
    /// One entry per series, in input order.
    pub dims: Vec<ColumnChange>,
}

/// `shiftwatch detect --column a,b,…`: change points shared by several aligned series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultiDetectReport {
    /// Input file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Series names, in input order.
    pub columns: Vec<String>,
    /// Number of rows.
    pub n: usize,
    /// Number of series.
    pub d: usize,
    /// Search used.
    pub method: Method,
    /// Segment cost.
    pub cost: CostKind,
    /// Penalty name, or the number given (standardised cost units).
    pub penalty: String,
    /// Penalty per change in standardised cost units.
    pub penalty_value: f64,
    /// Minimum segment length.
    pub min_size: usize,
    /// Level of the Holm-adjusted validation.
    pub alpha: f64,
    /// Noise scale of each series.
    pub noise: Vec<NoiseScale>,
    /// Divisor that standardised each series for the search.
    pub scale: Vec<f64>,
    /// Validated change points, in order.
    pub change_points: Vec<MultiChange>,
    /// What reading and aligning did to the series.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl MultiDetectReport {
    /// The report of `d`; `source.columns` names the series (`"0"`, `"1"`… when it has fewer).
    pub fn new(d: &MultiDetection, source: &Source) -> Self {
        let name = |j: usize| {
            source
                .columns
                .get(j)
                .cloned()
                .unwrap_or_else(|| j.to_string())
        };
        MultiDetectReport {
            file: source.file.clone(),
            columns: (0..d.d).map(name).collect(),
            n: d.n,
            d: d.d,
            method: d.options.method,
            cost: d.options.cost,
            penalty: d.options.penalty.to_string(),
            penalty_value: d.penalty_value,
            min_size: d.options.min_size,
            alpha: d.options.alpha,
            noise: d.noise.clone(),
            scale: d.scale.clone(),
            change_points: d
                .change_points
                .iter()
                .map(|c| MultiChange {
                    index: source.index_at(c.index),
                    time: source.time_at(c.index),
                    p_value: c.p_value,
                    p_adjusted: c.p_adjusted,
                    dims: c
                        .dims
                        .iter()
                        .enumerate()
                        .map(|(j, x)| ColumnChange {
                            column: name(j),
                            before: x.before,
                            after: x.after,
                            magnitude: x.magnitude,
                            z: x.z,
                            p_value: x.p_value,
                        })
                        .collect(),
                })
                .collect(),
            notes: source.notes.clone(),
        }
    }
}

/// A change point accepted by E-divisive, with the levels around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EDivisiveReportChange {
    /// 0-based index of the first value of the new segment.
    pub index: usize,
    /// Time of that value (RFC 3339), when the input has times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Mean of the segment before (between the neighbouring change points).
    pub before: f64,
    /// Mean of the segment after.
    pub after: f64,
    /// Permutation p-value of the split.
    pub p_value: f64,
    /// Energy statistic `T` of the split.
    pub statistic: f64,
    /// 0 for the first split accepted, 1 for the next, …
    pub order: usize,
    /// Always `distribution`: E-divisive detects any change of distribution.
    pub kind: &'static str,
}

/// `shiftwatch detect --method edivisive`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EDivisiveReport {
    /// Input file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Name of the series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Number of values.
    pub n: usize,
    /// Always `edivisive`.
    pub method: &'static str,
    /// Minimum segment length.
    pub min_size: usize,
    /// Level of each permutation test.
    pub alpha: f64,
    /// Permutations per test.
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
    /// Permutation p-value rule.
    pub p_value_rule: PValueRule,
    /// Accepted change points, in index order.
    pub change_points: Vec<EDivisiveReportChange>,
    /// The split at which the search stopped, if one was tested.
    pub rejected: Option<EDivisiveChange>,
    /// What reading did to the series.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Mean of each segment of `x` delimited by the change points `indices` (increasing, inside
/// `1..x.len()`): `indices.len() + 1` means, summed left to right.
pub fn segment_means(x: &[f64], indices: &[usize]) -> Vec<f64> {
    let mut bounds = Vec::with_capacity(indices.len() + 2);
    bounds.push(0);
    bounds.extend_from_slice(indices);
    bounds.push(x.len());
    bounds
        .windows(2)
        .map(|w| {
            if w[1] > w[0] {
                x[w[0]..w[1]].iter().sum::<f64>() / (w[1] - w[0]) as f64
            } else {
                f64::NAN
            }
        })
        .collect()
}

impl EDivisiveReport {
    /// The report of E-divisive's result `r` on the values `x`.
    pub fn new(x: &[f64], r: &EDivisive, source: &Source) -> Self {
        let indices: Vec<usize> = r.change_points.iter().map(|c| c.index).collect();
        let means = segment_means(x, &indices);
        EDivisiveReport {
            file: source.file.clone(),
            column: source.columns.first().cloned(),
            n: x.len(),
            method: "edivisive",
            min_size: r.options.min_size,
            alpha: r.options.p_value,
            permutations: r.options.permutations,
            seed: r.options.seed,
            p_value_rule: r.options.p_value_rule,
            change_points: r
                .change_points
                .iter()
                .enumerate()
                .map(|(k, c)| EDivisiveReportChange {
                    index: source.index_at(c.index),
                    time: source.time_at(c.index),
                    before: means[k],
                    after: means[k + 1],
                    p_value: c.p_value,
                    statistic: c.statistic,
                    order: c.order,
                    kind: "distribution",
                })
                .collect(),
            rejected: r.rejected.clone(),
            notes: source.notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_means_cover_every_segment() {
        let x = [1.0, 1.0, 4.0, 6.0, 10.0];
        assert_eq!(segment_means(&x, &[2, 4]), vec![1.0, 5.0, 10.0]);
        assert_eq!(segment_means(&x, &[]), vec![4.4]);
    }
}
