//! Distribution and scale tests: Kolmogorov–Smirnov, Ansari–Bradley, Fligner–Killeen,
//! k-sample Anderson–Darling.

use pyo3::prelude::*;

use shiftwatch::stats::anderson::anderson_ksamp as anderson_engine;
use shiftwatch::stats::ks::{ks_2samp as ks_engine, KsOptions};
use shiftwatch::stats::scale::{ansari as ansari_engine, fligner as fligner_engine, Center};

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

/// Ansari–Bradley test of equal scale; returns the engine's `Ansari` as a dict.
#[pyfunction]
fn ansari(py: Python<'_>, x: Arr<'_>, y: Arr<'_>, alternative: &str) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let (x, y) = (slice(&x), slice(&y));
    call(py, || ansari_engine(&x, &y, alternative))
}

/// Fligner–Killeen test of equal variances of `k ≥ 2` samples; `center` is `median`, `mean`
/// or `trimmed:<proportion>`. Returns the engine's `Fligner` as a dict.
#[pyfunction]
fn fligner(py: Python<'_>, samples: Vec<Arr<'_>>, center: &str) -> PyResult<Py<PyAny>> {
    let center: Center = parse(center)?;
    let owned: Vec<_> = samples.iter().map(slice).collect();
    let views: Vec<&[f64]> = owned.iter().map(|s| s.as_ref()).collect();
    call(py, || fligner_engine(&views, center))
}

/// k-sample Anderson–Darling test; returns the engine's `AndersonKsamp` as a dict.
#[pyfunction]
fn anderson_ksamp(py: Python<'_>, samples: Vec<Arr<'_>>, midrank: bool) -> PyResult<Py<PyAny>> {
    let owned: Vec<_> = samples.iter().map(slice).collect();
    let views: Vec<&[f64]> = owned.iter().map(|s| s.as_ref()).collect();
    call(py, || anderson_engine(&views, midrank))
}

/// Adds this family's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(ks_2samp, m)?)?;
    m.add_function(wrap_pyfunction!(ansari, m)?)?;
    m.add_function(wrap_pyfunction!(fligner, m)?)?;
    m.add_function(wrap_pyfunction!(anderson_ksamp, m)?)?;
    Ok(())
}
