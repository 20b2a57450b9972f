//! Seeded two-sample permutation tests.
//!
//! ```text
//! pooled z = (x, y);  null distribution: T(z[S], z[~S]) over subsets S of size m = |x|
//! exact  (C(m+n, m) ≤ n_resamples): every subset once;          p = #{T_S ≥ T_obs} / C(m+n, m)
//! random (otherwise): R uniformly random subsets;                 p = (#{T_S ≥ T_obs} + 1) / (R + 1)
//! comparisons allow γ = 100 ε |T_obs| of rounding:  "≥" is T_S ≥ T_obs - γ, "≤" is T_S ≤ T_obs + γ
//! less: #{T_S ≤ T_obs}, greater: #{T_S ≥ T_obs}, two-sided: min(1, 2 min(p_less, p_greater))
//! ```
//!
//! Mirrors `scipy.stats.permutation_test(..., permutation_type="independent")`: the same
//! p-value conventions, the same switch to exact enumeration, the same tolerance `γ`. The
//! random subsets come from our generator (permutation `i` from `Rng::stream(seed, i)`), so
//! Monte-Carlo p-values agree with scipy's within Monte-Carlo error, exact ones to rounding.
//! The only assumption is exchangeability of the pooled observations under H0 (i.i.d.
//! samples; not valid for autocorrelated series).

use serde::Serialize;

use crate::progress::{check_count, parallel, Progress, Silent};
use crate::stats::rng::Rng;
use crate::stats::{check, Alternative};
use crate::{Error, Result};

/// Options of [`permutation_test`]; `Default`: 9 999 resamples, two-sided, seed 0, all cores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PermutationOptions {
    /// Number of random permutations `R` (exact enumeration when `C(m+n, m) ≤ R`).
    pub n_resamples: usize,
    /// Alternative: `less` means the statistic is smaller than under H0.
    pub alternative: Alternative,
    /// Seed of the random streams.
    pub seed: u64,
    /// Worker threads; 0 = all available cores. Does not change the result.
    pub threads: usize,
}

impl Default for PermutationOptions {
    fn default() -> Self {
        PermutationOptions {
            n_resamples: 9_999,
            alternative: Alternative::TwoSided,
            seed: 0,
            threads: 0,
        }
    }
}

/// Result of a permutation test.
#[derive(Debug, Clone, Serialize)]
pub struct PermutationTest {
    /// The statistic on the observed samples.
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
    /// Size of the null distribution (all `C(m+n, m)` partitions when `exact`).
    pub n_resamples: usize,
    /// Whether the null distribution was enumerated exactly.
    pub exact: bool,
    /// The alternative tested.
    pub alternative: Alternative,
}

/// `C(n, k)`, or `None` when it exceeds `limit`.
fn binomial_at_most(n: usize, k: usize, limit: usize) -> Option<usize> {
    let k = k.min(n - k);
    let mut c: u128 = 1;
    for i in 0..k {
        c = c * (n - i) as u128 / (i + 1) as u128;
        if c > limit as u128 {
            return None;
        }
    }
    Some(c as usize)
}

/// Two-sample permutation test of `statistic(x, y)`; see the module docs for the p-value.
///
/// ```
/// use shiftwatch::stats::permutation::{permutation_test, mean_difference, PermutationOptions};
/// // C(4, 2) = 6 splits ≤ 9 999 resamples: exact; only the observed split is as extreme
/// // on each side, so the two-sided p-value is 2 · 1/6.
/// let r = permutation_test(&[1.0, 2.0], &[3.0, 4.0], mean_difference, &PermutationOptions::default())?;
/// assert!(r.exact && (r.p_value - 1.0 / 3.0).abs() < 1e-15);
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] (a sample with fewer than 2 values, as scipy), [`Error::NonFinite`], [`Error::InvalidArgument`]
/// (`n_resamples` = 0, or a non-finite statistic).
pub fn permutation_test<F>(
    x: &[f64],
    y: &[f64],
    statistic: F,
    options: &PermutationOptions,
) -> Result<PermutationTest>
where
    F: Fn(&[f64], &[f64]) -> f64 + Sync,
{
    permutation_test_with(x, y, statistic, options, &Silent)
}

/// Largest `n_resamples` accepted. Memory is O(1) per permutation (only counts are kept), but
/// 10⁹ permutations already take minutes; more is a mistake, not a wish for precision (the
/// Monte-Carlo error of p is below 10⁻⁴·⁵ long before).
pub const MAX_PERMUTATIONS: usize = 1_000_000_000;

/// Permutations per progress tick and cancellation check.
const TICK: usize = 64;

/// [`permutation_test`], reporting progress to (and cancellable by) `progress`.
///
/// # Errors
/// As [`permutation_test`], and [`Error::Cancelled`] when `progress` stops the run.
pub fn permutation_test_with<F>(
    x: &[f64],
    y: &[f64],
    statistic: F,
    options: &PermutationOptions,
    progress: &dyn Progress,
) -> Result<PermutationTest>
where
    F: Fn(&[f64], &[f64]) -> f64 + Sync,
{
    check::sample("x", x, 2)?;
    check::sample("y", y, 2)?;
    check_count(
        "n_resamples",
        options.n_resamples,
        MAX_PERMUTATIONS,
        "more permutations cannot change the answer",
    )?;
    let observed = statistic(x, y);
    if !observed.is_finite() {
        return Err(Error::invalid(
            "statistic",
            format!("is not finite on the data ({observed})"),
        ));
    }
    let (m, n) = (x.len(), y.len());
    let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
    let gamma = (f64::EPSILON * 100.0 * observed).abs();
    let tally = Tally {
        lo: observed + gamma,
        hi: observed - gamma,
    };
    let (total, exact, [n_le, n_ge]) = match binomial_at_most(m + n, m, options.n_resamples) {
        Some(total) => {
            let mut counts = [0usize; 2];
            let mut steps = crate::progress::Sequential::new(progress, total as u64);
            enumerate(&pooled, m, &statistic, &mut |t| {
                tally.add(&mut counts, t);
                steps.step()
            })?;
            steps.finish()?;
            (total, true, counts)
        }
        None => {
            let counts = random_null(&pooled, m, &statistic, options, &tally, progress)?;
            (options.n_resamples, false, counts)
        }
    };
    let adj = if exact { 0.0 } else { 1.0 };
    let p = |count: usize| (count as f64 + adj) / (total as f64 + adj);
    let p_value = match options.alternative {
        Alternative::Less => p(n_le),
        Alternative::Greater => p(n_ge),
        Alternative::TwoSided => 2.0 * p(n_le).min(p(n_ge)),
    }
    .clamp(0.0, 1.0);
    Ok(PermutationTest {
        statistic: observed,
        p_value,
        n_resamples: total,
        exact,
        alternative: options.alternative,
    })
}

/// Difference of means `mean(x) - mean(y)` (scipy's usual example statistic).
pub fn mean_difference(x: &[f64], y: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64 - y.iter().sum::<f64>() / y.len() as f64
}

/// [`permutation_test`] of the difference of means `mean(x) - mean(y)`.
///
/// # Errors
/// As [`permutation_test`].
pub fn mean_difference_test(
    x: &[f64],
    y: &[f64],
    options: &PermutationOptions,
) -> Result<PermutationTest> {
    permutation_test(x, y, mean_difference, options)
}

/// Counts null statistics `≤ lo` and `≥ hi` (the observed value with a relative tolerance).
struct Tally {
    lo: f64,
    hi: f64,
}

impl Tally {
    fn add(&self, counts: &mut [usize; 2], t: f64) {
        counts[0] += usize::from(t <= self.lo);
        counts[1] += usize::from(t >= self.hi);
    }
}

/// Calls `visit` with the statistic of every split of `pooled` into `m` and `N - m` values
/// (subsets in lexicographic order of indices).
fn enumerate<F, V>(pooled: &[f64], m: usize, statistic: &F, visit: &mut V) -> Result<()>
where
    F: Fn(&[f64], &[f64]) -> f64,
    V: FnMut(f64) -> Result<()>,
{
    let total = pooled.len();
    let mut idx: Vec<usize> = (0..m).collect();
    let mut a = vec![0.0; m];
    let mut b = vec![0.0; total - m];
    loop {
        let (mut ia, mut ib, mut next) = (0, 0, 0);
        for (i, &v) in pooled.iter().enumerate() {
            if next < m && idx[next] == i {
                a[ia] = v;
                ia += 1;
                next += 1;
            } else {
                b[ib] = v;
                ib += 1;
            }
        }
        visit(statistic(&a, &b))?;
        // Next combination: rightmost index that can still move right.
        let Some(pos) = (0..m).rev().find(|&p| idx[p] < total - m + p) else {
            return Ok(());
        };
        idx[pos] += 1;
        for q in pos + 1..m {
            idx[q] = idx[q - 1] + 1;
        }
    }
}

/// Counts (`≤`, `≥`) of the statistic on `R` random splits; split `i` from
/// `Rng::stream(seed, i)` by a partial Fisher–Yates shuffle of the first `m` positions.
/// O(1) memory per split: only the counts are kept.
fn random_null<F>(
    pooled: &[f64],
    m: usize,
    statistic: &F,
    o: &PermutationOptions,
    tally: &Tally,
    progress: &dyn Progress,
) -> Result<[usize; 2]>
where
    F: Fn(&[f64], &[f64]) -> f64 + Sync,
{
    let r = o.n_resamples;
    let threads = if o.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        o.threads
    }
    .clamp(1, r);
    let chunk = r.div_ceil(threads);
    let ranges: Vec<_> = (0..threads)
        .map(|c| c * chunk..((c + 1) * chunk).min(r))
        .collect();
    let counts = parallel(ranges, r as u64, progress, |range, ticker| {
        let mut buf = pooled.to_vec();
        let total = buf.len();
        let mut counts = [0usize; 2];
        for (k, i) in range.enumerate() {
            if k % TICK == TICK - 1 && !ticker.tick(TICK as u64) {
                break;
            }
            let mut rng = Rng::stream(o.seed, i as u64);
            buf.copy_from_slice(pooled);
            for i in 0..m {
                let j = i + rng.below(total - i);
                buf.swap(i, j);
            }
            let (a, b) = buf.split_at(m);
            tally.add(&mut counts, statistic(a, b));
        }
        counts
    })?;
    Ok(counts
        .into_iter()
        .fold([0, 0], |acc, c| [acc[0] + c[0], acc[1] + c[1]]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bad_input() {
        let o = PermutationOptions::default();
        assert!(matches!(
            mean_difference_test(&[1.0], &[1.0, 2.0], &o),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            mean_difference_test(&[1.0, f64::INFINITY], &[1.0], &o),
            Err(Error::NonFinite { index: 1, .. })
        ));
        let z = PermutationOptions {
            n_resamples: 0,
            ..o
        };
        assert!(mean_difference_test(&[1.0, 3.0], &[2.0, 4.0], &z).is_err());
    }

    #[test]
    fn exact_small_case() {
        // x = [1, 2], y = [3, 4]: 6 splits, mean differences -2, -1, 0, 0, 1, 2 (observed -2):
        // less = 1/6, greater = 6/6, two-sided = 2/6.
        let o = |alternative| PermutationOptions {
            alternative,
            ..Default::default()
        };
        let r = mean_difference_test(&[1.0, 2.0], &[3.0, 4.0], &o(Alternative::Less)).unwrap();
        assert!(r.exact);
        assert_eq!(r.n_resamples, 6);
        assert!((r.p_value - 1.0 / 6.0).abs() < 1e-15);
        let r = mean_difference_test(&[1.0, 2.0], &[3.0, 4.0], &o(Alternative::TwoSided)).unwrap();
        assert!((r.p_value - 2.0 / 6.0).abs() < 1e-15);
        let r = mean_difference_test(&[1.0, 2.0], &[3.0, 4.0], &o(Alternative::Greater)).unwrap();
        assert_eq!(r.p_value, 1.0);
    }

    #[test]
    fn constant_data_gives_p_one_and_threads_do_not_matter() {
        let r =
            mean_difference_test(&[5.0; 30], &[5.0; 30], &PermutationOptions::default()).unwrap();
        assert_eq!(r.p_value, 1.0);
        let x: Vec<f64> = (0..40).map(|i| (i % 7) as f64).collect();
        let y: Vec<f64> = (0..30).map(|i| (i % 5) as f64 + 0.5).collect();
        let run = |threads| {
            let o = PermutationOptions {
                threads,
                n_resamples: 2000,
                seed: 5,
                ..Default::default()
            };
            mean_difference_test(&x, &y, &o).unwrap().p_value
        };
        assert_eq!(run(1), run(3));
        assert!(
            !mean_difference_test(&x, &y, &PermutationOptions::default())
                .unwrap()
                .exact
        );
    }
}
