//! KS two-sample, scale tests and Anderson–Darling k-sample against scipy.stats
//! (values from `datasets/scripts/reference/disttests.py`, recorded in
//! `datasets/reference/disttests.json` with the scipy version used).

#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, float, floats, reference, tol};
use shiftwatch::stats::ks::{self, kolmogorov, KsMethod, KsOptions};
use shiftwatch::stats::Alternative;

/// One-sided exact KS with unequal sizes: scipy divides path counts built from cephes'
/// `binom`, which for k ≥ 20 goes through `lgam` and carries relative errors of order
/// `lgam(n)·ε` (≈ 1e-12 at n ≈ 10⁴), amplified by the cancellation of the first-passage
/// recursion; we use an exact-product binomial, so the two agree to this tolerance only.
const KS_ONE_SIDED_UNEQUAL: f64 = 1e-9;

/// Pelz–Good region of `kstwo` (n > 10⁵): scipy's own series is used, but its terms cancel;
/// different summation order of the same formula gives ~1e-12 absolute, so compare the
/// survival function with a small absolute floor as well.
const KSTWO_ABS: f64 = 1e-13;

fn get<'a>(v: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    v.get(key).unwrap_or_else(|| panic!("missing key {key}"))
}

#[test]
fn ks_2samp_matches_scipy() {
    let doc = reference("disttests");
    let datasets = get(&doc, "cases").as_array().expect("cases");
    let mut checked = 0;
    // Largest relative p-value error: exact, exact one-sided unequal, asymptotic.
    let mut worst = [0.0f64; 3];
    for (k, ds) in datasets.iter().enumerate() {
        let x = floats(get(ds, "x"));
        let y = floats(get(ds, "y"));
        for case in get(ds, "results").as_array().expect("results") {
            let alternative: Alternative =
                get(case, "alternative").as_str().unwrap().parse().unwrap();
            let method: KsMethod = get(case, "method").as_str().unwrap().parse().unwrap();
            let used: KsMethod = get(case, "method_used").as_str().unwrap().parse().unwrap();
            let ctx = format!(
                "dataset {k} (n1={}, n2={}) {alternative} {method}",
                x.len(),
                y.len()
            );
            let options = KsOptions {
                alternative,
                method,
            };
            if float(get(case, "pvalue")).is_nan() {
                // scipy: round(m·n/(m+n)) = 0 gives NaN; we refuse with an error.
                assert!(
                    ks::ks_2samp(&x, &y, &options).is_err(),
                    "{ctx}: expected Err"
                );
                checked += 1;
                continue;
            }
            let r = ks::ks_2samp(&x, &y, &options).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_eq!(r.method_used, used, "{ctx}: method used");
            assert_rel(r.statistic, float(get(case, "statistic")), tol::EXACT, &ctx);
            assert_rel(
                r.statistic_location,
                float(get(case, "location")),
                tol::EXACT,
                &ctx,
            );
            assert_eq!(
                i64::from(r.statistic_sign),
                get(case, "sign").as_i64().unwrap(),
                "{ctx}: sign"
            );
            let p_tol = match used {
                KsMethod::Exact if alternative != Alternative::TwoSided && x.len() != y.len() => {
                    KS_ONE_SIDED_UNEQUAL
                }
                KsMethod::Exact => tol::EXACT,
                _ => tol::ASYMPTOTIC,
            };
            let want = float(get(case, "pvalue"));
            assert_rel(r.p_value, want, p_tol, &format!("{ctx} p"));
            if want != 0.0 {
                let e = ((r.p_value - want) / want).abs();
                let slot = if p_tol == tol::EXACT {
                    0
                } else if p_tol == KS_ONE_SIDED_UNEQUAL {
                    1
                } else {
                    2
                };
                worst[slot] = worst[slot].max(e);
            }
            checked += 1;
        }
    }
    eprintln!(
        "KS: {checked} cases; worst relative p error exact / one-sided unequal / asymp: {worst:?}"
    );
    assert!(checked >= 400, "only {checked} KS cases");
}

#[test]
fn kstwo_sf_matches_scipy() {
    let doc = reference("disttests");
    let cases = get(&doc, "kstwo").as_array().expect("kstwo");
    assert!(cases.len() > 100);
    let mut worst = 0.0f64;
    for case in cases {
        let n = get(case, "n").as_u64().unwrap();
        let d = float(get(case, "d"));
        let want = float(get(case, "sf"));
        let got = kolmogorov::kstwo_sf(n, d);
        let ctx = format!("kstwo.sf({d}, {n})");
        if want != 0.0 {
            worst = worst.max(((got - want) / want).abs());
        }
        if (got - want).abs() > KSTWO_ABS {
            assert_rel(got, want, tol::ASYMPTOTIC, &ctx);
        }
    }
    eprintln!(
        "kstwo: {} cases, worst relative error {worst:e}",
        cases.len()
    );
}
