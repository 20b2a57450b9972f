"""Writes the `analyze` scale benchmark input: 1000 metrics × 4 targets × 1440 points (one day
of 60 s scrapes), as 10 Grafana "series joined by time" CSV files of 100 metrics each
(numpy only, seeded). Then time it end to end, e.g.:

    python bench/analyze_scale.py /tmp/sw-scale
    /usr/bin/time -v target/release/shiftwatch analyze /tmp/sw-scale/*.csv \
        --baseline 'base-*' --candidate 'cand-*' --format json --output /dev/null --fail-on never
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

METRICS, TARGETS, POINTS, FILES = 1000, ["base-1", "base-2", "cand-1", "cand-2"], 1440, 10
START_MS = 1_763_884_800_000


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    t = START_MS + 60_000 * np.arange(POINTS)
    per_file = METRICS // FILES
    for f in range(FILES):
        cols, names = [], []
        for m in range(f * per_file, (f + 1) * per_file):
            level = 10 ** rng.uniform(0, 6)
            shared = np.cumsum(rng.normal(0, 0.002, POINTS))
            for target in TARGETS:
                e = rng.normal(0, 0.02, POINTS)
                e = np.convolve(e, np.ones(5) / 5, mode="same")
                shift = 1.05 if target.startswith("cand") and m % 50 == 0 else 1.0
                cols.append(level * shift * np.exp(shared + e))
                names.append(f'metric_{m:04d}{{target="{target}"}}')
        data = np.column_stack([t, *cols])
        header = '"Time",' + ",".join('"' + n.replace('"', '""') + '"' for n in names)
        np.savetxt(out / f"metrics_{f:02d}.csv", data, delimiter=",", header=header, comments="", fmt=["%d"] + ["%.6g"] * len(cols))
    print(f"wrote {FILES} files, {METRICS} metrics × {len(TARGETS)} targets × {POINTS} points to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/shiftwatch-analyze-scale"))
