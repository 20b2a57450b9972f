//! Quantiles and medians by selection (no full sort), with scipy/numpy's default interpolation.
//!
//! ```text
//! h = (n - 1) q,   j = floor(h),   g = h - j
//! Q(q) = x(j) + g (x(j+1) - x(j))      (numpy's lerp: x(j+1) - (1 - g)(x(j+1) - x(j)) when g >= 0.5)
//! ```
//!
//! where `x(j)` is the `j`-th smallest value (0-based). This is Hyndman & Fan's type 7, the
//! default of `numpy.quantile` (`method="linear"`), `scipy.stats.quantile` and R's `quantile`.
//! The two order statistics are found by `select_nth_unstable_by(f64::total_cmp)`, so the cost is
//! O(n) expected instead of a sort. [`median`] mirrors `numpy.median` (mean of the two middle
//! values for even `n`, computed as `(a + b) / 2`).

use crate::stats::check;
use crate::{Error, Result};

/// Checks a probability `q` in `[0, 1]`.
fn check_q(q: f64) -> Result<()> {
    if (0.0..=1.0).contains(&q) {
        Ok(())
    } else {
        Err(Error::invalid("q", format!("must lie in [0, 1], got {q}")))
    }
}

/// numpy's `_lerp`: `a + t (b - a)`, or `b - (1 - t)(b - a)` when `t >= 0.5` (so that the
/// result is exact at both ends and monotone in `t`).
#[inline]
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// `true` when `x` is sorted ascending (early exit on the first descent, so cheap on
/// unsorted data).
#[inline]
fn is_sorted(x: &[f64]) -> bool {
    x.windows(2).all(|w| w[0] <= w[1])
}

/// The `q`-quantile of `x` (numpy's default linear interpolation), reordering `x` in place.
///
/// For hot loops (bootstrap, permutation) that own a scratch buffer: no allocation, O(n)
/// expected time (O(n) with no selection at all when `x` is already sorted). Values must be
/// finite; this function does not check them (use [`quantile`] for checked input).
///
/// # Errors
/// [`Error::TooFewPoints`] when `x` is empty; [`Error::InvalidArgument`] when `q` is not in
/// `[0, 1]`.
pub fn quantile_in_place(x: &mut [f64], q: f64) -> Result<f64> {
    check_q(q)?;
    let n = x.len();
    if n == 0 {
        return Err(Error::TooFewPoints {
            what: "x",
            needed: 1,
            got: 0,
        });
    }
    let h = (n - 1) as f64 * q;
    let j = h.floor();
    let g = h - j;
    let j = j as usize;
    if j + 1 >= n {
        // q = 1 (or h rounds up to n - 1): the maximum.
        return Ok(if is_sorted(x) {
            x[n - 1]
        } else {
            x.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        });
    }
    if is_sorted(x) {
        return Ok(lerp(x[j], x[j + 1], g));
    }
    let (_, &mut a, right) = x.select_nth_unstable_by(j, f64::total_cmp);
    let b = right.iter().copied().fold(f64::INFINITY, f64::min);
    Ok(lerp(a, b, g))
}

/// The `q`-quantile of `x` with numpy's default (linear, type 7) definition.
///
/// Mirrors `numpy.quantile(x, q)`. Copies `x` once; see [`quantile_in_place`] to avoid that.
///
/// ```
/// use shiftwatch::stats::quantile::quantile;
/// assert_eq!(quantile(&[4.0, 1.0, 3.0, 2.0], 0.25)?, 1.75); // numpy.quantile(…, 0.25)
/// # Ok::<(), shiftwatch::Error>(())
/// ```
///
/// # Errors
/// [`Error::TooFewPoints`] (empty), [`Error::NonFinite`], [`Error::InvalidArgument`] (`q`
/// outside `[0, 1]`).
pub fn quantile(x: &[f64], q: f64) -> Result<f64> {
    check::sample("x", x, 1)?;
    check_q(q)?;
    let mut buf = x.to_vec();
    quantile_in_place(&mut buf, q)
}

/// The median of `x`, reordering `x` in place (numpy's `median`: the middle value, or the mean
/// `(a + b) / 2` of the two middle values). Values are not checked for finiteness.
///
/// # Errors
/// [`Error::TooFewPoints`] when `x` is empty.
pub fn median_in_place(x: &mut [f64]) -> Result<f64> {
    let n = x.len();
    if n == 0 {
        return Err(Error::TooFewPoints {
            what: "x",
            needed: 1,
            got: 0,
        });
    }
    let half = n / 2;
    if is_sorted(x) {
        return Ok(if n % 2 == 1 {
            x[half]
        } else {
            (x[half - 1] + x[half]) / 2.0
        });
    }
    let (left, &mut b, _) = x.select_nth_unstable_by(half, f64::total_cmp);
    if n % 2 == 1 {
        return Ok(b);
    }
    let a = left.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Ok((a + b) / 2.0)
}

/// The median of `x`, mirroring `numpy.median`.
///
/// # Errors
/// [`Error::TooFewPoints`] (empty) or [`Error::NonFinite`].
pub fn median(x: &[f64]) -> Result<f64> {
    check::sample("x", x, 1)?;
    let mut buf = x.to_vec();
    median_in_place(&mut buf)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn small_cases_match_numpy() {
        // numpy.quantile([1, 2, 3, 4], 0.25) == 1.75; numpy.median([3, 1, 2, 4]) == 2.5.
        assert_eq!(quantile(&[4.0, 1.0, 3.0, 2.0], 0.25).unwrap(), 1.75);
        assert_eq!(median(&[3.0, 1.0, 2.0, 4.0]).unwrap(), 2.5);
        assert_eq!(median(&[3.0, 1.0, 2.0]).unwrap(), 2.0);
        assert_eq!(quantile(&[5.0], 0.3).unwrap(), 5.0);
        assert_eq!(quantile(&[2.0, 1.0, 9.0], 1.0).unwrap(), 9.0);
        assert_eq!(quantile(&[2.0, 1.0, 9.0], 0.0).unwrap(), 1.0);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            quantile(&[], 0.5),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(median(&[]), Err(Error::TooFewPoints { .. })));
        assert!(matches!(
            quantile(&[1.0, f64::NAN], 0.5),
            Err(Error::NonFinite { index: 1, .. })
        ));
        assert!(matches!(
            quantile(&[1.0], 1.5),
            Err(Error::InvalidArgument { .. })
        ));
        assert!(matches!(
            quantile(&[1.0], f64::NAN),
            Err(Error::InvalidArgument { .. })
        ));
    }

    #[test]
    fn sorted_and_unsorted_agree() {
        let x: Vec<f64> = (0..101).map(|i| ((i * 37) % 101) as f64).collect();
        let mut s = x.clone();
        s.sort_by(f64::total_cmp);
        for q in [0.0, 0.01, 0.25, 0.5, 0.77, 0.999, 1.0] {
            let a = quantile_in_place(&mut x.clone(), q).unwrap();
            let b = quantile_in_place(&mut s.clone(), q).unwrap();
            assert_eq!(a, b, "q={q}");
        }
    }
}
