//! The wire types' tests: documented and recorded bodies, read and written
//! back.

mod common;
mod time;
mod v3;
mod v4;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Parses `text` as `T`, writes it back and checks nothing changed.
fn roundtrip<T: DeserializeOwned + Serialize>(text: &str) -> (T, Value) {
    let original: Value = serde_json::from_str(text).expect("valid JSON");
    let parsed: T = serde_json::from_str(text).expect("parses");
    let again = serde_json::to_value(&parsed).expect("serializes");
    assert_eq!(again, original, "round trip of {text}");
    (parsed, again)
}
