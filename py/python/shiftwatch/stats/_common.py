"""Helpers shared by the ``shiftwatch.stats`` modules: sample conversion with ``nan_policy``,
alternatives and the confidence-interval result."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from shiftwatch._convert import as_float64, numeric_array
from shiftwatch._results import Result

_NAN_POLICIES = ("raise", "omit")
# The tests vectorised over ``axis`` also accept scipy's default, 'propagate'.
_ALL_NAN_POLICIES = ("raise", "omit", "propagate")


def _sample(
    x: ArrayLike, name: str, nan_policy: str, masked: str = "drop"
) -> NDArray[np.float64]:
    """Converts one sample and applies ``nan_policy``; masked values are dropped (scipy's
    rule for samples) or, with ``masked="refuse"`` (series in time order), refused."""
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(
            f"nan_policy must be one of {', '.join(map(repr, _NAN_POLICIES))}, got {nan_policy!r}"
            " (shiftwatch does not propagate NaN)"
        )
    arr = as_float64(x, name, masked=masked)
    if nan_policy == "omit":
        keep = ~np.isnan(arr)
        if not keep.all():
            arr = np.ascontiguousarray(arr[keep])
    return arr


def _alternative(alternative: str) -> str:
    if not isinstance(alternative, str):
        raise TypeError(f"alternative must be a string, got {type(alternative).__name__}")
    return alternative


# --------------------------------------------------------------------------- shared result types


@dataclass(frozen=True, repr=False)
class ConfidenceInterval(Result):
    """A confidence interval; unpacks like scipy's ``ConfidenceInterval(low, high)``.

    Attributes:
        low: Lower bound (``-inf`` for a one-sided ``alternative='less'`` interval).
        high: Upper bound (``+inf`` for ``alternative='greater'``).
        confidence_level: The confidence level, e.g. 0.95.
    """

    low: float
    high: float
    confidence_level: float

    def __iter__(self) -> Iterator[float]:
        return iter((self.low, self.high))

    @classmethod
    def _from_engine(cls, ci: dict[str, Any]) -> ConfidenceInterval:
        return cls(float(ci["lo"]), float(ci["hi"]), float(ci["level"]))


# --------------------------------------------------------------------------- scipy's axis=


def _nd(x: Any, name: str) -> tuple[NDArray[np.float64], NDArray[np.bool_] | None]:
    """An n-D float64 array of a sample, and its mask (masked arrays; ``None`` otherwise)."""
    mask = None
    if isinstance(x, np.ma.MaskedArray):
        m = np.ma.getmaskarray(x)
        mask = m if m.any() else None
        x = np.ma.getdata(x)
    if (type(x).__module__ or "").startswith(("pandas", "polars")) and not hasattr(x, "columns"):
        return as_float64(x, name), mask
    return np.asarray(numeric_array(x, name), dtype=np.float64), mask


def _axis(axis: Any) -> int | None:
    if axis is None:
        return None
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int or None, got {type(axis).__name__}")
    return int(axis)


def _vectorised(
    native: Callable[..., dict[str, Any]],
    samples: Sequence[tuple[str, Any]],
    *,
    axis: Any,
    keepdims: bool,
    nan_policy: str,
    paired: bool = False,
    args: Sequence[Any] = (),
) -> dict[str, Any]:
    """Runs a native row-wise test over ``axis`` as scipy does, and shapes its columns.

    The samples are broadcast against each other except along ``axis`` (paired samples: along
    every axis), ``axis`` is moved last and the other axes are flattened into rows, so the
    engine runs once per slice in one native call (no Python loop). ``axis=None`` ravels every
    sample first. Masked values are dropped, as scipy does. Returns each result field with
    the batch shape (with the reduced axis kept as length 1 when ``keepdims``); a 1-D input
    gives Python scalars.
    """
    if nan_policy not in _ALL_NAN_POLICIES:
        raise ValueError(
            f"nan_policy must be one of {', '.join(map(repr, _ALL_NAN_POLICIES))}, "
            f"got {nan_policy!r}"
        )
    ax = _axis(axis)
    arrays, masked = [], False
    for name, x in samples:
        arr, mask = _nd(x, name)
        if mask is not None:
            masked = True
            data_nan = np.isnan(arr) & ~mask
            if data_nan.any() and nan_policy != "omit":
                where = tuple(int(i) for i in np.argwhere(data_nan)[0])
                raise ValueError(
                    f"{name}: NaN at index {where[0] if len(where) == 1 else where} of a masked "
                    f"array; with nan_policy={nan_policy!r} shiftwatch cannot tell it from a "
                    "masked value: pass nan_policy='omit' or fill the NaN"
                )
            arr = np.where(mask, np.nan, arr)
        arrays.append(arr)
    policy = "omit" if masked else nan_policy
    if ax is None:
        nd = max(a.ndim for a in arrays)
        arrays = [a.ravel() for a in arrays]
        move = -1
    else:
        nd = max(a.ndim for a in arrays)
        if nd == 0:
            raise ValueError("samples are scalars: expected arrays with at least one axis")
        if not -nd <= ax < nd:
            raise np.exceptions.AxisError(ax, nd)
        move = ax % nd
        arrays = [a.reshape((1,) * (nd - a.ndim) + a.shape) for a in arrays]
        arrays = [np.moveaxis(a, move, -1) for a in arrays]
    if paired:
        try:
            arrays = list(np.broadcast_arrays(*arrays))
        except ValueError:
            shapes = " and ".join(str(a.shape) for a in arrays)
            raise ValueError(
                f"paired samples must have the same length along axis {axis} (and shapes that "
                f"broadcast); got shapes {shapes} with the axis moved last"
            ) from None
        batch: tuple[int, ...] = arrays[0].shape[:-1]
    else:
        batch = np.broadcast_shapes(*(a.shape[:-1] for a in arrays))
    rows = [
        np.ascontiguousarray(
            np.broadcast_to(a, batch + a.shape[-1:]).reshape(math.prod(batch), a.shape[-1])
        )
        for a in arrays
    ]
    if rows[0].shape[0] == 0:
        raise ValueError(f"no slices to test: the other axes have shape {batch}")
    out = native(*rows, *args, policy)
    missing: Any = np.full(batch, np.nan) if batch else np.nan
    shaped = _Columns(missing)
    for key, value in out.items():
        col: Any = np.asarray(
            value, dtype=np.float64 if isinstance(value, np.ndarray) else object
        ).reshape(batch)
        if keepdims:
            col = col.reshape((1,) * nd) if ax is None else np.expand_dims(col, move)
        elif col.ndim == 0:
            col = col.item()
        shaped[key] = col
    if keepdims:
        shaped.missing = np.full((1,) * nd if ax is None else np.expand_dims(
            np.empty(batch), move).shape, np.nan)
    return shaped


class _Columns(dict):  # type: ignore[type-arg]
    """Result columns; a field absent because every slice propagated NaN reads as NaN."""

    def __init__(self, missing: Any) -> None:
        super().__init__()
        self.missing = missing

    def __missing__(self, key: str) -> Any:
        return self.missing


def _as_int(value: Any) -> Any:
    """An integer field: ``int`` for scalars, an int64 array when no row is NaN."""
    if isinstance(value, np.ndarray):
        return value.astype(np.int64) if not np.isnan(value).any() else value
    return value if value != value else int(value)


def _as_float(value: Any) -> Any:
    return value if isinstance(value, np.ndarray) else float(value)


def _as_str(value: Any) -> Any:
    return value if isinstance(value, np.ndarray) else (None if value is None else str(value))
