"""Fingerprint of `shiftwatch.detect` on seeded series, to show a speed change leaves results alone.

    python bench/detect_fingerprint.py --out before.json          # at the old commit
    python bench/detect_fingerprint.py --against before.json      # after the change

Series: 8 shapes (iid Gaussian, step, step on a random walk, trend, leak after a step, diurnal
sine + step, lognormal with a step, Student t3 with spikes and a step) at 5 sizes from 100 to
2·10⁵, 3 seeds each (120 series), plus the same with `cost="l2"`, `"linear"` and `"decafs"` at
the three smaller sizes. The fingerprint is `Detection.to_dict()` with every float written by
`repr` (shortest round-trip), so `--against` reports any change in any digit; `--rtol` allows
a relative tolerance on floats instead.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time

import numpy as np

import shiftwatch

SIZES = [100, 1_000, 5_000, 30_000, 200_000]


def series(shape: str, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, n, SHAPES.index(shape)])
    t = np.arange(n)
    k = n // 2
    step = np.where(t >= k, 1.5, 0.0)
    e = rng.standard_normal(n)
    if shape == "iid":
        return e
    if shape == "step":
        return e + step
    if shape == "rw_step":
        return np.cumsum(rng.standard_normal(n)) * 0.1 + e + 3 * step
    if shape == "trend":
        return e + 6.0 * t / n
    if shape == "leak_after_step":
        return e + step + np.where(t >= k, 4.0 * (t - k) / n, 0.0)
    if shape == "sine_step":
        return e + 2.0 * np.sin(2 * math.pi * t / 96) + step
    if shape == "lognormal_step":
        return np.exp(rng.standard_normal(n)) * np.where(t >= k, 2.0, 1.0)
    if shape == "t3_spikes":
        x = rng.standard_t(3, n) + step
        x[rng.choice(n, max(1, n // 200), replace=False)] += 15.0
        return x
    raise ValueError(shape)


SHAPES = ["iid", "step", "rw_step", "trend", "leak_after_step", "sine_step", "lognormal_step", "t3_spikes"]


def runs():
    for shape in SHAPES:
        for n in SIZES:
            for seed in range(3):
                yield f"{shape}/{n}/{seed}/auto", series(shape, n, seed), {}
    for cost in ["l2", "linear", "decafs"]:
        for shape in SHAPES:
            for n in SIZES[:3]:
                yield f"{shape}/{n}/0/{cost}", series(shape, n, 0), {"cost": cost}


def floats_close(a, b, rtol: float) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return a == b or abs(a - b) <= rtol * max(abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(floats_close(a[k], b[k], rtol) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(floats_close(x, y, rtol) for x, y in zip(a, b))
    return a == b


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="write the fingerprint here")
    ap.add_argument("--against", help="compare with this fingerprint")
    ap.add_argument("--rtol", type=float, default=0.0)
    args = ap.parse_args()
    found = {}
    start = time.perf_counter()
    for key, x, kwargs in runs():
        found[key] = json.loads(json.dumps(shiftwatch.detect(x, **kwargs).to_dict(), default=repr))
    print(f"{len(found)} series in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(found, fh)
    if args.against:
        with open(args.against) as fh:
            old = json.load(fh)
        bad = [k for k in old if k not in found or not floats_close(old[k], found[k], args.rtol)]
        for k in bad[:20]:
            print(f"differs: {k}")
        print(f"{len(old) - len(bad)} of {len(old)} series identical" + (f" (rtol {args.rtol})" if args.rtol else ""))
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
