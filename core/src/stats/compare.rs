//! The one entry point: compare baseline and candidate values with a default that stays
//! calibrated on autocorrelated data.
//!
//! See [`compare`] for the method, its assumptions and its measured calibration.

use serde::Serialize;

use super::dist::{t_cdf, t_ppf, t_sf};
use super::hypothesis::poisson::binom_test_p;
use super::{check, Alternative, ConfidenceInterval};
use crate::{Error, Result};

mod har;
mod location;
mod options;

pub(crate) use har::{har, har_like, Estimator, Har};
pub use har::{FLATNESS, NU_MAX, NU_MIN};
pub use location::Statistic;
use location::{location, location_with, mean, median, Location};
pub use options::{CompareMethod, CompareOptions, Pairing};

/// Per-sample description in a [`Comparison`].
#[derive(Debug, Clone, Serialize)]
pub struct SampleSummary {
    /// Number of values.
    pub n: usize,
    /// Effective number of independent values implied by the long-run variance used:
    /// `n · s² / ω̂`, capped at `n`.
    pub n_effective: f64,
    /// Lag-1 autocorrelation ρ̂₁.
    pub lag1: f64,
    /// Sample mean.
    pub mean: f64,
    /// Sample median.
    pub median: f64,
    /// Sample standard deviation (divisor n − 1).
    pub sd: f64,
}

/// Result of [`compare`].
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// What was computed, e.g. `"ewc-welch-t"`, `"ewc-paired-t (log-ratio)"`.
    pub method: String,
    /// Location compared (`"mean"` or `"median"`).
    #[serde(rename = "location")]
    pub statistic_name: Statistic,
    /// Absolute effect: candidate location − baseline location (median of the differences
    /// for a paired median; with `log-ratio` pairing the back-transformed
    /// `baseline location · relative`, so that it and its interval come from the same test).
    pub absolute: f64,
    /// Relative effect: candidate location / baseline location − 1 (exp(location of the
    /// log-ratios) − 1 with `log-ratio` pairing); NaN (JSON null) when the baseline location
    /// is 0.
    pub relative: f64,
    /// Confidence interval of `absolute`.
    pub ci_absolute: ConfidenceInterval,
    /// Confidence interval of `relative`.
    pub ci_relative: ConfidenceInterval,
    /// p-value of the test of no difference.
    pub p_value: f64,
    /// Test statistic `t = effect / se` (sign of candidate − baseline).
    pub statistic: f64,
    /// Degrees of freedom of the t reference (∞ — JSON null — for a normal reference).
    pub df: f64,
    /// Standard error of `absolute` (of the mean log-ratio with `log-ratio` pairing).
    pub se: f64,
    /// The alternative tested.
    pub alternative: Alternative,
    /// Pairing used, if any.
    pub paired: Option<Pairing>,
    /// Significance level the intervals were built for (level = 1 − alpha).
    pub alpha: f64,
    /// Baseline sample.
    pub baseline: SampleSummary,
    /// Candidate sample.
    pub candidate: SampleSummary,
    /// What the numbers need to be read with: a floored effective n, an unstable relative
    /// effect, rescaled extreme values. Empty (and absent from JSON) when nothing applies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Smallest effective n a sample is credited with. Below 1 the long-run variance exceeds the
/// variance of the whole sample, which a stationary series cannot do: the sample trends or
/// shifts, and the interval would be absurdly wide (see [`compare`]).
pub const MIN_EFFECTIVE_N: f64 = 1.0;

/// Largest magnitude compared without rescaling: squares of larger values overflow.
const SAFE_MAGNITUDE: f64 = 1e150;

fn summary(x: &[f64], h: &Har) -> SampleSummary {
    let n = x.len();
    let nf = n as f64;
    let n_effective = if h.omega > 0.0 {
        (nf * h.variance / h.omega).min(nf)
    } else {
        nf
    };
    SampleSummary {
        n,
        n_effective,
        lag1: h.lag1,
        mean: mean(x),
        median: median(x),
        sd: h.variance.sqrt(),
    }
}

/// Welch–Satterthwaite degrees of freedom of `Σ v_i` where `v_i ~ σ_i² χ²_{df_i}/df_i`.
fn satterthwaite(parts: &[(f64, f64)]) -> f64 {
    let total: f64 = parts.iter().map(|p| p.0).sum();
    let denom: f64 = parts
        .iter()
        .filter(|p| p.0 > 0.0 && p.1.is_finite())
        .map(|p| p.0 * p.0 / p.1)
        .sum();
    if denom > 0.0 {
        total * total / denom
    } else {
        f64::INFINITY
    }
}

/// p-value and interval of `estimate` with standard error `se` and a t(df) reference.
fn t_inference(
    estimate: f64,
    se: f64,
    df: f64,
    alpha: f64,
    alternative: Alternative,
) -> (f64, f64, ConfidenceInterval) {
    let t = estimate / se;
    // `less`: baseline < candidate, i.e. effect > 0.
    let p = match alternative {
        Alternative::TwoSided => (2.0 * t_sf(t.abs(), df)).min(1.0),
        Alternative::Less => t_sf(t, df),
        Alternative::Greater => t_cdf(t, df),
    };
    let level = 1.0 - alpha;
    let ci = match alternative {
        Alternative::TwoSided => {
            let q = t_ppf(1.0 - alpha / 2.0, df);
            (estimate - q * se, estimate + q * se)
        }
        Alternative::Less => (estimate - t_ppf(level, df) * se, f64::INFINITY),
        Alternative::Greater => (f64::NEG_INFINITY, estimate + t_ppf(level, df) * se),
    };
    (
        p,
        t,
        ConfidenceInterval {
            lo: ci.0,
            hi: ci.1,
            level,
        },
    )
}

/// Compares `baseline` and `candidate`: effect (absolute and relative) with confidence
/// intervals and a p-value that stays calibrated on autocorrelated samples.
///
/// **Default method (`auto` = `ewc`)**: a Welch t-test whose variances are equal-weighted cosine
/// (EWC) long-run variances with a data-driven number of basis functions ν per series:
///
/// ```text
/// per series x (length n):  φ̂ = ρ̂₁,  φ̃ = φ̂ + (1 + 3φ̂)/n            (Kendall bias correction)
///   ν = clamp(⌊ω* n / π⌋, 2, min(64, n − 1)),  ω* = largest ω with
///       s(ω)/s(0) = (1 − φ̃)² / (1 − 2φ̃ cos ω + φ̃²) ≥ 0.9            (AR(1) spectrum flat
///                                                                    to 10 % over the basis)
///   ω̂ = EWC_ν(x) / r,  r = (1/ν) Σ_{j≤ν} s(πj/n)/s(0)               (AR(1) bias correction)
/// two samples:  se² = ω̂_b/n_b + ω̂_c/n_c,  df = se⁴ / ((ω̂_b/n_b)²/ν_b + (ω̂_c/n_c)²/ν_c)
///   t = (c̄ − b̄)/se ~ t_df;   CI = (c̄ − b̄) ± t_{df,1−α/2} · se
/// relative (delta method, R = c̄/b̄):  se_R² = (ω̂_c/n_c + R² ω̂_b/n_b) / b̄²
/// paired (difference d_t = c_t − b_t, or log-ratio l_t = ln(c_t/b_t)): one-sample t on the
///   mean of d (or l) with ω̂ and ν of that series; relative CI from z_t = c_t − R b_t
///   (difference) or exp(CI of mean l) − 1 (log-ratio)
/// median (statistic = median): the variance of each median is ω̂(ψ)/(n f̂(m̂)²) with
///   ψ_t = 1{x_t ≤ m̂} − ½ (EWC with x's ν), f̂ a Gaussian kernel density at m̂ (Silverman
///   bandwidth); paired: the median of d (or l); relative = ratio of medians − 1 (paired
///   difference: median(d)/median(b), with median(b) treated as fixed)
/// ```
///
/// **Why**: the EWC statistic is exactly t_ν when the spectral density is flat near frequency
/// zero (Müller 2007; Lazarus, Lewis, Stock & Watson 2018, JBES); choosing ν so that the fitted
/// AR(1) spectrum is flat over the used frequencies keeps that approximation honest from
/// white noise (ν = 64) to φ = 0.95 (ν ≈ 2–3 at n = 480), where HAC with a normal reference
/// over-rejects. Measured by `core/tests/calibration.rs` (n = 480 per sample, 2000
/// replications, α = 0.05): false-positive rate ≤ 0.06 for AR(1) φ ∈ {0, 0.5, 0.8, 0.95}, with
/// Gaussian and t₃ innovations (median variant ≤ 0.05); power ≈ 0.96 (median 0.93) for a
/// 0.75-SD shift at φ = 0.8, where a naive Mann–Whitney test rejects a true null in ~50 %.
///
/// **Assumptions**: each series is covariance-stationary within the window (no trend, no level
/// shift inside a sample — detect change points first), with a spectrum near zero that an
/// AR(1) describes roughly (long memory or strong seasonality at a period comparable to the
/// window are not covered); the two samples are independent unless `paired` (positively
/// correlated unpaired samples, e.g. sharing a load pattern, make the test conservative:
/// use `paired`). The relative CI uses the delta method (Fieller would be exact), reasonable
/// when the baseline location is many standard errors from 0. A constant sample contributes
/// zero variance; both constant is an error. Departures from a reference: there is no single
/// library equivalent; with [`CompareMethod::Iid`] and the mean the result equals
/// `scipy.stats.ttest_ind(candidate, baseline, equal_var=False)` (or `ttest_rel` /
/// `ttest_1samp` of the log-ratios when paired).
///
/// # Example
/// ```
/// use shiftwatch::stats::compare::{compare, CompareOptions};
/// let baseline = [101.0, 99.5, 100.2, 100.8, 99.9, 100.4, 100.1, 99.7];
/// let candidate = [106.1, 105.0, 106.3, 105.8, 104.9, 106.0, 105.5, 105.2];
/// let r = compare(&baseline, &candidate, &CompareOptions::default())?;
/// assert!(r.p_value < 0.05);
/// assert!(r.ci_relative.lo > 0.04 && r.ci_relative.hi < 0.07);
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] (fewer than 3 values in a sample), [`Error::NonFinite`],
/// [`Error::Constant`] (no variability at all), [`Error::LengthMismatch`] for pairing samples
/// of different lengths, [`Error::InvalidArgument`] for `alpha` outside (0, 1) or non-positive
/// values with `log-ratio` pairing.
pub fn compare(
    baseline: &[f64],
    candidate: &[f64],
    options: &CompareOptions,
) -> Result<Comparison> {
    check::probability("alpha", options.alpha)?;
    check::sample("baseline", baseline, 3)?;
    check::sample("candidate", candidate, 3)?;
    // Values near f64::MAX overflow in squares and sums: compare exactly rescaled copies
    // (a power of 2) and scale the absolute quantities back.
    let top = baseline
        .iter()
        .chain(candidate)
        .fold(0.0f64, |m, v| m.max(v.abs()));
    if top > SAFE_MAGNITUDE {
        let k = top.log2().ceil() as i32 - 1;
        let down = libm::ldexp(1.0, -k);
        let b: Vec<f64> = baseline.iter().map(|v| v * down).collect();
        let c: Vec<f64> = candidate.iter().map(|v| v * down).collect();
        let mut r = compare_finite(&b, &c, options)?;
        let up = |v: &mut f64| *v = libm::ldexp(*v, k);
        for v in [
            &mut r.absolute,
            &mut r.ci_absolute.lo,
            &mut r.ci_absolute.hi,
            &mut r.se,
        ] {
            up(v);
        }
        for sample in [&mut r.baseline, &mut r.candidate] {
            for v in [&mut sample.mean, &mut sample.median, &mut sample.sd] {
                up(v);
            }
        }
        if !(r.absolute.is_finite() && r.se.is_finite() && r.baseline.sd.is_finite()) {
            return Err(Error::invalid(
                "values",
                format!(
                    "magnitudes up to {top:e}: the difference or its spread exceeds the largest \
                     float ({:e}); rescale the data",
                    f64::MAX
                ),
            ));
        }
        r.notes.push(format!(
            "values up to {top:e} were compared after exact rescaling by 2^-{k}"
        ));
        return Ok(r);
    }
    compare_finite(baseline, candidate, options)
}

/// The two-sided p-values of [`compare`] with the default options (unpaired) on the means and
/// on the medians of the same two samples: the numbers of the two calls, with each sample's
/// long-run variance estimated once and nothing else (intervals, summaries, notes) computed.
/// `None` where either call is an error. (The validation of `detect` calls
/// [`mean_and_median_p_of`] with each sample's part kept.)
#[cfg(test)]
pub(crate) fn mean_and_median_p(baseline: &[f64], candidate: &[f64]) -> Option<(f64, f64)> {
    mean_and_median_p_of(
        (baseline, &sample_locations(baseline)),
        (candidate, &sample_locations(candidate)),
    )
}

/// One sample's part of [`mean_and_median_p`] (its largest magnitude and, unless that calls
/// for rescaling or the sample is invalid, its mean and median locations by the default
/// estimator, floored as in [`compare`]): a sample tested against both of its neighbours is
/// estimated once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SampleLocations {
    top: f64,
    /// Whether every value is the same (a sample variance of 0).
    constant: bool,
    locations: Option<(Location, Location)>,
}

impl SampleLocations {
    /// The sample median, when the locations were estimated.
    pub(crate) fn median(&self) -> Option<f64> {
        self.locations.map(|(_, median)| median.value)
    }

    /// Whether every value of the sample is the same.
    pub(crate) fn is_constant(&self) -> bool {
        self.constant
    }
}

/// [`SampleLocations`] of `x`.
pub(crate) fn sample_locations(x: &[f64]) -> SampleLocations {
    let top = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let constant = x.windows(2).all(|w| w[0] == w[1]);
    let estimator = CompareOptions::default().method.estimator();
    let locations = (top <= SAFE_MAGNITUDE && check::sample("x", x, 3).is_ok())
        .then(|| {
            let (mut at_mean, mut at_median) = if estimator == Estimator::Ewc {
                location::mean_and_median_ewc(x).ok()?
            } else {
                let hx = har(x, estimator).ok()?;
                (
                    location_with(x, Statistic::Mean, estimator, hx).ok()?,
                    location_with(x, Statistic::Median, estimator, hx).ok()?,
                )
            };
            let mut notes = Vec::new();
            floor_effective_n("x", x, &mut at_mean, &mut notes);
            floor_effective_n("x", x, &mut at_median, &mut notes);
            Some((at_mean, at_median))
        })
        .flatten();
    SampleLocations {
        top,
        constant,
        locations,
    }
}

/// [`mean_and_median_p`] from each sample's [`sample_locations`].
pub(crate) fn mean_and_median_p_of(
    (baseline, b): (&[f64], &SampleLocations),
    (candidate, c): (&[f64], &SampleLocations),
) -> Option<(f64, f64)> {
    let options = CompareOptions::default();
    let median_options = CompareOptions {
        statistic: Statistic::Median,
        ..options
    };
    if b.top.max(c.top) > SAFE_MAGNITUDE
        || options.paired.is_some()
        || options.alternative != Alternative::TwoSided
    {
        // Rescaled or unusual: the calls themselves.
        let mean = compare(baseline, candidate, &options).ok()?.p_value;
        let median = compare(baseline, candidate, &median_options).ok()?.p_value;
        return Some((mean, median));
    }
    check::probability("alpha", options.alpha).ok()?;
    let ((b_mean, b_median), (c_mean, c_median)) = (b.locations?, c.locations?);
    let p = |lb: Location, lc: Location| -> Option<f64> {
        // As compare_finite, unpaired, two-sided.
        let (vb, vc) = (lb.var, lc.var);
        if vb + vc == 0.0 {
            return None;
        }
        let se = (vb + vc).sqrt();
        let df = satterthwaite(&[(vb, lb.df), (vc, lc.df)]);
        let t = (lc.value - lb.value) / se;
        Some((2.0 * t_sf(t.abs(), df)).min(1.0))
    };
    Some((p(b_mean, c_mean)?, p(b_median, c_median)?))
}

/// Two-sided p-value of a shift of the signs `sign(x - m)` between two samples that share the
/// median `m` (Mood's median test around it), for a validation where the median test is blind:
/// with an atom of tied values at `m` (counts that are mostly 0), a change that moves mass
/// between the atom and the values beyond it leaves both medians at `m`.
///
/// ```text
/// t = (s̄₂ − s̄₁) / √(ω (1/n₁ + 1/n₂)),   p = 2 P(T_ν > |t|)
/// ```
/// by [`pooled_shift_p`] on the signs: the variance is pooled, as the null hypothesis has one
/// law on both sides, so a short run of the atom (a constant sample, whose own variance is 0)
/// does not make a rare value on the other side look significant. The t law fails in the far
/// tail when the values off the atom are few (6 of 125 where 1.25 are expected: normal tail
/// 6·10⁻⁶, exact 1.5·10⁻³), so the shift must also pass the exact conditional test: of the K
/// values above `m` in both samples, the number in the second is Binomial(K, n₂/(n₁ + n₂))
/// under exchangeable values (`binomtest`'s two-sided p), and the same below `m` (Bonferroni
/// over the two). The larger p is returned (intersection–union: the t for dependence, the
/// exact test for few values). 1 when either sample is empty.
pub(crate) fn sign_shift_p(left: &[f64], right: &[f64], m: f64) -> f64 {
    if left.is_empty() || right.is_empty() {
        return 1.0;
    }
    let sign = |x: f64| f64::from(u8::from(x > m)) - f64::from(u8::from(x < m));
    let signs = |v: &[f64]| v.iter().map(|&x| sign(x)).collect::<Vec<f64>>();
    let t_p = pooled_shift_p(&signs(left), &signs(right));
    let share = right.len() as f64 / (left.len() + right.len()) as f64;
    let exact = |off: &dyn Fn(f64) -> bool| {
        let (kl, kr) = (
            left.iter().filter(|&&x| off(x)).count() as u64,
            right.iter().filter(|&&x| off(x)).count() as u64,
        );
        (kl + kr > 0).then(|| binom_test_p(kr, kl + kr, share, Alternative::TwoSided))
    };
    let exact_p = match (exact(&|x| x > m), exact(&|x| x < m)) {
        (Some(up), Some(down)) => (2.0 * up.min(down)).min(1.0),
        (Some(p), None) | (None, Some(p)) => p,
        (None, None) => 1.0,
    };
    t_p.max(exact_p)
}

/// Two-sided p-value of a shift of the mean between two samples with the variance pooled
/// under the null hypothesis of one law on both sides:
///
/// ```text
/// t = (x̄₂ − x̄₁) / √(ω (1/n₁ + 1/n₂)),   p = 2 P(T_ν > |t|)
/// ```
/// with ω and ν the EWC long-run variance and degrees of freedom of the values minus their
/// own sample's mean, both samples together (`compare`'s estimator). Where `compare`'s
/// unpooled test would read a constant sample's variance of 0 as a mean known exactly (a run
/// of equal values in quantised, dependent data), this one does not. With ω = 0 (both samples
/// constant): 1 when their values are equal, 0 when not; 1 when either sample is empty.
pub(crate) fn pooled_shift_p(left: &[f64], right: &[f64]) -> f64 {
    if left.is_empty() || right.is_empty() {
        return 1.0;
    }
    let (ml, mr) = (location::mean(left), location::mean(right));
    let residuals: Vec<f64> = left
        .iter()
        .map(|&x| x - ml)
        .chain(right.iter().map(|&x| x - mr))
        .collect();
    let Ok(h) = har::har(&residuals, Estimator::Ewc) else {
        return 1.0;
    };
    let se = (h.omega * (1.0 / left.len() as f64 + 1.0 / right.len() as f64)).sqrt();
    if se.is_nan() || se <= 0.0 {
        // Both samples constant: equal, no evidence; apart, a separation no noise explains.
        return if ml == mr { 1.0 } else { 0.0 };
    }
    (2.0 * t_sf(((mr - ml) / se).abs(), h.df)).min(1.0)
}

/// Credits a sample with at least [`MIN_EFFECTIVE_N`] independent values (see there).
fn floor_effective_n(what: &str, x: &[f64], l: &mut Location, notes: &mut Vec<String>) {
    let n = x.len() as f64;
    if l.har.omega.is_nan()
        || l.har.omega <= 0.0
        || l.har.variance.is_nan()
        || l.har.variance <= 0.0
    {
        return;
    }
    let n_eff = n * l.har.variance / l.har.omega;
    if n_eff < MIN_EFFECTIVE_N {
        let f = n_eff / MIN_EFFECTIVE_N;
        l.var *= f;
        l.har.omega *= f;
        notes.push(format!(
            "{what}: effective n {n_eff:.2} floored at {MIN_EFFECTIVE_N}; the sample looks \
             non-stationary (a trend or a level shift), so its interval is not reliable"
        ));
    }
}

/// [`compare`] on values whose squares do not overflow.
fn compare_finite(
    baseline: &[f64],
    candidate: &[f64],
    options: &CompareOptions,
) -> Result<Comparison> {
    let estimator = options.method.estimator();
    let stat = options.statistic;
    let mut notes = Vec::new();
    let mut lb = location(baseline, stat, estimator)?;
    let mut lc = location(candidate, stat, estimator)?;
    floor_effective_n("baseline", baseline, &mut lb, &mut notes);
    floor_effective_n("candidate", candidate, &mut lc, &mut notes);
    let name = match estimator {
        Estimator::Ewc => "ewc",
        Estimator::NeweyWest => "newey-west",
        Estimator::Iid => "iid",
    };
    let median_tag = if stat == Statistic::Median {
        ", median"
    } else {
        ""
    };
    let (alpha, alt) = (options.alpha, options.alternative);
    let mut out = match options.paired {
        None => {
            let (vb, vc) = (lb.var, lc.var);
            if vb + vc == 0.0 {
                if lb.value != lc.value {
                    return Err(Error::ConstantSamplesDiffer {
                        baseline: lb.value,
                        candidate: lc.value,
                    });
                }
                return Err(Error::Constant {
                    what: "baseline and candidate",
                    value: lb.value,
                    why: "both samples are constant, so there is no noise to compare against",
                });
            }
            let (mb, mc) = (lb.value, lc.value);
            let ratio = mc / mb;
            let se = (vb + vc).sqrt();
            let df = satterthwaite(&[(vb, lb.df), (vc, lc.df)]);
            let (p, t, ci_abs) = t_inference(mc - mb, se, df, alpha, alt);
            let vr_c = vc / (mb * mb);
            let vr_b = ratio * ratio * vb / (mb * mb);
            let df_r = satterthwaite(&[(vr_b, lb.df), (vr_c, lc.df)]);
            let (_, _, ci_rel) = t_inference(ratio - 1.0, (vr_c + vr_b).sqrt(), df_r, alpha, alt);
            Comparison {
                method: format!("{name}-welch-t{median_tag}"),
                statistic_name: stat,
                absolute: mc - mb,
                relative: ratio - 1.0,
                ci_absolute: ci_abs,
                ci_relative: ci_rel,
                p_value: p,
                statistic: t,
                df,
                se,
                alternative: alt,
                paired: None,
                alpha,
                baseline: summary(baseline, &lb.har),
                candidate: summary(candidate, &lc.har),
                notes: Vec::new(),
            }
        }
        Some(pairing) => paired(baseline, candidate, pairing, estimator, options, (&lb, &lc))?,
    };
    if let Some(p) = options.paired {
        out.method = format!("{name}-paired-t ({}{median_tag})", p.as_str());
    }
    // A relative effect over a baseline location that may be 0 is unstable (item 17).
    let q = t_ppf(1.0 - alpha / 2.0, lb.df);
    let half = q * lb.var.sqrt();
    if lb.value - half <= 0.0 && 0.0 <= lb.value + half {
        notes.push(format!(
            "relative effect unstable: the baseline {stat} {} has a {:.0} % interval \
             [{}, {}] that includes 0; read the absolute effect",
            lb.value,
            100.0 * (1.0 - alpha),
            lb.value - half,
            lb.value + half
        ));
    }
    out.notes = notes;
    Ok(out)
}

fn paired(
    baseline: &[f64],
    candidate: &[f64],
    pairing: Pairing,
    estimator: Estimator,
    options: &CompareOptions,
    (lb, lc): (&Location, &Location),
) -> Result<Comparison> {
    check::same_len("baseline and candidate", baseline, candidate)?;
    let n = baseline.len() as f64;
    let stat = options.statistic;
    let (alpha, alt) = (options.alpha, options.alternative);
    let d: Vec<f64> = candidate.iter().zip(baseline).map(|(c, b)| c - b).collect();
    let constant = |value: f64| Error::Constant {
        what: "candidate − baseline",
        value,
        why: "the paired series has no variability to test against",
    };
    let ld = location(&d, stat, estimator)?;
    if ld.var == 0.0 {
        return Err(constant(d[0]));
    }
    // Absolute effect: difference of means, or median of the differences.
    let absolute = match stat {
        Statistic::Mean => lc.value - lb.value,
        Statistic::Median => ld.value,
    };
    let se_d = ld.var.sqrt();
    let (p_d, t_d, ci_abs) = t_inference(absolute, se_d, ld.df, alpha, alt);
    let mb = lb.value;
    let (p, t, df, se, relative, ci_rel) = match pairing {
        Pairing::Difference => {
            let (relative, se_r) = match stat {
                Statistic::Mean => {
                    let ratio = lc.value / mb;
                    let z: Vec<f64> = candidate
                        .iter()
                        .zip(baseline)
                        .map(|(c, b)| c - ratio * b)
                        .collect();
                    let omega_z = har_like(&z, &ld.har, estimator)?;
                    (ratio - 1.0, (omega_z / n).sqrt() / mb.abs())
                }
                Statistic::Median => (absolute / mb, se_d / mb.abs()),
            };
            let (_, _, ci_rel) = t_inference(relative, se_r, ld.df, alpha, alt);
            (p_d, t_d, ld.df, se_d, relative, ci_rel)
        }
        Pairing::LogRatio => {
            let mut l = Vec::with_capacity(d.len());
            for (i, (c, b)) in candidate.iter().zip(baseline).enumerate() {
                if *c <= 0.0 || *b <= 0.0 {
                    return Err(Error::invalid(
                        "log-ratio",
                        format!(
                            "needs positive values; index {i} holds baseline {b}, candidate {c}"
                        ),
                    ));
                }
                l.push((c / b).ln());
            }
            let ll = location(&l, stat, estimator)?;
            if ll.var == 0.0 {
                return Err(constant(l[0]));
            }
            let se_l = ll.var.sqrt();
            let (p, t, ci_l) = t_inference(ll.value, se_l, ll.df, alpha, alt);
            let ci_rel = ConfidenceInterval {
                lo: ci_l.lo.exp_m1(),
                hi: ci_l.hi.exp_m1(),
                level: ci_l.level,
            };
            (p, t, ll.df, se_l, ll.value.exp_m1(), ci_rel)
        }
    };
    // One test per result: with log-ratio pairing the absolute interval is the log-ratio
    // interval back-transformed on the baseline location (mb > 0 here), so it excludes 0
    // exactly when the p-value is below alpha.
    let (absolute, ci_abs) = match pairing {
        Pairing::Difference => (absolute, ci_abs),
        Pairing::LogRatio => (
            mb * relative,
            ConfidenceInterval {
                lo: mb * ci_rel.lo,
                hi: mb * ci_rel.hi,
                level: ci_rel.level,
            },
        ),
    };
    Ok(Comparison {
        method: String::new(),
        statistic_name: stat,
        absolute,
        relative,
        ci_absolute: ci_abs,
        ci_relative: ci_rel,
        p_value: p,
        statistic: t,
        df,
        se,
        alternative: alt,
        paired: Some(pairing),
        alpha,
        baseline: summary(baseline, &lb.har),
        candidate: summary(candidate, &lc.har),
        notes: Vec::new(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const B: [f64; 6] = [10.0, 12.0, 11.0, 13.0, 12.5, 11.5];
    const C: [f64; 6] = [11.0, 13.5, 12.0, 14.0, 13.0, 12.5];

    /// `n` values equal to 0 but for 1 at the given positions.
    fn rare_ones(n: usize, at: &[usize]) -> Vec<f64> {
        (0..n)
            .map(|i| f64::from(u8::from(at.contains(&i))))
            .collect()
    }

    /// With few values off the atom the exact conditional test decides; its p is scipy's
    /// `binomtest(5, 7, 0.2).pvalue` (5 of the 7 ones in the second sample, a fifth of the
    /// values), to the last digits.
    #[test]
    fn sign_shift_with_few_values_off_the_atom_is_the_exact_binomial_test() {
        let left = rare_ones(200, &[37, 151]);
        let right = rare_ones(50, &[3, 12, 20, 33, 41]);
        let p = sign_shift_p(&left, &right, 0.0);
        assert!((p - 0.004_672_000_000_000_002_5).abs() < 1e-12, "{p}");
        // The dependence-aware t alone is far smaller (the normal tail of a rare count).
        assert!(pooled_shift_p(&left, &right) < 1e-3);
    }

    /// A constant sample's variance of 0 does not make its mean exact: the pooled variance
    /// keeps a run of equal values from looking like a shift that the unpooled test sees.
    #[test]
    fn pooled_shift_of_a_constant_run() {
        let run = [1.0; 7];
        let around = rare_ones(40, &[5, 17, 30]);
        let pooled = pooled_shift_p(&around, &run);
        let unpooled = compare(&around, &run, &CompareOptions::default())
            .unwrap()
            .p_value;
        assert!(pooled > 100.0 * unpooled, "{pooled} vs {unpooled}");
        assert_eq!(pooled_shift_p(&[2.0; 5], &[2.0; 9]), 1.0);
        assert_eq!(sign_shift_p(&[0.0; 5], &[0.0; 9], 0.0), 1.0);
    }

    #[test]
    fn errors_on_bad_input() {
        let o = CompareOptions::default();
        assert!(matches!(
            compare(&[], &C, &o),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            compare(&B, &[1.0], &o),
            Err(Error::TooFewPoints {
                what: "candidate",
                ..
            })
        ));
        assert!(matches!(
            compare(&B, &[1.0, f64::NAN, 2.0], &o),
            Err(Error::NonFinite { index: 1, .. })
        ));
        assert!(matches!(
            compare(&[1.0; 4], &[2.0; 4], &o),
            Err(Error::ConstantSamplesDiffer { .. })
        ));
        assert!(matches!(
            compare(&[1.0; 4], &[1.0; 4], &o),
            Err(Error::Constant { .. })
        ));
        let paired = CompareOptions {
            paired: Some(Pairing::Difference),
            ..o
        };
        assert!(matches!(
            compare(&B, &C[..5], &paired),
            Err(Error::LengthMismatch { .. })
        ));
        let shifted: Vec<f64> = B.iter().map(|v| v + 1.0).collect();
        assert!(matches!(
            compare(&B, &shifted, &paired),
            Err(Error::Constant { .. })
        ));
        let log = CompareOptions {
            paired: Some(Pairing::LogRatio),
            ..o
        };
        let err = compare(&[1.0, -2.0, 3.0], &[1.0, 2.0, 3.5], &log).unwrap_err();
        assert!(err.to_string().contains("index 1"), "{err}");
        let bad_alpha = CompareOptions { alpha: 1.0, ..o };
        assert!(compare(&B, &C, &bad_alpha).is_err());
        assert!("bootstrap".parse::<CompareMethod>().is_err());
        assert!("ratio".parse::<Pairing>().is_ok());
    }

    /// The validation's shortcut gives the p-values of the two `compare` calls, bit for bit
    /// (iid, persistent, heavy-tailed, one constant sample, huge values, too short).
    #[test]
    fn mean_and_median_p_are_the_calls_p_values() {
        let mut rng = crate::stats::rng::Rng::new(11);
        let mut ar = 0.0;
        let mut samples: Vec<Vec<f64>> = vec![
            (0..500).map(|_| rng.normal()).collect(),
            (0..800)
                .map(|_| {
                    ar = 0.8 * ar + rng.normal();
                    1.0 + ar
                })
                .collect(),
            (0..301).map(|_| rng.normal().exp()).collect(),
            vec![2.0; 40],
            (0..50).map(|_| 1e200 * rng.normal()).collect(),
            vec![1.0, 2.0],
        ];
        samples.push(B.to_vec());
        samples.push(C.to_vec());
        let median = CompareOptions {
            statistic: Statistic::Median,
            ..CompareOptions::default()
        };
        let mut checked = 0;
        for b in &samples {
            for c in &samples {
                let want = compare(b, c, &CompareOptions::default())
                    .and_then(|m| Ok((m.p_value, compare(b, c, &median)?.p_value)))
                    .ok();
                let got = mean_and_median_p(b, c);
                let bits = |p: Option<(f64, f64)>| p.map(|(m, d)| (m.to_bits(), d.to_bits()));
                assert_eq!(bits(got), bits(want), "{} vs {}", b.len(), c.len());
                checked += usize::from(want.is_some());
            }
        }
        assert!(checked > 30, "{checked}");
    }

    #[test]
    fn one_constant_sample_is_allowed() {
        let r = compare(&[5.0; 8], &C, &CompareOptions::default()).unwrap();
        assert!(r.p_value > 0.0 && r.p_value < 1.0);
    }

    #[test]
    fn swapping_samples_flips_the_effect() {
        for paired in [None, Some(Pairing::Difference)] {
            let o = CompareOptions {
                paired,
                ..CompareOptions::default()
            };
            let a = compare(&B, &C, &o).unwrap();
            let b = compare(&C, &B, &o).unwrap();
            assert!((a.absolute + b.absolute).abs() < 1e-12);
            assert!((a.statistic + b.statistic).abs() < 1e-12);
            assert!((a.p_value - b.p_value).abs() < 1e-12);
            assert!(a.ci_absolute.contains(a.absolute));
            assert!(a.ci_relative.contains(a.relative));
        }
    }
}
