//! Resampling: bootstrap confidence intervals (iid, moving-block, stationary), permutation
//! tests and the automatic block length.

pub mod block_length;
pub mod bootstrap;
pub mod permutation;
pub mod statistic;
