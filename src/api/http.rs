//! One HTTP exchange with the server: fetch with a time limit, aborted when
//! the caller's future is dropped (the view that started it went away), and
//! every failure classified into an [`ApiError`]. While signed in with a
//! 3.x API key (`auth::session`) each request to that server carries the
//! token, and a missing or expired token is renewed once and the request
//! sent again, unseen by the caller (docs/protocol/ravendb-3x.md §11.3).
//! Requests carry the browser's credentials to the page's own origin, so
//! integrated Windows authentication behind IIS or a proxy works (§11.2).
//! Every request, read whole ([`send`]) or as a stream ([`open`], the
//! drill's document stream), goes through [`open`], so the sign-in and
//! connection states hear of each one.

pub use super::error::Reached;
use super::error::{classify_http, ApiError};
use futures::future::{select, Either};
use gloo_net::http::{Method, RequestBuilder, Response};
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

    fn abort_now(&mut self) {
        if let Some(c) = self.controller.take() {
            c.abort();
        }
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.abort_now();
    }
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

fn tell_reached(url: &str, reached: Reached) {
    if let Some(observer) = OBSERVER.with(|o| o.borrow().clone()) {
        observer(url, reached);
    }
}

/// Tells the observers of a request that ended in `error`.
fn tell_failed(url: &str, error: &ApiError) {
    if error.is_refusal() {
        if let Some(observer) = REFUSALS.with(|o| o.borrow().clone()) {
            observer(url, error);
        }
    }
    if let Some(reached) = error.reached() {
        tell_reached(url, reached);
    }
}

/// `what`, or `None` when it took longer than `limit_ms`.
pub async fn within<T>(what: impl std::future::Future<Output = T>, limit_ms: u32) -> Option<T> {
    let timer = gloo_timers::future::TimeoutFuture::new(limit_ms);
    match select(Box::pin(what), Box::pin(timer)).await {
        Either::Left((v, _)) => Some(v),
        Either::Right(_) => None,
    }
}

/// A successful (2xx) answer whose body is still to be read: whole by
/// [`Answer::text`], or as a stream from [`Answer::body`]. Dropping it
/// aborts the fetch. The connection state hears of the request when the
/// answer is dropped: answered, unless its body stalled
/// ([`Answer::stalled`]) or broke with the server gone ([`Answer::broke`]).
pub struct Answer {
    url: String,
    response: Response,
    abort: AbortOnDrop,
    /// The time limit of this attempt (headers and body) and its start.
    timeout_ms: u32,
    started_ms: f64,
    /// What the connection state is told when dropped; `None` for an
    /// error's answer (the error is told instead).
    reached: Option<Reached>,
}

impl Answer {
    pub fn status(&self) -> u16 {
        self.response.status()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.response.headers().get(name)
    }

    /// The body, unread, as the browser's stream.
    pub fn body(&self) -> Option<web_sys::ReadableStream> {
        self.response.body()
    }

    /// Reads the body as text within what is left of the time limit (one
    /// limit for the whole answer: a server or proxy that sends the
    /// headers and then stalls the body is a timeout too).
    pub async fn text(mut self) -> Result<String, ApiError> {
        self.read_text().await
    }

    async fn read_text(&mut self) -> Result<String, ApiError> {
        let elapsed = js_sys::Date::now() - self.started_ms;
        let left = (f64::from(self.timeout_ms) - elapsed).clamp(0.0, f64::from(self.timeout_ms));
        match within(self.response.text(), left as u32).await {
            Some(read) => {
                self.abort.disarm();
                read.map_err(|e| ApiError::MalformedBody {
                    detail: format!("the body could not be read: {e}"),
                })
            }
            None => Err(self.stalled(self.timeout_ms)),
        }
    }

    /// The body stopped coming for `after_ms`: the fetch is aborted now,
    /// the server counts as too slow, and the error says so.
    pub fn stalled(&mut self, after_ms: u32) -> ApiError {
        self.abort.abort_now();
        self.reached = self.reached.map(|_| Reached::TooSlow);
        ApiError::Timeout {
            url: self.url.clone(),
            after_ms,
        }
    }

    /// Reading the body failed mid-way: asks whether anything still
    /// answers at the server's address, so a server that went away counts
    /// as unreachable (and one that only cut this answer, as answering).
    /// True when it went away.
    pub async fn broke(&mut self) -> bool {
        let gone = !answers_at_all(&self.url, self.timeout_ms).await;
        if gone {
            self.reached = self.reached.map(|_| Reached::Unreachable);
        }
        gone
    }
}

impl Drop for Answer {
    fn drop(&mut self) {
        if let Some(reached) = self.reached.take() {
            tell_reached(&self.url, reached);
        }
    }
}

/// Sends one request and reads its body as text. `body` is JSON text (sent
/// with a JSON content type).
pub async fn send(
    method: Method,
    url: &str,
    body: Option<String>,
    timeout_ms: u32,
) -> Result<RawResponse, ApiError> {
    let answer = open(method, url, body, timeout_ms).await?;
    let status = answer.status();
    let content_type = answer.header("content-type");
    let etag = answer.header("etag");
    let body = answer.text().await?;
    Ok(RawResponse {
        status,
        content_type,
        etag,
        body,
    })
}

/// Sends one request (with the signed-in key's token, renewed once when
/// the server says it is missing or expired) and gives its successful
/// answer with the body unread; any other status is classified into an
/// [`ApiError`] (read within `timeout_ms`, the limit of the answer's
/// headers). A refusal reaches the sign-in state and what became of the
/// request the connection state, here or when the [`Answer`] is dropped.
pub async fn open(
    method: Method,
    url: &str,
    body: Option<String>,
    timeout_ms: u32,
) -> Result<Answer, ApiError> {
    let result = open_signed(method, url, body, timeout_ms).await;
    if let Err(e) = &result {
        tell_failed(url, e);
    }
    result
}

/// [`attempt`] with the signed-in key's token, renewed once and the
/// request sent again when the server says it is missing or expired.
async fn open_signed(
    method: Method,
    url: &str,
    body: Option<String>,
    timeout_ms: u32,
) -> Result<Answer, ApiError> {
    let Some(bearer) = crate::auth::session::bearer_for(url, timeout_ms).await? else {
        return attempt(method, url, body, timeout_ms, None).await;
    };
    let first = attempt(method.clone(), url, body.clone(), timeout_ms, Some(&bearer)).await;
    match first {
        Err(ApiError::AuthRefused { ref refusal, .. }) if refusal.renewal_may_fix() => {
            match crate::auth::session::renew(url, &bearer, timeout_ms).await? {
                Some(fresh) => attempt(method, url, body, timeout_ms, Some(&fresh)).await,
                // Signed out meanwhile: the refusal stands.
                None => first,
            }
        }
        other => other,
    }
}

/// One fetch: its answer when 2xx, else its status classified.
async fn attempt(
    method: Method,
    url: &str,
    body: Option<String>,
    timeout_ms: u32,
    bearer: Option<&str>,
) -> Result<Answer, ApiError> {
    let started_ms = js_sys::Date::now();
    let controller = AbortController::new().ok();
    let mut abort = AbortOnDrop {
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

    let response = match within(request.send(), timeout_ms).await {
        Some(Ok(response)) => response,
        Some(Err(_)) => {
            abort.disarm();
            return Err(network_failure(url, timeout_ms).await);
        }
        None => {
            // Abort the fetch now (the guard would too, when dropped).
            abort.abort_now();
            return Err(ApiError::Timeout {
                url: url.to_string(),
                after_ms: timeout_ms,
            });
        }
    };
    let mut answer = Answer {
        url: url.to_string(),
        response,
        abort,
        timeout_ms,
        started_ms,
        reached: None,
    };
    let status = answer.status();
    if (200..300).contains(&status) {
        answer.reached = Some(Reached::Answered);
        return Ok(answer);
    }
    let content_type = answer.header("content-type");
    let [www_auth, required_auth, oauth_source] =
        ["www-authenticate", "raven-required-auth", "oauth-source"].map(|h| answer.header(h));
    // The reason is in the body: read within the same limit.
    let body = answer.read_text().await?;
    if let Some(refusal) = crate::auth::refusal::classify(
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

/// Whether anything answers (any status) a plain GET of the server's
/// `/build/version`. Asked once an answer's headers came, so the server
/// lets this page read it (CORS): unlike [`network_failure`]'s `no-cors`
/// probe, it also works on a page that only loads what allows it
/// (`Cross-Origin-Embedder-Policy: require-corp`).
async fn answers_at_all(url: &str, timeout_ms: u32) -> bool {
    let probe_url = origin_of(url)
        .map(|o| format!("{o}/build/version"))
        .unwrap_or_else(|| url.to_string());
    let probe = RequestBuilder::new(&probe_url)
        .method(Method::GET)
        .credentials(RequestCredentials::SameOrigin)
        .cache(web_sys::RequestCache::NoStore)
        .build();
    match probe {
        Ok(req) => within(req.send(), timeout_ms.min(5_000))
            .await
            .is_some_and(|sent| sent.is_ok()),
        Err(_) => false,
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
