"""Distribution and scale tests: Kolmogorov–Smirnov, Ansari–Bradley, Fligner–Killeen and
k-sample Anderson–Darling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike

from shiftwatch import _native
from shiftwatch._results import TestResult
from shiftwatch.stats._common import (
    _alternative,
    _as_float,
    _as_int,
    _as_str,
    _sample,
    _vectorised,
)

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
    axis: int | None = 0,
    nan_policy: str = "raise",
    keepdims: bool = False,
) -> KstestResult:
    """Two-sample Kolmogorov–Smirnov test, as ``scipy.stats.ks_2samp``.

    Args:
        data1: First sample (n1 ≥ 1 finite values).
        data2: Second sample (n2 ≥ 1).
        alternative: ``'two-sided'``, ``'less'`` (H1: the CDF of ``data1`` lies below that of
            ``data2`` somewhere) or ``'greater'``.
        method: ``'auto'`` (exact if both samples have at most 10 000 values), ``'exact'`` or
            ``'asymp'``.
        nan_policy: ``'raise'`` (default), ``'omit'``; or
            ``'propagate'`` (NaN results for the slices holding a NaN).
        axis: Axis along which to test, as scipy (default 0); the other axes broadcast and
            every slice is tested in one native call. ``None`` ravels the samples.
        keepdims: Keep the tested axis with length 1 in the result arrays, as scipy.

    Returns:
        A :class:`KstestResult`.

    Raises:
        InsufficientDataError: If a sample is empty.
        ValueError: For NaN (``nan_policy="raise"``; ±∞ are ordered, as scipy) or an
            unknown ``alternative``/``method``.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.ks_2samp([1.0, 2.0, 3.0, 4.0], [3.5, 4.5, 5.5, 6.5])
        >>> round(res.statistic, 2), round(res.pvalue, 3)
        (0.75, 0.229)
    """
    d = _vectorised(
        _native.ks_2samp, [("data1", data1), ("data2", data2)], axis=axis,
        keepdims=keepdims, nan_policy=nan_policy, args=(_alternative(alternative), method),
    )
    return KstestResult(
        statistic=_as_float(d["statistic"]),
        pvalue=_as_float(d["p_value"]),
        statistic_location=_as_float(d["statistic_location"]),
        statistic_sign=_as_int(d["statistic_sign"]),
        method=_as_str(d["method_used"]),
    )


# --------------------------------------------------------------------------- scale tests


@dataclass(frozen=True, repr=False)
class AnsariResult(TestResult):
    """Result of :func:`ansari` (scipy's ``AnsariResult`` plus ``exact``).

    Attributes:
        statistic: The Ansari–Bradley statistic AB (sum of the scores of ``x``).
        pvalue: The p-value.
        exact: Whether the exact null distribution was used (else the normal approximation).
    """

    exact: bool


def ansari(
    x: ArrayLike,
    y: ArrayLike,
    alternative: str = "two-sided",
    *,
    axis: int | None = 0,
    nan_policy: str = "raise",
    keepdims: bool = False,
) -> AnsariResult:
    """Ansari–Bradley test of equal scale, as ``scipy.stats.ansari``.

    Exact when both samples have fewer than 55 values and there are no ties (scipy's rule);
    the exact counts are 128-bit integers where scipy uses float32, so for larger exact cases
    the two can differ beyond the 7th digit (ours is the accurate one).

    Args:
        x: First sample.
        y: Second sample.
        alternative: ``'two-sided'``, ``'less'`` (the scale of ``x`` is smaller... as scipy:
            the ratio of scales x/y is less than 1) or ``'greater'``.
        nan_policy: ``'raise'`` (default), ``'omit'``; or
            ``'propagate'`` (NaN results for the slices holding a NaN).
        axis: Axis along which to test, as scipy (default 0); the other axes broadcast and
            every slice is tested in one native call. ``None`` ravels the samples.
        keepdims: Keep the tested axis with length 1 in the result arrays, as scipy.

    Returns:
        An :class:`AnsariResult`.

    Raises:
        InsufficientDataError: An empty sample, or all values equal.
        ValueError: For NaN (``nan_policy="raise"``; ±∞ are ranked, as scipy) or an
            unknown ``alternative``.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.ansari([1.0, 2, 3, 4, 5], [0.5, 2.5, 3.1, 6, 8, 9])
        >>> res.statistic, round(res.pvalue, 4), res.exact
        (19.0, 0.4589, True)
    """
    d = _vectorised(
        _native.ansari, [("x", x), ("y", y)], axis=axis, keepdims=keepdims,
        nan_policy=nan_policy, args=(_alternative(alternative),),
    )
    exact: Any = d["exact"]
    if not isinstance(exact, np.ndarray):
        exact = bool(exact)
    return AnsariResult(
        statistic=_as_float(d["statistic"]),
        pvalue=_as_float(d["p_value"]),
        exact=exact,
    )


@dataclass(frozen=True, repr=False)
class FlignerResult(TestResult):
    """Result of :func:`fligner` (scipy's ``FlignerResult`` plus ``df``).

    Attributes:
        statistic: The Fligner–Killeen statistic (asymptotically chi-squared).
        pvalue: The p-value.
        df: Degrees of freedom, ``k - 1``.
    """

    df: int


def fligner(
    *samples: ArrayLike,
    center: str = "median",
    proportiontocut: float = 0.05,
    axis: int | None = 0,
    nan_policy: str = "raise",
    keepdims: bool = False,
) -> FlignerResult:
    """Fligner–Killeen test that k samples have equal variances, as ``scipy.stats.fligner``.

    Args:
        *samples: Two or more samples (n-D arrays are tested along ``axis``).
        center: ``'median'`` (default), ``'mean'`` or ``'trimmed'``.
        proportiontocut: Proportion cut from each end for ``center='trimmed'``.
        axis: Axis along which to test (scipy's); ``None`` ravels each sample.
        nan_policy: ``'raise'`` (default), ``'omit'`` or ``'propagate'``.
        keepdims: Keep the tested axis with length 1, as scipy.

    Returns:
        A :class:`FlignerResult`.

    Raises:
        InsufficientDataError: An empty sample, or no variability at all.
        ValueError: Fewer than two samples, NaN/±∞, or unknown names.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.fligner([1.0, 2, 3, 4, 5], [0.5, 2.5, 3.1, 6, 8, 9])
        >>> round(res.statistic, 4), round(res.pvalue, 4), res.df
        (3.9256, 0.0476, 1)
    """
    if center not in ("median", "mean", "trimmed"):
        raise ValueError(f"center must be 'median', 'mean' or 'trimmed', got {center!r}")
    spec = f"trimmed:{float(proportiontocut)!r}" if center == "trimmed" else center
    if len(samples) < 2:
        raise ValueError(f"fligner needs at least two samples, got {len(samples)}")
    d = _vectorised(
        lambda *rows: _native.fligner(list(rows[:-2]), rows[-2], rows[-1]),
        [(f"samples[{i}]", s) for i, s in enumerate(samples)], axis=axis,
        keepdims=keepdims, nan_policy=nan_policy, args=(spec,),
    )
    return FlignerResult(
        statistic=_as_float(d["statistic"]), pvalue=_as_float(d["p_value"]),
        df=_as_int(d["df"]),
    )


# --------------------------------------------------------------------------- Anderson–Darling


@dataclass(frozen=True, repr=False)
class Anderson_ksampResult(TestResult):  # noqa: N801 (scipy's name)
    """Result of :func:`anderson_ksamp` (scipy's ``Anderson_ksampResult`` plus ``bound``).

    Attributes:
        statistic: Normalised k-sample Anderson–Darling statistic.
        pvalue: Approximate p-value interpolated from scipy's table, capped at 0.25 and
            floored at 0.001.
        critical_values: Critical values at significance levels
            25 %, 10 %, 5 %, 2.5 %, 1 %, 0.5 %, 0.1 %.
        bound: ``'interpolated'``, ``'capped'`` (true p > 0.25) or ``'floored'``
            (true p < 0.001).
    """

    critical_values: tuple[float, ...]
    bound: str


def anderson_ksamp(
    samples: Sequence[ArrayLike],
    midrank: bool = True,
    *,
    variant: str | None = None,
    nan_policy: str = "raise",
) -> Anderson_ksampResult:
    """k-sample Anderson–Darling test, as ``scipy.stats.anderson_ksamp``.

    Unlike scipy, the p-value's cap/floor is reported in ``bound`` instead of a warning.

    Args:
        samples: Two or more samples.
        midrank: ``True`` (default): the midrank version, valid for continuous and discrete
            populations; ``False``: the right-continuous version.
        variant: scipy 1.17's spelling: ``'midrank'`` or ``'right'`` (overrides ``midrank``);
            ``'continuous'`` is not supported.
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        An :class:`Anderson_ksampResult`.

    Raises:
        InsufficientDataError: An empty sample, or all values equal.
        ValueError: Fewer than two samples, NaN/±∞, or an unsupported ``variant``.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.anderson_ksamp([[1.0, 2, 3, 4, 5], [0.5, 2.5, 3.1, 6, 8, 9]])
        >>> round(res.statistic, 4), res.pvalue, res.bound
        (-0.143, 0.25, 'capped')
    """
    if variant is not None:
        if variant not in ("midrank", "right"):
            raise ValueError(f"variant must be 'midrank' or 'right', got {variant!r}")
        midrank = variant == "midrank"
    if isinstance(samples, np.ndarray) and samples.ndim == 1:
        raise ValueError("samples must be a sequence of at least two 1-D samples")
    arrays = [_sample(s, f"samples[{i}]", nan_policy) for i, s in enumerate(samples)]
    d = _native.anderson_ksamp(arrays, bool(midrank))
    return Anderson_ksampResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["p_value"]),
        critical_values=tuple(float(v) for v in d["critical_values"]),
        bound=str(d["bound"]),
    )
