"""Reading exports into tidy frames: ``shiftwatch.read`` and ``shiftwatch.prepare``.

The Rust readers (tidy CSV, Grafana CSV, Prometheus JSON, OpenMetrics text; see
``shiftwatch inspect --help``) return columns as numpy arrays; the frame is assembled here
without per-row Python objects (polars by default, pandas with ``library="pandas"``, which needs
neither polars nor pyarrow). Both are imported lazily, with an error naming the extra to install.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from shiftwatch import _native
from shiftwatch._extras import require

if TYPE_CHECKING:
    import polars as pl

__all__ = ["prepare", "read"]

LabelsAs = Literal["string", "struct"]
Library = Literal["polars", "pandas"]


def _source(obj: Any) -> tuple[str | None, bytes | None, str]:
    """(path, data, name) for a path, data text, bytes or a file-like object.

    A ``str`` holding a line break is data (e.g. CSV text), not a path: no file name has one.
    """
    if isinstance(obj, str) and ("\n" in obj or "\r" in obj):
        return None, obj.encode("utf-8"), "<text>"
    if isinstance(obj, (str, os.PathLike)):
        path = os.fspath(obj)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"no such file: {path!r} (to pass the data itself, give text with a line break, "
                "bytes or a file-like object such as io.StringIO)"
            )
        return path, None, path
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return None, bytes(obj), "<bytes>"
    if hasattr(obj, "read"):
        data = obj.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"read() of {type(obj).__name__} returned {type(data).__name__}")
        name = getattr(obj, "name", None)
        return None, bytes(data), name if isinstance(name, str) else "<buffer>"
    raise TypeError(
        "expected a path (str or os.PathLike), CSV/JSON text, bytes, or a file-like object "
        f"with read(), got {type(obj).__name__}"
    )


def _labels_string(labels: Mapping[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(labels.items()))


def _frame(
    out: dict[str, Any], labels: LabelsAs, extra: Sequence[str], library: str
) -> Any:
    """The tidy frame (polars or pandas) from the columnar result of ``_native.read``/
    ``prepare``."""
    if labels not in ("string", "struct"):
        raise ValueError(f"labels must be 'string' or 'struct', got {labels!r}")
    if library == "polars":
        return _polars_frame(out, labels, extra)
    if library == "pandas":
        return _pandas_frame(out, labels, extra)
    raise ValueError(f"library must be 'polars' or 'pandas', got {library!r}")


def _pandas_frame(out: dict[str, Any], labels: LabelsAs, extra: Sequence[str]) -> Any:
    """The tidy frame as pandas, built from numpy arrays (needs neither polars nor pyarrow)."""
    pd = require("pandas", "frames")
    meta: list[dict[str, Any]] = out["meta"]
    idx = np.asarray(out["series"], dtype=np.intp)

    if labels == "string":
        label_values: list[Any] = [_labels_string(m["labels"]) for m in meta]
    else:
        label_values = [dict(m["labels"]) for m in meta]
    columns: dict[str, Any] = {
        "timestamp": pd.to_datetime(
            np.asarray(out["timestamp_ms"], dtype=np.int64), unit="ms", utc=True
        ),
        "metric": np.asarray([m["metric"] for m in meta], dtype=object)[idx],
        "target": np.asarray([m["target"] for m in meta], dtype=object)[idx],
        # (the trailing None keeps numpy from reading a list of dicts as anything but objects)
        "labels": np.asarray(label_values + [None], dtype=object)[:-1][idx],
        "kind": np.asarray([m["kind"] for m in meta], dtype=object)[idx],
    }
    if "derived" in extra:
        columns["derived"] = np.asarray([m["derived"]["type"] for m in meta], dtype=object)[idx]
    columns["value"] = np.asarray(out["value"], dtype=np.float64)
    return pd.DataFrame(columns)


def _polars_frame(out: dict[str, Any], labels: LabelsAs, extra: Sequence[str]) -> Any:
    """The tidy polars frame from the columnar result of ``_native.read``/``prepare``."""
    pl = require("polars", "frames")

    meta: list[dict[str, Any]] = out["meta"]
    idx = np.asarray(out["series"], dtype=np.uint32)

    def per_series(name: str, values: list[Any], dtype: Any) -> Any:
        return pl.Series(name, values, dtype=dtype).gather(idx)

    if labels == "string":
        label_col = per_series(
            "labels", [_labels_string(m["labels"]) for m in meta], pl.String
        )
    else:
        keys = sorted({k for m in meta for k in m["labels"]})
        fields = [
            pl.Series(k, [m["labels"].get(k) for m in meta], dtype=pl.String) for k in keys
        ]
        if fields:
            label_col = pl.DataFrame(fields).to_struct("labels").gather(idx)
        else:
            label_col = pl.Series("labels", [{}] * len(meta), dtype=pl.Struct([])).gather(idx)

    timestamp = (
        pl.Series("timestamp", np.asarray(out["timestamp_ms"], dtype=np.int64))
        .cast(pl.Datetime("ms"))
        .dt.replace_time_zone("UTC")
    )
    columns = [
        timestamp,
        per_series("metric", [m["metric"] for m in meta], pl.String),
        per_series("target", [m["target"] for m in meta], pl.String),
        label_col,
        per_series("kind", [m["kind"] for m in meta], pl.String),
    ]
    if "derived" in extra:
        columns.append(per_series("derived", [m["derived"]["type"] for m in meta], pl.String))
    columns.append(pl.Series("value", np.asarray(out["value"], dtype=np.float64)))
    return pl.DataFrame(columns)


def _report(out: dict[str, Any]) -> dict[str, Any]:
    report = dict(out["report"])
    report["series"] = out["meta"]
    return report


@overload
def read(
    path_or_buffer: Any,
    format: str = ...,
    timezone: str | None = ...,
    metric: str | None = ...,
    target_label: str | None = ...,
    lenient: bool = ...,
    *,
    kinds: Mapping[str, str] | None = ...,
    labels: LabelsAs = ...,
    library: Library = ...,
    with_report: Literal[False] = ...,
) -> Any: ...
@overload
def read(
    path_or_buffer: Any,
    format: str = ...,
    timezone: str | None = ...,
    metric: str | None = ...,
    target_label: str | None = ...,
    lenient: bool = ...,
    *,
    kinds: Mapping[str, str] | None = ...,
    labels: LabelsAs = ...,
    library: Library = ...,
    with_report: Literal[True],
) -> tuple[Any, dict[str, Any]]: ...
def read(
    path_or_buffer: Any,
    format: str = "auto",
    timezone: str | None = None,
    metric: str | None = None,
    target_label: str | None = None,
    lenient: bool = False,
    *,
    kinds: Mapping[str, str] | None = None,
    labels: LabelsAs = "string",
    library: Library = "polars",
    with_report: bool = False,
) -> Any:
    """Reads a metrics export into a tidy polars DataFrame (one row per point).

    The same readers as ``shiftwatch inspect`` and ``shiftwatch detect``: tidy CSV, Grafana
    "Download CSV" (wide, per-series, table/long; UTF-8/UTF-16LE, ``,``/``;``/TAB), Prometheus
    ``query_range``/``query`` JSON and OpenMetrics/Prometheus text with timestamps. Missing
    points (empty cells, absent samples) are not rows; NaN and ±inf values are kept.

    Args:
        path_or_buffer: A path (``str`` or ``os.PathLike``), the data as text (a ``str`` with
            a line break), ``bytes``, or a file-like object with ``read()`` (read whole; text
            is encoded as UTF-8). Buffers are named
            ``"<bytes>"`` (or the object's ``name``) in errors and that name's stem is the
            fallback metric name, so pass ``metric=`` for data without metric names.
        format: ``"auto"`` (detected from the content), ``"tidy"``, ``"grafana"``,
            ``"prometheus"`` or ``"openmetrics"``.
        timezone: Offset for timestamps written without one (``"UTC"``, ``"+02:00"``);
            without it such timestamps are an error.
        metric: Metric name when the data does not name one (default: the file stem).
        target_label: Label whose value is the series' target (default ``"target"``).
        lenient: Skip malformed rows (counted and listed in the report) instead of raising.
        kinds: Kinds for series the file does not type, by metric or family name, e.g.
            ``{"http_requests": "counter"}``; the file's ``# TYPE`` or ``kind`` column wins.
        labels: ``"string"`` (``k=v;k=v``, sorted by key, as in tidy CSV) or ``"struct"``
            (one String field per label key; null where a series lacks the key).
        library: ``"polars"`` (default) or ``"pandas"``: the frame's library. pandas frames
            are built from numpy arrays, so they need neither polars nor pyarrow.
        with_report: Also return the read report.

    Returns:
        A DataFrame with columns ``timestamp`` (``Datetime("ms", "UTC")``; pandas:
        ``datetime64[..., UTC]``), ``metric``, ``target``, ``labels``, ``kind`` (gauge,
        counter, histogram, summary, unknown) and ``value`` (Float64), series in order of first
        appearance, each sorted by time. With ``with_report=True``, ``(frame, report)`` where
        ``report`` is a dict: ``files``, ``rows``, ``rows_skipped``, ``blank_lines``,
        ``skipped`` (list of ``{location, reason}``), ``notes``, and ``series`` (per series:
        ``metric``, ``target``, ``labels`` dict, ``kind``, ``unit``, and ``report`` with counts
        ``points``, ``missing``, ``nan``, ``infinite``, ``duplicates``, ``unsorted``).

    Raises:
        FileNotFoundError: The path does not exist (the message says how to pass data).
        ValueError: Malformed content; the message names ``file:line:column`` (or a JSON
            path) and what was expected. Also for an unknown ``format`` or ``timezone``.

    Example:
        >>> import shiftwatch
        >>> csv = b"timestamp,metric,target,role,release,value,labels\\n" \\
        ...       b"1700000000000,rps,a,,,1.5,\\n1700000060000,rps,a,,,2.5,\\n"
        >>> shiftwatch.read(csv)["value"].to_list()
        [1.5, 2.5]
        >>> text = "timestamp,metric,value\\n2026-01-01T00:00:00Z,rps,3\\n"
        >>> shiftwatch.read(text, library="pandas")[["metric", "value"]].values.tolist()
        [['rps', 3.0]]
    """
    path, data, name = _source(path_or_buffer)
    out = _native.read(
        path, data, name, format, timezone, metric, target_label, lenient, dict(kinds or {})
    )
    frame = _frame(out, labels, (), library)
    return (frame, _report(out)) if with_report else frame


def _parse_labels(s: str) -> dict[str, str]:
    if not s:
        return {}
    pairs = (part.split("=", 1) for part in s.split(";") if part)
    return {k: v for k, v in pairs}


def _frame_columns(frame: Any) -> dict[str, Any]:
    """The columns of a tidy frame (as returned by :func:`read`) in the layout the native
    ``*_columns`` functions take: per-series lists and per-point arrays. pandas frames are
    read with pandas alone (:func:`_pandas_frame_columns`: no polars, no pyarrow)."""
    if (type(frame).__module__ or "").startswith("pandas"):
        return _pandas_frame_columns(frame)
    pl = require("polars", "frames")
    missing = {"timestamp", "metric", "value"} - set(frame.columns)
    if missing:
        raise ValueError(f"frame lacks tidy column(s) {sorted(missing)}")
    ts = frame["timestamp"]
    if ts.dtype == pl.Datetime or isinstance(ts.dtype, pl.Datetime):
        ts_ms = ts.dt.epoch("ms")
    elif ts.dtype.is_integer():
        ts_ms = ts
    else:
        raise ValueError("timestamp must be a Datetime column or integer epoch milliseconds")
    blank = pl.repeat("", frame.height, eager=True)
    cols = {
        "metric": frame["metric"].cast(pl.String).fill_null(""),
        "target": (
            frame["target"].cast(pl.String).fill_null("") if "target" in frame.columns else blank
        ),
        "kind": (
            frame["kind"].cast(pl.String).fill_null("unknown")
            if "kind" in frame.columns
            else pl.repeat("unknown", frame.height, eager=True)
        ),
        "role": (
            frame["role"].cast(pl.String).fill_null("") if "role" in frame.columns else blank
        ),
    }
    if "labels" in frame.columns and isinstance(frame["labels"].dtype, pl.Struct):
        label_str = frame["labels"].map_elements(
            lambda d: _labels_string({k: v for k, v in d.items() if v is not None}),
            return_dtype=pl.String,
        )
    elif "labels" in frame.columns:
        label_str = frame["labels"].cast(pl.String).fill_null("")
    else:
        label_str = blank
    keys = pl.DataFrame({**cols, "labels": label_str})
    key_cols = list(keys.columns)
    uniq = keys.unique(maintain_order=True).with_row_index("_sid")
    sid = keys.with_row_index("_row").join(uniq, on=key_cols, how="left").sort("_row")["_sid"]
    return {
        "metric": uniq["metric"].to_list(),
        "target": uniq["target"].to_list(),
        "labels": [_parse_labels(s) for s in uniq["labels"].to_list()],
        "kind": uniq["kind"].to_list(),
        "role": uniq["role"].to_list() if "role" in frame.columns else None,
        "series": sid.to_numpy().astype(np.uint32),
        "timestamp_ms": ts_ms.cast(pl.Int64).to_numpy(),
        "value": frame["value"].cast(pl.Float64).to_numpy(),
    }


def _prepare_frame(
    frame: Any, warmup_ms: int, quantiles: list[float]
) -> dict[str, Any]:
    """Prepares series given as a tidy frame (as returned by :func:`read`)."""
    c = _frame_columns(frame)
    return _native.prepare_columns(
        c["metric"],
        c["target"],
        c["labels"],
        c["kind"],
        c["series"],
        c["timestamp_ms"],
        c["value"],
        warmup_ms,
        quantiles,
    )


def _pandas_frame_columns(frame: Any) -> dict[str, Any]:
    """:func:`_frame_columns` for pandas, with pandas and numpy alone (no polars, no pyarrow).
    A ``timestamp`` index counts as the ``timestamp`` column."""
    pd = require("pandas", "frames")
    if "timestamp" not in frame.columns and frame.index.name == "timestamp":
        frame = frame.reset_index()
    missing = {"timestamp", "metric", "value"} - set(frame.columns)
    if missing:
        raise ValueError(f"frame lacks tidy column(s) {sorted(missing)}")
    ts = frame["timestamp"]
    if isinstance(ts.dtype, pd.DatetimeTZDtype):
        ts_ms = ts.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ms]")
        ts_ms = ts_ms.astype(np.int64).to_numpy()
    elif pd.api.types.is_datetime64_dtype(ts.dtype):
        ts_ms = ts.astype("datetime64[ms]").astype(np.int64).to_numpy()
    elif pd.api.types.is_integer_dtype(ts.dtype):
        ts_ms = ts.to_numpy(dtype=np.int64)
    else:
        raise ValueError("timestamp must be a datetime column or integer epoch milliseconds")
    n = len(frame)

    def text(name: str, default: str) -> Any:
        if name not in frame.columns:
            return np.full(n, default, dtype=object)
        return frame[name].astype(object).where(frame[name].notna(), default).astype(str)

    if "labels" in frame.columns:
        labels = [
            _labels_string({k: v for k, v in d.items() if v is not None})
            if isinstance(d, dict)
            else ("" if d is None or d != d else str(d))
            for d in frame["labels"].tolist()
        ]
    else:
        labels = [""] * n
    keys = pd.DataFrame(
        {
            "metric": text("metric", ""),
            "target": text("target", ""),
            "kind": text("kind", "unknown"),
            "role": text("role", ""),
            "labels": labels,
        }
    )
    # Series ids in order of first appearance (ngroup with sort=False numbers them so).
    codes = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
    uniq = keys.drop_duplicates()
    return {
        "metric": [str(v) for v in uniq["metric"]],
        "target": [str(v) for v in uniq["target"]],
        "labels": [_parse_labels(str(s)) for s in uniq["labels"]],
        "kind": [str(v) for v in uniq["kind"]],
        "role": [str(v) for v in uniq["role"]] if "role" in frame.columns else None,
        "series": np.asarray(codes, dtype=np.uint32),
        "timestamp_ms": np.ascontiguousarray(ts_ms, dtype=np.int64),
        "value": frame["value"].to_numpy(dtype=np.float64, na_value=np.nan),
    }


@overload
def prepare(
    source: Any,
    format: str = ...,
    timezone: str | None = ...,
    metric: str | None = ...,
    target_label: str | None = ...,
    lenient: bool = ...,
    *,
    kinds: Mapping[str, str] | None = ...,
    warmup_s: float = ...,
    quantiles: Sequence[float] = ...,
    labels: LabelsAs = ...,
    library: Library = ...,
    with_report: Literal[False] = ...,
) -> Any: ...
@overload
def prepare(
    source: Any,
    format: str = ...,
    timezone: str | None = ...,
    metric: str | None = ...,
    target_label: str | None = ...,
    lenient: bool = ...,
    *,
    kinds: Mapping[str, str] | None = ...,
    warmup_s: float = ...,
    quantiles: Sequence[float] = ...,
    labels: LabelsAs = ...,
    library: Library = ...,
    with_report: Literal[True],
) -> tuple[Any, dict[str, Any]]: ...
def prepare(
    source: Any,
    format: str = "auto",
    timezone: str | None = None,
    metric: str | None = None,
    target_label: str | None = None,
    lenient: bool = False,
    *,
    kinds: Mapping[str, str] | None = None,
    warmup_s: float = 0.0,
    quantiles: Sequence[float] = (0.5, 0.9, 0.99),
    labels: LabelsAs = "string",
    library: Library = "polars",
    with_report: bool = False,
) -> Any:
    """Reads (if needed) and prepares series for comparison, as a tidy DataFrame.

    The kind decides the transform, never the name: counters become per-second rates per
    scrape interval (any decrease is a reset, Prometheus semantics; resets are listed in the
    report), classic histogram buckets become per-interval quantiles by Prometheus'
    ``histogram_quantile`` rules (key: the family name plus ``quantile="q"``; coarse) and,
    when ``_sum`` and ``_count`` are present, a mean series (``stat="mean"``); gauges,
    summaries and untyped series pass through (a ``_total`` name alone does not make a
    counter: declare it with ``# TYPE``, a ``kind`` column, or ``kinds=``).

    Args:
        source: What :func:`read` accepts (path, bytes, file-like), or a tidy polars or pandas
            DataFrame with columns ``timestamp`` (Datetime or integer epoch ms), ``metric``,
            ``value`` and optionally ``target``, ``labels`` (``k=v;k=v`` string or struct) and
            ``kind``, such as :func:`read` returns.
        format: As in :func:`read` (ignored for frames).
        timezone: As in :func:`read` (ignored for frames).
        metric: As in :func:`read` (ignored for frames).
        target_label: As in :func:`read` (ignored for frames).
        lenient: As in :func:`read` (ignored for frames).
        kinds: As in :func:`read` (ignored for frames: use the ``kind`` column).
        warmup_s: Seconds dropped from the start of each series (from its first raw point).
        quantiles: Quantiles computed from histograms, each in [0, 1].
        labels: ``"string"`` or ``"struct"``, as in :func:`read`.
        library: ``"polars"`` (default) or ``"pandas"``, as in :func:`read`.
        with_report: Also return the report.

    Returns:
        A DataFrame with columns ``timestamp``, ``metric``, ``target``, ``labels``, ``kind``
        (of the source), ``derived`` (``raw``, ``rate``, ``quantile``, ``mean``) and
        ``value``. With ``with_report=True``, ``(frame, report)``: the read report (as in
        :func:`read`; empty counts for frames) whose ``series`` entries hold ``metric``,
        ``target``, ``labels``, ``kind``, ``derived`` (``{"type": ..., "q": ...}``) and
        ``data`` (``read`` counts, ``resets`` as ``{at_ms, before, after}``,
        ``bucket_resets``, ``skipped``, ``warmup_trimmed``, ``coarse``).

    Raises:
        FileNotFoundError: The path does not exist.
        ValueError: Malformed content (message with ``file:line:column``), a quantile outside
            [0, 1], a negative warm-up, or a bucket series without a numeric ``le`` label.

    Example:
        >>> import shiftwatch
        >>> csv = b"timestamp,metric,target,role,release,value,labels,kind\\n" \\
        ...       b"1700000000000,req_total,a,,,10,,counter\\n" \\
        ...       b"1700000010000,req_total,a,,,40,,counter\\n" \\
        ...       b"1700000020000,req_total,a,,,5,,counter\\n"
        >>> df, report = shiftwatch.prepare(csv, with_report=True)
        >>> df["value"].to_list()  # 30/10 s, then a reset: 5/10 s
        [3.0, 0.5]
        >>> report["series"][0]["data"]["resets"]
        [{'at_ms': 1700000020000, 'before': 40.0, 'after': 5.0}]
    """
    warmup_ms = round(warmup_s * 1000.0)
    qs = [float(q) for q in quantiles]
    module = type(source).__module__ or ""
    if hasattr(source, "columns") and module.split(".")[0] in {"polars", "pandas"}:
        out = _prepare_frame(source, warmup_ms, qs)
    else:
        path, data, name = _source(source)
        out = _native.prepare(
            path,
            data,
            name,
            format,
            timezone,
            metric,
            target_label,
            lenient,
            dict(kinds or {}),
            warmup_ms,
            qs,
        )
    frame = _frame(out, labels, ("derived",), library)
    return (frame, _report(out)) if with_report else frame
