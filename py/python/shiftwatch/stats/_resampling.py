"""Resampling: bootstrap confidence intervals, permutation tests, block lengths."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from shiftwatch import _native
from shiftwatch._convert import as_float64, as_int
from shiftwatch._progress import progress_bar
from shiftwatch._results import Result, TestResult
from shiftwatch.stats._common import ConfidenceInterval, _alternative, _sample

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


def _count(value: object, name: str) -> int:
    """A positive count as the engine's usize (whole numbers only, see :func:`as_int`): huge or
    negative values become a ValueError here (the engine then applies its own ceiling) instead
    of an OverflowError."""
    v = as_int(value, name)
    if v < 1:
        raise ValueError(f"invalid {name}: must be at least 1, got {v}")
    return min(v, 2**63)


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
        scheme: The scheme that ran: ``'iid'``, ``'moving-block'`` or ``'stationary'``.
        block_len: (Mean) block lengths used per sample, ``{'baseline', 'candidate'}``, or
            ``None`` for iid.
        lag1: With ``scheme='auto'``, the lag-1 autocorrelations (baseline, candidate) that
            chose the scheme; ``None`` when a scheme was given.
    """

    confidence_interval: ConfidenceInterval
    standard_error: float
    estimate: float
    n_resamples: int
    method: str
    scheme: str
    block_len: dict[str, float] | None
    lag1: tuple[float, float] | None = None


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
    scheme: str = "auto",
    block_len: float | None = None,
    rng: int | np.random.Generator | None = None,
    nan_policy: str = "raise",
    progress: bool | None = None,
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
        scheme: ``'auto'`` (default: ``'stationary'`` when either sample's lag-1
            autocorrelation is material, ``|r1| >= max(0.1, 2/sqrt(n))``, else ``'iid'``; the
            result's ``scheme`` and ``lag1`` say which ran and why), ``'iid'`` (independent
            points, scipy's choice), ``'moving-block'`` or ``'stationary'`` (for autocorrelated
            series; block length by Politis–White unless ``block_len``).
        block_len: Fixed (mean) block length for the block schemes.
        rng: Seed (int), numpy Generator, or ``None`` for fresh entropy.
        nan_policy: ``'raise'`` (default) or ``'omit'``.
        progress: Progress bar (tqdm, if installed): ``None`` shows one in terminals and
            notebooks, ``True`` always, ``False`` never. Ctrl-C interrupts in every case.

    Cost: O(n) per resample for the shipped statistics; BCa adds an O(n log n) jackknife
    (closed forms). ``n_resamples`` is capped at 10**7 (the distribution is kept, 80 MB).

    Returns:
        A :class:`BootstrapResult`.

    Raises:
        InsufficientDataError: If a sample has fewer than 2 values.
        ValueError: For NaN/±∞, an unknown name, a level outside (0, 1), ``n_resamples``
            outside [1, 10**7], or a statistic that is not finite on the data (e.g. a ratio
            with a zero baseline).
        KeyboardInterrupt: On Ctrl-C (checked about every 100 ms).

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.bootstrap_ci([1.0, 2, 3, 4, 5], [2.0, 3, 4, 5, 6], rng=0,
        ...                          method="percentile", n_resamples=999)
        >>> res.estimate
        1.0
    """
    # Block schemes resample runs of neighbours: dropping masked points would join runs.
    masked = "drop" if scheme == "iid" else "refuse"
    a = _sample(x, "x", nan_policy, masked)
    b = _sample(y, "y", nan_policy, masked)
    with progress_bar(progress, "bootstrap") as update:
        d = _native.bootstrap_ci(
            a, b, statistic, float(q), _count(n_resamples, "n_resamples"),
            float(confidence_level), _alternative(alternative), method, scheme, block_len,
            _seed(rng), update,
        )
    return BootstrapResult(
        confidence_interval=ConfidenceInterval._from_engine(d["ci"]),
        standard_error=float(d["standard_error"]),
        estimate=float(d["estimate"]),
        n_resamples=int(d["n_resamples"]),
        method=str(d["method"]),
        scheme=str(d["scheme"]),
        block_len=d["block_len"],
        lag1=None if d["lag1"] is None else (float(d["lag1"][0]), float(d["lag1"][1])),
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
    progress: bool | None = None,
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
        progress: Progress bar as in :func:`bootstrap_ci`; Ctrl-C interrupts in every case.

    Returns:
        A :class:`PermutationTestResult`.

    Raises:
        InsufficientDataError: If a sample is empty.
        ValueError: For NaN/±∞, unknown names, ``n_resamples`` outside [1, 10**9], or a
            statistic not finite on the data.
        KeyboardInterrupt: On Ctrl-C (checked about every 100 ms).

    Examples:
        >>> from shiftwatch import stats
        >>> res = stats.permutation_test([1.0, 2, 3], [4.0, 5, 6], alternative="greater")
        >>> res.exact, round(res.pvalue, 4)
        (True, 0.05)
    """
    a = _sample(x, "x", nan_policy)
    b = _sample(y, "y", nan_policy)
    with progress_bar(progress, "permutations") as update:
        d = _native.permutation_test(
            a, b, statistic, float(q), _count(n_resamples, "n_resamples"),
            _alternative(alternative), _seed(rng), update,
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

    Examples:
        >>> import numpy as np
        >>> from shiftwatch import stats
        >>> x = np.sin(np.arange(200) / 5) + np.random.default_rng(0).normal(0, 0.3, 200)
        >>> stats.optimal_block_length(x).stationary
        43.0
    """
    d = _native.optimal_block_length(as_float64(x, "x"))
    return BlockLength(stationary=float(d["stationary"]), circular=float(d["circular"]))
