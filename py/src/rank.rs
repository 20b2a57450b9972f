//! Rank tests: Mann–Whitney U and the Wilcoxon signed-rank test.

use pyo3::prelude::*;

use shiftwatch::stats::mann_whitney::{mann_whitney_u, MwuOptions};
use shiftwatch::stats::wilcoxon::{wilcoxon as wilcoxon_engine, WilcoxonOptions};

use crate::arrays::{call, parse, slice, Arr};

/// Mann–Whitney U test; returns the engine's `MannWhitneyU` as a dict.
#[pyfunction]
fn mannwhitneyu(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    use_continuity: bool,
    alternative: &str,
    method: &str,
) -> PyResult<Py<PyAny>> {
    let options = MwuOptions {
        alternative: parse(alternative)?,
        method: parse(method)?,
        use_continuity,
    };
    let (x, y) = (slice(&x), slice(&y));
    call(py, || mann_whitney_u(&x, &y, &options))
}

/// Wilcoxon signed-rank test of `x - y` (or `x` when `y` is `None`); returns the engine's
/// `Wilcoxon` as a dict.
#[pyfunction]
#[pyo3(signature = (x, y, zero_method, correction, alternative, method))]
fn wilcoxon(
    py: Python<'_>,
    x: Arr<'_>,
    y: Option<Arr<'_>>,
    zero_method: &str,
    correction: bool,
    alternative: &str,
    method: &str,
) -> PyResult<Py<PyAny>> {
    let options = WilcoxonOptions {
        zero_method: parse(zero_method)?,
        correction,
        alternative: parse(alternative)?,
        method: parse(method)?,
    };
    let x = slice(&x);
    let y = y.as_ref().map(slice);
    call(py, || wilcoxon_engine(&x, y.as_deref(), &options))
}

/// Adds this family's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(mannwhitneyu, m)?)?;
    m.add_function(wrap_pyfunction!(wilcoxon, m)?)?;
    Ok(())
}
