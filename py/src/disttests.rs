//! Distribution and scale tests: Kolmogorov–Smirnov, Ansari–Bradley, Fligner–Killeen,
//! k-sample Anderson–Darling. The two-sample tests are vectorised over rows (scipy's `axis=`,
//! see [`crate::batch`]).

use pyo3::prelude::*;

use shiftwatch::stats::anderson::anderson_ksamp as anderson_engine;
use shiftwatch::stats::ks::{ks_2samp as ks_engine, KsOptions};
use shiftwatch::stats::scale::{ansari as ansari_engine, fligner as fligner_engine, Center};

use crate::arrays::{call, parse, slice, Arr};
use crate::batch::{self, columns, rank_surrogates, val, Arr2, NanPolicy, Rows};

/// Two-sample Kolmogorov–Smirnov test per row of `x` and `y` (scipy's `axis=`); returns the
/// engine's `Ks2Samp` fields as columns. ±∞ are ordered as scipy orders them (the ECDFs only
/// depend on the order), and a `statistic_location` at ±∞ is reported as ±∞.
#[pyfunction]
fn ks_2samp(
    py: Python<'_>,
    x: Arr2<'_>,
    y: Arr2<'_>,
    alternative: &str,
    method: &str,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let options = KsOptions {
        alternative: parse(alternative)?,
        method: parse(method)?,
    };
    let policy = NanPolicy::parse(nan_policy)?;
    let (xs, ys) = (Rows::new(&x), Rows::new(&y));
    let m = batch::same_rows(&[&xs, &ys])?;
    columns(py, m, |i| {
        let mut s = [
            batch::sample(xs.row(i), policy)?,
            batch::sample(ys.row(i), policy)?,
        ];
        let big = rank_surrogates(&mut s);
        Some(val(ks_engine(&s[0], &s[1], &options).map(|mut r| {
            if big.is_some_and(|b| r.statistic_location.abs() == b) {
                r.statistic_location = f64::INFINITY.copysign(r.statistic_location);
            }
            r
        })))
    })
}

/// Ansari–Bradley test of equal scale per row of `x` and `y`; returns the engine's `Ansari`
/// fields as columns. ±∞ are ranked as scipy ranks them.
#[pyfunction]
fn ansari(
    py: Python<'_>,
    x: Arr2<'_>,
    y: Arr2<'_>,
    alternative: &str,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let policy = NanPolicy::parse(nan_policy)?;
    let (xs, ys) = (Rows::new(&x), Rows::new(&y));
    let m = batch::same_rows(&[&xs, &ys])?;
    columns(py, m, |i| {
        let mut s = [
            batch::sample(xs.row(i), policy)?,
            batch::sample(ys.row(i), policy)?,
        ];
        rank_surrogates(&mut s);
        Some(val(ansari_engine(&s[0], &s[1], alternative)))
    })
}

/// Fligner–Killeen test of equal variances of `k ≥ 2` samples per row (scipy's `axis=`);
/// `center` is `median`, `mean` or `trimmed:<proportion>`. Returns the engine's `Fligner`
/// fields as columns.
#[pyfunction]
fn fligner(
    py: Python<'_>,
    samples: Vec<Arr2<'_>>,
    center: &str,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let center: Center = parse(center)?;
    let policy = NanPolicy::parse(nan_policy)?;
    let rows: Vec<Rows<'_>> = samples.iter().map(Rows::new).collect();
    let m = batch::same_rows(&rows.iter().collect::<Vec<_>>())?;
    columns(py, m, |i| {
        let owned = rows
            .iter()
            .map(|r| batch::sample(r.row(i), policy))
            .collect::<Option<Vec<_>>>()?;
        let views: Vec<&[f64]> = owned.iter().map(|s| s.as_ref()).collect();
        Some(val(fligner_engine(&views, center)))
    })
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
