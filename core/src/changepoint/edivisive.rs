//! E-divisive: hierarchical divisive segmentation with the energy statistic and a seeded
//! permutation test, for history series (one value per build) with any distributional change.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::stats::rng::Rng;
use crate::{Error, Result};

/// Options of [`e_divisive`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EDivisiveOptions {
    /// Exponent α ∈ (0, 2) of the distances `|x - y|^α` (default 1; α = 1 runs in
    /// O(n log n) per scan, other values in O(n²)).
    pub exponent: f64,
    /// Minimum segment length (default 5).
    pub min_size: usize,
    /// Number of permutations per test (default 99).
    pub permutations: usize,
    /// Significance level of each permutation test (default 0.05).
    pub p_value: f64,
    /// Seed of the permutations (default 0); results are reproducible per seed.
    pub seed: u64,
    /// How the permutation p-value is formed (default [`PValueRule::AddOne`]).
    pub p_value_rule: PValueRule,
}

/// The permutation p-value of [`e_divisive`] from `b = #{T_perm >= T}` out of `P` permutations.
///
/// ```text
/// add-one: p = (1 + b) / (1 + P)     (Phipson & Smyth 2010; R's ecp::e.divisive)
/// spa:     p =      b  / (1 + P)     (signal-processing-algorithms' e_divisive)
/// ```
///
/// `add-one` counts the observed arrangement as one of the permutations, so `p` is never 0 and,
/// for one test on exchangeable data, `P(p <= α) <= α`; `spa` is `1/(1 + P)` smaller and slightly
/// liberal (with 99 permutations at α = 0.05 it accepts `b = 5`, whose add-one p-value is 0.06).
/// Choose `spa` only to reproduce signal-processing-algorithms' results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PValueRule {
    /// `(1 + b) / (1 + P)` (`"add-one"`, also `"ecp"`).
    #[default]
    AddOne,
    /// `b / (1 + P)` (`"spa"`).
    Spa,
}

impl PValueRule {
    /// The canonical name accepted by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            PValueRule::AddOne => "add-one",
            PValueRule::Spa => "spa",
        }
    }

    /// The p-value for `exceed` permutation statistics ≥ the observed one out of `permutations`.
    pub fn p_value(self, exceed: usize, permutations: usize) -> f64 {
        let b = match self {
            PValueRule::AddOne => exceed + 1,
            PValueRule::Spa => exceed,
        };
        b as f64 / (1 + permutations) as f64
    }
}

impl fmt::Display for PValueRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PValueRule {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "add-one" | "addone" | "ecp" => Ok(PValueRule::AddOne),
            "spa" | "signal-processing-algorithms" => Ok(PValueRule::Spa),
            other => Err(Error::UnknownName {
                kind: "p-value rule",
                value: other.to_string(),
                expected: "add-one, spa",
            }),
        }
    }
}

impl Default for EDivisiveOptions {
    fn default() -> Self {
        EDivisiveOptions {
            exponent: 1.0,
            min_size: 5,
            permutations: 99,
            p_value: 0.05,
            seed: 0,
            p_value_rule: PValueRule::AddOne,
        }
    }
}

/// A change point found by [`e_divisive`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EDivisiveChange {
    /// 0-based index of the first sample of the new segment.
    pub index: usize,
    /// The statistic `T` at the split (see [`energy_statistics`]).
    pub statistic: f64,
    /// Permutation p-value (see [`PValueRule`]; by default
    /// `(1 + #{T_perm >= T}) / (1 + permutations)`).
    pub p_value: f64,
    /// Order in which the divisive search found it (0 = first).
    pub order: usize,
}

/// The result of [`e_divisive`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EDivisive {
    /// Significant change points, sorted by index.
    pub change_points: Vec<EDivisiveChange>,
    /// The best split that failed its permutation test, where the search stopped (`None` when
    /// no segment could be split any further).
    pub rejected: Option<EDivisiveChange>,
    /// Options used.
    pub options: EDivisiveOptions,
}

/// Energy statistics of two samples, as signal-processing-algorithms'
/// `get_energy_statistics` (α = 1) and Székely & Rizzo's energy distance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EnergyStatistics {
    /// E-statistic `e = 2 mean|X - Y| - mean|X - X'| - mean|Y - Y'|` (means over all ordered
    /// pairs, including i = j).
    pub e: f64,
    /// Test statistic `t = n m / (n + m) · e`.
    pub t: f64,
    /// E-coefficient of inhomogeneity `h = e / (2 mean|X - Y|)` (0 when that mean is 0).
    pub h: f64,
}

/// Energy statistics of `x` and `y` with exponent α (O((n + m)²) time, O(1) memory).
///
/// ```text
/// e = 2/(n m) Σ_ij |x_i - y_j|^α - 1/n² Σ_ij |x_i - x_j|^α - 1/m² Σ_ij |y_i - y_j|^α
/// t = n m / (n + m) · e,     h = e / (2/(n m) Σ_ij |x_i - y_j|^α)
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] for an empty sample, [`Error::NonFinite`], and
/// [`Error::InvalidArgument`] for α outside (0, 2].
pub fn energy_statistics(x: &[f64], y: &[f64], exponent: f64) -> Result<EnergyStatistics> {
    crate::stats::check::sample("x", x, 1)?;
    crate::stats::check::sample("y", y, 1)?;
    check_exponent(exponent)?;
    let d = |a: f64, b: f64| (a - b).abs().powf(exponent);
    let within = |s: &[f64]| -> f64 {
        let mut acc = 0.0;
        for (i, &a) in s.iter().enumerate() {
            for &b in &s[i + 1..] {
                acc += d(a, b);
            }
        }
        2.0 * acc
    };
    let (n, m) = (x.len() as f64, y.len() as f64);
    let xy: f64 = x
        .iter()
        .map(|&a| y.iter().map(|&b| d(a, b)).sum::<f64>())
        .sum();
    let xy_avg = xy / (n * m);
    let e = 2.0 * xy_avg - within(x) / (n * n) - within(y) / (m * m);
    Ok(EnergyStatistics {
        e,
        t: n * m / (n + m) * e,
        h: if xy_avg > 0.0 {
            e / (2.0 * xy_avg)
        } else {
            0.0
        },
    })
}

fn check_exponent(exponent: f64) -> Result<()> {
    if exponent > 0.0 && exponent <= 2.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            "exponent",
            format!("must lie in (0, 2], got {exponent}"),
        ))
    }
}

/// `T(τ)` for every split `τ = 0..=n` of `x` (left = `x[..τ]`), 0 at both ends.
///
/// For α = 1 the within-sample sums are updated with Fenwick trees over the ranks (count and sum
/// of smaller values), O(n log n) time and O(n) memory; otherwise O(n²) time, O(n) memory.
pub fn statistic_curve(x: &[f64], exponent: f64) -> Vec<f64> {
    let n = x.len();
    let left = within_prefix(x, exponent);
    let rev: Vec<f64> = x.iter().rev().copied().collect();
    let right = within_prefix(&rev, exponent);
    let total = left[n];
    (0..=n)
        .map(|tau| {
            let (a, b) = (tau as f64, (n - tau) as f64);
            if tau == 0 || tau == n {
                return 0.0;
            }
            let (wx, wy) = (left[tau], right[n - tau]);
            let xy = total - wx - wy;
            let e = 2.0 * xy / (a * b) - 2.0 * wx / (a * a) - 2.0 * wy / (b * b);
            a * b / (a + b) * e
        })
        .collect()
}

/// `w[k] = Σ_{i<j<k} |x_i - x_j|^α` for k = 0..=n.
fn within_prefix(x: &[f64], exponent: f64) -> Vec<f64> {
    let n = x.len();
    let mut w = Vec::with_capacity(n + 1);
    w.push(0.0);
    if exponent == 1.0 {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
        let mut rank = vec![0usize; n];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        let mut cnt = vec![0u32; n + 1];
        let mut sum = vec![0.0f64; n + 1];
        let (mut acc, mut total_sum) = (0.0, 0.0);
        for (k, &v) in x.iter().enumerate() {
            // Values ranked below v (ties contribute 0 either way).
            let (mut c, mut s) = (0u32, 0.0);
            let mut i = rank[k];
            while i > 0 {
                c += cnt[i];
                s += sum[i];
                i &= i - 1;
            }
            let above_c = k as f64 - c as f64;
            let above_s = total_sum - s;
            acc += (c as f64 * v - s) + (above_s - above_c * v);
            let mut i = rank[k] + 1;
            while i <= n {
                cnt[i] += 1;
                sum[i] += v;
                i += i & i.wrapping_neg();
            }
            total_sum += v;
            w.push(acc);
        }
    } else {
        let mut acc = 0.0;
        for k in 0..n {
            acc += x[..k]
                .iter()
                .map(|&p| (x[k] - p).abs().powf(exponent))
                .sum::<f64>();
            w.push(acc);
        }
    }
    w
}

/// Best split of `x` with both sides ≥ `m`: (τ, T(τ)).
fn best_split(x: &[f64], exponent: f64, m: usize) -> Option<(usize, f64)> {
    if x.len() < m.saturating_mul(2) {
        return None;
    }
    let curve = statistic_curve(x, exponent);
    let mut best: Option<(usize, f64)> = None;
    for (tau, &t) in curve.iter().enumerate().take(x.len() - m + 1).skip(m) {
        if best.map_or(true, |(_, bt)| t > bt) {
            best = Some((tau, t));
        }
    }
    best
}

/// E-divisive (Matteson & James 2014, "A nonparametric approach for multiple change point
/// analysis of multivariate data", JASA 109:334–345), in the form of signal-processing-algorithms'
/// `e_divisive` (univariate): repeatedly take the split with the largest
///
/// ```text
/// T(τ) = τ (n-τ)/n · [ 2/(τ(n-τ)) Σ_{i<τ<=j} |x_i-x_j|^α - 2/τ² Σ_{i<j<τ} |x_i-x_j|^α
///                      - 2/(n-τ)² Σ_{τ<=i<j} |x_i-x_j|^α ]
/// ```
/// over the current segments, and keep it when a permutation test (values shuffled within each
/// segment, the maximum of T over all segments recomputed) gives a p-value `<= p_value`
/// (see [`PValueRule`]); stop at the first non-significant split, which is returned as
/// [`EDivisive::rejected`].
///
/// Agreement with signal-processing-algorithms 2.1.6 (`core/tests/reference_edivisive.rs`,
/// data from `datasets/scripts/reference/changepoint_spa.py`): with `exponent = 1`,
/// `min_size = 1` (SPA has no minimum segment size), the same `permutations` and `p_value` and
/// [`PValueRule::Spa`], the sequence of best splits and their statistics `T` are the same (ties
/// go to the first maximum, within a segment and across segments in position order, as SPA's
/// `argmax`/`max`). Departures, all deliberate:
/// - the default p-value is [`PValueRule::AddOne`], `(1 + b)/(1 + P)` as R's `ecp` (SPA's
///   `b/(1 + P)` can be 0 and is slightly liberal);
/// - permutations come from the seeded [`Rng`], not numpy's global RNG, so p-values are equal
///   only in distribution, and a split whose p-value is near `p_value` can be accepted by one and
///   rejected by the other;
/// - segments are at least `min_size` long (default 5; SPA: 1), which also restricts the
///   permuted statistics to the same splits;
/// - `exponent` α ∈ (0, 2] (SPA: α = 1 only);
/// - no n×n distance matrix is stored: memory is O(n) (SPA: O(n²)), and for α = 1 each curve
///   costs O(n log n) (SPA: O(n²)).
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 values, [`Error::NonFinite`],
/// [`Error::InvalidArgument`] for an exponent outside (0, 2], `p_value` outside (0, 1), or 0
/// permutations.
pub fn e_divisive(x: &[f64], options: &EDivisiveOptions) -> Result<EDivisive> {
    e_divisive_with(x, options, &crate::progress::Silent)
}

/// Largest `permutations` accepted (per test): each costs a full search of every segment, and
/// the random streams are distinct only below 2³².
pub const MAX_PERMUTATIONS: usize = 1_000_000;

/// [`e_divisive`], reporting each test's permutations to (and cancellable by) `progress`.
///
/// # Errors
/// As [`e_divisive`], [`Error::InvalidArgument`] above [`MAX_PERMUTATIONS`], and
/// [`Error::Cancelled`] when `progress` stops the run.
pub fn e_divisive_with(
    x: &[f64],
    options: &EDivisiveOptions,
    progress: &dyn crate::progress::Progress,
) -> Result<EDivisive> {
    crate::stats::check::sample("values", x, 2)?;
    check_exponent(options.exponent)?;
    crate::stats::check::probability("p_value", options.p_value)?;
    crate::progress::check_count(
        "permutations",
        options.permutations,
        MAX_PERMUTATIONS,
        "each permutation re-runs the search",
    )?;
    let m = options.min_size.max(1);
    let a = options.exponent;
    let mut found: Vec<EDivisiveChange> = Vec::new();
    let mut rejected = None;
    let mut bounds: Vec<usize> = vec![0, x.len()];
    // Best split per segment, by segment start.
    let mut memo: std::collections::HashMap<(usize, usize), Option<(usize, f64)>> =
        std::collections::HashMap::new();
    let mut scratch: Vec<f64> = Vec::with_capacity(x.len());
    for order in 0.. {
        let mut best: Option<(usize, f64)> = None;
        for w in bounds.windows(2) {
            let (s, e) = (w[0], w[1]);
            let cand = *memo
                .entry((s, e))
                .or_insert_with(|| best_split(&x[s..e], a, m).map(|(t, v)| (t + s, v)));
            if let Some((t, v)) = cand {
                if best.map_or(true, |(_, bv)| v > bv) {
                    best = Some((t, v));
                }
            }
        }
        let Some((tau, stat)) = best else { break };
        let mut exceed = 0usize;
        let mut steps = crate::progress::Sequential::new(progress, options.permutations as u64);
        for p in 0..options.permutations {
            steps.step()?;
            let mut rng = Rng::stream(options.seed, (order as u64) << 32 | p as u64);
            let mut perm_max = f64::NEG_INFINITY;
            for w in bounds.windows(2) {
                scratch.clear();
                scratch.extend_from_slice(&x[w[0]..w[1]]);
                rng.shuffle(&mut scratch);
                if let Some((_, v)) = best_split(&scratch, a, m) {
                    perm_max = perm_max.max(v);
                }
            }
            if perm_max >= stat {
                exceed += 1;
            }
        }
        steps.finish()?;
        let change = EDivisiveChange {
            index: tau,
            statistic: stat,
            p_value: options.p_value_rule.p_value(exceed, options.permutations),
            order,
        };
        if change.p_value > options.p_value {
            rejected = Some(change);
            break;
        }
        found.push(change);
        let pos = bounds.partition_point(|&b| b < tau);
        bounds.insert(pos, tau);
    }
    found.sort_by_key(|c| c.index);
    Ok(EDivisive {
        change_points: found,
        rejected,
        options: *options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values published in signal-processing-algorithms' tests/test_energy_statistics.py, checked
    /// there with `assert_almost_equal(decimal=3)`, i.e. |error| < 1.5e-3.
    #[test]
    fn energy_statistics_match_published_values() {
        let r = |a: i64, b: i64, s: usize| (a..b).step_by(s).map(|v| v as f64).collect::<Vec<_>>();
        let cases = [
            (r(1, 100, 1), r(1, 105, 1), [0.160, 8.136, 0.002]),
            (
                r(1, 100, 1),
                r(10000, 13000, 14),
                [21859.691, 1481794.709, 0.954],
            ),
            (
                r(1, 300, 1),
                r(1000, 5000, 10),
                [4257.009, 728381.015, 0.748],
            ),
            (r(300, 500, 1), r(400, 900, 11), [268.352, 10035.943, 0.532]),
        ];
        for (x, y, want) in cases {
            let s = energy_statistics(&x, &y, 1.0).unwrap_or_else(|e| panic!("{e}"));
            for (got, want) in [s.e, s.t, s.h].into_iter().zip(want) {
                assert!((got - want).abs() < 1.5e-3, "{got} vs {want}");
            }
        }
        let same = r(10, 70, 1);
        let s = energy_statistics(&same, &same, 1.0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.e, s.t, s.h), (0.0, 0.0, 0.0));
    }

    #[test]
    fn curve_matches_brute_force_for_both_paths() {
        let mut rng = Rng::new(4);
        let x: Vec<f64> = (0..40)
            .map(|i| rng.below(7) as f64 + if i > 25 { 3.0 } else { 0.0 })
            .collect();
        for alpha in [1.0, 0.5, 1.7] {
            let curve = statistic_curve(&x, alpha);
            let fast = statistic_curve(&x, alpha + 1e-300);
            for tau in 1..x.len() {
                let s = energy_statistics(&x[..tau], &x[tau..], alpha)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    (curve[tau] - s.t).abs() < 1e-9 * (1.0 + s.t.abs()),
                    "α={alpha} τ={tau}"
                );
                assert!((fast[tau] - s.t).abs() < 1e-9 * (1.0 + s.t.abs()));
            }
        }
    }

    #[test]
    fn finds_shifts_and_is_reproducible() {
        let mut rng = Rng::new(8);
        let x: Vec<f64> = (0..300)
            .map(|i| rng.normal() + if (100..200).contains(&i) { 2.5 } else { 0.0 })
            .collect();
        let o = EDivisiveOptions::default();
        let a = e_divisive(&x, &o).unwrap_or_else(|e| panic!("{e}"));
        // Both shifts are found (a third split may pass its own 5 % test).
        let idx: Vec<i64> = a.change_points.iter().map(|c| c.index as i64).collect();
        assert!(idx.iter().any(|&i| (i - 100).abs() <= 3), "{idx:?}");
        assert!(idx.iter().any(|&i| (i - 200).abs() <= 3), "{idx:?}");
        assert!(idx.len() <= 3, "{idx:?}");
        assert_eq!(a, e_divisive(&x, &o).unwrap_or_else(|e| panic!("{e}")));
        assert!(e_divisive(&[1.0], &o).is_err());
        assert!(e_divisive(&x, &EDivisiveOptions { exponent: 2.5, ..o }).is_err());
    }

    #[test]
    fn no_change_no_split() {
        let mut rng = Rng::new(10);
        let x: Vec<f64> = (0..300).map(|_| rng.normal()).collect();
        let a = e_divisive(&x, &EDivisiveOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(a.change_points.len() <= 1, "{:?}", a.change_points);
    }

    #[test]
    fn rejected_split_and_p_value_rules() {
        let mut rng = Rng::new(12);
        let x: Vec<f64> = (0..120)
            .map(|i| rng.normal() + if i >= 60 { 3.0 } else { 0.0 })
            .collect();
        let o = EDivisiveOptions::default();
        let a = e_divisive(&x, &o).unwrap_or_else(|e| panic!("{e}"));
        // The search stops at a non-significant split, reported with the next order.
        let r = a
            .rejected
            .clone()
            .unwrap_or_else(|| panic!("no rejected split"));
        assert!(r.p_value > o.p_value);
        assert_eq!(r.order, a.change_points.len());
        // Add-one p-values are at least 1/(1+P); SPA's are exactly 1/(1+P) smaller.
        let spa = EDivisiveOptions {
            p_value_rule: PValueRule::Spa,
            ..o
        };
        let b = e_divisive(&x, &spa).unwrap_or_else(|e| panic!("{e}"));
        let step = 1.0 / (1 + o.permutations) as f64;
        for (ca, cb) in a.change_points.iter().zip(&b.change_points) {
            assert!(ca.p_value >= step);
            assert_eq!((ca.index, ca.statistic), (cb.index, cb.statistic));
            assert!((ca.p_value - cb.p_value - step).abs() < 1e-15);
        }
        // Every split accepted: the search ends when no segment can be split (2 * min_size).
        let all = EDivisiveOptions {
            min_size: 20,
            p_value: 0.99,
            permutations: 1,
            p_value_rule: PValueRule::Spa,
            ..o
        };
        let c = e_divisive(&x, &all).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.rejected.is_none());
        let mut bounds = vec![0];
        bounds.extend(c.change_points.iter().map(|c| c.index));
        bounds.push(x.len());
        assert!(bounds.windows(2).all(|w| (20..40).contains(&(w[1] - w[0]))));
        assert_eq!("spa".parse::<PValueRule>().ok(), Some(PValueRule::Spa));
        assert!("x".parse::<PValueRule>().is_err());
    }
}
