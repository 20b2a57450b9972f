"""False change points of the default `shiftwatch.detect` on seeded no-change noise.

10 series of 10⁴ points per noise (numpy default_rng(seed)): iid Gaussian, AR(1) φ = 0.9 and
φ = 0.99 (Gaussian innovations), iid Student t₃, iid lognormal σ = 1. Prints the total false
change points, the rate per 10⁴ / 10⁵ points and the models the default chose.

Usage: python bench/changepoint_false_changes.py [--series 10] [--n 10000]
"""

from __future__ import annotations

import argparse

import numpy as np
import shiftwatch


def ar1(rng, n, phi):
    z = rng.standard_normal(n)
    e = np.empty(n)
    e[0] = z[0] / np.sqrt(1 - phi * phi)
    for i in range(1, n):
        e[i] = phi * e[i - 1] + z[i]
    return e


NOISES = {
    "iid Gaussian": lambda r, n: r.standard_normal(n),
    "AR(1) φ=0.9": lambda r, n: ar1(r, n, 0.9),
    "AR(1) φ=0.99": lambda r, n: ar1(r, n, 0.99),
    "iid Student t3": lambda r, n: r.standard_t(3, n),
    "iid lognormal σ=1": lambda r, n: np.exp(r.standard_normal(n)),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=10)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=77)
    args = ap.parse_args()
    print("| noise | points | false changes | per 10⁴ | per 10⁵ | model (step/trend/drift/season) |\n"
          "|---|---|---|---|---|---|")
    for k, (name, make) in enumerate(NOISES.items()):
        rng = np.random.default_rng(args.seed + k)
        total = 0
        models = {"step": 0, "trend": 0, "drift": 0, "season": 0}
        for _ in range(args.series):
            d = shiftwatch.detect(make(rng, args.n))
            total += len(d.change_points)
            models[d.model["model"]] += 1
        pts = args.series * args.n
        chosen = "/".join(str(models[m]) for m in ("step", "trend", "drift", "season"))
        print(f"| {name} | {args.series} × {args.n} | {total} | {total / pts * 1e4:.2f} | "
              f"{total / pts * 1e5:.1f} | {chosen} |")


if __name__ == "__main__":
    main()
