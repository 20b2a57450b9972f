//! Which direction of change is worse for a metric: the one decision every verdict needs
//! (`analyze`, `compare --direction`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Which direction of change is a regression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Up is worse (latency, memory, errors).
    HigherIsWorse,
    /// Down is worse (throughput, connected peers).
    LowerIsWorse,
    /// Any change beyond the minimum effect is a finding.
    Either,
}

impl Direction {
    /// The canonical spelling (`higher_is_worse`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherIsWorse => "higher_is_worse",
            Direction::LowerIsWorse => "lower_is_worse",
            Direction::Either => "either",
        }
    }

    /// `true` when a change of sign `effect` (candidate − baseline) goes the bad way; 0 and
    /// NaN never do.
    pub fn is_worse(self, effect: f64) -> bool {
        match self {
            Direction::HigherIsWorse => effect > 0.0,
            Direction::LowerIsWorse => effect < 0.0,
            Direction::Either => effect.abs() > 0.0,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Direction {
    type Err = Error;

    /// `higher_is_worse`, `lower_is_worse`, `either` (also with `-`, case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "higher_is_worse" | "higher" | "up" => Ok(Direction::HigherIsWorse),
            "lower_is_worse" | "lower" | "down" => Ok(Direction::LowerIsWorse),
            "either" | "both" => Ok(Direction::Either),
            _ => Err(Error::UnknownName {
                kind: "direction",
                value: s.to_string(),
                expected: "higher_is_worse, lower_is_worse, either",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_and_worse_sides() {
        for (s, d) in [
            ("higher_is_worse", Direction::HigherIsWorse),
            ("Higher-Is-Worse", Direction::HigherIsWorse),
            ("lower-is-worse", Direction::LowerIsWorse),
            (" either ", Direction::Either),
        ] {
            assert_eq!(s.parse::<Direction>().ok(), Some(d));
            assert_eq!(d.as_str().parse::<Direction>().ok(), Some(d));
        }
        assert!("sideways".parse::<Direction>().is_err());
        assert!(Direction::HigherIsWorse.is_worse(0.1) && !Direction::HigherIsWorse.is_worse(-0.1));
        assert!(Direction::LowerIsWorse.is_worse(-0.1) && !Direction::LowerIsWorse.is_worse(0.1));
        assert!(Direction::Either.is_worse(-0.1) && Direction::Either.is_worse(0.1));
        assert!(!Direction::Either.is_worse(0.0) && !Direction::Either.is_worse(f64::NAN));
        assert_eq!(
            serde_json::to_string(&Direction::LowerIsWorse)
                .ok()
                .as_deref(),
            Some("\"lower_is_worse\"")
        );
    }
}
