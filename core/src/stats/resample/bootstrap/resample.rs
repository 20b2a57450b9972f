//! Resampling schemes: iid (by counting, so each resample comes out sorted), moving block
//! (Künsch 1989) and stationary (Politis & Romano 1994).

use crate::stats::rng::Rng;

/// How one sample is resampled; lengths are already resolved (no `Auto`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Plan {
    /// Independent draws with replacement.
    Iid,
    /// Blocks of `len` consecutive values starting uniformly in `0..=n - len`.
    MovingBlock { len: usize },
    /// Geometric block lengths with mean `1 / p`, wrapping around the end.
    Stationary { p: f64 },
}

/// Per-thread scratch for one sample: the (sorted, for iid) source data and counters.
pub(crate) struct Resampler<'a> {
    data: &'a [f64],
    plan: Plan,
    counts: Vec<u32>,
}

impl<'a> Resampler<'a> {
    /// For `Plan::Iid`, `data` must be sorted ascending so that resamples come out sorted.
    pub(crate) fn new(data: &'a [f64], plan: Plan) -> Self {
        let counts = match plan {
            Plan::Iid => vec![0; data.len()],
            _ => Vec::new(),
        };
        Resampler { data, plan, counts }
    }

    /// Writes one resample of length `data.len()` into `out`.
    pub(crate) fn draw(&mut self, rng: &mut Rng, out: &mut [f64]) {
        let x = self.data;
        let n = x.len();
        debug_assert_eq!(out.len(), n);
        match self.plan {
            Plan::Iid => {
                // Counting sort of n uniform indices: the same multiset as gathering
                // x[below(n)] n times, delivered in ascending order in O(n).
                // (`counts` is all zero on entry and is left all zero.)
                for _ in 0..n {
                    let i = rng.below(n);
                    self.counts[i] += 1;
                }
                // Expansion. Counts are Poisson(1)-like, so a data-dependent `fill` mispredicts
                // constantly; instead write 4 copies unconditionally (while there is room) and
                // advance by the count, falling back to `fill` for the rare longer runs.
                let mut k = 0;
                let mut j = 0;
                while j < n && k + 4 <= n {
                    let c = self.counts[j] as usize;
                    self.counts[j] = 0;
                    let v = x[j];
                    out[k..k + 4].copy_from_slice(&[v; 4]);
                    if c > 4 {
                        out[k + 4..k + c].fill(v);
                    }
                    k += c;
                    j += 1;
                }
                while j < n {
                    let c = self.counts[j] as usize;
                    self.counts[j] = 0;
                    out[k..k + c].fill(x[j]);
                    k += c;
                    j += 1;
                }
            }
            Plan::MovingBlock { len } => {
                let len = len.clamp(1, n);
                let starts = n - len + 1;
                let mut k = 0;
                while k < n {
                    let s = rng.below(starts);
                    let take = len.min(n - k);
                    out[k..k + take].copy_from_slice(&x[s..s + take]);
                    k += take;
                }
            }
            Plan::Stationary { p } => {
                let mut idx = rng.below(n);
                out[0] = x[idx];
                for o in out.iter_mut().skip(1) {
                    if rng.uniform() < p {
                        idx = rng.below(n);
                    } else {
                        idx += 1;
                        if idx == n {
                            idx = 0;
                        }
                    }
                    *o = x[idx];
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn iid_resample_is_sorted_multiset_of_data() {
        let x: Vec<f64> = (0..50).map(|i| i as f64).collect();
        let mut r = Resampler::new(&x, Plan::Iid);
        let mut out = vec![0.0; 50];
        r.draw(&mut Rng::new(1), &mut out);
        assert!(out.windows(2).all(|w| w[0] <= w[1]));
        assert!(out.iter().all(|v| x.contains(v)));
        // Not the identity (probability ~ 50!/50^50 of failing).
        assert_ne!(out, x);
    }

    #[test]
    fn blocks_are_runs_of_consecutive_values() {
        let x: Vec<f64> = (0..100).map(|i| i as f64).collect();
        let mut out = vec![0.0; 100];
        let mut r = Resampler::new(&x, Plan::MovingBlock { len: 10 });
        r.draw(&mut Rng::new(2), &mut out);
        for chunk in out.chunks(10) {
            assert!(chunk.windows(2).all(|w| w[1] == w[0] + 1.0), "{chunk:?}");
        }
        let mut r = Resampler::new(&x, Plan::Stationary { p: 0.1 });
        r.draw(&mut Rng::new(3), &mut out);
        let breaks = out
            .windows(2)
            .filter(|w| w[1] != (w[0] + 1.0) % 100.0)
            .count();
        // About n p = 10 new blocks; far from iid (99) and from none.
        assert!((2..30).contains(&breaks), "{breaks}");
    }
}
