"""Effect sizes: Hodges–Lehmann shift and Cliff's delta, each with its interval."""

from __future__ import annotations

from dataclasses import dataclass

from numpy.typing import ArrayLike

from shiftwatch import _native
from shiftwatch._results import Result
from shiftwatch.stats._common import ConfidenceInterval, _alternative, _sample

# --------------------------------------------------------------------------- effect sizes


@dataclass(frozen=True, repr=False)
class HodgesLehmannResult(Result):
    """Result of :func:`hodges_lehmann`.

    Attributes:
        estimate: ``median(y_j - x_i)`` over all pairs: the shift of the candidate.
        confidence_interval: Distribution-free interval for the shift.
        method: ``'exact'`` or ``'asymptotic'``.
    """

    estimate: float
    confidence_interval: ConfidenceInterval
    method: str


def hodges_lehmann(
    x: ArrayLike,
    y: ArrayLike,
    *,
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    method: str = "auto",
    nan_policy: str = "raise",
) -> HodgesLehmannResult:
    """Hodges–Lehmann estimate of the shift from ``x`` (baseline) to ``y`` (candidate).

    Not in scipy; the interval reproduces R's ``wilcox.test(y, x, conf.int=TRUE)`` (exact
    method). The m·n pairwise differences are never materialised (O((m+n) log(mn))).

    Args:
        x: Baseline sample.
        y: Candidate sample.
        confidence_level: Confidence level in (0, 1).
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'`` (one-sided interval).
        method: ``'auto'``, ``'exact'`` (no ties, at most 100 values) or ``'asymptotic'``.
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        A :class:`HodgesLehmannResult`.

    Raises:
        InsufficientDataError: If a sample is empty.
        ValueError: For NaN/±∞, a bad level, or ``'exact'`` with ties.

    Examples:
        >>> from shiftwatch import stats
        >>> stats.hodges_lehmann([1.0, 2, 3], [2.0, 3, 4]).estimate
        1.0
    """
    a = _sample(x, "x", nan_policy)
    b = _sample(y, "y", nan_policy)
    d = _native.hodges_lehmann(a, b, float(confidence_level), _alternative(alternative), method)
    return HodgesLehmannResult(
        estimate=float(d["estimate"]),
        confidence_interval=ConfidenceInterval._from_engine(d["ci"]),
        method=str(d["method"]),
    )


@dataclass(frozen=True, repr=False)
class CliffsDeltaResult(Result):
    """Result of :func:`cliffs_delta`.

    Attributes:
        delta: ``P(Y > X) - P(Y < X)`` in [-1, 1] (positive: the candidate is larger).
        standard_error: Cliff's consistent standard error.
        confidence_interval: Cliff's asymmetric two-sided interval, inside [-1, 1].
    """

    delta: float
    standard_error: float
    confidence_interval: ConfidenceInterval


def cliffs_delta(
    x: ArrayLike,
    y: ArrayLike,
    *,
    confidence_level: float = 0.95,
    nan_policy: str = "raise",
) -> CliffsDeltaResult:
    """Cliff's delta of ``y`` (candidate) over ``x`` (baseline), with its interval.

    Not in scipy. Computed from the sorted samples in O((m+n) log(m+n)).

    Args:
        x: Baseline sample (at least 2 values).
        y: Candidate sample (at least 2 values).
        confidence_level: Confidence level in (0, 1).
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        A :class:`CliffsDeltaResult`.

    Raises:
        InsufficientDataError: If a sample has fewer than 2 values.
        ValueError: For NaN/±∞ or a bad level.

    Examples:
        >>> from shiftwatch import stats
        >>> stats.cliffs_delta([1.0, 2, 3], [4.0, 5, 6]).delta
        1.0
    """
    a = _sample(x, "x", nan_policy)
    b = _sample(y, "y", nan_policy)
    d = _native.cliffs_delta(a, b, float(confidence_level))
    return CliffsDeltaResult(
        delta=float(d["delta"]),
        standard_error=float(d["standard_error"]),
        confidence_interval=ConfidenceInterval._from_engine(d["ci"]),
    )
