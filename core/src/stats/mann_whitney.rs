//! Mann–Whitney U test (exact and normal approximation), mirroring scipy.stats.mannwhitneyu.
