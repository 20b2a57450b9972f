"""shiftwatch: did the new release regress?

Statistics for comparing service metrics between a baseline and a candidate release:
``shiftwatch.compare`` (the calibrated default comparison) and ``shiftwatch.stats``
(scipy.stats-compatible tests, effect sizes and resampling, computed in Rust).
``shiftwatch.read`` and ``shiftwatch.prepare`` turn metrics exports into tidy polars frames.
"""

from shiftwatch import stats
from shiftwatch._compare import Comparison, SampleSummary, compare
from shiftwatch._io import prepare, read
from shiftwatch._native import InsufficientDataError, __version__

__all__ = [
    "Comparison",
    "InsufficientDataError",
    "SampleSummary",
    "__version__",
    "compare",
    "prepare",
    "read",
    "stats",
]
