"""Writes the small, realistic input fixtures in ``datasets/fixtures/`` (one per format and
form), deterministically (seeded), with the Python standard library only.

Run: ``python datasets/scripts/make_fixtures.py`` from the repository root.
The Rust tests (``core/tests/io_fixtures.rs``, ``core/tests/cli_inspect.rs``) read these files
and assert the hand-known facts documented next to each writer below (series, points, resets,
missing cells), so edit both together.
"""

from __future__ import annotations

import json
import math
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "datasets" / "fixtures"
NAB = ROOT.parent / "shared/datasets/external/numenta-nab"  # ../shared from the repository

T0 = 1_714_564_800  # 2024-05-01T12:00:00Z, epoch seconds
STEP = 15  # scrape interval, seconds
N = 40  # points per series


def iso(sec: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(sec, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ar1(rng: random.Random, n: int, level: float, sd: float, phi: float = 0.8) -> list[float]:
    x, out = 0.0, []
    for _ in range(n):
        x = phi * x + rng.gauss(0.0, sd)
        out.append(round(level + x, 3))
    return out


def counter(rng: random.Random, n: int, rate: float, reset_at: int | None) -> list[float]:
    c, out = 1000.0, []
    for i in range(n):
        if reset_at is not None and i == reset_at:
            c = 0.0  # process restart
        c += max(0.0, rng.gauss(rate * STEP, rate))
        out.append(round(c, 1))
    return out


def write(path: Path, text: str | bytes, encoding: str = "utf-8", newline: str = "\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding=encoding, newline=newline)


def tidy(rng: random.Random) -> None:
    """tidy/paired.csv: 2 targets × (latency gauge, requests counter).
    kubo28-1's counter resets once at index 25; latency of kubo27-1 has 2 empty cells
    (index 10, 11) and one NaN (index 30)."""
    rows = ["timestamp,metric,target,role,release,value,labels,kind,unit"]
    for target, role, release, level in [("kubo27-1", "baseline", "v0.27", 0.180),
                                         ("kubo28-1", "candidate", "v0.28", 0.195)]:
        lat = ar1(rng, N, level, 0.01)
        req = counter(rng, N, 50.0, 25 if target == "kubo28-1" else None)
        for i in range(N):
            t = iso(T0 + i * STEP)
            v = lat[i]
            cell = "" if (target == "kubo27-1" and i in (10, 11)) else (
                "NaN" if (target == "kubo27-1" and i == 30) else f"{v}")
            rows.append(f"{t},http_latency_p99,{target},{role},{release},{cell},route=/api,gauge,s")
            rows.append(f"{t},http_requests_total,{target},{role},{release},{req[i]},route=/api,counter,")
    write(OUT / "tidy" / "paired.csv", "\n".join(rows) + "\n")


def grafana(rng: random.Random) -> None:
    """grafana/wide_goroutines.csv: UTF-8 BOM, CRLF, quoted label headers, 3 series, epoch ms,
    the kubo28-1 column is empty at index 5 (a gap), trailing blank line.
    grafana/per_series_kubo27-1.csv: one frame with a plain header.
    grafana/table_long.csv: Time, __name__, target, le, Value (histogram buckets, 2 targets).
    grafana/excel_utf16.csv: UTF-16LE with BOM, TAB-delimited.
    grafana/sep_semicolon.csv: `sep=;` first line.
    grafana/formatted.csv: a "Formatted data" export (local time, units) → must be rejected."""
    targets = ["kubo27-1", "kubo27-2", "kubo28-1"]
    cols = {t: ar1(rng, N, 120 + 10 * k, 4) for k, t in enumerate(targets)}
    head = ['"Time"'] + [
        '"go_goroutines{experiment=""e1"", target=""%s""}"' % t for t in targets
    ]
    lines = [",".join(head)]
    for i in range(N):
        cells = [str((T0 + i * STEP) * 1000)]
        for t in targets:
            cells.append("" if (t == "kubo28-1" and i == 5) else str(cols[t][i]))
        lines.append(",".join(cells))
    write(OUT / "grafana" / "wide_goroutines.csv", "\ufeff" + "\r\n".join(lines) + "\r\n\r\n",
          newline="")
    lines = ['"Time","kubo27-1"'] + [f"{(T0 + i * STEP) * 1000},{cols['kubo27-1'][i]}"
                                      for i in range(N)]
    write(OUT / "grafana" / "per_series_kubo27-1.csv", "\r\n".join(lines) + "\r\n", newline="")
    # Histogram buckets in table form: cumulative counts per le.
    lines = ["Time,__name__,target,le,Value"]
    for target in ["kubo27-1", "kubo28-1"]:
        acc = {"0.1": 0.0, "0.5": 0.0, "+Inf": 0.0}
        for i in range(N):
            fast, mid, slow = rng.randint(20, 40), rng.randint(5, 15), rng.randint(0, 3)
            acc["0.1"] += fast
            acc["0.5"] += fast + mid
            acc["+Inf"] += fast + mid + slow
            for le, v in acc.items():
                lines.append(f"{(T0 + i * STEP) * 1000},request_duration_seconds_bucket,"
                             f"{target},{le},{v:.0f}")
    write(OUT / "grafana" / "table_long.csv", "\n".join(lines) + "\n")
    lines = ["Time\tkubo27-1\tkubo28-1"] + [
        f"{(T0 + i * STEP) * 1000}\t{cols['kubo27-1'][i]}\t{cols['kubo28-1'][i]}" for i in range(10)
    ]
    write(OUT / "grafana" / "excel_utf16.csv",
          b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    lines = ["sep=;", "Time;kubo27-1;kubo28-1"] + [
        f"{iso(T0 + i * STEP)};{cols['kubo27-1'][i]};{cols['kubo28-1'][i]}" for i in range(10)
    ]
    write(OUT / "grafana" / "sep_semicolon.csv", "\n".join(lines) + "\n")
    lines = ['"Time","kubo27-1"', '"2024-05-01 14:00:00","1.25 GiB"',
             '"2024-05-01 14:00:15","1.26 GiB"']
    write(OUT / "grafana" / "formatted.csv", "\r\n".join(lines) + "\r\n", newline="")


def prometheus(rng: random.Random) -> None:
    """prometheus/query_range.json: matrix, 2 targets of process_resident_memory_bytes;
    kubo28-1 lacks points 12..14 (a gap) and has one "NaN" at 20.
    prometheus/vector.json: instant query. prometheus/error.json: status error body."""
    result = []
    for k, target in enumerate(["kubo27-1", "kubo28-1"]):
        vals = ar1(rng, N, 2.0e8 + 1e7 * k, 2e6)
        values = []
        for i in range(N):
            if target == "kubo28-1" and 12 <= i <= 14:
                continue
            v = "NaN" if (target == "kubo28-1" and i == 20) else repr(vals[i])
            values.append([T0 + i * STEP + 0.25 * k, v])
        result.append({"metric": {"__name__": "process_resident_memory_bytes",
                                  "job": "ipfs", "target": target}, "values": values})
    body = {"status": "success", "data": {"resultType": "matrix", "result": result}}
    write(OUT / "prometheus" / "query_range.json", json.dumps(body, indent=1) + "\n")
    vec = {"status": "success", "data": {"resultType": "vector", "result": [
        {"metric": {"__name__": "up", "target": t}, "value": [T0, "1"]} for t in ["a", "b"]]}}
    write(OUT / "prometheus" / "vector.json", json.dumps(vec) + "\n")
    err = {"status": "error", "errorType": "bad_data",
           "error": "1:14: parse error: unexpected \"}\" in label matching"}
    write(OUT / "prometheus" / "error.json", json.dumps(err) + "\n")


def openmetrics(rng: random.Random) -> None:
    """openmetrics/scrape.txt: OpenMetrics with float-second timestamps: a counter family
    (resets once at index 20), a histogram (3 buckets + _sum/_count), a `_total`-named gauge
    declared as gauge, and # EOF."""
    lines = ["# HELP ipfs_http_requests Requests served.", "# TYPE ipfs_http_requests counter",
             "# TYPE ipfs_p2p_peers_total gauge",
             "# TYPE rpc_duration_seconds histogram", "# UNIT rpc_duration_seconds seconds"]
    req = counter(rng, N, 30.0, 20)
    peers = [rng.randint(80, 120) for _ in range(N)]
    b = {"0.05": 0, "0.25": 0, "+Inf": 0}
    s = 0.0
    for i in range(N):
        t = f"{T0 + i * STEP}.000"
        lines.append(f'ipfs_http_requests_total{{target="kubo27-1"}} {req[i]} {t}')
        lines.append(f'ipfs_p2p_peers_total{{target="kubo27-1"}} {peers[i]} {t}')
        fast, slow, tail = rng.randint(10, 20), rng.randint(2, 6), rng.randint(0, 1)
        b["0.05"] += fast
        b["0.25"] += fast + slow
        b["+Inf"] += fast + slow + tail
        s += fast * 0.02 + slow * 0.1 + tail * 0.6
        for le, v in b.items():
            lines.append(f'rpc_duration_seconds_bucket{{le="{le}",target="kubo27-1"}} {v} {t}')
        lines.append(f'rpc_duration_seconds_sum{{target="kubo27-1"}} {s:.3f} {t}')
        lines.append(f'rpc_duration_seconds_count{{target="kubo27-1"}} {b["+Inf"]} {t}')
    lines.append("# EOF")
    write(OUT / "openmetrics" / "scrape.txt", "\n".join(lines) + "\n")
    # Prometheus text 0.0.4 style: integer millisecond timestamps, no # EOF.
    lines = ["# TYPE node_load1 gauge"] + [
        f'node_load1{{target="kubo27-1"}} {round(1 + math.sin(i / 5), 3)} {(T0 + i * STEP) * 1000}'
        for i in range(10)]
    write(OUT / "openmetrics" / "prom004.txt", "\n".join(lines) + "\n")


def bad() -> None:
    """bad/*: one malformed file per reader, with the error location asserted in tests."""
    write(OUT / "bad" / "tidy_bad_timestamp.csv",
          "timestamp,metric,target,value\n2024-05-01T12:00:00Z,m,a,1\nyesterday,m,a,2\n")
    write(OUT / "bad" / "grafana_unterminated.csv", '"Time","a"\n1714564800000,"5\n')
    write(OUT / "bad" / "prometheus_bad_value.json",
          '{"status":"success","data":{"resultType":"matrix","result":[\n'
          '{"metric":{"__name__":"m"},"values":[[1714564800,"1"],[1714564815,"one"]]}]}}\n')
    write(OUT / "bad" / "openmetrics_no_timestamp.txt", "# TYPE m gauge\nm{target=\"a\"} 1\n")


def nab() -> None:
    """nab/: one real NAB CloudWatch export copied verbatim, with its licence."""
    src = NAB / "realAWSCloudwatch" / "elb_request_count_8c0756.csv"
    dst = OUT / "nab"
    dst.mkdir(parents=True, exist_ok=True)
    if src.exists():
        shutil.copyfile(src, dst / src.name)
        shutil.copyfile(NAB / "LICENSE.txt", dst / "LICENSE.txt")
    (dst / "README.md").write_text(
        "# NAB sample\n\n"
        "`elb_request_count_8c0756.csv` is copied verbatim from the Numenta Anomaly Benchmark\n"
        "(numenta/NAB, data/realAWSCloudwatch/, snapshot ea702d75cc2258d9d7dd35ca8e5e2539d71f3140),\n"
        "MIT licence (LICENSE.txt here). 4032 rows of `timestamp,value`, naive UTC timestamps\n"
        "`YYYY-MM-DD HH:MM:SS`, 5-minute sampling with 8 irregular steps. Read it with\n"
        "`--timezone UTC`.\n")


def main() -> None:
    rng = random.Random(20240501)
    tidy(rng)
    grafana(rng)
    prometheus(rng)
    openmetrics(rng)
    bad()
    nab()
    (OUT / "README.md").write_text(
        "# Input fixtures\n\nSmall, realistic exports of every input format, written by\n"
        "`datasets/scripts/make_fixtures.py` (seeded, standard library only; see the docstrings\n"
        "there for what each file contains). `nab/` is real data (see its README).\n")


if __name__ == "__main__":
    main()
