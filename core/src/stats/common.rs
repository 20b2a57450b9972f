//! Small types shared by every test: the alternative hypothesis and confidence intervals.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use crate::Error;

/// The alternative hypothesis of a two-sample test, with scipy's spellings.
///
/// `Less` means "the first sample (x, baseline) is stochastically smaller than the second";
/// `Greater` the reverse; as in `scipy.stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alternative {
    /// H1: the distributions (or locations) differ.
    #[default]
    TwoSided,
    /// H1: the first sample is smaller.
    Less,
    /// H1: the first sample is greater.
    Greater,
}

impl Alternative {
    /// The spelling accepted by [`FromStr`] and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Alternative::TwoSided => "two-sided",
            Alternative::Less => "less",
            Alternative::Greater => "greater",
        }
    }
}

impl fmt::Display for Alternative {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Alternative {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "two-sided" | "two.sided" | "both" => Ok(Alternative::TwoSided),
            "less" => Ok(Alternative::Less),
            "greater" => Ok(Alternative::Greater),
            _ => Err(Error::UnknownName {
                kind: "alternative",
                value: s.to_string(),
                expected: "two-sided, less, greater",
            }),
        }
    }
}

/// A confidence interval `[lo, hi]` at a given confidence `level` (e.g. 0.95).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ConfidenceInterval {
    /// Lower bound (may be `-inf` for one-sided intervals).
    pub lo: f64,
    /// Upper bound (may be `+inf` for one-sided intervals).
    pub hi: f64,
    /// Confidence level in (0, 1).
    pub level: f64,
}

impl ConfidenceInterval {
    /// `true` when `value` lies inside the closed interval.
    pub fn contains(&self, value: f64) -> bool {
        self.lo <= value && value <= self.hi
    }
}
