"""Issue 9 (hardening), the Python side: absurd sizes, Ctrl-C, the dependence-aware bootstrap
default, and a property test over random arguments of the Python entry points."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shiftwatch
from shiftwatch import stats as sw


# Item 1: nothing a user passes aborts the interpreter or raises PanicException.
@pytest.mark.parametrize("n", [10**10, 2**62, 2**64, 2**200])
def test_item01_absurd_resample_counts_raise_value_error(n: int) -> None:
    x = np.arange(50.0)
    with pytest.raises(ValueError, match="n_resamples"):
        sw.bootstrap_ci(x, x + 1, n_resamples=n, rng=0)
    with pytest.raises(ValueError, match="n_resamples"):
        sw.permutation_test(x, x + 1, n_resamples=n, rng=0)


# Item 4: Ctrl-C stops a long bootstrap or permutation test within a second or two.
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
@pytest.mark.parametrize(
    "call",
    [
        "sw.bootstrap_ci(x, x + 1, n_resamples=9_999_999, method='percentile', rng=0, scheme='iid')",
        "sw.permutation_test(x, x + 1, n_resamples=10**9, rng=0)",
    ],
)
def test_item04_ctrl_c_interrupts_long_calls(call: str) -> None:
    code = textwrap.dedent(f"""
        import sys, numpy as np
        from shiftwatch import stats as sw
        x = np.random.default_rng(0).normal(size=20_000)
        print("start", flush=True)
        try:
            {call}
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(42)
        sys.exit(0)
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    assert p.stdout is not None
    assert p.stdout.readline().strip() == "start"
    time.sleep(1.0)
    t0 = time.monotonic()
    os.kill(p.pid, signal.SIGINT)
    try:
        out, err = p.communicate(timeout=15)
    finally:
        p.kill()
    assert p.returncode == 42, (out, err)
    assert time.monotonic() - t0 < 5, "took too long to stop"


def test_item04_progress_callback_sees_the_whole_run() -> None:
    seen: list[tuple[int, int]] = []
    from shiftwatch import _native
    x = np.arange(200.0)
    _native.bootstrap_ci(x, x + 1, "mean_diff", 0.5, 20_000, 0.95, "two-sided", "percentile",
                         "iid", None, 0, lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (20_000, 20_000)
    assert all(t == 20_000 for _, t in seen)


def test_item04_a_failing_progress_callback_stops_and_raises() -> None:
    from shiftwatch import _native

    def boom(done: int, total: int) -> None:
        raise RuntimeError("stop here")

    x = np.arange(2000.0)
    with pytest.raises(RuntimeError, match="stop here"):
        _native.permutation_test(x, x + 1, "mean_diff", 0.5, 10**8, "two-sided", 0, boom)


def test_progress_argument_is_checked_and_silent_when_false() -> None:
    x = np.arange(30.0)
    r = sw.bootstrap_ci(x, x + 1, n_resamples=99, method="percentile", rng=0, progress=False)
    assert r.estimate == 1.0
    r = sw.bootstrap_ci(x, x + 1, n_resamples=99, method="percentile", rng=0, progress=True)
    assert r.estimate == 1.0
    with pytest.raises(TypeError):
        sw.bootstrap_ci(x, x + 1, n_resamples=99, rng=0, progress="yes")  # type: ignore[arg-type]


# Item 16: the default is dependence-aware on autocorrelated series, and says which ran.
def test_item16_bootstrap_default_follows_the_autocorrelation() -> None:
    g = np.random.default_rng(16)
    e = g.normal(size=(2, 400))
    ar = np.zeros_like(e)
    for t in range(1, 400):
        ar[:, t] = 0.8 * ar[:, t - 1] + e[:, t]
    dep = sw.bootstrap_ci(ar[0], ar[1] + 1, statistic="mean_diff", rng=0,
                          method="percentile", n_resamples=1999)
    assert dep.scheme == "stationary"
    assert dep.lag1 is not None and dep.lag1[0] > 0.6
    iid = sw.bootstrap_ci(ar[0], ar[1] + 1, statistic="mean_diff", rng=0,
                          method="percentile", n_resamples=1999, scheme="iid")
    width = lambda r: r.confidence_interval.high - r.confidence_interval.low  # noqa: E731
    # iid resampling is far too narrow at phi = 0.8 (long-run sd is 3x the sd).
    assert width(dep) > 2 * width(iid)
    white = sw.bootstrap_ci(e[0], e[1], statistic="mean_diff", rng=0, n_resamples=999)
    assert white.scheme == "iid" and white.lag1 is not None


# Item 22: random arguments to the Python entry points: an answer or a clear exception
# (ValueError/TypeError/InsufficientDataError), never a PanicException or a crash.
finite = st.floats(allow_nan=True, allow_infinity=True, width=64)
samples = st.lists(finite, min_size=0, max_size=30)
names = st.sampled_from(["mean_diff", "median_ratio", "quantile_diff", "bogus", ""])
counts = st.one_of(st.integers(min_value=-5, max_value=2_000), st.integers(min_value=2**31),
                   st.floats(allow_nan=True), st.none(), st.booleans())
levels = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-2, 2))

ALLOWED = (ValueError, TypeError, OverflowError, shiftwatch.InsufficientDataError)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=samples, y=samples, statistic=names, n=counts, level=levels,
       scheme=st.sampled_from(["auto", "iid", "stationary", "moving-block", "nope"]),
       method=st.sampled_from(["BCa", "percentile", "x"]), q=levels)
def test_item22_bootstrap_and_permutation_on_random_arguments(
    x: list[float], y: list[float], statistic: str, n: object, level: object, scheme: str,
    method: str, q: object,
) -> None:
    try:
        sw.bootstrap_ci(x, y, statistic, q=q, n_resamples=n, confidence_level=level,  # type: ignore[arg-type]
                        method=method, scheme=scheme, rng=0, progress=False)
    except ALLOWED:
        pass
    try:
        sw.permutation_test(x, y, statistic, q=q, n_resamples=n, rng=0,  # type: ignore[arg-type]
                            progress=False)
    except ALLOWED:
        pass


@settings(max_examples=200, deadline=None)
@given(x=samples, y=samples, alpha=levels,
       paired=st.sampled_from([None, "difference", "log-ratio", "bad"]),
       method=st.sampled_from(["auto", "iid", "ewc", "nope"]))
def test_item22_compare_on_random_arguments(
    x: list[float], y: list[float], alpha: object, paired: str | None, method: str
) -> None:
    try:
        shiftwatch.compare(x, y, alpha=alpha, paired=paired, method=method)  # type: ignore[arg-type]
    except ALLOWED:
        pass


@settings(max_examples=150, deadline=None)
@given(x=st.lists(finite, min_size=0, max_size=60),
       min_size=st.one_of(st.integers(-3, 2**70), st.floats(allow_nan=True)),
       method=st.sampled_from(["pelt", "binseg", "dp", "edivisive", "nope"]),
       permutations=st.one_of(st.integers(-1, 200), st.integers(min_value=2**32)))
def test_item22_detect_on_random_arguments(
    x: list[float], min_size: object, method: str, permutations: int
) -> None:
    try:
        shiftwatch.detect(x, min_size=min_size, method=method,  # type: ignore[arg-type]
                          permutations=permutations)
    except ALLOWED:
        pass


def test_crops_and_edivisive_report_progress_and_accept_progress_false():
    import shiftwatch

    x = np.concatenate([np.zeros(200), np.ones(200) * 3, np.zeros(200)]) + np.random.default_rng(
        1
    ).normal(0, 1, 600)
    calls = []
    # The native hooks: callback(done, total) between CROPS searches and permutations.
    shiftwatch._native.crops(x, 1.0, 1000.0, "l2", "pelt", 5, lambda d, t: calls.append((d, t)))
    assert calls and calls[-1][0] >= 2, calls
    path = shiftwatch.crops(x, 1.0, 1000.0, progress=False)
    assert len(path.path) >= 2
    det = shiftwatch.detect(x, method="edivisive", permutations=49, progress=False)
    assert det.indices


def test_crops_callback_error_stops_the_search():
    import shiftwatch

    x = np.random.default_rng(2).normal(0, 1, 300)

    def boom(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        shiftwatch._native.crops(x, 0.1, 1000.0, "l2", "pelt", 2, boom)
