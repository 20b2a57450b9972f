//! Renderers of an analysis [`Report`]: an 80-column table, Markdown for a pull-request
//! comment, JUnit XML for CI systems (HTML: [`super::html`]). JSON is the serde form of
//! [`Report`] itself.

use std::fmt::Write as _;

use super::{Attribution, MetricResult, Report, Verdict};

fn pct(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let v = x * 100.0;
    if v.abs() >= 10.0 {
        format!("{v:+.1}")
    } else {
        format!("{v:+.2}")
    }
}

/// Metric identity `name{k="v"}`.
pub fn metric_id(m: &MetricResult) -> String {
    crate::analyze::display_id(&m.metric, &m.labels)
}

/// Effect as shown in tables: `+6.10 %`, `×1.52 sd`, `+1.2 %/h`, or absolute.
pub fn effect_cell(m: &MetricResult) -> (String, String) {
    let Some(e) = &m.effect else {
        return ("—".into(), String::new());
    };
    match (e.statistic.as_str(), e.relative, e.ci_relative) {
        ("sd_ratio", Some(r), Some(ci)) => (
            format!("×{:.2} sd", 1.0 + r),
            format!("[{:.2}, {:.2}]", 1.0 + ci[0], 1.0 + ci[1]),
        ),
        ("trend_per_h", Some(r), Some(ci)) => (
            format!("{} %/h", pct(r)),
            format!("[{}, {}] %/h", pct(ci[0]), pct(ci[1])),
        ),
        (_, Some(r), Some(ci)) => (
            format!("{} %", pct(r)),
            format!("[{}, {}] %", pct(ci[0]), pct(ci[1])),
        ),
        _ => (
            format!("{:+.3}", e.absolute),
            format!("[{:+.3}, {:+.3}]", e.ci_absolute[0], e.ci_absolute[1]),
        ),
    }
}

/// An adjusted p-value as shown in tables (`2e-23`, `0.0615`, `—`).
pub fn p_cell(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 1e-4 => format!("{p:.0e}"),
        Some(p) => format!("{p:.4}"),
        None => "—".into(),
    }
}

/// `s` cut to `width` characters (with `…`), not padded.
fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

fn colour(v: Verdict) -> &'static str {
    match v {
        Verdict::Regression => "\x1b[1;31m",
        Verdict::Improvement => "\x1b[32m",
        Verdict::NoChange => "\x1b[2m",
        Verdict::Inconclusive => "\x1b[33m",
        Verdict::NoData => "\x1b[2m",
    }
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

/// A table that fits 80 columns, worst first; `colour` adds ANSI colours to verdicts.
pub fn table(r: &Report, colour_on: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", wrap(&r.summary.line, 80, "").trim_end());
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<12} {:<29} {:>9} {:<18} {:>7}",
        "verdict", "metric", "effect", "interval", "p adj"
    );
    for m in &r.metrics {
        let (eff, ci) = effect_cell(m);
        let v = format!("{:<12}", m.verdict.as_str());
        let v = if colour_on {
            format!("{}{v}\x1b[0m", colour(m.verdict))
        } else {
            v
        };
        let _ = writeln!(
            s,
            "{v} {:<29} {:>9} {:<18} {:>7}",
            fit(&metric_id(m), 29),
            fit(&eff, 9),
            fit(&ci, 18),
            p_cell(m.p_adjusted)
        );
    }
    let flagged: Vec<&MetricResult> = r
        .metrics
        .iter()
        .filter(|m| {
            matches!(
                m.verdict,
                Verdict::Regression | Verdict::Improvement | Verdict::Inconclusive
            )
        })
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(s, "\nwhy:");
        for m in flagged {
            s.push_str(&wrap(&format!("- {}", m.reason), 78, "  ").replacen("  - ", "- ", 1));
        }
    }
    let fired: Vec<_> = r.rules.iter().filter(|x| x.fired_at.is_some()).collect();
    if !r.rules.is_empty() {
        let _ = writeln!(
            s,
            "\nrules ({} evaluated, {} fired):",
            r.rules.len(),
            fired.len()
        );
        for x in fired {
            let who = match x.attribution {
                Some(Attribution::Candidate) => "CANDIDATE",
                Some(Attribution::Environment) => "environment",
                Some(Attribution::Baseline) => "baseline only",
                None => "",
            };
            let line = format!(
                "- {} on {} ({}) at {}: {}",
                x.rule,
                x.target,
                x.role,
                x.fired_at.as_deref().unwrap_or(""),
                who
            );
            s.push_str(&wrap(&line, 78, "  ").replacen("  - ", "- ", 1));
        }
    }
    s
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markdown for a pull-request comment: summary, verdict table, collapsible details.
pub fn markdown(r: &Report) -> String {
    let mut s = String::new();
    let icon = match r.summary.verdict {
        Verdict::Regression => "❌",
        Verdict::Improvement | Verdict::NoChange => "✅",
        _ => "⚠️",
    };
    let _ = writeln!(s, "### {icon} shiftwatch: {}\n", md_escape(&r.summary.line));
    let _ = writeln!(s, "| verdict | metric | effect | interval | p adj |");
    let _ = writeln!(s, "|---|---|---:|---|---:|");
    for m in &r.metrics {
        let (e, ci) = effect_cell(m);
        let v = match m.verdict {
            Verdict::Regression => "**regression**".to_string(),
            v => v.as_str().replace('_', " "),
        };
        let _ = writeln!(
            s,
            "| {v} | `{}` | {e} | {ci} | {} |",
            metric_id(m).replace('`', "'"),
            p_cell(m.p_adjusted)
        );
    }
    let _ = writeln!(s);
    for m in &r.metrics {
        let _ = writeln!(
            s,
            "<details><summary>{} — {}</summary>\n",
            md_escape(&metric_id(m)),
            m.verdict.as_str()
        );
        let _ = writeln!(s, "{}\n", md_escape(&m.reason));
        for cp in &m.change_points {
            let _ = writeln!(
                s,
                "- change point ({}): {} {:.4} → {:.4} (p {:.2e})",
                cp.role, cp.time, cp.before, cp.after, cp.p_value
            );
        }
        for n in &m.notes {
            let _ = writeln!(s, "- {}", md_escape(n));
        }
        let _ = writeln!(s, "\n</details>");
    }
    if !r.rules.is_empty() {
        let _ = writeln!(s, "\n| rule | target | role | fired at | attribution |");
        let _ = writeln!(s, "|---|---|---|---|---|");
        for x in &r.rules {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                md_escape(&x.rule),
                md_escape(&x.target),
                x.role,
                x.fired_at.as_deref().unwrap_or("—"),
                x.attribution.map_or("—", |a| match a {
                    Attribution::Candidate => "**candidate**",
                    Attribution::Environment => "environment",
                    Attribution::Baseline => "baseline",
                })
            );
        }
    }
    s
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JUnit XML: one test case per metric and per rule and target; regressions and rules fired
/// for the candidate are failures, inconclusive and no-data metrics are skipped.
pub fn junit(r: &Report) -> String {
    let failures = r
        .metrics
        .iter()
        .filter(|m| m.verdict == Verdict::Regression)
        .count()
        + r.rules
            .iter()
            .filter(|x| x.attribution == Some(Attribution::Candidate))
            .count();
    let skipped = r
        .metrics
        .iter()
        .filter(|m| matches!(m.verdict, Verdict::Inconclusive | Verdict::NoData))
        .count();
    let tests = r.metrics.len() + r.rules.len();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(s, "<testsuites name=\"shiftwatch\" tests=\"{tests}\" failures=\"{failures}\" skipped=\"{skipped}\">");
    let _ = writeln!(
        s,
        "  <testsuite name=\"metrics\" tests=\"{}\">",
        r.metrics.len()
    );
    for m in &r.metrics {
        let _ = write!(
            s,
            "    <testcase classname=\"shiftwatch.metrics\" name=\"{}\"",
            xml(&metric_id(m))
        );
        match m.verdict {
            Verdict::Regression => {
                let _ = writeln!(
                    s,
                    ">\n      <failure message=\"regression\">{}</failure>\n    </testcase>",
                    xml(&m.reason)
                );
            }
            Verdict::Inconclusive | Verdict::NoData => {
                let _ = writeln!(
                    s,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml(&m.reason)
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    ">\n      <system-out>{}</system-out>\n    </testcase>",
                    xml(&m.reason)
                );
            }
        }
    }
    let _ = writeln!(s, "  </testsuite>");
    let _ = writeln!(
        s,
        "  <testsuite name=\"rules\" tests=\"{}\">",
        r.rules.len()
    );
    for x in &r.rules {
        let name = xml(&format!("{} @ {}", x.rule, x.target));
        match (x.attribution, &x.fired_at) {
            (Some(Attribution::Candidate), Some(t)) => {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"shiftwatch.rules\" name=\"{name}\">\n      <failure message=\"fired at {t}\">{}</failure>\n    </testcase>",
                    xml(&x.condition)
                );
            }
            (Some(a), Some(t)) => {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"shiftwatch.rules\" name=\"{name}\">\n      <system-out>fired at {t}, attributed to the {}</system-out>\n    </testcase>",
                    if a == Attribution::Environment { "environment" } else { "baseline" }
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"shiftwatch.rules\" name=\"{name}\"/>"
                );
            }
        }
    }
    let _ = writeln!(s, "  </testsuite>\n</testsuites>");
    s
}
