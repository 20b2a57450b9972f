//! Distributions used by the tests: normal, Student t, chi-squared, F, beta, binomial, Poisson
//! (cdf, sf, ppf).
//!
//! Every `*_sf` is computed directly (never as `1 - cdf`), so p-values keep their relative
//! accuracy in the far tail (`norm_sf(30)`, `t_sf(40, 3)`, `chi2_sf(1000, 10)`). The functions
//! are total and mirror scipy.stats / scipy.special: arguments outside the domain give NaN.
//!
//! | function | mirrors | via |
//! |---|---|---|
//! | `norm_cdf`, `norm_sf` | `scipy.special.ndtr` | `erf`/`erfc` as Cephes `ndtr` |
//! | `norm_ppf`, `norm_isf` | `scipy.special.ndtri` | Acklam's rational start + Halley on `erfc` |
//! | `t_cdf`, `t_sf`, `t_ppf` | `scipy.stats.t` | incomplete beta; Halley on `t_sf` |
//! | `chi2_cdf`, `chi2_sf` | `scipy.stats.chi2` | incomplete gamma |
//! | `f_sf` | `scipy.stats.f.sf` | incomplete beta |
//! | `beta_cdf`, `beta_ppf` | `scipy.stats.beta` | incomplete beta and its inverse |
//! | `binom_*` | `scipy.stats.binom` | Loader (2000) saddle point; incomplete beta |
//! | `poisson_*` | `scipy.stats.poisson` | incomplete gamma |

use std::f64::consts::FRAC_1_SQRT_2;

use crate::stats::special::{self, erf, erfc, gamma_pair, inc_beta_pair};

mod discrete;
pub use discrete::{binom_cdf, binom_pmf, binom_sf, poisson_cdf, poisson_sf};

/// `1/√(2π)`.
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// Standard normal density `φ(x) = e^{-x²/2} / √(2π)`.
pub fn norm_pdf(x: f64) -> f64 {
    INV_SQRT_2PI * (-0.5 * x * x).exp()
}

/// Standard normal cdf `Φ(x)`, as Cephes/scipy `ndtr`:
///
/// ```text
/// Φ(x) = ½ + ½ erf(x/√2)        for |x| < 1
///      = ½ erfc(-x/√2)           otherwise (relative accuracy in the lower tail)
/// ```
pub fn norm_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let z = x * FRAC_1_SQRT_2;
    if z.abs() < FRAC_1_SQRT_2 {
        0.5 + 0.5 * erf(z)
    } else if z > 0.0 {
        1.0 - 0.5 * erfc(z)
    } else {
        0.5 * erfc(-z)
    }
}

/// Standard normal survival function `1 - Φ(x) = Φ(-x)` (accurate for large `x`).
pub fn norm_sf(x: f64) -> f64 {
    norm_cdf(-x)
}

/// Standard normal quantile `Φ⁻¹(p)` (mirrors `scipy.special.ndtri`); ±∞ at 0 and 1, NaN
/// outside `[0, 1]`.
pub fn norm_ppf(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p < 0.5 {
        -norm_isf_half(p)
    } else {
        // 1 - p is exact for p ≥ ½ (Sterbenz).
        norm_isf_half(1.0 - p)
    }
}

/// Standard normal inverse survival function: the `x` with `1 - Φ(x) = q`, accurate for tiny
/// `q` (mirrors `scipy.stats.norm.isf`).
pub fn norm_isf(q: f64) -> f64 {
    if q.is_nan() || !(0.0..=1.0).contains(&q) {
        return f64::NAN;
    }
    if q <= 0.5 {
        norm_isf_half(q)
    } else {
        -norm_isf_half(1.0 - q)
    }
}

/// `x ≥ 0` with `norm_sf(x) = q`, for `q ∈ [0, ½]`.
///
/// Start: P. J. Acklam's rational approximation (relative error 1.15e-9); then Halley steps
/// on `sf(x) - q`, `x ← x + u / (1 - x u / 2)`, `u = (sf(x) - q) / φ(x)`, which reach full
/// double precision in one or two steps.
fn norm_isf_half(q: f64) -> f64 {
    if q == 0.0 {
        return f64::INFINITY;
    }
    if q == 0.5 {
        return 0.0;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let mut x = if q < 0.02425 {
        let t = (-2.0 * q.ln()).sqrt();
        -(((((C[0] * t + C[1]) * t + C[2]) * t + C[3]) * t + C[4]) * t + C[5])
            / ((((D[0] * t + D[1]) * t + D[2]) * t + D[3]) * t + 1.0)
    } else {
        let t = 0.5 - q; // Φ⁻¹(1 - q) = -Φ⁻¹(q)
        let r = t * t;
        t * (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5])
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    for _ in 0..4 {
        let pdf = norm_pdf(x);
        if pdf <= 0.0 {
            break;
        }
        let u = (norm_sf(x) - q) / pdf;
        let step = u / (1.0 - 0.5 * x * u);
        x += step;
        // cubic convergence: after a step of relative size 1e-6 the error is ~1e-18
        if step.abs() <= 1e-6 * x.abs() {
            break;
        }
    }
    x
}

/// Student t cdf with real `df > 0` (Welch df allowed); `df = ∞` gives the normal.
///
/// ```text
/// F(t) = ½ I_{df/(df+t²)}(df/2, ½)          for t < 0
///      = 1 - ½ I_{df/(df+t²)}(df/2, ½)      for t ≥ 0  (the complement computed directly)
/// ```
/// Mirrors `scipy.stats.t.cdf` / `scipy.special.stdtr`.
pub fn t_cdf(x: f64, df: f64) -> f64 {
    t_sf(-x, df)
}

/// Student t survival function `P[T > x]`, accurate in the upper tail (mirrors
/// `scipy.stats.t.sf`).
pub fn t_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if df.is_infinite() {
        return norm_sf(x);
    }
    if x == 0.0 {
        return 0.5;
    }
    if x.is_infinite() {
        return if x > 0.0 { 0.0 } else { 1.0 };
    }
    // z = df / (df + x²), y = x² / (df + x²) computed without cancellation.
    let (z, y) = if x.abs() > 1e150 {
        (df / x / x, 1.0)
    } else {
        let x2 = x * x;
        let s = df + x2;
        (df / s, x2 / s)
    };
    let (i, ic) = inc_beta_pair(0.5 * df, 0.5, z, y);
    if x > 0.0 {
        0.5 * i
    } else {
        0.5 + 0.5 * ic
    }
}

/// Student t density.
pub fn t_pdf(x: f64, df: f64) -> f64 {
    if df.is_infinite() {
        return norm_pdf(x);
    }
    let ln_norm = -0.5 * df.ln() - special::ln_beta(0.5 * df, 0.5);
    (ln_norm - 0.5 * (df + 1.0) * (x * x / df).ln_1p()).exp()
}

/// Student t quantile for real `df > 0` (mirrors `scipy.stats.t.ppf`); ±∞ at 0 and 1.
///
/// Start from the incomplete-beta inverse (or the Cornish–Fisher expansion for `df > 1000`),
/// then Halley steps on `t_sf(t) - q`: `t ← t + u / (1 - u (df+1) t / (2 (df + t²)))`,
/// `u = (t_sf(t) - q) / f(t)`.
pub fn t_ppf(p: f64, df: f64) -> f64 {
    if p.is_nan() || df.is_nan() || df <= 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if df.is_infinite() {
        return norm_ppf(p);
    }
    if p < 0.5 {
        -t_isf_half(p, df)
    } else {
        t_isf_half(1.0 - p, df)
    }
}

/// `t ≥ 0` with `t_sf(t, df) = q`, `q ∈ [0, ½]`.
fn t_isf_half(q: f64, df: f64) -> f64 {
    if q == 0.0 {
        return f64::INFINITY;
    }
    if q == 0.5 {
        return 0.0;
    }
    let mut t = if df > 1000.0 {
        let z = norm_isf_half(q);
        let z2 = z * z;
        z + z * (z2 + 1.0) / (4.0 * df)
            + z * ((5.0 * z2 + 16.0) * z2 + 3.0) / (96.0 * df * df)
            + z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / (384.0 * df * df * df)
    } else if q < 0.25 {
        // I_x(df/2, ½) = 2q with x = df/(df + t²)
        let x = special::inc_beta_inv(2.0 * q, 0.5 * df, 0.5);
        (df * (1.0 - x) / x).sqrt()
    } else {
        // I_y(½, df/2) = 1 - 2q with y = t²/(df + t²)
        let y = special::inc_beta_inv(1.0 - 2.0 * q, 0.5, 0.5 * df);
        (df * y / (1.0 - y)).sqrt()
    };
    if !(t.is_finite() && t > 0.0) {
        t = 1.0;
    }
    for _ in 0..50 {
        let pdf = t_pdf(t, df);
        if pdf.is_nan() || pdf <= 0.0 {
            break;
        }
        let u = (t_sf(t, df) - q) / pdf;
        let k = (df + 1.0) * t / (2.0 * (df + t * t));
        let mut step = u / (1.0 - (u * k).clamp(-0.5, 0.5));
        if t + step <= 0.0 {
            step = -0.5 * t;
        }
        t += step;
        // Halley converges cubically: after a step of relative size 1e-6 the error is ~1e-18.
        if step.abs() <= 1e-6 * t {
            break;
        }
    }
    t
}

/// Chi-squared cdf `P(df/2, x/2)` (mirrors `scipy.stats.chi2.cdf`).
pub fn chi2_cdf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 0.0;
    }
    gamma_pair(0.5 * df, 0.5 * x).0
}

/// Chi-squared survival function `Q(df/2, x/2)` (mirrors `scipy.stats.chi2.sf`).
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    gamma_pair(0.5 * df, 0.5 * x).1
}

/// F survival function (mirrors `scipy.stats.f.sf`):
///
/// ```text
/// P[F > x] = I_{dfd/(dfd + dfn x)}(dfd/2, dfn/2)
/// ```
pub fn f_sf(x: f64, dfn: f64, dfd: f64) -> f64 {
    if x.is_nan() || dfn.is_nan() || dfd.is_nan() || dfn <= 0.0 || dfd <= 0.0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    let nx = dfn * x;
    let s = dfd + nx;
    inc_beta_pair(0.5 * dfd, 0.5 * dfn, dfd / s, nx / s).0
}

/// Beta cdf `I_x(a, b)` (mirrors `scipy.stats.beta.cdf`); 0 below 0, 1 above 1.
pub fn beta_cdf(x: f64, a: f64, b: f64) -> f64 {
    if x.is_nan() || a.is_nan() || b.is_nan() || a <= 0.0 || b <= 0.0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    inc_beta_pair(a, b, x, 1.0 - x).0
}

/// Beta quantile (mirrors `scipy.stats.beta.ppf`); see [`special::inc_beta_inv`].
pub fn beta_ppf(p: f64, a: f64, b: f64) -> f64 {
    special::inc_beta_inv(p, a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn symmetry_and_closed_forms() {
        assert_eq!(norm_cdf(0.0), 0.5);
        assert_eq!(t_sf(0.0, 3.7), 0.5);
        // Cauchy: t_sf(x, 1) = ½ - atan(x)/π
        let x: f64 = 2.5;
        assert!((t_sf(x, 1.0) - (0.5 - x.atan() / PI)).abs() < 1e-15);
        // chi2 with 2 df is exponential with mean 2
        assert!((chi2_sf(3.0, 2.0) - (-1.5f64).exp()).abs() < 1e-16);
        assert!((norm_ppf(0.975) - 1.959_963_984_540_054).abs() < 1e-15);
        assert!((binom_pmf(3, 10, 0.5) - 120.0 / 1024.0).abs() < 2e-16);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// The quantile inverts the cdf (where the inverse is well conditioned).
        #[test]
        fn t_ppf_inverts_t_cdf(x in -40.0f64..40.0, ldf in -1.0f64..6.0) {
            let df = 10f64.powf(ldf);
            let p = t_cdf(x, df);
            proptest::prop_assume!(p > 1e-300 && p < 1.0 - 1e-12);
            let back = t_ppf(p, df);
            // dx = dp / f(x); rounding p costs ε p
            let slack = 1e-12 * (1.0 + x.abs()) + 4e-16 * p / t_pdf(x, df);
            proptest::prop_assert!((back - x).abs() <= slack, "x {} df {} p {} back {}", x, df, p, back);
        }

        #[test]
        fn norm_isf_inverts_norm_sf(x in -37.0f64..37.0) {
            let q = norm_sf(x);
            proptest::prop_assume!(q < 1.0 - 1e-12);
            let back = norm_isf(q);
            let slack = 1e-13 * (1.0 + x.abs()) + 4e-16 * q / norm_pdf(x);
            proptest::prop_assert!((back - x).abs() <= slack, "x {} back {}", x, back);
        }

        #[test]
        fn sf_and_cdf_add_to_one(x in 0.0f64..200.0, df in 0.1f64..300.0, k in 0u64..500, n in 1u64..1000) {
            proptest::prop_assert!((chi2_sf(x, df) + chi2_cdf(x, df) - 1.0).abs() < 1e-14);
            proptest::prop_assert!((t_sf(x - 100.0, df) + t_cdf(x - 100.0, df) - 1.0).abs() < 1e-14);
            let p = (x / 200.0).clamp(1e-6, 1.0 - 1e-6);
            proptest::prop_assert!((binom_sf(k, n, p) + binom_cdf(k, n, p) - 1.0).abs() < 1e-13);
            proptest::prop_assert!((poisson_sf(k, x) + poisson_cdf(k, x) - 1.0).abs() < 1e-13);
        }
    }

    /// Counts beyond the reference JSON (mpmath is too slow there and scipy is off), checked
    /// against Edgeworth / saddle-point expansions whose own error is far below the tolerance.
    #[test]
    fn huge_counts_follow_asymptotics() {
        let mu: f64 = 1e9;
        let sigma = mu.sqrt();
        // P[X ≤ μ] = ½ + (2/3) φ(0) / σ + O(1/σ²)
        let want = 0.5 + 2.0 / 3.0 * INV_SQRT_2PI / sigma;
        assert!((poisson_cdf(1_000_000_000, mu) - want).abs() < 1e-8);
        // 10 sd above μ: continuity-corrected Edgeworth, relative error ~1e-5
        let k = 1_000_316_232_u64;
        let z = (k as f64 + 0.5 - mu) / sigma;
        let want = norm_sf(z) + norm_pdf(z) * (z * z - 1.0) / (6.0 * sigma);
        assert!((poisson_sf(k, mu) / want - 1.0).abs() < 1e-3);
        // P(a, x) for x = 0.999 a: x^a e^{-x} / (Γ(a) (a - x)) · (1 + O(1/(a (1-λ)²)))
        let (a, x) = (1e9_f64, 0.999e9_f64);
        let r = (x - a) / a;
        let front = (a / (2.0 * PI)).sqrt() * (-a * (r - r.ln_1p())).exp();
        let want = front / (a - x);
        assert!((special::gamma_p(a, x) / want - 1.0).abs() < 3e-3);
    }

    #[test]
    fn bad_arguments_give_nan() {
        assert!(norm_ppf(1.5).is_nan());
        assert!(t_sf(1.0, -1.0).is_nan());
        assert!(chi2_sf(1.0, 0.0).is_nan());
        assert!(binom_pmf(1, 2, 1.5).is_nan());
        assert!(poisson_cdf(1, -1.0).is_nan());
    }
}
