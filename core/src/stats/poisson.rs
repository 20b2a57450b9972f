//! Exact conditional test and confidence interval for the ratio of two Poisson rates.
