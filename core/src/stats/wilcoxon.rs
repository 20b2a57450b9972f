//! Wilcoxon signed-rank test for paired samples, mirroring scipy.stats.wilcoxon.
