//! Rank tests: Mann–Whitney U (and the Wilcoxon signed-rank test when it lands).

use pyo3::prelude::*;

use shiftwatch::stats::mann_whitney::{mann_whitney_u, MwuOptions};

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

/// Adds this family's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(mannwhitneyu, m)?)?;
    Ok(())
}
