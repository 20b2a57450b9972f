//! Issue 9 (hardening): every numbered case that belongs to the engine, its readers and the
//! CLI's error path, as a test. Each test names its item.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use shiftwatch::changepoint::edivisive::{e_divisive, e_divisive_with};
use shiftwatch::changepoint::{
    detect, search, CostKind, DetectOptions, EDivisiveOptions, Method, Stop,
};
use shiftwatch::progress::Silent;
use shiftwatch::stats::bootstrap::{bootstrap_ci, bootstrap_ci_with, BootstrapOptions};
use shiftwatch::stats::permutation::{
    mean_difference_test, permutation_test_with, PermutationOptions,
};
use shiftwatch::stats::resample::statistic::Named;
use shiftwatch::Error;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../datasets/fixtures")
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
}

fn ramp(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64).collect()
}

fn mean_diff(x: &mut [f64], y: &mut [f64]) -> f64 {
    y.iter().sum::<f64>() / y.len() as f64 - x.iter().sum::<f64>() / x.len() as f64
}

fn is_invalid(r: &Result<impl std::fmt::Debug, Error>, name: &str) -> bool {
    matches!(r, Err(Error::InvalidArgument { name: n, .. }) if *n == name)
}

/// Item 1: absurd resample counts are refused before any allocation (no abort, no panic).
#[test]
fn item01_absurd_resample_counts_are_errors() {
    let (x, y) = (ramp(50), ramp(50));
    for b in [10usize.pow(10), 1 << 62, usize::MAX] {
        let o = BootstrapOptions {
            n_resamples: b,
            ..Default::default()
        };
        let r = bootstrap_ci(&x, &y, mean_diff, &o);
        assert!(is_invalid(&r, "n_resamples"), "{b}: {r:?}");
        let o = PermutationOptions {
            n_resamples: b,
            ..Default::default()
        };
        let r = mean_difference_test(&x, &y, &o);
        assert!(is_invalid(&r, "n_resamples"), "{b}: {r:?}");
    }
    // The ceiling itself is accepted by the permutation test without an O(R) allocation:
    // cancelled at once here, it must not have allocated 8 GB first.
    let o = PermutationOptions {
        n_resamples: shiftwatch::stats::permutation::MAX_PERMUTATIONS,
        ..Default::default()
    };
    let stop = |_: u64, _: u64| ControlFlow::Break(());
    let r = permutation_test_with(&x, &y, |a, b| a[0] - b[0], &o, &stop);
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
}

/// Item 2: a failing stderr (`2>/dev/full`) does not panic; the exit code still says 2.
#[test]
fn item02_unwritable_stderr_does_not_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full on this system; skipped");
        return;
    };
    let out = bin()
        .args(["inspect", "/nonexistent/file.csv"])
        .stderr(full)
        .output()
        .expect("run shiftwatch");
    assert_eq!(out.status.code(), Some(2));
}

/// Runs `args` with a stdout whose reading end is already closed: exit code and stderr.
fn closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = bin()
        .args(args)
        .current_dir(fixtures())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run shiftwatch");
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("read stderr");
    (child.wait().expect("wait").code(), err)
}

/// Item 3: one rule for every output path: a closed stdout ends quietly with exit 0, for the
/// table and the JSON (serde_json wraps the broken pipe) paths of every command.
#[test]
fn item03_broken_pipe_is_quiet_success_on_every_output_path() {
    let csv = std::env::temp_dir().join(format!("shiftwatch-pipe-{}.csv", std::process::id()));
    let mut text = String::from("baseline,candidate\n");
    for i in 0..200 {
        text.push_str(&format!("{},{}\n", 100 + i % 7, 103 + i % 5));
    }
    std::fs::write(&csv, text).expect("write csv");
    let csv = csv.to_string_lossy().into_owned();
    let cases: Vec<Vec<&str>> = vec![
        vec!["inspect", "openmetrics/prom004.txt"],
        vec!["inspect", "openmetrics/prom004.txt", "--format", "json"],
        vec![
            "compare",
            &csv,
            "--baseline",
            "baseline",
            "--candidate",
            "candidate",
        ],
        vec![
            "compare",
            &csv,
            "--baseline",
            "baseline",
            "--candidate",
            "candidate",
            "--format",
            "json",
        ],
        vec!["detect", &csv, "--column", "baseline"],
        vec!["detect", &csv, "--column", "baseline", "--format", "json"],
    ];
    for args in cases {
        let (code, err) = closed_stdout(&args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}");
    }
}

/// Item 4: long loops stop when the progress hook says so (Ctrl-C in Python), and absurd
/// permutation counts are refused.
#[test]
fn item04_long_loops_are_cancellable_and_bounded() {
    let x: Vec<f64> = (0..2000).map(|i| ((i * 7919) % 1000) as f64).collect();
    let y: Vec<f64> = x.iter().map(|v| v + 3.0).collect();
    let stop = |_: u64, _: u64| ControlFlow::Break(());
    let o = BootstrapOptions {
        n_resamples: 9_999_999,
        ..Default::default()
    };
    let named = Named::parse("mean_diff", 0.5).expect("name");
    let t = std::time::Instant::now();
    let r = bootstrap_ci_with(&x, &y, &named, &o, &stop);
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
    // Generous bound: the full run would take minutes.
    assert!(t.elapsed().as_secs() < 20);

    let o = EDivisiveOptions {
        permutations: 4_000_000_000,
        ..Default::default()
    };
    assert!(is_invalid(&e_divisive(&x, &o), "permutations"));
    let o = EDivisiveOptions {
        permutations: 100_000,
        ..Default::default()
    };
    let step: Vec<f64> = (0..200).map(|i| if i < 100 { 0.0 } else { 5.0 }).collect();
    let r = e_divisive_with(&step, &o, &stop);
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
    // A hook that lets it run changes nothing.
    let go = |_: u64, _: u64| ControlFlow::Continue(());
    let o = EDivisiveOptions::default();
    let a = e_divisive_with(&step, &o, &go).expect("runs");
    let b = e_divisive(&step, &o).expect("runs");
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let o = PermutationOptions::default();
    let r = permutation_test_with(&x, &y, |a, b| a[0] - b[0], &o, &go);
    assert!(r.is_ok());
    let r = bootstrap_ci_with(&x, &y, &named, &BootstrapOptions::default(), &Silent);
    assert!(r.is_ok());
}

/// Item 5: a huge `min_size` is an error (or no change), never an overflow, in every search.
#[test]
fn item05_huge_min_size_does_not_overflow() {
    let x = ramp(100);
    for min_size in [usize::MAX, usize::MAX / 2 + 1, 1 << 62] {
        let o = DetectOptions {
            min_size,
            ..Default::default()
        };
        // Too short for two segments: no change point (or an error), never a wrapped `2 m`.
        if let Ok(r) = detect(&x, &o) {
            assert!(r.change_points.is_empty(), "{min_size}: {r:?}");
        }
        let o = EDivisiveOptions {
            min_size,
            ..Default::default()
        };
        if let Ok(r) = e_divisive(&x, &o) {
            assert!(r.change_points.is_empty());
        }
        let cost = CostKind::L2.build(&x).expect("cost");
        for method in [Method::Pelt, Method::Dp, Method::Binseg, Method::Fpop] {
            for stop in [Stop::Penalty(10.0), Stop::NumChanges(2)] {
                // Ok (no change fits) or an error; a panic fails the test.
                let _ = search(&*cost, method, stop, min_size);
            }
        }
    }
}

use shiftwatch::stats::compare::{compare, CompareOptions, Pairing};
use shiftwatch::stats::rng::Rng;

/// Item 6: values near 1e308 are compared (exact power-of-2 rescaling), never "p = 1".
#[test]
fn item06_huge_values_do_not_overflow_into_p_one() {
    let b: Vec<f64> = (0..40).map(|i| 1e308 + (i % 7) as f64 * 1e305).collect();
    let c: Vec<f64> = (0..40).map(|i| 1.1e308 + (i % 5) as f64 * 1e305).collect();
    let r = compare(&b, &c, &CompareOptions::default()).expect("compares");
    assert!(r.p_value < 1e-6, "{r:?}");
    assert!(r.baseline.sd.is_finite() && r.se.is_finite());
    // Same answer as on data scaled down by hand (relative quantities are scale-free).
    let small = |v: &[f64]| v.iter().map(|x| x * 1e-300).collect::<Vec<_>>();
    let s = compare(&small(&b), &small(&c), &CompareOptions::default()).expect("compares");
    assert!((r.p_value - s.p_value).abs() <= 1e-9 * s.p_value.max(1e-300));
    assert!((r.relative - s.relative).abs() < 1e-12);
    assert!((r.absolute * 1e-300 - s.absolute).abs() <= 1e-9 * s.absolute.abs());
    assert!(r.notes.iter().any(|n| n.contains("rescaling")));
    // A difference beyond f64::MAX is an error, not inf or NaN.
    let hi = vec![1.7e308, 1.6e308, 1.75e308, 1.65e308];
    let lo: Vec<f64> = hi.iter().map(|v| -v).collect();
    let e = compare(&lo, &hi, &CompareOptions::default());
    assert!(is_invalid(&e, "values"), "{e:?}");
}

/// Item 13: with log-ratio pairing the absolute CI and the p-value come from one test: in
/// 400 simulations they never disagree at α = 0.05 (21 did before).
#[test]
fn item13_log_ratio_intervals_agree_with_the_p_value() {
    let o = CompareOptions {
        paired: Some(Pairing::LogRatio),
        ..Default::default()
    };
    let mut rng = Rng::new(13);
    let mut disagree = 0;
    for _ in 0..400 {
        let b: Vec<f64> = (0..60)
            .map(|_| 100.0 * (0.3 * rng.normal()).exp())
            .collect();
        let c: Vec<f64> = b
            .iter()
            .map(|v| v * (0.02 + 0.1 * rng.normal()).exp())
            .collect();
        let r = compare(&b, &c, &o).expect("compares");
        let significant = r.p_value < 0.05;
        let abs_excludes = !r.ci_absolute.contains(0.0);
        let rel_excludes = !r.ci_relative.contains(0.0);
        disagree += usize::from(significant != abs_excludes || significant != rel_excludes);
        assert!(r.ci_absolute.contains(r.absolute));
    }
    assert_eq!(disagree, 0);
}

/// Item 14: a trending sample gets a floored effective n and a note, not n_eff = 0.12.
#[test]
fn item14_trend_floors_effective_n_and_says_so() {
    let r = compare(
        &[1.0, 2.0, 3.0, 4.0, 5.0],
        &[2.0, 3.0, 4.0, 5.0, 6.0],
        &CompareOptions::default(),
    )
    .expect("compares");
    assert!(r.baseline.n_effective >= 1.0 - 1e-12, "{r:?}");
    assert!(r.candidate.n_effective >= 1.0 - 1e-12, "{r:?}");
    assert!(
        r.notes.iter().any(|n| n.contains("non-stationary")),
        "{:?}",
        r.notes
    );
    assert!(r.ci_absolute.hi - r.ci_absolute.lo < 35.8 - 1.0, "{r:?}");
}

/// Item 15: two constant samples that differ get an accurate message.
#[test]
fn item15_constant_but_different_samples_are_described_accurately() {
    let e = compare(&[1.0; 4], &[2.0; 4], &CompareOptions::default()).expect_err("no noise");
    let msg = e.to_string();
    assert!(matches!(e, Error::ConstantSamplesDiffer { .. }), "{msg}");
    assert!(msg.contains("differ by exactly 1"), "{msg}");
    assert!(!msg.contains("all values are identical"), "{msg}");
    let e = compare(&[1.0; 4], &[1.0; 4], &CompareOptions::default()).expect_err("no noise");
    assert!(e.to_string().contains("all values are identical (1)"));
}

/// Item 17: a relative effect over a baseline near 0 is flagged.
#[test]
fn item17_relative_effect_over_a_baseline_near_zero_is_flagged() {
    let mut rng = Rng::new(17);
    let b: Vec<f64> = (0..200).map(|_| rng.normal()).collect();
    let c: Vec<f64> = (0..200).map(|_| rng.normal() + 0.5).collect();
    let r = compare(&b, &c, &CompareOptions::default()).expect("compares");
    assert!(!r.ci_absolute.contains(0.0));
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("relative effect unstable")),
        "{:?}",
        r.notes
    );
    // A baseline far from 0 gets no such note.
    let b2: Vec<f64> = b.iter().map(|v| v + 100.0).collect();
    let c2: Vec<f64> = c.iter().map(|v| v + 100.0).collect();
    let r = compare(&b2, &c2, &CompareOptions::default()).expect("compares");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

use shiftwatch::io::{read_reader, ReadOptions};
use shiftwatch::series::histogram::{quantiles_over_time, BucketSeries};

fn read(text: &str, name: &str) -> shiftwatch::Result<shiftwatch::series::Dataset> {
    read_reader(text.as_bytes(), name, &ReadOptions::default())
}

/// Item 9: non-monotone buckets are fixed up as Prometheus does, and the fix-up is counted.
#[test]
fn item09_non_monotone_buckets_are_fixed_and_counted() {
    let t = [0i64, 60_000, 120_000];
    // Interval 1 increases: le=0.1: 5, le=0.5: 3 (< 5: impossible), +Inf: 10.
    let b01 = [0.0, 5.0, 6.0];
    let b05 = [0.0, 3.0, 8.0];
    let binf = [0.0, 10.0, 20.0];
    let mk = |le, v: &'static [f64]| BucketSeries {
        le,
        timestamps_ms: &t,
        values: v,
    };
    let b01: &'static [f64] = Box::leak(Box::new(b01));
    let b05: &'static [f64] = Box::leak(Box::new(b05));
    let binf: &'static [f64] = Box::leak(Box::new(binf));
    let qs = quantiles_over_time(0.5, &[mk(0.1, b01), mk(0.5, b05), mk(f64::INFINITY, binf)])
        .expect("quantiles");
    assert_eq!(qs.monotonicity_fixed, 1);
    // Fixed up: counts 5, 5, 10 → rank 5 falls in the first bucket: 0.1.
    assert_eq!(qs.values[0], 0.1);
    // A histogram without +Inf names the family.
    let text = "timestamp,metric,value,labels\n\
                1714564800000,lat_bucket,1,le=0.1\n1714564860000,lat_bucket,2,le=0.1\n";
    let data = read(text, "h.csv").expect("reads");
    let mut ds = data.series;
    for s in &mut ds {
        s.kind = shiftwatch::series::Kind::Histogram;
    }
    let o = shiftwatch::series::prepare::PrepareOptions::default();
    let e = shiftwatch::series::prepare::prepare(&ds, &o).expect_err("no +Inf");
    assert!(e.to_string().contains("lat_bucket"), "{e}");
}

/// Item 10: millisecond timestamps in Prometheus JSON are read as milliseconds, with a note.
#[test]
fn item10_prometheus_json_millisecond_timestamps() {
    let text = r#"{"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"__name__":"up"},"values":[[1714564800000,"1"],[1714564815000,"1"]]}]}}"#;
    let d = read(text, "p.json").expect("reads");
    assert_eq!(
        d.series[0].timestamps_ms,
        vec![1_714_564_800_000, 1_714_564_815_000]
    );
    assert!(
        d.report
            .notes
            .iter()
            .any(|n| n.contains("not plausible as seconds")),
        "{:?}",
        d.report.notes
    );
    let secs = r#"{"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"__name__":"up"},"values":[[1714564800.5,"1"]]}]}}"#;
    let d = read(secs, "p.json").expect("reads");
    assert_eq!(d.series[0].timestamps_ms, vec![1_714_564_800_500]);
    assert!(d.report.notes.is_empty(), "{:?}", d.report.notes);
}

/// Item 11: duplicate column names, duplicate JSON keys and conflicting `# TYPE` lines are
/// errors; identical repeated `# TYPE` lines are a counted note.
#[test]
fn item11_duplicates_are_errors_or_counted_notes() {
    let e = read("Time,a,a,b\n1714564800000,1,2,3\n", "g.csv").expect_err("dup");
    assert!(e.to_string().contains("duplicate column name 'a'"), "{e}");
    assert!(e.to_string().starts_with("g.csv:1:"), "{e}");
    let e = read(
        "timestamp,metric,value,value\n1714564800000,m,1,2\n",
        "t.csv",
    )
    .expect_err("dup");
    assert!(e.to_string().contains("duplicate column name"), "{e}");
    let dup_label = r#"{"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"__name__":"up","job":"a","job":"b"},"values":[[1714564800,"1"]]}]}}"#;
    let e = read(dup_label, "p.json").expect_err("dup label");
    assert!(e.to_string().contains("duplicate label \"job\""), "{e}");
    assert!(e.to_string().contains("$.data.result[0].metric"), "{e}");
    let dup_values = r#"{"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"__name__":"up"},"values":[[1714564800,"1"]],"values":[[1714564860,"2"]]}]}}"#;
    let e = read(dup_values, "p.json").expect_err("dup values");
    assert!(e.to_string().contains("duplicate key \"values\""), "{e}");
    let conflicting = "# TYPE x counter\nx 1 1714564800000\n# TYPE x gauge\nx 2 1714564815000\n";
    let e = read(conflicting, "m.txt").expect_err("conflict");
    assert!(e.to_string().contains("conflicting '# TYPE' for x"), "{e}");
    let repeated = "# TYPE x gauge\nx 1 1714564800000\n# TYPE x gauge\nx 2 1714564815000\n";
    let d = read(repeated, "m.txt").expect("reads");
    assert!(
        d.report
            .notes
            .iter()
            .any(|n| n.contains("1 repeated identical '# TYPE'")),
        "{:?}",
        d.report.notes
    );
}

/// Item 18 (part): `values: null` is located at its own JSON path; OS errors are printed once;
/// error lines are bounded.
#[test]
fn item18_messages_name_the_place_once_and_stay_short() {
    let null_values = r#"{"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"__name__":"up"},"values":null}]}}"#;
    let e = read(null_values, "p.json").expect_err("null");
    assert!(e.to_string().contains("$.data.result[0].values"), "{e}");
    // Reading a directory: the OS error once.
    let out = bin()
        .args(["inspect", "."])
        .current_dir(fixtures())
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(err.matches("os error").count(), 1, "{err}");
    // A 10 MB line is not echoed whole.
    let dir = std::env::temp_dir().join(format!("shiftwatch-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let f = dir.join("long.csv");
    let long = format!("Time,a\n1714564800000,{}\n", "9".repeat(10_000_000) + "x");
    std::fs::write(&f, long).expect("write");
    let out = bin().args(["inspect"]).arg(&f).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stderr.len() < 1000, "{} bytes", out.stderr.len());
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

/// Item 18 (more): NUL, control characters and `1_000` are not called "a formatted data
/// export"; `acf` on huge values does not claim "all values are identical".
#[test]
fn item18_value_and_overflow_messages_are_accurate() {
    for (cell, want) in [
        ("1\u{0}", "control characters"),
        ("1\u{10}", "control characters"),
        ("1_000", "expected a number"),
    ] {
        let text = format!("Time,a\n1714564800000,{cell}\n");
        let e = read(&text, "v.csv").expect_err(cell);
        let msg = e.to_string();
        assert!(!msg.contains("Formatted data"), "{cell:?}: {msg}");
        assert!(msg.contains(want), "{cell:?}: {msg}");
    }
    let e = read("Time,a\n1714564800000,1.25 GiB\n", "v.csv").expect_err("unit");
    assert!(e.to_string().contains("Formatted data"), "{e}");
    let mut rng = Rng::new(18);
    let mut x: Vec<f64> = (0..100).map(|_| rng.normal()).collect();
    x.push(1e300);
    let e = shiftwatch::stats::dependence::acf(&x, 3).expect_err("overflow");
    assert!(!e.to_string().contains("identical"), "{e}");
    assert!(e.to_string().contains("overflow"), "{e}");
}

/// Item 20: a very wide CSV (10⁵ series columns) is read in linear time through the readers
/// that every command is moving onto (the old private `detect` splitter took 7.8 s; a
/// quadratic reader would take minutes here, a linear one well under a second).
#[test]
fn item20_very_wide_csv_reads_every_column() {
    let cols = 100_000;
    let mut text = String::from("Time");
    for i in 0..cols {
        text.push_str(&format!(",s{i}"));
    }
    text.push_str("\n1714564800000");
    for i in 0..cols {
        text.push_str(&format!(",{}", i % 10));
    }
    text.push('\n');
    let d = read(&text, "wide.csv").expect("reads");
    assert_eq!(d.series.len(), cols);
    assert_eq!(d.series[cols - 1].values, vec![((cols - 1) % 10) as f64]);
}

/// Item 18 (more): a lone UTF-16 surrogate is located at its line and column, not `file:0:`.
#[test]
fn item18_lone_utf16_surrogate_is_located() {
    let mut bytes = vec![0xFF, 0xFE];
    let text: Vec<u16> = "Time\ta\n1714564800000\t1\n".encode_utf16().collect();
    for u in &text[..text.len() - 3] {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.extend_from_slice(&0xD800u16.to_le_bytes());
    let e = read_reader(&bytes[..], "x.csv", &ReadOptions::default()).expect_err("surrogate");
    let msg = e.to_string();
    assert!(msg.starts_with("x.csv:2:"), "{msg}");
    assert!(msg.contains("unpaired surrogate 0xD800"), "{msg}");
}

/// Item 4 (CLI): `--permutations 4000000000` is refused with exit 2, not run for hours.
#[test]
fn item04_cli_refuses_absurd_permutations() {
    let csv = std::env::temp_dir().join(format!("shiftwatch-perm-{}.csv", std::process::id()));
    let mut text = String::from("v\n");
    for i in 0..50 {
        text.push_str(&format!("{}\n", i % 7));
    }
    std::fs::write(&csv, text).expect("write");
    let out = bin()
        .arg("detect")
        .arg(&csv)
        .args([
            "--column",
            "v",
            "--method",
            "edivisive",
            "--permutations",
            "4000000000",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("permutations"), "{err}");
}
