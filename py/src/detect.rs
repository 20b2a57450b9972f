//! Change points inside one series: the default `detect` pipeline and the CROPS path.

use pyo3::prelude::*;
use serde::Serialize;

use shiftwatch::changepoint::edivisive::PValueRule;
use shiftwatch::changepoint::search::crops_path_with;
use shiftwatch::changepoint::{
    detect as detect_engine, detect_multivariate as detect_multi_engine,
    edivisive::e_divisive_with as e_divisive_engine, CostKind, DetectOptions, EDivisiveOptions,
    Method, Penalty,
};
use shiftwatch::report::detect::{DetectReport, EDivisiveReport, MultiDetectReport, Source};

use crate::arrays::{call, parse, slice, Arr};

/// Parses the options shared by `detect` and `detect_multivariate`.
fn options(
    method: &str,
    cost: &str,
    penalty: &str,
    min_size: usize,
    alpha: f64,
) -> PyResult<DetectOptions> {
    Ok(DetectOptions {
        cost: parse(cost)?,
        method: parse(method)?,
        penalty: parse::<Penalty>(penalty)?,
        min_size,
        alpha,
    })
}

/// A report (the CLI's JSON) and the change points the search found before validation.
#[derive(Serialize)]
struct Reported<R: Serialize> {
    report: R,
    candidates: Vec<usize>,
}

/// The default change-point pipeline; returns `{"report": <the core's DetectReport>,
/// "candidates": [...]}`.
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
    let options = options(method, cost, penalty, min_size, alpha)?;
    let x = slice(&values);
    call(py, || {
        detect_engine(&x, &options).map(|d| Reported {
            report: DetectReport::new(&d, &Source::default()),
            candidates: d.candidates,
        })
    })
}

/// Change points shared by several aligned columns named `names`; returns `{"report": <the
/// core's MultiDetectReport>, "candidates": [...]}`.
#[pyfunction]
#[pyo3(signature = (columns, method, cost, penalty, min_size, alpha, names=None))]
#[allow(clippy::too_many_arguments)]
fn detect_multivariate(
    py: Python<'_>,
    columns: Vec<Arr<'_>>,
    method: &str,
    cost: &str,
    penalty: &str,
    min_size: usize,
    alpha: f64,
    names: Option<Vec<String>>,
) -> PyResult<Py<PyAny>> {
    let options = options(method, cost, penalty, min_size, alpha)?;
    let cols: Vec<_> = columns.iter().map(slice).collect();
    let source = Source {
        columns: names.unwrap_or_default(),
        ..Source::default()
    };
    call(py, || {
        let views: Vec<&[f64]> = cols.iter().map(|c| &**c).collect();
        detect_multi_engine(&views, &options).map(|d| Reported {
            report: MultiDetectReport::new(&d, &source),
            candidates: d.candidates,
        })
    })
}

/// Every segmentation optimal for a penalty in `[penalty_min, penalty_max]` (cost units);
/// returns the engine's `Crops` as a dict.
#[pyfunction]
#[pyo3(signature = (values, penalty_min, penalty_max, cost, method, min_size, progress=None))]
#[allow(clippy::too_many_arguments)]
fn crops(
    py: Python<'_>,
    values: Arr<'_>,
    penalty_min: f64,
    penalty_max: f64,
    cost: &str,
    method: &str,
    min_size: usize,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let kind: CostKind = parse(cost)?;
    let method: Method = parse(method)?;
    let x = slice(&values);
    // Ctrl-C and the optional bar between searches.
    crate::progress::call_with_progress(py, progress, |p| {
        crops_path_with(&x, kind, method, min_size, (penalty_min, penalty_max), p)
    })
}

/// Adds this family's functions to the module.
/// E-divisive (energy statistic, seeded permutation test per change); returns the core's
/// `EDivisiveReport` (the CLI's JSON, segment means included) as a dict.
#[pyfunction]
#[pyo3(signature = (values, min_size, permutations, alpha, seed, p_value_rule, exponent, progress=None))]
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
    progress: Option<Py<PyAny>>,
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
    // Ctrl-C between permutations.
    crate::progress::call_with_progress(py, progress, |p| {
        e_divisive_engine(&x, &options, p).map(|r| EDivisiveReport::new(&x, &r, &Source::default()))
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    m.add_function(wrap_pyfunction!(e_divisive, m)?)?;
    m.add_function(wrap_pyfunction!(detect_multivariate, m)?)?;
    m.add_function(wrap_pyfunction!(crops, m)?)?;
    Ok(())
}
