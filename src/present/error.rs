//! How an error box words an [`ApiError`]: a headline that says what
//! happened without repeating the server's words (they follow once, under
//! "The server said:"), what to do next, and the details behind the toggle,
//! where the .NET exception type is kept. A 401/403 is told apart here: a
//! secured RavenDB's certificate refusal, a proxy's password prompt, a bare
//! 403 (docs/deploy-ravendb7.md, "A secured server").

use crate::api::ApiError;

/// Who refused a 401/403, read from the status and the body's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// RavenDB 4.x+ wants a client certificate and got none.
    NoCertificate,
    /// RavenDB 4.x+ got a client certificate it does not trust (or one
    /// without the rights the call needs).
    CertificateRefused,
    /// A proxy in front of the server (nginx basic auth) wants a password:
    /// a 401 whose body is an HTML page, not a server's words.
    ProxyPassword,
    /// A 403 with no words at all (RavenDB 5.x+'s CSRF check, for one).
    Bare,
    /// Anything else: the server does not take us for an administrator.
    NotAdmin,
}

/// Reads who refused a 401/403; `None` for any other error.
pub fn refusal(error: &ApiError) -> Option<Refusal> {
    let ApiError::NotAdmin {
        status,
        server_message,
    } = error
    else {
        return None;
    };
    let words = server_message.as_deref().map(str::trim).unwrap_or_default();
    Some(if words.is_empty() {
        if *status == 403 {
            Refusal::Bare
        } else {
            Refusal::NotAdmin
        }
    } else if *status == 401 && words.starts_with('<') {
        Refusal::ProxyPassword
    } else if words.contains("client certificate") && words.contains("none was provided") {
        Refusal::NoCertificate
    } else if words.contains("certificate") {
        Refusal::CertificateRefused
    } else {
        Refusal::NotAdmin
    })
}

/// The short label of the connection indicator for a refusal.
pub fn refusal_label(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::NoCertificate => "Client certificate needed",
        Refusal::CertificateRefused => "Client certificate refused",
        Refusal::ProxyPassword => "Proxy password refused",
        Refusal::Bare | Refusal::NotAdmin => "Not allowed by the server",
    }
}

/// The server's own words worth quoting: a proxy's HTML error page is not.
pub fn server_words(error: &ApiError) -> Option<&str> {
    match refusal(error) {
        Some(Refusal::ProxyPassword) => None,
        _ => error.server_message(),
    }
}

/// What the user can do next, in plain words.
pub fn next_step(error: &ApiError) -> &'static str {
    match refusal(error) {
        Some(Refusal::NoCertificate) => {
            "Behind a proxy, make it present the admin's client certificate to RavenDB (nginx: proxy_ssl_certificate and proxy_ssl_certificate_key). Without a proxy, install a client certificate the server trusts in this browser."
        }
        Some(Refusal::CertificateRefused) => {
            "Make the server trust the certificate (its thumbprint in Security.WellKnownCertificates.Admin, or register it with admin rights), or make the proxy present one it already trusts (nginx: proxy_ssl_certificate)."
        }
        Some(Refusal::ProxyPassword) => {
            "Reload the page and sign in with the user name and password the proxy expects (ask whoever runs it)."
        }
        Some(Refusal::Bare) => {
            "A RavenDB 4.x or later server refuses this way when the request's Origin does not match its Host (make the proxy pass the browser's Host: proxy_set_header Host $http_host) or when the client certificate lacks the rights. The server's log names the reason."
        }
        Some(Refusal::NotAdmin) | None => error.next_step(),
    }
}

/// An error in one line (a field's hint): a certificate or proxy refusal
/// named as such, anything else in its own message.
pub fn in_one_line(error: &ApiError) -> String {
    match refusal(error) {
        Some(Refusal::NotAdmin) | None => error.user_message(),
        Some(_) => headline(error),
    }
}

/// What happened, in our words. When the server gave words of its own they
/// are shown once, on their own line, so the headline leaves them out.
pub fn headline(error: &ApiError) -> String {
    let status = match error {
        ApiError::NotAdmin { status, .. } => *status,
        _ => 0,
    };
    match refusal(error) {
        Some(Refusal::NoCertificate) => {
            return format!(
                "The server wants a client certificate, and none came with the request (HTTP {status})."
            )
        }
        Some(Refusal::CertificateRefused) => {
            return format!(
                "The server did not accept the client certificate it was given (HTTP {status})."
            )
        }
        Some(Refusal::ProxyPassword) => {
            return format!(
                "The proxy in front of the server asks for a password and did not accept the one it got (HTTP {status})."
            )
        }
        Some(Refusal::Bare) => {
            return format!("The server refused the request without saying why (HTTP {status}).")
        }
        Some(Refusal::NotAdmin) | None => {}
    }
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

    // RavenDB 7.1.5's refusals, recorded from a secured server
    // (tools/e2e-ravendb7-secured/secured.test.mjs checks them word for word).
    const NO_CERT: &str = r#"{"Type":"InvalidAuth","Message":"This server requires client certificate for authentication, but none was provided by the client. Did you forget to install the certificate?"}"#;
    const UNKNOWN_CERT: &str = r#"{"Type":"InvalidAuth","Message":"The supplied client certificate 'CN=x(Thumbprint: AB)' is unknown to the server. In order to register your certificate please contact your system administrator."}"#;
    const NGINX_401: &str = "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    #[test]
    fn a_missing_client_certificate_is_named_with_the_servers_words() {
        let e = classify_http(403, Some("application/json"), NO_CERT, "u");
        assert_eq!(refusal(&e), Some(Refusal::NoCertificate));
        assert_eq!(
            headline(&e),
            "The server wants a client certificate, and none came with the request (HTTP 403)."
        );
        assert!(server_words(&e)
            .unwrap()
            .starts_with("This server requires client certificate"));
        assert!(next_step(&e).contains("proxy_ssl_certificate"));
        assert_eq!(
            refusal_label(Refusal::NoCertificate),
            "Client certificate needed"
        );
    }

    #[test]
    fn an_unknown_client_certificate_is_not_called_a_missing_admin() {
        let e = classify_http(403, Some("application/json"), UNKNOWN_CERT, "u");
        assert_eq!(refusal(&e), Some(Refusal::CertificateRefused));
        let head = headline(&e);
        assert_eq!(
            head,
            "The server did not accept the client certificate it was given (HTTP 403)."
        );
        assert!(!head.contains("administrator"));
        assert!(next_step(&e).contains("Security.WellKnownCertificates.Admin"));
        assert!(!next_step(&e).contains("AnonymousAccess"));
        assert!(server_words(&e)
            .unwrap()
            .contains("is unknown to the server"));
    }

    #[test]
    fn a_proxys_401_page_is_a_password_prompt_not_server_words() {
        let e = classify_http(401, Some("text/html"), NGINX_401, "u");
        assert_eq!(refusal(&e), Some(Refusal::ProxyPassword));
        assert!(headline(&e).starts_with("The proxy in front of the server asks for a password"));
        assert_eq!(server_words(&e), None, "nginx's HTML is not quoted");
        assert!(next_step(&e).starts_with("Reload the page and sign in"));
        assert_eq!(
            refusal_label(Refusal::ProxyPassword),
            "Proxy password refused"
        );
    }

    #[test]
    fn a_bare_403_says_it_gave_no_reason_and_what_causes_one() {
        let e = classify_http(403, Some("application/json"), "", "u");
        assert_eq!(refusal(&e), Some(Refusal::Bare));
        assert_eq!(
            headline(&e),
            "The server refused the request without saying why (HTTP 403)."
        );
        assert!(next_step(&e).contains("proxy_set_header Host $http_host"));
    }

    #[test]
    fn a_3x_refusal_keeps_the_admin_words() {
        let e = classify_http(
            403,
            Some("application/json"),
            r#"{"Error":"Could not find a database with the name"}"#,
            "u",
        );
        assert_eq!(refusal(&e), Some(Refusal::NotAdmin));
        assert_eq!(headline(&e), e.user_message());
        assert_eq!(next_step(&e), e.next_step());
        assert_eq!(in_one_line(&e), e.user_message());
        let bare_401 = classify_http(401, None, "", "u");
        assert_eq!(refusal(&bare_401), Some(Refusal::NotAdmin));
        let other = ApiError::Aborted;
        assert_eq!(refusal(&other), None);
        assert_eq!(next_step(&other), other.next_step());
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
