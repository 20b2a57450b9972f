//! Names chosen at the edge (method, pairing) and the options of [`super::compare`].

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::har::Estimator;
use super::location::Statistic;
use crate::stats::Alternative;
use crate::{Error, Result};

/// How the variance of the effect is estimated (chosen by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CompareMethod {
    /// The calibrated default; currently [`CompareMethod::Ewc`].
    #[default]
    Auto,
    /// Equal-weighted cosine long-run variance with a data-driven basis size, t reference.
    Ewc,
    /// Newey–West (Bartlett, automatic bandwidth, AR(1) prewhitening), normal reference.
    /// Over-rejects for strongly persistent series at n ≈ 500 (see the calibration test).
    NeweyWest,
    /// Treat points as independent (Welch / paired t). Only for comparison: on scraped metrics
    /// it gives many false alarms.
    Iid,
}

impl CompareMethod {
    /// The spelling accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            CompareMethod::Auto => "auto",
            CompareMethod::Ewc => "ewc",
            CompareMethod::NeweyWest => "newey-west",
            CompareMethod::Iid => "iid",
        }
    }

    pub(crate) fn estimator(self) -> Estimator {
        match self {
            CompareMethod::Auto | CompareMethod::Ewc => Estimator::Ewc,
            CompareMethod::NeweyWest => Estimator::NeweyWest,
            CompareMethod::Iid => Estimator::Iid,
        }
    }
}

impl fmt::Display for CompareMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CompareMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" | "default" => Ok(CompareMethod::Auto),
            "ewc" | "cosine" => Ok(CompareMethod::Ewc),
            "newey-west" | "hac" | "nw" => Ok(CompareMethod::NeweyWest),
            "iid" | "welch" | "naive" => Ok(CompareMethod::Iid),
            _ => Err(Error::UnknownName {
                kind: "compare method",
                value: s.to_string(),
                expected: "auto, ewc, newey-west, iid",
            }),
        }
    }
}

/// How timestamp-aligned (paired) samples are combined before testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pairing {
    /// Test the mean of `candidate_t − baseline_t`.
    Difference,
    /// Test the mean of `ln(candidate_t / baseline_t)` (all values must be positive); the
    /// relative effect is the geometric-mean ratio minus one.
    LogRatio,
}

impl Pairing {
    /// The spelling accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            Pairing::Difference => "difference",
            Pairing::LogRatio => "log-ratio",
        }
    }
}

impl FromStr for Pairing {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "difference" | "diff" => Ok(Pairing::Difference),
            "log-ratio" | "logratio" | "ratio" => Ok(Pairing::LogRatio),
            _ => Err(Error::UnknownName {
                kind: "pairing",
                value: s.to_string(),
                expected: "difference, log-ratio",
            }),
        }
    }
}

/// Options of [`compare`](super::compare).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompareOptions {
    /// Significance level; confidence intervals have level `1 − alpha`. Default 0.05.
    pub alpha: f64,
    /// Alternative, with `baseline` as the first sample as in `scipy.stats`: `less` means
    /// baseline < candidate (effect > 0), `greater` baseline > candidate.
    pub alternative: Alternative,
    /// `Some` for timestamp-aligned samples of equal length.
    pub paired: Option<Pairing>,
    /// Location compared: mean (default) or median.
    pub statistic: Statistic,
    /// Variance estimator; [`CompareMethod::Auto`] is the calibrated default.
    pub method: CompareMethod,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            alpha: 0.05,
            alternative: Alternative::TwoSided,
            paired: None,
            statistic: Statistic::Mean,
            method: CompareMethod::Auto,
        }
    }
}
