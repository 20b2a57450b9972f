//! Two-sample statistics: tests, effect sizes, resampling, dependence and multiplicity.
//!
//! Every function takes slices, validates them (see [`check`]), and returns a named,
//! serialisable result. Each statistic's doc comment gives its formula, assumptions and the
//! reference (paper or scipy function) it mirrors.

pub mod check;
pub mod common;
pub mod rng;

// Distributions and special functions.
pub mod dist;
pub mod special;

// Tests.
pub mod anderson;
pub mod brunner_munzel;
pub mod ks;
pub mod mann_whitney;
pub mod poisson;
pub mod rank;
pub mod scale;
pub mod ttest;
pub mod wilcoxon;

// Effect sizes and resampling.
pub mod block_length;
pub mod bootstrap;
pub mod effect;
pub mod permutation;
pub mod quantile;

// Dependence, multiplicity, and the default comparison.
pub mod compare;
pub mod dependence;
pub mod multiplicity;

pub use common::{Alternative, ConfidenceInterval};
