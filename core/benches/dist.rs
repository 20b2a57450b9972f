//! Throughput of the distribution functions (p-value evaluation) and of the tests in this family.
//!
//! `cargo bench -p shiftwatch --bench dist`; `cargo test --benches` runs each once.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shiftwatch::stats::brunner_munzel::{brunner_munzel, BmDistribution};
use shiftwatch::stats::dist;
use shiftwatch::stats::rng::Rng;
use shiftwatch::stats::ttest::{ttest_ind, TTestOptions};
use shiftwatch::stats::Alternative;

fn normals(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| rng.normal()).collect()
}

/// Per-call cost of the distribution functions over a batch of 1000 arguments spanning the
/// body and the tails.
fn functions(c: &mut Criterion) {
    let xs: Vec<f64> = (0..1000).map(|i| -30.0 + 60.0 * i as f64 / 999.0).collect();
    let ps: Vec<f64> = (1..=1000).map(|i| i as f64 / 1001.0).collect();
    let mut g = c.benchmark_group("dist");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(1))
        .throughput(Throughput::Elements(1000));
    g.bench_function("norm_sf", |b| {
        b.iter(|| xs.iter().map(|&x| dist::norm_sf(black_box(x))).sum::<f64>())
    });
    g.bench_function("norm_ppf", |b| {
        b.iter(|| {
            ps.iter()
                .map(|&p| dist::norm_ppf(black_box(p)))
                .sum::<f64>()
        })
    });
    for df in [3.0, 47.3, 1e5] {
        g.bench_with_input(BenchmarkId::new("t_sf", df), &df, |b, &df| {
            b.iter(|| {
                xs.iter()
                    .map(|&x| dist::t_sf(black_box(x), df))
                    .sum::<f64>()
            })
        });
        g.bench_with_input(BenchmarkId::new("t_ppf", df), &df, |b, &df| {
            b.iter(|| {
                ps.iter()
                    .map(|&p| dist::t_ppf(black_box(p), df))
                    .sum::<f64>()
            })
        });
    }
    g.bench_function("chi2_sf_df10", |b| {
        b.iter(|| {
            xs.iter()
                .map(|&x| dist::chi2_sf(black_box(x.abs() * 3.0), 10.0))
                .sum::<f64>()
        })
    });
    g.bench_function("binom_sf_n1000", |b| {
        b.iter(|| {
            (0..1000u64)
                .map(|k| dist::binom_sf(black_box(k), 1000, 0.3))
                .sum::<f64>()
        })
    });
    g.finish();
}

/// The tests on two samples of n values each.
fn tests(c: &mut Criterion) {
    let mut g = c.benchmark_group("tests");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(1));
    for n in [1_000usize, 100_000, 1_000_000] {
        let x = normals(n, 1);
        let y = normals(n, 2);
        g.throughput(Throughput::Elements(2 * n as u64));
        g.bench_with_input(BenchmarkId::new("ttest_ind_welch", n), &n, |b, _| {
            b.iter(|| ttest_ind(black_box(&x), black_box(&y), &TTestOptions::default()))
        });
        g.bench_with_input(BenchmarkId::new("brunner_munzel", n), &n, |b, _| {
            b.iter(|| {
                brunner_munzel(
                    black_box(&x),
                    black_box(&y),
                    Alternative::TwoSided,
                    BmDistribution::T,
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, functions, tests);
criterion_main!(benches);
