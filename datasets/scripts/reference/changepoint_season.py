"""Reference for the periodic component of `detect`'s season model (`changepoint::model`).

Written from the definition with numpy least squares, independently of the Rust normal
equations (which sum per phase and solve by Gaussian elimination):

- `fourier`: the least-squares fit of r by a constant and H Fourier pairs of period P
  (columns 1, cos(2 pi h t / P), sin(2 pi h t / P), h = 1..H, t = 0..n-1) by numpy.linalg.lstsq;
  the fitted periodic part (the fit without the constant) and the residual sum of squares.
- `season`: the number of harmonics H in 1..min(24, (P - 1) // 2) minimising
  n ln(RSS_H / n) + 2 H ln n (BIC of the H pairs), with its periodic part, from the same
  least squares for every H.

Series: a sawtooth with noise, a sine with two harmonics, pure noise, an incomplete last
period, and a short period (P = 5, at most 2 harmonics).

Usage: python datasets/scripts/reference/changepoint_season.py
"""

from __future__ import annotations

import numpy as np

from _common import write

MAX_HARMONICS = 24


def design(n, period, harmonics):
    t = np.arange(n)
    cols = [np.ones(n)]
    for h in range(1, harmonics + 1):
        w = 2 * np.pi * h * t / period
        cols += [np.cos(w), np.sin(w)]
    return np.column_stack(cols)


def fit(r, period, harmonics):
    a = design(len(r), period, harmonics)
    coef, *_ = np.linalg.lstsq(a, r, rcond=None)
    resid = r - a @ coef
    return a[:, 1:] @ coef[1:], float(resid @ resid)


def season(r, period):
    n = len(r)
    best = None
    for h in range(1, max(1, min(MAX_HARMONICS, (period - 1) // 2)) + 1):
        periodic, rss = fit(r, period, h)
        crit = n * np.log(max(rss, np.finfo(float).tiny) / n) + 2 * h * np.log(n)
        if best is None or crit < best[0]:
            best = (crit, h, periodic)
    return best


def main():
    rng = np.random.default_rng(20261207)
    specs = [
        ("sawtooth", 2000, 120, lambda t: 4.0 * (t % 120) / 120),
        ("two_harmonics", 600, 50, lambda t: 2 * np.sin(2 * np.pi * t / 50) + np.cos(4 * np.pi * t / 50)),
        ("noise", 500, 30, lambda t: 0.0 * t),
        ("partial_period", 1030, 96, lambda t: 3 * np.sin(2 * np.pi * t / 96)),
        ("short_period", 200, 5, lambda t: (t % 5 == 0) * 2.0),
    ]
    cases = []
    for name, n, period, shape in specs:
        t = np.arange(n)
        r = shape(t) + rng.normal(size=n)
        for h in sorted({1, 3, max(1, min(MAX_HARMONICS, (period - 1) // 2))}):
            periodic, rss = fit(r, period, h)
            cases.append({"kind": "fourier", "name": f"{name}_h{h}", "x": r, "period": period,
                          "harmonics": h, "periodic": periodic, "rss": rss})
        _, h, periodic = season(r, period)
        cases.append({"kind": "season", "name": name, "x": r, "period": period,
                      "harmonics": h, "periodic": periodic})
    write("changepoint_season", cases, ["numpy"])


if __name__ == "__main__":
    main()
