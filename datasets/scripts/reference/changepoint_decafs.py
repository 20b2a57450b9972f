"""Reference for `changepoint::decafs` (Romano, Rigaill, Runge & Fearnhead, JASA 2022).

Written from the model, independently of the Rust dynamic programme:

- segmentation: every change set K of a short series (n <= 13, all 2^(n-1) sets) is scored by
  numpy least squares over the levels mu, minimising
      gamma (1 - phi^2) (y_0 - mu_0)^2
    + sum_{t>=1} gamma ((y_t - mu_t) - phi (y_{t-1} - mu_{t-1}))^2 + lambda (mu_t - mu_{t-1})^2 [t not in K]
  (gamma = 1/sigma_nu^2, lambda = 1/sigma_eta^2; sigma_eta = 0 makes the levels flat between
  changes: one level per segment); the best penalised set (+ beta |K|) is the reference,
  with its cost without penalty. Cases are kept only when the runner-up is worse by a clear
  margin, so the breakpoints are unique.
- parameters: the squared MADs of the lag-k differences (scipy.stats.median_abs_deviation,
  scale='normal') for k = 1..min(10, n // 4), fitted by v_k = k s_eta + 2 (1 - phi^k) s_eps
  with s_eta, s_eps >= 0 (scipy.optimize.nnls for a fixed phi) and phi in [0, 0.99] (grid of
  step 0.01, then scipy.optimize.minimize_scalar bounded next to the best grid point);
  sigma_eta = sqrt(s_eta), sigma_nu = sqrt(s_eps (1 - phi^2)).
- CROPS path: from the same brute force, Q(k) = the least cost over the change sets of size k;
  k is on the path for the penalties beta where Q(k) + beta k is the least of all sizes, i.e.
  beta in [max_{j>k} (Q(k) - Q(j)) / (j - k), min_{j<k} (Q(j) - Q(k)) / (k - j)] cut to the
  range asked (the lower convex hull of (k, Q(k))). Cases are kept only when every size on the
  path has a unique best set and every interval on the path is longer than 1e-6.
- maximum-likelihood drift (`model::ml_drift`, `model::bic_drift_at`): the Gaussian likelihood
  of the differences y_t - y_{t-1} inside segments (a diffuse level at the start of each
  segment leaves exactly those; the AR(1) noise runs on across segments), from their dense
  covariance Cov = s_eta 1{t=s} + s_eps (2 phi^h - phi^(h-1) - phi^(h+1)) (h = |t-s| >= 1;
  2 s_eps (1 - phi) at h = 0) by numpy slogdet and solve; scale concentrated out:
  n' ln(d' R^-1 d / n') + ln det R. The drift ratio q = s_eta / s_nu^2 maximising it: q = 0 or
  log2 q on a grid of the integers -24..8, then scipy.optimize.minimize_scalar (bounded) within
  one grid step of the best point.

Usage: python datasets/scripts/reference/changepoint_decafs.py
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.optimize as so
import scipy.stats as st

from _common import write


def objective(y, K, s_eta, s_nu, phi):
    """Least-squares cost over the levels for the change set K (no penalty)."""
    n = len(y)
    gamma = 1.0 / s_nu**2
    starts = [0] + sorted(K)
    if s_eta == 0.0:
        # One level per segment: mu = S theta.
        S = np.zeros((n, len(starts)))
        for j, a in enumerate(starts):
            b = starts[j + 1] if j + 1 < len(starts) else n
            S[a:b, j] = 1.0
    else:
        S = np.eye(n)
    p = S.shape[1]
    rows, rhs = [], []
    g0 = np.sqrt(gamma * (1 - phi**2))
    rows.append(g0 * S[0]); rhs.append(g0 * y[0])
    for t in range(1, n):
        g = np.sqrt(gamma)
        rows.append(g * (S[t] - phi * S[t - 1])); rhs.append(g * (y[t] - phi * y[t - 1]))
        if s_eta > 0.0 and t not in K:
            lam = 1.0 / s_eta
            rows.append(lam * (S[t] - S[t - 1])); rhs.append(0.0)
    A, b = np.array(rows).reshape(-1, p), np.array(rhs)
    theta, *_ = np.linalg.lstsq(A, b, rcond=None)
    r = b - A @ theta
    return float(r @ r)


def brute_force(y, s_eta, s_nu, phi, beta):
    n = len(y)
    scored = []
    for k in range(n):
        for K in itertools.combinations(range(1, n), k):
            c = objective(y, set(K), s_eta, s_nu, phi)
            scored.append((c + beta * len(K), list(K), c))
    scored.sort(key=lambda s: s[0])
    return scored[0], scored[1][0] - scored[0][0]


def crops_reference(y, s_eta, s_nu, phi, lo, hi):
    """The CROPS path on [lo, hi] by brute force, or None when a size on it is not unique
    or an interval is shorter than 1e-6 (see the module documentation)."""
    n = len(y)
    best = {}
    for k in range(n):
        scored = sorted((objective(y, set(K), s_eta, s_nu, phi), list(K))
                        for K in itertools.combinations(range(1, n), k))
        gap = scored[1][0] - scored[0][0] if len(scored) > 1 else np.inf
        best[k] = (scored[0][0], scored[0][1], gap)
    path = []
    for k in sorted(best, reverse=True):
        q = best[k][0]
        lower = max([(q - best[j][0]) / (j - k) for j in best if j > k], default=-np.inf)
        upper = min([(best[j][0] - q) / (k - j) for j in best if j < k], default=np.inf)
        a, b = max(lower, lo), min(upper, hi)
        if b - a <= 0:
            continue
        if b - a < 1e-6 or best[k][2] < 1e-6 * max(1.0, abs(q)):
            return None
        path.append({"penalty_min": a, "penalty_max": b, "breakpoints": best[k][1], "cost": q})
    return path


def estimate(y):
    n = len(y)
    lags = min(10, max(2, n // 4))
    v = np.array([st.median_abs_deviation(y[k:] - y[:-k], scale="normal") ** 2
                  for k in range(1, lags + 1)])
    ks = np.arange(1, lags + 1, dtype=float)

    def prof(phi):
        X = np.column_stack([ks, 2 * (1 - phi**ks)])
        coef, rnorm = so.nnls(X, v)
        return rnorm**2, coef

    grid = np.round(np.arange(0, 100) / 100, 2)
    vals = [prof(p)[0] for p in grid]
    i = int(np.argmin(vals))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, 99)]
    res = so.minimize_scalar(lambda p: prof(p)[0], bounds=(lo, hi), method="bounded",
                             options={"xatol": 1e-12})
    phi = res.x if prof(res.x)[0] <= vals[i] else grid[i]
    _, (s_eta, s_eps) = prof(phi)
    return {"v": v, "sigma_eta": np.sqrt(s_eta), "sigma_nu": np.sqrt(s_eps * (1 - phi**2)),
            "phi": phi, "rss": prof(phi)[0]}


def drift_criterion(y, bkps, s_eta, s_nu, phi):
    """n' ln(d' R^-1 d / n') + ln det R over the within-segment differences, and d' R^-1 d / n'."""
    n = len(y)
    starts = set([0] + list(bkps))
    idx = np.array([t for t in range(n) if t not in starts])
    d = y[idx] - y[idx - 1]
    s_eps = s_nu**2 / (1 - phi**2)
    h = np.abs(idx[:, None] - idx[None, :]).astype(float)
    with np.errstate(divide="ignore"):
        R = s_eps * (2 * phi**h - phi ** np.abs(h - 1) - phi ** (h + 1))
    R[h == 0] = 2 * s_eps * (1 - phi)
    R += s_eta**2 * (h == 0)
    sign, logdet = np.linalg.slogdet(R)
    quad = d @ np.linalg.solve(R, d)
    m = len(d)
    return m * np.log(quad / m) + logdet, quad / m


def ml_drift_reference(y, bkps, s_nu, phi):
    def crit(l2q):
        s_eta = 0.0 if l2q is None else s_nu * np.sqrt(2.0**l2q)
        return drift_criterion(y, bkps, s_eta, s_nu, phi)[0]

    grid = list(range(-24, 9))
    vals = [crit(j) for j in grid]
    i = int(np.argmin(vals))
    best_l2q, best = (None, crit(None)) if crit(None) <= vals[i] else (grid[i], vals[i])
    if best_l2q is not None:
        res = so.minimize_scalar(crit, bounds=(grid[i] - 1, grid[i] + 1), method="bounded",
                                 options={"xatol": 1e-10})
        if res.fun < best:
            best_l2q, best = res.x, res.fun
    s_eta = 0.0 if best_l2q is None else s_nu * np.sqrt(2.0**best_l2q)
    scale = np.sqrt(drift_criterion(y, bkps, s_eta, s_nu, phi)[1])
    return {"sigma_eta": s_eta * scale, "sigma_nu": s_nu * scale, "criterion": best}


def simulate(rng, n, s_eta, s_nu, phi, jumps):
    mu = np.cumsum(s_eta * rng.standard_normal(n))
    for t, d in jumps:
        mu[t:] += d
    eps = np.zeros(n)
    eps[0] = s_nu / np.sqrt(1 - phi**2) * rng.standard_normal()
    for t in range(1, n):
        eps[t] = phi * eps[t - 1] + s_nu * rng.standard_normal()
    return mu + eps


def main():
    rng = np.random.default_rng(20261205)
    cases = []
    specs = [
        # n, true (s_eta, s_nu, phi), jumps, fitted (s_eta, s_nu, phi), beta
        (10, (0.3, 1.0, 0.5), [(5, 4.0)], (0.3, 1.0, 0.5), 4.0),
        (12, (0.0, 1.0, 0.0), [(4, 5.0), (8, -5.0)], (0.0, 1.0, 0.0), 3.0),
        (12, (0.0, 0.5, 0.7), [(6, 4.0)], (0.0, 0.5, 0.7), 5.0),
        (13, (0.5, 0.5, 0.3), [(3, -3.0), (9, 3.0)], (0.5, 0.5, 0.3), 2.0),
        (11, (1.0, 0.3, 0.9), [(7, 6.0)], (1.0, 0.3, 0.9), 6.0),
        (12, (0.2, 1.0, 0.0), [], (0.2, 1.0, 0.0), 2.0 * np.log(12)),
        (13, (0.1, 1.0, 0.95), [(2, 5.0), (10, -4.0)], (0.1, 1.0, 0.95), 1.0),
        (12, (0.4, 0.8, 0.6), [(6, 0.0)], (0.4, 0.8, 0.6), 0.3),
        # Fitted parameters other than the truth (misspecified), and more changes.
        (13, (0.2, 1.0, 0.4), [(4, 3.0), (8, -3.0)], (0.05, 0.7, 0.8), 3.0),
        (12, (0.0, 1.0, 0.0), [(3, 4.0), (6, -4.0), (9, 4.0)], (0.3, 1.2, 0.2), 2.5),
        (13, (0.6, 0.4, 0.7), [], (0.6, 0.4, 0.7), 2.0 * np.log(13)),
        (12, (0.1, 2.0, 0.5), [(6, 10.0)], (0.0, 2.0, 0.98), 4.0),
    ]
    for k, (n, truth, jumps, fitted, beta) in enumerate(specs):
        for attempt in range(50):
            y = simulate(rng, n, *truth, jumps)
            (pen, bk, cost), gap = brute_force(y, *fitted, beta)
            if gap > 1e-6 * max(1.0, abs(pen)):
                break
        else:
            raise SystemExit(f"case {k}: no series with a unique optimum")
        cases.append({"kind": "segmentation", "name": f"seg{k}_n{n}", "x": y,
                      "sigma_eta": fitted[0], "sigma_nu": fitted[1], "phi": fitted[2],
                      "penalty": beta, "breakpoints": bk, "cost": cost, "gap": gap})
    for k, (n, truth, jumps) in enumerate([
        (400, (0.2, 1.0, 0.5), [(150, 5.0)]),
        (1000, (0.05, 0.7, 0.8), [(300, 3.0), (600, -3.0)]),
        (500, (0.0, 1.0, 0.3), []),
        (300, (0.5, 0.2, 0.0), [(100, 4.0)]),
        (2000, (0.1, 1.0, 0.9), [(1000, 5.0)]),
        (40, (0.3, 1.0, 0.5), []),
    ]):
        y = simulate(rng, n, *truth, jumps)
        est = estimate(y)
        cases.append({"kind": "estimate", "name": f"est{k}_n{n}", "x": y, **est})
    # CROPS paths (own seed: the cases above stay as they were).
    rng = np.random.default_rng(20261206)
    for k, (n, truth, jumps, fitted, rng_pen) in enumerate([
        (11, (0.2, 1.0, 0.3), [(4, 3.0), (8, -2.0)], (0.2, 1.0, 0.3), (0.5, 40.0)),
        (12, (0.0, 1.0, 0.0), [(3, 4.0), (6, -2.0), (9, 3.0)], (0.0, 1.0, 0.0), (0.1, 100.0)),
        (12, (0.4, 0.6, 0.7), [(5, 5.0)], (0.4, 0.6, 0.7), (1.0, 30.0)),
        (10, (0.1, 1.0, 0.5), [(5, -4.0)], (0.05, 0.8, 0.6), (0.0, 1000.0)),
    ]):
        for attempt in range(50):
            y = simulate(rng, n, *truth, jumps)
            path = crops_reference(y, *fitted, *rng_pen)
            if path is not None:
                break
        else:
            raise SystemExit(f"crops case {k}: no series with a clear path")
        cases.append({"kind": "crops", "name": f"crops{k}_n{n}", "x": y,
                      "sigma_eta": fitted[0], "sigma_nu": fitted[1], "phi": fitted[2],
                      "penalty_min": rng_pen[0], "penalty_max": rng_pen[1], "path": path})
    # Maximum-likelihood drift with level resets (own seed), and the criterion at given
    # parameters (the BIC without its penalty term).
    rng = np.random.default_rng(20261207)
    for k, (n, truth, jumps, bkps, phi) in enumerate([
        (200, (0.1, 1.0, 0.0), [], [], 0.0),
        (300, (0.3, 1.0, 0.5), [(150, 4.0)], [150], 0.5),
        (250, (0.0, 1.0, 0.3), [], [], 0.3),
        (200, (0.05, 0.5, 0.8), [(60, 3.0), (140, -3.0)], [60, 140], 0.8),
        (150, (0.5, 0.5, 0.0), [], [40, 90], 0.0),
    ]):
        y = simulate(rng, n, *truth, jumps)
        s_nu0 = 0.9
        ref = ml_drift_reference(y, bkps, s_nu0, phi)
        at = [(s_eta, s_nu, p, drift_criterion(y, bkps, s_eta, s_nu, p)[0])
              for s_eta, s_nu, p in [(0.2, 1.0, phi), (0.0, 0.7, 0.4), (1.5, 0.2, 0.9)]]
        cases.append({"kind": "ml_drift", "name": f"ml{k}_n{n}", "x": y, "breakpoints": bkps,
                      "sigma_nu_start": s_nu0, "phi": phi, **ref,
                      "at": [{"sigma_eta": a, "sigma_nu": b, "phi": c, "criterion": v}
                             for a, b, c, v in at]})
    write("changepoint_decafs", cases, ["numpy", "scipy"])


if __name__ == "__main__":
    main()
