//! Data-driven block length for block bootstraps (Politis–White 2004 with the Patton–Politis–White 2009 correction).
