//! Distributions used by the tests: normal, Student t, chi-squared, F, beta, binomial, Poisson (cdf, sf, ppf).
