"""Base class of every result: frozen dataclass with ``to_dict()`` and a readable repr."""

from __future__ import annotations

import dataclasses
import html
import math
from typing import Any, Iterator

__all__ = ["Result", "TestResult", "json_compatible", "plain"]


def plain(value: Any) -> Any:
    """Converts a field value to plain Python (dicts, lists, floats, ints, strings, None).

    Examples:
        >>> import numpy as np
        >>> plain({"p": np.float64(0.5), "ns": (1, 2)})
        {'p': 0.5, 'ns': [1, 2]}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    return value


def json_compatible(value: Any) -> Any:
    """A report as the CLI writes it: NaN and ±∞ become ``None`` (serde_json writes them as
    null), everything else unchanged."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_compatible(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_compatible(v) for v in value]
    return value


def _short(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return repr(value)
        return f"{value:.6g}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return repr(value)
    if isinstance(value, (list, tuple)) and len(value) > 6:
        head = ", ".join(_short(v) for v in value[:3])
        return f"[{head}, … ({len(value)} items)]"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_short(v) for v in value)
        if isinstance(value, tuple):
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return f"[{inner}]"
    if isinstance(value, dict) and len(value) > 6:
        return f"{{… {len(value)} keys}}"
    return repr(value)


def _html_value(value: Any) -> str:
    """One cell: intervals as ``[low, high] (level)``, arrays by shape, numbers to 6 digits."""
    if isinstance(value, str):
        return value
    if hasattr(value, "low") and hasattr(value, "high") and hasattr(value, "confidence_level"):
        return (
            f"[{_html_value(value.low)}, {_html_value(value.high)}] "
            f"({_html_value(value.confidence_level * 100)} %)"
        )
    if hasattr(value, "shape") and getattr(value, "ndim", 0) > 0:
        flat = value.ravel()
        head = ", ".join(_short(v.item() if hasattr(v, "item") else v) for v in flat[:4])
        more = ", …" if flat.size > 4 else ""
        return f"array{tuple(value.shape)} [{head}{more}]"
    return _short(value.item() if hasattr(value, "item") else value)


@dataclasses.dataclass(frozen=True, repr=False)
class Result:
    """A frozen result: attribute access, ``to_dict()`` and a compact ``repr``."""

    def to_dict(self) -> dict[str, Any]:
        """Returns the result as plain Python objects (JSON-serialisable apart from NaN/∞).

        Returns:
            A dict with one entry per field, nested results as dicts.

        Examples:
            >>> from shiftwatch import stats
            >>> stats.cliffs_delta([1.0, 2, 3], [4.0, 5, 6]).to_dict()["delta"]
            1.0
        """
        out = plain(self)
        assert isinstance(out, dict)
        return out

    def _repr_html_(self) -> str:
        """A two-column HTML table of the fields (Jupyter's rich display); array fields (from
        ``axis=``) show their shape and first values."""
        rows = []
        for f in dataclasses.fields(self):
            if not f.repr:
                continue
            rows.append(
                f"<tr><th style='text-align:left'>{html.escape(f.name)}</th>"
                f"<td style='text-align:left'>{html.escape(_html_value(getattr(self, f.name)))}"
                "</td></tr>"
            )
        return (
            f"<table><caption>{html.escape(type(self).__name__)}</caption>"
            f"{''.join(rows)}</table>"
        )

    def __repr__(self) -> str:
        parts = []
        for f in dataclasses.fields(self):
            if not f.repr:
                continue
            parts.append(f"{f.name}={_short(getattr(self, f.name))}")
        return f"{type(self).__name__}({', '.join(parts)})"


@dataclasses.dataclass(frozen=True, repr=False)
class TestResult(Result):
    """A hypothesis test's result; unpacks like scipy's: ``statistic, pvalue = result``."""

    __test__ = False  # not a pytest test class

    statistic: float
    pvalue: float

    def __iter__(self) -> Iterator[float]:
        return iter((self.statistic, self.pvalue))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> float:
        return (self.statistic, self.pvalue)[index]
