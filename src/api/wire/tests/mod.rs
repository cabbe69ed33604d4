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

#[test]
fn bodies_are_read_on_one_path_and_bad_json_says_where() {
    use super::common::BuildVersion;
    let v: BuildVersion =
        super::from_text(r#"{"BuildVersion":41001,"ProductVersion":"4.1"}"#).expect("reads");
    assert_eq!(v.build_version, "41001");
    let bad = super::from_text::<BuildVersion>("{\"BuildVersion\": 41001,\n  oops}").unwrap_err();
    assert!(bad.to_string().contains("line 2 column 3"), "{bad}");
    // The same value read from text and from a value.
    let value: Value = serde_json::from_str(r#"{"ProductVersion":"3.5","Extra":[1]}"#).unwrap();
    let from_value: BuildVersion = super::from_value(&value).unwrap();
    assert_eq!(from_value.product_version, "3.5");
}
