//! The thin browser reader of a document stream: one `fetch` of
//! `GET /databases/{db}/streams/docs`, with the signed-in key's token
//! (renewed once when the server says it expired, as `api::http` does),
//! its body read chunk by chunk from the `ReadableStream` into a
//! [`ResultsSplitter`], each document handed on and dropped. A stream
//! that stops sending for [`IDLE_MS`] is cut and reported; leaving the
//! page (dropping the future) aborts the fetch.

use super::ResultsSplitter;
use crate::api::{error::classify_http, ApiError};
use gloo_net::http::{Method, RequestBuilder, Response};
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, RequestCredentials};

/// The longest wait for the answer's headers or its next chunk.
pub const IDLE_MS: u32 = 60_000;

/// Aborts the fetch when dropped (the drill went away) or timed out.
struct Abort(Option<AbortController>);

impl Drop for Abort {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

/// Why reading stopped.
#[derive(Debug, Clone)]
pub enum ReadError {
    /// The server refused or failed the request (its words).
    Api(ApiError),
    /// The answer's bytes stopped or were not the stream's shape.
    Stream(String),
    /// The caller stopped (its own reason).
    Stopped(String),
}

async fn with_limit<T>(
    what: impl std::future::Future<Output = T>,
    url: &str,
) -> Result<T, ApiError> {
    use futures::future::{select, Either};
    let timer = gloo_timers::future::TimeoutFuture::new(IDLE_MS);
    match select(Box::pin(what), Box::pin(timer)).await {
        Either::Left((v, _)) => Ok(v),
        Either::Right(_) => Err(ApiError::Timeout {
            url: url.to_string(),
            after_ms: IDLE_MS,
        }),
    }
}

/// Sends the GET and checks the status, like `api::http::send` does;
/// gives the answer with its body unread.
async fn open(url: &str, bearer: Option<&str>, abort: &Abort) -> Result<Response, ApiError> {
    let mut builder = RequestBuilder::new(url)
        .method(Method::GET)
        .credentials(RequestCredentials::SameOrigin)
        .cache(web_sys::RequestCache::NoStore)
        .abort_signal(abort.0.as_ref().map(|c| c.signal()).as_ref());
    if let Some(bearer) = bearer {
        builder = builder
            .header("Authorization", bearer)
            .header("Has-Api-Key", "True");
    }
    let request = builder.build().map_err(|e| ApiError::MalformedBody {
        detail: format!("could not build the request: {e}"),
    })?;
    let response = with_limit(request.send(), url)
        .await?
        .map_err(|_| ApiError::Unreachable {
            url: url.to_string(),
        })?;
    let status = response.status();
    if (200..300).contains(&status) {
        return Ok(response);
    }
    let headers = response.headers();
    let refusal = crate::auth::refusal::classify(
        status,
        headers.get("www-authenticate").as_deref(),
        headers.get("raven-required-auth").as_deref(),
        headers.get("oauth-source").as_deref(),
    );
    if let Some(refusal) = refusal {
        return Err(ApiError::AuthRefused { status, refusal });
    }
    let content_type = headers.get("content-type");
    let body = with_limit(response.text(), url).await?.unwrap_or_default();
    Err(classify_http(status, content_type.as_deref(), &body, url))
}

/// Reads every document of `database`'s stream, handing each to `each`
/// (which may stop the read with its reason). Gives the number read; a
/// stream that ends before its closing `]}` is an error, never a short
/// count.
pub async fn read_documents(
    base: &str,
    database: &str,
    mut each: impl FnMut(Value) -> Result<(), String>,
) -> Result<u64, ReadError> {
    let url = format!(
        "{}/databases/{}/streams/docs",
        base.trim_end_matches('/'),
        crate::url::percent_encode(database)
    );
    let abort = Abort(AbortController::new().ok());
    let bearer = crate::auth::session::bearer_for(&url, IDLE_MS)
        .await
        .map_err(ReadError::Api)?;
    let response = match open(&url, bearer.as_deref(), &abort).await {
        Err(ApiError::AuthRefused { ref refusal, .. })
            if bearer.is_some() && refusal.renewal_may_fix() =>
        {
            let stale = bearer.as_deref().unwrap_or_default();
            match crate::auth::session::renew(&url, stale, IDLE_MS)
                .await
                .map_err(ReadError::Api)?
            {
                Some(fresh) => open(&url, Some(&fresh), &abort).await,
                // Signed out meanwhile: the refusal stands.
                None => Err(ApiError::AuthRefused {
                    status: 401,
                    refusal: refusal.clone(),
                }),
            }
        }
        other => other,
    }
    .map_err(ReadError::Api)?;
    let body = response
        .body()
        .ok_or_else(|| ReadError::Stream("the server's answer has no body.".into()))?;
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| ReadError::Stream("this browser cannot read an answer as a stream.".into()))?;
    let mut splitter = ResultsSplitter::new();
    loop {
        let chunk = with_limit(wasm_bindgen_futures::JsFuture::from(reader.read()), &url)
            .await
            .map_err(ReadError::Api)?
            .map_err(|e| {
                ReadError::Stream(format!(
                    "the connection broke while the documents were read, after {} documents ({}).",
                    splitter.documents(),
                    e.dyn_ref::<js_sys::Error>()
                        .map(|e| String::from(e.message()))
                        .or_else(|| e.as_string())
                        .unwrap_or_else(|| "no reason given".into())
                ))
            })?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let bytes = js_sys::Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
            .map(|a| a.to_vec())
            .unwrap_or_default();
        let documents = splitter
            .feed(&bytes)
            .map_err(|e| ReadError::Stream(e.to_string()))?;
        drop(bytes);
        for document in documents {
            each(document).map_err(ReadError::Stopped)?;
        }
    }
    splitter
        .finish()
        .map_err(|e| ReadError::Stream(e.to_string()))
}
