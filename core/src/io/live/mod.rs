//! A live source: PromQL queries run against a Prometheus server's HTTP API
//! (`/api/v1/query_range`), read by the same parser as an exported `query_range` JSON file, so
//! series names, labels, kinds and counter handling are those of the file readers.
//!
//! Query raw series, not PromQL aggregates: counters as counters (`http_requests_total`, not
//! `rate(…)`: shiftwatch computes rates and reports resets), histograms by their `_bucket`
//! series (shiftwatch computes the quantiles). Kinds come from the configuration (`kind =
//! "counter"`), as for a JSON file, since the API's answer does not carry them.
//!
//! A range with more than [`range::MAX_POINTS`] points per series is split into chunks
//! ([`range::chunks`]) and stitched without duplicates. Transport: [`http`] (timeouts, retries,
//! CA bundle); credentials: [`auth`] (environment variables only).
//!
//! ```no_run
//! use shiftwatch::io::live::{LiveSpec, PrometheusSource};
//! use shiftwatch::io::ReadOptions;
//!
//! let spec = LiveSpec {
//!     url: "http://127.0.0.1:9090".into(),
//!     queries: vec!["http_requests_total".into()],
//!     start: "now-1h".into(),
//!     end: "now".into(),
//!     step: Some("15s".into()),
//!     ..LiveSpec::default()
//! };
//! let data = spec.source()?.read(&ReadOptions::default())?;
//! println!("{} series", data.series.len());
//! # Ok::<(), shiftwatch::Error>(())
//! ```

use std::path::PathBuf;
use std::time::Duration;

use super::remote::{NamedQuery, RemoteSource};
use super::ReadOptions;
use crate::analyze::duration::parse_duration_ms;
use crate::series::time::format_rfc3339;
use crate::series::{Dataset, ReadReport, SeriesSet};
use crate::{Error, Result};

pub mod auth;
pub mod http;
pub mod range;

pub use auth::Auth;
pub use http::ClientOptions;

/// Default resolution step.
pub const DEFAULT_STEP: &str = "15s";

/// A live source as a front door (CLI flags, Python arguments) gives it: text, parsed once by
/// [`LiveSpec::source`].
#[derive(Debug, Clone, Default)]
pub struct LiveSpec {
    /// Base URL, e.g. `http://prometheus:9090` or `https://host/prometheus`.
    pub url: String,
    /// PromQL expressions (`--query`).
    pub queries: Vec<String>,
    /// Named queries (the config's `[[queries]]`), run after `queries`.
    pub named: Vec<NamedQuery>,
    /// Range start: `now`, `now-2h`, RFC 3339 or epoch.
    pub start: String,
    /// Range end (inclusive), as `start`.
    pub end: String,
    /// Resolution step (default [`DEFAULT_STEP`]); match the scrape interval, or a finer step
    /// repeats samples.
    pub step: Option<String>,
    /// CA bundle (default: `SHIFTWATCH_PROMETHEUS_CA_FILE`, else the built-in roots).
    pub ca_file: Option<PathBuf>,
    /// Request timeout, e.g. `60s` (default 60 s).
    pub timeout: Option<String>,
    /// Retries after a failed attempt (default [`ClientOptions::default`]'s 4).
    pub retries: Option<u32>,
}

impl LiveSpec {
    /// Parses the spec; credentials and the CA file default from the environment
    /// ([`auth`]).
    ///
    /// # Errors
    /// No query, a bad time, step or timeout, a URL with credentials or without `http(s)://`,
    /// bad credential variables.
    pub fn source(&self) -> Result<PrometheusSource> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let start_ms = range::parse_time("start", &self.start, now)?;
        let end_ms = range::parse_time("end", &self.end, now)?;
        let step_text = self.step.as_deref().unwrap_or(DEFAULT_STEP);
        let step_ms = parse_duration_ms("step", step_text)?;
        let timeout_ms = parse_duration_ms("timeout", self.timeout.as_deref().unwrap_or("60s"))?;
        let mut queries: Vec<NamedQuery> = self.queries.iter().map(NamedQuery::expr).collect();
        queries.extend(self.named.iter().cloned());
        let ca_file = self.ca_file.clone().or_else(|| {
            std::env::var_os(auth::CA_FILE)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        let d = ClientOptions::default();
        let client = ClientOptions {
            retries: self.retries.unwrap_or(d.retries),
            timeout: Duration::from_millis(timeout_ms.max(1).unsigned_abs()),
            ca_file,
            auth: Auth::from_env()?,
            ..d
        };
        PrometheusSource::new(&self.url, queries, start_ms, end_ms, step_ms, client)
    }
}

/// Queries to run against one server over one range.
#[derive(Debug, Clone)]
pub struct PrometheusSource {
    url: String,
    queries: Vec<NamedQuery>,
    start_ms: i64,
    end_ms: i64,
    step_ms: i64,
    /// Points per series per request (default [`range::MAX_POINTS`], the server's limit).
    pub max_points: i64,
    /// Transport settings.
    pub client: ClientOptions,
}

impl PrometheusSource {
    /// Checks and keeps the arguments.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`]: no query, an empty query, `end < start`, a non-positive step,
    /// a URL that is not `http(s)://host…` or that carries `user:password@`.
    pub fn new(
        url: &str,
        queries: Vec<NamedQuery>,
        start_ms: i64,
        end_ms: i64,
        step_ms: i64,
        client: ClientOptions,
    ) -> Result<PrometheusSource> {
        let url = check_url(url)?;
        if queries.is_empty() {
            return Err(Error::invalid(
                "query",
                "no query: give --query PROMQL (repeatable) or [[queries]] in the config",
            ));
        }
        if let Some(q) = queries.iter().find(|q| q.expr.trim().is_empty()) {
            let name = q.name.as_deref().unwrap_or("--query");
            return Err(Error::invalid(
                "query",
                format!("{name}: empty PromQL expression"),
            ));
        }
        range::chunks(start_ms, end_ms, step_ms, 1)?;
        Ok(PrometheusSource {
            url,
            queries,
            start_ms,
            end_ms,
            step_ms,
            max_points: range::MAX_POINTS,
            client,
        })
    }

    /// The `query_range` endpoint.
    pub fn endpoint(&self) -> String {
        format!("{}/api/v1/query_range", self.url)
    }

    /// Runs every query over the range (in chunks) and reads the answers as one dataset.
    ///
    /// # Errors
    /// [`Error::Remote`] naming the URL and query for HTTP failures (after retries) and
    /// refusals; [`Error::Parse`] for an answer the JSON reader rejects (its location names
    /// the URL and query).
    pub fn read(&self, opts: &ReadOptions) -> Result<Dataset> {
        let client = http::Client::new(&self.client)?;
        let chunks = range::chunks(self.start_ms, self.end_ms, self.step_ms, self.max_points)?;
        let endpoint = self.endpoint();
        let step = range::seconds(self.step_ms);
        let mut set = SeriesSet::new();
        let mut report = ReadReport::default();
        let mut requests = 0;
        for q in &self.queries {
            if let Some(f) = derived(&q.expr) {
                report.note(format!(
                    "query '{}' uses {f}(): shiftwatch computes rates (with counter resets) and \
                     histogram quantiles itself; query the raw counter or _bucket series",
                    q.expr
                ));
            }
            let rows_before = report.rows;
            for (i, &(s, e)) in chunks.iter().enumerate() {
                let form = [
                    ("query", q.expr.clone()),
                    ("start", range::seconds(s)),
                    ("end", range::seconds(e)),
                    ("step", step.clone()),
                ];
                let body = client.post_form(&endpoint, &q.expr, &form)?;
                let name = if chunks.len() > 1 {
                    format!(
                        "{endpoint} query '{}' (chunk {}/{})",
                        q.expr,
                        i + 1,
                        chunks.len()
                    )
                } else {
                    format!("{endpoint} query '{}'", q.expr)
                };
                super::read_prometheus_body(
                    &body,
                    &name,
                    q.fallback_metric(),
                    opts,
                    &mut set,
                    &mut report,
                )?;
                requests += 1;
            }
            if report.rows == rows_before {
                report.note(format!("query '{}' returned no data in the range", q.expr));
            }
        }
        report.prometheus = Some(RemoteSource {
            url: self.url.clone(),
            queries: self.queries.clone(),
            start: format_rfc3339(self.start_ms),
            end: format_rfc3339(self.end_ms),
            step: step_text(self.step_ms),
            requests,
        });
        Ok(super::finish(set, report, opts))
    }
}

/// The PromQL function that turns raw counters or buckets into derived values, if `expr` calls
/// one.
fn derived(expr: &str) -> Option<&'static str> {
    let compact: String = expr.chars().filter(|c| !c.is_whitespace()).collect();
    [
        "histogram_quantile",
        "irate",
        "rate",
        "increase",
        "delta",
        "deriv",
    ]
    .into_iter()
    .find(|f| {
        compact.match_indices(&format!("{f}(")).any(|(i, _)| {
            // A whole word: `rate(` but not the tail of `irate(` or `my_rate(`.
            !compact[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// `15s`, `1m`, `1500ms`: the step as a duration.
fn step_text(ms: i64) -> String {
    match ms {
        m if m % 3_600_000 == 0 => format!("{}h", m / 3_600_000),
        m if m % 60_000 == 0 => format!("{}m", m / 60_000),
        m if m % 1000 == 0 => format!("{}s", m / 1000),
        m => format!("{m}ms"),
    }
}

/// The base URL without a trailing `/`; refuses credentials in it.
fn check_url(url: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    let Some(rest) = u
        .strip_prefix("http://")
        .or_else(|| u.strip_prefix("https://"))
    else {
        return Err(Error::invalid(
            "prometheus",
            format!("'{u}': expected a URL starting with http:// or https://"),
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(Error::invalid(
            "prometheus",
            format!(
                "the URL carries credentials (user@host); remove them and set {} and {} (or {}) \
                 instead",
                auth::USER,
                auth::PASSWORD,
                auth::PASSWORD_FILE
            ),
        ));
    }
    if authority.is_empty() {
        return Err(Error::invalid("prometheus", format!("'{u}': no host")));
    }
    Ok(u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            check_url("http://h:9090/").ok().as_deref(),
            Some("http://h:9090")
        );
        assert_eq!(
            check_url("https://h/prom").ok().as_deref(),
            Some("https://h/prom")
        );
        let e = check_url("http://bob:pw@h:9090")
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|m| !m.contains("pw") && m.contains(auth::USER)));
        assert!(check_url("h:9090").is_err() && check_url("http:///x").is_err());
        assert_eq!(step_text(15_000), "15s");
        assert_eq!(step_text(60_000), "1m");
        assert_eq!(step_text(1500), "1500ms");
        assert_eq!(derived("sum(rate(x_total[5m]))"), Some("rate"));
        assert_eq!(derived("irate (x[1m])"), Some("irate"));
        assert_eq!(
            derived("histogram_quantile(0.9, x_bucket)"),
            Some("histogram_quantile")
        );
        assert_eq!(derived("my_rate(x)"), None);
        assert_eq!(derived("http_requests_total{job=\"rate\"}"), None);
    }

    #[test]
    fn a_source_needs_a_query_and_a_range() {
        let c = ClientOptions::default();
        let e = PrometheusSource::new("http://h", vec![], 0, 1, 1, c.clone()).err();
        assert!(e.is_some_and(|e| e.to_string().contains("no query")));
        let q = vec![NamedQuery::expr("up")];
        assert!(PrometheusSource::new("http://h", q.clone(), 5, 1, 1, c.clone()).is_err());
        assert!(PrometheusSource::new("http://h", q, 0, 1, 0, c).is_err());
    }
}
