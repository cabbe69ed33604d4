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
    /// The pieces still to send (one, or a streamed answer's chunks).
    data: std::collections::VecDeque<Bytes>,
    /// A streamed answer: no length is known up front (chunked encoding).
    streamed: bool,
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl ReplyBody {
    fn new(data: Vec<Bytes>, streamed: bool, stall_ms: u64) -> ReplyBody {
        ReplyBody {
            data: data.into_iter().filter(|d| !d.is_empty()).collect(),
            streamed,
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
                .pop_front()
                .map(|d| Ok(hyper::body::Frame::data(d))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.stall.is_none() && self.data.is_empty()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        if self.streamed {
            return hyper::body::SizeHint::default();
        }
        hyper::body::SizeHint::with_exact(self.data.iter().map(|d| d.len() as u64).sum())
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
    let streamed = matches!(reply.body, BodyKind::Chunked { .. });
    let (ct, pieces): (Option<String>, Vec<Bytes>) = match reply.body {
        BodyKind::Json(v) => (
            Some(JSON_CT.into()),
            vec![Bytes::from(serde_json::to_vec(&v).unwrap_or_default())],
        ),
        BodyKind::Empty => (Some(JSON_CT.into()), Vec::new()),
        BodyKind::Text(s) => (Some(TEXT_CT.into()), vec![Bytes::from(s)]),
        BodyKind::Raw {
            content_type,
            bytes,
        } => (content_type, vec![bytes]),
        BodyKind::Chunked {
            content_type,
            chunks,
        } => (Some(content_type), chunks),
    };
    let body = if method == "HEAD" { Vec::new() } else { pieces };
    let mut resp = Response::new(ReplyBody::new(body, streamed, stall_ms));
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
