//! The default's segment model, chosen per series: a step, a step on a drifting level
//! (DeCAFS), or a trend (piecewise linear).
//!
//! # Criterion (`cost = "auto"`, the default)
//! On the values searched, `y` (the values divided by their noise scale when the noise looks
//! Gaussian, else their normal scores: [`super::scale`]):
//! 1. **Drift.** The DeCAFS parameters are estimated from the lag-k difference variances
//!    ([`DecafsParams::estimate`]). The *drift share* is the part of the variance of a lag-10
//!    difference that the random walk explains, `10 σ_η² / v_10`. A level that wanders like a
//!    random walk has a share near 1, stationary noise (iid or AR(1)) 0 or near it. For series
//!    of at most [`ML_DRIFT_MAX_N`] values the share is that of the maximum-likelihood drift
//!    ratio ([`ml_drift`], φ from the moment estimate, no level resets): the moment estimate
//!    sees only lags 1..10, where a weak drift under strong noise (σ_η = 0.1 σ_ν: a share of
//!    5 %) is smaller than its sampling error at 10³ values, and it then reads such a level as
//!    stationary; the likelihood uses every lag. Jumps inflate the likelihood's share, which
//!    only means the drift model is fitted and then loses on BIC. The drift fit keeps the robust
//!    moment parameters unless their σ_η is 0 (then the likelihood's). A share above
//!    [`DRIFT_SHARE`] ([`DRIFT_SHARE_ML`] for the likelihood's), with increments that do not
//!    keep one direction (sign test [`direction_z`] within ±[`DIRECTION_Z`]), fits the drift
//!    model: DeCAFS finds the jumps on top of the wandering level, each validated by a t-test
//!    of the local jump studentised by the same statistic on its neighbouring segments
//!    (`drift_test`: the data, not the fitted parameters, calibrate it, as `compare`'s long-run
//!    variance does for steps).
//! 2. **Trend or step.** The step model (`l2`) and the piecewise-linear model (`linear`) are
//!    both searched and validated; the BIC of each validated fit is
//!    (and [`bic_drift`] for the drift fit, from its Kalman-filter innovations):
//!    `BIC = n ln(RSS/n) + p ln n`, `RSS` the sum of squared AR(1) innovations
//!    `r_t - φ r_{t-1}` of the residuals `r` (φ the robust lag-1 estimate of the noise, which
//!    a trend does not move since it is taken from differences), `p = 2K + 1` for K steps and
//!    `3K + 2` for K trend changes (levels, slopes and locations). A smooth trend then reads as
//!    one trend instead of a staircase of steps, a step as a step (a line per segment costs
//!    one more parameter per segment).
//! 3. **Season.** For series of at most [`SEASON_MAX_N`] values, the periods tried are the
//!    [`SEASON_CANDIDATES`] local maxima of the autocorrelation of `y` over the lags
//!    `4 ≤ P ≤ min(n/3, SEASON_MAX_PERIOD)` (at least three periods in the series; only
//!    positive autocorrelations) that rise most above the lowest autocorrelation at shorter
//!    lags, each with the shortest such peak it is a multiple of (rising at least half as much:
//!    a cycle's autocorrelation repeats at every multiple of its period, and noise can rank a
//!    multiple first). For each, a periodic component of `H` Fourier harmonics
//!    (`H ≤ min(24, (P − 1)/2)`, chosen by `n ln(RSS/n) + 2H ln n` on the residual; the period
//!    refined once, within ±15 % by least squares on the series minus its moving average over
//!    one period, which a step or a trend does not bias, [`refine_period`]) is fitted by least
//!    squares to the residual of the steps, removed, and the steps searched and validated again
//!    on what remains (backfitting, at most [`SEASON_ROUNDS`] rounds, until the change points
//!    repeat; the round with the lowest BIC is kept, so a round that lets a spurious step
//!    absorb part of the cycle cannot win). Its BIC is that of the steps on the
//!    deseasonalised `y` with `p = 2K + 1 + 2H + 1` (the harmonics' coefficients and the
//!    period). A daily load cycle or a GC sawtooth then
//!    reads as one periodic component instead of a staircase.
//! 4. **Choice.** Of the trend, drift and season fits within [`BIC_MARGIN`] of the lowest BIC,
//!    the one with the fewest change points ([`choose_model`]; fits within the margin of each
//!    other are equally good readings, and fewer changes is the simpler one: a GC sawtooth is a
//!    periodic component, not a broken line with a change at each reset). It replaces the steps
//!    when its BIC is lower than theirs by more than [`BIC_MARGIN`], or lower and with fewer
//!    change points but at least one ([`replaces_steps`]; if it does not, the lowest-BIC fit
//!    may): the margin keeps steps as the simplest reading of a change, and a staircase of
//!    steps that a wandering level or a trend explains as well with fewer changes is not the
//!    simplest reading. A fit with no change at all still needs
//!    the margin, so a step is not read away as drift or slope on weak evidence.
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
    /// Steps on top of a periodic component (a few Fourier harmonics of one period), which is
    /// removed before the step search ([`Season`]).
    Season,
}

/// The periodic component of the season model: `Σ_{k=1..H} a_k cos(2πkt/P) + b_k sin(2πkt/P)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Season {
    /// Period P in samples.
    pub period: usize,
    /// Number of harmonics H.
    pub harmonics: usize,
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
    /// BIC of the validated season fit (NaN when no period was tried).
    pub bic_season: f64,
    /// The periodic component of the best season fit (None when no period was tried).
    pub season: Option<Season>,
}

/// BIC difference by which a trend or drift must beat the step model to replace it ("very
/// strong" evidence on Kass & Raftery's 1995 scale): steps are the simplest reading of a
/// change, so ties and weak preferences keep them.
pub const BIC_MARGIN: f64 = 10.0;

/// Whether a fit with BIC `bic` and `changes` change points replaces the step fit (BIC
/// `bic_step`, `step_changes` change points): its BIC is lower by more than [`BIC_MARGIN`], or
/// lower with fewer change points but at least one (see the module documentation, step 4).
pub fn replaces_steps(bic: f64, changes: usize, bic_step: f64, step_changes: usize) -> bool {
    bic < bic_step - BIC_MARGIN || (bic < bic_step && changes >= 1 && changes < step_changes)
}

/// The model used, from the BIC and change count of the step fit and of the other fits
/// (`(model, BIC, change points)`): of the other fits within [`BIC_MARGIN`] of the lowest BIC,
/// the one with the fewest change points (then the lowest BIC) when it [`replaces_steps`], else
/// the lowest when it does, else steps. Fits within the margin of each other are equally good
/// readings, and the one with fewer changes is the simpler (a GC sawtooth is one periodic
/// component, not a broken line with a change at each reset).
pub fn choose_model(others: &[(Model, f64, usize)], bic_step: f64, step_changes: usize) -> Model {
    let Some(best) = others.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
        return Model::Step;
    };
    let simplest = others
        .iter()
        .filter(|o| o.1 <= best.1 + BIC_MARGIN)
        .min_by(|a, b| a.2.cmp(&b.2).then(a.1.total_cmp(&b.1)))
        .unwrap_or(best);
    [simplest, best]
        .into_iter()
        .find(|o| replaces_steps(o.1, o.2, bic_step, step_changes))
        .map_or(Model::Step, |o| o.0)
}

/// Drift share of the moment estimate above which the drift model is fitted (and then
/// competes by BIC): any drift the estimate can tell from noise (iid and AR(1) noise estimate
/// σ_η ≈ 0).
pub const DRIFT_SHARE: f64 = 0.02;

/// Drift share of the maximum-likelihood drift ratio ([`ml_drift`], series of at most
/// [`ML_DRIFT_MAX_N`] values) above which the drift model is fitted. On iid and AR(1) φ = 0.5
/// noise the likelihood's share stays below 5·10⁻⁴ (30 seeded series of 10³–2·10³ values
/// each); a walk with σ_η = 0.05 σ_ν over 2·10³ values gives 0.007–0.018 (its lag-10 share is
/// 1.2 %), which [`DRIFT_SHARE`] left to the step and trend fits as a staircase or a broken
/// line. A step inflates the share too (one step in iid noise: ≈ 0.009), which only means the
/// drift fit is made and then competes by BIC.
pub const DRIFT_SHARE_ML: f64 = 0.005;

/// Longest series for which the season model is tried (each candidate period costs up to
/// [`SEASON_ROUNDS`] more step searches).
pub const SEASON_MAX_N: usize = 50_000;

/// Longest period tried (a day of minute samples).
pub const SEASON_MAX_PERIOD: usize = 1440;

/// Shortest period tried.
const SEASON_MIN_PERIOD: usize = 4;

/// Number of candidate periods (highest autocorrelation peaks) fitted.
pub const SEASON_CANDIDATES: usize = 3;

/// Most harmonics of a periodic component (a sawtooth's coefficients fall only as 1/k: with 8,
/// what is missed near each reset of a large one reads as a step).
const MAX_HARMONICS: usize = 24;

/// Most backfitting rounds (periodic component, then steps) per candidate period.
pub const SEASON_ROUNDS: usize = 3;

/// Longest series whose drift share comes from the maximum-likelihood drift ratio
/// ([`ml_drift`]); above it the moment estimate's sampling error is small next to
/// [`DRIFT_SHARE`] and it is used as it is.
pub const ML_DRIFT_MAX_N: usize = 50_000;

/// Lag at which the drift share is measured.
const SHARE_LAG: usize = 10;

/// |z| of the sign test of the lag-1 increments above which the drift model is not fitted.
pub const DIRECTION_Z: f64 = 3.5;

/// Sign test of the lag-1 increments: `z = (n₊ - n₋) / √(n₊ + n₋)` (zero increments left
/// out). A random-walk drift has increments symmetric about 0; a level that keeps moving one way
/// (a ramp, a sawtooth of ramps and resets) is a trend, which the drift model would otherwise
/// fit as a staircase of jumps.
pub fn direction_z(y: &[f64]) -> f64 {
    // Counted without branches (a noisy series mispredicts every other one).
    let (mut up, mut down) = (0usize, 0usize);
    for w in y.windows(2) {
        up += usize::from(w[1] > w[0]);
        down += usize::from(w[1] < w[0]);
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

/// BIC of the drift model (random-walk level with AR(1) noise) with level resets at `bkps`,
/// from the Kalman filter's innovations `v_t` and their variances `F_t`, the variances' common
/// scale concentrated out (as `n ln(RSS/n)` does for [`bic`]):
/// ```text
/// BIC = n' ln(Σ v_t²/F_t / n') + Σ ln F_t + (2K + 2) ln n
/// ```
/// over the `n'` observations that are not the first of a segment (whose level is diffuse:
/// its value is a parameter, counted in `2K + 2` with the locations and the drift ratio).
///
/// The drift ratio `σ_η²/σ_ν²` is the maximum-likelihood one ([`ml_drift`], a parameter of the
/// BIC): a BIC at a parameter other than the MLE would handicap the drift model against the
/// least-squares fits it competes with. `p` gives φ and the starting scale.
pub fn bic_drift(y: &[f64], bkps: &[usize], p: &DecafsParams) -> f64 {
    bic_drift_at(y, bkps, &ml_drift(y, bkps, p))
}

/// [`bic_drift`] at the parameters `p` (no search over the drift ratio).
pub fn bic_drift_at(y: &[f64], bkps: &[usize], p: &DecafsParams) -> f64 {
    let f = kalman_drift(y, bkps, p);
    let k = bkps.len() as f64;
    f.profile() + (2.0 * k + 2.0) * (y.len() as f64).ln()
}

/// Sums of the Kalman filter of the drift model over a series with level resets.
#[derive(Clone, Copy)]
struct Innovations {
    /// `Σ v_t² / F_t`.
    norm: f64,
    /// `Σ ln F_t`.
    log_f: f64,
    /// Number of innovations `n'`.
    used: usize,
}

impl Innovations {
    /// `n' ln(Σ v²/F / n') + Σ ln F`: −2 log-likelihood with the scale concentrated out (up to
    /// a constant).
    fn profile(&self) -> f64 {
        let nu = self.used.max(1) as f64;
        nu * (self.norm.max(f64::MIN_POSITIVE) / nu).ln() + self.log_f
    }

    /// Maximum-likelihood factor of the variances: `Σ v²/F / n'`.
    fn scale(&self) -> f64 {
        self.norm / self.used.max(1) as f64
    }
}

/// The Kalman filter of the drift model (state: level μ and AR(1) noise ε) over `y`, the level
/// diffuse at the first value and at each of `bkps`.
fn kalman_drift(y: &[f64], bkps: &[usize], p: &DecafsParams) -> Innovations {
    let (q_eta, q_nu) = (p.sigma_eta * p.sigma_eta, p.sigma_nu * p.sigma_nu);
    let phi = p.phi;
    // State (μ, ε); covariance [[p11, p12], [p12, p22]].
    let (mut m, mut e) = (0.0, 0.0);
    let (mut p11, mut p12, mut p22) = (0.0, 0.0, q_nu / (1.0 - phi * phi));
    let mut next = bkps.iter().peekable();
    let mut out = Innovations {
        norm: 0.0,
        log_f: 0.0,
        used: 0,
    };
    // (F, ln F) of the last innovation.
    let mut cached = (f64::NAN, f64::NAN);
    // The filtered covariance after the last update (bits), and the gains (F, k1, k2) once it
    // repeats exactly: the filter has then reached its steady state within the segment (the
    // covariance recursion does not depend on the data), and the covariance updates are
    // skipped until the next reset, with the same results to the bit.
    let mut last: Option<[u64; 3]> = None;
    let mut steady: Option<(f64, f64, f64)> = None;
    for (t, &yt) in y.iter().enumerate() {
        let reset = t == 0 || next.peek().is_some_and(|&&b| b == t);
        if reset && t > 0 {
            next.next();
        }
        if t > 0 {
            // Predict: μ ← μ, ε ← φ ε.
            e *= phi;
            if steady.is_none() || reset {
                p11 += q_eta;
                p12 *= phi;
                p22 = phi * phi * p22 + q_nu;
            }
        }
        if reset {
            // Diffuse level: the observation fixes μ given ε.
            m = yt - e;
            p11 = p22;
            p12 = -p22;
            (last, steady) = (None, None);
        } else if let Some((f, k1, k2)) = steady {
            let v = yt - m - e;
            m += k1 * v;
            e += k2 * v;
            if f > 0.0 {
                out.norm += v * v / f;
                out.log_f += cached.1;
                out.used += 1;
            }
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
            let bits = [p11.to_bits(), p12.to_bits(), p22.to_bits()];
            if last == Some(bits) {
                steady = Some((f, k1, k2));
            }
            last = Some(bits);
            if f > 0.0 {
                out.norm += v * v / f;
                // F repeats exactly in the steady state: ln F once.
                if f != cached.0 {
                    cached = (f, f.ln());
                }
                out.log_f += cached.1;
                out.used += 1;
            }
        }
    }
    out
}

/// Smallest and largest `log₂(σ_η²/σ_ν²)` of the drift ratio's grid in [`ml_drift`] (its step
/// is 2).
const LOG2_RATIO_RANGE: (i32, i32) = (-24, 8);

/// Golden-section steps of [`ml_drift`] (the bracket of width 4 in `log₂ q` shrinks to
/// `4 · 0.618³⁰ ≈ 2·10⁻⁶`).
const GOLDEN_STEPS: usize = 30;

/// Maximum-likelihood drift model of `y` with level resets at `bkps`, φ fixed at `p.phi`: the
/// drift ratio `q = σ_η²/σ_ν²` maximising the Gaussian likelihood (Kalman filter, scale
/// concentrated out), searched over `q = 0` and `log₂ q` on the even integers of
/// `LOG2_RATIO_RANGE` (2⁻²⁴ to 2⁸), then by golden section between the best point's
/// neighbours; σ_ν and σ_η are then the maximum-likelihood scale (Harvey 1989, §3.4: the
/// local-level model's concentrated likelihood; the profile is assumed unimodal between grid
/// points). Unlike the moment estimate ([`DecafsParams::estimate`], lags 1..10), it uses every
/// lag, so a weak drift under strong noise (σ_η = 0.1 σ_ν: 5 % of the
/// lag-10 difference variance) is not lost in the moment estimate's sampling error. `p` is
/// returned unchanged when it has no noise scale or `y` has fewer than 3 values a segment.
pub fn ml_drift(y: &[f64], bkps: &[usize], p: &DecafsParams) -> DecafsParams {
    let s_nu = p.sigma_nu;
    if !(s_nu > 0.0 && s_nu.is_finite()) || y.len() < 3 * (bkps.len() + 1) {
        return *p;
    }
    let at = |log2_q: Option<f64>| {
        let q = DecafsParams {
            sigma_eta: log2_q.map_or(0.0, |l| s_nu * (l / 2.0).exp2()),
            ..*p
        };
        (kalman_drift(y, bkps, &q), q)
    };
    let (lo, hi) = LOG2_RATIO_RANGE;
    let mut best = (at(None), None);
    for j in (lo..=hi).step_by(2) {
        let fit = at(Some(j as f64));
        if fit.0.profile() < best.0 .0.profile() {
            best = (fit, Some(j as f64));
        }
    }
    if let Some(j) = best.1 {
        // Golden section on log₂ q within one grid step of the best point.
        let (mut a, mut b) = (j - 2.0, j + 2.0);
        let g = 0.5 * (5f64.sqrt() - 1.0);
        let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
        let (mut fc, mut fd) = (at(Some(c)), at(Some(d)));
        for _ in 0..GOLDEN_STEPS {
            if fc.0.profile() < fd.0.profile() {
                (b, d, fd) = (d, c, fc);
                c = b - g * (b - a);
                fc = at(Some(c));
            } else {
                (a, c, fc) = (c, d, fd);
                d = a + g * (b - a);
                fd = at(Some(d));
            }
        }
        for fit in [fc, fd] {
            if fit.0.profile() < best.0 .0.profile() {
                best = (fit, None);
            }
        }
    }
    let ((innovations, q), _) = best;
    let scale = innovations.scale().sqrt();
    DecafsParams {
        sigma_eta: q.sigma_eta * scale,
        sigma_nu: q.sigma_nu * scale,
        phi: q.phi,
    }
}

/// Candidate periods of `y`: the lags `P` in `[4, min(n/3, SEASON_MAX_PERIOD)]` where the
/// sample autocorrelation has a local maximum (`ρ_P ≥ ρ_{P±1}`) and is positive, the
/// [`SEASON_CANDIDATES`] highest first, each followed by the shortest such peak it is an
/// integer multiple of (within 5 %) that rises at least half as much, when there is one.
/// Empty for series longer than [`SEASON_MAX_N`] or too short for three periods of 4.
pub fn candidate_periods(y: &[f64]) -> Vec<usize> {
    let n = y.len();
    let max_p = (n / 3).min(SEASON_MAX_PERIOD);
    if n > SEASON_MAX_N || max_p < SEASON_MIN_PERIOD + 1 {
        return Vec::new();
    }
    let Ok(acf) = crate::stats::dependence::acf(y, max_p) else {
        return Vec::new();
    };
    let r = &acf.values;
    // Rise of the autocorrelation at P from its lowest value at shorter lags: a period is
    // where the autocorrelation comes back after its dip (the slow decay of a step or a
    // drift, and the wiggles of noise at short lags, rise little).
    let mut low = f64::INFINITY;
    let mut peaks: Vec<(f64, usize)> = Vec::new();
    for p in 1..max_p {
        low = low.min(r[p]);
        if p >= SEASON_MIN_PERIOD && r[p] > 0.0 && r[p] >= r[p - 1] && r[p] >= r[p + 1] {
            let rise = r[p] - low;
            if rise > 0.0 {
                peaks.push((rise, p));
            }
        }
    }
    // (rise, lag) in the order of the lags.
    let all = peaks.clone();
    peaks.sort_by(|a, b| b.0.total_cmp(&a.0));
    peaks.truncate(SEASON_CANDIDATES);
    // A cycle's autocorrelation comes back at every multiple of its period, about as high, so
    // noise can rank a multiple first: each candidate brings the shortest peak it is a
    // multiple of that rises at least half as much (a wiggle of the noise at a short lag rises
    // little), and the fits' BIC chooses.
    let mut periods: Vec<usize> = Vec::new();
    for (rise, p) in peaks {
        let fundamental = all
            .iter()
            .find(|&&(r, q)| r >= 0.5 * rise && is_multiple(p, q))
            .map_or(p, |&(_, q)| q);
        for c in [p, fundamental] {
            if !periods.contains(&c) {
                periods.push(c);
            }
        }
    }
    periods
}

/// Whether the lag `p` is `k q` for an integer `k ≥ 2`, within 5 % of `q`.
fn is_multiple(p: usize, q: usize) -> bool {
    let k = (p as f64 / q as f64).round();
    k >= 2.0 && (p as f64 - k * q as f64).abs() <= 0.05 * q as f64
}

/// The regression of a series of `n` values on a constant and `harmonics` Fourier pairs of
/// `period` (columns `1, cos ωt, sin ωt, cos 2ωt, …`, ω = 2π/P, t = 0..n-1): the basis over one
/// period and the normal equations' matrix `AᵀA`, which depend on `n` and `P` only, so one
/// basis serves every series of `n` values (the backfitting rounds) and every number of
/// harmonics up to `harmonics` (the first `2h + 1` rows and columns are those of `h`
/// harmonics, to the bit). The basis depends on `t` only through its phase `t mod P`:
/// `AᵀA = Σ_phase count · b bᵀ`, O(P k²) once; each series then costs one pass for its sum
/// per phase and O(P k) for `Aᵀr`.
///
/// (Over whole periods the columns are orthogonal, and `AᵀA` has a closed form in O(P k); it
/// was tried and is not used: it moves the fit in the last digits, and the step search on the
/// deseasonalised values can turn such a difference into another change point.)
struct FourierBasis {
    period: usize,
    /// Columns (`k = 2h + 1`).
    k: usize,
    /// Row `j` (`k` values): the basis at phase `j`.
    table: Vec<f64>,
    /// `AᵀA` (`k × k`, row-major).
    ata: Vec<f64>,
}

impl FourierBasis {
    fn new(n: usize, period: usize, harmonics: usize) -> Self {
        let k = 1 + 2 * harmonics;
        let w = 2.0 * std::f64::consts::PI / period as f64;
        // Every entry is cos or sin of 2πj/P for j = ph (h + 1) mod P: P of each, computed once.
        let roots: Vec<(f64, f64)> = (0..period)
            .map(|j| {
                let a = j as f64 * w;
                (a.cos(), a.sin())
            })
            .collect();
        let mut table = vec![0.0; period * k];
        for row in table.chunks_exact_mut(k) {
            row[0] = 1.0;
        }
        for h in 0..harmonics {
            // j = ph (h + 1) mod P, stepped.
            let step = (h + 1) % period;
            let mut j = 0;
            for row in table.chunks_exact_mut(k) {
                let (c, s) = roots[j];
                row[1 + 2 * h] = c;
                row[2 + 2 * h] = s;
                j += step;
                if j >= period {
                    j -= period;
                }
            }
        }
        // Phase j occurs q + 1 times for j < n mod P, q times after (none when q = 0).
        let (q, rem) = (n / period, n % period);
        let mut ata = vec![0.0; k * k];
        for (ph, b) in table.chunks_exact(k).enumerate() {
            let c = (q + usize::from(ph < rem)) as f64;
            if c == 0.0 {
                continue;
            }
            for (i, &bi) in b.iter().enumerate() {
                let cb = c * bi;
                for (a, &bj) in ata[i * k..=i * k + i].iter_mut().zip(b) {
                    *a += cb * bj;
                }
            }
        }
        for i in 0..k {
            for j in 0..i {
                ata[j * k + i] = ata[i * k + j];
            }
        }
        FourierBasis {
            period,
            k,
            table,
            ata,
        }
    }

    /// `Aᵀr` on the first `m` columns (one pass over `r` for the sum per phase).
    fn atb(&self, r: &[f64], m: usize) -> Vec<f64> {
        let mut sum = vec![0.0; self.period];
        for chunk in r.chunks(self.period) {
            for (s, v) in sum.iter_mut().zip(chunk) {
                *s += v;
            }
        }
        let mut atb = vec![0.0; m];
        // The phases that occur (all unless r is shorter than a period).
        for (b, &s) in self.table.chunks_exact(self.k).zip(&sum).take(r.len()) {
            for (a, &bi) in atb.iter_mut().zip(&b[..m]) {
                *a += bi * s;
            }
        }
        atb
    }

    /// Coefficients and residual sum of squares `Σ r² - β·Aᵀr` of the first `m` columns,
    /// given `Aᵀr` (at least `m` entries) and `rr = Σ r²`.
    fn solve_first(&self, atb: &[f64], rr: f64, m: usize) -> (Vec<f64>, f64) {
        let k = self.k;
        let mut a: Vec<f64> = Vec::with_capacity(m * m);
        for row in self.ata.chunks_exact(k).take(m) {
            a.extend_from_slice(&row[..m]);
        }
        let mut b = atb[..m].to_vec();
        let coef = solve(&mut a, &mut b, m);
        let explained: f64 = coef.iter().zip(atb).map(|(c, v)| c * v).sum();
        (coef, (rr - explained).max(0.0))
    }

    /// The periodic part (without the constant) of the fit `coef` at each of `n` times.
    fn periodic(&self, coef: &[f64], n: usize) -> Vec<f64> {
        let one_period: Vec<f64> = self
            .table
            .chunks_exact(self.k)
            .map(|b| (1..coef.len()).map(|i| coef[i] * b[i]).sum())
            .collect();
        one_period.iter().copied().cycle().take(n).collect()
    }

    /// [`fourier_fit`] on this basis with `harmonics` (at most the basis's).
    fn fit(&self, r: &[f64], harmonics: usize) -> (Vec<f64>, f64) {
        let m = 1 + 2 * harmonics;
        let rr = r.iter().map(|v| v * v).sum();
        let (coef, rss) = self.solve_first(&self.atb(r, m), rr, m);
        (self.periodic(&coef, r.len()), rss)
    }

    /// [`fit_season`] on this basis (whose harmonics are the most tried).
    fn season(&self, r: &[f64]) -> (Season, Vec<f64>) {
        let n = r.len() as f64;
        let most = (self.k - 1) / 2;
        let rr = r.iter().map(|v| v * v).sum();
        let atb = self.atb(r, self.k);
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for h in 1..=most {
            let (coef, rss) = self.solve_first(&atb, rr, 1 + 2 * h);
            let crit = n * (rss.max(f64::MIN_POSITIVE) / n).ln() + 2.0 * h as f64 * n.ln();
            if best.as_ref().map_or(true, |(c, ..)| crit < *c) {
                best = Some((crit, h, coef));
            }
        }
        let (_, harmonics, coef) = best.unwrap_or((0.0, 1, vec![0.0]));
        (
            Season {
                period: self.period,
                harmonics,
            },
            self.periodic(&coef, r.len()),
        )
    }
}

/// Least-squares fit of `r` by a constant plus `harmonics` Fourier pairs of `period`: the fitted
/// periodic part (without the constant) and the residual sum of squares. Normal equations
/// (at most 49 unknowns: [`FourierBasis`]) solved by Gaussian elimination with partial
/// pivoting.
pub fn fourier_fit(r: &[f64], period: usize, harmonics: usize) -> (Vec<f64>, f64) {
    FourierBasis::new(r.len(), period, harmonics).fit(r, harmonics)
}

/// Solves `a x = b` (`a` k×k, row-major; both overwritten); a singular pivot gives 0 for that
/// unknown (the column adds nothing to the fit).
fn solve(a: &mut [f64], b: &mut [f64], k: usize) -> Vec<f64> {
    let scale = (0..k).map(|i| a[i * k + i].abs()).fold(0.0, f64::max);
    for c in 0..k {
        let piv = (c..k)
            .max_by(|&i, &j| a[i * k + c].abs().total_cmp(&a[j * k + c].abs()))
            .unwrap_or(c);
        if piv != c {
            for j in 0..k {
                a.swap(c * k + j, piv * k + j);
            }
            b.swap(c, piv);
        }
        let d = a[c * k + c];
        if d.abs() <= 1e-12 * scale {
            continue;
        }
        for i in c + 1..k {
            let f = a[i * k + c] / d;
            if f != 0.0 {
                for j in c..k {
                    a[i * k + j] -= f * a[c * k + j];
                }
                b[i] -= f * b[c];
            }
        }
    }
    let mut x = vec![0.0; k];
    for c in (0..k).rev() {
        let d = a[c * k + c];
        if d.abs() <= 1e-12 * scale {
            continue;
        }
        let s: f64 = (c + 1..k).map(|j| a[c * k + j] * x[j]).sum();
        x[c] = (b[c] - s) / d;
    }
    x
}

/// Most harmonics tried for `period`: `min(MAX_HARMONICS, (P - 1)/2)`, at least 1.
fn most_harmonics(period: usize) -> usize {
    ((period - 1) / 2).clamp(1, MAX_HARMONICS)
}

/// The number of harmonics (1..=min([`MAX_HARMONICS`], (P - 1)/2)) minimising `n ln(RSS_H/n) + 2H ln n` for
/// the residual `r` and period `period`, with its fitted periodic part.
pub fn fit_season(r: &[f64], period: usize) -> (Season, Vec<f64>) {
    FourierBasis::new(r.len(), period, most_harmonics(period)).season(r)
}

/// The period within ±15 % of `period` whose one-harmonic fit of `r` has the least residual
/// sum of squares (an autocorrelation peak is an integer lag, moved by a step or a trend next
/// to it): a grid of at most 41 periods, then the integers next to the best. The fit is to `r`
/// minus its centred moving average over `period` values (where the window fits): that passes
/// the cycle and takes out a level that moves, so a step in `r` does not pull the period.
pub fn refine_period(r: &[f64], period: usize) -> usize {
    let lo = ((period as f64 * 0.85).floor() as usize).max(SEASON_MIN_PERIOD);
    let hi = ((period as f64 * 1.15).ceil() as usize).min((r.len() / 3).max(lo));
    let stride = ((hi - lo) / 40).max(1);
    let detrended = minus_moving_average(r, period / 2);
    let r = &detrended[..];
    let rr: f64 = r.iter().map(|v| v * v).sum();
    let mut sum = Vec::new();
    let mut rss = |p: usize| one_harmonic_rss(r, rr, p, &mut sum);
    let mut best = (rss(period), period);
    for p in (lo..=hi).step_by(stride) {
        let v = rss(p);
        if v < best.0 {
            best = (v, p);
        }
    }
    if stride > 1 {
        let centre = best.1;
        for p in centre.saturating_sub(stride - 1).max(lo)..=(centre + stride - 1).min(hi) {
            let v = rss(p);
            if v < best.0 {
                best = (v, p);
            }
        }
    }
    best.1
}

/// Residual sum of squares of [`fourier_fit`] with one harmonic, `rr = Σ r²` given: the same
/// operations as [`FourierBasis`] (so the same result to the bit) without its table, for the
/// many periods of [`refine_period`]. `sum` is scratch space for the sums per phase.
fn one_harmonic_rss(r: &[f64], rr: f64, period: usize, sum: &mut Vec<f64>) -> f64 {
    sum.clear();
    sum.resize(period, 0.0);
    for chunk in r.chunks(period) {
        for (s, v) in sum.iter_mut().zip(chunk) {
            *s += v;
        }
    }
    let (q, rem) = (r.len() / period, r.len() % period);
    let w = 2.0 * std::f64::consts::PI / period as f64;
    // AᵀA (lower triangle) and Aᵀr of the columns 1, cos ωt, sin ωt, summed over the phases
    // in order.
    let (mut a00, mut a10, mut a11, mut a20, mut a21, mut a22) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut b0, mut b1, mut b2) = (0.0, 0.0, 0.0);
    for (ph, &s) in sum.iter().enumerate().take(r.len()) {
        let a = ph as f64 * w;
        let (c, sn) = (a.cos(), a.sin());
        let count = (q + usize::from(ph < rem)) as f64;
        let cb = count;
        a00 += cb;
        let cb = count * c;
        a10 += cb;
        a11 += cb * c;
        let cb = count * sn;
        a20 += cb;
        a21 += cb * c;
        a22 += cb * sn;
        b0 += s;
        b1 += c * s;
        b2 += sn * s;
    }
    let mut a = [a00, a10, a20, a10, a11, a21, a20, a21, a22];
    let atb = [b0, b1, b2];
    let mut b = atb;
    let coef = solve(&mut a, &mut b, 3);
    let explained: f64 = coef.iter().zip(&atb).map(|(c, v)| c * v).sum();
    (rr - explained).max(0.0)
}

/// `r_t` minus the mean of `r[t-h..=t+h]`, for the `t` where that window lies inside `r` (a
/// window of about one period passes a periodic component and takes out a level that moves).
fn minus_moving_average(r: &[f64], h: usize) -> Vec<f64> {
    let w = 2 * h + 1;
    if r.len() < w {
        return r.to_vec();
    }
    let mut sum: f64 = r[..w].iter().sum();
    let mut out = Vec::with_capacity(r.len() - w + 1);
    for t in h..r.len() - h {
        if t > h {
            sum += r[t + h] - r[t - h - 1];
        }
        out.push(r[t] - sum / w as f64);
    }
    out
}

/// `y` minus its piecewise means over the segments of `bkps`.
pub fn step_residual(y: &[f64], bkps: &[usize]) -> Vec<f64> {
    let mut out = Vec::with_capacity(y.len());
    let mut start = 0;
    for &end in bkps.iter().chain(std::iter::once(&y.len())) {
        let seg = &y[start..end];
        let m = seg.iter().sum::<f64>() / seg.len().max(1) as f64;
        out.extend(seg.iter().map(|v| v - m));
        start = end;
    }
    out
}

/// The season model for one period: backfits the periodic component (on the searched values `y`
/// and the raw values `x` alike, so the steps are searched, placed and validated on the
/// deseasonalised series) and the steps found by `steps(x - s_x, y - s_y)` (the indices of the
/// validated changes), starting from the step fit `start`. Returns the last step result, the
/// component and the BIC (module documentation, step 3) with the AR(1) coefficient `phi`.
pub(crate) fn season_fit<T>(
    x: &[f64],
    y: &[f64],
    period: usize,
    start: &[usize],
    phi: f64,
    mut steps: impl FnMut(&[f64], &[f64]) -> crate::Result<(T, Vec<usize>)>,
) -> crate::Result<(T, Season, f64)> {
    let mut bkps = start.to_vec();
    let mut best: Option<(T, Season, f64)> = None;
    let mut period = period;
    // The basis of the refined period, shared by every round and by x and y (it depends on n
    // and P only).
    debug_assert_eq!(x.len(), y.len());
    let mut basis: Option<FourierBasis> = None;
    let ln_n = (y.len() as f64).ln();
    for round in 0..SEASON_ROUNDS {
        let r = step_residual(y, &bkps);
        if round == 0 {
            period = refine_period(&r, period);
        }
        let basis =
            basis.get_or_insert_with(|| FourierBasis::new(y.len(), period, most_harmonics(period)));
        let (season, s_y) = basis.season(&r);
        let (s_x, _) = basis.fit(&step_residual(x, &bkps), season.harmonics);
        let y_des: Vec<f64> = y.iter().zip(&s_y).map(|(a, b)| a - b).collect();
        let x_des: Vec<f64> = x.iter().zip(&s_x).map(|(a, b)| a - b).collect();
        let (found, idx) = steps(&x_des, &y_des)?;
        // The BIC of these steps with the periodic component refitted to them.
        let (s_y, _) = basis.fit(&step_residual(y, &idx), season.harmonics);
        let y_des: Vec<f64> = y.iter().zip(&s_y).map(|(a, b)| a - b).collect();
        let criterion = bic(&y_des, &idx, false, phi) + (2 * season.harmonics + 1) as f64 * ln_n;
        let repeat = idx == bkps;
        bkps = idx;
        if best.as_ref().map_or(true, |b| criterion < b.2) {
            best = Some((found, season, criterion));
        }
        if repeat {
            break;
        }
    }
    best.ok_or_else(|| crate::Error::invalid("season", "no round"))
}

/// [`trend_test_of`] with both sides estimated here (the validation keeps the sides).
#[cfg(test)]
pub(crate) fn trend_test(y: &[f64], a: usize, tau: usize, b: usize) -> Option<f64> {
    if tau - a < 4 || b - tau < 4 {
        return None;
    }
    Some(trend_test_of(
        &trend_side(y, a, tau)?,
        &trend_side(y, tau, b)?,
        tau,
    ))
}

/// One segment's part of [`trend_test_of`]: its least-squares line and the EWC long-run variance
/// of its residuals (kept by the validation for the change point on the segment's other side).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrendSide {
    m: f64,
    tbar: f64,
    mean: f64,
    stt: f64,
    slope: f64,
    omega: f64,
    df: f64,
}

/// [`TrendSide`] of `y[lo..hi]` (at least 4 values); `None` when the residuals are exactly 0.
pub(crate) fn trend_side(y: &[f64], lo: usize, hi: usize) -> Option<TrendSide> {
    use crate::stats::compare::{har, Estimator};
    let seg = &y[lo..hi];
    let m = seg.len() as f64;
    let tbar = (lo + hi - 1) as f64 / 2.0;
    let mean = seg.iter().sum::<f64>() / m;
    let stt = m * (m * m - 1.0) / 12.0;
    let sty: f64 = seg
        .iter()
        .enumerate()
        .map(|(i, v)| ((lo + i) as f64 - tbar) * (v - mean))
        .sum();
    let slope = sty / stt;
    let resid: Vec<f64> = seg
        .iter()
        .enumerate()
        .map(|(i, v)| v - mean - slope * ((lo + i) as f64 - tbar))
        .collect();
    let h = har(&resid, Estimator::Ewc).ok()?;
    if h.omega.is_nan() || h.omega <= 0.0 {
        return None;
    }
    Some(TrendSide {
        m,
        tbar,
        mean,
        stt,
        slope,
        omega: h.omega,
        df: h.df,
    })
}

/// Calibrated test of a trend-model change at `τ` between the segments `[a, τ)` and `[τ, b)`
/// of `y`, with `compare`'s reference: each segment's least-squares line, the EWC long-run
/// variance `ω` (with its degrees of freedom ν) of its residuals, and a Welch t for the jump
/// of the two lines at the boundary and for the change of slope:
/// ```text
/// D = ŷ_R(τ - ½) - ŷ_L(τ - ½),   Var = ω (1/m + (t* - t̄)² / Σ (t - t̄)²) per side
/// S = slope_R - slope_L,          Var = ω / Σ (t - t̄)² per side
/// t = D / √(V_L + V_R), df by Welch–Satterthwaite from ν_L, ν_R (the same for S)
/// p = min(1, 2 min(p_D, p_S))     (Bonferroni over the two)
/// ```
/// (the variances of a regression on a line under dependent noise, Grenander 1954: ω in place
/// of σ²). The sides come from [`trend_side`] (none for a segment that is exactly a line;
/// segments of fewer than 4 values are not tested). p-values below [`P_FLOOR`] are reported
/// as [`P_FLOOR`].
pub(crate) fn trend_test_of(left: &TrendSide, right: &TrendSide, tau: usize) -> f64 {
    let at = tau as f64 - 0.5;
    let side = |s: &TrendSide| {
        let level = s.mean + s.slope * (at - s.tbar);
        let v_level = s.omega * (1.0 / s.m + (at - s.tbar).powi(2) / s.stt);
        (level, v_level, s.slope, s.omega / s.stt, s.df)
    };
    let (yl, vl, sl, wl, dfl) = side(left);
    let (yr, vr, sr, wr, dfr) = side(right);
    let welch = |d: f64, v1: f64, v2: f64| {
        let df = satterthwaite(v1, dfl, v2, dfr);
        (2.0 * crate::stats::math::dist::t_sf((d / (v1 + v2).sqrt()).abs(), df)).min(1.0)
    };
    let p = (2.0 * welch(yr - yl, vl, vr).min(welch(sr - sl, wl, wr))).min(1.0);
    p.max(P_FLOOR)
}

/// Welch–Satterthwaite degrees of freedom of `v1 + v2` (∞ df allowed).
fn satterthwaite(v1: f64, df1: f64, v2: f64, df2: f64) -> f64 {
    let denom = v1 * v1 / df1 + v2 * v2 / df2;
    if denom > 0.0 {
        (v1 + v2).powi(2) / denom
    } else {
        f64::INFINITY
    }
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
/// [`P_FLOOR`] are reported as [`P_FLOOR`]. (A lone outlier, which DeCAFS fits as a jump out
/// and a jump back, is removed before this test by [`drop_spikes`].)
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
    let Some((_, h, _, _)) = best else {
        return (1.0, 1);
    };
    (block_t(y, a, tau, b, h, jump).max(P_FLOOR), h)
}

/// The t-test of `stat(y, τ, h)` studentised by the same statistic on the disjoint reference
/// blocks of `[a, τ)` and `[τ, b)` ([`drift_test`]).
fn block_t(
    y: &[f64],
    a: usize,
    tau: usize,
    b: usize,
    h: usize,
    stat: fn(&[f64], usize, usize) -> f64,
) -> f64 {
    let (kl, kr) = reference_blocks(a, tau, b, h);
    if kl + kr == 0 {
        return 1.0;
    }
    let mut ss = 0.0;
    for k in 0..kl {
        // Block [s, s + 2h) left of τ - h, centred at s + h.
        let s = tau - h - 2 * h * (k + 1);
        ss += stat(y, s + h, h).powi(2);
    }
    for k in 0..kr {
        let s = tau + h + 2 * h * k;
        ss += stat(y, s + h, h).powi(2);
    }
    let df = (kl + kr) as f64;
    let d = stat(y, tau, h);
    if ss > 0.0 {
        let t = d / (ss / df).sqrt();
        (2.0 * crate::stats::math::dist::t_sf(t.abs(), df)).min(1.0)
    } else if d != 0.0 {
        0.0
    } else {
        1.0
    }
}

/// Change points of the drift model: DeCAFS on `y` with penalty `beta` (`-2 log L` units),
/// spikes dropped ([`drop_spikes`]), then each change validated by [`drift_test`] (a t-test of
/// the local jump against the same statistic on its two neighbouring segments), Holm-adjusted, the least significant dropped
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
    let validated = prune_incremental(drop_spikes(y, &fit.breakpoints, min_size), alpha, test_one);
    Ok((fit.breakpoints, validated))
}

/// The candidates without the spikes: of two consecutive changes less than `min_size` apart,
/// a jump out and a jump back at least halfway (`|out + back| < |out|/2`: a burst of fewer than
/// `min_size` values that DeCAFS, with no minimum segment, fits as two jumps) are both
/// dropped, and any other pair is one jump, kept at the first; a change less than `min_size` from either end is
/// dropped. Done before the validation, so a real change next to a spike is not tested against
/// the spike's short segment. Jumps are differences of the means of `y` over at most
/// `min_size` values on each side.
fn drop_spikes(y: &[f64], bkps: &[usize], min_size: usize) -> Vec<usize> {
    let n = y.len();
    let mean = |lo: usize, hi: usize| y[lo..hi].iter().sum::<f64>() / (hi - lo).max(1) as f64;
    let mut out: Vec<usize> = Vec::with_capacity(bkps.len());
    let mut i = 0;
    while i < bkps.len() {
        let t = bkps[i];
        if i + 1 < bkps.len() && bkps[i + 1] - t < min_size {
            let u = bkps[i + 1];
            let prev = out
                .last()
                .copied()
                .unwrap_or(0)
                .max(t.saturating_sub(min_size));
            let next = bkps.get(i + 2).copied().unwrap_or(n).min(u + min_size);
            let mid = mean(t, u);
            let (out_jump, back_jump) = (mid - mean(prev, t), mean(u, next) - mid);
            // A spike comes back at least halfway: |net| < |out| / 2.
            let spike = (out_jump + back_jump).abs() < 0.5 * out_jump.abs();
            if !spike && t >= min_size && n - t >= min_size {
                out.push(t);
            }
            i += 2;
            continue;
        }
        if t >= min_size && n - t >= min_size {
            out.push(t);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simplest_of_the_near_best_fits_is_chosen() {
        use Model::{Drift, Season, Step, Trend};
        // A sawtooth: the trend's resets 6 below the season's periodic component: the season.
        assert_eq!(
            choose_model(&[(Trend, 169.0, 8), (Season, 175.0, 0)], 296.0, 3),
            Season
        );
        // Beyond the margin, the lowest.
        assert_eq!(
            choose_model(&[(Trend, 160.0, 8), (Season, 175.0, 0)], 296.0, 3),
            Trend
        );
        // Equal counts: the lower BIC.
        assert_eq!(
            choose_model(&[(Trend, 90.0, 1), (Drift, 85.0, 1)], 100.0, 4),
            Drift
        );
        // The simplest does not replace the steps (no change, within the margin of them), the
        // lowest does.
        assert_eq!(
            choose_model(&[(Trend, 85.0, 5), (Season, 94.0, 0)], 100.0, 0),
            Trend
        );
        // Neither does.
        assert_eq!(choose_model(&[(Trend, 95.0, 0)], 100.0, 0), Step);
        assert_eq!(choose_model(&[], 100.0, 2), Step);
    }

    #[test]
    fn another_fit_replaces_steps_by_the_margin_or_with_fewer_changes() {
        // Lower by more than the margin: whatever the counts.
        assert!(replaces_steps(80.0, 0, 100.0, 1));
        assert!(replaces_steps(80.0, 5, 100.0, 1));
        // Within the margin: only with fewer change points, at least one.
        assert!(replaces_steps(95.0, 1, 100.0, 6));
        assert!(!replaces_steps(95.0, 0, 100.0, 6));
        assert!(!replaces_steps(95.0, 2, 100.0, 2));
        assert!(!replaces_steps(95.0, 1, 100.0, 1));
        // Not lower: never.
        assert!(!replaces_steps(100.0, 1, 100.0, 6));
        assert!(!replaces_steps(f64::NAN, 1, 100.0, 6));
    }

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

    /// Without a change, the drift test rejects at most at its level: a random walk with
    /// AR(1) noise, a change tested in the middle, 600 series (binomial sd 0.9 %).
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
            assert!(rate <= 0.08, "seed {seed}: {rate}");
        }
    }

    /// A jump far beyond the noise gets a tiny p-value that is still positive, a change next
    /// to a short segment gets 1, and a lone outlier is not a jump (dropped as a spike).
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
        // A spike (out and back within min_size) and changes next to the ends are dropped; two
        // jumps up within min_size are one jump.
        let mut z = vec![0.0; 1000];
        z[200] = 9.0;
        for v in &mut z[500..] {
            *v = 5.0;
        }
        for v in &mut z[502..] {
            *v = 9.0;
        }
        assert_eq!(drop_spikes(&z, &[3, 200, 201, 500, 502, 997], 5), vec![500]);
        // The t statistic by hand for h = 1 (segments of 4: one block on each side).
        let y = [0.0, 1.0, 3.0, 2.0, 10.0, 12.0, 11.0, 9.0];
        let pv = block_t(&y, 0, 4, 8, 1, jump);
        // D(4) = 10 - 2; blocks [1, 3): 3 - 1 = 2; [5, 7): 11 - 12 = -1. t = 8 / √(5/2), 2 df.
        let t: f64 = 8.0 / (2.5f64).sqrt();
        // Two-sided t(2) tail: 1 - t / √(t² + 2).
        let want = 1.0 - t / (t * t + 2.0).sqrt();
        assert!((pv - want).abs() <= 1e-12 * want, "{pv} vs {want}");
    }

    /// Without a change, the trend test rejects near its level: a line with AR(1) noise, a
    /// change tested in the middle (400 series, binomial sd 1.1 %).
    #[test]
    fn trend_test_holds_its_level_on_a_line() {
        for (seed, phi) in [(5u64, 0.0), (6, 0.6)] {
            let mut rng = crate::stats::rng::Rng::new(seed);
            let reps = 400;
            let rejected = (0..reps)
                .filter(|_| {
                    let y: Vec<f64> = walk(&mut rng, 600, 0.0, phi, 1.0)
                        .iter()
                        .enumerate()
                        .map(|(t, v)| v + 0.01 * t as f64)
                        .collect();
                    trend_test(&y, 0, 300, 600).is_some_and(|p| p < 0.05)
                })
                .count();
            let rate = rejected as f64 / reps as f64;
            assert!((0.01..=0.08).contains(&rate), "seed {seed}: {rate}");
        }
        // A kink is found.
        let mut rng = crate::stats::rng::Rng::new(7);
        let y: Vec<f64> = (0..600)
            .map(|t| {
                rng.normal()
                    + if t >= 300 {
                        0.05 * (t - 300) as f64
                    } else {
                        0.0
                    }
            })
            .collect();
        assert!(trend_test(&y, 0, 300, 600).is_some_and(|p| p < 1e-6));
    }

    /// The shortcuts of the season fit give the same bits as the general basis: the
    /// one-harmonic residual of `refine_period`, and a basis of more harmonics (shared by the
    /// backfitting rounds) restricted to fewer; with a partial last period and a series
    /// shorter than the period.
    #[test]
    fn season_shortcuts_change_no_bit() {
        let mut rng = crate::stats::rng::Rng::new(5);
        let r: Vec<f64> = (0..1030)
            .map(|t| (t as f64 * 0.07).sin() + rng.normal())
            .collect();
        let rr: f64 = r.iter().map(|v| v * v).sum();
        let mut sum = Vec::new();
        for (len, period) in [(1030, 96), (1030, 343), (1000, 4), (7, 12)] {
            let r = &r[..len];
            let rr_r: f64 = r.iter().map(|v| v * v).sum();
            let general = FourierBasis::new(len, period, 1).fit(r, 1).1;
            let short = one_harmonic_rss(r, rr_r, period, &mut sum);
            assert_eq!(short.to_bits(), general.to_bits(), "{len} {period}");
            let wide = FourierBasis::new(len, period, 6);
            for h in 1..=6 {
                let narrow = FourierBasis::new(len, period, h).fit(r, h);
                let shared = wide.fit(r, h);
                assert_eq!(narrow.1.to_bits(), shared.1.to_bits(), "{len} {period} {h}");
                assert!(narrow
                    .0
                    .iter()
                    .zip(&shared.0)
                    .all(|(a, b)| a.to_bits() == b.to_bits()));
            }
        }
        assert!(rr > 0.0);
    }

    /// The Kalman filter as it was written before its steady state was skipped: the same sums
    /// to the bit, with resets and at every point of the drift ratio's grid.
    #[test]
    fn kalman_steady_state_changes_no_bit() {
        fn reference(y: &[f64], bkps: &[usize], p: &DecafsParams) -> (f64, f64, usize) {
            let (q_eta, q_nu) = (p.sigma_eta * p.sigma_eta, p.sigma_nu * p.sigma_nu);
            let phi = p.phi;
            let (mut m, mut e) = (0.0, 0.0);
            let (mut p11, mut p12, mut p22) = (0.0, 0.0, q_nu / (1.0 - phi * phi));
            let mut next = bkps.iter().peekable();
            let (mut norm, mut log_f, mut used) = (0.0, 0.0, 0);
            for (t, &yt) in y.iter().enumerate() {
                let reset = t == 0 || next.peek().is_some_and(|&&b| b == t);
                if reset && t > 0 {
                    next.next();
                }
                if t > 0 {
                    e *= phi;
                    p11 += q_eta;
                    p12 *= phi;
                    p22 = phi * phi * p22 + q_nu;
                }
                if reset {
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
                        norm += v * v / f;
                        log_f += f.ln();
                        used += 1;
                    }
                }
            }
            (norm, log_f, used)
        }
        let mut rng = crate::stats::rng::Rng::new(3);
        let y = walk(&mut rng, 3000, 0.05, 0.5, 1.0);
        for bkps in [vec![], vec![700, 2100]] {
            let params: Vec<DecafsParams> = (-24..=8)
                .step_by(2)
                .map(|j| DecafsParams {
                    sigma_eta: (j as f64 / 2.0).exp2(),
                    sigma_nu: 1.0,
                    phi: 0.5,
                })
                .chain([DecafsParams {
                    sigma_eta: 0.0,
                    sigma_nu: 1.0,
                    phi: 0.0,
                }])
                .collect();
            for p in &params {
                let got = kalman_drift(&y, &bkps, p);
                let want = reference(&y, &bkps, p);
                assert_eq!(got.norm.to_bits(), want.0.to_bits(), "{p:?}");
                assert_eq!(got.log_f.to_bits(), want.1.to_bits(), "{p:?}");
                assert_eq!(got.used, want.2, "{p:?}");
            }
        }
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
