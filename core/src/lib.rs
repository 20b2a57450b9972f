#![doc = include_str!("../README.md")]

pub mod changepoint;
pub mod error;
pub mod io;
pub mod progress;
pub mod series;
pub mod stats;

#[cfg(feature = "cli")]
pub mod cli;

pub use error::{Error, Result};
