//! What a set of exports holds, summarised while reading: the data of `shiftwatch inspect`.
//!
//! The input is read once keeping a running summary per series instead of its points
//! ([`Retain::Summaries`], [`crate::series::stream`]), so memory grows with the number of
//! series, not the points. A series that cannot be summarised on the fly (points out of time
//! order, duplicate times, or hundreds of distinct intervals) is read again with its points,
//! alone, and summarised from them: every summary is the one [`summarize`] gives for the
//! fully read series.

use std::collections::BTreeMap;

use super::{configured_kind, note_unused_kinds, Inputs, ReadOptions};
use crate::series::summary::{from_stream, summarize, SeriesSummary};
use crate::series::{Dataset, Kind, RawSeries, ReadReport, Retain, SeriesSet};
use crate::Result;

/// Summaries of every series read, produced one at a time.
#[derive(Debug)]
pub struct Inspection {
    inner: Inner,
    /// What happened while reading.
    pub report: ReadReport,
}

#[derive(Debug)]
enum Inner {
    Streamed {
        set: Box<SeriesSet>,
        reread: BTreeMap<usize, RawSeries>,
        kinds: BTreeMap<String, Kind>,
    },
    Read(Vec<RawSeries>),
}

/// Reads `inputs` for `inspect`; see the module docs.
///
/// # Errors
/// As [`super::read_paths`].
pub fn inspect(inputs: Inputs<'_>, opts: &ReadOptions) -> Result<Inspection> {
    let (set, mut report) = inputs.read_set(opts, Retain::Summaries)?;
    if !opts.kinds.is_empty() {
        note_unused_kinds(
            (0..set.len()).map(|i| set.metric(i)),
            &opts.kinds,
            &mut report,
        );
    }
    let inexact = set.inexact();
    let mut reread = BTreeMap::new();
    if !inexact.is_empty() {
        let mut keep = vec![false; set.len()];
        for &i in &inexact {
            keep[i] = true;
        }
        let (again, _) = inputs.read_set(opts, Retain::Only(keep))?;
        reread = again.finish_kept().into_iter().collect();
        for raw in reread.values_mut() {
            raw.kind = configured_kind(&raw.key.metric, raw.kind, &opts.kinds);
        }
    }
    Ok(Inspection {
        inner: Inner::Streamed {
            set: Box::new(set),
            reread,
            kinds: opts.kinds.clone(),
        },
        report,
    })
}

impl From<Dataset> for Inspection {
    /// The inspection of a dataset already read (a live source).
    fn from(d: Dataset) -> Self {
        Inspection {
            inner: Inner::Read(d.series),
            report: d.report,
        }
    }
}

impl Inspection {
    /// Number of series.
    pub fn len(&self) -> usize {
        match &self.inner {
            Inner::Streamed { set, .. } => set.len(),
            Inner::Read(series) => series.len(),
        }
    }

    /// `true` when no series was read.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Summary of series `i` (in order of first appearance).
    ///
    /// # Panics
    /// When `i >= self.len()`.
    pub fn summary(&self, i: usize) -> SeriesSummary {
        match &self.inner {
            Inner::Read(series) => summarize(&series[i]),
            Inner::Streamed { set, reread, kinds } => {
                let mut s = match reread.get(&i) {
                    Some(raw) => summarize(raw),
                    None => from_stream(set.summary(i)),
                };
                s.kind = configured_kind(&s.key.metric, s.kind, kinds);
                if s.kind != Kind::Counter {
                    s.resets = None;
                }
                s
            }
        }
    }

    /// Every summary, in order.
    pub fn summaries(&self) -> impl Iterator<Item = SeriesSummary> + '_ {
        (0..self.len()).map(|i| self.summary(i))
    }
}
