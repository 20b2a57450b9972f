//! Brunner–Munzel test of stochastic equality, mirroring scipy.stats.brunnermunzel.
