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

__all__ = [
    "BlockLength",
    "BootstrapResult",
    "BrunnerMunzelResult",
    "CliffsDeltaResult",
    "ConfidenceInterval",
    "EffectiveSampleSize",
    "HodgesLehmannResult",
    "KstestResult",
    "MannwhitneyuResult",
    "PermutationTestResult",
    "PoissonRateRatioResult",
    "TtestResult",
    "WilcoxonResult",
    "Anderson_ksampResult",
    "AnsariResult",
    "FlignerResult",
    "acf",
    "anderson_ksamp",
    "ansari",
    "bootstrap_ci",
    "brunnermunzel",
    "cliffs_delta",
    "effective_sample_size",
    "false_discovery_control",
    "fligner",
    "hodges_lehmann",
    "ks_2samp",
    "mannwhitneyu",
    "optimal_block_length",
    "permutation_test",
    "poisson_rate_ratio",
    "ttest_1samp",
    "ttest_ind",
    "ttest_rel",
    "wilcoxon",
]

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


# --------------------------------------------------------------------------- resampling


def _seed(rng: int | np.random.Generator | None) -> int:
    """A u64 seed from scipy-style ``rng``: an int seeds directly; a Generator is drawn from;
    ``None`` takes fresh OS entropy (not reproducible, as in scipy)."""
    if rng is None:
        rng = np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63, dtype=np.int64))
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng: a seed must be non-negative, got {rng}")
        return int(rng) % 2**64
    raise TypeError(f"rng must be an int, a numpy Generator or None, got {type(rng).__name__}")


STATISTICS = ("mean_diff", "mean_ratio", "median_diff", "median_ratio", "quantile_diff",
              "quantile_ratio")


@dataclass(frozen=True, repr=False)
class BootstrapResult(Result):
    """Result of :func:`bootstrap_ci` (fields as scipy's ``BootstrapResult`` where shared).

    Attributes:
        confidence_interval: The interval (``low``, ``high``, ``confidence_level``).
        standard_error: Standard deviation (ddof=1) of the bootstrap distribution.
        estimate: The statistic on the original samples.
        n_resamples: Number of resamples.
        method: ``'percentile'`` or ``'bca'``.
        scheme: ``'iid'``, ``'moving-block'`` or ``'stationary'``.
        block_len: (Mean) block lengths used per sample, ``{'baseline', 'candidate'}``, or
            ``None`` for iid.
    """

    confidence_interval: ConfidenceInterval
    standard_error: float
    estimate: float
    n_resamples: int
    method: str
    scheme: str
    block_len: dict[str, float] | None


def bootstrap_ci(
    x: ArrayLike,
    y: ArrayLike,
    statistic: str = "median_diff",
    *,
    q: float = 0.5,
    n_resamples: int = 9999,
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    method: str = "BCa",
    scheme: str = "iid",
    block_len: float | None = None,
    rng: int | np.random.Generator | None = None,
    nan_policy: str = "raise",
) -> BootstrapResult:
    """Two-sample bootstrap confidence interval of a named statistic.

    The scipy equivalent is ``scipy.stats.bootstrap((x, y), statistic, paired=False)``; here
    the statistic is chosen by name and every resample is computed in Rust, in parallel. The
    random numbers differ from scipy's, so intervals agree within Monte-Carlo error. The result
    depends only on ``rng`` (not on the number of threads).

    Args:
        x: Baseline sample (at least 2 values).
        y: Candidate sample (at least 2 values).
        statistic: One of ``'mean_diff'`` (``mean(y) - mean(x)``), ``'mean_ratio'``
            (``mean(y) / mean(x)``), ``'median_diff'``, ``'median_ratio'``,
            ``'quantile_diff'``, ``'quantile_ratio'`` (the ``q``-quantile, numpy's linear
            interpolation).
        q: Quantile level for the ``quantile_*`` statistics.
        n_resamples: Number of bootstrap resamples.
        confidence_level: Confidence level in (0, 1).
        alternative: ``'two-sided'``, ``'less'`` (interval ``(-inf, high]``) or ``'greater'``
            (``[low, inf)``), as scipy.
        method: ``'BCa'`` (default, as scipy) or ``'percentile'``.
        scheme: ``'iid'`` (independent points), ``'moving-block'`` or ``'stationary'`` (for
            autocorrelated series; block length by Politis–White unless ``block_len``).
        block_len: Fixed (mean) block length for the block schemes.
        rng: Seed (int), numpy Generator, or ``None`` for fresh entropy.
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        A :class:`BootstrapResult`.

    Raises:
        InsufficientDataError: If a sample has fewer than 2 values.
        ValueError: For NaN/±∞, an unknown name, a level outside (0, 1), or a statistic that is
            not finite on the data (e.g. a ratio with a zero baseline).

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.bootstrap_ci([1.0, 2, 3, 4, 5], [2.0, 3, 4, 5, 6], rng=0,
        ...                          method="percentile", n_resamples=999)
        >>> res.estimate
        1.0
    """
    a = _sample(x, "x", nan_policy)
    b = _sample(y, "y", nan_policy)
    d = _native.bootstrap_ci(
        a, b, statistic, float(q), int(n_resamples), float(confidence_level),
        _alternative(alternative), method, scheme, block_len, _seed(rng),
    )
    return BootstrapResult(
        confidence_interval=ConfidenceInterval._from_engine(d["ci"]),
        standard_error=float(d["standard_error"]),
        estimate=float(d["estimate"]),
        n_resamples=int(d["n_resamples"]),
        method=str(d["method"]),
        scheme=str(d["scheme"]),
        block_len=d["block_len"],
    )


@dataclass(frozen=True, repr=False)
class PermutationTestResult(TestResult):
    """Result of :func:`permutation_test` (scipy's ``PermutationTestResult`` without the null
    distribution).

    Attributes:
        statistic: The statistic on the observed samples.
        pvalue: The p-value (scipy's conventions: exact enumeration when all ``C(n1+n2, n1)``
            splits fit in ``n_resamples``, else ``(count + 1) / (n_resamples + 1)``).
        n_resamples: Size of the null distribution used.
        exact: Whether the null distribution was enumerated exactly.
    """

    n_resamples: int
    exact: bool


def permutation_test(
    x: ArrayLike,
    y: ArrayLike,
    statistic: str = "mean_diff",
    *,
    q: float = 0.5,
    n_resamples: int = 9999,
    alternative: str = "two-sided",
    rng: int | np.random.Generator | None = None,
    nan_policy: str = "raise",
) -> PermutationTestResult:
    """Two-sample permutation test of a named statistic.

    Mirrors ``scipy.stats.permutation_test((x, y), statistic, permutation_type='independent')``
    with the same p-value conventions (exact enumeration when possible, so small samples give
    exactly scipy's p-value).

    Args:
        x: Baseline sample.
        y: Candidate sample.
        statistic: As in :func:`bootstrap_ci` (candidate minus/over baseline); default
            ``'mean_diff'`` = ``mean(y) - mean(x)``.
        q: Quantile level for the ``quantile_*`` statistics.
        n_resamples: Number of random permutations.
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'`` (the statistic is
            smaller/greater than under H0).
        rng: Seed (int), numpy Generator, or ``None`` for fresh entropy.
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        A :class:`PermutationTestResult`.

    Raises:
        InsufficientDataError: If a sample is empty.
        ValueError: For NaN/±∞, unknown names, or a statistic not finite on the data.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.permutation_test([1.0, 2, 3], [4.0, 5, 6], alternative="greater")
        >>> res.exact, round(res.pvalue, 4)
        (True, 0.05)
    """
    a = _sample(x, "x", nan_policy)
    b = _sample(y, "y", nan_policy)
    d = _native.permutation_test(
        a, b, statistic, float(q), int(n_resamples), _alternative(alternative), _seed(rng)
    )
    return PermutationTestResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["p_value"]),
        n_resamples=int(d["n_resamples"]),
        exact=bool(d["exact"]),
    )


@dataclass(frozen=True, repr=False)
class BlockLength(Result):
    """Politis–White optimal block lengths (as ``arch.bootstrap.optimal_block_length``).

    Attributes:
        stationary: Mean block length for the stationary bootstrap.
        circular: Block length for the circular/moving-block bootstrap.
    """

    stationary: float
    circular: float


def optimal_block_length(x: ArrayLike) -> BlockLength:
    """Data-driven block length of one autocorrelated series (Politis & White 2004, with
    the Patton, Politis & White 2009 correction).

    Args:
        x: The series in time order (at least 11 values, not constant).

    Returns:
        A :class:`BlockLength`.

    Raises:
        InsufficientDataError: Too few values, or a constant series.
        ValueError: For NaN/±∞.
    """
    d = _native.optimal_block_length(as_float64(x, "x"))
    return BlockLength(stationary=float(d["stationary"]), circular=float(d["circular"]))


# --------------------------------------------------------------------------- rank tests


@dataclass(frozen=True, repr=False)
class MannwhitneyuResult(TestResult):
    """Result of :func:`mannwhitneyu` (scipy's ``MannwhitneyuResult`` plus two fields).

    Attributes:
        statistic: U of ``x``: pairs with ``x_i > y_j``, ties counting 1/2.
        pvalue: The p-value.
        method: The method actually used, ``'exact'`` or ``'asymptotic'``.
        effect: Common-language effect size ``U / (n_x n_y)`` = P(X > Y) + P(X = Y)/2.
    """

    method: str
    effect: float


def mannwhitneyu(
    x: ArrayLike,
    y: ArrayLike,
    use_continuity: bool = True,
    alternative: str = "two-sided",
    method: str = "auto",
    *,
    nan_policy: str = "raise",
) -> MannwhitneyuResult:
    """Mann–Whitney U rank test, as ``scipy.stats.mannwhitneyu``.

    Ranks come from one O(n) radix sort of the pooled sample, so 10^6 vs 10^6 values take
    a fraction of a second.

    Args:
        x: First sample (e.g. the baseline).
        y: Second sample.
        use_continuity: Continuity correction in the normal approximation.
        alternative: ``'two-sided'``, ``'less'`` (``x`` stochastically smaller) or
            ``'greater'``.
        method: ``'auto'`` (exact when a sample has at most 8 values and there are no ties),
            ``'exact'`` or ``'asymptotic'``.
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        A :class:`MannwhitneyuResult`.

    Raises:
        InsufficientDataError: If a sample is empty or every value is the same.
        ValueError: For NaN/±∞ or unknown names.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.mannwhitneyu([1.0, 2, 3, 4], [5.0, 6, 7, 8])
        >>> res.statistic, round(res.pvalue, 4)
        (0.0, 0.0286)
    """
    a = _sample(x, "x", nan_policy)
    b = _sample(y, "y", nan_policy)
    d = _native.mannwhitneyu(a, b, bool(use_continuity), _alternative(alternative), method)
    return MannwhitneyuResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["p_value"]),
        method=str(d["method_used"]),
        effect=float(d["effect"]),
    )


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
    """
    if nlags < 0:
        raise ValueError(f"nlags must be non-negative, got {nlags}")
    d = _native.acf(as_float64(x, "x"), int(nlags))
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
    """
    d = _native.effective_sample_size(as_float64(x, "x"))
    return EffectiveSampleSize(
        ess=float(d["ess"]), tau=float(d["tau"]), n=int(d["n"]), max_lag=int(d["max_lag"])
    )


# --------------------------------------------------------------------------- t-tests


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
        """
        level = float(confidence_level)
        if not 0.0 < level < 1.0:
            raise ValueError(f"confidence_level must lie in (0, 1), got {confidence_level}")
        if self.alternative == "less":
            lo, hi = -np.inf, _native.t_ppf(level, self.df)
        elif self.alternative == "greater":
            lo, hi = _native.t_ppf(1.0 - level, self.df), np.inf
        else:
            tail = (1.0 - level) / 2.0
            lo, hi = _native.t_ppf(tail, self.df), _native.t_ppf(1.0 - tail, self.df)
        se, est = self.standard_error, self.estimate
        return ConfidenceInterval(float(lo * se + est), float(hi * se + est), level)


def _ttest_result(d: dict[str, Any]) -> TtestResult:
    return TtestResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["p_value"]),
        df=float(d["df"]),
        estimate=float(d["estimate"]),
        standard_error=float(d["standard_error"]),
        alternative=str(d["alternative"]),
    )


def ttest_ind(
    a: ArrayLike,
    b: ArrayLike,
    *,
    equal_var: bool = True,
    nan_policy: str = "raise",
    alternative: str = "two-sided",
) -> TtestResult:
    """Two-sample t-test for the difference of means, as ``scipy.stats.ttest_ind``.

    Args:
        a: First sample.
        b: Second sample.
        equal_var: ``True`` (scipy's default): Student's pooled-variance test; ``False``:
            Welch's test (the safer choice when variances may differ).
        nan_policy: ``'raise'`` (default) or ``'omit'``.
        alternative: ``'two-sided'``, ``'less'`` (mean of ``a`` smaller) or ``'greater'``.

    Returns:
        A :class:`TtestResult`; ``result.confidence_interval(0.95)`` is the interval for
        ``mean(a) - mean(b)``.

    Raises:
        InsufficientDataError: Too few values (Welch needs 2 per sample; Student 1 per sample
            and 3 in total), or zero variance in both samples.
        ValueError: For NaN/±∞ or an unknown ``alternative``.

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.ttest_ind([1.0, 2, 3, 4], [3.0, 4, 5, 6])
        >>> round(res.statistic, 4), res.df
        (-2.1909, 6.0)
    """
    x = _sample(a, "a", nan_policy)
    y = _sample(b, "b", nan_policy)
    return _ttest_result(
        _native.ttest_ind(x, y, bool(equal_var), _alternative(alternative), 0.95)
    )


def ttest_rel(
    a: ArrayLike,
    b: ArrayLike,
    *,
    nan_policy: str = "raise",
    alternative: str = "two-sided",
) -> TtestResult:
    """Paired t-test on ``a - b``, as ``scipy.stats.ttest_rel``.

    Args:
        a: First sample.
        b: Second sample, paired with ``a`` (same length).
        nan_policy: ``'raise'`` (default) or ``'omit'`` (drops pairs with a NaN).
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'``.

    Returns:
        A :class:`TtestResult` (interval for the mean difference).

    Raises:
        InsufficientDataError: Fewer than 2 pairs, or all differences equal.
        ValueError: Lengths differ, NaN/±∞, or an unknown ``alternative``.
    """
    x, y = _paired(a, b, nan_policy)
    return _ttest_result(_native.ttest_rel(x, y, _alternative(alternative), 0.95))


def ttest_1samp(
    a: ArrayLike,
    popmean: float,
    *,
    nan_policy: str = "raise",
    alternative: str = "two-sided",
) -> TtestResult:
    """One-sample t-test of ``mean(a) = popmean``, as ``scipy.stats.ttest_1samp``.

    Args:
        a: The sample.
        popmean: Hypothesised mean.
        nan_policy: ``'raise'`` (default) or ``'omit'``.
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'``.

    Returns:
        A :class:`TtestResult` (interval for the mean).

    Raises:
        InsufficientDataError: Fewer than 2 values, or zero variance.
        ValueError: For NaN/±∞ or an unknown ``alternative``.
    """
    x = _sample(a, "a", nan_policy)
    return _ttest_result(
        _native.ttest_1samp(x, float(popmean), _alternative(alternative), 0.95)
    )


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
) -> BrunnerMunzelResult:
    """Brunner–Munzel test of stochastic equality, as ``scipy.stats.brunnermunzel``.

    Unlike Mann–Whitney it does not assume equal variances (shapes) under H0.

    Args:
        x: First sample (at least 2 values).
        y: Second sample (at least 2 values).
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'`` (scipy's meaning).
        distribution: ``'t'`` (default) or ``'normal'``.
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        A :class:`BrunnerMunzelResult`.

    Raises:
        InsufficientDataError: Fewer than 2 values in a sample, or all values equal.
        ValueError: For NaN/±∞ or unknown names.
    """
    a = _sample(x, "x", nan_policy)
    b = _sample(y, "y", nan_policy)
    d = _native.brunnermunzel(a, b, _alternative(alternative), distribution)
    return BrunnerMunzelResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["p_value"]),
        df=float(d["df"]),
        estimate=float(d["estimate"]),
        distribution=str(d["distribution"]),
    )


# --------------------------------------------------------------------------- Wilcoxon


@dataclass(frozen=True, repr=False)
class WilcoxonResult(TestResult):
    """Result of :func:`wilcoxon` (scipy's ``WilcoxonResult``).

    Attributes:
        statistic: ``min(R+, R-)`` (two-sided) or ``R+``.
        pvalue: The p-value.
        zstatistic: The standardised statistic when the normal approximation was used,
            else ``None``.
        method: Method actually used: ``'exact'``, ``'asymptotic'`` or ``'permutation'``.
        n_zero: Number of zero differences.
    """

    zstatistic: float | None
    method: str
    n_zero: int


def wilcoxon(
    x: ArrayLike,
    y: ArrayLike | None = None,
    zero_method: str = "wilcox",
    correction: bool = False,
    alternative: str = "two-sided",
    method: str = "auto",
    *,
    nan_policy: str = "raise",
) -> WilcoxonResult:
    """Wilcoxon signed-rank test of ``x - y`` (or of ``x``), as ``scipy.stats.wilcoxon``.

    Args:
        x: First sample, or the differences when ``y`` is ``None``.
        y: Second sample, paired with ``x``.
        zero_method: ``'wilcox'`` (drop zeros), ``'pratt'`` or ``'zsplit'``.
        correction: Continuity correction in the normal approximation.
        alternative: ``'two-sided'``, ``'less'`` or ``'greater'``.
        method: ``'auto'``, ``'exact'``, ``'asymptotic'`` or ``'permutation'`` (the exact
            conditional distribution with ties, scipy's ``PermutationMethod()``).
        nan_policy: ``'raise'`` (default) or ``'omit'`` (drops pairs with a NaN).

    Returns:
        A :class:`WilcoxonResult`.

    Raises:
        InsufficientDataError: Too few non-zero differences, or all differences zero.
        ValueError: Lengths differ, NaN/±∞, or unknown names.
    """
    if y is None:
        a, b = _sample(x, "x", nan_policy), None
    else:
        a, b = _paired(x, y, nan_policy)
    d = _native.wilcoxon(a, b, zero_method, bool(correction), _alternative(alternative), method)
    z = d.get("z")
    return WilcoxonResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["p_value"]),
        zstatistic=None if z is None else float(z),
        method=str(d["method_used"]),
        n_zero=int(d["n_zero"]),
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
    """
    if int(k1) < 0 or int(k2) < 0:
        raise ValueError(f"event counts must be non-negative, got k1={k1}, k2={k2}")
    d = _native.poisson_rate_ratio(
        int(k1), float(exposure1), int(k2), float(exposure2), _alternative(alternative),
        float(confidence_level),
    )
    return PoissonRateRatioResult(
        ratio=float(d["ratio"]),
        pvalue=float(d["p_value"]),
        confidence_interval=ConfidenceInterval._from_engine(d["ci"]),
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
    nan_policy: str = "raise",
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
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        An :class:`AnsariResult`.

    Raises:
        InsufficientDataError: An empty sample, or all values equal.
        ValueError: For NaN/±∞ or an unknown ``alternative``.
    """
    a = _sample(x, "x", nan_policy)
    b = _sample(y, "y", nan_policy)
    d = _native.ansari(a, b, _alternative(alternative))
    return AnsariResult(
        statistic=float(d["statistic"]), pvalue=float(d["p_value"]), exact=bool(d["exact"])
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
    nan_policy: str = "raise",
) -> FlignerResult:
    """Fligner–Killeen test that k samples have equal variances, as ``scipy.stats.fligner``.

    Args:
        *samples: Two or more samples.
        center: ``'median'`` (default), ``'mean'`` or ``'trimmed'``.
        proportiontocut: Proportion cut from each end for ``center='trimmed'``.
        nan_policy: ``'raise'`` (default) or ``'omit'``.

    Returns:
        A :class:`FlignerResult`.

    Raises:
        InsufficientDataError: An empty sample, or no variability at all.
        ValueError: Fewer than two samples, NaN/±∞, or unknown names.
    """
    if center not in ("median", "mean", "trimmed"):
        raise ValueError(f"center must be 'median', 'mean' or 'trimmed', got {center!r}")
    arrays = [_sample(s, f"samples[{i}]", nan_policy) for i, s in enumerate(samples)]
    spec = f"trimmed:{float(proportiontocut)!r}" if center == "trimmed" else center
    d = _native.fligner(arrays, spec)
    return FlignerResult(statistic=float(d["statistic"]), pvalue=float(d["p_value"]),
                         df=int(d["df"]))


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
