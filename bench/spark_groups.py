"""Groups per second: ``shiftwatch.spark.analyze_groups`` on local Spark against a
single-process Python loop of ``shiftwatch.analyze`` over the same groups.

Each group is one simulated by-2 experiment (``datasets/scripts/experiment.py``: 4 targets,
9 metric series, 60 s scrapes, ``--hours`` long, every third group with a p99 regression),
analysed with ``--preset kubo``. Both sides return the flat per-metric rows
(``Report.to_pandas`` for the loop; the ``metrics``, ``rules`` and ``groups`` frames for
Spark, written to Spark's ``noop`` sink), so both do the same work. The Spark input is cached
in ``--input-partitions`` partitions and counted before timing, and one warm-up run starts the Python workers; the figures are the
median of ``--repeat`` runs.

    python bench/spark_groups.py --groups 50 100 200 --out bench/results/spark_groups.md

Needs PySpark (scripts/requirements-spark.txt) and Java 17+.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "datasets" / "scripts"))

import shiftwatch  # noqa: E402
from experiment import Effects, Scenario, simulate  # noqa: E402
from shiftwatch.spark import analyze_groups  # noqa: E402

SELECT = {"baseline": "kubo-base-*", "candidate": "kubo-cand-*", "preset": "kubo"}


def cpu_seconds(tree: bool) -> float:
    """CPU time (user + system) of this process, and with ``tree`` of every process under it
    (the JVM and its Python workers; finished, reaped children included)."""
    me = psutil.Process()
    procs = [me, *me.children(recursive=True)] if tree else [me]
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:  # pragma: no cover - a worker that just exited
            continue
        total += t.user + t.system + (t.children_user + t.children_system if tree else 0.0)
    return total


def timed(run, tree: bool) -> tuple[float, float]:  # noqa: ANN001
    """(wall seconds, CPU seconds) of ``run()``."""
    cpu = cpu_seconds(tree)
    wall = run()
    return wall, cpu_seconds(tree) - cpu


def tidy(groups: int, hours: float) -> pd.DataFrame:
    parts = []
    for g in range(groups):
        effects = Effects(p99=1.1) if g % 3 == 0 else Effects()
        d = pd.DataFrame(simulate(Scenario(hours=hours, effects=effects), seed=1000 + g))
        d["timestamp"] = pd.to_datetime(d["timestamp"], unit="ms", utc=True)
        d.insert(0, "experiment", f"exp-{g:04d}")
        parts.append(d)
    return pd.concat(parts, ignore_index=True)


def loop(data: pd.DataFrame) -> float:
    start = time.perf_counter()
    for _, part in data.groupby("experiment", sort=False):
        shiftwatch.analyze(part.drop(columns="experiment"), progress=False, **SELECT).to_pandas()
    return time.perf_counter() - start


def on_spark(sdf, persist: bool = True) -> float:  # noqa: ANN001 - a pyspark DataFrame
    start = time.perf_counter()
    res = analyze_groups(sdf, by="experiment", persist=persist, **SELECT)
    for frame in res:
        frame.write.format("noop").mode("overwrite").save()
    elapsed = time.perf_counter() - start
    assert res.failed() == 0
    res.unpersist()
    return elapsed


def _nothing(key: tuple, pdf: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"experiment": [key[0]], "rows": [len(pdf)]})


def spark_only(sdf) -> float:  # noqa: ANN001 - a pyspark DataFrame
    """The same Spark pipeline (input columns, shuffle, Arrow to and from the workers) with a
    function that analyses nothing: Spark's own share of the time."""
    from shiftwatch.spark import _tidy_input

    start = time.perf_counter()
    grouped = _tidy_input(sdf, ["experiment"]).groupBy("experiment")
    grouped.applyInPandas(_nothing, "experiment string, rows long").write.format("noop").mode(
        "overwrite"
    ).save()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", type=int, nargs="+", default=[50, 100, 200])
    ap.add_argument("--hours", type=float, default=6.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--input-partitions", type=int, default=4)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("shiftwatch-bench")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "3g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    rows = []
    for n in args.groups:
        data = tidy(n, args.hours)
        # (createDataFrame slices a pandas frame into hundreds of small partitions; a table in
        # files comes in a few large ones)
        sdf = spark.createDataFrame(data).coalesce(args.input_partitions).persist()
        sdf.count()
        on_spark(sdf.where(sdf.experiment < "exp-0004"))  # warm-up: start the Python workers
        load = os.getloadavg()[0]
        loops = [timed(lambda: loop(data), tree=False) for _ in range(args.repeat)]
        sparks = [timed(lambda: on_spark(sdf), tree=True) for _ in range(args.repeat)]
        t_only = statistics.median(spark_only(sdf) for _ in range(args.repeat))
        sdf.unpersist()
        t_loop, c_loop = (statistics.median(x) for x in zip(*loops))
        t_spark, c_spark = (statistics.median(x) for x in zip(*sparks))
        row = (n, len(data), n / t_loop, n / t_spark, t_loop / t_spark, t_loop, t_spark, t_only,
               1000 * c_loop / n, 1000 * c_spark / n, load)
        rows.append(row)
        print(
            f"{n} groups ({len(data)} rows): loop {n / t_loop:.1f} groups/s, "
            f"Spark {args.master} {n / t_spark:.1f} groups/s, ratio {t_loop / t_spark:.2f}; "
            f"Spark without analyses {t_only:.1f} s; CPU per group: loop {1000 * c_loop / n:.0f} "
            f"ms, Spark {1000 * c_spark / n:.0f} ms (load average {load:.1f})",
            flush=True,
        )
    spark.stop()
    import pyspark

    lines = [
        f"`python bench/spark_groups.py --groups {' '.join(map(str, args.groups))} "
        f"--hours {args.hours:g} --repeat {args.repeat} --master {args.master} "
        f"--input-partitions {args.input_partitions}`",
        "",
        f"shiftwatch {shiftwatch.__version__}, PySpark {pyspark.__version__}, pandas "
        f"{pd.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs "
        "(shared: the load average at the start of each size is listed). One group = one "
        f"simulated by-2 experiment, {args.hours:g} h of 60 s scrapes, 4 targets × 9 series. "
        "Median of the runs; the Spark time includes planning, the shuffle, Arrow transfers "
        "and writing the three result frames (noop sink) from the cached analyses; \"Spark "
        "without analyses\" is the same pipeline with a function that analyses nothing. CPU "
        "per group: the loop's process; for Spark the JVM and its Python workers (all "
        "processes under the driver), a figure the machine's load does not change much.",
        "",
        "| groups | rows | Python loop, groups/s (s) | Spark, groups/s (s) | Spark / loop "
        "| Spark without analyses, s | CPU ms per group, loop / Spark | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r, a, b, ratio, t_loop, t_spark, t_only, c_loop, c_spark, load in rows:
        lines.append(
            f"| {n} | {r} | {a:.1f} ({t_loop:.1f}) | {b:.1f} ({t_spark:.1f}) | {ratio:.2f}× "
            f"| {t_only:.1f} | {c_loop:.0f} / {c_spark:.0f} | {load:.1f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
