//! Reading an authentication refusal from a status and its headers
//! (docs/protocol/ravendb-3x.md §11.2, §11.3): which ones a fresh token
//! fixes, which ones need the user, and the words for each. Pure, so the
//! classification is host-tested.

use std::fmt;

/// Why a secured server refused a request, as far as it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthRefusal {
    /// `412` "The access token is required": no token was sent (§11.3 step 1).
    TokenNeeded,
    /// `401` `invalid_token`: the token is expired (or unreadable) (§11.3 step 5).
    TokenRejected { expired: bool },
    /// `403` `insufficient_scope`: the token is good but not for this
    /// database (or not for writing to it).
    InsufficientScope { database: String, write: bool },
    /// `401` with `Raven-Required-Auth: Windows`: the request came without
    /// any credentials and the server negotiates Windows authentication.
    Windows { api_keys_too: bool },
    /// The token endpoint refused the key's secret.
    WrongSecret { key: String },
    /// The token endpoint knows no enabled key of that name.
    UnknownKey { key: String },
    /// The token endpoint refused in other words (kept as given).
    ExchangeRefused { status: u16, message: String },
    /// The browser could not do the exchange's crypto (its words).
    BrowserCrypto { message: String },
    /// The sign-in's own wasm file (the release build loads it when first
    /// needed, docs/size.md) did not arrive from the web server: nothing
    /// was sent to the database server.
    SignInNotLoaded,
}

impl AuthRefusal {
    /// True when running the API-key exchange again (a new token) may fix it.
    pub fn renewal_may_fix(&self) -> bool {
        matches!(
            self,
            AuthRefusal::TokenNeeded | AuthRefusal::TokenRejected { .. }
        )
    }

    /// What the user can do next, in plain words.
    pub fn next_step(&self) -> &'static str {
        match self {
            AuthRefusal::TokenNeeded | AuthRefusal::TokenRejected { .. } => {
                "Sign in with an API key (name and secret) in Server settings."
            }
            AuthRefusal::InsufficientScope { .. } => {
                "Sign in with an API key that has that access, or ask the server's administrator to grant it to this key (its Raven/ApiKeys document, Databases list)."
            }
            AuthRefusal::Windows { api_keys_too: true } => {
                "Sign in with an API key in Server settings, or open the dashboard through an address where the browser signs in with Windows for you (the same origin as the server, e.g. behind IIS or a proxy with Windows authentication)."
            }
            AuthRefusal::Windows { api_keys_too: false } => {
                "Open the dashboard through an address where the browser signs in with Windows for you: the same origin as the server, e.g. behind IIS or a proxy with Windows authentication."
            }
            AuthRefusal::WrongSecret { .. } => {
                "Check the secret (the part after the slash of name/secret) and sign in again."
            }
            AuthRefusal::UnknownKey { .. } => {
                "Check the key's name; the server has no enabled API key of that name (Raven/ApiKeys/<name> in the system database)."
            }
            AuthRefusal::ExchangeRefused { .. } => {
                "Read the server's words, fix the cause, then sign in again."
            }
            AuthRefusal::BrowserCrypto { .. } => {
                "Open the dashboard over https (or on localhost): browsers offer their crypto only to secure pages."
            }
            AuthRefusal::SignInNotLoaded => {
                "Check the connection, then try again: what you typed is kept. If it fails again, reload the page (and type the secret again)."
            }
        }
    }
}

impl fmt::Display for AuthRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthRefusal::TokenNeeded => {
                write!(f, "Sign-in needed: this server allows no anonymous access.")
            }
            AuthRefusal::TokenRejected { expired: true } => write!(
                f,
                "Sign-in needed: the server's sign-in token expired and could not be renewed."
            ),
            AuthRefusal::TokenRejected { expired: false } => write!(
                f,
                "Sign-in needed: the server did not accept the sign-in token."
            ),
            AuthRefusal::InsufficientScope { database, write } => write!(
                f,
                "Insufficient access to database \"{database}\": the API key in use may not {} it.",
                if *write { "change (read/write access needed)" } else { "read" }
            ),
            AuthRefusal::Windows { .. } => write!(
                f,
                "This server wants Windows authentication, and the request carried none."
            ),
            AuthRefusal::WrongSecret { key } => write!(
                f,
                "The secret is wrong: the server refused the secret of API key \"{key}\" (Invalid challenge response)."
            ),
            AuthRefusal::UnknownKey { key } => write!(
                f,
                "Unknown API key \"{key}\": the server has no such key, or it is disabled (Unknown API Key)."
            ),
            AuthRefusal::ExchangeRefused { status, message } => write!(
                f,
                "The server refused the sign-in (HTTP {status}): {message}"
            ),
            AuthRefusal::BrowserCrypto { message } => {
                write!(f, "This browser could not sign in: {message}")
            }
            AuthRefusal::SignInNotLoaded => write!(
                f,
                "The sign-in could not be loaded: part of the dashboard did not arrive from the web server that serves it (the connection dropped, or the dashboard was updated there since this page was opened). Nothing was sent to the database server."
            ),
        }
    }
}

/// The value of `key="value"` (or `key=value`) inside a `WWW-Authenticate`.
fn header_param(header: &str, key: &str) -> Option<String> {
    let mut rest = header;
    while let Some(i) = rest.find(key) {
        let before_ok = i == 0
            || rest[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c == ' ' || c == ',');
        let after = &rest[i + key.len()..];
        if before_ok {
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start();
                return Some(match value.strip_prefix('"') {
                    Some(quoted) => quoted.split('"').next().unwrap_or_default().to_string(),
                    None => value
                        .split(',')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                });
            }
        }
        rest = after;
    }
    None
}

/// The database a `insufficient_scope` description names
/// ("Not authorized for [read/write access for ]tenant <db>").
fn scope_of(description: &str) -> (String, bool) {
    let write = description.contains("read/write");
    let database = description
        .rsplit_once("tenant ")
        .map(|(_, db)| db.trim().to_string())
        .filter(|db| !db.is_empty())
        .unwrap_or_else(|| "(not named)".to_string());
    (database, write)
}

/// Classifies a refused answer from its status and the headers a script
/// can read (`WWW-Authenticate` and `OAuth-Source` are exposed on 3.x's
/// challenges; `Raven-Required-Auth` is readable on the page's own origin).
/// `None`: not an authentication refusal this module knows (a 401/403 with
/// words of its own, a 4.x+ certificate refusal), left to `classify_http`.
pub fn classify(
    status: u16,
    www_authenticate: Option<&str>,
    raven_required_auth: Option<&str>,
    oauth_source: Option<&str>,
) -> Option<AuthRefusal> {
    let bearer = www_authenticate
        .map(str::trim)
        .filter(|h| h.starts_with("Bearer"));
    let error = bearer.and_then(|h| header_param(h, "error"));
    let description = bearer
        .and_then(|h| header_param(h, "error_description"))
        .unwrap_or_default();
    match (status, error.as_deref()) {
        (412, _) => Some(AuthRefusal::TokenNeeded),
        (401, Some("invalid_token")) => Some(AuthRefusal::TokenRejected {
            expired: description.contains("expired"),
        }),
        (401, Some("invalid_request")) => Some(AuthRefusal::TokenNeeded),
        (403, Some("insufficient_scope")) => {
            let (database, write) = scope_of(&description);
            Some(AuthRefusal::InsufficientScope { database, write })
        }
        (401, _)
            if raven_required_auth.is_some_and(|v| v.trim().eq_ignore_ascii_case("windows")) =>
        {
            Some(AuthRefusal::Windows {
                api_keys_too: oauth_source.is_some_and(|s| !s.trim().is_empty()),
            })
        }
        _ => None,
    }
}

/// True when a refusal of a request (after any renewal) is one that a
/// sign-in with an API key may fix: asked for a token, too narrow a key,
/// Windows wanted, or a 3.x server's bare 401 (its Windows challenge,
/// whose headers a cross-origin page cannot read, §11.2).
pub fn sign_in_may_fix(
    error: &crate::api::ApiError,
    generation: Option<crate::api::version::Generation>,
) -> bool {
    match error {
        crate::api::ApiError::AuthRefused { refusal, .. } => !matches!(
            refusal,
            AuthRefusal::WrongSecret { .. }
                | AuthRefusal::UnknownKey { .. }
                | AuthRefusal::BrowserCrypto { .. }
                | AuthRefusal::SignInNotLoaded
                | AuthRefusal::ExchangeRefused { .. }
        ),
        crate::api::ApiError::NotAdmin { status: 401, .. } => {
            matches!(
                generation,
                Some(crate::api::version::Generation::V30 | crate::api::version::Generation::V35)
            )
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPIRED: &str = r#"Bearer realm="Raven", error="invalid_token",error_description="The access token is expired""#;
    const INVALID: &str = r#"Bearer realm="Raven", error="invalid_token",error_description="The access token is invalid""#;
    const REQUIRED: &str = r#"Bearer realm="Raven", error="invalid_request",error_description="The access token is required""#;

    #[test]
    fn token_refusals_are_fixed_by_a_new_token() {
        let needed = classify(412, Some(REQUIRED), None, Some("http://h/OAuth/API-Key")).unwrap();
        assert_eq!(needed, AuthRefusal::TokenNeeded);
        assert!(needed.renewal_may_fix());
        let expired = classify(401, Some(EXPIRED), None, None).unwrap();
        assert_eq!(expired, AuthRefusal::TokenRejected { expired: true });
        assert!(expired.renewal_may_fix());
        assert!(expired.to_string().contains("expired"));
        let invalid = classify(401, Some(INVALID), None, None).unwrap();
        assert_eq!(invalid, AuthRefusal::TokenRejected { expired: false });
        // A bearer 401 with "required" (Authorization sent empty).
        assert_eq!(
            classify(401, Some(REQUIRED), None, None),
            Some(AuthRefusal::TokenNeeded)
        );
    }

    #[test]
    fn insufficient_scope_names_the_database_and_the_access() {
        let read = r#"Bearer realm="Raven", error="insufficient_scope",error_description="Not authorized for tenant Payroll""#;
        let r = classify(403, Some(read), None, None).unwrap();
        assert_eq!(
            r,
            AuthRefusal::InsufficientScope {
                database: "Payroll".into(),
                write: false
            }
        );
        assert!(!r.renewal_may_fix());
        assert!(r.to_string().contains("\"Payroll\""));
        let write = r#"Bearer realm="Raven", error="insufficient_scope",error_description="Not authorized for read/write access for tenant Orders2019""#;
        let w = classify(403, Some(write), None, None).unwrap();
        assert_eq!(
            w,
            AuthRefusal::InsufficientScope {
                database: "Orders2019".into(),
                write: true
            }
        );
        assert!(w.to_string().contains("read/write access needed"), "{w}");
    }

    #[test]
    fn windows_is_told_with_or_without_api_keys() {
        let w = classify(401, None, Some("Windows"), Some("http://h/OAuth/API-Key")).unwrap();
        assert_eq!(w, AuthRefusal::Windows { api_keys_too: true });
        assert!(w.to_string().contains("Windows authentication"));
        assert!(w.next_step().contains("API key"));
        let only = classify(401, None, Some("Windows"), None).unwrap();
        assert_eq!(
            only,
            AuthRefusal::Windows {
                api_keys_too: false
            }
        );
        assert!(!only.renewal_may_fix());
        assert!(only.next_step().contains("same origin"));
    }

    #[test]
    fn other_refusals_are_left_to_the_generic_classifier() {
        // A bare 401/403 (a 4.x+ certificate refusal, or 3.x's unreadable
        // Windows 401 cross-origin) and a 401 with words of its own.
        assert_eq!(classify(401, None, None, None), None);
        assert_eq!(classify(403, None, None, None), None);
        assert_eq!(classify(403, Some(INVALID), None, None), None);
        assert_eq!(classify(500, Some(EXPIRED), None, None), None);
        assert_eq!(
            classify(401, Some("Basic realm=\"proxy\""), None, None),
            None
        );
    }

    #[test]
    fn exchange_refusals_say_what_to_fix() {
        let wrong = AuthRefusal::WrongSecret { key: "ops".into() };
        assert!(wrong.to_string().starts_with("The secret is wrong"));
        assert!(!wrong.to_string().contains("•"));
        let unknown = AuthRefusal::UnknownKey { key: "ops".into() };
        assert!(unknown.to_string().contains("Unknown API key \"ops\""));
        for r in [wrong, unknown] {
            assert!(!r.renewal_may_fix());
            assert!(!r.next_step().is_empty());
        }
    }

    #[test]
    fn a_sign_in_whose_file_did_not_arrive_says_what_to_do() {
        use crate::api::{version::Generation, ApiError};
        let missing = AuthRefusal::SignInNotLoaded;
        assert!(missing
            .to_string()
            .starts_with("The sign-in could not be loaded"));
        assert!(missing.to_string().contains("Nothing was sent"));
        assert!(missing.next_step().contains("try again"));
        assert!(!missing.renewal_may_fix());
        // Signing in again would need the same file: the header does not
        // offer it; the request's own error says what to do.
        let error = ApiError::AuthRefused {
            status: 0,
            refusal: missing,
        };
        assert!(!sign_in_may_fix(&error, Some(Generation::V35)));
    }

    #[test]
    fn sign_in_is_offered_for_what_it_may_fix() {
        use crate::api::{version::Generation, ApiError};
        let scope = ApiError::AuthRefused {
            status: 403,
            refusal: AuthRefusal::InsufficientScope {
                database: "Payroll".into(),
                write: true,
            },
        };
        assert!(sign_in_may_fix(&scope, None));
        let wrong = ApiError::AuthRefused {
            status: 401,
            refusal: AuthRefusal::WrongSecret { key: "k".into() },
        };
        assert!(!sign_in_may_fix(&wrong, None));
        let bare = ApiError::NotAdmin {
            status: 401,
            server_message: None,
        };
        assert!(sign_in_may_fix(&bare, Some(Generation::V35)));
        assert!(sign_in_may_fix(&bare, Some(Generation::V30)));
        // A 4.x+ server's bare 401 wants a certificate, not an API key.
        assert!(!sign_in_may_fix(&bare, None));
        assert!(!sign_in_may_fix(&ApiError::Aborted, Some(Generation::V35)));
    }

    #[test]
    fn header_params_read_quoted_and_bare_values() {
        assert_eq!(
            header_param(EXPIRED, "error").as_deref(),
            Some("invalid_token")
        );
        assert_eq!(
            header_param(EXPIRED, "error_description").as_deref(),
            Some("The access token is expired")
        );
        assert_eq!(
            header_param("Bearer error=x, y=z", "error").as_deref(),
            Some("x")
        );
        assert_eq!(header_param("Bearer realm=\"R\"", "error"), None);
    }
}
