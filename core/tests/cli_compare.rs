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
    let file = example();
    let out = run(&[
        "compare",
        &file,
        "--baseline",
        "baseline",
        "--candidate",
        "candidate",
    ]);
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
    assert!(stderr.contains("'oops' is not a number"), "{stderr}");
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
    assert!(stderr.contains("no column named 'nope'"), "{stderr}");
    assert!(
        stderr.contains("timestamp, baseline, candidate"),
        "{stderr}"
    );

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
