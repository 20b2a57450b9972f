//! One blocking HTTP client for the Prometheus API: timeouts, bounded retries with exponential
//! backoff, TLS with a custom CA bundle, credentials in one header.
//!
//! Crate: [`ureq`] 3 with rustls. It is blocking (shiftwatch reads, then computes: an async
//! runtime such as tokio, which `reqwest` needs even for its blocking API, would add threads and
//! a large dependency tree for nothing), small, pure Rust with rustls (no OpenSSL to link, so
//! the Python wheels stay self-contained), well kept, and has global and connect timeouts and
//! custom root certificates built in.
//!
//! Retries: a transport failure (refused, reset, timed out), `429 Too Many Requests` or any
//! `5xx` is retried up to [`ClientOptions::retries`] times. The wait before retry `k` (0-based)
//! is `Retry-After` (seconds) when the server sent it, else `backoff · 2^k`, capped at
//! [`ClientOptions::max_backoff`]. Other statuses fail at once with the server's `errorType`
//! and `error`: a `400` is a bad query and asking again will not help.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{parse_pem, PemItem, RootCerts, TlsConfig};

use super::auth::Auth;
use crate::{Error, Result};

/// Largest response body read (bytes).
const MAX_BODY: u64 = 4 << 30;

/// How the client talks to the server.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Whole-request timeout (connect, send, wait, read the body).
    pub timeout: Duration,
    /// Retries after the first attempt on transport errors, 429 and 5xx.
    pub retries: u32,
    /// Wait before the first retry (doubled each time) when the server sends no `Retry-After`.
    pub backoff: Duration,
    /// Longest wait between attempts (also caps `Retry-After`).
    pub max_backoff: Duration,
    /// PEM bundle of CA certificates to trust instead of the built-in Mozilla roots.
    pub ca_file: Option<PathBuf>,
    /// Credentials.
    pub auth: Auth,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(60),
            retries: 4,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            ca_file: None,
            auth: Auth::None,
        }
    }
}

/// A configured client.
pub(super) struct Client {
    agent: ureq::Agent,
    authorization: Option<String>,
    opts: ClientOptions,
}

/// One failed attempt: retry (after at least the given wait) or give up.
enum Failure {
    Retry {
        wait: Option<Duration>,
        status: Option<u16>,
        msg: String,
    },
    Fatal {
        status: Option<u16>,
        msg: String,
    },
}

impl Client {
    /// Builds the client; reads the CA bundle.
    ///
    /// # Errors
    /// An unreadable CA file ([`Error::Io`]) or one without certificates.
    pub fn new(opts: &ClientOptions) -> Result<Client> {
        let mut cfg = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(opts.timeout))
            .timeout_connect(Some(opts.timeout.min(Duration::from_secs(10))))
            .user_agent(concat!("shiftwatch/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &opts.ca_file {
            cfg = cfg.tls_config(TlsConfig::builder().root_certs(read_ca(path)?).build());
        }
        Ok(Client {
            agent: cfg.build().new_agent(),
            authorization: opts.auth.header(),
            opts: opts.clone(),
        })
    }

    /// POSTs `form` to `url` and returns the body of the `200` answer, retrying as the module
    /// docs say. `query` names the request in errors.
    ///
    /// # Errors
    /// [`Error::Remote`] naming `url` and `query`: a non-retryable status (with the server's
    /// message), or the last failure once the retries are spent.
    pub fn post_form(&self, url: &str, query: &str, form: &[(&str, String)]) -> Result<Vec<u8>> {
        let mut attempt = 0u32;
        loop {
            let failure = match self.attempt(url, form) {
                Ok(body) => return Ok(body),
                Err(f) => f,
            };
            let remote = |status, msg: String| Error::Remote {
                url: url.to_string(),
                query: shorten(query),
                status,
                msg,
            };
            match failure {
                Failure::Fatal { status, msg } => return Err(remote(status, msg)),
                Failure::Retry { status, msg, .. } if attempt >= self.opts.retries => {
                    let tries = attempt + 1;
                    return Err(remote(
                        status,
                        format!("{msg} (gave up after {tries} attempt{})", plural(tries)),
                    ));
                }
                Failure::Retry { wait, .. } => {
                    let backoff = self.opts.backoff.saturating_mul(1u32 << attempt.min(16));
                    let wait = wait.unwrap_or(backoff).min(self.opts.max_backoff);
                    std::thread::sleep(wait);
                    attempt += 1;
                }
            }
        }
    }

    fn attempt(&self, url: &str, form: &[(&str, String)]) -> std::result::Result<Vec<u8>, Failure> {
        let mut req = self.agent.post(url).header("Accept", "application/json");
        if let Some(a) = &self.authorization {
            req = req.header("Authorization", a.as_str());
        }
        let sent = req.send_form(form.iter().map(|(k, v)| (*k, v.as_str())));
        let mut resp = match sent {
            Ok(r) => r,
            Err(e) => return Err(transport(e)),
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = resp.body_mut().with_config().limit(MAX_BODY).read_to_vec();
        match (status, body) {
            (200, Ok(body)) => Ok(body),
            (200, Err(e)) => Err(transport(e)),
            (s, body) => {
                let detail = body.map(|b| server_message(&b)).unwrap_or_default();
                let msg = format!("HTTP {s}{detail}");
                if s == 429 || s >= 500 {
                    Err(Failure::Retry {
                        wait: retry_after,
                        status: Some(s),
                        msg,
                    })
                } else {
                    Err(Failure::Fatal {
                        status: Some(s),
                        msg,
                    })
                }
            }
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A transport error: retried unless it is a configuration problem (bad URL, TLS setup or a
/// refused certificate).
fn transport(e: ureq::Error) -> Failure {
    use ureq::Error as U;
    let msg = e.to_string();
    match e {
        U::BadUri(_) | U::Tls(_) | U::Pem(_) | U::Rustls(_) | U::InvalidProxyUrl | U::Http(_) => {
            Failure::Fatal { status: None, msg }
        }
        // rustls reports a refused handshake (untrusted certificate, wrong name) as InvalidData
        // through the stream: asking again will not help.
        U::Io(ref io) if io.kind() == std::io::ErrorKind::InvalidData => {
            Failure::Fatal { status: None, msg }
        }
        U::BodyExceedsLimit(_) => Failure::Fatal {
            status: None,
            msg: format!("{msg}: narrow the query or the range"),
        },
        _ => Failure::Retry {
            wait: None,
            status: None,
            msg,
        },
    }
}

/// `": errorType: error"` from a Prometheus error body, or a short excerpt of any other body.
fn server_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ApiError {
        #[serde(rename = "errorType")]
        error_type: Option<String>,
        error: Option<String>,
    }
    if let Ok(e) = serde_json::from_slice::<ApiError>(body) {
        if let Some(msg) = e.error {
            let kind = e.error_type.unwrap_or_else(|| "error".into());
            return format!(": {kind}: {msg}");
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!(": {}", shorten(&text.replace(['\n', '\r'], " ")))
    }
}

/// At most 200 characters (long PromQL or HTML error pages stay one readable line).
fn shorten(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// The certificates of a PEM bundle.
fn read_ca(path: &std::path::Path) -> Result<RootCerts> {
    let name = path.display().to_string();
    let pem = std::fs::read(path).map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    let mut certs = Vec::new();
    for item in parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => {
                return Err(Error::invalid(
                    "ca_file",
                    format!("{name}: not a PEM certificate bundle: {e}"),
                ))
            }
        }
    }
    if certs.is_empty() {
        return Err(Error::invalid(
            "ca_file",
            format!("{name}: no PEM certificate (-----BEGIN CERTIFICATE-----) found"),
        ));
    }
    Ok(RootCerts::Specific(Arc::new(certs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_messages() {
        let b = br#"{"status":"error","errorType":"bad_data","error":"parse error at char 3"}"#;
        assert_eq!(server_message(b), ": bad_data: parse error at char 3");
        assert_eq!(
            server_message(b"<html>\nbad gateway</html>"),
            ": <html> bad gateway</html>"
        );
        assert_eq!(server_message(b""), "");
        assert_eq!(shorten(&"x".repeat(300)).chars().count(), 201);
    }

    #[test]
    fn a_ca_file_without_certificates_is_an_error() {
        let dir = std::env::temp_dir().join(format!("shiftwatch-ca-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let f = dir.join("empty.pem");
        let _ = std::fs::write(&f, "not a certificate\n");
        let e = read_ca(&f).err().map(|e| e.to_string());
        assert!(e.is_some_and(|m| m.contains("no PEM certificate")));
        let e = read_ca(&dir.join("missing.pem")).err();
        assert!(matches!(e, Some(Error::Io { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
