//! `shiftwatch analyze --format html` through the real binary: a self-contained page with every
//! section, text from the data escaped, and the optional `series` section of the JSON. (The
//! page in a real browser: `tests/test_html_report.py`.)
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::PathBuf;
use std::process::Output;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_shiftwatch"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn example(extra: &[&str]) -> Output {
    let mut args = vec!["analyze"];
    let files = std::fs::read_dir(root().join("datasets/examples/experiment")).unwrap();
    let mut files: Vec<String> = files
        .map(|e| {
            format!(
                "datasets/examples/experiment/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    args.extend(files.iter().map(String::as_str));
    args.extend([
        "--baseline",
        "kubo-base-*",
        "--candidate",
        "kubo-cand-*",
        "--preset",
        "kubo",
        "--fail-on",
        "never",
    ]);
    args.extend(extra);
    run(&args)
}

fn text(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Nothing in the page can make the browser load anything.
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(lower.starts_with("<!doctype html>"));
    assert!(lower.contains(
        "<meta http-equiv=\"content-security-policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    ));
    assert!(lower.contains("<meta name=\"viewport\""));
    for bad in [
        "<script",
        "href=\"http",
        "url(",
        "@import",
        "<link",
        "<iframe",
        "<img",
        "<object",
        "<embed",
        "http://",
        "https://",
    ] {
        assert!(!lower.contains(bad), "the page contains {bad:?}");
    }
}

#[test]
fn the_example_page_has_every_part_and_loads_nothing() {
    let html = text(&example(&["--format", "html"]));
    assert_self_contained(&html);
    for id in [
        "sw-verdicts",
        "sw-effects",
        "sw-series",
        "sw-rules",
        "sw-data",
    ] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    // One verdict row, one forest row and one small multiple per metric; worst first.
    assert_eq!(html.matches("<tr class=\"sw-row-").count(), 9);
    assert_eq!(html.matches("<figure class=\"sw-fig\"").count(), 9);
    assert_eq!(
        html.matches("<div class=\"sw-frow\"><div class=\"sw-flabel\" title=\"")
            .count(),
        9 + 16
    );
    let first_row = html.find("<tr class=\"sw-row-").unwrap();
    assert!(html[first_row..].starts_with("<tr class=\"sw-row-regression\""));
    assert!(
        !html.contains("sw-row-regression")
            || html.rfind("sw-row-regression").unwrap() < html.find("sw-row-no_change").unwrap()
    );
    // Replicas as lines (4 targets per metric), the environmental memory rule marked on its
    // metric, the warm-up shaded.
    assert_eq!(html.matches("stroke-width=\"0.9\"").count(), 9 * 4);
    assert!(html.contains("<title>rule memory_utilisation fired on kubo-cand-1 (candidate) at"));
    assert!(html.contains("<title>warm-up (not analysed)</title>"));
    // Deterministic, and the same page through --output.
    let path = std::env::temp_dir().join(format!("shiftwatch-html-{}.html", std::process::id()));
    let out = example(&["--format", "html", "--output", &path.display().to_string()]);
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), html);
    std::fs::remove_file(&path).ok();
}

#[test]
fn series_only_when_asked_and_downsampled() {
    let plain: serde_json::Value =
        serde_json::from_slice(&example(&["--format", "json"]).stdout).unwrap();
    assert!(plain.get("series").is_none());
    let with: serde_json::Value =
        serde_json::from_slice(&example(&["--format", "json", "--series"]).stdout).unwrap();
    let series = with["series"].as_array().unwrap();
    let metrics = with["metrics"].as_array().unwrap();
    assert_eq!(series.len(), metrics.len());
    for (s, m) in series.iter().zip(metrics) {
        assert_eq!(s["metric"], m["metric"]);
        assert_eq!(s["labels"], m["labels"]);
        let lines = s["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 4);
        for l in lines {
            let t = l["t"].as_array().unwrap();
            assert!(t.len() <= 400 && t.len() == l["v"].as_array().unwrap().len());
            assert!(t.windows(2).all(|w| w[0].as_f64() <= w[1].as_f64()));
            // The warm-up (5 min from the first raw point; a counter's first rate comes one
            // 60 s scrape later) is kept in the line and marked.
            let kept = l["warmup_end"].as_f64().unwrap() - t[0].as_f64().unwrap();
            assert!((239.9..=300.1).contains(&kept), "{kept}");
        }
    }
    // Everything else is the plain report.
    let mut rest = with.clone();
    rest.as_object_mut().unwrap().remove("series");
    assert_eq!(rest, plain);
}

#[test]
fn names_from_the_data_are_escaped() {
    let mut tidy = String::from("timestamp,metric,target,role,value,labels\n");
    for i in 0..90 {
        let t = 1_700_000_000 + 60 * i;
        let w = ((i * 7919) % 13) as f64 / 13.0;
        for (target, role, level) in [
            ("\"<b>base</b>\"", "baseline", 1.0),
            (
                "\"cand\"\"><img src=x onerror=alert(2)>\"",
                "candidate",
                1.3,
            ),
        ] {
            tidy.push_str(&format!(
                "{t},</title><script>alert(1)</script>,{target},{role},{},\"k=<svg onload=alert(3)>\"\n",
                level + 0.01 * w
            ));
        }
    }
    let path =
        std::env::temp_dir().join(format!("shiftwatch-html-evil-{}.csv", std::process::id()));
    std::fs::write(&path, tidy).unwrap();
    let out = run(&[
        "analyze",
        &path.display().to_string(),
        "--format",
        "html",
        "--warmup",
        "0",
    ]);
    std::fs::remove_file(&path).ok();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    assert_self_contained(&html);
    assert!(!html.contains("<svg onload"));
    assert!(!html.contains("</title><script"));
    assert!(html.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("cand&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
}
