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

/// 80 rows, three columns on different scales: `a` steps at 50, `b` at 25, `c` never.
fn multi_csv() -> String {
    let mut s = String::from("time,a,b,c\n");
    for i in 0..80 {
        let e = [0.05, -0.1, 0.08, -0.02, 0.1, -0.07, 0.03][i % 7];
        let a = if i < 50 { 10.0 } else { 20.0 } + e;
        let b = if i < 25 { 0.001 } else { 0.003 } + e / 1000.0;
        let c = 500.0 + 10.0 * [0.3, -0.1, 0.2, -0.4, 0.0][i % 5];
        s.push_str(&format!(
            "2026-01-01T00:{:02}:{:02}Z,{a},{b},{c}\n",
            i / 60,
            i % 60
        ));
    }
    s
}

#[test]
fn several_columns_table_and_json() {
    let f = fixture("multi.csv", &multi_csv());
    let path = f.to_str().unwrap();
    // Repeated and comma-separated spellings give the same result.
    let (table, err, code) = run(&["detect", path, "--column", "a", "--column", "b,c"]);
    assert_eq!(code, 0, "{err}");
    let (again, _, _) = run(&["detect", path, "-c", "a,b,c"]);
    assert_eq!(table, again);
    assert!(
        table.contains("columns 'a', 'b', 'c', 80 rows, 2 change points"),
        "{table}"
    );
    assert!(table
        .lines()
        .all(|l| l.chars().count() <= 80 || l.contains(": columns")));
    let (out, err, code) = run(&["detect", path, "-c", "a,b,c", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["d"], 3);
    assert_eq!(v["columns"], serde_json::json!(["a", "b", "c"]));
    let cps = v["change_points"].as_array().unwrap();
    let idx: Vec<u64> = cps.iter().map(|c| c["index"].as_u64().unwrap()).collect();
    assert_eq!(idx, vec![25, 50], "{out}");
    let dims = cps[1]["dims"].as_array().unwrap();
    assert_eq!(dims.len(), 3);
    assert_eq!(dims[0]["column"], "a");
    assert!((dims[0]["before"].as_f64().unwrap() - 10.0).abs() < 0.1);
    assert!((dims[0]["after"].as_f64().unwrap() - 20.0).abs() < 0.1);
    assert_eq!(cps[0]["time"], "2026-01-01T00:00:25Z");
    assert!(cps[0]["p_adjusted"].as_f64().unwrap() < 1e-6);
    // A missing column is an input error; a non-l2 cost is refused for several columns.
    let (_, err, code) = run(&["detect", path, "-c", "a,zz"]);
    assert_eq!(code, 2);
    assert!(err.contains("no column 'zz'"), "{err}");
    let (_, err, code) = run(&["detect", path, "-c", "a,b", "--cost", "normal"]);
    assert_eq!(code, 2);
    assert!(err.contains("l2 cost only"), "{err}");
}
