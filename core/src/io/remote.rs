//! What a live read asked for, as recorded in reports: the server, the queries and the range.
//! Credentials are never part of it (they come from the environment, see
//! [`crate::io::live::Auth`], and a URL with `user:password@` is refused).

use serde::{Deserialize, Serialize};

/// One PromQL query; `name` is the metric name of result series that carry no `__name__`
/// (e.g. `rate(…)`, `histogram_quantile(…)`), else the expression itself is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedQuery {
    /// Name from the config's `[[queries]]` (absent for `--query`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The PromQL expression.
    pub expr: String,
}

impl NamedQuery {
    /// A query without a name.
    pub fn expr(expr: impl Into<String>) -> Self {
        NamedQuery {
            name: None,
            expr: expr.into(),
        }
    }

    /// Metric name for result series without `__name__`: the name, else the expression.
    pub fn fallback_metric(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.expr)
    }
}

/// Where live data came from (reported under `inputs.prometheus`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemoteSource {
    /// Base URL of the server (as given, without credentials).
    pub url: String,
    /// Queries run, in order.
    pub queries: Vec<NamedQuery>,
    /// Start of the range, RFC 3339.
    pub start: String,
    /// End of the range (inclusive), RFC 3339.
    pub end: String,
    /// Resolution step, e.g. `15s`.
    pub step: String,
    /// HTTP requests that returned data (one per query and range chunk).
    pub requests: usize,
}
