"""Live comparison with scipy.stats on fresh random cases: statistic and p-value to rtol 1e-9.

Every case draws new data from a generator seeded by the test id (see ``conftest.rng``):
normal, heavy-tailed (Cauchy, lognormal) and heavily tied (small integers) samples, sizes from
a handful to a few thousand, every alternative and method.
"""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any, Callable

import numpy as np
import pytest
import scipy.stats as ss
from conftest import RTOL
from shiftwatch import stats as sw

ALTERNATIVES = ["two-sided", "less", "greater"]
KINDS = ["normal", "cauchy", "lognormal", "ties"]


def draw(rng: np.random.Generator, kind: str, n: int, shift: float = 0.0) -> np.ndarray:
    if kind == "normal":
        return rng.normal(shift, 1.0, n)
    if kind == "cauchy":
        return rng.standard_cauchy(n) + shift
    if kind == "lognormal":
        return rng.lognormal(shift, 1.0, n)
    if kind == "ties":
        return rng.integers(0, 6, n).astype(float) + round(shift)
    raise ValueError(kind)


def pair(rng: np.random.Generator, kind: str, n1: int, n2: int) -> tuple[np.ndarray, np.ndarray]:
    shift = rng.choice([0.0, 0.3, 1.0])
    return draw(rng, kind, n1), draw(rng, kind, n2, shift)


def close(ours: Any, theirs: Any, rtol: float = RTOL, what: str = "") -> None:
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=0, err_msg=what)


def same_test(ours: Any, theirs: Any, rtol: float = RTOL) -> None:
    close(ours.statistic, theirs.statistic, rtol, "statistic")
    close(ours.pvalue, theirs.pvalue, rtol, "pvalue")


def quiet(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


SIZES = [(1, 2), (3, 4), (8, 8), (13, 40), (200, 170), (2500, 3000)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n1, n2", SIZES)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_mannwhitneyu(rng, kind, n1, n2, alternative):
    x, y = pair(rng, kind, n1, n2)
    methods = ["auto", "asymptotic"] + (["exact"] if n1 * n2 <= 2000 else [])
    for method, cc in itertools.product(methods, [True, False]):
        ours = sw.mannwhitneyu(x, y, use_continuity=cc, alternative=alternative, method=method)
        theirs = ss.mannwhitneyu(x, y, use_continuity=cc, alternative=alternative, method=method)
        same_test(ours, theirs)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n1, n2", [(2, 2), (3, 7), (30, 25), (5000, 4000)])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_ind(rng, kind, n1, n2, alternative, equal_var):
    x, y = pair(rng, kind, n1, n2)
    if np.ptp(np.concatenate([x, y])) == 0 or (np.ptp(x) == 0 and np.ptp(y) == 0):
        pytest.skip("constant draw")
    ours = sw.ttest_ind(x, y, equal_var=equal_var, alternative=alternative)
    theirs = ss.ttest_ind(x, y, equal_var=equal_var, alternative=alternative)
    same_test(ours, theirs)
    close(ours.df, theirs.df, what="df")
    for level in (0.95, 0.8):
        ci, ref = ours.confidence_interval(level), theirs.confidence_interval(level)
        close([ci.low, ci.high], [ref.low, ref.high], what=f"ci {level}")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [2, 9, 60, 5000])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_ttest_rel(rng, kind, n, alternative):
    x, y = pair(rng, kind, n, n)
    if np.ptp(x - y) == 0:
        pytest.skip("constant differences")
    ours = sw.ttest_rel(x, y, alternative=alternative)
    theirs = ss.ttest_rel(x, y, alternative=alternative)
    same_test(ours, theirs)
    close(ours.df, theirs.df, what="df")
    ci, ref = ours.confidence_interval(0.9), theirs.confidence_interval(0.9)
    close([ci.low, ci.high], [ref.low, ref.high], what="ci")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n1, n2", [(1, 3), (5, 5), (20, 31), (300, 200), (3000, 2000)])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_ks_2samp(rng, kind, n1, n2, alternative):
    x, y = pair(rng, kind, n1, n2)
    for method in ["auto", "exact", "asymp"]:
        if (n1, n2) == (1, 3) and method == "asymp":
            continue
        ours = sw.ks_2samp(x, y, alternative=alternative, method=method)
        theirs = quiet(ss.ks_2samp, x, y, alternative=alternative, method=method)
        same_test(ours, theirs)
        assert ours.statistic_location == theirs.statistic_location
        assert ours.statistic_sign == theirs.statistic_sign


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n1, n2", [(4, 5), (15, 22), (400, 300), (5000, 5000)])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("distribution", ["t", "normal"])
def test_brunnermunzel(rng, kind, n1, n2, alternative, distribution):
    x, y = pair(rng, kind, n1, n2)
    theirs = quiet(ss.brunnermunzel, x, y, alternative=alternative, distribution=distribution)
    if not np.isfinite(theirs.pvalue):
        pytest.skip("scipy undefined on this draw")
    ours = sw.brunnermunzel(x, y, alternative=alternative, distribution=distribution)
    same_test(ours, theirs)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [6, 20, 51, 1000])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_wilcoxon(rng, kind, n, alternative):
    x, y = pair(rng, kind, n, n)
    d = x - y
    for zero_method, correction, method in itertools.product(
        ["wilcox", "pratt", "zsplit"], [False, True], ["auto", "exact", "asymptotic"]
    ):
        if method == "exact" and n > 51:
            continue
        kw = dict(zero_method=zero_method, correction=correction, alternative=alternative,
                  method=method)
        theirs = quiet(ss.wilcoxon, x, y, **kw)
        if not np.isfinite(theirs.pvalue):
            continue
        same_test(sw.wilcoxon(x, y, **kw), theirs)
        same_test(sw.wilcoxon(d, **kw), quiet(ss.wilcoxon, d, **kw))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n1, n2", [(4, 6), (12, 30), (300, 250), (3000, 2000)])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_ansari(rng, kind, n1, n2, alternative):
    x, y = pair(rng, kind, n1, n2)
    ours = sw.ansari(x, y, alternative=alternative)
    theirs = ss.ansari(x, y, alternative=alternative)
    # scipy's exact null distribution (AS 93 gscale) holds counts in float32, exact only up
    # to 2^24: beyond that it has about 7 correct digits, so compare to 1e-6 there and check
    # our exact p-value against integer counts instead (test_ansari_exact_integer_counts).
    big = ours.exact and math.comb(n1 + n2, n1) > 2**24
    same_test(ours, theirs, rtol=1e-6 if big else RTOL)


def ansari_exact_two_sided(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """AB and its exact two-sided p-value from Python integer counts of all C(N, n) subsets'
    score sums (scores min(i, N + 1 - i)), 2 min(P(AB <= ab), P(AB >= ab)) capped at 1."""
    n, big_n = len(x), len(x) + len(y)
    pooled = np.concatenate([x, y])
    ranks = ss.rankdata(pooled)
    scores = np.minimum(ranks, big_n + 1 - ranks)
    ab = int(round(scores[:n].sum()))
    # counts[k][s]: subsets of size k of the first i scores with sum s (scores are integers).
    top = int(sum(sorted(int(v) for v in scores)[-n:]))
    counts = [[0] * (top + 1) for _ in range(n + 1)]
    counts[0][0] = 1
    for v in (int(s) for s in scores):
        for k in range(n, 0, -1):
            row, prev = counts[k], counts[k - 1]
            for s in range(top, v - 1, -1):
                row[s] += prev[s - v]
    total = sum(counts[n])
    le = sum(counts[n][: ab + 1])
    ge = sum(counts[n][ab:])
    return float(ab), min(1.0, 2 * min(le, ge) / total)


@pytest.mark.parametrize("n1, n2", [(12, 30), (20, 20), (40, 25)])
def test_ansari_exact_integer_counts(rng, n1, n2):
    x, y = pair(rng, "normal", n1, n2)
    ours = sw.ansari(x, y)
    assert ours.exact
    stat, p = ansari_exact_two_sided(x, y)
    close(ours.statistic, stat, what="statistic")
    close(ours.pvalue, p, rtol=1e-12, what="pvalue")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sizes", [(5, 6), (30, 20, 25), (1000, 800)])
@pytest.mark.parametrize("center", ["median", "mean", "trimmed"])
def test_fligner(rng, kind, sizes, center):
    samples = [draw(rng, kind, n, shift) for n, shift in zip(sizes, [0.0, 0.5, 1.0])]
    same_test(sw.fligner(*samples, center=center), ss.fligner(*samples, center=center))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sizes", [(5, 6), (30, 20, 25), (1000, 800)])
@pytest.mark.parametrize("midrank", [True, False])
def test_anderson_ksamp(rng, kind, sizes, midrank):
    samples = [draw(rng, kind, n, shift) for n, shift in zip(sizes, [0.0, 0.5, 1.0])]
    # scipy 1.17 deprecates `midrank` for `variant`, which drops critical_values: use midrank.
    theirs = quiet(ss.anderson_ksamp, samples, midrank=midrank)
    ours = sw.anderson_ksamp(samples, midrank=midrank)
    same_test(ours, theirs)
    close(ours.critical_values, theirs.critical_values, what="critical values")
    variant = "midrank" if midrank else "right"
    same_test(sw.anderson_ksamp(samples, variant=variant),
              quiet(ss.anderson_ksamp, samples, variant=variant))


@pytest.mark.parametrize("m", [1, 2, 17, 500])
@pytest.mark.parametrize("method", ["bh", "by"])
def test_false_discovery_control(rng, m, method):
    ps = rng.uniform(0, 1, m) ** 3
    ps[rng.integers(0, m, max(1, m // 5))] = ps[0]  # ties
    close(sw.false_discovery_control(ps, method=method),
          ss.false_discovery_control(ps, method=method))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [2, 10, 3000])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_ttest_1samp(rng, kind, n, alternative):
    x = draw(rng, kind, n)
    if np.ptp(x) == 0:
        pytest.skip("constant draw")
    popmean = float(rng.normal())
    ours = sw.ttest_1samp(x, popmean, alternative=alternative)
    theirs = ss.ttest_1samp(x, popmean, alternative=alternative)
    same_test(ours, theirs)
    ci, ref = ours.confidence_interval(0.99), theirs.confidence_interval(0.99)
    close([ci.low, ci.high], [ref.low, ref.high], what="ci")


@pytest.mark.parametrize("k1, e1, k2, e2", [(0, 1.0, 3, 1.0), (5, 2.0, 9, 3.5),
                                            (130, 1e4, 170, 1.2e4), (4000, 10.0, 1, 0.1)])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_poisson_rate_ratio_is_binomtest(k1, e1, k2, e2, alternative):
    ours = sw.poisson_rate_ratio(k1, e1, k2, e2, alternative=alternative)
    ref = ss.binomtest(k1, k1 + k2, e1 / (e1 + e2), alternative=alternative)
    close(ours.pvalue, ref.pvalue, what="pvalue")
    pi = ref.proportion_ci(0.95, method="exact")

    def ratio(p: float) -> float:
        return p / (1 - p) * e2 / e1 if p < 1 else np.inf

    # scipy's Clopper-Pearson bounds come from brentq (xtol 2e-12): compare to that accuracy.
    np.testing.assert_allclose(
        [ours.confidence_interval.low, ours.confidence_interval.high],
        [ratio(pi.low), ratio(pi.high)], rtol=1e-8, atol=1e-10,
    )
