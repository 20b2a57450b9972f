"""Reference segmentations from ruptures for the multivariate L2 cost (``L2Multi``).

Runs ruptures' Pelt, Dynp and Binseg (``model="l2"``, ``jump=1``) on seeded n x d signals
(d = 2..5 columns on different scales, shared and per-column changes, Gaussian, Cauchy,
lognormal and small-integer noise) with fixed penalties, and records breakpoints (ruptures'
convention without the trailing n) and the sum of segment costs. As in ``changepoint.py``, each
Pelt answer is checked against a plain O(n^2) optimal-partitioning DP over ruptures' own cost
(``optimal``): ruptures prunes without delaying for min_size and can miss the optimum.

Run: python datasets/scripts/reference/changepoint_multi.py
"""

from __future__ import annotations

import warnings

import numpy as np
import ruptures as rpt

from _common import draw_noise, write
from changepoint import exact_op

warnings.filterwarnings("ignore", category=UserWarning)


def make_signal(rng, n, d, noise):
    """n x d signal: a few shared change points, plus one change in a single column."""
    n_regimes = int(min(rng.integers(1, 5), n))
    bkps = np.sort(rng.choice(np.arange(1, n), size=n_regimes - 1, replace=False)) if n_regimes > 1 else np.array([], dtype=int)
    lengths = np.diff(np.concatenate([[0], bkps, [n]]).astype(int))
    cols = []
    for j in range(d):
        scale = float(10.0 ** rng.integers(-1, 3))
        mean = np.repeat(rng.normal(0, 3, size=n_regimes), lengths)
        if j == d - 1 and n > 4:
            at = int(rng.integers(1, n))
            mean[at:] += rng.normal(0, 4)
        e = draw_noise(rng, noise, n)
        if noise == "ties":
            mean = np.round(mean)
            scale = 1.0
        cols.append(np.round(scale * (mean + e), 3))
    return np.column_stack(cols)


def main():
    rng = np.random.default_rng(20261126)
    specs = []
    for d in [2, 3, 4, 5]:
        for n in [3, 8, 20, 60, 150]:
            for noise in ["gauss", "cauchy", "ties", "lognormal"]:
                specs.append((n, d, noise))
    specs += [(400, 3, "gauss"), (400, 5, "lognormal"), (600, 2, "gauss")]
    cases = []
    for n, d, noise in specs:
        x = make_signal(rng, n, d, noise)
        min_size = int(rng.choice([1, 2, 3, 5]))
        eff_min = max(min_size, rpt.costs.CostL2().min_size)
        if n < eff_min:
            continue
        scale = max(float(np.var(x, axis=0).sum()), 1e-3)
        case = {"n": n, "d": d, "noise": noise, "min_size": min_size,
                "columns": [x[:, j].tolist() for j in range(d)],
                "pelt": [], "binseg_pen": [], "binseg_k": [], "dynp": []}
        for pen_factor in [0.0, 0.3, 1.0, 5.0]:
            pen = round(pen_factor * scale, 6)
            algo = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(x)
            bkps = algo.predict(pen=pen)
            total = algo.cost.sum_of_costs(bkps)
            entry = {"penalty": pen, "bkps": bkps[:-1], "cost": total}
            if n <= 400:
                best = exact_op(algo.cost, n, pen, eff_min)
                entry["optimal"] = bool(total + pen * len(bkps) <= best + 1e-9 * (1 + abs(best)))
            case["pelt"].append(entry)
            if pen > 0:
                b = rpt.Binseg(model="l2", min_size=min_size, jump=1).fit(x)
                bk = b.predict(pen=pen)
                case["binseg_pen"].append({"penalty": pen, "bkps": bk[:-1], "cost": b.cost.sum_of_costs(bk)})
        for k in [1, 2, 3]:
            if n < (k + 1) * eff_min:
                continue
            b = rpt.Binseg(model="l2", min_size=min_size, jump=1).fit(x)
            bk = b.predict(n_bkps=k)
            case["binseg_k"].append({"k": k, "bkps": bk[:-1], "cost": b.cost.sum_of_costs(bk)})
            if n <= 150:
                dp = rpt.Dynp(model="l2", min_size=min_size, jump=1).fit(x)
                bk = dp.predict(n_bkps=k)
                case["dynp"].append({"k": k, "bkps": bk[:-1], "cost": dp.cost.sum_of_costs(bk)})
        cases.append(case)
    write("changepoint_multi", cases, packages=["ruptures", "numpy"])


if __name__ == "__main__":
    main()
