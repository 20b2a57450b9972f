"""Write the synthetic example data in datasets/examples/ (seeded; numpy only).

gateway_ttfb.csv: 2 h of 15 s scrapes (480 rows) of the time to first byte (ms) of an
IPFS-gateway-like HTTP service, baseline and candidate release running side by side on the
same traffic. Both share the load pattern (a slow swell over the two hours plus a few load
bursts), each has its own AR(1) noise (lag-1 about 0.85) and rare heavy-tailed spikes
(Pareto), and the candidate is about 6 % slower. Two candidate scrapes are missing (empty
cells) to show how missing values are reported.

gateway_memory.csv: 6 h of 30 s scrapes (720 rows) of a canary's resident memory (MiB), for
the change-point notebook: AR(1) noise (lag-1 0.7, sd 6 MiB) around 410 MiB, a deploy at row 240
that adds 35 MiB (a step), and a leak from row 480 that adds 0.25 MiB per scrape (a trend).
It has its own random stream, so gateway_ttfb.csv does not change when it does.

Run: python datasets/scripts/make_examples.py
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "examples"
N = 480  # 2 h of 15 s scrapes
SLOWDOWN = 1.06


def ar1(rng, phi, sd, n):
    e = rng.normal(0, sd * np.sqrt(1 - phi**2), n + 200)
    x = np.zeros(n + 200)
    for t in range(1, n + 200):
        x[t] = phi * x[t - 1] + e[t]
    return x[200:]


def main() -> None:
    rng = np.random.default_rng(2026_11_25)
    t = np.arange(N)
    # Shared load: a slow swell over the window plus three short bursts.
    load = 1.0 + 0.05 * np.sin(2 * np.pi * t / N - 0.5)
    for start in rng.choice(N - 20, 3, replace=False):
        load[start:start + 8] += rng.uniform(0.1, 0.25)
    base_level = 118.0 * load

    def target(slowdown):
        noise = ar1(rng, 0.85, 8.0, N)
        spikes = np.where(rng.uniform(size=N) < 0.015, 40.0 * rng.pareto(1.8, N), 0.0)
        return np.maximum(slowdown * base_level + noise + spikes, 1.0)

    baseline = target(1.0)
    candidate = target(SLOWDOWN)
    start = datetime(2026, 11, 20, 14, 0, 0, tzinfo=timezone.utc)
    missing = set(rng.choice(N, 2, replace=False).tolist())
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["timestamp,baseline,candidate"]
    for i in range(N):
        ts = (start + timedelta(seconds=15 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        cand = "" if i in missing else f"{candidate[i]:.1f}"
        lines.append(f"{ts},{baseline[i]:.1f},{cand}")
    path = OUT / "gateway_ttfb.csv"
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path} ({N} rows)")
    memory()


def memory() -> None:
    rng = np.random.default_rng(2026_11_26)
    n, deploy, leak = 720, 240, 480
    t = np.arange(n)
    level = 410.0 + np.where(t >= deploy, 35.0, 0.0) + np.where(t >= leak, 0.25 * (t - leak), 0.0)
    rss = level + ar1(rng, 0.7, 6.0, n)
    start = datetime(2026, 11, 21, 9, 0, 0, tzinfo=timezone.utc)
    lines = ["timestamp,rss_mib"]
    for i in range(n):
        ts = (start + timedelta(seconds=30 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(f"{ts},{rss[i]:.1f}")
    path = OUT / "gateway_memory.csv"
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path} ({n} rows)")


if __name__ == "__main__":
    main()
