//! Change points inside one series: the default `detect` pipeline and the CROPS path.

use pyo3::prelude::*;
use serde::Serialize;

use shiftwatch::changepoint::edivisive::PValueRule;
use shiftwatch::changepoint::search::crops_path;
use shiftwatch::changepoint::{
    detect as detect_engine, detect_multivariate as detect_multi_engine,
    e_divisive as e_divisive_engine, CostKind, DetectOptions, Detection, EDivisiveOptions, Method,
    MultiDetection, Penalty,
};

use crate::arrays::{call, parse, slice, Arr};

/// Parses the options shared by `detect` and `detect_multivariate`; also returns the penalty.
fn options(
    method: &str,
    cost: &str,
    penalty: &str,
    min_size: usize,
    alpha: f64,
) -> PyResult<(DetectOptions, Penalty)> {
    let penalty: Penalty = parse(penalty)?;
    let options = DetectOptions {
        cost: parse(cost)?,
        method: parse(method)?,
        penalty,
        min_size,
        alpha,
    };
    Ok((options, penalty))
}

/// The engine's result with the penalty spelled as the CLI's JSON spells it.
#[derive(Serialize)]
struct Detected {
    detection: Detection,
    penalty: String,
}

/// The default change-point pipeline; returns `{"detection": <engine's Detection>,
/// "penalty": <canonical penalty name>}`.
#[pyfunction]
#[pyo3(signature = (values, method, cost, penalty, min_size, alpha))]
fn detect(
    py: Python<'_>,
    values: Arr<'_>,
    method: &str,
    cost: &str,
    penalty: &str,
    min_size: usize,
    alpha: f64,
) -> PyResult<Py<PyAny>> {
    let (options, penalty) = options(method, cost, penalty, min_size, alpha)?;
    let x = slice(&values);
    call(py, || {
        detect_engine(&x, &options).map(|detection| Detected {
            detection,
            penalty: penalty.to_string(),
        })
    })
}

/// The engine's multivariate result with the penalty spelled as the CLI's JSON spells it.
#[derive(Serialize)]
struct DetectedMulti {
    detection: MultiDetection,
    penalty: String,
}

/// Change points shared by several aligned columns; returns `{"detection": <engine's
/// MultiDetection>, "penalty": <canonical penalty name>}`.
#[pyfunction]
#[pyo3(signature = (columns, method, cost, penalty, min_size, alpha))]
fn detect_multivariate(
    py: Python<'_>,
    columns: Vec<Arr<'_>>,
    method: &str,
    cost: &str,
    penalty: &str,
    min_size: usize,
    alpha: f64,
) -> PyResult<Py<PyAny>> {
    let (options, penalty) = options(method, cost, penalty, min_size, alpha)?;
    let cols: Vec<_> = columns.iter().map(slice).collect();
    call(py, || {
        let views: Vec<&[f64]> = cols.iter().map(|c| &**c).collect();
        detect_multi_engine(&views, &options).map(|detection| DetectedMulti {
            detection,
            penalty: penalty.to_string(),
        })
    })
}

/// Every segmentation optimal for a penalty in `[penalty_min, penalty_max]` (cost units);
/// returns the engine's `Crops` as a dict.
#[pyfunction]
#[pyo3(signature = (values, penalty_min, penalty_max, cost, method, min_size))]
fn crops(
    py: Python<'_>,
    values: Arr<'_>,
    penalty_min: f64,
    penalty_max: f64,
    cost: &str,
    method: &str,
    min_size: usize,
) -> PyResult<Py<PyAny>> {
    let kind: CostKind = parse(cost)?;
    let method: Method = parse(method)?;
    let x = slice(&values);
    call(py, || {
        crops_path(&x, kind, method, min_size, (penalty_min, penalty_max))
    })
}

/// Adds this family's functions to the module.
/// E-divisive (energy statistic, seeded permutation test per change); returns `{"result": the
/// engine's EDivisive (change_points, rejected, options), "means": [mean of each segment]}`.
#[pyfunction]
#[pyo3(signature = (values, min_size, permutations, alpha, seed, p_value_rule, exponent))]
#[allow(clippy::too_many_arguments)]
fn e_divisive(
    py: Python<'_>,
    values: Arr<'_>,
    min_size: usize,
    permutations: usize,
    alpha: f64,
    seed: u64,
    p_value_rule: &str,
    exponent: f64,
) -> PyResult<Py<PyAny>> {
    let options = EDivisiveOptions {
        exponent,
        min_size,
        permutations,
        p_value: alpha,
        seed,
        p_value_rule: parse::<PValueRule>(p_value_rule)?,
    };
    let x = slice(&values);
    call(py, || {
        e_divisive_engine(&x, &options).map(|result| {
            let mut bounds = vec![0];
            bounds.extend(result.change_points.iter().map(|c| c.index));
            bounds.push(x.len());
            // Segment means, summed as `shiftwatch detect --method edivisive` sums them.
            let means = bounds
                .windows(2)
                .map(|w| x[w[0]..w[1]].iter().sum::<f64>() / (w[1] - w[0]) as f64)
                .collect();
            EDivisiveOut { result, means }
        })
    })
}

/// E-divisive's result and the mean of each segment it delimits.
#[derive(Serialize)]
struct EDivisiveOut {
    result: shiftwatch::changepoint::EDivisive,
    means: Vec<f64>,
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    m.add_function(wrap_pyfunction!(e_divisive, m)?)?;
    m.add_function(wrap_pyfunction!(detect_multivariate, m)?)?;
    m.add_function(wrap_pyfunction!(crops, m)?)?;
    Ok(())
}
