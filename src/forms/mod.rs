//! Forms as plain data with pure "form state -> request" functions, so every
//! rule is unit-tested on the host and the screens only render and edit.

pub mod backup;
pub mod backup4;
pub mod backup_key;
pub mod document_origin;
pub mod restore;
pub mod restore4;

use serde_json::Value;
use std::fmt;

/// A JSON syntax or type error with its position (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl From<serde_json::Error> for JsonError {
    fn from(e: serde_json::Error) -> Self {
        // serde_json appends " at line L column C"; keep only the reason.
        let text = e.to_string();
        let message = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        JsonError {
            line: e.line().max(1),
            column: e.column().max(1),
            message,
        }
    }
}

/// Parses JSON text, reporting the position of the first error.
pub fn parse_json_at(text: &str) -> Result<serde_json::Value, JsonError> {
    serde_json::from_str(text).map_err(JsonError::from)
}

/// One thing wrong with a form: which field, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem<F> {
    pub field: F,
    pub message: String,
}

impl<F> Problem<F> {
    pub fn new(field: F, message: impl Into<String>) -> Self {
        Problem {
            field,
            message: message.into(),
        }
    }
}

/// What the form sends: method, path (with query) and JSON body
/// (`Value::Null` = an empty body).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRequest {
    pub method: &'static str,
    pub path: String,
    pub body: Value,
}

impl PlannedRequest {
    /// A POST of `body` to `path`.
    pub fn post(path: String, body: Value) -> Self {
        PlannedRequest {
            method: "POST",
            path,
            body,
        }
    }
}

/// A short fingerprint of form state or of a request, to tell whether a
/// form changed since a run started (no copy of the values is kept).
pub fn fingerprint(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl PlannedRequest {
    /// The [`fingerprint`] of this request (method, path and body).
    pub fn fingerprint(&self) -> u64 {
        fingerprint(&(self.method, &self.path, self.body.to_string()))
    }
}

/// A wire type as a JSON value (the types here always serialize).
pub(crate) fn json_of<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The mask shown instead of a secret value.
pub const MASK: &str = "••••••••";

/// A copy of a request body with every SecuredSettings value masked.
pub fn mask_secrets(body: &Value) -> Value {
    match body {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    // A 4.x restore's encryption key is one secret value.
                    let v =
                        if k == "EncryptionKey" && matches!(v, Value::String(s) if !s.is_empty()) {
                            Value::String(MASK.into())
                        } else if k == "BackupEncryptionSettings" {
                            // A 4.2+ restore's backup key (docs/protocol/ravendb-4x.md#restore-key).
                            mask_backup_key(v)
                        } else if k == "SecuredSettings" {
                            match v {
                                Value::Object(secrets) => Value::Object(
                                    secrets
                                        .iter()
                                        .map(|(sk, sv)| {
                                            let masked = match sv {
                                                Value::String(s) if s.is_empty() => sv.clone(),
                                                Value::Null => Value::Null,
                                                _ => Value::String(MASK.into()),
                                            };
                                            (sk.clone(), masked)
                                        })
                                        .collect(),
                                ),
                                other => mask_secrets(other),
                            }
                        } else {
                            mask_secrets(v)
                        };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask_secrets).collect()),
        other => other.clone(),
    }
}

/// `BackupEncryptionSettings` with its `Key` masked (when it has one).
fn mask_backup_key(settings: &Value) -> Value {
    match settings {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| match v {
                    Value::String(s) if k == "Key" && !s.is_empty() => {
                        (k.clone(), Value::String(MASK.into()))
                    }
                    _ => (k.clone(), v.clone()),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A shell command that sends the same request (with the body given; pass
/// the masked body and say so next to it).
pub fn curl_command(base_url: &str, method: &str, path: &str, body: &Value) -> String {
    let url = shell_quote(&format!("{}{}", base_url.trim_end_matches('/'), path));
    if body.is_null() {
        // No body at all (4.x "back up now" needs an explicit empty one).
        return format!("curl -X {method} {url} -H 'Content-Length: 0'");
    }
    let body_text = serde_json::to_string(body).unwrap_or_default();
    format!(
        "curl -X {method} {url} -H {} --data-binary {}",
        shell_quote("Content-Type: application/json; charset=utf-8"),
        shell_quote(&body_text)
    )
}

/// Single-quotes a word for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11 item 10: a mask tells nothing about the secret's length.
    #[test]
    fn secrets_of_different_lengths_give_identical_masks() {
        let body = |key: &str, aws: &str| {
            serde_json::json!({"BackupLocation": "b", "DatabaseDocument": {"SecuredSettings": {
                "Raven/Encryption/Key": key, "Raven/AWSSecretKey": aws}}, "EncryptionKey": key})
        };
        let short = mask_secrets(&body("k", "a"));
        let long = mask_secrets(&body(&"k".repeat(44), &"a".repeat(300)));
        assert_eq!(short, long);
        let secured = &long["DatabaseDocument"]["SecuredSettings"];
        assert_eq!(
            secured["Raven/Encryption/Key"],
            secured["Raven/AWSSecretKey"]
        );
        assert_eq!(long["EncryptionKey"], Value::String(MASK.into()));
        assert_eq!(
            curl_command("http://h", "POST", "/p", &short),
            curl_command("http://h", "POST", "/p", &long)
        );
    }

    #[test]
    fn json_errors_carry_line_and_column_and_a_clean_message() {
        let e = parse_json_at("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 7));
        assert_eq!(e.message, "expected `:`");
        assert_eq!(e.to_string(), "line 3, column 7: expected `:`");
        let e = parse_json_at("").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse_json_at("{\"a\": \"unterminated").unwrap_err();
        assert!(e.message.contains("EOF"), "{}", e.message);
    }

    #[test]
    fn fingerprints_tell_requests_apart() {
        let a = PlannedRequest::post("/a".into(), serde_json::json!({"X": 1}));
        let same = PlannedRequest::post("/a".into(), serde_json::json!({"X": 1}));
        let other_body = PlannedRequest::post("/a".into(), serde_json::json!({"X": 2}));
        let other_path = PlannedRequest::post("/b".into(), serde_json::json!({"X": 1}));
        assert_eq!(a.fingerprint(), same.fingerprint());
        assert_ne!(a.fingerprint(), other_body.fingerprint());
        assert_ne!(a.fingerprint(), other_path.fingerprint());
        assert_eq!(fingerprint(&("db", 3)), fingerprint(&("db", 3)));
        assert_ne!(fingerprint(&("db", 3)), fingerprint(&("db", 4)));
    }
}
