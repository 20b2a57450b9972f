//! Sort-once ranking and the rank tests: radix sort of f64, pooled rank sums,
//! Mann–Whitney U (asymptotic, the path taken for large samples) and Wilcoxon signed-rank.
//!
//! Data are seeded normal values (continuous, no ties) and, for the ranker, small integers
//! (heavy ties). Run: `cargo bench -p shiftwatch --bench rank`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

use shiftwatch::stats::mann_whitney::{mann_whitney_u, MwuOptions};
use shiftwatch::stats::rank;
use shiftwatch::stats::rng::Rng;
use shiftwatch::stats::wilcoxon::{wilcoxon, WilcoxonOptions};

const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

fn normal(seed: u64, n: usize, shift: f64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| rng.normal() + shift).collect()
}

fn mann_whitney(c: &mut Criterion) {
    let mut group = c.benchmark_group("mann_whitney_u");
    group.sample_size(10);
    for n in SIZES {
        let x = normal(1, n, 0.0);
        let y = normal(2, n, 0.05);
        group.throughput(Throughput::Elements(2 * n as u64));
        group.bench_with_input(BenchmarkId::new("n_vs_n", n), &n, |b, _| {
            b.iter(|| mann_whitney_u(black_box(&x), black_box(&y), &MwuOptions::default()))
        });
    }
    group.finish();
}

fn ranker(c: &mut Criterion) {
    let mut group = c.benchmark_group("rank");
    group.sample_size(10);
    for n in SIZES {
        let x = normal(3, n, 0.0);
        let ties: Vec<f64> = x.iter().map(|v| (v * 3.0).round()).collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("sort_f64", n), &n, |b, _| {
            b.iter(|| {
                let mut v = x.clone();
                rank::sort_f64(&mut v);
                v
            })
        });
        group.bench_with_input(BenchmarkId::new("midranks", n), &n, |b, _| {
            b.iter(|| rank::midranks(black_box(&x)))
        });
        group.bench_with_input(BenchmarkId::new("pooled_ties", n), &n, |b, _| {
            b.iter(|| rank::pooled(black_box(&ties[..n / 2]), black_box(&ties[n / 2..])))
        });
    }
    group.finish();
}

fn signed_rank(c: &mut Criterion) {
    let mut group = c.benchmark_group("wilcoxon");
    group.sample_size(10);
    for n in SIZES {
        let d = normal(4, n, 0.02);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("one_sample", n), &n, |b, _| {
            b.iter(|| wilcoxon(black_box(&d), None, &WilcoxonOptions::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, mann_whitney, ranker, signed_rank);
criterion_main!(benches);
