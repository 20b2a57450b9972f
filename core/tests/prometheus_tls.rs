//! The live source over https with a private CA (`--ca-file`) and basic auth, against a real
//! Prometheus started with `--web.config.file` (TLS and `basic_auth_users`). Skips loudly
//! without `prometheus`, `promtool` or `openssl`.

mod prometheus;

use std::path::Path;
use std::process::Command;

use prometheus::{fixture, shiftwatch, skip, tools, Server, TempDir};

/// bcrypt of the password "test", from the Prometheus basic-auth guide
/// (prometheus.io/docs/guides/basic-auth/).
const HASH_OF_TEST: &str = "$2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay";

fn openssl(dir: &Path, args: &[&str]) -> bool {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A CA (`ca.pem`) and a server certificate for 127.0.0.1 signed by it.
fn certificates(dir: &Path) -> bool {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let _ = std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    );
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=shiftwatch test CA",
    ]);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(dir, &ca)
        && openssl(dir, &csr)
        && openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "ext.cnf",
            ],
        )
}

#[test]
fn https_with_a_private_ca_and_basic_auth() {
    if let Err(why) = tools() {
        return skip("https_with_a_private_ca_and_basic_auth", &why);
    }
    let dir = TempDir::new("prom-tls");
    if !certificates(&dir.0) {
        return skip(
            "https_with_a_private_ca_and_basic_auth",
            "`openssl` failed or is missing",
        );
    }
    let web = dir.0.join("web.yml");
    let cfg = format!(
        "tls_server_config:\n  cert_file: {}\n  key_file: {}\nbasic_auth_users:\n  admin: '{HASH_OF_TEST}'\n",
        dir.0.join("server.crt").display(),
        dir.0.join("server.key").display()
    );
    std::fs::write(&web, cfg).unwrap_or_else(|e| panic!("{e}"));
    let exp = fixture::write(&dir.0);
    let server = Server::start_with(&dir.0, &exp.openmetrics, Some(&web));
    let ca = dir.0.join("ca.pem").display().to_string();
    let (start, end) = (exp.start_s.to_string(), exp.end_s.to_string());
    let args = |ca: Option<&str>| {
        let mut a = vec![
            "inspect".to_string(),
            "--prometheus".into(),
            server.url.clone(),
            "--query".into(),
            "latency_seconds".into(),
            "--start".into(),
            start.clone(),
            "--end".into(),
            end.clone(),
            "--format".into(),
            "json".into(),
        ];
        if let Some(ca) = ca {
            a.extend(["--ca-file".to_string(), ca.to_string()]);
        }
        a
    };
    let run = |a: &[String], env: &[(&str, &str)]| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        shiftwatch(&a, env)
    };
    let good = [
        ("SHIFTWATCH_PROMETHEUS_USER", "admin"),
        ("SHIFTWATCH_PROMETHEUS_PASSWORD", "test"),
    ];
    let (code, out, err) = run(&args(Some(&ca)), &good);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"points\": 481"), "{out}");
    // The CA from the environment works the same.
    let mut env = good.to_vec();
    env.push(("SHIFTWATCH_PROMETHEUS_CA_FILE", &ca));
    let (code, _, err) = run(&args(None), &env);
    assert_eq!(code, 0, "{err}");
    // Without the CA the certificate is not trusted: one line, at once (not retried).
    let t = std::time::Instant::now();
    let (code, _, err) = run(&args(None), &good);
    assert_eq!(code, 2);
    assert!(
        !err.contains("gave up") && t.elapsed().as_secs_f64() < 5.0,
        "{err}"
    );
    assert!(
        err.contains(&server.url) && err.to_lowercase().contains("certificate"),
        "{err}"
    );
    // A wrong password: 401 from the server, the password never printed.
    let bad = [
        ("SHIFTWATCH_PROMETHEUS_USER", "admin"),
        ("SHIFTWATCH_PROMETHEUS_PASSWORD", "wr0ng-pw"),
    ];
    let (code, _, err) = run(&args(Some(&ca)), &bad);
    assert_eq!(code, 2);
    assert!(
        err.contains("HTTP 401") && !err.contains("wr0ng-pw"),
        "{err}"
    );
}
