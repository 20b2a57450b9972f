//! Two-sample statistics: tests, effect sizes, resampling, dependence and multiplicity.
//!
//! Every function takes slices, validates them (see [`check`]), and returns a named,
//! serialisable result. Each statistic's doc comment gives its formula, assumptions and the
//! reference (paper or scipy function) it mirrors.

pub mod check;
pub mod common;
pub mod rng;

pub use common::{Alternative, ConfidenceInterval};
