"""Reference values for core/tests/reference_dependence.rs.

Sources (independent of shiftwatch):
- acf / lag-1: statsmodels.tsa.stattools.acf(adjusted=False, fft=False)
- long-run variance: arch.covariance.kernel.Bartlett / QuadraticSpectral (.cov.long_run),
  cross-checked against statsmodels.stats.sandwich_covariance.S_hac_simple for integer
  Bartlett bandwidths; prewhitened variant: numpy AR(1) OLS + arch on the residuals
- effective sample size: Geyer's initial monotone sequence, written here in numpy on the
  statsmodels acf
- EWC long-run variance: explicit cosine matrix in numpy
- multiplicity: scipy.stats.false_discovery_control (bh, by) and
  statsmodels.stats.multitest.multipletests (holm, bonferroni)

Run with a Python that has statsmodels and arch (e.g. a venv with
`pip install statsmodels arch` on top of /work/venv): python datasets/scripts/reference/dependence.py
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from arch.covariance.kernel import Bartlett, QuadraticSpectral
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.sandwich_covariance import S_hac_simple
from statsmodels.tsa.stattools import acf

from _common import clean, write

rng = np.random.default_rng(20261125)


def ar1(phi, n, innov):
    e = innov(n + 100)
    x = np.empty(n + 100)
    x[0] = e[0]
    for t in range(1, n + 100):
        x[t] = phi * x[t - 1] + e[t]
    return x[100:]


KINDS = {
    "normal": lambda n: rng.normal(10, 2, n),
    "ar05": lambda n: 5 + ar1(0.5, n, rng.standard_normal),
    "ar09": lambda n: ar1(0.9, n, rng.standard_normal),
    "ar099": lambda n: ar1(0.99, n, rng.standard_normal),
    "ar08_t3": lambda n: ar1(0.8, n, lambda k: rng.standard_t(3, k)),
    "neg": lambda n: ar1(-0.6, n, rng.standard_normal),
    "cauchy": lambda n: rng.standard_cauchy(n),
    "lognormal": lambda n: rng.lognormal(3, 1, n),
    "ties": lambda n: rng.integers(0, 4, n).astype(float),
}

series = []  # list of data arrays (rounded; the references use the rounded values)
for n in [2, 3, 4, 5, 8, 13, 30, 100, 480, 2000, 10000]:
    for kind, gen in KINDS.items():
        if n >= 2000 and kind not in ("ar09", "cauchy", "ar08_t3", "ties"):
            continue
        for _ in range(10):
            x = np.round(gen(n), 3)
            if np.ptp(x) > 0:
                break
        else:
            continue
        series.append({"kind": kind, "x": x})


def geyer_ess(x):
    n = len(x)
    r = acf(x, nlags=n - 1, adjusted=False, fft=False)
    s, prev, m, last = 0.0, np.inf, 0, 0
    while 2 * m + 1 < n:
        pair = r[2 * m] + r[2 * m + 1]
        if pair <= 0:
            break
        pair = min(pair, prev)
        s += pair
        prev = pair
        last = 2 * m + 1
        m += 1
    tau = max(2 * s - 1, 1 / n)
    return min(n / tau, n), tau, last


def lrv(x, kernel, bandwidth, prewhiten):
    c = x - x.mean()
    phi = None
    if prewhiten:
        phi = float(np.dot(c[1:], c[:-1]) / np.dot(c[:-1], c[:-1]))
        phi = min(max(phi, -0.97), 0.97)
        c = c[1:] - phi * c[:-1]
    cls = Bartlett if kernel == "bartlett" else QuadraticSpectral
    est = cls(c, bandwidth=bandwidth)
    value = float(np.squeeze(est.cov.long_run))
    bw = float(est.bandwidth)
    if kernel == "bartlett" and bandwidth is not None and float(bandwidth).is_integer():
        s = float(np.squeeze(S_hac_simple(c - c.mean(), nlags=int(bandwidth)))) / len(c)
        assert abs(s - value) <= 1e-10 * abs(value), (s, value)
    if prewhiten:
        value /= (1 - phi) ** 2
    return value, bw, phi


def ewc(x, nu):
    n = len(x)
    t = np.arange(1, n + 1)
    j = np.arange(1, nu + 1)
    basis = np.sqrt(2 / n) * np.cos(np.pi * np.outer(j, t - 0.5) / n)
    lam = basis @ (x - x.mean())
    return float(np.mean(lam**2))


acf_cases, ess_cases, lrv_cases, ewc_cases, welch_cases = [], [], [], [], []
for i, s in enumerate(series):
    x = s["x"]
    n = len(x)
    for max_lag in sorted({1, min(n - 1, 10), min(n - 1, 40)}):
        acf_cases.append({"series": i, "max_lag": max_lag,
                          "acf": acf(x, nlags=max_lag, adjusted=False, fft=False)})
    ess, tau, last = geyer_ess(x) if n <= 2000 else (None, None, None)
    if ess is not None:
        ess_cases.append({"series": i, "ess": ess, "tau": tau, "max_lag": last})
    for kernel in ["bartlett", "quadratic-spectral"]:
        if kernel == "quadratic-spectral" and n > 2000:
            continue
        for bw in [None, 0.0, 1.0, 3.5, 10.0]:
            if bw is not None and bw >= n - 2:
                continue
            for pw in [False, True]:
                if pw and n < 4:
                    continue
                try:
                    value, used, phi = lrv(x, kernel, bw, pw)
                except (ValueError, ZeroDivisionError):
                    continue
                lrv_cases.append({"series": i, "kernel": kernel, "bandwidth": bw,
                                  "prewhiten": pw, "value": value, "bandwidth_used": used,
                                  "phi": phi})
    if n <= 2000:
        for nu in sorted({1, 2, 5, min(n - 1, 64)}):
            if nu < n:
                ewc_cases.append({"series": i, "nu": nu, "value": ewc(x, nu)})

# Welch-type LRV test on pairs of series of the same kind.
for i in range(0, len(series) - 1):
    a, b = series[i], series[i + 1]
    if len(a["x"]) < 4 or len(b["x"]) < 4:
        continue
    for alt in ["two-sided", "less", "greater"]:
        for kernel, pw in [("bartlett", False), ("bartlett", True)]:
            if kernel == "quadratic-spectral" and max(len(a["x"]), len(b["x"])) > 2000:
                continue
            try:
                vx, _, _ = lrv(a["x"], kernel, None, pw)
                vy, _, _ = lrv(b["x"], kernel, None, pw)
            except (ValueError, ZeroDivisionError):
                continue
            se = np.sqrt(vx / len(a["x"]) + vy / len(b["x"]))
            z = (a["x"].mean() - b["x"].mean()) / se
            p = {"two-sided": 2 * stats.norm.sf(abs(z)), "less": stats.norm.cdf(z),
                 "greater": stats.norm.sf(z)}[alt]
            welch_cases.append({"x": i, "y": i + 1, "alternative": alt, "kernel": kernel,
                                "prewhiten": pw, "statistic": z, "p_value": min(p, 1.0)})

# Multiplicity.
mult_cases = []
for m in [1, 2, 3, 5, 10, 20, 100, 1000]:
    for kind in ["uniform", "mixed", "ties", "extreme"]:
        if kind == "uniform":
            p = rng.uniform(size=m)
        elif kind == "mixed":
            p = np.concatenate([rng.uniform(size=m - m // 3), rng.uniform(0, 1e-4, m // 3)])
        elif kind == "ties":
            p = rng.integers(0, 5, m) / 20.0
        else:
            p = rng.choice([0.0, 1.0, 1e-300, 0.05, 0.5], m)
        p = np.round(p, 12) if kind != "extreme" else p
        case = {"p": p, "bh": stats.false_discovery_control(p, method="bh"),
                "by": stats.false_discovery_control(p, method="by"),
                "holm": multipletests(p, method="holm")[1],
                "bonferroni": multipletests(p, method="bonferroni")[1]}
        mult_cases.append(case)

extra = clean({"series": [{"kind": s["kind"], "x": s["x"]} for s in series], "acf": acf_cases,
               "ess": ess_cases, "lrv": lrv_cases, "ewc": ewc_cases, "lrv_welch": welch_cases,
               "multiplicity": mult_cases})
write("dependence", [], packages=["numpy", "scipy", "statsmodels", "arch"], **extra)
