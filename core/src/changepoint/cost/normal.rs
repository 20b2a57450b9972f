//! Gaussian change in mean and variance.

use super::{check_signal, mean, prefix, Cost, Units};
use crate::Result;

/// Gaussian log-likelihood with free mean and variance per segment.
///
/// ```text
/// C(a, b) = m · ln(σ̂²_{a:b} + ε),   m = b - a,   σ̂² = (1/m) Σ (x_i - x̄)²
/// ```
/// which is `-2 log L` minimised over (μ, σ²) minus the constant `m (1 + ln 2π)`. The bias ε
/// keeps truly constant segments finite: ruptures' `CostNormal` (v1.1.5+) adds `ε = 1e-6` in
/// absolute units; [`Normal::new`] instead uses `ε = 1e-6 · var(x)` so that the cost does not
/// depend on the unit of the metric (use [`Normal::with_bias`] for ruptures' exact value).
/// Superadditive by concavity of `ln`, so PELT stays exact. Minimum segment length 2.
#[derive(Debug, Clone)]
pub struct Normal {
    s1: Vec<f64>,
    s2: Vec<f64>,
    bias: f64,
}

impl Normal {
    /// Prepares the cost with the scale-relative bias `1e-6 · var(x)` (`1e-300` if constant).
    ///
    /// # Errors
    /// [`crate::Error::TooFewPoints`] for an empty signal, [`crate::Error::NonFinite`].
    pub fn new(x: &[f64]) -> Result<Self> {
        check_signal(x)?;
        let c = mean(x);
        let var = x.iter().map(|v| (v - c) * (v - c)).sum::<f64>() / x.len() as f64;
        Self::with_bias(x, (1e-6 * var).max(1e-300))
    }

    /// Prepares the cost with an explicit variance bias ε ≥ 0 (ruptures uses `1e-6`).
    ///
    /// # Errors
    /// As [`Normal::new`], and [`crate::Error::InvalidArgument`] for a negative or non-finite ε.
    pub fn with_bias(x: &[f64], bias: f64) -> Result<Self> {
        check_signal(x)?;
        if !(bias.is_finite() && bias >= 0.0) {
            return Err(crate::Error::invalid(
                "bias",
                format!("must be finite and >= 0, got {bias}"),
            ));
        }
        let c = mean(x);
        Ok(Normal {
            s1: prefix(x, |_, v| v - c),
            s2: prefix(x, |_, v| (v - c) * (v - c)),
            bias,
        })
    }
}

impl Cost for Normal {
    fn len(&self) -> usize {
        self.s1.len() - 1
    }

    #[inline]
    fn cost(&self, start: usize, end: usize) -> f64 {
        let m = (end - start) as f64;
        let s = self.s1[end] - self.s1[start];
        let var = ((self.s2[end] - self.s2[start]) / m - (s / m) * (s / m)).max(0.0);
        m * (var + self.bias).ln()
    }

    fn min_size(&self) -> usize {
        2
    }

    fn params_per_segment(&self) -> usize {
        2
    }

    fn units(&self) -> Units {
        Units::LogLikelihood
    }
}
