"""Reference values for the distribution tests: KS two-sample, Ansari-Bradley, Fligner-Killeen,
Anderson-Darling k-sample.

Run with ``python datasets/scripts/reference/disttests.py``; writes
``datasets/reference/disttests.json``. Expected values come from scipy.stats; the data are
seeded draws rounded to 3 decimals (or integers, for ties), stored in the JSON as integers
``k`` meaning ``k / 1000``.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

from _common import clean, write

ALTS = ["two-sided", "less", "greater"]


def draw(rng, kind, n, shift=0.0, scale=1.0, den=1000):
    if kind == "normal":
        v = rng.normal(shift, scale, n)
    elif kind == "cauchy":
        v = shift + scale * rng.standard_cauchy(n)
    elif kind == "lognormal":
        v = shift + scale * rng.lognormal(0.0, 1.0, n)
    elif kind == "ties":
        v = np.floor(shift + scale * rng.integers(0, 6, n))
    elif kind == "uniform":
        v = shift + scale * rng.uniform(0, 1, n)
    else:
        raise ValueError(kind)
    # Values are multiples of 1/1000 stored as integers (k/1000 is correctly rounded in both
    # Python and Rust, so no decimal parsing can make two values collide or split).
    return [int(t) / den for t in np.round(v * den).astype(np.int64)]


def ints(values, den=1000):
    """The stored form of drawn values: integers k with value k/den."""
    return [int(round(v * den)) for v in values]


def ks_one_sided_rational(n1, n2, d):
    """Exact P(D+ >= d) for unequal sizes with integer path counts (Hodges' first-passage
    decomposition evaluated in exact arithmetic), as an accuracy check on scipy's float."""
    from fractions import Fraction
    from math import comb, gcd

    m, n = max(n1, n2), min(n1, n2)
    g = gcd(m, n)
    lcm = (m // g) * n
    h = int(np.round(d * lcm))
    if h == 0:
        return 1.0
    mg, ng = m // g, n // g
    lxj = n + (mg - h) // mg
    xj = [(h + mg * j + ng - 1) // ng for j in range(lxj)]
    B = [0] * lxj
    B[0] = 1
    for j in range(1, lxj):
        B[j] = comb(xj[j] + j, j) - sum(comb(xj[j] - xj[i] + j - i, j - i) * B[i]
                                        for i in range(j))
    paths = sum(B[j] * comb(m - xj[j] + n - j, n - j) for j in range(lxj))
    return float(Fraction(paths, comb(m + n, n)))


def ks_case(x, y, alternative, method):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = stats.ks_2samp(x, y, alternative=alternative, method=method)
    n1, n2 = len(x), len(y)
    if method == "asymp":
        used = "asymp"
    elif method == "auto" and max(n1, n2) > 10000:
        used = "asymp"
    else:
        used = "asymp" if any("Switching" in str(m.message) for m in w) else "exact"
    extra = {}
    if used == "exact" and alternative != "two-sided" and n1 != n2 and min(n1, n2) <= 1000:
        extra["pvalue_rational"] = ks_one_sided_rational(n1, n2, float(r.statistic))
    return {
        **extra,
        "alternative": alternative,
        "method": method,
        "method_used": used,
        "statistic": float(r.statistic),
        "pvalue": float(r.pvalue),
        "location": float(r.statistic_location),
        "sign": int(r.statistic_sign),
    }


def ks_datasets():
    rng = np.random.default_rng(20261125)
    sizes = [
        (1, 1), (1, 2), (2, 1), (1, 7), (2, 3), (3, 3), (4, 4), (5, 7), (6, 9), (8, 8),
        (10, 10), (10, 15), (12, 18), (20, 30), (25, 25), (37, 101), (50, 50), (64, 48),
        (100, 80), (150, 150), (200, 300), (333, 111), (500, 500), (700, 650), (1000, 999),
        (1000, 2000), (2500, 40), (3000, 3000), (4000, 6000), (10000, 900), (10000, 10000),
        (12000, 500), (10001, 20),
    ]
    kinds = ["normal", "cauchy", "lognormal", "ties", "uniform"]
    out = []
    for i, (n1, n2) in enumerate(sizes):
        big = max(n1, n2) >= 3000
        # Small sizes: several shapes and shifts; large: two (keeps the JSON small).
        plans = [(kinds[i % 5], 0.0, 1.0)]
        if n1 + n2 < 15000:
            plans.append(("normal", 0.4, 1.0))
        if not big:
            plans += [(kinds[(i + 2) % 5], 0.0, 2.0), ("ties", 1.0, 1.0)]
        for kind, shift, scale in plans:
            x = draw(rng, kind, n1)
            y = draw(rng, kind, n2, shift, scale)
            methods = ["auto", "exact", "asymp"]
            cases = [ks_case(x, y, a, m) for a in ALTS for m in methods]
            out.append({"x": ints(x), "y": ints(y), "results": cases})
    # Hand-made: identical samples, disjoint samples, alternating ties.
    extra = [
        ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
        ([0.0] * 5, [1.0] * 6),
        ([1.0, 1.0, 2.0, 2.0], [2.0, 2.0, 1.0, 1.0, 3.0]),
        ([float(v) for v in range(40)], [float(v) + 0.5 for v in range(40)]),
        ([float(v) for v in range(30)], [float(v) + 100 for v in range(45)]),
    ]
    for x, y in extra:
        cases = [ks_case(x, y, a, m) for a in ALTS for m in ["auto", "exact", "asymp"]
                 if not (m == "asymp" and len(x) == 1 and len(y) == 1)]
        out.append({"x": ints(x), "y": ints(y), "results": cases})
    return out


def kstwo_cases():
    # The one-sample Kolmogorov distribution on a grid crossing every branch of kolmogn.
    out = []
    for n in [1, 2, 3, 5, 10, 40, 100, 140, 141, 500, 2000, 5000, 100000, 100001, 400000]:
        for z in [0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 1.8, 2.0, 2.5, 3.0, 5.0]:
            for d in [z / np.sqrt(n), 0.5 / n + 1e-3 / n, 0.9 / n, 1.0 - 1.5 / n, 0.6, 0.55]:
                if 0 < d < 1:
                    out.append({"n": n, "d": float(d), "sf": float(stats.kstwo.sf(d, n))})
    return out


def ansari_exact_int(x, y):
    """Exact Ansari-Bradley cdf/sf at the observed AB by integer subset counting (no ties)."""
    n, m = len(x), len(y)
    N = n + m
    scores = [min(i, N + 1 - i) for i in range(1, N + 1)]
    # ways[k][s]
    ways = [dict() for _ in range(n + 1)]
    ways[0][0] = 1
    for a in scores:
        for k in range(n, 0, -1):
            for t, c in ways[k - 1].items():
                ways[k][t + a] = ways[k].get(t + a, 0) + c
    dist = ways[n]
    total = sum(dist.values())
    ab = int(round(float(stats.ansari(x, y).statistic)))
    lower = sum(c for t, c in dist.items() if t <= ab)
    upper = sum(c for t, c in dist.items() if t >= ab)
    return lower / total, upper / total


def ansari_cases():
    rng = np.random.default_rng(4242)
    sizes = [(1, 1), (1, 5), (3, 4), (5, 5), (7, 3), (10, 12), (20, 30), (33, 33), (54, 54),
             (54, 10), (55, 10), (60, 80), (200, 300), (1000, 1500), (5000, 4000)]
    out = []
    for i, (n, m) in enumerate(sizes):
        plans = [("normal", 1.0), ("normal", 2.0), (["cauchy", "lognormal"][i % 2], 1.5),
                 ("ties", 1.0)]
        for kind, scale in plans[:2] if n + m > 3000 else plans:
            x = draw(rng, kind, n)
            y = draw(rng, kind, m, -1.0 if kind == "lognormal" else 0.0, scale)
            exact = None
            ties = len(set(x + y)) < len(x) + len(y)
            if n < 55 and m < 55 and not ties:
                exact = ansari_exact_int(x, y)
            res = []
            for a in ALTS:
                r = stats.ansari(x, y, alternative=a)
                case = {"alternative": a, "statistic": float(r.statistic), "pvalue": float(r.pvalue)}
                if exact is not None:
                    lo, up = exact
                    case["pvalue_exact"] = {"two-sided": min(1.0, 2 * min(lo, up)),
                                            "greater": lo, "less": up}[a]
                res.append(case)
            out.append({"x": ints(x), "y": ints(y), "results": res})
    return out


def fligner_cases():
    rng = np.random.default_rng(777)
    out = []
    shapes = [[2, 2], [3, 5], [10, 10], [8, 12, 15], [30, 40], [50, 50, 50, 50], [200, 300],
              [1000, 800, 1200], [5000, 5000], [1, 4, 6]]
    for i, sizes in enumerate(shapes):
        kinds = ["normal", "ties", ["cauchy", "lognormal"][i % 2]]
        for kind in kinds[:1] if sum(sizes) > 3000 else kinds:
            for spread in [1.0, 2.0]:
                # Dyadic values (k/1024): every sum is exact in any order, so the centres
                # (means) and hence the ties among |x - centre| are the same as numpy's.
                samples = [draw(rng, kind, n, 0.5 * j, spread if j == 1 else 1.0, den=1024)
                           for j, n in enumerate(sizes)]
                res = []
                for center, prop in [("median", 0.05), ("mean", 0.05), ("trimmed", 0.05),
                                     ("trimmed", 0.2)]:
                    r = stats.fligner(*samples, center=center, proportiontocut=prop)
                    res.append({"center": center, "proportiontocut": prop,
                                "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
                out.append({"samples": [ints(v, 1024) for v in samples], "results": res})
    return out


def anderson_cases():
    rng = np.random.default_rng(99)
    out = []
    shapes = [[2, 3], [5, 5], [10, 20], [3, 4, 5], [50, 60], [100, 100, 100], [500, 700],
              [2000, 1500], [30, 30, 30, 30, 30], [1, 3], [25, 40]]
    for i, sizes in enumerate(shapes):
        kinds = ["normal", "ties", ["cauchy", "lognormal"][i % 2]]
        for kind in kinds[:1] if sum(sizes) > 3000 else kinds:
            for shift in [0.0, 0.15, 0.4, 1.0]:
                samples = [draw(rng, kind, n, shift * j) for j, n in enumerate(sizes)]
                res = []
                for midrank in [True, False]:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        r = stats.anderson_ksamp(samples, midrank=midrank)
                    res.append({"midrank": midrank, "statistic": float(r.statistic),
                                "critical_values": [float(c) for c in r.critical_values],
                                "pvalue": float(r.pvalue)})
                out.append({"samples": [ints(v) for v in samples], "results": res})
    return out


def main():
    ks = ks_datasets()
    kstwo = kstwo_cases()
    print("ks cases", sum(len(d["results"]) for d in ks), "kstwo cases", len(kstwo))
    ansari = ansari_cases()
    fligner = fligner_cases()
    anderson = anderson_cases()
    print("ansari cases", 3 * len(ansari), "fligner cases", 4 * len(fligner),
          "anderson cases", 2 * len(anderson))
    # `write` cleans only `cases`; the extra tables may hold NaN (scipy 0/0), so clean them.
    write("disttests", ks, packages=["numpy", "scipy"], kstwo=clean(kstwo), ansari=clean(ansari),
          fligner=clean(fligner), anderson=clean(anderson))


if __name__ == "__main__":
    main()
