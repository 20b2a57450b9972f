//! Normal scores against scipy (`norm.ppf((rankdata(x) - 0.5) / n)`) and the L1 functional
//! pruning against a brute-force optimal partitioning in numpy. Expected values come from
//! `datasets/scripts/reference/changepoint_scores.py` → `datasets/reference/changepoint_scores.json`.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, float, floats, reference, tol};
use shiftwatch::changepoint::normal_scores;
use shiftwatch::changepoint::search::fpop_l1;

#[test]
fn normal_scores_match_scipy() {
    let doc = reference("changepoint_scores");
    let mut seen = 0;
    for case in doc["cases"].as_array().unwrap() {
        if case["kind"] != "scores" {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let got = normal_scores(&floats(&case["x"])).unwrap();
        for (i, (g, w)) in got.iter().zip(floats(&case["scores"])).enumerate() {
            // ndtri's values are O(1): an absolute tolerance at the exact level.
            assert!((g - w).abs() <= tol::EXACT, "{name}[{i}]: {g} vs {w}");
        }
        seen += 1;
    }
    assert_eq!(seen, 12);
}

#[test]
fn fpop_l1_matches_brute_force_optimal_partitioning() {
    let doc = reference("changepoint_scores");
    let mut seen = 0;
    for case in doc["cases"].as_array().unwrap() {
        if case["kind"] != "fpop_l1" {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let min_size = case["min_size"].as_u64().unwrap() as usize;
        let seg = fpop_l1(&x, float(&case["penalty"]), min_size).unwrap();
        assert_rel(seg.cost, float(&case["cost"]), tol::ASYMPTOTIC, name);
        if !name.starts_with("ties") {
            let want: Vec<usize> = case["breakpoints"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_u64().unwrap() as usize)
                .collect();
            assert_eq!(seg.breakpoints, want, "{name}");
        }
        seen += 1;
    }
    assert_eq!(seen, 4);
}
