"""Frames in, frames out: time axes, tidy-frame selection, paired alignment on the index."""

from __future__ import annotations

import numpy as np
import pytest
import shiftwatch
from shiftwatch import _frames, datasets

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

TIDY = (
    b"timestamp,metric,target,value\n"
    b"2026-01-01T00:00:00Z,a,x,1\n2026-01-01T00:00:10Z,a,y,2\n2026-01-01T00:00:20Z,a,x,3\n"
)


def test_time_axis_of_pandas_and_polars_inputs():
    ttfb = datasets.load_gateway_ttfb()
    _, times = _frames.split_time_axis(ttfb["baseline"])
    assert times.equals(ttfb.index)
    mem = datasets.load_gateway_memory(library="polars")
    rest, times = _frames.split_time_axis(mem)
    assert rest.columns == ["rss_mib"] and times.name == "timestamp"
    assert _frames.split_time_axis(np.arange(3.0))[1] is None


@pytest.mark.parametrize("library", ["polars", "pandas"])
def test_tidy_frames_are_never_concatenated_across_series(library):
    tidy = shiftwatch.read(TIDY, library=library)
    with pytest.raises(ValueError, match="holds 2 series .*target="):
        _frames.select_tidy(tidy)
    values, times, label = _frames.select_tidy(tidy, target="x")
    assert list(values) == [1.0, 3.0] and len(times) == 2 and label == "a target=x"
    with pytest.raises(ValueError, match="no series"):
        _frames.select_tidy(tidy, metric="b")


def test_non_numeric_columns_are_refused_not_dropped():
    frame = pd.DataFrame({"a": [1.0, 2.0], "host": ["x", "y"]})
    with pytest.raises(TypeError, match="'host' are not numeric"):
        _frames.numeric_columns(frame)


def test_paired_alignment_on_the_index():
    ttfb = datasets.load_gateway_ttfb()
    b, c = ttfb["baseline"], ttfb["candidate"]
    _, reordered = _frames.align_paired(b, c.iloc[::-1])
    assert reordered.index.equals(b.index)
    with pytest.raises(ValueError, match="aligned on their index.*no partner"):
        _frames.align_paired(b, c.shift(freq="15s"))
    x, y = _frames.align_paired(b.to_numpy(), c.to_numpy())  # numpy: by position
    assert len(x) == len(y)


def test_tables_as_pandas_need_no_pyarrow(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    frame = _frames.table({"index": [3, 7], "kind": ["step", "trend"]}, "pandas")
    assert frame["index"].tolist() == [3, 7]
