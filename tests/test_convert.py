"""Input conversion: lists, numpy dtypes and strides, pandas and polars → float64."""

from __future__ import annotations

import numpy as np
import pytest
from shiftwatch._convert import as_float64

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

VALUES = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda v: list(v), id="list"),
        pytest.param(lambda v: tuple(v), id="tuple"),
        pytest.param(lambda v: [int(x) for x in v], id="list-int"),
        pytest.param(lambda v: np.asarray(v, dtype=np.float32), id="float32"),
        pytest.param(lambda v: np.asarray(v, dtype=np.int64), id="int64"),
        pytest.param(lambda v: np.asarray(v, dtype=np.uint8), id="uint8"),
        pytest.param(lambda v: np.repeat(np.asarray(v), 3)[::3], id="strided"),
        pytest.param(lambda v: np.asarray(v)[::-1][::-1], id="reversed-view"),
        pytest.param(lambda v: pd.Series(v), id="pandas"),
        pytest.param(lambda v: pd.Series(v, dtype="Int64"), id="pandas-Int64"),
        pytest.param(lambda v: pd.Series(v, dtype="float32[pyarrow]"), id="pandas-arrow"),
        pytest.param(lambda v: pl.Series(v), id="polars"),
        pytest.param(lambda v: pl.Series([int(x) for x in v]), id="polars-int"),
        pytest.param(lambda v: pl.Series(v, dtype=pl.Float32), id="polars-f32"),
    ],
)
def test_converts_to_contiguous_float64(make):
    out = as_float64(make(VALUES))
    assert out.dtype == np.float64
    assert out.flags.c_contiguous
    np.testing.assert_array_equal(out, VALUES)


def test_contiguous_float64_is_not_copied():
    x = np.arange(10.0)
    assert as_float64(x) is x


def test_missing_values_become_nan():
    assert np.isnan(as_float64(pd.Series([1.0, None], dtype="Float64"))[1])
    assert np.isnan(as_float64(pl.Series([1, None]))[1])
    assert np.isnan(as_float64([1.0, None])[1])


@pytest.mark.parametrize(
    "bad, exc",
    [
        ("abc", TypeError),
        (["a", "b"], TypeError),
        (np.array([1 + 2j]), TypeError),
        (np.ones((2, 2)), ValueError),
        (3.0, ValueError),
    ],
)
def test_rejects_non_samples(bad, exc):
    with pytest.raises(exc):
        as_float64(bad, "x")


def test_rejects_frames():
    with pytest.raises(TypeError, match="Series"):
        as_float64(pd.DataFrame({"a": [1.0]}))
    with pytest.raises(TypeError, match="Series"):
        as_float64(pl.DataFrame({"a": [1.0]}))
