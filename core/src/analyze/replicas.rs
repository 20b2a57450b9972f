//! Between-replica variance of persistent level offsets, pooled across the metrics of one
//! report by empirical Bayes, and the widening of each level interval by it.
//!
//! Two replicas of one release never run at exactly the same level (instance type, placement,
//! cache state): that offset is not a release effect, so the level comparison carries its
//! variance τ² (of one replica's log-level offset). Each metric sees it only through its A/A
//! pairs — with two replicas per release, 2 degrees of freedom — far too few to estimate τ²
//! alone. Metrics of one experiment share the instances, so their τ² are pooled, as much as
//! the data say they agree:
//!
//! ```text
//! per A/A pair k of metric m:  u_mk = (d_mk² − se_mk²) / 2,   E[u_mk] = τ_m²
//!                              Var(u_mk) ≈ (2τ² + se_mk²)² / 2      (d normal)
//! per metric:   τ̂_m² = mean_k u_mk,   V_m = Var(τ̂_m²) at τ̄²,   df_m = Σ_releases (replicas − 1)
//! pooled:       τ̄² = max(0, mean_m τ̂_m²)
//! spread:       ω² = max(0, var_m(τ̂_m²) − mean_m V_m)         (true τ² across metrics)
//! moderated:    τ̃_m² = max(0, τ̄² + B_m (τ̂_m² − τ̄²)),  B_m = ω² / (ω² + V_m)
//!               with df_m / B_m degrees of freedom (at most Σ df_m)
//! ```
//!
//! The pooled value and the spread are unweighted moment estimates, as in DerSimonian & Laird
//! (1986) but without precision weights: V_m grows as se_m⁴, so precision weights would let the
//! quietest metric set τ̄² for all. The shrinkage B_m is Efron & Morris's (1975) and the degrees
//! of freedom follow Smyth's moderated variances (2004: prior df d₀ = df_m (1 − B_m)/B_m,
//! posterior df d₀ + df_m). When the metrics disagree (ω² large against V_m), B_m → 1 and each
//! metric keeps its own estimate; when they agree, all share τ̄² with the pooled degrees of
//! freedom. As with any empirical-Bayes interval, coverage is nominal on average over the
//! metrics, slightly under for a metric whose true τ² is well above the others'. The interval
//! is then widened by Welch–Satterthwaite ([`widen_for_replicas`]).

use super::estimate::{widen_for_replicas, Aspect};
use super::group::Outcome;

/// What a metric's A/A pairs say about τ².
#[derive(Debug, Clone, Default)]
pub struct ReplicaPairs {
    /// Per A/A pair: (mean log-ratio d, its sampling standard error).
    pub pairs: Vec<(f64, f64)>,
    /// Degrees of freedom: Σ over releases of (replicas − 1).
    pub df: f64,
    /// Baseline and candidate replica counts.
    pub replicas: (usize, usize),
}

impl ReplicaPairs {
    /// Collects the log-ratio A/A pairs of both releases (`None` without any).
    pub fn from_aa(per_release: &[&[Aspect]], replicas: (usize, usize)) -> Option<ReplicaPairs> {
        let mut out = ReplicaPairs {
            replicas,
            ..ReplicaPairs::default()
        };
        for (pairs, n) in per_release.iter().zip([replicas.0, replicas.1]) {
            let before = out.pairs.len();
            for a in pairs.iter().filter(|a| a.log_ratio) {
                if let (Some(rel), Some((se, _))) = (a.effect.relative, a.t_scale) {
                    let d = rel.ln_1p();
                    if d.is_finite() && se.is_finite() {
                        out.pairs.push((d, se));
                    }
                }
            }
            if out.pairs.len() > before {
                out.df += n.saturating_sub(1).max(1) as f64;
            }
        }
        (!out.pairs.is_empty()).then_some(out)
    }

    /// τ̂² = mean of (d² − se²)/2, not truncated.
    fn tau2(&self) -> f64 {
        self.pairs
            .iter()
            .map(|(d, se)| (d * d - se * se) / 2.0)
            .sum::<f64>()
            / self.pairs.len() as f64
    }

    /// Sampling variance of [`Self::tau2`] at a given τ².
    fn variance(&self, tau2: f64) -> f64 {
        let k = self.pairs.len() as f64;
        self.pairs
            .iter()
            .map(|(_, se)| (2.0 * tau2 + se * se).powi(2) / 2.0)
            .sum::<f64>()
            / (k * k)
    }
}

/// Moderated τ̃² and its degrees of freedom for every entry (see the module doc).
pub fn moderate(all: &[&ReplicaPairs]) -> Vec<(f64, f64)> {
    let est: Vec<f64> = all.iter().map(|r| r.tau2()).collect();
    let total_df: f64 = all.iter().map(|r| r.df).sum();
    let m = all.len();
    // Pooled τ̄² and the spread of the metrics' true τ² by unweighted moments: precision
    // weights (1/V_m ∝ 1/se⁴) would let the quietest metric decide for all.
    let pooled = (est.iter().sum::<f64>() / m as f64).max(0.0);
    let spread = if m >= 2 {
        let var_est = est.iter().map(|t| (t - pooled).powi(2)).sum::<f64>() / (m as f64 - 1.0);
        let mean_v = all.iter().map(|r| r.variance(pooled)).sum::<f64>() / m as f64;
        (var_est - mean_v).max(0.0)
    } else {
        0.0
    };
    all.iter()
        .zip(&est)
        .map(|(r, &t)| {
            let v = r.variance(pooled);
            let b = if spread > 0.0 {
                spread / (spread + v)
            } else {
                0.0
            };
            let tau2 = (pooled + b * (t - pooled)).max(0.0);
            let df = if b > 0.0 {
                (r.df / b).min(total_df)
            } else {
                total_df
            };
            (tau2, df.max(r.df))
        })
        .collect()
}

/// Widens every log-ratio level interval by its moderated between-replica variance.
pub fn widen_all(outcomes: &mut [Outcome], alpha: f64) {
    let idx: Vec<usize> = (0..outcomes.len())
        .filter(|&i| outcomes[i].replicas.is_some() && outcomes[i].level.is_some())
        .collect();
    if idx.is_empty() {
        return;
    }
    let reps: Vec<&ReplicaPairs> = idx
        .iter()
        .filter_map(|&i| outcomes[i].replicas.as_ref())
        .collect();
    let moderated = moderate(&reps);
    for (&i, (tau2, df)) in idx.iter().zip(moderated) {
        let (nb, nc) = outcomes[i].replicas.as_ref().map_or((1, 1), |r| r.replicas);
        if let Some(a) = outcomes[i].level.as_mut() {
            widen_for_replicas(a, tau2, df, nb, nc, alpha);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(d: &[f64], se: f64) -> ReplicaPairs {
        ReplicaPairs {
            pairs: d.iter().map(|&d| (d, se)).collect(),
            df: d.len() as f64,
            replicas: (2, 2),
        }
    }

    #[test]
    fn agreeing_metrics_share_the_pooled_variance_with_pooled_df() {
        // Every metric's τ̂² is the same: no spread, full pooling, df = Σ df.
        let a = pairs(&[0.02, -0.02], 0.01);
        let b = pairs(&[0.02, -0.02], 0.01);
        let c = pairs(&[0.02, -0.02], 0.01);
        let out = moderate(&[&a, &b, &c]);
        let want = (0.02f64 * 0.02 - 0.01 * 0.01) / 2.0;
        for (t, df) in out {
            assert!((t - want).abs() < 1e-15, "{t}");
            assert_eq!(df, 6.0);
        }
    }

    #[test]
    fn a_metric_far_from_the_others_keeps_most_of_its_own_estimate() {
        let quiet: Vec<ReplicaPairs> = (0..8).map(|_| pairs(&[0.001, -0.001], 0.001)).collect();
        let loud = pairs(&[0.2, -0.2], 0.001);
        let mut all: Vec<&ReplicaPairs> = quiet.iter().collect();
        all.push(&loud);
        let out = moderate(&all);
        let own = (0.04 - 1e-6) / 2.0;
        let (t, df) = out[8];
        assert!(t > 0.5 * own && t <= own * 1.0001, "{t} vs {own}");
        assert!(df < 6.0, "{df}");
        // The quiet ones are not pulled up to the loud one's level.
        assert!(out[0].0 < 0.05 * own, "{}", out[0].0);
    }

    #[test]
    fn moment_spread_and_shrinkage_match_a_hand_computation() {
        // Two metrics, one pair each, se = 0: V_m = (2τ̄²)²/2.
        let a = pairs(&[0.1], 0.0);
        let b = pairs(&[0.3], 0.0);
        let (ta, tb): (f64, f64) = (0.01 / 2.0, 0.09 / 2.0);
        let pooled = (ta + tb) / 2.0;
        let v = (2.0 * pooled).powi(2) / 2.0;
        let var_est = (ta - pooled).powi(2) + (tb - pooled).powi(2);
        let spread = (var_est - v).max(0.0);
        let shrink = spread / (spread + v);
        let out = moderate(&[&a, &b]);
        assert!((out[0].0 - (pooled + shrink * (ta - pooled)).max(0.0)).abs() < 1e-15);
        assert!((out[1].0 - (pooled + shrink * (tb - pooled)).max(0.0)).abs() < 1e-15);
        let df = if shrink > 0.0 {
            (1.0 / shrink).min(2.0)
        } else {
            2.0
        };
        assert_eq!(out[0].1, df.max(1.0));
    }
}
