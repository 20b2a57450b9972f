"""Peak resident memory of reading through `shiftwatch::io` (the `inspect` command), for the
two shapes that matter (issue 9, item 19):

- *long*: a tidy CSV of a few series with many points each (memory per point);
- *wide*: a tidy CSV with one point per series (memory per series: the per-series overhead).

`inspect` keeps a running summary per series, not the points: its memory grows with the
series. `detect --column kubo-0` on the long file reads identities first, then only the chosen
series' points; it runs with a numeric penalty so the figure is reading plus one search (no
change points to validate).

Not a timed test: it prints peak RSS (from `/usr/bin/time -f %M`, else `getrusage`) and the
derived bytes per point / per series. Files are generated, seeded, into a scratch folder.

Run from the repository root after `cargo build --release -p shiftwatch`:

    python bench/rss_io.py --long-mb 1024 --wide-mb 50 [--bin target/release/shiftwatch]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HEADER = "timestamp,metric,target,role,release,value,labels,kind,unit\n"
T0 = 1_714_564_800_000


def write_long(path: Path, mb: int, series: int = 4) -> tuple[int, int]:
    """Rows cycle over `series` gauges, 15 s apart; returns (rows, series)."""
    target = mb * 1024 * 1024
    rows = 0
    with path.open("w") as f:
        f.write(HEADER)
        size = len(HEADER)
        block = []
        while size < target:
            t = T0 + (rows // series) * 15_000
            line = f"{t},node_load,kubo-{rows % series},baseline,v1,{(rows * 7919) % 1000 / 10},,gauge,\n"
            block.append(line)
            size += len(line)
            rows += 1
            if len(block) == 10_000:
                f.write("".join(block))
                block.clear()
        f.write("".join(block))
    return rows, series


def write_wide(path: Path, mb: int) -> tuple[int, int]:
    """One point per series (distinct targets); returns (rows, series)."""
    target = mb * 1024 * 1024
    rows = 0
    with path.open("w") as f:
        f.write(HEADER)
        size = len(HEADER)
        block = []
        while size < target:
            line = f"{T0},node_load,t{rows},baseline,v1,{rows % 100},,gauge,\n"
            block.append(line)
            size += len(line)
            rows += 1
            if len(block) == 10_000:
                f.write("".join(block))
                block.clear()
        f.write("".join(block))
    return rows, rows


def peak_rss_kb(cmd: list[str]) -> int:
    if shutil.which("time") or Path("/usr/bin/time").exists():
        r = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, check=False)
        if r.returncode != 0:
            sys.exit(f"{cmd} failed: {r.stderr[-500:]}")
        return int(r.stderr.strip().splitlines()[-1])
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", action="append", default=None,
                    help="binary to measure (repeat to compare builds on the same files)")
    ap.add_argument("--long-mb", type=int, default=1024)
    ap.add_argument("--wide-mb", type=int, default=50)
    ap.add_argument("--dir", default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    a = ap.parse_args()
    scratch = Path(a.dir or tempfile.mkdtemp(prefix="shiftwatch-rss-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        bins = a.bin or ["target/release/shiftwatch"]
        print(f"{'binary':<28} {'input':<22} {'size MB':>8} {'rows':>11} {'series':>9} "
              f"{'peak RSS MB':>12} {'B/row':>6} {'B/series':>9}")
        for shape, mb in (("long", a.long_mb), ("wide", a.wide_mb)):
            if mb <= 0:
                continue
            p = scratch / f"{shape}_{mb}mb.csv"
            rows, series = (write_long if shape == "long" else write_wide)(p, mb)
            size = os.path.getsize(p) / 2**20
            runs = [("inspect " + shape, ["inspect", str(p), "--format", "json"])]
            if shape == "long":
                runs.append(("detect long, 1 series", ["detect", str(p), "--column", "kubo-0",
                                                       "--cost", "l2", "--penalty", "1e12"]))
            for b in bins:
                for label, args in runs:
                    kb = peak_rss_kb([b, *args])
                    print(f"{Path(b).name:<28} {label:<22} {size:8.0f} {rows:11d} "
                          f"{series:9d} {kb / 1024:12.0f} {kb * 1024 / rows:6.0f} "
                          f"{kb * 1024 / series:9.0f}", flush=True)
            if not a.keep:
                p.unlink()
    finally:
        if not a.keep and a.dir is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
