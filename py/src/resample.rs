//! Resampling: bootstrap confidence intervals, permutation tests and block lengths.
//!
//! The engine takes the two-sample statistic as a closure; Python chooses it by name
//! ([`Statistic`]), so every resample is evaluated in Rust without the GIL.

use pyo3::prelude::*;

use shiftwatch::stats::block_length::optimal_block_length as block_length_engine;
use shiftwatch::stats::bootstrap::{
    bootstrap_ci as bootstrap_engine, BlockSize, BootstrapOptions, Scheme,
};
use shiftwatch::stats::effect::{cliffs_delta as cliff_engine, hodges_lehmann as hl_engine};
use shiftwatch::stats::permutation::{permutation_test as permutation_engine, PermutationOptions};
use shiftwatch::stats::quantile::{quantile, quantile_in_place};
use shiftwatch::Error;

use crate::arrays::{call, parse, slice, Arr};
use crate::errors::to_py;

/// A two-sample statistic by name; `x` is the baseline, `y` the candidate, and differences
/// and ratios are candidate over baseline (as the engine's effects).
#[derive(Debug, Clone, Copy)]
enum Statistic {
    /// `mean(y) - mean(x)`.
    MeanDiff,
    /// `mean(y) / mean(x)`.
    MeanRatio,
    /// `Q_y(q) - Q_x(q)` (the median for `q = 0.5`).
    QuantileDiff(f64),
    /// `Q_y(q) / Q_x(q)`.
    QuantileRatio(f64),
}

const STATISTICS: &str =
    "mean_diff, mean_ratio, median_diff, median_ratio, quantile_diff, quantile_ratio";

impl Statistic {
    fn parse(name: &str, q: f64) -> Result<Self, Error> {
        if !(0.0..=1.0).contains(&q) {
            return Err(Error::invalid("q", format!("must lie in [0, 1], got {q}")));
        }
        Ok(match name.to_ascii_lowercase().replace('-', "_").as_str() {
            "mean_diff" => Statistic::MeanDiff,
            "mean_ratio" => Statistic::MeanRatio,
            "median_diff" => Statistic::QuantileDiff(0.5),
            "median_ratio" => Statistic::QuantileRatio(0.5),
            "quantile_diff" => Statistic::QuantileDiff(q),
            "quantile_ratio" => Statistic::QuantileRatio(q),
            _ => {
                return Err(Error::UnknownName {
                    kind: "statistic",
                    value: name.to_string(),
                    expected: STATISTICS,
                })
            }
        })
    }

    /// Evaluates on scratch buffers that may be reordered (NaN if undefined, which the
    /// engine reports as an error).
    fn eval_mut(self, x: &mut [f64], y: &mut [f64]) -> f64 {
        let q = |v: &mut [f64], q: f64| quantile_in_place(v, q).unwrap_or(f64::NAN);
        match self {
            Statistic::MeanDiff => mean(y) - mean(x),
            Statistic::MeanRatio => mean(y) / mean(x),
            Statistic::QuantileDiff(p) => q(y, p) - q(x, p),
            Statistic::QuantileRatio(p) => q(y, p) / q(x, p),
        }
    }

    /// Evaluates on borrowed samples.
    fn eval(self, x: &[f64], y: &[f64]) -> f64 {
        let q = |v: &[f64], q: f64| quantile(v, q).unwrap_or(f64::NAN);
        match self {
            Statistic::MeanDiff => mean(y) - mean(x),
            Statistic::MeanRatio => mean(y) / mean(x),
            Statistic::QuantileDiff(p) => q(y, p) - q(x, p),
            Statistic::QuantileRatio(p) => q(y, p) / q(x, p),
        }
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn parse_scheme(name: &str, block_len: Option<f64>) -> PyResult<Scheme> {
    let scheme: Scheme = parse(name)?;
    Ok(match (scheme, block_len) {
        (s, None) => s,
        (Scheme::Iid, Some(_)) => {
            return Err(to_py(Error::invalid(
                "block_len",
                "only applies to the moving-block and stationary schemes",
            )))
        }
        (Scheme::MovingBlock { .. }, Some(b)) => Scheme::MovingBlock {
            block_len: BlockSize::Fixed(b),
        },
        (Scheme::Stationary { .. }, Some(b)) => Scheme::Stationary {
            mean_block_len: BlockSize::Fixed(b),
        },
    })
}

/// Two-sample bootstrap confidence interval of a named statistic; returns the engine's
/// `BootstrapCi` as a dict.
#[pyfunction]
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
) -> PyResult<Py<PyAny>> {
    let stat = Statistic::parse(statistic, q).map_err(to_py)?;
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
    call(py, || {
        bootstrap_engine(&x, &y, |a, b| stat.eval_mut(a, b), &options)
    })
}

/// Two-sample permutation test of a named statistic; returns the engine's
/// `PermutationTest` as a dict.
#[pyfunction]
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
) -> PyResult<Py<PyAny>> {
    let stat = Statistic::parse(statistic, q).map_err(to_py)?;
    let options = PermutationOptions {
        n_resamples,
        alternative: parse(alternative)?,
        seed,
        threads: 0,
    };
    let (x, y) = (slice(&x), slice(&y));
    call(py, || {
        permutation_engine(&x, &y, |a, b| stat.eval(a, b), &options)
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
