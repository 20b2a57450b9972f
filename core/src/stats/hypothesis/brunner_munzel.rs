//! Brunner–Munzel test of stochastic equality, `P(X < Y) + ½ P(X = Y) = ½`.
//!
//! Mirrors `scipy.stats.brunnermunzel(x, y, alternative, distribution)` (scipy 1.17). Unlike
//! Mann–Whitney it does not assume equal variances or shapes (it is the rank analogue of Welch's
//! test), so it stays valid when a release changes the spread of a metric.
//!
//! ```text
//! R_i  = midranks in the pooled sample,  R⁽ˣ⁾_i, R⁽ʸ⁾_j = midranks within each sample
//! S²_x = Σ (R_i - R⁽ˣ⁾_i - R̄_x + (n_x+1)/2)² / (n_x - 1)        (S²_y likewise)
//! W    = n_x n_y (R̄_y - R̄_x) / ((n_x + n_y) √(n_x S²_x + n_y S²_y))
//! df   = (n_x S²_x + n_y S²_y)² / ((n_x S²_x)²/(n_x-1) + (n_y S²_y)²/(n_y-1))
//! p̂    = (R̄_y - (n_y+1)/2) / n_x  =  P(X < Y) + ½ P(X = Y)
//! p    = D.cdf(-W) (less), D.sf(-W) (greater), 2 D.sf(|W|) (two-sided);  D = t_df or N(0, 1)
//! ```
//! As in scipy, the p-value is evaluated at `-W`, so `less` ("x is stochastically smaller") is supported by *large*
//! `W`, i.e. y ranks higher.
//!
//! Reference: E. Brunner, U. Munzel (2000), "The nonparametric Behrens–Fisher problem:
//! asymptotic theory and a small-sample approximation", Biometrical Journal 42, 17–25.
//!
//! Degenerate cases (scipy returns NaN or ±∞ with a warning; here):
//! - every value in `x ∪ y` equal: `W = 0/0` → [`Error::Constant`].
//! - `S²_x = S²_y = 0` but the samples differ — complete separation, e.g. `x = [1, 2]`,
//!   `y = [3, 4]`: `W = ±∞`. scipy gives `p = NaN` for the t distribution (df = 0/0) and
//!   0 or 1 for the normal. Here `W = ±∞`, `df = NaN` and the p-value is its limit for any df:
//!   0 in the direction of the separation (two-sided 0), 1 against it. Callers that must not
//!   trust tiny samples should look at the sizes; a permutation test is the exact alternative.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use crate::stats::check;
use crate::stats::common::Alternative;
use crate::stats::dist::{norm_sf, t_sf};
use crate::{Error, Result};

/// Reference distribution of the Brunner–Munzel statistic (scipy's `distribution=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BmDistribution {
    /// Student t with Satterthwaite-type df (`"t"`, scipy's default; for small samples).
    #[default]
    T,
    /// Standard normal (`"normal"`).
    Normal,
}

impl BmDistribution {
    /// The spelling accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            BmDistribution::T => "t",
            BmDistribution::Normal => "normal",
        }
    }
}

impl fmt::Display for BmDistribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BmDistribution {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "t" => Ok(BmDistribution::T),
            "normal" => Ok(BmDistribution::Normal),
            _ => Err(Error::UnknownName {
                kind: "distribution",
                value: s.to_string(),
                expected: "t, normal",
            }),
        }
    }
}

/// Result of [`brunner_munzel`].
#[derive(Debug, Clone, Serialize)]
pub struct BrunnerMunzel {
    /// The statistic `W` (positive when y ranks higher than x); ±∞ under complete separation.
    pub statistic: f64,
    /// The p-value for `alternative`.
    pub p_value: f64,
    /// Degrees of freedom of the t approximation (NaN under complete separation; reported
    /// also when `distribution` is normal).
    pub df: f64,
    /// `P(X < Y) + ½ P(X = Y)`, estimated from the ranks.
    pub estimate: f64,
    /// The alternative tested.
    pub alternative: Alternative,
    /// The reference distribution used.
    pub distribution: BmDistribution,
}

/// Midranks through the crate's sort-once radix ranker (inputs are already checked finite).
fn midranks(x: &[f64]) -> Result<Vec<f64>> {
    Ok(crate::stats::rank::midranks(x)?.ranks)
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Brunner–Munzel test (see the module docs for formulas and degenerate cases).
///
/// # Errors
/// [`Error::TooFewPoints`] (fewer than 2 values in a sample), [`Error::NonFinite`],
/// [`Error::Constant`] (all values of both samples equal).
pub fn brunner_munzel(
    x: &[f64],
    y: &[f64],
    alternative: Alternative,
    distribution: BmDistribution,
) -> Result<BrunnerMunzel> {
    check::sample("x", x, 2)?;
    check::sample("y", y, 2)?;
    let (nx, ny) = (x.len(), y.len());
    let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
    if pooled.iter().all(|&v| v == pooled[0]) {
        return Err(Error::Constant {
            what: "x and y",
            value: pooled[0],
            why: "the Brunner-Munzel statistic is 0/0 when every value is tied",
        });
    }
    let rc = midranks(&pooled)?;
    let (rcx, rcy) = rc.split_at(nx);
    let rx = midranks(x)?;
    let ry = midranks(y)?;
    let (mcx, mcy) = (mean(rcx), mean(rcy));
    let (mx, my) = ((nx as f64 + 1.0) / 2.0, (ny as f64 + 1.0) / 2.0);
    let s2 = |rc: &[f64], r: &[f64], mc: f64, m: f64| -> f64 {
        let ss: f64 = rc
            .iter()
            .zip(r)
            .map(|(a, b)| {
                let t = a - b - mc + m;
                t * t
            })
            .sum();
        ss / (r.len() as f64 - 1.0)
    };
    let sx = s2(rcx, &rx, mcx, mx);
    let sy = s2(rcy, &ry, mcy, my);
    let (nxf, nyf) = (nx as f64, ny as f64);
    let v = nxf * sx + nyf * sy;
    let statistic = nxf * nyf * (mcy - mcx) / ((nxf + nyf) * v.sqrt());
    let df_denom = (nxf * sx).powi(2) / (nxf - 1.0) + (nyf * sy).powi(2) / (nyf - 1.0);
    let df = if df_denom > 0.0 {
        v * v / df_denom
    } else {
        f64::NAN
    };
    let sf = |w: f64| -> f64 {
        if w.is_infinite() {
            return if w > 0.0 { 0.0 } else { 1.0 };
        }
        match distribution {
            BmDistribution::T => t_sf(w, df),
            BmDistribution::Normal => norm_sf(w),
        }
    };
    // scipy: _get_pvalue(-W, D, alternative)
    let p_value = match alternative {
        Alternative::TwoSided => 2.0 * sf(statistic.abs()),
        Alternative::Less => sf(statistic),
        Alternative::Greater => sf(-statistic),
    };
    Ok(BrunnerMunzel {
        statistic,
        p_value: p_value.min(1.0),
        df,
        estimate: (mcy - my) / nxf,
        alternative,
        distribution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midranks_average_ties() {
        assert_eq!(
            midranks(&[3.0, 1.0, 3.0, 2.0]).expect("finite input"),
            vec![3.5, 1.0, 3.5, 2.0]
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let (a, d) = (Alternative::TwoSided, BmDistribution::T);
        assert!(matches!(
            brunner_munzel(&[1.0], &[1.0, 2.0], a, d),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            brunner_munzel(&[], &[1.0, 2.0], a, d),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            brunner_munzel(&[1.0, f64::NAN], &[1.0, 2.0], a, d),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            brunner_munzel(&[2.0, 2.0], &[2.0, 2.0, 2.0], a, d),
            Err(Error::Constant { .. })
        ));
        assert!("student".parse::<BmDistribution>().is_err());
        assert_eq!(
            "Normal".parse::<BmDistribution>().ok(),
            Some(BmDistribution::Normal)
        );
    }

    #[test]
    fn complete_separation_is_a_limit() {
        let r = brunner_munzel(
            &[1.0, 2.0],
            &[3.0, 4.0],
            Alternative::Less,
            BmDistribution::T,
        );
        assert!(r.is_ok_and(|r| r.statistic == f64::INFINITY
            && r.p_value == 0.0
            && r.estimate == 1.0
            && r.df.is_nan()));
        let r = brunner_munzel(
            &[1.0, 2.0],
            &[3.0, 4.0],
            Alternative::Greater,
            BmDistribution::Normal,
        );
        assert!(r.is_ok_and(|r| r.p_value == 1.0));
    }
}
