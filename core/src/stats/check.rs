//! Input validation shared by every statistic: finite values, minimum sizes, argument domains.

use crate::{Error, Result};

/// Errors unless every value is finite; names the first offending index.
///
/// # Errors
/// [`Error::NonFinite`] with the index and value of the first NaN or ±∞.
pub fn finite(what: &'static str, x: &[f64]) -> Result<()> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite {
            what,
            index,
            value: x[index],
        }),
        None => Ok(()),
    }
}

/// Errors unless `x` has at least `needed` values.
///
/// # Errors
/// [`Error::TooFewPoints`].
pub fn min_len(what: &'static str, x: &[f64], needed: usize) -> Result<()> {
    if x.len() < needed {
        Err(Error::TooFewPoints {
            what,
            needed,
            got: x.len(),
        })
    } else {
        Ok(())
    }
}

/// [`min_len`] then [`finite`]: the usual check of one sample.
///
/// # Errors
/// [`Error::TooFewPoints`] or [`Error::NonFinite`].
pub fn sample(what: &'static str, x: &[f64], needed: usize) -> Result<()> {
    min_len(what, x, needed)?;
    finite(what, x)
}

/// Errors unless `alpha` (or a confidence level) lies strictly inside (0, 1).
///
/// # Errors
/// [`Error::InvalidArgument`].
pub fn probability(name: &'static str, p: f64) -> Result<()> {
    if p > 0.0 && p < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid(name, format!("must lie in (0, 1), got {p}")))
    }
}

/// Errors unless both paired samples have the same length.
///
/// # Errors
/// [`Error::LengthMismatch`].
pub fn same_len(what: &'static str, x: &[f64], y: &[f64]) -> Result<()> {
    if x.len() == y.len() {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            what,
            left: x.len(),
            right: y.len(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_first_non_finite_index() {
        let err = finite("x", &[1.0, f64::NAN, f64::INFINITY]).expect_err("NaN");
        assert!(matches!(err, Error::NonFinite { index: 1, .. }));
        assert!(err.to_string().contains("index 1"));
    }

    #[test]
    fn too_few_is_insufficient_data() {
        let err = sample("x", &[1.0], 2).expect_err("too few");
        assert!(err.is_insufficient_data());
    }
}
