//! numpy arrays → slices for the engine, and the one call path with the GIL released.

use std::borrow::Cow;

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use serde::Serialize;

use crate::errors;
use crate::topy;

/// A 1-D float64 numpy array argument (the Python layer converts every input to this).
pub type Arr<'py> = PyReadonlyArray1<'py, f64>;

/// Borrows the array's data when it is contiguous (zero-copy); copies strided arrays.
pub fn slice<'a>(a: &'a Arr<'_>) -> Cow<'a, [f64]> {
    match a.as_slice() {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(a.as_array().iter().copied().collect()),
    }
}

/// Runs the engine call `f` with the GIL released, maps its error through [`errors::to_py`] and
/// turns the (serialisable) result into plain Python objects.
pub fn call<T, F>(py: Python<'_>, f: F) -> PyResult<Py<PyAny>>
where
    T: Serialize,
    F: FnOnce() -> shiftwatch::Result<T> + Send,
{
    let val = py.detach(|| f().map(|result| topy::to_val(&result).map_err(|e| e.to_string())));
    match val {
        Ok(Ok(val)) => val.into_py(py),
        Ok(Err(ser)) => Err(pyo3::exceptions::PyRuntimeError::new_err(ser)),
        Err(err) => Err(errors::to_py(err)),
    }
}

/// Parses a string argument with the engine's `FromStr` (same spellings as the CLI).
pub fn parse<T>(s: &str) -> PyResult<T>
where
    T: std::str::FromStr<Err = shiftwatch::Error>,
{
    s.parse().map_err(errors::to_py)
}
