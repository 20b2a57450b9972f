//! Serial dependence: autocorrelation, effective sample size, Newey–West long-run variance, and a Welch-type test on long-run variances.
