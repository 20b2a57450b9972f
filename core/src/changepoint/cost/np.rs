//! Nonparametric empirical-distribution cost (changepoint.np).

use super::{check_signal, Cost, Units};
use crate::{Error, Result};

/// Default number of quantiles, as changepoint.np's `nquantiles` is usually set (10).
pub const DEFAULT_QUANTILES: usize = 10;

/// Empirical-distribution cost of Haynes, Fearnhead & Eckley (2017), "A computationally efficient
/// nonparametric approach for changepoint detection", Statistics and Computing 27:1293–1305; the
/// cost of R's `changepoint.np::cpt.np`.
///
/// ```text
/// c = -ln(2n - 1),  p_k = 1 / (1 + (2n - 1) exp(c (2k - 1) / K)),  t_k = Q_x(p_k)   k = 1..K
/// F_k(a, b) = (#{x_i < t_k} + ½ #{x_i = t_k}) / m     over a <= i < b,  m = b - a
/// C(a, b) = (2 ln(2n - 1) / K) Σ_k m · H(F_k),    H(F) = -F ln F - (1 - F) ln(1 - F)
/// ```
/// `t_k` are quantiles of the whole signal (type 7, R's default). The cost is in `-2 log L`
/// units (scale free) and superadditive (H is concave). Queries cost O(K), memory K·n.
#[derive(Debug, Clone)]
pub struct Np {
    /// Per quantile: prefix sums of `2·[x < t] + [x = t]` (so integers), length n + 1.
    counts: Vec<Vec<u32>>,
    factor: f64,
}

impl Np {
    /// Prepares the cost with [`DEFAULT_QUANTILES`] quantiles.
    ///
    /// # Errors
    /// [`Error::TooFewPoints`] for an empty signal, [`Error::NonFinite`].
    pub fn new(x: &[f64]) -> Result<Self> {
        Self::with_quantiles(x, DEFAULT_QUANTILES)
    }

    /// Prepares the cost with `k >= 1` quantiles.
    ///
    /// # Errors
    /// As [`Np::new`], and [`Error::InvalidArgument`] for `k = 0`.
    pub fn with_quantiles(x: &[f64], k: usize) -> Result<Self> {
        check_signal(x)?;
        if k == 0 {
            return Err(Error::invalid("quantiles", "must be at least 1"));
        }
        let n = x.len();
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        let two_n1 = (2 * n - 1) as f64;
        let c = -two_n1.ln();
        let kf = k as f64;
        let counts = (1..=k)
            .map(|j| {
                let p = 1.0 / (1.0 + two_n1 * (c * (2 * j - 1) as f64 / kf).exp());
                let t = quantile7(&sorted, p);
                let mut acc = 0u32;
                let mut v = Vec::with_capacity(n + 1);
                v.push(0);
                for &xi in x {
                    acc += if xi < t {
                        2
                    } else if xi == t {
                        1
                    } else {
                        0
                    };
                    v.push(acc);
                }
                v
            })
            .collect();
        Ok(Np {
            counts,
            factor: 2.0 * two_n1.ln() / kf,
        })
    }
}

/// Quantile of sorted data, linear interpolation between order statistics (R type 7).
fn quantile7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

impl Cost for Np {
    fn len(&self) -> usize {
        self.counts.first().map_or(0, |c| c.len() - 1)
    }

    fn cost(&self, start: usize, end: usize) -> f64 {
        let m = (end - start) as f64;
        let mut total = 0.0;
        for c in &self.counts {
            let f = (c[end] - c[start]) as f64 / (2.0 * m);
            if f > 0.0 && f < 1.0 {
                total -= m * (f * f.ln() + (1.0 - f) * (1.0 - f).ln());
            }
        }
        self.factor * total
    }

    fn units(&self) -> Units {
        Units::LogLikelihood
    }
}
