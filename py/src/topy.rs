//! Engine results → plain Python objects (`dict`, `list`, `float`, `int`, `str`, `None`).
//!
//! Every engine result derives `Serialize`, so one serializer turns any of them into the dict the
//! Python layer wraps in a frozen dataclass: field names are the engine's (`p_value`, `ci`, …).
//! Unlike `serde_json`, floats keep NaN and ±∞ (one-sided intervals end at ±∞). Serialization
//! first builds a small [`Val`] tree without the GIL, then [`Val::into_py`] turns it into objects.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Serialize};
use std::fmt;

/// A serialized value, independent of Python (so it can be built with the GIL released).
#[derive(Debug, Clone)]
pub enum Val {
    /// `None` (unit, `Option::None`).
    Null,
    /// `bool`.
    Bool(bool),
    /// Signed integer.
    Int(i64),
    /// Unsigned integer.
    UInt(u64),
    /// Float, NaN and ±∞ included.
    Float(f64),
    /// String (also unit enum variants, by their serde name).
    Str(String),
    /// Sequence, tuple.
    Seq(Vec<Val>),
    /// Map, struct (fields in declaration order).
    Map(Vec<(String, Val)>),
}

impl Val {
    /// Builds the Python object.
    pub fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            Val::Null => py.None(),
            Val::Bool(b) => b.into_py_any(py)?,
            Val::Int(i) => i.into_py_any(py)?,
            Val::UInt(u) => u.into_py_any(py)?,
            Val::Float(f) => f.into_py_any(py)?,
            Val::Str(s) => s.into_py_any(py)?,
            Val::Seq(items) => {
                let list = PyList::empty(py);
                for item in items {
                    list.append(item.into_py(py)?)?;
                }
                list.into_any().unbind()
            }
            Val::Map(entries) => {
                let dict = PyDict::new(py);
                for (k, v) in entries {
                    dict.set_item(k, v.into_py(py)?)?;
                }
                dict.into_any().unbind()
            }
        })
    }
}

/// Serializes `value` into a [`Val`] tree.
///
/// # Errors
/// Only for types that serde cannot describe (never for the engine's derived results).
pub fn to_val<T: Serialize + ?Sized>(value: &T) -> Result<Val, SerError> {
    value.serialize(ValSerializer)
}

/// A serialization failure (a bug, not a user error).
#[derive(Debug)]
pub struct SerError(String);

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerError(msg.to_string())
    }
}

struct ValSerializer;

/// Collects a sequence (seq, tuple, tuple struct, tuple variant).
pub struct SeqBuilder {
    items: Vec<Val>,
    variant: Option<&'static str>,
}

/// Collects a map or struct (optionally wrapped in `{variant: ...}`).
pub struct MapBuilder {
    entries: Vec<(String, Val)>,
    next_key: Option<String>,
    variant: Option<&'static str>,
}

fn wrap(variant: Option<&'static str>, val: Val) -> Val {
    match variant {
        Some(name) => Val::Map(vec![(name.to_string(), val)]),
        None => val,
    }
}

impl ser::Serializer for ValSerializer {
    type Ok = Val;
    type Error = SerError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = MapBuilder;

    fn serialize_bool(self, v: bool) -> Result<Val, SerError> {
        Ok(Val::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Val, SerError> {
        Ok(Val::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Val, SerError> {
        Ok(Val::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Val, SerError> {
        Ok(Val::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Val, SerError> {
        Ok(Val::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Val, SerError> {
        Ok(Val::UInt(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Val, SerError> {
        Ok(Val::UInt(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Val, SerError> {
        Ok(Val::UInt(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Val, SerError> {
        Ok(Val::UInt(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Val, SerError> {
        Ok(Val::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Val, SerError> {
        Ok(Val::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Val, SerError> {
        Ok(Val::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Val, SerError> {
        Ok(Val::Str(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Val, SerError> {
        Ok(Val::Seq(v.iter().map(|b| Val::UInt((*b).into())).collect()))
    }
    fn serialize_none(self) -> Result<Val, SerError> {
        Ok(Val::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Val, SerError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Val, SerError> {
        Ok(Val::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Val, SerError> {
        Ok(Val::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Val, SerError> {
        Ok(Val::Str(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Val, SerError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Val, SerError> {
        Ok(wrap(Some(variant), value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, SerError> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, SerError> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, SerError> {
        Ok(MapBuilder {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            next_key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder, SerError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<MapBuilder, SerError> {
        Ok(MapBuilder {
            entries: Vec::with_capacity(len),
            next_key: None,
            variant: Some(variant),
        })
    }
}

impl SeqBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.items.push(value.serialize(ValSerializer)?);
        Ok(())
    }
    fn finish(self) -> Val {
        wrap(self.variant, Val::Seq(self.items))
    }
}

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Val;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> Result<Val, SerError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Val;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> Result<Val, SerError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Val;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> Result<Val, SerError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleVariant for SeqBuilder {
    type Ok = Val;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> Result<Val, SerError> {
        Ok(self.finish())
    }
}

/// Map keys become strings (numbers and unit variants by their text).
fn key_string(key: Val) -> Result<String, SerError> {
    match key {
        Val::Str(s) => Ok(s),
        Val::Int(i) => Ok(i.to_string()),
        Val::UInt(u) => Ok(u.to_string()),
        Val::Bool(b) => Ok(b.to_string()),
        Val::Float(f) => Ok(f.to_string()),
        other => Err(SerError(format!("unsupported map key {other:?}"))),
    }
}

impl MapBuilder {
    fn finish(self) -> Val {
        wrap(self.variant, Val::Map(self.entries))
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Val;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        self.next_key = Some(key_string(key.serialize(ValSerializer)?)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let key = self
            .next_key
            .take()
            .ok_or_else(|| SerError("map value without key".to_string()))?;
        self.entries.push((key, value.serialize(ValSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Val, SerError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Val;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.entries
            .push((key.to_string(), value.serialize(ValSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Val, SerError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for MapBuilder {
    type Ok = Val;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.entries
            .push((key.to_string(), value.serialize(ValSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Val, SerError> {
        Ok(self.finish())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        TwoSided,
        Fixed(f64),
        Block { len: usize },
    }

    #[derive(Serialize)]
    struct Sample {
        p_value: f64,
        lo: f64,
        hi: f64,
        missing: Option<u8>,
        kind: Kind,
        fixed: Kind,
        block: Kind,
        pair: (i8, bool),
        name: &'static str,
    }

    #[test]
    fn keeps_non_finite_floats_and_field_order() {
        let v = to_val(&Sample {
            p_value: f64::NAN,
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
            missing: None,
            kind: Kind::TwoSided,
            fixed: Kind::Fixed(2.5),
            block: Kind::Block { len: 3 },
            pair: (-1, true),
            name: "x",
        })
        .unwrap();
        let Val::Map(entries) = v else {
            panic!("struct must become a map")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["p_value", "lo", "hi", "missing", "kind", "fixed", "block", "pair", "name"]
        );
        assert!(matches!(entries[0].1, Val::Float(f) if f.is_nan()));
        assert!(matches!(entries[1].1, Val::Float(f) if f == f64::NEG_INFINITY));
        assert!(matches!(entries[2].1, Val::Float(f) if f == f64::INFINITY));
        assert!(matches!(entries[3].1, Val::Null));
        assert!(matches!(&entries[4].1, Val::Str(s) if s == "two-sided"));
        assert!(
            matches!(&entries[5].1, Val::Map(m) if m[0].0 == "fixed" && matches!(m[0].1, Val::Float(f) if f == 2.5))
        );
        assert!(matches!(&entries[6].1, Val::Map(m) if m[0].0 == "block"));
        assert!(
            matches!(&entries[7].1, Val::Seq(s) if matches!(s[..], [Val::Int(-1), Val::Bool(true)]))
        );
    }

    #[test]
    fn map_keys_become_strings() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(3u32, 1.5f64);
        let Val::Map(entries) = to_val(&m).unwrap() else {
            panic!("map expected")
        };
        assert_eq!(entries[0].0, "3");
    }
}
