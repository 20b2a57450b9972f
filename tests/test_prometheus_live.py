"""``shiftwatch.read_prometheus`` against a real Prometheus server (Debian's ``prometheus`` and
``promtool``) backfilled from an OpenMetrics file of a by-2 experiment, and against a scripted
loopback HTTP server for retries, errors and credentials. Skips loudly without the tools."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import numpy as np
import pytest

import shiftwatch

pl = pytest.importorskip("polars")

N = 481  # samples per series: 2 h at 15 s
STEP = 15
TARGETS = ["base-1", "base-2", "cand-1", "cand-2"]
LE = ["0.05", "0.1", "0.2", "0.5", "+Inf"]
QUERIES = [
    "latency_seconds",
    "process_resident_memory_bytes",
    "http_requests_total",
    "rpc_duration_seconds_bucket",
]
CONFIG = """[[metrics]]
name = "http_requests"
kind = "counter"

[[metrics]]
name = "rpc_duration_seconds"
kind = "histogram"
direction = "higher_is_worse"

[[metrics]]
name = "latency_seconds"
direction = "higher_is_worse"
min_effect = 0.03
"""


Family = list[tuple[str, Optional[str], np.ndarray]]


def _experiment(start: int) -> list[tuple[str, str, Family]]:
    """Families (name, type, [(target, le, values)]): latency +10 % on the candidate, memory
    unchanged, a counter with a reset on cand-2, a slower candidate histogram."""
    rng = np.random.default_rng(12)
    load = 1 + 0.05 * np.sin(np.arange(N) * 2 * np.pi / 240)
    lat: Family = []
    mem: Family = []
    req: Family = []
    rpc: Family = []
    for t in TARGETS:
        cand = t.startswith("cand")
        lat.append((t, None, (0.11 if cand else 0.10) * load * (1 + 0.02 * rng.standard_normal(N))))
        mem.append((t, None, np.round(2e8 * (1 + 0.01 * rng.standard_normal(N)))))
        inc = np.round(1500 * load * (1 + 0.05 * rng.standard_normal(N)))
        total = np.cumsum(inc)
        if t == "cand-2":
            total[N // 2 :] = np.cumsum(inc[N // 2 :])
        req.append((t, None, total))
        cdf = [0.3, 0.6, 0.9, 0.98, 1.0] if cand else [0.5, 0.8, 0.95, 0.99, 1.0]
        counts = np.round(np.outer(100 + rng.integers(-10, 10, N), cdf))
        for b, le in enumerate(LE):
            rpc.append((t, le, np.cumsum(counts[:, b])))
    return [
        ("latency_seconds", "gauge", lat),
        ("process_resident_memory_bytes", "gauge", mem),
        ("http_requests", "counter", req),
        ("rpc_duration_seconds", "histogram", rpc),
    ]


def _sample_name(family: str, kind: str) -> str:
    return {"counter": family + "_total", "histogram": family + "_bucket"}.get(kind, family)


def _write(dir: Path, start: int) -> tuple[Path, Path]:
    om, csv = [], ["timestamp,metric,target,role,release,value,labels"]
    for family, kind, series in _experiment(start):
        om.append(f"# TYPE {family} {kind}")
        name = _sample_name(family, kind)
        for target, le, values in series:
            labels = f'target="{target}"' + (f',le="{le}"' if le else "")
            tidy_labels = f"le={le}" if le else ""
            for i, v in enumerate(values):
                ts = start + i * STEP
                om.append(f"{name}{{{labels}}} {float(v)!r} {ts}")
                csv.append(f"{ts},{name},{target},,,{float(v)!r},{tidy_labels}")
    om.append("# EOF")
    (dir / "experiment.om").write_text("\n".join(om) + "\n")
    (dir / "experiment.csv").write_text("\n".join(csv) + "\n")
    return dir / "experiment.om", dir / "experiment.csv"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Live:
    def __init__(self, url: str, csv: Path, config: Path, start: int, end: int) -> None:
        self.url, self.csv, self.config, self.start, self.end = url, csv, config, start, end


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    missing = [t for t in ("prometheus", "promtool") if shutil.which(t) is None]
    if missing:
        pytest.skip(
            f"SKIPPED live Prometheus tests: {', '.join(missing)} not installed "
            "(Debian package prometheus; scripts/system-deps.sh installs it)"
        )
    dir = tmp_path_factory.mktemp("prometheus")
    end = (int(time.time()) // 3600 - 1) * 3600  # a recent whole hour: inside retention
    start = end - (N - 1) * STEP
    om, csv = _write(dir, start)
    config = dir / "shiftwatch.toml"
    config.write_text(CONFIG)
    subprocess.run(
        ["promtool", "tsdb", "create-blocks-from", "openmetrics", str(om), str(dir / "tsdb")],
        check=True,
        capture_output=True,
    )
    (dir / "prometheus.yml").write_text("scrape_configs: []\n")
    port = _free_port()
    log = open(dir / "prometheus.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={dir / 'prometheus.yml'}",
            f"--storage.tsdb.path={dir / 'tsdb'}",
            "--storage.tsdb.retention.time=10y",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/-/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (dir / "prometheus.log").read_text()
            assert time.monotonic() < deadline, "prometheus not ready after 60 s"
            time.sleep(0.1)
        yield Live(url, csv, config, start, end)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _sorted(frame: Any) -> Any:
    return frame.sort(["metric", "target", "labels", "timestamp"])


def test_read_prometheus_is_the_frame_of_read(live: Live) -> None:
    kinds = {"http_requests": "counter", "rpc_duration_seconds": "histogram"}
    got, report = shiftwatch.read_prometheus(
        live.url, QUERIES, live.start, live.end, "15s", kinds=kinds, with_report=True
    )
    want = shiftwatch.read(live.csv, kinds=kinds)
    assert got.schema == want.schema
    assert got.height == want.height == N * 4 * (3 + len(LE))
    assert _sorted(got).equals(_sorted(want))
    # Gauges are not typed by the API (or the tidy CSV): "unknown", as from a file.
    assert set(got["kind"].unique()) == {"unknown", "counter", "histogram"}
    p = report["prometheus"]
    assert p["url"] == live.url and [q["expr"] for q in p["queries"]] == QUERIES
    assert p["requests"] == 4 and report["files"] == []
    # One query as a string; pandas too.
    one = shiftwatch.read_prometheus(live.url, "latency_seconds", live.start, live.end, "15s")
    assert one.height == N * 4
    pd_frame = shiftwatch.read_prometheus(
        live.url, "latency_seconds", live.start, live.end, "15s", library="pandas"
    )
    assert len(pd_frame) == N * 4


def test_analyze_of_the_live_frame_equals_analyze_of_the_export(live: Live) -> None:
    frame = shiftwatch.read_prometheus(live.url, QUERIES, live.start, live.end, "15s")
    opts = dict(baseline="base-*", candidate="cand-*", config=live.config, step="15s")
    got = shiftwatch.analyze(frame, **opts)  # type: ignore[arg-type]
    want = shiftwatch.analyze(live.csv, **opts)  # type: ignore[arg-type]

    def key(m: dict[str, Any]) -> str:
        return f"{m['metric']}{sorted(m['labels'].items())}"

    g = {key(m): {**m, "notes": None} for m in got.metrics}
    w = {key(m): {**m, "notes": None} for m in want.metrics}
    assert g == w
    lat = got.metric("latency_seconds")
    assert lat["verdict"] == "regression"
    assert abs(lat["effect"]["relative"] - 0.10) < 0.01
    assert got.metric("process_resident_memory_bytes")["verdict"] != "regression"
    req = got.metric("http_requests_total")
    assert req["verdict"] != "regression" and req["data"]["resets"] == 1
    assert any(
        m["verdict"] == "regression" for m in got.metrics if m["metric"] == "rpc_duration_seconds"
    )


def test_analyze_of_a_prometheus_source_names_it_in_the_report(live: Live) -> None:
    # Queries from the config's [[queries]] plus one argument; the same report as the file.
    config = live.config.parent / "with_queries.toml"
    config.write_text(
        CONFIG
        + "".join(f'\n[[queries]]\nname = "q{i}"\nexpr = "{q}"\n' for i, q in enumerate(QUERIES[1:]))
    )
    src = shiftwatch.Prometheus(live.url, QUERIES[0], live.start, live.end)
    opts = dict(baseline="base-*", candidate="cand-*", config=config, step="15s")
    got = shiftwatch.analyze(src, **opts)  # type: ignore[arg-type]
    want = shiftwatch.analyze(live.csv, **opts)  # type: ignore[arg-type]

    def by_key(r: Any) -> dict[str, Any]:
        return {f"{m['metric']}{sorted(m['labels'].items())}": {**m, "notes": None} for m in r.metrics}

    assert by_key(got) == by_key(want)
    assert got.to_dict()["summary"] == want.to_dict()["summary"]
    p = got.to_dict()["inputs"]["prometheus"]
    assert p["url"] == live.url and p["step"] == "15s"
    assert [q["expr"] for q in p["queries"]] == QUERIES
    assert [q.get("name") for q in p["queries"]] == [None, "q0", "q1", "q2"]


def test_plot_metric_of_a_live_report_reads_the_source_again(live: Live) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    src = shiftwatch.Prometheus(live.url, QUERIES, live.start, live.end, "15s")
    r = shiftwatch.analyze(src, baseline="base-*", candidate="cand-*", config=live.config)
    ax = r.plot_metric("latency_seconds")
    assert len(ax.lines) >= 4  # one line per target at least


def test_a_range_over_11000_points_is_split(live: Live) -> None:
    frame, report = shiftwatch.read_prometheus(
        live.url,
        'latency_seconds{target="base-1"}',
        live.start,
        live.end,
        "500ms",
        with_report=True,
    )
    ts = frame["timestamp"].dt.epoch("ms").to_numpy()
    assert len(ts) == (live.end - live.start) * 2 + 1 == 14_401
    assert np.all(np.diff(ts) == 500)
    assert report["prometheus"]["requests"] == 2


def test_a_bad_query_names_url_and_query(live: Live) -> None:
    with pytest.raises(ValueError, match=r"query_range: query 'sum\(latency_seconds': HTTP 400"):
        shiftwatch.read_prometheus(live.url, "sum(latency_seconds", live.start, live.end)


# --- a scripted server: retries, Retry-After, credentials (no Prometheus needed) -------------

OK = (
    b'{"status":"success","data":{"resultType":"matrix","result":[{"metric":'
    b'{"__name__":"up","target":"a"},"values":[[1700000000,"1"],[1700000015,"2"]]}]}}'
)


class Scripted:
    """Answers requests from a script; records (time, headers) of each."""

    def __init__(self, script: list[tuple[int, dict[str, str], bytes]]) -> None:
        self.script = list(script)
        self.seen: list[tuple[float, dict[str, str]]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.seen.append((time.monotonic(), {k.lower(): v for k, v in self.headers.items()}))
                status, headers, body = outer.script.pop(0)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted(request: pytest.FixtureRequest) -> Iterator[Scripted]:
    s = Scripted(request.param)
    yield s
    s.close()


@pytest.mark.parametrize("scripted", [[(503, {}, b"busy"), (200, {}, OK)]], indirect=True)
def test_a_503_is_retried(scripted: Scripted) -> None:
    frame = shiftwatch.read_prometheus(scripted.url, "up", 1700000000, 1700000015)
    assert frame["value"].to_list() == [1.0, 2.0]
    assert len(scripted.seen) == 2


@pytest.mark.parametrize(
    "scripted", [[(429, {"Retry-After": "1"}, b"slow down"), (200, {}, OK)]], indirect=True
)
def test_a_429_waits_for_retry_after(scripted: Scripted) -> None:
    shiftwatch.read_prometheus(scripted.url, "up", 1700000000, 1700000015)
    (t0, _), (t1, _) = scripted.seen
    assert t1 - t0 >= 0.95


@pytest.mark.parametrize(
    "scripted",
    [[(200, {}, OK), (403, {}, b'{"status":"error","errorType":"forbidden","error":"no"}')]],
    indirect=True,
)
def test_credentials_come_from_the_environment_and_are_not_echoed(
    scripted: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHIFTWATCH_PROMETHEUS_TOKEN", "py-tok-77")
    shiftwatch.read_prometheus(scripted.url, "up", 1700000000, 1700000015)
    assert scripted.seen[0][1].get("authorization") == "Bearer py-tok-77"
    with pytest.raises(ValueError) as info:
        shiftwatch.read_prometheus(scripted.url, "up{job='x'}", 1700000000, 1700000015)
    msg = str(info.value)
    assert "HTTP 403: forbidden: no" in msg and scripted.url in msg and "up{job='x'}" in msg
    assert "py-tok-77" not in msg


def test_no_server_is_a_connection_error() -> None:
    with pytest.raises(ConnectionError, match="query 'up'.*gave up after 2 attempts"):
        shiftwatch.read_prometheus(
            f"http://127.0.0.1:{_free_port()}", "up", 1700000000, 1700000015, retries=1
        )
