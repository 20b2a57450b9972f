//! Gaussian change in mean of several aligned series at once: the multivariate L2 cost.

use super::{Cost, Units};
use crate::{Error, Result};

/// Names used in errors for the first columns (0-based, as Python indexes them); the error enum
/// carries `&'static str`.
const COLUMN_NAMES: [&str; 16] = [
    "column 0",
    "column 1",
    "column 2",
    "column 3",
    "column 4",
    "column 5",
    "column 6",
    "column 7",
    "column 8",
    "column 9",
    "column 10",
    "column 11",
    "column 12",
    "column 13",
    "column 14",
    "column 15",
];

/// The `&'static` name of column `j` for error messages (`"column j"`, 0-based; `"a column"`
/// past the 16th).
pub(crate) fn column_name(j: usize) -> &'static str {
    COLUMN_NAMES.get(j).copied().unwrap_or("a column")
}

/// Validates `d ≥ 1` columns of equal length `n ≥ 1` with finite values; returns `n`.
pub(crate) fn check_columns(columns: &[&[f64]]) -> Result<usize> {
    let Some(first) = columns.first() else {
        return Err(Error::invalid("columns", "at least one column is needed"));
    };
    let n = first.len();
    for (j, c) in columns.iter().enumerate() {
        if c.len() != n {
            return Err(Error::LengthMismatch {
                what: "columns (column 0 vs another column)",
                left: n,
                right: c.len(),
            });
        }
        crate::stats::check::finite(column_name(j), c)?;
    }
    if n == 0 {
        return Err(Error::TooFewPoints {
            what: "columns",
            needed: 1,
            got: 0,
        });
    }
    Ok(n)
}

/// Sum over `d` aligned columns of their [`super::L2`] costs.
///
/// ```text
/// C(a, b) = Σ_{j<d} Σ_{a<=i<b} (x_ij - x̄_j,a:b)²  =  Σ_j max(0, S2_j(a,b) - S1_j(a,b)² / (b - a))
/// ```
/// with per-column prefix sums of the values centred by the column mean. Equals `σ² (-2 log L)`
/// of a d-variate Gaussian with covariance `σ² I` and a free mean vector per segment (up to a
/// constant), so [`Cost::params_per_segment`] is `d`. Mirrors ruptures' `CostL2` on a 2-D signal
/// (`signal[a:b].var(axis=0).sum() * (b - a)`). Columns on different scales should be
/// standardised first (as [`crate::changepoint::detect_multivariate`] does), otherwise the
/// noisiest column dominates.
#[derive(Debug, Clone)]
pub struct L2Multi {
    /// Row-major `(n + 1) × d` prefix sums of the centred values.
    s1: Vec<f64>,
    /// Row-major `(n + 1) × d` prefix sums of their squares.
    s2: Vec<f64>,
    d: usize,
}

impl L2Multi {
    /// Prepares the prefix sums of the columns (each of length n).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for no column, [`Error::LengthMismatch`] for columns of
    /// different lengths, [`Error::TooFewPoints`] for empty columns and [`Error::NonFinite`]
    /// (naming the column, 0-based) for NaN/±∞.
    pub fn new(columns: &[&[f64]]) -> Result<Self> {
        let n = check_columns(columns)?;
        let d = columns.len();
        let centres: Vec<f64> = columns
            .iter()
            .map(|c| c.iter().sum::<f64>() / n as f64)
            .collect();
        let mut s1 = vec![0.0; (n + 1) * d];
        let mut s2 = vec![0.0; (n + 1) * d];
        for (j, (col, &c)) in columns.iter().zip(&centres).enumerate() {
            let (mut a1, mut a2) = (0.0, 0.0);
            for (i, &v) in col.iter().enumerate() {
                let y = v - c;
                a1 += y;
                a2 += y * y;
                s1[(i + 1) * d + j] = a1;
                s2[(i + 1) * d + j] = a2;
            }
        }
        Ok(L2Multi { s1, s2, d })
    }

    /// Number of columns d.
    pub fn dims(&self) -> usize {
        self.d
    }
}

impl Cost for L2Multi {
    fn len(&self) -> usize {
        self.s1.len() / self.d - 1
    }

    #[inline]
    fn cost(&self, start: usize, end: usize) -> f64 {
        let m = (end - start) as f64;
        let (a, b) = (start * self.d, end * self.d);
        let mut total = 0.0;
        for j in 0..self.d {
            let s = self.s1[b + j] - self.s1[a + j];
            let c = self.s2[b + j] - self.s2[a + j] - s * s / m;
            total += c.max(0.0);
        }
        total
    }

    fn params_per_segment(&self) -> usize {
        self.d
    }

    fn units(&self) -> Units {
        Units::SumOfSquares
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changepoint::cost::L2;

    #[test]
    fn is_the_sum_of_column_costs() {
        let a = [1.0, 3.0, 2.0, 7.0, 5.0, 5.0, 0.5, 4.0];
        let b = [10.0, 30.0, 20.0, 70.0, 50.0, 50.0, 5.0, 40.0];
        let multi = L2Multi::new(&[&a, &b]).unwrap_or_else(|e| panic!("{e}"));
        let (la, lb) = (L2::new(&a), L2::new(&b));
        let (la, lb) = (
            la.unwrap_or_else(|e| panic!("{e}")),
            lb.unwrap_or_else(|e| panic!("{e}")),
        );
        assert_eq!(multi.len(), 8);
        assert_eq!(multi.params_per_segment(), 2);
        for (s, e) in [(0, 8), (2, 7), (3, 4), (0, 1)] {
            let want = la.cost(s, e) + lb.cost(s, e);
            assert!((multi.cost(s, e) - want).abs() <= 1e-12 * want.max(1.0));
        }
    }

    #[test]
    fn bad_columns_are_errors() {
        assert!(matches!(
            L2Multi::new(&[]),
            Err(Error::InvalidArgument { .. })
        ));
        assert!(matches!(
            L2Multi::new(&[&[1.0, 2.0], &[1.0]]),
            Err(Error::LengthMismatch {
                left: 2,
                right: 1,
                ..
            })
        ));
        assert!(matches!(
            L2Multi::new(&[&[], &[]]),
            Err(Error::TooFewPoints { .. })
        ));
        assert!(matches!(
            L2Multi::new(&[&[1.0, 2.0], &[1.0, f64::NAN]]),
            Err(Error::NonFinite {
                what: "column 1",
                index: 1,
                ..
            })
        ));
    }
}
