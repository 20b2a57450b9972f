//! `shiftwatch detect` run as the real binary on small CSV fixtures written to a temp dir:
//! stdout, stderr and exit code.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

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
    assert!(err.contains("cannot read value 'oops'"), "{err}");

    let (_, err, code) = run(&["detect", "/nonexistent/x.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/x.csv"), "{err}");

    let f = fixture("ok.csv", &step_csv());
    let (_, err, code) = run(&["detect", f.to_str().unwrap(), "--cost", "rbf"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown cost 'rbf'"), "{err}");
    let (_, err, code) = run(&["detect", f.to_str().unwrap(), "--column", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no series 'nope'"), "{err}");
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
    assert!(err.contains("no series 'zz'; found: a, b, c"), "{err}");
    let (_, err, code) = run(&["detect", path, "-c", "a,b", "--cost", "normal"]);
    assert_eq!(code, 2);
    assert!(err.contains("l2 cost only"), "{err}");
}

fn grafana(name: &str) -> String {
    common::dataset(&format!("fixtures/grafana/{name}"))
        .display()
        .to_string()
}

/// The JSON report without `file` (and `column` when `drop_column`).
fn json_report(args: &[&str], drop_column: bool) -> serde_json::Value {
    let (out, err, code) = run(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let obj = v.as_object_mut().unwrap();
    obj.remove("file");
    if drop_column {
        obj.remove("column");
    }
    v
}

#[test]
fn every_committed_grafana_fixture_is_read() {
    // The same 10 points as UTF-16 TAB-separated (Excel) and as `sep=;` CSV: one report.
    let utf16 = grafana("excel_utf16.csv");
    let semi = grafana("sep_semicolon.csv");
    let a = json_report(
        &["detect", &utf16, "-c", "kubo27-1", "--format", "json"],
        false,
    );
    let b = json_report(
        &["detect", &semi, "-c", "kubo27-1", "--format", "json"],
        false,
    );
    assert_eq!(a, b);
    assert_eq!(a["n"], 10);
    assert_eq!(a["column"], "kubo27-1");
    // The per-series export and the same target of the wide export: one report.
    let per = grafana("per_series_kubo27-1.csv");
    let wide = grafana("wide_goroutines.csv");
    let a = json_report(&["detect", &per, "--format", "json"], true);
    let b = json_report(
        &["detect", &wide, "-c", "kubo27-1", "--format", "json"],
        true,
    );
    assert_eq!(a, b);
    assert_eq!(a["n"], 40);
    // Several series and no choice: exit 2 listing them.
    let (_, err, code) = run(&["detect", &utf16]);
    assert_eq!(code, 2);
    assert!(
        err.contains("holds 2 series") && err.contains("kubo27-1, kubo28-1"),
        "{err}"
    );
}

#[test]
fn an_empty_grafana_cell_is_a_gap_that_is_skipped_and_counted() {
    let wide = grafana("wide_goroutines.csv");
    let (out, err, code) = run(&["detect", &wide, "-c", "kubo28-1", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 missing point"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // `n` counts the skipped point, as `detect` on an array with a NaN does.
    assert_eq!(
        (v["n"].clone(), v["missing"].clone()),
        (40.into(), 1.into())
    );
    assert!(
        v["notes"][0].as_str().unwrap().contains("1 missing point"),
        "{out}"
    );
}

/// The values of one series of `table_long.csv`, parsed here independently of `shiftwatch::io`.
fn table_long_values(target: &str, le: &str) -> (Vec<f64>, Vec<i64>) {
    let text = std::fs::read_to_string(grafana("table_long.csv")).unwrap();
    let mut v = Vec::new();
    let mut t = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        if f.len() == 5 && f[2] == target && f[3] == le {
            t.push(f[0].parse().unwrap());
            v.push(f[4].parse().unwrap());
        }
    }
    (v, t)
}

#[test]
fn table_long_series_are_chosen_by_key_and_le_is_a_label() {
    let file = grafana("table_long.csv");
    let key = r#"request_duration_seconds_bucket{target="kubo28-1", le="0.5"}"#;
    // A small numeric penalty without validation: the rising cumulative bucket is cut into
    // segments whose levels and times are checked below (the default keeps none: a smooth rise
    // is not a level change).
    let v = json_report(
        &[
            "detect",
            &file,
            "-c",
            key,
            "--format",
            "json",
            "--penalty",
            "1",
            "--alpha",
            "1",
        ],
        false,
    );
    let (values, times) = table_long_values("kubo28-1", "0.5");
    assert_eq!(v["n"], values.len() as u64);
    assert_eq!(v["column"], key);
    let cps = v["change_points"].as_array().unwrap();
    assert!(!cps.is_empty(), "a cumulative bucket rises: {v}");
    // Levels and times against the independently parsed values.
    let i = cps[0]["index"].as_u64().unwrap() as usize;
    let mean = values[..i].iter().sum::<f64>() / i as f64;
    assert!((cps[0]["before"].as_f64().unwrap() - mean).abs() <= 1e-9 * mean.abs());
    let ms = times[i];
    let secs = ms / 1000;
    let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
    assert_eq!(cps[0]["time"], format!("2024-05-01T{h:02}:{m:02}:{s:02}Z"));
    // `le` names no series and the `+Inf` bucket is a value, not a parse error.
    let (_, err, code) = run(&["detect", &file, "-c", "le"]);
    assert_eq!(code, 2);
    assert!(err.contains("no series 'le'"), "{err}");
    let inf = r#"request_duration_seconds_bucket{target="kubo27-1", le="+Inf"}"#;
    let (_, err, code) = run(&["detect", &file, "-c", inf]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_column_without_times_from_stdin_shows_indices() {
    let mut text = String::from("value\n");
    for i in 0..40 {
        let e = [0.05, -0.1, 0.08, -0.02][i % 4];
        text.push_str(&format!("{}\n", if i < 20 { 1.0 } else { 5.0 } + e));
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
        .args(["detect", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", out.stderr);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["file"], "<stdin>");
    assert_eq!(v["n"], 40);
    let cps = v["change_points"].as_array().unwrap();
    assert_eq!(cps.len(), 1);
    assert_eq!(cps[0]["index"], 20);
    assert!(cps[0].get("time").is_none(), "{v}");
    // A NaN in a time-less CSV is skipped and counted, and indices stay rows of the file (a
    // blank line is only a blank line, not a row); the table has no time column.
    let f = fixture(
        "gap.csv",
        &text
            .replacen("\n1.05\n", "\n\n", 1)
            .replacen("\n0.9\n", "\nNaN\n", 1),
    );
    let (out, err, code) = run(&["detect", f.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 non-finite value"), "{err}");
    assert!(out.contains("39 values"), "{out}");
    assert!(!out.contains("time"), "{out}");
    let (out, _, _) = run(&["detect", f.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["n"].clone(), v["missing"].clone()),
        (39.into(), 1.into())
    );
    // The change is at row 20 of the original 40; the blank line took row 0 away.
    assert_eq!(v["change_points"][0]["index"], 19);
}

#[test]
fn an_index_value_csv_without_times_is_read_as_columns() {
    // `index,value` has no time column: both are series (never a Grafana table with an
    // `index` label), and `value` is chosen by name.
    let file = common::dataset("tigerbeetle/tigerbeetle_series.csv")
        .display()
        .to_string();
    let v = json_report(&["detect", &file, "-c", "value", "--format", "json"], false);
    let rows = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(v["n"], rows as u64);
    assert_eq!(v["column"], "value");
}

#[test]
fn a_very_wide_csv_is_read_in_linear_time() {
    // 100 000 columns: the old per-line splitter was quadratic in the line length.
    let cols = 100_000;
    let mut text = String::from("time");
    for j in 0..cols {
        text.push_str(&format!(",c{j}"));
    }
    text.push('\n');
    for i in 0..12 {
        text.push_str(&format!("2026-01-01T00:{i:02}:00Z"));
        for j in 0..cols {
            text.push_str(if (i + j) % 2 == 0 { ",1" } else { ",2" });
        }
        text.push('\n');
    }
    let f = fixture("wide.csv", &text);
    let last = format!("c{}", cols - 1);
    let (out, err, code) = run(&[
        "detect",
        f.to_str().unwrap(),
        "-c",
        &last,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["n"], 12);
    assert_eq!(v["column"], last.as_str());
}
