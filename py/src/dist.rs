//! Parametric and location tests: t-tests, Brunner–Munzel, Poisson rate ratio; t quantiles.

use pyo3::prelude::*;

use shiftwatch::stats::brunner_munzel::brunner_munzel;
use shiftwatch::stats::dist::t_ppf as t_ppf_engine;
use shiftwatch::stats::poisson::poisson_rate_ratio as poisson_engine;
use shiftwatch::stats::ttest::{
    ttest_1samp as ttest_1samp_engine, ttest_ind as ttest_ind_engine,
    ttest_rel as ttest_rel_engine, TTestOptions,
};

use crate::arrays::{call, parse, slice, Arr};

/// Two-sample t-test (Student or Welch); returns the engine's `TTest` as a dict.
#[pyfunction]
fn ttest_ind(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    equal_var: bool,
    alternative: &str,
    confidence_level: f64,
) -> PyResult<Py<PyAny>> {
    let options = TTestOptions {
        equal_var,
        alternative: parse(alternative)?,
        confidence_level,
    };
    let (x, y) = (slice(&x), slice(&y));
    call(py, || ttest_ind_engine(&x, &y, &options))
}

/// Paired t-test of `x - y`; returns the engine's `TTest` as a dict.
#[pyfunction]
fn ttest_rel(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    alternative: &str,
    confidence_level: f64,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let (x, y) = (slice(&x), slice(&y));
    call(py, || {
        ttest_rel_engine(&x, &y, alternative, confidence_level)
    })
}

/// One-sample t-test of `mean(x) = popmean`; returns the engine's `TTest` as a dict.
#[pyfunction]
fn ttest_1samp(
    py: Python<'_>,
    x: Arr<'_>,
    popmean: f64,
    alternative: &str,
    confidence_level: f64,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let x = slice(&x);
    call(py, || {
        ttest_1samp_engine(&x, popmean, alternative, confidence_level)
    })
}

/// Brunner–Munzel test; returns the engine's `BrunnerMunzel` as a dict.
#[pyfunction]
fn brunnermunzel(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    alternative: &str,
    distribution: &str,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let distribution = parse(distribution)?;
    let (x, y) = (slice(&x), slice(&y));
    call(py, || brunner_munzel(&x, &y, alternative, distribution))
}

/// Exact conditional test of two Poisson rates; returns the engine's `PoissonRateRatio`.
#[pyfunction]
fn poisson_rate_ratio(
    py: Python<'_>,
    k1: u64,
    exposure1: f64,
    k2: u64,
    exposure2: f64,
    alternative: &str,
    confidence_level: f64,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    call(py, || {
        poisson_engine(k1, exposure1, k2, exposure2, alternative, confidence_level)
    })
}

/// Quantile function of Student's t with `df` degrees of freedom.
#[pyfunction]
fn t_ppf(p: f64, df: f64) -> f64 {
    t_ppf_engine(p, df)
}

/// Adds this family's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(ttest_ind, m)?)?;
    m.add_function(wrap_pyfunction!(ttest_rel, m)?)?;
    m.add_function(wrap_pyfunction!(ttest_1samp, m)?)?;
    m.add_function(wrap_pyfunction!(brunnermunzel, m)?)?;
    m.add_function(wrap_pyfunction!(poisson_rate_ratio, m)?)?;
    m.add_function(wrap_pyfunction!(t_ppf, m)?)?;
    Ok(())
}
