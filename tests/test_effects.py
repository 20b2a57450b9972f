"""Effect sizes and dependence diagnostics against direct numpy computations."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import RTOL
from shiftwatch import stats as sw


def pairwise(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (y[None, :] - x[:, None]).ravel()


@pytest.mark.parametrize("n1, n2", [(1, 1), (3, 5), (40, 31), (300, 200)])
@pytest.mark.parametrize("ties", [False, True])
def test_hodges_lehmann_estimate_is_median_of_differences(rng, n1, n2, ties):
    x, y = rng.normal(0, 1, n1), rng.normal(0.5, 1, n2)
    if ties:
        x, y = np.round(x, 1), np.round(y, 1)
    res = sw.hodges_lehmann(x, y)
    np.testing.assert_allclose(res.estimate, np.median(pairwise(x, y)), rtol=RTOL)
    d = np.sort(pairwise(x, y))
    ci = res.confidence_interval
    assert ci.low <= res.estimate <= ci.high
    # The interval's ends are order statistics of the pairwise differences.
    assert np.isin(ci.low, d) and np.isin(ci.high, d)


def mwu_null_cdf(m: int, n: int) -> np.ndarray:
    """P(U <= u), u = 0..mn, by the recursion f(u; m, n) = f(u - n; m - 1, n) + f(u; m, n - 1)
    (Mann & Whitney 1947), independent of the engine's generating-function code."""
    from functools import lru_cache

    @lru_cache(maxsize=None)
    def f(u: int, a: int, b: int) -> int:
        if u < 0:
            return 0
        if a == 0 or b == 0:
            return 1 if u == 0 else 0
        return f(u - b, a - 1, b) + f(u, a, b - 1)

    counts = np.array([f(u, m, n) for u in range(m * n + 1)], dtype=float)
    return np.cumsum(counts) / counts.sum()


@pytest.mark.parametrize("m, n", [(5, 7), (10, 10), (8, 3)])
@pytest.mark.parametrize("level", [0.95, 0.9])
def test_hodges_lehmann_exact_interval_uses_mwu_quantiles(rng, m, n, level):
    x, y = rng.normal(0, 1, m), rng.normal(0.5, 1, n)
    res = sw.hodges_lehmann(x, y, confidence_level=level, method="exact")
    assert res.method == "exact"
    d = np.sort(pairwise(x, y))
    # k = smallest q with P(U <= q) >= alpha/2 (R's qwilcox), at least 1.
    cdf = mwu_null_cdf(m, n)
    k = max(1, int(np.argmax(cdf >= (1 - level) / 2 - 1e-12)))
    assert res.confidence_interval.low == d[k - 1]
    assert res.confidence_interval.high == d[m * n - k]


@pytest.mark.parametrize("alternative", ["less", "greater"])
def test_hodges_lehmann_one_sided_is_open(rng, alternative):
    res = sw.hodges_lehmann(rng.normal(size=30), rng.normal(size=30), alternative=alternative)
    ci = res.confidence_interval
    assert np.isinf(ci.high if alternative == "less" else ci.low)


@pytest.mark.parametrize("n1, n2", [(2, 2), (5, 9), (100, 80), (1000, 1500)])
@pytest.mark.parametrize("ties", [False, True])
def test_cliffs_delta_matches_sign_matrix(rng, n1, n2, ties):
    x, y = rng.lognormal(0, 1, n1), rng.lognormal(0.3, 1, n2)
    if ties:
        x, y = np.round(x), np.round(y)
    res = sw.cliffs_delta(x, y)
    np.testing.assert_allclose(res.delta, np.mean(np.sign(pairwise(x, y))), rtol=RTOL, atol=1e-15)
    ci = res.confidence_interval
    assert -1 <= ci.low <= res.delta <= ci.high <= 1


def test_cliffs_delta_variance_matches_cliff_formula(rng):
    x, y = rng.normal(0, 1, 12), rng.normal(0.4, 1, 9)
    m, n = len(x), len(y)
    dm = np.sign(y[None, :] - x[:, None])
    delta = dm.mean()
    di, dj = dm.mean(axis=1), dm.mean(axis=0)
    s2 = (n**2 * np.sum((di - delta) ** 2) + m**2 * np.sum((dj - delta) ** 2)
          - np.sum((dm - delta) ** 2)) / (m * n * (m - 1) * (n - 1))
    s2 = max(s2, (1 - delta**2) / (m * n - 1))
    np.testing.assert_allclose(sw.cliffs_delta(x, y).standard_error, np.sqrt(s2), rtol=RTOL)


@pytest.mark.parametrize("n, nlags", [(5, 4), (100, 10), (5000, 40)])
def test_acf_matches_direct_formula(rng, n, nlags):
    x = np.cumsum(rng.normal(size=n)) * 0.1 + rng.normal(size=n)
    c = x - x.mean()
    ref = np.array([np.dot(c[k:], c[: n - k]) for k in range(nlags + 1)]) / np.dot(c, c)
    np.testing.assert_allclose(sw.acf(x, nlags), ref, rtol=1e-9, atol=1e-15)


def test_effective_sample_size(rng):
    white = sw.effective_sample_size(rng.normal(size=2000))
    assert white.ess > 1500 and white.n == 2000
    e = rng.normal(size=5000)
    z = np.empty_like(e)
    z[0] = e[0]
    for i in range(1, len(z)):
        z[i] = 0.9 * z[i - 1] + e[i]
    ar = sw.effective_sample_size(z)
    # τ = (1 + φ) / (1 − φ) = 19 for AR(1) with φ = 0.9.
    assert 12 < ar.tau < 28
