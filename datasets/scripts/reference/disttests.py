"""Reference values for the distribution tests: KS two-sample, Ansari-Bradley, Fligner-Killeen,
Anderson-Darling k-sample.

Run with ``/work/venv/bin/python datasets/scripts/reference/disttests.py``; writes
``datasets/reference/disttests.json``. Expected values come from scipy.stats; the data are
seeded draws rounded to 3 decimals (or small integers, for ties) and stored in the JSON.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

from _common import write

ALTS = ["two-sided", "less", "greater"]


def draw(rng, kind, n, shift=0.0, scale=1.0):
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
    return [float(t) for t in np.round(v, 3)]


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
    return {
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
            out.append({"x": x, "y": y, "results": cases})
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
        out.append({"x": x, "y": y, "results": cases})
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


def main():
    ks = ks_datasets()
    kstwo = kstwo_cases()
    print("ks cases", sum(len(d["results"]) for d in ks), "kstwo cases", len(kstwo))
    write("disttests", ks, packages=["numpy", "scipy"], kstwo=kstwo)


if __name__ == "__main__":
    main()
