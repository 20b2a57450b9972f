//! `shiftwatch detect` run as the real binary on small CSV fixtures written to a temp dir:
//! stdout, stderr and exit code.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shiftwatch-cli-detect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// 60 values: 10 ± 0.1 then 20 ± 0.1 from index 30, with a time column.
fn step_csv() -> String {
    let mut s = String::from("time,latency_ms\n");
    for i in 0..60 {
        let noise = [0.05, -0.1, 0.08, -0.02, 0.1, -0.07][i % 6];
        let v = if i < 30 { 10.0 } else { 20.0 } + noise;
        s.push_str(&format!("2026-01-01T00:{i:02}:00Z,{v}\n"));
    }
    s
}

#[test]
fn table_output() {
    let f = fixture("step.csv", &step_csv());
    let (out, err, code) = run(&["detect", f.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(
        out.contains("column 'latency_ms', 60 values, 1 change point"),
        "{out}"
    );
    assert!(out.contains("      30  2026-01-01T00:30:00Z"), "{out}");
    assert!(out.contains("step"), "{out}");
    assert!(
        out.lines()
            .all(|l| l.chars().count() <= 80 || l.contains(": column")),
        "{out}"
    );
}

#[test]
fn json_output_is_only_json() {
    let f = fixture("step2.csv", &step_csv());
    let (out, err, code) = run(&[
        "detect",
        f.to_str().unwrap(),
        "--format",
        "json",
        "--column",
        "latency_ms",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cps = v["change_points"].as_array().unwrap();
    assert_eq!(cps.len(), 1);
    assert_eq!(cps[0]["index"], 30);
    assert_eq!(cps[0]["time"], "2026-01-01T00:30:00Z");
    assert_eq!(cps[0]["kind"], "step");
    assert!((cps[0]["before"].as_f64().unwrap() - 10.0).abs() < 0.1);
    assert!((cps[0]["after"].as_f64().unwrap() - 20.0).abs() < 0.1);
    assert!(cps[0]["p_value"].as_f64().unwrap() < 1e-6);
    assert_eq!(v["n"], 60);
}

#[test]
fn options_are_accepted() {
    let f = fixture("step3.csv", &step_csv());
    for extra in [
        vec!["--method", "binseg"],
        vec!["--method", "dp", "--penalty", "bic"],
        vec!["--cost", "l1", "--penalty", "aic", "--min-size", "3"],
        vec!["--cost", "normal", "--penalty", "5.5"],
    ] {
        let mut args = vec!["detect", f.to_str().unwrap(), "--format", "json"];
        args.extend(extra.iter().copied());
        let (out, err, code) = run(&args);
        assert_eq!(code, 0, "{extra:?}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(
            !v["change_points"].as_array().unwrap().is_empty(),
            "{extra:?}: {out}"
        );
    }
}

#[test]
fn input_errors_exit_2_with_location() {
    let f = fixture("bad.csv", "time,value\n1,3.5\n2,oops\n");
    let (out, err, code) = run(&["detect", f.to_str().unwrap(), "--column", "value"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("bad.csv:3:3:"), "{err}");
    assert!(err.contains("expected a number, found 'oops'"), "{err}");

    let (_, err, code) = run(&["detect", "/nonexistent/x.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/x.csv"), "{err}");

    let f = fixture("ok.csv", &step_csv());
    let (_, err, code) = run(&["detect", f.to_str().unwrap(), "--cost", "rbf"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown cost 'rbf'"), "{err}");
    let (_, err, code) = run(&["detect", f.to_str().unwrap(), "--column", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no column 'nope'"), "{err}");
    let short = fixture("short.csv", "value\n1\n");
    let (_, err, code) = run(&["detect", short.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("need at least 3 values"), "{err}");
}

/// A Prometheus `query_range` export: 60 points of one series stepping from 10 to 20 at index 30,
/// plus a second series, so the series must be chosen by metric name.
fn step_prometheus() -> String {
    let point = |i: usize| {
        let noise = [0.05, -0.1, 0.08, -0.02, 0.1, -0.07][i % 6];
        let v = if i < 30 { 10.0 } else { 20.0 } + noise;
        format!("[{}, \"{v}\"]", 1_767_225_600 + 60 * i)
    };
    let values: Vec<String> = (0..60).map(point).collect();
    let flat: Vec<String> = (0..60)
        .map(|i| format!("[{}, \"1\"]", 1_767_225_600 + 60 * i))
        .collect();
    format!(
        r#"{{"status":"success","data":{{"resultType":"matrix","result":[
        {{"metric":{{"__name__":"ttfb_ms","instance":"gw-1"}},"values":[{}]}},
        {{"metric":{{"__name__":"peers","instance":"gw-1"}},"values":[{}]}}]}}}}"#,
        values.join(","),
        flat.join(",")
    )
}

#[test]
fn prometheus_series_by_metric_name_with_times() {
    let path = fixture("step.json", &step_prometheus());
    let p = path.to_str().unwrap();
    let (out, err, code) = run(&["detect", p, "--column", "ttfb_ms", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cps = doc["change_points"].as_array().unwrap();
    assert_eq!(cps.len(), 1, "{out}");
    assert_eq!(cps[0]["index"], 30);
    assert_eq!(cps[0]["time"], "2026-01-01T00:30:00Z");
    assert!(
        doc["column"].as_str().unwrap().starts_with("ttfb_ms"),
        "{out}"
    );
    // Two series and no choice: exit 2 naming both.
    let (_, err, code) = run(&["detect", p]);
    assert_eq!(code, 2);
    assert!(err.contains("ttfb_ms") && err.contains("peers"), "{err}");
}
