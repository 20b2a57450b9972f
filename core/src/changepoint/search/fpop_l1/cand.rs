//! The candidates of [`super::fpop_l1`] and what is known of their segment cost.

use crate::changepoint::cost::L1;

/// An alive candidate `t` and what is known of `C(t, s)`: exactly (`exact`, the median ranks
/// `r_lo <= r_hi` known; never before the first evaluation), or a lower bound `val` with
/// `g_{t,s}(θ) >= val + dist(θ, [j_lo, j_hi])`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cand {
    pub(super) t: usize,
    /// `C(t, s)` when `exact`, otherwise a lower bound of it.
    pub(super) val: f64,
    j_lo: f64,
    j_hi: f64,
    r_lo: u32,
    r_hi: u32,
    pub(super) exact: bool,
    /// False until the first evaluation (the newcomer).
    pub(super) known: bool,
}

impl Cand {
    pub(super) fn new(t: usize) -> Self {
        Cand {
            t,
            val: 0.0,
            j_lo: 0.0,
            j_hi: 0.0,
            r_lo: 0,
            r_hi: 0,
            exact: false,
            known: false,
        }
    }

    /// Adds the sample `x` of rank `q` (at position `s - 1`) to the segment `[t, s - 1)`.
    ///
    /// ```text
    /// C(t, s) = C(t, s-1) + dist(x, I)     I = the median interval of x[t..s-1)
    /// ```
    /// (g is flat on I and has slope magnitude at least 1 outside it). The new median interval
    /// needs the neighbour of the old median in the segment, looked up among the next few ranks;
    /// when it is further, the state becomes the bound `C + dist(θ, I')` with `I'` widened to
    /// `x` (every later sample keeps it a bound: a cone of slope 1 plus |x - θ| is again one).
    #[inline]
    pub(super) fn push(&mut self, cost: &L1, s: usize, x: f64, q: u32, probes: usize) {
        if !self.known {
            return;
        }
        if !self.exact {
            if x < self.j_lo {
                self.val += self.j_lo - x;
                self.j_hi = self.j_lo;
                self.j_lo = x;
            } else if x > self.j_hi {
                self.val += x - self.j_hi;
                self.j_lo = self.j_hi;
                self.j_hi = x;
            } else {
                self.j_lo = x;
                self.j_hi = x;
            }
            return;
        }
        if self.r_lo != self.r_hi {
            // Even size: the new median is x clamped to I.
            self.val += (self.j_lo - x).max(x - self.j_hi).max(0.0);
            let r = q.clamp(self.r_lo, self.r_hi);
            self.r_lo = r;
            self.r_hi = r;
            self.j_lo = cost.value(r as usize);
            self.j_hi = self.j_lo;
            return;
        }
        // Odd size, median v of rank r: I' = [v, min(x, next)] or [max(x, previous), v].
        self.val += (x - self.j_lo).abs();
        let r = self.r_lo as usize;
        let (t, end) = (self.t as u32, (s - 1) as u32);
        let pos = cost.positions();
        let inside = |rr: usize| (t..end).contains(&pos[rr]);
        if (q as usize) > r {
            let stop = (q as usize).min(r + probes);
            match (r + 1..stop).find(|&rr| inside(rr)) {
                Some(rr) => self.r_hi = rr as u32,
                None if stop == q as usize => self.r_hi = q,
                None => {
                    self.exact = false;
                    self.j_hi = x;
                    return;
                }
            }
            self.j_hi = cost.value(self.r_hi as usize);
        } else {
            let stop = (q as usize).max(r.saturating_sub(probes));
            match (stop + 1..r).rev().find(|&rr| inside(rr)) {
                Some(rr) => self.r_lo = rr as u32,
                None if stop == q as usize => self.r_lo = q,
                None => {
                    self.exact = false;
                    self.j_lo = x;
                    return;
                }
            }
            self.j_lo = cost.value(self.r_lo as usize);
        }
    }

    /// Evaluates `C(t, s)` and the median ranks exactly (from the samples for a short segment,
    /// otherwise by descents of the rank index).
    pub(super) fn evaluate(
        &mut self,
        cost: &L1,
        x: &[f64],
        s: usize,
        short: usize,
        buf: &mut Vec<u32>,
    ) {
        let (t, m) = (self.t, s - self.t);
        let (k_lo, k_hi) = ((m - 1) / 2, m / 2);
        if m <= short {
            buf.clear();
            buf.extend_from_slice(&cost.ranks()[t..s]);
            let (_, &mut r_lo, upper) = buf.select_nth_unstable(k_lo);
            self.r_lo = r_lo;
            self.r_hi = if k_hi == k_lo {
                r_lo
            } else {
                upper.iter().copied().min().unwrap_or(r_lo)
            };
            let v = cost.value(r_lo as usize);
            self.val = x[t..s].iter().map(|&w| (w - v).abs()).sum();
        } else {
            let (r_lo, below) = cost.order_rank(t, s, k_lo);
            let v = cost.value(r_lo);
            let total = cost.sum(t, s);
            self.val =
                ((k_lo as f64 * v - below) + (total - below - (m - k_lo) as f64 * v)).max(0.0);
            self.r_lo = r_lo as u32;
            self.r_hi = if k_hi == k_lo {
                self.r_lo
            } else {
                cost.order_rank(t, s, k_hi).0 as u32
            };
        }
        self.j_lo = cost.value(self.r_lo as usize);
        self.j_hi = cost.value(self.r_hi as usize);
        self.exact = true;
        self.known = true;
    }
}
