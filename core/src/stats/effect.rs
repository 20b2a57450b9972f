//! Effect sizes: Hodges–Lehmann shift with CI, Cliff's delta, differences and ratios of means, medians and quantiles.
