//! Serde wire types of the RavenDB protocols: one module per generation
//! ([`v3`]: 3.0 and 3.5, [`v4`]: 4.x and later), the types both use
//! ([`common`]), dates ([`time`]) and the lenient field readers every
//! module shares.
//!
//! Bodies are read on one path: the text is parsed once to a
//! [`serde_json::Value`], and every type is read from a borrowed `&Value`
//! ([`from_text`], [`from_value`], and the lenient readers for nested
//! objects and lists). So each derived `Deserialize` (and each lenient
//! reader) is compiled for one deserializer only, which keeps the wasm
//! small. Measured with the release build (wasm-opt -Oz): the borrowed
//! `&Value` path is 16.7 KB smaller than reading from an owned `Value`, and
//! 5 KB smaller than the earlier mix of text, owned and borrowed readers.

pub mod common;
pub(crate) mod lenient;
mod read;
pub mod time;
pub mod topology;
pub mod v3;
pub mod v4;

#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Reads `T` from a JSON value: how every wire type is read.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(value)
}

/// Parses a body once to a JSON value, then reads `T` from it.
pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    from_value(&serde_json::from_str::<Value>(text)?)
}
