//! DeCAFS against an independent numpy/scipy implementation written from the paper
//! (`datasets/scripts/reference/changepoint_decafs.py` → `datasets/reference/changepoint_decafs.json`):
//! the exact segmentation against a brute force over every change set of short series (levels
//! by least squares), and the robust parameter estimate against scipy's MAD, NNLS and bounded
//! scalar minimisation; CROPS over the DeCAFS penalty against the lower convex hull of the
//! brute-force costs by number of changes.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, float, floats, indices, reference_cases, tol};
use shiftwatch::changepoint::model::{bic_drift_at, ml_drift};
use shiftwatch::changepoint::{decafs, decafs_crops, DecafsParams};

fn cases(kind: &str) -> Vec<serde_json::Value> {
    reference_cases("changepoint_decafs", kind)
}

/// The model parameters a case was solved with.
fn params(case: &serde_json::Value) -> DecafsParams {
    DecafsParams {
        sigma_eta: float(&case["sigma_eta"]),
        sigma_nu: float(&case["sigma_nu"]),
        phi: float(&case["phi"]),
    }
}

#[test]
fn segmentation_matches_brute_force() {
    let cases = cases("segmentation");
    assert_eq!(cases.len(), 12);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let params = params(case);
        let fit = decafs(&floats(&case["x"]), &params, float(&case["penalty"])).unwrap();
        let want = indices(&case["breakpoints"]);
        assert_eq!(fit.breakpoints, want, "{name}");
        // The brute force solves each least-squares problem to rounding (observed ≤ 3e-16).
        assert_rel(fit.cost, float(&case["cost"]), tol::EXACT, name);
    }
}

#[test]
fn parameter_estimate_matches_scipy() {
    let cases = cases("estimate");
    assert_eq!(cases.len(), 6);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let p = DecafsParams::estimate(&x).unwrap();
        // Both sides minimise the same smooth profile to a 1e-12 bracket in φ: the parameters
        // agree to 1e-6 (observed ≤ 3e-7, scipy's bounded Brent stops near √ε in φ; absolute for
        // φ, and near a zero bound).
        // With σ_ν = 0 on both sides φ is not identified (the profile is flat in φ).
        let unidentified = p.sigma_nu < 1e-9 && float(&case["sigma_nu"]) < 1e-9;
        assert!(
            unidentified || (p.phi - float(&case["phi"])).abs() <= 1e-6,
            "{name}: {p:?}"
        );
        for (got, want) in [
            (p.sigma_eta, float(&case["sigma_eta"])),
            (p.sigma_nu, float(&case["sigma_nu"])),
        ] {
            assert!(
                (got - want).abs() <= 1e-6 * want.max(1e-3),
                "{name}: {got} vs {want} ({p:?})"
            );
        }
    }
}

#[test]
fn crops_path_matches_brute_force() {
    let cases = cases("crops");
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let params = params(case);
        let got = decafs_crops(
            &floats(&case["x"]),
            &params,
            float(&case["penalty_min"]),
            float(&case["penalty_max"]),
        )
        .unwrap();
        let want = case["path"].as_array().unwrap();
        assert_eq!(got.path.len(), want.len(), "{name}: {got:?}");
        for (g, w) in got.path.iter().zip(want) {
            let bk = indices(&w["breakpoints"]);
            assert_eq!(g.segmentation.breakpoints, bk, "{name}");
            // Relative to 1 at least: a cost of 0 (every point its own level) is 1e-27 there.
            let (gc, wc) = (g.segmentation.cost, float(&w["cost"]));
            assert!(
                (gc - wc).abs() <= 1e-10 * wc.abs().max(1.0),
                "{name}: {gc} vs {wc}"
            );
            // Interval ends are differences of costs over differences of sizes.
            for (a, b) in [
                (g.penalty_min, float(&w["penalty_min"])),
                (g.penalty_max, float(&w["penalty_max"])),
            ] {
                assert!(
                    (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                    "{name}: {a} vs {b}"
                );
            }
        }
    }
}

#[test]
fn maximum_likelihood_drift_matches_dense_likelihood() {
    let cases = cases("ml_drift");
    assert_eq!(cases.len(), 5);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let bkps = indices(&case["breakpoints"]);
        let n_ln = |k: usize| (2.0 * k as f64 + 2.0) * (x.len() as f64).ln();
        // The Kalman filter's criterion is the dense Gaussian likelihood of the within-segment
        // differences (prediction-error decomposition): equal to rounding.
        for at in case["at"].as_array().unwrap() {
            let p = DecafsParams {
                sigma_eta: float(&at["sigma_eta"]),
                sigma_nu: float(&at["sigma_nu"]),
                phi: float(&at["phi"]),
            };
            let got = bic_drift_at(&x, &bkps, &p) - n_ln(bkps.len());
            assert_rel(got, float(&at["criterion"]), 1e-9, name);
        }
        let start = DecafsParams {
            sigma_eta: 0.0,
            sigma_nu: float(&case["sigma_nu_start"]),
            phi: float(&case["phi"]),
        };
        let ml = ml_drift(&x, &bkps, &start);
        // Both maximise the same smooth profile (golden section to 2e-6 in log₂ q against
        // scipy's bounded Brent to 1e-10): the maximum agrees to 1e-9 and the parameters to
        // 1e-4 (the profile is flat at its maximum).
        let at_ml = bic_drift_at(&x, &bkps, &ml) - n_ln(bkps.len());
        assert_rel(at_ml, float(&case["criterion"]), 1e-9, name);
        for (got, want) in [
            (ml.sigma_eta, float(&case["sigma_eta"])),
            (ml.sigma_nu, float(&case["sigma_nu"])),
        ] {
            assert!(
                (got - want).abs() <= 1e-4 * want.max(1e-2),
                "{name}: {got} vs {want} ({ml:?})"
            );
        }
    }
}
