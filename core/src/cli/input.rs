//! The one input path of `detect` and `compare`: a file (or standard input) read by
//! [`crate::io`], series chosen by [`crate::series::select`]. A CSV without a time column is
//! read with its rows numbered ([`crate::io::ReadOptions::number_rows`]); the output then
//! shows indices, not times.

use std::io::Read;
use std::path::Path;

use crate::io::{read_path, read_reader, ReadOptions};
use crate::report::detect::Source;
use crate::series::select::{select, usable, Usable};
use crate::series::Dataset;
use crate::{Error, Result};

/// A file read for `detect` or `compare`.
pub(super) struct Input {
    /// The file as given (`<stdin>` for `-`).
    pub label: String,
    /// Everything read.
    pub data: Dataset,
}

impl Input {
    /// Reads `path` (`-` is standard input) in any format [`crate::io`] reads.
    ///
    /// # Errors
    /// I/O and parse errors with file:line:column.
    pub fn read(path: &Path) -> Result<Input> {
        let opts = ReadOptions {
            number_rows: true,
            ..ReadOptions::default()
        };
        if path.as_os_str() == "-" {
            let label = "<stdin>".to_string();
            let mut raw = Vec::new();
            std::io::stdin()
                .read_to_end(&mut raw)
                .map_err(|source| Error::Io {
                    path: label.clone(),
                    source,
                })?;
            let data = read_reader(raw.as_slice(), &label, &opts)?;
            return Ok(Input { label, data });
        }
        Ok(Input {
            label: path.display().to_string(),
            data: read_path(path, &opts)?,
        })
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
        Source {
            file: Some(self.label.clone()),
            columns: series.iter().map(|s| s.name.clone()).collect(),
            times,
            notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
