//! Forms as plain data with pure "form state -> request" functions, so every
//! rule is unit-tested on the host and the screens only render and edit.

pub mod backup;
pub mod restore;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
