//! The figures of the HTML report as inline SVG: the forest plot of relative effects, one small
//! multiple per metric (replicas as thin lines, warm-up shaded, change points and rule
//! breaches marked) and the rules timeline.
//!
//! Labels and axes of the forest plot and timeline are HTML laid over an SVG track that
//! stretches with the page (`preserveAspectRatio="none"`, strokes that do not scale), so they
//! stay legible on a phone; the small multiples scale as a whole.

use std::fmt::Write as _;

use super::render::{effect_cell, metric_id};
use super::svg::{compact, esc, nice_ticks, path, time_ticks, Scale};
use super::{Attribution, MetricResult, MetricSeries, Report, RuleResult};
use crate::series::time::parse_timestamp;

/// Colour of a role's lines.
fn role_colour(role: &str) -> &'static str {
    match role {
        "baseline" => "#1565c0",
        "candidate" => "#c2185b",
        _ => "#546e7a",
    }
}

const RULE_COLOUR: &str = "#6a1b9a";

/// Epoch seconds of an RFC 3339 time from the report.
fn epoch_s(t: &str) -> Option<f64> {
    parse_timestamp(t, None).ok().map(|ms| ms as f64 / 1000.0)
}

/// Symmetric log transform of a relative effect: linear near 0 (within ±1 %), logarithmic
/// beyond, so a +100 % and a ±2 % effect are both readable on one axis.
fn symlog(x: f64) -> f64 {
    const C: f64 = 0.01;
    x.signum() * (x.abs() / C).ln_1p()
}

/// The forest plot: per metric with a relative effect, its (1 − α) interval, the estimate and
/// the ± margin band, on a symmetric log axis.
pub fn forest(r: &Report) -> String {
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

fn verdict_colour(m: &MetricResult) -> &'static str {
    match m.verdict.as_str() {
        "regression" => "#c62828",
        "improvement" => "#2e7d32",
        "no_change" => "#607d8b",
        "inconclusive" => "#ef6c00",
        _ => "#9e9e9e",
    }
}

/// Width, height and plot margins (left, right, top, bottom) of a small multiple, in SVG units.
const W: f64 = 440.0;
const H: f64 = 190.0;
const PAD: (f64, f64, f64, f64) = (44.0, 8.0, 10.0, 20.0);

/// One metric's small multiple.
pub fn multiple(r: &Report, m: &MetricResult, series: &MetricSeries) -> String {
    let finite = |v: &Option<f64>| v.filter(|x| x.is_finite());
    let (mut t0, mut t1) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY);
    for l in &series.lines {
        for (t, v) in l.t.iter().zip(&l.v) {
            t0 = t0.min(*t);
            t1 = t1.max(*t);
            if let Some(v) = finite(v) {
                y0 = y0.min(v);
                y1 = y1.max(v);
            }
        }
    }
    if !(t1 >= t0 && y1 >= y0) {
        return "<p class=\"sw-note\">No points to draw.</p>".into();
    }
    let pad = ((y1 - y0) * 0.06).max(y1.abs() * 1e-6);
    let (y0, y1) = (y0 - pad, y1 + pad);
    let sx = Scale::new(t0, t1, PAD.0, W - PAD.1);
    let sy = Scale::new(y0, y1, H - PAD.3, PAD.2);
    let (left, right, top, bottom) = (PAD.0, W - PAD.1, PAD.2, H - PAD.3);
    let mut s = format!(
        "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{} over time\">",
        esc(&metric_id(m))
    );
    // Warm-up: from the first point to the latest end of a trimmed warm-up.
    if let Some(end) = series
        .lines
        .iter()
        .filter_map(|l| l.warmup_end)
        .reduce(f64::max)
    {
        let x1 = sx.at(end.min(t1));
        let _ = write!(
            s,
            "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#e6eaed\"><title>warm-up (not analysed)</title></rect>",
            (x1 - left).max(0.0),
            bottom - top
        );
    }
    if let Some(at) = r.settings.deploy_at.as_deref().and_then(epoch_s) {
        if (t0..=t1).contains(&at) {
            let x = sx.at(at);
            let w = (sx.at((at + r.settings.warmup_s).min(t1)) - x).max(0.0);
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#e6eaed\"><title>restart warm-up (not analysed)</title></rect>\
                 <line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#263238\" stroke-width=\"1.2\"><title>deploy</title></line>",
                bottom - top
            );
        }
    }
    for y in nice_ticks(y0, y1, 4) {
        let py = sy.at(y);
        let _ = write!(
            s,
            "<line x1=\"{left:.1}\" y1=\"{py:.1}\" x2=\"{right:.1}\" y2=\"{py:.1}\" stroke=\"#eef1f3\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 4.0,
            py + 3.5,
            esc(&compact(y))
        );
    }
    for (t, label) in time_ticks(t0, t1, 7) {
        if !(left + 14.0..=right - 14.0).contains(&sx.at(t)) {
            continue;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            sx.at(t),
            H - 5.0,
            esc(&label)
        );
    }
    let _ = write!(
        s,
        "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#cfd8dc\"/>",
        right - left,
        bottom - top
    );
    // Baseline first, so the candidate draws on top.
    let mut lines: Vec<_> = series.lines.iter().collect();
    lines.sort_by_key(|l| match l.role.as_str() {
        "baseline" => 0,
        "candidate" => 2,
        _ => 1,
    });
    for l in lines {
        let d = path(
            l.t.iter()
                .zip(&l.v)
                .map(|(t, v)| finite(v).map(|v| (sx.at(*t), sy.at(v)))),
        );
        let _ = write!(
            s,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"0.9\" stroke-opacity=\"0.8\" stroke-linejoin=\"round\"><title>{} ({})</title></path>",
            role_colour(&l.role),
            esc(&l.target),
            esc(&l.role)
        );
    }
    for cp in &m.change_points {
        let Some(t) = epoch_s(&cp.time).filter(|t| (t0..=t1).contains(t)) else {
            continue;
        };
        let x = sx.at(t);
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"{}\" stroke-width=\"1.3\" stroke-dasharray=\"4 3\"><title>change point ({}, {}) at {}: {} → {}, p {:.2e}</title></line>",
            role_colour(&cp.role),
            esc(&cp.role),
            esc(&cp.kind),
            esc(&cp.time),
            esc(&compact(cp.before)),
            esc(&compact(cp.after)),
            cp.p_value
        );
    }
    for rule in r.rules.iter().filter(|x| x.metric == m.metric) {
        let Some(t) = rule.fired_at.as_deref().and_then(epoch_s) else {
            continue;
        };
        if !(t0..=t1).contains(&t) {
            continue;
        }
        let x = sx.at(t);
        let _ = write!(
            s,
            "<g><title>rule {} fired on {} ({}) at {}: {}</title>\
             <line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"{RULE_COLOUR}\" stroke-width=\"1\" stroke-opacity=\"0.6\"/>\
             <path d=\"M{:.1} {top:.1}L{:.1} {top:.1}L{x:.1} {:.1}Z\" fill=\"{RULE_COLOUR}\"/></g>",
            esc(&rule.rule),
            esc(&rule.target),
            esc(&rule.role),
            esc(rule.fired_at.as_deref().unwrap_or("")),
            attribution_name(rule.attribution),
            x - 5.0,
            x + 5.0,
            top + 8.0
        );
    }
    s.push_str("</svg>");
    s
}

/// `candidate`, `environment`, `baseline` or empty.
pub fn attribution_name(a: Option<Attribution>) -> &'static str {
    match a {
        Some(Attribution::Candidate) => "candidate",
        Some(Attribution::Environment) => "environment",
        Some(Attribution::Baseline) => "baseline",
        None => "",
    }
}

/// The rules timeline: one track per rule and target over the experiment's span (from the
/// series section, else the firing times), a mark where it first fired, coloured by blame.
pub fn rules_timeline(r: &Report) -> String {
    let mut span = (f64::INFINITY, f64::NEG_INFINITY);
    for l in r.series.iter().flatten().flat_map(|m| &m.lines) {
        if let (Some(a), Some(b)) = (l.t.first(), l.t.last()) {
            span = (span.0.min(*a), span.1.max(*b));
        }
    }
    let fired: Vec<f64> = r
        .rules
        .iter()
        .filter_map(|x| x.fired_at.as_deref().and_then(epoch_s))
        .collect();
    for t in &fired {
        span = (span.0.min(*t), span.1.max(*t));
    }
    if r.rules.is_empty() {
        return "<p class=\"sw-note\">No rules were evaluated.</p>\n".into();
    }
    let mut s = String::from("<div class=\"sw-forest\">\n");
    let ok = span.1 > span.0;
    let pos = |t: f64| {
        if ok {
            ((t - span.0) / (span.1 - span.0) * 100.0).clamp(0.0, 100.0)
        } else {
            50.0
        }
    };
    for x in &r.rules {
        s.push_str(&rule_row(x, &pos));
    }
    if ok {
        s.push_str("<div class=\"sw-frow sw-faxis\"><div class=\"sw-flabel\"></div><div class=\"sw-ftrack sw-ticks\">");
        for (t, label) in time_ticks(span.0, span.1, 6) {
            let _ = write!(
                s,
                "<span style=\"left:{:.2}%\">{}</span>",
                pos(t),
                esc(&label)
            );
        }
        s.push_str("</div><div class=\"sw-fval\"></div></div>\n");
    }
    s.push_str("</div>\n<p class=\"sw-note\">Each track is one rule on one target over the experiment (UTC); the mark is where it first fired. A rule that fires for both releases is blamed on the environment.</p>\n<ul class=\"sw-notes\">");
    let mut seen: Vec<&str> = Vec::new();
    for x in &r.rules {
        if !seen.contains(&x.rule.as_str()) {
            seen.push(&x.rule);
            let _ = write!(
                s,
                "<li><b>{}</b>: <code>{}</code></li>",
                esc(&x.rule),
                esc(&x.condition)
            );
        }
    }
    s.push_str("</ul>\n");
    s
}

fn rule_row(x: &RuleResult, pos: &dyn Fn(f64) -> f64) -> String {
    let who = attribution_name(x.attribution);
    let colour = match x.attribution {
        Some(Attribution::Candidate) => "#c62828",
        Some(Attribution::Environment) => "#8d6e00",
        Some(Attribution::Baseline) => "#1565c0",
        None => "#90a4ae",
    };
    let mark = match x.fired_at.as_deref().and_then(epoch_s) {
        Some(t) => {
            let p = pos(t);
            format!(
                "<line x1=\"{p:.2}\" y1=\"0\" x2=\"{p:.2}\" y2=\"10\" stroke=\"{colour}\" stroke-width=\"4\" vector-effect=\"non-scaling-stroke\"/>"
            )
        }
        None => String::new(),
    };
    let value = match &x.fired_at {
        Some(t) => format!(
            "<span class=\"sw-badge sw-{who}\">{}</span> {}",
            esc(who),
            esc(t.get(11..16).unwrap_or(t))
        ),
        None => "<span class=\"sw-muted\">not fired</span>".into(),
    };
    format!(
        "<div class=\"sw-frow\"><div class=\"sw-flabel\" title=\"{cond}\">{rule} <small>{target} ({role})</small></div>\
         <div class=\"sw-ftrack sw-rtrack\"><svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">\
         <rect x=\"0\" y=\"4\" width=\"100\" height=\"2\" fill=\"#e3e8ec\"/>{mark}</svg></div>\
         <div class=\"sw-fval\">{value}</div></div>\n",
        cond = esc(&x.condition),
        rule = esc(&x.rule),
        target = esc(&x.target),
        role = esc(&x.role),
    )
}
