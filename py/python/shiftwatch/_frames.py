"""Frames in, frames out: the time axis of pandas/polars inputs, tidy-frame selection, and
result tables as pandas or polars frames (pandas built from plain columns, so no pyarrow).

pandas and polars are recognised by module name and never imported here unless a frame of
theirs is being built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from shiftwatch._extras import require

__all__ = [
    "TIDY",
    "align_paired",
    "is_frame",
    "is_tidy",
    "numeric_columns",
    "select_tidy",
    "split_time_axis",
    "table",
    "time_at",
]

# The columns that make a frame tidy (one row per point of possibly many series).
TIDY = ("timestamp", "metric", "value")
_SERIES_KEYS = ("metric", "target", "labels")


def _module(x: Any) -> str:
    return (type(x).__module__ or "").split(".")[0]


def is_frame(values: Any) -> bool:
    """Whether ``values`` is a pandas or polars DataFrame."""
    return _module(values) in ("pandas", "polars") and hasattr(values, "columns")


def is_tidy(values: Any) -> bool:
    """Whether ``values`` is a tidy frame (``timestamp``, ``metric``, ``value`` columns)."""
    return is_frame(values) and all(c in values.columns for c in TIDY)


def _is_numeric(col: Any) -> bool:
    if _module(col) == "polars":
        return bool(col.dtype.is_numeric())
    return getattr(col, "dtype", np.dtype(object)).kind in "biuf"


def split_time_axis(values: Any) -> tuple[Any, Any]:
    """``(values, times)``: the time axis of a pandas Series/DataFrame (a ``DatetimeIndex``)
    or of a polars DataFrame (its datetime column, which is then not a value column), else
    ``None``. Other inputs come back unchanged with ``None``."""
    module = _module(values)
    if module == "pandas":
        index = getattr(values, "index", None)
        if index is not None and type(index).__name__ == "DatetimeIndex":
            return values, index
        if hasattr(values, "columns"):
            temporal = [c for c in values.columns if values[c].dtype.kind == "M"
                        or "datetime" in str(values[c].dtype)]
            if len(temporal) > 1:
                temporal = [c for c in temporal if c in ("timestamp", "time")][:1] or temporal
                if len(temporal) > 1:
                    raise ValueError(
                        f"the frame has several datetime columns ({', '.join(map(str, temporal))})"
                        "; name the time axis 'timestamp' or drop the others"
                    )
            if temporal:
                pd = require("pandas", "frames")
                return values.drop(columns=temporal[0]), pd.DatetimeIndex(values[temporal[0]])
        return values, None
    if module == "polars" and hasattr(values, "columns"):
        temporal = [c for c in values.columns if values[c].dtype.is_temporal()]
        if not temporal:
            return values, None
        if len(temporal) > 1:
            preferred = [c for c in temporal if c in ("timestamp", "time")]
            if not preferred:
                raise ValueError(
                    f"the frame has several datetime columns ({', '.join(temporal)}); name the "
                    "time axis 'timestamp' or drop the others"
                )
            temporal = preferred[:1]
        return values.drop(temporal[0]), values[temporal[0]]
    return values, None


def numeric_columns(frame: Any) -> list[str]:
    """Every column of a (non-tidy) frame, refusing non-numeric ones instead of dropping them.

    Raises:
        TypeError: A column is neither numeric nor the time axis; the message names it.
    """
    bad = [str(c) for c in frame.columns if not _is_numeric(frame[c])]
    if bad:
        raise TypeError(
            f"column(s) {', '.join(map(repr, bad))} are not numeric; select the value columns "
            "with columns=[...] (a datetime index or column is used as the time axis)"
        )
    return [str(c) for c in frame.columns]


def _series_label(row: dict[str, Any]) -> str:
    parts = [str(row.get("metric", ""))]
    if row.get("target"):
        parts.append(f"target={row['target']}")
    if row.get("labels"):
        parts.append(f"{{{row['labels']}}}")
    return " ".join(parts)


def select_tidy(
    frame: Any, metric: str | None = None, target: str | None = None
) -> tuple[Any, Any, str]:
    """The one series of a tidy frame chosen by ``metric``/``target``: ``(values, times,
    label)``, its points sorted by time.

    Raises:
        ValueError: No series matches, or several do (the message lists them and says how to
            choose); a tidy frame is never concatenated across series.
    """
    module = _module(frame)
    keys = [k for k in _SERIES_KEYS if k in frame.columns]
    if module == "polars":
        pl = require("polars", "frames")
        sel = frame
        if metric is not None:
            sel = sel.filter(pl.col("metric").cast(pl.String) == metric)
        if target is not None and "target" in frame.columns:
            sel = sel.filter(pl.col("target").cast(pl.String) == target)
        series = sel.select(keys).unique(maintain_order=True).rows(named=True)
    else:
        sel = frame
        if metric is not None:
            sel = sel[sel["metric"].astype(str) == metric]
        if target is not None and "target" in frame.columns:
            sel = sel[sel["target"].astype(str) == target]
        series = sel[keys].astype(str).drop_duplicates().to_dict("records")
    if not series:
        raise ValueError(
            f"no series of the tidy frame has metric={metric!r}"
            + (f", target={target!r}" if target is not None else "")
        )
    if len(series) > 1:
        names = "; ".join(_series_label(s) for s in series[:8])
        more = f" and {len(series) - 8} more" if len(series) > 8 else ""
        raise ValueError(
            f"the tidy frame holds {len(series)} series ({names}{more}); choose one with "
            "metric= and target= (shiftwatch does not join different series into one)"
        )
    if module == "polars":
        sel = sel.sort("timestamp")
        return sel["value"], sel["timestamp"], _series_label(series[0])
    sel = sel.sort_values("timestamp", kind="stable")
    return sel["value"], require("pandas", "frames").DatetimeIndex(sel["timestamp"]), \
        _series_label(series[0])


def table(columns: Mapping[str, Sequence[Any]], library: str) -> Any:
    """A frame from equal-length columns: ``library='pandas'`` (pandas only, no pyarrow) or
    ``'polars'``."""
    if library == "pandas":
        pd = require("pandas", "frames")
        return pd.DataFrame({k: list(v) if not isinstance(v, np.ndarray) else v
                             for k, v in columns.items()})
    if library == "polars":
        pl = require("polars", "frames")
        return pl.DataFrame(dict(columns.items()))
    raise ValueError(f"library must be 'pandas' or 'polars', got {library!r}")


def time_at(times: Any, index: int) -> Any:
    """The time of row ``index`` (a pandas ``Timestamp`` or a ``datetime``), or ``None``."""
    if times is None:
        return None
    value = times[index]
    return value.item() if isinstance(value, np.generic) else value


def align_paired(baseline: Any, candidate: Any) -> tuple[Any, Any]:
    """Pairs two pandas Series by their index, as paired tests need, never by position.

    Equal indexes pass unchanged; the same unique labels in another order are reordered to the
    baseline's order; anything else (labels missing on one side, duplicates) is refused, since
    pairing by position would silently pair different times. Inputs that are not both pandas
    Series (numpy arrays, lists, polars Series) pair by position, as given.

    Raises:
        ValueError: The indexes differ; the message counts the unmatched labels, names the
            first and shows how to align explicitly.
    """
    if not (_module(baseline) == "pandas" and _module(candidate) == "pandas"):
        return baseline, candidate
    bi, ci = getattr(baseline, "index", None), getattr(candidate, "index", None)
    if bi is None or ci is None or bi.equals(ci):
        return baseline, candidate
    if bi.is_unique and ci.is_unique and len(bi) == len(ci) and bi.sort_values().equals(
        ci.sort_values()
    ):
        return baseline, candidate.reindex(bi)
    only_b, only_c = bi.difference(ci), ci.difference(bi)
    first = only_b[0] if len(only_b) else (only_c[0] if len(only_c) else None)
    detail = (
        f"{len(only_b)} baseline and {len(only_c)} candidate labels have no partner "
        f"(first: {first!r})"
        if first is not None
        else "an index has duplicate labels"
    )
    raise ValueError(
        f"paired samples must be aligned on their index: {detail}. Align them first, e.g. "
        "baseline, candidate = baseline.align(candidate, join='inner'), or pass numpy arrays "
        "to pair by position"
    )
