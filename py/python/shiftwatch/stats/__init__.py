"""scipy.stats-compatible two-sample statistics, computed by the shiftwatch engine.

Signatures, defaults and result attribute names follow ``scipy.stats`` (``statistic``,
``pvalue``, ``df``, ``confidence_interval()``…) so that ``from shiftwatch import stats``
can replace ``from scipy import stats`` for the functions below. Results are frozen
dataclasses with ``to_dict()``; test results unpack like scipy's (``stat, p = result``).

The two-sample tests ``mannwhitneyu``, ``wilcoxon``, ``ttest_ind``, ``ttest_rel``,
``ttest_1samp``, ``brunnermunzel``, ``ks_2samp`` and ``ansari`` take n-D arrays with scipy's
``axis=`` (default 0; ``None`` ravels) and ``keepdims=``: every slice is tested in one native call
(no Python loop), the other axes broadcast as in scipy, and each result field is an array of the
batch shape. ±∞ are ranked by the rank tests and give NaN in the t-tests, as in scipy. Masked
values of numpy masked arrays are dropped, as scipy does.

Departures from scipy:

* NaN handling: ``nan_policy='raise'`` is the default (scipy's is ``'propagate'``), so a NaN
  raises ``ValueError`` naming its index (and, with ``axis=``, its slice); ``'omit'`` drops
  NaNs; ``'propagate'`` (NaN results for the slices with a NaN) is accepted by the tests with
  ``axis=`` above. The other functions take 1-D samples and no ``axis``.
* Too little data (empty, one value where two are needed, all values equal where the
  statistic is undefined) raises :class:`shiftwatch.InsufficientDataError` (a ``ValueError``)
  instead of returning NaN with a warning; where scipy answers with a number (e.g.
  ``mannwhitneyu`` or ``ks_2samp`` on identical constant samples: p = 1) so does shiftwatch.
  ``wilcoxon`` (all differences zero), ``ansari`` and ``brunnermunzel`` on constant samples
  raise: scipy's answers there depend on incidental options (p = 1, NaN or 0.25 for the same
  all-zero differences) or are NaN.
* Conventions shared with the rest of shiftwatch (effect signs, spellings) are listed in the
  package README's "Conventions" section.
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
