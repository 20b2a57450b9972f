//! Throughput of the dependence-aware comparison and its building blocks on AR(1) data
//! (φ = 0.9): `compare` (default EWC), paired `compare`, kernel long-run variance (Bartlett,
//! automatic bandwidth, prewhitened), the EWC long-run variance with 64 cosines (the default
//! test's and `detect`'s validation), Geyer effective sample size, Benjamini–Hochberg.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shiftwatch::stats::compare::{compare, CompareOptions, Pairing};
use shiftwatch::stats::dependence::{
    effective_sample_size, ewc_long_run_variance, long_run_variance, LrvOptions,
};
use shiftwatch::stats::multiplicity::{adjust, Correction};
use shiftwatch::stats::rng::Rng;

const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

fn ar1(seed: u64, n: usize) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    let mut x = 0.0;
    (0..n)
        .map(|_| {
            x = 0.9 * x + rng.normal();
            100.0 + x
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare");
    group.sample_size(10);
    for n in SIZES {
        let b = ar1(1, n);
        let cand = ar1(2, n);
        group.throughput(Throughput::Elements(2 * n as u64));
        let default = CompareOptions::default();
        group.bench_with_input(BenchmarkId::new("default", n), &n, |bench, _| {
            bench.iter(|| compare(black_box(&b), black_box(&cand), &default))
        });
        let paired = CompareOptions {
            paired: Some(Pairing::LogRatio),
            ..default
        };
        group.bench_with_input(BenchmarkId::new("paired-log-ratio", n), &n, |bench, _| {
            bench.iter(|| compare(black_box(&b), black_box(&cand), &paired))
        });
        group.throughput(Throughput::Elements(n as u64));
        let lrv = LrvOptions {
            prewhiten: true,
            ..LrvOptions::default()
        };
        group.bench_with_input(BenchmarkId::new("lrv-bartlett-auto", n), &n, |bench, _| {
            bench.iter(|| long_run_variance(black_box(&b), &lrv))
        });
        group.bench_with_input(BenchmarkId::new("lrv-ewc-64", n), &n, |bench, _| {
            bench.iter(|| ewc_long_run_variance(black_box(&b), 64))
        });
        group.bench_with_input(BenchmarkId::new("ess-geyer", n), &n, |bench, _| {
            bench.iter(|| effective_sample_size(black_box(&b)))
        });
        let mut rng = Rng::new(3);
        let p: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
        group.bench_with_input(BenchmarkId::new("adjust-bh", n), &n, |bench, _| {
            bench.iter(|| adjust(black_box(&p), Correction::BenjaminiHochberg))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
