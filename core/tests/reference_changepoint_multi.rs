//! Multivariate L2 segmentations against ruptures (`Pelt`, `Dynp`, `Binseg` with
//! `model="l2"`, `jump = 1`) on seeded n × d signals. Expected values come from
//! `datasets/scripts/reference/changepoint_multi.py` → `datasets/reference/changepoint_multi.json`.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, floats, reference, tol};
use shiftwatch::changepoint::cost::{Cost, L2Multi};
use shiftwatch::changepoint::search::{binseg, pelt, segment_neighbourhood, Stop};

fn bkps(v: &serde_json::Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as usize)
        .collect()
}

/// Sums of squares from prefix sums against numpy's two-pass variance: 1e-9 relative
/// (tol::ASYMPTOTIC). A total that is exactly 0 for ruptures (e.g. every point its own segment at
/// penalty 0) comes out as the round-off of the prefix sums, ~1e-16 × the signal's whole sum of
/// squares `total` (up to 10¹⁰ for the Cauchy columns scaled by 100), so zero is compared with
/// an absolute floor of 1e-12 × total.
fn assert_cost(got: f64, want: f64, total: f64, ctx: &str) {
    let floor = 1e-12 * total.max(1.0);
    if want.abs() < floor {
        assert!((got - want).abs() <= floor, "{ctx}: {got} vs {want}");
    } else {
        assert_rel(got, want, tol::ASYMPTOTIC, ctx);
    }
}

#[test]
fn multivariate_segmentations_match_ruptures() {
    let doc = reference("changepoint_multi");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 70);
    let (mut n_pelt, mut n_dynp, mut n_binseg) = (0, 0, 0);
    let (mut n_suboptimal, mut n_ties, mut n_greedy_ties) = (0, 0, 0);
    for (i, case) in cases.iter().enumerate() {
        let cols: Vec<Vec<f64>> = case["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(floats)
            .collect();
        let views: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let min_size = case["min_size"].as_u64().unwrap() as usize;
        let noise = case["noise"].as_str().unwrap();
        let cost = L2Multi::new(&views).unwrap();
        let total = cost.cost(0, cols[0].len());
        let ctx = |what: &str| {
            format!(
                "case {i} (n={}, d={}, {noise}, min_size={min_size}) {what}",
                cols[0].len(),
                cols.len()
            )
        };
        for e in case["pelt"].as_array().unwrap() {
            let pen = e["penalty"].as_f64().unwrap();
            let want = bkps(&e["bkps"]);
            let got = pelt(&cost, pen, min_size).unwrap();
            let c = ctx(&format!("pelt pen={pen}"));
            let ours = got.cost + pen * got.breakpoints.len() as f64;
            let theirs = e["cost"].as_f64().unwrap() + pen * want.len() as f64;
            if e["optimal"].as_bool() == Some(false) {
                // ruptures pruned its optimum away (no min_size delay): we must do better.
                assert!(ours < theirs, "{c}: {ours} vs ruptures {theirs}");
                n_suboptimal += 1;
            } else if got.breakpoints != want {
                // Exact ties (repeated values, penalty 0): equal penalised cost required.
                assert_cost(ours, theirs, total, &format!("{c} (tie)"));
                n_ties += 1;
            } else {
                assert_cost(got.cost, e["cost"].as_f64().unwrap(), total, &c);
            }
            n_pelt += 1;
        }
        for e in case["dynp"].as_array().unwrap() {
            let k = e["k"].as_u64().unwrap() as usize;
            let got = segment_neighbourhood(&cost, k, min_size).unwrap();
            if got.breakpoints != bkps(&e["bkps"]) {
                n_ties += 1;
            }
            assert_cost(
                got.cost,
                e["cost"].as_f64().unwrap(),
                total,
                &ctx(&format!("dynp k={k}")),
            );
            n_dynp += 1;
        }
        for (key, stop) in [("binseg_pen", "penalty"), ("binseg_k", "k")] {
            for e in case[key].as_array().unwrap() {
                let s = if stop == "k" {
                    Stop::NumChanges(e["k"].as_u64().unwrap() as usize)
                } else {
                    Stop::Penalty(e["penalty"].as_f64().unwrap())
                };
                let got = binseg(&cost, s, min_size).unwrap();
                let c = ctx(&format!("binseg {s:?}"));
                let want = bkps(&e["bkps"]);
                // Small-integer data tie (equal gains); a greedy search then branches.
                if got.breakpoints != want && noise == "ties" {
                    n_greedy_ties += 1;
                    continue;
                }
                assert_eq!(got.breakpoints, want, "{c}");
                assert_cost(got.cost, e["cost"].as_f64().unwrap(), total, &c);
                n_binseg += 1;
            }
        }
    }
    eprintln!(
        "pelt {n_pelt}, dynp {n_dynp}, binseg {n_binseg}, ruptures suboptimal {n_suboptimal}, \
         exact ties {n_ties}, greedy tie branches {n_greedy_ties}"
    );
    assert!(n_pelt >= 280 && n_dynp >= 150 && n_binseg >= 300);
    assert!(n_ties * 20 <= n_pelt + n_dynp, "{n_ties} tied cases");
    assert!(n_greedy_ties * 10 <= n_binseg, "{n_greedy_ties} ties");
}
