//! The biweight search: exact against the naive O(n²) optimal partitioning over the exact
//! segment cost (property tests), and its purpose on seeded series: spikes and stall windows are
//! not changes and do not hide real ones; false changes on heavy-tailed and skewed iid noise.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use shiftwatch::changepoint::cost::Biweight;
use shiftwatch::changepoint::search::{crops_path, fpop_biweight, optimal_partitioning, Method};
use shiftwatch::changepoint::{detect, CostKind, DetectOptions};
use shiftwatch::stats::rng::Rng;

/// Regimes with Gaussian-ish noise, spikes and runs of zeros.
fn signal() -> impl Strategy<Value = Vec<f64>> {
    (
        prop::collection::vec((1usize..30, -10.0f64..10.0), 1..5),
        0.0f64..0.2,
        any::<u64>(),
    )
        .prop_map(|(regimes, spikes, seed)| {
            let mut rng = Rng::new(seed);
            let mut x = Vec::new();
            for (len, level) in regimes {
                for _ in 0..len {
                    let spike = if rng.uniform() < spikes {
                        15.0 * rng.normal()
                    } else {
                        0.0
                    };
                    x.push(level + spike + rng.normal());
                }
            }
            if x.len() > 8 && rng.uniform() < 0.3 {
                let at = (rng.uniform() * (x.len() - 4) as f64) as usize;
                x[at..at + 3].fill(0.0);
            }
            x
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn fpop_biweight_equals_optimal_partitioning(
        x in signal(),
        threshold in 0.3f64..6.0,
        penalty in prop_oneof![Just(0.0), 0.0f64..5.0, 5.0f64..80.0],
        min_size in 1usize..6,
    ) {
        let cost = Biweight::with_threshold(&x, threshold).unwrap();
        if x.len() < min_size {
            prop_assert!(fpop_biweight(&x, threshold, penalty, min_size).is_err());
            return Ok(());
        }
        let oracle = optimal_partitioning(&cost, penalty, min_size).unwrap();
        let fast = fpop_biweight(&x, threshold, penalty, min_size).unwrap();
        let pen = |s: &shiftwatch::changepoint::search::Segmentation| {
            s.cost + penalty * s.breakpoints.len() as f64
        };
        prop_assert!(
            (pen(&fast) - pen(&oracle)).abs() <= 1e-9 * (1.0 + pen(&oracle).abs()),
            "fpop_biweight {} vs oracle {}", pen(&fast), pen(&oracle)
        );
        // Exactly tied optima exist (a point outside both levels costs c² on either side of a
        // split next to it), so breakpoints are compared where the optimum is unique: in the
        // reference cases. Here: the shape.
        let mut start = 0;
        for &b in fast.breakpoints.iter().chain(std::iter::once(&x.len())) {
            prop_assert!(b > start && b - start >= min_size);
            start = b;
        }
    }
}

fn biweight() -> DetectOptions {
    DetectOptions {
        cost: CostKind::Biweight,
        ..DetectOptions::default()
    }
}

/// Steps at 1/3 and 2/3 of `n` (+3σ, then -2σ), Gaussian noise around 100.
fn steps(seed: u64, n: usize) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let level = if i >= 2 * n / 3 {
                1.0
            } else if i >= n / 3 {
                3.0
            } else {
                0.0
            };
            100.0 + level + rng.normal()
        })
        .collect()
}

fn indices(x: &[f64]) -> Vec<usize> {
    detect(x, &biweight())
        .unwrap()
        .change_points
        .iter()
        .map(|c| c.index)
        .collect()
}

/// `base` with 1 % spikes of +20σ (latency spikes) and stall windows of 2, 3 and 4 zeros (shorter
/// than the minimum segment: a stall of L points costs 9σ² L in the biweight model against two
/// penalties for a segment of its own, so with MBIC at n = 3000 (2β ≈ 48σ²) a stall of 6 or more
/// points is a regime of its own).
fn corrupt(base: &[f64], seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    let mut x: Vec<f64> = base
        .iter()
        .map(|&v| if rng.uniform() < 0.01 { v + 20.0 } else { v })
        .collect();
    let n = x.len();
    for (k, at) in [n / 8, n / 2, 7 * n / 8].iter().enumerate() {
        x[*at..*at + 2 + k].fill(0.0);
    }
    x
}

#[test]
fn spikes_and_stalls_are_not_changes_and_do_not_hide_real_ones() {
    let n = 3000;
    for seed in 0..10u64 {
        let mut x = corrupt(&steps(seed, n), 100 + seed);
        // A stall right at the first change.
        x[n / 3..n / 3 + 3].fill(0.0);
        let idx = indices(&x);
        let d = detect(&x, &biweight()).unwrap();
        assert_eq!(
            idx.len(),
            2,
            "seed {seed}: {idx:?} {:?} {:?}",
            d.candidates,
            d.change_points
        );
        assert!(idx[0].abs_diff(n / 3) <= 5, "seed {seed}: {idx:?}");
        assert!(idx[1].abs_diff(2 * n / 3) <= 5, "seed {seed}: {idx:?}");
        // The same spikes and stalls on noise without a change: nothing.
        let mut rng = Rng::new(200 + seed);
        let flat: Vec<f64> = (0..n).map(|_| 100.0 + rng.normal()).collect();
        let y = corrupt(&flat, 100 + seed);
        assert!(indices(&y).is_empty(), "seed {seed}: {:?}", indices(&y));
    }
}

/// Student t₃ (`Z / √(χ²₃/3)`) or lognormal (`exp(Z)`) iid noise.
fn heavy(seed: u64, n: usize, lognormal: bool) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let z = rng.normal();
            if lognormal {
                z.exp()
            } else {
                let chi2: f64 = (0..3).map(|_| rng.normal().powi(2)).sum();
                50.0 + z / (chi2 / 3.0).sqrt()
            }
        })
        .collect()
}

#[test]
fn heavy_tailed_iid_noise_at_most_one_false_change_per_1e5_points() {
    for lognormal in [false, true] {
        let total: usize = (0..10)
            .map(|seed| indices(&heavy(7000 + seed, 10_000, lognormal)).len())
            .sum();
        assert!(total <= 1, "lognormal={lognormal}: {total} per 10⁵");
    }
}

#[test]
fn crops_runs_the_biweight_search() {
    let x = steps(3, 600);
    let path = crops_path(&x, CostKind::Biweight, Method::Pelt, 5, (5.0, 500.0)).unwrap();
    assert!(path
        .path
        .iter()
        .any(|e| e.segmentation.breakpoints == indices(&x)));
    let cost = Biweight::new(&x).unwrap();
    // Each entry is optimal inside its penalty range.
    for e in &path.path {
        let beta = 0.5 * (e.penalty_min + e.penalty_max);
        let exact = fpop_biweight(&x, cost.threshold(), beta, 5).unwrap();
        let k = |s: &shiftwatch::changepoint::search::Segmentation| s.breakpoints.len() as f64;
        let (a, b) = (
            exact.cost + beta * k(&exact),
            e.segmentation.cost + beta * k(&e.segmentation),
        );
        assert!((a - b).abs() <= 1e-9 * a, "{a} vs {b}");
    }
}
