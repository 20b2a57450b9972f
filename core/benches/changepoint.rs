//! Change-point searches on seeded piecewise-constant signals with 10 changes and unit Gaussian
//! noise (steps of ±2σ), BIC-like penalty `2 ln n` (σ = 1).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shiftwatch::changepoint::cost::{CostKind, L2};
use shiftwatch::changepoint::search::{binseg, fpop, pelt, Stop};
use shiftwatch::changepoint::{detect, e_divisive, DetectOptions, EDivisiveOptions};
use shiftwatch::stats::rng::Rng;

fn signal(n: usize, changes: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    let seg = n / (changes + 1);
    (0..n)
        .map(|i| {
            let level = if (i / seg.max(1)) % 2 == 1 { 2.0 } else { 0.0 };
            level + rng.normal()
        })
        .collect()
}

fn searches(c: &mut Criterion) {
    let mut group = c.benchmark_group("changepoint");
    group.sample_size(10);
    for &n in &[1_000usize, 10_000, 100_000, 1_000_000] {
        let x = signal(n, 10, 42);
        let pen = 2.0 * (n as f64).ln();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("fpop_l2", n), &x, |b, x| {
            b.iter(|| fpop(black_box(x), pen, 1))
        });
        group.bench_with_input(BenchmarkId::new("detect_default", n), &x, |b, x| {
            b.iter(|| detect(black_box(x), &DetectOptions::default()))
        });
        group.bench_with_input(BenchmarkId::new("binseg_l2_k10", n), &x, |b, x| {
            b.iter(|| {
                let cost = L2::new(black_box(x)).ok();
                cost.map(|c| binseg(&c, Stop::NumChanges(10), 1))
            })
        });
        if n <= 10_000 {
            // PELT's pruning is quadratic with 10 long segments; kept to small n.
            group.bench_with_input(BenchmarkId::new("pelt_l2", n), &x, |b, x| {
                b.iter(|| {
                    let cost = L2::new(black_box(x)).ok();
                    cost.map(|c| pelt(&c, pen, 1))
                })
            });
            // The other costs have no functional pruning: quadratic here, so 10³ only.
            for kind in [CostKind::Normal, CostKind::L1, CostKind::Np]
                .into_iter()
                .filter(|_| n <= 1_000)
            {
                group.bench_with_input(BenchmarkId::new(format!("pelt_{kind}"), n), &x, |b, x| {
                    b.iter(|| {
                        let cost = kind.build(black_box(x)).ok();
                        cost.map(|c| pelt(&*c, 3.0 * (n as f64).ln(), 2))
                    })
                });
            }
        }
    }
    group.finish();
}

/// E-divisive with 99 permutations (α = 1: O(n log n) per scan) on 10 changes.
fn edivisive(c: &mut Criterion) {
    let mut group = c.benchmark_group("edivisive");
    group.sample_size(10);
    for &n in &[1_000usize, 10_000] {
        let x = signal(n, 10, 7);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("e_divisive_99", n), &x, |b, x| {
            b.iter(|| e_divisive(black_box(x), &EDivisiveOptions::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, searches, edivisive);
criterion_main!(benches);
