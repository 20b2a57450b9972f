//! The report's optional `series` section: every metric's series per target, as analysed
//! (counters as rates, histograms as quantiles) but with the warm-up kept and marked, reduced
//! to at most [`MAX_POINTS`] entries per line by [`min_max`] (spikes and gaps survive).

use std::collections::BTreeMap;

use crate::report::{MetricResult, MetricSeries, SeriesLine};
use crate::series::downsample::min_max;
use crate::series::prepare::{prepare, PrepareOptions, Prepared};
use crate::series::{RawSeries, Role, SeriesKey};
use crate::Result;

/// Most entries (points and breaks) per line.
pub const MAX_POINTS: usize = 400;

/// The spelling of a role in the report (`other` when none).
pub fn role_name(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Baseline) => "baseline",
        Some(Role::Candidate) => "candidate",
        Some(Role::Other) | None => "other",
    }
}

/// Lines of every metric row, in the order of `metrics`. `analysed` are the series the analysis
/// used (warm-up trimmed): their first time is where the shaded warm-up ends.
///
/// # Errors
/// Errors of [`prepare`] (none once the analysis has prepared the same series).
pub fn series_section(
    series: &[RawSeries],
    analysed: &[Prepared],
    roles: &BTreeMap<String, Role>,
    metrics: &[MetricResult],
) -> Result<Vec<MetricSeries>> {
    let whole = prepare(series, &PrepareOptions::default())?;
    let first_kept: BTreeMap<&SeriesKey, Option<i64>> = analysed
        .iter()
        .map(|p| {
            let trimmed = p.data.warmup_trimmed > 0;
            (&p.key, p.timestamps_ms.first().copied().filter(|_| trimmed))
        })
        .collect();
    let mut by_id: BTreeMap<(&str, &BTreeMap<String, String>), Vec<&Prepared>> = BTreeMap::new();
    for p in &whole {
        by_id
            .entry((p.key.metric.as_str(), &p.key.labels))
            .or_default()
            .push(p);
    }
    Ok(metrics
        .iter()
        .map(|m| MetricSeries {
            metric: m.metric.clone(),
            labels: m.labels.clone(),
            lines: by_id
                .get(&(m.metric.as_str(), &m.labels))
                .map(|members| {
                    members
                        .iter()
                        .map(|p| line(p, roles, first_kept.get(&p.key).copied().flatten()))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect())
}

fn line(p: &Prepared, roles: &BTreeMap<String, Role>, warmup_end: Option<i64>) -> SeriesLine {
    let d = min_max(&p.timestamps_ms, &p.values, MAX_POINTS);
    SeriesLine {
        target: p.key.target.clone(),
        role: role_name(roles.get(&p.key.target).copied()).to_string(),
        points: p.timestamps_ms.len(),
        warmup_end: warmup_end.map(seconds),
        t: d.t.into_iter().map(seconds).collect(),
        v: d.v,
    }
}

fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}
