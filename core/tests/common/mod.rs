//! Shared by the integration tests: tolerances (in one place) and the reference-JSON loader.
#![allow(dead_code)]

use std::path::PathBuf;

/// Relative tolerances for comparisons against reference values.
pub mod tol {
    /// Exact (combinatorial) distributions and closed forms.
    pub const EXACT: f64 = 1e-12;
    /// Asymptotic approximations and special-function based p-values.
    pub const ASYMPTOTIC: f64 = 1e-9;
}

/// Path of a file in `datasets/` at the workspace root.
pub fn dataset(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("datasets")
        .join(relative)
}

/// Loads `datasets/reference/{name}.json` (written by `datasets/scripts/reference/{name}.py`).
pub fn reference(name: &str) -> serde_json::Value {
    let path = dataset(&format!("reference/{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON in {}: {e}", path.display()))
}

/// The cases of `datasets/reference/{name}.json` whose `kind` is `kind`.
pub fn reference_cases(name: &str, kind: &str) -> Vec<serde_json::Value> {
    reference(name)["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: no 'cases' array"))
        .iter()
        .filter(|c| c["kind"] == kind)
        .cloned()
        .collect()
}

/// A JSON array of indices (breakpoints, segment ends).
pub fn indices(v: &serde_json::Value) -> Vec<usize> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|b| b.as_u64().unwrap_or_else(|| panic!("not an index: {b}")) as usize)
        .collect()
}

/// `|actual - expected| <= rel * |expected|` (exact equality for infinities and zero),
/// with a message naming the case.
#[track_caller]
pub fn assert_rel(actual: f64, expected: f64, rel: f64, context: &str) {
    if expected == actual || (expected.is_nan() && actual.is_nan()) {
        return;
    }
    let err = (actual - expected).abs();
    assert!(
        err <= rel * expected.abs(),
        "{context}: got {actual:e}, expected {expected:e} (relative error {:e} > {rel:e})",
        err / expected.abs()
    );
}

/// Reads a JSON array of numbers as `Vec<f64>` (`null` → NaN; strings "inf", "-inf", "nan").
pub fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(float).collect()
}

/// Reads one JSON number (`null` → NaN; strings "inf", "-inf", "nan").
pub fn float(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::Number(n) => n.as_f64().expect("f64"),
        serde_json::Value::String(s) => s.parse().expect("float string"),
        _ => f64::NAN,
    }
}
