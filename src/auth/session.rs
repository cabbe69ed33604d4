//! The signed-in API key and its token, in this page's memory only: never
//! storage, the URL, a log or the console (`ApiKey`'s `Debug` masks the
//! secret, and nothing here prints). `api::http` asks it for the
//! `Authorization` value of each request to the signed-in server, and for a
//! new token when the server says the old one is missing or expired
//! (docs/protocol/ravendb-3x.md §11.3 steps 2–5).
//!
//! The exchange itself (its HTTP, WebCrypto, base64) is in the release
//! build's `signin` wasm file with the sign-in form, loaded when first
//! needed (docs/size.md, "The 3.x sign-in, loaded when needed"): most
//! servers never ask for it. If that file does not arrive, the sign-in or
//! the request that needed a token fails with
//! [`AuthRefusal::SignInNotLoaded`] at once.

use super::oauth3::{classify, ApiKey, ExchangeReply};
use super::refusal::AuthRefusal;
use super::token::renewal_due;
use crate::api::ApiError;
use futures::future::{select, Either};
use gloo_net::http::Request;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use web_sys::RequestCredentials;

struct Session {
    /// The server root this key signs in to (no trailing slash).
    base: String,
    key: ApiKey,
    /// `Bearer <token>` and when it was obtained (epoch ms).
    bearer: Option<(String, f64)>,
    /// Changes at every sign-in and sign-out: a handshake that finishes
    /// after the user signed out (or in again) stores nothing.
    epoch: u64,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    static EPOCH: RefCell<u64> = const { RefCell::new(0) };
}

fn next_epoch() -> u64 {
    EPOCH.with(|e| {
        let mut e = e.borrow_mut();
        *e += 1;
        *e
    })
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// True when `url` is on the server `base` (same root, then a path).
fn is_on(base: &str, url: &str) -> bool {
    url.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
}

/// The key's name and server while signed in.
pub fn signed_in() -> Option<(String, String)> {
    SESSION.with(|s| {
        s.borrow()
            .as_ref()
            .map(|s| (s.key.name().to_string(), s.base.clone()))
    })
}

/// Forgets the key (its secret) and its token.
pub fn sign_out() {
    next_epoch();
    SESSION.with(|s| *s.borrow_mut() = None);
}

/// Runs the exchange with `key` against the server at `base`; on success
/// the key and its token replace any earlier sign-in (in memory) for every
/// later request, with no anonymous moment between the two. When it fails,
/// the earlier sign-in is forgotten too.
pub async fn sign_in(base: &str, key: ApiKey, timeout_ms: u32) -> Result<(), ApiError> {
    let base = base.trim_end_matches('/').to_string();
    let epoch = next_epoch();
    let bearer = match handshake_loaded(&base, &key, timeout_ms).await {
        Ok(bearer) => bearer,
        Err(e) => {
            if EPOCH.with(|e| *e.borrow()) == epoch {
                sign_out();
            }
            return Err(e);
        }
    };
    if EPOCH.with(|e| *e.borrow()) != epoch {
        // Signed out (or in again) meanwhile: that choice stands.
        return Err(ApiError::Aborted);
    }
    SESSION.with(|s| {
        *s.borrow_mut() = Some(Session {
            base,
            key,
            bearer: Some((bearer, now_ms())),
            epoch,
        })
    });
    Ok(())
}

/// The `Authorization` value for a request to `url`: `None` when not
/// signed in to that server. A token near the end of its life is renewed
/// first.
pub async fn bearer_for(url: &str, timeout_ms: u32) -> Result<Option<String>, ApiError> {
    let current = SESSION.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|s| is_on(&s.base, url))
            .map(|s| (s.bearer.clone(), s.epoch))
    });
    match current {
        None => Ok(None),
        Some((Some((bearer, obtained)), _)) if !renewal_due(obtained, now_ms()) => Ok(Some(bearer)),
        Some((_, epoch)) => renew_in(epoch, timeout_ms).await,
    }
}

/// A new token after the server refused `stale` (missing or expired). When
/// another request renewed it meanwhile, that token is used.
pub async fn renew(url: &str, stale: &str, timeout_ms: u32) -> Result<Option<String>, ApiError> {
    let current = SESSION.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|s| is_on(&s.base, url))
            .map(|s| (s.bearer.clone(), s.epoch))
    });
    match current {
        None => Ok(None),
        Some((Some((bearer, _)), _)) if bearer != stale => Ok(Some(bearer)),
        Some((_, epoch)) => renew_in(epoch, timeout_ms).await,
    }
}

async fn renew_in(epoch: u64, timeout_ms: u32) -> Result<Option<String>, ApiError> {
    let Some((base, key)) = SESSION.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|s| s.epoch == epoch)
            .map(|s| (s.base.clone(), s.key.clone()))
    }) else {
        return Ok(None);
    };
    let bearer = handshake_loaded(&base, &key, timeout_ms).await?;
    let stored = SESSION.with(|s| match s.borrow_mut().as_mut() {
        Some(s) if s.epoch == epoch => {
            s.bearer = Some((bearer.clone(), now_ms()));
            true
        }
        _ => false,
    });
    Ok(stored.then_some(bearer))
}

/// The exchange's wasm file did not arrive (release build only).
struct ExchangeNotLoaded;

#[cfg(lazy_split)]
impl From<leptos::wasm_split::SplitLoaderError> for ExchangeNotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ExchangeNotLoaded
    }
}

/// The exchange, running; its code is in the `signin` file.
type Exchange = Pin<Box<dyn Future<Output = Result<String, ApiError>>>>;

/// Starts [`handshake`]. A split point of the release build (see
/// src/components/chunk.rs): its wasm file is fetched at the first call
/// (a split function cannot be async, hence the boxed future).
#[cfg_attr(
    lazy_split,
    leptos::wasm_split::wasm_split(signin, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn exchange(base: String, key: ApiKey, timeout_ms: u32) -> Result<Exchange, ExchangeNotLoaded> {
    Ok(Box::pin(
        async move { handshake(&base, &key, timeout_ms).await },
    ))
}

/// [`handshake`], once its file is loaded; when it cannot be, the error
/// that says so (nothing was sent to the server).
async fn handshake_loaded(base: &str, key: &ApiKey, timeout_ms: u32) -> Result<String, ApiError> {
    #[cfg(lazy_split)]
    let started = exchange(base.to_string(), key.clone(), timeout_ms).await;
    #[cfg(not(lazy_split))]
    let started = exchange(base.to_string(), key.clone(), timeout_ms);
    match started {
        Ok(running) => running.await,
        Err(ExchangeNotLoaded) => Err(refused(0, AuthRefusal::SignInNotLoaded)),
    }
}

/// One POST to the token endpoint (§11.3 steps 2 and 4), read as an
/// [`ExchangeReply`].
async fn post(source: &str, body: &str, timeout_ms: u32) -> Result<ExchangeReply, ApiError> {
    let request = Request::post(source)
        .header("grant_type", "client_credentials")
        .credentials(RequestCredentials::SameOrigin)
        .body(body.to_string())
        .map_err(|e| ApiError::MalformedBody {
            detail: format!("could not build the sign-in request: {e}"),
        })?;
    let exchange = Box::pin(async move {
        let response = request.send().await?;
        let status = response.status();
        let header = response.headers().get("WWW-Authenticate");
        let text = response.text().await.unwrap_or_default();
        Ok::<_, gloo_net::Error>(classify(status, header.as_deref(), &text))
    });
    let timer = Box::pin(gloo_timers::future::TimeoutFuture::new(timeout_ms));
    match select(exchange, timer).await {
        Either::Left((Ok(reply), _)) => Ok(reply),
        Either::Left((Err(_), _)) => Err(ApiError::Unreachable {
            url: source.to_string(),
        }),
        Either::Right(_) => Err(ApiError::Timeout {
            url: source.to_string(),
            after_ms: timeout_ms,
        }),
    }
}

fn refused(status: u16, refusal: AuthRefusal) -> ApiError {
    ApiError::AuthRefused { status, refusal }
}

/// The whole exchange: a challenge, the answer (again when the server
/// sends a fresh challenge because the last one went stale), the token.
async fn handshake(base: &str, key: &ApiKey, timeout_ms: u32) -> Result<String, ApiError> {
    let source = format!("{base}/OAuth/API-Key");
    let mut reply = post(&source, "", timeout_ms).await?;
    for _ in 0..3 {
        match reply {
            ExchangeReply::Token(bearer) => return Ok(bearer),
            ExchangeReply::Challenge(challenge) => {
                let body = super::webcrypto::answer_challenge(&challenge, key)
                    .await
                    .map_err(|e| {
                        refused(
                            0,
                            AuthRefusal::BrowserCrypto {
                                message: e.to_string(),
                            },
                        )
                    })?;
                reply = post(&source, &body, timeout_ms).await?;
            }
            ExchangeReply::WrongSecret => {
                return Err(refused(
                    401,
                    AuthRefusal::WrongSecret {
                        key: key.name().to_string(),
                    },
                ))
            }
            ExchangeReply::UnknownKey => {
                return Err(refused(
                    401,
                    AuthRefusal::UnknownKey {
                        key: key.name().to_string(),
                    },
                ))
            }
            ExchangeReply::Refused { status, message } => {
                return Err(refused(
                    status,
                    AuthRefusal::ExchangeRefused { status, message },
                ))
            }
        }
    }
    Err(refused(
        412,
        AuthRefusal::ExchangeRefused {
            status: 412,
            message: "the server answered every answer with a new challenge".into(),
        },
    ))
}
