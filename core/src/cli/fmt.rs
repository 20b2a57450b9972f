//! Number formatting shared by the `detect` tables.

use std::io::Write;

/// About 5 significant digits; scientific notation for very large or small magnitudes.
pub(super) fn num(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e6 || v.abs() < 1e-3) {
        format!("{v:.4e}")
    } else {
        format!("{v:.4}")
    }
}

/// A p-value: 4 decimals, scientific below 1e-4.
pub(super) fn p(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.1e}")
    } else {
        format!("{p:.4}")
    }
}

/// Writes the leading cells of a table row: the index, and the time when the input has times.
pub(super) fn lead(
    out: &mut impl Write,
    index: &dyn std::fmt::Display,
    time: Option<&str>,
) -> std::io::Result<()> {
    match time {
        Some(t) => write!(out, "{index:>8}  {t:<20}"),
        None => write!(out, "{index:>8}"),
    }
}
