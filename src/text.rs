//! Bounding server text for the screen: laying out megabytes of text
//! freezes a page, so what is shown is cut (the downloadable log keeps all).

/// Longest text shown on screen for one message (laying out megabytes of
/// text freezes the page); the downloaded log has every character.
pub const SHOWN_CHARS: usize = 2000;

/// `text`, cut at [`SHOWN_CHARS`] with a note saying how much is left out.
pub fn clipped(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        None => text.to_string(),
        Some((at, _)) => format!(
            "{}… ({} more characters: download the whole log to read them)",
            &text[..at],
            text[at..].chars().count()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_and_long_text_is_cut_with_a_note() {
        assert_eq!(clipped("short"), "short");
        let long = "é".repeat(SHOWN_CHARS + 10);
        let shown = clipped(&long);
        assert!(shown.starts_with(&"é".repeat(SHOWN_CHARS)));
        assert!(
            shown.ends_with("… (10 more characters: download the whole log to read them)"),
            "{shown}"
        );
        assert_eq!(clipped(&"x".repeat(SHOWN_CHARS)), "x".repeat(SHOWN_CHARS));
    }
}
