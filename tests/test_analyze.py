"""``shiftwatch.analyze``: the same report as ``shiftwatch analyze`` from paths and from
pandas/polars frames, the Report object, its displays and its errors."""

from __future__ import annotations

import json
import os
import pathlib

import pytest
import shiftwatch
from shiftwatch._native import run_cli

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXPERIMENT = sorted((ROOT / "datasets" / "examples" / "experiment").glob("*"))
SELECT = {"baseline": "kubo-base-*", "candidate": "kubo-cand-*", "preset": "kubo"}


@pytest.fixture(scope="module")
def report() -> shiftwatch.Report:
    return shiftwatch.analyze([str(p) for p in EXPERIMENT], **SELECT)


def test_to_dict_equals_the_cli_json(report, tmp_path):
    out = tmp_path / "r.json"
    argv = ["shiftwatch", "analyze", *[str(p) for p in EXPERIMENT]]
    argv += ["--baseline", "kubo-base-*", "--candidate", "kubo-cand-*", "--preset", "kubo"]
    argv += ["--format", "json", "--output", str(out), "--fail-on", "never"]
    # Python keeps the series for plots by default: the CLI's --series.
    assert run_cli([*argv, "--series"]) == 0
    assert json.loads(out.read_text()) == report.to_dict()
    assert run_cli(argv) == 0
    plain = shiftwatch.analyze([str(p) for p in EXPERIMENT], series=False, **SELECT)
    assert json.loads(out.read_text()) == plain.to_dict()


def test_documented_findings(report):
    assert report.verdict == "regression"
    assert report.metric("go_goroutines")["effect"]["statistic"] == "trend_per_h"
    p99 = report.metric('thunderdome_dealgood_ttfb_seconds{quantile="0.99"}')
    assert p99["verdict"] == "regression"
    assert report.metric("process_resident_memory_bytes")["verdict"] == "no_change"
    env = {r["rule"] for r in report.rules if r["attribution"] == "environment"}
    assert env == {"memory_utilisation"}
    assert "REGRESSION" in str(report) and report.summary in repr(report)
    assert "<failure" in report.junit and report.markdown.startswith("### ")


def test_frames_give_the_same_verdicts(report):
    pl = pytest.importorskip("polars")
    frames = [shiftwatch.read(p) for p in EXPERIMENT]
    frame = pl.concat(frames, how="diagonal_relaxed")
    from_polars = shiftwatch.analyze(frame, **SELECT)
    want = {(m["metric"], json.dumps(m["labels"], sort_keys=True)): m["verdict"] for m in report.metrics}
    got = {(m["metric"], json.dumps(m["labels"], sort_keys=True)): m["verdict"] for m in from_polars.metrics}
    assert got == want
    assert from_polars.to_dict()["metrics"] == report.to_dict()["metrics"]
    pd_frame = frame.to_pandas()
    from_pandas = shiftwatch.analyze(pd_frame, **SELECT)
    assert from_pandas.to_dict()["metrics"] == report.to_dict()["metrics"]


def test_row_order_does_not_change_the_report(report):
    """Rows in any order (a shuffle, a reversed export) give the same report: the core puts
    every metric's targets in one canonical order (A/A relative effects are not symmetric)."""
    pl = pytest.importorskip("polars")
    frame = pl.concat([shiftwatch.read(p) for p in EXPERIMENT], how="diagonal_relaxed")
    want = report.to_dict()
    for shuffled in (frame.reverse(), frame.sample(fraction=1.0, shuffle=True, seed=3)):
        got = shiftwatch.analyze(shuffled, **SELECT).to_dict()
        assert got["metrics"] == want["metrics"]
        assert got["rules"] == want["rules"]


def test_report_is_frozen_and_tabular(report):
    with pytest.raises(AttributeError):
        report.verdict = "no_change"  # type: ignore[misc]
    d = report.to_dict()
    d["metrics"].clear()
    assert report.metrics, "to_dict returns a copy"
    table = report.to_polars()
    assert table.height == len(report.metrics)
    assert {"metric", "verdict", "relative", "ci_low", "ci_high", "p_adjusted", "reason"} <= set(table.columns)
    assert list(report.to_pandas()["verdict"]) == table["verdict"].to_list()
    with pytest.raises(KeyError, match="no metric named"):
        report.metric("nope")
    with pytest.raises(KeyError, match="2 metrics"):
        report.metric("thunderdome_dealgood_ttfb_seconds")


def test_html_and_plots(report, tmp_path):
    html = report._repr_html_()
    assert "#c62828" in html and "go_goroutines" in html and "<table" in html
    pytest.importorskip("matplotlib")
    os.environ.setdefault("MPLBACKEND", "Agg")
    ax = report.plot()
    ax.figure.savefig(tmp_path / "forest.png")
    ax = report.plot_metric("go_goroutines")
    ax.figure.savefig(tmp_path / "goroutines.png")
    assert (tmp_path / "forest.png").stat().st_size > 5_000
    assert len(ax.lines) >= 4, "four targets drawn"
    # The lines are the report's own series (warm-up included), not a second reading.
    lines = next(s["lines"] for s in report.to_dict()["series"] if s["metric"] == "go_goroutines")
    drawn = sorted(len(line.get_xdata()) for line in ax.lines[:4])
    assert drawn == sorted(len(line["t"]) for line in lines)
    plain = shiftwatch.analyze([str(p) for p in EXPERIMENT], series=False, **SELECT)
    with pytest.raises(ValueError, match="series=True"):
        plain.plot_metric("go_goroutines")


def test_errors():
    with pytest.raises(ValueError, match="matches no target"):
        shiftwatch.analyze(str(EXPERIMENT[0]), baseline="nope-*", candidate="kubo-cand-*")
    with pytest.raises(FileNotFoundError):
        shiftwatch.analyze("does/not/exist.csv", **SELECT)
    with pytest.raises(ValueError, match="unknown correction|correction"):
        shiftwatch.analyze(str(EXPERIMENT[0]), correction="fdr-magic", **SELECT)
    with pytest.raises(ValueError, match="no input"):
        shiftwatch.analyze([], **SELECT)
    with pytest.raises(TypeError):
        shiftwatch.analyze(str(EXPERIMENT[0]), seed=1.5, **SELECT)  # type: ignore[arg-type]


def test_progress_callback_and_cancel():
    calls = []
    opts = {
        "mode": None, "baseline": "kubo-base-*", "candidate": "kubo-cand-*", "deploy_at": None,
        "config": None, "preset": "kubo", "alpha": 0.05, "correction": "bh", "warmup": "5m",
        "step": None, "seed": 0,
    }
    paths = [str(p) for p in EXPERIMENT]
    from shiftwatch import _native

    native = _native.analyze_paths(paths, opts, lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (9, 9), calls
    assert "series" not in native["report"], "series is off unless asked for"

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _native.analyze_paths(paths, opts, stop)
    assert shiftwatch.analyze(paths, progress=False, **SELECT).verdict == "regression"
