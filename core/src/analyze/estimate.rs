//! The estimates behind a verdict: level, dispersion and trend, each with a dependence-aware
//! interval and p-value. Levels reuse [`crate::stats::compare::compare`]; dispersion and trend
//! reuse its long-run variance (EWC with a data-driven basis size).

use crate::report::Effect;
use crate::stats::compare::{
    compare, har, har_like, CompareOptions, Comparison, Estimator, Pairing,
};
use crate::stats::dist::{t_ppf, t_sf};
use crate::Result;

/// One tested aspect of a metric.
#[derive(Debug, Clone)]
pub struct Aspect {
    /// The effect and its intervals (relative CI present when defined).
    pub effect: Effect,
    /// Two-sided p-value.
    pub p_value: f64,
    /// What ran.
    pub method: String,
    /// Points compared.
    pub n: usize,
    /// Effective number of independent points.
    pub n_effective: f64,
    /// Standard error and t degrees of freedom on the test's scale (the mean log-ratio with
    /// log-ratio pairing), when the test is a t test.
    pub t_scale: Option<(f64, f64)>,
    /// `true` when the test ran on log-ratios.
    pub log_ratio: bool,
    /// The (1 − 2α) intervals of (relative, absolute) from the same test: one-sided (1 − α)
    /// bounds, what the verdict is decided on ([`decision_effect`]).
    pub decision: Option<Decision>,
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn from_comparison(c: &Comparison, statistic: &str, b: &[f64], x: &[f64], log: bool) -> Aspect {
    let (mb, mc) = (mean(b), mean(x));
    let relative = finite(c.relative);
    let ci_relative = relative.map(|_| [c.ci_relative.lo, c.ci_relative.hi]);
    // One test behind every number: with log-ratio pairing the absolute interval is the
    // relative one scaled by the baseline level (not a second, difference-based test).
    let (absolute, ci_absolute) = match (log, relative, ci_relative) {
        (true, Some(r), Some([lo, hi])) => (r * mb, [lo * mb, hi * mb]),
        _ => (c.absolute, [c.ci_absolute.lo, c.ci_absolute.hi]),
    };
    let n_effective = if c.paired.is_some() {
        c.candidate.n_effective.min(c.baseline.n_effective)
    } else {
        c.baseline.n_effective + c.candidate.n_effective
    };
    Aspect {
        effect: Effect {
            statistic: statistic.to_string(),
            relative,
            absolute,
            ci_relative,
            ci_absolute,
            baseline: mb,
            candidate: mc,
            margin: 0.0,
            ci_decision: None,
        },
        p_value: c.p_value,
        method: c.method.clone(),
        n: c.baseline.n.max(c.candidate.n),
        n_effective,
        t_scale: Some((c.se, c.df)),
        log_ratio: log,
        decision: None,
    }
}

/// Level of the candidate against the baseline. Paired: per-time log-ratios when every value
/// is positive, else differences (ratio of means by the delta method); unpaired: EWC Welch.
///
/// # Errors
/// As [`compare`].
pub fn level(
    b: &[f64],
    c: &[f64],
    paired: bool,
    ratio_of_means: bool,
    alpha: f64,
) -> Result<Aspect> {
    let positive = b.iter().chain(c).all(|v| *v > 0.0);
    let pairing = match (paired, positive && !ratio_of_means) {
        (false, _) => None,
        (true, true) => Some(Pairing::LogRatio),
        (true, false) => Some(Pairing::Difference),
    };
    let options = CompareOptions {
        alpha,
        paired: pairing,
        ..CompareOptions::default()
    };
    let r = compare(b, c, &options)?;
    let stat = if ratio_of_means { "rate" } else { "mean" };
    let log = pairing == Some(Pairing::LogRatio);
    let mut a = from_comparison(&r, stat, b, c, log);
    a.decision = if log {
        // On the log scale the interval is mean ± t·se: the (1 − 2α) one needs only the quantile.
        log_decision(&r, alpha)
    } else {
        decision_of(b, c, &options, log)?
    };
    Ok(a)
}

/// The (1 − 2α) intervals of a log-ratio comparison: `exp(l̄ ± t_{1−α,ν} se) − 1`.
fn log_decision(r: &Comparison, alpha: f64) -> Option<Decision> {
    let est = r.relative.ln_1p();
    if !(est.is_finite() && r.se.is_finite() && alpha < 0.5) {
        return None;
    }
    let q = t_ppf(1.0 - alpha, r.df);
    let d = [(est - q * r.se).exp_m1(), (est + q * r.se).exp_m1()];
    let mb = r.baseline.mean;
    Some((Some(d), [d[0] * mb, d[1] * mb]))
}

/// The trend aspect: [`trend`] of `y` against epoch-ms `times` (hours from the first), relative
/// to `levels.0` (the baseline level) when `relative_to_level`, else already relative.
///
/// # Errors
/// As [`trend`].
pub fn trend_aspect(
    times_ms: &[i64],
    y: &[f64],
    levels: (f64, f64),
    relative_to_level: bool,
    method: String,
    alpha: f64,
) -> Result<Aspect> {
    let hours: Vec<f64> = times_ms
        .iter()
        .map(|t| (t - times_ms.first().copied().unwrap_or(0)) as f64 / 3.6e6)
        .collect();
    let (base, cand) = levels;
    let scale = if relative_to_level { base } else { 1.0 };
    let (per_h, ci, p, n) = trend(&hours, y, scale, alpha)?;
    Ok(Aspect {
        effect: Effect {
            statistic: "trend_per_h".into(),
            relative: Some(per_h),
            absolute: per_h * base,
            ci_relative: Some(ci),
            ci_absolute: [ci[0] * base, ci[1] * base],
            baseline: base,
            candidate: cand,
            margin: 0.0,
            ci_decision: None,
        },
        p_value: p,
        method,
        n,
        n_effective: f64::NAN,
        t_scale: None,
        log_ratio: false,
        decision: None,
    })
}

/// (1 − 2α) intervals of the relative (when defined) and absolute effect.
pub type Decision = (Option<[f64; 2]>, [f64; 2]);

/// The same comparison at level 2α: its intervals are the (1 − 2α) intervals.
fn decision_of(
    b: &[f64],
    c: &[f64],
    options: &CompareOptions,
    log: bool,
) -> Result<Option<Decision>> {
    if options.alpha >= 0.5 {
        return Ok(None);
    }
    let at = CompareOptions {
        alpha: 2.0 * options.alpha,
        ..*options
    };
    let d = from_comparison(&compare(b, c, &at)?, "", b, c, log);
    Ok(Some((d.effect.ci_relative, d.effect.ci_absolute)))
}

/// The effect with the (1 − 2α) intervals the verdict is decided on: each bound is a one-sided
/// (1 − α) bound, as a superiority / non-inferiority margin test and TOST equivalence at level α
/// use. Without them (no t test behind the aspect) the effect's own intervals.
pub fn decision_effect(a: &Aspect) -> Effect {
    let mut e = a.effect.clone();
    if let Some((rel, abs)) = a.decision {
        e.ci_relative = rel.or(e.ci_relative);
        e.ci_absolute = abs;
    }
    e
}

/// Widens a log-ratio level comparison by the between-replica variance `tau2` (variance of one
/// replica's persistent log-level offset), for `nb` baseline and `nc` candidate replicas:
///
/// ```text
/// se²  = se_t² + τ̂² (1/n_b + 1/n_c),   df = se⁴ / (se_t⁴/ν_t + (τ̂²(1/n_b+1/n_c))²/ν_τ)
/// ```
/// (Welch–Satterthwaite), so two releases are not called different by less than their replicas
/// differ. `tau_df` is the degrees of freedom of τ̂² (moderated across metrics: [`super::replicas`]).
pub fn widen_for_replicas(
    a: &mut Aspect,
    tau2: f64,
    tau_df: f64,
    nb: usize,
    nc: usize,
    alpha: f64,
) {
    let (Some((se, df)), true, Some(rel)) = (a.t_scale, a.log_ratio, a.effect.relative) else {
        return;
    };
    let v_rep = tau2 * (1.0 / nb as f64 + 1.0 / nc as f64);
    if v_rep <= 0.0 || !v_rep.is_finite() || !se.is_finite() {
        return;
    }
    let v = se * se + v_rep;
    let denom = if df.is_finite() { se.powi(4) / df } else { 0.0 } + v_rep * v_rep / tau_df;
    let df_new = if denom > 0.0 {
        v * v / denom
    } else {
        f64::INFINITY
    };
    let est = rel.ln_1p();
    let se_new = v.sqrt();
    let q = t_ppf(1.0 - alpha / 2.0, df_new);
    let ci = [(est - q * se_new).exp_m1(), (est + q * se_new).exp_m1()];
    let mb = a.effect.baseline;
    a.effect.ci_relative = Some(ci);
    a.effect.ci_absolute = [ci[0] * mb, ci[1] * mb];
    let q1 = t_ppf(1.0 - alpha, df_new);
    let d = [(est - q1 * se_new).exp_m1(), (est + q1 * se_new).exp_m1()];
    a.decision = Some((Some(d), [d[0] * mb, d[1] * mb]));
    a.p_value = (2.0 * t_sf((est / se_new).abs(), df_new)).min(1.0);
    a.t_scale = Some((se_new, df_new));
    a.method = format!("{} + replica variance", a.method);
}

/// Absolute deviations of the first differences from their median: a spread measure immune
/// to level shifts, slow shared cycles and linear trends (Brown–Forsythe on increments).
pub fn spread_series(x: &[Option<f64>]) -> Vec<Option<f64>> {
    let d: Vec<Option<f64>> = x
        .windows(2)
        .map(|w| match (w[0], w[1]) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        })
        .collect();
    let mut present: Vec<f64> = d.iter().flatten().copied().collect();
    if present.is_empty() {
        return d;
    }
    let mid = present.len() / 2;
    let (_, m, _) = present.select_nth_unstable_by(mid, f64::total_cmp);
    let m = *m;
    d.into_iter().map(|v| v.map(|v| (v - m).abs())).collect()
}

/// Ratio of spreads, candidate over baseline, from the mean absolute deviations of increments
/// ([`spread_series`]); paired differences when the two are aligned, Welch otherwise. For a
/// location–scale family the ratio of mean absolute deviations equals the sd ratio.
///
/// # Errors
/// As [`compare`].
pub fn dispersion(b: &[f64], c: &[f64], paired: bool, alpha: f64) -> Result<Aspect> {
    let options = CompareOptions {
        alpha,
        paired: paired.then_some(Pairing::Difference),
        ..CompareOptions::default()
    };
    let r = compare(b, c, &options)?;
    let mut a = from_comparison(&r, "sd_ratio", b, c, false);
    a.decision = decision_of(b, c, &options, false)?;
    a.method = format!("{} on |Δx − median| (spread)", a.method);
    Ok(a)
}

/// Slope of `y` against time (hours), divided by `scale`, with an EWC long-run variance of the
/// OLS score `(t − t̄) û_t` (Lazarus, Lewis, Stock & Watson 2018) and a t_ν reference.
///
/// ```text
/// β̂ = Σ (t−t̄)(y−ȳ) / Sₜₜ,  û = y − ȳ − β̂ (t − t̄),  Var(β̂) = n ω̂(z) / Sₜₜ²,  z = (t−t̄) û
/// ν, AR(1) correction: from û (as compare does for a level)
/// ```
/// Assumes the residuals are stationary (a step inside the window biases the slope: report
/// change points too).
///
/// # Errors
/// As `compare`'s long-run variance (fewer than 3 points, non-finite values).
pub fn trend(
    t_hours: &[f64],
    y: &[f64],
    scale: f64,
    alpha: f64,
) -> Result<(f64, [f64; 2], f64, usize)> {
    crate::stats::check::sample("trend", y, 5)?;
    let n = y.len() as f64;
    let (tm, ym) = (mean(t_hours), mean(y));
    let stt: f64 = t_hours.iter().map(|t| (t - tm).powi(2)).sum();
    if stt <= 0.0 {
        return Err(crate::Error::invalid("trend", "all points at one time"));
    }
    let beta = t_hours
        .iter()
        .zip(y)
        .map(|(t, v)| (t - tm) * (v - ym))
        .sum::<f64>()
        / stt;
    let u: Vec<f64> = t_hours
        .iter()
        .zip(y)
        .map(|(t, v)| v - ym - beta * (t - tm))
        .collect();
    let hu = har(&u, Estimator::Ewc)?;
    let z: Vec<f64> = t_hours.iter().zip(&u).map(|(t, e)| (t - tm) * e).collect();
    let omega = har_like(&z, &hu, Estimator::Ewc)?;
    let se = (n * omega).sqrt() / stt;
    let df = if hu.df.is_finite() { hu.df } else { n - 2.0 };
    let scale = scale.abs();
    if se.is_nan() || se <= 0.0 || scale.is_nan() || scale <= 0.0 {
        let b = beta / scale;
        return Ok((b, [b, b], if beta == 0.0 { 1.0 } else { 0.0 }, y.len()));
    }
    let q = t_ppf(1.0 - alpha / 2.0, df);
    let p = (2.0 * t_sf((beta / se).abs(), df)).min(1.0);
    let b = beta / scale;
    let h = q * se / scale;
    Ok((b, [b - h, b + h], p, y.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ar1(n: usize, phi: f64, seed: u64) -> Vec<f64> {
        let mut rng = crate::stats::rng::Rng::new(seed);
        let mut x = 0.0;
        (0..n)
            .map(|_| {
                x = phi * x + rng.normal();
                x
            })
            .collect()
    }

    #[test]
    fn decision_interval_is_the_two_alpha_interval_of_the_same_test() {
        let b: Vec<f64> = ar1(400, 0.8, 1).iter().map(|x| 100.0 + x).collect();
        let c: Vec<f64> = ar1(400, 0.8, 2).iter().map(|x| 104.0 + x).collect();
        for (paired, ratio_of_means) in [(true, false), (true, true), (false, false)] {
            let a = level(&b, &c, paired, ratio_of_means, 0.05).expect("level");
            let wide = level(&b, &c, paired, ratio_of_means, 0.10).expect("level");
            let d = decision_effect(&a);
            let (got, want) = (
                d.ci_relative.expect("ci"),
                wide.effect.ci_relative.expect("ci"),
            );
            for k in 0..2 {
                assert!(
                    (got[k] - want[k]).abs() < 1e-12,
                    "{paired} {ratio_of_means}: {got:?} vs {want:?}"
                );
            }
        }
    }

    #[test]
    fn slope_matches_least_squares_and_trend_test_is_calibrated() {
        // OLS slope of y = 2 + 0.5 t (exact) is 0.5.
        let t: Vec<f64> = (0..50).map(|i| i as f64 / 10.0).collect();
        let y: Vec<f64> = (0..50)
            .map(|i| 2.0 + 0.5 * t[i] + if i % 2 == 0 { 0.1 } else { -0.1 })
            .collect();
        let (b, ci, _, _) = trend(&t, &y, 1.0, 0.05).expect("trend");
        // numpy 2.4.6: np.polyfit(np.arange(50)/10, y, 1)[0] with the alternating ±0.1 residual.
        assert!((b - 0.497_599_039_615_846_2).abs() < 1e-12, "{b}");
        assert!(ci[0] < b && b < ci[1]);
        // No trend, AR(1) φ = 0.9: rejections at 5 % stay near 5 %.
        let t: Vec<f64> = (0..720).map(|i| i as f64 / 60.0).collect();
        let mut rejected = 0;
        let reps = 400;
        for seed in 0..reps {
            let y = ar1(720, 0.9, seed);
            let (_, _, p, _) = trend(&t, &y, 1.0, 0.05).expect("trend");
            rejected += usize::from(p < 0.05);
        }
        let rate = rejected as f64 / reps as f64;
        assert!(rate < 0.09, "false trend rate {rate}");
    }
}
