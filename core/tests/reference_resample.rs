//! Quantiles, effect sizes, bootstrap, block length and permutation tests against
//! `datasets/reference/resample.json` (numpy, scipy 1.17, arch 8.0; generator
//! `datasets/scripts/reference/resample.py`).

#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_rel, float, floats, reference, tol};
use serde_json::Value;
use shiftwatch::progress::Silent;
use shiftwatch::stats::block_length::optimal_block_length;
use shiftwatch::stats::bootstrap::{
    bca_interval, bootstrap_ci, bootstrap_ci_with, BlockSize, BootstrapOptions, CiMethod, Scheme,
};
use shiftwatch::stats::effect::{cliffs_delta, hodges_lehmann, mean_effect, HlMethod};
use shiftwatch::stats::permutation::{permutation_test, PermutationOptions};
use shiftwatch::stats::quantile::{median, median_in_place, quantile};
use shiftwatch::stats::resample::statistic::Named;
use shiftwatch::stats::rng::Rng;
use shiftwatch::stats::Alternative;

fn section(name: &str) -> Vec<Value> {
    let doc = reference("resample");
    let cases: Vec<Value> = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["section"] == name)
        .cloned()
        .collect();
    assert!(!cases.is_empty(), "no cases for {name}");
    cases
}

fn alt(v: &Value) -> Alternative {
    v.as_str()
        .expect("alternative")
        .parse()
        .expect("alternative")
}

fn median_diff(x: &mut [f64], y: &mut [f64]) -> f64 {
    median_in_place(y).unwrap_or(f64::NAN) - median_in_place(x).unwrap_or(f64::NAN)
}

fn mean_diff(x: &mut [f64], y: &mut [f64]) -> f64 {
    y.iter().sum::<f64>() / y.len() as f64 - x.iter().sum::<f64>() / x.len() as f64
}

fn statistic(name: &str) -> fn(&mut [f64], &mut [f64]) -> f64 {
    match name {
        "median_diff" => median_diff,
        "mean_diff" => mean_diff,
        other => panic!("unknown statistic {other}"),
    }
}

#[test]
fn quantile_and_median_match_numpy() {
    let mut checked = 0;
    for c in section("quantile") {
        let x = floats(&c["x"]);
        let ctx = format!("{} n={}", c["kind"], x.len());
        for (q, want) in floats(&c["q"]).iter().zip(floats(&c["quantile"])) {
            let got = quantile(&x, *q).unwrap();
            // Same lerp as numpy: equal to rounding (1e-12 relative).
            assert_rel(got, want, tol::EXACT, &format!("{ctx} q={q}"));
            checked += 1;
        }
        assert_rel(median(&x).unwrap(), float(&c["median"]), tol::EXACT, &ctx);
        // mean_effect of x against 2x: baseline statistic is numpy's mean. Cauchy means can
        // cancel to near 0, so compare with an absolute floor scaled by the data's magnitude.
        if float(&c["mean"]) != 0.0 {
            let y: Vec<f64> = x.iter().map(|v| 2.0 * v).collect();
            let e = mean_effect(&x, &y).unwrap();
            let scale = x.iter().map(|v| v.abs()).fold(0.0, f64::max);
            assert!(
                (e.baseline - float(&c["mean"])).abs() <= 1e-12 * scale,
                "{ctx}: mean {} vs {}",
                e.baseline,
                c["mean"]
            );
            assert_rel(e.relative, 1.0, 1e-12, &ctx);
        }
    }
    assert!(checked > 200);
}

#[test]
fn hodges_lehmann_matches_brute_force() {
    let mut checked = 0;
    for c in section("hodges_lehmann") {
        let x = floats(&c["x"]);
        let y = floats(&c["y"]);
        for r in c["results"].as_array().expect("results") {
            let method: HlMethod = r["method_requested"].as_str().unwrap().parse().unwrap();
            let ctx = format!(
                "{} m={} n={} {} {}",
                c["kind"],
                x.len(),
                y.len(),
                r["alternative"],
                r["method_requested"]
            );
            let got =
                hodges_lehmann(&x, &y, float(&r["level"]), alt(&r["alternative"]), method).unwrap();
            assert_eq!(got.method.as_str(), r["method"].as_str().unwrap(), "{ctx}");
            assert_eq!(got.k as u64, r["k"].as_u64().unwrap(), "{ctx}");
            // Order statistics of the same differences y_j - x_i: identical floats.
            assert_rel(got.estimate, float(&r["estimate"]), tol::EXACT, &ctx);
            assert_rel(got.ci.lo, float(&r["lo"]), tol::EXACT, &ctx);
            assert_rel(got.ci.hi, float(&r["hi"]), tol::EXACT, &ctx);
            checked += 1;
        }
    }
    assert!(checked >= 150, "{checked}");
}

#[test]
fn cliffs_delta_matches_brute_force() {
    for c in section("cliff") {
        let x = floats(&c["x"]);
        let y = floats(&c["y"]);
        for r in c["results"].as_array().expect("results") {
            let ctx = format!("{} m={} n={} {}", c["kind"], x.len(), y.len(), r["level"]);
            let got = cliffs_delta(&x, &y, float(&r["level"])).unwrap();
            assert_rel(got.delta, float(&r["delta"]), tol::EXACT, &ctx);
            // Sums over sorted ranks vs over the m·n matrix: rounding only.
            assert_rel(got.standard_error, float(&r["se"]), tol::EXACT, &ctx);
            assert_rel(got.ci.lo, float(&r["lo"]), tol::EXACT, &ctx);
            assert_rel(got.ci.hi, float(&r["hi"]), tol::EXACT, &ctx);
        }
    }
}

/// Leave-one-out values of `stat` over sample `which` (0 = x, 1 = y).
fn jackknife(
    x: &[f64],
    y: &[f64],
    stat: fn(&mut [f64], &mut [f64]) -> f64,
    which: usize,
) -> Vec<f64> {
    let n = if which == 0 { x.len() } else { y.len() };
    (0..n)
        .map(|i| {
            let mut a = x.to_vec();
            let mut b = y.to_vec();
            if which == 0 {
                a.remove(i);
            } else {
                b.remove(i);
            }
            stat(&mut a, &mut b)
        })
        .collect()
}

#[test]
fn bca_formula_matches_scipy_on_its_bootstrap_distribution() {
    for c in section("bca") {
        let x = floats(&c["x"]);
        let y = floats(&c["y"]);
        let boot = floats(&c["boot"]);
        let stat = statistic(c["statistic"].as_str().unwrap());
        let ctx = format!(
            "{} m={} n={} {} {}",
            c["kind"],
            x.len(),
            y.len(),
            c["statistic"],
            c["alternative"]
        );
        let theta = stat(&mut x.clone(), &mut y.clone());
        let jx = jackknife(&x, &y, stat, 0);
        let jy = jackknife(&x, &y, stat, 1);
        let got = bca_interval(
            theta,
            &boot,
            &[&jx, &jy],
            float(&c["level"]),
            alt(&c["alternative"]),
        )
        .unwrap();
        // Same distribution and formula; ndtr/ndtri and sums differ in the last bits only.
        assert_rel(got.ci.lo, float(&c["lo"]), tol::EXACT, &ctx);
        assert_rel(got.ci.hi, float(&c["hi"]), tol::EXACT, &ctx);
    }
}

/// Tolerance for a bootstrap quantile at tail probability `a`, estimated twice with
/// independent random numbers from `b1` and `b2` resamples: 5 standard deviations of the
/// difference, `sd(Q̂_a) ≈ se · sqrt(a (1 - a) / B) / φ(z_a)` (normal bootstrap distribution),
/// plus `step` for discrete statistics whose bootstrap distribution has atoms.
fn mc_tol(se: f64, a: f64, b1: f64, b2: f64, step: f64) -> f64 {
    let z = -normal_ppf_rough(a);
    let dens = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let one = (a * (1.0 - a)).sqrt() / dens * se;
    5.0 * one * (1.0 / b1 + 1.0 / b2).sqrt() + step
}

/// Φ⁻¹ to ~1e-3 (bisection), enough for a tolerance.
fn normal_ppf_rough(p: f64) -> f64 {
    let cdf = |x: f64| 0.5 * libm_erfc(-x / std::f64::consts::SQRT_2);
    let (mut lo, mut hi) = (-10.0, 10.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// erfc by the Numerical Recipes Chebyshev fit (1.2e-7), enough for tolerances.
fn libm_erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Width of the smallest gap between distinct data values: the atoms of a median difference.
fn atom(x: &[f64], y: &[f64], kind: &str) -> f64 {
    if kind == "ties" {
        // Integer data: medians move in steps of 0.5.
        let _ = (x, y);
        0.5
    } else {
        0.0
    }
}

#[test]
fn percentile_bootstrap_agrees_with_scipy_within_monte_carlo_error() {
    for c in section("percentile") {
        let x = floats(&c["x"]);
        let y = floats(&c["y"]);
        let kind = c["kind"].as_str().unwrap();
        let name = c["statistic"].as_str().unwrap();
        let ctx = format!("{kind} m={} n={} {name}", x.len(), y.len());
        let o = BootstrapOptions {
            n_resamples: 9_999,
            method: CiMethod::Percentile,
            seed: 7,
            ..Default::default()
        };
        let got = bootstrap_ci(&x, &y, statistic(name), &o).unwrap();
        let se = float(&c["standard_error"]);
        let step = if name == "median_diff" {
            atom(&x, &y, kind)
        } else {
            0.0
        };
        let t = mc_tol(se, 0.025, 9_999.0, 9_999.0, step);
        let (lo, hi) = (float(&c["lo"]), float(&c["hi"]));
        assert!(
            (got.ci.lo - lo).abs() <= t,
            "{ctx}: lo {} vs scipy {lo} (tol {t})",
            got.ci.lo
        );
        assert!(
            (got.ci.hi - hi).abs() <= t,
            "{ctx}: hi {} vs scipy {hi} (tol {t})",
            got.ci.hi
        );
        // The sd of a bootstrap sd estimate is about se / sqrt(2B) (0.7 %); allow 5 % (the
        // median's bootstrap distribution is lumpy).
        assert_rel(got.standard_error, se, 0.05, &ctx);
    }
}

#[test]
fn bca_bootstrap_agrees_with_scipy_within_monte_carlo_error() {
    for c in section("bca") {
        if c["alternative"] != "two-sided" {
            continue;
        }
        let x = floats(&c["x"]);
        let y = floats(&c["y"]);
        let kind = c["kind"].as_str().unwrap();
        let name = c["statistic"].as_str().unwrap();
        let ctx = format!("{kind} m={} n={} {name}", x.len(), y.len());
        let o = BootstrapOptions {
            n_resamples: 9_999,
            method: CiMethod::Bca,
            seed: 3,
            ..Default::default()
        };
        let got = bootstrap_ci(&x, &y, statistic(name), &o).unwrap();
        let boot = floats(&c["boot"]);
        let se = float(&c["standard_error"]);
        // scipy used 499 resamples; BCa moves the tail probability, so take the smaller one.
        let step = if name == "median_diff" {
            atom(&x, &y, kind)
        } else {
            0.0
        };
        let t = mc_tol(se, 0.01, boot.len() as f64, 9_999.0, step);
        let (lo, hi) = (float(&c["lo"]), float(&c["hi"]));
        assert!(
            (got.ci.lo - lo).abs() <= t,
            "{ctx}: lo {} vs scipy {lo} (tol {t})",
            got.ci.lo
        );
        assert!(
            (got.ci.hi - hi).abs() <= t,
            "{ctx}: hi {} vs scipy {hi} (tol {t})",
            got.ci.hi
        );
        // The named statistic's closed-form jackknife (O(n log n)) gives the same interval as
        // re-evaluating the closure n times: same resamples, acceleration equal to round-off.
        let named = Named::parse(name, 0.5).unwrap();
        let fast = bootstrap_ci_with(&x, &y, &named, &o, &Silent).unwrap();
        assert_eq!(fast.estimate, got.estimate, "{ctx}");
        for (f, g) in [(fast.ci.lo, got.ci.lo), (fast.ci.hi, got.ci.hi)] {
            assert!(
                (f - g).abs() <= 1e-9 * g.abs().max(1.0),
                "{ctx}: {f} vs {g}"
            );
        }
    }
}

#[test]
fn block_length_matches_arch() {
    for c in section("block_length") {
        let x = floats(&c["x"]);
        let ctx = format!("n={} phi={} {}", x.len(), c["phi"], c["tails"]);
        let got = optimal_block_length(&x).unwrap();
        // Same sums in a different order (numpy's pairwise/BLAS dot products): 1e-9.
        assert_rel(
            got.stationary,
            float(&c["stationary"]),
            tol::ASYMPTOTIC,
            &ctx,
        );
        assert_rel(got.circular, float(&c["circular"]), tol::ASYMPTOTIC, &ctx);
    }
}

#[test]
fn permutation_matches_scipy() {
    let (mut exact, mut mc) = (0, 0);
    for c in section("permutation") {
        let x = floats(&c["x"]);
        let y = floats(&c["y"]);
        let name = c["statistic_name"].as_str().unwrap();
        let ctx = format!(
            "{} m={} n={} {name} {}",
            c["kind"],
            x.len(),
            y.len(),
            c["alternative"]
        );
        let o = PermutationOptions {
            n_resamples: c["n_resamples"].as_u64().unwrap() as usize,
            alternative: alt(&c["alternative"]),
            seed: 17,
            threads: 0,
        };
        let got = match name {
            "mean_diff" => {
                permutation_test(&x, &y, shiftwatch::stats::permutation::mean_difference, &o)
            }
            _ => permutation_test(
                &x,
                &y,
                |a: &[f64], b: &[f64]| {
                    median(a).unwrap_or(f64::NAN) - median(b).unwrap_or(f64::NAN)
                },
                &o,
            ),
        }
        .unwrap();
        assert_rel(got.statistic, float(&c["statistic"]), tol::EXACT, &ctx);
        let want = float(&c["p_value"]);
        if c["exact"].as_bool().unwrap() {
            assert!(got.exact, "{ctx}");
            assert_eq!(
                got.n_resamples as u64,
                c["n_null"].as_u64().unwrap(),
                "{ctx}"
            );
            // Counts over the same enumeration: identical up to the division.
            assert_rel(got.p_value, want, tol::EXACT, &ctx);
            exact += 1;
        } else {
            assert!(!got.exact, "{ctx}");
            // Two independent Monte-Carlo estimates of p (R = 9 999 each; two-sided doubles
            // the smaller tail): 5 standard deviations of the difference plus 2/R.
            let p = want.clamp(1e-4, 1.0);
            let r = 9_999.0;
            let scale = if c["alternative"] == "two-sided" {
                2.0
            } else {
                1.0
            };
            let t = 5.0 * scale * (2.0 * (p / scale) * (1.0 - p / scale) / r).sqrt() + 2.0 / r;
            assert!(
                (got.p_value - want).abs() <= t,
                "{ctx}: p {} vs scipy {want} (tol {t})",
                got.p_value
            );
            mc += 1;
        }
    }
    assert!(exact >= 100 && mc >= 20, "{exact} {mc}");
}

/// AR(1) series of length n with coefficient phi and unit innovations.
fn ar1(rng: &mut Rng, n: usize, phi: f64) -> Vec<f64> {
    let mut x = Vec::with_capacity(n);
    let mut prev = rng.normal() / (1.0 - phi * phi).sqrt();
    for _ in 0..n {
        prev = phi * prev + rng.normal();
        x.push(prev);
    }
    x
}

/// Coverage of 90 % intervals for the difference of means of two independent AR(1) series
/// (true difference 0). The iid bootstrap ignores the dependence and under-covers badly
/// (its variance is too small by the factor (1 + φ)/(1 - φ) = 3 for φ = 0.5); the block
/// bootstraps must come close to nominal. Theory: iid coverage P(|Z| < 1.645/√3) = 0.66
/// (0.658 measured over 1 000 replications); 300 replications give a binomial sd of 0.027
/// there and 0.017 near 0.9, so `< 0.78` and `[0.80, 0.97]` leave > 4 sd, plus room for the
/// known small-sample undercoverage of block bootstraps (about 0.88 measured).
#[test]
fn block_bootstrap_covers_on_ar1_where_iid_does_not() {
    let reps = 300;
    let n = 300;
    let phi = 0.5;
    let schemes = [
        Scheme::Iid,
        Scheme::MovingBlock {
            block_len: BlockSize::Auto,
        },
        Scheme::Stationary {
            mean_block_len: BlockSize::Auto,
        },
    ];
    let mut covered = [0usize; 3];
    let mut rng = Rng::new(2024);
    for rep in 0..reps {
        let x = ar1(&mut rng, n, phi);
        let y = ar1(&mut rng, n, phi);
        for (s, scheme) in schemes.iter().enumerate() {
            let o = BootstrapOptions {
                n_resamples: 499,
                level: 0.9,
                method: CiMethod::Percentile,
                scheme: *scheme,
                seed: rep as u64,
                ..Default::default()
            };
            let r = bootstrap_ci(&x, &y, mean_diff, &o).unwrap();
            covered[s] += usize::from(r.ci.contains(0.0));
        }
    }
    let cov: Vec<f64> = covered.iter().map(|&c| c as f64 / reps as f64).collect();
    println!("coverage iid / moving-block / stationary: {cov:?}");
    assert!(cov[0] < 0.78, "iid coverage {cov:?}");
    assert!(
        (0.80..=0.97).contains(&cov[1]),
        "moving-block coverage {cov:?}"
    );
    assert!(
        (0.80..=0.97).contains(&cov[2]),
        "stationary coverage {cov:?}"
    );
}
