//! The rules timeline: one track per rule and target over the experiment's span, a mark where
//! the rule first fired, coloured by blame; then each rule's condition.

use std::fmt::Write as _;

use super::epoch_s;
use super::svg::{esc, time_ticks};
use crate::report::{Attribution, Report, RuleResult};

/// `candidate`, `environment`, `baseline` or empty.
pub(super) fn attribution_name(a: Option<Attribution>) -> &'static str {
    match a {
        Some(Attribution::Candidate) => "candidate",
        Some(Attribution::Environment) => "environment",
        Some(Attribution::Baseline) => "baseline",
        None => "",
    }
}

/// The rules timeline: one track per rule and target over the experiment's span (from the
/// series section, else the firing times), a mark where it first fired, coloured by blame.
pub(super) fn rules_timeline(r: &Report) -> String {
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
