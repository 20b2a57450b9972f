//! Student and Welch t-tests, two-sample and paired, mirroring scipy.stats.ttest_ind / ttest_rel.
