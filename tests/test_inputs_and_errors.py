"""Every wrapped function: accepted input types, and the exceptions bad input raises."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import shiftwatch
from shiftwatch import stats as sw

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

X = [1.2, 3.4, 2.2, 5.1, 0.3, 4.4, 2.9, 3.3, 1.7, 2.8, 6.0, 0.9]
Y = [2.1, 4.4, 3.3, 6.2, 1.5, 5.0, 3.1, 4.8, 2.6, 3.9, 7.2, 1.8]

# name → call taking two samples (the paired ones need equal lengths, as X and Y have).
TWO_SAMPLE: dict[str, Callable[[Any, Any], Any]] = {
    "mannwhitneyu": lambda x, y: sw.mannwhitneyu(x, y),
    "ttest_ind": lambda x, y: sw.ttest_ind(x, y),
    "ttest_ind_welch": lambda x, y: sw.ttest_ind(x, y, equal_var=False),
    "ttest_rel": lambda x, y: sw.ttest_rel(x, y),
    "ks_2samp": lambda x, y: sw.ks_2samp(x, y),
    "brunnermunzel": lambda x, y: sw.brunnermunzel(x, y),
    "wilcoxon": lambda x, y: sw.wilcoxon(x, y),
    "ansari": lambda x, y: sw.ansari(x, y),
    "fligner": lambda x, y: sw.fligner(x, y),
    "anderson_ksamp": lambda x, y: sw.anderson_ksamp([x, y]),
    "hodges_lehmann": lambda x, y: sw.hodges_lehmann(x, y),
    "cliffs_delta": lambda x, y: sw.cliffs_delta(x, y),
    "bootstrap_ci": lambda x, y: sw.bootstrap_ci(x, y, n_resamples=99, rng=1),
    "permutation_test": lambda x, y: sw.permutation_test(x, y, n_resamples=99, rng=1),
}

CONVERTERS: dict[str, Callable[[list[float]], Any]] = {
    "list": list,
    "float32": lambda v: np.asarray(v, dtype=np.float32),
    "int64": lambda v: np.round(np.asarray(v) * 10).astype(np.int64),
    "strided": lambda v: np.repeat(np.asarray(v), 2)[::2],
    "pandas": pd.Series,
    "polars": pl.Series,
}


def baseline(name: str) -> Any:
    return TWO_SAMPLE[name](np.asarray(X), np.asarray(Y))


@pytest.mark.parametrize("name", TWO_SAMPLE)
@pytest.mark.parametrize("conv", CONVERTERS)
def test_input_types_give_the_same_result(name, conv):
    make = CONVERTERS[conv]
    ours = TWO_SAMPLE[name](make(X), make(Y))
    ref = TWO_SAMPLE[name](
        np.asarray(make(X), dtype=np.float64), np.asarray(make(Y), dtype=np.float64)
    )
    assert ours.to_dict() == ref.to_dict()


@pytest.mark.parametrize("name", TWO_SAMPLE)
def test_result_is_frozen_with_dict_and_repr(name):
    res = baseline(name)
    d = res.to_dict()
    assert isinstance(d, dict) and d
    assert type(res).__name__ in repr(res)
    field = next(iter(d))
    with pytest.raises(AttributeError):
        setattr(res, field, 0)


@pytest.mark.parametrize("name", TWO_SAMPLE)
def test_empty_raises_insufficient_data(name):
    with pytest.raises(shiftwatch.InsufficientDataError):
        TWO_SAMPLE[name]([], [])


@pytest.mark.parametrize("name", TWO_SAMPLE)
def test_nan_raises_value_error_naming_index(name):
    x = list(X)
    x[3] = float("nan")
    with pytest.raises(ValueError, match="index 3"):
        TWO_SAMPLE[name](x, Y)


# scipy ranks ±inf (rank tests) and returns NaN (t-tests); see test_scipy_axis.py.
SCIPY_INF = ("mannwhitneyu", "ks_2samp", "brunnermunzel", "wilcoxon", "ansari", "ttest_ind",
             "ttest_ind_welch", "ttest_rel")


@pytest.mark.parametrize("name", [n for n in TWO_SAMPLE if n not in SCIPY_INF])
def test_infinity_raises(name):
    y = list(Y)
    y[0] = float("inf")
    with pytest.raises(ValueError):
        TWO_SAMPLE[name](X, y)


@pytest.mark.parametrize(
    "name",
    [n for n in TWO_SAMPLE if n not in ("ks_2samp", "mannwhitneyu", "cliffs_delta",
                                        "hodges_lehmann", "permutation_test", "wilcoxon",
                                        "ansari")],
)
def test_one_value_each_raises_insufficient_data(name):
    with pytest.raises(shiftwatch.InsufficientDataError):
        TWO_SAMPLE[name]([1.0], [2.0])


@pytest.mark.parametrize(
    "name",
    ["ttest_ind", "ttest_rel", "brunnermunzel", "wilcoxon", "ansari", "anderson_ksamp",
     "fligner"],
)
def test_constant_samples_raise_insufficient_data(name):
    with pytest.raises(shiftwatch.InsufficientDataError):
        TWO_SAMPLE[name]([2.0] * 10, [2.0] * 10)


def test_nan_policy_omit_drops_nans():
    x = [*X, float("nan")]
    assert sw.mannwhitneyu(x, Y, nan_policy="omit") == sw.mannwhitneyu(X, Y)


def test_nan_policy_propagate_is_refused_where_not_vectorised():
    with pytest.raises(ValueError, match="nan_policy"):
        sw.hodges_lehmann(X, Y, nan_policy="propagate")
    with pytest.raises(ValueError, match="nan_policy"):
        sw.mannwhitneyu(X, Y, nan_policy="spread")


def test_unknown_names_raise_value_error():
    with pytest.raises(ValueError, match="alternative"):
        sw.mannwhitneyu(X, Y, alternative="bigger")
    with pytest.raises(ValueError, match="method"):
        sw.ks_2samp(X, Y, method="magic")


def test_paired_length_mismatch():
    with pytest.raises(ValueError, match="length"):
        sw.ttest_rel(X, Y[:-1])


def test_insufficient_data_is_a_value_error():
    assert issubclass(shiftwatch.InsufficientDataError, ValueError)
    assert shiftwatch.InsufficientDataError.__module__ == "shiftwatch"


def test_results_unpack_like_scipy():
    stat, p = sw.mannwhitneyu(X, Y)
    assert 0 <= p <= 1 and stat >= 0


def test_concurrent_calls_from_threads_agree_with_sequential():
    # The engine runs with the GIL released; results must not depend on concurrency.
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(11)
    data = [(rng.normal(size=5000), rng.normal(0.01, 1, 5000)) for _ in range(8)]

    def work(pair: tuple[np.ndarray, np.ndarray]) -> tuple[Any, ...]:
        x, y = pair
        return (sw.mannwhitneyu(x, y), sw.ks_2samp(x, y), shiftwatch.compare(x, y).to_dict(),
                sw.bootstrap_ci(x, y, n_resamples=99, rng=3))

    sequential = [work(p) for p in data]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(work, data))
    assert concurrent == sequential


def test_one_sided_intervals_keep_infinity():
    res = sw.bootstrap_ci(X, Y, "mean_diff", alternative="less", n_resamples=99, rng=1)
    assert res.confidence_interval.low == -np.inf
    assert np.isfinite(res.confidence_interval.high)
    ci = sw.ttest_ind(X, Y, alternative="greater").confidence_interval()
    assert ci.high == np.inf
    assert "inf" in repr(ci)


@pytest.mark.parametrize(
    "call",
    [
        lambda: sw.bootstrap_ci(X, Y, n_resamples=1.5),
        lambda: sw.permutation_test(X, Y, n_resamples=99.5),
        lambda: sw.poisson_rate_ratio(1.9, 1.0, 3, 1.0),
        lambda: sw.poisson_rate_ratio(2, 1.0, 3.5, 1.0),
        lambda: sw.acf(X, nlags=2.5),
        lambda: sw.bootstrap_ci(X, Y, n_resamples=float("nan")),
    ],
)
def test_fractional_integer_arguments_are_refused_not_truncated(call):
    with pytest.raises(ValueError, match="whole number"):
        call()


def test_float_seed_and_bool_counts_are_refused():
    with pytest.raises(TypeError, match="rng"):
        sw.bootstrap_ci(X, Y, n_resamples=99, rng=1.5)
    with pytest.raises(TypeError, match="k1"):
        sw.poisson_rate_ratio(True, 1.0, 3, 1.0)


def test_whole_floats_are_accepted_as_integers():
    a = sw.bootstrap_ci(X, Y, n_resamples=1e3, rng=4)
    assert a == sw.bootstrap_ci(X, Y, n_resamples=1000, rng=4)
    assert sw.poisson_rate_ratio(2.0, 1.0, 3, 1.0) == sw.poisson_rate_ratio(2, 1.0, 3, 1.0)


@pytest.mark.parametrize("name", TWO_SAMPLE)
def test_results_have_an_html_table_of_their_fields(name):
    res = baseline(name)
    page = res._repr_html_()
    assert page.startswith("<table>") and type(res).__name__ in page
    for field in res.to_dict():
        assert f">{field}<" in page
    if hasattr(res, "confidence_interval") and not callable(res.confidence_interval):
        assert "(95 %)" in page


def test_vectorised_results_show_shapes_in_html():
    res = sw.mannwhitneyu(np.arange(12.0).reshape(3, 4), np.arange(4.0) + 0.5, axis=1)
    assert "array(3,)" in res._repr_html_()
