//! E-divisive against signal-processing-algorithms' (SPA) real `e_divisive`.
//!
//! Reference: `datasets/reference/changepoint_spa.json`, written by
//! `datasets/scripts/reference/changepoint_spa.py` with signal-processing-algorithms 2.1.6 (C
//! extension loaded) on MongoDB's `robust_series` / `real_series` and seeded signals.
//!
//! Our options mirror SPA's conventions: α = 1, `min_size = 1`, the same permutation count and
//! significance level, and [`PValueRule::Spa`] (`#{T_perm >= T} / (permutations + 1)`).
//!
//! - Deterministic parts must agree exactly: the best split of every step both searches take
//!   (index identical, statistic to `tol::ASYMPTOTIC` relative: SPA sums a running
//!   distance-matrix recursion, we use Fenwick trees over ranks, so only rounding differs).
//! - Permutation p-values use different RNGs (numpy's global RNG vs our seeded [`Rng`]), so
//!   they agree only in distribution. Where SPA's p-value is far from the threshold
//!   (≤ threshold/5 or ≥ 2.5·threshold) the decision must be the same and the two p-values must
//!   agree within 4 binomial standard errors (+ 2/(P+1)); inside that band a different decision
//!   is accepted and the comparison of that case stops there (the searches then diverge).
//! - `greedy`: the first splits with every test passed (SPA: `pvalue=1, permutations=0`),
//!   a longer deterministic sequence per series.
//!
//! [`Rng`]: shiftwatch::stats::rng::Rng
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

mod common;

use common::{assert_rel, floats, reference, tol};
use shiftwatch::changepoint::edivisive::{EDivisiveChange, PValueRule};
use shiftwatch::changepoint::{e_divisive, EDivisiveOptions};

/// SPA's options for one case.
fn spa_options(case: &serde_json::Value) -> EDivisiveOptions {
    EDivisiveOptions {
        exponent: 1.0,
        min_size: 1,
        permutations: case["permutations"].as_u64().unwrap() as usize,
        p_value: case["pvalue"].as_f64().unwrap(),
        seed: case["seed"].as_u64().unwrap(),
        p_value_rule: PValueRule::Spa,
    }
}

/// Our steps in the order found, then the rejected one.
fn our_trace(x: &[f64], options: &EDivisiveOptions) -> Vec<(EDivisiveChange, bool)> {
    let result = e_divisive(x, options).unwrap();
    let mut steps: Vec<(EDivisiveChange, bool)> = result
        .change_points
        .iter()
        .map(|c| (c.clone(), true))
        .collect();
    steps.sort_by_key(|(c, _)| c.order);
    if let Some(r) = result.rejected {
        steps.push((r, false));
    }
    for (k, (c, _)) in steps.iter().enumerate() {
        assert_eq!(c.order, k);
    }
    steps
}

#[test]
fn e_divisive_matches_signal_processing_algorithms() {
    let doc = reference("changepoint_spa");
    assert_eq!(
        doc["peer_versions"]["signal-processing-algorithms"],
        "2.1.6"
    );
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let (mut steps_compared, mut identical_cases, mut p_compared) = (0, 0, 0);
    let mut worst = 0.0f64;
    let mut rel = |got: f64, want: f64| worst = worst.max((got - want).abs() / want.abs());
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let options = spa_options(case);
        let threshold = options.p_value;
        let perms = options.permutations as f64;
        let ours = our_trace(&x, &options);
        let spa = case["trace"].as_array().unwrap();
        let mut diverged = false;
        for (k, want) in spa.iter().enumerate() {
            let ctx = format!("{name} step {k}");
            let (got, got_sig) = ours
                .get(k)
                .unwrap_or_else(|| panic!("{ctx}: our search stopped after {} steps", ours.len()));
            assert_eq!(got.index as u64, want["index"].as_u64().unwrap(), "{ctx}");
            let want_t = want["statistic"].as_f64().unwrap();
            assert_rel(got.statistic, want_t, tol::ASYMPTOTIC, &ctx);
            rel(got.statistic, want_t);
            steps_compared += 1;
            let p_spa = want["p_value"].as_f64().unwrap();
            let spa_sig = want["significant"].as_bool().unwrap();
            assert_eq!(spa_sig, p_spa <= threshold, "{ctx}");
            let far = p_spa <= threshold / 5.0 || p_spa >= 2.5 * threshold;
            if far {
                assert_eq!(*got_sig, spa_sig, "{ctx}: p {} vs SPA {p_spa}", got.p_value);
                let mean = 0.5 * (got.p_value + p_spa);
                let allowed = 4.0 * (mean * (1.0 - mean) / perms).sqrt() + 2.0 / (perms + 1.0);
                assert!(
                    (got.p_value - p_spa).abs() <= allowed,
                    "{ctx}: p {} vs SPA {p_spa} (allowed {allowed})",
                    got.p_value
                );
                p_compared += 1;
            } else if *got_sig != spa_sig {
                eprintln!(
                    "{ctx}: p {} vs SPA {p_spa} near {threshold}: decisions differ, stop",
                    got.p_value
                );
                diverged = true;
                break;
            }
            if !spa_sig {
                break;
            }
        }
        if !diverged {
            assert_eq!(ours.len(), spa.len(), "{name}: number of steps");
            let mut got: Vec<u64> = ours
                .iter()
                .filter(|(_, s)| *s)
                .map(|(c, _)| c.index as u64)
                .collect();
            let mut want: Vec<u64> = case["change_points"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{name}: change points");
            identical_cases += 1;
        }
        if let Some(greedy) = case.get("greedy").and_then(|g| g.as_array()) {
            // Every split accepted: `b / (1 + 1) <= 0.5 < 0.99` with the SPA rule.
            let all = EDivisiveOptions {
                permutations: 1,
                p_value: 0.99,
                ..options
            };
            let ours = our_trace(&x, &all);
            assert!(ours.len() >= greedy.len(), "{name}: greedy");
            for (k, want) in greedy.iter().enumerate() {
                let ctx = format!("{name} greedy step {k}");
                assert_eq!(
                    ours[k].0.index as u64,
                    want["index"].as_u64().unwrap(),
                    "{ctx}"
                );
                let want_t = want["statistic"].as_f64().unwrap();
                assert_rel(ours[k].0.statistic, want_t, tol::ASYMPTOTIC, &ctx);
                rel(ours[k].0.statistic, want_t);
                steps_compared += 1;
            }
        }
    }
    eprintln!(
        "{steps_compared} steps compared (largest relative error of T {worst:e}), {p_compared} \
         p-values, {identical_cases}/{} cases with identical change points",
        cases.len()
    );
    assert!(identical_cases >= cases.len() - 2);
}

#[test]
fn p_value_rules() {
    assert_eq!(PValueRule::Spa.p_value(5, 99), 0.05);
    assert_eq!(PValueRule::AddOne.p_value(5, 99), 0.06);
    assert_eq!(PValueRule::Spa.p_value(0, 99), 0.0);
    assert_eq!("spa".parse::<PValueRule>().unwrap(), PValueRule::Spa);
    assert_eq!("ecp".parse::<PValueRule>().unwrap(), PValueRule::AddOne);
    assert_eq!(PValueRule::default(), PValueRule::AddOne);
    assert!("nope".parse::<PValueRule>().is_err());
    for rule in [PValueRule::AddOne, PValueRule::Spa] {
        assert_eq!(rule.name().parse::<PValueRule>().unwrap(), rule);
    }
}

/// `shiftwatch detect --method edivisive` with SPA's options reproduces SPA on robust_series.
#[test]
fn cli_edivisive_matches_signal_processing_algorithms() {
    let doc = reference("changepoint_spa");
    let case = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "robust_series")
        .unwrap();
    let x = floats(&case["x"]);
    let dir = std::env::temp_dir().join(format!("shiftwatch-edivisive-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("robust_series.csv");
    let body: Vec<String> = x.iter().map(|v| format!("{v:?}")).collect();
    std::fs::write(&path, format!("value\n{}\n", body.join("\n"))).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
        .arg("detect")
        .arg(&path)
        .args([
            "--method",
            "edivisive",
            "--min-size",
            "1",
            "--p-value-rule",
            "spa",
        ])
        .args(["--permutations", &case["permutations"].to_string()])
        .args(["--alpha", &case["pvalue"].to_string(), "--format", "json"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = got["change_points"].as_array().unwrap();
    let spa = case["trace"].as_array().unwrap();
    let significant: Vec<&serde_json::Value> = spa
        .iter()
        .filter(|s| s["significant"].as_bool().unwrap())
        .collect();
    assert_eq!(got.len(), significant.len());
    for c in got {
        let want = significant
            .iter()
            .find(|s| s["index"] == c["index"])
            .unwrap_or_else(|| panic!("{c} not found by SPA"));
        assert_rel(
            c["statistic"].as_f64().unwrap(),
            want["statistic"].as_f64().unwrap(),
            tol::ASYMPTOTIC,
            "robust_series via the CLI",
        );
    }
    assert_eq!(doc["peer_versions"]["c_extension_loaded"], true);
}
