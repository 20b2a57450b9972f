//! Numerical support: special functions, distributions, the seeded generator, ranking and
//! sample quantiles. Nothing here is a statistical test; the tests are built on it.

pub mod dist;
pub mod quantile;
pub mod rank;
pub mod rng;
pub mod special;
