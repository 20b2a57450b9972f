//! `shiftwatch inspect` through the real binary on the committed fixtures: stdout, stderr and
//! exit code.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../datasets/fixtures")
}

fn inspect(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
        .arg("inspect")
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("run shiftwatch")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn snapshot_openmetrics_004() {
    let out = inspect(&["openmetrics/prom004.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    // The fixture: node_load1 gauge, 10 points every 15 s from 2024-05-01T12:00:00Z.
    let expected = "\
files:  openmetrics/prom004.txt
series: 1   points: 10
time:   2024-05-01T12:00:00Z .. 2024-05-01T12:02:15Z

KIND       POINTS INTERVAL  GAPS RESETS MISSING  SERIES
gauge          10      15s     0      -       0  node_load1{target=\"kubo27-1\"}
";
    assert_eq!(text(&out.stdout), expected);
}

#[test]
fn every_format_is_detected_and_read() {
    // (file, series, facts that must appear) — facts from make_fixtures.py's docstrings.
    let cases: [(&str, usize, &[&str]); 8] = [
        ("tidy/paired.csv", 4, &["counter        40      15s     0      1       0  http_requests_total{target=\"kubo28-1\""]),
        ("grafana/wide_goroutines.csv", 3, &["39      15s     1      -       1  go_goroutines{target=\"kubo28-1\", experiment=\"e1\"}"]),
        ("grafana/per_series_kubo27-1.csv", 1, &["per_series_kubo27-1{target=\"kubo27-1\"}"]),
        ("grafana/table_long.csv", 6, &["request_duration_seconds_bucket{target=\"kubo28-1\", le=\"+Inf\"}"]),
        ("grafana/excel_utf16.csv", 2, &["excel_utf16{target=\"kubo28-1\"}"]),
        ("grafana/sep_semicolon.csv", 2, &["sep_semicolon{target=\"kubo27-1\"}"]),
        ("prometheus/query_range.json", 2, &["37      15s     1"]),
        ("openmetrics/scrape.txt", 7, &["counter        40      15s     0      1       0  ipfs_http_requests_total", "gauge          40      15s     0      -       0  ipfs_p2p_peers_total"]),
    ];
    for (file, n, facts) in cases {
        let out = inspect(&[file]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        assert!(
            stdout.contains(&format!("series: {n} ")),
            "{file}:\n{stdout}"
        );
        for f in facts {
            assert!(stdout.contains(f), "{file}: missing {f:?} in\n{stdout}");
        }
        // The fixed columns fit 80 columns; only the series name may run past them.
        let fits = |l: &str| l.chars().take_while(|c| *c != '{').count() <= 80;
        assert!(
            stdout.lines().all(fits),
            "{file}: line over 80 columns\n{stdout}"
        );
    }
}

#[test]
fn json_output_and_nab_with_timezone() {
    let out = inspect(&[
        "--timezone",
        "UTC",
        "--format",
        "json",
        "nab/elb_request_count_8c0756.csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = &v["series"][0];
    // NAB README: 4032 rows, 5-minute sampling, 8 irregular steps, starts 2014-04-10 00:04.
    assert_eq!(s["data"]["points"], 4032);
    assert_eq!(s["interval_ms"], 300_000);
    assert_eq!(s["gaps"], 8);
    assert_eq!(s["first"], "2014-04-10T00:04:00Z");
    assert_eq!(s["key"]["metric"], "elb_request_count_8c0756");
}

#[test]
fn bad_input_exits_2_with_location() {
    let cases = [
        ("bad/tidy_bad_timestamp.csv", "error: bad/tidy_bad_timestamp.csv:3:1: cannot read timestamp 'yesterday'"),
        ("bad/grafana_unterminated.csv", "error: bad/grafana_unterminated.csv:2:15: unterminated quoted field"),
        ("bad/prometheus_bad_value.json", "error: bad/prometheus_bad_value.json: $.data.result[0].values[1]: cannot read value \"one\""),
        ("bad/openmetrics_no_timestamp.txt", "error: bad/openmetrics_no_timestamp.txt:2:16: sample has no timestamp"),
        ("prometheus/error.json", "error: prometheus/error.json: $.status: Prometheus returned an error (bad_data)"),
        ("grafana/formatted.csv", "error: grafana/formatted.csv:2:1: timestamp '2024-05-01 14:00:00' has no UTC offset"),
        ("nab/elb_request_count_8c0756.csv", "has no UTC offset: pass --timezone"),
        ("does-not-exist.csv", "error: does-not-exist.csv: No such file"),
    ];
    for (file, msg) in cases {
        let out = inspect(&[file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert_eq!(text(&out.stdout), "", "{file}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(msg), "{file}: {stderr}");
    }
    let out = inspect(&["--input-format", "xml", "tidy/paired.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("expected one of: auto, tidy, grafana, prometheus, openmetrics")
    );
    let out = inspect(&["--input-format", "grafana", "tidy/paired.csv"]);
    assert_eq!(out.status.code(), Some(0)); // a tidy file read as Grafana long form still reads
    let out = inspect(&["--input-format", "tidy", "grafana/wide_goroutines.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("grafana/wide_goroutines.csv:1:1: unknown column 'Time'"));
}

#[test]
fn lenient_lists_skipped_rows() {
    let out = inspect(&["--lenient", "bad/tidy_bad_timestamp.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("rows skipped: 1"), "{stdout}");
    assert!(
        stdout.contains("  bad/tidy_bad_timestamp.csv:3:1: cannot read timestamp"),
        "{stdout}"
    );
}

#[test]
fn kinds_from_the_command_line() {
    let out = inspect(&[
        "--kind",
        "request_duration_seconds=histogram",
        "grafana/table_long.csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("\nhistogram ").count(), 6, "{stdout}");
    let out = inspect(&["--kind", "x=blob", "grafana/table_long.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown kind 'blob'"));
}
