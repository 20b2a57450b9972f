//! Shared by the live-source tests: a real Prometheus server backfilled from an OpenMetrics
//! file ([`Server`]), the by-2 experiment it holds ([`fixture`]), and a scripted HTTP server
//! for retries, errors and credentials ([`scripted`]).
#![allow(dead_code)]

pub mod fixture;
pub mod scripted;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let p =
            std::env::temp_dir().join(format!("shiftwatch-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `prometheus` and `promtool` on PATH, or the reason they are not.
pub fn tools() -> Result<(), String> {
    for tool in ["prometheus", "promtool"] {
        let ok = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(format!(
                "`{tool}` not found: install Debian's prometheus package \
                 (scripts/system-deps.sh does)"
            ));
        }
    }
    Ok(())
}

/// Prints a loud skip line. Written to the stderr handle directly, not with `eprintln!`, so
/// the test harness's output capture does not hide it: it shows in every `cargo test` log.
pub fn skip(test: &str, why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// A free loopback port.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    l.local_addr().map(|a| a.port()).unwrap_or(0)
}

/// `GET path` over HTTP/1.0; `(status, body)`.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

/// A Prometheus server on a loopback port over a backfilled TSDB; killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
    pub url: String,
    /// Seconds from start to `/-/ready`.
    pub startup_s: f64,
}

impl Server {
    /// Backfills `openmetrics` (`promtool tsdb create-blocks-from openmetrics`) into
    /// `dir/tsdb` and starts `prometheus` on it.
    pub fn start(dir: &Path, openmetrics: &Path) -> Server {
        Server::start_with(dir, openmetrics, None)
    }

    /// As [`Server::start`], with `--web.config.file=web_config` (TLS, basic auth) when given:
    /// then the URL is `https://` and readiness is the port accepting connections (the
    /// client retries the 503 Prometheus answers until its storage is loaded).
    pub fn start_with(dir: &Path, openmetrics: &Path, web_config: Option<&Path>) -> Server {
        let tsdb = dir.join("tsdb");
        let out = Command::new("promtool")
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(openmetrics)
            .arg(&tsdb)
            .output()
            .unwrap_or_else(|e| panic!("promtool: {e}"));
        assert!(
            out.status.success(),
            "promtool failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let config = dir.join("prometheus.yml");
        std::fs::write(
            &config,
            "global:\n  scrape_interval: 15s\nscrape_configs: []\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let port = free_port();
        let log =
            std::fs::File::create(dir.join("prometheus.log")).unwrap_or_else(|e| panic!("{e}"));
        let started = Instant::now();
        let mut cmd = Command::new("prometheus");
        if let Some(w) = web_config {
            cmd.arg(format!("--web.config.file={}", w.display()));
        }
        let child = cmd
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.tsdb.path={}", tsdb.display()))
            .arg("--storage.tsdb.retention.time=10y")
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("prometheus: {e}"));
        let mut server = Server {
            child,
            port,
            url: format!(
                "{}://127.0.0.1:{port}",
                if web_config.is_some() {
                    "https"
                } else {
                    "http"
                }
            ),
            startup_s: 0.0,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = match web_config {
                None => http_get(port, "/-/ready").is_some_and(|(s, _)| s == 200),
                Some(_) => TcpStream::connect(("127.0.0.1", port)).is_ok(),
            };
            if ready {
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = std::fs::read_to_string(dir.join("prometheus.log")).unwrap_or_default();
                panic!("prometheus exited ({status}): {log}");
            }
            assert!(Instant::now() < deadline, "prometheus not ready after 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        server.startup_s = started.elapsed().as_secs_f64();
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the `shiftwatch` binary; `(exit code, stdout, stderr)`.
pub fn shiftwatch(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiftwatch"));
    cmd.args(args);
    for var in [
        "SHIFTWATCH_PROMETHEUS_TOKEN",
        "SHIFTWATCH_PROMETHEUS_TOKEN_FILE",
        "SHIFTWATCH_PROMETHEUS_USER",
        "SHIFTWATCH_PROMETHEUS_PASSWORD",
        "SHIFTWATCH_PROMETHEUS_PASSWORD_FILE",
        "SHIFTWATCH_PROMETHEUS_CA_FILE",
    ] {
        cmd.env_remove(var);
    }
    // Loopback only: never through a proxy a CI machine may set.
    cmd.env("NO_PROXY", "127.0.0.1,localhost");
    cmd.env("no_proxy", "127.0.0.1,localhost");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("shiftwatch: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
