//! `analyze`: the release report, from files or from a tidy frame's columns. Options arrive as
//! the CLI's text and are parsed by the core ([`shiftwatch::analyze::Spec`]); the result is the
//! serde `Report` (the CLI's JSON) plus its table, Markdown and JUnit renderings, and a
//! [`ReportHtml`] handle that renders the HTML page on demand (the CLI's `--format html`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use serde::Serialize;

use shiftwatch::analyze::{analyze_with, read_options, Spec};
use shiftwatch::io::read_paths;
use shiftwatch::progress::Progress;
use shiftwatch::report::{html, render, Report};
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

/// The report kept in Rust, so its HTML (the same renderer as the CLI's) is made on demand.
#[pyclass(frozen, module = "shiftwatch._native")]
struct ReportHtml {
    report: Report,
}

#[pymethods]
impl ReportHtml {
    /// The self-contained HTML page, byte for byte what `--format html` writes.
    fn page(&self, py: Python<'_>) -> String {
        py.detach(|| html::page(&self.report))
    }

    /// The compact part for notebooks: summary, verdict table, forest plot.
    fn fragment(&self, py: Python<'_>) -> String {
        py.detach(|| html::fragment(&self.report))
    }
}

/// Where the analysis leaves its report for the [`ReportHtml`] handle.
pub(crate) type Slot = Mutex<Option<Report>>;

pub(crate) fn rendered(
    data: &Dataset,
    spec: &Spec,
    progress: &dyn Progress,
    slot: &Slot,
) -> shiftwatch::Result<Rendered> {
    let report = analyze_with(data, &spec.options()?, progress)?;
    if let Ok(mut s) = slot.lock() {
        *s = Some(report.clone());
    }
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
    /// Absent: false (the plain report).
    #[pyo3(default)]
    series: bool,
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
            series: o.series,
        }
    }
}

/// Adds the [`ReportHtml`] handle of the analysed report to the result dict as `html`.
pub(crate) fn with_html(py: Python<'_>, out: Py<PyAny>, slot: Slot) -> PyResult<Py<PyAny>> {
    let report = slot.into_inner().ok().flatten().ok_or_else(|| {
        pyo3::exceptions::PyRuntimeError::new_err("the analysis returned no report")
    })?;
    out.bind(py)
        .set_item("html", Py::new(py, ReportHtml { report })?)?;
    Ok(out)
}

/// Reads `paths` (formats may mix) and analyses them; returns `{report, table, markdown,
/// junit, html}` (`html`: a [`ReportHtml`]).
#[pyfunction]
#[pyo3(signature = (paths, options, progress=None))]
fn analyze_paths(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    options: Options,
    progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let spec: Spec = options.into();
    let slot = Slot::default();
    let out = call_with_progress(py, progress, |p| {
        let opts = spec.options()?;
        let data = read_paths(&paths, &read_options(&opts))?;
        rendered(&data, &spec, p, &slot)
    })?;
    with_html(py, out, slot)
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
    let slot = Slot::default();
    let out = call_with_progress(py, progress, |p| {
        rendered(&cols.into_dataset()?, &spec, p, &slot)
    })?;
    with_html(py, out, slot)
}

/// Adds `analyze_paths`, `analyze_columns` and `ReportHtml` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ReportHtml>()?;
    m.add_function(wrap_pyfunction!(analyze_paths, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_columns, m)?)?;
    Ok(())
}
