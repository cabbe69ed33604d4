//! Where the dashboard finds its RavenDB server: the page's own origin by
//! default, a `config.json` placed next to `index.html` at deploy time, or an
//! address the user typed (kept in localStorage; it is not a secret).

use serde::Deserialize;
use thiserror::Error;

/// Default time limit of one request, in milliseconds.
pub const DEFAULT_REQUEST_TIMEOUT_MS: u32 = 15_000;

/// The deploy-time settings read from `config.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployConfig {
    /// Root URL of the RavenDB server, normalized (no trailing slash).
    pub server_url: Option<String>,
    /// Time limit of one request.
    pub request_timeout_ms: Option<u32>,
}

/// What is wrong with a `config.json`, in words an admin can act on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("config.json is not valid JSON (line {line}, column {column}): {message}")]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("config.json has a wrong value: {0}")]
    WrongShape(String),
    #[error("config.json: serverUrl {0}")]
    BadServerUrl(#[from] UrlError),
}

/// Why a server address was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    #[error("is empty")]
    Empty,
    #[error("\"{0}\" must start with http:// or https://")]
    NotHttp(String),
    #[error("\"{0}\" has no host name")]
    NoHost(String),
    #[error("\"{0}\" must not contain spaces")]
    HasSpaces(String),
    #[error("\"{0}\" must not contain a query (?) or fragment (#)")]
    HasQueryOrFragment(String),
    /// `user:pass@host`: a password would be kept in this browser's storage
    /// in plain text, so the address is refused (and not repeated).
    #[error(
        "must not contain a user name or password (user:password@): it would be kept in this \
         browser's storage in plain text. Enter only http(s)://host:port"
    )]
    HasCredentials,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawConfig {
    #[serde(default)]
    server_url: Option<String>,
    #[serde(default)]
    request_timeout_ms: Option<u32>,
}

/// Parses the text of `config.json`. An empty object is valid (all defaults).
pub fn parse_deploy_config(text: &str) -> Result<DeployConfig, ConfigError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ConfigError::InvalidJson {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
    if !value.is_object() {
        return Err(ConfigError::WrongShape(
            "it must be a JSON object like {\"serverUrl\": \"http://host:8080\"}".into(),
        ));
    }
    let raw: RawConfig =
        serde_json::from_value(value).map_err(|e| ConfigError::WrongShape(e.to_string()))?;
    let server_url = match raw.server_url {
        Some(url) if url.trim().is_empty() => None,
        Some(url) => Some(normalize_server_url(&url)?),
        None => None,
    };
    if raw.request_timeout_ms == Some(0) {
        return Err(ConfigError::WrongShape(
            "requestTimeoutMs must be greater than 0".into(),
        ));
    }
    Ok(DeployConfig {
        server_url,
        request_timeout_ms: raw.request_timeout_ms,
    })
}

/// Checks a server root URL and returns it without trailing slashes.
pub fn normalize_server_url(input: &str) -> Result<String, UrlError> {
    let url = input.trim();
    if url.is_empty() {
        return Err(UrlError::Empty);
    }
    if url.contains(char::is_whitespace) {
        return Err(UrlError::HasSpaces(url.to_string()));
    }
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("http://") {
        &url[7..]
    } else if lower.starts_with("https://") {
        &url[8..]
    } else {
        return Err(UrlError::NotHttp(url.to_string()));
    };
    if url.contains(['?', '#']) {
        return Err(UrlError::HasQueryOrFragment(url.to_string()));
    }
    let host = rest.split('/').next().unwrap_or_default();
    if host.contains('@') {
        return Err(UrlError::HasCredentials);
    }
    if host.is_empty() || host.starts_with(':') {
        return Err(UrlError::NoHost(url.to_string()));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Where the server address in use came from (shown to the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerUrlSource {
    /// Typed by the user on this browser.
    UserSetting,
    /// `config.json` next to `index.html`.
    DeployConfig,
    /// The page's own origin.
    PageOrigin,
}

/// The server address in use: the user's setting, else `config.json`, else
/// the page's own origin.
pub fn effective_server_url(
    page_origin: &str,
    deploy: Option<&DeployConfig>,
    user_setting: Option<&str>,
) -> (String, ServerUrlSource) {
    if let Some(Ok(url)) = user_setting.map(normalize_server_url) {
        return (url, ServerUrlSource::UserSetting);
    }
    if let Some(url) = deploy.and_then(|d| d.server_url.clone()) {
        return (url, ServerUrlSource::DeployConfig);
    }
    (
        page_origin.trim_end_matches('/').to_string(),
        ServerUrlSource::PageOrigin,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses_and_normalizes() {
        let cfg = parse_deploy_config(
            r#"{"serverUrl": "http://raven.local:8080/", "requestTimeoutMs": 5000}"#,
        )
        .unwrap();
        assert_eq!(cfg.server_url.as_deref(), Some("http://raven.local:8080"));
        assert_eq!(cfg.request_timeout_ms, Some(5000));
    }

    #[test]
    fn empty_object_is_all_defaults() {
        assert_eq!(parse_deploy_config("{}").unwrap(), DeployConfig::default());
        assert_eq!(
            parse_deploy_config(r#"{"serverUrl": ""}"#).unwrap(),
            DeployConfig::default()
        );
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let err = parse_deploy_config("{\n  \"serverUrl\": \"http://x\",\n}").unwrap_err();
        match err {
            ConfigError::InvalidJson { line, column, .. } => {
                assert_eq!(line, 3);
                assert_eq!(column, 1);
            }
            other => panic!("wrong error: {other:?}"),
        }
        assert!(parse_deploy_config("")
            .unwrap_err()
            .to_string()
            .contains("line 1"));
    }

    #[test]
    fn wrong_types_and_unknown_keys_are_clear_errors() {
        let e = parse_deploy_config(r#"{"serverUrl": 42}"#).unwrap_err();
        assert!(matches!(e, ConfigError::WrongShape(_)), "{e:?}");
        let e = parse_deploy_config(r#"{"serverURL": "http://x"}"#).unwrap_err();
        assert!(e.to_string().contains("serverURL"), "{e}");
        let e = parse_deploy_config(r#"{"requestTimeoutMs": 0}"#).unwrap_err();
        assert!(matches!(e, ConfigError::WrongShape(_)));
        let e = parse_deploy_config("[]").unwrap_err();
        assert!(matches!(e, ConfigError::WrongShape(_)));
    }

    #[test]
    fn bad_server_url_is_refused_with_the_reason() {
        let e = parse_deploy_config(r#"{"serverUrl": "raven:8080"}"#).unwrap_err();
        assert_eq!(
            e,
            ConfigError::BadServerUrl(UrlError::NotHttp("raven:8080".into()))
        );
        assert!(e.to_string().contains("http://"));
    }

    #[test]
    fn url_normalization_rules() {
        assert_eq!(
            normalize_server_url(" https://a/b// ").unwrap(),
            "https://a/b"
        );
        assert_eq!(normalize_server_url("HTTP://A:1").unwrap(), "HTTP://A:1");
        assert_eq!(normalize_server_url(""), Err(UrlError::Empty));
        assert!(matches!(
            normalize_server_url("http://"),
            Err(UrlError::NoHost(_))
        ));
        assert!(matches!(
            normalize_server_url("http://:80"),
            Err(UrlError::NoHost(_))
        ));
        assert!(matches!(
            normalize_server_url("http://a b"),
            Err(UrlError::HasSpaces(_))
        ));
        assert!(matches!(
            normalize_server_url("http://a/?x=1"),
            Err(UrlError::HasQueryOrFragment(_))
        ));
        assert!(matches!(
            normalize_server_url("ftp://a"),
            Err(UrlError::NotHttp(_))
        ));
    }

    #[test]
    fn user_and_password_in_the_address_are_refused_without_echoing_them() {
        for url in [
            "http://admin:hunter2@raven.local:8080",
            "https://admin:hunter2@raven.local/",
            "HTTP://admin:hunter2@raven.local/db",
            "http://admin@raven.local",
            "http://:hunter2@raven.local",
            "http://raven.local\\@evil.example",
        ] {
            let e = normalize_server_url(url).unwrap_err();
            let words = e.to_string();
            assert_eq!(e, UrlError::HasCredentials, "{url}");
            assert!(!words.contains("hunter2"), "{words}");
            assert!(words.contains("user name or password"), "{words}");
        }
        // An @ in the path is not a credential.
        assert_eq!(
            normalize_server_url("http://raven.local/a@b").unwrap(),
            "http://raven.local/a@b"
        );
        // Nor is a stored one used.
        assert_eq!(
            effective_server_url("http://o", None, Some("http://u:p@h")),
            ("http://o".to_string(), ServerUrlSource::PageOrigin)
        );
        let e = parse_deploy_config(r#"{"serverUrl": "http://u:hunter2@h"}"#).unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn the_shipped_config_json_means_the_page_origin() {
        let cfg = parse_deploy_config(include_str!("../static/config.json")).unwrap();
        assert_eq!(cfg, DeployConfig::default());
        assert_eq!(
            effective_server_url("http://o", Some(&cfg), None),
            ("http://o".to_string(), ServerUrlSource::PageOrigin)
        );
    }

    #[test]
    fn missing_config_falls_back_to_origin() {
        let (url, src) = effective_server_url("http://127.0.0.1:8080", None, None);
        assert_eq!(url, "http://127.0.0.1:8080");
        assert_eq!(src, ServerUrlSource::PageOrigin);
    }

    #[test]
    fn precedence_user_then_config_then_origin() {
        let deploy = DeployConfig {
            server_url: Some("http://cfg".into()),
            request_timeout_ms: None,
        };
        assert_eq!(
            effective_server_url("http://o", Some(&deploy), Some("http://user/")),
            ("http://user".to_string(), ServerUrlSource::UserSetting)
        );
        assert_eq!(
            effective_server_url("http://o", Some(&deploy), None),
            ("http://cfg".to_string(), ServerUrlSource::DeployConfig)
        );
        // An invalid stored user setting is ignored rather than used.
        assert_eq!(
            effective_server_url("http://o", Some(&deploy), Some("nonsense")),
            ("http://cfg".to_string(), ServerUrlSource::DeployConfig)
        );
    }
}
