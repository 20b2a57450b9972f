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

from shiftwatch.stats._common import (
    ConfidenceInterval,
)
from shiftwatch.stats._dependence import (
    EffectiveSampleSize,
    acf,
    effective_sample_size,
    false_discovery_control,
)
from shiftwatch.stats._distribution import (
    Anderson_ksampResult,
    AnsariResult,
    FlignerResult,
    KstestResult,
    anderson_ksamp,
    ansari,
    fligner,
    ks_2samp,
)
from shiftwatch.stats._effects import (
    CliffsDeltaResult,
    HodgesLehmannResult,
    cliffs_delta,
    hodges_lehmann,
)
from shiftwatch.stats._location import (
    BrunnerMunzelResult,
    PoissonRateRatioResult,
    TtestResult,
    brunnermunzel,
    poisson_rate_ratio,
    ttest_1samp,
    ttest_ind,
    ttest_rel,
)
from shiftwatch.stats._rank import (
    MannwhitneyuResult,
    WilcoxonResult,
    mannwhitneyu,
    wilcoxon,
)
from shiftwatch.stats._resampling import (
    BlockLength,
    BootstrapResult,
    PermutationTestResult,
    bootstrap_ci,
    optimal_block_length,
    permutation_test,
)

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
