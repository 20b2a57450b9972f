//! [`SeriesSet`]: collects points row by row into series, then sorts and de-duplicates them,
//! counting every repair.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::keyblob;
use super::stream::Stream;
use super::{Kind, RawSeries, ReleaseChange, Role, SeriesKey, SeriesReport};

/// What a [`SeriesSet`] keeps of the points it is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Retain {
    /// Every point (the default).
    #[default]
    Points,
    /// A running [`Stream`] summary per series, no points: memory grows with the series, not
    /// the points (`inspect`).
    Summaries,
    /// The points of the series whose index is `true` (indexes of a previous read of the same
    /// input); the others keep their identity and counts only (`detect` after choosing).
    Only(Vec<bool>),
}

/// The points of one series: the first inline (many series hold one point), more in a side
/// table (`SeriesSet::columns` or, for [`Retain::Summaries`], `SeriesSet::streams`).
#[derive(Debug, Clone, Copy)]
enum Points {
    None,
    One(i64, f64),
    Many(u32),
}

const NONE: u32 = u32::MAX;

/// One series while reading: about 72 bytes plus its packed key.
#[derive(Debug)]
struct Slot {
    /// [`keyblob::pack`]ed key.
    key: Box<[u8]>,
    points: Points,
    missing: u64,
    /// First release (interned in `SeriesSet::strings`) and when it was first seen.
    release_at: i64,
    release: u32,
    /// Index into `SeriesSet::releases` for the changes after the first, or [`NONE`].
    more_releases: u32,
    /// Interned unit or [`NONE`].
    unit: u32,
    kind: Kind,
    role: Option<Role>,
}

/// A small string interner (units, release names: few distinct values, many series).
#[derive(Debug, Default)]
struct Interner {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    fn get(&self, i: u32) -> Option<&str> {
        self.names.get(i as usize).map(String::as_str)
    }
}

/// Collects points for many series. Readers look series up by a cheap *raw identity* string
/// (e.g. length-prefixed metric, target and labels exactly as written) so the hot loop does not
/// allocate; only the first occurrence builds a [`SeriesKey`], which is kept packed into one
/// byte string ([`keyblob`]).
///
/// Memory per series beyond its points is about 190 bytes for a series of one point read from
/// a tidy CSV (measured by `bench/rss_io.py`): a 72-byte slot holding the first point, the
/// packed key, and two hash indexes that map a 64-bit hash to the series (raw identities live in
/// one byte arena, cleared between files). A hash collision falls back to an exact map, so a
/// collision costs time, never a wrong merge. Units and release names are interned; NaN and ±∞
/// counts live in a side map (most series have none).
#[derive(Debug, Default)]
pub struct SeriesSet {
    retain: Retain,
    slots: Vec<Slot>,
    /// Points beyond the first ([`Retain::Points`], [`Retain::Only`]).
    columns: Vec<(Vec<i64>, Vec<f64>)>,
    /// Running summaries ([`Retain::Summaries`]).
    streams: Vec<Stream>,
    /// NaN and ±∞ counts of the series that have any.
    odd: HashMap<u32, (u64, u64)>,
    strings: Interner,
    /// Release changes after the first, per series that has any.
    releases: Vec<Vec<(i64, u32)>>,
    /// Hash of a raw identity → index into `raw_entries` (first identity with that hash).
    raw_index: HashMap<u64, u32, BuildHasherDefault<IdHasher>>,
    raw_entries: Vec<RawEntry>,
    raw_arena: Vec<u8>,
    /// Raw identities whose hash collided with another's.
    raw_collided: HashMap<Vec<u8>, u32>,
    /// Hash of a packed key → series index (first key with that hash).
    key_index: HashMap<u64, u32, BuildHasherDefault<IdHasher>>,
    /// Packed keys whose hash collided with another's.
    key_collided: HashMap<Box<[u8]>, u32>,
}

/// A raw identity in the arena and its series.
#[derive(Debug, Clone, Copy)]
struct RawEntry {
    start: u32,
    len: u32,
    series: u32,
}

fn raw_hash(raw: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(raw);
    h.write_usize(raw.len());
    // Fx leaves the low bits weak (the table indexes by them): finish with murmur3's fmix64,
    // else near-identical identities (`t1`, `t2`, …) cluster and lookups go quadratic.
    fmix64(h.finish())
}

fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// The identity hasher for keys that already are hashes.
#[derive(Debug, Default, Clone, Copy)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// One series summarised by a [`Retain::Summaries`] read.
#[derive(Debug, Clone)]
pub struct Summarised {
    /// Identity.
    pub key: SeriesKey,
    /// Declared kind.
    pub kind: Kind,
    /// Unit when declared.
    pub unit: Option<String>,
    /// Counts (`duplicates` and `unsorted` are 0: a series with either is inexact).
    pub report: SeriesReport,
    /// First and last time (ms), when any point.
    pub range_ms: Option<(i64, i64)>,
    /// Median interval (ms) and gaps, as [`RawSeries::median_interval_ms`] and
    /// [`RawSeries::gaps`].
    pub interval_ms: Option<i64>,
    /// Intervals over 1.5 × the median.
    pub gaps: usize,
    /// Decreases of the valid values (counter resets).
    pub resets: usize,
    /// `false` when the series must be re-read with its points to be summarised exactly
    /// (unsorted or duplicate times, or too many distinct intervals).
    pub exact: bool,
}

impl SeriesSet {
    /// An empty set that keeps every point.
    pub fn new() -> Self {
        SeriesSet::default()
    }

    /// An empty set that keeps what `retain` says.
    pub fn with_retain(retain: Retain) -> Self {
        SeriesSet {
            retain,
            ..SeriesSet::default()
        }
    }

    /// Index of the series whose raw identity is `raw`, if seen before.
    #[inline]
    pub fn lookup_raw(&self, raw: &[u8]) -> Option<usize> {
        let e = self.raw_entries[*self.raw_index.get(&raw_hash(raw))? as usize];
        let (start, len) = (e.start as usize, e.len as usize);
        if &self.raw_arena[start..start + len] == raw {
            return Some(e.series as usize);
        }
        self.raw_collided.get(raw).map(|&i| i as usize)
    }

    /// Index of the series whose [`keyblob::pack`]ed key is `blob`, if seen before (a reader
    /// whose raw identity is the packed key needs no alias: see [`SeriesSet::lookup_raw`]).
    #[inline]
    pub fn lookup_key(&self, blob: &[u8]) -> Option<usize> {
        let j = *self.key_index.get(&raw_hash(blob))? as usize;
        if &*self.slots[j].key == blob {
            return Some(j);
        }
        self.key_collided.get(blob).map(|&i| i as usize)
    }

    /// Index of the series with `key`, creating it (with `kind`) if new; remembers `raw` as an
    /// alias for fast lookups.
    pub fn insert(&mut self, raw: &[u8], key: SeriesKey, kind: Kind) -> usize {
        let idx = self.index_of(key, kind);
        let h = raw_hash(raw);
        match self.raw_index.get(&h) {
            None => {
                self.raw_index.insert(h, self.raw_entries.len() as u32);
                self.raw_entries.push(RawEntry {
                    start: self.raw_arena.len() as u32,
                    len: raw.len() as u32,
                    series: idx as u32,
                });
                self.raw_arena.extend_from_slice(raw);
            }
            Some(&e) => {
                let entry = &mut self.raw_entries[e as usize];
                let (start, len) = (entry.start as usize, entry.len as usize);
                if &self.raw_arena[start..start + len] == raw {
                    entry.series = idx as u32;
                } else {
                    self.raw_collided.insert(raw.to_vec(), idx as u32);
                }
            }
        }
        idx
    }

    /// Forgets the raw-identity aliases (called between files: the same raw text may mean a
    /// different series in another file, e.g. when the metric comes from the file stem).
    pub fn new_file(&mut self) {
        self.raw_index = HashMap::default();
        self.raw_entries = Vec::new();
        self.raw_arena = Vec::new();
        self.raw_collided = HashMap::new();
    }

    /// Index of the series with `key` (created if new).
    pub fn index_of(&mut self, key: SeriesKey, kind: Kind) -> usize {
        let blob = keyblob::pack(&key);
        let h = raw_hash(&blob);
        let i = self.slots.len() as u32;
        match self.key_index.get(&h) {
            Some(&j) if self.slots[j as usize].key == blob => return j as usize,
            Some(_) => {
                if let Some(&j) = self.key_collided.get(&blob) {
                    return j as usize;
                }
                self.key_collided.insert(blob.clone(), i);
            }
            None => {
                self.key_index.insert(h, i);
            }
        }
        self.slots.push(Slot {
            key: blob,
            points: Points::None,
            missing: 0,
            release_at: 0,
            release: NONE,
            more_releases: NONE,
            unit: NONE,
            kind,
            role: None,
        });
        i as usize
    }

    /// The key of series `idx`.
    pub fn key(&self, idx: usize) -> SeriesKey {
        keyblob::unpack(&self.slots[idx].key)
    }

    /// Sets the kind of series `idx` when it is still [`Kind::Unknown`], and its unit when it
    /// has none and `unit` is not empty.
    pub fn declare(&mut self, idx: usize, kind: Kind, unit: &str) {
        let unit =
            (!unit.is_empty() && self.slots[idx].unit == NONE).then(|| self.strings.id(unit));
        let s = &mut self.slots[idx];
        if s.kind == Kind::Unknown {
            s.kind = kind;
        }
        if let Some(u) = unit {
            s.unit = u;
        }
    }

    /// Number of series.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// `true` when no series was created.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Adds a point (NaN and ±∞ are kept and counted).
    #[inline]
    pub fn push(&mut self, idx: usize, t_ms: i64, value: f64) {
        if !value.is_finite() {
            let c = self.odd.entry(idx as u32).or_default();
            if value.is_nan() {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
        let keep = match &self.retain {
            Retain::Only(keep) => keep.get(idx).copied().unwrap_or(false),
            _ => true,
        };
        if !keep {
            return;
        }
        let summaries = self.retain == Retain::Summaries;
        let slot = &mut self.slots[idx];
        match slot.points {
            Points::None => slot.points = Points::One(t_ms, value),
            Points::One(t0, v0) => {
                if summaries {
                    let mut st = Stream::new(t0, v0);
                    st.push(t_ms, value);
                    slot.points = Points::Many(self.streams.len() as u32);
                    self.streams.push(st);
                } else {
                    slot.points = Points::Many(self.columns.len() as u32);
                    self.columns.push((vec![t0, t_ms], vec![v0, value]));
                }
            }
            Points::Many(c) if summaries => self.streams[c as usize].push(t_ms, value),
            Points::Many(c) => {
                let (t, v) = &mut self.columns[c as usize];
                t.push(t_ms);
                v.push(value);
            }
        }
    }

    /// Counts a missing point (empty cell, absent sample) of series `idx`.
    #[inline]
    pub fn missing(&mut self, idx: usize) {
        self.slots[idx].missing += 1;
    }

    /// Records role and release of series `idx` at time `t_ms`; a release different from the last
    /// one seen starts a new [`ReleaseChange`]. A conflicting role keeps the first and returns
    /// `false`.
    pub fn set_role_release(
        &mut self,
        idx: usize,
        t_ms: i64,
        role: Option<Role>,
        release: &str,
    ) -> bool {
        let mut ok = true;
        let s = &mut self.slots[idx];
        if let Some(r) = role {
            match s.role {
                None => s.role = Some(r),
                Some(prev) => ok = prev == r,
            }
        }
        if release.is_empty() {
            return ok;
        }
        let last = match s.more_releases {
            NONE => s.release,
            m => self.releases[m as usize].last().map_or(s.release, |c| c.1),
        };
        if last != NONE && self.strings.get(last) == Some(release) {
            return ok;
        }
        let id = self.strings.id(release);
        let s = &mut self.slots[idx];
        if s.release == NONE {
            s.release = id;
            s.release_at = t_ms;
        } else {
            if s.more_releases == NONE {
                s.more_releases = self.releases.len() as u32;
                self.releases.push(Vec::new());
            }
            self.releases[s.more_releases as usize].push((t_ms, id));
        }
        ok
    }

    fn report_of(&self, idx: usize, s: &Slot) -> SeriesReport {
        let (nan, infinite) = self.odd.get(&(idx as u32)).copied().unwrap_or_default();
        SeriesReport {
            missing: s.missing as usize,
            nan: nan as usize,
            infinite: infinite as usize,
            ..SeriesReport::default()
        }
    }

    fn unit_of(&self, s: &Slot) -> Option<String> {
        (s.unit != NONE)
            .then(|| self.strings.get(s.unit).map(str::to_string))
            .flatten()
    }

    /// Sorts every series by time (stable; counts out-of-order points), drops duplicate
    /// timestamps keeping the last value (counted), fills `points`, and returns the series in
    /// order of first appearance. With [`Retain::Summaries`] no points are returned; with
    /// [`Retain::Only`] only the chosen series have points.
    pub fn finish(mut self) -> Vec<RawSeries> {
        let slots = std::mem::take(&mut self.slots);
        slots
            .into_iter()
            .enumerate()
            .map(|(i, s)| self.materialize(i, s))
            .collect()
    }

    /// The series a [`Retain::Only`] read kept points of, with their indexes.
    pub fn finish_kept(mut self) -> Vec<(usize, RawSeries)> {
        let keep = match std::mem::take(&mut self.retain) {
            Retain::Only(keep) => keep,
            _ => return Vec::new(),
        };
        let slots = std::mem::take(&mut self.slots);
        slots
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.get(*i).copied().unwrap_or(false))
            .map(|(i, s)| (i, self.materialize(i, s)))
            .collect()
    }

    fn materialize(&mut self, i: usize, s: Slot) -> RawSeries {
        let mut r = RawSeries::new(keyblob::unpack(&s.key), s.kind);
        r.unit = self.unit_of(&s);
        r.role = s.role;
        r.report = self.report_of(i, &s);
        if s.release != NONE {
            let mut changes = vec![(s.release_at, s.release)];
            if s.more_releases != NONE {
                changes.append(&mut self.releases[s.more_releases as usize]);
            }
            r.releases = changes
                .into_iter()
                .map(|(at_ms, id)| ReleaseChange {
                    at_ms,
                    release: self.strings.get(id).unwrap_or_default().to_string(),
                })
                .collect();
        }
        match s.points {
            Points::None => {}
            Points::One(t, v) => {
                r.timestamps_ms = vec![t];
                r.values = vec![v];
            }
            Points::Many(c) if self.retain != Retain::Summaries => {
                let (t, v) = std::mem::take(&mut self.columns[c as usize]);
                r.timestamps_ms = t;
                r.values = v;
            }
            Points::Many(_) => {}
        }
        finish_one(&mut r);
        r
    }

    /// Metric name of series `idx`.
    pub fn metric(&self, idx: usize) -> &str {
        keyblob::metric(&self.slots[idx].key)
    }

    /// Series `idx` summarised (meaningful for a [`Retain::Summaries`] read).
    pub fn summary(&self, idx: usize) -> Summarised {
        let s = &self.slots[idx];
        let mut sum = Summarised {
            key: keyblob::unpack(&s.key),
            kind: s.kind,
            unit: self.unit_of(s),
            report: self.report_of(idx, s),
            range_ms: None,
            interval_ms: None,
            gaps: 0,
            resets: 0,
            exact: true,
        };
        match s.points {
            Points::None => {}
            Points::One(t, _) => {
                sum.report.points = 1;
                sum.range_ms = Some((t, t));
            }
            Points::Many(c) => {
                let st = &self.streams[c as usize];
                sum.report.points = st.points as usize;
                sum.range_ms = Some((st.first_ms, st.last_ms));
                (sum.interval_ms, sum.gaps) = st.interval_and_gaps();
                sum.resets = st.resets as usize;
                sum.exact = st.exact;
            }
        }
        sum
    }

    /// Indexes of the series a [`Retain::Summaries`] read could not summarise exactly.
    pub fn inexact(&self) -> Vec<usize> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s.points {
                Points::Many(c) if self.retain == Retain::Summaries => {
                    (!self.streams[c as usize].exact).then_some(i)
                }
                _ => None,
            })
            .collect()
    }
}

/// The multiply-rotate hash of rustc (`FxHash`): much faster than SipHash on the short keys of
/// the per-row lookup. Not DoS-resistant, which does not matter for reading local files.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

fn finish_one(s: &mut RawSeries) {
    let n = s.timestamps_ms.len();
    let mut max = i64::MIN;
    let mut unsorted = 0;
    for &t in &s.timestamps_ms {
        if t < max {
            unsorted += 1;
        }
        max = max.max(t);
    }
    if unsorted > 0 {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| s.timestamps_ms[i]);
        s.timestamps_ms = order.iter().map(|&i| s.timestamps_ms[i]).collect();
        s.values = order.iter().map(|&i| s.values[i]).collect();
        s.releases.sort_by_key(|c| c.at_ms);
    }
    s.report.unsorted = unsorted;
    // De-duplicate: keep the last value of each run of equal timestamps.
    let mut w = 0;
    for r in 0..n {
        if w > 0 && s.timestamps_ms[w - 1] == s.timestamps_ms[r] {
            let old = s.values[w - 1];
            if old.is_nan() {
                s.report.nan -= 1;
            } else if old.is_infinite() {
                s.report.infinite -= 1;
            }
            s.values[w - 1] = s.values[r];
            s.report.duplicates += 1;
        } else {
            s.timestamps_ms[w] = s.timestamps_ms[r];
            s.values[w] = s.values[r];
            w += 1;
        }
    }
    s.timestamps_ms.truncate(w);
    s.values.truncate(w);
    s.report.points = w;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(t: &str) -> SeriesKey {
        SeriesKey {
            metric: "m".into(),
            target: t.into(),
            ..SeriesKey::default()
        }
    }

    /// A hash collision (forced here) falls back to the exact maps: never a wrong merge.
    #[test]
    fn hash_collisions_do_not_merge_series() {
        let mut set = SeriesSet::new();
        let a = set.insert(b"a", key("a"), Kind::Gauge);
        // Make "b" collide with "a" in both indexes.
        set.raw_index.insert(raw_hash(b"b"), 0);
        set.key_index
            .insert(raw_hash(&keyblob::pack(&key("b"))), a as u32);
        assert_eq!(set.lookup_raw(b"b"), None);
        let b = set.insert(b"b", key("b"), Kind::Gauge);
        assert_ne!(a, b);
        assert_eq!(set.lookup_raw(b"a"), Some(a));
        assert_eq!(set.lookup_raw(b"b"), Some(b));
        assert_eq!(set.index_of(key("b"), Kind::Gauge), b);
        assert_eq!(set.index_of(key("a"), Kind::Gauge), a);
        for i in 0..5000 {
            let raw = format!("t{i}");
            let k = set.insert(raw.as_bytes(), key(&raw), Kind::Gauge);
            assert_eq!(set.lookup_raw(raw.as_bytes()), Some(k));
        }
        assert_eq!(set.len(), 5002);
    }

    #[test]
    fn sorts_and_dedupes_with_counts() {
        let mut set = SeriesSet::new();
        let key = SeriesKey {
            metric: "m".into(),
            ..SeriesKey::default()
        };
        let i = set.insert(b"m", key, Kind::Gauge);
        for (t, v) in [(3, 3.0), (1, 1.0), (2, f64::NAN), (2, 2.0), (4, 4.0)] {
            set.push(i, t, v);
        }
        set.missing(i);
        let out = set.finish();
        let s = &out[0];
        assert_eq!(s.timestamps_ms, vec![1, 2, 3, 4]);
        assert_eq!(s.values, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(s.report.duplicates, 1);
        assert_eq!(s.report.unsorted, 3); // (1), (2), (2) arrived after 3
        assert_eq!(s.report.nan, 0); // the NaN was replaced by the later duplicate
        assert_eq!(s.report.missing, 1);
        assert_eq!(s.report.points, 4);
    }
}
