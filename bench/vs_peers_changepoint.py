"""Side-by-side timing and accuracy of change-point detection: shiftwatch vs the peers a user
would pick instead (ruptures, signal-processing-algorithms, apache-otava, fastcpd,
changepoint-doctor) on the same signals.

Signals: seeded piecewise-constant series with 10 changes (alternating levels 0 / 2, i.e. steps of
2σ, unit Gaussian noise; `signal()` below), written once per size to a temporary CSV that every
tool reads. True change points: the 10 segment starts. F1 is van den Burg & Williams' (2020)
F1 with margin 5 as in TCPDBench (`datasets/scripts/tcpd_score.py:f_measure`: index 0 is added
to truth and prediction). Wall time of shiftwatch is the release CLI end to end (process start,
CSV parsing, search, validation, JSON output); the peers' time is only their in-process call
(no interpreter start, imports or parsing), which favours the peers.

Sections and what each tool is given:

1. `ruptures` (in-process, the development virtualenv): Pelt(model="l2"), Binseg(model="l2") and
   KernelCPD(kernel="linear") with jump=1, min_size=2 and the L2 penalty 2·ln(n) (σ = 1 known),
   vs `shiftwatch detect --cost l2 --method fpop|pelt|binseg --penalty <same> --alpha 1
   --min-size 2` (validation off, so the same optimisation problem; `detect` runs the L2 cost's
   `pelt` as functional pruning too, so those two rows time the same search). Exact methods
   must return the same breakpoints ("same" column: equal to shiftwatch fpop).
2. E-divisive: signal-processing-algorithms' `e_divisive(values, pvalue=0.05, permutations=99)`
   (its C extension on; np.random.seed(0)) vs `shiftwatch detect --method edivisive
   --permutations 99 --alpha 0.05 --min-size 1 --p-value-rule spa --seed 0`, i.e. SPA's
   conventions (α = 1, no minimum segment size, p = #{T_perm ≥ T}/(P + 1)); the "same" column
   says whether both return the same change points (permutation p-values differ by RNG, so a
   split near the 0.05 threshold may legitimately differ).
3. Defaults: apache-otava's `otava.analysis.compute_change_points(values)` with its defaults
   (window_len=50, max_pvalue=0.001, min_magnitude=0.0; what `otava analyze` runs per metric)
   vs `shiftwatch detect FILE` with its defaults (pelt/l2 → FPOP, MBIC penalty with the robust
   dependence-aware noise scale, min size 5, validated change points at Holm-adjusted 0.05).
5. Speed of the default against the fastest peers a user would pick: `fastcpd.detect_mean(values)`
   with its defaults (C++, in-process) and changepoint-doctor's (Rust) `cpd.Fpop(min_segment_len=5)
   .fit(values).predict(pen=3 ln n)` (σ = 1 known; changepoint-doctor has no default penalty), vs
   shiftwatch's default `detect` in-process from Python (`shiftwatch.detect(values)`, validation
   included; skipped when this interpreter cannot import shiftwatch) and through the CLI.
6. Per cost (no peer): `detect(cost=...)` for every cost (and decafs, auto) and the penalised
   search alone, 10 changes, via the release example `core/examples/cp_costs.rs` (build it with
   `cargo build --release -p shiftwatch --example cp_costs`); the issue's target is ≤ 2 s at 10⁶
   for every cost.
4. The TigerBeetle benchmark series (`datasets/tigerbeetle/`, 365
   points, no ground truth; see its README for the expected shifts at 15 and 71): otava and
   shiftwatch defaults, SPA and shiftwatch E-divisive; prints each change-point list.

The peers run with the interpreters of bench/peers_env.sh (their own virtualenvs, since SPA and
Otava pin incompatible numpy versions) through bench/peers/run_peer.py; if a peer's virtualenv
is missing its rows are skipped with a note. A size is skipped for a method when its time,
extrapolated from the previous sizes (log-log slope of the last two, or the method's expected
order for the first), exceeds --budget seconds.

Usage:
    cargo build --release -p shiftwatch --bin shiftwatch
    bench/peers_env.sh        # once; creates the peer virtualenvs
    python bench/vs_peers_changepoint.py [--budget 60] [--sections 1 2 3 4 5 6]
        [--sizes 1000 10000 100000] [--ediv-sizes 100 1000 10000] [--default-sizes 1000 ... 1000000]
        [--fast-sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "datasets" / "scripts"))
from tcpd_score import f_measure  # noqa: E402

CACHE = Path(os.environ.get("SHIFTWATCH_CACHE", Path.home() / ".cache" / "shiftwatch")) / "peers"
RUN_PEER = ROOT / "bench" / "peers" / "run_peer.py"
TIGERBEETLE = ROOT / "datasets" / "tigerbeetle" / "tigerbeetle_series.csv"


def signal(n, changes=10, seed=42):
    rng = np.random.default_rng(seed)
    seg = n // (changes + 1)
    level = np.where((np.arange(n) // max(seg, 1)) % 2 == 1, 2.0, 0.0)
    return level + rng.normal(size=n)


def true_change_points(n, changes=10):
    seg = n // (changes + 1)
    return [seg * k for k in range(1, changes + 1)]


def f1(truth, predicted):
    return f_measure({"truth": list(truth)}, list(predicted), margin=5)


def write_csv(values):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
        fh.write("value\n" + "\n".join(repr(float(v)) for v in values) + "\n")
        return fh.name


def run_shiftwatch(binary, path, args):
    t = time.perf_counter()
    out = subprocess.run([binary, "detect", path, "--format", "json", *args],
                         capture_output=True, text=True, check=True)
    dt = time.perf_counter() - t
    return dt, [c["index"] for c in json.loads(out.stdout)["change_points"]]


def peer_python(name):
    py = CACHE / name / "bin" / "python"
    return py if py.exists() else None


def run_peer(name, path, *extra):
    py = peer_python(name)
    out = subprocess.run([str(py), str(RUN_PEER), name, path, *extra], capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout.strip().splitlines()[-1])
    return doc["seconds"], doc["change_points"], doc["version"]


def run_ruptures(kind, x, pen):
    import ruptures as rpt

    t = time.perf_counter()
    if kind == "Pelt":
        bk = rpt.Pelt(model="l2", min_size=2, jump=1).fit(x).predict(pen=pen)
    elif kind == "Binseg":
        bk = rpt.Binseg(model="l2", min_size=2, jump=1).fit(x).predict(pen=pen)
    else:
        bk = rpt.KernelCPD(kernel="linear", min_size=2, jump=1).fit(x).predict(pen=pen)
    return time.perf_counter() - t, list(bk[:-1])


class Budget:
    """Skips a method at a size whose extrapolated time exceeds the budget."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.history = {}

    def expected(self, key, n, order):
        h = self.history.get(key, [])
        if not h:
            return 0.0
        if len(h) >= 2 and h[-1][0] != h[-2][0] and h[-2][1] > 0.05:
            slope = math.log(h[-1][1] / h[-2][1]) / math.log(h[-1][0] / h[-2][0])
            order = min(max(slope, 1.0), 2.5)
        return h[-1][1] * (n / h[-1][0]) ** order

    def allows(self, key, n, order):
        return self.expected(key, n, order) <= self.seconds

    def record(self, key, n, seconds):
        self.history.setdefault(key, []).append((n, seconds))


def row(n, key, t, base_t, f1_score, same, note=""):
    ratio = f"{t / base_t:8.1f}" if base_t else f"{'':>8}"
    f1s = f"{f1_score:5.2f}" if f1_score is not None else f"{'':>5}"
    same_s = "" if same is None else str(same)
    print(f"{n:>8} {key:>26} {t:10.4f} {ratio} {f1s}  {same_s:<5} {note}", flush=True)


def skipped(n, key, why):
    print(f"{n:>8} {key:>26} {'skipped':>10}  {why}", flush=True)


def header(title, ratio_to):
    print(f"\n## {title}")
    print(f"{'n':>8} {'method':>26} {'seconds':>10} {'× ' + ratio_to:>8} {'F1':>5}  same")


def section_ruptures(args, budget):
    header("1. exact / greedy L2 segmentation, penalty 2 ln n (same column: bkps == shiftwatch fpop)", "fpop")
    for n in args.sizes:
        x = signal(n)
        truth = true_change_points(n)
        pen = 2 * math.log(n)
        path = write_csv(x)
        results = {}
        for method in ["fpop", "pelt", "binseg"]:
            key = f"shiftwatch {method}"
            results[key] = run_shiftwatch(args.bin, path, ["--cost", "l2", "--method", method, "--penalty", repr(pen),
                                                           "--alpha", "1", "--min-size", "2"])
            budget.record(key, n, results[key][0])
        for kind in ["Pelt", "Binseg", "KernelCPD"]:
            key = f"ruptures {kind}"
            if not budget.allows(key, n, 2.0):
                skipped(n, key, f"over budget (~{budget.expected(key, n, 2.0):.0f} s)")
                continue
            results[key] = run_ruptures(kind, x, pen)
            budget.record(key, n, results[key][0])
        Path(path).unlink()
        base_t, base_b = results["shiftwatch fpop"]
        for key, (t, b) in results.items():
            row(n, key, t, base_t, f1(truth, b), b == base_b)


def section_edivisive(args, budget):
    header("2. E-divisive, 99 permutations, SPA's conventions (same column: change points equal)", "sw")
    if peer_python("spa") is None:
        print("signal-processing-algorithms virtualenv missing: run bench/peers_env.sh")
    for n in args.ediv_sizes:
        x = signal(n)
        truth = true_change_points(n)
        path = write_csv(x)
        sw_t, sw_b = run_shiftwatch(args.bin, path, ["--method", "edivisive", "--permutations", "99", "--alpha", "0.05",
                                                     "--min-size", "1", "--p-value-rule", "spa", "--seed", "0"])
        row(n, "shiftwatch edivisive", sw_t, sw_t, f1(truth, sw_b), None, f"{len(sw_b)} cps")
        key = "spa e_divisive"
        if peer_python("spa") is not None:
            if budget.allows(key, n, 2.0):
                t, b, version = run_peer("spa", path, "--permutations", "99", "--pvalue", "0.05", "--seed", "0")
                budget.record(key, n, t)
                row(n, f"{key} {version}", t, sw_t, f1(truth, b), b == sw_b, f"{len(b)} cps")
            else:
                skipped(n, key, f"over budget (~{budget.expected(key, n, 2.0):.0f} s)")
        Path(path).unlink()


def section_defaults(args, budget):
    header("3. defaults: shiftwatch detect vs apache-otava compute_change_points", "sw")
    if peer_python("otava") is None:
        print("apache-otava virtualenv missing: run bench/peers_env.sh")
    for n in args.default_sizes:
        x = signal(n)
        truth = true_change_points(n)
        path = write_csv(x)
        sw_t, sw_b = run_shiftwatch(args.bin, path, [])
        row(n, "shiftwatch detect", sw_t, sw_t, f1(truth, sw_b), None, f"{len(sw_b)} cps")
        key = "otava"
        if peer_python("otava") is not None:
            if budget.allows(key, n, 1.5):
                t, b, version = run_peer("otava", path)
                budget.record(key, n, t)
                row(n, f"{key} {version}", t, sw_t, f1(truth, b), b == sw_b, f"{len(b)} cps")
            else:
                skipped(n, key, f"over budget (~{budget.expected(key, n, 1.5):.0f} s)")
        Path(path).unlink()


def section_fast_peers(args, budget):
    header("5. default speed: shiftwatch detect (Python in-process, CLI) vs fastcpd detect_mean, changepoint-doctor Fpop",
           "sw")
    try:
        import shiftwatch
    except ImportError:
        shiftwatch = None
        print("shiftwatch not importable here: only the CLI row")
    for n in args.fast_sizes:
        x = signal(n)
        truth = true_change_points(n)
        path = write_csv(x)
        base = None
        if shiftwatch is not None:
            t = time.perf_counter()
            b = list(shiftwatch.detect(x).indices)
            base = time.perf_counter() - t
            row(n, "shiftwatch.detect (Python)", base, base, f1(truth, b), None, f"{len(b)} cps")
        cli_t, cli_b = run_shiftwatch(args.bin, path, [])
        base = base or cli_t
        row(n, "shiftwatch detect (CLI)", cli_t, base, f1(truth, cli_b), None, f"{len(cli_b)} cps")
        for name, extra in [("fastcpd", []), ("cpdoctor", ["--pen", repr(3 * math.log(n)), "--min-size", "5"])]:
            if peer_python(name) is None:
                skipped(n, name, "virtualenv missing: run bench/peers_env.sh")
                continue
            if not budget.allows(name, n, 2.0):
                skipped(n, name, f"over budget (~{budget.expected(name, n, 2.0):.0f} s)")
                continue
            t, b, version = run_peer(name, path, *extra)
            budget.record(name, n, t)
            row(n, f"{name} {version}", t, base, f1(truth, b), None, f"{len(b)} cps")
        Path(path).unlink()


def section_tigerbeetle(args):
    print("\n## 4. TigerBeetle series (365 points; README: shifts at 15 and 71, outlier at 10)")
    values = [float(line.split(",")[1]) for line in TIGERBEETLE.read_text().splitlines()[1:] if line.strip()]
    path = write_csv(values)
    runs = [("shiftwatch detect (default)", lambda: run_shiftwatch(args.bin, path, [])),
            ("shiftwatch edivisive (SPA conv.)",
             lambda: run_shiftwatch(args.bin, path, ["--method", "edivisive", "--permutations", "99", "--min-size", "1",
                                                     "--p-value-rule", "spa"]))]
    if peer_python("otava") is not None:
        runs.append(("otava (default)", lambda: run_peer("otava", path)[:2]))
    if peer_python("spa") is not None:
        runs.append(("spa e_divisive (99 perm.)", lambda: run_peer("spa", path, "--permutations", "99")[:2]))
    for name, fn in runs:
        t, b = fn()
        print(f"{name:>34} {t:8.4f} s  {b}", flush=True)
    Path(path).unlink()


def section_costs(args):
    print("\n## 6. per cost: detect(cost=...) and the penalised search alone, 10 changes (core/examples/cp_costs.rs)")
    example = Path(args.bin).parent / "examples" / "cp_costs"
    if not example.exists():
        print(f"{example} missing: cargo build --release -p shiftwatch --example cp_costs")
        return
    for n in args.cost_sizes:
        out = subprocess.run([str(example), str(n)], capture_output=True, text=True, check=True)
        print(out.stdout.rstrip(), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "shiftwatch"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--ediv-sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--default-sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    ap.add_argument("--fast-sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    ap.add_argument("--cost-sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    ap.add_argument("--sections", type=int, nargs="+", default=[1, 2, 3, 4, 5, 6])
    ap.add_argument("--budget", type=float, default=60.0)
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"({os.cpu_count()} cpus); budget {args.budget:.0f} s per run")
    budget = Budget(args.budget)
    if 1 in args.sections:
        section_ruptures(args, budget)
    if 2 in args.sections:
        section_edivisive(args, budget)
    if 3 in args.sections:
        section_defaults(args, budget)
    if 4 in args.sections:
        section_tigerbeetle(args)
    if 5 in args.sections:
        section_fast_peers(args, budget)
    if 6 in args.sections:
        section_costs(args)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
