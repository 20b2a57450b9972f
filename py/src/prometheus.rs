//! `read_prometheus`: a live Prometheus source (`shiftwatch::io::live`) read into the same
//! columnar layout as `read`, so the Python layer builds the same tidy frame.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pyo3::prelude::*;

use shiftwatch::analyze::{read_options, Spec};
use shiftwatch::io::live::LiveSpec;

use crate::analyze::{rendered, with_html, Options, Slot};
use crate::io::{options, raw_columnar, run};
use crate::progress::call_with_progress;

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

/// Runs `queries` and the config's `[[queries]]` against `url` and analyses the result with
/// `options` (as `analyze_paths`); the report's `inputs.prometheus` names the source.
#[pyfunction]
#[pyo3(signature = (url, queries, start, end, step, ca_file, timeout, retries, options, progress=None))]
#[allow(clippy::too_many_arguments)]
fn analyze_prometheus(
    py: Python<'_>,
    url: String,
    queries: Vec<String>,
    start: String,
    end: String,
    step: Option<String>,
    ca_file: Option<PathBuf>,
    timeout: Option<String>,
    retries: Option<u32>,
    options: Options,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let spec: Spec = options.into();
    let slot = Slot::default();
    let out = call_with_progress(py, progress, |p| {
        let opts = spec.options()?;
        let live = LiveSpec {
            url,
            queries,
            named: opts.config.queries.clone(),
            start,
            end,
            step,
            ca_file,
            timeout,
            retries,
        };
        let data = live.source()?.read(&read_options(&opts))?;
        rendered(&data, &spec, p, &slot)
    })?;
    with_html(py, out, slot)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read_prometheus, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_prometheus, m)?)
}
