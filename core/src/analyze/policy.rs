//! Per-metric policy: which direction is worse and how large a change must be to matter.
//!
//! Three layers, each filling what the layer above leaves unset: the configuration's
//! `[[metrics]]` entries, the built-in table of well-known Kubo/Go/libp2p metrics, and defaults
//! by metric class. Within a layer the most specific matching entry wins: an exact name beats a
//! glob, more `match_labels` beat fewer, a longer glob beats a shorter one.

use std::collections::BTreeMap;

use serde::Serialize;

use super::glob::{glob_match, is_glob};
use crate::policy::Direction;
use crate::series::Kind;
use crate::{Error, Result};

/// A label regex that must match the whole label value.
#[derive(Debug, Clone)]
pub struct LabelMatch {
    /// Label name.
    pub label: String,
    /// The regex as written.
    pub pattern: String,
    re: regex_lite::Regex,
}

impl LabelMatch {
    /// Compiles `pattern` anchored at both ends (Prometheus' `=~`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an invalid regex.
    pub fn new(label: &str, pattern: &str) -> Result<LabelMatch> {
        let re = regex_lite::Regex::new(&format!("^(?:{pattern})$"))
            .map_err(|e| Error::invalid("match_labels", format!("bad regex '{pattern}': {e}")))?;
        Ok(LabelMatch {
            label: label.to_string(),
            pattern: pattern.to_string(),
            re,
        })
    }

    /// `true` when `labels[label]` exists and matches (a missing label matches the empty
    /// string, as in Prometheus).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.re
            .is_match(labels.get(&self.label).map_or("", String::as_str))
    }
}

/// One policy entry (config `[[metrics]]` or built-in).
#[derive(Debug, Clone, Default)]
pub struct MetricEntry {
    /// Metric name or glob.
    pub name: String,
    /// Declared kind.
    pub kind: Option<Kind>,
    /// Worse direction.
    pub direction: Option<Direction>,
    /// Minimum relative level change.
    pub min_effect: Option<f64>,
    /// Minimum relative slope per hour.
    pub min_trend_per_h: Option<f64>,
    /// Minimum sd ratio.
    pub min_sd_ratio: Option<f64>,
    /// Label regexes.
    pub match_labels: Vec<LabelMatch>,
}

impl MetricEntry {
    fn matches(&self, metric: &str, labels: &BTreeMap<String, String>) -> bool {
        let name_ok = if is_glob(&self.name) {
            glob_match(&self.name, metric)
        } else {
            self.name == metric
                || metric
                    .strip_prefix(self.name.as_str())
                    .is_some_and(|rest| matches!(rest, "_total" | "_bucket"))
        };
        name_ok && self.match_labels.iter().all(|m| m.matches(labels))
    }

    fn specificity(&self) -> (bool, usize, usize) {
        (
            !is_glob(&self.name),
            self.match_labels.len(),
            self.name
                .chars()
                .filter(|c| !matches!(c, '*' | '?'))
                .count(),
        )
    }
}

/// What is compared for a metric, decided by its name, labels and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricClass {
    /// A level (gauge, or a counter's rate).
    Level,
    /// A latency (quantile or duration).
    Latency,
    /// An error count (rate compared with its exposure).
    Errors,
}

impl MetricClass {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricClass::Level => "level",
            MetricClass::Latency => "latency",
            MetricClass::Errors => "errors",
        }
    }
}

/// The resolved policy of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Policy {
    /// What is compared.
    pub class: MetricClass,
    /// Worse direction.
    pub direction: Direction,
    /// Minimum relative level change (errors: minimum rate ratio − 1).
    pub min_effect: f64,
    /// Minimum relative slope per hour (None: trend not judged).
    pub min_trend_per_h: Option<f64>,
    /// Minimum sd ratio for a dispersion finding.
    pub min_sd_ratio: f64,
    /// Errors: minimum absolute increase, events per second.
    pub min_rate_increase: f64,
}

/// Default minimum sd ratio.
pub const DEFAULT_MIN_SD_RATIO: f64 = 1.5;
/// Errors: default minimum increase, 1 event per minute.
pub const DEFAULT_MIN_ERRORS_PER_S: f64 = 1.0 / 60.0;

/// The class of a series from its name, labels and kind.
pub fn classify(metric: &str, labels: &BTreeMap<String, String>, kind: Kind) -> MetricClass {
    let m = metric.to_ascii_lowercase();
    let server_error = ["code", "status", "status_code"]
        .iter()
        .any(|k| labels.get(*k).is_some_and(|v| v.starts_with('5')));
    if server_error
        || ["error", "5xx", "fail", "panic"]
            .iter()
            .any(|w| m.contains(w))
    {
        return MetricClass::Errors;
    }
    let cpu = m.contains("cpu");
    if !cpu
        && (kind == Kind::Histogram
            || labels.contains_key("quantile")
            || ["latency", "duration", "ttfb", "response_time", "_seconds"]
                .iter()
                .any(|w| m.contains(w)))
    {
        return MetricClass::Latency;
    }
    MetricClass::Level
}

fn class_default(class: MetricClass, metric: &str) -> Policy {
    let m = metric.to_ascii_lowercase();
    let resource = [
        "memory",
        "bytes",
        "cpu",
        "goroutine",
        "threads",
        "fds",
        "heap",
    ]
    .iter()
    .any(|w| m.contains(w));
    let (direction, min_effect) = match class {
        MetricClass::Latency => (Direction::HigherIsWorse, 0.03),
        MetricClass::Errors => (Direction::HigherIsWorse, 0.3),
        MetricClass::Level if resource => (Direction::HigherIsWorse, 0.05),
        MetricClass::Level => (Direction::Either, 0.05),
    };
    Policy {
        class,
        direction,
        min_effect,
        min_trend_per_h: None,
        min_sd_ratio: DEFAULT_MIN_SD_RATIO,
        min_rate_increase: DEFAULT_MIN_ERRORS_PER_S,
    }
}

fn entry(
    name: &str,
    direction: Direction,
    min_effect: f64,
    min_trend_per_h: Option<f64>,
) -> MetricEntry {
    MetricEntry {
        name: name.to_string(),
        kind: None,
        direction: Some(direction),
        min_effect: Some(min_effect),
        min_trend_per_h,
        min_sd_ratio: None,
        match_labels: Vec::new(),
    }
}

/// The built-in table of well-known Kubo / Go / libp2p metrics.
pub fn builtin_table() -> Vec<MetricEntry> {
    use Direction::{HigherIsWorse as Up, LowerIsWorse as Down};
    let mut t = vec![
        entry("go_goroutines", Up, 0.10, Some(0.01)),
        entry("process_resident_memory_bytes", Up, 0.05, Some(0.005)),
        entry("go_memstats_*_bytes", Up, 0.05, Some(0.005)),
        entry("process_cpu_seconds_total", Up, 0.05, None),
        entry("ipfs_p2p_peers_total", Down, 0.05, None),
        entry("libp2p_rcmgr_blocked_resources", Up, 0.10, None),
        entry("*ttfb*", Up, 0.03, None),
        entry("*_duration_seconds*", Up, 0.03, None),
    ];
    let mut five = entry("*_responses_total", Up, 0.3, None);
    five.match_labels = LabelMatch::new("code", "5..").into_iter().collect();
    t.push(five);
    t
}

/// Metrics that are counters wherever they appear (Prometheus' process collector, Kubo's
/// load harness), used when the file does not declare a kind.
pub const BUILTIN_COUNTERS: [&str; 3] = [
    "process_cpu_seconds_total",
    "thunderdome_dealgood_responses_total",
    "go_gc_duration_seconds_count",
];

/// Resolves policies: config entries, then the built-in table, then class defaults.
#[derive(Debug, Clone, Default)]
pub struct PolicyTable {
    config: Vec<MetricEntry>,
    builtin: Vec<MetricEntry>,
}

impl PolicyTable {
    /// A table over `config` entries plus the built-in entries.
    pub fn new(config: Vec<MetricEntry>) -> PolicyTable {
        PolicyTable {
            config,
            builtin: builtin_table(),
        }
    }

    /// Kind declared for `metric` by the configuration (most specific entry with a kind), else
    /// by the built-in list of well-known counters ([`BUILTIN_COUNTERS`]).
    pub fn kind(&self, metric: &str, labels: &BTreeMap<String, String>) -> Option<Kind> {
        best(&self.config, metric, labels, |e| e.kind.is_some())
            .and_then(|e| e.kind)
            .or_else(|| BUILTIN_COUNTERS.contains(&metric).then_some(Kind::Counter))
    }

    /// The policy of one series identity.
    pub fn resolve(&self, metric: &str, labels: &BTreeMap<String, String>, kind: Kind) -> Policy {
        let class = classify(metric, labels, kind);
        let mut p = class_default(class, metric);
        for layer in [&self.builtin, &self.config] {
            if let Some(e) = best(layer, metric, labels, |_| true) {
                if let Some(d) = e.direction {
                    p.direction = d;
                }
                if let Some(m) = e.min_effect {
                    p.min_effect = m;
                }
                if e.min_trend_per_h.is_some() {
                    p.min_trend_per_h = e.min_trend_per_h;
                }
                if let Some(s) = e.min_sd_ratio {
                    p.min_sd_ratio = s;
                }
            }
        }
        p
    }
}

fn best<'a>(
    entries: &'a [MetricEntry],
    metric: &str,
    labels: &BTreeMap<String, String>,
    filter: impl Fn(&MetricEntry) -> bool,
) -> Option<&'a MetricEntry> {
    entries
        .iter()
        .enumerate()
        .filter(|(_, e)| filter(e) && e.matches(metric, labels))
        // Most specific; on ties the later entry (config order) wins.
        .max_by_key(|(i, e)| (e.specificity(), *i))
        .map(|(_, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn classes_and_builtins() {
        let none = labels(&[]);
        let t = PolicyTable::new(Vec::new());
        let g = t.resolve("go_goroutines", &none, Kind::Gauge);
        assert_eq!(
            (g.direction, g.min_effect, g.min_trend_per_h),
            (Direction::HigherIsWorse, 0.10, Some(0.01))
        );
        let p = t.resolve("ipfs_p2p_peers_total", &none, Kind::Gauge);
        assert_eq!(p.direction, Direction::LowerIsWorse);
        let e = t.resolve(
            "thunderdome_dealgood_responses_total",
            &labels(&[("code", "503")]),
            Kind::Counter,
        );
        assert_eq!((e.class, e.min_effect), (MetricClass::Errors, 0.3));
        let ok = t.resolve(
            "thunderdome_dealgood_responses_total",
            &labels(&[("code", "200")]),
            Kind::Counter,
        );
        assert_eq!(ok.class, MetricClass::Level);
        let l = t.resolve(
            "ttfb_seconds",
            &labels(&[("quantile", "0.99")]),
            Kind::Histogram,
        );
        assert_eq!((l.class, l.min_effect), (MetricClass::Latency, 0.03));
        assert_eq!(
            t.resolve("process_cpu_seconds_total", &none, Kind::Counter)
                .class,
            MetricClass::Level
        );
        assert_eq!(
            t.resolve("queue_len", &none, Kind::Gauge).direction,
            Direction::Either
        );
    }

    #[test]
    fn most_specific_config_entry_wins() {
        let mut a = entry("go_*", Direction::Either, 0.2, None);
        a.min_sd_ratio = Some(3.0);
        let b = entry("go_goroutines", Direction::LowerIsWorse, 0.4, None);
        let t = PolicyTable::new(vec![b, a]);
        let p = t.resolve("go_goroutines", &labels(&[]), Kind::Gauge);
        assert_eq!((p.direction, p.min_effect), (Direction::LowerIsWorse, 0.4));
        // Fields the winning entry leaves unset come from the built-in table.
        assert_eq!(p.min_trend_per_h, Some(0.01));
        let q = t.resolve("go_threads", &labels(&[]), Kind::Gauge);
        assert_eq!((q.min_effect, q.min_sd_ratio), (0.2, 3.0));
    }
}
