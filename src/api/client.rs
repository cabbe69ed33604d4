//! The one typed client: one async function per server endpoint. Screens
//! call these and never build URLs or parse bodies themselves.

use super::{error::ApiError, http};
use gloo_net::http::Method;

/// What the connection check learned about the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerInfo {
    pub product_version: String,
    pub build_version: String,
    pub generation: super::version::Generation,
}

impl ServerInfo {
    /// "RavenDB 3.5" and the like.
    pub fn label(&self) -> String {
        self.generation.label()
    }
}

/// A client bound to one server root URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    base: String,
    timeout_ms: u32,
}

impl Client {
    pub fn new(base: impl Into<String>, timeout_ms: u32) -> Self {
        let base: String = base.into();
        Client {
            base: base.trim_end_matches('/').to_string(),
            timeout_ms,
        }
    }

    /// The server root URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    async fn get(&self, path: &str) -> Result<http::RawResponse, ApiError> {
        http::send(Method::GET, &self.url(path), None, self.timeout_ms).await
    }

    /// `GET /build/version` (E13, anonymous): the version, and from it the
    /// protocol generation every other call follows.
    pub async fn server_info(&self) -> Result<ServerInfo, ApiError> {
        let url = self.url("/build/version");
        let raw = self.get("/build/version").await.map_err(|e| match e {
            // Something answered but not with RavenDB's version route.
            ApiError::NotFound { .. } | ApiError::MalformedBody { .. } => ApiError::NotRavenDb {
                url: url.clone(),
                detail: "GET /build/version was not answered the way RavenDB answers it".into(),
            },
            other => other,
        })?;
        let bv: super::wire3x::BuildVersion = raw.json().map_err(|_| ApiError::NotRavenDb {
            url: url.clone(),
            detail: "GET /build/version did not return RavenDB's version document".into(),
        })?;
        let generation = super::version::Generation::detect(&bv).map_err(|detail| {
            ApiError::NotRavenDb {
                url: url.clone(),
                detail,
            }
        })?;
        Ok(ServerInfo {
            product_version: bv.product_version.clone(),
            build_version: bv.build_version.clone(),
            generation,
        })
    }
}
