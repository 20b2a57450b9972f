"""Seeded simulations of metric shapes: precision and recall of `shiftwatch.detect` defaults.

Each shape is drawn `--reps` times (numpy default_rng(seed)), n = 1000 points, noise sd 1:

| shape | truth |
|---|---|
| step in AR(1) noise (φ = 0.8, marginal sd 1), +3 at 500 | [500] |
| step on a random walk (innovation sd 0.1) plus iid noise, +4 at 500 | [500] |
| diurnal sine (amplitude 2, period 288) + step +3 at 500 | [500] |
| linear leak (slope 0.005 per point, no jump) | [] (one trend, not a staircase) |
| leak after a step: +3 at 400, then slope 0.005 | [400] |
| spikes: 1 % of points +10 | [] |
| GC sawtooth (period 50, amplitude 3) with no change | [] |
| iid Student t₃ noise, no change | [] |
| iid lognormal (σ = 1) noise, no change | [] |

A detected change point is a true positive when within 5 points (margin) of an unmatched true
one (TCPDBench's rule). Printed: precision (TP / detected; "-" when nothing was detected),
recall (TP / true; "-" without truth), false change points per series, and the models the
default (`cost="auto"`) chose (step / trend / drift / season counts).

Usage: python bench/changepoint_shapes.py [--reps 50]   (needs `shiftwatch` importable)
"""

from __future__ import annotations

import argparse

import numpy as np
import shiftwatch

N = 1000


def ar1(rng, n, phi):
    e = np.empty(n)
    z = rng.standard_normal(n) * np.sqrt(1 - phi * phi)
    e[0] = rng.standard_normal()
    for i in range(1, n):
        e[i] = phi * e[i - 1] + z[i]
    return e


def shapes():
    t = np.arange(N)
    return {
        "step in AR(1) φ=0.8": (lambda r: ar1(r, N, 0.8) + 3.0 * (t >= 500), [500]),
        "step on a random walk": (
            lambda r: np.cumsum(0.1 * r.standard_normal(N)) + r.standard_normal(N) + 4.0 * (t >= 500), [500]),
        "diurnal sine + step": (
            lambda r: 2.0 * np.sin(2 * np.pi * t / 288) + r.standard_normal(N) + 3.0 * (t >= 500), [500]),
        "linear leak": (lambda r: 0.005 * t + r.standard_normal(N), []),
        "leak after a step": (
            lambda r: r.standard_normal(N) + (t >= 400) * (3.0 + 0.005 * (t - 400)), [400]),
        "spikes (1 %)": (lambda r: r.standard_normal(N) + 10.0 * (r.uniform(size=N) < 0.01), []),
        "GC sawtooth, no change": (lambda r: 3.0 * (t % 50) / 50 + r.standard_normal(N), []),
        "iid t3, no change": (lambda r: r.standard_t(3, N), []),
        "iid lognormal σ=1, no change": (lambda r: np.exp(r.standard_normal(N)), []),
    }


def matches(truth, found, margin=5):
    left = list(found)
    tp = 0
    for tau in truth:
        close = [x for x in left if abs(x - tau) <= margin]
        if close:
            left.remove(min(close, key=lambda x: abs(x - tau)))
            tp += 1
    return tp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    print("| shape | precision | recall | false changes per series | model (step/trend/drift/season) |\n"
          "|---|---|---|---|---|")
    for k, (name, (make, truth)) in enumerate(shapes().items()):
        rng = np.random.default_rng(args.seed + k)
        tp = det = true = 0
        models = {"step": 0, "trend": 0, "drift": 0, "season": 0}
        for _ in range(args.reps):
            d = shiftwatch.detect(make(rng))
            found = list(d.indices)
            if d.model is not None:
                models[d.model["model"]] += 1
            hit = matches(truth, found)
            tp += hit
            det += len(found)
            true += len(truth)
        prec = f"{tp / det:.2f}" if det else "-"
        rec = f"{tp / true:.2f}" if true else "-"
        chosen = "/".join(str(models[m]) for m in ("step", "trend", "drift", "season"))
        print(f"| {name} | {prec} | {rec} | {(det - tp) / args.reps:.2f} | {chosen} |")


if __name__ == "__main__":
    main()
