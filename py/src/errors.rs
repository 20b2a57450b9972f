//! One mapping from `shiftwatch::Error` to Python exceptions (polars' pattern: a function, not
//! `From`, because of the orphan rule).

use pyo3::create_exception;
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyValueError};
use pyo3::prelude::*;

create_exception!(
    shiftwatch,
    InsufficientDataError,
    PyValueError,
    "Not enough usable data for the computation (too few points, or all values equal)."
);

/// Converts an engine error into the Python exception a user expects.
pub fn to_py(err: shiftwatch::Error) -> PyErr {
    use shiftwatch::Error as E;
    let msg = err.to_string();
    if err.is_insufficient_data() {
        return InsufficientDataError::new_err(msg);
    }
    match err {
        E::Cancelled => pyo3::exceptions::PyKeyboardInterrupt::new_err(msg),
        E::Io { ref source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            PyFileNotFoundError::new_err(msg)
        }
        E::Io { .. } => PyOSError::new_err(msg),
        // The server refused the request (bad query, denied): an input problem.
        E::Remote {
            status: Some(400..=499),
            ..
        } => PyValueError::new_err(msg),
        // No answer, or the server failed after the retries.
        E::Remote { .. } => pyo3::exceptions::PyConnectionError::new_err(msg),
        _ => PyValueError::new_err(msg),
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add(
        "InsufficientDataError",
        m.py().get_type::<InsufficientDataError>(),
    )
}
