"""Reading exports into tidy polars frames: ``shiftwatch.read`` and ``shiftwatch.prepare``.

The Rust readers (tidy CSV, Grafana CSV, Prometheus JSON, OpenMetrics text; see
``shiftwatch inspect --help``) return columns as numpy arrays; the frame is assembled here
without per-row Python objects. polars is imported lazily, so it is only needed by these two
functions.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from shiftwatch import _native

if TYPE_CHECKING:
    import polars as pl

__all__ = ["prepare", "read"]

LabelsAs = Literal["string", "struct"]


def _source(obj: Any) -> tuple[str | None, bytes | None, str]:
    """(path, data, name) for a path, bytes or a file-like object."""
    if isinstance(obj, (str, os.PathLike)):
        path = os.fspath(obj)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
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
        "expected a path (str or os.PathLike), bytes, or a file-like object with read(), "
        f"got {type(obj).__name__}"
    )


def _labels_string(labels: Mapping[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(labels.items()))


def _frame(out: dict[str, Any], labels: LabelsAs, extra: Sequence[str]) -> pl.DataFrame:
    """The tidy frame from the columnar result of ``_native.read``/``prepare``."""
    import polars as pl

    meta: list[dict[str, Any]] = out["meta"]
    idx = np.asarray(out["series"], dtype=np.uint32)

    def per_series(name: str, values: list[Any], dtype: Any) -> pl.Series:
        return pl.Series(name, values, dtype=dtype).gather(idx)

    if labels == "string":
        label_col = per_series(
            "labels", [_labels_string(m["labels"]) for m in meta], pl.String
        )
    elif labels == "struct":
        keys = sorted({k for m in meta for k in m["labels"]})
        fields = [
            pl.Series(k, [m["labels"].get(k) for m in meta], dtype=pl.String) for k in keys
        ]
        if fields:
            label_col = pl.DataFrame(fields).to_struct("labels").gather(idx)
        else:
            label_col = pl.Series("labels", [{}] * len(meta), dtype=pl.Struct([])).gather(idx)
    else:
        raise ValueError(f"labels must be 'string' or 'struct', got {labels!r}")

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
    with_report: Literal[False] = ...,
) -> pl.DataFrame: ...
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
    with_report: Literal[True],
) -> tuple[pl.DataFrame, dict[str, Any]]: ...
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
    with_report: bool = False,
) -> pl.DataFrame | tuple[pl.DataFrame, dict[str, Any]]:
    """Reads a metrics export into a tidy polars DataFrame (one row per point).

    The same readers as ``shiftwatch inspect`` and ``shiftwatch detect``: tidy CSV, Grafana
    "Download CSV" (wide, per-series, table/long; UTF-8/UTF-16LE, ``,``/``;``/TAB), Prometheus
    ``query_range``/``query`` JSON and OpenMetrics/Prometheus text with timestamps. Missing
    points (empty cells, absent samples) are not rows; NaN and ±inf values are kept.

    Args:
        path_or_buffer: A path (``str`` or ``os.PathLike``), ``bytes``, or a file-like object
            with ``read()`` (read whole; text is encoded as UTF-8). Buffers are named
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
        with_report: Also return the read report.

    Returns:
        A DataFrame with columns ``timestamp`` (``Datetime("ms", "UTC")``), ``metric``,
        ``target``, ``labels``, ``kind`` (gauge, counter, histogram, summary, unknown) and
        ``value`` (Float64), series in order of first appearance, each sorted by time. Use
        ``.to_pandas()`` for pandas. With ``with_report=True``, ``(frame, report)`` where
        ``report`` is a dict: ``files``, ``rows``, ``rows_skipped``, ``blank_lines``,
        ``skipped`` (list of ``{location, reason}``), ``notes``, and ``series`` (per series:
        ``metric``, ``target``, ``labels`` dict, ``kind``, ``unit``, and ``report`` with counts
        ``points``, ``missing``, ``nan``, ``infinite``, ``duplicates``, ``unsorted``).

    Raises:
        FileNotFoundError: The path does not exist.
        ValueError: Malformed content; the message names ``file:line:column`` (or a JSON
            path) and what was expected. Also for an unknown ``format`` or ``timezone``.

    Example:
        >>> import shiftwatch
        >>> csv = b"timestamp,metric,target,role,release,value,labels\\n" \\
        ...       b"1700000000000,rps,a,,,1.5,\\n1700000060000,rps,a,,,2.5,\\n"
        >>> shiftwatch.read(csv)["value"].to_list()
        [1.5, 2.5]
    """
    path, data, name = _source(path_or_buffer)
    out = _native.read(
        path, data, name, format, timezone, metric, target_label, lenient, dict(kinds or {})
    )
    frame = _frame(out, labels, ())
    return (frame, _report(out)) if with_report else frame


def _parse_labels(s: str) -> dict[str, str]:
    if not s:
        return {}
    pairs = (part.split("=", 1) for part in s.split(";") if part)
    return {k: v for k, v in pairs}


def _frame_columns(frame: Any) -> dict[str, Any]:
    """The columns of a tidy frame (as returned by :func:`read`) in the layout the native
    ``*_columns`` functions take: per-series lists and per-point arrays."""
    import polars as pl

    if not isinstance(frame, pl.DataFrame):
        frame = pl.from_pandas(frame)
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
    with_report: Literal[False] = ...,
) -> pl.DataFrame: ...
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
    with_report: Literal[True],
) -> tuple[pl.DataFrame, dict[str, Any]]: ...
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
    with_report: bool = False,
) -> pl.DataFrame | tuple[pl.DataFrame, dict[str, Any]]:
    """Reads (if needed) and prepares series for comparison, as a tidy polars DataFrame.

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
    frame = _frame(out, labels, ("derived",))
    return (frame, _report(out)) if with_report else frame
