//! Bootstrap confidence intervals (percentile, BCa) with iid, moving-block and stationary resampling.
