"""Plots render to PNG (look at them: set SHIFTWATCH_PLOT_DIR to keep the files) and draw what
their docstrings say: fitted trend lines for cost='linear', a label per change point (the most
significant when there are many), a legend outside the data area, times on the x axis."""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pytest
import shiftwatch

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture
def outdir(tmp_path: pathlib.Path) -> pathlib.Path:
    keep = os.environ.get("SHIFTWATCH_PLOT_DIR")
    path = pathlib.Path(keep) if keep else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(ax, outdir: pathlib.Path, name: str) -> pathlib.Path:
    path = outdir / f"{name}.png"
    ax.figure.savefig(path, dpi=90)
    assert path.stat().st_size > 5_000  # a real image, not an empty canvas
    return path


def legend_outside_axes(ax) -> bool:
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    axes = ax.get_window_extent(renderer)
    return legend.x0 >= axes.x1 - 1


def test_linear_cost_draws_fitted_lines(outdir):
    t = np.arange(300, dtype=float)
    rng = np.random.default_rng(3)
    y = np.where(t < 150, 0.05 * t, 7.5 - 0.08 * (t - 150)) + rng.normal(0, 0.3, 300)
    found = shiftwatch.detect(y, cost="linear")
    assert found.change_points, "the slope change is found"
    ax = found.plot(y)
    save(ax, outdir, "detect_linear")
    fits = [ln for ln in ax.get_lines() if ln.get_color() == "C0"]
    assert len(fits) == len(found.change_points) + 1
    for line, (a, b) in zip(fits, found.segments):
        ys = np.asarray(line.get_ydata())
        assert len(ys) == b - a
        slope, intercept = np.polyfit(np.arange(b - a), y[a:b], 1)
        np.testing.assert_allclose(ys, intercept + slope * np.arange(b - a), rtol=1e-9)
        assert np.ptp(ys) > 1.0  # sloped, not a flat mean
    assert legend_outside_axes(ax)
    plt.close(ax.figure)


def test_many_change_points_keep_labels_and_legend_off_the_data(outdir):
    rng = np.random.default_rng(5)
    levels = np.repeat(rng.choice([0.0, 6.0], size=40) + np.arange(40) % 2 * 6, 25)
    y = levels + rng.normal(0, 0.5, levels.size)
    found = shiftwatch.detect(y, min_size=5)
    n_cp = len(found.change_points)
    assert n_cp > 8
    ax = found.plot(y)
    save(ax, outdir, "detect_many")
    labels = [t for t in ax.texts if "p=" in t.get_text() or "p<" in t.get_text()]
    assert len(labels) == min(n_cp, 24)
    if n_cp > 24:
        assert f"{n_cp} change points" in ax.get_title()
    assert legend_outside_axes(ax)
    plt.close(ax.figure)


def test_step_plot_against_times(outdir):
    pd = pytest.importorskip("pandas")
    rss = shiftwatch.datasets.load_gateway_memory()["rss_mib"]
    found = shiftwatch.detect(rss)
    ax = found.plot(rss, x=rss.index)
    save(ax, outdir, "detect_times")
    first = ax.get_lines()[0].get_xdata()
    assert np.issubdtype(np.asarray(first).dtype, np.datetime64) or isinstance(
        first[0], (pd.Timestamp, np.datetime64)
    ) or float(first[0]) > 1e4  # matplotlib date numbers
    plt.close(ax.figure)


def test_multi_detection_panels_share_times(outdir):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(8)
    t = pd.date_range("2026-11-21T09:00Z", periods=240, freq="30s")
    frame = pd.DataFrame(
        {
            "rss": np.r_[rng.normal(400, 4, 120), rng.normal(430, 4, 120)],
            "cpu": np.r_[rng.normal(0.3, 0.02, 120), rng.normal(0.36, 0.02, 120)],
        },
        index=t,
    )
    found = shiftwatch.detect(frame)
    assert found.indices == [120]
    assert found.change_points[0].time == t[120]
    axes = found.plot(frame)
    save(axes[0], outdir, "detect_multi")
    for ax in axes:
        dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
        assert len(dashed) == 1
    page = found._repr_html_()
    assert "rowspan" in page and "<th>time</th>" in page and "2026-11-21 10:00:00" in page
    plt.close(axes[0].figure)
