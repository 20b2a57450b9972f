//! Anderson–Darling k-sample test, mirroring scipy.stats.anderson_ksamp.
