//! The `shiftwatch analyze` report (`schema: "shiftwatch.report/v1"`): one [`MetricResult`]
//! per compared series, one [`RuleResult`] per rule and target, a [`Summary`].

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::policy::Direction;

/// Schema tag of [`Report`]; renaming a field bumps it.
pub const SCHEMA: &str = "shiftwatch.report/v1";

/// How baseline and candidate are related in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Baseline and candidate targets ran side by side on the same traffic.
    Paired,
    /// One series per metric; the release changed at a deploy time.
    Deploy,
    /// One value per build.
    History,
}

impl Mode {
    /// The spelling accepted by `FromStr` and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Paired => "paired",
            Mode::Deploy => "deploy",
            Mode::History => "history",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = crate::Error;

    /// `paired`, `deploy`, `history` (case-insensitive).
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "paired" => Ok(Mode::Paired),
            "deploy" => Ok(Mode::Deploy),
            "history" => Ok(Mode::History),
            _ => Err(crate::Error::UnknownName {
                kind: "mode",
                value: s.to_string(),
                expected: "paired, deploy, history",
            }),
        }
    }
}

/// The answer for one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A significant change beyond the minimum effect in the worse direction.
    Regression,
    /// Too little usable data on a side.
    NoData,
    /// Neither a finding nor an equivalence: the interval straddles the margin.
    Inconclusive,
    /// A significant change beyond the minimum effect in the better direction.
    Improvement,
    /// The interval lies inside ± the minimum effect (equivalence).
    NoChange,
}

impl Verdict {
    /// The JSON spelling (`no_change`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Regression => "regression",
            Verdict::NoData => "no_data",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Improvement => "improvement",
            Verdict::NoChange => "no_change",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Size of the reported effect, candidate against baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    /// What is compared: `mean` (level), `rate` (errors), `sd_ratio` (dispersion),
    /// `trend_per_h` (relative slope per hour).
    pub statistic: String,
    /// Relative effect (`candidate / baseline − 1`; for `sd_ratio` the ratio − 1; for
    /// `trend_per_h` the slope per hour relative to the baseline level); null when undefined.
    pub relative: Option<f64>,
    /// Absolute effect in the metric's unit (per hour for a trend).
    pub absolute: f64,
    /// Confidence interval of `relative`.
    pub ci_relative: Option<[f64; 2]>,
    /// Confidence interval of `absolute`.
    pub ci_absolute: [f64; 2],
    /// The (1 − 2α) interval of `relative` the verdict used: its bounds are one-sided (1 − α)
    /// bounds (a margin test at level α; TOST for `no_change`). Null for trends (judged on the
    /// estimate).
    pub ci_decision: Option<[f64; 2]>,
    /// Baseline level (mean of the compared values).
    pub baseline: f64,
    /// Candidate level.
    pub candidate: f64,
    /// Relative margin the verdict used: the policy's minimum effect, or the A/A noise floor
    /// when that is larger.
    pub margin: f64,
}

/// A change point inside one role's series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangePointReport {
    /// `baseline` or `candidate` (or `series` in deploy/history mode).
    pub role: String,
    /// Onset, RFC 3339.
    pub time: String,
    /// 0-based index in the analysed series.
    pub index: usize,
    /// Build id at the change (history mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// Level before.
    pub before: f64,
    /// Level after.
    pub after: f64,
    /// Holm-adjusted p-value within the series.
    pub p_value: f64,
    /// `step`, `trend` or `variance`.
    pub kind: String,
}

/// Slope of the candidate against the baseline (paired) or of the series after the deploy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Relative slope per hour.
    pub per_h: f64,
    /// Its confidence interval.
    pub ci: [f64; 2],
    /// Two-sided p-value (dependence-aware t test of the slope).
    pub p_value: f64,
    /// Minimum relative slope per hour of the policy (null: not judged).
    pub min_per_h: Option<f64>,
}

/// Spread of the candidate against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dispersion {
    /// Ratio of the spreads (candidate / baseline).
    pub sd_ratio: f64,
    /// Its confidence interval.
    pub ci: [f64; 2],
    /// Two-sided p-value.
    pub p_value: f64,
    /// Minimum sd ratio of the policy.
    pub min_sd_ratio: f64,
}

/// The data behind one metric row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetricData {
    /// Baseline targets used.
    pub baseline_targets: Vec<String>,
    /// Candidate targets used.
    pub candidate_targets: Vec<String>,
    /// Points compared (grid times with both sides present in paired mode).
    pub points: usize,
    /// Effective number of independent points of the comparison.
    pub n_effective: Option<f64>,
    /// Grid step or median interval, seconds.
    pub step_s: Option<f64>,
    /// Points read (all targets).
    pub read: usize,
    /// Grid times without a usable value on a side (absent scrapes, NaN, a replica missing).
    pub missing: usize,
    /// Points dropped: NaN/±∞, duplicates, unused by the grid, one side missing.
    pub dropped: usize,
    /// Points trimmed as warm-up (and restart transient in deploy mode).
    pub warmup_trimmed: usize,
    /// Counter resets handled.
    pub resets: usize,
    /// `true` when values are estimates bounded by a histogram's bucket layout.
    pub coarse: bool,
}

/// The answer for one metric (one series identity across targets).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricResult {
    /// Metric name (histograms: the family name).
    pub metric: String,
    /// Labels other than the target (e.g. `quantile`).
    pub labels: BTreeMap<String, String>,
    /// `gauge`, `counter`, `histogram`, `summary` or `unknown`.
    pub kind: String,
    /// What was compared: `level`, `latency`, `errors`.
    pub class: String,
    /// Which direction is worse.
    pub direction: Direction,
    /// The verdict.
    pub verdict: Verdict,
    /// The effect behind the verdict (null with no data).
    pub effect: Option<Effect>,
    /// Raw p-value of the test behind the verdict.
    pub p_value: Option<f64>,
    /// Adjusted across every test of the report (see `summary.correction`).
    pub p_adjusted: Option<f64>,
    /// Test behind the verdict.
    pub method: String,
    /// Change points inside each role's series.
    pub change_points: Vec<ChangePointReport>,
    /// Trend, where computed.
    pub trend: Option<Trend>,
    /// Dispersion, where computed.
    pub dispersion: Option<Dispersion>,
    /// Relative difference two replicas of one release show (A/A), when there are replicas.
    pub noise_floor: Option<f64>,
    /// What was used, dropped, repaired.
    pub data: MetricData,
    /// One line: estimate, interval, threshold, test, n, effective n.
    pub reason: String,
    /// Anything else to know.
    pub notes: Vec<String>,
}

/// Which release a fired rule is blamed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// Fired for candidate targets only: a candidate finding.
    Candidate,
    /// Fired for both releases: the environment (load, network), not the candidate.
    Environment,
    /// Fired for baseline targets only.
    Baseline,
}

/// One launch-blocker rule evaluated on one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    /// Rule name.
    pub rule: String,
    /// Metric the rule reads.
    pub metric: String,
    /// Target evaluated.
    pub target: String,
    /// `baseline`, `candidate` or `other`.
    pub role: String,
    /// The condition, e.g. `increase(x[5m]) > 25 for 75m`.
    pub condition: String,
    /// First time the rule fired (RFC 3339); null when it never fired.
    pub fired_at: Option<String>,
    /// Value at the firing time.
    pub value: Option<f64>,
    /// Blame, when the rule fired.
    pub attribution: Option<Attribution>,
    /// Grid times evaluated, and how many were unknown (missing or NaN).
    pub evaluations: usize,
    /// Evaluations with no value (missing point, NaN): the condition was unknown there.
    pub unknown: usize,
}

/// Counts and the overall answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The worst verdict over the metrics (`regression` when a candidate rule fired).
    pub verdict: Verdict,
    /// Metrics per verdict.
    pub counts: BTreeMap<String, usize>,
    /// Rules fired for the candidate only.
    pub rules_candidate: usize,
    /// Rules fired for both releases (environment).
    pub rules_environment: usize,
    /// Multiplicity correction across the report's tests.
    pub correction: String,
    /// Tests the correction covered: every level and dispersion test, and the trends the
    /// policy judges.
    pub tests: usize,
    /// Significance level.
    pub alpha: f64,
    /// One line for people.
    pub line: String,
}

/// What was read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Inputs {
    /// Files read.
    pub files: Vec<String>,
    /// Data rows seen.
    pub rows: usize,
    /// Rows skipped (lenient reading).
    pub rows_skipped: usize,
    /// Series read.
    pub series: usize,
    /// Reader notes.
    pub notes: Vec<String>,
    /// For a live read: the Prometheus server, queries and range (no credentials).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<crate::io::remote::RemoteSource>,
}

/// Settings the report was made with (enough to reproduce it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Baseline selector (glob or `role=baseline`).
    pub baseline: String,
    /// Candidate selector.
    pub candidate: String,
    /// Deploy time (deploy mode), RFC 3339.
    pub deploy_at: Option<String>,
    /// How the deploy time was chosen: `given`, `release column`, `estimated`.
    pub deploy_source: Option<String>,
    /// Warm-up trimmed from the start of each series, seconds.
    pub warmup_s: f64,
    /// Grid step, seconds (null: per metric, the coarsest scrape interval).
    pub step_s: Option<f64>,
    /// Config file, if any.
    pub config: Option<String>,
    /// Preset, if any.
    pub preset: Option<String>,
}

/// The `analyze` report: the one JSON contract of the CLI and of Python's `to_dict()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Comparison mode.
    pub mode: Mode,
    /// Overall answer and counts.
    pub summary: Summary,
    /// One row per metric, worst first.
    pub metrics: Vec<MetricResult>,
    /// One row per rule and target.
    pub rules: Vec<RuleResult>,
    /// What was read.
    pub inputs: Inputs,
    /// Settings.
    pub settings: Settings,
    /// Seed of any randomised step (the report is deterministic for a fixed seed).
    pub seed: u64,
    /// Each metric's series downsampled for figures, in the order of `metrics`; only when
    /// asked for (absent from the JSON otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Vec<super::MetricSeries>>,
}
