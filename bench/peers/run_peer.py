"""Runs one change-point peer on one series; launched by bench/vs_peers_changepoint.py with the
peer's own interpreter (see bench/peers_env.sh), so it imports nothing from shiftwatch.

    run_peer.py spa   FILE [--permutations 99] [--pvalue 0.05] [--seed 0]
    run_peer.py otava FILE
    run_peer.py fastcpd FILE
    run_peer.py cpdoctor FILE [--pen P] [--min-size 5]

FILE is the same CSV the shiftwatch CLI reads (a header line, then one value per line). Prints
one JSON object: {"peer", "version", "seconds", "change_points"}; `seconds` times only the
peer's call (the data already in memory as the type the peer's API takes), not the interpreter
start, the imports or the parsing.

- spa: signal_processing_algorithms.energy_statistics.energy_statistics.e_divisive(values,
  pvalue, permutations) after np.random.seed(seed) (its C extension computes the distance matrix
  and T curves). Change points are returned sorted.
- otava: otava.analysis.compute_change_points(values) with its defaults (window_len=50,
  max_pvalue=0.001, min_magnitude=0.0), the function Otava's `analyze` runs per metric (with
  AnalysisOptions' defaults, orig_edivisive=False); values as a list of floats, as Otava's
  Series holds them.
- fastcpd: fastcpd.detect_mean(values) with its defaults (MBIC, variance estimated from the
  data); change points from `cp_set`.
- cpdoctor: changepoint-doctor's (Rust) `cpd.Fpop(min_segment_len).fit(values).predict(pen=P)`;
  change points from `change_points`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("peer", choices=["spa", "otava", "fastcpd", "cpdoctor"])
    ap.add_argument("--pen", type=float, default=None)
    ap.add_argument("--min-size", type=int, default=5)
    ap.add_argument("file")
    ap.add_argument("--permutations", type=int, default=99)
    ap.add_argument("--pvalue", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    x = np.loadtxt(args.file, skiprows=1, ndmin=1, dtype=np.float64)
    if args.peer == "spa":
        from signal_processing_algorithms.energy_statistics.energy_statistics import e_divisive

        version = importlib.metadata.version("signal-processing-algorithms")
        np.random.seed(args.seed)
        t = time.perf_counter()
        cps = e_divisive(x, pvalue=args.pvalue, permutations=args.permutations)
        seconds = time.perf_counter() - t
        cps = sorted(int(c) for c in cps)
    elif args.peer == "fastcpd":
        import fastcpd

        version = importlib.metadata.version("fastcpd")
        t = time.perf_counter()
        result = fastcpd.detect_mean(x)
        seconds = time.perf_counter() - t
        cps = sorted(int(c) for c in np.asarray(result.cp_set).ravel())
    elif args.peer == "cpdoctor":
        import cpd

        version = importlib.metadata.version("changepoint-doctor")
        pen = args.pen if args.pen is not None else 3.0 * np.log(len(x))
        t = time.perf_counter()
        result = cpd.Fpop(min_segment_len=args.min_size).fit(x).predict(pen=pen)
        seconds = time.perf_counter() - t
        cps = sorted(int(c) for c in result.change_points)
    else:
        from otava.analysis import compute_change_points

        version = importlib.metadata.version("apache-otava")
        values = x.tolist()
        t = time.perf_counter()
        found, _weak = compute_change_points(values)
        seconds = time.perf_counter() - t
        cps = sorted(int(c.index) for c in found)
    print(json.dumps({"peer": args.peer, "version": version, "seconds": seconds, "change_points": cps}))


if __name__ == "__main__":
    main()
