//! `shiftwatch compare` through the real binary: table and JSON on the bundled example, and
//! input errors (exit code 2 with file:line:column).
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

fn example() -> String {
    common::dataset("examples/gateway_ttfb.csv")
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
        .args(args)
        .output()
        .unwrap()
}

fn temp_csv(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "shiftwatch-cli-compare-{}-{name}.csv",
        std::process::id()
    ));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn table_on_the_example_fits_80_columns() {
    // Run next to the file: the title names the path given, so an absolute path would make the
    // width depend on where the repository is checked out.
    let out = Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
        .current_dir(common::dataset("examples"))
        .args([
            "compare",
            "gateway_ttfb.csv",
            "--baseline",
            "baseline",
            "--candidate",
            "candidate",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    for line in stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
    assert!(stdout.contains("ewc-welch-t"), "{stdout}");
    assert!(stdout.contains("missing cells"), "{stdout}");
    assert!(stdout.contains("95% CI"), "{stdout}");
    assert!(out.stderr.is_empty());
}

#[test]
fn json_is_the_comparison_plus_input() {
    let file = example();
    let out = run(&[
        "compare",
        &file,
        "--baseline",
        "baseline",
        "--candidate",
        "candidate",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["method"], "ewc-welch-t");
    assert_eq!(v["baseline"]["n"], 480);
    assert_eq!(v["candidate"]["n"], 478);
    assert_eq!(v["input"]["missing_candidate"], 2);
    assert_eq!(v["input"]["missing_baseline"], 0);
    let p = v["p_value"].as_f64().unwrap();
    assert!(p > 0.0 && p < 0.05, "the example is ~6 % slower: p = {p}");
    let rel = v["relative"].as_f64().unwrap();
    let ci = &v["ci_relative"];
    assert!(ci["lo"].as_f64().unwrap() < rel && rel < ci["hi"].as_f64().unwrap());

    let out = run(&[
        "compare",
        &file,
        "--baseline",
        "baseline",
        "--candidate",
        "candidate",
        "--paired",
        "log-ratio",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["paired"], "log-ratio");
    assert_eq!(v["input"]["rows_dropped"], 2);
    assert_eq!(v["baseline"]["n"], 478);
}

#[test]
fn bad_cell_is_located_and_exits_2() {
    let path = temp_csv("bad", "t,b,c\n1,1.0,2.0\n2,1.5,oops\n3,1.2,2.2\n");
    let file = path.display().to_string();
    let out = run(&["compare", &file, "--baseline", "b", "--candidate", "c"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(&format!("{file}:3:7")), "{stderr}");
    assert!(stderr.contains("cannot read value 'oops'"), "{stderr}");
    assert!(out.stdout.is_empty());
    std::fs::remove_file(path).unwrap();
}

#[test]
fn unknown_column_and_missing_file_exit_2() {
    let file = example();
    let out = run(&[
        "compare",
        &file,
        "--baseline",
        "nope",
        "--candidate",
        "candidate",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no series 'nope'"), "{stderr}");
    assert!(stderr.contains("found: baseline, candidate"), "{stderr}");

    let out = run(&[
        "compare",
        "/nonexistent/x.csv",
        "--baseline",
        "a",
        "--candidate",
        "b",
    ]);
    assert_eq!(out.status.code(), Some(2));

    let path = temp_csv("short", "b,c\n1,2\n,3\n");
    let file = path.display().to_string();
    let out = run(&["compare", &file, "--baseline", "b", "--candidate", "c"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("need at least 3 values"), "{stderr}");
    std::fs::remove_file(path).unwrap();
}

fn code_and_json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = run(args);
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), v)
}

#[test]
fn direction_sets_the_exit_code() {
    // The example's candidate is ~6 % slower (significant at 0.05).
    let file = example();
    let base = [
        "compare",
        &file,
        "--baseline",
        "baseline",
        "--candidate",
        "candidate",
        "--format",
        "json",
    ];
    let with = |d: Option<&str>| {
        let mut a: Vec<&str> = base.to_vec();
        if let Some(d) = d {
            a.extend(["--direction", d]);
        }
        code_and_json(&a)
    };
    let (code, v) = with(None);
    assert_eq!(code, 0);
    assert_eq!(v["significant"], true);
    assert_eq!(v["regression"], false);
    assert!(v["direction"].is_null());
    for (d, expect) in [
        ("higher_is_worse", 1),
        ("higher-is-worse", 1),
        ("either", 1),
        ("lower_is_worse", 0),
    ] {
        let (code, v) = with(Some(d));
        assert_eq!(code, expect, "{d}: {v}");
        assert_eq!(v["regression"], expect == 1, "{d}");
    }
    // Not significant at a tiny alpha: no regression whatever the direction.
    let mut a = base.to_vec();
    a.extend(["--direction", "higher_is_worse", "--alpha", "1e-9"]);
    let (code, v) = code_and_json(&a);
    assert_eq!((code, &v["significant"]), (0, &serde_json::json!(false)));
    // The table says so too; a bad direction is a usage error.
    let out = run(&[
        "compare",
        &file,
        "--baseline",
        "baseline",
        "--candidate",
        "candidate",
        "--direction",
        "higher_is_worse",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("direction higher_is_worse: regression"),
        "{stdout}"
    );
    let out = run(&[
        "compare",
        &file,
        "--baseline",
        "baseline",
        "--candidate",
        "candidate",
        "--direction",
        "sideways",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rows_without_times_pair_by_row_and_grafana_targets_by_time() {
    // No time column: rows are numbered, paired by row; a missing cell drops its row.
    let path = temp_csv(
        "rows",
        "b,c\n1.0,1.1\n2.0,\n3.0,3.3\n4.0,4.2\nNaN,5.1\n6.0,6.3\n",
    );
    let file = path.display().to_string();
    let (code, v) = code_and_json(&[
        "compare",
        &file,
        "--baseline",
        "b",
        "--candidate",
        "c",
        "--paired",
        "difference",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["input"]["rows"], 6);
    assert_eq!(v["input"]["missing_baseline"], 1);
    assert_eq!(v["input"]["missing_candidate"], 1);
    assert_eq!(v["input"]["rows_dropped"], 2);
    // The counts behind them: an empty cell is missing on read, NaN is skipped after.
    assert_eq!(v["input"]["candidate_data"]["read"]["missing"], 1);
    assert_eq!(v["input"]["baseline_data"]["read"]["nan"], 1);
    assert_eq!(v["input"]["baseline_data"]["skipped"], 1);
    assert_eq!(v["baseline"]["n"], 4);
    // Mean of the differences (0.1, 0.3, 0.2, 0.3) computed by hand.
    assert!(
        (v["absolute"].as_f64().unwrap() - 0.225).abs() < 1e-12,
        "{v}"
    );
    std::fs::remove_file(path).unwrap();
    // Two targets of a Grafana export (`sep=;`), paired by timestamp.
    let semi = common::dataset("fixtures/grafana/sep_semicolon.csv")
        .display()
        .to_string();
    let (code, v) = code_and_json(&[
        "compare",
        &semi,
        "--baseline",
        "kubo27-1",
        "--candidate",
        "kubo28-1",
        "--paired",
        "difference",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["baseline"]["n"], 10);
    assert_eq!(v["input"]["baseline_column"], "kubo27-1");
    assert_eq!(v["input"]["rows_dropped"], 0);
}
