//! Distribution tests: Kolmogorov–Smirnov, Ansari–Bradley, Fligner–Killeen, Anderson–Darling.

use pyo3::prelude::*;

use shiftwatch::stats::ks::{ks_2samp as ks_engine, KsOptions};

use crate::arrays::{call, parse, slice, Arr};

/// Two-sample Kolmogorov–Smirnov test; returns the engine's `Ks2Samp` as a dict.
#[pyfunction]
fn ks_2samp(
    py: Python<'_>,
    x: Arr<'_>,
    y: Arr<'_>,
    alternative: &str,
    method: &str,
) -> PyResult<Py<PyAny>> {
    let options = KsOptions {
        alternative: parse(alternative)?,
        method: parse(method)?,
    };
    let (x, y) = (slice(&x), slice(&y));
    call(py, || ks_engine(&x, &y, &options))
}

/// Adds this family's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(ks_2samp, m)?)?;
    Ok(())
}
