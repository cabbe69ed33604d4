//! The words and times the screens show, as pure functions: how an
//! operation, an outcome, an error or a moment is said. They sit here, not
//! in the browser-only views, so they are unit-tested on the host.

pub mod error;
pub mod operations;
pub mod progress;
pub mod time;

/// `text` with its first letter in upper case.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `""` for one, `"s"` for any other count.
pub fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_and_plurals() {
        assert_eq!(capitalized("database backup"), "Database backup");
        assert_eq!(capitalized("étape"), "Étape");
        assert_eq!(capitalized(""), "");
        assert_eq!(plural(1), "");
        assert_eq!(plural(0), "s");
        assert_eq!(plural(2), "s");
    }
}
