//! Which direction of change is worse for a metric: the one decision every verdict needs.

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
