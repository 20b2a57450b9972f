//! scipy's `axis=` for the two-sample tests: one engine call per row of C-contiguous 2-D
//! arrays (the Python layer moves `axis` last and flattens the other axes), in one native call
//! with the GIL released, and the results returned as columns (one numpy array per numeric
//! field, one list per other field) instead of one dict per row.
//!
//! `nan_policy` is applied per row as scipy does: `raise` passes the row through (the engine
//! names the first NaN), `omit` drops NaN values (pairs, for paired tests) and `propagate`
//! gives a row of NaN (None for non-numeric fields) without calling the engine.

use std::borrow::Cow;

use numpy::{IntoPyArray, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors;
use crate::topy::{self, Val};

/// A 2-D float64 array argument: one slice per row.
pub type Arr2<'py> = PyReadonlyArray2<'py, f64>;

/// scipy's `nan_policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NanPolicy {
    /// Errors on NaN (the engine names the index).
    Raise,
    /// Drops NaN values (pairs) per row.
    Omit,
    /// A row with a NaN gives NaN results.
    Propagate,
}

impl NanPolicy {
    /// Parses `raise`, `omit` or `propagate`.
    pub fn parse(s: &str) -> PyResult<Self> {
        match s {
            "raise" => Ok(Self::Raise),
            "omit" => Ok(Self::Omit),
            "propagate" => Ok(Self::Propagate),
            _ => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "nan_policy must be 'raise', 'omit' or 'propagate', got {s:?}"
            ))),
        }
    }
}

/// The rows of a C-contiguous 2-D array (copied once if it is not contiguous).
pub struct Rows<'a> {
    data: Cow<'a, [f64]>,
    rows: usize,
    cols: usize,
}

impl<'a> Rows<'a> {
    /// Views `a` row by row.
    pub fn new(a: &'a Arr2<'_>) -> Self {
        let shape = a.shape();
        let data = match a.as_slice() {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(a.as_array().iter().copied().collect()),
        };
        Rows {
            data,
            rows: shape[0],
            cols: shape[1],
        }
    }

    /// Number of rows (slices).
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }
}

/// Errors unless every sample has the same number of rows.
pub fn same_rows(rows: &[&Rows<'_>]) -> PyResult<usize> {
    let m = rows.first().map_or(0, |r| r.len());
    if rows.iter().any(|r| r.len() != m) {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "samples have different numbers of slices",
        ));
    }
    Ok(m)
}

/// One independent sample under `policy`: `None` when a NaN is to propagate.
pub fn sample(x: &[f64], policy: NanPolicy) -> Option<Cow<'_, [f64]>> {
    if policy == NanPolicy::Raise || !x.iter().any(|v| v.is_nan()) {
        return Some(Cow::Borrowed(x));
    }
    match policy {
        NanPolicy::Omit => Some(Cow::Owned(
            x.iter().copied().filter(|v| !v.is_nan()).collect(),
        )),
        _ => None,
    }
}

/// Two paired samples, borrowed or (after `omit`) owned.
pub type Pair<'a> = (Cow<'a, [f64]>, Cow<'a, [f64]>);

/// Paired samples under `policy`: `omit` drops pairs with a NaN on either side (lengths that
/// differ are left to the engine's error).
pub fn pairs<'a>(x: &'a [f64], y: &'a [f64], policy: NanPolicy) -> Option<Pair<'a>> {
    let has_nan = x.iter().chain(y).any(|v| v.is_nan());
    if policy == NanPolicy::Raise || !has_nan || x.len() != y.len() {
        return Some((Cow::Borrowed(x), Cow::Borrowed(y)));
    }
    match policy {
        NanPolicy::Omit => {
            let keep: Vec<(f64, f64)> = x
                .iter()
                .zip(y)
                .filter(|(a, b)| !a.is_nan() && !b.is_nan())
                .map(|(a, b)| (*a, *b))
                .collect();
            Some((
                Cow::Owned(keep.iter().map(|p| p.0).collect()),
                Cow::Owned(keep.iter().map(|p| p.1).collect()),
            ))
        }
        _ => None,
    }
}

/// For rank statistics only: replaces ±∞ by finite values beyond every finite value of the
/// pooled samples (`±(2·max|v| + 1)`), which leaves every rank, tie and sign unchanged, so the
/// statistic and p-value are those of the data with ±∞ (scipy ranks ±∞ the same way). Returns
/// the replacement magnitude when one was needed.
pub fn rank_surrogates<'a>(samples: &mut [Cow<'a, [f64]>]) -> Option<f64> {
    if !samples.iter().any(|s| s.iter().any(|v| v.is_infinite())) {
        return None;
    }
    let max = samples
        .iter()
        .flat_map(|s| s.iter())
        .filter(|v| v.is_finite())
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let big = if max < f64::MAX / 4.0 {
        2.0 * max + 1.0
    } else {
        f64::MAX
    };
    for s in samples.iter_mut() {
        if s.iter().any(|v| v.is_infinite()) {
            let owned: Vec<f64> = s
                .iter()
                .map(|&v| if v.is_infinite() { big.copysign(v) } else { v })
                .collect();
            *s = Cow::Owned(owned);
        }
    }
    Some(big)
}

/// Runs `f` on rows `0..m` with the GIL released (`None` from `f` is a row of NaN) and returns
/// the columns as a dict: field → float64 array (numbers) or list (other values). Nested
/// results are flattened with dotted names (`n.n_x`). An error names its slice when `m > 1`.
pub fn columns<F>(py: Python<'_>, m: usize, f: F) -> PyResult<Py<PyAny>>
where
    F: Fn(usize) -> Option<shiftwatch::Result<Val>> + Send + Sync,
{
    let rows = py.detach(|| {
        let mut rows: Vec<Option<Vec<(String, Val)>>> = Vec::with_capacity(m);
        for i in 0..m {
            match f(i) {
                None => rows.push(None),
                Some(Ok(val)) => {
                    let mut flat = Vec::new();
                    flatten(String::new(), val, &mut flat);
                    rows.push(Some(flat));
                }
                Some(Err(err)) => return Err((i, err)),
            }
        }
        Ok(rows)
    });
    let rows = match rows {
        Ok(rows) => rows,
        Err((i, err)) => {
            let err = errors::to_py(err);
            if m <= 1 {
                return Err(err);
            }
            let msg = format!("slice {i} of {m}: {}", err.value(py));
            return Err(PyErr::from_type(err.get_type(py), msg));
        }
    };
    let dict = PyDict::new(py);
    let Some(template) = rows.iter().flatten().next() else {
        return Ok(dict.into_any().unbind());
    };
    // Transpose by moving the values (no clone per cell), then one column at a time.
    let names: Vec<String> = template.iter().map(|(name, _)| name.clone()).collect();
    let mut cols: Vec<Vec<Option<Val>>> = names.iter().map(|_| Vec::with_capacity(m)).collect();
    for row in rows {
        match row {
            Some(fields) => {
                let mut fields = fields.into_iter().map(|(_, v)| v);
                for col in cols.iter_mut() {
                    col.push(fields.next());
                }
            }
            None => cols.iter_mut().for_each(|col| col.push(None)),
        }
    }
    for (name, col) in names.iter().zip(cols) {
        let numeric = col
            .iter()
            .flatten()
            .next()
            .is_some_and(|v| matches!(v, Val::Float(_) | Val::Int(_) | Val::UInt(_)));
        if numeric {
            let values: Vec<f64> = col
                .into_iter()
                .map(|cell| match cell {
                    Some(Val::Float(v)) => v,
                    Some(Val::Int(v)) => v as f64,
                    Some(Val::UInt(v)) => v as f64,
                    _ => f64::NAN,
                })
                .collect();
            dict.set_item(name, values.into_pyarray(py))?;
        } else {
            let list = PyList::empty(py);
            for cell in col {
                list.append(cell.unwrap_or(Val::Null).into_py(py)?)?;
            }
            dict.set_item(name, list)?;
        }
    }
    Ok(dict.into_any().unbind())
}

/// Serialises one engine result for [`columns`].
pub fn val<T: serde::Serialize>(result: shiftwatch::Result<T>) -> shiftwatch::Result<Val> {
    result.map(|r| topy::to_val(&r).unwrap_or(Val::Null))
}

fn flatten(prefix: String, val: Val, out: &mut Vec<(String, Val)>) {
    match val {
        Val::Map(entries) => {
            for (k, v) in entries {
                let name = if prefix.is_empty() {
                    k
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(name, v, out);
            }
        }
        other => out.push((prefix, other)),
    }
}
