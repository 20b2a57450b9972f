//! [`SeriesSet`]: collects points row by row into series, then sorts and de-duplicates them,
//! counting every repair.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::{Kind, RawSeries, ReleaseChange, Role, SeriesKey};

/// Collects points for many series. Readers look series up by a cheap *raw identity* string
/// (e.g. length-prefixed metric, target and labels exactly as written) so the hot loop does not allocate;
/// only the first occurrence builds a [`SeriesKey`].
///
/// Memory per series beyond its points is the [`RawSeries`] itself plus about 40 bytes of
/// index: both indexes map a 64-bit hash to the series (the key is not stored twice; raw
/// identities live in one byte arena), and a hash collision falls back to an exact map, so a
/// collision costs time, never a wrong merge. A series with one point gets vectors of capacity
/// 1 (not the allocator's default 4).
#[derive(Debug, Default)]
pub struct SeriesSet {
    series: Vec<RawSeries>,
    /// Hash of a raw identity → index into `raw_entries` (first identity with that hash).
    raw_index: HashMap<u64, usize, BuildHasherDefault<IdHasher>>,
    raw_entries: Vec<RawEntry>,
    raw_arena: Vec<u8>,
    /// Raw identities whose hash collided with another's.
    raw_collided: HashMap<Vec<u8>, usize>,
    /// Hash of a [`SeriesKey`] → series index (first key with that hash).
    key_index: HashMap<u64, usize, BuildHasherDefault<IdHasher>>,
    /// Keys whose hash collided with another's.
    key_collided: HashMap<SeriesKey, usize>,
}

/// A raw identity in the arena and its series.
#[derive(Debug, Clone, Copy)]
struct RawEntry {
    start: usize,
    len: usize,
    series: usize,
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

fn key_hash(key: &SeriesKey) -> u64 {
    use std::hash::BuildHasher;
    std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one(key)
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

impl SeriesSet {
    /// An empty set.
    pub fn new() -> Self {
        SeriesSet::default()
    }

    /// Index of the series whose raw identity is `raw`, if seen before.
    #[inline]
    pub fn lookup_raw(&self, raw: &[u8]) -> Option<usize> {
        let e = self.raw_entries[*self.raw_index.get(&raw_hash(raw))?];
        if &self.raw_arena[e.start..e.start + e.len] == raw {
            return Some(e.series);
        }
        self.raw_collided.get(raw).copied()
    }

    /// Index of the series with `key`, creating it (with `kind`) if new; remembers `raw` as an
    /// alias for fast lookups.
    pub fn insert(&mut self, raw: &[u8], key: SeriesKey, kind: Kind) -> usize {
        let idx = self.index_of(key, kind);
        let h = raw_hash(raw);
        match self.raw_index.get(&h) {
            None => {
                self.raw_index.insert(h, self.raw_entries.len());
                self.raw_entries.push(RawEntry {
                    start: self.raw_arena.len(),
                    len: raw.len(),
                    series: idx,
                });
                self.raw_arena.extend_from_slice(raw);
            }
            Some(&e) => {
                let entry = &mut self.raw_entries[e];
                if &self.raw_arena[entry.start..entry.start + entry.len] == raw {
                    entry.series = idx;
                } else {
                    self.raw_collided.insert(raw.to_vec(), idx);
                }
            }
        }
        idx
    }

    /// Forgets the raw-identity aliases (called between files: the same raw text may mean a
    /// different series in another file, e.g. when the metric comes from the file stem).
    pub fn new_file(&mut self) {
        self.raw_index.clear();
        self.raw_entries.clear();
        self.raw_arena.clear();
        self.raw_collided.clear();
    }

    /// Index of the series with `key` (created if new).
    pub fn index_of(&mut self, key: SeriesKey, kind: Kind) -> usize {
        let h = key_hash(&key);
        match self.key_index.get(&h) {
            Some(&i) if self.series[i].key == key => i,
            Some(_) => {
                if let Some(&i) = self.key_collided.get(&key) {
                    return i;
                }
                let i = self.series.len();
                self.key_collided.insert(key.clone(), i);
                self.series.push(RawSeries::new(key, kind));
                i
            }
            None => {
                let i = self.series.len();
                self.key_index.insert(h, i);
                self.series.push(RawSeries::new(key, kind));
                i
            }
        }
    }

    /// Mutable access to series `idx` (to set unit, kind…).
    ///
    /// # Panics
    /// Never for an index returned by this set.
    pub fn get_mut(&mut self, idx: usize) -> &mut RawSeries {
        &mut self.series[idx]
    }

    /// Number of series.
    pub fn len(&self) -> usize {
        self.series.len()
    }

    /// `true` when no series was created.
    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// Adds a point (NaN and ±∞ are kept and counted).
    #[inline]
    pub fn push(&mut self, idx: usize, t_ms: i64, value: f64) {
        let s = &mut self.series[idx];
        if value.is_nan() {
            s.report.nan += 1;
        } else if value.is_infinite() {
            s.report.infinite += 1;
        }
        if s.timestamps_ms.capacity() == 0 {
            // Many series hold one point: no room for four.
            s.timestamps_ms.reserve_exact(1);
            s.values.reserve_exact(1);
        }
        s.timestamps_ms.push(t_ms);
        s.values.push(value);
    }

    /// Counts a missing point (empty cell, absent sample) of series `idx`.
    #[inline]
    pub fn missing(&mut self, idx: usize) {
        self.series[idx].report.missing += 1;
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
        let s = &mut self.series[idx];
        let mut ok = true;
        if let Some(r) = role {
            match s.role {
                None => s.role = Some(r),
                Some(prev) => ok = prev == r,
            }
        }
        let changed = match s.releases.last() {
            Some(c) => c.release != release,
            None => true,
        };
        if !release.is_empty() && changed {
            s.releases.push(ReleaseChange {
                at_ms: t_ms,
                release: release.to_string(),
            });
        }
        ok
    }

    /// Sorts every series by time (stable; counts out-of-order points), drops duplicate
    /// timestamps keeping the last value (counted), fills `points`, and returns the series in
    /// order of first appearance.
    pub fn finish(self) -> Vec<RawSeries> {
        let mut out = self.series;
        for s in &mut out {
            finish_one(s);
        }
        out
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
        set.key_index.insert(key_hash(&key("b")), a);
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
