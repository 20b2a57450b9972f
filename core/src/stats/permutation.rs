//! Seeded two-sample permutation tests.
