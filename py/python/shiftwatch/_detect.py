"""``shiftwatch.detect`` and ``shiftwatch.crops``: change points inside one series."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from numpy.typing import ArrayLike

from shiftwatch import _native
from shiftwatch._convert import as_float64
from shiftwatch._results import Result

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = [
    "ChangePoint",
    "CropsPath",
    "CropsSegmentation",
    "Detection",
    "NoiseScale",
    "crops",
    "detect",
]


def _penalty_name(penalty: str | float) -> str:
    """A penalty name, or a number in cost units spelled so that it parses back exactly."""
    if isinstance(penalty, bool):
        raise TypeError("penalty must be a name ('mbic', 'bic', 'aic', 'hq') or a number")
    if isinstance(penalty, (int, float)):
        return repr(float(penalty))
    if isinstance(penalty, str):
        return penalty
    raise TypeError(f"penalty must be a str or a number, got {type(penalty).__name__}")


def _json_float(value: float) -> float | None:
    return value if math.isfinite(value) else None


@dataclass(frozen=True, repr=False)
class ChangePoint(Result):
    """One validated change point.

    Attributes:
        index: 0-based index of the first sample of the new segment.
        before: Mean of the segment before.
        after: Mean of the segment after.
        magnitude: ``after - before``.
        p_value: Two-sided p-value of the validation test.
        p_adjusted: Holm-adjusted p-value within the series.
        kind: ``'step'``, ``'trend'`` or ``'variance'``.
    """

    index: int
    before: float
    after: float
    magnitude: float
    p_value: float
    p_adjusted: float
    kind: str


@dataclass(frozen=True, repr=False)
class NoiseScale(Result):
    """Robust noise scale the penalty and the validation tests use.

    Attributes:
        sigma: Marginal standard deviation of the noise.
        phi: Lag-1 autocorrelation (0 for independent noise).
        long_run_sigma: Long-run standard deviation (≥ ``sigma``).
    """

    sigma: float
    phi: float
    long_run_sigma: float


@dataclass(frozen=True, repr=False)
class Detection(Result):
    """Result of :func:`detect`; ``to_dict()`` has the field names of
    ``shiftwatch detect --format json`` (without ``file``, ``column`` and ``time``).

    Attributes:
        change_points: Validated change points, in order.
        n: Number of values.
        method: Search used.
        cost: Segment cost used.
        penalty: Penalty name (or the number given, in cost units).
        penalty_value: Penalty per change in cost units (NaN for a constant series).
        min_size: Minimum segment length.
        alpha: Level of the Holm-adjusted validation.
        noise: Estimated noise scale.
        candidates: Change points the search found before validation.
    """

    change_points: tuple[ChangePoint, ...]
    n: int
    method: str
    cost: str
    penalty: str
    penalty_value: float
    min_size: int
    alpha: float
    noise: NoiseScale
    candidates: tuple[int, ...] = field(repr=False)

    @property
    def indices(self) -> list[int]:
        """0-based index of the first sample of each new segment (ruptures' breakpoints
        without the trailing ``n``)."""
        return [c.index for c in self.change_points]

    @property
    def segments(self) -> list[tuple[int, int]]:
        """Half-open ``(start, end)`` ranges covering ``0..n``."""
        bounds = [0, *self.indices, self.n]
        return list(zip(bounds[:-1], bounds[1:]))

    def to_dict(self) -> dict[str, Any]:
        """The result with the CLI's JSON field names (NaN/±∞ as ``None``).

        Returns:
            A JSON-serialisable dict: ``n``, ``method``, ``cost``, ``penalty``,
            ``penalty_value``, ``min_size``, ``alpha``, ``noise`` and ``change_points``
            (``index``, ``before``, ``after``, ``magnitude``, ``p_value``, ``p_adjusted``,
            ``kind``).
        """
        return {
            "n": self.n,
            "method": self.method,
            "cost": self.cost,
            "penalty": self.penalty,
            "penalty_value": _json_float(self.penalty_value),
            "min_size": self.min_size,
            "alpha": self.alpha,
            "noise": {k: _json_float(v) for k, v in self.noise.to_dict().items()},
            "change_points": [
                {k: (_json_float(v) if isinstance(v, float) else v) for k, v in c.to_dict().items()}
                for c in self.change_points
            ],
        }

    def to_polars(self) -> polars.DataFrame:
        """One row per change point (polars is imported here, only when called).

        Returns:
            A ``polars.DataFrame`` with columns ``index``, ``before``, ``after``,
            ``magnitude``, ``p_value``, ``p_adjusted``, ``kind``.
        """
        import polars as pl

        schema = {
            "index": pl.Int64, "before": pl.Float64, "after": pl.Float64,
            "magnitude": pl.Float64, "p_value": pl.Float64, "p_adjusted": pl.Float64,
            "kind": pl.String,
        }
        rows = [c.to_dict() for c in self.change_points]
        return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(
            schema=schema
        )

    def __repr__(self) -> str:
        cps = ", ".join(
            f"{c.index} ({c.kind} {c.before:.4g}→{c.after:.4g}, p_adj={c.p_adjusted:.2g})"
            for c in self.change_points[:8]
        )
        if len(self.change_points) > 8:
            cps += f", … ({len(self.change_points)} in all)"
        return (
            f"Detection(n={self.n}, {len(self.change_points)} change point"
            f"{'' if len(self.change_points) == 1 else 's'}: [{cps}], method={self.method!r}, "
            f"cost={self.cost!r}, penalty={self.penalty!r} ({self.penalty_value:.4g}), "
            f"min_size={self.min_size}, alpha={self.alpha})"
        )

    @classmethod
    def _from_engine(cls, out: dict[str, Any]) -> Detection:
        d = out["detection"]
        opts = d["options"]
        nan = float("nan")
        return cls(
            change_points=tuple(
                ChangePoint(
                    index=int(c["index"]), before=float(c["before"]), after=float(c["after"]),
                    magnitude=float(c["magnitude"]), p_value=float(c["p_value"]),
                    p_adjusted=float(c["p_adjusted"]), kind=str(c["kind"]),
                )
                for c in d["change_points"]
            ),
            n=int(d["n"]),
            method=str(opts["method"]),
            cost=str(opts["cost"]),
            penalty=str(out["penalty"]),
            penalty_value=nan if d["penalty_value"] is None else float(d["penalty_value"]),
            min_size=int(opts["min_size"]),
            alpha=float(opts["alpha"]),
            noise=NoiseScale(
                **{k: nan if v is None else float(v) for k, v in d["noise"].items()}
            ),
            candidates=tuple(int(i) for i in d["candidates"]),
        )


def detect(
    values: ArrayLike,
    method: str = "pelt",
    cost: str = "l2",
    penalty: str | float = "mbic",
    min_size: int = 5,
    alpha: float = 0.05,
) -> Detection:
    """Finds and validates change points in one series (same engine as ``shiftwatch detect``).

    By default: robust, autocorrelation-aware noise scale; MBIC penalty; exact search of the
    Gaussian-mean (L2) segmentation with segments of at least 5 points; every change point
    validated by a test of its adjacent segments' means, Holm-adjusted at ``alpha``.

    Args:
        values: The series in time order (list, numpy array, pandas or polars Series).
        method: ``'pelt'`` (exact), ``'fpop'`` (exact, l2), ``'dp'`` (exact, slow) or
            ``'binseg'`` (greedy).
        cost: ``'l2'`` (mean), ``'normal'`` (mean and variance), ``'poisson'``, ``'linear'``
            (trend), ``'l1'`` (robust) or ``'np'`` (distribution).
        penalty: ``'mbic'``, ``'bic'``, ``'aic'``, ``'hq'`` (scaled by the noise), or a
            number: the penalty per change in cost units (as ruptures' ``pen``).
        min_size: Minimum segment length.
        alpha: Level of the Holm-adjusted validation; 1 keeps every change point found.

    Returns:
        A :class:`Detection`.

    Raises:
        InsufficientDataError: Fewer than 3 values.
        ValueError: NaN/±∞ (naming the first index), unknown names, ``alpha`` outside
            (0, 1], or a Poisson cost on negative values.

    Examples:
        >>> import shiftwatch
        >>> noise = [0.0, 0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.0] * 4
        >>> x = noise + [2.0 + e for e in noise]
        >>> shiftwatch.detect(x).indices
        [32]
    """
    name = _penalty_name(penalty)
    x = as_float64(values, "values")
    d = _native.detect(x, method, cost, name, int(min_size), float(alpha))
    return Detection._from_engine(d)


@dataclass(frozen=True, repr=False)
class CropsSegmentation(Result):
    """One segmentation on the CROPS path.

    Attributes:
        penalty_min: Smallest penalty (within the range) at which it is optimal.
        penalty_max: Largest penalty (within the range) at which it is optimal.
        indices: 0-based first index of each new segment.
        cost: Total segment cost without penalty.
        n: Number of values.
    """

    penalty_min: float
    penalty_max: float
    indices: tuple[int, ...]
    cost: float
    n: int

    @property
    def segments(self) -> list[tuple[int, int]]:
        """Half-open ``(start, end)`` ranges covering ``0..n``."""
        bounds = [0, *self.indices, self.n]
        return list(zip(bounds[:-1], bounds[1:]))


@dataclass(frozen=True, repr=False)
class CropsPath(Result):
    """Result of :func:`crops`: segmentations from the most to the fewest change points.

    Attributes:
        path: The distinct optimal segmentations.
        searches: Number of exact searches run.
    """

    path: tuple[CropsSegmentation, ...]
    searches: int

    def __len__(self) -> int:
        return len(self.path)

    def __getitem__(self, i: int) -> CropsSegmentation:
        return self.path[i]

    def to_polars(self) -> polars.DataFrame:
        """One row per segmentation: ``penalty_min``, ``penalty_max``, ``n_changes``,
        ``cost``, ``indices`` (list column); polars is imported only when called.

        Returns:
            A ``polars.DataFrame``.
        """
        import polars as pl

        return pl.DataFrame(
            {
                "penalty_min": [s.penalty_min for s in self.path],
                "penalty_max": [s.penalty_max for s in self.path],
                "n_changes": [len(s.indices) for s in self.path],
                "cost": [s.cost for s in self.path],
                "indices": [list(s.indices) for s in self.path],
            },
            schema={
                "penalty_min": pl.Float64, "penalty_max": pl.Float64, "n_changes": pl.Int64,
                "cost": pl.Float64, "indices": pl.List(pl.Int64),
            },
        )


def crops(
    values: ArrayLike,
    penalty_min: float,
    penalty_max: float,
    cost: str = "l2",
    min_size: int = 5,
    method: str = "pelt",
) -> CropsPath:
    """CROPS (Haynes, Eckley & Fearnhead 2017): every segmentation that is optimal for some
    penalty in ``[penalty_min, penalty_max]`` (penalties in cost units, as ruptures' ``pen``).

    Args:
        values: The series in time order.
        penalty_min: Smallest penalty (≥ 0).
        penalty_max: Largest penalty (finite, ≥ ``penalty_min``).
        cost: Segment cost, as in :func:`detect`.
        min_size: Minimum segment length.
        method: Exact search: ``'pelt'`` (functional pruning for l2), ``'fpop'`` or ``'dp'``.

    Returns:
        A :class:`CropsPath` (no validation step: raw optimal segmentations).

    Raises:
        InsufficientDataError: Fewer than 2 values or shorter than one segment.
        ValueError: NaN/±∞, unknown names or an invalid penalty range.

    Examples:
        >>> import shiftwatch
        >>> x = [0.0] * 10 + [5.0] * 10 + [6.0] * 10
        >>> [list(s.indices) for s in shiftwatch.crops(x, 0.1, 1000.0, min_size=2)]
        [[10, 20], [10], []]
    """
    x = as_float64(values, "values")
    d = _native.crops(x, float(penalty_min), float(penalty_max), cost, method, int(min_size))
    return CropsPath(
        path=tuple(
            CropsSegmentation(
                penalty_min=float(e["penalty_min"]),
                penalty_max=float(e["penalty_max"]),
                indices=tuple(int(i) for i in e["segmentation"]["breakpoints"]),
                cost=float(e["segmentation"]["cost"]),
                n=int(e["segmentation"]["n"]),
            )
            for e in d["path"]
        ),
        searches=int(d["searches"]),
    )
