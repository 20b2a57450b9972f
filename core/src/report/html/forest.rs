//! The forest plot: per metric with a relative effect, its interval, estimate and ± margin band
//! on a symmetric log axis. Labels and axis are HTML laid over an SVG track that stretches
//! with the page (`preserveAspectRatio="none"`, strokes that do not scale), so they stay legible
//! on a phone.

use std::fmt::Write as _;

use super::svg::esc;
use crate::report::render::{effect_cell, metric_id};
use crate::report::{MetricResult, Report};

/// Symmetric log transform of a relative effect: linear near 0 (within ±1 %), logarithmic
/// beyond, so a +100 % and a ±2 % effect are both readable on one axis.
fn symlog(x: f64) -> f64 {
    const C: f64 = 0.01;
    x.signum() * (x.abs() / C).ln_1p()
}

/// The forest plot: per metric with a relative effect, its (1 − α) interval, the estimate and
/// the ± margin band, on a symmetric log axis.
pub(super) fn forest(r: &Report) -> String {
    let rows: Vec<(usize, &MetricResult)> = r
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            m.effect
                .as_ref()
                .is_some_and(|e| e.relative.is_some() && e.ci_relative.is_some())
        })
        .collect();
    if rows.is_empty() {
        return "<p class=\"sw-note\">No metric has a relative effect to plot.</p>\n".into();
    }
    let mut extent: f64 = 0.05;
    for (_, m) in &rows {
        if let Some(e) = &m.effect {
            for x in e.ci_relative.into_iter().flatten().chain([e.margin]) {
                if x.is_finite() {
                    extent = extent.max(x.abs());
                }
            }
        }
    }
    let half = symlog(extent) * 1.06;
    let pos = |x: f64| (50.0 + 50.0 * symlog(x) / half).clamp(0.0, 100.0);
    let mut s = String::from("<div class=\"sw-forest\">\n");
    for (i, m) in rows {
        let Some(e) = &m.effect else { continue };
        let (Some(rel), Some(ci)) = (e.relative, e.ci_relative) else {
            continue;
        };
        let colour = verdict_colour(m);
        let unit = match e.statistic.as_str() {
            "trend_per_h" => " (trend, per hour)",
            "sd_ratio" => " (sd ratio − 1)",
            "rate" => " (rate)",
            _ => "",
        };
        let (eff, ci_text) = effect_cell(m);
        let _ = writeln!(
            s,
            "<div class=\"sw-frow\"><div class=\"sw-flabel\" title=\"{id}{unit}\"><a href=\"#sw-m-{i}\">{id}</a><small>{unit}</small></div>\
             <div class=\"sw-ftrack\"><svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{id}: {eff} {ci}\">\
             <title>{id}: {eff} {ci}, margin ±{margin:.1} %</title>\
             <rect x=\"{m0:.2}\" y=\"0\" width=\"{mw:.2}\" height=\"10\" fill=\"#e3e8ec\"/>\
             <line x1=\"50\" y1=\"0\" x2=\"50\" y2=\"10\" stroke=\"#90a4ae\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"/>\
             <line x1=\"{lo:.2}\" y1=\"5\" x2=\"{hi:.2}\" y2=\"5\" stroke=\"{colour}\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/>\
             <line x1=\"{x:.2}\" y1=\"1\" x2=\"{x:.2}\" y2=\"9\" stroke=\"{colour}\" stroke-width=\"4\" vector-effect=\"non-scaling-stroke\"/>\
             </svg></div><div class=\"sw-fval\">{eff}</div></div>",
            id = esc(&metric_id(m)),
            unit = unit,
            eff = esc(&eff),
            ci = esc(&ci_text),
            margin = e.margin * 100.0,
            m0 = pos(-e.margin),
            mw = pos(e.margin) - pos(-e.margin),
            lo = pos(ci[0]),
            hi = pos(ci[1]),
            x = pos(rel),
        );
    }
    s.push_str("<div class=\"sw-frow sw-faxis\"><div class=\"sw-flabel\"></div><div class=\"sw-ftrack sw-ticks\">");
    for (v, minor) in [
        (0.0, false),
        (0.01, true),
        (0.03, true),
        (0.1, false),
        (0.3, true),
        (1.0, false),
        (3.0, true),
        (10.0, false),
    ] {
        for x in if v == 0.0 { vec![0.0_f64] } else { vec![-v, v] } {
            if x.abs() > extent * 1.06 || x < -1.0 {
                continue;
            }
            let _ = write!(
                s,
                "<span{} style=\"left:{:.2}%\">{}{} %</span>",
                if minor { " class=\"sw-minor\"" } else { "" },
                pos(x),
                if x > 0.0 { "+" } else { "" },
                x * 100.0
            );
        }
    }
    s.push_str("</div><div class=\"sw-fval\"></div></div>\n</div>\n");
    s.push_str(
        "<p class=\"sw-note\">Symmetric log axis (linear within ±1 %). Bar: the (1 − α) interval; \
         tick: the estimate; grey band: ± the margin the verdict used. Trends are per hour, \
         dispersion is the sd ratio − 1.</p>\n",
    );
    s
}

pub(super) fn verdict_colour(m: &MetricResult) -> &'static str {
    match m.verdict.as_str() {
        "regression" => "#c62828",
        "improvement" => "#2e7d32",
        "no_change" => "#607d8b",
        "inconclusive" => "#ef6c00",
        _ => "#9e9e9e",
    }
}
