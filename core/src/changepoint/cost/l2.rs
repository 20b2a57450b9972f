//! Gaussian change in mean (known variance): the L2 cost.

use super::{check_signal, mean, Cost, Units};
use crate::Result;

/// Sum of squared deviations from the segment mean.
///
/// ```text
/// C(a, b) = Σ_{a<=i<b} (x_i - x̄_{a:b})²  =  S2(a,b) - S1(a,b)² / (b - a)
/// ```
/// with prefix sums `S1`, `S2` of the signal centred by its global mean (which keeps the
/// subtraction well conditioned for metrics with a large level and a small noise). Equals
/// `σ² · (-2 log L)` of a Gaussian with known σ and free mean, up to a constant; mirrors ruptures'
/// `CostL2` (`signal[a:b].var() * (b - a)`). Negative round-off is clamped to 0.
#[derive(Debug, Clone)]
pub struct L2 {
    s1: Vec<f64>,
    s2: Vec<f64>,
}

impl L2 {
    /// Prepares the prefix sums of `x`.
    ///
    /// # Errors
    /// [`crate::Error::TooFewPoints`] for an empty signal, [`crate::Error::NonFinite`].
    pub fn new(x: &[f64]) -> Result<Self> {
        check_signal(x)?;
        let c = mean(x);
        // Both prefix sums in one pass (the same sums as two `prefix` passes).
        let (mut s1, mut s2) = (
            Vec::with_capacity(x.len() + 1),
            Vec::with_capacity(x.len() + 1),
        );
        let (mut a1, mut a2) = (0.0, 0.0);
        s1.push(a1);
        s2.push(a2);
        for &v in x {
            let d = v - c;
            a1 += d;
            a2 += d * d;
            s1.push(a1);
            s2.push(a2);
        }
        Ok(L2 { s1, s2 })
    }
}

impl L2 {
    /// The prefix sums `(S1(k), S2(k))` of the centred values over `[0, k)` (used by
    /// functional pruning).
    #[inline]
    pub(crate) fn prefix_sums(&self, k: usize) -> (f64, f64) {
        (self.s1[k], self.s2[k])
    }
}

impl Cost for L2 {
    fn len(&self) -> usize {
        self.s1.len() - 1
    }

    #[inline]
    fn cost(&self, start: usize, end: usize) -> f64 {
        let m = (end - start) as f64;
        let s = self.s1[end] - self.s1[start];
        let c = self.s2[end] - self.s2[start] - s * s / m;
        c.max(0.0)
    }

    fn units(&self) -> Units {
        Units::SumOfSquares
    }
}
