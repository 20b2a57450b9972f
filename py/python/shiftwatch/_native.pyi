# Hand-written stubs of the compiled module, checked by `python -m mypy.stubtest shiftwatch._native`.
# Functions return plain dicts with the engine's field names; `shiftwatch.stats` wraps them.
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["InsufficientDataError", "__version__", "run_cli"]

__version__: str

class InsufficientDataError(ValueError):
    """Not enough usable data for the computation (too few points, or all values equal)."""

def run_cli(argv: list[str]) -> int: ...
