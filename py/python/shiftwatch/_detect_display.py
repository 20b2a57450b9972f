"""Notebook display of change-point results: an HTML table and a matplotlib plot."""

from __future__ import annotations

import dataclasses
import html
from typing import TYPE_CHECKING, Any, Protocol, Sequence, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from shiftwatch._extras import require
from shiftwatch._frames import table, time_at

if TYPE_CHECKING:  # pragma: no cover
    import polars
    from matplotlib.axes import Axes

_R = TypeVar("_R")



class _ChangeLike(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def before(self) -> float: ...
    @property
    def after(self) -> float: ...
    @property
    def magnitude(self) -> float: ...
    @property
    def p_value(self) -> float: ...
    @property
    def p_adjusted(self) -> float: ...


class _HasChangePoints(Protocol):
    @property
    def change_points(self) -> Sequence[_ChangeLike]: ...

    @property
    def n(self) -> int: ...


class Timed:
    """A change point's ``time``: the time of its first new value when the input of
    :func:`shiftwatch.detect` had a time axis (pandas ``DatetimeIndex``, polars datetime
    column, tidy ``timestamp``), else ``None``; and ``pvalue``, the attribute spelling shared
    with every other result."""

    @property
    def time(self) -> Any:
        """Time of ``index`` in the input's time axis, or ``None`` without one."""
        return getattr(self, "_time", None)

    @property
    def pvalue(self) -> float:
        """``p_value`` under the attribute spelling of every other shiftwatch result (scipy's
        ``pvalue``; see the README's Conventions)."""
        return float(getattr(self, "p_value"))


def with_times(result: _R, times: Any) -> _R:
    """Attaches the input's time axis to a result and its change points (``None``: none).

    Times are kept beside the fields, not in them, so ``to_dict()`` stays the engine's JSON.
    """
    if times is None:
        return result
    object.__setattr__(result, "_times", times)
    for c in getattr(result, "change_points", ()):
        object.__setattr__(c, "_time", time_at(times, c.index))
    return result


class Segmented:
    """What every change-point result shares: ``indices`` and ``segments`` of its
    ``change_points`` over ``n`` values, their ``times`` when the input had a time axis, and
    the change points as a table (``to_pandas()``, ``to_polars()``)."""

    change_points: tuple[Any, ...]
    n: int

    @property
    def times(self) -> Any:
        """The input's time axis (a pandas ``DatetimeIndex`` or a polars datetime Series, one
        time per value), or ``None`` when the input had none."""
        return getattr(self, "_times", None)

    @property
    def change_times(self) -> list[Any]:
        """The time of each change point (``None`` entries without a time axis)."""
        return [getattr(c, "_time", None) for c in self.change_points]

    def _table(self) -> dict[str, list[Any]]:
        """One row per change point (per change point and column for several columns):
        ``index``, ``time`` when known, then the change point's fields."""
        rows: list[dict[str, Any]] = []
        for c in self.change_points:
            fields = {
                f.name: getattr(c, f.name) for f in dataclasses.fields(c) if f.name != "dims"
            }
            dims = getattr(c, "dims", None)
            if dims is None:
                rows.append(fields)
                continue
            for dim in dims:
                row = {"index": c.index}
                row.update({f.name: getattr(dim, f.name) for f in dataclasses.fields(dim)})
                row["p_adjusted"] = c.p_adjusted
                rows.append(row)
        names = list(rows[0]) if rows else ["index"]
        table = {name: [r.get(name) for r in rows] for name in names}
        if self.times is not None:
            table = {"index": table.pop("index"), "time": self.change_times, **table}
        return table

    def _polars(self, schema: dict[str, str]) -> polars.DataFrame:
        """The :meth:`_table` as polars with the given column types (by polars name), plus
        ``time`` after ``index`` when the input had a time axis."""
        pl = require("polars", "frames")
        cols = self._table()
        frame = pl.DataFrame(
            {k: cols.get(k, []) for k in schema}, schema={k: getattr(pl, v) for k, v in
                                                        schema.items()}
        )
        if self.times is not None:
            frame = frame.insert_column(1, pl.Series("time", self.change_times))
        return cast("polars.DataFrame", frame)

    def to_pandas(self) -> Any:
        """The change points as a pandas DataFrame (pandas alone: no polars, no pyarrow).

        Returns:
            One row per change point (per change point and column for several columns), with
            a ``time`` column when the input had a time axis.

        Examples:
            >>> import shiftwatch
            >>> noise = [0.0, 0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.0] * 4
            >>> x = noise + [2.0 + e for e in noise]
            >>> shiftwatch.detect(x).to_pandas()[["index", "kind"]].values.tolist()
            [[32, 'step']]
        """
        return table(self._table(), "pandas")

    @property
    def indices(self) -> list[int]:
        """0-based index of the first sample of each new segment (ruptures' breakpoints
        without the trailing ``n``)."""
        return [c.index for c in self.change_points]

    @property
    def segments(self) -> list[tuple[int, int]]:
        """Half-open ``(start, end)`` ranges covering ``0..n``."""
        bounds = [0, *self.indices, self.n]
        return list(zip(bounds[:-1], bounds[1:]))


class Plottable(Segmented):
    """A one-series result: also ``plot(values)``."""

    def plot(
        self, values: ArrayLike, *, x: Any = None, ax: Axes | None = None,
        label: str | None = None,
    ) -> Axes:
        """Plots the series, each segment's fit (mean, or fitted line for ``cost='linear'``)
        and a dashed line at each change point labelled with its kind and p-value (needs
        matplotlib; see :func:`plot_detection`).

        Args:
            values: The values that were segmented.
            x: Positions or times to plot against (e.g. a pandas index; default ``0..n-1``).
            ax: Axes to draw on (default: a new figure).
            label: Legend label of the series.

        Returns:
            The matplotlib ``Axes``.

        Raises:
            ValueError: ``values`` or ``x`` does not have ``n`` elements.
        """
        return plot_detection(self, values, x=x, ax=ax, label=label)


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def _time_text(times: Any, index: int) -> str:
    value = times[index]
    text = str(value.item() if isinstance(value, np.generic) else value)
    return html.escape(text)


def detection_html(d: _HasChangePoints, caption: str) -> str:
    """An HTML table of the change points (index, time when the input had a time axis, kind,
    levels, p-values) under a caption."""
    times = getattr(d, "times", None)
    heads = ["index", *(["time"] if times is not None else []), "kind", "before", "after",
             "change", "p-value", "Holm p"]
    head = "".join(f"<th>{h}</th>" for h in heads)
    rows = "".join(
        "<tr>"
        f"<td>{c.index}</td>"
        + (f"<td>{_time_text(times, c.index)}</td>" if times is not None else "")
        + f"<td>{html.escape(c.kind)}</td><td>{_fmt(c.before)}</td>"
        f"<td>{_fmt(c.after)}</td><td>{c.magnitude:+.4g}</td><td>{c.p_value:.2g}</td>"
        f"<td>{c.p_adjusted:.2g}</td></tr>"
        for c in d.change_points
    )
    if not rows:
        rows = f'<tr><td colspan="{len(heads)}">no change point</td></tr>'
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<tr>{head}</tr>{rows}</table>"
    )


# At most this many change points are labelled; beyond it the most significant ones are, and
# the title says how many of how many.
MAX_LABELS = 24
_LABEL_ROWS = 4  # labels cycle through this many heights so neighbours do not overlap


def _segment_fits(
    y: NDArray[np.float64], bounds: Sequence[int], cost: str
) -> list[NDArray[np.float64]]:
    """Each segment's fitted values: its least-squares line for ``cost='linear'`` (the trend
    model the search used), else its mean."""
    fits = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        seg = y[a:b]
        if cost == "linear" and b - a >= 2:
            t = np.arange(b - a, dtype=np.float64)
            slope, intercept = np.polyfit(t, seg, 1)
            fits.append(intercept + slope * t)
        else:
            fits.append(np.full(b - a, seg.mean()))
    return fits


def _p_text(p: float) -> str:
    """``p=3e-05``; a p-value that underflowed to 0 is written as a bound, not as 0."""
    return "p<1e-300" if p == 0 else f"p={p:.1g}"


def _labelled(d: _HasChangePoints) -> set[int]:
    """Indices of the change points to label: all, or the :data:`MAX_LABELS` smallest
    adjusted p-values."""
    cps = list(d.change_points)
    if len(cps) <= MAX_LABELS:
        return {c.index for c in cps}
    ranked = sorted(cps, key=lambda c: (c.p_adjusted, c.index))
    return {c.index for c in ranked[:MAX_LABELS]}


def plot_detection(
    d: _HasChangePoints,
    values: ArrayLike,
    *,
    x: Sequence[Any] | ArrayLike | None = None,
    ax: Axes | None = None,
    label: str | None = None,
) -> Axes:
    """The series, each segment's fit (its mean; its fitted line for ``cost='linear'``) and a
    dashed line at each change point labelled, above the axes, with its kind and Holm-adjusted
    p-value. With many change points the labels alternate between four heights; with more
    than :data:`MAX_LABELS` change points the most significant are labelled and the title
    says so. The legend sits outside the axes, so it
    never covers data. The x axis shows the result's ``times`` when it has them.

    Args:
        d: A detection over ``values``.
        values: The values that were segmented (same length as ``d.n``).
        x: Positions or times to plot against (default: the result's ``times`` if any, else
            ``0..n-1``).
        ax: Axes to draw on (default: a new figure).
        label: Legend label of the series.

    Returns:
        The matplotlib ``Axes``.

    Raises:
        ValueError: ``values`` (or ``x``) does not have ``d.n`` elements.
    """
    plt = require("matplotlib.pyplot", "plot")

    y = np.asarray(values, dtype=np.float64).ravel()
    if y.size != d.n:
        raise ValueError(f"values has {y.size} elements, the detection covers {d.n}")
    if x is None:
        x = getattr(d, "times", None)
    xs = np.arange(d.n) if x is None else np.asarray(x)
    if len(xs) != d.n:
        raise ValueError(f"x has {len(xs)} elements, the detection covers {d.n}")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.2), layout="constrained")
    ax.plot(xs, y, lw=0.8, color="0.45", label=label or "values")
    cost = str(getattr(d, "cost", "l2"))
    bounds = [0, *(c.index for c in d.change_points), d.n]
    fit_label = "segment trend (fitted line)" if cost == "linear" else "segment mean"
    for i, (a, fit) in enumerate(zip(bounds[:-1], _segment_fits(y, bounds, cost))):
        ax.plot(
            xs[a:a + len(fit)], fit, color="C0", lw=2,
            label=fit_label if i == 0 else "_nolegend_",
        )
    shown = _labelled(d)
    labelled = 0
    kinds = sorted({c.kind for c in d.change_points})
    one_kind = len(kinds) == 1  # then the legend names the kind and labels are shorter
    for k, c in enumerate(d.change_points):
        ax.axvline(
            xs[c.index], color="C3", ls="--", lw=1,
            label=(f"change point ({kinds[0]})" if one_kind else "change point")
            if k == 0 else "_nolegend_",
        )
        if c.index not in shown:
            continue
        # Above the axes, in rows that cycle, so labels cover neither the data nor each other.
        row = labelled % _LABEL_ROWS if len(shown) > 6 else 0
        labelled += 1
        ax.annotate(
            _p_text(c.p_adjusted) if one_kind else f"{c.kind} {_p_text(c.p_adjusted)}",
            (xs[c.index], 1.0),
            xycoords=("data", "axes fraction"), va="bottom", ha="center", fontsize=7,
            color="C3", xytext=(0, 2 + 9 * row), textcoords="offset points",
            annotation_clip=False,
        )
    n_cp = len(d.change_points)
    rows_used = min(_LABEL_ROWS, len(shown)) if len(shown) > 6 else min(1, len(shown))
    if n_cp > len(shown):
        ax.set_title(
            f"{n_cp} change points; the {len(shown)} most significant labelled",
            fontsize=9, pad=6 + 9 * rows_used,
        )
    elif rows_used:
        ax.set_title(" ", fontsize=9, pad=6 + 9 * rows_used)  # room for the labels
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)
    return ax


def crops_html(path: Any) -> str:
    """An HTML table of a CROPS path: one row per segmentation (penalty range, number of
    change points, cost, first indices)."""
    head = "".join(
        f"<th>{h}</th>" for h in ("penalty from", "penalty to", "changes", "cost", "indices")
    )
    rows = []
    for s in path.path:
        idx = ", ".join(str(i) for i in s.indices[:12])
        if len(s.indices) > 12:
            idx += f", … ({len(s.indices)})"
        rows.append(
            f"<tr><td>{_fmt(s.penalty_min)}</td><td>{_fmt(s.penalty_max)}</td>"
            f"<td>{len(s.indices)}</td><td>{_fmt(s.cost)}</td><td>{idx}</td></tr>"
        )
    caption = f"CROPS path: {len(path.path)} segmentations, {path.searches} searches"
    return f"<table><caption>{caption}</caption><tr>{head}</tr>{''.join(rows)}</table>"


def multi_detection_html(d: Any) -> str:
    """An HTML table of a multi-column detection: one row per change point and column."""
    times = getattr(d, "times", None)
    heads = ["index", *(["time"] if times is not None else []), "column", "before", "after",
             "change", "z", "p-value", "Holm p"]
    head = "".join(f"<th>{h}</th>" for h in heads)
    rows = []
    for c in d.change_points:
        for j, dim in enumerate(c.dims):
            first = j == 0
            span = f' rowspan="{len(c.dims)}"'
            when = f"<td{span}>{_time_text(times, c.index)}</td>" if times is not None else ""
            rows.append(
                "<tr>"
                + (f"<td{span}>{c.index}</td>{when}" if first else "")
                + f"<td>{html.escape(str(dim.column))}</td><td>{_fmt(dim.before)}</td>"
                f"<td>{_fmt(dim.after)}</td><td>{dim.magnitude:+.4g}</td><td>{dim.z:.3g}</td>"
                f"<td>{dim.p_value:.2g}</td>"
                + (f"<td{span}>{c.p_adjusted:.2g}</td>" if first else "")
                + "</tr>"
            )
    if not rows:
        rows.append(f'<tr><td colspan="{len(heads)}">no change point</td></tr>')
    cols = ", ".join(html.escape(str(c)) for c in d.columns)
    caption = (
        f"{len(d.change_points)} change point(s) shared by {d.d} columns ({cols}), n = {d.n}; "
        f"{html.escape(d.method)}/{html.escape(d.cost)}, penalty {html.escape(str(d.penalty))}"
    )
    return f"<table><caption>{caption}</caption><tr>{head}</tr>{''.join(rows)}</table>"
