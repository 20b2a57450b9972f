"""Reference for the biweight (bounded-loss) change-point search (Fearnhead & Rigaill, "Changepoint
detection in the presence of outliers", JASA 2019): `changepoint::cost::Biweight`,
`changepoint::search::fpop_biweight`.

Written from the definition, independently of the Rust functional pruning:

- segment cost: C(a, b) = min_mu sum_i min((x_i - mu)^2, c^2). As a function of mu it is
  piecewise quadratic with breakpoints x_i - c and x_i + c; between two consecutive breakpoints
  the set of points with |x_i - mu| < c is fixed (numpy: the points inside at the interval's
  midpoint), so the minimum over that interval is the set's quadratic at its mean clipped to
  the interval, plus c^2 per point outside. The segment cost is the least of those minima over
  every interval (and of n c^2 outside all of them): exact, no grid over mu.
- segmentation: optimal partitioning, the O(n^2) dynamic programme
  F(s) = min_{t <= s - m, F(t) finite} F(t) + C(t, s) + beta, F(0) = 0, over these exact costs.
  The biweight loss has exactly tied optima (a point outside both neighbouring levels costs c^2
  on either side of a split next to it), so a case is kept only when every state on the
  optimal path has a unique best predecessor, by a margin `gap` (then the breakpoints are the
  unique optimum).
- scale: sigma = 1.4826 MAD(diff(x)) / sqrt(2) (scipy.stats.median_abs_deviation with R's
  constant 1.4826, as the paper's R code `mad(diff(x)) / sqrt(2)`); the Rust default threshold
  is 3 sigma.

Usage: python datasets/scripts/reference/changepoint_biweight.py
"""

from __future__ import annotations

import numpy as np
import scipy.stats as st

from _common import write


def segment_cost(seg, c):
    seg = np.asarray(seg, dtype=float)
    m = len(seg)
    cuts = np.sort(np.concatenate([seg - c, seg + c]))
    best = m * c * c
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        mid = 0.5 * (lo + hi)
        inside = np.abs(seg - mid) < c
        k = int(inside.sum())
        if k == 0:
            continue
        ys = seg[inside]
        mu = float(np.clip(ys.mean(), lo, hi))
        value = float(np.sum((ys - mu) ** 2)) + (m - k) * c * c
        best = min(best, value)
    return best


def optimal_partitioning(x, c, beta, m):
    n = len(x)
    cost = np.full((n + 1, n + 1), np.inf)
    for a in range(n):
        for b in range(a + m, n + 1):
            cost[a, b] = segment_cost(x[a:b], c)
    F = np.full(n + 1, np.inf)
    F[0] = 0.0
    last = np.zeros(n + 1, dtype=int)
    margin = np.full(n + 1, np.inf)
    for s in range(m, n + 1):
        ts = [t for t in range(0, s - m + 1) if np.isfinite(F[t])]
        vals = np.array([F[t] + cost[t, s] + beta for t in ts])
        order = np.argsort(vals, kind="stable")
        F[s] = vals[order[0]]
        last[s] = ts[order[0]]
        if len(order) > 1:
            margin[s] = vals[order[1]] - vals[order[0]]
    bkps, s, gap = [], n, np.inf
    while s > 0:
        gap = min(gap, margin[s])
        s = int(last[s])
        if s > 0:
            bkps.append(s)
    bkps.reverse()
    total = sum(cost[a, b] for a, b in zip([0] + bkps, bkps + [n]))
    return bkps, float(total), float(gap)


def robust_sigma(x):
    return float(1.4826 * st.median_abs_deviation(np.diff(x)) / np.sqrt(2.0))


def signal(rng, n):
    """A step or two, spikes, and sometimes a stall window (a run of zeros)."""
    x = rng.normal(size=n)
    for _ in range(rng.integers(0, 3)):
        at = int(rng.integers(1, n))
        x[at:] += rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 5.0)
    spikes = rng.random(n) < 0.08
    x[spikes] += rng.choice([-1.0, 1.0], size=int(spikes.sum())) * rng.uniform(5, 20, int(spikes.sum()))
    if rng.random() < 0.4:
        at = int(rng.integers(0, n - 3))
        x[at:at + int(rng.integers(2, 5))] = 0.0
    return 10.0 + 2.0 * x


def main():
    rng = np.random.default_rng(20261205)
    cases = []
    # Segment costs, including the edge cases: one point, far-apart clusters.
    for i in range(12):
        m = int(rng.integers(1, 25))
        seg = signal(rng, max(m, 4))[:m]
        c = float(rng.uniform(0.5, 6.0))
        cases.append({"kind": "segment", "name": f"segment{i}_m{m}", "x": seg, "threshold": c,
                      "cost": segment_cost(seg, c)})
    # Segmentations with a unique optimum.
    made = 0
    while made < 16:
        n = int(rng.integers(15, 60))
        x = signal(rng, n)
        c = 3.0 * robust_sigma(x) if made % 2 == 0 else float(rng.uniform(1.0, 8.0))
        if not c > 0:
            continue
        beta = float(rng.uniform(0.5, 4.0)) * np.log(n) * (c / 3.0) ** 2
        m = int(rng.integers(1, 6))
        if n < m:
            continue
        bkps, total, gap = optimal_partitioning(x, c, beta, m)
        if gap < 1e-6 * (1.0 + total):
            continue
        cases.append({"kind": "segmentation", "name": f"seg{made}_n{n}_m{m}", "x": x,
                      "threshold": c, "penalty": beta, "min_size": m, "breakpoints": bkps,
                      "cost": total, "gap": gap, "default_threshold": made % 2 == 0})
        made += 1
    # The scale estimate.
    for i in range(4):
        x = signal(rng, int(rng.integers(10, 200)))
        cases.append({"kind": "sigma", "name": f"sigma{i}", "x": x, "sigma": robust_sigma(x)})
    write("changepoint_biweight", cases, ["numpy", "scipy"])


if __name__ == "__main__":
    main()
