"""Reference segmentations from ruptures for the change-point engine.

Runs ruptures' Pelt, Dynp and Binseg (jump=1) with the costs that ruptures shares with
shiftwatch (l2, normal, l1, linear with covariates [1, t]) on seeded piecewise signals, and
records breakpoints (ruptures' convention without the trailing n) and the sum of segment costs.
For Pelt it also records whether ruptures' answer is the exact optimum (checked with a plain
O(n^2) optimal-partitioning DP over ruptures' own cost): ruptures prunes without delaying for
min_size, so with min_size > 1 it can miss the optimum; shiftwatch must then do at least as well.

Poisson and the nonparametric (changepoint.np) costs have no ruptures counterpart: their segment
costs are computed here with numpy straight from the published formulas.

Run: python datasets/scripts/reference/changepoint.py
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import ruptures as rpt

from _common import draw_noise, write

warnings.filterwarnings("ignore", category=UserWarning)


def make_signal(rng, n, noise, n_regimes):
    n_regimes = min(n_regimes, n)
    bkps = np.sort(rng.choice(np.arange(1, n), size=n_regimes - 1, replace=False)) if n_regimes > 1 else np.array([], dtype=int)
    levels = rng.normal(0, 3, size=n_regimes)
    mean = np.repeat(levels, np.diff(np.concatenate([[0], bkps, [n]]).astype(int)))
    e = draw_noise(rng, noise, n)
    if noise == "ties":
        mean = np.round(mean)
    return np.round(mean + e, 3)


def build_signal(x, cost):
    if cost == "linear":
        n = len(x)
        return np.column_stack([x, np.ones(n), np.arange(n, dtype=float)])
    return x


def ruptures_cost(cost):
    return rpt.costs.cost_factory(model="linear" if cost == "linear" else cost)


def exact_op(c, n, pen, min_size):
    """Plain optimal partitioning (no pruning) over ruptures' cost object."""
    f = [0.0] + [np.inf] * n
    last = [0] * (n + 1)
    for s in range(min_size, n + 1):
        best, arg = np.inf, 0
        for t in range(0, s - min_size + 1):
            if t != 0 and t < min_size:
                continue
            if not np.isfinite(f[t]):
                continue
            v = f[t] + (c.error(t, s) + pen)
            if v < best:
                best, arg = v, t
        f[s], last[s] = best, arg
    return f[n]


SPA = Path(__file__).resolve().parents[3].parent / "shared/datasets/external/mongodb-signal-processing-algorithms"


def energy_curve(x, alpha=1.0):
    """T(tau) of signal-processing-algorithms' e_divisive (energy_statistics.py, t statistic),
    by brute force over the full distance matrix."""
    n = len(x)
    D = np.abs(x[:, None] - x[None, :]) ** alpha
    out = [0.0]
    for t in range(1, n):
        a, b = t, n - t
        e = 2 * D[:t, t:].sum() / (a * b) - D[:t, :t].sum() / a**2 - D[t:, t:].sum() / b**2
        out.append(a * b / (a + b) * e)
    out.append(0.0)
    return out


def edivisive_cases():
    """MongoDB's test series (Apache-2.0, see the README next to them) and seeded signals."""
    rng = np.random.default_rng(7)
    series = {}
    for name in ["robust_series", "real_series"]:
        path = SPA / f"{name}.json"
        if path.exists():
            series[name] = [float(v) for v in json.loads(path.read_text())]
    series["seeded_step"] = np.round(np.concatenate([rng.normal(0, 1, 80), rng.normal(1.5, 1, 70)]), 4).tolist()
    series["seeded_ties"] = rng.integers(0, 4, 60).astype(float).tolist()
    cases = []
    for name, x in series.items():
        x = np.asarray(x, dtype=float)
        for alpha in [1.0, 0.5]:
            cases.append({"name": name, "alpha": alpha, "x": x.tolist(), "curve": energy_curve(x, alpha)})
    return cases


def main():
    rng = np.random.default_rng(20261125)
    cases = []
    specs = []
    for cost in ["l2", "normal", "l1", "linear"]:
        for n in [2, 5, 12, 40, 100, 250]:
            for noise in ["gauss", "cauchy", "ties", "lognormal"]:
                specs.append((cost, n, noise))
    # Larger signals (ruptures' costs are O(n) per query, so keep these to l2/normal).
    specs += [("l2", 1000, "gauss"), ("normal", 1000, "gauss"), ("l2", 2000, "lognormal")]
    for cost, n, noise in specs:
        x = make_signal(rng, n, noise, n_regimes=int(rng.integers(1, 5)) if n < 1000 else 12)
        signal = build_signal(x, cost)
        min_size = int(rng.choice([1, 2, 3, 5]))
        eff_min = max(min_size, ruptures_cost(cost).min_size)
        if n < eff_min:
            continue
        scale = float(np.var(x)) if cost in ("l2", "linear") else (float(np.std(x)) if cost == "l1" else 1.0)
        scale = max(scale, 1e-3)
        case = {"cost": cost, "noise": noise, "min_size": min_size, "x": x.tolist(), "pelt": [], "binseg_pen": [],
                "binseg_k": [], "dynp": []}
        for pen_factor in ([0.0, 0.5, 2.0, 10.0] if n < 1000 else [2.0, 10.0]):
            pen = round(pen_factor * scale, 6)
            if n > 1000 and pen_factor < 10:
                continue
            algo = rpt.Pelt(custom_cost=ruptures_cost(cost), min_size=min_size, jump=1).fit(signal)
            bkps = algo.predict(pen=pen)
            total = algo.cost.sum_of_costs(bkps)
            entry = {"penalty": pen, "bkps": bkps[:-1], "cost": total}
            if n <= 1000:
                best = exact_op(algo.cost, n, pen, eff_min)
                # exact_op counts one penalty per segment (len(bkps) segments).
                entry["optimal"] = bool(total + pen * len(bkps) <= best + 1e-9 * (1 + abs(best)))
            case["pelt"].append(entry)
            if pen > 0:
                b = rpt.Binseg(custom_cost=ruptures_cost(cost), min_size=min_size, jump=1).fit(signal)
                bk = b.predict(pen=pen)
                case["binseg_pen"].append({"penalty": pen, "bkps": bk[:-1], "cost": b.cost.sum_of_costs(bk)})
        for k in [1, 2, 3]:
            if n < (k + 1) * eff_min:
                continue
            b = rpt.Binseg(custom_cost=ruptures_cost(cost), min_size=min_size, jump=1).fit(signal)
            bk = b.predict(n_bkps=k)
            case["binseg_k"].append({"k": k, "bkps": bk[:-1], "cost": b.cost.sum_of_costs(bk)})
            if n <= 100:
                d = rpt.Dynp(custom_cost=ruptures_cost(cost), min_size=min_size, jump=1).fit(signal)
                bk = d.predict(n_bkps=k)
                case["dynp"].append({"k": k, "bkps": bk[:-1], "cost": d.cost.sum_of_costs(bk)})
        cases.append(case)

    # Poisson and np segment costs from the formulas (numpy), on counts with ties.
    formula_cases = []
    for n in [1, 3, 10, 57, 300]:
        x = rng.poisson(rng.uniform(0.2, 20), size=n).astype(float)
        segs = [(0, n)] + [tuple(sorted(rng.choice(np.arange(n + 1), 2, replace=False))) for _ in range(5)] if n > 1 else [(0, 1)]
        segs = [(int(a), int(b)) for a, b in segs if b > a]
        pois = []
        for a, b in segs:
            s = x[a:b].sum()
            pois.append(0.0 if s == 0 else 2 * (s - s * np.log(s / (b - a))))
        npc = []
        k = 10
        c = -np.log(2 * n - 1)
        probs = 1 / (1 + (2 * n - 1) * np.exp(c * (2 * np.arange(1, k + 1) - 1) / k))
        qs = np.quantile(x, probs)  # numpy's default 'linear' == R type 7
        for a, b in segs:
            seg = x[a:b]
            m = b - a
            total = 0.0
            for t in qs:
                f = (np.sum(seg < t) + 0.5 * np.sum(seg == t)) / m
                if 0 < f < 1:
                    total += -m * (f * np.log(f) + (1 - f) * np.log(1 - f))
            npc.append(2 * np.log(2 * n - 1) / k * total)
        formula_cases.append({"x": x.tolist(), "segments": segs, "poisson": pois, "np": npc})

    write("changepoint", cases, packages=["ruptures", "numpy"], formula_cases=formula_cases,
          edivisive_cases=edivisive_cases())


if __name__ == "__main__":
    main()
