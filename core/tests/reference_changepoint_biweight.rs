//! The biweight (bounded-loss) cost and search against an independent numpy implementation
//! written from Fearnhead & Rigaill (2019) (`datasets/scripts/reference/changepoint_biweight.py`
//! → `datasets/reference/changepoint_biweight.json`): exact segment costs by enumerating the
//! intervals between the breakpoints `x_i ± c`, optimal partitioning over those costs (cases
//! with a unique optimum), and the scale `1.4826 · MAD(Δx) / √2` against scipy.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, float, floats, indices, reference_cases};
use shiftwatch::changepoint::cost::{robust_sigma, Biweight, Cost, CostKind, BIWEIGHT_K};
use shiftwatch::changepoint::search::{fpop_biweight, penalised, Method};

fn cases(kind: &str) -> Vec<serde_json::Value> {
    reference_cases("changepoint_biweight", kind)
}

/// Sums of squares over ≤ 60 points: both sides are exact to rounding.
const TOL: f64 = 1e-9;

#[test]
fn segment_costs_match() {
    let cases = cases("segment");
    assert_eq!(cases.len(), 12);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let cost = Biweight::with_threshold(&x, float(&case["threshold"])).unwrap();
        assert_rel(cost.cost(0, x.len()), float(&case["cost"]), TOL, name);
    }
}

#[test]
fn segmentations_match_optimal_partitioning() {
    let cases = cases("segmentation");
    assert_eq!(cases.len(), 16);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let (c, beta) = (float(&case["threshold"]), float(&case["penalty"]));
        let m = case["min_size"].as_u64().unwrap() as usize;
        let want = indices(&case["breakpoints"]);
        let seg = fpop_biweight(&x, c, beta, m).unwrap();
        assert_eq!(seg.breakpoints, want, "{name}");
        assert_rel(seg.cost, float(&case["cost"]), TOL, name);
        if case["default_threshold"].as_bool().unwrap() {
            // The default threshold 3σ̂, through the solver choice of the core.
            assert_rel(Biweight::new(&x).unwrap().threshold(), c, TOL, name);
            let via = penalised(&x, CostKind::Biweight, Method::Pelt, beta, m).unwrap();
            assert_eq!(via.breakpoints, want, "{name}: penalised");
        }
    }
}

#[test]
fn scale_matches_scipy() {
    let cases = cases("sigma");
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        assert_rel(robust_sigma(&x), float(&case["sigma"]), TOL, name);
        assert_rel(
            Biweight::new(&x).unwrap().threshold(),
            BIWEIGHT_K * float(&case["sigma"]),
            TOL,
            name,
        );
    }
}
