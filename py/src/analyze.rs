//! `analyze`: the release report, from files or from a tidy frame's columns. Options arrive as
//! the CLI's text and are parsed by the core ([`shiftwatch::analyze::Spec`]); the result is the
//! serde `Report` (the CLI's JSON) plus its table, Markdown and JUnit renderings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use serde::Serialize;

use shiftwatch::analyze::{analyze_with, read_options, Spec};
use shiftwatch::io::read_paths;
use shiftwatch::progress::Progress;
use shiftwatch::report::{render, Report};
use shiftwatch::series::Dataset;

use crate::io::FrameColumns;
use crate::progress::call_with_progress;

/// The report and its renderings.
#[derive(Serialize)]
pub(crate) struct Rendered {
    report: Report,
    table: String,
    markdown: String,
    junit: String,
}

pub(crate) fn rendered(
    data: &Dataset,
    spec: &Spec,
    progress: &dyn Progress,
) -> shiftwatch::Result<Rendered> {
    let report = analyze_with(data, &spec.options()?, progress)?;
    Ok(Rendered {
        table: render::table(&report, false),
        markdown: render::markdown(&report),
        junit: render::junit(&report),
        report,
    })
}

/// The options dict of the Python layer → [`Spec`].
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct Options {
    mode: Option<String>,
    baseline: Option<String>,
    candidate: Option<String>,
    deploy_at: Option<String>,
    config: Option<PathBuf>,
    preset: Option<String>,
    alpha: f64,
    correction: String,
    warmup: String,
    step: Option<String>,
    seed: u64,
}

impl From<Options> for Spec {
    fn from(o: Options) -> Spec {
        Spec {
            mode: o.mode,
            baseline: o.baseline,
            candidate: o.candidate,
            deploy_at: o.deploy_at,
            config: o.config,
            preset: o.preset,
            alpha: Some(o.alpha),
            correction: Some(o.correction),
            warmup: Some(o.warmup),
            step: o.step,
            seed: o.seed,
        }
    }
}

/// Reads `paths` (formats may mix) and analyses them; returns `{report, table, markdown,
/// junit}`.
#[pyfunction]
#[pyo3(signature = (paths, options, progress=None))]
fn analyze_paths(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    options: Options,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let spec: Spec = options.into();
    call_with_progress(py, progress, move |p| {
        let opts = spec.options()?;
        let data = read_paths(&paths, &read_options(&opts))?;
        rendered(&data, &spec, p)
    })
}

/// Analyses series given as columns (a tidy frame: see `prepare_columns`), with an optional
/// per-series role.
#[pyfunction]
#[pyo3(signature = (metric, target, labels, kind, role, series, timestamp_ms, value, options, progress=None))]
#[allow(clippy::too_many_arguments)]
fn analyze_columns(
    py: Python<'_>,
    metric: Vec<String>,
    target: Vec<String>,
    labels: Vec<BTreeMap<String, String>>,
    kind: Vec<String>,
    role: Option<Vec<String>>,
    series: PyReadonlyArray1<'_, u32>,
    timestamp_ms: PyReadonlyArray1<'_, i64>,
    value: PyReadonlyArray1<'_, f64>,
    options: Options,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let cols = FrameColumns {
        metric,
        target,
        labels,
        kind,
        role,
        series: series.as_array().to_vec(),
        timestamp_ms: timestamp_ms.as_array().to_vec(),
        value: value.as_array().to_vec(),
    };
    let spec: Spec = options.into();
    call_with_progress(py, progress, move |p| {
        rendered(&cols.into_dataset()?, &spec, p)
    })
}

/// Adds `analyze_paths` and `analyze_columns` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(analyze_paths, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_columns, m)?)?;
    Ok(())
}
