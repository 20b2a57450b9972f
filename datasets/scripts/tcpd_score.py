"""Score `shiftwatch detect` (default settings) on the TCPD dev and qc series.

Metrics: F1 (margin 5, alpha 0.5) and covering, exactly as in van den Burg & Williams (2020),
"An Evaluation of Change Point Detection Algorithms", arXiv:2003.06222 (TCPDBench's
cpdbench_utils / metrics.py: 0 is added to every annotation and to the prediction for F1; the
covering is averaged over annotators). The scorer is first checked against the published
predictions and scores in `datasets/tcpd/dev/tcpdbench_cases.json`.

The detector runs as the real CLI (`shiftwatch detect FILE --format json`) on each series,
written to a temporary CSV. Usage:

    cargo build -p shiftwatch --bin shiftwatch
    python datasets/scripts/tcpd_score.py [--bin target/debug/shiftwatch] [-- extra detect args]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TCPD = ROOT / "datasets" / "tcpd"


def true_positives(T, X, margin=5):
    X = set(X)
    TP = set()
    for tau in sorted(T):
        close = sorted((abs(tau - x), x) for x in X if abs(tau - x) <= margin)
        if not close:
            continue
        TP.add(tau)
        X.remove(close[0][1])
    return TP


def f_measure(annotations, predictions, margin=5, alpha=0.5):
    Tks = {k: set(a) | {0} for k, a in enumerate(annotations.values())}
    X = set(predictions) | {0}
    Tstar = set().union(*Tks.values())
    K = len(Tks)
    P = len(true_positives(Tstar, X, margin)) / len(X)
    R = sum(len(true_positives(Tk, X, margin)) / len(Tk) for Tk in Tks.values()) / K
    if P == 0 and R == 0:
        return 0.0
    return P * R / (alpha * R + (1 - alpha) * P)


def partition(locations, n):
    cps = sorted(set(l for l in locations if 0 < l < n))
    bounds = [0] + cps + [n]
    return [set(range(a, b)) for a, b in zip(bounds, bounds[1:]) if b > a]


def cover_single(pred, truth):
    total = sum(map(len, truth))
    c = 0.0
    for R in truth:
        c += len(R) * max(len(R & Rp) / len(R | Rp) for Rp in pred)
    return c / total


def covering(annotations, predictions, n):
    pX = partition(predictions, n)
    Cs = [cover_single(pX, partition(a, n)) for a in annotations.values()]
    return sum(Cs) / len(Cs)


def check_scorer():
    cases = json.loads((TCPD / "dev" / "tcpdbench_cases.json").read_text())["cases"]
    ann = json.loads((TCPD / "dev" / "annotations.json").read_text())
    n_f1 = n_cov = 0
    for c in cases:
        a = ann[c["dataset"]]
        locs = [l for l in c["cplocations"] if 0 <= l < c["n_obs"]]
        if c.get("f1") is not None:
            assert abs(f_measure(a, locs) - c["f1"]) < 1e-12, c
            n_f1 += 1
        if c.get("cover") is not None:
            assert abs(covering(a, locs, c["n_obs"]) - c["cover"]) < 1e-12, c
            n_cov += 1
    return n_f1, n_cov


def run_detect(binary, values, extra):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
        fh.write("value\n")
        for v in values:
            fh.write(f"{v!r}\n")
        path = fh.name
    out = subprocess.run([binary, "detect", path, "--format", "json", *extra], capture_output=True, text=True)
    Path(path).unlink()
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return [c["index"] for c in json.loads(out.stdout)["change_points"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "debug" / "shiftwatch"))
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    n_f1, n_cov = check_scorer()
    print(f"scorer reproduces {n_f1} published F1 and {n_cov} published cover values to 1e-12")
    published = json.loads((TCPD / "dev" / "tcpdbench_scores.json").read_text())["default"]
    rows = []
    for split in ["dev", "qc"]:
        ann = json.loads((TCPD / split / "annotations.json").read_text())
        for name in sorted(ann):
            s = json.loads((TCPD / split / f"{name}.json").read_text())
            values = s["series"][0]["raw"]
            pred = run_detect(args.bin, values, args.extra)
            f1 = f_measure(ann[name], pred)
            cov = covering(ann[name], pred, len(values))
            zero_f1 = f_measure(ann[name], [])
            zero_cov = covering(ann[name], [], len(values))
            best = None
            if name in published:
                best = max((v["f1"] or 0.0) for v in published[name].values())
            rows.append((split, name, len(values), pred, f1, cov, zero_f1, zero_cov, best))
    print(f"{'split':5} {'series':18} {'n':>5} {'F1':>6} {'cover':>6} {'zeroF1':>6} {'zeroCv':>6} {'bestF1':>6}  change points")
    for split, name, n, pred, f1, cov, zf, zc, best in rows:
        b = f"{best:6.3f}" if best is not None else "     -"
        print(f"{split:5} {name:18} {n:5d} {f1:6.3f} {cov:6.3f} {zf:6.3f} {zc:6.3f} {b}  {pred}")
    for split in ["dev", "qc"]:
        r = [x for x in rows if x[0] == split]
        mean = lambda i: sum(x[i] for x in r) / len(r)
        print(f"{split}: mean F1 {mean(4):.3f}, cover {mean(5):.3f}  (zero: F1 {mean(6):.3f}, cover {mean(7):.3f}; {len(r)} series)")


if __name__ == "__main__":
    sys.exit(main())
