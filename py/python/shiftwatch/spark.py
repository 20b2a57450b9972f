"""Many experiments on Spark: one :func:`shiftwatch.analyze` per group of a PySpark DataFrame.

Spark brings the distribution, shiftwatch the statistics: :func:`analyze_groups` groups a tidy
frame (the layout :func:`shiftwatch.read` returns, plus grouping columns such as
``experiment`` and ``service``) with ``groupBy(by).applyInPandas``, so each group's analysis
runs on an executor, in a Python worker that calls the Rust engine. Nothing is decided here:
each group's rows are its report's rows, flattened by the same code as
:meth:`shiftwatch.Report.to_pandas` (``shiftwatch._flat``), so a Spark column and a pandas
column with the same name are the same value.

Executors need shiftwatch (and pandas and pyarrow, which PySpark's pandas functions need
anyway) installed: ``pip install shiftwatch`` on the nodes, or a packed virtualenv shipped
with ``spark-submit --archives`` (see the README's "Many experiments on Spark").
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from shiftwatch._flat import (
    GROUP_COLUMNS,
    METRIC_COLUMNS,
    RULE_COLUMNS,
    Column,
    group_row,
    metric_rows,
    pandas_frame,
    rule_rows,
)

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType, StructType

__all__ = ["GroupResults", "analyze_groups", "canonical_order", "spark_schema"]

# The row kind of the one frame applyInPandas returns (split into the three results).
_ROW = "_row"
_ERROR = Column("error", "str", lambda _: None)
# Tidy columns read from the input (others, apart from `by`, are not shipped to the workers).
_TIDY = ("timestamp", "metric", "target", "labels", "kind", "role", "value")
# The columns that tell series apart, in the order groups are sorted by (canonical_order).
_SERIES = ("metric", "labels", "target", "kind", "role")
# Options of shiftwatch.analyze that may be passed through (``progress`` is always off).
_OPTIONS = ("mode", "deploy_at", "preset", "alpha", "correction", "warmup", "step", "seed")


@dataclass(frozen=True)
class GroupResults:
    """What :func:`analyze_groups` returns: three Spark DataFrames, each starting with the
    grouping columns; unpacks as ``metrics, rules, groups = res``.

    Attributes:
        metrics: One row per (group, metric): the columns of
            :meth:`shiftwatch.Report.to_pandas` and ``error`` (null). A group whose analysis
            failed has one row here with ``metric`` null and the message in ``error``.
        rules: One row per (group, rule, target): ``rule, metric, target, role, condition,
            fired_at, value, attribution, evaluations, unknown``.
        groups: One row per group: the report's summary (``verdict``, ``summary`` line,
            ``mode``, counts per verdict, ``rules_candidate``, ``rules_environment``,
            ``correction``, ``tests``, ``alpha``) and ``error`` (null unless the group failed).

    Examples:
        >>> import dataclasses
        >>> from shiftwatch.spark import GroupResults
        >>> [f.name for f in dataclasses.fields(GroupResults) if f.repr]
        ['metrics', 'rules', 'groups']
        >>> metrics, rules, groups = res  # doctest: +SKIP
    """

    metrics: DataFrame
    rules: DataFrame
    groups: DataFrame
    # The one frame the three select from (cached when analyze_groups persists it).
    _analyses: DataFrame = field(repr=False)

    def __iter__(self) -> Iterator[DataFrame]:
        return iter((self.metrics, self.rules, self.groups))

    def failed(self) -> int:
        """How many groups failed (rows of ``groups`` with an ``error``); runs a Spark job."""
        from pyspark.sql import functions as F

        return int(self.groups.where(F.col("error").isNotNull()).count())

    def unpersist(self) -> None:
        """Frees the cached analyses (the three frames are views of one cached result)."""
        self._analyses.unpersist()


def spark_schema(columns: Iterable[Column]) -> StructType:
    """The Spark schema of flat ``columns`` (``shiftwatch._flat`` specs), every field nullable."""
    from pyspark.sql import types as T

    kinds: dict[str, DataType] = {
        "str": T.StringType(),
        "f64": T.DoubleType(),
        "i64": T.LongType(),
        "bool": T.BooleanType(),
    }
    return T.StructType([T.StructField(c.name, kinds[c.dtype], True) for c in columns])


def _union(*specs: Sequence[Column]) -> list[Column]:
    """Columns of several specs, once per name; a name must keep its type across specs."""
    seen: dict[str, Column] = {}
    for spec in specs:
        for c in spec:
            if c.name in seen and seen[c.name].dtype != c.dtype:
                raise AssertionError(f"column {c.name!r} has two types")  # pragma: no cover
            seen.setdefault(c.name, c)
    return list(seen.values())


_ALL = _union(GROUP_COLUMNS, METRIC_COLUMNS, RULE_COLUMNS, (_ERROR,))


class _Analysis:
    """The function each group runs on an executor (picklable: plain data only)."""

    def __init__(
        self,
        by: list[str],
        options: dict[str, Any],
        config_text: str | None,
        on_error: str,
    ) -> None:
        self.by = by
        self.options = options
        self.config_text = config_text
        self.on_error = on_error

    def _config_path(self) -> str | None:
        """The config, written once per worker to a file named by its content's hash."""
        if self.config_text is None:
            return None
        digest = hashlib.sha256(self.config_text.encode("utf-8")).hexdigest()[:16]
        path = os.path.join(tempfile.gettempdir(), f"shiftwatch-config-{digest}.toml")
        if not os.path.exists(path):
            fd, tmp = tempfile.mkstemp(suffix=".toml", dir=tempfile.gettempdir())
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self.config_text)
            os.replace(tmp, path)
        return path

    def __call__(self, key: tuple[Any, ...], pdf: pd.DataFrame) -> pd.DataFrame:
        from shiftwatch._analyze import analyze

        rows: list[dict[str, Any]]
        try:
            data = canonical_order(pdf.drop(columns=self.by))
            report = analyze(
                data, config=self._config_path(), progress=False, series=False, **self.options
            ).to_dict()
            rows = [{_ROW: "group", **group_row(report)}]
            rows += [{_ROW: "metric", **r} for r in metric_rows(report)]
            rows += [{_ROW: "rule", **r} for r in rule_rows(report)]
        except Exception as err:  # a failed group is a row, never a dead job
            if self.on_error == "raise":
                raise
            message = f"{type(err).__name__}: {err}"
            rows = [{_ROW: "group", "error": message}, {_ROW: "metric", "error": message}]
        out = pandas_frame(_ALL, rows)
        out.insert(0, _ROW, [r[_ROW] for r in rows])
        for i, (name, value) in enumerate(zip(self.by, key)):
            out.insert(i, name, [value] * len(rows))
        return out


def canonical_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a tidy pandas frame in one order: by series (``metric``, ``labels``,
    ``target``, ``kind``, ``role``), then ``timestamp`` and ``value``.

    A Spark shuffle delivers a group's rows in no fixed order. The engine already puts every
    metric's targets in one order, but which of two rows with the same timestamp is kept, and
    the reader's counts of unsorted points, still follow the row order; so each group is put
    in this order before it is analysed: the same group always gives the same report, equal
    to ``shiftwatch.analyze(canonical_order(group))``.

    Examples:
        >>> import pandas as pd
        >>> f = pd.DataFrame({"timestamp": [2, 1, 1], "metric": ["m", "m", "m"],
        ...                   "target": ["b", "b", "a"], "value": [1.0, 2.0, 3.0]})
        >>> canonical_order(f)[["target", "timestamp"]].values.tolist()
        [['a', 1], ['b', 1], ['b', 2]]
    """
    keys = [c for c in (*_SERIES, "timestamp", "value") if c in frame.columns]
    return frame.sort_values(keys, kind="mergesort", ignore_index=True)


def _tidy_input(df: DataFrame, by: list[str]) -> DataFrame:
    """The columns the workers need, with timestamps as epoch milliseconds (no time-zone
    conversions between the JVM and pandas), labels as ``k=v;k=v`` text and values as doubles."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    fields = {f.name: f.dataType for f in df.schema.fields}
    missing = [c for c in ("timestamp", "metric", "value", *by) if c not in fields]
    if missing:
        raise ValueError(
            f"the DataFrame lacks column(s) {missing}; it needs the tidy layout "
            "(timestamp, metric, value, and optionally target, labels, kind, role) "
            f"and the grouping columns; it has {sorted(fields)}"
        )
    ts_type = fields["timestamp"]
    if isinstance(ts_type, T.TimestampType):
        ts = F.unix_millis(F.col("timestamp"))
    elif isinstance(ts_type, T.IntegralType):
        ts = F.col("timestamp").cast("long")
    else:
        raise ValueError(
            f"timestamp must be a TimestampType column or integer epoch milliseconds, got "
            f"{ts_type.simpleString()} (for timestamp_ntz, convert with "
            "to_utc_timestamp or unix_millis first)"
        )
    cols = [F.col(c) for c in by] + [ts.alias("timestamp")]
    for name in _TIDY[1:]:
        if name not in fields:
            continue
        col = F.col(name)
        if name == "value":
            cols.append(col.cast("double").alias(name))
        elif name == "labels" and isinstance(fields[name], T.MapType):
            entries = F.array_sort(F.map_entries(F.map_filter(col, lambda k, v: v.isNotNull())))
            text = F.array_join(
                F.transform(entries, lambda e: F.concat(e["key"], F.lit("="), e["value"])), ";"
            )
            cols.append(text.alias(name))
        else:
            cols.append(col.cast("string").alias(name))
    return df.select(*cols)


def analyze_groups(
    df: DataFrame,
    by: str | Sequence[str],
    baseline: str | None = None,
    candidate: str | None = None,
    *,
    config: str | os.PathLike[str] | None = None,
    on_error: Literal["row", "raise"] = "row",
    persist: bool = True,
    **options: Any,
) -> GroupResults:
    """Runs :func:`shiftwatch.analyze` once per group of a Spark DataFrame, on the executors.

    Each group is one ``applyInPandas`` call, so one group's rows must fit in an executor's
    memory (Spark's rule); groups are analysed in :func:`canonical_order`, so a report does not
    depend on the order a shuffle delivers the rows in.

    Args:
        df: A PySpark DataFrame in the tidy layout of :func:`shiftwatch.read` (``timestamp``
            as TimestampType or integer epoch ms, ``metric``, ``value``, optionally
            ``target``, ``labels`` as ``k=v;k=v`` text or a map, ``kind``, ``role``) plus the
            grouping columns. Other columns are ignored.
        by: The grouping column(s), e.g. ``["experiment", "service"]``.
        baseline: Glob over target names selecting the baseline, as in ``analyze``.
        candidate: Glob over target names selecting the candidate.
        config: A ``shiftwatch.toml`` file; read here, on the driver, and shipped to the
            executors as text (no shared file system needed).
        on_error: ``"row"`` (default): a group whose analysis raises gives a row with the
            message in ``error`` (counted by :meth:`GroupResults.failed`) and the other
            groups go on; ``"raise"``: the exception fails the Spark job.
        persist: Cache the analyses, so that reading ``metrics``, ``rules`` and ``groups``
            analyses each group once (``GroupResults.unpersist()`` frees it). Without it,
            each action on a result runs the analyses again.
        **options: The other keyword options of :func:`shiftwatch.analyze`: ``mode``,
            ``deploy_at``, ``preset``, ``alpha``, ``correction``, ``warmup``, ``step``,
            ``seed``.

    Returns:
        A :class:`GroupResults` ``(metrics, rules, groups)`` of Spark DataFrames (lazy: the
        analyses run at the first action on one of them).

    Raises:
        ValueError: A missing column, a grouping column whose name is also a result column,
            an unknown option, or ``on_error`` not ``"row"``/``"raise"``.
        OSError: The config file cannot be read.

    Examples:
        >>> from shiftwatch.spark import analyze_groups  # doctest: +SKIP
        >>> res = analyze_groups(df, by=["experiment", "service"],  # doctest: +SKIP
        ...                      baseline="kubo-base-*", candidate="kubo-cand-*", preset="kubo")
        >>> res.metrics.where("verdict = 'regression'").show()  # doctest: +SKIP
    """
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ValueError("by must name at least one grouping column")
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise ValueError(f"unknown option(s) {unknown}; analyze_groups passes on {list(_OPTIONS)}")
    if on_error not in ("row", "raise"):
        raise ValueError(f"on_error must be 'row' or 'raise', got {on_error!r}")
    taken = {c.name for c in _ALL} | {_ROW} | set(_TIDY)
    clash = [c for c in by if c in taken]
    if clash:
        raise ValueError(
            f"grouping column(s) {clash} share a name with a tidy or result column; "
            "rename them (e.g. withColumnRenamed) before grouping"
        )
    config_text = None
    if config is not None:
        with open(os.fspath(config), encoding="utf-8") as f:
            config_text = f.read()

    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    tidy = _tidy_input(df, by)
    key_fields = [f for f in tidy.schema.fields if f.name in by]
    schema = T.StructType(
        [T.StructField(f.name, f.dataType, True) for f in key_fields]
        + [T.StructField(_ROW, T.StringType(), False)]
        + list(spark_schema(_ALL).fields)
    )
    options = {"baseline": baseline, "candidate": candidate, **options}
    run = _Analysis(by, options, config_text, on_error)

    def analyze_group(key: tuple[Any, ...], pdf: pd.DataFrame) -> pd.DataFrame:
        # (applyInPandas wants a function of (key, data), not a callable object)
        return run(key, pdf)

    combined = tidy.groupBy(*by).applyInPandas(analyze_group, schema=schema)
    if persist:
        combined = combined.persist()

    def part(kinds: Sequence[str], columns: Sequence[Column]) -> DataFrame:
        names = [*by, *(c.name for c in columns)]
        return combined.where(F.col(_ROW).isin(*kinds)).select(*names)

    return GroupResults(
        metrics=part(["metric"], [*METRIC_COLUMNS, _ERROR]),
        rules=part(["rule"], RULE_COLUMNS),
        groups=part(["group"], [*GROUP_COLUMNS, _ERROR]),
        _analyses=combined,
    )
