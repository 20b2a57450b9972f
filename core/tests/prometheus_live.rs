//! The live source against a real Prometheus server (Debian's `prometheus` and `promtool`),
//! backfilled from an OpenMetrics file of a by-2 experiment with known differences
//! ([`prometheus::fixture`]). Skips with a loud `SKIPPED` line where the tools are missing.

mod prometheus;

use std::collections::BTreeMap;
use std::time::Instant;

use prometheus::{fixture, shiftwatch, skip, tools, Server, TempDir};
use serde_json::Value;
use shiftwatch::io::live::{ClientOptions, PrometheusSource};
use shiftwatch::io::remote::NamedQuery;
use shiftwatch::io::ReadOptions;

/// Metrics of a report keyed by `metric{labels}`, without `notes` (they may name files).
fn metrics(report: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for m in report["metrics"].as_array().into_iter().flatten() {
        let key = format!("{}{}", m["metric"], m["labels"]);
        out.insert(key, m.clone());
    }
    out
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn analyze_from_prometheus_equals_analyze_of_the_export() {
    if let Err(why) = tools() {
        return skip("analyze_from_prometheus_equals_analyze_of_the_export", &why);
    }
    let dir = TempDir::new("prom-live");
    let exp = fixture::write(&dir.0);
    let server = Server::start(&dir.0, &exp.openmetrics);
    let (start, end) = (exp.start_s.to_string(), exp.end_s.to_string());
    let config = exp.config.display().to_string();
    let common = [
        "--baseline",
        "base-*",
        "--candidate",
        "cand-*",
        "--config",
        &config,
        "--format",
        "json",
        "--fail-on",
        "never",
        "--step",
        "15s",
    ];
    let timer = Instant::now();
    let mut live_args = vec![
        "analyze",
        "--prometheus",
        &server.url,
        "--start",
        &start,
        "--end",
        &end,
    ];
    live_args.extend(common);
    let (code, live, err) = shiftwatch(&live_args, &[]);
    let live_s = timer.elapsed().as_secs_f64();
    assert_eq!(code, 0, "{err}");
    let csv = exp.tidy_csv.display().to_string();
    let mut file_args = vec!["analyze", csv.as_str()];
    file_args.extend(common);
    let (code, file, err) = shiftwatch(&file_args, &[]);
    assert_eq!(code, 0, "{err}");
    let (live, file) = (json(&live), json(&file));
    eprintln!(
        "prometheus ready in {:.2} s; analyze --prometheus took {live_s:.2} s",
        server.startup_s
    );

    // Same report: every metric (verdict, effect, CI, p-values, data counts), rules, summary.
    let (lm, fm) = (metrics(&live), metrics(&file));
    assert_eq!(lm.keys().collect::<Vec<_>>(), fm.keys().collect::<Vec<_>>());
    for m in lm.values() {
        eprintln!(
            "  {} {} {} rel={} resets={}",
            m["metric"], m["labels"], m["verdict"], m["effect"]["relative"], m["data"]["resets"]
        );
    }
    eprintln!("  summary: {}", live["summary"]["line"]);

    for (k, l) in &lm {
        let mut l = l.clone();
        let mut f = fm[k].clone();
        l["notes"] = Value::Null;
        f["notes"] = Value::Null;
        assert_eq!(l, f, "metric {k} differs between live and file");
    }
    assert_eq!(live["summary"], file["summary"]);
    assert_eq!(live["rules"], file["rules"]);
    assert_eq!(live["inputs"]["series"], file["inputs"]["series"]);
    assert_eq!(live["inputs"]["rows"], file["inputs"]["rows"]);

    // Provenance: URL and the config's queries, no files.
    let p = &live["inputs"]["prometheus"];
    assert_eq!(p["url"], server.url.as_str());
    assert_eq!(p["queries"].as_array().map(Vec::len), Some(4));
    assert_eq!(p["queries"][0]["name"], "latency");
    assert_eq!(p["step"], "15s");
    assert_eq!(live["inputs"]["files"], serde_json::json!([]));

    // The injected differences are found.
    let by_metric =
        |name: &str| -> Vec<&Value> { lm.values().filter(|m| m["metric"] == name).collect() };
    let lat = by_metric("latency_seconds");
    assert_eq!(lat.len(), 1);
    assert_eq!(lat[0]["verdict"], "regression", "{}", lat[0]);
    let rel = lat[0]["effect"]["relative"].as_f64().unwrap_or(f64::NAN);
    assert!(
        (rel - 0.10).abs() < 0.01,
        "latency +10 % injected, got {rel}"
    );
    let mem = by_metric("process_resident_memory_bytes");
    assert!(mem.iter().all(|m| m["verdict"] != "regression"), "{mem:?}");
    let req = by_metric("http_requests_total");
    assert!(
        !req.is_empty() && req.iter().all(|m| m["verdict"] != "regression"),
        "{req:?}"
    );
    let resets: u64 = req
        .iter()
        .map(|m| m["data"]["resets"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(resets, 1, "cand-2's counter reset is found once: {req:?}");
    let rpc: Vec<&Value> = lm
        .values()
        .filter(|m| {
            m["metric"]
                .as_str()
                .is_some_and(|s| s.starts_with("rpc_duration_seconds"))
        })
        .collect();
    assert!(
        rpc.iter().any(|m| m["verdict"] == "regression"),
        "the slower candidate histogram is a regression: {rpc:?}"
    );
}

#[test]
fn a_range_over_11000_points_is_split_and_stitched() {
    if let Err(why) = tools() {
        return skip("a_range_over_11000_points_is_split_and_stitched", &why);
    }
    let dir = TempDir::new("prom-split");
    let exp = fixture::write(&dir.0);
    let server = Server::start(&dir.0, &exp.openmetrics);
    // 2 h at 500 ms: 14,401 points per series, more than one request may return.
    let (start, end) = (exp.start_s.to_string(), exp.end_s.to_string());
    let (code, out, err) = shiftwatch(
        &[
            "inspect",
            "--prometheus",
            &server.url,
            "--query",
            "latency_seconds{target=\"base-1\"}",
            "--start",
            &start,
            "--end",
            &end,
            "--step",
            "500ms",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let rep = json(&out);
    let s = &rep["series"][0];
    assert_eq!(rep["series"].as_array().map(Vec::len), Some(1));
    assert_eq!(s["data"]["points"], 14_401, "{s}");
    assert_eq!(s["data"]["duplicates"], 0);
    assert_eq!(s["interval_ms"], 500);
    assert_eq!(s["gaps"], 0);
    assert_eq!(rep["read"]["prometheus"]["requests"], 2);

    // Any chunk size gives the points of one unsplit query.
    let read = |max_points: i64| {
        let mut src = PrometheusSource::new(
            &server.url,
            vec![NamedQuery::expr("http_requests_total")],
            exp.start_s * 1000,
            exp.end_s * 1000,
            15_000,
            ClientOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        src.max_points = max_points;
        src.read(&ReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let whole = read(fixture::N as i64);
    // Labels are kept (target taken out as the target), names from __name__.
    let les: Vec<&str> = {
        let mut src = PrometheusSource::new(
            &server.url,
            vec![NamedQuery::expr(
                "rpc_duration_seconds_bucket{target=\"cand-1\"}",
            )],
            exp.start_s * 1000,
            exp.end_s * 1000,
            15_000,
            ClientOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        src.max_points = 100;
        let d = src
            .read(&ReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(d
            .series
            .iter()
            .all(|s| s.key.metric == "rpc_duration_seconds_bucket"
                && s.key.target == "cand-1"
                && s.key.labels.len() == 1));
        let mut v: Vec<&str> = fixture::LE.to_vec();
        v.retain(|le| {
            d.series
                .iter()
                .any(|s| s.key.labels.get("le").map(String::as_str) == Some(*le))
        });
        v
    };
    assert_eq!(les, fixture::LE);
    let pieces = read(7);
    assert_eq!(whole.series.len(), 4);
    assert_eq!(
        pieces.report.prometheus.as_ref().map(|p| p.requests),
        Some(fixture::N.div_ceil(7))
    );
    for (a, b) in whole.series.iter().zip(&pieces.series) {
        assert_eq!(a.key, b.key);
        assert_eq!(a.timestamps_ms, b.timestamps_ms);
        assert_eq!(a.values, b.values);
        assert_eq!(a.timestamps_ms.len(), fixture::N);
        assert_eq!(b.report.duplicates, 0);
    }
}

#[test]
fn detect_and_a_bad_query_against_the_server() {
    if let Err(why) = tools() {
        return skip("detect_and_a_bad_query_against_the_server", &why);
    }
    let dir = TempDir::new("prom-detect");
    let exp = fixture::write(&dir.0);
    let server = Server::start(&dir.0, &exp.openmetrics);
    let (start, end) = (exp.start_s.to_string(), exp.end_s.to_string());
    let (code, out, err) = shiftwatch(
        &[
            "detect",
            "--prometheus",
            &server.url,
            "--query",
            "process_resident_memory_bytes{target=\"cand-1\"}",
            "--start",
            &start,
            "--end",
            &end,
            "--step",
            "15s",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let rep = json(&out);
    assert_eq!(rep["n"], fixture::N, "{rep}");
    // The real server's refusal of bad PromQL: one line naming URL and query.
    let (code, _, err) = shiftwatch(
        &[
            "analyze",
            "--prometheus",
            &server.url,
            "--query",
            "sum(latency_seconds",
            "--start",
            &start,
            "--end",
            &end,
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("{}/api/v1/query_range", server.url))
            && err.contains("query 'sum(latency_seconds'")
            && err.contains("HTTP 400: bad_data"),
        "{err}"
    );
}
