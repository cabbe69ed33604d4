//! The one error type of the API client. Every failure the 3.x protocol
//! documents is classified here, and the words the user reads are built here,
//! once, so every screen says the same thing about the same failure.

use serde::Deserialize;
use thiserror::Error;

/// Why a request to the server did not give us what we asked for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// Nothing answered: wrong address, server down, network gone.
    #[error("The server at {url} did not answer.")]
    Unreachable { url: String },
    /// The server answered, but the browser refused to show the answer to
    /// this page because the server does not allow this page's origin.
    #[error("The server at {url} answered, but the browser blocked the answer (CORS).")]
    CorsRefused { url: String },
    /// No answer within the time limit.
    #[error("The server at {url} did not answer within {after_ms} ms.")]
    Timeout { url: String, after_ms: u32 },
    /// The request was cancelled on our side (the view went away).
    #[error("The request was cancelled.")]
    Aborted,
    /// 401 or 403: the server does not take us for an administrator.
    #[error("The server refused: this needs administrator rights ({status}).")]
    NotAdmin {
        status: u16,
        server_message: Option<String>,
    },
    /// 404. For an operation id this means the server no longer knows it.
    #[error("Not found on the server ({url}).")]
    NotFound {
        url: String,
        server_message: Option<String>,
    },
    /// 400: the server rejected the request; its own words.
    #[error("The server rejected the request: {message}")]
    BadRequest { message: String },
    /// 503: the server is busy (for example another restore is running).
    #[error("The server is busy: {message}")]
    Unavailable { message: String },
    /// 500 (or another 5xx) with a .NET exception: the first line of the
    /// exception text and the rest (stack trace) kept for an expandable view.
    #[error("The server failed: {first_line}")]
    ServerException {
        status: u16,
        first_line: String,
        details: String,
    },
    /// Any other status we have no better name for.
    #[error("The server answered with HTTP {status}.")]
    Http { status: u16, body: String },
    /// A success status whose body is not what the protocol says.
    #[error("The server's answer could not be read: {detail}")]
    MalformedBody { detail: String },
    /// Something answered, but it does not speak RavenDB.
    #[error("The server at {url} does not look like a RavenDB server: {detail}")]
    NotRavenDb { url: String, detail: String },
    /// Refused here, before any POST: the server's list, read again right
    /// before a restore, holds the new database's name. A restore onto an
    /// existing name replaces that database on RavenDB 7.1
    /// (docs/protocol/ravendb-4x.md#restore-deletes-existing).
    /// A secured 3.x server's sign-in refusal (docs/protocol/ravendb-3x.md
    /// §11): sign-in needed, a wrong secret, an unknown key, too narrow a
    /// key, Windows authentication. Not a failure of the work itself.
    #[error("{refusal}")]
    AuthRefused {
        status: u16,
        refusal: crate::auth::refusal::AuthRefusal,
    },
    #[error("Nothing was sent: a database named \"{existing}\" exists on the server now, and a restore onto it could replace it.")]
    NameTaken { existing: String },
}

/// What became of one request, for the connection state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    /// The server answered (any status).
    Answered,
    /// No answer within the time limit.
    TooSlow,
    /// Nothing answered.
    Unreachable,
}

/// The JSON error bodies 3.x and 4.x servers send: `{Url, Error}` (500),
/// `{Url, Message, Error}` (400), `{Error}` (401, 3.x), 4.x
/// `{Url, Type, Message, Error}`; all fields optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ServerErrorBody {
    #[serde(alias = "message")]
    message: Option<String>,
    #[serde(alias = "error")]
    error: Option<String>,
    #[serde(rename = "Type")]
    kind: Option<String>,
    reason: Option<String>,
}

/// A JSON error body, read once (on the wire layer's one path), if the
/// body is one.
fn error_body(content_type: Option<&str>, body: &str) -> Option<ServerErrorBody> {
    let trimmed = body.trim();
    let looks_json = content_type.is_some_and(|ct| ct.contains("json")) || trimmed.starts_with('{');
    if trimmed.is_empty() || !looks_json {
        return None;
    }
    crate::api::wire::from_text(trimmed).ok()
}

/// What a server's error body says, whatever kind of body it is (plain
/// text, JSON with Error/Message, or empty); `parsed` is its JSON reading.
fn server_words(parsed: Option<&ServerErrorBody>, body: &str) -> Option<String> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return None;
    }
    if let Some(parsed) = parsed {
        // 4.x puts the readable text in Message and the full exception
        // text in Error; 3.x 500s have only Error (the full exception).
        if let Some(text) = parsed
            .message
            .as_ref()
            .or(parsed.error.as_ref())
            .or(parsed.reason.as_ref())
            .filter(|s| !s.trim().is_empty())
        {
            return Some(text.clone());
        }
        if let Some(kind) = &parsed.kind {
            return Some(kind.clone());
        }
    }
    Some(trimmed.to_string())
}

/// Splits a .NET `Exception.ToString()` text into its first line and the
/// rest. The first line keeps the exception type (`System.X: message`).
pub fn split_exception_text(text: &str) -> (String, String) {
    let text = text.trim_start();
    match text.find(['\r', '\n']) {
        Some(end) => (
            text[..end].trim_end().to_string(),
            text[end..].trim_start_matches(['\r', '\n']).to_string(),
        ),
        None => (text.to_string(), String::new()),
    }
}

/// Removes the .NET exception type prefix (`System.InvalidOperationException: `)
/// from a first line, leaving the server's message.
pub fn strip_exception_type(line: &str) -> &str {
    match line.split_once(": ") {
        Some((head, rest))
            if !head.contains(' ')
                && head.contains('.')
                && (head.ends_with("Exception") || head.ends_with("Error")) =>
        {
            rest
        }
        _ => line,
    }
}

/// Classifies a non-2xx HTTP answer. `url` is the request URL (for messages).
pub fn classify_http(status: u16, content_type: Option<&str>, body: &str, url: &str) -> ApiError {
    let parsed = error_body(content_type, body);
    let words = server_words(parsed.as_ref(), body);
    match status {
        401 | 403 => ApiError::NotAdmin {
            status,
            server_message: words,
        },
        404 => ApiError::NotFound {
            url: url.to_string(),
            server_message: words,
        },
        400 => ApiError::BadRequest {
            message: words.unwrap_or_else(|| "(the server gave no reason)".to_string()),
        },
        503 => ApiError::Unavailable {
            message: words.unwrap_or_else(|| "(the server gave no reason)".to_string()),
        },
        500..=599 => match words {
            Some(text) => {
                // The full exception text (`Error`) of a JSON body.
                let full = parsed.and_then(|b| b.error).unwrap_or_else(|| text.clone());
                let (first_line, rest) = split_exception_text(&full);
                let (first_line, details) = if full == text {
                    (first_line, rest)
                } else {
                    // 4.x: Message is the readable line, Error the full text.
                    (text, full)
                };
                ApiError::ServerException {
                    status,
                    first_line,
                    details,
                }
            }
            None => ApiError::Http {
                status,
                body: String::new(),
            },
        },
        _ => ApiError::Http {
            status,
            body: body.chars().take(2000).collect(),
        },
    }
}

impl ApiError {
    /// The server's own words, when it gave some.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            ApiError::NotAdmin { server_message, .. }
            | ApiError::NotFound { server_message, .. } => server_message.as_deref(),
            ApiError::BadRequest { message } | ApiError::Unavailable { message } => Some(message),
            ApiError::ServerException { first_line, .. } => Some(strip_exception_type(first_line)),
            _ => None,
        }
    }

    /// The long text (a stack trace) worth keeping behind a "details" toggle.
    pub fn details(&self) -> Option<&str> {
        match self {
            ApiError::ServerException { details, .. } if !details.is_empty() => Some(details),
            ApiError::Http { body, .. } if !body.is_empty() => Some(body),
            _ => None,
        }
    }

    /// What the user can do next, in plain words.
    pub fn next_step(&self) -> &'static str {
        match self {
            ApiError::Unreachable { .. } => {
                "Check the server address in Settings and that the server is running, then try again."
            }
            ApiError::CorsRefused { .. } => {
                "Serve this dashboard from the server's own origin (a same-origin reverse proxy), or add this page's origin to the server's Raven/AccessControlAllowOrigin setting."
            }
            ApiError::Timeout { .. } => {
                "The server may be overloaded or far away. Try again; if it keeps happening, raise the request time limit in Settings."
            }
            ApiError::Aborted => "Nothing to do: the request was stopped because you left the screen.",
            ApiError::NotAdmin { .. } => {
                "Sign in as a server administrator (or set Raven/AnonymousAccess to Admin on a development server)."
            }
            ApiError::NotFound { .. } => "Check the name or address and try again.",
            ApiError::BadRequest { .. } => "Change the request as the server says and send it again.",
            ApiError::Unavailable { .. } => "Wait for the other work to finish, then try again.",
            ApiError::ServerException { .. } | ApiError::Http { .. } => {
                "Read the server's message (and the details, if any), fix the cause, then try again."
            }
            ApiError::MalformedBody { .. } => {
                "Check that the address points at a RavenDB server of a supported version."
            }
            ApiError::NotRavenDb { .. } => {
                "Check the server address in Settings: it must be the root URL of a RavenDB server."
            }
            ApiError::AuthRefused { refusal, .. } => refusal.next_step(),
            ApiError::NameTaken { .. } => {
                "Choose another name for the new database; the existing one was not touched."
            }
        }
    }

    /// A sign-in refusal: the user (signing in, another key) can fix it,
    /// the server's work is not concerned.
    pub fn is_auth_refusal(&self) -> bool {
        matches!(self, ApiError::AuthRefused { .. })
    }

    /// A refusal the sign-in state hears of (`api::http::observe_refusals`):
    /// 401, 403 or 412, after any token renewal.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            ApiError::AuthRefused { .. } | ApiError::NotAdmin { .. }
        )
    }

    /// What a request that failed this way says about the server, for the
    /// connection state (`api::http::observe_reachability`): nothing
    /// answered, not in time, or it answered (any status, a refusal, an
    /// unreadable body); `None` when we stopped the request ourselves.
    pub fn reached(&self) -> Option<Reached> {
        match self {
            ApiError::Aborted => None,
            ApiError::Unreachable { .. } => Some(Reached::Unreachable),
            ApiError::Timeout { .. } => Some(Reached::TooSlow),
            _ => Some(Reached::Answered),
        }
    }

    /// A failure that may go away by itself: worth retrying while polling.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Unreachable { .. } | ApiError::Timeout { .. } => true,
            ApiError::ServerException { status, .. } | ApiError::Http { status, .. } => {
                *status >= 500
            }
            ApiError::Unavailable { .. } => true,
            _ => false,
        }
    }

    /// The message to show: what happened, in the server's words when it
    /// gave some.
    pub fn user_message(&self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<&str> = Some("application/json; charset=utf-8");
    const TEXT: Option<&str> = Some("text/plain; charset=utf-8");

    #[test]
    fn backup_already_running_500_keeps_first_line_and_stack() {
        let body = r#"{"Url":"/databases/Northwind/admin/backup?incremental=false","Error":"System.InvalidOperationException: Backup is already running\r\n   at Raven.Database.Actions.MaintenanceActions.StartBackup(...)"}"#;
        let err = classify_http(500, JSON, body, "http://x/databases/Northwind/admin/backup");
        match &err {
            ApiError::ServerException {
                status,
                first_line,
                details,
            } => {
                assert_eq!(*status, 500);
                assert_eq!(
                    first_line,
                    "System.InvalidOperationException: Backup is already running"
                );
                assert!(
                    details.trim_start().starts_with("at Raven.Database"),
                    "{details}"
                );
            }
            other => panic!("wrong class: {other:?}"),
        }
        assert_eq!(err.server_message(), Some("Backup is already running"));
        assert!(err.details().is_some());
    }

    #[test]
    fn plain_text_400_is_the_servers_words() {
        let body = "Cannot do an online restore for an existing database, delete the database Northwind2 and restore again.";
        let err = classify_http(400, TEXT, body, "u");
        assert_eq!(
            err,
            ApiError::BadRequest {
                message: body.to_string()
            }
        );
        assert_eq!(err.server_message(), Some(body));
    }

    #[test]
    fn plain_text_503_another_restore() {
        let body = "Another restore is in progress (resource name = Northwind2)";
        let err = classify_http(503, TEXT, body, "u");
        assert_eq!(
            err,
            ApiError::Unavailable {
                message: body.to_string()
            }
        );
        assert!(err.is_transient());
    }

    #[test]
    fn text_that_looks_like_json_but_is_not_stays_text() {
        let err = classify_http(400, None, "{not json", "u");
        assert_eq!(
            err,
            ApiError::BadRequest {
                message: "{not json".into()
            }
        );
    }

    #[test]
    fn not_admin_401_json() {
        let body =
            r#"{"Error":"The operation '/admin/backup' is only available to administrators"}"#;
        let err = classify_http(401, JSON, body, "u");
        assert_eq!(
            err.server_message(),
            Some("The operation '/admin/backup' is only available to administrators")
        );
        assert!(matches!(err, ApiError::NotAdmin { status: 401, .. }));
        assert!(!err.is_transient());
    }

    #[test]
    fn empty_404_has_no_server_words() {
        let err = classify_http(404, JSON, "", "http://x/operation/status?id=7");
        assert_eq!(
            err,
            ApiError::NotFound {
                url: "http://x/operation/status?id=7".into(),
                server_message: None
            }
        );
    }

    #[test]
    fn database_not_found_404_text() {
        let err = classify_http(404, TEXT, "Database Nope wasn't found", "u");
        assert_eq!(err.server_message(), Some("Database Nope wasn't found"));
    }

    #[test]
    fn bad_request_json_3x_uses_message() {
        let body = r#"{"Url":"/x","Message":"Query string variable id must be a valid int64","Error":"Query string variable id must be a valid int64"}"#;
        let err = classify_http(400, JSON, body, "u");
        assert_eq!(
            err.server_message(),
            Some("Query string variable id must be a valid int64")
        );
    }

    #[test]
    fn ravendb_4x_error_body_uses_message_and_keeps_error() {
        let body = r#"{"Url":"/admin/restore/database","Type":"System.InvalidOperationException","Message":"Cannot restore data to an existing database named Northwind","Error":"System.InvalidOperationException: Cannot restore data to an existing database named Northwind\n   at Raven.Server..."}"#;
        let err = classify_http(500, JSON, body, "u");
        match &err {
            ApiError::ServerException {
                first_line,
                details,
                ..
            } => {
                assert_eq!(
                    first_line,
                    "Cannot restore data to an existing database named Northwind"
                );
                assert!(details.contains("at Raven.Server"));
            }
            other => panic!("wrong class: {other:?}"),
        }
        assert_eq!(
            err.server_message(),
            Some("Cannot restore data to an existing database named Northwind")
        );
    }

    #[test]
    fn empty_500_is_http() {
        let err = classify_http(500, JSON, "", "u");
        assert_eq!(
            err,
            ApiError::Http {
                status: 500,
                body: String::new()
            }
        );
        assert!(err.is_transient());
    }

    #[test]
    fn other_status_keeps_a_bounded_body() {
        let body = "x".repeat(5000);
        match classify_http(418, None, &body, "u") {
            ApiError::Http { status: 418, body } => assert_eq!(body.len(), 2000),
            other => panic!("wrong class: {other:?}"),
        }
    }

    #[test]
    fn exception_type_strip_only_strips_type_names() {
        assert_eq!(
            strip_exception_type("System.IO.IOException: disk full"),
            "disk full"
        );
        assert_eq!(
            strip_exception_type("Error: Restore Canceled"),
            "Error: Restore Canceled"
        );
        assert_eq!(
            strip_exception_type("plain words: here"),
            "plain words: here"
        );
    }

    #[test]
    fn every_error_has_a_next_step() {
        let all = [
            ApiError::Unreachable { url: "u".into() },
            ApiError::CorsRefused { url: "u".into() },
            ApiError::Timeout {
                url: "u".into(),
                after_ms: 1,
            },
            ApiError::Aborted,
            ApiError::MalformedBody { detail: "d".into() },
            ApiError::NotRavenDb {
                url: "u".into(),
                detail: "d".into(),
            },
        ];
        for e in all {
            assert!(!e.next_step().is_empty());
            assert!(!e.user_message().is_empty());
        }
        assert!(ApiError::CorsRefused { url: "u".into() }
            .next_step()
            .contains("AccessControlAllowOrigin"));
    }

    #[test]
    fn what_a_failure_tells_the_sign_in_and_connection_states() {
        let refused = ApiError::AuthRefused {
            status: 401,
            refusal: crate::auth::refusal::classify(
                401,
                Some("Bearer realm=\"Raven\", error=\"invalid_token\",error_description=\"Expired token\""),
                None,
                None,
            )
            .expect("a bearer refusal"),
        };
        let not_admin = classify_http(403, JSON, r#"{"Error":"no"}"#, "u");
        assert!(matches!(not_admin, ApiError::NotAdmin { status: 403, .. }));
        for e in [&refused, &not_admin] {
            assert!(e.is_refusal(), "{e:?}");
            assert_eq!(e.reached(), Some(Reached::Answered), "{e:?}");
        }
        let timeout = ApiError::Timeout {
            url: "u".into(),
            after_ms: 1,
        };
        let cases = [
            (
                ApiError::Unreachable { url: "u".into() },
                Some(Reached::Unreachable),
            ),
            (timeout, Some(Reached::TooSlow)),
            (ApiError::Aborted, None),
            (
                ApiError::CorsRefused { url: "u".into() },
                Some(Reached::Answered),
            ),
            (
                classify_http(500, TEXT, "boom", "u"),
                Some(Reached::Answered),
            ),
            (
                ApiError::MalformedBody { detail: "d".into() },
                Some(Reached::Answered),
            ),
        ];
        for (e, reached) in cases {
            assert!(!e.is_refusal(), "{e:?}");
            assert_eq!(e.reached(), reached, "{e:?}");
        }
    }
}
