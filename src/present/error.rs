//! How an error box words an [`ApiError`]: a headline that says what
//! happened without repeating the server's words (they follow once, under
//! "The server said:"), and the details behind the toggle, where the .NET
//! exception type is kept.

use crate::api::ApiError;

/// What happened, in our words. When the server gave words of its own they
/// are shown once, on their own line, so the headline leaves them out.
pub fn headline(error: &ApiError) -> String {
    if error.server_message().is_none() {
        return error.user_message();
    }
    match error {
        ApiError::BadRequest { .. } => "The server rejected the request.".into(),
        ApiError::Unavailable { .. } => "The server is busy.".into(),
        ApiError::ServerException { status, .. } => {
            format!("The server failed (HTTP {status}).")
        }
        // These headlines never quote the server.
        _ => error.user_message(),
    }
}

/// The long text behind "Details from the server": for a .NET exception its
/// first line (with the exception type) and the stack trace.
pub fn details(error: &ApiError) -> Option<String> {
    match error {
        ApiError::ServerException {
            first_line,
            details,
            ..
        } => {
            let words = error.server_message().unwrap_or_default();
            let typed = (first_line.as_str() != words).then_some(first_line.as_str());
            let text = [typed, Some(details.as_str())]
                .into_iter()
                .flatten()
                .filter(|t| !t.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            (!text.is_empty()).then_some(text)
        }
        other => other.details().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error::classify_http;

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn a_dotnet_refusal_says_the_servers_words_once() {
        let body = r#"{"Url":"/databases/Northwind/admin/backup?incremental=false","Error":"System.InvalidOperationException: Backup is already running\r\n   at Raven.Database.Actions.MaintenanceActions.StartBackup(...)"}"#;
        let err = classify_http(500, Some("application/json"), body, "u");
        let words = err.server_message().unwrap();
        assert_eq!(words, "Backup is already running");
        let head = headline(&err);
        assert_eq!(head, "The server failed (HTTP 500).");
        let details = details(&err).unwrap();
        // On screen: headline + the server's words + (hidden) details.
        assert_eq!(
            count(&format!("{head}\n{words}"), "Backup is already running"),
            1
        );
        assert!(!head.contains("InvalidOperationException"));
        assert!(
            details.starts_with("System.InvalidOperationException: Backup is already running\n")
        );
        assert!(details.contains("at Raven.Database.Actions"));
    }

    #[test]
    fn refusals_with_words_do_not_repeat_them() {
        let bad = classify_http(400, Some("text/plain"), "Cannot do an online restore", "u");
        assert_eq!(headline(&bad), "The server rejected the request.");
        assert_eq!(details(&bad), None);
        let busy = classify_http(
            503,
            Some("text/plain"),
            "Another restore is in progress",
            "u",
        );
        assert_eq!(headline(&busy), "The server is busy.");
        let admin = classify_http(403, Some("text/plain"), "Forbidden here", "u");
        assert!(!headline(&admin).contains("Forbidden here"));
        let plain = classify_http(500, Some("text/plain"), "Plain failure", "u");
        assert_eq!(headline(&plain), "The server failed (HTTP 500).");
        assert_eq!(details(&plain), None, "no type, no stack: nothing hidden");
    }

    #[test]
    fn errors_without_server_words_keep_their_message() {
        let e = ApiError::Unreachable {
            url: "http://x".into(),
        };
        assert_eq!(headline(&e), "The server at http://x did not answer.");
        assert_eq!(details(&e), None);
        let http = ApiError::Http {
            status: 418,
            body: "teapot".into(),
        };
        assert_eq!(headline(&http), "The server answered with HTTP 418.");
        assert_eq!(details(&http).as_deref(), Some("teapot"));
    }
}
