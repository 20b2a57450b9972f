//! Discrete distributions: binomial (Loader's saddle-point pmf; cdf/sf by the incomplete beta)
//! and Poisson (cdf/sf by the incomplete gamma).

use std::f64::consts::PI;

use crate::stats::special::{gamma_pair, inc_beta_pair, stirling_delta};

/// `x ln(x/m) + m - x` without cancellation (Loader 2000, `bd0`).
fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let mut v = (x - m) / (x + m);
        let mut s = (x - m) * v;
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                return s1;
            }
            s = s1;
        }
        s
    } else {
        x * (x / m).ln() + m - x
    }
}

/// Binomial probability mass `P[X = k]`, `X ~ Binomial(n, p)` (mirrors `scipy.stats.binom.pmf`).
///
/// Catherine Loader's saddle-point form (2000, "Fast and accurate computation of binomial
/// probabilities", as in R's `dbinom`), relative accuracy ~1e-15 for every `n`:
///
/// ```text
/// ln P = δ(n) - δ(k) - δ(n-k) - bd0(k, np) - bd0(n-k, nq) - ½ ln(2π k (n-k) / n)
/// ```
pub fn binom_pmf(k: u64, n: u64, p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if k > n {
        return 0.0;
    }
    let q = 1.0 - p;
    let (kf, nf) = (k as f64, n as f64);
    if p == 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if q == 0.0 {
        return if k == n { 1.0 } else { 0.0 };
    }
    if k == 0 {
        if n == 0 {
            return 1.0;
        }
        let lc = if p < 0.1 {
            -bd0(nf, nf * q) - nf * p
        } else {
            nf * q.ln()
        };
        return lc.exp();
    }
    if k == n {
        let lc = if q < 0.1 {
            -bd0(nf, nf * p) - nf * q
        } else {
            nf * p.ln()
        };
        return lc.exp();
    }
    let nk = nf - kf;
    let lc = stirling_delta_int(nf)
        - stirling_delta_int(kf)
        - stirling_delta_int(nk)
        - bd0(kf, nf * p)
        - bd0(nk, nf * q);
    let lf = (2.0 * PI).ln() + kf.ln() + (-kf / nf).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// Stirling remainder for `ln n!`: `ln n! - ln(√(2πn) (n/e)^n)` = `δ(n)` of `ln Γ(n)`.
fn stirling_delta_int(n: f64) -> f64 {
    stirling_delta(n)
}

/// Binomial cdf `P[X ≤ k] = I_{1-p}(n - k, k + 1)` (mirrors `scipy.stats.binom.cdf`).
pub fn binom_cdf(k: u64, n: u64, p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if k >= n {
        return 1.0;
    }
    let (kf, nf) = (k as f64, n as f64);
    inc_beta_pair(kf + 1.0, nf - kf, p, 1.0 - p).1
}

/// Binomial survival function `P[X > k] = I_p(k + 1, n - k)` (mirrors `scipy.stats.binom.sf`).
pub fn binom_sf(k: u64, n: u64, p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if k >= n {
        return 0.0;
    }
    let (kf, nf) = (k as f64, n as f64);
    inc_beta_pair(kf + 1.0, nf - kf, p, 1.0 - p).0
}

/// Poisson cdf `P[X ≤ k] = Q(k + 1, μ)` (mirrors `scipy.stats.poisson.cdf`).
pub fn poisson_cdf(k: u64, mu: f64) -> f64 {
    if mu.is_nan() || mu < 0.0 {
        return f64::NAN;
    }
    if mu == 0.0 {
        return 1.0;
    }
    gamma_pair(k as f64 + 1.0, mu).1
}

/// Poisson survival function `P[X > k] = P(k + 1, μ)` (mirrors `scipy.stats.poisson.sf`).
pub fn poisson_sf(k: u64, mu: f64) -> f64 {
    if mu.is_nan() || mu < 0.0 {
        return f64::NAN;
    }
    if mu == 0.0 {
        return 0.0;
    }
    gamma_pair(k as f64 + 1.0, mu).0
}
