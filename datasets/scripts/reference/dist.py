"""Reference values for distributions and special functions (scipy.stats / scipy.special).

Writes ``datasets/reference/dist.json``: one group per Rust function, each with argument tuples
and scipy's values over a dense grid that includes the far tails. Run with
``python datasets/scripts/reference/dist.py``.

Each row is ``[args..., scipy value, mpmath value]`` (all as decimal strings, so the Rust
side parses them exactly). The mpmath value (30 significant digits) is the ground truth the
Rust test asserts against; the scipy value is kept so the test can report where scipy itself
is off (e.g. ``scipy.stats.poisson.sf(1010005, 1e6)`` is wrong by 2.6e-10, ``betaln(0.01, 1e5)``
by 6e-11). ``mpmath`` is not in the development virtualenv: run with
``PYTHONPATH=<a venv with mpmath>/lib/python3.11/site-packages python dist.py``.
"""

from __future__ import annotations

import math
import sys
import warnings

import numpy as np
from scipy import special as sc
from scipy import stats

import mpmath as mp

from _common import clean, write

mp.mp.dps = 30
groups: dict[str, list] = {}
TRUTH = {}


def truth(name):
    def deco(f):
        TRUTH[name] = f
        return f
    return deco


def add(name, fn, args):
    print(f"  {name}", file=sys.stderr, flush=True)
    out = groups.setdefault(name, [])
    for a in args:
        v = float(fn(*a))
        if math.isnan(v):
            continue
        try:
            t = float(TRUTH[name](*[mp.mpf(float(x)) for x in a], v))
        except (ZeroDivisionError, ValueError, TypeError, mp.libmp.NoConvergence):
            t = float("nan")
        ref = t if not math.isnan(t) else v
        if ref != 0.0 and abs(ref) < 1e-290:  # subnormal territory: not a meaningful relative test
            continue
        out.append([repr(float(x)) for x in a] + [repr(v), repr(t)])


def mp_ibeta(a, b, x, complement=False):
    """I_x(a, b) (or its complement) at 40 digits by the continued fraction (modified Lentz).

    ``mpmath.betainc`` goes through 2F1 and takes minutes (or fails) for a, b ~ 1e5; this is the
    textbook fraction evaluated in multiprecision, cross-checked against ``mpmath.betainc`` on
    moderate arguments below.
    """
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    if x <= 0:
        return mp.mpf(int(complement))
    if x >= 1:
        return mp.mpf(1 - int(complement))
    with mp.workdps(45):
        y = 1 - x
        front = mp.exp(a * mp.log(x) + b * mp.log(y) - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)))

        def cf(a, b, x):
            tiny = mp.mpf(10) ** -300
            c, d = mp.mpf(1), 1 - (a + b) * x / (a + 1)
            d = 1 / (d if abs(d) > tiny else tiny)
            h = d
            for m in range(1, 200_000):
                for aa in (m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m)),
                           -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m))):
                    d = 1 + aa * d
                    d = 1 / (d if abs(d) > tiny else tiny)
                    c = 1 + aa / c
                    c = c if abs(c) > tiny else tiny
                    h *= d * c
                if abs(d * c - 1) < mp.mpf(10) ** -42:
                    return h
            raise mp.libmp.NoConvergence

        if x * (a + b + 2) < a + 1:
            i = front * cf(a, b, x) / a
            return +(1 - i if complement else i)
        ic = front * cf(b, a, y) / b
        return +(ic if complement else 1 - ic)


for _a, _b, _x in [(0.5, 0.5, 0.3), (3, 40, 0.1), (40, 3, 0.99), (0.05, 2.5, 1e-4), (300, 200, 0.61)]:
    for _c in (False, True):
        _want = mp.betainc(_a, _b, _x, 1, regularized=True) if _c else mp.betainc(_a, _b, 0, _x, regularized=True)
        assert abs(mp_ibeta(_a, _b, _x, _c) / _want - 1) < mp.mpf(10) ** -25, (_a, _b, _x, _c)


def root(f, x0):
    r = mp.findroot(f, mp.mpf(x0), tol=mp.mpf(10) ** -28)
    if isinstance(r, mp.mpc) or abs(f(r)) > mp.mpf(10) ** -25 * max(1, abs(f(mp.mpf(x0)))):
        return mp.nan
    return r


def tsf(x, df):
    z = df / (df + x * x)
    half = mp_ibeta(df / 2, mp.mpf(1) / 2, z) / 2
    return half if x > 0 else 1 - half


truth("norm_cdf")(lambda x, v: mp.ncdf(x))
truth("norm_sf")(lambda x, v: mp.ncdf(-x))
truth("norm_ppf")(lambda p, v: root(lambda x: mp.ncdf(x) - p, v) if 0 < p < 1 else mp.mpf(v))
truth("norm_isf")(lambda p, v: root(lambda x: mp.ncdf(-x) - p, v) if 0 < p < 1 else mp.mpf(v))
truth("t_cdf")(lambda x, d, v: tsf(-x, d) if x != 0 else mp.mpf(0.5))
truth("t_sf")(lambda x, d, v: tsf(x, d) if x != 0 else mp.mpf(0.5))
truth("t_ppf")(lambda p, d, v: -root(lambda t: tsf(t, d) - p, -v) if p != 0.5 else mp.mpf(0))
truth("chi2_cdf")(lambda x, d, v: mp.gammainc(d / 2, 0, x / 2, regularized=True))
truth("chi2_sf")(lambda x, d, v: mp.gammainc(d / 2, x / 2, mp.inf, regularized=True))
truth("f_sf")(lambda x, n, d, v: mp_ibeta(d / 2, n / 2, d / (d + n * x)))
truth("beta_cdf")(lambda x, a, b, v: mp_ibeta(a, b, x))
truth("beta_ppf")(lambda p, a, b, v: root(lambda x: mp_ibeta(a, b, x) - p, v))
truth("binom_pmf")(lambda k, n, p, v: mp.binomial(n, k) * p ** k * (1 - p) ** (n - k))
truth("binom_cdf")(lambda k, n, p, v: mp_ibeta(k + 1, n - k, p, complement=True) if k < n else mp.mpf(1))
truth("binom_sf")(lambda k, n, p, v: mp_ibeta(k + 1, n - k, p) if k < n else mp.mpf(0))
def mp_gammainc(a, lo, hi):
    """mpmath's incomplete gamma. No rows beyond a = 2.5e6: mpmath takes minutes there, and
    scipy is no reference (``gammainc(1e9, 0.999e9)`` is off by 15 %, ``poisson.sf`` 10 sd
    above mu = 1e9 by a factor 2); the Rust unit tests check that range against Edgeworth
    expansions instead."""
    return mp.gammainc(a, lo, hi, regularized=True)


truth("poisson_cdf")(lambda k, mu, v: mp_gammainc(k + 1, mu, mp.inf))
truth("poisson_sf")(lambda k, mu, v: mp_gammainc(k + 1, 0, mu))
truth("erf")(lambda x, v: mp.erf(x))
truth("erfc")(lambda x, v: mp.erfc(x))
truth("ln_gamma")(lambda x, v: mp.loggamma(x))
truth("ln_beta")(lambda a, b, v: mp.log(mp.beta(a, b)))
truth("inc_beta")(lambda x, a, b, v: mp_ibeta(a, b, x))
truth("inc_beta_c")(lambda x, a, b, v: mp_ibeta(a, b, x, complement=True))
truth("inc_beta_inv")(lambda p, a, b, v: root(lambda x: mp_ibeta(a, b, x) - p, v))
truth("gamma_p")(lambda a, x, v: mp_gammainc(a, 0, x))
truth("gamma_q")(lambda a, x, v: mp_gammainc(a, x, mp.inf))
truth("ln_choose")(lambda n, k, v: mp.log(mp.binomial(n, k)))


xs = np.concatenate([np.linspace(-38, 38, 153), [-1e-8, 1e-8, 0.3, -0.7, 1.4, -8.5, 30.0]])
add("norm_cdf", stats.norm.cdf, [(x,) for x in xs])
add("norm_sf", stats.norm.sf, [(x,) for x in xs])
ps = np.concatenate([np.logspace(-300, -1, 120), np.linspace(0.01, 0.99, 99), [0.5, 0.975, 0.995]])
ps = np.concatenate([ps, 1 - np.logspace(-16, -1, 40)])
add("norm_ppf", stats.norm.ppf, [(p,) for p in ps])
add("norm_isf", stats.norm.isf, [(p,) for p in ps])

dfs = [0.3, 0.5, 1.0, 1.5, 2.0, 3.0, 4.7, 7.0, 10.0, 29.3, 100.0, 1234.5, 1e4, 1e6]
tx = np.concatenate([np.linspace(-60, 60, 61), [-1e-6, 1e-6, 0.05, 0.5, -1.3, 2.2, 40.0, 1e3, 1e6]])
add("t_cdf", stats.t.cdf, [(x, d) for d in dfs for x in tx])
add("t_sf", stats.t.sf, [(x, d) for d in dfs for x in tx])
tp = np.concatenate([np.logspace(-30, -1, 30), [0.2, 0.3, 0.45, 0.5, 0.55, 0.7, 0.9, 0.95, 0.975, 0.999, 1 - 1e-9]])
add("t_ppf", stats.t.ppf, [(p, d) for d in dfs for p in tp])

cdfs = [0.2, 0.5, 1.0, 2.0, 3.0, 7.5, 10.0, 55.5, 100.0, 1000.0, 1e4]
mult = [1e-4, 1e-2, 0.1, 0.3, 0.5, 0.8, 0.95, 1.0, 1.05, 1.3, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0]
add("chi2_cdf", stats.chi2.cdf, [(m * d, d) for d in cdfs for m in mult] + [(1000.0, 10.0)])
add("chi2_sf", stats.chi2.sf, [(m * d, d) for d in cdfs for m in mult] + [(1000.0, 10.0)])

fd = [0.5, 1.0, 2.0, 5.0, 13.0, 60.0, 500.0, 1e4]
fx = [1e-3, 0.1, 0.5, 0.9, 1.0, 1.2, 2.0, 4.0, 10.0, 100.0, 1e4]
add("f_sf", stats.f.sf, [(x, n, d) for n in fd for d in fd for x in fx])

ab = [0.05, 0.5, 1.0, 2.5, 10.0, 47.0, 300.0, 5000.0]
bx = [1e-10, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.9999]
add("beta_cdf", stats.beta.cdf, [(x, a, b) for a in ab for b in ab for x in bx])
bp = [1e-12, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99]
add("beta_ppf", stats.beta.ppf, [(p, a, b) for a in ab for b in ab for p in bp])

rng = np.random.default_rng(20261125)
bin_args = []
for n in [1, 2, 3, 5, 10, 20, 50, 100, 1000, 10_000, 1_000_000]:
    for p in [1e-6, 0.001, 0.05, 0.3, 0.5, 0.77, 0.999]:
        ks = sorted({0, 1, n // 2, n - 1, n, int(n * p), *rng.integers(0, n + 1, 4).tolist()})
        bin_args += [(k, n, p) for k in ks if 0 <= k <= n]
add("binom_pmf", stats.binom.pmf, bin_args)
add("binom_cdf", stats.binom.cdf, bin_args)
add("binom_sf", stats.binom.sf, bin_args)

poi_args = []
for mu in [1e-3, 0.1, 0.9, 3.0, 10.0, 47.5, 300.0, 1e4, 1e6, 2e6]:
    ks = sorted({0, 1, 2, int(mu), int(mu) + 1, int(mu * 2) + 3, int(mu / 3), int(mu + 10 * math.sqrt(mu)) + 5})
    poi_args += [(k, mu) for k in ks]
add("poisson_cdf", stats.poisson.cdf, poi_args)
add("poisson_sf", stats.poisson.sf, poi_args)

ex = np.concatenate([np.linspace(-6, 6, 49), [1e-10, -1e-300, 0.01, 10.0, 20.0, 26.5]])
add("erf", sc.erf, [(x,) for x in ex])
add("erfc", sc.erfc, [(x,) for x in ex])
gx = [1e-8, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.3, 10.0, 100.5, 1e4, 1e7]
add("ln_gamma", sc.gammaln, [(x,) for x in gx])
lb = [0.01, 0.5, 1.0, 3.0, 9.9, 10.0, 50.0, 1e3, 1e5]
add("ln_beta", sc.betaln, [(a, b) for a in lb for b in lb])
add("inc_beta", lambda x, a, b: sc.betainc(a, b, x), [(x, a, b) for a in ab for b in ab for x in bx])
add("inc_beta_c", lambda x, a, b: sc.betaincc(a, b, x), [(x, a, b) for a in ab for b in ab for x in bx])
add("inc_beta_inv", lambda p, a, b: sc.betaincinv(a, b, p), [(p, a, b) for a in ab for b in ab for p in bp])
ga = [0.01, 0.5, 1.0, 2.0, 5.0, 10.5, 30.0, 100.0, 1e3, 1e5, 2e6]
mult = mult + [0.99, 0.999, 1.001, 1.01]
add("gamma_p", sc.gammainc, [(a, m * a) for a in ga for m in mult])
add("gamma_q", sc.gammaincc, [(a, m * a) for a in ga for m in mult])
ch = [(n, k) for n in [1, 2, 10, 57, 1000, 10_000, 1_000_000] for k in {0, 1, n // 3, n // 2, n - 1, n}]
add("ln_choose", lambda n, k: math.log(math.comb(int(n), int(k))) if 0 < k < n else 0.0, ch)

# ---------------------------------------------------------------------------------------------
# Tests: t-tests and Brunner–Munzel on shared two-sample data sets; Poisson rate ratio.


def short(v):
    """4 significant digits: keeps the JSON small; the data are exactly what scipy saw."""
    return float(f"{v:.4g}")


def draw(kind, n, shift, rng):
    if kind == "normal":
        x = rng.normal(shift, 1.0, n)
    elif kind == "scale":  # different spread
        x = rng.normal(shift, rng.choice([0.1, 3.0, 30.0]), n)
    elif kind == "lognormal":
        x = rng.lognormal(shift, 1.0, n)
    elif kind == "cauchy":
        x = rng.standard_cauchy(n) + shift
    elif kind == "t2":
        x = rng.standard_t(2, n) + shift
    elif kind == "ties":  # few distinct values
        x = rng.integers(0, 5, n) + round(shift)
    elif kind == "binary":
        x = (rng.random(n) < 0.5 + 0.1 * shift).astype(float)
    else:  # exponential latencies in ms
        x = rng.exponential(100.0 * (1 + 0.1 * shift), n)
    return [short(v) for v in np.asarray(x, dtype=float)]


KINDS = ["normal", "scale", "lognormal", "cauchy", "t2", "ties", "binary", "exponential"]
SMALL = [2, 3, 4, 5, 6, 8, 10, 13, 20, 30, 50, 80, 150, 300]
ALTS = ["two-sided", "less", "greater"]
srng = np.random.default_rng(7)
samples = []
for i in range(330):
    kind = KINDS[i % len(KINDS)]
    if i < 4:
        n1, n2 = 10_000, 10_000 if i % 2 == 0 else 7_000
    elif i < 12:
        n1, n2 = 1000, 1000 if i % 2 == 0 else 1500
    else:
        n1 = int(srng.choice(SMALL))
        n2 = n1 if i % 2 == 0 else int(srng.choice(SMALL))
    shift = float(srng.choice([0.0, 0.0, 0.2, 1.0, 3.0]))
    x = draw(kind, n1, 0.0, srng)
    y = draw(kind, n2, shift, srng)
    level = [0.9, 0.95, 0.99][i % 3]
    case = {"kind": kind, "x": x, "y": y, "level": level, "ttest_ind": [], "ttest_rel": [],
            "ttest_1samp": [], "brunnermunzel": []}
    popmean = short(float(np.mean(x)) + 0.3) if i % 4 else 0.0
    case["popmean"] = popmean
    for alt in ALTS:
        for eq in (True, False):
            if np.var(x) == 0 and np.var(y) == 0:
                continue
            r = stats.ttest_ind(x, y, equal_var=eq, alternative=alt)
            ci = r.confidence_interval(level)
            case["ttest_ind"].append([eq, alt, r.statistic, r.pvalue, r.df, ci.low, ci.high])
        if n1 == n2 and np.var(np.subtract(x, y)) > 0:
            r = stats.ttest_rel(x, y, alternative=alt)
            ci = r.confidence_interval(level)
            case["ttest_rel"].append([alt, r.statistic, r.pvalue, r.df, ci.low, ci.high])
        if np.var(x) > 0:
            r = stats.ttest_1samp(x, popmean, alternative=alt)
            ci = r.confidence_interval(level)
            case["ttest_1samp"].append([alt, r.statistic, r.pvalue, r.df, ci.low, ci.high])
        if len(set(x) | set(y)) > 1:
            for d in ("t", "normal"):
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # complete separation: df = 0/0
                    r = stats.brunnermunzel(x, y, alternative=alt, distribution=d)
                case["brunnermunzel"].append([d, alt, r.statistic, r.pvalue])
    samples.append(case)


def cp_truth(k, n, level, alt):
    """Clopper–Pearson bounds (π, 1-π) with mpmath, independent of scipy's brentq."""
    a = (1 - mp.mpf(level)) / 2 if alt == "two-sided" else 1 - mp.mpf(level)
    def solve(f, x0):
        return mp.findroot(f, (mp.mpf(x0) * (1 - mp.mpf(10) ** -6), mp.mpf(x0) * (1 + mp.mpf(10) ** -6)),
                           solver="secant", tol=mp.mpf(10) ** -28)
    lo = hi = None
    if alt != "less" and k > 0:
        lo = solve(lambda p: mp_ibeta(k, n - k + 1, p) - a,
                   stats.beta.ppf(float(a), k, n - k + 1))
    if alt != "greater" and k < n:
        hi = solve(lambda p: mp_ibeta(k + 1, n - k, p, complement=True) - a,
                   stats.beta.isf(float(a), k + 1, n - k))
    return lo, hi


prng = np.random.default_rng(11)
poisson = []
for i in range(330):
    scale = float(prng.choice([0.5, 3, 20, 100, 1000, 5000]))
    e1 = short(float(prng.uniform(0.2, 5.0)))
    e2 = short(float(prng.uniform(0.2, 5.0)))
    ratio = float(prng.choice([1.0, 1.0, 1.3, 0.5, 4.0]))
    k1 = int(prng.poisson(scale * e1 * ratio))
    k2 = int(prng.poisson(scale * e2))
    if i < 6:
        k1, k2 = [(0, 7), (9, 0), (1, 1), (0, 1), (4000, 4300), (10_000, 100)][i]
    if k1 + k2 == 0:
        k2 = 1
    alt = ALTS[i % 3]
    level = [0.9, 0.95, 0.99][(i // 3) % 3]
    n = k1 + k2
    p0 = e1 / (e1 + e2)
    r = stats.binomtest(k1, n, p0, alternative=alt)
    ci = r.proportion_ci(level, method="exact")
    lo, hi = cp_truth(k1, n, level, alt)
    f = e2 / e1
    exact_lo = float(lo / (1 - lo) * f) if lo is not None else 0.0
    exact_hi = float(hi / (1 - hi) * f) if hi is not None else float("inf")
    scipy_lo = ci.low / (1 - ci.low) * f
    scipy_hi = ci.high / (1 - ci.high) * f if ci.high < 1 else float("inf")
    poisson.append({"k1": k1, "e1": e1, "k2": k2, "e2": e2, "alternative": alt, "level": level,
                    "p_value": r.pvalue, "ci_exact": [exact_lo, exact_hi],
                    "ci_scipy": [scipy_lo, scipy_hi]})

cases = [{"fn": k, "rows": v} for k, v in groups.items()]
write("dist", cases, packages=["numpy", "scipy", "mpmath"],
      note="cases: rows are [args..., scipy, mpmath] as strings; mpmath 'nan' = not computed; "
           "subnormal values are omitted. samples: two-sample data sets (4 significant digits) "
           "with scipy's ttest_ind/ttest_rel/ttest_1samp/brunnermunzel results. poisson: "
           "binomtest p-values; ci_exact = Clopper-Pearson via mpmath, ci_scipy = brentq-based.",
      samples=clean(samples), poisson=clean(poisson))
