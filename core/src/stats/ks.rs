//! Two-sample Kolmogorov–Smirnov test (exact and asymptotic), mirroring scipy.stats.ks_2samp.
