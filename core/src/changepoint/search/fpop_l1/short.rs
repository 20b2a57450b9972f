//! Short segments of [`super::fpop_l1`]: their sorted samples instead of the rank index.

/// The sorted samples `x[t..u)` of a short segment with prefix sums: `g` and its level
/// crossings by direct scans (no rank index).
#[derive(Default)]
pub(super) struct Short {
    t: usize,
    u: usize,
    v: Vec<f64>,
    p: Vec<f64>,
}

/// A few [`Short`]s, extended sample by sample as their segments grow (the owners of the
/// pieces cut at one step are mostly cut again at the next).
#[derive(Default)]
pub(super) struct Shorts {
    entries: Vec<Short>,
    next: usize,
}

impl Shorts {
    const SIZE: usize = 8;

    /// The sorted samples of `x[t..u)`.
    pub(super) fn get(&mut self, x: &[f64], t: usize, u: usize) -> &Short {
        let found = self
            .entries
            .iter()
            .position(|e| e.t == t && e.u <= u && u - e.u <= 16);
        let i = match found {
            Some(i) => {
                let e = &mut self.entries[i];
                for &w in &x[e.u..u] {
                    e.insert(w);
                }
                e.u = u;
                i
            }
            None => {
                if self.entries.len() < Self::SIZE {
                    self.entries.push(Short::default());
                    self.entries.len() - 1
                } else {
                    self.next = (self.next + 1) % Self::SIZE;
                    self.next
                }
            }
        };
        if found.is_none() {
            let e = &mut self.entries[i];
            e.t = t;
            e.u = u;
            e.v.clear();
            e.v.extend_from_slice(&x[t..u]);
            e.v.sort_unstable_by(f64::total_cmp);
            e.prefix();
        }
        &self.entries[i]
    }
}

impl Short {
    /// Prefix sums of the sorted samples.
    fn prefix(&mut self) {
        self.p.clear();
        self.p.push(0.0);
        let mut acc = 0.0;
        for &w in &self.v {
            acc += w;
            self.p.push(acc);
        }
    }

    /// Inserts a sample: the prefix sums after it grow by `w` (independent additions).
    fn insert(&mut self, w: f64) {
        let at = self.v.partition_point(|&v| v.total_cmp(&w).is_le());
        self.v.insert(at, w);
        self.p.insert(at + 1, self.p[at] + w);
        for q in &mut self.p[at + 2..] {
            *q += w;
        }
    }

    /// `g` at the `j`-th smallest sample.
    #[inline]
    fn g_at(&self, j: usize) -> f64 {
        let m = self.v.len();
        let (v, p) = (self.v[j], &self.p);
        ((j as f64 * v - p[j]) + (p[m] - p[j + 1] - (m - j - 1) as f64 * v)).max(0.0)
    }

    /// The part of `[lo, hi]` where `g <= base` (g convex, minimal on the median interval).
    pub(super) fn keep(
        &self,
        base: f64,
        g_lo: f64,
        g_hi: f64,
        lo: f64,
        hi: f64,
    ) -> Option<(f64, f64)> {
        let m = self.v.len();
        let mf = m as f64;
        let (k_lo, k_hi) = ((m - 1) / 2, m / 2);
        if self.g_at(k_lo) > base {
            return None;
        }
        let a = if g_lo <= base {
            lo
        } else if lo >= self.v[k_lo] {
            return None;
        } else {
            // g decreases up to the median: the first sample with g within the bound.
            let j = first(0, k_lo, |j| self.g_at(j) <= base);
            if j == 0 {
                self.v[0] - (base - self.g_at(0)) / mf
            } else {
                let (v0, g0, v1, g1) = (self.v[j - 1], self.g_at(j - 1), self.v[j], self.g_at(j));
                v0 + (g0 - base) * (v1 - v0) / (g0 - g1)
            }
        };
        let b = if g_hi <= base {
            hi
        } else if hi <= self.v[k_hi] {
            return None;
        } else {
            // g increases from the median: the last sample with g within the bound.
            let j = first(k_hi, m - 1, |j| self.g_at(j) > base) - 1;
            if j == m - 1 {
                self.v[m - 1] + (base - self.g_at(m - 1)) / mf
            } else {
                let (v0, g0, v1, g1) = (self.v[j], self.g_at(j), self.v[j + 1], self.g_at(j + 1));
                v0 + (base - g0) * (v1 - v0) / (g1 - g0)
            }
        };
        Some((a.max(lo), b.min(hi)))
    }
}

/// The smallest `j` in `[lo, hi]` with `done(j)` (false up to some index, true after), or
/// `hi + 1` when there is none: binary search.
fn first(mut lo: usize, hi: usize, done: impl Fn(usize) -> bool) -> usize {
    let mut end = hi + 1;
    while lo < end {
        let mid = lo + (end - lo) / 2;
        if done(mid) {
            end = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}
