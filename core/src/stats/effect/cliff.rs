//! Cliff's delta with Cliff's (1996) consistent variance and asymmetric interval.

use serde::Serialize;

use crate::stats::dist::norm_ppf;
use crate::stats::{check, ConfidenceInterval};
use crate::Result;

/// Cliff's delta and its confidence interval.
#[derive(Debug, Clone, Serialize)]
pub struct CliffsDelta {
    /// `P(Y > X) - P(Y < X)` in [-1, 1].
    pub delta: f64,
    /// Standard error `s_d` (after the lower bound, see [`cliffs_delta`]).
    pub standard_error: f64,
    /// Two-sided confidence interval inside [-1, 1].
    pub ci: ConfidenceInterval,
}

/// Cliff's delta of candidate `y` over baseline `x` with a two-sided interval.
///
/// ```text
/// d_ij = sign(y_j - x_i),   δ = (1/mn) Σ_ij d_ij = P(Y > X) - P(Y < X)
/// d_i. = (1/n) Σ_j d_ij,   d_.j = (1/m) Σ_i d_ij
/// s² = (n² Σ_i (d_i. - δ)² + m² Σ_j (d_.j - δ)² - Σ_ij (d_ij - δ)²) / (m n (m - 1)(n - 1))
/// s² ← max(s², (1 - δ²) / (m n - 1))                        (Cliff's lower bound)
/// CI = (δ - δ³ ∓ z s sqrt((1 - δ²)² + z² s²)) / (1 - δ² + z² s²),  z = z_(1 - α/2)
/// ```
///
/// Cliff (1993, Psychol. Bull. 114:494) unbiased variance and Cliff (1996, *Ordinal methods
/// for behavioral data analysis*) / Feng & Cliff (2004) asymmetric interval, which stays
/// inside [-1, 1]. All sums come from the two sorted samples by merge-like sweeps:
/// O((m + n) log(m + n)) instead of the m·n matrix. When `δ = ±1` (complete separation)
/// the interval degenerates to `[δ, δ]`.
///
/// # Errors
/// [`crate::Error::TooFewPoints`] (a sample with fewer than 2 values),
/// [`crate::Error::NonFinite`], [`crate::Error::InvalidArgument`] (`level`).
pub fn cliffs_delta(baseline: &[f64], candidate: &[f64], level: f64) -> Result<CliffsDelta> {
    check::sample("baseline", baseline, 2)?;
    check::sample("candidate", candidate, 2)?;
    check::probability("level", level)?;
    let (m, n) = (baseline.len(), candidate.len());
    let mut x = baseline.to_vec();
    let mut y = candidate.to_vec();
    x.sort_by(f64::total_cmp);
    y.sort_by(f64::total_cmp);
    let (mf, nf) = (m as f64, n as f64);
    // For each v of sorted `values`, (#{s < v} - #{s > v}, #{s == v}) over sorted `s`, by a
    // merge-like sweep (both pointers only move forward): O(|s| + |values|).
    let sweep = |s: &[f64], values: &[f64]| -> Vec<(f64, f64)> {
        let (mut below, mut not_above) = (0usize, 0usize);
        values
            .iter()
            .map(|&v| {
                while below < s.len() && s[below] < v {
                    below += 1;
                }
                not_above = not_above.max(below);
                while not_above < s.len() && s[not_above] <= v {
                    not_above += 1;
                }
                (
                    below as f64 - (s.len() - not_above) as f64,
                    (not_above - below) as f64,
                )
            })
            .collect()
    };
    let per_y = sweep(&x, &y);
    let sum_d: f64 = per_y.iter().map(|p| p.0).sum();
    let tied_pairs: f64 = per_y.iter().map(|p| p.1).sum();
    let col: Vec<f64> = per_y.iter().map(|p| p.0 / mf).collect();
    let delta = sum_d / (mf * nf);
    let row_ss: f64 = sweep(&y, &x)
        .iter()
        .map(|&(d, _)| {
            let di = -d / nf;
            (di - delta) * (di - delta)
        })
        .sum();
    let col_ss: f64 = col.iter().map(|d| (d - delta) * (d - delta)).sum();
    // Σ (d_ij - δ)² = #{d_ij ≠ 0} - mn δ²  (d_ij ∈ {-1, 0, 1}, Σ d_ij = mn δ).
    let cell_ss = (mf * nf - tied_pairs) - mf * nf * delta * delta;
    let s2 = (nf * nf * row_ss + mf * mf * col_ss - cell_ss) / (mf * nf * (mf - 1.0) * (nf - 1.0));
    let s2 = s2.max((1.0 - delta * delta) / (mf * nf - 1.0));
    let s = s2.sqrt();
    let z = -norm_ppf((1.0 - level) / 2.0);
    let one_m = 1.0 - delta * delta;
    let den = one_m + z * z * s2;
    let (lo, hi) = if den > 0.0 {
        let center = delta - delta * delta * delta;
        let half = z * s * (one_m * one_m + z * z * s2).sqrt();
        ((center - half) / den, (center + half) / den)
    } else {
        (delta, delta)
    };
    Ok(CliffsDelta {
        delta,
        standard_error: s,
        ci: ConfidenceInterval {
            lo: lo.max(-1.0),
            hi: hi.min(1.0),
            level,
        },
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn separation_and_symmetry() {
        let r = cliffs_delta(&[1.0, 2.0, 3.0], &[4.0, 5.0], 0.95).unwrap();
        assert_eq!(r.delta, 1.0);
        assert_eq!((r.ci.lo, r.ci.hi), (1.0, 1.0));
        let a = [1.0, 5.0, 2.0, 2.0, 7.0];
        let b = [3.0, 2.0, 8.0, 6.0];
        let ab = cliffs_delta(&a, &b, 0.9).unwrap();
        let ba = cliffs_delta(&b, &a, 0.9).unwrap();
        assert_eq!(ab.delta, -ba.delta);
        assert!((ab.ci.lo + ba.ci.hi).abs() < 1e-15);
        assert!(ab.ci.contains(ab.delta));
    }

    #[test]
    fn bad_input() {
        assert!(matches!(
            cliffs_delta(&[1.0], &[1.0, 2.0], 0.95),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            cliffs_delta(&[1.0, f64::NAN], &[1.0, 2.0], 0.95),
            Err(Error::NonFinite { .. })
        ));
        assert!(cliffs_delta(&[1.0, 2.0], &[1.0, 2.0], 0.0).is_err());
    }
}
