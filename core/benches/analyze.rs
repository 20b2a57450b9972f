//! Throughput of `analyze` (paired mode, the default pipeline: prepare, grid, level, A/A,
//! trend, dispersion, change points, BH, verdicts) on in-memory experiments of M metrics × 4
//! targets × 1440 points (one day of 60 s scrapes), and of the Grafana reader + analysis on the
//! same data as CSV text. The end-to-end figure for 1000 metrics from files is measured on the
//! whole process (`bench/analyze_scale.py`, README "Speed").

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shiftwatch::analyze::{analyze, AnalyzeOptions};
use shiftwatch::io::{read_reader, ReadOptions};
use shiftwatch::series::{Dataset, Kind, RawSeries, SeriesKey};
use shiftwatch::stats::rng::Rng;

const POINTS: usize = 1440;
const TARGETS: [&str; 4] = ["base-1", "base-2", "cand-1", "cand-2"];

fn experiment(metrics: usize) -> Dataset {
    let mut rng = Rng::new(11);
    let mut series = Vec::new();
    for m in 0..metrics {
        for t in TARGETS {
            let key = SeriesKey {
                metric: format!("metric_{m:04}"),
                target: t.to_string(),
                labels: Default::default(),
            };
            let mut s = RawSeries::new(key, Kind::Gauge);
            let mut x = 0.0;
            for i in 0..POINTS {
                x = 0.9 * x + 0.01 * rng.normal();
                s.timestamps_ms.push(1_700_000_000_000 + 60_000 * i as i64);
                s.values.push(100.0 * (1.0 + x));
            }
            s.report.points = POINTS;
            series.push(s);
        }
    }
    Dataset {
        series,
        report: Default::default(),
    }
}

fn grafana_csv(data: &Dataset) -> String {
    let mut out = String::from("\"Time\"");
    for s in &data.series {
        out.push_str(&format!(
            ",\"{}{{target=\"\"{}\"\"}}\"",
            s.key.metric, s.key.target
        ));
    }
    out.push('\n');
    for i in 0..POINTS {
        out.push_str(&data.series[0].timestamps_ms[i].to_string());
        for s in &data.series {
            out.push_str(&format!(",{:.6}", s.values[i]));
        }
        out.push('\n');
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    let opts = AnalyzeOptions {
        baseline: Some("base-*".into()),
        candidate: Some("cand-*".into()),
        ..AnalyzeOptions::default()
    };
    for metrics in [10, 100] {
        let data = experiment(metrics);
        group.throughput(Throughput::Elements(
            (metrics * TARGETS.len() * POINTS) as u64,
        ));
        group.bench_with_input(BenchmarkId::new("paired", metrics), &metrics, |b, _| {
            b.iter(|| analyze(black_box(&data), &opts))
        });
        let csv = grafana_csv(&data);
        group.bench_with_input(
            BenchmarkId::new("read-grafana+paired", metrics),
            &metrics,
            |b, _| {
                b.iter(|| {
                    let d = read_reader(csv.as_bytes(), "bench.csv", &ReadOptions::default())?;
                    analyze(&d, &opts)
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
