//! KS two-sample, scale tests and Anderson–Darling k-sample against scipy.stats
//! (values from `datasets/scripts/reference/disttests.py`, recorded in
//! `datasets/reference/disttests.json` with the scipy version used).

#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, float, floats, reference, tol};
use shiftwatch::stats::anderson;
use shiftwatch::stats::ks::{self, kolmogorov, KsMethod, KsOptions};
use shiftwatch::stats::scale::{self, Center};
use shiftwatch::stats::Alternative;

/// One-sided exact KS with unequal sizes: scipy divides path counts built from cephes'
/// `binom`, which for k ≥ 20 goes through `lgam` and carries relative errors of order
/// `lgam(n)·ε`, amplified by the cancellation of the first-passage recursion; we use a
/// product binomial. Against scipy the worst case is 2e-11; against the exact rational
/// value (integer path counts, `pvalue_rational` in the JSON) we are held to `tol::EXACT`,
/// and scipy itself is 2e-11 off there.
const KS_ONE_SIDED_UNEQUAL: f64 = 1e-10;

/// Pelz–Good region of `kstwo` (n > 10⁵): scipy's own series is used, but its terms cancel;
/// different summation order of the same formula gives ~1e-12 absolute, so compare the
/// survival function with a small absolute floor as well.
const KSTWO_ABS: f64 = 1e-13;

/// Data are stored as integers `k` meaning `k / 1000` (exact decimal values, see the generator).
fn data(v: &serde_json::Value) -> Vec<f64> {
    floats(v).into_iter().map(|k| k / 1000.0).collect()
}

/// p-values below this are both "zero" (one library underflows, the other returns a subnormal).
const SUBNORMAL: f64 = 1e-300;

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
    let (mut rational, mut worst_rational) = (0, 0.0f64);
    for (k, ds) in datasets.iter().enumerate() {
        let x = data(get(ds, "x"));
        let y = data(get(ds, "y"));
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
            if let Some(exact) = case.get("pvalue_rational") {
                // Exact integer path counts from the generator: we must be tight here.
                let exact = float(exact);
                assert_rel(
                    r.p_value,
                    exact,
                    tol::EXACT,
                    &format!("{ctx} p vs rational"),
                );
                if exact != 0.0 {
                    worst_rational = worst_rational.max(((r.p_value - exact) / exact).abs());
                }
                rational += 1;
            }
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
    eprintln!("KS one-sided unequal exact vs rational: {rational} cases, worst {worst_rational:e}");
    assert!(rational >= 100, "only {rational} rational cases");
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

/// scipy's exact Ansari–Bradley distribution (`gscale`, AS 93) stores frequencies in
/// float32, so its exact p-values carry relative errors up to ~1e-7 once counts pass 2^24.
/// We count exactly; the generator also records exact p-values from integer counting in
/// Python (`pvalue_exact`), which we meet to `tol::EXACT`.
const ANSARI_SCIPY_FLOAT32: f64 = 1e-6;

#[test]
fn ansari_matches_scipy() {
    let doc = reference("disttests");
    let mut checked = 0;
    let mut worst_vs_scipy = 0.0f64;
    for (k, ds) in get(&doc, "ansari")
        .as_array()
        .expect("ansari")
        .iter()
        .enumerate()
    {
        let x = data(get(ds, "x"));
        let y = data(get(ds, "y"));
        for case in get(ds, "results").as_array().expect("results") {
            let alternative: Alternative =
                get(case, "alternative").as_str().unwrap().parse().unwrap();
            let ctx = format!(
                "ansari dataset {k} (n={}, m={}) {alternative}",
                x.len(),
                y.len()
            );
            let r = scale::ansari(&x, &y, alternative).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_rel(r.statistic, float(get(case, "statistic")), tol::EXACT, &ctx);
            let want = float(get(case, "pvalue"));
            if let Some(exact) = case.get("pvalue_exact") {
                assert!(r.exact, "{ctx}: expected the exact method");
                assert_rel(
                    r.p_value,
                    float(exact),
                    tol::EXACT,
                    &format!("{ctx} p (exact int)"),
                );
                assert_rel(
                    r.p_value,
                    want,
                    ANSARI_SCIPY_FLOAT32,
                    &format!("{ctx} p (scipy)"),
                );
                worst_vs_scipy = worst_vs_scipy.max(((r.p_value - want) / want).abs());
            } else {
                assert!(!r.exact, "{ctx}: expected the normal approximation");
                assert_rel(r.p_value, want, tol::ASYMPTOTIC, &format!("{ctx} p"));
            }
            checked += 1;
        }
    }
    eprintln!("ansari: {checked} cases; exact p vs scipy's float32 worst {worst_vs_scipy:e}");
    assert!(checked >= 150);
}

#[test]
fn fligner_matches_scipy() {
    let doc = reference("disttests");
    let mut checked = 0;
    for (k, ds) in get(&doc, "fligner")
        .as_array()
        .expect("fligner")
        .iter()
        .enumerate()
    {
        let samples: Vec<Vec<f64>> = get(ds, "samples")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| floats(v).into_iter().map(|k| k / 1024.0).collect()) // k/1024
            .collect();
        let refs: Vec<&[f64]> = samples.iter().map(Vec::as_slice).collect();
        for case in get(ds, "results").as_array().expect("results") {
            let center = match get(case, "center").as_str().unwrap() {
                "trimmed" => Center::Trimmed(float(get(case, "proportiontocut"))),
                other => other.parse().unwrap(),
            };
            let sizes: Vec<usize> = samples.iter().map(Vec::len).collect();
            let ctx = format!("fligner dataset {k} {sizes:?} {center}");
            let want_stat = float(get(case, "statistic"));
            if want_stat.is_nan() {
                // scipy divides 0 by 0 when every centred value ties; we return an error.
                assert!(
                    scale::fligner(&refs, center).is_err(),
                    "{ctx}: expected Err"
                );
                checked += 1;
                continue;
            }
            let r = scale::fligner(&refs, center).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_eq!(r.df, samples.len() - 1);
            assert_rel(r.statistic, want_stat, tol::ASYMPTOTIC, &ctx);
            let want_p = float(get(case, "pvalue"));
            // Deep in the tail scipy's chi2.sf underflows to 0 where ours returns a subnormal.
            if !(want_p == 0.0 && r.p_value < SUBNORMAL) {
                assert_rel(r.p_value, want_p, tol::ASYMPTOTIC, &format!("{ctx} p"));
            }
            checked += 1;
        }
    }
    assert!(checked >= 150);
}

#[test]
fn anderson_ksamp_matches_scipy() {
    let doc = reference("disttests");
    let mut checked = 0;
    let mut bounds = [0usize; 3];
    for (k, ds) in get(&doc, "anderson")
        .as_array()
        .expect("anderson")
        .iter()
        .enumerate()
    {
        let samples: Vec<Vec<f64>> = get(ds, "samples")
            .as_array()
            .unwrap()
            .iter()
            .map(data)
            .collect();
        let refs: Vec<&[f64]> = samples.iter().map(Vec::as_slice).collect();
        let sizes: Vec<usize> = samples.iter().map(Vec::len).collect();
        for case in get(ds, "results").as_array().expect("results") {
            let midrank = get(case, "midrank").as_bool().unwrap();
            let ctx = format!("anderson dataset {k} {sizes:?} midrank={midrank}");
            let r =
                anderson::anderson_ksamp(&refs, midrank).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_rel(
                r.statistic,
                float(get(case, "statistic")),
                tol::ASYMPTOTIC,
                &ctx,
            );
            for (got, want) in r
                .critical_values
                .iter()
                .zip(floats(get(case, "critical_values")))
            {
                assert_rel(*got, want, tol::EXACT, &format!("{ctx} critical"));
            }
            assert_rel(
                r.p_value,
                float(get(case, "pvalue")),
                tol::ASYMPTOTIC,
                &format!("{ctx} p"),
            );
            bounds[r.bound as usize] += 1;
            checked += 1;
        }
    }
    eprintln!("anderson: {checked} cases; interpolated/capped/floored {bounds:?}");
    assert!(checked >= 150 && bounds.iter().all(|&b| b > 10));
}
