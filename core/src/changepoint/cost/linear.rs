//! Piecewise linear: slope and intercept per segment.

use super::{check_signal, mean, prefix, Cost};
use crate::Result;

/// Residual sum of squares of a least-squares line `x_i ≈ α + β i` fitted to each segment, so a
/// leak (steady growth) reads as one trend segment rather than a staircase of steps.
///
/// ```text
/// C(a, b) = Syy - Sty² / Stt,   m = b - a
/// Stt = Σ (i - ī)² = m (m² - 1) / 12
/// Sty = Σ (i - ī)(x_i - x̄),  Syy = Σ (x_i - x̄)²     (from prefix sums of x, x², i·x)
/// ```
/// Mirrors ruptures' `CostLinear` with covariates `[1, i]` (`np.linalg.lstsq` residuals; 0 for
/// `m = 2`). The signal is centred and the index shifted by `n/2` before the prefix sums to limit
/// cancellation; relative accuracy degrades like `n² ε` for very long signals. Minimum length 2.
#[derive(Debug, Clone)]
pub struct Linear {
    s1: Vec<f64>,
    s2: Vec<f64>,
    st: Vec<f64>,
    shift: f64,
}

impl Linear {
    /// Prepares the prefix sums.
    ///
    /// # Errors
    /// [`crate::Error::TooFewPoints`] for an empty signal, [`crate::Error::NonFinite`].
    pub fn new(x: &[f64]) -> Result<Self> {
        check_signal(x)?;
        let c = mean(x);
        let shift = (x.len() / 2) as f64;
        Ok(Linear {
            s1: prefix(x, |_, v| v - c),
            s2: prefix(x, |_, v| (v - c) * (v - c)),
            st: prefix(x, |i, v| (i as f64 - shift) * (v - c)),
            shift,
        })
    }
}

impl Cost for Linear {
    fn len(&self) -> usize {
        self.s1.len() - 1
    }

    #[inline]
    fn cost(&self, start: usize, end: usize) -> f64 {
        let m = (end - start) as f64;
        if end - start <= 2 {
            return 0.0;
        }
        let sy = self.s1[end] - self.s1[start];
        let syy = self.s2[end] - self.s2[start] - sy * sy / m;
        // Mean of the shifted index over the segment.
        let tbar = (start + end - 1) as f64 / 2.0 - self.shift;
        let sty = self.st[end] - self.st[start] - tbar * sy;
        let stt = m * (m * m - 1.0) / 12.0;
        (syy - sty * sty / stt).max(0.0)
    }

    fn min_size(&self) -> usize {
        2
    }

    fn params_per_segment(&self) -> usize {
        2
    }
}
