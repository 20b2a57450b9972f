//! Data-driven block length for block bootstraps (Politis–White 2004 with the Patton–Politis–White 2009 correction).
//!
//! ```text
//! ε_t = x_t - x̄,   R(k) = (1/n) Σ_{t=k}^{n-1} ε_t ε_{t-k}
//! ρ̂(k) = |Σ ε_t ε_{t-k}| / sqrt(Σ_{t>k} ε_t² · Σ_{t<n-k-1} ε_t²)         (arch's normalisation)
//! K_n = max(5, floor(log10 n)),  m_max = ceil(√n) + K_n,  c = 2 sqrt(log10(n) / n)
//! m̂ = first m such that |ρ̂(m)|, …, |ρ̂(m + K_n - 1)| are all < c;  M = min(2 max(m̂, 1), m_max)
//!     (M = m_max when no such m ≤ m_max - K_n exists)
//! λ(s) = 1 for |s| ≤ 1/2, 2 (1 - |s|) for 1/2 < |s| ≤ 1   (flat-top lag window)
//! Ĝ = Σ_{k=1}^{M} 2 λ(k/M) k R(k),   σ̂² = R(0) + Σ_{k=1}^{M} 2 λ(k/M) R(k)
//! D_SB = 2 σ̂⁴,   D_CB = (4/3) σ̂⁴
//! b_opt = (2 Ĝ² / D)^(1/3) n^(1/3),   capped at b_max = ceil(min(3 √n, n / 3))
//! ```
//!
//! Assumes a stationary, weakly dependent series. Mirrors `arch.bootstrap.optimal_block_length`
//! (arch 8.0), including its tuning constants (from Patton's MATLAB code) and its normalisation
//! of the sample autocorrelations; like arch, the result is not rounded and may be below 1.

use serde::Serialize;

use crate::stats::check;
use crate::{Error, Result};

/// Optimal (mean) block lengths for the stationary and circular block bootstraps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BlockLength {
    /// Optimal mean block length of the stationary bootstrap (Politis & Romano 1994).
    pub stationary: f64,
    /// Optimal block length of the circular (and moving) block bootstrap.
    pub circular: f64,
}

/// Smallest series accepted: arch needs `n > m_max + 1` so every lag's sums are non-empty.
pub const MIN_POINTS: usize = 11;

/// Politis–White (2004) automatic block length with the Patton–Politis–White (2009)
/// correction; see the module docs for the formula. O(n √n) time.
///
/// # Errors
/// [`Error::TooFewPoints`] (fewer than [`MIN_POINTS`] values), [`Error::NonFinite`],
/// [`Error::Constant`] (zero variance).
pub fn optimal_block_length(x: &[f64]) -> Result<BlockLength> {
    check::sample("x", x, MIN_POINTS)?;
    let n = x.len();
    let nf = n as f64;
    let mean = x.iter().sum::<f64>() / nf;
    let eps: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    if eps.iter().all(|&e| e == 0.0) {
        return Err(Error::Constant {
            what: "x",
            value: x[0],
            why: "the block length is undefined without variation",
        });
    }
    let b_max = (3.0 * nf.sqrt()).min(nf / 3.0).ceil();
    let kn = 5usize.max(libm::log10(nf) as usize);
    let m_max = (nf.sqrt().ceil() as usize + kn).min(n - 2);
    let cv = 2.0 * (libm::log10(nf) / nf).sqrt();
    let mut acv = vec![0.0; m_max + 1];
    let mut abs_acorr = vec![0.0; m_max + 1];
    let mut opt_m: Option<usize> = None;
    for i in 0..=m_max {
        let v1 = dot(&eps[i + 1..], &eps[i + 1..]);
        let v2 = dot(&eps[..n - i - 1], &eps[..n - i - 1]);
        let cross = dot(&eps[i..], &eps[..n - i]);
        acv[i] = cross / nf;
        abs_acorr[i] = cross.abs() / (v1 * v2).sqrt();
        if i >= kn && opt_m.is_none() && abs_acorr[i - kn..i].iter().all(|&r| r < cv) {
            opt_m = Some(i - kn);
        }
    }
    let m = match opt_m {
        Some(o) => 2 * o.max(1),
        None => m_max,
    }
    .min(m_max);
    let mut g = 0.0;
    let mut lr_acv = acv[0];
    for (k, &r) in acv.iter().enumerate().take(m + 1).skip(1) {
        let s = k as f64 / m as f64;
        let lam = if s <= 0.5 { 1.0 } else { 2.0 * (1.0 - s) };
        g += 2.0 * lam * k as f64 * r;
        lr_acv += 2.0 * lam * r;
    }
    let d_sb = 2.0 * lr_acv * lr_acv;
    let d_cb = 4.0 / 3.0 * lr_acv * lr_acv;
    let cube_root = |v: f64| libm::pow(v, 1.0 / 3.0);
    let n13 = cube_root(nf);
    let b_sb = cube_root(2.0 * g * g / d_sb) * n13;
    let b_cb = cube_root(2.0 * g * g / d_cb) * n13;
    if !(b_sb.is_finite() && b_cb.is_finite()) {
        return Err(Error::Constant {
            what: "x",
            value: x[0],
            why: "the long-run variance estimate is zero",
        });
    }
    Ok(BlockLength {
        stationary: b_sb.min(b_max),
        circular: b_cb.min(b_max),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    #[test]
    fn bad_input() {
        assert!(matches!(
            optimal_block_length(&[1.0; 5]),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            optimal_block_length(&[2.0; 50]),
            Err(Error::Constant { .. })
        ));
        let mut x = vec![0.0; 50];
        x[3] = f64::NAN;
        assert!(matches!(
            optimal_block_length(&x),
            Err(Error::NonFinite { index: 3, .. })
        ));
    }

    #[test]
    fn dependence_lengthens_blocks() {
        let mut rng = Rng::new(9);
        let n = 2000;
        let white: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mut ar = vec![0.0; n];
        for t in 1..n {
            ar[t] = 0.9 * ar[t - 1] + white[t];
        }
        let w = optimal_block_length(&white).unwrap();
        let a = optimal_block_length(&ar).unwrap();
        assert!(a.stationary > 5.0 * w.stationary, "{w:?} {a:?}");
        // D_CB = (2/3) D_SB, so b_CB = (3/2)^(1/3) b_SB.
        assert!((a.circular / a.stationary - 1.5f64.cbrt()).abs() < 1e-12);
    }
}
