"""Helpers shared by the ``shiftwatch.stats`` modules: sample conversion with ``nan_policy``,
alternatives and the confidence-interval result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from shiftwatch._convert import as_float64
from shiftwatch._results import Result

_NAN_POLICIES = ("raise", "omit")


def _sample(x: ArrayLike, name: str, nan_policy: str) -> NDArray[np.float64]:
    """Converts one sample and applies ``nan_policy``."""
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(
            f"nan_policy must be one of {', '.join(map(repr, _NAN_POLICIES))}, got {nan_policy!r}"
            " (shiftwatch does not propagate NaN)"
        )
    arr = as_float64(x, name)
    if nan_policy == "omit":
        keep = ~np.isnan(arr)
        if not keep.all():
            arr = np.ascontiguousarray(arr[keep])
    return arr


def _alternative(alternative: str) -> str:
    if not isinstance(alternative, str):
        raise TypeError(f"alternative must be a string, got {type(alternative).__name__}")
    return alternative


def _paired(
    x: ArrayLike, y: ArrayLike, nan_policy: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Converts paired samples; ``nan_policy='omit'`` drops pairs with a NaN on either side."""
    a = _sample(x, "x", "raise" if nan_policy == "omit" else nan_policy)
    b = _sample(y, "y", "raise" if nan_policy == "omit" else nan_policy)
    if nan_policy == "omit" and len(a) == len(b):
        keep = ~(np.isnan(a) | np.isnan(b))
        if not keep.all():
            a, b = np.ascontiguousarray(a[keep]), np.ascontiguousarray(b[keep])
    return a, b


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
