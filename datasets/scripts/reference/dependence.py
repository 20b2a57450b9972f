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
`pip install statsmodels arch` on top of the development virtualenv): python datasets/scripts/reference/dependence.py
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
# Long memory for the FFT path of the effective sample size (many lags).
series.append({"kind": "ar0999", "x": np.round(ar1(0.999, 2500, rng.standard_normal), 3)})
series.append({"kind": "walk", "x": np.round(np.cumsum(rng.standard_normal(3000)), 3)})


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
    ess, tau, last = geyer_ess(x) if n <= 2000 or s["kind"] in ("ar0999", "walk") else (None, None, None)
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

# compare(): iid mode against scipy's t-tests; the EWC default against a numpy
# re-implementation of the documented algorithm (cosine matrix, scipy.stats.t).
ALT_SCIPY = {"two-sided": "two-sided", "less": "greater", "greater": "less"}  # baseline first


def ewc_har(x, like=None):
    """EWC long-run variance with the data-driven basis size (chosen on `like` if given)."""
    n = len(x)
    c = x - x.mean()
    ss = float(c @ c)
    if ss == 0:
        return 0.0, np.inf, 0.0, 0
    lk = c if like is None else like - like.mean()
    phi_hat = float(lk[1:] @ lk[:-1]) / float(lk @ lk)
    phi = min(max(phi_hat + (1 + 3 * phi_hat) / n, -0.99), 0.995)
    cap = min(64, n - 1)
    lo = min(2, cap)
    if phi <= 0:
        nu = cap
    else:
        cc = (1 + phi * phi - (1 - phi) ** 2 / 0.9) / (2 * phi)
        w = np.arccos(min(max(cc, -1.0), 1.0))
        nu = int(min(max(np.floor(w * n / np.pi), lo), cap))
    return ewc(x, nu) / ratio(phi, nu, n), float(nu), phi, nu


def ratio(phi, nu, n):
    if phi <= 0:
        return 1.0
    w = np.pi * np.arange(1, nu + 1) / n
    return float(np.mean((1 - phi) ** 2 / (1 - 2 * phi * np.cos(w) + phi * phi)))


def t_inf(est, se, df, alpha, alt):
    t = est / se
    if alt == "two-sided":
        p = min(2 * stats.t.sf(abs(t), df), 1.0)
        q = stats.t.ppf(1 - alpha / 2, df)
        ci = (est - q * se, est + q * se)
    elif alt == "less":
        p = stats.t.sf(t, df)
        ci = (est - stats.t.ppf(1 - alpha, df) * se, np.inf)
    else:
        p = stats.t.cdf(t, df)
        ci = (-np.inf, est + stats.t.ppf(1 - alpha, df) * se)
    return p, t, ci


def satt(parts):
    tot = sum(v for v, _ in parts)
    den = sum(v * v / d for v, d in parts if v > 0 and np.isfinite(d))
    return tot * tot / den if den > 0 else np.inf


def loc(x, statistic):
    """(location, variance of the location, df) as documented in compare()."""
    n = len(x)
    om, df, _, _ = ewc_har(x)
    if statistic == "mean":
        return x.mean(), om / n, df
    m = np.median(x)
    psi = np.where(x <= m, 0.5, -0.5)
    op, _, _, _ = ewc_har(psi, like=x)
    q75, q25 = np.percentile(x, [75, 25])
    sd = x.std(ddof=1)
    spread = min(sd, (q75 - q25) / 1.34) if q75 > q25 else sd
    h = 0.9 * spread * n ** -0.2
    f = np.mean(stats.norm.pdf((x - m) / h)) / h
    return m, op / (n * f * f), df


def ewc_compare(b, c, alpha, alt, paired, statistic="mean"):
    if statistic == "median":
        return median_compare(b, c, alpha, alt, paired)
    mb, mc = b.mean(), c.mean()
    r = mc / mb
    if paired is None:
        ob, db, _, _ = ewc_har(b)
        oc, dc, _, _ = ewc_har(c)
        vb, vc = ob / len(b), oc / len(c)
        se = np.sqrt(vb + vc)
        df = satt([(vb, db), (vc, dc)])
        p, t, ci = t_inf(mc - mb, se, df, alpha, alt)
        vrc, vrb = vc / mb**2, r * r * vb / mb**2
        _, _, cir = t_inf(r - 1, np.sqrt(vrc + vrb), satt([(vrb, db), (vrc, dc)]), alpha, alt)
        return dict(p_value=p, statistic=t, df=df, ci_absolute=ci, relative=r - 1, ci_relative=cir)
    n = len(b)
    d = c - b
    od, dd, phid, nud = ewc_har(d)
    p, t, ci = t_inf(mc - mb, np.sqrt(od / n), dd, alpha, alt)
    if paired == "difference":
        z = c - r * b
        oz = ewc(z, nud) / ratio(phid, nud, n)
        _, _, cir = t_inf(r - 1, np.sqrt(oz / n) / abs(mb), dd, alpha, alt)
        return dict(p_value=p, statistic=t, df=dd, ci_absolute=ci, relative=r - 1, ci_relative=cir)
    lr = np.log(c / b)
    ol, dl, _, _ = ewc_har(lr)
    pl, tl, cil = t_inf(lr.mean(), np.sqrt(ol / n), dl, alpha, alt)
    return dict(p_value=pl, statistic=tl, df=dl, ci_absolute=ci, relative=np.expm1(lr.mean()),
                ci_relative=(np.expm1(cil[0]), np.expm1(cil[1])))


def median_compare(b, c, alpha, alt, paired):
    mb, vb, db = loc(b, "median")
    if paired is None:
        mc, vc, dc = loc(c, "median")
        r = mc / mb
        se = np.sqrt(vb + vc)
        df = satt([(vb, db), (vc, dc)])
        p, t, ci = t_inf(mc - mb, se, df, alpha, alt)
        vrc, vrb = vc / mb**2, r * r * vb / mb**2
        _, _, cir = t_inf(r - 1, np.sqrt(vrc + vrb), satt([(vrb, db), (vrc, dc)]), alpha, alt)
        return dict(p_value=p, statistic=t, df=df, ci_absolute=ci, relative=r - 1, ci_relative=cir)
    md, vd, dd = loc(c - b, "median")
    p, t, ci = t_inf(md, np.sqrt(vd), dd, alpha, alt)
    if paired == "difference":
        _, _, cir = t_inf(md / mb, np.sqrt(vd) / abs(mb), dd, alpha, alt)
        return dict(p_value=p, statistic=t, df=dd, ci_absolute=ci, relative=md / mb, ci_relative=cir)
    ml, vl, dl = loc(np.log(c / b), "median")
    pl, tl, cil = t_inf(ml, np.sqrt(vl), dl, alpha, alt)
    return dict(p_value=pl, statistic=tl, df=dl, ci_absolute=ci, relative=np.expm1(ml),
                ci_relative=(np.expm1(cil[0]), np.expm1(cil[1])))


def iid_compare(b, c, alpha, alt, paired):
    sa = ALT_SCIPY[alt]
    if paired is None:
        res = stats.ttest_ind(c, b, equal_var=False, alternative=sa)
    elif paired == "difference":
        res = stats.ttest_rel(c, b, alternative=sa)
    else:
        res = stats.ttest_1samp(np.log(c / b), 0.0, alternative=sa)
    ci = res.confidence_interval(1 - alpha)
    out = dict(p_value=res.pvalue, statistic=res.statistic, df=res.df)
    if paired != "log-ratio":
        out["ci_absolute"] = (ci.low, ci.high)
    else:
        out["ci_relative"] = (np.expm1(ci.low), np.expm1(ci.high))
    return out


compare_pairs, compare_cases = [], []
for n in [3, 4, 7, 20, 60, 200, 480, 2000, 10000]:
    for kind, phi, innov in [("ar0", 0.0, rng.standard_normal), ("ar08", 0.8, rng.standard_normal),
                             ("ar095_t3", 0.95, lambda k: rng.standard_t(3, k))]:
        if n == 10000 and kind != "ar08":
            continue
        b = np.round(np.exp(4.6 + 0.1 * ar1(phi, n, innov)), 2)
        c = np.round(np.exp(4.65 + 0.1 * ar1(phi, n, innov)), 2)
        compare_pairs.append({"kind": kind, "baseline": b, "candidate": c})
        k = len(compare_pairs) - 1
        for alt in ["two-sided", "less", "greater"]:
            for paired in [None, "difference", "log-ratio"]:
                for alpha in [0.05, 0.1]:
                    if alpha == 0.1 and alt != "two-sided":
                        continue
                    for st in ["mean", "median"]:
                        compare_cases.append({"pair": k, "method": "ewc", "alternative": alt,
                                              "paired": paired, "alpha": alpha,
                                              "statistic_name": st,
                                              **ewc_compare(b, c, alpha, alt, paired, st)})
                    compare_cases.append({"pair": k, "method": "iid", "alternative": alt,
                                          "paired": paired, "alpha": alpha,
                                          "statistic_name": "mean",
                                          **iid_compare(b, c, alpha, alt, paired)})

extra = clean({"compare_pairs": compare_pairs, "compare": compare_cases,"series": [{"kind": s["kind"], "x": s["x"]} for s in series], "acf": acf_cases,
               "ess": ess_cases, "lrv": lrv_cases, "ewc": ewc_cases, "lrv_welch": welch_cases,
               "multiplicity": mult_cases})
write("dependence", [], packages=["numpy", "scipy", "statsmodels", "arch"], **extra)
