//! The HTML report: one self-contained page (inline CSS and SVG; no script, font or image is
//! loaded, and a Content-Security-Policy forbids it), readable on a laptop and a phone.
//!
//! Sections: the summary line and settings, the verdict table (worst first), the forest plot of
//! relative effects ([`forest`]), one small multiple per metric (from
//! `Report::series`), the rules timeline, and the data notes (gaps, resets, dropped points,
//! skipped rows). Every text from the data (metric names, labels, targets) is escaped.

use std::fmt::Write as _;

use super::render::{effect_cell, metric_id, p_cell};
use super::{MetricResult, Report, Verdict};
use crate::series::time::parse_timestamp;
use forest::forest;
use multiple::multiple;
use svg::esc;
use timeline::rules_timeline;

mod forest;
mod multiple;
mod svg;
mod timeline;

const CSS: &str = include_str!("style.css");

/// The page's Content-Security-Policy: nothing may load, inline styles only.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                       base-uri 'none'; form-action 'none'";

/// Most small multiples drawn (the worst metrics first); the page says how many were left out.
pub const MAX_MULTIPLES: usize = 60;

/// The whole report as one HTML page. The small multiples need `report.series` (the analysis
/// run with `series` on); without it the page says so.
pub fn page(r: &Report) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"shiftwatch {}\">\n\
         <title>shiftwatch: {}</title>\n<style>\nbody{{margin:0;background:#f6f8f9}}\n{CSS}</style>\n</head>\n<body>\n<main class=\"sw\">\n",
        env!("CARGO_PKG_VERSION"),
        esc(&r.summary.line)
    );
    s.push_str(&head(r, true));
    s.push_str("<section id=\"sw-verdicts\">\n<h2>Verdicts</h2>\n");
    s.push_str(&verdict_table(r));
    s.push_str("</section>\n<section id=\"sw-effects\">\n<h2>Relative effects</h2>\n");
    s.push_str(&forest(r));
    s.push_str("</section>\n<section id=\"sw-series\">\n<h2>Series</h2>\n");
    s.push_str(&multiples(r));
    s.push_str("</section>\n<section id=\"sw-rules\">\n<h2>Rules</h2>\n");
    s.push_str(&rules_timeline(r));
    s.push_str("</section>\n<section id=\"sw-data\">\n<h2>Data notes</h2>\n");
    s.push_str(&data_notes(r));
    let _ = write!(
        s,
        "</section>\n<footer class=\"sw-foot\">{} · seed {} · made by shiftwatch {}; this page loads nothing from the network.</footer>\n</main>\n</body>\n</html>\n",
        esc(r.schema),
        r.seed,
        env!("CARGO_PKG_VERSION")
    );
    s
}

/// A compact part for notebooks (`_repr_html_`): the summary, the verdict table and the forest
/// plot, with the page's styles (all scoped under `.sw`).
pub fn fragment(r: &Report) -> String {
    let mut s = format!("<div class=\"sw\">\n<style>\n{CSS}</style>\n");
    s.push_str(&head(r, false));
    s.push_str(&verdict_table(r));
    s.push_str("<h2>Relative effects</h2>\n");
    s.push_str(&forest(r));
    s.push_str("</div>\n");
    s
}

fn badge(v: Verdict) -> String {
    format!(
        "<span class=\"sw-badge sw-{}\">{}</span>",
        v.as_str(),
        v.as_str().replace('_', " ")
    )
}

fn head(r: &Report, nav: bool) -> String {
    let st = &r.settings;
    let mut meta = vec![
        format!("mode <b>{}</b>", r.mode.as_str()),
        format!("baseline <code>{}</code>", esc(&st.baseline)),
        format!("candidate <code>{}</code>", esc(&st.candidate)),
        format!(
            "α {} · {} over {} tests",
            r.summary.alpha,
            esc(&r.summary.correction),
            r.summary.tests
        ),
        format!("warm-up {} min", st.warmup_s / 60.0),
    ];
    if let Some(d) = &st.deploy_at {
        meta.push(format!(
            "deploy {} ({})",
            esc(d),
            esc(st.deploy_source.as_deref().unwrap_or(""))
        ));
    }
    if let Some(p) = &st.preset {
        meta.push(format!("preset {}", esc(p)));
    }
    if let Some(c) = &st.config {
        meta.push(format!("config <code>{}</code>", esc(c)));
    }
    meta.push(format!(
        "{} file{}, {} series",
        r.inputs.files.len(),
        if r.inputs.files.len() == 1 { "" } else { "s" },
        r.inputs.series
    ));
    let mut s = format!(
        "<header class=\"sw-head sw-{v}\">\n<h1>shiftwatch report {b}</h1>\n<p class=\"sw-line\">{line}</p>\n<ul class=\"sw-meta\">",
        v = r.summary.verdict.as_str(),
        b = badge(r.summary.verdict),
        line = esc(&r.summary.line)
    );
    for m in meta {
        let _ = write!(s, "<li>{m}</li>");
    }
    s.push_str("</ul>\n");
    if nav {
        s.push_str(
            "<nav class=\"sw-nav\"><a href=\"#sw-verdicts\">Verdicts</a><a href=\"#sw-effects\">Effects</a>\
             <a href=\"#sw-series\">Series</a><a href=\"#sw-rules\">Rules</a><a href=\"#sw-data\">Data notes</a></nav>\n",
        );
    }
    s.push_str("</header>\n");
    s
}

fn verdict_table(r: &Report) -> String {
    let mut s = String::from(
        "<div class=\"sw-scroll\"><table class=\"sw-verdicts\">\n<thead><tr><th>verdict</th><th>metric</th>\
         <th class=\"sw-num\">effect</th><th class=\"sw-num\">interval</th><th class=\"sw-num\">margin</th>\
         <th class=\"sw-num\">p adj</th><th>reason</th></tr></thead>\n<tbody>\n",
    );
    for (i, m) in r.metrics.iter().enumerate() {
        let (eff, ci) = effect_cell(m);
        let margin = m
            .effect
            .as_ref()
            .map_or("—".into(), |e| format!("±{:.1} %", e.margin * 100.0));
        let _ = writeln!(
            s,
            "<tr class=\"sw-row-{v}\"><td>{b}</td><td class=\"sw-id\"><a href=\"#sw-m-{i}\"><code>{id}</code></a></td>\
             <td class=\"sw-num\">{eff}</td><td class=\"sw-num\">{ci}</td><td class=\"sw-num\">{margin}</td>\
             <td class=\"sw-num\">{p}</td><td class=\"sw-reason\">{reason}</td></tr>",
            v = m.verdict.as_str(),
            b = badge(m.verdict),
            id = esc(&metric_id(m)),
            eff = esc(&eff),
            ci = esc(&ci),
            p = esc(&p_cell(m.p_adjusted)),
            reason = esc(&m.reason),
        );
    }
    s.push_str("</tbody></table></div>\n");
    s
}

fn multiples(r: &Report) -> String {
    let Some(series) = &r.series else {
        return "<p class=\"sw-note\">The series were not kept with this report (analyse with \
                series on, e.g. <code>--format html</code> or <code>--series</code>).</p>\n"
            .into();
    };
    let mut s = String::from(
        "<div class=\"sw-legend\"><span><i class=\"sw-key\" style=\"border-color:#1565c0\"></i>baseline replicas</span>\
         <span><i class=\"sw-key\" style=\"border-color:#c2185b\"></i>candidate replicas</span>\
         <span><i class=\"sw-key sw-dash\" style=\"border-color:#37474f\"></i>change point</span>\
         <span style=\"color:#6a1b9a\">▼ rule fired</span>\
         <span><i class=\"sw-key sw-box\"></i>warm-up (not analysed)</span><span class=\"sw-muted\">time in UTC</span></div>\n\
         <div class=\"sw-grid\">\n",
    );
    for (i, (m, ser)) in r.metrics.iter().zip(series).enumerate().take(MAX_MULTIPLES) {
        let (eff, ci) = effect_cell(m);
        let _ = writeln!(
            s,
            "<figure class=\"sw-fig\" id=\"sw-m-{i}\"><figcaption>{b}<code>{id}</code><span class=\"sw-muted\">{eff} {ci}</span></figcaption>{svg}</figure>",
            b = badge(m.verdict),
            id = esc(&metric_id(m)),
            eff = esc(&eff),
            ci = esc(&ci),
            svg = multiple(r, m, ser),
        );
    }
    s.push_str("</div>\n");
    if r.metrics.len() > MAX_MULTIPLES {
        let _ = writeln!(
            s,
            "<p class=\"sw-note\">{} more metrics are not drawn (the page draws the worst {MAX_MULTIPLES}); their series are in the JSON with <code>--series</code>.</p>",
            r.metrics.len() - MAX_MULTIPLES
        );
    }
    s
}

fn data_notes(r: &Report) -> String {
    let mut s = String::from(
        "<div class=\"sw-scroll\"><table>\n<thead><tr><th>metric</th><th class=\"sw-num\">compared</th>\
         <th class=\"sw-num\">n eff</th><th class=\"sw-num\">step</th><th class=\"sw-num\">read</th>\
         <th class=\"sw-num\">gaps</th><th class=\"sw-num\">dropped</th><th class=\"sw-num\">warm-up</th>\
         <th class=\"sw-num\">resets</th><th>notes</th></tr></thead>\n<tbody>\n",
    );
    for m in &r.metrics {
        s.push_str(&data_row(m));
    }
    s.push_str("</tbody></table></div>\n");
    let i = &r.inputs;
    let _ = write!(
        s,
        "<p class=\"sw-note\"><b>compared</b>: grid times with both sides present; <b>gaps</b>: grid times without a usable value on a side (no scrape, NaN, a replica missing); \
         <b>dropped</b>: NaN/±∞, duplicates, unused by the grid; <b>warm-up</b>: points trimmed at the start; <b>resets</b>: counter resets handled.</p>\n\
         <h3 style=\"font-size:1em\">Inputs</h3>\n<ul class=\"sw-notes\"><li>{} data rows read, <b>{} skipped</b>, {} series</li>",
        i.rows, i.rows_skipped, i.series
    );
    for f in &i.files {
        let _ = write!(s, "<li><code>{}</code></li>", esc(f));
    }
    for n in &i.notes {
        let _ = write!(s, "<li>{}</li>", esc(n));
    }
    s.push_str("</ul>\n");
    let fired: Vec<_> = r.rules.iter().filter(|x| x.fired_at.is_some()).collect();
    if !r.rules.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"sw-note\">Rules: {} evaluated on their targets, {} fired; {} evaluations had no value (unknown).</p>",
            r.rules.len(),
            fired.len(),
            r.rules.iter().map(|x| x.unknown).sum::<usize>()
        );
    }
    s
}

fn data_row(m: &MetricResult) -> String {
    let d = &m.data;
    let mut notes: Vec<String> = m.notes.iter().map(|n| esc(n)).collect();
    if d.coarse {
        notes.push("coarse: bounded by the histogram's buckets".into());
    }
    format!(
        "<tr><td class=\"sw-id\"><code>{}</code></td><td class=\"sw-num\">{}</td><td class=\"sw-num\">{}</td>\
         <td class=\"sw-num\">{}</td><td class=\"sw-num\">{}</td><td class=\"sw-num\">{}</td><td class=\"sw-num\">{}</td>\
         <td class=\"sw-num\">{}</td><td class=\"sw-num\">{}</td><td>{}</td></tr>\n",
        esc(&metric_id(m)),
        d.points,
        d.n_effective.map_or("—".into(), |n| format!("{n:.0}")),
        d.step_s.map_or("—".into(), |x| format!("{x} s")),
        d.read,
        d.missing,
        d.dropped,
        d.warmup_trimmed,
        d.resets,
        notes.join("; ")
    )
}

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
