"""Reference E-divisive runs from signal-processing-algorithms (SPA), MongoDB's implementation.

Runs SPA's *real* public ``e_divisive(series, pvalue, permutations)`` (its C extension computes
the distance matrix and the T curves) on MongoDB's ``robust_series`` / ``real_series`` and on
seeded signals (steps, a variance change, heavy tails, ties, no change; n 50..2000), with
``np.random.seed(seed)`` before each run, and records per case:

- ``change_points``: what the public API returned, in the order found;
- ``trace``: every step of the divisive search, including the final non-significant one:
  the best split ``index`` (0-based first sample of the new segment), its statistic
  ``statistic`` (SPA's T = n m/(n+m) e), SPA's permutation p-value ``p_value``
  (= #{T_perm >= T} / (permutations + 1), SPA's rule) and ``significant``
  (p_value <= pvalue). The trace drives SPA's own ``_get_next_significant_change_point`` with
  the same global numpy RNG as the public call; the p-value is recovered by replaying that
  step's permutations from the saved RNG state with SPA's ``_calculate_t_stats`` (the same
  code and random draws), and the script checks that the trace reproduces the public result;
- ``greedy`` (smaller cases): the first steps of the search with every split accepted
  (``pvalue=1, permutations=0``), i.e. the deterministic sequence of best splits and their T.

SPA's conventions (read from its source, energy_statistics.py and e_divisive.c, 2.1.6):
α = 1 (Euclidean distance, no exponent option); no minimum segment size (any τ in 1..len-1 of a
segment, i.e. min_size = 1); argmax takes the first maximum (within a segment, and across
segments in position order); permutations shuffle the values within each current segment and
take the maximum T over all segments; a split is kept when #{T_perm >= T}/(permutations + 1)
<= pvalue; the search stops at the first split that is not significant.

Run (needs the SPA virtualenv from bench/peers_env.sh; writes datasets/reference/changepoint_spa.json):
    eval "$(bench/peers_env.sh)" && "$SPA_PYTHON" datasets/scripts/reference/changepoint_spa.py
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
from pathlib import Path

import numpy as np
from more_itertools import pairwise
from signal_processing_algorithms.energy_statistics import energy_statistics as spa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import draw_noise, write  # noqa: E402

SPA_DATA = Path(__file__).resolve().parents[3].parent / "shared/datasets/external/mongodb-signal-processing-algorithms"


def replay_p_value(distances, change_points, statistic, permutations):
    """SPA's permutation loop of _get_next_significant_change_point, verbatim, returning the
    count instead of the decision (called with the RNG state that SPA's call started from)."""
    windows = [0] + sorted(change_points) + [len(distances)]
    better_num = 0
    for _ in range(permutations):
        permute_t = []
        for a, b in pairwise(windows):
            row_indices = np.arange(b - a) + a
            np.random.shuffle(row_indices)
            shuffled = distances[np.ix_(row_indices, row_indices)]
            permute_t.append(max(spa._calculate_t_stats(shuffled)))
        if max(permute_t) >= statistic:
            better_num += 1
    return better_num / (permutations + 1)


def best_candidate(memo, change_points, n):
    windows = [0] + sorted(change_points) + [n]
    return max((memo[w] for w in pairwise(windows)), key=lambda c: c[1])


def trace(x, pvalue, permutations, seed):
    """The public e_divisive's steps, with statistics and p-values."""
    series = spa._get_valid_input(x)
    distances = spa._get_distance_matrix(series)
    n = len(distances)
    np.random.seed(seed)
    memo, cps, steps = {}, [], []
    while True:
        state = np.random.get_state()
        found = spa._get_next_significant_change_point(distances, cps, memo, pvalue, permutations)
        after = np.random.get_state()
        index, statistic = best_candidate(memo, cps, n)
        np.random.set_state(state)
        p = replay_p_value(distances, cps, statistic, permutations)
        np.random.set_state(after)
        significant = p <= pvalue
        assert (found is not None) == significant, (found, p)
        steps.append({"index": int(index), "statistic": float(statistic), "p_value": p,
                      "significant": significant})
        if not found:  # SPA's `while cp := ...` also stops at a (never significant) split at 0
            break
        assert found == index
        cps.append(found)
    return cps, steps


def greedy(x, steps):
    series = spa._get_valid_input(x)
    distances = spa._get_distance_matrix(series)
    memo, cps, out = {}, [], []
    for _ in range(steps):
        found = spa._get_next_significant_change_point(distances, cps, memo, 1.0, 0)
        if not found:
            break
        index, statistic = best_candidate(memo, cps, len(distances))
        assert index == found
        out.append({"index": int(index), "statistic": float(statistic)})
        cps.append(found)
    return out


def signals():
    rng = np.random.default_rng(20261125)

    def steps(lengths, levels, scale=1.0, noise="gauss"):
        mean = np.repeat(levels, lengths)
        n = len(mean)
        e = draw_noise(rng, noise, n)
        return np.round(mean + scale * e, 4)

    out = {}
    for name in ["robust_series", "real_series"]:
        out[name] = np.asarray(json.loads((SPA_DATA / f"{name}.json").read_text()), dtype=float)
    out["step_n50"] = steps([25, 25], [0.0, 2.0])
    out["step_n200"] = steps([120, 80], [0.0, 1.0])
    out["three_steps_n500"] = steps([150, 100, 150, 100], [0.0, 1.5, -0.5, 1.0])
    out["variance_n400"] = steps([200, 200], [0.0, 0.0]) * np.repeat([1.0, 3.0], [200, 200])
    out["variance_n400"] = np.round(out["variance_n400"], 4)
    out["cauchy_step_n300"] = steps([150, 150], [0.0, 3.0], noise="cauchy")
    out["lognormal_steps_n300"] = steps([100, 100, 100], [0.0, 2.0, 0.5], noise="lognormal")
    out["ties_step_n150"] = np.repeat([0.0, 2.0], [70, 80]) + rng.integers(0, 4, 150)
    out["no_change_n100"] = steps([100], [0.0])
    out["no_change_n1000"] = steps([1000], [0.0])
    out["steps_n1000"] = steps([300, 200, 250, 250], [0.0, 1.0, 0.0, 2.0])
    out["steps_n2000"] = steps([700, 600, 700], [0.0, 1.0, 0.2])
    return out


def main():
    cases = []
    settings = [(99, 0.05), (100, 0.05), (199, 0.01), (99, 0.1)]
    for k, (name, x) in enumerate(signals().items()):
        permutations, pvalue = settings[k % len(settings)] if len(x) < 1000 else (99, 0.05)
        seed = 1000 + k
        np.random.seed(seed)
        public = spa.e_divisive(x, pvalue=pvalue, permutations=permutations)
        cps, steps = trace(x, pvalue, permutations, seed)
        assert [int(c) for c in public] == cps, (name, public, cps)
        case = {"name": name, "x": x.tolist(), "pvalue": pvalue, "permutations": permutations,
                "seed": seed, "change_points": cps, "trace": steps}
        if len(x) <= 500:
            case["greedy"] = greedy(x, 12)
        print(f"{name}: n={len(x)} change points {cps} "
              f"p-values {[round(s['p_value'], 3) for s in steps]}", flush=True)
        cases.append(case)
    versions = {pkg: importlib.metadata.version(pkg)
                for pkg in ["signal-processing-algorithms", "numpy", "more-itertools"]}
    versions["c_extension_loaded"] = bool(spa.C_EXTENSION_LOADED)
    write("changepoint_spa", cases, packages=["numpy"], peer_versions=versions,
          conventions="SPA 2.1.6: alpha=1, min_size=1, p=#{T_perm>=T}/(permutations+1), "
                      "first argmax, stop at the first non-significant split")


if __name__ == "__main__":
    main()
