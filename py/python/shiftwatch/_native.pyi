# Hand-written stubs of the compiled module, checked by
# `python -m mypy.stubtest shiftwatch._native --allowlist py/stubtest-allowlist.txt`.
# Arrays must be 1-D float64 (shiftwatch._convert.as_float64 makes them); contiguous arrays are
# borrowed without a copy. Functions return plain dicts with the engine's field names
# (`p_value`, `ci` = {lo, hi, level}, ...); `shiftwatch.stats` wraps them in result classes.
from collections.abc import Callable
from typing import Any, final

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "InsufficientDataError",
    "ReportHtml",
    "__version__",
    "acf",
    "analyze_columns",
    "analyze_paths",
    "analyze_prometheus",
    "anderson_ksamp",
    "ansari",
    "bootstrap_ci",
    "brunnermunzel",
    "cliffs_delta",
    "compare",
    "crops",
    "detect",
    "detect_multivariate",
    "e_divisive",
    "effective_sample_size",
    "false_discovery_control",
    "fligner",
    "hodges_lehmann",
    "ks_2samp",
    "mannwhitneyu",
    "optimal_block_length",
    "permutation_test",
    "poisson_rate_ratio",
    "prepare",
    "prepare_columns",
    "read",
    "read_prometheus",
    "run_cli",
    "t_ppf",
    "ttest_1samp",
    "ttest_ind",
    "ttest_rel",
    "wilcoxon",
]

_F64 = NDArray[np.float64]
_Dict = dict[str, Any]

__version__: str

class InsufficientDataError(ValueError):
    """Not enough usable data for the computation (too few points, or all values equal)."""

def run_cli(argv: list[str]) -> int: ...

# readers: columnar results {timestamp_ms: int64, value: float64, series: uint32 (index into
# meta), meta: list of per-series dicts, report: read report dict}
def read(
    path: str | None,
    data: bytes | None,
    name: str,
    format: str,
    timezone: str | None,
    metric: str | None,
    target_label: str | None,
    lenient: bool,
    kinds: dict[str, str],
) -> _Dict: ...
def read_prometheus(
    url: str,
    queries: list[str],
    start: str,
    end: str,
    step: str | None,
    ca_file: str | None,
    timeout: str | None,
    retries: int | None,
    target_label: str | None,
    kinds: dict[str, str],
) -> _Dict: ...
def prepare(
    path: str | None,
    data: bytes | None,
    name: str,
    format: str,
    timezone: str | None,
    metric: str | None,
    target_label: str | None,
    lenient: bool,
    kinds: dict[str, str],
    warmup_ms: int,
    quantiles: list[float],
) -> _Dict: ...
def prepare_columns(
    metric: list[str],
    target: list[str],
    labels: list[dict[str, str]],
    kind: list[str],
    series: NDArray[np.uint32],
    timestamp_ms: NDArray[np.int64],
    value: _F64,
    warmup_ms: int,
    quantiles: list[float],
) -> _Dict: ...

# analyze: options is {mode, baseline, candidate, deploy_at, config, preset, alpha, correction,
# warmup, step, seed, series (optional, default False)}; returns {report, table, markdown, junit, html: ReportHtml}
@final
class ReportHtml:
    def page(self) -> str: ...
    def fragment(self) -> str: ...

def analyze_paths(
    paths: list[str], options: _Dict, progress: Callable[[int, int], None] | None = None
) -> _Dict: ...
def analyze_prometheus(
    url: str,
    queries: list[str],
    start: str,
    end: str,
    step: str | None,
    ca_file: str | None,
    timeout: str | None,
    retries: int | None,
    options: _Dict,
    progress: Callable[[int, int], None] | None = None,
) -> _Dict: ...
def analyze_columns(
    metric: list[str],
    target: list[str],
    labels: list[dict[str, str]],
    kind: list[str],
    role: list[str] | None,
    series: NDArray[np.uint32],
    timestamp_ms: NDArray[np.int64],
    value: _F64,
    options: _Dict,
    progress: Callable[[int, int], None] | None = None,
) -> _Dict: ...

# two-sample tests vectorised over rows (scipy's axis=): x, y are C-contiguous 2-D float64
# arrays, one slice per row; the result maps each field of the engine's result (nested ones
# dotted, e.g. "n.n_x") to a float64 array (numbers, NaN for a propagated NaN row) or a list.
def mannwhitneyu(
    x: _F64, y: _F64, use_continuity: bool, alternative: str, method: str, nan_policy: str
) -> _Dict: ...
def wilcoxon(
    x: _F64,
    y: _F64 | None,
    zero_method: str,
    correction: bool,
    alternative: str,
    method: str,
    nan_policy: str,
) -> _Dict: ...
def ttest_ind(
    x: _F64,
    y: _F64,
    equal_var: bool,
    alternative: str,
    confidence_level: float,
    nan_policy: str,
) -> _Dict: ...
def ttest_rel(
    x: _F64, y: _F64, alternative: str, confidence_level: float, nan_policy: str
) -> _Dict: ...
def ttest_1samp(
    x: _F64, popmean: float, alternative: str, confidence_level: float, nan_policy: str
) -> _Dict: ...
def brunnermunzel(
    x: _F64, y: _F64, alternative: str, distribution: str, nan_policy: str
) -> _Dict: ...

# Poisson rates, t quantiles
def poisson_rate_ratio(
    k1: int,
    exposure1: float,
    k2: int,
    exposure2: float,
    alternative: str,
    confidence_level: float,
) -> _Dict: ...
def t_ppf(p: float, df: float) -> float: ...

# distribution tests
def ks_2samp(x: _F64, y: _F64, alternative: str, method: str, nan_policy: str) -> _Dict: ...
def ansari(x: _F64, y: _F64, alternative: str, nan_policy: str) -> _Dict: ...
def fligner(samples: list[_F64], center: str, nan_policy: str) -> _Dict: ...
def anderson_ksamp(samples: list[_F64], midrank: bool) -> _Dict: ...

# resampling and effect sizes
def bootstrap_ci(
    x: _F64,
    y: _F64,
    statistic: str,
    q: float,
    n_resamples: int,
    confidence_level: float,
    alternative: str,
    method: str,
    scheme: str,
    block_len: float | None,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> _Dict: ...
def permutation_test(
    x: _F64,
    y: _F64,
    statistic: str,
    q: float,
    n_resamples: int,
    alternative: str,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> _Dict: ...
def optimal_block_length(x: _F64) -> _Dict: ...
def hodges_lehmann(
    x: _F64, y: _F64, confidence_level: float, alternative: str, method: str
) -> _Dict: ...
def cliffs_delta(x: _F64, y: _F64, confidence_level: float) -> _Dict: ...

# comparison, multiplicity, dependence
def compare(
    baseline: _F64,
    candidate: _F64,
    paired: str | None,
    alpha: float,
    alternative: str,
    statistic: str,
    method: str,
    direction: str | None = None,
    omit: bool = False,
) -> _Dict: ...
def false_discovery_control(ps: _F64, method: str) -> list[float]: ...
def acf(x: _F64, max_lag: int) -> _Dict: ...
def effective_sample_size(x: _F64) -> _Dict: ...

# change points
def detect(
    values: _F64, method: str, cost: str, penalty: str, min_size: int, alpha: float
) -> _Dict: ...
def detect_multivariate(
    columns: list[_F64],
    method: str,
    cost: str,
    penalty: str,
    min_size: int,
    alpha: float,
    names: list[str] | None = None,
) -> _Dict: ...
def e_divisive(
    values: _F64,
    min_size: int,
    permutations: int,
    alpha: float,
    seed: int,
    p_value_rule: str,
    exponent: float,
    progress: Callable[[int, int], None] | None = None,
) -> _Dict: ...
def crops(
    values: _F64,
    penalty_min: float,
    penalty_max: float,
    cost: str,
    method: str,
    min_size: int,
    progress: Callable[[int, int], None] | None = None,
) -> _Dict: ...
