//! Lenient readers for server JSON, shared by every wire module: a server's
//! odd value (a number where text was expected, `null` for a list, an
//! unknown shape) is read as well as it can be, never fatal.

use serde::de::{Deserializer, Error as _, Unexpected};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The fields of an object being read by hand: a JSON object by name, or
/// (as serde's derive reads a struct from an array) an array by position.
/// One non-generic reader per field kind keeps the wasm small: serde's
/// derived readers were instantiated once per type and per nesting
/// (docs/size.md).
pub(crate) enum Fields<'a> {
    /// `{"Name": …}`.
    Map(&'a Map<String, Value>),
    /// `[…]`, field `index` at position `index`.
    Seq(&'a [Value]),
}

impl<'a> Fields<'a> {
    /// Field `index`, named `name` (by name in an object, by position in an array).
    pub(crate) fn get(&self, index: usize, name: &str) -> Option<&'a Value> {
        match self {
            Fields::Map(map) => map.get(name),
            Fields::Seq(items) => items.get(index),
        }
    }
}

/// A wire type read by hand from a JSON object, as leniently as serde's
/// derive with the lenient field readers below read it.
pub(crate) trait ReadWire: Sized {
    /// What serde's derive calls the type in errors (`struct Name`).
    const EXPECTING: &'static str;
    /// How many fields an array may hold (serde's derive reads a struct
    /// from an array by position); 0 when the type is read from objects
    /// only (a flattened `extra`).
    const FIELDS: usize;
    /// Reads the fields; an error only where serde's derive failed too.
    fn read(fields: &Fields) -> Result<Self, serde_json::Error>;
}

/// The error serde gives for `v` where `expected` was expected.
pub(crate) fn invalid_type(v: &Value, expected: &str) -> serde_json::Error {
    let unexpected = match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    };
    serde_json::Error::invalid_type(unexpected, &expected)
}

/// Reads `T` from a JSON value as serde's derive did: an object by name, an
/// array by position, anything else an error.
pub(crate) fn read_value<T: ReadWire>(v: &Value) -> Result<T, serde_json::Error> {
    match v {
        Value::Object(map) => T::read(&Fields::Map(map)),
        Value::Array(items) if T::FIELDS > 0 => {
            // Read first, then the leftovers are an error (as serde_json does).
            let value = T::read(&Fields::Seq(items))?;
            if items.len() > T::FIELDS {
                return Err(serde_json::Error::invalid_length(
                    items.len(),
                    &"fewer elements in array",
                ));
            }
            Ok(value)
        }
        other => Err(invalid_type(other, T::EXPECTING)),
    }
}

/// Implements `Deserialize` for hand-read wire types (through a JSON value).
macro_rules! deserialize_by_hand {
    ($($name:ty),+ $(,)?) => {$(
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(de)?;
                $crate::api::wire::lenient::read_value(&value)
                    .map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    )+};
}
pub(crate) use deserialize_by_hand;

/// Field reader: text (strings as they are, numbers and booleans printed).
pub(crate) fn opt_text(v: Option<&Value>) -> Option<String> {
    v.and_then(value_text)
}

/// Field reader: text, "" when missing or `null`.
pub(crate) fn text(v: Option<&Value>) -> String {
    opt_text(v).unwrap_or_default()
}

/// Field reader: a boolean (also "true"/"false").
pub(crate) fn opt_flag(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Field reader: a boolean, false when unreadable.
pub(crate) fn flag(v: Option<&Value>) -> bool {
    opt_flag(v).unwrap_or(false)
}

/// Field reader: an integer (also numeric strings and whole floats).
pub(crate) fn opt_int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Field reader: an integer, 0 when unreadable.
pub(crate) fn int(v: Option<&Value>) -> i64 {
    opt_int(v).unwrap_or(0)
}

/// Field reader: a list of strings (non-strings printed, one string a list of one).
pub(crate) fn text_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(value_text).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Field reader: a `{string: string}` map (`null` values as "").
pub(crate) fn text_map(v: Option<&Value>) -> BTreeMap<String, String> {
    match v {
        Some(Value::Object(map)) => {
            // Inserted one by one: smaller in the wasm than `collect`'s
            // sort and bulk build, and the keys come sorted anyway.
            let mut out = BTreeMap::new();
            for (k, v) in map {
                out.insert(k.clone(), value_text(v).unwrap_or_default());
            }
            out
        }
        _ => BTreeMap::new(),
    }
}

/// Field reader: any JSON value but `null`, kept as it is.
pub(crate) fn opt_json(v: Option<&Value>) -> Option<Value> {
    v.filter(|v| !v.is_null()).cloned()
}

/// Field reader: a JSON object kept as it is; anything else is `None`.
pub(crate) fn opt_json_object(v: Option<&Value>) -> Option<Map<String, Value>> {
    match v {
        Some(Value::Object(map)) => Some(map.clone()),
        _ => None,
    }
}

/// Field reader: an optional object; `null`, a non-object or an unreadable
/// object is `None`.
pub(crate) fn opt_object<T: ReadWire>(v: Option<&Value>) -> Option<T> {
    match v {
        Some(Value::Object(map)) => T::read(&Fields::Map(map)).ok(),
        _ => None,
    }
}

/// Field reader: a list of objects; items that are not objects or cannot be
/// read are skipped, anything but an array is empty.
pub(crate) fn object_list<T: ReadWire>(v: Option<&Value>) -> Vec<T> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::Object(map) => T::read(&Fields::Map(map)).ok(),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The text of a JSON value: strings as they are, numbers and booleans
/// printed, `null` as nothing, anything else as its JSON text.
pub(crate) fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// An optional string that also accepts numbers and booleans.
pub(crate) fn lenient_opt_string<'de, D: Deserializer<'de>>(
    de: D,
) -> Result<Option<String>, D::Error> {
    Ok(value_text(&Value::deserialize(de)?))
}

/// A string that also accepts numbers and booleans; `null` reads as "".
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    Ok(lenient_opt_string(de)?.unwrap_or_default())
}

/// An optional boolean that also accepts the strings "true"/"false".
pub(crate) fn lenient_opt_bool<'de, D: Deserializer<'de>>(de: D) -> Result<Option<bool>, D::Error> {
    Ok(opt_flag(Some(&Value::deserialize(de)?)))
}

/// A boolean that also accepts `null` (false) and the strings "true"/"false".
pub(crate) fn lenient_bool<'de, D: Deserializer<'de>>(de: D) -> Result<bool, D::Error> {
    Ok(lenient_opt_bool(de)?.unwrap_or(false))
}

/// For `skip_serializing_if`.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// Declares a string enum that keeps unknown values in `Other` and reads
/// names case-insensitively (and, where given, the .NET enum numbers).
/// Exactly one variant must carry `#[default]`.
macro_rules! lenient_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $num:literal)? ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this client does not know, kept as written.
            Other(String),
        }

        impl $name {
            /// The wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(s) => s,
                }
            }

            /// Reads the enum from a JSON value (unknown values kept in `Other`).
            pub(crate) fn from_value(v: &::serde_json::Value) -> Self {
                use ::serde_json::Value;
                match v {
                    $( Value::String(s) if s.eq_ignore_ascii_case($wire) => $name::$variant, )+
                    $( $( Value::Number(n) if n.as_u64() == Some($num) => $name::$variant, )? )+
                    other => $name::Other($crate::api::wire::lenient::value_text(other).unwrap_or_default()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(de)?;
                Ok($name::from_value(&value))
            }
        }
    };
}
pub(crate) use lenient_enum;
