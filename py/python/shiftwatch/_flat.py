"""The report as flat tables: one place that names every column, its type and where it comes
from in the report's dict (the CLI's JSON).

``Report.to_polars``/``to_pandas`` and ``shiftwatch.spark`` build their columns from these
specs, so a column means the same thing (and has the same type) in polars, pandas and Spark.
Types are spelled ``"str"``, ``"f64"``, ``"i64"`` and ``"bool"``; every column may be null
(a metric without data has no effect, a rule that never fired has no ``fired_at``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

__all__ = [
    "GROUP_COLUMNS",
    "METRIC_COLUMNS",
    "RULE_COLUMNS",
    "Column",
    "group_row",
    "metric_rows",
    "pandas_frame",
    "polars_schema",
    "rule_rows",
]


class Column(NamedTuple):
    """One flat column: its name, type and how to take it from one report entry."""

    name: str
    dtype: str
    get: Callable[[dict[str, Any]], Any]


def _effect(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda m: (m.get("effect") or {}).get(key)


def _pair(outer: str, key: str, i: int) -> Callable[[dict[str, Any]], Any]:
    def get(m: dict[str, Any]) -> Any:
        pair = (m.get(outer) or {}).get(key)
        return None if pair is None else pair[i]

    return get


def _sub(outer: str, key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda m: (m.get(outer) or {}).get(key)


def _labels(labels: dict[str, str] | None) -> str:
    return ";".join(f"{k}={v}" for k, v in (labels or {}).items())


# One row per metric. The first 16 columns are the ones ``to_polars`` always had; new columns
# go at the end.
METRIC_COLUMNS: tuple[Column, ...] = (
    Column("metric", "str", lambda m: m["metric"]),
    Column("labels", "str", lambda m: _labels(m.get("labels"))),
    Column("verdict", "str", lambda m: m["verdict"]),
    Column("statistic", "str", _effect("statistic")),
    Column("relative", "f64", _effect("relative")),
    Column("ci_low", "f64", _pair("effect", "ci_relative", 0)),
    Column("ci_high", "f64", _pair("effect", "ci_relative", 1)),
    Column("absolute", "f64", _effect("absolute")),
    Column("margin", "f64", _effect("margin")),
    Column("p_value", "f64", lambda m: m.get("p_value")),
    Column("p_adjusted", "f64", lambda m: m.get("p_adjusted")),
    Column("direction", "str", lambda m: m["direction"]),
    Column("method", "str", lambda m: m["method"]),
    Column("n", "i64", lambda m: m["data"]["points"]),
    Column("n_effective", "f64", lambda m: m["data"].get("n_effective")),
    Column("reason", "str", lambda m: m["reason"]),
    Column("kind", "str", lambda m: m["kind"]),
    Column("class", "str", lambda m: m["class"]),
    Column("ci_absolute_low", "f64", _pair("effect", "ci_absolute", 0)),
    Column("ci_absolute_high", "f64", _pair("effect", "ci_absolute", 1)),
    Column("ci_decision_low", "f64", _pair("effect", "ci_decision", 0)),
    Column("ci_decision_high", "f64", _pair("effect", "ci_decision", 1)),
    Column("baseline_level", "f64", _effect("baseline")),
    Column("candidate_level", "f64", _effect("candidate")),
    Column("noise_floor", "f64", lambda m: m.get("noise_floor")),
    Column("trend_per_h", "f64", _sub("trend", "per_h")),
    Column("trend_ci_low", "f64", _pair("trend", "ci", 0)),
    Column("trend_ci_high", "f64", _pair("trend", "ci", 1)),
    Column("trend_p_value", "f64", _sub("trend", "p_value")),
    Column("sd_ratio", "f64", _sub("dispersion", "sd_ratio")),
    Column("sd_ratio_ci_low", "f64", _pair("dispersion", "ci", 0)),
    Column("sd_ratio_ci_high", "f64", _pair("dispersion", "ci", 1)),
    Column("sd_ratio_p_value", "f64", _sub("dispersion", "p_value")),
    Column("change_points", "i64", lambda m: len(m.get("change_points") or [])),
    Column("step_s", "f64", lambda m: m["data"].get("step_s")),
    Column("points_read", "i64", lambda m: m["data"]["read"]),
    Column("missing", "i64", lambda m: m["data"]["missing"]),
    Column("dropped", "i64", lambda m: m["data"]["dropped"]),
    Column("warmup_trimmed", "i64", lambda m: m["data"]["warmup_trimmed"]),
    Column("resets", "i64", lambda m: m["data"]["resets"]),
    Column("coarse", "bool", lambda m: m["data"]["coarse"]),
    Column("baseline_targets", "str", lambda m: ",".join(m["data"]["baseline_targets"])),
    Column("candidate_targets", "str", lambda m: ",".join(m["data"]["candidate_targets"])),
    Column("notes", "str", lambda m: "\n".join(m.get("notes") or [])),
)

# One row per rule and evaluated target, as in the report's ``rules``.
RULE_COLUMNS: tuple[Column, ...] = (
    Column("rule", "str", lambda r: r["rule"]),
    Column("metric", "str", lambda r: r["metric"]),
    Column("target", "str", lambda r: r["target"]),
    Column("role", "str", lambda r: r["role"]),
    Column("condition", "str", lambda r: r["condition"]),
    Column("fired_at", "str", lambda r: r.get("fired_at")),
    Column("value", "f64", lambda r: r.get("value")),
    Column("attribution", "str", lambda r: r.get("attribution")),
    Column("evaluations", "i64", lambda r: r["evaluations"]),
    Column("unknown", "i64", lambda r: r["unknown"]),
)


def _count(verdict: str) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["summary"]["counts"].get(verdict, 0)


# One row per report (per group on Spark): the summary.
GROUP_COLUMNS: tuple[Column, ...] = (
    Column("verdict", "str", lambda d: d["summary"]["verdict"]),
    Column("summary", "str", lambda d: d["summary"]["line"]),
    Column("mode", "str", lambda d: d["mode"]),
    Column("metrics", "i64", lambda d: len(d["metrics"])),
    Column("regression", "i64", _count("regression")),
    Column("improvement", "i64", _count("improvement")),
    Column("no_change", "i64", _count("no_change")),
    Column("inconclusive", "i64", _count("inconclusive")),
    Column("no_data", "i64", _count("no_data")),
    Column("rules_candidate", "i64", lambda d: d["summary"]["rules_candidate"]),
    Column("rules_environment", "i64", lambda d: d["summary"]["rules_environment"]),
    Column("correction", "str", lambda d: d["summary"]["correction"]),
    Column("tests", "i64", lambda d: d["summary"]["tests"]),
    Column("alpha", "f64", lambda d: d["summary"]["alpha"]),
)


def _rows(columns: Sequence[Column], entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{c.name: c.get(e) for c in columns} for e in entries]


def metric_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per metric of ``report`` (the report's dict), keyed by :data:`METRIC_COLUMNS`.

    Examples:
        >>> import shiftwatch
        >>> data = shiftwatch.read(shiftwatch.datasets.path("gateway_ttfb.csv"))
        >>> r = shiftwatch.analyze(data, baseline="baseline", candidate="candidate")
        >>> row = metric_rows(r.to_dict())[0]
        >>> row["metric"], row["verdict"] == r.metric("gateway_ttfb")["verdict"]
        ('gateway_ttfb', True)
    """
    return _rows(METRIC_COLUMNS, report["metrics"])


def rule_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per rule and target of ``report``, keyed by :data:`RULE_COLUMNS`."""
    return _rows(RULE_COLUMNS, report["rules"])


def group_row(report: dict[str, Any]) -> dict[str, Any]:
    """The summary of ``report`` as one dict, keyed by :data:`GROUP_COLUMNS`."""
    return _rows(GROUP_COLUMNS, [report])[0]


def polars_schema(columns: Sequence[Column]) -> dict[str, Any]:
    """The polars schema of ``columns``."""
    from shiftwatch._extras import require

    pl = require("polars", "frames")
    types = {"str": pl.String, "f64": pl.Float64, "i64": pl.Int64, "bool": pl.Boolean}
    return {c.name: types[c.dtype] for c in columns}


def pandas_frame(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> Any:
    """A pandas frame of ``rows`` with one column per spec, typed so that a missing value is
    a missing value (float NaN; nullable ``Int64``/``boolean``; ``None`` in text)."""
    from shiftwatch._extras import require

    pd = require("pandas", "frames")
    types = {"str": object, "f64": "float64", "i64": "Int64", "bool": "boolean"}
    data = {
        c.name: pd.Series([r.get(c.name) for r in rows], dtype=types[c.dtype])
        for c in columns
    }
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
