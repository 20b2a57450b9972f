"""``shiftwatch.read`` / ``shiftwatch.prepare``: every fixture format agrees with
``shiftwatch inspect --format json``; bad input raises with file:line:column."""

from __future__ import annotations

import doctest
import io
import json
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest
import shiftwatch
import shiftwatch._io

pl = pytest.importorskip("polars")

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "datasets" / "fixtures"

# (fixture, extra read options): NAB exports have local times without an offset.
GOOD = [
    ("tidy/paired.csv", {}),
    ("grafana/excel_utf16.csv", {}),
    ("grafana/per_series_kubo27-1.csv", {}),
    ("grafana/sep_semicolon.csv", {}),
    ("grafana/table_long.csv", {}),
    ("grafana/wide_goroutines.csv", {}),
    ("prometheus/query_range.json", {}),
    ("prometheus/vector.json", {}),
    ("openmetrics/prom004.txt", {}),
    ("openmetrics/scrape.txt", {}),
    ("nab/elb_request_count_8c0756.csv", {"timezone": "UTC"}),
]

BAD = sorted(p.name for p in (FIXTURES / "bad").iterdir())


def _inspect(path: pathlib.Path, opts: dict[str, str]) -> dict:
    argv = [sys.executable, "-c", "from shiftwatch._cli import main; main()", "inspect"]
    if "timezone" in opts:
        argv += ["--timezone", opts["timezone"]]
    argv += [str(path), "--format", "json"]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _labels_string(labels: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(labels.items()))


def test_every_fixture_is_covered():
    listed = {name for name, _ in GOOD} | {"prometheus/error.json", "grafana/formatted.csv"}
    found = {
        str(p.relative_to(FIXTURES))
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.suffix in {".csv", ".json", ".txt"} and p.parent.name != "bad"
        and p.name != "LICENSE.txt"
    }
    assert found == listed


@pytest.mark.parametrize(("name", "opts"), GOOD, ids=[n for n, _ in GOOD])
def test_read_agrees_with_inspect(name: str, opts: dict[str, str]):
    path = FIXTURES / name
    df, report = shiftwatch.read(path, timezone=opts.get("timezone"), with_report=True)
    assert df.columns == ["timestamp", "metric", "target", "labels", "kind", "value"]
    assert df.schema["timestamp"] == pl.Datetime("ms", "UTC")
    assert df.schema["value"] == pl.Float64
    expected = _inspect(path, opts)
    assert len(expected["series"]) > 0
    counts = df.group_by(["metric", "target", "labels", "kind"], maintain_order=True).agg(
        pl.len().alias("n"),
        pl.col("timestamp").min().dt.epoch("ms").alias("first"),
        pl.col("timestamp").max().dt.epoch("ms").alias("last"),
    )
    got = {
        (r["metric"], r["target"], r["labels"], r["kind"]): (r["n"], r["first"], r["last"])
        for r in counts.iter_rows(named=True)
    }
    want = {
        (s["key"]["metric"], s["key"]["target"], _labels_string(s["key"]["labels"]), s["kind"]): (
            s["data"]["points"],
            s["first_ms"],
            s["last_ms"],
        )
        for s in expected["series"]
    }
    assert got == want
    assert len(report["series"]) == len(expected["series"])
    assert [s["report"] for s in report["series"]] == [s["data"] for s in expected["series"]]
    for field in ("rows", "rows_skipped", "blank_lines", "notes"):
        assert report[field] == expected["read"][field]


@pytest.mark.parametrize("name", ["tidy/paired.csv", "openmetrics/scrape.txt"])
def test_bytes_and_file_like_match_path(name: str):
    path = FIXTURES / name
    by_path = shiftwatch.read(path)
    data = path.read_bytes()
    # The metric fallback (file stem) is unused: these formats name their metrics.
    assert shiftwatch.read(data).equals(by_path)
    assert shiftwatch.read(io.BytesIO(data)).equals(by_path)
    assert shiftwatch.read(io.StringIO(data.decode())).equals(by_path)
    assert shiftwatch.read(str(path)).equals(by_path)


def test_labels_as_struct():
    df = shiftwatch.read(FIXTURES / "tidy/paired.csv", labels="struct")
    assert isinstance(df.schema["labels"], pl.Struct)
    as_str = shiftwatch.read(FIXTURES / "tidy/paired.csv")
    routes = df["labels"].struct.field("route")
    assert routes.to_list() == [s.removeprefix("route=") for s in as_str["labels"].to_list()]


def test_to_pandas():
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pdf = shiftwatch.read(FIXTURES / "openmetrics/scrape.txt").to_pandas()
    assert str(pdf["timestamp"].dt.tz) == "UTC"


@pytest.mark.parametrize("name", BAD)
def test_bad_fixture_raises_with_location(name: str):
    path = FIXTURES / "bad" / name
    with pytest.raises(ValueError) as info:
        shiftwatch.read(path)
    msg = str(info.value)
    # CSV/text: `file:line:col: ...`; JSON: `file: $.json.path: ... at line L column C`.
    located = re.escape(str(path)) + r"(:\d+:\d+: |: \$\S*: .* at line \d+ column \d+$)"
    assert re.search(located, msg), msg


def test_bad_buffer_names_buffer_location():
    data = (FIXTURES / "bad" / "tidy_bad_timestamp.csv").read_bytes()
    with pytest.raises(ValueError, match=r"<bytes>:3:1"):
        shiftwatch.read(data)


def test_lenient_skips_and_reports():
    df, report = shiftwatch.read(
        FIXTURES / "bad" / "tidy_bad_timestamp.csv", lenient=True, with_report=True
    )
    assert report["rows_skipped"] >= 1
    assert re.search(r":3:1$", report["skipped"][0]["location"])
    assert df.height == report["rows"] - report["rows_skipped"]


def test_prometheus_error_body_raises_value_error():
    with pytest.raises(ValueError, match=r"\$\.status"):
        shiftwatch.read(FIXTURES / "prometheus/error.json")


def test_formatted_grafana_export_asks_for_raw_data():
    # The engine's documented choice: unit strings ("1.25 GiB") are an error, not parsed.
    path = FIXTURES / "grafana/formatted.csv"
    with pytest.raises(ValueError, match=re.escape(str(path)) + r":2:\d+:.*raw data"):
        shiftwatch.read(path, timezone="UTC")


def test_missing_file_raises_file_not_found(tmp_path: pathlib.Path):
    with pytest.raises(FileNotFoundError):
        shiftwatch.read(tmp_path / "nope.csv")
    with pytest.raises(FileNotFoundError):
        shiftwatch.prepare(tmp_path / "nope.csv")


def test_bad_arguments():
    path = FIXTURES / "tidy/paired.csv"
    with pytest.raises(ValueError, match="input format"):
        shiftwatch.read(path, format="xml")
    with pytest.raises(ValueError, match="timezone"):
        shiftwatch.read(path, timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="labels"):
        shiftwatch.read(path, labels="dict")  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        shiftwatch.read(12)
    with pytest.raises(ValueError, match="quantiles"):
        shiftwatch.prepare(path, quantiles=[1.5])


COUNTER = (
    b"timestamp,metric,target,role,release,value,labels,kind\n"
    b"1700000000000,req_total,a,,,10,,counter\n"
    b"1700000010000,req_total,a,,,40,,counter\n"
    b"1700000020000,req_total,a,,,5,,counter\n"
    b"1700000040000,req_total,a,,,25,,counter\n"
)


def test_prepare_counter_hand_computed_rates():
    df, report = shiftwatch.prepare(COUNTER, with_report=True)
    # (40-10)/10 s; reset → the new value counts as the increase: 5/10 s; (25-5)/20 s.
    assert df["value"].to_list() == pytest.approx([3.0, 0.5, 1.0], rel=1e-12)
    assert df["derived"].unique().to_list() == ["rate"]
    assert df["timestamp"].dt.epoch("ms").to_list() == [1700000010000, 1700000020000, 1700000040000]
    (series,) = report["series"]
    assert series["data"]["resets"] == [{"at_ms": 1700000020000, "before": 40.0, "after": 5.0}]


def test_prepare_fixture_counter_rate():
    df = shiftwatch.prepare(FIXTURES / "tidy/paired.csv")
    first = df.filter(
        (pl.col("metric") == "http_requests_total") & (pl.col("target") == "kubo27-1")
    )["value"][0]
    # paired.csv lines 3 and 5: 1706.9 at 12:00:00, 2505.2 at 12:00:15.
    assert first == pytest.approx((2505.2 - 1706.9) / 15.0, rel=1e-12)


def test_prepare_kinds_declares_counter():
    untyped = COUNTER.replace(b",counter", b",").replace(b",kind", b",kind")
    assert shiftwatch.prepare(untyped)["derived"].unique().to_list() == ["raw"]
    df = shiftwatch.prepare(untyped, kinds={"req": "counter"})
    assert df["value"].to_list() == pytest.approx([3.0, 0.5, 1.0], rel=1e-12)


def test_prepare_frame_matches_prepare_file():
    path = FIXTURES / "openmetrics/scrape.txt"
    from_file = shiftwatch.prepare(path)
    raw = shiftwatch.read(path)
    assert shiftwatch.prepare(raw).equals(from_file)
    # Shuffled rows: the frame path sorts per series as the readers do.
    shuffled = raw.sample(fraction=1.0, shuffle=True, seed=1)
    assert shiftwatch.prepare(shuffled).sort(["metric", "labels", "timestamp"]).equals(
        from_file.sort(["metric", "labels", "timestamp"])
    )
    struct = shiftwatch.read(path, labels="struct")
    assert shiftwatch.prepare(struct).equals(from_file)


def test_prepare_histogram_quantiles_and_warmup():
    path = FIXTURES / "openmetrics/scrape.txt"
    df, report = shiftwatch.prepare(path, quantiles=[0.5], warmup_s=60, with_report=True)
    q = df.filter(pl.col("derived") == "quantile")
    assert q.height > 0
    assert set(q["labels"].to_list()) == {"quantile=0.5"}
    assert all(s["data"]["coarse"] for s in report["series"] if s["derived"]["type"] == "quantile")
    full = shiftwatch.prepare(path, quantiles=[0.5])
    assert df.height < full.height
    assert any(s["data"]["warmup_trimmed"] > 0 for s in report["series"])


def test_native_columns_are_numpy():
    out = shiftwatch._native.read(
        str(FIXTURES / "tidy/paired.csv"), None, "x", "auto", None, None, None, False, {}
    )
    assert out["timestamp_ms"].dtype == np.int64
    assert out["value"].dtype == np.float64
    assert out["series"].dtype == np.uint32


def test_docstring_examples():
    result = doctest.testmod(shiftwatch._io, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_read_accepts_csv_text_and_explains_a_missing_path():
    text = "timestamp,metric,value\n2026-01-01T00:00:00Z,rps,3\n2026-01-01T00:01:00Z,rps,4\n"
    assert shiftwatch.read(text)["value"].to_list() == [3.0, 4.0]
    with pytest.raises(FileNotFoundError, match="io.StringIO"):
        shiftwatch.read("timestamp,metric,value")  # one line, no file of that name


def test_pandas_frames_need_neither_polars_nor_pyarrow(monkeypatch):
    pd = pytest.importorskip("pandas")
    text = (
        "timestamp,metric,target,value,labels,kind\n"
        "2026-01-01T00:00:00Z,req_total,a,10,code=200,counter\n"
        "2026-01-01T00:00:10Z,req_total,a,40,code=200,counter\n"
        "2026-01-01T00:00:20Z,req_total,a,5,code=200,counter\n"
        "2026-01-01T00:00:00Z,rss,b,7,,gauge\n"
    )
    with_polars = shiftwatch.prepare(text)
    monkeypatch.setitem(sys.modules, "polars", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    frame = shiftwatch.read(text, library="pandas")
    assert isinstance(frame, pd.DataFrame)
    assert isinstance(frame["timestamp"].dtype, pd.DatetimeTZDtype)
    assert str(frame["timestamp"].dt.tz) == "UTC"
    assert frame["labels"].tolist() == ["code=200"] * 3 + [""]
    prepared = shiftwatch.prepare(text, library="pandas")
    assert prepared["value"].tolist() == with_polars["value"].to_list() == [3.0, 0.5, 7.0]
    # a pandas frame in, through prepare, without polars or pyarrow
    again = shiftwatch.prepare(frame, library="pandas")
    assert again["value"].tolist() == [3.0, 0.5, 7.0]
    assert again["derived"].tolist() == ["rate", "rate", "raw"]
    with pytest.raises(ModuleNotFoundError, match=r"shiftwatch\[frames\]"):
        shiftwatch.read(text)
