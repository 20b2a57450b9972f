//! The series `shiftwatch detect` analyses: a plain or Grafana CSV column, or one series of a
//! tidy CSV, Prometheus JSON or OpenMetrics file (read by [`crate::io`]).

use std::io::{Cursor, Read};
use std::path::Path;

use crate::io::{detect_format, read_reader, Format, ReadOptions};
use crate::series::counter::rates;
use crate::series::time::format_rfc3339;
use crate::series::{Kind, RawSeries};
use crate::Error;

/// One series to segment, with its time stamps when the input has them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InputSeries {
    /// Column name or series key (`metric{target="…"}`).
    pub name: String,
    /// Values, all finite.
    pub values: Vec<f64>,
    /// Time of each value as written (CSV) or as RFC 3339 (series formats).
    pub times: Option<Vec<String>>,
    /// What was done to the series on the way (counter → rate, points skipped), for the user.
    pub notes: Vec<String>,
}

/// The text of `path` (`-` is standard input) with the label errors use for it.
///
/// # Errors
/// [`Error::Io`] when the file (or standard input) cannot be read as UTF-8 text.
pub(crate) fn read_text(path: &Path) -> Result<(String, String), Error> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|source| Error::Io {
                path: "<stdin>".to_string(),
                source,
            })?;
        return Ok(("<stdin>".to_string(), s));
    }
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: label.clone(),
        source,
    })?;
    Ok((label, text))
}

/// Reads the series `want` from `text` (named `file` in errors). Plain and Grafana CSV files
/// are read as columns (`want` is a header name or a 1-based number); tidy CSV, Prometheus
/// JSON and OpenMetrics text are read as series (`want` is a series key, a metric name or a
/// target, required when the file holds more than one series). Counters become per-second rates.
/// Non-finite points of a series are skipped and counted in `notes`; in a CSV column they
/// are an error with file:line:column.
pub(crate) fn read_series(
    file: &str,
    text: &str,
    want: Option<&str>,
) -> Result<InputSeries, Error> {
    match detect_format(text.as_bytes()) {
        Format::Tidy | Format::Prometheus | Format::OpenMetrics => from_dataset(file, text, want),
        _ => super::detect::read_column(file, text, want).map(|c| InputSeries {
            name: c.name,
            values: c.values,
            times: c.times,
            notes: Vec::new(),
        }),
    }
}

fn from_dataset(file: &str, text: &str, want: Option<&str>) -> Result<InputSeries, Error> {
    let data = read_reader(Cursor::new(text.as_bytes()), file, &ReadOptions::default())?;
    let series = select(file, &data.series, want)?;
    let name = series.key.to_string();
    let mut notes = Vec::new();
    let (times_ms, values) = if series.kind == Kind::Counter {
        let r = rates(&series.timestamps_ms, &series.values)?;
        notes.push(format!(
            "counter: per-second rates over {} intervals ({} reset{}, {} invalid point{} skipped)",
            r.values.len(),
            r.resets.len(),
            plural(r.resets.len()),
            r.invalid_skipped,
            plural(r.invalid_skipped),
        ));
        (r.timestamps_ms, r.values)
    } else {
        let mut t = Vec::with_capacity(series.values.len());
        let mut v = Vec::with_capacity(series.values.len());
        for (&ms, &x) in series.timestamps_ms.iter().zip(&series.values) {
            if x.is_finite() {
                t.push(ms);
                v.push(x);
            }
        }
        let skipped = series.values.len() - v.len();
        if skipped > 0 {
            notes.push(format!(
                "{skipped} non-finite value{} (NaN, ±Inf) skipped",
                plural(skipped)
            ));
        }
        (t, v)
    };
    let r = &series.report;
    if r.duplicates > 0 || r.unsorted > 0 {
        notes.push(format!(
            "{} duplicate and {} out-of-order timestamp{} repaired while reading",
            r.duplicates,
            r.unsorted,
            plural(r.unsorted)
        ));
    }
    Ok(InputSeries {
        name,
        values,
        times: Some(times_ms.into_iter().map(format_rfc3339).collect()),
        notes,
    })
}

/// The series named `want` (its full key, or its metric name or target when that picks one
/// series), or the only one.
fn select<'a>(
    file: &str,
    all: &'a [RawSeries],
    want: Option<&str>,
) -> Result<&'a RawSeries, Error> {
    let listing = || {
        let mut names: Vec<String> = all.iter().take(10).map(|s| s.key.to_string()).collect();
        if all.len() > 10 {
            names.push(format!("… ({} in all)", all.len()));
        }
        names.join(", ")
    };
    let Some(w) = want else {
        return match all {
            [one] => Ok(one),
            [] => Err(Error::invalid("input", format!("{file}: no series found"))),
            _ => Err(Error::invalid(
                "--column",
                format!(
                    "{file} holds {} series; choose one with --column (a metric name, a target or a \
                     series key): {}",
                    all.len(),
                    listing()
                ),
            )),
        };
    };
    if let Some(s) = all.iter().find(|s| s.key.to_string() == w) {
        return Ok(s);
    }
    let mut matches: Vec<&RawSeries> = all.iter().filter(|s| s.key.metric == w).collect();
    if matches.is_empty() {
        matches = all.iter().filter(|s| s.key.target == w).collect();
    }
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::invalid(
            "--column",
            format!("{file}: no series '{w}'; found: {}", listing()),
        )),
        many => Err(Error::invalid(
            "--column",
            format!(
                "{file}: {} series match '{w}'; name one by its key: {}",
                many.len(),
                many.iter()
                    .take(10)
                    .map(|s| s.key.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIDY: &str = "timestamp,metric,target,role,release,value\n\
        2024-01-01T00:00:00Z,mem,a,baseline,v1,1\n\
        2024-01-01T00:01:00Z,mem,a,baseline,v1,NaN\n\
        2024-01-01T00:02:00Z,mem,a,baseline,v1,3\n\
        2024-01-01T00:00:00Z,cpu,a,baseline,v1,0.5\n";

    #[test]
    fn tidy_series_by_metric_with_times_and_skips_counted() {
        let s = read_series("t.csv", TIDY, Some("mem")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.values, vec![1.0, 3.0]);
        assert_eq!(
            s.times.as_deref(),
            Some(
                &[
                    "2024-01-01T00:00:00Z".to_string(),
                    "2024-01-01T00:02:00Z".to_string()
                ][..]
            )
        );
        assert!(
            s.notes.iter().any(|n| n.starts_with("1 non-finite value ")),
            "{:?}",
            s.notes
        );
        assert!(s.name.starts_with("mem"), "{}", s.name);
    }

    #[test]
    fn several_series_need_a_choice_and_unknown_names_list_what_exists() {
        let msg = read_series("t.csv", TIDY, None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.contains("holds 2 series") && msg.contains("cpu"),
            "{msg}"
        );
        let msg = read_series("t.csv", TIDY, Some("disk"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.contains("no series 'disk'") && msg.contains("mem"),
            "{msg}"
        );
    }

    #[test]
    fn a_target_picks_one_series() {
        let text = TIDY.replace("cpu,a,", "mem,b,");
        let msg = read_series("t.csv", &text, Some("mem"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("2 series match 'mem'"), "{msg}");
        let s = read_series("t.csv", &text, Some("b")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.values, vec![0.5]);
    }

    #[test]
    fn plain_csv_is_read_as_a_column() {
        let s = read_series("p.csv", "value\n1\n2\n3\n", None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.values, vec![1.0, 2.0, 3.0]);
        assert!(s.times.is_none() && s.notes.is_empty());
    }

    #[test]
    fn openmetrics_counter_becomes_a_rate() {
        let text = "# TYPE req counter\nreq_total 10 1\nreq_total 20 2\nreq_total 40 3\n# EOF\n";
        let s = read_series("m.txt", text, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.values, vec![10.0, 20.0]);
        assert!(
            s.notes[0].starts_with("counter: per-second rates"),
            "{:?}",
            s.notes
        );
    }
}
