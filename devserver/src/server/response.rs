//! Turning a handler's `Reply` into the hyper response: content type,
//! RavenDB headers, CORS, and a body that a fault may hold back.

use super::cors::cors_headers;
use crate::app::App;
use crate::config::Protocol;
use crate::http::{BodyKind, Reply, JSON_CT, TEXT_CT};
use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::Response;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A response body sent in one piece, optionally held back for a while after
/// the status line and headers went out (the `stallBodyMs` fault: a server or
/// proxy that sends headers and then stalls the body).
pub struct ReplyBody {
    data: Option<Bytes>,
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl ReplyBody {
    fn new(data: Bytes, stall_ms: u64) -> ReplyBody {
        ReplyBody {
            data: Some(data),
            stall: (stall_ms > 0)
                .then(|| Box::pin(tokio::time::sleep(Duration::from_millis(stall_ms)))),
        }
    }
}

impl hyper::body::Body for ReplyBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        if let Some(stall) = self.stall.as_mut() {
            if stall.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.stall = None;
        }
        Poll::Ready(
            self.data
                .take()
                .filter(|d| !d.is_empty())
                .map(|d| Ok(hyper::body::Frame::data(d))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.stall.is_none() && self.data.as_ref().is_none_or(|d| d.is_empty())
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}

/// Returned by the service to make hyper close the connection with no response.
#[derive(Debug)]
pub struct Dropped;
impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}
impl std::error::Error for Dropped {}

pub fn build_version(app: &App) -> (&'static str, &'static str) {
    match app.cfg.protocol {
        Protocol::V30 => ("3.0.0 / 6dce79a", "30185"),
        Protocol::V35 => ("3.5.10 / 2ba8d8e", "35288"),
    }
}

pub fn finish(
    app: &App,
    req_headers: &HeaderMap,
    method: &str,
    reply: Reply,
    started: Instant,
    stall_ms: u64,
) -> Response<ReplyBody> {
    let (ct, bytes): (Option<String>, Bytes) = match reply.body {
        BodyKind::Json(v) => (
            Some(JSON_CT.into()),
            Bytes::from(serde_json::to_vec(&v).unwrap_or_default()),
        ),
        BodyKind::Empty => (Some(JSON_CT.into()), Bytes::new()),
        BodyKind::Text(s) => (Some(TEXT_CT.into()), Bytes::from(s)),
        BodyKind::Raw {
            content_type,
            bytes,
        } => (content_type, bytes),
    };
    let body = if method == "HEAD" {
        Bytes::new()
    } else {
        bytes
    };
    let mut resp = Response::new(ReplyBody::new(body, stall_ms));
    *resp.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    if let Some(ct) = ct {
        if let Ok(v) = HeaderValue::from_str(&ct) {
            h.insert(hyper::header::CONTENT_TYPE, v);
        }
    }
    let mut extra = reply.headers;
    extra.push(("Raven-Server-Build".into(), build_version(app).1.into()));
    extra.push((
        "Temp-Request-Time".into(),
        started.elapsed().as_millis().to_string(),
    ));
    extra.extend(cors_headers(app, req_headers, method == "OPTIONS"));
    for (k, v) in extra {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            h.append(k, v);
        }
    }
    resp
}
