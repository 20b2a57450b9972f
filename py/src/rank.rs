//! Rank tests: Mann–Whitney U and the Wilcoxon signed-rank test, vectorised over rows (scipy's
//! `axis=`, see [`crate::batch`]). ±∞ are ranked as scipy ranks them.

use std::borrow::Cow;

use pyo3::prelude::*;

use shiftwatch::stats::mann_whitney::{
    mann_whitney_u, MannWhitneyU, MwuMethod, MwuOptions, SampleSizes,
};
use shiftwatch::stats::wilcoxon::{wilcoxon as wilcoxon_engine, WilcoxonOptions};

use crate::arrays::parse;
use crate::batch::{self, columns, rank_surrogates, val, Arr2, NanPolicy, Rows};

/// Mann–Whitney U of one row pair. All values equal (the everyday "0 errors in both
/// releases"): U = n_x n_y / 2 and, as scipy 1.17, p = 1 with the continuity correction
/// (z = −0.5/0 = −∞) and NaN without it (0/0); the engine refuses this case because the ranks
/// carry no information, scipy answers it, and this front door mirrors scipy.
fn mwu_row(x: &[f64], y: &[f64], options: &MwuOptions) -> shiftwatch::Result<MannWhitneyU> {
    let first = x.first().or(y.first()).copied();
    let constant = !x.is_empty()
        && !y.is_empty()
        && first.is_some_and(|f| f.is_finite() && x.iter().chain(y).all(|&v| v == f));
    if !constant {
        return mann_whitney_u(x, y, options);
    }
    let (n_x, n_y) = (x.len(), y.len());
    let u = (n_x * n_y) as f64 / 2.0;
    let method_used = match options.method {
        MwuMethod::Exact => MwuMethod::Exact,
        _ => MwuMethod::Asymptotic,
    };
    let p_value = if options.use_continuity || method_used == MwuMethod::Exact {
        1.0
    } else {
        f64::NAN
    };
    Ok(MannWhitneyU {
        statistic: u,
        p_value,
        method_used,
        n: SampleSizes { n_x, n_y },
        effect: 0.5,
    })
}

/// Mann–Whitney U test per row of `x` and `y`; returns the engine's `MannWhitneyU` fields as
/// columns.
#[pyfunction]
fn mannwhitneyu(
    py: Python<'_>,
    x: Arr2<'_>,
    y: Arr2<'_>,
    use_continuity: bool,
    alternative: &str,
    method: &str,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let options = MwuOptions {
        alternative: parse(alternative)?,
        method: parse(method)?,
        use_continuity,
    };
    let policy = NanPolicy::parse(nan_policy)?;
    let (xs, ys) = (Rows::new(&x), Rows::new(&y));
    let m = batch::same_rows(&[&xs, &ys])?;
    columns(py, m, |i| {
        let mut s = [
            batch::sample(xs.row(i), policy)?,
            batch::sample(ys.row(i), policy)?,
        ];
        rank_surrogates(&mut s);
        Some(val(mwu_row(&s[0], &s[1], &options)))
    })
}

/// Wilcoxon signed-rank test of `x - y` (or `x` when `y` is `None`) per row; returns the
/// engine's `Wilcoxon` fields as columns. ±∞ differences are ranked above every finite one.
#[pyfunction]
#[pyo3(signature = (x, y, zero_method, correction, alternative, method, nan_policy))]
#[allow(clippy::too_many_arguments)]
fn wilcoxon(
    py: Python<'_>,
    x: Arr2<'_>,
    y: Option<Arr2<'_>>,
    zero_method: &str,
    correction: bool,
    alternative: &str,
    method: &str,
    nan_policy: &str,
) -> PyResult<Py<PyAny>> {
    let options = WilcoxonOptions {
        zero_method: parse(zero_method)?,
        correction,
        alternative: parse(alternative)?,
        method: parse(method)?,
    };
    let policy = NanPolicy::parse(nan_policy)?;
    let xs = Rows::new(&x);
    let ys = y.as_ref().map(Rows::new);
    let m = match &ys {
        Some(ys) => batch::same_rows(&[&xs, ys])?,
        None => xs.len(),
    };
    columns(py, m, |i| {
        // The differences are formed here so that ±∞ can be ranked (∞ − ∞ is NaN, as in scipy).
        let d: Cow<'_, [f64]> = match &ys {
            Some(ys) => {
                let (a, b) = batch::pairs(xs.row(i), ys.row(i), policy)?;
                if a.len() != b.len() {
                    return Some(val(wilcoxon_engine(&a, Some(&b), &options)));
                }
                let d: Vec<f64> = a.iter().zip(b.iter()).map(|(p, q)| p - q).collect();
                match batch::sample(&d, policy)? {
                    Cow::Borrowed(_) => Cow::Owned(d),
                    Cow::Owned(kept) => Cow::Owned(kept),
                }
            }
            None => batch::sample(xs.row(i), policy)?,
        };
        let mut s = [d];
        rank_surrogates(&mut s);
        Some(val(wilcoxon_engine(&s[0], None, &options)))
    })
}

/// Adds this family's functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(mannwhitneyu, m)?)?;
    m.add_function(wrap_pyfunction!(wilcoxon, m)?)?;
    Ok(())
}
