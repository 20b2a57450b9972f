"""Reference values for quantiles, effect sizes, bootstrap, block length and permutation tests.

Run with a Python that has numpy, scipy and arch (arch is not in the development virtualenv)::

    python -m venv /tmp/venv-arch && /tmp/venv-arch/bin/pip install numpy scipy arch
    /tmp/venv-arch/bin/python datasets/scripts/reference/resample.py

Sources of the expected values:
- quantile / median / effects: numpy.quantile, numpy.median, numpy.mean.
- Hodges–Lehmann: brute force over all m*n differences (numpy), CI indices from R's
  wilcox.test(conf.int=TRUE) convention (exact: qwilcox by an independent recurrence with Python
  integers) or Hollander & Wolfe's normal approximation with tie-corrected variance.
- Cliff's delta: brute force over the m*n sign matrix, Cliff (1996) variance and interval.
- BCa: scipy.stats.bootstrap(method='BCa'); its bootstrap distribution is stored so the Rust
  side recomputes the interval from the same distribution.
- Percentile bootstrap: scipy.stats.bootstrap(method='percentile'); compared within Monte-Carlo
  error (different random numbers).
- block length: arch.bootstrap.optimal_block_length.
- permutation: scipy.stats.permutation_test (exact enumeration and Monte Carlo).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy
from scipy import stats
from scipy.special import ndtri

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import write  # noqa: E402

RNG = np.random.default_rng(20261125)


def sample(kind: str, n: int, rng=RNG) -> np.ndarray:
    """Seeded data of a few shapes, rounded so the JSON stays small (ties come from rounding)."""
    if kind == "normal":
        x = rng.normal(10, 2, n)
    elif kind == "cauchy":
        x = rng.standard_cauchy(n)
    elif kind == "lognormal":
        x = rng.lognormal(0, 1.5, n)
    elif kind == "ties":
        return rng.integers(0, 6, n).astype(float)
    else:
        raise ValueError(kind)
    return np.round(x, 4)


# ---------------------------------------------------------------- quantile / effects
def quantile_cases():
    cases = []
    qs = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0, 1 / 3]
    for n in [1, 2, 3, 4, 5, 10, 101, 1000, 10_000]:
        for kind in ["normal", "cauchy", "ties"]:
            if n >= 1000 and kind == "normal":
                continue
            x = sample(kind, n)
            cases.append({
                "kind": kind,
                "x": x,
                "q": qs,
                "quantile": [float(np.quantile(x, q)) for q in qs],
                "median": float(np.median(x)),
                "mean": float(np.mean(x)),
            })
    return cases


# ---------------------------------------------------------------- Hodges–Lehmann
@lru_cache(maxsize=None)
def wilcox_counts(m: int, n: int) -> tuple:
    """Counts of arrangements of m x's and n y's by Mann–Whitney count u = 0..m n, from the
    classic recurrence f(m', n') = f(m', n' - 1) shifted by m' + f(m' - 1, n') (the largest value
    is a y, which exceeds all m' x's, or an x), in exact Python integers."""
    prev = [[1] for _ in range(n + 1)]  # m' = 0: one arrangement with u = 0
    for mm in range(1, m + 1):
        row = [[1]]  # n' = 0
        for nn in range(1, n + 1):
            f = [0] * (mm * nn + 1)
            for u, c in enumerate(row[nn - 1]):  # f(mm, nn - 1) shifted by mm
                f[u + mm] += c
            for u, c in enumerate(prev[nn]):  # f(mm - 1, nn)
                f[u] += c
            row.append(f)
        prev = row
    return tuple(prev[n])


def qwilcox(p: float, m: int, n: int) -> int:
    """R's qwilcox(p, m, n): smallest q with P(U <= q) >= p - 10 eps."""
    counts = wilcox_counts(m, n)
    total = sum(counts)
    target = p - 10 * np.finfo(float).eps
    cum = 0
    for q in range(m * n + 1):
        cum += counts[q]
        if float(cum) / float(total) >= target:
            return q
    return m * n


def hl_reference(x, y, level, alternative, method):
    m, n = len(x), len(y)
    d = np.sort((y[:, None] - x[None, :]).ravel())
    est = float(np.median(d))
    pooled = np.concatenate([x, y])
    _, t = np.unique(pooled, return_counts=True)
    tie_sum = float(np.sum(t.astype(float) ** 3 - t))
    if method == "auto":
        method = "exact" if (m < 50 and n < 50 and tie_sum == 0) else "asymptotic"
    alpha = (1 - level) / 2 if alternative == "two-sided" else 1 - level
    if method == "exact":
        k = max(1, qwilcox(alpha, m, n))
    else:
        big = m + n
        var = m * n / 12 * (big + 1 - tie_sum / (big * (big - 1))) if big > 1 else 0.0
        c = np.round(m * n / 2 - (-ndtri(alpha)) * np.sqrt(max(var, 0.0)))
        k = 1 if c < 1 else int(c)
    k = min(k, m * n)
    lo, hi = float(d[k - 1]), float(d[m * n - k])
    if alternative == "less":
        hi = float("inf")
    elif alternative == "greater":
        lo = float("-inf")
    return {"estimate": est, "lo": lo, "hi": hi, "k": k, "method": method}


def hl_cases():
    cases = []
    plans = [(1, 1), (1, 5), (3, 4), (5, 5), (7, 5), (10, 12), (30, 25), (49, 49),
             (60, 40), (200, 150), (1000, 800), (2000, 1500)]
    for m, n in plans:
        for kind in ["normal", "lognormal", "ties"]:
            if m * n > 500_000 and kind != "lognormal":
                continue
            x = sample(kind, m)
            y = sample(kind, n) + (0.3 if kind != "ties" else 1.0)
            results = []
            for alternative in ["two-sided", "less", "greater"]:
                for method in ["auto", "asymptotic"]:
                    level = 0.95 if alternative == "two-sided" else 0.9
                    ref = hl_reference(x, y, level, alternative, method)
                    results.append({"level": level, "alternative": alternative,
                                    "method_requested": method, **ref})
            cases.append({"kind": kind, "x": x, "y": y, "results": results})
    return cases


# ---------------------------------------------------------------- Cliff's delta
def cliff_reference(x, y, level):
    m, n = len(x), len(y)
    dij = np.sign(y[None, :] - x[:, None])  # rows: x_i, columns: y_j
    delta = dij.mean()
    di = dij.mean(axis=1)
    dj = dij.mean(axis=0)
    s2 = (n**2 * np.sum((di - delta) ** 2) + m**2 * np.sum((dj - delta) ** 2)
          - np.sum((dij - delta) ** 2)) / (m * n * (m - 1) * (n - 1))
    s2 = max(s2, (1 - delta**2) / (m * n - 1))
    z = -ndtri((1 - level) / 2)
    den = 1 - delta**2 + z**2 * s2
    if den > 0:
        half = z * np.sqrt(s2) * np.sqrt((1 - delta**2) ** 2 + z**2 * s2)
        lo, hi = (delta - delta**3 - half) / den, (delta - delta**3 + half) / den
    else:
        lo = hi = delta
    return {"delta": float(delta), "se": float(np.sqrt(s2)), "lo": float(max(lo, -1)),
            "hi": float(min(hi, 1))}


def cliff_cases():
    cases = []
    for m, n in [(2, 2), (2, 7), (5, 6), (20, 30), (100, 80), (700, 900), (3000, 2000)]:
        for kind in ["normal", "cauchy", "ties"]:
            x = sample(kind, m)
            y = sample(kind, n) + (0.5 if kind != "ties" else 1.0)
            cases.append({"kind": kind, "x": x, "y": y,
                          "results": [{"level": level, **cliff_reference(x, y, level)}
                                      for level in [0.9, 0.95]]})
    # Complete separation.
    cases.append({"kind": "separated", "x": [1.0, 2.0, 3.0], "y": [4.0, 5.0],
                  "results": [{"level": 0.95, **cliff_reference(np.array([1.0, 2.0, 3.0]),
                                                                np.array([4.0, 5.0]), 0.95)}]})
    return cases


# ---------------------------------------------------------------- bootstrap
def median_diff(x, y, axis=-1):
    return np.median(y, axis=axis) - np.median(x, axis=axis)


def mean_diff(x, y, axis=-1):
    return np.mean(y, axis=axis) - np.mean(x, axis=axis)


STATISTICS = {"median_diff": median_diff, "mean_diff": mean_diff}


def bca_cases():
    """scipy BCa intervals with the bootstrap distribution that produced them."""
    cases = []
    plans = [(8, 10, "normal"), (20, 15, "lognormal"), (40, 60, "normal"), (25, 25, "ties"),
             (100, 120, "cauchy"), (300, 200, "lognormal")]
    for i, (m, n, kind) in enumerate(plans):
        x = sample(kind, m)
        y = sample(kind, n) * 1.1
        for name, fn in STATISTICS.items():
            for alternative, level in [("two-sided", 0.95), ("less", 0.9), ("greater", 0.8)]:
                res = stats.bootstrap((x, y), fn, n_resamples=499, method="BCa",
                                      confidence_level=level, alternative=alternative,
                                      rng=np.random.default_rng(1000 + i))
                ci = res.confidence_interval
                cases.append({"kind": kind, "x": x, "y": y, "statistic": name, "level": level,
                              "alternative": alternative,
                              "boot": res.bootstrap_distribution,
                              "lo": float(ci.low), "hi": float(ci.high),
                              "standard_error": float(res.standard_error)})
    return cases


def percentile_cases():
    """scipy percentile intervals (9 999 resamples), compared within Monte-Carlo error."""
    cases = []
    plans = [(30, 40, "normal"), (200, 150, "lognormal"), (1000, 1000, "cauchy"),
             (500, 700, "ties")]
    for i, (m, n, kind) in enumerate(plans):
        x = sample(kind, m)
        y = sample(kind, n) + (0.2 if kind != "ties" else 0.0)
        for name, fn in STATISTICS.items():
            res = stats.bootstrap((x, y), fn, n_resamples=9999, method="percentile",
                                  rng=np.random.default_rng(2000 + i))
            ci = res.confidence_interval
            cases.append({"kind": kind, "x": x, "y": y, "statistic": name, "level": 0.95,
                          "n_resamples": 9999, "lo": float(ci.low), "hi": float(ci.high),
                          "standard_error": float(res.standard_error)})
    return cases


# ---------------------------------------------------------------- block length
def block_length_cases():
    from arch.bootstrap import optimal_block_length

    cases = []
    for n in [11, 50, 200, 1000, 5000]:
        for phi in [0.0, 0.5, 0.9, 0.99, -0.5]:
            for tails in ["normal", "t2"]:
                if tails == "t2" and (phi not in (0.0, 0.9) or n == 5000):
                    continue
                e = RNG.normal(size=n) if tails == "normal" else RNG.standard_t(2, size=n)
                x = np.empty(n)
                x[0] = e[0]
                for t in range(1, n):
                    x[t] = phi * x[t - 1] + e[t]
                x = np.round(x, 4)
                b = optimal_block_length(x)
                cases.append({"n": n, "phi": phi, "tails": tails, "x": x,
                              "stationary": float(b["stationary"].iloc[0]),
                              "circular": float(b["circular"].iloc[0])})
    return cases


# ---------------------------------------------------------------- permutation
def permutation_cases():
    cases = []

    def stat_mean(x, y, axis=-1):
        return np.mean(x, axis=axis) - np.mean(y, axis=axis)

    def stat_median(x, y, axis=-1):
        return np.median(x, axis=axis) - np.median(y, axis=axis)

    stats_ = {"mean_diff": stat_mean, "median_diff": stat_median}
    # Exact: C(m+n, m) <= 9999.
    for m, n in [(2, 2), (2, 5), (2, 3), (4, 4), (5, 7), (6, 6), (3, 10), (4, 12)]:
        for kind in ["normal", "ties", "cauchy"]:
            x = sample(kind, m)
            y = sample(kind, n) + (0.5 if kind != "ties" else 1.0)
            for name, fn in stats_.items():
                for alternative in ["two-sided", "less", "greater"]:
                    res = stats.permutation_test((x, y), fn, n_resamples=9999,
                                                 alternative=alternative,
                                                 permutation_type="independent",
                                                 rng=np.random.default_rng(1))
                    cases.append({"kind": kind, "x": x, "y": y, "statistic_name": name,
                                  "alternative": alternative, "exact": True,
                                  "n_resamples": 9999, "statistic": float(res.statistic),
                                  "p_value": float(res.pvalue),
                                  "n_null": int(len(res.null_distribution))})
    # Monte Carlo.
    for m, n in [(20, 25), (100, 80), (500, 400)]:
        for kind in ["normal", "ties", "lognormal"]:
            x = sample(kind, m)
            y = sample(kind, n) * 1.05
            for alternative in ["two-sided", "less", "greater"]:
                res = stats.permutation_test((x, y), stat_mean, n_resamples=9999,
                                             alternative=alternative,
                                             permutation_type="independent",
                                             rng=np.random.default_rng(2))
                cases.append({"kind": kind, "x": x, "y": y, "statistic_name": "mean_diff",
                              "alternative": alternative, "exact": False,
                              "n_resamples": 9999, "statistic": float(res.statistic),
                              "p_value": float(res.pvalue),
                              "n_null": int(len(res.null_distribution))})
    return cases


def main():
    import arch  # noqa: F401  (version recorded)

    sections = {
        "quantile": quantile_cases(),
        "hodges_lehmann": hl_cases(),
        "cliff": cliff_cases(),
        "bca": bca_cases(),
        "percentile": percentile_cases(),
        "block_length": block_length_cases(),
        "permutation": permutation_cases(),
    }
    # One flat list of cases tagged by section keeps _common.write's format.
    cases = [{"section": k, **c} for k, v in sections.items() for c in v]
    write("resample", cases, packages=["numpy", "scipy", "arch"],
          counts={k: len(v) for k, v in sections.items()})
    print({k: len(v) for k, v in sections.items()}, "scipy", scipy.__version__)


if __name__ == "__main__":
    main()
