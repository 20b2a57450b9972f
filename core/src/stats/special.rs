//! Special functions (error function, incomplete beta and gamma, log-gamma) to double precision.
