//! Poisson rate of counts.

use super::{check_signal, prefix, Cost, Units};
use crate::{Error, Result};

/// Poisson log-likelihood with a free rate per segment.
///
/// ```text
/// C(a, b) = 2 (S - S ln(S / m)),   S = Σ_{a<=i<b} x_i,  m = b - a   (0 when S = 0)
/// ```
/// which is `-2 log L` minimised over the rate λ̂ = S/m, minus the constant `2 Σ ln x_i!`.
/// As in changepoint's `cpt.meanvar(test.stat = "Poisson")`. Values must be ≥ 0 (counts; non
/// integers are accepted and treated by the same formula).
#[derive(Debug, Clone)]
pub struct Poisson {
    s: Vec<f64>,
}

impl Poisson {
    /// Prepares the prefix sums of the counts `x`.
    ///
    /// # Errors
    /// [`Error::TooFewPoints`], [`Error::NonFinite`], and [`Error::InvalidArgument`] for a
    /// negative value.
    pub fn new(x: &[f64]) -> Result<Self> {
        check_signal(x)?;
        if let Some(i) = x.iter().position(|&v| v < 0.0) {
            return Err(Error::invalid(
                "signal",
                format!(
                    "the Poisson cost needs counts >= 0; value at index {i} is {}",
                    x[i]
                ),
            ));
        }
        Ok(Poisson {
            s: prefix(x, |_, v| v),
        })
    }
}

impl Poisson {
    /// Sum of the counts over `[start, end)` (used by functional pruning).
    #[inline]
    pub(crate) fn sum(&self, start: usize, end: usize) -> f64 {
        self.s[end] - self.s[start]
    }
}

impl Cost for Poisson {
    fn len(&self) -> usize {
        self.s.len() - 1
    }

    #[inline]
    fn cost(&self, start: usize, end: usize) -> f64 {
        let m = (end - start) as f64;
        let s = self.s[end] - self.s[start];
        if s <= 0.0 {
            0.0
        } else {
            2.0 * (s - s * (s / m).ln())
        }
    }

    fn units(&self) -> Units {
        Units::LogLikelihood
    }
}
