//! A by-2 experiment (targets base-1, base-2, cand-1, cand-2; 2 h at 15 s) with known
//! differences, written three ways: OpenMetrics for `promtool` backfill, the tidy CSV export of
//! the same samples, and the analyze config.
//!
//! | metric | kind | injected |
//! |---|---|---|
//! | `latency_seconds` | gauge | candidate +10 % |
//! | `http_requests_total` | counter | none; cand-2 restarts (counter reset) half way |
//! | `rpc_duration_seconds_bucket` | histogram | candidate slower (more mass above 0.1 s) |
//! | `process_resident_memory_bytes` | gauge | none |

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Samples per series.
pub const N: usize = 481;
/// Sample spacing, seconds.
pub const STEP_S: i64 = 15;
/// Targets in order.
pub const TARGETS: [&str; 4] = ["base-1", "base-2", "cand-1", "cand-2"];
/// Histogram bucket bounds.
pub const LE: [&str; 5] = ["0.05", "0.1", "0.2", "0.5", "+Inf"];

/// Where the experiment was written and its time range.
pub struct Experiment {
    pub openmetrics: PathBuf,
    pub tidy_csv: PathBuf,
    pub config: PathBuf,
    /// First sample, epoch seconds.
    pub start_s: i64,
    /// Last sample, epoch seconds.
    pub end_s: i64,
}

/// xorshift64*: deterministic noise in [-1, 1).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        x as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

/// One series: metric, target, labels text (`le=0.1` or empty), OpenMetrics label text, values.
struct Series {
    metric: &'static str,
    target: &'static str,
    le: Option<&'static str>,
    values: Vec<f64>,
}

fn build() -> Vec<(&'static str, &'static str, Vec<Series>)> {
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let load: Vec<f64> = (0..N)
        .map(|i| 1.0 + 0.05 * (i as f64 * std::f64::consts::TAU / 240.0).sin())
        .collect();
    let mut latency = Vec::new();
    let mut memory = Vec::new();
    let mut requests = Vec::new();
    let mut buckets = Vec::new();
    for (t, &target) in TARGETS.iter().enumerate() {
        let cand = t >= 2;
        let (mut ar1, mut ar2) = (0.0, 0.0);
        let (mut lat, mut mem) = (Vec::new(), Vec::new());
        for l in &load {
            ar1 = 0.5 * ar1 + noise.next();
            ar2 = 0.5 * ar2 + noise.next();
            let level = if cand { 0.11 } else { 0.10 };
            lat.push(level * l * (1.0 + 0.02 * ar1));
            mem.push((2.0e8 * (1.0 + 0.01 * ar2)).round());
        }
        latency.push(Series {
            metric: "latency_seconds",
            target,
            le: None,
            values: lat,
        });
        memory.push(Series {
            metric: "process_resident_memory_bytes",
            target,
            le: None,
            values: mem,
        });
        // Counter: ~100 requests/s; cand-2 restarts half way (value drops to one increment).
        let mut total = 0.0;
        let mut c = Vec::new();
        for (i, l) in load.iter().enumerate() {
            let inc = (1500.0 * l * (1.0 + 0.05 * noise.next())).round();
            total = if target == "cand-2" && i == N / 2 {
                inc
            } else {
                total + inc
            };
            c.push(total);
        }
        requests.push(Series {
            metric: "http_requests_total",
            target,
            le: None,
            values: c,
        });
        // Histogram: 100 observations per step; the candidate's are slower.
        let cdf: [f64; 5] = if cand {
            [0.30, 0.60, 0.90, 0.98, 1.0]
        } else {
            [0.50, 0.80, 0.95, 0.99, 1.0]
        };
        let mut cum = [0.0f64; 5];
        let mut per_le: Vec<Vec<f64>> = vec![Vec::new(); 5];
        for _ in 0..N {
            let n = 100.0 + (10.0 * noise.next()).round();
            let mut below = 0.0f64;
            for (b, p) in cdf.iter().enumerate() {
                let jitter = if b < 4 { 0.02 * noise.next() } else { 0.0 };
                let x = (n * (p + jitter).min(1.0)).round().max(below).min(n);
                below = x;
                cum[b] += x;
                per_le[b].push(cum[b]);
            }
        }
        for (b, vals) in per_le.into_iter().enumerate() {
            buckets.push(Series {
                metric: "rpc_duration_seconds_bucket",
                target,
                le: Some(LE[b]),
                values: vals,
            });
        }
    }
    vec![
        ("latency_seconds", "gauge", latency),
        ("process_resident_memory_bytes", "gauge", memory),
        ("http_requests", "counter", requests),
        ("rpc_duration_seconds", "histogram", buckets),
    ]
}

/// Writes the experiment into `dir`, ending at the last whole hour at least 1 h ago (recent,
/// so within any retention; whole hours keep the 15 s grid aligned).
pub fn write(dir: &Path) -> Experiment {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let end_s = (now / 3600 - 1) * 3600;
    let start_s = end_s - (N as i64 - 1) * STEP_S;
    let families = build();
    let mut om = String::new();
    let mut csv = String::from("timestamp,metric,target,role,release,value,labels\n");
    for (family, kind, series) in &families {
        let _ = writeln!(om, "# TYPE {family} {kind}");
        for s in series {
            let labels = match s.le {
                Some(le) => format!("{{target=\"{}\",le=\"{le}\"}}", s.target),
                None => format!("{{target=\"{}\"}}", s.target),
            };
            let tidy_labels = s.le.map(|le| format!("le={le}")).unwrap_or_default();
            for (i, v) in s.values.iter().enumerate() {
                let t = start_s + i as i64 * STEP_S;
                let _ = writeln!(om, "{}{labels} {v} {t}", s.metric);
                let _ = writeln!(csv, "{t},{},{},,,{v},{tidy_labels}", s.metric, s.target);
            }
        }
    }
    om.push_str("# EOF\n");
    let config = "[[metrics]]\nname = \"http_requests\"\nkind = \"counter\"\n\n\
        [[metrics]]\nname = \"rpc_duration_seconds\"\nkind = \"histogram\"\n\
        direction = \"higher_is_worse\"\n\n\
        [[metrics]]\nname = \"latency_seconds\"\ndirection = \"higher_is_worse\"\nmin_effect = 0.03\n\n\
        [[metrics]]\nname = \"process_resident_memory_bytes\"\ndirection = \"higher_is_worse\"\n\
        min_effect = 0.05\n\n\
        [[queries]]\nname = \"latency\"\nexpr = \"latency_seconds\"\n\n\
        [[queries]]\nname = \"memory\"\nexpr = \"process_resident_memory_bytes\"\n\n\
        [[queries]]\nname = \"requests\"\nexpr = \"http_requests_total\"\n\n\
        [[queries]]\nname = \"rpc\"\nexpr = \"rpc_duration_seconds_bucket\"\n";
    let e = Experiment {
        openmetrics: dir.join("experiment.om"),
        tidy_csv: dir.join("experiment.csv"),
        config: dir.join("shiftwatch.toml"),
        start_s,
        end_s,
    };
    for (p, text) in [(&e.openmetrics, &om), (&e.tidy_csv, &csv)] {
        std::fs::write(p, text).unwrap_or_else(|err| panic!("{}: {err}", p.display()));
    }
    std::fs::write(&e.config, config).unwrap_or_else(|err| panic!("{err}"));
    e
}
