//! Dependence and multiplicity against `datasets/reference/dependence.json`, written by
//! `datasets/scripts/reference/dependence.py` (statsmodels acf, arch kernel long-run variances,
//! statsmodels multipletests, scipy false_discovery_control; versions recorded in the JSON).

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

mod common;

use common::{assert_rel, float, floats, reference, tol};
use serde_json::Value;
use shiftwatch::stats::compare::{compare, CompareOptions, Pairing};
use shiftwatch::stats::dependence::{
    acf, effective_sample_size, ewc_long_run_variance, lag1, long_run_variance, lrv_welch_test,
    Bandwidth, LrvOptions,
};
use shiftwatch::stats::multiplicity::{adjust, Correction};
use shiftwatch::stats::{Alternative, ConfidenceInterval};

fn series(doc: &Value) -> Vec<Vec<f64>> {
    doc["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| floats(&s["x"]))
        .collect()
}

fn idx(v: &Value) -> usize {
    v.as_u64().unwrap() as usize
}

#[test]
fn acf_and_lag1_match_statsmodels() {
    let doc = reference("dependence");
    let data = series(&doc);
    let cases = doc["acf"].as_array().unwrap();
    assert!(cases.len() > 150);
    for case in cases {
        let x = &data[idx(&case["series"])];
        let max_lag = idx(&case["max_lag"]);
        let expected = floats(&case["acf"]);
        let got = acf(x, max_lag).unwrap();
        assert_eq!(got.values.len(), expected.len());
        for (k, (g, e)) in got.values.iter().zip(&expected).enumerate() {
            // Autocorrelations near zero are differences of O(1) sums: compare absolutely.
            let ctx = format!("acf n={} lag {k}", x.len());
            if e.abs() < 1e-3 {
                assert!((g - e).abs() < tol::ASYMPTOTIC, "{ctx}: {g} vs {e}");
            } else {
                assert_rel(*g, *e, tol::ASYMPTOTIC, &ctx);
            }
        }
        let r1 = lag1(x).unwrap();
        assert!((r1 - expected[1]).abs() < tol::ASYMPTOTIC);
    }
}

#[test]
fn effective_sample_size_matches_geyer_reference() {
    let doc = reference("dependence");
    let data = series(&doc);
    let cases = doc["ess"].as_array().unwrap();
    assert!(cases.len() > 50);
    for case in cases {
        let x = &data[idx(&case["series"])];
        let got = effective_sample_size(x).unwrap();
        let ctx = format!("ess n={}", x.len());
        assert_rel(got.ess, float(&case["ess"]), tol::ASYMPTOTIC, &ctx);
        assert_rel(got.tau, float(&case["tau"]), tol::ASYMPTOTIC, &ctx);
        assert_eq!(got.max_lag, idx(&case["max_lag"]), "{ctx}");
    }
}

#[test]
fn long_run_variance_matches_arch() {
    let doc = reference("dependence");
    let data = series(&doc);
    let cases = doc["lrv"].as_array().unwrap();
    assert!(cases.len() > 1000);
    for case in cases {
        let x = &data[idx(&case["series"])];
        let options = LrvOptions {
            kernel: case["kernel"].as_str().unwrap().parse().unwrap(),
            bandwidth: match case["bandwidth"].as_f64() {
                Some(b) => Bandwidth::Fixed(b),
                None => Bandwidth::Auto,
            },
            prewhiten: case["prewhiten"].as_bool().unwrap(),
        };
        let ctx = format!("lrv n={} {:?}", x.len(), options);
        let got = long_run_variance(x, &options).unwrap();
        assert_rel(got.value, float(&case["value"]), tol::ASYMPTOTIC, &ctx);
        assert_rel(
            got.bandwidth,
            float(&case["bandwidth_used"]),
            tol::ASYMPTOTIC,
            &ctx,
        );
        match got.prewhiten_phi {
            Some(phi) => assert_rel(phi, float(&case["phi"]), tol::ASYMPTOTIC, &ctx),
            None => assert!(case["phi"].is_null(), "{ctx}"),
        }
    }
}

#[test]
fn ewc_matches_explicit_cosine_basis() {
    let doc = reference("dependence");
    let data = series(&doc);
    let cases = doc["ewc"].as_array().unwrap();
    assert!(cases.len() > 200);
    for case in cases {
        let x = &data[idx(&case["series"])];
        let nu = idx(&case["nu"]);
        let got = ewc_long_run_variance(x, nu).unwrap();
        let ctx = format!("ewc n={} nu={nu}", x.len());
        assert_rel(got.value, float(&case["value"]), tol::ASYMPTOTIC, &ctx);
    }
}

#[test]
fn lrv_welch_matches_reference() {
    let doc = reference("dependence");
    let data = series(&doc);
    let cases = doc["lrv_welch"].as_array().unwrap();
    assert!(cases.len() > 300);
    for case in cases {
        let x = &data[idx(&case["x"])];
        let y = &data[idx(&case["y"])];
        let alternative: Alternative = case["alternative"].as_str().unwrap().parse().unwrap();
        let options = LrvOptions {
            kernel: case["kernel"].as_str().unwrap().parse().unwrap(),
            bandwidth: Bandwidth::Auto,
            prewhiten: case["prewhiten"].as_bool().unwrap(),
        };
        let got = lrv_welch_test(x, y, &options, alternative).unwrap();
        let ctx = format!(
            "lrv_welch {}/{} {alternative} {:?}",
            x.len(),
            y.len(),
            options
        );
        assert_rel(
            got.statistic,
            float(&case["statistic"]),
            tol::ASYMPTOTIC,
            &ctx,
        );
        let expected = float(&case["p_value"]);
        if expected < 1e-300 {
            // scipy's norm.sf underflows to 0 where erfc still returns a subnormal.
            assert!(got.p_value < 1e-300, "{ctx}: {}", got.p_value);
        } else {
            assert_rel(got.p_value, expected, tol::ASYMPTOTIC, &ctx);
        }
    }
}

#[test]
fn adjusted_p_values_match_scipy_and_statsmodels() {
    let doc = reference("dependence");
    let cases = doc["multiplicity"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for case in cases {
        let p = floats(&case["p"]);
        for (key, correction) in [
            ("bh", Correction::BenjaminiHochberg),
            ("by", Correction::BenjaminiYekutieli),
            ("holm", Correction::Holm),
            ("bonferroni", Correction::Bonferroni),
        ] {
            let expected = floats(&case[key]);
            let got = adjust(&p, correction).unwrap();
            for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
                assert_rel(*g, *e, tol::EXACT, &format!("{key} m={} [{i}]", p.len()));
            }
        }
        assert_eq!(adjust(&p, Correction::None).unwrap(), p);
    }
}

fn check_ci(got: &ConfidenceInterval, expected: &Value, ctx: &str) {
    let e = floats(expected);
    assert_rel(got.lo, e[0], tol::ASYMPTOTIC, &format!("{ctx} ci.lo"));
    assert_rel(got.hi, e[1], tol::ASYMPTOTIC, &format!("{ctx} ci.hi"));
}

#[test]
fn compare_matches_scipy_t_tests_and_the_ewc_reference() {
    let doc = reference("dependence");
    let pairs = doc["compare_pairs"].as_array().unwrap();
    let cases = doc["compare"].as_array().unwrap();
    assert!(cases.len() > 300);
    let mut floored = 0;
    let mut max_floored_n = 0;
    for case in cases {
        let pair = &pairs[idx(&case["pair"])];
        let (b, c) = (floats(&pair["baseline"]), floats(&pair["candidate"]));
        let options = CompareOptions {
            alpha: float(&case["alpha"]),
            alternative: case["alternative"].as_str().unwrap().parse().unwrap(),
            paired: case["paired"]
                .as_str()
                .map(|p| p.parse::<Pairing>().unwrap()),
            statistic: case["statistic_name"].as_str().unwrap().parse().unwrap(),
            method: case["method"].as_str().unwrap().parse().unwrap(),
        };
        let ctx = format!("compare n={} {options:?}", b.len());
        let got = compare(&b, &c, &options).unwrap();
        if got.notes.iter().any(|n| n.contains("floored")) {
            // Effective n < 1 (issue 9, item 14): the floor departs from the reference's plain
            // EWC formula by design; it is tested in tests/hardening.rs.
            floored += 1;
            max_floored_n = max_floored_n.max(b.len().min(c.len()));
            continue;
        }
        assert_rel(got.p_value, float(&case["p_value"]), tol::ASYMPTOTIC, &ctx);
        assert_rel(
            got.statistic,
            float(&case["statistic"]),
            tol::ASYMPTOTIC,
            &ctx,
        );
        assert_rel(got.df, float(&case["df"]), tol::ASYMPTOTIC, &ctx);
        let log_ratio = options.paired == Some(Pairing::LogRatio);
        if log_ratio && !case["ci_relative"].is_null() {
            // One test per result (issue 9, item 13): the absolute interval is the log-ratio
            // interval back-transformed on the baseline location.
            let loc = match options.statistic {
                shiftwatch::stats::compare::Statistic::Mean => {
                    b.iter().sum::<f64>() / b.len() as f64
                }
                shiftwatch::stats::compare::Statistic::Median => got.baseline.median,
            };
            let r = floats(&case["ci_relative"]);
            for (g, e) in [(got.ci_absolute.lo, r[0]), (got.ci_absolute.hi, r[1])] {
                if e.is_finite() {
                    assert_rel(g, loc * e, tol::ASYMPTOTIC, &format!("{ctx} ci_absolute"));
                } else {
                    // One-sided: the open end (JSON null) stays infinite.
                    assert!(g.is_infinite(), "{ctx}: {g}");
                }
            }
        } else if !case["ci_absolute"].is_null() {
            check_ci(&got.ci_absolute, &case["ci_absolute"], &ctx);
        }
        if !case["ci_relative"].is_null() {
            check_ci(&got.ci_relative, &case["ci_relative"], &ctx);
        }
        if !case["relative"].is_null() {
            assert_rel(
                got.relative,
                float(&case["relative"]),
                tol::ASYMPTOTIC,
                &ctx,
            );
        }
    }
    // Only small samples are floored; the rest is checked against the reference.
    // Measured on the committed reference: 96 of 900 cases, all with n ≤ 20 per sample.
    assert!(max_floored_n <= 20, "floored at n = {max_floored_n}");
    assert!(
        floored * 5 < cases.len(),
        "{floored} of {} floored",
        cases.len()
    );
}
