"""scipy parity of the vectorised two-sample tests, live against scipy 1.17: ``axis=`` (one
native call over every slice), ``keepdims``, ``nan_policy='propagate'``/``'omit'`` per slice,
±inf (ranked by the rank tests, NaN from the t-tests), constant samples and masked arrays."""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import scipy.stats as ss
from conftest import RTOL
from shiftwatch import stats as sw

# name → (shiftwatch call, scipy call, paired)
Call = Callable[..., Any]
TESTS: dict[str, tuple[Call, Call, bool]] = {
    "mannwhitneyu": (sw.mannwhitneyu, ss.mannwhitneyu, False),
    "ttest_ind": (sw.ttest_ind, ss.ttest_ind, False),
    "ttest_ind_welch": (
        lambda *a, **k: sw.ttest_ind(*a, equal_var=False, **k),
        lambda *a, **k: ss.ttest_ind(*a, equal_var=False, **k),
        False,
    ),
    "ttest_rel": (sw.ttest_rel, ss.ttest_rel, True),
    "ks_2samp": (sw.ks_2samp, ss.ks_2samp, False),
    "brunnermunzel": (sw.brunnermunzel, ss.brunnermunzel, False),
    "ansari": (sw.ansari, ss.ansari, False),
    "wilcoxon": (sw.wilcoxon, ss.wilcoxon, True),
}


def quiet(fn: Call, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def same(ours: Any, theirs: Any) -> None:
    for field in ("statistic", "pvalue"):
        a, b = np.asarray(getattr(ours, field)), np.asarray(getattr(theirs, field))
        assert a.shape == b.shape, field
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-300, equal_nan=True, err_msg=field)


def samples(rng: np.random.Generator, paired: bool) -> tuple[np.ndarray, np.ndarray]:
    x = rng.normal(size=(3, 9, 4))
    y = rng.normal(0.4, 1.3, size=(3, 9, 4) if paired else (3, 11, 4))
    return x, y


@pytest.mark.parametrize("name", TESTS)
@pytest.mark.parametrize("axis", [1, -2])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_axis_and_keepdims_match_scipy(name, axis, keepdims, alternative, rng):
    ours, theirs, paired = TESTS[name]
    x, y = samples(rng, paired)
    kw = {"axis": axis, "keepdims": keepdims, "alternative": alternative}
    same(ours(x, y, **kw), quiet(theirs, x, y, **kw))


def test_ttest_1samp_axis_matches_scipy(rng):
    x = rng.normal(0.2, 1, size=(4, 15, 3))
    for axis in (0, 1, 2, None):
        same(sw.ttest_1samp(x, 0.1, axis=axis), ss.ttest_1samp(x, 0.1, axis=axis))
    ci = sw.ttest_1samp(x, 0.1, axis=1).confidence_interval(0.9)
    ref = ss.ttest_1samp(x, 0.1, axis=1).confidence_interval(0.9)
    np.testing.assert_allclose(ci.low, ref.low, rtol=1e-9)
    np.testing.assert_allclose(ci.high, ref.high, rtol=1e-9)


def test_wilcoxon_one_sample_axis_matches_scipy(rng):
    d = rng.normal(0.3, 1, size=(5, 20))
    same(sw.wilcoxon(d, axis=1), ss.wilcoxon(d, axis=1))


@pytest.mark.parametrize("name", TESTS)
def test_axis_none_ravels_and_broadcasting_matches_scipy(name, rng):
    ours, theirs, paired = TESTS[name]
    x, y = samples(rng, paired)
    same(ours(x, y, axis=None), quiet(theirs, x, y, axis=None))
    same(ours(x, y, axis=None, keepdims=True), quiet(theirs, x, y, axis=None, keepdims=True))
    if not paired:  # other axes broadcast: (3, 9, 4) against (1, 11, 4)
        y1 = y[:1]
        same(ours(x, y1, axis=1), quiet(theirs, x, y1, axis=1))


def test_default_axis_is_zero_as_scipy(rng):
    x, y = rng.normal(size=(10, 3)), rng.normal(size=(12, 3))
    same(sw.mannwhitneyu(x, y), ss.mannwhitneyu(x, y))
    same(sw.ttest_ind(x, y), ss.ttest_ind(x, y))


def test_one_dimensional_input_gives_python_floats(rng):
    res = sw.ttest_ind(rng.normal(size=8), rng.normal(size=9))
    assert isinstance(res.statistic, float) and isinstance(res.pvalue, float)
    assert isinstance(res.df, float)


@pytest.mark.parametrize("name", TESTS)
def test_nan_policy_propagate_and_omit_per_slice_match_scipy(name, rng):
    ours, theirs, paired = TESTS[name]
    x, y = samples(rng, paired)
    x[0, 2, 1] = np.nan
    y[2, 0, 3] = np.nan
    for policy in ("propagate", "omit"):
        mine = ours(x, y, axis=1, nan_policy=policy)
        same(mine, quiet(theirs, x, y, axis=1, nan_policy=policy))
    assert np.isnan(ours(x, y, axis=1, nan_policy="propagate").pvalue[0, 1])
    with pytest.raises(ValueError, match="slice .* of 12: .*NaN"):
        ours(x, y, axis=1)  # shiftwatch's default is 'raise'


@pytest.mark.parametrize("name", ["mannwhitneyu", "ks_2samp", "brunnermunzel", "ansari"])
def test_rank_tests_rank_infinities_as_scipy(name, rng):
    ours, theirs, _ = TESTS[name]
    x, y = rng.normal(size=12), rng.normal(0.5, 1, size=9)
    x[[2, 5]] = [np.inf, -np.inf]
    y[4] = np.inf
    same(ours(x, y), quiet(theirs, x, y))


def test_ks_location_at_infinity_is_reported_as_infinity():
    res = sw.ks_2samp([1.0, 2.0, 3.0], [np.inf, np.inf, np.inf])
    ref = ss.ks_2samp([1.0, 2.0, 3.0], [np.inf, np.inf, np.inf])
    same(res, ref)
    assert res.statistic_location == ref.statistic_location


def test_wilcoxon_ranks_infinite_differences_as_scipy():
    x = [1.0, 2, 3, np.inf, -4, 5, 7.5, -np.inf]
    y = [0.0, 0, 0, 0, 0, 0.5, 0.2, 1]
    same(sw.wilcoxon(x, y), ss.wilcoxon(x, y))


@pytest.mark.parametrize("name", ["ttest_ind", "ttest_ind_welch", "ttest_rel"])
def test_ttests_with_infinity_give_nan_as_scipy(name, rng):
    ours, theirs, _ = TESTS[name]
    x, y = rng.normal(size=8), rng.normal(size=8)
    x[3] = np.inf
    res = ours(x, y)
    same(res, quiet(theirs, x, y))
    assert np.isnan(res.pvalue)


@pytest.mark.parametrize("use_continuity", [True, False])
@pytest.mark.parametrize("method", ["auto", "asymptotic", "exact"])
def test_mannwhitneyu_on_constant_samples_matches_scipy(use_continuity, method):
    # The everyday case: 0 errors in both releases.
    args = ([3.0, 3, 3], [3.0, 3, 3])
    ours = sw.mannwhitneyu(*args, use_continuity=use_continuity, method=method)
    theirs = quiet(ss.mannwhitneyu, *args, use_continuity=use_continuity, method=method)
    same(ours, theirs)
    assert ours.statistic == 4.5


def test_masked_values_are_dropped_as_scipy():
    a = np.ma.masked_array([1.0, 2, 3, 100, 4], mask=[0, 0, 0, 1, 0])
    same(sw.ttest_1samp(a, 0), ss.ttest_1samp(a, 0))
    b = np.ma.masked_array([[1.0, 2, 3, 100], [4.0, 5, 7, 1]], mask=[[0, 0, 0, 1], [0, 0, 0, 0]])
    same(sw.ttest_1samp(b, 0, axis=1), ss.ttest_1samp(b, 0, axis=1))
    same(sw.mannwhitneyu(a, [2.0, 3, 5]), ss.mannwhitneyu(a, [2.0, 3, 5]))


def test_masked_array_with_a_real_nan_is_refused_unless_omitted():
    a = np.ma.masked_array([1.0, np.nan, 3, 100, 4], mask=[0, 0, 0, 1, 0])
    with pytest.raises(ValueError, match="masked"):
        sw.ttest_1samp(a, 0)
    same(sw.ttest_1samp(a, 0, nan_policy="omit"), ss.ttest_1samp(a, 0, nan_policy="omit"))


def test_bad_axis_is_refused():
    with pytest.raises(np.exceptions.AxisError):
        sw.mannwhitneyu(np.ones((3, 4)), np.ones((3, 4)), axis=2)
    with pytest.raises(TypeError, match="axis"):
        sw.mannwhitneyu([1.0, 2], [3.0, 4], axis=1.0)


def test_masked_values_are_dropped_by_the_other_sample_functions():
    a = np.ma.masked_array([1.0, 2, 3, 100, 4], mask=[0, 0, 0, 1, 0])
    kept = [1.0, 2, 3, 4]
    assert sw.hodges_lehmann(a, [2.0, 5, 6]) == sw.hodges_lehmann(kept, [2.0, 5, 6])
    assert sw.cliffs_delta(a, [2.0, 5, 6]) == sw.cliffs_delta(kept, [2.0, 5, 6])
    same(sw.fligner(a, [2.0, 5, 6, 1]), ss.fligner(a, [2.0, 5, 6, 1]))


def test_masked_series_are_refused_where_time_order_matters():
    import shiftwatch

    s = np.ma.masked_array(np.arange(30.0), mask=[0] * 29 + [1])
    with pytest.raises(ValueError, match="masked"):
        sw.acf(s, nlags=2)
    with pytest.raises(ValueError, match="masked"):
        shiftwatch.compare(s, np.arange(30.0))


@pytest.mark.parametrize("center", ["median", "mean", "trimmed"])
def test_fligner_axis_keepdims_and_propagate_match_scipy(center, rng):
    a, b, c = rng.normal(size=(4, 12)), rng.normal(0, 2, size=(4, 9)), rng.normal(size=(1, 7))
    for kwargs in ({"axis": 1}, {"axis": -1, "keepdims": True}, {"axis": None}):
        same(sw.fligner(a, b, c, center=center, **kwargs),
             quiet(ss.fligner, a, b, c, center=center, **kwargs))
    a[2, 3] = np.nan
    same(sw.fligner(a, b, c, center=center, axis=1, nan_policy="propagate"),
         quiet(ss.fligner, a, b, c, center=center, axis=1))


def test_block_bootstrap_refuses_masked_series():
    a = np.ma.masked_array(np.arange(40.0), mask=[0] * 39 + [1])
    b = np.arange(40.0) + 1
    kept = sw.bootstrap_ci(a, b, scheme="iid", n_resamples=99, rng=1)
    assert kept == sw.bootstrap_ci(np.arange(39.0), b, scheme="iid", n_resamples=99, rng=1)
    # Block schemes, and "auto" (the default, which may pick one), refuse masked series.
    for scheme in ("stationary", "auto"):
        with pytest.raises(ValueError, match="masked"):
            sw.bootstrap_ci(a, b, scheme=scheme, n_resamples=99, rng=1)


def test_ks_on_constant_samples_matches_scipy():
    same(sw.ks_2samp([3.0, 3, 3], [3.0, 3, 3]), ss.ks_2samp([3.0, 3, 3], [3.0, 3, 3]))


@pytest.mark.parametrize("name", ["wilcoxon", "ansari", "brunnermunzel"])
def test_other_constant_cases_raise_where_scipy_gives_arbitrary_numbers(name):
    # scipy: wilcoxon of all-zero differences gives p = 1, NaN or 0.25 depending on
    # zero_method/method; ansari p = 0.243; brunnermunzel NaN. shiftwatch says why instead.
    import shiftwatch

    with pytest.raises(shiftwatch.InsufficientDataError):
        TESTS[name][0]([3.0, 3, 3], [3.0, 3, 3])
