//! `read_prometheus`: a live Prometheus source (`shiftwatch::io::live`) read into the same
//! columnar layout as `read`, so the Python layer builds the same tidy frame.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pyo3::prelude::*;

use shiftwatch::io::live::LiveSpec;

use crate::io::{options, raw_columnar, run};

/// Runs `queries` over `[start, end]` at `step` against `url`; returns the layout of `read`.
/// Credentials come from the `SHIFTWATCH_PROMETHEUS_*` environment variables.
#[pyfunction]
#[pyo3(signature = (url, queries, start, end, step, ca_file, timeout, retries, target_label, kinds))]
#[allow(clippy::too_many_arguments)]
fn read_prometheus(
    py: Python<'_>,
    url: String,
    queries: Vec<String>,
    start: String,
    end: String,
    step: Option<String>,
    ca_file: Option<PathBuf>,
    timeout: Option<String>,
    retries: Option<u32>,
    target_label: Option<String>,
    kinds: BTreeMap<String, String>,
) -> PyResult<Py<PyAny>> {
    let opts = options("prometheus", None, None, target_label, false, kinds)?;
    let spec = LiveSpec {
        url,
        queries,
        named: Vec::new(),
        start,
        end,
        step,
        ca_file,
        timeout,
        retries,
    };
    run(py, move || raw_columnar(&spec.source()?.read(&opts)?))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read_prometheus, m)?)
}
