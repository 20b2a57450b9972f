"""Notebook display of change-point results: an HTML table and a matplotlib plot."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Protocol, Sequence

import numpy as np
from numpy.typing import ArrayLike

from shiftwatch._extras import require

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes



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


class Segmented:
    """What every change-point result shares: ``indices`` and ``segments`` of its
    ``change_points`` over ``n`` values."""

    change_points: tuple[Any, ...]
    n: int

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
        """Plots the series, each segment's mean as a step line, and a dashed line at each
        change point, labelled with its kind and p-value when there are at most 8 (needs
        matplotlib).

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


def detection_html(d: _HasChangePoints, caption: str) -> str:
    """An HTML table of the change points (index, kind, levels, p-values) under a caption."""
    head = "".join(
        f"<th>{h}</th>"
        for h in ("index", "kind", "before", "after", "change", "p-value", "Holm p")
    )
    rows = "".join(
        "<tr>"
        f"<td>{c.index}</td><td>{html.escape(c.kind)}</td><td>{_fmt(c.before)}</td>"
        f"<td>{_fmt(c.after)}</td><td>{c.magnitude:+.4g}</td><td>{c.p_value:.2g}</td>"
        f"<td>{c.p_adjusted:.2g}</td></tr>"
        for c in d.change_points
    )
    if not rows:
        rows = '<tr><td colspan="7">no change point</td></tr>'
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<tr>{head}</tr>{rows}</table>"
    )


def plot_detection(
    d: _HasChangePoints,
    values: ArrayLike,
    *,
    x: Sequence[Any] | ArrayLike | None = None,
    ax: Axes | None = None,
    label: str | None = None,
) -> Axes:
    """The series, each segment's mean as a step line, and a dashed line at each change point
    (labelled with its kind and Holm-adjusted p-value when there are at most 8).

    Args:
        d: A detection over ``values``.
        values: The values that were segmented (same length as ``d.n``).
        x: Positions or times to plot against (default ``0..n-1``).
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
    xs = np.arange(d.n) if x is None else np.asarray(x)
    if len(xs) != d.n:
        raise ValueError(f"x has {len(xs)} elements, the detection covers {d.n}")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3))
    ax.plot(xs, y, lw=0.8, color="0.45", label=label or "values")
    bounds = [0, *(c.index for c in d.change_points), d.n]
    for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        ax.hlines(
            y[a:b].mean(), xs[a], xs[b - 1], colors="C0", lw=2,
            label="segment mean" if i == 0 else "_nolegend_",
        )
    label_each = len(d.change_points) <= 8  # beyond that the labels overlap
    for c in d.change_points:
        ax.axvline(xs[c.index], color="C3", ls="--", lw=1)
        if not label_each:
            continue
        ax.annotate(
            f"{c.kind}\np={c.p_adjusted:.1g}", (xs[c.index], 1.0),
            xycoords=("data", "axes fraction"), va="top", fontsize=8, color="C3",
        )
    ax.legend(loc="lower right", fontsize=8)
    return ax
