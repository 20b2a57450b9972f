//! The optional `series` section of a [`super::Report`]: each metric's series, downsampled for
//! figures (the HTML report's small multiples, Python's `Report.plot_metric`). Present only
//! when asked for (`--series`, `--format html`), so the default JSON is unchanged.

use std::collections::BTreeMap;

use serde::Serialize;

/// One target's line of a metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesLine {
    /// Target (instance, replica).
    pub target: String,
    /// `baseline`, `candidate` or `other`.
    pub role: String,
    /// Points of the analysed series before downsampling (warm-up included).
    pub points: usize,
    /// Time of the first analysed point, epoch seconds, when a warm-up before it was trimmed.
    pub warmup_end: Option<f64>,
    /// Times, epoch seconds.
    pub t: Vec<f64>,
    /// Values (counters as per-second rates, histograms as quantiles); null breaks the line (a
    /// gap or a non-finite value).
    pub v: Vec<Option<f64>>,
}

/// The lines of one metric (one row of `metrics`, same `metric` and `labels`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSeries {
    /// Metric name.
    pub metric: String,
    /// Labels other than the target.
    pub labels: BTreeMap<String, String>,
    /// One line per target, in target order.
    pub lines: Vec<SeriesLine>,
}
