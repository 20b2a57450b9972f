//! The JSON of `shiftwatch inspect`: what a set of exports holds.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::io::inspect::Inspection;

/// `shiftwatch inspect --format json`: `{"schema": "shiftwatch.inspect/v1", "series": [...],
/// "read": {...}}`, with one [`crate::series::summary::SeriesSummary`] per series. The series
/// are summarised as they are written, so the report costs no memory per series beyond the
/// inspection itself.
#[derive(Debug)]
pub struct InspectReport<'a>(pub &'a Inspection);

/// Output schema.
pub const SCHEMA: &str = "shiftwatch.inspect/v1";

struct Series<'a>(&'a Inspection);

impl Serialize for Series<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.summaries())
    }
}

impl Serialize for InspectReport<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("InspectReport", 3)?;
        st.serialize_field("schema", SCHEMA)?;
        st.serialize_field("series", &Series(self.0))?;
        st.serialize_field("read", &self.0.report)?;
        st.end()
    }
}
