//! Two-sample statistics: tests, effect sizes, resampling, dependence and multiplicity.
//!
//! Every function takes slices, validates them (see [`check`]), and returns a named,
//! serialisable result. Each statistic's doc comment gives its formula, assumptions and the
//! reference (paper or scipy function) it mirrors.
//!
//! Grouped by concept: [`math`] (special functions, distributions, generator, ranks,
//! quantiles), [`hypothesis`] (the tests), [`effect`] (effect sizes), [`resample`] (bootstrap,
//! permutation, block length), [`dependence`] (autocorrelation, long-run variance), then
//! [`compare`] (the default comparison) and [`multiplicity`]. The flat paths
//! (`stats::ttest`, `stats::bootstrap`, `stats::dist`, …) are re-exported and stay valid.

pub mod check;
pub mod common;

pub mod dependence;
pub mod effect;
pub mod hypothesis;
pub mod math;
pub mod resample;

pub mod compare;
pub mod multiplicity;

pub use common::{Alternative, ConfidenceInterval};
pub use hypothesis::{anderson, brunner_munzel, ks, mann_whitney, poisson, scale, ttest, wilcoxon};
pub use math::{dist, quantile, rank, rng, special};
pub use resample::{block_length, bootstrap, permutation};
