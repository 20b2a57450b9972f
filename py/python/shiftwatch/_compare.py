"""``shiftwatch.compare``: the calibrated default comparison of a baseline and a candidate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from numpy.typing import ArrayLike

from shiftwatch import _frames, _native
from shiftwatch._compare_display import comparison_html, plot_comparison
from shiftwatch._convert import as_float64
from shiftwatch._results import Result, json_compatible

__all__ = ["Comparison", "SampleSummary", "compare"]


@dataclass(frozen=True, repr=False)
class SampleSummary(Result):
    """One sample as the comparison saw it.

    Attributes:
        n: Number of values.
        n_effective: Effective number of independent values implied by the long-run variance.
        lag1: Lag-1 autocorrelation.
        mean: Sample mean.
        median: Sample median.
        sd: Sample standard deviation.
    """

    n: int
    n_effective: float
    lag1: float
    mean: float
    median: float
    sd: float


@dataclass(frozen=True, repr=False)
class Comparison(Result):
    """Result of :func:`compare`; ``to_dict()`` equals ``shiftwatch compare --format json``
    (without its ``input`` object).

    Attributes:
        method: What was computed, e.g. ``'ewc-welch-t'``.
        location: The location compared, ``'mean'`` or ``'median'``.
        absolute: Candidate minus baseline location.
        relative: Candidate / baseline location - 1 (NaN when the baseline's is 0).
        ci_absolute: ``(low, high)`` interval of ``absolute`` at level ``1 - alpha``.
        ci_relative: ``(low, high)`` interval of ``relative``.
        pvalue: p-value of the test of no difference.
        statistic: t statistic (sign of candidate - baseline).
        df: Degrees of freedom of the t reference (``inf`` for a normal reference).
        se: Standard error of ``absolute`` (of the mean log-ratio with log-ratio pairing).
        alternative: The alternative tested.
        paired: Pairing used (``'difference'``, ``'log-ratio'``) or ``None``.
        alpha: Significance level.
        baseline: Summary of the baseline sample.
        candidate: Summary of the candidate sample.
        direction: Which direction of change is bad (``'higher_is_worse'``,
            ``'lower_is_worse'``, ``'either'``), or ``None``.
        regression: A significant change in the bad ``direction`` (``False`` without one):
            what makes ``shiftwatch compare --direction`` exit with 1.
    """

    method: str
    location: str
    absolute: float
    relative: float
    ci_absolute: tuple[float, float]
    ci_relative: tuple[float, float]
    pvalue: float
    statistic: float
    df: float
    se: float
    alternative: str
    paired: str | None
    alpha: float
    baseline: SampleSummary
    candidate: SampleSummary
    direction: str | None = None
    regression: bool = False
    _raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def significant(self) -> bool:
        """``True`` when ``pvalue < alpha`` (the core's significance rule)."""
        return bool(self._raw["significant"])

    def to_dict(self) -> dict[str, Any]:
        """The engine's result with its JSON field names (``p_value``, ``ci_relative.lo``…),
        NaN/±∞ as ``None``: equal to the CLI's ``--format json`` output minus ``input``.

        Returns:
            A JSON-serialisable dict.

        Examples:
            >>> import shiftwatch
            >>> res = shiftwatch.compare([10.0, 11, 10.5, 10.2, 10.8], [11.0, 12, 11.4, 11.1, 11.9])
            >>> sorted(res.to_dict())[:4]
            ['absolute', 'alpha', 'alternative', 'baseline']
        """
        out = json_compatible(self._raw)
        assert isinstance(out, dict)
        return out

    def _repr_html_(self) -> str:
        return comparison_html(self)

    def plot(self, baseline: ArrayLike, candidate: ArrayLike, *, axes: Any = None) -> Any:
        """Both samples over time with their means and intervals, and the effect with its
        confidence interval (needs matplotlib; see :func:`plot_comparison`).

        Args:
            baseline: The baseline given to :func:`compare` (a pandas Series with a time index
                is drawn against its times).
            candidate: The candidate given to :func:`compare`.
            axes: Two matplotlib Axes to draw on (default: a new figure).

        Returns:
            The two ``Axes`` (samples, effect).

        Examples:
            >>> import shiftwatch
            >>> b, c = [10.0, 11, 10.5, 10.2, 10.8], [11.0, 12, 11.4, 11.1, 11.9]
            >>> len(shiftwatch.compare(b, c).plot(b, c))  # doctest: +SKIP
            2
        """
        return plot_comparison(self, baseline, candidate, axes=axes)

    @classmethod
    def _from_report(cls, d: dict[str, Any]) -> Comparison:
        """Wraps the core's ``CompareReport`` (as a dict)."""
        def summary(s: dict[str, Any]) -> SampleSummary:
            return SampleSummary(
                n=int(s["n"]), n_effective=float(s["n_effective"]), lag1=float(s["lag1"]),
                mean=float(s["mean"]), median=float(s["median"]), sd=float(s["sd"]),
            )

        def ci(c: dict[str, Any]) -> tuple[float, float]:
            return (float(c["lo"]), float(c["hi"]))

        return cls(
            method=str(d["method"]),
            location=str(d["location"]),
            absolute=float(d["absolute"]),
            relative=float(d["relative"]),
            ci_absolute=ci(d["ci_absolute"]),
            ci_relative=ci(d["ci_relative"]),
            pvalue=float(d["p_value"]),
            statistic=float(d["statistic"]),
            df=float(d["df"]),
            se=float(d["se"]),
            alternative=str(d["alternative"]),
            paired=None if d["paired"] is None else str(d["paired"]),
            alpha=float(d["alpha"]),
            baseline=summary(d["baseline"]),
            candidate=summary(d["candidate"]),
            direction=None if d["direction"] is None else str(d["direction"]),
            regression=bool(d["regression"]),
            _raw=d,
        )


def compare(
    baseline: ArrayLike,
    candidate: ArrayLike,
    *,
    paired: str | None = None,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    statistic: str = "mean",
    method: str = "auto",
    nan_policy: str = "raise",
    direction: str | None = None,
) -> Comparison:
    """Compares a metric between a baseline and a candidate release.

    The default (``method='auto'``) is a Welch t-test whose variances are long-run
    (autocorrelation-robust) variances, so the p-value stays calibrated on scraped metrics
    whose consecutive points are strongly correlated — where ``ttest_ind`` or ``mannwhitneyu``
    would raise many false alarms. Same engine as ``shiftwatch compare`` on the command line.

    Args:
        baseline: Baseline values in time order (at least 3).
        candidate: Candidate values in time order (at least 3).
        paired: ``None`` (independent series), ``'difference'`` or ``'log-ratio'`` for
            timestamp-aligned series of equal length (e.g. two targets serving the same
            replayed traffic): tests the per-timestamp difference or log-ratio. Two pandas
            Series are paired by their index (reordered if needed), never by position;
            indexes that do not match are an error.
        alpha: Significance level; intervals have level ``1 - alpha``.
        alternative: ``'two-sided'``, ``'less'`` (baseline < candidate) or ``'greater'``.
        statistic: Location compared: ``'mean'`` (default) or ``'median'`` (robust to
            spikes, somewhat less powerful).
        method: ``'auto'`` (calibrated default, EWC), ``'ewc'``, ``'newey-west'`` or ``'iid'``
            (treats points as independent; for comparison only).
        nan_policy: ``'raise'`` (default) or ``'omit'``: NaN and ±∞ are missing and dropped;
            with ``paired``, the rows missing either value are dropped (the CLI's policy).
        direction: ``'higher_is_worse'``, ``'lower_is_worse'`` or ``'either'``: sets
            ``regression`` (a significant change that way), as ``shiftwatch compare
            --direction``.

    Returns:
        A :class:`Comparison`.

    Raises:
        InsufficientDataError: Fewer than 3 values, or no variability at all.
        ValueError: NaN/±∞ (with ``nan_policy='raise'``), unknown names, ``alpha`` outside
            (0, 1), lengths differing when paired, pandas indexes that do not match when
            paired, or non-positive values with
            ``paired='log-ratio'``.

    Examples:
        >>> import shiftwatch
        >>> res = shiftwatch.compare([10.0, 11, 10.5, 10.2, 10.8], [11.0, 12, 11.4, 11.1, 11.9])
        >>> res.relative > 0
        True
    """
    if nan_policy not in ("raise", "omit"):
        raise ValueError(f"nan_policy must be 'raise' or 'omit', got {nan_policy!r}")
    if paired is not None:
        baseline, candidate = _frames.align_paired(baseline, candidate)
    b = as_float64(baseline, "baseline")
    c = as_float64(candidate, "candidate")
    d = _native.compare(
        b, c, paired, float(alpha), alternative, statistic, method, direction,
        nan_policy == "omit",
    )
    return Comparison._from_report(d)
