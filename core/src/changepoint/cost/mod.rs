//! Segment costs: the model a segment is fitted with.
//!
//! A cost is built once from the signal (prefix sums or an equivalent index), so it is never
//! "unfitted"; a query [`Cost::cost`] covers the half-open segment `[start, end)` and runs in
//! O(1) (O(K) for [`Np`], O(log n) for [`L1`]). Every cost is (up to a constant per sample) twice
//! a negative log-likelihood minimised over the segment's parameters, so costs are
//! superadditive (`C(a, c) >= C(a, b) + C(b, c)`) and PELT's pruning is exact for all of them.
//!
//! Costs agree with ruptures' `CostL2`, `CostNormal`, `CostL1` and `CostLinear` (with
//! covariates `[1, t]`); see each type for the formula.

mod biweight;
mod l1;
mod l2;
mod l2multi;
pub(crate) mod linear;
mod normal;
mod np;
mod poisson;

use std::fmt;
use std::str::FromStr;

pub use biweight::{robust_sigma, winsorise, Biweight, BIWEIGHT_K};
pub use l1::L1;
pub use l2::L2;
pub(crate) use l2multi::check_columns;
pub use l2multi::L2Multi;
pub use linear::Linear;
pub(crate) use linear::{Kept, KeptCosts};
pub use normal::Normal;
pub use np::Np;
pub use poisson::Poisson;

use crate::{Error, Result};

/// How the cost's units relate to a noise scale σ, so that a penalty expressed in units of
/// `-2 log L` can be converted into units of the cost (see [`Cost::penalty_scale`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Units {
    /// Sum of squares: `-2 log L = cost / σ²`, so penalties are multiplied by σ².
    SumOfSquares,
    /// Sum of absolute deviations (Laplace with scale `b = σ/√2`): penalties × `b / 2`.
    AbsoluteDeviation,
    /// Already `-2 log L` (scale free): penalties are used as they are.
    LogLikelihood,
}

/// A segment cost over a prepared signal.
pub trait Cost {
    /// Number of samples in the signal.
    fn len(&self) -> usize;

    /// `true` when the signal is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cost of the half-open segment `[start, end)`; callers guarantee
    /// `start + self.min_size() <= end <= self.len()`.
    fn cost(&self, start: usize, end: usize) -> f64;

    /// Smallest segment length for which the cost is meaningful (searches use
    /// `max(min_size, cost.min_size())`, as ruptures does).
    fn min_size(&self) -> usize {
        1
    }

    /// Parameters fitted per segment (1 for a mean, 2 for mean + variance or slope + intercept);
    /// used by the information-criterion penalties.
    fn params_per_segment(&self) -> usize {
        1
    }

    /// Units of the cost; see [`Units`].
    fn units(&self) -> Units {
        Units::SumOfSquares
    }

    /// Factor converting a penalty in `-2 log L` units into cost units, given the noise standard
    /// deviation `sigma` (ignored by scale-free costs).
    fn penalty_scale(&self, sigma: f64) -> f64 {
        match self.units() {
            Units::SumOfSquares => sigma * sigma,
            Units::AbsoluteDeviation => sigma / std::f64::consts::SQRT_2 / 2.0,
            Units::LogLikelihood => 1.0,
        }
    }

    /// Best single split of `[start, end)` into two segments of at least `m` samples each:
    /// `(gain, b)` maximising `C(start, end) - C(start, b) - C(b, end)`, ties to the largest `b`
    /// as ruptures' `Binseg` (`max` over `(gain, bkp)` tuples); `None` when no split fits.
    /// Binary segmentation's inner loop; a cost may override it with a faster scan that gives
    /// the same result.
    fn best_split(&self, start: usize, end: usize, m: usize) -> Option<(f64, usize)> {
        if end - start < m.saturating_mul(2) {
            return None;
        }
        let whole = self.cost(start, end);
        let mut best: Option<(f64, usize)> = None;
        for b in start + m..=end - m {
            let gain = whole - self.cost(start, b) - self.cost(b, end);
            if best.map_or(true, |(g, _)| gain >= g) {
                best = Some((gain, b));
            }
        }
        best
    }

    /// Sum of the costs of the segments delimited by `breakpoints` (0-based starts of new
    /// segments, strictly increasing, without 0 and `len`).
    fn sum_of_costs(&self, breakpoints: &[usize]) -> f64 {
        let mut start = 0;
        let mut total = 0.0;
        for &b in breakpoints.iter().chain(std::iter::once(&self.len())) {
            total += self.cost(start, b);
            start = b;
        }
        total
    }
}

/// The costs by name, as the CLI, Python and config spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// Gaussian change in mean, known variance: [`L2`] (`"l2"`).
    #[default]
    L2,
    /// Gaussian change in mean and variance: [`Normal`] (`"normal"`).
    Normal,
    /// Poisson rate of counts: [`Poisson`] (`"poisson"`).
    Poisson,
    /// Piecewise linear (slope + intercept): [`Linear`] (`"linear"`).
    Linear,
    /// Laplace / least absolute deviation around the median: [`L1`] (`"l1"`).
    L1,
    /// Nonparametric empirical distribution (changepoint.np): [`Np`] (`"np"`).
    Np,
    /// Change in mean with the bounded loss `min((x - μ)², (3σ̂)²)` (Fearnhead & Rigaill 2019),
    /// robust to spikes and stall windows: [`Biweight`] (`"biweight"`).
    Biweight,
    /// [`crate::changepoint::detect()`] only: chooses per series between the step (`l2`),
    /// step-with-drift (`decafs`) and piecewise-linear (`linear`) models (`"auto"`); see
    /// [`crate::changepoint::model`]. Not a segment cost: [`CostKind::build`] refuses it.
    Auto,
    /// [`crate::changepoint::detect()`] only: steps on a random-walk drift with AR(1) noise,
    /// [`crate::changepoint::decafs()`] (`"decafs"`). Not a segment cost.
    Decafs,
}

impl CostKind {
    /// Every kind, in documentation order.
    pub const ALL: [CostKind; 6] = [
        CostKind::L2,
        CostKind::Normal,
        CostKind::Poisson,
        CostKind::Linear,
        CostKind::L1,
        CostKind::Np,
    ];

    /// The name accepted by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            CostKind::L2 => "l2",
            CostKind::Normal => "normal",
            CostKind::Poisson => "poisson",
            CostKind::Linear => "linear",
            CostKind::L1 => "l1",
            CostKind::Np => "np",
            CostKind::Biweight => "biweight",
            CostKind::Auto => "auto",
            CostKind::Decafs => "decafs",
        }
    }

    /// Prepares the cost of this kind over `x`, with the default settings of each cost.
    ///
    /// # Errors
    /// [`Error::TooFewPoints`] for an empty signal, [`Error::NonFinite`] for NaN/±∞, and
    /// [`Error::InvalidArgument`] for negative values with the Poisson cost.
    pub fn build(self, x: &[f64]) -> Result<Box<dyn Cost + Send + Sync>> {
        Ok(match self {
            CostKind::L2 => Box::new(L2::new(x)?),
            CostKind::Normal => Box::new(Normal::new(x)?),
            CostKind::Poisson => Box::new(Poisson::new(x)?),
            CostKind::Linear => Box::new(Linear::new(x)?),
            CostKind::L1 => Box::new(L1::new(x)?),
            CostKind::Np => Box::new(Np::new(x)?),
            CostKind::Biweight => Box::new(Biweight::new(x)?),
            CostKind::Auto | CostKind::Decafs => {
                return Err(Error::invalid(
                    "cost",
                    format!(
                        "{self} is a model of detect, not a segment cost; use l2, normal, \
                         poisson, linear, l1, np or biweight"
                    ),
                ))
            }
        })
    }
}

impl fmt::Display for CostKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CostKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "l2" | "mean" => Ok(CostKind::L2),
            "normal" | "meanvar" => Ok(CostKind::Normal),
            "poisson" => Ok(CostKind::Poisson),
            "linear" | "trend" => Ok(CostKind::Linear),
            "l1" | "laplace" => Ok(CostKind::L1),
            "np" | "nonparametric" => Ok(CostKind::Np),
            "biweight" | "robust" | "outlier" => Ok(CostKind::Biweight),
            "auto" => Ok(CostKind::Auto),
            "decafs" | "drift" => Ok(CostKind::Decafs),
            _ => Err(Error::UnknownName {
                kind: "cost",
                value: s.to_string(),
                expected: "auto, l2, normal, poisson, linear, l1, np, biweight, decafs",
            }),
        }
    }
}

/// Validates a signal for a cost: non-empty and finite.
pub(crate) fn check_signal(x: &[f64]) -> Result<()> {
    crate::stats::check::sample("signal", x, 1)
}

/// Mean of `x` (the caller has checked it is non-empty); used to centre prefix sums.
pub(crate) fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Prefix sums `p[i] = sum(f(x[..i]))`, length `n + 1`.
pub(crate) fn prefix(x: &[f64], f: impl Fn(usize, f64) -> f64) -> Vec<f64> {
    let mut p = Vec::with_capacity(x.len() + 1);
    let mut acc = 0.0;
    p.push(acc);
    for (i, &v) in x.iter().enumerate() {
        acc += f(i, v);
        p.push(acc);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in CostKind::ALL {
            assert_eq!(kind.name().parse::<CostKind>().ok(), Some(kind));
        }
        assert_eq!(
            "biweight".parse::<CostKind>().ok(),
            Some(CostKind::Biweight)
        );
        assert!(matches!(
            "rbf".parse::<CostKind>(),
            Err(Error::UnknownName { .. })
        ));
    }

    #[test]
    fn bad_signals_are_errors() {
        for kind in CostKind::ALL {
            assert!(kind.build(&[]).is_err(), "{kind}: empty");
            assert!(kind.build(&[1.0, f64::NAN]).is_err(), "{kind}: NaN");
        }
        assert!(CostKind::Poisson.build(&[1.0, -1.0]).is_err());
    }

    /// Brute-force costs on a small signal, straight from the formulas.
    #[test]
    fn costs_match_direct_formulas() {
        let x = [1.0, 3.0, 2.0, 7.0, 5.0, 5.0, 0.5, 4.0];
        let seg = &x[2..7];
        let m = seg.len() as f64;
        let mu = seg.iter().sum::<f64>() / m;
        let ss: f64 = seg.iter().map(|v| (v - mu) * (v - mu)).sum();
        let l2 = L2::new(&x).unwrap_or_else(|e| panic!("{e}"));
        assert!((l2.cost(2, 7) - ss).abs() < 1e-12);
        let normal = Normal::with_bias(&x, 0.0).unwrap_or_else(|e| panic!("{e}"));
        assert!((normal.cost(2, 7) - m * (ss / m).ln()).abs() < 1e-12);
        let pois = Poisson::new(&x).unwrap_or_else(|e| panic!("{e}"));
        let s: f64 = seg.iter().sum();
        assert!((pois.cost(2, 7) - 2.0 * (s - s * (s / m).ln())).abs() < 1e-12);
        let l1 = L1::new(&x).unwrap_or_else(|e| panic!("{e}"));
        let mut sorted = seg.to_vec();
        sorted.sort_by(f64::total_cmp);
        let med = sorted[2];
        let lad: f64 = seg.iter().map(|v| (v - med).abs()).sum();
        assert!((l1.cost(2, 7) - lad).abs() < 1e-12);
        // Linear: a perfect line costs 0, and 3 points cost the squared residual.
        let line: Vec<f64> = (0..10).map(|i| 2.0 + 0.5 * i as f64).collect();
        let lin = Linear::new(&line).unwrap_or_else(|e| panic!("{e}"));
        assert!(lin.cost(0, 10).abs() < 1e-9);
        assert!(lin.cost(3, 8).abs() < 1e-9);
    }
}
