//! Quantiles, effect sizes, bootstrap, block length and permutation: criterion benches.
//!
//! The headline: a BCa / percentile bootstrap CI of the median difference for 10⁴ vs 10⁴
//! values with 9 999 resamples (target ≤ 0.5 s; scipy.stats.bootstrap ≈ 21 s).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shiftwatch::stats::block_length::optimal_block_length;
use shiftwatch::stats::bootstrap::{bootstrap_ci, BootstrapOptions, CiMethod};
use shiftwatch::stats::effect::{cliffs_delta, hodges_lehmann, HlMethod};
use shiftwatch::stats::permutation::{mean_difference_test, PermutationOptions};
use shiftwatch::stats::quantile::{median_in_place, quantile_in_place};
use shiftwatch::stats::rng::Rng;
use shiftwatch::stats::Alternative;
use std::hint::black_box;

fn data(seed: u64, n: usize) -> Vec<f64> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| r.normal().exp()).collect()
}

fn median_diff(x: &mut [f64], y: &mut [f64]) -> f64 {
    median_in_place(y).unwrap_or(f64::NAN) - median_in_place(x).unwrap_or(f64::NAN)
}

fn bootstrap(c: &mut Criterion) {
    let mut g = c.benchmark_group("bootstrap_median_diff_9999");
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        let x = data(1, n);
        let y = data(2, n);
        g.throughput(Throughput::Elements((2 * n * 9_999) as u64));
        for method in [CiMethod::Percentile, CiMethod::Bca] {
            let o = BootstrapOptions {
                method,
                ..Default::default()
            };
            g.bench_with_input(BenchmarkId::new(method.as_str(), n), &n, |b, _| {
                b.iter(|| bootstrap_ci(black_box(&x), black_box(&y), median_diff, &o))
            });
        }
    }
    g.finish();
}

/// `stats.bootstrap_ci`'s defaults (median difference, BCa, 9 999 resamples) through the
/// named statistic with the closed-form jackknife: O(n) per resample, O(n log n) jackknife
/// (issue 10). The generic-closure BCa above re-evaluates the statistic n times (O(n²)).
fn bootstrap_named(c: &mut Criterion) {
    use shiftwatch::progress::Silent;
    use shiftwatch::stats::bootstrap::bootstrap_ci_with;
    use shiftwatch::stats::resample::statistic::Named;
    let mut g = c.benchmark_group("bootstrap_named_median_diff_bca_9999");
    g.sample_size(10);
    let named = Named::parse("median_diff", 0.5).expect("name");
    for n in [1_000usize, 10_000, 100_000] {
        let x = data(1, n);
        let y = data(2, n);
        g.throughput(Throughput::Elements((2 * n * 9_999) as u64));
        let o = BootstrapOptions::default();
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| bootstrap_ci_with(black_box(&x), black_box(&y), &named, &o, &Silent))
        });
    }
    g.finish();
}

fn quantiles(c: &mut Criterion) {
    let mut g = c.benchmark_group("quantile_in_place");
    for n in [1_000usize, 10_000, 100_000, 1_000_000] {
        let x = data(3, n);
        let mut buf = x.clone();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                buf.copy_from_slice(&x);
                quantile_in_place(black_box(&mut buf), 0.99)
            })
        });
    }
    g.finish();
}

fn effects(c: &mut Criterion) {
    let mut g = c.benchmark_group("effect");
    g.sample_size(10);
    for n in [1_000usize, 10_000, 100_000, 1_000_000] {
        let x = data(4, n);
        let y = data(5, n);
        g.throughput(Throughput::Elements(2 * n as u64));
        g.bench_with_input(BenchmarkId::new("hodges_lehmann", n), &n, |b, _| {
            b.iter(|| {
                hodges_lehmann(
                    black_box(&x),
                    black_box(&y),
                    0.95,
                    Alternative::TwoSided,
                    HlMethod::Asymptotic,
                )
            })
        });
        g.bench_with_input(BenchmarkId::new("cliffs_delta", n), &n, |b, _| {
            b.iter(|| cliffs_delta(black_box(&x), black_box(&y), 0.95))
        });
    }
    g.finish();
}

fn block_length(c: &mut Criterion) {
    let mut g = c.benchmark_group("optimal_block_length");
    g.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let mut r = Rng::new(6);
        let mut x = vec![0.0; n];
        for t in 1..n {
            x[t] = 0.8 * x[t - 1] + r.normal();
        }
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| optimal_block_length(black_box(&x)))
        });
    }
    g.finish();
}

fn permutation(c: &mut Criterion) {
    let mut g = c.benchmark_group("permutation_mean_diff_9999");
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        let x = data(7, n);
        let y = data(8, n);
        g.throughput(Throughput::Elements((2 * n * 9_999) as u64));
        let o = PermutationOptions::default();
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| mean_difference_test(black_box(&x), black_box(&y), &o))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    bootstrap,
    bootstrap_named,
    quantiles,
    effects,
    block_length,
    permutation
);
criterion_main!(benches);
