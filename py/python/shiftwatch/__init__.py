"""shiftwatch: did the new release regress?

Statistics for comparing service metrics between a baseline and a candidate release:
``shiftwatch.compare`` (the calibrated default comparison), ``shiftwatch.detect`` and
``shiftwatch.crops`` (change points inside one series, or shared by several) and ``shiftwatch.stats``
(scipy.stats-compatible tests, effect sizes and resampling, computed in Rust).
``shiftwatch.read`` and ``shiftwatch.prepare`` turn metrics exports into tidy polars (or pandas)
frames; ``shiftwatch.datasets`` holds small example data. Conventions (which sample is the
baseline, effect signs, ``pvalue``/``p_value``, missing values) are listed in one place: the
"Conventions" section of the package README (py/README.md, the PyPI page).
"""

from shiftwatch import datasets, stats
from shiftwatch._analyze import Report, analyze
from shiftwatch._compare import Comparison, SampleSummary, compare
from shiftwatch._detect import (
    ChangePoint,
    CropsPath,
    Detection,
    MultiChangePoint,
    MultiDetection,
    crops,
    detect,
)
from shiftwatch._edivisive import EDivisiveChangePoint, EDivisiveDetection
from shiftwatch._io import prepare, read
from shiftwatch._native import InsufficientDataError, __version__
from shiftwatch._prometheus import Prometheus, read_prometheus

__all__ = [
    "ChangePoint",
    "Report",
    "analyze",
    "Comparison",
    "CropsPath",
    "Detection",
    "EDivisiveChangePoint",
    "EDivisiveDetection",
    "InsufficientDataError",
    "MultiChangePoint",
    "MultiDetection",
    "Prometheus",
    "SampleSummary",
    "__version__",
    "compare",
    "datasets",
    "crops",
    "detect",
    "prepare",
    "read",
    "read_prometheus",
    "stats",
]
