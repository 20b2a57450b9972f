//! Null distributions of the signed-rank statistic: the classical one (ranks 1..n, no ties)
//! and the exact conditional (permutation) one given tied midranks.
//!
//! Both are distributions of `S = Σ_i s_i w_i` with independent fair signs `s_i ∈ {0, 1}` and
//! integer weights `w_i` (ranks, or doubled midranks), built by the recurrence of
//! `scipy.stats._hypotests._get_wilcoxon_distr`:
//!
//! ```text
//! f_0 = δ_0,   f_i(s) = ½ f_{i−1}(s) + ½ f_{i−1}(s − w_i)
//! ```
//!
//! truncated to `s ≤ s_max` (the recurrence only looks backwards). For up to 53 weights every
//! value is a multiple of 2^−n below 1 and all sums are exact in f64, so p-values match scipy
//! bit for bit. Upper tails are taken by symmetry (`S ↦ W − S`, `W = Σ w_i`) from lower sums,
//! never as `1 − (sum near 1)`.

use crate::{Error, Result};

/// Largest number of inner steps (`Σ` weights × table length) we accept (about a second).
const MAX_WORK: u128 = 1 << 32;

/// `P(S ≤ k)` and `P(S ≥ k)` for `S = Σ s_i w_i` over independent fair signs.
pub(super) struct SignedSum {
    weights: Vec<u64>,
    total: u64,
}

impl SignedSum {
    /// Distribution of the sum of a random subset of `weights`.
    pub(super) fn new(weights: Vec<u64>) -> Self {
        let total = weights.iter().sum();
        SignedSum { weights, total }
    }

    /// Ranks `1..=n` (the classical no-ties null distribution of `r_plus`).
    pub(super) fn ranks(n: usize) -> Self {
        SignedSum::new((1..=n as u64).collect())
    }

    /// `P(S ≤ k)`; `k` may be negative.
    pub(super) fn cdf(&self, k: i128) -> Result<f64> {
        if k < 0 {
            return Ok(0.0);
        }
        let total = i128::from(self.total);
        if k >= total {
            return Ok(1.0);
        }
        if 2 * k <= total {
            self.lower(k as u64)
        } else {
            // P(S ≤ k) = 1 − P(S ≥ k + 1) = 1 − P(S ≤ W − k − 1); the subtracted sum is < ½.
            Ok(1.0 - self.lower((total - k - 1) as u64)?)
        }
    }

    /// `P(S ≥ k)`; by symmetry `P(S ≤ W − k)`.
    pub(super) fn sf(&self, k: i128) -> Result<f64> {
        self.cdf(i128::from(self.total) - k)
    }

    /// `Σ_{s ≤ k} P(S = s)` for `k ≤ W / 2`, summed from the table.
    fn lower(&self, k: u64) -> Result<f64> {
        let work = u128::from(k + 1) * self.weights.len() as u128;
        if work > MAX_WORK {
            return Err(Error::invalid(
                "method",
                format!(
                    "the exact signed-rank distribution for {} values is too large to \
                     tabulate; use method \"asymptotic\"",
                    self.weights.len()
                ),
            ));
        }
        let k = k as usize;
        let mut f = vec![0.0; k + 1];
        f[0] = 1.0;
        for &w in &self.weights {
            let w = w as usize;
            for s in (w..=k).rev() {
                f[s] = f[s] * 0.5 + f[s - w] * 0.5;
            }
            for v in f.iter_mut().take(w.min(k + 1)) {
                *v *= 0.5;
            }
        }
        Ok(f.iter().sum())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn n3_by_hand() {
        // Subsets of {1,2,3}: sums 0,1,2,3,3,4,5,6 → P(S ≤ 3) = 5/8, P(S ≥ 5) = 2/8.
        let d = SignedSum::ranks(3);
        assert_eq!(d.cdf(3).unwrap(), 0.625);
        assert_eq!(d.sf(5).unwrap(), 0.25);
        assert_eq!(d.cdf(-1).unwrap(), 0.0);
        assert_eq!(d.sf(0).unwrap(), 1.0);
        assert_eq!(d.cdf(6).unwrap(), 1.0);
        assert_eq!(d.cdf(4).unwrap(), 0.75);
    }

    #[test]
    fn refuses_huge_tables() {
        let d = SignedSum::ranks(100_000);
        assert!(d.cdf(1_000_000_000).is_err());
    }
}
