//! One series out of a dataset, and the values an analysis uses from it: the one selector and
//! the one missing-value and pairing policy of every command (`detect`, `compare`, `analyze`)
//! and of the Python binding.
//!
//! **Selection** ([`select`]): a series is named by its full key (`metric{target="t"}`), by the
//! name it is reported under ([`display_name`]: the column header of a plain CSV), by its metric
//! name or by its target when that picks exactly one series, or by a 1-based number (the N-th
//! series in file order). Without a name the file must hold exactly one series.
//!
//! **Missing values** ([`usable`]): an empty cell or absent sample is missing (never stored,
//! counted in [`SeriesReport::missing`]); a NaN or ±∞ value is missing too: it is skipped and
//! counted in [`PrepareReport::skipped`]. Counters become per-second rates first (resets
//! handled, [`super::counter::rates`]). Nothing is dropped without a count.
//!
//! **Pairing** ([`pair`]): two series are paired by identical timestamps (row numbers for a
//! file without a time column, positions for arrays); a time present in only one of them, or
//! missing in either, drops that row and is counted in [`Samples::rows_dropped`].

use super::prepare::{prepare, Derived, PrepareOptions, PrepareReport, Prepared};
use super::time::format_rfc3339;
use super::{Kind, RawSeries};
use crate::{Error, Result};

/// How many series an error message lists.
const LISTED: usize = 10;

/// The name a series is reported under: its target when every series of `all` has the same
/// metric and the series has no other label (a column of a plain or Grafana CSV), else its
/// full key.
pub fn display_name(s: &RawSeries, all: &[RawSeries]) -> String {
    name_of(s, all.iter().all(|o| o.key.metric == s.key.metric))
}

/// [`display_name`] of every series of `all`, in O(n).
pub fn display_names(all: &[RawSeries]) -> Vec<String> {
    let same_metric = all.windows(2).all(|w| w[0].key.metric == w[1].key.metric);
    all.iter().map(|s| name_of(s, same_metric)).collect()
}

fn name_of(s: &RawSeries, same_metric: bool) -> String {
    if same_metric && s.key.labels.is_empty() && !s.key.target.is_empty() {
        s.key.target.clone()
    } else {
        s.key.to_string()
    }
}

fn listing(names: &[String]) -> String {
    let mut out: Vec<&str> = names.iter().take(LISTED).map(String::as_str).collect();
    let more = format!("… ({} in all)", names.len());
    if names.len() > LISTED {
        out.push(&more);
    }
    out.join(", ")
}

/// The series named `want` (see the module docs), or the only one. `file` and `flag` (the
/// option that names series, e.g. `--column`) go into the errors.
///
/// # Errors
/// [`Error::InvalidArgument`] when nothing or several series match, or when `want` is `None`
/// and the file holds several series or none; the message lists what the file holds.
pub fn select<'a>(
    all: &'a [RawSeries],
    want: Option<&str>,
    file: &str,
    flag: &'static str,
) -> Result<&'a RawSeries> {
    let names = display_names(all);
    let Some(w) = want.map(str::trim) else {
        return match all {
            [one] => Ok(one),
            [] => Err(Error::invalid("input", format!("{file}: no series found"))),
            _ => Err(Error::invalid(
                flag,
                format!(
                    "{file} holds {} series; choose one with {flag} (a column, metric name, \
                     target or series key): {}",
                    all.len(),
                    listing(&names)
                ),
            )),
        };
    };
    let by = |f: &dyn Fn(usize, &RawSeries) -> bool| {
        all.iter()
            .enumerate()
            .filter(|(i, s)| f(*i, s))
            .map(|(_, s)| s)
            .collect::<Vec<_>>()
    };
    let mut matches = by(&|i, s| names[i] == w || s.key.to_string() == w);
    if matches.is_empty() {
        matches = by(&|_, s| s.key.metric == w);
    }
    if matches.is_empty() {
        matches = by(&|_, s| s.key.target == w);
    }
    if matches.is_empty() {
        if let Ok(k) = w.parse::<usize>() {
            if (1..=all.len()).contains(&k) {
                return Ok(&all[k - 1]);
            }
        }
    }
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::invalid(
            flag,
            format!("{file}: no series '{w}'; found: {}", listing(&names)),
        )),
        many => Err(Error::invalid(
            flag,
            format!(
                "{file}: {} series match '{w}'; name one by its key: {}",
                many.len(),
                many.iter()
                    .take(LISTED)
                    .map(|s| s.key.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// A series ready for an analysis in time order: finite values only, with what was done.
#[derive(Debug, Clone, PartialEq)]
pub struct Usable {
    /// The name it is reported under ([`display_name`]).
    pub name: String,
    /// Epoch ms, or row numbers when [`Usable::row_numbers`].
    pub timestamps_ms: Vec<i64>,
    /// Finite values.
    pub values: Vec<f64>,
    /// `true` when the timestamps are row numbers of a file without a time column.
    pub row_numbers: bool,
    /// Transform applied (raw values, counter rate).
    pub derived: Derived,
    /// Read counts, resets, and the points skipped by the missing-value policy.
    pub data: PrepareReport,
}

impl Usable {
    /// Time of value `i` in RFC 3339, or `None` without times.
    pub fn time_at(&self, i: usize) -> Option<String> {
        if self.row_numbers {
            return None;
        }
        self.timestamps_ms.get(i).map(|&t| format_rfc3339(t))
    }

    /// Missing points: empty cells or absent samples, and values skipped as not finite.
    pub fn missing(&self) -> usize {
        self.data.read.missing + self.data.skipped
    }

    /// One line per thing done to the series on the way (rates, points skipped, repairs), for
    /// the user; empty when the values are the file's as written.
    pub fn notes(&self) -> Vec<String> {
        let d = &self.data;
        let mut notes = Vec::new();
        if self.derived == Derived::Rate {
            notes.push(format!(
                "counter: per-second rates over {} intervals ({} reset{}, {} invalid point{} \
                 skipped)",
                self.values.len(),
                d.resets.len(),
                plural(d.resets.len()),
                d.skipped,
                plural(d.skipped),
            ));
        } else if d.skipped > 0 {
            notes.push(format!(
                "{} non-finite value{} (NaN, ±Inf) skipped",
                d.skipped,
                plural(d.skipped)
            ));
        }
        if d.read.missing > 0 {
            notes.push(format!(
                "{} missing point{} (empty cells or absent samples) skipped",
                d.read.missing,
                plural(d.read.missing)
            ));
        }
        if d.read.duplicates > 0 || d.read.unsorted > 0 {
            notes.push(format!(
                "{} duplicate and {} out-of-order timestamp{} repaired while reading",
                d.read.duplicates,
                d.read.unsorted,
                plural(d.read.unsorted)
            ));
        }
        notes
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Drops the points whose value is not finite (the missing-value policy); returns how many.
/// `times` and `values` are parallel (entries past the shorter one are dropped).
pub fn drop_non_finite(times: &mut Vec<i64>, values: &mut Vec<f64>) -> usize {
    let before = values.len();
    let mut k = 0;
    for i in 0..values.len().min(times.len()) {
        if values[i].is_finite() {
            times[k] = times[i];
            values[k] = values[i];
            k += 1;
        }
    }
    times.truncate(k);
    values.truncate(k);
    before - k
}

/// The values an analysis uses from `s` (module docs): counters as rates, everything else as
/// written, non-finite values skipped and counted. `all` is the dataset `s` belongs to (for
/// its name); `row_numbers` says its timestamps are row numbers
/// ([`super::ReadReport::row_numbers`]).
///
/// # Errors
/// Timestamps that are not strictly increasing (never from the readers).
pub fn usable(s: &RawSeries, all: &[RawSeries], row_numbers: bool) -> Result<Usable> {
    let bucket = s.kind == Kind::Histogram && s.key.labels.contains_key("le");
    let p = if bucket {
        // One bucket series on its own: its cumulative counts as written.
        Prepared {
            key: s.key.clone(),
            kind: s.kind,
            derived: Derived::Raw,
            timestamps_ms: s.timestamps_ms.clone(),
            values: s.values.clone(),
            data: PrepareReport {
                read: s.report.clone(),
                resets: Vec::new(),
                bucket_resets: 0,
                skipped: 0,
                warmup_trimmed: 0,
                coarse: false,
            },
        }
    } else {
        prepare(std::slice::from_ref(s), &PrepareOptions::default())?
            .pop()
            .ok_or_else(|| Error::invalid("series", "preparation produced no series"))?
    };
    let Prepared {
        derived,
        mut timestamps_ms,
        mut values,
        mut data,
        ..
    } = p;
    data.skipped += drop_non_finite(&mut timestamps_ms, &mut values);
    Ok(Usable {
        name: display_name(s, all),
        timestamps_ms,
        values,
        row_numbers,
        derived,
        data,
    })
}

/// Baseline and candidate values as a comparison uses them.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    /// Baseline values.
    pub baseline: Vec<f64>,
    /// Candidate values (paired: one per baseline value, same time).
    pub candidate: Vec<f64>,
    /// Rows not used: paired, the times present (with a finite value) in only one series.
    pub rows_dropped: usize,
}

/// Pairs two series of finite points by identical timestamps (paired) or keeps each as it is
/// (unpaired); both timestamp slices must be strictly increasing. O(n + m).
pub fn pair(baseline: (&[i64], &[f64]), candidate: (&[i64], &[f64]), paired: bool) -> Samples {
    if !paired {
        return Samples {
            baseline: baseline.1.to_vec(),
            candidate: candidate.1.to_vec(),
            rows_dropped: 0,
        };
    }
    let ((bt, bv), (ct, cv)) = (baseline, candidate);
    let (mut i, mut j, mut union) = (0, 0, 0);
    let mut out = Samples {
        baseline: Vec::with_capacity(bv.len().min(cv.len())),
        candidate: Vec::with_capacity(bv.len().min(cv.len())),
        rows_dropped: 0,
    };
    while i < bt.len() || j < ct.len() {
        union += 1;
        match (bt.get(i), ct.get(j)) {
            (Some(a), Some(b)) if a == b => {
                out.baseline.push(bv[i]);
                out.candidate.push(cv[j]);
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => i += 1,
            (Some(_), None) => i += 1,
            _ => j += 1,
        }
    }
    out.rows_dropped = union - out.baseline.len();
    out
}

/// The missing-value and pairing policy for two arrays of values in time order (the Python
/// binding's `nan_policy="omit"`): non-finite values are missing; paired, the arrays must
/// have equal lengths and are paired by position.
///
/// # Errors
/// [`Error::LengthMismatch`] for paired arrays of different lengths.
pub fn samples_by_position(baseline: &[f64], candidate: &[f64], paired: bool) -> Result<Samples> {
    if paired && baseline.len() != candidate.len() {
        return Err(Error::LengthMismatch {
            what: "paired baseline and candidate",
            left: baseline.len(),
            right: candidate.len(),
        });
    }
    let side = |x: &[f64]| {
        let mut t: Vec<i64> = (0..x.len() as i64).collect();
        let mut v = x.to_vec();
        drop_non_finite(&mut t, &mut v);
        (t, v)
    };
    let (b, c) = (side(baseline), side(candidate));
    Ok(pair((&b.0, &b.1), (&c.0, &c.1), paired))
}

/// Several series on their common timestamps (the joint analysis of `detect --column a,b`).
#[derive(Debug, Clone, PartialEq)]
pub struct Aligned {
    /// Timestamps present (with a finite value) in every series.
    pub timestamps_ms: Vec<i64>,
    /// Values of each series at those timestamps.
    pub columns: Vec<Vec<f64>>,
    /// Times present in some series but not all (not used).
    pub rows_dropped: usize,
}

/// Aligns series of finite points (strictly increasing timestamps) on the times they all have.
pub fn align(series: &[(&[i64], &[f64])]) -> Aligned {
    let mut common: Vec<i64> = series.first().map(|s| s.0.to_vec()).unwrap_or_default();
    let mut union: std::collections::BTreeSet<i64> = common.iter().copied().collect();
    for (t, _) in series.iter().skip(1) {
        union.extend(t.iter().copied());
        let mut j = 0;
        common.retain(|x| {
            while j < t.len() && t[j] < *x {
                j += 1;
            }
            j < t.len() && t[j] == *x
        });
    }
    let columns = series
        .iter()
        .map(|(t, v)| {
            let mut j = 0;
            common
                .iter()
                .map(|x| {
                    while t[j] < *x {
                        j += 1;
                    }
                    v[j]
                })
                .collect()
        })
        .collect();
    Aligned {
        rows_dropped: union.len() - common.len(),
        timestamps_ms: common,
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::SeriesKey;

    fn series(metric: &str, target: &str, t: &[i64], v: &[f64]) -> RawSeries {
        let mut s = RawSeries::new(
            SeriesKey {
                metric: metric.into(),
                target: target.into(),
                ..SeriesKey::default()
            },
            Kind::Unknown,
        );
        s.timestamps_ms = t.to_vec();
        s.values = v.to_vec();
        s
    }

    fn err(r: Result<&RawSeries>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn selects_by_name_metric_target_or_number() {
        let all = [
            series("f", "base", &[0], &[1.0]),
            series("f", "cand", &[0], &[2.0]),
        ];
        assert_eq!(display_name(&all[0], &all), "base");
        let pick = |w: &str| select(&all, Some(w), "f.csv", "--column").map(|s| s.values[0]);
        assert_eq!(pick("cand").ok(), Some(2.0));
        assert_eq!(pick("f{target=\"base\"}").ok(), Some(1.0));
        assert_eq!(pick("2").ok(), Some(2.0));
        let msg = err(select(&all, Some("nope"), "f.csv", "--column"));
        assert_eq!(
            msg,
            "invalid --column: f.csv: no series 'nope'; found: base, cand"
        );
        let msg = err(select(&all, Some("f"), "f.csv", "--column"));
        assert!(msg.contains("2 series match 'f'"), "{msg}");
        let msg = err(select(&all, None, "f.csv", "--column"));
        assert!(
            msg.contains("f.csv holds 2 series") && msg.contains("base, cand"),
            "{msg}"
        );
        let mixed = [
            series("cpu", "a", &[0], &[1.0]),
            series("mem", "a", &[0], &[2.0]),
        ];
        assert_eq!(display_name(&mixed[1], &mixed), "mem{target=\"a\"}");
        assert_eq!(display_names(&mixed)[0], "cpu{target=\"a\"}");
        let one = select(&mixed, Some("mem"), "m", "--column").map(|s| s.values[0]);
        assert_eq!(one.ok(), Some(2.0));
    }

    #[test]
    fn non_finite_values_are_skipped_and_counted() {
        let mut s = series(
            "m",
            "t",
            &[1, 2, 3, 4],
            &[1.0, f64::NAN, f64::INFINITY, 4.0],
        );
        s.report.missing = 2;
        let all = [s];
        let u = usable(&all[0], &all, false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(u.values, vec![1.0, 4.0]);
        assert_eq!(u.timestamps_ms, vec![1, 4]);
        assert_eq!((u.data.skipped, u.missing()), (2, 4));
        let notes = u.notes();
        assert!(notes[0].starts_with("2 non-finite values"), "{notes:?}");
        assert!(notes[1].starts_with("2 missing points"), "{notes:?}");
        assert_eq!(u.time_at(1).as_deref(), Some("1970-01-01T00:00:00.004Z"));
        let rows = usable(&all[0], &all, true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.time_at(0), None);
    }

    #[test]
    fn counters_become_rates() {
        let mut s = series("req_total", "", &[0, 1000, 2000], &[10.0, 20.0, 40.0]);
        s.kind = Kind::Counter;
        let all = [s];
        let u = usable(&all[0], &all, false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(u.values, vec![10.0, 20.0]);
        assert!(u.notes()[0].starts_with("counter: per-second rates"));
    }

    #[test]
    fn pairing_by_time_counts_dropped_rows() {
        let s = pair(
            (&[0, 1, 2, 4], &[1.0, 2.0, 3.0, 5.0]),
            (&[1, 2, 3, 4], &[7.0, 8.0, 9.0, 10.0]),
            true,
        );
        assert_eq!(s.baseline, vec![2.0, 3.0, 5.0]);
        assert_eq!(s.candidate, vec![7.0, 8.0, 10.0]);
        assert_eq!(s.rows_dropped, 2);
        let s = samples_by_position(&[1.0, f64::NAN, 3.0], &[4.0, 5.0, f64::NAN], true)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (s.baseline, s.candidate, s.rows_dropped),
            (vec![1.0], vec![4.0], 2)
        );
        let s = samples_by_position(&[1.0, f64::NAN, 3.0], &[4.0], false)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (s.baseline.len(), s.candidate.len(), s.rows_dropped),
            (2, 1, 0)
        );
        assert!(samples_by_position(&[1.0], &[1.0, 2.0], true).is_err());
        let a = align(&[
            (&[0, 1, 2, 3], &[1.0, 2.0, 3.0, 4.0]),
            (&[1, 3, 5], &[6.0, 7.0, 8.0]),
        ]);
        assert_eq!(a.timestamps_ms, vec![1, 3]);
        assert_eq!(a.columns, vec![vec![2.0, 4.0], vec![6.0, 7.0]]);
        assert_eq!(a.rows_dropped, 3);
    }
}
