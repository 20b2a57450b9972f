"""Package data, ``python -m shiftwatch``, and the errors for missing optional packages."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest
import shiftwatch
from shiftwatch import datasets

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = {
    "gateway_ttfb.csv": ROOT / "datasets" / "examples" / "gateway_ttfb.csv",
    "gateway_memory.csv": ROOT / "datasets" / "examples" / "gateway_memory.csv",
    "nab_elb_request_count_8c0756.csv": ROOT
    / "datasets"
    / "fixtures"
    / "nab"
    / "elb_request_count_8c0756.csv",
    **{
        name: ROOT / "datasets" / "examples" / name
        for name in datasets.EXPERIMENT
    },
}


@pytest.mark.parametrize("name", datasets.FILES)
def test_shipped_files_are_the_repository_examples(name):
    # One source of truth: the copies inside the package must not drift.
    assert datasets.path(name).read_bytes() == SOURCES[name].read_bytes()


def test_loaders_give_time_indexed_frames(tmp_path, monkeypatch):
    pd = pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)  # works from any folder
    ttfb = datasets.load_gateway_ttfb()
    assert isinstance(ttfb.index, pd.DatetimeIndex) and str(ttfb.index.tz) == "UTC"
    assert list(ttfb.columns) == ["baseline", "candidate"]
    assert ttfb["candidate"].isna().sum() == 2
    mem = datasets.load_gateway_memory(library="polars")
    assert mem.columns == ["timestamp", "rss_mib"] and str(mem["timestamp"].dtype).startswith(
        "Datetime"
    )
    assert len(datasets.load_nab_elb()) == 4032
    with pytest.raises(ValueError, match="unknown data file"):
        datasets.path("nope.csv")


def test_python_dash_m_runs_the_command_line(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "shiftwatch", "--version"],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert out.returncode == 0, out.stderr
    assert shiftwatch.__version__ in out.stdout
    path = datasets.path("gateway_memory.csv")
    out = subprocess.run(
        [sys.executable, "-m", "shiftwatch", "inspect", str(path)],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "rss_mib" in out.stdout


@pytest.mark.parametrize(
    ("module", "extra", "call"),
    [
        ("polars", "frames", lambda: shiftwatch.read(b"timestamp,metric,value\n1,a,2\n")),
        ("pandas", "frames", lambda: datasets.load_gateway_ttfb()),
        ("matplotlib", "plot", lambda: shiftwatch.detect([1.0, 2, 3, 4, 5, 6, 7, 8]).plot(
            [1.0, 2, 3, 4, 5, 6, 7, 8])),
    ],
)
def test_missing_optional_package_names_the_extra(monkeypatch, module, extra, call):
    # None in sys.modules makes `import module` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, module, None)
    if module == "matplotlib":
        monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ModuleNotFoundError, match=rf"pip install 'shiftwatch\[{extra}\]'"):
        call()
