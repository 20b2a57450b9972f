"""shiftwatch.compare: behaviour, calibration smoke test and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as ss
import shiftwatch


def ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    e = rng.normal(size=n)
    z = np.empty(n)
    z[0] = e[0] / math.sqrt(1 - phi**2)
    for i in range(1, n):
        z[i] = phi * z[i - 1] + e[i]
    return z


def test_iid_method_is_welch(rng):
    x, y = rng.normal(10, 1, 80), rng.normal(10.3, 1.5, 60)
    res = shiftwatch.compare(x, y, method="iid")
    ref = ss.ttest_ind(y, x, equal_var=False)
    np.testing.assert_allclose(res.pvalue, ref.pvalue, rtol=1e-9)
    np.testing.assert_allclose(res.statistic, ref.statistic, rtol=1e-9)
    np.testing.assert_allclose(res.absolute, y.mean() - x.mean(), rtol=1e-12)
    np.testing.assert_allclose(res.relative, y.mean() / x.mean() - 1, rtol=1e-12)


def test_default_is_calibrated_on_autocorrelated_noise():
    # No change, AR(1) φ = 0.9: the iid test rejects far more often than alpha; compare must not.
    rng = np.random.default_rng(2026)
    reps, alpha = 200, 0.05
    ours = naive = 0
    for _ in range(reps):
        x, y = 100 + ar1(rng, 400, 0.9), 100 + ar1(rng, 400, 0.9)
        ours += shiftwatch.compare(x, y).pvalue < alpha
        naive += shiftwatch.compare(x, y, method="iid").pvalue < alpha
    assert naive / reps > 0.3
    assert ours / reps < 0.12  # 0.07 target, plus Monte-Carlo slack for 200 replications


def test_detects_a_real_shift():
    rng = np.random.default_rng(3)
    x, y = 100 + ar1(rng, 600, 0.8), 104 + ar1(rng, 600, 0.8)
    res = shiftwatch.compare(x, y)
    assert res.significant and res.ci_relative[0] > 0
    assert 0 < res.candidate.n_effective < 600


def test_accepts_pandas_and_polars():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    x = [10.0, 11, 10.5, 10.2, 10.8, 10.1]
    y = [11.0, 12, 11.4, 11.1, 11.9, 11.3]
    ref = shiftwatch.compare(x, y).to_dict()
    assert shiftwatch.compare(pd.Series(x), pd.Series(y)).to_dict() == ref
    assert shiftwatch.compare(pl.Series(x), pl.Series(y)).to_dict() == ref


def test_result_repr_and_html():
    res = shiftwatch.compare([10.0, 11, 10.5, 10.2, 10.8], [11.0, 12, 11.4, 11.1, 11.9])
    assert repr(res).startswith("Comparison(method=")
    assert "<table>" in res._repr_html_()


@pytest.mark.parametrize(
    "baseline, candidate, kwargs, exc, match",
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0], {}, shiftwatch.InsufficientDataError, "at least 3"),
        ([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], {}, shiftwatch.InsufficientDataError, "identical"),
        ([1.0, float("nan"), 2, 3], [1.0, 2, 3, 4], {}, ValueError, "index 1"),
        ([1.0, 2, 3], [1.0, 2, 3, 4], {"paired": "difference"}, ValueError, "length"),
        ([1.0, -2, 3], [1.0, 2, 3], {"paired": "log-ratio"}, ValueError, "positive"),
        ([1.0, 2, 3], [1.0, 2, 4], {"alpha": 1.5}, ValueError, "alpha"),
        ([1.0, 2, 3], [1.0, 2, 4], {"method": "magic"}, ValueError, "method"),
        ([1.0, 2, 3], [1.0, 2, 4], {"paired": "sideways"}, ValueError, "pairing"),
    ],
)
def test_errors(baseline, candidate, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        shiftwatch.compare(baseline, candidate, **kwargs)
