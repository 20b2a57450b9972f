"""``shiftwatch.spark.analyze_groups`` on a real local Spark (``local[2]``): the rows equal
``shiftwatch.analyze`` run group by group, a failing group is an ``error`` row, and ``by`` may
be one or several columns.

Needs PySpark (``scripts/requirements-spark.txt``, installed by ``scripts/test.sh``) and a Java
17+ runtime (``scripts/system-deps.sh``); without either every test here skips, saying which.
"""

from __future__ import annotations

import math
import os
import pathlib
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

import shiftwatch
from shiftwatch.spark import analyze_groups, canonical_order

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "datasets" / "scripts"))
from experiment import Effects, Scenario, simulate  # noqa: E402

pd = pytest.importorskip("pandas")


def _why_no_spark() -> str | None:
    try:
        import pyspark
    except ModuleNotFoundError:
        return "PySpark is not installed (pip install -r scripts/requirements-spark.txt)"
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if java is None or not os.path.exists(java):
        return "no Java runtime (apt-get install openjdk-17-jre-headless, or set JAVA_HOME)"
    banner = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    found = re.search(r'version "(\d+)(?:\.(\d+))?', banner)
    major = 0 if found is None else int(found[1]) if found[1] != "1" else int(found[2] or 0)
    need = 17 if int(pyspark.__version__.split(".")[0]) >= 4 else 8
    if major < need:
        return f"PySpark {pyspark.__version__} needs Java {need}+, found: {banner.strip()[:80]!r}"
    return None


_WHY = _why_no_spark()
if _WHY is not None:
    warnings.warn(f"SKIPPING the Spark tests: {_WHY}", stacklevel=1)
    pytest.skip(f"SKIPPING the Spark tests: {_WHY}", allow_module_level=True)

SELECT: dict[str, Any] = {"baseline": "kubo-base-*", "candidate": "kubo-cand-*", "preset": "kubo"}
BY = ["experiment", "service"]
# Experiments × their injected differences on the candidate (see datasets/README.md).
EXPERIMENTS = {
    "p99": (Effects(p99=1.15), False),
    "errors": (Effects(errors=2.5), False),
    "quiet": (Effects(), True),  # memory breach on every target: an environment rule
}
SERVICES = ["gateway", "bitswap"]


def _group(experiment: str, service: str, seed: int) -> pd.DataFrame:
    effects, breach = EXPERIMENTS[experiment]
    sc = Scenario(hours=6.0, effects=effects, memory_breach=breach)
    d = pd.DataFrame(simulate(sc, seed))
    d["timestamp"] = pd.to_datetime(d["timestamp"], unit="ms", utc=True)
    d.insert(0, "service", service)
    d.insert(0, "experiment", experiment)
    return d


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    """3 experiments × 2 services, each its own simulated by-2 experiment."""
    parts = [
        _group(e, s, seed=100 + 10 * i + j)
        for i, e in enumerate(EXPERIMENTS)
        for j, s in enumerate(SERVICES)
    ]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("shiftwatch-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def results(spark: Any, tidy: pd.DataFrame) -> tuple[Any, Any, Any]:
    res = analyze_groups(spark.createDataFrame(tidy), by=BY, **SELECT)
    # Collected once (one Spark job per frame over the cached analyses).
    return res.metrics.toPandas(), res.rules.toPandas(), res.groups.toPandas()


def _ordered(part: pd.DataFrame) -> pd.DataFrame:
    """The group as each worker sees it: sorted by series, time and value (written out here
    rather than calling canonical_order, which test_canonical_order checks)."""
    keys = ["metric", "labels", "target", "kind", "role", "timestamp", "value"]
    return part.sort_values([k for k in keys if k in part.columns], kind="mergesort")


def _reference(tidy: pd.DataFrame, by: list[str]) -> dict[tuple[Any, ...], shiftwatch.Report]:
    out = {}
    for key, part in tidy.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        out[key] = shiftwatch.analyze(_ordered(part.drop(columns=by)), progress=False, **SELECT)
    return out


def _same(got: Any, want: Any, name: str) -> None:
    """Equal, floats to 1e-12 relative; null and NaN are both "no value"."""
    missing = lambda x: x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))  # noqa: E731
    if missing(want) or missing(got):
        assert missing(want) and missing(got), (name, got, want)
    elif isinstance(want, float):
        assert math.isclose(float(got), want, rel_tol=1e-12, abs_tol=1e-300), (name, got, want)
    else:
        assert got == want, (name, got, want)


def _check_metrics(metrics: pd.DataFrame, reference: dict[tuple[Any, ...], Any], by: list[str]) -> None:
    assert metrics["error"].isna().all()
    for key, report in reference.items():
        mask = (metrics[by] == pd.Series(key, index=by)).all(axis=1)
        got = metrics[mask].drop(columns=[*by, "error"])
        want = report.to_pandas()
        assert list(got.columns) == list(want.columns), "the Spark columns are the pandas columns"
        assert len(got) == len(want) > 0, key
        got = got.set_index(["metric", "labels"]).sort_index()
        want = want.set_index(["metric", "labels"]).sort_index()
        assert list(got.index) == list(want.index), key
        for column in want.columns:
            for idx, g, w in zip(want.index, got[column].tolist(), want[column].tolist()):
                _same(g, w, f"{key} {idx} {column}")


def test_metrics_equal_analyze_group_by_group(tidy, results):
    metrics, _, _ = results
    _check_metrics(metrics, _reference(tidy, BY), BY)


def test_injected_differences_are_found(results):
    metrics, rules, groups = results
    verdict = {
        (r.experiment, r.service, r.metric, r.labels): r.verdict for r in metrics.itertuples()
    }
    for service in SERVICES:
        assert verdict[("p99", service, "thunderdome_dealgood_ttfb_seconds", "quantile=0.99")] == "regression"
        assert verdict[("errors", service, "thunderdome_dealgood_responses_total", "code=503")] == "regression"
        assert verdict[("quiet", service, "thunderdome_dealgood_ttfb_seconds", "quantile=0.99")] != "regression"
    memory = rules[(rules["rule"] == "memory_utilisation") & rules["fired_at"].notna()]
    assert set(memory["experiment"]) == {"quiet"} and set(memory["attribution"]) == {"environment"}
    assert set(groups.loc[groups["experiment"] != "quiet", "verdict"]) == {"regression"}


def test_rules_and_summaries_equal_analyze(tidy, results):
    _, rules, groups = results
    reference = _reference(tidy, BY)
    assert len(groups) == len(reference) and groups["error"].isna().all()
    for key, report in reference.items():
        mask = (rules[BY] == pd.Series(key, index=BY)).all(axis=1)
        got = rules[mask].drop(columns=BY).to_dict("records")
        want = report.rules
        assert len(got) == len(want) > 0, key
        order = lambda r: (r["rule"], r["target"])  # noqa: E731
        for g, w in zip(sorted(got, key=order), sorted(want, key=order)):
            for name, value in w.items():
                _same(g[name], value, f"{key} rule {name}")
        row = groups[(groups[BY] == pd.Series(key, index=BY)).all(axis=1)].iloc[0]
        summary = report.to_dict()["summary"]
        assert row["verdict"] == report.verdict and row["summary"] == report.summary
        assert row["metrics"] == len(report.metrics) and row["tests"] == summary["tests"]
        assert row["rules_environment"] == summary["rules_environment"]


def test_one_grouping_column_and_a_failing_group(spark, tidy):
    # One column (the experiment, with services renamed apart); one group has no candidate.
    data = tidy.copy()
    data["target"] = data["service"] + "/" + data["target"]
    broken = _group("quiet", "gateway", seed=7)
    broken = broken[broken["role"] == "baseline"].assign(experiment="broken")
    broken["target"] = "gateway/" + broken["target"]
    data = pd.concat([data, broken], ignore_index=True).drop(columns=["service"])
    select = {**SELECT, "baseline": "*/kubo-base-*", "candidate": "*/kubo-cand-*"}
    res = analyze_groups(spark.createDataFrame(data), by="experiment", **select)
    assert res.failed() == 1
    groups = res.groups.toPandas().set_index("experiment")
    assert "matches no target" in groups.loc["broken", "error"]
    assert groups.drop(index="broken")["error"].isna().all()
    metrics = res.metrics.toPandas()
    failed = metrics[metrics["experiment"] == "broken"]
    assert len(failed) == 1 and failed["metric"].isna().all()
    assert failed["error"].iloc[0].startswith("ValueError: ")
    assert set(res.rules.toPandas()["experiment"]) == set(EXPERIMENTS)
    ok = metrics[metrics["experiment"] != "broken"]
    reference = {}
    for key, part in data[data["experiment"] != "broken"].groupby("experiment"):
        group = _ordered(part.drop(columns="experiment"))
        reference[(key,)] = shiftwatch.analyze(group, progress=False, **select)
    _check_metrics(ok, reference, ["experiment"])
    res.unpersist()


def test_epoch_ms_timestamps_and_map_labels(spark, tidy):
    from pyspark.sql import functions as F

    chosen = (tidy["experiment"] == "quiet") & (tidy["service"] == "gateway")
    part = tidy[chosen].copy()
    part["timestamp"] = part["timestamp"].dt.as_unit("ms").astype("int64")  # epoch ms
    # str_to_map("", ...) is {"": null}: entries without a value are not labels.
    sdf = spark.createDataFrame(part).withColumn("labels", F.expr("str_to_map(labels, ';', '=')"))
    assert sdf.schema["labels"].dataType.simpleString() == "map<string,string>"
    metrics = analyze_groups(sdf, by=BY, persist=False, **SELECT).metrics.toPandas()
    _check_metrics(metrics, _reference(tidy[chosen], BY), BY)


def test_bad_arguments(spark, tidy):
    sdf = spark.createDataFrame(tidy.head(5))
    with pytest.raises(ValueError, match="lacks column"):
        analyze_groups(sdf, by=["release"], **SELECT)
    with pytest.raises(ValueError, match="share a name"):
        analyze_groups(sdf.withColumnRenamed("service", "verdict"), by=["verdict"], **SELECT)
    with pytest.raises(ValueError, match="unknown option"):
        analyze_groups(sdf, by=BY, progress=True, **SELECT)
    with pytest.raises(ValueError, match="at least one"):
        analyze_groups(sdf, by=[], **SELECT)
    with pytest.raises(ValueError, match="timestamp must be"):
        analyze_groups(sdf.withColumn("timestamp", sdf["metric"]), by=BY, **SELECT)
    with pytest.raises(ValueError, match="on_error"):
        analyze_groups(sdf, by=BY, on_error="ignore", **SELECT)  # type: ignore[arg-type]


def test_config_is_shipped_as_text(spark, tidy, tmp_path):
    config = tmp_path / "shiftwatch.toml"
    config.write_text(
        "[[metrics]]\nname = \"go_goroutines\"\ndirection = \"higher_is_worse\"\nmin_effect = 0.5\n"
    )
    part = tidy[(tidy["experiment"] == "p99") & (tidy["service"] == "gateway")]
    res = analyze_groups(spark.createDataFrame(part), by=BY, config=config, **SELECT)
    got = res.metrics.toPandas().set_index(["metric", "labels"])
    want = shiftwatch.analyze(_ordered(part.drop(columns=BY)), config=config, progress=False, **SELECT)
    want_df = want.to_pandas().set_index(["metric", "labels"])
    assert got.loc[("go_goroutines", ""), "margin"] == want_df.loc[("go_goroutines", ""), "margin"]
    assert want_df.loc[("go_goroutines", ""), "margin"] >= 0.5
    assert got["error"].isna().all()


def test_canonical_order_makes_row_order_irrelevant(spark, tidy):
    """A group's report does not depend on the order its rows arrive in: the input shuffled
    (in pandas and again in Spark) gives the rows of the unshuffled reference."""
    from pyspark.sql import functions as F

    chosen = (tidy["experiment"] == "p99") & (tidy["service"] == "bitswap")
    part = tidy[chosen]
    shuffled = part.sample(frac=1.0, random_state=3)
    # (Today the engine depends on the order series first appear in, e.g. which target is
    # the first replica, so without canonical_order shuffled rows change a noise floor or an
    # interval somewhere in the report.)
    ordered = shiftwatch.analyze(_ordered(part.drop(columns=BY)), progress=False, **SELECT)
    assert canonical_order(shuffled.drop(columns=BY)).equals(
        _ordered(part.drop(columns=BY)).reset_index(drop=True)
    )
    sdf = spark.createDataFrame(shuffled).repartition(3).orderBy(F.rand(seed=1))
    metrics = analyze_groups(sdf, by=BY, persist=False, **SELECT).metrics.toPandas()
    _check_metrics(metrics, {("p99", "bitswap"): ordered}, BY)
