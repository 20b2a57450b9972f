//! Series preparation: identity, counters to rates with reset detection, histogram quantiles,
//! alignment onto a common grid, warm-up trimming. Every drop or repair is counted.
//!
//! The data model is deliberately plain: a [`RawSeries`] is a key, a [`Kind`], and two parallel
//! vectors (`timestamps_ms`, `values`). A *missing* point (an empty cell, an absent Prometheus
//! sample) is not stored: it is absent and counted in [`SeriesReport::missing`]. `NaN` is a
//! value (a scrape that returned NaN) and is kept and counted separately; `0` is just a value.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::{Error, Result};

pub mod align;
pub mod build;
pub mod counter;
pub mod downsample;
pub mod histogram;
pub mod keyblob;
pub mod prepare;
pub mod select;
pub mod stream;
pub mod summary;
pub mod time;
pub mod warmup;

pub use build::{Retain, SeriesSet, Summarised};

/// Identity of a series: metric name, target (instance, pod, replica…) and the other labels.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct SeriesKey {
    /// Metric name, e.g. `http_request_duration_seconds_bucket`.
    pub metric: String,
    /// Target the series was scraped from (empty when unknown).
    pub target: String,
    /// Remaining labels (never `__name__` nor the target label).
    pub labels: BTreeMap<String, String>,
}

impl fmt::Display for SeriesKey {
    /// `metric{target="t", k="v"}` in Prometheus notation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.metric)?;
        if self.target.is_empty() && self.labels.is_empty() {
            return Ok(());
        }
        write!(f, "{{")?;
        let mut first = true;
        if !self.target.is_empty() {
            write!(f, "target={:?}", self.target)?;
            first = false;
        }
        for (k, v) in &self.labels {
            if !first {
                write!(f, ", ")?;
            }
            write!(f, "{k}={v:?}")?;
            first = false;
        }
        write!(f, "}}")
    }
}

/// What a series measures, which decides how it is prepared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A level (memory, goroutines, queue length): used as is.
    Gauge,
    /// A monotone count (`requests_total`): turned into a per-second rate, resets detected.
    Counter,
    /// A classic histogram bucket series (`_bucket` with an `le` label).
    Histogram,
    /// A summary quantile series (`quantile` label): passed through.
    Summary,
    /// Not declared. Treated as a gauge; a name ending in `_total` does **not** make it a
    /// counter (`ipfs_p2p_peers_total` is a gauge).
    #[default]
    Unknown,
}

impl Kind {
    /// The spelling accepted by [`FromStr`] and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Gauge => "gauge",
            Kind::Counter => "counter",
            Kind::Histogram => "histogram",
            Kind::Summary => "summary",
            Kind::Unknown => "unknown",
        }
    }
}

impl FromStr for Kind {
    type Err = Error;

    /// Accepts the Prometheus `# TYPE` spellings (`gauge`, `counter`, `histogram`, `summary`,
    /// `untyped`/`unknown`, and OpenMetrics' `gaugehistogram`→histogram), case-insensitive.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "gauge" => Ok(Kind::Gauge),
            "counter" => Ok(Kind::Counter),
            "histogram" | "gaugehistogram" => Ok(Kind::Histogram),
            "summary" => Ok(Kind::Summary),
            "unknown" | "untyped" | "" => Ok(Kind::Unknown),
            _ => Err(Error::UnknownName {
                kind: "kind",
                value: s.to_string(),
                expected: "gauge, counter, histogram, summary, unknown",
            }),
        }
    }
}

/// Which side of the comparison a series belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The release compared against.
    Baseline,
    /// The new release.
    Candidate,
    /// Neither (e.g. a load generator); kept for context.
    Other,
}

impl FromStr for Role {
    type Err = Error;

    /// `baseline`, `candidate`, `other` (case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "baseline" => Ok(Role::Baseline),
            "candidate" => Ok(Role::Candidate),
            "other" => Ok(Role::Other),
            _ => Err(Error::UnknownName {
                kind: "role",
                value: s.to_string(),
                expected: "baseline, candidate, other",
            }),
        }
    }
}

/// The release running from a given time on (tidy CSV `release` column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseChange {
    /// First timestamp (epoch ms) seen with this release.
    pub at_ms: i64,
    /// Release name.
    pub release: String,
}

/// What was repaired or dropped while reading one series. Every count is a number of points.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SeriesReport {
    /// Points kept.
    pub points: usize,
    /// Empty cells / absent samples: not stored, only counted.
    pub missing: usize,
    /// Points whose value is NaN (kept).
    pub nan: usize,
    /// Points whose value is ±∞ (kept).
    pub infinite: usize,
    /// Points dropped because an earlier point had the same timestamp (the last one wins).
    pub duplicates: usize,
    /// Points that arrived earlier than a previous point (the series was sorted by time).
    pub unsorted: usize,
}

/// One series as read from a file, before any preparation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawSeries {
    /// Identity.
    pub key: SeriesKey,
    /// Declared kind ([`Kind::Unknown`] when the file does not say).
    pub kind: Kind,
    /// Unit when the file says (`# UNIT`, tidy `unit` column).
    pub unit: Option<String>,
    /// Role when the file says (tidy `role` column).
    pub role: Option<Role>,
    /// Releases seen, in time order of first appearance (tidy `release` column).
    pub releases: Vec<ReleaseChange>,
    /// Epoch milliseconds, strictly increasing.
    pub timestamps_ms: Vec<i64>,
    /// Values, same length as `timestamps_ms`; may hold NaN and ±∞.
    pub values: Vec<f64>,
    /// What was repaired or dropped.
    pub report: SeriesReport,
}

impl RawSeries {
    /// An empty series with this key and kind.
    pub fn new(key: SeriesKey, kind: Kind) -> Self {
        RawSeries {
            key,
            kind,
            unit: None,
            role: None,
            releases: Vec::new(),
            timestamps_ms: Vec::new(),
            values: Vec::new(),
            report: SeriesReport::default(),
        }
    }

    /// Median spacing between consecutive timestamps in ms (`None` with fewer than 2 points).
    pub fn median_interval_ms(&self) -> Option<i64> {
        let mut d: Vec<i64> = self.timestamps_ms.windows(2).map(|w| w[1] - w[0]).collect();
        if d.is_empty() {
            return None;
        }
        let mid = d.len() / 2;
        let (_, m, _) = d.select_nth_unstable(mid);
        Some(*m)
    }

    /// Number of gaps: consecutive points further apart than 1.5 × the median interval.
    pub fn gaps(&self) -> usize {
        match self.median_interval_ms() {
            Some(m) if m > 0 => self
                .timestamps_ms
                .windows(2)
                .filter(|w| (w[1] - w[0]) * 2 > m * 3)
                .count(),
            _ => 0,
        }
    }
}

/// A row or line that was skipped instead of failing the read (lenient mode, or a case
/// documented as skipped), with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// `file:line:column` or `file: $.json.path`.
    pub location: String,
    /// What was wrong.
    pub reason: String,
}

/// What happened while reading files: totals and the rows that were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadReport {
    /// Files read, in order.
    pub files: Vec<String>,
    /// Data rows/lines/samples seen (excluding headers and comments).
    pub rows: usize,
    /// Rows skipped (blank lines are not counted here; see `blank_lines`).
    pub rows_skipped: usize,
    /// Blank lines ignored.
    pub blank_lines: usize,
    /// The first skipped rows with their reason (at most [`ReadReport::MAX_SKIPPED_LISTED`]).
    pub skipped: Vec<Skipped>,
    /// Other things a user should know (ignored `_created` samples, assumed units…).
    pub notes: Vec<String>,
    /// `true` when a file had no time column and its rows were numbered 0, 1, 2… in place of
    /// timestamps ([`crate::io::ReadOptions::number_rows`]): positions, not times.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub row_numbers: bool,
    /// The Prometheus server and queries the data came from, for a live read (no credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<crate::io::remote::RemoteSource>,
}

impl ReadReport {
    /// How many skipped rows are listed individually.
    pub const MAX_SKIPPED_LISTED: usize = 100;

    /// Records one skipped row.
    pub fn skip(&mut self, location: String, reason: String) {
        self.rows_skipped += 1;
        if self.skipped.len() < Self::MAX_SKIPPED_LISTED {
            self.skipped.push(Skipped { location, reason });
        }
    }

    /// Adds a note once (duplicates are ignored).
    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// Everything read from one or more files.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dataset {
    /// Series, in order of first appearance.
    pub series: Vec<RawSeries>,
    /// What was skipped and noted while reading.
    pub report: ReadReport,
}
