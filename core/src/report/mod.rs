//! The serde types every command and binding emits: the only JSON shiftwatch writes.
//!
//! The CLI serialises these values; Python's `to_dict()` converts the same values, so the two
//! are equal by construction. Field names are the contract (`schema` versions it): adding a
//! field is free, renaming one bumps the schema.

pub mod analysis;
pub mod compare;
pub mod detect;
pub mod html;
pub mod inspect;
pub mod render;
pub mod series;
pub use analysis::*;
pub use series::{MetricSeries, SeriesLine};
