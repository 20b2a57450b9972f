"""Bootstrap and permutation helpers against scipy.stats.bootstrap / permutation_test."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
from conftest import RTOL
from shiftwatch import stats as sw

STATS = {
    "mean_diff": lambda a, b, axis=-1: np.mean(b, axis=axis) - np.mean(a, axis=axis),
    "mean_ratio": lambda a, b, axis=-1: np.mean(b, axis=axis) / np.mean(a, axis=axis),
    "median_diff": lambda a, b, axis=-1: np.median(b, axis=axis) - np.median(a, axis=axis),
    "median_ratio": lambda a, b, axis=-1: np.median(b, axis=axis) / np.median(a, axis=axis),
    "quantile_diff": lambda a, b, axis=-1: (
        np.quantile(b, 0.9, axis=axis) - np.quantile(a, 0.9, axis=axis)
    ),
}


@pytest.mark.parametrize("statistic", STATS)
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("n1, n2", [(2, 2), (3, 4), (5, 5), (4, 8)])
def test_permutation_exact_matches_scipy(rng, statistic, alternative, n1, n2):
    x = rng.lognormal(0, 1, n1)
    y = rng.lognormal(0.3, 1, n2)
    ours = sw.permutation_test(x, y, statistic, q=0.9, alternative=alternative)
    theirs = ss.permutation_test(
        (x, y), STATS[statistic], alternative=alternative, vectorized=True, n_resamples=9999
    )
    assert ours.exact
    np.testing.assert_allclose(ours.statistic, theirs.statistic, rtol=RTOL)
    # Exact enumeration: the same counts, so the same p-value up to rounding.
    np.testing.assert_allclose(ours.pvalue, theirs.pvalue, rtol=1e-12)


def test_permutation_monte_carlo_close_to_scipy(rng):
    x = rng.normal(0, 1, 60)
    y = rng.normal(0.4, 1, 50)
    ours = sw.permutation_test(x, y, n_resamples=9999, rng=3)
    theirs = ss.permutation_test((x, y), STATS["mean_diff"], vectorized=True, n_resamples=9999,
                                 rng=np.random.default_rng(3))
    assert not ours.exact
    assert abs(ours.pvalue - theirs.pvalue) < 0.02


def test_permutation_is_deterministic_per_seed(rng):
    x, y = rng.normal(size=40), rng.normal(size=40)
    a = sw.permutation_test(x, y, n_resamples=999, rng=5)
    assert a == sw.permutation_test(x, y, n_resamples=999, rng=5)


@pytest.mark.parametrize("statistic", ["mean_diff", "median_diff", "mean_ratio"])
@pytest.mark.parametrize("method", ["percentile", "BCa"])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_bootstrap_close_to_scipy(rng, statistic, method, alternative):
    x = rng.lognormal(0, 0.5, 400)
    y = rng.lognormal(0.1, 0.5, 300)
    ours = sw.bootstrap_ci(x, y, statistic, method=method, alternative=alternative,
                           n_resamples=4999, rng=1)
    theirs = ss.bootstrap((x, y), STATS[statistic], method=method, alternative=alternative,
                          n_resamples=4999, vectorized=True, rng=np.random.default_rng(1))
    np.testing.assert_allclose(ours.estimate, STATS[statistic](x, y), rtol=RTOL)
    ci, ref = ours.confidence_interval, theirs.confidence_interval
    width = ref.high - ref.low if np.isfinite(ref.high - ref.low) else theirs.standard_error * 4
    # Monte-Carlo error only: bounds within 15 % of the interval's width.
    for a, b in [(ci.low, ref.low), (ci.high, ref.high)]:
        if np.isinf(b):
            assert a == b
        else:
            assert abs(a - b) < 0.15 * width, (ci, ref)
    assert abs(ours.standard_error - theirs.standard_error) < 0.1 * theirs.standard_error


def test_bootstrap_block_schemes(rng):
    e = rng.normal(size=2000)
    z = np.empty_like(e)
    z[0] = e[0]
    for i in range(1, len(e)):
        z[i] = 0.9 * z[i - 1] + e[i]
    x, y = z[:1000], z[1000:]
    iid = sw.bootstrap_ci(x, y, "mean_diff", method="percentile", n_resamples=999, rng=1,
                       scheme="iid")
    for scheme in ["moving-block", "stationary"]:
        block = sw.bootstrap_ci(x, y, "mean_diff", method="percentile", scheme=scheme,
                                n_resamples=999, rng=1)
        assert block.scheme == scheme
        assert block.block_len is not None and block.block_len["baseline"] > 1
        # Autocorrelation widens the honest interval.
        assert block.standard_error > 1.5 * iid.standard_error
    fixed = sw.bootstrap_ci(x, y, "mean_diff", scheme="stationary", block_len=20.0,
                            n_resamples=199, rng=1)
    assert fixed.block_len == {"baseline": 20.0, "candidate": 20.0}
    with pytest.raises(ValueError, match="block_len"):
        sw.bootstrap_ci(x, y, scheme="iid", block_len=3.0, n_resamples=9)


def test_bootstrap_rejects_unknown_statistic():
    with pytest.raises(ValueError, match="statistic"):
        sw.bootstrap_ci([1.0, 2.0], [3.0, 4.0], "trimmed_mean")


def test_optimal_block_length_of_white_noise_is_small(rng):
    res = sw.optimal_block_length(rng.normal(size=500))
    assert 0 < res.stationary < 5 and 0 < res.circular < 5
