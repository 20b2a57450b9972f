//! Mann–Whitney U and Wilcoxon signed-rank against scipy.stats (values in
//! `datasets/reference/rank.json`, written by `datasets/scripts/reference/rank.py`).

#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, float, reference, tol};
use serde_json::Value;
use shiftwatch::stats::mann_whitney::{mann_whitney_u, MwuMethod, MwuOptions};
use shiftwatch::stats::wilcoxon::{wilcoxon, WilcoxonMethod, WilcoxonOptions};

/// `int / scale`, the same correctly rounded division the generator used.
fn sample(v: &Value, scale: f64) -> Vec<f64> {
    v.as_array()
        .expect("array of integers")
        .iter()
        .map(|i| i.as_i64().expect("integer") as f64 / scale)
        .collect()
}

fn text(v: &Value) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v}"))
}

/// Result rows are arrays; `columns[test]` names their fields.
fn column(doc: &Value, test: &str, name: &str) -> usize {
    doc["columns"][test]
        .as_array()
        .expect("columns")
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} for {test}"))
}

#[test]
fn mann_whitney_matches_scipy() {
    let doc = reference("rank");
    let col = |name| column(&doc, "mannwhitneyu", name);
    let (c_method, c_alt, c_cont) = (col("method"), col("alternative"), col("use_continuity"));
    let (c_used, c_stat, c_p) = (col("method_used"), col("statistic"), col("p_value"));
    let mut checked = 0;
    for (i, case) in doc["cases"].as_array().expect("cases").iter().enumerate() {
        if case["test"] != "mannwhitneyu" {
            continue;
        }
        let scale = float(&case["scale"]);
        let (x, y) = (sample(&case["x"], scale), sample(&case["y"], scale));
        for r in case["results"].as_array().expect("results") {
            let options = MwuOptions {
                alternative: text(&r[c_alt]).parse().expect("alternative"),
                method: text(&r[c_method]).parse().expect("method"),
                use_continuity: r[c_cont].as_bool().expect("bool"),
            };
            let ctx = format!(
                "case {i} ({}, n = {}/{}) {options:?}",
                text(&case["kind"]),
                x.len(),
                y.len()
            );
            let got = mann_whitney_u(&x, &y, &options).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            let used: MwuMethod = text(&r[c_used]).parse().expect("method");
            assert_eq!(got.method_used, used, "{ctx}");
            // U is an integer or half-integer computed exactly on both sides.
            assert_rel(got.statistic, float(&r[c_stat]), tol::EXACT, &ctx);
            let p_tol = match used {
                MwuMethod::Exact => tol::EXACT,
                _ => tol::ASYMPTOTIC,
            };
            assert_rel(got.p_value, float(&r[c_p]), p_tol, &ctx);
            checked += 1;
        }
    }
    assert!(
        checked >= 300,
        "only {checked} Mann-Whitney results checked"
    );
}

#[test]
fn wilcoxon_matches_scipy() {
    let doc = reference("rank");
    let col = |name| column(&doc, "wilcoxon", name);
    let (c_zero, c_alt, c_corr) = (col("zero_method"), col("alternative"), col("correction"));
    let (c_method, c_used, c_stat) = (col("method"), col("method_used"), col("statistic"));
    let (c_p, c_z) = (col("p_value"), col("z"));
    let mut checked = 0;
    for (i, case) in doc["cases"].as_array().expect("cases").iter().enumerate() {
        if case["test"] != "wilcoxon" {
            continue;
        }
        let scale = float(&case["scale"]);
        let x = sample(&case["x"], scale);
        let y = (!case["y"].is_null()).then(|| sample(&case["y"], scale));
        for r in case["results"].as_array().expect("results") {
            let options = WilcoxonOptions {
                zero_method: text(&r[c_zero]).parse().expect("zero_method"),
                correction: r[c_corr].as_bool().expect("bool"),
                alternative: text(&r[c_alt]).parse().expect("alternative"),
                method: text(&r[c_method]).parse().expect("method"),
            };
            let ctx = format!(
                "case {i} ({}, n = {}, paired = {}) {options:?}",
                text(&case["kind"]),
                x.len(),
                y.is_some()
            );
            let got = wilcoxon(&x, y.as_deref(), &options).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            let used: WilcoxonMethod = text(&r[c_used]).parse().expect("method");
            assert_eq!(got.method_used, used, "{ctx}");
            assert_rel(got.statistic, float(&r[c_stat]), tol::EXACT, &ctx);
            let expected = float(&r[c_p]);
            match used {
                WilcoxonMethod::Asymptotic => {
                    assert_rel(got.p_value, expected, tol::ASYMPTOTIC, &ctx);
                    let got_z = got.z.expect("z for the normal approximation");
                    if !r[c_z].is_null() {
                        assert_rel(got_z, float(&r[c_z]), tol::ASYMPTOTIC, &ctx);
                    }
                }
                WilcoxonMethod::Exact if x.len() > 53 => {
                    // Beyond 53 pairs the null probabilities are no longer exact doubles and
                    // scipy takes upper tails as `1 − cdf`, which carries an absolute error of
                    // ~1e-16 that is large relative to a far-tail p; we sum the tail directly.
                    // So: relative EXACT, or absolute 1e-14 where scipy's own error dominates.
                    let err = (got.p_value - expected).abs();
                    assert!(
                        err <= tol::EXACT * expected.abs() || err <= 1e-14,
                        "{ctx}: got {:e}, expected {expected:e}",
                        got.p_value
                    );
                }
                _ => assert_rel(got.p_value, expected, tol::EXACT, &ctx),
            }
            checked += 1;
        }
    }
    assert!(checked >= 300, "only {checked} Wilcoxon results checked");
}
