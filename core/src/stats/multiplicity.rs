//! Adjusted p-values for many comparisons: Benjamini–Hochberg, Benjamini–Yekutieli, Holm, Bonferroni.
