//! The biweight (bounded-loss) search, R-FPOP, on seeded piecewise-constant signals with 10
//! changes (steps of ±2σ), unit Gaussian noise and 1 % spikes of +10σ; penalty `2 ln n` in units
//! of σ² (the target: 10⁶ points in ≤ 1 s). Also `detect(cost="biweight")` (search plus
//! validation) at the same sizes.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shiftwatch::changepoint::cost::{Biweight, BIWEIGHT_K};
use shiftwatch::changepoint::search::fpop_biweight_cost;
use shiftwatch::changepoint::{detect, CostKind, DetectOptions};
use shiftwatch::stats::rng::Rng;

fn signal(n: usize, changes: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    let seg = n / (changes + 1);
    (0..n)
        .map(|i| {
            let level = if (i / seg.max(1)) % 2 == 1 { 2.0 } else { 0.0 };
            let spike = if rng.uniform() < 0.01 { 10.0 } else { 0.0 };
            level + spike + rng.normal()
        })
        .collect()
}

fn biweight(c: &mut Criterion) {
    let mut group = c.benchmark_group("changepoint_biweight");
    group.sample_size(10);
    for &n in &[10_000usize, 100_000, 1_000_000] {
        let x = signal(n, 10, 5);
        let cost = Biweight::with_threshold(&x, BIWEIGHT_K).unwrap_or_else(|e| panic!("{e}"));
        let pen = 2.0 * (n as f64).ln();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("fpop_biweight", n), &cost, |b, cost| {
            b.iter(|| fpop_biweight_cost(black_box(cost), pen, 1))
        });
        let options = DetectOptions {
            cost: CostKind::Biweight,
            ..DetectOptions::default()
        };
        group.bench_with_input(BenchmarkId::new("detect_biweight", n), &x, |b, x| {
            b.iter(|| detect(black_box(x), &options))
        });
    }
    group.finish();
}

criterion_group!(benches, biweight);
criterion_main!(benches);
