//! Standard normal cdf and quantile, as used by BCa intervals (scipy's `ndtr` / `ndtri`).
//!
//! Private to the resampling modules until the crate-wide `dist` module lands; both are
//! accurate to a few ulps (`ndtr` through `libm::erf`/`erfc` as Cephes does, `ndtri` by
//! Acklam's rational approximation refined with two Halley steps).

use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Φ(x), mirroring Cephes `ndtr`: `0.5 (1 + erf(x/√2))` for |x/√2| < 1/√2, else via `erfc`.
pub(crate) fn ndtr(x: f64) -> f64 {
    let z = x * FRAC_1_SQRT_2;
    if z.abs() < FRAC_1_SQRT_2 {
        0.5 + 0.5 * libm::erf(z)
    } else if z > 0.0 {
        1.0 - 0.5 * libm::erfc(z)
    } else {
        0.5 * libm::erfc(-z)
    }
}

/// Φ⁻¹(p) for p in [0, 1] (±∞ at the ends, NaN outside).
pub(crate) fn ndtri(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
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
    const P_LOW: f64 = 0.02425;
    let tail = |q: f64| {
        let q = libm::sqrt(-2.0 * libm::log(q));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let mut x = if p < P_LOW {
        tail(p)
    } else if p > 1.0 - P_LOW {
        -tail(1.0 - p)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // Halley refinement on Φ(x) - p (upper tail on the complement to keep relative accuracy).
    for _ in 0..2 {
        let e = if x > 0.0 {
            (1.0 - p) - 0.5 * libm::erfc(x * FRAC_1_SQRT_2)
        } else {
            0.5 * libm::erfc(-x * FRAC_1_SQRT_2) - p
        };
        let u = e * libm::sqrt(2.0 * PI) * libm::exp(x * x / 2.0);
        x -= u / (1.0 + x * u / 2.0);
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // scipy.special.ndtri(0.975) = 1.959963984540054; ndtri(1e-10) = -6.361340902404056.
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(rel(ndtri(0.975), 1.959_963_984_540_054) < 1e-14);
        assert!(rel(ndtri(0.025), -1.959_963_984_540_054) < 1e-14);
        assert!(rel(ndtri(1e-10), -6.361_340_902_404_056) < 1e-14);
        assert!(rel(ndtri(0.3), -0.524_400_512_708_040_9) < 1e-14);
        assert_eq!(ndtri(0.5), 0.0);
        for p in [1e-300, 1e-20, 0.01, 0.2, 0.5, 0.7, 0.99, 1.0 - 1e-12] {
            let back = ndtr(ndtri(p));
            assert!(((back - p) / p).abs() < 1e-12, "{p} {back}");
        }
    }
}
