"""scipy.stats-compatible two-sample statistics, computed by the shiftwatch engine.

Signatures, defaults and result attribute names follow ``scipy.stats`` (``statistic``,
``pvalue``, ``df``, ``confidence_interval()``…) so that ``from shiftwatch import stats``
can replace ``from scipy import stats`` for the functions below. Results are frozen
dataclasses with ``to_dict()``; test results unpack like scipy's (``stat, p = result``).

Departures from scipy, everywhere:

* Inputs are 1-D samples (lists, numpy arrays of any real dtype, pandas or polars Series);
  there is no ``axis``/``keepdims``.
* NaN handling: ``nan_policy='raise'`` is the default (scipy's is ``'propagate'``), so a NaN
  raises ``ValueError`` naming its index; ``nan_policy='omit'`` drops NaNs first.
  ``'propagate'`` is not supported. ±∞ always raises.
* Too little data (empty, one value where two are needed, all values equal where the
  statistic is undefined) raises :class:`shiftwatch.InsufficientDataError` (a ``ValueError``)
  instead of returning NaN with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from shiftwatch import _native
from shiftwatch._convert import as_float64
from shiftwatch._results import Result, TestResult

__all__: list[str] = []

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


def _float(d: dict[str, Any], *keys: str) -> float:
    """The first of ``keys`` present in the engine's result dict, as a float."""
    for key in keys:
        if key in d and d[key] is not None:
            return float(d[key])
    raise KeyError(f"engine result has none of {keys}: {sorted(d)}")


Samples = Sequence[ArrayLike]


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


# --------------------------------------------------------------------------- Kolmogorov–Smirnov


@dataclass(frozen=True, repr=False)
class KstestResult(TestResult):
    """Result of :func:`ks_2samp` (scipy's ``KstestResult``).

    Attributes:
        statistic: ``D`` (two-sided), ``D+`` (greater) or ``D-`` (less).
        pvalue: The p-value.
        statistic_location: The data value at which the ECDF difference is largest.
        statistic_sign: ``+1`` if the statistic is ``max(F1 - F2)``, ``-1`` if ``max(F2 - F1)``.
        method: The method actually used, ``'exact'`` or ``'asymp'``.
    """

    statistic_location: float
    statistic_sign: int
    method: str


def ks_2samp(
    data1: ArrayLike,
    data2: ArrayLike,
    alternative: str = "two-sided",
    method: str = "auto",
    *,
    nan_policy: str = "raise",
) -> KstestResult:
    """Two-sample Kolmogorov–Smirnov test, as ``scipy.stats.ks_2samp``.

    Args:
        data1: First sample (n1 ≥ 1 finite values).
        data2: Second sample (n2 ≥ 1).
        alternative: ``'two-sided'``, ``'less'`` (H1: the CDF of ``data1`` lies below that of
            ``data2`` somewhere) or ``'greater'``.
        method: ``'auto'`` (exact if both samples have at most 10 000 values), ``'exact'`` or
            ``'asymp'``.
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        A :class:`KstestResult`.

    Raises:
        InsufficientDataError: If a sample is empty.
        ValueError: For NaN/±∞ or an unknown ``alternative``/``method``.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.ks_2samp([1.0, 2.0, 3.0, 4.0], [3.5, 4.5, 5.5, 6.5])
        >>> round(res.statistic, 2), round(res.pvalue, 3)
        (0.75, 0.229)
    """
    x = _sample(data1, "data1", nan_policy)
    y = _sample(data2, "data2", nan_policy)
    d = _native.ks_2samp(x, y, _alternative(alternative), method)
    return KstestResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["p_value"]),
        statistic_location=float(d["statistic_location"]),
        statistic_sign=int(d["statistic_sign"]),
        method=str(d["method_used"]),
    )


# --------------------------------------------------------------------------- multiplicity


def false_discovery_control(ps: ArrayLike, *, method: str = "bh") -> NDArray[np.float64]:
    """Adjusted p-values, as ``scipy.stats.false_discovery_control``.

    Args:
        ps: Raw p-values in ``[0, 1]``.
        method: ``'bh'`` (Benjamini–Hochberg), ``'by'`` (Benjamini–Yekutieli); also
            ``'holm'``, ``'bonferroni'`` and ``'none'`` (not in scipy).

    Returns:
        The adjusted p-values, in the order of ``ps``.

    Raises:
        ValueError: For NaN or values outside ``[0, 1]``, or an unknown ``method``.

    Examples:
        >>> from shiftwatch import stats
        >>> stats.false_discovery_control([0.01, 0.02, 0.04]).round(3).tolist()
        [0.03, 0.03, 0.04]
    """
    p = as_float64(ps, "ps")
    return np.asarray(_native.false_discovery_control(p, method), dtype=np.float64)
