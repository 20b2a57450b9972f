//! The one entry point: compare baseline and candidate values with a default that stays calibrated on autocorrelated data.
