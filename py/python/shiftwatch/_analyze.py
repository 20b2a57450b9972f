"""``shiftwatch.analyze``: the release verdict over every metric of an experiment."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from shiftwatch import _native
from shiftwatch._extras import require
from shiftwatch._flat import METRIC_COLUMNS, metric_rows, pandas_frame, polars_schema
from shiftwatch._io import _frame_columns
from shiftwatch._progress import progress_bar

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

_VERDICT_COLOURS = {
    "regression": "#c62828",
    "improvement": "#2e7d32",
    "no_change": "#607d8b",
    "inconclusive": "#ef6c00",
    "no_data": "#9e9e9e",
}


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ModuleNotFoundError as e:  # pragma: no cover - depends on the environment
        raise ModuleNotFoundError(
            "plotting needs matplotlib: pip install 'shiftwatch[plot]'"
        ) from e
    return plt


def _metric_id(m: dict[str, Any]) -> str:
    labels = m.get("labels") or {}
    if not labels:
        return str(m["metric"])
    inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
    return f"{m['metric']}{{{inner}}}"


class Report:
    """The result of :func:`analyze`: one row per metric, the rules, a summary.

    ``to_dict()`` is exactly the JSON ``shiftwatch analyze --format json`` prints. The object is
    read-only; ``str(report)`` is the CLI's table.

    Attributes:
        verdict: The overall verdict (``"regression"`` when any metric regressed or a rule fired
            for the candidate only).
        summary: The summary line.
        metrics: One dict per metric (worst first), as in the JSON.
        rules: One dict per rule and target.
    """

    __slots__ = ("_d", "_table", "_markdown", "_junit", "_html")

    def __init__(self, native: dict[str, Any]) -> None:
        object.__setattr__(self, "_d", native["report"])
        object.__setattr__(self, "_table", native["table"])
        object.__setattr__(self, "_markdown", native["markdown"])
        object.__setattr__(self, "_junit", native["junit"])
        object.__setattr__(self, "_html", native["html"])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Report is read-only")

    @property
    def verdict(self) -> str:
        return str(self._d["summary"]["verdict"])

    @property
    def summary(self) -> str:
        return str(self._d["summary"]["line"])

    @property
    def metrics(self) -> list[dict[str, Any]]:
        return list(self._d["metrics"])

    @property
    def rules(self) -> list[dict[str, Any]]:
        return list(self._d["rules"])

    @property
    def markdown(self) -> str:
        """The report as a pull-request comment (``--format markdown``)."""
        return str(self._markdown)

    @property
    def junit(self) -> str:
        """The report as JUnit XML (``--format junit``)."""
        return str(self._junit)

    def to_html(self) -> str:
        """The report as one self-contained HTML page, the same bytes as ``--format html``.

        Inline CSS and SVG only (nothing is loaded when it is opened): the summary, the verdict
        table, a forest plot of the effects, each metric's series (when the report was made with
        ``series=True``), the rules timeline and the data notes.

        Examples:
        >>> import shiftwatch
        >>> data = shiftwatch.read(shiftwatch.datasets.path("gateway_ttfb.csv"))
        >>> r = shiftwatch.analyze(data, baseline="baseline", candidate="candidate")
        >>> r.to_html()[:15]
        '<!DOCTYPE html>'
        """
        return str(self._html.page())

    def to_dict(self) -> dict[str, Any]:
        """The report as plain Python objects, equal to the CLI's JSON.

        Examples:
        >>> import shiftwatch
        >>> data = shiftwatch.read(shiftwatch.datasets.path("gateway_ttfb.csv"))
        >>> r = shiftwatch.analyze(data, baseline="baseline", candidate="candidate")
        >>> sorted(r.to_dict())[:3]
        ['inputs', 'metrics', 'mode']
        """
        import copy

        return copy.deepcopy(self._d)

    def metric(self, name: str) -> dict[str, Any]:
        """The row of one metric, by name or ``name{label="v"}`` identity.

        Raises:
            KeyError: No metric, or several, match ``name``.

        Examples:
        >>> import shiftwatch
        >>> data = shiftwatch.read(shiftwatch.datasets.path("gateway_ttfb.csv"))
        >>> r = shiftwatch.analyze(data, baseline="baseline", candidate="candidate")
        >>> r.metric("gateway_ttfb")["metric"]
        'gateway_ttfb'
        """
        rows = [m for m in self._d["metrics"] if name in (m["metric"], _metric_id(m))]
        if len(rows) != 1:
            known = ", ".join(_metric_id(m) for m in self._d["metrics"][:12])
            what = "no metric" if not rows else f"{len(rows)} metrics"
            raise KeyError(f"{what} named {name!r}; metrics: {known}")
        return dict(rows[0])

    def _rows(self) -> list[dict[str, Any]]:
        return metric_rows(self._d)

    def to_polars(self) -> pl.DataFrame:
        """One row per metric (verdict, effect, interval, p-values, reason).

        Examples:
        >>> import shiftwatch
        >>> data = shiftwatch.read(shiftwatch.datasets.path("gateway_ttfb.csv"))
        >>> r = shiftwatch.analyze(data, baseline="baseline", candidate="candidate")
        >>> r.to_polars()["metric"].to_list()
        ['gateway_ttfb']
        """
        pl = require("polars", "frames")

        return pl.DataFrame(self._rows(), schema=polars_schema(METRIC_COLUMNS))

    def to_pandas(self) -> pd.DataFrame:
        """One row per metric, as :meth:`to_polars`, built with pandas alone.

        Examples:
        >>> import shiftwatch
        >>> data = shiftwatch.read(shiftwatch.datasets.path("gateway_ttfb.csv"))
        >>> r = shiftwatch.analyze(data, baseline="baseline", candidate="candidate")
        >>> r.to_pandas()["metric"].tolist()
        ['gateway_ttfb']
        """
        return pandas_frame(METRIC_COLUMNS, self._rows())

    def __str__(self) -> str:
        return str(self._table)

    def __repr__(self) -> str:
        return f"<shiftwatch.Report {self.summary}>"

    def _repr_html_(self) -> str:
        return str(self._html.fragment())

    def plot(self, ax: Any = None) -> Any:
        """Forest plot: each metric's relative effect with its interval and ± margin.

        Returns:
            The matplotlib ``Axes``.

        Examples:
        >>> import shiftwatch
        >>> data = shiftwatch.read(shiftwatch.datasets.path("gateway_ttfb.csv"))
        >>> r = shiftwatch.analyze(data, baseline="baseline", candidate="candidate")
        >>> r.plot()  # doctest: +SKIP
        """
        plt = _pyplot()
        rows = [
            m
            for m in self._d["metrics"]
            if m.get("effect") and m["effect"].get("ci_relative") is not None
        ]
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 0.45 * max(len(rows), 2) + 1))
        for i, m in enumerate(reversed(rows)):
            e = m["effect"]
            lo, hi = (100 * v for v in e["ci_relative"])
            colour = _VERDICT_COLOURS.get(m["verdict"], "black")
            margin = 100 * (e.get("margin") or 0.0)
            ax.axhspan(i - 0.4, i + 0.4, xmin=0, xmax=1, color="none")
            ax.plot([-margin, margin], [i, i], color="#cfd8dc", lw=8, solid_capstyle="butt")
            ax.plot([lo, hi], [i, i], color=colour, lw=2)
            ax.plot([100 * e["relative"]], [i], "o", color=colour)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([_metric_id(m)[:48] for m in reversed(rows)], fontsize=8)
        ax.set_xlabel("relative effect, % (grey band: margin)")
        ax.set_title(self.summary[:90], fontsize=9)
        return ax

    def plot_metric(self, name: str, ax: Any = None) -> Any:
        """Baseline and candidate series of one metric over time: replicas thin, change points
        dashed, warm-up shaded, rule breaches marked. Drawn from the report's own series
        (``to_dict()["series"]``, the data of the HTML report's small multiples).

        Returns:
            The matplotlib ``Axes``.

        Raises:
            ValueError: The report was made with ``series=False``.

        Examples:
        >>> import shiftwatch
        >>> data = shiftwatch.read(shiftwatch.datasets.path("gateway_ttfb.csv"))
        >>> r = shiftwatch.analyze(data, baseline="baseline", candidate="candidate")
        >>> r.plot_metric("gateway_ttfb")  # doctest: +SKIP
        """
        import datetime as dt

        m = self.metric(name)
        all_series = self._d.get("series")
        if all_series is None:
            raise ValueError("this report has no series: analyze with series=True to plot one")
        lines = next(
            s["lines"]
            for s in all_series
            if s["metric"] == m["metric"] and s["labels"] == m["labels"]
        )
        plt = _pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 3.5))

        def when(t: float) -> dt.datetime:
            return dt.datetime.fromtimestamp(t, tz=dt.timezone.utc)

        colours = {"baseline": "#1565c0", "candidate": "#c2185b"}
        for line in lines:
            ax.plot(
                [when(t) for t in line["t"]],
                [float("nan") if v is None else v for v in line["v"]],
                lw=0.8,
                alpha=0.8,
                color=colours.get(line["role"], "grey"),
                label=f"{line['target']} ({line['role']})",
            )
        ends = [line["warmup_end"] for line in lines if line["warmup_end"] is not None]
        starts = [line["t"][0] for line in lines if line["t"]]
        if ends and starts:
            ax.axvspan(when(min(starts)), when(max(ends)), color="#eeeeee", zorder=0)
        for cp in m["change_points"]:
            at = dt.datetime.fromisoformat(cp["time"].replace("Z", "+00:00"))
            ax.axvline(at, ls="--", lw=1, color=colours.get(cp["role"], "black"))
        for r in self._d["rules"]:
            if r.get("fired_at") and r["metric"] == m["metric"]:
                at = dt.datetime.fromisoformat(r["fired_at"].replace("Z", "+00:00"))
                ax.axvline(at, color="#6a1b9a", lw=1.5, alpha=0.6)
        ax.set_title(f"{_metric_id(m)}: {m['verdict']}", fontsize=9)
        ax.legend(fontsize=7, loc="upper left", ncol=2, framealpha=0.6)
        return ax


def analyze(
    data: Any,
    baseline: str | None = None,
    candidate: str | None = None,
    mode: str | None = None,
    *,
    deploy_at: str | None = None,
    config: str | os.PathLike[str] | None = None,
    preset: str | None = None,
    alpha: float = 0.05,
    correction: str = "bh",
    warmup: str = "5m",
    step: str | None = None,
    seed: int = 0,
    series: bool = True,
    progress: bool | None = None,
) -> Report:
    """Analyses an experiment: one verdict per metric, with effect, interval and p-values.

    The same engine and options as ``shiftwatch analyze`` (see its ``--help``).

    Args:
        data: A path, a list of paths (formats may mix), a tidy pandas/polars DataFrame
            (``timestamp, metric, target, labels, kind, value`` as :func:`shiftwatch.read`
            returns, optionally with a ``role`` column), or a live
            :class:`shiftwatch.Prometheus` source (its queries plus the config's
            ``[[queries]]``; ``step`` is also its resolution when the source sets none).
        baseline: Glob over target names selecting the baseline (e.g. ``"kubo-base-*"``).
        candidate: Glob over target names selecting the candidate.
        mode: ``"paired"``, ``"deploy"`` or ``"history"`` (default: chosen from the data).
        deploy_at: Deploy time (RFC 3339), deploy mode.
        config: A ``shiftwatch.toml`` file with ``[[metrics]]`` and ``[[rules]]``.
        preset: ``"kubo"`` for the Kubo launch blockers and metric policies.
        alpha: Significance level.
        correction: ``"bh"``, ``"by"``, ``"holm"``, ``"bonferroni"`` or ``"none"``.
        warmup: Warm-up trimmed from each series' start (and after a deploy).
        step: Grid step (default: per metric, the coarsest scrape interval).
        seed: Seed recorded in the report.
        series: Keep each metric's series, downsampled for figures (``to_dict()["series"]``,
            :meth:`Report.plot_metric`, the small multiples of :meth:`Report.to_html`); the CLI's
            ``--series``. ``False`` makes ``to_dict()`` equal the CLI's plain JSON.
        progress: A tqdm bar over the metrics (``None``: when tqdm is installed and the session
            is interactive; ``False``: never). Ctrl-C stops the analysis either way.

    Returns:
        A :class:`Report`.

    Raises:
        ValueError: Selectors that match nothing, bad options, malformed input (the message
            names file, line and column).
        OSError: A file cannot be read.

    Examples:
        >>> import numpy as np, polars as pl, shiftwatch
        >>> rng = np.random.default_rng(1)
        >>> t = pl.datetime_range(pl.datetime(2026, 1, 1), pl.datetime(2026, 1, 1, 2),
        ...                       "1m", eager=True)
        >>> rows = [pl.DataFrame({"timestamp": t, "metric": "latency_seconds", "target": name,
        ...                       "value": level * (1 + 0.01 * rng.standard_normal(len(t)))})
        ...         for name, level in [("old-1", 0.20), ("new-1", 0.23)]]
        >>> r = shiftwatch.analyze(pl.concat(rows), baseline="old-*", candidate="new-*")
        >>> r.verdict, r.metric("latency_seconds")["effect"]["statistic"]
        ('regression', 'mean')
    """
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise TypeError("alpha must be a number")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise TypeError("seed must be a non-negative integer")
    options = {
        "mode": mode,
        "baseline": baseline,
        "candidate": candidate,
        "deploy_at": deploy_at,
        "config": None if config is None else os.fspath(config),
        "preset": preset,
        "alpha": float(alpha),
        "correction": correction,
        "warmup": warmup,
        "step": step,
        "seed": seed,
        "series": bool(series),
    }
    from shiftwatch._prometheus import Prometheus

    if isinstance(data, Prometheus):
        with progress_bar(progress, "analyze metrics") as update:
            native = _native.analyze_prometheus(*data._native_args(step), options, update)
        return Report(native)
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    if isinstance(data, Sequence) and not isinstance(data, (bytes, bytearray)):
        paths = [os.fspath(p) for p in data]
        if not paths:
            raise ValueError("no input: give a path, a list of paths or a tidy DataFrame")
        with progress_bar(progress, "analyze metrics") as update:
            return Report(_native.analyze_paths(paths, options, update))
    c = _frame_columns(data)
    with progress_bar(progress, "analyze metrics") as update:
        native = _native.analyze_columns(
            c["metric"],
            c["target"],
            c["labels"],
            c["kind"],
            c["role"],
            c["series"],
            c["timestamp_ms"],
            c["value"],
            options,
            update,
        )
    return Report(native)
