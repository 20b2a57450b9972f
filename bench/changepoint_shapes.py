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

`--extended` runs a second set: other step sizes, lengths, periods and noises of the same
shapes (a steep leak, a week of minutes with a daily cycle, a weak and a strong random walk,
lognormal and Poisson levels, ...), to check that what holds on the first set is not tuned to it.

Usage: python bench/changepoint_shapes.py [--reps 50] [--extended]   (needs `shiftwatch` importable)
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


def extended():
    """Other sizes, lengths and periods of the same shapes (not used to set anything)."""
    def t(n):
        return np.arange(n)
    return {
        "step +2 in AR(1) φ=0.8": (lambda r: ar1(r, 1000, 0.8) + 2.0 * (t(1000) >= 500), [500]),
        "two steps ±2 in AR(1) φ=0.5, n=2000": (
            lambda r: ar1(r, 2000, 0.5) + 2.0 * (t(2000) >= 700) - 2.0 * (t(2000) >= 1400), [700, 1400]),
        "step +5 on a random walk (sd 0.3) + noise sd 0.5": (
            lambda r: np.cumsum(0.3 * r.standard_normal(1000)) + 0.5 * r.standard_normal(1000)
            + 5.0 * (t(1000) >= 500), [500]),
        "step +3 on a weak random walk (sd 0.05), n=2000": (
            lambda r: np.cumsum(0.05 * r.standard_normal(2000)) + r.standard_normal(2000)
            + 3.0 * (t(2000) >= 1000), [1000]),
        "daily cycle (amp 3, P=288) + step +2, n=2880": (
            lambda r: 3.0 * np.sin(2 * np.pi * t(2880) / 288) + r.standard_normal(2880)
            + 2.0 * (t(2880) >= 1500), [1500]),
        "a week of minutes (P=1440) + step +2": (
            lambda r: 2.0 * np.sin(2 * np.pi * t(10080) / 1440) + r.standard_normal(10080)
            + 2.0 * (t(10080) >= 5000), [5000]),
        "steep leak (slope 0.02)": (lambda r: 0.02 * t(1000) + r.standard_normal(1000), []),
        "slow leak after a step, n=2000": (
            lambda r: r.standard_normal(2000) + (t(2000) >= 1000) * (2.0 + 0.002 * (t(2000) - 1000)),
            [1000]),
        "3 % spikes (+8) and a step +2": (
            lambda r: r.standard_normal(1000) + 8.0 * (r.uniform(size=1000) < 0.03)
            + 2.0 * (t(1000) >= 500), [500]),
        "GC sawtooth (P=120, amp 4), n=2000": (
            lambda r: 4.0 * (t(2000) % 120) / 120 + r.standard_normal(2000), []),
        "GC sawtooth (P=50) + step +3": (
            lambda r: 3.0 * (t(1000) % 50) / 50 + r.standard_normal(1000) + 3.0 * (t(1000) >= 500),
            [500]),
        "lognormal σ=1, level ×2, n=2000": (
            lambda r: np.exp(r.standard_normal(2000)) * (1.0 + (t(2000) >= 1000)), [1000]),
        "Student t₃ + step +1.5, n=2000": (
            lambda r: r.standard_t(3, 2000) + 1.5 * (t(2000) >= 1000), [1000]),
        "Poisson counts 3 → 6": (
            lambda r: r.poisson(np.where(t(1000) >= 500, 6, 3)).astype(float), [500]),
        "AR(1) φ=0.99, no change, n=5000": (lambda r: ar1(r, 5000, 0.99), []),
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
    ap.add_argument("--extended", action="store_true",
                    help="the extended set (other sizes, lengths and periods) instead")
    args = ap.parse_args()
    print("| shape | precision | recall | false changes per series | model (step/trend/drift/season) |\n"
          "|---|---|---|---|---|")
    table = extended() if args.extended else shapes()
    for k, (name, (make, truth)) in enumerate(table.items()):
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
