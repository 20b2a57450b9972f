#![doc = include_str!("../README.md")]

pub mod analyze;
pub mod changepoint;
pub mod error;
pub mod io;
pub mod policy;
pub mod report;
pub mod series;
pub mod stats;

#[cfg(feature = "cli")]
pub mod cli;

pub use error::{Error, Result};
