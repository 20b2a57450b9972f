//! The default change-point pipeline: robust penalty, exact search, validated change points.
//!
//! # What `detect` does by default
//! Missing values (NaN) are skipped and counted. The values are replaced by their normal
//! scores (ranks mapped to Gaussian quantiles), so heavy tails and skew (latencies) behave as
//! Gaussian noise. The noise scale is estimated robustly from lag-1, lag-4 (and, for strong
//! dependence, longer) differences (so a few level shifts do not inflate it), together with its
//! lag-1 autocorrelation φ; the penalty per change point is MBIC, `3 ln n` in units of the
//! *long-run* variance `σ² (1 + φ)/(1 - φ)`, so that slowly wandering (autocorrelated) noise is
//! not mistaken for shifts. An exact search (functional pruning, equal to PELT and optimal
//! partitioning) then finds the best segmentation of the Gaussian-mean (L2) cost with segments
//! of at least 5 points, and each change point is placed on the raw values (L1 split of its
//! neighbourhood). Every change point is then validated with the test of
//! [`crate::stats::compare::compare`] (Welch t with equal-weighted-cosine long-run variances
//! and estimated df, calibrated on autocorrelated data) between its two adjacent segments, of
//! the means and of the medians: the p-value is the larger of the two, so a lone outlier is not
//! a change. p-values are Holm-adjusted within the series, and the least significant change
//! point is dropped (and its neighbours re-tested) until all adjusted p-values are ≤ α = 0.05.
//! Each survivor reports the level before and after (raw means), and whether it looks like a
//! step, the onset of a trend, or a change of variance. The p-values are computed after the
//! search chose the locations, so they are optimistic for marginal changes; the penalty carries
//! the false-alarm control (in seeded tests: ≤ 1 false change per 10⁵ iid Gaussian, Student t₃
//! or lognormal points, per 10⁴ AR(1) points at φ = 0.9 and φ = 0.99).

use std::collections::HashMap;

use serde::Serialize;

use super::cost::{robust_sigma, winsorise, CostKind, BIWEIGHT_K};
use super::decafs::DecafsParams;
use super::joined;
use super::model::{
    bic, bic_drift, candidate_periods, choose_model, detect_drift, direction_z, drift_share,
    ml_drift, season_fit, trend_side, trend_test_of, Model, ModelChoice, Season, TrendSide,
    BIC_MARGIN, DIRECTION_Z, DRIFT_SHARE, DRIFT_SHARE_ML, ML_DRIFT_MAX_N,
};
use super::penalty::{NoiseScale, Penalty};
use super::prepare::{normal_scores, refine_l1, skip_missing, Scale};
use super::scale::search_values;
use super::search::{penalised, Method};
use crate::stats::compare::{
    mean_and_median_p_of, pooled_shift_p, sample_locations, sign_shift_p, SampleLocations,
};
use crate::{Error, Result};

/// Options of [`detect`]; `Default` gives the documented defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DetectOptions {
    /// Segment model (default [`CostKind::Auto`]: step, drift or trend chosen per series, see
    /// [`crate::changepoint::model`]).
    pub cost: CostKind,
    /// Search (default [`Method::Pelt`]: exact, except for the linear, normal and np costs above
    /// 10 000 values, which run the near-linear [`super::search::seeded`]; see
    /// [`super::search::penalised`]).
    pub method: Method,
    /// Penalty per change (default [`Penalty::Mbic`]).
    pub penalty: Penalty,
    /// Minimum segment length (default 5).
    pub min_size: usize,
    /// Level at which Holm-adjusted p-values validate a change point (default 0.05); 1 keeps
    /// every change point the search found.
    pub alpha: f64,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            cost: CostKind::Auto,
            method: Method::Pelt,
            penalty: Penalty::Mbic,
            min_size: 5,
            alpha: 0.05,
        }
    }
}

/// What changed at a change point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The level shifts.
    Step,
    /// The slope changes without a jump (e.g. the onset of a leak).
    Trend,
    /// The spread changes, not the level.
    Variance,
}

/// One validated change point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangePoint {
    /// 0-based index of the first sample of the new segment.
    pub index: usize,
    /// Mean of the segment before.
    pub before: f64,
    /// Mean of the segment after.
    pub after: f64,
    /// `after - before`.
    pub magnitude: f64,
    /// Two-sided p-value of the validation test (see [`detect`]).
    pub p_value: f64,
    /// Holm-adjusted p-value within the series.
    pub p_adjusted: f64,
    /// Step, trend or variance.
    pub kind: ChangeKind,
}

/// The result of [`detect`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// Validated change points, in order.
    pub change_points: Vec<ChangePoint>,
    /// Number of values (rows), missing ones included.
    pub n: usize,
    /// Number of missing values (NaN) skipped.
    pub missing: usize,
    /// Options used.
    pub options: DetectOptions,
    /// Penalty per change in cost units, as used by the search.
    pub penalty_value: f64,
    /// Estimated noise scale (of the values on [`Detection::scale`]).
    pub noise: NoiseScale,
    /// Whether the search ran on the raw values, on the values divided by their noise scale, or
    /// on their normal scores.
    pub scale: Scale,
    /// Change points found by the search before validation.
    pub candidates: Vec<usize>,
    /// The model used and why (for `auto` and `decafs`; None for a fixed segment cost).
    pub model: Option<ModelChoice>,
}

/// Finds and validates change points in `values` (see the module documentation for the
/// defaults, and [`DetectOptions`]).
///
/// Validation test of a change point at τ between segments `[a, τ)` and `[τ, b)` (of the values
/// searched: raw, standardised or normal scores, see below):
///
/// ```text
/// p_level  = max(p of compare(L, R) on the means, p of compare(L, R) on the medians)
///            (piecewise-constant costs: EWC Welch t, estimated df; see stats::compare)
/// p_level  = the EWC Welch t of the lines' jump and slope change (linear cost; see
///            changepoint::model's trend test), when both segments have ≥ 4 values
/// z_mean   = (x̄_R - x̄_L) / √(V(m_L) + V(m_R)),   V(m) = Var of a mean of m AR(1) values
/// z_median = (med_R - med_L) / √(π/2 · (V(m_L) + V(m_R)))
/// p_level  = max(2 Φ(-|z_mean|), 2 Φ(-|z_median|))
///            (segments the tests above refuse: too short, constant, exactly a line)
/// z_var    = ln(s²_R / s²_L) / √((2/(m_L-1) + 2/(m_R-1)) (1 + φ²)/(1 - φ²))
/// p        = p_level                                (L2, L1, linear, Poisson costs)
/// p        = min(1, 2 · min(p_level, p_var))        (normal and np costs: level or spread)
/// ```
/// The same calibrated test as `compare`, so a deploy step gets the p-value `compare` gives its
/// two segments (up to the scale: on normal scores for l2/l1 with a criterion penalty). Each
/// side is cut to the 10⁴ values closest to τ (a local test, and O(changes) work instead of
/// O(n) per round of validation); shorter segments are tested whole.
/// `p_level` is an intersection–union test: a level change must move both the mean and the
/// median, so a single outlier (which drags a short segment's mean but not its median) is not
/// reported as a change, and the test keeps its level α. `π/2` is the Gaussian
/// median-to-mean variance ratio; under positive AR(1) dependence the true ratio is smaller
/// (the long-run variance of the median is `π/2 + 2 Σ arcsin ρ_k` against `1 + 2 Σ ρ_k` for
/// the mean), so the median test is conservative. The adjacent means are positively
/// correlated under positive dependence, which the tests ignore (conservative too).
///
/// # Missing values
/// NaN is a missing value (empty cell, absent scrape): it is skipped and counted in
/// [`Detection::missing`]; the search runs on the values that are present, and every index
/// reported (change points, candidates) is the row in the input, so a change point after a gap
/// is the first row present after it.
///
/// # Heavy tails and skew
/// With the level costs (l2, l1) and a criterion penalty, the search and the validation run on
/// the normal scores of the values ([`normal_scores`]), not on the raw values: the ranks do not
/// see how heavy the tails are, so iid noise of any continuous distribution (Student t,
/// lognormal latencies) has the false-alarm rate of Gaussian noise. The default (`auto`)
/// uses them only when the noise needs them ([`super::scale`]: the lag-1 differences are
/// tested for Gaussian tails; Gaussian noise is searched as the values divided by their noise
/// scale), because its choice between models needs the signal's shape, which a marginal
/// transform bends (a ramp becomes an S).
/// Levels (`before`, `after`) are still means of the raw values. A numeric penalty is in the
/// units of the raw cost, so with one the search runs on the raw values (and, with `alpha = 1`,
/// returns exactly what ruptures returns). [`Detection::scale`] says which was used. The scores
/// compress a shift between regimes close in rank, so each change point found on them is then
/// placed on the raw values: the split of its two neighbouring segments with the smallest L1
/// cost (robust to a lone outlier next to the change). `candidates` are the search's locations
/// before that step.
///
/// # Outliers: the biweight cost
/// `cost = biweight` searches the raw values with the bounded loss `min((x - μ)², (3σ̂)²)`
/// ([`crate::changepoint::cost::Biweight`], exact functional pruning
/// [`crate::changepoint::search::fpop_biweight`]): a point further than 3σ̂ from its segment's
/// level costs the same wherever the level is, so isolated spikes and short stall windows
/// (a few zeros) neither become changes nor pull a level away from a real one. The penalty is
/// in units of σ² of the noise estimate above (as for l2). Validation and levels are as for l2,
/// on the values winsorised the way the loss sees them: each clipped to its candidate segment's
/// biweight level ± 3σ̂ ([`crate::changepoint::cost::winsorise`]), so a stall of zeros does not
/// drag a mean or a test.
///
/// # Noise-free series
/// A criterion penalty and the validation tests are in units of the noise. When the noise scale
/// is 0 (every difference between neighbours is the same: a constant or exactly linear series),
/// a series that one segment fits exactly (constant; exactly linear with
/// the linear cost) has no change point and `penalty_value` 0; any other is an error, since
/// every change would then be infinitely significant: give a numeric penalty.
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 3 values present, [`Error::NonFinite`] for ±∞,
/// [`Error::InvalidArgument`] for `alpha` outside (0, 1], a Poisson cost on negative values, or
/// a noise-free series that one segment does not fit (see above).
pub fn detect(values: &[f64], options: &DetectOptions) -> Result<Detection> {
    if !(options.alpha > 0.0 && options.alpha <= 1.0) {
        return Err(Error::invalid(
            "alpha",
            format!("must lie in (0, 1], got {}", options.alpha),
        ));
    }
    let rows = values.len();
    let complete = skip_missing(values)?;
    let x = &*complete.values;
    if x.len() < 3 {
        return Err(Error::TooFewPoints {
            what: "values (present)",
            needed: 3,
            got: x.len(),
        });
    }
    let mut detection = detect_complete(x, options)?;
    let missing = complete.missing(rows);
    if missing > 0 {
        for c in detection.candidates.iter_mut() {
            *c = complete.row(*c, rows);
        }
        for c in detection.change_points.iter_mut() {
            c.index = complete.row(c.index, rows);
        }
    }
    detection.n = rows;
    detection.missing = missing;
    Ok(detection)
}

/// Series shorter than this use the step model under `auto` (too few lags for the drift
/// estimate).
const AUTO_MIN_N: usize = 20;

/// Above this length the trend candidate of `auto` is searched by binary segmentation (the
/// linear cost has no functional pruning; PELT is quadratic when changes are few).
const AUTO_TREND_PELT_MAX: usize = 5_000;

/// [`detect`] on a series without missing values: the model choice of `auto`, then the search.
fn detect_complete(x: &[f64], options: &DetectOptions) -> Result<Detection> {
    let n = x.len();
    let manual = matches!(options.penalty, Penalty::Manual(_));
    let with = |cost| DetectOptions { cost, ..*options };
    match options.cost {
        CostKind::Auto | CostKind::Decafs if manual => {
            if options.cost == CostKind::Decafs {
                return Err(Error::invalid(
                    "penalty",
                    "the decafs model needs a criterion penalty (its units are -2 log L of \
                     the estimated model)",
                ));
            }
            let mut d = detect_fixed(x, &with(CostKind::L2), None)?;
            d.options = *options;
            d.model = Some(choice(
                Model::Step,
                "a numeric penalty is in the units of the l2 cost: step model",
            ));
            Ok(d)
        }
        CostKind::Auto if n < AUTO_MIN_N => {
            let mut d = detect_fixed(x, &with(CostKind::L2), None)?;
            d.options = *options;
            d.model = Some(choice(
                Model::Step,
                "fewer than 20 values: step model (too short to estimate a drift)",
            ));
            Ok(d)
        }
        CostKind::Auto if majority_value(x).is_some() => {
            let mut d = detect_fixed(x, &with(CostKind::L2), None)?;
            d.options = *options;
            d.model = Some(choice(
                Model::Step,
                "more than half the values are equal (counts that are mostly 0, coarse \
                 quantisation): step model (a trend, a drift or a season removed first would \
                 turn runs of the tied value into near-constant pieces whose noise the search \
                 and its tests then underestimate)",
            ));
            Ok(d)
        }
        CostKind::Decafs => {
            let params = DecafsParams::estimate(x)?;
            let share = drift_share(&params);
            detect_decafs(x, options, params, share, "decafs requested".to_string())
        }
        CostKind::Auto => {
            let Fits {
                scale,
                y,
                step,
                bic_step: b_step,
                params: moment,
                trend,
                bic_trend: b_trend,
            } = step_and_trend(x, options)?;
            // Every BIC on the values searched (robust to outliers and tails), with the robust φ
            // of their noise; the drift fit's change points are those found on the raw values.
            let phi = step.noise.phi;
            let indices =
                |d: &Detection| d.change_points.iter().map(|c| c.index).collect::<Vec<_>>();
            // Whether the level drifts: the maximum-likelihood drift ratio on short series, the
            // robust moment estimate (model.rs, step 1); the drift fit keeps the moment
            // estimate unless it finds no drift at all.
            let drift_chain = || -> Result<DriftFit> {
                let ml = (n <= ML_DRIFT_MAX_N).then(|| ml_drift(x, &[], &moment));
                let share = drift_share(ml.as_ref().unwrap_or(&moment));
                let params = match ml {
                    Some(p) if moment.sigma_eta == 0.0 => p,
                    _ => moment,
                };
                let direction = direction_z(&y);
                let threshold = if ml.is_some() {
                    DRIFT_SHARE_ML
                } else {
                    DRIFT_SHARE
                };
                let drifts = share > threshold && direction.abs() <= DIRECTION_Z;
                let mut fit = None;
                let mut bic = f64::NAN;
                if drifts {
                    let d = detect_decafs(x, options, params, share, String::new())?;
                    let on_scores = DecafsParams::estimate(&y)?;
                    let on_scores = DecafsParams {
                        sigma_nu: on_scores
                            .sigma_nu
                            .max(0.01 * on_scores.sigma_eta.max(step.noise.sigma)),
                        ..on_scores
                    };
                    if on_scores.sigma_nu > 0.0 {
                        bic = bic_drift(&y, &indices(&d), &on_scores);
                    }
                    fit = Some(d);
                }
                Ok(DriftFit {
                    share,
                    threshold,
                    params,
                    direction,
                    drifts,
                    fit,
                    bic,
                })
            };
            // Steps on a deseasonalised series, for each candidate period (model.rs, step 3).
            let fit_period = |period: usize| {
                season_fit(x, &y, period, &[], phi, |xd, yd| {
                    let d = detect_fixed(xd, &with(CostKind::L2), Some((scale, yd)))?;
                    let idx = indices(&d);
                    Ok((d, idx))
                })
            };
            // The periods' fits are independent: the later half on a second thread from
            // AUTO_PARALLEL_N values; taken in order below (the first error, the first best).
            let season_fits = || -> Vec<Result<(Detection, Season, f64)>> {
                let periods = candidate_periods(&y);
                if n >= AUTO_PARALLEL_N && periods.len() > 1 {
                    let (first, later) = periods.split_at(periods.len() / 2);
                    std::thread::scope(|s| {
                        let later =
                            s.spawn(|| later.iter().map(|&p| fit_period(p)).collect::<Vec<_>>());
                        let mut fits: Vec<_> = first.iter().map(|&p| fit_period(p)).collect();
                        fits.extend(joined(later));
                        fits
                    })
                } else {
                    periods.iter().map(|&p| fit_period(p)).collect()
                }
            };
            // The drift chain and the season fits are independent: from AUTO_PARALLEL_N values
            // the drift chain runs on another thread (the first error is the drift chain's, as
            // in the serial order).
            let (drift, fits) = if n >= AUTO_PARALLEL_N {
                std::thread::scope(|s| {
                    let drift = s.spawn(drift_chain);
                    let fits = season_fits();
                    (joined(drift), fits)
                })
            } else {
                (drift_chain(), season_fits())
            };
            let DriftFit {
                share,
                threshold,
                params,
                direction,
                drifts,
                fit: drift,
                bic: b_drift,
            } = drift?;
            let mut season: Option<(Detection, Season, f64)> = None;
            for fit in fits {
                let fit = fit?;
                if season.as_ref().map_or(true, |s| fit.2 < s.2) {
                    season = Some(fit);
                }
            }
            let b_season = season.as_ref().map_or(f64::NAN, |s| s.2);
            // The others fitted, with their BIC and number of change points (model::choose_model).
            let others: Vec<(Model, f64, usize)> = [
                (Model::Trend, b_trend, Some(trend.change_points.len())),
                (
                    Model::Drift,
                    b_drift,
                    drift.as_ref().map(|d| d.change_points.len()),
                ),
                (
                    Model::Season,
                    b_season,
                    season.as_ref().map(|s| s.0.change_points.len()),
                ),
            ]
            .into_iter()
            .filter_map(|(m, b, k)| Some((m, b, k?)).filter(|_| !b.is_nan()))
            .collect();
            let model = choose_model(&others, b_step, step.change_points.len());
            let reason = format!(
                "drift share {share:.2} ({}); {}; BIC chooses {} (step {b_step:.1}, trend \
                 {b_trend:.1}, drift {}, season {}; of the others within {BIC_MARGIN} of the \
                 lowest, the fewest change points; it replaces steps when its BIC is lower by \
                 more than {BIC_MARGIN}, or lower with fewer change points but at least one)",
                if drifts {
                    "drift model fitted".to_string()
                } else if share > threshold {
                    format!(
                        "increments keep one direction, sign test z = {direction:.1}: a trend, \
                         no drift model"
                    )
                } else {
                    "stationary noise: no drift model".to_string()
                },
                match &season {
                    Some((_, s, _)) => format!(
                        "period {} with {} harmonics (of the autocorrelation peaks tried)",
                        s.period, s.harmonics
                    ),
                    None => "no period tried".to_string(),
                },
                match model {
                    Model::Step => "step",
                    Model::Trend => "trend",
                    Model::Drift => "drift",
                    Model::Season => "season",
                },
                if b_drift.is_nan() {
                    "-".to_string()
                } else {
                    format!("{b_drift:.1}")
                },
                if b_season.is_nan() {
                    "-".to_string()
                } else {
                    format!("{b_season:.1}")
                }
            );
            let season_used = season.as_ref().map(|s| s.1);
            let mut d = match (model, drift, season) {
                (Model::Drift, Some(d), _) => d,
                (Model::Season, _, Some((d, ..))) => d,
                (Model::Trend, ..) => trend,
                _ => step,
            };
            d.options = *options;
            d.model = Some(ModelChoice {
                model,
                reason,
                drift_share: share,
                params: Some(params),
                bic_step: b_step,
                bic_trend: b_trend,
                bic_drift: b_drift,
                bic_season: b_season,
                season: season_used,
            });
            Ok(d)
        }
        _ => detect_fixed(x, options, None),
    }
}

/// The independent parts of `auto`: the values searched `y` ([`search_values`]), the step fit on
/// them, the drift parameters of `x` and the trend fit on `y` (one noise scale of `y` for both
/// fits, which cannot fail on at least 20 finite values), each fit with its BIC. From
/// [`AUTO_PARALLEL_N`] values the drift estimate runs on a second thread from the start (it
/// needs only `x`) and the trend fit on a third once `y` is known, while this one computes `y`
/// and fits the steps; the results (and the first error, in this order: scores, drift
/// parameters, step, trend) are the same either way.
fn step_and_trend(x: &[f64], options: &DetectOptions) -> Result<Fits> {
    let n = x.len();
    let step_options = DetectOptions {
        cost: CostKind::L2,
        ..*options
    };
    let trend_options = DetectOptions {
        cost: CostKind::Linear,
        // The linear cost has no functional pruning; PELT is quadratic when changes are few.
        method: if n > AUTO_TREND_PELT_MAX {
            Method::Binseg
        } else {
            options.method
        },
        ..*options
    };
    // The drift model lives on the raw values (a marginal transform such as the normal scores
    // warps a wandering level); its estimate is robust (MADs of differences).
    // Each fit with its BIC on `y` (with the AR(1) coefficient of `y`'s noise, as the fits have).
    let fit = |options: &DetectOptions, values: &Values| -> Result<(Detection, f64)> {
        let (scale, y, noise) = values;
        let d = detect_fixed_with(x, options, Some((*scale, y)), Some(*noise))?;
        let idx: Vec<usize> = d.change_points.iter().map(|c| c.index).collect();
        let b = bic(y, &idx, options.cost == CostKind::Linear, noise.phi);
        Ok((d, b))
    };
    let (values, step, params, trend) = if n < AUTO_PARALLEL_N {
        let values = search_values(x)?;
        let params = DecafsParams::estimate(x)?;
        let step = fit(&step_options, &values)?;
        let trend = fit(&trend_options, &values);
        (values, Ok(step), Ok(params), trend)
    } else {
        // The drift parameters (raw values only) on a second thread from the start; the trend
        // fit on a third once the values searched are known, while this one fits the steps.
        let (params, searched) = std::thread::scope(|s| {
            let params = s.spawn(|| DecafsParams::estimate(x));
            let searched = search_values(x).map(|v| {
                let fits = std::thread::scope(|s| {
                    let trend = s.spawn(|| fit(&trend_options, &v));
                    let step = fit(&step_options, &v);
                    (step, joined(trend))
                });
                (v, fits)
            });
            (joined(params), searched)
        });
        let (values, (step, trend)) = searched?;
        (values, step, params, trend)
    };
    let (scale, y, _) = values;
    // The first error in the order of the serial path.
    let params = params?;
    let (step, bic_step) = step?;
    let (trend, bic_trend) = trend?;
    Ok(Fits {
        scale,
        y,
        step,
        bic_step,
        params,
        trend,
        bic_trend,
    })
}

/// What `auto`'s drift chain finds: the drift share and parameters, the direction test, and the
/// drift fit with its BIC when the level drifts.
struct DriftFit {
    share: f64,
    /// The share above which the drift model is fitted ([`DRIFT_SHARE_ML`] or [`DRIFT_SHARE`]).
    threshold: f64,
    params: DecafsParams,
    direction: f64,
    drifts: bool,
    fit: Option<Detection>,
    bic: f64,
}

/// The values searched, their scale and noise ([`search_values`]).
type Values = (Scale, Vec<f64>, NoiseScale);

/// What [`step_and_trend`] fits.
struct Fits {
    /// The scale of `y`.
    scale: Scale,
    /// The values searched ([`search_values`]).
    y: Vec<f64>,
    /// Step model (l2 cost on `y`).
    step: Detection,
    /// Its BIC ([`bic`] on `y`).
    bic_step: f64,
    /// Drift parameters of the raw values (the robust moment estimate).
    params: DecafsParams,
    /// Trend model (linear cost on `y`).
    trend: Detection,
    /// Its BIC ([`bic`] with lines on `y`).
    bic_trend: f64,
}

/// Number of values from which `auto` runs its independent fits on more than one thread (the
/// step and trend fits, the drift chain and the season periods; same results either way). A
/// fit at this size takes milliseconds, a thread about 20 µs to start.
const AUTO_PARALLEL_N: usize = 5_000;

/// A [`ModelChoice`] without estimates.
fn choice(model: Model, reason: &str) -> ModelChoice {
    ModelChoice {
        model,
        reason: reason.to_string(),
        drift_share: f64::NAN,
        params: None,
        bic_step: f64::NAN,
        bic_trend: f64::NAN,
        bic_drift: f64::NAN,
        bic_season: f64::NAN,
        season: None,
    }
}

/// The drift model on the raw values `x` (see [`super::model`]).
fn detect_decafs(
    x: &[f64],
    options: &DetectOptions,
    params: DecafsParams,
    share: f64,
    reason: String,
) -> Result<Detection> {
    let n = x.len();
    let noise = NoiseScale::estimate(x)?;
    let beta = options.penalty.log_likelihood_units(n, 1);
    // A pure random walk (σ_ν estimated 0): DeCAFS needs some observation noise; a floor of
    // 1 % of the drift keeps the model a random walk for every practical purpose.
    let floor = 0.01 * params.sigma_eta.max(noise.sigma);
    let params = DecafsParams {
        sigma_nu: params.sigma_nu.max(floor),
        ..params
    };
    if params.sigma_nu.is_nan() || params.sigma_nu <= 0.0 {
        let mut d = detect_fixed(
            x,
            &DetectOptions {
                cost: CostKind::L2,
                ..*options
            },
            None,
        )?;
        d.options = *options;
        d.model = Some(choice(Model::Step, "no noise and no drift: step model"));
        return Ok(d);
    }
    let min_size = options.min_size.max(1);
    let (candidates, change_points) = detect_drift(x, x, &params, beta, options.alpha, min_size)?;
    Ok(Detection {
        change_points,
        n,
        missing: 0,
        options: *options,
        penalty_value: beta,
        noise,
        scale: Scale::Raw,
        candidates,
        model: Some(ModelChoice {
            model: Model::Drift,
            reason,
            drift_share: share,
            params: Some(params),
            bic_step: f64::NAN,
            bic_trend: f64::NAN,
            bic_drift: f64::NAN,
            bic_season: f64::NAN,
            season: None,
        }),
    })
}

/// [`detect`] with a segment cost on a series without missing values; `scores`, when given,
/// are the values to search and their scale (already chosen by `auto`).
fn detect_fixed(
    x: &[f64],
    options: &DetectOptions,
    scores: Option<(Scale, &[f64])>,
) -> Result<Detection> {
    detect_fixed_with(x, options, scores, None)
}

/// [`detect_fixed`] with the noise scale of the values searched, when already estimated.
fn detect_fixed_with(
    x: &[f64],
    options: &DetectOptions,
    scores: Option<(Scale, &[f64])>,
    noise: Option<NoiseScale>,
) -> Result<Detection> {
    let n = x.len();
    let scored;
    let (scale, y): (Scale, &[f64]) = match scores {
        Some((scale, s)) => (scale, s),
        None if matches!(options.cost, CostKind::L2 | CostKind::L1)
            && !matches!(options.penalty, Penalty::Manual(_)) =>
        {
            scored = normal_scores(x)?;
            (Scale::NormalScores, &scored)
        }
        None => (Scale::Raw, x),
    };
    let noise = match noise {
        Some(noise) => noise,
        None => NoiseScale::estimate(y)?,
    };
    let noise_free = !(noise.sigma > 0.0 && noise.sigma.is_finite());
    let manual = matches!(options.penalty, Penalty::Manual(_));
    if noise_free && !manual && options.cost == CostKind::Biweight && y.iter().all(|&v| v == y[0]) {
        // A constant series: no change (the biweight threshold, 3σ̂ = 0, is undefined).
        return Ok(Detection {
            change_points: Vec::new(),
            n,
            missing: 0,
            options: *options,
            penalty_value: 0.0,
            noise,
            scale,
            candidates: Vec::new(),
            model: None,
        });
    }
    // The cost's constants (minimum length, parameters, units); the search builds its own. The
    // l2, l1 and linear costs of finite values cannot fail and their constants do not depend on
    // the values, so they are read off a few values unless the whole cost is needed below (the
    // l1 cost's rank index over 10⁶ values alone takes ≈ 0.2 s).
    let shape_only =
        matches!(options.cost, CostKind::L2 | CostKind::L1 | CostKind::Linear) && !noise_free;
    let cost = options
        .cost
        .build(if shape_only { &y[..n.min(3)] } else { y })?;
    let mut detection = Detection {
        change_points: Vec::new(),
        n,
        missing: 0,
        options: *options,
        penalty_value: f64::NAN,
        noise,
        scale,
        candidates: Vec::new(),
        model: None,
    };
    if noise_free && !manual {
        let size = y.iter().map(|v| v * v).sum::<f64>();
        let fits = y.iter().all(|&v| v == y[0])
            || (n >= cost.min_size() && cost.cost(0, n).abs() <= 1e-9 * size);
        if fits {
            detection.penalty_value = 0.0;
            return Ok(detection);
        }
        return Err(Error::invalid(
            "penalty",
            format!(
                "the noise scale of the values is 0 (most differences are equal), so the {} \
                 penalty is undefined; give a numeric penalty",
                options.penalty
            ),
        ));
    }
    let sigma = if noise_free { 1.0 } else { noise.sigma };
    let penalty_scale = cost.penalty_scale(sigma) * noise.inflation();
    let penalty = options
        .penalty
        .cost_units(n, cost.params_per_segment(), penalty_scale);
    detection.penalty_value = penalty;
    let min_size = options.min_size.max(1);
    if n < min_size.max(cost.min_size()).saturating_mul(2) {
        return Ok(detection);
    }
    let seg = penalised(y, options.cost, options.method, penalty, min_size)?;
    detection.candidates = seg.breakpoints.clone();
    let mut bkps = seg.breakpoints;
    // More than half the values equal (counts that are mostly 0, coarse quantisation): an atom.
    let atom = majority_value(y).is_some();
    // With an atom the L1 cost of the raw values is flat over long stretches (the medians move
    // by whole quanta only), so the L1 move would put the change anywhere on a plateau: the
    // search's location stands.
    if scale != Scale::Raw && options.cost != CostKind::Linear && !atom {
        refine_l1(x, &mut bkps, min_size.max(cost.min_size()));
    }
    let tests_spread = matches!(options.cost, CostKind::Normal | CostKind::Np);
    let piecewise_constant = options.cost != CostKind::Linear;
    // The biweight model's levels and tests see outliers clipped to their segment's level ± c.
    let clipped;
    let (x, y) = if options.cost == CostKind::Biweight {
        clipped = winsorise(y, &bkps, BIWEIGHT_K * robust_sigma(y));
        (&*clipped, &*clipped)
    } else {
        (x, y)
    };
    // With an atom the penalty, which assumes continuous noise, does not bound the candidates
    // it yields (a cluster of rare values), so each change point pays for being the best of
    // the n splits the search could take (Bonferroni).
    let scan = if atom { n as f64 } else { 1.0 };
    let test = |bkps: &[usize], j: usize, cache: &mut ValidationCache| {
        let mut cp = validate_one(
            x,
            y,
            bkps,
            j,
            &noise,
            tests_spread,
            piecewise_constant,
            cache,
        );
        cp.p_value = (scan * cp.p_value).min(1.0);
        cp.p_adjusted = cp.p_value;
        cp
    };
    // The first tests of every change point: the later half on a second thread from
    // PARALLEL_VALIDATION_N values, each half with its own cache, merged for the re-tests (a
    // cached estimate depends only on its bounds, so the numbers are the same either way).
    let mut cache = ValidationCache::default();
    let tested: Vec<ChangePoint> = if n >= PARALLEL_VALIDATION_N && bkps.len() > 1 {
        let half = bkps.len() / 2;
        let (mut first, (later, later_cache)) = std::thread::scope(|s| {
            let later = s.spawn(|| {
                let mut cache = ValidationCache::default();
                let tested: Vec<_> = (half..bkps.len())
                    .map(|j| test(&bkps, j, &mut cache))
                    .collect();
                (tested, cache)
            });
            let first: Vec<_> = (0..half).map(|j| test(&bkps, j, &mut cache)).collect();
            (first, joined(later))
        });
        cache.absorb(later_cache);
        first.extend(later);
        first
    } else {
        (0..bkps.len())
            .map(|j| test(&bkps, j, &mut cache))
            .collect()
    };
    detection.change_points = prune_incremental_from(bkps, tested, options.alpha, |bkps, j| {
        test(bkps, j, &mut cache)
    });
    Ok(detection)
}

/// Number of values from which the validation's first tests run on two threads.
const PARALLEL_VALIDATION_N: usize = 50_000;

/// Validates `bkps` with `test` and, while some Holm-adjusted p-value exceeds `alpha`, drops
/// the change point with the largest raw p-value among those and re-tests (its neighbours'
/// segments grow). With `alpha = 1` everything is kept. `p` reads (raw, adjusted) p-values.
pub(super) fn prune_until_significant<T>(
    mut bkps: Vec<usize>,
    alpha: f64,
    mut test: impl FnMut(&[usize]) -> Vec<T>,
    p: impl Fn(&T) -> (f64, f64),
) -> Vec<T> {
    loop {
        let tested = test(&bkps);
        let worst = tested
            .iter()
            .enumerate()
            .filter(|(_, c)| p(c).1 > alpha)
            .max_by(|a, b| p(a.1).0.total_cmp(&p(b.1).0))
            .map(|(i, _)| i);
        match worst {
            Some(i) if alpha < 1.0 => {
                bkps.remove(i);
            }
            _ => return tested,
        }
    }
}

/// [`prune_until_significant`] for tests whose p-value depends only on the change point's two
/// neighbouring segments (`test_one(bkps, j)`), Holm-adjusted: after a drop only its two
/// neighbours are re-tested (the same result, O(changes) tests instead of O(changes²)).
pub(super) fn prune_incremental(
    bkps: Vec<usize>,
    alpha: f64,
    mut test_one: impl FnMut(&[usize], usize) -> ChangePoint,
) -> Vec<ChangePoint> {
    let tested: Vec<ChangePoint> = (0..bkps.len()).map(|j| test_one(&bkps, j)).collect();
    prune_incremental_from(bkps, tested, alpha, test_one)
}

/// [`prune_incremental`] from the first tests of every change point, `tested[j]` of `bkps[j]`.
fn prune_incremental_from(
    mut bkps: Vec<usize>,
    mut tested: Vec<ChangePoint>,
    alpha: f64,
    mut test_one: impl FnMut(&[usize], usize) -> ChangePoint,
) -> Vec<ChangePoint> {
    loop {
        holm(&mut tested);
        let worst = tested
            .iter()
            .enumerate()
            .filter(|(_, c)| c.p_adjusted > alpha)
            .max_by(|a, b| a.1.p_value.total_cmp(&b.1.p_value))
            .map(|(i, _)| i);
        match worst {
            Some(i) if alpha < 1.0 => {
                bkps.remove(i);
                tested.remove(i);
                if i > 0 {
                    tested[i - 1] = test_one(&bkps, i - 1);
                }
                if i < bkps.len() {
                    tested[i] = test_one(&bkps, i);
                }
            }
            _ => return tested,
        }
    }
}

/// Values on each side of a change point given to `compare` in the validation (the closest).
const COMPARE_WINDOW: usize = 10_000;

/// What the validation computes on a segment or a window of one series, kept for the change
/// point on its other side and for the re-tests after a drop (a segment between neighbouring
/// change points is tested from both ends; a window is the whole segment when it is shorter
/// than [`COMPARE_WINDOW`]). Keyed by the bounds in the series; the same numbers as computing
/// afresh.
#[derive(Default)]
struct ValidationCache {
    segments: HashMap<(usize, usize), Segment>,
    windows: HashMap<(usize, usize), SampleLocations>,
    trend_sides: HashMap<(usize, usize), Option<TrendSide>>,
    scratch: Vec<f64>,
}

/// Summaries of a segment `[a, b)`: mean and variance of `y`, mean of `x`, and `y`'s
/// least-squares line (mean, slope, centre of the time index) once asked for.
#[derive(Clone, Copy)]
struct Segment {
    y: (f64, f64),
    x_mean: f64,
    line: Option<(f64, f64, f64)>,
}

impl ValidationCache {
    /// Takes in the estimates of `other` (of the same series).
    fn absorb(&mut self, other: ValidationCache) {
        self.segments.extend(other.segments);
        self.windows.extend(other.windows);
        self.trend_sides.extend(other.trend_sides);
    }

    fn segment(&mut self, x: &[f64], y: &[f64], a: usize, b: usize) -> Segment {
        *self.segments.entry((a, b)).or_insert_with(|| Segment {
            y: mean_var(&y[a..b]),
            // As mean_var's mean, without its pass for the variance.
            x_mean: x[a..b].iter().sum::<f64>() / (b - a) as f64,
            line: None,
        })
    }

    /// The least-squares line of `y` over `[a, b)` ([`line_fit`]): (value at `at`, slope).
    fn line(&mut self, y: &[f64], a: usize, b: usize, at: f64) -> (f64, f64) {
        let seg = self.segments.get_mut(&(a, b));
        let fit = match seg.as_ref().and_then(|s| s.line) {
            Some(fit) => fit,
            None => {
                let fit = line_fit(y, a, b);
                if let Some(s) = seg {
                    s.line = Some(fit);
                }
                fit
            }
        };
        let (ybar, slope, tbar) = fit;
        (ybar + slope * (at - tbar), slope)
    }

    /// [`trend_test_of`] with each segment's side ([`trend_side`]) kept.
    fn trend_test(&mut self, y: &[f64], a: usize, tau: usize, b: usize) -> Option<f64> {
        if tau - a < 4 || b - tau < 4 {
            return None;
        }
        let mut side = |lo: usize, hi: usize| {
            *self
                .trend_sides
                .entry((lo, hi))
                .or_insert_with(|| trend_side(y, lo, hi))
        };
        let left = side(a, tau)?;
        let right = side(tau, b)?;
        Some(trend_test_of(&left, &right, tau))
    }

    fn window(&mut self, y: &[f64], a: usize, b: usize) -> SampleLocations {
        *self
            .windows
            .entry((a, b))
            .or_insert_with(|| sample_locations(&y[a..b]))
    }
}

/// Tests every change point against its neighbours' segments of `y` (the scale searched, with
/// noise scale `noise`) and Holm-adjusts; levels are means of the raw values `x`.
/// The test of change point `j` of `bkps` (its p-value depends only on its two neighbouring
/// segments); `p_adjusted` is set by [`holm`] afterwards.
#[allow(clippy::too_many_arguments)]
fn validate_one(
    x: &[f64],
    y: &[f64],
    bkps: &[usize],
    j: usize,
    noise: &NoiseScale,
    spread: bool,
    piecewise_constant: bool,
    cache: &mut ValidationCache,
) -> ChangePoint {
    let n = y.len();
    let tau = bkps[j];
    {
        let a = if j == 0 { 0 } else { bkps[j - 1] };
        let b = bkps.get(j + 1).copied().unwrap_or(n);
        let (left, right) = (&y[a..tau], &y[tau..b]);
        let (seg_l, seg_r) = (cache.segment(x, y, a, tau), cache.segment(x, y, tau, b));
        let ((ml, vl), (mr, vr)) = (seg_l.y, seg_r.y);
        let (before, after) = (seg_l.x_mean, seg_r.x_mean);
        let tested = if piecewise_constant {
            // The local test: at most `COMPARE_WINDOW` values on each side of τ; `compare`'s
            // default test of the means, and of the medians.
            let (l, r) = (
                tau - left.len().min(COMPARE_WINDOW),
                tau + right.len().min(COMPARE_WINDOW),
            );
            let (sl, sr) = (cache.window(y, l, tau), cache.window(y, tau, r));
            if sl.is_constant() != sr.is_constant() {
                // One side constant (a run of equal values in quantised data, a stall): its
                // own variance of 0 would read its mean as known exactly; the variance is
                // pooled instead (stats::compare::pooled_shift_p), as under no change, and the
                // signs around the constant value stand in for the medians (a lone outlier
                // next to a run moves one sign).
                let (left, right) = (&y[l..tau], &y[tau..r]);
                let level = if sl.is_constant() { left[0] } else { right[0] };
                Some(pooled_shift_p(left, right).max(sign_shift_p(left, right, level)))
            } else {
                mean_and_median_p_of((&y[l..tau], &sl), (&y[tau..r], &sr)).map(|(mean, median)| {
                    match (sl.median(), sr.median()) {
                        // The same median on both sides: an atom of ties that the median test
                        // cannot see past (stats::compare::sign_shift_p).
                        (Some(ml), Some(mr)) if ml == mr => {
                            mean.max(sign_shift_p(&y[l..tau], &y[tau..r], ml))
                        }
                        _ => mean.max(median),
                    }
                })
            }
        } else {
            cache.trend_test(y, a, tau, b)
        };
        let p_mean = match tested {
            Some(p) => p,
            None => {
                // Fewer than 3 values or a constant segment: the model's AR(1) z-tests.
                let se = (noise.var_of_mean(left.len()) + noise.var_of_mean(right.len())).sqrt();
                let shift_median =
                    median(left, &mut cache.scratch) - median(right, &mut cache.scratch);
                two_sided((mr - ml) / se).max(two_sided(
                    shift_median / (se * std::f64::consts::FRAC_PI_2.sqrt()),
                ))
            }
        };
        let p_var = if left.len() > 2 && right.len() > 2 && vl > 0.0 && vr > 0.0 {
            let phi2 = noise.phi * noise.phi;
            let s = ((2.0 / (left.len() - 1) as f64 + 2.0 / (right.len() - 1) as f64)
                * (1.0 + phi2)
                / (1.0 - phi2))
                .sqrt();
            two_sided((vr / vl).ln() / s)
        } else {
            1.0
        };
        let p_value = if spread {
            (2.0 * p_mean.min(p_var)).min(1.0)
        } else {
            p_mean
        };
        let kind = if is_trend(y, a, tau, b, noise, cache) {
            ChangeKind::Trend
        } else if spread && p_var < p_mean {
            ChangeKind::Variance
        } else {
            ChangeKind::Step
        };
        ChangePoint {
            index: tau,
            before,
            after,
            magnitude: after - before,
            p_value,
            p_adjusted: p_value,
            kind,
        }
    }
}

/// The value taken by more than half of `y`, if any (Boyer–Moore majority vote, then a count).
fn majority_value(y: &[f64]) -> Option<f64> {
    let (mut candidate, mut votes) = (f64::NAN, 0usize);
    for &v in y {
        if votes == 0 {
            candidate = v;
            votes = 1;
        } else if v == candidate {
            votes += 1;
        } else {
            votes -= 1;
        }
    }
    let count = y.iter().filter(|&&v| v == candidate).count();
    (2 * count > y.len()).then_some(candidate)
}

/// Holm's step-down adjustment of `p_value` into `p_adjusted`.
pub(super) fn holm(cps: &mut [ChangePoint]) {
    let k = cps.len();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&i, &j| cps[i].p_value.total_cmp(&cps[j].p_value));
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((k - rank) as f64 * cps[i].p_value).min(1.0));
        cps[i].p_adjusted = running;
    }
}

/// `2 Φ(-|z|)`.
pub(super) fn two_sided(z: f64) -> f64 {
    if z.is_nan() {
        return 1.0;
    }
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// Median of a non-empty slice, through a reused scratch buffer.
fn median(x: &[f64], scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend_from_slice(x);
    super::penalty::median_in_place(scratch)
}

/// Mean and (population) variance.
fn mean_var(x: &[f64]) -> (f64, f64) {
    let m = x.len() as f64;
    let mu = x.iter().sum::<f64>() / m;
    (mu, x.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / m)
}

/// Least-squares line over `x[a..b]` in the global index: (mean, slope, centre of the index);
/// its value at `t` is `mean + slope (t − centre)`.
fn line_fit(x: &[f64], a: usize, b: usize) -> (f64, f64, f64) {
    let m = (b - a) as f64;
    let tbar = (a + b - 1) as f64 / 2.0;
    let ybar = x[a..b].iter().sum::<f64>() / m;
    let sty: f64 = x[a..b]
        .iter()
        .enumerate()
        .map(|(i, &y)| ((a + i) as f64 - tbar) * (y - ybar))
        .sum();
    let slope = sty / (m * (m * m - 1.0) / 12.0);
    (ybar, slope, tbar)
}

/// A trend onset: the slope changes significantly and explains more than the jump does.
fn is_trend(
    x: &[f64],
    a: usize,
    tau: usize,
    b: usize,
    noise: &NoiseScale,
    cache: &mut ValidationCache,
) -> bool {
    if tau - a < 3 || b - tau < 3 {
        return false;
    }
    let at = tau as f64 - 0.5;
    let (yl, sl) = cache.line(x, a, tau, at);
    let (yr, sr) = cache.line(x, tau, b, at);
    let slope_se = |m: usize| {
        let mf = m as f64;
        noise.long_run_sigma * (12.0 / (mf * (mf * mf - 1.0))).sqrt()
    };
    let z = (sr - sl) / (slope_se(tau - a).powi(2) + slope_se(b - tau).powi(2)).sqrt();
    let span = ((b - a) as f64) / 4.0;
    z.abs() > 3.0 && (sr - sl).abs() * span > (yr - yl).abs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    fn opts() -> DetectOptions {
        DetectOptions::default()
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            detect(&[], &opts()),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            detect(&[1.0], &opts()),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            detect(&[1.0, f64::INFINITY, 2.0, 3.0], &opts()),
            Err(Error::NonFinite { index: 1, .. })
        ));
        assert!(matches!(
            detect(&[1.0, f64::NAN, 2.0, f64::NAN], &opts()),
            Err(Error::TooFewPoints { got: 2, .. })
        ));
        let bad_alpha = DetectOptions {
            alpha: 0.0,
            ..opts()
        };
        assert!(detect(&[1.0, 2.0, 3.0], &bad_alpha).is_err());
    }

    #[test]
    fn constant_series_has_no_change() {
        let d = detect(&[4.0; 50], &opts()).unwrap_or_else(|e| panic!("{e}"));
        assert!(d.change_points.is_empty());
        assert_eq!(d.penalty_value, 0.0);
    }

    #[test]
    fn noise_free_series_is_never_a_silent_nothing() {
        let line: Vec<f64> = (0..200).map(f64::from).collect();
        // On normal scores a line is a series like any other: the penalty is finite.
        let d = detect(&line, &opts()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            d.penalty_value.is_finite() && d.penalty_value > 0.0,
            "{d:?}"
        );
        // The linear cost fits it with one segment.
        let linear = DetectOptions {
            cost: CostKind::Linear,
            ..opts()
        };
        let d = detect(&line, &linear).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            d.change_points.is_empty() && d.penalty_value == 0.0,
            "{d:?}"
        );
        // On raw values a line has no noise scale, and the mean-and-variance model does not fit
        // it with one segment: the criterion penalty is undefined, an error says what to do.
        let normal = DetectOptions {
            cost: CostKind::Normal,
            ..opts()
        };
        let err = detect(&line, &normal).expect_err("noise-free");
        assert!(err.to_string().contains("numeric penalty"), "{err}");
        let manual = DetectOptions {
            penalty: Penalty::Manual(1.0),
            ..opts()
        };
        let stairs: Vec<f64> = (0..200).map(|i| f64::from(i / 50)).collect();
        let d = detect(&stairs, &manual).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.candidates, vec![50, 100, 150]);
    }

    #[test]
    fn missing_values_are_skipped_and_rows_kept() {
        let mut rng = Rng::new(4);
        let mut x: Vec<f64> = (0..400)
            .map(|i| rng.normal() + if i >= 250 { 3.0 } else { 0.0 })
            .collect();
        for i in (0..400).step_by(7) {
            x[i] = f64::NAN;
        }
        // A gap right before the change: rows 240..=249 missing, the change is row 250.
        for v in &mut x[240..250] {
            *v = f64::NAN;
        }
        let d = detect(&x, &opts()).unwrap_or_else(|e| panic!("{e}"));
        let missing = x.iter().filter(|v| v.is_nan()).count();
        assert_eq!((d.n, d.missing), (400, missing));
        assert_eq!(d.change_points.len(), 1, "{d:?}");
        assert!((250..=252).contains(&d.change_points[0].index), "{d:?}");
        assert!((d.change_points[0].after - 3.0).abs() < 0.3, "{d:?}");
    }

    #[test]
    fn finds_a_clear_step_with_levels_and_p_value() {
        let mut rng = Rng::new(3);
        let x: Vec<f64> = (0..400)
            .map(|i| rng.normal() + if i >= 250 { 3.0 } else { 0.0 })
            .collect();
        let d = detect(&x, &opts()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.change_points.len(), 1, "{d:?}");
        let cp = &d.change_points[0];
        assert!((cp.index as i64 - 250).abs() <= 2, "{cp:?}");
        assert!((cp.before - 0.0).abs() < 0.3 && (cp.after - 3.0).abs() < 0.3);
        assert!(cp.p_value < 1e-10 && cp.kind == ChangeKind::Step);
    }

    #[test]
    fn variance_change_is_labelled() {
        let mut rng = Rng::new(5);
        let x: Vec<f64> = (0..600)
            .map(|i| rng.normal() * if i >= 300 { 4.0 } else { 1.0 })
            .collect();
        let o = DetectOptions {
            cost: CostKind::Normal,
            ..opts()
        };
        let d = detect(&x, &o).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.change_points.len(), 1, "{d:?}");
        assert_eq!(d.change_points[0].kind, ChangeKind::Variance);
    }

    #[test]
    fn trend_onset_is_labelled() {
        let mut rng = Rng::new(9);
        let x: Vec<f64> = (0..600)
            .map(|i| {
                0.3 * rng.normal()
                    + if i >= 300 {
                        0.02 * (i - 300) as f64
                    } else {
                        0.0
                    }
            })
            .collect();
        let o = DetectOptions {
            cost: CostKind::Linear,
            ..opts()
        };
        let d = detect(&x, &o).unwrap_or_else(|e| panic!("{e}"));
        assert!(!d.change_points.is_empty(), "{d:?}");
        assert_eq!(d.change_points[0].kind, ChangeKind::Trend, "{d:?}");
    }
}
