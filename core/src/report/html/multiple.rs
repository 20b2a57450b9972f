//! One metric's small multiple as inline SVG: every target's line (replicas thin, baseline under
//! candidate), the warm-up shaded, the deploy marked, change points dashed, rule firings as
//! triangles with a line. The figure scales as a whole.

use std::fmt::Write as _;

use super::svg::{compact, esc, nice_ticks, path, time_ticks, Scale};
use super::timeline::attribution_name;
use super::{epoch_s, role_colour, RULE_COLOUR};
use crate::report::render::metric_id;
use crate::report::{MetricResult, MetricSeries, Report};

/// Width, height and plot margins (left, right, top, bottom) of a small multiple, in SVG units.
const W: f64 = 440.0;
const H: f64 = 190.0;
const PAD: (f64, f64, f64, f64) = (44.0, 8.0, 10.0, 20.0);

/// One metric's small multiple.
pub(super) fn multiple(r: &Report, m: &MetricResult, series: &MetricSeries) -> String {
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
