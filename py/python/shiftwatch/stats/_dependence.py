"""Dependence diagnostics and multiplicity: autocorrelation, effective sample size,
adjusted p-values."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from shiftwatch import _native
from shiftwatch._convert import as_float64, as_int
from shiftwatch._results import Result

# --------------------------------------------------------------------------- dependence


@dataclass(frozen=True, repr=False)
class EffectiveSampleSize(Result):
    """Result of :func:`effective_sample_size`.

    Attributes:
        ess: Effective number of independent observations ``n / tau`` (at most ``n``).
        tau: Integrated autocorrelation time (1 for independent data).
        n: Number of observations.
        max_lag: Highest lag used.
    """

    ess: float
    tau: float
    n: int
    max_lag: int


def acf(x: ArrayLike, nlags: int = 10) -> NDArray[np.float64]:
    """Sample autocorrelations at lags ``0..nlags``, as ``statsmodels.tsa.stattools.acf(x,
    nlags=nlags, fft=False)``.

    Args:
        x: A series in time order.
        nlags: Largest lag (< len(x)).

    Returns:
        Array of ``nlags + 1`` autocorrelations (the first is 1).

    Raises:
        InsufficientDataError: Fewer than 2 values, or a constant series.
        ValueError: For NaN/±∞ or ``nlags >= len(x)``.

    Examples:
        >>> from shiftwatch import stats
        >>> stats.acf([1.0, 3, 2, 4, 3, 5, 4, 6], nlags=2).round(4).tolist()
        [1.0, 0.125, 0.4722]
    """
    lags = as_int(nlags, "nlags")
    if lags < 0:
        raise ValueError(f"nlags must be non-negative, got {nlags}")
    d = _native.acf(as_float64(x, "x"), lags)
    return np.asarray(d["values"], dtype=np.float64)


def effective_sample_size(x: ArrayLike) -> EffectiveSampleSize:
    """Effective sample size of an autocorrelated series (Geyer's initial monotone sequence).

    Args:
        x: A series in time order.

    Returns:
        An :class:`EffectiveSampleSize`.

    Raises:
        InsufficientDataError: Fewer than 2 values, or a constant series.
        ValueError: For NaN/±∞.

    Examples:
        >>> import numpy as np
        >>> from shiftwatch import stats
        >>> x = np.sin(np.arange(200) / 5) + np.random.default_rng(0).normal(0, 0.3, 200)
        >>> res = stats.effective_sample_size(x)  # strongly autocorrelated: n_eff << n
        >>> res.n, round(res.ess, 1)
        (200, 22.9)
    """
    d = _native.effective_sample_size(as_float64(x, "x"))
    return EffectiveSampleSize(
        ess=float(d["ess"]), tau=float(d["tau"]), n=int(d["n"]), max_lag=int(d["max_lag"])
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
