"""Times, not row numbers: a time axis given to detect survives into the result (``times``,
each change point's ``time``, tables, plots); tidy frames need a series chosen; paired compare
aligns pandas Series on the index; Comparison HTML and plot."""

from __future__ import annotations

import numpy as np
import pytest
import shiftwatch
from shiftwatch import datasets

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")


def test_pandas_datetime_index_gives_change_times():
    rss = datasets.load_gateway_memory()["rss_mib"]
    found = shiftwatch.detect(rss)
    assert found.times.equals(rss.index)
    first = found.change_points[0]
    assert first.index == 240 and first.time == rss.index[240]
    assert found.change_times[0] == pd.Timestamp("2026-11-21T11:00:00Z")
    table = found.to_pandas()
    assert list(table.columns[:2]) == ["index", "time"]
    assert table["time"].iloc[0] == rss.index[240]
    assert found.to_polars()["time"].dtype == pl.Datetime("us", "UTC") or str(
        found.to_polars()["time"].dtype
    ).startswith("Datetime")
    assert "2026-11-21 11:00:00" in found._repr_html_()


def test_polars_datetime_column_is_the_time_axis_not_a_value():
    mem = datasets.load_gateway_memory(library="polars")
    found = shiftwatch.detect(mem)
    assert type(found).__name__ == "Detection"  # one value column, not two
    assert found.times.dtype == pl.Datetime("ms", "UTC")
    assert found.change_points[0].time.isoformat().startswith("2026-11-21T11:00:00")


def test_pandas_frame_with_a_timestamp_column():
    mem = datasets.load_gateway_memory().reset_index()
    found = shiftwatch.detect(mem)
    assert found.change_points[0].time == pd.Timestamp("2026-11-21T11:00:00Z")


@pytest.mark.parametrize("library", ["polars", "pandas"])
def test_tidy_frame_needs_a_series_chosen_and_keeps_its_timestamps(library):
    path = datasets.path("gateway_ttfb.csv")
    tidy = shiftwatch.read(path, library=library)  # wide CSV → targets baseline, candidate
    with pytest.raises(ValueError, match="holds 2 series"):
        shiftwatch.detect(tidy)
    one = shiftwatch.detect(tidy, target="candidate")
    assert one.n == 478 and one.times is not None
    with pytest.raises(TypeError, match="tidy frame"):
        shiftwatch.detect(np.arange(10.0), metric="x")


def test_detect_refuses_fractional_integer_arguments():
    x = np.r_[np.zeros(20), np.ones(20)]
    for kwargs in ({"min_size": 1.5}, {"method": "edivisive", "permutations": 9.5},
                   {"method": "edivisive", "seed": 1.5}):
        with pytest.raises(ValueError, match="whole number"):
            shiftwatch.detect(x, **kwargs)
    with pytest.raises(ValueError, match="whole number"):
        shiftwatch.crops(x, 1.0, 10.0, min_size=2.5)
    assert shiftwatch.detect(x, min_size=5.0).min_size == 5


def test_paired_compare_aligns_pandas_series_on_the_index():
    ttfb = datasets.load_gateway_ttfb().dropna()
    b, c = ttfb["baseline"], ttfb["candidate"]
    aligned = shiftwatch.compare(b, c, paired="difference")
    shuffled = c.sample(frac=1.0, random_state=1)
    assert shiftwatch.compare(b, shuffled, paired="difference").to_dict() == aligned.to_dict()
    # By position the answer would differ silently; the index says they are not pairs.
    with pytest.raises(ValueError, match="aligned on their index"):
        shiftwatch.compare(b, c.shift(freq="15s"), paired="difference")
    by_position = shiftwatch.compare(b.to_numpy(), shuffled.to_numpy(), paired="difference")
    assert by_position.absolute == pytest.approx(aligned.absolute)  # same mean difference
    assert by_position.se != pytest.approx(aligned.se)  # but not the same pairs


def test_comparison_html_shows_effects_n_and_method():
    ttfb = datasets.load_gateway_ttfb()
    res = shiftwatch.compare(ttfb["baseline"], ttfb["candidate"], nan_policy="omit")
    page = res._repr_html_()
    for needle in ("absolute effect", "relative effect", "effective n", res.method,
                   f"{res.baseline.n}", f"{res.candidate.n_effective:.1f}", "p-value"):
        assert needle in page, needle


def test_comparison_plot(tmp_path):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import os
    import pathlib

    import matplotlib.pyplot as plt

    ttfb = datasets.load_gateway_ttfb()
    b, c = ttfb["baseline"], ttfb["candidate"]
    res = shiftwatch.compare(b, c, nan_policy="omit")
    ax_series, ax_effect = res.plot(b, c)
    out = pathlib.Path(os.environ.get("SHIFTWATCH_PLOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    ax_series.figure.savefig(out / "compare.png", dpi=90)
    assert (out / "compare.png").stat().st_size > 5_000
    # x axis in times (matplotlib date numbers), one series line per sample
    assert len(ax_series.get_lines()) == 2
    assert np.asarray(ax_series.get_lines()[0].get_xdata()).dtype.kind in "M" or \
        isinstance(ax_series.get_lines()[0].get_xdata()[0], (pd.Timestamp, np.datetime64))
    # the effect point and its interval
    (point,) = [ln for ln in ax_effect.get_lines() if len(ln.get_ydata()) == 1
                and ln.get_marker() == "o"]
    assert point.get_ydata()[0] == pytest.approx(res.absolute)
    plt.close(ax_series.figure)


def test_detection_plot_uses_times_by_default(tmp_path):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    rss = datasets.load_gateway_memory()["rss_mib"]
    ax = shiftwatch.detect(rss).plot(rss)
    xs = ax.get_lines()[0].get_xdata()
    assert isinstance(xs[0], (pd.Timestamp, np.datetime64)) or np.asarray(xs).dtype.kind == "M"
    plt.close(ax.figure)


def test_change_points_answer_to_pvalue_like_every_result():
    x = np.r_[np.zeros(30), np.ones(30) * 5] + np.tile([0.1, -0.1, 0.2], 20)
    cp = shiftwatch.detect(x).change_points[0]
    assert cp.pvalue == cp.p_value
    assert shiftwatch.detect(x, method="edivisive").change_points[0].pvalue > 0
