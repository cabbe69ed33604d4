//! One HTTP exchange with the server: fetch with a time limit, aborted when
//! the caller's future is dropped (the view that started it went away), and
//! every failure classified into an [`ApiError`]. While signed in with a
//! 3.x API key (`auth::session`) each request to that server carries the
//! token, and a missing or expired token is renewed once and the request
//! sent again, unseen by the caller (docs/protocol/ravendb-3x.md §11.3).
//! Requests carry the browser's credentials to the page's own origin, so
//! integrated Windows authentication behind IIS or a proxy works (§11.2).

use super::error::{classify_http, ApiError};
use futures::future::{select, Either};
use gloo_net::http::{Method, RequestBuilder};
use web_sys::{AbortController, RequestCredentials, RequestMode};

/// A successful (2xx) answer.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub body: String,
}

impl RawResponse {
    /// Parses the body as JSON (on the one path of `wire::from_text`), or
    /// says why it could not.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiError> {
        super::wire::from_text(&self.body).map_err(|e| ApiError::MalformedBody {
            detail: format!(
                "expected JSON ({e}); the body starts with: {}",
                self.body.chars().take(120).collect::<String>()
            ),
        })
    }
}

/// Aborts the fetch if the future owning it is dropped before it finished.
struct AbortOnDrop {
    controller: Option<AbortController>,
}

impl AbortOnDrop {
    fn disarm(&mut self) {
        self.controller = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.controller.take() {
            c.abort();
        }
    }
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

type Observer = std::rc::Rc<dyn Fn(&str, Reached)>;

thread_local! {
    static OBSERVER: std::cell::RefCell<Option<Observer>> = const { std::cell::RefCell::new(None) };
}

/// Sets the one observer told of every finished request: its URL and
/// whether the server answered it at all (any status), or not (nothing
/// answered, or not within the time limit). The header's connection state
/// follows it (`state::connection`).
pub fn observe_reachability(observer: impl Fn(&str, Reached) + 'static) {
    OBSERVER.with(|o| *o.borrow_mut() = Some(std::rc::Rc::new(observer)));
}

type RefusalObserver = std::rc::Rc<dyn Fn(&str, &ApiError)>;

thread_local! {
    static REFUSALS: std::cell::RefCell<Option<RefusalObserver>> = const { std::cell::RefCell::new(None) };
}

/// Sets the one observer told of every request refused with 401, 403 or
/// 412 (after any token renewal): its URL and the error. The sign-in
/// state follows it (`state::auth`), to offer signing in.
pub fn observe_refusals(observer: impl Fn(&str, &ApiError) + 'static) {
    REFUSALS.with(|o| *o.borrow_mut() = Some(std::rc::Rc::new(observer)));
}

/// Sends one request. `body` is JSON text (sent with a JSON content type).
pub async fn send(
    method: Method,
    url: &str,
    body: Option<String>,
    timeout_ms: u32,
) -> Result<RawResponse, ApiError> {
    let result = send_signed(method, url, body, timeout_ms).await;
    if let Err(e @ (ApiError::AuthRefused { .. } | ApiError::NotAdmin { .. })) = &result {
        if let Some(observer) = REFUSALS.with(|o| o.borrow().clone()) {
            observer(url, e);
        }
    }
    let answered = match &result {
        Err(ApiError::Aborted) => None,
        Err(ApiError::Unreachable { .. }) => Some(Reached::Unreachable),
        Err(ApiError::Timeout { .. }) => Some(Reached::TooSlow),
        _ => Some(Reached::Answered),
    };
    if let (Some(answered), Some(observer)) = (answered, OBSERVER.with(|o| o.borrow().clone())) {
        observer(url, answered);
    }
    result
}

/// [`exchange`] with the signed-in key's token, renewed once and the
/// request sent again when the server says it is missing or expired.
async fn send_signed(
    method: Method,
    url: &str,
    body: Option<String>,
    timeout_ms: u32,
) -> Result<RawResponse, ApiError> {
    let Some(bearer) = crate::auth::session::bearer_for(url, timeout_ms).await? else {
        return exchange(method, url, body, timeout_ms, None).await;
    };
    let first = exchange(method.clone(), url, body.clone(), timeout_ms, Some(&bearer)).await;
    match first {
        Err(ApiError::AuthRefused { ref refusal, .. }) if refusal.renewal_may_fix() => {
            match crate::auth::session::renew(url, &bearer, timeout_ms).await? {
                Some(fresh) => exchange(method, url, body, timeout_ms, Some(&fresh)).await,
                // Signed out meanwhile: the refusal stands.
                None => first,
            }
        }
        other => other,
    }
}

async fn exchange(
    method: Method,
    url: &str,
    body: Option<String>,
    timeout_ms: u32,
    bearer: Option<&str>,
) -> Result<RawResponse, ApiError> {
    let controller = AbortController::new().ok();
    let mut guard = AbortOnDrop {
        controller: controller.clone(),
    };
    let mut builder = RequestBuilder::new(url)
        .method(method.clone())
        .credentials(RequestCredentials::SameOrigin)
        .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
    // Signed in: the token, and `Has-Api-Key` so that a server that lost
    // it answers 412 (renewed here) rather than asking for Windows (§11.3).
    if let Some(bearer) = bearer {
        builder = builder
            .header("Authorization", bearer)
            .header("Has-Api-Key", "True");
    }
    // Anonymous GETs carry no body and no custom header, so a cross-origin
    // GET needs no preflight (like the 3.x Studio).
    let request = match body {
        Some(text) => builder
            .header("Content-Type", "application/json; charset=utf-8")
            .body(text),
        None => {
            builder = builder.cache(web_sys::RequestCache::NoStore);
            builder.build()
        }
    }
    .map_err(|e| ApiError::MalformedBody {
        detail: format!("could not build the request: {e}"),
    })?;

    // One time limit for the whole answer: a server (or proxy) that sends
    // the headers and then stalls the body is a timeout too.
    let exchange = Box::pin(async move {
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers();
        let content_type = headers.get("content-type");
        let etag = headers.get("etag");
        let auth = [
            headers.get("www-authenticate"),
            headers.get("raven-required-auth"),
            headers.get("oauth-source"),
        ];
        let body = response.text().await;
        Ok::<_, gloo_net::Error>((status, content_type, etag, auth, body))
    });
    let timer = Box::pin(gloo_timers::future::TimeoutFuture::new(timeout_ms));
    let answer = match select(exchange, timer).await {
        Either::Left((answer, _)) => answer,
        Either::Right(((), _)) => {
            // Abort the fetch, headers or body, now (the guard would too, when dropped).
            drop(guard);
            return Err(ApiError::Timeout {
                url: url.to_string(),
                after_ms: timeout_ms,
            });
        }
    };
    guard.disarm();

    let Ok((status, content_type, etag, [www_auth, required_auth, oauth_source], body)) = answer
    else {
        return Err(network_failure(url, timeout_ms).await);
    };
    let body = body.map_err(|e| ApiError::MalformedBody {
        detail: format!("the body could not be read: {e}"),
    })?;
    if (200..300).contains(&status) {
        Ok(RawResponse {
            status,
            content_type,
            etag,
            body,
        })
    } else if let Some(refusal) = crate::auth::refusal::classify(
        status,
        www_auth.as_deref(),
        required_auth.as_deref(),
        oauth_source.as_deref(),
    ) {
        Err(ApiError::AuthRefused { status, refusal })
    } else {
        Err(classify_http(status, content_type.as_deref(), &body, url))
    }
}

/// A fetch that failed without a status is either "nothing answered" or
/// "the browser hid the answer (CORS)". A `no-cors` request to the same
/// origin tells them apart: it succeeds (opaquely) when something answers.
async fn network_failure(url: &str, timeout_ms: u32) -> ApiError {
    let probe_url = origin_of(url)
        .map(|o| format!("{o}/build/version"))
        .unwrap_or_else(|| url.to_string());
    let probe = RequestBuilder::new(&probe_url)
        .method(Method::GET)
        .mode(RequestMode::NoCors)
        .build();
    let reachable = match probe {
        Ok(req) => {
            let fetch = Box::pin(req.send());
            let timer = Box::pin(gloo_timers::future::TimeoutFuture::new(
                timeout_ms.min(5_000),
            ));
            matches!(select(fetch, timer).await, Either::Left((Ok(_), _)))
        }
        Err(_) => false,
    };
    if reachable {
        ApiError::CorsRefused {
            url: url.to_string(),
        }
    } else {
        ApiError::Unreachable {
            url: url.to_string(),
        }
    }
}

/// `scheme://host:port` of an absolute URL.
fn origin_of(url: &str) -> Option<String> {
    let scheme_end = url.find("://")? + 3;
    let host_end = url[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(url.len());
    Some(url[..host_end].to_string())
}
