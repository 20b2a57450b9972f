"""``shiftwatch.detect`` and ``shiftwatch.crops``: change points inside one series or shared by
several aligned series."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence, cast

import numpy as np
from numpy.typing import ArrayLike

from shiftwatch import _frames, _native
from shiftwatch._convert import as_float64, as_int
from shiftwatch._detect_display import (
    Plottable,
    Segmented,
    Timed,
    crops_html,
    detection_html,
    multi_detection_html,
    plot_detection,
    with_times,
)
from shiftwatch._edivisive import EDivisiveDetection, e_divisive
from shiftwatch._extras import require
from shiftwatch._progress import progress_bar
from shiftwatch._results import Result, json_compatible

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = [
    "ChangePoint",
    "ColumnChange",
    "CropsPath",
    "CropsSegmentation",
    "Detection",
    "MultiChangePoint",
    "MultiDetection",
    "NoiseScale",
    "crops",
    "detect",
]


def _penalty_name(penalty: str | float) -> str:
    """A penalty name, or a number in cost units spelled so that it parses back exactly."""
    if isinstance(penalty, bool):
        raise TypeError("penalty must be a name ('mbic', 'bic', 'aic', 'hq') or a number")
    if isinstance(penalty, (int, float)):
        return repr(float(penalty))
    if isinstance(penalty, str):
        return penalty
    raise TypeError(f"penalty must be a str or a number, got {type(penalty).__name__}")


def _float(value: Any) -> float:
    """A float of a report dict (the binding keeps NaN; ``None`` is NaN too)."""
    return float("nan") if value is None else float(value)


@dataclass(frozen=True, repr=False)
class ChangePoint(Result, Timed):
    """One validated change point.

    Attributes:
        index: 0-based index of the first sample of the new segment.
        before: Mean of the segment before.
        after: Mean of the segment after.
        magnitude: ``after - before``.
        p_value: Two-sided p-value of the validation test.
        p_adjusted: Holm-adjusted p-value within the series.
        kind: ``'step'``, ``'trend'`` or ``'variance'``.
    """

    index: int
    before: float
    after: float
    magnitude: float
    p_value: float
    p_adjusted: float
    kind: str


@dataclass(frozen=True, repr=False)
class NoiseScale(Result):
    """Robust noise scale the penalty and the validation tests use.

    Attributes:
        sigma: Marginal standard deviation of the noise.
        phi: Lag-1 autocorrelation (0 for independent noise).
        long_run_sigma: Long-run standard deviation (≥ ``sigma``).
    """

    sigma: float
    phi: float
    long_run_sigma: float


@dataclass(frozen=True, repr=False)
class Detection(Result, Plottable):
    """Result of :func:`detect`; ``to_dict()`` has the field names of
    ``shiftwatch detect --format json`` (without ``file``, ``column`` and ``time``).

    Attributes:
        change_points: Validated change points, in order.
        n: Number of values (rows), missing ones included.
        method: Search used.
        cost: Segment cost used.
        penalty: Penalty name (or the number given, in cost units).
        penalty_value: Penalty per change in cost units (NaN for a constant series).
        min_size: Minimum segment length.
        alpha: Level of the Holm-adjusted validation.
        noise: Estimated noise scale.
        candidates: Change points the search found before validation.
        missing: Number of missing values (NaN, pandas ``NA``, polars ``null``) skipped; the
            indices still count them as rows.
        model: With ``cost='auto'`` (the default) or ``'decafs'``: the model used
            (``'step'``, ``'trend'``, ``'drift'`` or ``'season'``), the reason, the drift
            share, the DeCAFS parameters, the BIC of each fit and the period and harmonics of
            the season fit (the report's ``model``); else ``None``.
    """

    change_points: tuple[ChangePoint, ...]
    n: int
    method: str
    cost: str
    penalty: str
    penalty_value: float
    min_size: int
    alpha: float
    noise: NoiseScale
    candidates: tuple[int, ...] = field(repr=False)
    missing: int = 0
    model: dict[str, Any] | None = field(repr=False, compare=False, default=None)
    _raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The core's report, as the CLI writes it (NaN/±∞ as ``None``).

        Returns:
            A JSON-serialisable dict: ``n``, ``missing``, ``method``, ``cost``, ``penalty``, ``model``,
            ``penalty_value``, ``min_size``, ``alpha``, ``noise`` and ``change_points``
            (``index``, ``before``, ``after``, ``magnitude``, ``p_value``, ``p_adjusted``,
            ``kind``).

        Examples:
            >>> import json, shiftwatch
            >>> noise = [0.0, 0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.0] * 4
            >>> d = shiftwatch.detect(noise + [2.0 + e for e in noise]).to_dict()
            >>> d["change_points"][0]["index"], json.loads(json.dumps(d)) == d
            (32, True)
        """
        out = json_compatible(self._raw)
        assert isinstance(out, dict)
        return out

    def to_polars(self) -> polars.DataFrame:
        """One row per change point (polars is imported here, only when called).

        Returns:
            A ``polars.DataFrame`` with columns ``index``, ``time`` (when the input had a time
            axis), ``before``, ``after``, ``magnitude``, ``p_value``, ``p_adjusted``, ``kind``.

        Examples:
            >>> import shiftwatch
            >>> noise = [0.0, 0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.0] * 4
            >>> x = noise + [2.0 + e for e in noise]
            >>> shiftwatch.detect(x).to_polars()["index"].to_list()
            [32]
        """
        return self._polars(
            {"index": "Int64", "before": "Float64", "after": "Float64", "magnitude": "Float64",
             "p_value": "Float64", "p_adjusted": "Float64", "kind": "String"}
        )

    def _repr_html_(self) -> str:
        return detection_html(
            self, f"n={self.n}{f' ({self.missing} missing, skipped)' if self.missing else ''}, "
            f"{self.method} {self.cost}, penalty {self.penalty}, "
            f"min size {self.min_size}, Holm level {self.alpha}"
        )

    def __repr__(self) -> str:
        cps = ", ".join(
            f"{c.index} ({c.kind} {c.before:.4g}→{c.after:.4g}, p_adj={c.p_adjusted:.2g})"
            for c in self.change_points[:8]
        )
        if len(self.change_points) > 8:
            cps += f", … ({len(self.change_points)} in all)"
        gaps = f", missing={self.missing}" if self.missing else ""
        return (
            f"Detection(n={self.n}{gaps}, {len(self.change_points)} change point"
            f"{'' if len(self.change_points) == 1 else 's'}: [{cps}], method={self.method!r}, "
            f"cost={self.cost!r}, penalty={self.penalty!r} ({self.penalty_value:.4g}), "
            f"min_size={self.min_size}, alpha={self.alpha})"
        )

    @classmethod
    def _from_report(cls, out: dict[str, Any]) -> Detection:
        """Wraps ``{"report": <the core's DetectReport>, "candidates": [...]}``."""
        r = out["report"]
        return cls(
            change_points=tuple(
                ChangePoint(
                    index=int(c["index"]), before=_float(c["before"]), after=_float(c["after"]),
                    magnitude=_float(c["magnitude"]), p_value=_float(c["p_value"]),
                    p_adjusted=_float(c["p_adjusted"]), kind=str(c["kind"]),
                )
                for c in r["change_points"]
            ),
            n=int(r["n"]),
            method=str(r["method"]),
            cost=str(r["cost"]),
            penalty=str(r["penalty"]),
            penalty_value=_float(r["penalty_value"]),
            min_size=int(r["min_size"]),
            alpha=float(r["alpha"]),
            noise=NoiseScale(**{k: _float(v) for k, v in r["noise"].items()}),
            candidates=tuple(int(i) for i in out["candidates"]),
            missing=int(r["missing"]),
            model=r.get("model"),
            _raw=r,
        )


@dataclass(frozen=True, repr=False)
class ColumnChange(Result):
    """The change of one column at a multivariate change point.

    Attributes:
        column: The column's name (``'0'``, ``'1'``, … for unnamed inputs).
        before: Mean of the column over the segment before.
        after: Mean of the column over the segment after.
        magnitude: ``after - before``.
        z: z statistic of the column's AR(1)-aware test of the adjacent means.
        p_value: Two-sided p-value of that test (not adjusted).
    """

    column: str
    before: float
    after: float
    magnitude: float
    z: float
    p_value: float


@dataclass(frozen=True, repr=False)
class MultiChangePoint(Result, Timed):
    """One validated change point shared by several columns.

    Attributes:
        index: 0-based index of the first row of the new segment.
        p_value: ``min(1, d · min_j p_j)``: Bonferroni over the d columns.
        p_adjusted: Holm-adjusted ``p_value`` within the series.
        dims: One :class:`ColumnChange` per column, in input order.
    """

    index: int
    p_value: float
    p_adjusted: float
    dims: tuple[ColumnChange, ...]


@dataclass(frozen=True, repr=False)
class MultiDetection(Result, Segmented):
    """Result of :func:`detect` on several aligned columns; ``to_dict()`` has the field names
    of ``shiftwatch detect --column a,b --format json`` (without ``file`` and ``time``).

    Attributes:
        change_points: Validated change points, in order.
        n: Number of rows.
        d: Number of columns.
        columns: Column names.
        method: Search used.
        cost: Segment cost used (``'l2'``).
        penalty: Penalty name (or the number given, in units of the standardised cost).
        penalty_value: Penalty per change in units of the standardised cost.
        min_size: Minimum segment length.
        alpha: Level of the Holm-adjusted validation.
        noise: Estimated noise scale of each column.
        scale: Divisor that standardised each column for the search.
        candidates: Change points the search found before validation.
    """

    change_points: tuple[MultiChangePoint, ...]
    n: int
    d: int
    columns: tuple[str, ...]
    method: str
    cost: str
    penalty: str
    penalty_value: float
    min_size: int
    alpha: float
    noise: tuple[NoiseScale, ...]
    scale: tuple[float, ...]
    candidates: tuple[int, ...] = field(repr=False)
    _raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The core's report, as the CLI writes it (NaN/±∞ as ``None``).

        Returns:
            A JSON-serialisable dict: ``columns``, ``n``, ``d``, ``method``, ``cost``,
            ``penalty``, ``penalty_value``, ``min_size``, ``alpha``, ``noise`` (one per column),
            ``scale`` and ``change_points`` (``index``, ``p_value``, ``p_adjusted``, ``dims``:
            ``column``, ``before``, ``after``, ``magnitude``, ``z``, ``p_value``).

        Examples:
            >>> import numpy as np, shiftwatch
            >>> x = np.r_[np.zeros(30), np.ones(30) * 4] + np.tile([0.1, -0.1, 0.2], 20)
            >>> d = shiftwatch.detect(np.c_[x, x * 2]).to_dict()
            >>> d["d"], [dim["column"] for dim in d["change_points"][0]["dims"]]
            (2, ['0', '1'])
        """
        out = json_compatible(self._raw)
        assert isinstance(out, dict)
        return out

    def to_polars(self) -> polars.DataFrame:
        """One row per change point and column (polars is imported here, only when called).

        Returns:
            A ``polars.DataFrame`` with columns ``index``, ``time`` (when the input had a time
            axis), ``column``, ``before``, ``after``, ``magnitude``, ``z``, ``p_value`` (the
            column's), ``p_adjusted`` (the change point's).

        Examples:
            >>> import numpy as np, shiftwatch
            >>> x = np.r_[np.zeros(30), np.ones(30) * 4] + np.tile([0.1, -0.1, 0.2], 20)
            >>> d = shiftwatch.detect(np.c_[x, x * 2])
            >>> d.to_polars()["column"].to_list()
            ['0', '1']
        """
        return self._polars(
            {"index": "Int64", "column": "String", "before": "Float64", "after": "Float64",
             "magnitude": "Float64", "z": "Float64", "p_value": "Float64",
             "p_adjusted": "Float64"}
        )

    def _repr_html_(self) -> str:
        return multi_detection_html(self)

    def plot(self, values: Any, *, x: Any = None) -> Any:
        """One panel per column, sharing the time axis: each column, its segment means, and a
        dashed line at each shared change point (needs matplotlib).

        Args:
            values: What was given to :func:`detect` (2-D array, DataFrame or list of arrays);
                a DataFrame is read by this result's column names.
            x: Positions or times to plot against (default: the input's times, else
                ``0..n-1``).

        Returns:
            The numpy array of matplotlib ``Axes``, one per column.

        Raises:
            ValueError: The input does not have this result's columns and rows.

        Examples:
            >>> import numpy as np, shiftwatch
            >>> x = np.r_[np.zeros(30), np.ones(30) * 4] + np.tile([0.1, -0.1, 0.2], 20)
            >>> both = np.c_[x, x * 2]
            >>> len(shiftwatch.detect(both).plot(both))  # doctest: +SKIP
            2
        """
        plt = require("matplotlib.pyplot", "plot")

        values, _ = _frames.split_time_axis(values)
        if x is None:
            x = self.times
        cols = _columns_of(values, list(self.columns) if _is_frame(values) else None)
        if cols is None or len(cols) != self.d:
            raise ValueError(f"expected {self.d} columns like the input of detect")
        fig, axes = plt.subplots(
            self.d, 1, sharex=True, figsize=(10, 1.8 * self.d + 0.8), layout="constrained"
        )
        axes = np.atleast_1d(axes)
        for ax, name, (_, column) in zip(axes, self.columns, cols):
            plot_detection(self._one(), column, x=x, ax=ax, label=name)
        return axes

    def _one(self) -> Detection:
        """The change points as a one-series :class:`Detection` (levels of no column), for
        drawing segment means and change lines."""
        nan = float("nan")
        return Detection(
            change_points=tuple(
                ChangePoint(index=c.index, before=nan, after=nan, magnitude=nan,
                            p_value=c.p_value, p_adjusted=c.p_adjusted, kind="step")
                for c in self.change_points
            ),
            n=self.n, method=self.method, cost=self.cost, penalty=self.penalty,
            penalty_value=self.penalty_value, min_size=self.min_size, alpha=self.alpha,
            noise=self.noise[0], candidates=self.candidates,
        )

    def __repr__(self) -> str:
        cps = ", ".join(f"{c.index} (p_adj={c.p_adjusted:.2g})" for c in self.change_points[:8])
        if len(self.change_points) > 8:
            cps += f", … ({len(self.change_points)} in all)"
        return (
            f"MultiDetection(n={self.n}, d={self.d}, columns={list(self.columns)!r}, "
            f"{len(self.change_points)} change point{'' if len(self.change_points) == 1 else 's'}"
            f": [{cps}], method={self.method!r}, penalty={self.penalty!r} "
            f"({self.penalty_value:.4g}), min_size={self.min_size}, alpha={self.alpha})"
        )

    @classmethod
    def _from_report(cls, out: dict[str, Any]) -> MultiDetection:
        """Wraps ``{"report": <the core's MultiDetectReport>, "candidates": [...]}``."""
        r = out["report"]
        return cls(
            change_points=tuple(
                MultiChangePoint(
                    index=int(c["index"]), p_value=_float(c["p_value"]),
                    p_adjusted=_float(c["p_adjusted"]),
                    dims=tuple(
                        ColumnChange(
                            column=str(x["column"]), before=_float(x["before"]),
                            after=_float(x["after"]), magnitude=_float(x["magnitude"]),
                            z=_float(x["z"]), p_value=_float(x["p_value"]),
                        )
                        for x in c["dims"]
                    ),
                )
                for c in r["change_points"]
            ),
            n=int(r["n"]),
            d=int(r["d"]),
            columns=tuple(str(c) for c in r["columns"]),
            method=str(r["method"]),
            cost=str(r["cost"]),
            penalty=str(r["penalty"]),
            penalty_value=_float(r["penalty_value"]),
            min_size=int(r["min_size"]),
            alpha=float(r["alpha"]),
            noise=tuple(
                NoiseScale(**{k: _float(v) for k, v in s.items()}) for s in r["noise"]
            ),
            scale=tuple(_float(v) for v in r["scale"]),
            candidates=tuple(int(i) for i in out["candidates"]),
            _raw=r,
        )


def _is_frame(values: Any) -> bool:
    module = type(values).__module__ or ""
    return module.startswith(("pandas", "polars")) and hasattr(values, "columns")


def _columns_of(values: Any, columns: Sequence[str] | None) -> list[tuple[str, Any]] | None:
    """The named columns of a multivariate input, or ``None`` for a single series. Without
    ``columns=``, every column of a DataFrame is a value column: a non-numeric one is an error,
    never silently dropped (a time axis has been split off before)."""
    if _is_frame(values):
        names = [str(c) for c in values.columns]
        if columns is None:
            chosen: list[Any] = list(values.columns)
            _frames.numeric_columns(values)
        else:
            missing = [c for c in columns if str(c) not in names]
            if missing:
                raise ValueError(f"no column {missing[0]!r}; the frame has: {', '.join(names)}")
            chosen = list(columns)
        if not chosen:
            raise TypeError("the DataFrame has no value column")
        return [(str(c), values[c]) for c in chosen]
    if columns is not None:
        raise TypeError("columns= selects columns of a pandas or polars DataFrame")
    if isinstance(values, np.ndarray) and values.ndim == 2:
        return [(str(j), values[:, j]) for j in range(values.shape[1])]
    if isinstance(values, (list, tuple)) and values and all(
        not isinstance(v, (str, bytes)) and np.ndim(v) == 1 for v in values
    ):
        return [(str(j), v) for j, v in enumerate(values)]
    return None


def _time_axis(
    values: Any, columns: Sequence[str] | None, metric: str | None, target: str | None
) -> tuple[Any, Any]:
    """``(values, times)``: one series of a tidy frame chosen by ``metric``/``target``, or the
    input with its time axis (pandas ``DatetimeIndex``, polars datetime column) split off."""
    if _frames.is_tidy(values):
        if columns is not None:
            raise TypeError(
                "columns= selects columns of a wide frame; choose a series of a tidy frame "
                "with metric= and target="
            )
        series, times, _ = _frames.select_tidy(values, metric, target)
        return series, times
    if metric is not None or target is not None:
        raise TypeError("metric= and target= choose a series of a tidy frame (timestamp, "
                        "metric, value columns)")
    return _frames.split_time_axis(values)


def detect(
    values: ArrayLike | Any,
    method: str = "pelt",
    cost: str = "auto",
    penalty: str | float = "mbic",
    min_size: int = 5,
    alpha: float = 0.05,
    columns: Sequence[str] | None = None,
    *,
    metric: str | None = None,
    target: str | None = None,
    permutations: int = 99,
    seed: int = 0,
    p_value_rule: str = "add-one",
    progress: bool | None = None,
) -> Detection | MultiDetection | EDivisiveDetection:
    """Finds and validates change points in one series, or jointly in several aligned series
    (same engine as ``shiftwatch detect``).

    By default (``cost='auto'``): the model (steps, a trend, steps on a random-walk drift
    with AR(1) noise (DeCAFS), or steps on a periodic component) is chosen per series by BIC
    and reported in ``model``, on the values divided by their noise scale when the noise looks
    Gaussian, else on their normal scores (heavy tails, skew, spikes); robust,
    autocorrelation-aware noise scale; MBIC penalty; for steps, an exact search of the
    Gaussian-mean (L2) segmentation with segments of at least 5 points; every change point
    validated by tests of its adjacent segments' means and medians (a lone outlier is not a
    change), Holm-adjusted at ``alpha``.

    ``method='edivisive'`` runs E-divisive instead (Matteson & James 2014; energy statistic,
    any change of distribution, a seeded permutation test per split at level ``alpha``;
    ``cost`` and ``penalty`` do not apply), for short histories such as one value per build.

    Several columns (a 2-D array ``n × d``, a pandas/polars DataFrame, or a list of 1-D
    arrays) are segmented jointly with the multivariate L2 cost, each column standardised by
    its own noise scale so the penalty counts d parameters per segment; a change point's
    p-value is the smallest per-column p-value times d (Bonferroni), Holm-adjusted across
    change points, and each reports every column's level before and after. A single column
    gives the same :class:`Detection` as a 1-D input.

    Args:
        values: The series in time order (list, numpy array, pandas or polars Series), or
            several aligned series: a 2-D numpy array (rows = time), a pandas or polars
            DataFrame, or a list of 1-D arrays; or a tidy frame (``timestamp``, ``metric``,
            ``value`` columns, as :func:`shiftwatch.read` returns) with one series chosen by
            ``metric``/``target``. A time axis (a pandas ``DatetimeIndex``, a polars datetime
            column, a tidy frame's ``timestamp``) is kept: the result's ``times``, each change
            point's ``time``, the tables and the plot's x axis use it.
        method: ``'pelt'`` (exact; functional pruning for l2, poisson, l1 and biweight; for linear,
            normal and np above 10 000 values a near-linear seeded search, exact within windows
            around seeded candidates but not in general), ``'fpop'`` (the same), ``'dp'``
            (exact for every cost, slow), ``'binseg'`` (greedy) or ``'edivisive'``.
        cost: ``'auto'`` (default: steps, a trend, steps on a drifting level or steps on a
            periodic component, chosen per series by BIC and reported in ``model``), ``'l2'``
            (mean), ``'normal'`` (mean and variance), ``'poisson'``, ``'linear'`` (trend), ``'l1'`` (robust), ``'np'``
            (distribution), ``'biweight'`` (mean with the bounded loss
            ``min((x - mu)**2, (3 sigma)**2)`` of Fearnhead & Rigaill 2019: spikes and stall
            windows are not changes) or ``'decafs'`` (steps on a random-walk drift with AR(1)
            noise);
            several columns: ``'l2'`` (``'auto'`` means ``'l2'`` there).
        penalty: ``'mbic'``, ``'bic'``, ``'aic'``, ``'hq'`` (scaled by the noise), or a
            number: the penalty per change in cost units (as ruptures' ``pen``; for several
            columns, in units of the standardised columns).
        min_size: Minimum segment length.
        alpha: Level of the Holm-adjusted validation; 1 keeps every change point found.
        columns: For a DataFrame, the columns to use (default: every column except the time
            axis; a non-numeric one is an error).
        metric: For a tidy frame, the metric of the series to analyse.
        target: For a tidy frame, the target of the series (when a metric has several).
        permutations: E-divisive only: permutations per test.
        seed: E-divisive only: seed of the permutations (same seed, same result).
        p_value_rule: E-divisive only: ``'add-one'`` (``(1 + b)/(1 + P)``, a valid
            permutation p-value) or ``'spa'`` (``b/(1 + P)``, as signal-processing-algorithms).
        progress: E-divisive only: a tqdm bar over the permutations (``None``: when tqdm is
            installed and the session is interactive; ``False``: never). Ctrl-C stops the call
            either way.

    Returns:
        A :class:`Detection` for one series, a :class:`MultiDetection` for several, an
        :class:`EDivisiveDetection` for ``method='edivisive'``.

    Raises:
        InsufficientDataError: Fewer than 3 values.
        ValueError: NaN/±∞ (naming the first index, and the column), columns of different
            lengths, unknown names, ``alpha`` outside (0, 1], a Poisson cost on negative
            values, or a cost other than l2 with several columns.
        TypeError: Non-numeric input or column, ``columns=`` without a DataFrame, or
            ``metric=``/``target=`` without a tidy frame.
        ValueError: Also for a tidy frame holding several series when ``metric``/``target``
            do not choose one, and for fractional ``min_size``/``permutations``/``seed``.

    Examples:
        >>> import shiftwatch
        >>> noise = [0.0, 0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.0] * 4
        >>> x = noise + [2.0 + e for e in noise]
        >>> shiftwatch.detect(x).indices
        [32]
        >>> y = [10 * e for e in noise] * 2
        >>> shiftwatch.detect([x, y]).indices
        [32]
    """
    name = _penalty_name(penalty)
    size = as_int(min_size, "min_size")
    values, times = _time_axis(values, columns, metric, target)
    cols = _columns_of(values, columns)
    if method.strip().lower() == "edivisive":
        if cols is not None and len(cols) > 1:
            raise ValueError("method='edivisive' analyses one series; got several columns")
        x = as_float64(values if cols is None else cols[0][1], "values")
        return with_times(
            e_divisive(
                x, min_size=size, permutations=as_int(permutations, "permutations"),
                alpha=alpha, seed=as_int(seed, "seed"), p_value_rule=p_value_rule,
                progress=progress,
            ),
            times,
        )
    if cols is not None and len(cols) > 1:
        names = tuple(n for n, _ in cols)
        arrays = [as_float64(c, f"values[{n!r}]") for n, c in cols]
        d = _native.detect_multivariate(
            arrays, method, cost, name, size, float(alpha), list(names)
        )
        return with_times(MultiDetection._from_report(d), times)
    if cols is not None:
        values = cols[0][1]
    x = as_float64(values, "values")
    d = _native.detect(x, method, cost, name, size, float(alpha))
    return with_times(Detection._from_report(d), times)


@dataclass(frozen=True, repr=False)
class CropsSegmentation(Result):
    """One segmentation on the CROPS path.

    Attributes:
        penalty_min: Smallest penalty (within the range) at which it is optimal.
        penalty_max: Largest penalty (within the range) at which it is optimal.
        indices: 0-based first index of each new segment.
        cost: Total segment cost without penalty.
        n: Number of values.
    """

    penalty_min: float
    penalty_max: float
    indices: tuple[int, ...]
    cost: float
    n: int

    @property
    def segments(self) -> list[tuple[int, int]]:
        """Half-open ``(start, end)`` ranges covering ``0..n``."""
        bounds = [0, *self.indices, self.n]
        return list(zip(bounds[:-1], bounds[1:]))


@dataclass(frozen=True, repr=False)
class CropsPath(Result):
    """Result of :func:`crops`: segmentations from the most to the fewest change points.

    Attributes:
        path: The distinct optimal segmentations.
        searches: Number of exact searches run.
    """

    path: tuple[CropsSegmentation, ...]
    searches: int

    def __len__(self) -> int:
        return len(self.path)

    def __getitem__(self, i: int) -> CropsSegmentation:
        return self.path[i]

    def _repr_html_(self) -> str:
        return crops_html(self)

    def to_pandas(self) -> Any:
        """One row per segmentation, as pandas (no polars or pyarrow needed).

        Returns:
            A ``pandas.DataFrame`` with ``penalty_min``, ``penalty_max``, ``n_changes``,
            ``cost``, ``indices`` (lists).

        Examples:
            >>> import shiftwatch
            >>> x = [0.0] * 10 + [5.0] * 10 + [6.0] * 10
            >>> shiftwatch.crops(x, 0.1, 1000.0, min_size=2).to_pandas()["n_changes"].tolist()
            [2, 1, 0]
        """
        return _frames.table(
            {
                "penalty_min": [s.penalty_min for s in self.path],
                "penalty_max": [s.penalty_max for s in self.path],
                "n_changes": [len(s.indices) for s in self.path],
                "cost": [s.cost for s in self.path],
                "indices": [list(s.indices) for s in self.path],
            },
            "pandas",
        )

    def to_polars(self) -> polars.DataFrame:
        """One row per segmentation: ``penalty_min``, ``penalty_max``, ``n_changes``,
        ``cost``, ``indices`` (list column); polars is imported only when called.

        Returns:
            A ``polars.DataFrame``.

        Examples:
            >>> import shiftwatch
            >>> x = [0.0] * 10 + [5.0] * 10 + [6.0] * 10
            >>> shiftwatch.crops(x, 0.1, 1000.0, min_size=2).to_polars()["n_changes"].to_list()
            [2, 1, 0]
        """
        pl = require("polars", "frames")

        return cast("polars.DataFrame", pl.DataFrame(
            {
                "penalty_min": [s.penalty_min for s in self.path],
                "penalty_max": [s.penalty_max for s in self.path],
                "n_changes": [len(s.indices) for s in self.path],
                "cost": [s.cost for s in self.path],
                "indices": [list(s.indices) for s in self.path],
            },
            schema={
                "penalty_min": pl.Float64, "penalty_max": pl.Float64, "n_changes": pl.Int64,
                "cost": pl.Float64, "indices": pl.List(pl.Int64),
            },
        ))


def crops(
    values: ArrayLike,
    penalty_min: float,
    penalty_max: float,
    cost: str = "l2",
    min_size: int = 5,
    method: str = "pelt",
    progress: bool | None = None,
) -> CropsPath:
    """CROPS (Haynes, Eckley & Fearnhead 2017): every segmentation that is optimal for some
    penalty in ``[penalty_min, penalty_max]`` (penalties in cost units, as ruptures' ``pen``).

    Args:
        values: The series in time order.
        penalty_min: Smallest penalty (≥ 0).
        penalty_max: Largest penalty (finite, ≥ ``penalty_min``).
        cost: Segment cost, as in :func:`detect`, or ``'decafs'``: the DeCAFS model with its
            parameters estimated as :func:`detect` does (penalties in -2 log L units;
            ``min_size`` and ``method`` do not apply).
        min_size: Minimum segment length.
        method: Exact search: ``'pelt'`` (functional pruning for l2 and poisson), ``'fpop'``
            or ``'dp'``.
        progress: A tqdm counter of the searches (``None``: when tqdm is installed and the
            session is interactive; ``False``: never). Ctrl-C stops the call between searches.

    Returns:
        A :class:`CropsPath` (no validation step: raw optimal segmentations).

    Raises:
        InsufficientDataError: Fewer than 2 values or shorter than one segment.
        ValueError: NaN/±∞, unknown names or an invalid penalty range.

    Examples:
        >>> import shiftwatch
        >>> x = [0.0] * 10 + [5.0] * 10 + [6.0] * 10
        >>> [list(s.indices) for s in shiftwatch.crops(x, 0.1, 1000.0, min_size=2)]
        [[10, 20], [10], []]
    """
    x = as_float64(values, "values")
    with progress_bar(progress, "CROPS searches") as update:
        d = _native.crops(
            x, float(penalty_min), float(penalty_max), cost, method,
            as_int(min_size, "min_size"), update,
        )
    return CropsPath(
        path=tuple(
            CropsSegmentation(
                penalty_min=float(e["penalty_min"]),
                penalty_max=float(e["penalty_max"]),
                indices=tuple(int(i) for i in e["segmentation"]["breakpoints"]),
                cost=float(e["segmentation"]["cost"]),
                n=int(e["segmentation"]["n"]),
            )
            for e in d["path"]
        ),
        searches=int(d["searches"]),
    )
