"""Write the bundled example experiment in datasets/examples/experiment/ (seeded; numpy only).

A by-2 release experiment: two baseline targets (kubo-base-1, -2) and two candidate targets
(kubo-cand-1, -2) on the same replayed traffic, 60 s scrapes at different phases, 6 hours,
Kubo metric names. Its truth table is in datasets/README.md. The series come from
``experiment.py`` (the same simulator as the simulation suite) with these differences:

- p99 time to first byte +9 % on the candidate (p50 unchanged),
- a goroutine leak on the candidate: +2 % per hour, no step,
- 5xx responses ×2 on the candidate,
- CPU, memory and peers unchanged,
- memory utilisation ≥ 95 % for 15 minutes on every target (a launch blocker that fires for
  both releases: the environment, not the candidate),
- shared latency stalls, one counter restart per target, a 5-minute scrape gap on kubo-cand-1.

Files: Grafana "Download CSV" (series joined by time, epoch ms) for the gauges, and a
Prometheus ``query_range`` JSON for the counters, so one analysis mixes formats.

Run from the repository root (numpy in any Python): ``python datasets/scripts/make_experiment.py``
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from experiment import Effects, Scenario, simulate  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "examples" / "experiment"

SCENARIO = Scenario(
    hours=6.0,
    step_s=60,
    phi=0.9,
    stalls=2,
    error_rate_per_s=0.02,
    resets=1,
    gap_minutes=5.0,
    memory_breach=True,
    effects=Effects(p99=1.09, goroutine_leak_per_h=0.02, errors=2.0),
)
SEED = 2026_12_05


def header(metric: str, labels: str, target: str) -> str:
    parts = [p.split("=", 1) for p in labels.split(";") if p] + [["target", target]]
    inner = ", ".join(f'{k}="{v}"' for k, v in parts)
    return f"{metric}{{{inner}}}"


def fmt(v: float) -> str:
    if v != v:
        return "NaN"
    return f"{v:.6g}" if abs(v) < 1e6 else f"{v:.0f}"


def write_grafana(path: Path, rows: list[tuple[int, str, float]]) -> None:
    """Series joined by time: one row per timestamp, empty cells where a series has no sample."""
    cols = sorted({c for _, c, _ in rows})
    by_t: dict[int, dict[str, float]] = defaultdict(dict)
    for t, c, v in rows:
        by_t[t][c] = v
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(["Time", *cols])
        for t in sorted(by_t):
            w.writerow([str(t), *(fmt(by_t[t][c]) if c in by_t[t] else "" for c in cols)])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    d = simulate(SCENARIO, SEED)
    files: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
    matrix: dict[tuple[str, str, str], list] = defaultdict(list)
    gauges = {
        "go_goroutines": "goroutines.csv",
        "thunderdome_dealgood_ttfb_seconds": "ttfb.csv",
        "process_resident_memory_bytes": "memory.csv",
        "memory_utilisation_ratio": "memory.csv",
        "ipfs_p2p_peers_total": "peers.csv",
    }
    for t, m, target, _role, labels, kind, v in zip(
        d["timestamp"], d["metric"], d["target"], d["role"], d["labels"], d["kind"], d["value"]
    ):
        if kind == "counter":
            matrix[(m, target, labels)].append([t / 1000.0, fmt(v)])
        else:
            files[gauges[m]].append((t, header(m, labels, target), v))
    for name, rows in files.items():
        write_grafana(OUT / name, rows)
    result = []
    for (m, target, labels), values in sorted(matrix.items()):
        metric = {"__name__": m, "job": "kubo", "target": target}
        metric.update(dict(p.split("=", 1) for p in labels.split(";") if p))
        result.append({"metric": metric, "values": values})
    doc = {"status": "success", "data": {"resultType": "matrix", "result": result}}
    (OUT / "counters.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    # The Python package ships the same bytes (shiftwatch.datasets.experiment_paths()).
    shipped = Path(__file__).resolve().parents[2] / "py" / "python" / "shiftwatch" / "data" / "experiment"
    shipped.mkdir(parents=True, exist_ok=True)
    for f in sorted(OUT.iterdir()):
        (shipped / f.name).write_bytes(f.read_bytes())
    print(f"wrote {len(files) + 1} files to {OUT} and their copies to {shipped}")


if __name__ == "__main__":
    main()
