//! Lenient readers for server JSON, shared by every wire module: a server's
//! odd value (a number where text was expected, `null` for a list, an
//! unknown shape) is read as well as it can be, never fatal.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// `null` (or a missing field, with `#[serde(default)]`) reads as `T::default()`.
pub(crate) fn null_as_default<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(de)?.unwrap_or_default())
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
    Ok(match Value::deserialize(de)? {
        Value::Bool(b) => Some(b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

/// A boolean that also accepts `null` (false) and the strings "true"/"false".
pub(crate) fn lenient_bool<'de, D: Deserializer<'de>>(de: D) -> Result<bool, D::Error> {
    Ok(lenient_opt_bool(de)?.unwrap_or(false))
}

/// An optional integer that also accepts numeric strings and whole floats.
pub(crate) fn lenient_opt_i64<'de, D: Deserializer<'de>>(de: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(de)? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// An integer; anything unreadable reads as 0.
pub(crate) fn lenient_i64<'de, D: Deserializer<'de>>(de: D) -> Result<i64, D::Error> {
    Ok(lenient_opt_i64(de)?.unwrap_or(0))
}

/// A list of strings; `null` reads as empty, non-string items are printed.
pub(crate) fn lenient_string_list<'de, D: Deserializer<'de>>(
    de: D,
) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(de)? {
        Value::Array(items) => items.iter().filter_map(value_text).collect(),
        Value::String(s) => vec![s],
        _ => Vec::new(),
    })
}

/// A list of objects; `null` reads as empty and items that cannot be read
/// as `T` (not objects, wrong types) are skipped rather than failing the list.
pub(crate) fn lenient_list<'de, D, T>(de: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(de)? {
        Value::Array(items) => items
            .into_iter()
            .filter(Value::is_object)
            .filter_map(|item| super::from_value(&item).ok())
            .collect(),
        _ => Vec::new(),
    })
}

/// An optional object: `null`, a non-object or an unreadable object is `None`.
pub(crate) fn lenient_opt_object<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(de)? {
        v @ Value::Object(_) => super::from_value(&v).ok(),
        _ => None,
    })
}

/// For `skip_serializing_if`.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// A `{string: string}` map; `null` reads as empty, `null` values as "",
/// numbers and booleans printed.
pub(crate) fn lenient_string_map<'de, D>(de: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(de)? {
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| {
                let text = value_text(&v).unwrap_or_default();
                (k, text)
            })
            .collect(),
        _ => BTreeMap::new(),
    })
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

            fn from_value(v: &::serde_json::Value) -> Self {
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
