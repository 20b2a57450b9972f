//! Series of one metric identity across targets, put on one grid; and what every mode returns
//! for a metric before multiplicity and verdicts.

use std::collections::BTreeMap;

use super::estimate::Aspect;
use super::policy::Policy;
use super::replicas::ReplicaPairs;
use crate::changepoint::{detect, CostKind, DetectOptions};
use crate::report::{ChangePointReport, MetricData};
use crate::series::align::{align, Grid};
use crate::series::prepare::Prepared;
use crate::series::time::format_rfc3339;
use crate::series::Role;

/// One metric identity (name + labels) and its series, one per target.
pub struct Group<'a> {
    /// Metric name.
    pub metric: String,
    /// Labels other than the target.
    pub labels: BTreeMap<String, String>,
    /// Members with their role (None: no role).
    pub members: Vec<(&'a Prepared, Option<Role>)>,
    /// Resolved policy.
    pub policy: Policy,
}

/// What a mode computed for one metric; the verdict comes after multiplicity.
pub struct Outcome {
    /// Level aspect (the main comparison).
    pub level: Option<Aspect>,
    /// Trend aspect (relative slope per hour).
    pub trend: Option<Aspect>,
    /// Dispersion aspect (sd ratio).
    pub dispersion: Option<Aspect>,
    /// A/A noise floor (relative).
    pub noise_floor: Option<f64>,
    /// Change points.
    pub change_points: Vec<ChangePointReport>,
    /// Data counts.
    pub data: MetricData,
    /// Notes.
    pub notes: Vec<String>,
    /// Grid step, seconds.
    pub step_s: f64,
    /// A/A pairs behind the between-replica variance (paired mode, log-ratio levels).
    pub replicas: Option<ReplicaPairs>,
}

impl Outcome {
    /// An outcome with no comparison (no data), with a note saying why.
    pub fn no_data(data: MetricData, note: String) -> Outcome {
        Outcome {
            level: None,
            trend: None,
            dispersion: None,
            noise_floor: None,
            change_points: Vec::new(),
            data,
            notes: vec![note],
            step_s: 0.0,
            replicas: None,
        }
    }
}

/// Median spacing of a prepared series, ms.
pub fn interval_ms(p: &Prepared) -> Option<i64> {
    let mut d: Vec<i64> = p.timestamps_ms.windows(2).map(|w| w[1] - w[0]).collect();
    if d.is_empty() {
        return None;
    }
    let mid = d.len() / 2;
    let (_, m, _) = d.select_nth_unstable(mid);
    Some(*m)
}

/// Members on their common grid: the grid and each member's values (`None` = missing or
/// non-finite). The step is `step_ms` or the coarsest member interval; a sample is carried to a
/// grid time at most one step.
pub fn on_grid(
    members: &[&Prepared],
    step_ms: Option<i64>,
) -> Option<(Grid, Vec<Vec<Option<f64>>>)> {
    let step = match step_ms {
        Some(s) => s,
        None => members.iter().filter_map(|p| interval_ms(p)).max()?,
    };
    if step <= 0 {
        return None;
    }
    let ts: Vec<&[i64]> = members.iter().map(|p| p.timestamps_ms.as_slice()).collect();
    let grid = Grid::common(&ts, step).ok()?;
    let values = members
        .iter()
        .map(|p| {
            align(&p.timestamps_ms, &p.values, &grid, step)
                .ok()
                .map(|a| {
                    a.values
                        .into_iter()
                        .map(|v| v.filter(|x| x.is_finite()))
                        .collect()
                })
        })
        .collect::<Option<Vec<Vec<Option<f64>>>>>()?;
    Some((grid, values))
}

/// Per grid time, the mean over `lanes` when every lane has a value.
pub fn mean_lane(lanes: &[&Vec<Option<f64>>], len: usize) -> Vec<Option<f64>> {
    (0..len)
        .map(|k| {
            let mut s = 0.0;
            for l in lanes {
                s += l[k]?;
            }
            Some(s / lanes.len() as f64)
        })
        .collect()
}

/// Read counts of the members, summed.
pub fn read_counts(members: &[&Prepared]) -> MetricData {
    let mut d = MetricData::default();
    for p in members {
        let r = &p.data.read;
        d.read += r.points;
        d.dropped += r.nan + r.infinite + r.duplicates + p.data.skipped;
        d.warmup_trimmed += p.data.warmup_trimmed;
        d.resets += p.data.resets.len() + p.data.bucket_resets;
        d.coarse |= p.data.coarse;
    }
    d
}

/// Detector settings of `analyze`: `detect`'s defaults with the step model. A report's change
/// points say when a release's level stepped; slow changes are the trend aspect's job (an OLS
/// slope with its own test), so `analyze` does not pay for `detect`'s per-series model choice
/// (step, trend or drift by BIC), which costs about 4.5× as much: 1000 metrics × 4 targets ×
/// 1440 points took 7.8 s with it against 1.9 s (`bench/analyze_scale.py`).
pub fn step_detector() -> DetectOptions {
    DetectOptions {
        cost: CostKind::L2,
        ..DetectOptions::default()
    }
}

/// Validated level steps of `values` (times from `times_ms`), by [`step_detector`].
pub fn change_points(
    role: &str,
    values: &[f64],
    times_ms: &[i64],
    builds: Option<&[String]>,
) -> (Vec<ChangePointReport>, Option<String>) {
    match detect(values, &step_detector()) {
        Ok(d) => (
            d.change_points
                .iter()
                .map(|c| ChangePointReport {
                    role: role.to_string(),
                    time: format_rfc3339(times_ms[c.index]),
                    index: c.index,
                    build: builds.and_then(|b| b.get(c.index).cloned()),
                    before: c.before,
                    after: c.after,
                    p_value: c.p_adjusted,
                    kind: format!("{:?}", c.kind).to_ascii_lowercase(),
                })
                .collect(),
            None,
        ),
        Err(e) => (
            Vec::new(),
            Some(format!("{role}: change points not searched ({e})")),
        ),
    }
}
