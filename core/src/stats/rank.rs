//! Sort-once ranking with ties (average ranks, tie-group sizes), radix sort on f64 bit patterns.
