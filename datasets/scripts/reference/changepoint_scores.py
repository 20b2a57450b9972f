"""Reference for `changepoint::normal_scores` and the L1 functional pruning.

- normal scores: scipy.stats.norm.ppf((scipy.stats.rankdata(x) - 0.5) / n) (van der Waerden
  scores with average ranks) on seeded Gaussian, Cauchy, lognormal and tied series;
- fpop_l1: the penalised L1 segmentation solved here by brute force (the textbook O(n²)
  optimal-partitioning recursion F(s) = min_t F(t) + C(t, s) + β, C(t, s) the sum of absolute
  deviations from numpy's median) on small seeded series with three levels; the total cost
  without penalty and the breakpoints (series with tied values: the cost only, as equally good
  segmentations may differ).

Usage: python datasets/scripts/reference/changepoint_scores.py
"""

from __future__ import annotations

import numpy as np
import scipy.stats as st

from _common import draw_noise, write


def l1_cost(x, a, b):
    seg = x[a:b]
    return float(np.abs(seg - np.median(seg)).sum())


def op_l1(x, beta, m):
    n = len(x)
    f = [0.0] + [np.inf] * n
    last = [0] * (n + 1)
    for s in range(m, n + 1):
        best, arg = np.inf, 0
        for t in range(0, s - m + 1):
            if t != 0 and t < m:
                continue
            if not np.isfinite(f[t]):
                continue
            v = f[t] + l1_cost(x, t, s) + beta
            if v < best - 1e-12:
                best, arg = v, t
        f[s], last[s] = best, arg
    bk, s = [], n
    while s > 0:
        s = last[s]
        if s > 0:
            bk.append(s)
    return sorted(bk), f[n] - beta * (len(bk) + 1)


def main():
    rng = np.random.default_rng(20261205)
    cases = []
    for kind in ["gauss", "cauchy", "lognormal", "ties"]:
        for n in [7, 50, 301]:
            x = draw_noise(rng, kind, n)
            z = st.norm.ppf((st.rankdata(x) - 0.5) / n)
            cases.append({"kind": "scores", "name": f"{kind}_{n}", "x": x, "scores": z})
    for k, (kind, n, beta, m) in enumerate([("gauss", 60, 3.0, 2), ("cauchy", 80, 5.0, 3),
                                             ("lognormal", 70, 2.0, 2), ("ties", 90, 4.0, 5)]):
        x = draw_noise(rng, kind, n) + np.repeat([0.0, 3.0, -1.0], [n // 3, n // 3, n - 2 * (n // 3)])
        bk, cost = op_l1(x, beta, m)
        cases.append({"kind": "fpop_l1", "name": f"{kind}_{n}", "x": x, "penalty": beta, "min_size": m,
                      "breakpoints": bk, "cost": cost})
    write("changepoint_scores", cases, ["numpy", "scipy"])


if __name__ == "__main__":
    main()
