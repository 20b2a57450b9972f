"""Side-by-side timing of change-point detection: shiftwatch vs ruptures on the same signals.

Seeded piecewise-constant signals with 10 changes (steps of 2σ, unit Gaussian noise). Every
method gets the same L2 penalty 2·ln(n) (σ = 1 known), jump = 1, min_size = 2:

- shiftwatch: the release CLI, `detect --cost l2 --method fpop|pelt|binseg --penalty <pen>
  --alpha 1 --min-size 2` (end to end: process start, CSV parsing, search; validation off;
  note that `detect` runs the L2 cost's `pelt` as functional pruning too, so those two rows
  time the same search);
- ruptures (in-process, /work/venv): Pelt(model="l2"), Binseg(model="l2") with pen,
  KernelCPD(kernel="linear") with pen (C implementation).

Prints wall time per method and the ratio to shiftwatch FPOP, and checks that exact methods
(ruptures Pelt, shiftwatch FPOP/PELT) return the same breakpoints. Methods whose expected time
exceeds --budget seconds (extrapolated quadratically from the previous size) are skipped.

signal-processing-algorithms' e_divisive and apache-otava are not run here yet (they need their
own virtualenvs with conflicting numpy pins).

Usage: cargo build --release -p shiftwatch --bin shiftwatch
       /work/venv/bin/python bench/vs_peers_changepoint.py [--sizes 1000 10000 100000] [--budget 60]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import ruptures as rpt

ROOT = Path(__file__).resolve().parents[1]


def signal(n, changes=10, seed=42):
    rng = np.random.default_rng(seed)
    seg = n // (changes + 1)
    level = np.where((np.arange(n) // max(seg, 1)) % 2 == 1, 2.0, 0.0)
    return level + rng.normal(size=n)


def run_shiftwatch(binary, path, method, pen):
    t = time.perf_counter()
    out = subprocess.run([binary, "detect", path, "--format", "json", "--cost", "l2", "--method", method,
                          "--penalty", repr(pen), "--alpha", "1", "--min-size", "2"],
                         capture_output=True, text=True, check=True)
    dt = time.perf_counter() - t
    return dt, [c["index"] for c in json.loads(out.stdout)["change_points"]]


def run_ruptures(kind, x, pen):
    t = time.perf_counter()
    if kind == "Pelt":
        bk = rpt.Pelt(model="l2", min_size=2, jump=1).fit(x).predict(pen=pen)
    elif kind == "Binseg":
        bk = rpt.Binseg(model="l2", min_size=2, jump=1).fit(x).predict(pen=pen)
    else:
        bk = rpt.KernelCPD(kernel="linear", min_size=2, jump=1).fit(x).predict(pen=pen)
    return time.perf_counter() - t, list(bk[:-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "shiftwatch"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--budget", type=float, default=60.0)
    args = ap.parse_args()
    last = {}
    print(f"{'n':>8} {'method':>24} {'seconds':>10} {'× fpop':>8}  same bkps as fpop")
    for n in args.sizes:
        x = signal(n)
        pen = 2 * math.log(n)
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
            fh.write("value\n" + "\n".join(repr(float(v)) for v in x) + "\n")
            path = fh.name
        results = {}
        for method in ["fpop", "pelt", "binseg"]:
            key = f"shiftwatch {method}"
            if key in last and last[key][1] * (n / last[key][0]) ** 2 > args.budget and method == "pelt":
                print(f"{n:8d} {key:>24} {'skipped':>10}")
                continue
            results[key] = run_shiftwatch(args.bin, path, method, pen)
            last[key] = (n, results[key][0])
        for kind in ["Pelt", "Binseg", "KernelCPD"]:
            key = f"ruptures {kind}"
            if key in last and last[key][1] * (n / last[key][0]) ** 2 > args.budget:
                print(f"{n:8d} {key:>24} {'skipped':>10}")
                continue
            results[key] = run_ruptures(kind, x, pen)
            last[key] = (n, results[key][0])
        Path(path).unlink()
        base_t, base_b = results["shiftwatch fpop"]
        for key, (t, b) in results.items():
            print(f"{n:8d} {key:>24} {t:10.4f} {t / base_t:8.1f}  {b == base_b}")


if __name__ == "__main__":
    main()
