//! The live source's HTTP behaviour against a scripted loopback server: retries with backoff
//! on 5xx and 429 (`Retry-After`), no retry on 400 with an error naming URL and query,
//! credentials sent from the environment and never echoed. No Prometheus needed.

mod prometheus;

use std::time::{Duration, Instant};

use prometheus::scripted::{Reply, Scripted, OK};
use prometheus::shiftwatch;
use shiftwatch::io::live::{Auth, ClientOptions, PrometheusSource};
use shiftwatch::io::remote::NamedQuery;
use shiftwatch::io::ReadOptions;
use shiftwatch::Error;

fn source(url: &str, client: ClientOptions) -> PrometheusSource {
    PrometheusSource::new(
        url,
        vec![NamedQuery::expr("up")],
        1_700_000_000_000,
        1_700_000_015_000,
        15_000,
        client,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn fast() -> ClientOptions {
    ClientOptions {
        retries: 3,
        backoff: Duration::from_millis(20),
        timeout: Duration::from_secs(10),
        ..ClientOptions::default()
    }
}

#[test]
fn a_503_is_retried_with_backoff_then_read() {
    let server = Scripted::start(vec![Reply::new(503, "overloaded"), Reply::new(200, OK)]);
    let data = source(&server.url, fast())
        .read(&ReadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data.series.len(), 1);
    assert_eq!(data.series[0].values, vec![1.0, 2.0]);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(20));
    // The form carries the range and step as the API's float seconds.
    assert!(
        seen[0].line.starts_with("POST /api/v1/query_range "),
        "{}",
        seen[0].line
    );
    assert_eq!(
        seen[0].body,
        "query=up&start=1700000000.000&end=1700000015.000&step=15.000"
    );
    let p = data.report.prometheus.as_ref().map(|p| p.requests);
    assert_eq!(p, Some(1));
}

#[test]
fn a_429_waits_for_retry_after() {
    let server = Scripted::start(vec![
        Reply::new(429, "slow down").header("Retry-After", "1"),
        Reply::new(200, OK),
    ]);
    let started = Instant::now();
    let data = source(&server.url, fast()).read(&ReadOptions::default());
    assert!(data.is_ok(), "{:?}", data.err());
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    // Retry-After (1 s) wins over the 20 ms backoff.
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(950));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn retries_are_bounded() {
    let server = Scripted::start((0..4).map(|_| Reply::new(502, "bad gateway")).collect());
    let err = source(&server.url, fast())
        .read(&ReadOptions::default())
        .err();
    let msg = err.as_ref().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        matches!(
            err,
            Some(Error::Remote {
                status: Some(502),
                ..
            })
        ),
        "{msg}"
    );
    assert!(
        msg.contains("gave up after 4 attempts") && msg.contains("bad gateway"),
        "{msg}"
    );
    assert_eq!(server.seen().len(), 4);
}

#[test]
fn a_400_fails_at_once_naming_url_and_query() {
    let body = r#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected right bracket"}"#;
    let server = Scripted::start(vec![Reply::new(400, body), Reply::new(200, OK)]);
    let (code, out, err) = shiftwatch(
        &[
            "inspect",
            "--prometheus",
            &server.url,
            "--query",
            "rate(x[5m]])",
            "--start",
            "1700000000",
            "--end",
            "1700000060",
        ],
        &[],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let want = format!("{}/api/v1/query_range", server.url);
    assert!(err.contains(&want), "{err}");
    assert!(err.contains("query 'rate(x[5m]])'"), "{err}");
    assert!(
        err.contains("HTTP 400: bad_data: 1:5: parse error"),
        "{err}"
    );
    assert_eq!(server.seen().len(), 1, "a 400 is not retried");
}

#[test]
fn a_status_error_in_a_200_body_is_an_error_too() {
    let body = r#"{"status":"error","errorType":"execution","error":"query timed out"}"#;
    let server = Scripted::start(vec![Reply::new(200, body)]);
    let msg = source(&server.url, fast())
        .read(&ReadOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        msg.contains(&server.url) && msg.contains("query 'up'") && msg.contains("query timed out"),
        "{msg}"
    );
}

#[test]
fn bearer_and_basic_credentials_are_sent_and_never_echoed() {
    let deny = r#"{"status":"error","errorType":"bad_data","error":"denied"}"#;
    let server = Scripted::start(vec![Reply::new(200, OK), Reply::new(401, deny)]);
    let args = |url: &str| {
        vec![
            "inspect".to_string(),
            "--prometheus".into(),
            url.to_string(),
            "--query".into(),
            "up".into(),
            "--start".into(),
            "1700000000".into(),
            "--end".into(),
            "1700000015".into(),
            "--format".into(),
            "json".into(),
        ]
    };
    let a = args(&server.url);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let token = [("SHIFTWATCH_PROMETHEUS_TOKEN", "tok-3f9a")];
    let (code, out, err) = shiftwatch(&a, &token);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("tok-3f9a") && out.contains(&server.url),
        "{out}"
    );
    let (code, out, err) = shiftwatch(&a, &token);
    assert_eq!(code, 2);
    assert!(
        err.contains("HTTP 401") && !err.contains("tok-3f9a"),
        "{err}"
    );
    assert!(!out.contains("tok-3f9a"));
    let seen = server.seen();
    assert_eq!(seen[0].header("authorization"), Some("Bearer tok-3f9a"));
    // Basic auth, the password from a file.
    let dir = prometheus::TempDir::new("auth");
    let pw = dir.0.join("password");
    std::fs::write(&pw, "pa55-word\n").unwrap_or_else(|e| panic!("{e}"));
    let pw = pw.display().to_string();
    let server = Scripted::start(vec![Reply::new(401, deny)]);
    let a = args(&server.url);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, _, err) = shiftwatch(
        &a,
        &[
            ("SHIFTWATCH_PROMETHEUS_USER", "alice"),
            ("SHIFTWATCH_PROMETHEUS_PASSWORD_FILE", &pw),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        !err.contains("pa55-word") && !err.contains("YWxpY2U6cGE1NS13b3Jk"),
        "{err}"
    );
    // base64("alice:pa55-word")
    assert_eq!(
        server.seen()[0].header("authorization"),
        Some("Basic YWxpY2U6cGE1NS13b3Jk")
    );
}

#[test]
fn credentials_in_the_url_are_refused() {
    let (code, _, err) = shiftwatch(
        &[
            "inspect",
            "--prometheus",
            "http://bob:hunter2@127.0.0.1:1",
            "--query",
            "up",
            "--start",
            "now-1h",
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        !err.contains("hunter2") && err.contains("SHIFTWATCH_PROMETHEUS_USER"),
        "{err}"
    );
}

#[test]
fn a_refused_connection_is_retried_then_reported() {
    let port = prometheus::free_port();
    let client = ClientOptions {
        retries: 1,
        backoff: Duration::from_millis(10),
        auth: Auth::Bearer(shiftwatch::io::live::auth::Secret::new("zz-secret")),
        ..fast()
    };
    let msg = source(&format!("http://127.0.0.1:{port}"), client)
        .read(&ReadOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        msg.contains("gave up after 2 attempts") && msg.contains("query 'up'"),
        "{msg}"
    );
    assert!(!msg.contains("zz-secret"));
}
