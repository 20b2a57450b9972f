//! Two-sample KS: statistic + p-value, from unsorted data (includes both sorts) and from
//! pre-sorted data (merge walk + p-value only), on no-change data (the common case of a
//! release check), plus the p-value's costliest regimes: the asymptotic Smirnov sum
//! (`2.2 ≤ n·D² < 370`, O(n) terms) and the exact lattice recursion at the `auto` limit.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shiftwatch::stats::ks::{ks_2samp, ks_2samp_sorted, KsMethod, KsOptions};
use shiftwatch::stats::rng::Rng;
use std::hint::black_box;

fn normals(seed: u64, n: usize, shift: f64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| rng.normal() + shift).collect()
}

fn bench_ks(c: &mut Criterion) {
    let mut group = c.benchmark_group("ks_2samp");
    group.sample_size(10);
    for &n in &[1_000usize, 10_000, 100_000, 1_000_000] {
        let x = normals(1, n, 0.0);
        let y = normals(2, n, 0.0);
        let opts = KsOptions::default();
        group.throughput(Throughput::Elements(2 * n as u64));
        group.bench_with_input(BenchmarkId::new("unsorted", n), &n, |b, _| {
            b.iter(|| ks_2samp(black_box(&x), black_box(&y), &opts))
        });
        let mut xs = x.clone();
        let mut ys = y.clone();
        xs.sort_unstable_by(f64::total_cmp);
        ys.sort_unstable_by(f64::total_cmp);
        group.bench_with_input(BenchmarkId::new("sorted", n), &n, |b, _| {
            b.iter(|| ks_2samp_sorted(black_box(&xs), black_box(&ys), &opts))
        });
    }
    // A small shift at 10^6: n·D² ≈ 12, where kstwo needs the O(n) Smirnov sum.
    let x = normals(5, 1_000_000, 0.0);
    let y = normals(6, 1_000_000, 0.01);
    let (mut xs, mut ys) = (x.clone(), y.clone());
    xs.sort_unstable_by(f64::total_cmp);
    ys.sort_unstable_by(f64::total_cmp);
    let opts = KsOptions::default();
    group.throughput(Throughput::Elements(2_000_000));
    group.bench_function("sorted_smirnov_band/1000000", |b| {
        b.iter(|| ks_2samp_sorted(black_box(&xs), black_box(&ys), &opts))
    });
    // The exact p-value at the auto limit with unequal sizes (the costliest exact branch).
    let x = normals(3, 10_000, 0.0);
    let y = normals(4, 9_999, 0.0);
    let exact = KsOptions {
        method: KsMethod::Exact,
        ..KsOptions::default()
    };
    group.throughput(Throughput::Elements(19_999));
    group.bench_function("exact_10000_vs_9999", |b| {
        b.iter(|| ks_2samp(black_box(&x), black_box(&y), &exact))
    });
    group.finish();
}

criterion_group!(benches, bench_ks);
criterion_main!(benches);
