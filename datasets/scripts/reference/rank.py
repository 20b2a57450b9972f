"""Reference values for the rank tests: scipy.stats.mannwhitneyu and scipy.stats.wilcoxon.

Run: python datasets/scripts/reference/rank.py
Writes datasets/reference/rank.json, read by core/tests/reference_rank.rs.

Samples are stored as integers with a per-case ``scale``; both sides compute
``value = int / scale`` (one correctly rounded IEEE division), so Rust ranks exactly the same
doubles as scipy did, whatever the JSON float parser. Heavy tails (Cauchy, lognormal), heavy
ties (small integers, coarse rounding), zeros, very unequal sizes, every alternative and method.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy import stats

from _common import write

RNG = np.random.default_rng(20261125)


def draw(kind: str, n: int, shift: float = 0.0):
    """(ints, scale) for a sample of ``n`` values of the given kind."""
    if kind == "normal":
        v, scale = RNG.normal(shift, 1.0, n), 10_000
    elif kind == "cauchy":
        v, scale = RNG.standard_cauchy(n) + shift, 1_000
    elif kind == "lognormal":
        v, scale = RNG.lognormal(shift, 1.0, n), 10_000
    elif kind == "ties":  # heavy ties: small integers
        v, scale = np.round(RNG.normal(3 + shift, 1.5, n)), 1
    elif kind == "coarse":  # moderate ties: one decimal
        v, scale = np.round(RNG.normal(shift, 1.0, n), 1), 10
    elif kind == "binary":  # two values only
        v, scale = (RNG.random(n) < 0.5 + 0.1 * shift).astype(float), 1
    else:
        raise ValueError(kind)
    ints = np.round(np.clip(v, -1e6, 1e6) * scale).astype(np.int64)
    return ints, scale


def values(ints, scale):
    return np.asarray(ints, dtype=np.float64) / scale


def mwu_auto(n1, n2, x, y):
    # scipy.stats._mannwhitneyu._mwu_choose_method
    if n1 > 8 and n2 > 8:
        return "asymptotic"
    xy = np.concatenate([x, y])
    if len(np.unique(xy)) < len(xy):
        return "asymptotic"
    return "exact"


def mwu_cases():
    cases = []
    sizes = [(1, 1), (1, 2), (2, 1), (2, 3), (3, 5), (5, 3), (4, 4), (6, 8), (8, 8), (8, 9),
             (9, 9), (1, 40), (8, 60), (7, 200), (10, 12), (20, 30), (50, 50), (60, 90),
             (150, 150), (1, 2000), (3, 3000), (100, 1000), (1000, 10), (1000, 1000),
             (2000, 3), (5000, 5000), (10000, 9000), (10000, 1)]
    kinds = ["normal", "cauchy", "lognormal", "ties", "coarse", "binary"]
    for (n1, n2), kind in itertools.product(sizes, kinds):
        if n1 + n2 > 1500 and kind not in ("cauchy", "ties", "lognormal"):
            continue
        if n1 * n2 > 1_000_000:
            # Big samples cost JSON space: one heavy-tailed, one heavily tied.
            if kind not in ("cauchy", "ties"):
                continue
        xi, scale = draw(kind, n1)
        yi, _ = draw(kind, n2, shift=0.3 if (n1 + n2) % 2 else 0.0)
        x, y = values(xi, scale), values(yi, scale)
        if np.all(np.concatenate([x, y]) == x[0]):
            continue  # constant: an error in shiftwatch, covered by unit tests
        results = []
        # scipy's exact recurrence is O((n1 n2)^2): keep it to where scipy finishes quickly.
        methods = ["auto", "asymptotic"] + (["exact"] if n1 * n2 <= 40_000 else [])
        for method, alternative, cont in itertools.product(
                methods, ["two-sided", "less", "greater"], [True, False]):
            if method == "exact" and not cont:
                continue  # continuity does not affect the exact method
            res = stats.mannwhitneyu(x, y, use_continuity=cont, alternative=alternative,
                                     method=method)
            used = mwu_auto(n1, n2, x, y) if method == "auto" else method
            results.append([method, alternative, cont, used, float(res.statistic),
                            float(res.pvalue)])
        cases.append({"test": "mannwhitneyu", "kind": kind, "scale": scale,
                      "x": xi.tolist(), "y": yi.tolist(), "results": results})
    return cases


def wilcoxon_auto(d, zero_method):
    # scipy.stats._wilcoxon._wilcoxon_nd, method="auto"
    n = len(d)
    if n > 50:
        return "asymptotic"
    n_zero = int(np.sum(d == 0))
    ranked = np.abs(d[d != 0]) if zero_method == "wilcox" else np.abs(d)
    has_ties = len(np.unique(ranked)) < len(ranked)
    if not (has_ties or n_zero > 0):
        return "exact"
    if n <= 13:
        return "permutation"
    return "asymptotic"


def wilcoxon_cases():
    cases = []
    sizes = [1, 2, 3, 5, 8, 10, 13, 14, 20, 30, 50, 51, 53, 60, 100, 300, 1000, 10000]
    kinds = ["normal", "cauchy", "lognormal", "ties", "coarse", "zeros"]
    for n, kind, paired in itertools.product(sizes, kinds, [False, True]):
        if n >= 1000 and (paired or kind not in ("cauchy", "ties", "zeros")):
            continue
        if kind == "zeros":  # continuous values with ~20% exact zeros
            di, scale = draw("normal", n, shift=0.2)
            di[RNG.random(n) < 0.2] = 0
        elif kind == "lognormal":  # skewed positive differences shifted to both signs
            di, scale = draw("lognormal", n)
            di -= int(np.median(di))
        else:
            di, scale = draw(kind, n, shift=0.3 if n % 2 else 0.0)
            if kind == "ties":
                di -= 3
        if paired:
            yi, _ = draw("ties" if kind == "ties" else "normal", n)
            yi = yi * (scale if kind != "ties" else 1)
            xi = di + yi
            x, y = values(xi, scale), values(yi, scale)
            d = x - y
        else:
            xi, yi = di, None
            x, y = values(xi, scale), None
            d = x
        if np.all(d == 0):
            continue
        results = []
        for zero_method, alternative, correction in itertools.product(
                ["wilcox", "pratt", "zsplit"], ["two-sided", "less", "greater"],
                [False, True]):
            methods = ["auto", "asymptotic"]
            if n <= 300:
                methods.append("exact")
            if n <= 13:
                methods.append("permutation")
            for method in methods:
                if method != "asymptotic" and correction and method != "auto":
                    continue  # correction only affects the normal approximation
                used = wilcoxon_auto(d, zero_method) if method == "auto" else method
                if used != "asymptotic" and correction and method == "auto":
                    continue
                arg = stats.PermutationMethod() if method == "permutation" else method
                try:
                    with np.errstate(all="ignore"):
                        res = stats.wilcoxon(x, y, zero_method=zero_method,
                                             correction=correction, alternative=alternative,
                                             method=arg)
                except ValueError:  # scipy's permutation_test needs two or more pairs
                    continue
                p = float(res.pvalue)
                if not np.isfinite(p):
                    continue  # only zeros ranked (pratt): an error in shiftwatch
                z = float(res.zstatistic) if method == "asymptotic" else None
                results.append([zero_method, alternative, correction, method, used,
                                float(res.statistic), p, z])
        cases.append({"test": "wilcoxon", "kind": kind, "scale": scale, "x": xi.tolist(),
                      "y": None if yi is None else yi.tolist(), "results": results})
    return cases


if __name__ == "__main__":
    cases = mwu_cases() + wilcoxon_cases()
    n_results = sum(len(c["results"]) for c in cases)
    # Results are rows (kept compact: ~10^4 of them) with these columns.
    columns = {
        "mannwhitneyu": ["method", "alternative", "use_continuity", "method_used",
                         "statistic", "p_value"],
        "wilcoxon": ["zero_method", "alternative", "correction", "method", "method_used",
                     "statistic", "p_value", "z"],
    }
    write("rank", cases, packages=["numpy", "scipy"], n_results=n_results, columns=columns)
    print(f"{n_results} (data set, options) results")
