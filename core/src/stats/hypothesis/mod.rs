//! Hypothesis tests: location (t, Mann–Whitney, Wilcoxon, Brunner–Munzel), distribution
//! (Kolmogorov–Smirnov, Anderson–Darling), scale and Poisson rate tests.

pub mod anderson;
pub mod brunner_munzel;
pub mod ks;
pub mod mann_whitney;
pub mod poisson;
pub mod scale;
pub mod ttest;
pub mod wilcoxon;
