//! Parametric and location tests: t-tests, Brunner–Munzel, Poisson rate ratio; t quantiles.

use pyo3::prelude::*;

use shiftwatch::stats::brunner_munzel::brunner_munzel;
use shiftwatch::stats::dist::t_ppf as t_ppf_engine;
use shiftwatch::stats::poisson::poisson_rate_ratio as poisson_engine;
use shiftwatch::stats::ttest::{
    ttest_1samp as ttest_1samp_engine, ttest_ind as ttest_ind_engine,
    ttest_rel as ttest_rel_engine, TTestOptions,
};

use crate::arrays::{call, parse};
use crate::batch::{self, columns, rank_surrogates, val, Arr2, NanPolicy, Rows};

/// Whether a t-test row holds ±∞: scipy's mean and variance are then ∞ and NaN, so its t and
/// p are NaN; this front door returns the same NaN row (ranks are not involved, so there is no
/// finite stand-in as for the rank tests).
fn has_inf(rows: &[&[f64]]) -> bool {
    rows.iter().any(|r| r.iter().any(|v| v.is_infinite()))
}

/// Two-sample t-test (Student or Welch) per row of `x` and `y` (scipy's `axis=`); returns the
/// engine's `TTest` fields as columns.
#[pyfunction]
fn ttest_ind(
    py: Python<'_>,
    x: Arr2<'_>,
    y: Arr2<'_>,
    equal_var: bool,
    alternative: &str,
    confidence_level: f64,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let options = TTestOptions {
        equal_var,
        alternative: parse(alternative)?,
        confidence_level,
    };
    let policy = NanPolicy::parse(nan_policy)?;
    let (xs, ys) = (Rows::new(&x), Rows::new(&y));
    let m = batch::same_rows(&[&xs, &ys])?;
    columns(py, m, |i| {
        let (a, b) = (
            batch::sample(xs.row(i), policy)?,
            batch::sample(ys.row(i), policy)?,
        );
        if has_inf(&[&a, &b]) {
            return None;
        }
        Some(val(ttest_ind_engine(&a, &b, &options)))
    })
}

/// Paired t-test of `x - y` per row; returns the engine's `TTest` fields as columns.
#[pyfunction]
fn ttest_rel(
    py: Python<'_>,
    x: Arr2<'_>,
    y: Arr2<'_>,
    alternative: &str,
    confidence_level: f64,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let policy = NanPolicy::parse(nan_policy)?;
    let (xs, ys) = (Rows::new(&x), Rows::new(&y));
    let m = batch::same_rows(&[&xs, &ys])?;
    columns(py, m, |i| {
        let (a, b) = batch::pairs(xs.row(i), ys.row(i), policy)?;
        if has_inf(&[&a, &b]) {
            return None;
        }
        Some(val(ttest_rel_engine(&a, &b, alternative, confidence_level)))
    })
}

/// One-sample t-test of `mean(x) = popmean` per row; returns the engine's `TTest` fields as
/// columns.
#[pyfunction]
fn ttest_1samp(
    py: Python<'_>,
    x: Arr2<'_>,
    popmean: f64,
    alternative: &str,
    confidence_level: f64,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let policy = NanPolicy::parse(nan_policy)?;
    let xs = Rows::new(&x);
    columns(py, xs.len(), |i| {
        let a = batch::sample(xs.row(i), policy)?;
        if has_inf(&[&a]) {
            return None;
        }
        Some(val(ttest_1samp_engine(
            &a,
            popmean,
            alternative,
            confidence_level,
        )))
    })
}

/// Brunner–Munzel test per row of `x` and `y`; returns the engine's `BrunnerMunzel` fields as
/// columns. ±∞ are ranked as scipy ranks them.
#[pyfunction]
fn brunnermunzel(
    py: Python<'_>,
    x: Arr2<'_>,
    y: Arr2<'_>,
    alternative: &str,
    distribution: &str,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let alternative = parse(alternative)?;
    let distribution = parse(distribution)?;
    let policy = NanPolicy::parse(nan_policy)?;
    let (xs, ys) = (Rows::new(&x), Rows::new(&y));
    let m = batch::same_rows(&[&xs, &ys])?;
    columns(py, m, |i| {
        let mut s = [
            batch::sample(xs.row(i), policy)?,
            batch::sample(ys.row(i), policy)?,
        ];
        rank_surrogates(&mut s);
        Some(val(brunner_munzel(&s[0], &s[1], alternative, distribution)))
    })
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
