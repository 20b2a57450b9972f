//! Series preparation: identity, counters to rates with reset detection, histogram quantiles,
//! alignment onto a common grid, warm-up trimming. Every drop or repair is counted.
