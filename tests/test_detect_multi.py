"""shiftwatch.detect on several aligned columns: agreement with ruptures' multivariate l2,
input types (2-D numpy, pandas/polars DataFrames, lists of arrays), errors, CLI parity."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys

import numpy as np
import pytest
import shiftwatch

rpt = pytest.importorskip("ruptures")


def _signal(seed: int, n: int, d: int, regimes: int) -> np.ndarray:
    """n x d: shared changes, columns on scales 0.1..100, Gaussian noise, 4 decimals."""
    rng = np.random.default_rng(seed)
    bkps = np.sort(rng.choice(np.arange(1, n), size=regimes - 1, replace=False))
    lengths = np.diff(np.concatenate([[0], bkps, [n]]))
    cols = []
    for _ in range(d):
        scale = 10.0 ** rng.integers(-1, 3)
        mean = np.repeat(rng.normal(0, 2.5, size=regimes), lengths)
        cols.append(np.round(scale * (mean + rng.normal(size=n)), 4))
    return np.column_stack(cols)


CASES = [
    (1, 120, 2, 2, 1),
    (2, 200, 3, 3, 1),
    (3, 300, 4, 4, 2),
    (4, 250, 5, 3, 1),
    (5, 400, 2, 5, 1),
]


@pytest.mark.parametrize("seed, n, d, regimes, min_size", CASES)
@pytest.mark.parametrize("penalty", ["mbic", "bic", 30.0])
def test_search_matches_ruptures_on_standardised_columns(seed, n, d, regimes, min_size, penalty):
    x = _signal(seed, n, d, regimes)
    for method in ("pelt", "dp"):
        res = shiftwatch.detect(x, method=method, penalty=penalty, min_size=min_size, alpha=1.0)
        assert isinstance(res, shiftwatch.MultiDetection)
        assert res.d == d and res.n == n and len(res.scale) == d
        if isinstance(penalty, float):
            assert res.penalty_value == penalty
        elif penalty == "mbic":
            assert res.penalty_value == pytest.approx((d + 2) * math.log(n), rel=1e-12)
        # The engine segments x / scale with the summed l2 cost: ruptures on the same input.
        y = x / np.asarray(res.scale)
        expected = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(y).predict(
            pen=res.penalty_value
        )[:-1]
        assert list(res.candidates) == expected, (method, res.candidates, expected)
        assert res.indices == expected


@pytest.mark.parametrize("seed, n, d, regimes, min_size", CASES[:3])
def test_binseg_matches_ruptures(seed, n, d, regimes, min_size):
    x = _signal(seed, n, d, regimes)
    res = shiftwatch.detect(x, method="binseg", penalty=25.0, min_size=min_size, alpha=1.0)
    y = x / np.asarray(res.scale)
    expected = rpt.Binseg(model="l2", min_size=min_size, jump=1).fit(y).predict(pen=25.0)[:-1]
    assert list(res.candidates) == expected


def test_default_finds_a_change_in_one_column_with_levels():
    rng = np.random.default_rng(8)
    n = 600
    latency = 200 + 10 * rng.normal(size=n)
    errors = 0.01 * rng.normal(size=n) + np.where(np.arange(n) >= 420, 0.05, 0.0)
    cpu = 50 + rng.normal(size=n)
    res = shiftwatch.detect(np.column_stack([latency, errors, cpu]))
    assert len(res.indices) == 1 and abs(res.indices[0] - 420) <= 3
    cp = res.change_points[0]
    assert [c.column for c in cp.dims] == ["0", "1", "2"]
    assert abs(cp.dims[1].before) < 0.005 and abs(cp.dims[1].after - 0.05) < 0.005
    assert abs(cp.dims[0].before - 200) < 3
    assert cp.p_adjusted < 1e-10 and cp.p_value <= cp.p_adjusted
    assert min(c.p_value for c in cp.dims) * 3 == pytest.approx(cp.p_value)
    assert res.segments == [(0, cp.index), (cp.index, n)]
    df = res.to_polars()
    assert df.height == 3 and df["column"].to_list() == ["0", "1", "2"]
    assert "MultiDetection(n=600, d=3" in repr(res)
    json.dumps(res.to_dict(), allow_nan=False)


def test_no_change_on_independent_ar1_columns():
    rng = np.random.default_rng(99)
    n, phi = 10_000, 0.9
    cols = []
    for _ in range(3):
        e = rng.normal(size=n)
        y = np.empty(n)
        y[0] = e[0]
        for i in range(1, n):
            y[i] = phi * y[i - 1] + e[i]
        cols.append(y)
    assert len(shiftwatch.detect(cols).indices) <= 1


def test_input_types_agree():
    import pandas as pd
    import polars as pl

    x = _signal(11, 200, 3, 3)
    names = ["a", "b", "c"]
    ref = shiftwatch.detect(x).to_dict()
    ref_named = {**copy.deepcopy(ref), "columns": names}
    for cp in ref_named["change_points"]:
        cp["dims"] = [{**dim, "column": nm} for dim, nm in zip(cp["dims"], names)]
    assert shiftwatch.detect([x[:, 0], x[:, 1], x[:, 2]]).to_dict() == ref
    assert shiftwatch.detect([list(x[:, j]) for j in range(3)]).to_dict() == ref
    assert shiftwatch.detect(np.asfortranarray(x)).to_dict() == ref
    frame = pd.DataFrame(x, columns=names).assign(label="x")
    # A non-numeric column is refused, never silently dropped (issue 9, item 12).
    with pytest.raises(TypeError, match="'label' are not numeric"):
        shiftwatch.detect(frame)
    assert shiftwatch.detect(frame, columns=names).to_dict() == ref_named
    assert shiftwatch.detect(frame.drop(columns="label")).to_dict() == ref_named
    pframe = pl.DataFrame({nm: x[:, j] for j, nm in enumerate(names)}).with_columns(
        label=pl.lit("x")
    )
    with pytest.raises(TypeError, match="'label' are not numeric"):
        shiftwatch.detect(pframe)
    assert shiftwatch.detect(pframe, columns=names).to_dict() == ref_named
    sub = shiftwatch.detect(frame, columns=["c", "a"])
    assert sub.columns == ("c", "a")
    plain = shiftwatch.detect(x[:, [2, 0]])
    assert sub.indices == plain.indices and sub.scale == plain.scale
    assert [[c.before for c in cp.dims] for cp in sub.change_points] == [
        [c.before for c in cp.dims] for cp in plain.change_points
    ]
    # One column: the univariate result, whatever the container.
    one = shiftwatch.detect(frame, columns=["b"])
    assert isinstance(one, shiftwatch.Detection)
    assert one.to_dict() == shiftwatch.detect(x[:, 1]).to_dict()


def test_errors():
    import pandas as pd

    x = _signal(12, 100, 2, 2)
    bad = x.copy()
    bad[7, 1] = np.nan
    with pytest.raises(ValueError, match="column 1"):
        shiftwatch.detect(bad)
    with pytest.raises(ValueError, match="length"):
        shiftwatch.detect([x[:, 0], x[:50, 1]])
    with pytest.raises(ValueError, match="l2"):
        shiftwatch.detect(x, cost="normal")
    with pytest.raises(TypeError):
        shiftwatch.detect(x, columns=["a"])
    with pytest.raises(ValueError, match="no column"):
        shiftwatch.detect(pd.DataFrame(x, columns=["a", "b"]), columns=["a", "zz"])
    with pytest.raises(TypeError):
        shiftwatch.detect(pd.DataFrame({"s": ["u", "v", "w"]}))
    with pytest.raises(shiftwatch.InsufficientDataError):
        shiftwatch.detect(np.ones((2, 3)))


def test_cli_json_equals_to_dict(tmp_path):
    x = _signal(13, 240, 3, 3)
    names = ["lat", "cpu", "err"]
    path = tmp_path / "multi.csv"
    rows = [",".join(names)] + [",".join(repr(float(v)) for v in row) for row in x]
    path.write_text("\n".join(rows) + "\n")
    out = subprocess.run(
        [sys.executable, "-c", "from shiftwatch._cli import main; main()", "detect", str(path),
         "--column", "lat,cpu", "--column", "err", "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    cli = json.loads(out.stdout)
    assert cli.pop("file").endswith("multi.csv")
    for cp in cli["change_points"]:
        assert "time" not in cp  # no time column: indices only
    import pandas as pd

    assert cli == shiftwatch.detect(pd.DataFrame(x, columns=names)).to_dict()


def test_multidetection_plot_one_panel_per_column():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    rng = np.random.default_rng(4)
    x = np.c_[np.r_[rng.normal(0, 1, 60), rng.normal(5, 1, 60)], rng.normal(0, 3, 120)]
    d = shiftwatch.detect(x)
    assert d.indices == [60]
    axes = d.plot(x)
    assert len(axes) == 2
    for ax in axes:
        # the column, one mean line per segment and the dashed change line
        assert len(ax.lines) == 1 + 2 + 1
        dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
        assert len(dashed) == 1 and dashed[0].get_xdata()[0] == 60
    with pytest.raises(ValueError, match="expected 2 columns"):
        d.plot(x[:, 0])
