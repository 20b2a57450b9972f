//! The default's segment model, chosen per series: a step, a step on a drifting level
//! (DeCAFS), or a trend (piecewise linear).
//!
//! # Criterion (`cost = "auto"`, the default)
//! On the normal scores `y` of the values:
//! 1. **Drift.** The DeCAFS parameters are estimated from the lag-k difference variances
//!    ([`DecafsParams::estimate`]). The *drift share* is the part of the variance of a lag-10
//!    difference that the random walk explains, `10 σ_η² / v_10`. A level that wanders like a
//!    random walk has a share near 1, stationary noise (iid or AR(1)) 0 or near it. A share above
//!    [`DRIFT_SHARE`], with increments that do not keep one direction (sign test
//!    [`direction_z`] within ±[`DIRECTION_Z`]), fits the drift model: DeCAFS finds the jumps on
//!    top of the wandering level, each validated by a t-test of the local jump studentised by
//!    the same statistic on its neighbouring segments (`drift_test`: the data, not the
//!    fitted parameters, calibrate it, as `compare`'s long-run variance does for steps).
//! 2. **Trend or step.** The step model (`l2`) and the piecewise-linear model (`linear`) are
//!    both searched and validated; the BIC of each validated fit is
//!    (and [`bic_drift`] for the drift fit, from its Kalman-filter innovations):
//!    `BIC = n ln(RSS/n) + p ln n`, `RSS` the sum of squared AR(1) innovations
//!    `r_t - φ r_{t-1}` of the residuals `r` (φ the robust lag-1 estimate of the noise, which
//!    a trend does not move since it is taken from differences), `p = 2K + 1` for K steps and
//!    `3K + 2` for K trend changes (levels, slopes and locations). A smooth trend then reads as
//!    one trend instead of a staircase of steps, a step as a step (a line per segment costs
//!    one more parameter per segment).
//! 3. **Choice.** Steps, unless the trend or the drift fit has a BIC lower by more than
//!    [`BIC_MARGIN`]; then the lower of those two.
//!
//! With a numeric penalty (in the units of the l2 cost) the step model is used, so `auto`
//! with a number gives exactly what `l2` gives.

use serde::Serialize;

use super::decafs::{decafs, DecafsParams};
use super::detect::{prune_incremental, ChangeKind, ChangePoint};

/// The segment model used for a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// Piecewise-constant level (the `l2` cost).
    Step,
    /// Steps on a random-walk drift with AR(1) noise (DeCAFS).
    Drift,
    /// Piecewise-linear level (the `linear` cost).
    Trend,
}

/// Which model `detect` used, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelChoice {
    /// The model used.
    pub model: Model,
    /// The rule that chose it, in words.
    pub reason: String,
    /// Part of the lag-10 difference variance explained by the random-walk drift (NaN when not
    /// estimated).
    pub drift_share: f64,
    /// DeCAFS parameters estimated on the values searched (None when not estimated).
    pub params: Option<DecafsParams>,
    /// BIC of the validated step fit (NaN when not compared).
    pub bic_step: f64,
    /// BIC of the validated piecewise-linear fit (NaN when not compared).
    pub bic_trend: f64,
    /// BIC of the validated drift fit ([`bic_drift`]; NaN when the drift model was not fitted).
    pub bic_drift: f64,
}

/// BIC difference by which a trend or drift must beat the step model to replace it ("very
/// strong" evidence on Kass & Raftery's 1995 scale): steps are the simplest reading of a
/// change, so ties and weak preferences keep them.
pub const BIC_MARGIN: f64 = 10.0;

/// Drift share above which the drift model is fitted (and then competes by BIC): any drift
/// the estimate can tell from noise (iid and AR(1) noise estimate σ_η ≈ 0).
pub const DRIFT_SHARE: f64 = 0.02;

/// Lag at which the drift share is measured.
const SHARE_LAG: usize = 10;

/// |z| of the sign test of the lag-1 increments above which the drift model is not fitted.
pub const DIRECTION_Z: f64 = 3.5;

/// Sign test of the lag-1 increments: `z = (n₊ - n₋) / √(n₊ + n₋)` (zero increments left
/// out). A random-walk drift has increments symmetric about 0; a level that keeps moving one way
/// (a ramp, a sawtooth of ramps and resets) is a trend, which the drift model would otherwise
/// fit as a staircase of jumps.
pub fn direction_z(y: &[f64]) -> f64 {
    let (mut up, mut down) = (0usize, 0usize);
    for w in y.windows(2) {
        if w[1] > w[0] {
            up += 1;
        } else if w[1] < w[0] {
            down += 1;
        }
    }
    let m = (up + down) as f64;
    if m == 0.0 {
        0.0
    } else {
        (up as f64 - down as f64) / m.sqrt()
    }
}

/// `10 σ_η² / v_10`: the random walk's part of the lag-10 difference variance.
pub fn drift_share(p: &DecafsParams) -> f64 {
    let total = p.lag_variance(SHARE_LAG);
    if total > 0.0 {
        SHARE_LAG as f64 * p.sigma_eta * p.sigma_eta / total
    } else {
        0.0
    }
}

/// BIC of the fit of `y` with changes at `bkps` (piecewise means, or least-squares lines when
/// `linear`), with AR(1) innovations of coefficient `phi` (see the module documentation).
pub fn bic(y: &[f64], bkps: &[usize], linear: bool, phi: f64) -> f64 {
    let n = y.len();
    let mut prev_r = 0.0;
    let mut rss = 0.0;
    let mut start = 0;
    for &end in bkps.iter().chain(std::iter::once(&n)) {
        let seg = &y[start..end];
        let m = seg.len() as f64;
        let mean = seg.iter().sum::<f64>() / m;
        let tbar = (m - 1.0) / 2.0;
        let slope = if linear && seg.len() > 1 {
            let sty: f64 = seg
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f64 - tbar) * (v - mean))
                .sum();
            sty / (m * (m * m - 1.0) / 12.0)
        } else {
            0.0
        };
        for (i, v) in seg.iter().enumerate() {
            let r = v - mean - slope * (i as f64 - tbar);
            let t = start + i;
            rss += if t == 0 {
                (1.0 - phi * phi) * r * r
            } else {
                (r - phi * prev_r).powi(2)
            };
            prev_r = r;
        }
        start = end;
    }
    let k = bkps.len() as f64;
    let p = if linear { 3.0 * k + 2.0 } else { 2.0 * k + 1.0 };
    let nf = n as f64;
    nf * (rss.max(f64::MIN_POSITIVE) / nf).ln() + p * nf.ln()
}

/// BIC of the drift model (random-walk level with AR(1) noise, parameters `p`) with level
/// resets at `bkps`, from the Kalman filter's innovations `v_t` and their variances `F_t`,
/// the variances' common scale concentrated out (as `n ln(RSS/n)` does for [`bic`]):
/// ```text
/// BIC = n' ln(Σ v_t²/F_t / n') + Σ ln F_t + (2K + 2) ln n
/// ```
/// over the `n'` observations that are not the first of a segment (whose level is diffuse:
/// its value is a parameter, counted in `2K + 2` with the locations and the drift ratio).
pub fn bic_drift(y: &[f64], bkps: &[usize], p: &DecafsParams) -> f64 {
    let n = y.len();
    let (q_eta, q_nu) = (p.sigma_eta * p.sigma_eta, p.sigma_nu * p.sigma_nu);
    let phi = p.phi;
    // State (μ, ε); covariance [[p11, p12], [p12, p22]].
    let (mut m, mut e) = (0.0, 0.0);
    let (mut p11, mut p12, mut p22) = (0.0, 0.0, q_nu / (1.0 - phi * phi));
    let mut next = bkps.iter().peekable();
    let (mut sum_norm, mut sum_logf, mut used) = (0.0, 0.0, 0usize);
    for (t, &yt) in y.iter().enumerate() {
        let reset = t == 0 || next.peek().is_some_and(|&&b| b == t);
        if reset && t > 0 {
            next.next();
        }
        if t > 0 {
            // Predict: μ ← μ, ε ← φ ε.
            e *= phi;
            p11 += q_eta;
            p12 *= phi;
            p22 = phi * phi * p22 + q_nu;
        }
        if reset {
            // Diffuse level: the observation fixes μ given ε.
            m = yt - e;
            p11 = p22;
            p12 = -p22;
        } else {
            let v = yt - m - e;
            let f = p11 + 2.0 * p12 + p22;
            let (k1, k2) = ((p11 + p12) / f, (p12 + p22) / f);
            m += k1 * v;
            e += k2 * v;
            let (n11, n12, n22) = (p11 - k1 * k1 * f, p12 - k1 * k2 * f, p22 - k2 * k2 * f);
            p11 = n11.max(0.0);
            p12 = n12;
            p22 = n22.max(0.0);
            if f > 0.0 {
                sum_norm += v * v / f;
                sum_logf += f.ln();
                used += 1;
            }
        }
    }
    let k = bkps.len() as f64;
    let nu = used.max(1) as f64;
    nu * (sum_norm.max(f64::MIN_POSITIVE) / nu).ln() + sum_logf + (2.0 * k + 2.0) * (n as f64).ln()
}

/// Longest window on each side of a drift change point for its jump test.
const MAX_WINDOW: usize = 64;

/// Values on each side of a drift change point used for its reference blocks (the closest;
/// the same local reach as the step model's `compare` validation).
const REFERENCE_REACH: usize = 10_000;

/// Smallest p-value reported: a p-value below the smallest normal double is reported as this
/// value (the evidence is then "at least this strong"), never as 0 from underflow.
pub const P_FLOOR: f64 = f64::MIN_POSITIVE;

/// `Var(mean(y[τ..τ+h]) - mean(y[τ-h..τ]))` under the drift + AR(1) model without a change,
/// for h = 1..=MAX_WINDOW (index h - 1):
/// ```text
/// d_i = y_{τ+i} - y_{τ-h+i},   Cov(d_i, d_{i+l}) = σ_η² (h - |l|)
///                                 + σ_ε² (2 φ^|l| - φ^|l+h| - φ^|l-h|),  σ_ε² = σ_ν²/(1-φ²)
/// Var = Σ_{|l|<h} (h - |l|) Cov(d_0, d_l) / h²
/// ```
fn window_variances(p: &DecafsParams) -> Vec<f64> {
    let s_eps = p.sigma_nu * p.sigma_nu / (1.0 - p.phi * p.phi);
    let s_eta = p.sigma_eta * p.sigma_eta;
    let pw = |k: i64| p.phi.powi(k.unsigned_abs() as i32);
    (1..=MAX_WINDOW as i64)
        .map(|h| {
            let total: f64 = (-(h - 1)..h)
                .map(|l| {
                    let c = s_eta * (h - l.abs()) as f64
                        + s_eps * (2.0 * pw(l) - pw(l + h) - pw(l - h));
                    (h - l.abs()) as f64 * c
                })
                .sum();
            total / (h * h) as f64
        })
        .collect()
}

/// The local jump at `tau` over windows of `h`: `mean(y[τ..τ+h]) - mean(y[τ-h..τ])`.
fn jump(y: &[f64], tau: usize, h: usize) -> f64 {
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    mean(&y[tau..tau + h]) - mean(&y[tau - h..tau])
}

/// Number of reference blocks of `2h` values in `[a, τ - h)` and `[τ + h, b)` (each side cut
/// to [`REFERENCE_REACH`] values next to τ).
fn reference_blocks(a: usize, tau: usize, b: usize, h: usize) -> (usize, usize) {
    let left = (tau - a).min(REFERENCE_REACH).saturating_sub(h) / (2 * h);
    let right = (b - tau).min(REFERENCE_REACH).saturating_sub(h) / (2 * h);
    (left, right)
}

/// Calibrated test of a drift-model change at `τ` between the segments `[a, τ)` and `[τ, b)`:
/// a t-test of the local jump studentised by the same statistic on the segments themselves.
///
/// Under the drift + AR(1) model the local jump `D_h(t) = mean(y[t..t+h]) - mean(y[t-h..t])`
/// has the same distribution (mean 0, variance `V_h`) at every `t` without a change, whatever
/// the wandering level does: it is a linear function of the increments, which are stationary.
/// The segments either side give `K` such statistics on disjoint blocks of `2h` values (left of
/// `τ - h` and right of `τ + h`, so none overlaps the tested jump), which estimate `V_h` from the
/// data as the batch-means long-run variance does for `compare`:
/// ```text
/// t = D_h(τ) / √(Σ_k D_h(t_k)² / K),   p = 2 P[T_K > |t|]   (Student t, K df)
/// ```
/// The blocks are almost independent (disjoint increments; AR(1) noise correlates neighbouring
/// blocks only at their edges), so `t` is a t statistic with `K` degrees of freedom; it does
/// not rely on the estimated σ_η, σ_ν, φ (those only choose `h`). `h ≤ 64` minimises the
/// expected half-width of the test, `t_{K(h), 0.975} · √V_h`, with `V_h` from the model
/// ([`window_variances`]) and at least one reference block on each side. A change whose
/// segments are too short for that (or shorter than `min_size`) gets p = 1. p-values below
/// [`P_FLOOR`] are reported as [`P_FLOOR`].
fn drift_test(y: &[f64], bkps: &[usize], j: usize, var: &[f64], min_size: usize) -> (f64, usize) {
    let n = y.len();
    let tau = bkps[j];
    let a = if j == 0 { 0 } else { bkps[j - 1] };
    let b = bkps.get(j + 1).copied().unwrap_or(n);
    if (tau - a).min(b - tau) < min_size {
        return (1.0, 1);
    }
    let hmax = ((tau - a).min(b - tau) / 3).clamp(1, MAX_WINDOW);
    let mut best: Option<(f64, usize, usize, usize)> = None;
    for h in 1..=hmax {
        let (kl, kr) = reference_blocks(a, tau, b, h);
        if kl == 0 || kr == 0 {
            continue;
        }
        let width = crate::stats::math::dist::t_ppf(0.975, (kl + kr) as f64) * var[h - 1].sqrt();
        if best.map_or(true, |(w, ..)| width < w) {
            best = Some((width, h, kl, kr));
        }
    }
    let Some((_, h, kl, kr)) = best else {
        return (1.0, 1);
    };
    let mut ss = 0.0;
    for k in 0..kl {
        // Block [s, s + 2h) left of τ - h, centred at s + h.
        let s = tau - h - 2 * h * (k + 1);
        ss += jump(y, s + h, h).powi(2);
    }
    for k in 0..kr {
        let s = tau + h + 2 * h * k;
        ss += jump(y, s + h, h).powi(2);
    }
    let df = (kl + kr) as f64;
    let d = jump(y, tau, h);
    let p = if ss > 0.0 {
        let t = d / (ss / df).sqrt();
        (2.0 * crate::stats::math::dist::t_sf(t.abs(), df)).min(1.0)
    } else if d != 0.0 {
        0.0
    } else {
        1.0
    };
    (p.max(P_FLOOR), h)
}

/// Change points of the drift model: DeCAFS on `y` with penalty `beta` (`-2 log L` units),
/// then each change validated by [`drift_test`] (a t-test of the local jump against the same
/// statistic on its two neighbouring segments), Holm-adjusted, the least significant dropped
/// until all are ≤ `alpha`. A change next to a segment shorter than `min_size` gets p = 1
/// (DeCAFS, with no minimum segment, fits a lone outlier by two changes: it is not a change).
/// Levels are raw means (`x`) over the test's windows.
/// Returns (candidates, validated change points).
pub(crate) fn detect_drift(
    x: &[f64],
    y: &[f64],
    params: &DecafsParams,
    beta: f64,
    alpha: f64,
    min_size: usize,
) -> crate::Result<(Vec<usize>, Vec<ChangePoint>)> {
    let fit = decafs(y, params, beta)?;
    let var = window_variances(params);
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let test_one = |bkps: &[usize], j: usize| -> ChangePoint {
        let tau = bkps[j];
        let (p_value, h) = drift_test(y, bkps, j, &var, min_size);
        let (before, after) = (mean(&x[tau - h..tau]), mean(&x[tau..tau + h]));
        ChangePoint {
            index: tau,
            before,
            after,
            magnitude: after - before,
            p_value,
            p_adjusted: p_value,
            kind: ChangeKind::Step,
        }
    };
    let validated = prune_incremental(fit.breakpoints.clone(), alpha, test_one);
    Ok((fit.breakpoints, validated))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window variance against a direct sum over the covariance matrix of the window.
    #[test]
    fn window_variance_matches_the_covariance_sum() {
        let p = DecafsParams {
            sigma_eta: 0.3,
            sigma_nu: 0.8,
            phi: 0.6,
        };
        let var = window_variances(&p);
        let s_eps = p.sigma_nu * p.sigma_nu / (1.0 - p.phi * p.phi);
        // Cov(y_s, y_t) for the stationary AR part plus the random walk started far back.
        let cov = |s: i64, t: i64| {
            let start = -1000i64;
            s_eps * p.phi.powi((s - t).unsigned_abs() as i32)
                + p.sigma_eta * p.sigma_eta * (s.min(t) - start) as f64
        };
        for h in [1i64, 2, 5, 17] {
            // w_t = +1/h on [0, h), -1/h on [-h, 0).
            let w = |t: i64| {
                if t >= 0 {
                    1.0 / h as f64
                } else {
                    -1.0 / h as f64
                }
            };
            let mut v = 0.0;
            for s in -h..h {
                for t in -h..h {
                    v += w(s) * w(t) * cov(s, t);
                }
            }
            let got = var[h as usize - 1];
            assert!((got - v).abs() <= 1e-9 * v, "h={h}: {got} vs {v}");
        }
    }

    fn walk(rng: &mut crate::stats::rng::Rng, n: usize, eta: f64, phi: f64, nu: f64) -> Vec<f64> {
        let (mut level, mut e) = (0.0, 0.0);
        (0..n)
            .map(|_| {
                level += eta * rng.normal();
                e = phi * e + nu * rng.normal();
                level + e
            })
            .collect()
    }

    /// Without a change, the drift test rejects at its level: a random walk with AR(1) noise,
    /// a change tested in the middle, 5 % of 600 series below 0.05 (binomial sd 0.9 %).
    #[test]
    fn drift_test_holds_its_level_on_a_wandering_level() {
        for (seed, eta, phi, nu) in [
            (1u64, 0.1, 0.5, 1.0),
            (2, 0.3, 0.0, 0.5),
            (3, 0.02, 0.9, 0.5),
        ] {
            let mut rng = crate::stats::rng::Rng::new(seed);
            let p = DecafsParams {
                sigma_eta: eta,
                sigma_nu: nu,
                phi,
            };
            let var = window_variances(&p);
            let reps = 600;
            let rejected = (0..reps)
                .filter(|_| {
                    let y = walk(&mut rng, 1000, eta, phi, nu);
                    drift_test(&y, &[500], 0, &var, 5).0 < 0.05
                })
                .count();
            let rate = rejected as f64 / reps as f64;
            assert!((0.025..=0.08).contains(&rate), "seed {seed}: {rate}");
        }
    }

    /// A jump far beyond the noise gets a tiny p-value that is still positive, and a change
    /// next to a short segment gets 1.
    #[test]
    fn drift_test_is_finite_and_floored() {
        let mut rng = crate::stats::rng::Rng::new(9);
        let mut y = walk(&mut rng, 1000, 0.01, 0.0, 1e-6);
        for v in &mut y[500..] {
            *v += 1e6;
        }
        let p = DecafsParams {
            sigma_eta: 0.01,
            sigma_nu: 1e-6,
            phi: 0.0,
        };
        let var = window_variances(&p);
        let (pv, _) = drift_test(&y, &[500], 0, &var, 5);
        assert!(pv > 0.0 && pv < 1e-10, "{pv}");
        assert_eq!(drift_test(&y, &[500, 503], 0, &var, 5).0, 1.0);
        // The t statistic by hand for h = 1 (segments of 4: one block on each side).
        let y = [0.0, 1.0, 3.0, 2.0, 10.0, 12.0, 11.0, 9.0];
        let var = vec![1.0; MAX_WINDOW];
        let (pv, h) = drift_test(&y, &[4], 0, &var, 1);
        assert_eq!(h, 1);
        // D(4) = 10 - 2; blocks [1, 3): 3 - 1 = 2; [5, 7): 11 - 12 = -1. t = 8 / √(5/2), 2 df.
        let t: f64 = 8.0 / (2.5f64).sqrt();
        // Two-sided t(2) tail: 1 - t / √(t² + 2).
        let want = 1.0 - t / (t * t + 2.0).sqrt();
        assert!((pv - want).abs() <= 1e-12 * want, "{pv} vs {want}");
    }

    #[test]
    fn bic_prefers_one_line_to_a_staircase() {
        let y: Vec<f64> = (0..200)
            .map(|i| 0.05 * i as f64 + if i % 2 == 0 { 0.3 } else { -0.3 })
            .collect();
        let stairs: Vec<usize> = (1..10).map(|k| 20 * k).collect();
        assert!(bic(&y, &[], true, 0.0) < bic(&y, &stairs, false, 0.0));
        assert!(bic(&y, &[], true, 0.0) < bic(&y, &[], false, 0.0));
    }
}
