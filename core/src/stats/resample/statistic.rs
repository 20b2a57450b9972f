//! Two-sample statistics for resampling, with closed-form jackknives for the shipped ones.
//!
//! [`bootstrap_ci_with`](super::bootstrap::bootstrap_ci_with) evaluates a [`Statistic`] on
//! every resample and, for BCa, needs its delete-one jackknife over each sample. A generic
//! statistic is re-evaluated `n` times on `n - 1` values (O(n²) for the jackknife); the
//! [`Named`] statistics (means and quantiles, their differences and ratios) have closed forms:
//!
//! ```text
//! mean:      m₋ᵢ = m + (m - xᵢ) / (n - 1)                              O(n) for all i
//! quantile:  leave out the i-th order statistic s₍ᵢ₎ of the sorted sample; the linear
//!            (type 7) quantile of the rest is lerp(r_j, r_{j+1}, g) with h = (n - 2) q,
//!            j = ⌊h⌋, g = h - j and r_k = s_k (k < i), s_{k+1} (k ≥ i)   O(n log n) (one sort)
//! ```
//!
//! The BCa acceleration uses only the multiset of jackknife values, so they are returned in
//! sorted-sample order rather than data order.

use crate::stats::quantile::quantile_in_place;
use crate::{Error, Result};

/// A two-sample statistic `T(x, y)` as the resampling engines call it.
pub trait Statistic: Sync {
    /// The statistic on scratch buffers it may reorder; NaN if undefined.
    fn eval(&self, x: &mut [f64], y: &mut [f64]) -> f64;

    /// Delete-one jackknife values over `x` (with `y` whole) and over `y` (with `x` whole), in
    /// any order, when a closed form exists; `None` makes the engine re-evaluate [`eval`].
    ///
    /// [`eval`]: Statistic::eval
    fn jackknife(&self, _x: &[f64], _y: &[f64]) -> Option<[Vec<f64>; 2]> {
        None
    }
}

impl<F> Statistic for F
where
    F: Fn(&mut [f64], &mut [f64]) -> f64 + Sync,
{
    fn eval(&self, x: &mut [f64], y: &mut [f64]) -> f64 {
        self(x, y)
    }
}

/// One-sample summary of a [`Named`] statistic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Summary {
    /// Arithmetic mean.
    Mean,
    /// Linear (type 7, numpy's default) quantile at `q ∈ [0, 1]`.
    Quantile(f64),
}

/// How two summaries combine: candidate (`y`) minus or over baseline (`x`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// `s(y) - s(x)`.
    Difference,
    /// `s(y) / s(x)`.
    Ratio,
}

/// The shipped statistics: `combine(summary(x), summary(y))`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Named {
    /// Per-sample summary.
    pub summary: Summary,
    /// Difference or ratio.
    pub combine: Combine,
}

/// Accepted spellings of [`Named::parse`].
pub const NAMES: &str =
    "mean_diff, mean_ratio, median_diff, median_ratio, quantile_diff, quantile_ratio";

impl Named {
    /// `mean_diff`, `mean_ratio`, `median_diff`, `median_ratio`, `quantile_diff`,
    /// `quantile_ratio` (`q` is used by the quantile ones).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for `q` outside [0, 1], [`Error::UnknownName`].
    pub fn parse(name: &str, q: f64) -> Result<Self> {
        if !(0.0..=1.0).contains(&q) {
            return Err(Error::invalid("q", format!("must lie in [0, 1], got {q}")));
        }
        let (summary, combine) = match name.to_ascii_lowercase().replace('-', "_").as_str() {
            "mean_diff" => (Summary::Mean, Combine::Difference),
            "mean_ratio" => (Summary::Mean, Combine::Ratio),
            "median_diff" => (Summary::Quantile(0.5), Combine::Difference),
            "median_ratio" => (Summary::Quantile(0.5), Combine::Ratio),
            "quantile_diff" => (Summary::Quantile(q), Combine::Difference),
            "quantile_ratio" => (Summary::Quantile(q), Combine::Ratio),
            _ => {
                return Err(Error::UnknownName {
                    kind: "statistic",
                    value: name.to_string(),
                    expected: NAMES,
                })
            }
        };
        Ok(Named { summary, combine })
    }

    fn combine(&self, sx: f64, sy: f64) -> f64 {
        match self.combine {
            Combine::Difference => sy - sx,
            Combine::Ratio => sy / sx,
        }
    }

    fn summarise(&self, v: &mut [f64]) -> f64 {
        match self.summary {
            Summary::Mean => mean(v),
            Summary::Quantile(q) => quantile_in_place(v, q).unwrap_or(f64::NAN),
        }
    }

    /// The statistic on borrowed samples (copies for quantiles).
    pub fn eval_ref(&self, x: &[f64], y: &[f64]) -> f64 {
        match self.summary {
            Summary::Mean => self.combine(mean(x), mean(y)),
            Summary::Quantile(_) => self.eval(&mut x.to_vec(), &mut y.to_vec()),
        }
    }

    /// The summary on the full sample and its delete-one values (sorted-sample order).
    fn loo(&self, v: &[f64]) -> (f64, Vec<f64>) {
        let n = v.len();
        match self.summary {
            Summary::Mean => {
                let m = mean(v);
                let d = (n - 1) as f64;
                (m, v.iter().map(|&a| m + (m - a) / d).collect())
            }
            Summary::Quantile(q) => {
                let mut s = v.to_vec();
                s.sort_by(f64::total_cmp);
                // Sorted input: not reordered, O(n) to confirm.
                let full = quantile_in_place(&mut s, q).unwrap_or(f64::NAN);
                let m = n - 1;
                let h = (m - 1) as f64 * q;
                let j = h.floor();
                let g = h - j;
                let j = j as usize;
                let r = |k: usize, i: usize| if k < i { s[k] } else { s[k + 1] };
                let out = (0..n)
                    .map(|i| {
                        if j + 1 >= m {
                            r(m - 1, i)
                        } else {
                            lerp(r(j, i), r(j + 1, i), g)
                        }
                    })
                    .collect();
                (full, out)
            }
        }
    }
}

impl Statistic for Named {
    fn eval(&self, x: &mut [f64], y: &mut [f64]) -> f64 {
        let sx = self.summarise(x);
        let sy = self.summarise(y);
        self.combine(sx, sy)
    }

    fn jackknife(&self, x: &[f64], y: &[f64]) -> Option<[Vec<f64>; 2]> {
        if x.len() < 2 || y.len() < 2 {
            return None;
        }
        let (sx, lx) = self.loo(x);
        let (sy, ly) = self.loo(y);
        Some([
            lx.into_iter().map(|a| self.combine(a, sy)).collect(),
            ly.into_iter().map(|b| self.combine(sx, b)).collect(),
        ])
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The same interpolation as [`quantile_in_place`] (exact at both ends).
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    /// The closed forms equal brute-force re-evaluation on every left-out value.
    #[test]
    fn closed_form_jackknife_matches_brute_force() {
        let mut r = Rng::new(4);
        for n in [2usize, 3, 4, 7, 30] {
            let mut x: Vec<f64> = (0..n).map(|_| (r.normal() * 3.0).round()).collect();
            let y: Vec<f64> = (0..n + 3).map(|_| r.normal() + 10.0).collect();
            x.sort_by(f64::total_cmp);
            for name in ["mean_diff", "mean_ratio", "quantile_diff", "quantile_ratio"] {
                for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
                    let s = Named::parse(name, q).unwrap();
                    let [jx, jy] = s.jackknife(&x, &y).unwrap();
                    let brute = |a: &[f64], b: &[f64], swap: bool| -> Vec<f64> {
                        (0..a.len())
                            .map(|i| {
                                let mut rest: Vec<f64> = a.to_vec();
                                rest.remove(i);
                                if swap {
                                    s.eval_ref(b, &rest)
                                } else {
                                    s.eval_ref(&rest, b)
                                }
                            })
                            .collect()
                    };
                    let mut want_x = brute(&x, &y, false);
                    let mut want_y = brute(&y, &x, true);
                    let mut got_y = jy.clone();
                    want_y.sort_by(f64::total_cmp);
                    got_y.sort_by(f64::total_cmp);
                    want_x.sort_by(f64::total_cmp);
                    let mut got_x = jx.clone();
                    got_x.sort_by(f64::total_cmp);
                    for (g, w) in got_x.iter().chain(&got_y).zip(want_x.iter().chain(&want_y)) {
                        assert!(
                            g == w
                                || (g - w).abs() <= 1e-12 * w.abs().max(1.0)
                                || (g.is_nan() && w.is_nan()),
                            "{name} q={q} n={n}: {g} vs {w}"
                        );
                    }
                }
            }
        }
    }
}
