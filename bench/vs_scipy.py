"""Times shiftwatch.stats against scipy.stats on the same inputs and prints a table of ratios.

Run with the package built in release mode (``maturin develop --release``)::

    python bench/vs_scipy.py            # full sizes (about a minute)
    python bench/vs_scipy.py --quick    # small sizes, a smoke test

Each row: the same call through both libraries on the same data; the best of ``--repeat``
wall-clock runs (after one warm-up). scipy's bootstrap with 9 999 resamples of 10^4 vs 10^4 takes
~20 s, so by default it runs with fewer resamples and its time is scaled linearly to 9 999
(the cost is linear in the number of resamples); the row says so.
"""

from __future__ import annotations

import argparse
import platform
import time
from typing import Any, Callable

import numpy as np
import scipy
import scipy.stats
import shiftwatch
from shiftwatch import stats as sw


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up (and first-call costs such as imports)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def fmt_time(t: float) -> str:
    if t >= 1:
        return f"{t:8.2f} s "
    if t >= 1e-3:
        return f"{t * 1e3:8.2f} ms"
    return f"{t * 1e6:8.1f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--scipy-resamples",
        type=int,
        default=999,
        help="resamples for scipy's bootstrap (time scaled to 9 999); 9999 to run it in full",
    )
    args = parser.parse_args()

    big = 10**4 if args.quick else 10**6
    boot_n = 10**3 if args.quick else 10**4
    n_resamples = 999 if args.quick else 9_999
    scipy_resamples = min(args.scipy_resamples, n_resamples)
    rng = np.random.default_rng(20261125)
    x = rng.lognormal(0.0, 0.5, big)
    y = rng.lognormal(0.02, 0.5, big)
    bx = rng.lognormal(0.0, 0.5, boot_n)
    by = rng.lognormal(0.02, 0.5, boot_n)

    rows: list[tuple[str, float, float, str]] = []

    def row(name: str, ours: Callable[[], Any], theirs: Callable[[], Any], note: str = "",
            scale: float = 1.0, repeat: int | None = None) -> None:
        r = args.repeat if repeat is None else repeat
        t_ours = best_time(ours, r)
        t_theirs = best_time(theirs, r) * scale
        rows.append((name, t_ours, t_theirs, note))
        print(f"  measured {name}", flush=True)

    n = f"{big:.0e}".replace("+0", "")
    row(f"Mann-Whitney U asymptotic, {n} vs {n}",
        lambda: sw.mannwhitneyu(x, y),
        lambda: scipy.stats.mannwhitneyu(x, y, method="asymptotic"))
    row(f"Kolmogorov-Smirnov auto, {n} vs {n}",
        lambda: sw.ks_2samp(x, y),
        lambda: scipy.stats.ks_2samp(x, y))
    row(f"Welch t-test, {n} vs {n}",
        lambda: sw.ttest_ind(x, y, equal_var=False),
        lambda: scipy.stats.ttest_ind(x, y, equal_var=False))
    row(f"Brunner-Munzel, {n} vs {n}",
        lambda: sw.brunnermunzel(x, y),
        lambda: scipy.stats.brunnermunzel(x, y))

    def scipy_boot() -> Any:
        return scipy.stats.bootstrap(
            (bx, by),
            lambda a, b, axis: np.median(b, axis=axis) - np.median(a, axis=axis),
            n_resamples=scipy_resamples,
            method="percentile",
            vectorized=True,
            rng=np.random.default_rng(1),
        )

    scale = n_resamples / scipy_resamples
    note = "" if scale == 1 else f"scipy ran {scipy_resamples} resamples, time x{scale:.1f}"
    bn = f"{boot_n:.0e}".replace("+0", "")
    row(f"bootstrap CI median diff, {bn} vs {bn}, B={n_resamples}",
        lambda: sw.bootstrap_ci(bx, by, statistic="median_diff", n_resamples=n_resamples,
                                method="percentile", rng=1),
        scipy_boot, note=note, scale=scale, repeat=1)

    print()
    print(f"shiftwatch {shiftwatch.__version__} vs scipy {scipy.__version__}, numpy "
          f"{np.__version__}, Python {platform.python_version()}, {platform.machine()}")
    header = f"{'case':<48} {'shiftwatch':>11} {'scipy':>11} {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    for name, t_ours, t_theirs, note in rows:
        print(f"{name:<48} {fmt_time(t_ours):>11} {fmt_time(t_theirs):>11} "
              f"{t_theirs / t_ours:8.1f}x")
        if note:
            print(f"  ({note})")


if __name__ == "__main__":
    main()
