//! Readers (`shiftwatch::io`) and series preparation (`shiftwatch::series::prepare`).
//!
//! Results are columnar so the Python layer builds a polars frame without per-row objects:
//! `timestamp_ms` (int64), `value` (float64) and `series` (uint32, index into the per-series
//! list) numpy arrays, plus a small list of per-series dicts (identity, kind, report) and the
//! read report as a dict.

use std::collections::BTreeMap;
use std::path::PathBuf;

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;

use shiftwatch::io::{read_path, read_reader, ReadOptions};
use shiftwatch::series::prepare::{prepare as prepare_engine, PrepareOptions};
use shiftwatch::series::{Dataset, Kind, RawSeries, Role, SeriesKey, SeriesSet};

use crate::arrays::parse;
use crate::errors;
use crate::topy;

/// Per-series metadata of a raw series (everything but the points).
#[derive(Serialize)]
struct RawMeta<'a> {
    metric: &'a str,
    target: &'a str,
    labels: &'a BTreeMap<String, String>,
    kind: &'a str,
    unit: Option<&'a str>,
    report: &'a shiftwatch::series::SeriesReport,
}

/// Per-series metadata of a prepared series.
#[derive(Serialize)]
struct PreparedMeta<'a> {
    metric: &'a str,
    target: &'a str,
    labels: &'a BTreeMap<String, String>,
    kind: &'a str,
    derived: &'a shiftwatch::series::prepare::Derived,
    data: &'a shiftwatch::series::prepare::PrepareReport,
}

/// Columns + metadata, built without the GIL.
pub(crate) struct Columnar {
    timestamps: Vec<i64>,
    values: Vec<f64>,
    index: Vec<u32>,
    meta: topy::Val,
    report: topy::Val,
}

fn columns<'a>(
    parts: impl Iterator<Item = (&'a [i64], &'a [f64])>,
) -> shiftwatch::Result<(Vec<i64>, Vec<f64>, Vec<u32>)> {
    let (mut t, mut v, mut idx) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (ts, vs)) in parts.enumerate() {
        let id = u32::try_from(i)
            .map_err(|_| shiftwatch::Error::invalid("series", "more than 2^32 series"))?;
        t.extend_from_slice(ts);
        v.extend_from_slice(vs);
        idx.resize(idx.len() + ts.len(), id);
    }
    Ok((t, v, idx))
}

fn ser<T: Serialize>(x: &T) -> shiftwatch::Result<topy::Val> {
    topy::to_val(x).map_err(|e| shiftwatch::Error::invalid("result", e.to_string()))
}

pub(crate) fn raw_columnar(ds: &Dataset) -> shiftwatch::Result<Columnar> {
    let (timestamps, values, index) = columns(
        ds.series
            .iter()
            .map(|s| (s.timestamps_ms.as_slice(), s.values.as_slice())),
    )?;
    let meta: Vec<RawMeta<'_>> = ds
        .series
        .iter()
        .map(|s| RawMeta {
            metric: &s.key.metric,
            target: &s.key.target,
            labels: &s.key.labels,
            kind: s.kind.as_str(),
            unit: s.unit.as_deref(),
            report: &s.report,
        })
        .collect();
    Ok(Columnar {
        timestamps,
        values,
        index,
        meta: ser(&meta)?,
        report: ser(&ds.report)?,
    })
}

fn prepared_columnar(ds: &Dataset, opts: &PrepareOptions) -> shiftwatch::Result<Columnar> {
    let prepared = prepare_engine(&ds.series, opts)?;
    let (timestamps, values, index) = columns(
        prepared
            .iter()
            .map(|s| (s.timestamps_ms.as_slice(), s.values.as_slice())),
    )?;
    let meta: Vec<PreparedMeta<'_>> = prepared
        .iter()
        .map(|s| PreparedMeta {
            metric: &s.key.metric,
            target: &s.key.target,
            labels: &s.key.labels,
            kind: s.kind.as_str(),
            derived: &s.derived,
            data: &s.data,
        })
        .collect();
    Ok(Columnar {
        timestamps,
        values,
        index,
        meta: ser(&meta)?,
        report: ser(&ds.report)?,
    })
}

fn into_dict(py: Python<'_>, c: Columnar) -> PyResult<Py<PyAny>> {
    let d = PyDict::new(py);
    d.set_item("timestamp_ms", PyArray1::from_vec(py, c.timestamps))?;
    d.set_item("value", PyArray1::from_vec(py, c.values))?;
    d.set_item("series", PyArray1::from_vec(py, c.index))?;
    d.set_item("meta", c.meta.into_py(py)?)?;
    d.set_item("report", c.report.into_py(py)?)?;
    Ok(d.into_any().unbind())
}

/// Builds the engine's read options from the Python arguments.
pub(crate) fn options(
    format: &str,
    timezone: Option<&str>,
    metric: Option<String>,
    target_label: Option<String>,
    lenient: bool,
    kinds: BTreeMap<String, String>,
) -> PyResult<ReadOptions> {
    let mut opts = ReadOptions {
        format: parse(format)?,
        timezone: timezone.map(parse).transpose()?,
        metric,
        lenient,
        kinds: kinds
            .into_iter()
            .map(|(m, k)| Ok((m, parse::<Kind>(&k)?)))
            .collect::<PyResult<_>>()?,
        ..ReadOptions::default()
    };
    if let Some(t) = target_label {
        opts.target_label = t;
    }
    Ok(opts)
}

/// Reads a file (`path`) or an in-memory buffer (`data`, named `name` in errors).
fn read_source(
    path: Option<PathBuf>,
    data: Option<&[u8]>,
    name: &str,
    opts: &ReadOptions,
) -> shiftwatch::Result<Dataset> {
    match (path, data) {
        (Some(p), _) => read_path(p, opts),
        (None, Some(bytes)) => read_reader(bytes, name, opts),
        (None, None) => Err(shiftwatch::Error::invalid("source", "give a path or bytes")),
    }
}

pub(crate) fn run<F>(py: Python<'_>, f: F) -> PyResult<Py<PyAny>>
where
    F: FnOnce() -> shiftwatch::Result<Columnar> + Send,
{
    let c = py.detach(f).map_err(errors::to_py)?;
    into_dict(py, c)
}

/// Reads one file or buffer; returns `{timestamp_ms, value, series, meta, report}` (see the
/// module docs).
#[pyfunction]
#[pyo3(signature = (path, data, name, format, timezone, metric, target_label, lenient, kinds))]
#[allow(clippy::too_many_arguments)]
fn read(
    py: Python<'_>,
    path: Option<PathBuf>,
    data: Option<&[u8]>,
    name: &str,
    format: &str,
    timezone: Option<&str>,
    metric: Option<String>,
    target_label: Option<String>,
    lenient: bool,
    kinds: BTreeMap<String, String>,
) -> PyResult<Py<PyAny>> {
    let opts = options(format, timezone, metric, target_label, lenient, kinds)?;
    run(py, || raw_columnar(&read_source(path, data, name, &opts)?))
}

/// Reads one file or buffer and prepares its series (counters → rates, histograms →
/// quantiles); returns the same layout as `read` with per-series `derived` and `data`.
#[pyfunction]
#[pyo3(signature = (path, data, name, format, timezone, metric, target_label, lenient, kinds, warmup_ms, quantiles))]
#[allow(clippy::too_many_arguments)]
fn prepare(
    py: Python<'_>,
    path: Option<PathBuf>,
    data: Option<&[u8]>,
    name: &str,
    format: &str,
    timezone: Option<&str>,
    metric: Option<String>,
    target_label: Option<String>,
    lenient: bool,
    kinds: BTreeMap<String, String>,
    warmup_ms: i64,
    quantiles: Vec<f64>,
) -> PyResult<Py<PyAny>> {
    let opts = options(format, timezone, metric, target_label, lenient, kinds)?;
    let popts = PrepareOptions {
        warmup_ms,
        quantiles,
        ..PrepareOptions::default()
    };
    run(py, || {
        prepared_columnar(&read_source(path, data, name, &opts)?, &popts)
    })
}

/// A dataset from columns (a tidy frame): per-series `metric`, `target`, `labels`, `kind`
/// (and optional `role`) lists and per-point `series` index, `timestamp_ms`, `value` arrays.
/// Points are sorted and de-duplicated per series as the readers do.
pub(crate) struct FrameColumns {
    pub metric: Vec<String>,
    pub target: Vec<String>,
    pub labels: Vec<BTreeMap<String, String>>,
    pub kind: Vec<String>,
    pub role: Option<Vec<String>>,
    pub series: Vec<u32>,
    pub timestamp_ms: Vec<i64>,
    pub value: Vec<f64>,
}

impl FrameColumns {
    /// Builds the dataset (no GIL needed).
    pub(crate) fn into_dataset(self) -> shiftwatch::Result<Dataset> {
        let n = self.metric.len();
        let roles_ok = self.role.as_ref().map_or(true, |r| r.len() == n);
        if self.target.len() != n || self.labels.len() != n || self.kind.len() != n || !roles_ok {
            return Err(shiftwatch::Error::invalid(
                "series",
                "metric, target, labels, kind (and role) must have one entry per series",
            ));
        }
        if self.series.len() != self.timestamp_ms.len()
            || self.timestamp_ms.len() != self.value.len()
        {
            return Err(shiftwatch::Error::invalid(
                "columns",
                "series, timestamp_ms and value must have the same length",
            ));
        }
        let kinds = self
            .kind
            .iter()
            .map(|k| k.parse::<Kind>())
            .collect::<shiftwatch::Result<Vec<_>>>()?;
        let roles = self
            .role
            .map(|r| {
                r.iter()
                    .map(|x| (!x.is_empty()).then(|| x.parse::<Role>()).transpose())
                    .collect::<shiftwatch::Result<Vec<_>>>()
            })
            .transpose()?;
        let mut set = SeriesSet::new();
        let mut ids = Vec::with_capacity(n);
        for (((m, t), l), k) in self
            .metric
            .into_iter()
            .zip(self.target)
            .zip(self.labels)
            .zip(kinds)
        {
            let key = SeriesKey {
                metric: m,
                target: t,
                labels: l,
            };
            ids.push(set.index_of(key, k));
        }
        for ((&i, &t), &v) in self.series.iter().zip(&self.timestamp_ms).zip(&self.value) {
            let Some(&id) = ids.get(i as usize) else {
                return Err(shiftwatch::Error::invalid(
                    "series",
                    format!("index {i} is out of range for {n} series"),
                ));
            };
            set.push(id, t, v);
        }
        let mut series: Vec<RawSeries> = set.finish();
        if let Some(roles) = roles {
            for (s, r) in series.iter_mut().zip(roles) {
                s.role = r;
            }
        }
        Ok(Dataset {
            series,
            report: Default::default(),
        })
    }
}

/// Prepares series given as columns (a tidy frame, see [`FrameColumns`]).
#[pyfunction]
#[pyo3(signature = (metric, target, labels, kind, series, timestamp_ms, value, warmup_ms, quantiles))]
#[allow(clippy::too_many_arguments)]
fn prepare_columns(
    py: Python<'_>,
    metric: Vec<String>,
    target: Vec<String>,
    labels: Vec<BTreeMap<String, String>>,
    kind: Vec<String>,
    series: PyReadonlyArray1<'_, u32>,
    timestamp_ms: PyReadonlyArray1<'_, i64>,
    value: PyReadonlyArray1<'_, f64>,
    warmup_ms: i64,
    quantiles: Vec<f64>,
) -> PyResult<Py<PyAny>> {
    let cols = FrameColumns {
        metric,
        target,
        labels,
        kind,
        role: None,
        series: series.as_array().to_vec(),
        timestamp_ms: timestamp_ms.as_array().to_vec(),
        value: value.as_array().to_vec(),
    };
    let popts = PrepareOptions {
        warmup_ms,
        quantiles,
        ..PrepareOptions::default()
    };
    run(py, move || prepared_columnar(&cols.into_dataset()?, &popts))
}

/// Adds the readers to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(prepare, m)?)?;
    m.add_function(wrap_pyfunction!(prepare_columns, m)?)?;
    Ok(())
}
