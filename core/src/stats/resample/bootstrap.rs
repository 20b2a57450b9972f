//! Bootstrap confidence intervals (percentile, BCa) with iid, moving-block and stationary resampling.
//!
//! [`bootstrap_ci`] resamples the baseline and the candidate independently (each with the
//! chosen [`Scheme`]), evaluates a two-sample statistic on every resample, and turns the
//! bootstrap distribution into a percentile or BCa interval with `scipy.stats.bootstrap`'s
//! formulas (see [`bca_interval`]).
//!
//! Determinism: resample `i` draws from `Rng::stream(seed, i)` (baseline first, then
//! candidate), so the result depends only on the seed — not on the platform or the number of
//! threads. Memory is O(n): each thread reuses one scratch buffer per sample; no resample is
//! kept, only the statistic's value.

mod interval;
mod resample;

pub use interval::{bca_interval, BcaInterval};

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use crate::progress::{check_count, parallel, Progress, Silent};
use crate::stats::block_length::optimal_block_length;
use crate::stats::resample::statistic::Statistic;
use crate::stats::rng::Rng;
use crate::stats::{check, Alternative, ConfidenceInterval};
use crate::{Error, Result};
use resample::{Plan, Resampler};

/// How the bootstrap distribution becomes an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiMethod {
    /// Quantiles `α` and `1 - α` of the bootstrap distribution.
    Percentile,
    /// Bias-corrected and accelerated (Efron 1987), scipy's default.
    #[default]
    Bca,
}

impl CiMethod {
    /// The spelling accepted by [`FromStr`] (scipy's).
    pub fn as_str(self) -> &'static str {
        match self {
            CiMethod::Percentile => "percentile",
            CiMethod::Bca => "bca",
        }
    }
}

impl fmt::Display for CiMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CiMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "percentile" => Ok(CiMethod::Percentile),
            "bca" => Ok(CiMethod::Bca),
            _ => Err(Error::UnknownName {
                kind: "bootstrap method",
                value: s.to_string(),
                expected: "percentile, bca",
            }),
        }
    }
}

/// A block length: chosen from the data, or given.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockSize {
    /// Politis–White per sample ([`optimal_block_length`]): `circular` for moving blocks,
    /// `stationary` for the stationary bootstrap.
    #[default]
    Auto,
    /// A fixed (mean) length; moving blocks round it to the nearest integer ≥ 1.
    Fixed(f64),
}

/// How each sample is resampled.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// Independent draws with replacement (Efron 1979): for independent observations.
    #[default]
    Iid,
    /// Moving-block bootstrap (Künsch 1989): blocks of `block_len` consecutive values with
    /// uniformly drawn starts, concatenated and truncated to `n`.
    MovingBlock {
        /// Block length.
        block_len: BlockSize,
    },
    /// Stationary bootstrap (Politis & Romano 1994): blocks with geometric lengths of mean
    /// `mean_block_len`, wrapping around the end of the series.
    Stationary {
        /// Mean block length (`1/p` of the geometric distribution).
        mean_block_len: BlockSize,
    },
    /// Chosen from the data: [`Scheme::Stationary`] (automatic block length) when either
    /// sample's lag-1 autocorrelation is material (`|ρ̂₁| ≥ max(0.1, 2/√n)`, i.e. beyond the
    /// ±2/√n band of white noise and large enough to narrow iid intervals visibly), else
    /// [`Scheme::Iid`]. The result's `scheme` says which ran, `lag1` why.
    Auto,
}

/// `|ρ̂₁|` at or above which [`Scheme::Auto`] resamples in blocks (with the `2/√n` band).
pub const AUTO_LAG1: f64 = 0.1;

impl Scheme {
    /// The spelling accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Iid => "iid",
            Scheme::MovingBlock { .. } => "moving-block",
            Scheme::Stationary { .. } => "stationary",
            Scheme::Auto => "auto",
        }
    }
}

impl FromStr for Scheme {
    type Err = Error;
    /// `iid`, `moving-block` or `stationary` (block length [`BlockSize::Auto`]).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "iid" => Ok(Scheme::Iid),
            "moving-block" | "block" | "mbb" => Ok(Scheme::MovingBlock {
                block_len: BlockSize::Auto,
            }),
            "stationary" => Ok(Scheme::Stationary {
                mean_block_len: BlockSize::Auto,
            }),
            "auto" => Ok(Scheme::Auto),
            _ => Err(Error::UnknownName {
                kind: "bootstrap scheme",
                value: s.to_string(),
                expected: "auto, iid, moving-block, stationary",
            }),
        }
    }
}

/// Options of [`bootstrap_ci`]; `Default` is scipy's (9 999 resamples, 95 %, two-sided, BCa)
/// with iid resampling and seed 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapOptions {
    /// Number of resamples `B`.
    pub n_resamples: usize,
    /// Confidence level in (0, 1).
    pub level: f64,
    /// Two-sided interval, or one-sided with the open end at ∓∞.
    pub alternative: Alternative,
    /// Percentile or BCa.
    pub method: CiMethod,
    /// Resampling scheme (applied to each sample separately).
    pub scheme: Scheme,
    /// Seed of the random streams.
    pub seed: u64,
    /// Worker threads; 0 = all available cores. Does not change the result.
    pub threads: usize,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            n_resamples: 9_999,
            level: 0.95,
            alternative: Alternative::TwoSided,
            method: CiMethod::Bca,
            scheme: Scheme::Iid,
            seed: 0,
            threads: 0,
        }
    }
}

/// Block lengths actually used for each sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BlockLens {
    /// Baseline's (mean) block length.
    pub baseline: f64,
    /// Candidate's (mean) block length.
    pub candidate: f64,
}

/// A bootstrap confidence interval.
#[derive(Debug, Clone, Serialize)]
pub struct BootstrapCi {
    /// The interval.
    pub ci: ConfidenceInterval,
    /// The statistic on the original data.
    pub estimate: f64,
    /// Standard deviation (ddof = 1) of the bootstrap distribution.
    pub standard_error: f64,
    /// Number of resamples.
    pub n_resamples: usize,
    /// Interval method.
    pub method: CiMethod,
    /// Resampling scheme name (`iid`, `moving-block`, `stationary`).
    pub scheme: &'static str,
    /// Block lengths used (`None` for iid).
    pub block_len: Option<BlockLens>,
    /// Lag-1 autocorrelations (baseline, candidate) that [`Scheme::Auto`] decided on
    /// (`None` when a scheme was given).
    pub lag1: Option<[f64; 2]>,
}

/// Largest `n_resamples` accepted: the bootstrap distribution is kept (8 bytes a resample) to
/// find its quantiles, so 10⁷ resamples take 80 MB.
pub const MAX_RESAMPLES: usize = 10_000_000;

/// Resamples per progress tick and cancellation check.
const TICK: usize = 64;

/// Resolves [`Scheme::Auto`] from the samples' lag-1 autocorrelations.
fn auto_scheme(x: &[f64], y: &[f64]) -> (Scheme, [f64; 2]) {
    // A constant sample has no autocorrelation to speak of: 0.
    let r = |v: &[f64]| crate::stats::dependence::lag1(v).unwrap_or(0.0);
    let lag1 = [r(x), r(y)];
    let material = |r1: f64, n: usize| r1.abs() >= AUTO_LAG1.max(2.0 / (n as f64).sqrt());
    let scheme = if material(lag1[0], x.len()) || material(lag1[1], y.len()) {
        Scheme::Stationary {
            mean_block_len: BlockSize::Auto,
        }
    } else {
        Scheme::Iid
    };
    (scheme, lag1)
}

fn resolve(what: &'static str, x: &[f64], scheme: Scheme) -> Result<(Plan, Option<f64>)> {
    let fixed = |b: f64| -> Result<f64> {
        if b.is_finite() && b >= 1.0 {
            Ok(b)
        } else {
            Err(Error::invalid("block_len", format!("must be ≥ 1, got {b}")))
        }
    };
    // Errors of the block-length rule name the sample, not its internal "x".
    let auto = |x: &[f64]| {
        optimal_block_length(x).map_err(|e| match e {
            Error::TooFewPoints { needed, got, .. } => Error::TooFewPoints { what, needed, got },
            Error::Constant { value, why, .. } => Error::Constant { what, value, why },
            other => other,
        })
    };
    Ok(match scheme {
        Scheme::Iid | Scheme::Auto => (Plan::Iid, None),
        Scheme::MovingBlock { block_len } => {
            let b = match block_len {
                BlockSize::Auto => auto(x)?.circular.max(1.0),
                BlockSize::Fixed(b) => fixed(b)?,
            };
            let len = (b.round() as usize).clamp(1, x.len());
            (Plan::MovingBlock { len }, Some(len as f64))
        }
        Scheme::Stationary { mean_block_len } => {
            let b = match mean_block_len {
                BlockSize::Auto => auto(x)?.stationary.max(1.0),
                BlockSize::Fixed(b) => fixed(b)?,
            };
            (Plan::Stationary { p: 1.0 / b }, Some(b))
        }
    })
}

fn n_threads(requested: usize, work: usize) -> usize {
    let t = if requested == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        requested
    };
    t.clamp(1, work.max(1))
}

/// Two-sample bootstrap confidence interval of `statistic(baseline, candidate)`.
///
/// ```text
/// θ̂ = T(x, y);  for b = 1..B: x*_b ~ scheme(x), y*_b ~ scheme(y) independently, θ*_b = T(x*_b, y*_b)
/// percentile: [Q(α), Q(1 - α)]          BCa: see bca_interval (jackknife over both samples)
/// standard_error = sd(θ*, ddof = 1)
/// ```
///
/// Mirrors `scipy.stats.bootstrap((x, y), T, paired=False)` for [`Scheme::Iid`] (same
/// formulas, different random numbers, so intervals agree within Monte-Carlo error). Block
/// schemes assume each series is stationary and weakly dependent. The BCa acceleration always
/// uses the delete-one jackknife (as scipy), which is only first-order justified for
/// dependent data; prefer the percentile method with block schemes.
///
/// `statistic` receives scratch buffers it may reorder (e.g. with
/// [`quantile_in_place`](crate::stats::quantile::quantile_in_place)). It must be a symmetric
/// function of each iid sample: with [`Scheme::Iid`] each resample is handed over **sorted
/// ascending** (it is generated by counting, which makes order statistics O(n) cheap), and
/// the original samples are handed over sorted too.
///
/// # Example
/// ```
/// use shiftwatch::stats::bootstrap::{bootstrap_ci, BootstrapOptions, CiMethod};
/// use shiftwatch::stats::quantile::median_in_place;
///
/// let baseline: Vec<f64> = (0..200).map(|i| 100.0 + (i % 17) as f64).collect();
/// let candidate: Vec<f64> = (0..200).map(|i| 104.0 + (i % 13) as f64).collect();
/// let median_diff = |x: &mut [f64], y: &mut [f64]| {
///     median_in_place(y).unwrap_or(f64::NAN) - median_in_place(x).unwrap_or(f64::NAN)
/// };
/// let options = BootstrapOptions { n_resamples: 999, method: CiMethod::Percentile, ..Default::default() };
/// let r = bootstrap_ci(&baseline, &candidate, median_diff, &options)?;
/// assert_eq!(r.estimate, 2.0);
/// assert!(r.ci.lo <= 2.0 && 2.0 <= r.ci.hi);
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// Cost: O(B·n) for the resamples (each statistic must be O(n) on a resample, as the
/// [`Named`](super::statistic::Named) ones are) plus, for BCa, the jackknife: O(n log n) for
/// the `Named` statistics (closed forms), O(n²) for any other closure (`n` re-evaluations).
/// Memory: O(n) per thread plus the B values of the bootstrap distribution.
///
/// # Errors
/// [`Error::TooFewPoints`] (a sample with fewer than 2 values, or fewer than the block-length
/// rule needs), [`Error::NonFinite`], [`Error::InvalidArgument`] (`level`, `n_resamples` = 0
/// or above [`MAX_RESAMPLES`], block length < 1, a non-finite statistic, or an undefined BCa
/// interval), [`Error::Constant`] (automatic block length of a constant series).
pub fn bootstrap_ci<F>(
    baseline: &[f64],
    candidate: &[f64],
    statistic: F,
    options: &BootstrapOptions,
) -> Result<BootstrapCi>
where
    F: Fn(&mut [f64], &mut [f64]) -> f64 + Sync,
{
    bootstrap_ci_with(baseline, candidate, &statistic, options, &Silent)
}

/// [`bootstrap_ci`] for any [`Statistic`] (closed-form jackknife when it has one), reporting
/// progress to (and cancellable by) `progress`.
///
/// # Errors
/// As [`bootstrap_ci`], and [`Error::Cancelled`] when `progress` stops the run.
pub fn bootstrap_ci_with<S>(
    baseline: &[f64],
    candidate: &[f64],
    statistic: &S,
    options: &BootstrapOptions,
    progress: &dyn Progress,
) -> Result<BootstrapCi>
where
    S: Statistic + ?Sized,
{
    check::sample("baseline", baseline, 2)?;
    check::sample("candidate", candidate, 2)?;
    check::probability("level", options.level)?;
    let b = options.n_resamples;
    check_count(
        "n_resamples",
        b,
        MAX_RESAMPLES,
        "the bootstrap distribution is kept in memory, 8 bytes a resample",
    )?;
    let (scheme, lag1) = match options.scheme {
        Scheme::Auto => {
            let (s, r) = auto_scheme(baseline, candidate);
            (s, Some(r))
        }
        s => (s, None),
    };
    let (plan_x, len_x) = resolve("baseline", baseline, scheme)?;
    let (plan_y, len_y) = resolve("candidate", candidate, scheme)?;
    let iid = matches!(scheme, Scheme::Iid);
    // For iid the order is irrelevant: sort once so resamples (by counting) come out sorted.
    let (xs, ys) = if iid {
        let mut xs = baseline.to_vec();
        let mut ys = candidate.to_vec();
        xs.sort_by(f64::total_cmp);
        ys.sort_by(f64::total_cmp);
        (xs, ys)
    } else {
        (baseline.to_vec(), candidate.to_vec())
    };
    let estimate = statistic.eval(&mut xs.clone(), &mut ys.clone());
    if !estimate.is_finite() {
        return Err(Error::invalid(
            "statistic",
            format!("is not finite on the data ({estimate})"),
        ));
    }

    let mut boot = Vec::new();
    boot.try_reserve_exact(b).map_err(|_| {
        Error::invalid("n_resamples", format!("{b} resamples do not fit in memory"))
    })?;
    boot.resize(b, 0.0);
    let threads = n_threads(options.threads, b);
    let chunk = b.div_ceil(threads);
    let inputs: Vec<_> = boot.chunks_mut(chunk).enumerate().collect();
    let (xs_ref, ys_ref) = (&xs, &ys);
    parallel(inputs, b as u64, progress, |(c, out), ticker| {
        let mut rx = Resampler::new(xs_ref, plan_x);
        let mut ry = Resampler::new(ys_ref, plan_y);
        let mut bx = vec![0.0; xs_ref.len()];
        let mut by = vec![0.0; ys_ref.len()];
        for (k, slot) in out.iter_mut().enumerate() {
            if k % TICK == TICK - 1 && !ticker.tick(TICK as u64) {
                return;
            }
            let i = (c * chunk + k) as u64;
            let mut rng = Rng::stream(options.seed, i);
            rx.draw(&mut rng, &mut bx);
            ry.draw(&mut rng, &mut by);
            *slot = statistic.eval(&mut bx, &mut by);
        }
    })?;
    if let Some(i) = boot.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            "statistic",
            format!("is not finite ({}) on bootstrap resample {i}", boot[i]),
        ));
    }
    let mean = boot.iter().sum::<f64>() / b as f64;
    let standard_error = if b > 1 {
        (boot.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (b - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    boot.sort_by(f64::total_cmp);
    let ci = match options.method {
        CiMethod::Percentile => {
            interval::percentile_sorted(&boot, options.level, options.alternative)
        }
        CiMethod::Bca => {
            let [jx, jy] = match statistic.jackknife(&xs, &ys) {
                Some(j) => j,
                None => [
                    jackknife(&xs, &ys, statistic, false, iid, options.threads),
                    jackknife(&ys, &xs, statistic, true, iid, options.threads),
                ],
            };
            interval::bca_sorted(
                estimate,
                &boot,
                &[&jx, &jy],
                options.level,
                options.alternative,
            )?
            .ci
        }
    };
    Ok(BootstrapCi {
        ci,
        estimate,
        standard_error,
        n_resamples: b,
        method: options.method,
        scheme: scheme.as_str(),
        block_len: match (len_x, len_y) {
            (Some(baseline), Some(candidate)) => Some(BlockLens {
                baseline,
                candidate,
            }),
            _ => None,
        },
        lag1,
    })
}

/// Leave-one-out values of the statistic over sample `a`, the other sample `other` whole.
/// `swapped`: `a` is the candidate (second argument). Parallel over the left-out index.
fn jackknife<S>(
    a: &[f64],
    other: &[f64],
    statistic: &S,
    swapped: bool,
    iid: bool,
    threads: usize,
) -> Vec<f64>
where
    S: Statistic + ?Sized,
{
    let n = a.len();
    let mut out = vec![0.0; n];
    let threads = n_threads(threads, n);
    let chunk = n.div_ceil(threads);
    std::thread::scope(|scope| {
        for (c, slot) in out.chunks_mut(chunk).enumerate() {
            scope.spawn(move || {
                let mut buf = vec![0.0; n - 1];
                let mut rest = other.to_vec();
                for k in 0..slot.len() {
                    let i = c * chunk + k;
                    // Sorted (iid) data: leaving out either of two equal neighbours gives the
                    // same array, hence the same value. Saves most of the work on tied data.
                    if iid && k > 0 && a[i].to_bits() == a[i - 1].to_bits() {
                        slot[k] = slot[k - 1];
                        continue;
                    }
                    let v = &mut slot[k];
                    buf[..i].copy_from_slice(&a[..i]);
                    buf[i..].copy_from_slice(&a[i + 1..]);
                    if !iid {
                        // Order may matter to the statistic: hand over the original order.
                        rest.copy_from_slice(other);
                    }
                    *v = if swapped {
                        statistic.eval(&mut rest, &mut buf)
                    } else {
                        statistic.eval(&mut buf, &mut rest)
                    };
                }
            });
        }
    });
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
