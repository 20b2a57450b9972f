//! From each metric's estimates to its report row: multiplicity over every test that can decide
//! a verdict, the verdict of each aspect, the aspect that speaks for the row, its reason line.

use std::collections::BTreeMap;

use super::estimate::{self, Aspect};
use super::group::{Group, Outcome};
use super::policy::MetricClass;
use super::verdict::{judge_interval, judge_level, judge_slope, minutes_to_resolve, pct, pct_ci};
use super::AnalyzeOptions;
use crate::report::{Dispersion, MetricResult, Trend, Verdict};
use crate::stats::multiplicity::adjust;
use crate::Result;

/// Multiplicity over every test, then verdicts and reasons.
pub(super) fn finish(
    groups: &[Group<'_>],
    outcomes: Vec<Outcome>,
    opts: &AnalyzeOptions,
) -> Result<(Vec<MetricResult>, usize)> {
    // Every p-value that can decide a verdict, in a fixed order: (outcome, aspect 0=level
    // 1=trend 2=dispersion). A trend the policy does not judge (no minimum slope) is reported
    // but is not a test of the report, so it does not dilute the correction.
    let mut raw = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        let judged_trend = groups[i].policy.min_trend_per_h.is_some();
        for (j, a) in [&o.level, &o.trend, &o.dispersion].into_iter().enumerate() {
            if j == 1 && !judged_trend {
                continue;
            }
            if let Some(a) = a {
                raw.push(((i, j), if a.p_value.is_nan() { 1.0 } else { a.p_value }));
            }
        }
    }
    let p: Vec<f64> = raw.iter().map(|r| r.1).collect();
    let adj = if p.is_empty() {
        Vec::new()
    } else {
        adjust(&p, opts.correction)?
    };
    let adjusted: BTreeMap<(usize, usize), f64> = raw.iter().map(|r| r.0).zip(adj).collect();
    let rows = groups
        .iter()
        .zip(outcomes)
        .enumerate()
        .map(|(i, (g, o))| row(g, o, |j| adjusted.get(&(i, j)).copied(), opts.alpha))
        .collect();
    Ok((rows, raw.len()))
}

fn row(g: &Group<'_>, o: Outcome, adj: impl Fn(usize) -> Option<f64>, alpha: f64) -> MetricResult {
    let pol = g.policy;
    let kind = g.members[0].0.kind.as_str().to_string();
    let margin = pol.min_effect.max(o.noise_floor.unwrap_or(0.0));
    let errors = pol.class == MetricClass::Errors;
    let sig = |j: usize| adj(j).is_some_and(|p| p < alpha);
    let mut level = o.level.clone();
    // Size and equivalence are judged on one-sided (1 − α) bounds (the (1 − 2α) interval), as a
    // margin test at level α; the report keeps the two-sided (1 − α) interval.
    let level_verdict = level.as_mut().map(|a| {
        a.effect.margin = margin;
        let decision = estimate::decision_effect(a);
        a.effect.ci_decision = decision.ci_relative;
        judge_level(
            &decision,
            sig(0),
            pol.direction,
            errors.then_some(pol.min_rate_increase),
        )
    });
    let trend_verdict = match (&o.trend, pol.min_trend_per_h) {
        (Some(t), Some(m)) => t
            .effect
            .relative
            .map(|slope| judge_slope(slope, sig(1), pol.direction, m)),
        _ => None,
    };
    let disp_verdict = o.dispersion.as_ref().and_then(|d| {
        let ci = estimate::decision_effect(d).ci_relative?;
        let v = judge_interval(
            ci,
            sig(2),
            crate::policy::Direction::HigherIsWorse,
            pol.min_sd_ratio - 1.0,
            1.0 - 1.0 / pol.min_sd_ratio,
        );
        Some(v)
    });
    let finding = |v: Option<Verdict>, want: Verdict| v == Some(want);
    // Which aspect speaks for the row: a regression first (level, trend, dispersion), then an
    // improvement, else the level's verdict.
    let chosen: Option<(usize, Verdict)> = [Verdict::Regression, Verdict::Improvement]
        .into_iter()
        .find_map(|want| {
            [level_verdict, trend_verdict, disp_verdict]
                .into_iter()
                .position(|v| finding(v, want))
                .map(|j| (j, want))
        })
        .or_else(|| level_verdict.map(|v| (0, v)));
    let (verdict, aspect_idx) = match chosen {
        Some((j, v)) => (v, Some(j)),
        None => (
            if o.level.is_none()
                && o.data.points > 0
                && o.notes.iter().any(|n| n.contains("constant and equal"))
            {
                Verdict::NoChange
            } else {
                Verdict::NoData
            },
            None,
        ),
    };
    let aspect: Option<Aspect> = aspect_idx.and_then(|j| match j {
        0 => level.clone(),
        1 => o.trend.clone().map(|mut t| {
            t.effect.ci_decision = None;
            t.effect.margin = pol.min_trend_per_h.unwrap_or(0.0);
            t
        }),
        _ => o.dispersion.clone().map(|mut d| {
            d.effect.margin = pol.min_sd_ratio - 1.0;
            d.effect.ci_decision = estimate::decision_effect(&d).ci_relative;
            d
        }),
    });
    let id = display_id(&g.metric, &g.labels);
    let reason = match &aspect {
        Some(a) => reason_line(
            &id,
            a,
            verdict,
            o.step_s,
            o.noise_floor,
            (pol.class == MetricClass::Errors).then_some(pol.min_rate_increase),
        ),
        None => format!(
            "{id}: {}",
            o.notes
                .first()
                .cloned()
                .unwrap_or_else(|| "no usable data".into())
        ),
    };
    let trend = o.trend.as_ref().map(|t| Trend {
        per_h: t.effect.relative.unwrap_or(f64::NAN),
        ci: t.effect.ci_relative.unwrap_or([f64::NAN; 2]),
        p_value: t.p_value,
        min_per_h: pol.min_trend_per_h,
    });
    let dispersion = o.dispersion.as_ref().map(|d| Dispersion {
        sd_ratio: 1.0 + d.effect.relative.unwrap_or(f64::NAN),
        ci: d
            .effect
            .ci_relative
            .map_or([f64::NAN; 2], |c| [1.0 + c[0], 1.0 + c[1]]),
        p_value: d.p_value,
        min_sd_ratio: pol.min_sd_ratio,
    });
    let mut notes = o.notes.clone();
    if o.data.coarse {
        notes
            .push("estimated from histogram buckets: coarse (bounded by the bucket layout)".into());
    }
    MetricResult {
        metric: g.metric.clone(),
        labels: g.labels.clone(),
        kind,
        class: pol.class.as_str().to_string(),
        direction: pol.direction,
        verdict,
        effect: aspect.as_ref().map(|a| a.effect.clone()),
        p_value: aspect.as_ref().map(|a| a.p_value),
        p_adjusted: aspect_idx.and_then(&adj),
        method: aspect
            .as_ref()
            .map_or_else(String::new, |a| a.method.clone()),
        change_points: o.change_points,
        trend,
        dispersion,
        noise_floor: o.noise_floor,
        data: o.data,
        reason,
        notes,
    }
}

/// `metric{k="v"}`.
pub fn display_id(metric: &str, labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return metric.to_string();
    }
    let l: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    format!("{metric}{{{}}}", l.join(","))
}

/// `abs_margin`: the absolute margin (events per second) errors are also judged on.
fn reason_line(
    id: &str,
    a: &Aspect,
    verdict: Verdict,
    step_s: f64,
    floor: Option<f64>,
    abs_margin: Option<f64>,
) -> String {
    let e = &a.effect;
    let m = e.margin;
    let (est, ci, unit) = match (e.relative, e.ci_relative) {
        (Some(r), Some(ci)) => (pct(r), pct_ci(ci), ""),
        _ => (
            format!("{:+.4}", e.absolute),
            format!("[{:+.4}, {:+.4}]", e.ci_absolute[0], e.ci_absolute[1]),
            " (absolute)",
        ),
    };
    let (what, unit) = match e.statistic.as_str() {
        "trend_per_h" => (" per hour", if unit.is_empty() { "/h" } else { unit }),
        "sd_ratio" => (" spread", unit),
        _ => ("", unit),
    };
    let margin = match (e.relative, abs_margin) {
        (None, Some(a)) => format!("{a:.4}/s ({:.3}/min)", a * 60.0),
        (Some(_), Some(a)) => format!("{} and {:.3}/min", pct(m).trim_start_matches('+'), a * 60.0),
        _ => pct(m).trim_start_matches('+').to_string(),
    };
    let cmp = match verdict {
        Verdict::Regression | Verdict::Improvement => format!("beyond the ±{margin} margin"),
        Verdict::NoChange => format!("inside the ±{margin} margin"),
        _ => format!("not decided at the ±{margin} margin"),
    };
    let neff = if a.n_effective.is_finite() {
        format!(", n_eff={:.0}", a.n_effective)
    } else {
        String::new()
    };
    let decided = match (e.ci_decision, verdict) {
        (Some(d), Verdict::Regression | Verdict::Improvement | Verdict::NoChange) => {
            format!(" (one-sided bounds {})", pct_ci(d))
        }
        _ => String::new(),
    };
    let mut s = format!(
        "{id} {est}{what} {ci}{unit} {cmp}{decided}; {}; n={}{neff}",
        a.method, a.n
    );
    if let Some(f) = floor {
        s.push_str(&format!("; A/A floor {}", pct(f).trim_start_matches('+')));
    }
    if verdict == Verdict::Inconclusive {
        if let (Some(r), Some(ci)) = (e.relative, e.ci_relative) {
            if let Some(min) = minutes_to_resolve(ci, r, m, a.n, step_s) {
                s.push_str(&format!(
                    "; about {:.0} more minutes would resolve ±{}",
                    min.ceil(),
                    pct(m).trim_start_matches('+')
                ));
            }
        }
    }
    s
}
