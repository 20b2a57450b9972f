//! Reader throughput (MB/s of input) on generated exports: tidy CSV, Grafana wide CSV,
//! Prometheus query_range JSON, OpenMetrics text. Goal: ≥ 200 MB/s for tidy CSV on one core.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use shiftwatch::io::inspect::inspect;
use shiftwatch::io::{read_reader, Format, Inputs, ReadOptions};

const T0: i64 = 1_714_564_800_000;

fn tidy(rows: usize) -> String {
    let mut s = String::from("timestamp,metric,target,role,release,value,labels\n");
    for i in 0..rows {
        let series = i % 8;
        let t = T0 + (i / 8) as i64 * 15_000;
        let _ = writeln!(
            s,
            "{t},http_request_duration_seconds,kubo2{}-{},{},v0.2{},{:.4},route=/api/v0/add;code=200",
            7 + series % 2,
            series / 2,
            if series % 2 == 0 { "baseline" } else { "candidate" },
            7 + series % 2,
            0.1 + (i % 97) as f64 * 0.0013,
        );
    }
    s
}

fn tidy_rfc3339(rows: usize) -> String {
    let mut s = String::from("timestamp,metric,target,value\n");
    for i in 0..rows {
        let t = shiftwatch::series::time::format_rfc3339(T0 + (i / 4) as i64 * 15_000);
        let _ = writeln!(s, "{t},go_goroutines,kubo27-{},{}", i % 4, 100 + i % 37);
    }
    s
}

fn grafana(rows: usize) -> String {
    let mut s = String::from("\"Time\"");
    for k in 0..8 {
        let _ = write!(
            s,
            ",\"go_goroutines{{experiment=\"\"e\"\", target=\"\"kubo27-{k}\"\"}}\""
        );
    }
    s.push_str("\r\n");
    for i in 0..rows / 8 {
        let _ = write!(s, "{}", T0 + i as i64 * 15_000);
        for k in 0..8 {
            let _ = write!(s, ",{}", 100 + (i + k) % 37);
        }
        s.push_str("\r\n");
    }
    s
}

fn prometheus(rows: usize) -> String {
    let mut s = String::from(r#"{"status":"success","data":{"resultType":"matrix","result":["#);
    for k in 0..8 {
        if k > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"metric":{{"__name__":"process_resident_memory_bytes","target":"kubo27-{k}"}},"values":["#
        );
        for i in 0..rows / 8 {
            if i > 0 {
                s.push(',');
            }
            let _ = write!(
                s,
                r#"[{}.{:03},"{}"]"#,
                1_714_564_800 + i * 15,
                i % 1000,
                2.0e8 + (i % 997) as f64
            );
        }
        s.push_str("]}");
    }
    s.push_str("]}}");
    s
}

fn openmetrics(rows: usize) -> String {
    let mut s = String::from("# TYPE ipfs_http_requests counter\n");
    for i in 0..rows {
        let _ = writeln!(
            s,
            "ipfs_http_requests_total{{target=\"kubo27-{}\",code=\"200\"}} {} {}.000",
            i % 8,
            i * 3,
            1_714_564_800 + (i / 8) * 15
        );
    }
    s.push_str("# EOF\n");
    s
}

/// Tidy CSV with one point per series (distinct targets): the per-series overhead of
/// `SeriesSet` (issue 9, item 19; peak memory is measured by `bench/rss_io.py`).
fn tidy_one_point_per_series(rows: usize) -> String {
    let mut s = String::from("timestamp,metric,target,value\n");
    for i in 0..rows {
        s.push_str(&format!("1714564800000,node_load,t{i},{}\n", i % 100));
    }
    s
}

/// Grafana wide CSV with `cols` series columns and 3 rows: reading must be linear in the line
/// length (the old private `detect` splitter was quadratic: item 20).
fn grafana_very_wide(cols: usize) -> String {
    let mut s = String::from("Time");
    for i in 0..cols {
        s.push_str(&format!(",s{i}"));
    }
    s.push('\n');
    for r in 0..3 {
        s.push_str(&(1_714_564_800_000i64 + r * 15_000).to_string());
        for i in 0..cols {
            s.push_str(&format!(",{}", (i + r as usize) % 10));
        }
        s.push('\n');
    }
    s
}

/// Name, generator, format, sizes (rows).
type Case = (&'static str, fn(usize) -> String, Format, &'static [usize]);

fn bench(c: &mut Criterion) {
    let cases: [Case; 7] = [
        (
            "tidy_csv_one_point_per_series",
            tidy_one_point_per_series,
            Format::Auto,
            &[10_000, 100_000, 1_000_000],
        ),
        (
            "grafana_very_wide_columns",
            grafana_very_wide,
            Format::Auto,
            &[10_000, 100_000],
        ),
        (
            "tidy_csv",
            tidy,
            Format::Auto,
            &[1_000, 10_000, 100_000, 1_000_000],
        ),
        (
            "tidy_csv_rfc3339",
            tidy_rfc3339,
            Format::Auto,
            &[1_000, 100_000],
        ),
        ("grafana_wide", grafana, Format::Auto, &[1_000, 100_000]),
        (
            "prometheus_json",
            prometheus,
            Format::Auto,
            &[1_000, 100_000],
        ),
        ("openmetrics", openmetrics, Format::Auto, &[1_000, 100_000]),
    ];
    for (name, make, format, sizes) in cases {
        let mut group = c.benchmark_group(format!("read/{name}"));
        group.sample_size(10);
        for &n in sizes {
            let text = make(n);
            group.throughput(Throughput::Bytes(text.len() as u64));
            let opts = ReadOptions {
                format,
                ..ReadOptions::default()
            };
            group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
                b.iter(|| {
                    let d = read_reader(black_box(text.as_bytes()), "bench.csv", &opts);
                    black_box(d.map(|d| d.series.len()).unwrap_or(0))
                });
            });
        }
        group.finish();
    }
    // `inspect`: summaries while reading (no points kept), on the two shapes of the peak-RSS
    // check in bench/rss_io.py.
    for (name, make) in [
        ("tidy_csv", tidy as fn(usize) -> String),
        ("tidy_csv_one_point_per_series", tidy_one_point_per_series),
    ] {
        let mut group = c.benchmark_group(format!("inspect/{name}"));
        group.sample_size(10);
        for n in [100_000, 1_000_000] {
            let text = make(n);
            group.throughput(Throughput::Bytes(text.len() as u64));
            let opts = ReadOptions::default();
            group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
                b.iter(|| {
                    let inputs = Inputs::Bytes {
                        data: black_box(text.as_bytes()),
                        name: "bench.csv",
                    };
                    let i = inspect(inputs, &opts);
                    black_box(i.map(|i| i.summaries().count()).unwrap_or(0))
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
