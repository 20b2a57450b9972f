//! The `shiftwatch.toml` configuration: `[[metrics]]` policy entries and `[[rules]]`
//! launch blockers. Unknown keys and bad values are errors naming the file, line and key.
//!
//! ```toml
//! [[metrics]]
//! name = "go_goroutines"          # metric name or glob
//! kind = "gauge"                  # gauge | counter | histogram
//! direction = "higher_is_worse"   # higher_is_worse | lower_is_worse | either
//! min_effect = 0.1                # minimum relative level change
//! min_trend_per_h = 0.01          # optional: minimum relative slope per hour
//! min_sd_ratio = 1.5              # optional: minimum sd ratio
//! match_labels = { code = "5.." } # optional: label regexes, full match
//!
//! [[rules]]
//! name = "5xx"
//! metric = "thunderdome_dealgood_responses_total"
//! match_labels = { code = "5.." }
//! aggregate = "sum"               # optional
//! increase_over = "5m"            # optional
//! op = ">"                        # > >= < <= ==
//! threshold = 25
//! for = "75m"                     # optional
//!
//! [[queries]]                       # live source (--prometheus URL): PromQL to run
//! name = "http_requests"            # metric name for results without __name__
//! expr = 'http_requests_total{job="api"}'
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::duration::parse_duration_ms;
use super::policy::{LabelMatch, MetricEntry};
use super::rules::{Aggregate, Op, Rule};
use crate::error::Location;
use crate::io::remote::NamedQuery;
use crate::policy::Direction;
use crate::series::Kind;
use crate::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    metrics: Vec<RawMetric>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    queries: Vec<RawQuery>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuery {
    name: Spanned<String>,
    expr: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetric {
    name: Spanned<String>,
    kind: Option<Spanned<String>>,
    direction: Option<Spanned<String>>,
    min_effect: Option<Spanned<f64>>,
    min_trend_per_h: Option<Spanned<f64>>,
    min_sd_ratio: Option<Spanned<f64>>,
    #[serde(default)]
    match_labels: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: Spanned<String>,
    metric: Spanned<String>,
    #[serde(default)]
    match_labels: BTreeMap<String, Spanned<String>>,
    aggregate: Option<Spanned<String>>,
    increase_over: Option<Spanned<String>>,
    op: Spanned<String>,
    threshold: Spanned<f64>,
    #[serde(rename = "for")]
    for_: Option<Spanned<String>>,
}

/// A parsed configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Policy entries, in file order.
    pub metrics: Vec<MetricEntry>,
    /// Launch-blocker rules, in file order.
    pub rules: Vec<Rule>,
    /// PromQL queries for a live source (`--prometheus`), in file order.
    pub queries: Vec<NamedQuery>,
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Src<'a> {
    file: &'a str,
    text: &'a str,
}

impl Src<'_> {
    fn err(&self, span: Range<usize>, key: &str, msg: impl std::fmt::Display) -> Error {
        let (line, column) = line_col(self.text, span.start);
        Error::Parse {
            location: Location {
                file: self.file.to_string(),
                line,
                column,
                json_path: None,
            },
            msg: format!("key '{key}': {msg}"),
        }
    }

    fn parse<T: std::str::FromStr<Err = Error>>(
        &self,
        v: &Spanned<String>,
        key: &str,
    ) -> Result<T> {
        v.get_ref()
            .parse()
            .map_err(|e: Error| self.err(v.span(), key, e))
    }

    fn labels(&self, raw: &BTreeMap<String, Spanned<String>>) -> Result<Vec<LabelMatch>> {
        raw.iter()
            .map(|(k, v)| {
                LabelMatch::new(k, v.get_ref())
                    .map_err(|e| self.err(v.span(), &format!("match_labels.{k}"), e))
            })
            .collect()
    }

    fn duration(&self, v: &Spanned<String>, key: &'static str) -> Result<i64> {
        parse_duration_ms(key, v.get_ref()).map_err(|e| self.err(v.span(), key, e))
    }
}

impl Config {
    /// Parses a configuration text; `file` names it in errors.
    ///
    /// # Errors
    /// [`Error::Parse`] with file, line, column and key for invalid TOML, unknown keys, and
    /// bad values (unknown direction or kind, bad regex, bad duration, non-positive margins).
    pub fn parse(text: &str, file: &str) -> Result<Config> {
        let src = Src { file, text };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            Error::Parse {
                location: Location {
                    file: file.to_string(),
                    line,
                    column,
                    json_path: None,
                },
                msg: e.message().replace('\n', " "),
            }
        })?;
        let mut config = Config::default();
        for m in &raw.metrics {
            let positive = |v: &Option<Spanned<f64>>, key: &str, min: f64| -> Result<Option<f64>> {
                match v {
                    Some(s) if !(s.get_ref().is_finite() && *s.get_ref() >= min) => {
                        Err(src.err(s.span(), key, format!("must be a number ≥ {min}")))
                    }
                    Some(s) => Ok(Some(*s.get_ref())),
                    None => Ok(None),
                }
            };
            let kind: Option<Kind> = m.kind.as_ref().map(|k| src.parse(k, "kind")).transpose()?;
            if let Some(k) = &m.kind {
                if kind == Some(Kind::Summary) || kind == Some(Kind::Unknown) {
                    return Err(src.err(k.span(), "kind", "expected gauge, counter or histogram"));
                }
            }
            config.metrics.push(MetricEntry {
                name: m.name.get_ref().clone(),
                kind,
                direction: m
                    .direction
                    .as_ref()
                    .map(|d| src.parse::<Direction>(d, "direction"))
                    .transpose()?,
                min_effect: positive(&m.min_effect, "min_effect", 0.0)?,
                min_trend_per_h: positive(&m.min_trend_per_h, "min_trend_per_h", 0.0)?,
                min_sd_ratio: positive(&m.min_sd_ratio, "min_sd_ratio", 1.0)?,
                match_labels: src.labels(&m.match_labels)?,
            });
            if m.name.get_ref().trim().is_empty() {
                return Err(src.err(m.name.span(), "name", "must not be empty"));
            }
        }
        for r in &raw.rules {
            let aggregate = match &r.aggregate {
                None => None,
                Some(a) if a.get_ref() == "sum" => Some(Aggregate::Sum),
                Some(a) => return Err(src.err(a.span(), "aggregate", "expected \"sum\"")),
            };
            let threshold = *r.threshold.get_ref();
            if !threshold.is_finite() {
                return Err(src.err(r.threshold.span(), "threshold", "must be finite"));
            }
            config.rules.push(Rule {
                name: r.name.get_ref().clone(),
                metric: r.metric.get_ref().clone(),
                match_labels: src.labels(&r.match_labels)?,
                aggregate,
                increase_over_ms: r
                    .increase_over
                    .as_ref()
                    .map(|d| src.duration(d, "increase_over"))
                    .transpose()?,
                op: src.parse::<Op>(&r.op, "op")?,
                threshold,
                for_ms: r
                    .for_
                    .as_ref()
                    .map(|d| src.duration(d, "for"))
                    .transpose()?
                    .unwrap_or(0),
            });
        }
        for q in &raw.queries {
            let name = q.name.get_ref().trim();
            if name.is_empty() {
                return Err(src.err(q.name.span(), "name", "must not be empty"));
            }
            if config
                .queries
                .iter()
                .any(|o| o.name.as_deref() == Some(name))
            {
                return Err(src.err(q.name.span(), "name", format!("'{name}' is used twice")));
            }
            if q.expr.get_ref().trim().is_empty() {
                return Err(src.err(q.expr.span(), "expr", "must not be empty"));
            }
            config.queries.push(NamedQuery {
                name: Some(name.to_string()),
                expr: q.expr.get_ref().clone(),
            });
        }
        Ok(config)
    }

    /// Reads and parses a configuration file.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read; as [`Config::parse`].
    pub fn read(path: &std::path::Path) -> Result<Config> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: name.clone(),
            source,
        })?;
        Config::parse(&text, &name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Config::parse(text, "c.toml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn parses_the_documented_example() {
        let text = "[[metrics]]\nname = \"go_goroutines\"\nkind = \"gauge\"\ndirection = \"higher_is_worse\"\n\
            min_effect = 0.1\nmin_trend_per_h = 0.01\nmin_sd_ratio = 1.5\nmatch_labels = { code = \"5..\" }\n\n\
            [[rules]]\nname = \"5xx\"\nmetric = \"thunderdome_dealgood_responses_total\"\n\
            match_labels = { code = \"5..\" }\naggregate = \"sum\"\nincrease_over = \"5m\"\nop = \">\"\n\
            threshold = 25\nfor = \"75m\"\n";
        let c = Config::parse(text, "c.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.metrics.len(), 1);
        assert_eq!(c.metrics[0].min_effect, Some(0.1));
        assert_eq!(c.rules[0].for_ms, 4_500_000);
        assert_eq!(c.rules[0].increase_over_ms, Some(300_000));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = err("[[metrics]]\nname = \"x\"\nspeed = 3\n");
        assert!(e.starts_with("c.toml:3:") && e.contains("speed"), "{e}");
        let e = err("[[metrics]]\nname = \"x\"\ndirection = \"sideways\"\n");
        assert!(e.starts_with("c.toml:3:") && e.contains("direction"), "{e}");
        let e = err("[[rules]]\nname = \"r\"\nmetric = \"m\"\nop = \"!=\"\nthreshold = 1\n");
        assert!(e.starts_with("c.toml:4:") && e.contains("'op'"), "{e}");
        let e = err(
            "[[rules]]\nname = \"r\"\nmetric = \"m\"\nop = \">\"\nthreshold = 1\nfor = \"5 min\"\n",
        );
        assert!(e.starts_with("c.toml:6:") && e.contains("'for'"), "{e}");
        let e = err("[[metrics]]\nname = \"x\"\nmatch_labels = { code = \"5(\" }\n");
        assert!(
            e.starts_with("c.toml:3:") && e.contains("match_labels.code"),
            "{e}"
        );
        let e = err("[[metrics]]\nname = \"x\"\nmin_effect = -1\n");
        assert!(e.contains("min_effect"), "{e}");
        assert!(err("[[metrics]\n").starts_with("c.toml:1:"));
    }

    #[test]
    fn queries_are_strict() {
        let c = Config::parse(
            "[[queries]]\nname = \"rps\"\nexpr = 'http_requests_total{job=\"api\"}'\n",
            "c.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.queries[0].name.as_deref(), Some("rps"));
        assert_eq!(c.queries[0].expr, "http_requests_total{job=\"api\"}");
        let e = err("[[queries]]\nname = \"a\"\nexpr = \"up\"\nstep = \"5s\"\n");
        assert!(e.starts_with("c.toml:4:") && e.contains("step"), "{e}");
        let e = err("[[queries]]\nname = \"a\"\nexpr = \" \"\n");
        assert!(e.starts_with("c.toml:3:") && e.contains("expr"), "{e}");
        let e = err(
            "[[queries]]\nname = \"a\"\nexpr = \"up\"\n[[queries]]\nname = \"a\"\nexpr = \"x\"\n",
        );
        assert!(e.starts_with("c.toml:5:") && e.contains("twice"), "{e}");
        assert!(err("[[queries]]\nexpr = \"up\"\n").contains("name"));
    }
}
