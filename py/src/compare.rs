//! The default comparison, multiplicity and dependence diagnostics.

use pyo3::prelude::*;

use shiftwatch::policy::Direction;
use shiftwatch::report::compare::CompareReport;
use shiftwatch::series::select::samples_by_position;
use shiftwatch::stats::compare::{compare as compare_engine, CompareOptions};
use shiftwatch::stats::dependence::{acf as acf_engine, effective_sample_size as ess_engine};
use shiftwatch::stats::multiplicity::{adjust, Correction};

use crate::arrays::{call, parse, slice, Arr};

/// Adjusted p-values (`bh`, `by`, `holm`, `bonferroni`, `none`) as a list.
#[pyfunction]
fn false_discovery_control(py: Python<'_>, ps: Arr<'_>, method: &str) -> PyResult<Py<PyAny>> {
    let correction: Correction = parse(method)?;
    let ps = slice(&ps);
    call(py, || adjust(&ps, correction))
}

/// Sample autocorrelations up to `max_lag`; returns the engine's `Acf` as a dict.
#[pyfunction]
fn acf(py: Python<'_>, x: Arr<'_>, max_lag: usize) -> PyResult<Py<PyAny>> {
    let x = slice(&x);
    call(py, || acf_engine(&x, max_lag))
}

/// Geyer effective sample size; returns the engine's `EffectiveSampleSize` as a dict.
#[pyfunction]
fn effective_sample_size(py: Python<'_>, x: Arr<'_>) -> PyResult<Py<PyAny>> {
    let x = slice(&x);
    call(py, || ess_engine(&x))
}

/// The calibrated default comparison; returns the core's `CompareReport` as a dict (the
/// fields of `shiftwatch compare --format json` without `input`). `omit` applies the core's
/// missing-value and pairing policy (non-finite values missing; paired rows dropped when
/// either is missing) instead of rejecting non-finite values.
#[pyfunction]
#[pyo3(signature = (baseline, candidate, paired, alpha, alternative, statistic, method, direction=None, omit=false))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    baseline: Arr<'_>,
    candidate: Arr<'_>,
    paired: Option<&str>,
    alpha: f64,
    alternative: &str,
    statistic: &str,
    method: &str,
    direction: Option<&str>,
    omit: bool,
) -> PyResult<Py<PyAny>> {
    let options = CompareOptions {
        alpha,
        alternative: parse(alternative)?,
        paired: paired.map(parse).transpose()?,
        statistic: parse(statistic)?,
        method: parse(method)?,
    };
    let direction: Option<Direction> = direction.map(parse).transpose()?;
    let (b, c) = (slice(&baseline), slice(&candidate));
    call(py, || {
        let comparison = if omit {
            let s = samples_by_position(&b, &c, options.paired.is_some())?;
            compare_engine(&s.baseline, &s.candidate, &options)?
        } else {
            compare_engine(&b, &c, &options)?
        };
        Ok(CompareReport::new(comparison, direction, None))
    })
}

/// Adds this family's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(false_discovery_control, m)?)?;
    m.add_function(wrap_pyfunction!(acf, m)?)?;
    m.add_function(wrap_pyfunction!(effective_sample_size, m)?)?;
    Ok(())
}
