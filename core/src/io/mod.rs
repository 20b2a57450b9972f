//! Readers for the formats release engineers export: tidy CSV, Grafana CSV, Prometheus
//! `query_range` JSON and OpenMetrics text. Every error carries file, line and column (or a JSON
//! path and line/column).
//!
//! Entry points: [`read_paths`], [`read_path`], [`read_reader`]. The format is detected from the
//! content ([`detect_format`]) unless [`ReadOptions::format`] says otherwise:
//!
//! | first meaningful content | format |
//! |---|---|
//! | `{` | Prometheus `query_range`/`query` JSON |
//! | a `#` comment (`# TYPE`, `# HELP`…), or `name{…} value ts` lines | OpenMetrics / Prometheus text |
//! | a CSV header with `timestamp`, `metric` and `value` columns | tidy CSV |
//! | any other CSV (a `Time` column) | Grafana CSV |
//!
//! Encoding: UTF-8 (a BOM is skipped) or UTF-16LE with BOM (Excel/Grafana "Download CSV for
//! Excel"; TAB-delimited). UTF-16 input is decoded in memory; everything else streams with
//! bounded extra memory (one record at a time).
//!
//! Malformed rows are errors by default; with [`ReadOptions::lenient`] a row-level problem
//! (bad timestamp, bad value, wrong field count) is skipped and listed in
//! [`crate::series::ReadReport`] instead. Structural problems (unterminated quote, bad header,
//! invalid JSON) are always errors. Blank lines are ignored and counted.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;
use std::str::FromStr;

use crate::series::time::FixedOffset;
use crate::series::{Dataset, Kind, ReadReport, Retain, SeriesSet};
use crate::{Error, Result};

pub mod csv;
mod grafana;
pub mod inspect;
pub mod labels;
#[cfg(feature = "prometheus")]
pub mod live;
mod openmetrics;
mod prometheus;
pub mod remote;
mod tidy;
mod value;

/// Input format, chosen by name (`--input-format`) or detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Detect from the content ([`detect_format`]).
    #[default]
    Auto,
    /// `timestamp,metric,target,role,release,value,labels[,kind,unit]`.
    Tidy,
    /// Grafana "Download CSV": wide, per-series, series-as-rows or table/long form.
    Grafana,
    /// Prometheus HTTP API JSON (`matrix` or `vector`).
    Prometheus,
    /// OpenMetrics or Prometheus text exposition with timestamps.
    OpenMetrics,
}

impl Format {
    /// The spelling accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Tidy => "tidy",
            Format::Grafana => "grafana",
            Format::Prometheus => "prometheus",
            Format::OpenMetrics => "openmetrics",
        }
    }
}

impl FromStr for Format {
    type Err = Error;

    /// `auto`, `tidy`, `grafana`, `prometheus`, `openmetrics` (case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "tidy" => Ok(Format::Tidy),
            "grafana" => Ok(Format::Grafana),
            "prometheus" | "prometheus-json" => Ok(Format::Prometheus),
            "openmetrics" | "prometheus-text" => Ok(Format::OpenMetrics),
            _ => Err(Error::UnknownName {
                kind: "input format",
                value: s.to_string(),
                expected: "auto, tidy, grafana, prometheus, openmetrics",
            }),
        }
    }
}

/// How to read input files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Format, or [`Format::Auto`].
    pub format: Format,
    /// Offset for date-times without one (Grafana "formatted" exports, NAB CSVs). Without it
    /// such timestamps are an error that explains how to export raw data.
    pub timezone: Option<FixedOffset>,
    /// Metric name when the data does not name one (else the file stem is used).
    pub metric: Option<String>,
    /// Label whose value is the series' target (default `target`).
    pub target_label: String,
    /// Skip malformed rows (listed in the report) instead of failing.
    pub lenient: bool,
    /// Kinds declared by configuration, by metric or family name (`http_requests` → counter
    /// also covers `http_requests_total`; a histogram family covers `_bucket`, `_sum`,
    /// `_count`). Applied to series the file left [`Kind::Unknown`]; the file's `# TYPE` or
    /// `kind` column wins.
    pub kinds: BTreeMap<String, Kind>,
    /// A CSV without a time column is read as Grafana wide form with its rows numbered 0, 1,
    /// 2… in place of timestamps (a plain `value` column, standard input), and
    /// [`crate::series::ReadReport::row_numbers`] is set; without it such a file is an error.
    /// For commands that analyse one series in order (`detect`, `compare`); off by default.
    pub number_rows: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: Format::Auto,
            timezone: None,
            metric: None,
            target_label: "target".to_string(),
            lenient: false,
            kinds: BTreeMap::new(),
            number_rows: false,
        }
    }
}

/// Shared state while reading: options, the growing series set and report.
pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    pub default_metric: &'a str,
    pub opts: &'a ReadOptions,
    pub set: &'a mut SeriesSet,
    pub report: &'a mut ReadReport,
}

impl Ctx<'_> {
    /// In lenient mode records `err` as a skipped row and returns `Ok`; else returns `Err(err)`.
    pub fn skip_or_fail(&mut self, err: Error) -> Result<()> {
        if !self.opts.lenient {
            return Err(err);
        }
        match err {
            Error::Parse { location, msg } => {
                self.report.skip(location.to_string(), msg);
                Ok(())
            }
            other => Err(other),
        }
    }
}

/// Reads and merges several files (series with the same key are merged).
///
/// # Errors
/// [`Error::Io`] when a file cannot be read, [`Error::Parse`] with file:line:column for bad
/// content (see the module docs for what is skipped instead).
pub fn read_paths<P: AsRef<Path>>(paths: &[P], opts: &ReadOptions) -> Result<Dataset> {
    let mut set = SeriesSet::new();
    let mut report = ReadReport::default();
    for p in paths {
        read_file(p.as_ref(), opts, &mut set, &mut report)?;
    }
    Ok(finish(set, report, opts))
}

/// Reads one file.
///
/// # Errors
/// As [`read_paths`].
pub fn read_path(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<Dataset> {
    read_paths(&[path], opts)
}

/// Reads from any reader; `name` names it in errors and its stem is the fallback metric name.
///
/// # Errors
/// As [`read_paths`].
pub fn read_reader<R: Read>(reader: R, name: &str, opts: &ReadOptions) -> Result<Dataset> {
    let mut set = SeriesSet::new();
    let mut report = ReadReport::default();
    read_into(reader, name, &stem_of(name), opts, &mut set, &mut report)?;
    Ok(finish(set, report, opts))
}

fn stem_of(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Input that can be read more than once: files, or bytes already in memory (standard input).
/// Reading twice is how a command keeps only what it needs: first the series' identities,
/// then the points of the series it chose ([`Inputs::read_selected`]), or summaries and then
/// the few series that arrived out of order ([`inspect::inspect`]).
#[derive(Debug, Clone, Copy)]
pub enum Inputs<'a> {
    /// Files, read in order and merged.
    Paths(&'a [std::path::PathBuf]),
    /// Bytes in memory, named `name` in errors (its stem is the fallback metric name).
    Bytes {
        /// The content.
        data: &'a [u8],
        /// Its name (`<stdin>`).
        name: &'a str,
    },
}

impl<'a> Inputs<'a> {
    /// Reads everything, every point kept.
    ///
    /// # Errors
    /// As [`read_paths`].
    pub fn read(self, opts: &ReadOptions) -> Result<Dataset> {
        let (set, report) = self.read_set(opts, Retain::Points)?;
        Ok(finish(set, report, opts))
    }

    /// Reads the input twice: first every series without its points, from which `choose`
    /// returns the indexes of the series wanted; then only their points. The dataset holds
    /// every series (so names and listings work as usual), the others without points. Memory
    /// grows with the number of series and the points of the chosen ones only.
    ///
    /// # Errors
    /// As [`read_paths`], and whatever `choose` returns.
    pub fn read_selected(
        self,
        opts: &ReadOptions,
        choose: impl FnOnce(&Dataset) -> Result<Vec<usize>>,
    ) -> Result<Dataset> {
        let (set, report) = self.read_set(opts, Retain::Only(Vec::new()))?;
        let skeleton = finish(set, report, opts);
        let chosen = choose(&skeleton)?;
        let mut keep = vec![false; skeleton.series.len()];
        for i in chosen {
            if let Some(k) = keep.get_mut(i) {
                *k = true;
            }
        }
        drop(skeleton);
        let (set, report) = self.read_set(opts, Retain::Only(keep))?;
        Ok(finish(set, report, opts))
    }

    pub(crate) fn read_set(
        self,
        opts: &ReadOptions,
        retain: Retain,
    ) -> Result<(SeriesSet, ReadReport)> {
        let mut set = SeriesSet::with_retain(retain);
        let mut report = ReadReport::default();
        match self {
            Inputs::Paths(paths) => {
                for path in paths {
                    read_file(path, opts, &mut set, &mut report)?;
                }
            }
            Inputs::Bytes { data, name } => {
                read_into(data, name, &stem_of(name), opts, &mut set, &mut report)?;
            }
        }
        Ok((set, report))
    }
}

fn read_file(
    path: &Path,
    opts: &ReadOptions,
    set: &mut SeriesSet,
    report: &mut ReadReport,
) -> Result<()> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_into(file, &name, &stem, opts, set, report)
}

/// Reads one Prometheus API answer (a live source's `body`) into `set` with the file reader's
/// parser; `name` names it in errors (not listed as a file), `stem` is the fallback metric.
#[cfg(feature = "prometheus")]
pub(crate) fn read_prometheus_body(
    body: &[u8],
    name: &str,
    stem: &str,
    opts: &ReadOptions,
    set: &mut SeriesSet,
    report: &mut ReadReport,
) -> Result<()> {
    set.new_file();
    let opts = ReadOptions {
        format: Format::Prometheus,
        ..opts.clone()
    };
    dispatch(body, name, stem, &opts, set, report)
}

fn finish(set: SeriesSet, mut report: ReadReport, opts: &ReadOptions) -> Dataset {
    let mut series = set.finish();
    if !opts.kinds.is_empty() {
        for s in &mut series {
            s.kind = configured_kind(&s.key.metric, s.kind, &opts.kinds);
        }
        note_unused_kinds(
            series.iter().map(|s| s.key.metric.as_str()),
            &opts.kinds,
            &mut report,
        );
    }
    Dataset { series, report }
}

/// The kind of a series of `metric` that the file declared as `kind`: a kind the file left
/// [`Kind::Unknown`] is taken from the configured `kinds` (by metric or family name).
pub(crate) fn configured_kind(metric: &str, kind: Kind, kinds: &BTreeMap<String, Kind>) -> Kind {
    if kind != Kind::Unknown || kinds.is_empty() {
        return kind;
    }
    match openmetrics::family_kind(metric, |n| kinds.get(n).copied()) {
        (k, false) => k,
        (_, true) => kind,
    }
}

/// Notes every configured kind that matched none of `metrics`.
pub(crate) fn note_unused_kinds<'m>(
    metrics: impl Iterator<Item = &'m str> + Clone,
    kinds: &BTreeMap<String, Kind>,
    report: &mut ReadReport,
) {
    for name in kinds.keys() {
        let used = metrics.clone().any(|m| {
            m == name
                || m.strip_prefix(name.as_str())
                    .is_some_and(|rest| matches!(rest, "_total" | "_bucket" | "_sum" | "_count"))
        });
        if !used {
            report.note(format!("configured kind for '{name}' matched no series"));
        }
    }
}

fn io_err(name: &str, source: std::io::Error) -> Error {
    Error::Io {
        path: name.to_string(),
        source,
    }
}

fn read_into<R: Read>(
    reader: R,
    name: &str,
    stem: &str,
    opts: &ReadOptions,
    set: &mut SeriesSet,
    report: &mut ReadReport,
) -> Result<()> {
    report.files.push(name.to_string());
    set.new_file();
    let mut br = BufReader::with_capacity(1 << 16, reader);
    let head = br.fill_buf().map_err(|e| io_err(name, e))?;
    if head.starts_with(&[0xFF, 0xFE]) {
        let mut raw = Vec::new();
        br.read_to_end(&mut raw).map_err(|e| io_err(name, e))?;
        let units: Vec<u16> = raw[2..]
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        let text = String::from_utf16(&units).map_err(|_| {
            // Locate the first unpaired surrogate: line and column in characters.
            let (mut line, mut col) = (1, 1);
            for r in char::decode_utf16(units.iter().copied()) {
                match r {
                    Ok('\n') => (line, col) = (line + 1, 1),
                    Ok(_) => col += 1,
                    Err(e) => {
                        return csv::located(
                            name,
                            line,
                            col,
                            format!(
                                "invalid UTF-16LE text: unpaired surrogate 0x{:04X} (expected \
                                 UTF-16LE text after the byte-order mark)",
                                e.unpaired_surrogate()
                            ),
                        );
                    }
                }
            }
            csv::located(name, line, col, "invalid UTF-16LE text")
        })?;
        return dispatch(
            Cursor::new(text.into_bytes()),
            name,
            stem,
            opts,
            set,
            report,
        );
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Err(csv::located(
            name,
            1,
            1,
            "UTF-16 big-endian input is not supported; save as UTF-8 or UTF-16LE",
        ));
    }
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        br.consume(3);
    }
    dispatch(br, name, stem, opts, set, report)
}

fn dispatch<R: BufRead>(
    mut br: R,
    name: &str,
    stem: &str,
    opts: &ReadOptions,
    set: &mut SeriesSet,
    report: &mut ReadReport,
) -> Result<()> {
    let format = match opts.format {
        Format::Auto => {
            let head = br.fill_buf().map_err(|e| io_err(name, e))?;
            detect_format(head)
        }
        f => f,
    };
    let default_metric = opts.metric.clone().unwrap_or_else(|| stem.to_string());
    let mut ctx = Ctx {
        file: name,
        default_metric: &default_metric,
        opts,
        set,
        report,
    };
    match format {
        Format::Tidy | Format::Grafana | Format::Auto => {
            let (delim, first_line) = csv_dialect(&mut br, name)?;
            let reader = csv::CsvReader::new(br, name, delim, first_line);
            if format == Format::Tidy {
                tidy::read(reader, &mut ctx)
            } else {
                let mut reader = reader;
                let Some(header) = reader.next_record()? else {
                    return Err(csv::located(
                        name,
                        first_line,
                        1,
                        "empty file: expected a header",
                    ));
                };
                let header = csv::Header::from_record(&header);
                if format == Format::Auto && tidy::is_tidy_header(&header.fields) {
                    tidy::read_with_header(reader, &header, &mut ctx)
                } else {
                    grafana::read_with_header(reader, &header, &mut ctx)
                }
            }
        }
        Format::Prometheus => prometheus::read(br, &mut ctx),
        Format::OpenMetrics => openmetrics::read(br, &mut ctx),
    }
}

/// Consumes a `sep=X` first line if present and picks the delimiter: the one given by `sep=`,
/// else the most frequent of `,` `;` TAB (outside quotes) in the first line (`,` on ties).
fn csv_dialect<R: BufRead>(br: &mut R, name: &str) -> Result<(u8, usize)> {
    let head = br.fill_buf().map_err(|e| io_err(name, e))?;
    let first_end = head.iter().position(|&c| c == b'\n').unwrap_or(head.len());
    let first = &head[..first_end];
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    if first.len() == 5 && first.starts_with(b"sep=") {
        let d = first[4];
        let consumed = (first_end + 1).min(head.len());
        br.consume(consumed);
        return Ok((d, 2));
    }
    Ok((sniff_delimiter(first), 1))
}

fn sniff_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &c in line {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Detects the format from the first bytes of a file (after any BOM); see the module docs.
/// Never [`Format::Auto`].
pub fn detect_format(head: &[u8]) -> Format {
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let trimmed = head
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .map_or(&head[..0], |i| &head[i..]);
    if trimmed.first() == Some(&b'{') {
        return Format::Prometheus;
    }
    let first_end = trimmed
        .iter()
        .position(|&c| c == b'\n')
        .unwrap_or(trimmed.len());
    let mut first = &trimmed[..first_end];
    if first.starts_with(b"sep=") {
        let rest = trimmed.get(first_end + 1..).unwrap_or(&[]);
        let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
        first = &rest[..end];
    }
    if first.starts_with(b"#") {
        // `# TYPE`, `# HELP`, `# UNIT`, `# EOF` or another comment: CSV has no comment syntax.
        return Format::OpenMetrics;
    }
    let n = labels::name_len(first);
    if n > 0 && matches!(first.get(n), Some(b'{') | Some(b' ')) {
        // `name{` or `name value`: exposition text, unless it is a delimited header.
        let rest = &first[n..];
        let delimited =
            first.get(n) == Some(&b' ') && rest.iter().any(|c| matches!(c, b',' | b';' | b'\t'));
        if first.get(n) == Some(&b'{') || !delimited {
            return Format::OpenMetrics;
        }
    }
    let line = std::str::from_utf8(first).unwrap_or("");
    let fields: Vec<String> = line
        .trim_end_matches('\r')
        .split(char::from(sniff_delimiter(first)))
        .map(|f| f.trim().trim_matches('"').to_string())
        .collect();
    if tidy::is_tidy_header(&fields) {
        Format::Tidy
    } else {
        Format::Grafana
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(
            detect_format(b"  {\"status\":\"success\"}"),
            Format::Prometheus
        );
        assert_eq!(
            detect_format(b"# TYPE x counter\nx 1 2"),
            Format::OpenMetrics
        );
        assert_eq!(
            detect_format(b"up{job=\"a\"} 1 1700000000"),
            Format::OpenMetrics
        );
        assert_eq!(detect_format(b"up 1 1700000000\n"), Format::OpenMetrics);
        assert_eq!(
            detect_format(b"timestamp,metric,target,role,release,value,labels\n"),
            Format::Tidy
        );
        assert_eq!(
            detect_format(b"\xEF\xBB\xBF\"Time\",\"a\"\r\n"),
            Format::Grafana
        );
        assert_eq!(detect_format(b"timestamp,value\n"), Format::Grafana);
        assert_eq!(detect_format(b"sep=;\nTime;a\n"), Format::Grafana);
        assert_eq!(detect_format(b""), Format::Grafana);
        assert_eq!(
            "OpenMetrics".parse::<Format>().ok(),
            Some(Format::OpenMetrics)
        );
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn a_csv_without_time_column_needs_number_rows() {
        let text = "index,value\n0,5\n\n1,\n2,7\n";
        let err = read_reader(text.as_bytes(), "p.csv", &ReadOptions::default()).err();
        assert!(err.is_some_and(|e| e.to_string().contains("no time column")));
        let opts = ReadOptions {
            number_rows: true,
            ..ReadOptions::default()
        };
        let d = read_reader(text.as_bytes(), "p.csv", &opts).unwrap_or_else(|e| panic!("{e}"));
        assert!(d.report.row_numbers && d.report.notes[0].contains("no time column"));
        // Wide form even with a `value` column: `index` is a series, not a label.
        let targets: Vec<&str> = d.series.iter().map(|s| s.key.target.as_str()).collect();
        assert_eq!(targets, ["index", "value"]);
        let v = &d.series[1];
        assert_eq!(v.timestamps_ms, vec![0, 2]);
        assert_eq!(v.values, vec![5.0, 7.0]);
        assert_eq!((v.report.missing, d.report.blank_lines), (1, 1));
        let json = serde_json::to_value(&d.report).unwrap_or_default();
        assert_eq!(json["row_numbers"], true);
        let timed =
            read_reader(&b"time,v\n1,2\n"[..], "t.csv", &opts).unwrap_or_else(|e| panic!("{e}"));
        let json = serde_json::to_value(&timed.report).unwrap_or_default();
        assert!(
            json.get("row_numbers").is_none(),
            "absent unless set: {json}"
        );
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a;b;c"), b';');
        assert_eq!(sniff_delimiter(b"a\tb"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c"), b',');
        assert_eq!(sniff_delimiter(b"a"), b',');
    }
}
