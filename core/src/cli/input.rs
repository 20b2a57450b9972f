//! The one input path of the commands: files (or standard input) read by [`crate::io`], or a
//! live Prometheus server ([`LiveArgs`], the same flags for `analyze`, `detect` and `inspect`),
//! series chosen by [`crate::series::select`]. A CSV without a time column is read with its
//! rows numbered ([`crate::io::ReadOptions::number_rows`]); the output then shows indices, not
//! times.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::io::live::LiveSpec;
use crate::io::remote::NamedQuery;
use crate::io::{read_paths, Inputs, ReadOptions};
use crate::report::detect::Source;
use crate::series::select::{select, usable, Usable};
use crate::series::Dataset;
use crate::{Error, Result};

/// Where the data comes from instead of files: a Prometheus server's `query_range` API.
/// Credentials come from the environment only (see the README, "Reading from Prometheus").
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LiveArgs {
    /// Query this Prometheus server (http(s)://host:9090) instead of reading files. Credentials:
    /// SHIFTWATCH_PROMETHEUS_TOKEN[_FILE], or SHIFTWATCH_PROMETHEUS_USER and
    /// SHIFTWATCH_PROMETHEUS_PASSWORD[_FILE].
    #[arg(long, value_name = "URL", help_heading = "Live source")]
    pub prometheus: Option<String>,
    /// PromQL to run (repeatable). Raw series: counters as counters (not rate()), histograms
    /// by their _bucket series.
    #[arg(
        long = "query",
        value_name = "PROMQL",
        requires = "prometheus",
        help_heading = "Live source"
    )]
    pub queries: Vec<String>,
    /// Range start: now-2h, RFC 3339 or epoch.
    #[arg(
        long,
        value_name = "TIME",
        requires = "prometheus",
        help_heading = "Live source"
    )]
    pub start: Option<String>,
    /// Range end, inclusive [default: now].
    #[arg(
        long,
        value_name = "TIME",
        requires = "prometheus",
        help_heading = "Live source"
    )]
    pub end: Option<String>,
    /// CA certificates (PEM) to trust for https [default: $SHIFTWATCH_PROMETHEUS_CA_FILE, else
    /// the Mozilla roots].
    #[arg(
        long,
        value_name = "FILE",
        requires = "prometheus",
        help_heading = "Live source"
    )]
    pub ca_file: Option<PathBuf>,
    /// Timeout of each HTTP request [default: 60s].
    #[arg(
        long,
        value_name = "DUR",
        requires = "prometheus",
        help_heading = "Live source"
    )]
    pub timeout: Option<String>,
    /// Retries of a request that got no answer, 429 or 5xx (exponential backoff from 0.5 s,
    /// Retry-After respected) [default: 4].
    #[arg(
        long,
        value_name = "N",
        requires = "prometheus",
        help_heading = "Live source"
    )]
    pub retries: Option<u32>,
}

impl LiveArgs {
    /// Reads the live source when `--prometheus` is given (`step`: the resolution;
    /// `named`: the config's `[[queries]]`), else `None`.
    ///
    /// # Errors
    /// A missing `--start`, bad option values, HTTP and parse errors naming the URL and query.
    pub fn read(
        &self,
        step: Option<&str>,
        named: &[NamedQuery],
        opts: &ReadOptions,
    ) -> Result<Option<Dataset>> {
        let Some(url) = &self.prometheus else {
            return Ok(None);
        };
        let Some(start) = &self.start else {
            return Err(Error::invalid(
                "start",
                "--prometheus needs --start (e.g. --start now-2h)",
            ));
        };
        let spec = LiveSpec {
            url: url.clone(),
            queries: self.queries.clone(),
            named: named.to_vec(),
            start: start.clone(),
            end: self.end.clone().unwrap_or_else(|| "now".into()),
            step: step.map(str::to_string),
            ca_file: self.ca_file.clone(),
            timeout: self.timeout.clone(),
            retries: self.retries,
        };
        spec.source()?.read(opts).map(Some)
    }

    /// The live source if `--prometheus` is given, else `files` read with `opts`.
    ///
    /// # Errors
    /// As [`LiveArgs::read`] and [`read_paths`].
    pub fn read_or_files(
        &self,
        files: &[PathBuf],
        step: Option<&str>,
        named: &[NamedQuery],
        opts: &ReadOptions,
    ) -> Result<Dataset> {
        match self.read(step, named, opts)? {
            Some(d) => Ok(d),
            None => read_paths(files, opts),
        }
    }
}

/// A file read for `detect` or `compare`.
pub(super) struct Input {
    /// The file as given (`<stdin>` for `-`).
    pub label: String,
    /// Every series read; only the wanted ones ([`Input::read`]) hold their points.
    pub data: Dataset,
}

/// A series a command wants: its name (`None`: the only series) and the option that named it.
pub(super) type Want<'a> = (Option<&'a str>, &'static str);

impl Input {
    /// Reads `path` (`-` is standard input) in any format [`crate::io`] reads, keeping the
    /// points of the `wanted` series only ([`Inputs::read_selected`]: identities first, then
    /// the chosen series' points), so memory grows with the series chosen, not the file.
    ///
    /// # Errors
    /// I/O and parse errors with file:line:column; no or several series matching a name.
    pub fn read(path: &Path, wanted: &[Want<'_>]) -> Result<Input> {
        let opts = ReadOptions {
            number_rows: true,
            ..ReadOptions::default()
        };
        let (stdin, owned);
        let (label, inputs) = if path.as_os_str() == "-" {
            let label = "<stdin>".to_string();
            let mut raw = Vec::new();
            std::io::stdin()
                .read_to_end(&mut raw)
                .map_err(|source| Error::Io {
                    path: label.clone(),
                    source,
                })?;
            stdin = (raw, label.clone());
            (
                label,
                Inputs::Bytes {
                    data: &stdin.0,
                    name: &stdin.1,
                },
            )
        } else {
            owned = [path.to_path_buf()];
            (path.display().to_string(), Inputs::Paths(&owned))
        };
        let data = inputs.read_selected(&opts, |d| {
            wanted
                .iter()
                .map(|&(want, flag)| {
                    let s = select(&d.series, want, &label, flag)?;
                    Ok(d.series
                        .iter()
                        .position(|o| std::ptr::eq(o, s))
                        .unwrap_or(0))
                })
                .collect()
        })?;
        Ok(Input { label, data })
    }

    /// Reads `path` or, with `--prometheus`, the live source; see [`Input::read`].
    ///
    /// # Errors
    /// As [`Input::read`] and [`LiveArgs::read`].
    pub fn open(
        path: Option<&Path>,
        live: &LiveArgs,
        step: Option<&str>,
        wanted: &[Want<'_>],
    ) -> Result<Input> {
        let opts = ReadOptions {
            number_rows: true,
            ..ReadOptions::default()
        };
        if let Some(data) = live.read(step, &[], &opts)? {
            return Ok(Input {
                label: live.prometheus.clone().unwrap_or_default(),
                data,
            });
        }
        match path {
            Some(p) => Input::read(p, wanted),
            None => Err(Error::invalid("file", "give a file or --prometheus URL")),
        }
    }

    /// The series named `want` (or the only one), as an analysis uses it; `flag` names the
    /// option in errors.
    ///
    /// # Errors
    /// No or several matching series (the message lists what the file holds).
    pub fn series(&self, want: Option<&str>, flag: &'static str) -> Result<Usable> {
        let all = &self.data.series;
        let s = select(all, want, &self.label, flag)?;
        usable(s, all, self.data.report.row_numbers)
    }

    /// The report's description of the analysed `series` whose values sit at `timestamps_ms`.
    pub fn source(&self, series: &[&Usable], timestamps_ms: &[i64], notes: Vec<String>) -> Source {
        let times = (!self.data.report.row_numbers).then(|| {
            timestamps_ms
                .iter()
                .map(|&t| crate::series::time::format_rfc3339(t))
                .collect()
        });
        // Without a time column the timestamps are the rows' numbers.
        let rows = self.data.report.row_numbers.then(|| {
            timestamps_ms
                .iter()
                .map(|&t| usize::try_from(t).unwrap_or(0))
                .collect()
        });
        Source {
            file: Some(self.label.clone()),
            columns: series.iter().map(|s| s.name.clone()).collect(),
            times,
            notes,
            rows,
            skipped: match series {
                [one] => one.missing(),
                _ => 0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_reader;

    fn read(text: &str) -> Input {
        let opts = ReadOptions {
            number_rows: true,
            ..ReadOptions::default()
        };
        Input {
            label: "t.csv".into(),
            data: read_reader(text.as_bytes(), "t.csv", &opts).unwrap_or_else(|e| panic!("{e}")),
        }
    }

    #[test]
    fn a_plain_column_without_times_is_numbered() {
        let input = read("value\n1\n2\n\n3\n");
        let s = input
            .series(None, "--column")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.values, vec![1.0, 2.0, 3.0]);
        assert!(s.row_numbers && s.time_at(0).is_none());
        let src = input.source(&[&s], &s.timestamps_ms, s.notes());
        assert!(src.times.is_none());
        assert!(input.data.report.notes[0].contains("no time column"));
    }

    #[test]
    fn tidy_series_by_metric_with_times_and_skips_counted() {
        let input = read(
            "timestamp,metric,target,role,release,value\n\
             2024-01-01T00:00:00Z,mem,a,baseline,v1,1\n\
             2024-01-01T00:01:00Z,mem,a,baseline,v1,NaN\n\
             2024-01-01T00:02:00Z,mem,a,baseline,v1,3\n\
             2024-01-01T00:00:00Z,cpu,a,baseline,v1,0.5\n",
        );
        let s = input
            .series(Some("mem"), "--column")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.values, vec![1.0, 3.0]);
        assert_eq!(s.time_at(1).as_deref(), Some("2024-01-01T00:02:00Z"));
        assert!(
            s.notes()[0].starts_with("1 non-finite value "),
            "{:?}",
            s.notes()
        );
        assert!(s.name.starts_with("mem"), "{}", s.name);
        let msg = input.series(None, "--column").err().map(|e| e.to_string());
        assert!(msg.is_some_and(|m| m.contains("holds 2 series") && m.contains("cpu")));
    }
}
