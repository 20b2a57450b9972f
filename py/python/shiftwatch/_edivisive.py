"""``shiftwatch.detect(values, method="edivisive")``: E-divisive change points of one series."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from shiftwatch import _native
from shiftwatch._progress import progress_bar
from shiftwatch._detect_display import Plottable, Timed, detection_html
from shiftwatch._results import Result, json_compatible

if TYPE_CHECKING:  # pragma: no cover
    import polars

__all__ = ["EDivisiveChangePoint", "EDivisiveDetection", "e_divisive"]


@dataclass(frozen=True, repr=False)
class EDivisiveChangePoint(Result, Timed):
    """One change point accepted by E-divisive.

    Attributes:
        index: 0-based index of the first sample of the new segment.
        before: Mean of the segment before.
        after: Mean of the segment after.
        magnitude: ``after - before``.
        p_value: Permutation p-value of the split when it was tested.
        p_adjusted: Equal to ``p_value`` (E-divisive stops at the first split that is not
            significant; there is no family to adjust over). Present so tables and plots treat
            every detection alike.
        statistic: The energy statistic ``T`` of the split.
        order: 0 for the first split accepted, 1 for the next, …
        kind: Always ``'distribution'``: E-divisive detects any change of distribution.
    """

    index: int
    before: float
    after: float
    magnitude: float
    p_value: float
    p_adjusted: float
    statistic: float
    order: int
    kind: str


@dataclass(frozen=True, repr=False)
class EDivisiveDetection(Result, Plottable):
    """Result of :func:`shiftwatch.detect` with ``method='edivisive'``; ``to_dict()`` equals
    ``shiftwatch detect --method edivisive --format json`` without ``file``, ``column`` and the
    change points' ``time``.

    Attributes:
        change_points: Accepted change points, in index order.
        n: Number of values.
        min_size: Minimum segment length.
        alpha: Level of each permutation test.
        permutations: Permutations per test.
        seed: Seed of the permutations.
        p_value_rule: ``'add-one'`` (``(1 + b)/(1 + P)``) or ``'spa'`` (``b/(1 + P)``).
        rejected: The split at which the search stopped (``index``, ``statistic``,
            ``p_value``, ``order``), or ``None`` when no split was left to test.
    """

    change_points: tuple[EDivisiveChangePoint, ...]
    n: int
    min_size: int
    alpha: float
    permutations: int
    seed: int
    p_value_rule: str
    rejected: dict[str, Any] | None
    _raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    method = "edivisive"

    def to_dict(self) -> dict[str, Any]:
        """The core's report, as the CLI writes it (NaN/±∞ as ``None``).

        Returns:
            A JSON-serialisable dict.

        Examples:
            >>> import shiftwatch
            >>> noise = [0.0, 0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.0] * 4
            >>> x = noise + [2.0 + e for e in noise]
            >>> shiftwatch.detect(x, method="edivisive").to_dict()["method"]
            'edivisive'
        """
        out = json_compatible(self._raw)
        assert isinstance(out, dict)
        return out

    def to_polars(self) -> polars.DataFrame:
        """One row per change point (polars is imported here, only when called).

        Returns:
            A ``polars.DataFrame`` with columns ``index``, ``time`` (when the input had a time
            axis), ``before``, ``after``, ``magnitude``, ``p_value``, ``statistic``, ``order``.

        Examples:
            >>> import shiftwatch
            >>> noise = [0.0, 0.3, -0.2, 0.1, -0.3, 0.2, -0.1, 0.0] * 4
            >>> x = noise + [2.0 + e for e in noise]
            >>> shiftwatch.detect(x, method="edivisive").to_polars()["index"].to_list()
            [32]
        """
        return self._polars(
            {"index": "Int64", "before": "Float64", "after": "Float64", "magnitude": "Float64",
             "p_value": "Float64", "statistic": "Float64", "order": "Int64"}
        )

    def _repr_html_(self) -> str:
        return detection_html(
            self, f"E-divisive: n={self.n}, {self.permutations} permutations, "
            f"level {self.alpha}, min size {self.min_size}"
        )

    def __repr__(self) -> str:
        cps = ", ".join(
            f"{c.index} ({c.before:.4g}→{c.after:.4g}, p={c.p_value:.2g})"
            for c in self.change_points[:8]
        )
        if len(self.change_points) > 8:
            cps += f", … ({len(self.change_points)} in all)"
        k = len(self.change_points)
        return (
            f"EDivisiveDetection(n={self.n}, {k} change point{'' if k == 1 else 's'}: [{cps}], "
            f"permutations={self.permutations}, alpha={self.alpha}, min_size={self.min_size}, "
            f"seed={self.seed})"
        )


def e_divisive(
    x: np.ndarray, *, min_size: int, permutations: int, alpha: float, seed: int,
    p_value_rule: str, exponent: float = 1.0, progress: bool | None = None,
) -> EDivisiveDetection:
    """Runs the engine on a float64 array; wraps the core's report (levels included)."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(
            f"alpha (the level of each permutation test) must lie in (0, 1), got {alpha}"
        )
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    with progress_bar(progress, "E-divisive permutations") as update:
        r = _native.e_divisive(
            x, int(min_size), int(permutations), float(alpha), int(seed), str(p_value_rule),
            float(exponent), update,
        )
    cps = tuple(
        EDivisiveChangePoint(
            index=int(c["index"]), before=float(c["before"]), after=float(c["after"]),
            magnitude=float(c["after"]) - float(c["before"]), p_value=float(c["p_value"]),
            p_adjusted=float(c["p_value"]), statistic=float(c["statistic"]),
            order=int(c["order"]), kind=str(c["kind"]),
        )
        for c in r["change_points"]
    )
    rejected = r["rejected"]
    return EDivisiveDetection(
        change_points=cps, n=int(r["n"]), min_size=int(r["min_size"]),
        alpha=float(r["alpha"]), permutations=int(r["permutations"]),
        seed=int(r["seed"]), p_value_rule=str(r["p_value_rule"]),
        rejected=None if rejected is None else dict(rejected), _raw=r,
    )
