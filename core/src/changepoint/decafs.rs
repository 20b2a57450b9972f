//! DeCAFS: abrupt changes in the presence of a random-walk drift and AR(1) noise
//! (Romano, Rigaill, Runge & Fearnhead, "Detecting abrupt changes in the presence of local
//! fluctuations and autocorrelated noise", JASA 2022).
//!
//! # Model
//! ```text
//! y_t = μ_t + ε_t,   ε_t = φ ε_{t-1} + ν_t,    ν_t ~ N(0, σ_ν²),  0 ≤ φ < 1
//! μ_t = μ_{t-1} + η_t + δ_t,                  η_t ~ N(0, σ_η²),  δ_t ≠ 0 only at a change
//! ```
//! A change at `t` (0-based) is a jump between `μ_{t-1}` and `μ_t`: `t` is the first sample of
//! the new segment, as everywhere in [`crate::changepoint`].
//!
//! # Objective (solved exactly)
//! With `γ = 1/σ_ν²` and `λ = 1/σ_η²` (λ = ∞ when σ_η = 0: the level is flat between changes),
//! [`decafs`] minimises over the levels `μ` and the change set `K`
//! ```text
//! F = γ (1 - φ²) (y_0 - μ_0)²
//!   + Σ_{t≥1} [ γ ((y_t - μ_t) - φ (y_{t-1} - μ_{t-1}))² + λ (μ_t - μ_{t-1})² · 1{t ∉ K} ]
//!   + β |K|,
//! ```
//! twice the negative Gaussian log-likelihood (stationary AR start, flat prior on `μ_0`) plus
//! `β` per change. The dynamic programme runs over the function `Q_t(u)`, the best cost of
//! `y_0..=y_t` with `μ_t = u`:
//! ```text
//! Q_t(u) = min_v { Q_{t-1}(v) + γ (z_t - u + φ v)² + min(λ (u - v)², β) },  z_t = y_t - φ y_{t-1}.
//! ```
//! `Q_t` is the pointwise minimum of quadratics, one per change set still able to win; each
//! branch (no change: the `λ` term; change: `β` instead) maps a quadratic `a (v - m)² + c` to a
//! quadratic in closed form (the infimal convolution below), and quadratics that are nowhere
//! the minimum are pruned (functional pruning: a pruned quadratic's descendants are dominated
//! by its dominators' descendants, so the result stays exact). With `w = 1 - φ`,
//! `z' = z - w m` and `D = a (λ + γ) + λ γ w²`:
//! ```text
//! a' = D / (a + λ + γ φ²),   m' = m + γ z' (a + λ w) / D,   c' = c + a λ γ z'² / D
//! ```
//! (λ = 0 for the change branch, which adds `β`; the limit λ → ∞ for σ_η = 0).
//!
//! The levels are searched on `[min y - r, max y + r]`, `r = max y - min y`: a quadratic is
//! pruned when it is nowhere the minimum on that interval. This is exact whenever the optimal
//! levels stay within it (a level a whole range outside every observation would need noise
//! larger than the spread of the data); on the whole real line the AR coupling keeps many
//! quadratics alive in the far tails (70–370 instead of 14–25 per step in our simulations)
//! for no change in the segmentations found.
//!
//! # Parameters
//! [`DecafsParams::estimate`] is the paper's robust method of moments: for `k = 1..=K`
//! (`K = min(10, n/4)`), the variance of the lag-k differences under the model without
//! changes is
//! ```text
//! v_k = k σ_η² + 2 σ_ε² (1 - φ^k),    σ_ε² = σ_ν² / (1 - φ²),
//! ```
//! and a few jumps move only a few differences, so `v_k` is estimated by the squared MAD
//! (`(1.4826 · median |d - median d|)²`) of the lag-k differences `d`. The parameters
//! minimise `Σ_k (v̂_k - v_k)²` with `σ_η², σ_ε² ≥ 0` (closed form for a fixed φ) and
//! `φ ∈ [0, 0.99]` (grid of step 0.01, then golden-section search next to the best point).

use crate::{Error, Result};

/// Parameters of the DeCAFS model (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DecafsParams {
    /// Standard deviation of the random-walk drift per step, σ_η (0: no drift).
    pub sigma_eta: f64,
    /// Standard deviation of the AR(1) innovations, σ_ν.
    pub sigma_nu: f64,
    /// AR(1) coefficient φ of the noise, in `[0, 1)`.
    pub phi: f64,
}

/// Largest φ the estimator considers (the paper's upper bound).
pub const PHI_MAX: f64 = 0.99;

/// Largest number of lags the estimator fits.
const MAX_LAGS: usize = 10;

impl DecafsParams {
    /// Robust method-of-moments estimate from the variances of lag-k differences (see the
    /// module documentation).
    ///
    /// # Errors
    /// [`Error::TooFewPoints`] for fewer than 8 values, [`Error::NonFinite`] for NaN or ±∞.
    pub fn estimate(y: &[f64]) -> Result<Self> {
        if let Some(index) = y.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: "values",
                index,
                value: y[index],
            });
        }
        if y.len() < 8 {
            return Err(Error::TooFewPoints {
                what: "values for the DeCAFS parameters",
                needed: 8,
                got: y.len(),
            });
        }
        let v = lag_variances(y, (y.len() / 4).clamp(2, MAX_LAGS));
        Ok(fit_lag_variances(&v))
    }

    /// Variance of the lag-k difference `y_{t+k} - y_t` under the model without changes.
    pub fn lag_variance(&self, k: usize) -> f64 {
        let s_eps = self.sigma_nu * self.sigma_nu / (1.0 - self.phi * self.phi);
        k as f64 * self.sigma_eta * self.sigma_eta + 2.0 * s_eps * (1.0 - self.phi.powi(k as i32))
    }

    /// Checks that the parameters define the model.
    fn check(&self) -> Result<()> {
        if !(self.sigma_nu > 0.0 && self.sigma_nu.is_finite()) {
            return Err(Error::invalid(
                "sigma_nu",
                format!("must be positive and finite, got {}", self.sigma_nu),
            ));
        }
        if !(self.sigma_eta >= 0.0 && self.sigma_eta.is_finite()) {
            return Err(Error::invalid(
                "sigma_eta",
                format!("must be >= 0 and finite, got {}", self.sigma_eta),
            ));
        }
        if !(0.0..1.0).contains(&self.phi) {
            return Err(Error::invalid(
                "phi",
                format!("must lie in [0, 1), got {}", self.phi),
            ));
        }
        Ok(())
    }
}

/// `v̂_k`, k = 1..=lags: squared MAD (scaled to σ for Gaussian data) of the lag-k differences.
///
/// Each median is the exact order statistic that `median_in_place` selects (so the same
/// number), found without storing and reordering all `n - k` differences: the ranks around the
/// median in a sample of differences ([`sample_size`]) bracket it, one streaming pass counts the
/// differences below the bracket and keeps those inside it (a few percent), and the median is
/// selected among those. When the bracket misses (probability below 10⁻⁶), or for short or
/// extreme series, the differences are stored and selected whole.
pub(crate) fn lag_variances(y: &[f64], lags: usize) -> Vec<f64> {
    let mut d = Vec::new();
    let mut scratch = Scratch::default();
    // Differences and their deviations stay finite, so comparisons order them as total_cmp.
    let (lo, hi) = y
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let streamed = y.len() >= STREAM_MIN_N && hi - lo < f64::MAX / 8.0;
    let mut rng = SplitMix(0x5eed_dec4f5);
    (1..=lags)
        .map(|k| {
            let mad = streamed
                .then(|| lag_mad_streamed(y, k, &mut scratch, &mut rng))
                .flatten()
                .unwrap_or_else(|| lag_mad_stored(y, k, &mut d));
            let mad = 1.482_602_218_505_602 * mad;
            mad * mad
        })
        .collect()
}

/// Median absolute deviation of the lag-k differences, stored in `d` and selected whole.
fn lag_mad_stored(y: &[f64], k: usize, d: &mut Vec<f64>) -> f64 {
    d.clear();
    d.extend(y[k..].iter().zip(y).map(|(a, b)| a - b));
    let med = super::penalty::median_in_place(d);
    for v in d.iter_mut() {
        *v = (*v - med).abs();
    }
    super::penalty::median_in_place(d)
}

/// [`lag_mad_stored`] by two streaming passes ([`streamed_median`]); `None` when a bracket
/// misses. The values of `y` must span less than `f64::MAX / 8` (the differences and their
/// deviations stay finite).
fn lag_mad_streamed(y: &[f64], k: usize, scratch: &mut Scratch, rng: &mut SplitMix) -> Option<f64> {
    let (later, earlier) = (&y[k..], &y[..y.len() - k]);
    let med = streamed_median(later, earlier, |a, b| a - b, scratch, rng)?;
    streamed_median(later, earlier, |a, b| (a - b - med).abs(), scratch, rng)
}

/// Values sampled to bracket the median of `len`: about `(1.25 len)^⅔`, which balances the
/// selections in the sample (∝ s) against those among the values kept (∝ len / √s).
fn sample_size(len: usize) -> usize {
    ((1.25 * len as f64).powf(2.0 / 3.0) as usize).clamp(1024, 1 << 16)
}

/// Half-width of the bracket in standard deviations of the sample rank of the median
/// (`√s / 2`): a bracket misses with probability about 10⁻⁶ (two normal tails at 5).
const BRACKET_SD: f64 = 5.0;

/// Shortest series whose lag differences are streamed rather than stored.
const STREAM_MIN_N: usize = 32_768;

/// Buffers of [`streamed_median`], reused across lags.
#[derive(Default)]
struct Scratch {
    sample: Vec<f64>,
    /// Never shrinks, and only its start is written: allocated zeroed (lazily by the system).
    kept: Vec<f64>,
}

/// SplitMix64 (Steele, Lea & Flood 2014): the sample positions (any positions give the same
/// medians; only the work depends on them).
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        ((u128::from(z) * n as u128) >> 64) as usize
    }
}

/// Values handled together by the pass of [`streamed_median`]: most blocks have none in the
/// bracket and are only counted.
const BLOCK: usize = 64;

/// The median of the finite values `f(a_t, b_t)` as `median_in_place` computes it, by a
/// bracket from a sample (see [`lag_variances`]); `None` when the bracket misses.
fn streamed_median(
    a: &[f64],
    b: &[f64],
    f: impl Fn(f64, f64) -> f64,
    scratch: &mut Scratch,
    rng: &mut SplitMix,
) -> Option<f64> {
    let len = a.len().min(b.len());
    let at = |t: usize| f(a[t], b[t]);
    let buf = &mut scratch.sample;
    let mid = len / 2;
    // Ranks needed: mid, and mid - 1 for an even length.
    let first = if len % 2 == 0 { mid - 1 } else { mid };
    buf.clear();
    let sample = sample_size(len);
    buf.extend((0..sample).map(|_| at(rng.below(len))));
    let centre = mid * sample / len;
    let half = (BRACKET_SD * 0.5 * (sample as f64).sqrt()).ceil() as usize;
    let lo_rank = centre.saturating_sub(half);
    let hi_rank = (centre + half).min(sample - 1);
    let (_, &mut lo, upper) = buf.select_nth_unstable_by(lo_rank, f64::total_cmp);
    let hi = *upper
        .select_nth_unstable_by(hi_rank - lo_rank - 1, f64::total_cmp)
        .1;
    // One pass: count the values below `lo`, keep those in `[lo, hi]` (written at the end of
    // the kept ones whatever they are, so the loop has no branch).
    if scratch.kept.len() < len {
        scratch.kept = vec![0.0; len];
    }
    let buf = &mut scratch.kept[..len];
    let (mut below, mut kept) = (0usize, 0usize);
    let (ab, bb) = (a[..len].chunks_exact(BLOCK), b[..len].chunks_exact(BLOCK));
    let (ar, br) = (ab.remainder(), bb.remainder());
    let mut v = [0.0; BLOCK];
    for (ca, cb) in ab.zip(bb) {
        let mut under = 0u64;
        let mut inside = 0u64;
        for i in 0..BLOCK {
            v[i] = f(ca[i], cb[i]);
            under += u64::from(v[i] < lo);
            inside |= u64::from(v[i] >= lo && v[i] <= hi) << i;
        }
        below += under as usize;
        while inside != 0 {
            let i = inside.trailing_zeros() as usize;
            buf[kept] = v[i];
            kept += 1;
            inside &= inside - 1;
        }
    }
    for (&x, &z) in ar.iter().zip(br) {
        let v = f(x, z);
        below += usize::from(v < lo);
        buf[kept] = v;
        kept += usize::from(v >= lo && v <= hi);
    }
    // The kept values are a contiguous run of the sorted values: ranks below..below + kept.
    if below > first || below + kept <= mid {
        return None;
    }
    let kept = &mut buf[..kept];
    let (lower, &mut upper, _) = kept.select_nth_unstable_by(mid - below, f64::total_cmp);
    Some(if len % 2 == 1 {
        upper
    } else {
        let lower = lower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    })
}

/// For a fixed φ, the non-negative least-squares fit of `v̂_k ≈ k s_η + 2 (1 - φ^k) s_ε`:
/// (residual sum of squares, s_η, s_ε).
fn profile(v: &[f64], phi: f64) -> (f64, f64, f64) {
    let cols = |k: usize| (k as f64, 2.0 * (1.0 - phi.powi(k as i32)));
    let (mut s11, mut s12, mut s22, mut s1v, mut s2v) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &vk) in v.iter().enumerate() {
        let (x1, x2) = cols(i + 1);
        s11 += x1 * x1;
        s12 += x1 * x2;
        s22 += x2 * x2;
        s1v += x1 * vk;
        s2v += x2 * vk;
    }
    let rss = |a: f64, b: f64| {
        v.iter()
            .enumerate()
            .map(|(i, &vk)| {
                let (x1, x2) = cols(i + 1);
                let r = vk - a * x1 - b * x2;
                r * r
            })
            .sum::<f64>()
    };
    let det = s11 * s22 - s12 * s12;
    if det > 1e-12 * s11 * s22 {
        let a = (s22 * s1v - s12 * s2v) / det;
        let b = (s11 * s2v - s12 * s1v) / det;
        if a >= 0.0 && b >= 0.0 {
            return (rss(a, b), a, b);
        }
    }
    // On the boundary: the better of the one-column fits (each clamped at 0).
    let a = (s1v / s11).max(0.0);
    let b = if s22 > 0.0 { (s2v / s22).max(0.0) } else { 0.0 };
    let (ra, rb) = (rss(a, 0.0), rss(0.0, b));
    if ra <= rb {
        (ra, a, 0.0)
    } else {
        (rb, 0.0, b)
    }
}

/// The parameters minimising the profile residual over φ ∈ [0, PHI_MAX].
pub(crate) fn fit_lag_variances(v: &[f64]) -> DecafsParams {
    let steps = (PHI_MAX * 100.0).round() as usize;
    let grid = |i: usize| (i as f64 / 100.0).min(PHI_MAX);
    let mut best = 0;
    let mut best_rss = f64::INFINITY;
    for i in 0..=steps {
        let r = profile(v, grid(i)).0;
        if r < best_rss {
            best_rss = r;
            best = i;
        }
    }
    let lo = grid(best.saturating_sub(1));
    let hi = grid((best + 1).min(steps));
    let phi = golden_min(|p| profile(v, p).0, lo, hi, 1e-12);
    // The refinement cannot be worse than the grid point it started from.
    let phi = if profile(v, phi).0 <= best_rss {
        phi
    } else {
        grid(best)
    };
    let (_, s_eta, s_eps) = profile(v, phi);
    DecafsParams {
        sigma_eta: s_eta.sqrt(),
        sigma_nu: (s_eps * (1.0 - phi * phi)).sqrt(),
        phi,
    }
}

/// Golden-section search for the minimum of `f` on `[lo, hi]`, to width `tol`.
fn golden_min(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64, tol: f64) -> f64 {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = hi - r * (hi - lo);
    let mut x2 = lo + r * (hi - lo);
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..200 {
        if hi - lo <= tol {
            break;
        }
        if f1 <= f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - r * (hi - lo);
            f1 = f(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + r * (hi - lo);
            f2 = f(x2);
        }
    }
    (lo + hi) / 2.0
}

/// The optimal DeCAFS segmentation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Decafs {
    /// Change points (first sample of each new segment), increasing.
    pub breakpoints: Vec<usize>,
    /// The objective without the penalty: `F - β |K|` at the optimum.
    pub cost: f64,
    /// Parameters used.
    pub params: DecafsParams,
    /// Largest number of quadratics kept at one step (the functional-pruning work).
    pub max_pieces: usize,
}

/// `a (u - m)² + c`, reached through the change set `tag` (a node of the change-list arena).
#[derive(Debug, Clone, Copy)]
struct Quad {
    a: f64,
    m: f64,
    c: f64,
    tag: u32,
}

/// No change at a node's list.
const ROOT: u32 = u32::MAX;

/// Exact DeCAFS segmentation of `y` for the parameters and penalty `beta` per change (in the
/// units of the objective, i.e. `-2 log L`; the paper's default is `2 ln n`).
///
/// Runs in O(n · P²) for at most P quadratics kept per step (14–25 in our simulations, see
/// [`Decafs::max_pieces`]; 10⁶ points in about 0.45 s, criterion `changepoint_decafs`).
///
/// # Errors
/// [`Error::TooFewPoints`] for an empty series, [`Error::NonFinite`] for NaN or ±∞ values,
/// [`Error::InvalidArgument`] for parameters outside the model or a negative or non-finite
/// penalty.
pub fn decafs(y: &[f64], params: &DecafsParams, beta: f64) -> Result<Decafs> {
    params.check()?;
    super::search::check_penalty(beta)?;
    if let Some(index) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            what: "values",
            index,
            value: y[index],
        });
    }
    if y.is_empty() {
        return Err(Error::TooFewPoints {
            what: "values",
            needed: 1,
            got: 0,
        });
    }
    let phi = params.phi;
    let gamma = 1.0 / (params.sigma_nu * params.sigma_nu);
    let lambda = if params.sigma_eta > 0.0 {
        1.0 / (params.sigma_eta * params.sigma_eta)
    } else {
        f64::INFINITY
    };
    // Change lists as a persistent arena: (change index, previous node).
    let mut nodes: Vec<(u32, u32)> = Vec::new();
    let mut live: Vec<Quad> = vec![Quad {
        a: gamma * (1.0 - phi * phi),
        m: y[0],
        c: 0.0,
        tag: ROOT,
    }];
    let mut cands: Vec<Quad> = Vec::new();
    let mut changed: Vec<bool> = Vec::new();
    let mut keep: Vec<usize> = Vec::new();
    let (lo, hi) = domain(y);
    let mut max_pieces = 1;
    let mut compact_at = 1 << 16;
    for t in 1..y.len() {
        let z = y[t] - phi * y[t - 1];
        let first_change = candidates(&live, z, phi, gamma, lambda, beta, &mut cands, &mut changed);
        drop_dominated_changes(&mut cands, &mut changed, first_change, lo, hi);
        envelope(&cands, &mut keep, lo, hi);
        live.clear();
        for &i in &keep {
            let mut q = cands[i];
            if changed[i] {
                nodes.push((t as u32, q.tag));
                q.tag = (nodes.len() - 1) as u32;
            }
            live.push(q);
        }
        max_pieces = max_pieces.max(live.len());
        if nodes.len() >= compact_at {
            compact(&mut nodes, &mut live);
            compact_at = (2 * nodes.len()).max(1 << 16);
        }
    }
    // The best final quadratic: its minimum value, its change list.
    let best = live
        .iter()
        .min_by(|p, q| p.c.total_cmp(&q.c))
        .copied()
        .unwrap_or(Quad {
            a: 0.0,
            m: 0.0,
            c: 0.0,
            tag: ROOT,
        });
    let mut breakpoints = Vec::new();
    let mut tag = best.tag;
    while tag != ROOT {
        let (t, prev) = nodes[tag as usize];
        breakpoints.push(t as usize);
        tag = prev;
    }
    breakpoints.reverse();
    let cost = best.c - beta * breakpoints.len() as f64;
    Ok(Decafs {
        breakpoints,
        cost,
        params: *params,
        max_pieces,
    })
}

/// CROPS over the DeCAFS penalty: every segmentation that [`decafs`] returns as optimal for
/// some `β ∈ [min_penalty, max_penalty]` (in `-2 log L` units), with its penalty interval, by
/// [`crops`](super::search::crops) (Haynes, Eckley & Fearnhead 2017) over the exact DeCAFS
/// search. CROPS needs only an exact penalised search and the unpenalised cost of its optimum,
/// which [`Decafs::cost`] is, so the path is exact too. DeCAFS has no minimum segment length.
///
/// # Errors
/// As [`decafs`], and [`Error::InvalidArgument`] unless `0 ≤ min_penalty ≤ max_penalty < ∞`.
pub fn decafs_crops(
    y: &[f64],
    params: &DecafsParams,
    min_penalty: f64,
    max_penalty: f64,
) -> Result<super::search::Crops> {
    decafs_crops_with(y, params, min_penalty, max_penalty, &mut |s| s)
}

/// [`decafs_crops`] passing each search's result through `hook` (progress, cancellation).
pub(crate) fn decafs_crops_with(
    y: &[f64],
    params: &DecafsParams,
    min_penalty: f64,
    max_penalty: f64,
    hook: &mut dyn FnMut(
        Result<super::search::Segmentation>,
    ) -> Result<super::search::Segmentation>,
) -> Result<super::search::Crops> {
    super::search::crops(min_penalty, max_penalty, |beta| {
        hook(
            decafs(y, params, beta).map(|fit| super::search::Segmentation {
                breakpoints: fit.breakpoints,
                cost: fit.cost,
                n: y.len(),
            }),
        )
    })
}

/// The levels searched: `[min y - r, max y + r]`, `r` the range of `y` (see [`decafs`]).
fn domain(y: &[f64]) -> (f64, f64) {
    let (lo, hi) = y
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let r = (hi - lo).max(f64::MIN_POSITIVE);
    (lo - r, hi + r)
}

/// One step of the recursion for one quadratic `q` of `Q_{t-1}`: the quadratic in `u = μ_t` of
/// `min_v q(v) + γ (z - u + φ v)² + λ (u - v)²` (see the module documentation).
fn step(q: &Quad, z: f64, w: f64, phi: f64, gamma: f64, lambda: f64) -> Quad {
    let zr = z - w * q.m;
    let a = q.a;
    if lambda.is_infinite() {
        // v = u: q(u) + γ (z - w u)².
        let d = a + gamma * w * w;
        return Quad {
            a: d,
            m: q.m + gamma * w * zr / d,
            c: q.c + a * gamma * zr * zr / d,
            tag: q.tag,
        };
    }
    let d = a * (lambda + gamma) + lambda * gamma * w * w;
    Quad {
        a: d / (a + lambda + gamma * phi * phi),
        m: q.m + gamma * zr * (a + lambda * w) / d,
        c: q.c + a * lambda * gamma * zr * zr / d,
        tag: q.tag,
    }
}

/// The quadratics of `Q_t` before pruning, from those of `Q_{t-1}` (`live`): each one without a
/// change (`changed` false), then each with a change at t (penalty `beta`, `changed` true);
/// returns the index of the first with a change.
#[allow(clippy::too_many_arguments)]
fn candidates(
    live: &[Quad],
    z: f64,
    phi: f64,
    gamma: f64,
    lambda: f64,
    beta: f64,
    cands: &mut Vec<Quad>,
    changed: &mut Vec<bool>,
) -> usize {
    let w = 1.0 - phi;
    cands.clear();
    changed.clear();
    for q in live {
        cands.push(step(q, z, w, phi, gamma, lambda));
        changed.push(false);
    }
    let first = cands.len();
    for q in live {
        let mut c = step(q, z, w, phi, gamma, 0.0);
        c.c += beta;
        cands.push(c);
        changed.push(true);
    }
    first
}

/// Drops the change candidates `cands[first..]` that lie strictly above the lowest of them
/// (smallest `c`) everywhere on `[lo, hi]` (by more than a relative 10⁻¹²): they are the minimum nowhere, so [`envelope`] would
/// not keep them (the envelope is unchanged), and its sweep no longer compares them. After a
/// change the level is free, so the change candidates differ only through the AR(1) term:
/// with φ small they are nearly the same parabola shifted up, and all but a few are dominated.
fn drop_dominated_changes(
    cands: &mut Vec<Quad>,
    changed: &mut Vec<bool>,
    first: usize,
    lo: f64,
    hi: f64,
) {
    let Some(best) = cands[first..]
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.c.total_cmp(&b.1.c))
        .map(|(i, _)| first + i)
    else {
        return;
    };
    let h = cands[best];
    let above = |g: &Quad| {
        // g − h = A s² + B s + C in s = u − h.m; its minimum over [lo, hi] is > 0.
        let d = g.m - h.m;
        let a = g.a - h.a;
        let b = -2.0 * g.a * d;
        let c = g.a * d * d + g.c - h.c;
        let at = |s: f64| (a * s + b) * s + c;
        let (s0, s1) = (lo - h.m, hi - h.m);
        let mut min = at(s0).min(at(s1));
        if a > 0.0 {
            let v = -b / (2.0 * a);
            if v > s0 && v < s1 {
                min = min.min(at(v));
            }
        }
        // A relative margin keeps touching and round-off-close candidates for the envelope.
        min > 1e-12 * (g.c.abs() + h.c.abs())
    };
    let mut i = first;
    let mut k = first;
    while i < cands.len() {
        if i == best || !above(&cands[i]) {
            cands[k] = cands[i];
            changed[k] = changed[i];
            k += 1;
        }
        i += 1;
    }
    cands.truncate(k);
    changed.truncate(k);
}

/// Indices of the quadratics of `q` (all with `a > 0`) that are the minimum somewhere on
/// `[lo, hi]`: a left-to-right sweep over the crossings of the lower envelope.
fn envelope(q: &[Quad], keep: &mut Vec<usize>, lo: f64, hi: f64) {
    keep.clear();
    if q.is_empty() {
        return;
    }
    // Leftmost piece: smallest at `lo`, then smallest slope there, then smallest curvature.
    let key = |c: &Quad| (value(c, lo), c.a * (lo - c.m), c.a);
    let mut cur = 0;
    for (i, c) in q.iter().enumerate().skip(1) {
        if key(c).partial_cmp(&key(&q[cur])) == Some(std::cmp::Ordering::Less) {
            cur = i;
        }
    }
    let mut x = lo;
    keep.push(cur);
    // A quadratic crosses another at most twice, so the sweep ends after at most 2·len pieces.
    for _ in 0..2 * q.len() + 2 {
        let base = &q[cur];
        let mut next: Option<(f64, usize)> = None;
        // The pieces after `cur` first: the next crossing is most often with one of them, and
        // once it is known the sign test rules most others out.
        for j in (cur + 1..q.len()).chain(0..cur) {
            let g = &q[j];
            // Crossings beyond the best one so far cannot be next (ties are kept).
            let limit = next.map_or(hi, |(rb, _)| rb);
            if !may_cross_below(base, g, x, limit) {
                continue;
            }
            let Some(r) = crossing_below(base, g, x).filter(|&r| r < hi) else {
                continue;
            };
            let better = match next {
                None => true,
                Some((rb, jb)) => {
                    r < rb
                        || (r == rb && {
                            // Same crossing: the one lower just after it.
                            let (sj, sb) = (g.a * (r - g.m), q[jb].a * (r - q[jb].m));
                            sj < sb || (sj == sb && (g.a < q[jb].a || (g.a == q[jb].a && j < jb)))
                        })
                }
            };
            if better {
                next = Some((r, j));
            }
        }
        match next {
            Some((r, j)) => {
                cur = j;
                x = r;
                if !keep.contains(&j) {
                    keep.push(j);
                }
            }
            None => break,
        }
    }
}

/// Whether `g` may pass below `base` at some `r` with `x < r <= limit` ([`crossing_below`]),
/// without a square root or a division: `false` only when the signs rule it out with a margin
/// far above round-off, so the sweep's result is the same with or without this test.
///
/// With `f = g - base` (`f >= 0` at `x`, where `base` is the lowest) and `f(limit) > 0`:
/// opening downwards, `f` is positive between its roots, so it passes below only after `limit`;
/// opening upwards, it passes below at its smaller root, inside the range only when it has
/// real roots and its vertex lies inside the range.
fn may_cross_below(base: &Quad, g: &Quad, x: f64, limit: f64) -> bool {
    let d = g.m - base.m;
    let a = g.a - base.a;
    let b = -2.0 * g.a * d;
    let c = g.a * d * d + g.c - base.c;
    let s1 = limit - base.m;
    if a == 0.0 || !s1.is_finite() {
        return true;
    }
    let f1 = (a * s1 + b) * s1 + c;
    let slack = 1e-9 * ((a * s1 * s1).abs() + (b * s1).abs() + c.abs() + g.c.abs() + base.c.abs());
    if f1 <= slack {
        return true;
    }
    if a < 0.0 {
        return false;
    }
    // The vertex -b / 2a inside (x, limit), widened against round-off: -b against 2a s.
    let s0 = x - base.m;
    let (lo, hi) = (2.0 * a * s0, 2.0 * a * s1);
    let widen = 1e-9 * (b.abs() + lo.abs() + hi.abs());
    -b > lo - widen && -b < hi + widen && b * b - 4.0 * a * c > 0.0
}

/// The first point `r > x` where `g` passes below `base` (their difference changes sign from
/// + to -), if any.
fn crossing_below(base: &Quad, g: &Quad, x: f64) -> Option<f64> {
    // In s = u - base.m: g - base = A s² + B s + C.
    let d = g.m - base.m;
    let a = g.a - base.a;
    let b = -2.0 * g.a * d;
    let c = g.a * d * d + g.c - base.c;
    let xs = x - base.m;
    let root = if a == 0.0 {
        // Linear: crosses downwards when the slope is negative.
        if b < 0.0 {
            Some(-c / b)
        } else {
            None
        }
    } else {
        let disc = b * b - 4.0 * a * c;
        if disc <= 0.0 {
            return None;
        }
        let sq = disc.sqrt();
        // Stable roots: q = -(b + sign(b) sq) / 2, roots q/a and c/q.
        let qq = -0.5 * (b + if b >= 0.0 { sq } else { -sq });
        let (r1, r2) = if qq != 0.0 {
            let (p, s) = (qq / a, c / qq);
            (p.min(s), p.max(s))
        } else {
            (0.0, 0.0)
        };
        // Opening upwards: negative between the roots (enter at r1); downwards: after r2.
        Some(if a > 0.0 { r1 } else { r2 })
    }?;
    (root > xs && root.is_finite()).then_some(base.m + root)
}

/// `a (u - m)² + c`.
fn value(q: &Quad, u: f64) -> f64 {
    let d = u - q.m;
    q.a * d * d + q.c
}

/// Drops the arena nodes no live quadratic reaches, renumbering the rest.
fn compact(nodes: &mut Vec<(u32, u32)>, live: &mut [Quad]) {
    let mut map = vec![u32::MAX; nodes.len()];
    let mut order: Vec<u32> = Vec::new();
    for q in live.iter() {
        let mut tag = q.tag;
        while tag != ROOT && map[tag as usize] == u32::MAX {
            map[tag as usize] = 0;
            order.push(tag);
            tag = nodes[tag as usize].1;
        }
    }
    // Parents have smaller indices than children: renumber in increasing order.
    order.sort_unstable();
    let mut fresh: Vec<(u32, u32)> = Vec::with_capacity(order.len());
    for &old in &order {
        let (t, prev) = nodes[old as usize];
        let prev = if prev == ROOT {
            ROOT
        } else {
            map[prev as usize]
        };
        map[old as usize] = fresh.len() as u32;
        fresh.push((t, prev));
    }
    for q in live.iter_mut() {
        if q.tag != ROOT {
            q.tag = map[q.tag as usize];
        }
    }
    *nodes = fresh;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Dropping the dominated change candidates leaves the envelope's quadratics as they
        /// were (same quadratics, same order).
        #[test]
        fn dropping_dominated_changes_keeps_the_envelope(
            live in prop::collection::vec((0.05f64..5.0, -3.0f64..3.0, 0.0f64..20.0), 1..12),
            z in -3.0f64..3.0,
            phi in prop_oneof![Just(0.0), 0.0f64..0.99],
            gamma in 0.2f64..4.0,
            lambda in prop_oneof![Just(f64::INFINITY), 0.01f64..100.0],
            beta in 0.0f64..15.0,
        ) {
            let live: Vec<Quad> = live
                .iter()
                .enumerate()
                .map(|(i, &(a, m, c))| Quad { a, m, c, tag: i as u32 })
                .collect();
            let (mut cands, mut changed) = (Vec::new(), Vec::new());
            let first = candidates(&live, z, phi, gamma, lambda, beta, &mut cands, &mut changed);

            let (lo, hi) = (-8.0, 8.0);
            let mut keep = Vec::new();
            envelope(&cands, &mut keep, lo, hi);
            let full: Vec<(u64, u64, u64, bool)> = keep
                .iter()
                .map(|&i| (cands[i].a.to_bits(), cands[i].m.to_bits(), cands[i].c.to_bits(), changed[i]))
                .collect();
            drop_dominated_changes(&mut cands, &mut changed, first, lo, hi);
            envelope(&cands, &mut keep, lo, hi);
            let pruned: Vec<(u64, u64, u64, bool)> = keep
                .iter()
                .map(|&i| (cands[i].a.to_bits(), cands[i].m.to_bits(), cands[i].c.to_bits(), changed[i]))
                .collect();
            prop_assert_eq!(full, pruned);
        }

        /// The sign test never rules out a crossing that [`crossing_below`] finds in range,
        /// when `base` is the lower of the two at `x` (as in the sweep).
        #[test]
        fn sign_test_keeps_every_crossing_in_range(
            (ba, bm, bc) in (0.05f64..5.0, -3.0f64..3.0, 0.0f64..20.0),
            (ga, gm, gc) in (0.05f64..5.0, -3.0f64..3.0, 0.0f64..20.0),
            x in -8.0f64..8.0,
            width in prop_oneof![Just(0.0), 0.0f64..16.0],
            same_a in any::<bool>(),
        ) {
            let base = Quad { a: ba, m: bm, c: bc, tag: 0 };
            let g = Quad { a: if same_a { ba } else { ga }, m: gm, c: gc, tag: 1 };
            prop_assume!(value(&g, x) >= value(&base, x));
            let limit = x + width;
            if let Some(r) = crossing_below(&base, &g, x).filter(|&r| r <= limit) {
                prop_assert!(may_cross_below(&base, &g, x, limit), "crossing at {r}");
            }
            // The limit at a crossing itself (a tie with the best so far) keeps it.
            if let Some(r) = crossing_below(&base, &g, x) {
                prop_assert!(may_cross_below(&base, &g, x, r));
            }
        }
    }

    #[test]
    fn finds_steps_on_a_random_walk_with_ar_noise() {
        let mut rng = Rng::new(11);
        let (n, phi) = (2000, 0.5);
        let mut level = 0.0;
        let mut eps = 0.0;
        let y: Vec<f64> = (0..n)
            .map(|t| {
                level += 0.05 * rng.normal() + if t == 700 || t == 1400 { 3.0 } else { 0.0 };
                eps = phi * eps + rng.normal();
                level + eps
            })
            .collect();
        let p = DecafsParams::estimate(&y).unwrap_or_else(|e| panic!("{e}"));
        assert!((p.phi - phi).abs() < 0.2, "{p:?}");
        let fit = decafs(&y, &p, 2.0 * (n as f64).ln()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fit.breakpoints.len(), 2, "{fit:?}");
        assert!((fit.breakpoints[0] as i64 - 700).abs() <= 3, "{fit:?}");
        assert!((fit.breakpoints[1] as i64 - 1400).abs() <= 3, "{fit:?}");
    }

    #[test]
    fn streamed_medians_are_the_stored_ones() {
        let mut rng = Rng::new(3);
        let n = 40_001;
        let gauss: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        // Many ties (counts), signed zeros among the differences, a step, a wide range.
        let counts: Vec<f64> = (0..n).map(|_| rng.poisson(3.0)).collect();
        let zeros: Vec<f64> = (0..n)
            .map(|i| match i % 3 {
                0 => 0.0,
                1 => -0.0,
                _ => rng.normal(),
            })
            .collect();
        let step: Vec<f64> = (0..n)
            .map(|i| 1e6 * rng.normal() + if i > n / 3 { 1e9 } else { 0.0 })
            .collect();
        let constant = vec![2.5; n];
        let mut scratch = Scratch::default();
        let mut d = Vec::new();
        let mut streamed = 0;
        for y in [&gauss, &counts, &zeros, &step, &constant] {
            for len in [n, n - 1] {
                let y = &y[..len];
                for k in [1, 2, 7] {
                    let want = lag_mad_stored(y, k, &mut d);
                    let mut sm = SplitMix(k as u64);
                    if let Some(got) = lag_mad_streamed(y, k, &mut scratch, &mut sm) {
                        assert_eq!(got.to_bits(), want.to_bits(), "len {len}, k {k}");
                        streamed += 1;
                    }
                }
            }
        }
        assert!(streamed >= 25, "{streamed}");
    }

    #[test]
    fn bad_parameters_are_errors() {
        let y = [1.0, 2.0, 3.0];
        let p = DecafsParams {
            sigma_eta: 0.0,
            sigma_nu: 1.0,
            phi: 1.0,
        };
        assert!(decafs(&y, &p, 1.0).is_err());
        let p = DecafsParams { phi: 0.5, ..p };
        assert!(decafs(&y, &p, -1.0).is_err());
        assert!(decafs(&[1.0, f64::NAN], &p, 1.0).is_err());
        assert!(DecafsParams::estimate(&y).is_err());
    }
}
