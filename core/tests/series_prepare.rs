//! Series preparation on hand-computed inputs and on the committed fixtures.

use shiftwatch::io::{read_path, read_reader, ReadOptions};
use shiftwatch::series::prepare::{prepare, Derived, PrepareOptions, Prepared};
use shiftwatch::series::Kind;

fn dataset(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../datasets/fixtures")
        .join(name)
}

fn by<'a>(p: &'a [Prepared], metric: &str, q: Option<&str>) -> &'a Prepared {
    p.iter()
        .find(|s| s.key.metric == metric && s.key.labels.get("quantile").map(String::as_str) == q)
        .unwrap_or_else(|| panic!("no {metric} {q:?}"))
}

const TIDY: &str = "timestamp,metric,target,value,labels,kind
0,c_total,a,100,,counter
15,c_total,a,130,,counter
30,c_total,a,10,,counter
45,c_total,a,40,,counter
0,peers_total,a,7,,
15,peers_total,a,9,,
0,h_bucket,a,0,le=0.1,histogram
0,h_bucket,a,0,le=1,histogram
0,h_bucket,a,0,le=+Inf,histogram
15,h_bucket,a,10,le=0.1,histogram
15,h_bucket,a,18,le=1,histogram
15,h_bucket,a,20,le=+Inf,histogram
30,h_bucket,a,15,le=0.1,histogram
30,h_bucket,a,30,le=1,histogram
30,h_bucket,a,40,le=+Inf,histogram
0,h_sum,a,0,,counter
15,h_sum,a,3,,counter
30,h_sum,a,9,,counter
0,h_count,a,0,,counter
15,h_count,a,20,,counter
30,h_count,a,40,,counter
";

#[test]
fn hand_computed_preparation() {
    let d = read_reader(TIDY.as_bytes(), "t.csv", &ReadOptions::default()).expect("valid");
    let p = prepare(&d.series, &PrepareOptions::default()).expect("valid");
    // Counter: (130−100)/15 = 2; reset 130→10: 10/15; (40−10)/15 = 2.
    let c = by(&p, "c_total", None);
    assert_eq!(c.derived, Derived::Rate);
    assert_eq!(c.timestamps_ms, vec![15_000, 30_000, 45_000]);
    assert_eq!(c.values, vec![2.0, 10.0 / 15.0, 2.0]);
    assert_eq!(c.data.resets.len(), 1);
    assert_eq!(
        (
            c.data.resets[0].at_ms,
            c.data.resets[0].before,
            c.data.resets[0].after
        ),
        (30_000, 130.0, 10.0)
    );
    // `_total` without a declared kind stays raw.
    let g = by(&p, "peers_total", None);
    assert_eq!((g.kind, g.derived), (Kind::Unknown, Derived::Raw));
    assert_eq!(g.values, vec![7.0, 9.0]);
    // Histogram, interval 1 increases (0.1, 1, +Inf) = (10, 18, 20):
    //   q=.5: rank 10 → first bucket: 0.1·10/10 = 0.1
    //   q=.9: rank 18 → (0.1, 1]: 0.1 + 0.9·(18−10)/8 = 1.0
    //   q=.99: rank 19.8 → +Inf bucket → 1.0 (saturation)
    // Interval 2 increases (5, 12, 20): q=.5: rank 10 → 0.1 + 0.9·(10−5)/7; q=.9 → +Inf → 1.0
    let h50 = by(&p, "h", Some("0.5"));
    assert_eq!(h50.derived, Derived::Quantile { q: 0.5 });
    assert!(h50.data.coarse);
    assert_eq!(h50.timestamps_ms, vec![15_000, 30_000]);
    assert!((h50.values[0] - 0.1).abs() < 1e-15);
    assert!((h50.values[1] - (0.1 + 0.9 * 5.0 / 7.0)).abs() < 1e-15);
    let h90 = by(&p, "h", Some("0.9"));
    assert!((h90.values[0] - 1.0).abs() < 1e-15);
    assert_eq!(h90.values[1], 1.0);
    assert_eq!(by(&p, "h", Some("0.99")).values, vec![1.0, 1.0]);
    assert_eq!(h50.data.read.points, 9);
    // Mean from _sum/_count: 3/20 = 0.15, (9−3)/(40−20) = 0.3.
    let mean = p
        .iter()
        .find(|s| s.derived == Derived::Mean)
        .expect("mean series");
    assert_eq!(mean.key.metric, "h");
    assert_eq!(
        mean.key.labels.get("stat").map(String::as_str),
        Some("mean")
    );
    assert_eq!(mean.values, vec![0.15, 0.3]);
}

#[test]
fn warmup_is_trimmed_and_reported() {
    let d = read_reader(TIDY.as_bytes(), "t.csv", &ReadOptions::default()).expect("valid");
    let opts = PrepareOptions {
        warmup_ms: 20_000,
        ..PrepareOptions::default()
    };
    let p = prepare(&d.series, &opts).expect("valid");
    // From the first raw timestamp (0 s) + 20 s: the rate at 15 s and the histogram interval
    // ending at 15 s are dropped.
    let c = by(&p, "c_total", None);
    assert_eq!((c.timestamps_ms[0], c.data.warmup_trimmed), (30_000, 1));
    assert_eq!(by(&p, "h", Some("0.5")).data.warmup_trimmed, 1);
    assert_eq!(by(&p, "peers_total", None).data.warmup_trimmed, 2);
    let bad = PrepareOptions {
        quantiles: vec![1.5],
        ..PrepareOptions::default()
    };
    assert!(prepare(&d.series, &bad).is_err());
}

#[test]
fn fixtures_counters_and_histograms() {
    // tidy/paired.csv: kubo28-1's requests counter restarts at index 25 (t0 + 375 s).
    let d = read_path(dataset("tidy/paired.csv"), &ReadOptions::default()).expect("valid");
    let p = prepare(&d.series, &PrepareOptions::default()).expect("valid");
    let c = p
        .iter()
        .find(|s| s.key.metric == "http_requests_total" && s.key.target == "kubo28-1")
        .expect("counter");
    assert_eq!(c.data.resets.len(), 1);
    assert_eq!(c.data.resets[0].at_ms, 1_714_564_800_000 + 375_000);
    assert!(c.values.iter().all(|&r| r >= 0.0), "no negative spike");
    assert_eq!(c.values.len(), 39);
    // openmetrics/scrape.txt: counter reset at index 20; histogram with le 0.05, 0.25, +Inf.
    let d = read_path(dataset("openmetrics/scrape.txt"), &ReadOptions::default()).expect("valid");
    let p = prepare(&d.series, &PrepareOptions::default()).expect("valid");
    let c = by(&p, "ipfs_http_requests_total", None);
    assert_eq!(c.data.resets.len(), 1);
    assert_eq!(c.data.resets[0].at_ms, 1_714_564_800_000 + 300_000);
    for q in ["0.5", "0.9", "0.99"] {
        let h = by(&p, "rpc_duration_seconds", Some(q));
        assert_eq!(h.values.len(), 39);
        assert!(
            h.values.iter().all(|&v| (0.0..=0.25).contains(&v)),
            "{q}: {:?}",
            h.values
        );
    }
    // Medians: most observations are ≤ 0.05 in every interval (10–20 fast vs ≤ 7 others).
    assert!(by(&p, "rpc_duration_seconds", Some("0.5"))
        .values
        .iter()
        .all(|&v| v <= 0.05));
    // Mean per interval from _sum/_count: every observation is 0.02, 0.1 or 0.6 s
    // (make_fixtures.py), so each interval mean lies in [0.02, 0.6].
    let mean = p.iter().find(|s| s.derived == Derived::Mean).expect("mean");
    assert_eq!(mean.values.len(), 39);
    assert!(
        mean.values
            .iter()
            .all(|&m| (0.02 - 1e-9..=0.6 + 1e-9).contains(&m)),
        "{:?}",
        mean.values
    );
    // _sum/_count are counters → rates.
    assert_eq!(
        by(&p, "rpc_duration_seconds_count", None).derived,
        Derived::Rate
    );
}
