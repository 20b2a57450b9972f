//! Anderson–Darling k-sample test, mirroring scipy.stats.anderson_ksamp.

use serde::Serialize;

use crate::stats::check;
use crate::{Error, Result};

/// How the p-value of [`anderson_ksamp`] relates to scipy's interpolation table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PValueBound {
    /// Interpolated inside the table (0.001 ≤ p ≤ 0.25).
    Interpolated,
    /// The statistic is below every critical value: the true p-value is larger than the
    /// reported 0.25.
    Capped,
    /// The statistic is above every critical value: the true p-value is smaller than the
    /// reported 0.001.
    Floored,
}

/// Result of [`anderson_ksamp`].
#[derive(Debug, Clone, Serialize)]
pub struct AndersonKsamp {
    /// The normalised k-sample statistic `(A²_kN − (k − 1)) / σ_N`.
    pub statistic: f64,
    /// Critical values at the significance levels [`AD_SIGNIFICANCE_LEVELS`].
    pub critical_values: Vec<f64>,
    /// Approximate p-value (interpolated, capped at 0.25 or floored at 0.001; see `bound`).
    pub p_value: f64,
    /// Whether `p_value` was interpolated, capped or floored.
    pub bound: PValueBound,
}

/// Significance levels of [`AndersonKsamp::critical_values`] (scipy's order).
pub const AD_SIGNIFICANCE_LEVELS: [f64; 7] = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

/// `Σ_j inner_j` for the midrank (`A²_akN`, ties as half) or right-continuous (`A²_kN`)
/// versions, by one merge over the pooled sorted values.
fn a2_statistic(sorted: &[Vec<f64>], pooled: &[f64], midrank: bool) -> f64 {
    let big_n = pooled.len();
    let nf = big_n as f64;
    // Distinct pooled values with their multiplicity l_j and count below.
    let mut distinct: Vec<(f64, usize, usize)> = Vec::new(); // (value, l_j, #less)
    let mut i = 0;
    while i < big_n {
        let mut j = i;
        while j < big_n && pooled[j] == pooled[i] {
            j += 1;
        }
        distinct.push((pooled[i], j - i, i));
        i = j;
    }
    let mut total = 0.0;
    for s in sorted {
        let ni = s.len();
        let mut pos = 0usize; // number of s values < current z
        let mut acc = 0.0;
        let last = if midrank {
            distinct.len()
        } else {
            distinct.len() - 1
        };
        let mut below_total = 0usize; // cumulative l_j (right version)
        for &(z, lj, less) in &distinct[..last] {
            while pos < ni && s[pos] < z {
                pos += 1;
            }
            let mut end = pos;
            while end < ni && s[end] == z {
                end += 1;
            }
            let (m_right, f) = (end, end - pos);
            pos = end;
            if midrank {
                let ljf = lj as f64;
                let bj = less as f64 + ljf / 2.0;
                let mij = m_right as f64 - f as f64 / 2.0;
                let d = nf * mij - bj * ni as f64;
                acc += ljf / nf * (d * d) / (bj * (nf - bj) - nf * ljf / 4.0);
            } else {
                below_total += lj;
                let d = (big_n * m_right) as i128 - (below_total * ni) as i128;
                let denom = (below_total * (big_n - below_total)) as f64;
                acc += lj as f64 / nf * ((d * d) as f64) / denom;
            }
        }
        total += acc / ni as f64;
    }
    if midrank {
        total * (nf - 1.0) / nf
    } else {
        total
    }
}

/// Least-squares quadratic `c0 x² + c1 x + c2` through `(x_i, y_i)` (numpy.polyfit
/// degree 2), by Householder QR of the column-scaled Vandermonde matrix.
fn polyfit2(x: &[f64], y: &[f64]) -> [f64; 3] {
    let rows = x.len();
    let mut a: Vec<[f64; 3]> = x.iter().map(|&v| [v * v, v, 1.0]).collect();
    let mut scale = [0.0f64; 3];
    for (c, s) in scale.iter_mut().enumerate() {
        *s = a.iter().map(|r| r[c] * r[c]).sum::<f64>().sqrt();
        for r in a.iter_mut() {
            r[c] /= *s;
        }
    }
    let mut b = y.to_vec();
    for c in 0..3 {
        let norm = a[c..].iter().map(|r| r[c] * r[c]).sum::<f64>().sqrt();
        let alpha = if a[c][c] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = a[c..].iter().map(|r| r[c]).collect();
        v[0] -= alpha;
        let vv: f64 = v.iter().map(|t| t * t).sum();
        if vv == 0.0 {
            continue;
        }
        for cc in c..3 {
            let dot: f64 = v.iter().zip(&a[c..]).map(|(vi, r)| vi * r[cc]).sum();
            let f = 2.0 * dot / vv;
            for (vi, r) in v.iter().zip(a[c..].iter_mut()) {
                r[cc] -= f * vi;
            }
        }
        let dot: f64 = v.iter().zip(&b[c..]).map(|(vi, bi)| vi * bi).sum();
        let f = 2.0 * dot / vv;
        for (vi, bi) in v.iter().zip(b[c..].iter_mut()) {
            *bi -= f * vi;
        }
    }
    debug_assert!(rows >= 3);
    let mut coef = [0.0f64; 3];
    for c in (0..3).rev() {
        let mut s = b[c];
        for cc in (c + 1)..3 {
            s -= a[c][cc] * coef[cc];
        }
        coef[c] = s / a[c][c];
    }
    for (c, s) in coef.iter_mut().zip(scale) {
        *c /= s;
    }
    coef
}

/// Anderson–Darling k-sample test that `k ≥ 2` samples come from one distribution
/// (scipy.stats.anderson_ksamp with the default interpolated p-value).
///
/// ```text
/// pooled sorted values Z (N of them), distinct values z_j with multiplicity l_j
/// midrank = true  (A²_akN, Scholz & Stephens eq. 7, for ties):
///   B_j = #{Z < z_j} + l_j/2,  M_ij = #{x_i ≤ z_j} − #{x_i = z_j}/2
///   A² = (N−1)/N Σ_i 1/n_i Σ_j (l_j/N) (N M_ij − n_i B_j)² / (B_j (N − B_j) − N l_j/4)
/// midrank = false (A²_kN, eq. 6, right-continuous; last z_j skipped):
///   B_j = Σ_{t≤j} l_t,  M_ij = #{x_i ≤ z_j}
///   A² = Σ_i 1/n_i Σ_j (l_j/N) (N M_ij − n_i B_j)² / (B_j (N − B_j))
/// T = (A² − (k − 1)) / σ_N   with σ_N² from Scholz & Stephens' exact variance (eq. 4)
/// critical values c_s = b0_s + b1_s/√(k−1) + b2_s/(k−1) at s = .25 .1 .05 .025 .01 .005 .001
/// p = exp(quadratic least-squares fit of log s on c_s, evaluated at T)
///   capped at 0.25 when T < min c_s, floored at 0.001 when T > max c_s
/// ```
/// Reference: Scholz & Stephens (1987), "K-sample Anderson–Darling tests", JASA 82,
/// 918–924; mirrors scipy 1.17 (its legacy `midrank=` form, which also returns the critical
/// values). The p-value is only an interpolation in [0.001, 0.25]: [`AndersonKsamp::bound`]
/// says when it was capped or floored (scipy warns). Departures: NaN/±∞ are an error, and
/// fewer than 4 pooled values is an error (scipy divides by `N − 3 = 0`).
///
/// # Example
/// ```
/// use shiftwatch::stats::anderson::{anderson_ksamp, PValueBound};
///
/// let a: Vec<f64> = (0..30).map(f64::from).collect();
/// let b: Vec<f64> = (0..30).map(|v| f64::from(v) + 20.0).collect();
/// let r = anderson_ksamp(&[&a, &b], true)?;
/// assert_eq!(r.bound, PValueBound::Floored); // p < 0.001, reported as 0.001
/// assert_eq!(r.critical_values.len(), 7);
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for fewer than two samples, [`Error::TooFewPoints`] for an
/// empty sample or fewer than 4 values in all, [`Error::NonFinite`] for NaN/±∞,
/// [`Error::Constant`] when all pooled values are equal.
pub fn anderson_ksamp(samples: &[&[f64]], midrank: bool) -> Result<AndersonKsamp> {
    let k = samples.len();
    if k < 2 {
        return Err(Error::invalid(
            "samples",
            format!("need at least two samples, got {k}"),
        ));
    }
    let mut sorted = Vec::with_capacity(k);
    for s in samples {
        check::sample("sample", s, 1)?;
        let mut v = s.to_vec();
        crate::stats::rank::sort_f64(&mut v);
        sorted.push(v);
    }
    let mut pooled: Vec<f64> = sorted.iter().flatten().copied().collect();
    crate::stats::rank::sort_f64(&mut pooled);
    let big_n = pooled.len();
    if big_n < 4 {
        return Err(Error::TooFewPoints {
            what: "samples (pooled)",
            needed: 4,
            got: big_n,
        });
    }
    if pooled[0] == pooled[big_n - 1] {
        return Err(Error::Constant {
            what: "samples",
            value: pooled[0],
            why: "the Anderson-Darling test needs more than one distinct value",
        });
    }
    let a2 = a2_statistic(&sorted, &pooled, midrank);

    let nf = big_n as f64;
    let kf = k as f64;
    let h_sum: f64 = sorted.iter().map(|s| 1.0 / s.len() as f64).sum();
    // hs_cs[t] = Σ_{u ≤ t} 1/(N − 1 − u), t = 0 … N − 3.
    let mut cum = 0.0;
    let mut g = 0.0;
    for t in 0..(big_n - 2) {
        cum += 1.0 / (big_n - 1 - t) as f64;
        g += cum / (t + 2) as f64;
    }
    let h = cum + 1.0;
    let a = (4.0 * g - 6.0) * (kf - 1.0) + (10.0 - 6.0 * g) * h_sum;
    let b = (2.0 * g - 4.0) * kf * kf + 8.0 * h * kf + (2.0 * g - 14.0 * h - 4.0) * h_sum - 8.0 * h
        + 4.0 * g
        - 6.0;
    let c = (6.0 * h + 2.0 * g - 2.0) * kf * kf
        + (4.0 * h - 4.0 * g + 6.0) * kf
        + (2.0 * h - 6.0) * h_sum
        + 4.0 * h;
    let d = (2.0 * h + 6.0) * kf * kf - 4.0 * h * kf;
    let sigmasq =
        (a * nf.powi(3) + b * nf * nf + c * nf + d) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0));
    let m = kf - 1.0;
    let statistic = (a2 - m) / sigmasq.sqrt();

    const B0: [f64; 7] = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
    const B1: [f64; 7] = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
    const B2: [f64; 7] = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
    let critical: Vec<f64> = (0..7)
        .map(|i| B0[i] + B1[i] / m.sqrt() + B2[i] / m)
        .collect();
    let cmin = critical.iter().copied().fold(f64::INFINITY, f64::min);
    let cmax = critical.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (p_value, bound) = if statistic < cmin {
        (0.25, PValueBound::Capped)
    } else if statistic > cmax {
        (0.001, PValueBound::Floored)
    } else {
        let logs: Vec<f64> = AD_SIGNIFICANCE_LEVELS.iter().map(|s| s.ln()).collect();
        let pf = polyfit2(&critical, &logs);
        let v = (pf[0] * statistic + pf[1]) * statistic + pf[2];
        (v.exp(), PValueBound::Interpolated)
    };
    Ok(AndersonKsamp {
        statistic,
        critical_values: critical,
        p_value,
        bound,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_input() {
        assert!(anderson_ksamp(&[&[1.0, 2.0]], true).is_err());
        assert!(matches!(
            anderson_ksamp(&[&[1.0, 2.0], &[]], true),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            anderson_ksamp(&[&[1.0, 2.0], &[2.0]], true),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            anderson_ksamp(&[&[1.0, f64::NAN], &[2.0, 3.0]], true),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            anderson_ksamp(&[&[3.0, 3.0], &[3.0, 3.0]], false),
            Err(Error::Constant { .. })
        ));
    }

    #[test]
    fn quadratic_fit_is_exact_on_a_parabola() {
        let x = [0.5, 1.0, 2.0, 3.0, 4.5];
        let y: Vec<f64> = x.iter().map(|v| 2.0 * v * v - 3.0 * v + 0.5).collect();
        let c = polyfit2(&x, &y);
        assert!((c[0] - 2.0).abs() < 1e-12 && (c[1] + 3.0).abs() < 1e-12);
        assert!((c[2] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn separates_shifted_samples() {
        let x: Vec<f64> = (0..40).map(f64::from).collect();
        let y: Vec<f64> = (0..40).map(|i| f64::from(i) + 25.0).collect();
        let r = anderson_ksamp(&[&x, &y], true).unwrap();
        assert_eq!(r.bound, PValueBound::Floored);
        assert_eq!(r.p_value, 0.001);
        let same = anderson_ksamp(&[&x, &x], true).unwrap();
        assert_eq!(same.bound, PValueBound::Capped);
    }
}
