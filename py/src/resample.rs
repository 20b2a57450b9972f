//! Resampling: bootstrap confidence intervals, permutation tests and block lengths.
//!
//! The engine takes the two-sample statistic as a closure; Python chooses it by name
//! (`shiftwatch::stats::resample::statistic::Named`), so every resample is evaluated in Rust without the GIL.

use pyo3::prelude::*;

use shiftwatch::stats::block_length::optimal_block_length as block_length_engine;
use shiftwatch::stats::bootstrap::{
    bootstrap_ci_with as bootstrap_engine, BlockSize, BootstrapOptions, Scheme,
};
use shiftwatch::stats::effect::{cliffs_delta as cliff_engine, hodges_lehmann as hl_engine};
use shiftwatch::stats::permutation::{
    permutation_test_with as permutation_engine, PermutationOptions,
};
use shiftwatch::stats::resample::statistic::Named;
use shiftwatch::Error;

use crate::arrays::{call, parse, slice, Arr};
use crate::errors::to_py;
use crate::progress::call_with_progress;

fn parse_scheme(name: &str, block_len: Option<f64>) -> PyResult<Scheme> {
    let scheme: Scheme = parse(name)?;
    Ok(match (scheme, block_len) {
        (s, None) => s,
        (Scheme::Iid | Scheme::Auto, Some(_)) => return Err(to_py(Error::invalid(
            "block_len",
            "only applies to the moving-block and stationary schemes (pass scheme= one of them)",
        ))),
        (Scheme::MovingBlock { .. }, Some(b)) => Scheme::MovingBlock {
            block_len: BlockSize::Fixed(b),
        },
        (Scheme::Stationary { .. }, Some(b)) => Scheme::Stationary {
            mean_block_len: BlockSize::Fixed(b),
        },
    })
}

/// Two-sample bootstrap confidence interval of a named statistic; returns the engine's
/// `BootstrapCi` as a dict. `progress(done, total)` is called while it runs; Ctrl-C raises.
#[pyfunction]
#[pyo3(signature = (x, y, statistic, q, n_resamples, confidence_level, alternative, method, scheme, block_len, seed, progress=None))]
#[allow(clippy::too_many_arguments)]
fn bootstrap_ci(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    statistic: &str,
    q: f64,
    n_resamples: usize,
    confidence_level: f64,
    alternative: &str,
    method: &str,
    scheme: &str,
    block_len: Option<f64>,
    seed: u64,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let stat = Named::parse(statistic, q).map_err(to_py)?;
    let options = BootstrapOptions {
        n_resamples,
        level: confidence_level,
        alternative: parse(alternative)?,
        method: parse(method)?,
        scheme: parse_scheme(scheme, block_len)?,
        seed,
        threads: 0,
    };
    let (x, y) = (slice(&x), slice(&y));
    call_with_progress(py, progress, |p| {
        bootstrap_engine(&x, &y, &stat, &options, p)
    })
}

/// Two-sample permutation test of a named statistic; returns the engine's
/// `PermutationTest` as a dict. `progress(done, total)` is called while it runs; Ctrl-C raises.
#[pyfunction]
#[pyo3(signature = (x, y, statistic, q, n_resamples, alternative, seed, progress=None))]
#[allow(clippy::too_many_arguments)]
fn permutation_test(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    statistic: &str,
    q: f64,
    n_resamples: usize,
    alternative: &str,
    seed: u64,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let stat = Named::parse(statistic, q).map_err(to_py)?;
    let options = PermutationOptions {
        n_resamples,
        alternative: parse(alternative)?,
        seed,
        threads: 0,
    };
    let (x, y) = (slice(&x), slice(&y));
    call_with_progress(py, progress, |p| {
        permutation_engine(&x, &y, |a, b| stat.eval_ref(a, b), &options, p)
    })
}

/// Politis–White automatic block lengths (`stationary`, `circular`) of one series.
#[pyfunction]
fn optimal_block_length(py: Python<'_>, x: Arr<'_>) -> PyResult<Py<PyAny>> {
    let x = slice(&x);
    call(py, || block_length_engine(&x))
}

/// Hodges–Lehmann shift (candidate minus baseline) with its distribution-free interval.
#[pyfunction]
fn hodges_lehmann(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    confidence_level: f64,
    alternative: &str,
    method: &str,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let method = parse(method)?;
    let (x, y) = (slice(&x), slice(&y));
    call(py, || {
        hl_engine(&x, &y, confidence_level, alternative, method)
    })
}

/// Cliff's delta of candidate over baseline with its asymmetric interval.
#[pyfunction]
fn cliffs_delta(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    confidence_level: f64,
) -> PyResult<Py<PyAny>> {
    let (x, y) = (slice(&x), slice(&y));
    call(py, || cliff_engine(&x, &y, confidence_level))
}

/// Adds this family's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(bootstrap_ci, m)?)?;
    m.add_function(wrap_pyfunction!(permutation_test, m)?)?;
    m.add_function(wrap_pyfunction!(optimal_block_length, m)?)?;
    m.add_function(wrap_pyfunction!(hodges_lehmann, m)?)?;
    m.add_function(wrap_pyfunction!(cliffs_delta, m)?)?;
    Ok(())
}
