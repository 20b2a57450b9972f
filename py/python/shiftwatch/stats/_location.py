"""Location tests: t-tests (independent, paired, one-sample), Brunner–Munzel, and the exact
Poisson rate-ratio test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from shiftwatch import _native
from shiftwatch._convert import as_int
from shiftwatch._results import Result, TestResult
from shiftwatch.stats._common import (
    ConfidenceInterval,
    _alternative,
    _as_float,
    _vectorised,
)

# --------------------------------------------------------------------------- t-tests


@dataclass(frozen=True, repr=False)
class TtestResult(TestResult):
    """Result of the t-tests (scipy's ``TtestResult``).

    Attributes:
        statistic: The t statistic.
        pvalue: The p-value.
        df: Degrees of freedom (Welch–Satterthwaite for ``equal_var=False``).
        estimate: The estimated quantity: ``mean(a) - mean(b)`` (independent), the mean
            difference (paired) or the mean (one sample).
        standard_error: Standard error of ``estimate``.
        alternative: The alternative tested.
    """

    df: float
    estimate: float
    standard_error: float
    alternative: str

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Confidence interval for ``estimate``, as scipy's ``TtestResult.confidence_interval``.

        Args:
            confidence_level: Confidence level in (0, 1).

        Returns:
            The interval; one-sided (open at ±inf) for ``alternative='less'``/``'greater'``.

        Raises:
            ValueError: If ``confidence_level`` is not in (0, 1).

        Examples:
            >>> from shiftwatch import stats
            >>> ci = stats.ttest_ind([1.0, 2, 3, 4], [3.0, 4, 5, 6]).confidence_interval(0.95)
            >>> round(ci.low, 4), round(ci.high, 4)
            (-4.2337, 0.2337)
        """
        level = float(confidence_level)
        if not 0.0 < level < 1.0:
            raise ValueError(f"confidence_level must lie in (0, 1), got {confidence_level}")
        if self.alternative == "less":
            lo, hi = -np.inf, _t_ppf(level, self.df)
        elif self.alternative == "greater":
            lo, hi = _t_ppf(1.0 - level, self.df), np.inf
        else:
            tail = (1.0 - level) / 2.0
            lo, hi = _t_ppf(tail, self.df), _t_ppf(1.0 - tail, self.df)
        se, est = self.standard_error, self.estimate
        if isinstance(est, np.ndarray):
            return ConfidenceInterval(lo * se + est, hi * se + est, level)
        return ConfidenceInterval(float(lo * se + est), float(hi * se + est), level)


def _t_ppf(p: float, df: Any) -> Any:
    """t quantile for a scalar or an array of degrees of freedom (NaN stays NaN)."""
    if isinstance(df, np.ndarray):
        return np.vectorize(
            lambda d: _native.t_ppf(p, d) if d == d else np.nan, otypes=[np.float64]
        )(df)
    return _native.t_ppf(p, df)


def _ttest_result(d: dict[str, Any], alternative: str) -> TtestResult:
    return TtestResult(
        statistic=_as_float(d["statistic"]),
        pvalue=_as_float(d["p_value"]),
        df=_as_float(d["df"]),
        estimate=_as_float(d["estimate"]),
        standard_error=_as_float(d["standard_error"]),
        alternative=alternative,
    )


def ttest_ind(
    a: ArrayLike,
    b: ArrayLike,
    *,
    axis: int | None = 0,
    equal_var: bool = True,
    nan_policy: str = "raise",
    alternative: str = "two-sided",
    keepdims: bool = False,
) -> TtestResult:
    """Two-sample t-test for the difference of means, as ``scipy.stats.ttest_ind``.

    Args:
        a: First sample.
        b: Second sample.
        equal_var: ``True`` (scipy's default): Student's pooled-variance test; ``False``:
            Welch's test (the safer choice when variances may differ).
        nan_policy: ``'raise'`` (default), ``'omit'``; or
            ``'propagate'`` (NaN results for the slices holding a NaN).
        axis: Axis along which to test, as scipy (default 0); the other axes broadcast and
            every slice is tested in one native call. ``None`` ravels the samples.
        keepdims: Keep the tested axis with length 1 in the result arrays, as scipy.
        alternative: ``'two-sided'``, ``'less'`` (mean of ``a`` smaller) or ``'greater'``.

    Returns:
        A :class:`TtestResult`; ``result.confidence_interval(0.95)`` is the interval for
        ``mean(a) - mean(b)``.

    Raises:
        InsufficientDataError: Too few values (Welch needs 2 per sample; Student 1 per sample
            and 3 in total), or zero variance in both samples.
        ValueError: For NaN (with ``nan_policy="raise"``; ±∞ give NaN results, as scipy)
            or an unknown ``alternative``.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.ttest_ind([1.0, 2, 3, 4], [3.0, 4, 5, 6])
        >>> round(res.statistic, 4), res.df
        (-2.1909, 6.0)
    """
    alt = _alternative(alternative)
    d = _vectorised(
        _native.ttest_ind, [("a", a), ("b", b)], axis=axis, keepdims=keepdims,
        nan_policy=nan_policy, args=(bool(equal_var), alt, 0.95),
    )
    return _ttest_result(d, alt)


def ttest_rel(
    a: ArrayLike,
    b: ArrayLike,
    *,
    axis: int | None = 0,
    nan_policy: str = "raise",
    alternative: str = "two-sided",
    keepdims: bool = False,
) -> TtestResult:
    """Paired t-test on ``a - b``, as ``scipy.stats.ttest_rel``.

    Args:
        a: First sample.
        b: Second sample, paired with ``a`` (same length).
        nan_policy: ``'raise'`` (default), ``'omit'`` (drops pairs with a NaN); or
            ``'propagate'`` (NaN results for the slices holding a NaN).
        axis: Axis along which to test, as scipy (default 0); the other axes broadcast and
            every slice is tested in one native call. ``None`` ravels the samples.
        keepdims: Keep the tested axis with length 1 in the result arrays, as scipy.
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'``.

    Returns:
        A :class:`TtestResult` (interval for the mean difference).

    Raises:
        InsufficientDataError: Fewer than 2 pairs, or all differences equal.
        ValueError: Lengths differ, NaN (``nan_policy="raise"``), or an unknown ``alternative``.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.ttest_rel([1.0, 2, 3, 4, 5], [1.5, 2.1, 3.9, 4.2, 6.0])
        >>> round(res.statistic, 4), round(res.pvalue, 4), res.estimate
        (-2.9908, 0.0403, -0.54)
        >>> import numpy as np  # axis=: one test per row, as scipy
        >>> stats.ttest_rel(np.eye(3) + np.arange(3), np.arange(3) * 1.0, axis=1).pvalue.shape
        (3,)
    """
    alt = _alternative(alternative)
    d = _vectorised(
        _native.ttest_rel, [("a", a), ("b", b)], axis=axis, keepdims=keepdims,
        nan_policy=nan_policy, paired=True, args=(alt, 0.95),
    )
    return _ttest_result(d, alt)


def ttest_1samp(
    a: ArrayLike,
    popmean: float,
    *,
    axis: int | None = 0,
    nan_policy: str = "raise",
    alternative: str = "two-sided",
    keepdims: bool = False,
) -> TtestResult:
    """One-sample t-test of ``mean(a) = popmean``, as ``scipy.stats.ttest_1samp``.

    Args:
        a: The sample.
        popmean: Hypothesised mean.
        nan_policy: ``'raise'`` (default), ``'omit'``; or
            ``'propagate'`` (NaN results for the slices holding a NaN).
        axis: Axis along which to test, as scipy (default 0); the other axes broadcast and
            every slice is tested in one native call. ``None`` ravels the samples.
        keepdims: Keep the tested axis with length 1 in the result arrays, as scipy.
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'``.

    Returns:
        A :class:`TtestResult` (interval for the mean).

    Raises:
        InsufficientDataError: Fewer than 2 values, or zero variance.
        ValueError: For NaN (with ``nan_policy="raise"``; ±∞ give NaN results, as scipy)
            or an unknown ``alternative``.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.ttest_1samp([5.1, 4.9, 5.6, 5.8, 6.0], 5.0)
        >>> round(res.statistic, 4), round(res.pvalue, 4)
        (2.3041, 0.0826)
    """
    alt = _alternative(alternative)
    d = _vectorised(
        _native.ttest_1samp, [("a", a)], axis=axis, keepdims=keepdims,
        nan_policy=nan_policy, args=(float(popmean), alt, 0.95),
    )
    return _ttest_result(d, alt)


# --------------------------------------------------------------------------- Brunner–Munzel


@dataclass(frozen=True, repr=False)
class BrunnerMunzelResult(TestResult):
    """Result of :func:`brunnermunzel` (scipy's ``BrunnerMunzelResult`` plus fields).

    Attributes:
        statistic: The statistic W (positive when ``y`` ranks higher).
        pvalue: The p-value.
        df: Degrees of freedom of the t approximation.
        estimate: ``P(X < Y) + P(X = Y) / 2``.
        distribution: ``'t'`` or ``'normal'``.
    """

    df: float
    estimate: float
    distribution: str


def brunnermunzel(
    x: ArrayLike,
    y: ArrayLike,
    alternative: str = "two-sided",
    distribution: str = "t",
    nan_policy: str = "raise",
    *,
    axis: int | None = 0,
    keepdims: bool = False,
) -> BrunnerMunzelResult:
    """Brunner–Munzel test of stochastic equality, as ``scipy.stats.brunnermunzel``.

    Unlike Mann–Whitney it does not assume equal variances (shapes) under H0.

    Args:
        x: First sample (at least 2 values).
        y: Second sample (at least 2 values).
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'`` (scipy's meaning).
        distribution: ``'t'`` (default) or ``'normal'``.
        nan_policy: ``'raise'`` (default), ``'omit'``; or
            ``'propagate'`` (NaN results for the slices holding a NaN).
        axis: Axis along which to test, as scipy (default 0); the other axes broadcast and
            every slice is tested in one native call. ``None`` ravels the samples.
        keepdims: Keep the tested axis with length 1 in the result arrays, as scipy.

    Returns:
        A :class:`BrunnerMunzelResult`.

    Raises:
        InsufficientDataError: Fewer than 2 values in a sample, or all values equal.
        ValueError: For NaN (``nan_policy="raise"``; ±∞ are ranked, as scipy) or unknown names.

    Examples:
        >>> from shiftwatch import stats
        >>> x = [1.0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
        >>> y = [3.0, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
        >>> res = stats.brunnermunzel(x, y)  # scipy's docstring example
        >>> round(res.statistic, 4), round(res.pvalue, 5)
        (3.1375, 0.00579)
    """
    d = _vectorised(
        _native.brunnermunzel, [("x", x), ("y", y)], axis=axis, keepdims=keepdims,
        nan_policy=nan_policy, args=(_alternative(alternative), distribution),
    )
    return BrunnerMunzelResult(
        statistic=_as_float(d["statistic"]),
        pvalue=_as_float(d["p_value"]),
        df=_as_float(d["df"]),
        estimate=_as_float(d["estimate"]),
        distribution=str(distribution),
    )


# --------------------------------------------------------------------------- Poisson rates


@dataclass(frozen=True, repr=False)
class PoissonRateRatioResult(Result):
    """Result of :func:`poisson_rate_ratio`.

    Attributes:
        ratio: Estimated rate ratio ``(k1 / exposure1) / (k2 / exposure2)``.
        pvalue: The exact conditional (binomial) p-value of ``ratio = 1``.
        confidence_interval: Exact (Clopper–Pearson based) interval for the ratio.
    """

    ratio: float
    pvalue: float
    confidence_interval: ConfidenceInterval


def poisson_rate_ratio(
    k1: int,
    exposure1: float,
    k2: int,
    exposure2: float,
    *,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> PoissonRateRatioResult:
    """Exact conditional test that two Poisson rates are equal (e.g. errors per request).

    Given ``k1 + k2 = n`` events, ``k1`` is binomial with ``p = e1 / (e1 + e2)`` under H0; the
    p-value is ``scipy.stats.binomtest(k1, n, p, alternative).pvalue``. (scipy's
    ``poisson_means_test`` is a different, unconditional test.)

    Args:
        k1: Event count of the first (baseline) sample.
        exposure1: Its exposure (time, requests), > 0.
        k2: Event count of the second (candidate) sample.
        exposure2: Its exposure, > 0.
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'`` (first rate larger).
        confidence_level: Confidence level in (0, 1).

    Returns:
        A :class:`PoissonRateRatioResult`.

    Raises:
        InsufficientDataError: No events at all.
        ValueError: Negative counts, bad exposures or level.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.poisson_rate_ratio(30, 1000.0, 12, 1000.0)  # errors per 1000 requests
        >>> res.ratio, round(res.pvalue, 4)
        (2.5, 0.0079)
    """
    n1, n2 = as_int(k1, "k1"), as_int(k2, "k2")
    if n1 < 0 or n2 < 0:
        raise ValueError(f"event counts must be non-negative, got k1={k1}, k2={k2}")
    d = _native.poisson_rate_ratio(
        n1, float(exposure1), n2, float(exposure2), _alternative(alternative),
        float(confidence_level),
    )
    return PoissonRateRatioResult(
        ratio=float(d["ratio"]),
        pvalue=float(d["p_value"]),
        confidence_interval=ConfidenceInterval._from_engine(d["ci"]),
    )
