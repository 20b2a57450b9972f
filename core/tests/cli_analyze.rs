//! `shiftwatch analyze` through the real binary on the bundled example experiment: its
//! documented findings, snapshots of every output format, exit codes, and input errors.
//!
//! Snapshots live in `core/tests/snapshots/`; after an intended change of the output, rerun with
//! `SHIFTWATCH_UPDATE_SNAPSHOTS=1 cargo test -p shiftwatch --test cli_analyze` and review the diff.
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

const FILES: [&str; 5] = [
    "datasets/examples/experiment/counters.json",
    "datasets/examples/experiment/goroutines.csv",
    "datasets/examples/experiment/memory.csv",
    "datasets/examples/experiment/peers.csv",
    "datasets/examples/experiment/ttfb.csv",
];

/// Runs the binary from the repository root (so paths in the output are relative).
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap()
}

fn example(extra: &[&str]) -> Output {
    let mut args = vec!["analyze"];
    args.extend(FILES);
    args.extend([
        "--baseline",
        "kubo-base-*",
        "--candidate",
        "kubo-cand-*",
        "--preset",
        "kubo",
    ]);
    args.extend(extra);
    run(&args)
}

fn snapshot(name: &str, actual: &str) {
    let path = root().join("core/tests/snapshots").join(name);
    if std::env::var_os("SHIFTWATCH_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (set SHIFTWATCH_UPDATE_SNAPSHOTS=1 to write it)",
            path.display()
        )
    });
    assert_eq!(actual, expected, "snapshot {name} differs");
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn row<'a>(
    report: &'a serde_json::Value,
    metric: &str,
    label: Option<(&str, &str)>,
) -> &'a serde_json::Value {
    report["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == metric && label.map_or(true, |(k, v)| m["labels"][k] == v))
        .unwrap_or_else(|| panic!("no row for {metric}"))
}

#[test]
fn the_example_yields_its_documented_findings() {
    let out = example(&["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(r["schema"], "shiftwatch.report/v1");
    assert_eq!(r["mode"], "paired");
    assert_eq!(r["summary"]["verdict"], "regression");
    // datasets/README.md truth table.
    let p99 = row(
        &r,
        "thunderdome_dealgood_ttfb_seconds",
        Some(("quantile", "0.99")),
    );
    assert_eq!(p99["verdict"], "regression");
    assert_eq!(p99["effect"]["statistic"], "mean");
    // Beyond the 3 % latency margin (the injected factor is 1.09; one realisation's interval
    // need not cover it: the simulation suite measures coverage).
    let ci = &p99["effect"]["ci_relative"];
    assert!(
        ci[0].as_f64().unwrap() > 0.03 && ci[1].as_f64().unwrap() < 0.15,
        "{ci}"
    );
    let p50 = row(
        &r,
        "thunderdome_dealgood_ttfb_seconds",
        Some(("quantile", "0.5")),
    );
    assert_ne!(p50["verdict"], "regression");
    let gor = row(&r, "go_goroutines", None);
    assert_eq!(gor["verdict"], "regression");
    assert_eq!(gor["effect"]["statistic"], "trend_per_h");
    let five = row(
        &r,
        "thunderdome_dealgood_responses_total",
        Some(("code", "503")),
    );
    assert_eq!(five["verdict"], "regression");
    assert_eq!(five["class"], "errors");
    for m in [
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "ipfs_p2p_peers_total",
    ] {
        assert_eq!(row(&r, m, None)["verdict"], "no_change", "{m}");
    }
    let fired: Vec<&serde_json::Value> = r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| !x["fired_at"].is_null())
        .collect();
    assert_eq!(
        fired.len(),
        4,
        "memory utilisation fires on all four targets"
    );
    assert!(fired
        .iter()
        .all(|x| x["rule"] == "memory_utilisation" && x["attribution"] == "environment"));
    assert_eq!(r["summary"]["rules_environment"], 1);
    assert_eq!(r["summary"]["rules_candidate"], 0);
    // Every row has a one-line reason and its data counts.
    for m in r["metrics"].as_array().unwrap() {
        assert!(!m["reason"].as_str().unwrap().contains('\n'));
        assert!(m["data"]["points"].as_u64().unwrap() > 300);
    }
}

#[test]
fn snapshots_of_every_format() {
    for (format, file) in [
        ("json", "analyze_example.json"),
        ("table", "analyze_example.txt"),
        ("markdown", "analyze_example.md"),
        ("junit", "analyze_example.xml"),
    ] {
        let out = example(&["--format", format]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        snapshot(file, &String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn table_fits_80_columns_without_colour_off_a_tty() {
    let out = example(&[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    for line in text.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} chars: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn fail_on_sets_the_exit_code() {
    for (fail_on, code) in [("regression", 1), ("rule", 0), ("any", 1), ("never", 0)] {
        let out = example(&["--fail-on", fail_on, "--format", "json"]);
        assert_eq!(out.status.code(), Some(code), "--fail-on {fail_on}");
    }
}

#[test]
fn output_file_and_deterministic_json() {
    let path = std::env::temp_dir().join(format!("shiftwatch-analyze-{}.json", std::process::id()));
    let p = path.display().to_string();
    let out = example(&["--format", "json", "--output", &p]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let first = std::fs::read_to_string(&path).unwrap();
    let again = example(&["--format", "json"]);
    assert_eq!(
        first.as_bytes(),
        again.stdout.as_slice(),
        "same input and seed, same bytes"
    );
    std::fs::remove_file(&path).ok();
}

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let out = run(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str, text: &str) -> String {
    let path =
        std::env::temp_dir().join(format!("shiftwatch-analyze-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn usage_and_input_errors_exit_2_with_a_clear_message() {
    let f = FILES[1];
    let (code, err) = stderr_of(&[
        "analyze",
        f,
        "--baseline",
        "nope-*",
        "--candidate",
        "kubo-cand-*",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--baseline 'nope-*' matches no target") && err.contains("kubo-base-1"),
        "{err}"
    );
    let (code, err) = stderr_of(&[
        "analyze",
        f,
        "--baseline",
        "kubo-*",
        "--candidate",
        "kubo-cand-*",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("matches both"), "{err}");
    let (code, err) = stderr_of(&["analyze", f, "--baseline", "kubo-base-*"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("give both --baseline and --candidate"),
        "{err}"
    );
    let (code, err) = stderr_of(&["analyze", f]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot tell baseline from candidate"), "{err}");
    let (code, err) = stderr_of(&[
        "analyze",
        f,
        "--preset",
        "nginx",
        "--baseline",
        "a",
        "--candidate",
        "b",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown preset 'nginx'"), "{err}");
    let (code, err) = stderr_of(&["analyze", "datasets/does-not-exist.csv"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("does-not-exist.csv"), "{err}");
    let (code, err) = stderr_of(&[
        "analyze",
        f,
        "--warmup",
        "5 minutes",
        "--baseline",
        "a",
        "--candidate",
        "b",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("warmup"), "{err}");
    let (code, err) = stderr_of(&["analyze", f, "--mode", "canary"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("canary"), "{err}");
}

#[test]
fn malformed_configs_name_file_line_and_key() {
    let f = FILES[1];
    for (name, text, want) in [
        (
            "unknown_key.toml",
            "[[metrics]]\nname = \"go_goroutines\"\nthreshold = 3\n",
            ":3:",
        ),
        (
            "bad_direction.toml",
            "[[metrics]]\nname = \"x\"\ndirection = \"up-ish\"\n",
            ":3:",
        ),
        (
            "bad_op.toml",
            "[[rules]]\nname = \"r\"\nmetric = \"m\"\nop = \"=>\"\nthreshold = 1\n",
            ":4:",
        ),
        (
            "bad_for.toml",
            "[[rules]]\nname = \"r\"\nmetric = \"m\"\nop = \">\"\nthreshold = 1\nfor = \"soon\"\n",
            ":6:",
        ),
        ("not_toml.toml", "[[metrics]\nname = 1\n", ":1:"),
        (
            "missing_key.toml",
            "[[rules]]\nname = \"r\"\nop = \">\"\nthreshold = 1\n",
            "metric",
        ),
    ] {
        let path = temp(name, text);
        let (code, err) = stderr_of(&[
            "analyze",
            f,
            "--config",
            &path,
            "--baseline",
            "kubo-base-*",
            "--candidate",
            "kubo-cand-*",
        ]);
        assert_eq!(code, Some(2), "{name}");
        assert!(err.contains(name) && err.contains(want), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
}

#[test]
fn config_policy_and_rules_apply() {
    let cfg = temp(
        "policy.toml",
        "[[metrics]]\nname = \"go_goroutines\"\nmin_effect = 0.5\nmin_trend_per_h = 0.5\n\n\
         [[rules]]\nname = \"lots_of_goroutines\"\nmetric = \"go_goroutines\"\nop = \">\"\nthreshold = 5400\nfor = \"30m\"\n",
    );
    let out = example(&["--config", &cfg, "--format", "json"]);
    let r = json(&out);
    let gor = row(&r, "go_goroutines", None);
    assert_ne!(gor["verdict"], "regression", "a 50 %/h margin is not met");
    let fired: Vec<&serde_json::Value> = r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "lots_of_goroutines" && !x["fired_at"].is_null())
        .collect();
    assert!(!fired.is_empty());
    assert!(fired
        .iter()
        .all(|x| x["role"] == "candidate" && x["attribution"] == "candidate"));
    assert_eq!(out.status.code(), Some(1));
    let _ = Path::new(&cfg);
}

#[test]
fn tidy_roles_and_deploy_mode() {
    // Tidy CSV with a role column: paired without selectors.
    let mut tidy = String::from("timestamp,metric,target,role,value\n");
    for i in 0..120 {
        let t = 1_700_000_000 + 60 * i;
        let wobble = ((i * 7919) % 13) as f64 / 13.0;
        tidy.push_str(&format!(
            "{t},lat_seconds,a,baseline,{}\n",
            0.2 + 0.01 * wobble
        ));
        tidy.push_str(&format!(
            "{t},lat_seconds,b,candidate,{}\n",
            0.3 + 0.01 * wobble
        ));
    }
    let path = temp("roles.csv", &tidy);
    let out = run(&["analyze", &path, "--format", "json", "--warmup", "0"]);
    let r = json(&out);
    assert_eq!(r["mode"], "paired");
    assert_eq!(row(&r, "lat_seconds", None)["verdict"], "regression");
    // Deploy mode on one series with a step at the deploy.
    let mut one = String::from("timestamp,metric,target,value\n");
    for i in 0..240 {
        let t = 1_700_000_000 + 60 * i;
        let wobble = ((i * 7919) % 17) as f64 / 17.0;
        let level = if i < 120 { 100.0 } else { 130.0 };
        one.push_str(&format!("{t},go_goroutines,canary,{}\n", level + wobble));
    }
    let path = temp("deploy.csv", &one);
    let out = run(&[
        "analyze",
        &path,
        "--mode",
        "deploy",
        "--deploy-at",
        "1700007200",
        "--format",
        "json",
        "--warmup",
        "0",
    ]);
    let r = json(&out);
    assert_eq!(
        r["mode"],
        "deploy",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(r["settings"]["deploy_source"], "given");
    let g = row(&r, "go_goroutines", None);
    assert_eq!(g["verdict"], "regression");
    let rel = g["effect"]["relative"].as_f64().unwrap();
    assert!((rel - 0.30).abs() < 0.01, "{rel}");
}

#[test]
fn history_mode_names_the_build_where_a_regression_started() {
    // TigerBeetle benchmark history (one value per build, rows numbered): the default change
    // points include the strong shifts at builds 15 and 71 (see README "Change points").
    let out = run(&[
        "analyze",
        "datasets/tigerbeetle/tigerbeetle_series.csv",
        "--mode",
        "history",
        "--format",
        "json",
    ]);
    let r = json(&out);
    assert_eq!(
        r["mode"],
        "history",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = &r["metrics"][0];
    let builds: Vec<&str> = m["change_points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["build"].as_str().unwrap())
        .collect();
    assert!(
        builds.contains(&"#15") && builds.contains(&"#71"),
        "{builds:?}"
    );
    assert!(
        m["reason"].as_str().unwrap().contains("builds"),
        "{}",
        m["reason"]
    );
    // Tidy input: the release column names the builds.
    let mut tidy = String::from("timestamp,metric,target,release,value\n");
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for i in 0..60 {
        // xorshift noise in [-2, 2): a step of 20 in noise of sd ≈ 1.2.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let wobble = (state >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0;
        let v = if i < 40 { 100.0 } else { 120.0 } + wobble;
        tidy.push_str(&format!(
            "{},bench_ns,ci,v1.{i},{v}\n",
            1_700_000_000 + 3600 * i
        ));
    }
    let path = temp("history.csv", &tidy);
    let out = run(&["analyze", &path, "--mode", "history", "--format", "json"]);
    let r = json(&out);
    let m = &r["metrics"][0];
    assert_eq!(m["change_points"][0]["build"], "v1.40", "{m}");
    assert_eq!(m["verdict"], "regression");
}

#[test]
fn a_baseline_without_errors_does_not_hide_a_candidate_with_many() {
    let mut tidy = String::from("timestamp,metric,target,role,labels,kind,value\n");
    let mut count = 0u64;
    for i in 0..180u64 {
        let t = 1_700_000_000 + 60 * i;
        count += (i * 7) % 5; // about 2 errors a minute on the candidate
        tidy.push_str(&format!(
            "{t},errors_total,b1,baseline,code=500,counter,0\n"
        ));
        tidy.push_str(&format!(
            "{t},errors_total,c1,candidate,code=500,counter,{count}\n"
        ));
        tidy.push_str(&format!("{t},quiet_errors_total,b1,baseline,,counter,0\n"));
        tidy.push_str(&format!("{t},quiet_errors_total,c1,candidate,,counter,0\n"));
    }
    let path = temp("zero_errors.csv", &tidy);
    let out = run(&["analyze", &path, "--warmup", "0", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    let e = row(&r, "errors_total", None);
    assert_eq!(e["verdict"], "regression");
    assert!(
        e["effect"]["relative"].is_null(),
        "no ratio over a zero baseline"
    );
    assert!(
        e["reason"].as_str().unwrap().contains("/min"),
        "{}",
        e["reason"]
    );
    // Zero errors on both sides: no change, not no data.
    assert_eq!(row(&r, "quiet_errors_total", None)["verdict"], "no_change");
}
