//! Launch-blocker rules with Prometheus alerting semantics, evaluated per target on a grid.
//!
//! ```text
//! value(t)     = the sample at or before t within max_age (¾ of the scrape interval: a missed
//!                scrape is unknown, not carried), or
//!                increase over D: Σ of increments between present grid points in (t−D, t],
//!                a decrease counted as a reset (the new value is the increment); needs a
//!                sample at both t and t−D
//! aggregate    = sum over the matching series of one target (unknown when none is present)
//! condition(t) = value(t) op threshold        (unknown value ⇒ unknown condition)
//! pending      from the first t where the condition holds; an unknown or false evaluation
//!              resets it
//! fires        at the first t with t − pending_start ≥ for   (for = 0: the first true t)
//! ```
//! Missing is not zero: a scrape gap makes the condition unknown and resets `for`, so "no
//! traffic for 1 min" fires on a flat counter, never on a gap. `increase` is not extrapolated to
//! the window edges (Prometheus' `increase` is); thresholds on counts are exact here.

use std::fmt;
use std::str::FromStr;

use super::duration::format_duration_ms;
use super::policy::LabelMatch;
use crate::series::align::{align, Grid};
use crate::series::RawSeries;
use crate::{Error, Result};

/// Comparison operator of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `==`
    Eq,
}

impl Op {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "==",
        }
    }

    fn holds(self, v: f64, threshold: f64) -> bool {
        match self {
            Op::Gt => v > threshold,
            Op::Ge => v >= threshold,
            Op::Lt => v < threshold,
            Op::Le => v <= threshold,
            Op::Eq => v == threshold,
        }
    }
}

impl FromStr for Op {
    type Err = Error;

    /// `>`, `>=`, `<`, `<=`, `==`.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            ">" => Ok(Op::Gt),
            ">=" => Ok(Op::Ge),
            "<" => Ok(Op::Lt),
            "<=" => Ok(Op::Le),
            "==" => Ok(Op::Eq),
            _ => Err(Error::UnknownName {
                kind: "operator",
                value: s.to_string(),
                expected: ">, >=, <, <=, ==",
            }),
        }
    }
}

/// How the matching series of one target are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// Sum of the present series.
    Sum,
}

/// A launch-blocker rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Name, echoed in the report.
    pub name: String,
    /// Metric name (or glob).
    pub metric: String,
    /// Label regexes (full match).
    pub match_labels: Vec<LabelMatch>,
    /// Combine the matching series of a target.
    pub aggregate: Option<Aggregate>,
    /// `increase(metric[D])` instead of the value.
    pub increase_over_ms: Option<i64>,
    /// Operator.
    pub op: Op,
    /// Threshold.
    pub threshold: f64,
    /// How long the condition must hold (0: instantaneous).
    pub for_ms: i64,
}

impl fmt::Display for Rule {
    /// `sum(increase(m{code=~"5.."}[5m])) > 25 for 75m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sel = self.metric.clone();
        if !self.match_labels.is_empty() {
            let l: Vec<String> = self
                .match_labels
                .iter()
                .map(|m| format!("{}=~\"{}\"", m.label, m.pattern))
                .collect();
            sel = format!("{sel}{{{}}}", l.join(", "));
        }
        if let Some(d) = self.increase_over_ms {
            sel = format!("increase({sel}[{}])", format_duration_ms(d));
        }
        if self.aggregate == Some(Aggregate::Sum) {
            sel = format!("sum({sel})");
        }
        write!(f, "{sel} {} {}", self.op.as_str(), self.threshold)?;
        if self.for_ms > 0 {
            write!(f, " for {}", format_duration_ms(self.for_ms))?;
        }
        Ok(())
    }
}

impl Rule {
    /// `true` when the series is one this rule reads.
    pub fn selects(&self, s: &RawSeries) -> bool {
        let name_ok = if super::glob::is_glob(&self.metric) {
            super::glob::glob_match(&self.metric, &s.key.metric)
        } else {
            s.key.metric == self.metric
        };
        name_ok && self.match_labels.iter().all(|m| m.matches(&s.key.labels))
    }
}

/// Result of evaluating one rule on one target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// First firing time (epoch ms).
    pub fired_at_ms: Option<i64>,
    /// Value at the firing time.
    pub value: Option<f64>,
    /// Grid times evaluated.
    pub evaluations: usize,
    /// Evaluations whose condition was unknown.
    pub unknown: usize,
}

/// Values of one series on the grid (`None`: unknown), transformed by `increase_over`.
fn grid_values(
    s: &RawSeries,
    grid: &Grid,
    max_age_ms: i64,
    rule: &Rule,
) -> Result<Vec<Option<f64>>> {
    let a = align(&s.timestamps_ms, &s.values, grid, max_age_ms)?;
    let v: Vec<Option<f64>> = a
        .values
        .into_iter()
        .map(|x| x.filter(|x| !x.is_nan()))
        .collect();
    let Some(d) = rule.increase_over_ms else {
        return Ok(v);
    };
    let w = ((d as f64 / grid.step_ms as f64).round() as usize).max(1);
    // cum[k]: increments summed up to grid point k (resets counted as increments from 0).
    let mut cum = vec![0.0; v.len()];
    let mut last: Option<f64> = None;
    let mut total = 0.0;
    for (k, x) in v.iter().enumerate() {
        if let Some(x) = *x {
            if let Some(prev) = last {
                total += if x >= prev { x - prev } else { x };
            }
            last = Some(x);
        }
        cum[k] = total;
    }
    Ok((0..v.len())
        .map(|k| match (k.checked_sub(w), v[k]) {
            (Some(j), Some(_)) if v[j].is_some() => Some(cum[k] - cum[j]),
            _ => None,
        })
        .collect())
}

/// Evaluates `rule` over the series of one target (already filtered by [`Rule::selects`]).
///
/// # Errors
/// As [`align`] (unsorted timestamps cannot happen for series from the readers).
pub fn evaluate(
    rule: &Rule,
    series: &[&RawSeries],
    grid: &Grid,
    max_age_ms: i64,
) -> Result<Evaluation> {
    let per_series: Vec<Vec<Option<f64>>> = series
        .iter()
        .map(|s| grid_values(s, grid, max_age_ms, rule))
        .collect::<Result<_>>()?;
    let lanes: Vec<Vec<Option<f64>>> = match rule.aggregate {
        Some(Aggregate::Sum) => vec![(0..grid.len)
            .map(|k| {
                let present: Vec<f64> = per_series.iter().filter_map(|s| s[k]).collect();
                (!present.is_empty()).then(|| present.iter().sum())
            })
            .collect()],
        None => per_series,
    };
    let mut best = Evaluation {
        fired_at_ms: None,
        value: None,
        evaluations: grid.len,
        unknown: 0,
    };
    let mut unknown_any = vec![false; grid.len];
    for lane in &lanes {
        let mut pending: Option<i64> = None;
        for (k, v) in lane.iter().enumerate() {
            let t = grid.time(k);
            match v {
                Some(x) if rule.op.holds(*x, rule.threshold) => {
                    let start = *pending.get_or_insert(t);
                    if t - start >= rule.for_ms {
                        if best.fired_at_ms.map_or(true, |f| t < f) {
                            best.fired_at_ms = Some(t);
                            best.value = Some(*x);
                        }
                        break;
                    }
                }
                Some(_) => pending = None,
                None => {
                    unknown_any[k] = true;
                    pending = None;
                }
            }
        }
    }
    best.unknown = unknown_any.iter().filter(|u| **u).count();
    Ok(best)
}

/// The Kubo launch blockers (`--preset kubo`). Metric names are those of Kubo, Go and the
/// Thunderdome load harness; `node_load1_per_core` and `memory_utilisation_ratio` are expected
/// as recorded ratios (e.g. a recording rule `node_load1 / count(node_cpu_seconds_total{mode="idle"})`).
pub fn kubo_rules() -> Vec<Rule> {
    let rule = |name: &str, metric: &str, op, threshold, for_ms| Rule {
        name: name.to_string(),
        metric: metric.to_string(),
        match_labels: Vec::new(),
        aggregate: None,
        increase_over_ms: None,
        op,
        threshold,
        for_ms,
    };
    let min = 60_000;
    let five_xx = LabelMatch::new("code", "5..").into_iter().collect();
    vec![
        rule(
            "cpu_load_per_core",
            "node_load1_per_core",
            Op::Gt,
            1.2,
            75 * min,
        ),
        rule(
            "memory_utilisation",
            "memory_utilisation_ratio",
            Op::Ge,
            0.95,
            10 * min,
        ),
        Rule {
            aggregate: Some(Aggregate::Sum),
            increase_over_ms: Some(min),
            ..rule(
                "no_traffic",
                "thunderdome_dealgood_responses_total",
                Op::Eq,
                0.0,
                0,
            )
        },
        rule(
            "bitswap_wantlist",
            "ipfs_bitswap_wantlist_items_total",
            Op::Gt,
            20_000.0,
            0,
        ),
        Rule {
            match_labels: five_xx,
            aggregate: Some(Aggregate::Sum),
            increase_over_ms: Some(5 * min),
            ..rule(
                "5xx",
                "thunderdome_dealgood_responses_total",
                Op::Gt,
                25.0,
                0,
            )
        },
        rule("goroutines", "go_goroutines", Op::Gt, 2e6, 75 * min),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::{Kind, SeriesKey};

    fn series(ts: &[i64], vs: &[f64]) -> RawSeries {
        let mut s = RawSeries::new(SeriesKey::default(), Kind::Gauge);
        s.timestamps_ms = ts.to_vec();
        s.values = vs.to_vec();
        s
    }

    fn rule(op: Op, threshold: f64, for_ms: i64) -> Rule {
        Rule {
            name: "r".into(),
            metric: String::new(),
            match_labels: Vec::new(),
            aggregate: None,
            increase_over_ms: None,
            op,
            threshold,
            for_ms,
        }
    }

    #[test]
    fn for_fires_when_held_at_every_evaluation_and_gaps_reset() {
        let ts: Vec<i64> = (0..10).map(|i| i * 60_000).collect();
        let s = series(&ts, &[0., 5., 5., 5., 0., 5., 5., 5., 5., 0.]);
        let g = Grid::new(0, 540_000, 60_000).expect("grid");
        let e = evaluate(&rule(Op::Gt, 1.0, 120_000), &[&s], &g, 45_000).expect("eval");
        // First streak: 1..=3 (held 2 min at t=3 min) fires at 3 min.
        assert_eq!(e.fired_at_ms, Some(180_000));
        // A gap (missing point) resets the pending state.
        let gap_ts: Vec<i64> = [0, 1, 2, 4, 5, 6].iter().map(|i| i * 60_000).collect();
        let s = series(&gap_ts, &[5., 5., 5., 5., 5., 5.]);
        let e = evaluate(&rule(Op::Gt, 1.0, 180_000), &[&s], &g, 45_000).expect("eval");
        // 0..=2 holds 2 min, gap at 3, 4..=6 holds 2 min: never 3 min.
        assert_eq!(e.fired_at_ms, None);
        assert!(e.unknown >= 1);
    }

    #[test]
    fn no_traffic_fires_on_flat_counter_not_on_gap() {
        let min = 60_000;
        let mut r = rule(Op::Eq, 0.0, 0);
        r.increase_over_ms = Some(min);
        let g = Grid::new(0, 9 * min, min).expect("grid");
        // Counter grows, then a scrape gap at 4 and 5: no fire.
        let ts: Vec<i64> = [0, 1, 2, 3, 6, 7, 8, 9].iter().map(|i| i * min).collect();
        let s = series(&ts, &[0., 10., 20., 30., 60., 70., 80., 90.]);
        assert_eq!(
            evaluate(&r, &[&s], &g, 45_000).expect("eval").fired_at_ms,
            None
        );
        // Flat counter from 3 to 4: fires at 4.
        let ts: Vec<i64> = (0..10).map(|i| i * min).collect();
        let s = series(&ts, &[0., 10., 20., 30., 30., 40., 50., 60., 70., 80.]);
        assert_eq!(
            evaluate(&r, &[&s], &g, 45_000).expect("eval").fired_at_ms,
            Some(4 * min)
        );
        // A reset (decrease) counts the new value as the increase.
        let mut over = rule(Op::Gt, 25.0, 0);
        over.increase_over_ms = Some(2 * min);
        let s = series(&ts, &[0., 10., 20., 30., 5., 40., 50., 60., 70., 80.]);
        let e = evaluate(&over, &[&s], &g, 45_000).expect("eval");
        // increase at 5: (5 − 30 → reset: +5) + 35 = 40 > 25; at 2: 20 (no); at 3: 20; at 4: 10 + 5 = 15.
        assert_eq!((e.fired_at_ms, e.value), (Some(5 * min), Some(40.0)));
    }

    #[test]
    fn sum_aggregates_present_series() {
        let min = 60_000;
        let mut r = rule(Op::Gt, 15.0, 0);
        r.aggregate = Some(Aggregate::Sum);
        let g = Grid::new(0, 2 * min, min).expect("grid");
        let a = series(&[0, min, 2 * min], &[5., 10., 10.]);
        let b = series(&[0, 2 * min], &[5., 10.]);
        let e = evaluate(&r, &[&a, &b], &g, 1).expect("eval");
        assert_eq!((e.fired_at_ms, e.value), (Some(2 * min), Some(20.0)));
        r.metric = "m".into();
        assert_eq!(r.to_string(), "sum(m) > 15");
    }
}
