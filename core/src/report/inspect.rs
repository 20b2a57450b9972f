//! The JSON of `shiftwatch inspect`: what a set of exports holds.

use serde::Serialize;

use crate::series::summary::{summarize, SeriesSummary};
use crate::series::{Dataset, ReadReport};

/// `shiftwatch inspect --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct InspectReport {
    /// Output schema (`shiftwatch.inspect/v1`).
    pub schema: &'static str,
    /// Series found, in order of first appearance.
    pub series: Vec<SeriesSummary>,
    /// What happened while reading.
    pub read: ReadReport,
}

impl InspectReport {
    /// The inspect report of a dataset.
    pub fn new(d: &Dataset) -> Self {
        InspectReport {
            schema: "shiftwatch.inspect/v1",
            series: d.series.iter().map(summarize).collect(),
            read: d.report.clone(),
        }
    }
}
