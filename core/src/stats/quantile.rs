//! Quantiles and medians by selection (no full sort), with scipy/numpy's default interpolation.
