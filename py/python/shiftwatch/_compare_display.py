"""Notebook display of a comparison: an HTML table and a two-panel matplotlib plot."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from shiftwatch._extras import require

__all__ = ["comparison_html", "plot_comparison"]


def _num(v: float) -> str:
    return f"{v:.4g}"


def comparison_html(res: Any) -> str:
    """The comparison as an HTML table: the effect (absolute and relative, with intervals),
    the p-value, the method, and per sample n, effective n, lag-1 autocorrelation and mean."""
    level = f"{(1.0 - res.alpha):.0%}"
    lo_a, hi_a = res.ci_absolute
    lo_r, hi_r = res.ci_relative
    verdict = "significant" if res.significant else "not significant"
    paired = f", paired by {html.escape(str(res.paired))}" if res.paired else ""
    rows = [
        ("absolute effect (candidate − baseline)",
         f"{res.absolute:+.4g} &nbsp; {level} CI [{lo_a:+.4g}, {hi_a:+.4g}]"),
        ("relative effect", f"{res.relative:+.2%} &nbsp; {level} CI [{lo_r:+.2%}, {hi_r:+.2%}]"),
        ("p-value", f"{res.pvalue:.3g} ({verdict} at α = {res.alpha:g}, {res.alternative})"),
        ("method", f"{html.escape(res.method)} on the {html.escape(res.location)}{paired}"),
    ]
    body = "".join(
        f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left' colspan='2'>"
        f"{v}</td></tr>"
        for k, v in rows
    )
    samples = "".join(
        f"<tr><th style='text-align:left'>{name}</th><td>{s.n}</td><td>{s.n_effective:.1f}</td>"
        f"<td>{s.lag1:.2f}</td><td>{_num(s.mean)}</td><td>{_num(s.median)}</td>"
        f"<td>{_num(s.sd)}</td></tr>"
        for name, s in (("baseline", res.baseline), ("candidate", res.candidate))
    )
    head = "".join(
        f"<th>{h}</th>" for h in ("", "n", "effective n", "lag-1 r", "mean", "median", "sd")
    )
    return (
        "<table><caption>shiftwatch.compare</caption>"
        f"{body}</table><table>"
        f"<tr>{head}</tr>{samples}</table>"
    )


def _values_and_x(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """The sample's values and its x positions: a pandas/polars index of times when it has
    one, else ``0..n-1``."""
    index = getattr(values, "index", None)
    y = np.asarray(values, dtype=np.float64).ravel()
    if index is not None and len(index) == len(y) and type(index).__name__ != "RangeIndex":
        x = np.asarray(index)
        if x.dtype.kind in "Mfiu" or x.dtype == object:
            return y, x
    return y, np.arange(len(y))


def plot_comparison(
    res: Any,
    baseline: ArrayLike,
    candidate: ArrayLike,
    *,
    axes: Any = None,
) -> Any:
    """Two panels: both samples over time with their means, and the effect with its interval.

    Left: the baseline and candidate series (against their time index when they are pandas
    Series with one), each with its mean as a line and a band for the interval of that mean
    computed with its effective n (``mean ± t·sd/√n_eff``, for display only). Right: the
    absolute effect (candidate − baseline) with its confidence interval and a line at 0,
    annotated with the relative effect and the p-value.

    Args:
        res: The :class:`~shiftwatch.Comparison` of these samples.
        baseline: The baseline values given to :func:`shiftwatch.compare`.
        candidate: The candidate values.
        axes: Two matplotlib Axes to draw on (default: a new figure).

    Returns:
        The two ``Axes``.
    """
    plt = require("matplotlib.pyplot", "plot")
    from shiftwatch import _native

    if axes is None:
        _, axes = plt.subplots(
            1, 2, figsize=(11, 3.4), width_ratios=(3, 1), layout="constrained"
        )
    ax_series, ax_effect = axes
    level = 1.0 - res.alpha
    for i, (name, values, summary) in enumerate(
        (("baseline", baseline, res.baseline), ("candidate", candidate, res.candidate))
    ):
        y, x = _values_and_x(values)
        color = f"C{i}"
        ax_series.plot(x, y, lw=0.7, color=color, alpha=0.8, label=f"{name} (n={summary.n})")
        n_eff = max(summary.n_effective, 2.0)
        half = _native.t_ppf(0.5 + level / 2.0, n_eff - 1.0) * summary.sd / np.sqrt(n_eff)
        ok = np.isfinite(y)
        x0, x1 = x[ok][0], x[ok][-1]
        ax_series.hlines(summary.mean, x0, x1, color=color, lw=2)
        ax_series.fill_between(
            [x0, x1], summary.mean - half, summary.mean + half, color=color, alpha=0.2,
            label=f"{name} mean, {level:.0%} CI (n_eff={summary.n_effective:.0f})",
        )
    ax_series.set_title("samples over time", fontsize=9)
    ax_series.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=2, fontsize=8,
                     frameon=False)
    lo, hi = res.ci_absolute
    ax_effect.errorbar(
        [0], [res.absolute], yerr=[[res.absolute - lo], [hi - res.absolute]], fmt="o",
        color="C3", capsize=6,
    )
    ax_effect.axhline(0.0, color="0.4", lw=0.8, ls="--")
    ax_effect.set_xlim(-1, 1)
    ax_effect.set_xticks([])
    ax_effect.set_title("candidate − baseline", fontsize=9)
    ax_effect.annotate(
        f"{res.relative:+.1%}\n[{res.ci_relative[0]:+.1%}, {res.ci_relative[1]:+.1%}]\n"
        f"p = {res.pvalue:.2g}",
        (0.1, res.absolute), xytext=(8, 0), textcoords="offset points", va="center",
        fontsize=8,
    )
    return axes
